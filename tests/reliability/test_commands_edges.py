"""Issue 16, crashes: report years no format covers, the last supported year, style values,
phrase-bank conditions on the wrong kinds of value."""

from __future__ import annotations

import pytest

from report_writer.draft import expr

from .helpers import EXAMPLE, run

CLEAN_TXT = EXAMPLE.parent / "drafts" / "clean.txt"  # a 2023 report


def _draft_of_year(tmp_path, year: int):
    path = tmp_path / f"report-{year}.txt"
    text = CLEAN_TXT.read_text(encoding="utf-8")
    path.write_text(text.replace("2024", str(year + 1)).replace("2023", str(year)), encoding="utf-8")
    return path


@pytest.mark.parametrize("year", [1995, 2150])
def test_check_says_in_chinese_that_a_year_is_outside_the_formats(tmp_path, year):
    result = run("check", _draft_of_year(tmp_path, year), "--no-nlp")
    assert result.exit_code in (0, 1)
    assert f"报告年度读作{year}年，不在本工具支持的范围内" in result.output
    assert "Input should" not in result.output


def test_extract_next_year_on_the_last_supported_year_is_refused(tmp_path):
    result = run("extract", _draft_of_year(tmp_path, 2100), "-o", tmp_path / "next.yaml", "--next-year")
    assert result.exit_code == 2 and "最后一个年度" in result.output
    assert not (tmp_path / "next.yaml").exists()


STYLES = {
    "negative page": ("page: {width_mm: -5}", "page.width_mm：数值过小"),
    "huge page": ("page: {width_mm: 1e9}", "数值过大"),
    "margins eat the page": ("page: {margins_mm: {left: 300}}", "页边距过大"),
    "control char in a font": ('paragraphs: {body: {font: "\\x01宋", size: 三号}}', "控制字符"),
    "unknown align": ("paragraphs: {body: {font: 仿宋, size: 三号, align: 左}}", "应为 left、center、right、justify 之一"),
    "bell in the page number": ('page_number: {template: "{page}\\a"}', "控制字符"),
    "second brace": ('page_number: {template: "{page}{x}"}', "不含其他花括号"),
    "escape in a number word": ('numbers: {increase: "\\e"}', "控制字符"),
    "empty font": ('latin_font: ""', "不能为空"),
}


@pytest.mark.parametrize("name", list(STYLES))
def test_an_unusable_style_value_is_refused_in_chinese(tmp_path, name):
    text, expect = STYLES[name]
    style = tmp_path / "style.yaml"
    style.write_text(text + "\n", encoding="utf-8")
    result = run("draft", EXAMPLE, "-o", tmp_path / "out.docx", "--style", style)
    assert result.exit_code == 2 and expect in result.output, result.output
    assert "Input should" not in result.output
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("condition", ["any(1)", "min(1, 'a')", "max(req.refused_reasons, 2)", "any(meta.year)"])
def test_a_condition_on_the_wrong_kind_of_value_is_an_expression_error(condition):
    node = expr.parse(condition)
    facts = {"req.refused_reasons": [1], "meta.year": 2021}
    with pytest.raises(expr.ExprError, match="参数类型不对"):
        expr.holds(node, lambda p: facts.get(p))


@pytest.mark.parametrize("year, expect", [(1995, "早于统一格式"), (2150, "超出本工具支持的范围")])
def test_extract_says_in_chinese_that_a_year_is_outside_the_formats(tmp_path, year, expect):
    result = run("extract", _draft_of_year(tmp_path, year), "-o", tmp_path / "out.yaml")
    assert result.exit_code == 2 and expect in result.output
