"""Issue 16, batch: one bad file never stops the others (serial and --jobs); each failure is
reported in its place and the exit code says so; nothing in a folder is skipped silently;
annotated copies of drafts with the same name do not overwrite each other."""

from __future__ import annotations

import json
import os
import shutil

import pytest

import report_writer.check.api as api

from .helpers import EXAMPLE, run

DRAFTS = EXAMPLE.parent / "drafts"


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "各单位"
    d.mkdir()
    shutil.copy(DRAFTS / "clean.txt", d / "a-clean.txt")
    shutil.copy(DRAFTS / "clean.txt", d / "b-boom.txt")
    shutil.copy(DRAFTS / "defect-t3-sum.docx", d / "c-defect.docx")
    return d


@pytest.fixture
def boom(monkeypatch):
    """A bug that strikes one file only (forked --jobs workers inherit the patch)."""
    real = api.check_document

    def check_document(path, *a, **k):
        if "boom" in str(path):
            raise RuntimeError("故障注入")
        return real(path, *a, **k)

    monkeypatch.setattr(api, "check_document", check_document)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_meets_a_bug_does_not_stop_the_batch(folder, boom, jobs):
    result = run("check", folder, "--no-nlp", "--jobs", jobs, "--format", "json", internal_ok=True)
    assert result.exit_code == 3
    files = json.loads(result.output)["files"]
    assert [os.path.basename(f["file"]) for f in files] == ["a-clean.txt", "b-boom.txt", "c-defect.docx"]
    assert files[0]["status"] == "ok" and files[2]["status"] == "findings"
    assert files[1]["status"] == "unreadable" and "内部错误" in files[1]["error"] and "故障注入" in files[1]["error"]


def test_the_text_report_shows_the_failure_in_its_place(folder, boom):
    result = run("check", folder, "--no-nlp", internal_ok=True)
    assert result.exit_code == 3
    out = result.output
    assert out.index("a-clean.txt") < out.index("b-boom.txt") < out.index("c-defect.docx")
    assert "内部错误" in out


def test_dangling_links_and_special_files_in_a_folder_are_reported(folder):
    os.symlink(folder / "gone.docx", folder / "d-link.docx")
    os.mkfifo(folder / "e-pipe.txt")
    result = run("check", folder, "--no-nlp", "--format", "json")
    files = {os.path.basename(f["file"]): f for f in json.loads(result.output)["files"]}
    assert "失效的符号链接" in files["d-link.docx"]["error"]
    assert "命名管道" in files["e-pipe.txt"]["error"]
    assert files["a-clean.txt"]["status"] == "ok" and result.exit_code == 2


def test_a_subfolder_that_cannot_be_opened_is_reported(folder, monkeypatch):
    locked = folder / "乙局"
    locked.mkdir()
    shutil.copy(DRAFTS / "clean.txt", locked / "report.txt")
    real_scandir = os.scandir

    def scandir(path="."):  # root ignores permissions: refuse as a locked folder would
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("check", folder, "--no-nlp", "--format", "json")
    files = {os.path.basename(f["file"]): f for f in json.loads(result.output)["files"]}
    assert "无法打开该文件夹" in files["乙局"]["error"] and result.exit_code == 2


def test_annotated_copies_of_drafts_with_the_same_name_are_kept_apart(tmp_path):
    for office in ("甲局", "乙局"):
        (tmp_path / "in" / office).mkdir(parents=True)
        shutil.copy(DRAFTS / "defect-t3-sum.docx", tmp_path / "in" / office / "报告.docx")
    out = tmp_path / "out"
    result = run("check", tmp_path / "in", "--no-nlp", "--annotate", out, "--format", "json")
    annotated = [f["annotated"] for f in json.loads(result.output)["files"]]
    assert len(set(annotated)) == 2 and all(os.path.exists(a) for a in annotated)
    assert sorted(os.listdir(out)) == ["报告-批注-2.docx", "报告-批注.docx"]
