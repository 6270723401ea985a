"""Data values that remember where they came from.

Templates never see bare numbers or texts of the data: they see `Num`, `Txt` and
`DateVal`, which render to private-use-delimited markers carrying the field path
(`\\ue000source\\ue001text\\ue002`). After rendering, the markers are split back into
`Span`s, so every number and every piece of clerk text in the narrative keeps its
source. A number a template prints without going through these wrappers is refused.

Field paths are the data file's own: `overview.platforms.press_conferences`,
`table3.r1.total`, `problems[0].text`, `meta.year`. A source may also be a sum
(`table3.r1.total+table3.r2.total`), a group row of the format (`table3.g3_3.total`,
the sum of its children) or a year-on-year change (`yoy(table3.r1.total,previous.table3.r1.total)`).
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from decimal import Decimal
from typing import Any, Iterator

from pydantic import BaseModel

from ..data.model import PROBLEM_CATEGORIES, Cell, Count, ReportData, format_decimal

OPEN, MID, CLOSE = "\ue000", "\ue001", "\ue002"
MARK_RE = re.compile(f"{OPEN}([^{MID}]*){MID}([^{CLOSE}]*){CLOSE}")
DIGIT_RE = re.compile(r"[0-9０-９]+")


def mark(source: str, text: str) -> str:
    return f"{OPEN}{source}{MID}{text}{CLOSE}"


def strip_marks(text: str) -> str:
    return MARK_RE.sub(lambda m: m.group(2), text)


class Sourced:
    """Base of the wrappers; `scalar_value` is what conditions compare."""

    __slots__ = ()

    def scalar_value(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError


class Num(Sourced):
    """A number of the data: renders as official prose writes it (23, 近300, 3万余)."""

    __slots__ = ("_value", "_source", "_count")

    def __init__(self, value: Decimal | int, source: str, count: Count | None = None):
        self._value = Decimal(value)
        self._source = source
        self._count = count

    def scalar_value(self) -> Decimal:
        return self._count.magnitude() if self._count is not None else self._value

    def text(self) -> str:
        return self._count.text() if self._count is not None else format_decimal(self._value)

    @property
    def exact(self) -> bool:
        return self._count is None or self._count.exact

    @property
    def approx(self) -> bool:
        return not self.exact

    def __str__(self) -> str:
        return mark(self._source, self.text())

    __html__ = __str__

    def __repr__(self) -> str:
        return f"Num({self.text()!r}, {self._source!r})"

    def __bool__(self) -> bool:
        return self.scalar_value() != 0

    def _other(self, o: Any) -> Any:
        if isinstance(o, Num):
            return o.scalar_value()
        if isinstance(o, bool):
            return None
        if isinstance(o, (int, Decimal)):
            return Decimal(o)
        if isinstance(o, float):
            return Decimal(str(o))
        return None

    def __eq__(self, o: Any) -> bool:
        v = self._other(o)
        return v is not None and self.scalar_value() == v

    def __ne__(self, o: Any) -> bool:
        return not self.__eq__(o)

    def __hash__(self) -> int:
        return hash((self._source, self._value))

    def _cmp(self, o: Any, op: str) -> bool:
        v = self._other(o)
        if v is None:
            raise TypeError("只能与数字比较")
        a = self.scalar_value()
        return {"<": a < v, "<=": a <= v, ">": a > v, ">=": a >= v}[op]

    def __lt__(self, o: Any) -> bool:
        return self._cmp(o, "<")

    def __le__(self, o: Any) -> bool:
        return self._cmp(o, "<=")

    def __gt__(self, o: Any) -> bool:
        return self._cmp(o, ">")

    def __ge__(self, o: Any) -> bool:
        return self._cmp(o, ">=")


class Txt(Sourced):
    """A text of the data (a highlight, a document title, an address)."""

    __slots__ = ("_text", "_source")

    def __init__(self, text: str, source: str):
        self._text = text
        self._source = source

    def scalar_value(self) -> str:
        return self._text

    def __str__(self) -> str:
        return mark(self._source, self._text)

    __html__ = __str__

    def __repr__(self) -> str:
        return f"Txt({self._text!r}, {self._source!r})"

    def __bool__(self) -> bool:
        return bool(self._text)

    def __len__(self) -> int:
        return len(self._text)

    def __eq__(self, o: Any) -> bool:
        return self._text == (o._text if isinstance(o, Txt) else o)

    def __hash__(self) -> int:
        return hash(self._text)


class DateVal(Sourced):
    """A date of the data: 2023年4月18日 (filters md, ym for shorter forms)."""

    __slots__ = ("_date", "_source")

    def __init__(self, date: dt.date, source: str):
        self._date = date
        self._source = source

    def scalar_value(self) -> dt.date:
        return self._date

    def render(self, form: str = "ymd") -> str:
        d = self._date
        text = {"ymd": f"{d.year}年{d.month}月{d.day}日", "md": f"{d.month}月{d.day}日",
                "ym": f"{d.year}年{d.month}月", "m": f"{d.month}月"}[form]
        return mark(self._source, text)

    def __str__(self) -> str:
        return self.render()

    __html__ = __str__

    def __bool__(self) -> bool:
        return True


class Node:
    """A model object or mapping seen from a template: attributes are wrapped children."""

    __slots__ = ("_obj", "_path", "_ctx")

    def __init__(self, obj: Any, path: str, ctx: "DataView"):
        self._obj, self._path, self._ctx = obj, path, ctx

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        obj = self._obj
        path = f"{self._path}.{name}" if self._path else name
        if isinstance(obj, BaseModel):
            if name not in type(obj).model_fields:
                raise AttributeError(name)
            return self._ctx.wrap(getattr(obj, name), path)
        if isinstance(obj, dict):
            if name not in obj:
                raise AttributeError(name)
            return self._ctx.wrap(obj[name], path)
        raise AttributeError(name)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.__getattr__(name)
        except AttributeError:
            raise KeyError(name) from None

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"Node({self._path})"


class ListNode:
    __slots__ = ("_items", "_path", "_ctx")

    def __init__(self, items: list, path: str, ctx: "DataView"):
        self._items, self._path, self._ctx = items, path, ctx

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __iter__(self) -> Iterator[Any]:
        for i, v in enumerate(self._items):
            yield self._ctx.wrap(v, f"{self._path}[{i}]")

    def __getitem__(self, i: int) -> Any:
        if not isinstance(i, int) or isinstance(i, bool):
            raise TypeError("序号应为整数")
        if i < 0:
            i += len(self._items)
        return self._ctx.wrap(self._items[i], f"{self._path}[{i}]")

    def __repr__(self) -> str:
        return f"ListNode({self._path}, {len(self._items)})"


class SubList(ListNode):
    """Some items of a data list, each keeping its own path (improvements[2] stays improvements[2])."""

    __slots__ = ("_paths",)

    def __init__(self, items: list, paths: list[str], path: str, ctx: "DataView"):
        super().__init__(items, path, ctx)
        self._paths = paths

    def __iter__(self) -> Iterator[Any]:
        for v, p in zip(self._items, self._paths):
            yield self._ctx.wrap(v, p)

    def __getitem__(self, i: int) -> Any:
        if not isinstance(i, int) or isinstance(i, bool):
            raise TypeError("序号应为整数")
        return self._ctx.wrap(self._items[i], self._paths[i])


class TableNode:
    """table3.r1.total → Num; a cell that holds no number (empty, "/") is absent (None)."""

    __slots__ = ("_table", "_row", "_ctx", "_path")

    def __init__(self, table: dict, path: str, ctx: "DataView", row: dict | None = None):
        self._table, self._path, self._ctx, self._row = table, path, ctx, row

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        path = f"{self._path}.{name}"
        if self._row is None:
            if name in self._table:
                return TableNode(self._table, path, self._ctx, self._table[name])
            kids = self._ctx.group_children(self._path.split(".")[-1], name)
            if kids:
                return GroupRow(self._table, path, kids, self._ctx)
            raise AttributeError(name)
        cell = self._row.get(name)
        if cell is None:
            raise AttributeError(name)
        return self._ctx.wrap(cell, path)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.__getattr__(name)
        except AttributeError:
            raise KeyError(name) from None

    def __bool__(self) -> bool:
        return True


class GroupRow:
    """A group row of the format (table3.g3_3 不予公开): each column is the sum of its children."""

    __slots__ = ("_table", "_path", "_kids", "_ctx")

    def __init__(self, table: dict, path: str, kids: list[str], ctx: "DataView"):
        self._table, self._path, self._kids, self._ctx = table, path, kids, ctx

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        total, seen = Decimal(0), False
        for k in self._kids:
            c = self._table.get(k, {}).get(name)
            if c is not None and c.is_number:
                total += c.value
                seen = True
        if not seen:
            return None
        return Num(total, f"{self._path}.{name}")

    def __bool__(self) -> bool:
        return True


# ---------------------------------------------------------------- the whole data as seen by templates

# Derived request facts: name -> source expression (sums of table cells, by format).
REQUEST_FACTS: dict[str, dict[str, str]] = {
    "received": {"*": "table3.r1.total"},
    "carried": {"*": "table3.r2.total"},
    "handled": {"*": "table3.r1.total+table3.r2.total"},
    "done": {"*": "table3.r3_7.total"},
    "open": {"*": "table3.r3_1.total"},
    "partial": {"*": "table3.r3_2.total"},
    "refused": {"*": "table3.g3_3.total"},
    "unable": {"*": "table3.g3_4.total"},
    "not_processed": {"*": "table3.g3_5.total"},
    "other": {"2019": "table3.r3_6.total", "*": "table3.g3_6.total"},
    "next": {"*": "table3.r4.total"},
    "natural": {"*": "table3.r1.natural"},
    "legal": {"*": "table3.r1.business+table3.r1.research+table3.r1.nonprofit+table3.r1.legal+table3.r1.other"},
    "reviews": {"*": "table4.review.total"},
    "review_upheld": {"*": "table4.review.upheld"},
    "review_corrected": {"*": "table4.review.corrected"},
    "review_other": {"*": "table4.review.other"},
    "review_pending": {"*": "table4.review.pending"},
    "suits": {"*": "table4.direct.total+table4.after_review.total"},
    "suits_upheld": {"*": "table4.direct.upheld+table4.after_review.upheld"},
    "suits_corrected": {"*": "table4.direct.corrected+table4.after_review.corrected"},
    "suits_other": {"*": "table4.direct.other+table4.after_review.other"},
    "suits_pending": {"*": "table4.direct.pending+table4.after_review.pending"},
}
# Lists of (label, n) for the non-zero reasons of a group (labels from the format, without "1.").
REQUEST_LISTS = {"refused_reasons": "g3_3", "unable_reasons": "g3_4", "not_processed_reasons": "g3_5",
                 "other_reasons": "g3_6"}
# Lists of (label, n) of the non-zero outcomes, in the order of the form.
REQUEST_OUTCOMES: dict[str, list[tuple[str, str]]] = {
    "outcomes": [("予以公开", "open"), ("部分公开", "partial"), ("不予公开", "refused"), ("无法提供", "unable"),
                 ("不予处理", "not_processed"), ("其他处理", "other")],
    "review_results": [("结果维持", "review_upheld"), ("结果纠正", "review_corrected"), ("其他结果", "review_other"),
                       ("尚未审结", "review_pending")],
    "suit_results": [("结果维持", "suits_upheld"), ("结果纠正", "suits_corrected"), ("其他结果", "suits_other"),
                     ("尚未审结", "suits_pending")],
}

ROOTS = ("meta", "overview", "problems", "improvements", "improvements_done", "improvements_planned",
         "previous_remedies", "other", "previous",
         "table2", "table3", "table4", "format", "req", "self_ref", "change")


def self_reference(body: str) -> str:
    """How the body names itself in its own report: 我县, 我局, 本机关 …"""
    for suffix, word in (("街道办事处", "我街道"), ("委员会", "我委"), ("办公室", "我办"), ("管理局", "我局"),
                         ("局", "我局"), ("厅", "我厅"), ("委", "我委"), ("中心", "我中心"), ("署", "我署")):
        if body.endswith(suffix):
            return word
    if body.endswith("人民政府"):
        place = body[: -len("人民政府")]
        if place and place[-1] in "省市县区镇乡旗州盟":
            return "我" + place[-1]
    return "本机关"


class DataView:
    """The data of one report, wrapped for templates and conditions."""

    def __init__(self, data: ReportData, fmt: Any):
        self.data, self.fmt = data, fmt
        self._groups: dict[tuple[str, str], list[str]] = {}
        for tid, table in fmt.tables.items():
            for r in table.rows:
                if r.parent:
                    self._groups.setdefault((tid, r.parent), []).append(r.id)

    def group_children(self, table: str, group: str) -> list[str]:
        return self._groups.get((table, group), [])

    def wrap(self, v: Any, path: str) -> Any:
        if v is None or isinstance(v, bool):
            return v
        if isinstance(v, Count):
            return Num(v.magnitude(), path, v)
        if isinstance(v, Cell):
            return Num(v.value, path) if v.is_number else None
        if isinstance(v, (int, Decimal)):
            return Num(v, path)
        if isinstance(v, float):
            return Num(Decimal(str(v)), path)
        if isinstance(v, str):
            return Txt(v, path)
        if isinstance(v, dt.date):
            return DateVal(v, path)
        if isinstance(v, (list, tuple)):
            return ListNode(list(v), path, self)
        if isinstance(v, (BaseModel, dict)):
            return Node(v, path, self)
        raise TypeError(f"无法在模板中使用的数据：{path}")

    def root(self, name: str) -> Any:
        d = self.data
        if name in ("table2", "table3", "table4"):
            t = d.tables.get(name)
            return TableNode(t, name, self) if t is not None else None
        if name == "format":
            return Node({"id": self.fmt.id, "notice": {"number": self.fmt.notice.number,
                                                       "title": self.fmt.notice.title}}, "format", self)
        if name == "req":
            return Node(self.request_facts(), "req", self)
        if name == "previous":
            if d.previous is None:
                return None
            prev = {"year": d.previous.year, **{k: _PrevTable(v) for k, v in d.previous.tables.items()}}
            if d.previous.overview is not None:
                prev["overview"] = d.previous.overview
            return Node(prev, "previous", self)
        if name == "change":
            from .changes import changes

            return Node(changes(self, Num), "change", self)
        if name == "self_ref":
            return self_reference(d.meta.body)
        if name in ("improvements_done", "improvements_planned"):
            return self.improvements_by_tense(name == "improvements_done")
        if name in ("meta", "overview", "problems", "improvements", "previous_remedies", "other"):
            return self.wrap(getattr(d, name), name)
        raise AttributeError(name)

    def improvements_by_tense(self, done: bool) -> SubList:
        """The improvements taken this year (or the planned ones), in the order of the problems
        they answer, so that 一是、二是 of the measures follow 一是、二是 of the problems."""
        from ..data.tense import improvement_done

        rank = {p.id: k for k, p in enumerate(self.data.problems)}
        picked = [(k, imp) for k, imp in enumerate(self.data.improvements)
                  if improvement_done(imp, self.data.meta.year) == done]
        picked.sort(key=lambda ki: (rank.get(ki[1].problem or "", len(rank)), ki[0]))
        return SubList([imp for _, imp in picked], [f"improvements[{k}]" for k, _ in picked],
                       "improvements_done" if done else "improvements_planned", self)

    def request_facts(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, by_fmt in REQUEST_FACTS.items():
            src = by_fmt.get(self.fmt.id, by_fmt["*"])
            out[name] = _Derived(src)
        for name, group in REQUEST_LISTS.items():
            out[name] = _Reasons(group)
        for name, parts in REQUEST_OUTCOMES.items():
            items = []
            for label, key in parts:
                n = self.wrap(out[key], f"req.{key}")
                if n is not None and n:
                    items.append({"label": _Label(label), "n": n})
            out[name] = _Plain(items)
        return out

    def context(self) -> dict[str, Any]:
        return {name: self.root(name) for name in ROOTS}

    # -- resolving a path or a source expression

    def lookup(self, path: str, extra: dict[str, Any] | None = None) -> Any:
        """The wrapped value at `path` (None when missing)."""
        parts = split_path(path)
        if not parts:
            return None
        head = parts[0]
        try:
            if extra and head in extra:
                cur = extra[head]
            elif head in ROOTS:
                cur = self.root(head)
            else:
                return None
            for p in parts[1:]:
                if cur is None:
                    return None
                if isinstance(p, int):
                    cur = cur[p] if isinstance(cur, ListNode) and p < len(cur) else None
                else:
                    cur = getattr(cur, p)
        except (AttributeError, KeyError, IndexError, TypeError):
            return None
        return cur

    def source_value(self, source: str) -> Any:
        """The value a span's source names: a Decimal for numbers, a str for texts, a date."""
        source = source.strip()
        m = re.fullmatch(r"yoy\(([^,]+),([^)]+)\)", source)
        if m:
            cur, prev = self.source_value(m.group(1)), self.source_value(m.group(2))
            if cur is None or not prev:
                return None
            return ((cur - prev) / prev * 100).quantize(Decimal("0.1"))
        if "+" in source:
            vals = [self.source_value(s) for s in source.split("+")]
            if any(v is None for v in vals):
                return None
            return sum(vals, Decimal(0))
        v = self.lookup(source)
        return v.scalar_value() if isinstance(v, Sourced) else v


class _Derived:
    """A request fact whose source is a sum of table cells; resolved in DataView.wrap via Node."""

    __slots__ = ("source",)

    def __init__(self, source: str):
        self.source = source


class _Reasons:
    __slots__ = ("group",)

    def __init__(self, group: str):
        self.group = group


class _PrevTable(dict):
    pass


class _Plain:
    """A list already wrapped (outcomes): items are dicts of wrapped values."""

    __slots__ = ("items",)

    def __init__(self, items: list):
        self.items = items


def split_path(path: str) -> list[str | int]:
    out: list[str | int] = []
    for m in re.finditer(r"([A-Za-z][A-Za-z0-9_]*)|\[(\d+)\]", path):
        out.append(m.group(1) if m.group(1) else int(m.group(2)))
    return out


# Hook the derived facts into wrapping (kept here so DataView.wrap stays readable).
_base_wrap = DataView.wrap


def _wrap(self: DataView, v: Any, path: str) -> Any:
    if isinstance(v, _Derived):
        parts = v.source.split("+")
        vals = [self.lookup(p) for p in parts]
        if any(x is None for x in vals):
            return None
        if len(vals) == 1:
            return Num(vals[0].scalar_value(), v.source)
        return Num(sum((x.scalar_value() for x in vals), Decimal(0)), v.source)
    if isinstance(v, _Reasons):
        table = self.data.tables.get("table3")
        if table is None:
            return ListNode([], path, self)
        items = []
        for rid in self.group_children("table3", v.group):
            c = table.get(rid, {}).get("total")
            if c is not None and c.is_number and c.value:
                label = re.sub(r"^\d+\.", "", self.fmt.table("table3").row(rid).label)
                label = re.sub(r"（.*?）$", "", label)
                items.append({"label": _Label(label), "n": Num(c.value, f"table3.{rid}.total")})
        return ListNode(items, path, self)
    if isinstance(v, _PrevTable):
        return TableNode(dict(v), path, self)
    if isinstance(v, _Plain):
        return ListNode(v.items, path, self)
    if isinstance(v, _Label):
        return str(v)
    if isinstance(v, Sourced):
        return v
    return _base_wrap(self, v, path)


class _Label(str):
    """Fixed wording from the format (a row label): plain text, no source."""


DataView.wrap = _wrap  # type: ignore[method-assign]


# ---------------------------------------------------------------- the schema of paths (for lint)


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else tp
    return tp


def _child_type(tp: Any, name: str | int) -> Any:
    """The type of `tp.name` (or of an item when name is an int); None when unknown."""
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if isinstance(name, int):
        if origin in (list, tuple):
            return _unwrap(typing.get_args(tp)[0])
        return None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        f = tp.model_fields.get(name)
        return _unwrap(f.annotation) if f is not None else None
    return None


def table_ids() -> dict[str, tuple[set[str], set[str]]]:
    """table id -> (row ids incl. groups, column ids), over every format."""
    from ..formats import all_formats

    out: dict[str, tuple[set[str], set[str]]] = {}
    for fmt in all_formats().values():
        for tid, t in fmt.tables.items():
            rows, cols = out.setdefault(tid, (set(), set()))
            for r in t.rows:
                rows.add(r.id)
            for b in t.blocks:
                rows.update(r.id for r in b.rows)
                cols.update(c.id for c in b.columns)
            cols.update(c.id for c in t.columns)
    return out


LIST = "[]"
# The type of a list of (label, n) reasons. Spelt list["reason"] it read to linters as a
# forward reference to an undefined name `reason` (ruff F821); the value is the same.
REASON_LIST: Any = types.GenericAlias(list, ("reason",))


def type_of_path(path: str, scope: dict[str, Any] | None = None) -> tuple[bool, Any]:
    """(known, type) of a field path; scope maps loop names to types (or to LIST element types).

    Types: a pydantic model class, list[...], a scalar type, or a string tag: "num", "txt",
    "table", "row", "req", "reason", "any".
    """
    from ..data.model import Meta, OtherMatters, Overview, Problem, Improvement, PreviousRemedy

    parts = split_path(path)
    if not parts:
        return False, None
    head, rest = parts[0], parts[1:]
    roots: dict[str, Any] = {"meta": Meta, "overview": Overview, "other": OtherMatters,
                             "problems": list[Problem], "improvements": list[Improvement],
                             "improvements_done": list[Improvement], "improvements_planned": list[Improvement],
                             "previous_remedies": list[PreviousRemedy]}
    if scope and head in scope:
        cur = scope[head]
    elif head in roots:
        cur = roots[head]
    elif head in ("table2", "table3", "table4"):
        return _table_path(head, rest)
    elif head == "previous":
        if not rest:
            return True, "any"
        if rest[0] == "year":
            return len(rest) == 1, "num"
        if rest[0] in ("table2", "table3", "table4"):
            return _table_path(rest[0], rest[1:])
        if rest[0] != "overview":
            return False, None
        cur, rest = Overview, rest[1:]
    elif head == "change":
        from .changes import type_of_change

        return type_of_change(rest)
    elif head == "format":
        ok = [str(x) for x in rest] in ([], ["id"], ["notice"], ["notice", "number"], ["notice", "title"])
        return ok, "txt"
    elif head == "req":
        if not rest:
            return True, "req"
        if rest[0] in REQUEST_FACTS and len(rest) == 1:
            return True, "num"
        if rest[0] in REQUEST_OUTCOMES:
            return (len(rest) == 1 or (len(rest) >= 2 and isinstance(rest[1], int))), REASON_LIST
        if rest[0] in REQUEST_LISTS:
            if len(rest) == 1:
                return True, REASON_LIST
            if isinstance(rest[1], int) and (len(rest) == 2 or rest[2:] in (["label"], ["n"])):
                return True, "reason" if len(rest) == 2 else "any"
        return False, None
    elif head == "self_ref":
        return not rest, "txt"
    else:
        return False, None
    for p in rest:
        if cur == "reason":
            return p in ("label", "n"), "any"
        if cur == "any":
            return True, "any"
        nxt = _child_type(cur, p)
        if nxt is None:
            return False, None
        cur = nxt
    return True, cur


def _table_path(table: str, rest: list) -> tuple[bool, Any]:
    ids = table_ids().get(table)
    if ids is None:
        return False, None
    rows, cols = ids
    if not rest:
        return True, "table"
    if rest[0] not in rows:
        return False, None
    if len(rest) == 1:
        return True, "row"
    return (len(rest) == 2 and rest[1] in cols), "num"


def category_label(category: Any) -> str:
    key = category.scalar_value() if isinstance(category, Txt) else str(category)
    return PROBLEM_CATEGORIES.get(key, "")
