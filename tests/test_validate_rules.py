"""The 勾稽 and consistency rules of `validate`, each firing and not firing, in both formats."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from report_writer.cli.main import main
from report_writer.data.validate import validate_file

from .conftest import EXAMPLES

JINZHAI = "jinzhai-2020.yaml"  # 2019 format
YUNLING = "yunling-zrzy-2023.yaml"  # 2021 format


def findings_of(path, rule=None):
    result = validate_file(path)
    return [f for f in result.findings if rule is None or f.rule == rule]


@pytest.mark.parametrize("name", [JINZHAI, YUNLING])
def test_examples_are_clean(name):
    result = validate_file(EXAMPLES / name)
    assert result.findings == []
    assert result.ok


def test_issue_acceptance_jinzhai_open_natural_16_to_17(tmp_path):
    """The issue's own example: 予以公开 自然人 16 → 17 exits 1 naming rule, row, column and both sums."""
    text = (EXAMPLES / JINZHAI).read_text(encoding="utf-8")
    bad = text.replace("r3_1:   [16, 0, 0, 0, 0, 0, 16]", "r3_1:   [17, 0, 0, 0, 0, 0, 16]")
    assert bad != text
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert "T3-ROWSUM" in out and "T3-RESULTSUM" in out
    assert "（一）予以公开" in out and "自然人" in out
    assert "之和为 17" in out and "16" in out  # row: 17 vs 16
    assert "之和为 24" in out and "23" in out  # column: results 24 vs （七）总计 23


def test_rowsum_location_points_at_the_line(example_raw, write_data):
    raw = example_raw(JINZHAI)
    raw["table3"]["r3_1"] = [17, 0, 0, 0, 0, 0, 16]
    path = write_data(raw)
    f = findings_of(path, "T3-ROWSUM")[0]
    assert f.location.row == "r3_1" and f.location.col == "total"
    line = path.read_text(encoding="utf-8").splitlines()[f.location.line - 1]
    assert "r3_1" in line or "16" in line
    assert (f.expected, f.found) == ("17", "16")


@pytest.mark.parametrize("name", [JINZHAI, YUNLING])
def test_t3_ident_fires_on_unbalanced_carry(example_raw, write_data, name):
    raw = example_raw(name)
    r4 = list(raw["table3"]["r4"])
    r4[0] += 1
    r4[6] += 1
    raw["table3"]["r4"] = r4
    fs = findings_of(write_data(raw), "T3-IDENT")
    assert {f.location.col for f in fs} == {"natural", "total"}
    assert all(f.level == "error" for f in fs)
    assert "第一项加第二项之和" in fs[0].message


@pytest.mark.parametrize("name", [JINZHAI, YUNLING])
def test_t3_resultsum_fires_and_ident_does_not(example_raw, write_data, name):
    raw = example_raw(name)
    row = list(raw["table3"]["r3_1"])
    row[0] += 1
    row[6] += 1
    raw["table3"]["r3_1"] = row
    fs = findings_of(write_data(raw))
    rules = {f.rule for f in fs}
    assert "T3-RESULTSUM" in rules
    assert "T3-IDENT" not in rules and "T3-ROWSUM" not in rules


@pytest.mark.parametrize("name", [JINZHAI, YUNLING])
def test_t3_rowsum_fires(example_raw, write_data, name):
    raw = example_raw(name)
    row = list(raw["table3"]["r2"])
    row[1] += 2  # 商业企业 without the total
    raw["table3"]["r2"] = row
    fs = findings_of(write_data(raw), "T3-ROWSUM")
    assert len(fs) == 1 and fs[0].location.row == "r2"


def test_2021_result_sum_includes_the_three_other_handling_rows(example_raw, write_data):
    raw = example_raw(YUNLING)
    raw["table3"]["r3_6_2"] = [1, 0, 0, 0, 0, 0, 1]
    fs = findings_of(write_data(raw), "T3-RESULTSUM")
    assert {f.location.col for f in fs} == {"natural", "total"}


@pytest.mark.parametrize("name", [JINZHAI, YUNLING])
def test_t4_sum(example_raw, write_data, name):
    raw = example_raw(name)
    group = list(raw["table4"]["direct"])
    group[4] += 1  # 总计 without a result
    raw["table4"]["direct"] = group
    fs = findings_of(write_data(raw), "T4-SUM")
    assert len(fs) == 1 and fs[0].location.row == "direct" and fs[0].location.col == "total"
    assert "未经复议直接起诉" in fs[0].message


@pytest.mark.parametrize("name,cell", [(JINZHAI, "made"), (YUNLING, "issued")])
def test_rulemaker_warns_for_bodies_without_rule_making_power(example_raw, write_data, name, cell):
    raw = example_raw(name)
    raw["table2"]["regulations"][cell] = 2
    fs = findings_of(write_data(raw), "X-RULEMAKER")
    assert len(fs) == 1 and fs[0].level == "warning"
    assert validate_file(write_data(raw)).ok  # a warning does not fail validation
    raw["meta"]["level"] = "市级政府"  # 设区的市 may make 规章
    assert findings_of(write_data(raw), "X-RULEMAKER") == []


@pytest.mark.parametrize("name", [JINZHAI, YUNLING])
def test_carry_over_against_last_year(example_raw, write_data, name):
    raw = example_raw(name)
    assert findings_of(write_data(raw), "X-CARRY") == []
    prev = list(raw["previous"]["table3"]["r4"])
    prev[0] += 3
    raw["previous"]["table3"]["r4"] = prev
    fs = findings_of(write_data(raw), "X-CARRY")
    assert len(fs) == 1 and fs[0].location.col == "natural" and fs[0].level == "warning"
    del raw["previous"]
    assert findings_of(write_data(raw), "X-CARRY") == []  # nothing to compare with


def test_in_force_roll_forward_2021(example_raw, write_data):
    raw = example_raw(YUNLING)
    assert findings_of(write_data(raw), "X-VALID") == []
    raw["previous"]["table2"]["normative_docs"]["in_force"] = 36
    fs = findings_of(write_data(raw), "X-VALID")
    assert len(fs) == 1 and (fs[0].expected, fs[0].found) == ("40", "41")


def test_format_named_against_year(example_raw, write_data):
    raw = example_raw(YUNLING)
    raw["meta"]["format"] = "2021"
    assert findings_of(write_data(raw), "X-FORMAT") == []
    raw = example_raw(JINZHAI)
    raw["meta"]["format"] = "2019"
    assert findings_of(write_data(raw), "X-FORMAT") == []
    raw["meta"]["year"] = 2021  # a 2021 report in the 2019 form
    fs = findings_of(write_data(raw), "X-FORMAT")
    assert len(fs) == 1 and fs[0].level == "error" and "国办公开办函〔2021〕30号" in fs[0].message


@pytest.mark.parametrize("name", [JINZHAI, YUNLING])
def test_unfilled_cells_and_tables(example_raw, write_data, name):
    raw = example_raw(name)
    row = list(raw["table3"]["r3_2"])
    row[6] = None
    raw["table3"]["r3_2"] = row
    fs = findings_of(write_data(raw), "CELL-EMPTY")
    assert len(fs) == 1 and fs[0].location.col == "total" and fs[0].level == "error"
    del raw["table4"]
    fs = findings_of(write_data(raw), "CELL-EMPTY")
    assert any(f.location.table == "table4" and f.location.row is None for f in fs)


def test_signed_change_and_money_are_accepted_in_2019(example_raw, write_data):
    raw = example_raw(JINZHAI)
    raw["table2"]["licensing"]["change"] = "减77992"
    raw["table2"]["penalty"]["change"] = "增12997"
    result = validate_file(write_data(raw))
    assert result.ok
    assert result.loaded.data.value("table2", "licensing", "change") == -77992
    assert str(result.loaded.data.value("table2", "procurement", "amount")) == "35339.15"


def test_missing_problems_warn_that_section_five_would_be_empty(example_raw, write_data):
    raw = example_raw(JINZHAI)
    raw["problems"] = []
    raw["improvements"] = []
    fs = findings_of(write_data(raw), "X-SEC5")
    assert len(fs) == 1 and fs[0].level == "warning" and "五、存在的主要问题及改进情况" in fs[0].message


def test_fee_statement_is_asked_for_from_2021(example_raw, write_data):
    raw = example_raw(YUNLING)
    del raw["other"]["fee"]
    assert len(findings_of(write_data(raw), "X-FEE")) == 1
    raw = example_raw(YUNLING)
    raw["table3"]["r3_6_2"] = [1, 0, 0, 0, 0, 0, 1]
    raw["table3"]["r3_6_3"] = [0, 0, 0, 0, 0, 0, 0]  # keep the sums: move the case from 其他 to 逾期未缴费
    fs = findings_of(write_data(raw), "X-FEE")
    assert len(fs) == 1 and fs[0].location.row == "r3_6_2"
    assert findings_of(write_data(raw), "T3-RESULTSUM") == []
    assert findings_of(EXAMPLES / JINZHAI, "X-FEE") == []  # 2019 format: no fee statement required
