"""The official report formats, read from the YAML files beside this module.

A format file describes sections, the three statutory tables (every row and column
label with a stable id and the kind of each cell) and the arithmetic rules. Code
never hard-codes a label: a new format year is a new YAML file here.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

CellKind = Literal["count", "change", "money"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Strict):
    id: str
    label: str
    kind: CellKind = "count"
    unit: str | None = None
    print_unit: bool = False
    group: str | None = None
    aliases: list[str] = Field(default_factory=list)  # other labels real reports print for this column


class Row(_Strict):
    id: str
    label: str
    parent: str | None = None
    group: bool = False
    group_label: str | None = None
    aliases: list[str] = Field(default_factory=list)  # other labels real reports print for this row


class Block(_Strict):
    """One captioned block of 表二 (第二十条第（一）项 …) with its own columns."""

    id: str
    caption: str
    columns: list[Column]
    rows: list[Row]


class Table(_Strict):
    id: str = ""
    name: str
    title: str
    section: str
    label_header: str | None = None
    corner_note: str | None = None
    header: dict[str, str] = Field(default_factory=dict)
    blocks: list[Block] = Field(default_factory=list)
    columns: list[Column] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)

    def cells(self) -> list[tuple[Row, Column]]:
        """Every numeric cell of the table, in reading order."""
        if self.blocks:
            return [(r, c) for b in self.blocks for r in b.rows for c in b.columns]
        return [(r, c) for r in self.rows if not r.group for c in self.columns]

    def data_rows(self) -> list[Row]:
        if self.blocks:
            return [r for b in self.blocks for r in b.rows]
        return [r for r in self.rows if not r.group]

    def columns_of(self, row_id: str) -> list[Column]:
        if self.blocks:
            for b in self.blocks:
                if any(r.id == row_id for r in b.rows):
                    return list(b.columns)
            return []
        return list(self.columns)

    def row(self, row_id: str) -> Row:
        for r in self.data_rows() + [r for r in self.rows if r.group]:
            if r.id == row_id:
                return r
        raise KeyError(row_id)

    def column(self, row_id: str, col_id: str) -> Column:
        for c in self.columns_of(row_id):
            if c.id == col_id:
                return c
        raise KeyError(col_id)


class Rule(_Strict):
    id: str
    level: Literal["error", "warning", "info"]
    kind: Literal["sum", "rulemaker", "carry", "rollforward"]
    table: str
    title: str
    each: Literal["row", "column"] | None = None
    left: list[str] = Field(default_factory=list)
    right: list[str] = Field(default_factory=list)
    rows: list[str] = Field(default_factory=list)
    row: str | None = None
    previous_row: str | None = None
    column: str | None = None
    plus: str | None = None
    minus: str | None = None


class Section(_Strict):
    id: str
    number: str
    heading: str
    variants: list[str] = Field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.number}、{self.heading}"


class Notice(_Strict):
    number: str
    title: str


class Years(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    first: int = Field(alias="from")
    last: int | None = Field(default=None, alias="to")

    def covers(self, year: int) -> bool:
        return year >= self.first and (self.last is None or year <= self.last)


class Format(_Strict):
    id: str
    name: str
    notice: Notice
    years: Years
    sections: list[Section]
    tables: dict[str, Table]
    rules: list[Rule]
    markers: list[str]

    def table(self, table_id: str) -> Table:
        return self.tables[table_id]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)


@lru_cache(maxsize=None)
def all_formats() -> dict[str, Format]:
    """Every format file shipped with the package, by id."""
    out: dict[str, Format] = {}
    for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            raw = yaml.safe_load(entry.read_text(encoding="utf-8"))
            for tid, t in raw.get("tables", {}).items():
                t.setdefault("id", tid)
            fmt = Format.model_validate(raw)
            out[fmt.id] = fmt
    return out


def get_format(format_id: str) -> Format:
    formats = all_formats()
    if format_id not in formats:
        raise KeyError(format_id)
    return formats[format_id]


def format_for_year(year: int) -> Format | None:
    """The format a report for `year` must use, or None for years before 2019."""
    for fmt in all_formats().values():
        if fmt.years.covers(year):
            return fmt
    return None
