"""CLI commands for the phrase bank: `report-writer phrasebank lint|preview`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..output import echo


def register(main: click.Group) -> None:
    """Add this area's commands to the main group."""
    main.add_command(phrasebank)


@click.group()
def phrasebank() -> None:
    """短语库（起草用语）的检查与预览。

    \b
    短语库是 YAML 规则文件：内置短语库之外，各单位可在自己的目录中
    以相同编号（id）覆盖规则、或新增规则，起草时用 --phrasebank 目录 叠加。
    \b
      report-writer phrasebank lint 本单位短语库/        检查短语库
      report-writer phrasebank preview requests.received --data 数据.yaml
    """


@phrasebank.command()
@click.argument("directory", required=False, type=click.Path(exists=False, path_type=Path))
@click.option("--only", is_flag=True, help="只检查该目录本身，不叠加内置短语库。")
def lint(directory: Path | None, only: bool) -> None:
    """检查短语库 DIRECTORY（不填则检查内置短语库）。

    \b
    检查内容：YAML 格式错误（文件:行号）；条件和模板中引用的未知数据字段；
    规则编号重复；永远不会生效的规则；用不到的变体；沙箱会拒绝的模板
    （如访问 __class__）；模板中直接写的数字（数字只能来自数据字段）。

    退出码：0 无错误（可有警告）；1 发现错误；2 目录不存在。
    """
    from ..draft.lint import lint as run_lint

    if directory is not None and not directory.exists():
        echo(f"短语库目录不存在：{directory}", err=True)
        sys.exit(2)
    dirs = [directory] if directory is not None else []
    bank, issues = run_lint(dirs, include_builtin=not (only and directory is not None))
    if directory is not None:
        root = str(directory.resolve())
        mine = [i for i in issues if i.file is None or str(Path(i.file).resolve()).startswith(root)]
        others = len(issues) - len(mine)
        issues = mine
    else:
        others = 0
    errors = [i for i in issues if i.level == "error"]
    warnings = [i for i in issues if i.level != "error"]
    for i in errors + warnings:
        tag = "错误" if i.level == "error" else "警告"
        echo(f"{i.where() or '-'}：{tag}：" + (f"[{i.rule}] " if i.rule else "") + i.message)
    n_rules = len(bank.rules)
    summary = f"共检查 {len(bank.files)} 个文件、{n_rules} 条规则：{len(errors)} 个错误，{len(warnings)} 个警告"
    if others:
        summary += f"（内置短语库另有 {others} 个问题未列出）"
    echo(summary)
    sys.exit(1 if errors else 0)


@phrasebank.command()
@click.argument("rule_id")
@click.option("--data", "data_path", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="年度数据文件（.yaml、.json 或 .xlsx）。")
@click.option("--phrasebank", "dirs", multiple=True, type=click.Path(path_type=Path),
              help="本单位短语库目录，叠加在内置短语库之上（可多次指定）。")
@click.option("--seed", default=0, show_default=True, help="随机种子：与 draft 使用相同的种子才能看到相同的选择。")
@click.option("--previous", "previous", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="上年度数据文件或上年度报告（与 draft --previous 相同），用于预览同比规则（change.*）。")
def preview(rule_id: str, data_path: str, dirs: tuple[Path, ...], seed: int, previous: str | None) -> None:
    """预览规则 RULE_ID 的每个变体在该数据下的效果，并标出实际会生效的分支和选用的文字。"""
    from ..data.loader import load
    from ..draft.phrasebank import PhraseBankError, load_bank
    from ..draft.plan import _holds
    from ..draft.realize import realize
    from ..draft.sandbox import RenderError, render
    from ..draft.values import DataView, ListNode, strip_marks
    from ..findings import DataFileError
    from ..formats import get_format
    from .common import fail_unreadable

    try:
        data = load(data_path).data
        if previous:
            from ..lastyear import as_previous, load_last_year

            data.previous = as_previous(load_last_year(previous))
    except DataFileError as err:
        fail_unreadable(err)
        return
    bank = load_bank(dirs)
    if bank.errors:
        for i in bank.errors:
            echo(f"{i.where() or '-'}：错误：{i.message}", err=True)
        echo("短语库有错误，请先运行 report-writer phrasebank lint", err=True)
        sys.exit(1)
    rule = bank.rules.get(rule_id)
    if rule is None:
        near = [r for r in sorted(bank.rules) if rule_id.split(".")[0] in r][:10]
        echo(f"没有编号为“{rule_id}”的规则。" + (f"相近的编号：{'、'.join(near)}" if near else ""), err=True)
        sys.exit(1)
    fmt = get_format(data.format_id)
    view = DataView(data, fmt)
    echo(f"规则 {rule.id}（{rule.file}:{rule.line}）  位置：{rule.slot}  类型：{rule.kind}")
    if not rule.applies_to(fmt.id):
        echo(f"  本规则只用于 {'、'.join(rule.formats or [])} 年格式，本数据为 {fmt.id} 年格式：不会生效")
    fires = _holds(rule.when_node, view, {}, rule)
    echo(f"  条件 when: {rule.when}  →  {'成立' if fires else '不成立'}")
    items: list[dict] = [{}]
    if rule.each:
        lst = view.lookup(rule.each)
        items = [{"item": it, "index": i} for i, it in enumerate(lst, start=1)] if isinstance(lst, ListNode) else []
        echo(f"  each: {rule.each}  →  {len(items)} 项")
    base = view.context()
    for n, extra in enumerate(items, start=1):
        if rule.each:
            echo(f"  —— 第{n}项")
        chosen = False
        for k, case in enumerate(rule.cases, start=1):
            ok = _holds(case.node, view, extra, rule)
            mark = "  ← 生效" if ok and fires and not chosen else ""
            echo(f"  分支{k} when: {case.when}  →  {'成立' if ok else '不成立'}{mark}")
            for j, v in enumerate(case.variants, start=1):
                try:
                    text = strip_marks(render(v.text, {**base, **extra}))
                except RenderError as e:
                    text = f"（无法生成：{e}）"
                echo(f"    变体{j}（{v.file}:{v.line}）：{text}")
            chosen = chosen or ok
    try:
        narrative = realize(data, seed=seed, phrasebank_dirs=dirs)
    except PhraseBankError as e:
        echo(str(e), err=True)
        sys.exit(1)
    used = [p for p in narrative.paragraphs() if any(s.rule == rule.id for s in p.spans)]
    echo(f"在完整报告（种子 {seed}）中的实际文字：")
    if not used:
        echo("  （本规则未生效）")
    for p in used:
        echo("  " + "".join(s.text for s in p.spans if s.rule == rule.id))
