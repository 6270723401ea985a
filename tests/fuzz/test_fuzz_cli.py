"""Fuzz the commands end to end (CliRunner): every exit code is 0, 1 or 2 with no traceback.

Fewer cases than test_fuzz_inputs.py (a command costs more than a library call); the exit code
contract is what is checked here: 2 with a message for a bad input, never 3 (内部错误).
"""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import strategies as st

from report_writer.cli.main import main

from .strategies import (DATA_SEEDS, DOCX_SEEDS, TEXT_SEEDS, mutated_bytes, mutated_data, mutated_seed, mutated_zip,
                         pair, scratch, seed_bytes)

ALLOWED = {"validate": {0, 1, 2}, "draft": {0, 1, 2}, "convert": {0, 1, 2}, "check": {0, 1, 2},
           "extract": {0, 1, 2}}


def _run(args: list[str], command: str):
    r = CliRunner().invoke(main, args)
    text = r.output + (r.stderr if r.stderr_bytes is not None else "")
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in ALLOWED[command], (r.exit_code, text[-800:])
    assert "Traceback" not in text and "内部错误" not in text, text[-800:]
    if r.exit_code == 2:
        assert text.strip(), "exit 2 without a message"
    return r


def _data_commands(value) -> None:
    """validate, draft and convert on a mutated data file."""
    (suffix, data), command = value
    path = scratch("cli" + suffix, data)
    out_dir = path.parent
    if command == "validate":
        _run(["validate", str(path)], command)
    elif command == "draft":
        _run(["draft", str(path), "-o", str(out_dir / "out.docx")], command)
    else:
        _run(["convert", str(path), "-o", str(out_dir / "out.xlsx")], command)


_DATA = (mutated_seed(DATA_SEEDS).map(lambda t: (".yaml", t[1])) | mutated_data())
test_cli_data, test_cli_data_slow = pair(st.tuples(_DATA, st.sampled_from(["validate", "validate", "draft", "convert"])),
                                         _data_commands, quick=10, slow=250)


@st.composite
def _drafts(draw):
    if draw(st.booleans()):
        return "cli.docx", draw(mutated_zip(seed_bytes(draw(st.sampled_from(DOCX_SEEDS)))))
    return "cli.txt", draw(mutated_bytes(seed_bytes(TEXT_SEEDS[0])))


def _draft_commands(value) -> None:
    """check (with --annotate for .docx, --format json) and extract on a mutated draft."""
    (name, data), command, as_json = value
    path = scratch(name, data)
    if command == "check":
        args = ["check", str(path), "--no-nlp"]
        if name.endswith(".docx"):
            args += ["--annotate", str(path.parent / "annotated.docx")]
        if as_json:
            args += ["--format", "json"]
        _run(args, command)
    else:
        _run(["extract", str(path), "-o", str(path.parent / "out.yaml")], command)


test_cli_drafts, test_cli_drafts_slow = pair(st.tuples(_drafts(), st.sampled_from(["check", "check", "extract"]),
                                                       st.booleans()), _draft_commands, quick=8, slow=250)
