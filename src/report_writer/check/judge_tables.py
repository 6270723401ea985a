"""Table checks that go beyond run_rules: one wrong cell behind several broken sums
(SUM-CELL) and every cell of the document against the data file (DATA-CELL)."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from ..data.model import Cell, ReportData, format_decimal
from ..findings import Finding, Location
from ..formats import Format, Rule
from ..rules import cell_name, check_sum

Locate = Callable[[str, str | None, str | None], Location]


def _units(rule: Rule, fmt: Format, data: ReportData):
    """The (left cells, right cells) of each unit of a sum rule, as check_sum enumerates them."""
    table = fmt.table(rule.table)
    present = data.tables.get(rule.table, {})
    if rule.each == "column":
        units = [([(r, c.id) for r in rule.left], [(r, c.id) for r in rule.right]) for c in table.columns]
    else:
        units = [([(r.id, c) for c in rule.left], [(r.id, c) for c in rule.right]) for r in table.data_rows()]
    for left, right in units:
        if not any(present.get(r, {}).get(c) is not None and present[r][c].is_number for r, c in left + right):
            continue
        yield left, right


def _residual(data: ReportData, table: str, left, right) -> Decimal:
    return (sum((data.value(table, r, c) for r, c in left), Decimal(0))
            - sum((data.value(table, r, c) for r, c in right), Decimal(0)))


def consolidate_sums(fmt: Format, data: ReportData, findings: list[Finding], locate: Locate) -> list[Finding]:
    """Replace the sum findings of a table by one SUM-CELL finding when a single cell explains them all.

    A wrong number in 表三 breaks its row total and its column total at once (and often the
    勾稽 identity too); a reviewer wants the one cell to fix, not three findings.
    """
    sum_rules = {r.id: r for r in fmt.rules if r.kind == "sum"}
    out = list(findings)
    for tid in fmt.tables:
        rules = [r for r in sum_rules.values() if r.table == tid]
        mine = [f for f in findings if f.rule in sum_rules and sum_rules[f.rule].table == tid]
        if len(mine) < 2:
            continue
        violated = [(rule, left, right, _residual(data, tid, left, right))
                    for rule in rules for left, right in _units(rule, fmt, data)]
        violated = [v for v in violated if v[3] != 0]
        candidates = []
        for row in fmt.table(tid).data_rows():
            for col in fmt.table(tid).columns_of(row.id):
                key = (row.id, col.id)
                needed = set()
                ok = True
                for rule, left, right, res in violated:
                    if key in left:
                        needed.add(data.value(tid, *key) - res)
                    elif key in right:
                        needed.add(data.value(tid, *key) + res)
                    else:
                        ok = False
                        break
                if not ok or len(needed) != 1:
                    continue
                new = needed.pop()
                if new < 0:
                    continue
                trial = data.model_copy(deep=True)
                trial.tables.setdefault(tid, {}).setdefault(row.id, {})[col.id] = Cell.number(new)
                if any(check_sum(r, fmt, trial, locate) for r in rules):
                    continue
                candidates.append((row.id, col.id, new))
        if len(candidates) != 1:
            continue
        rid, cid, new = candidates[0]
        table = fmt.table(tid)
        cell = data.cell(tid, rid, cid)
        found = cell.shown() if cell is not None else "（空白）"
        broken = "、".join(sorted({f.rule for f in mine}))
        merged = Finding(
            rule="SUM-CELL", level="error", expected=format_decimal(new), found=found,
            location=locate(tid, rid, cid),
            message=f"{cell_name(table, rid, cid)}为 {found}，使{len(mine)}处勾稽关系不成立（{broken}）；"
                    f"若该数为 {format_decimal(new)}，各项勾稽关系均成立，请核对该单元格")
        out = [f for f in out if f not in mine]
        out.append(merged)
    return out


def compare_with_data(fmt: Format, doc_data: ReportData, data: ReportData, locate: Locate) -> list[Finding]:
    """DATA-CELL: each number of the document's tables against the data file.

    Cells the document leaves empty or writes as "/" are CELL-EMPTY's to report; tables of
    another format version are X-FORMAT's.
    """
    if data.format_id != fmt.id:
        return []
    out = []
    for tid, table in fmt.tables.items():
        for row in table.data_rows():
            for col in table.columns_of(row.id):
                mine = doc_data.cell(tid, row.id, col.id)
                theirs = data.cell(tid, row.id, col.id)
                if mine is None or theirs is None or not mine.is_number or not theirs.is_number:
                    continue
                if mine.value == theirs.value:
                    continue
                want, got = format_decimal(theirs.value), format_decimal(mine.value)
                out.append(Finding(
                    rule="DATA-CELL", level="error", expected=want, found=got, location=locate(tid, row.id, col.id),
                    message=f"{cell_name(table, row.id, col.id)}为 {got}，数据文件中为 {want}"))
    return out
