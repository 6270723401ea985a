"""Year-over-year variables for the phrase bank: `change.<name>` in templates and conditions.

Each name pairs one figure of this year with last year's (from the data's `previous:` block):

    change.requests.now / .prev      the two figures (sourced as the fields they come from)
    change.requests.delta            the absolute change (|now − prev|), sourced delta(now,prev)
    change.requests.pct              the change in per cent of last year, one decimal, sourced yoy(now,prev);
                                     absent when last year was 0
    change.requests.up / down / flat true or false

`change.<name>` is absent (empty) when either year lacks the figure, so a body with no
last year gets no 同比 sentence: rules test `present(change.requests)`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# name → (this year's source, last year's source); a "+" sums fields.
CHANGES: dict[str, tuple[str, str]] = {
    "requests": ("table3.r1.total", "previous.table3.r1.total"),
    "handled": ("table3.r1.total+table3.r2.total", "previous.table3.r1.total+previous.table3.r2.total"),
    "reviews": ("table4.review.total", "previous.table4.review.total"),
    "suits": ("table4.direct.total+table4.after_review.total",
              "previous.table4.direct.total+previous.table4.after_review.total"),
    "items_published": ("overview.proactive.items_published", "previous.overview.proactive.items_published"),
    "interpretations": ("overview.proactive.interpretations", "previous.overview.proactive.interpretations"),
    "normative_docs_published": ("overview.proactive.normative_docs_published",
                                 "previous.overview.proactive.normative_docs_published"),
}
FIELDS = ("now", "prev", "delta", "pct", "up", "down", "flat")


def _exact(view: Any, source: str) -> Decimal | None:
    """The exact value of a source (a sum of fields); None when missing or approximate (近300)."""
    total = Decimal(0)
    for part in source.split("+"):
        v = view.lookup(part)
        count = getattr(v, "_count", None)
        if not hasattr(v, "scalar_value") or not isinstance(v.scalar_value(), Decimal) or (
                count is not None and not count.exact):
            return None
        total += v.scalar_value()
    return total


def change_node(view: Any, name: str, Num: Any) -> dict | None:
    """One change.<name>; `Num` is values.Num (passed in: values imports this module)."""
    now_src, prev_src = CHANGES[name]
    if view.data.previous is None:
        return None
    now, prev = _exact(view, now_src), _exact(view, prev_src)
    if now is None or prev is None:
        return None
    out: dict[str, Any] = {
        "now": Num(now, now_src), "prev": Num(prev, prev_src),
        "delta": Num(abs(now - prev), f"delta({now_src},{prev_src})"),
        "up": now > prev, "down": now < prev, "flat": now == prev}
    if prev:
        pct = (abs(now - prev) / prev * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        out["pct"] = Num(pct, f"yoy({now_src},{prev_src})")
    return out


def changes(view: Any, Num: Any) -> dict[str, Any]:
    return {name: node for name in CHANGES if (node := change_node(view, name, Num)) is not None}


def type_of_change(rest: list) -> tuple[bool, Any]:
    """Lint: (known, type) of change.<name>.<field>."""
    if not rest:
        return True, "any"
    if rest[0] not in CHANGES:
        return False, None
    if len(rest) == 1:
        return True, "any"
    return (len(rest) == 2 and rest[1] in FIELDS), ("num" if rest[1] in ("now", "prev", "delta", "pct") else bool)
