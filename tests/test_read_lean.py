"""The .docx reader cuts text-less run properties out of document.xml before parsing it (speed):
what it reads must be exactly what it reads without the cut, on real drafts and on the shapes
where a careless cut would change the text or the origins the annotator relies on."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from report_writer.draft.api import draft_report
from report_writer.read import docx as docx_reader
from report_writer.read import read_document

from .read_helpers import ROOT

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RPR = '<w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/><w:b/><w:sz w:val="32"/></w:rPr>'


def _read_both(path: Path, monkeypatch) -> tuple:
    lean = read_document(path)
    with monkeypatch.context() as m:
        m.setattr(docx_reader, "_without_run_properties", lambda data: None)
        full = read_document(path)
    return lean, full


def _same(a, b) -> None:
    assert [(p.index, p.text, p.style, p.origin) for p in a.paragraphs] == \
        [(p.index, p.text, p.style, p.origin) for p in b.paragraphs]
    assert [(t.index, t.n_rows, t.n_cols, t.after_paragraph,
             [(c.row, c.col, c.rowspan, c.colspan, c.text, c.origin) for c in t.cells]) for t in a.tables] == \
        [(t.index, t.n_rows, t.n_cols, t.after_paragraph,
          [(c.row, c.col, c.rowspan, c.colspan, c.text, c.origin) for c in t.cells]) for t in b.tables]


def _docs() -> list[Path]:
    return sorted((ROOT / "examples" / "drafts").glob("*.docx"))


@pytest.mark.parametrize("path", _docs(), ids=lambda p: p.name)
def test_example_drafts_read_the_same(path, monkeypatch):
    lean, full = _read_both(path, monkeypatch)
    _same(lean, full)


def test_a_fresh_draft_reads_the_same_and_most_of_its_xml_is_cut(tmp_path, monkeypatch):
    out = tmp_path / "d.docx"
    assert draft_report(ROOT / "examples" / "yunling-zrzy-2023.yaml", out, seed=3).ok
    data = zipfile.ZipFile(out).read("word/document.xml")
    lean = docx_reader._without_run_properties(data)
    assert lean is not None and len(lean) < 0.6 * len(data)
    _same(*_read_both(out, monkeypatch))


def _with_body(tmp_path: Path, body: str, name: str = "x.docx") -> Path:
    """A .docx whose body is `body`, inside the usual root with the w prefix declared."""
    src = next(iter(_docs()))
    path = tmp_path / name
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>').encode()
            zout.writestr(info, data)
    return path


TITLE = f'<w:p><w:r>{RPR}<w:t>某某局2023年政府信息公开工作年度报告</w:t></w:r></w:p>'
HEAD = f'<w:p><w:r>{RPR}<w:t>一、总体情况</w:t></w:r></w:p>'


@pytest.mark.parametrize("tail, text", [
    # an ordinary run: the properties go, the text stays
    (f'<w:p><w:r>{RPR}<w:t>全年共收到申请23件。</w:t></w:r></w:p>', "全年共收到申请23件。"),
    # a paragraph inside run properties (not valid Word, well-formed XML): kept, so the origins still count it
    (f'<w:p><w:r><w:rPr><w:p/></w:rPr><w:t>甲</w:t></w:r></w:p><w:p><w:r><w:t>乙</w:t></w:r></w:p>', "乙"),
    # the same characters inside CDATA are text: nothing is cut
    (f'<w:p><w:r><w:t><![CDATA[前{RPR}后]]></w:t></w:r></w:p>', f"前{RPR}后"),
    # inside a comment a cut could make "--": the cut needs a '>' before it
    (f'<!-- -{RPR}- --><w:p><w:r>{RPR}<w:t>注释之后</w:t></w:r></w:p>', "注释之后"),
    # run properties with text or children with children are not "empty elements only": kept
    (f'<w:p><w:r><w:rPr><w:b><w:x/></w:b></w:rPr><w:t>嵌套</w:t></w:r></w:p>', "嵌套"),
    # an attribute value with '/' or '>': not cut, read all the same
    (f'<w:p><w:r><w:rPr><w:rFonts w:ascii="a/b" w:hAnsi="x&gt;y"/></w:rPr><w:t>属性</w:t></w:r></w:p>', "属性"),
])
def test_shapes_a_careless_cut_would_misread(tmp_path, monkeypatch, tail, text):
    path = _with_body(tmp_path, TITLE + HEAD + tail)
    lean, full = _read_both(path, monkeypatch)
    _same(lean, full)
    assert lean.paragraphs[-1].text == text


def test_w_bound_elsewhere_or_undeclared_is_left_alone():
    other = b'<?xml version="1.0"?><w:document xmlns:w="urn:other"><w:rPr><w:b/></w:rPr></w:document>'
    assert docx_reader._without_run_properties(other) is None
    fine = f'<w:document xmlns:w="{W_NS}"><w:r><w:rPr><w:b/></w:rPr><w:t>x</w:t></w:r></w:document>'.encode()
    assert docx_reader._without_run_properties(fine) == \
        f'<w:document xmlns:w="{W_NS}"><w:r><w:t>x</w:t></w:r></w:document>'.encode()


def test_broken_xml_still_gives_the_broken_xml_message(tmp_path):
    path = _with_body(tmp_path, TITLE + HEAD + f'<w:p><w:r>{RPR}<w:t>未闭合</w:r></w:p>')
    with pytest.raises(Exception) as e:
        read_document(path)
    assert "XML 已损坏" in str(e.value)
