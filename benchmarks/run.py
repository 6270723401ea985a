"""Benchmarks of report-writer: every figure next to what a user would otherwise run.

    ./scripts/bench.sh            # sets up .venv, installs .[bench], runs this script
    .venv/bin/python benchmarks/run.py [--quick] [--workdir DIR] [--keep] [--json OUT.json]

Builds its own corpus in a temporary folder (drafts generated from the example data with
several wordings, and longer reports made by adding generated paragraphs of other wordings to
a draft: 1×, 10× and 100× the seed report's narrative), then measures:

  check   per report, warm, in-process    vs python-docx opening the .docx and reading every
                                             paragraph and cell                (goal ≤ 1.0×)
  check   CLI, one file, cold, end to end  vs the goal 1.0 s (and python-docx read, cold);
                                             where the time goes: imports, jieba's dictionary;
                                             `report-writer --help` vs the goal 0.3 s
  batch   1,000 reports, --jobs 2          vs the goal 20 s; --jobs 1 → 2 scaling
  draft   in-process                       vs docxtpl rendering an equivalent template (≤ 1.0×)
  draft   CLI cold                         vs the goal 1.0 s (and docxtpl, cold)
  memory  peak RSS of each process         vs the goal 300 MB
  growth  check time at 1×, 10×, 100× the seed's narrative: must grow linearly
  pdf     check of the seed draft laid out as PDF (ruled and unruled tables) vs pdfplumber's own
                                             extract_text + extract_tables on the same file (≤ 1.0×),
                                             and the statutory tables read per document

Times are medians of several runs (the machine may be shared; see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import copy
import gc
import itertools
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DATA_FILES = [EXAMPLES / "jinzhai-2020.yaml", EXAMPLES / "yunling-zrzy-2023.yaml"]
# Characters of narrative in the seed report (jinzhai-2020-annual-report.txt, lines longer than
# 30 characters, i.e. without the table cells): the unit of the "1× / 10× / 100×" sizes.
SEED_NARRATIVE_CHARS = 4012

PY = sys.executable
BIN = Path(PY).parent
RW = str(BIN / "report-writer") if (BIN / "report-writer").exists() else None

ROWS: list[dict] = []  # the printed table


# ---------------------------------------------------------------- helpers


def _settle_heap() -> None:
    """Hand the C heap's free memory back (glibc's malloc_trim; elsewhere nothing)."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def timed(fn) -> float:
    """Wall time of fn, plus what collecting the garbage it leaves costs.

    Each side pays for its own garbage and for nothing the other left behind:

    * a full collection first (not timed), then fn, then a collection of what fn left, less a
      collection with nothing to free (the walk over long-lived objects, the same for both sides).
      Otherwise the cycles one side leaves (python-docx's documents are cycles) are collected
      whenever the collector next runs, and that cost falls on the other side: check pauses the
      collector, so python-docx would pay for its previous document in its next read, and before
      that pause check paid for it;
    * the C heap settled first (not timed): glibc keeps freed memory and sorts it out on a later
      large request, so a side would pay for sorting out the ~250 MB python-docx's tree of a 100×
      report leaves (about 70 ms charged to check), or get pages the other side already faulted in.
      Each side starts as a fresh process would. `--no-settle` measures without it."""
    gc.collect()
    if SETTLE:
        _settle_heap()
    t = time.perf_counter()
    fn()
    spent = time.perf_counter() - t
    t = time.perf_counter()
    gc.collect()
    left = time.perf_counter() - t
    t = time.perf_counter()
    gc.collect()
    empty = time.perf_counter() - t
    return spent + max(0.0, left - empty)


SETTLE = True


def paired_medians(fn, base, runs: int) -> tuple[float, float]:
    """Medians of fn and base timed alternately (fn, base, fn, base …): on a shared machine both
    see the same load, so their ratio holds even when the absolute times do not."""
    fn()
    base()
    a, b = [], []
    for _ in range(runs):
        a.append(timed(fn))
        b.append(timed(base))
    return statistics.median(a), statistics.median(b)


def median_time(fn, runs: int, warm: int = 1) -> float:
    for _ in range(warm):
        fn()
    return statistics.median(timed(fn) for _ in range(runs))


# A small launcher measures peak RSS: a child forked straight from this (large) process would
# report this process's size as its own peak (Linux keeps the pre-exec high-water mark).
LAUNCHER = r"""
import os, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - t
sys.stderr.buffer.write(b"%f %d %d\n" % (wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode))
sys.stdout.buffer.write(p.stdout)
"""


def proc_env() -> dict:
    """The environment of a user's shell: bytecode caching on (kept in the corpus folder)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if PYCACHE:
        env["PYTHONPYCACHEPREFIX"] = PYCACHE
    return env


PYCACHE: str | None = None


def run_proc(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, int, bytes]:
    """Run a command; (wall seconds, peak RSS in MB of its largest process, exit code, stdout).

    RUSAGE_CHILDREN's ru_maxrss in the launcher is the peak of the largest single process among
    the command and its reaped workers."""
    p = subprocess.run([PY, "-c", LAUNCHER, *cmd], cwd=cwd, env=proc_env(), capture_output=True)
    wall, rss, rc = p.stderr.decode().strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, int(rc), p.stdout


def median_proc(cmd: list[str], runs: int, **kw) -> tuple[float, float, int]:
    run_proc(cmd, **kw)  # fills the bytecode cache, as any earlier run on a user's machine would
    walls, rss, rc = [], [], 0
    for _ in range(runs):
        w, m, rc, _ = run_proc(cmd, **kw)
        walls.append(w)
        rss.append(m)
    return statistics.median(walls), max(rss), rc


def row(section: str, what: str, ours: float, base: float | None, base_name: str, unit: str,
        goal: str = "", met: bool | None = None) -> None:
    ROWS.append(dict(section=section, what=what, ours=ours, base=base, base_name=base_name, unit=unit,
                     ratio=(ours / base if base else None), goal=goal, met=met))
    print(f"  … {what}: {fmt_val(ours, unit)}" + (f" (baseline {fmt_val(base, unit)})" if base else ""), flush=True)


def fmt_val(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "s":
        return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"
    if unit == "MB":
        return f"{v:.0f} MB"
    if unit == "x":
        return f"{v:.2f}"
    return f"{v:.3g} {unit}"


def print_table() -> None:
    head = ("figure", "ours", "baseline", "ratio", "goal", "met")
    lines = []
    for r in ROWS:
        base = f"{fmt_val(r['base'], r['unit'])} ({r['base_name']})" if r["base"] else r["base_name"] or "—"
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else "—"
        met = {True: "yes", False: "NO", None: ""}[r["met"]]
        lines.append((f"[{r['section']}] {r['what']}", fmt_val(r["ours"], r["unit"]), base, ratio, r["goal"], met))
    widths = [max(_w(x[i]) for x in [head] + lines) for i in range(len(head))]
    print()
    print("  ".join(_pad(h, w) for h, w in zip(head, widths)))
    print("  ".join("-" * w for w in widths))
    for ln in lines:
        print("  ".join(_pad(c, w) for c, w in zip(ln, widths)))


def _w(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _w(s))


# ---------------------------------------------------------------- corpus


def python_docx_read(path: Path) -> int:
    """The baseline reader: what a script using python-docx does to see every paragraph and cell."""
    import docx

    d = docx.Document(str(path))
    n = 0
    for p in d.paragraphs:
        n += len(p.text)
    for t in d.tables:
        for r in t.rows:
            for c in r.cells:
                n += len(c.text)
    return n


def body_paragraphs(doc) -> list:
    """Narrative paragraphs of a generated draft: top-level Normal paragraphs of some length."""
    return [p for p in doc.paragraphs if p.style.name == "Normal" and len(p.text) >= 40]


def build_corpus(work: Path, seeds: int) -> dict:
    """Drafts of both example data sets with `seeds` wordings, and the long reports."""
    import docx

    from report_writer.draft.api import draft_report

    drafts: dict[str, list[Path]] = {}
    for data in DATA_FILES:
        out = []
        for s in range(seeds):
            p = work / "drafts" / f"{data.stem}-s{s}.docx"
            p.parent.mkdir(parents=True, exist_ok=True)
            r = draft_report(data, p, seed=s)
            if not r.ok:
                raise SystemExit(f"could not draft {data} seed {s}: {[f.message for f in r.errors]}")
            out.append(p)
        drafts[data.stem] = out

    # long reports: the jinzhai draft (seed 0) with paragraphs of the other wordings added after
    # each narrative paragraph, until the narrative is k × the seed's. Every added paragraph is made
    # distinct by three characters before its last 。 (a code in 甲乙丙…: no number, bracket or
    # word any pattern looks for, so no work and no finding is added): a long report does not repeat
    # its paragraphs, and a copy repeated word for word lets caches keyed by text answer for it (at
    # 100× a hundred paragraphs would each stand 47 times; check is a few per cent cheaper on that)
    base_path = drafts["jinzhai-2020"][0]
    pool = [body_paragraphs(docx.Document(str(p))) for p in drafts["jinzhai-2020"][1:]]
    sizes = {}
    for k in (1, 10, 100):
        doc = docx.Document(str(base_path))
        body = body_paragraphs(doc)
        total = sum(len(p.text) for p in body)
        target = k * SEED_NARRATIVE_CHARS
        extras: list[list] = [[] for _ in body]
        for other in itertools.cycle(pool):
            if total >= target:
                break
            for i in range(len(body)):
                if total >= target:
                    break
                src = other[i % len(other)]
                el = copy.deepcopy(src._p)
                _cite(el, sum(len(e) for e in extras) + 1)
                extras[i].append(el)
                total += len(src.text)
        for p, more in zip(body, extras):
            anchor = p._p
            for el in more:
                anchor.addnext(el)
                anchor = el
        path = work / f"long-{k}x.docx"
        doc.save(str(path))
        sizes[k] = (path, total)
    return {"drafts": drafts, "long": sizes, "base": base_path}


_CODE = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"


def _cite(p_el, n: int) -> None:
    """Make a copied paragraph distinct: a three-character code (n in base 20) before its last 。."""
    from docx.oxml.ns import qn

    code = "".join(_CODE[n // 20 ** k % 20] for k in (2, 1, 0))
    texts = [t for t in p_el.iter(qn("w:t")) if t.text]
    if texts and texts[-1].text.endswith("。"):
        texts[-1].text = texts[-1].text[:-1] + code + "。"
    elif texts:
        texts[-1].text += code


def build_batch(work: Path, drafts: dict, n: int) -> Path:
    """n reports: copies of the generated drafts (both data sets, every wording), round robin."""
    d = work / f"batch-{n}"
    d.mkdir(exist_ok=True)
    srcs = [p for ps in drafts.values() for p in ps]
    for i in range(n):
        shutil.copyfile(srcs[i % len(srcs)], d / f"r{i:04d}.docx")
    return d


# ---------------------------------------------------------------- docxtpl baseline


def build_template(draft: Path, out: Path) -> dict:
    """An equivalent docxtpl template: the draft's paragraphs and tables (merges kept) with every
    paragraph's and cell's text replaced by a Jinja tag; returns the context that fills it back."""
    import docx

    doc = docx.Document(str(draft))
    ctx: dict[str, str] = {}

    def tag(par, key: str) -> None:
        text = par.text
        if not text:
            return
        ctx[key] = text
        runs = par.runs
        if not runs:
            return
        runs[0].text = "{{ %s }}" % key
        for r in runs[1:]:
            r._r.getparent().remove(r._r)

    for i, p in enumerate(doc.paragraphs):
        tag(p, f"p{i}")
    seen = set()
    for t, table in enumerate(doc.tables):
        for r, tr in enumerate(table.rows):
            for c, cell in enumerate(tr.cells):
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                for k, p in enumerate(cell.paragraphs):
                    tag(p, f"t{t}_{r}_{c}_{k}")
    doc.save(str(out))
    return ctx


def docxtpl_render(template: Path, ctx: dict, out) -> None:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template))
    tpl.render(ctx)
    tpl.save(out)


# ---------------------------------------------------------------- measurements


IMPORT_PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
import report_writer.cli.main
t1 = time.perf_counter()
import report_writer.check.api, report_writer.check.batch, report_writer.read, report_writer.read.mapper
import report_writer.read.structure, report_writer.check.judge_document, report_writer.read.docx
from report_writer.formats import all_formats; all_formats()
t2 = time.perf_counter()
import report_writer.nlp.judge
from report_writer.nlp import pipeline
t3 = time.perf_counter()
pipeline._jieba()
t4 = time.perf_counter()
report_writer.check.api.check_document(sys.argv[1])
t5 = time.perf_counter()
print(json.dumps({"cli": t1 - t0, "check": t2 - t1, "nlp": t3 - t2, "jieba": t4 - t3, "first": t5 - t4,
                  "spacy": "spacy" in sys.modules}))
"""

CHECK_PROBE = r"""
import sys
from report_writer.cli.main import main
try:
    main(["check", sys.argv[1], "--format", "json"], standalone_mode=False)
except SystemExit:
    pass
heavy = sorted(m for m in ("spacy", "thinc", "cn2an", "pkg_resources") if m in sys.modules)
print(",".join(heavy) or "none")
"""

DRAFT_PROBE = r"""
import sys
from report_writer.cli.main import main
try:
    main(["draft", sys.argv[1], "-o", sys.argv[2]], standalone_mode=False)
except SystemExit:
    pass
heavy = sorted(m for m in ("spacy", "jieba", "thinc", "numpy", "report_writer.nlp") if m in sys.modules)
print(",".join(heavy) or "none")
"""

PYDOCX_COLD = r"""
import sys, docx
d = docx.Document(sys.argv[1])
n = sum(len(p.text) for p in d.paragraphs)
for t in d.tables:
    for r in t.rows:
        for c in r.cells:
            n += len(c.text)
print(n)
"""

DOCXTPL_COLD = r"""
import json, sys, yaml
from docxtpl import DocxTemplate
yaml.safe_load(open(sys.argv[3], encoding="utf-8"))
ctx = json.load(open(sys.argv[2], encoding="utf-8"))
tpl = DocxTemplate(sys.argv[1])
tpl.render(ctx)
tpl.save(sys.argv[4])
"""


def bench_check_inprocess(corpus: dict, runs: int) -> None:
    from report_writer.check.api import check_document

    print("check, warm, in-process", flush=True)
    base = corpus["base"]
    check_document(base)  # loads the pipeline
    for label, path in [("seed draft (0.6× narrative)", base)] + [
            (f"{k}× narrative", p) for k, (p, _) in sorted(corpus["long"].items())]:
        n = max(3, runs // (10 if "100×" in label else 1))
        ours, baseline = paired_medians(lambda: check_document(path), lambda: python_docx_read(path), n)
        row("check", f"per report, {label}", ours, baseline, "python-docx read all", "s", "≤ 1.0×",
            ours <= baseline)
    # the pass itself on the read draft (a difference of two medians of whole checks is mostly noise)
    from report_writer.nlp.judge import narrative_findings

    res = check_document(base, nlp=False)
    nlp_t = median_time(lambda: narrative_findings(res.document, res.sections, res.report), runs * 3)
    row("check", "NLP pass added, seed draft", nlp_t, None, "", "s", "≤ 20 ms", nlp_t <= 0.020)


def pdfplumber_read(path: Path) -> int:
    """The baseline PDF reader: pdfplumber's own text and tables of every page."""
    import pdfplumber

    n = 0
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            n += len(page.extract_text() or "")
            n += sum(len(t) for t in page.extract_tables())
    return n


def bench_pdf(corpus: dict, work: Path, runs: int) -> None:
    """check on a PDF, side by side in one run with pdfplumber reading the same file."""
    sys.path.insert(0, str(ROOT))
    from tests.pdf_layout import docx_to_pdf

    from report_writer.check.api import check_document

    print("check a PDF, warm, in-process", flush=True)
    check_document(corpus["base"])  # loads the pipeline
    fixtures = ROOT / "tests" / "fixtures" / "pdf"
    cases = [("ruled", True), ("unruled", False), ("LibreOffice export", "clean.pdf"),
             ("LibreOffice, no borders", "clean-noborder.pdf")]
    for kind, ruled in cases:
        if isinstance(ruled, str):  # a committed fixture: what "export as PDF" gives (embedded fonts)
            path = fixtures / ruled
        else:  # the seed draft, its tables pushed over a page break so that one of them is joined
            path = docx_to_pdf(corpus["base"], work / f"seed-{kind}.pdf", ruled=ruled, space_before_tables=80)
        ours = median_time(lambda: check_document(path), runs)
        no_nlp = median_time(lambda: check_document(path, nlp=False), runs)
        baseline = median_time(lambda: pdfplumber_read(path), runs)
        row("pdf", f"check, seed-sized PDF, {kind}", ours, baseline,
            "pdfplumber extract_text+extract_tables", "s", "≤ 1.0×", ours <= baseline)
        row("pdf", f"check --no-nlp, {kind}", no_nlp, baseline,
            "pdfplumber extract_text+extract_tables", "s")
        result = check_document(path)
        mapped = sum(1 for tid in ("table2", "table3", "table4") if result.report.tables.get(tid))
        row("pdf", f"statutory tables read, {kind} (of 3)", mapped, 3, "表二、表三、表四", "x", "3 of 3", mapped == 3)
        row("pdf", f"errors on the clean PDF, {kind}", len(result.errors), None, "", "x", "0",
            not result.errors)


def bench_growth(corpus: dict, runs: int) -> None:
    from report_writer.check.api import check_document

    print("growth with narrative length", flush=True)
    pts = []
    for k, (path, chars) in sorted(corpus["long"].items()):
        n = max(3, runs // k) if k > 1 else runs
        t, tb = paired_medians(lambda: check_document(path), lambda: python_docx_read(path), n)
        pts.append((k, chars, t, tb))
        row("growth", f"check {k}× ({chars} chars), per 1k chars", t / chars * 1000, tb / chars * 1000,
            "python-docx read", "s")
    (k1, c1, t1, _), (k3, c3, t3, _) = pts[0], pts[-1]
    slope = math.log(t3 / t1) / math.log(c3 / c1)
    _, c2, t2, _ = pts[1]
    slope_hi = math.log(t3 / t2) / math.log(c3 / c2)
    row("growth", "exponent 1×→100× (time ∝ length^e)", slope, 1.0, "linear", "x", "≤ 1.1", slope <= 1.1)
    row("growth", "exponent 10×→100×", slope_hi, 1.0, "linear", "x", "≤ 1.1", slope_hi <= 1.1)
    bench_long_paragraphs(corpus["long"][100][0], max(3, runs // 5))


def bench_long_paragraphs(path: Path, runs: int) -> None:
    """The NLP pass on the 100× report as it is (paragraphs of ~85 characters) and with each run of
    body paragraphs joined into one (up to MAX_NLP_CHARS, 20,000 characters, as a text or web page
    without line breaks gives): the cost per character must not grow with the length of a paragraph."""
    import dataclasses

    from report_writer.check.api import check_source
    from report_writer.nlp.judge import narrative_findings
    from report_writer.read import read_document

    from report_writer.limits import limit

    # joined paragraphs stay within MAX_NLP_CHARS: longer ones are skipped (NUM-SKIPPED), not analysed
    cap = limit("MAX_NLP_CHARS")
    doc = read_document(path)
    base = check_source(doc, nlp=False)
    heads = {s.paragraph for s in base.sections}
    paras: list = []
    joining = False
    for p in doc.paragraphs:
        if p.index in heads or p.style or len(p.text) < 40:
            paras.append(p)
            joining = False
        elif joining and len(paras[-1].text) + len(p.text) <= cap:
            paras[-1] = dataclasses.replace(paras[-1], text=paras[-1].text + p.text)
        else:
            paras.append(p)
            joining = True
    joined = dataclasses.replace(doc, paragraphs=[dataclasses.replace(p, index=i) for i, p in enumerate(paras)])
    jbase = check_source(joined, nlp=False)
    longest = max(len(p.text) for p in paras)
    ours, base_t = paired_medians(lambda: narrative_findings(joined, jbase.sections, jbase.report),
                                  lambda: narrative_findings(doc, base.sections, base.report), runs)
    row("growth", f"NLP pass, 100× in paragraphs ≤ {longest // 1000}k chars", ours, base_t,
        "NLP pass, same text in ~85-char paragraphs", "s", "≤ 1.1×", ours <= 1.1 * base_t)


def bench_draft_inprocess(corpus: dict, work: Path, runs: int) -> None:
    from report_writer.draft.api import draft_report, render_data
    from report_writer.data.loader import load

    print("draft, warm, in-process", flush=True)
    data = DATA_FILES[0]
    out = work / "draft-bench.docx"
    tpl = work / "template.docx"
    ctx = build_template(corpus["base"], tpl)
    (work / "template-ctx.json").write_text(json.dumps(ctx, ensure_ascii=False), encoding="utf-8")
    ours = median_time(lambda: draft_report(data, out), runs)

    def tpl_run():
        import yaml

        yaml.safe_load(data.read_text(encoding="utf-8"))
        docxtpl_render(tpl, ctx, str(work / "docxtpl-bench.docx"))

    base = median_time(tpl_run, runs)
    row("draft", "draft_report (load+validate+write)", ours, base, "docxtpl load+render+save", "s", "≤ 1.0×",
        ours <= base)
    row("draft", "draft_report, absolute", ours, None, "", "s", "≤ 100 ms", ours <= 0.100)
    loaded = load(data).data
    r = median_time(lambda: render_data(loaded), runs)
    b = median_time(lambda: docxtpl_render(tpl, ctx, str(work / "docxtpl-bench.docx")), runs)
    row("draft", "render_data (realize+render, in memory)", r, b, "docxtpl render+save", "s", "≤ 1.0×", r <= b)


def bench_cold(corpus: dict, work: Path, runs: int) -> None:
    print("CLI, cold", flush=True)
    if RW is None:
        print("  (report-writer is not installed next to this Python; skipped)")
        return
    base = str(corpus["base"])
    # python startup alone, for scale
    w, m, _ = median_proc([PY, "-c", "pass"], runs)
    row("cold", "python -c pass (startup only)", w, None, "", "s")

    hw, _, _ = median_proc([RW, "--help"], runs)
    row("cold", "report-writer --help", hw, None, "", "s", "≤ 0.3 s", hw <= 0.3)
    w, m, rc = median_proc([RW, "check", base, "--format", "json"], runs)
    bw, bm, _ = median_proc([PY, "-c", PYDOCX_COLD, base], runs)
    row("cold", "check CLI, one file", w, bw, "python-docx read, cold", "s", "≤ 1.0 s", w <= 1.0)
    row("memory", "check CLI, one file", m, bm, "python-docx read, cold", "MB", "≤ 300 MB", m <= 300)
    # the very first run on a machine: jieba's dictionary is built and cached (XDG_CACHE_HOME empty)
    empty = work / "empty-cache"
    shutil.rmtree(empty, ignore_errors=True)
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(empty)
    try:
        fw, _, _, _ = run_proc([RW, "check", base, "--format", "json"])
    finally:
        if saved is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = saved
    row("cold", "check CLI, first run (no jieba cache yet)", fw, w, "check CLI, cached", "s")
    _, _, _, heavy = run_proc([PY, "-c", CHECK_PROBE, base])
    heavy = heavy.decode().strip().splitlines()[-1]
    row("cold", f"check imports spaCy/cn2an/pkg_resources? ({heavy})", 0.0 if heavy == "none" else 1.0, None, "",
        "x", "none", heavy == "none")
    w2, m2, _ = median_proc([RW, "check", base, "--format", "json", "--no-nlp"], runs)
    row("cold", "check CLI --no-nlp", w2, bw, "python-docx read, cold", "s")

    probes = []
    for _ in range(runs):
        _, _, _, out = run_proc([PY, "-c", IMPORT_PROBE, base])
        probes.append(json.loads(out))
    for key, label in [("cli", "import report_writer.cli.main"), ("check", "import check modules + formats"),
                       ("nlp", "import nlp.judge/pipeline"), ("jieba", "import jieba + cached dictionary"),
                       ("first", "first check_document")]:
        v = statistics.median(p[key] for p in probes)
        row("cold", f"  of which: {label}", v, w, "check CLI total", "s")

    data = str(DATA_FILES[0])
    out = str(work / "cold-draft.docx")
    w, m, rc = median_proc([RW, "draft", data, "-o", out], runs)
    tw, tm, _ = median_proc([PY, "-c", DOCXTPL_COLD, str(work / "template.docx"), str(work / "template-ctx.json"),
                             data, str(work / "cold-docxtpl.docx")], runs)
    row("cold", "draft CLI", w, tw, "docxtpl script, cold", "s", "≤ 1.0 s", w <= 1.0)
    row("memory", "draft CLI", m, tm, "docxtpl script, cold", "MB", "≤ 300 MB", m <= 300)
    _, _, _, heavy = run_proc([PY, "-c", DRAFT_PROBE, data, out])
    heavy = heavy.decode().strip().splitlines()[-1]
    row("draft", f"draft imports spaCy/jieba? ({heavy})", 0.0 if heavy == "none" else 1.0, None, "", "x",
        "none", heavy == "none")


def bench_batch(corpus: dict, work: Path, n: int) -> None:
    print(f"batch of {n}", flush=True)
    if RW is None:
        return
    d = build_batch(work, corpus["drafts"], n)
    res = {}
    for jobs in (1, 2):
        w, m, rc, _ = run_proc([RW, "check", str(d), "--jobs", str(jobs), "--format", "json"])
        res[jobs] = (w, m)
    bw, bm, _, _ = _pydocx_batch(d)
    goal = 20.0 * n / 1000
    row("batch", f"{n} reports --jobs 2", res[2][0], bw, "python-docx read all, 1 process", "s",
        f"≤ {goal:.0f} s", res[2][0] <= goal)
    row("batch", f"{n} reports --jobs 1", res[1][0], bw, "python-docx read all, 1 process", "s")
    row("batch", "speed-up 1 → 2 workers", res[1][0] / res[2][0], 2.0, "ideal", "x")
    row("memory", f"batch --jobs 2, largest process", res[2][1], bm, "python-docx batch", "MB", "≤ 300 MB",
        res[2][1] <= 300)
    row("memory", f"batch --jobs 1", res[1][1], bm, "python-docx batch", "MB", "≤ 300 MB", res[1][1] <= 300)


def bench_memory(corpus: dict) -> None:
    """Peak RSS of the in-process figures, each in a fresh process (pipeline loaded, one check)."""
    print("memory of in-process checks", flush=True)
    probe = "import sys\nfrom report_writer.check.api import check_document\ncheck_document(sys.argv[1])\n"
    for label, path in [("seed draft", corpus["base"])] + [(f"{k}×", p) for k, (p, _) in sorted(corpus["long"].items())]:
        _, m, _, _ = run_proc([PY, "-c", probe, str(path)])
        _, bm, _, _ = run_proc([PY, "-c", PYDOCX_COLD, str(path)])
        row("memory", f"check in-process, {label}", m, bm, "python-docx read", "MB", "≤ 300 MB", m <= 300)
    probe = ("import sys\nfrom report_writer.draft.api import draft_report\n"
             "draft_report(sys.argv[1], sys.argv[2])\n")
    _, m, _, _ = run_proc([PY, "-c", probe, str(DATA_FILES[0]), str(corpus["base"].with_name("mem-draft.docx"))])
    row("memory", "draft in-process", m, None, "", "MB", "≤ 300 MB", m <= 300)


def _pydocx_batch(d: Path) -> tuple[float, float, int, bytes]:
    script = ("import sys, pathlib, docx\nn = 0\nfor f in sorted(pathlib.Path(sys.argv[1]).glob('*.docx')):\n"
              "    doc = docx.Document(str(f))\n    n += sum(len(p.text) for p in doc.paragraphs)\n"
              "    for t in doc.tables:\n        for r in t.rows:\n            for c in r.cells:\n"
              "                n += len(c.text)\nprint(n)\n")
    return run_proc([PY, "-c", script, str(d)])


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="report-writer benchmarks: each figure with its baseline and ratio.")
    ap.add_argument("--quick", action="store_true", help="fewer runs and a 200-report batch (about 2 minutes)")
    ap.add_argument("--workdir", type=Path, help="build the corpus here (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus folder")
    ap.add_argument("--only", choices=["check", "growth", "draft", "cold", "batch", "pdf"], action="append",
                    help="run only these parts (repeatable)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument("--no-settle", action="store_true",
                    help="time without settling the C heap between the two sides (see timed())")
    args = ap.parse_args(argv)
    global SETTLE
    SETTLE = not args.no_settle

    runs = 5 if args.quick else 15
    cold_runs = 3 if args.quick else 5
    batch_n = 200 if args.quick else 1000
    parts = set(args.only or ["check", "growth", "draft", "cold", "batch", "pdf"])

    work = args.workdir or Path(tempfile.mkdtemp(prefix="rw-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    global PYCACHE
    PYCACHE = str(work / "pycache")
    t0 = time.perf_counter()
    print(f"report-writer benchmarks — {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}; corpus in {work}", flush=True)
    try:
        corpus = build_corpus(work, seeds=8 if args.quick else 16)
        print(f"corpus: {sum(len(v) for v in corpus['drafts'].values())} drafts; long reports "
              + ", ".join(f"{k}×={c} chars" for k, (_, c) in sorted(corpus["long"].items())), flush=True)
        if "check" in parts:
            bench_check_inprocess(corpus, runs)
        if "growth" in parts:
            bench_growth(corpus, runs)
        if "pdf" in parts:
            bench_pdf(corpus, work, runs)
        if "draft" in parts or "cold" in parts:
            bench_draft_inprocess(corpus, work, runs)
        if "cold" in parts:
            bench_cold(corpus, work, cold_runs)
        if "batch" in parts:
            bench_batch(corpus, work, batch_n)
        if "check" in parts or "growth" in parts:
            bench_memory(corpus)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    print_table()
    missed = [r for r in ROWS if r["met"] is False]
    print(f"\n{len([r for r in ROWS if r['met']])} goals met, {len(missed)} missed; "
          f"total {time.perf_counter() - t0:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(ROWS, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
