"""Lint the phrase bank: everything that would break or mislead a draft, with file and line."""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any, Sequence

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError

from . import expr
from .filters import FILTERS, GLOBALS
from .lint_facts import lint_facts
from .phrasebank import SLOTS, Bank, Issue, Rule, Variant, load_bank
from .sandbox import MAX_TEMPLATE_CHARS, check_ast, env, field_chain
from .values import LIST, ROOTS, type_of_path

DIGIT = re.compile(r"[0-9０-９]")
KNOWN_FORMATS = ("2019", "2021")


def lint(dirs: Sequence[Path | str] = (), include_builtin: bool = True) -> tuple[Bank, list[Issue]]:
    """Load the bank (built-in plus `dirs`) and return every issue found."""
    bank = load_bank(dirs, include_builtin=include_builtin)
    issues = list(bank.issues)
    for rule in sorted(bank.rules.values(), key=lambda r: (r.file, r.line or 0)):
        issues += lint_rule(rule, bank)
    return bank, issues


def _elem(tp: Any) -> Any:
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (list, tuple) and args:
        return args[0]
    return None


def rule_scope(rule: Rule) -> tuple[dict[str, Any], list[str]]:
    """Names bound for the rule's templates and conditions (item, index …) and problems found."""
    scope: dict[str, Any] = {}
    problems: list[str] = []
    if rule.each:
        known, tp = type_of_path(rule.each)
        el = _elem(tp) if known else None
        if not known:
            problems.append(f"each 引用了未知的数据字段“{rule.each}”")
        elif el is None:
            problems.append(f"each 应指向列表字段，“{rule.each}”不是列表")
        scope.update({"item": el if el is not None else "any", "index": "num"})
        if rule.each in ("improvements", "improvements_done", "improvements_planned"):
            from ..data.model import Problem

            scope.update({"problem": Problem, "problem_no": "num"})
    return scope, problems


def origin_file(rule: Rule) -> str:
    return rule.file


def lint_rule(rule: Rule, bank: Bank) -> list[Issue]:
    out: list[Issue] = []

    def add(msg: str, line: int | None = None, file: str | None = None, level: str = "error") -> None:
        out.append(Issue(level, msg, file or rule.file, line if line is not None else rule.line, rule.id))

    scope, problems = rule_scope(rule)
    for p in problems:
        add(p)
    # conditions
    conds = [(rule.when_node, rule.when_line, origin_file(rule), "when")] + [(c.node, c.line, c.file, "cases.when")
                                                               for c in rule.cases]
    for node, line, file, what in conds:
        for p in expr.paths(node):
            name = p.path.split(".")[0].split("[")[0]
            if name not in scope and rule.each is None and name in ("item", "index"):
                add(f"条件中使用了“{name}”，但规则没有 each", line, file)
                continue
            known, _ = type_of_path(p.path, scope)
            if not known:
                add(f"条件（{what}）引用了未知的数据字段“{p.path}”", line, file)
    # never fires
    if expr.constant_value(rule.when_node) is False:
        add("条件恒为假，这条规则永远不会生效")
    if rule.formats and not any(f in KNOWN_FORMATS for f in rule.formats):
        add(f"formats 中的格式 {rule.formats} 都不存在（可用：{'、'.join(KNOWN_FORMATS)}），规则永远不会生效")
    if rule.kind == "lead":
        partners = [r for r in bank.rules.values() if r.slot == rule.slot and r.para == rule.para and r.kind == "sentence"]
        if not partners:
            add(f"引导语规则所在段落“{rule.para}”中没有任何句子规则，永远不会生效")
    if rule.kind == "heading" and not SLOTS[rule.slot][2]:
        add(f"位置 {rule.slot} 不设小标题，heading 规则永远不会生效")
    if rule.kind != "sentence" and rule.each:
        add("each 只能用于句子规则（kind: sentence）")
    # cases after an always-true case, duplicate variants
    for k, c in enumerate(rule.cases):
        if expr.constant_value(c.node) is True and k < len(rule.cases) - 1:
            add("此分支条件恒为真，其后的分支及其变体永远用不到", c.line, c.file)
            break
        if expr.constant_value(c.node) is False:
            add("分支条件恒为假，其中的变体永远用不到", c.line, c.file)
    for c in rule.cases:
        seen: dict[str, Variant] = {}
        for v in c.variants:
            if v.text in seen:
                add(f"变体与第{seen[v.text].line}行重复，重复的变体永远不会被单独选用", v.line, v.file)
            seen.setdefault(v.text, v)
    # templates
    for v in rule.all_variants():
        out += lint_template(rule, v, scope)
    out += lint_facts(rule, scope)
    return out


def lint_template(rule: Rule, v: Variant, scope: dict[str, Any]) -> list[Issue]:
    out: list[Issue] = []

    def add(msg: str, level: str = "error") -> None:
        out.append(Issue(level, msg, v.file, v.line, rule.id))

    if len(v.text) > MAX_TEMPLATE_CHARS:
        add(check_ast(v.text)[0])  # the sandbox refuses it before parsing
        return out
    try:
        tree = env().parse(v.text)
    except TemplateSyntaxError as e:
        out.append(Issue("error", f"模板语法错误：{e.message}", v.file,
                         (v.line or 1) + (e.lineno or 1) - 1, rule.id))
        return out
    except RecursionError:
        add("模板嵌套过深（括号或标签层层相套），沙箱无法处理")
        return out
    for msg in check_ast(v.text):
        add(msg)
    for node in tree.find_all(nodes.TemplateData):
        m = DIGIT.search(node.data)
        if m:
            add(f"模板中直接写了数字“{_digits_around(node.data, m.start())}”：数字只能来自数据字段")
    for node in tree.find_all(nodes.Output):
        for child in node.nodes:
            if isinstance(child, nodes.Const) and DIGIT.search(str(child.value)):
                add(f"模板输出了常量数字“{child.value}”：数字只能来自数据字段")
    for node in tree.find_all(nodes.Filter):
        if node.name not in env().filters:
            add(f"未知的过滤器“{node.name}”；可用：{'、'.join(sorted(env().filters))}")
    for path, local in template_paths(tree, scope):
        head = path.split(".")[0].split("[")[0]
        if head in ("loop",) or head in GLOBALS or head in FILTERS:
            continue
        known, _ = type_of_path(path, local)
        if not known:
            add(f"模板引用了未知的数据字段“{path}”")
    return out


def _digits_around(text: str, i: int) -> str:
    j = i
    while j < len(text) and DIGIT.match(text[j]):
        j += 1
    return text[max(0, i - 4):j + 2]


def template_paths(tree: nodes.Node, scope: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Field paths a template reads, each with the names in scope there (loop targets typed)."""
    out: list[tuple[str, dict[str, Any]]] = []
    local = dict(scope)

    chain = field_chain

    def visit(node: nodes.Node) -> None:
        if isinstance(node, nodes.For):
            visit(node.iter)
            it = chain(node.iter)
            tp: Any = "any"
            if it:
                known, t = type_of_path(it, local)
                el = _elem(t) if known else None
                tp = el if el is not None else "any"
            for tgt in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]:
                local[tgt.name] = tp
            for n in node.body + node.else_:
                visit(n)
            if node.test is not None:
                visit(node.test)
            return
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            for tgt in node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]:
                local[tgt.name] = "any"
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            c = chain(node)
            if c is not None:
                if isinstance(node, nodes.Name) and node.ctx != "load":
                    return
                head = c.split(".")[0].split("[")[0]
                if head in local and local[head] == "any":
                    return
                out.append((c, dict(local)))
                return
        for child in node.iter_child_nodes():
            visit(child)

    visit(tree)
    return out


__all__ = ["lint", "lint_rule", "lint_template", "LIST"]
