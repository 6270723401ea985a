"""Fuzz the issue-16 classes: typed values through every data command, files that expand,
hostile template arithmetic and conditions, text tables in other shapes, PDFs, and batches.

Each case passes when it ends in success or in the tool's own error (exit 0/1/2 with a
message, never 3); the time limit of strategies.pair fails a hang, scripts/fuzz.sh's
address-space cap an unbounded allocation, and the template target also bounds Python's heap.
"""

from __future__ import annotations

import functools
import json
import tracemalloc

import pytest
from hypothesis import strategies as st

from .hostile import (expanding_docx, expanding_html, hostile_expressions, hostile_templates, pdf_seeds,
                      text_table_shapes, typed_data)
from .strategies import mutated_bytes, pair, scratch
from .test_fuzz_cli import _run
from .test_fuzz_inputs import _condition, _draft, _template


def _typed(value) -> None:
    """A typed value: validate, draft and convert agree and none crashes."""
    data, command = value
    path = scratch("typed.yaml", data)
    out = path.parent
    args = {"validate": ["validate", str(path)], "draft": ["draft", str(path), "-o", str(out / "o.docx")],
            "convert": ["convert", str(path), "-o", str(out / "o.xlsx")],
            "convert-json": ["convert", str(path), "-o", str(out / "o.json")]}[command]
    _run(args, command.split("-")[0])


test_typed_values, test_typed_values_slow = pair(
    st.tuples(typed_data(), st.sampled_from(["validate", "draft", "convert", "convert-json"])), _typed,
    quick=16, slow=500)

test_expanding_docx, test_expanding_docx_slow = pair(
    expanding_docx().map(lambda b: ("expand.docx", b)), _draft, quick=4, slow=80)
test_expanding_html, test_expanding_html_slow = pair(
    expanding_html().map(lambda b: ("expand.html", b)), _draft, quick=5, slow=150)


def _shape(value) -> None:
    _draft(value[0], nlp=value[1])


test_text_shapes, test_text_shapes_slow = pair(
    st.tuples(st.one_of(text_table_shapes(), text_table_shapes().flatmap(lambda b: mutated_bytes(b, max_ops=3)))
              .map(lambda b: ("shape.txt", b)), st.integers(0, 3).map(lambda n: n == 0)),
    _shape, quick=12, slow=500)


@functools.lru_cache(maxsize=None)
def _warm() -> None:
    _template("{{ meta.body }}{% for x in req.outcomes %}{{ x.label }}{% endfor %}")


def _bounded_template(src: str) -> None:
    """A hostile template is refused or rendered within 20 MB of Python heap."""
    _warm()  # the data, the sandbox and lint's tables are built once, not by the case
    tracemalloc.start()
    try:
        _template(src)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"template {src!r} peaked at {peak // 1024 // 1024} MB"


test_hostile_templates, test_hostile_templates_slow = pair(hostile_templates(), _bounded_template,
                                                           quick=40, slow=1200)
test_hostile_conditions, test_hostile_conditions_slow = pair(hostile_expressions(), _condition, quick=40, slow=800)


@functools.lru_cache(maxsize=None)
def _pdfs() -> tuple[bytes, ...]:
    return tuple(pdf_seeds())


@st.composite
def _pdf(draw):
    seeds = _pdfs()
    raw = draw(st.sampled_from(seeds))
    return "draft.pdf", (raw if draw(st.integers(0, 5)) == 0 else draw(mutated_bytes(raw)))


def _pdf_case(value) -> None:
    pytest.importorskip("report_writer.read.pdf", reason="the PDF reader (read/pdf.py) is not in this build")
    if not _pdfs():
        pytest.skip("no PDF seed: neither committed fixtures nor reportlab to lay one out")
    _draft(value)


test_pdf, test_pdf_slow = pair(st.just(None).flatmap(lambda _: _pdf() if _pdfs() else st.just(("draft.pdf", b"%PDF"))),
                               _pdf_case, quick=5, slow=300)


@st.composite
def _folders(draw):
    files = []
    for k in range(draw(st.integers(2, 4))):
        kind = draw(st.sampled_from(["shape", "docx", "html", "junk"]))
        if kind == "shape":
            files.append((f"{k}.txt", draw(text_table_shapes())))
        elif kind == "docx":
            files.append((f"{k}.docx", draw(expanding_docx())))
        elif kind == "html":
            files.append((f"{k}.html", draw(expanding_html())))
        else:
            files.append((f"{k}.txt", draw(st.binary(max_size=300))))
    return files, draw(st.sampled_from(["1", "2"]))


def _batch(value) -> None:
    """A folder of mixed drafts: every file is reported, in order, whatever the others do."""
    files, jobs = value
    first = None
    for name, data in files:
        p = scratch(f"batch-{name}", data)
        first = first or p
    folder = first.parent.parent
    paths = sorted(str(p) for p in folder.glob("batch-*/*") if p.is_file())
    r = _run(["check", *paths, "--no-nlp", "--jobs", jobs, "--format", "json"], "check")
    reported = [f["file"] for f in json.loads(r.output)["files"]]
    assert reported == paths


test_batch, test_batch_slow = pair(_folders(), _batch, quick=3, slow=60)
