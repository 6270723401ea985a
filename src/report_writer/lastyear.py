"""Last year, for `check --previous` and `draft --previous`: a data file or a published report.

A data file (.yaml/.json/.xlsx) is loaded as any data file; a report (.docx/.html/.txt/.pdf)
is read the way `extract` reads one (read/ → mapper → ReportData), plus the texts of its
section 五 (the problems listed, and the 上年度问题整改情况 paragraph of the 2021 format).
`as_previous` turns either into the `previous:` block of this year's data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .data.model import Previous, ReportData
from .findings import DataFileError, Finding, Location
from .read.section5 import (  # re-exported for check and draft
    ProblemsPart,
    problems_part,
    sentences,
)

DATA_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm")


@dataclass
class LastYear:
    path: str
    kind: str  # "data" or "report"
    data: ReportData
    problems: list[str] = field(default_factory=list)  # section 五: the problems as listed
    remedies: list[str] = field(default_factory=list)  # section 五: 上年度问题整改情况 (what was fixed)
    has_remedy_part: bool = False  # whether a 上年度问题整改情况 part was found at all
    notes: list[str] = field(default_factory=list)  # what extract could not read
    document: Any = None  # the SourceDocument of a report (its unsure cells may still be read several ways)

    @property
    def year(self) -> int:
        return self.data.meta.year

    @property
    def body(self) -> str:
        return self.data.meta.body


def load_last_year(path: str | Path) -> LastYear:
    """Last year's data or report; DataFileError (Chinese message, file named) when unreadable."""
    path = Path(path)
    if path.suffix.lower() in DATA_SUFFIXES:
        from .data.loader import load

        data = load(path).data
        return LastYear(path=str(path), kind="data", data=data, problems=[p.text for p in data.problems],
                        remedies=[r.remedy for r in data.previous_remedies],
                        has_remedy_part=bool(data.previous_remedies))
    from .read import ReadError, read_document

    try:
        doc = read_document(path)
    except ReadError as e:
        raise DataFileError([Finding(rule="READ", level="error", message=f"上年度报告无法读取：{e.message}",
                                     location=Location(file=str(path)))]) from None
    return last_year_of_document(doc, str(path))


def last_year_of_document(doc: Any, name: str) -> LastYear:
    from .extract import ExtractError, extract_source
    from .formats import get_format
    from .read.structure import find_sections

    try:
        result = extract_source(doc, name)
    except ExtractError as e:
        raise DataFileError([Finding(rule="READ", level="error", message=f"上年度报告：{e}",
                                     location=Location(file=name))]) from None
    sections = find_sections(doc, get_format(result.data.format_id))
    part = problems_part(doc, sections)
    return LastYear(path=name, kind="report", data=result.data, problems=part.problems, remedies=part.remedies,
                    has_remedy_part=part.has_remedy_part, notes=result.missing, document=doc)


REMEDY_OVERLAP = 0.6  # share of a clause's character bigrams the 整改 text must contain


def norm_text(s: str) -> str:
    """A sentence without its list marker (一是, 1., （一）) and punctuation, for comparing wordings."""
    s = re.sub(r"^\s*(?:[一二三四五六七八九十]+是|\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）])", "", s)
    return re.sub(r"[\W_]", "", s)


def _bigrams(s: str) -> set[str]:
    s = norm_text(s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def unanswered(problems: list[str], remedies: list[str]) -> list[str]:
    """Last year's problems no 整改 text answers: no clause of the problem (a published paragraph mixes
    boilerplate in) has most of its character pairs in the remedies."""
    answer = set().union(*(_bigrams(t) for t in remedies)) if remedies else set()
    out = []
    for problem in problems:
        clauses = [c for c in re.split(r"[，,；;：:。、]", problem) if len(norm_text(c)) >= 6] or [problem]
        if not any((g := _bigrams(c)) and len(g & answer) / len(g) >= REMEDY_OVERLAP for c in clauses):
            out.append(problem)
    return out


# ---------------------------------------------------------------- into this year's data


def as_previous(last: LastYear) -> Previous:
    """The `previous:` block this year's data needs: tables, 总体情况 counts, the problems listed."""
    d = last.data
    tables = {tid: {rid: dict(cells) for rid, cells in rows.items() if cells} for tid, rows in d.tables.items()}
    return Previous(year=d.meta.year, tables={t: r for t, r in tables.items() if r},
                    overview=d.overview.model_copy(deep=True), problems=list(last.problems))


def find_in_folder(folder: str | Path, body: str | None, year: int) -> Path | None:
    """The report or data file of `body` for `year` in a folder (by title, or by meta for data files)."""
    for f in sorted(Path(folder).rglob("*")):
        if not f.is_file() or f.name.startswith(("~$", ".")):
            continue
        who = identify(f)
        if who is not None and who[1] == year and (body is None or who[0] == normalize_body(body)):
            return f
    return None


def identify(path: str | Path) -> tuple[str, int] | None:
    """(body, year) of a data file (its meta) or a report (its title); None when it does not tell."""
    from .read import ReadError

    path = Path(path)
    try:
        if path.suffix.lower() in DATA_SUFFIXES:
            from .data.loader import load

            meta = load(path).data.meta
            return normalize_body(meta.body), meta.year
        from .read import read_document
        from .read.structure import find_title

        title = find_title(read_document(path))
    except (DataFileError, ReadError, OSError):  # an unreadable file pairs with nothing; check reports it alone
        return None
    if title is None or not title.body or not title.year:
        return None
    return normalize_body(title.body), int(title.year)


def normalize_body(body: str) -> str:
    return re.sub(r"\s+", "", body)


__all__ = [
    "LastYear",
    "ProblemsPart",
    "as_previous",
    "find_in_folder",
    "identify",
    "last_year_of_document",
    "load_last_year",
    "norm_text",
    "normalize_body",
    "problems_part",
    "sentences",
    "unanswered",
]
