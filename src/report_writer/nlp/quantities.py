"""Numbers in Chinese official prose: quantities with their written precision, and dates.

Everything works on the RAW paragraph text: offsets index the text as given.  The
text is first normalised character by character (full-width digits and punctuation,
CJK radical look-alikes from PDF extraction) so that every offset is preserved.

A written number implies an interval (the XBRL "precision" idea): 23件 is [23, 23],
1.2万条 is [11500, 12500], 35339.15万元 is ±50元, 近300 is below 300, 300余 is
(300, 400), 约300 is a band, 超过300 is (300, ∞).  Claims are compared by interval
intersection, never by ad-hoc epsilons.

Chinese numerals are converted with cn2an on the numeral span only, and only where
a measure word follows: 一季度, 一是, 十四五, 三门峡, 六稳六保 are not quantities.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..chars import RADICALS

# ---------------------------------------------------------------- normalisation


def _norm_table() -> dict[int, str]:
    table = {}
    ranges = [(0xFF01, 0xFF5E), (0x3000, 0x3000), (0x2F00, 0x2FD5), (0xF900, 0xFAFF)]
    for lo, hi in ranges:
        for o in range(lo, hi + 1):
            n = unicodedata.normalize("NFKC", chr(o))
            if len(n) == 1 and n != chr(o):
                table[o] = n
    for k, v in RADICALS.items():
        table[ord(k)] = v
    return table


_NORM = _norm_table()
_NORM_MAP = {chr(k): v for k, v in _NORM.items()}
_NORM_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_NORM_MAP)) + "]")
# No replacement is itself replaced: then replacing the few characters a paragraph holds, one
# str.replace each, gives what one translate gives (4× faster: translate looks every character up)
_BY_REPLACE = not set(_NORM_MAP.values()) & set(_NORM_MAP)


def normalize(text: str) -> str:
    """Length-preserving normalisation: ０-９ → 0-9, （）→(), ，→, ; radicals → characters.

    Circled numbers (①) and other compatibility forms are kept as they are: NFKC would
    turn ① into a bare 1 and invent a quantity.
    """
    if text.isascii():
        return text
    if not _BY_REPLACE:
        return text.translate(_NORM)
    for c in set(_NORM_RE.findall(text)):
        text = text.replace(c, _NORM_MAP[c])
    return text


# ---------------------------------------------------------------- types


@dataclass(frozen=True)
class Quantity:
    start: int  # char offsets in the raw text (end exclusive)
    end: int
    text: str  # the raw text of the whole expression (近300人次)
    value: Decimal  # magnitude in the base unit (元 for money, 1 for counts, % for percentages)
    low: Decimal | None  # interval the writing implies; None = unbounded
    high: Decimal | None
    low_open: bool = False
    high_open: bool = False
    unit: str | None = None  # measure word as written (件, 条, 人次, 万元, %, 个百分点 …)
    approx: str | None = None  # 近, 约, 余, 多, 超过, 以上, 不足 …
    is_percent: bool = False
    numeral: str = "arabic"  # arabic | chinese
    num_start: int = 0  # offsets of the digits themselves (for annotations on the number)
    num_end: int = 0

    @property
    def exact(self) -> bool:
        return self.approx is None and self.low == self.high

    def contains(self, v: Decimal) -> bool:
        if self.low is not None and (v < self.low or (self.low_open and v == self.low)):
            return False
        if self.high is not None and (v > self.high or (self.high_open and v == self.high)):
            return False
        return True

    def intersects(self, low: Decimal | None, high: Decimal | None) -> bool:
        """Closed interval [low, high] (None = unbounded) against this one."""
        if low is not None and self.high is not None:
            if low > self.high or (self.high_open and low == self.high):
                return False
        if high is not None and self.low is not None:
            if high < self.low or (self.low_open and high == self.low):
                return False
        return True

    def shown(self) -> str:
        return self.text


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    kind: str = "date"  # date | month | year | quarter


# ---------------------------------------------------------------- patterns

CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CN = f"[{CN_DIGITS}]+"
_AR = r"\d+(?:\.\d+)?"

# measure words, longest first so that 人次 wins over 人 and 个百分点 over 个
UNITS = sorted(
    """个百分点 个工作日 个季度 个月 万人次 人次 件次 万元 亿元 元 % 大项 小项 大类 平方米 公里 公顷 小时 分钟
    件 条 次 场 期 个 项 篇 家 名 册 份 人 批 起 户 张 部 类 轮 天 周 所 处 套 台 本 宗 例 位 组 支 块 栏 页 亩 吨 倍 分 年 岁""".split(),
    key=len, reverse=True)
MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
# units that scale the number: money (元 is 1, but kept on the general path) and 万人次
_SCALED_UNITS = frozenset(MONEY_UNITS) | {u for u in UNITS if u.startswith("万") and len(u) > 1}
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)

_PRE = "将近|接近|不少于|不低于|不超过|多于|少于|超过|不足|不到|大约|约|近|逾|达"
_POST_SCALE = "余|多"
_POST = "以上|以下|以内|左右|余|多"

# Every match starts with a digit, a numeral, 百 (百分之) or the first character of a prefix word:
# the lookahead says so, and lets the regex engine skip the other positions quickly (5× faster).
_QTY_FIRST = "".join(sorted(set(CN_DIGITS) | {"百"} | {w[0] for w in _PRE.split("|")}))
_QTY_RE = re.compile(
    rf"(?=[\d{_QTY_FIRST}])"
    rf"(?P<pre>{_PRE})?"
    rf"(?P<pct>百分之)?"
    rf"(?P<num>{_AR}|{_CN})"
    rf"(?P<scale>[万亿](?![元人]))?"
    rf"(?P<mid>{_POST_SCALE})?"
    rf"(?P<unit>{_UNIT_RE})?"
    rf"(?P<post>{_POST})?"
)

# Every pattern below comes with what it cannot match without, tested before the regex runs:
# `needs`, strings of which the text holds at least one (a plain `in`), and `digit`, whether it
# needs a digit (\d, one search per paragraph for all of them). A lookahead on the characters a
# match can start with is added where a pattern begins with a class or an alternation: the regex
# engine then skips the other positions quickly; it changes no match. tests/test_nlp_analysis.py
# checks every shortcut against the bare pattern on real text.


@dataclass(frozen=True)
class _Pattern:
    rx: re.Pattern
    needs: tuple[str, ...] = ()  # () = no such string
    digit: bool = False
    alpha: bool = False  # needs an ASCII letter as well

    def may_match(self, t: str, has_digit: bool, has_alpha: bool) -> bool:
        if (self.digit and not has_digit) or (self.alpha and not has_alpha):
            return False
        if not self.needs:
            return True
        for n in self.needs:
            if n in t:
                return True
        return False


def _pat(pattern: str, *needs: str, digit: bool = False, alpha: bool = False) -> _Pattern:
    return _Pattern(re.compile(pattern), needs, digit, alpha)


_DIGIT_RE = re.compile(r"\d")
_ALPHA_RE = re.compile(r"[A-Za-z]")

# dates: 2020年8月26日, 2020年8月, 2020年(度), 7月5日, 8月份, 7月底, 二〇二〇年
_Y = r"(?P<y>(?:19|20)\d{2}|[二〇零一三四五六七八九]{4})"
_M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_DATES = [
    _pat(rf"(?=[12二〇零一三四五六七八九]){_Y}年(?:{_M}月(?:份|{_D}[日号])?)?(?:度)?", "年"),
    _pat(rf"(?=[0-9十一二三四五六七八九])(?<![\d.]){_M}月(?:{_D}[日号]|份)?", "月"),
    _pat(r"(?=[0-9])(?<![\d.])(?P<d>3[01]|[12]\d|0?[1-9])日(?![常均报])", "日", digit=True),
    _pat(r"(?P<q>[一二三四1-4])季度", "季度"),
]

_QUOTE = _pat(r"“[^”\n]{1,24}”|\"[^\"\n]{1,24}\"|‘[^’\n]{1,24}’|「[^」\n]{1,24}」", "“", '"', "‘", "「")  # names
_TITLE = _pat(r"《[^》\n]{1,100}》", "《")  # titles
_QUOTE_RE, _TITLE_RE = _QUOTE.rx, _TITLE.rx
_CN_FIRST = "一二三四五六七八九十两"

_PROTECTED = [
    _pat(r"https?://[^\s，。；、)）\u4e00-\u9fff]+", "://"),
    _pat(r"www\.[A-Za-z0-9./_\-]+", "www."),
    _pat(r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:cn|com|net|org|gov)\b[^\s，。；、\u4e00-\u9fff]*",
         ".cn", ".com", ".net", ".org", ".gov"),
    _pat(r"[〔\[(【［][0-9]{4}[〕\])】］]\s*第?\s*\d+\s*号", "号", digit=True),  # 〔2019〕60号, (2019) 54号
    _pat(r"[〔\[【][0-9]{4}[〕\]】]", "〔", "[", "【", digit=True),
    _pat(r"令?第\s*\d+\s*号", "号", digit=True),
    _pat(r"\d+\s*号(?![文件])", "号", digit=True),  # 828号, 75号 (addresses and document numbers)
    _pat(r"(?:电话|热线|传真|手机|联系方式|咨询电话)[:：]?\s*[\d\-－—()（）、, ]{5,}\d",
         "电话", "热线", "传真", "手机", "联系方式", digit=True),
    _pat(r"(?=0)(?<!\d)0\d{2,3}\s*[-－—]{1,2}\s*\d{7,8}(?!\d)", "-", "－", "—", digit=True),
    _pat(r"(?=1)(?<!\d)1[3-9]\d{9}(?!\d)", "1", digit=True),
    _pat(r"(?=1)(?<!\d)(?:12345|12315|12369|110|119|120)(?=[热政平便市民服\"“”'热线)）])", "12", "11", digit=True),
    _pat(r"(?:邮编|邮政编码)[:：]?\s*\d{6}", "邮编", "邮政编码", digit=True),
    _pat(r"(?=\d)\d{1,2}:\d{2}", ":", "：", digit=True),
    _pat(rf"第[\d{CN_DIGITS}]+", "第"),  # 第六期, 第711号, 第二十条
    _pat(r"(?=[一二三四五六七八九十])[一二三四五六七八九十]+(?:是|要|则|来)(?![\d])", "是", "要", "则", "来"),  # 一是 …
    _pat(r"其[一二三四五六七八九十]", "其"),
    _pat(r"[(（]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]", "(", "（"),  # (一) （1）
    _pat(r"(?=\d)(?:^|(?<=[。；;:：!！?？\s]))\d{1,2}[.．、](?=(?:19|20)\d{2}年|[^\d])", ".", "．", "、",
         digit=True),  # 1. 2. list markers
    _QUOTE,
    _TITLE,
    _pat(r"(?=[A-Za-z\d])(?:[A-Za-z]+\d+[A-Za-z\d]*|\d+[A-Za-z]+)", digit=True, alpha=True),  # S7, 5G, 3D codes
    _pat(r"\d\s*\+\s*[A-Za-z\d]", "+", digit=True),  # 1+X
    _pat(rf"(?=[{_CN_FIRST}])(?:十[一二三四五]五|一带一路|六稳六保|三大攻坚战|三安全一稳定|三门峡|两化|一站式|一网通办|"
         r"一网统管|一件事|一次办|一次性|一窗|一门式|一张网|一张图|一把手|一线|一刻钟|两张皮|两微一端|"
         r"[一二三四五六七八九十]中全会|[一二三四五六七八九十]{1,3}[届大](?=[一二三四五六七八九十中全会代]))",
         *_CN_FIRST),
]

# before a Chinese numeral, these characters make it part of a word (统一, 逐一, 唯一, 之一 …)
_CN_WORD_BEFORE = set("统逐唯之同单万第每任某这那哪几数上成")


_THOUSANDS_RE = re.compile(r",(\d{3})(?!\d)(\.\d+)?")
_TAIL_RE = re.compile(rf"(?P<scale>[万亿](?![元人]))?(?P<mid>{_POST_SCALE})?(?P<unit>{_UNIT_RE})?(?P<post>{_POST})?")


_PROTECTED_NO_DIGIT = [p for p in _PROTECTED if not p.digit]


class _Scan:
    """One paragraph's pattern runs: what the quick tests share (does it hold a digit, an ASCII
    letter) and the spans of quotes and titles (asked by dates and protected spans alike)."""

    __slots__ = ("t", "digit", "alpha", "_quoted")

    def __init__(self, t: str):
        self.t = t
        self.digit = _DIGIT_RE.search(t) is not None
        self.alpha = self.digit and _ALPHA_RE.search(t) is not None  # only asked together with a digit
        self._quoted: tuple[list, list] | None = None

    def quoted(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(spans of quotes, spans of titles)."""
        if self._quoted is None:
            t = self.t
            self._quoted = tuple([m.span() for m in p.rx.finditer(t)] if p.may_match(t, self.digit, self.alpha)
                                 else [] for p in (_QUOTE, _TITLE))
        return self._quoted


def _protected(t: str, scan: _Scan | None = None) -> list[tuple[int, int]]:
    """Spans where a number is not a quantity (document numbers, phone numbers, ordinals, names …)."""
    scan = scan or _Scan(t)
    spans: list[tuple[int, int]] = []
    for p in _PROTECTED if scan.digit else _PROTECTED_NO_DIGIT:
        if not p.may_match(t, scan.digit, scan.alpha):
            continue
        if p is _QUOTE:
            spans += scan.quoted()[0]
        elif p is _TITLE:
            spans += scan.quoted()[1]
        else:
            spans += [m.span() for m in p.rx.finditer(t) if m.end() > m.start()]
    return spans


class _SpanSet:
    """Does [a, b) overlap one of many spans? By bisection on the starts and the running maximum
    of the ends, so a long paragraph with many protected spans stays linear."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.max_end: list[int] = []
        top = None
        for _, e in spans:
            top = e if top is None or e > top else top
            self.max_end.append(top)

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect.bisect_left(self.starts, b)  # the spans starting before b
        return i > 0 and self.max_end[i - 1] > a


# one-character numerals (nearly all those of a report) are read without cn2an, whose import
# costs ~0.1 s; None where cn2an finds no number (百, 千 …). tests/test_quantities.py checks it.
_CN_ONE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
           "十": 10}


@lru_cache(maxsize=4096)
def _cn_value(s: str) -> Decimal | None:
    if len(s) == 1 and s in CN_DIGITS:
        return Decimal(_CN_ONE[s]) if s in _CN_ONE else None
    import cn2an

    try:
        if re.fullmatch(r"[〇零一二三四五六七八九]{2,}", s):  # 二〇二〇: digit by digit
            return Decimal("".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in s))
        v = cn2an.cn2an(s, "strict")
    except (ValueError, KeyError, IndexError):
        try:
            v = cn2an.cn2an(s, "normal")
        except (ValueError, KeyError, IndexError):
            return None
    return Decimal(str(v))


def _step(digits: str, value: Decimal, scale: Decimal, numeral: str) -> Decimal:
    """The place value of the last written significant digit (precision of the writing)."""
    if numeral == "arabic":
        if "." in digits:
            return Decimal(1).scaleb(-len(digits.split(".")[1])) * scale
        tz = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
        return Decimal(10) ** tz * scale
    iv = int(value)
    if iv == 0:
        return Decimal(1)
    tz = len(str(iv)) - len(str(iv).rstrip("0"))
    return Decimal(10) ** tz


def _interval(value: Decimal, step: Decimal, pre: str | None, post: str | None, decimal_written: bool):
    """(low, high, low_open, high_open) implied by the writing."""
    half = step / 2 if decimal_written else Decimal(0)
    marker = pre or post
    if marker in ("余", "多"):
        return value, value + step, True, True
    if marker in ("近", "将近", "接近"):
        return value - max(value / 10, Decimal(1)), value, False, True  # 近300: [270, 300)
    if marker in ("约", "大约", "左右"):
        band = max(step / 2, value / 10)
        return value - band, value + band, False, False
    if marker in ("超过", "逾", "多于"):
        return value, None, True, False
    if marker in ("以上", "不少于", "不低于"):
        return value, None, False, False
    if marker in ("不足", "不到", "少于"):
        return Decimal(0), value, False, True
    if marker in ("以下", "以内", "不超过"):
        return Decimal(0), value, False, False
    return value - half, value + half, False, False


def find_dates(text: str, norm: str | None = None, scan: _Scan | None = None) -> list[DateMention]:
    t = norm if norm is not None else normalize(text)
    scan = scan or _Scan(t)
    quoted = None
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATES:
        if not pattern.may_match(t, scan.digit, scan.alpha):
            continue
        # the dates of the patterns before this one (this one's own matches never overlap)
        earlier = _SpanSet(taken) if taken else None
        for m in pattern.rx.finditer(t):
            a, b = m.span()
            if quoted is None:
                quoted = _SpanSet(scan.quoted()[0] + scan.quoted()[1])
            if (earlier is not None and earlier.overlaps(a, b)) or quoted.overlaps(a, b):
                continue
            g = m.groupdict()
            if g.get("q"):
                if a > 0 and t[a - 1] in "个每各本上下该近":
                    continue
                out.append(_without_init(DateMention, a, b, text[a:b], None, None, None, "quarter"))
                taken.append((a, b))
                continue
            if b < len(t) and t[b] in "个":  # 3个月 is a duration
                continue
            y = _int(g.get("y"))
            mo = _int(g.get("m"))
            d = _int(g.get("d"))
            if y is None and mo is None and d is None:
                continue
            kind = "date" if d is not None and (mo is not None or y is not None) else (
                "month" if mo is not None else ("year" if y is not None else "date"))
            out.append(_without_init(DateMention, a, b, text[a:b], y, mo, d, kind))
            taken.append((a, b))
    out.sort(key=lambda x: x.start)
    return out


def _int(s: str | None) -> int | None:
    if not s:
        return None
    if s.isdigit():
        return int(s)
    v = _cn_value(s)
    return int(v) if v is not None else None


def find_quantities(text: str, norm: str | None = None, dates: list[DateMention] | None = None,
                    scan: _Scan | None = None) -> list[Quantity]:
    """Every quantity written in `text` (not dates, 文号, phone numbers, ordinals, list markers …)."""
    t = norm if norm is not None else normalize(text)
    scan = scan or _Scan(t)
    if dates is None:
        dates = find_dates(text, t, scan)
    dated = _SpanSet([(d.start, d.end) for d in dates]) if dates else None
    blocked: _SpanSet | None = None  # protected spans, found when a number outside the dates first needs them
    out: list[Quantity] = []
    last_end = 0
    n = len(t)
    for m in _QTY_RE.finditer(t):
        a, b = m.span()
        if a == b or a < last_end:
            continue
        pre, pct, digits, scale_s, mid, unit, post = m.group(1, 2, 3, 4, 5, 6, 7)
        na, nb = m.span(3)
        arabic = digits[0].isdigit()
        if not arabic and not unit and not pct:
            continue  # 一季度, 十四五, 六稳: a Chinese numeral counts only with a measure word
        # ignore pieces of a longer token (letters, further digits)
        if na > 0 and (t[na - 1].isascii() and (t[na - 1].isalnum() or t[na - 1] in "./-_+")):
            continue
        if nb < n and t[nb].isascii() and (t[nb].isalpha() or t[nb] in "+_/"):
            continue
        if dated is not None and dated.overlaps(na, nb):
            continue  # (2020年: most numbers that are not quantities are dates, known already)
        if blocked is None:
            blocked = _SpanSet(_protected(t, scan))
        if blocked.overlaps(na, nb):
            continue
        if arabic:
            numeral = "arabic"
            # thousands separators written with an ASCII comma in the raw text: 3,456.78
            grown = False
            while True:
                mm = _THOUSANDS_RE.match(t, nb)
                if mm and text[nb] == "," and "." not in digits:
                    digits += mm.group(1) + (mm.group(2) or "")
                    nb = mm.end()
                    grown = True
                else:
                    break
            if grown:
                tail = _TAIL_RE.match(t, nb)
                scale_s, mid, unit, post = tail.group("scale"), tail.group("mid"), tail.group("unit"), tail.group("post")
                b = tail.end()
            value = Decimal(digits)
        else:
            numeral = "chinese"
            if not pct and na > 0 and t[na - 1] in _CN_WORD_BEFORE:
                continue
            if digits in ("一", "两") and not pre and unit and b < n and t[b] in "性事办式图网表窗门线把刻些般起直致定律":
                continue
            value = _cn_value(digits)
            if value is None:
                continue
            if digits[0] == "〇" and unit == "年":
                continue  # 二〇二〇年 is a year, found by find_dates
        if post in ("余", "多") and mid:
            post = None
        approx_post = mid or post
        if pre == "达":
            pre = None
            a = na if not pct else m.start(2)
        is_percent = bool(pct) or unit == "%"
        if arabic and not (pre or approx_post or scale_s or is_percent or "." in digits or unit in _SCALED_UNITS
                           or len(digits) > 18):  # (longer: Decimal arithmetic would round at 28 digits)
            # a plain count (23件): the interval is the number itself (what _interval gives, without the work)
            out.append(_without_init(Quantity, a, b, text[a:b], value, value, value, False, False, unit, None,
                                     False, numeral, na, nb))
            last_end = b
            continue
        scale = Decimal(1)
        if scale_s:
            scale = Decimal(10000) if scale_s == "万" else Decimal(100000000)
        unit_txt = unit
        if pct and not unit:
            unit_txt = "%"
        if unit in MONEY_UNITS:
            scale = scale * MONEY_UNITS[unit]
        elif unit and unit.startswith("万") and len(unit) > 1:
            scale = scale * 10000
            unit_txt = unit[1:]
        # a four-digit year followed by 年 is a date, found above; 3年 is a duration
        mag = value * scale
        step = _step(digits, value, scale, numeral)
        if is_percent and "." not in digits:
            step = Decimal(1)  # 100%: the zeros of a percentage are written digits
        rounded = "." in digits or bool(scale_s) or unit in ("万元", "亿元") or is_percent
        low, high, lo_open, hi_open = _interval(mag, step, pre, approx_post, rounded)
        out.append(_without_init(Quantity, a, b, text[a:b], mag, low, high, lo_open, hi_open, unit_txt,
                                 pre or approx_post, is_percent, numeral, na, nb))
        last_end = b
    return out


def _without_init(cls: type, *values):
    """cls(*values) for a frozen dataclass, without its __init__ (a dozen object.__setattr__ calls:
    a third of the cost of a plain number). tests/test_quantities.py holds the two equal."""
    obj = object.__new__(cls)
    obj.__dict__.update(zip(cls.__dataclass_fields__, values))
    return obj


def base_unit(unit: str | None) -> str | None:
    """元 for every money unit; the measure word otherwise."""
    if unit in MONEY_UNITS:
        return "元"
    return unit


def to_base(value: Decimal, unit: str | None) -> Decimal:
    """A table value in the metric's unit (万元) to the base unit of quantities (元)."""
    return value * MONEY_UNITS.get(unit or "", Decimal(1))
