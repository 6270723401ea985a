"""One table over many checked drafts: body, year, counts per level and per rule.

A city's 政务公开 office reviews the reports of dozens of departments each January; this is
the sheet it keeps. Built once here and used by `check DIR --summary 汇总.xlsx` and by the
批量汇总 page of `report-writer serve`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from ..findings import LEVEL_ORDER, LEVEL_ZH
from .batch import FileOutcome

VERDICT_ZH = {"unreadable": "无法读取", "failed": "未通过", "passed": "通过"}


@dataclass
class SummaryRow:
    file: str
    body: str
    year: int | None
    format_id: str
    verdict: str  # unreadable | failed | passed
    errors: int
    warnings: int
    infos: int
    per_rule: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # why the file could not be read


@dataclass
class Summary:
    rows: list[SummaryRow]
    rules: list[str]  # every rule id that occurs, most frequent first (ties by id)

    @property
    def totals(self) -> dict[str, int]:
        return {"files": len(self.rows), "errors": sum(r.errors for r in self.rows),
                "warnings": sum(r.warnings for r in self.rows), "infos": sum(r.infos for r in self.rows),
                "failed": sum(1 for r in self.rows if r.verdict == "failed"),
                "unreadable": sum(1 for r in self.rows if r.verdict == "unreadable")}


def build_summary(outcomes: list[FileOutcome], fail_on: str = "error") -> Summary:
    rows, overall = [], {}
    for o in outcomes:
        per_rule: dict[str, int] = {}
        for f in o.findings:
            per_rule[f.rule] = per_rule.get(f.rule, 0) + 1
            overall[f.rule] = overall.get(f.rule, 0) + 1
        verdict = "unreadable" if o.status == "unreadable" else ("failed" if o.fails(fail_on) else "passed")
        rows.append(SummaryRow(file=o.file, body=o.body or "", year=o.year, format_id=o.format_id or "",
                               verdict=verdict, errors=o.count("error"), warnings=o.count("warning"),
                               infos=o.count("info"), per_rule=per_rule, error=o.error))
    rules = sorted(overall, key=lambda r: (-overall[r], r))
    return Summary(rows=rows, rules=rules)


def summary_xlsx(summary: Summary, outcomes: list[FileOutcome] | None = None) -> bytes:
    """The workbook: sheet 汇总 (one row per draft), and 问题明细 (one row per finding) when outcomes are given."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from .report_text import place, section_title

    bold, head_fill = Font(bold=True), PatternFill("solid", fgColor="D9E1F2")
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    header = ["文件", "机关", "年度", "表格格式", "结果", "错误", "警告", "提示", *summary.rules, "说明"]
    ws.append(header)
    for r in summary.rows:
        ws.append([r.file, r.body, r.year, r.format_id, VERDICT_ZH[r.verdict], r.errors, r.warnings, r.infos,
                   *(r.per_rule.get(rule, 0) for rule in summary.rules), r.error or ""])
    t = summary.totals
    ws.append(["合计", f"{t['files']} 份", None, None, f"未通过 {t['failed']} 份，无法读取 {t['unreadable']} 份",
               t["errors"], t["warnings"], t["infos"],
               *(sum(r.per_rule.get(rule, 0) for r in summary.rows) for rule in summary.rules), None])
    for cell in ws[1]:
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in ws[ws.max_row]:
        cell.font = bold
    ws.freeze_panes = "B2"
    for col, width in zip("ABCDE", (28, 30, 8, 10, 12)):
        ws.column_dimensions[col].width = width

    if outcomes is not None:
        detail = wb.create_sheet("问题明细")
        detail.append(["文件", "级别", "规则", "部分", "位置", "问题", "应为", "实为"])
        for o in outcomes:
            for f in sorted(o.findings, key=lambda f: -LEVEL_ORDER[f.level]):
                detail.append([o.file, LEVEL_ZH[f.level], f.rule, section_title(f.location.section, o.format_id),
                               place(f.location, o.format_id), f.message, f.expected, f.found])
        for cell in detail[1]:
            cell.font, cell.fill = bold, head_fill
        detail.freeze_panes = "A2"
        for col, width in zip("ABCDEFGH", (28, 6, 14, 20, 24, 60, 16, 16)):
            detail.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
