"""Issue 16, crashes: values a person can type end in a Chinese message at their line, in every
command that reads data (validate, draft, convert, check --data), never in an internal error."""

from __future__ import annotations

import json

import pytest

from .helpers import EXAMPLE, example_with, run

YEAR = "year: 2020 "
PUBLISHED = "items_published: 102757"
LEAD = "lead: 深化权力运行公开"

CASES = {
    "impossible date": ("report_date: 2021-01-20", "report_date: 2023-13-45", "日期“2023-13-45”不存在"),
    "February 30": ("report_date: 2021-01-20", "report_date: 2021-02-30", "该月没有这一天"),
    "5000 digits": (PUBLISHED, "items_published: " + "9" * 5000, "MAX_NUMBER_DIGITS"),
    "huge exponent": (PUBLISHED, "items_published: 1.0e+999999999", "指数过大"),
    ".inf": (PUBLISHED, "items_published: .inf", "无穷大"),
    ".nan": (PUBLISHED, "items_published: .nan", "无穷大"),
    "quoted year": (YEAR, 'year: "2020" ', "去掉引号"),
    "!!binary": ("body: 金寨县人民政府", "body: !!binary 6YeR5a+o", "!!binary"),
    "escape sequence": (LEAD, 'lead: "深化\\e[31m权力运行公开"', "控制字符（U+001B"),
    "bell": (LEAD, 'lead: "深化\\a权力运行公开"', "控制字符（U+0007"),
    "C1 control": (LEAD, 'lead: "深化\\N权力运行公开"', "控制字符（U+0085"),
    "forged source marker": (LEAD, 'lead: "深化\\ue000meta.year\\ue0019\\ue002权力"', "私用区字符 U+E000"),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("command", ["validate", "draft", "convert"])
def test_a_typed_value_is_refused_at_its_line(tmp_path, name, command):
    old, new, expect = CASES[name]
    data = example_with(tmp_path, old, new)
    args = {"validate": ["validate", data], "draft": ["draft", data, "-o", tmp_path / "out.docx"],
            "convert": ["convert", data, "-o", tmp_path / "out.xlsx"]}[command]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert expect in result.output
    line = next(i for i, t in enumerate(data.read_text(encoding="utf-8").splitlines(), 1) if new.split(":")[0] in t
                and new.split(": ", 1)[1][:4] in t)
    assert f"data.yaml:{line}" in result.output
    assert not (tmp_path / "out.docx").exists() and not (tmp_path / "out.xlsx").exists()


def test_check_with_bad_data_says_why(tmp_path):
    data = example_with(tmp_path, *CASES["impossible date"][:2])
    draft = EXAMPLE.parent / "drafts" / "clean.txt"
    result = run("check", draft, "--data", data, "--no-nlp")
    assert result.exit_code == 2 and "不存在" in result.output


@pytest.mark.parametrize("number, expect", [
    ("1" * 5000, "MAX_NUMBER_DIGITS"), ("1e999999999", "指数过大"), ("Infinity", "无穷大"), ("NaN", "无穷大")])
def test_json_numbers_have_the_same_bounds(tmp_path, number, expect):
    raw = json.loads(json.dumps({"meta": {"body": "某局", "level": "县级部门", "year": 2021}}))
    text = json.dumps(raw, ensure_ascii=False).replace('"year": 2021', f'"year": 2021, "x": {number}')
    path = tmp_path / "d.json"
    path.write_text(text, encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 2 and expect in result.output


def test_a_big_number_from_a_workbook_cell_is_refused(tmp_path):
    from report_writer.data.build import value_problems

    [(path, msg, _)] = value_problems({"table3": {"r1": [1e300]}})
    assert path == "table3.r1[0]" and "MAX_NUMBER_DIGITS" in msg
    [(_, msg, _)] = value_problems({"x": float("inf")})
    assert "无穷大" in msg
    assert value_problems({"x": "正常的文字\t与换行\n", "n": 12345, "d": 1.5}) == []


def test_extract_drops_the_characters_a_data_file_may_not_hold(tmp_path):
    text = (EXAMPLE.parent / "drafts" / "clean.txt").read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    draft = tmp_path / "report.txt"
    draft.write_text(first.replace("局", "局\x1b\ue000", 1) + "\n" + rest, encoding="utf-8")
    result = run("extract", draft, "-o", tmp_path / "out.yaml")
    assert result.exit_code in (0, 1) and "提取时已删去" in result.output
    assert run("validate", tmp_path / "out.yaml").exit_code in (0, 1)  # what extract writes, validate reads
