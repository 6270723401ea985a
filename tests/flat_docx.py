"""Word tables that lost their spans (a re-saved report): build such a .docx from a draft.

Every merged area is split into plain cells: the label stays in its first cell and the
others are left empty ("empty"), or — as some converters do with vertical merges — the
label is repeated in every cell below it ("repeat") or in every cell it covered ("repeat-all").
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

from report_writer.read.document import SourceDocument


def write_flat_docx(doc: SourceDocument, path: Path, mode: str = "empty") -> None:
    out = Document()
    by_after: dict[int, list] = {}
    for t in doc.tables:
        by_after.setdefault(t.after_paragraph, []).append(t)

    def add_table(t):
        grid = t.grid()
        table = out.add_table(rows=t.n_rows, cols=t.n_cols)
        for r, line in enumerate(grid):
            for c, cell in enumerate(line):
                if cell is None:
                    continue
                first = cell.row == r and cell.col == c
                copy = (mode == "repeat" and cell.col == c and cell.row != r
                        or mode == "repeat-all" and not first)
                if first or copy:
                    table.cell(r, c).text = cell.text

    for t in by_after.get(-1, []):
        add_table(t)
    for p in doc.paragraphs:
        out.add_paragraph(p.text)
        for t in by_after.get(p.index, []):
            add_table(t)
    out.save(str(path))
