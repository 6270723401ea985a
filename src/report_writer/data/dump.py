"""ReportData back to the data-file shape the loader reads (YAML, JSON).

`to_data_dict` is the inverse of `data.build.build`: load(dump(x)) == x. Defaults and
empty values are left out so a written file stays as clean as a hand-written one;
numbers keep the digits they carry (Decimal("12.50") is written 12.50), approximate
counts are written as the office wrote them (近300), dates as YYYY-MM-DD.

Cells that hold no number are written as null: the data-file format has no spelling
for "/" or "—" (the loader refuses them), so such a cell read from a document becomes
"not filled in" here. A cell whose number was written differently (减77992) keeps
that spelling.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from decimal import Decimal
from typing import Any

import yaml
from pydantic import BaseModel

from ..formats import Format, Table, all_formats, format_for_year, get_format
from .build import TABLE_KEYS
from .model import Cell, Count, ReportData, TableData

# ---------------------------------------------------------------- plain data


def cell_value(cell: Cell | None) -> Any:
    """One cell as a data file writes it: a number, a spelled number (减8), or None."""
    if cell is None or cell.state != "number" or cell.value is None:
        return None
    if cell.raw is not None:
        return cell.raw
    return number(cell.value)


def number(value: Decimal | int) -> int | Decimal:
    """Integers as int; other decimals unchanged (their exponent carries the written digits)."""
    if isinstance(value, int):
        return value
    if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
        return int(value)
    return value


def table_dict(table: Table, rows: TableData, keep_empty_rows: bool = False,
               only_rows: typing.Iterable[str] | None = None) -> dict[str, Any]:
    """Rows by id: mapping by column id (table2), bare value for one-column rows, else a list."""
    out: dict[str, Any] = {}
    wanted = set(only_rows) if only_rows is not None else None
    for row in table.data_rows():
        if wanted is not None and row.id not in wanted:
            continue
        if row.id not in rows and wanted is None and not keep_empty_rows:
            continue
        cols = table.columns_of(row.id)
        values = [cell_value(rows.get(row.id, {}).get(c.id)) for c in cols]
        if all(v is None for v in values) and not keep_empty_rows and wanted is None:
            continue
        out[row.id] = row_value(table, cols, values)
    return out


def row_value(table: Table, cols: list, values: list) -> Any:
    """One row as a data file writes it: a bare value, a mapping by column id (表二), or a list."""
    if len(cols) == 1:
        return values[0]
    if table.blocks:
        return {c.id: v for c, v in zip(cols, values)}
    return values


def model_dict(model: BaseModel) -> dict[str, Any]:
    """A facts model as plain data in field order, without None and without empty lists.

    A sub-model whose field default is None is kept even when empty ({}), because
    dropping it would read back as None; one with a default factory is dropped when empty.
    """
    out: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        plain = plain_value(value)
        if isinstance(plain, list) and not plain:
            continue
        if isinstance(plain, dict) and not plain and info.default_factory is not None:
            continue
        out[name] = plain
    return out


def plain_value(value: Any) -> Any:
    if isinstance(value, Count):
        return value.model_dump()
    if isinstance(value, BaseModel):
        return model_dict(value)
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    if isinstance(value, Decimal):
        return number(value)
    return value


def to_data_dict(data: ReportData, full_tables: bool = False) -> dict[str, Any]:
    """The data-file shape `data.build.build` reads, in the order of the examples.

    full_tables: write every row of the three tables, empty cells as null (a file to fill in).
    """
    fmt = get_format(data.format_id)
    out: dict[str, Any] = {"meta": model_dict(data.meta)}
    overview = model_dict(data.overview)
    if overview:
        out["overview"] = overview
    for tid in TABLE_KEYS:
        rows = table_dict(fmt.table(tid), data.tables.get(tid, {}), keep_empty_rows=full_tables)
        if rows:
            out[tid] = rows
    for key in ("problems", "improvements", "previous_remedies"):
        items = [model_dict(x) for x in getattr(data, key)]
        if items:
            out[key] = items
    other = model_dict(data.other)
    if other:
        out["other"] = other
    if data.previous is not None:
        out["previous"] = previous_dict(data, fmt)
    return out


def previous_format(year: int | None, current: Format) -> Format:
    """The format the loader reads `previous:` tables with (the previous year's own format)."""
    return (format_for_year(year) if isinstance(year, int) else None) or current


def previous_dict(data: ReportData, fmt: Format) -> dict[str, Any]:
    prev = data.previous
    assert prev is not None
    out: dict[str, Any] = {}
    if prev.year is not None:
        out["year"] = prev.year
    pfmt = previous_format(prev.year, fmt)
    for tid in TABLE_KEYS:
        if tid in prev.tables:
            # previous tables are partial: write exactly the rows that are there
            out[tid] = table_dict(pfmt.table(tid), prev.tables[tid], only_rows=list(prev.tables[tid]))
    if prev.overview is not None:
        overview = model_dict(prev.overview)
        if overview:
            out["overview"] = overview
    if prev.problems:
        out["problems"] = list(prev.problems)
    return out


# ---------------------------------------------------------------- YAML


class _Dumper(yaml.SafeDumper):
    """Block style for mappings, flow style for table rows (short lists of scalars)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # list items indented as in the examples
        return super().increase_indent(flow, False)


def _repr_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    if "." not in text:  # an integral Decimal with exponent < 0 never reaches here; keep it a float
        text += ".0"
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _repr_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    flow = bool(value) and all(v is None or isinstance(v, (int, Decimal, str)) and not isinstance(v, bool)
                               and len(str(v)) <= 20 for v in value) and len(value) <= 15
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _repr_dict(dumper: yaml.SafeDumper, value: dict) -> yaml.Node:
    # table2 rows ({made: 0, published: 0, total: 0}) and short all-scalar records read best inline
    flow = bool(value) and len(value) <= 4 and all(
        v is None or (isinstance(v, (int, Decimal)) and not isinstance(v, bool)) for v in value.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)


def _repr_none(dumper: yaml.SafeDumper, value: None) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "null")


_Dumper.add_representer(Decimal, _repr_decimal)
_Dumper.add_representer(list, _repr_list)
_Dumper.add_representer(dict, _repr_dict)
_Dumper.add_representer(type(None), _repr_none)


def yaml_text(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120,
                     default_flow_style=False)


def dump_yaml(data: ReportData, header: str | None = None, full_tables: bool = False) -> str:
    """The data file as readable YAML (Chinese as is, keys in the examples' order)."""
    text = yaml_text(to_data_dict(data, full_tables))
    if header:
        text = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) + "\n" + text
    return text


# ---------------------------------------------------------------- JSON


def json_text(value: Any, indent: int = 2, _level: int = 0) -> str:
    """JSON with Decimal written digit for digit (json.dumps would go through float)."""
    pad = " " * (indent * (_level + 1))
    end = " " * (indent * _level)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {json_text(v, indent, _level + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(not isinstance(v, (dict, list)) for v in value):
            return "[" + ", ".join(json_text(v, indent, _level + 1) for v in value) + "]"
        return "[\n" + ",\n".join(pad + json_text(v, indent, _level + 1) for v in value) + "\n" + end + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text if "." in text else text + ".0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return json.dumps(value.isoformat())
    return json.dumps(str(value), ensure_ascii=False)


def dump_json(data: ReportData, full_tables: bool = False) -> str:
    return json_text(to_data_dict(data, full_tables)) + "\n"


def dump_for_path(data: ReportData, suffix: str, header: str | None = None, full_tables: bool = False) -> str:
    """YAML or JSON text for an output file name's suffix."""
    if suffix.lower() == ".json":
        return dump_json(data, full_tables)
    return dump_yaml(data, header, full_tables)


__all__ = ["to_data_dict", "dump_yaml", "dump_json", "dump_for_path", "table_dict", "cell_value",
           "model_dict", "yaml_text", "json_text", "previous_format", "all_formats"]


# ---------------------------------------------------------------- empty template


def template_yaml(fmt: Format, year: int, body: str | None = None, level: str | None = None) -> str:
    """An empty data file for `year`: every field with its explanation, every table row with nulls.

    Optional groups of fields that need a required field (本地编制通知, 信息处理费 …) are
    written as comments to uncomment; everything else is present with null or [].
    """
    from .model import LEVELS, PROBLEM_CATEGORIES, Meta, OtherMatters, Overview

    lines = [
        f"{year}年度政府信息公开工作年度报告 — 年度数据（{fmt.name}，{fmt.notice.number}）",
        "",
        "由 report-writer init 生成。填写要点：",
        "  - 表格（table2、table3、table4）中的数字一律填阿拉伯数字；没有发生的事项填 0，",
        "    尚未统计的留空（null）——留空会被 validate 报为“未填写”。",
        "  - 总体情况中的数量可以写约数，如 近300、3万余，生成的报告会照此措辞。",
        "  - 不需要的字段可以整行删去；没有的事实不要编造，程序不会替您补写。",
        "  - 以“#”开头的行是说明或可选内容，去掉行首的“# ”即可启用。",
        "填好后运行：report-writer validate 本文件  校验；report-writer draft 本文件 -o 报告.docx  生成初稿。",
    ]
    out = ["# " + x if x else "#" for x in lines]
    out.append("")

    def line(indent: int, text: str, comment: str | None = None, commented: bool = False) -> None:
        body_ = ("  " * indent) + (("# " + text) if commented else text)
        if comment:
            body_ = body_.ljust(max(40, len(body_) + 1)) + "# " + comment
        out.append(body_.rstrip())

    def model_fields(model: type[BaseModel], indent: int, values: dict[str, Any], commented: bool = False) -> None:
        for name, info in model.model_fields.items():
            if name in ("format", "makes_regulations"):
                continue  # rarely needed; documented in the examples
            desc = info.description
            ann = info.annotation
            t = _optional_inner(ann)
            if typing.get_origin(t) is list:
                line(indent, f"{name}: []", desc or _LIST_HINTS.get(name), commented)
                continue
            if isinstance(t, type) and issubclass(t, BaseModel) and t is not Count:
                if info.default_factory is not None:
                    line(indent, f"{name}:", desc or _DOCS.get(name) or _doc(t), commented)
                    model_fields(t, indent + 1, {}, commented)
                else:
                    line(indent, f"{name}:", (desc or _DOCS.get(name, "")) + "（可选，需要时去掉行首“# ”）", True)
                    model_fields(t, indent + 1, {}, True)
                continue
            value = values.get(name)
            shown = "null" if value is None else yaml_text(value).strip().removesuffix("...").strip()
            line(indent, f"{name}: {shown}", desc or _DOCS.get(name), commented)

    out.append("meta:")
    meta_values: dict[str, Any] = {"year": year, "body": body, "level": level}
    model_fields(Meta, 1, meta_values)
    out.append("")
    out.append("overview:                               # 一、总体情况")
    model_fields(Overview, 1, {})
    out.append("")
    for tid in TABLE_KEYS:
        table = fmt.table(tid)
        section = fmt.section(table.section)
        out.append(f"# {section.title}（{table.name}）" + ("" if table.blocks else
                   "。每行依次为：" + "、".join(c.label for c in table.columns)))
        out.append(f"{tid}:")
        for row in table.data_rows():
            cols = table.columns_of(row.id)
            if len(cols) == 1:
                value = "null"
            elif table.blocks:
                value = "{" + ", ".join(f"{c.id}: null" for c in cols) + "}"
            else:
                value = "[" + ", ".join("null" for _ in cols) + "]"
            label = (f"{row.group_label}：" if row.group_label else "") + row.label
            if table.blocks:
                label += "：" + "、".join(c.label for c in cols)
            line(1, f"{row.id}: {value}", label)
        out.append("")
    cats = "、".join(f"{k}（{v}）" for k, v in PROBLEM_CATEGORIES.items())
    out += [
        f"# {fmt.section('problems').title}",
        "problems: []",
        "# 每个问题一项，如：",
        "#   - id: p1",
        f"#     category: timeliness         # 类别：{cats}",
        "#     text: 问题的具体表现",
        "improvements: []",
        "# 每项改进措施一项，problem 填所针对问题的编号，如：",
        "#   - problem: p1",
        "#     date: 某年某月",
        "#     text: 已采取或将采取的措施",
        "#     result: 成效（可不填）",
        "previous_remedies: []                  # 上年度报告所列问题的整改情况（2021年格式起应报告）",
        "#   - problem: 上年度报告所列问题",
        "#     remedy: 本年度整改情况",
        "",
        f"other:                                 # {fmt.section('other').title}",
    ]
    model_fields(OtherMatters, 1, {})
    prev = previous_format(year - 1, fmt)
    out += ["", "# 上年度数据（可选）：用于核对“上年结转”与上年“结转下年度”等衔接关系。",
            "# previous:", f"#   year: {year - 1}", "#   table3:",
            f"#     r4: [{', '.join('null' for _ in prev.table('table3').columns)}]"
            f"   # 上年度报告表三“{prev.table('table3').row('r4').label}”"]
    assert LEVELS
    return "\n".join(out) + "\n"


_DOCS = {"address": "联系地址", "phone": "联系电话", "postcode": "邮政编码（加引号，如 \"237300\"）",
         "rectification": "专项整改", "key_tasks": "年度政务公开重点工作任务分解", "document": "任务分解文件",
         "proposals": "人大代表建议和政协提案办理"}
_LIST_HINTS = {"highlights": "其他做法：每项 lead（四至六字引导语）和 text（具体做法）"}


def _optional_inner(annotation: Any) -> Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if len(args) == 1 and type(None) in typing.get_args(annotation):
        return args[0]
    return annotation


def _doc(model: type) -> str:
    doc = (model.__doc__ or "").strip()
    return doc.splitlines()[0].split(" — ")[0] if doc else ""
