"""Findings for people (terminal) and for tools (JSON, a stable schema)."""

from __future__ import annotations

import json
from typing import Iterable

from .findings import LEVEL_ZH, Finding

JSON_SCHEMA_VERSION = 1

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def finding_dict(f: Finding, file: str | None = None) -> dict:
    loc = {k: v for k, v in f.location.model_dump().items() if v is not None}
    return {"file": file or f.location.file, "rule": f.rule, "level": f.level, "message": f.message,
            "expected": f.expected, "found": f.found, "location": loc}


def to_json(results: Iterable[tuple[str, str, list[Finding], str | None]]) -> str:
    """results: (file, status, findings, error message) per input file."""
    files = []
    totals = {"error": 0, "warning": 0, "info": 0}
    for file, status, findings, error in results:
        for f in findings:
            totals[f.level] += 1
        files.append({"file": file, "status": status, "error": error,
                      "findings": [finding_dict(f, file) for f in findings]})
    return json.dumps({"version": JSON_SCHEMA_VERSION, "files": files, "summary": totals},
                      ensure_ascii=False, indent=2)


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def print_findings(findings: list[Finding], title: str, out=None, section_names: dict[str, str] | None = None) -> None:
    """Findings grouped by section (or by table), each with level, rule id and place."""
    from rich.markup import escape

    out = out or console()
    if not findings:
        out.print(f"[green]✓[/green] {escape(title)}：未发现问题")
        return
    counts = {lvl: sum(1 for f in findings if f.level == lvl) for lvl in ("error", "warning", "info")}
    summary = "，".join(f"{LEVEL_ZH[k]} {v} 项" for k, v in counts.items() if v)
    out.print(f"[bold]{escape(title)}[/bold]：{summary}")
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        key = f.location.section or f.location.table or ""
        groups.setdefault(key, []).append(f)
    for key, items in groups.items():
        if key and section_names:
            out.print(f"  [bold]{escape(section_names.get(key, key))}[/bold]")
        for f in items:
            place = f.location.short()
            out.print(f"  [{_STYLE[f.level]}]{LEVEL_ZH[f.level]}[/{_STYLE[f.level]}] "
                      f"[dim]{escape(f.rule)}[/dim] {escape(place)}")
            out.print(f"      {escape(f.message)}")
            if f.expected is not None or f.found is not None:
                out.print(f"      [dim]应为：{escape(str(f.expected))}　实为：{escape(str(f.found))}[/dim]")
