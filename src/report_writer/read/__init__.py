"""Read a draft (.docx, text PDF, saved web page, plain text) into a SourceDocument.

The kind of file is decided by its content, never by its name: a clerk's "报告.doc" is often a
.docx, a saved page may be called .txt, and an encrypted Word file has an OLE2 header like an
old .doc. Every failure is a ReadError with a Chinese message the user can act on.

The limits are module constants so a deployment (or a test) can change them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..fileio import not_regular
from ..limits import exceeded
from . import bounds
from .bounds import check_counts, check_limits
from .document import SourceDocument
from .errors import ReadError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_SNIFF = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|meta|div|p[\s>])", re.I)


def sniff(head: bytes, path: str | os.PathLike) -> str:
    """docx | ole2 | html | pdf | text | zip, from the first bytes (and the zip directory)."""
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    if b"%PDF-" in head[:1024]:  # the header may follow a few junk bytes
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    probe = head[:4096]
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if probe.startswith(bom):
            try:
                probe = probe.decode(enc, "ignore").encode("utf-8")
            except Exception:  # pragma: no cover - decode with ignore does not raise
                pass
            break
    if _HTML_SNIFF.search(probe.lstrip()[:2048]) and probe.lstrip()[:1] == b"<":
        return "html"
    if _HTML_SNIFF.search(probe) and re.search(rb"<\s*(table|html|body)\b", head, re.I):
        return "html"
    return "text"


def read_document(path: str | os.PathLike) -> SourceDocument:
    """Read any supported draft; raise ReadError (Chinese message) when it is not readable."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        if p.is_symlink():
            raise ReadError(p, f"这是失效的符号链接（快捷方式），指向的“{os.readlink(p)}”不存在") from None
        raise ReadError(p, "文件不存在") from None
    except OSError as e:
        raise ReadError(p, f"无法读取文件（{e.strerror or e}）") from None
    if p.is_dir():
        raise ReadError(p, "这是一个文件夹，请指定报告文件")
    special = not_regular(p)
    if special:  # a FIFO never ends or blocks, /dev/zero never ends: st_size says 0 for both
        raise ReadError(p, special + "，无法作为报告稿读取")
    if size == 0:
        raise ReadError(p, "文件是空的")
    if size > bounds.MAX_FILE_BYTES:
        raise ReadError(p, "文件过大：" + exceeded("MAX_FILE_BYTES", bounds.MAX_FILE_BYTES, size))
    try:
        with open(p, "rb") as fh:
            head = fh.read(8192)
    except OSError as e:
        raise ReadError(p, f"无法读取文件（{e.strerror or e}）") from None

    kind = sniff(head, p)
    try:
        if kind == "ole2":
            raise ReadError(p, _ole2_message(p))
        if kind == "pdf":
            from .pdf import read_pdf

            doc = read_pdf(p)
        elif kind == "zip":
            from .docx import read_docx

            doc = read_docx(p)
        elif kind == "html":
            from .html import read_html

            if size > bounds.MAX_PAGE_BYTES:
                raise ReadError(p, "网页文件过大：" + exceeded("MAX_PAGE_BYTES", bounds.MAX_PAGE_BYTES, size))

            doc = read_html(p)
        else:
            from .text import read_text

            doc = read_text(p)
    except ReadError:
        raise
    except RecursionError:
        raise ReadError(p, "文档结构嵌套过深，无法读取") from None
    except MemoryError:
        raise ReadError(p, "文档过大，内存不足，无法读取") from None
    check_limits(p, doc)
    if kind != "text":  # text is converted before its tables are parsed (read_text)
        from .script import simplify_document

        simplify_document(doc)
    if kind == "html":  # a saved page whose table markup was lost: the report in one paragraph
        from .glued import expand_document

        expand_document(doc)
    _check_is_report(p, doc)
    return doc


def _ole2_message(p: Path) -> str:
    try:
        with open(p, "rb") as fh:
            data = fh.read(min(bounds.MAX_FILE_BYTES, 4 * 1024 * 1024))
    except OSError:
        data = b""
    # The directory entry names of an OLE2 file are UTF-16LE.
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return "这是一个加密（设有打开密码）的 Word 文档，无法读取。加密文档请先解除密码（在 Word/WPS 中删除打开密码后另存），再重新检查"
    return "这是旧版 Word 二进制格式（.doc）或其他 OLE 文件，无法直接读取。.doc 请用 Word/WPS 另存为 .docx 后再检查"


def _check_is_report(p: Path, doc: SourceDocument) -> None:
    if not any(par.text.strip() for par in doc.paragraphs) and not any(
        c.text.strip() for t in doc.tables for c in t.cells
    ):
        raise ReadError(p, "文档中没有任何文字内容")
    from .structure import looks_like_report

    ok, why = looks_like_report(doc)
    if not ok:
        raise ReadError(p, why)


__all__ = ["ReadError", "check_counts", "read_document", "sniff"]
