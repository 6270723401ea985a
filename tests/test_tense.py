"""Section 五: which measures were taken this year and which are planned; same-year dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_writer.data.loader import load
from report_writer.data.model import Highlight, Improvement
from report_writer.data.tense import improvement_done, same_year_prefix
from report_writer.draft.realize import realize

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("imp, done", [
    (dict(text="召开培训会", date="2020年10月"), True),
    (dict(text="召开培训会", date="10月"), True),
    (dict(text="全部采用图解解读", date="2021年6月底前"), False),
    (dict(text="全部采用图解解读", date="6月底前"), False),
    (dict(text="建立更新台账", date="2021年上半年"), False),
    (dict(text="将专题更新纳入通报"), False),
    (dict(text="调整目录结构", result="30个领域专题已全部上线"), True),
    (dict(text="建立更新台账", result="纳入科室年度目标考核"), False),
    (dict(text="召开培训会", date="2021年3月", done=True), True),
    (dict(text="召开培训会", date="2020年10月", done=False), False),
])
def test_improvement_tense(imp, done):
    assert improvement_done(Improvement(**imp), 2020) is done


def test_same_year_prefix():
    assert same_year_prefix("2020年10月", 2020) == "10月"
    assert same_year_prefix("2020年四季度", 2020) == "四季度"
    assert same_year_prefix("2021年6月底前", 2020) == "2021年6月底前"
    assert same_year_prefix("2020年", 2020) == "2020年"  # a bare year stays


def test_done_and_planned_measures_go_to_their_own_paragraphs():
    data = load(str(ROOT / "examples" / "jinzhai-2020.yaml")).data
    n = realize(data, seed=0)
    five = [p.text for p in n.paragraphs() if p.section == "problems" and p.role == "body"]
    done = next(t for t in five if data.improvements[0].text in t)
    planned = next(t for t in five if data.improvements[3].text in t)
    assert done != planned and "将" not in done.split("：")[0] and planned.startswith("下一步")
    assert "10月，召开" in done and "2020年10月" not in done  # the report year goes without saying
    assert "2021年上半年" in planned


@pytest.mark.parametrize("place, first", [("first", True), ("last", False)])
def test_highlight_place(place, first):
    data = load(str(ROOT / "examples" / "yunling-zrzy-2023.yaml")).data.model_copy(deep=True)
    data.overview.management.highlights = [Highlight(lead="加强源头认定", text="公文起草时同步确定公开属性。",
                                                     place=place)]
    n = realize(data, seed=0)
    paras = [p.text for p in n.paragraphs() if p.section == "overview"]
    i = next(k for k, p in enumerate(n.paragraphs()) if p.role == "h2" and "管理" in p.text)
    sub = []
    for p in n.paragraphs()[i + 1:]:
        if p.role != "body":
            break
        sub.append(p.text)
    assert sub[0 if first else -1].startswith("加强源头认定。"), sub
    assert paras
