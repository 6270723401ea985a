"""Lint: the variants of one case tell the same facts, and print only fields the data has.

Two checks, both about the seed never changing facts:

- every variant of a case reads the same data fields (a variant that drops the count or adds
  a field is not a paraphrase of the others);
- a variant prints an optional field only where the data is known to hold it: the rule's or
  the case's `when` names it, or an enclosing `{% if %}` / `{% for … if %}` tests it.
  Otherwise the draft claims a fact the data may not have (and drafting stops on it).
"""

from __future__ import annotations

import typing
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import TemplateSyntaxError

from . import expr
from .phrasebank import Issue, Rule
from .sandbox import env, field_chain
from .values import ROOTS, split_path

# Fields of wording, not facts: a variant may name the body or the year or not.
NOT_FACTS = {"meta", "self_ref", "format", "loop", "index", "problem_no"}



def _reads(node: nodes.Node) -> set[str]:
    """Field paths an expression node reads (longest chains only)."""
    out: set[str] = set()

    def visit(n: nodes.Node) -> None:
        c = field_chain(n) if isinstance(n, (nodes.Name, nodes.Getattr, nodes.Getitem)) else None
        if c is not None:
            out.add(c)
            return
        for ch in n.iter_child_nodes():
            visit(ch)

    visit(node)
    return out


def template_facts(tree: nodes.Template) -> tuple[set[str], list[tuple[str, frozenset[str]]]]:
    """(fields read anywhere, [(field printed, guards around it)]), loop names mapped to their list."""
    read: set[str] = set()
    printed: list[tuple[str, frozenset[str]]] = []
    alias: dict[str, str] = {}

    def norm(p: str) -> str:
        head, _, rest = p.partition(".")
        head = head.split("[")[0]
        if head in alias:
            return alias[head] + "[]" + ("." + rest if rest else "")
        return p

    def visit(n: nodes.Node, guards: frozenset[str]) -> None:
        if isinstance(n, nodes.If):
            tested = frozenset(norm(p) for p in _reads(n.test))
            read.update(tested)
            for b in n.body:
                visit(b, guards | tested)
            for el in n.elif_:
                visit(el, guards | tested)
            for b in n.else_:
                visit(b, guards | tested)
            return
        if isinstance(n, nodes.For):
            it = field_chain(n.iter)
            if it is None and isinstance(n.iter, nodes.Filter):
                it = field_chain(n.iter.node)
            if isinstance(n.target, nodes.Name) and it:
                alias[n.target.name] = norm(it)
            read.update(norm(p) for p in _reads(n.iter))
            g = guards | {norm(it)} if it else guards
            if n.test is not None:
                tested = frozenset(norm(p) for p in _reads(n.test))
                read.update(tested)
                g = g | tested
            for b in n.body + n.else_:
                visit(b, frozenset(g))
            return
        if isinstance(n, nodes.Output):
            for ch in n.nodes:
                if isinstance(ch, nodes.TemplateData):
                    continue
                for p in _reads(ch):
                    q = norm(p)
                    read.add(q)
                    printed.append((q, guards))
            return
        for ch in n.iter_child_nodes():
            visit(ch, guards)

    visit(tree, frozenset())
    return read, printed


def _facts(paths: set[str]) -> frozenset[str]:
    return frozenset(p for p in paths if p.split(".")[0].split("[")[0] not in NOT_FACTS)


def _optional(path: str, scope: dict[str, Any]) -> bool:
    """True when some field along the path may be missing (default None) in valid data."""
    from pydantic import BaseModel

    parts = [p for p in split_path(path.replace("[]", "[0]"))]
    head = parts[0]
    if head in scope:
        cur: Any = scope[head]
    else:
        from ..data.model import Meta, OtherMatters, Overview

        cur = {"meta": Meta, "overview": Overview, "other": OtherMatters}.get(head)
        if cur is None:  # tables, req, lists: present when the rule can run (validate sees to it)
            return False
    for p in parts[1:]:
        if isinstance(p, int):
            args = typing.get_args(cur)
            cur = args[0] if args else None
            continue
        if not (isinstance(cur, type) and issubclass(cur, BaseModel)):
            return False
        f = cur.model_fields.get(p)
        if f is None:
            return False
        if not f.is_required() and f.default is None:
            return True
        tp = f.annotation
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        cur = args[0] if args and typing.get_origin(tp) is not list else tp
    return False


def _covered(path: str, guards: set[str]) -> bool:
    return any(path == g or path.startswith(g + ".") or path.startswith(g + "[") or g.startswith(path + ".")
               for g in guards)


def lint_facts(rule: Rule, scope: dict[str, Any]) -> list[Issue]:
    out: list[Issue] = []
    rule_guards = {p.path for p in expr.paths(rule.when_node)} if rule.when_node is not None else set()
    for case in rule.cases:
        guards = rule_guards | ({p.path for p in expr.paths(case.node)} if case.node is not None else set())
        seen: list[tuple[frozenset[str], Any]] = []
        for v in case.variants:
            try:
                tree = env().parse(v.text)
            except (TemplateSyntaxError, RecursionError):
                continue  # lint_template reports it
            read, printed = template_facts(tree)
            facts = _facts(read)
            seen.append((facts, v))
            for path, local in printed:
                head = path.split(".")[0].split("[")[0]
                if head in NOT_FACTS or head not in set(ROOTS) | set(scope):
                    continue
                if _covered(path, guards | set(local)):
                    continue
                if _optional(path, scope):
                    out.append(Issue("error", f"变体输出了数据中可能没有的字段“{path}”：请在 when 中用 present(…) "
                                     "判断，或放在 {% if … %} 中", v.file, v.line, rule.id))
        if len(seen) > 1:
            base, bv = seen[0]
            for facts, v in seen[1:]:
                if facts != base:
                    more, less = sorted(facts - base), sorted(base - facts)
                    what = "；".join(x for x in (("多用了 " + "、".join(more)) if more else "",
                                                 ("少用了 " + "、".join(less)) if less else "") if x)
                    out.append(Issue("error", f"同一分支的变体应是同一事实的不同说法，但本变体与第{bv.line}行的变体"
                                     f"所用数据字段不同（{what}）", v.file, v.line, rule.id))
    return out
