"""Plain data (from YAML, JSON or a workbook) into ReportData, with every schema problem explained.

Both readers of data files end here: loader.py (YAML/JSON) and xlsx.py hand over a Source
(values with their positions) and get a Loaded back, or a DataFileError listing every
problem at once with its file position and a Chinese explanation.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from ..findings import DataFileError, Finding, Location
from ..formats import Format, all_formats, format_for_year
from . import cells
from .model import Cell, ReportData, TableData
from ..limits import exceeded
from .yamlsrc import MAX_NUMBER_DIGITS, Source, join

TABLE_KEYS = ("table2", "table3", "table4")


@dataclass
class Loaded:
    data: ReportData
    file: str
    source: Source = field(default_factory=lambda: Source(None))

    def locate(self, path: str) -> Location:
        pos = self.source.line_of(path)
        return Location(file=self.file, line=pos[0] if pos else None, column=pos[1] if pos else None, path=path)


def build(source: Source, name: str) -> Loaded:
    """Turn plain data into ReportData, collecting every schema problem."""
    raw: dict[str, Any] = dict(source.value)  # type: ignore[arg-type]
    loaded = Loaded(data=None, file=name, source=source)  # type: ignore[arg-type]
    problems: list[Finding] = []

    def problem(path: str, msg: str, found: object = None) -> None:
        problems.append(Finding(rule="SCHEMA", level="error", message=msg,
                                found=None if found is None else _show(found), location=loaded.locate(path)))

    for path, msg, found in value_problems(raw):
        problem(path, msg, found)
    if problems:  # a value no later step can handle (control character, 1e+999999999): stop here
        raise DataFileError(problems)
    tables_raw = {k: raw.pop(k) for k in TABLE_KEYS if k in raw}
    previous_raw = raw.pop("previous", None)
    data: ReportData | None = None
    try:
        data = ReportData.model_validate(raw)
    except ValidationError as e:
        for err in e.errors():
            path, msg = _explain(err, ReportData)
            problem(path, msg, err.get("input") if err["type"] != "missing" else None)

    fmt = _format_for(raw, problems, loaded)
    if fmt is not None:
        tables = {tid: _read_table(fmt, tid, tables_raw.get(tid), tid, problem) for tid in TABLE_KEYS}
        prev = None
        if previous_raw is not None:
            prev = _read_previous(previous_raw, fmt, problem)
        if data is not None:
            data.tables = tables
            data.previous = prev
    if problems:
        raise DataFileError(problems)
    assert data is not None
    loaded.data = data
    return loaded


def _format_for(raw: dict, problems: list[Finding], loaded: Loaded) -> Format | None:
    meta = raw.get("meta") if isinstance(raw.get("meta"), dict) else {}
    named = meta.get("format")
    if named is not None:
        named = str(named)
        if named not in all_formats():
            problems.append(Finding(rule="SCHEMA", level="error", location=loaded.locate("meta.format"),
                                    message=f"未知的格式版本“{named}”，应为 {'、'.join(all_formats())} 之一"))
            return None
        return all_formats()[named]
    year = meta.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        problems.append(Finding(rule="SCHEMA", level="error", location=loaded.locate("meta.year"), found=year,
                                message=f"报告年度写成了文字“{year}”（加了引号），表格无法按年度确定格式；"
                                        f"请去掉引号，写作 year: {year.strip()}"))
        return None
    if isinstance(year, int) and not isinstance(year, bool):
        fmt = format_for_year(year)
        if fmt is None:
            problems.append(Finding(rule="SCHEMA", level="error", location=loaded.locate("meta.year"),
                                    message=f"{year}年度早于统一格式（2019年起），本工具不支持"))
        return fmt
    return None


def _read_table(fmt: Format, tid: str, value: Any, path: str, problem) -> TableData:
    """One table of a data file: rows by id, each a mapping by column id or a list in column order."""
    table = fmt.table(tid)
    out: TableData = {}
    if value is None:
        value = {}
    if not isinstance(value, dict):
        problem(path, f"{table.name}应按行编号填写（如 r1: [...]），实为{_kind_zh(value)}", value)
        return out
    known_rows = {r.id: r for r in table.data_rows()}
    for rid, rvalue in value.items():
        if rid not in known_rows:
            group = next((r for r in table.rows if r.id == rid and r.group), None)
            if group:
                problem(join(path, rid), f"“{group.label}”是分组标题，不填数字，请填写其下各项")
            else:
                problem(join(path, rid), f"{table.name}（{fmt.id}年格式）没有编号为“{rid}”的行{_did_you_mean(rid, known_rows)}")
    for row in table.data_rows():
        cols = table.columns_of(row.id)
        rpath = join(path, row.id)
        rvalue = value.get(row.id)
        cells_raw: dict[str, Any] = {}
        paths = {c.id: join(rpath, c.id) for c in cols}
        if rvalue is None:
            pass
        elif isinstance(rvalue, list):
            if len(rvalue) != len(cols):
                problem(rpath, f"{table.name}“{row.label}”应有 {len(cols)} 个数（{'、'.join(c.label for c in cols)}），"
                               f"实有 {len(rvalue)} 个", rvalue)
                continue
            cells_raw = {c.id: v for c, v in zip(cols, rvalue)}
            paths = {c.id: join(rpath, i) for i, c in enumerate(cols)}
        elif isinstance(rvalue, dict):
            for cid in rvalue:
                if cid not in {c.id for c in cols}:
                    problem(join(rpath, cid), f"{table.name}“{row.label}”没有编号为“{cid}”的列"
                                              f"{_did_you_mean(cid, [c.id for c in cols])}")
            cells_raw = {c.id: rvalue.get(c.id) for c in cols}
        else:
            if len(cols) == 1:
                cells_raw = {cols[0].id: rvalue}
                paths = {cols[0].id: rpath}
            else:
                problem(rpath, f"{table.name}“{row.label}”应为 {len(cols)} 个数的列表或按列编号的字段表", rvalue)
                continue
        row_cells: dict[str, Cell] = {}
        for col in cols:
            try:
                row_cells[col.id] = cells.from_data(cells_raw.get(col.id), col.kind)
            except cells.CellError as e:
                problem(paths[col.id], f"{table.name}“{row.label}”行“{col.label}”列：{e}", cells_raw.get(col.id))
        out[row.id] = row_cells
    return out


def _read_previous(value: Any, fmt: Format, problem) -> Any:
    from .model import Previous

    if not isinstance(value, dict):
        problem("previous", "previous（上年度数据）应为字段表", value)
        return None
    known = ["year", "format", *TABLE_KEYS, "overview", "problems"]
    unknown = set(value) - set(known)
    for k in sorted(unknown):
        problem(join("previous", k), f"previous 中没有字段“{k}”{_did_you_mean(k, known)}")
    year = value.get("year")
    prev_fmt = all_formats().get(str(value.get("format") or "")) or (
        format_for_year(year) if isinstance(year, int) else None) or fmt
    tables = {}
    for tid in TABLE_KEYS:
        if tid in value:
            given = value[tid] or {}
            read = _read_table(prev_fmt, tid, given, join("previous", tid), problem)
            # Last year's data may be partial: keep only the rows that were given.
            tables[tid] = {rid: cells_ for rid, cells_ in read.items() if isinstance(given, dict) and rid in given}
    overview = _read_previous_overview(value.get("overview"), problem)
    problems = value.get("problems") or []
    if not isinstance(problems, list) or not all(isinstance(p, str) and p.strip() for p in problems):
        problem(join("previous", "problems"), "previous.problems（上年度报告所列问题）应为文字列表，每项一条问题", problems)
        problems = []
    return Previous(year=year if isinstance(year, int) else None, tables=tables, overview=overview,
                    problems=[p.strip() for p in problems])


def _read_previous_overview(value: Any, problem) -> Any:
    """Last year's 总体情况 counts (same fields as this year's overview), for the 同比 sentences."""
    from .model import Overview

    if value is None:
        return None
    try:
        return Overview.model_validate(value)
    except ValidationError as e:
        for err in e.errors():
            path, msg = _explain(err, Overview)
            problem(join("previous.overview", path), f"previous.overview.{msg}",
                    err.get("input") if err["type"] != "missing" else None)
    return None


# ---------------------------------------------------------------- values no later step can handle

# Characters Word (XML 1.0) and Excel cannot store: C0 controls but tab and line breaks, and
# the non-characters; DEL and C1 controls (an ANSI escape's CSI) are garbage from a copy.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_MARKERS = re.compile("[\ue000-\ue002]")  # draft/values.py marks a value's source with these


def value_problems(value: Any, path: str = "") -> list[tuple[str, str, Any]]:
    """(path, Chinese message, value) for each text or number of the data that would crash or
    mislead a later step: `validate` and `draft`/`convert` must agree on what a file is."""
    out: list[tuple[str, str, Any]] = []
    stack = [(path, value)]
    while stack:
        p, v = stack.pop()
        if isinstance(v, dict):
            stack.extend((join(p, k), x) for k, x in reversed(list(v.items())))
        elif isinstance(v, list):
            stack.extend((join(p, i), x) for i, x in reversed(list(enumerate(v))))
        elif isinstance(v, str):
            bad = _BAD_CHARS.search(v)
            if bad:
                out.append((p, f"{p}：文字中含有控制字符（U+{ord(bad.group()):04X}，第 {bad.start() + 1} 个字符），"
                               "Word 和 Excel 都无法保存；多为从其他程序复制时带入，请删除该字符", None))
            elif _MARKERS.search(v):
                ch = _MARKERS.search(v)
                out.append((p, f"{p}：文字中含有私用区字符 U+{ord(ch.group()):04X}（本工具内部用来标记数字来源，"
                               "会使生成的报告出错）；请删除该字符", None))
        elif isinstance(v, float) and not math.isfinite(v):
            out.append((p, f"{p}：“{v}”（无穷大或非数字）不是有效的数字，请填写实际数字", None))
        elif isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
            problem = _number_problem(v)
            if problem:
                out.append((p, f"{p}：{problem}", None))
    return out


def without_bad_chars(value: Any) -> tuple[Any, int]:
    """`value` with the characters value_problems refuses removed from every text, and how many."""
    if isinstance(value, dict):
        pairs = [(k, without_bad_chars(v)) for k, v in value.items()]
        return {k: v for k, (v, _) in pairs}, sum(n for _, (_, n) in pairs)
    if isinstance(value, list):
        items = [without_bad_chars(v) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    if isinstance(value, str):
        cleaned, n = _BAD_CHARS.subn("", value)
        cleaned, m = _MARKERS.subn("", cleaned)
        return cleaned, n + m
    return value, 0


def _number_problem(v: int | float | Decimal) -> str | None:
    if isinstance(v, Decimal):
        if not v.is_finite():
            return "无穷大或非数字不是有效的数字，请填写实际数字"
        digits = max(v.adjusted() + 1, len(v.as_tuple().digits))
    elif isinstance(v, float):
        digits = len(str(int(abs(v)))) if abs(v) < 1e30 else 31
    else:
        digits = len(str(abs(v))) if v.bit_length() < 4000 else int(v.bit_length() * math.log10(2)) + 1
    if digits > MAX_NUMBER_DIGITS:
        return "数字位数过多：" + exceeded("MAX_NUMBER_DIGITS", MAX_NUMBER_DIGITS, digits)
    return None


# ---------------------------------------------------------------- messages

PYDANTIC_ZH = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "finite_number": "应为有限的数字（不能是无穷大或 NaN）",
    "decimal_type": "应为数字",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期（如 2021-01-20）",
    "date_parsing": "应为日期（如 2021-01-20）",
    "date_from_datetime_parsing": "应为日期（如 2021-01-20）",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为字段表",
    "model_type": "应为字段表",
    "model_attributes_type": "应为字段表",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
}


def _explain(err: dict, root: type[BaseModel]) -> tuple[str, str]:
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    path = ""
    for p in loc:
        path = join(path, p)
    kind = err["type"]
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
    elif kind == "extra_forbidden":
        parent_fields = _fields_at(root, loc[:-1])
        msg = f"未知字段“{loc[-1]}”{_did_you_mean(str(loc[-1]), parent_fields)}"
    elif kind in ("greater_than_equal", "less_than_equal"):
        bound = err.get("ctx", {}).get("ge", err.get("ctx", {}).get("le"))
        msg = f"{PYDANTIC_ZH[kind]}，应{'不小于' if kind == 'greater_than_equal' else '不大于'} {bound}"
    else:
        msg = PYDANTIC_ZH.get(kind, err["msg"])
    label = _label_at(root, loc)
    return path, f"{path}{'（' + label + '）' if label else ''}：{msg}"


def _fields_at(model: Any, loc: list) -> list[str]:
    for p in loc:
        if isinstance(p, int):
            continue
        field_info = getattr(model, "model_fields", {}).get(p)
        if field_info is None:
            return []
        model = _inner_model(field_info.annotation)
    return list(getattr(model, "model_fields", {}))


def _label_at(model: Any, loc: list) -> str:
    desc = ""
    for p in loc:
        if isinstance(p, int):
            continue
        field_info = getattr(model, "model_fields", {}).get(p)
        if field_info is None:
            return ""
        desc = field_info.description or ""
        model = _inner_model(field_info.annotation)
    return desc.split("：")[0] if desc else ""


def _inner_model(annotation: Any) -> Any:
    import typing

    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        for inner in typing.get_args(arg):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def _did_you_mean(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"，是否应为“{close[0]}”？" if close else ""


def _kind_zh(v: Any) -> str:
    if isinstance(v, list):
        return "列表"
    if isinstance(v, dict):
        return "字段表"
    if isinstance(v, str):
        return f"文字“{v[:20]}”"
    if v is None:
        return "空值"
    return f"“{v}”"


def _show(v: Any) -> str:
    if isinstance(v, Decimal):
        return format(v, "f")
    s = str(v)
    return s if len(s) <= 60 else s[:57] + "…"
