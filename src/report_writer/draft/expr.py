"""The `when` language of the phrase bank: a small, safe expression language.

Tokenised and parsed here (recursive descent), evaluated over a resolver that maps
field paths to values. There is no attribute access on values, no calls except the
few whitelisted functions, no indexing except `[N]` inside a field path, and names
beginning with an underscore are refused outright. Python's eval is never used.

    expr   := or
    or     := and ("or" and)*
    and    := not ("and" not)*
    not    := "not" not | cmp
    cmp    := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?
    sum    := atom (("+"|"-") atom)*
    atom   := NUMBER | STRING | true | false | null | path | FUNC "(" [expr ("," expr)*] ")" | "(" expr ")"
    path   := NAME ("." NAME | "[" INT "]")*
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from ..limits import exceeded, limit

MAX_EXPR_LEN = limit("MAX_EXPR_LEN")
MAX_DEPTH = limit("MAX_EXPR_DEPTH")


class ExprError(Exception):
    """A condition that cannot be parsed or evaluated; `pos` is the 0-based character offset."""

    def __init__(self, message: str, pos: int | None = None):
        super().__init__(message)
        self.message, self.pos = message, pos

    def __str__(self) -> str:
        return self.message + (f"（第{self.pos + 1}个字符处）" if self.pos is not None else "")


# ---------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(
    r"""(?P<ws>\s+)
      | (?P<num>\d+(?:\.\d+)?)
      | (?P<str>"[^"\\]*"|'[^'\\]*'|“[^”]*”)
      | (?P<op>==|!=|<=|>=|<|>|\+|-|\(|\)|,|\.|\[|\])
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.X,
)

KEYWORDS = {"and", "or", "not", "true", "false", "null", "True", "False", "None"}


@dataclass(frozen=True)
class Tok:
    kind: str  # num, str, op, name, end
    text: str
    pos: int


def tokenize(src: str) -> list[Tok]:
    if len(src) > MAX_EXPR_LEN:
        raise ExprError("条件表达式过长：" + exceeded("MAX_EXPR_LEN", MAX_EXPR_LEN, len(src)))
    out: list[Tok] = []
    i = 0
    while i < len(src):
        m = _TOKEN_RE.match(src, i)
        if not m:
            raise ExprError(f"条件中有无法识别的字符“{src[i]}”", i)
        kind = m.lastgroup or ""
        if kind != "ws":
            text = m.group(kind)
            if kind == "name" and text.startswith("_"):
                raise ExprError(f"不允许使用以下划线开头的名称“{text}”", i)
            out.append(Tok(kind, text, i))
        i = m.end()
    out.append(Tok("end", "", len(src)))
    return out


# ---------------------------------------------------------------- AST


@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class Path:
    path: str
    pos: int


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple
    pos: int


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Not:
    operand: Any


@dataclass(frozen=True)
class BoolOp:
    op: str  # and | or
    items: tuple


Node = Any

# name -> (min args, max args)
FUNCTIONS: dict[str, tuple[int, int]] = {
    "present": (1, 1),  # the field holds a value (a non-empty list, a number, a text)
    "empty": (1, 1),  # the field is missing, null, an empty list or text
    "len": (1, 1),  # number of items of a list (0 when missing)
    "exact": (1, 1),  # the count is written exactly (not 近300, 3万余)
    "approx": (1, 1),  # the count is approximate
    "any": (1, 1),  # some item of the list is truthy
    "min": (2, 8),
    "max": (2, 8),
}


class Parser:
    def __init__(self, src: str):
        self.src = src
        self.toks = tokenize(src)
        self.i = 0
        self.depth = 0

    def peek(self) -> Tok:
        return self.toks[self.i]

    def take(self) -> Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def expect(self, text: str) -> Tok:
        t = self.take()
        if t.text != text or t.kind not in ("op", "name"):
            raise ExprError(f"此处应为“{text}”，实为“{t.text or '表达式结尾'}”", t.pos)
        return t

    def parse(self) -> Node:
        node = self.or_()
        t = self.peek()
        if t.kind != "end":
            raise ExprError(f"多余的内容“{t.text}”", t.pos)
        return node

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError("条件嵌套过深：" + exceeded("MAX_EXPR_DEPTH", MAX_DEPTH), self.peek().pos)

    def or_(self) -> Node:
        items = [self.and_()]
        while self.peek().kind == "name" and self.peek().text == "or":
            self.take()
            items.append(self.and_())
        return items[0] if len(items) == 1 else BoolOp("or", tuple(items))

    def and_(self) -> Node:
        items = [self.not_()]
        while self.peek().kind == "name" and self.peek().text == "and":
            self.take()
            items.append(self.not_())
        return items[0] if len(items) == 1 else BoolOp("and", tuple(items))

    def not_(self) -> Node:
        if self.peek().kind == "name" and self.peek().text == "not":
            self.take()
            self._enter()
            node = Not(self.not_())
            self.depth -= 1
            return node
        return self.cmp()

    def cmp(self) -> Node:
        left = self.sum()
        t = self.peek()
        if t.kind == "op" and t.text in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            right = self.sum()
            nxt = self.peek()
            if nxt.kind == "op" and nxt.text in ("==", "!=", "<", "<=", ">", ">="):
                raise ExprError("比较不能连写，请用 and 连接", nxt.pos)
            return BinOp(t.text, left, right)
        return left

    def sum(self) -> Node:
        node = self.atom()
        while self.peek().kind == "op" and self.peek().text in ("+", "-"):
            op = self.take().text
            node = BinOp(op, node, self.atom())
        return node

    def atom(self) -> Node:
        t = self.take()
        if t.kind == "num":
            return Const(Decimal(t.text))
        if t.kind == "str":
            return Const(t.text[1:-1])
        if t.kind == "op" and t.text == "(":
            self._enter()
            node = self.or_()
            self.depth -= 1
            self.expect(")")
            return node
        if t.kind == "op" and t.text == "-" and self.peek().kind == "num":
            return Const(-Decimal(self.take().text))
        if t.kind == "name":
            if t.text in ("true", "True"):
                return Const(True)
            if t.text in ("false", "False"):
                return Const(False)
            if t.text in ("null", "None"):
                return Const(None)
            if t.text in ("and", "or", "not"):
                raise ExprError(f"“{t.text}”前缺少操作数", t.pos)
            if self.peek().kind == "op" and self.peek().text == "(":
                if t.text not in FUNCTIONS:
                    raise ExprError(f"不允许调用“{t.text}”；可用的函数：{'、'.join(FUNCTIONS)}", t.pos)
                self.take()
                args = []
                if not (self.peek().kind == "op" and self.peek().text == ")"):
                    self._enter()
                    args.append(self.or_())
                    while self.peek().kind == "op" and self.peek().text == ",":
                        self.take()
                        args.append(self.or_())
                    self.depth -= 1
                self.expect(")")
                lo, hi = FUNCTIONS[t.text]
                if not lo <= len(args) <= hi:
                    raise ExprError(f"函数 {t.text} 的参数个数不对", t.pos)
                return Call(t.text, tuple(args), t.pos)
            return self.path(t)
        raise ExprError(f"此处应为字段、数字或括号，实为“{t.text or '表达式结尾'}”", t.pos)

    def path(self, first: Tok) -> Node:
        parts = [first.text]
        while self.peek().kind == "op" and self.peek().text in (".", "["):
            op = self.take()
            if op.text == ".":
                t = self.take()
                if t.kind not in ("name", "num"):
                    raise ExprError("“.”后应为字段名", t.pos)
                if t.text.startswith("_"):
                    raise ExprError(f"不允许访问以下划线开头的字段“{t.text}”", t.pos)
                parts.append("." + t.text)
            else:
                t = self.take()
                if t.kind != "num" or "." in t.text:
                    raise ExprError("“[”后应为序号（从0开始的整数）", t.pos)
                self.expect("]")
                parts.append(f"[{t.text}]")
        if self.peek().kind == "op" and self.peek().text == "(":
            raise ExprError("不允许调用方法", self.peek().pos)
        return Path("".join(parts), first.pos)


def parse(src: str) -> Node:
    """Parse a condition; raises ExprError with a Chinese message and the offset."""
    if not isinstance(src, str):
        src = str(src).lower() if isinstance(src, bool) else str(src)
    return Parser(src).parse()


def paths(node: Node) -> list[Path]:
    """Every field path the expression reads."""
    if isinstance(node, Path):
        return [node]
    if isinstance(node, Call):
        return [p for a in node.args for p in paths(a)]
    if isinstance(node, BinOp):
        return paths(node.left) + paths(node.right)
    if isinstance(node, Not):
        return paths(node.operand)
    if isinstance(node, BoolOp):
        return [p for a in node.items for p in paths(a)]
    return []


# ---------------------------------------------------------------- evaluation


def scalar(v: Any) -> Any:
    """Reduce data values to comparable scalars: Count -> its magnitude, Cell -> its number."""
    from ..data.model import Cell, Count

    if isinstance(v, Count):
        return v.magnitude()
    if isinstance(v, Cell):
        return v.value if v.is_number else None
    if hasattr(v, "scalar_value"):
        return v.scalar_value()
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(str(v))
    return v


def _is_empty(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, (str, list, tuple, dict)):
        return len(v) == 0
    if hasattr(v, "__len__") and not isinstance(v, Decimal):
        try:
            return len(v) == 0
        except TypeError:
            return False
    return False


def _compare(op: str, a: Any, b: Any) -> bool:
    a, b = scalar(a), scalar(b)
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if a is None or b is None:
        return False  # a missing fact is neither more nor less than anything
    if isinstance(a, (dt.date, str)) != isinstance(b, (dt.date, str)) or type(a) is bool or type(b) is bool:
        return False
    try:
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    except TypeError:
        return False


def evaluate(node: Node, resolve: Callable[[str], Any]) -> Any:
    """Evaluate over `resolve(path)`; a missing field resolves to None.

    A function given values of the wrong kind (any(1), min(1, "a"), min(list, 2)) is the
    condition's fault, not a crash: ExprError with a Chinese message.
    """
    try:
        return _evaluate(node, resolve)
    except (TypeError, ValueError, ArithmeticError) as e:
        raise ExprError(f"条件中函数的参数类型不对，无法求值（{type(e).__name__}）；"
                        "any 需要列表，min/max 需要可比较的数字") from None


def _evaluate(node: Node, resolve: Callable[[str], Any]) -> Any:
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Path):
        return resolve(node.path)
    if isinstance(node, Not):
        return not truthy(_evaluate(node.operand, resolve))
    if isinstance(node, BoolOp):
        if node.op == "and":
            return all(truthy(_evaluate(i, resolve)) for i in node.items)
        return any(truthy(_evaluate(i, resolve)) for i in node.items)
    if isinstance(node, BinOp):
        left, right = _evaluate(node.left, resolve), _evaluate(node.right, resolve)
        if node.op in ("+", "-"):
            a, b = scalar(left), scalar(right)
            if a is None or b is None:
                return None
            if not isinstance(a, Decimal) or not isinstance(b, Decimal):
                raise ExprError("加减只能用于数字")
            return a + b if node.op == "+" else a - b
        return _compare(node.op, left, right)
    if isinstance(node, Call):
        args = [_evaluate(a, resolve) for a in node.args]
        f = node.func
        if f == "present":
            return not _is_empty(args[0])
        if f == "empty":
            return _is_empty(args[0])
        if f == "len":
            v = args[0]
            return Decimal(0) if v is None else Decimal(len(v)) if hasattr(v, "__len__") else Decimal(1)
        if f in ("exact", "approx"):
            from ..data.model import Count

            v = args[0]
            if hasattr(v, "exact") and not isinstance(v, Count):
                return bool(v.exact) if f == "exact" else not v.exact
            if not isinstance(v, Count):
                return f == "exact" and v is not None
            return v.exact if f == "exact" else not v.exact
        if f == "any":
            v = args[0] or []
            return any(truthy(x) for x in v)
        if f in ("min", "max"):
            vals = [scalar(a) for a in args]
            if any(v is None for v in vals):
                return None
            return min(vals) if f == "min" else max(vals)
    raise ExprError(f"无法求值：{node!r}")


def truthy(v: Any) -> bool:
    v = scalar(v)
    if isinstance(v, Decimal):
        return v != 0
    return not _is_empty(v) and bool(v)


def holds(src: str | Node, resolve: Callable[[str], Any]) -> bool:
    node = parse(src) if isinstance(src, str) else src
    return truthy(evaluate(node, resolve))


def constant_value(node: Node) -> Any:
    """The value when the expression reads no field, else a sentinel (for lint)."""
    if paths(node):
        return _NOT_CONST
    return truthy(evaluate(node, lambda p: None))


_NOT_CONST = object()
NOT_CONST = _NOT_CONST
