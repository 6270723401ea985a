"""Lay a Narrative out as a Word document in the official 公文 manner.

    render(narrative, data, fmt) -> bytes of a .docx

Typography comes from templates/style.yaml (see render_style); the three statutory tables
are built from the Format by render_tables, so their labels and shape follow the format
year. East Asian fonts are written as w:eastAsia on styles and on every run (theme font
attributes removed), with w:lang w:eastAsia="zh-CN"; the page number is a PAGE field in
raw XML. The same input gives the same bytes: fixed core properties and zip timestamps.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..formats import Format
from ..data.model import ReportData
from .narrative import Narrative, Para, Span, TableRef
from .render_style import DocStyle, ParaStyle, load_style
from .render_tables import Grid, GridCell, build_grid

# Paragraph roles of the Narrative -> the Word style each uses (built-in names where Word has one,
# so the navigation pane and outline work).
STYLE_NAMES = {"title": "Title", "h1": "Heading 1", "h2": "Heading 2", "body": "Normal",
               "preamble": "报告前言", "lead_in": "表格引言"}
TABLE_STYLE_NAME = "表格文字"
# Style ids stay ASCII (what Word itself writes); the names shown to the user are Chinese.
STYLE_IDS = {"Title": "Title", "Heading 1": "Heading1", "Heading 2": "Heading2", "Normal": "Normal",
             "报告前言": "ReportPreamble", "表格引言": "TableLeadIn", "表格文字": "TableText"}
OUTLINE_LEVEL = {"h1": 0, "h2": 1}
ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def render(narrative: Narrative, data: ReportData, fmt: Format, style: DocStyle | None = None) -> bytes:
    """The narrative and the three tables as .docx bytes (deterministic for the same input)."""
    style = style or load_style()
    doc = Document()
    _drop_thumbnail(doc)
    _setup_styles(doc, style)
    _setup_page(doc, style)
    _core_properties(doc, narrative, data)

    body = doc.element.body
    anchor = body.find(qn("w:sectPr"))
    blocks = list(narrative.blocks)
    if not any(isinstance(b, Para) and b.role == "title" for b in blocks) and narrative.title:
        blocks.insert(0, Para("title", [Span(narrative.title)]))
    last = None
    for block in blocks:
        if isinstance(block, TableRef):
            grid = build_grid(block.table, fmt, data, style)
            last = _table_xml(grid, style)
        elif isinstance(block, Para):
            if block.role == "title":
                block = _break_title(block, data.meta.body, style)
            last = _paragraph_xml(block, style)
        else:  # pragma: no cover - Narrative.blocks is typed
            raise TypeError(f"unknown block {block!r}")
        anchor.addprevious(last)
        if isinstance(block, TableRef):
            anchor.addprevious(_spacer(style))
    if last is None:
        anchor.addprevious(OxmlElement("w:p"))

    buf = io.BytesIO()
    doc.save(buf)
    return _normalized_zip(buf.getvalue())


# ---------------------------------------------------------------- styles


def _rfonts(parent, east_asia: str, latin: str) -> None:
    """Set w:rFonts on an rPr (east Asian and Latin faces), without theme attributes."""
    rfonts = parent.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        parent.insert(0, rfonts)
    for a in THEME_ATTRS:
        rfonts.attrib.pop(qn(a), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


_MADE: dict[tuple, object] = {}


def _copy_of(key: tuple, build):
    """A fresh copy of a property element built once per process (OxmlElement parses a string
    per call; a table of 500 cells built its rPr/pPr from scratch each time)."""
    el = _MADE.get(key)
    if el is None:
        el = _MADE[key] = build()
    return copy.deepcopy(el)


def _rpr(font: str, size_pt: float, latin: str, bold: bool = False):
    """A complete run-properties element, in schema order."""
    return _copy_of(("rPr", font, size_pt, latin, bold), lambda: _build_rpr(font, size_pt, latin, bold))


def _build_rpr(font: str, size_pt: float, latin: str, bold: bool = False):
    rpr = OxmlElement("w:rPr")
    _rfonts(rpr, font, latin)
    b = OxmlElement("w:b")
    b.set(qn("w:val"), "1" if bold else "0")
    rpr.append(b)
    bcs = OxmlElement("w:bCs")
    bcs.set(qn("w:val"), "1" if bold else "0")
    rpr.append(bcs)
    for tag in ("w:kern",):
        k = OxmlElement(tag)
        k.set(qn("w:val"), "0")
        rpr.append(k)
    for tag in ("w:sz", "w:szCs"):
        s = OxmlElement(tag)
        s.set(qn("w:val"), str(int(round(size_pt * 2))))
        rpr.append(s)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)
    return rpr


def _ppr(ps: ParaStyle, style: DocStyle, outline: int | None = None):
    """Paragraph properties: alignment, fixed line spacing, two-character first-line indent."""
    ppr = OxmlElement("w:pPr")
    if ps.keep_with_next:
        ppr.append(OxmlElement("w:keepNext"))
    widow = OxmlElement("w:widowControl")
    ppr.append(widow)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), str(int(round(ps.space_after_lines * style.line_spacing_pt * 20))))
    spacing.set(qn("w:line"), str(int(round(style.line_spacing_pt * 20))))
    spacing.set(qn("w:lineRule"), "exact")
    ppr.append(spacing)
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), "0")
    ind.set(qn("w:right"), "0")
    ind.set(qn("w:firstLineChars"), str(int(round(ps.first_line_chars * 100))))
    ind.set(qn("w:firstLine"), str(int(round(ps.first_line_chars * ps.size * 20))))
    ppr.append(ind)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), ALIGN[ps.align])
    ppr.append(jc)
    if outline is not None:
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline))
        ppr.append(lvl)
    return ppr


def _setup_styles(doc, style: DocStyle) -> None:
    styles_el = doc.styles.element
    body = style.paragraphs.body
    # Theme fonts would override w:eastAsia in Word: remove them everywhere in styles.xml.
    for rfonts in styles_el.iter(qn("w:rFonts")):
        for a in THEME_ATTRS:
            rfonts.attrib.pop(qn(a), None)
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr_default.remove(rpr_default.find(qn("w:rPr")))
    rpr_default.append(_rpr(body.font, body.size, style.latin_font))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    ppr_default.remove(ppr_default.find(qn("w:pPr")))
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)
    ppr_default.append(ppr)

    paras = style.paragraphs
    for role, ps in (("body", paras.body), ("title", paras.title), ("h1", paras.h1), ("h2", paras.h2),
                     ("preamble", paras.preamble), ("lead_in", paras.lead_in)):
        _define_style(doc, STYLE_NAMES[role], ps, style, OUTLINE_LEVEL.get(role))
    t = style.tables
    _define_style(doc, TABLE_STYLE_NAME, ParaStyle(font=t.font, size=t.table3.size, align="center",
                                                   first_line_chars=0), style, None, table=True)


def _define_style(doc, name: str, ps: ParaStyle, style: DocStyle, outline: int | None, table: bool = False) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    try:
        st = doc.styles[name]
    except KeyError:
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        st.quick_style = True
        st.element.set(qn("w:styleId"), STYLE_IDS[name])
    el = st.element
    for tag in ("w:pPr", "w:rPr"):
        old = el.find(qn(tag))
        if old is not None:
            el.remove(old)
    if table:
        ppr = _table_ppr("center")
    else:
        ppr = _ppr(ps, style, outline)
    rpr = _rpr(ps.font, ps.size, style.latin_font, ps.bold)
    # Schema order inside w:style: … w:pPr, w:rPr, w:tblPr …
    tail = el.find(qn("w:tblPr"))
    if tail is not None:
        tail.addprevious(ppr)
        tail.addprevious(rpr)
    else:
        el.append(ppr)
        el.append(rpr)
    # Built-in heading/title styles carry colour and borders in their linked character styles;
    # the paragraph style alone is authoritative here.
    link = el.find(qn("w:link"))
    if link is not None:
        el.remove(link)


def _setup_page(doc, style: DocStyle) -> None:
    sec = doc.sections[0]
    p = style.page
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(p.width_mm), Mm(p.height_mm)
    m = p.margins_mm
    sec.top_margin, sec.bottom_margin = Mm(m.top), Mm(m.bottom)
    sec.left_margin, sec.right_margin = Mm(m.left), Mm(m.right)
    sec.header_distance, sec.footer_distance = Mm(p.header_mm), Mm(p.footer_mm)
    sec.gutter = Mm(0)
    sect_pr = sec._sectPr
    for a in ("w:rsidR", "w:rsidRPr", "w:rsidSect"):
        sect_pr.attrib.pop(qn(a), None)
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:linePitch"), str(int(round(style.line_spacing_pt * 20))))
    _page_number_footer(sec, style)


def _page_number_footer(sec, style: DocStyle) -> None:
    """Footer: "— N —" centred, N a PAGE field."""
    pn = style.page_number
    footer = sec.footer
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    p = para._p
    for child in list(p):
        p.remove(child)
    ppr = OxmlElement("w:pPr")
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    ppr.append(jc)
    p.append(ppr)
    before, after = pn.template.split("{page}")

    def run(text: str | None = None, fld: str | None = None, instr: str | None = None):
        r = OxmlElement("w:r")
        r.append(_rpr(pn.font, pn.size, pn.font))
        if fld:
            f = OxmlElement("w:fldChar")
            f.set(qn("w:fldCharType"), fld)
            r.append(f)
        if instr:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = instr
            r.append(it)
        if text:
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = text
            r.append(t)
        return r

    if before:
        p.append(run(before))
    p.append(run(fld="begin"))
    p.append(run(instr=" PAGE "))
    p.append(run(fld="separate"))
    p.append(run("1"))
    p.append(run(fld="end"))
    if after:
        p.append(run(after))


def _core_properties(doc, narrative: Narrative, data: ReportData) -> None:
    cp = doc.core_properties
    meta = data.meta
    when = meta.report_date or dt.date(meta.year + 1, 1, 1)
    stamp = dt.datetime(when.year, when.month, when.day, 0, 0, 0)
    author = meta.office or meta.body
    cp.author = author
    cp.last_modified_by = author
    cp.title = narrative.title
    cp.subject = f"{meta.year}年政府信息公开工作年度报告"
    cp.keywords = "政府信息公开工作年度报告"
    cp.comments = "由 report-writer 依据年度数据生成的初稿"
    cp.category = ""
    cp.created = stamp
    cp.modified = stamp
    cp.revision = 1
    cp.language = "zh-CN"


def _drop_thumbnail(doc) -> None:
    """The default template ships python-docx's own preview image; it does not belong in a report."""
    rels = doc.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del rels[rid]


# ---------------------------------------------------------------- paragraphs


def _paragraph_xml(para: Para, style: DocStyle):
    ps: ParaStyle = getattr(style.paragraphs, para.role)
    p = OxmlElement("w:p")
    ppr = _ppr(ps, style, OUTLINE_LEVEL.get(para.role))
    pstyle = OxmlElement("w:pStyle")
    pstyle.set(qn("w:val"), _style_id(STYLE_NAMES[para.role]))
    ppr.insert(0, pstyle)
    p.append(ppr)
    # One run per span: a number from the data keeps a run of its own, so a reviewer's comment
    # (which anchors on whole runs) can sit exactly on it.
    for span in para.spans:
        if not span.text:
            continue
        r = OxmlElement("w:r")
        r.append(_rpr(ps.font, ps.size, style.latin_font, ps.bold))
        for k, piece in enumerate(span.text.split("\n")):
            if k:
                r.append(OxmlElement("w:br"))
            if piece:
                t = OxmlElement("w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = piece
                r.append(t)
        p.append(r)
    return p


def _text_width(text: str) -> float:
    """Width in ems: CJK and full-width characters 1, ASCII about one half."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def _break_title(para: Para, body_name: str, style: DocStyle) -> Para:
    """A title too long for one line breaks after the body's name (金寨县人民政府 / 2020年…报告),
    not wherever the line happens to end. Titles with their own line breaks are kept."""
    text = para.text
    ps = style.paragraphs.title
    per_line = style.page.text_width_mm / 25.4 * 72 / ps.size
    if "\n" in text or _text_width(text) <= per_line or not body_name or not text.startswith(body_name):
        return para
    if _text_width(text[len(body_name):]) > per_line:
        return para
    spans, done, pos = [], False, 0
    for span in para.spans:
        cut = len(body_name) - pos
        if not done and 0 < cut <= len(span.text):
            spans.append(Span(span.text[:cut] + "\n" + span.text[cut:], span.source, span.rule))
            done = True
        else:
            spans.append(span)
        pos += len(span.text)
    return Para(para.role, spans, para.section)


def _style_id(name: str) -> str:
    return STYLE_IDS[name]


def _spacer(style: DocStyle):
    """A small empty paragraph after a table, so the next heading does not touch its border."""
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(int(round(max(style.tables.space_after_pt, 1) * 20))))
    spacing.set(qn("w:lineRule"), "exact")
    ppr.append(spacing)
    p.append(ppr)
    return p


# ---------------------------------------------------------------- tables


def _mm_to_twips(mm: float) -> int:
    return int(round(mm * 1440 / 25.4))


def _table_ppr(align: str):
    return _copy_of(("tablePPr", align), lambda: _build_table_ppr(align))


def _build_table_ppr(align: str):
    ppr = OxmlElement("w:pPr")
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)
    ind = OxmlElement("w:ind")
    for a in ("w:left", "w:right", "w:firstLine"):
        ind.set(qn(a), "0")
    ind.set(qn("w:firstLineChars"), "0")
    ppr.append(ind)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), ALIGN[align])
    ppr.append(jc)
    return ppr


def _table_xml(grid: Grid, style: DocStyle):
    """WordprocessingML for a Grid: fixed layout, borders on every cell, merges as gridSpan/vMerge."""
    ts = style.tables
    widths = [_mm_to_twips(w) for w in grid.widths_mm]
    total = _mm_to_twips(style.page.text_width_mm)
    widths[-1] += total - sum(widths)  # rounding goes to the last column

    tbl = OxmlElement("w:tbl")
    tblpr = OxmlElement("w:tblPr")
    for tag, attrs in (("w:tblW", {"w:w": str(total), "w:type": "dxa"}),
                       ("w:jc", {"w:val": "center"})):
        e = OxmlElement(tag)
        for k, v in attrs.items():
            e.set(qn(k), v)
        tblpr.append(e)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), str(max(2, int(round(ts.border_pt * 8)))))
        b.set(qn("w:space"), "0")
        b.set(qn("w:color"), "000000")
        borders.append(b)
    tblpr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:w"), str(_mm_to_twips(ts.cell_margin_mm)))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    tblpr.append(mar)
    look = OxmlElement("w:tblLook")
    look.set(qn("w:val"), "0000")
    tblpr.append(look)
    tbl.append(tblpr)

    tblgrid = OxmlElement("w:tblGrid")
    for w in widths:
        gc = OxmlElement("w:gridCol")
        gc.set(qn("w:w"), str(w))
        tblgrid.append(gc)
    tbl.append(tblgrid)

    for i, row in enumerate(grid.rows):
        tr = OxmlElement("w:tr")
        trpr = OxmlElement("w:trPr")
        trpr.append(OxmlElement("w:cantSplit"))
        if i < grid.header_rows:
            trpr.append(OxmlElement("w:tblHeader"))
        tr.append(trpr)
        col = 0
        keep = i in grid.keep_with_next or i < grid.header_rows
        for cell in row:
            tr.append(_cell_xml(cell, sum(widths[col:col + cell.span]), grid.size_pt, style, keep))
            col += cell.span
        tbl.append(tr)
    return tbl


def _cell_xml(cell: GridCell, width: int, size_pt: float, style: DocStyle, keep: bool = False):
    tc = OxmlElement("w:tc")
    tcpr = OxmlElement("w:tcPr")
    tcw = OxmlElement("w:tcW")
    tcw.set(qn("w:w"), str(width))
    tcw.set(qn("w:type"), "dxa")
    tcpr.append(tcw)
    if cell.span > 1:
        gs = OxmlElement("w:gridSpan")
        gs.set(qn("w:val"), str(cell.span))
        tcpr.append(gs)
    if cell.vmerge:
        vm = OxmlElement("w:vMerge")
        if cell.vmerge == "restart":
            vm.set(qn("w:val"), "restart")
        tcpr.append(vm)
    va = OxmlElement("w:vAlign")
    va.set(qn("w:val"), "center")
    tcpr.append(va)
    tc.append(tcpr)
    p = OxmlElement("w:p")
    ppr = _table_ppr(cell.align)
    if keep:
        ppr.insert(0, OxmlElement("w:keepNext"))
    pstyle = OxmlElement("w:pStyle")
    pstyle.set(qn("w:val"), _style_id(TABLE_STYLE_NAME))
    ppr.insert(0, pstyle)
    p.append(ppr)
    if cell.text:
        r = OxmlElement("w:r")
        r.append(_rpr(style.tables.font, size_pt, style.latin_font))
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = cell.text
        r.append(t)
        p.append(r)
    tc.append(p)
    return tc


# ---------------------------------------------------------------- package


def _normalized_zip(blob: bytes) -> bytes:
    """Rewrite the package with fixed timestamps and attributes, so equal input gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zi.create_system = 3
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()
