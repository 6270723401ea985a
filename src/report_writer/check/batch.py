"""Checking many drafts: expand folders, run check_document per file (optionally in worker
processes), keep going when one file cannot be read, and return light, picklable outcomes."""

from __future__ import annotations

import importlib
import os
import signal
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
    internal: bool = False  # the file met a bug (an internal error), not just a bad input
    body: str | None = None
    year: int | None = None
    format_id: str | None = None
    level: str | None = None
    kind: str | None = None  # docx | html | text
    annotated: str | None = None  # path of the annotated copy
    annotate_error: str | None = None
    tables: list[dict] = field(default_factory=list)  # how each statutory table was read (uncertainty.table_readings)
    previous: str | None = None  # last year's file it was compared with (check --previous, or paired)
    quotes: list = field(default_factory=list)  # per finding, its quotes.Quote or None (check_one(quotes=True))

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)

    def fails(self, fail_on: str) -> bool:
        return any(LEVEL_ORDER[f.level] >= LEVEL_ORDER[fail_on] for f in self.findings)


class Unlisted(str):
    """A path found in a folder that cannot be checked (a subfolder that cannot be opened, a
    dangling link): it takes its place in the batch and is reported there, never skipped silently."""

    problem: str

    def __new__(cls, path: str, problem: str) -> "Unlisted":
        self = super().__new__(cls, path)
        self.problem = problem
        return self

    def __reduce__(self):  # to --jobs workers
        return (Unlisted, (str(self), self.problem))


def expand_inputs(paths: Iterable[str]) -> list[str]:
    """Files as given; folders replaced by the drafts inside them (recursively, sorted), with
    subfolders that cannot be opened and dangling links among them as Unlisted entries."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(_drafts_in(path), key=str))
        else:
            out.append(str(path))
    return out


def _drafts_in(folder: Path) -> list[str]:
    found: list[str] = []

    def unreadable(e: OSError) -> None:
        found.append(Unlisted(str(e.filename or folder), f"无法打开该文件夹（{e.strerror or e}），其中的报告稿未检查；"
                                                         "请检查文件夹权限后重试"))

    for top, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            f = Path(top) / name
            if f.suffix.lower() not in DRAFT_SUFFIXES or name.startswith(("~$", ".")):
                continue
            if f.is_file():
                found.append(str(f))
            elif f.exists() and not f.is_dir():  # a FIFO or a device: read_document says what it is
                found.append(str(f))
            elif f.is_symlink() and not f.exists():
                found.append(Unlisted(str(f), f"这是失效的符号链接（快捷方式），指向的“{os.readlink(f)}”不存在，未检查"))
    return found


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


def annotation_targets(annotate: str | None, files: list[str]) -> list[str | None]:
    """One annotated copy per draft; drafts of the same name in different folders (甲局/报告.docx,
    乙局/报告.docx) get 报告-批注.docx, 报告-批注-2.docx … instead of overwriting each other."""
    many = len(files) > 1
    out: dict[int, str | None] = {}
    taken: set[str] = set()
    # .docx and .pdf drafts choose first: a .txt or .html draft is rarely a Word file and gets no copy
    order = sorted(range(len(files)), key=lambda i: not files[i].lower().endswith((".docx", ".pdf")))
    for i in order:
        target = annotation_target(annotate, files[i], many)
        if target is not None and many:
            stem, suffix = os.path.splitext(target)
            n = 2
            while target.casefold() in taken:  # case-insensitive file systems (Windows shares)
                target, n = f"{stem}-{n}{suffix}", n + 1
            taken.add(target.casefold())
        out[i] = target
    return [out[i] for i in range(len(files))]


def check_one(file: str, data=None, nlp: bool = True, annotate_to: str | None = None,
              previous=None, quotes: bool = False) -> FileOutcome:
    """One draft, never raising: unreadable files, and files that meet a bug, become an outcome
    with a message, so one file never stops a batch (serial or --jobs).

    `previous`: last year's file (a path) or an already loaded lastyear.LastYear."""
    try:
        return _check_one(file, data, nlp, annotate_to, previous, quotes)
    except MemoryError:
        return FileOutcome(file=file, status="unreadable", internal=True,
                           error="内存不足，已跳过该文件（文件可能过大或结构异常）；其余文件照常检查")
    except Exception as e:  # noqa: BLE001 - a bug on one file must not abort the others
        return failed_outcome(file, e)


def failed_outcome(file: str, e: BaseException) -> FileOutcome:
    what = f"{type(e).__name__}: {e}"
    what = what if len(what) <= 200 else what[:197] + "…"
    return FileOutcome(file=file, status="unreadable", internal=True,
                       error=f"内部错误（{what}），该文件未能检查完；其余文件照常检查。请把该文件和所用命令发给维护人员")


def _check_one(file: str, data, nlp: bool, annotate_to: str | None, previous, quotes: bool = False) -> FileOutcome:
    if isinstance(file, Unlisted):
        return FileOutcome(file=str(file), status="unreadable", error=file.problem)
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
        except Exception as e:  # noqa: BLE001 - python-docx on an odd draft: this file's copy only
            outcome.annotate_error = f"生成批注稿时遇到内部错误（{type(e).__name__}），原稿未被修改"
            outcome.internal = True
    if quotes:  # the sentence or cell of each finding, while the document is at hand
        from .quotes import quote_for

        outcome.quotes = [quote_for(f, result.document) for f in result.findings]
    return outcome


def _judged_format(result):
    from ..formats import all_formats

    fid = getattr(result.mapped, "format_id", None) or result.report.format_id
    return all_formats().get(fid) or all_formats()["2021"]


_WORKER: dict = {}


def _init_worker(data, nlp: bool) -> None:
    """Build the heavy things once per worker: the NLP pipeline (if installed) and the formats."""
    from ..formats import all_formats

    # Ctrl-C reaches the whole process group: the parent answers it (cli.main), workers finish
    # their file instead of each printing a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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
    previous = previous or {}
    tasks = [(f, target, previous.get(f)) for f, target in zip(files, annotation_targets(annotate, files))]
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
        futures = [pool.submit(_work, t) for t in tasks]
        try:
            for (file, _, _), fut in zip(tasks, futures):
                try:
                    o = fut.result()
                except Exception as e:  # noqa: BLE001 - a worker that died (killed, out of memory)
                    o = failed_outcome(file, e)
                outcomes.append(o)
                if progress:
                    progress(o)
        except BaseException:  # Ctrl-C, SIGTERM: no further file starts; the running ones end
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return outcomes


def recheck_paired(outcomes: list[FileOutcome], files: list[str], pairs: dict[str, str], data=None,
                   nlp: bool = True, annotate: str | None = None) -> list[FileOutcome]:
    """Check again, beside last year's, the drafts `pairs` found among `files` (pairs are few: the
    rest keep their outcome). Annotated copies keep the names the first pass gave them."""
    targets = annotation_targets(annotate, files)
    return [check_one(f, data, nlp, targets[i], pairs[f]) if f in pairs else outcomes[i]
            for i, f in enumerate(files)]
