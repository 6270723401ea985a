"""Section finder, title and 总体情况 sub-heads."""

from __future__ import annotations

import pytest

from report_writer.read.document import Paragraph, SourceDocument
from report_writer.read import read_document
from report_writer.read.structure import find_sections, find_subsections, find_title, match_heading
from report_writer.formats import get_format

from .read_helpers import shared_path

IDS = ["overview", "proactive", "requests", "appeals", "problems", "other"]


def _doc(lines: list[str]) -> SourceDocument:
    return SourceDocument(path="x", kind="text",
                          paragraphs=[Paragraph(index=i, text=t, origin=(i + 1, i + 1)) for i, t in enumerate(lines)])


def test_seed_sections_title_and_subsections():
    seed = shared_path("seed/jinzhai-2020-annual-report.txt")
    if seed is None:
        pytest.skip("共享资料 seed/jinzhai-2020-annual-report.txt 不在本机，跳过")
    doc = read_document(seed)
    spans = find_sections(doc, get_format("2019"))
    assert [s.id for s in spans] == IDS
    assert [s.number for s in spans] == list("一二三四五六")
    assert spans[0].heading == "一、总体情况"
    for a, b in zip(spans, spans[1:]):
        assert a.end == b.paragraph and a.paragraph < b.paragraph
    assert spans[-1].end == len(doc.paragraphs)
    assert doc.paragraphs[spans[-1].paragraph + 1].text == "无。"
    title = find_title(doc)
    assert (title.paragraph, title.body, title.year) == (0, "金寨县人民政府", 2020)
    subs = find_subsections(doc, spans[0])
    assert [s[0] for s in subs] == list("一二三四五")
    assert subs[1][1] == "依申请公开情况"  # "[bookmark: _GoBack]（二）依申请公开情况。积极参加…"
    assert all(spans[0].paragraph < s[2] < spans[0].end for s in subs)


def test_suqian_sections():
    real = shared_path("real/suqian-2023.txt")
    if real is None:
        pytest.skip("共享资料 real/suqian-2023.txt 不在本机，跳过")
    doc = read_document(real)
    spans = find_sections(doc)
    assert [s.id for s in spans] == IDS
    title = find_title(doc)
    assert (title.body, title.year) == ("宿迁市人民政府", 2023)
    subs = find_subsections(doc, spans[0])
    assert [s[1] for s in subs][:2] == ["主动公开方面", "依申请公开方面"]


@pytest.mark.parametrize("text,sid", [
    ("一、总体情况", "overview"),
    ("一. 总体情况", "overview"),
    ("一，总体情况", "overview"),
    ("一 总体情况", "overview"),
    ("一．总 体 情 况", "overview"),
    ("二、行政机关主动公开政府信息情况", "proactive"),
    ("三、 收到和处理政府信息公开申请情况", "requests"),
    ("三、行政机关收到和处理政府信息公开申请情况", "requests"),
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "appeals"),
    ("四、政府信息公开行政复议,行政诉讼情况", "appeals"),
    ("五、存在问题及改进情况", "problems"),
    ("五、政府信息公开工作存在的主要问题及改进情况", "problems"),
    ("五、存在的主要问题及改进措施", "problems"),
    ("六、其他事项", "other"),
    ("六、其他需要报告的事项", "other"),
    ("第二部分 主动公开政府信息情况", "proactive"),
    ("二、主动公开政府信息情况（表二）", "proactive"),
])
def test_heading_variants(text, sid):
    m = match_heading(text)
    assert m is not None and m[0].id == sid


@pytest.mark.parametrize("text", [
    "一是强化政策性文件公开，全年发布信息100条。",
    "一、本年新收政府信息公开申请数量",
    "四、结转下年度继续办理",
    "三、本年度办理结果",
    "二是深化重点领域政府信息公开。",
    "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六个部分。",
    "五年来，我局存在的主要问题及改进情况如下",
])
def test_not_headings(text):
    assert match_heading(text) is None


def test_preamble_listing_the_parts_is_not_the_sections():
    lines = ["某局2023年政府信息公开工作年度报告", "本报告包括以下部分：",
             "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
             "一、总体情况", "一是加强领导。二是完善制度。", "二、主动公开政府信息情况", "（表）",
             "三、收到和处理政府信息公开申请情况", "（表）", "四、政府信息公开行政复议、行政诉讼情况", "（表）",
             "五、存在的主要问题及改进情况", "一是问题。", "六、其他需要报告的事项", "无。"]
    spans = find_sections(_doc(lines))
    assert [s.paragraph for s in spans] == [8, 10, 12, 14, 16, 18]
    assert spans[0].end == 10


def test_missing_and_misnumbered_sections():
    lines = ["一、总体情况", "正文。", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "五、其他需要报告的事项", "无。"]
    spans = find_sections(_doc(lines))
    assert [(s.id, s.number) for s in spans] == [("overview", "一"), ("proactive", "二"), ("requests", "三"),
                                                  ("other", "五")]


@pytest.mark.parametrize("lines,body,year", [
    (["某某市生态环境局2023年度政府信息公开工作年度报告", "一、总体情况"], "某某市生态环境局", 2023),
    (["2022年度某某区人民政府政府信息公开工作年度报告", "一、总体情况"], "某某区人民政府", 2022),
    (["某某县人民政府二〇二一年政府信息公开工作年度报告", "一、总体情况"], "某某县人民政府", 2021),
    (["某某街道办事处", "2021年政府信息公开工作年度报告", "一、总体情况"], "某某街道办事处", 2021),
    (["某某局2023年政府信息公开", "工作年度报告", "一、总体情况"], "某某局", 2023),
])
def test_title_variants(lines, body, year):
    t = find_title(_doc(lines))
    assert t is not None and (t.body, t.year) == (body, year)


def test_no_title():
    assert find_title(_doc(["一、总体情况", "正文。"])) is None
