"""Document checks of a draft: sections, announced part count, statistics period, dates,
format version of the tables and the citation of the format notice.

Each check is a plain function (ctx) -> list[Finding] with a stable rule id. They read
the SourceDocument, the section spans and the mapped tables; they never touch the
original file. Conservative by design: a finding here must be a real problem for a
reviewer, so ambiguous text is left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from ..data.model import ReportData
from ..findings import Finding, Location
from ..formats import Format, all_formats, format_for_year
from .judge_citations import check_notice_near_misses, looks_like_national_format
from .judge_lists import check_announced_list, check_item_numbers
from .judge_period_text import broken_periods
from .judge_pubdate import check_publication_date
from .proofread import proofread

SECTION_ORDER = ["overview", "proactive", "requests", "appeals", "problems", "other"]
SECTION_NUMBER = dict(zip(SECTION_ORDER, "一二三四五六"))
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# Department-like bodies publish by 31 January, the government-level report by 31 March (条例 art. 49).
GOVERNMENT_LEVELS = {"国务院部门": False, "省级政府": True, "市级政府": True, "县级政府": True, "乡镇/街道": True}


@dataclass
class Context:
    """Everything a document check may read."""

    doc: Any  # SourceDocument
    sections: list  # list[SectionSpan]
    mapped: Any  # MappedTables or None
    report: ReportData
    year: int | None
    year_source: str | None = None  # "title", "data", "period", "opening" (the first sentence)
    title: Any = None  # TitleInfo or None
    para_section: dict[int, str] = field(default_factory=dict)

    def section_of(self, paragraph: int) -> str | None:
        if paragraph in self.para_section:
            return self.para_section[paragraph]
        first = min((s.paragraph for s in self.sections), default=None)
        if first is None or paragraph < first:
            return "preamble"
        return None

    def loc(self, paragraph: int, start: int | None = None, end: int | None = None,
            section: str | None = None) -> Location:
        return Location(file=self.doc.path, paragraph=paragraph, start=start, end=end,
                        section=section or self.section_of(paragraph))


def paragraph_sections(doc: Any, sections: list) -> dict[int, str]:
    """Section id of each paragraph that lies inside a section (headings included)."""
    out: dict[int, str] = {}
    ordered = sorted(sections, key=lambda s: s.paragraph)
    n = len(doc.paragraphs)
    for i, s in enumerate(ordered):
        end = getattr(s, "end", None)
        if end is None:
            end = ordered[i + 1].paragraph if i + 1 < len(ordered) else n
        for p in range(s.paragraph, max(end, s.paragraph + 1)):
            out.setdefault(p, s.id)
    return out


_SENTENCE_END_RE = re.compile(r"[。；！？!?;]")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences of a paragraph (split after 。；！？)."""
    out, start = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _sentence_at(text: str, pos: int) -> str:
    for a, b in _sentences(text):
        if a <= pos < b:
            return text[a:b]
    return text


# ---------------------------------------------------------------- sections


def check_sections(ctx: Context) -> list[Finding]:
    present = {s.id: s for s in ctx.sections}
    out: list[Finding] = []
    fmt = _format_of(ctx)
    for i, sid in enumerate(SECTION_ORDER):
        if sid in present:
            continue
        title = fmt.section(sid).title if fmt else SECTION_NUMBER[sid]
        # Anchor on the heading of the next section that is present, else the last one before it.
        after = [present[s] for s in SECTION_ORDER[i + 1:] if s in present]
        before = [present[s] for s in SECTION_ORDER[:i] if s in present]
        anchor = after[0].paragraph if after else (before[-1].paragraph if before else _first_paragraph(ctx))
        out.append(Finding(
            rule="SEC-MISSING", level="error", expected=title, found="缺少",
            location=Location(file=ctx.doc.path, paragraph=anchor, section=sid),
            message=f"报告缺少第{SECTION_NUMBER[sid]}部分“{title}”；年度报告格式规定报告由六部分组成，"
                    f"没有发生的事项也应保留该部分并如实说明"))
    # Order: the document order of the sections that are present must follow 一…六.
    in_doc = sorted(ctx.sections, key=lambda s: s.paragraph)
    seen_rank = -1
    for s in in_doc:
        if s.id not in SECTION_ORDER:
            continue
        rank = SECTION_ORDER.index(s.id)
        if rank < seen_rank:
            prev = SECTION_ORDER[seen_rank]
            out.append(Finding(
                rule="SEC-ORDER", level="error",
                expected=f"第{SECTION_NUMBER[s.id]}部分在第{SECTION_NUMBER[prev]}部分之前", found=s.heading,
                location=Location(file=ctx.doc.path, paragraph=s.paragraph, section=s.id),
                message=f"“{s.heading}”排在第{SECTION_NUMBER[prev]}部分之后；报告各部分应按一至六的顺序排列"))
        seen_rank = max(seen_rank, rank)
    # Duplicate sections.
    counts: dict[str, list] = {}
    for s in in_doc:
        counts.setdefault(s.id, []).append(s)
    for sid, spans in counts.items():
        for extra in spans[1:]:
            out.append(Finding(
                rule="SEC-ORDER", level="error", expected="每部分出现一次", found=extra.heading,
                location=Location(file=ctx.doc.path, paragraph=extra.paragraph, section=sid),
                message=f"第{SECTION_NUMBER.get(sid, '')}部分“{extra.heading}”重复出现"))
    return out


_COUNT_RE = re.compile(r"(?:包括|包含|分为|分成|由|共有?|主要有)[^。；]{0,160}?([一二两三四五六七八九十\d]{1,2})\s*(?:个)?(?:部分|方面内容)")
_LIST_RE = re.compile(r"(?:报告|全文|本报告)[^。]{0,12}?(?:主要)?(?:包括|包含|分为|内容为|由)[:：]?([^。]{6,200})")
_SECTION_KEYS = [
    ("overview", ("总体情况",)),
    ("proactive", ("主动公开",)),
    ("requests", ("申请",)),
    ("appeals", ("行政复议", "行政诉讼")),
    ("problems", ("问题",)),
    ("other", ("其他",)),
]


def _announced_paragraphs(ctx: Context) -> list:
    """Paragraphs that may announce the parts: before section 一, or the first paragraph of it."""
    first = min((s.paragraph for s in ctx.sections), default=len(ctx.doc.paragraphs))
    return [p for p in ctx.doc.paragraphs if p.index < first] or ctx.doc.paragraphs[:3]


def check_section_count(ctx: Context) -> list[Finding]:
    present = {s.id for s in ctx.sections}
    for p in _announced_paragraphs(ctx):
        m = _COUNT_RE.search(p.text)
        if m:
            raw = m.group(1)
            n = int(raw) if raw.isdigit() else _cn_small(raw)
            if n is None or n == 6:
                # Six is what the format prescribes; a missing part is SEC-MISSING's to report.
                return []
            return [Finding(
                rule="SEC-COUNT", level="error", expected="六部分", found=f"{raw}部分",
                location=ctx.loc(p.index, m.start(1), m.end(1), section="preamble"),
                message=f"报告称包括{raw}个部分，但年度报告格式规定六部分"
                        f"（正文实有{len(present)}部分）；请核对引言中的部分数")]
        m = _LIST_RE.search(p.text)
        if m and "情况" in m.group(1):
            listed = m.group(1)
            named = [sid for sid, keys in _SECTION_KEYS if any(k in listed for k in keys)]
            if 3 <= len(named) < 6:
                missing = [sid for sid in SECTION_ORDER if sid not in named and sid in present]
                if missing:
                    return [Finding(
                        rule="SEC-COUNT", level="warning", expected="列出全部六部分",
                        found=f"列出{len(named)}部分",
                        location=ctx.loc(p.index, m.start(1), m.end(1), section="preamble"),
                        message="引言列举报告内容时漏列了第" + "、".join(SECTION_NUMBER[s] for s in missing)
                                + "部分；请与正文各部分保持一致")]
            return []
    return []


def _cn_small(s: str) -> int | None:
    if s in CN_DIGITS:
        return CN_DIGITS[s]
    if len(s) == 2 and s[0] == "十" and s[1] in CN_DIGITS:
        return 10 + CN_DIGITS[s[1]]
    return None


# ---------------------------------------------------------------- period and dates

PERIOD_RE = re.compile(r"(\d{4})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|－|-|～|~)\s*(?:(\d{4})\s*年\s*)?12\s*月\s*31\s*日")
DATE_RE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
FUTURE_WORDS = ("将", "计划", "预计", "拟", "力争", "下一步", "前完成", "之前", "以前", "底前", "前", "截至", "截止", "期限")


def find_periods(doc: Any) -> list[tuple[Any, re.Match]]:
    # ("31" in the text first: PERIOD_RE holds it, and most paragraphs state no period)
    return [(p, m) for p in doc.paragraphs if "31" in p.text for m in PERIOD_RE.finditer(p.text)]


def check_period(ctx: Context) -> list[Finding]:
    periods = find_periods(ctx.doc)
    broken = broken_periods(ctx, PERIOD_RE)  # written, but garbled or not a calendar year
    if not periods and broken:
        return broken
    if not periods:
        anchor = ctx.title.paragraph if ctx.title is not None else _first_paragraph(ctx)
        expected = f"{ctx.year}年1月1日至12月31日" if ctx.year else "YYYY年1月1日至12月31日"
        return [Finding(rule="PERIOD", level="warning", expected=expected, found="未写明",
                        location=ctx.loc(anchor, section="preamble"),
                        message=f"报告未写明数据统计期限（如“本报告中使用数据统计期限为{expected}”）")]
    if ctx.year is None or ctx.year_source == "period":
        return broken
    out = list(broken)
    for p, m in periods:
        for g in (1, 2):
            y = m.group(g)
            if y and int(y) != ctx.year:
                out.append(Finding(
                    rule="PERIOD", level="error", expected=f"{ctx.year}年1月1日至12月31日", found=m.group(0),
                    location=ctx.loc(p.index, m.start(g), m.end(g)),
                    message=f"统计期限写为“{m.group(0)}”，与报告年度{ctx.year}年不符"
                            f"（依据{ {'title': '标题', 'opening': '正文开头'}.get(ctx.year_source, '数据文件')}）"))
                break
    return out


def _section_body(ctx: Context, section_id: str) -> tuple[Any, list[Any]] | None:
    """The heading span of a section and its non-empty body paragraphs (None when absent)."""
    span = next((s for s in ctx.sections if s.id == section_id), None)
    if span is None:
        return None
    body = [p for p in ctx.doc.paragraphs[span.paragraph + 1:span.end] if p.text.strip()]
    return span, body


# The section must name this body's own shortcomings: "无", or a few words, is perfunctory.
_SEC5_MIN_CHARS = 30


def check_problems_section(ctx: Context) -> list[Finding]:
    found = _section_body(ctx, "problems")
    if found is None:
        return []  # SEC-MISSING reports it
    span, body = found
    text = "".join(re.sub(r"\s", "", p.text) for p in body)
    if len(text) >= _SEC5_MIN_CHARS:
        return []
    shown = text or "空白"
    return [Finding(rule="X-SEC5", level="warning", expected=f"逐项写明本机关存在的问题和改进措施", found=shown[:20],
                    location=ctx.loc(span.paragraph, section="problems"),
                    message=f"“五、存在的主要问题及改进情况”内容过简（{shown[:20]}）；格式要求逐项分析本机关"
                            "工作中存在的问题并写明改进措施，不宜空缺或敷衍")]


_FEE_WORDS = ("信息处理费", "收费", "缴纳费用", "缴费")


def check_fee_statement(ctx: Context) -> list[Finding]:
    """2021 format on: section 六 says whether 信息处理费 was collected (国办函〔2020〕109号)."""
    if ctx.year is None or ctx.year < 2021:
        return []
    found = _section_body(ctx, "other")
    if found is None:
        return []
    span, body = found
    if any(w in p.text for p in body for w in _FEE_WORDS):
        return []
    return [Finding(rule="X-FEE", level="warning", expected="说明本年度是否收取信息处理费", found="未提及",
                    location=ctx.loc(span.paragraph, section="other"),
                    message="“六、其他需要报告的事项”未说明信息处理费收取情况；2021年格式起应写明本年度是否收取"
                            "信息处理费（如“本年度未收取信息处理费”）")]


def publication_deadline(year: int, level: str | None) -> dt.date:
    """31 January for departments, 31 March for a government's own report (条例 art. 49)."""
    if level is None or GOVERNMENT_LEVELS.get(level, False) or level == "其他":
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


def check_dates(ctx: Context) -> list[Finding]:
    if ctx.year is None:
        return []
    level = ctx.report.meta.level if ctx.report is not None else None
    known_level = ctx.report is not None and getattr(ctx, "level_known", True)
    deadline = publication_deadline(ctx.year, level if known_level else None)
    period_spans = {(p.index, m.start(), m.end()) for p, m in find_periods(ctx.doc)}
    out = []
    for p in ctx.doc.paragraphs:
        section = ctx.section_of(p.index)
        if section == "problems":
            continue  # improvement plans legitimately carry future dates
        if "日" not in p.text or "年" not in p.text:
            continue  # (DATE_RE needs both)
        for m in DATE_RE.finditer(p.text):
            if any(i == p.index and a <= m.start() < b for i, a, b in period_spans):
                continue
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            try:
                date = dt.date(y, mo, d)
            except ValueError:
                out.append(Finding(rule="DATE", level="error", expected="有效日期", found=m.group(0),
                                   location=ctx.loc(p.index, m.start(), m.end()),
                                   message=f"日期“{m.group(0)}”不存在，请核对"))
                continue
            if date <= deadline:
                continue
            sentence = _sentence_at(p.text, m.start())
            if any(w in sentence for w in FUTURE_WORDS):
                continue
            late_pub = date.year == ctx.year + 1
            out.append(Finding(
                rule="DATE", level="warning", expected=f"不晚于{deadline.year}年{deadline.month}月{deadline.day}日",
                found=m.group(0), location=ctx.loc(p.index, m.start(), m.end()),
                message=(f"日期“{m.group(0)}”晚于{ctx.year}年度报告的法定公开期限"
                         f"（{deadline.year}年{deadline.month}月{deadline.day}日）；请核对日期或报告年度"
                         if late_pub else
                         f"{ctx.year}年度报告中出现了“{m.group(0)}”，晚于报告年度的次年，"
                         f"不应是已经发生的事项；请核对年份")))
    return out


# ---------------------------------------------------------------- format version of the tables


def check_table_format(ctx: Context) -> list[Finding]:
    mapped = ctx.mapped
    if mapped is None or ctx.year is None:
        return []
    seen = set(getattr(mapped, "formats_seen", set()) or set())
    expected = format_for_year(ctx.year)
    out = []
    first_table = _first_table_location(ctx)
    if len(seen) > 1:
        names = "和".join(f"{f}年" for f in sorted(seen))
        out.append(Finding(
            rule="X-FORMAT", level="error", expected=f"{expected.id}年格式" if expected else "单一格式",
            found="混用" + names + "格式",
            location=first_table,
            message=f"报告表格混用了{names}格式的栏目；{ctx.year}年度报告应统一使用"
                    + (f"{expected.id}年格式（{expected.notice.number}）" if expected else "同一版本的格式")))
        return out
    detected = getattr(mapped, "format_id", None)
    if expected is None or detected is None or detected == expected.id:
        return out
    # 2019 reports: the 2019 format was only encouraged; a 2021 table there is still impossible.
    got = all_formats()[detected]
    out.append(Finding(
        rule="X-FORMAT", level="error", expected=f"{expected.id}年格式", found=f"{got.id}年格式",
        location=first_table,
        message=f"{ctx.year}年度报告应使用{expected.id}年格式（{expected.notice.number}）的表格，"
                f"报告中的表格却是{got.id}年格式（{got.notice.number}）"))
    return out


def _first_table_location(ctx: Context) -> Location:
    mapped = ctx.mapped
    positions = getattr(mapped, "table_positions", {}) or {}
    for tid in ("table2", "table3", "table4"):
        if tid in positions:
            idx = positions[tid]
            idx = idx[0] if isinstance(idx, (tuple, list)) else idx
            return Location(file=ctx.doc.path, table=tid, table_index=idx, section=_table_section(tid))
    return Location(file=ctx.doc.path)


def _table_section(tid: str) -> str | None:
    return {"table2": "proactive", "table3": "requests", "table4": "appeals"}.get(tid)


# ---------------------------------------------------------------- citation of the format notice

NOTICE_RE = re.compile(r"国办公开办函\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d+)\s*号")
FORMAT_TITLE_RE = re.compile(r"《([^《》]{0,40}(?:年度报告|年报|信息公开)[^《》]{0,20}格式[^《》]{0,8})》")
OFFICIAL_NOTICES = {("2019", "60"): "2019", ("2021", "30"): "2021"}


@lru_cache(maxsize=1)
def _titles() -> dict[str, str]:
    """Every correct way to cite a format: its own name and the title of the notice issuing it."""
    out: dict[str, str] = {}
    for fmt in all_formats().values():
        out[_norm_title(fmt.name)] = fmt.id
        out[_norm_title(fmt.notice.title)] = fmt.id
    return out


def _norm_title(title: str) -> str:
    # The inner title of the notice is written with 《》, 〈〉, <>, “” or no marks at all.
    title = title.replace("(", "（").replace(")", "）").replace(" ", "")
    return re.sub(r"[《》〈〉<>＜＞“”\"'‘’「」]", "", title)


def check_notice(ctx: Context) -> list[Finding]:
    out = []
    for p in ctx.doc.paragraphs:
        for m in NOTICE_RE.finditer(p.text):
            year, num = m.group(1), m.group(2)
            sentence = _sentence_at(p.text, m.start())
            about_format = any(w in sentence for w in ("格式", "年度报告", "年报", "编制"))
            if not about_format:
                continue
            cited = OFFICIAL_NOTICES.get((year, num))
            if cited is None:
                right = _closest_notice(year, num)
                out.append(Finding(
                    rule="NOTICE-NUMBER", level="error", expected=right, found=m.group(0),
                    location=ctx.loc(p.index, m.start(), m.end()),
                    message=f"格式通知文号“{m.group(0)}”有误；年度报告格式通知的文号为"
                            f"国办公开办函〔2019〕60号（2019年格式）或国办公开办函〔2021〕30号（2021年格式），"
                            f"此处应为{right}"))
                continue
            if ctx.year is None:
                continue
            expected = format_for_year(ctx.year)
            if expected is None or cited == expected.id:
                continue
            out.append(Finding(
                rule="NOTICE-NUMBER", level="error", expected=expected.notice.number, found=m.group(0),
                location=ctx.loc(p.index, m.start(), m.end()),
                message=f"{ctx.year}年度报告应依据{expected.notice.number}印发的格式编制，"
                        f"报告却引用了{all_formats()[cited].notice.number}"
                        + ("（2021年格式发布后已不再适用）" if cited == "2019" else "（当时尚未发布）")))
        for m in FORMAT_TITLE_RE.finditer(p.text):
            title = m.group(1)
            if "中华人民共和国" not in title and "政府信息" not in title:
                continue
            cited = _titles().get(_norm_title(title))
            expected = format_for_year(ctx.year) if ctx.year else None
            if cited is not None:
                if expected is not None and cited != expected.id:
                    out.append(Finding(
                        rule="NOTICE-NUMBER", level="error", expected=f"《{expected.name}》", found=f"《{title}》",
                        location=ctx.loc(p.index, m.start(1), m.end(1)),
                        message=f"{ctx.year}年度报告引用了{cited}年格式《{title}》，应为《{expected.name}》"))
                continue
            if not looks_like_national_format(title, _titles()):
                continue  # a provincial format or another notice, not a misspelt national one
            right = (expected or all_formats()["2021"]).name
            out.append(Finding(
                rule="NOTICE-NUMBER", level="error", expected=f"《{right}》", found=f"《{title}》",
                location=ctx.loc(p.index, m.start(1), m.end(1)),
                message=f"格式名称《{title}》有误，应为《{right}》"))
    return out


def _closest_notice(year: str, num: str) -> str:
    if year == "2021" or num.startswith("3") or num == "30":
        return "国办公开办函〔2021〕30号"
    if year == "2019" or num.startswith("6"):
        return "国办公开办函〔2019〕60号"
    return "国办公开办函〔2021〕30号"


# ---------------------------------------------------------------- helpers


def _first_paragraph(ctx: Context) -> int:
    for p in ctx.doc.paragraphs:
        if p.text.strip():
            return p.index
    return 0


def _format_of(ctx: Context) -> Format | None:
    if ctx.year is not None:
        return format_for_year(ctx.year) or all_formats()["2019"]
    return all_formats()["2021"]


# The draft's marked placeholder for what the data file did not give (e.g. 上年度问题整改情况).
PLACEHOLDER_RE = re.compile(r"【待补充[^】]*】")


def check_placeholders(ctx: Context) -> list[Finding]:
    """A draft's 【待补充：…】 left in the text: the report is not finished."""
    out = []
    for p in ctx.doc.paragraphs:
        for m in PLACEHOLDER_RE.finditer(p.text):
            shown = m.group(0)[:24] + ("…" if len(m.group(0)) > 24 else "")
            out.append(Finding(rule="X-PLACEHOLDER", level="warning", expected="替换为实际内容", found=shown,
                               location=ctx.loc(p.index, m.start(), m.end()),
                               message=f"稿中留有待补充的占位文字（{shown}），提交前须替换为实际内容"))
    return out


DOCUMENT_CHECKS: list[Callable[[Context], list[Finding]]] = [
    check_sections, check_section_count, check_period, check_dates, check_table_format, check_notice,
    check_problems_section, check_fee_statement, check_placeholders,
    check_notice_near_misses, check_announced_list, check_item_numbers, proofread,
    lambda ctx: check_publication_date(ctx, publication_deadline),
]


def judge_document(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for check in DOCUMENT_CHECKS:
        out += check(ctx)
    # the document's own date late is PUB-DATE's finding, not also DATE's
    own = {(f.location.paragraph, f.location.start) for f in out if f.rule == "PUB-DATE"}
    return [f for f in out if not (f.rule == "DATE" and (f.location.paragraph, f.location.start) in own)]
