"""Reports as they are really published: Word tables that lost their spans, traditional script,
heading and title variants, identity from the opening sentence, pages without a title; and the
round trip draft → every text layout → check clean."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_writer.check.api import check_document
from report_writer.cli.main import main
from report_writer.data.loader import load
from report_writer.draft.api import render_data
from report_writer.read import read_document
from report_writer.read.structure import match_heading

from .conftest import EXAMPLES, shared_file
from .flat_docx import write_flat_docx
from .test_realize import report
from .text_layouts import LAYOUTS, document_text


def _draft(tmp: Path, name: str = "yunling-zrzy-2023.yaml", seed: int = 0):
    data = load(EXAMPLES / name).data
    path = tmp / "draft.docx"
    path.write_bytes(render_data(data, seed=seed))
    return data, read_document(path)


def _bad(result):
    return [(f.rule, f.level, f.message) for f in result.findings if f.level in ("error", "warning")]


# ---------------------------------------------------------------- Word tables without spans


@pytest.mark.parametrize("name", ["jinzhai-2020.yaml", "yunling-zrzy-2023.yaml"])
@pytest.mark.parametrize("mode", ["empty", "repeat", "repeat-all"])
def test_word_tables_that_lost_their_spans_check_clean(tmp_path, name, mode):
    data, doc = _draft(tmp_path, name)
    flat = tmp_path / f"{mode}.docx"
    write_flat_docx(doc, flat, mode)
    # no merged cell is left in the file
    assert "gridSpan" not in _document_xml(flat) and "vMerge" not in _document_xml(flat)
    result = check_document(flat, data=data)
    assert _bad(result) == []
    assert result.report.tables["table3"] == data.tables["table3"] or not _differs(result, data)


def _document_xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def _differs(result, data) -> bool:
    return any(result.report.cell(t, r, c) != data.cell(t, r, c)
               for t in ("table3", "table4") for r in data.tables[t] for c in data.tables[t][r])


def test_word_table_header_in_one_cell_with_empty_cells_beside_it(tmp_path):
    """A hand-built re-saved 表三: labels in one cell with empty cells beside them, the header
    squeezed to the left (its columns no longer line up with the numbers)."""
    d = Document()
    d.add_paragraph("某某局2022年政府信息公开工作年度报告")
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    rows = [["申请人情况", "", "", "自然人", "法人或其他组织", "总计", "", "", "", ""],
            ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "", ""],
            ["一、本年新收政府信息公开申请数量", "", "", "4", "1", "0", "0", "0", "0", "5"],
            ["二、上年结转政府信息公开申请数量", "", "", "0", "0", "0", "0", "0", "0", "0"],
            ["三、本年度办理结果", "（一）予以公开", "", "3", "1", "0", "0", "0", "0", "4"],
            ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "0", "0", "0", "0", "0", "0", "0"],
            ["", "（四）无法提供", "1.本机关不掌握相关政府信息", "1", "0", "0", "0", "0", "0", "1"],
            ["", "（七）总计", "", "4", "1", "0", "0", "0", "0", "5"],
            ["四、结转下年度继续办理", "", "", "0", "0", "0", "0", "0", "0", "0"]]
    t = d.add_table(rows=len(rows), cols=10)
    for r, line in enumerate(rows):
        for c, text in enumerate(line):
            t.cell(r, c).text = text
    path = tmp_path / "resaved.docx"
    d.save(str(path))
    result = check_document(path)
    t3 = result.report.tables["table3"]
    assert [int(t3["r1"][c].value) for c in ("natural", "business", "total")] == [4, 1, 5]
    assert [int(t3["r3_4_1"][c].value) for c in ("natural", "total")] == [1, 1]
    table3 = [f for f in result.findings if f.location.table == "table3"]
    assert not [f for f in table3 if f.rule in ("MAP-COLUMNS", "TYPE", "TABLE-UNREAD")]
    assert not [f for f in table3 if f.level == "error" and f.rule != "CELL-EMPTY"]
    assert {f.location.reading for f in table3} <= {"docx-table"}


# ---------------------------------------------------------------- traditional script, headings, titles


def test_traditional_script_report_reads_like_the_simplified_one(tmp_path):
    from opencc import OpenCC

    text = shared_file("real/pingtan/pingtan-2022.txt").read_text(encoding="utf-8")
    trad = OpenCC("s2t").convert(text)
    assert "總體情況" in trad
    p = tmp_path / "trad.txt"
    p.write_text(trad, encoding="utf-8")
    result = check_document(p)
    assert [s.id for s in result.sections][:1] == ["overview"]
    assert result.title is not None and result.title.year == 2022
    assert not result.errors
    assert int(result.report.tables["table3"]["r1"]["total"].value) == 74


def test_traditional_word_document(tmp_path):
    from opencc import OpenCC

    data, _ = _draft(tmp_path)
    cc = OpenCC("s2t")
    d = Document(str(tmp_path / "draft.docx"))
    for p in d.paragraphs:
        for run in p.runs:
            run.text = cc.convert(run.text)
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for run in p.runs:
                        run.text = cc.convert(run.text)
    path = tmp_path / "trad.docx"
    d.save(str(path))
    result = check_document(path, data=data)
    assert "總體情況" in "".join(p.text for p in Document(str(path)).paragraphs)
    assert [s.id for s in result.sections] == ["overview", "proactive", "requests", "appeals", "problems", "other"]
    assert _bad(result) == []


@pytest.mark.parametrize("text,sid", [
    ("一、总体情况", "overview"), ("一、工作基本情况", "overview"), ("一、概述", "overview"),
    ("第一部分 总体情况", "overview"), ("第一部分：概述", "overview"), ("一总体情况", "overview"),
    ("一．总体情况。", "overview"), ("一. 基本情况", "overview"), ("第二部分 主动公开政府信息情况", "proactive"),
    ("六、其他需要报告的事项。", "other"), ("一、總體情況", None)])
def test_heading_variants(text, sid):
    m = match_heading(text)
    if sid is None:  # traditional script is converted by the reader, not by the heading matcher
        from report_writer.read.script import to_simplified

        m = match_heading(to_simplified(text * 5)[: len(text)])
        sid = "overview"
    assert m is not None and m[0].id == sid


@pytest.mark.parametrize("quoted", ["《中华人民共和国政府信息公开工作年度报告格式》",
                                    "<中华人民共和国政府信息公开工作年度报告格式>",
                                    "〈中华人民共和国政府信息公开工作年度报告格式〉",
                                    "“中华人民共和国政府信息公开工作年度报告格式”",
                                    "中华人民共和国政府信息公开工作年度报告格式"])
def test_notice_title_with_any_quote_marks_is_not_an_error(tmp_path, quoted):
    text = shared_file("real/pingtan/pingtan-2024.txt").read_text(encoding="utf-8")
    assert "〈中华人民共和国政府信息公开工作年度报告格式〉" in text
    p = tmp_path / "notice.txt"
    p.write_text(text.replace("〈中华人民共和国政府信息公开工作年度报告格式〉", quoted), encoding="utf-8")
    result = check_document(p)
    assert not [f for f in result.findings if f.rule == "NOTICE-NUMBER"]


# ---------------------------------------------------------------- identity and partial pages


def _line2(year: int) -> str:
    return shared_file(f"real/pingtan/pingtan-{year}.txt").read_text(encoding="utf-8").split("\n")[1]


def test_identity_from_the_opening_sentence(tmp_path):
    body = _line2(2021)
    start = body.index("一、总体情况")
    text = body[start:].replace("2021年，我区以", "2021年，平潭综合实验区管委会以", 1)
    p = tmp_path / "open.txt"
    p.write_text(text, encoding="utf-8")
    result = check_document(p)
    assert result.report.meta.year == 2021 and result.year_source == "opening"
    assert result.report.meta.body == "平潭综合实验区管委会"
    assert not result.errors


def test_page_starting_mid_report_is_a_partial_report_with_one_note(tmp_path):
    body = _line2(2021)
    p = tmp_path / "mid.txt"
    p.write_text(body[body.index("三、收到和处理"):], encoding="utf-8")
    out = CliRunner().invoke(main, ["check", str(p), "--format", "json"])
    (file,) = json.loads(out.output)["files"]
    assert file["status"] != "unreadable", file["error"]
    notes = [f for f in file["findings"] if f["rule"] == "REPORT-PARTIAL"]
    assert len(notes) == 1 and notes[0]["level"] == "info"
    assert "报告标题" in notes[0]["message"] and "一、总体情况" in notes[0]["message"]
    assert not [f for f in file["findings"] if f["rule"] in ("SEC-MISSING", "TITLE") or f["level"] == "error"]
    assert {t["table"]: t["status"] for t in file["tables"]} == {"table3": "read", "table4": "read"}


def test_a_page_with_no_report_in_it_is_still_refused(tmp_path):
    p = tmp_path / "news.txt"
    p.write_text("今天天气很好。\n我们去公园散步。\n" * 5, encoding="utf-8")
    out = CliRunner().invoke(main, ["check", str(p)])
    assert out.exit_code != 0 and "不像政府信息公开工作年度报告" in out.output


# ---------------------------------------------------------------- round trip through every text layout


def _clean_problems(data):
    data.problems = [p for p in data.problems if not any(ch.isdigit() for ch in p.text)]
    kept = {p.id for p in data.problems}
    data.improvements = [i for i in data.improvements if i.problem in kept]
    return data


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", ["jinzhai-2020.yaml", "yunling-zrzy-2023.yaml"])
def test_example_draft_as_text_in_each_layout_checks_without_error(tmp_path, name, layout):
    data, doc = _draft(tmp_path, name)
    p = tmp_path / f"{layout}.txt"
    p.write_text(document_text(doc, layout), encoding="utf-8")
    result = check_document(p, data=data)
    assert _bad(result) == []
    assert not [f for f in result.findings if f.rule in ("CELL-AMBIGUOUS", "TABLE-UNREAD")] or layout == "glued"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report(), st.integers(0, 10_000), st.sampled_from(LAYOUTS))
def test_generated_draft_as_text_checks_without_error(data, seed, layout):
    data = _clean_problems(data)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "d.docx").write_bytes(render_data(data, seed=seed))
        doc = read_document(tmp / "d.docx")
        p = tmp / f"{layout}.txt"
        p.write_text(document_text(doc, layout), encoding="utf-8")
        result = check_document(p, data=data)
    assert [(f.rule, f.message) for f in result.findings if f.level == "error"] == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report(), st.integers(0, 10_000), st.sampled_from(["empty", "repeat", "repeat-all"]))
def test_generated_draft_resaved_without_spans_checks_without_error(data, seed, mode):
    data = _clean_problems(data)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "d.docx").write_bytes(render_data(data, seed=seed))
        write_flat_docx(read_document(tmp / "d.docx"), tmp / "flat.docx", mode)
        result = check_document(tmp / "flat.docx", data=data)
    assert [(f.rule, f.message) for f in result.findings if f.level == "error"] == []
