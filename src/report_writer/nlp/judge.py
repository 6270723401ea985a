"""Narrative numbers against the tables, the data file and the rest of the text.

Entry point: narrative_findings(doc, sections, report, data=None) -> list[Finding].

Rule ids (stable):
  NUM-TABLE    a number of the prose differs from the document's own tables (表二、表三、表四)
  NUM-PERCENT  a percentage that the table does not give (count / （七）总计, or as the text says)
  NUM-SUM      parts listed after 其中 / 分别 / in brackets do not add up to their total
  NUM-DUP      the same fact stated twice with different numbers
  NUM-MISSING  a measure word whose number is missing (共主动公开条)
  NUM-DATA     a number of the prose differs from the data file

Comparison is by interval intersection (近300 is below 300, 18万余条 is 180000–190000),
a number under a narrower scope (其中, 本级, 全市 in a department's report, 同比, 一季度 …)
is not compared with a total, and a cell that is empty, "/" or text is never taken as 0.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..limits import exceeded, limit
from ..findings import Finding, Location
from ..data.model import Count, ReportData, format_decimal
from .claims import (COMMA, SENT_END, Claim, Context, Lexicon, Metric, clause_spans, load_lexicon, paren_spans,
                     sentence_at, sentence_spans, unit_fits)
from .judge_facts import identity_findings
from .judge_outcomes import outcome_findings
from .judge_parts import parts_findings
from .judge_shares import share_findings
from .pipeline import analysis
from .quantities import _DIGIT_RE, Quantity, base_unit, find_quantities, to_base

TABLE_SECTIONS = {"proactive", "requests", "appeals"}
_HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d))")
_TABLE_ROW_RE = re.compile(r"(?=\d)(?:\d+(?:\.\d+)?\s+){2,}\d")
_SPACE_RE = re.compile(r"\s")
_FIGURES_ONLY_RE = re.compile(r"[\d\s.,，/—\-–%]+")
# NUM-DUP's key of a wording: the clause before the number without its time and total words
_PART_LEAD_RE = re.compile(r"\s*(其中|分别|另有|另|含|包括)")
_KEY_WORDS_RE = re.compile(r"全年|本年度|本年|今年|年内|共计|一共|累计|合计|共|累|^[一二三四五六七八九十]+是")
_KEY_MARKS_RE = re.compile(r"[\s“”\"'《》（）()]")
_PERCENT_WORDS = ("占", "比例", "比重", "占比")
_CHANGE_WORDS = ("同比", "增长", "下降", "提高", "降低", "上升", "减少", "增加", "较上年", "比上年", "率")
_SUM_STOP = ("办结", "答复", "结转", "同比", "增长", "下降", "较", "比上年", "平均", "累计", "另有", "此外", "另外",
             "合计", "共计", "总计", "以上", "占")


# ---------------------------------------------------------------- logical paragraphs


@dataclass
class LogicalPara:
    """Paragraphs joined where a line was broken mid-sentence (PDF text); offsets map back."""

    section: str | None
    text: str = ""
    segments: list[tuple[int, int, int]] = field(default_factory=list)  # (logical start, paragraph index, length)

    def add(self, index: int, text: str) -> None:
        self.segments.append((len(self.text), index, len(text)))
        self.text += text

    def locate(self, a: int, b: int) -> tuple[int, int, int]:
        for start, idx, n in self.segments:
            if start <= a < start + n or (a == start + n and (start, idx, n) == self.segments[-1]):
                return idx, a - start, min(b, start + n) - start
        start, idx, n = self.segments[-1]
        return idx, max(0, a - start), max(0, min(b, start + n) - start)


def _section_finder(sections: list):
    """index -> id of the last section (in paragraph order) starting at or before it; sorted once."""
    ordered = sorted(sections, key=lambda s: getattr(s, "paragraph", 0))
    starts = [getattr(s, "paragraph", 0) for s in ordered]
    ids = [getattr(s, "id", None) for s in ordered]
    first = "preamble" if sections else None

    def section_of(index: int) -> str | None:
        j = bisect.bisect_right(starts, index)
        return ids[j - 1] if j else first

    return section_of


def _is_table_text(text: str, section: str | None) -> bool:
    t = text.strip()
    if not t:
        return True
    if _SPACE_RE.search(t) and _TABLE_ROW_RE.search(t):  # (a row of figures has spaces between them)
        return True
    if _FIGURES_ONLY_RE.fullmatch(t):
        return True
    if section in TABLE_SECTIONS and "。" not in t:
        return True
    return False


def logical_paragraphs(doc: Any, sections: list) -> list[LogicalPara]:
    out: list[LogicalPara] = []
    cur: LogicalPara | None = None
    section_of = _section_finder(sections)
    headings = {getattr(s, "paragraph", None) for s in sections}
    for p in doc.paragraphs:
        text = p.text or ""
        section = section_of(p.index)
        heading_para = p.index in headings
        if getattr(p, "style", None) == "title" or heading_para or _is_table_text(text, section):
            cur = None
            continue
        stripped = text.rstrip()
        if (cur is not None and cur.section == section and not _HEADING_RE.match(text)
                and cur.text and cur.text.rstrip()[-1] not in "。！？；;!?:：" and getattr(p, "style", None) != "heading"):
            cur.add(p.index, text)
        else:
            cur = LogicalPara(section=section)
            cur.add(p.index, text)
            out.append(cur)
        if not stripped or stripped[-1] in "。！？!?" or getattr(p, "style", None) == "heading":
            cur = None
    return out


# ---------------------------------------------------------------- values


@dataclass
class Ref:
    """A reference value: a table cell (or a sum of cells), or a data-file fact, as an interval."""

    low: Decimal
    high: Decimal | None
    shown: str
    where: str
    low_open: bool = False
    high_open: bool = False

    @property
    def point(self) -> Decimal | None:
        return self.low if self.high == self.low and not self.low_open else None


def _table_paths(paths: list[str]) -> bool:
    return bool(paths) and all(p.split(".")[0] in ("table2", "table3", "table4") for p in paths)


def table_sum(rd: ReportData | None, paths: list[str]) -> Decimal | None:
    """Sum of table cells; None if a cell is missing or not a number (never guess 0)."""
    if rd is None or not _table_paths(paths):
        return None
    total = Decimal(0)
    for p in paths:
        parts = p.split(".")
        if len(parts) != 3:
            return None
        cell = rd.cell(*parts)
        if cell is None or not cell.is_number or cell.value is None:
            return None
        total += cell.value
    return total


def _fact(rd: ReportData, path: str) -> Any:
    obj: Any = rd
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def fact_interval(rd: ReportData | None, paths: list[str], unit: str | None) -> tuple | None:
    """(low, high, low_open, high_open, shown) of a data-file fact or table sum."""
    if rd is None or not paths:
        return None
    if _table_paths(paths):
        v = table_sum(rd, paths)
        if v is None:
            return None
        b = to_base(v, unit)
        return b, b, False, False, format_decimal(v) + (unit or "")
    lo = hi = Decimal(0)
    lo_open = hi_open = False
    shown = []
    for p in paths:
        v = _fact(rd, p)
        if v is None or isinstance(v, bool):
            return None
        if isinstance(v, Count):
            q = find_quantities(v.text() + (unit or "件"))
            if not q:
                return None
            q0 = q[0]
            if q0.high is None or q0.low is None:
                return None
            lo, hi = lo + q0.low, hi + q0.high
            lo_open, hi_open = lo_open or q0.low_open, hi_open or q0.high_open
            shown.append(v.text())
        elif isinstance(v, (int, Decimal)):
            lo, hi = lo + Decimal(v), hi + Decimal(v)
            shown.append(format_decimal(Decimal(v)))
        else:
            return None
    return lo, hi, lo_open, hi_open, "＋".join(shown) + (unit or "")


def describe(paths: list[str], format_id: str) -> str:
    """Where a value is in the tables, in the words of the form: 表三“（一）予以公开”总计."""
    try:
        from ..formats import all_formats

        fmt = all_formats()[format_id]
    except Exception:  # noqa: BLE001
        fmt = None
    if not paths:
        return ""
    tid = paths[0].split(".")[0]
    if tid not in ("table2", "table3", "table4") or fmt is None:
        return "数据文件 " + "、".join(paths)
    try:
        table = fmt.table(tid)
    except Exception:  # noqa: BLE001
        return "、".join(paths)
    rows, cols = [], []
    for p in paths:
        _, r, c = p.split(".")
        rows.append(r)
        cols.append(c)
    try:
        row_objs = [table.row(r) for r in dict.fromkeys(rows)]
        col_label = table.column(rows[0], cols[0]).label
    except Exception:  # noqa: BLE001
        return "、".join(paths)
    if tid == "table4":
        names = []
        for r in row_objs:
            names.append((r.group_label + "·" if r.group_label else "") + r.label)
        return f"{table.name}{'与'.join(names)}“{col_label}”" + ("之和" if len(names) > 1 else "")
    if len(row_objs) == 1 and len(set(cols)) > 1:
        return f"{table.name}“{row_objs[0].label}”除自然人以外各列之和"
    if len(row_objs) == 1:
        label = row_objs[0].label
        return f"{table.name}“{label}”" + ("" if col_label in label else col_label)
    parents = {r.parent for r in row_objs}
    if len(parents) == 1 and None not in parents:
        try:
            return f"{table.name}“{table.row(parents.pop()).label}”各项{col_label}之和"
        except Exception:  # noqa: BLE001
            pass
    return f"{table.name}" + "与".join(f"“{r.label}”" for r in row_objs) + f"{col_label}之和"


# ---------------------------------------------------------------- the pass


@dataclass
class Found:
    lp: LogicalPara
    claim: Claim
    doc: Any


def narrative_findings(doc: Any, sections: list, report: ReportData, data: ReportData | None = None) -> list[Finding]:
    """The NUM-* findings of a read document (report = the document's own tables)."""
    lex = load_lexicon()
    meta = data.meta if data is not None else report.meta
    ctx = Context(body=getattr(meta, "body", None), level=getattr(meta, "level", None))
    fid = report.format_id
    paras = logical_paragraphs(doc, sections)
    findings: list[Finding] = []
    findings += [_skipped(lp) for lp in paras if len(lp.text) > MAX_NLP_CHARS]  # time grows faster than text
    paras = [lp for lp in paras if len(lp.text) <= MAX_NLP_CHARS]
    items: list[Found] = []
    wordings: list[tuple[LogicalPara, list[tuple[tuple[str, str], Quantity]]]] = []
    compared: set[int] = set()  # id() of claims that had a reference value
    refs: dict[tuple[str, ...], _Refs] = {}  # what the tables say of each metric, looked up once
    # paragraph by paragraph, so that what one paragraph's rules share (its sentences) is still at hand
    for lp in paras:
        d = analysis(lp.text, ctx)  # spaCy is not needed for these rules
        found = [Found(lp, c, d) for c in d._.claims]
        items += found
        flagged: set[int] = set()  # starts of quantities already reported wrong
        for it in found:
            got = _compare(it, lex, fid, report, data, compared, refs)
            if got and it.claim.quantity is not None:
                flagged.add(it.claim.quantity.start)
            findings += got
        if any(q.is_percent for q in d._.quantities):  # (both rules judge percentages only)
            pct = _percent(lp, d, lex, fid, report)
            findings += pct + _shares(lp, d, report, pct)
        # a breakdown with a number already reported wrong is not reported again
        sums = _sums(lp, d, flagged)
        findings += sums
        findings += _more_parts(lp, d, flagged, sums)
        if d._.missing:
            findings += _missing(lp, d)
        findings += outcome_findings(lp, d, report, _loc, _quote)
        if lp.section != "problems":  # measures of section 五 may repeat a wording for another period
            wordings.append((lp, _wordings(d, {c.quantity.start for c in d._.claims if c.quantity is not None})))
    findings += _duplicates(items, lex, compared, wordings)
    findings += _identities(items, compared)
    path = getattr(doc, "path", None)
    if path:
        findings = [f.model_copy(update={"location": f.location.model_copy(update={"file": str(path)})})
                    for f in findings]
    return findings


MAX_NLP_CHARS = limit("MAX_NLP_CHARS")


def _skipped(lp: LogicalPara) -> Finding:
    return Finding(rule="NUM-SKIPPED", level="info", location=_loc(lp, 0, 0), found=f"{len(lp.text)} 字",
                   message="该段过长，正文数字与表格的比对未对该段执行（分析耗时随段落长度急剧增长）："
                           + exceeded("MAX_NLP_CHARS", MAX_NLP_CHARS, len(lp.text)))


def _loc(lp: LogicalPara, a: int, b: int) -> Location:
    idx, s, e = lp.locate(a, b)
    return Location(section=lp.section, paragraph=idx, start=s, end=e)


def _quote(lp: LogicalPara, a: int, b: int) -> str:
    """The clause around [a, b) as a short quotation."""
    t = lp.text
    s = a
    while s > 0 and t[s - 1] not in "，,。；;！？!?、：:\n" and a - s < 30:
        s -= 1
    e = b
    while e < len(t) and t[e] not in "，,。；;！？!?、\n" and e - b < 10:
        e += 1
    return t[s:e].strip()


def _metric_label(lex: Lexicon, mids: tuple[str, ...]) -> str:
    return "及".join(lex.metrics[m].label for m in mids)


@dataclass
class _Refs:
    """What the tables say of one metric (or sum of metrics): the same for every claim of it."""

    metrics: list[Metric]
    unit: str | None
    alts: list[list[str]]
    table_vals: list[tuple[list[str], Decimal]]
    all_read: bool  # every table alternative has a value


def _refs(mids: tuple[str, ...], lex: Lexicon, fid: str, report: ReportData) -> _Refs:
    metrics = [lex.metrics[m] for m in mids]
    alts = _alternatives(metrics, fid)
    table_alts = [paths for paths in alts if _table_paths(paths)]
    vals = [(paths, table_sum(report, paths)) for paths in table_alts]
    table_vals = [(p, v) for p, v in vals if v is not None]
    return _Refs(metrics, metrics[0].unit, alts, table_vals, bool(table_vals) and len(table_vals) == len(table_alts))


def _compare(it: Found, lex: Lexicon, fid: str, report: ReportData, data: ReportData | None,
             compared: set[int], refs: dict[tuple[str, ...], _Refs]) -> list[Finding]:
    """`refs`: what the tables say of each metric, filled as claims of it come (one per document)."""
    c, lp = it.claim, it.lp
    if c.scope is not None:
        return []
    r = refs.get(c.metrics)
    if r is None:
        r = refs[c.metrics] = _refs(c.metrics, lex, fid, report)
    metrics, unit, alts, table_vals = r.metrics, r.unit, r.alts, r.table_vals
    q = c.quantity
    a, b = (q.start, q.end) if q is not None else (c.start, c.end)
    out = []

    # the document's own tables
    if r.all_read:
        compared.add(id(c))
        if not any(c.admits(to_base(v, unit)) if q is None else q.contains(to_base(v, unit)) for _, v in table_vals):
            quote, label = _quote(lp, a, b), _metric_label(lex, c.metrics)
            paths, v = table_vals[0]
            where = describe(paths, fid)
            exp = format_decimal(v) + (unit or "")
            found = c.shown() if q is not None else "0"
            said = f"“{quote}”"
            out.append(Finding(
                rule="NUM-TABLE", level="error", expected=exp, found=found, location=_loc(lp, a, b),
                message=f"正文{said}所述{label}与表格不一致：{where}为{exp}，正文为{found if q is not None else '0（未发生）'}"))
            return out

    # the data file; section 五 narrates measures (often over several years or kinds of
    # training), so its numbers are not held against the facts of 总体情况
    if data is not None and not (lp.section == "problems" and not alts_are_tables(alts)):
        data_alts = _alternatives(metrics, data.format_id)
        ivs = [(p, fact_interval(data, p, unit)) for p in data_alts]
        ivs = [(p, iv) for p, iv in ivs if iv is not None]
        if ivs:
            compared.add(id(c))
            # table facts equal in document and data file were judged above
            if table_vals and all(_table_paths(p) and table_sum(report, p) == table_sum(data, p) for p, _ in ivs):
                return out
            if not any(_meets(c, iv) for _, iv in ivs):
                quote, label = _quote(lp, a, b), _metric_label(lex, c.metrics)
                paths, iv = ivs[0]
                where = describe(paths, data.format_id) if _table_paths(paths) else "数据文件“" + paths[0] + "”"
                found = c.shown() if q is not None else "0"
                out.append(Finding(
                    rule="NUM-DATA", level="error", expected=iv[4], found=found, location=_loc(lp, a, b),
                    message=f"正文“{quote}”所述{label}与数据文件不一致：{where}为{iv[4]}，正文为"
                            f"{found if q is not None else '0（未发生）'}"))
        elif c.metrics == ("info_fee",) and q is None:
            fee = data.other.fee
            if fee is not None and (fee.collected or (fee.amount_yuan or 0) > 0):
                compared.add(id(c))
                exp = f"{format_decimal(fee.amount_yuan)}元" if fee.amount_yuan else "已收取"
                quote = _quote(lp, a, b)
                out.append(Finding(
                    rule="NUM-DATA", level="error", expected=exp, found="未收取", location=_loc(lp, a, b),
                    message=f"正文“{quote}”称未收取信息处理费，数据文件记载本年度收取了信息处理费（{exp}）"))
    return out


def alts_are_tables(alts: list[list[str]]) -> bool:
    return bool(alts) and all(_table_paths(p) for p in alts)


def _alternatives(metrics: list[Metric], fid: str) -> list[list[str]]:
    """Source alternatives of a claim; for a sum of metrics, the sum of their primary sources."""
    if len(metrics) == 1:
        return metrics[0].alternatives(fid)
    paths: list[str] = []
    for m in metrics:
        p = m.paths(fid)
        if not p:
            return []
        paths += p
    return [paths]


def _meets(c: Claim, iv: tuple) -> bool:
    lo, hi, lo_open, hi_open, _ = iv
    if c.quantity is None:
        return lo <= 0 and (hi is None or hi >= 0) and not lo_open
    q = c.quantity
    # two intervals with open ends: disjoint when one ends where the other starts
    if q.high is not None and lo is not None and (lo > q.high or (lo == q.high and (lo_open or q.high_open))):
        return False
    if hi is not None and q.low is not None and (hi < q.low or (hi == q.low and (hi_open or q.low_open))):
        return False
    return True


# ---------------------------------------------------------------- NUM-PERCENT


def _percent(lp: LogicalPara, d: Any, lex: Lexicon, fid: str, report: ReportData) -> list[Finding]:
    out = []
    if not any(q.is_percent for q in d._.quantities):
        return out  # (most paragraphs: no need to look the bases up)
    t = d._.norm
    claims = [c for c in d._.claims if c.quantity is not None and c.scope is None]
    r37 = table_sum(report, ["table3.r3_7.total"])
    r1 = table_sum(report, ["table3.r1.total"])
    r2 = table_sum(report, ["table3.r2.total"])
    bases = [("（七）总计", r37)]
    if r1 is not None:
        bases.append(("本年新收", r1))
        if r2 is not None:
            bases.append(("新收与上年结转之和", r1 + r2))
    bases = [(n, v) for n, v in bases if v]
    if not bases:
        return out
    for q in d._.quantities:
        if not q.is_percent:
            continue
        sent = sentence_at(t, q.start)
        if sent is None:
            continue
        comma = next((c for c in clause_spans(t, sent[0], sent[1], COMMA) if c[0] <= q.start <= c[1]), sent)
        before = t[comma[0]:q.start]
        if not any(w in before for w in _PERCENT_WORDS) or any(w in before for w in _CHANGE_WORDS):
            continue
        prev = [c for c in claims if sent[0] <= c.start < q.start and c.metrics
                and all(_table_paths(lex.metrics[m].paths(fid)) and lex.metrics[m].paths(fid)[0].startswith("table3")
                        for m in c.metrics)]
        if not prev:
            continue
        c = prev[-1]
        if any(m in ("requests_new", "requests_all", "requests_carried") for m in c.metrics):
            continue  # a share of all requests is not an outcome share
        metrics = [lex.metrics[m] for m in c.metrics]
        paths = _alternatives(metrics, fid)[0]
        v = table_sum(report, paths)
        if v is None:
            continue
        half = (q.high - q.value) if q.high is not None else Decimal("0.05")
        lo, hi = q.low - half, q.high + half  # rounding or truncation of the last digit
        nums = [v] + ([c.quantity.value] if c.quantity.exact else [])
        ok = any(lo <= n * 100 / base <= hi for n in nums for _, base in bases)
        if ok:
            continue
        name, base = bases[0]
        places = max(0, -q.value.as_tuple().exponent) if "." in q.text else 0
        pct = (v * 100 / base).quantize(Decimal(1).scaleb(-places) if places else Decimal(1), rounding=ROUND_HALF_UP)
        label = _metric_label(lex, c.metrics)
        out.append(Finding(
            rule="NUM-PERCENT", level="error", expected=f"{pct}%", found=q.text, location=_loc(lp, q.start, q.end),
            message=f"正文“{_quote(lp, c.quantity.start, q.end)}”中的比例无法由表三得出：{label}"
                    f"{format_decimal(v)}件占表三{name}{format_decimal(base)}件的{pct}%，正文为{q.text}"))
    return out


# ---------------------------------------------------------------- NUM-SUM


def _sums(lp: LogicalPara, d: Any, flagged: set[int] = frozenset()) -> list[Finding]:
    out = []
    t = d._.norm
    if "其中" not in t and "分别" not in t and "(" not in t and "（" not in t:
        return out  # neither a breakdown word nor a bracket
    qs = [q for q in d._.quantities if not q.is_percent and q.unit != "个百分点"]
    parens = paren_spans(t)

    def in_paren(q: Quantity) -> bool:
        return any(s < q.start < e for s, e in parens)

    sents = sentence_spans(t, SENT_END)
    for si, sent in enumerate(sents):
        for m in re.finditer(r"其中|分别为|分别是|分别", t[sent[0]:sent[1]]):
            k = sent[0] + m.start()
            word = m.group()
            complete = word.startswith("分别") or "在内" in t[k:sent[1]]
            if word.startswith("分别") and re.search(r"其中", t[sent[0]:k]):
                continue  # 其中…分别为: judged from 其中
            totals = [q for q in qs if sent[0] <= q.start < k and not in_paren(q)]
            if not totals and word == "其中" and t[sent[0]:k].strip(" ，,。") == "" and si > 0:
                prev = sents[si - 1]
                totals = [q for q in qs if prev[0] <= q.start < prev[1] and not in_paren(q)]
            if not totals:
                continue
            seg_end = (sentence_at(t, k) or (0, sent[1]))[1]
            parts_a = _parts(t, qs, k, seg_end, in_paren)
            parts_b = _parts(t, qs, k, sent[1], in_paren)
            units = {base_unit(q.unit) or "" for q in totals}
            for u in units:
                if not u:
                    continue
                cands = [q for q in totals if (base_unit(q.unit) or "") == u]
                pa = [q for q in parts_a if base_unit(q.unit) == u]
                pb = [q for q in parts_b if base_unit(q.unit) == u]
                if not pb:
                    continue
                if any(q.start in flagged for q in cands + pb):
                    continue
                f = _judge_sum(lp, cands, pa, pb, complete, word)
                if f:
                    out.append(f)
    # bracketed breakdowns right after a total: 3607件(市政府349件、…)
    for s, e in parens:
        total = next((q for q in qs if 0 <= s - q.end <= 1 and not in_paren(q)), None)
        if total is None:
            continue
        parts = [q for q in qs if s < q.start < e and base_unit(q.unit) == base_unit(total.unit)]
        if len(parts) < 2 or any(q.start in flagged for q in parts + [total]):
            continue
        lo, hi = _sum(parts)
        if lo is not None and total.high is not None and lo > total.high:
            out.append(_sum_finding(lp, total, parts, "括注所列各项之和", "超过"))
    return out


def _parts(t: str, qs: list[Quantity], a: int, b: int, in_paren) -> list[Quantity]:
    out = []
    for q in qs:
        if not (a < q.start < b) or in_paren(q):
            continue
        clause_start = max([c0 for c0, _ in clause_spans(t, a, q.start + 1, COMMA)] or [a])
        if any(w in t[clause_start:q.start] for w in _SUM_STOP):
            break
        out.append(q)
    return out


def _sum(parts: list[Quantity]) -> tuple[Decimal | None, Decimal | None]:
    lo = hi = Decimal(0)
    for q in parts:
        if q.low is None or q.high is None:
            return None, None
        lo += q.low
        hi += q.high
    return lo, hi


def _judge_sum(lp: LogicalPara, cands: list[Quantity], pa: list[Quantity], pb: list[Quantity], complete: bool,
               word: str) -> Finding | None:
    """Parts against their total. The total is the nearest same-unit number before the anchor;
    when several stand there (收到67件，上年结转5件。其中…) the parts may also add up to any of
    them or to their sum — an error only when no reading fits."""
    total = cands[-1]
    all_lo, all_hi = _sum(cands)
    readings = [(q.low, q.high) for q in cands] + ([(all_lo, all_hi)] if len(cands) > 1 else [])
    for parts in (pa, pb):
        if not parts:
            continue
        lo, hi = _sum(parts)
        if lo is None:
            return None
        for r_lo, r_hi in readings:
            if r_lo is None or r_hi is None or (lo <= r_hi and hi >= r_lo):
                return None
    # the list ends at the first ； unless that piece holds a single item (其中，A单位1件，收取420元；
    # B单位2件，收取290元；…: parallel pieces, one item each)
    parts = pa if len(pa) >= 2 else pb
    lo, hi = _sum(parts)
    if all_hi is not None and lo > all_hi:
        return _sum_finding(lp, total, parts, f"“{word}”后所列各项之和", "超过")
    if complete and len(pb) >= 2 and len(cands) == 1:
        lo, hi = _sum(pb)
        if total.low is not None and hi < total.low:
            return _sum_finding(lp, total, pb, f"“{word}”所列各项之和", "少于")
    return None


def _sum_finding(lp: LogicalPara, total: Quantity, parts: list[Quantity], what: str, rel: str) -> Finding:
    lo, hi = _sum(parts)
    s = format_decimal(lo) if lo == hi else f"{format_decimal(lo)}—{format_decimal(hi)}"
    u = total.unit or ""
    listed = "＋".join(p.text for p in parts)
    return Finding(
        rule="NUM-SUM", level="error", expected=total.text, found=f"{s}{u}", location=_loc(lp, total.start, total.end),
        message=f"正文“{_quote(lp, total.start, total.end)}”的分项与总数不符：{what}（{listed}）为{s}{u}，{rel}总数{total.text}")


def _more_parts(lp: LogicalPara, d: Any, flagged: set[int], sums: list[Finding]) -> list[Finding]:
    """Bracketed and declared-complete breakdowns (nlp.judge_parts), less what _sums reported."""
    seen = {f.location for f in sums}
    return [f for f in parts_findings(lp, d, set(flagged), _loc, _quote) if f.location not in seen]


def _shares(lp: LogicalPara, d: Any, report: ReportData, pct: list[Finding]) -> list[Finding]:
    """Shares of narrative figures and 办结率 (nlp.judge_shares), less what _percent reported."""
    seen = {f.location for f in pct}
    return [f for f in share_findings(lp, d, report, set(), _loc, _quote) if f.location not in seen]


def _identities(items: list[Found], compared: set[int]) -> list[Finding]:
    return identity_findings(items, compared, _loc, _quote)




# ---------------------------------------------------------------- NUM-MISSING


def _missing(lp: LogicalPara, d: Any) -> list[Finding]:
    out = []
    for a, b, unit in d._.missing or []:
        quote = _quote(lp, a, b)
        out.append(Finding(
            rule="NUM-MISSING", level="warning", expected=f"数字＋{unit}", found=quote, location=_loc(lp, a, b),
            message=f"正文“{quote}”中量词“{unit}”前缺少数字，可能漏填了数量"))
    return out


# ---------------------------------------------------------------- NUM-DUP


def _duplicates(items: list[Found], lex: Lexicon, compared: set[int],
                wordings: list[tuple[LogicalPara, list[tuple[tuple[str, str], Quantity]]]]) -> list[Finding]:
    out = []
    by_metric: dict[tuple, list[Found]] = {}
    for it in items:
        c = it.claim
        if c.scope is not None or id(c) in compared:
            continue
        if it.lp.section == "problems" and not all(
                _table_paths(lex.metrics[m].paths(None) or ["x"]) for m in c.metrics):
            continue  # see _compare: section 五 is not held against 总体情况
        by_metric.setdefault(c.metrics, []).append(it)
    for mids, group in by_metric.items():
        if len(group) < 2:
            continue
        first = group[0]
        for other in group[1:]:
            if _disjoint(first.claim, other.claim):
                out += _dup_pair(first, other, _metric_label(lex, mids))
                break
    # the same wording with a different number (杨凌 E3: 审计信息栏目发布20条 … 16条)
    seen: dict[tuple[str, str], tuple[LogicalPara, Quantity]] = {}
    for lp, keyed in wordings:
        for k, q in keyed:
            if k in seen:
                lp0, q0 = seen[k]
                if not (q0.intersects(q.low, q.high) if q.low is not None and q.high is not None else True):
                    f0 = Found(lp0, Claim(metrics=(), start=q0.start, end=q0.end, quantity=q0), None)
                    f1 = Found(lp, Claim(metrics=(), start=q.start, end=q.end, quantity=q), None)
                    out += _dup_pair(f0, f1, f"“{k[0]}”")
            else:
                seen[k] = (lp, q)
    return out


def _wordings(d: Any, linked: set[int]) -> list[tuple[tuple[str, str], Quantity]]:
    """(key, quantity) of the paragraph's numbers that no claim took, keyed by the wording of
    their clause (NUM-DUP compares them across the document)."""
    out = []
    t = d._.norm
    for q in d._.quantities:
        if q.unit is None or q.is_percent or q.start in linked:
            continue
        sent = sentence_at(t, q.start) or (0, len(t))
        c0 = clause_spans(t, sent[0], q.start + 1, COMMA + "、")[-1][0]  # the last clause's start
        if _PART_LEAD_RE.match(t, c0, q.start):
            continue  # a part is relative to its own total: 复议…其中结果维持1件 vs 诉讼…其中结果维持2件
        key = _KEY_WORDS_RE.sub("", t[c0:q.start])
        key = _KEY_MARKS_RE.sub("", key)
        if len(key) < 5 or _DIGIT_RE.search(key):
            continue
        out.append(((key, base_unit(q.unit) or ""), q))
    return out


def _disjoint(a: Claim, b: Claim) -> bool:
    if a.quantity is None and b.quantity is None:
        return False
    if a.quantity is None:
        return not b.quantity.contains(Decimal(0))
    if b.quantity is None:
        return not a.quantity.contains(Decimal(0))
    qa, qb = a.quantity, b.quantity
    if qb.low is None or qb.high is None:
        if qa.low is None or qa.high is None:
            return False
        return not qb.intersects(qa.low, qa.high)
    return not qa.intersects(qb.low, qb.high)


def _dup_pair(first: Found, other: Found, label: str) -> list[Finding]:
    out = []
    for this, that in ((first, other), (other, first)):
        c = this.claim
        a, b = (c.quantity.start, c.quantity.end) if c.quantity is not None else (c.start, c.end)
        oa, ob = (that.claim.quantity.start, that.claim.quantity.end) if that.claim.quantity is not None else (
            that.claim.start, that.claim.end)
        idx, _, _ = that.lp.locate(oa, ob)
        out.append(Finding(
            rule="NUM-DUP", level="warning", expected=that.claim.shown(), found=c.shown(), location=_loc(this.lp, a, b),
            message=f"同一事项前后表述不一致：此处“{_quote(this.lp, a, b)}”称{label}为{c.shown()}，"
                    f"第{idx + 1}段“{_quote(that.lp, oa, ob)}”为{that.claim.shown()}"))
    return out
