"""`validate`: a data file against the schema (loader) and the 勾稽 rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding, Location
from ..formats import get_format
from ..rules import check_content, run_rules
from .loader import Loaded, load
from .section5 import section5_findings


@dataclass
class ValidationResult:
    loaded: Loaded
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def data_locator(loaded: Loaded):
    """Map (table, row, col) to the line of that field in the data file."""
    fmt = get_format(loaded.data.format_id)

    def locate(table: str, row: str | None, col: str | None) -> Location:
        if table == "meta":
            return loaded.locate(f"meta.{row}")
        if table == "root":  # a top-level field such as problems or other
            return loaded.locate(row or "")
        path = table + (f".{row}" if row else "")
        if row and col:
            cols = [c.id for c in fmt.table(table).columns_of(row)]
            by_id, by_index = f"{path}.{col}", f"{path}[{cols.index(col)}]" if col in cols else path
            path = by_id if by_id in loaded.source.lines else by_index
        loc = loaded.locate(path)
        return loc.model_copy(update={"table": table, "row": row, "col": col})

    return locate


def judge(loaded: Loaded) -> ValidationResult:
    fmt = get_format(loaded.data.format_id)
    # what a reader had to assume (e.g. a workbook formula without a saved result), then the rules
    notes = list(getattr(loaded, "notes", []))
    locate = data_locator(loaded)
    return ValidationResult(loaded, notes + run_rules(fmt, loaded.data, locate) + check_content(fmt, loaded.data, locate)
                            + section5_findings(fmt, loaded.data, locate))


def validate_file(path: str | Path) -> ValidationResult:
    """Load and judge; raises DataFileError when the file cannot be read into the model."""
    return judge(load(path))
