"""Issue 16, memory and hangs: small files that expand (millions of empty paragraphs, huge
gridSpan, rowspan/colspan, a formula over the whole sheet) are refused quickly, in bounded
memory, with the limit named; before, they took 20–60 s and 1–7 GB."""

from __future__ import annotations

import zipfile

from openpyxl import load_workbook

from .bounded_run import run_capped
from .helpers import EXAMPLE, run

DRAFTS = EXAMPLE.parent / "drafts"


def _docx_with(tmp_path, name: str, extra: bytes):
    out = tmp_path / name
    with zipfile.ZipFile(DRAFTS / "clean.docx") as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", extra + b"</w:body>")
            zout.writestr(info.filename, data)
    return out


def test_millions_of_empty_paragraphs(tmp_path):
    draft = _docx_with(tmp_path, "empty.docx", b"<w:p/>" * 3_000_000)
    assert draft.stat().st_size < 200_000
    code, out, took = run_capped(["check", draft, "--no-nlp"])
    assert code == 2 and "MAX_XML_ELEMENTS" in out, out
    assert took < 30


def test_huge_grid_span_in_word(tmp_path):
    cell = b'<w:tc><w:tcPr><w:gridSpan w:val="999999"/></w:tcPr><w:p/></w:tc>'
    draft = _docx_with(tmp_path, "span.docx", b"<w:tbl>" + (b"<w:tr>" + cell * 2000 + b"</w:tr>") * 50 + b"</w:tbl>")
    code, out, took = run_capped(["check", draft, "--no-nlp"])
    assert code == 2 and "合并单元格" in out and "MAX_TABLE_CELLS" in out, out
    assert took < 30


def test_huge_rowspan_colspan_in_a_web_page(tmp_path):
    html = (DRAFTS / "clean.html").read_bytes()
    table = b"<table>" + (b"<tr>" + b'<td rowspan="500" colspan="500">12</td>' * 300 + b"</tr>") * 300 + b"</table>"
    at = html.index(b"<table")
    page = tmp_path / "span.html"
    page.write_bytes(html[:at] + table + html[at:])
    code, out, took = run_capped(["check", page, "--no-nlp"])
    assert code == 2 and "MAX_TABLE_CELLS" in out, out
    assert took < 30


def _workbook_with_formula(tmp_path, formula: str, far_cell: bool = False):
    book = tmp_path / "data.xlsx"
    assert run("convert", EXAMPLE, "-o", book).exit_code == 0
    wb = load_workbook(book)
    ws = wb["表三"]
    ws["D6"] = formula  # openpyxl saves no cached result: the reader must compute it
    if far_cell:
        ws["XFD1048576"] = 0  # the used area is then the whole sheet
    wb.save(book)
    return book


def test_a_formula_over_the_whole_sheet_ends_quickly(tmp_path):
    book = _workbook_with_formula(tmp_path, "=SUM(AA100:XFD1048576)")
    code, out, took = run_capped(["validate", book])
    assert code in (1, 2) and "内部错误" not in out
    assert took < 30


def test_a_formula_over_a_used_whole_sheet_is_refused_with_the_limit(tmp_path):
    book = _workbook_with_formula(tmp_path, "=SUM(AA100:XFD1048576)", far_cell=True)
    code, out, took = run_capped(["validate", book])
    assert code == 2 and "MAX_FORMULA_CELLS" in out, out
    assert took < 30
