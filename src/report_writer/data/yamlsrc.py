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
        if node.tag == "tag:yaml.org,2002:float":
            try:
                return Decimal(node.value.replace("_", ""))
            except InvalidOperation:
                return self.loader.construct_object(node)
        return self.loader.construct_object(node)


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
        value = json.loads(text, parse_float=Decimal)
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
