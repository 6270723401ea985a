"""CLI commands for data files: init, convert, extract (see cli/main.py); registered on the main group.

Each command parses options, calls one library function (dump, xlsx, extract) and
turns the result into text and an exit code: 0 ok, 1 findings, 2 unreadable input or
an output that cannot be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DATA_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


def register(main: click.Group) -> None:
    """Add this area's commands to the main group."""
    main.add_command(init)
    main.add_command(convert)
    main.add_command(extract)


def _esc(text: object) -> str:
    from rich.markup import escape

    return escape(str(text))


def _fail(message: str, code: int = 2) -> None:
    from ..output import console

    console(stderr=True).print(f"[bold red]错误[/bold red] {_esc(message)}")
    sys.exit(code)


def _suffix(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in DATA_SUFFIXES:
        _fail(f"输出文件“{path}”的扩展名应为 .yaml、.yml、.json 或 .xlsx，实为“{suffix or '无扩展名'}”")
    return suffix


def render_data(data, suffix: str, header: str | None = None, full_tables: bool = False) -> bytes:
    """The bytes of a data file of the given kind for ReportData (header: comment lines / help-sheet lines)."""
    from ..data.dump import dump_for_path

    if suffix == ".xlsx":
        from ..data.xlsx import workbook_bytes, write_workbook

        return workbook_bytes(write_workbook(data, remarks=header.splitlines() if header else None))
    return dump_for_path(data, suffix, header, full_tables).encode("utf-8")


def reread(data_bytes: bytes, suffix: str):
    """Read bytes written by render_data back into ReportData (to prove a conversion lossless)."""
    import os
    import tempfile

    from ..data.loader import build
    from ..data.yamlsrc import parse_json, parse_yaml

    if suffix != ".xlsx":
        text = data_bytes.decode("utf-8")
        return build(parse_json(text) if suffix == ".json" else parse_yaml(text), "（转换结果）").data
    from ..data.xlsx import load_xlsx

    fd, tmp = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data_bytes)
        return load_xlsx(tmp).data
    finally:
        os.unlink(tmp)


def _write(output: str, payload: bytes, *inputs: str) -> None:
    from ..fileio import OutputError, atomic_write, refuse_same_path

    try:
        refuse_same_path(output, *inputs)
        atomic_write(output, payload)
    except OutputError as e:
        _fail(str(e))


# ---------------------------------------------------------------- init


@click.command(context_settings=CONTEXT)
@click.option("--year", required=True, type=click.IntRange(2019, 2100), metavar="年度",
              help="报告年度（统计的是哪一年），决定使用 2019 年还是 2021 年格式的表格。")
@click.option("--body", default=None, metavar="机关名称", help="报告机关全称，预先填入。")
@click.option("--level", default=None, metavar="层级",
              help="机关层级，预先填入：国务院部门、省级政府、省级部门、市级政府、市级部门、县级政府、县级部门、"
                   "乡镇/街道、开发区、其他。")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str),
              metavar="文件.xlsx|文件.yaml", help="生成的空白数据文件：.xlsx 为 Excel 填报表，.yaml/.json 为带说明的文本模板。")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖（默认拒绝，以免覆盖已填写的数据）。")
def init(year: int, body: str | None, level: str | None, output: str, force: bool) -> None:
    """生成某一年度的空白数据文件，供填写后校验和起草。

    \b
    .xlsx：Excel/WPS 填报表，表二、表三、表四与官方格式的表格一一对应，
           只有黄色单元格可填，数字格子带数据有效性检查；
    .yaml：带注释的文本模板，每个字段后有说明，表格每一行都已列出（null 待填）。

    \b
    示例：
      report-writer init --year 2024 --body 某某县人民政府 --level 县级政府 -o 2024年度数据.xlsx
      report-writer init --year 2024 -o 2024年度数据.yaml

    填好后：report-writer validate 2024年度数据.xlsx，再 report-writer draft 2024年度数据.xlsx -o 报告.docx。

    退出码：0 已生成；2 参数有误或文件无法写入。
    """
    from ..data.dump import json_text, template_yaml
    from ..data.model import LEVELS
    from ..formats import format_for_year

    suffix = _suffix(output)
    if level is not None and level not in LEVELS:
        _fail(f"机关层级应为 {'、'.join(LEVELS)} 之一，实为“{level}”")
    from ..fileio import OutputError, check_output_path

    try:
        check_output_path(output)
    except OutputError as e:
        _fail(str(e))
    if Path(output).exists() and not force:
        _fail(f"输出文件“{output}”已存在；为免覆盖已填写的数据，请换一个文件名，或加 --force 覆盖")
    fmt = format_for_year(year)
    if fmt is None:
        _fail(f"{year}年度早于统一格式（2019年起），本工具不支持")
        return
    if suffix == ".xlsx":
        from ..data.xlsx import workbook_bytes, write_workbook

        payload = workbook_bytes(write_workbook(None, fmt, year, body, level))
    elif suffix == ".json":
        payload = (json_text(_empty_plain(fmt, year, body, level)) + "\n").encode("utf-8")
    else:
        payload = template_yaml(fmt, year, body, level).encode("utf-8")
    _write(output, payload)
    from ..output import console

    console().print(f"已生成 {year}年度空白数据文件：{_esc(output)}（{fmt.id}年格式，{_esc(fmt.notice.number)}）")
    sys.exit(0)


def _empty_plain(fmt, year: int, body: str | None, level: str | None) -> dict:
    """The JSON template: meta plus every table row with nulls (JSON has no comments)."""
    meta = {"body": body, "level": level, "year": year}
    out: dict = {"meta": meta}
    for tid in ("table2", "table3", "table4"):
        table = fmt.table(tid)
        rows = {}
        for row in table.data_rows():
            cols = table.columns_of(row.id)
            rows[row.id] = None if len(cols) == 1 else (
                {c.id: None for c in cols} if table.blocks else [None] * len(cols))
        out[tid] = rows
    return out


# ---------------------------------------------------------------- convert


@click.command(context_settings=CONTEXT)
@click.argument("source", type=click.Path(dir_okay=False, path_type=str), metavar="输入文件")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str), metavar="输出文件",
              help="转换结果：.yaml、.yml、.json 或 .xlsx，按扩展名决定格式。不能与输入文件相同。")
def convert(source: str, output: str) -> None:
    """在 YAML、JSON 和 Excel（.xlsx）数据文件之间转换。

    转换不丢失内容：转换后程序会重新读取结果，与原数据逐项比对。输入文件不会被改动；
    输出先写入临时文件，完成后一次替换，不会留下半个文件。表格中“减77992”一类写法
    转为 Excel 时写作数字 -77992。

    \b
    示例：
      report-writer convert examples/jinzhai-2020.yaml -o 金寨2020.xlsx
      report-writer convert 填好的数据.xlsx -o 数据.yaml

    退出码：0 已转换；1 已转换，但重新读取时与原数据有差异；2 输入无法读取或输出无法写入。
    """
    from ..data.loader import load
    from ..fileio import OutputError, refuse_same_path
    from ..findings import DataFileError
    from ..output import console, print_findings
    from .common import fail_unreadable

    suffix = _suffix(output)
    try:
        refuse_same_path(output, source)
    except OutputError as e:
        _fail(str(e))
    try:
        loaded = load(source)
    except DataFileError as e:
        fail_unreadable(e)
        return
    notes = list(getattr(loaded, "notes", []))
    header = f"由 {Path(source).name} 转换生成（report-writer convert）"
    try:
        payload = render_data(loaded.data, suffix, header)
    except ValueError as e:  # xlsx.CellTooLong: a text Excel would cut
        _fail(f"{source}：{e}")
        return
    try:
        same = reread(payload, suffix) == loaded.data
    except DataFileError:
        same = False
    _write(output, payload, source)
    out = console()
    if notes:
        print_findings(notes, source, console(stderr=True))
    d = loaded.data
    out.print(f"已转换：{_esc(source)} → {_esc(output)}（{_esc(d.meta.body)} {d.meta.year}年度）")
    if not same:
        console(stderr=True).print("[yellow]警告[/yellow] 重新读取转换结果时与原数据不完全一致，请核对输出文件"
                                   "（表格中“/”“—”等非数字写法无法在数据文件中保留）。")
        sys.exit(1)
    sys.exit(0)


# ---------------------------------------------------------------- extract


@click.command(context_settings=CONTEXT)
@click.argument("report", type=click.Path(dir_okay=False, path_type=str), metavar="报告文件")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=str), metavar="数据文件",
              help="提取结果：.yaml、.yml、.json 或 .xlsx。不能与报告文件相同。")
@click.option("--next-year", "next_year", is_flag=True,
              help="生成下一年度的起始数据文件：基本信息沿用、年度加一（格式随年度），表三“上年结转”取本报告的"
                   "“结转下年度继续办理”，previous 填入本年度表格，其他本年数字留空待填。")
def extract(report: str, output: str, next_year: bool) -> None:
    """从已发布的年度报告（.docx、.html、.txt）提取数据文件。

    提取标题中的机关名称和年度、前言中的联系机构、地址、电话、邮编、网站和本地通知，
    表二、表三、表四的每一个数字，以及总体情况中能够可靠识别的数字。读不出的内容不会猜测：
    逐项列出，并写在输出 YAML 文件开头的注释中。

    \b
    示例：
      report-writer extract 2023年度报告.docx -o 2023.yaml
      report-writer extract 2023年度报告.docx -o 2024.xlsx --next-year

    退出码：0 全部读出；1 已生成，但有未能读出的内容（已列出）；2 报告无法读取或输出无法写入。
    """
    from ..fileio import OutputError, refuse_same_path
    from ..findings import DataFileError
    from ..output import console
    from .common import fail_unreadable

    suffix = _suffix(output)
    try:
        refuse_same_path(output, report)
    except OutputError as e:
        _fail(str(e))
    from ..extract import ExtractError, extract_report, roll_forward

    try:
        result = extract_report(report)
    except DataFileError as e:
        fail_unreadable(e)
        return
    except ExtractError as e:
        _fail(f"{report}：{e}")
        return
    data, missing, notes = result.data, list(result.missing), list(result.notes)
    if next_year:
        try:
            data, more = roll_forward(data, result.problems)
        except ExtractError as e:
            _fail(f"{report}：{e}")
            return
        notes = notes + more
    lines = [f"由 {Path(report).name} 提取（report-writer extract{' --next-year' if next_year else ''}）"]
    if missing:
        lines += ["", "以下内容未能从报告中读出，已留空，请核对原报告后填写："] + [f"  - {m}" for m in missing]
    if notes:
        lines += ["", "说明："] + [f"  - {n}" for n in notes]
    try:
        payload = render_data(data, suffix, "\n".join(lines), full_tables=True)
    except ValueError as e:  # xlsx.CellTooLong: a text Excel would cut
        _fail(f"{report}：{e}")
        return
    _write(output, payload, report)
    out = console()
    err = console(stderr=True)
    for n in notes:
        err.print(f"[cyan]说明[/cyan] {_esc(n)}")
    if missing:
        err.print(f"[yellow]未能读出 {len(missing)} 项[/yellow]（已留空，请核对原报告后填写）：")
        for m in missing:
            err.print(f"  - {_esc(m)}")
    label = f"{data.meta.body} {data.meta.year}年度"
    out.print(f"已提取：{_esc(report)} → {_esc(output)}（{_esc(label)}{'，下一年度起始文件' if next_year else ''}）")
    sys.exit(1 if missing else 0)
