"""YAML/JSON text to plain Python data, remembering the line of every field.

PyYAML's composer gives node positions; we construct values ourselves so that
each field path (meta.year, table3.r1[0]) maps to its line, floats keep the
digits the clerk wrote (Decimal, not binary float), duplicate keys are refused
and alias bombs stop at a node budget instead of exhausting memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml

from ..limits import exceeded, limit

MAX_NODES = limit("MAX_NODES")
MAX_DEPTH = limit("MAX_DEPTH")
MAX_NUMBER_DIGITS = limit("MAX_NUMBER_DIGITS")


class SourceError(Exception):
    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class Source:
    value: object
    lines: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (line, column), 1-based

    def line_of(self, path: str) -> tuple[int, int] | None:
        """The position of `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None


def join(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


class _Builder:
    def __init__(self, loader: yaml.SafeLoader):
        self.loader = loader
        self.lines: dict[str, tuple[int, int]] = {}
        self.budget = MAX_NODES

    def build(self, node: yaml.Node, path: str, depth: int = 0) -> object:
        self.budget -= 1
        if self.budget < 0:
            raise SourceError("数据文件结构过于庞大（可能是 YAML 别名炸弹），已拒绝读取：" + exceeded("MAX_NODES", MAX_NODES))
        if depth > MAX_DEPTH:
            raise SourceError("数据嵌套过深，已拒绝读取：" + exceeded("MAX_DEPTH", MAX_DEPTH), node.start_mark.line + 1)
        self.lines.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            out: dict = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int)):
                    raise SourceError(f"字段名应为文字，实为“{key!r}”", key_node.start_mark.line + 1)
                key = str(key)
                if key in out:
                    raise SourceError(f"字段“{join(path, key)}”重复出现", key_node.start_mark.line + 1,
                                      key_node.start_mark.column + 1)
                child = join(path, key)
                self.lines[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.build(value_node, child, depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(v, join(path, i), depth + 1) for i, v in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> object:
        """One scalar, refused with a Chinese message where PyYAML would crash, hang or surprise."""
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        tag = node.tag.rsplit(":", 1)[-1]
        if node.tag not in _PLAIN_TAGS:
            raise SourceError(f"数据文件中不应有“!!{tag}”之类的特殊标记（{node.tag[:60]}）；"
                              "数字、文字、日期直接填写即可，文字中的“!”请用引号括起", line, col)
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            problem = number_problem(node.value)
            if problem:
                raise SourceError(problem, line, col)
        if node.tag == "tag:yaml.org,2002:float":
            try:
                return Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                pass
        try:
            return self.loader.construct_object(node)
        except ValueError as e:  # 2023-13-45, Feb 30: PyYAML lets datetime raise
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise SourceError(f"日期“{node.value[:40]}”不存在（{_date_problem_zh(e)}），"
                                  "请按“年-月-日”填写真实的日期，如 2021-01-20", line, col) from None
            raise SourceError(f"无法读取的值“{node.value[:40]}”", line, col) from None


_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}


def number_problem(text: str) -> str | None:
    """Why a number as written cannot be a figure of a report, or None.

    Python refuses to convert integers of more than 4,300 digits (ValueError), and Decimal
    accepts 1e+999999999, which then hangs or overflows when it is printed or summed: both
    are bounded here by MAX_NUMBER_DIGITS. Infinity and NaN are no count of anything.
    """
    t = text.strip().replace("_", "").lstrip("+-")
    low = t.lower()
    if low in (".inf", "inf", "infinity", ".nan", "nan"):
        return f"“{text[:20]}”（无穷大或非数字）不是有效的数字，请填写实际数字"
    mantissa, _, exp = low.partition("e")
    digits = sum(ch.isdigit() for ch in mantissa)
    if digits > MAX_NUMBER_DIGITS:
        return f"数字“{text[:20]}…”位数过多：" + exceeded("MAX_NUMBER_DIGITS", MAX_NUMBER_DIGITS, digits)
    if exp:
        try:
            e = int(exp[:12])
        except ValueError:
            return None
        if abs(e) > MAX_NUMBER_DIGITS or len(exp) > 12:
            return (f"数字“{text[:20]}”的指数过大，请直接写出实际数字："
                    + exceeded("MAX_NUMBER_DIGITS", MAX_NUMBER_DIGITS))
    return None


def _date_problem_zh(e: ValueError) -> str:
    msg = str(e)
    if "day" in msg:
        return "该月没有这一天"
    if "month" in msg:
        return "月份应在 1 至 12 之间"
    return "年、月或日超出范围"


class _Loader(yaml.SafeLoader):
    """PyYAML's composer recurses once per nesting level: stop at MAX_DEPTH, not at a RecursionError."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:
                mark = self.peek_event().start_mark
                raise SourceError("数据嵌套过深，已拒绝读取：" + exceeded("MAX_DEPTH", MAX_DEPTH),
                                  mark.line + 1, mark.column + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def parse_yaml(text: str) -> Source:
    try:
        loader = _Loader(text)  # the reader refuses control characters right here
    except yaml.reader.ReaderError as e:
        raise SourceError(_reader_problem(e, text), *_reader_position(e, text)) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return Source(None)
        builder = _Builder(loader)
        value = builder.build(node, "")
        return Source(value, builder.lines)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = YAML_PROBLEMS_ZH.get(e.problem or "", e.problem or "")
        raise SourceError(f"YAML 格式错误：{problem}", mark.line + 1 if mark else None,
                          mark.column + 1 if mark else None) from None
    except yaml.reader.ReaderError as e:
        raise SourceError(_reader_problem(e, text), *_reader_position(e, text)) from None
    except yaml.YAMLError as e:
        raise SourceError(f"YAML 格式错误：{e}") from None
    finally:
        loader.dispose()


def _reader_problem(e: "yaml.reader.ReaderError", text: str) -> str:
    char = e.character if isinstance(e.character, int) else None
    what = f"（U+{char:04X}）" if char is not None else ""
    return f"YAML 格式错误：文件中含有不允许的控制字符{what}，可能是文件已损坏或从其他程序复制时带入，请删除该字符后重试"


def _reader_position(e: "yaml.reader.ReaderError", text: str) -> tuple[int | None, int | None]:
    pos = e.position if isinstance(e.position, int) else None
    if pos is None or pos > len(text):
        return None, None
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def parse_json(text: str) -> Source:
    try:
        value = json.loads(text, parse_float=_json_float, parse_int=_json_int, parse_constant=_json_constant)
    except SourceError:
        raise
    except json.JSONDecodeError as e:
        raise SourceError(f"JSON 格式错误：{e.msg}", e.lineno, e.colno) from None
    except RecursionError:
        raise SourceError("数据嵌套过深，已拒绝读取：" + exceeded("MAX_DEPTH", MAX_DEPTH)) from None
    _check_shape(value)
    try:  # JSON is YAML: reuse the composer only for line numbers
        lines = parse_yaml(text).lines
    except SourceError:
        lines = {}
    return Source(value, lines)


def _json_number(text: str) -> None:
    problem = number_problem(text)
    if problem:
        raise SourceError(problem)


def _json_float(text: str) -> Decimal:
    _json_number(text)
    return Decimal(text)


def _json_int(text: str) -> int:
    _json_number(text)
    return int(text)


def _json_constant(text: str) -> object:
    raise SourceError(f"JSON 中的“{text}”（无穷大或非数字）不是有效的数字，请填写实际数字")


def _check_shape(value: object) -> None:
    """The depth and node limits of YAML, for JSON (which has no aliases but may nest deeply)."""
    stack, nodes = [(value, 0)], 0
    while stack:
        v, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise SourceError("数据文件结构过于庞大，已拒绝读取：" + exceeded("MAX_NODES", MAX_NODES))
        if depth > MAX_DEPTH:
            raise SourceError("数据嵌套过深，已拒绝读取：" + exceeded("MAX_DEPTH", MAX_DEPTH))
        if isinstance(v, dict):
            stack.extend((x, depth + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, depth + 1) for x in v)


YAML_PROBLEMS_ZH = {
    "mapping values are not allowed here": "此处不允许出现“键: 值”，通常是缩进错误或冒号后缺少空格",
    "could not find expected ':'": "缺少冒号“:”",
    "found character '\\t' that cannot start any token": "含有制表符（Tab），请改用空格缩进",
    "expected <block end>, but found '-'": "列表项缩进不一致",
    "found undefined alias": "引用了未定义的别名",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "did not find expected key": "缩进错误，未找到预期的字段",
    "did not find expected '-' indicator": "列表缩进错误",
    "found duplicate anchor": "锚点重复",
}
