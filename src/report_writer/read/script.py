"""Traditional script (繁體) to simplified, before anything is read from the text.

The labels, headings and rules are written in simplified characters; a report published in
traditional script (一、總體情況) is converted with OpenCC's character table (t2s), which keeps
the text's length, so offsets and line numbers stay valid. A simplified document is left alone:
it is converted only when enough of its characters are traditional-only.
"""

from __future__ import annotations

from functools import lru_cache

from .document import SourceDocument

SAMPLE_CHARS = 8_000
MIN_CHANGED = 8  # traditional-only characters in the sample …
MIN_SHARE = 0.02  # … and their share of its CJK characters


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


def _cjk(s: str) -> int:
    return sum(1 for ch in s if "\u4e00" <= ch <= "\u9fff")


# Traditional-only forms of characters every report uses (公開, 資訊, 報告, 條例, 機關, 總體, 處理 …): a
# document with none of them is not traditional, and OpenCC is not asked (it is the slow part).
_TELLTALE = frozenset("開資報條機關總體處過數據統計與區縣們這為會國發實對應務設")


def is_traditional(text: str) -> bool:
    sample = text[:SAMPLE_CHARS]
    if not any(ch in _TELLTALE for ch in sample):
        return False
    converted = _converter().convert(sample)
    if len(converted) != len(sample):
        changed = abs(len(converted) - len(sample)) + MIN_CHANGED
    else:
        changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed >= MIN_CHANGED and changed >= MIN_SHARE * max(1, _cjk(sample))


def to_simplified(text: str) -> str:
    """The text in simplified characters (unchanged when it is not traditional)."""
    if not is_traditional(text):
        return text
    out = _converter().convert(text)
    return out if len(out) == len(text) else _per_char(text)


def _per_char(text: str) -> str:
    """Character by character, when a phrase conversion would change the length."""
    cc = _converter()
    return "".join(c if len(c) == 1 else ch for ch, c in ((ch, cc.convert(ch)) for ch in text))


def simplify_document(doc: SourceDocument) -> SourceDocument:
    """Convert the paragraphs and cells of a document read in traditional script (in place)."""
    blob = "\n".join([p.text for p in doc.paragraphs[:400]] + [c.text for t in doc.tables[:10] for c in t.cells])
    if not is_traditional(blob):
        return doc
    conv = _converter()
    for p in doc.paragraphs:
        p.text = _same_length(conv, p.text)
    for t in doc.tables:
        for c in t.cells:
            c.text = _same_length(conv, c.text)
    return doc


def _same_length(conv, s: str) -> str:
    out = conv.convert(s)
    return out if len(out) == len(s) else _per_char(s)
