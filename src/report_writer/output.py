"""Findings for people (terminal) and for tools (JSON, a stable schema)."""

from __future__ import annotations

import json
import re
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


# What a terminal would obey instead of show: C0 controls but tab and newline (ESC starts a
# colour, a cursor move, a retitled window; CR overwrites the line), DEL, C1 controls (U+009B is
# a one-character CSI) and the bidi overrides that reorder what is seen.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """`text` with every character a terminal would act on shown as a visible escape (\\x1b)."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)


def echo(text: str, err: bool = False) -> None:
    """click.echo for text that may carry a draft's or data file's characters."""
    import click

    click.echo(terminal_safe(text), err=err)


def console(stderr: bool = False):
    """A rich Console whose every printed string is made terminal_safe: titles, file names and
    texts from drafts and data files reach the terminal as text, never as control sequences."""
    from rich.console import Console

    class SafeConsole(Console):
        def print(self, *objects, **kwargs):  # type: ignore[override]
            super().print(*(terminal_safe(o) if isinstance(o, str) else o for o in objects), **kwargs)

    return SafeConsole(stderr=stderr, highlight=False, soft_wrap=True)


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
