"""Findings: what validate and check report, with a stable rule id and a place."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Level = Literal["error", "warning", "info"]
LEVEL_ORDER = {"info": 0, "warning": 1, "error": 2}
LEVEL_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


class Location(BaseModel):
    """Where a finding is: a data-file field, a table cell, or a span of a paragraph."""

    model_config = ConfigDict(frozen=True)
    file: str | None = None
    line: int | None = None  # 1-based line in a data file or text file
    column: int | None = None  # 1-based column in a data file
    path: str | None = None  # field path in a data file: table3.r3_1.natural
    section: str | None = None  # section id of the format: overview, requests …
    table: str | None = None  # table2 | table3 | table4
    row: str | None = None  # row id of the format
    col: str | None = None  # column id of the format
    paragraph: int | None = None  # index of the paragraph in the document body
    start: int | None = None  # character offsets inside that paragraph
    end: int | None = None
    table_index: int | None = None  # the n-th table of the document (0-based)
    cell_row: int | None = None  # grid position inside that table (0-based)
    cell_col: int | None = None
    cell_ref: str | None = None  # spreadsheet cell of a workbook data file: 表三!J12
    page: int | None = None  # 1-based page of a PDF
    reading: str | None = None  # how the table the finding rests on was read (read.document.READINGS)

    def short(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        if self.cell_ref:
            parts.append(self.cell_ref)
        if self.path:
            parts.append(self.path)
        elif self.table and self.row:
            parts.append(f"{self.table}.{self.row}" + (f".{self.col}" if self.col else ""))
        if self.paragraph is not None and not self.table:
            parts.append(f"第{self.paragraph + 1}段" + (f"第{self.start + 1}字" if self.start is not None else ""))
        return " ".join(parts)


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)
    rule: str
    level: Level
    message: str
    expected: str | None = None
    found: str | None = None
    location: Location = Location()

    def at_or_above(self, level: Level) -> bool:
        return LEVEL_ORDER[self.level] >= LEVEL_ORDER[level]


class DataFileError(Exception):
    """The input cannot be read into the model at all (exit 2); carries every problem found."""

    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings
