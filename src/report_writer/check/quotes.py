"""The words a finding points at: the sentence around a span of a paragraph, or a table cell.

A reviewer reading a finding wants to see the text without opening the draft. A finding on
a paragraph span quotes the sentence that holds the span (the span itself marked); a finding
on a table cell quotes the cell with the label of its row. Nothing is quoted where the place
is coarser than that (a whole section, the title of a missing part).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..findings import Finding

SENTENCE_ENDS = "。！？；!?;\n"
MAX_QUOTE = 160  # characters either side are cut beyond this, with an ellipsis


@dataclass(frozen=True)
class Quote:
    before: str
    marked: str  # the span the finding is about ("" when the whole quote is the place)
    after: str
    cell: bool = False  # a table cell (before holds its row label)

    @property
    def text(self) -> str:
        return self.before + self.marked + self.after


def quote_for(f: Finding, doc: Any) -> Quote | None:
    """The quote of one finding in a SourceDocument, or None when the place is not that precise."""
    loc = f.location
    if loc.table_index is not None and loc.cell_row is not None and loc.cell_col is not None:
        return _cell_quote(doc, loc.table_index, loc.cell_row, loc.cell_col)
    if loc.paragraph is not None and loc.start is not None and loc.end is not None:
        para = next((p for p in getattr(doc, "paragraphs", []) if p.index == loc.paragraph), None)
        if para is None or not (0 <= loc.start <= loc.end <= len(para.text)):
            return None
        return _sentence_quote(para.text, loc.start, loc.end)
    return None


def _sentence_quote(text: str, start: int, end: int) -> Quote:
    left = max((text.rfind(c, 0, start) for c in SENTENCE_ENDS), default=-1) + 1
    rights = [i for i in (text.find(c, end) for c in SENTENCE_ENDS) if i != -1]
    right = min(rights) + 1 if rights else len(text)
    before, after = text[left:start], text[end:right]
    if len(before) > MAX_QUOTE:
        before = "…" + before[-MAX_QUOTE:]
    if len(after) > MAX_QUOTE:
        after = after[:MAX_QUOTE] + "…"
    return Quote(before=before.lstrip(), marked=text[start:end], after=after.rstrip())


def _cell_quote(doc: Any, table_index: int, row: int, col: int) -> Quote | None:
    table = next((t for t in getattr(doc, "tables", []) if t.index == table_index), None)
    if table is None or not (0 <= row < table.n_rows and 0 <= col < table.n_cols):
        return None
    grid = table.grid()
    cell = grid[row][col]
    if cell is None:
        return None
    labels: list[str] = []
    for c in grid[row][:col]:  # the row's label cells (merged ones repeat across the grid)
        text = c.text.strip() if c is not None else ""
        if text and not _numeric(text) and text not in labels:
            labels.append(text)
    label = " / ".join(labels)
    value = cell.text.strip() or "（空白）"
    return Quote(before=label[:MAX_QUOTE], marked=value[:MAX_QUOTE], after="", cell=True)


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "", 1).lstrip("-").isdigit()
