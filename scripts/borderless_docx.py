"""Copy a .docx draft with every table border removed (for the unruled-table PDF fixtures).

    python scripts/borderless_docx.py IN.docx OUT.docx

A Word table without borders prints as text at positions only, as many published reports do.
"""

import sys

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def strip_borders(src: str, out: str) -> None:
    d = docx.Document(src)
    for t in d.tables:
        pr = t._tbl.tblPr
        for old in pr.findall(qn("w:tblBorders")) + pr.findall(qn("w:tblStyle")):
            pr.remove(old)
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            e = OxmlElement(f"w:{side}")
            e.set(qn("w:val"), "nil")
            borders.append(e)
        pr.append(borders)
        for tc in t._tbl.iter(qn("w:tc")):
            if tc.tcPr is not None:
                for old in tc.tcPr.findall(qn("w:tcBorders")):
                    tc.tcPr.remove(old)
    d.save(out)


if __name__ == "__main__":
    strip_borders(sys.argv[1], sys.argv[2])
