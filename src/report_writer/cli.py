"""The `report-writer` command: a thin shell over the library.

Each command parses options, calls one library function and turns its typed
result into text and an exit code. Heavy imports (spaCy, python-docx) happen
inside the commands that need them, so `validate` and `draft` start fast.
"""

from __future__ import annotations

import sys

import click

from .findings import DataFileError

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="report-writer", message="report-writer %(version)s")
def main() -> None:
    """政府信息公开工作年度报告的起草与审核工具。

    \b
    常用命令：
      report-writer validate 数据.yaml          校验年度数据（格式与勾稽关系）
      report-writer draft 数据.yaml -o 报告.docx  由年度数据生成报告初稿
      report-writer check 报告.docx             审核已有报告稿
    """


def fail_unreadable(err: DataFileError) -> None:
    from .output import console, print_findings

    out = console(stderr=True)
    print_findings(err.findings, "无法读取输入文件", out)
    sys.exit(EXIT_UNREADABLE)


@main.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出形式：text 供阅读，json 供其他程序使用。")
def validate(data: str, fmt: str) -> None:
    """校验年度数据文件 DATA（.yaml、.json 或 .xlsx）。

    一次列出所有问题：字段错误（所在行、字段路径、应为与实为）和表格勾稽关系错误
    （规则编号、行、列、两边之和）。

    退出码：0 通过（可有警告）；1 发现错误；2 文件无法读取。
    """
    from .output import console, print_findings, to_json
    from .validate import validate_file

    try:
        result = validate_file(data)
    except DataFileError as err:
        if fmt == "json":
            click.echo(to_json([(data, "unreadable", err.findings, "无法读取")]))
            sys.exit(EXIT_UNREADABLE)
        fail_unreadable(err)
        return
    if fmt == "json":
        click.echo(to_json([(data, "ok" if result.ok else "findings", result.findings, None)]))
    else:
        print_findings(result.findings, data, console())
        if result.ok:
            d = result.loaded.data
            console().print(f"数据有效：{d.meta.body} {d.meta.year}年度（{d.format_id}年格式）")
    sys.exit(EXIT_OK if result.ok else EXIT_FINDINGS)


def _register_commands() -> None:
    """Commands of each area live in their own module; each adds itself to `main`."""
    from . import cli_check, cli_data, cli_draft, cli_phrasebank

    for module in (cli_draft, cli_phrasebank, cli_check, cli_data):
        module.register(main)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
