"""Fixture builders for the reader/mapper tests: official-layout .docx tables built with python-docx.

The layout follows format-spec §3–§5: 表二 as one 4-column grid with merged caption rows, 表三 with a
3-column label area (vertical group labels) and 3 header rows, 表四 with 3 header rows and one row
of 15. Labels come from the format objects, values from a ReportData's tables.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn

from report_writer.formats import Format
from report_writer.data.model import Cell as MCell

ROOT = Path(__file__).resolve().parents[1]


def shared_path(rel: str) -> Path | None:
    for base in (Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")):
        if (base / rel).is_file():
            return base / rel
    return None


def shown(c: MCell | None) -> str:
    if c is None or c.state == "empty":
        return ""
    if c.state == "number":
        return c.shown()
    return {"slash": "/", "dash": "—", "none": "无"}.get(c.state, c.raw or "")


def set_text(cell, text: str, *, split: bool = False, bold: bool = False) -> None:
    """Write text into a table cell; line breaks become w:br, `split` spreads it over several runs."""
    p = cell.paragraphs[0]
    for i, part in enumerate(text.split("\n")):
        if i:
            p.runs[-1].add_break()
        if split and len(part) > 1:
            mid = len(part) // 2
            for chunk in (part[:mid], part[mid:]):
                r = p.add_run(chunk)
                r.bold = bold
        else:
            r = p.add_run(part)
            r.bold = bold


def add_table2(d, fmt: Format, data: dict, label_map=lambda s: s):
    t2 = fmt.table("table2")
    n_rows = sum(2 + len(b.rows) for b in t2.blocks)
    tbl = d.add_table(rows=n_rows, cols=4)
    r = 0
    for b in t2.blocks:
        cap = tbl.cell(r, 0).merge(tbl.cell(r, 3))
        set_text(cap, b.caption)
        r += 1
        set_text(tbl.cell(r, 0), t2.label_header or "")
        widths = _spread(len(b.columns))
        for (start, end), col in zip(widths, b.columns):
            c = tbl.cell(r, start) if start == end else tbl.cell(r, start).merge(tbl.cell(r, end))
            set_text(c, col.label)
        r += 1
        for row in b.rows:
            set_text(tbl.cell(r, 0), label_map(row.label))
            for (start, end), col in zip(widths, b.columns):
                c = tbl.cell(r, start) if start == end else tbl.cell(r, start).merge(tbl.cell(r, end))
                set_text(c, shown(data.get(row.id, {}).get(col.id)), split=True)
            r += 1
    return tbl


def _spread(n: int) -> list[tuple[int, int]]:
    """Value columns 1..3 shared by n columns (1 → one merged cell, 2 → 1 + 2, 3 → one each)."""
    if n == 1:
        return [(1, 3)]
    if n == 2:
        return [(1, 1), (2, 3)]
    return [(1, 1), (2, 2), (3, 3)]


def add_table3(d, fmt: Format, data: dict, label_map=lambda s: s, col_label_map=lambda s: s,
               rows_filter=None):
    t3 = fmt.table("table3")
    rows = [r for r in t3.rows if rows_filter is None or rows_filter(r)]
    # leaf rows and rows of a group label column: depth 0 (r1), 1 (r3_1 under g3), 2 (r3_3_1 under g3_3)
    by_id = {r.id: r for r in t3.rows}

    def depth(r):
        k = 0
        while r.parent:
            k += 1
            r = by_id[r.parent]
        return k

    leaves = [r for r in rows if not r.group]
    tbl = d.add_table(rows=3 + len(leaves), cols=10)
    corner = tbl.cell(0, 0).merge(tbl.cell(2, 2))
    set_text(corner, t3.corner_note or "")
    set_text(tbl.cell(0, 3).merge(tbl.cell(0, 9)), t3.header.get("top", ""))
    cols = t3.columns
    set_text(tbl.cell(1, 3).merge(tbl.cell(2, 3)), col_label_map(cols[0].label))
    set_text(tbl.cell(1, 4).merge(tbl.cell(1, 8)), t3.header.get("group", ""))
    for k, col in enumerate(cols[1:6]):
        set_text(tbl.cell(2, 4 + k), col_label_map(col.label))
    set_text(tbl.cell(1, 9).merge(tbl.cell(2, 9)), col_label_map(cols[6].label))
    # group label cells: vertical merges over their leaf rows
    leaf_row = {r.id: 3 + i for i, r in enumerate(leaves)}

    def leaf_desc(gid):
        out = []
        for r in leaves:
            p = r
            while p.parent:
                if p.parent == gid:
                    out.append(r)
                    break
                p = by_id[p.parent]
        return out

    for g in [r for r in rows if r.group]:
        desc = leaf_desc(g.id)
        if not desc:
            continue
        col = depth(g)
        top, bottom = leaf_row[desc[0].id], leaf_row[desc[-1].id]
        c = tbl.cell(top, col) if top == bottom else tbl.cell(top, col).merge(tbl.cell(bottom, col))
        set_text(c, label_map(g.label))
    for r in leaves:
        i = leaf_row[r.id]
        dep = depth(r)
        c = tbl.cell(i, dep) if dep == 2 else tbl.cell(i, dep).merge(tbl.cell(i, 2))
        set_text(c, label_map(r.label))
        for k, col in enumerate(cols):
            set_text(tbl.cell(i, 3 + k), shown(data.get(r.id, {}).get(col.id)), split=(k == 0))
    return tbl


def add_table4(d, fmt: Format, data: dict):
    t4 = fmt.table("table4")
    tbl = d.add_table(rows=4, cols=15)
    set_text(tbl.cell(0, 0).merge(tbl.cell(1, 4)), t4.header.get("review", t4.rows[0].label))
    set_text(tbl.cell(0, 5).merge(tbl.cell(0, 14)), t4.header.get("litigation", ""))
    set_text(tbl.cell(1, 5).merge(tbl.cell(1, 9)), t4.rows[1].label)
    set_text(tbl.cell(1, 10).merge(tbl.cell(1, 14)), t4.rows[2].label)
    for g, r in enumerate(t4.rows):
        for k, col in enumerate(t4.columns):
            label = col.label
            set_text(tbl.cell(2, g * 5 + k), label[:2] + "\n" + label[2:])
            set_text(tbl.cell(3, g * 5 + k), shown(data.get(r.id, {}).get(col.id)))
    return tbl


def build_report_docx(path: Path, fmt: Format, tables: dict, *, title: str = "某某县人民政府2020年政府信息公开工作年度报告",
                      label_map=lambda s: s, col_label_map=lambda s: s, extra=None) -> Path:
    d = docx.Document()
    d.add_heading(title, level=0)
    d.add_paragraph("本报告依据《中华人民共和国政府信息公开条例》编制，全文包括总体情况、主动公开政府信息情况等六部分。")
    for sec in fmt.sections:
        d.add_heading(sec.title, level=1)
        if sec.id == "overview":
            d.add_paragraph("（一）主动公开情况。一是加强用权公开，全年公开信息100条。")
            d.add_paragraph("（二）依申请公开情况。全年收到申请23件。")
        elif sec.id == "proactive":
            add_table2(d, fmt, tables.get("table2", {}), label_map)
        elif sec.id == "requests":
            add_table3(d, fmt, tables.get("table3", {}), label_map, col_label_map)
        elif sec.id == "appeals":
            add_table4(d, fmt, tables.get("table4", {}))
        else:
            d.add_paragraph("无。")
        if extra is not None:
            extra(d, sec)
    d.save(str(path))
    return path


def cell_xml(tbl):
    return tbl._tbl


def w(tag: str) -> str:
    return qn(tag)
