"""Percentages recomputed from the figures the sentence gives (rule NUM-PERCENT).

judge._percent holds "予以公开28件，占41.2%" against 表三. This module does the same for a share
whose part and whole are both written in the narrative, and for 办结率:

  * "共收到申请75件，其中自然人申请72件，占96%": the part is the number right before 占, the
    whole the sentence's declared total (a same-unit number after 共/合计/总计/全年) — only when
    占 names no other base ("占全市的…" is left alone);
  * "办结率100%": 办结 over 收到 (新收, or 新收 + 上年结转) as the paragraph states them, or as
    表三 gives them when the paragraph does not (a warning: the base is the writer's choice).

A percentage is judged at the precision it is written (3.5% is [3.45, 3.55], 3.50% the same
claim; 32.0% is not 33.9%), with the last digit allowed to be truncated rather than rounded,
as judge._percent does. 同比 (a change against last year) is not a share and is not judged.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..data.model import ReportData
from ..findings import Finding
from .quantities import Quantity, base_unit

_CHANGE = ("同比", "增长", "下降", "提高", "降低", "上升", "减少", "增加", "较上年", "比上年", "较去年", "环比", "增幅", "降幅")
_TOTAL_RE = re.compile(r"共|合计|总计|全年|累计")
_PLAIN_BASE_RE = re.compile(r"^占(?:比)?(?:为|达|达到)?(?:总数|总量|总数的|总量的|全部的)?$")


def _within(q: Quantity, v: Decimal) -> bool:
    half = (q.high - q.value) if q.high is not None else Decimal("0.05")
    return q.low - half <= v <= q.high + half


def _places(q: Quantity) -> int:
    digits = re.sub(r"[^\d.]", "", q.text)
    return len(digits.split(".")[1]) if "." in digits else 0


def _shown(v: Decimal, q: Quantity) -> str:
    p = _places(q)
    return str(v.quantize(Decimal(1).scaleb(-p) if p else Decimal(1), rounding=ROUND_HALF_UP)) + "%"


def _sentence(t: str, a: int) -> tuple[int, int]:
    s = a
    while s > 0 and t[s - 1] not in "。！？；;!?":
        s -= 1
    e = a
    while e < len(t) and t[e] not in "。！？；;!?":
        e += 1
    return s, e


def share_findings(lp: Any, d: Any, report: ReportData, already: set[int], loc, quote) -> list[Finding]:
    out: list[Finding] = []
    if not any(q.is_percent for q in d._.quantities):
        return out  # no share is written
    t = d._.norm
    qs = [q for q in d._.quantities if q.unit and not q.is_percent and q.unit != "个百分点"]
    for q in d._.quantities:
        if not q.is_percent or q.start in already or q.low is None or q.high is None:
            continue
        s, _ = _sentence(t, q.start)
        clause0 = max(t.rfind(c, s, q.start) for c in "，,：:") + 1 or s
        clause0 = max(clause0, s)
        lead = t[clause0:q.start]
        if any(w in t[s:q.start][-12:] for w in _CHANGE):
            continue
        if "办结率" in lead:
            f = _completion(lp, d, report, q, loc, quote)
            if f:
                out.append(f)
            continue
        m = re.search(r"占(?:比)?[^，,。；]*$", lead)
        if m is None or not _PLAIN_BASE_RE.match(m.group()):
            continue
        before = [x for x in qs if s <= x.start < clause0 + m.start()]
        if not before:
            continue
        part = before[-1]
        totals = [x for x in before[:-1] if base_unit(x.unit) == base_unit(part.unit)
                  and _TOTAL_RE.search(t[max(s, x.start - 12):x.start])]
        if not totals or not part.exact or not totals[-1].exact or totals[-1].value == 0:
            continue
        whole = totals[-1]
        v = part.value * 100 / whole.value
        if _within(q, v):
            continue
        out.append(Finding(
            rule="NUM-PERCENT", level="error", expected=_shown(v, q), found=q.text, location=loc(lp, q.start, q.end),
            message=f"正文“{quote(lp, part.start, q.end)}”中的比例与所述数字不符：{part.text}占{whole.text}的"
                    f"{_shown(v, q)}，正文为{q.text}"))
    return out


def _claimed(d: Any, metric: str, scope: tuple | None = None) -> Decimal | None:
    """The paragraph's exact figure of a metric, of the given scope (a ratio of two 全区 figures is
    the 全区 ratio; the scope only has to be the same for every figure used)."""
    c = next((c for c in d._.claims if c.metrics == (metric,) and c.quantity is not None
              and (c.scope, c.scope_word) == (scope or (None, None)) and c.quantity.exact), None)
    return c.quantity.value if c is not None else None


def _scope_of(d: Any) -> tuple:
    kinds = {(c.scope, c.scope_word) for c in d._.claims
             if c.metrics[0] in ("requests_completed", "requests_new", "requests_all") and c.quantity is not None}
    return kinds.pop() if len(kinds) == 1 and next(iter(kinds))[0] in (None, "aggregate", "own") else (None, None)


def _cell(report: ReportData, path: str) -> Decimal | None:
    c = report.cell(*path.split("."))
    return c.value if c is not None and c.is_number and c.value is not None else None


def _completion(lp: Any, d: Any, report: ReportData, q: Quantity, loc, quote) -> Finding | None:
    scope = _scope_of(d)
    done = _claimed(d, "requests_completed", scope)
    new = _claimed(d, "requests_new", scope)
    all_ = _claimed(d, "requests_all", scope)
    carried = _claimed(d, "requests_carried", scope)
    if scope != (None, None) and done is None:
        return None  # a 全区 count is not the table's: no mixing of the two
    source = "正文"
    if new is None and all_ is None:
        new, carried = _cell(report, "table3.r1.total"), _cell(report, "table3.r2.total")
        source = "表三"
    if done is None:  # 均已办结, 办结率100%: the count of completed ones is the table's
        done = _cell(report, "table3.r3_7.total")
        source = "表三" if source == "表三" else "正文与表三"
    if done is None:
        return None
    bases = [b for b in (new, all_, (new + carried) if new is not None and carried is not None else None)
             if b is not None and b > 0]
    if not bases or any(_within(q, done * 100 / b) for b in bases):
        return None
    v = done * 100 / bases[-1]
    return Finding(
        rule="NUM-PERCENT", level="warning", expected=_shown(v, q), found=q.text, location=loc(lp, q.start, q.end),
        message=f"正文“{quote(lp, q.start, q.end)}”的办结率与{source}数字不符：办结{done}件、收到{bases[-1]}件，"
                f"办结率为{_shown(v, q)}，正文为{q.text}")
