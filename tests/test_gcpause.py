"""check pauses the cyclic garbage collector (check/gcpause.py): that is only sound while a check
makes no reference cycles, which reference counting alone could not free. Every example draft, PDF
fixture and real report is checked with the collector off; nothing may be left for it to collect."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from report_writer.check.api import check_document
from report_writer.data.loader import load
from report_writer.read import ReadError

from .read_helpers import ROOT, shared_path

DATA = load(ROOT / "examples" / "jinzhai-2020.yaml").data


def _inputs() -> list[Path]:
    out = sorted((ROOT / "examples" / "drafts").glob("*.docx")) + sorted((ROOT / "examples" / "drafts").glob("*.html"))
    out += sorted((ROOT / "examples" / "drafts").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))
    for rel in ("real/suqian-2023.txt", "real/pingtan/pingtan-2019.txt", "real/pingtan/pingtan-2025.txt",
                "seed/jinzhai-2020-annual-report.txt"):
        p = shared_path(rel)
        if p is not None:
            out.append(p)
    return out


def _garbage_of(fn) -> list:
    fn()  # caches filled, modules imported
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        fn()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        return [type(o).__name__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was:
            gc.enable()


@pytest.mark.parametrize("path", _inputs(), ids=lambda p: p.name)
def test_a_check_leaves_no_reference_cycles(path):
    assert _garbage_of(lambda: check_document(path)) == []
    assert _garbage_of(lambda: check_document(path, data=DATA)) == []


def test_the_collector_runs_again_after_a_check_and_after_a_failed_one(tmp_path):
    assert gc.isenabled()
    check_document(ROOT / "examples" / "drafts" / "clean.docx")
    assert gc.isenabled()
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(ReadError):
        check_document(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        check_document(ROOT / "examples" / "drafts" / "clean.docx")
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
