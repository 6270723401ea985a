"""`check --format json`: the stable schema documented in docs/json-schema.md."""

from __future__ import annotations

import json

from ..output import finding_dict
from .batch import FileOutcome

CHECK_SCHEMA_VERSION = 1


def outcome_dict(o: FileOutcome) -> dict:
    return {
        "file": o.file,
        "status": o.status,
        "error": o.error,
        "report": {"body": o.body, "year": o.year, "level": o.level, "format": o.format_id, "kind": o.kind},
        "tables": o.tables,
        "previous": o.previous,
        "annotated": o.annotated,
        "annotate_error": o.annotate_error,
        "findings": [finding_dict(f, o.file) for f in o.findings],
    }


def to_json(outcomes: list[FileOutcome], fail_on: str = "error") -> str:
    summary = {"files": len(outcomes), "unreadable": sum(1 for o in outcomes if o.status == "unreadable"),
               "failed": sum(1 for o in outcomes if o.status != "unreadable" and o.fails(fail_on)),
               "error": 0, "warning": 0, "info": 0, "fail_on": fail_on}
    for o in outcomes:
        for f in o.findings:
            summary[f.level] += 1
    return json.dumps({"version": CHECK_SCHEMA_VERSION, "command": "check",
                       "files": [outcome_dict(o) for o in outcomes], "summary": summary},
                      ensure_ascii=False, indent=2)
