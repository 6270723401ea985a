"""What check says about a PDF beyond its content: the parts it could not read.

A PDF page may carry a picture of text — a scanned page in a printed report, a table pasted as a
screenshot. Its words are not in the text layer, so nothing on it is judged; the user is told
which pages, so that a missing table there is not taken for a blank one.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding, Location


def pdf_findings(doc: Any) -> list[Finding]:
    pages = getattr(doc, "pdf_image_pages", None) or []
    if not pages:
        return []
    listed = "、".join(f"第{p}页" for p in pages[:10]) + ("等" if len(pages) > 10 else "")
    return [Finding(rule="PDF-IMAGE", level="info",
                    message=f"{listed}含有大幅图片（可能是扫描页或表格截图），图片中的文字和数字无法读取，未经检查；"
                            "如表格以图片形式插入，相关表格的检查结果可能不完整",
                    found=f"{len(pages)} 页", location=Location(file=doc.path, page=pages[0]))]
