"""A copy of a PDF report with a note (text annotation) at each finding's place.

The place comes from the PDF reader's origins: a finding on a table cell gets its note on that
cell's box, one on a number in a paragraph on the line that holds the number, others on their
table, paragraph or the first line of the report. pypdf writes the copy; the input is never
modified and the copy is written atomically.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..fileio import atomic_write, refuse_same_path
from ..findings import Finding
from .annotate import AnnotateError, comment_text
from .locations import cell_at

NOTE_SIZE = 14  # points: the icon of a note


def _box(f: Finding, doc: Any) -> tuple[int, tuple[float, float, float, float]] | None:
    """(page, (x0, top, x1, bottom)) in pdfplumber coordinates, or None."""
    loc = f.location
    if loc.table_index is not None and 0 <= loc.table_index < len(doc.tables):
        t = doc.tables[loc.table_index]
        c = cell_at(t, loc.cell_row if loc.cell_row is not None else 0, loc.cell_col)
        if c is None and t.cells:
            c = t.cells[0]
        if c is not None and c.origin:
            return c.origin[0], tuple(c.origin[1:5])
    if loc.paragraph is not None and 0 <= loc.paragraph < len(doc.paragraphs):
        o = doc.paragraphs[loc.paragraph].origin
        if o:
            box = (o[0], tuple(o[1:5]))
            for span in (o[5] if len(o) > 5 else ()):
                if loc.start is not None and span[0] <= loc.start:
                    box = (span[1], tuple(span[2:6]))
            return box
    for p in doc.paragraphs:
        if p.origin:
            return p.origin[0], tuple(p.origin[1:5])
    return None


def annotate_pdf(source: str | Path, findings: list[Finding], output: str | Path, document: Any) -> int:
    """Write `output`: `source` with one note per finding. Returns the number of notes."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text

    src = Path(source)
    if Path(output).suffix.lower() == ".docx":
        raise AnnotateError(f"“{src.name}”是 PDF，批注稿也应是 PDF：请把 --annotate 的文件名改为以 .pdf 结尾")
    refuse_same_path(output, source)
    raw = src.read_bytes()
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    except Exception as e:  # pypdf raises many types for damaged files
        raise AnnotateError(f"无法打开“{src.name}”生成批注（{type(e).__name__}）") from None
    n = 0
    for f in findings:
        where = _box(f, document)
        if where is None:
            continue
        page_no, (x0, top, x1, bottom) = where
        if not 1 <= page_no <= len(writer.pages):
            continue
        page = writer.pages[page_no - 1]
        box = page.mediabox
        height = float(box.top) - float(box.bottom)
        # pdfplumber measures from the top; PDF user space from the bottom
        y = float(box.bottom) + height - top
        x = float(box.left) + max(0.0, x1 - 2)
        note = Text(rect=(x, y - NOTE_SIZE, x + NOTE_SIZE, y), text=comment_text(f), open=False)
        writer.add_annotation(page_number=page_no - 1, annotation=note)
        n += 1
    buf = io.BytesIO()
    writer.write(buf)
    atomic_write(output, buf.getvalue())
    return n
