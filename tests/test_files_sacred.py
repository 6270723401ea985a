"""Files are sacred (issue 8, item 4): for validate, draft, check --annotate, convert, extract and init

- every input hashes the same before and after, and is never opened for writing (audit hook);
- an output path that is an input (same path, symlink or hard link) is refused with exit 2;
- outputs appear atomically: written to a temporary file in the same directory, then renamed;
- a run that fails midway leaves no output and no temporary file (and an old output untouched);
- no command opens a network connection (the audit hook also watches sockets).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from report_writer.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# ---------------------------------------------------------------- an audit hook: who opens what for writing

_AUDIT: dict = {"on": False, "writes": [], "renames": [], "net": []}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _hook(event: str, args: tuple) -> None:
    if not _AUDIT["on"]:
        return
    if event == "open":
        path, mode, flags = (list(args) + [None, None, None])[:3]
        if not isinstance(path, (str, bytes, os.PathLike)):
            return  # a file descriptor
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and mode is None and flags & _WRITE_FLAGS)
        if writing:
            _AUDIT["writes"].append(os.path.realpath(os.fsdecode(path)))
    elif event in ("socket.connect", "socket.getaddrinfo", "socket.sendto", "urllib.Request"):
        _AUDIT["net"].append((event, repr(args)[:200]))
    elif event == "os.rename":
        _AUDIT["renames"].append((os.path.realpath(os.fsdecode(args[0])), os.path.realpath(os.fsdecode(args[1]))))


sys.addaudithook(_hook)  # cannot be removed; inert unless _AUDIT["on"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(d: Path) -> dict[str, str]:
    return {str(p.relative_to(d)): digest(p) for p in sorted(d.rglob("*")) if p.is_file() and not p.is_symlink()}


def run(args: list[str], inputs: list[Path]):
    """Run a command with the audit on; assert inputs unchanged and never opened for writing."""
    before = {p: digest(p) for p in inputs}
    _AUDIT.update(on=True, writes=[], renames=[], net=[])
    try:
        r = CliRunner().invoke(main, args)
    finally:
        _AUDIT["on"] = False
    for p in inputs:
        assert digest(p) == before[p], f"{p} was modified by {args[0]}"
        real = os.path.realpath(p)
        assert real not in _AUDIT["writes"], f"{args[0]} opened its input {p} for writing"
        assert all(dst != real for _, dst in _AUDIT["renames"]), f"{args[0]} renamed a file over its input {p}"
    assert not _AUDIT["net"], f"{args[0]} reached for the network: {_AUDIT['net']}"  # the tool works offline
    assert "Traceback" not in r.output
    return r


def assert_atomic(out: Path) -> None:
    """The output was never opened for writing under its own name: a temporary file was renamed onto it."""
    real = os.path.realpath(out)
    assert real not in _AUDIT["writes"], f"{out} was written in place"
    sources = [src for src, dst in _AUDIT["renames"] if dst == real]
    assert sources, f"{out} did not appear by a rename"
    assert all(os.path.dirname(s) == os.path.dirname(real) and os.path.basename(s).startswith(".")
               for s in sources), sources


def no_leftovers(d: Path, expected: set[str]) -> None:
    names = {p.name for p in d.iterdir()}
    assert names == expected, f"unexpected files: {names - expected}, missing: {expected - names}"


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def work(tmp_path):
    """Inputs copied into a scratch directory: two data files, a .docx draft, a text draft, a workbook."""
    shutil.copy(EXAMPLES / "jinzhai-2020.yaml", tmp_path / "data.yaml")
    shutil.copy(EXAMPLES / "yunling-zrzy-2023.yaml", tmp_path / "yunling.yaml")
    shutil.copy(EXAMPLES / "drafts" / "defect-t3-sum.docx", tmp_path / "draft.docx")
    shutil.copy(EXAMPLES / "drafts" / "clean.txt", tmp_path / "draft.txt")
    r = CliRunner().invoke(main, ["convert", str(tmp_path / "data.yaml"), "-o", str(tmp_path / "data.xlsx")])
    assert r.exit_code == 0, r.output
    for p in tmp_path.iterdir():
        os.chmod(p, 0o444)  # as a clerk's USB stick might have them; root ignores it, the audit does not
    return tmp_path


# ---------------------------------------------------------------- each command: inputs intact, outputs atomic


def test_validate_leaves_inputs_intact(work):
    before = snapshot(work)
    for name in ("data.yaml", "data.xlsx"):
        r = run(["validate", str(work / name)], [work / name])
        assert r.exit_code in (0, 1), r.output
    assert snapshot(work) == before
    assert not _AUDIT["renames"]


def test_draft(work):
    out = work / "out" / "report.docx"
    r = run(["draft", str(work / "data.yaml"), "-o", str(out)], [work / "data.yaml"])
    assert r.exit_code == 0, r.output
    assert_atomic(out)
    no_leftovers(out.parent, {"report.docx"})
    r = run(["draft", str(work / "data.xlsx"), "-o", str(out)], [work / "data.xlsx"])  # over the old output
    assert r.exit_code == 0, r.output
    assert_atomic(out)
    no_leftovers(out.parent, {"report.docx"})


def test_check_with_annotate(work):
    out = work / "annotated.docx"
    r = run(["check", str(work / "draft.docx"), "--data", str(work / "data.yaml"), "--annotate", str(out),
             "--no-nlp"], [work / "draft.docx", work / "data.yaml"])
    assert r.exit_code == 1, r.output  # the defect is found
    assert_atomic(out)
    r = run(["check", str(work / "draft.txt"), str(work / "draft.docx"), "--no-nlp", "--annotate", str(work / "notes"),
             "--jobs", "2"], [work / "draft.txt", work / "draft.docx"])
    assert (work / "notes" / "draft-批注.docx").is_file()


def test_convert(work):
    for src, out in (("data.yaml", "conv.xlsx"), ("data.xlsx", "conv.yaml"), ("data.yaml", "conv.json")):
        r = run(["convert", str(work / src), "-o", str(work / out)], [work / src])
        assert r.exit_code == 0, r.output
        assert_atomic(work / out)


def test_extract(work):
    for src, out, extra in (("draft.docx", "ex.yaml", []), ("draft.txt", "next.xlsx", ["--next-year"])):
        r = run(["extract", str(work / src), "-o", str(work / out), *extra], [work / src])
        assert r.exit_code in (0, 1), r.output
        assert_atomic(work / out)


def test_init(work):
    out = work / "blank.xlsx"
    r = run(["init", "--year", "2024", "-o", str(out)], [])
    assert r.exit_code == 0, r.output
    assert_atomic(out)
    first = digest(out)
    r = run(["init", "--year", "2023", "-o", str(out)], [out])  # an existing (maybe filled) file is kept
    assert r.exit_code == 2 and "已存在" in r.output
    assert digest(out) == first
    r = run(["init", "--year", "2023", "-o", str(out), "--force"], [])
    assert r.exit_code == 0 and digest(out) != first
    assert_atomic(out)


# ---------------------------------------------------------------- output == input is refused


def _same_file_variants(work: Path, target: Path, name: str) -> list[Path]:
    """`target` itself, a symlink to it and a hard link to it, under names with the output's suffix."""
    link = work / f"link-{name}"
    link.symlink_to(target)
    hard = work / f"hard-{name}"
    os.link(target, hard)
    return [link, hard]


@pytest.mark.parametrize("command", ["draft", "check", "convert", "extract"])
def test_output_equal_to_an_input_is_refused(work, command):
    if command == "draft":
        outs = [work / "draft.docx", *_same_file_variants(work, work / "data.yaml", "data.docx")]
        make = lambda out: ["draft", str(work / "data.yaml"), "-o", str(out)]  # noqa: E731
        inputs = [work / "data.yaml", work / "draft.docx"]
    elif command == "check":
        outs = [work / "draft.docx", *_same_file_variants(work, work / "draft.docx", "d.docx")]
        make = lambda out: ["check", str(work / "draft.docx"), "--annotate", str(out), "--no-nlp"]  # noqa: E731
        inputs = [work / "draft.docx"]
    elif command == "convert":
        outs = [work / "data.yaml", *_same_file_variants(work, work / "data.xlsx", "x.yaml")]
        make = lambda out: ["convert", str(work / ("data.yaml" if out.name == "data.yaml" else "data.xlsx")),  # noqa: E731
                            "-o", str(out)]
        inputs = [work / "data.yaml", work / "data.xlsx"]
    else:
        outs = _same_file_variants(work, work / "draft.docx", "r.yaml")
        make = lambda out: ["extract", str(work / "draft.docx"), "-o", str(out)]  # noqa: E731
        inputs = [work / "draft.docx"]
    for out in outs:
        if command == "draft" and out == work / "draft.docx":
            continue  # draft.docx is not an input of draft; covered by the links below
        before = snapshot(work)
        r = run(make(out), inputs)
        assert r.exit_code == 2, (command, out, r.output)
        assert "同一个文件" in r.output or "相同" in r.output, r.output
        assert snapshot(work) == before


# ---------------------------------------------------------------- a run that fails midway


def _fail_rename(monkeypatch):
    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)


@pytest.mark.parametrize("command", ["draft", "check", "convert", "extract", "init"])
def test_failed_write_leaves_no_output_and_no_temporary_file(work, monkeypatch, command):
    out_dir = work / "out"
    out_dir.mkdir()
    old = out_dir / "keep.bin"
    old.write_bytes(b"an earlier output")
    args = {
        "draft": ["draft", str(work / "data.yaml"), "-o", str(out_dir / "r.docx")],
        "check": ["check", str(work / "draft.docx"), "--annotate", str(out_dir / "r.docx"), "--no-nlp"],
        "convert": ["convert", str(work / "data.yaml"), "-o", str(out_dir / "r.xlsx")],
        "extract": ["extract", str(work / "draft.docx"), "-o", str(out_dir / "r.yaml")],
        "init": ["init", "--year", "2024", "-o", str(out_dir / "r.xlsx")],
    }[command]
    _fail_rename(monkeypatch)
    before = snapshot(work)
    r = run(args, [])
    assert r.exit_code == 2, r.output
    assert "无法写入" in r.output or "No space" in r.output, r.output
    no_leftovers(out_dir, {"keep.bin"})
    assert snapshot(work) == before


def test_failed_write_keeps_the_old_output(work, monkeypatch):
    out = work / "report.docx"
    out.write_bytes(b"last year's draft")
    _fail_rename(monkeypatch)
    r = run(["draft", str(work / "data.yaml"), "-o", str(out)], [])
    assert r.exit_code == 2
    assert out.read_bytes() == b"last year's draft"
    no_leftovers(work, {"data.yaml", "yunling.yaml", "draft.docx", "draft.txt", "data.xlsx", "report.docx"})


def test_renderer_crash_leaves_nothing(work, monkeypatch):
    """An exception inside the renderer (a bug) ends as 内部错误, exit 3, with nothing written."""
    import report_writer.draft.render_docx as render_docx

    def boom(*a, **k):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(render_docx, "render", boom)
    r = run(["draft", str(work / "data.yaml"), "-o", str(work / "out" / "r.docx")], [work / "data.yaml"])
    assert r.exit_code == 3 and "内部错误" in r.output
    assert not (work / "out").exists() or not any((work / "out").iterdir())


def test_data_error_leaves_nothing(work):
    bad = work / "bad.yaml"
    bad.write_text((work / "data.yaml").read_text(encoding="utf-8").replace("table3:", "table3:\n  bogus: 1", 1),
                   encoding="utf-8")
    for args in (["draft", str(bad), "-o", str(work / "o.docx")], ["convert", str(bad), "-o", str(work / "o.xlsx")]):
        r = run(args, [bad])
        assert r.exit_code == 2, r.output
    assert not (work / "o.docx").exists() and not (work / "o.xlsx").exists()
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]


def test_the_audit_would_catch_an_input_opened_for_writing(work, monkeypatch):
    """The protection test itself: a command that opens its input 'r+' (even without changing it) fails."""
    import report_writer.data.validate as validate

    real = validate.validate_file

    def sneaky(path):
        with open(path, "r+b"):
            pass
        return real(path)

    monkeypatch.setattr(validate, "validate_file", sneaky)
    os.chmod(work / "data.yaml", 0o644)
    with pytest.raises(AssertionError, match="opened its input"):
        run(["validate", str(work / "data.yaml")], [work / "data.yaml"])
