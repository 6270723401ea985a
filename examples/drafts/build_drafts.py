"""Build the example drafts for `report-writer check` (run: python examples/drafts/build_drafts.py).

A human-style 2023 report of a fictional body (云岭市自然资源和规划局; its data is
examples/yunling-zrzy-2023.yaml and the draft agrees with it) written the way offices
write them in Word: direct run formatting instead of heading styles, merged cells
(gridSpan / vMerge), non-breaking spaces in a few cells, and 表三 split in two by the
user, the second part without the header. The same draft as a saved web page (with
site chrome) and as plain text, and copies of the .docx with one deliberate defect each:

    clean.docx / clean.html / clean.txt   no error
    defect-t3-sum.docx            表三 “（一）予以公开” 自然人 21 → 22 (row and column sums break)
    defect-empty-cell.docx        表三 a 0 written as “/”
    defect-missing-section.docx   part 四 (heading and 表四) deleted
    defect-part-count.docx        the preamble says 五个部分
    defect-period.docx            statistics period 2022年1月1日至12月31日
    defect-2019-tables.docx       表二 and 表三 in the 2019 format
    defect-notice.docx            the format cited as 国办公开办函〔2019〕60号
    defect-rulemaker.docx         a county department (沧澜县自然资源局) reporting 规章
    defect-data-cell.docx         表二 行政强制 5 where the data file says 4 (check with --data)

The module also exposes the builders (tables_layout, write_docx …) for the tests, which
rebuild the seed report as a .docx the same way.
"""

from __future__ import annotations

import copy
import html
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
NBSP = "\u00a0"

# ---------------------------------------------------------------- the text of the clean draft

BODY = "云岭市自然资源和规划局"
TITLE = f"{BODY}2023年政府信息公开工作年度报告"

PREAMBLE = (
    "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》"
    "（国办公开办函〔2021〕30号）要求，结合《云岭市人民政府办公室关于做好2023年度政府信息公开工作年度报告编制和发布工作的通知》"
    "（云政办函〔2023〕96号），由云岭市自然资源和规划局编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
    "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。"
    "本报告中使用数据统计期限为2023年1月1日至12月31日。报告电子版可在云岭市自然资源和规划局门户网站"
    "（http://zrzy.yunling.gov.cn/）查阅下载。如对本报告有疑问，请与云岭市自然资源和规划局办公室联系"
    "（地址：云岭市北城区政务中心B座7楼，电话：0871-6528314，邮编：650228）。"
)

OVERVIEW = [
    ("h1", "一、总体情况"),
    ("p", "2023年，市自然资源和规划局以贯彻落实《条例》为主线，围绕国土空间规划、耕地保护、不动产登记等群众关注的重点领域，"
          "持续推进决策、执行、管理、服务、结果公开，全年主动公开政府信息1126条。"),
    ("h2", "（一）主动公开"),
    ("p", "聚焦重点领域。在门户网站设置国土空间总体规划、耕地保护和土地征收、不动产登记便民服务三个专题，分别发布信息38条、112条、67条。"
          "对全年批复的41个土地征收项目，在征收启动、补偿安置、批后实施三个环节逐项公开批文、公告和补偿标准。"),
    ("p", "做好政策解读。全年公开行政规范性文件6件，全部同步配套解读；围绕规划编制、耕地占补平衡等发布政策解读14篇。"
          "依据自然资源领域基层政务公开标准目录梳理公开事项，覆盖9个领域，编制一级目录27个、二级目录146个。"),
    ("h2", "（二）依申请公开"),
    ("p", "规范答复文书。修订依申请公开答复文书模板，统一告知事项、法律依据和救济途径，答复前一律经法制科室审核。"
          "全年新收政府信息公开申请67件，上年结转5件；办结68件，其中予以公开28件、部分公开7件、不予公开3件、无法提供22件、"
          "不予处理5件、其他处理3件，结转下年度继续办理4件。通过网上平台提交的申请占83.8%。"
          "因政府信息公开被申请行政复议3件、提起行政诉讼2件。"),
    ("h2", "（三）政府信息管理"),
    ("p", "加强源头认定。2023年4月18日印发《云岭市自然资源和规划局政府信息公开属性源头认定办法》（云自然资规〔2023〕3号），"
          "公文起草时同步确定公开属性，全年开展公开属性审查和保密审查1356件。按月开展信息发布监测，全年监测12次、印发通报12期；"
          "清理行政规范性文件58件。"),
    ("h2", "（四）政府信息公开平台建设"),
    ("p", "优化专栏设置。按照标准目录调整政府信息公开专栏，新增“国土空间规划”“耕地保护”两个子栏目。"
          "每季度开展网站错别字和隐私信息排查各1次，全年召开新闻发布会5场、开展在线访谈3期。"
          "纳入监管的政务新媒体账号3个，关停整合1个，“云岭自然资源”公众号全年发布信息642条；"
          "“12345”热线转办的自然资源类诉求2317件全部按期办结。"),
    ("h2", "（五）监督保障"),
    ("p", "压实工作责任。局主要负责同志牵头研究部署政务公开工作，将政务公开纳入科室年度目标考核，考核结果与评优评先挂钩。"
          "新增专职工作人员2名，全年举办业务培训3次、培训120人次，未发生政务公开责任追究情况。"),
]

PROBLEMS = [
    ("h1", "五、存在的主要问题及改进情况"),
    ("p", "（一）上年度问题整改情况。针对上年度报告指出的政务新媒体内容更新频率不稳定问题，制定政务新媒体内容发布计划，"
          "明确专人每周审核，全年主账号发布信息642条。"),
    ("p", "（二）存在的主要问题。一是政策解读以文字解读为主，图表、视频等形式运用较少，对规划类文件的解读不够通俗；"
          "二是全年有1件依申请公开答复在行政复议中被纠正，个别答复说理不够充分；"
          "三是部分业务科室对不动产登记、矿业权出让等信息的更新不够及时。"),
    ("p", "（三）改进措施。一是2024年6月底前，对重要规划和政策文件全部采用图解、短视频等形式开展解读，并邀请业务科室负责人参与在线访谈；"
          "二是组织复盘被纠正案件，完善答复说理要求，对不予公开、无法提供类答复实行法制审核全覆盖；"
          "三是建立重点信息更新台账，按月通报各科室信息更新情况，并纳入科室年度目标考核。"),
]

OTHER = [
    ("h1", "六、其他需要报告的事项"),
    ("p", "（一）信息处理费收取情况。本年度未收取信息处理费。"),
    ("p", "（二）建议提案办理结果公开情况。全年办理市人大代表建议18件、市政协委员提案11件，办理结果已全部公开。"),
    ("p", "（三）政务公开工作创新情况。在不动产登记大厅设置政府信息查阅点，提供规划成果和征地信息的现场查询服务。"),
]

SIGNATURE = [("sign", BODY), ("sign", "2024年1月22日")]

LEAD_T2 = "本部分以表格形式报告。"
LEAD_T4 = "全年因政府信息公开工作被申请行政复议3件、提起行政诉讼2件，具体情况如下："

# ---------------------------------------------------------------- table data

TABLE2_2021 = {
    "regulations": ["0", "0", "0"], "normative_docs": ["6", "2", "41"],
    "licensing": ["1386"], "penalty": [NBSP + "57"], "enforcement": ["4"], "fees": ["1523.46"],
}
TABLE2_2019 = {  # the defect copy: the same body's figures squeezed into the 2019 form
    "regulations": ["0", "0", "0"], "normative_docs": ["6", "6", "41"],
    "licensing": ["52", "增2", "1386"], "other_services": ["31", "减1", "212"],
    "penalty": ["88", "增0", "57"], "enforcement": ["9", "增0", "4"],
    "fees": ["3", "减1"], "procurement": ["9", "286.5万元"],
}
T3_COLS = ["natural", "business", "research", "nonprofit", "legal", "other", "total"]
TABLE3 = {
    "r1": [52, 9, 1, 0, 3, 2, 67], "r2": [4, 1, 0, 0, 0, 0, 5],
    "r3_1": [21, 4, 1, 0, 1, 1, 28], "r3_2": [5, 1, 0, 0, 1, 0, 7],
    "r3_3_1": [0] * 7, "r3_3_2": [0] * 7, "r3_3_3": [0] * 7, "r3_3_4": [2, 0, 0, 0, 0, 0, 2],
    "r3_3_5": [0] * 7, "r3_3_6": [1, 0, 0, 0, 0, 0, 1], "r3_3_7": [0] * 7, "r3_3_8": [0] * 7,
    "r3_4_1": [14, 3, 0, 0, 1, 1, 19], "r3_4_2": [3, 0, 0, 0, 0, 0, 3], "r3_4_3": [0] * 7,
    "r3_5_1": [3, 0, 0, 0, 0, 0, 3], "r3_5_2": [2, 0, 0, 0, 0, 0, 2], "r3_5_3": [0] * 7, "r3_5_4": [0] * 7,
    "r3_5_5": [0] * 7,
    "r3_6_1": [1, 1, 0, 0, 0, 0, 2], "r3_6_2": [0] * 7, "r3_6_3": [1, 0, 0, 0, 0, 0, 1],
    "r3_7": [53, 9, 1, 0, 3, 2, 68], "r4": [3, 1, 0, 0, 0, 0, 4],
}
TABLE4 = {"review": [1, 1, 0, 1, 3], "direct": [1, 0, 0, 0, 1], "after_review": [0, 0, 0, 1, 1]}


def text_cells(rows: dict[str, list]) -> dict[str, list[str]]:
    return {k: [str(v) for v in vals] for k, vals in rows.items()}


# ---------------------------------------------------------------- table layouts (the official form)


@dataclass
class GridCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    label: bool = True


@dataclass
class Layout:
    n_rows: int
    n_cols: int
    cells: list[GridCell]


def _fmt(fmt_id: str):
    from report_writer.formats import get_format

    return get_format(fmt_id)


def table2_layout(fmt_id: str, values: dict[str, list[str]]) -> Layout:
    table = _fmt(fmt_id).table("table2")
    n_vals = max(len(b.columns) for b in table.blocks)
    cells, r = [], 0
    for block in table.blocks:
        cells.append(GridCell(r, 0, block.caption, colspan=n_vals + 1))
        r += 1
        cells.append(GridCell(r, 0, table.label_header or "信息内容"))
        spans = _spread(len(block.columns), n_vals)
        c = 1
        for col, span in zip(block.columns, spans):
            cells.append(GridCell(r, c, col.label, colspan=span))
            c += span
        r += 1
        for row in block.rows:
            cells.append(GridCell(r, 0, row.label))
            c = 1
            for v, span in zip(values.get(row.id, [""] * len(block.columns)), spans):
                cells.append(GridCell(r, c, v, colspan=span, label=False))
                c += span
            r += 1
    return Layout(r, n_vals + 1, cells)


def _spread(n: int, width: int) -> list[int]:
    if n == width:
        return [1] * n
    if n == 1:
        return [width]
    return [1] * (n - 1) + [width - n + 1]


def table3_layout(fmt_id: str, values: dict[str, list[str]]) -> Layout:
    """3 label columns, 3 header rows, 7 numeric columns, groups merged vertically."""
    table = _fmt(fmt_id).table("table3")
    cells = [GridCell(0, 0, table.corner_note or "", rowspan=3, colspan=3),
             GridCell(0, 3, table.header.get("top", "申请人情况"), colspan=7),
             GridCell(1, 3, "自然人", rowspan=2), GridCell(1, 4, table.header.get("group", "法人或其他组织"), colspan=5),
             GridCell(1, 9, "总计", rowspan=2)]
    for k, col in enumerate(table.columns[1:6]):
        cells.append(GridCell(2, 4 + k, col.label))
    rows = table.rows
    r = 3
    index = {row.id: row for row in rows}
    data_rows = [row for row in rows if not row.group]
    positions = {}
    for row in data_rows:
        positions[row.id] = r
        r += 1
    for row in data_rows:
        rr = positions[row.id]
        depth = 0
        p = row.parent
        while p:
            depth += 1
            p = index[p].parent
        start_col = depth  # 0: top level, 1: under 三, 2: under （三）…
        cells.append(GridCell(rr, start_col, row.label, colspan=3 - start_col))
        for k, v in enumerate(values.get(row.id, [""] * 7)):
            cells.append(GridCell(rr, 3 + k, v, label=False))
    for g in (row for row in rows if row.group):
        members = [row for row in data_rows if _under(row, g.id, index)]
        first = min(positions[m.id] for m in members)
        depth = 0 if g.parent is None else 1
        cells.append(GridCell(first, depth, g.label, rowspan=len(members)))
    return Layout(r, 10, cells)


def _under(row, gid, index) -> bool:
    p = row.parent
    while p:
        if p == gid:
            return True
        p = index[p].parent
    return False


def table4_layout(values: dict[str, list[str]]) -> Layout:
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    cells = [GridCell(0, 0, "行政复议", rowspan=2, colspan=5), GridCell(0, 5, "行政诉讼", colspan=10),
             GridCell(1, 5, "未经复议直接起诉", colspan=5), GridCell(1, 10, "复议后起诉", colspan=5)]
    for g in range(3):
        for k, lab in enumerate(labels):
            cells.append(GridCell(2, g * 5 + k, lab))
    for g, rid in enumerate(("review", "direct", "after_review")):
        for k, v in enumerate(values[rid]):
            cells.append(GridCell(3, g * 5 + k, v, label=False))
    return Layout(4, 15, cells)


def split_layout(layout: Layout, at_row: int) -> tuple[Layout, Layout]:
    """Split a table before grid row `at_row` as Word's 拆分表格 does: merged cells are cut,
    the text stays in the upper part, the lower part starts with empty continuation cells."""
    top, bottom = [], []
    for c in layout.cells:
        end = c.row + c.rowspan
        if end <= at_row:
            top.append(c)
        elif c.row >= at_row:
            bottom.append(GridCell(c.row - at_row, c.col, c.text, c.rowspan, c.colspan, c.label))
        else:
            top.append(GridCell(c.row, c.col, c.text, at_row - c.row, c.colspan, c.label))
            bottom.append(GridCell(0, c.col, "", end - at_row, c.colspan, c.label))
    return Layout(at_row, layout.n_cols, top), Layout(layout.n_rows - at_row, layout.n_cols, bottom)


# ---------------------------------------------------------------- Word output with direct formatting


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rfonts.set(qn(attr), name)


def _para(doc, text: str, role: str) -> None:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if role == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), "方正小标宋简体", 22)
        return
    fmt.line_spacing = Pt(28)
    if role == "sign":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run(text), "仿宋_GB2312", 16)
        return
    fmt.first_line_indent = Pt(32)
    if role == "h1":
        _font(p.add_run(text), "黑体", 16)
    elif role == "h2":
        _font(p.add_run(text), "楷体_GB2312", 16)
    else:
        # A clerk's paragraph: a lead phrase typed in bold, then the rest in a second run.
        lead_end = text.find("。")
        if 0 < lead_end < 12 and not text.startswith("（"):
            _font(p.add_run(text[: lead_end + 1]), "仿宋_GB2312", 16, bold=True)
            _font(p.add_run(text[lead_end + 1:]), "仿宋_GB2312", 16)
        elif text:
            _font(p.add_run(text), "仿宋_GB2312", 16)


def _table(doc, layout: Layout) -> None:
    t = doc.add_table(rows=layout.n_rows, cols=layout.n_cols)
    t.style = doc.styles["Table Grid"]
    for c in layout.cells:
        cell = t.cell(c.row, c.col)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(t.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER if not c.label or c.colspan > 3 else WD_ALIGN_PARAGRAPH.LEFT
        if c.text:
            _font(para.add_run(c.text), "宋体", 10.5)


Block = tuple  # ("title"|"p"|"h1"|"h2"|"sign", text) or ("table", Layout)


def write_docx(blocks: list[Block], path: Path) -> None:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    for kind, content in blocks:
        if kind == "table":
            _table(doc, content)
        elif kind == "tables":  # a table the user split: two tables with an empty paragraph between
            _table(doc, content[0])
            doc.add_paragraph()
            _table(doc, content[1])
        else:
            _para(doc, content, kind)
    doc.core_properties.author = "云岭市自然资源和规划局办公室"
    doc.save(str(path))


# ---------------------------------------------------------------- HTML and text


def _html_table(layout: Layout) -> str:
    rows: dict[int, list[GridCell]] = {}
    for c in layout.cells:
        rows.setdefault(c.row, []).append(c)
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">']
    for r in range(layout.n_rows):
        out.append("<tr>")
        for c in sorted(rows.get(r, []), key=lambda c: c.col):
            attrs = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            text = html.escape(c.text).replace(NBSP, "&nbsp;")
            out.append(f'<td{attrs}><p style="text-align:center"><span style="font-family:宋体">{text}</span></p></td>')
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def write_html(blocks: list[Block], path: Path) -> None:
    body = []
    for kind, content in blocks:
        if kind == "title":
            body.append(f'<h1 class="article-title">{html.escape(content)}</h1>')
            body.append('<div class="article-info">发布时间：2024-01-22 10:30　来源：办公室　浏览次数：<span>312</span></div>')
            body.append('<div class="article-content" id="zoom">')
        elif kind == "table":
            body.append(_html_table(content))
        elif kind == "tables":
            body.append(_html_table(content[0]))
            body.append(_html_table(content[1]))
        elif kind in ("h1", "h2"):
            body.append(f'<p style="text-indent:2em"><strong>{html.escape(content)}</strong></p>')
        elif kind == "sign":
            body.append(f'<p style="text-align:right">{html.escape(content)}</p>')
        else:
            body.append(f'<p style="text-indent:2em">{html.escape(content)}</p>')
    body.append("</div>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{html.escape(TITLE)}_云岭市自然资源和规划局</title>
<link rel="stylesheet" href="/css/main.css"></head>
<body>
<div class="header"><div class="logo">云岭市自然资源和规划局</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul>
<form class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></form></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="article">
{chr(10).join(body)}
<div class="article-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="footer"><p>主办：云岭市自然资源和规划局　地址：云岭市北城区政务中心B座7楼　电话：0871-6528314</p>
<p>网站标识码：5301000099　滇ICP备00000000号</p></div>
</body></html>
"""
    path.write_text(page, encoding="utf-8")


def write_text(blocks: list[Block], path: Path) -> None:
    """Plain text as Word's 另存为纯文本 writes it: a table row per line, cells separated by tabs."""
    lines = []
    for kind, content in blocks:
        layouts = [content] if kind == "table" else list(content) if kind == "tables" else None
        if layouts is None:
            lines.append(content)
            continue
        for layout in layouts:
            rows: dict[int, list[GridCell]] = {}
            for c in layout.cells:
                rows.setdefault(c.row, []).append(c)
            for r in range(layout.n_rows):
                lines.append("\t".join(c.text for c in sorted(rows.get(r, []), key=lambda c: c.col)))
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- the drafts


def draft_blocks(*, t3_values=None, t2=("2021", TABLE2_2021), t3_format="2021", t3_override=None,
                 drop_appeals=False, preamble=PREAMBLE, title=TITLE, replace=None) -> list[Block]:
    t3 = text_cells(t3_values or TABLE3)
    if t3_format == "2019":
        t3 = {k: v for k, v in t3.items() if not k.startswith("r3_6_")}
        t3["r3_6"] = [str(sum(int(TABLE3[f"r3_6_{i}"][k]) for i in (1, 2, 3))) for k in range(7)]
    for (rid, k), v in (t3_override or {}).items():
        t3[rid] = list(t3[rid])
        t3[rid][k] = v
    layout3 = table3_layout(t3_format, t3)
    # The user split 表三 after （三）不予公开 (3 header rows + 2 + 2 + 8 data rows).
    part1, part2 = split_layout(layout3, 15)
    blocks: list[Block] = [("title", title), ("p", preamble)]
    blocks += OVERVIEW
    blocks += [("h1", "二、主动公开政府信息情况"), ("p", LEAD_T2), ("table", table2_layout(t2[0], t2[1]))]
    blocks += [("h1", "三、收到和处理政府信息公开申请情况"), ("tables", (part1, part2))]
    if not drop_appeals:
        blocks += [("h1", "四、政府信息公开行政复议、行政诉讼情况"), ("p", LEAD_T4),
                   ("table", table4_layout(text_cells(TABLE4)))]
    blocks += PROBLEMS + OTHER + SIGNATURE
    if replace:
        blocks = [(k, _replace(c, replace)) if isinstance(c, str) else (k, c) for k, c in blocks]
    return blocks


def _replace(text: str, pairs) -> str:
    for a, b in pairs:
        text = text.replace(a, b)
    return text


def _t2_with(**changes) -> tuple[str, dict]:
    t2 = copy.deepcopy(TABLE2_2021)
    t2.update(changes)
    return ("2021", t2)


DEFECTS: dict[str, dict] = {
    "defect-t3-sum": {"t3_override": {("r3_1", 0): "22"}},
    "defect-empty-cell": {"t3_override": {("r3_3_2", 1): "/"}},
    "defect-missing-section": {"drop_appeals": True},
    "defect-part-count": {"preamble": PREAMBLE.replace("六个部分", "五个部分")},
    "defect-period": {"preamble": PREAMBLE.replace("2023年1月1日至12月31日", "2022年1月1日至12月31日")},
    "defect-2019-tables": {"t2": ("2019", TABLE2_2019), "t3_format": "2019"},
    "defect-notice": {"preamble": PREAMBLE.replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号")},
    "defect-rulemaker": {"t2": _t2_with(regulations=["0", "0", "2"]),
                         "replace": [("云岭市自然资源和规划局", "沧澜县自然资源局"), ("市自然资源和规划局", "县自然资源局")]},
    "defect-data-cell": {"t2": _t2_with(enforcement=["5"])},
}


def build(out_dir: Path = HERE) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    clean = draft_blocks()
    for name, writer in (("clean.docx", write_docx), ("clean.html", write_html), ("clean.txt", write_text)):
        writer(clean, out_dir / name)
        written.append(out_dir / name)
    for name, kwargs in DEFECTS.items():
        write_docx(draft_blocks(**kwargs), out_dir / f"{name}.docx")
        written.append(out_dir / f"{name}.docx")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for p in build(target):
        print(p)
