"""The `report-writer` command: a thin shell over the library.

Each command parses options, calls one library function and turns its typed
result into text and an exit code. Heavy imports (spaCy, python-docx) happen
inside the commands that need them, so `validate` and `draft` start fast.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

import click

from .common import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_UNREADABLE, fail_unreadable
from .common import EXIT_INTERRUPTED, EXIT_TERMINATED, Terminated

DEBUG_ENV = "REPORT_WRITER_DEBUG"  # set to 1 to see the traceback of an internal error


class _Main(click.Group):
    """The command group, with a last-resort handler: no user ever sees a traceback.

    Bad input is each command's business (exit 2 with a Chinese message). An exception that
    reaches this handler is a bug: it is reported as 内部错误 with exit code 3, and inputs are
    untouched because every output is written atomically at the end (see fileio.py).
    """

    def invoke(self, ctx: click.Context):
        previous = _on_sigterm()
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:  # click would print "Aborted!" and exit 1
            click.echo("\n已中断（Ctrl-C）。输入文件未被修改，也没有写出半个文件。", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Terminated:
            click.echo("已终止（收到 SIGTERM 信号）。输入文件未被修改，也没有写出半个文件。", err=True)
            sys.exit(EXIT_TERMINATED)
        except BrokenPipeError:
            # The reader of our output went away (`report-writer rules | head`): not an error of ours.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_OK)
        except MemoryError:
            if os.environ.get(DEBUG_ENV):
                raise
            click.echo("错误：内存不足，已中止。输入文件可能过大或结构异常；输入文件未被修改，也没有写出半个文件。",
                       err=True)
            sys.exit(EXIT_UNREADABLE)
        except Exception as e:  # noqa: BLE001 - the point of this handler
            if os.environ.get(DEBUG_ENV):
                raise
            what = f"{type(e).__name__}: {e}"
            if len(what) > 300:
                what = what[:297] + "…"
            click.echo(f"内部错误：report-writer 遇到了未预料的问题（{what}）。输入文件未被修改，也没有写出半个文件。\n"
                       f"请把所用命令和输入文件发给维护人员；设置环境变量 {DEBUG_ENV}=1 后重新运行可看到详细的出错位置。",
                       err=True)
            sys.exit(EXIT_INTERNAL)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _raise_terminated(signum, frame) -> None:
    raise Terminated()


def _on_sigterm():
    """Turn SIGTERM into Terminated for the run of a command; returns the handler to restore."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_terminated)

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=_Main, context_settings=CONTEXT)
@click.version_option(package_name="report-writer", message="report-writer %(version)s")
def main() -> None:
    """政府信息公开工作年度报告的起草与审核工具。

    \b
    常用命令：
      report-writer validate 数据.yaml          校验年度数据（格式与勾稽关系）
      report-writer draft 数据.yaml -o 报告.docx  由年度数据生成报告初稿
      report-writer check 报告.docx             审核已有报告稿
      report-writer serve                       在本机启动网页版（审核、起草、批量汇总）
    """



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
    from ..data.validate import validate_file
    from ..findings import DataFileError
    from ..output import console, print_findings, to_json

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


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="输出形式：text 供阅读，json 供其他程序使用，markdown 即 docs/rules.md。")
def rules_command(fmt: str) -> None:
    """列出本工具报告的全部规则编号、级别和含义。

    规则编号固定不变，可在脚本和 JSON 输出中引用。
    """
    import json

    from ..catalog import markdown, rule_infos
    from ..findings import LEVEL_ZH

    infos = rule_infos()
    if fmt == "json":
        click.echo(json.dumps([{"id": i.id, "levels": list(i.levels), "title": i.title, "group": i.group}
                               for i in infos], ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        click.echo(markdown(), nl=False)
    else:
        group = None
        for i in infos:
            if i.group != group:
                group = i.group
                click.echo(f"\n{group}")
            click.echo(f"  {i.id:<18} {'、'.join(LEVEL_ZH[lv] for lv in i.levels):<6} {i.title}")


def _register_commands() -> None:
    """Commands of each area live in their own module; each adds itself to `main`."""
    from . import check as cli_check
    from . import data as cli_data
    from . import draft as cli_draft
    from . import phrasebank as cli_phrasebank
    from . import serve as cli_serve

    for module in (cli_draft, cli_phrasebank, cli_check, cli_data, cli_serve):
        module.register(main)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
