"""Reports flattened into one line (a web page saved as text): paragraphs and glued tables.

A whole report may arrive as one line: section headings run on after the previous sentence
("…联系。一、总体情况2021年，…") and every table lost its cell separators, so a row label is
followed by its cells' digits written together ("（一）予以公开270020130"). This module splits
such a line into paragraphs at the section headings and sub-heads, and reads each table by
finding the format's row labels in order; the digits after a label are split into cells by
searching every split that makes the table's own identities hold (row sums, then the column
sums of all rows jointly). A cell whose split is not unique — or that no split explains — is
kept as unsure, with the reason, so that nothing is judged on it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..formats import Format, all_formats
from ..formats import Table as FTable
from . import labels

MIN_WIDTH = 600  # a line narrower than this is an ordinary paragraph
MIN_GAP = 30  # characters between two inline headings of a flattened report (at least once)
MAX_COMBINATIONS = 200_000  # joint search over the rows whose split is not unique
MAX_SPLITS = 5000  # splits of one digit run considered before giving up on it
_SEP = r"[\W_]*"
_NUM = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d+)?$")
_INT = re.compile(r"^(?:0|[1-9]\d*)$")
_VALUE_RUN = re.compile(r"\s*((?:(?:增加|减少|增|减)?\d[\d.]*\s*)+?)(\s*(?:万元|元))?(?=\D|$)")
_CHANGE = re.compile(r"^(?:增加|减少|增|减)?(?:0|[1-9]\d*)$")
_SIGNED_CHUNK = re.compile(r"(?:增加|减少|增|减)?[\d.]+")
_SUBHEAD = re.compile(r"(?<=[。；;：:])\s*(?=[(（][一二三四五六七八九十][)）])")
_TITLE = re.compile(r"^\s*(\S{2,60}?政府信息公开(?:工作)?年度报告)\s+")


@dataclass
class GluedCell:
    text: str
    offset: int  # character offset in the line
    unsure: str = ""  # why the cell could not be read with certainty (empty: read)


@dataclass
class GluedTable:
    table: str  # format table id
    rows: list[list[GluedCell]] = field(default_factory=list)


@dataclass
class Piece:
    kind: str  # "p" | "table"
    text: str = ""
    offset: int = 0
    table: GluedTable | None = None


# ---------------------------------------------------------------- detection


def _normalise(line: str) -> str:
    """Display-normalised text of the same length as `line` (so offsets carry over)."""
    out = []
    for ch in line:
        n = labels.text(ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


@lru_cache(maxsize=4096)
def _label_re(label: str) -> re.Pattern | None:
    k = labels.key(label)
    if not k:
        return None
    return re.compile(_SEP.join(re.escape(c) for c in k))


def _headings() -> list[tuple[str, str, list[str]]]:
    """(section id, numeral, heading texts) over every format."""
    from .structure import _sections

    return [(s.id, s.number, [s.heading, *s.variants]) for s in _sections(None)]


def heading_positions(s: str) -> list[tuple[int, int, str]]:
    """(start, end, section id) of the section headings inside a normalised line, in order."""
    found: list[tuple[int, int, str]] = []
    cursor = 0
    for sid, number, texts in _headings():
        best = None
        for m in re.finditer(re.escape(number) + r"\s*[、.,，]?\s*", s[cursor:]):
            start = cursor + m.start()
            if start > 0 and s[start - 1] in labels.CN_DIGITS:
                continue
            for t in texts:
                hm = _label_re(t).match(s, cursor + m.end())
                if hm and (best is None or start < best[0] or start == best[0] and hm.end() > best[1]):
                    best = (start, hm.end())
            if best is not None:
                break
        if best is None:
            best = _fuzzy_heading(s, cursor, number, texts)
        if best is not None:
            found.append((best[0], best[1], sid))
            cursor = best[1]
    return found


def _fuzzy_heading(s: str, cursor: int, number: str, texts: list[str]) -> tuple[int, int] | None:
    """A misspelt heading ("四、政府信息公开行政法复议、行政诉讼情况") after a sentence or a table."""
    import difflib

    for m in re.finditer(re.escape(number) + r"[、.,，]", s[cursor:]):
        start = cursor + m.start()
        if start > 0 and not re.match(r"[。；;\s\d)）]", s[start - 1]):
            continue
        for t in texts:
            want = labels.key(t)
            if len(want) < 6:
                continue
            for extra in (1, 0, 2, -1):
                end = cursor + m.end() + len(t) + extra
                got = labels.key(s[cursor + m.end():end])
                if difflib.SequenceMatcher(None, got, want).ratio() >= 0.85:
                    return start, end
    return None


def is_glued(line: str) -> bool:
    """A long line that holds two or more section headings or a table: a flattened report."""
    if labels.width(line) < MIN_WIDTH:
        return False
    heads = heading_positions(_normalise(line))
    # a preamble listing the parts ("包括一、总体情况，二、……") has them side by side; a flattened
    # report has text between them
    return len(heads) >= 2 and any(b[0] - a[1] >= MIN_GAP for a, b in itertools.pairwise(heads))


def detect_format(text: str) -> Format:
    k = labels.key(text)
    best = None
    for fid, fmt in sorted(all_formats().items(), reverse=True):
        n = sum(1 for m in fmt.markers if labels.key(m) and labels.key(m) in k)
        if best is None or n > best[0]:
            best = (n, fmt)
    return best[1]


# ---------------------------------------------------------------- splitting digits


def _value(part: str) -> Decimal:
    digits = re.sub(r"^(?:增加|减少|增|减)", "", part)
    return -Decimal(digits) if part.startswith("减") else Decimal(digits)


def _row_rules(fmt: Format, tid: str):
    return [r for r in fmt.rules if r.kind == "sum" and r.table == tid and r.each == "row"]


def _col_rules(fmt: Format, tid: str):
    return [r for r in fmt.rules if r.kind == "sum" and r.table == tid and r.each == "column"]


@dataclass
class _Unit:
    """One digit run and the rows it fills (one row; 表四's three rows share one run)."""

    rows: list[str]  # row ids
    cols: list[list[str]]  # column ids per row
    raw: str
    offset: int
    candidates: list[tuple[tuple[Decimal, ...], ...]] = field(default_factory=list)
    chosen: list[list[Decimal | None]] | None = None
    unsure: str = ""


def _candidates(unit: _Unit, fmt: Format, ftable: FTable, spaces: bool) -> list | None:
    """Every split of the unit's digits into its cells that keeps each row's own sums; None when
    there are too many splits to try (then nothing about the unit is certain).

    A space, and a 增/减 mark, always sits at a cell boundary; a cell has no leading zero.
    """
    chunks = unit.raw.split() if spaces else ["".join(unit.raw.split())]
    chunks = [c for chunk in chunks for c in _SIGNED_CHUNK.findall(chunk)]
    text = "".join(chunks)
    forced = set(itertools.accumulate(len(c) for c in chunks))  # positions where a cut must fall
    kinds = [[c.kind for c in ftable.columns_of(rid)] for rid in unit.rows]
    rules = _row_rules(fmt, ftable.id or "")
    out: list = []
    tried = [0]

    def row_ok(r: int, vals: list[Decimal]) -> bool:
        row = dict(zip(unit.cols[r], vals))
        return all(sum(row[c] for c in rule.left) == sum(row[c] for c in rule.right)
                   for rule in rules if all(c in row for c in rule.left + rule.right))

    def cut(pos: int, r: int, cells: list[Decimal], done: list[tuple]) -> bool:
        tried[0] += 1
        if tried[0] > MAX_SPLITS * 20 or len(out) > MAX_SPLITS:
            return False
        if r == len(unit.rows):
            if pos == len(text):
                out.append(tuple(done))
            return True
        k = len(cells)
        kind = kinds[r][k]
        rx = _NUM if kind == "money" else _CHANGE if kind == "change" else _INT
        for end in range(pos + 1, len(text) + 1):
            if any(pos < f < end for f in forced):
                break  # a cell never spans a space
            part = text[pos:end]
            if not rx.match(part):
                if part.startswith("0") and len(part) > 1 and part[1] != ".":
                    break
                continue
            vals = cells + [_value(part)]
            if len(vals) == len(kinds[r]):
                if row_ok(r, vals) and not cut(end, r + 1, [], done + [tuple(vals)]):
                    return False
            elif end < len(text) and not cut(end, r, vals, done):
                return False
        return True

    complete = cut(0, 0, [], [])
    del cut  # it calls itself through its closure: a reference cycle the collector would have to free
    return out if complete else None


def _show(vals) -> str:
    return "/".join(labels.text(str(v)) for row in vals for v in row)


def solve(units: list[_Unit], fmt: Format, ftable: FTable) -> None:
    """Choose each unit's split: row identities first, then the column identities of all rows jointly."""
    tid = ftable.id or ""
    units = [u for u in units if not u.unsure]
    for u in units:
        cands = _candidates(u, fmt, ftable, spaces=True)
        if cands == [] and len(u.raw.split()) > 1:
            cands = _candidates(u, fmt, ftable, spaces=False)
        if cands is None:
            u.unsure = f"数字连写为“{u.raw.strip()}”，可能的拆分过多，无法确定各单元格"
            continue
        u.candidates = cands
    col_rules = _col_rules(fmt, tid)
    ruled_rows = {r for rule in col_rules for r in rule.left + rule.right}
    fixed: dict[str, dict[str, Decimal]] = {}
    open_units: list[_Unit] = []
    for u in units:
        if u.unsure:
            continue
        if len(u.candidates) == 1:
            u.chosen = [list(r) for r in u.candidates[0]]
            for rid, cols, vals in zip(u.rows, u.cols, u.candidates[0]):
                fixed[rid] = dict(zip(cols, vals))
        elif not u.candidates:
            u.unsure = f"数字连写为“{u.raw.strip()}”，没有一种拆分能使本表的合计关系成立，无法确定各单元格"
        elif not set(u.rows) & ruled_rows:
            u.unsure = _ambiguous(u, u.candidates)
        else:
            open_units.append(u)
    if not open_units:
        return
    space = 1
    for u in open_units:
        space *= len(u.candidates)
    if space > MAX_COMBINATIONS:
        for u in open_units:
            u.unsure = _ambiguous(u, u.candidates)
        return
    known = set(fixed) | {r for u in open_units for r in u.rows}
    rules = [r for r in col_rules if set(r.left + r.right) <= known]
    surviving = []
    for combo in itertools.product(*(u.candidates for u in open_units)):
        values = dict(fixed)
        for u, cand in zip(open_units, combo):
            for rid, cols, vals in zip(u.rows, u.cols, cand):
                values[rid] = dict(zip(cols, vals))
        if all(_column_rule_holds(rule, ftable, values) for rule in rules):
            surviving.append(combo)
    for k, u in enumerate(open_units):
        options = sorted({combo[k] for combo in surviving})
        if len(options) == 1:
            u.chosen = [list(r) for r in options[0]]
        elif not options:
            u.unsure = (f"数字连写为“{u.raw.strip()}”，可拆分为{len(u.candidates)}种读法，"
                        f"但没有一种能使本表各列合计关系成立，无法确定各单元格")
        else:
            u.unsure = _ambiguous(u, options)


def _ambiguous(u: _Unit, options) -> str:
    shown = "、".join(_show(o) for o in list(options)[:3]) + ("等" if len(options) > 3 else "")
    return f"数字连写为“{u.raw.strip()}”，可拆分为{len(options)}种读法（{shown}），无法确定"


def _column_rule_holds(rule, ftable: FTable, values: dict[str, dict[str, Decimal]]) -> bool:
    for col in ftable.columns:
        left = [values[r].get(col.id) for r in rule.left]
        right = [values[r].get(col.id) for r in rule.right]
        if any(v is None for v in left + right):
            continue
        if sum(left) != sum(right):
            return False
    return True


# ---------------------------------------------------------------- labels in order


@dataclass
class _Hit:
    order: int
    start: int
    end: int
    weight: int
    row: str | None  # data row id, or None for a caption/group label


def _label_items(ftable: FTable) -> list[tuple[str | None, list[str]]]:
    """(row id or None, printed forms) in reading order: captions, group labels and data rows."""
    items: list[tuple[str | None, list[str]]] = []
    rows_all = [r for b in ftable.blocks for r in b.rows] if ftable.blocks else list(ftable.rows)
    bare_count: dict[str, int] = {}
    for r in rows_all:
        bare_count[labels.bare_key(r.label)] = bare_count.get(labels.bare_key(r.label), 0) + 1

    def forms(r) -> list[str]:
        out = [r.label, *r.aliases]
        short = re.sub(r"[（(][^（()）]*[)）]$", "", r.label)
        if short != r.label:
            out.append(short)
        bare = labels.strip_numbering(r.label)
        if bare != labels.squash(r.label) and len(labels.key(bare)) >= 4 and bare_count[labels.bare_key(r.label)] == 1:
            out.append(bare)
        return out

    if ftable.blocks:
        for b in ftable.blocks:
            items.append((None, [b.caption]))
            for r in b.rows:
                items.append((r.id, forms(r)))
    else:
        for r in ftable.rows:
            items.append((None if r.group else r.id, forms(r)))
    return items


def _chain(s: str, start: int, end: int, ftable: FTable) -> list[_Hit]:
    """The longest run of the table's labels found in order inside s[start:end]."""
    hits: list[_Hit] = []
    for order, (rid, forms) in enumerate(_label_items(ftable)):
        for form in forms:
            rx = _label_re(form)
            if rx is None:
                continue
            for m in rx.finditer(s, start, end):
                a = m.start() - 1 if m.start() > start and s[m.start() - 1] in "(（" else m.start()
                z = m.end() + 1 if m.end() < end and s[m.end()] in ")）”\"" else m.end()
                hits.append(_Hit(order, a, z, len(labels.key(form)), rid))
    hits.sort(key=lambda h: (h.start, -h.end))
    best: list[tuple[int, int]] = []  # (score, previous index)
    for i, h in enumerate(hits):
        score, prev = h.weight, -1
        for j in range(i):
            g = hits[j]
            if g.order < h.order and g.end <= h.start and best[j][0] + h.weight > score:
                score, prev = best[j][0] + h.weight, j
        best.append((score, prev))
    if not best:
        return []
    i = max(range(len(best)), key=lambda k: (best[k][0], -k))
    chain = []
    while i >= 0:
        chain.append(hits[i])
        i = best[i][1]
    return chain[::-1]


# ---------------------------------------------------------------- tables


def _read_rows_table(s: str, line: str, start: int, end: int, fmt: Format, tid: str) -> tuple[GluedTable, int, int] | None:
    """表二/表三 in s[start:end]: (table, first offset, last offset)."""
    ftable = fmt.tables[tid]
    chain = _chain(s, start, end, ftable)
    data_hits = [h for h in chain if h.row is not None]
    if len(data_hits) < 2 and not (tid == "table2" and data_hits):
        return None
    units: list[_Unit] = []
    unit_of: dict[int, _Unit] = {}
    last = chain[-1].end
    for k, h in enumerate(chain):
        if h.row is None:
            continue
        stop = chain[k + 1].start if k + 1 < len(chain) else end
        m = _VALUE_RUN.match(s, h.end, stop)
        if m is None:
            continue
        cols = [c.id for c in ftable.columns_of(h.row)]
        u = _Unit(rows=[h.row], cols=[cols], raw=m.group(1), offset=m.start(1))
        if re.search(r"\d", s[m.end():stop]):
            u.unsure = "数字之间夹有文字，无法确定哪些数字属于本行"
        units.append(u)
        unit_of[k] = u
        last = max(last, m.end())
    if not units:
        return None
    solve(units, fmt, ftable)
    table = GluedTable(table=tid)
    first = chain[0].start
    header = ""
    if tid == "table3":
        # the corner note or 申请人情况 starts the table; text before it is a paragraph
        marks = [ftable.corner_note or "", ftable.header.get("top", "")]
        found = [m.start() for mark in marks if mark and (rx := _label_re(mark)) is not None
                 and (m := rx.search(s, start, first)) is not None]
        if found:
            start = min(found)
            start -= 1 if start > 0 and s[start - 1] in "(（" else 0
            header = line[start:first].strip()
    if header:
        table.rows.append([GluedCell(header, start)])
    for k, h in enumerate(chain):
        label = GluedCell(line[h.start:h.end].strip(), h.start)
        u = unit_of.get(k)
        if u is None:
            table.rows.append([label])
            continue
        table.rows.append([label, *_unit_cells(u)[0]])
    return table, (start if header else first), last


def _unit_cells(u: _Unit) -> list[list[GluedCell]]:
    out = []
    for r, cols in enumerate(u.cols):
        if u.chosen is not None:
            out.append([GluedCell(_fmt(v), u.offset) for v in u.chosen[r]])
        else:
            out.append([GluedCell("", u.offset, u.unsure) for _ in cols])
    return out


def _fmt(v: Decimal) -> str:
    return format(v, "f")


def _read_table4(s: str, line: str, start: int, end: int, fmt: Format) -> tuple[GluedTable, int, int] | None:
    ftable = fmt.tables["table4"]
    head = _label_re(ftable.columns[0].label)
    hm = head.search(s, start, end) if head else None
    if hm is None:
        return None
    d = re.compile(r"\d").search(s, hm.end(), end)
    if d is None:
        return None
    named = sum(1 for c in ftable.columns if (rx := _label_re(c.label)) is not None and rx.search(s, start, d.start()))
    if named < 3:
        return None  # a sentence that mentions 结果维持, not the table's header
    m = re.compile(r"\d[\d\s]*\d|\d").match(s, d.start(), end)
    top = _label_re(ftable.header.get("review", "")) if ftable.header.get("review") else None
    tops = [x.start() for x in top.finditer(s, start, hm.start())] if top else []
    start = tops[-1] if tops else hm.start()
    header = line[start:d.start()].strip()
    cols = [c.id for c in ftable.columns]
    u = _Unit(rows=[r.id for r in ftable.rows], cols=[cols] * len(ftable.rows), raw=m.group(0), offset=m.start())
    solve([u], fmt, ftable)
    cells = [c for row in _unit_cells(u) for c in row]
    table = GluedTable(table="table4", rows=[[GluedCell(header, start)], cells])
    return table, start, m.end()


# ---------------------------------------------------------------- the line


MIN_GLUED_ROWS = 3  # rows of label-and-digits that make a line a glued table


def _tables_in(s: str, line: str, fmt: Format) -> list[tuple[GluedTable, int, int]]:
    """The glued tables of a line without section headings, in order."""
    out = []
    cursor = 0
    for tid in ("table2", "table3", "table4"):
        if tid not in fmt.tables:
            continue
        got = (_read_table4(s, line, cursor, len(s), fmt) if tid == "table4"
               else _read_rows_table(s, line, cursor, len(s), fmt, tid))
        if got is None:
            continue
        table, t0, t1 = got
        if tid != "table4" and sum(1 for row in table.rows if len(row) > 1) < MIN_GLUED_ROWS:
            continue
        out.append(got)
        cursor = t1
    return out


def is_table_line(line: str) -> bool:
    """A line holding only a table whose cells were written together (no sentence in it)."""
    if "。" in line or labels.width(line) < 40 or not re.search(r"[\u4e00-\u9fff）)]\d{4,}", line):
        return False
    s = _normalise(line)
    return bool(_tables_in(s, line, detect_format(s)))


def split_line(line: str, fmt: Format | None = None) -> list[Piece]:
    """A flattened report line as paragraphs and tables, in order."""
    s = _normalise(line)
    fmt = fmt or detect_format(s)
    heads = heading_positions(s)
    bounds = [(a, b, sid) for a, b, sid in heads]
    pieces: list[Piece] = []
    table_sections = {ft.section: tid for tid, ft in fmt.tables.items()}

    def text_pieces(a: int, b: int) -> None:
        if a >= b:
            return
        if not pieces:
            t = _TITLE.match(line, a, b)
            if t:
                pieces.append(Piece("p", t.group(1), t.start(1)))
                a = t.end()
        cuts = [a] + [m.start() for m in _SUBHEAD.finditer(line, a, b) if m.start() > a] + [b]
        for x, y in itertools.pairwise(cuts):
            if line[x:y].strip():
                off = x + len(line[x:y]) - len(line[x:y].lstrip())
                pieces.append(Piece("p", line[x:y].strip(), off))

    if not bounds:  # a line that is only a table (or tables), within an otherwise ordinary text
        cursor = 0
        for table, t0, t1 in _tables_in(s, line, fmt):
            text_pieces(cursor, t0)
            pieces.append(Piece("table", offset=t0, table=table))
            cursor = t1
        text_pieces(cursor, len(line))
        return pieces
    text_pieces(0, bounds[0][0])
    for k, (a, b, sid) in enumerate(bounds):
        stop = bounds[k + 1][0] if k + 1 < len(bounds) else len(line)
        pieces.append(Piece("p", line[a:b].strip(), a))
        tid = table_sections.get(sid)
        got = None
        if tid == "table4":
            got = _read_table4(s, line, b, stop, fmt)
        elif tid is not None:
            got = _read_rows_table(s, line, b, stop, fmt, tid)
        if got is None:
            text_pieces(b, stop)
            continue
        table, t0, t1 = got
        text_pieces(b, t0)
        pieces.append(Piece("table", offset=t0, table=table))
        text_pieces(t1, stop)
    return pieces


def expand_document(doc) -> None:
    """Split the flattened paragraphs of a document read without tables (a web page whose table
    markup was lost) into paragraphs and glued tables, in place."""
    from .document import Cell, Paragraph, Table

    if doc.tables or not any(is_glued(p.text) for p in doc.paragraphs):
        return
    paragraphs: list = []
    tables: list = []
    for p in doc.paragraphs:
        if not is_glued(p.text):
            paragraphs.append(Paragraph(index=len(paragraphs), text=p.text, style=p.style, origin=p.origin))
            continue
        for piece in split_line(p.text):
            if piece.kind == "p":
                paragraphs.append(Paragraph(index=len(paragraphs), text=piece.text, origin=p.origin))
                continue
            rows = piece.table.rows
            cells = [Cell(row=r, col=c, text=x.text, origin=(*p.origin, x.offset), unsure=x.unsure)
                     for r, row in enumerate(rows) for c, x in enumerate(row)]
            tables.append(Table(index=len(tables), cells=cells, n_rows=len(rows),
                                n_cols=max((len(r) for r in rows), default=0),
                                after_paragraph=len(paragraphs) - 1, reading="text-glued"))
    doc.paragraphs = paragraphs
    doc.tables = tables
