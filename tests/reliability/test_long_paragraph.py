"""Issue 16, hangs: the NLP pass on one paragraph of a million characters took over 5 minutes;
now such a paragraph is skipped with a NUM-SKIPPED note that names the limit."""

from __future__ import annotations

import time
import zipfile

import pytest

from .helpers import EXAMPLE, run

pytest.importorskip("spacy")


def test_a_huge_paragraph_is_skipped_by_the_text_analysis_in_bounded_time(tmp_path):
    para = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>".format("全年共收到申请12件，办结10件。" * 20_000).encode()
    draft = tmp_path / "long.docx"
    with zipfile.ZipFile(EXAMPLE.parent / "drafts" / "clean.docx") as zin, \
            zipfile.ZipFile(draft, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", para + b"</w:body>")
            zout.writestr(info.filename, data)
    started = time.monotonic()
    result = run("check", draft, "--format", "json")
    assert time.monotonic() - started < 60
    assert '"NUM-SKIPPED"' in result.output and "MAX_NLP_CHARS" in result.output
