"""The Word renderer: tables cell by cell against the data, merges as in the official form,
headings, East Asian fonts, page-number field, determinism; the style file; safe output files.

These tests build Narratives by hand, so they do not depend on the narrative generator.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from report_writer.draft.narrative import Narrative, Para, Span, TableRef
from report_writer.draft.render_docx import render
from report_writer.draft.render_style import DEFAULT_STYLE_FILE, DocStyle, StyleError, load_style
from report_writer.fileio import OutputError, atomic_write, refuse_same_path
from report_writer.formats import get_format
from report_writer.data.loader import load
from report_writer.data.model import Cell

from .conftest import EXAMPLES, ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXAMPLE_FILES = {"2019": "jinzhai-2020.yaml", "2021": "yunling-zrzy-2023.yaml"}


# ---------------------------------------------------------------- helpers


def hand_narrative(data, fmt) -> Narrative:
    title = f"{data.meta.body}{data.meta.year}年政府信息公开工作年度报告"
    blocks = [Para("title", [Span(title)]),
              Para("preamble", [Span("本报告依据《中华人民共和国政府信息公开条例》编制，统计期限为"),
                                Span(str(data.meta.year), "meta.year"), Span("年1月1日至12月31日。")])]
    for s in fmt.sections:
        blocks.append(Para("h1", [Span(s.title)], s.id))
        if s.id == "overview":
            blocks.append(Para("h2", [Span("（一）主动公开情况")], s.id))
            blocks.append(Para("body", [Span("全年共受理政府信息公开申请"),
                                        Span(str(data.value("table3", "r1", "total")), "table3.r1.total"),
                                        Span("件。")], s.id))
            blocks.append(Para("h2", [Span("（二）依申请公开情况")], s.id))
        table = {"proactive": "table2", "requests": "table3", "appeals": "table4"}.get(s.id)
        if table:
            blocks.append(Para("lead_in", [Span("该部分以表格形式报告。")], s.id))
            blocks.append(TableRef(table, s.id))
        else:
            blocks.append(Para("body", [Span("无。")], s.id))
    return Narrative(title, blocks)


def loaded_example(fmt_id: str):
    ld = load(EXAMPLES / EXAMPLE_FILES[fmt_id])
    return ld.data, get_format(ld.data.format_id)


def render_example(fmt_id: str, mutate=None) -> tuple[bytes, object, object]:
    data, fmt = loaded_example(fmt_id)
    if mutate:
        mutate(data)
    return render(hand_narrative(data, fmt), data, fmt), data, fmt


def docx_of(blob: bytes):
    return Document(io.BytesIO(blob))


def cells_of(tbl) -> list[list[dict]]:
    """Every w:tc of a table by row: grid column, span, vMerge role, text."""
    out = []
    for tr in tbl._tbl.findall(qn("w:tr")):
        row, col = [], 0
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            gs = pr.find(qn("w:gridSpan"))
            span = int(gs.get(qn("w:val"))) if gs is not None else 1
            vm = pr.find(qn("w:vMerge"))
            role = None if vm is None else (vm.get(qn("w:val")) or "continue")
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            row.append({"col": col, "span": span, "vmerge": role, "text": text})
            col += span
        out.append(row)
    return out


def grid_width(tbl) -> int:
    return len(tbl._tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))


def expected_text(cell: Cell | None, col) -> str:
    """Written independently of the renderer: how the official form shows each kind of cell."""
    if cell is None or cell.state == "empty":
        return ""
    if cell.state == "slash":
        return "/"
    v = cell.value
    if col.kind == "change":
        n = int(v)
        return "0" if n == 0 else ("增" if n > 0 else "减") + str(abs(n))
    if col.kind == "money":
        return f"{v:.2f}" + (col.unit if col.print_unit else "")
    return str(int(v))


def tables_by_kind(doc):
    """The three tables in document order: 表二, 表三, 表四."""
    assert len(doc.tables) == 3
    return dict(zip(("table2", "table3", "table4"), doc.tables))


# ---------------------------------------------------------------- 表二


@pytest.mark.parametrize("fmt_id,ncols", [("2019", 5), ("2021", 4)])
def test_table2_grid_blocks_and_every_cell(fmt_id, ncols):
    blob, data, fmt = render_example(fmt_id)
    tbl = tables_by_kind(docx_of(blob))["table2"]
    assert grid_width(tbl) == ncols
    rows = cells_of(tbl)
    t = fmt.table("table2")
    i = 0
    for block in t.blocks:
        caption = rows[i]
        assert [(c["text"], c["span"]) for c in caption] == [(block.caption, ncols)]
        header = rows[i + 1]
        assert [c["text"] for c in header] == [t.label_header] + [c.label for c in block.columns]
        assert sum(c["span"] for c in header) == ncols
        for k, row in enumerate(block.rows):
            got = rows[i + 2 + k]
            assert got[0]["text"] == row.label and got[0]["span"] == 1
            assert [c["text"] for c in got[1:]] == [expected_text(data.cell("table2", row.id, c.id), c)
                                                    for c in block.columns]
            # value cells line up under their header cells
            assert [(c["col"], c["span"]) for c in got[1:]] == [(c["col"], c["span"]) for c in header[1:]]
            if len(block.columns) == 1:
                assert got[1]["span"] == ncols - 1
        i += 2 + len(block.rows)
    assert i == len(rows)


def test_table2_2019_values_as_the_form_writes_them():
    blob, _, _ = render_example("2019")
    rows = cells_of(tables_by_kind(docx_of(blob))["table2"])
    texts = [[c["text"] for c in r] for r in rows]
    assert ["行政许可", "156353", "减77992", "78361"] in texts
    assert ["其他对外管理服务事项", "481", "0", "36542"] in texts
    assert ["行政处罚", "104031", "增12997", "117028"] in texts
    assert ["政府集中采购", "1030", "35339.15万元"] in texts
    # 2019: three-value blocks split the value area in thirds, two-value blocks in halves
    assert [c["span"] for c in rows[1]] == [1, 1, 2, 1]
    fees_header = next(r for r in rows if r[0]["text"] == "信息内容" and len(r) == 3)
    assert [c["span"] for c in fees_header] == [1, 2, 2]


def test_table2_2021_money_without_unit_in_cell():
    blob, _, _ = render_example("2021")
    texts = [[c["text"] for c in r] for r in cells_of(tables_by_kind(docx_of(blob))["table2"])]
    assert ["行政事业性收费", "1523.46"] in texts
    assert ["信息内容", "本年收费金额（单位：万元）"] in texts
    assert not any("第二十条第（九）项" in t for r in texts for t in r)


def test_empty_and_slash_cells_render_as_written():
    def mutate(data):
        data.tables["table3"]["r3_2"]["natural"] = Cell.empty()
        data.tables["table3"]["r3_2"]["business"] = Cell(state="slash")
        data.tables["table2"]["regulations"]["made"] = Cell(state="slash")
        data.tables["table4"]["review"]["upheld"] = Cell.empty()
        data.tables["table2"]["procurement"]["amount"] = Cell.number(Decimal("12"))

    blob, data, fmt = render_example("2019", mutate)
    t = tables_by_kind(docx_of(blob))
    r32 = next(r for r in cells_of(t["table3"]) if r[1]["text"].startswith("（二）部分公开"))
    assert [c["text"] for c in r32[2:4]] == ["", "/"]
    t2 = [[c["text"] for c in r] for r in cells_of(t["table2"])]
    assert ["规章", "/", "0", "0"] in t2
    assert ["政府集中采购", "1030", "12.00万元"] in t2
    assert cells_of(t["table4"])[3][0]["text"] == ""


# ---------------------------------------------------------------- 表三


@pytest.mark.parametrize("fmt_id,result_rows", [("2019", 20), ("2021", 22)])
def test_table3_header_label_area_and_every_cell(fmt_id, result_rows):
    blob, data, fmt = render_example(fmt_id)
    tbl = tables_by_kind(docx_of(blob))["table3"]
    t = fmt.table("table3")
    assert grid_width(tbl) == 10
    rows = cells_of(tbl)
    # header: corner note 3 rows x 3 columns
    assert rows[0][0] == {"col": 0, "span": 3, "vmerge": "restart", "text": t.corner_note}
    assert rows[1][0]["vmerge"] == rows[2][0]["vmerge"] == "continue"
    assert rows[1][0]["span"] == rows[2][0]["span"] == 3
    assert (rows[0][1]["text"], rows[0][1]["span"]) == ("申请人情况", 7)
    assert [(c["text"], c["span"], c["vmerge"]) for c in rows[1][1:]] == [
        ("自然人", 1, "restart"), ("法人或其他组织", 5, None), ("总计", 1, "restart")]
    assert [c["text"] for c in rows[2][1:]] == ["", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    assert rows[2][1]["vmerge"] == rows[2][-1]["vmerge"] == "continue"
    # header rows repeat on a new page
    trs = tbl._tbl.findall(qn("w:tr"))
    assert [tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for tr in trs[:4]] == [True] * 3 + [False]

    body = rows[3:]
    leaves = t.data_rows()
    assert len(body) == len(leaves)
    g3 = t.row("g3").label
    col0 = [r[0] for r in body]
    starts = [i for i, c in enumerate(col0) if c["vmerge"] == "restart" and c["text"] == g3]
    assert len(starts) == 1
    run = 1
    while starts[0] + run < len(col0) and col0[starts[0] + run]["vmerge"] == "continue":
        run += 1
    assert run == result_rows  # 三、本年度办理结果 spans every result row
    for row, got in zip(leaves, body):
        labels, values = got[:-7], got[-7:]
        assert labels[-1]["text"] == row.label
        assert sum(c["span"] for c in labels) == 3
        assert [c["text"] for c in values] == [expected_text(data.cell("table3", row.id, c.id), c)
                                               for c in t.columns]
        if row.parent is None:
            assert labels == [{"col": 0, "span": 3, "vmerge": None, "text": row.label}]
        elif t.row(row.parent).id == "g3":
            assert labels[1]["span"] == 2  # （一）（二）（七）… span label columns 2–3
    # group labels （三）（四）（五）(2021 （六）) span their sub-rows in column 2
    for g in (r for r in t.rows if r.group and r.parent):
        members = [i for i, row in enumerate(leaves) if row.parent == g.id]
        first = body[members[0]][1]
        assert (first["text"], first["vmerge"], first["col"]) == (g.label, "restart", 1)
        assert all(body[i][1]["vmerge"] == "continue" for i in members[1:])
        nxt = members[-1] + 1
        assert body[nxt][1]["vmerge"] != "continue"
        assert all(body[i][2]["span"] == 1 and body[i][2]["col"] == 2 for i in members)


def test_table3_page_breaks_only_between_groups():
    blob, data, fmt = render_example("2021")
    trs = tables_by_kind(docx_of(blob))["table3"]._tbl.findall(qn("w:tr"))

    def kept(tr) -> bool:
        ppr = tr.find(qn("w:tc")).find(qn("w:p")).find(qn("w:pPr"))
        return ppr.find(qn("w:keepNext")) is not None

    leaves = fmt.table("table3").data_rows()
    flags = dict(zip([r.id for r in leaves], [kept(tr) for tr in trs[3:]]))
    assert all(kept(tr) for tr in trs[:3])  # header rows
    assert flags["r1"] and flags["r2"]  # first rows stay with the header
    assert all(flags[f"r3_3_{i}"] for i in range(1, 8)) and not flags["r3_3_8"]  # （三）1–8 together
    assert flags["r3_6_3"] and flags["r3_7"] and not flags["r4"]  # no stranded last row
    assert not flags["r3_1"]  # a break may fall between groups


def test_table3_2019_other_handling_is_one_row_2021_three():
    b19, _, _ = render_example("2019")
    b21, _, _ = render_example("2021")
    t19 = [[c["text"] for c in r] for r in cells_of(tables_by_kind(docx_of(b19))["table3"])]
    t21 = [[c["text"] for c in r] for r in cells_of(tables_by_kind(docx_of(b21))["table3"])]
    assert any(r[1] == "（六）其他处理" and len(r) == 9 for r in t19)
    assert any(r[1] == "（六）其他处理" and r[2].startswith("1.申请人无正当理由逾期不补正") for r in t21)
    assert len(t19) == 3 + 23 and len(t21) == 3 + 25


# ---------------------------------------------------------------- 表四


@pytest.mark.parametrize("fmt_id", ["2019", "2021"])
def test_table4_header_groups_and_data_row(fmt_id):
    blob, data, fmt = render_example(fmt_id)
    tbl = tables_by_kind(docx_of(blob))["table4"]
    t = fmt.table("table4")
    assert grid_width(tbl) == 15
    rows = cells_of(tbl)
    assert len(rows) == 4
    assert [(c["text"], c["span"], c["vmerge"]) for c in rows[0]] == [
        ("行政复议", 5, "restart"), ("行政诉讼", 10, None)]
    assert [(c["text"], c["span"], c["vmerge"]) for c in rows[1]] == [
        ("", 5, "continue"), ("未经复议直接起诉", 5, None), ("复议后起诉", 5, None)]
    assert [c["text"] for c in rows[2]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    expected = [expected_text(data.cell("table4", g.id, c.id), c) for g in t.data_rows() for c in t.columns]
    assert [c["text"] for c in rows[3]] == expected
    assert all(c["span"] == 1 for c in rows[3])


def test_table4_2021_example_numbers():
    blob, _, _ = render_example("2021")
    rows = cells_of(tables_by_kind(docx_of(blob))["table4"])
    assert [c["text"] for c in rows[3]] == "1 1 0 1 3 1 0 0 0 1 0 0 0 1 1".split()


def test_every_table_cell_has_borders_and_centred_headers():
    blob, _, _ = render_example("2019")
    doc = docx_of(blob)
    for tbl in doc.tables:
        borders = tbl._tbl.find(qn("w:tblPr")).find(qn("w:tblBorders"))
        assert {b.tag.removeprefix(W) for b in borders} == {"top", "left", "bottom", "right", "insideH", "insideV"}
        assert all(b.get(qn("w:val")) == "single" for b in borders)
    header = doc.tables[1]._tbl.findall(qn("w:tr"))[0]
    for p in header.iter(qn("w:p")):
        assert p.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == "center"


# ---------------------------------------------------------------- text, fonts, page


def test_headings_in_order_and_roles_styled():
    blob, data, fmt = render_example("2021")
    doc = docx_of(blob)
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [s.title for s in fmt.sections]
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == ["（一）主动公开情况", "（二）依申请公开情况"]
    title = doc.paragraphs[0]
    assert title.style.name == "Title"
    assert title.text.replace("\n", "") == f"{data.meta.body}{data.meta.year}年政府信息公开工作年度报告"
    # tables sit after their headings: 二 → 表二, 三 → 表三, 四 → 表四
    body = doc.element.body
    order = [("h", p.xpath("string(.)")) if p.tag == qn("w:p") else ("t", None) for p in body
             if p.tag == qn("w:tbl") or (p.tag == qn("w:p") and p.xpath("string(.)").startswith(("二、", "三、", "四、", "五、")))]
    assert [k for k, _ in order] == ["h", "t", "h", "t", "h", "t", "h"]


def test_a_number_span_keeps_its_own_run():
    blob, data, _ = render_example("2019")
    doc = docx_of(blob)
    para = next(p for p in doc.paragraphs if p.text.startswith("全年共受理"))
    assert [r.text for r in para.runs] == ["全年共受理政府信息公开申请", "23", "件。"]


def test_title_breaks_after_the_body_name():
    blob, data, _ = render_example("2019")
    title = docx_of(blob).paragraphs[0]
    assert title.text == "金寨县人民政府\n2020年政府信息公开工作年度报告"


def test_east_asian_fonts_on_styles_and_runs_without_theme_fonts():
    blob, _, _ = render_example("2019")
    z = zipfile.ZipFile(io.BytesIO(blob))
    styles, document = z.read("word/styles.xml").decode(), z.read("word/document.xml").decode()
    assert "Theme=" not in styles and "Theme=" not in document and "w:cstheme" not in styles
    doc = docx_of(blob)
    expected = {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading 1": "黑体", "Heading 2": "楷体_GB2312"}
    for name, font in expected.items():
        rpr = doc.styles[name].element.find(qn("w:rPr"))
        assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == font
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    runs = list(doc.element.body.iter(qn("w:r")))
    assert runs
    for r in runs:
        rpr = r.find(qn("w:rPr"))
        assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    sizes = {p.style.name: p.runs[0].font.size.pt for p in doc.paragraphs if p.runs}
    assert sizes["Title"] == 22 and sizes["Heading 1"] == 16 and sizes["Normal"] == 16
    table_sizes = {r.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val"))
                   for t in doc.tables for r in t._tbl.iter(qn("w:r"))}
    assert table_sizes <= {"18", "21"}  # 小五 / 五号


def test_body_paragraph_typography():
    blob, _, _ = render_example("2019")
    doc = docx_of(blob)
    p = next(p for p in doc.paragraphs if p.style.name == "Normal" and p.text)
    ppr = p._p.find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    assert spacing.get(qn("w:lineRule")) == "exact" and 560 <= int(spacing.get(qn("w:line"))) <= 580
    assert ppr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"


def test_page_setup_and_page_number_field():
    blob, _, _ = render_example("2019")
    doc = docx_of(blob)
    sec = doc.sections[0]
    mm = lambda v: round(v.mm)  # noqa: E731
    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert (mm(sec.top_margin), mm(sec.bottom_margin), mm(sec.left_margin), mm(sec.right_margin)) == (37, 35, 28, 26)
    footer = sec.footer._element
    instr = "".join(t.text for t in footer.iter(qn("w:instrText")))
    assert instr.strip() == "PAGE"
    kinds = [f.get(qn("w:fldCharType")) for f in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    text = "".join(t.text for t in footer.iter(qn("w:t")))
    assert text == "— 1 —"
    p = footer.find(qn("w:p"))
    assert p.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == "center"
    rpr = next(footer.iter(qn("w:rPr")))
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "28"  # 四号


@pytest.mark.parametrize("fmt_id", ["2019", "2021"])
def test_byte_identical_output(fmt_id):
    a, _, _ = render_example(fmt_id)
    b, _, _ = render_example(fmt_id)
    assert a == b
    z = zipfile.ZipFile(io.BytesIO(a))
    assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in z.namelist()
    core = docx_of(a).core_properties
    assert core.author and core.revision == 1 and core.created == core.modified


def test_narrative_title_used_when_no_title_paragraph():
    data, fmt = loaded_example("2021")
    n = Narrative("某某局年度报告", [Para("body", [Span("正文。")]), TableRef("table4", "appeals")])
    doc = docx_of(render(n, data, fmt))
    assert doc.paragraphs[0].text == "某某局年度报告" and doc.paragraphs[0].style.name == "Title"
    assert len(doc.tables) == 1


# ---------------------------------------------------------------- style file


def test_style_file_matches_the_defaults():
    assert DEFAULT_STYLE_FILE.is_file()
    assert load_style(DEFAULT_STYLE_FILE) == DocStyle()


def test_partial_style_file_changes_only_what_it_names(tmp_path):
    f = tmp_path / "style.yaml"
    f.write_text("paragraphs:\n  body: {font: 仿宋, size: 小三}\npage:\n  margins_mm: {left: 30}\n", encoding="utf-8")
    st = load_style(f)
    assert st.paragraphs.body.font == "仿宋" and st.paragraphs.body.size == 15
    assert st.page.margins_mm.left == 30 and st.page.margins_mm.top == 37
    data, fmt = loaded_example("2019")
    doc = docx_of(render(hand_narrative(data, fmt), data, fmt, st))
    assert doc.styles["Normal"].element.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋"
    assert round(doc.sections[0].left_margin.mm) == 30


def test_an_edited_style_file_is_read_again_and_the_shared_style_cannot_be_changed(tmp_path):
    import os

    from pydantic import ValidationError

    f = tmp_path / "style.yaml"
    f.write_text("paragraphs:\n  body: {font: 仿宋}\n", encoding="utf-8")
    first = load_style(f)
    with pytest.raises(ValidationError):
        first.paragraphs.body.font = "改过的"  # frozen: one caller cannot change it for the next
    assert load_style(f).paragraphs.body.font == "仿宋"
    f.write_text("paragraphs:\n  body: {font: 楷体}\n", encoding="utf-8")
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 1_000_000_000))  # even within one tick
    assert load_style(f).paragraphs.body.font == "楷体"


@pytest.mark.parametrize("text,needle", [
    ("paragraphs:\n  body: {size: 大号}\n", "字号"),
    ("pages: {}\n", "未知字段"),
    ("page_number: {template: 第页}\n", "{page}"),
    ("[1, 2\n", "YAML"),
])
def test_bad_style_file_is_explained(tmp_path, text, needle):
    f = tmp_path / "style.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(StyleError) as e:
        load_style(f)
    assert needle in str(e.value)


# ---------------------------------------------------------------- fileio


def test_atomic_write_replaces_and_leaves_no_temp_files(tmp_path):
    out = tmp_path / "sub" / "a.docx"
    atomic_write(out, b"one")
    atomic_write(out, b"two")
    assert out.read_bytes() == b"two"
    assert sorted(p.name for p in out.parent.iterdir()) == ["a.docx"]


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    out = tmp_path / "a.docx"
    out.write_bytes(b"old")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError) as e:
        atomic_write(out, b"new")
    assert "无法写入" in str(e.value)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]


def test_atomic_write_refuses_a_directory(tmp_path):
    with pytest.raises(OutputError, match="文件夹"):
        atomic_write(tmp_path, b"x")


def test_refuse_same_path_by_path_symlink_and_hardlink(tmp_path, monkeypatch):
    src = tmp_path / "data.yaml"
    src.write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for same in (src, Path("data.yaml"), tmp_path / "." / "data.yaml"):
        with pytest.raises(OutputError, match="同一个文件"):
            refuse_same_path(same, src)
    link = tmp_path / "link.yaml"
    link.symlink_to(src)
    with pytest.raises(OutputError):
        refuse_same_path(link, src)
    hard = tmp_path / "hard.yaml"
    os.link(src, hard)
    with pytest.raises(OutputError):
        refuse_same_path(hard, src)
    refuse_same_path(tmp_path / "other.docx", src, None)  # different file: fine


# ---------------------------------------------------------------- LibreOffice


def test_pdf_check_script_renders_pages(tmp_path):
    """Converts both example drafts with LibreOffice; needs soffice and pdftoppm on the machine."""
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        pytest.skip("本机未安装 LibreOffice（soffice）或 poppler-utils（pdftoppm），跳过 PDF 转换检查")
    files = []
    for fmt_id in EXAMPLE_FILES:
        blob, _, _ = render_example(fmt_id)
        f = tmp_path / f"draft-{fmt_id}.docx"
        f.write_bytes(blob)
        files.append(f)
    res = subprocess.run([str(ROOT / "scripts" / "pdf_check.sh"), "-d", str(tmp_path / "pdf"), *map(str, files)],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    for fmt_id in EXAMPLE_FILES:
        pdf = tmp_path / "pdf" / f"draft-{fmt_id}.pdf"
        assert pdf.stat().st_size > 10_000
        pngs = sorted((tmp_path / "pdf").glob(f"draft-{fmt_id}-*.png"))
        assert len(pngs) >= 2
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout \
            if shutil.which("pdftotext") else ""
        if text:
            assert "申请人情况" in text and "行政复议" in text
            assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)  # page numbers
