"""The text of 五、存在的主要问题及改进情况: its problems, its 上年度问题整改情况, its improvements.

Used by extract (a data file's problems for next year's `previous:`), by check --previous
(repeated problems, last year's problems answered) and by lastyear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ProblemsPart:
    problems: list[str] = field(default_factory=list)
    remedies: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    has_remedy_part: bool = False
    paragraphs: list[tuple[int, str, str]] = field(default_factory=list)  # (index, part, text) for locations


_SUBHEAD_RE = re.compile(r"^\s*[（(]([一二三四五])[)）]\s*([^。；;]{2,30}?)(?:[。：:]|$)")
_SENT_RE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
_LEAD_IN_RE = re.compile(r"^[^：:]{0,40}[：:](?=\s*(?:[一二三四五六七八九十]+是|\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]))")


def _part_of(head: str) -> str | None:
    if "整改" in head or "上年" in head:
        return "remedies"
    if "问题" in head and "改进" not in head:
        return "problems"
    if "改进" in head or "措施" in head or "下一步" in head or "打算" in head:
        return "improvements"
    return None


def problems_part(doc: Any, sections: list) -> ProblemsPart:
    """The paragraphs of 五、存在的主要问题及改进情况, sorted into remedies / problems / improvements.

    Without sub-heads, the whole section counts as problems (improvements cannot be told apart).
    A paragraph that starts with its own sub-head (（一）上年度问题整改情况。……) is split after it.
    """
    out = ProblemsPart()
    span = next((s for s in sections if s.id == "problems"), None)
    if span is None:
        return out
    current = "problems"
    for p, text in _pieces(doc.paragraphs[span.paragraph + 1: span.end]):
        m = _SUBHEAD_RE.match(text)
        if m:
            part = _part_of(m.group(2))
            if part is not None:
                current = part
                if part == "remedies":
                    out.has_remedy_part = True
                text = text[m.end():].strip()
                if not text:
                    continue
        out.paragraphs.append((p.index, current, text))
        getattr(out, current).append(text)
    return out


_INLINE_HEAD_RE = re.compile(r"(?=[（(][一二三四五][)）][^。；;，,]{2,20}?[：:])")


def _pieces(paragraphs: list) -> list[tuple[Any, str]]:
    """Paragraphs, split where a sub-head sits inside one (a web page flattened to one line)."""
    out = []
    for p in paragraphs:
        for piece in _INLINE_HEAD_RE.split((p.text or "").strip()):
            if piece.strip():
                out.append((p, piece.strip()))
    return out


def sentences(texts: list[str]) -> list[str]:
    """Sentences of substance (8 characters or more, markers like 一是 kept).

    A lead-in that ends in a colon (还存在一些不足：一是……) is its own piece, so the first
    listed item compares on its own wording."""
    out = []
    for t in texts:
        for m in _SENT_RE.finditer(t):
            s = _LEAD_IN_RE.sub("", m.group(0).strip())
            if len(re.sub(r"\W", "", s)) >= 8:
                out.append(s)
    return out
