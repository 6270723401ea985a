"""Real published reports: what `check` reads and what it reports, per file.

    PYTHONPATH=src .venv/bin/python benchmarks/real_reports.py [DIR]   # default ../shared/real

For each report: error/warning/info findings, how many of 表二/表三/表四 were mapped (at least one
number read), the cells read and the cells left unsure, and the check time. Run it with another
checkout's src on PYTHONPATH to compare before/after (it uses only check_document and the mapper's
result, which every version has).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    base = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "real"
    if not base.is_dir():
        base = Path("/work/shared/real")
    from report_writer.check.api import check_document
    from report_writer.read import ReadError

    files = sorted(base.rglob("*.txt"))
    print(f"{'file':22} {'error':>5} {'warn':>5} {'info':>5} {'tables':>6} {'cells':>6} {'unsure':>6} {'ms':>7}")
    totals = [0, 0, 0, 0]
    for f in files:
        t0 = time.perf_counter()
        try:
            r = check_document(f)
        except ReadError as e:
            print(f"{f.name:22} unreadable: {e.message[:60]}")
            continue
        ms = (time.perf_counter() - t0) * 1000
        levels = [sum(1 for x in r.findings if x.level == lv) for lv in ("error", "warning", "info")]
        tables = sum(1 for t in r.report.tables.values() if any(c.is_number for row in t.values() for c in row.values()))
        cells = sum(1 for t in r.report.tables.values() for row in t.values() for c in row.values())
        unsure = len(getattr(r.mapped, "unsure", {}) or {})
        totals = [a + b for a, b in zip(totals, levels + [tables])]
        print(f"{f.name:22} {levels[0]:5} {levels[1]:5} {levels[2]:5} {tables:6} {cells:6} {unsure:6} {ms:7.0f}")
    print(f"{'total':22} {totals[0]:5} {totals[1]:5} {totals[2]:5} {totals[3]:6}   (of {3 * len(files)} tables)")


if __name__ == "__main__":
    main()
