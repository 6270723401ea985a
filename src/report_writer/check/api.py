"""`check`: judge a human-written draft (read → map → extract → judge).

    result = check_document("报告.docx", data=load("数据.yaml").data)
    for f in result.findings: print(f.rule, f.level, f.message, f.location)

The same 勾稽 rules as `validate` run on the document's own tables (run_rules with a
locator that points at the document's cells); the document checks of judge_document
add sections, period, dates, format version and the notice citation; the NLP pass
(report_writer.nlp.judge, when installed) adds narrative-versus-table findings.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.model import YEAR_MAX, YEAR_MIN, Meta, ReportData
from ..findings import Finding, Location
from ..formats import Format, all_formats, format_for_year
from ..rules import run_rules
from . import partial, uncertainty
from .gcpause import collector_paused
from .judge_document import SECTION_ORDER, Context, find_periods, judge_document, paragraph_sections
from .judge_tables import compare_with_data, consolidate_sums


@dataclass
class CheckResult:
    path: str
    document: Any  # SourceDocument
    sections: list  # list[SectionSpan]
    mapped: Any  # MappedTables
    report: ReportData  # built from the document (meta inferred, tables mapped)
    findings: list[Finding] = field(default_factory=list)
    title: Any = None  # TitleInfo or None
    year_source: str | None = None  # where the report year came from: title, data, period
    level_known: bool = False  # whether meta.level was inferred from the body name (or given)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    def worst(self) -> str | None:
        for lvl in ("error", "warning", "info"):
            if any(f.level == lvl for f in self.findings):
                return lvl
        return None


# ---------------------------------------------------------------- meta inference

_GOV_RE = re.compile(r"人民政府(?P<office>办公室|办公厅)?$")
_PLACE_RE = re.compile(r"^(?:[\u4e00-\u9fa5]{2,7}?(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州|盟|地区|县|区|旗))+")
_TOWN_RE = re.compile(r"(?:乡|镇|街道)(?:人民政府|办事处|街道办事处)?$|街道办事处|(?:乡|镇)人民政府")
_ZONE_RE = re.compile(r"(?:开发区|高新区|新区|园区|示范区|试验区)(?:管理委员会|管委会)|管委会$")
_TIER = [("乡镇", ("乡", "镇", "街道")), ("县级", ("县", "区", "旗", "自治县", "自治旗")),
         ("市级", ("市", "州", "盟", "地区", "自治州")), ("省级", ("省", "自治区", "特别行政区"))]


def infer_level(body: str | None) -> str | None:
    """The level of the body from its name, or None when the name does not tell.

    云岭市自然资源和规划局 → 市级部门; 金寨县人民政府 → 县级政府; 青石镇人民政府 → 乡镇/街道.
    A 市 may be a county-level city: 市级政府 can make 规章, so the guess errs on the side of
    not reporting.
    """
    if not body:
        return None
    b = re.sub(r"\s+", "", body)
    if _ZONE_RE.search(b):
        return "开发区"
    if _TOWN_RE.search(b):
        return "乡镇/街道"
    m = _GOV_RE.search(b)
    place_part = b[: m.start()] if m else b
    pm = _PLACE_RE.match(place_part)
    if pm is None:
        if b.startswith(("国家", "中华人民共和国", "国务院")) or (not m and re.search(r"(部|总局|总署)$", b)):
            return "国务院部门"
        return None
    place = pm.group(0)
    organ = b[pm.end():] if not m else ""
    tier = None
    for name, suffixes in _TIER:
        if place.endswith(suffixes):
            tier = name
            break
    if tier is None:
        return None
    if tier == "乡镇":
        return "乡镇/街道"
    is_gov = m is not None and m.group("office") is None
    if is_gov:
        return {"县级": "县级政府", "市级": "市级政府", "省级": "省级政府"}[tier]
    if m is None and not organ:
        return None
    return {"县级": "县级部门", "市级": "市级部门", "省级": "省级部门"}[tier]


def build_report(doc: Any, title: Any, mapped: Any, data: ReportData | None) -> tuple[ReportData, str | None, bool]:
    """ReportData from the document: meta inferred, tables as mapped. Returns (report, year source, level known)."""
    year, source = None, None
    if title is not None and getattr(title, "year", None):
        year, source = int(title.year), "title"
    elif data is not None:
        year, source = data.meta.year, "data"
    else:
        periods = find_periods(doc)
        if periods:
            year, source = int(periods[0][1].group(1)), "period"
    opening_body = None
    if title is None:
        from ..read.structure import find_opening_identity

        opening_body, opening_year, _ = find_opening_identity(doc)
        if year is None and opening_year is not None:
            year, source = opening_year, "opening"
    body = ((getattr(title, "body", None) if title is not None else None) or (data.meta.body if data else None)
            or opening_body)
    if data is not None:
        level, known = data.meta.level, True
        makes = data.meta.makes_regulations
    else:
        guessed = infer_level(body)
        level, known = guessed or "其他", guessed is not None
        makes = None if known else True  # unknown level: do not claim the body lacks rule-making power
    if year is not None and not usable_year(year):
        year, source = None, None  # 1995, 2150: check_source says so; no format covers it
    detected = getattr(mapped, "format_id", None) if mapped is not None else None
    fallback_year = year or (data.meta.year if data else None) or (2021 if detected == "2021" else 2020)
    meta = Meta(body=body or "（未识别的机关）", level=level, year=fallback_year,
                format=detected or None, makes_regulations=makes)
    tables = dict(getattr(mapped, "tables", {}) or {}) if mapped is not None else {}
    report = ReportData(meta=meta, tables=tables, previous=data.previous if data is not None else None)
    return report, (source if year else None), known


# ---------------------------------------------------------------- locating cells


def make_locator(doc: Any, mapped: Any, fmt: Format):
    positions = getattr(mapped, "positions", {}) or {}
    table_positions = getattr(mapped, "table_positions", {}) or {}

    seen = getattr(mapped, "seen", {}) or {}

    def table_index(tid: str) -> int | None:
        idx = table_positions.get(tid, seen.get(tid))
        if isinstance(idx, (list, tuple)):
            idx = idx[0] if idx else None
        return idx if idx is None or idx >= 0 else None  # -1: the table is only text in a paragraph

    def locate(table: str, row: str | None, col: str | None) -> Location:
        loc = _locate(table, row, col)
        tables = getattr(doc, "tables", [])
        if loc.table_index is not None and 0 <= loc.table_index < len(tables) and tables[loc.table_index].reading:
            return loc.model_copy(update={"reading": tables[loc.table_index].reading})
        return loc

    def _locate(table: str, row: str | None, col: str | None) -> Location:
        if table == "meta":
            for tid in ("table2", "table3", "table4"):
                if table_index(tid) is not None:
                    return Location(file=doc.path, table=tid, table_index=table_index(tid),
                                    section=fmt.table(tid).section)
            return Location(file=doc.path)
        section = fmt.table(table).section if table in fmt.tables else None
        pos = positions.get((table, row, col)) if row and col else None
        if pos is None and row and not col and table in fmt.tables:
            cols = fmt.table(table).columns_of(row)
            pos = next((positions[(table, row, c.id)] for c in cols if (table, row, c.id) in positions), None)
            if pos is not None:
                return Location(file=doc.path, section=section, table=table, row=row, col=col,
                                table_index=pos[0], cell_row=pos[1])
        if pos is not None:
            return Location(file=doc.path, section=section, table=table, row=row, col=col,
                            table_index=pos[0], cell_row=pos[1], cell_col=pos[2])
        return Location(file=doc.path, section=section, table=table, row=row, col=col, table_index=table_index(table))

    return locate


# ---------------------------------------------------------------- the pipeline


def check_document(path: str | Path, data: ReportData | None = None, nlp: bool = True) -> CheckResult:
    """Read a draft (.docx, .html, .txt) and judge it. Raises ReadError when it cannot be read.

    Beside last year's report or data: check.judge_previous.check_with_previous."""
    from ..read import read_document

    with collector_paused():
        doc = read_document(path)
        return check_source(doc, data=data, nlp=nlp)


def check_source(doc: Any, data: ReportData | None = None, nlp: bool = True) -> CheckResult:
    """Judge an already read SourceDocument (the readers' output, or one built by hand)."""
    with collector_paused():
        return _check_source(doc, data, nlp)


def _check_source(doc: Any, data: ReportData | None, nlp: bool) -> CheckResult:
    from ..read.mapper import map_tables
    from ..read.structure import find_sections, find_title

    title = find_title(doc)
    mapped = map_tables(doc)
    year_hint = getattr(title, "year", None) if title is not None else None
    fmt_hint = getattr(mapped, "format_id", None)
    sections = find_sections(doc, all_formats()[fmt_hint] if fmt_hint in all_formats() else None)
    report, year_source, level_known = build_report(doc, title, mapped, data)
    year = report.meta.year if year_source else None
    if year is None and year_hint and usable_year(int(year_hint)):
        year = int(year_hint)
    unsupported = _unsupported_year(doc, title) if year is None else None
    fmt = _judging_format(mapped, year, report)
    uncertainty.note_tables_in_text(doc, fmt, mapped)
    locate = make_locator(doc, mapped, fmt)

    present = {s.id for s in sections}
    findings: list[Finding] = [
        f for f in (getattr(mapped, "findings", []) or [])
        # A table that is missing with its whole section is SEC-MISSING's finding.
        if not (f.rule == "MAP-MISSING-TABLE" and f.location.table in fmt.tables
                and fmt.table(f.location.table).section not in present)]
    rule_findings = [f for f in run_rules(fmt, report, locate) if f.rule != "X-FORMAT"]
    # A table whose whole section is missing is SEC-MISSING's finding, not an empty table.
    rule_findings = [f for f in rule_findings
                     if not (f.rule == "CELL-EMPTY" and f.location.row is None and f.location.table in fmt.tables
                             and fmt.table(f.location.table).section not in present)]
    rule_findings = uncertainty.screen(fmt, mapped, rule_findings)
    findings = uncertainty.screen(fmt, mapped, findings) + uncertainty.notes(fmt, mapped, locate)
    findings += consolidate_sums(fmt, report, rule_findings, locate)
    ctx = Context(doc=doc, sections=sections, mapped=mapped, report=report, year=year, year_source=year_source,
                  title=title, para_section=paragraph_sections(doc, sections))
    ctx.level_known = level_known  # type: ignore[attr-defined]
    findings += judge_document(ctx)
    from .judge_pdf import pdf_findings

    findings += pdf_findings(doc)
    if year is None:
        findings.append(Finding(
            rule="TITLE", level="warning", expected="如“某某局2023年政府信息公开工作年度报告”", found="未识别",
            location=Location(file=doc.path, paragraph=0, section="preamble"),
            message="未能从标题或统计期限识别报告年度，与年度有关的检查（格式版本、统计期限、日期）未执行"))
    if title is None:
        findings = partial.fold(findings, doc, sections, fmt, year, year_source)
    if data is not None:
        findings += compare_with_data(fmt, report, data, locate)
    if nlp:
        findings += _narrative_findings(doc, sections, report, data)
    findings = _year_note(findings, unsupported, doc)
    result = CheckResult(path=str(doc.path), document=doc, sections=sections, mapped=mapped, report=report,
                         title=title, year_source=year_source, level_known=level_known)
    from .locations import place

    result.findings = sort_findings(_dedupe(place(findings, doc)), doc)
    return result


def _year_note(findings: list[Finding], unsupported: int | None, doc: Any) -> list[Finding]:
    """When the year read is one no format covers, say which (instead of TITLE's "未识别")."""
    if unsupported is None:
        return findings
    return [f for f in findings if not (f.rule == "TITLE" and f.found == "未识别")] + [Finding(
        rule="TITLE", level="warning", found=f"{unsupported}年度",
        expected=f"{min(f.years.first for f in all_formats().values())}—{YEAR_MAX}年度",
        location=Location(file=doc.path, paragraph=0, section="preamble"),
        message=f"报告年度读作{unsupported}年，不在本工具支持的范围内（政府信息公开年度报告统一格式自 2019 年度起施行，"
                f"本工具支持至 {YEAR_MAX} 年度）；与年度有关的检查（格式版本、统计期限、日期）未执行，请核对标题中的年份")]


def usable_year(year: int) -> bool:
    """A year a format covers and the model accepts (1995 and 2150 are neither)."""
    return YEAR_MIN <= year <= YEAR_MAX and format_for_year(year) is not None


def _unsupported_year(doc: Any, title: Any) -> int | None:
    """The year the title or the period names when it is one no format covers, else None."""
    if title is not None and getattr(title, "year", None):
        return None if usable_year(int(title.year)) else int(title.year)
    periods = find_periods(doc)
    if periods:
        y = int(periods[0][1].group(1))
        return None if usable_year(y) else y
    return None


def _judging_format(mapped: Any, year: int | None, report: ReportData) -> Format:
    detected = getattr(mapped, "format_id", None)
    if detected in all_formats():
        return all_formats()[detected]
    if year is not None and format_for_year(year) is not None:
        return format_for_year(year)  # type: ignore[return-value]
    return all_formats()[report.format_id]


def _narrative_findings(doc: Any, sections: list, report: ReportData, data: ReportData | None) -> list[Finding]:
    try:
        nlp_judge = importlib.import_module("report_writer.nlp.judge")
    except ModuleNotFoundError as e:
        if e.name in ("report_writer.nlp.judge", "report_writer.nlp"):
            return []  # the NLP pass is not installed in this build
        raise
    return list(nlp_judge.narrative_findings(doc, sections, report, data))


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.rule, f.level, f.message, f.location)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def position_key(f: Finding, doc: Any) -> tuple:
    """Reading order: a paragraph finding by (paragraph, offset), a table finding after the paragraph before it."""
    loc = f.location
    after = {t.index: t.after_paragraph for t in getattr(doc, "tables", [])}
    if loc.paragraph is not None:
        return (loc.paragraph, 0, loc.start or 0, 0, f.rule)
    if loc.table_index is not None:
        return (after.get(loc.table_index, -1), 1, loc.table_index, (loc.cell_row or 0) * 1000 + (loc.cell_col or 0),
                f.rule)
    if loc.section in SECTION_ORDER:
        return (10 ** 6 + SECTION_ORDER.index(loc.section), 0, 0, 0, f.rule)
    return (-1, 0, 0, 0, f.rule)


def sort_findings(findings: list[Finding], doc: Any) -> list[Finding]:
    return sorted(findings, key=lambda f: position_key(f, doc))


def section_names(fmt_id: str | None = None) -> dict[str, str]:
    fmt = all_formats().get(fmt_id or "2021") or all_formats()["2021"]
    names = {s.id: s.title for s in fmt.sections}
    names["preamble"] = "标题与引言"
    return names
