"""The three statutory tables as grids of cells, built from the Format (never hard-coded labels).

Each builder returns a `Grid`: column widths (as fractions of the text width) and rows of
`GridCell`s that carry their horizontal span and vertical-merge role, in the shape of the
official form of that format year. `render_docx` turns a Grid into WordprocessingML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from ..formats import Block, Column, Format, Row, Table
from ..data.model import Cell, ReportData, format_decimal
from .render_style import DocStyle

VMerge = Literal["restart", "continue"] | None


@dataclass(frozen=True)
class GridCell:
    text: str
    span: int = 1
    vmerge: VMerge = None
    align: Literal["left", "center", "right"] = "center"
    header: bool = False
    source: str | None = None  # data field path of a value cell: table3.r1.total


@dataclass
class Grid:
    table: str
    widths_mm: list[float]
    rows: list[list[GridCell]] = field(default_factory=list)
    header_rows: int = 0  # rows repeated at the top of each page
    keep_with_next: set[int] = field(default_factory=set)  # rows kept on the page of the next row
    size_pt: float = 9

    def check(self) -> None:
        """Every row covers the whole grid (a bug here would corrupt the document)."""
        n = len(self.widths_mm)
        for i, row in enumerate(self.rows):
            if sum(c.span for c in row) != n:
                raise AssertionError(f"{self.table} row {i} spans {sum(c.span for c in row)} of {n} columns")


# ---------------------------------------------------------------- cell text


def cell_text(cell: Cell | None, col: Column, style: DocStyle) -> str:
    """How a cell is printed: numbers as written (no separators), empty stays empty, "/" stays "/"."""
    if cell is None or cell.state == "empty":
        return ""
    if cell.state != "number" or cell.value is None:
        return {"slash": "/", "dash": "—", "none": "无"}.get(cell.state, cell.raw or "")
    v = cell.value
    if col.kind == "change":
        n = int(v)
        if n == 0:
            return "0"
        return f"{style.numbers.increase if n > 0 else style.numbers.decrease}{abs(n)}"
    if col.kind == "money":
        if v == 0:  # no fee, no purchase: 0, not 0.00 (nothing to round)
            return "0" + (col.unit or "" if col.print_unit else "")
        places = max(style.numbers.money_decimals, -v.as_tuple().exponent if v.as_tuple().exponent < 0 else 0)
        text = format(v.quantize(Decimal(1).scaleb(-places)), "f") if places else format_decimal(v)
        return text + (col.unit or "" if col.print_unit else "")
    return format_decimal(v)


def _value(data: ReportData, table: str, row: Row, col: Column, style: DocStyle) -> GridCell:
    return GridCell(cell_text(data.cell(table, row.id, col.id), col, style), source=f"{table}.{row.id}.{col.id}")


# ---------------------------------------------------------------- 表二


def _block_bounds(block: Block) -> list[Fraction]:
    k = len(block.columns)
    return [Fraction(i, k) for i in range(k + 1)]


def table2_grid(fmt: Format, data: ReportData, style: DocStyle) -> Grid:
    """One grid for all blocks. The value area is cut at every block's column boundaries, so
    blocks with 3 and 2 value columns share one grid (2019: 1 + 4 = 5 columns) and a single-value
    row spans all value columns (2021: 1 + 3 = 4 columns)."""
    t = fmt.table("table2")
    bounds = sorted({b for block in t.blocks for b in _block_bounds(block)})
    value_w = style.page.text_width_mm - style.tables.table2.label_width_mm
    widths = [style.tables.table2.label_width_mm] + [float(value_w * (hi - lo)) for lo, hi in zip(bounds, bounds[1:])]
    grid = Grid("table2", widths, size_pt=style.tables.table2.size)
    full = len(widths)

    def spans(block: Block) -> list[int]:
        b = _block_bounds(block)
        return [bounds.index(hi) - bounds.index(lo) for lo, hi in zip(b, b[1:])]

    for block in t.blocks:
        sp = spans(block)
        # A block (caption, header, its rows) is never split over two pages.
        grid.keep_with_next.update(range(len(grid.rows), len(grid.rows) + 1 + len(block.rows)))
        grid.rows.append([GridCell(block.caption, span=full, header=True)])
        grid.rows.append([GridCell(t.label_header or "", header=True)]
                         + [GridCell(c.label, span=s, header=True) for c, s in zip(block.columns, sp)])
        for row in block.rows:
            grid.rows.append([GridCell(row.label)]
                             + [_with_span(_value(data, "table2", row, c, style), s) for c, s in zip(block.columns, sp)])
    grid.check()
    return grid


def _with_span(c: GridCell, span: int) -> GridCell:
    return GridCell(c.text, span=span, vmerge=c.vmerge, align=c.align, header=c.header, source=c.source)


# ---------------------------------------------------------------- 表三


def _depth(t: Table, row: Row) -> int:
    d, parent = 0, row.parent
    while parent:
        d += 1
        parent = t.row(parent).parent
    return d


def _leaf_descendants(t: Table, group_id: str) -> list[Row]:
    out = []
    for r in t.rows:
        p = r.parent
        while p and p != group_id:
            p = t.row(p).parent
        if p == group_id and not r.group:
            out.append(r)
    return out


def table3_grid(fmt: Format, data: ReportData, style: DocStyle) -> Grid:
    """Corner note merged 3×3; 申请人情况 / 自然人 | 法人或其他组织 (5) | 总计; a 3-column label area in
    which a row at depth d starts in label column d+1 and spans to the last label column, and a
    group label is merged vertically over the rows of its members."""
    t = fmt.table("table3")
    label_cols = 3
    cols = t.columns
    lw = list(style.tables.table3.label_widths_mm)
    vw = (style.page.text_width_mm - sum(lw)) / len(cols)
    grid = Grid("table3", lw + [vw] * len(cols), header_rows=3, size_pt=style.tables.table3.size)

    group_label = t.header.get("group", "")
    grouped = [c for c in cols if c.group]
    first_grouped = cols.index(grouped[0]) if grouped else -1

    # Header row 1: corner note | 申请人情况 across every value column.
    grid.rows.append([GridCell(t.corner_note or "", span=label_cols, vmerge="restart", header=True),
                      GridCell(t.header.get("top", ""), span=len(cols), header=True)])
    # Header row 2: ungrouped columns merge down over row 3; grouped ones share one caption.
    row2: list[GridCell] = [GridCell("", span=label_cols, vmerge="continue", header=True)]
    row3: list[GridCell] = [GridCell("", span=label_cols, vmerge="continue", header=True)]
    for i, c in enumerate(cols):
        if c.group:
            if i == first_grouped:
                row2.append(GridCell(c.group or group_label, span=len(grouped), header=True))
            row3.append(GridCell(c.label, header=True))
        else:
            row2.append(GridCell(c.label, vmerge="restart", header=True))
            row3.append(GridCell("", vmerge="continue", header=True))
    grid.rows += [row2, row3]

    # Body: the label part of each leaf row, walking its ancestors from the outermost.
    first_leaf_of: dict[str, str] = {}
    for r in t.rows:
        if r.group:
            leaves = _leaf_descendants(t, r.id)
            if leaves:
                first_leaf_of[r.id] = leaves[0].id
    for row in t.data_rows():
        depth = _depth(t, row)
        ancestors: list[Row] = []
        p = row.parent
        while p:
            ancestors.insert(0, t.row(p))
            p = ancestors[0].parent
        cells: list[GridCell] = []
        for level, g in enumerate(ancestors):
            if first_leaf_of.get(g.id) == row.id:
                cells.append(GridCell(g.label, vmerge="restart", align="center"))
            else:
                cells.append(GridCell("", vmerge="continue"))
        cells.append(GridCell(row.label, span=label_cols - depth, align="left"))
        cells += [_value(data, "table3", row, c, style) for c in cols]
        grid.rows.append(cells)
    # Page breaks fall only between groups: the rows of a sub-group (（三）1–8 …) stay together,
    # the first rows stay with the header (which repeats on the next page anyway) and the last
    # three rows stay together, so no row is stranded alone.
    first_body = grid.header_rows
    leaves = t.data_rows()
    for i, row in enumerate(leaves[:-1]):
        nxt = leaves[i + 1]
        if row.parent and row.parent == nxt.parent and _depth(t, row) > 1:
            grid.keep_with_next.add(first_body + i)
    grid.keep_with_next.update({first_body, first_body + 1})
    grid.keep_with_next.update(range(len(grid.rows) - 3, len(grid.rows) - 1))
    grid.check()
    return grid


# ---------------------------------------------------------------- 表四


def table4_grid(fmt: Format, data: ReportData, style: DocStyle) -> Grid:
    """行政复议 (5, over two header rows) | 行政诉讼 (10) split into its two row groups, then the
    five result columns per group, then one data row of 15 numbers."""
    t = fmt.table("table4")
    cols = t.columns
    groups = t.data_rows()
    n = len(cols) * len(groups)
    grid = Grid("table4", [style.page.text_width_mm / n] * n, header_rows=3, size_pt=style.tables.table4.size)
    top: list[GridCell] = []
    mid: list[GridCell] = []
    i = 0
    while i < len(groups):
        g = groups[i]
        if g.group_label:
            members = [x for x in groups[i:] if x.group_label == g.group_label]
            top.append(GridCell(g.group_label, span=len(cols) * len(members), header=True))
            mid += [GridCell(m.label, span=len(cols), header=True) for m in members]
            i += len(members)
        else:
            top.append(GridCell(g.label, span=len(cols), vmerge="restart", header=True))
            mid.append(GridCell("", span=len(cols), vmerge="continue", header=True))
            i += 1
    grid.rows.append(top)
    grid.rows.append(mid)
    grid.rows.append([GridCell(c.label, header=True) for _ in groups for c in cols])
    grid.rows.append([_value(data, "table4", g, c, style) for g in groups for c in cols])
    grid.keep_with_next.update(range(len(grid.rows) - 1))
    grid.check()
    return grid


BUILDERS = {"table2": table2_grid, "table3": table3_grid, "table4": table4_grid}


def build_grid(table_id: str, fmt: Format, data: ReportData, style: DocStyle) -> Grid:
    if table_id not in BUILDERS:
        raise KeyError(f"未知的表格“{table_id}”，应为 table2、table3 或 table4")
    return BUILDERS[table_id](fmt, data, style)
