"""Issue 16, output hygiene: escape sequences and other controls in a draft's title, a file
name or a data file reach the terminal as visible text (\\x1b), never as control sequences."""

from __future__ import annotations

import json
import shutil

from report_writer.output import terminal_safe

from .helpers import EXAMPLE, run

DRAFTS = EXAMPLE.parent / "drafts"
ESC = "\x1b]0;已被篡改\x07\x1b[2J\u009b31m\r"


def test_controls_are_shown_not_obeyed():
    assert terminal_safe("甲\x1b[31m乙\u202e丙\n丁\t") == "甲\\x1b[31m乙\\u202e丙\n丁\t"


def test_a_title_with_escape_sequences_is_printed_harmlessly(tmp_path):
    text = (DRAFTS / "clean.txt").read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    draft = tmp_path / f"报告{ESC[:4]}.txt"
    draft.write_text(first.replace("局", "局" + ESC, 1) + "\n" + rest, encoding="utf-8")
    shutil.copy(draft, tmp_path / "second.txt")
    for args in (["check", draft, "--no-nlp"], ["check", tmp_path, "--no-nlp"]):
        result = run(*args)
        assert "\x1b" not in result.output and "\x07" not in result.output and "\u009b" not in result.output
        assert "\r" not in result.output
    as_json = run("check", draft, "--no-nlp", "--format", "json").output
    json.loads(as_json)  # JSON keeps the text exactly (escaped by JSON itself), still valid


def test_a_file_name_with_escape_sequences_in_an_error(tmp_path):
    result = run("check", tmp_path / "缺失\x1b[31m.txt", "--no-nlp")
    assert result.exit_code == 2 and "\x1b" not in result.output and "\\x1b" in result.output
