"""The non-table sheets of the workbook, described from the pydantic model.

Each field of Meta, Overview and OtherMatters becomes one row (hidden key, Chinese
label, input cell, short explanation); each list (topics, highlights, problems …)
becomes a block of rows under a caption. Labels and explanations come from the
Field descriptions of data/model.py; the few fields without one get a label here.
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import BaseModel

from .model import LEVELS, PROBLEM_CATEGORIES, Count, Improvement, Meta, OtherMatters, Overview, PreviousRemedy, Problem

SHEET_HELP = "填写说明"
SHEET_INFO = "基本信息与总体情况"
SHEET_LISTS = "总体情况清单"
SHEET_PROBLEMS = "问题与改进"
SHEET_OTHER = "其他事项"
SHEET_PREVIOUS = "上年数据"

# Fields whose model declaration carries no description.
FALLBACK_LABELS = {
    "address": "联系地址",
    "phone": "联系电话",
    "postcode": "邮政编码",
    "highlights": "其他做法",
    "rectification": "专项整改",
    "key_tasks": "年度政务公开重点工作任务分解",
    "document": "任务分解文件",
    "proposals": "人大代表建议和政协提案办理",
}

KIND_NOTES = {
    "count": "填阿拉伯数字；可写约数，如 近300、3万余",
    "decimal": "填数字，可带小数",
    "date": "日期，如 2021-01-20",
    "int": "填整数",
    "bool": "从下拉列表中选“是”或“否”",
    "level": "从下拉列表中选择",
    "category": "从下拉列表中选择问题类别",
    "format": "一般不填：2019—2020年度用 2019 年格式，2021 年度起用 2021 年格式",
    "text": "",
}

LIST_SLOTS = {"highlights": 5, "problems": 5, "improvements": 5}
DEFAULT_SLOTS = 3


@dataclass
class FieldSpec:
    path: str  # full path (scalars) or the field name inside a list item
    label: str
    note: str
    kind: str


@dataclass
class ListSpec:
    path: str  # overview.proactive.topics
    caption: str
    fields: list[FieldSpec] = field(default_factory=list)  # empty: a list of strings
    item_label: str = ""  # header of the single column of a list of strings

    @property
    def slots(self) -> int:
        return LIST_SLOTS.get(self.path.rsplit(".", 1)[-1], DEFAULT_SLOTS)


@dataclass
class Section:
    caption: str
    scalars: list[FieldSpec] = field(default_factory=list)


# ---------------------------------------------------------------- model introspection


def _strip_optional(annotation: typing.Any) -> typing.Any:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)) and len(args) == 1:
        return args[0]
    return annotation


def scalar_kind(annotation: typing.Any) -> str | None:
    t = _strip_optional(annotation)
    if t is Count:
        return "count"
    if t is Decimal:
        return "decimal"
    if t is dt.date:
        return "date"
    if t is bool:
        return "bool"
    if t is int:
        return "int"
    if t is str:
        return "text"
    return None


def _label_note(name: str, info, kind: str) -> tuple[str, str]:
    desc = info.description or FALLBACK_LABELS.get(name, name)
    label, _, rest = desc.partition("：")
    label, extra = _split_outside_brackets(label)
    rest = "；".join(x for x in (extra, rest) if x)
    if kind in ("level", "category", "format"):
        rest = ""
    note = "；".join(x for x in (rest, KIND_NOTES.get(kind, "")) if x)
    return label, note


def _split_outside_brackets(text: str) -> tuple[str, str]:
    """“联系机构，如 某某办公室” -> (“联系机构”, “如 某某办公室”); commas inside （…） stay."""
    depth = 0
    for i, ch in enumerate(text):
        depth += {"（": 1, "(": 1, "）": -1, ")": -1}.get(ch, 0)
        if depth == 0 and ch in "，；":
            return text[:i], text[i + 1:]
    return text, ""


def _special_kind(path: str, kind: str) -> str:
    return {"meta.level": "level", "meta.format": "format"}.get(path, "category" if path.endswith(".category") else kind)


def _model_scalars(model: type[BaseModel], prefix: str, label_prefix: str = "") -> tuple[list[FieldSpec], list[tuple[str, str, type | None]]]:
    """Scalars of a model (nested sub-models flattened) and its lists: (path, name, item model or None)."""
    scalars: list[FieldSpec] = []
    lists: list[tuple[str, str, type | None]] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        ann = info.annotation
        kind = scalar_kind(ann)
        if kind is not None:
            kind = _special_kind(path, kind)
            label, note = _label_note(name, info, kind)
            scalars.append(FieldSpec(path, label_prefix + label, note, kind))
            continue
        t = _strip_optional(ann)
        if typing.get_origin(t) is list:
            inner = typing.get_args(t)[0]
            lists.append((path, name, inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None))
            continue
        if isinstance(t, type) and issubclass(t, BaseModel):
            sub_label, _ = _label_note(name, info, "text")
            sub_s, sub_l = _model_scalars(t, path, label_prefix + sub_label + "：")
            scalars += sub_s
            lists += sub_l
    return scalars, lists


def _item_fields(model: type[BaseModel], owner: str) -> list[FieldSpec]:
    out = []
    for name, info in model.model_fields.items():
        kind = scalar_kind(info.annotation) or "text"
        kind = _special_kind(f"{owner}.{name}", kind)
        label, note = _label_note(name, info, kind)
        out.append(FieldSpec(name, label, note, kind))
    return out


def _doc(model: type) -> str:
    return (model.__doc__ or "").strip().splitlines()[0].split(" — ")[0] if model.__doc__ else ""


def _list_spec(path: str, name: str, item: type | None, caption: str, info) -> ListSpec:
    label, _ = _label_note(name, info, "text")
    if item is None:
        return ListSpec(path, f"{caption}：{label}" if caption else label, [], item_label=label)
    return ListSpec(path, f"{caption}：{label}" if caption else label, _item_fields(item, path))


def _field_info(root: type[BaseModel], path: str):
    model: typing.Any = root
    info = None
    for part in path.split(".")[1:]:
        info = model.model_fields[part]
        t = _strip_optional(info.annotation)
        model = t if isinstance(t, type) and issubclass(t, BaseModel) else None
    return info


def info_sections() -> list[Section]:
    """基本信息 (Meta) and every scalar fact of 一、总体情况."""
    meta_scalars, _ = _model_scalars(Meta, "meta")
    sections = [Section("基本信息", meta_scalars)]
    intro = Overview.model_fields["intro"]
    sections.append(Section(_doc(Overview), [FieldSpec("overview.intro", *_label_note("intro", intro, "text"), "text")]))
    for name, info in Overview.model_fields.items():
        t = _strip_optional(info.annotation)
        if isinstance(t, type) and issubclass(t, BaseModel):
            scalars, _ = _model_scalars(t, f"overview.{name}")
            sections.append(Section(_doc(t), scalars))
    return sections


def overview_lists() -> list[ListSpec]:
    out = []
    for name, info in Overview.model_fields.items():
        t = _strip_optional(info.annotation)
        if isinstance(t, type) and issubclass(t, BaseModel):
            _, lists = _model_scalars(t, f"overview.{name}")
            for path, lname, item in lists:
                out.append(_list_spec(path, lname, item, _doc(t), _field_info(Overview, path)))
    return out


def problem_lists() -> list[ListSpec]:
    from .model import ReportData

    out = []
    for name, item in (("problems", Problem), ("improvements", Improvement), ("previous_remedies", PreviousRemedy)):
        out.append(ListSpec(name, {"problems": "存在的主要问题", "improvements": "改进情况",
                                   "previous_remedies": "上年度报告所列问题的整改情况"}[name],
                            _item_fields(item, name)))
    assert all(n in ReportData.model_fields for n in ("problems", "improvements", "previous_remedies"))
    return out


def other_section() -> tuple[Section, list[ListSpec]]:
    scalars, lists = _model_scalars(OtherMatters, "other")
    specs = [_list_spec(path, name, item, "", OtherMatters.model_fields[name]) for path, name, item in lists]
    return Section(_doc(OtherMatters), scalars), specs


# ---------------------------------------------------------------- choice lists

BOOL_TEXT = {True: "是", False: "否"}
BOOL_READ = {"是": True, "否": False, "true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}


def choices(kind: str) -> list[str] | None:
    if kind == "bool":
        return ["是", "否"]
    if kind == "level":
        return list(LEVELS)
    if kind == "category":
        return list(PROBLEM_CATEGORIES.values())
    if kind == "format":
        from ..formats import all_formats

        return list(all_formats())
    return None


def category_key(text: str) -> str:
    for key, label in PROBLEM_CATEGORIES.items():
        if text in (key, label):
            return key
    return text
