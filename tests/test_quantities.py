"""Quantities and dates of Chinese official prose: forms, intervals and protected expressions."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from report_writer.nlp.quantities import find_dates, find_quantities, normalize


def one(text: str):
    qs = find_quantities(text)
    assert len(qs) == 1, [q.text for q in qs]
    return qs[0]


def texts(text: str) -> list[str]:
    return [q.text for q in find_quantities(text)]


@pytest.mark.parametrize("text, value, unit", [
    ("全年共公开各类信息102757条", D(102757), "条"),
    ("受理申请23件", D(23), "件"),
    ("受理申请二十三件", D(23), "件"),
    ("编制目录一百零二个", D(102), "个"),
    ("发布信息两千条", D(2000), "条"),
    ("受理申请２３件", D(23), "件"),  # full-width digits
    ("采购总金额35339.15万元", D("353391500"), "万元"),
    ("发布信息1.2万条", D(12000), "条"),
    ("收取信息处理费2950元", D(2950), "元"),
    ("占比12.5%", D("12.5"), "%"),
    ("占百分之八十", D(80), "%"),
    ("下降2.1个百分点", D("2.1"), "个百分点"),
    ("培训人数近300人次", D(300), "人次"),
    ("金额3,456.78万元", D("34567800"), "万元"),
    ("8大项44小项", D(8), "大项"),
])
def test_forms(text, value, unit):
    q = find_quantities(text)[0]
    assert q.value == value and q.unit == unit
    assert text[q.start:q.end] == q.text


def test_offsets_are_those_of_the_raw_text():
    text = "（二）依申请公开。全年受理２３件，予以公开十六件。"
    qs = find_quantities(text)
    assert [text[q.start:q.end] for q in qs] == ["２３件", "十六件"]
    assert [text[q.num_start:q.num_end] for q in qs] == ["２３", "十六"]
    assert len(normalize(text)) == len(text) and normalize("（３）") == "(3)"


def test_radicals_from_pdf_text_are_normalised_in_place():
    assert normalize("人⺠政府各部⻔") == "人民政府各部门"
    assert normalize("①") == "①"  # NFKC would invent a bare 1


@pytest.mark.parametrize("text, low, high, low_open, high_open", [
    ("受理申请23件", D(23), D(23), False, False),
    ("采购总金额35339.15万元", D("353391450"), D("353391550"), False, False),  # ±50元
    ("发布1.2万条", D(11500), D(12500), False, False),  # ±500
    ("培训近300人次", D(270), D(300), False, True),  # below 300
    ("开展政民互动300余场", D(300), D(400), True, True),
    ("赠阅3万余册", D(30000), D(40000), True, True),
    ("主动公开18万余条", D(180000), D(190000), True, True),
    ("约300条", D(250), D(350), False, False),
    ("超过300件", D(300), None, True, False),
    ("300件以上", D(300), None, False, False),
    ("不足5件", D(0), D(5), False, True),
    ("占33.9%", D("33.85"), D("33.95"), False, False),
    ("合格率100%", D("99.5"), D("100.5"), False, False),
])
def test_intervals(text, low, high, low_open, high_open):
    q = one(text)
    assert (q.low, q.high, q.low_open, q.high_open) == (low, high, low_open, high_open)


def test_interval_membership():
    q = one("培训近300人次")
    assert q.contains(D(299)) and not q.contains(D(300)) and not q.contains(D(200))
    assert one("300余场").contains(D(350)) and not one("300余场").contains(D(300))
    assert one("23件").exact and not q.exact


@pytest.mark.parametrize("text", [
    "继续实行“一季度一监测，一季度一通报”",
    "一是强化政策性文件公开；二是深化重点领域公开",
    "举办第六期专题培训班",
    "谋划十四五时期工作，服务一带一路",
    "开设“六稳”“六保”专题，推进“两化”试点，打好三大攻坚战",
    "危及“三安全一稳定”",
    "三门峡市人民政府",
    "一律不得上会讨论，打造一站式服务，推进一网通办，统一公开",
    "编制一级目录，二级目录",
    "国务院令第711号",
    "（国办公开办函〔2019〕60号）",
    "（国办发(2019) 54号）",
    "电话：0564--7356132，邮编：237300",
    "网站（http://www.ahjinzhai.gov.cn/）",
    "（一）主动公开情况",
    "贯彻十九届四中全会精神",
    "“12345民声在线”",
    "《2020年度政务公开重点工作任务分工》",
])
def test_protected_expressions_are_not_quantities(text):
    assert texts(text) == []


def test_a_protected_word_does_not_hide_its_number():
    assert texts("编制30个领域一级目录348个，二级目录1962个") == ["30个", "348个", "1962个"]
    assert texts("“六稳”“六保”信息314条") == ["314条"]
    assert texts("1.2020年10月份，专题召开培训会议13次") == ["13次"]  # list marker, then a date


@pytest.mark.parametrize("text, year, month, day, kind", [
    ("2020年8月26日印发", 2020, 8, 26, "date"),
    ("7月5日印发", None, 7, 5, "date"),
    ("8月份，配合市政务公开办", None, 8, None, "month"),
    ("二〇二〇年工作", 2020, None, None, "year"),
    ("本报告统计期限为2023年1月1日至12月31日", 2023, 1, 1, "date"),
    ("2020年四季度", 2020, None, None, "year"),
])
def test_dates(text, year, month, day, kind):
    d = find_dates(text)[0]
    assert (d.year, d.month, d.day, d.kind) == (year, month, day, kind)
    assert texts(text) == []


def test_period_statement_has_both_ends():
    ds = find_dates("本报告中使用数据统计期限为2020年1月1日至12月31日")
    assert [(d.year, d.month, d.day) for d in ds] == [(2020, 1, 1), (None, 12, 31)]


def test_quarter_is_a_period_not_a_count():
    ds = find_dates("一季度一监测")
    assert ds and ds[0].kind == "quarter"


def test_one_character_numerals_read_as_cn2an_reads_them():
    # quantities reads 两场, 三期 … without loading cn2an; the values must be cn2an's own
    import cn2an

    from report_writer.nlp.quantities import CN_DIGITS, _cn_value

    def by_cn2an(c: str):
        for mode in ("strict", "normal"):
            try:
                return D(str(cn2an.cn2an(c, mode)))
            except (ValueError, KeyError, IndexError):
                continue
        return None

    assert {c: _cn_value(c) for c in CN_DIGITS} == {c: by_cn2an(c) for c in CN_DIGITS}
    assert _cn_value("二十三") == D(23) and one("开展培训两场").value == D(2)


def test_fast_quantity_equals_the_dataclass():
    from decimal import Decimal

    from report_writer.nlp.quantities import Quantity, _without_init

    args = (3, 6, "23件", Decimal(23), Decimal(23), Decimal(23), False, True, "件", "约", False, "arabic", 3, 5)
    fast, slow = _without_init(Quantity, *args), Quantity(*args)
    assert fast == slow and hash(fast) == hash(slow) and fast.exact == slow.exact
    with pytest.raises(Exception):
        fast.start = 4  # still frozen


def test_plain_counts_keep_their_digits_exactly():
    # the shortcut for plain counts must give what the interval arithmetic gives, digits and all
    for text, low in (("共007件", "7"), ("共100件", "100"), ("共" + "9" * 18 + "件", "9" * 18),
                      ("共" + "9" * 30 + "件", "1.000000000000000000000000000E+30")):
        q = find_quantities(text)[0]
        assert (str(q.low), str(q.high)) == (low, low), text


def test_normalize_replaces_exactly_what_one_translate_would():
    from report_writer.nlp import quantities as Q

    assert Q._BY_REPLACE  # else normalize falls back to translate (correct, slower)
    every = "".join(sorted(Q._NORM_MAP)) + "，全年２３件（约１.２万条）⺠⻓ 、。①abc"
    for text in (every, every[::-1], "纯中文无需替换。", "ascii only", ""):
        assert normalize(text) == text.translate(Q._NORM)
        assert len(normalize(text)) == len(text)


def test_fast_date_equals_the_dataclass():
    from report_writer.nlp.quantities import DateMention, _without_init

    args = (0, 10, "2020年8月26日", 2020, 8, 26, "date")
    fast = _without_init(DateMention, *args)
    assert fast == DateMention(*args) and hash(fast) == hash(DateMention(*args))
    assert find_dates("2020年8月26日印发")[0] == DateMention(*args)
