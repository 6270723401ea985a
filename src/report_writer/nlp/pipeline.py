"""The spaCy pipeline of the NLP pass: one per process, jieba segmentation, custom components.

    nlp = get_nlp()
    doc = analyse("全年受理依申请公开23件，均规范办理。", Context(level="县级政府"))
    doc._.quantities, doc._.dates, doc._.claims, doc._.missing, doc._.clauses

Components (in order): rw_sentences (sentence starts on 。！？；, clause spans on ，、：),
rw_quantities (own patterns on the raw text, aligned to tokens), rw_claims (the metric
linker), rw_missing (a measure word with no number before it: 发布信息条).

No model is downloaded: spacy.blank("zh") with the jieba segmenter (its dictionary ships
with the package); the domain words are added to jieba once (jieba's user words are
process-global). In worker pools build the pipeline inside each worker.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
import time
from typing import Any

from .claims import COMMA, ENUM, Context, clause_spans, link, load_lexicon, sentence_spans
from .quantities import CN_DIGITS, find_dates, find_quantities, normalize

import numpy
from spacy.attrs import IDX, SENT_START

_LOCK = threading.Lock()
_NLP: Any = None
LOAD_SECONDS: float | None = None  # measured when the pipeline was built

# terms of the domain that jieba must keep whole (besides the lexicon's words and the labels)
DOMAIN_TERMS = [
    "政府信息公开", "政务公开", "依申请公开", "主动公开", "行政复议", "行政诉讼", "规范性文件", "行政规范性文件",
    "政务新媒体", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理", "结转下年度",
    "上年结转", "本年新收", "信息处理费", "政府公报", "新闻发布会", "在线访谈", "政策解读", "行政许可",
    "行政处罚", "行政强制", "行政事业性收费", "复议后起诉", "未经复议直接起诉", "法人或其他组织", "自然人",
    "办结", "收办", "规章", "现行有效", "本年制发", "本年废止", "政府网站", "门户网站", "公开专栏",
    "信访举报投诉", "重复申请", "公开出版物", "三类内部事务信息", "四类过程性信息", "行政执法案卷",
    "行政查询事项", "国家秘密", "第三方合法权益", "三安全一稳定", "逾期不补正", "逾期不缴费",
]

# measure words that NUM-MISSING looks for when they stand without a number
BARE_UNITS = {"件", "条", "次", "场", "期", "篇", "个", "项", "人次", "家", "名", "册", "份", "万元", "元"}
_BARE_RE = re.compile("(?:" + "|".join(sorted(BARE_UNITS, key=len, reverse=True)) + r")(?=[，,。；;、：:！？!?)）]|$)")
_NOT_BEFORE_UNIT = set("余多万亿几数每各该本此首这那哪某逐一两整单同历其") | set(CN_DIGITS)
_COUNT_VERBS = re.compile(r"共|合计|累计|发布|公开|受理|收到|新收|办理|办结|开展|召开|编制|编印|印发|制发|制作|举办|"
                          r"组织|推送|回复|答复|新增|关停|整合|排查|监测|培训|征集|收取")


def domain_terms() -> list[str]:
    terms = set(DOMAIN_TERMS) | load_lexicon().terms()
    try:
        from ..formats import all_formats

        for fmt in all_formats().values():
            for tid in ("table2", "table3", "table4"):
                try:
                    table = fmt.table(tid)
                except Exception:  # noqa: BLE001 - a format without the table
                    continue
                for row in getattr(table, "rows", []):
                    label = re.sub(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）|^\d+\.", "", row.label)
                    label = re.sub(r"（.*?）", "", label)
                    if 2 <= len(label) <= 12:
                        terms.add(label)
    except Exception:  # noqa: BLE001 - the labels only refine segmentation
        pass
    return sorted(t for t in terms if t and not re.search(r"\d", t))


def _register(nlp: Any) -> None:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    for name in ("quantities", "dates", "claims", "missing", "norm"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    # token spans are built on access only: the checker works on character offsets
    if not Doc.has_extension("clauses"):
        Doc.set_extension("clauses", getter=_clause_spans)
    if not Doc.has_extension("quantity_spans"):
        Doc.set_extension("quantity_spans", getter=_quantity_spans)
    if not Span.has_extension("quantity"):
        Span.set_extension("quantity", default=None)

    if "rw_sentences" not in Language.factories:
        @Language.component("rw_sentences")
        def rw_sentences(doc):
            text = _text(doc)
            t = normalize(text)
            doc._.norm = t
            sents = sentence_spans(t)
            starts = {a for a, _ in sents}
            idx = _token_starts(doc)
            if idx:
                flags = numpy.array([1 if (i == 0 or x in starts) else -1 for i, x in enumerate(idx)], dtype="int64")
                doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
            return doc

        @Language.component("rw_quantities")
        def rw_quantities(doc):
            text = _text(doc)
            t = doc._.norm if doc._.norm is not None else normalize(text)
            doc._.dates = find_dates(text, t)
            doc._.quantities = find_quantities(text, t, doc._.dates)
            return doc

        @Language.component("rw_claims")
        def rw_claims(doc):
            ctx = doc.user_data.get("rw_context") or Context()
            doc._.claims = link(_text(doc), ctx=ctx, norm=doc._.norm, quantities=doc._.quantities, dates=doc._.dates)
            return doc

        @Language.component("rw_missing")
        def rw_missing(doc):
            doc._.missing = _missing_numbers(doc)
            return doc


def _clause_spans(doc: Any) -> list:
    """Clauses of the doc (on ，、： within sentences) as token spans."""
    t = doc._.norm or normalize(_text(doc))
    idx = _token_starts(doc)
    out = []
    for a, b in sentence_spans(t):
        for c0, c1 in clause_spans(t, a, b, COMMA + ENUM):
            if t[c0:c1].strip():
                span = _span(doc, idx, c0, c1)
                if span is not None:
                    out.append(span)
    return out


def _quantity_spans(doc: Any) -> list:
    """Token spans of the quantities, each with span._.quantity set."""
    idx = _token_starts(doc)
    out = []
    for q in doc._.quantities or []:
        span = _span(doc, idx, q.start, q.end)
        if span is not None:
            span._.quantity = q
            out.append(span)
    return out


def _text(doc: Any) -> str:
    text = doc.user_data.get("rw_text")
    if text is None:
        text = doc.user_data["rw_text"] = doc.text
    return text


def _token_starts(doc: Any) -> list[int]:
    cached = doc.user_data.get("rw_idx")
    if cached is None:
        cached = doc.user_data["rw_idx"] = doc.to_array(IDX).tolist() if len(doc) else []
    return cached


def _span(doc: Any, idx: list[int], a: int, b: int) -> Any:
    """The token span covering chars [a, b) (like char_span(..., alignment_mode="expand"), faster)."""
    if not idx or b <= a:
        return None
    i = bisect.bisect_right(idx, a) - 1
    j = bisect.bisect_left(idx, b)
    return doc[max(i, 0):max(j, i + 1)]


def _missing_numbers(doc: Any) -> list[tuple[int, int, str]]:
    """(start, end, unit) of measure words that stand where a number was meant: 共主动公开条。"""
    out = []
    t = doc._.norm or _text(doc)
    covered = [(q.start, q.end) for q in (doc._.quantities or [])]
    sents = None
    idx = _token_starts(doc)
    for m in _BARE_RE.finditer(t):
        a = m.start()
        i = bisect.bisect_left(idx, a)
        if i >= len(idx) or idx[i] != a or i == 0:
            continue
        tok = doc[i]
        if tok.text not in BARE_UNITS:
            continue
        nxt = doc[i + 1].text if i + 1 < len(doc) else "。"
        if not nxt or nxt[0] not in "，,。；;、：:！？!?)）":
            continue
        prev = doc[i - 1].text
        if not prev or prev[-1] in _NOT_BEFORE_UNIT or prev[-1].isdigit() or not ("\u4e00" <= prev[-1] <= "\u9fff"):
            continue
        if any(x <= a < y for x, y in covered):
            continue
        if sents is None:
            sents = sentence_spans(t)
        sent_start = max([x for x, _ in sents if x <= a] or [0])
        clause_start = max([x for x, _ in clause_spans(t, sent_start, a + 1, COMMA + ENUM)] or [sent_start])
        if not _COUNT_VERBS.search(t, clause_start, a):
            continue
        out.append((a, a + len(tok.text), tok.text))
    return out


class _JiebaNoHMM:
    def __init__(self, jieba: Any):
        self._jieba = jieba

    def cut(self, text: str, cut_all: bool = False) -> Any:
        return self._jieba.cut(text, cut_all=cut_all, HMM=False)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jieba, name)


def get_nlp() -> Any:
    """The process's pipeline (built on first use; ~1 s, mostly jieba's dictionary)."""
    global _NLP, LOAD_SECONDS
    if _NLP is not None:
        return _NLP
    with _LOCK:
        if _NLP is not None:
            return _NLP
        t0 = time.perf_counter()
        import jieba
        import spacy

        jieba.setLogLevel(logging.WARNING)
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        # jieba's HMM guesses unknown words; the pass needs the dictionary words only
        # (domain terms are added below), and it costs a fifth of the time
        nlp.tokenizer.jieba_seg = _JiebaNoHMM(jieba)
        for term in domain_terms():
            jieba.add_word(term, freq=max(2000, 400 * len(term)))
        _register(nlp)
        for name in ("rw_sentences", "rw_quantities", "rw_claims", "rw_missing"):
            nlp.add_pipe(name)
        nlp("预热。")  # force jieba's dictionary now, not in the first report
        LOAD_SECONDS = time.perf_counter() - t0
        _NLP = nlp
        return nlp


# A clause is segmented by jieba only when it can hold a quantity; the components read the
# raw text and use tokens only to align spans and to find a bare measure word, so a clause with
# neither a numeral nor a trailing measure word can stay one
# token. This keeps the pass linear and cheap on long narrative (jieba is pure Python).
_CLAUSE_SEP = re.compile(r"([，,。；;、：:！？!?（）()“”\s]+)")
_NUMERAL = re.compile(r"[0-9０-９二三四五六七八九十百千两〇零%％]")


def _make_doc(nlp: Any, text: str) -> Any:
    from spacy.tokens import Doc
    from spacy.util import get_words_and_spaces

    seg = nlp.tokenizer.jieba_seg
    words: list[str] = []
    for i, piece in enumerate(_CLAUSE_SEP.split(text)):
        if not piece:
            continue
        if i % 2:  # separators: one token each, as the jieba tokenizer makes them
            words.extend(piece)
        elif _NUMERAL.search(piece) or _BARE_RE.search(piece):
            words.extend(w for w in seg.cut(piece, cut_all=False) if w)
        else:
            words.append(piece)
    words, spaces = get_words_and_spaces(words, text)
    return Doc(nlp.vocab, words=words, spaces=spaces)


def analyse(text: str, ctx: Context | None = None) -> Any:
    """Run the pipeline on one (logical) paragraph with the body's context."""
    nlp = get_nlp()
    doc = _make_doc(nlp, text)
    doc.user_data["rw_context"] = ctx or Context()
    doc.user_data["rw_text"] = text
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
