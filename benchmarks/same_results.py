"""Prove that a speed change changed no result: record, then compare, everything check computes.

    PYTHONPATH=src .venv/bin/python benchmarks/same_results.py record /tmp/before.json.gz
    ... change the code ...
    PYTHONPATH=src .venv/bin/python benchmarks/same_results.py compare /tmp/before.json.gz

Recorded for every input, without and with each example data file where it applies:

  * the findings of `check_document` (rule, level, message, expected, found, location);
  * the NLP pass of every logical paragraph: normalised text, dates, quantities (offsets,
    value, interval, unit, precision), claims (metrics, scope, offsets) and bare measure words.

Inputs: the example drafts (.docx/.html/.txt), the PDF fixtures, drafts of the three example
data sets at four seeds, long drafts (1×, 10×), the seed and the real reports of ../shared,
the mutations of benchmarks/labelled_set.py, and seeded one-number mutations of the text
reports (a number changed, removed, turned into a percentage or split into 其中 parts), which
reach every NUM-* rule. About two minutes on two cores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATA = sorted((ROOT / "examples").glob("*.yaml"))
_NUM_RE = re.compile(r"\d+(?:\.\d+)?")


def _shared() -> Path | None:
    for cand in (ROOT.parent / "shared", Path("/work/shared")):
        if cand.is_dir():
            return cand
    return None


def _findings(result) -> list:
    out = []
    for f in result.findings:
        d = f.model_dump(exclude_none=True)
        loc = d.get("location", {})
        loc.pop("file", None)  # temporary names differ between runs
        out.append(d)
    return out


def _paragraphs(result) -> list:
    """The NLP pass of each logical paragraph, as plain values."""
    from report_writer.nlp.claims import Context
    from report_writer.nlp.judge import logical_paragraphs
    from report_writer.nlp.pipeline import analysis

    meta = result.report.meta
    ctx = Context(body=getattr(meta, "body", None), level=getattr(meta, "level", None))
    out = []
    for lp in logical_paragraphs(result.document, result.sections):
        a = analysis(lp.text, ctx)
        r = a._
        out.append({
            "norm": r.norm,
            "dates": [[d.start, d.end, d.year, d.month, d.day, d.kind] for d in r.dates],
            "quantities": [[q.start, q.end, q.num_start, q.num_end, str(q.value), str(q.low), str(q.high),
                            q.low_open, q.high_open, q.unit, q.approx, q.is_percent, q.numeral]
                           for q in r.quantities],
            "claims": [[list(c.metrics), c.start, c.end, c.quantity.start if c.quantity else None, c.scope,
                        c.scope_word, c.negated, list(c.sentence), c.word] for c in r.claims],
            "missing": [list(m) for m in r.missing],
        })
    return out


def _mutations(text: str, rng: random.Random, n: int) -> list[str]:
    """n one-number mutations of the narrative lines of a text report."""
    spots = [(m.start(), m.end()) for line in re.finditer(r"[^\n]{30,}", text)
             for m in _NUM_RE.finditer(text, line.start(), line.end())]
    out = []
    for _ in range(min(n, 4 * len(spots))):
        if not spots:
            break
        a, b = rng.choice(spots)
        num = text[a:b]
        kind = rng.randrange(7)
        if kind == 6:  # the sentence again at the end of its line, with another number: NUM-DUP
            s0 = max(text.rfind(c, 0, a) for c in "。\n") + 1
            s1 = min([i for i in (text.find("。", b), text.find("\n", b)) if i >= 0] or [len(text)])
            eol = text.find("\n", b) if text.find("\n", b) >= 0 else len(text)
            again = text[s0:a] + str(int(float(num)) + 2) + text[b:s1] + "。"
            out.append(text[:eol] + again + text[eol:])
            continue
        if kind == 5:
            new = f"{num}（占{rng.randint(1, 99)}.{rng.randint(0, 9)}%）"
        elif kind == 0:
            new = str(int(float(num)) + rng.choice((1, 3, 10, 100)))
        elif kind == 1:
            new = ""
        elif kind == 2:
            new = num + "%"
        elif kind == 3:
            k = max(1, int(float(num)) // 2)
            new = f"{num}件，其中线上{k}件、线下{k + rng.choice((0, 1, 2))}件，"
        else:
            new = f"{num}（其中本级{max(0, int(float(num)) - 1)}件、其他1件）"
        out.append(text[:a] + new + text[b:])
    return out


def inputs(work: Path, quick: bool) -> list[tuple[str, Path, list[Path]]]:
    """(name, file, data files to check it with besides none)."""
    from report_writer.draft.api import draft_report

    out: list[tuple[str, Path, list[Path]]] = []
    for p in sorted((ROOT / "examples" / "drafts").glob("*.*")):
        if p.suffix in (".docx", ".html", ".txt"):
            out.append((f"example/{p.name}", p, DATA))
    for p in sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf")):
        out.append((f"pdf/{p.name}", p, DATA[:1]))
    for data in DATA:
        for seed in range(2 if quick else 4):
            p = work / f"draft-{data.stem}-s{seed}.docx"
            if draft_report(data, p, seed=seed).ok:
                out.append((f"draft/{p.name}", p, [data]))
    try:
        from run import build_corpus  # benchmarks/run.py: the long drafts

        corpus = build_corpus(work / "corpus", seeds=3)
        for k in (1, 10):
            out.append((f"long/{k}x", corpus["long"][k][0], []))
    except ImportError:
        pass
    shared = _shared()
    texts: list[Path] = []
    if shared is not None:
        texts = sorted((shared / "real").rglob("*.txt")) + [shared / "seed" / "jinzhai-2020-annual-report.txt"]
        for p in texts:
            if p.is_file():
                out.append((f"real/{p.name}", p, DATA))
    rng = random.Random(20261205)
    for p in texts + [ROOT / "examples" / "drafts" / "clean.txt"]:
        if p.is_file():
            for i, text in enumerate(_mutations(p.read_text(encoding="utf-8"), rng, 8 if quick else 40)):
                m = work / f"mut-{p.stem}-{i}.txt"
                m.write_text(text, encoding="utf-8")
                out.append((f"mutation/{p.stem}-{i}", m, []))
    if shared is not None:
        try:
            import labelled_set

            docs = labelled_set.sources(shared)
            for mname, src, old, new, *_ in labelled_set.MUTATIONS:
                if src in docs:
                    text = docs[src].read_text(encoding="utf-8")
                    m = work / f"label-{mname}{docs[src].suffix}"
                    m.write_text(text.replace(old, new, 1), encoding="utf-8")
                    out.append((f"labelled/{mname}", m, []))
        except ImportError:
            pass
    return out


def record(quick: bool) -> dict:
    from report_writer.check.api import check_document
    from report_writer.data.loader import load
    from report_writer.read.errors import ReadError

    datas = {p: load(p).data for p in DATA}
    results: dict = {}
    with tempfile.TemporaryDirectory() as d:
        items = inputs(Path(d), quick)
        print(f"{len(items)} inputs", file=sys.stderr, flush=True)
        for name, path, data_files in items:
            entry: dict = {}
            for data in [None] + data_files:
                key = data.stem if data is not None else "-"
                try:
                    res = check_document(path, data=datas[data] if data is not None else None)
                except ReadError as e:
                    entry[key] = {"read_error": str(e).replace(str(path), "<input>")}
                    continue
                entry[key] = {"findings": _findings(res)}
                if data is None:
                    entry["nlp"] = _paragraphs(res)
            results[name] = entry
    return results


def compare(old: dict, new: dict) -> int:
    bad = 0
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        bad += 1
        if a is None or b is None:
            print(f"{name}: only in {'new' if a is None else 'old'}")
            continue
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                print(f"{name} [{key}]:")
                print("  old:", json.dumps(a.get(key), ensure_ascii=False)[:1500])
                print("  new:", json.dumps(b.get(key), ensure_ascii=False)[:1500])
    print(f"{len(new)} inputs, {bad} differ", file=sys.stderr)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["record", "compare"])
    ap.add_argument("file", type=Path)
    ap.add_argument("--quick", action="store_true", help="fewer drafts and mutations")
    args = ap.parse_args(argv)
    got = record(args.quick)
    if args.mode == "record":
        with gzip.open(args.file, "wt", encoding="utf-8") as f:
            json.dump(got, f, ensure_ascii=False)
        print(f"{len(got)} inputs recorded in {args.file}", file=sys.stderr)
        return 0
    with gzip.open(args.file, "rt", encoding="utf-8") as f:
        old = json.load(f)
    return compare(old, json.loads(json.dumps(got, ensure_ascii=False)))


if __name__ == "__main__":
    sys.exit(main())
