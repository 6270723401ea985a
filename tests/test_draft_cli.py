"""`report-writer draft` end to end (CliRunner) and the draft_report library function."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from docx import Document

from report_writer.cli.main import main
from report_writer.draft.api import DraftResult, OutputError, draft_report
from report_writer.findings import DataFileError

from .conftest import EXAMPLES

JINZHAI = EXAMPLES / "jinzhai-2020.yaml"
YUNLING = EXAMPLES / "yunling-zrzy-2023.yaml"


def run(*args: str):
    return CliRunner().invoke(main, ["draft", *map(str, args)])


@pytest.mark.parametrize("example,fmt_id,ncols", [(JINZHAI, "2019", 5), (YUNLING, "2021", 4)])
def test_draft_writes_a_word_report(tmp_path, example, fmt_id, ncols):
    out = tmp_path / "new" / "report.docx"
    res = run(example, "-o", out)
    assert res.exit_code == 0, res.output
    assert "已生成初稿" in res.output and f"{fmt_id}年格式" in res.output
    doc = Document(io.BytesIO(out.read_bytes()))
    assert len(doc.tables) == 3
    assert len(doc.tables[0]._tbl.tblGrid.gridCol_lst) == ncols
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert doc.paragraphs[0].style.name == "Title"
    # the narrative is there, not just the skeleton
    assert sum(len(p.text) for p in doc.paragraphs if p.style.name == "Normal") > 200
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.docx"]  # no temp files


def test_same_data_same_seed_same_bytes(tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run(JINZHAI, "-o", a, "--seed", "7").exit_code == 0
    assert run(JINZHAI, "-o", b, "--seed", "7").exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_data_breaking_the_sum_rules_is_refused(tmp_path, example_raw, write_data):
    raw = example_raw("jinzhai-2020.yaml")
    raw["table3"]["r3_1"][0] = 17  # 自然人 予以公开 16 → 17: 表三 no longer balances
    data = write_data(raw)
    out = tmp_path / "out.docx"
    res = run(data, "-o", out)
    assert res.exit_code == 1, res.output
    assert "未生成初稿" in res.output and "T3-" in res.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".docx"] == []


def test_warnings_are_printed_and_the_draft_is_written(tmp_path, example_raw, write_data):
    raw = example_raw("jinzhai-2020.yaml")
    raw["previous"]["table3"]["r4"] = [1, 0, 0, 0, 0, 0, 1]  # last year's carry-over ≠ this year's r2
    out = tmp_path / "out.docx"
    res = run(write_data(raw), "-o", out)
    assert res.exit_code == 0, res.output
    assert "X-CARRY" in res.output and "警告" in res.output
    assert out.stat().st_size > 0


@pytest.mark.parametrize("content,suffix", [("meta: [1, 2\n", ".yaml"), ("", ".yaml"), ("{}", ".txt")])
def test_unreadable_data_exits_2(tmp_path, content, suffix):
    data = tmp_path / f"data{suffix}"
    data.write_text(content, encoding="utf-8")
    out = tmp_path / "out.docx"
    res = run(data, "-o", out)
    assert res.exit_code == 2, res.output
    assert "无法读取输入文件" in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_missing_data_file_exits_2(tmp_path):
    res = run(tmp_path / "nope.yaml", "-o", tmp_path / "out.docx")
    assert res.exit_code == 2 and "找不到数据文件" in res.output


def test_output_equal_to_input_is_refused(tmp_path):
    data = tmp_path / "data.yaml"
    data.write_bytes(JINZHAI.read_bytes())
    link = tmp_path / "data.docx"
    link.symlink_to(data)
    res = run(data, "-o", link)
    assert res.exit_code == 2, res.output
    assert "同一个文件" in res.output
    assert data.read_bytes() == JINZHAI.read_bytes()


def test_missing_output_option_is_explained(tmp_path):
    res = run(JINZHAI)
    assert res.exit_code == 2 and "-o" in res.output and "保存位置" in res.output


def test_output_must_be_docx(tmp_path):
    res = run(JINZHAI, "-o", tmp_path / "out.doc")
    assert res.exit_code == 2 and ".docx" in res.output
    assert not (tmp_path / "out.doc").exists()


def test_broken_phrasebank_and_style_exit_2(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "bad.yaml").write_text("rules: [\n", encoding="utf-8")
    res = run(JINZHAI, "-o", tmp_path / "a.docx", "--phrasebank", bank)
    assert res.exit_code == 2 and "短语库有错误" in res.output and "bad.yaml" in res.output
    style = tmp_path / "style.yaml"
    style.write_text("paragraphs:\n  body: {size: 特大}\n", encoding="utf-8")
    res = run(JINZHAI, "-o", tmp_path / "b.docx", "--style", style)
    assert res.exit_code == 2 and "版式文件" in res.output
    assert not list(tmp_path.glob("*.docx"))


def test_style_option_changes_the_document(tmp_path):
    style = tmp_path / "style.yaml"
    style.write_text("paragraphs:\n  body: {font: 仿宋}\n", encoding="utf-8")
    out = tmp_path / "a.docx"
    assert run(JINZHAI, "-o", out, "--style", style).exit_code == 0
    from docx.oxml.ns import qn

    doc = Document(str(out))
    assert doc.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"


def test_help_is_chinese():
    res = CliRunner().invoke(main, ["draft", "--help"])
    assert res.exit_code == 0
    for words in ("生成", "--seed", "--phrasebank", "退出码", "勾稽"):
        assert words in res.output


# ---------------------------------------------------------------- library API


def test_draft_report_returns_a_typed_result(tmp_path):
    out = tmp_path / "r.docx"
    result = draft_report(YUNLING, out, seed=1)
    assert isinstance(result, DraftResult)
    assert result.ok and result.out_path == out and result.size == out.stat().st_size
    assert (result.format_id, result.year) == ("2021", 2023)


def test_draft_report_errors_and_refusals(tmp_path, example_raw, write_data):
    raw = example_raw("yunling-zrzy-2023.yaml")
    raw["table4"]["review"][4] = 4  # 总计 ≠ sum of the group
    result = draft_report(write_data(raw), tmp_path / "r.docx")
    assert not result.ok and result.out_path is None
    assert any(f.rule == "T4-SUM" for f in result.errors)
    assert not (tmp_path / "r.docx").exists()
    with pytest.raises(DataFileError):
        draft_report(tmp_path / "missing.yaml", tmp_path / "r.docx")
    data = tmp_path / "d.yaml"
    data.write_bytes(YUNLING.read_bytes())
    os.link(data, tmp_path / "d.docx")
    with pytest.raises(OutputError):
        draft_report(data, tmp_path / "d.docx")


def test_draft_never_imports_spacy(tmp_path):
    """`report-writer draft` keeps start-up light: spaCy is for the checker only."""
    out = tmp_path / "a.docx"
    code = (
        "import sys\n"
        "from report_writer.cli.main import main\n"
        f"try:\n    main(['draft', {str(JINZHAI)!r}, '-o', {str(out)!r}])\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'jieba', 'torch'))\n"
        "assert not heavy, heavy\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr + res.stdout
    assert out.exists()


@pytest.mark.parametrize("example", [JINZHAI, YUNLING])
def test_checker_reads_the_draft_tables_back_exactly(tmp_path, example):
    """Round trip: the checker maps the rendered 表二–表四 onto the format and finds every cell
    equal to the data file, no table arithmetic broken and no section missing."""
    try:
        from report_writer.check.api import check_document
    except ImportError as e:  # the checker is developed alongside; the draft itself is tested above
        pytest.skip(f"审核模块不可用：{e}")
    from report_writer.data.loader import load

    out = tmp_path / "draft.docx"
    assert draft_report(example, out).ok
    data = load(example).data
    result = check_document(out, data=data, nlp=False)
    table_rules = {"DATA-CELL", "SUM-CELL", "T3-IDENT", "T3-ROWSUM", "T3-RESULTSUM", "T4-SUM", "CELL-EMPTY",
                   "X-FORMAT", "SEC-MISSING", "SEC-ORDER"}
    bad = [f for f in result.findings if f.rule in table_rules]
    assert not bad, [(f.rule, f.message) for f in bad]
    assert result.mapped.format_id == data.format_id
