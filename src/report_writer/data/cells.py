"""Cell values: from a data file (strict) and from a document's table text (lenient).

Kinds come from the format file: count (integer ≥ 0), change (signed integer,
written 增N/减N or ±N), money (decimal, optional unit such as 万元 or 元).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .model import STATE_OF_MARK, Cell, count_hint

INVISIBLE = dict.fromkeys(map(ord, "\u00a0\u200b\u200c\u200d\u2060\ufeff\u3000\t\r\n "), None)
_CHANGE_RE = re.compile(r"^(增|减|增加|减少|\+|-|−|－)?(\d+)$")
_MONEY_RE = re.compile(r"^(-?\d+(?:\.\d+)?)(万元|元|万)?$")


class CellError(ValueError):
    """A value that does not fit the cell; the message is Chinese and says what was expected."""


def clean(text: str) -> str:
    """NFKC plus removal of NBSP, zero-width and other invisible characters."""
    return unicodedata.normalize("NFKC", text).translate(INVISIBLE).replace(",", "")


def from_data(value: object, kind: str) -> Cell:
    """A cell from a data file: a number, or null for 'not filled in yet'."""
    if value is None:
        return Cell.empty()
    if isinstance(value, bool):
        raise CellError(f"应为数字，实为 {value}")
    if isinstance(value, str):
        text = value.strip()
        if text in STATE_OF_MARK and text:
            raise CellError(f"应为数字，实为“{text}”；该项为零请填 0，尚未统计请留空（null）")
        try:
            return from_text(text, kind, strict=True)
        except CellError:
            raise CellError(count_hint(text) if kind == "count" else f"应为数字，实为“{text}”") from None
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, (int, Decimal)):
        return _checked(Decimal(value), kind, None)
    raise CellError(f"应为数字，实为 {type(value).__name__}")


def from_text(text: str, kind: str, strict: bool = False) -> Cell:
    """A cell from the text of a document's table cell."""
    raw = text
    t = clean(text)
    if t in STATE_OF_MARK:
        return Cell(state=STATE_OF_MARK[t], raw=raw if t else None)
    if kind == "change":
        m = _CHANGE_RE.match(t)
        if m:
            sign = -1 if (m.group(1) or "") in ("减", "减少", "-", "−", "－") else 1
            return Cell.number(sign * int(m.group(2)), raw=raw if t != m.group(2) else None)
    elif kind == "money":
        m = _MONEY_RE.match(t)
        if m:
            v = Decimal(m.group(1))
            if m.group(2) == "元":
                v = v / 10000
            return _checked(v, kind, raw if m.group(2) else None)
    else:
        if re.fullmatch(r"-?\d+(\.0+)?", t):
            return _checked(Decimal(t), kind, None)
    if strict:
        raise CellError(f"应为数字，实为“{text}”")
    try:
        Decimal(t)
        return _checked(Decimal(t), kind, raw)
    except (InvalidOperation, CellError):
        return Cell(state="text", raw=raw)


def _checked(v: Decimal, kind: str, raw: str | None) -> Cell:
    if kind == "count":
        if v != v.to_integral_value():
            raise CellError(f"应为整数，实为 {v}")
        if v < 0:
            raise CellError(f"不能为负数，实为 {v}")
        return Cell.number(int(v), raw=raw)
    if kind == "change":
        if v != v.to_integral_value():
            raise CellError(f"应为整数，实为 {v}")
        return Cell.number(int(v), raw=raw)
    if v < 0:
        raise CellError(f"金额不能为负数，实为 {v}")
    return Cell.number(v, raw=raw)
