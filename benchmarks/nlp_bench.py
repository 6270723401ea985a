"""Time the NLP pass: jieba's load, then narrative_findings per report (median of runs).

    .venv/bin/python benchmarks/nlp_bench.py [report.txt|.docx ...] [--runs 30]

Without arguments it times the seed report (../shared/seed) and the real 2023 city report
(../shared/real) when present. The budget is 20 ms per seed-sized report after loading.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _default_inputs() -> list[Path]:
    for base in (ROOT.parent / "shared", Path("/work/shared")):
        if base.is_dir():
            return [p for p in (base / "seed" / "jinzhai-2020-annual-report.txt", base / "real" / "suqian-2023.txt")
                    if p.is_file()]
    return []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args(argv)
    files = args.files or _default_inputs()
    if not files:
        print("没有可计时的报告（未找到共享资料目录），请给出文件路径", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    from report_writer.nlp import pipeline

    pipeline._jieba()  # what a check loads (no spaCy): jieba and its dictionary
    load = time.perf_counter() - t0
    print(f"jieba load: {load * 1000:.0f} ms (dictionary and domain words: {pipeline.JIEBA_SECONDS * 1000:.0f} ms)")

    from report_writer.check.api import check_source
    from report_writer.read import read_document
    from report_writer.nlp.judge import logical_paragraphs, narrative_findings

    for path in files:
        doc = read_document(path)
        base = check_source(doc, nlp=False)
        paras = logical_paragraphs(doc, base.sections)
        chars = sum(len(p.text) for p in paras)
        narrative_findings(doc, base.sections, base.report)  # warm caches
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            found = narrative_findings(doc, base.sections, base.report)
            times.append(time.perf_counter() - t)
        med = statistics.median(times) * 1000
        print(f"{path.name}: {len(paras)} narrative paragraphs, {chars} chars; per report median {med:.1f} ms, "
              f"min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms; {len(found)} findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
