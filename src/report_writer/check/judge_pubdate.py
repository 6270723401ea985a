"""The document's own date against the publication deadline (rule PUB-DATE, warning).

The date a report carries as its own — the signature date in the last lines, or a web
page's "发布日期：2024-02-05" / "发布时间：2024年2月5日" line — after the deadline of 条例
art. 49 (31 January of the following year; 31 March for a government's own report when the
level is known) means it was published late, or the date is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from ..findings import Finding

_CN_D = "〇零一二三四五六七八九十"
_DATE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*(?:年|[-/.．])\s*(?P<m>\d{1,2})\s*(?:月|[-/.．])\s*(?P<d>\d{1,2})\s*日?")
_CN_DATE_RE = re.compile(rf"(?P<y>[{_CN_D}]{{4}})年(?P<m>[{_CN_D}]{{1,2}})月(?P<d>[{_CN_D}]{{1,3}})日")
_LABEL_RE = re.compile(r"(?:发布|成文|发文|印发|公开)(?:日期|时间)\s*[:：]?\s*")


def _cn_int(s: str) -> int | None:
    digits = "〇一二三四五六七八九"
    if all(c in digits + "零" for c in s):
        return int("".join(str(digits.index(c) if c != "零" else 0) for c in s))
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + digits.index(s[1])
    if s.endswith("十"):
        return digits.index(s[0]) * 10
    if "十" in s:
        a, b = s.split("十")
        return digits.index(a) * 10 + digits.index(b)
    return None


def _date(m: re.Match, chinese: bool) -> dt.date | None:
    try:
        if chinese:
            y, mo, d = (_cn_int(m.group(k)) for k in ("y", "m", "d"))
            if None in (y, mo, d):
                return None
            return dt.date(y, mo, d)
        return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except (ValueError, TypeError):
        return None


def document_dates(doc: Any) -> list[tuple[Any, re.Match, dt.date]]:
    """(paragraph, match, date) of the dates the document gives as its own."""
    out = []
    for p in doc.paragraphs:
        for lab in _LABEL_RE.finditer(p.text):
            m = _DATE_RE.match(p.text, lab.end())
            if m and (d := _date(m, False)):
                out.append((p, m, d))
    tail = [p for p in doc.paragraphs if p.text.strip()][-3:]
    for p in tail:
        t = p.text.strip()
        for rx, cn in ((_DATE_RE, False), (_CN_DATE_RE, True)):
            m = rx.search(p.text)
            # a signature line: the date alone, or after the body's name, with no sentence around it
            if (m and len(t) <= 40 and not re.search(r"[，。；,;]", t) and (d := _date(m, cn))
                    and not any(q is p and q_m.start() == m.start() for q, q_m, _ in out)):
                out.append((p, m, d))
    return out


def check_publication_date(ctx: Any, deadline_of: Callable[[int, str | None], dt.date]) -> list[Finding]:
    if ctx.year is None:
        return []
    level = ctx.report.meta.level if ctx.report is not None and getattr(ctx, "level_known", False) else None
    deadline = deadline_of(ctx.year, level)
    out = []
    for p, m, d in document_dates(ctx.doc):
        if d <= deadline:
            continue
        out.append(Finding(
            rule="PUB-DATE", level="warning", expected=f"不晚于{deadline.year}年{deadline.month}月{deadline.day}日",
            found=m.group(0).strip(), location=ctx.loc(p.index, m.start(), m.end()),
            message=f"报告落款或发布日期为“{m.group(0).strip()}”，晚于{ctx.year}年度报告的公开期限"
                    f"（{deadline.year}年{deadline.month}月{deadline.day}日）；请核对日期或说明延迟原因"))
    return out
