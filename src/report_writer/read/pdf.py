"""Read a text PDF (a published report) into a SourceDocument.

pypdfium2 (PDFium, in C) opens the file: it tells an encrypted or broken file at once, counts
the pages, says whether a page has a text layer at all (a scan has none) and gives the words
of pages without drawn lines in milliseconds. Pages with lines go to pdfplumber (pdfminer.six,
in Python, slower), whose table finder reads ruled tables. See pdf_lines and pdf_tables for how
lines, paragraphs and tables are rebuilt from the words.

Origins: Paragraph.origin = (page, x0, top, x1, bottom, lines), the box of its first line and,
for each line, (offset in the paragraph text, page, x0, top, x1, bottom); a cell's origin is
(page, x0, top, x1, bottom). Coordinates are pdfplumber's: points from the page's top left.
"""

from __future__ import annotations

from pathlib import Path

from ..limits import exceeded
from . import bounds
from .document import Paragraph, SourceDocument
from .errors import ReadError
from .pdf_lines import Line, is_page_number, metrics, page_lines, starts_paragraph
from .pdf_pdfium import TooManyPaths, has_rules, image_share, page_edges, page_words
from .pdf_tables import (MAX_EDGES, TableBlock, TooManyEdges, can_join, find_unruled, is_short, join, ruled_table,
                         ruled_tables_from_edges, unruled_end, unruled_tables)

SCAN_MESSAGE = ("该 PDF 没有文字层，可能是扫描件或图片转成的 PDF，无法读取其中的文字。"
                "请提供可复制文字的 PDF 或 Word 版报告稿")
IMAGE_SHARE = 0.15  # an image over this share of a page may hold text or a table that is not read
ENCRYPTED_MESSAGE = "该 PDF 已加密（设有打开密码），无法读取。请提供未加密的 PDF 或 Word 版报告稿"


def _broken(p: Path, why: str = "") -> ReadError:
    return ReadError(p, "PDF 文件已损坏或不完整，无法读取" + (f"（{why}）" if why else "")
                     + "；请重新导出 PDF，或提供 Word 版报告稿")


def _open_pdfium(p: Path):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise ReadError(p, ENCRYPTED_MESSAGE) from None
        raise _broken(p) from None
    n = len(pdf)
    if n == 0:
        pdf.close()
        raise _broken(p, "没有任何页面")
    if n > bounds.MAX_PDF_PAGES:
        pdf.close()
        raise ReadError(p, "PDF 页数过多：" + exceeded("MAX_PDF_PAGES", bounds.MAX_PDF_PAGES, n))
    return pdf


def read_pdf(path: str | Path) -> SourceDocument:
    p = Path(path)
    pdf = _open_pdfium(p)
    plumber: list = []  # the pdfplumber document, opened on the first page that needs it
    items: list = []  # Line | TableBlock, in reading order
    chars = 0
    image_pages: list[int] = []  # pages where an image covers a good part (its text is not read)
    try:
        for no in range(1, len(pdf) + 1):
            try:
                page = pdf[no - 1]
            except Exception:  # PdfiumError: a page object that cannot be loaded
                raise _broken(p, f"第 {no} 页无法解析") from None
            try:
                textpage = page.get_textpage()
                try:
                    n = textpage.count_chars()
                    if n > bounds.MAX_PDF_PAGE_OBJECTS:
                        raise _too_many(p, no, n)
                    if image_share(page) >= IMAGE_SHARE:
                        image_pages.append(no)
                    page_items = _page(p, page, textpage, no, plumber) if n else []  # no text: an image, blank
                finally:
                    textpage.close()
            except ReadError:
                raise
            except TooManyPaths as e:
                raise _too_many(p, no, e.args[0]) from None
            except TooManyEdges as e:
                raise ReadError(p, f"第 {no} 页画有 {e.args[0]} 条互不相连的线条，远多于任何表格，"
                                   "疑似恶意或损坏的文件，为避免长时间运行而拒绝读取") from None
            except Exception as e:  # a damaged page: say which
                raise _broken(p, f"第 {no} 页：{type(e).__name__}") from None
            finally:
                page.close()
            items.extend(page_items)
            chars += n
            if chars > bounds.MAX_TEXT_CHARS:
                raise ReadError(p, exceeded("MAX_TEXT_CHARS", bounds.MAX_TEXT_CHARS, chars))
    finally:
        pdf.close()
        for doc in plumber:
            doc.close()
    if not items:
        raise ReadError(p, SCAN_MESSAGE)
    doc = _assemble(p, items)
    doc.pdf_image_pages = image_pages  # type: ignore[attr-defined]  # read by check.judge_pdf
    return doc


def _page(p: Path, page, textpage, no: int, plumber: list) -> list:
    """One page's lines and tables: words and drawn edges from PDFium, or pdfplumber's page when the
    lines sit inside form XObjects."""
    height = page.get_height()
    edges = page_edges(page, height) if has_rules(page) else []
    if edges is None:
        if not plumber:
            plumber.append(_open_plumber(p))
        return _plumber_items(p, plumber[0], no)
    words = page_words(textpage, height)
    blocks, boxes = ruled_tables_from_edges(edges, words, no) if edges else ([], [])
    if boxes:
        words = [w for w in words if not any(_inside(w, box) for box in boxes)]
    return _items(_lines(words, no, height), blocks)


def _too_many(p: Path, no: int, n: int) -> ReadError:
    return ReadError(p, f"第 {no} 页的内容对象过多，疑似恶意文件："
                     + exceeded("MAX_PDF_PAGE_OBJECTS", bounds.MAX_PDF_PAGE_OBJECTS, n))


def _open_plumber(p: Path):
    import pdfplumber

    try:
        return pdfplumber.open(str(p))
    except Exception as e:  # pdfminer raises many types for bad files
        if "password" in type(e).__name__.lower() or "encrypt" in type(e).__name__.lower():
            raise ReadError(p, ENCRYPTED_MESSAGE) from None
        raise _broken(p, type(e).__name__) from None


def _plumber_items(p: Path, plumber, no: int) -> list:
    """A page with drawn lines: pdfplumber finds its ruled tables and the words outside them."""
    page = plumber.pages[no - 1]
    try:
        objects = len(page.chars) + len(page.rects) + len(page.lines) + len(page.curves)
        if objects > bounds.MAX_PDF_PAGE_OBJECTS:
            raise _too_many(p, no, objects)
        if len(page.lines) + len(page.rects) > 4 * MAX_EDGES:  # the table finder is quadratic in them
            raise TooManyEdges(len(page.lines) + len(page.rects))
        blocks: list[TableBlock] = []
        boxes = []
        for found in page.find_tables():
            b = ruled_table(found, no)
            if b is not None:
                blocks.append(b)
                boxes.append(found.bbox)
        words = page.extract_words(extra_attrs=["size"], keep_blank_chars=False, use_text_flow=False)
        if boxes:
            words = [w for w in words if not any(_inside(w, box) for box in boxes)]
        return _items(_lines(words, no, page.height), blocks)
    finally:
        page.close()


def _lines(words: list[dict], no: int, height: float) -> list[Line]:
    return [ln for ln in page_lines(words, no) if not is_page_number(ln, height)]


def _items(lines: list[Line], blocks: list[TableBlock]) -> list:
    """A page's lines and tables in reading order; unruled tables rebuilt from the lines."""
    rest: list = []
    k = 0
    for a, b in find_unruled(lines):
        rest.extend(lines[k:a])
        blocks.extend(unruled_tables(lines[a:b]))
        k = a + unruled_end(lines[a:b])
    rest.extend(lines[k:])
    return sorted(rest + blocks, key=lambda it: it.top)


def _inside(w: dict, box) -> bool:
    cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _assemble(p: Path, items: list) -> SourceDocument:
    from .structure import match_heading

    doc = SourceDocument(path=str(p), kind="pdf")
    # tables over a page break: the last thing on one page and the first on the next
    joined: list = []
    first_on_page: set[int] = set()
    seen_pages: set[int] = set()
    for it in items:
        page = it.page
        if page not in seen_pages:
            seen_pages.add(page)
            first_on_page.add(id(it))
    for it in items:
        if isinstance(it, TableBlock):
            # a repeated header the table finder left as short lines at the top of the page
            k = len(joined)
            while k > 0 and isinstance(joined[k - 1], Line) and joined[k - 1].page == it.page \
                    and len(joined) - k < 6 and is_short(joined[k - 1]):
                k -= 1
            prev = joined[k - 1] if k > 0 else None
            top_of_page = id(it) in first_on_page or (k < len(joined) and id(joined[k]) in first_on_page)
            if isinstance(prev, TableBlock) and top_of_page and can_join(prev, it):
                del joined[k:]
                join(prev, it)
                continue
        joined.append(it)

    joined = _flattened_rows(joined)
    lines = [it for it in joined if isinstance(it, Line)]
    m = metrics(lines)
    heading = lambda t: match_heading(t) is not None  # noqa: E731
    cur: list[Line] = []
    n_cells = 0

    def flush():
        if cur:
            text, spans = "", []
            for ln in cur:
                t = ln.text
                if text and text[-1].isascii() and text[-1].isalnum() and t[:1].isascii() and t[:1].isalnum():
                    text += " "
                spans.append((len(text), ln.page, *ln.box))
                text += t
            first = cur[0]
            doc.paragraphs.append(Paragraph(index=len(doc.paragraphs), text=text, style=None,
                                            origin=(first.page, *first.box, tuple(spans))))
            cur.clear()
            if len(doc.paragraphs) % 1000 == 0:
                bounds.check_counts(p, len(doc.paragraphs), len(doc.tables), n_cells)

    prev: Line | None = None
    for it in joined:
        if isinstance(it, TableBlock):
            flush()
            prev = None
            t = it.table
            t.index = len(doc.tables)
            t.after_paragraph = len(doc.paragraphs) - 1
            doc.tables.append(t)
            n_cells += len(t.cells)
            bounds.check_counts(p, len(doc.paragraphs), len(doc.tables), n_cells)
            continue
        if starts_paragraph(prev, it, m, heading):
            flush()
        cur.append(it)
        prev = it
    flush()
    return doc


def _flattened_rows(items: list) -> list:
    """Table rows printed as plain lines ("（一）予以公开 21 4 1 0 1 1 28", no cell gaps): the text
    reader's row finder (read.text) reads each run of such lines; its tables replace those lines."""
    from .text import parse_text, split_row

    out: list = []
    run: list[Line] = []

    def flush():
        if sum(1 for ln in run if split_row(ln.text) is not None) < 2:
            out.extend(run)
            run.clear()
            return
        parsed = parse_text("\n".join(ln.text for ln in run))
        used: dict[int, TableBlock] = {}
        for t in parsed.tables:
            rows = sorted({c.origin[0] - 1 for c in t.cells if c.origin})
            if not rows:
                continue
            first, last = rows[0], rows[-1]
            for c in t.cells:
                ln = run[c.origin[0] - 1] if c.origin else run[first]
                c.origin = (ln.page, *ln.box)
            t.reading = t.reading or "text-flat"
            t.page = run[first].page
            used[first] = TableBlock(t, run[first].page, run[last].page, run[first].top, run[last].bottom)
            for k in range(first + 1, last + 1):
                used.setdefault(k, None)  # type: ignore[arg-type]
        for k, ln in enumerate(run):
            if k in used:
                if used[k] is not None:
                    out.append(used[k])
            else:
                out.append(ln)
        run.clear()

    for it in items:
        if isinstance(it, Line):
            run.append(it)
        else:
            flush()
            out.append(it)
    flush()
    return out
