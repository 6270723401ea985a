"""Where each label and each input cell of the printed forms sits on a worksheet.

Computed from the Format object alone, so the writer and the reader agree on every
position and no label is typed in code. Rows and columns are 1-based as in openpyxl.

表二: one label column, then as many value columns as the widest block; each block is a
caption row, a header row (信息内容 + column labels) and its data rows; a block with fewer
columns lets its last column span the rest (2021: single-value rows span three columns).
表三: a label area as deep as the row tree (三、本年度办理结果 vertical over its rows,
（三）…（六） over their items), three header rows (申请人情况 / 自然人, 法人或其他组织, 总计 /
the organisation kinds), the corner note over the label area of the header.
表四: the printed single row of 15 cells under three header rows (行政复议 | 行政诉讼 →
未经复议直接起诉, 复议后起诉 → 结果维持 … 总计).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from ..formats import Table

TITLE_ROW = 1  # section title, e.g. 三、收到和处理政府信息公开申请情况
HINT_ROW = 2  # one line of filling instructions
FIRST_ROW = 3  # first row of the form itself


@dataclass(frozen=True)
class Span:
    row: int
    col: int
    rows: int = 1
    cols: int = 1

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.col)}{self.row}"

    @property
    def range(self) -> str:
        end = f"{get_column_letter(self.col + self.cols - 1)}{self.row + self.rows - 1}"
        return self.ref if (self.rows, self.cols) == (1, 1) else f"{self.ref}:{end}"

    def covers(self, row: int, col: int) -> bool:
        return self.row <= row < self.row + self.rows and self.col <= col < self.col + self.cols


@dataclass(frozen=True)
class Label:
    span: Span
    text: str
    kind: str  # caption | header | row | corner


@dataclass
class Layout:
    table: Table
    width: int = 0  # number of grid columns
    labels: list[Label] = field(default_factory=list)
    inputs: dict[tuple[str, str], Span] = field(default_factory=dict)  # (row id, col id) -> input cell
    last_row: int = FIRST_ROW

    def add_label(self, row: int, col: int, text: str, kind: str, rows: int = 1, cols: int = 1) -> None:
        self.labels.append(Label(Span(row, col, rows, cols), text, kind))
        self.last_row = max(self.last_row, row + rows - 1)

    def add_input(self, row_id: str, col_id: str, row: int, col: int, cols: int = 1) -> None:
        self.inputs[(row_id, col_id)] = Span(row, col, 1, cols)
        self.last_row = max(self.last_row, row)

    def merges(self) -> set[str]:
        """Every merged range the form itself has (labels and wide input cells)."""
        spans = [lab.span for lab in self.labels] + list(self.inputs.values())
        return {s.range for s in spans if (s.rows, s.cols) != (1, 1)}


def layout(table: Table) -> Layout:
    if table.blocks:
        return _table2(table)
    if any(r.group_label for r in table.rows) or table.header.get("review"):
        return _table4(table)
    return _table3(table)


def _table2(table: Table) -> Layout:
    lay = Layout(table)
    n_val = max(len(b.columns) for b in table.blocks)
    lay.width = 1 + n_val
    r = FIRST_ROW
    for block in table.blocks:
        lay.add_label(r, 1, block.caption, "caption", cols=lay.width)
        r += 1
        lay.add_label(r, 1, table.label_header or "", "header")
        widths = _spread(len(block.columns), n_val)
        c = 2
        for col, w in zip(block.columns, widths):
            lay.add_label(r, c, col.label, "header", cols=w)
            c += w
        r += 1
        for row in block.rows:
            lay.add_label(r, 1, row.label, "row")
            c = 2
            for col, w in zip(block.columns, widths):
                lay.add_input(row.id, col.id, r, c, cols=w)
                c += w
            r += 1
    return lay


def _spread(n: int, total: int) -> list[int]:
    """Widths of n columns over `total` grid columns: the last one takes what is left."""
    return [1] * (n - 1) + [total - (n - 1)]


def _depths(table: Table) -> dict[str, int]:
    parents = {r.id: r.parent for r in table.rows}
    out = {}
    for r in table.rows:
        d, p = 0, r.parent
        while p:
            d, p = d + 1, parents.get(p)
        out[r.id] = d
    return out


def _table3(table: Table) -> Layout:
    lay = Layout(table)
    depth = _depths(table)
    n_label = max(depth.values()) + 1
    cols = table.columns
    lay.width = n_label + len(cols)
    top = FIRST_ROW
    header_rows = 3 if any(c.group for c in cols) else 2
    if table.corner_note is not None:
        lay.add_label(top, 1, table.corner_note, "corner", rows=header_rows, cols=n_label)
    lay.add_label(top, n_label + 1, table.header.get("top", ""), "header", cols=len(cols))
    c = n_label + 1
    i = 0
    while i < len(cols):
        col = cols[i]
        if col.group:
            j = i
            while j < len(cols) and cols[j].group == col.group:
                j += 1
            lay.add_label(top + 1, c, col.group, "header", cols=j - i)
            for k in range(i, j):
                lay.add_label(top + 2, c + k - i, cols[k].label, "header")
            c += j - i
            i = j
        else:
            lay.add_label(top + 1, c, col.label, "header", rows=header_rows - 1)
            c += 1
            i += 1
    # data rows: each leaf takes one grid row; a group label spans its descendants
    r = top + header_rows
    leaf_rows: dict[str, int] = {}
    for row in table.rows:
        if not row.group:
            leaf_rows[row.id] = r
            lay.add_label(r, depth[row.id] + 1, row.label, "row", cols=n_label - depth[row.id])
            for k, col in enumerate(cols):
                lay.add_input(row.id, col.id, r, n_label + 1 + k)
            r += 1
    children: dict[str, list[str]] = {}
    for row in table.rows:
        if row.parent:
            children.setdefault(row.parent, []).append(row.id)

    def leaves(rid: str) -> list[int]:
        out = []
        for ch in children.get(rid, []):
            out += [leaf_rows[ch]] if ch in leaf_rows else leaves(ch)
        return out

    for row in table.rows:
        if row.group:
            span = leaves(row.id)
            if span:
                lay.add_label(min(span), depth[row.id] + 1, row.label, "row", rows=max(span) - min(span) + 1)
    return lay


def _table4(table: Table) -> Layout:
    lay = Layout(table)
    cols = table.columns
    n = len(cols)
    lay.width = n * len(table.rows)
    top = FIRST_ROW
    c = 1
    i = 0
    rows = table.rows
    while i < len(rows):
        row = rows[i]
        if row.group_label:
            j = i
            while j < len(rows) and rows[j].group_label == row.group_label:
                j += 1
            lay.add_label(top, c, row.group_label, "header", cols=n * (j - i))
            for k in range(i, j):
                lay.add_label(top + 1, c + n * (k - i), rows[k].label, "header", cols=n)
            group = rows[i:j]
            i = j
        else:
            lay.add_label(top, c, row.label, "header", rows=2, cols=n)
            group = [row]
            i += 1
        for g in group:
            for k, col in enumerate(cols):
                lay.add_label(top + 2, c + k, col.label, "header")
                lay.add_input(g.id, col.id, top + 3, c + k)
            c += n
    return lay
