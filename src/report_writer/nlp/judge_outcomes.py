"""Outcome claims about 行政复议 and 行政诉讼 against 表四 (rule NUM-OUTCOME).

"均获维持", "全部胜诉", "未被纠正", "无败诉" say something of 表四's 结果纠正 / 其他结果 / 尚未审结
columns that the counts of NUM-TABLE do not: a claim that every case was upheld while 表四
has a corrected case is an error; against 其他结果 or 尚未审结 only (a case not yet decided,
or ended by withdrawal) it is a warning, since "已审结的均获维持" is a fair reading.

The group is taken from the sentence: 复议 only → the review row, 诉讼/起诉 only → both
lawsuit rows, both or neither → all three. Nothing is judged on a 表四 that was not read
(a cell missing or not a number): those reports must not rest on a guess.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..data.model import ReportData
from ..findings import Finding

_UPHELD_RE = re.compile(r"(?:均|全部|全都|都)(?:获|被|予以|得到|已被)?(?:维持|支持)|结果均为维持|无一被纠正|全部胜诉|均胜诉|均获胜诉")
_NOT_CORRECTED_RE = re.compile(r"(?:均|都)?(?:未|没有)(?:被)?(?:纠正|纠错|撤销|确认违法)|无(?:纠错|被纠正|败诉)|"
                               r"(?:未|没有)(?:出现|发生)?败诉|零败诉|败诉率为0")
_ROWS = {"review": ("review",), "lawsuit": ("direct", "after_review"), "all": ("review", "direct", "after_review")}
_GROUP_NAME = {"review": "行政复议", "lawsuit": "行政诉讼", "all": "行政复议、行政诉讼"}


def _sentences(t: str) -> list[tuple[int, int]]:
    out, a = [], 0
    for m in re.finditer(r"[。！？!?；;]", t):
        out.append((a, m.end()))
        a = m.end()
    if a < len(t):
        out.append((a, len(t)))
    return out


def _group(sentence: str) -> str:
    review = "复议" in sentence.replace("复议后起诉", "")
    suit = "诉讼" in sentence or "起诉" in sentence or "胜诉" in sentence or "败诉" in sentence
    if review and not suit:
        return "review"
    if suit and not review:
        return "lawsuit"
    return "all"


def _column(report: ReportData, rows: tuple[str, ...], col: str) -> Decimal | None:
    total = Decimal(0)
    for r in rows:
        c = report.cell("table4", r, col)
        if c is None or not c.is_number or c.value is None:
            return None
        total += c.value
    return total


_CASE_WORDS = ("复议", "诉讼", "起诉", "胜诉", "败诉")


def outcome_findings(lp: Any, d: Any, report: ReportData, loc, quote) -> list[Finding]:
    t = d._.norm
    out: list[Finding] = []
    if not any(w in t for w in _CASE_WORDS):
        return out  # (no sentence can name a case: the words hold no sentence end)
    for a, b in _sentences(t):
        sent = t[a:b]
        if not any(w in sent for w in _CASE_WORDS):
            continue
        for rx, kind in ((_UPHELD_RE, "upheld"), (_NOT_CORRECTED_RE, "not_corrected")):
            m = rx.search(sent)
            if m is None:
                continue
            if kind == "upheld" and re.search(r"(?:未|不|没有)$", sent[:m.start()]):
                continue
            group = _group(sent)
            rows = _ROWS[group]
            vals = {c: _column(report, rows, c) for c in ("upheld", "corrected", "other", "pending", "total")}
            if any(v is None for v in vals.values()):
                continue  # 表四 not read with certainty: judge nothing
            s, e = a + m.start(), a + m.end()
            said = quote(lp, s, e)
            name = _GROUP_NAME[group]
            win_word = "胜诉" in m.group() or "败诉" in m.group()
            if vals["corrected"] > 0:
                out.append(Finding(
                    rule="NUM-OUTCOME", level="error", expected=f"结果纠正{vals['corrected']}件", found=m.group(),
                    location=loc(lp, s, e),
                    message=f"正文“{said}”与表四不符：表四{name}“结果纠正”为{vals['corrected']}件"
                            + ("，机关在这些案件中败诉" if win_word else "")))
            elif kind == "upheld" and (vals["other"] > 0 or vals["pending"] > 0):
                parts = [f"“{lbl}”{vals[c]}件" for c, lbl in (("other", "其他结果"), ("pending", "尚未审结"))
                         if vals[c] > 0]
                out.append(Finding(
                    rule="NUM-OUTCOME", level="warning", expected="结果维持" + str(vals["upheld"]) + "件",
                    found=m.group(), location=loc(lp, s, e),
                    message=f"正文“{said}”与表四不尽一致：表四{name}另有" + "、".join(parts)
                            + "，并非全部结果维持；如指已审结案件，请写明"))
            break
    return out
