"""Checking many drafts: expand folders, run check_document per file (optionally in worker
processes), keep going when one file cannot be read, and return light, picklable outcomes."""

from __future__ import annotations

import importlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..findings import LEVEL_ORDER, Finding

DRAFT_SUFFIXES = (".docx", ".pdf", ".html", ".htm", ".txt", ".md")


@dataclass
class FileOutcome:
    file: str
    status: str  # ok | findings | unreadable
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # why the file could not be read
    body: str | None = None
    year: int | None = None
    format_id: str | None = None
    level: str | None = None
    kind: str | None = None  # docx | html | text
    annotated: str | None = None  # path of the annotated copy
    annotate_error: str | None = None
    tables: list[dict] = field(default_factory=list)  # how each statutory table was read (uncertainty.table_readings)
    previous: str | None = None  # last year's file it was compared with (check --previous, or paired)

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)

    def fails(self, fail_on: str) -> bool:
        return any(LEVEL_ORDER[f.level] >= LEVEL_ORDER[fail_on] for f in self.findings)


def expand_inputs(paths: Iterable[str]) -> list[str]:
    """Files as given; folders replaced by the drafts inside them (recursively, sorted)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                str(f) for f in path.rglob("*")
                if f.is_file() and f.suffix.lower() in DRAFT_SUFFIXES
                and not f.name.startswith(("~$", ".")) and not any(part.startswith(".") for part in f.relative_to(path).parts[:-1]))
            out.extend(found)
        else:
            out.append(str(path))
    return out


def annotation_target(annotate: str | None, file: str, many: bool) -> str | None:
    if not annotate:
        return None
    if not many:
        return annotate
    # the annotated copy has the input's kind: a PDF gets a PDF, everything else a .docx
    suffix = ".pdf" if Path(file).suffix.lower() == ".pdf" else ".docx"
    return str(Path(annotate) / f"{Path(file).stem}-批注{suffix}")


def _last_year(previous):
    """A LastYear from a path (loaded here, in the worker) or as given; a finding when unreadable."""
    from ..findings import DataFileError
    from ..lastyear import load_last_year

    if previous is None or not isinstance(previous, (str, Path)):
        return previous, []
    try:
        return load_last_year(previous), []
    except DataFileError as e:
        return None, [Finding(rule="YOY-PAIR", level="warning", location=f.location,
                              message=f"上年度文件无法读取，未作同比比对：{f.message}") for f in e.findings]


def check_one(file: str, data=None, nlp: bool = True, annotate_to: str | None = None,
              previous=None) -> FileOutcome:
    """One draft, never raising for a bad input: unreadable files become an outcome with a message.

    `previous`: last year's file (a path) or an already loaded lastyear.LastYear."""
    from ..fileio import OutputError
    from ..read import ReadError
    from .annotate import AnnotateError, annotate_docx
    from .judge_previous import check_with_previous
    from .uncertainty import table_readings

    last, pair_findings = _last_year(previous)
    try:
        result = check_with_previous(file, last, data=data, nlp=nlp)
    except ReadError as e:
        return FileOutcome(file=file, status="unreadable", error=e.message)
    if pair_findings:
        result.findings = pair_findings + result.findings
    meta = result.report.meta
    outcome = FileOutcome(
        file=file, status="findings" if result.findings else "ok", findings=result.findings,
        body=meta.body if getattr(result.title, "body", None) or data is not None else None,
        year=meta.year if result.year_source else None, format_id=getattr(result.mapped, "format_id", None),
        level=meta.level if result.level_known else None, kind=result.document.kind,
        tables=table_readings(_judged_format(result), result.mapped, result.document),
        previous=(last.path if last is not None else None))
    if annotate_to:
        try:
            if result.document.kind == "pdf":
                from .annotate_pdf import annotate_pdf

                annotate_pdf(file, result.findings, annotate_to, result.document)
            else:
                annotate_docx(file, result.findings, annotate_to, result.document)
            outcome.annotated = annotate_to
        except (AnnotateError, OutputError) as e:
            outcome.annotate_error = str(e)
    return outcome


def _judged_format(result):
    from ..formats import all_formats

    fid = getattr(result.mapped, "format_id", None) or result.report.format_id
    return all_formats().get(fid) or all_formats()["2021"]


_WORKER: dict = {}


def _init_worker(data, nlp: bool) -> None:
    """Build the heavy things once per worker: the NLP pipeline (if installed) and the formats."""
    from ..formats import all_formats

    all_formats()
    _WORKER["data"], _WORKER["nlp"] = data, nlp
    if nlp:
        try:
            nlp_judge = importlib.import_module("report_writer.nlp.judge")
        except ModuleNotFoundError as e:
            if e.name not in ("report_writer.nlp.judge", "report_writer.nlp"):
                raise
            return
        warm = getattr(nlp_judge, "warm_up", None)
        if callable(warm):
            warm()


def _work(args: tuple) -> FileOutcome:
    file, annotate_to, previous = args
    return check_one(file, _WORKER.get("data"), _WORKER.get("nlp", True), annotate_to, previous)


def check_many(files: list[str], data=None, nlp: bool = True, jobs: int = 1, annotate: str | None = None,
               progress: Callable[[FileOutcome], None] | None = None,
               previous: dict | None = None) -> list[FileOutcome]:
    """Check every file; outcomes in input order. `jobs` > 1 uses worker processes.

    `previous` maps a file to last year's (a path, or a loaded lastyear.LastYear)."""
    many = len(files) > 1
    previous = previous or {}
    tasks = [(f, annotation_target(annotate, f, many), previous.get(f)) for f in files]
    jobs = max(1, min(jobs, len(files) or 1, os.cpu_count() or 1))
    outcomes: list[FileOutcome] = []
    if jobs == 1:
        for file, target, prev in tasks:
            o = check_one(file, data, nlp, target, prev)
            outcomes.append(o)
            if progress:
                progress(o)
        return outcomes
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(data, nlp)) as pool:
        for o in pool.map(_work, tasks):
            outcomes.append(o)
            if progress:
                progress(o)
    return outcomes
