"""`report-writer check`: judge human-written drafts (library: report_writer.check)."""

from __future__ import annotations

import sys

import click

from ..output import echo

from .common import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_UNREADABLE


def register(main: click.Group) -> None:
    """Add this area's commands to the main group."""
    main.add_command(check)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("drafts", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--data", "data_path", type=click.Path(dir_okay=False, path_type=str),
              help="年度数据文件（.yaml、.json 或 .xlsx）。给出后，报告中表格的每个数字都与数据文件逐格核对（DATA-CELL）。")
@click.option("--previous", "previous", type=click.Path(path_type=str), metavar="上年度文件或文件夹",
              help="上年度的数据文件（.yaml、.json、.xlsx）或已发布的上年度报告（.docx、.html、.txt、.pdf），"
                   "用于同比与衔接核对（YOY-*）：上年结转、现行有效件数、正文“同比”“较上年”的增减、问题是否雷同及整改情况。"
                   "给出文件夹时，按机关名称和年度为每份报告稿找出上年度的那一份。不给出时，"
                   "同时检查的报告稿中同一机关相邻年度的自动配对。")
@click.option("--format", "out_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="输出形式：text 供阅读（按报告部分分组）；json 供其他程序使用（格式见 docs/json-schema.md）。")
@click.option("--annotate", "annotate", type=click.Path(path_type=str), metavar="OUT.docx|OUT.pdf",
              help="另存一份带批注的报告稿：每个问题一条批注，批注落在出错的表格单元格或段落中的那个数字上。"
                   "Word 报告稿生成带 Word 批注的 .docx，PDF 报告稿生成带注释的 .pdf（批注稿与原稿同一类型）；"
                   "网页和纯文本不能生成批注。检查多份报告稿时请给出一个文件夹，批注稿存为“原文件名-批注.docx”"
                   "或“原文件名-批注.pdf”。原文件不会被修改。")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="出现哪一级问题时退出码为 1：error 只看错误；warning 警告也算。")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="并行检查的进程数（检查多份报告稿时使用）。")
@click.option("--no-nlp", is_flag=True, default=False,
              help="跳过正文数字与表格的比对（中文分词较慢，只想快速核对表格时使用）。")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False, path_type=str), metavar="汇总.xlsx",
              help="另存一份 Excel 汇总表：每份报告稿一行（机关、年度、错误数、警告数、各规则出现次数），"
                   "另附“问题明细”表，每个问题一行。")
def check(drafts: tuple[str, ...], data_path: str | None, previous: str | None, out_format: str,
          annotate: str | None, fail_on: str, jobs: int, no_nlp: bool, summary_path: str | None = None) -> None:
    """审核已写好的年度报告稿 DRAFT（Word .docx、PDF、网页 .html/.htm、纯文本 .txt/.md）。

    DRAFT 可以是一个或多个文件，也可以是文件夹（检查其中所有报告稿）。
    文件类型按内容识别，不看扩展名；旧版 .doc、加密或损坏的文件会单独说明原因，其余文件照常检查。
    PDF 须有文字层（可以选中、复制文字）；扫描件或图片转成的 PDF 没有文字，无法检查，会提示改用可复制文字的 PDF 或 Word 版。
    PDF 中的问题标明所在页码。

    \b
    检查内容（括号内为规则编号）：
      表格勾稽关系     表三第一项加第二项等于第三项加第四项（T3-IDENT）、各行总计（T3-ROWSUM）、
                       办理结果之和（T3-RESULTSUM）、表四各组总计（T4-SUM）；一个数字同时
                       导致多处不平时合并为一条并指出该单元格（SUM-CELL）
      表格填写         空白、“/”“—”“无”（CELL-EMPTY）；无规章制定权的机关填报规章（X-RULEMAKER）；
                       表格格式版本与报告年度不符或混用（X-FORMAT）
      报告结构         缺少部分（SEC-MISSING）、顺序错误（SEC-ORDER）、引言所称部分数不符（SEC-COUNT）
      年度与日期       统计期限缺失或年份错误（PERIOD）、日期晚于法定公开期限（DATE）
      格式通知         文号或格式名称引用错误（NOTICE-NUMBER）
      数据文件         表格数字与 --data 不一致（DATA-CELL）
      同比与衔接       与上年度文件（--previous，或同时检查的上年度报告）比对：上年结转（YOY-CARRY）、
                       现行有效件数（YOY-VALID）、“同比”“较上年”增减（YOY-CLAIM）、问题雷同
                       （YOY-REPEAT）、上年问题整改（YOY-REMEDY）、五倍以上变化（YOY-JUMP）
      正文与表格       正文所述数字与表格不符（由中文分析模块提供，--no-nlp 可跳过）

    \b
    读不准的不判错：表格另存后合并单元格丢失、文本中“|”或制表符分隔、每格一行、
    数字连写（按本表勾稽关系试拆）等写法都能读取；繁体字先转为简体。连写数字有多种
    读法的，只提示（CELL-AMBIGUOUS）；识别到表格而未能完整读取的，警告一次并说明原因
    （TABLE-UNREAD），均不据此报错。没有标题的网页按部分报告检查（REPORT-PARTIAL）。

    \b
    示例：
      report-writer check 报告.docx
      report-writer check 报告.docx --data 数据.yaml --annotate 报告-批注.docx
      report-writer check 报告.pdf --annotate 报告-批注.pdf
      report-writer check 各单位报告/ --jobs 2 --format json > 结果.json
      report-writer check 2025年度报告.docx --previous 2024年度报告.docx
      report-writer check 2025年度报告.docx --previous 历年报告/

    \b
    退出码：0 没有达到 --fail-on 级别的问题；1 有；
            2 有文件无法读取或无法生成批注稿（其余文件照常检查）；
            3 有文件检查时遇到内部错误（其余文件照常检查）。
    """
    from ..check.batch import check_many, expand_inputs
    from ..findings import DataFileError
    from ..output import console

    data = None
    if data_path:
        from ..data.loader import load

        try:
            data = load(data_path).data
        except DataFileError as err:
            _input_unreadable(data_path, err, out_format, "数据文件")

    files = expand_inputs(drafts)
    if not files:
        click.echo("没有找到可检查的报告稿（.docx、.pdf、.html、.htm、.txt、.md）", err=True)
        sys.exit(EXIT_UNREADABLE)
    if annotate and len(files) == 1:  # a FIFO, a device, an over-long name: before the work
        from ..fileio import OutputError, check_output_path

        try:
            check_output_path(annotate)
        except OutputError as e:
            echo(f"错误 {e}", err=True)
            sys.exit(EXIT_UNREADABLE)
    if annotate and len(files) > 1:
        from pathlib import Path

        target = Path(annotate)
        if target.exists() and not target.is_dir() or target.suffix.lower() in (".docx", ".pdf"):
            click.echo("检查多份报告稿时，--annotate 应指定一个文件夹（批注稿存为“原文件名-批注.docx”）", err=True)
            sys.exit(EXIT_UNREADABLE)

    if summary_path and not summary_path.lower().endswith(".xlsx"):
        click.echo(f"汇总表“{summary_path}”应以 .xlsx 结尾", err=True)
        sys.exit(EXIT_UNREADABLE)

    # Drafts of one body in consecutive years pair among themselves once each has been read (by the
    # check itself); only the paired ones are checked again beside last year's.
    pair_later = previous is None and data is None and len(files) > 1
    pairs = {} if pair_later else _pairs(files, previous, out_format)
    out = console()
    show_progress = out_format == "text" and len(files) > 1 and sys.stderr.isatty()
    if show_progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("审核中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console(stderr=True), transient=True) as bar:
            task = bar.add_task("check", total=len(files))
            outcomes = check_many(files, data=data, nlp=not no_nlp, jobs=jobs, annotate=annotate,
                                  progress=lambda o: bar.advance(task), previous=pairs)
    else:
        outcomes = check_many(files, data=data, nlp=not no_nlp, jobs=jobs, annotate=annotate, previous=pairs)
    if pair_later:
        from ..check.batch import recheck_paired
        from ..check.pairing import pairs_from_outcomes

        pairs = pairs_from_outcomes(outcomes)
        _say_pairs(pairs, out_format, previous)
        if pairs:
            outcomes = recheck_paired(outcomes, files, pairs, data=data, nlp=not no_nlp, annotate=annotate)

    if out_format == "json":
        from ..check.report_json import to_json

        click.echo(to_json(outcomes, fail_on))
    else:
        from ..check.report_text import print_outcome, print_summary

        for o in outcomes:
            print_outcome(o, out)
        if len(outcomes) > 1:
            print_summary(outcomes, out, fail_on)
    if summary_path:
        _write_summary(summary_path, outcomes, fail_on, files)
    if any(o.status == "unreadable" or o.annotate_error for o in outcomes):
        sys.exit(EXIT_INTERNAL if any(o.internal for o in outcomes) else EXIT_UNREADABLE)  # a bug: 3
    sys.exit(EXIT_FINDINGS if any(o.fails(fail_on) for o in outcomes) else EXIT_OK)


def _write_summary(path: str, outcomes: list, fail_on: str, inputs: list[str]) -> None:
    """The --summary workbook, written atomically; never over one of the drafts."""
    from ..check.summary import build_summary, summary_xlsx
    from ..fileio import OutputError, atomic_write, refuse_same_path

    try:
        refuse_same_path(path, *inputs)
        atomic_write(path, summary_xlsx(build_summary(outcomes, fail_on), outcomes))
    except OutputError as e:
        click.echo(f"未能写出汇总表：{e}", err=True)
        sys.exit(EXIT_UNREADABLE)
    click.echo(f"已生成汇总表：{path}（{len(outcomes)} 份报告稿）", err=True)


def _input_unreadable(path: str, err, out_format: str, what: str) -> None:
    """A --data or --previous file that cannot be read: say why (text or JSON) and exit 2."""
    from ..output import console, print_findings, to_json

    if out_format == "json":
        click.echo(to_json([(path, "unreadable", err.findings, f"无法读取{what}")]))
    else:
        print_findings(err.findings, f"无法读取{what} {path}", console(stderr=True))
    sys.exit(EXIT_UNREADABLE)


def _pairs(files: list[str], previous: str | None, out_format: str) -> dict:
    """file → last year's: --previous FILE for every draft (loaded once), a folder searched, or pairs among files."""
    from pathlib import Path

    from ..check.pairing import pair_files

    if previous is not None and not Path(previous).is_dir():
        from ..findings import DataFileError
        from ..lastyear import load_last_year

        try:
            last = load_last_year(previous)
        except DataFileError as err:
            _input_unreadable(previous, err, out_format, "上年度文件")
        return {f: last for f in files}
    if previous is None and len(files) < 2:
        return {}
    pairs = pair_files(files, previous)
    _say_pairs(pairs, out_format, previous)
    return pairs


def _say_pairs(pairs: dict, out_format: str, previous: str | None) -> None:
    if out_format != "text":
        return
    if pairs:
        click.echo("同比配对（本年度 ← 上年度）：")
        for f, p in pairs.items():
            click.echo(f"  {f} ← {p}")
    elif previous is not None:
        click.echo(f"在 {previous} 中未找到与报告稿同一机关、上一年度的文件，未作同比比对", err=True)
