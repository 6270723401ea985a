"""Realize: turn the plan into a Narrative, choosing wording from the phrase bank.

    realize(data, seed=0, phrasebank_dirs=()) -> Narrative

Choices are made by a `random.Random` seeded from the seed and a SHA-256 of the rule
id and item number (never Python's salted hash), so the same data and seed give the
same narrative. Within one document no sentence opening (its first two characters)
and no paragraph lead is used twice while an unused alternative exists.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Sequence

from ..formats import get_format
from ..data.model import ReportData
from .filters import paren
from .narrative import Block, Narrative, Para, Span, TableRef
from .phrasebank import SLOTS, Bank, Issue, PhraseBankError, cached_bank
from .plan import Item, PlannedPara, plan
from .sandbox import RenderError, merge_spans, render, to_spans
from .values import DataView, strip_marks

OPENING_CHARS = 2
SKIP_OPENING = "“《（(，、 "


def rule_rng(seed: int, rule_id: str, index: int) -> random.Random:
    digest = hashlib.sha256(f"{seed}\x00{rule_id}\x00{index}".encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def opening(text: str) -> str:
    t = strip_marks(text).lstrip(SKIP_OPENING)
    return t[:OPENING_CHARS]


class Writer:
    def __init__(self, bank: Bank, view: DataView, seed: int):
        self.bank, self.view, self.seed = bank, view, seed
        self.used_openings: set[str] = set()
        self.used_leads: set[str] = set()
        self.base = view.context()
        for sub in ("proactive", "requests", "management", "platforms", "oversight"):
            for h in getattr(view.data.overview, sub).highlights:
                self.used_leads.add(h.lead.strip().rstrip("。"))

    def _render(self, item: Item, text: str, variant_line: int | None, variant_file: str) -> str:
        ctx = dict(self.base)
        ctx.update(item.extra)
        try:
            return render(text, ctx)
        except RenderError as e:
            raise PhraseBankError([Issue("error", f"模板无法生成：{e}", variant_file, variant_line,
                                         item.rule.id)]) from None

    def choose(self, item: Item, lead: bool = False) -> str:
        """Render the chosen variant of an item (marker text)."""
        rng = rule_rng(self.seed, item.rule.id, item.index)
        variants = list(item.case.variants)
        order = list(range(len(variants)))
        rng.shuffle(order)
        first: str | None = None
        for k in order:
            v = variants[k]
            out = self._render(item, v.text, v.line, v.file).strip()
            if not strip_marks(out).strip():
                continue
            if first is None:
                first = out
            key = strip_marks(out).rstrip("。") if lead else opening(out)
            used = self.used_leads if lead else self.used_openings
            if key not in used:
                used.add(key)
                return out
        if first is not None:
            return first
        return ""

    def spans(self, item: Item, text: str) -> list[Span]:
        try:
            return to_spans(text, item.rule.id)
        except RenderError as e:
            raise PhraseBankError([Issue("error", f"{e}", item.rule.file, item.rule.line, item.rule.id)]) from None

    def para(self, pp: PlannedPara, section: str | None) -> Para | None:
        spans: list[Span] = []
        for li in pp.lead:
            t = self.choose(li, lead=True)
            if t:
                if not strip_marks(t).endswith(("。", "：")):
                    t += "。"
                spans += self.spans(li, t)
        if pp.join is not None:
            parts = []
            for it in pp.items:
                if it.rule.join is None:
                    if parts:
                        spans += self._joined(parts, pp.join)
                        parts = []
                    spans += self.spans(it, self.choose(it))
                    continue
                t = self.choose(it)
                if t:
                    parts.append((it, t))
            if parts:
                spans += self._joined(parts, pp.join)
        else:
            for it in pp.items:
                t = self.choose(it)
                if t:
                    spans += self.spans(it, t)
        spans = merge_spans(spans)
        if not spans:
            return None
        return Para(pp.role, spans, section)  # type: ignore[arg-type]

    def _joined(self, parts: list[tuple[Item, str]], sep: str) -> list[Span]:
        out: list[Span] = []
        for n, (it, t) in enumerate(parts):
            t = t.rstrip()
            while strip_marks(t)[-1:] in ("。", "；", ";", "，"):
                t = t[:-1] if t[-1] != "\ue002" else _drop_last_punct(t)
            t += "。" if n == len(parts) - 1 else sep
            out += self.spans(it, t)
        return out

    def heading(self, item: Item) -> str:
        return strip_marks(self.choose(item, lead=True))


def _drop_last_punct(t: str) -> str:
    # the text ends with a marker: remove punctuation at the end of the marked text
    head, _, tail = t.rpartition("\ue001")
    return head + "\ue001" + tail[:-1].rstrip("。；;，") + "\ue002"


def realize(data: ReportData, seed: int = 0, phrasebank_dirs: Sequence[Path | str] = ()) -> Narrative:
    """The narrative of the report for `data`: title, preamble, six sections, table places."""
    fmt = get_format(data.format_id)
    bank = cached_bank(phrasebank_dirs)
    if bank.errors:
        raise PhraseBankError(bank.errors)
    view = DataView(data, fmt)
    w = Writer(bank, view, seed)
    planned = plan(bank, view)
    slots = {ps.slot: ps for ps in planned}

    title = f"{data.meta.body}{data.meta.year}年政府信息公开工作年度报告"
    blocks: list[Block] = [Para("title", [Span(data.meta.body, "meta.body"), Span(str(data.meta.year), "meta.year"),
                                          Span("年政府信息公开工作年度报告")])]

    def emit_slot(slot: str, number: int | None) -> bool:
        ps = slots.get(slot)
        if ps is None or not ps.paras:
            return False
        section = None if ps.section == "preamble" else ps.section
        if SLOTS[slot][2] and ps.heading is not None and number is not None:
            blocks.append(Para("h2", [Span(paren(number) + w.heading(ps.heading), None, ps.heading.rule.id)],
                               section))
        for pp in ps.paras:
            p = w.para(pp, section)
            if p is not None:
                blocks.append(p)
        return True

    emit_slot("preamble", None)
    table_of_section = {t.section: tid for tid, t in fmt.tables.items()}
    for sec in fmt.sections:
        blocks.append(Para("h1", [Span(sec.title)], sec.id))
        n = 0
        for slot, (section, _role, numbered) in SLOTS.items():
            if section != sec.id:
                continue
            if emit_slot(slot, n + 1 if numbered else None) and numbered:
                n += 1
        if sec.id in table_of_section:
            blocks.append(TableRef(table_of_section[sec.id], sec.id))
    return Narrative(title=title, blocks=blocks)


def dump(narrative: Narrative, sources: bool = False) -> str:
    """A plain-text dump (for golden tests and previews): one block a line."""
    lines = []
    for b in narrative.blocks:
        if isinstance(b, TableRef):
            lines.append(f"[{b.table}]")
            continue
        if sources:
            text = "".join(f"⟦{s.text}|{s.source}⟧" if s.source else s.text for s in b.spans)
        else:
            text = b.text
        lines.append(f"<{b.role}> {text}")
    return "\n".join(lines) + "\n"


__all__ = ["realize", "dump", "rule_rng", "PhraseBankError"]

