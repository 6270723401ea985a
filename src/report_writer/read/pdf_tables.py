"""Tables of a PDF: ruled ones from pdfplumber's line finder, unruled ones from word positions,
and a table that runs over a page break joined back into one.

Ruled: pdfplumber finds the cells from the drawn lines; a merged cell is one box, its grid
position and spans come from the distinct x and y coordinates of all cell edges. A box of one
column (a frame around body paragraphs) is not a table.

Unruled: a run of lines that have several segments (gaps wider than a word space) and numbers.
Value columns are the x-extents of the numbers of the data lines (lines holding a number),
merged where they overlap; the segments left of the first value column are the row's label
cells. Lines without numbers above the first data line are header rows; between data lines
they are wrapped label text and join the nearest data line.

Cell origins are (page, x0, top, x1, bottom) in pdfplumber's coordinates (points, top-down).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Cell, Table
from .pdf_lines import Line, Seg, tidy

# A cell value as the mapper reads one (read.mapper._VALUE): a number with its 增/减 and unit, or a blank mark.
_NUMBER = re.compile(r"^(?:(?:增加|减少|增|减)?[-+−－]?\d[\d,，]*(?:\.\d+)?(?:万元|元|万|%|件|个|项)?"
                     r"|/|／|—+|-{1,2}|–|无)$")


MAX_EDGES = 3000  # distinct ruling lines of one page (a 100-row, 20-column grid has about 120)


class TooManyEdges(Exception):
    """A page draws more separate lines than any table has (a hostile or broken file)."""


@dataclass
class TableBlock:
    table: Table
    page: int  # where it starts
    last_page: int
    top: float
    bottom: float  # on its last page
    header_rows: int = 0  # leading rows without numbers (a repeated header at a page break is dropped)
    label_cols: int = 0  # unruled: the label columns left of the value columns


def _snap(values: list[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(coords: list[float], v: float) -> int:
    return min(range(len(coords)), key=lambda i: abs(coords[i] - v))


def _cell_text(s: str | None) -> str:
    if not s:
        return ""
    parts = [tidy(p) for p in s.split("\n")]
    out = ""
    for p in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and p[:1].isascii() and p[:1].isalnum():
            out += " "
        out += p
    return out


def ruled_table(found, page: int) -> TableBlock | None:
    """A pdfplumber Table as a TableBlock, or None when it is a one-column box (a frame)."""
    boxes = [c for row in found.rows for c in row.cells if c is not None]
    if not boxes:
        return None
    xs = _snap([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _snap([b[1] for b in boxes] + [b[3] for b in boxes])
    n_cols, n_rows = len(xs) - 1, len(ys) - 1
    if n_cols < 2 or n_rows < 1:  # one column: a frame around text; one row may be the end of a table
        return None
    texts = found.extract()
    cells: list[Cell] = []
    for row, trow in zip(found.rows, texts):
        for box, text in zip(row.cells, trow):
            if box is None:
                continue
            c0, c1 = _index(xs, box[0]), _index(xs, box[2])
            r0, r1 = _index(ys, box[1]), _index(ys, box[3])
            if c1 <= c0 or r1 <= r0:
                continue
            cells.append(Cell(row=r0, col=c0, text=_cell_text(text), rowspan=r1 - r0, colspan=c1 - c0,
                              origin=(page, box[0], box[1], box[2], box[3])))
    cells.sort(key=lambda c: (c.row, c.col))
    t = Table(index=-1, cells=cells, n_rows=n_rows, n_cols=n_cols, reading="pdf-ruled", page=page)
    return TableBlock(t, page, page, found.bbox[1], found.bbox[3], header_rows=_header_rows(t))


def ruled_tables_from_edges(edges: list[dict], words: list[dict], page: int) -> tuple[list[TableBlock], list]:
    """Ruled tables from drawn edges with pdfplumber's own cell finder (its default "lines"
    settings), the cells' text from the page's words; (tables, their boxes)."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
    from pdfplumber.utils import filter_edges

    from .pdf_lines import join_lines, page_lines

    edges = filter_edges(merge_edges(edges, 3, 3, 3, 3), min_length=3)
    if len(edges) > MAX_EDGES:  # the cell finder is quadratic in the lines; no real table has this many
        raise TooManyEdges(len(edges))
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    blocks, boxes = [], []
    for group in cells_to_tables(cells):
        inside: dict[int, list[dict]] = {}
        for w in words:
            cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
            for k, b in enumerate(group):
                if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]:
                    inside.setdefault(k, []).append(w)
                    break
        texts = {k: join_lines(page_lines(ws, page)) for k, ws in inside.items()}
        b = _from_boxes(group, [texts.get(k, "") for k in range(len(group))], page)
        if b is not None:
            blocks.append(b)
            boxes.append((min(x[0] for x in group), min(x[1] for x in group),
                          max(x[2] for x in group), max(x[3] for x in group)))
    return blocks, boxes


def _from_boxes(boxes: list, texts: list[str], page: int) -> TableBlock | None:
    xs = _snap([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _snap([b[1] for b in boxes] + [b[3] for b in boxes])
    if len(xs) - 1 < 2 or len(ys) - 1 < 1:  # one column: a frame around text
        return None
    cells: list[Cell] = []
    for box, text in zip(boxes, texts):
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 > c0 and r1 > r0:
            cells.append(Cell(row=r0, col=c0, text=text, rowspan=r1 - r0, colspan=c1 - c0,
                              origin=(page, box[0], box[1], box[2], box[3])))
    cells.sort(key=lambda c: (c.row, c.col))
    t = Table(index=-1, cells=cells, n_rows=len(ys) - 1, n_cols=len(xs) - 1, reading="pdf-ruled", page=page)
    return TableBlock(t, page, page, ys[0], ys[-1], header_rows=_header_rows(t))


def _header_rows(t: Table) -> int:
    by_row: dict[int, list[Cell]] = {}
    for c in t.cells:
        by_row.setdefault(c.row, []).append(c)
    n = 0
    for r in range(t.n_rows):
        if any(_NUMBER.match(c.text) for c in by_row.get(r, []) if c.text):
            break
        n += 1
    return n


# ---------------------------------------------------------------- unruled tables


def _numeric(seg: Seg) -> bool:
    return bool(_NUMBER.match(seg.text))


def is_tabular(line: Line) -> bool:
    """A line that looks like a table row: several segments, and numbers or short labels only."""
    if len(line.segs) < 2:
        return False
    if any(_numeric(s) for s in line.segs):
        return True
    return all(len(s.text) <= 20 for s in line.segs) and not line.text.endswith("。")


def find_unruled(lines: list[Line]) -> list[tuple[int, int]]:
    """[start, end) runs of lines that form an unruled table (two data lines, or one long one)."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(lines)
    while i < n:
        if not is_tabular(lines[i]):
            i += 1
            continue
        j = i
        last_tab = i
        size = lines[i].size
        value_x: float | None = None  # where the numbers of the last row start
        while j < n:
            ln = lines[j]
            if ln.size > size + 0.5:  # a larger font (the next section's heading) is not table text
                break
            if is_tabular(ln):
                last_tab = j
                xs = [s.x0 for s in ln.segs if _numeric(s)]
                value_x = min(xs) if xs else value_x
            elif not _short(ln):
                break
            elif j - last_tab > 2 and not (value_x is not None and ln.x1 < value_x
                                           and _dist(ln, lines[j - 1]) <= 1.6 * size):
                break  # beyond two loose lines only a label wrapped line by line (left of the numbers) goes on
            j += 1
        j = last_tab + 1
        # the last row's label wrapped onto the lines below it (top-aligned cells) belongs to the table
        while j < n and value_x is not None and _short(lines[j]) and lines[j].x1 < value_x \
                and lines[j].page == lines[j - 1].page and lines[j].size <= size + 0.5 \
                and _dist(lines[j], lines[j - 1]) <= 1.6 * size:
            j += 1
        counts = [sum(1 for s in lines[k].segs if _numeric(s)) for k in range(i, j)]
        # one data line is a table when it is long, or when it opens the page (a table's last row, carried over)
        if sum(1 for c in counts if c) >= 2 or max(counts) >= 4 or (i == 0 and max(counts) >= 1):
            start = i  # header lines just above the first row-like line (a spanned caption, 法人或其他组织)
            floor = runs[-1][1] if runs else 0
            first_x = min((s.x0 for s in lines[i].segs if _numeric(s)), default=None)
            while start > floor and _short(lines[start - 1]) and not _HEAD.match(lines[start - 1].text) \
                    and lines[start - 1].page == lines[i].page and (
                        i - start < 6 or  # a label carried over the page, line by line, left of the numbers
                        first_x is not None and lines[start - 1].x1 < first_x
                        and _dist(lines[start - 1], lines[start]) <= 1.6 * size):
                start -= 1
            runs.append((start, j))
        i = j
    return runs


_HEAD = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+[部章节])")


def _dist(a: Line, b: Line) -> float:
    return abs((a.top + a.bottom) / 2 - (b.top + b.bottom) / 2)


def is_short(ln: Line) -> bool:
    """A line that may belong to a table's header: short, not a sentence, not a section heading."""
    return _short(ln) and not _HEAD.match(ln.text)


def _short(ln: Line) -> bool:
    t = ln.text
    return max(len(s.text) for s in ln.segs) <= 40 and len(t) <= 80 and "。" not in t and not t.endswith(("：", ":"))


def _data_lines(lines: list[Line]) -> list[int]:
    return [k for k, ln in enumerate(lines) if any(_numeric(s) for s in ln.segs)]


def _label_segs(ln: Line, first_x: float) -> list[Seg]:
    return [s for s in ln.segs if not _numeric(s) and s.x1 <= first_x + 0.5]


def owners(lines: list[Line]) -> dict[int, int]:
    """Line -> the data line whose wrapped labels it continues. A continuation lies left of the
    numbers, under (or over) a label of its row, one line pitch from the previous line of the cell:
    below the row's numbers when cells are top-aligned (Word), around them when centred."""
    data = _data_lines(lines)
    if not data:
        return {}
    first_x = min(s.x0 for k in data for s in lines[k].segs if _numeric(s))
    data_set = set(data)

    def fits(k: int, prev: int) -> bool:
        ln, pv = lines[k], lines[prev]
        if ln.page != pv.page or any(s.x1 > first_x + 0.5 for s in ln.segs):
            return False
        if abs((ln.top + ln.bottom) / 2 - (pv.top + pv.bottom) / 2) > 1.6 * max(ln.size, pv.size):
            return False
        labels = _label_segs(pv, first_x)
        if not labels:  # a row whose label is all on the lines around its numbers
            return True
        return all(any(x.x0 < s.x1 and s.x0 < x.x1 for x in labels) for s in ln.segs)

    below: dict[int, tuple[int, float]] = {}
    above: dict[int, tuple[int, float]] = {}
    for d in data:
        for step, chain in ((1, below), (-1, above)):
            prev, k = d, d + step
            while 0 <= k < len(lines) and k not in data_set and fits(k, prev):
                chain[k] = (d, abs(lines[k].top - lines[d].top))
                prev, k = k, k + step
    out: dict[int, int] = {}
    for k in set(below) | set(above):
        cands = [c for c in (below.get(k), above.get(k)) if c is not None]
        out[k] = min(cands, key=lambda c: c[1])[0]
    return out


def unruled_tables(lines: list[Line]) -> list[TableBlock]:
    """One region as tables: a line between two rows that continues neither row's labels (a caption,
    a column header) starts a new table with its own columns (表二's blocks)."""
    data = _data_lines(lines)
    if not data:
        return []
    own = owners(lines)
    cuts = [0]
    for a, b in zip(data, data[1:]):
        first_x = min(s.x0 for s in lines[a].segs if _numeric(s))
        # a line that continues no row's label cuts where it reaches over the numbers or stands apart;
        # one left of the numbers and close to a row is a merged label printed once (三、本年度办理结果)
        mids = [k for k in range(a + 1, b) if k not in own and (
            any(s.x1 > first_x for s in lines[k].segs)
            or min(_dist(lines[k], lines[a]), _dist(lines[k], lines[b])) > 1.5 * lines[k].size)]
        if mids:
            cuts.append(mids[0])
    cuts.append(unruled_end(lines))
    # lines after the last row that are not its wrapped label (the next table's caption at a page end) stay text
    return [unruled_table(lines[x:y]) for x, y in zip(cuts, cuts[1:]) if any(k in range(x, y) for k in data)]


def unruled_end(lines: list[Line]) -> int:
    """How many lines of a region unruled_tables uses (the rest is text after it)."""
    data = _data_lines(lines)
    if not data:
        return 0
    own = owners(lines)
    return next((k for k in range(data[-1] + 1, len(lines)) if k not in own), len(lines))


def unruled_table(lines: list[Line]) -> TableBlock:
    """Rebuild a table from the positions of its lines' segments."""
    data = _data_lines(lines)
    own = owners(lines)
    first_value_x = min(next(s.x0 for s in lines[k].segs if _numeric(s)) for k in data)
    spans: list[list[float]] = []
    for k in data:
        for s in lines[k].segs:
            if _numeric(s) and s.x0 >= first_value_x - 0.5:
                spans.append([s.x0, s.x1])
    spans.sort()
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1] + 0.5:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    label_cols = 1
    rows: list[dict] = []  # {"labels": [Seg], "values": {col: Seg}, "line": Line}
    row_of_line: dict[int, int] = {}
    for k in range(len(lines)):
        if k in data:
            row_of_line[k] = len(rows)
            rows.append({"labels": [], "values": {}, "line": lines[k], "header": False})
        elif k < data[0]:
            # header lines of one band (spanned labels sit between rows) share a row while they do not collide
            prev = rows[-1] if rows and rows[-1]["header"] else None
            if prev is not None and not any(a.x0 < b.x1 and b.x0 < a.x1 for a in lines[k].segs
                                            for b in prev["segs"]):
                row_of_line[k] = len(rows) - 1
                prev["segs"].extend(lines[k].segs)
                continue
            row_of_line[k] = len(rows)
            rows.append({"labels": [], "values": {}, "line": lines[k], "header": True, "segs": list(lines[k].segs)})
    for k, ln in enumerate(lines):
        if k in row_of_line:
            r = rows[row_of_line[k]]
            for s in ln.segs:
                col = _value_col(cols, s) if s.x1 > first_value_x else None
                if col is None or (not r["header"] and not _numeric(s)):
                    r["labels"].append(Seg(s.x0, s.x1, s.top, s.bottom, s.text))
                else:
                    r["values"].setdefault(col, s)
        else:  # wrapped label text of a row (see owners); lines above its numbers go before, in order
            near = own.get(k)
            if near is None:
                mid = (ln.top + ln.bottom) / 2
                near = min(data, key=lambda d: abs((lines[d].top + lines[d].bottom) / 2 - mid))
            r = rows[row_of_line[near]]
            for s in ln.segs:
                if s.x1 > first_value_x:
                    continue
                hit = next((x for x in r["labels"] if x.x0 < s.x1 and s.x0 < x.x1), None)
                if hit is None:
                    r["labels"].append(Seg(s.x0, s.x1, s.top, s.bottom, s.text))
                    r["labels"].sort(key=lambda x: x.x0)
                elif k < near:
                    r.setdefault("before", {}).setdefault(id(hit), []).append(s.text)
                else:
                    hit.text = hit.text + s.text
    for r in rows:
        for x in r["labels"]:
            x.text = "".join(r.get("before", {}).get(id(x), [])) + x.text
    for r in rows:
        label_cols = max(label_cols, len(r["labels"]))
    page = lines[0].page
    cells: list[Cell] = []
    for ri, r in enumerate(rows):
        for li, s in enumerate(sorted(r["labels"], key=lambda x: x.x0)):
            cells.append(Cell(row=ri, col=li, text=s.text, origin=(r["line"].page, s.x0, s.top, s.x1, s.bottom)))
        if r["header"]:
            for col, s in sorted(r["values"].items()):
                span = sum(1 for c in cols[col:] if c[0] < s.x1 and s.x0 < c[1]) or 1
                cells.append(Cell(row=ri, col=label_cols + col, text=s.text, colspan=span,
                                  origin=(r["line"].page, s.x0, s.top, s.x1, s.bottom)))
            continue
        for col in range(len(cols)):
            s = r["values"].get(col)
            if s is not None:
                cells.append(Cell(row=ri, col=label_cols + col, text=s.text,
                                  origin=(r["line"].page, s.x0, s.top, s.x1, s.bottom)))
            else:  # a blank cell of a read grid
                x0, x1 = cols[col]
                ln = r["line"]
                cells.append(Cell(row=ri, col=label_cols + col, text="", origin=(ln.page, x0, ln.top, x1, ln.bottom)))
    t = Table(index=-1, cells=cells, n_rows=len(rows), n_cols=label_cols + len(cols), reading="pdf-positions",
              page=page)
    return TableBlock(t, page, lines[-1].page, lines[0].top, lines[-1].bottom,
                      header_rows=sum(1 for r in rows if r["header"]), label_cols=label_cols)


def _value_col(cols: list[list[float]], s: Seg) -> int | None:
    best, overlap = None, 0.0
    for i, (a, b) in enumerate(cols):
        ov = min(b, s.x1) - max(a, s.x0)
        if ov > overlap:
            best, overlap = i, ov
    if best is None:  # between columns: the nearest one
        mid = (s.x0 + s.x1) / 2
        best = min(range(len(cols)), key=lambda i: abs((cols[i][0] + cols[i][1]) / 2 - mid))
    return best


# ---------------------------------------------------------------- across a page break


def _row_texts(t: Table, n: int) -> list[tuple[str, ...]]:
    by_row: dict[int, list[str]] = {}
    for c in t.cells:
        if c.row < n:
            by_row.setdefault(c.row, []).append(c.text)
    return [tuple(by_row.get(r, [])) for r in range(n)]


def _extent(t: Table) -> tuple[float, float]:
    return min(c.origin[1] for c in t.cells), max(c.origin[3] for c in t.cells)


def can_join(a: TableBlock, b: TableBlock) -> bool:
    if b.page != a.last_page + 1 or a.table.reading != b.table.reading or not a.table.cells or not b.table.cells:
        return False
    if a.table.n_cols == b.table.n_cols:
        return True
    if a.table.reading == "pdf-positions":  # the same value columns; the label columns may differ
        return a.table.n_cols - a.label_cols == b.table.n_cols - b.label_cols
    # ruled parts of one table: the same left and right edges (one part may lack some inner lines)
    (l1, r1), (l2, r2) = _extent(a.table), _extent(b.table)
    return a.table.reading == "pdf-ruled" and abs(l1 - l2) < 2 and abs(r1 - r2) < 2


def _regrid_columns(t: Table) -> None:
    """Grid columns of a ruled table from its cells' x edges (after joining parts with different lines)."""
    xs = _snap([c.origin[1] for c in t.cells] + [c.origin[3] for c in t.cells])
    for c in t.cells:
        c.col = _index(xs, c.origin[1])
        c.colspan = max(1, _index(xs, c.origin[3]) - c.col)
    t.n_cols = len(xs) - 1


def _overlap(c: Cell, d: Cell) -> float:
    lo, hi = max(c.origin[1], d.origin[1]), min(c.origin[3], d.origin[3])
    return max(0.0, hi - lo) / max(1e-6, min(c.origin[3] - c.origin[1], d.origin[3] - d.origin[1]))


def _width(c: Cell) -> float:
    return c.origin[3] - c.origin[1]


def _continue_split_row(a: Table, b: Table, row: int = 0) -> bool:
    """When b's row `row` is the rest of a's last row (Word lets a row break across pages): words in
    the label cells only, each under a label cell of a's last row. Joins the texts; True when done."""
    first = [c for c in b.cells if c.row == row and c.text]
    if not first or any(_NUMBER.match(c.text) for c in first):
        return False
    last = [c for c in a.cells if c.row + c.rowspan == a.n_rows and c.text]
    pairs = []
    for c in first:
        d = max(last, key=lambda x: _overlap(c, x), default=None)
        if d is None or _overlap(c, d) < 0.5 or _NUMBER.match(d.text) or _width(c) > 1.2 * _width(d):
            return False  # a cell wider than the label above it is a caption of the next block, not the rest
        pairs.append((d, c))
    for d, c in pairs:
        d.text += c.text
    return True


def join(a: TableBlock, b: TableBlock) -> None:
    """Append b (the continuation on the next page) to a, without b's repeated header rows."""
    skip = 0
    if b.header_rows and b.header_rows <= a.header_rows and \
            _row_texts(b.table, b.header_rows) == _row_texts(a.table, b.header_rows):
        skip = b.header_rows  # the header repeated on the new page
    else:
        # a row broken by the page: the rest of its label (one line a row when unruled) joins the first part
        while skip < b.header_rows and _continue_split_row(a.table, b.table, skip):
            skip += 1
        if skip == 0 and b.header_rows and a.header_rows:
            skip = b.header_rows  # a different header at a page break ("续表"): still not data
    if a.table.reading == "pdf-positions" and a.label_cols != b.label_cols:
        wide = max(a.label_cols, b.label_cols)
        for blk in (a, b):
            for c in blk.table.cells:
                if c.col >= blk.label_cols:
                    c.col += wide - blk.label_cols
            blk.table.n_cols += wide - blk.label_cols
            blk.label_cols = wide
    off = a.table.n_rows - skip
    for c in b.table.cells:
        if c.row >= skip:
            c.row += off
            a.table.cells.append(c)
    a.table.n_rows += b.table.n_rows - skip
    if a.table.reading == "pdf-ruled":
        _regrid_columns(a.table)
    a.last_page, a.bottom = b.last_page, b.bottom
