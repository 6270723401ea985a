"""Bad data files: one clear Chinese message each, exit 2, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from report_writer.data import loader
from report_writer.cli.main import main
from report_writer.findings import DataFileError
from report_writer.data.loader import load

from .conftest import EXAMPLES


def run_validate(path):
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def problems(path) -> list:
    with pytest.raises(DataFileError) as e:
        load(path)
    return e.value.findings


def test_malformed_yaml_gives_line_and_column(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("meta:\n  body: 某局\n  year 2021\n  level: 县级部门\n", encoding="utf-8")
    [f] = problems(path)
    assert f.location.line in (3, 4) and "YAML" in f.message
    result = run_validate(path)
    assert result.exit_code == 2 and "bad.yaml:" in result.output


def test_malformed_json_gives_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "meta": {"body": "某局",\n  "year": 2021,,\n}', encoding="utf-8")
    [f] = problems(path)
    assert f.location.line == 3 and f.location.column is not None and "JSON" in f.message


def test_unknown_field_suggests_the_right_name(example_raw, write_data):
    raw = example_raw("jinzhai-2020.yaml")
    raw["meta"]["bdy"] = raw["meta"].pop("body")
    raw["overview"]["platforms"]["press_conference"] = 3
    path = write_data(raw)
    fs = problems(path)
    messages = " ".join(f.message for f in fs)
    assert "未知字段“bdy”" in messages and "是否应为“body”" in messages
    assert "是否应为“press_conferences”" in messages
    assert "缺少必填字段" in messages  # body itself is now missing
    assert all(f.location.line for f in fs)
    assert run_validate(path).exit_code == 2


def test_wrong_types_are_all_reported_at_once(example_raw, write_data):
    raw = example_raw("yunling-zrzy-2023.yaml")
    raw["meta"]["year"] = "二〇二三"
    raw["meta"]["report_date"] = "明年一月"
    raw["overview"]["platforms"]["press_conferences"] = "很多"
    fs = problems(write_data(raw))
    paths = {f.location.path for f in fs}
    assert {"meta.year", "meta.report_date", "overview.platforms.press_conferences"} <= paths


def test_negative_count_in_a_table(example_raw, write_data):
    raw = example_raw("yunling-zrzy-2023.yaml")
    raw["table3"]["r1"] = [-1, 9, 1, 0, 3, 2, 67]
    [f] = problems(write_data(raw))
    assert "不能为负数" in f.message and f.location.path == "table3.r1[0]"
    assert "自然人" in f.message and "一、本年新收政府信息公开申请数量" in f.message


def test_slash_in_a_count_is_refused_with_advice(example_raw, write_data):
    raw = example_raw("yunling-zrzy-2023.yaml")
    raw["table2"]["regulations"]["issued"] = "/"
    [f] = problems(write_data(raw))
    assert "“/”" in f.message and "请填 0" in f.message and f.location.path == "table2.regulations.issued"


def test_chinese_numerals_in_counts_are_refused_with_the_arabic_spelling(example_raw, write_data):
    raw = example_raw("yunling-zrzy-2023.yaml")
    raw["table4"]["review"] = ["一", 1, 0, 1, 3]
    raw["overview"]["platforms"]["online_interviews"] = "十二"
    fs = problems(write_data(raw))
    messages = " ".join(f.message for f in fs)
    assert "不接受中文数字“一”" in messages and "改为 1" in messages
    assert "不接受中文数字“十二”" in messages and "改为 12" in messages


def test_non_utf8_file(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("meta:\n  body: 某某县人民政府\n".encode("gbk"))
    [f] = problems(path)
    assert "UTF-8" in f.message and f.location.line == 2
    assert run_validate(path).exit_code == 2


def test_empty_file(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("  \n", encoding="utf-8")
    [f] = problems(path)
    assert "空" in f.message


def test_huge_file_is_refused_naming_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_DATA_BYTES", 1024 * 1024)
    path = tmp_path / "huge.yaml"
    path.write_text("# " + "x" * (2 * 1024 * 1024), encoding="utf-8")
    [f] = problems(path)
    assert "过大" in f.message and "上限" in f.message


def test_yaml_alias_bomb_is_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nmeta: *a8\n", encoding="utf-8")
    [f] = problems(path)
    assert "别名炸弹" in f.message


def test_top_level_must_be_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    [f] = problems(path)
    assert "顶层" in f.message


def test_unknown_table_row_and_wrong_row_length(example_raw, write_data):
    raw = example_raw("yunling-zrzy-2023.yaml")
    raw["table3"]["r3_6"] = [0] * 7  # the 2019 single row does not exist in 2021
    raw["table3"]["r3_5_1"] = [3, 0, 0, 3]
    fs = problems(write_data(raw))
    messages = " ".join(f.message for f in fs)
    assert "没有编号为“r3_6”的行" in messages
    assert "应有 7 个数" in messages and "实有 4 个" in messages


def test_duplicate_keys_are_refused(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("meta:\n  body: 甲\n  body: 乙\n", encoding="utf-8")
    [f] = problems(path)
    assert "重复" in f.message and f.location.line == 3


def test_json_and_yaml_give_the_same_model(example_raw, write_data):
    raw = example_raw("yunling-zrzy-2023.yaml")
    from_yaml = load(write_data(raw)).data
    from_json = load(write_data(raw, ".json")).data
    assert from_json == from_yaml


def test_wrong_extension_and_missing_file(tmp_path):
    assert run_validate(tmp_path / "nope.yaml").exit_code == 2
    other = tmp_path / "data.csv"
    other.write_text("a,b\n", encoding="utf-8")
    [f] = problems(other)
    assert ".csv" in f.message


def test_approximate_counts_keep_their_wording():
    data = load(EXAMPLES / "jinzhai-2020.yaml").data
    assert data.overview.oversight.trainees.text() == "近300"
    assert data.overview.oversight.trainees.approx == "近"
    assert data.overview.proactive.items_published.text() == "102757"
