"""审核 and 批量汇总 for the page: check uploaded drafts with the library, shape what the templates show.

Checks go through check.batch.check_one (the same code as the CLI), one at a time (a lock:
the NLP pass is heavy and the machine is a clerk's desktop). Paths of the request's temporary
folder never reach the page or the JSON: each is replaced by the name the user uploaded.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..check.batch import FileOutcome, check_one
from ..check.quotes import Quote
from ..findings import LEVEL_ZH, Finding
from .store import Store
from .uploads import Saved

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_TYPE = "application/json; charset=utf-8"
PDF_TYPE = "application/pdf"

CHECK_LOCK = threading.Lock()


@dataclass
class FindingView:
    level: str
    level_zh: str
    rule: str
    message: str
    expected: str | None
    found: str | None
    place: str
    quote: Quote | None


@dataclass
class ReportView:
    id: str  # of its own page, /result/<id>
    name: str
    outcome: FileOutcome
    groups: list[tuple[str, list[FindingView]]] = field(default_factory=list)
    annotated_id: str | None = None
    json_id: str | None = None
    json_text: str = ""
    notes: list[str] = field(default_factory=list)

    def count(self, level: str) -> int:
        return self.outcome.count(level)


def review(saved: list[Saved], store: Store, data=None, previous: Saved | None = None, nlp: bool = True,
           annotate: bool = True) -> list[ReportView]:
    """Check every saved draft and store what its page links to (annotated copy, JSON)."""
    with CHECK_LOCK:
        return [_review_one(s, store, data, previous, nlp, annotate) for s in saved]


def _review_one(s: Saved, store: Store, data, previous: Saved | None, nlp: bool, annotate: bool) -> ReportView:
    from ..check.report_json import to_json

    notes: list[str] = []
    annotated: Path | None = None
    kwargs = {}
    if previous is not None:
        kwargs["previous"] = str(previous.path)
        notes.append(f"已与上年度报告“{previous.name}”作同比比对（上年结转、现行有效件数、同比表述、问题雷同与整改）")
    # The annotated copy follows the draft's kind: Word comments in a .docx, notes in a PDF;
    # a web page or text draft gets none, without a complaint.
    kind = _annotatable(s.path) if annotate else None
    target = s.path.with_name(s.path.stem + "-批注" + kind) if kind else None
    outcome = check_one(str(s.path), data, nlp, str(target) if target else None, quotes=True, **kwargs)
    annotated = target if outcome.annotated and target is not None and target.is_file() else None
    outcome = _renamed(outcome, {str(s.path): s.name, **({str(previous.path): previous.name} if previous else {})})
    if outcome.annotate_error:
        notes.append(f"未生成批注稿：{outcome.annotate_error}")
    view = ReportView(id="", name=s.name, outcome=outcome, notes=notes)
    if annotated is not None:
        name = f"{Path(s.name).stem}-批注{annotated.suffix}"
        view.annotated_id = store.put(annotated.read_bytes(), name, PDF_TYPE if annotated.suffix == ".pdf" else DOCX_TYPE)
        view.outcome = dataclasses.replace(outcome, annotated=name)
    view.groups = _groups(view.outcome)
    view.json_text = to_json([view.outcome])
    view.json_id = store.put(view.json_text.encode("utf-8"), f"{Path(s.name).stem}-审核结果.json", JSON_TYPE)
    view.id = store.put(view, size=4 * len(view.json_text))  # the page's findings: about the JSON's size
    return view


def _annotatable(path: Path) -> str | None:
    """The suffix of the annotated copy a draft can have, by its content: .docx, .pdf or none."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if head.startswith(b"PK\x03\x04"):
        return ".docx"
    return ".pdf" if b"%PDF-" in head else None


def _renamed(o: FileOutcome, names: dict[str, str]) -> FileOutcome:
    def clean(text: str | None) -> str | None:
        if text is None:
            return None
        for path, name in names.items():
            text = text.replace(path, name)
        return text

    def finding(f: Finding) -> Finding:
        loc = f.location.model_copy(update={"file": clean(f.location.file)})
        return f.model_copy(update={"location": loc, "message": clean(f.message)})

    return dataclasses.replace(o, file=clean(o.file), error=clean(o.error), annotate_error=clean(o.annotate_error),
                               annotated=None, findings=[finding(f) for f in o.findings])


def _groups(o: FileOutcome) -> list[tuple[str, list[FindingView]]]:
    from ..check.report_text import GROUP_ORDER, place, section_title

    quotes = o.quotes or [None] * len(o.findings)
    groups: dict[str, list[FindingView]] = {}
    for f, quote in zip(o.findings, quotes):
        groups.setdefault(f.location.section or "", []).append(FindingView(
            level=f.level, level_zh=LEVEL_ZH[f.level], rule=f.rule, message=f.message, expected=f.expected,
            found=f.found, place=place(f.location, o.format_id), quote=quote))
    order = sorted(groups, key=lambda k: GROUP_ORDER.index(k) if k in GROUP_ORDER else len(GROUP_ORDER))
    return [(section_title(k, o.format_id), groups[k]) for k in order]


def all_json(views: list[ReportView]) -> str:
    from ..check.report_json import to_json

    return to_json([v.outcome for v in views])
