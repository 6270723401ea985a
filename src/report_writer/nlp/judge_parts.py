"""Breakdowns the writer declared complete, against their total (rule NUM-SUM).

nlp.judge._sums reads "共N件，其中A…B…" outside brackets and reports parts that exceed their
total, or fall short after 分别为. What it leaves to this module:

  * a breakdown in brackets right after its total: 共公布政府信息2599条，(其中机构职能类信息25条，
    …，其他应主动公开政府信息856条) — the parts are at the bracket's own depth, nested brackets
    (预决算公开197条（政府预决算32条、部门预决算公开165条）) are a breakdown of a part, not more parts;
  * a list declared complete: 分别为 / 具体为, or ending in a catch-all (其他…N条): parts that fall
    short of the total are an error too. A list introduced by 主要有 / 如 or ending in 等 is not
    complete: it is never judged short.

Only parts of the total's unit count, and the list stops where the prose turns to another
quantity (办结、同比、占 …, see judge._SUM_STOP).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..findings import Finding
from .claims import COMMA, SENT_END
from .quantities import Quantity, base_unit

_ANCHOR_RE = re.compile(r"其中|分别为|分别是|具体为|具体包括|包括|主要有|主要包括")
_TOTAL_WORD_RE = re.compile(r"共|合计|总计|累计|总数|总量|一共")
_COMPLETE_WORDS = ("分别为", "分别是", "具体为")
_OPEN_WORDS = ("主要有", "主要包括")
_CATCH_ALL_RE = re.compile(r"^[\s,，、;；(]*(?:和|及|以及)?(?:其他|其它)")
_STOP = ("办结", "答复", "结转", "同比", "增长", "下降", "较", "比上年", "平均", "累计", "另有", "此外", "另外",
         "合计", "共计", "总计", "以上", "占")


_BRACKET_RE = re.compile(r"[(（)）]")


def depths(t: str) -> list[int]:
    """Bracket depth at each offset (the bracket characters themselves count as outside)."""
    out: list[int] = []
    d = prev = 0
    for m in _BRACKET_RE.finditer(t):  # runs of text between brackets share one depth
        i = m.start()
        out.extend([d] * (i - prev))
        if m.group() in "(（":
            out.append(d)
            d += 1
        else:
            d = max(0, d - 1)
            out.append(d)
        prev = i + 1
    out.extend([d] * (len(t) - prev))
    return out


def _close_of(t: str, s: int) -> int:
    d = 0
    for i in range(s, len(t)):
        if t[i] in "(（":
            d += 1
        elif t[i] in ")）":
            d -= 1
            if d == 0:
                return i
    return len(t)


def _sentence_end(t: str, a: int) -> int:
    m = re.compile(f"[{SENT_END};；]").search(t, a)
    return m.start() if m else len(t)


def _sentence_start(t: str, a: int) -> int:
    i = a
    while i > 0 and t[i - 1] not in SENT_END + ";；":
        i -= 1
    return i


def _clause_start(t: str, dep: list[int], a: int, lo: int) -> int:
    i = a
    while i > lo and not (t[i - 1] in COMMA + "、;；(（" and dep[i - 1] <= dep[a]):
        i -= 1
    return i


def _sum(parts: list[Quantity]) -> tuple[Decimal, Decimal] | None:
    lo = hi = Decimal(0)
    for q in parts:
        if q.low is None or q.high is None:
            return None
        lo += q.low
        hi += q.high
    return lo, hi


def parts_findings(lp: Any, d: Any, already: set[int], loc, quote) -> list[Finding]:
    """NUM-SUM findings of one logical paragraph that judge._sums does not give.

    `already`: start offsets of quantities already reported (by NUM-TABLE or judge._sums).
    `loc(lp, a, b)` and `quote(lp, a, b)` are judge's location and quotation helpers.
    """
    t = d._.norm
    if _ANCHOR_RE.search(t) is None:
        return []  # no list is announced: nothing to judge
    dep = depths(t)
    qs = [q for q in d._.quantities if q.unit and not q.is_percent and q.unit != "个百分点"]
    out: list[Finding] = []
    for m in _ANCHOR_RE.finditer(t):
        k, word = m.start(), m.group()
        if word == "包括" and t[max(0, k - 1):k] in ("不", "还"):
            continue
        bracket = k > 0 and t[k - 1] in "(（" or (k > 1 and t[k - 2] in "(（" and t[k - 1] in " ，,")
        if bracket:
            s = k - 1 if t[k - 1] in "(（" else k - 2
            end = _close_of(t, s)
            total = next((q for q in qs if q.end <= s and s - q.end <= 2 and dep[q.num_start] == dep[s]
                          and re.fullmatch(r"[\s,，]*", t[q.end:s])), None)
        else:
            if word == "其中" and not _catch_all_list(t, dep, qs, k) and _count_after(t, dep, qs, k) < 3:
                continue  # 其中 with one or two parts may name only some: judge._sums reports an excess
            if word.startswith("分别"):
                continue  # judge._sums judges 分别 both ways
            sent0 = _sentence_start(t, k)
            end = _list_end(t, k, qs)
            cands = [q for q in qs if sent0 <= q.start < k and dep[q.num_start] == dep[k]]
            if not cands and re.fullmatch(r"[\s,，。]*", t[_full_sentence_start(t, k):k]) and k > 0:
                prev0 = _full_sentence_start(t, _full_sentence_start(t, k) - 1)
                cands = [q for q in qs if prev0 <= q.start < k and dep[q.num_start] == dep[k]]
                sent0 = prev0
            # the last total of each unit before the anchor (…25件…信息处理费2950元。其中…)
            by_unit: dict = {}
            for q in cands:
                by_unit[base_unit(q.unit)] = q
            for total in by_unit.values():
                if not _TOTAL_WORD_RE.search(t[_clause_start(t, dep, total.num_start, sent0):total.start]) \
                        and not re.search(r"对\s*$", t[max(0, total.start - 2):total.start]):
                    continue  # 涵盖9个领域，包括一级目录27个: without 共 the number need not be the list's total
                f = _judge(lp, t, dep, qs, k, end, word, total, already, loc, quote)
                if f is not None:
                    out.append(f)
            continue
        if total is None:
            continue
        f = _judge(lp, t, dep, qs, k, end, word, total, already, loc, quote)
        if f is not None:
            out.append(f)
    return out


def _judge(lp: Any, t: str, dep: list[int], qs: list[Quantity], k: int, end: int, word: str, total: Quantity,
           already: set[int], loc, quote) -> Finding | None:
    parts = _list_parts(t, dep, qs, k, end, total)
    if len(parts) < 2 or any(q.start in already for q in parts + [total]):
        return None
    got = _sum(parts)
    if got is None or total.low is None or total.high is None:
        return None
    lo, hi = got
    if lo <= total.high and hi >= total.low:
        return None
    tail = t[parts[-1].end:end]
    open_list = word in _OPEN_WORDS or re.match(r"^[\s]*等", tail) is not None
    # 其中 before three or more parts of the total's unit lists the whole (119期，其中市级47期、
    # 宿城区28期、…); before one or two it may pick out a few
    complete = not open_list and (word in _COMPLETE_WORDS or _ends_in_catch_all(t, dep, parts, k)
                                  or (word == "其中" and len(parts) >= 3))
    if lo > total.high:
        level = "error" if not open_list else "warning"
        rel = "超过"
    elif complete:
        level, rel = "error", "少于"
    else:
        return None
    already.update(q.start for q in parts + [total])
    s_txt = _fmt(lo) if lo == hi else f"{_fmt(lo)}—{_fmt(hi)}"
    u = total.unit or ""
    why = ""
    if rel == "少于" and word not in _COMPLETE_WORDS:
        why = ("（所列最后一项为“其他”，列举应当完整）" if _ends_in_catch_all(t, dep, parts, k)
               else "（“其中”后逐项列举，各项之和应等于总数）")
    return Finding(
        rule="NUM-SUM", level=level, expected=total.text, found=f"{s_txt}{u}",
        location=loc(lp, total.start, total.end),
        message=f"正文“{quote(lp, total.start, total.end)}”的分项与总数不符：“{word}”后所列{len(parts)}项之和"
                f"（{'＋'.join(p.text for p in parts)}）为{s_txt}{u}，{rel}总数{total.text}{why}")


def _fmt(v: Decimal) -> str:
    s = format(v.normalize(), "f")
    return s


def _list_parts(t: str, dep: list[int], qs: list[Quantity], k: int, end: int, total: Quantity) -> list[Quantity]:
    """The parts after the anchor at offset k: same depth as the anchor, same unit as the total."""
    u = base_unit(total.unit)
    out = []
    for q in qs:
        if not (k < q.start < end) or dep[q.num_start] != dep[k]:
            continue
        c0 = _clause_start(t, dep, q.num_start, k)
        if any(w in t[c0:q.start] for w in _STOP):
            break
        if base_unit(q.unit) != u:
            continue
        out.append(q)
    return out


def _ends_in_catch_all(t: str, dep: list[int], parts: list[Quantity], k: int) -> bool:
    last = parts[-1]
    c0 = _clause_start(t, dep, last.num_start, k)
    return _CATCH_ALL_RE.match(t[c0:last.start]) is not None


def _catch_all_list(t: str, dep: list[int], qs: list[Quantity], k: int) -> bool:
    """Does the 其中 list at k end in a catch-all item (…，其他N件)?"""
    end = _list_end(t, k, qs)
    inside = [q for q in qs if k < q.start < end and dep[q.num_start] == dep[k]]
    if len(inside) < 2:
        return False
    return _ends_in_catch_all(t, dep, inside, k)


def _count_after(t: str, dep: list[int], qs: list[Quantity], k: int) -> int:
    end = _list_end(t, k, qs)
    return sum(1 for q in qs if k < q.start < end and dep[q.num_start] == dep[k])


def _full_sentence_start(t: str, a: int) -> int:
    i = a
    while i > 0 and t[i - 1] not in SENT_END:
        i -= 1
    return i


def _list_end(t: str, k: int, qs: list[Quantity] | None = None) -> int:
    """End of a list after an anchor: the sentence's 。, or the first ； after a piece holding two
    or more quantities (…3493件,法人114件;予以公开1191件… starts another list). Pieces of one item
    each (A单位1件,收取420元;B单位2件,收取290元;…) run on to the 。."""
    m = re.compile(f"[{SENT_END}]").search(t, k)
    end = m.start() if m else len(t)
    start = k
    for sm in re.finditer(r"[;；]", t[k:end]):
        cut = k + sm.start()
        piece = t[start:cut]
        units = [base_unit(q.unit) for q in (qs or []) if start < q.start < cut]
        if qs is None or any(units.count(u) >= 2 for u in set(units)):
            return cut
        nxt = re.split(r"[;；]", t[cut + 1:end])[0]
        if _TOTAL_WORD_RE.search(nxt) or any(w in nxt for w in _STOP) or not piece:
            return cut
        start = cut + 1
    return end
