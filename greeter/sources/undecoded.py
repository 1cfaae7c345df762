"""Bytes of a CSV export that its encoding cannot read: kept as marks, so that their row is rejected.

A CRM export is sometimes two files glued together: a UTF-8 export with one
row pasted from a Windows-1251 one. Decoding with ``errors="replace"`` turned
that row's name into "����" and the letter went out so, with no word. The
CSV reader decodes with the ``greeter-undecoded`` error handler instead: each
byte the encoding cannot read becomes a lone surrogate U+DC00 plus the byte
(as ``surrogateescape`` writes bytes 0x80–0xFF), which no decoding of valid
text ever yields, so a row that holds one is told apart from a file that
really holds U+FFFD: that character is the file's own text (typed so in the
CRM, or lost there), and is loaded as it is. The handler also counts
its calls, so the reader pays for looking at rows only once a file has had
an undecodable byte at all.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence

__all__ = ["HANDLER", "SEEN", "escaped", "has_marks", "raw_bytes", "undecoded_cells", "without_marks"]

#: The name of the error handler the CSV reader decodes with.
HANDLER = "greeter-undecoded"
#: What an undecodable byte becomes: U+DC00 plus the byte.
_MARK = re.compile("[\udc00-\udcff]")
#: How many runs of undecodable bytes the handler has met, in every file read so far (any thread): a
#: reader whose count moved looks at its rows; another thread's count only makes it look in vain.
SEEN = [0]


def _handler(exc: UnicodeError) -> tuple[str, int]:
    """Each unreadable byte as U+DC00 plus it, counted: the reader checks the count, not every row.

    ``surrogateescape`` itself gives up on a byte below 0x80 (the odd last
    byte of a UTF-16 file), so the marks are made here.
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    SEEN[0] += 1
    return "".join([chr(0xDC00 + b) for b in exc.object[exc.start : exc.end]]), exc.end


codecs.register_error(HANDLER, _handler)


def has_marks(text: str) -> bool:
    """Whether ``text`` holds a byte its encoding could not read."""
    return not text.isprintable() and _MARK.search(text) is not None


def without_marks(cells: list[str]) -> list[str]:
    """``cells`` with each unreadable byte as U+FFFD, for rows that are only searched for the header."""
    return [_MARK.sub("\ufffd", c) for c in cells]


def raw_bytes(text: str, encoding: str) -> bytes:
    """The bytes ``text`` was decoded from: its unreadable bytes, and its text encoded again."""
    encode = codecs.getincrementalencoder(encoding)("replace").encode  # one UTF-16 BOM, not one a part
    parts = _MARK.split(text)
    out = bytearray(encode(parts[0]))
    for mark, part in zip(_MARK.findall(text), parts[1:], strict=True):
        out.append(ord(mark) - 0xDC00)
        out += encode(part)
    return bytes(out)


def escaped(text: str, limit: int = 12) -> str:
    """The first ``limit`` characters of ``text``, each unreadable byte written ``\\xC8``."""
    text = text.strip()
    cut = text[:limit] + ("…" if len(text) > limit else "")
    return _MARK.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02X}", cut)


def undecoded_cells(row: Sequence[str]) -> list[int]:
    """The positions of the cells of ``row`` that hold a byte the file's encoding could not read."""
    return [i for i, cell in enumerate(row) if has_marks(cell)]
