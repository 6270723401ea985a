"""A document as read from .docx, .html or .txt: paragraphs and tables with their positions.

Readers produce a SourceDocument; everything after reading (section finder, table
mapper, NLP pass, rules, annotation) works on it and never on the original file,
except the annotator, which uses the `origin` of an element to find it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# How a table was read, from the most to the least certain; the JSON reports it per table and
# per finding, and rules judge a table only as far as its reading allows.
READINGS = ("docx-table", "html-table", "pdf-ruled", "pdf-positions", "text-pipes", "text-tabs",
            "text-lines", "text-flat", "text-glued")


@dataclass
class Paragraph:
    index: int  # position among the document's paragraphs, 0-based
    text: str  # the paragraph's text as read (not normalised)
    style: str | None = None  # reader's hint: "title", "heading" or None
    origin: tuple = ()  # reader-specific: docx (body element index,), txt (first line, last line), html (element no.)


@dataclass
class Cell:
    row: int  # top-left grid position, 0-based
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    origin: tuple = ()  # reader-specific position of the cell (docx: (tbl index, tr index, tc index))
    unsure: str = ""  # why the reader could not read this cell with certainty (empty: read); nothing is judged on it


@dataclass
class Table:
    index: int  # position among the document's tables, 0-based
    cells: list[Cell]  # the origin cell of each merged area, in reading order
    n_rows: int
    n_cols: int
    after_paragraph: int = -1  # index of the last paragraph before the table (-1 when none)
    reading: str = ""  # one of READINGS, set by the reader
    page: int | None = None  # 1-based page where the table starts (PDF)

    def grid(self) -> list[list[Cell | None]]:
        """The table expanded to its full grid; a merged cell fills every position it spans."""
        g: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, min(c.row + c.rowspan, self.n_rows)):
                for k in range(c.col, min(c.col + c.colspan, self.n_cols)):
                    g[r][k] = c
        return g


@dataclass
class SourceDocument:
    path: str
    kind: str  # docx | pdf | html | text
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)
