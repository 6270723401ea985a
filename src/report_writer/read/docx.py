"""Read a .docx by parsing word/document.xml directly with lxml.

python-docx's cell API re-walks the table for every cell and is slow on the big 表三; here one
pass over the body gives paragraphs and tables in body order, with merged cells resolved from
w:gridSpan / w:vMerge onto the table grid.

Origins (for the annotator):
  Paragraph.origin = (k,)  where k indexes list(body.iter(w:p)) — ALL w:p of the body in document
                           order, including those inside tables and content controls;
  Cell.origin = (t, r, c)  t indexes the top-level tables of the body in document order
                           ([tbl for tbl in body.iter(w:tbl) if it has no w:tbl ancestor]),
                           r the w:tr among the table's rows, c the w:tc among that row's cells
                           (content-control wrappers looked through).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from ..limits import exceeded, xml_problem, zip_problem
from . import bounds
from .document import Cell, Paragraph, SourceDocument, Table
from .errors import ReadError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_w = "{%s}" % W


def q(tag: str) -> str:
    return _w + tag


T_P, T_TBL, T_TR, T_TC, T_R, T_T = q("p"), q("tbl"), q("tr"), q("tc"), q("r"), q("t")
T_SDT, T_SDTCONTENT, T_CUSTOMXML, T_SMARTTAG = q("sdt"), q("sdtContent"), q("customXml"), q("smartTag")
T_DEL, T_MOVEFROM, T_TXBX = q("del"), q("moveFrom"), q("txbxContent")
T_PPR, T_RPR, T_TCPR, T_TRPR, T_TBLPR = q("pPr"), q("rPr"), q("tcPr"), q("trPr"), q("tblPr")
T_TAB, T_BR, T_CR, T_NBHYPHEN, T_SOFTHYPHEN, T_SYM = q("tab"), q("br"), q("cr"), q("noBreakHyphen"), q("softHyphen"), q("sym")
T_DELTEXT, T_INSTR = q("delText"), q("instrText")
MC_FALLBACK = "{%s}Fallback" % MC
_SKIP = {T_DEL, T_MOVEFROM, T_TXBX, MC_FALLBACK, T_PPR, T_RPR, T_DELTEXT, T_INSTR, T_TCPR, T_TRPR, T_TBLPR,
         q("footnoteReference"), q("endnoteReference"), q("commentReference")}
_WRAPPERS = {T_SDT, T_SDTCONTENT, T_CUSTOMXML, T_SMARTTAG, q("ins"), q("moveTo"), q("hyperlink"),
             q("fldSimple"), q("bdo"), q("dir")}

_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


def _read_part(zf: zipfile.ZipFile, name: str, path: Path) -> bytes:
    info = zf.getinfo(name)
    if info.flag_bits & 0x1:
        raise ReadError(path, "文档内容已加密，无法读取。加密文档请先解除密码后另存为 .docx")
    limit = bounds.MAX_PART_BYTES
    if info.file_size > limit:
        raise ReadError(path, f"文档部件 {name} 解压后过大，疑似压缩炸弹：" + exceeded("MAX_PART_BYTES", limit, info.file_size))
    chunks, total = [], 0
    try:
        with zf.open(info) as fh:
            while True:
                block = fh.read(1 << 20)
                if not block:
                    break
                total += len(block)
                if total > limit:  # the header may lie about the size
                    raise ReadError(path, f"文档部件 {name} 解压后过大，疑似压缩炸弹：" + exceeded("MAX_PART_BYTES", limit))
                chunks.append(block)
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as e:
        raise ReadError(path, f"文档已损坏，无法解压（{type(e).__name__}）；请用 Word/WPS 打开后重新另存为 .docx") from None
    except Exception as e:  # zlib.error and friends
        raise ReadError(path, f"文档已损坏，无法解压（{type(e).__name__}）；请用 Word/WPS 打开后重新另存为 .docx") from None
    return b"".join(chunks)


# Run properties (w:rPr: fonts, sizes, bold …) are three quarters of the XML of a drafted report, and
# the reader skips them, so those made of empty elements only are cut out of the bytes before lxml
# builds a tree of them (the document.xml of the 100× benchmark report, 16 MB: 250 → 90 ms).
# Exact, given the checks: such an element holds no text at any depth; w:p and w:tbl inside it are
# not cut, so the origins the annotator counts (every w:p, the tables) stay the same; the character
# before it is '>', so a cut inside a comment or processing instruction cannot make '--' or '?>';
# `w` is the root's WordprocessingML prefix (rebound deeper, it names no element the reader reads);
# CDATA, where the same characters would be text, turns it off; and bytes that no longer parse are
# parsed again as they were.
_RPR_RE = re.compile(rb"<w:rPr>(?<=><w:rPr>)(?:<w:(?!p[\s/>]|tbl[\s/>])[^<>/]*+/>)*+</w:rPr>")
_W_DECL = b'xmlns:w="' + W.encode() + b'"'


def _without_run_properties(data: bytes) -> bytes | None:
    """The bytes with the text-less run properties cut out, or None where that is not certain."""
    if _W_DECL not in data[:8192] or b"<![CDATA[" in data:
        return None
    return _RPR_RE.sub(b"", data)


def _parse(data: bytes, name: str, path: Path, main: bool = False) -> etree._Element:
    if _DTD.search(data):
        raise ReadError(path, f"文档部件 {name} 含有 DTD/实体声明（正常的 Word 文档不会有），为安全起见拒绝读取")
    lean = _without_run_properties(data) if main else None
    if lean is not None:
        try:
            return etree.fromstring(lean, _parser())
        except etree.XMLSyntaxError:
            pass  # the bytes as they were give the error (or the tree) themselves
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        raise ReadError(path, f"文档部件 {name} 的 XML 已损坏（{e.msg if hasattr(e, 'msg') else e}），"
                              "请用 Word/WPS 打开后重新另存为 .docx") from None


def _main_part(zf: zipfile.ZipFile, names: set[str], path: Path) -> str:
    if "word/document.xml" in names:
        return "word/document.xml"
    # An .xlsx or .pptx renamed .docx has an officeDocument too (xl/workbook.xml): say what it is.
    _not_word(names, path)
    # Some producers name the main part differently; _rels/.rels says where it is.
    if "_rels/.rels" in names:
        root = _parse(_read_part(zf, "_rels/.rels", path), "_rels/.rels", path)
        for rel in root:
            if str(rel.get("Type", "")).endswith("/officeDocument"):
                target = str(rel.get("Target", "")).lstrip("/")
                if target in names and target.endswith(".xml"):
                    return target
    raise ReadError(path, "这是一个 zip 压缩包，不是 Word 文档（缺少 word/document.xml）")


def _not_word(names: set[str], path: Path) -> None:
    if "xl/workbook.xml" in names or any(n.startswith("xl/worksheets/") for n in names):
        raise ReadError(path, "这是 Excel 工作簿（.xlsx），不是 Word 报告（可能是改了扩展名）；请检查 Word（.docx）"
                              "报告稿，或把填报的工作簿交给 validate 命令（report-writer validate 文件.xlsx）")
    if any(n.startswith("ppt/") for n in names):
        raise ReadError(path, "这是 PowerPoint 演示文稿（.pptx），不是 Word 报告；请检查 Word（.docx）报告稿")
    if "content.xml" in names and "mimetype" in names:
        raise ReadError(path, "这是 OpenDocument（.odt 等）文件，请用 WPS/Word 另存为 .docx 后再检查")


def _style_names(zf: zipfile.ZipFile, names: set[str], path: Path) -> dict[str, str]:
    if "word/styles.xml" not in names:
        return {}
    try:
        root = _parse(_read_part(zf, "word/styles.xml", path), "word/styles.xml", path)
    except ReadError:
        return {}  # styles are only hints
    out = {}
    for st in root.iter(q("style")):
        sid = st.get(q("styleId"))
        name_el = st.find(q("name"))
        name = name_el.get(q("val")) if name_el is not None else sid
        if sid:
            out[sid] = (name or sid)
    return out


T_PSTYLE, T_OUTLINE, A_VAL = q("pStyle"), q("outlineLvl"), q("val")


def _child(el: etree._Element, tag: str) -> etree._Element | None:
    """el.find(tag), without lxml's path machinery (a few µs a call, thousands of calls)."""
    for child in el:
        if child.tag == tag:
            return child
    return None


def _style_kind(sid: str, styles: dict[str, str]) -> str | None:
    name = styles.get(sid, sid).lower().replace(" ", "")
    if name in ("title", "标题") or sid.lower() == "title":
        return "title"
    if name.startswith("heading") or re.fullmatch(r"标题\d", name) or sid.lower().startswith("heading"):
        return "heading"
    return None


def _style_hint(p: etree._Element, styles: dict[str, str], kinds: dict[str, str | None]) -> str | None:
    """title | heading | None, from the paragraph's style (`kinds`: the answer per style id, kept by the caller)."""
    ppr = _child(p, T_PPR)
    if ppr is None:
        return None
    ps = _child(ppr, T_PSTYLE)
    if ps is not None:
        sid = ps.get(A_VAL) or ""
        if sid not in kinds:
            kinds[sid] = _style_kind(sid, styles)
        kind = kinds[sid]
        if kind:
            return kind
    outline = _child(ppr, T_OUTLINE)
    if outline is not None:
        lvl = outline.get(A_VAL)
        if lvl is not None and lvl.isdigit() and int(lvl) < 9:
            return "heading"
    return None


# What a text-bearing leaf element stands for (w:sym: a font symbol, left out).
_LEAF_TEXT = {T_TAB: "\t", T_BR: "\n", T_CR: "\n", T_NBHYPHEN: "-", T_SYM: ""}


def _runs_text(el: etree._Element, out: list[str]) -> None:
    """Visible text of a paragraph (or part of it) in order; deleted revisions and text boxes skipped.

    The runs (w:r) of a paragraph are walked inline, a call per run being most of the cost of a
    long document; anything else (hyperlinks, content controls, insertions …) recursively."""
    append = out.append
    for child in el:
        tag = child.tag
        if tag == T_R:
            for leaf in child:
                ltag = leaf.tag
                if ltag == T_T:
                    text = leaf.text
                    if text:
                        append(text)
                elif ltag == T_RPR or ltag in _SKIP:
                    continue
                elif ltag in _LEAF_TEXT:
                    if _LEAF_TEXT[ltag]:
                        append(_LEAF_TEXT[ltag])
                elif isinstance(ltag, str) and len(leaf):
                    _runs_text(leaf, out)
        elif tag == T_T:
            text = child.text
            if text:
                append(text)
        elif tag in _SKIP:
            continue
        elif tag in _LEAF_TEXT:
            if _LEAF_TEXT[tag]:
                append(_LEAF_TEXT[tag])
        elif isinstance(tag, str) and len(child):  # a leaf without text adds nothing
            _runs_text(child, out)


def paragraph_text(p: etree._Element) -> str:
    out: list[str] = []
    _runs_text(p, out)
    return "".join(out)


def _body_items(el: etree._Element):
    """Paragraphs and tables of a block container in order, looking through content controls."""
    for child in el:
        tag = child.tag
        if tag == T_P or tag == T_TBL:
            yield child
        elif tag in (T_SDT, T_SDTCONTENT, T_CUSTOMXML, q("ins"), q("moveTo")):
            yield from _body_items(child)


def _row_cells(tr: etree._Element):
    for child in tr:
        if child.tag == T_TC:
            yield child
        elif child.tag in (T_SDT, T_SDTCONTENT, T_CUSTOMXML):
            yield from _row_cells(child)


def _table_rows(tbl: etree._Element):
    for child in tbl:
        if child.tag == T_TR:
            yield child
        elif child.tag in (T_SDT, T_SDTCONTENT, T_CUSTOMXML):
            yield from _table_rows(child)


def _cell_text(tc: etree._Element) -> str:
    parts = []
    for item in _body_items(tc):
        if item.tag == T_P:
            parts.append(paragraph_text(item))
        else:  # nested table: its text, row by row
            for tr in _table_rows(item):
                parts.append(" ".join(_cell_text(c) for c in _row_cells(tr)))
    return "\n".join(parts).strip("\n")


def _int_attr(el, tag: str, default: int = 1) -> int:
    if el is None:
        return default
    sub = el.find(q(tag))
    if sub is None:
        return default
    try:
        return max(1, min(int(sub.get(q("val"), default)), bounds.MAX_SPAN))
    except (TypeError, ValueError):
        return default


def _vmerge(tcpr) -> str | None:
    if tcpr is None:
        return None
    vm = tcpr.find(q("vMerge"))
    if vm is None:
        return None
    return "restart" if vm.get(q("val")) == "restart" else "continue"


def read_table(tbl: etree._Element, index: int, after_paragraph: int, cell_budget: list[int], path) -> Table:
    cells: list[Cell] = []
    # column -> the cell that currently occupies it from above (for vMerge continue)
    above: dict[int, Cell] = {}
    n_cols = 0
    rows = list(_table_rows(tbl))
    for r, tr in enumerate(rows):
        trpr = tr.find(T_TRPR)
        col = 0
        if trpr is not None:
            gb = trpr.find(q("gridBefore"))
            if gb is not None:
                try:
                    col = max(0, min(int(gb.get(q("val"), 0)), bounds.MAX_SPAN))
                except ValueError:
                    col = 0
        new_above: dict[int, Cell] = {}
        for c_idx, tc in enumerate(_row_cells(tr)):
            tcpr = tc.find(T_TCPR)
            span = _int_attr(tcpr, "gridSpan")
            vm = _vmerge(tcpr)
            prev = above.get(col)
            if vm == "continue" and prev is not None and prev.col == col and prev.colspan == span:
                prev.rowspan = r - prev.row + 1
                for k in range(col, col + span):
                    new_above[k] = prev
            else:
                cell = Cell(row=r, col=col, text=_cell_text(tc), colspan=span, origin=(index, r, c_idx))
                cells.append(cell)
                cell_budget[0] += 1
                for k in range(col, col + span):
                    new_above[k] = cell
            col += span
            bounds.check_grid(path, r + 1, max(n_cols, col))
        n_cols = max(n_cols, col)
        above = new_above
        bounds.check_counts(path, 0, 0, cell_budget[0])
    return Table(index=index, cells=cells, n_rows=len(rows), n_cols=n_cols, after_paragraph=after_paragraph,
                 reading="docx-table")


def read_docx(path: str | Path) -> SourceDocument:
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise ReadError(path, f"文件已损坏，不是有效的 .docx（{type(e).__name__}）；请用 Word/WPS 打开后重新另存为 .docx") from None
    with zf:
        try:
            names = set(zf.namelist())
        except Exception:
            raise ReadError(path, "文件已损坏，无法读取其目录；请用 Word/WPS 打开后重新另存为 .docx") from None
        if "EncryptedPackage" in names:
            raise ReadError(path, "这是加密的 Word 文档。加密文档请先解除密码后另存为 .docx")
        # the main part is inflated once, below, and its elements counted before it is parsed
        later = frozenset(n for n in ("word/document.xml",) if n in names)
        problem = zip_problem(zf, bounds.MAX_PART_BYTES, later=later)
        if problem:
            raise ReadError(path, problem)
        main = _main_part(zf, names, path)
        data = _read_part(zf, main, path)
        problem = xml_problem(main, data) if main in later else None
        if problem:
            raise ReadError(path, problem)
        root = _parse(data, main, path, main=True)
        del data
        styles = _style_names(zf, names, path)

    body = root.find(q("body"))
    if body is None:
        raise ReadError(path, "Word 文档中没有正文（缺少 w:body）")
    p_index = {p: k for k, p in enumerate(body.iter(T_P))}  # keeps the proxies alive
    doc = SourceDocument(path=str(path), kind="docx")
    budget = [0]
    kinds: dict[str, str | None] = {}
    for item in _body_items(body):
        if item.tag == T_P:
            text = paragraph_text(item)
            if not text.strip():
                continue
            doc.paragraphs.append(Paragraph(index=len(doc.paragraphs), text=text,
                                            style=_style_hint(item, styles, kinds), origin=(p_index[item],)))
        else:
            t = read_table(item, len(doc.tables), len(doc.paragraphs) - 1, budget, path)
            doc.tables.append(t)
        bounds.check_counts(path, len(doc.paragraphs), len(doc.tables), budget[0])
    return doc
