"""A statistics period that is written but wrong (rule PERIOD, error).

judge_document.check_period reads the well-formed "YYYY年1月1日至12月31日" and reports a
period of another year; without one it says the period is missing. A period that is there
but garbled ("自20211月1日起", digits run together), or that does not run from 1 January to
31 December ("2023年1月1日至2023年12月30日"), is not missing: it is reported as wrong, with
the text quoted.
"""

from __future__ import annotations

import re
from typing import Any

from ..findings import Finding

_KEY_RE = re.compile(r"统计(?:期限|期间|时限|时间|区间|周期|时段|范围)|数据统计")
# the written period: from the first digit after the key word to the last 日 before the clause ends
_SPAN_RE = re.compile(r"[\d０-９〇零一二三四五六七八九十]{1,8}[\d０-９年月日号\s〇零一二三四五六七八九十起至到—－\-～~]*[日号]")
_STOP = "。；;，,！？"


def _valid(span: str, pattern: re.Pattern) -> bool:
    return pattern.search(span) is not None


def broken_periods(ctx: Any, period_re: re.Pattern) -> list[Finding]:
    """Period statements that `period_re` (the well-formed period) does not read."""
    out: list[Finding] = []
    for p in ctx.doc.paragraphs:
        if ctx.section_of(p.index) not in ("preamble", "overview", None):
            continue  # the report's period is stated up front; a survey's own period may stand later
        text = p.text
        for k in _KEY_RE.finditer(text):
            end = len(text)
            for i in range(k.end(), min(len(text), k.end() + 60)):
                if text[i] in _STOP:
                    end = i
                    break
            else:
                end = min(len(text), k.end() + 60)
            m = _SPAN_RE.search(text, k.end(), end)
            if m is None or not re.search(r"\d", m.group()) or "月" not in m.group():
                continue
            if not re.search(r"至|到|—|－|-|～|~", m.group()):
                continue  # a single date (统计时间截至2023年12月31日) is not a period
            a, b = m.span()
            if a > 0 and text[a - 1] in "自从":
                a -= 1  # quote the whole phrase: 自…起至…止
            if b < len(text) and text[b] == "止":
                b += 1
            span = text[a:b]
            if _valid(span, period_re):
                continue
            year = ctx.year
            expected = f"{year}年1月1日至12月31日" if year else "YYYY年1月1日至12月31日"
            out.append(Finding(
                rule="PERIOD", level="error", expected=expected, found=span,
                location=ctx.loc(p.index, a, b),
                message=f"数据统计期限写为“{span}”，书写有误或不是完整的自然年度；"
                        f"应为“{expected}”"))
    return out
