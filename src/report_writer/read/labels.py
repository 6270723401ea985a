"""Label normalisation shared by the readers, the section finder and the table mapper.

A label as printed in a real report differs from the official one in many harmless ways:
full/half-width brackets and digits, spaces and line breaks inside ("商业 企业", "科研\\n机构"),
"、" vs "，", curly vs straight quotes, NBSP and zero-width characters, and — in text taken
from PDFs — CJK radical code points instead of the ordinary characters. `key()` folds all of
that away so two labels compare equal when a reader would call them the same.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..chars import RADICALS

_RADICAL_TABLE = str.maketrans(RADICALS)

# Invisible or layout-only characters removed before comparing.
_INVISIBLE = dict.fromkeys(map(ord, "\u00a0\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u3000\u00ad"), " ")

CN_DIGITS = "〇零一二三四五六七八九十"
SECTION_NUMERALS = ("一", "二", "三", "四", "五", "六")

# Leading enumeration of a label: 一、 （一） (一) 1. 1、 1．
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.，,]|[(（][一二三四五六七八九十]+[)）]|\d+[.、．,，]?)")


@lru_cache(maxsize=16384)
def text(s: str) -> str:
    """Display-normalised text: NFKC, radicals mapped, invisible characters made spaces."""
    if not s:
        return ""
    s = s.translate(_INVISIBLE)
    s = unicodedata.normalize("NFKC", s)
    return s.translate(_RADICAL_TABLE)


def squash(s: str) -> str:
    """text() without any whitespace (Chinese labels never need it)."""
    return re.sub(r"\s+", "", text(s))


@lru_cache(maxsize=16384)
def key(s: str) -> str:
    """Comparison key of a label: normalised, without whitespace and without punctuation/symbols.

    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" -> "二部分公开区分处理的只计这一情形不计其他情形";
    "3.危及“三安全一稳定”" and '3、危及"三安全一稳定"' -> "3危及三安全一稳定".
    """
    out = []
    for ch in squash(s):
        cat = unicodedata.category(ch)
        if cat[0] in "PSZC":
            continue
        out.append(ch)
    return "".join(out)


def strip_numbering(s: str) -> str:
    """A label without its leading enumeration (一、 （一） 1.), on squashed text."""
    return _NUMBERING.sub("", squash(s), count=1)


def bare_key(s: str) -> str:
    return key(strip_numbering(s))


@lru_cache(maxsize=16384)
def width(s: str) -> int:
    """Display width: East Asian wide/full characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
