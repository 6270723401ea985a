"""Hostile files, each built by its test, are refused in bounded time and memory with a message that
names the limit (REPORT_WRITER_MAX_*) — issue 8, item 2 — and the phrase-bank sandbox (item 3).

Limits are read from the environment at import (module constants) or at call time (limits.limit);
tests lower them with monkeypatch so the hostile files stay small, and some use the defaults
with a file whose zip directory lies about its size.
"""

from __future__ import annotations

import builtins
import io
import os
import subprocess
import sys
import time
import tracemalloc
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from report_writer import limits
from report_writer.data import loader, yamlsrc
from report_writer.read import bounds as readmod
from report_writer.read import ReadError, read_document
from report_writer.cli.main import main
from report_writer.findings import DataFileError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MB = 1024 * 1024


@contextmanager
def bounded(seconds: float = 5.0, megabytes: float = 150.0):
    """The block must finish within `seconds` and allocate at most `megabytes` (Python heap peak)."""
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s (bound {seconds} s)"
    assert peak < megabytes * MB, f"peak {peak / MB:.0f} MB (bound {megabytes} MB)"


def refused_draft(path: Path, *needles: str, seconds: float = 5.0, megabytes: float = 150.0) -> str:
    with bounded(seconds, megabytes):
        with pytest.raises(ReadError) as ei:
            read_document(path)
    msg = ei.value.message
    for n in needles:
        assert n in msg, msg
    return msg


def refused_data(path: Path, *needles: str, seconds: float = 5.0, megabytes: float = 150.0) -> str:
    with bounded(seconds, megabytes):
        with pytest.raises(DataFileError) as ei:
            loader.load(path)
    msg = " ".join(f.message for f in ei.value.findings)
    for n in needles:
        assert n in msg, msg
    return msg


def cli_refuses(args: list[str], needle: str) -> None:
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 2, r.output
    assert needle in r.output, r.output
    assert "Traceback" not in r.output


def docx_with_body(path: Path, body: str, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def lie_about_size(path: Path, member: str, size: int) -> None:
    """Patch the uncompressed size of `member` in the zip's central directory (no zip64)."""
    raw = bytearray(path.read_bytes())
    name = member.encode()
    i = raw.find(b"PK\x01\x02")
    while i >= 0:
        n_len = int.from_bytes(raw[i + 28:i + 30], "little")
        if raw[i + 46:i + 46 + n_len] == name:
            raw[i + 24:i + 28] = size.to_bytes(4, "little")
        i = raw.find(b"PK\x01\x02", i + 4)
    path.write_bytes(bytes(raw))


# ---------------------------------------------------------------- the limits module


def test_every_limit_has_a_default_an_env_variable_and_a_chinese_message(monkeypatch):
    for name, lim in limits.LIMITS.items():
        assert lim.env == "REPORT_WRITER_" + name and lim.default > 0
        msg = limits.exceeded(name, lim.default, lim.default + 1)
        assert name in msg and lim.env in msg and "上限" in msg
    monkeypatch.setenv("REPORT_WRITER_MAX_TABLES", "7")
    assert limits.limit("MAX_TABLES") == 7
    monkeypatch.setenv("REPORT_WRITER_MAX_TABLES", "lots")  # nonsense falls back to the default
    assert limits.limit("MAX_TABLES") == 300
    monkeypatch.setenv("REPORT_WRITER_MAX_TABLES", "-5")
    assert limits.limit("MAX_TABLES") == 300


def test_limits_are_read_from_the_environment_at_start_up(tmp_path):
    """A deployment raises or lowers a limit without touching the code (fresh process)."""
    doc = docx_with_body(tmp_path / "three.docx",
                         "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>" * 3)
    env = {**os.environ, "REPORT_WRITER_MAX_TABLES": "2"}
    r = subprocess.run([sys.executable, "-m", "report_writer.cli.main", "check", str(doc), "--no-nlp"],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "超过上限 2 个（MAX_TABLES）" in r.stdout + r.stderr
    assert "REPORT_WRITER_MAX_TABLES" in r.stdout + r.stderr


# ---------------------------------------------------------------- .docx


def test_docx_with_thousands_of_tables(tmp_path):
    body = "<w:p><w:r><w:t>2023年度政府信息公开工作年度报告</w:t></w:r></w:p>" + \
           "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>" * 20_000
    path = docx_with_body(tmp_path / "tables.docx", body)
    refused_draft(path, "MAX_TABLES", "REPORT_WRITER_MAX_TABLES", seconds=5, megabytes=120)
    cli_refuses(["check", str(path), "--no-nlp"], "MAX_TABLES")


def test_docx_zip_bomb_in_a_part_the_reader_does_not_need(tmp_path, monkeypatch):
    """python-docx (annotate) unpacks every part, so a bomb in word/media is refused too."""
    monkeypatch.setenv("REPORT_WRITER_MAX_ZIP_BYTES", str(4 * MB))
    good = (EXAMPLES / "drafts" / "clean.docx").read_bytes()
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in zin.namelist():
            z.writestr(n, zin.read(n))
        for k in range(3):
            z.writestr(f"word/media/image{k}.png", b"\0" * (2 * MB))
    assert path.stat().st_size < 200_000
    refused_draft(path, "MAX_ZIP_BYTES", "压缩炸弹")

    from report_writer.check.annotate import AnnotateError, annotate_docx

    with pytest.raises(AnnotateError, match="MAX_ZIP_BYTES"):
        annotate_docx(path, [], tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()


def test_docx_whose_directory_claims_gigabytes_is_refused_before_inflating(tmp_path):
    path = docx_with_body(tmp_path / "liar.docx", "<w:p/>", {"word/media/x.bin": b"\0" * 1000})
    lie_about_size(path, "word/media/x.bin", 0xF000_0000)  # 3.75 GB, default limits
    refused_draft(path, "MAX_PART_BYTES", seconds=2, megabytes=20)


def test_docx_with_too_many_members(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORT_WRITER_MAX_ZIP_MEMBERS", "50")
    path = docx_with_body(tmp_path / "many.docx", "<w:p/>", {f"x/{k}.xml": b"<a/>" for k in range(100)})
    refused_draft(path, "MAX_ZIP_MEMBERS")


def test_docx_entity_expansion_in_styles_is_refused(tmp_path):
    """The main part's DTD is refused by read_docx (test_read.py); here a DTD in another part."""
    lol = ('<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
           f'<w:styles xmlns:w="{W_NS}"><w:style w:styleId="&b;"/></w:styles>')
    path = docx_with_body(tmp_path / "lol.docx", "<w:p/>", {"word/styles.xml": lol.encode()})
    refused_draft(path, "DTD")


# ---------------------------------------------------------------- plain text and web pages


def test_100_mb_text_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:  # sparse: costs no disk
        fh.write("2023年度政府信息公开工作年度报告\n".encode())
        fh.truncate(100 * MB)
    refused_draft(path, "MAX_FILE_BYTES", "REPORT_WRITER_MAX_FILE_BYTES", seconds=1, megabytes=5)
    cli_refuses(["check", str(path), "--no-nlp"], "MAX_FILE_BYTES")


def test_text_with_too_many_lines_is_refused_before_the_line_passes(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("2023年度政府信息公开工作年度报告\n" + "1\n" * 100_000, encoding="utf-8")
    refused_draft(path, "MAX_PARAGRAPHS", seconds=3, megabytes=120)


def test_text_with_an_endless_line_is_refused(tmp_path):
    path = tmp_path / "line.txt"
    path.write_text("2023年度政府信息公开工作年度报告\n" + "一" * 2_000_000, encoding="utf-8")
    refused_draft(path, "MAX_LINE_CHARS", seconds=3, megabytes=120)


def test_text_volume_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(readmod, "MAX_TEXT_CHARS", 1000)
    refused_draft(EXAMPLES / "drafts" / "clean.txt", "MAX_TEXT_CHARS")
    refused_draft(EXAMPLES / "drafts" / "clean.docx", "MAX_TEXT_CHARS")


def test_big_web_page_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(readmod, "MAX_PAGE_BYTES", 1 * MB)
    path = tmp_path / "page.html"
    path.write_text("<html><body><h1>2023年度政府信息公开工作年度报告</h1>" + "<div><p>正文</p></div>" * 100_000
                    + "</body></html>", encoding="utf-8")
    refused_draft(path, "MAX_PAGE_BYTES", seconds=2, megabytes=20)


def test_web_page_entity_expansion_and_deep_nesting_stay_bounded(tmp_path):
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {c} "' + f"&{p};" * 10 + '">' for p, c in zip("abcdefgh", "bcdefghi"))
    lol = tmp_path / "lol.html"
    lol.write_text(f"<!DOCTYPE html [{ents}]><html><body><p>&i;&i;&i;</p>"
                   "<table><tr><td>1</td></tr></table></body></html>", encoding="utf-8")
    msg = refused_draft(lol, seconds=3, megabytes=100)  # no expansion: the page is simply not a report
    assert "不像" in msg or "没有" in msg
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>",
                    encoding="utf-8")
    refused_draft(deep, seconds=5, megabytes=150)


# ---------------------------------------------------------------- data files


def test_100_mb_data_files_are_refused_without_reading_them(tmp_path):
    for suffix in (".yaml", ".json", ".xlsx"):
        path = tmp_path / f"huge{suffix}"
        with open(path, "wb") as fh:
            fh.truncate(100 * MB)
        refused_data(path, "MAX_DATA_BYTES", "REPORT_WRITER_MAX_DATA_BYTES", seconds=3, megabytes=40)  # 40: first import of openpyxl
    cli_refuses(["validate", str(tmp_path / "huge.xlsx")], "MAX_DATA_BYTES")


def test_yaml_alias_bomb_names_the_node_budget(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):  # 10**10 leaves if expanded
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nmeta: *a9\n", encoding="utf-8")
    refused_data(path, "MAX_NODES", "别名炸弹", seconds=5, megabytes=100)
    cli_refuses(["validate", str(path)], "MAX_NODES")
    cli_refuses(["draft", str(path), "-o", str(tmp_path / "out.docx")], "MAX_NODES")
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("shape", ["flow", "block", "mapping", "json-shallow", "json-deep"])
def test_deeply_nested_data_is_refused(tmp_path, shape):
    if shape == "flow":
        text, suffix = "meta: " + "[" * 5000 + "]" * 5000, ".yaml"
    elif shape == "block":
        text, suffix = "".join(" " * i + "-\n" for i in range(3000)), ".yaml"
    elif shape == "mapping":
        text, suffix = "".join(" " * i + f"k{i}:\n" for i in range(2000)), ".yaml"
    elif shape == "json-shallow":  # deeper than MAX_DEPTH, shallower than Python's recursion limit
        text, suffix = '{"meta": ' + "[" * 500 + "]" * 500 + "}", ".json"
    else:
        text, suffix = "[" * 200_000 + "]" * 200_000, ".json"
    path = tmp_path / f"deep{suffix}"
    path.write_text(text, encoding="utf-8")
    refused_data(path, "MAX_DEPTH", "REPORT_WRITER_MAX_DEPTH", seconds=5, megabytes=150)


def test_workbook_zip_bomb_and_entity_expansion(tmp_path, monkeypatch):
    r = CliRunner().invoke(main, ["init", "--year", "2023", "-o", str(tmp_path / "blank.xlsx")])
    assert r.exit_code == 0, r.output
    raw = (tmp_path / "blank.xlsx").read_bytes()

    def rebuild(name: str, change) -> Path:
        out = tmp_path / name
        with zipfile.ZipFile(io.BytesIO(raw)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for n in zin.namelist():
                z.writestr(n, change(n, zin.read(n)))
        return out

    lol_prolog = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                  '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    lol = rebuild("lol.xlsx", lambda n, d: (lol_prolog + d.decode().split("?>", 1)[-1]).encode()
                  if n == "xl/worksheets/sheet1.xml" else d)
    refused_data(lol, "DTD")
    monkeypatch.setenv("REPORT_WRITER_MAX_PART_BYTES", str(1 * MB))
    bomb = rebuild("bomb.xlsx", lambda n, d: d + b" " * (3 * MB) if n == "xl/worksheets/sheet1.xml" else d)
    assert bomb.stat().st_size < 300_000
    refused_data(bomb, "MAX_PART_BYTES", "压缩炸弹")
    cli_refuses(["convert", str(bomb), "-o", str(tmp_path / "x.yaml")], "MAX_PART_BYTES")


# ---------------------------------------------------------------- the phrase bank (item 3)


@pytest.fixture(scope="module")
def context():
    from report_writer.draft.values import DataView
    from report_writer.formats import get_format

    data = loader.load(EXAMPLES / "yunling-zrzy-2023.yaml").data
    return DataView(data, get_format(data.format_id)).context()


def test_template_that_would_loop_for_ever_is_stopped(context):
    """Nested loops that print nothing: the output cap cannot see them, the loop budget does."""
    from report_writer.draft.sandbox import RenderError, render

    loops = "".join(f"{{% for a{k} in 'abcdefghijklmnopqrstuvwxyz' %}}" for k in range(8))
    src = loops + "{% endfor %}" * 8
    with bounded(seconds=5, megabytes=50):
        with pytest.raises(RenderError, match="MAX_LOOP_STEPS"):
            render(src, context)


def test_template_that_doubles_a_string_is_refused_and_linted(context):
    from report_writer.draft.sandbox import RenderError, render

    src = "{% set s = 'ab' %}" + "{% set s = s ~ s %}" * 60 + "{{ s|length }}"
    with bounded(seconds=2, megabytes=50):
        with pytest.raises(RenderError, match="set"):
            render(src, context)
    issues = _lint_one(src)
    assert any("set" in i.message for i in issues)


def test_output_cap_and_template_length(context):
    from report_writer.draft.sandbox import MAX_TEMPLATE_CHARS, RenderError, render

    with pytest.raises(RenderError, match="MAX_OUTPUT"):
        render("{% for o in req.outcomes %}" + "字" * 3000 + "{% endfor %}", context)
    long = "字" * (MAX_TEMPLATE_CHARS + 1)
    with pytest.raises(RenderError, match="MAX_TEMPLATE_CHARS"):
        render(long, context)
    assert any("MAX_TEMPLATE_CHARS" in i.message for i in _lint_one(long))


@pytest.mark.parametrize("src, needle", [
    ("{% include '/etc/passwd' %}", "include"),
    ("{% import 'os' as os %}", "import"),
    ("{% from 'x' import y %}", "import"),
    ("{% extends 'base.html' %}", "extends"),
    ("{% macro m() %}x{% endmacro %}", "macro"),
    ("{{ req.__class__ }}", "__class__"),
    ("{{ req['__dict__'] }}", "__dict__"),
    ("{% for i in range(10) %}{% endfor %}", "range"),
    ("{% with a = 1 %}{% endwith %}", "with"),
])
def test_lint_flags_what_the_sandbox_refuses(context, src, needle):
    """No file, module or network access from a template, and lint says so before drafting."""
    from report_writer.draft.sandbox import RenderError, render

    with pytest.raises(RenderError):
        render(src, context)
    assert any(i.level == "error" and needle in i.message for i in _lint_one(src)), _lint_one(src)


@pytest.mark.parametrize("src", ["{{ lipsum() }}", "{{ cycler('a') }}", "{{ joiner() }}", "{{ namespace() }}",
                                 "{{ dict(a=1) }}", "{{ config }}", "{{ request }}",
                                 "{{ 'x'.format(1) }}", "{{ '%s' % req.done }}", "{{ 'ab' * 1000 }}"])
def test_jinja_defaults_that_reach_outside_are_gone(context, src):
    from report_writer.draft.sandbox import RenderError, render

    with pytest.raises(RenderError):
        render(src, context)


def test_conditions_and_templates_never_call_eval(context, monkeypatch):
    """The when-language is parsed by hand; Jinja compiles templates with exec, never eval on data."""
    from report_writer.draft import expr
    from report_writer.draft.sandbox import render

    def no_eval(*a, **k):
        raise AssertionError("eval called")

    monkeypatch.setattr(builtins, "eval", no_eval)
    data = loader.load(EXAMPLES / "yunling-zrzy-2023.yaml").data
    from report_writer.draft.values import DataView
    from report_writer.formats import get_format

    view = DataView(data, get_format(data.format_id))
    assert expr.holds("present(meta.year) and meta.year > 2000", view.lookup)
    for bad in ("__import__('os')", "meta.__class__", "exec('1')", "meta.year.bit_length()", "lambda: 1"):
        with pytest.raises(expr.ExprError):
            expr.holds(bad, view.lookup)
    render("{{ meta.body }}", context)


def test_phrasebank_file_size_limit(tmp_path):
    from report_writer.draft.lint import lint

    d = tmp_path / "bank"
    d.mkdir()
    with open(d / "huge.yaml", "wb") as fh:
        fh.truncate(100 * MB)
    with bounded(seconds=1, megabytes=5):
        _, issues = lint([d], include_builtin=False)
    assert any("MAX_PHRASEBANK_BYTES" in i.message for i in issues)
    r = CliRunner().invoke(main, ["phrasebank", "lint", str(d), "--only"])
    assert r.exit_code == 1 and "MAX_PHRASEBANK_BYTES" in r.output


def _lint_one(src: str):
    from report_writer.draft import expr
    from report_writer.draft.lint import lint_template
    from report_writer.draft.phrasebank import Case, Rule, Variant

    v = Variant(src, "office.yaml", 3)
    rule = Rule(id="x", slot="other.matters", para="x", order=1, kind="sentence", when="true", each=None,
                each_para=False, join=None, fallback=None, cases=[Case("true", [v], "office.yaml", 3, expr.parse("true"))],
                formats=None, file="office.yaml", line=3, layer=1, when_node=expr.parse("true"), when_line=3)
    return lint_template(rule, v, {})


# ---------------------------------------------------------------- the last-resort handler


def test_unexpected_exception_is_an_internal_error_not_a_traceback(monkeypatch):
    import report_writer.data.validate as validate

    def boom(path):
        raise KeyError("boom")

    monkeypatch.setattr(validate, "validate_file", boom)
    r = CliRunner().invoke(main, ["validate", str(EXAMPLES / "jinzhai-2020.yaml")])
    assert r.exit_code == 3
    assert "内部错误" in r.output and "REPORT_WRITER_DEBUG" in r.output and "Traceback" not in r.output
    monkeypatch.setenv("REPORT_WRITER_DEBUG", "1")
    r = CliRunner().invoke(main, ["validate", str(EXAMPLES / "jinzhai-2020.yaml")])
    assert isinstance(r.exception, KeyError)


@pytest.mark.parametrize("kind", ["alias", "deep", "control"])
def test_style_file_is_read_with_the_data_file_limits(tmp_path, kind):
    """draft --style: the style YAML gets the alias, depth and control-character checks of data files."""
    from report_writer.draft.render_style import StyleError, load_style

    path = tmp_path / "style.yaml"
    if kind == "alias":
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
        path.write_text("\n".join(lines) + "\npage: *a9\n", encoding="utf-8")
        needle = "MAX_NODES"
    elif kind == "deep":
        path.write_text("page: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
        needle = "MAX_DEPTH"
    else:
        path.write_text("page:\n  size: A4\x1e\n", encoding="utf-8")
        needle = "控制字符"
    with bounded(seconds=5, megabytes=100):
        with pytest.raises(StyleError, match=needle):
            load_style(path)
    out = tmp_path / "out.docx"
    cli_refuses(["draft", str(EXAMPLES / "jinzhai-2020.yaml"), "-o", str(out), "--style", str(path)], needle)
    assert not out.exists()
