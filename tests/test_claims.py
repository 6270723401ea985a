"""The claim linker: quantity → metric of the lexicon, negations, and scope words."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from report_writer.nlp.claims import Context, link, load_lexicon

COUNTY = Context(body="金寨县人民政府", level="县级政府")
DEPT = Context(body="云岭市自然资源和规划局", level="市级部门")
CITY = Context(body="宿迁市人民政府", level="市级政府")


def claims(text, ctx=COUNTY):
    return [(c.metric, c.shown(), c.scope) for c in link(text, ctx=ctx)]


def test_lexicon_loads_with_stable_ids():
    lex = load_lexicon()
    for mid in ("requests_new", "requests_all", "outcome_open", "reviews", "lawsuits", "normative_issued",
                "licensing", "items_published", "trainees"):
        assert mid in lex.metrics
    assert "其中" in lex.scope_words["part"]


@pytest.mark.parametrize("text, metric, shown", [
    ("全年受理依申请公开23件，均规范办理。", "requests_new", "23件"),
    ("全年共收到政府信息公开申请二十三件。", "requests_new", "二十三件"),
    ("本年度新收政府信息公开申请67件。", "requests_new", "67件"),
    ("上年结转政府信息公开申请5件。", "requests_carried", "5件"),
    ("全年共收办政府信息公开申请案件3607件。", "requests_all", "3607件"),
    ("予以公开28件。", "outcome_open", "28件"),
    ("部分公开7件。", "outcome_partial", "7件"),
    ("不予公开3件。", "outcome_refused", "3件"),
    ("无法提供22件。", "outcome_unable", "22件"),
    ("不予处理5件。", "outcome_not_handled", "5件"),
    ("作其他处理(含申请人主动撤回申请)341件。", "outcome_other", "341件"),
    ("转下年度办理121件。", "requests_next", "121件"),
    ("因政府信息公开被申请行政复议3件。", "reviews", "3件"),
    ("被提起行政诉讼2件。", "lawsuits", "2件"),
    ("本年制发规范性文件6件。", "normative_issued", "6件"),
    ("全年作出行政许可决定1386件。", "licensing", "1386件"),
    ("全年共公开各类信息102757条。", "items_published", "102757条"),
    ("全年开展新闻发布会23场。", "press_conferences", "23场"),
    ("纳入监管政务新媒体账号43、关停账号23个。", "new_media_accounts", "43"),
])
def test_metric_of_a_number(text, metric, shown):
    found = claims(text)
    assert (metric, shown, None) in found, found


def test_each_outcome_of_a_list_gets_its_own_metric():
    text = "予以公开1191件、部分公开328件、不予公开142件、无法提供1078件、不予处理406件。"
    assert [m for m, _, _ in claims(text)] == ["outcome_open", "outcome_partial", "outcome_refused",
                                               "outcome_unable", "outcome_not_handled"]


def test_two_metrics_joined_make_one_claim_on_their_sum():
    assert claims("予以公开及部分公开258件，占33.9%。") == [("outcome_open+outcome_partial", "258件", None)]
    assert claims("予以公开、部分公开共10件。") == [("outcome_open+outcome_partial", "10件", None)]


def test_nearest_word_wins_and_specific_context_decides():
    found = claims("全年召开政务公开培训会议5次，培训人数近300人次，通过其他方式开展培训8次，培训人数近240人次。")
    assert [m for m, _, _ in found] == ["trainings", "trainees", "other_trainings", "other_trainees"]


def test_context_word_required():
    assert claims("开展征集调查33期，收到公众意见382条。") == []


def test_exclude_word_vetoes():
    assert [m for m, _, _ in claims("开展季度监测4次，专项监测2次。")] == []


# ---------------------------------------------------------------- negations


def test_negation_of_requests_is_a_zero_claim():
    assert claims("本年度未收到政府信息公开申请。") == [("requests_new", "0（文中表述为未发生）", None)]


def test_negation_of_reviews_and_lawsuits():
    found = claims("全年受理依申请公开23件，均规范办理，未发生政府信息公开行政复议、行政诉讼。")
    assert ("reviews", "0（文中表述为未发生）", None) in found
    assert ("lawsuits", "0（文中表述为未发生）", None) in found


def test_negation_of_a_correction_is_not_a_negation_of_reviews():
    found = claims("行政复议结果均未被纠正。")
    assert [m for m, _, _ in found] == ["reviews_corrected"]


def test_fee_negation():
    assert claims("本年度未收取信息处理费。") == [("info_fee", "0（文中表述为未发生）", None)]


@pytest.mark.parametrize("text", [
    "申请人无正当理由大量反复申请的，不予处理。",
    "行政复议尚未审结1件。",
    "因本机关不掌握相关政府信息，无法提供。",
])
def test_words_that_look_like_negations(text):
    assert not any(c.negated for c in link(text, ctx=COUNTY))


# ---------------------------------------------------------------- scope


@pytest.mark.parametrize("text, scope", [
    ("全年共收到政府信息公开申请30件，其中网上收到申请20件。", "part"),
    ("本级受理政府信息公开申请23件。", "level"),
    ("县直各部门共受理政府信息公开申请120件。", "level"),
    ("全市共收到政府信息公开申请1200件。", "aggregate"),  # in a department's report
    ("同比增加20件。", None),
    ("一季度，收到政府信息公开申请5件。", "period"),
    ("本年度共报送备案规范性文件5件。", None),
])
def test_scope_words(text, scope):
    found = link(text, ctx=DEPT)
    last = found[-1] if found else None
    if scope is None:
        assert last is None or last.scope is not None
    else:
        assert last is not None and last.scope == scope, [(c.metric, c.scope, c.scope_word) for c in found]


def test_whole_city_in_the_city_governments_report_is_its_own_scope():
    found = link("全市全年共收办政府信息公开申请案件3607件。", ctx=CITY)
    assert found[0].scope is None
    found = link("全市全年共收办政府信息公开申请案件3607件。", ctx=DEPT)
    assert found[0].scope == "aggregate"


def test_office_acting_for_the_government_is_the_body():
    found = link("区政府办代表区政府受理政府信息公开申请5件。", ctx=Context(body="某某区人民政府", level="县级政府"))
    assert found[0].scope is None


def test_parts_under_其中_of_another_metric_are_compared():
    found = link("全年共收办申请3607件，其中，自然人申请3493件，法人或其他组织申请114件。", ctx=CITY)
    assert [(c.metric, c.scope) for c in found] == [("requests_all", None), ("applicants_natural", None),
                                                   ("applicants_legal", None)]


def test_bracketed_breakdown_is_a_part():
    found = link("共收办申请3607件(市政府349件、市各有关部门933件)。", ctx=CITY)
    assert [c.shown() for c in found] == ["3607件"]


def test_claim_admits_by_interval():
    c = link("培训人数近300人次。", ctx=COUNTY)[0]
    assert c.admits(D(280)) and not c.admits(D(300))


# ---------------------------------------------------------------- the spaCy pipeline


def test_pipeline_is_built_once_and_sets_the_extensions():
    from report_writer.nlp import pipeline

    nlp = pipeline.get_nlp()
    assert pipeline.get_nlp() is nlp and pipeline.LOAD_SECONDS is not None
    assert nlp.pipe_names == ["rw_sentences", "rw_quantities", "rw_claims", "rw_missing"]
    doc = pipeline.analyse("全年受理依申请公开23件，均规范办理；未发生行政复议。共主动公开条。", COUNTY)
    assert [s.text for s in doc.sents] == ["全年受理依申请公开23件，均规范办理；", "未发生行政复议。", "共主动公开条。"]
    assert [c.text for c in doc._.clauses][:2] == ["全年受理依申请公开23件", "均规范办理；"]
    assert [(s.text, s._.quantity.value) for s in doc._.quantity_spans] == [("23件", D(23))]
    assert [(c.metric, c.shown()) for c in doc._.claims] == [("requests_new", "23件"),
                                                             ("reviews", "0（文中表述为未发生）")]
    assert [u for _, _, u in doc._.missing] == ["条"]
    # the domain words are kept whole by jieba
    assert "依申请公开" in [t.text for t in doc]
