"""The phrase bank: the when-language, the sandbox, layering by id, lint and the CLI."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from report_writer.cli.main import main
from report_writer.draft import expr
from report_writer.draft.lint import lint
from report_writer.draft.phrasebank import load_bank
from report_writer.draft.realize import realize
from report_writer.draft.sandbox import RenderError, render, to_spans
from report_writer.draft.values import DataView, Num, mark
from report_writer.formats import get_format
from report_writer.data.loader import load

ROOT = Path(__file__).resolve().parents[1]
YUNLING = ROOT / "examples" / "yunling-zrzy-2023.yaml"


@pytest.fixture(scope="module")
def data():
    return load(str(YUNLING)).data


@pytest.fixture(scope="module")
def view(data):
    return DataView(data, get_format(data.format_id))


# ---------------------------------------------------------------- expression language

def test_parse_and_evaluate(view):
    r = lambda p: view.lookup(p)  # noqa: E731
    assert expr.holds("overview.platforms.press_conferences == 5", r)
    assert expr.holds("table3.r1.total > 60 and not (table3.r2.total == 0)", r)
    assert expr.holds("present(overview.proactive.topics) and len(overview.proactive.topics) == 3", r)
    assert expr.holds("overview.proactive.topics[1].items == 112", r)
    assert expr.holds("empty(overview.proactive.public_participation)", r)
    assert expr.holds('format.id == "2021"', r)
    assert expr.holds("req.handled == table3.r1.total + table3.r2.total", r)
    assert expr.holds("req.refused == 3", r)  # group row g3_3: the sum of its children
    # a missing fact compares as neither more nor less
    assert not expr.holds("overview.proactive.public_participation > 0", r)
    assert not expr.holds("overview.proactive.public_participation < 1", r)
    assert expr.evaluate(expr.parse("1 + 2"), r) == Decimal(3)


def test_approximate_counts(view):
    from report_writer.data.loader import load as ld

    d = ld(str(ROOT / "examples" / "jinzhai-2020.yaml")).data
    v = DataView(d, get_format(d.format_id))
    assert expr.holds("approx(overview.oversight.trainees) and overview.oversight.trainees == 300", v.lookup)
    assert expr.holds("exact(overview.oversight.trainings)", v.lookup)


@pytest.mark.parametrize("src", [
    "''.__class__", "meta.__class__", "meta._private", "__import__('os')", "open('x')",
    "meta.body.upper()", "eval('1')", "meta[0", "1 < 2 < 3", "a ==", "x @ y", "",
])
def test_refuses_unsafe_or_malformed(src):
    with pytest.raises(expr.ExprError):
        expr.parse(src)


def test_error_message_has_position():
    with pytest.raises(expr.ExprError) as e:
        expr.parse("meta.year == 2023 and foo(1)")
    assert "foo" in str(e.value) and "第" in str(e.value)


# ---------------------------------------------------------------- sandbox

def test_sandbox_refuses_class_access(view):
    with pytest.raises(RenderError, match="沙箱|不安全"):
        render("{{ ''.__class__ }}", view.context())
    with pytest.raises(RenderError):
        render("{{ ''.__class__.__mro__[1].__subclasses__() }}", view.context())
    with pytest.raises(RenderError):
        render("{{ meta.body.format() }}", view.context())  # no method calls at all


def test_sandbox_refuses_runaway_output(view):
    with pytest.raises(RenderError):
        render("{{ 'x' * 100000000 }}", view.context())
    with pytest.raises(RenderError):
        render("{% for a in range(100000) %}x{% endfor %}", view.context())
    with pytest.raises(RenderError, match="超过"):
        render("{% for t in overview.proactive.topics %}{{ meta.body }}{% endfor %}", view.context(), limit=40)
    with pytest.raises(RenderError):
        render("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", view.context())


def test_numbers_keep_their_source(view):
    out = render("全年召开新闻发布会{{ overview.platforms.press_conferences }}场。", view.context())
    spans = to_spans(out, "r")
    assert [(s.text, s.source) for s in spans if s.source] == [("5", "overview.platforms.press_conferences")]


def test_unsourced_numbers_are_refused(view):
    with pytest.raises(RenderError, match="没有来源"):
        render("{{ overview.proactive.topics|length }}", view.context())
    with pytest.raises(RenderError, match="没有来源"):
        to_spans("全年召开会议3次", "r")
    with pytest.raises(RenderError):
        render("{{ overview.platforms.press_conferences + 1 }}", view.context())
    assert to_spans(mark("meta.year", "2023") + "年", "r")[0].source == "meta.year"


def test_filters(view):
    ctx = view.context()
    assert "83.8%" in render("{{ overview.requests.online_share|pct }}", ctx)
    assert "1523.46" in render("{{ table2.fees.amount|wan }}", ctx)
    assert render("{{ 2|ordinal }}{{ 11|paren }}", ctx) == "二是（十一）"
    out = render("{{ yoy(table3.r4.total, previous.table3.r4.total) }}", ctx)
    assert "同比下降" in out and "20%" in out
    assert "《" in render("{{ overview.management.documents[0]|doc }}", ctx)


# ---------------------------------------------------------------- layering and lint

OFFICE_RULE = """
rules:
  - id: platforms.press
    cases:
      - when: overview.platforms.press_conferences > 0
        variants:
          - '本局坚持重要政策必发布，全年召开新闻发布会{{ overview.platforms.press_conferences }}场。'
"""


def test_office_override_by_id(tmp_path, data):
    (tmp_path / "voice.yaml").write_text(OFFICE_RULE, encoding="utf-8")
    bank = load_bank([tmp_path])
    rule = bank.rules["platforms.press"]
    assert rule.slot == "overview.platforms" and rule.layer == 1  # slot inherited from the built-in rule
    # the office case replaced the built-in case with the same `when`; the other branches stay
    assert len(rule.cases) == 3 and rule.cases[1].variants[0].file.endswith("voice.yaml")
    assert all(v.file.endswith("platforms.yaml") for c in (rule.cases[0], rule.cases[2]) for v in c.variants)
    no_interviews = data.model_copy(deep=True)
    no_interviews.overview.platforms.online_interviews = None
    text = "\n".join(p.text for p in realize(no_interviews, seed=3, phrasebank_dirs=[tmp_path]).paragraphs())
    assert "本局坚持重要政策必发布，全年召开新闻发布会5场。" in text
    both = "\n".join(p.text for p in realize(data, seed=3, phrasebank_dirs=[tmp_path]).paragraphs())
    assert "本局坚持" not in both and "在线访谈" in both  # the inherited case for both counts still speaks


def test_office_case_with_a_new_condition_goes_first_and_keeps_the_rest(tmp_path, data):
    (tmp_path / "o.yaml").write_text(textwrap.dedent("""
        rules:
          - id: oversight.accountability
            cases:
              - when: overview.oversight.accountability_cases == 0 and present(overview.oversight.trainings)
                variants:
                  - '本局全年未发生政务公开责任追究事项。'
    """), encoding="utf-8")
    bank, issues = lint([tmp_path])
    assert not [i for i in issues if i.level == "error"]
    rule = bank.rules["oversight.accountability"]
    assert len(rule.cases) == 3 and "本局" in rule.cases[0].variants[0].text
    text = "\n".join(p.text for p in realize(data, seed=0, phrasebank_dirs=[tmp_path]).paragraphs())
    assert "本局全年未发生政务公开责任追究事项。" in text


def test_variants_replacing_all_cases_warn(tmp_path):
    (tmp_path / "o.yaml").write_text(textwrap.dedent("""
        rules:
          - id: tables.appeals.lead_in
            variants: ['见下表。']
    """), encoding="utf-8")
    _, issues = lint([tmp_path])
    warn = [str(i) for i in issues if i.level == "warning" and i.rule == "tables.appeals.lead_in"]
    assert warn and "2 个分支" in warn[0] and "cases" in warn[0]


def test_office_new_rule_is_added(tmp_path, data):
    (tmp_path / "extra.yaml").write_text(textwrap.dedent("""
        rules:
          - id: office.hotline_extra
            slot: overview.platforms
            order: 99
            when: overview.platforms.hotline_calls > 1000
            variants: ['热线来电量保持高位，共{{ overview.platforms.hotline_calls }}件。']
    """), encoding="utf-8")
    text = "\n".join(p.text for p in realize(data, phrasebank_dirs=[tmp_path]).paragraphs())
    assert "热线来电量保持高位，共2317件。" in text


BROKEN = """rules:
  - id: office.broken
    slot: overview.platforms
    when: overview.platforms.press_conference > 0
    variants:
      - '全年召开新闻发布会{{ overview.platforms.press_conferencs }}场。'
      - "{{ ''.__class__ }}"
      - '全年召开新闻发布会12场。'
  - id: office.broken
    slot: overview.platforms
    variants: ['重复']
  - id: office.never
    slot: overview.platforms
    when: false
    variants: ['永远不会出现。']
"""


def test_lint_catches_broken_office_rule_with_file_and_line(tmp_path):
    f = tmp_path / "office.yaml"
    f.write_text(BROKEN, encoding="utf-8")
    _, issues = lint([tmp_path])
    mine = [i for i in issues if i.file == str(f)]
    by = {(i.line, i.message.split("“")[0]) for i in mine}
    msgs = " | ".join(f"{i.line}:{i.message}" for i in mine)
    assert any(i.line == 4 and "press_conference" in i.message for i in mine), msgs
    assert any(i.line == 6 and "press_conferencs" in i.message for i in mine), msgs
    assert any(i.line == 7 and "不安全" in i.message for i in mine), msgs
    assert any(i.line == 8 and "数字" in i.message for i in mine), msgs
    assert any(i.line == 9 and "重复" in i.message for i in mine), msgs
    assert any("永远不会生效" in i.message and i.rule == "office.never" for i in mine), msgs
    assert by


def test_lint_reports_yaml_error_with_line(tmp_path):
    (tmp_path / "bad.yaml").write_text("rules:\n  - id: x\n    slot: overview.platforms\n   variants: [a]\n",
                                       encoding="utf-8")
    _, issues = lint([tmp_path])
    assert any(i.file.endswith("bad.yaml") and i.line and "YAML" in i.message for i in issues)


def test_builtin_bank_is_clean():
    bank, issues = lint()
    assert [str(i) for i in issues if i.level == "error"] == []
    assert len(bank.rules) > 60
    # at least three variants for every sentence family (clerk pass-through rules excepted)
    thin = [r.id for r in bank.rules.values() if r.kind != "heading"
            and not r.id.endswith(("highlights", "matters", "none", "placeholder"))
            and any(len(c.variants) < 3 for c in r.cases
                    if not (len(c.variants) == 1 and c.variants[0].text.startswith("{{")
                            and c.variants[0].text.endswith("}}")))
            and not (r.each and r.join)]
    assert thin == []


def test_cli_lint_and_preview(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["phrasebank", "lint"])
    assert ok.exit_code == 0, ok.output
    (tmp_path / "office.yaml").write_text(BROKEN, encoding="utf-8")
    bad = runner.invoke(main, ["phrasebank", "lint", str(tmp_path)])
    assert bad.exit_code == 1
    assert "office.yaml:6" in bad.output and "错误" in bad.output
    pv = runner.invoke(main, ["phrasebank", "preview", "requests.received", "--data", str(YUNLING)])
    assert pv.exit_code == 0, pv.output
    assert "生效" in pv.output and "67" in pv.output and "变体3" in pv.output
    missing = runner.invoke(main, ["phrasebank", "preview", "no.such", "--data", str(YUNLING)])
    assert missing.exit_code == 1 and "没有编号" in missing.output
    gone = runner.invoke(main, ["phrasebank", "lint", str(tmp_path / "nope")])
    assert gone.exit_code == 2 and "不存在" in gone.output


def test_num_compares_but_does_not_compute():
    n = Num(5, "x")
    assert n == 5 and n > 4 and bool(n)
    with pytest.raises(TypeError):
        n + 1  # noqa: B018


def test_office_cases_over_plain_variants_keep_them_as_the_catch_all(tmp_path, data):
    (tmp_path / "o.yaml").write_text(textwrap.dedent("""
        rules:
          - id: platforms.hotline
            cases:
              - when: overview.platforms.hotline_calls > 100000
                variants:
                  - '热线全年受理{{ overview.platforms.hotline_calls }}件，居全市首位。'
    """), encoding="utf-8")
    bank, issues = lint([tmp_path])
    assert not [i for i in issues if i.level == "error"]
    rule = bank.rules["platforms.hotline"]
    assert [c.when for c in rule.cases] == ["overview.platforms.hotline_calls > 100000", "true"]
    assert rule.cases[1].variants[0].file.endswith("platforms.yaml") and rule.cases[1].variants[0].line
    text = "\n".join(p.text for p in realize(data, seed=0, phrasebank_dirs=[tmp_path]).paragraphs())
    assert "2317件" in text and "首位" not in text  # the built-in wording still speaks for 2317
