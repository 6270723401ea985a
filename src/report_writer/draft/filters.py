"""Filters and functions for phrase-bank templates: Chinese number style, kept sourced.

Every filter that prints a number takes a `Num` and returns a marker that keeps the
number's source; a filter never turns a sourced value into a bare number.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from jinja2 import pass_context

from ..data.model import format_decimal
from .values import DateVal, Num, Txt, category_label, mark, strip_marks

CN_DIGITS = "零一二三四五六七八九"
END_PUNCT = "。！？…"
TRAIL_PUNCT = "。；;，,、：: \u3000"


class FilterError(ValueError):
    pass


def cn(n: Any) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (for ordinals; not for counts)."""
    if isinstance(n, Num):
        n = int(n.scalar_value())
    if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n < 100:
        raise FilterError("cn 只接受 0 至 99 的整数序号")
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def ordinal(n: Any) -> str:
    """1 → 一是 (enumeration inside a paragraph)."""
    return cn(n) + "是"


def paren(n: Any) -> str:
    """1 → （一）"""
    return f"（{cn(n)}）"


def _need_num(v: Any, name: str) -> Num:
    if not isinstance(v, Num):
        raise FilterError(f"{name} 只能用于数据中的数字")
    return v


def wan(v: Any, decimals: int | None = None) -> str:
    """Money in 万元 with the table's decimals (35339.15); `decimals` fixes the places."""
    n = _need_num(v, "wan")
    value = n.scalar_value()
    if decimals is not None:
        value = value.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
        text = format(value, "f")
    else:
        text = format_decimal(value)
    return mark(n._source, text)


def pct(v: Any) -> str:
    """83.8 → 83.8% (the value is already a percentage)."""
    n = _need_num(v, "pct")
    return mark(n._source, format_decimal(n.scalar_value()) + "%")


def yoy(cur: Any, prev: Any) -> str:
    """同比增长6.7% / 同比下降2.1% / 与上年持平, sourced as yoy(cur,prev)."""
    c, p = _need_num(cur, "yoy"), _need_num(prev, "yoy")
    if p.scalar_value() == 0:
        raise FilterError("上年数为0，无法计算同比")
    change = ((c.scalar_value() - p.scalar_value()) / p.scalar_value() * 100).quantize(Decimal("0.1"),
                                                                                         rounding=ROUND_HALF_UP)
    if change == 0:
        return "与上年持平"
    source = f"yoy({c._source},{p._source})"
    word = "同比增长" if change > 0 else "同比下降"
    a = abs(change)
    text = str(int(a)) if a == a.to_integral_value() else format(a, "f")
    return word + mark(source, text + "%")


def _report_year(ctx: Any) -> int | None:
    meta = ctx.get("meta") if ctx is not None else None
    year = getattr(meta, "year", None) if meta is not None else None
    try:
        return int(year.scalar_value()) if isinstance(year, Num) else None
    except (TypeError, ValueError):
        return None


@pass_context
def date(ctx: Any, v: Any, form: str = "auto") -> str:
    """A data date: `auto` (default) writes 8月25日 inside the report year, 2020年8月25日 outside it;
    ymd, md, ym, m force a form."""
    if not isinstance(v, DateVal):
        raise FilterError("date 只能用于数据中的日期")
    if form not in ("auto", "ymd", "md", "ym", "m"):
        raise FilterError("date 的格式应为 auto、ymd、md、ym 或 m")
    if form == "auto":
        form = "md" if v.scalar_value().year == _report_year(ctx) else "ymd"
    return v.render(form)


@pass_context
def md(ctx: Any, v: Any) -> str:
    return date(ctx, v, "md")


@pass_context
def ym(ctx: Any, v: Any) -> str:
    return date(ctx, v, "ym")


@pass_context
def inyear(ctx: Any, v: Any) -> str:
    """A clerk's time text (2020年10月) without the report year (10月) when it is that year;
    other texts unchanged; trailing punctuation removed as by `clause`."""
    from ..data.tense import same_year_prefix

    text, source = _text_of(v)
    year = _report_year(ctx)
    core = text.strip().rstrip(TRAIL_PUNCT)
    if year is not None:
        core = same_year_prefix(core, year)
    return mark(source, core) if source else core


def doc(v: Any) -> str:
    """A Document node → 《标题》（文号）"""
    title = getattr(v, "title", None)
    if title is None:
        raise FilterError("doc 只能用于文件（含 title 字段）")
    number = getattr(v, "number", None)
    return book(title) + (f"（{number}）" if number else "")


def book(v: Any) -> str:
    """《标题》, inner book-title marks turned into 〈〉 as official style requires."""
    text, source = _text_of(v)
    core = text.strip().strip("《》").replace("《", "〈").replace("》", "〉")
    return "《" + (mark(source, core) if source else core) + "》"


def period(v: Any) -> str:
    """The statistics period of the report year: 2023年1月1日至12月31日 (sourced meta.year)."""
    n = _need_num(v, "period")
    return mark(n._source, f"{int(n.scalar_value())}年1月1日至12月31日")


def _text_of(v: Any) -> tuple[str, str | None]:
    if isinstance(v, Txt):
        return v._text, v._source
    return str(v), None


def stop(v: Any) -> str:
    """End a clerk's text as a sentence: trailing ；，removed, 。 added when missing."""
    text, source = _text_of(v)
    if source is None:
        body = text
        p = strip_marks(body)
        if p and p[-1] in END_PUNCT:
            return body
        return body.rstrip(TRAIL_PUNCT) + "。"
    core = text.rstrip(TRAIL_PUNCT)
    if text.rstrip() and text.rstrip()[-1] in END_PUNCT:
        return mark(source, text.rstrip())
    return mark(source, core) + "。"


def clause(v: Any) -> str:
    """A clerk's text inside a sentence: trailing punctuation removed."""
    text, source = _text_of(v)
    core = text.strip().rstrip(TRAIL_PUNCT)
    return mark(source, core) if source else core


def lead(v: Any) -> str:
    """A clerk's lead phrase, ending with 。"""
    text, source = _text_of(v)
    core = text.strip().rstrip(TRAIL_PUNCT)
    return (mark(source, core) if source else core) + "。"


def join_cn(items: Iterable[Any], last: str = "和") -> str:
    """A、B和C"""
    parts = [str(x) for x in items]
    if len(parts) <= 1:
        return "".join(parts)
    return "、".join(parts[:-1]) + last + parts[-1]


def quoted(v: Any) -> str:
    """“名称” (names of columns, accounts)"""
    text, source = _text_of(v)
    core = text.strip().strip("“”\"")
    return "“" + (mark(source, core) if source else core) + "”"


def category(v: Any) -> str:
    return category_label(v)


def total(*nums: Any) -> Num:
    """The sum of several data numbers, sourced as a+b (only exact counts)."""
    ns = [_need_num(n, "total") for n in nums if n is not None]
    if not ns:
        raise FilterError("total 至少需要一个数字")
    if any(not n.exact for n in ns):
        raise FilterError("约数不能相加")
    return Num(sum((n.scalar_value() for n in ns), Decimal(0)), "+".join(n._source for n in ns))


FILTERS = {"book": book, "period": period, "wan": wan, "pct": pct, "date": date, "md": md, "ym": ym, "doc": doc, "stop": stop, "inyear": inyear,
           "clause": clause, "lead": lead, "join_cn": join_cn, "quoted": quoted, "category": category,
           "cn": cn, "ordinal": ordinal, "paren": paren}
GLOBALS = {"yoy": yoy, "cn": cn, "ordinal": ordinal, "paren": paren, "total": total}
