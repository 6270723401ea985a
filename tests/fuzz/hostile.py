"""Strategies for the issue-16 classes: values a person can type, files that expand, hostile
arithmetic, odd text-table shapes and PDFs. Used by test_fuzz_hostile.py."""

from __future__ import annotations

import io
import re
import zipfile

from hypothesis import strategies as st

from .strategies import DATA_SEEDS, ROOT, TEXT_SEEDS, seed_bytes

# Scalars a clerk (or a hostile file) can put after "key: " in YAML.
TYPED = ["2023-13-45", "2021-02-30", "0000-00-00", "9999-12-31", "2021-1-1", ".inf", "-.inf", ".nan", ".NaN",
         "Infinity", "1.0e+999999999", "1e-999999999", "1e400", "-0", "0x7fffffff", "0o777", "1_000_000",
         '"2023"', "'2023'", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2023-13-45",
         "!!float nan", "!!int 99999999999999999999999999999999999", '"\\e[31m红\\e[0m"', '"\\a\\b\\x00"',
         '"\\N\\_\\L\\P"', '"\\ue000meta.year\\ue0019\\ue002"', '"\\ud800"', "近300", "3万余", "约1.2万", "~", "null",
         "yes", "no", "on", "off", "[]", "{}", "[1, [2, [3]]]", "&a 1", "*a", "<<: {}", "|\n  多行\n  文字",
         "190:20:30", "'—'", "/", "无", "减5", "2019", "1995", "2150", "2100", "999999999999"]


@st.composite
def typed_scalars(draw) -> str:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.integers(1, 6000).map(lambda n: "9" * n))  # integers of up to thousands of digits
    if kind == 1:
        return f"{draw(st.integers(1, 9))}.0e{draw(st.sampled_from(['+', '-']))}{draw(st.integers(0, 10**12))}"
    return draw(st.sampled_from(TYPED))


_LEAF = re.compile(rb"^(\s*-?\s*[A-Za-z_][\w]*: )([^\s#{\[|>].*?)(\s+#.*)?$", re.M)


@st.composite
def typed_data(draw) -> bytes:
    """An example data file with one to three scalar values replaced by typed_scalars."""
    raw = seed_bytes(draw(st.sampled_from(DATA_SEEDS)))
    leaves = list(_LEAF.finditer(raw))
    picked = sorted(set(draw(st.lists(st.integers(0, len(leaves) - 1), min_size=1, max_size=3))), reverse=True)
    for k in picked:
        m = leaves[k]
        value = draw(typed_scalars()).encode("utf-8")
        raw = raw[:m.start(2)] + value + raw[m.end(2):]
    return raw


# ---------------------------------------------------------------- expanding Word and web files

SPANS = st.sampled_from([0, 1, 2, 3, 63, 500, 501, 1000, 65535, 2**31, -1]) | st.integers(-5, 10**9)


@st.composite
def expanding_docx(draw) -> bytes:
    """clean.docx with empty paragraphs, or a table of huge gridSpan/gridBefore/vMerge values."""
    raw = seed_bytes("examples/drafts/clean.docx")
    if draw(st.booleans()):
        extra = b"<w:p/>" * draw(st.sampled_from([10, 10_000, 400_000, 1_200_000]))
    else:
        def cell():
            span = draw(SPANS)
            vm = draw(st.sampled_from([b"", b"<w:vMerge/>", b'<w:vMerge w:val="restart"/>']))
            return (b'<w:tc><w:tcPr><w:gridSpan w:val="%d"/>' % span + vm + b"</w:tcPr><w:p><w:r><w:t>"
                    + str(draw(st.integers(0, 99))).encode() + b"</w:t></w:r></w:p></w:tc>")
        rows = []
        for _ in range(draw(st.integers(1, 40))):
            before = b'<w:trPr><w:gridBefore w:val="%d"/></w:trPr>' % draw(SPANS) if draw(st.booleans()) else b""
            cells = [cell() for _ in range(draw(st.integers(1, 12)))]
            rows.append(b"<w:tr>" + before + b"".join(cells) * draw(st.sampled_from([1, 1, 50, 400])) + b"</w:tr>")
        extra = b"<w:tbl>" + b"".join(rows) + b"</w:tbl>"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", extra + b"</w:body>")
            zout.writestr(info.filename, data)
    return out.getvalue()


@st.composite
def expanding_html(draw) -> bytes:
    raw = seed_bytes("examples/drafts/clean.html")
    rows = []
    for _ in range(draw(st.integers(1, 60))):
        tds = [b'<td rowspan="%s" colspan="%s">%d</td>' % (str(draw(SPANS)).encode(), str(draw(SPANS)).encode(),
                                                           draw(st.integers(0, 99)))
               for _ in range(draw(st.integers(1, 8)))]
        rows.append(b"<tr>" + b"".join(tds) * draw(st.sampled_from([1, 1, 40])) + b"</tr>")
    at = raw.index(b"<table")
    return raw[:at] + b"<table>" + b"".join(rows) + b"</table>" + raw[at:]


# ---------------------------------------------------------------- text tables in other shapes

def _table_lines(text: str) -> list[int]:
    return [i for i, ln in enumerate(text.split("\n")) if "\t" in ln]


@st.composite
def text_table_shapes(draw) -> bytes:
    """clean.txt with its tab tables rewritten as pasted from other tools: rows with pipes
    (Markdown, PDF copy), cells glued together (digits run into each other or the label), one
    cell per line, full-width spaces, ragged rows; a few lines mutated on top."""
    text = seed_bytes(TEXT_SEEDS[0]).decode("utf-8")
    lines = text.split("\n")
    shape = draw(st.sampled_from(["pipes", "pipes-edged", "glued", "glued-digits", "one-per-line", "ideographic",
                                  "spaces", "ragged", "mixed"]))
    out: list[str] = []
    for i, ln in enumerate(lines):
        if "\t" not in ln:
            out.append(ln)
            continue
        cells = ln.split("\t")
        this = draw(st.sampled_from(["pipes", "glued", "one-per-line", "spaces"])) if shape == "mixed" else shape
        if this == "pipes":
            out.append(" | ".join(cells))
        elif this == "pipes-edged":
            out.append("| " + " | ".join(cells) + " |")
        elif this == "glued":
            out.append("".join(cells))
        elif this == "glued-digits":
            out.append(cells[0] + "\t" + "".join(c.strip() for c in cells[1:]))
        elif this == "one-per-line":
            out.extend(c for c in cells)
            out.append("")
        elif this == "ideographic":
            out.append("\u3000".join(cells))
        elif this == "spaces":
            out.append("  ".join(cells))
        else:  # ragged: a cell dropped or doubled
            k = draw(st.integers(0, len(cells) - 1))
            cells = cells[:k] + cells[k + 1:] if draw(st.booleans()) else cells[:k] + [cells[k]] + cells[k:]
            out.append("\t".join(cells))
    return "\n".join(out).encode(draw(st.sampled_from(["utf-8", "utf-8", "gb18030", "utf-16-le", "utf-16"])))


# ---------------------------------------------------------------- arithmetic and conditions

HOSTILE_TEMPLATE_PIECES = ["{{ ", " }}", "9", "64", "**", "*", "+", "(", ")", "[1]", "[1, 2, 3]", "'ab'", "200",
                           "10**60", "2**64", "|length", "|join", "\ue000", "\ue001", "\ue002", "meta.year", "~",
                           "{% for n in [64, 128] %}", "{% endfor %}", "n", "-", "//", "0"]


def hostile_templates() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(HOSTILE_TEMPLATE_PIECES), min_size=3, max_size=30).map("".join)


HOSTILE_EXPR_PIECES = ["min(", "max(", "any(", "len(", "present(", ")", ",", "1", "'a'", "\"b\"", "meta.year",
                       "table3.r1", "req.refused_reasons", "req", "overview.proactive.topics", "-", "+", "<", "==",
                       "and", "or", "not", "99999999999999999999999", "1e999999"]


def hostile_expressions() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(HOSTILE_EXPR_PIECES), min_size=1, max_size=14).map(" ".join)


# ---------------------------------------------------------------- PDF seeds

def pdf_seeds() -> list[bytes]:
    """PDF drafts to mutate: the committed fixtures, else ones laid out now with reportlab."""
    found = sorted((ROOT / "examples" / "drafts").glob("*.pdf")) + sorted((ROOT / "tests" / "fixtures").rglob("*.pdf"))
    if found:
        return [p.read_bytes() for p in found[:4]]
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas
    except ImportError:
        return []
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("STSong-Light", 11)
    y = 800
    for line in seed_bytes(TEXT_SEEDS[0]).decode("utf-8").split("\n")[:120]:
        x = 60
        for cell in line.split("\t"):
            c.drawString(x, y, cell[:40])
            x += 110
        y -= 16
        if y < 60:
            c.showPage()
            c.setFont("STSong-Light", 11)
            y = 800
    c.save()
    return [buf.getvalue()]
