"""A copy of a .docx draft with a Word comment on each finding, anchored where it is.

A finding on a table cell gets a comment over that cell's text; a finding on a number
in a paragraph gets a comment over exactly that number: the run that holds it is split
at the character offsets so the comment range covers the number and nothing else.
Findings without a finer place go on the section heading, the table or the title.
The input file is never modified; the copy is written atomically.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from ..fileio import atomic_write, read_capped, refuse_same_path
from ..limits import limit
from ..findings import LEVEL_ZH, Finding

AUTHOR = "report-writer"
INITIALS = "RW"

W_P, W_R, W_T, W_TBL, W_TR, W_TC = (qn(t) for t in ("w:p", "w:r", "w:t", "w:tbl", "w:tr", "w:tc"))
_CONTAINERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}
_SKIP = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), qn("w:pict"), qn("w:drawing")}


class AnnotateError(Exception):
    """Annotation is impossible (not a .docx input); the message is Chinese."""


def comment_text(f: Finding) -> str:
    text = f"【{LEVEL_ZH[f.level]}】{f.rule}：{f.message}"
    if f.expected is not None or f.found is not None:
        text += f"（应为：{f.expected if f.expected is not None else '—'}；实为：{f.found if f.found is not None else '—'}）"
    return text


def annotate_docx(source: str | Path, findings: list[Finding], output: str | Path, document: Any = None) -> int:
    """Write `output`: `source` with one comment per finding. Returns the number of comments."""
    src = Path(source)
    if document is not None and getattr(document, "kind", "docx") != "docx":
        raise AnnotateError(f"批注功能只适用于 Word（.docx）和 PDF 报告稿；“{src.name}”是"
                            f"{'网页' if document.kind == 'html' else '纯文本'}，请用其 .docx 原稿生成批注")
    if Path(output).suffix.lower() == ".pdf":
        raise AnnotateError(f"“{src.name}”是 Word 文档，批注稿也应是 Word 文档：请把 --annotate 的文件名改为以 .docx 结尾")
    refuse_same_path(output, source)
    try:
        raw = read_capped(src, limit("MAX_FILE_BYTES"))
    except (OSError, ValueError) as e:
        raise AnnotateError(f"无法读取“{src.name}”：{getattr(e, 'strerror', None) or e}") from None
    try:
        import zipfile

        from ..limits import zip_problem

        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            problem = zip_problem(zf)  # python-docx unpacks every part, not only the text
    except Exception:
        problem = None  # not a zip: python-docx says so below
    if problem:
        raise AnnotateError(f"不能生成批注：{problem}")
    try:
        doc = Document(io.BytesIO(raw))
    except Exception as e:  # python-docx raises several types for non-docx input
        raise AnnotateError(f"无法以 Word（.docx）格式打开“{src.name}”，不能生成批注（{type(e).__name__}）") from None
    anchors = _Anchors(doc, document)
    n = 0
    for f in findings:
        runs = anchors.runs_for(f)
        if not runs:
            continue
        if n == 0:
            renumber_comment_ids(doc)
        doc.add_comment(runs, text=comment_text(f), author=AUTHOR, initials=INITIALS)
        n += 1
    buf = io.BytesIO()
    doc.save(buf)
    atomic_write(output, buf.getvalue())
    return n


_COMMENT_REFS = tuple(qn(t) for t in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference"))


def renumber_comment_ids(doc) -> int:
    """Give the draft's own comments numeric ids where they have none (w:id="abc").

    Word writes decimal ids, but other editors and hand-made files do not always; python-docx
    computes the next id with int() and would crash. Each odd id becomes the next free number,
    in the comments part and in the ranges and references of the body. Returns how many.
    """
    part = doc.part._comments_part  # created empty when the draft has no comments
    comments = part.element.findall(qn("w:comment"))
    used = {int(c.get(qn("w:id"))) for c in comments if _is_int(c.get(qn("w:id")))}
    next_id, renamed = max(used, default=-1) + 1, {}
    for c in comments:
        old = c.get(qn("w:id"))
        if not _is_int(old):
            renamed[old] = str(next_id)
            c.set(qn("w:id"), str(next_id))
            next_id += 1
    if renamed:
        for el in doc.element.body.iter(*_COMMENT_REFS):
            if el.get(qn("w:id")) in renamed:
                el.set(qn("w:id"), renamed[el.get(qn("w:id"))])
    return len(renamed)


def _is_int(value: str | None) -> bool:
    try:
        int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


class _Anchors:
    """Find the runs a finding's location points at, splitting runs where needed."""

    def __init__(self, doc, source_document: Any):
        self.doc = doc
        body = doc.element.body
        self.paragraphs = list(body.iter(W_P))  # the reader's Paragraph.origin indexes this list
        self.tables = [t for t in body.iter(W_TBL) if not any(a.tag == W_TBL for a in t.iterancestors())]
        self.source = source_document

    # -- paragraphs

    def _p_element(self, paragraph_index: int):
        origin = None
        if self.source is not None:
            for p in self.source.paragraphs:
                if p.index == paragraph_index:
                    origin = p.origin[0] if p.origin else None
                    text = p.text
                    break
            else:
                return None, None
        else:
            origin, text = paragraph_index, None
        if origin is None or origin >= len(self.paragraphs):
            return None, None
        return self.paragraphs[origin], text

    def runs_for(self, f: Finding) -> list[Run]:
        loc = f.location
        if loc.table_index is not None and loc.cell_row is not None:
            runs = self._cell_runs(loc.table_index, loc.cell_row, loc.cell_col)
            if runs:
                return runs
        if loc.table_index is not None:
            runs = self._cell_runs(loc.table_index, 0, 0)
            if runs:
                return runs
        if loc.paragraph is not None:
            p_el, text = self._p_element(loc.paragraph)
            if p_el is not None:
                if loc.start is not None and loc.end is not None and loc.end > loc.start:
                    runs = self._span_runs(p_el, text, loc.start, loc.end)
                    if runs:
                        return runs
                return self._all_runs(p_el)
        # Nothing finer: the first non-empty paragraph (the title).
        for p_el in self.paragraphs:
            runs = self._all_runs(p_el)
            if runs and "".join(_run_text(r._r) for r in runs).strip():
                return runs
        return []

    def _all_runs(self, p_el) -> list[Run]:
        rs = _text_runs(p_el)
        if not rs:
            r = p_el.makeelement(W_R, {})
            p_el.append(r)
            rs = [r]
        parent = DocxParagraph(p_el, None)
        return [Run(r, parent) for r in rs]

    def _span_runs(self, p_el, reader_text: str | None, start: int, end: int) -> list[Run] | None:
        rs = _text_runs(p_el)
        full = "".join(_run_text(r) for r in rs)
        if reader_text is not None and full != reader_text:
            # The reader and python-docx may see slightly different text; find the same substring nearby.
            target = reader_text[start:end]
            hits = [i for i in range(len(full)) if full.startswith(target, i)]
            if not target or not hits:
                return None
            start = min(hits, key=lambda i: abs(i - start))
            end = start + len(target)
        if end > len(full):
            return None
        first = _split_at(p_el, start)
        last = _split_at(p_el, end)
        if first is None or last is None:
            return None
        rs = _text_runs(p_el)
        pos, chosen = 0, []
        for r in rs:
            t = _run_text(r)
            if pos >= start and pos + len(t) <= end and t:
                chosen.append(r)
            pos += len(t)
        if not chosen:
            return None
        parent = DocxParagraph(p_el, None)
        return [Run(chosen[0], parent), Run(chosen[-1], parent)]

    # -- cells

    def _cell_runs(self, table_index: int, grid_row: int, grid_col: int | None) -> list[Run] | None:
        if self.source is None or table_index >= len(self.source.tables):
            return None
        table = self.source.tables[table_index]
        cell = None
        for c in table.cells:
            if c.row <= grid_row < c.row + c.rowspan and (
                    grid_col is None or c.col <= grid_col < c.col + c.colspan):
                if grid_col is None and cell is not None:
                    continue
                cell = c
                if grid_col is not None:
                    break
        if cell is None or not cell.origin:
            return None
        t_idx, tr_idx, tc_idx = cell.origin
        if t_idx >= len(self.tables):
            return None
        rows = list(_children(self.tables[t_idx], W_TR))
        if tr_idx >= len(rows):
            return None
        tcs = list(_children(rows[tr_idx], W_TC))
        if tc_idx >= len(tcs):
            return None
        tc = tcs[tc_idx]
        ps = list(_children(tc, W_P))
        if not ps:
            return None
        runs = [r for p in ps for r in _text_runs(p)]
        if not runs:
            r = ps[0].makeelement(W_R, {})
            t = r.makeelement(W_T, {})
            t.text = ""
            r.append(t)
            ps[0].append(r)
            runs = [r]
        return [Run(runs[0], DocxParagraph(runs[0].getparent(), None)),
                Run(runs[-1], DocxParagraph(runs[-1].getparent(), None))]


def _children(el, tag):
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, tag)


def _text_runs(p_el) -> list:
    """The w:r elements of a paragraph in order (inside hyperlinks, smart tags, insertions too)."""
    out = []

    def walk(el):
        for child in el:
            if child.tag in _SKIP or child.tag == W_P:
                continue
            if child.tag == W_R:
                out.append(child)
            else:
                walk(child)

    walk(p_el)
    return out


def _run_text(r) -> str:
    parts = []
    for child in r:
        if child.tag == W_T:
            parts.append(child.text or "")
        elif child.tag == qn("w:tab"):
            parts.append("\t")
        elif child.tag in (qn("w:br"), qn("w:cr")):
            parts.append("\n")
        elif child.tag == qn("w:noBreakHyphen"):
            parts.append("-")
    return "".join(parts)


def _split_at(p_el, offset: int):
    """Make `offset` a run boundary; returns True when it is one afterwards, None when impossible."""
    pos = 0
    for r in _text_runs(p_el):
        t = _run_text(r)
        if pos == offset or offset == pos + len(t):
            return True
        if pos < offset < pos + len(t):
            k = offset - pos
            content = [c for c in r if c.tag != qn("w:rPr")]
            if any(c.tag != W_T for c in content):
                return None  # a run with tabs or breaks: leave it whole
            left = copy.deepcopy(r)
            _set_text(left, t[:k])
            _set_text(r, t[k:])
            r.addprevious(left)
            return True
        pos += len(t)
    return True if offset == pos else None


def _set_text(r, text: str) -> None:
    ts = [c for c in r if c.tag == W_T]
    for extra in ts[1:]:
        r.remove(extra)
    ts[0].text = text
    ts[0].set(qn("xml:space"), "preserve")
