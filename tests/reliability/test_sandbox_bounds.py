"""Issue 16, memory: phrase-bank templates that build huge numbers or lists are refused by the
sandbox within a small memory bound, and `phrasebank lint` flags them before any draft;
a template cannot forge the private-use markers that carry a number's source."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from report_writer.draft.sandbox import RenderError, render

from ..test_limits import _lint_one

HUGE = {
    "tower of powers": "{{ 9**64**64 }}",
    "powers in brackets": "{{ ((((2**64)**64)**64)**64) | length }}",
    "products of powers": "{{ 10**60 * 10**60 * 10**60 * 10**60 * 10**60 }}",
    "list times list length": "{{ ([1]*200)*200 }}",
    "one long repetition": "{{ [1, 2, 3] * 1000 }}",
}


@pytest.mark.parametrize("name", list(HUGE))
def test_a_huge_value_is_refused_in_bounded_memory(name):
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(RenderError):
            render(HUGE[name], {})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024 and time.monotonic() - started < 2


@pytest.mark.parametrize("name", list(HUGE))
def test_lint_flags_a_huge_value(name):
    issues = _lint_one(HUGE[name])
    assert any(i.level == "error" for i in issues), issues


def test_runtime_bound_without_constants_in_the_source():
    """The bound holds on values the lint cannot see (they come through a loop variable)."""
    src = "{% for n in [64] %}{{ (9 ** n) * (9 ** n) * (9 ** n) * (9 ** n) }}{% endfor %}"
    # arithmetic on numbers is refused outright since issue 19 (no provenance); either refusal
    # comes before the number is built
    started = time.monotonic()
    with pytest.raises(RenderError, match="结果过大|不能对数字做"):
        render(src, {})
    assert time.monotonic() - started < 2


def test_a_template_cannot_forge_a_sourced_number():
    forged = "共收到申请\ue000table3.r1.total\ue0019999\ue002件"
    with pytest.raises(RenderError, match="私用区字符"):
        render(forged, {})
    assert any("私用区字符" in i.message for i in _lint_one(forged))


def test_ordinary_arithmetic_still_works():
    assert render("{{ '—' * 3 }}{{ ['甲', '乙'] | join('、') }}", {}) == "———甲、乙"
