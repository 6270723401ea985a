"""Document content rules: a perfunctory section 五 (X-SEC5) and a missing fee statement (X-FEE)."""

from __future__ import annotations

from report_writer.check.api import check_document

from .conftest import EXAMPLES

CLEAN = (EXAMPLES / "drafts" / "clean.txt").read_text(encoding="utf-8")


def rules_of(tmp_path, text: str) -> list:
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    return [f for f in check_document(path).findings if f.rule in ("X-SEC5", "X-FEE")]


def test_clean_draft_has_neither(tmp_path):
    assert rules_of(tmp_path, CLEAN) == []


def test_section_five_reduced_to_none_is_flagged(tmp_path):
    lines = CLEAN.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    end = next(i for i, line in enumerate(lines) if line.startswith("六、"))
    text = "\n".join(lines[: start + 1] + ["无。"] + lines[end:])
    [f] = rules_of(tmp_path, text)
    assert f.rule == "X-SEC5" and f.level == "warning" and f.location.section == "problems"
    assert "无。" in f.message


def test_2021_report_without_fee_statement_is_flagged(tmp_path):
    text = CLEAN.replace("（一）信息处理费收取情况。本年度未收取信息处理费。", "（一）其他事项。无。")
    [f] = rules_of(tmp_path, text)
    assert f.rule == "X-FEE" and f.location.section == "other"


def test_2019_format_report_needs_no_fee_statement(tmp_path):
    from report_writer.draft.api import render_data
    from report_writer.data.loader import load

    data = load(EXAMPLES / "jinzhai-2020.yaml").data  # section 六 of this draft is 无。
    path = tmp_path / "jinzhai.docx"
    path.write_bytes(render_data(data))
    assert [f for f in check_document(path).findings if f.rule == "X-FEE"] == []
