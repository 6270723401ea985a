"""Write a report (as read from a draft .docx) back as plain text in each real-world table layout.

Used by the layout tests and the round trip draft → text → check: the text readers must read
every layout that published reports use.
"""

from __future__ import annotations

from report_writer.read.document import SourceDocument

LAYOUTS = ("pipes", "pipes-bare", "tabs", "lines", "flat", "glued")


def _rows(table) -> list[list[str]]:
    """Each grid row's cells; a merged cell is written once, in its first row (as Word saves text)."""
    out = []
    for r, line in enumerate(table.grid()):
        seen, cells = [], []
        for c in line:
            if c is not None and c not in seen:
                seen.append(c)
                cells.append(" ".join(c.text.split()) if c.row == r else "")
        out.append(cells)
    return out


def table_text(table, layout: str) -> list[str]:
    rows = _rows(table)
    lines: list[str] = []
    for cells in rows:
        if layout == "pipes":
            lines.append("| " + " | ".join(cells) + " |")
        elif layout == "pipes-bare":
            lines.append(" | ".join(cells))
        elif layout == "tabs":
            lines.append("\t".join(cells))
        elif layout == "lines":
            lines.extend(c for c in cells if c)
        elif layout == "flat":
            lines.append(" ".join(c for c in cells if c))
        elif layout == "glued":
            lines.append("".join(cells))
    if layout == "pipes" and len(rows) > 1:
        lines.insert(1, "|" + "---|" * max(len(r) for r in rows))
    return lines


def document_text(doc: SourceDocument, layout: str) -> str:
    """Paragraphs one per line, each table after the paragraph it follows; glued: one line."""
    by_after: dict[int, list] = {}
    for t in doc.tables:
        by_after.setdefault(t.after_paragraph, []).append(t)
    parts: list[str] = []
    for t in by_after.get(-1, []):
        parts.extend(table_text(t, layout))
    for p in doc.paragraphs:
        parts.append(p.text.strip())
        for t in by_after.get(p.index, []):
            if layout in ("pipes", "pipes-bare", "tabs", "lines"):
                parts.append("")
            parts.extend(table_text(t, layout))
            if layout in ("pipes", "pipes-bare", "tabs", "lines"):
                parts.append("")
    if layout == "glued":
        return "".join(parts) + "\n"
    return "\n".join(parts) + "\n"
