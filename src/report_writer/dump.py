"""ReportData back to the data-file shape the loader reads (YAML, JSON).

`to_data_dict` is the inverse of `loader.build`: load(dump(x)) == x. Defaults and
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

from .formats import Format, Table, all_formats, format_for_year, get_format
from .model import Cell, Count, ReportData, TableData

TABLE_KEYS = ("table2", "table3", "table4")


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
        if len(cols) == 1:
            out[row.id] = values[0]
        elif table.blocks:
            out[row.id] = {c.id: v for c, v in zip(cols, values)}
        else:
            out[row.id] = values
    return out


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


def to_data_dict(data: ReportData) -> dict[str, Any]:
    """The data-file shape `loader.build` reads, in the order of the examples."""
    fmt = get_format(data.format_id)
    out: dict[str, Any] = {"meta": model_dict(data.meta)}
    overview = model_dict(data.overview)
    if overview:
        out["overview"] = overview
    for tid in TABLE_KEYS:
        rows = table_dict(fmt.table(tid), data.tables.get(tid, {}))
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


def dump_yaml(data: ReportData, header: str | None = None) -> str:
    """The data file as readable YAML (Chinese as is, keys in the examples' order)."""
    text = yaml_text(to_data_dict(data))
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


def dump_json(data: ReportData) -> str:
    return json_text(to_data_dict(data)) + "\n"


def dump_for_path(data: ReportData, suffix: str, header: str | None = None) -> str:
    """YAML or JSON text for an output file name's suffix."""
    if suffix.lower() == ".json":
        return dump_json(data)
    return dump_yaml(data, header)


__all__ = ["to_data_dict", "dump_yaml", "dump_json", "dump_for_path", "table_dict", "cell_value",
           "model_dict", "yaml_text", "json_text", "previous_format", "all_formats"]
