"""Constructed consecutive years for the year-over-year tests: 云岭市自然资源和规划局 2022 → 2023.

2023 is examples/yunling-zrzy-2023.yaml; 2022 is made here to be consistent with it
(结转 4/1 → 上年结转, 现行有效 37 + 6 − 2 ≠ 41 is avoided: 2022 in_force 37, 2023 41 = 37 + 6 − 2),
its one problem answered by 2023's previous_remedies. Each test breaks one thing.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_2023 = ROOT / "examples" / "yunling-zrzy-2023.yaml"


def data_2023() -> dict:
    raw = yaml.safe_load(EXAMPLE_2023.read_text(encoding="utf-8"))
    raw.pop("previous", None)
    return raw


def data_2022() -> dict:
    raw = copy.deepcopy(data_2023())
    raw["meta"]["year"] = 2022
    raw["meta"]["report_date"] = "2023-01-18"
    raw["meta"]["local_notice"] = {"title": "云岭市人民政府办公室关于做好2022年度政府信息公开工作年度报告编制和发布工作的通知",
                                   "number": "云政办函〔2022〕88号"}
    raw["overview"].pop("intro", None)
    raw["overview"]["proactive"]["items_published"] = 1050
    raw["overview"]["management"]["documents"] = []
    raw["table2"]["normative_docs"] = {"issued": 5, "repealed": 1, "in_force": 37}
    zero = [0, 0, 0, 0, 0, 0, 0]
    t3 = {k: list(zero) for k in raw["table3"]}
    t3.update({
        "r1": [58, 10, 1, 0, 3, 2, 74], "r2": [2, 0, 0, 0, 0, 0, 2],
        "r3_1": [24, 5, 1, 0, 1, 1, 32], "r3_2": [5, 1, 0, 0, 1, 0, 7], "r3_3_4": [2, 0, 0, 0, 0, 0, 2],
        "r3_4_1": [17, 3, 0, 0, 1, 1, 22], "r3_4_2": [3, 0, 0, 0, 0, 0, 3], "r3_5_1": [3, 0, 0, 0, 0, 0, 3],
        "r3_6_1": [1, 0, 0, 0, 0, 0, 1], "r3_6_3": [1, 0, 0, 0, 0, 0, 1],
        "r3_7": [56, 9, 1, 0, 3, 2, 71], "r4": [4, 1, 0, 0, 0, 0, 5]})
    raw["table3"] = t3
    raw["table4"] = {"review": [1, 0, 0, 0, 1], "direct": [0, 0, 0, 0, 0], "after_review": [0, 0, 0, 0, 0]}
    raw["problems"] = [{"id": "p1", "category": "platform", "text": "政务新媒体内容更新频率不稳定"}]
    raw["improvements"] = [{"problem": "p1", "text": "制定政务新媒体内容发布计划，明确专人审核"}]
    raw["previous_remedies"] = []
    return raw


def write(path: Path, raw: dict) -> Path:
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
