"""Plan: decide which rules fire for this data, slot by slot, before any text is chosen.

The plan is a pure function of the data and the bank (no randomness): which
paragraphs each slot gets, which rules (and which case of each rule, and for which
list item) fill them. Realisation then picks the wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import expr
from .phrasebank import SLOTS, Bank, Case, Issue, PhraseBankError, Rule
from .values import DataView, ListNode


@dataclass
class Item:
    rule: Rule
    case: Case
    extra: dict[str, Any]
    index: int  # 0 for a rule without `each`, else the 1-based item number


@dataclass
class PlannedPara:
    key: str
    role: str
    lead: list[Item] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    join: str | None = None


@dataclass
class PlannedSlot:
    slot: str
    section: str
    heading: Item | None
    paras: list[PlannedPara]


def _holds(node: Any, view: DataView, extra: dict[str, Any], rule: Rule) -> bool:
    try:
        return expr.truthy(expr.evaluate(node, lambda p: view.lookup(p, extra)))
    except expr.ExprError as e:
        raise PhraseBankError([Issue("error", f"条件求值失败：{e}", rule.file, rule.line, rule.id)]) from None


def _case(rule: Rule, view: DataView, extra: dict[str, Any]) -> Case | None:
    for c in rule.cases:
        if _holds(c.node, view, extra, rule):
            return c
    return None


def _items_of(rule: Rule, view: DataView) -> list[Item]:
    if not _holds(rule.when_node, view, {}, rule):
        return []
    if rule.each is None:
        c = _case(rule, view, {})
        return [Item(rule, c, {}, 0)] if c else []
    lst = view.lookup(rule.each)
    if not isinstance(lst, ListNode):
        return []
    out = []
    problems = view.data.problems
    for i, it in enumerate(lst, start=1):
        extra: dict[str, Any] = {"item": it, "index": i}
        pid = getattr(getattr(it, "_obj", None), "problem", None)
        if isinstance(pid, str):
            for k, p in enumerate(problems, start=1):
                if p.id == pid:
                    extra["problem"] = view.wrap(p, f"problems[{k - 1}]")
                    extra["problem_no"] = k
        c = _case(rule, view, extra)
        if c:
            out.append(Item(rule, c, extra, i))
    return out


def plan(bank: Bank, view: DataView) -> list[PlannedSlot]:
    fmt_id = view.fmt.id
    out: list[PlannedSlot] = []
    by_section: dict[str, list[PlannedSlot]] = {}
    for slot, (section, role, _numbered) in SLOTS.items():
        rules = [r for r in bank.in_slot(slot) if r.applies_to(fmt_id)]
        sentences = [r for r in rules if r.kind == "sentence"]
        fired = [(r, its) for r in sentences if r.fallback is None for its in [_items_of(r, view)] if its]
        if not fired:
            fired = [(r, its) for r in sentences if r.fallback == "slot" for its in [_items_of(r, view)] if its]
        paras: dict[str, PlannedPara] = {}
        order: list[str] = []
        for r, its in fired:
            if r.each_para:
                for it in its:
                    key = f"{r.para}#{it.index}"
                    paras[key] = PlannedPara(key, role, items=[it])
                    order.append(key)
                continue
            if r.para not in paras:
                paras[r.para] = PlannedPara(r.para, role)
                order.append(r.para)
            pp = paras[r.para]
            if r.join:
                pp.join = str(r.join)
            pp.items.extend(its)
        for lr in (r for r in rules if r.kind == "lead"):
            pp = paras.get(lr.para)
            if pp is not None and not pp.lead:
                pp.lead = _items_of(lr, view)[:1]
        heading = None
        if paras:
            for hr in (r for r in rules if r.kind == "heading"):
                its = _items_of(hr, view)
                if its:
                    heading = its[0]
                    break
        ps = PlannedSlot(slot, section, heading, [paras[k] for k in order])
        out.append(ps)
        by_section.setdefault(section, []).append(ps)
    # section fallbacks (六、其他需要报告的事项 → 无。)
    for section, slots in by_section.items():
        if any(s.paras for s in slots):
            continue
        for ps in slots:
            rules = [r for r in bank.in_slot(ps.slot) if r.applies_to(fmt_id) and r.fallback == "section"]
            for r in rules:
                its = _items_of(r, view)
                if its:
                    ps.paras.append(PlannedPara(r.para, SLOTS[ps.slot][1], items=its))
            if ps.paras:
                break
    return out
