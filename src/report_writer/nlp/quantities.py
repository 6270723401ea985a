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


def normalize(text: str) -> str:
    """Length-preserving normalisation: ０-９ → 0-9, （）→(), ，→, ; radicals → characters.

    Circled numbers (①) and other compatibility forms are kept as they are: NFKC would
    turn ① into a bare 1 and invent a quantity.
    """
    if text.isascii():
        return text
    return text.translate(_NORM)


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

# dates: 2020年8月26日, 2020年8月, 2020年(度), 7月5日, 8月份, 7月底, 二〇二〇年
_Y = r"(?P<y>(?:19|20)\d{2}|[二〇零一三四五六七八九]{4})"
_M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_DATE_RES = [
    re.compile(rf"{_Y}年(?:{_M}月(?:份|{_D}[日号])?)?(?:度)?"),
    re.compile(rf"(?<![\d.]){_M}月(?:{_D}[日号]|份)?"),
    re.compile(rf"(?<![\d.])(?P<d>3[01]|[12]\d|0?[1-9])日(?![常均报])"),
    re.compile(r"(?P<q>[一二三四1-4])季度"),
]

_QUOTE_RE = re.compile(r"“[^”\n]{1,24}”|\"[^\"\n]{1,24}\"|‘[^’\n]{1,24}’|「[^」\n]{1,24}」")  # names in quotes
_TITLE_RE = re.compile(r"《[^》\n]{1,100}》")  # titles

_PROTECTED_RES = [
    re.compile(r"https?://[^\s，。；、)）\u4e00-\u9fff]+"),
    re.compile(r"www\.[A-Za-z0-9./_\-]+"),
    re.compile(r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:cn|com|net|org|gov)\b[^\s，。；、\u4e00-\u9fff]*"),
    re.compile(r"[〔\[(【［][0-9]{4}[〕\])】］]\s*第?\s*\d+\s*号"),  # 〔2019〕60号, (2019) 54号
    re.compile(r"[〔\[【][0-9]{4}[〕\]】]"),
    re.compile(r"令?第\s*\d+\s*号"),
    re.compile(r"\d+\s*号(?![文件])"),  # 828号, 75号 (addresses and document numbers)
    re.compile(r"(?:电话|热线|传真|手机|联系方式|咨询电话)[:：]?\s*[\d\-－—()（）、, ]{5,}\d"),
    re.compile(r"(?<!\d)0\d{2,3}\s*[-－—]{1,2}\s*\d{7,8}(?!\d)"),
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),
    re.compile(r"(?<!\d)(?:12345|12315|12369|110|119|120)(?=[热政平便市民服\"“”'热线)）])"),
    re.compile(r"(?:邮编|邮政编码)[:：]?\s*\d{6}"),
    re.compile(r"\d{1,2}:\d{2}"),
    re.compile(rf"第[\d{CN_DIGITS}]+"),  # 第六期, 第711号, 第二十条
    re.compile(r"[一二三四五六七八九十]+(?:是|要|则|来)(?![\d])"),  # 一是 二是 …
    re.compile(r"其[一二三四五六七八九十]"),
    re.compile(r"[(（]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]"),  # (一) （1）
    re.compile(r"(?:^|(?<=[。；;:：!！?？\s]))\d{1,2}[.．、](?=(?:19|20)\d{2}年|[^\d])"),  # 1. 2. list markers
    _QUOTE_RE,
    _TITLE_RE,
    re.compile(r"[A-Za-z]+\d+[A-Za-z\d]*|\d+[A-Za-z]+"),  # S7, 5G, 3D, 1+X codes
    re.compile(r"\d\s*\+\s*[A-Za-z\d]"),
    re.compile(r"十[一二三四五]五|一带一路|六稳六保|三大攻坚战|三安全一稳定|三门峡|两化|一站式|一网通办|一网统管|"
               r"一件事|一次办|一次性|一窗|一门式|一张网|一张图|一把手|一线|一刻钟|两张皮|两微一端|"
               r"[一二三四五六七八九十]中全会|[一二三四五六七八九十]{1,3}[届大](?=[一二三四五六七八九十中全会代])"),
]

# before a Chinese numeral, these characters make it part of a word (统一, 逐一, 唯一, 之一 …)
_CN_WORD_BEFORE = set("统逐唯之同单万第每任某这那哪几数上成")


_THOUSANDS_RE = re.compile(r",(\d{3})(?!\d)(\.\d+)?")
_TAIL_RE = re.compile(rf"(?P<scale>[万亿](?![元人]))?(?P<mid>{_POST_SCALE})?(?P<unit>{_UNIT_RE})?(?P<post>{_POST})?")


# Text of which a pattern needs at least one (a quick `in` test before the regex runs).
# Keyed by the pattern's own text: an edited or added pattern has no entry and always runs.
_NEEDS = {
    'https?://[^\\s，。；、)）\\u4e00-\\u9fff]+':
        ('://',),
    'www\\.[A-Za-z0-9./_\\-]+':
        ('www.',),
    '[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)*\\.(?:cn|com|net|org|gov)\\b[^\\s，。；、\\u4e00-\\u9fff]*':
        ('.cn', '.com', '.net', '.org', '.gov'),
    '[〔\\[(【［][0-9]{4}[〕\\])】］]\\s*第?\\s*\\d+\\s*号':
        ('号',),
    '[〔\\[【][0-9]{4}[〕\\]】]':
        ('〔', '[', '【'),
    '令?第\\s*\\d+\\s*号':
        ('号',),
    '\\d+\\s*号(?![文件])':
        ('号',),
    '(?:电话|热线|传真|手机|联系方式|咨询电话)[:：]?\\s*[\\d\\-－—()（）、, ]{5,}\\d':
        ('电话', '热线', '传真', '手机', '联系方式'),
    '(?<!\\d)0\\d{2,3}\\s*[-－—]{1,2}\\s*\\d{7,8}(?!\\d)':
        ('-', '－', '—'),
    '(?<!\\d)1[3-9]\\d{9}(?!\\d)':
        ('1',),
    '(?<!\\d)(?:12345|12315|12369|110|119|120)(?=[热政平便市民服\\"“”\'热线)）])':
        ('12', '11'),
    '(?:邮编|邮政编码)[:：]?\\s*\\d{6}':
        ('邮编', '邮政编码'),
    '\\d{1,2}:\\d{2}':
        (':', '：'),
    '第[\\d零〇一二两三四五六七八九十百千万亿]+':
        ('第',),
    '[一二三四五六七八九十]+(?:是|要|则|来)(?![\\d])':
        ('是', '要', '则', '来'),
    '其[一二三四五六七八九十]':
        ('其',),
    '[(（]\\s*[\\d一二三四五六七八九十]{1,3}\\s*[)）]':
        ('(', '（'),
    '(?:^|(?<=[。；;:：!！?？\\s]))\\d{1,2}[.．、](?=(?:19|20)\\d{2}年|[^\\d])':
        ('.', '．', '、'),
    '“[^”\\n]{1,24}”|\\"[^\\"\\n]{1,24}\\"|‘[^’\\n]{1,24}’|「[^」\\n]{1,24}」':
        ('“', '"', '‘', '「'),
    '《[^》\\n]{1,100}》':
        ('《',),
    '\\d\\s*\\+\\s*[A-Za-z\\d]':
        ('+',),
    '十[一二三四五]五|一带一路|六稳六保|三大攻坚战|三安全一稳定|三门峡|两化|一站式|一网通办|一网统管|一件事|一次办|一次性|一窗|一门式|一张网|一张图|一把手|一线|一刻钟|两张皮|两微一端|[一二三四五六七八九十]中全会|[一二三四五六七八九十]{1,3}[届大](?=[一二三四五六七八九十中全会代])':
        ('一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '两'),
    '(?P<y>(?:19|20)\\d{2}|[二〇零一三四五六七八九]{4})年(?:(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:份|(?P<d>3[01]|[12]\\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])[日号])?)?(?:度)?':
        ('年',),
    '(?<![\\d.])(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:(?P<d>3[01]|[12]\\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])[日号]|份)?':
        ('月',),
    '(?<![\\d.])(?P<d>3[01]|[12]\\d|0?[1-9])日(?![常均报])':
        ('日',),
    '(?P<q>[一二三四1-4])季度':
        ('季度',),
}


@lru_cache(maxsize=None)
def _need_test(pattern: str):
    """The quick test of _NEEDS for a pattern (None: none), as one `in` or one regex search."""
    need = _NEEDS.get(pattern)
    if need is None:
        return None
    if len(need) == 1:
        lit = need[0]
        return lambda t: lit in t
    rx = re.compile("|".join(re.escape(n) for n in need))
    return lambda t: rx.search(t) is not None


def _may_match(rx: re.Pattern, t: str) -> bool:
    test = _need_test(rx.pattern)
    return test is None or test(t)

# Each pattern with its quick test, looked up once (a paragraph asks ~30 of them).
_PROTECTED_TESTS = [(rx, _need_test(rx.pattern)) for rx in _PROTECTED_RES]
_DATE_TESTS = [(rx, _need_test(rx.pattern)) for rx in _DATE_RES]


def _protected(t: str) -> list[tuple[int, int]]:
    spans = []
    for rx, test in _PROTECTED_TESTS:
        if test is not None and not test(t):
            continue
        spans.extend(m.span() for m in rx.finditer(t) if m.end() > m.start())
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


def find_dates(text: str, norm: str | None = None) -> list[DateMention]:
    t = norm if norm is not None else normalize(text)
    quoted = None
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for rx, test in _DATE_TESTS:
        if test is not None and not test(t):
            continue
        # the dates of the patterns before this one (this one's own matches never overlap)
        earlier = _SpanSet(taken)
        for m in rx.finditer(t):
            a, b = m.span()
            if quoted is None:
                quoted = _SpanSet([q.span() for qrx in (_QUOTE_RE, _TITLE_RE) for q in qrx.finditer(t)])
            if earlier.overlaps(a, b) or quoted.overlaps(a, b):
                continue
            g = m.groupdict()
            if g.get("q"):
                q = g["q"]
                if a > 0 and t[a - 1] in "个每各本上下该近":
                    continue
                out.append(DateMention(a, b, text[a:b], month=None, kind="quarter",
                                       day=None, year=None))
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
            out.append(DateMention(a, b, text[a:b], year=y, month=mo, day=d, kind=kind))
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


def find_quantities(text: str, norm: str | None = None, dates: list[DateMention] | None = None) -> list[Quantity]:
    """Every quantity written in `text` (not dates, 文号, phone numbers, ordinals, list markers …)."""
    t = norm if norm is not None else normalize(text)
    if dates is None:
        dates = find_dates(text, t)
    blocked = _SpanSet(_protected(t) + [(d.start, d.end) for d in dates])
    out: list[Quantity] = []
    last_end = 0
    for m in _QTY_RE.finditer(t):
        a, b = m.span()
        if a == b or a < last_end:
            continue
        na, nb = m.span("num")
        digits = m.group("num")
        numeral = "arabic" if digits[0].isdigit() else "chinese"
        # ignore pieces of a longer token (letters, further digits)
        if na > 0 and (t[na - 1].isascii() and (t[na - 1].isalnum() or t[na - 1] in "./-_+")):
            continue
        if nb < len(t) and t[nb:nb + 1].isascii() and (t[nb].isalpha() or t[nb] in "+_/"):
            continue
        if blocked.overlaps(na, nb):
            continue
        pre, pct, scale_s, mid, unit, post = (m.group(k) for k in ("pre", "pct", "scale", "mid", "unit", "post"))
        if numeral == "arabic":
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
        if numeral == "chinese":
            if not unit and not pct:
                continue  # 一季度, 十四五, 六稳: a Chinese numeral counts only with a measure word
            if not pct and na > 0 and t[na - 1] in _CN_WORD_BEFORE:
                continue
            if digits in ("一", "两") and not pre and unit and b < len(t) and t[b] in "性事办式图网表窗门线把刻些般起直致定律":
                continue
            value = _cn_value(digits)
            if value is None:
                continue
        else:
            value = Decimal(digits)
        if post in ("余", "多") and mid:
            post = None
        approx_post = mid or post
        if pre == "达":
            pre = None
            a = na if not pct else m.start("pct")
        scale = Decimal(1)
        if scale_s:
            scale = Decimal(10000) if scale_s == "万" else Decimal(100000000)
        unit_txt = unit
        is_percent = bool(pct) or unit == "%"
        if pct and not unit:
            unit_txt = "%"
        if unit in MONEY_UNITS:
            scale = scale * MONEY_UNITS[unit]
        elif unit and unit.startswith("万") and len(unit) > 1:
            scale = scale * 10000
            unit_txt = unit[1:]
        if numeral == "chinese" and digits[0] in "〇" and unit == "年":
            continue  # 二〇二〇年 is a year, found by find_dates
        # a four-digit year followed by 年 is a date, found above; 3年 is a duration
        mag = value * scale
        step = _step(digits, value, scale, numeral)
        if is_percent and "." not in digits:
            step = Decimal(1)  # 100%: the zeros of a percentage are written digits
        rounded = "." in digits or bool(scale_s) or unit in ("万元", "亿元") or is_percent
        low, high, lo_open, hi_open = _interval(mag, step, pre, approx_post, rounded)
        out.append(Quantity(
            start=a, end=b, text=text[a:b], value=mag, low=low, high=high, low_open=lo_open, high_open=hi_open,
            unit=unit_txt, approx=pre or approx_post, is_percent=is_percent, numeral=numeral,
            num_start=na, num_end=nb))
        last_end = b
    return out


def base_unit(unit: str | None) -> str | None:
    """元 for every money unit; the measure word otherwise."""
    if unit in MONEY_UNITS:
        return "元"
    return unit


def to_base(value: Decimal, unit: str | None) -> Decimal:
    """A table value in the metric's unit (万元) to the base unit of quantities (元)."""
    return value * MONEY_UNITS.get(unit or "", Decimal(1))
