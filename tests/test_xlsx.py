"""The fillable workbook: layout from the format, protection, validation, round trip, bad input."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from report_writer.data.dump import dump_yaml
from report_writer.findings import DataFileError
from report_writer.formats import get_format
from report_writer.data.loader import build, load
from report_writer.data.xlsx import load_xlsx, write_workbook
from report_writer.data.yamlsrc import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [ROOT / "examples" / "jinzhai-2020.yaml", ROOT / "examples" / "yunling-zrzy-2023.yaml"]


def save(wb, tmp_path: Path, name: str = "data.xlsx") -> Path:
    path = tmp_path / name
    wb.save(path)
    return path


def example_xlsx(tmp_path: Path, which: int = 0) -> Path:
    return save(write_workbook(load(EXAMPLES[which]).data), tmp_path, f"example{which}.xlsx")


def find_row(ws, key: str) -> int:
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == key:
            return r
    raise KeyError(key)


def errors_of(path: Path) -> list:
    with pytest.raises(DataFileError) as e:
        load_xlsx(path)
    return e.value.findings


# ---------------------------------------------------------------- init, fill, load


def test_init_2024_fill_some_cells_and_load(tmp_path):
    wb = write_workbook(None, year=2024, body="某某县人民政府", level="县级政府")
    path = save(wb, tmp_path)
    wb = load_workbook(path)
    t3 = wb["表三"]
    # the row of 一、本年新收…, the column of 自然人 and 总计, found by label, not by assumption
    labels = {t3.cell(r, 1).value: r for r in range(1, t3.max_row + 1)}
    r1 = labels["一、本年新收政府信息公开申请数量"]
    header = {t3.cell(r, c).value: c for r in range(3, 6) for c in range(1, t3.max_column + 1)}
    t3.cell(r1, header["自然人"]).value = 12
    t3.cell(r1, header["总计"]).value = 12
    t2 = wb["表二"]
    fee_row = next(r for r in range(1, t2.max_row + 1) if t2.cell(r, 1).value == "行政事业性收费")
    t2.cell(fee_row, 2).value = 12.5
    info = wb["基本信息与总体情况"]
    info.cell(find_row(info, "overview.oversight.trainees"), 3).value = "近300"
    info.cell(find_row(info, "meta.phone"), 3).value = "0564-1234567"
    lists = wb["总体情况清单"]
    start = find_row(lists, "#list:overview.proactive.topics")
    lists.cell(start + 2, 2).value = "优化营商环境"
    lists.cell(start + 2, 3).value = 45
    wb.save(path)

    data = load_xlsx(path).data
    assert data.meta.body == "某某县人民政府" and data.meta.year == 2024 and data.format_id == "2021"
    assert data.value("table3", "r1", "natural") == 12 and data.value("table3", "r1", "total") == 12
    assert data.cell("table3", "r2", "natural").state == "empty"
    assert data.value("table2", "fees", "amount") == Decimal("12.5")
    assert data.overview.oversight.trainees.text() == "近300"
    assert data.meta.phone == "0564-1234567"
    assert data.overview.proactive.topics[0].name == "优化营商环境"
    assert data.overview.proactive.topics[0].items.value == 45


@pytest.mark.parametrize("fmt_id,year", [("2019", 2020), ("2021", 2022)])
def test_table_sheets_carry_exactly_the_format_labels(fmt_id, year):
    fmt = get_format(fmt_id)
    wb = write_workbook(None, year=year)
    for tid in ("table2", "table3", "table4"):
        table = fmt.table(tid)
        expected = set()
        for b in table.blocks:
            expected |= {b.caption} | {c.label for c in b.columns} | {r.label for r in b.rows}
        if table.blocks:
            expected.add(table.label_header)
        expected |= {c.label for c in table.columns} | {r.label for r in table.rows}
        expected |= {r.group_label for r in table.rows if r.group_label}
        expected |= {c.group for c in table.columns if c.group}
        expected |= set(table.header.values()) - {None}
        if table.corner_note:
            expected.add(table.corner_note)
        ws = wb[table.name]
        found = {c.value for row in ws.iter_rows(min_row=3) for c in row if isinstance(c.value, str)}
        assert found == expected, (tid, found ^ expected)
        assert ws.cell(1, 1).value == fmt.section(table.section).title


def test_2019_and_2021_differ_where_the_formats_differ():
    w19, w21 = write_workbook(None, year=2020), write_workbook(None, year=2021)
    s19 = {c.value for row in w19["表二"].iter_rows() for c in row}
    s21 = {c.value for row in w21["表二"].iter_rows() for c in row}
    assert "政府集中采购" in s19 and "政府集中采购" not in s21
    assert "本年收费金额（单位：万元）" in s21 and "本年增/减" in s19
    t19 = {c.value for row in w19["表三"].iter_rows() for c in row}
    assert "3.其他" not in t19


def test_protection_and_unlocked_inputs():
    wb = write_workbook(None, year=2024)
    for name in ("表二", "表三", "表四", "基本信息与总体情况", "总体情况清单", "问题与改进", "其他事项", "上年数据"):
        ws = wb[name]
        assert ws.protection.sheet, name
        assert not ws.protection.password, name  # offices can lift it
    t3 = wb["表三"]
    assert t3["A6"].protection.locked  # a label
    assert not t3["D6"].protection.locked  # 自然人 of 一、本年新收
    assert not t3["J30"].protection.locked and t3["A30"].value == "四、结转下年度继续办理"
    info = wb["基本信息与总体情况"]
    r = find_row(info, "meta.body")
    assert not info.cell(r, 3).protection.locked and info.cell(r, 2).protection.locked
    assert info.cell(r, 2).value == "报告机关全称"


def _validation_for(ws, ref: str):
    for dv in ws.data_validations.dataValidation:
        if ref in dv.sqref:
            return dv
    return None


def test_data_validation_on_count_change_and_money_cells():
    w19 = write_workbook(None, year=2020)
    t3 = w19["表三"]
    dv = _validation_for(t3, "D6")
    assert dv.type == "whole" and dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
    t2 = w19["表二"]
    lic = next(r for r in range(1, t2.max_row + 1) if t2.cell(r, 1).value == "行政许可")
    change = _validation_for(t2, f"C{lic}")
    assert change.type == "whole" and change.operator == "between" and change.formula1.startswith("-")
    proc = next(r for r in range(1, t2.max_row + 1) if t2.cell(r, 1).value == "政府集中采购")
    assert _validation_for(t2, f"C{proc}").type == "decimal"
    t4 = w19["表四"]
    assert _validation_for(t4, "O6").type == "whole"
    info = w19["基本信息与总体情况"]
    level = _validation_for(info, f"C{find_row(info, 'meta.level')}")
    assert level.type == "list" and "县级政府" in level.formula1


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_yaml_xlsx_yaml_round_trip_is_lossless(example, tmp_path):
    original = load(example).data
    first = load_xlsx(save(write_workbook(original), tmp_path, "a.xlsx")).data
    assert first == original
    yaml1 = dump_yaml(first)
    assert build(parse_yaml(yaml1), "x").data == original
    second = load_xlsx(save(write_workbook(build(parse_yaml(yaml1), "x").data), tmp_path, "b.xlsx")).data
    assert dump_yaml(second) == yaml1


def test_money_keeps_its_decimals(tmp_path):
    data = load(EXAMPLES[1]).data
    from report_writer.data.model import Cell

    data.tables["table2"]["fees"]["amount"] = Cell.number(Decimal("12.50"))
    back = load_xlsx(save(write_workbook(data), tmp_path)).data
    assert format(back.tables["table2"]["fees"]["amount"].value, "f") == "12.50"
    assert "fees: 12.50" in dump_yaml(back)


# ---------------------------------------------------------------- bad workbooks


def test_renamed_sheet_is_named(tmp_path):
    path = example_xlsx(tmp_path)
    wb = load_workbook(path)
    wb["表三"].title = "表3"
    wb.save(path)
    f = errors_of(path)
    assert any("缺少工作表“表三”" in x.message and "表3" in x.message for x in f)
    assert any(x.location.cell_ref and x.location.cell_ref.startswith("表三!") for x in f)


def test_text_in_count_cell_names_sheet_and_cell(tmp_path):
    path = example_xlsx(tmp_path)
    wb = load_workbook(path)
    wb["表三"]["J6"] = "二十三"
    wb.save(path)
    (f,) = errors_of(path)
    assert f.location.cell_ref == "表三!J6"
    assert "表三!J6" in f.message and "23" in f.message
    assert "表三!J6" in f.location.short()


def test_merged_cell_over_input_is_refused(tmp_path):
    path = example_xlsx(tmp_path)
    wb = load_workbook(path)
    wb["表三"].merge_cells("D7:E7")
    wb.save(path)
    f = errors_of(path)
    refs = {x.location.cell_ref for x in f}
    assert {"表三!D7", "表三!E7"} <= refs
    assert all("合并" in x.message for x in f)


def test_formula_without_cached_value(tmp_path):
    path = example_xlsx(tmp_path)
    wb = load_workbook(path)
    wb["表三"]["J6"] = "=SUM(D6:I6)"  # openpyxl saves formulas without a cached result
    wb.save(path)
    loaded = load_xlsx(path)
    assert loaded.data.value("table3", "r1", "total") == 23
    (note,) = loaded.notes
    assert note.level == "warning" and note.location.cell_ref == "表三!J6" and "23" in note.message
    from report_writer.data.validate import validate_file

    assert any(x.rule == "XLSX-ASSUMED" for x in validate_file(path).findings)

    wb = load_workbook(path)
    wb["表三"]["J6"] = "=VLOOKUP(D6,A1:B2,2)"
    wb.save(path)
    (f,) = errors_of(path)
    assert f.location.cell_ref == "表三!J6" and "没有保存计算结果" in f.message


def test_moved_row_label_is_refused(tmp_path):
    path = example_xlsx(tmp_path)
    wb = load_workbook(path)
    ws = wb["表三"]
    ws["A6"], ws["A7"] = ws["A7"].value, ws["A6"].value
    wb.save(path)
    f = errors_of(path)
    assert any(x.location.cell_ref == "表三!A6" and "一、本年新收政府信息公开申请数量" in x.message for x in f)


def test_bad_meta_cell_named(tmp_path):
    path = example_xlsx(tmp_path)
    wb = load_workbook(path)
    info = wb["基本信息与总体情况"]
    r = find_row(info, "meta.report_date")
    info.cell(r, 3).value = "2021年1月"
    wb.save(path)
    (f,) = errors_of(path)
    assert f.location.cell_ref == f"基本信息与总体情况!C{r}" and "日期" in f.message


def test_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    (f,) = errors_of(path)
    assert "不是有效的 .xlsx" in f.message
    old = tmp_path / "x.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataFileError) as e:
        load_xlsx(old)
    assert ".xlsx" in e.value.findings[0].message


def test_rule_findings_on_workbook_name_the_cell(tmp_path):
    path = example_xlsx(tmp_path)
    wb = load_workbook(path)
    wb["表三"]["J6"] = 24  # 总计 no longer the sum of its row
    wb.save(path)
    from report_writer.data.validate import validate_file

    res = validate_file(path)
    assert not res.ok
    assert any(x.location.cell_ref and x.location.cell_ref.startswith("表三!") for x in res.errors)
