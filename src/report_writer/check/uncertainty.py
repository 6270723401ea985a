"""Honest uncertainty: nothing is judged on a cell the reader could not read with certainty.

The mapper records what it could not read: cells whose glued digits split more than one way (or
no way), rows whose cells could not be assigned to columns, and tables it recognised (caption,
header or rows) without reading a cell. Here every finding that rests on such a cell is dropped —
an empty-cell error, a sum that includes it — and the reader's doubt is said once instead:
TABLE-UNREAD per table that was not (fully) read, CELL-AMBIGUOUS per row of unsure cells.
"""

from __future__ import annotations

from ..findings import Finding, Location
from ..formats import Format

_TABLE_WIDE = ("CELL-EMPTY", "MAP-MISSING-ROW", "MAP-MISSING-TABLE", "MAP-COLUMNS", "SUM-CELL")


IN_TEXT = "表格内容出现在正文段落中，未能识别其各行各列"
MIN_LABELS_IN_TEXT = 4  # labels of one table (at least two of them row labels) in one paragraph


def note_tables_in_text(doc, fmt: Format, mapped) -> None:
    """A table that only survives as text inside a paragraph (its layout lost beyond repair) is
    present, not missing: record it so that it is said unread instead of accused of being empty."""
    from ..read import labels

    seen = getattr(mapped, "seen", None)
    if seen is None:
        return
    keys = [labels.key(p.text) for p in getattr(doc, "paragraphs", [])]
    for tid, table in fmt.tables.items():
        data = (getattr(mapped, "tables", {}) or {}).get(tid, {})
        if tid in seen or any(c.is_number for row in data.values() for c in row.values()):
            continue
        rows = {labels.key(r.label) for r in table.data_rows() if len(labels.key(r.label)) >= 4}
        cols = {labels.key(c.label) for c in table.columns} | {labels.key(b.caption) for b in table.blocks}
        for k in keys:
            n_rows = sum(1 for r in rows if r in k)
            if n_rows >= 2 and n_rows + sum(1 for c in cols if c and c in k) >= MIN_LABELS_IN_TEXT:
                seen[tid] = -1
                mapped.unread_rows[(tid, "")] = IN_TEXT
                break


def _unread_tables(fmt: Format, mapped) -> dict[str, str]:
    """Tables recognised in the document but not (completely) read: table id -> reason."""
    out: dict[str, str] = {}
    seen = getattr(mapped, "seen", {}) or {}
    unread_rows = getattr(mapped, "unread_rows", {}) or {}
    for tid in fmt.tables:
        data = (getattr(mapped, "tables", {}) or {}).get(tid, {})
        numbers = any(c.is_number for row in data.values() for c in row.values())
        reasons = [why for (t, _r), why in unread_rows.items() if t == tid]
        unsure = any(t == tid for (t, _r, _c) in (getattr(mapped, "unsure", {}) or {}))
        if tid in seen and not numbers and not unsure:
            out[tid] = "；".join(reasons[:3]) if reasons else "表中各行各列未能识别"
        elif reasons:
            out[tid] = "；".join(reasons[:3]) + ("等" if len(reasons) > 3 else "")
    return out


def doubtful_cells(fmt: Format, mapped) -> set[tuple[str, str, str]]:
    """Every (table, row, col) that must not be judged."""
    out = set((getattr(mapped, "unsure", {}) or {}).keys())
    unread = _unread_tables(fmt, mapped)
    unread_rows = getattr(mapped, "unread_rows", {}) or {}
    for tid, table in fmt.tables.items():
        data = (getattr(mapped, "tables", {}) or {}).get(tid, {})
        numbers = any(c.is_number for row in data.values() for c in row.values())
        for row in table.data_rows():
            whole = (tid, row.id) in unread_rows or (tid in unread and not numbers)
            if whole:
                out.update((tid, row.id, c.id) for c in table.columns_of(row.id))
    return out


def _sum_unit_cells(rule, loc: Location) -> set[tuple[str, str, str]]:
    if rule.each == "column":
        col = loc.col
        return {(rule.table, r, col) for r in rule.left + rule.right}
    return {(rule.table, loc.row, c) for c in rule.left + rule.right if loc.row}


def screen(fmt: Format, mapped, findings: list[Finding]) -> list[Finding]:
    """The findings minus those that rest on a doubtful cell or on a table that was not read."""
    doubtful = doubtful_cells(fmt, mapped)
    if not doubtful:
        return findings
    unread = _unread_tables(fmt, mapped)
    sums = {r.id: r for r in fmt.rules if r.kind == "sum"}
    doubtful_rows = {(t, r) for t, r, _c in doubtful}
    doubtful_tables = {t for t, _r, _c in doubtful}
    out = []
    for f in findings:
        loc = f.location
        tid = loc.table
        if f.rule in sums and tid == sums[f.rule].table:
            if _sum_unit_cells(sums[f.rule], loc) & doubtful:
                continue
        elif f.rule in _TABLE_WIDE and tid in doubtful_tables:
            if f.rule == "SUM-CELL":
                continue  # it rests on several sums of this table at once
            if f.rule in ("MAP-COLUMNS", "MAP-MISSING-TABLE") and tid in unread:
                continue  # said once by TABLE-UNREAD
            if loc.row is None and f.rule == "CELL-EMPTY":
                continue
            if loc.row is not None and loc.col is not None and (tid, loc.row, loc.col) in doubtful:
                continue
            if loc.row is not None and loc.col is None and (tid, loc.row) in doubtful_rows:
                continue
        out.append(f)
    return out


def notes(fmt: Format, mapped, locate) -> list[Finding]:
    """One TABLE-UNREAD per table not (fully) read, one CELL-AMBIGUOUS per row of unsure cells."""
    out: list[Finding] = []
    for tid, why in _unread_tables(fmt, mapped).items():
        table = fmt.table(tid)
        loc = locate(tid, None, None)
        out.append(Finding(rule="TABLE-UNREAD", level="warning", location=loc,
                           message=f"{table.name}未能完整读取（{why}），其勾稽关系未检查"))
    rows: dict[tuple[str, str], str] = {}
    for (tid, rid, _cid), why in sorted((getattr(mapped, "unsure", {}) or {}).items()):
        rows.setdefault((tid, rid), why)
    for (tid, rid), why in rows.items():
        table = fmt.table(tid)
        label = table.row(rid).label
        out.append(Finding(rule="CELL-AMBIGUOUS", level="info", location=locate(tid, rid, None),
                           message=f"{table.name}“{label}”一行{why}，未据此检查"))
    return out


def table_readings(fmt: Format, mapped, doc) -> list[dict]:
    """How each statutory table was read, for the JSON output."""
    out = []
    positions = getattr(mapped, "table_positions", {}) or {}
    seen = getattr(mapped, "seen", {}) or {}
    unsure = getattr(mapped, "unsure", {}) or {}
    unread = _unread_tables(fmt, mapped)
    for tid, table in fmt.tables.items():
        idx = positions.get(tid, seen.get(tid))
        if idx is None:
            continue
        idx = None if idx < 0 else idx
        data = (getattr(mapped, "tables", {}) or {}).get(tid, {})
        cells = sum(1 for row in data.values() for c in row.values())
        doubt = sum(1 for (t, _r, _c) in unsure if t == tid)
        status = "unread" if tid in unread and not cells else ("partial" if tid in unread or doubt else "read")
        reading = doc.tables[idx].reading if idx is not None and idx < len(doc.tables) else ""
        out.append({"table": tid, "name": table.name, "table_index": idx, "reading": reading or None,
                    "status": status, "cells_read": cells, "cells_unsure": doubt,
                    "reason": unread.get(tid)})
    return out
