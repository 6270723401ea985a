"""Realize: turn the plan into a Narrative, choosing wording from the phrase bank.

    realize(data, seed=0, phrasebank_dirs=()) -> Narrative

Choices are made by a `random.Random` seeded from the seed and a SHA-256 of the rule
id and item number (never Python's salted hash), so the same data and seed give the
same narrative. Within one document no sentence opening (its first two characters)
and no paragraph lead is used twice while an unused alternative exists; a lead never
repeats its subsection heading, and a paragraph does not open with the same two
characters as the paragraph before it while an alternative exists. The drafter's own
highlights are placed after the paragraph of the subsection closest to them in content
(or first / last, as the data says).
"""

from __future__ import annotations

import hashlib
import random
import re
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
        self.heading_core = ""  # the current subsection heading without 情况/方面
        self.prev_opening = ""  # opening of the previous body paragraph
        self.avoid_openings: set[str] = set()  # openings of the drafter's leads in this slot
        self.highlight_leads: list[str] = []
        self.para_start = ""  # first sentence of the paragraph whose lead is being chosen
        self.lead_openings: set[str] = set()  # first characters of the leads used so far
        self.last_variant: dict[str, int] = {}  # rule id -> variant used for its previous item
        for sub in ("proactive", "requests", "management", "platforms", "oversight"):
            for h in getattr(view.data.overview, sub).highlights:
                self.used_leads.add(h.lead.strip().rstrip("。"))
                self.highlight_leads.append(h.lead.strip().rstrip("。"))

    def _fits(self, out: str, lead: bool) -> bool:
        """A variant that reads well here: a lead that does not repeat the heading and does not
        open like its neighbours; a sentence that does not echo a drafter's lead."""
        plain = strip_marks(out).strip()
        if lead:
            key = plain.rstrip("。")
            core = self.heading_core
            if core and (core in key or key in core):
                return False
            op = opening(out)
            echo = any(key[i:i + 4] in self.para_start for i in range(len(key) - 3))
            return (op != self.prev_opening and op not in self.avoid_openings and op not in self.lead_openings
                    and not echo)
        head = plain.lstrip(SKIP_OPENING)[:4]
        return not (len(head) == 4 and any(head in h for h in self.highlight_leads))

    def _render(self, item: Item, text: str, variant_line: int | None, variant_file: str) -> str:
        ctx = dict(self.base)
        ctx.update(item.extra)
        try:
            return render(text, ctx)
        except RenderError as e:
            raise PhraseBankError([Issue("error", f"模板无法生成：{e}", variant_file, variant_line,
                                         item.rule.id)]) from None

    def choose(self, item: Item, lead: bool = False, heading: bool = False) -> str:
        """Render the chosen variant of an item (marker text)."""
        # the five subsection headings of 总体情况 share one draw, so they take one style
        # (all …情况, all …方面 or all bare: their variants are listed in that order)
        key = "overview.headings" if heading and item.rule.slot.startswith("overview.") else item.rule.id
        rng = rule_rng(self.seed, key, item.index)
        variants = list(item.case.variants)
        order = list(range(len(variants)))
        rng.shuffle(order)
        # the items of one list do not all take the same frame: the variant of the previous
        # item goes last (when the case has another)
        prev = self.last_variant.get(item.rule.id) if item.index else None
        if prev is not None and len(order) > 1 and prev in order:
            order.remove(prev)
            order.append(prev)
        rendered: list[tuple[int, str]] = []
        for k in order:
            v = variants[k]
            out = self._render(item, v.text, v.line, v.file).strip()
            if strip_marks(out).strip():
                rendered.append((k, out))
        if lead and not heading:  # a lead that repeats the heading is worse than none
            rendered = [(k, o) for k, o in rendered if not self._repeats_heading(o)]
        used = self.used_leads if lead else self.used_openings
        keyf = (lambda o: strip_marks(o).rstrip("。")) if lead else opening
        fits = (lambda o: True) if heading else (lambda o: self._fits(o, lead))
        for pick in ([r for r in rendered if keyf(r[1]) not in used and fits(r[1])],
                     [r for r in rendered if keyf(r[1]) not in used], rendered):
            if pick:
                k, out = pick[0]
                used.add(keyf(out))
                if lead and not heading:
                    self.lead_openings.add(opening(out))
                if item.index:
                    self.last_variant[item.rule.id] = k
                return out
        return ""

    def _repeats_heading(self, out: str) -> bool:
        key, core = strip_marks(out).strip().rstrip("。"), self.heading_core
        return bool(core) and (core in key or key in core)

    def spans(self, item: Item, text: str) -> list[Span]:
        try:
            return to_spans(text, item.rule.id)
        except RenderError as e:
            raise PhraseBankError([Issue("error", f"{e}", item.rule.file, item.rule.line, item.rule.id)]) from None

    def para(self, pp: PlannedPara, section: str | None) -> Para | None:
        spans: list[Span] = []
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
        if not "".join(s.text for s in spans).strip():
            return None  # a lead over nothing is no paragraph
        # the lead is chosen knowing the paragraph, so that it does not echo its first sentence
        self.para_start = re.split(r"[。；]", "".join(s.text for s in spans), maxsplit=1)[0]
        lead: list[Span] = []
        for li in pp.lead:
            t = self.choose(li, lead=True)
            if t:
                if not strip_marks(t).endswith(("。", "：")):
                    t += "。"
                lead += self.spans(li, t)
        self.para_start = ""
        spans = merge_spans(lead + spans)
        para = Para(pp.role, spans, section)  # type: ignore[arg-type]
        self.prev_opening = opening(para.text)
        return para

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
        text = strip_marks(self.choose(item, lead=True, heading=True))
        self.heading_core = re.sub(r"(情况|方面|工作)$", "", text)
        return text


def _highlight_of(pp: PlannedPara, view: DataView):
    """The Highlight a drafter's paragraph was written from (each_para over *.highlights), or None."""
    if len(pp.items) != 1 or not pp.items[0].rule.each or not pp.items[0].rule.each.endswith(".highlights"):
        return None
    it = pp.items[0]
    node = it.extra.get("item")
    return getattr(node, "_obj", None)


def _slot_highlight_leads(ps) -> list[str]:
    out = []
    for pp in ps.paras:
        for it in pp.items:
            h = getattr(it.extra.get("item"), "_obj", None)
            if it.rule.each and it.rule.each.endswith(".highlights") and h is not None:
                out.append(h.lead)
    return out


# two-character words every paragraph of the report shares: they say nothing about the topic
COMMON_BIGRAMS = {"公开", "政府", "政务", "务公", "府信", "信息", "息公", "工作", "开工", "全年", "本年", "年度",
                  "开展", "进一", "一步", "做好", "加强", "及时", "要求", "按照", "围绕", "情况", "开政", "公开的"}


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[^\u4e00-\u9fff]", "", strip_marks(text))
    return {t[i:i + 2] for i in range(len(t) - 1)} - COMMON_BIGRAMS


PLACE_THRESHOLD = 0.12  # share of the shorter text's topic words that makes a highlight "about" a paragraph
MERGE_THRESHOLD = 0.2  # ... and that makes it the same action: its text joins that paragraph


def _topic_text(pp: PlannedPara, p: Para) -> str:
    """What a bank paragraph is about, the same whatever the seed: the data it tells and the
    fixed words of every variant of its rules (not only the variant drawn)."""
    words = [re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", v.text) for it in pp.lead + pp.items for v in it.case.variants]
    return "".join(words) + "".join(sp.text for sp in p.spans if sp.source)


def _without_lead(p: Para) -> list[Span]:
    """A highlight paragraph's spans without the drafter's lead (and the 。 after it)."""
    spans = list(p.spans)
    for i, sp in enumerate(spans):
        if sp.source and sp.source.endswith(".lead"):
            rest = spans[i + 1:]
            if rest and rest[0].source is None and rest[0].text.startswith("。"):
                rest[0] = Span(rest[0].text[1:], None, rest[0].rule)
            return spans[:i] + [r for r in rest if r.text]
    return spans


def place_highlights(paras: list[tuple[PlannedPara, Para]], view: DataView) -> list[Para]:
    """Put each drafter's highlight where it belongs: `place: first|last` when the data says so,
    else right after the bank paragraph closest in content (into it, when it tells the same
    action), else at the end of the subsection."""
    bank = [(pp, p) for pp, p in paras if _highlight_of(pp, view) is None]
    first: list[Para] = []
    last: list[Para] = []
    after: dict[int, list[Para]] = {}
    merged: dict[int, list[Span]] = {}
    for pp, p in paras:
        h = _highlight_of(pp, view)
        if h is None:
            continue
        if h.place == "first":
            first.append(p)
            continue
        if h.place == "last" or not bank:
            last.append(p)
            continue
        mine = _bigrams(p.text)
        scores = []
        for k, (bpp, bp) in enumerate(bank):
            theirs = _bigrams(_topic_text(bpp, bp))
            scores.append((len(mine & theirs) / max(1, min(len(mine), len(theirs))), -k))
        best, negk = max(scores)
        if best >= MERGE_THRESHOLD and -negk not in merged:
            merged[-negk] = _without_lead(p)
        elif best >= PLACE_THRESHOLD:
            after.setdefault(-negk, []).append(p)
        else:
            last.append(p)
    out = list(first)
    for k, (_, bp) in enumerate(bank):
        if k in merged:
            bp = Para(bp.role, merge_spans(bp.spans + merged[k]), bp.section)
        out.append(bp)
        out.extend(after.get(k, []))
    return out + last


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
        w.heading_core = ""
        if SLOTS[slot][2] and ps.heading is not None and number is not None:
            blocks.append(Para("h2", [Span(paren(number) + w.heading(ps.heading), None, ps.heading.rule.id)],
                               section))
        w.avoid_openings = {opening(h) for h in _slot_highlight_leads(ps)}
        paras = []
        for pp in ps.paras:
            p = w.para(pp, section)
            if p is not None:
                paras.append((pp, p))
        blocks.extend(place_highlights(paras, view))
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

