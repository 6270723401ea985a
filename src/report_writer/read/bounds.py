"""The size limits of reading, checked while a reader builds a document and once after.

Module constants (from limits.py, REPORT_WRITER_<NAME>) that the readers read as
`bounds.NAME` at call time, so a deployment or a test can change them here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..limits import exceeded, limit
from .errors import ReadError

if TYPE_CHECKING:
    from .document import SourceDocument

MAX_FILE_BYTES = limit("MAX_FILE_BYTES")
MAX_PART_BYTES = limit("MAX_PART_BYTES")
MAX_TABLES = limit("MAX_TABLES")
MAX_PARAGRAPHS = limit("MAX_PARAGRAPHS")
MAX_TABLE_CELLS = limit("MAX_TABLE_CELLS")
MAX_LINE_CHARS = limit("MAX_LINE_CHARS")
MAX_TEXT_CHARS = limit("MAX_TEXT_CHARS")
MAX_PAGE_BYTES = limit("MAX_PAGE_BYTES")
MAX_PDF_PAGES = limit("MAX_PDF_PAGES")
MAX_PDF_PAGE_OBJECTS = limit("MAX_PDF_PAGE_OBJECTS")


def check_limits(p: Path, doc: SourceDocument) -> None:
    if len(doc.tables) > MAX_TABLES:
        raise ReadError(p, exceeded("MAX_TABLES", MAX_TABLES, len(doc.tables)))
    if len(doc.paragraphs) > MAX_PARAGRAPHS:
        raise ReadError(p, exceeded("MAX_PARAGRAPHS", MAX_PARAGRAPHS, len(doc.paragraphs)))
    chars = sum(len(par.text) for par in doc.paragraphs) + sum(len(c.text) for t in doc.tables for c in t.cells)
    if chars > MAX_TEXT_CHARS:
        raise ReadError(p, exceeded("MAX_TEXT_CHARS", MAX_TEXT_CHARS, chars))


def check_counts(p, n_paragraphs: int, n_tables: int, n_cells: int) -> None:
    """Called by the readers while reading, so a hostile file is refused before it is all built."""
    if n_tables > MAX_TABLES:
        raise ReadError(p, exceeded("MAX_TABLES", MAX_TABLES))
    if n_paragraphs > MAX_PARAGRAPHS:
        raise ReadError(p, exceeded("MAX_PARAGRAPHS", MAX_PARAGRAPHS))
    if n_cells > MAX_TABLE_CELLS:
        raise ReadError(p, exceeded("MAX_TABLE_CELLS", MAX_TABLE_CELLS))


MAX_SPAN = limit("MAX_SPAN")  # gridSpan/gridBefore of a Word cell, rowspan/colspan of a web cell


def check_grid(p, n_rows: int, n_cols: int) -> None:
    """A table's grid (merged cells expanded) is what the mapper builds: huge gridSpan or
    rowspan/colspan values must not make it gigabytes. Called while a table is read."""
    if n_rows * n_cols > MAX_TABLE_CELLS:
        raise ReadError(p, "表格展开合并单元格后过大（合并的行列数异常，疑似恶意或损坏的文件）："
                        + exceeded("MAX_TABLE_CELLS", MAX_TABLE_CELLS, n_rows * n_cols))


def read_input(path: Path) -> bytes:
    """The bytes of an input draft, read with a hard cap (fileio.read_capped: the size limit
    holds however the file lies about its size); ReadError with the reason otherwise."""
    from ..fileio import read_capped

    try:
        data = read_capped(path, MAX_FILE_BYTES)
    except OSError as e:
        raise ReadError(path, f"无法读取文件（{e.strerror or e}）") from None
    except ValueError as e:  # not a regular file
        raise ReadError(path, str(e)) from None
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(path, "文件过大：" + exceeded("MAX_FILE_BYTES", MAX_FILE_BYTES, len(data)))
    return data
