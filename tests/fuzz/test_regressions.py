"""Inputs the fuzz target found, kept as plain tests in the normal suite (each crashed before its fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_writer.check.batch import check_one
from report_writer.data.loader import load
from report_writer.findings import DataFileError
from report_writer.draft.lint import lint

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("junk", ["\x01", "\x00", "\x1e", "\ufffe"])
def test_web_page_with_a_control_character_in_the_chrome(tmp_path, junk):
    """lxml refused to set a text node holding \\x01 while dropping site chrome: ValueError."""
    page = (ROOT / "examples" / "drafts" / "clean.html").read_text(encoding="utf-8")
    page = page.replace("</head>", "</head>" + junk, 1).replace('<div class="footer">', junk + '<div class="footer">', 1)
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    outcome = check_one(str(path), None, nlp=False)
    assert outcome.status in ("ok", "findings"), outcome.error


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_data_file_with_a_control_character(tmp_path, suffix):
    """PyYAML's reader raised ReaderError outside the try: a traceback instead of a message."""
    path = tmp_path / f"data{suffix}"
    path.write_text('{"meta": {"body": "某\x1e局"}}' if suffix == ".json" else "meta:\n  body: 某\x1e局\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError) as ei:
        load(path)
    assert ei.value.findings[0].message


def test_phrase_bank_file_with_a_control_character(tmp_path):
    (tmp_path / "office.yaml").write_text("rules:\n  - id: x\x18\n", encoding="utf-8")
    _, issues = lint([tmp_path], include_builtin=False)
    assert any("控制字符" in i.message and i.line == 2 for i in issues)
