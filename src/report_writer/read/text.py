"""Read plain text (.txt, .md, text extracted from Word or PDF) into a SourceDocument.

Paragraphs are lines. Lines of a PDF extraction that were broken at the page width are joined
back: a line that fills the usual line width and does not end a sentence continues on the next
line (also across one blank line at a page break), unless the next line starts a heading.

Three shapes of tables are recognised:
  (a) markdown pipe tables ("| a | b |");
  (b) Word's "save as text" layout: each cell on its own tab-indented line, rows separated by
      blank lines, a cell's second line (科研\\n机构) not indented;
  (c) flattened rows from PDF extraction: "label n n n n n n n" (a label, then numbers), lines of
      numbers only, with the label fragments of merged cells on lines in between.

Origins: Paragraph.origin = (first line, last line), 1-based; a table cell's origin is
(line, token) — the 1-based line and the 0-based position of the cell on that line.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import bounds, glued, labels
from .document import Cell, Paragraph, SourceDocument, Table
from .errors import ReadError

_ARTEFACTS = re.compile(r"\[bookmark:\s*[^\]]*\]")
_VALUE = re.compile(r"^(?:(?:增加|减少|增|减)?[-+−－]?\d+(?:\.\d+)?(?:万元|元|万|%|件|个)?|/|／|—+|-{1,2}|–|无)$")
_DIGIT_VALUE = re.compile(r"\d")
_GLUED = re.compile(r"^(.*?[^\d.,\-+])((?:增|减)?\d+(?:\.\d+)?)$")
_TERMINAL = tuple("。！？!?；;：:")
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．，,]|[(（][一二三四五六七八九十]+[)）]|\d+[.、．](?!\d)|第[一二三四五六七八九十]+[部章节条])")
_MD_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
GAP_LINES = 12  # how many non-row lines may separate two rows of one table (a repeated header at a page break)
HEADER_LINES = 12


def decode(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: BOM, then the declared charset, then UTF-8, then charset detection (GBK/GB18030 …)."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace")
    from .encoding import utf16_without_bom

    bomless = utf16_without_bom(data)  # Notepad's "Unicode" without a BOM is text, not binary
    if bomless:
        return data[: len(data) - len(data) % 2].decode(bomless, "replace")
    tried = []
    if declared:
        enc = declared.strip().lower()
        if enc in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn"):
            enc = "gb18030"
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            tried.append(enc)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[: 2 * 1024 * 1024]).best()
        if best is not None and best.encoding:
            enc = best.encoding.lower()
            if enc in ("gb2312", "gbk", "cp936", "big5hkscs") or enc.startswith("gb"):
                enc = "gb18030" if enc != "big5hkscs" else enc
            try:
                return data.decode(enc)
            except (LookupError, UnicodeDecodeError):
                pass
    except Exception:  # detection is a best effort
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")


def split_row(line: str) -> tuple[str, list[str]] | None:
    """(label, values) when a text line is a flattened table row, else None."""
    norm = labels.text(line).strip()
    if not norm or "。" in norm:
        return None
    tokens = norm.split()
    values: list[str] = []
    while tokens and _VALUE.match(tokens[-1]):
        values.insert(0, tokens.pop())
    glued = False
    if tokens and values:
        m = _GLUED.match(tokens[-1])
        if m and m.group(1).strip():
            tokens[-1] = m.group(1)
            values.insert(0, m.group(2))
            glued = True
    label = " ".join(tokens).strip()
    digits = sum(1 for v in values if _DIGIT_VALUE.search(v))
    if len(values) >= 2:
        if label and (labels.width(label) > 90 or re.search(r"[，,]", label) and not re.match(r"^[(（]", label)
                      and "部分公开" not in label):
            return None
        if not label and digits < 2:
            return None
        if digits < 1:
            return None
        return label, values
    if len(values) == 1 and label and not glued and digits == 1:
        if labels.width(label) > 40 or re.search(r"[，,；;：:]", label):
            return None
        if re.search(r"\d$", label):
            return None
        return label, values
    return None


def _is_gap_line(line: str, fmt_heading) -> bool:
    t = labels.text(line).strip()
    if not t:
        return True
    if "。" in t:
        return False
    if labels.width(t) > 90:
        toks = t.split()
        if len(toks) < 3 or max(labels.width(x) for x in toks) > 24:
            return False
    if re.search(r"[，,]", t) and not re.match(r"^[(（]", t):
        return False
    if fmt_heading(t):
        return False
    return True


def _is_header_line(line: str, fmt_heading) -> bool:
    return bool(labels.text(line).strip()) and _is_gap_line(line, fmt_heading)


class _Builder:
    def __init__(self, path: Path):
        self.path = path
        self.doc = SourceDocument(path=str(path), kind="text")
        self.cells = 0

    def add_table(self, rows: list[list[tuple]], reading: str) -> None:
        """rows: list of cells (text, origin[, unsure]); grid cell k of a row is its k-th cell."""
        t = Table(index=len(self.doc.tables), cells=[], n_rows=len(rows), n_cols=0,
                  after_paragraph=len(self.doc.paragraphs) - 1, reading=reading)
        for r, row in enumerate(rows):
            for c, (text, origin, *unsure) in enumerate(row):
                t.cells.append(Cell(row=r, col=c, text=text, origin=origin, unsure=unsure[0] if unsure else ""))
            t.n_cols = max(t.n_cols, len(row))
        self.cells += len(t.cells)
        self.doc.tables.append(t)
        bounds.check_counts(self.path, len(self.doc.paragraphs), len(self.doc.tables), self.cells)

    def add_paragraph(self, text: str, first: int, last: int) -> None:
        text = text.strip()
        if not text:
            return
        self.doc.paragraphs.append(Paragraph(index=len(self.doc.paragraphs), text=text,
                                             style=None, origin=(first, last)))
        if len(self.doc.paragraphs) % 1000 == 0:
            bounds.check_counts(self.path, len(self.doc.paragraphs), len(self.doc.tables), self.cells)


def read_text(path: str | Path) -> SourceDocument:
    path = Path(path)
    data = bounds.read_input(path)
    from .encoding import utf16_without_bom

    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not utf16_without_bom(data):
        raise ReadError(path, "这是一个二进制文件，不是文本、网页或 Word 文档，无法读取")
    from .script import to_simplified

    return parse_text(to_simplified(decode(data)), path)


def _check_text_shape(text: str, path: Path) -> None:
    """Refuse before the line passes, which cost memory per line (a real report has < 3000 lines)."""
    from ..limits import exceeded

    if len(text) > bounds.MAX_TEXT_CHARS:
        raise ReadError(path, exceeded("MAX_TEXT_CHARS", bounds.MAX_TEXT_CHARS, len(text)))
    n_lines = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    if n_lines > bounds.MAX_PARAGRAPHS:
        raise ReadError(path, "文本行数过多：" + exceeded("MAX_PARAGRAPHS", bounds.MAX_PARAGRAPHS, n_lines))
    longest = max((len(ln) for ln in re.split(r"\r\n|\r|\n", text)), default=0) if len(text) > bounds.MAX_LINE_CHARS else 0
    if longest > bounds.MAX_LINE_CHARS:
        raise ReadError(path, "文中有一行（一段）过长，可能不是报告正文：" + exceeded("MAX_LINE_CHARS", bounds.MAX_LINE_CHARS, longest))


def parse_text(text: str, path: str | Path = "<text>") -> SourceDocument:
    from .structure import match_heading

    path = Path(path)
    _check_text_shape(text, path)
    lines = [_ARTEFACTS.sub("", ln).rstrip("\r") for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    heading = lambda t: match_heading(t) is not None  # noqa: E731
    b = _Builder(path)
    n = len(lines)
    kinds: list[str] = ["p"] * n  # p | glued | md | tab | row | gap
    for k in range(n):
        if glued.is_glued(lines[k]) or glued.is_table_line(lines[k]):
            kinds[k] = "glued"
    # (a) pipe tables, with or without the outer pipes ("| a | b |", "a | b | c")
    i = 0
    while i < n:
        if kinds[i] == "p" and "|" in lines[i]:
            j = i
            while j < n and kinds[j] == "p" and "|" in lines[j]:
                j += 1
            if sum(1 for k in range(i, j) if _is_pipe_row(lines[k])) < 2:
                i = j
                continue
            if j - i >= 2:
                for k in range(i, j):
                    kinds[k] = "md"
            i = j
        else:
            i += 1
    # (a') tab-separated rows ("label\t1\t0\t…"; an empty cell is an empty field)
    i = 0
    while i < n:
        if kinds[i] == "p" and _has_inner_tab(lines[i]):
            j = i
            while j < n and kinds[j] == "p" and (_has_inner_tab(lines[j]) or not lines[j].strip()
                                                 and j + 1 < n and _has_inner_tab(lines[j + 1])):
                j += 1
            if sum(1 for k in range(i, j) if _has_inner_tab(lines[k])) >= 2:
                for k in range(i, j):
                    kinds[k] = "tabrow"
            i = max(j, i + 1)
        else:
            i += 1
    # (b) tab-indented cells
    i = 0
    while i < n:
        if kinds[i] == "p" and lines[i].startswith("\t"):
            j = i
            prev_cell = False
            while j < n and kinds[j] == "p":
                ln = lines[j]
                if ln.startswith("\t"):
                    prev_cell = True
                elif not ln.strip(" \u3000"):
                    prev_cell = False
                elif prev_cell and not heading(ln):
                    pass  # second line of a cell
                else:
                    break
                j += 1
            block = range(i, j)
            n_rows = sum(1 for k in block if lines[k].startswith("\t") and (k == i or not lines[k - 1].strip(" \u3000")
                                                                              and not lines[k - 1].startswith("\t")))
            n_cells = sum(1 for k in block if lines[k].startswith("\t"))
            if n_rows >= 2 and n_cells >= 4:
                for k in block:
                    kinds[k] = "tab"
            i = max(j, i + 1)
        else:
            i += 1
    # (d) one cell per line: a label line, then its numbers each on a line of its own
    i = 0
    while i < n:
        if kinds[i] == "p" and _is_cell_line(lines[i], heading):
            j, values, filled = i, 0, 0
            while j < n and kinds[j] == "p" and (not lines[j].strip() or _is_cell_line(lines[j], heading)):
                if lines[j].strip():
                    filled += 1
                    values += _is_value_line(lines[j])
                j += 1
            while j > i and not lines[j - 1].strip():
                j -= 1
            if values >= 6 and values >= 0.3 * filled and not _is_value_line(lines[i]):
                for k in range(i, j):
                    kinds[k] = "cells"
            i = max(j, i + 1)
        else:
            i += 1
    # (c) flattened rows
    rows = {k: split_row(lines[k]) for k in range(n) if kinds[k] == "p"}
    row_lines = [k for k, v in rows.items() if v is not None]
    for k in row_lines:
        kinds[k] = "row"
    # gaps between rows of one table, and header lines before a table's first row
    for a, c in zip(row_lines, row_lines[1:]):
        if 1 < c - a <= GAP_LINES + 1 and all(kinds[k] == "p" and _is_gap_line(lines[k], heading) for k in range(a + 1, c)):
            for k in range(a + 1, c):
                kinds[k] = "gap"
    for k in row_lines:
        if k > 0 and kinds[k - 1] in ("row", "gap"):
            continue
        h = k - 1
        while h >= 0 and k - h <= HEADER_LINES and kinds[h] == "p" and _is_header_line(lines[h], heading):
            kinds[h] = "gap"
            h -= 1

    # emit in order
    i = 0
    para: list[tuple[int, str]] = []
    widths = sorted(labels.width(ln.strip()) for k, ln in enumerate(lines) if kinds[k] == "p" and ln.strip())
    full = _line_width(widths)

    def flush():
        if para:
            _emit_paragraphs(b, para, full, heading)
            para.clear()

    while i < n:
        kind = kinds[i]
        if kind == "p":
            para.append((i, lines[i]))
            i += 1
            continue
        flush()
        j = i
        if kind == "glued":
            _emit_glued(b, lines[i], i + 1)
            i += 1
            continue
        if kind in _RUN_TABLES:  # a run of lines of one kind is one table
            rows_of, reading = _RUN_TABLES[kind]
            while j < n and kinds[j] == kind:
                j += 1
            b.add_table(rows_of(lines, i, j), reading)
        else:
            while j < n and kinds[j] in ("row", "gap"):
                j += 1
            # a run that is only header lines (no row) is text after all
            if not any(kinds[k] == "row" for k in range(i, j)):
                for k in range(i, j):
                    para.append((k, lines[k]))
                i = j
                continue
            b.add_table(_flat_rows(lines, rows, i, j), "text-flat")
        i = j
    flush()
    return b.doc


def _emit_glued(b: _Builder, line: str, line_no: int) -> None:
    """A whole report flattened into one line: its paragraphs and its glued tables."""
    for piece in glued.split_line(line):
        if piece.kind == "p":
            b.add_paragraph(piece.text, line_no, line_no)
        else:
            b.add_table([[(c.text, (line_no, c.offset), c.unsure) for c in row] for row in piece.table.rows],
                        "text-glued")


def _line_width(widths: list[int]) -> int | None:
    """The width at which a PDF extraction wrapped its lines, or None when lines are not wrapped."""
    if len(widths) < 8:
        return None
    w = widths[int(len(widths) * 0.9) - 1]
    if w > 200 or w < 20:
        return None
    near = sum(1 for x in widths if 0.85 * w <= x <= 1.1 * w)
    if near < 0.3 * len(widths):
        return None
    return w


def _emit_paragraphs(b: _Builder, para: list[tuple[int, str]], full: int | None, heading) -> None:
    cur: list[tuple[int, str]] = []

    def out():
        if cur:
            text = ""
            for _, ln in cur:
                s = ln.strip()
                if text and text[-1].isascii() and text[-1].isalnum() and s[:1].isascii() and s[:1].isalnum():
                    text += " "
                text += s
            b.add_paragraph(text, cur[0][0] + 1, cur[-1][0] + 1)
            cur.clear()

    pending_blank = False
    for k, ln in para:
        s = ln.strip()
        if not s:
            if cur and _continues(cur[-1][1], full) and not pending_blank:
                pending_blank = True  # a page break inside a paragraph
                continue
            out()
            pending_blank = False
            continue
        if cur:
            if _continues(cur[-1][1], full) and not _HEADING_START.match(labels.text(s)) and not heading(s):
                cur.append((k, ln))
                pending_blank = False
                continue
            out()
        pending_blank = False
        cur.append((k, ln))
    out()


def _continues(prev: str, full: int | None) -> bool:
    if full is None:
        return False
    s = labels.text(prev).strip()
    if not s or s.endswith(_TERMINAL):
        return False
    return labels.width(s) >= 0.85 * full


def _is_pipe_row(line: str) -> bool:
    """Cells between pipes: "| a | b |", "a | b | c", or a two-cell row "行政许可 | 15"."""
    fields = [f.strip() for f in line.strip().strip("|").split("|")]
    return "|" in line and len(fields) >= 2 and sum(1 for f in fields if f) >= 1


def _is_tab_row(line: str) -> bool:
    """A row of tab-separated cells (not Word's one-cell-per-line layout, whose lines start with one tab)."""
    s = line.rstrip("\r\n ")
    return len(s.strip("\t")) > 0 and s.lstrip("\t").count("\t") >= 1 and len(s.split("\t")) >= 3


def _has_inner_tab(line: str) -> bool:
    return "\t" in line.strip(" \t\r\n") or _is_tab_row(line)


def _is_value_line(line: str) -> bool:
    s = labels.text(line).strip()
    return bool(s) and " " not in s and bool(_VALUE.match(s))


def _is_cell_line(line: str, fmt_heading) -> bool:
    s = labels.text(line).strip()
    if not s or "。" in s or labels.width(s) > 90 or fmt_heading(s):
        return False
    return _is_value_line(s) or len(s.split()) <= 2


MAX_ROW_CELLS = 7  # no row of 表二/表三 has more cells; a longer run of numbers is 表四's row of 15


def _cell_line_rows(lines: list[str], i: int, j: int) -> list[list[tuple[str, tuple]]]:
    rows: list[list[tuple[str, tuple]]] = []
    names: list[tuple[str, tuple]] = []
    nums: list[tuple[str, tuple]] = []

    def close():
        if len(nums) > MAX_ROW_CELLS:
            if names:
                rows.append(list(names))  # the header of 表四, then its row of numbers
            rows.append(list(nums))
        elif names or nums:
            rows.append(names + nums)
        names.clear()
        nums.clear()

    for k in range(i, j):
        s = lines[k].strip()
        if not s:
            continue
        if _is_value_line(s):
            nums.append((s, (k + 1, 0)))
        else:
            if nums:
                close()
            names.append((s, (k + 1, 0)))
    close()
    return rows


def _tabrow_rows(lines: list[str], i: int, j: int) -> list[list[tuple[str, tuple]]]:
    rows = []
    for k in range(i, j):
        if not lines[k].strip():
            continue
        rows.append([(c.strip(), (k + 1, n)) for n, c in enumerate(lines[k].rstrip("\r\n").split("\t"))])
    return rows


def _md_rows(lines: list[str], i: int, j: int) -> list[list[tuple[str, tuple]]]:
    rows = []
    for k in range(i, j):
        ln = lines[k].strip()
        if _MD_SEP.match(ln):
            continue
        parts = ln.strip().strip("|").split("|")
        rows.append([(p.strip().replace("<br>", "\n"), (k + 1, c)) for c, p in enumerate(parts)])
    return rows


def _tab_rows(lines: list[str], i: int, j: int) -> list[list[tuple[str, tuple]]]:
    rows: list[list[tuple[str, tuple]]] = []
    row: list[list] = []
    last_was_cell = False
    for k in range(i, j):
        ln = lines[k]
        if ln.startswith("\t"):
            row.append([ln[1:].rstrip(), (k + 1, len(row))])
            last_was_cell = True
        elif not ln.strip(" \u3000"):
            if row:
                rows.append([(t, o) for t, o in row])
                row = []
            last_was_cell = False
        elif last_was_cell and row:
            row[-1][0] = row[-1][0] + "\n" + ln.rstrip()
    if row:
        rows.append([(t, o) for t, o in row])
    return rows


def _flat_rows(lines, rows, i: int, j: int) -> list[list[tuple[str, tuple]]]:
    out = []
    for k in range(i, j):
        r = rows.get(k)
        if r is not None:
            label, values = r
            cells = [(label, (k + 1, 0))]
            cells += [(v, (k + 1, c + 1)) for c, v in enumerate(values)]
            out.append(cells)
        elif lines[k].strip():
            out.append([(labels.text(lines[k]).strip(), (k + 1, 0))])
    return out


# line kind -> (rows of a run of such lines, how the table was read)
_RUN_TABLES = {
    "tabrow": (_tabrow_rows, "text-tabs"),
    "cells": (_cell_line_rows, "text-lines"),
    "md": (_md_rows, "text-pipes"),
    "tab": (_tab_rows, "text-lines"),
}
