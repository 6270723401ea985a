"""Fuzz every reader and loader: mutated and random inputs end in success or the tool's own error.

Quick variants run in the normal suite; the `slow` variants are the long target
(scripts/fuzz.sh, >= 10,000 cases in all). See tests/fuzz/strategies.py for the guards.
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st

from report_writer.findings import DataFileError

from .strategies import (BANK_SEEDS, DATA_SEEDS, DOCX_SEEDS, HTML_SEEDS, TEXT_SEEDS, expressions, mutated_bytes,
                         mutated_data, mutated_seed, mutated_zip, pair, random_zip, scratch, seed_bytes,
                         blank_workbook_bytes, templates, workbook_bytes)


# ---------------------------------------------------------------- data files (loader, yamlsrc, rules)


def _data_file(suffix_and_bytes) -> None:
    """A data file loads and is judged, or is refused with DataFileError findings."""
    from report_writer.data.validate import validate_file

    suffix, data = suffix_and_bytes
    path = scratch("data" + suffix, data)
    try:
        result = validate_file(path)
    except DataFileError as e:
        assert e.findings and all(f.message for f in e.findings)
        return
    assert all(f.message for f in result.findings)


test_data_bytes, test_data_bytes_slow = pair(
    mutated_seed(DATA_SEEDS).map(lambda t: (".yaml", t[1])), _data_file, quick=60, slow=2000)
test_data_json_bytes, test_data_json_bytes_slow = pair(
    mutated_data().flatmap(lambda t: mutated_bytes(t[1], max_ops=3).map(lambda b: (t[0], b))), _data_file,
    quick=20, slow=600)
test_data_fields, test_data_fields_slow = pair(mutated_data(), _data_file, quick=60, slow=1500)
test_data_random_text, test_data_random_text_slow = pair(
    st.tuples(st.sampled_from([".yaml", ".json"]), st.text(max_size=300).map(lambda s: s.encode("utf-8"))),
    _data_file, quick=30, slow=500)


_WORKBOOKS = (workbook_bytes(), blank_workbook_bytes())  # made once, at import: strategies must not run the CLI


@st.composite
def _workbooks(draw):
    raw = _WORKBOOKS[0] if draw(st.integers(0, 3)) else _WORKBOOKS[1]
    return ".xlsx", draw(mutated_zip(raw))


test_workbook, test_workbook_slow = pair(_workbooks(), _data_file, quick=15, slow=700)


# ---------------------------------------------------------------- drafts (read_document → map → judge)


def _draft(name_and_bytes, nlp: bool = False) -> None:
    """check_one never raises: the draft is judged, or it is unreadable with a message."""
    from report_writer.check.batch import check_one

    name, data = name_and_bytes
    path = scratch(name, data)
    outcome = check_one(str(path), None, nlp=nlp)
    # check_one turns a bug into an outcome so a batch goes on; here a bug must fail the case
    assert not outcome.internal, outcome.error
    assert outcome.status in ("ok", "findings", "unreadable")
    if outcome.status == "unreadable":
        assert outcome.error and isinstance(outcome.error, str)
    for f in outcome.findings:
        assert f.message and f.level in ("error", "warning", "info")


@st.composite
def _docx(draw):
    name = draw(st.sampled_from(DOCX_SEEDS))
    return "draft.docx", draw(mutated_zip(seed_bytes(name)))


def _with_nlp(value) -> None:
    _draft(value[0], nlp=value[1])


test_docx, test_docx_slow = pair(st.tuples(_docx(), st.integers(0, 4).map(lambda n: n == 0)), _with_nlp,
                                 quick=25, slow=1500)
test_html, test_html_slow = pair(
    st.tuples(mutated_seed(HTML_SEEDS).map(lambda t: ("draft.html", t[1])), st.integers(0, 4).map(lambda n: n == 0)),
    _with_nlp, quick=12, slow=600)
test_text, test_text_slow = pair(
    st.tuples(mutated_seed(TEXT_SEEDS).map(lambda t: ("draft.txt", t[1])), st.integers(0, 2).map(lambda n: n == 0)),
    _with_nlp, quick=25, slow=1000)
test_random_draft, test_random_draft_slow = pair(
    st.tuples(st.sampled_from(["x.docx", "x.html", "x.txt", "x.doc", "x"]),
              st.binary(max_size=400) | st.text(max_size=400).map(lambda s: s.encode("utf-8"))
              | st.text(max_size=200).map(lambda s: s.encode("gb18030", "replace"))),
    _draft, quick=30, slow=400)
test_random_zip, test_random_zip_slow = pair(
    st.tuples(st.sampled_from(["x.docx", "x.xlsx"]), random_zip()),
    lambda t: _draft(t) if t[0].endswith(".docx") else _data_file((".xlsx", t[1])), quick=20, slow=400)


# ---------------------------------------------------------------- phrase bank (files, templates, conditions)


def _bank(name_and_bytes) -> None:
    """A mutated phrase-bank file lints, and a bank that lints without errors drafts or says why."""
    from report_writer.draft.lint import lint
    from report_writer.draft.phrasebank import PhraseBankError
    from report_writer.draft.realize import realize

    name, data = name_and_bytes
    path = scratch(name.rsplit("/", 1)[-1], data)
    bank, issues = lint([path.parent], include_builtin=False)
    assert all(i.message for i in issues)
    try:
        realize(_example_data(), seed=0, phrasebank_dirs=(str(path.parent),))
    except PhraseBankError as e:
        assert e.issues and all(i.message for i in e.issues)


@functools.lru_cache(maxsize=None)
def _example_data():
    from report_writer.data.loader import load

    return load(str(seed_path("examples/yunling-zrzy-2023.yaml"))).data


def seed_path(rel: str):
    from .strategies import ROOT

    return ROOT / rel


test_bank_file, test_bank_file_slow = pair(mutated_seed(BANK_SEEDS), _bank, quick=15, slow=700)


@functools.lru_cache(maxsize=None)
def _context():
    from report_writer.draft.values import DataView
    from report_writer.formats import get_format

    data = _example_data()
    return DataView(data, get_format(data.format_id)).context()


def _template(src: str) -> None:
    """A template renders, or the sandbox refuses it with RenderError; lint never crashes on it."""
    from report_writer.draft.lint import lint_template
    from report_writer.draft.phrasebank import Case, Rule, Variant
    from report_writer.draft.sandbox import RenderError, render, to_spans
    from report_writer.draft import expr

    try:
        out = render(src, _context())
        to_spans(out, "fuzz")
        assert len(out) <= 6000
    except RenderError as e:
        assert str(e)
    v = Variant(src, "fuzz.yaml", 1)
    rule = Rule(id="fuzz", slot="other.matters", para="fuzz", order=1, kind="sentence", when="true", each=None,
                each_para=False, join=None, fallback=None, cases=[Case("true", [v], "fuzz.yaml", 1, expr.parse("true"))],
                formats=None, file="fuzz.yaml", line=1, layer=1, when_node=expr.parse("true"), when_line=1)
    for issue in lint_template(rule, v, {}):
        assert issue.message


test_template, test_template_slow = pair(templates(), _template, quick=60, slow=1000)


def _condition(src: str) -> None:
    """A `when` condition parses and evaluates over the data, or fails with ExprError: never eval."""
    from report_writer.draft import expr
    from report_writer.draft.values import DataView
    from report_writer.formats import get_format

    data = _example_data()
    view = DataView(data, get_format(data.format_id))
    try:
        node = expr.parse(src)
        expr.paths(node)
        expr.constant_value(node)
        expr.holds(node, view.lookup)
    except expr.ExprError as e:
        assert e.message


test_condition, test_condition_slow = pair(expressions(), _condition, quick=60, slow=600)
