"""Map the tables of a SourceDocument onto 表二/表三/表四 of a format (ids of the format files).

The document's tables are read as one stream of rows (a report may put all three statutory tables
in one Word table, split 表三 over two tables at a page break, or — in text — give them as row
lines). Each row is recognised by its label (the right-most cell that matches a row label of the
format, after normalisation), its values are the cells to the right of that label. Column ids come
from the header above the rows when it names every column, otherwise from the order of the format.
Labels are never written in this module: they come from `report_writer.formats`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..data import cells as cellmod
from ..data.model import Cell as MCell
from ..data.model import TableData
from ..findings import Finding, Location
from ..formats import Format, all_formats
from ..formats import Table as FTable
from . import labels
from .document import Cell, SourceDocument

_VALUE = re.compile(r"^(?:(?:增加|减少|增|减)?[-+−－]?\d[\d,，]*(?:\.\d+)?(?:万元|元|万|%|件|个|项)?|/|／|—+|-{1,2}|–|无)$")
TABLE_IDS = ("table2", "table3", "table4")


@dataclass
class MappedTables:
    format_id: str | None  # detected from labels ("2019"/"2021"); None if no statutory table recognised
    formats_seen: set[str] = field(default_factory=set)  # every format whose marker labels appear
    tables: dict[str, TableData] = field(default_factory=dict)  # table id -> row id -> col id -> Cell
    positions: dict[tuple[str, str, str], tuple[int, int, int]] = field(default_factory=dict)
    table_positions: dict[str, int] = field(default_factory=dict)  # table id -> doc table index (first one)
    findings: list[Finding] = field(default_factory=list)
    # What could not be read with certainty; nothing is judged on it (check.uncertainty):
    unsure: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (table, row, col) -> reason
    unread_rows: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, row) -> reason
    seen: dict[str, int] = field(default_factory=dict)  # table id -> doc table index where it was recognised

    def cell(self, table: str, row: str, col: str) -> MCell | None:
        return self.tables.get(table, {}).get(row, {}).get(col)


# ---------------------------------------------------------------- label index


@dataclass
class _Label:
    table: str
    row: str
    group: bool
    key: str
    bare: str


class _Index:
    """Row labels of one format (and the other formats' rows, to name rows of a wrong version)."""

    def __init__(self, fmt: Format):
        self.fmt = fmt
        self.labels: list[_Label] = []
        for tid in TABLE_IDS:
            if tid not in fmt.tables:
                continue
            t = fmt.tables[tid]
            rows = [r for b in t.blocks for r in b.rows] if t.blocks else list(t.rows)
            for r in rows:
                names = [r.label, *r.aliases]
                # "（二）部分公开（区分处理的，只计这一情形…）" is often printed without its note
                short = re.sub(r"[（(][^（()）]*[)）]$", "", r.label)
                if short != r.label and len(labels.bare_key(short)) >= 2:
                    names.append(short)
                for lab in names:
                    self.labels.append(_Label(tid, r.id, r.group, labels.key(lab), labels.bare_key(lab)))
        self.by_key = {}
        self.by_bare: dict[str, list[_Label]] = {}
        for lab in self.labels:
            self.by_key.setdefault(lab.key, lab)
            self.by_bare.setdefault(lab.bare, []).append(lab)
        t2 = fmt.tables.get("table2")
        self.captions = {labels.key(b.caption): b for b in (t2.blocks if t2 else [])}
        self.block_of_row = {r.id: b for b in (t2.blocks if t2 else []) for r in b.rows}

    def match(self, text: str, *, fragment: bool = False) -> _Label | None:
        k = labels.key(text)
        if not k:
            return None
        if k in self.by_key:
            return self.by_key[k]
        bare = labels.bare_key(text)
        hits = self.by_bare.get(bare, [])
        if len(hits) == 1 and len(bare) >= 2:
            return hits[0]
        # a label with a leading fragment of a merged label cell: "三(一)予以公开", "其他2.逾期不缴费"
        best = None
        for lab in self.labels:
            if len(lab.key) >= 4 and k.endswith(lab.key) and len(k) - len(lab.key) <= 8:
                if best is None or len(lab.key) > len(best.key):
                    best = lab
        if best is not None:
            return best
        if fragment and len(k) >= 6:
            # the start of a label whose end was wrapped to another line: "2.没有现成信息需要另行制"
            cands = [lab for lab in self.labels if lab.key.startswith(k) and len(k) >= 0.6 * len(lab.key)]
            if len({(c.table, c.row) for c in cands}) == 1:
                return cands[0]
        return None


# ---------------------------------------------------------------- helpers


def _is_value(text: str) -> bool:
    t = labels.squash(text)
    return t == "" or bool(_VALUE.match(t))


def _has_entry(text: str) -> bool:
    """A value-like cell that holds something (a number or a mark), not an empty cell."""
    t = labels.squash(text)
    return bool(t) and bool(_VALUE.match(t))


@dataclass
class _Row:
    table_index: int
    grid_row: int
    cells: list[Cell]  # distinct cells of the grid row, left to right


def _rows(doc: SourceDocument):
    for t in doc.tables:
        grid = t.grid()
        for r, line in enumerate(grid):
            seen: list[Cell] = []
            for c in line:
                if c is not None and (not seen or seen[-1] is not c) and c not in seen:
                    seen.append(c)
            yield _Row(t.index, r, seen)


def _markers_seen(doc: SourceDocument) -> dict[str, int]:
    texts: list[str] = []
    for t in doc.tables:
        texts.extend(labels.key(c.text) for c in t.cells)
    for p in doc.paragraphs:
        if labels.width(p.text) <= 160 and "。" not in p.text:
            texts.append(labels.key(p.text))
    blob = "\n".join(texts)
    out = {}
    for fid, fmt in all_formats().items():
        n = sum(1 for m in fmt.markers if labels.key(m) and labels.key(m) in blob)
        if n:
            out[fid] = n
    return out


# ---------------------------------------------------------------- mapping


class _Mapper:
    def __init__(self, doc: SourceDocument, fmt: Format):
        self.doc = doc
        self.fmt = fmt
        self.index = _Index(fmt)
        self.others = [_Index(f) for fid, f in all_formats().items() if fid != fmt.id]
        self.result = MappedTables(format_id=fmt.id)
        self.result.tables = {tid: {} for tid in TABLE_IDS if tid in fmt.tables}
        self.mapped_cells = 0
        self.row_source: dict[tuple[str, str], tuple[int, int]] = {}

    # -- findings
    def loc(self, table=None, row=None, col=None, cell: Cell | None = None, table_index=None, grid_row=None):
        line = None
        if cell is not None and self.doc.kind == "text" and cell.origin:
            line = cell.origin[0]
        reading = self.doc.tables[table_index].reading or None if table_index is not None else None
        return Location(table=table, row=row, col=col, table_index=table_index,
                        cell_row=grid_row, cell_col=cell.col if cell is not None else None, line=line,
                        reading=reading)

    def find(self, rule, level, message, **kw):
        self.result.findings.append(Finding(rule=rule, level=level, message=message, **kw))

    # -- header columns of a doc table (grid col -> column id), from header rows above data rows
    def header_columns(self, table_index: int, ftable: FTable, columns, before_row: int) -> dict[int, str] | None:
        t = self.doc.tables[table_index]
        grid = t.grid()
        keys = [""] * t.n_cols
        for r in range(min(before_row, len(grid))):
            for c in range(t.n_cols):
                cell = grid[r][c]
                if cell is not None and not _is_value(cell.text):
                    k = labels.key(cell.text)
                    if k and not keys[c].endswith(k):
                        keys[c] += k
        out: dict[int, str] = {}
        for col in columns:
            cands = [labels.key(x) for x in [col.label, *col.aliases]]
            hit = [c for c in range(t.n_cols) if keys[c] and any(keys[c].endswith(ck) for ck in cands)]
            # a header cell merged over several grid columns: keep the first column of each run
            hit = [c for c in hit if c - 1 not in hit]
            if len(hit) != 1:
                return None
            out[hit[0]] = col.id
        return out

    def put(self, tid: str, rid: str, columns, values: list[Cell], row: _Row, by_col: dict[int, str] | None = None):
        """Store the values of one row; values are the cells to the right of the label."""
        data = self.result.tables[tid]
        if rid in data:
            prev = self.row_source[(tid, rid)]
            self.find("MAP-DUPLICATE-ROW", "warning",
                      f"{self.fmt.tables[tid].name}“{self.fmt.tables[tid].row(rid).label}”一行重复出现，只采用第一次出现的数据",
                      location=self.loc(tid, rid, table_index=row.table_index, grid_row=row.grid_row))
            return
        assigned: list[tuple[str, Cell]] = []
        if by_col is not None:
            for v in values:
                if v.col in by_col:
                    assigned.append((by_col[v.col], v))
            if len(assigned) != len(columns):
                assigned = []
        if not assigned:
            vals = list(values)
            # trailing blank cells beyond the form (a single value written in a 3-column merged area)
            while len(vals) > len(columns) and not labels.squash(vals[-1].text):
                vals.pop()
            # empty cells left beside a label whose merge was lost (a re-saved Word table): only when
            # what follows them fills every column, so a row short of a cell is never shifted
            lead = 0
            while lead < len(vals) and not labels.squash(vals[lead].text) and not vals[lead].unsure:
                lead += 1
            if lead and len(vals) - lead == len(columns) and all(labels.squash(v.text) or v.unsure
                                                                 for v in vals[lead:]):
                vals = vals[lead:]
            if len(vals) != len(columns):
                ft = self.fmt.tables[tid]
                self.result.unread_rows[(tid, rid)] = (f"“{ft.row(rid).label}”一行有 {len(vals)} 个数值单元格，"
                                                       f"应为 {len(columns)} 个")
                self.result.seen.setdefault(tid, row.table_index)
                self.find("MAP-COLUMNS", "warning",
                          f"{ft.name}“{ft.row(rid).label}”一行有 {len(vals)} 个数值单元格，应为 {len(columns)} 个，无法确定各列，该行未读取",
                          expected=str(len(columns)), found=str(len(vals)),
                          location=self.loc(tid, rid, table_index=row.table_index, grid_row=row.grid_row,
                                            cell=vals[0] if vals else None))
                return
            assigned = [(col.id, v) for col, v in zip(columns, vals)]
        kinds = {c.id: c.kind for c in columns}
        data[rid] = {}
        self.row_source[(tid, rid)] = (row.table_index, row.grid_row)
        self.result.table_positions.setdefault(tid, row.table_index)
        for cid, cell in assigned:
            if cell.unsure:
                self.result.unsure[(tid, rid, cid)] = cell.unsure
                self.result.positions[(tid, rid, cid)] = (row.table_index, row.grid_row, cell.col)
                continue
            data[rid][cid] = self.cell_value(tid, rid, cid, kinds[cid], cell, row)
            self.result.positions[(tid, rid, cid)] = (row.table_index, row.grid_row, cell.col)
            self.mapped_cells += 1

    def cell_value(self, tid, rid, cid, kind, cell: Cell, row: _Row) -> MCell:
        try:
            v = cellmod.from_text(cell.text, kind)
        except cellmod.CellError as e:
            v = MCell(state="text", raw=cell.text)
            self.find("TYPE", "error", f"{self.fmt.tables[tid].name}单元格“{cell.text.strip()}”无法读作数值：{e}",
                      found=cell.text.strip(), location=self.loc(tid, rid, cid, cell, row.table_index, row.grid_row))
            return v
        if v.state == "text":
            self.find("TYPE", "error", f"{self.fmt.tables[tid].name}单元格应为数字，实为“{cell.text.strip()}”",
                      found=cell.text.strip(), location=self.loc(tid, rid, cid, cell, row.table_index, row.grid_row))
        return v

    # -- the walk
    def run(self) -> MappedTables:
        idx = self.index
        t3 = self.fmt.tables.get("table3")
        t4 = self.fmt.tables.get("table4")
        ctx: str | None = None
        pending: list[str] = []
        last_table = -1
        first_data_row: dict[int, int] = {}
        t3_header: dict[int, dict[int, str] | None] = {}
        t2_header: dict[int, str] | None = None
        t4_header_seen = False
        for row in _rows(self.doc):
            if row.table_index != last_table:
                pending = []
                last_table = row.table_index
            texts = [c.text for c in row.cells]
            keys = [labels.key(x) for x in texts]
            # context from headers
            joined = "".join(keys)
            if t4 is not None and "行政复议" in joined and ("行政诉讼" in joined or "结果维持" in joined):
                ctx, t4_header_seen = "table4", True
                self.result.seen.setdefault("table4", row.table_index)
            if t3 is not None and (labels.key(t3.header.get("top", "申请人情况")) in joined
                                   or (t3.corner_note and labels.key(t3.corner_note)[:8] in joined)):
                ctx = "table3"
                self.result.seen.setdefault("table3", row.table_index)
            for k in keys:
                if k in idx.captions:
                    ctx = "table2"
                    t2_header = None
                    self.result.seen.setdefault("table2", row.table_index)
            # label match: right-most matching cell
            match = None
            for pos in range(len(row.cells) - 1, -1, -1):
                c = row.cells[pos]
                if _has_entry(c.text) or c.unsure:
                    continue
                lab = idx.match(c.text)
                if lab is not None:
                    match = (pos, lab)
                    break
            values = row.cells[match[0] + 1:] if match else [c for c in row.cells if _is_value(c.text)]
            has_numbers = any(_has_entry(v.text) or v.unsure for v in values)
            label_text = "".join(labels.squash(c.text) for c in row.cells if not _is_value(c.text))

            if match is None and has_numbers and not label_text:
                # numbers only: 表四's row of 15, or a row whose label was wrapped onto other lines
                nums = [c for c in row.cells if _is_value(c.text)]
                while nums and not labels.squash(nums[0].text) and not nums[0].unsure:
                    nums.pop(0)
                if t4 is not None and ctx == "table4" and len(nums) == len(t4.rows) * len(t4.columns):
                    self.map_table4_flat(nums, row)
                    pending = []
                    continue
                lab = self.match_fragments(pending)
                if lab is not None:
                    match, values = (-1, lab), nums
            elif match is None and has_numbers and label_text:
                lab = self.match_fragments(pending + [label_text]) or self.match_fragments(pending)
                if lab is not None:
                    match = (-1, lab)
                    values = [c for c in row.cells if _is_value(c.text)]
                    while values and not labels.squash(values[0].text) and not values[0].unsure:
                        values.pop(0)

            if match is None:
                if has_numbers and ctx is not None and label_text:
                    self.unknown_row(label_text, row, ctx)
                    pending = []
                elif not has_numbers:
                    if label_text:
                        pending = (pending + [label_text])[-3:]
                    # a table2 header row ("信息内容 | 本年新制作数量 | …")
                    if ctx == "table2":
                        t2_header = self.table2_header(row)
                continue
            lab = match[1]
            if lab.group:
                if has_numbers:
                    self.find("MAP-EXTRA-ROW", "warning",
                              f"{self.fmt.tables[lab.table].name}“{self.fmt.tables[lab.table].row(lab.row).label}”"
                              f"在{self.fmt.id}年格式中是分组标题，不应填数（可能使用了其他年份的格式）",
                              location=self.loc(lab.table, lab.row, table_index=row.table_index, grid_row=row.grid_row))
                pending = []
                continue
            if not values or (not has_numbers and all(_is_value(v.text) for v in values) and len(values) == 0):
                pending = (pending + [label_text])[-3:]
                continue
            if not has_numbers and not any(_is_value(v.text) for v in values):
                # a label followed by more labels: a header, not a data row (e.g. 表四 "行政复议 | 行政诉讼")
                pending = (pending + [label_text])[-3:]
                continue
            if not has_numbers and len(values) != len(self.fmt.tables[lab.table].columns_of(lab.row)):
                # a header cell that reads like a row label (表三's column "其他" beside empty cells)
                pending = (pending + [label_text])[-3:]
                continue
            ctx = lab.table
            pending = []
            self.result.seen.setdefault(lab.table, row.table_index)
            ftable = self.fmt.tables[lab.table]
            columns = ftable.columns_of(lab.row)
            by_col = None
            if lab.table == "table3":
                if row.table_index not in t3_header:
                    first_data_row.setdefault(row.table_index, row.grid_row)
                    t3_header[row.table_index] = self.header_columns(row.table_index, ftable, columns, row.grid_row)
                by_col = t3_header[row.table_index]
            elif lab.table == "table2":
                by_col = t2_header
                blk = idx.block_of_row.get(lab.row)
                if by_col is not None and blk is not None and set(by_col.values()) != {c.id for c in blk.columns}:
                    by_col = None
            self.put(lab.table, lab.row, columns, values, row, by_col)
        self.missing()
        return self.result

    def table2_header(self, row: _Row) -> dict[int, str] | None:
        t2 = self.fmt.tables["table2"]
        out: dict[int, str] = {}
        for blk in t2.blocks:
            cols = {labels.key(c.label): c.id for c in blk.columns}
            hit: dict[int, str] = {}
            for c in row.cells:
                k = labels.key(c.text)
                # a header label repeated over the cells of a lost merge counts at its first cell
                if k in cols and cols[k] not in hit.values():
                    hit[c.col] = cols[k]
            if len(hit) == len(blk.columns) and len(blk.columns) > 0:
                out = hit
                break
        return out or None

    def match_fragments(self, parts: list[str]) -> _Label | None:
        """A row label wrapped over several lines (PDF text): try the recent label fragments."""
        parts = [p for p in parts if p]
        for n in range(len(parts), 0, -1):
            for start in range(0, len(parts) - n + 1):
                cand = "".join(parts[start:start + n])
                lab = self.index.match(cand, fragment=True)
                if lab is not None and not lab.group:
                    return lab
        return None

    def map_table4_flat(self, nums: list[Cell], row: _Row) -> None:
        t4 = self.fmt.tables["table4"]
        width = len(t4.columns)
        for i, r in enumerate(t4.rows):
            part = nums[i * width:(i + 1) * width]
            self.put("table4", r.id, list(t4.columns), part, row)

    def unknown_row(self, label_text: str, row: _Row, ctx: str) -> None:
        other = None
        for ix in self.others:
            lab = ix.match(label_text)
            if lab is not None:
                other = (ix.fmt, lab)
                break
        name = self.fmt.tables[ctx].name if ctx in self.fmt.tables else ""
        if other is not None:
            msg = (f"“{label_text}”一行属于{other[0].id}年格式（{other[0].name}），"
                   f"不是本报告所用{self.fmt.id}年格式的行")
        else:
            msg = f"{name}中有格式以外的行“{label_text}”（格式未规定此行，未读取）"
        self.find("MAP-EXTRA-ROW", "warning", msg, found=label_text,
                  location=self.loc(ctx, table_index=row.table_index, grid_row=row.grid_row,
                                    cell=row.cells[0] if row.cells else None))

    def missing(self) -> None:
        for tid, data in self.result.tables.items():
            ft = self.fmt.tables[tid]
            if not data:
                if self.mapped_cells:
                    self.find("MAP-MISSING-TABLE", "warning", f"没有找到{ft.name}（{ft.title}）",
                              location=Location(table=tid))
                continue
            for r in ft.data_rows():
                if r.id not in data:
                    idx = self.result.table_positions.get(tid)
                    self.find("MAP-MISSING-ROW", "warning", f"{ft.name}缺少“{r.label}”一行",
                              location=Location(table=tid, row=r.id, table_index=idx,
                                                reading=self.doc.tables[idx].reading or None if idx is not None else None))


def map_tables(doc: SourceDocument) -> MappedTables:
    """Recognise 表二/表三/表四 in the document and read their cells by the format's ids."""
    formats = all_formats()
    seen = _markers_seen(doc)
    if seen:
        ranked = sorted(seen.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        result = _Mapper(doc, formats[ranked[0][0]]).run()
        result.formats_seen = set(seen)
    else:
        # no version marker: map with every format, keep the one that reads most cells (newest on a tie)
        best = None
        for fid in sorted(formats, reverse=True):
            m = _Mapper(doc, formats[fid])
            res = m.run()
            if best is None or m.mapped_cells > best[0]:
                best = (m.mapped_cells, res)
        result = best[1]
        if best[0]:
            result.findings.append(Finding(
                rule="MAP-FORMAT", level="info",
                message=f"表格中没有区分格式版本的标签，按{result.format_id}年格式读取",
            ))
    if not any(result.tables.get(t) for t in TABLE_IDS):
        result.format_id = None
        result.findings = [f for f in result.findings if f.rule not in ("MAP-MISSING-ROW", "MAP-MISSING-TABLE", "MAP-FORMAT")]
    return result
