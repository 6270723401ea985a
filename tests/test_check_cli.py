"""`report-writer check` end to end: exit codes, JSON schema, annotated copies, batches, --jobs."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from report_writer.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
DRAFTS = ROOT / "examples/drafts"
DATA = str(ROOT / "examples/yunling-zrzy-2023.yaml")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(*args):
    return CliRunner().invoke(main, ["check", *map(str, args)], catch_exceptions=False)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- exit codes and text


def test_help_is_chinese_documentation():
    r = run("--help")
    assert r.exit_code == 0
    for word in ("审核已写好的年度报告稿", "退出码", "--annotate", "SUM-CELL", "NOTICE-NUMBER"):
        assert word in r.output


def test_clean_exits_0():
    r = run(DRAFTS / "clean.docx", "--data", DATA, "--no-nlp")
    assert r.exit_code == 0, r.output
    assert "未发现问题" in r.output


def test_error_exits_1_and_names_rule_and_place():
    r = run(DRAFTS / "defect-t3-sum.docx", "--no-nlp")
    assert r.exit_code == 1
    assert "SUM-CELL" in r.output and "三、收到和处理政府信息公开申请情况" in r.output
    assert "“（一）予以公开”行“自然人”列" in r.output and "第2个表格第6行第4列" in r.output


def test_fail_on_warning():
    assert run(DRAFTS / "defect-empty-cell.docx", "--no-nlp").exit_code == 0
    r = run(DRAFTS / "defect-empty-cell.docx", "--no-nlp", "--fail-on", "warning")
    assert r.exit_code == 1 and "CELL-EMPTY" in r.output


@pytest.mark.parametrize("content,reason", [
    (b"", "空"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".doc"),
    (b"PK\x03\x04 not really a zip", ""),
])
def test_unreadable_exits_2_without_traceback(tmp_path, content, reason):
    bad = tmp_path / "报告.docx"
    bad.write_bytes(content)
    r = run(bad)
    assert r.exit_code == 2
    assert "Traceback" not in r.output and "无法读取" in r.output
    assert reason in r.output


def test_missing_file_and_bad_data_file_exit_2(tmp_path):
    assert run(tmp_path / "nope.docx").exit_code == 2
    bad = tmp_path / "d.yaml"
    bad.write_text("meta: [", encoding="utf-8")
    r = run(DRAFTS / "clean.docx", "--data", bad)
    assert r.exit_code == 2 and "Traceback" not in r.output


# ---------------------------------------------------------------- JSON


def test_json_schema():
    r = run(DRAFTS / "defect-period.docx", DRAFTS / "clean.docx", "--format", "json", "--no-nlp")
    assert r.exit_code == 1
    doc = json.loads(r.output)
    assert doc["version"] == 1 and doc["command"] == "check"
    assert set(doc["summary"]) == {"files", "unreadable", "failed", "error", "warning", "info", "fail_on"}
    assert doc["summary"]["files"] == 2 and doc["summary"]["failed"] == 1 and doc["summary"]["error"] == 1
    first, second = doc["files"]
    assert set(first) == {"file", "status", "error", "report", "previous", "annotated", "annotate_error",
                          "findings", "tables"}
    assert first["status"] == "findings" and second["status"] == "ok"
    assert first["report"] == {"body": "云岭市自然资源和规划局", "year": 2023, "level": "市级部门",
                               "format": "2021", "kind": "docx"}
    (f,) = first["findings"]
    assert set(f) == {"file", "rule", "level", "message", "expected", "found", "location"}
    assert (f["rule"], f["level"], f["expected"]) == ("PERIOD", "error", "2023年1月1日至12月31日")
    assert f["found"] == "2022年1月1日至12月31日"
    assert set(f["location"]) <= {"file", "section", "paragraph", "start", "end", "table", "row", "col",
                                  "table_index", "cell_row", "cell_col"}
    assert f["location"]["section"] == "preamble" and f["location"]["end"] - f["location"]["start"] == 4


def test_json_cell_location():
    doc = json.loads(run(DRAFTS / "defect-data-cell.docx", "--data", DATA, "--format", "json", "--no-nlp").output)
    (f,) = doc["files"][0]["findings"]
    assert f["rule"] == "DATA-CELL"
    assert f["location"] == {"file": str(DRAFTS / "defect-data-cell.docx"), "section": "proactive", "table": "table2",
                             "row": "enforcement", "col": "decisions", "table_index": 0, "cell_row": 10, "cell_col": 1,
                                 "reading": "docx-table"}


# ---------------------------------------------------------------- batches


def test_batch_with_an_unreadable_file_goes_on_and_exits_2(tmp_path):
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(DRAFTS / "clean.docx", folder / "a-clean.docx")
    shutil.copy(DRAFTS / "defect-notice.docx", folder / "b-notice.docx")
    (folder / "c-old.doc.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # a PDF draft, but only a header: unreadable
    (folder / "notes.odt").write_bytes(b"PK\x03\x04")  # not a draft type: ignored
    r = run(folder, "--format", "json", "--no-nlp")
    assert r.exit_code == 2
    files = {Path(f["file"]).name: f for f in json.loads(r.output)["files"]}
    assert set(files) == {"a-clean.docx", "b-notice.docx", "c-old.doc.docx", "notes.pdf"}
    assert files["notes.pdf"]["status"] == "unreadable" and "PDF" in files["notes.pdf"]["error"]
    assert files["a-clean.docx"]["status"] == "ok"
    assert [f["rule"] for f in files["b-notice.docx"]["findings"]] == ["NOTICE-NUMBER"]
    assert files["c-old.doc.docx"]["status"] == "unreadable" and files["c-old.doc.docx"]["error"]
    text = run(folder, "--no-nlp")
    assert text.exit_code == 2 and "审核汇总" in text.output and "无法读取" in text.output


def test_jobs_2_gives_the_same_findings_as_jobs_1():
    files = [DRAFTS / n for n in ("defect-t3-sum.docx", "defect-period.docx", "clean.html", "defect-2019-tables.docx")]
    one = json.loads(run(*files, "--format", "json", "--jobs", "1").output)
    two = json.loads(run(*files, "--format", "json", "--jobs", "2").output)
    assert one == two
    assert one["summary"]["files"] == 4


# ---------------------------------------------------------------- annotate


def anchored_texts(docx: Path) -> dict[str, str]:
    """Comment id -> the text between its w:commentRangeStart and w:commentRangeEnd."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    open_ids: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for el in root.iter():
        if el.tag == W + "commentRangeStart":
            open_ids[el.get(W + "id")] = []
        elif el.tag == W + "commentRangeEnd":
            i = el.get(W + "id")
            done[i] = "".join(open_ids.pop(i))
        elif el.tag == W + "t":
            for parts in open_ids.values():
                parts.append(el.text or "")
    return done


def comments(docx: Path) -> dict[str, str]:
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/comments.xml"))
    return {c.get(W + "id"): "".join(t.text or "" for t in c.iter(W + "t")) for c in root.iter(W + "comment")}


@pytest.mark.parametrize("name,anchor,rule", [
    ("defect-t3-sum", "22", "SUM-CELL"),
    ("defect-empty-cell", "/", "CELL-EMPTY"),
    ("defect-period", "2022", "PERIOD"),
    ("defect-notice", "国办公开办函〔2019〕60号", "NOTICE-NUMBER"),
    ("defect-part-count", "五", "SEC-COUNT"),
    ("defect-rulemaker", "2", "X-RULEMAKER"),
])
def test_annotate_anchors_each_comment_on_the_cell_or_number(tmp_path, name, anchor, rule):
    src = tmp_path / f"{name}.docx"
    shutil.copy(DRAFTS / f"{name}.docx", src)
    before = sha(src)
    out = tmp_path / "批注稿.docx"
    r = run(src, "--annotate", out, "--no-nlp")
    assert r.exit_code in (0, 1), r.output
    assert sha(src) == before  # the input is never modified
    texts, bodies = anchored_texts(out), comments(out)
    assert len(bodies) == 1
    (cid, body), = bodies.items()
    assert rule in body
    assert texts[cid] == anchor


def test_annotate_many_findings_and_paragraph_text_kept(tmp_path):
    src = tmp_path / "x.docx"
    shutil.copy(DRAFTS / "defect-t3-sum.docx", src)
    out = tmp_path / "x-批注.docx"
    from report_writer.check.annotate import annotate_docx
    from report_writer.check.api import check_document

    result = check_document(src, nlp=False)
    n = annotate_docx(src, result.findings, out, result.document)
    assert n == len(result.findings) == 1
    # Splitting runs must not change the text of the document.
    from report_writer.read import read_document

    assert [p.text for p in read_document(out).paragraphs] == [p.text for p in result.document.paragraphs]


def test_annotate_needs_a_docx(tmp_path):
    r = run(DRAFTS / "clean.html", "--annotate", tmp_path / "o.docx", "--no-nlp")
    assert r.exit_code == 2
    assert "批注功能只适用于 Word（.docx）" in r.output
    assert not (tmp_path / "o.docx").exists()


def test_annotate_refuses_to_overwrite_the_input(tmp_path):
    src = tmp_path / "a.docx"
    shutil.copy(DRAFTS / "defect-period.docx", src)
    before = sha(src)
    r = run(src, "--annotate", src, "--no-nlp")
    assert r.exit_code == 2 and "同一个文件" in r.output
    assert sha(src) == before


def test_annotate_folder_for_several_drafts(tmp_path):
    out = tmp_path / "批注"
    out.mkdir()
    r = run(DRAFTS / "defect-period.docx", DRAFTS / "defect-notice.docx", "--annotate", out, "--no-nlp")
    assert r.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["defect-notice-批注.docx", "defect-period-批注.docx"]
    assert re.search("已生成批注稿", r.output)
