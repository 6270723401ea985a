"""公文 proofreading (rules PROOF-*): warnings and notes, never errors, each with its fix.

Kept low in noise on purpose: a clean published report should give a handful of findings at
most, so a habit that runs through a whole document (half-width commas in a PDF print) is
one note for the document, with the count and the first place, not one per comma.

  PROOF-DOCNO   a 文号 with the year in [ ] 【】 ( ) instead of 〔〕 (warning)
  PROOF-WIDTH   half-width , ; : ( ) between Chinese characters (info, once per document; Word and
                HTML only: a .txt is often a PDF extraction, which decides the width itself)
  PROOF-PUNCT   doubled punctuation: ，， 。。 ，。 (warning)
  PROOF-PAIR    an unbalanced quotation mark, bracket or title mark in a paragraph (warning)
  PROOF-REPEAT  a word written twice in a row: 审核审核 (warning)

The missing number before a measure word (全年公开核准企业资质条) is NUM-MISSING of the NLP pass.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..findings import Finding

_HAN = r"\u4e00-\u9fff"
_DOCNO_RE = re.compile(rf"(?P<org>[{_HAN}]{{1,10}}?[发函字办规文电令])\s*(?P<open>[\[［【(（])\s*(?P<year>(?:19|20)\d{{2}})\s*"
                       rf"(?P<close>[\]］】)）])\s*(?P<num>\d{{1,4}})\s*号")
_YEAR_IN_BRACKETS_RE = re.compile(r"[\[［【(（]\s*(?:19|20)\d{2}\s*[\]］】)）]\s*\d")
_WIDTH_RE = re.compile(rf"(?<=[{_HAN}])[,;:](?=[{_HAN}“])|(?<=[{_HAN}])\((?=[^()\n]{{0,40}}[{_HAN}][^()\n]{{0,40}}\))")
_DOUBLE_RE = re.compile(r"([，。；：、！？])\1|[，；：、][。]|[。][，；、]")
_REPEAT_RE = re.compile(rf"([{_HAN}]{{2,6}})\1|([^，。；、,;]{{8,40}}?)\2")
_REPEAT_OK = re.compile(r"^(?:[一二三四五六七八九十百千万]+|(.)\1?)$")
_PAIRS = (("“", "”"), ("《", "》"), ("（", "）"), ("(", ")"), ("【", "】"), ("〔", "〕"))
_NOTICE_RE = re.compile(r"国办[\u4e00-\u9fff]{0,6}?公开[\u4e00-\u9fff]{0,3}?函")
_NUMBER_RE = re.compile(r"\d+")
_CLAUSE_MARK_RE = re.compile(r"[。，,；]")
_HALF_WIDTH_RE = re.compile(r"[,;:(]")  # what _WIDTH_RE needs
_CLOSES_RE = re.compile(r"[。！？!?]\s*$")
_HAN_RE = re.compile(f"[{_HAN}]")


def _prose(ctx: Any) -> list[Any]:
    """Paragraphs of running text (not table rows: a line of figures has no sentence)."""
    cached = getattr(ctx, "_prose_paragraphs", None)
    if cached is not None:
        return cached
    out = []
    for p in ctx.doc.paragraphs:
        t = p.text.strip()
        if not t or getattr(p, "style", None) in ("title", "heading"):
            continue
        if len(_NUMBER_RE.findall(t)) >= 4 and not _CLAUSE_MARK_RE.search(t):
            continue
        out.append(p)
    try:
        ctx._prose_paragraphs = out
    except AttributeError:  # a context that takes no attributes: compute again next time
        pass
    return out


def check_docno(ctx: Any) -> list[Finding]:
    out = []
    for p in _prose(ctx):
        if not _YEAR_IN_BRACKETS_RE.search(p.text):
            continue  # most paragraphs cite no 文号: skip the slower full pattern
        for m in _DOCNO_RE.finditer(p.text):
            if _NOTICE_RE.search(m.group("org")) or _NOTICE_RE.search(p.text[max(0, m.start() - 4):m.end()]):
                continue  # the format notice's own number: NOTICE-NUMBER
            if m.group("open") == "（" and m.group("close") == "）" and "号" not in m.group(0):
                continue
            fixed = f"{m.group('org')}〔{m.group('year')}〕{m.group('num')}号"
            written = m.group(0)
            out.append(Finding(
                rule="PROOF-DOCNO", level="warning", expected=fixed, found=written,
                location=ctx.loc(p.index, m.start(), m.end()),
                message=f"文号“{written}”的年份括号有误：发文字号的年份应使用六角括号〔〕，应为“{fixed}”"))
    return out


def check_width(ctx: Any) -> list[Finding]:
    if getattr(ctx.doc, "kind", None) == "text":
        return []  # plain text is often extracted from a PDF, whose punctuation width the extraction decides
    hits = [(p, m) for p in _prose(ctx) if _HALF_WIDTH_RE.search(p.text) for m in _WIDTH_RE.finditer(p.text)]
    if not hits:
        return []
    p, m = hits[0]
    a = max(0, m.start() - 6)
    sample = p.text[a:m.end() + 6]
    return [Finding(
        rule="PROOF-WIDTH", level="info", expected="全角标点（，；：（））", found=f"半角标点{len(hits)}处",
        location=ctx.loc(p.index, m.start(), m.end()),
        message=f"中文句子中使用了半角标点，共{len(hits)}处（首处：“{sample}”）；中文行文应使用全角标点"
                "“，”“；”“：”“（）”")]


def check_doubled(ctx: Any) -> list[Finding]:
    out = []
    for p in _prose(ctx):
        for m in _DOUBLE_RE.finditer(p.text):
            fix = m.group()[-1] if m.group()[-1] == "。" else m.group()[0]
            out.append(Finding(
                rule="PROOF-PUNCT", level="warning", expected=fix, found=m.group(),
                location=ctx.loc(p.index, m.start(), m.end()),
                message=f"标点重复：“{p.text[max(0, m.start() - 8):m.end() + 4]}”中的“{m.group()}”应为“{fix}”"))
    return out


def check_pairs(ctx: Any) -> list[Finding]:
    """A paragraph-closing sentence with a mark left open, or a closing mark with no opening one.

    Paragraphs broken mid-sentence (PDF lines) are joined first, so a bracket may close on
    the next line."""
    out = []
    chunk: list[Any] = []
    for p in _prose(ctx) + [None]:
        if p is not None:
            chunk.append(p)
            if not _CLOSES_RE.search(p.text):
                continue
        if not chunk:
            continue
        text = "".join(q.text for q in chunk)
        for op, cl in _PAIRS:
            if op not in text and cl not in text:
                continue
            depth, bad = 0, None
            for mk in _pair_re(op, cl).finditer(text):
                i, c = mk.start(), mk.group()
                if c == op:
                    depth += 1
                elif c == cl:
                    depth -= 1
                    if depth < 0:
                        bad = (i, f"多出右侧的“{cl}”")
                        break
            if bad is None and depth > 0:
                i = text.rfind(op)
                bad = (i, f"“{op}”没有对应的“{cl}”")
            if bad is None:
                continue
            i, what = bad
            para, off = _locate(chunk, i)
            out.append(Finding(
                rule="PROOF-PAIR", level="warning", expected=f"成对的“{op}{cl}”", found=what,
                location=ctx.loc(para.index, off, off + 1),
                message=f"标点不成对：“{text[max(0, i - 10):i + 10]}”处{what}；请补齐或删去"))
        chunk = []
    return out


@lru_cache(maxsize=None)
def _pair_re(op: str, cl: str) -> re.Pattern:
    return re.compile(re.escape(op) + "|" + re.escape(cl))


def _locate(chunk: list[Any], i: int) -> tuple[Any, int]:
    for q in chunk:
        if i < len(q.text):
            return q, i
        i -= len(q.text)
    return chunk[-1], max(0, len(chunk[-1].text) - 1)


@lru_cache(maxsize=1)
def _table_labels() -> tuple[str, ...]:
    """Column and row labels of the forms: a header printed twice is a page break, not a slip."""
    from ..formats import all_formats

    out = set()
    for fmt in all_formats().values():
        for table in fmt.tables.values():
            for b in [table, *table.blocks]:
                out |= {c.label for c in b.columns if len(c.label) >= 3}
    return tuple(sorted(out))


def check_repeats(ctx: Any) -> list[Finding]:
    out = []
    for p in _prose(ctx):
        for m in _REPEAT_RE.finditer(p.text):
            w = m.group(1) or m.group(2)
            if _REPEAT_OK.match(w) or len(_HAN_RE.findall(w)) < 2:
                continue
            if m.group(2) and (len(_HAN_RE.findall(w)) < 4 or any(lb in w for lb in _table_labels())):
                continue
            out.append(Finding(
                rule="PROOF-REPEAT", level="warning", expected=w, found=m.group(),
                location=ctx.loc(p.index, m.start(), m.end()),
                message=f"疑似重复：“{m.group()}”，应为“{w}”"))
    return out


PROOF_CHECKS = (check_docno, check_width, check_doubled, check_pairs, check_repeats)


def proofread(ctx: Any) -> list[Finding]:
    out: list[Finding] = []
    for check in PROOF_CHECKS:
        out += check(ctx)
    return out
