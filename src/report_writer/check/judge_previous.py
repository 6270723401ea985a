"""`check --previous`: a report read beside last year's (data file or published report).

Each judgement rests only on cells and sentences both years state with certainty: a cell the
mapper did not read, a 总体情况 count extract could not tie to one field, an approximate figure
(近300) is not compared. Rules (ids in rules_catalog.yaml, group 同比与上年衔接):

YOY-PAIR    the two files are not the same body or not consecutive years (nothing compared)
YOY-CARRY   表三 上年结转 ≠ last year's 结转下年度继续办理, per column
YOY-VALID   2021 format: 现行有效 ≠ last year's 现行有效 + 本年制发 − 本年废止 (documents lapse: warning)
YOY-FORMAT  the two years use different formats: what cannot be compared
YOY-CLAIM   a 同比/较上年 sentence whose direction or figure the two years contradict
YOY-REPEAT  a problem of section 五 repeated (near) word for word from last year
YOY-REMEDY  2021 format: last year's problems not answered by 上年度问题整改情况
YOY-JUMP    a figure that grew or fell fivefold (info, both figures)
"""

from __future__ import annotations

import contextlib
import difflib
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import ValidationError

from ..data.model import Count, ReportData, format_decimal
from ..findings import Finding, Location
from ..formats import Format, get_format
from ..lastyear import (
    LastYear,
    norm_text,
    normalize_body,
    problems_part,
    sentences,
    unanswered,
)

REPEAT_RATIO = 0.85  # difflib ratio above which two problem sentences are "the same"
JUMP_FACTOR = Decimal(5)
JUMP_FLOOR = Decimal(10)  # below this on both sides a fivefold change is just small numbers

# Figures whose fivefold jump is worth a note: (label, paths by format id or "*").
JUMPS: list[tuple[str, dict[str, list[str]]]] = [
    ("本年新收政府信息公开申请", {"*": ["table3.r1.total"]}),
    ("主动公开政府信息", {"*": ["overview.proactive.items_published"]}),
    ("政府信息公开行政复议", {"*": ["table4.review.total"]}),
    ("政府信息公开行政诉讼", {"*": ["table4.direct.total", "table4.after_review.total"]}),
]


def check_with_previous(path: Any, last: LastYear | None, data: ReportData | None = None, nlp: bool = True):
    """check_document, plus the findings against last year (none when `last` is None)."""
    from .api import check_document, sort_findings

    result = check_document(path, data=data, nlp=nlp)
    if last is not None:
        result.findings = sort_findings(result.findings + judge_previous(result, last), result.document)
    return result


def judge_previous(result: Any, last: LastYear) -> list[Finding]:
    """Every finding of this report against last year's (result: check.api.CheckResult)."""
    from .api import _judging_format, make_locator

    report: ReportData = result.report
    doc = result.document
    year = report.meta.year if result.year_source else None
    fmt = _judging_format(result.mapped, year, report)
    pfmt = get_format(last.data.format_id)
    where = Location(file=doc.path, section="preamble", paragraph=getattr(result.title, "paragraph", None))
    pair = _pair_problem(result, last, year, where)
    if pair is not None:
        return [pair]
    locate = make_locator(doc, result.mapped, fmt)
    out: list[Finding] = []
    out += carry_over(fmt, report, last, locate)
    if fmt.id == pfmt.id == "2021":
        out += roll_forward(fmt, report, last, locate, doc)
    elif fmt.id != pfmt.id:
        out.append(format_change(fmt, pfmt, last, where))
    out += change_claims(result, fmt, last)
    out += repeated_problems(result, fmt, last)
    out += jumps(fmt, _this_year(result, fmt), last, where)
    return out


def _pair_problem(result: Any, last: LastYear, year: int | None, where: Location) -> Finding | None:
    body = getattr(result.title, "body", None)
    if year is None:
        return Finding(rule="YOY-PAIR", level="warning", location=where,
                       message=f"未能识别本报告的年度，无法与上年度文件（{last.path}）比对")
    if last.year != year - 1:
        return Finding(rule="YOY-PAIR", level="warning", expected=str(year - 1), found=str(last.year), location=where,
                       message=f"上年度文件（{last.path}）为{last.year}年度，本报告为{year}年度，不是相邻年度，未作同比比对")
    if body and last.body and normalize_body(body) != normalize_body(last.body):
        return Finding(rule="YOY-PAIR", level="warning", expected=body, found=last.body, location=where,
                       message=f"上年度文件（{last.path}）的机关为“{last.body}”，与本报告“{body}”不同，未作同比比对")
    return None


def _num(v: Decimal) -> str:
    return format_decimal(v)


# ---------------------------------------------------------------- tables


def carry_over(fmt: Format, report: ReportData, last: LastYear, locate) -> list[Finding]:
    from ..rules import cell_name

    table = fmt.table("table3")
    before_row = last.data.tables.get("table3", {}).get("r4", {})
    out = []
    for col in table.columns_of("r2"):
        before, now = before_row.get(col.id), report.cell("table3", "r2", col.id)
        if before is None or now is None or not before.is_number or not now.is_number:
            continue  # one side not read: nothing to judge
        if before.value != now.value:
            out.append(Finding(
                rule="YOY-CARRY", level="error", expected=_num(before.value), found=_num(now.value),
                location=locate("table3", "r2", col.id),
                message=f"{cell_name(table, 'r2', col.id)}为 {_num(now.value)}，而{last.year}年度报告表三"
                        f"“四、结转下年度继续办理”{col.label}为 {_num(before.value)}，两者应相等"))
    return out


def roll_forward(fmt: Format, report: ReportData, last: LastYear, locate, doc: Any = None) -> list[Finding]:
    """现行有效 = last year's 现行有效 + 本年制发 − 本年废止. A row whose digits were written together
    (6233440) and could not be split for certain is tried in every reading: the warning stands
    only when no pair of readings makes the sum hold."""
    table = fmt.table("table2")
    out = []
    for rid in ("regulations", "normative_docs"):
        now_opts, now_raw = _readings(report, doc, table, rid)
        prev_opts, prev_raw = _readings(last.data, last.document, table, rid)
        if not now_opts or not prev_opts:
            continue
        before_values = sorted({p[2] for p in prev_opts})
        if any(b + i - r == f for b in before_values for i, r, f in now_opts):
            continue
        (i, r, f), b = _natural(now_opts), _natural(prev_opts)[2]
        expected = b + i - r
        label = table.row(rid).label
        unsure = ""
        if now_raw or prev_raw:
            raws = "、".join(x for x in (f"本年“{now_raw}”" if now_raw else "", f"上年“{prev_raw}”" if prev_raw else "") if x)
            unsure = (f"该行数字连写（{raws}），无法确定拆分；按任何一种拆分读法都不衔接，"
                      f"以下按最自然的读法：")
        out.append(Finding(
            rule="YOY-VALID", level="warning", expected=_num(expected), found=_num(f),
            location=locate("table2", rid, "in_force"),
            message=f"表二“{label}”现行有效件数与上年不衔接：{unsure}{last.year}年度现行有效 {_num(b)} 件"
                    f"＋本年制发 {_num(i)} 件－本年废止 {_num(r)} 件＝{_num(expected)} 件，而本年现行有效为 {_num(f)} 件；"
                    f"文件也可能因到期失效而减少，如属此类请在报告中说明"))
    return out


_GLUED_RE = re.compile(r"数字连写为“(\d+)”")


def _readings(rd: ReportData, doc: Any, table, rid: str) -> tuple[list[tuple[Decimal, Decimal, Decimal]], str | None]:
    """(issued, repealed, in_force) as read for certain, else every split of the row's glued digits."""
    cells = [rd.cell("table2", rid, c) for c in ("issued", "repealed", "in_force")]
    if all(c is not None and c.is_number for c in cells):
        return [tuple(c.value for c in cells)], None  # type: ignore[misc, union-attr]
    raw = _glued_digits(doc, table.row(rid).label) if doc is not None else None
    if raw is None:
        return [], None
    return _splits(raw, 3), raw


def _glued_digits(doc: Any, label: str) -> str | None:
    """The digits a reader found written together in the row labelled `label` (its unsure note)."""
    for t in getattr(doc, "tables", []):
        rows: dict[int, list] = {}
        for c in t.cells:
            rows.setdefault(c.row, []).append(c)
        for cells in rows.values():
            if not cells or re.sub(r"\s+", "", cells[0].text) != label:
                continue
            for c in cells[1:]:
                m = _GLUED_RE.search(getattr(c, "unsure", "") or "")
                if m:
                    return m.group(1)
    return None


def _splits(digits: str, parts: int) -> list[tuple[Decimal, ...]]:
    """Every way to cut `digits` into `parts` numbers without leading zeros."""
    if parts == 1:
        return [(Decimal(digits),)] if digits and (digits == "0" or digits[0] != "0") else []
    out = []
    for k in range(1, len(digits) - parts + 2):
        head = digits[:k]
        if len(head) > 1 and head[0] == "0":
            break
        out += [(Decimal(head), *rest) for rest in _splits(digits[k:], parts - 1)]
    return out


def _natural(options: list[tuple[Decimal, ...]]) -> tuple[Decimal, ...]:
    """The reading a person would take first: widths even, the stock (last cell) the widest."""
    def key(o):
        widths = [len(_num(v)) for v in o]
        return (max(widths) - min(widths), -widths[-1], o)
    return min(options, key=key)


def format_change(fmt: Format, pfmt: Format, last: LastYear, where: Location) -> Finding:
    return Finding(
        rule="YOY-FORMAT", level="info", expected=fmt.id, found=pfmt.id, location=where,
        message=f"本报告为{fmt.id}年格式，{last.year}年度为{pfmt.id}年格式：表二不能逐项比对（2019年格式的"
                f"“对外公开总数量”与2021年格式的“现行有效件数”是不同的量），现行有效件数的衔接未核对；"
                f"表三上年结转、申请数和复议诉讼数照常比对")


def _value(rd: ReportData, paths: list[str]) -> Decimal | None:
    """The exact value of a table sum or a 总体情况 count; None when unread or approximate."""
    total = Decimal(0)
    for p in paths:
        parts = p.split(".")
        if parts[0] in ("table2", "table3", "table4"):
            cell = rd.cell(*parts) if len(parts) == 3 else None
            if cell is None or not cell.is_number or cell.value is None:
                return None
            total += cell.value
            continue
        obj: Any = rd
        for part in parts:
            obj = getattr(obj, part, None) if obj is not None else None
        if isinstance(obj, Count) and obj.exact:
            total += obj.magnitude()
        elif isinstance(obj, (int, Decimal)) and not isinstance(obj, bool):
            total += Decimal(obj)
        else:
            return None
    return total


def jumps(fmt: Format, report: ReportData, last: LastYear, where: Location) -> list[Finding]:
    out = []
    for label, by_fmt in JUMPS:
        now = _value(report, by_fmt.get(fmt.id, by_fmt["*"]))
        before = _value(last.data, by_fmt.get(last.data.format_id, by_fmt["*"]))
        if now is None or before is None or max(now, before) < JUMP_FLOOR:
            continue
        if (before and now >= before * JUMP_FACTOR) or (now and before >= now * JUMP_FACTOR) or \
                (min(now, before) == 0 and max(now, before) >= JUMP_FLOOR):
            out.append(Finding(
                rule="YOY-JUMP", level="info", expected=_num(before), found=_num(now), location=where,
                message=f"{label}本年为 {_num(now)}，{last.year}年度为 {_num(before)}，变化达五倍以上；"
                        f"请核对数字，必要时在报告中说明原因"))
    return out


# ---------------------------------------------------------------- 同比 sentences

_CMP = r"(?:同比|较上年度?|比上年度?|较去年|比去年|与上年度?相比|与去年相比|较\d{4}年|比\d{4}年)"
_CHANGE_RE = re.compile(
    _CMP + r"[，,]?\s*(?:(?P<up>增长|增加|上升|提高|提升|多)|(?P<down>减少|下降|降低|少))了?\s*"
    r"(?P<num>\d+(?:\.\d+)?)?\s*(?P<unit>%|％|个百分点|倍|成|[件条个次篇场期起项人])?")
_FLAT_RE = re.compile(r"(?:与(?:上年|去年)度?(?:基本)?持平|" + _CMP + r"[，,]?\s*(?:基本)?持平)")


def change_claims(result: Any, fmt: Format, last: LastYear) -> list[Finding]:
    """Each 同比/较上年 phrase, tied to the figure before it in its sentence (a number with its
    metric word: that number is this year's) or to a metric word alone (this year's figure is
    then the report's own: its table, or its 总体情况 count)."""
    from ..nlp.claims import Context, link, load_lexicon
    from ..nlp.judge import logical_paragraphs

    lex = load_lexicon()
    body = getattr(result.title, "body", None)
    ctx = Context(body=body, level=result.report.meta.level)
    this_year = None
    out: list[Finding] = []
    for lp in logical_paragraphs(result.document, result.sections):
        if lp.section not in ("overview", "proactive", "requests", "appeals"):
            continue
        text = lp.text
        phrases = sorted([*_CHANGE_RE.finditer(text), *_FLAT_RE.finditer(text)], key=lambda m: m.start())
        if not phrases:
            continue
        claims = [c for c in link(text, lex, ctx) if c.quantity is not None]
        done: set[int] = set()
        for m in phrases:
            if any(m.start() < e and s < m.end() for s, e in done):
                continue  # the flat pattern inside a change pattern, or the reverse
            done.add((m.start(), m.end()))
            sent = next(((a, b) for a, b in _sentences(text) if a <= m.start() < b), (0, len(text)))
            if "基本" in m.group(0):
                continue  # 基本持平: approximately, nothing to recompute
            before = [c for c in claims if sent[0] <= c.start and c.end <= m.start()]
            if before:
                c = before[-1]
                if c.scope is not None or c.negated or len(c.metrics) != 1 or not c.quantity.exact:
                    continue  # the figure before is of another scope (其中, 上年度 …): not this year's total
                metric, now, start = lex.metrics.get(c.metrics[0]), c.quantity.value, c.start
            elif _numbers_before(text, sent[0], m.start()):
                continue  # a figure no metric claims sits before the phrase: the phrase may be about it
            else:
                metric = _metric_named(lex, text[sent[0]:m.start()], text[sent[0]:sent[1]])
                if metric is None:
                    continue
                if this_year is None:
                    this_year = _this_year(result, fmt)
                now, start = _value(this_year, metric.paths(fmt.id)), sent[0]
            if metric is None or now is None:
                continue
            f = _judge_change(metric, now, m, text[start:m.end()], lp, start, m.end(), fmt, last,
                              result.document.path)
            if f is not None:
                out.append(f)
    return out


def _numbers_before(text: str, a: int, b: int) -> bool:
    from ..nlp.quantities import find_quantities

    return bool(find_quantities(text[a:b]))


def _sentences(text: str) -> list[tuple[int, int]]:
    from ..nlp.claims import sentence_spans

    return sentence_spans(text)


def _metric_named(lex, before: str, sentence: str):
    """The metric whose word is nearest before the change phrase (context and exclude words respected)."""
    best, pos = None, -1
    for metric in lex.metrics.values():
        if metric.context and not any(w in sentence for w in metric.context):
            continue
        if any(w in before for w in metric.exclude):
            continue
        for w in metric.words:
            i = before.rfind(w)
            if i > pos or (i == pos and i >= 0 and metric.specific):
                best, pos = metric, i
    return best


def _this_year(result: Any, fmt: Format) -> ReportData:
    """The report's tables plus the 总体情况 counts extract reads from its text."""
    from ..data.model import Overview
    from ..extract import read_overview

    report = result.report.model_copy(deep=True)
    plain = read_overview(result.document, result.sections, fmt, getattr(result.title, "body", None),
                          report.meta.level, [], [])
    with contextlib.suppress(ValidationError):  # a count extract could not type: the overview stays empty
        report.overview = Overview.model_validate(plain)
    return report


def _judge_change(metric, now: Decimal, m, stated: str, lp, a: int, b: int, fmt, last: LastYear,
                  path) -> Finding | None:
    before = _value(last.data, metric.paths(last.data.format_id))
    if before is None:
        return None  # last year's figure was not read: nothing to judge on
    para, a, b = lp.locate(a, b)
    loc = Location(file=path, paragraph=para, start=a, end=b, section=lp.section)
    stated = stated.strip("，,。 ")
    if "up" not in m.re.groupindex:  # 与上年持平
        if now == before:
            return None
        return _wrong(metric.label, stated, now, before, last, loc, "应为" + _describe(now, before))
    direction = "up" if m.group("up") else "down"
    unit, num = m.group("unit"), m.group("num")
    actual = "up" if now > before else "down" if now < before else "flat"
    if actual != direction:
        return _wrong(metric.label, stated, now, before, last, loc, "应为" + _describe(now, before))
    if num is None or unit in ("个百分点", "倍", "成"):
        return None  # a direction only, or a change of a rate: the direction was right
    written = Decimal(num)
    if unit in ("%", "％"):
        if before == 0:
            return None
        true = abs(now - before) / before * 100
        places = -written.as_tuple().exponent if written.as_tuple().exponent < 0 else 0
        step = Decimal(1).scaleb(-places)
        if abs(true - written) < step:  # rounded or truncated at the precision written
            return None
        return _wrong(metric.label, stated, now, before, last, loc,
                      "应为" + _describe(now, before, places))
    delta = abs(now - before)
    if written == delta:
        return None
    return _wrong(metric.label, stated, now, before, last, loc, "应为" + _describe(now, before))


def _describe(now: Decimal, before: Decimal, places: int = 1) -> str:
    if now == before:
        return "与上年持平"
    word = "增长" if now > before else "下降"
    if before == 0:
        return f"{'增加' if now > before else '减少'}{_num(abs(now - before))}"
    pct = (abs(now - before) / before * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{word}{_num(pct)}%（{'增加' if now > before else '减少'}{_num(abs(now - before))}）"


def _wrong(label, stated, now, before, last, loc, should) -> Finding:
    return Finding(
        rule="YOY-CLAIM", level="error", expected=should[2:], found=stated, location=loc,
        message=f"“{stated}”与两年数字不符：{label}本年为 {_num(now)}，{last.year}年度为 {_num(before)}，{should}")


# ---------------------------------------------------------------- section 五


def repeated_problems(result: Any, fmt: Format, last: LastYear) -> list[Finding]:
    part = problems_part(result.document, result.sections)
    if not part.paragraphs or not last.problems:
        return []
    out: list[Finding] = []
    old = [(s, norm_text(s)) for s in sentences(last.problems)]
    for index, which, text in part.paragraphs:
        if which != "problems":
            continue
        for s in sentences([text]):
            n = norm_text(s)
            best = max(old, key=lambda o: difflib.SequenceMatcher(None, n, o[1]).ratio())
            ratio = difflib.SequenceMatcher(None, n, best[1]).ratio()
            if ratio >= REPEAT_RATIO:
                start = text.find(s)
                out.append(Finding(
                    rule="YOY-REPEAT", level="warning", found=s, expected="写明本年度的具体问题",
                    location=Location(file=result.document.path, paragraph=index, section="problems",
                                      start=max(0, start), end=max(0, start) + len(s)),
                    message=f"与上年报告雷同：“{s}”与{last.year}年度报告所列问题“{best[0]}”基本相同；"
                            f"如问题仍未解决，应说明原因和本年度的进展"))
    if fmt.id == "2021":
        out += _unanswered(result, part, last)
    return out


def _unanswered(result: Any, part, last: LastYear) -> list[Finding]:
    where = Location(file=result.document.path, section="problems")
    if not part.has_remedy_part:
        return [Finding(rule="YOY-REMEDY", level="warning", expected="（一）上年度问题整改情况", found="未找到",
                        location=where,
                        message=f"第五部分未见“上年度问题整改情况”；{last.year}年度报告列出 {len(last.problems)} 项问题，"
                                f"应逐项说明整改情况")]
    out = []
    for p in unanswered(last.problems, part.remedies):
        out.append(Finding(rule="YOY-REMEDY", level="warning", found=p, expected="逐项说明整改情况", location=where,
                           message=f"{last.year}年度报告所列问题“{p}”在本年度“上年度问题整改情况”中未见对应的整改说明"))
    return out


__all__ = ["carry_over", "change_claims", "check_with_previous", "judge_previous", "jumps", "repeated_problems", "roll_forward"]
