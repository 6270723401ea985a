"""Words of a PDF page from PDFium (pypdfium2): the fast path for pages without ruling lines.

pdfminer (under pdfplumber) parses a page in Python, ~0.1–0.5 s for a page of a report; PDFium
does it in C in a few milliseconds. A page without drawn lines cannot hold a ruled table, so
its words (for paragraphs and unruled tables) come from here, in the same shape as
pdfplumber's extract_words: x0, x1, top, bottom (points, top-down), text, size.
"""

from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c

WORD_GAP = 3.0  # points: pdfplumber's default x_tolerance
MIN_RULES = 4  # a ruled table needs at least this many drawn paths


def has_rules(page) -> bool:
    """Whether the page draws enough paths (lines, rectangles) to hold a ruled table."""
    n = 0
    for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,)):
        n += 1
        if n >= MIN_RULES:
            return True
    return False


def page_words(textpage, height: float) -> list[dict]:
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    rect = pdfium_c.FS_RECTF()
    words: list[dict] = []
    cur: dict | None = None
    space = False  # a space before the next word (loose boxes of digits may touch across it)
    for i in range(n):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if not ch or ch.isspace() or pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            cur = None
            space = space or ch in (" ", "\u00a0", "\u3000")
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(rect)):
            cur = None
            continue
        x0, x1 = rect.left, rect.right
        top, bottom = height - rect.top, height - rect.bottom
        size = pdfium_c.FPDFText_GetFontSize(raw, i) or (bottom - top)
        if cur is not None and abs(cur["top"] - top) < 0.3 * size and 0 <= x0 - cur["x1"] <= WORD_GAP:
            cur["text"] += ch
            cur["x1"] = max(cur["x1"], x1)
            cur["bottom"] = max(cur["bottom"], bottom)
            continue
        cur = {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "text": ch, "size": size, "space": space}
        space = False
        words.append(cur)
    return words


class TooManyPaths(Exception):
    """More drawn paths on one page than MAX_PDF_PAGE_OBJECTS."""


def page_edges(page, height: float) -> list[dict] | None:
    """The page's straight horizontal and vertical strokes as pdfplumber edges (top-down), or
    None when paths sit inside form XObjects (their transforms nest; pdfplumber reads those)."""
    from . import bounds

    edges: list[dict] = []
    n_paths = 0
    x = ctypes.c_float()
    y = ctypes.c_float()
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,)):
        if obj.level > 0:
            return None
        n_paths += 1
        if n_paths > bounds.MAX_PDF_PAGE_OBJECTS:
            raise TooManyPaths(n_paths)
        m = obj.get_matrix()
        a, b, c, d, e, f = m.a, m.b, m.c, m.d, m.e, m.f
        raw = obj.raw
        start = prev = None
        for i in range(pdfium_c.FPDFPath_CountSegments(raw)):
            seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
            if not pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                continue
            pt = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = prev = pt
                continue
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
                _edge(edges, prev, pt, height)
            prev = pt
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                _edge(edges, pt, start, height)
                prev = start
    return edges


def _edge(edges: list[dict], p: tuple[float, float], q: tuple[float, float], height: float) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) < 1.0 and abs(x0 - x1) >= 1.0:
        y = height - (y0 + y1) / 2
        edges.append({"x0": min(x0, x1), "x1": max(x0, x1), "top": y, "bottom": y, "width": abs(x1 - x0),
                      "height": 0.0, "orientation": "h", "object_type": "line_edge"})
    elif abs(x0 - x1) < 1.0 and abs(y0 - y1) >= 1.0:
        x = (x0 + x1) / 2
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        edges.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
                      "orientation": "v", "object_type": "line_edge"})


def image_share(page) -> float:
    """The largest share of the page one image covers (a pasted scan or a screenshot of a table)."""
    w, h = page.get_width(), page.get_height()
    best = 0.0
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):
        x0, y0, x1, y1 = obj.get_bounds()
        best = max(best, max(0.0, min(x1, w) - max(x0, 0)) * max(0.0, min(y1, h) - max(y0, 0)) / (w * h or 1))
    return best
