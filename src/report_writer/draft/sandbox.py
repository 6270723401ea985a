"""The Jinja2 sandbox that renders phrase-bank templates, and the split back into spans.

- `SandboxedEnvironment` with `StrictUndefined`: no attribute beginning with "_", no
  method calls at all (only the functions this module registers), no `range`, no
  macros/includes/imports, string repetition and formatting refused, output capped.
- `finalize` refuses to print a bare number, a bool or None: numbers reach the text
  only as `Num` markers, which carry their source.
- After rendering, `to_spans` splits the markers into `Span`s and refuses any digit
  left outside a marker.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from ..limits import exceeded, limit
from .filters import FILTERS, GLOBALS
from .narrative import Span
from .values import DIGIT_RE, MARK_RE, Num, Sourced, strip_marks

MAX_OUTPUT = limit("MAX_OUTPUT")  # characters of one rendered template
MAX_REPEAT = limit("MAX_REPEAT")  # longest string or list a template may build with *
MAX_TEMPLATE_CHARS = limit("MAX_TEMPLATE_CHARS")  # length of one template's source
MAX_LOOP_STEPS = limit("MAX_LOOP_STEPS")  # iterations of all for-loops of one rendering
LOOP_FILTER = "_loop_budget"  # wrapped around every for-loop's iterable at compile time
REFUSED_NODES = {
    # set/with could double a string on every statement (memory); data fields and filters suffice
    nodes.Assign: "set 赋值",
    nodes.AssignBlock: "set 块",
    nodes.With: "with 块",
    nodes.Macro: "宏定义（macro）",
    nodes.CallBlock: "call 块",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
    nodes.Extends: "extends",
    nodes.Block: "block",
}
UNSAFE_NAMES = {"mro", "func_globals", "f_globals", "gi_frame", "gi_code", "cr_frame", "cr_code",
                "ag_code", "ag_frame", "tb_frame", "co_code", "format", "format_map", "__class__"}


class RenderError(Exception):
    """A template the sandbox refused or that failed on the data; message in Chinese."""


def _finalize(value: Any) -> Any:
    if value is None:
        raise RenderError("模板输出了空值（数据中没有该项，请在条件中用 present(…) 判断）")
    if isinstance(value, bool):
        raise RenderError("模板输出了真假值")
    if isinstance(value, (int, float, Decimal)):
        raise RenderError(f"模板输出了没有来源的数字“{value}”：数字只能来自数据字段")
    return value


class PhraseSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "//", "+"})
    intercepted_unops = frozenset()

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=False, finalize=_finalize,
                         trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
        self.filters = {k: v for k, v in self.filters.items() if k in SAFE_BUILTIN_FILTERS}
        self.filters.update(FILTERS)
        self.filters[LOOP_FILTER] = _loop_budget
        self.globals = dict(GLOBALS)
        self._allowed_calls = set(id(f) for f in GLOBALS.values())

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            raise SecurityError("模板中不允许使用 % 格式化字符串")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                    raise SecurityError("模板试图生成过长的内容，已拒绝")
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise SecurityError("模板中的乘方过大，已拒绝")
        if operator in ("*", "**") and _too_big(operator, left, right):
            # 2**64**64, (9**64)**64 …: a big integer grows without bound in memory and time
            raise SecurityError(f"模板中的算式结果过大（超过 {MAX_INT_BITS} 位二进制），已拒绝")
        if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            if len(left) + len(right) > MAX_OUTPUT:
                raise SecurityError("模板试图生成过长的内容，已拒绝")
        if isinstance(left, Sourced) or isinstance(right, Sourced):
            raise SecurityError("数据中的数字不能在模板中计算，请使用提供的字段")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if id(__obj) not in __self._allowed_calls and not _is_loop_helper(__obj):
            name = getattr(__obj, "__name__", type(__obj).__name__)
            raise SecurityError(f"模板中不允许调用“{name}”")
        return super().call(__context, __obj, *args, **kwargs)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_") or attr in UNSAFE_NAMES:
            return False
        return super().is_safe_attribute(obj, attr, value)


MAX_INT_BITS = 256  # an integer a template computes; a report needs none (its numbers come from the data)


def _too_big(operator: str, left: Any, right: Any) -> bool:
    """Whether `left <operator> right` on integers would pass MAX_INT_BITS, judged before computing."""
    if not (isinstance(left, int) and isinstance(right, int)):
        return False
    if operator == "*":
        return left.bit_length() + right.bit_length() > MAX_INT_BITS
    if abs(left) <= 1 or right <= 0:
        return False
    return left.bit_length() * right > MAX_INT_BITS


def _static_bits(node: Any) -> int:
    """Bits of an integer expression of constants, estimated as _too_big does (0 when unknown)."""
    if isinstance(node, nodes.Const):
        v = node.value
        return v.bit_length() if isinstance(v, int) and not isinstance(v, bool) else 0
    if isinstance(node, nodes.Mul):
        return _static_bits(node.left) + _static_bits(node.right)
    if isinstance(node, nodes.Pow) and isinstance(node.right, nodes.Const) and isinstance(node.right.value, int):
        base = _static_bits(node.left)
        return base * node.right.value if base > 1 else 0
    return 0


MARKER_CHARS = "\ue000\ue001\ue002"  # values.OPEN/MID/CLOSE: a template must not forge a sourced span


def _is_loop_helper(obj: Any) -> bool:
    owner = getattr(obj, "__self__", None)
    return type(owner).__name__ in ("LoopContext", "AsyncLoopContext") and getattr(obj, "__name__", "") == "cycle"


SAFE_BUILTIN_FILTERS = {"join", "length", "count", "first", "last", "default", "d", "list", "reverse",
                        "selectattr", "rejectattr", "map", "select", "reject", "unique"}

_ENV: PhraseSandbox | None = None


def env() -> PhraseSandbox:
    global _ENV
    if _ENV is None:
        _ENV = PhraseSandbox()
    return _ENV


_STEPS = [0]  # loop iterations of the rendering in progress (reset by render)


def _loop_budget(seq: Any):
    """Every for-loop iterates through this: nested loops over data cannot run for ever."""
    for item in seq:
        _STEPS[0] += 1
        if _STEPS[0] > MAX_LOOP_STEPS:
            raise SecurityError("循环次数过多：" + exceeded("MAX_LOOP_STEPS", MAX_LOOP_STEPS))
        yield item


def check_ast(source: str) -> list[str]:
    """Constructs the bank refuses before rendering (Chinese messages)."""
    out = []
    if len(source) > MAX_TEMPLATE_CHARS:
        return ["模板过长：" + exceeded("MAX_TEMPLATE_CHARS", MAX_TEMPLATE_CHARS, len(source))]
    if any(ch in source for ch in MARKER_CHARS):
        return ["模板中含有本工具内部用于标记数据来源的私用区字符（U+E000—U+E002），"
                "可能是伪造的数据来源；请删除这些字符"]
    tree = env().parse(source)
    for node in tree.find_all((nodes.Pow, nodes.Mul)):
        nested = isinstance(node, nodes.Pow) and (isinstance(node.left, nodes.Pow) or isinstance(node.right, nodes.Pow))
        if nested or _static_bits(node) > MAX_INT_BITS:
            out.append("模板中的算式（如 9**64**64、10**60 * 10**60 …）结果过大，会耗尽内存，沙箱会拒绝")
            break
    for node in tree.find_all(nodes.Mul):
        seq, n = ((node.left, node.right) if isinstance(node.left, (nodes.List, nodes.Tuple)) or (
            isinstance(node.left, nodes.Const) and isinstance(node.left.value, str)) else (node.right, node.left))
        if isinstance(n, nodes.Const) and isinstance(n.value, int) and not isinstance(n.value, bool):
            length = len(seq.items) if isinstance(seq, (nodes.List, nodes.Tuple)) else (
                len(seq.value) if isinstance(seq, nodes.Const) and isinstance(seq.value, str) else None)
            if length is not None and length * n.value > MAX_REPEAT:
                out.append("模板用 * 生成过长的文字或列表：" + exceeded("MAX_REPEAT", MAX_REPEAT, length * n.value))
                break
        elif isinstance(seq, nodes.Mul) or isinstance(n, nodes.Mul):
            if any(isinstance(x, (nodes.List, nodes.Tuple)) for x in node.find_all((nodes.List, nodes.Tuple))):
                out.append("模板中有嵌套的列表乘法（如 [1]*200*200），沙箱会拒绝")
                break
    for cls, what in REFUSED_NODES.items():
        if any(True for _ in tree.find_all(cls)):
            out.append(f"模板中不允许使用{what}")
    for node in tree.find_all(nodes.Getattr):
        if node.attr.startswith("_") or node.attr in UNSAFE_NAMES:
            out.append(f"模板访问了不安全的属性“{node.attr}”，沙箱会拒绝")
    for node in tree.find_all(nodes.Getitem):
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str) and node.arg.value.startswith("_"):
            out.append(f"模板访问了不安全的属性“{node.arg.value}”，沙箱会拒绝")
    for node in tree.find_all(nodes.Name):
        if node.name == "range":
            out.append("模板中不允许使用 range")
    for node in tree.find_all(ARITHMETIC_NODES_T):
        if isinstance(node, nodes.Add) and _is_text(node.left) and _is_text(node.right):
            continue
        if isinstance(node, nodes.Mul) and (_is_text(node.left) or _is_text(node.right)):
            continue  # repeating a text ('—' * 3) is not arithmetic; MAX_REPEAT bounds it
        op = ARITHMETIC_NODES[type(node)]
        out.append(f"模板中不能对数字做{op}运算：算出的数字没有数据来源，核对时无从查证。"
                   "求和请用 total(a, b)（见 docs/phrasebank-guide.md）；差值、比例等请作为数据字段填写")
        break
    return out


ARITHMETIC_NODES = {nodes.Add: "加法", nodes.Sub: "减法", nodes.Mul: "乘法", nodes.Div: "除法",
                    nodes.FloorDiv: "整除", nodes.Mod: "取余", nodes.Pow: "乘方", nodes.Neg: "取负"}
ARITHMETIC_NODES_T = tuple(ARITHMETIC_NODES)


def _is_text(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Const) and isinstance(node.value, str)


def field_chain(node: nodes.Node) -> str | None:
    """The dotted field path a template expression names (table3.r1.total, items[0]), or None."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = field_chain(node.node)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem):
        base = field_chain(node.node)
        if base and isinstance(node.arg, nodes.Const):
            a = node.arg.value
            return f"{base}[{a}]" if isinstance(a, int) else f"{base}.{a}"
    return None


_COMPILED: dict[str, Any] = {}


def compile_template(source: str) -> Any:
    t = _COMPILED.get(source)
    if t is None:
        problems = check_ast(source)
        if problems:
            raise RenderError(problems[0])
        tree = env().parse(source)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, LOOP_FILTER, [], [], None, None, lineno=loop.lineno)
        t = env().from_string(tree)
        if len(_COMPILED) > 5000:
            _COMPILED.clear()
        _COMPILED[source] = t
    return t


def render(source: str, context: dict[str, Any], limit: int = MAX_OUTPUT) -> str:
    """Render one template in the sandbox; raises RenderError with a Chinese message."""
    try:
        t = compile_template(source)
        _STEPS[0] = 0
        out, size = [], 0
        for chunk in t.generate(context):
            size += len(chunk)
            if size > limit:
                raise RenderError("模板输出过长，已中止（可能是循环失控）：" + exceeded("MAX_OUTPUT", limit, size))
            out.append(chunk)
        return "".join(out)
    except RenderError:
        raise
    except SecurityError as e:
        raise RenderError(f"沙箱拒绝了模板：{_zh_security(e)}") from None
    except TemplateError as e:
        raise RenderError(f"模板错误：{_zh_template(e)}") from None
    except RecursionError:
        raise RenderError("模板递归过深，已中止") from None
    except MemoryError:
        raise RenderError("模板生成的内容过大，已中止") from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ArithmeticError, LookupError) as e:
        raise RenderError(f"模板求值出错：{e}") from None


def _zh_security(e: Exception) -> str:
    msg = str(e)
    if "unsafe" in msg or "access to attribute" in msg:
        return f"访问了不安全的属性（{msg}）"
    return msg


def _zh_template(e: Exception) -> str:
    msg = str(e)
    if "is undefined" in msg:
        return f"使用了未定义的字段（{msg}）"
    return msg


def to_spans(text: str, rule: str | None) -> list[Span]:
    """Split rendered text into spans; a digit outside a marker is an error."""
    spans: list[Span] = []
    pos = 0
    for m in MARK_RE.finditer(text):
        if m.start() > pos:
            spans.append(Span(text[pos:m.start()], None, rule))
        spans.append(Span(m.group(2), m.group(1), rule))
        pos = m.end()
    if pos < len(text):
        spans.append(Span(text[pos:], None, rule))
    for s in spans:
        if s.source is None:
            if any(ch in s.text for ch in "\ue000\ue001\ue002"):
                raise RenderError("模板输出中有不完整的数据标记")
            d = DIGIT_RE.search(s.text)
            if d:
                raise RenderError(f"模板输出了没有来源的数字“{d.group()}”（在“{s.text.strip()[:30]}”中）；"
                                  "数字只能来自数据字段")
    return merge_spans(spans)


def merge_spans(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if out and s.source is None and out[-1].source is None and out[-1].rule == s.rule:
            out[-1] = Span(out[-1].text + s.text, None, s.rule)
        else:
            out.append(s)
    return out


def plain(text: str) -> str:
    return strip_marks(text)


__all__ = ["RenderError", "render", "to_spans", "check_ast", "env", "plain", "Num"]
