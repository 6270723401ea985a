"""Words of a PDF page into lines, and lines into paragraphs.

A PDF has no paragraphs: it has glyphs at positions. Lines are words that share a baseline;
a line's segments are its words joined where the gap between them is narrower than a cell
gap (so "2023 年" stays one segment and "自然人   52" becomes two). Paragraphs are lines
joined back: a new paragraph starts at a heading (一、 （一） 1. 第一部分), an indented or centred
line, a change of font size, a gap wider than the line pitch, or after a line that ends short
of the right margin. Lines are broken mid-sentence in a PDF, and a paragraph may continue on
the next page.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from ..chars import RADICALS

_RADICAL_TABLE = str.maketrans(RADICALS)
# Kangxi radicals, CJK compatibility ideographs (NFKC maps them); the radicals supplement (RADICALS).
_COMPAT = re.compile(r"[\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}])")
# Word and LibreOffice space Chinese from Latin and digits ("2023 年"); quotes “” sit tight to their words.
_MIXED_SPACE = re.compile(rf"(?<=[{_CJK}\u2018-\u201d])[ \t\u00a0]+(?=[\w%\u2018-\u201d{_CJK}])"
                          rf"|(?<=[\w%.\u2018-\u201d])[ \t\u00a0]+(?=[{_CJK}\u2018-\u201d])")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．，,]|[(（][一二三四五六七八九十]+[)）]|\d+[.、．](?!\d)"
                      r"|第[一二三四五六七八九十]+[部章节条])")
_PAGE_NUMBER = re.compile(r"^[\s\-—–－·•]*(?:第\s*)?\d{1,4}(?:\s*页)?"
                          r"(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－·•]*$")
_TERMINAL = tuple("。！？!?；;")
SEGMENT_GAP = 0.6  # a gap wider than this many font sizes separates two segments (table cells)


def fix_glyphs(s: str) -> str:
    """Radical and compatibility code points back to ordinary ideographs (one character each)."""
    s = s.translate(_RADICAL_TABLE)
    if _COMPAT.search(s):
        s = _COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), s)
    return s


def tidy(s: str) -> str:
    """A PDF text run as a reader wants it: glyphs fixed, no spaces between CJK characters."""
    return _MIXED_SPACE.sub("", _CJK_SPACE.sub("", fix_glyphs(s))).strip()


@dataclass
class Seg:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    space: bool = False  # the PDF has a space character before it


@dataclass
class Line:
    page: int  # 1-based
    top: float
    bottom: float
    size: float  # font size of the line (median of its words)
    segs: list[Seg] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.segs[0].x0

    @property
    def x1(self) -> float:
        return self.segs[-1].x1

    @property
    def text(self) -> str:
        out = ""
        for s in self.segs:
            if out and out[-1].isascii() and out[-1].isalnum() and s.text[:1].isascii() and s.text[:1].isalnum():
                out += " "
            out += s.text
        return tidy(out)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


def page_lines(words: list[dict], page: int) -> list[Line]:
    """pdfplumber words (with "size") into lines, top to bottom, segments left to right."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        size = float(w.get("size") or (w["bottom"] - w["top"]) or 10)
        mid = (w["top"] + w["bottom"]) / 2
        target = None
        for ln in reversed(lines[-4:]):
            if abs((ln.top + ln.bottom) / 2 - mid) <= 0.4 * max(size, ln.size):
                target = ln
                break
        seg = Seg(w["x0"], w["x1"], w["top"], w["bottom"], w["text"], bool(w.get("space")))
        if target is None:
            lines.append(Line(page=page, top=w["top"], bottom=w["bottom"], size=size, segs=[seg]))
        else:
            target.segs.append(seg)
            target.top, target.bottom = min(target.top, w["top"]), max(target.bottom, w["bottom"])
            target.size = max(target.size, size)
    for ln in lines:
        ln.segs.sort(key=lambda s: s.x0)
        merged: list[Seg] = []
        for s in ln.segs:
            if merged and s.x0 - merged[-1].x1 < SEGMENT_GAP * ln.size:
                m = merged[-1]
                gap = " " if s.space or s.x0 - m.x1 > 0.15 * ln.size else ""
                merged[-1] = Seg(m.x0, max(m.x1, s.x1), min(m.top, s.top), max(m.bottom, s.bottom),
                                 m.text + gap + s.text)
            else:
                merged.append(s)
        for s in merged:
            s.text = tidy(s.text)
        ln.segs = [s for s in merged if s.text]
    lines = [ln for ln in lines if ln.segs]
    lines.sort(key=lambda ln: ln.top)
    return lines


def is_page_number(line: Line, height: float) -> bool:
    """A page number (— 3 —, 第3页, 3/12) in the top or bottom margin."""
    in_margin = line.top > 0.88 * height or line.bottom < 0.08 * height
    return in_margin and bool(_PAGE_NUMBER.match(line.text))


@dataclass
class Metrics:
    left: float  # the body text's left margin
    right: float  # where full lines end
    size: float  # body font size
    pitch: float  # baseline distance of body lines
    indents: bool = False  # paragraphs start with a first-line indent (so a short line alone ends nothing)


def metrics(lines: list[Line]) -> Metrics:
    if not lines:
        return Metrics(0, 0, 10, 14)
    size = statistics.median(ln.size for ln in lines)
    body = [ln for ln in lines if abs(ln.size - size) < 0.5] or lines
    left = statistics.mode(round(ln.x0) for ln in body)
    right = sorted(ln.x1 for ln in body)[int(0.9 * (len(body) - 1))]
    pitches = [b.top - a.top for a, b in zip(body, body[1:]) if a.page == b.page and 0 < b.top - a.top < 3 * size]
    pitch = statistics.median(pitches) if pitches else 1.5 * size
    indented = sum(1 for ln in body if 1.5 * size <= ln.x0 - left <= 2.5 * size)
    return Metrics(left, right, size, pitch, indents=indented >= max(2, 0.05 * len(body)))


def starts_paragraph(prev: Line | None, line: Line, m: Metrics, heading) -> bool:
    if prev is None:
        return True
    text = line.text
    if _HEADING.match(text) or heading(text):
        return True
    if abs(line.size - prev.size) > 0.5:
        return True
    if line.size > 1.15 * m.size and line.page == prev.page and not prev.text.endswith(_TERMINAL):
        return False  # a title over two centred lines
    if line.x0 > m.left + 0.8 * m.size:  # first-line indent or a centred line
        return True
    if prev.text.endswith(_TERMINAL) and prev.x1 < m.right - 0.5 * m.size:
        return True
    if prev.x1 < m.right - 1.5 * m.size:  # the previous line ended short …
        # … which ends a paragraph unless paragraphs are marked by indents and it stopped mid-sentence
        # (a line broken early before a word that did not fit: “〔2023〕3号”)
        if not m.indents or prev.text.endswith(_TERMINAL + ("：", ":")):
            return True
    if prev.page == line.page and line.top - prev.top > 1.8 * max(m.pitch, 1):
        return True
    return False


def join_lines(lines: list[Line]) -> str:
    out = ""
    for ln in lines:
        t = ln.text
        if out and out[-1].isascii() and out[-1].isalnum() and t[:1].isascii() and t[:1].isalnum():
            out += " "
        out += t
    return _CJK_SPACE.sub("", out)
