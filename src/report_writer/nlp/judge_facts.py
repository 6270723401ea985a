"""A total stated in one place and its parts in another (rule NUM-DUP, warning).

"全年共收到政府信息公开申请11件" in 总体情况 and "自然人申请8件，法人或其他组织申请1件" in 三 say
two different things about one fact (11 ≠ 8 + 1). judge._sums reads a total and its parts
within one sentence; this module holds the narrative's own identities across sentences:

    自然人 + 法人或其他组织 = 新收 (or 新收 + 上年结转, the two ways reports count them)
    办结 + 结转下年度 = 新收 + 上年结转        (only when all four are stated)

It is a warning: a report may count a part on another basis, and where the tables were
read NUM-TABLE already holds every figure against its cell.
"""

from __future__ import annotations

from decimal import Decimal

from ..findings import Finding

_WHOLE_LEGAL = ("法人或其他组织", "法人和其他组织")


def _first(items: list, metric: str):
    return next((it for it in items if it.claim.metrics == (metric,) and it.claim.quantity is not None
                 and it.claim.scope is None and it.claim.quantity.exact), None)


def _v(it) -> Decimal:
    return it.claim.quantity.value


def identity_findings(items: list, compared: set[int], loc, quote) -> list[Finding]:
    """`compared`: id() of the claims judged against a table or the data file (not judged again)."""
    out: list[Finding] = []
    items = [it for it in items if id(it.claim) not in compared and it.lp.section != "problems"]
    new, all_ = _first(items, "requests_new"), _first(items, "requests_all")
    carried = _first(items, "requests_carried")
    natural, legal = _first(items, "applicants_natural"), _first(items, "applicants_legal")
    totals = []
    if new is not None:
        totals.append((new, _v(new)))
        if carried is not None:
            totals.append((new, _v(new) + _v(carried)))
    if all_ is not None:
        totals.append((all_, _v(all_)))
    if natural is not None and legal is not None and totals and legal.claim.word in _WHOLE_LEGAL:
        same_sentence = all(t.lp is natural.lp and t.claim.sentence == natural.claim.sentence for t, _ in totals)
        parts = _v(natural) + _v(legal)
        if not same_sentence and not any(parts == v for _, v in totals):
            t, v = totals[0]
            out.append(_finding(natural, t, f"{natural.claim.quantity.text}＋{legal.claim.quantity.text}", parts, v,
                                "自然人与法人或其他组织的申请之和", loc, quote))
    done, nxt = _first(items, "requests_completed"), _first(items, "requests_next")
    if done is not None and nxt is not None and new is not None and carried is not None:
        left, right = _v(done) + _v(nxt), _v(new) + _v(carried)
        if left not in (right, _v(new)):  # 收到 may already include the carried-over ones
            out.append(_finding(done, new, f"{done.claim.quantity.text}＋{nxt.claim.quantity.text}", left, right,
                                "办结与结转下年度之和", loc, quote, f"新收与上年结转之和{right}件"))
    return out


def _finding(part, total, listed: str, got: Decimal, want: Decimal, what: str, loc, quote,
             want_text: str | None = None) -> Finding:
    q, tq = part.claim.quantity, total.claim.quantity
    idx, _, _ = total.lp.locate(tq.start, tq.end)
    return Finding(
        rule="NUM-DUP", level="warning", expected=want_text or tq.text, found=f"{got}件",
        location=loc(part.lp, q.start, q.end),
        message=f"同一事项前后表述不一致：{what}（{listed}）为{got}件，第{idx + 1}段“{quote(total.lp, tq.start, tq.end)}”"
                f"为{want_text or tq.text}")
