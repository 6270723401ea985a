"""extract: a data file from a report; --next-year; drafts from YAML and XLSX agree."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from report_writer.cli.main import main
from report_writer.extract import extract_report, read_preamble, roll_forward
from report_writer.data.loader import load

ROOT = Path(__file__).resolve().parents[1]
SEED = Path("/work/shared/seed/jinzhai-2020-annual-report.txt")
JINZHAI = ROOT / "examples" / "jinzhai-2020.yaml"
YUNLING = ROOT / "examples" / "yunling-zrzy-2023.yaml"

needs_seed = pytest.mark.skipif(not SEED.is_file(), reason=f"seed report {SEED} not present on this machine")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def assert_same_cells(got, expected) -> None:
    """Every table cell of `expected` is in `got` with the same state and value."""
    bad = []
    for tid, rows in expected.tables.items():
        for rid, cols in rows.items():
            for cid, cell in cols.items():
                other = got.cell(tid, rid, cid)
                if other is None or other.state != cell.state or other.value != cell.value:
                    bad.append((tid, rid, cid, cell, other))
    assert not bad, bad[:10]
    assert sum(len(c) for r in expected.tables.values() for c in r.values()) > 0


@needs_seed
def test_seed_report_every_table_cell_equals_the_example():
    result = extract_report(SEED)
    example = load(JINZHAI).data
    assert_same_cells(result.data, example)
    assert result.data.format_id == "2019"
    meta = result.data.meta
    assert (meta.body, meta.year) == ("金寨县人民政府", 2020)
    assert meta.office == "金寨县人民政府办公室" and meta.address == "金寨县行政中心828办公室"
    assert meta.postcode == "237300" and meta.website == "http://www.ahjinzhai.gov.cn/"
    assert meta.phone == "0564-7356132" and any("0564--7356132" in n for n in result.notes)
    assert meta.local_notice.number == "六政办秘〔2020〕161号"
    ov = result.data.overview
    assert ov.proactive.items_published == example.overview.proactive.items_published
    assert ov.oversight.trainees.text() == "近300"
    assert ov.platforms.press_conferences.value == 23
    assert not result.missing


@needs_seed
def test_extract_cli_yaml_validates_and_input_untouched(tmp_path):
    before = hashlib.sha256(SEED.read_bytes()).hexdigest()
    out = tmp_path / "seed.yaml"
    r = run("extract", str(SEED), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == before
    assert out.read_text(encoding="utf-8").startswith("# 由 jinzhai-2020-annual-report.txt 提取")
    assert run("validate", str(out)).exit_code == 0
    assert_same_cells(load(out).data, load(JINZHAI).data)


@needs_seed
def test_next_year_fills_r2_from_r4_and_previous(tmp_path):
    this = extract_report(SEED).data
    nxt, notes = roll_forward(this)
    assert nxt.meta.year == 2021 and nxt.format_id == "2021"
    assert nxt.meta.body == this.meta.body and nxt.meta.phone == this.meta.phone
    assert nxt.meta.local_notice is None and nxt.meta.report_date is None
    for col in ("natural", "business", "total"):
        assert nxt.cell("table3", "r2", col) == this.cell("table3", "r4", col)
    assert nxt.cell("table3", "r1", "natural").state == "empty"
    assert all(c.state == "empty" for cells in nxt.tables["table2"].values() for c in cells.values())
    assert nxt.previous.year == 2020
    assert nxt.previous.tables["table3"]["r4"] == this.tables["table3"]["r4"]
    assert nxt.previous.tables["table2"]["normative_docs"]["total"].value == 249
    assert nxt.overview.proactive.items_published is None
    out = tmp_path / "2021.xlsx"
    r = run("extract", str(SEED), "-o", str(out), "--next-year")
    assert r.exit_code == 0, r.output
    again = load(out).data
    assert again.tables["table3"]["r2"] == nxt.tables["table3"]["r2"]
    # a workbook holds numbers: 减77992 comes back as -77992 (same value, no spelling)
    flat = lambda prev: {(t, r, c): (x.state, x.value) for t, rows in prev.tables.items()
                         for r, cols in rows.items() for c, x in cols.items()}
    assert again.previous.year == 2020 and flat(again.previous) == flat(nxt.previous)


def test_next_year_from_a_2021_format_body():
    data = load(YUNLING).data
    nxt, _ = roll_forward(data)
    assert nxt.meta.year == 2024
    assert [nxt.value("table3", "r2", c) for c in ("natural", "business", "total")] == [3, 1, 4]
    assert nxt.previous.tables["table2"]["fees"]["amount"].value == data.value("table2", "fees", "amount")


def test_unreadable_parts_are_listed_not_guessed(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(
        "某某县交通运输局2023年政府信息公开工作年度报告\n"
        "本报告中使用数据统计期限为2023年1月1日至12月31日。\n"
        "一、总体情况\n2023年，全年主动公开政府信息约1200条。\n"
        "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
        "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n",
        encoding="utf-8")
    result = extract_report(report)
    assert result.data.meta.year == 2023 and result.data.meta.body == "某某县交通运输局"
    assert any("表三" in m and "未找到该表" in m for m in result.missing)
    assert any(m.startswith("meta.phone") for m in result.missing)
    assert all(c.state == "empty" for t in result.data.tables.values() for r in t.values() for c in r.values())
    assert result.data.meta.phone is None
    out = tmp_path / "r.yaml"
    r = run("extract", str(report), "-o", str(out))
    assert r.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert "# 以下内容未能从报告中读出" in text and "表三" in text.split("meta:")[0]


def test_extract_refuses_same_path_and_bad_input(tmp_path):
    assert run("extract", str(tmp_path / "none.docx"), "-o", str(tmp_path / "x.yaml")).exit_code == 2
    f = tmp_path / "r.yaml"
    f.write_text("x", encoding="utf-8")
    r = run("extract", str(f), "-o", str(f))
    assert r.exit_code == 2 and f.read_text(encoding="utf-8") == "x"


def test_preamble_reader():
    notes: list[str] = []
    meta = read_preamble(
        "本报告依据《中华人民共和国政府信息公开条例》和《某某市人民政府办公室关于做好年度报告工作的通知》"
        "（某政办〔2024〕3号）编制。如有疑问，请与某某局办公室联系（地址：某某路1号，电话：０１０－１２３４５６７８，"
        "邮编：100000）。报告电子版可在某某局网站（https://x.gov.cn/）下载。", None, notes)
    assert meta["office"] == "某某局办公室" and meta["address"] == "某某路1号"
    assert meta["phone"] == "010-12345678" and meta["postcode"] == "100000"
    assert meta["website"] == "https://x.gov.cn/"
    assert meta["local_notice"]["number"] == "某政办〔2024〕3号"


# ---------------------------------------------------------------- with the drafter

def _draft_available() -> bool:
    try:
        from report_writer.draft.api import draft_report  # noqa: F401
    except Exception:
        return False
    return True


needs_draft = pytest.mark.skipif(not _draft_available(), reason="draft command not available in this tree")


@needs_draft
@pytest.mark.parametrize("example", [JINZHAI, YUNLING], ids=lambda p: p.stem)
def test_drafts_from_yaml_and_converted_xlsx_are_identical(example, tmp_path):
    from report_writer.draft.api import draft_report

    xlsx = tmp_path / "data.xlsx"
    assert run("convert", str(example), "-o", str(xlsx)).exit_code == 0
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    ra = draft_report(example, a, seed=7)
    rb = draft_report(xlsx, b, seed=7)
    assert ra.out_path and rb.out_path, (ra.findings, rb.findings)
    assert a.read_bytes() == b.read_bytes()


@needs_draft
@pytest.mark.parametrize("example", [JINZHAI, YUNLING], ids=lambda p: p.stem)
def test_extract_on_a_generated_draft_returns_its_cells(example, tmp_path):
    from report_writer.draft.api import draft_report

    docx = tmp_path / "draft.docx"
    assert draft_report(example, docx, seed=1).out_path
    result = extract_report(docx)
    data = load(example).data
    assert_same_cells(result.data, data)
    assert (result.data.meta.body, result.data.meta.year) == (data.meta.body, data.meta.year)
    assert result.data.meta.phone == data.meta.phone
