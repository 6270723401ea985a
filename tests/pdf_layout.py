"""Lay a report out as a text PDF at test time (reportlab), the way published PDFs look.

    layout_pdf(blocks_of(read_document("报告.docx")), "报告.pdf", ruled=True)

Blocks are ("p", text, style) paragraphs and ("t", Table) tables (read.document.Table, merged
cells kept). Tables are drawn with grid lines (`ruled=True`, as Word prints them) or with
positions only (`ruled=False`, as many web-to-PDF prints do); long tables run over a page
break, with their header rows repeated there when `repeat_header` is set. Every page gets a
centred page number, as published reports have. The CJK font is reportlab's built-in CID
font STSong-Light, so no font file is needed. Used by tests and by benchmarks/run.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17, firstLineIndent=22, wordWrap="CJK",
                      spaceAfter=2)
HEADING = ParagraphStyle("heading", parent=BODY, firstLineIndent=22, spaceBefore=4)
TITLE = ParagraphStyle("title", parent=BODY, fontSize=16, leading=24, alignment=TA_CENTER, firstLineIndent=0,
                       spaceAfter=10)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=6.5, leading=8, wordWrap="CJK", alignment=TA_CENTER)
MARGIN = 20 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN
_VALUE = re.compile(r"^[\d.,/—\-无]+$")


def blocks_of(doc, merge_tables: bool = True) -> list[tuple]:
    """A SourceDocument as layout blocks, tables after their paragraph; tables that directly follow
    each other (a Word table split in two) are laid out as one."""
    from report_writer.read.document import Cell, Table

    out: list[tuple] = []
    by_after: dict[int, list] = {}
    for t in doc.tables:
        by_after.setdefault(t.after_paragraph, []).append(t)

    def add_tables(ts):
        for t in ts:
            if merge_tables and out and out[-1][0] == "t" and out[-1][1].n_cols == t.n_cols:
                prev = out[-1][1]
                cells = prev.cells + [Cell(row=c.row + prev.n_rows, col=c.col, text=c.text, rowspan=c.rowspan,
                                           colspan=c.colspan) for c in t.cells]
                out[-1] = ("t", Table(index=prev.index, cells=cells, n_rows=prev.n_rows + t.n_rows, n_cols=t.n_cols))
            else:
                out.append(("t", t))

    add_tables(by_after.get(-1, []))
    for p in doc.paragraphs:
        out.append(("p", p.text, p.style))
        add_tables(by_after.get(p.index, []))
    return out


def text_blocks(text: str) -> list[tuple]:
    """Plain text (one paragraph a line) as blocks: every line a paragraph, the first one the title."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return [("p", ln, "title" if i == 0 else None) for i, ln in enumerate(lines)]


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _col_widths(t) -> list[float]:
    weights = [2.0] * t.n_cols
    for c in t.cells:
        if c.colspan == 1:
            w = len(c.text.strip())
            if not _VALUE.match(c.text.strip() or "0"):
                weights[c.col] = max(weights[c.col], min(w, 16) * 0.9)
            else:
                weights[c.col] = max(weights[c.col], min(w, 8) * 0.7 + 1)
    # a label written over several merged columns: give those columns room for it
    for c in t.cells:
        if c.colspan > 1 and c.col == 0 and not _VALUE.match(c.text.strip() or "0"):
            need = min(len(c.text.strip()), 18) * 0.9
            have = sum(weights[c.col:c.col + c.colspan])
            if have < need:
                for k in range(c.col, c.col + c.colspan):
                    weights[k] *= need / have
    total = sum(weights)
    return [FRAME_WIDTH * w / total for w in weights]


def _table_flowable(t, ruled: bool, repeat_header: int) -> RLTable:
    data = [["" for _ in range(t.n_cols)] for _ in range(t.n_rows)]
    style = [("FONT", (0, 0), (-1, -1), FONT, 6.5), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("ALIGN", (0, 0), (-1, -1), "CENTER"),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
             ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    for c in t.cells:
        text = c.text.strip()
        data[c.row][c.col] = Paragraph(_esc(text).replace("\n", "<br/>"), CELL) if text else ""
        if c.rowspan > 1 or c.colspan > 1:
            style.append(("SPAN", (c.col, c.row), (c.col + c.colspan - 1, c.row + c.rowspan - 1)))
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    return RLTable(data, colWidths=_col_widths(t), style=TableStyle(style), repeatRows=repeat_header,
                   splitByRow=1)


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {doc.page} —")
    canvas.restoreState()


def layout_pdf(blocks: list[tuple], out: str | Path, ruled: bool = True, repeat_header: int = 0,
               space_before_tables: float = 0) -> Path:
    """Write `blocks` as a PDF at `out`; `space_before_tables` pushes the tables down (to force a
    page break inside a table)."""
    out = Path(out)
    story = []
    for b in blocks:
        if b[0] == "p":
            text, style = b[1], b[2]
            st = TITLE if style == "title" else HEADING if style == "heading" else BODY
            story.append(Paragraph(_esc(text).replace("\n", "<br/>"), st))
        else:
            if space_before_tables:
                story.append(Spacer(1, space_before_tables))
            story.append(Spacer(1, 4))
            story.append(_table_flowable(b[1], ruled, repeat_header))
            story.append(Spacer(1, 6))
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title="report", author="report-writer tests", invariant=1)
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return out


def docx_to_pdf(docx_path: str | Path, out: str | Path, **kw) -> Path:
    """A .docx draft laid out as PDF (through the project's own .docx reader)."""
    from report_writer.read import read_document

    return layout_pdf(blocks_of(read_document(docx_path)), out, **kw)
