"""The NLP pass of one paragraph: quantities, dates, claims, bare measure words.

    a = analysis("全年受理依申请公开23件，均规范办理。", Context(level="县级政府"))
    a._.quantities, a._.dates, a._.claims, a._.missing, a._.norm     (no spaCy needed)

    nlp = get_nlp()
    doc = analyse("全年受理依申请公开23件，均规范办理。", Context(level="县级政府"))
    doc._.quantities, doc._.dates, doc._.claims, doc._.missing, doc._.clauses

The checker uses `analysis`: the pass reads the raw text with its own patterns, and needs
tokens only to tell a bare measure word (共主动公开条。) from the end of a word (印发文件，), so
jieba segments a paragraph only when such a candidate is found, and spaCy is not loaded at
all. `analyse` gives the same results on a spaCy Doc (spacy.blank("zh") with the jieba
segmenter and these components, in order: rw_sentences (sentence starts on 。！？；, clause
spans on ，、：), rw_quantities, rw_claims (the metric linker), rw_missing); an Analysis
builds that Doc on first use of anything else (tokens, sents, ._.clauses).

No model is downloaded: jieba's dictionary ships with the package; its prepared form is
cached in the user's cache folder (usercache.py). The domain words are added to jieba once
(jieba's user words are process-global). In worker pools build the pipeline inside each worker.
"""

from __future__ import annotations

import bisect
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from .claims import COMMA, ENUM, Context, clause_spans, link, load_lexicon, sentence_spans
from .quantities import CN_DIGITS, _Scan, _SpanSet, find_dates, find_quantities, normalize

_LOCK = threading.Lock()
_NLP: Any = None
_JIEBA: Any = None
LOAD_SECONDS: float | None = None  # measured when the spaCy pipeline was built
JIEBA_SECONDS: float | None = None  # measured when jieba's dictionary was loaded

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


# ---------------------------------------------------------------- jieba


def _import_jieba() -> Any:
    """Import jieba without pkg_resources: jieba only uses it to open its own data files (and
    falls back to plain paths without it), and importing it costs ~0.1 s and a deprecation warning."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba
        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def _load_dictionary(jieba: Any) -> None:
    """jieba's prefix dictionary, kept in the user's cache folder between runs.

    jieba's own cache goes to the system temp folder, shared by every user, and is read with
    marshal.load on the file, which reads object by object (~1–2 s); here it is the user's own
    folder (usercache.py), read whole and then unmarshalled (~0.2 s). Without a usable folder
    jieba builds the dictionary from its word list (~1 s) and nothing is written."""
    import marshal

    from ..usercache import read_private, user_cache_dir, write_private

    dt = jieba.dt
    folder = user_cache_dir()
    cache = None
    with dt.lock:
        if dt.initialized:
            return
        src = dt.get_dict_file()
        try:
            if folder is not None:
                st = os.fstat(src.fileno())
                # the name changes with jieba and with its word list: a stale cache is never read
                cache = folder / f"jieba-{getattr(jieba, '__version__', 'x')}-{st.st_size}-{int(st.st_mtime)}.cache"
                data = read_private(cache)
                if data is not None:
                    try:
                        freq, total = marshal.loads(data)
                        if isinstance(freq, dict) and isinstance(total, int):
                            dt.FREQ, dt.total, dt.initialized = freq, total, True
                            return
                    except (ValueError, EOFError, TypeError):
                        pass  # a damaged cache is rebuilt
            dt.FREQ, dt.total = dt.gen_pfdict(src)
            dt.initialized = True
        finally:
            src.close()
    if cache is not None:
        write_private(cache, marshal.dumps((dt.FREQ, dt.total)))


def _release_freed_memory() -> None:
    """Give the C heap's free pages back to the system before jieba's ~70 MB dictionary is built.

    By then the reader's XML tree of a long report is freed, but glibc keeps those pages and
    Python's allocator does not reuse them (its arenas are mapped apart), so both would count in
    the peak (a 100× report: 309 → 252 MB, the reader's own peak). Linux/glibc only; elsewhere a no-op."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        pass


def _jieba() -> Any:
    """jieba with its dictionary and the domain words (once per process)."""
    global _JIEBA, JIEBA_SECONDS
    if _JIEBA is not None:
        return _JIEBA
    with _LOCK:
        if _JIEBA is None:
            t0 = time.perf_counter()
            jieba = _import_jieba()
            jieba.setLogLevel(logging.WARNING)
            _release_freed_memory()
            _load_dictionary(jieba)
            for term in domain_terms():
                jieba.add_word(term, freq=max(2000, 400 * len(term)))
            JIEBA_SECONDS = time.perf_counter() - t0
            _JIEBA = jieba
    return _JIEBA


def _cut(piece: str) -> Any:
    # jieba's HMM guesses unknown words; the pass needs the dictionary words only
    # (domain terms are added), and it costs a fifth of the time
    return _jieba().cut(piece, cut_all=False, HMM=False)


class _JiebaNoHMM:
    def __init__(self, jieba: Any):
        self._jieba = jieba

    def cut(self, text: str, cut_all: bool = False) -> Any:
        return self._jieba.cut(text, cut_all=cut_all, HMM=False)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jieba, name)


# ---------------------------------------------------------------- tokens

# A clause is segmented by jieba only when it can hold a quantity; the components read the
# raw text and use tokens only to align spans and to find a bare measure word, so a clause with
# neither a numeral nor a trailing measure word can stay one token. This keeps the pass linear
# and cheap on long narrative (jieba is pure Python).
_CLAUSE_SEP = re.compile(r"([，,。；;、：:！？!?（）()“”\s]+)")
_NUMERAL = re.compile(r"[0-9０-９二三四五六七八九十百千两〇零%％]")


def _words(text: str, cut: Callable[[str], Any]) -> list[tuple[int, str]]:
    """(offset, word) of the words of `text` that are not whitespace, in order."""
    out: list[tuple[int, str]] = []
    pos = 0
    for i, piece in enumerate(_CLAUSE_SEP.split(text)):
        if not piece:
            continue
        if i % 2:  # separators: one token each, as the jieba tokenizer makes them
            for k, ch in enumerate(piece):
                if not ch.isspace():
                    out.append((pos + k, ch))
        elif _NUMERAL.search(piece) or _BARE_RE.search(piece):
            at = pos
            for w in cut(piece):
                if w:
                    out.append((at, w))
                    at += len(w)
        else:
            out.append((pos, piece))
        pos += len(piece)
    return out


def tokens(text: str, cut: Callable[[str], Any] | None = None) -> tuple[list[int], list[str], list[bool]]:
    """(starts, texts, trailing spaces) of the tokens of `text`: the Doc that spacy.util's
    get_words_and_spaces makes of the words (one space after a word is the word's trailing
    space; other whitespace runs are tokens), built in one pass instead of a search per word."""
    starts: list[int] = []
    texts: list[str] = []
    spaces: list[bool] = []
    pos, n = 0, len(text)
    for at, w in _words(text, cut or _cut):
        if at > pos:
            starts.append(pos)
            texts.append(text[pos:at])
            spaces.append(False)
        starts.append(at)
        texts.append(w)
        pos = at + len(w)
        if pos < n and text[pos] == " ":
            spaces.append(True)
            pos += 1
        else:
            spaces.append(False)
    if pos < n:
        starts.append(pos)
        texts.append(text[pos:])
        spaces.append(False)
    return starts, texts, spaces


def _missing_numbers(t: str, quantities: list, tokens_of: Callable[[], tuple[list[int], list[str]]]
                     ) -> list[tuple[int, int, str]]:
    """(start, end, unit) of measure words that stand where a number was meant: 共主动公开条。

    The checks on the text come first; `tokens_of` (the paragraph's token starts and texts,
    jieba's work) is called only for a measure word that passes them."""
    out = []
    covered = None
    sent_starts = None
    idx = texts = None
    for m in _BARE_RE.finditer(t):
        a = m.start()
        if covered is None:
            covered = _SpanSet([(q.start, q.end) for q in quantities or []])
        if covered.overlaps(a, a + 1):  # a quantity holds it (x <= a < y)
            continue
        if sent_starts is None:
            sent_starts = [x for x, _ in sentence_spans(t)]
        k = bisect.bisect_right(sent_starts, a)
        sent_start = sent_starts[k - 1] if k else 0
        clause_start = clause_spans(t, sent_start, a + 1, COMMA + ENUM)[-1][0]  # (starts increase)
        if not _COUNT_VERBS.search(t, clause_start, a):
            continue
        if idx is None:
            idx, texts = tokens_of()
        i = bisect.bisect_left(idx, a)
        if i >= len(idx) or idx[i] != a or i == 0:
            continue
        tok = texts[i]
        if tok not in BARE_UNITS:
            continue
        nxt = texts[i + 1] if i + 1 < len(texts) else "。"
        if not nxt or nxt[0] not in "，,。；;、：:！？!?)）":
            continue
        prev = texts[i - 1]
        if not prev or prev[-1] in _NOT_BEFORE_UNIT or prev[-1].isdigit() or not ("\u4e00" <= prev[-1] <= "\u9fff"):
            continue
        out.append((a, a + len(tok), tok))
    return out


# ---------------------------------------------------------------- the pass without spaCy


class _Results:
    """The `._` of an Analysis: the pass's results; other extensions come from the spaCy Doc.

    It holds the text and context rather than its Analysis: a reference back would make a cycle
    per paragraph, which only the garbage collector frees (check pauses it, see check/api.py)."""

    def __init__(self, text: str, ctx: Context, **values: Any):
        self.__dict__.update(values)
        self._text = text
        self._ctx = ctx
        self._doc = None

    @property
    def doc(self) -> Any:
        """The spaCy Doc of this paragraph with the same results (built on first use)."""
        if self._doc is None:
            doc = _make_doc(get_nlp(), self._text)
            doc.user_data["rw_context"] = self._ctx
            doc.user_data["rw_text"] = self._text
            _set_sentences(doc, self.norm)
            for name in ("norm", "dates", "quantities", "claims", "missing"):
                setattr(doc._, name, getattr(self, name))
            self._doc = doc
        return self._doc

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_text", "_ctx", "_doc"):
            raise AttributeError(name)
        return getattr(self.doc._, name)


class Analysis:
    """One paragraph analysed (see the module doc): `._.norm/dates/quantities/claims/missing`
    like the spaCy Doc of `analyse`; tokens, sentences and other attributes build that Doc."""

    def __init__(self, text: str, ctx: Context):
        self.text = text
        self.ctx = ctx
        norm = normalize(text)
        scan = _Scan(norm)
        dates = find_dates(text, norm, scan)
        quantities = find_quantities(text, norm, dates, scan)
        claims = link(text, ctx=ctx, norm=norm, quantities=quantities, dates=dates)
        missing = _missing_numbers(norm, quantities, lambda: _token_lists(text))
        self._ = _Results(text, ctx, norm=norm, dates=dates, quantities=quantities, claims=claims, missing=missing)

    @property
    def doc(self) -> Any:
        """The spaCy Doc of this paragraph with the same results (built on first use)."""
        return self._.doc

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_", "text", "ctx"):
            raise AttributeError(name)
        return getattr(self.doc, name)

    def __iter__(self):
        return iter(self.doc)

    def __len__(self) -> int:
        return len(self.doc)

    def __getitem__(self, i: Any) -> Any:
        return self.doc[i]


def _token_lists(text: str) -> tuple[list[int], list[str]]:
    starts, texts, _ = tokens(text)
    return starts, texts


def analysis(text: str, ctx: Context | None = None) -> Analysis:
    """The NLP pass on one (logical) paragraph with the body's context, without spaCy."""
    return Analysis(text, ctx or Context())


# ---------------------------------------------------------------- the spaCy pipeline


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
            t = normalize(_text(doc))
            doc._.norm = t
            _set_sentences(doc, t)
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
            t = doc._.norm or _text(doc)
            doc._.missing = _missing_numbers(t, doc._.quantities, lambda: (_token_starts(doc), [x.text for x in doc]))
            return doc


def _set_sentences(doc: Any, t: str) -> None:
    """Sentence starts on the Doc's tokens (sentences on 。！？； of the normalised text)."""
    import numpy
    from spacy.attrs import SENT_START

    starts = {a for a, _ in sentence_spans(t)}
    idx = _token_starts(doc)
    if idx:
        flags = numpy.array([1 if (i == 0 or x in starts) else -1 for i, x in enumerate(idx)], dtype="int64")
        doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))


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
        from spacy.attrs import IDX

        cached = doc.user_data["rw_idx"] = doc.to_array(IDX).tolist() if len(doc) else []
    return cached


def _span(doc: Any, idx: list[int], a: int, b: int) -> Any:
    """The token span covering chars [a, b) (like char_span(..., alignment_mode="expand"), faster)."""
    if not idx or b <= a:
        return None
    i = bisect.bisect_right(idx, a) - 1
    j = bisect.bisect_left(idx, b)
    return doc[max(i, 0):max(j, i + 1)]


def get_nlp() -> Any:
    """The process's spaCy pipeline (built on first use; jieba's dictionary is most of it)."""
    global _NLP, LOAD_SECONDS
    if _NLP is not None:
        return _NLP
    jieba = _jieba()  # before spaCy's tokenizer touches jieba: the dictionary comes from our cache
    with _LOCK:
        if _NLP is not None:
            return _NLP
        t0 = time.perf_counter()
        import spacy

        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        nlp.tokenizer.jieba_seg = _JiebaNoHMM(jieba)
        _register(nlp)
        for name in ("rw_sentences", "rw_quantities", "rw_claims", "rw_missing"):
            nlp.add_pipe(name)
        nlp("预热。")
        LOAD_SECONDS = time.perf_counter() - t0 + (JIEBA_SECONDS or 0)
        _NLP = nlp
        return nlp


def _make_doc(nlp: Any, text: str) -> Any:
    from spacy.tokens import Doc

    _, words, spaces = tokens(text)
    return Doc(nlp.vocab, words=words, spaces=spaces)


def analyse(text: str, ctx: Context | None = None) -> Any:
    """Run the spaCy pipeline on one (logical) paragraph with the body's context."""
    nlp = get_nlp()
    doc = _make_doc(nlp, text)
    doc.user_data["rw_context"] = ctx or Context()
    doc.user_data["rw_text"] = text
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
