"""Where the six sections, the title and the sub-heads of 总体情况 are in a SourceDocument.

Headings are recognised by number + text against the format files (`Section.heading` and
`Section.variants`), with full/half-width punctuation, spaces and the 一、/一./一，/一 variants
folded away. Body sentences that start with 一是 and a preamble that lists the parts in one
sentence never match: a heading needs a separator after the numeral and text that is (or starts
with, or closely resembles) a section heading.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..formats import Format, Section, all_formats
from . import labels
from .document import SourceDocument


@dataclass
class SectionSpan:
    id: str  # format section id: overview, proactive, requests, appeals, problems, other
    number: str  # 一 … 六 as printed in the document
    heading: str  # the heading paragraph's text as found (stripped)
    paragraph: int  # index of the heading paragraph
    end: int  # one past the section's last paragraph


@dataclass
class TitleInfo:
    paragraph: int
    text: str
    body: str | None  # reporting body, e.g. 宿迁市人民政府
    year: int | None  # report year, e.g. 2023


_HEAD_RE = re.compile(r"^\s*(?:第([一二三四五六])部分|([一二三四五六])\s*([、.,:;]|\s)|([一二三四五六])(?=[总主收行政因存其工基概]))\s*(.+)$", re.S)
_MAX_HEADING_WIDTH = 80


def _sections(fmt: Format | None) -> list[Section]:
    if fmt is not None:
        return list(fmt.sections)
    seen: dict[tuple[str, str], Section] = {}
    merged: dict[str, list[str]] = {}
    first: dict[str, Section] = {}
    for f in all_formats().values():
        for s in f.sections:
            first.setdefault(s.id, s)
            merged.setdefault(s.id, [])
            for v in [s.heading, *s.variants]:
                if v not in merged[s.id]:
                    merged[s.id].append(v)
            seen[(s.id, s.number)] = s
    return [Section(id=sid, number=first[sid].number, heading=first[sid].heading,
                    variants=[v for v in merged[sid] if v != first[sid].heading]) for sid in first]


def match_heading(text: str, fmt: Format | None = None) -> tuple[Section, str, str] | None:
    """(section, number as printed, heading text) when `text` is a section heading."""
    t = labels.text(text).strip()
    m = _HEAD_RE.match(t)
    if not m:
        return None
    number = m.group(1) or m.group(2) or m.group(4)
    rest = m.group(5)
    rk = labels.key(rest)
    if not rk:
        return None
    best: tuple[float, Section] | None = None
    for sec in _sections(fmt):
        for cand in [sec.heading, *sec.variants]:
            ck = labels.key(cand)
            if rk == ck:
                score = 3.0
            elif rk.startswith(ck) and len(ck) >= 4:
                # heading followed by a note ("（表二）", "（单位：件）") or by the section's first sentence
                score = 2.0
            elif labels.width(t) <= _MAX_HEADING_WIDTH and sec.number == number:
                ratio = difflib.SequenceMatcher(None, rk, ck).ratio()
                score = ratio if ratio >= 0.62 else 0.0
            else:
                score = 0.0
            if score and sec.number != number and score < 2.0:
                score = 0.0
            if score and (best is None or score > best[0]):
                best = (score, sec)
    if best is None:
        return None
    sec = best[1]
    heading = t if labels.width(t) <= _MAX_HEADING_WIDTH else t[: len(number) + 1 + len(sec.heading) + 4]
    return sec, number, heading.strip()


def find_sections(doc: SourceDocument, fmt: Format | None = None) -> list[SectionSpan]:
    """The six sections in document order (only those found)."""
    cands: list[tuple[int, Section, str, str]] = []
    for p in doc.paragraphs:
        if labels.width(p.text.strip()) > 400:
            continue
        m = match_heading(p.text, fmt)
        if m:
            cands.append((p.index, m[0], m[1], m[2]))
    _ORDER = {s.id: k for k, s in enumerate(_sections(fmt))}
    # A list of the parts in the preamble ("一、总体情况" "二、…" on consecutive lines) is not the
    # sections themselves when the same headings occur again later.
    drop: set[int] = set()
    i = 0
    while i < len(cands):
        j = i
        while (j + 1 < len(cands) and cands[j + 1][0] == cands[j][0] + 1
               and _ORDER.get(cands[j + 1][1].id, 0) > _ORDER.get(cands[j][1].id, 0)):
            j += 1
        if j - i >= 2:
            run_ids = {c[1].id for c in cands[i:j + 1]}
            later = {c[1].id for c in cands[j + 1:]}
            if run_ids & later:
                drop.update(range(i, j + 1))
        i = j + 1
    spans: list[SectionSpan] = []
    taken: set[str] = set()
    for k, (idx, sec, number, heading) in enumerate(cands):
        if k in drop or sec.id in taken:
            continue
        taken.add(sec.id)
        spans.append(SectionSpan(id=sec.id, number=number, heading=heading, paragraph=idx, end=len(doc.paragraphs)))
    spans.sort(key=lambda s: s.paragraph)
    for a, b in zip(spans, spans[1:]):
        a.end = b.paragraph
    return spans


_TITLE_YEAR = re.compile(r"(\d{4})\s*年度?")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年度?")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


def find_title(doc: SourceDocument) -> TitleInfo | None:
    """The report title (某某局2023年政府信息公开工作年度报告) among the paragraphs before section 一."""
    spans = find_sections(doc)
    limit = spans[0].paragraph if spans else min(len(doc.paragraphs), 15)
    limit = max(1, min(limit, 30))
    best = None
    paras = doc.paragraphs[:limit]
    cands = [(p, p.text.strip()) for p in paras]
    # a title printed over two lines: "某某局2023年政府信息公开" / "工作年度报告"
    cands += [(a, a.text.strip() + b.text.strip()) for a, b in zip(paras, paras[1:])
              if labels.width(a.text.strip()) <= 60 and labels.width(b.text.strip()) <= 60]
    for p, text in cands:
        k = labels.key(text)
        if "政府信息公开" not in k or ("报告" not in k and "年报" not in k):
            continue
        if labels.width(text) > 120 or "。" in text:
            continue
        score = (2 if p.style in ("title", "heading") else 0) + (1 if "年度报告" in k else 0) - 0.5 * (text != p.text.strip())
        if best is None or score > best[0]:
            best = (score, p, text)
    if best is None:
        return None
    p, title_text = best[1], best[2]
    t = labels.squash(title_text)
    year = None
    body = None
    m = _TITLE_YEAR.search(t)
    if m and 1990 <= int(m.group(1)) <= 2100:
        year = int(m.group(1))
    else:
        m = _CN_YEAR.search(t)
        if m:
            year = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
    if m:
        body = t[: m.start()].strip(" ：:—-") or None
        if body is None:
            after = t[m.end():]
            cut = after.find("政府信息公开")
            body = after[:cut].strip() or None if cut > 0 else None
    else:
        cut = t.find("政府信息公开")
        body = t[:cut] or None if cut > 0 else None
    if body is None and p.index > 0:
        prev = doc.paragraphs[p.index - 1].text.strip()
        if prev and labels.width(prev) <= 60 and not re.search(r"[。，,；;：:]", prev):
            body = labels.squash(prev)
    return TitleInfo(paragraph=p.index, text=title_text, body=body, year=year)


_SUB_RE = re.compile(r"^\s*[(（]\s*([一二三四五六七八九十])\s*[)）]\s*(.*)$", re.S)


def find_subsections(doc: SourceDocument, span: SectionSpan) -> list[tuple[str, str, int]]:
    """（一）…（五） sub-heads inside a section: (number, heading, paragraph index).

    The heading is the text up to the first 。/：/: (sub-heads often run on into the paragraph,
    "（二）依申请公开情况。积极参加…").
    """
    out = []
    expected = "一二三四五六七八九十"
    for p in doc.paragraphs[span.paragraph + 1: span.end]:
        m = _SUB_RE.match(labels.text(p.text))
        if not m:
            continue
        number, rest = m.group(1), m.group(2).strip()
        # keep the sequence: a (一) inside a later list restarts nothing
        if out and expected.index(number) <= expected.index(out[-1][0]):
            continue
        head = re.split(r"[。：:]", rest, maxsplit=1)[0].strip()
        if labels.width(head) > 60:
            head = head[:30]
        out.append((number, head, p.index))
    return out


def looks_like_report(doc: SourceDocument) -> tuple[bool, str]:
    """Whether the document resembles an annual report at all; else a Chinese reason."""
    spans = find_sections(doc)
    title = find_title(doc)
    row_keys: set[str] = set()
    for f in all_formats().values():
        for t in f.tables.values():
            for r in t.data_rows():
                row_keys.add(labels.bare_key(r.label))
            for b in t.blocks:
                row_keys.add(labels.key(b.caption))
    hits = 0
    for t in doc.tables:
        for c in t.cells:
            k = labels.bare_key(c.text)
            if k and k in row_keys:
                hits += 1
    if doc.kind == "html" and not doc.tables and len(spans) < 3:
        return False, ("网页中没有找到表格，也没有找到报告的各部分标题，不像政府信息公开工作年度报告的正文页"
                       "（可能是栏目列表页、搜索页，或表格以图片形式发布）")
    if hits >= 3 or len(spans) >= 2 or (title is not None and (spans or doc.tables)):
        return True, ""
    return False, ("不像政府信息公开工作年度报告：没有找到报告标题、“一、总体情况”等各部分标题，"
                   "也没有找到表二至表四的表格")


_OPENING = re.compile(r"^\s*(\d{4})\s*年(?:度|以来)?\s*[，,]\s*(?:(?:全|我|本)(?:区|县|市|镇|乡|局|委|办|厅)\s*)?"
                      r"(?P<body>[\u4e00-\u9fa5]{2,30}?(?:人民政府办公室|人民政府办公厅|人民政府|管理委员会|管委会|"
                      r"街道办事处|办公室|办公厅|委员会|局|厅|署|中心))?")


def find_opening_identity(doc: SourceDocument) -> tuple[str | None, int | None, int | None]:
    """(body, year, paragraph) from an opening sentence such as "2022年，XX区人民政府……".

    Used when the document has no title: a web page often prints the title in its header,
    outside the text that was saved.
    """
    spans = find_sections(doc)
    first = [p for p in doc.paragraphs[:3] if match_heading(p.text) is None]
    if spans and spans[0].id == "overview":
        first += [p for p in doc.paragraphs[spans[0].paragraph + 1: spans[0].paragraph + 2]]
    for p in first:
        m = _OPENING.match(labels.text(p.text))
        if not m or not 1990 <= int(m.group(1)) <= 2100:
            continue
        body = m.group("body")
        if body and re.match(r"^(?:全|我|本|各)", body):
            body = None
        return body, int(m.group(1)), p.index
    return None, None, None
