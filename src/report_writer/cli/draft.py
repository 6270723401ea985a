"""CLI commands for this area (see cli/main.py); registered on the main group.

`draft` only parses options, calls report_writer.draft.api.draft_report and turns its
result into text and an exit code. Imports happen inside the command, so the start-up
of `report-writer` stays light (python-docx only when drafting; spaCy never).
"""

from __future__ import annotations

import sys

import click


def register(main: click.Group) -> None:
    """Add this area's commands to the main group."""
    main.add_command(draft)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("data", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", "output", default=None, type=click.Path(dir_okay=False, path_type=str),
              metavar="报告.docx", help="（必填）生成的 Word 初稿（.docx）保存位置；目录不存在时自动创建。不能与输入文件相同。")
@click.option("--seed", type=int, default=0, metavar="N",
              help="措辞变化的随机种子（默认为 0）：同一数据、同一种子总是得到完全相同的初稿；换一个数可换一种说法。")
@click.option("--phrasebank", "phrasebanks", multiple=True, type=click.Path(file_okay=False, path_type=str),
              metavar="目录", help="本单位的短语库目录，覆盖内置短语库中同编号的规则；可多次指定，后者优先。")
@click.option("--style", "style", type=click.Path(dir_okay=False, path_type=str), default=None, metavar="版式.yaml",
              help="版式文件（字体、字号、页边距、行距），默认为 templates/style.yaml。")
@click.option("--previous", "previous", type=click.Path(dir_okay=False, path_type=str), default=None,
              metavar="上年度文件",
              help="上年度的数据文件（.yaml、.json、.xlsx）或已发布的上年度报告（.docx、.html、.txt、.pdf）。"
                   "给出后，总体情况和第三部分增加“同比增长／下降……%”“与上年持平”等同比表述，"
                   "并核对上年结转、现行有效件数；取代数据文件中的 previous 部分。")
def draft(data: str, output: str | None, seed: int, phrasebanks: tuple[str, ...], style: str | None,
          previous: str | None) -> None:
    """由年度数据文件 DATA 生成政府信息公开工作年度报告初稿（Word）。

    先按官方格式和表格勾稽关系校验数据：有错误时列出错误、不生成初稿；只有警告时照常生成，
    并列出警告供核对。初稿包括标题、前言、六个部分，以及按该年度官方格式排列的表二、表三、表四，
    版式参照公文格式（仿宋正文、黑体一级标题、楷体二级标题、页码居中）。

    \b
    示例：
      report-writer draft examples/jinzhai-2020.yaml -o out/jinzhai-2020.docx
      report-writer draft 数据.yaml -o 初稿.docx --seed 3 --phrasebank 本单位短语库/
      report-writer draft 2025.yaml -o 2025年度报告.docx --previous 2024年度报告.docx

    退出码：0 已生成初稿（可有警告）；1 数据有错误，未生成；2 输入文件无法读取或输出无法写入。
    """
    from ..draft.api import OutputError, draft_report
    from ..draft.render_style import StyleError
    from ..findings import DataFileError
    from ..output import console, print_findings
    from .common import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, fail_unreadable

    err = console(stderr=True)
    if not output:
        err.print("[bold red]错误[/bold red] 请用 -o 指定初稿的保存位置，如：report-writer draft "
                  f"{_escape(data)} -o 报告.docx")
        sys.exit(EXIT_UNREADABLE)
    try:
        result = draft_report(data, output, seed=seed, phrasebank_dirs=phrasebanks, style_path=style,
                              previous_path=previous)
    except DataFileError as e:
        fail_unreadable(e)
        return
    except (OutputError, StyleError) as e:
        err.print(f"[bold red]错误[/bold red] {_escape(str(e))}")
        sys.exit(EXIT_UNREADABLE)
    except Exception as e:
        from ..draft.phrasebank import PhraseBankError

        if not isinstance(e, PhraseBankError):
            raise
        err.print("[bold red]短语库有错误[/bold red]，未生成初稿：")
        for issue in getattr(e, "issues", []) or [e]:
            err.print(f"  {_escape(str(issue))}")
        sys.exit(EXIT_UNREADABLE)

    out = console()
    if not result.ok:
        print_findings(result.findings, data, err)
        err.print(f"[bold red]数据有 {len(result.errors)} 项错误，未生成初稿。[/bold red]"
                  f"请先修改数据文件（可用 report-writer validate {_escape(data)} 复核）。")
        sys.exit(EXIT_FINDINGS)
    if result.warnings:
        print_findings(result.warnings, data, err)
    out.print(f"已生成初稿：{_escape(str(result.out_path))}"
              f"（{_escape(result.body)} {result.year}年度，{result.format_id}年格式）")
    sys.exit(EXIT_OK)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
