"""Which '?' in a name cell stands for letters an encoding lost, and what to say about it.

Split from :mod:`greeter.sources.rows` (the row parser), which asks only for
the rare row holding a '?'. A conversion to a character set without a
letter writes '?' for it, and nothing after can tell what it was: a row
greeting «Jovanovi? d.o.o.» or «???? ????????» is rejected, not loaded.
What tells such a '?' from a question mark differs by field:

- a person's name (first name, last name, patronymic, a full-name cell)
  holds no question mark at all: every '?' there is a lost letter;
- a company's name may ask a question («Что? Где? Когда?», «Why? Inc.»),
  which ends a word and is followed by a capital or nothing. A '?' inside
  a word or standing alone (:data:`~greeter.sources.cell_text.LOST_LETTERS`),
  or followed by a word in lower case («Jovanovi? d.o.o.», «Nikoli? i
  sinovi»), is a lost letter whatever the file's encoding; a '?' ending a
  word of plain Latin letters («Szab? Kft.») is one when the file was read
  in an encoding that has almost no accented Latin letters (a Cyrillic code
  page such as Excel's Windows-1251, ASCII), where the letter could not be
  written at all — the one case that reads as a question too, so the
  message says how a question mark meant so loads.
"""

from __future__ import annotations

import codecs
import re
from functools import cache

from greeter.sources.cell_text import LOST_FIX, LOST_LETTERS, LOST_VIA_QUERY

__all__ = ["lacks_latin", "lost_among", "lost_fix", "lost_fix_again", "lost_in"]

#: A '?' right after a letter and before a word in lower case: a question mark is followed by a
#: capital («Что? Где?») or ends the name; «Jovanovi? d.o.o.» and «Nikoli? i sinovi» lost an «ć».
_BEFORE_LOWER = re.compile(r"[^\W\d_]\?[ \t]+([^\W\d_])")
#: A '?' ending a word of plain Latin letters («Szab? Kft.», «Jovanovi?»): a lost «ó», «ć» in a file
#: whose encoding has no accented Latin letters (:func:`lacks_latin`).
_ENDING_LATIN = re.compile(r"[A-Za-z]\?(?![\w?])")
#: Accented letters of the Latin-script languages contacts are written in (Western, Central European,
#: Baltic, Turkish, Romanian): an encoding that holds hardly any of them lost a Latin name's.
_ACCENTED = "áàâäãåæçéèêëíìîïñóòôöõøœßúùûüýÿčćďěľĺňřšťůžźżłńśąęőűğışţșțāēīūļķņģė"


@cache
def lacks_latin(encoding: str | None) -> bool:
    """Whether text read in ``encoding`` could hold almost no accented Latin letter: a '?' ending a
    Latin word there is one lost (Windows-1251, KOI8-R, ASCII), not in UTF-8 or Latin-1. None (a
    workbook, a database, an encoding unknown to Python): False. Pure; cached per encoding."""
    if encoding is None:
        return False
    try:
        held = sum(_holds(letter, encoding) for letter in _ACCENTED)
    except LookupError:
        return False
    return 4 * held < len(_ACCENTED)  # a code page for Latin holds 26 or more, Cyrillic ones none


def _holds(letter: str, encoding: str) -> bool:
    """Whether ``encoding`` can write ``letter``."""
    try:
        letter.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def lost_in(value: str, *, person: bool, encoding: str | None) -> str | None:
    """None if the '?'s in ``value`` may be question marks, else what to add to the row's error ("" mostly).

    ``person``: the cell is a person's name (no '?' at all belongs there),
    not a company's. ``encoding``: what the file was read in (None: not a
    file, or not known). Called only for a cell holding a '?'.
    """
    if person or LOST_LETTERS.search(value) is not None:
        return ""
    for before in _BEFORE_LOWER.finditer(value):
        if before.group(1).islower():
            return ""
    if lacks_latin(encoding) and _ENDING_LATIN.search(value) is not None:
        assert encoding is not None  # lacks_latin(None) is False
        return (
            f"; in a {_spoken(encoding)} file a '?' ending a Latin word is a lost letter («Jovanovi?»"
            " for «Jovanović»): if it is a question mark, the file saved as UTF-8 loads it"
        )
    return None


#: Letters a Cyrillic name may have that a Cyrillic code page may lack: Kazakh, Uzbek, Tajik,
#: Kyrgyz, Tatar, Bashkir, Ukrainian, Belarusian, Serbian (those the code page has are not named).
_OTHER_CYRILLIC = "қғҳұҷңүәөўһіјћђ"
#: Accented Latin letters a code page for Cyrillic lacks, named as examples («Jovanović», «Szabó»).
_OTHER_LATIN = "ćóü"
#: How a '?' sits in a name: after or before a Cyrillic letter («Болат?лы»), a Latin one («Szab?»).
_BESIDE_CYRILLIC = re.compile(r"[\u0400-\u04ff]\?|\?[\u0400-\u04ff]")
_BESIDE_LATIN = re.compile(r"[A-Za-z]\?|\?[A-Za-z]")


def lost_among(value: str) -> str:
    """``Cyrl`` if a '?' of ``value`` sits beside a Cyrillic letter («Болат?лы»), ``Latn`` beside a
    Latin one («Szab?»), "" neither or both: which letters :func:`lost_fix` names as examples."""
    cyrillic, latin = _BESIDE_CYRILLIC.search(value), _BESIDE_LATIN.search(value)
    return "" if bool(cyrillic) == bool(latin) else ("Cyrl" if cyrillic else "Latn")


def _lacked(encoding: str, among: str) -> str:
    """«қ», «ғ», «ҳ», «ұ» (``among`` ``Cyrl``), «ć», «ó», «ü» (``Latn``), or four and two of both (""):
    examples of letters ``encoding`` cannot write, of the kind a row's '?' sits among."""
    cyrillic = [c for c in _OTHER_CYRILLIC if not _holds(c, encoding)][:4]
    latin = [c for c in _OTHER_LATIN if not _holds(c, encoding)]
    shown = cyrillic if among == "Cyrl" else latin if among == "Latn" else cyrillic[:2] + latin[:2]
    return ", ".join(f"«{c}»" for c in shown)


@cache
def lost_fix(kind: str, encoding: str | None, latin1_query: bool, among: str = "") -> str:
    """What lost the letters of a row's name, and what to fix: by ``contacts.source`` (``kind``), and
    for a file by the encoding it was read in: a code page lacks most letters, and the advice names
    it rather than the ASCII and Latin-1 a file read as UTF-8 must have gone through. Pure; cached.

    ``among`` (:func:`lost_among`): the script of the letters beside the row's '?'. A Tashkent CRM's
    Windows-1251 export lost Kazakh and Uzbek Cyrillic («қ», «ғ», «ҳ», «ұ»), and the message named
    «ć», «ó», «ü» as what the code page lacks: the examples are now of the kind lost."""
    if latin1_query:
        return LOST_VIA_QUERY
    if kind != "csv" or encoding is None or _unicode(encoding):
        return LOST_FIX[kind]
    name = _spoken(encoding)
    if _cyrillic(encoding):
        # KZ-1048 is no Windows' ANSI code page: Excel's «CSV (разделители — запятые)» does not write it.
        excel = "" if _codec(encoding) == "kz1048" else " (what Excel's «CSV (разделители — запятые)» saves)"
        return (
            f"the file is in {name}{excel}, which has no"
            f" {_lacked(encoding, among)} nor other letters beyond its own Cyrillic and plain Latin:"
            " saving it, or the export before, put '?' for each: save it as «CSV UTF-8 (разделитель —"
            " запятая)» or export it as UTF-8, or fix the names in the CRM if it holds them so"
        )
    return (
        f"the file is in {name}: it, or the export before it, had no such letters and put '?' for each:"
        " export it again as UTF-8 (Excel: «CSV UTF-8»), or fix the names in the CRM if it holds them so"
    )


@cache
def lost_fix_again(kind: str, encoding: str | None, latin1_query: bool, first: int) -> str:
    """:func:`lost_fix` for a later cell of the same file, its advice given at row ``first``: one line.

    A Windows-1251 export of an Almaty CRM lost Kazakh letters in 63 cells, and each said the same
    60 words: the advice is said once, at the first row; each later cell says what lost its letters
    and the fix in a few words, pointing there. Pure; cached.
    """
    if latin1_query:
        fix = "contacts.query converts through latin1: remove the conversion from this column"
    elif kind != "csv" or encoding is None or _unicode(encoding):
        fix = {
            "sql": "a conversion to a character set without these letters (latin1, ascii) in contacts.query"
            " or the CRM: fix the query or the CRM",
            "xlsx": "a conversion to a character set without these letters (latin1, ascii) in the export"
            " or the CRM: fix the export or the CRM",
        }.get(
            kind,
            "an export in a character set without these letters (ASCII, Latin-1): export the file"
            " again as UTF-8",
        )
    else:
        fix = f"the file is in {_spoken(encoding)}, which has no such letters: save it as UTF-8"
    return f"{fix} (row {first} says more)"


def _codec(name: str) -> str:
    """The codec's own name (``cp1251`` for ``windows-1251``), or ``name`` when Python knows none."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _unicode(encoding: str) -> bool:
    """Whether ``encoding`` writes every letter (UTF-8, UTF-16…): nothing is lost in reading it."""
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def _cyrillic(encoding: str) -> bool:
    """Whether ``encoding`` is a Cyrillic code page (Windows-1251, KOI8-R, DOS cp866…)."""
    try:
        return _holds("Ж", encoding) and lacks_latin(encoding)
    except LookupError:
        return False


def _spoken(encoding: str) -> str:
    """The encoding as a marketer knows it (Windows-1251); imported here: the CSV source imports the rows."""
    from greeter.sources.csv_source import spoken

    return spoken(encoding)
