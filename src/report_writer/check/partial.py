"""A page that starts mid-report (no title): checked as a partial report with one note.

Web pages often print the title in the page header, and a saved page or a copied excerpt may
begin at a later part. What such a document lacks at its start (title, preamble, the parts
before the first heading found) is said once, as REPORT-PARTIAL, instead of one finding per
missing piece; parts missing after the first one found are still SEC-MISSING's to report.
"""

from __future__ import annotations

from ..findings import Finding, Location
from ..formats import Format
from .judge_document import SECTION_ORDER

_YEAR_SOURCES = {"period": "统计期限", "opening": "正文开头一句", "data": "数据文件"}


def fold(findings: list[Finding], doc, sections: list, fmt: Format, year: int | None,
         year_source: str | None) -> list[Finding]:
    first = min((SECTION_ORDER.index(s.id) for s in sections if s.id in SECTION_ORDER), default=None)
    before = set(SECTION_ORDER[:first]) if first is not None else set()
    start = min((s.paragraph for s in sections), default=None)
    no_preamble = first not in (None, 0) or start == 0
    missing = ["报告标题"]
    folded: list[Finding] = []
    kept: list[Finding] = []
    for f in findings:
        if f.rule == "TITLE" or f.rule == "SEC-MISSING" and f.location.section in before:
            folded.append(f)
        elif f.rule == "PERIOD" and f.found == "未写明" and no_preamble:
            folded.append(f)  # the preamble is before the first part found
        elif f.rule == "MAP-MISSING-TABLE" and f.location.table in fmt.tables \
                and fmt.table(f.location.table).section in before:
            folded.append(f)
        else:
            kept.append(f)
    names = {s.id: f"“{s.number}、{s.heading}”" for s in fmt.sections}
    missing += [names[sid] for sid in SECTION_ORDER if sid in before and sid in names]
    if any(f.rule == "PERIOD" for f in folded):
        missing.append("统计期限")
    if year is None:
        how = "报告年度未能识别，与年度有关的检查（格式版本、统计期限、日期）未执行"
    else:
        how = f"报告年度{year}年取自{_YEAR_SOURCES.get(year_source or '', '表格')}"
    message = (f"文档中没有找到{'、'.join(missing)}，可能只是报告的一部分（如网页从正文中间开始），"
               f"按部分报告检查；{how}")
    kept.append(Finding(rule="REPORT-PARTIAL", level="info", message=message,
                        location=Location(file=doc.path, paragraph=0, section="preamble")))
    return kept
