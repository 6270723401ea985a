"""Announced part lists and enumeration slips (rules SEC-COUNT and LIST-ORDER).

* "本报告包括总体情况、…等六个部分" followed by a list that names a different number of the
  six parts: the count and the list disagree (SEC-COUNT, warning). The parts are recognised by
  their key words, not by splitting at 、 (因政府信息公开申请行政复议、提起行政诉讼的情况 is one part).
* 一是…二是…二是, 一是…三是: an item number repeated or skipped in a run of 是-items
  (LIST-ORDER, warning). A run restarts at 一是 and at a section heading.
"""

from __future__ import annotations

import re
from typing import Any

from ..findings import Finding

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CLAIM_RE = re.compile(r"(?:包括|包含|分为|分成|由|共有?)(?P<list>[^。；]{0,200}?)(?:等|共)?(?P<n>[一二两三四五六七八九十1-9])\s*(?:个)?部分")
_AFTER_RE = re.compile(r"(?P<n>[一二两三四五六七八九十1-9])\s*(?:个)?部分[:：，,]?(?:即|分别为|分别是|包括|为)?[:：]?(?P<list>[^。]{6,200})")
_KEYS = [
    ("overview", ("总体情况",)),
    ("proactive", ("主动公开",)),
    ("requests", ("处理政府信息公开申请", "公开申请情况", "依申请")),
    ("appeals", ("行政复议", "行政诉讼")),
    ("problems", ("问题",)),
    ("other", ("其他需要报告", "其他事项")),
]
_NAMES = dict(zip([k for k, _ in _KEYS], "一二三四五六"))
_SUBHEAD_RE = re.compile(r"\s*[（(][一二三四五六七八九十]+[)）]")
_ITEM_RE = re.compile(r"(?:^|(?<=[。；;，,：:\s]))(?P<n>[一二三四五六七八九十])是")


def _named(text: str) -> list[str]:
    return [sid for sid, keys in _KEYS if any(k in text for k in keys)]


def check_announced_list(ctx: Any) -> list[Finding]:
    first = min((s.paragraph for s in ctx.sections), default=len(ctx.doc.paragraphs))
    paras = [p for p in ctx.doc.paragraphs if p.index < first] or ctx.doc.paragraphs[:3]
    for p in paras:
        for rx in (_CLAIM_RE, _AFTER_RE):
            m = rx.search(p.text)
            if m is None:
                continue
            n = int(m.group("n")) if m.group("n").isdigit() else _CN[m.group("n")]
            listed = m.group("list")
            named = _named(listed)
            if n != 6 or len(named) < 3 or len(named) == n:
                continue  # a count other than six is check_section_count's error
            missing = [sid for sid, _ in _KEYS if sid not in named]
            return [Finding(
                rule="SEC-COUNT", level="warning", expected=f"列出{n}部分", found=f"列出{len(named)}部分",
                location=ctx.loc(p.index, m.start(), m.end(), section="preamble"),
                message=f"引言称报告分为{m.group('n')}个部分，随后列出的却只有{len(named)}部分"
                        + ("（未列第" + "、".join(_NAMES[s] for s in missing) + "部分）" if missing else "")
                        + "；请使部分数与所列内容一致")]
    return []


def check_item_numbers(ctx: Any) -> list[Finding]:
    out: list[Finding] = []
    heads = {s.paragraph for s in ctx.sections}
    prev: int | None = None
    for p in ctx.doc.paragraphs:
        if p.index in heads or _SUBHEAD_RE.match(p.text):
            prev = None
        if "是" not in p.text:
            continue  # (every item marker is …是)
        for m in _ITEM_RE.finditer(p.text):
            n = _CN[m.group("n")]
            if n == 1 or prev is None:
                prev = n if n == 1 else None
                continue
            if n != prev + 1:
                word = "重复" if n == prev else ("跳号" if n > prev + 1 else "顺序颠倒")
                right = next((k for k, v in _CN.items() if v == prev + 1 and k != "两"), str(prev + 1))
                before = next(k for k, v in _CN.items() if v == prev)
                out.append(Finding(
                    rule="LIST-ORDER", level="warning", expected=f"{right}是",
                    found=m.group(0), location=ctx.loc(p.index, m.start(), m.end()),
                    message=f"列举序号{word}：前一项为“{before}是”，此处写作“{m.group(0)}”，应为“{right}是”"))
            prev = n
    return out
