"""Issue 16, crashes: a draft whose own Word comments have non-numeric ids (w:id="abc", as some
editors write them) is annotated; the draft's comments keep their place and text."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document

from .helpers import EXAMPLE, run

DEFECT = EXAMPLE.parent / "drafts" / "defect-t3-sum.docx"


def _with_comment(tmp_path, comment_id: str):
    doc = Document(str(DEFECT))
    para = next(p for p in doc.paragraphs if p.runs)
    doc.add_comment(para.runs, text="原有的批注", author="张三", initials="ZS")
    buf = io.BytesIO()
    doc.save(buf)
    out = tmp_path / "draft.docx"
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in ("word/comments.xml", "word/document.xml"):
                data = re.sub(rb'(<w:(?:comment|commentRangeStart|commentRangeEnd|commentReference)\b[^>]*w:id=")0"',
                              rb"\g<1>" + comment_id.encode() + b'"', data)
            zout.writestr(info, data)
    return out


def test_annotating_a_draft_whose_comment_id_is_not_a_number(tmp_path):
    draft = _with_comment(tmp_path, "abc")
    assert b'w:id="abc"' in zipfile.ZipFile(draft).read("word/comments.xml")
    out = tmp_path / "annotated.docx"
    result = run("check", draft, "--no-nlp", "--annotate", out)
    assert result.exit_code == 1, result.output
    doc = Document(str(out))
    texts = [c.text for c in doc.comments]
    assert "原有的批注" in texts and any("T3-" in t or "SUM" in t for t in texts)
    ids = [c.comment_id for c in doc.comments]
    assert len(set(ids)) == len(ids)
    body = zipfile.ZipFile(out).read("word/document.xml")
    assert b'w:id="abc"' not in body  # the draft's own range follows its comment
