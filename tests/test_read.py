"""Readers: content sniffing, .docx via lxml, saved web pages, text; bad inputs give Chinese ReadErrors."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from lxml import etree

from report_writer import read as readpkg
from report_writer.read import bounds as readmod
from report_writer.read.mapper import map_tables
from report_writer.read import ReadError, read_document
from report_writer.formats import get_format
from report_writer.data.loader import load

from .read_helpers import ROOT, build_report_docx, set_text, shared_path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _chinese(err: ReadError) -> bool:
    return bool(CJK.search(err.message)) and err.path


def _report_docx(path: Path) -> Path:
    data = load(ROOT / "examples" / "jinzhai-2020.yaml").data
    return build_report_docx(path, get_format("2019"), data.tables)


# ---------------------------------------------------------------- docx


def test_docx_paragraphs_runs_deleted_text_content_controls_and_origins(tmp_path):
    d = docx.Document()
    d.add_heading("某某局2023年政府信息公开工作年度报告", level=0)
    d.add_heading("一、总体情况", level=1)
    p = d.add_paragraph()
    for part in ("全年共", "收到申请", "23", "件。"):
        r = p.add_run(part)
        r.bold = part == "23"
    p.runs[1].add_tab()
    p.add_run("第二行").add_break()
    # a deleted revision must not be read; an inserted one must
    p._p.append(parse_xml(f'<w:del xmlns:w="{W_NS}" w:id="1" w:author="a"><w:r><w:delText>删掉的字</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins xmlns:w="{W_NS}" w:id="2" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>'))
    tbl = d.add_table(rows=2, cols=3)
    set_text(tbl.cell(0, 0).merge(tbl.cell(0, 2)), "第二十条第（一）项")
    set_text(tbl.cell(1, 0), "规章")
    set_text(tbl.cell(1, 1), "1\u00a02")
    # a paragraph inside a block content control
    sdt = parse_xml(f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p>'
                    f'</w:sdtContent></w:sdt>')
    d.element.body.insert(len(d.element.body) - 1, sdt)
    path = tmp_path / "a.docx"
    d.save(str(path))
    doc = read_document(path)
    texts = [x.text for x in doc.paragraphs]
    assert texts[0] == "某某局2023年政府信息公开工作年度报告" and doc.paragraphs[0].style == "title"
    assert doc.paragraphs[1].style == "heading"
    assert texts[2] == "全年共收到申请\t23件。第二行\n新增"
    assert "删掉的字" not in doc.text
    assert texts[-1] == "控件中的段落"
    # origins: k-th w:p of the body, so an annotator can find the element again
    from docx import Document as _D

    body = _D(str(path)).element.body
    all_p = list(body.iter(f"{{{W_NS}}}p"))
    for par in doc.paragraphs:
        el = all_p[par.origin[0]]
        assert "".join(t.text or "" for t in el.iter(f"{{{W_NS}}}t")).startswith(par.text[:3])
    t = doc.tables[0]
    assert (t.n_rows, t.n_cols) == (2, 3)
    cap = t.cells[0]
    assert (cap.colspan, cap.rowspan, cap.origin) == (3, 1, (0, 0, 0))
    assert t.grid()[1][1].text == "1\u00a02" and t.grid()[1][1].origin == (0, 1, 1)
    assert t.after_paragraph == 2


def test_docx_vertical_and_horizontal_merges(tmp_path):
    path = _report_docx(tmp_path / "r.docx")
    doc = read_document(path)
    t3 = doc.tables[1]
    assert t3.n_cols == 10
    corner = t3.cells[0]
    assert (corner.row, corner.col, corner.rowspan, corner.colspan) == (0, 0, 3, 3)
    grid = t3.grid()
    natural = grid[1][3]
    assert natural.text == "自然人" and natural.rowspan == 2
    group = grid[5][0]
    assert group.text == "三、本年度办理结果" and group.rowspan == 20  # 2019: 20 rows under 三 (spec §4.3)
    assert grid[24][0] is group and grid[25][0] is not group
    assert grid[3][0].colspan == 3  # 一、本年新收… spans the whole label area


def test_sniffing_ignores_the_extension(tmp_path):
    src = _report_docx(tmp_path / "r.docx")
    for name in ("报告.doc", "报告.txt", "报告"):
        p = tmp_path / name
        p.write_bytes(src.read_bytes())
        assert read_document(p).kind == "docx"
    seed = shared_path("seed/jinzhai-2020-annual-report.txt")
    if seed is not None:
        p = tmp_path / "seed.docx"
        p.write_bytes(seed.read_bytes())
        assert read_document(p).kind == "text"


# ---------------------------------------------------------------- html

PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某市某某局2023年政府信息公开工作年度报告_某某市人民政府</title>
<script>document.write("一、总体情况 脚本里的字");</script><style>p{{margin:0}}</style></head>
<body><div class="top-header"><a href="/">首页</a> &gt; 政府信息公开 &gt; 年报</div>
<div id="nav"><ul><li><a href="#">机构职能</a></li><li><a href="#">政策文件</a></li></ul></div>
<div class="wrap"><div class="left-menu"><a href="#">年度报告</a><a href="#">法定主动公开内容</a></div>
<div class="article">
  <h2 class="title">某某市某某局2023年政府信息公开<br/>工作年度报告</h2>
  <div class="info">发布时间：2024-01-20 来源：某某局</div>
  <div class="TRS_Editor">
    <p>本报告依据《中华人民共和国政府信息公开条例》编制。</p>
    <p><b>一、总体情况</b></p>
    <p>2023年，我局全年共收到政府信息公开
       申请5件。<br/>（一）主动公开情况。全年公开信息100条。</p>
    <div>二、主动公开政府信息情况</div>
    <table border="1">
      <tr><td colspan="4">第二十条第（一）项</td></tr>
      <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
      <tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
      <tr><td>行政规范性文件</td><td>3</td><td>1</td><td>12</td></tr>
      <tr><td colspan="4">第二十条第（五）项</td></tr>
      <tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
      <tr><td>行政许可</td><td colspan="3">25</td></tr>
      <tr><td rowspan="2">合计</td><td>1</td><td rowspan="2" colspan="2">2</td></tr>
      <tr><td>3</td></tr>
    </table>
    <p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>
    <p>五、存在的主要问题及改进情况</p><ul><li>一是问题一。</li><li>二是问题二。</li></ul><p>六、其他需要报告的事项</p>
  </div>
  <div class="share">分享到：微信 微博</div>
</div></div>
<div class="footer">主办：某某市人民政府办公室 网站标识码 3200000001 一、总体情况</div>
<table><tr><td>友情链接</td><td><a href="#">国务院</a></td></tr></table>
</body></html>"""


def test_html_gbk_page_with_chrome(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes(PAGE.encode("gbk"))
    doc = read_document(p)
    assert doc.kind == "html"
    texts = [x.text for x in doc.paragraphs]
    assert texts[0] == "某某市某某局2023年政府信息公开工作年度报告"  # <br> inside a heading joined
    assert "2023年，我局全年共收到政府信息公开申请5件。" in texts  # source line break inside Chinese text dropped
    assert "（一）主动公开情况。全年公开信息100条。" in texts  # <br> starts a new paragraph
    assert "一是问题一。" in texts
    joined = "\n".join(texts)
    for chrome in ("首页", "机构职能", "年度报告法定", "脚本里的字", "网站标识码", "分享到", "友情链接"):
        assert chrome not in joined
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert (t.n_rows, t.n_cols) == (9, 4)
    g = t.grid()
    assert g[6][1].text == "25" and g[6][1].colspan == 3 and g[6][3] is g[6][1]
    assert g[8][0].text == "合计" and g[8][1].text == "3" and g[8][2].text == "2"
    assert g[8][3] is g[7][2]
    # origins are element ordinals, distinct per paragraph element
    assert all(isinstance(x.origin[0], int) and x.origin[0] >= 0 for x in doc.paragraphs)
    mapped = map_tables(doc)
    assert mapped.format_id == "2021" and mapped.cell("table2", "licensing", "decisions").value == 25


def test_html_encodings(tmp_path):
    body = PAGE.replace('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "")
    cases = {"bom.html": b"\xef\xbb\xbf" + body.encode("utf-8"), "utf8.html": body.encode("utf-8"),
             "gb18030-nometa.html": body.encode("gb18030")}
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        doc = read_document(p)
        assert doc.paragraphs[0].text == "某某市某某局2023年政府信息公开工作年度报告", name


# ---------------------------------------------------------------- text


def test_seed_text_tables_and_paragraphs():
    seed = shared_path("seed/jinzhai-2020-annual-report.txt")
    if seed is None:
        pytest.skip("共享资料 seed/jinzhai-2020-annual-report.txt 不在本机，跳过")
    doc = read_document(seed)
    assert doc.kind == "text" and len(doc.tables) == 3
    assert not any("[bookmark" in p.text for p in doc.paragraphs)
    t3 = doc.tables[1]
    labels = [c.text for c in t3.cells]
    assert "科研\n机构" in labels  # a cell's second line is not indented
    first, last = doc.paragraphs[0].origin
    assert first == last == 1


def test_pdf_text_lines_are_joined():
    real = shared_path("real/suqian-2023.txt")
    if real is None:
        pytest.skip("共享资料 real/suqian-2023.txt 不在本机，跳过")
    doc = read_document(real)
    lines = real.read_text(encoding="utf-8").split("\n")
    p = next(p for p in doc.paragraphs if p.text.startswith("2023年,我市以习近平"))
    assert p.origin == (3, 9) and p.text.endswith("作出了积极贡献。")
    # a page break (blank line) inside a paragraph
    q = next(p for p in doc.paragraphs if "把公众的期盼融入政府决策" in p.text)
    assert q.origin[1] - q.origin[0] > 5
    # table rows are not paragraphs
    assert not any(p.text.startswith("一、本年新收政府信息公开申请数量") for p in doc.paragraphs)
    assert not any(re.fullmatch(r"[\d ]+", p.text) for p in doc.paragraphs)
    assert len(doc.tables) == 3
    # cell origins are (line, token)
    t4 = doc.tables[2]
    first_value = next(c for c in t4.cells if c.text == "309")
    assert lines[first_value.origin[0] - 1].startswith("309 17 88")


def test_flattened_row_detection():
    from report_writer.read.text import split_row

    assert split_row("规章 2 0 11") == ("规章", ["2", "0", "11"])
    assert split_row("无法26 2 0 0 0 0 28") == ("无法", ["26", "2", "0", "0", "0", "0", "28"])
    assert split_row("27 0 0 0 0 0 27") == ("", ["27", "0", "0", "0", "0", "0", "27"])
    assert split_row("行政许可 1808595") == ("行政许可", ["1808595"])
    assert split_row("政府集中采购 1030 35339.15万元") == ("政府集中采购", ["1030", "35339.15万元"])
    assert split_row("全年共制作119期政策简明问答,其中,市级47") is None
    assert split_row("— 3 —") is None
    assert split_row("2023") is None
    assert split_row("联系电话:0527-84366123") is None


# ---------------------------------------------------------------- bad inputs


def _expect_error(path, *words) -> ReadError:
    with pytest.raises(ReadError) as ei:
        read_document(path)
    err = ei.value
    assert _chinese(err), err.message
    assert err.path == str(path)
    for w in words:
        assert w in err.message, err.message
    return err


def test_old_doc_and_encrypted_docx(tmp_path):
    doc = tmp_path / "old.doc"
    doc.write_bytes(readpkg.OLE2_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 2000)
    _expect_error(doc, ".doc", "另存为 .docx")
    enc = tmp_path / "secret.docx"
    enc.write_bytes(readpkg.OLE2_MAGIC + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000)
    _expect_error(enc, "加密", "解除密码")


def test_corrupt_and_foreign_zips(tmp_path):
    good = _report_docx(tmp_path / "g.docx").read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good[: len(good) // 2])
    _expect_error(cut, "损坏")
    xlsx = tmp_path / "book.docx"
    with zipfile.ZipFile(xlsx, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    _expect_error(xlsx, "Excel")
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("readme.txt", "hello")
    _expect_error(other, "word/document.xml")
    broken_xml = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken_xml, "w") as z:
        z.writestr("word/document.xml", "<w:document xmlns:w='x'><w:body><w:p>")
    _expect_error(broken_xml, "XML")


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readmod, "MAX_PART_BYTES", 2 * 1024 * 1024)
    bomb = tmp_path / "bomb.docx"
    body = f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>' + " " * (3 * 1024 * 1024) + "</w:t></w:r></w:p></w:body></w:document>"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", body)
    assert bomb.stat().st_size < 100_000
    _expect_error(bomb, "MAX_PART_BYTES", "压缩炸弹")


def test_zip_bomb_with_lying_header_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readmod, "MAX_PART_BYTES", 1024 * 1024)
    bomb = tmp_path / "liar.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<a>" + "x" * (2 * 1024 * 1024) + "</a>")
    raw = bytearray(bomb.read_bytes())
    # patch the uncompressed size in the central directory and local header to 100 bytes
    for sig, off in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        i = raw.find(sig)
        raw[i + off:i + off + 4] = (100).to_bytes(4, "little")
    bomb.write_bytes(bytes(raw))
    err = _expect_error(bomb)
    assert "MAX_PART_BYTES" in err.message or "损坏" in err.message


def test_xml_entity_expansion_is_refused(tmp_path):
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
           '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
           f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>')
    p = tmp_path / "lol.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", lol)
    _expect_error(p, "DTD")


def test_empty_binary_missing_and_directory(tmp_path):
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    _expect_error(empty, "空")
    blank = tmp_path / "blank.txt"
    blank.write_text("\n\n   \n", encoding="utf-8")
    _expect_error(blank, "没有任何文字")
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02\x03" * 100)
    _expect_error(binary, "二进制")
    _expect_error(tmp_path / "nope.docx", "不存在")
    _expect_error(tmp_path, "文件夹")


def test_not_a_report(tmp_path):
    d = docx.Document()
    d.add_heading("关于召开2024年第一季度安全生产工作会议的通知", level=0)
    d.add_paragraph("各科室：定于3月5日召开会议，请准时参加。")
    p = tmp_path / "notice.docx"
    d.save(str(p))
    _expect_error(p, "不像政府信息公开工作年度报告")
    page = tmp_path / "list.html"
    page.write_text("<html><body><div class='nav'>首页</div><div class='list'><p>某某局召开学习会</p>"
                    "<p>某某局开展安全检查</p></div></body></html>", encoding="utf-8")
    _expect_error(page, "没有找到表格")
    text = tmp_path / "poem.txt"
    text.write_text("床前明月光\n疑是地上霜\n", encoding="utf-8")
    _expect_error(text, "不像")


def test_limits_are_configurable_and_named(tmp_path, monkeypatch):
    path = _report_docx(tmp_path / "r.docx")
    monkeypatch.setattr(readmod, "MAX_TABLES", 2)
    _expect_error(path, "MAX_TABLES")
    monkeypatch.setattr(readmod, "MAX_TABLES", 300)
    monkeypatch.setattr(readmod, "MAX_PARAGRAPHS", 3)
    _expect_error(path, "MAX_PARAGRAPHS")
    monkeypatch.setattr(readmod, "MAX_PARAGRAPHS", 50_000)
    monkeypatch.setattr(readmod, "MAX_FILE_BYTES", 1000)
    _expect_error(path, "MAX_FILE_BYTES")
    monkeypatch.setattr(readmod, "MAX_FILE_BYTES", 50 * 1024 * 1024)
    monkeypatch.setattr(readmod, "MAX_TABLE_CELLS", 50)
    _expect_error(path, "MAX_TABLE_CELLS")


def test_html_table_spans_are_clamped(tmp_path):
    page = ("<html><body><h1>某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>二、主动公开政府信息情况</p>"
            "<p>三、收到和处理政府信息公开申请情况</p><table><tr><td rowspan='999999' colspan='999999'>x</td><td>1</td></tr>"
            "<tr><td>2</td></tr><tr><td>3</td><td>4</td></tr></table></body></html>")
    p = tmp_path / "big.html"
    p.write_text(page, encoding="utf-8")
    doc = read_document(p)
    t = doc.tables[0]
    assert t.n_rows == 3 and t.n_cols <= 600


# ---------------------------------------------------------------- measurement


def test_measure_read_and_map_vs_python_docx(tmp_path, capsys):
    path = _report_docx(tmp_path / "seed-sized.docx")
    runs = 5
    t0 = time.perf_counter()
    for _ in range(runs):
        mapped = map_tables(read_document(path))
    ours = (time.perf_counter() - t0) / runs
    assert mapped.format_id == "2019"
    t0 = time.perf_counter()
    for _ in range(runs):
        d = docx.Document(str(path))
        texts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                for c in row.cells:
                    texts.append(c.text)
    theirs = (time.perf_counter() - t0) / runs
    with capsys.disabled():
        print(f"\n[measure] read+map (lxml) {ours * 1000:.1f} ms; python-docx open+all paragraphs+cells "
              f"{theirs * 1000:.1f} ms (seed-sized docx, mean of {runs})")
