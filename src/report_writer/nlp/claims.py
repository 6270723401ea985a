"""Claims: a quantity of the prose tied to a metric of the lexicon, with its scope.

The linker works clause by clause (Chinese punctuation), on the raw text:

* a quantity is tied to the metric whose word is nearest to it in its clause
  (words before the number preferred), when the metric's context word is in the
  clause or sentence, no exclude word is in the clause and the measure word fits;
* two metric words joined by 及/和/与/、 before one number make one claim on their sum
  (予以公开及部分公开258件);
* negations make zero-claims: 未收到政府信息公开申请 → requests_new = 0,
  未发生…行政复议、行政诉讼 → reviews = 0 and lawsuits = 0;
* scope words (其中, 本级, 全市 in a department's report, 同比, 一季度 …) give the
  claim a scope: such a claim is not compared with the table total.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .quantities import DateMention, Quantity, base_unit, find_dates, find_quantities, normalize

# ---------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Metric:
    id: str
    label: str
    source: Any  # str | list[str] | {format id: str | list[str]}
    unit: str | None
    words: tuple[str, ...]
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    also: tuple[Any, ...] = ()
    specific: bool = False

    def paths(self, format_id: str | None, source: Any = None) -> list[str]:
        src = self.source if source is None else source
        if isinstance(src, dict):
            src = src.get(str(format_id)) if format_id is not None else None
            if src is None:
                return []
        if isinstance(src, str):
            return [src]
        return list(src or [])

    def alternatives(self, format_id: str | None) -> list[list[str]]:
        """The primary source first, then the honest alternatives."""
        out = [self.paths(format_id)]
        out += [self.paths(format_id, a) for a in self.also]
        return [p for p in out if p]


@dataclass
class Lexicon:
    metrics: dict[str, Metric]
    scope_words: dict[str, tuple[str, ...]]
    # (word, metric id) sorted by word length, longest first
    entries: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.entries = sorted(((w, m.id) for m in self.metrics.values() for w in m.words),
                              key=lambda e: -len(e[0]))
        self._word_re = re.compile("|".join(sorted({re.escape(w) for w, _ in self.entries}, key=len, reverse=True)))
        by_word: dict[str, list[str]] = {}
        for w, mid in self.entries:
            by_word.setdefault(w, []).append(mid)
        self._by_word = {w: tuple(mids) for w, mids in by_word.items()}  # shared by every Hit: read only
        allscope = sorted({(w, k) for k, ws in self.scope_words.items() for w in ws}, key=lambda e: -len(e[0]))
        self._scope_re = re.compile("|".join(re.escape(w) for w, _ in allscope)) if allscope else None
        self._scope_kind = {}
        for w, k in allscope:
            self._scope_kind.setdefault(w, k)

    def terms(self) -> set[str]:
        out = {w for w, _ in self.entries}
        for m in self.metrics.values():
            out.update(m.context)
            out.update(m.exclude)
        return {t for t in out if len(t) >= 2}


DEFAULT_SCOPE = {
    "part": ("其中",),
    "level": ("本级", "市级", "县级", "区级", "乡镇", "街道", "各部门", "部门"),
    "aggregate": ("全市", "全县", "全区", "全省", "各级", "各种"),
    "own": ("本机关", "本单位"),
    "change": ("同比", "较上年", "比上年", "增长", "增加", "减少", "下降"),
    "period": ("上半年", "下半年", "季度", "月份"),
    "average": ("平均", "日均", "人均"),
    "previous": ("上年度", "去年", "累计"),
    "filing": ("备案",),
}


def lexicon_path() -> Path:
    env = os.environ.get("REPORT_WRITER_PHRASEBANK")
    if env and (Path(env) / "metrics.yaml").is_file():
        return Path(env) / "metrics.yaml"
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "phrasebank" / "metrics.yaml"
        if cand.is_file():
            return cand
    return here.parents[3] / "phrasebank" / "metrics.yaml"


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    p = Path(path) if path else lexicon_path()
    raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    metrics = {}
    for m in raw.get("metrics", []):
        metrics[m["id"]] = Metric(
            id=m["id"], label=m.get("label", m["id"]), source=m.get("source"), unit=m.get("unit"),
            words=tuple(m.get("words") or ()), context=tuple(m.get("context") or ()),
            exclude=tuple(m.get("exclude") or ()), also=tuple(m.get("also") or ()),
            specific=bool(m.get("specific", False)))
    scope = {k: tuple(v or ()) for k, v in (raw.get("scope_words") or DEFAULT_SCOPE).items()}
    return Lexicon(metrics=metrics, scope_words=scope)


# ---------------------------------------------------------------- text structure

SENT_END = "。！？!?"
SEMI = "；;"
COMMA = "，,：:"
ENUM = "、"
_PAREN_OPEN, _PAREN_CLOSE = "(（", ")）"


def sentence_spans(t: str, ends: str = SENT_END + SEMI) -> list[tuple[int, int]]:
    """Sentences on Chinese full stops (and ；), outside parentheses; offsets in t."""
    return list(_sentence_spans(t, ends))


@lru_cache(maxsize=64)
def _marks(chars: str) -> re.Pattern:
    """The characters the scanners below act on (parentheses and `chars`): the regex engine finds
    them, so the loops visit a few marks instead of every character."""
    return re.compile("[" + re.escape(_PAREN_OPEN + _PAREN_CLOSE + chars) + "]")


@lru_cache(maxsize=512)
def _sentence_spans(t: str, ends: str) -> tuple[tuple[int, int], ...]:
    out, start, depth = [], 0, 0
    for m in _marks(ends + "\n").finditer(t):
        i, c = m.start(), m.group()
        if c in _PAREN_OPEN:
            depth += 1
        elif c in _PAREN_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:  # an end of sentence or a line break
            out.append((start, i + 1))
            start = i + 1
    if start < len(t):
        out.append((start, len(t)))
    return tuple((a, b) for a, b in out if t[a:b].strip())


@lru_cache(maxsize=512)
def _sentence_starts(t: str, ends: str) -> list[int]:
    return [a for a, _ in _sentence_spans(t, ends)]


def sentence_at(t: str, pos: int, ends: str = SENT_END + SEMI) -> tuple[int, int] | None:
    """The sentence of t (as sentence_spans gives them) that holds offset `pos`, found by bisection:
    asked once per number, a scan of every sentence would make a long paragraph quadratic."""
    spans = _sentence_spans(t, ends)
    i = bisect.bisect_right(_sentence_starts(t, ends), pos) - 1
    if i >= 0 and pos < spans[i][1]:
        return spans[i]
    return None


class _Inside:
    """Whether an offset lies strictly inside one of disjoint spans sorted by start (paren_spans),
    by bisection: only the last span starting before it can hold it."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.starts = [a for a, _ in spans]

    def __call__(self, x: int) -> bool:
        i = bisect.bisect_left(self.starts, x) - 1
        return i >= 0 and x < self.spans[i][1]


def _outside(x: int) -> bool:
    return False


def clause_spans(t: str, a: int, b: int, seps: str = COMMA + ENUM) -> list[tuple[int, int]]:
    """Clauses of t[a:b] on ，、： (not inside parentheses, not a thousands comma 3,456)."""
    out, start, depth = [], a, 0
    for m in _marks(seps).finditer(t, a, b):
        i, c = m.start(), m.group()
        if c in _PAREN_OPEN:
            depth += 1
        elif c in _PAREN_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:  # a separator
            if c == "," and 0 < i < len(t) - 1 and t[i - 1].isdigit() and t[i + 1].isdigit():
                continue
            out.append((start, i))
            start = i + 1
    out.append((start, b))
    return out


def paren_spans(t: str) -> list[tuple[int, int]]:
    out, stack = [], []
    for m in _marks("").finditer(t):
        i, c = m.start(), m.group()
        if c in _PAREN_OPEN:
            stack.append(i)
        elif stack:
            s = stack.pop()
            if not stack:
                out.append((s, i + 1))
    return out


# ---------------------------------------------------------------- claims


@dataclass
class Claim:
    metrics: tuple[str, ...]  # one metric, or several whose sum is stated (予以公开及部分公开)
    start: int  # the number (or the negated words) in the raw text
    end: int
    quantity: Quantity | None  # None for a zero-claim from a negation
    scope: str | None = None  # None = the body's full year figure; else the kind of scope
    scope_word: str | None = None
    negated: bool = False
    sentence: tuple[int, int] = (0, 0)
    word: str = ""  # the metric word that named it

    @property
    def metric(self) -> str:
        return "+".join(self.metrics)

    @property
    def low(self) -> Decimal | None:
        return Decimal(0) if self.quantity is None else self.quantity.low

    @property
    def high(self) -> Decimal | None:
        return Decimal(0) if self.quantity is None else self.quantity.high

    def admits(self, v: Decimal) -> bool:
        if self.quantity is None:
            return v == 0
        return self.quantity.contains(v)

    def shown(self) -> str:
        if self.quantity is None:
            return "0（文中表述为未发生）"
        return self.quantity.text


@dataclass
class Context:
    """What the linker needs to know about the reporting body."""

    body: str | None = None  # 宿迁市人民政府
    level: str | None = None  # meta.level: 市级政府, 县级部门 …

    def own_aggregate(self, word: str) -> bool:
        """全市 in the report of a 市 government is the body's own scope."""
        if not self.level or "政府" not in self.level:
            return False
        ch = word[-1] if len(word) == 2 and word[0] == "全" else None
        if ch is None:
            return False
        lv = {"市": "市级政府", "县": "县级政府", "区": "县级政府", "省": "省级政府", "州": "市级政府",
              "旗": "县级政府", "盟": "市级政府"}.get(ch)
        if lv != self.level:
            return False
        if self.body and ch in "市县区省州旗盟":
            name = self.body.replace("人民政府", "")
            return name.endswith(ch) or ch in "市县区"  # 某某区人民政府: 全区
        return True


# unit groups: a metric counted in 件 may be written 条 or 个; people in 人次 or 人; money in 元
_UNIT_GROUPS = [
    {"件", "条", "个", "项", "宗", "起", "例", "份", "篇", "件次"},
    {"次", "场", "期", "轮", "批"},
    {"人次", "人", "名"},
    {"元", "万元", "亿元"},
]


def unit_fits(metric_unit: str | None, q: Quantity) -> bool:
    if q.is_percent or q.unit == "个百分点":
        return False
    if q.unit is None or metric_unit is None:
        return True
    return _units_fit(metric_unit, q.unit)


@lru_cache(maxsize=None)
def _units_fit(metric_unit: str, unit: str) -> bool:
    mu, qu = base_unit(metric_unit), base_unit(unit)
    if mu == qu:
        return True
    return any(mu in g and qu in g for g in _UNIT_GROUPS)


_NEGATION_RE = re.compile(r"(?:均未|尚未|暂未|未曾|从未|未|没有|无)")
# metrics that are totals: under 其中 they are always a part (其中网上收到申请20件)
TOTAL_METRICS = {"requests_new", "requests_all", "requests_completed", "items_published", "reviews", "lawsuits"}

# metrics whose absence official prose states with a negation (未收到申请, 未发生复议诉讼 …)
NEGATABLE = {"requests_new", "requests_all", "requests_carried", "reviews", "lawsuits", "reviews_corrected",
             "info_fee", "outcome_open", "outcome_partial", "outcome_refused", "outcome_unable",
             "outcome_not_handled", "outcome_other", "requests_next"}
_NEG_BLOCK = ("尚未审结", "未经复议", "未经", "未审结", "无法提供", "无正当理由", "未按", "未能", "无需", "无误", "未予")
_NEG_BLOCK_RE = re.compile("|".join(re.escape(b) for b in _NEG_BLOCK))
_CONJ_RE = re.compile(r"^(?:及|和|与|以及|或|、|或者)$")
_STOP_SCOPE_INSIDE = ("同比",)


@dataclass(slots=True)
class Hit:
    start: int
    end: int
    word: str
    metrics: tuple[str, ...]


def _word_hits(lex: Lexicon, t: str, a: int, b: int) -> list[Hit]:
    """Metric words in t[a:b], leftmost-longest, non-overlapping."""
    by_word = lex._by_word
    out = []
    for m in lex._word_re.finditer(t, a, b):
        w = m.group()
        out.append(Hit(*m.span(), w, by_word[w]))
    return out


@lru_cache(maxsize=None)
def _any_re(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _has_any(t: str, a: int, b: int, words) -> bool:
    """Does t[a:b] hold one of the words? (one regex search instead of a slice and an `in` per word)"""
    return bool(words) and _any_re(tuple(words)).search(t, a, b) is not None


def _valid(lex: Lexicon, mid: str, t: str, clause: tuple[int, int], sent: tuple[int, int], upto: int) -> bool:
    m = lex.metrics[mid]
    # (the clause lies inside [sent[0], max(upto, clause[1])): its own test would add nothing)
    if m.context and not _has_any(t, sent[0], max(upto, clause[1]), m.context):
        # the context may stand earlier in the full sentence (…申请67件，上年结转5件；办结68件)
        full = sentence_at(t, clause[0], SENT_END) or sent
        if not _has_any(t, full[0], max(upto, clause[1]), m.context):
            return False
        if m.specific and not _has_any(t, _after_semicolon(t, full[0], clause[0]), max(upto, clause[1]), m.context):
            # a refinement takes its context from its own part of the sentence only:
            # 未发生行政复议；被提起行政诉讼1件，其中结果纠正1件 — that 纠正 is not a 复议 result
            return False
    if m.exclude and _has_any(t, clause[0], clause[1], m.exclude):
        return False
    return True


def _after_semicolon(t: str, start: int, at: int) -> int:
    """Start of the ；-separated part of the sentence that holds position `at`."""
    cut = max(t.rfind("；", start, at), t.rfind(";", start, at))
    return cut + 1 if cut >= 0 else start


def _choose(lex: Lexicon, hit: Hit, t: str, clause, sent, upto, q: Quantity | None) -> str | None:
    cands = [mid for mid in hit.metrics if (q is None or unit_fits(lex.metrics[mid].unit, q))
             and _valid(lex, mid, t, clause, sent, upto)]
    if not cands:
        return None
    specific = [c for c in cands if lex.metrics[c].specific or lex.metrics[c].context]
    return (specific or cands)[0]


def _scope(lex: Lexicon, ctx: Context, t: str, sent: tuple[int, int], clause: tuple[int, int], at: int,
           masked: list[tuple[int, int]], parens: list[tuple[int, int]], dates: list[DateMention]):
    """The scope of a number at `at`: (kind, word) or (None, None) for the body's full figure."""
    holder = next((s for s, e in parens if s < at < e), None) if parens else None
    if holder is not None:
        inner = t[holder:at]
        if not inner.startswith(("(含", "（含", "(包括", "（包括")):
            return "part", "括注"
    if lex._scope_re is None:
        return None, None
    found = []
    for m in lex._scope_re.finditer(t, sent[0], at):
        a, b = m.span()
        if any(s < b and a < e for s, e in masked):
            continue
        kind = lex._scope_kind[m.group()]
        # a change, an average, another level, a filing or a period is said of its own clause
        # (or of a leading clause without a number: 一季度，收到申请5件)
        if kind in ("change", "average", "level", "filing", "own", "period") and a < clause[0]:
            if kind in ("change", "average") or not _leading(t, sent, a, at):
                continue
        found.append((a, kind, m.group()))
    for d in dates:
        if sent[0] <= d.start < at and d.kind in ("month", "quarter", "date") and not (
                d.month == 12 and d.day == 31) and (d.start >= clause[0] or _leading(t, sent, d.start, at)):
            pre = t[max(sent[0], d.start - 3):d.start]
            if "截至" not in pre and "截止" not in pre and "至" not in t[d.end:d.end + 1] and "印发" not in t[d.end:at]:
                found.append((d.start, "period", d.text))
    if not found:
        return None, None
    own = [f for f in found if f[1] == "own"]
    found = [f for f in found if f[1] != "own"]
    out = []
    for a, kind, w in found:
        if kind == "aggregate" and ctx.own_aggregate(w):
            continue
        if kind == "level" and own:
            continue
        out.append((a, kind, w))
    if not out:
        return None, None
    a, kind, w = max(out)
    return kind, w


def _leading(t: str, sent: tuple[int, int], a: int, at: int) -> bool:
    """Is offset a in a leading clause of the sentence that holds no digit (一季度，…)?"""
    for c0, c1 in clause_spans(t, sent[0], sent[1], COMMA):
        if c0 <= a <= c1:
            return c0 == sent[0] and not any(ch.isdigit() for ch in t[c0:c1].replace(t[a:a], ""))
    return False


def link(text: str, lex: Lexicon | None = None, ctx: Context | None = None, norm: str | None = None,
         quantities: list[Quantity] | None = None, dates: list[DateMention] | None = None) -> list[Claim]:
    """All claims of one paragraph (raw text; offsets in it)."""
    lex = lex or load_lexicon()
    ctx = ctx or Context()
    t = norm if norm is not None else normalize(text)
    if dates is None:
        dates = find_dates(text, t)
    if quantities is None:
        quantities = find_quantities(text, t, dates)
    parens = paren_spans(t) if "(" in t or "（" in t else []
    in_paren = _Inside(parens) if parens else _outside
    # the quantities of each sentence by bisection (in their order in `quantities`)
    by_start = sorted(range(len(quantities)), key=lambda i: quantities[i].num_start)
    num_starts = [quantities[i].num_start for i in by_start]
    claims: list[Claim] = []
    for sent in _sentence_spans(t, SENT_END + SEMI):  # (sentence_spans' own tuple: no copy)
        lo, hi = bisect.bisect_left(num_starts, sent[0]), bisect.bisect_left(num_starts, sent[1])
        negation = _NEGATION_RE.search(t, sent[0], sent[1]) is not None
        if lo == hi and not negation:
            continue  # neither a number nor a negation: no claim
        hits_all = _word_hits(lex, t, *sent)
        if not hits_all:
            continue  # every claim, of a number or of a negation, is named by a metric word
        masked = [(h.start, h.end) for h in hits_all]
        sent_hit_starts = [h.start for h in hits_all]
        commas = clause_spans(t, sent[0], sent[1], COMMA)
        comma_starts = [c[0] for c in commas]  # strictly increasing: the pieces between separators
        enums: dict[tuple[int, int], list[tuple[int, int]]] = {}
        qs = [quantities[i] for i in sorted(by_start[lo:hi])]
        first_claim = len(claims)
        for q in qs:
            if q.is_percent or q.unit == "个百分点":
                continue
            # the first clause with c0 <= x <= c1 (a number right at a separator belongs to the clause before)
            comma = commas[bisect.bisect_right(comma_starts, q.num_start) - 1]
            if not comma[0] <= q.num_start <= comma[1]:
                comma = sent
            k = bisect.bisect_left(sent_hit_starts, comma[0])
            if k == len(sent_hit_starts) or sent_hit_starts[k] > comma[1]:
                continue  # no metric word in the clause: nothing names this number
            pieces = enums.get(comma)
            if pieces is None:
                pieces = enums[comma] = clause_spans(t, comma[0], comma[1], ENUM)
            clause = next(((a, b) for a, b in pieces if a <= q.num_start <= b), comma)
            hits = [h for h in hits_all if clause[0] <= h.start and h.end <= clause[1]]
            if q.unit is None:
                # a bare number counts only right after its metric word: 账号43、
                hits = [h for h in hits if h.end == q.start]
            best = None
            for h in hits:
                if in_paren(h.start) != in_paren(q.num_start):
                    continue  # a word inside (…) does not name a number outside it, nor the reverse
                mid = _choose(lex, h, t, clause, sent, q.start, q)
                if mid is None:
                    continue
                dist = q.start - h.end if h.end <= q.start else (h.start - q.end) + 8
                if best is None or dist < best[0]:
                    best = (dist, h, mid)
            if best is None:
                continue
            # a specific metric in the clause whose context is the chosen word wins:
            # 1件答复在行政复议中被纠正 is a correction, not the count of reviews
            for g in hits:
                if in_paren(g.start) != in_paren(q.num_start):
                    continue  # 复议3件（结果纠正1件…）: the bracketed breakdown does not rename the total
                for gm in g.metrics:
                    spec = lex.metrics[gm]
                    if (gm != best[2] and spec.specific and any(w in best[1].word for w in spec.context)
                            and _valid(lex, gm, t, clause, sent, q.start) and unit_fits(spec.unit, q)):
                        best = (best[0], g, gm)
                        break
            _, h, mid = best
            mids = [mid]
            # 予以公开及部分公开258件: the sum of both metrics
            if h.end <= q.start:
                comma_hits = [g for g in hits_all if comma[0] <= g.start and g.end <= comma[1]]
                prev = [g for g in comma_hits if g.end <= h.start]
                while prev:
                    g = prev[-1]
                    if not _CONJ_RE.match(t[g.end:h.start].strip()):
                        break
                    gm = _choose(lex, g, t, clause, sent, q.start, q)
                    if gm is None or gm in mids:
                        break
                    mids.insert(0, gm)
                    h = g
                    prev = [x for x in comma_hits if x.end <= g.start]
            kind, word = _scope(lex, ctx, t, sent, comma, q.start, masked, parens, dates)
            claims.append(Claim(metrics=tuple(mids), start=q.num_start, end=q.end, quantity=q, scope=kind,
                                scope_word=word, sentence=sent, word=best[1].word))
        # 其中 narrows only a metric already stated in the sentence (共收到30件，其中网上收到20件);
        # 其中自然人申请3493件 is the 自然人 figure itself
        sent_claims = claims[first_claim:]  # the claims of this sentence
        for c in sent_claims:
            if c.scope == "part" and c.scope_word == "其中" and not (set(c.metrics) & TOTAL_METRICS):
                if not any(o.metrics == c.metrics and o.start < c.start and o.scope is None for o in sent_claims):
                    c.scope, c.scope_word = None, None
        if negation:
            claims += _negations(lex, ctx, t, sent, commas, hits_all, masked, parens, dates, qs)
    claims.sort(key=lambda c: c.start)
    return claims


def _negations(lex, ctx, t, sent, commas, hits_all, masked, parens, dates, qs) -> list[Claim]:
    out: list[Claim] = []
    for comma in commas:
        for m in _NEGATION_RE.finditer(t, comma[0], comma[1]):
            a = m.start()
            if _NEG_BLOCK_RE.match(t, a) or _NEG_BLOCK_RE.match(t, max(comma[0], a - 1)):
                continue  # (one of _NEG_BLOCK starts at the negation or the character before it)
            if any(h.start <= a < h.end for h in hits_all):
                continue  # 无 of 无法提供
            if any(comma[0] <= q.num_start < comma[1] for q in qs):
                continue  # a clause with a number states the number
            tail_hits = [h for h in hits_all if h.start >= m.end() and h.end <= comma[1]]
            if not tail_hits or tail_hits[0].start - m.end() > 24:
                continue
            chosen: list[tuple[Hit, str]] = []
            for h in tail_hits:
                mid = _choose(lex, h, t, comma, sent, comma[1], None)
                if mid not in NEGATABLE:
                    continue
                if mid is not None and mid not in [c for _, c in chosen]:
                    chosen.append((h, mid))
            # a specific metric (被纠错 of 复议) overrules the general one whose word is its context
            spec = [c for _, c in chosen if lex.metrics[c].specific]
            drop = {c for _, c in chosen for s in spec
                    if c != s and any(w in lex.metrics[s].context for w in lex.metrics[c].words)}
            kind, word = _scope(lex, ctx, t, sent, comma, a, masked, parens, dates)
            for h, mid in chosen:
                if mid in drop:
                    continue
                out.append(Claim(metrics=(mid,), start=h.start, end=h.end, quantity=None, scope=kind,
                                 scope_word=word, negated=True, sentence=sent, word=h.word))
            break
    return out
