"""What a contacts cell's text holds by accident: controls, pasted invisibles, line breaks, mojibake.

Split from :mod:`greeter.sources.rows` (the row parser): these are the
patterns the parser tests a row's text against, and pure functions over one
cell's text. The parser's hot path tests a whole row once
(``isprintable``, :data:`MOJIBAKE_PAIR`) and reaches the rest only for the
rare row that fails; nothing here depends on a parser's state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from greeter.contacts import UNSAFE_IN_HEADER

__all__ = ["CONTROL", "GARBLED_COLUMN", "LINE_BREAK", "LINE_BREAKS", "LOST_FIX", "LOST_LETTERS",
           "LOST_VIA_QUERY", "MOJIBAKE_FIX", "MOJIBAKE_PAIR", "NAME_FIELDS", "PASTED_INVISIBLE",
           "SWALLOWED_ROW", "mojibake", "swallowed"]  # fmt: skip

#: The characters a header cannot hold (C0/C1 controls, DEL, U+2028/9, lone surrogates, direction
#: overrides and isolates): a strict field holding one would be held at ``send`` by
#: :func:`greeter.message.validate_header_value`.
CONTROL = UNSAFE_IN_HEADER
#: Invisible characters a name never needs — zero-width space, word joiner, byte-order mark,
#: soft hyphen, left-to-right and right-to-left marks — that a cell pasted from a web page or a
#: messenger brings along: ``Иван\u200b`` was addressed undeclined ("Иван Петровичу"), its
#: ending hidden from the declension rules. Removed, with a warning; the joiners (U+200C/D)
#: stay: Persian and Indic names and emoji need them.
PASTED_INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060\ufeff\u00ad]")
#: The fields cleaned of them: the words a letter addresses the contact and its company with.
NAME_FIELDS = ("first_name", "patronymic", "last_name", "full_name", "company")
#: cp1252's characters of the bytes 0x80–0x9F, each to its byte's Latin-1 character (the five bytes
#: cp1252 leaves undefined stay Latin-1's C1 controls, as MariaDB's latin1 reads them).
_CP1252_HIGH = {c: chr(b) for b in range(0x80, 0xA0) if (c := bytes([b]).decode("cp1252", "ignore"))}
_AS_LATIN1 = str.maketrans(_CP1252_HIGH)
#: A UTF-8 lead byte and a continuation byte, each read as cp1252/Latin-1 ("Ð˜", "Ã¼"): mojibake's
#: mark (:func:`mojibake`). Names in any script, accented Latin too, all but never hold this pair.
MOJIBAKE_PAIR = re.compile(f"[\xc2-\xf4][\x80-\xbf{''.join(_CP1252_HIGH)}]")
#: A line break of any kind, and one with the blanks around it: a company cell's lines (see
#: :meth:`greeter.sources.rows.RowParser.parse`) are folded into one at these.
LINE_BREAK = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]")
LINE_BREAKS = re.compile(r"[ \t]*[\r\n\x0b\x0c\x85\u2028\u2029]+\s*")
#: How a row starts: its first cell (an id, one word) and a delimiter.
_ROW_START = re.compile(r"[\w-]+[;,\t|]")
#: A line break followed by a line that has delimiters: an unclosed quote swallowed the next row(s).
SWALLOWED_ROW = re.compile(r"[\r\n][^\r\n]*[;,\t|]")

#: The conversion that reads a latin1 column's UTF-8 bytes as UTF-8, as each server writes it.
_CONVERT = (
    "MySQL/MariaDB: CONVERT(BINARY CONVERT(col USING latin1) USING utf8mb4) AS col; PostgreSQL:"
    " convert_from(convert_to(col, 'LATIN1'), 'UTF8') AS col"
)
#: What the conversion does to a row of the column that was right: MariaDB puts '?' for each letter
#: latin1 lacks («Пётр» → «????»), and greeter used to load that and greet «????».
_CONVERT_HARM = "converting the column would turn its right names into '????'"  # in a row's advice

#: Where UTF-8 text read as Latin-1 is to be read right, by ``contacts.source``. One row cannot tell a
#: column under the wrong character set from a row written garbled into a right column (a CRM once
#: written through a latin1 connection): the advice names both, and the column's note
#: (:data:`GARBLED_COLUMN`, once every row is read) says which it is.
MOJIBAKE_FIX = {
    "sql": "if every row of this column reads like this, the column holds UTF-8 bytes under a latin1"
    f" character set: read them as UTF-8 in contacts.query — {_CONVERT} — or convert the column in the"
    " CRM; if its other rows read right, this row itself was stored garbled: fix it in the CRM"
    f" ({_CONVERT_HARM}); the note on the column says which",
    "csv": "if contacts.encoding names a Latin-1 encoding (cp1252, latin-1), the file is UTF-8: set it"
    " to utf-8 (or auto); otherwise the text was double-encoded before it was written: fix it in the"
    " CRM or the export",
    "xlsx": "the workbook holds it so: fix the export that wrote it, or the cell",
}

#: The column's note on its garbled rows, by ``contacts.source``: (every row with letters beyond
#: ASCII garbled: the column's reading is wrong; some garbled, others right: those rows are).
GARBLED_COLUMN = {
    "sql": (
        "the column holds UTF-8 bytes under a latin1 character set: read it as UTF-8 in"
        f" contacts.query — {_CONVERT} — or convert the column in the CRM",
        "those rows were stored garbled (written through a latin1 connection?): fix them in the CRM;"
        " do not convert the column in contacts.query: that would turn its right names into '????'",
    ),
    "csv": (
        "if contacts.encoding names a Latin-1 encoding (cp1252, latin-1), the file is UTF-8: set it to"
        " utf-8 (or auto); otherwise the column was double-encoded before it was written: fix the export",
        "those rows were double-encoded before the export: fix them in the CRM; contacts.encoding"
        " is not the cause (the other rows read right)",
    ),
    "xlsx": (
        "the export that wrote the workbook garbled the column: fix the export",
        "those rows were stored garbled: fix them in the CRM",
    ),
}

#: A name's '?' that stands for a lost character, not a question mark: one followed by a letter, a
#: digit or another '?' («M?ller», «????»), or a '?' standing as a word of its own («Анна ?» for
#: «Анна 🌸»). A question mark in a company's name («Что? Где? Когда?») ends a word.
LOST_LETTERS = re.compile(r"\?[\w?]|(?<!\S)\?(?!\S)")
#: Why a name cell is '?' where letters were, and what to fix, by ``contacts.source``.
LOST_FIX = {
    "sql": "a conversion to a character set without these letters (latin1, ascii) replaced each by"
    " '?' — in contacts.query (CONVERT(… USING latin1)), or in a latin1/ascii column or connection"
    " of the CRM: fix the query or the CRM",
    "csv": "the export wrote them in a character set without these letters (ASCII, Latin-1), which"
    " replaced each by '?': export the file again as UTF-8, or fix the names in the CRM if it holds"
    " them so",
    "xlsx": "the export or the CRM converted them to a character set without these letters (latin1,"
    " ascii), which replaced each by '?': fix the export or the names in the CRM",
}
#: :data:`LOST_FIX` for an SQL source whose contacts.query converts through latin1: the conversion
#: greeter advises for a column every row of which is garbled did it to rows that were right.
LOST_VIA_QUERY = (
    "contacts.query converts through latin1 (CONVERT(… USING latin1)), which replaces each letter"
    " latin1 lacks by '?': that is right only for a column every row of which is garbled"
    " («ÐŸÑ‘Ñ‚Ñ€»); remove the conversion from this column and fix its garbled rows in the CRM"
)


def mojibake(text: str) -> str | None:
    """The text ``text`` was before its UTF-8 bytes were read as cp1252 or Latin-1, or None if it was not.

    Only a text all of whose characters are bytes in those encodings, whose
    bytes are valid UTF-8, and which then holds letters beyond ASCII all of
    one script a contacts export writes names in (:func:`_one_script`:
    Cyrillic, Greek, accented Latin) — a real name does not pass all of it.
    The script is what tells real names from mojibake in capitals: the
    Estonian RÕŽKOV (Õ then Ž) and «Weiß™ GmbH» (ß then ™) are valid UTF-8
    too, read back as «RՎKOV» (Armenian) and «Weiߙ» (N'Ko) — the row used
    to be rejected, and a real client never greeted.
    """
    if MOJIBAKE_PAIR.search(text) is None:
        return None
    try:
        meant = text.translate(_AS_LATIN1).encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    if meant.isprintable() and _one_script(c for c in meant if c.isalpha() and not c.isascii()):
        return meant
    return None


#: The scripts a contacts export writes names in, by code point range: (first, last, script).
_NAME_SCRIPTS = (
    (0x00C0, 0x024F, "Latin"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
)


def _one_script(letters: Iterable[str]) -> bool:
    """Whether there is at least one letter and all are of one of :data:`_NAME_SCRIPTS`. Pure."""
    found: set[str] = set()
    for c in letters:
        point = ord(c)
        script = next((name for lo, hi, name in _NAME_SCRIPTS if lo <= point <= hi), None)
        if script is None:
            return False
        found.add(script)
    return len(found) == 1


def swallowed(text: str, width: int) -> bool:
    """Whether a cell's lines after the first look like rows a quote left open joined into it.

    A company cell of several lines is a 1C export's habit (name, then
    branch or address: ``ООО "Вектор"; филиал⏎Москва``) and is folded into
    one line; but when what follows a line break is another row — a first
    cell (an id) and a delimiter, then an e-mail or a whole row's worth of
    delimiters (``width``: the header's) — folding would hide rows that were
    never read, so the row stays rejected.
    """
    if SWALLOWED_ROW.search(text) is None:
        return False
    rest = LINE_BREAK.split(text, 1)[1].lstrip()
    if _ROW_START.match(rest) is None:
        return False
    return "@" in rest or max(rest.count(d) for d in ";,\t|") >= max(2, width - 1)
