"""Each document rule of `check`, firing and not firing, on documents built by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from report_writer.check import judge_document as jd
from report_writer.check.api import build_report, infer_level, make_locator
from report_writer.read.document import Paragraph, SourceDocument
from report_writer.check.judge_tables import compare_with_data, consolidate_sums
from report_writer.read.structure import find_sections, find_title
from report_writer.formats import get_format
from report_writer.data.loader import load
from report_writer.data.model import Cell, Meta, ReportData
from report_writer.rules import run_rules

YUNLING = "examples/yunling-zrzy-2023.yaml"

PREAMBLE = ("本报告依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
            "（国办公开办函〔2021〕30号）编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分。"
            "本报告中使用数据统计期限为2023年1月1日至12月31日。")
HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


# 五 and 六 as a real report fills them, so that X-SEC5 and X-FEE stay quiet unless a test says so
DEFAULT_BODY = {
    "五": "一是政策解读形式较为单一，图解、视频等解读运用不多；二是部分栏目信息更新不够及时。"
          "下一步，将丰富解读形式，建立栏目更新台账，按月通报更新情况。",
    "六": "本年度未收取信息处理费。",
}


def make_doc(*, title="云岭市自然资源和规划局2023年政府信息公开工作年度报告", preamble=PREAMBLE,
             headings=HEADINGS, body=None, tail=("云岭市自然资源和规划局", "2024年1月22日")) -> SourceDocument:
    texts = [title, preamble]
    for h in headings:
        texts.append(h)
        texts.append((body or {}).get(h[:1], DEFAULT_BODY.get(h[:1], "本部分情况如下。")))
    texts += list(tail)
    return SourceDocument(path="t.docx", kind="docx",
                          paragraphs=[Paragraph(i, t) for i, t in enumerate(texts)])


@dataclass
class FakeMapped:
    format_id: str | None = "2021"
    formats_seen: set = field(default_factory=lambda: {"2021"})
    tables: dict = field(default_factory=dict)
    positions: dict = field(default_factory=dict)
    table_positions: dict = field(default_factory=lambda: {"table2": 0, "table3": 1, "table4": 2})
    findings: list = field(default_factory=list)


def ctx_of(doc, mapped=None, data=None) -> jd.Context:
    sections = find_sections(doc)
    title = find_title(doc)
    report, source, known = build_report(doc, title, mapped, data)
    ctx = jd.Context(doc=doc, sections=sections, mapped=mapped, report=report,
                     year=report.meta.year if source else None, year_source=source, title=title,
                     para_section=jd.paragraph_sections(doc, sections))
    ctx.level_known = known
    return ctx


def rules(findings):
    return sorted(f.rule for f in findings)


def test_clean_document_passes_every_document_rule():
    assert jd.judge_document(ctx_of(make_doc(), FakeMapped())) == []


# ---------------------------------------------------------------- sections


def test_missing_section_reported_once_at_next_heading():
    doc = make_doc(headings=[h for h in HEADINGS if not h.startswith("四")])
    fs = jd.check_sections(ctx_of(doc))
    assert rules(fs) == ["SEC-MISSING"]
    assert fs[0].location.section == "appeals"
    assert doc.paragraphs[fs[0].location.paragraph].text.startswith("五、")
    # The preamble still announces six parts: that is not a second finding.
    assert jd.check_section_count(ctx_of(doc)) == []


def test_section_order():
    hs = list(HEADINGS)
    hs[4], hs[5] = hs[5], hs[4]
    fs = jd.check_sections(ctx_of(make_doc(headings=hs)))
    assert rules(fs) == ["SEC-ORDER"]
    assert fs[0].found == "五、存在的主要问题及改进情况"


@pytest.mark.parametrize("announced,fires", [("六个部分", False), ("五个部分", True), ("七部分", True),
                                             ("6个部分", False), ("5个部分", True)])
def test_section_count(announced, fires):
    doc = make_doc(preamble=PREAMBLE.replace("六个部分", announced))
    fs = jd.check_section_count(ctx_of(doc))
    assert rules(fs) == (["SEC-COUNT"] if fires else [])
    if fires:
        p = doc.paragraphs[fs[0].location.paragraph].text
        assert p[fs[0].location.start:fs[0].location.end] == announced[:-3].rstrip("个") or announced.startswith(
            p[fs[0].location.start:fs[0].location.end])


def test_section_count_list_form_omitting_a_part():
    pre = ("本报告依据《条例》编制。报告主要包括：总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
           "存在的主要问题及改进情况和其他需要报告的事项。本报告中使用数据统计期限为2023年1月1日至12月31日。")
    fs = jd.check_section_count(ctx_of(make_doc(preamble=pre)))
    assert rules(fs) == ["SEC-COUNT"] and fs[0].level == "warning"
    full = pre.replace("收到和处理政府信息公开申请情况、", "收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、")
    assert jd.check_section_count(ctx_of(make_doc(preamble=full))) == []


# ---------------------------------------------------------------- period and dates


def test_period_of_another_year_is_an_error_on_the_year_digits():
    doc = make_doc(preamble=PREAMBLE.replace("2023年1月1日", "2022年1月1日"))
    fs = jd.check_period(ctx_of(doc))
    assert rules(fs) == ["PERIOD"] and fs[0].level == "error"
    loc = fs[0].location
    assert doc.paragraphs[loc.paragraph].text[loc.start:loc.end] == "2022"
    assert loc.section == "preamble"


def test_period_missing_is_a_warning():
    doc = make_doc(preamble=PREAMBLE.replace("本报告中使用数据统计期限为2023年1月1日至12月31日。", ""))
    fs = jd.check_period(ctx_of(doc))
    assert rules(fs) == ["PERIOD"] and fs[0].level == "warning"


def test_period_with_repeated_year_and_the_2021_example():
    doc = make_doc(title="某某县人民政府2021年政府信息公开工作年度报告",
                   preamble=PREAMBLE.replace("2023年1月1日至12月31日", "2020年1月1日至2020年12月31日"))
    fs = jd.check_period(ctx_of(doc))
    assert rules(fs) == ["PERIOD"] and fs[0].expected == "2021年1月1日至12月31日"
    ok = make_doc(preamble=PREAMBLE.replace("2023年1月1日至12月31日", "2023年1月1日至2023年12月31日"))
    assert jd.check_period(ctx_of(ok)) == []


def test_dates_after_the_deadline():
    late = make_doc(tail=("云岭市自然资源和规划局", "2024年3月5日"))
    fs = jd.check_dates(ctx_of(late))
    assert rules(fs) == ["DATE"] and fs[0].found == "2024年3月5日"
    # A government's own report may be published until 31 March.
    gov = make_doc(title="云岭市人民政府2023年政府信息公开工作年度报告", tail=("云岭市人民政府", "2024年3月5日"))
    assert jd.check_dates(ctx_of(gov)) == []
    # Plans in 五 and sentences about the future are not findings.
    plan = make_doc(body={"五": "下一步，将于2024年6月30日前完成专栏改版。"},
                    tail=("云岭市自然资源和规划局", "2024年1月22日"))
    assert jd.check_dates(ctx_of(plan)) == []
    wrong_year = make_doc(body={"一": "2026年5月8日召开了政务公开工作会议。"})
    fs = jd.check_dates(ctx_of(wrong_year))
    assert rules(fs) == ["DATE"] and "晚于报告年度的次年" in fs[0].message


def test_impossible_date():
    fs = jd.check_dates(ctx_of(make_doc(body={"一": "2023年2月30日印发了办法。"})))
    assert rules(fs) == ["DATE"] and fs[0].level == "error"


# ---------------------------------------------------------------- notice


@pytest.mark.parametrize("text,fires", [
    ("国办公开办函〔2021〕30号", False),
    ("国办公开办函〔2019〕60号", True),  # 2023 report citing the 2019 format
    ("国办公开办函〔2021〕3号", True),  # garbled
    ("国办公开办函[2021]30号", False),  # other brackets, right number
])
def test_notice_number(text, fires):
    doc = make_doc(preamble=PREAMBLE.replace("国办公开办函〔2021〕30号", text))
    fs = jd.check_notice(ctx_of(doc))
    assert rules(fs) == (["NOTICE-NUMBER"] if fires else [])
    if fires:
        loc = fs[0].location
        assert doc.paragraphs[loc.paragraph].text[loc.start:loc.end] == text
        assert fs[0].expected == "国办公开办函〔2021〕30号"


def test_notice_2019_number_is_right_for_a_2020_report():
    doc = make_doc(title="金寨县人民政府2020年政府信息公开工作年度报告",
                   preamble=PREAMBLE.replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号")
                   .replace("2023年1月1日", "2020年1月1日")
                   .replace("《中华人民共和国政府信息公开工作年度报告格式》", "《中华人民共和国政府信息公开工作年度报告格式（试行）》"),
                   tail=("金寨县人民政府", "2021年1月20日"))
    assert jd.judge_document(ctx_of(doc, FakeMapped(format_id="2019", formats_seen={"2019"}))) == []


def test_notice_title_misspelled():
    doc = make_doc(preamble=PREAMBLE.replace("《中华人民共和国政府信息公开工作年度报告格式》", "《中华人民共和国政府信息年度报告格式》"))
    fs = jd.check_notice(ctx_of(doc))
    assert rules(fs) == ["NOTICE-NUMBER"]
    assert fs[0].expected == "《中华人民共和国政府信息公开工作年度报告格式》"
    # Other notices numbered 国办公开办函 in sentences not about the format are left alone.
    other = make_doc(body={"一": "按照国办公开办函〔2020〕17号要求开展自查。"})
    assert jd.check_notice(ctx_of(other)) == []


# ---------------------------------------------------------------- format version of the tables


def test_table_format():
    assert jd.check_table_format(ctx_of(make_doc(), FakeMapped())) == []
    fs = jd.check_table_format(ctx_of(make_doc(), FakeMapped(format_id="2019", formats_seen={"2019"})))
    assert rules(fs) == ["X-FORMAT"] and fs[0].location.table == "table2"
    mixed = jd.check_table_format(ctx_of(make_doc(), FakeMapped(format_id="2021", formats_seen={"2019", "2021"})))
    assert rules(mixed) == ["X-FORMAT"] and "混用" in mixed[0].message


# ---------------------------------------------------------------- meta inference


@pytest.mark.parametrize("body,level", [
    ("云岭市自然资源和规划局", "市级部门"),
    ("沧澜县自然资源局", "县级部门"),
    ("金寨县人民政府", "县级政府"),
    ("云岭市人民政府", "市级政府"),
    ("云岭市人民政府办公室", "市级部门"),
    ("云岭市北城区人民政府", "县级政府"),
    ("云岭市北城区住房和城乡建设局", "县级部门"),
    ("沧澜县青石镇人民政府", "乡镇/街道"),
    ("云岭市北城区东关街道办事处", "乡镇/街道"),
    ("滇中省人民政府", "省级政府"),
    ("滇中省教育厅", "省级部门"),
    ("沧澜县城市管理局", "县级部门"),
    ("云岭高新技术产业开发区管理委员会", "开发区"),
    ("自然资源部", "国务院部门"),
    ("某某", None),
])
def test_infer_level(body, level):
    assert infer_level(body) == level


# ---------------------------------------------------------------- table rules on the document's tables


def _yunling():
    return load(YUNLING).data


def test_sum_cell_merges_the_row_and_column_sum_into_one_finding():
    data = _yunling()
    doc_data = data.model_copy(deep=True)
    doc_data.tables["table3"]["r3_1"]["natural"] = Cell.number(22)
    fmt = get_format("2021")
    positions = {("table3", "r3_1", "natural"): (1, 5, 3)}
    locate = make_locator(SourceDocument(path="t.docx", kind="docx"), FakeMapped(positions=positions), fmt)
    raw = [f for f in run_rules(fmt, doc_data, locate) if f.rule.startswith("T3")]
    assert rules(raw) == ["T3-RESULTSUM", "T3-ROWSUM"]
    merged = consolidate_sums(fmt, doc_data, raw, locate)
    assert rules(merged) == ["SUM-CELL"]
    f = merged[0]
    assert (f.expected, f.found) == ("21", "22")
    assert (f.location.table, f.location.row, f.location.col) == ("table3", "r3_1", "natural")
    assert (f.location.table_index, f.location.cell_row, f.location.cell_col) == (1, 5, 3)


def test_sum_findings_kept_when_no_single_cell_explains_them():
    data = _yunling()
    doc_data = data.model_copy(deep=True)
    doc_data.tables["table3"]["r3_1"]["natural"] = Cell.number(22)
    doc_data.tables["table3"]["r3_4_1"]["business"] = Cell.number(5)
    fmt = get_format("2021")
    locate = make_locator(SourceDocument(path="t.docx", kind="docx"), FakeMapped(), fmt)
    raw = run_rules(fmt, doc_data, locate)
    assert consolidate_sums(fmt, doc_data, raw, locate) == raw
    single = data.model_copy(deep=True)
    single.tables["table4"]["review"]["total"] = Cell.number(4)
    raw4 = run_rules(fmt, single, locate)
    assert rules(consolidate_sums(fmt, single, raw4, locate)) == ["T4-SUM"]


def test_data_cell():
    data = _yunling()
    fmt = get_format("2021")
    locate = make_locator(SourceDocument(path="t.docx", kind="docx"), FakeMapped(), fmt)
    assert compare_with_data(fmt, data, data, locate) == []
    doc_data = data.model_copy(deep=True)
    doc_data.tables["table2"]["enforcement"]["decisions"] = Cell.number(5)
    doc_data.tables["table2"]["fees"]["amount"] = Cell.number(Decimal("1523.46"))
    doc_data.tables["table3"]["r3_3_1"]["natural"] = Cell(state="slash", raw="/")  # CELL-EMPTY's, not ours
    fs = compare_with_data(fmt, doc_data, data, locate)
    assert rules(fs) == ["DATA-CELL"]
    assert (fs[0].location.row, fs[0].expected, fs[0].found) == ("enforcement", "4", "5")


def test_build_report_meta():
    doc = make_doc(title="沧澜县自然资源局2023年政府信息公开工作年度报告")
    report, source, known = build_report(doc, find_title(doc), FakeMapped(), None)
    assert (report.meta.body, report.meta.level, report.meta.year, source, known) == (
        "沧澜县自然资源局", "县级部门", 2023, "title", True)
    assert not report.meta.may_make_regulations()
    unknown = make_doc(title="关于政府信息公开工作年度报告")
    report, source, known = build_report(unknown, find_title(unknown), None, None)
    assert report.meta.may_make_regulations()  # unknown level: never claim the body lacks the power
    assert source == "period" and report.meta.year == 2023
    data = ReportData(meta=Meta(body="沧澜县自然资源局", level="市级部门", year=2023))
    report, source, known = build_report(doc, find_title(doc), FakeMapped(), data)
    assert report.meta.level == "市级部门" and known
