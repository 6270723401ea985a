"""What a data file must give for section 五 to read as a reviewer expects (validate, draft)."""

from __future__ import annotations

from typing import Callable

from ..findings import Finding, Location
from .model import ReportData


def section5_findings(fmt, data: ReportData, locate: Callable[..., Location]) -> list[Finding]:
    from .tense import improvement_done

    out: list[Finding] = []
    if fmt.years.first >= 2021 and not data.previous_remedies:
        out.append(Finding(rule="X-REMEDIES", level="warning", location=locate("root", "previous_remedies", None),
                           message="未填写上年度问题整改情况（previous_remedies）；2021年格式要求在第五部分报告"
                                   "上年度报告所列问题的整改情况，初稿将在该处留出醒目的待补充文字，提交前须替换"))
    if data.improvements and all(improvement_done(i, data.meta.year) for i in data.improvements):
        out.append(Finding(rule="X-PLANNED", level="warning", location=locate("root", "improvements", None),
                           message="改进措施（improvements）均为本年度已采取的措施（时间在本年度内或写明已取得成效）；"
                                   "初稿按已采取的措施叙述。第五部分还应写明针对各问题的下一步措施，请补充"
                                   "（下一步措施不填本年度时间，或填 done: false）"))
    return out
