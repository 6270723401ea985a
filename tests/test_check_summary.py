"""`check DIR --summary 汇总.xlsx` (the same builder as the web page's 批量汇总), and the quotes of findings."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from report_writer.check.batch import FileOutcome
from report_writer.check.quotes import quote_for
from report_writer.check.summary import build_summary
from report_writer.cli.main import main
from report_writer.findings import Finding, Location
from report_writer.read.document import Cell, Paragraph, SourceDocument, Table

DRAFTS = Path(__file__).resolve().parents[1] / "examples" / "drafts"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "各单位"
    folder.mkdir()
    for name in ("clean.docx", "defect-t3-sum.docx", "defect-notice.docx", "defect-empty-cell.docx"):
        shutil.copy(DRAFTS / name, folder / name)
    (folder / "坏文件.docx").write_bytes(b"PK\x03\x04 broken")
    return folder


def test_summary_workbook_has_a_row_per_draft_and_counts_per_rule(tmp_path):
    folder = _folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    r = CliRunner().invoke(main, ["check", str(folder), "--no-nlp", "--summary", str(out)])
    assert r.exit_code == 2, r.output  # one file is unreadable; the others are still summed up
    assert "已生成汇总表" in r.output
    rows = list(load_workbook(out)["汇总"].iter_rows(values_only=True))
    head = rows[0]
    by_file = {Path(row[0]).name: row for row in rows[1:-1]}
    assert set(by_file) == {"clean.docx", "defect-t3-sum.docx", "defect-notice.docx", "defect-empty-cell.docx",
                            "坏文件.docx"}
    assert by_file["clean.docx"][head.index("结果")] == "通过"
    assert by_file["defect-t3-sum.docx"][head.index("SUM-CELL")] == 1
    assert by_file["defect-t3-sum.docx"][head.index("结果")] == "未通过"
    assert by_file["defect-empty-cell.docx"][head.index("警告")] >= 1
    assert by_file["坏文件.docx"][head.index("结果")] == "无法读取" and by_file["坏文件.docx"][-1]
    assert by_file["defect-t3-sum.docx"][head.index("机关")] == "云岭市自然资源和规划局"
    total = rows[-1]
    assert total[0] == "合计" and total[head.index("SUM-CELL")] == 1
    detail = list(load_workbook(out)["问题明细"].iter_rows(values_only=True))
    assert any(row[2] == "NOTICE-NUMBER" and row[1] == "错误" for row in detail)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # written atomically: no temp left


def test_summary_must_be_xlsx_and_not_an_input(tmp_path):
    folder = _folder(tmp_path)
    r = CliRunner().invoke(main, ["check", str(folder / "clean.docx"), "--no-nlp", "--summary", str(tmp_path / "a.csv")])
    assert r.exit_code == 2 and "应以 .xlsx 结尾" in r.output
    fake = folder / "x.xlsx"
    fake.write_bytes(b"keep")
    r = CliRunner().invoke(main, ["check", str(folder / "clean.docx"), str(fake), "--no-nlp", "--summary", str(fake)])
    assert r.exit_code == 2 and fake.read_bytes() == b"keep"


def test_rules_are_ordered_by_frequency():
    f = lambda rule: Finding(rule=rule, level="error", message="m")  # noqa: E731
    outcomes = [FileOutcome(file="a", status="findings", findings=[f("B"), f("A")]),
                FileOutcome(file="b", status="findings", findings=[f("B")])]
    s = build_summary(outcomes)
    assert s.rules == ["B", "A"] and [r.per_rule for r in s.rows] == [{"B": 1, "A": 1}, {"B": 1}]
    assert s.totals["errors"] == 3 and s.totals["failed"] == 2


def test_quotes_give_the_sentence_of_a_span_and_the_label_of_a_cell():
    text = "本年度共收到申请23件。其中予以公开16件，不予公开2件；其余办结。"
    start = text.index("16")
    doc = SourceDocument(path="x", kind="text", paragraphs=[Paragraph(index=0, text=text)], tables=[
        Table(index=0, n_rows=2, n_cols=3, cells=[
            Cell(0, 0, "三、本年度办理结果", rowspan=2), Cell(0, 1, "（一）予以公开"), Cell(0, 2, "22"),
            Cell(1, 1, "（二）部分公开"), Cell(1, 2, "")])])
    q = quote_for(Finding(rule="R", level="error", message="m",
                          location=Location(paragraph=0, start=start, end=start + 2)), doc)
    assert (q.before, q.marked, q.after) == ("其中予以公开", "16", "件，不予公开2件；")
    q = quote_for(Finding(rule="R", level="error", message="m",
                          location=Location(table_index=0, cell_row=1, cell_col=2)), doc)
    assert q.cell and q.before == "三、本年度办理结果 / （二）部分公开" and q.marked == "（空白）"
    assert quote_for(Finding(rule="R", level="error", message="m", location=Location(section="overview")), doc) is None
    assert quote_for(Finding(rule="R", level="error", message="m",
                             location=Location(paragraph=5, start=0, end=2)), doc) is None
