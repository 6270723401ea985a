"""Whether a measure of section 五 was taken this year or is planned (tense of the draft).

A measure with `done:` set says so itself. Otherwise: a date naming a later year, or a
deadline (…前, 起), or words of intent (将, 计划, 下一步) make it planned; a date inside the
report year, or a result told as reached (已…, 全部…上线), make it done. Anything else is
read as planned: section 五 is about what comes next, and a clerk can set `done: true`.
"""

from __future__ import annotations

import re
from typing import Any

_YEAR = re.compile(r"(20\d\d)\s*年")
_DEADLINE = ("前", "以前", "之前", "起", "开始", "以后", "之后")
_INTENT = ("将", "计划", "拟", "下一步", "力争", "争取", "年内")
_REACHED = ("已", "全部上线", "明显提升", "明显提高", "大幅提高", "完成", "到位")


def improvement_done(imp: Any, year: int) -> bool:
    """True when the improvement tells what was done in the report year."""
    if imp.done is not None:
        return bool(imp.done)
    date = (imp.date or "").strip()
    text = imp.text or ""
    if date:
        m = _YEAR.search(date)
        if m and int(m.group(1)) > year:
            return False
        if date.endswith(_DEADLINE) or any(w in date for w in ("底前", "年内")):
            return False
        if any(text.startswith(w) for w in _INTENT):
            return False
        return True
    if any(text.startswith(w) for w in _INTENT):
        return False
    result = imp.result or ""
    return any(w in result for w in _REACHED)


def same_year_prefix(text: str, year: int) -> str:
    """'2020年10月' in a 2020 report → '10月': the report year goes without saying."""
    m = re.match(rf"\s*{year}\s*年(?=\d{{1,2}}\s*月|[一二三四]季度|上半年|下半年|年底|年初)", text)
    return text[m.end():] if m else text
