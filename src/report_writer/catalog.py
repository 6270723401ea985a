"""The catalogue of rule ids (rules_catalog.yaml): what `report-writer rules` lists."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class RuleInfo:
    id: str
    levels: tuple[str, ...]
    title: str
    group: str


@lru_cache(maxsize=1)
def rule_infos() -> tuple[RuleInfo, ...]:
    text = resources.files(__package__).joinpath("rules_catalog.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return tuple(RuleInfo(r["id"], tuple(r["levels"]), r["title"], g["name"])
                 for g in raw["groups"] for r in g["rules"])


def markdown() -> str:
    """docs/rules.md, generated from the catalogue."""
    from .findings import LEVEL_ZH

    lines = ["# 规则编号一览", "",
             "每一项发现都带有固定的规则编号（英文），JSON 输出和脚本可以依赖它们。"
             "本页由 `report-writer rules --format markdown` 生成。", ""]
    group = None
    for info in rule_infos():
        if info.group != group:
            group = info.group
            lines += ["", f"## {group}", "", "| 编号 | 级别 | 含义 |", "|---|---|---|"]
        levels = "、".join(LEVEL_ZH[lv] for lv in info.levels)
        lines.append(f"| `{info.id}` | {levels} | {info.title} |")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"
