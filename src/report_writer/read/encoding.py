"""UTF-16 text without a byte-order mark, told apart from a binary file.

Notepad's "Unicode" and some export tools write UTF-16 without a BOM. Its ASCII characters
(digits, line breaks) carry a NUL byte, mostly at one parity: odd offsets in
little-endian, even in big-endian. A binary file has NULs at both, and rarely decodes
cleanly into printable text.
"""

from __future__ import annotations

import unicodedata

SAMPLE = 8192


def utf16_without_bom(data: bytes) -> str | None:
    """The encoding ("utf-16-le" or "utf-16-be") of BOM-less UTF-16 text, else None."""
    head = data[:SAMPLE]
    head = head[: len(head) - len(head) % 2]
    nuls = [i for i, b in enumerate(head) if b == 0]
    if len(head) < 4 or not nuls:
        return None
    odd = sum(1 for i in nuls if i % 2)
    for enc, share in (("utf-16-le", odd), ("utf-16-be", len(nuls) - odd)):
        if share < 0.75 * len(nuls):  # CJK characters such as 一 (U+4E00) put some NULs at the other parity
            continue
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            return None
        printable = sum(1 for ch in text if ch in "\r\n\t" or unicodedata.category(ch)[0] in "LNPSZ")
        if printable >= 0.97 * len(text):
            return enc
    return None
