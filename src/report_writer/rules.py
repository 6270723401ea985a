"""The arithmetic (勾稽) and consistency rules, interpreted from the format file.

One function per rule kind; the concrete rules (which rows, which columns, which
level) live in formats/*.yaml. `validate` on a data file and `check` on a
document run the same rules on the same ReportData; only `locate` differs.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from .data.model import ReportData, format_decimal
from .findings import Finding, Location
from .formats import Format, Rule, Table, all_formats, format_for_year

Locate = Callable[[str, str | None, str | None], Location]  # (table, row, col) -> Location


def short_label(label: str) -> str:
    """Row labels without the long parenthetical note: （二）部分公开（区分处理的…） -> （二）部分公开."""
    if label.count("（") >= 2 and label.endswith("）"):
        return label[: label.rindex("（")]
    return label


def cell_name(table: Table, row_id: str, col_id: str | None) -> str:
    row = table.row(row_id)
    if col_id is None:
        return f"{table.name}“{short_label(row.label)}”"
    col = table.column(row_id, col_id)
    prefix = f"{row.group_label}“{row.label}”" if row.group_label else f"“{short_label(row.label)}”"
    return f"{table.name}{prefix}行“{col.label}”列"


def _num(v: Decimal) -> str:
    return format_decimal(v)


def check_sum(rule: Rule, fmt: Format, data: ReportData, locate: Locate) -> list[Finding]:
    table = fmt.table(rule.table)
    out = []
    if rule.each == "column":
        cols = [c.id for c in table.columns]
        units = [(c, [(r, c) for r in rule.left], [(r, c) for r in rule.right]) for c in cols]
    else:
        rows = [r.id for r in table.data_rows()]
        units = [(r, [(r, c) for c in rule.left], [(r, c) for c in rule.right]) for r in rows]
    present = data.tables.get(rule.table, {})
    for unit, left, right in units:
        if not any(present.get(r, {}).get(c) is not None and present[r][c].is_number for r, c in left + right):
            continue  # nothing filled in: the emptiness rule reports it
        lsum = sum((data.value(rule.table, r, c) for r, c in left), Decimal(0))
        rsum = sum((data.value(rule.table, r, c) for r, c in right), Decimal(0))
        if lsum == rsum:
            continue
        if rule.each == "column":
            where = f"{table.name}“{table.column(left[0][0], unit).label}”列"
            lparts = "加".join(f"{short_label(table.row(r).label)}（{_num(data.value(rule.table, r, c))}）"
                              for r, c in left)
            rparts = _parts([(short_label(table.row(r).label), data.value(rule.table, r, c)) for r, c in right])
        else:
            row = table.row(unit)
            where = f"{table.name}“{(row.group_label or '') + short_label(row.label)}”行"
            lparts = "加".join(f"{table.column(r, c).label}（{_num(data.value(rule.table, r, c))}）" for r, c in left)
            rparts = _parts([(table.column(r, c).label, data.value(rule.table, r, c)) for r, c in right])
        message = (f"{where}：{lparts}{'之和为 ' + _num(lsum) if len(left) > 1 else ''}，"
                   f"而{rparts}之和为 {_num(rsum)}，两者应相等（{rule.title}）")
        r0, c0 = left[0]
        out.append(Finding(rule=rule.id, level=rule.level, message=message, expected=_num(rsum), found=_num(lsum),
                           location=locate(rule.table, r0, c0)))
    return out


def _parts(items: list[tuple[str, Decimal]]) -> str:
    """List the addends; long lists show only the non-zero ones."""
    if len(items) <= 4:
        return "、".join(f"{label}（{_num(v)}）" for label, v in items)
    nonzero = [f"{label}（{_num(v)}）" for label, v in items if v]
    return "各项（非零项：" + ("、".join(nonzero) or "无") + "）"


def check_rulemaker(rule: Rule, fmt: Format, data: ReportData, locate: Locate) -> list[Finding]:
    if data.meta.may_make_regulations():
        return []
    table = fmt.table(rule.table)
    out = []
    for rid in rule.rows:
        for col in table.columns_of(rid):
            cell = data.cell(rule.table, rid, col.id)
            if cell is not None and cell.is_number and cell.value:
                out.append(Finding(
                    rule=rule.id, level=rule.level, expected="0", found=_num(cell.value),
                    location=locate(rule.table, rid, col.id),
                    message=f"{cell_name(table, rid, col.id)}为 {_num(cell.value)}，但“{data.meta.level}”一级的机关没有"
                            f"规章制定权，规章数据通常应为 0；如确有规章，请在 meta.makes_regulations 中注明"))
    return out


def check_carry(rule: Rule, fmt: Format, data: ReportData, locate: Locate) -> list[Finding]:
    prev = data.previous
    if prev is None or rule.table not in prev.tables or rule.previous_row not in prev.tables[rule.table]:
        return []
    table = fmt.table(rule.table)
    prev_row = prev.tables[rule.table][rule.previous_row]
    out = []
    for col in table.columns_of(rule.row):
        before = prev_row.get(col.id)
        now = data.cell(rule.table, rule.row, col.id)
        if before is None or not before.is_number or now is None or not now.is_number:
            continue
        if before.value != now.value:
            out.append(Finding(
                rule=rule.id, level=rule.level, expected=_num(before.value), found=_num(now.value),
                location=locate(rule.table, rule.row, col.id),
                message=f"{cell_name(table, rule.row, col.id)}为 {_num(now.value)}，而上年度报告“结转下年度继续办理”"
                        f"为 {_num(before.value)}；如有差异，请在报告中说明原因"))
    return out


def check_rollforward(rule: Rule, fmt: Format, data: ReportData, locate: Locate) -> list[Finding]:
    prev = data.previous
    if prev is None or rule.table not in prev.tables:
        return []
    table = fmt.table(rule.table)
    out = []
    for rid in rule.rows:
        before = prev.tables[rule.table].get(rid, {}).get(rule.column)
        cells_ = [data.cell(rule.table, rid, c) for c in (rule.column, rule.plus, rule.minus)]
        if before is None or not before.is_number or any(c is None or not c.is_number for c in cells_):
            continue
        now, plus, minus = (c.value for c in cells_)
        expected = before.value + plus - minus
        if now != expected:
            row = table.row(rid)
            out.append(Finding(
                rule=rule.id, level=rule.level, expected=_num(expected), found=_num(now),
                location=locate(rule.table, rid, rule.column),
                message=f"{table.name}“{row.label}”现行有效件数为 {_num(now)}，按上年现行有效 {_num(before.value)} 件"
                        f"加本年制发 {_num(plus)} 件、减本年废止 {_num(minus)} 件应为 {_num(expected)} 件；"
                        f"如因清理、修订等原因不一致，请在报告中说明"))
    return out


KINDS = {"sum": check_sum, "rulemaker": check_rulemaker, "carry": check_carry, "rollforward": check_rollforward}


def check_format_year(data: ReportData, locate: Locate) -> list[Finding]:
    expected = format_for_year(data.meta.year)
    if data.meta.format is None or expected is None or data.meta.format == expected.id:
        return []
    named = all_formats()[data.meta.format]
    return [Finding(rule="X-FORMAT", level="error", expected=expected.id, found=named.id,
                    location=locate("meta", "format", None),
                    message=f"{data.meta.year}年度报告应使用{expected.id}年格式（{expected.notice.number}），"
                            f"数据中却指定了{named.id}年格式（{named.notice.number}）")]


def check_cells_filled(fmt: Format, data: ReportData, locate: Locate) -> list[Finding]:
    """Cells the form wants as numbers but that hold nothing, "/", "—", "无" or text."""
    out = []
    for tid, table in fmt.tables.items():
        present = data.tables.get(tid, {})
        if not any(c.is_number for row in present.values() for c in row.values()):
            out.append(Finding(rule="CELL-EMPTY", level="error", location=locate(tid, None, None),
                               message=f"{table.name}（{table.title}）没有填写任何数字；没有发生的事项请填 0"))
            continue
        for row in table.data_rows():
            cols = table.columns_of(row.id)
            cells_ = [present.get(row.id, {}).get(c.id) for c in cols]
            missing = [c for c, cell in zip(cols, cells_) if cell is None or not cell.is_number]
            if not missing:
                continue
            if len(missing) == len(cols) and len(cols) > 1 and all(
                    cell is None or cell.state == "empty" for cell in cells_):
                out.append(Finding(rule="CELL-EMPTY", level="error", location=locate(tid, row.id, None),
                                   message=f"{table.name}“{short_label(row.label)}”整行未填写；没有发生的事项请填 0"))
                continue
            for col in missing:
                cell = present.get(row.id, {}).get(col.id)
                shown = "空白" if cell is None or cell.state == "empty" else f"“{cell.raw or cell.shown()}”"
                level = "error" if col.id == "total" else "warning"
                out.append(Finding(rule="CELL-EMPTY", level=level, expected="数字", found=shown,
                                   location=locate(tid, row.id, col.id),
                                   message=f"{cell_name(table, row.id, col.id)}为{shown}，表格应填数字，没有发生的请填 0"))
    return out


def run_rules(fmt: Format, data: ReportData, locate: Locate) -> list[Finding]:
    findings = check_format_year(data, locate)
    findings += check_cells_filled(fmt, data, locate)
    for rule in fmt.rules:
        findings += KINDS[rule.kind](rule, fmt, data, locate)
    return findings


def check_content(fmt: Format, data: ReportData, locate: Locate) -> list[Finding]:
    """What a data file must say beyond the tables for the draft's 五 and 六 not to be empty or wrong."""
    out = []
    if not data.problems:
        out.append(Finding(rule="X-SEC5", level="warning", location=locate("root", "problems", None),
                           message="未填写存在的主要问题（problems），初稿“五、存在的主要问题及改进情况”将只有标题；"
                                   "格式要求逐项分析本机关工作中的问题，请补充"))
    if fmt.years.first >= 2021:
        fee = data.other.fee
        dropped = data.value("table3", "r3_6_2", "total")
        if fee is None:
            out.append(Finding(rule="X-FEE", level="warning", location=locate("root", "other", None),
                               message="未填写信息处理费情况（other.fee）；2021年格式要求在“六、其他需要报告的事项”"
                                       "中说明是否收取信息处理费"))
        elif dropped and not fee.collected and not (fee.notices and fee.notices.value):
            out.append(Finding(rule="X-FEE", level="warning", expected="发出收费通知", found="未收费、未发通知",
                               location=locate("table3", "r3_6_2", "total"),
                               message=f"表三有{_num(dropped)}件申请因逾期未缴纳费用不再处理，说明发出过收费通知，"
                                       "但信息处理费情况填写为未收费且未发通知，请核对"))
    return out


__all__ = ["run_rules", "check_content", "cell_name", "short_label"]
