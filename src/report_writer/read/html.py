"""Read a saved government web page (the published report) into a SourceDocument.

The bytes are decoded by BOM, then the page's <meta charset>, then UTF-8, then charset detection
(GBK/GB2312 pages are decoded as GB18030, their superset). Site chrome (scripts, styles,
navigation, breadcrumbs, footers, share bars) is dropped, and the article container is chosen as
the smallest element that holds the report title, the section headings and the statutory tables.
Paragraphs come from block elements (p, div with text, h1–h6, li, …) and <br>-separated lines;
tables from <table> elements without nested tables, with rowspan/colspan expanded on a grid.

Origins: Paragraph.origin = (n, line) where n is the ordinal of the block element in
container.iter() order and line the <br>-separated line inside it (0-based); Cell.origin =
(n, tr index, cell index) with n the ordinal of the <td>/<th>.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from ..formats import all_formats
from ..limits import limit
from . import bounds, labels
from .document import Cell, Paragraph, SourceDocument, Table
from .errors import ReadError
from .text import decode

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Characters lxml refuses in a text node (a stray \x01 from a damaged file crashed drop_tree).
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "footer", "aside", "select", "button", "svg",
              "object", "embed", "template", "head", "input", "textarea", "map", "link", "meta")
_CHROME = re.compile(r"(^|[\s_-])(nav|navbar|menu|footer|foot|breadcrumb|crumbs?|position|location|share|sidebar|side|"
                     r"topbar|toolbar|copyright|header|banner|search|login|pagination|related|xgxx|xglj|fenxiang|"
                     r"dqwz|weizhi|bottom|top)([\s_-]|\d|$)", re.I)
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "blockquote",
          "pre", "dd", "dt", "dl", "center", "main", "header", "address", "figure", "figcaption", "caption", "tr",
          "td", "th", "tbody", "thead", "tfoot", "table", "form", "hr", "body", "html"}
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")
_WS = re.compile(r"\s+")
MAX_SPAN = limit("MAX_SPAN")


def _clean(s: str) -> str:
    """Text whose source whitespace was already collapsed; "\n" marks <br> and inner blocks."""
    s = re.sub(r" *\n[ \n]*", "\n", s)
    s = re.sub(r" +", " ", s)
    s = _SPACE_BETWEEN_CJK.sub("", s)
    return s.strip()


def _statutory_keys() -> set[str]:
    keys: set[str] = set()
    for f in all_formats().values():
        for t in f.tables.values():
            for b in t.blocks:
                keys.add(labels.key(b.caption))
            for r in t.data_rows():
                keys.add(labels.key(r.label))
            for c in t.columns:
                keys.add(labels.key(c.label))
            keys.update(labels.key(v) for v in t.header.values())
    return {k for k in keys if len(k) >= 4}


def _is_data_table(tbl) -> bool:
    if tbl.find(".//table") is not None:
        return False
    cells = tbl.xpath(".//td|.//th")
    if len(cells) < 4:
        return False
    return max(len(c.text_content()) for c in cells) < 800


def read_html(path: str | Path) -> SourceDocument:
    path = Path(path)
    data = bounds.read_input(path)
    m = _META_CHARSET.search(data[:8192])
    text = decode(data, m.group(1).decode("ascii", "ignore") if m else None)
    return parse_html(text, path)


def parse_html(text: str, path: str | Path = "<html>") -> SourceDocument:
    path = Path(path)
    text = _NOT_XML_CHARS.sub("", _XML_DECL.sub("", text))
    if not text.strip():
        raise ReadError(path, "网页是空的")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False,
                                  recover=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(path, f"网页无法解析（{e}）") from None
    for bad in list(root.iter(*_DROP_TAGS)):
        if bad.getparent() is not None:
            bad.drop_tree()
    stat_keys = _statutory_keys()
    from .structure import match_heading

    for el in list(root.iter("div", "ul", "ol", "p", "span", "section", "header", "td", "table", "dl")):
        if el.getparent() is None:
            continue
        ident = " ".join(filter(None, [el.get("class"), el.get("id")]))
        if ident and _CHROME.search(ident):
            if el.find(".//table") is not None and any(k in labels.key(el.text_content()) for k in stat_keys):
                continue
            txt = el.text_content()
            if len(txt) < 3000 and not any(match_heading(ln) for ln in txt.splitlines() if len(ln.strip()) < 60):
                el.drop_tree()
    body = root.find("body") if root.find("body") is not None else root
    container = _container(body, stat_keys, match_heading)
    return _Walker(path, container, match_heading).run()


def _container(body, stat_keys: set[str], match_heading):
    anchors = []
    title = None
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("a", "table", "tr", "td", "th", "tbody"):
            continue
        own = _clean(el.text_content())
        if not own or len(own) > 120:
            continue
        k = labels.key(own)
        if title is None and "政府信息公开" in k and ("年度报告" in k or "年报" in k) and len(k) <= 60:
            if not any(a.tag == "a" for a in el.iterancestors()):
                title = el
                anchors.append(el)
        elif len(own) <= 60 and match_heading(own):
            if not any(a.tag == "a" for a in el.iterancestors()):
                anchors.append(el)
    for tbl in body.iter("table"):
        if _is_data_table(tbl):
            k = labels.key(tbl.text_content())
            if sum(1 for s in stat_keys if s in k) >= 2:
                anchors.append(tbl)
    if not anchors:
        return body
    chains = [list(a.iterancestors())[::-1] + [a] for a in anchors]
    lca = body
    for level in zip(*chains):
        if all(x is level[0] for x in level):
            lca = level[0]
        else:
            break
    if lca in anchors and lca.getparent() is not None and lca.tag != "body":
        lca = lca.getparent()  # a lone table or heading: take its surroundings too
    return lca


class _Walker:
    def __init__(self, path: Path, container, match_heading):
        self.path = path
        self.container = container
        self.ordinal = {el: i for i, el in enumerate(container.iter())}
        self.doc = SourceDocument(path=str(path), kind="html")
        self.buf: list[str] = []
        self.buf_origin: tuple = ()
        self.buf_style: str | None = None
        self.line = 0
        self.cells = 0
        self.match_heading = match_heading

    def run(self) -> SourceDocument:
        self.block(self.container)
        self.flush()
        return self.doc

    def flush(self) -> None:
        text = _clean("".join(self.buf))
        self.buf = []
        if self.buf_style == "heading":
            text = text.replace("\n", "")  # a title broken with <br> is one heading
        if text:
            for ln in text.split("\n"):
                ln = ln.strip()
                if ln:
                    style = self.buf_style
                    self.doc.paragraphs.append(Paragraph(index=len(self.doc.paragraphs), text=ln, style=style,
                                                         origin=(self.buf_origin[0] if self.buf_origin else -1, self.line)))
                    self.line += 1
            bounds.check_counts(self.path, len(self.doc.paragraphs), len(self.doc.tables), self.cells)

    def start(self, el) -> None:
        self.flush()
        self.buf_origin = (self.ordinal.get(el, -1),)
        self.line = 0
        tag = el.tag if isinstance(el.tag, str) else ""
        self.buf_style = "heading" if re.fullmatch(r"h[1-6]", tag) else None

    def block(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table" and _is_data_table(el):
            self.flush()
            self.table(el)
            return
        self.start(el)
        if el.text:
            self.buf.append(_WS.sub(" ", el.text))
        for child in el:
            self.node(child)
        self.flush()
        self.buf_origin = (self.ordinal.get(el, -1),)

    def node(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _BLOCK:
            self.block(el)
            if el.tail and el.tail.strip():
                parent = el.getparent()
                self.buf_origin = (self.ordinal.get(parent, -1),)
                self.line = 0
                self.buf.append(_WS.sub(" ", el.tail))
            return
        if tag == "br":
            self.buf.append("\n")
        elif tag:
            if el.text:
                self.buf.append(_WS.sub(" ", el.text))
            for child in el:
                self.node(child)
        if el.tail:
            self.buf.append(_WS.sub(" ", el.tail))

    def table(self, tbl) -> None:
        rows = [tr for tr in tbl.iter("tr")]
        occupied: set[tuple[int, int]] = set()
        cells: list[Cell] = []
        n_cols = 0
        n_rows = len(rows)
        for r, tr in enumerate(rows):
            c = 0
            for k, td in enumerate([x for x in tr if isinstance(x.tag, str) and x.tag in ("td", "th")]):
                while (r, c) in occupied:
                    c += 1
                rs = _span(td.get("rowspan"))
                cs = _span(td.get("colspan"))
                if td.get("rowspan", "").strip() == "0":
                    rs = max(1, n_rows - r)
                rs = max(1, min(rs, n_rows - r))
                bounds.check_grid(self.path, n_rows, max(n_cols, c + cs))  # before the spans are expanded
                for dr in range(rs):
                    for dc in range(cs):
                        occupied.add((r + dr, c + dc))
                cells.append(Cell(row=r, col=c, text=_cell_text(td), rowspan=rs, colspan=cs,
                                  origin=(self.ordinal.get(td, -1), r, k)))
                c += cs
                n_cols = max(n_cols, c)
            self.cells += 1
        self.cells += len(cells)
        t = Table(index=len(self.doc.tables), cells=cells, n_rows=n_rows, n_cols=n_cols,
                  after_paragraph=len(self.doc.paragraphs) - 1, reading="html-table")
        self.doc.tables.append(t)
        bounds.check_counts(self.path, len(self.doc.paragraphs), len(self.doc.tables), self.cells)


def _span(v) -> int:
    try:
        return max(1, min(int(str(v).strip() or 1), MAX_SPAN))
    except (TypeError, ValueError):
        return 1


def _cell_text(td) -> str:
    parts: list[str] = []
    _walk_cell(td, td, parts)
    return _clean("".join(parts))


def _walk_cell(el, td, parts: list[str]) -> None:
    # a module function, not a closure calling itself: that would be a reference cycle per cell,
    # garbage only the collector frees (check pauses it)
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        parts.append("\n")
    elif tag in ("p", "div", "li") and parts:
        parts.append("\n")
    if el.text and tag:
        parts.append(_WS.sub(" ", el.text))
    for ch in el:
        _walk_cell(ch, td, parts)
    if el.tail and el is not td:
        parts.append(_WS.sub(" ", el.tail))
