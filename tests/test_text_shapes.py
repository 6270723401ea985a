"""Each real-world shape of a text table, as a small fixture: pipes (with and without the outer
pipes), tab-separated, one cell per line, flattened, glued digits; labels broken by spaces,
headers repeated at a page break; and what happens when a glued row splits two ways or none."""

from __future__ import annotations

import pytest

from report_writer.check.api import check_document
from report_writer.read import read_document

HEAD = """某某县人民政府2022年政府信息公开工作年度报告
本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）编制。本报告中使用数据统计期限为2022年1月1日至12月31日。
一、总体情况
2022年，某某县人民政府扎实推进政务公开。本年度共收到政府信息公开申请6件。
二、主动公开政府信息情况
"""
MID3 = "三、收到和处理政府信息公开申请情况\n"
MID4 = "四、政府信息公开行政复议、行政诉讼情况\n"
TAIL = """五、存在的主要问题及改进情况
政策解读形式还不够丰富。下一步将丰富解读形式，提升解读质量。
六、其他需要报告的事项
本年度未收取信息处理费。
"""

T2 = [("第二十条第（一）项", []), ("信息内容 本年制发件数 本年废止件数 现行有效件数", []),
      ("规章", [0, 0, 0]), ("行政规范性文件", [3, 1, 20]),
      ("第二十条第（五）项", []), ("信息内容 本年处理决定数量", []), ("行政许可", [15]),
      ("第二十条第（六）项", []), ("信息内容 本年处理决定数量", []), ("行政处罚", [7]), ("行政强制", [0]),
      ("第二十条第（八）项", []), ("信息内容 本年收费金额（单位：万元）", []), ("行政事业性收费", ["1.5"])]
Z = [0] * 7
T3 = [("申请人情况 自然人 法人或其他组织 总计", []),
      ("商业企业 科研机构 社会公益组织 法律服务机构 其他", []),
      ("一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 0, 0, 6]),
      ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
      ("三、本年度办理结果", []), ("（一）予以公开", [3, 1, 0, 0, 0, 0, 4]),
      ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", Z), ("（三）不予公开", []),
      *[(f"{i}.{t}", Z) for i, t in enumerate(["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”",
                                               "保护第三方合法权益", "属于三类内部事务信息", "属于四类过程性信息",
                                               "属于行政执法案卷", "属于行政查询事项"], 1)],
      ("（四）无法提供", []), ("1.本机关不掌握相关政府信息", [2, 0, 0, 0, 0, 0, 2]),
      ("2.没有现成信息需要另行制作", Z), ("3.补正后申请内容仍不明确", Z), ("（五）不予处理", []),
      *[(f"{i}.{t}", Z) for i, t in enumerate(["信访举报投诉类申请", "重复申请", "要求提供公开出版物",
                                               "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息"], 1)],
      ("（六）其他处理", []),
      ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", Z),
      ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", Z), ("3.其他", Z),
      ("（七）总计", [5, 1, 0, 0, 0, 0, 6]), ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1])]
T4 = [("行政复议 行政诉讼", []), ("未经复议直接起诉 复议后起诉", []),
      ("结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计", []),
      ("", [1, 0, 0, 0, 1] + [0] * 10)]


def _table(rows, layout: str) -> str:
    out = []
    for label, values in rows:
        vals = [str(v) for v in values]
        words = label.split(" ") if not values else [label] if label else []
        if layout == "pipes":
            out.append("| " + " | ".join(words + vals) + " |")
        elif layout == "pipes-bare":
            out.append(" | ".join(words + vals))
        elif layout == "tabs":
            out.append("\t".join(words + vals))
        elif layout == "lines":
            out.extend(words + vals)
        elif layout == "flat":
            out.append(" ".join(words + vals))
    return "\n".join(out) + "\n"


def _report(layout: str) -> str:
    sep = "\n" if layout != "flat" else ""
    return (HEAD + sep + _table(T2, layout) + sep + MID3 + sep + _table(T3, layout) + sep + MID4
            + "本年度发生行政复议1件。\n" + sep + _table(T4, layout) + sep + TAIL)


READING = {"pipes": "text-pipes", "pipes-bare": "text-pipes", "tabs": "text-tabs", "lines": "text-lines",
           "flat": "text-flat"}


@pytest.mark.parametrize("layout", list(READING))
def test_layout_reads_every_table_and_gives_no_error(tmp_path, layout):
    p = tmp_path / f"{layout}.txt"
    p.write_text(_report(layout), encoding="utf-8")
    result = check_document(p)
    assert [f for f in result.findings if f.level == "error"] == []
    assert not [f for f in result.findings if f.rule in ("TABLE-UNREAD", "MAP-COLUMNS", "CELL-AMBIGUOUS")]
    t = result.report.tables
    assert [int(t["table3"]["r1"][c].value) for c in ("natural", "business", "total")] == [5, 1, 6]
    assert int(t["table3"]["r3_4_1"]["total"].value) == 2
    assert int(t["table4"]["review"]["total"].value) == 1 and int(t["table2"]["licensing"]["decisions"].value) == 15
    assert {tb.reading for tb in result.document.tables} == {READING[layout]}


def test_glued_report_in_one_line(tmp_path):
    flat = _report("flat").replace("\n", "")
    glued = flat
    for label, values in T2 + T3:
        if values:
            glued = glued.replace(label + " " + " ".join(map(str, values)), label + "".join(map(str, values)))
    glued = glued.replace(" ".join(map(str, T4[-1][1])), "".join(map(str, T4[-1][1])))
    assert "（一）予以公开3100004" in glued
    p = tmp_path / "glued.txt"
    p.write_text(glued, encoding="utf-8")
    result = check_document(p)
    assert [f for f in result.findings if f.level == "error"] == []
    t3 = result.report.tables["table3"]
    assert [int(t3["r3_1"][c].value) for c in ("natural", "business", "total")] == [3, 1, 4]
    assert [int(v.value) for v in result.report.tables["table4"]["review"].values()] == [1, 0, 0, 0, 1]
    # 表二 "行政规范性文件3120" splits several ways and nothing in the table decides: left unjudged
    assert not result.report.tables["table2"].get("normative_docs")
    assert [f.rule for f in result.findings if f.location.row == "normative_docs"] == ["CELL-AMBIGUOUS"]
    assert {tb.reading for tb in result.document.tables} == {"text-glued"}


def _glued_table3(rows: dict[str, str]) -> str:
    body = "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    for label, values in T3:
        if not values:
            if label.startswith(("三、", "（三）", "（四）", "（五）", "（六）")):
                body += label
            continue
        body += label + rows.get(label, "".join(map(str, values)))
    return ("某某县人民政府2022年政府信息公开工作年度报告本报告中使用数据统计期限为2022年1月1日至12月31日。"
            "一、总体情况2022年，本机关扎实推进政务公开。" * 1 + "二、主动公开政府信息情况本年无。"
            "三、收到和处理政府信息公开申请情况" + body
            + "四、政府信息公开行政复议、行政诉讼情况本年无。五、存在的主要问题及改进情况" + "无。" * 200
            + "六、其他需要报告的事项无。")


def test_glued_row_with_two_valid_splits_everywhere_stays_undecided(tmp_path):
    # "220000022" is 22/0/0/0/0/0/22 or 2/20/0/0/0/0/22; written for 新收, 予以公开 and 总计 alike,
    # both readings of all rows together satisfy every column sum: nothing decides, nothing is judged
    rows = {"一、本年新收政府信息公开申请数量": "220000022", "（一）予以公开": "220000022",
            "（七）总计": "220000022", "1.本机关不掌握相关政府信息": "0000000"}
    p = tmp_path / "two.txt"
    p.write_text(_glued_table3(rows), encoding="utf-8")
    result = check_document(p)
    ambiguous = {f.location.row for f in result.findings if f.rule == "CELL-AMBIGUOUS"}
    assert ambiguous == {"r1", "r3_1", "r3_7"}
    assert all(f.level == "info" for f in result.findings if f.rule == "CELL-AMBIGUOUS")
    assert not [f for f in result.findings if f.level == "error" and f.location.table == "table3"]
    assert not result.report.tables["table3"].get("r1")


def test_glued_row_decided_by_the_column_sums(tmp_path):
    # 新收 "220000022" alone splits two ways; 总计 21 + 结转下年度 1 (each splitting one way only)
    # leave 22 natural persons as the one reading of 新收 that makes 第一项+第二项 = 第三项+第四项 hold
    rows = {"一、本年新收政府信息公开申请数量": "220000022", "（一）予以公开": "210000021",
            "（七）总计": "210000021", "四、结转下年度继续办理": "1000001",
            "1.本机关不掌握相关政府信息": "0000000", "二、上年结转政府信息公开申请数量": "0000000"}
    p = tmp_path / "decided.txt"
    p.write_text(_glued_table3(rows), encoding="utf-8")
    result = check_document(p)
    t3 = result.report.tables["table3"]
    assert [int(t3["r1"][c].value) for c in ("natural", "business", "total")] == [22, 0, 22]
    assert not [f for f in result.findings if f.rule == "CELL-AMBIGUOUS" and f.location.table == "table3"]
    assert not [f for f in result.findings if f.level == "error" and f.location.table == "table3"]


def test_glued_row_that_no_split_explains_is_not_judged(tmp_path):
    rows = {"（一）予以公开": "3100005"}  # 3+1 ≠ 5 however it is cut
    p = tmp_path / "none.txt"
    p.write_text(_glued_table3(rows), encoding="utf-8")
    result = check_document(p)
    notes = [f for f in result.findings if f.rule == "CELL-AMBIGUOUS" and f.location.row == "r3_1"]
    assert len(notes) == 1 and "没有一种拆分" in notes[0].message
    assert not [f for f in result.findings if f.level == "error" and f.location.table == "table3"]


def test_labels_broken_by_spaces_and_header_repeated_at_a_page_break(tmp_path):
    text = _report("flat").replace("三、本年度办理结果", "三、本年度办 理结果").replace(
        "社会公益组织", "社会公益 组织")
    header = "申请人情况 自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
    text = text.replace("（四）无法提供", "- 3 -\n" + header + "三、本年度办理结果\n（四）无法提供")
    p = tmp_path / "broken.txt"
    p.write_text(text, encoding="utf-8")
    result = check_document(p)
    assert [f for f in result.findings if f.level == "error"] == []
    assert not [f for f in result.findings if f.rule.startswith("MAP-") or f.rule == "TABLE-UNREAD"]
    assert int(result.report.tables["table3"]["r3_4_1"]["total"].value) == 2


def test_a_table_present_but_unreadable_is_said_once_not_accused(tmp_path):
    # 表三's rows carry 5 numbers for 7 columns: the table is there but its cells cannot be placed
    text = _report("flat")
    for label, values in T3:
        if values:
            text = text.replace(label + " " + " ".join(map(str, values)),
                                label + " " + " ".join(map(str, values[:5])))
    p = tmp_path / "unread.txt"
    p.write_text(text, encoding="utf-8")
    result = check_document(p)
    unread = [f for f in result.findings if f.rule == "TABLE-UNREAD"]
    assert len(unread) == 1 and unread[0].level == "warning" and unread[0].location.table == "table3"
    assert unread[0].message.startswith("表三未能完整读取（") and unread[0].message.endswith("其勾稽关系未检查")
    assert not [f for f in result.findings if f.location.table == "table3" and f.level == "error"]
    assert not [f for f in result.findings if f.rule in ("CELL-EMPTY", "MAP-COLUMNS") and f.location.table == "table3"]


def test_really_blank_cell_in_a_read_grid_is_still_an_error(tmp_path):
    text = _report("tabs").replace("（一）予以公开\t3\t1\t0\t0\t0\t0\t4", "（一）予以公开\t3\t1\t0\t0\t0\t0\t")
    p = tmp_path / "blank.txt"
    p.write_text(text, encoding="utf-8")
    result = check_document(p)
    empty = [f for f in result.findings if f.rule == "CELL-EMPTY"]
    assert [(f.level, f.location.row, f.location.col, f.location.reading) for f in empty] == [
        ("error", "r3_1", "total", "text-tabs")]


def test_text_layouts_keep_line_numbers(tmp_path):
    p = tmp_path / "lines.txt"
    p.write_text(_report("lines"), encoding="utf-8")
    doc = read_document(p)
    lines = p.read_text(encoding="utf-8").split("\n")
    t3 = next(t for t in doc.tables if any("予以公开" in c.text for c in t.cells))
    cell = next(c for c in t3.cells if "予以公开" in c.text)
    assert "予以公开" in lines[cell.origin[0] - 1]


def test_a_long_preamble_listing_the_parts_is_not_a_flattened_report(tmp_path):
    from report_writer.read import glued

    line = ("本报告由一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况，"
            "四、政府信息公开行政复议、行政诉讼情况，五、存在的主要问题及改进情况，六、其他需要报告的事项六部分组成。"
            + "本报告中使用数据统计期限为2022年1月1日至12月31日，所列数据均为本机关统计口径。" * 12)
    assert not glued.is_glued(line)
    p = tmp_path / "flat.txt"
    p.write_text(_report("flat").replace("本报告依据", line + "本报告依据", 1), encoding="utf-8")
    result = check_document(p)
    # the list stays one paragraph of the preamble; the sections are the real headings after it
    assert sum(1 for par in result.document.paragraphs if "六部分组成" in par.text) == 1
    assert sum(1 for par in result.document.paragraphs if par.text.strip() == "一、总体情况") == 1
    assert result.document.paragraphs[result.sections[0].paragraph].text.strip() == "一、总体情况"
    assert not result.errors


def test_narrative_before_a_glued_table_stays_a_paragraph(tmp_path):
    text = _glued_table3({}).replace("三、收到和处理政府信息公开申请情况申请人情况",
                                     "三、收到和处理政府信息公开申请情况本年度共收到申请7件，其中新收6件。申请人情况")
    p = tmp_path / "narr.txt"
    p.write_text(text, encoding="utf-8")
    doc = read_document(p)
    assert any(par.text.startswith("本年度共收到申请7件") for par in doc.paragraphs)
    t3 = next(t for t in doc.tables if any("予以公开" in c.text for c in t.cells))
    assert t3.cells[0].text.startswith("申请人情况")


def test_saved_web_page_whose_table_markup_was_lost(tmp_path):
    import html

    from .conftest import shared_file

    title, body = shared_file("real/pingtan/pingtan-2021.txt").read_text(encoding="utf-8").split("\n")[:2]
    p = tmp_path / "page.html"
    p.write_text(f"<html><head><meta charset='utf-8'><title>报告</title></head><body><h1>{html.escape(title)}</h1>"
                 f"<div class='content'><p>{html.escape(body)}</p></div></body></html>", encoding="utf-8")
    result = check_document(p)
    assert result.document.kind == "html" and not result.errors
    assert {t.reading for t in result.document.tables} == {"text-glued"}
    assert int(result.report.tables["table3"]["r3_1"]["natural"].value) == 27


def test_a_table_left_only_as_text_in_a_paragraph_is_unread_not_empty(tmp_path):
    from .conftest import shared_file

    title, body = shared_file("real/pingtan/pingtan-2021.txt").read_text(encoding="utf-8").split("\n")[:2]
    # without its section heading the glued 表三 cannot be cut out of the paragraph it sits in
    body = body.replace("三、收到和处理政府信息公开申请情况", "", 1)
    p = tmp_path / "lost.txt"
    p.write_text(title + "\n" + body, encoding="utf-8")
    result = check_document(p)
    table3 = [f for f in result.findings if f.location.table == "table3"]
    assert [(f.rule, f.level) for f in table3] == [("TABLE-UNREAD", "warning")]
    assert "正文段落" in table3[0].message


def test_one_glued_table_line_inside_an_ordinary_text(tmp_path):
    # a saved page whose paragraphs are lines, but whose 表三 became one line of labels and digits
    lines = _report("flat").split("\n")
    start = next(k for k, ln in enumerate(lines) if ln.startswith("申请人情况"))
    end = next(k for k, ln in enumerate(lines) if ln.startswith("四、结转下年度继续办理"))
    glued_rows = "".join(ln.replace(" ", "") for ln in lines[start:end + 1])
    assert "（一）予以公开3100004" in glued_rows
    p = tmp_path / "one-line-table.txt"
    p.write_text("\n".join(lines[:start] + [glued_rows] + lines[end + 1:]), encoding="utf-8")
    result = check_document(p)
    assert not result.errors
    t3 = next(t for t in result.document.tables if any("予以公开" in c.text for c in t.cells))
    assert t3.reading == "text-glued"
    assert [int(result.report.tables["table3"]["r3_1"][c].value) for c in ("natural", "business", "total")] == [3, 1, 4]
