"""The terminal report of `check`: per file, findings grouped by section, each with its
level, rule id and place; a summary table when several files were checked."""

from __future__ import annotations

from pathlib import Path

from ..findings import LEVEL_ZH, Finding, Location
from ..formats import all_formats
from ..rules import cell_name
from .batch import FileOutcome
from .judge_document import SECTION_ORDER

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
GROUP_ORDER = ["preamble", *SECTION_ORDER, ""]


def section_title(section: str | None, fmt_id: str | None = None) -> str:
    if not section:
        return "全文"
    if section == "preamble":
        return "标题与引言"
    fmt = all_formats().get(fmt_id or "2021") or all_formats()["2021"]
    try:
        return fmt.section(section).title
    except StopIteration:
        return section


def place(loc: Location, fmt_id: str | None = None) -> str:
    """Where a finding is, in words a clerk can follow in Word."""
    parts = []
    if loc.table and loc.row and loc.table in (fmt := all_formats().get(fmt_id or "2021", all_formats()["2021"])).tables:
        try:
            parts.append(cell_name(fmt.table(loc.table), loc.row, loc.col))
        except KeyError:
            parts.append(f"{loc.table}.{loc.row}" + (f".{loc.col}" if loc.col else ""))
    elif loc.table:
        parts.append({"table2": "表二", "table3": "表三", "table4": "表四"}.get(loc.table, loc.table))
    if loc.table_index is not None:
        pos = (f"第{loc.page}页，" if loc.page is not None else "") + f"第{loc.table_index + 1}个表格"
        if loc.cell_row is not None:
            pos += f"第{loc.cell_row + 1}行"
            if loc.cell_col is not None:
                pos += f"第{loc.cell_col + 1}列"
        parts.append(f"（{pos}）")
    elif loc.paragraph is not None:
        pos = (f"第{loc.page}页" if loc.page is not None else "") + f"第{loc.paragraph + 1}段"
        if loc.start is not None:
            pos += f"第{loc.start + 1}字"
        parts.append(pos)
    if loc.line is not None and not parts:
        parts.append(f"第{loc.line}行")
    return "".join(parts) or "全文"


def print_outcome(o: FileOutcome, out) -> None:
    from rich.markup import escape

    head = escape(o.file)
    if o.status == "unreadable":
        out.print(f"[bold red]✗[/bold red] {head}：无法读取——{escape(o.error or '')}")
        return
    about = "，".join(x for x in (o.body, f"{o.year}年度" if o.year else None,
                                 f"{o.format_id}年格式表格" if o.format_id else None) if x)
    if not o.findings:
        out.print(f"[green]✓[/green] {head}{'（' + escape(about) + '）' if about else ''}：未发现问题")
    else:
        counts = "，".join(f"{LEVEL_ZH[k]} {o.count(k)} 项" for k in ("error", "warning", "info") if o.count(k))
        out.print(f"[bold]{head}[/bold]{'（' + escape(about) + '）' if about else ''}：{counts}")
        groups: dict[str, list[Finding]] = {}
        for f in o.findings:
            groups.setdefault(f.location.section or "", []).append(f)
        for key in sorted(groups, key=lambda k: GROUP_ORDER.index(k) if k in GROUP_ORDER else len(GROUP_ORDER)):
            out.print(f"  [bold]{escape(section_title(key, o.format_id))}[/bold]")
            for f in groups[key]:
                style = _STYLE[f.level]
                out.print(f"    [{style}]{LEVEL_ZH[f.level]}[/{style}] [dim]{escape(f.rule)}[/dim] "
                          f"{escape(place(f.location, o.format_id))}")
                out.print(f"      {escape(f.message)}")
                if f.expected is not None or f.found is not None:
                    out.print(f"      [dim]应为：{escape(str(f.expected))}　实为：{escape(str(f.found))}[/dim]")
    if o.previous:
        out.print(f"  同比比对的上年度文件：{escape(o.previous)}")
    if o.annotated:
        out.print(f"  已生成批注稿：{escape(o.annotated)}")
    if o.annotate_error:
        out.print(f"  [red]未生成批注稿：{escape(o.annotate_error)}[/red]")


def _cell(text: str) -> str:
    """A table cell from a draft: rich markup escaped, terminal controls shown, not obeyed."""
    from rich.markup import escape

    from ..output import terminal_safe

    return escape(terminal_safe(text))


def print_summary(outcomes: list[FileOutcome], out, fail_on: str) -> None:
    from rich.table import Table

    t = Table(title="审核汇总", show_lines=False)
    for col in ("文件", "机关", "年度", "表格格式", "错误", "警告", "结果"):
        t.add_column(col, justify="right" if col in ("错误", "警告", "年度") else "left")
    for o in outcomes:
        if o.status == "unreadable":
            verdict = "[red]无法读取[/red]"
        elif o.fails(fail_on):
            verdict = "[red]未通过[/red]"
        else:
            verdict = "[green]通过[/green]"
        t.add_row(_cell(Path(o.file).name), _cell(o.body or ""), str(o.year or ""), _cell(o.format_id or ""),
                  str(o.count("error")), str(o.count("warning")), verdict)
    out.print(t)
