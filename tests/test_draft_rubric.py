"""The reviewer's rubric (docs/draft-rubric.md) as tests, on the three examples and seeds 0–4.

What a 政务公开 head reviewer would otherwise fix by hand: a fact that changes with the seed,
the same sentence frame three times, a lead over a paragraph it does not fit, three
neighbouring paragraphs opening alike, past measures under a future heading, a zero told
twice, a same-year date with its year, the preamble's 和/、 order.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from report_writer.data.loader import load
from report_writer.data.validate import validate_file
from report_writer.draft.narrative import Para
from report_writer.draft.realize import opening, realize

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {"jinzhai": ROOT / "examples" / "jinzhai-2020.yaml",
            "yunling": ROOT / "examples" / "yunling-zrzy-2023.yaml",
            "qingshui": ROOT / "examples" / "qingshui-town-2023.yaml"}
SEEDS = range(5)
WORDING = ("meta.", "format.")  # sources that name the body, the year or the notice: wording, not facts


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def drafts(request):
    data = load(str(EXAMPLES[request.param])).data
    return request.param, data, [realize(data, seed=s) for s in SEEDS]


def body(n) -> list[Para]:
    return [p for p in n.paragraphs() if p.role in ("body", "preamble", "lead_in")]


def facts_by_section(n) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for p in n.paragraphs():
        for s in p.spans:
            if s.source and not s.source.startswith(WORDING):
                out.setdefault(p.section or "preamble", Counter())[(s.source, s.text)] += 1
    return out


def test_no_fact_altered_across_seeds(drafts):
    """Every seed tells the same facts (field and wording of the value) in every section."""
    _, _, ns = drafts
    first = facts_by_section(ns[0])
    for seed, n in enumerate(ns[1:], start=1):
        got = facts_by_section(n)
        assert got.keys() == first.keys(), seed
        for sec in first:
            assert set(got[sec]) == set(first[sec]), (seed, sec, set(got[sec]) ^ set(first[sec]))


def frame(p: Para) -> list[str]:
    """The sentences of a paragraph with every value from the data replaced by □."""
    text = "".join("□" if s.source else s.text for s in p.spans)
    return [t for t in re.split(r"[。；：]", text) if len(t.replace("□", "")) >= 6]


def test_no_sentence_frame_three_times(drafts):
    _, _, ns = drafts
    for seed, n in enumerate(ns):
        counts = Counter(f for p in body(n) for f in frame(p))
        worst = [(f, c) for f, c in counts.items() if c >= 3]
        assert not worst, (seed, worst)


def test_no_three_neighbouring_paragraphs_open_alike(drafts):
    _, _, ns = drafts
    for seed, n in enumerate(ns):
        run: list[str] = []
        for b in n.blocks:
            if not isinstance(b, Para) or b.role != "body":
                run = []
                continue
            run = (run + [opening(b.text)])[-3:]
            assert not (len(run) == 3 and len(set(run)) == 1), (seed, b.text[:30])


def leads(n):
    """(lead text, paragraph, heading above) for each bank-written lead of 总体情况."""
    heading = ""
    for p in n.paragraphs():
        if p.role == "h2":
            heading = re.sub(r"^（.）|情况$|方面$", "", p.text)
        if p.role == "body" and p.spans and p.spans[0].rule and p.spans[0].rule.endswith(".lead"):
            yield p.spans[0].text.rstrip("。"), p, heading


def test_leads_fit_their_paragraph(drafts):
    """A lead never repeats its heading, and never stands over a paragraph of zeros only."""
    _, _, ns = drafts
    for seed, n in enumerate(ns):
        for lead, p, heading in leads(n):
            assert heading not in lead and lead not in heading, (seed, lead, heading)
            rest = p.spans[1:]
            told = [s for s in rest if s.source and not s.source.startswith(WORDING)]
            assert any(not re.fullmatch(r"0(\.0+)?", s.text) for s in told), (seed, lead, p.text)
        all_leads = [lead for lead, _, _ in leads(n)]
        assert len(all_leads) == len(set(all_leads)), (seed, all_leads)


def section(n, sec: str) -> str:
    return "\n".join(p.text for p in n.paragraphs() if p.section == sec)


def test_section_five_keeps_tenses_apart(drafts):
    """Measures taken this year are not told under a future lead, nor planned ones as done;
    no date in brackets; the problems carry no label before the clerk's own text."""
    name, data, ns = drafts
    from report_writer.data.tense import improvement_done

    for seed, n in enumerate(ns):
        paras = [p.text for p in n.paragraphs() if p.section == "problems" and p.role == "body"]
        for imp in data.improvements:
            where = [t for t in paras if imp.text in t]
            assert len(where) == 1, (seed, imp.text)
            future = "将" in where[0].split("：")[0]
            assert future != improvement_done(imp, data.meta.year), (seed, where[0][:40])
            if imp.date:
                assert f"（{imp.date}" not in where[0]
        five = section(n, "problems")
        for pr in data.problems:
            assert re.search(r"(一|二|三|四|五|六)是" + re.escape(pr.text), five) or f"主要是{pr.text}" in five \
                or f"突出表现为{pr.text}" in five, (seed, pr.text)


def test_the_same_zero_is_told_once(drafts):
    _, _, ns = drafts
    for seed, n in enumerate(ns):
        text = "\n".join(p.text for p in body(n))
        assert len(re.findall(r"(未发生|没有|无)[^。]{0,12}行政复议", text)) <= 1, seed
        assert len(re.findall(r"未收到[^。]{0,6}政府信息公开申请", text)) <= 1, seed


def test_same_year_dates_go_without_the_year(drafts):
    _, data, ns = drafts
    y = data.meta.year
    for seed, n in enumerate(ns):
        text = section(n, "overview") + section(n, "problems")
        assert not re.search(rf"{y}年\d{{1,2}}月", text), (seed, re.search(rf"{y}年\d{{1,2}}月.{{0,10}}", text))


def test_preamble_lists_the_bases_with_commas_then_he(drafts):
    name, data, ns = drafts
    for seed, n in enumerate(ns):
        pre = next(p.text for p in n.paragraphs() if p.role == "preamble")
        if data.meta.local_notice is not None:
            # 《条例》、《国办通知》和《本地通知》 — never 《条例》和《国办通知》、《本地通知》
            assert not re.search(r"《条例》）和《[^》]+》（[^）]+）、《", pre), (seed, pre[:160])


def test_remedies_placeholder_and_single_remedy():
    town = load(str(EXAMPLES["qingshui"])).data
    assert not town.previous_remedies
    for seed in SEEDS:
        five = section(realize(town, seed=seed), "problems")
        assert "【待补充：上年度报告所列问题的整改情况" in five
    rules = [f.rule for f in validate_file(EXAMPLES["qingshui"]).findings]
    assert "X-REMEDIES" in rules
    yun = load(str(EXAMPLES["yunling"])).data
    assert len(yun.previous_remedies) == 1
    for seed in SEEDS:
        n = realize(yun, seed=seed)
        remedies = [p.text for p in n.paragraphs() if p.section == "problems" and yun.previous_remedies[0].remedy in p.text]
        assert remedies and "逐项" not in remedies[0] and "一是" not in remedies[0]


def test_all_measures_done_warns(tmp_path):
    text = EXAMPLES["jinzhai"].read_text(encoding="utf-8")
    cut = text.index("  - problem: p1                       # 下一步措施")
    rest = text[cut:]
    end = rest.index("\nother:")
    (tmp_path / "d.yaml").write_text(text[:cut] + rest[end + 1:], encoding="utf-8")
    assert "X-PLANNED" in [f.rule for f in validate_file(tmp_path / "d.yaml").findings]
    assert "X-PLANNED" not in [f.rule for f in validate_file(EXAMPLES["jinzhai"]).findings]


def test_zero_fee_prints_0_not_0_00(tmp_path):
    from docx import Document

    from report_writer.draft.api import draft_report

    out = tmp_path / "town.docx"
    assert draft_report(EXAMPLES["qingshui"], out).ok
    t2 = Document(str(out)).tables[0]
    fee_row = next(r for r in t2.rows if "行政事业性收费" in r.cells[0].text)
    assert fee_row.cells[-1].text == "0"
    assert not any("0.00" in c.text for r in t2.rows for c in r.cells)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_table2_blocks_stay_with_their_caption_and_header(tmp_path, name):
    """Each block of 表二 (caption, header, rows) is kept on one page and the lead-in stays with
    the table: a page may break only between blocks, where the next block brings its own header."""
    from docx import Document
    from docx.oxml.ns import qn

    from report_writer.draft.api import draft_report

    out = tmp_path / "d.docx"
    assert draft_report(EXAMPLES[name], out).ok
    doc = Document(str(out))
    body = list(doc.element.body)
    t2 = doc.tables[0]._tbl
    before = body[body.index(t2) - 1]
    assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None  # the lead-in keeps with the table
    rows = t2.findall(qn("w:tr"))

    def kept(r):
        return all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in r.iter(qn("w:p")))

    captions = [i for i, r in enumerate(rows) if len(r.findall(qn("w:tc"))) == 1]
    assert captions and captions[0] == 0
    for i, r in enumerate(rows):
        assert r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
        last_of_block = i + 1 in captions or i == len(rows) - 1
        assert kept(r) != last_of_block, i
