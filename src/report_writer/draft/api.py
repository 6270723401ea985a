"""`draft` as a library function: data file → checked → narrative → Word file.

    from report_writer.draft.api import draft_report
    result = draft_report("examples/jinzhai-2020.yaml", "out/jinzhai-2020.docx")
    result.ok, result.out_path, result.warnings

Raises DataFileError when the data file cannot be read (exit 2 in the CLI), OutputError when
the output must not or cannot be written, StyleError for a bad style file and the phrase
bank's PhraseBankError for a broken phrase bank. Data that breaks the 勾稽 rules is not an
exception: the result carries the errors and nothing is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..findings import Finding
from ..fileio import OutputError, atomic_write, refuse_same_path

__all__ = ["DraftResult", "OutputError", "draft_report", "render_data"]


@dataclass
class DraftResult:
    data_path: Path
    out_path: Path | None  # None when nothing was written
    format_id: str
    body: str
    year: int
    findings: list[Finding] = field(default_factory=list)
    size: int = 0  # bytes written

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors and self.out_path is not None


def render_data(data, seed: int = 0, phrasebank_dirs: Sequence[str | os.PathLike] = (),
                style_path: str | os.PathLike | None = None) -> bytes:
    """ReportData → .docx bytes (realize, then render); no checks, no file written."""
    from ..formats import get_format
    from .realize import realize
    from .render_docx import render
    from .render_style import load_style

    style = load_style(style_path)
    narrative = realize(data, seed=seed, phrasebank_dirs=tuple(phrasebank_dirs))
    return render(narrative, data, get_format(data.format_id), style)


def remedy_gaps(data, data_path) -> list[Finding]:
    """2021 format: last year's problems (previous.problems) that previous_remedies does not answer."""
    from ..findings import Location
    from ..lastyear import unanswered

    if data.format_id != "2021" or data.previous is None or not data.previous.problems:
        return []
    texts = [f"{r.problem}{r.remedy}" for r in data.previous_remedies]
    return [Finding(rule="YOY-REMEDY", level="warning", found=p, expected="在 previous_remedies 中写明整改情况",
                    location=Location(file=str(data_path), path="previous_remedies"),
                    message=f"上年度报告所列问题“{p}”在 previous_remedies 中没有对应的整改情况，"
                            f"初稿的“上年度问题整改情况”不会写到它；请补充 previous_remedies")
            for p in unanswered(data.previous.problems, texts)]


def draft_report(data_path: str | os.PathLike, out_path: str | os.PathLike, seed: int = 0,
                 phrasebank_dirs: Sequence[str | os.PathLike] = (),
                 style_path: str | os.PathLike | None = None,
                 previous_path: str | os.PathLike | None = None) -> DraftResult:
    """Load and judge the data; when it has no errors, write the Word draft to `out_path`.

    `previous_path`: last year's data file or published report; it replaces the data's
    `previous:` block (tables, 总体情况 counts, problems), so the draft gains 同比 sentences."""
    from ..data.loader import load
    from ..data.validate import judge

    data_path, out_path = Path(data_path), Path(out_path)
    if out_path.suffix.lower() != ".docx":
        raise OutputError(f"输出文件“{out_path}”应以 .docx 结尾")
    refuse_same_path(out_path, data_path, style_path, previous_path)
    for d in phrasebank_dirs:
        if Path(d).is_dir() and out_path.resolve().is_relative_to(Path(d).resolve()):
            raise OutputError(f"输出文件“{out_path}”位于短语库目录“{d}”中，请另选输出位置")
    loaded = load(data_path)
    if previous_path is not None:
        from ..lastyear import as_previous, load_last_year

        loaded.data.previous = as_previous(load_last_year(previous_path))
    judged = judge(loaded)
    data = loaded.data
    result = DraftResult(data_path=data_path, out_path=None, format_id=data.format_id, body=data.meta.body,
                         year=data.meta.year, findings=list(judged.findings) + remedy_gaps(data, data_path))
    if not judged.ok:
        return result
    blob = render_data(data, seed=seed, phrasebank_dirs=phrasebank_dirs, style_path=style_path)
    result.out_path = atomic_write(out_path, blob)
    result.size = len(blob)
    return result
