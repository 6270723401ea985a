"""Issue 14: the inconsistencies real published reports contain, on sentences in their style.

Narrative rules are tested through narrative_findings on a built document with the 云岭
example's tables; document rules through check_document on the clean example draft with
one sentence changed. The real-file tests at the end read ../shared/real.
"""

from __future__ import annotations

import re

import pytest
import yaml

from report_writer.check.api import check_document
from report_writer.data.loader import load
from report_writer.data.model import Meta, ReportData
from report_writer.nlp.judge import narrative_findings
from report_writer.read.errors import ReadError

from .conftest import EXAMPLES, shared_file
from .test_nlp_judge import build, clean_body, findings

CLEAN = (EXAMPLES / "drafts" / "clean.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def yunling():
    return load(EXAMPLES / "yunling-zrzy-2023.yaml").data


def untabled():
    """A report whose tables could not be read: the narrative is judged against itself only."""
    return ReportData(meta=Meta(body="云岭市自然资源和规划局", level="市级部门", year=2023, format="2021"), tables={})
PINGTAN_2599 = ("今年，我区政府信息公开单位共公布政府信息2599条，(其中机构职能类信息25条，政策、规范性文件类信息68条，"
                "规划计划类信息28条，行政许可类信息69条，重大建设项目信息90条，为民办实事类信息175条，民政扶贫救灾社会保障"
                "就业类信息67条，国土资源城乡建设环保能源类信息983条，科教文体卫生类信息48条，安全生产、应急管理类信息124条，"
                "其他应主动公开政府信息856条)对于主动公开的政府信息，主要通过政府门户网站发布公开。")
PINGTAN_380 = ("今年共发布380条财政资金信息，其中专项资金152条，预决算公开197条（政府预决算32条、部门预决算公开165条）、"
               "“三公”经费27条、债券发行4条。")


def narrative(yunling, *paras: str) -> list:
    _, fs = findings(clean_body(overview=["2023年，市自然资源和规划局持续推进政务公开。", *paras]), yunling)
    return fs


def rules(fs, *ids) -> list[tuple[str, str]]:
    return [(f.rule, f.level) for f in fs if f.rule in ids]


def check_text(tmp_path, text: str) -> list:
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    return check_document(path).findings


# ---------------------------------------------------------------- 1. parts against a declared total


def test_bracketed_list_ending_in_a_catch_all_must_add_up(yunling):
    [f] = [f for f in narrative(yunling, PINGTAN_2599) if f.rule == "NUM-SUM"]
    assert f.level == "error" and f.expected == "2599条" and f.found == "2533条"
    assert "其他" in f.message


def test_nested_breakdown_is_a_part_of_a_part(yunling):
    assert rules(narrative(yunling, PINGTAN_380), "NUM-SUM") == []
    wrong = PINGTAN_380.replace("专项资金152条", "专项资金150条")
    [f] = [f for f in narrative(yunling, wrong) if f.rule == "NUM-SUM"]
    assert f.level == "error" and f.found == "378条"


def test_qizhong_before_every_district_lists_the_whole(yunling):
    text = "全年共制作119期政策简明问答，其中，市级45期、宿城区28期、宿豫区22期、泗阳县15期、沭阳县5期、泗洪县2期。"
    [f] = [f for f in narrative(yunling, text) if f.rule == "NUM-SUM"]
    assert (f.level, f.found) == ("error", "117期")
    assert rules(narrative(yunling, text.replace("市级45期", "市级47期")), "NUM-SUM") == []


def test_a_list_that_is_not_declared_complete_may_fall_short(yunling):
    for text in ("全年共开展征集调查33期，其中线上调查20期、线下座谈5期。",
                 "全年共开展征集调查33期，主要有线上调查20期、线下座谈5期等。"):
        assert rules(narrative(yunling, text), "NUM-SUM") == [], text


def test_parallel_pieces_of_a_fee_breakdown(yunling):
    text = ("2023年对25件政府信息公开申请案件收取了信息处理费2950元。其中，沭阳县自然资源和规划局1件，收取420元；"
            "泗洪县人民政府2件，收取290元；泗洪县公安局15件，收取1500元；宿迁市自然资源和规划局宿城分局1件，收取140元；"
            "宿迁市公安局6件，收取600元。")
    assert rules(narrative(yunling, text), "NUM-SUM") == []
    [f] = [f for f in narrative(yunling, text.replace("对25件", "对35件")) if f.rule == "NUM-SUM"]
    assert f.found == "25件"


def test_a_number_without_total_word_is_not_the_list_total(yunling):
    text = "2023年5月，《云岭市自然资源领域基层政务公开标准目录》编制完成，涵盖9个领域，包括一级目录27个、二级目录146个。"
    assert rules(narrative(yunling, text), "NUM-SUM") == []


# ---------------------------------------------------------------- 4. outcome claims against 表四


def test_all_upheld_against_a_corrected_review(yunling):
    # 云岭 表四: 复议 维持1 纠正1 尚未审结1
    [f] = [f for f in narrative(yunling, "因政府信息公开被申请行政复议3件，均获维持。") if f.rule == "NUM-OUTCOME"]
    assert f.level == "error" and "结果纠正" in f.message and "1件" in f.message


def test_all_won_against_a_pending_lawsuit_is_a_warning(yunling):
    # 诉讼: 直接起诉 维持1, 复议后起诉 尚未审结1 — nothing corrected
    [f] = [f for f in narrative(yunling, "被提起行政诉讼2件，我局全部胜诉。") if f.rule == "NUM-OUTCOME"]
    assert f.level == "warning" and "尚未审结" in f.message


def test_outcome_claims_need_a_read_table4(yunling):
    unread = yunling.model_copy(update={"tables": {k: v for k, v in yunling.tables.items() if k != "table4"}})
    assert rules(narrative(unread, "因政府信息公开被申请行政复议3件，均获维持。"), "NUM-OUTCOME") == []


# ---------------------------------------------------------------- 5. periods

PERIOD = "本报告中使用数据统计期限为2023年1月1日至12月31日。"


@pytest.mark.parametrize("written", ["自20231月1日起至2023年12月31日止", "2023年1月1日至2023年12月30日",
                                     "2023年2月1日至12月31日"])
def test_a_garbled_period_is_wrong_not_missing(tmp_path, written):
    fs = [f for f in check_text(tmp_path, CLEAN.replace(PERIOD, f"本报告中使用数据统计期限为{written}。"))
          if f.rule == "PERIOD"]
    assert [(f.level, f.found) for f in fs] == [("error", written)]
    assert "未写明" not in fs[0].message and "2023年1月1日至12月31日" in fs[0].message


# ---------------------------------------------------------------- 6. notice numbers

NOTICE = "国办公开办函〔2021〕30号"


@pytest.mark.parametrize("written,level", [("国办公开函〔2021〕30号", "error"), ("国办政务公开办函〔2021〕30号", "error"),
                                           ("国办公开办函[2021]30号", "warning"), ("国办公开办函【2021】30号", "warning"),
                                           ("国办公开办函(2021)30号", "warning")])
def test_notice_near_misses_name_the_right_number(tmp_path, written, level):
    fs = [f for f in check_text(tmp_path, CLEAN.replace(NOTICE, written)) if f.rule == "NOTICE-NUMBER"]
    assert [(f.level, f.expected) for f in fs] == [(level, NOTICE)]
    assert NOTICE in fs[0].message


def test_other_state_council_documents_are_not_the_notice(tmp_path):
    text = CLEAN.replace("本年度未收取信息处理费。", "本年度按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
                         "要求，未收取信息处理费。")
    assert [f for f in check_text(tmp_path, text) if f.rule in ("NOTICE-NUMBER", "PROOF-DOCNO")] == []


def test_a_nested_title_written_with_angle_brackets_is_the_right_title(tmp_path):
    title = "《国务院办公厅政府信息与政务公开办公室关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》"
    text = CLEAN.replace("《中华人民共和国政府信息公开工作年度报告格式》", title)
    assert [f for f in check_text(tmp_path, text) if f.rule == "NOTICE-NUMBER"] == []


# ---------------------------------------------------------------- 7. publication date


def test_a_signature_date_after_the_deadline(tmp_path):
    # a 市级部门: 31 January of the following year
    fs = [f for f in check_text(tmp_path, CLEAN.replace("2024年1月22日", "2024年2月26日")) if f.rule in ("PUB-DATE", "DATE")]
    assert [(f.rule, f.level, f.found) for f in fs] == [("PUB-DATE", "warning", "2024年2月26日")]


def test_a_web_page_publication_line(tmp_path):
    text = CLEAN.replace("云岭市自然资源和规划局\n2024年1月22日", "发布时间：2024-03-05 来源：云岭市自然资源和规划局")
    fs = [f for f in check_text(tmp_path, text) if f.rule == "PUB-DATE"]
    assert [f.found for f in fs] == ["2024-03-05"]


# ---------------------------------------------------------------- 8. part counts and item numbers

PARTS = ("全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
         "存在的主要问题及改进情况、其他需要报告的事项六个部分。")


def test_six_parts_announced_five_listed(tmp_path):
    text = CLEAN.replace(PARTS, PARTS.replace("、其他需要报告的事项", ""))
    fs = [f for f in check_text(tmp_path, text) if f.rule == "SEC-COUNT"]
    assert [(f.level, f.found) for f in fs] == [("warning", "列出5部分")] and "第六部分" in fs[0].message


def test_item_numbers_repeated_or_skipped(tmp_path):
    text = CLEAN.replace("（一）信息处理费收取情况。", "（一）信息处理费收取情况。一是严格执行收费标准；二是公开收费依据；二是规范收费流程。")
    fs = [f for f in check_text(tmp_path, text) if f.rule == "LIST-ORDER"]
    assert [(f.level, f.found, f.expected) for f in fs] == [("warning", "二是", "三是")]
    ok = CLEAN.replace("（一）信息处理费收取情况。", "（一）信息处理费收取情况。一是严格执行收费标准；二是公开收费依据。")
    assert [f for f in check_text(tmp_path, ok) if f.rule == "LIST-ORDER"] == []


# ---------------------------------------------------------------- 9. proofreading


def test_proofreading_findings_carry_the_fix(tmp_path):
    text = (CLEAN.replace("（云政办函〔2023〕96号）", "（云政办函[2023]96号）")
            .replace("本年度未收取信息处理费。", "本年度未收取信息处理费。。")
            .replace("提供规划成果和征地信息的现场查询服务", "提供规划成果和征地信息的现场查询查询服务"))
    fs = {f.rule: f for f in check_text(tmp_path, text) if f.rule.startswith("PROOF-")}
    assert set(fs) == {"PROOF-DOCNO", "PROOF-PUNCT", "PROOF-REPEAT"}
    assert fs["PROOF-DOCNO"].expected == "云政办函〔2023〕96号"
    assert fs["PROOF-PUNCT"].expected == "。" and fs["PROOF-REPEAT"].expected == "查询"
    assert all(f.level == "warning" for f in fs.values())


def test_an_unclosed_quotation_mark(tmp_path):
    text = CLEAN.replace("本年度未收取信息处理费。", "本年度按照“应收尽免原则，未收取信息处理费。")
    [f] = [f for f in check_text(tmp_path, text) if f.rule == "PROOF-PAIR"]
    assert f.level == "warning" and "”" in f.message


def test_clean_draft_gives_no_proofreading_finding(tmp_path):
    assert [f for f in check_text(tmp_path, CLEAN) if f.rule.startswith("PROOF-")] == []


# ---------------------------------------------------------------- the real reports


def _real(rel: str):
    path = shared_file(rel)
    try:
        return check_document(path)
    except ReadError as e:  # the one-line pingtan pages need the reader's page splitting
        pytest.skip(f"{rel} is not readable by this build's text reader yet: {e}")


def test_real_pingtan_2019_breakdown_is_found():
    """Depends on the reader splitting the one-line page."""
    fs = [f for f in _real("real/pingtan/pingtan-2019.txt").findings if f.rule == "NUM-SUM"]
    assert [(f.level, f.expected, f.found) for f in fs] == [("error", "2599条", "2533条")]


@pytest.mark.parametrize("name", ["pingtan-2019", "pingtan-2021", "pingtan-2022", "pingtan-2024", "pingtan-2025"])
def test_real_pingtan_reports_give_no_false_content_error(name):
    """Depends on the reader splitting the one-line page (and, for NUM-TABLE/NUM-OUTCOME, reading its tables)."""
    result = _real(f"real/pingtan/{name}.txt")
    errors = [(f.rule, f.message) for f in result.errors if not (name == "pingtan-2019" and f.rule == "NUM-SUM")]
    assert errors == []


def test_real_suqian_breakdowns_and_outcomes_are_silent():
    result = check_document(shared_file("real/suqian-2023.txt"))
    assert result.errors == []
    assert [f.rule for f in result.findings if f.rule.startswith(("PROOF-", "LIST-", "PUB-", "NUM-"))] == []


def test_real_pingtan_sentences_without_the_reader(yunling):
    """The real sentences, taken from the page text itself, through the narrative pass."""
    text = shared_file("real/pingtan/pingtan-2019.txt").read_text(encoding="utf-8")
    para = re.search(r"今年，我区政府信息公开单位共公布政府信息2599条[^。]*。", text).group(0)
    fin = re.search(r"今年共发布380条财政资金信息[^。]*。", text).group(0)
    fs = narrative(yunling, para, fin)
    assert [(f.rule, f.found) for f in fs if f.rule == "NUM-SUM"] == [("NUM-SUM", "2533条")]


# ---------------------------------------------------------------- 2. a total here, its parts there


def test_total_in_one_place_parts_in_another():
    untabled_report = untabled()
    body = clean_body(overview=["2023年，全年共收到政府信息公开申请11件，均按时答复。"],
                      requests=["从申请人看，自然人申请8件，法人或其他组织申请1件。"])
    doc, spans = build(body)
    fs = [f for f in narrative_findings(doc, spans, untabled_report) if f.rule == "NUM-DUP"]
    assert [(f.level, f.found, f.expected) for f in fs] == [("warning", "9件", "11件")]
    body["requests"] = ["从申请人看，自然人申请10件，法人或其他组织申请1件。"]
    doc, spans = build(body)
    assert [f for f in narrative_findings(doc, spans, untabled_report) if f.rule == "NUM-DUP"] == []


# ---------------------------------------------------------------- 3. shares recomputed at written precision


@pytest.mark.parametrize("pct,bad", [("96%", False), ("96.0%", False), ("96.00%", False), ("95.9%", False),
                                     ("90.0%", True), ("32.0%", True)])
def test_share_of_the_sentence_total(pct, bad):
    untabled_report = untabled()
    doc, spans = build(clean_body(overview=[f"全年共收到政府信息公开申请75件，其中自然人申请72件，占{pct}。"]))
    fs = [f for f in narrative_findings(doc, spans, untabled_report) if f.rule == "NUM-PERCENT"]
    assert [(f.level, f.found) for f in fs] == ([("error", pct)] if bad else [])


def test_completion_rate_against_the_stated_counts():
    untabled_report = untabled()
    for text, found in (("本年度共收到政府信息公开申请154件，共办结148件，办结率100%。", ["100%"]),
                        ("本年度共收到政府信息公开申请154件，共办结148件，办结率96.1%。", [])):
        doc, spans = build(clean_body(overview=[text]))
        fs = [f for f in narrative_findings(doc, spans, untabled_report) if f.rule == "NUM-PERCENT"]
        assert [(f.level, f.found) for f in fs] == [("warning", x) for x in found], text


# ---------------------------------------------------------------- real sentences against the real tables
# The pingtan tables as the shared README reads them (one reading survives); the sentences are taken
# from the page text. This does not need the reader: it is what check will judge once the tables map.

ZERO = [0] * 7


def _pingtan_tables(year: int, t3: dict, t4: dict, tmp_path, example_raw):
    raw = example_raw("yunling-zrzy-2023.yaml")
    raw["meta"].update(body="平潭综合实验区管理委员会", level="县级政府", year=year)
    for key in ("previous", "previous_remedies"):
        raw.pop(key, None)
    rows = {r: list(ZERO) for r in raw["table3"]}
    rows.update(t3)
    raw["table3"] = rows
    raw["table4"] = t4
    path = tmp_path / f"pingtan-{year}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load(path).data


def _row(natural, business=0, total=None):
    return [natural, business, 0, 0, 0, 0, natural + business if total is None else total]


def _sentence(name: str, start: str) -> str:
    text = shared_file(f"real/pingtan/{name}.txt").read_text(encoding="utf-8")
    return re.search(re.escape(start) + r"[^。]*。", text).group(0)


def test_real_pingtan_2022_scope_sentence_is_not_an_error(tmp_path, example_raw):
    t3 = {"r1": _row(71, 3), "r2": _row(1), "r3_1": _row(21), "r3_2": _row(8, 1), "r3_3_5": _row(1),
          "r3_3_6": _row(2), "r3_3_7": _row(1), "r3_4_1": _row(37), "r3_6_1": _row(2), "r3_6_3": _row(0, 2),
          "r3_7": _row(72, 3), "r4": _row(0)}
    t4 = {"review": [0, 1, 1, 0, 2], "direct": [1, 0, 0, 0, 1], "after_review": [0, 0, 0, 0, 0]}
    report = _pingtan_tables(2022, t3, t4, tmp_path, example_raw)
    paras = [_sentence("pingtan-2022", "2022年，全区收到政府信息公开申请75件"),
             _sentence("pingtan-2022", "2022年，全区政府信息公开工作方面共有行政诉讼案件1件")]
    _, fs = findings(clean_body(overview=paras), report)
    assert [(f.rule, f.message) for f in fs if f.level != "info"] == []
    wrong = [paras[0].replace("办结率100%", "办结率95%"), paras[1].replace("行政复议案件2件", "行政复议案件3件")]
    _, fs = findings(clean_body(overview=wrong), report)
    assert sorted((f.rule, f.found) for f in fs) == [("NUM-PERCENT", "95%"), ("NUM-TABLE", "3件")]


def test_real_pingtan_2025_appeals_sentence(tmp_path, example_raw):
    t3 = {"r1": _row(151, 3), "r3_1": _row(33), "r3_2": _row(38), "r3_3_5": _row(3), "r3_3_6": _row(2),
          "r3_3_7": _row(3), "r3_3_8": _row(3), "r3_4_1": _row(49, 1), "r3_4_2": _row(3), "r3_5_1": _row(2),
          "r3_6_1": _row(8), "r3_6_2": _row(2), "r3_6_3": _row(1), "r3_7": _row(147, 1), "r4": _row(4, 2)}
    t4 = {"review": [25, 3, 8, 0, 36], "direct": [3, 3, 0, 0, 6], "after_review": [3, 0, 0, 0, 3]}
    report = _pingtan_tables(2025, t3, t4, tmp_path, example_raw)
    para = _sentence("pingtan-2025", "全年办理因政府信息公开申请引发的行政复议36起")
    _, fs = findings(clean_body(overview=[para]), report)
    assert [(f.rule, f.message) for f in fs if f.level != "info"] == []
    _, fs = findings(clean_body(overview=[para.replace("行政诉讼9起", "行政诉讼9起，均获维持")]), report)
    assert [(f.rule, f.level) for f in fs] == [("NUM-OUTCOME", "error")]


def test_a_misspelt_national_format_title_but_not_a_provincial_one(tmp_path):
    name = "《中华人民共和国政府信息公开工作年度报告格式》"
    fs = [f for f in check_text(tmp_path, CLEAN.replace(name, "《中华人民共和国政府信息公开年度报告格式》"))
          if f.rule == "NOTICE-NUMBER"]
    assert [(f.level, f.expected) for f in fs] == [("error", name)]
    local = CLEAN.replace(name, name + "和《福建省政府信息公开工作年度报告格式》")
    assert [f for f in check_text(tmp_path, local) if f.rule == "NOTICE-NUMBER"] == []


def test_decided_reviews_are_the_total_less_the_pending(yunling):
    # 云岭 表四 复议: 总计3, 尚未审结1 — "审结2件" is the decided ones, not a wrong total
    assert rules(narrative(yunling, "本年度审结因政府信息公开引发的行政复议案件2件。"), "NUM-TABLE") == []
    assert rules(narrative(yunling, "本年度收到行政复议申请4件。"), "NUM-TABLE") == [("NUM-TABLE", "error")]
