"""Where a finding is in the document as printed: the PDF page, and how its table was read.

The mapper and the judges locate a finding by table index, grid cell and paragraph offset;
this adds `page` (1-based, PDF input) from the origin the PDF reader gave each cell and line,
and `reading` (read.document.READINGS) from the table the finding rests on.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding


def cell_at(table: Any, row: int | None, col: int | None):
    """The cell covering grid position (row, col); the row's first cell when col is None."""
    if row is None:
        return None
    for c in table.cells:
        if c.row <= row < c.row + c.rowspan and (col is None or c.col <= col < c.col + c.colspan):
            return c
    return None


def paragraph_page(p: Any, start: int | None) -> int | None:
    """The page of offset `start` in a PDF paragraph (origin: page, box, line spans)."""
    if not p.origin or len(p.origin) < 6:
        return None
    page = p.origin[0]
    for span in p.origin[5]:
        if start is not None and span[0] <= start:
            page = span[1]
    return page


def place(findings: list[Finding], doc: Any) -> list[Finding]:
    tables = getattr(doc, "tables", [])
    paragraphs = getattr(doc, "paragraphs", [])
    is_pdf = getattr(doc, "kind", None) == "pdf"
    out = []
    for f in findings:
        loc = f.location
        update: dict = {}
        if loc.table_index is not None and 0 <= loc.table_index < len(tables):
            t = tables[loc.table_index]
            if t.reading and loc.reading is None:
                update["reading"] = t.reading
            if is_pdf and loc.page is None:
                c = cell_at(t, loc.cell_row, loc.cell_col)
                update["page"] = c.origin[0] if c is not None and c.origin else t.page
        elif is_pdf and loc.paragraph is not None and loc.page is None and 0 <= loc.paragraph < len(paragraphs):
            update["page"] = paragraph_page(paragraphs[loc.paragraph], loc.start)
        update = {k: v for k, v in update.items() if v is not None}
        out.append(f.model_copy(update={"location": loc.model_copy(update=update)}) if update else f)
    return out
