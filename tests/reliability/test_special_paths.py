"""Issue 16, special files and misleading messages: FIFOs and devices are neither read nor
replaced, over-long output names are refused before any work, and a file that is something
else (an .xlsx called .docx, UTF-16 text without a BOM) is called what it is."""

from __future__ import annotations

import os
import shutil

import pytest

from .helpers import EXAMPLE, run

DRAFTS = EXAMPLE.parent / "drafts"
LONG = "长" * 100  # 300 bytes of UTF-8: over the 255 bytes of a file name


@pytest.fixture
def fifo(tmp_path):
    def make(name: str):
        path = tmp_path / name
        os.mkfifo(path)
        return path

    return make


@pytest.mark.parametrize("args, expect", [
    (lambda f, d, t: ["validate", f("d.yaml")], "命名管道"),
    (lambda f, d, t: ["check", f("r.txt"), "--no-nlp"], "命名管道"),
    (lambda f, d, t: ["check", d / "clean.txt", "--no-nlp", "--data", f("d.json")], "命名管道"),
    (lambda f, d, t: ["draft", EXAMPLE, "-o", t / "o.docx", "--style", f("s.yaml")], "命名管道"),
    (lambda f, d, t: ["phrasebank", "lint", f("p.yaml")], "命名管道"),
    (lambda f, d, t: ["validate", t / "zero.yaml"], "设备文件"),
    (lambda f, d, t: ["check", t / "zero.txt", "--no-nlp"], "设备文件"),
])
def test_an_input_that_is_not_a_regular_file_is_refused_not_read(tmp_path, fifo, args, expect):
    os.symlink("/dev/zero", tmp_path / "zero.yaml")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    result = run(*args(fifo, DRAFTS, tmp_path))  # a FIFO with no writer would block for ever
    assert result.exit_code in (1, 2) and expect in result.output, result.output


@pytest.mark.parametrize("command", [
    lambda o: ["draft", EXAMPLE, "-o", o("out.docx")],
    lambda o: ["convert", EXAMPLE, "-o", o("out.xlsx")],
    lambda o: ["extract", DRAFTS / "clean.txt", "-o", o("out.yaml")],
    lambda o: ["init", "-o", o("out.yaml"), "--year", "2023", "--force"],
    lambda o: ["check", DRAFTS / "clean.docx", "--no-nlp", "--annotate", o("out.docx")],
])
def test_an_output_that_is_a_fifo_is_refused(tmp_path, fifo, command):
    result = run(*command(fifo))
    assert result.exit_code == 2 and "命名管道" in result.output, result.output
    assert all(os.path.exists(p) for p in tmp_path.iterdir())  # the FIFO is still there, still a FIFO
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


@pytest.mark.parametrize("command", [
    lambda t: ["draft", EXAMPLE, "-o", t / f"{LONG}.docx"],
    lambda t: ["convert", EXAMPLE, "-o", t / f"{LONG}.xlsx"],
    lambda t: ["extract", DRAFTS / "clean.txt", "-o", t / f"{LONG}.yaml"],
    lambda t: ["init", "-o", t / f"{LONG}.yaml", "--year", "2023"],
    lambda t: ["check", DRAFTS / "clean.docx", "--no-nlp", "--annotate", t / f"{LONG}.docx"],
])
def test_an_output_name_longer_than_the_file_system_allows(tmp_path, command):
    result = run(*command(tmp_path))
    assert result.exit_code == 2 and "名过长" in result.output, result.output


def test_annotate_refuses_a_device(tmp_path):
    result = run("check", DRAFTS / "clean.docx", "--no-nlp", "--annotate", "/dev/null")
    assert result.exit_code == 2 and "设备文件" in result.output and "未发现问题" not in result.output  # before the work


def test_a_workbook_renamed_docx_is_called_a_workbook(tmp_path):
    book = tmp_path / "data.xlsx"
    assert run("convert", EXAMPLE, "-o", book).exit_code == 0
    shutil.copy(book, tmp_path / "报告.docx")
    result = run("check", tmp_path / "报告.docx", "--no-nlp")
    assert result.exit_code == 2 and "Excel 工作簿" in result.output and "w:body" not in result.output


def test_a_word_file_renamed_xlsx_is_called_a_word_file(tmp_path):
    shutil.copy(DRAFTS / "clean.docx", tmp_path / "数据.xlsx")
    result = run("validate", tmp_path / "数据.xlsx")
    assert result.exit_code == 2 and "这是 Word 文档" in result.output and "check" in result.output


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_a_bom_is_read(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes((DRAFTS / "clean.txt").read_text(encoding="utf-8").encode(encoding))
    result = run("check", path, "--no-nlp")
    assert result.exit_code == 0 and "二进制" not in result.output, result.output


def test_random_bytes_are_still_binary(tmp_path):
    import random

    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(16).randbytes(20_000))
    result = run("check", path, "--no-nlp")
    assert result.exit_code == 2 and "二进制" in result.output


def test_convert_to_xlsx_refuses_a_text_excel_would_cut(tmp_path):
    from .helpers import example_with

    data = example_with(tmp_path, "text: 围绕政府职能", "text: " + "长" * 40_000 + "围绕政府职能")
    result = run("convert", data, "-o", tmp_path / "out.xlsx")
    assert result.exit_code == 2 and "32767" in result.output and "overview.proactive.highlights[0].text" in result.output
    assert not (tmp_path / "out.xlsx").exists()
    assert run("convert", data, "-o", tmp_path / "out.json").exit_code == 0  # JSON keeps it whole
