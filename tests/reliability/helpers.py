"""Shared by the issue-16 tests: run a command as a user would and demand a clean answer."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from report_writer.cli.main import main

from ..conftest import EXAMPLES

EXAMPLE = EXAMPLES / "jinzhai-2020.yaml"


def run(*args: str, input: str | None = None, internal_ok: bool = False):
    """The command's result; never a traceback, never an internal error (exit 3) unless a test
    injects one (internal_ok)."""
    result = CliRunner().invoke(main, [str(a) for a in args], input=input)
    if not internal_ok:
        assert result.exit_code != 3, result.output
        assert "内部错误" not in result.output, result.output
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def example_with(tmp_path: Path, old: str, new: str, name: str = "data.yaml") -> Path:
    """The example data file with one piece of text replaced (the way a clerk edits it)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path
