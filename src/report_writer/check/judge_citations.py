"""Near misses of the format notice's document number (rule NOTICE-NUMBER).

judge_document.check_notice reads a number written with the right issuer (国办公开办函) and
reports a wrong number or a notice of the wrong format year. What real reports also get
wrong, and this module finds by similarity to the two official numbers:

  * the issuer abbreviation: 国办公开函〔2021〕30号, 国办政务公开办函〔2021〕30号 (error: no such
    document exists under that number);
  * the brackets of the year: 国办公开办函[2021]30号, 【2021】, (2021) for 〔2021〕 (warning: the
    document is still identifiable, but 《党政机关公文格式》 prescribes 〔〕).

Only a citation in a sentence about the report or its format is judged, and only one whose
issuer is a 公开 office: 国办发〔2019〕54号 or 国办函〔2020〕109号 are other, real documents.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..findings import Finding

OFFICIAL = ("国办公开办函〔2019〕60号", "国办公开办函〔2021〕30号")
_CANDIDATE_RE = re.compile(
    r"国办(?P<issuer>[\u4e00-\u9fff]{0,6}?)函\s*(?P<open>[〔\[［【(（<〈{｛]?)\s*(?P<year>\d{4})\s*"
    r"(?P<close>[〕\]］】)）>〉}｝]?)\s*第?\s*(?P<num>\d{1,4})\s*号")
_ABOUT = ("格式", "年度报告", "年报", "编制")
_MIN_RATIO = 0.8


def _sentence(text: str, pos: int) -> str:
    a = max(text.rfind(c, 0, pos) for c in "。；！？") + 1
    ends = [i for i in (text.find(c, pos) for c in "。；！？") if i >= 0]
    return text[a:min(ends) + 1 if ends else len(text)]


def closest_official(written: str) -> tuple[str, float]:
    """The official number most like the written one, and how alike (0–1)."""
    best = max(OFFICIAL, key=lambda o: difflib.SequenceMatcher(None, written, o).ratio())
    return best, difflib.SequenceMatcher(None, written, best).ratio()


def check_notice_near_misses(ctx: Any) -> list[Finding]:
    out: list[Finding] = []
    for p in ctx.doc.paragraphs:
        for m in _CANDIDATE_RE.finditer(p.text):
            issuer, year, num = m.group("issuer"), m.group("year"), m.group("num")
            if "公开" not in issuer:
                continue  # 国办发, 国办函: other documents
            if not any(w in _sentence(p.text, m.start()) for w in _ABOUT):
                continue
            written = re.sub(r"\s+", "", m.group(0))
            canonical = f"国办{issuer}函〔{year}〕{num}号"
            right, ratio = closest_official(canonical)
            if issuer == "公开办" and canonical not in OFFICIAL:
                continue  # the right issuer with a wrong number: check_notice reports it
            if canonical in OFFICIAL:
                if (m.group("open"), m.group("close")) == ("〔", "〕"):
                    continue
                out.append(Finding(
                    rule="NOTICE-NUMBER", level="warning", expected=canonical, found=written,
                    location=ctx.loc(p.index, m.start(), m.end()),
                    message=f"格式通知文号“{written}”的年份括号有误：公文文号的年份应使用六角括号〔〕，"
                            f"应为“{canonical}”"))
                continue
            if ratio < _MIN_RATIO:
                continue
            out.append(Finding(
                rule="NOTICE-NUMBER", level="error", expected=right, found=written,
                location=ctx.loc(p.index, m.start(), m.end()),
                message=f"格式通知文号“{written}”有误（发文机关代字应为“国办公开办函”"
                        + ("，年份应使用六角括号〔〕" if (m.group("open"), m.group("close")) != ("〔", "〕") else "")
                        + f"），应为“{right}”"))
    return out


_LOCAL_RE = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:省|自治区|市|自治州|州|盟|县|区|旗)(?!人民共和国)")


def looks_like_national_format(title: str, known: dict[str, str]) -> bool:
    """Is a cited 《…格式…》 a near miss of the national format or its notice (not a local one)?"""
    plain = title.replace(" ", "")
    if "中华人民共和国" not in plain and "国务院" not in plain and _LOCAL_RE.match(plain):
        return False  # 《福建省政府信息公开工作年度报告格式》: a province's own format
    best = max((difflib.SequenceMatcher(None, plain, k).ratio() for k in known), default=0.0)
    return best >= 0.75
