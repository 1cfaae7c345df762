"""CSV as CRMs really export it: UTF-8 (with or without BOM) or a Windows code page, ``;`` or ``,``.

Only the first 64 KB are sniffed for the encoding and the delimiter (that of
the header line, which a report's title lines may precede); the file is then
streamed row by row, so memory does not grow with its size.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Literal

from greeter.config_contacts import ContactsSource
from greeter.errors import ContactsError, Problem
from greeter.sources.header import HeaderTest, header_test, scan
from greeter.sources.rows import CutRow
from greeter.sources.sniff import SNIFF_BYTES, open_contacts_file, wrong_format
from greeter.sources.undecoded import HANDLER, SEEN, has_marks, raw_bytes, without_marks

_DELIMITERS = {"tab": "\t", "\t": "\t", ";": ";", ",": ",", "|": "|"}


#: The legacy code pages ``encoding: auto`` tells apart: Russian (cp1251, KOI8-R, DOS cp866; and
#: Kazakh KZ-1048, which charset-normalizer does not know, from cp1251's reading: :func:`_kazakh`),
#: Central European (cp1250: Hungarian, Serbian Latin, Croatian, Polish, Czech), Baltic (cp1257:
#: Estonian, Lithuanian, Latvian), Turkish (cp1254: Turkish, Azerbaijani), UTF-16 (Excel's "Unicode
#: text"), and last Western (Latin-1), which reads any bytes: a fallback, warned about (:func:`read_rows`).
_CODE_PAGES = ["cp1251", "cp1250", "cp1257", "koi8_r", "cp866", "utf_16", "cp1254", "latin_1"]
#: The bytes of Windows-1254's own letters (Ğ İ Ş ğ ı ş), which Latin-1 reads as Ð Ý Þ ð ý þ…
_TURKISH_OWN = frozenset(b"\xd0\xdd\xde\xf0\xfd\xfe")
#: …and of the letters the two share that Turkish and Azerbaijani write (Ç Ö Ü ç ö ü).
_TURKISH_SHARED = frozenset(b"\xc7\xd6\xdc\xe7\xf6\xfc")
#: The bytes where Windows' Kazakh code page (KZ-1048) has its letters (Ә Ғ Қ Ң Ө Ұ Ү Һ) and
#: Windows-1251 the Serbian, Macedonian, Belarusian and Ukrainian ones (Ј Ѓ Ќ Ѕ Ў Ґ Є Ї…): the only
#: bytes the two read differently.
_KAZAKH_OWN = frozenset(b"\x8d\x8e\x9d\x9e\xa1\xa2\xa3\xa5\xaa\xaf\xb4\xba\xbc\xbd\xbe\xbf")
#: Code pages this close in charset-normalizer's chaos (0…1) are a tie: a coin toss, warned about.
_CLOSE_CHAOS = 0.05
_WORDS = re.compile(r"[\s;,|]+")
_LETTERS = re.compile(r"[^\W\d_]+")


#: A rival reading of a file: (code page, the first word it reads differently, how it reads it).
Rival = tuple[str, str, str]


def guess_encoding(head: bytes, languages: Sequence[str] = ()) -> tuple[str, list[Rival]]:
    """The encoding of ``head``, and the rivals that score about as well but read it differently.

    UTF-8 (BOM-aware) when the bytes decode as UTF-8, else charset-normalizer's
    best guess. Single-byte code pages decode any bytes, and a short
    Hungarian or Estonian export scores the same in cp1250, cp1257 and Latin-1:
    a wrong one turns Szőke into Szõke without an error. So each rival is
    returned with the first word it reads differently, for a warning that
    shows what is at stake; no rivals means the guess is sure. ``languages``:
    those the config's clients use (``defaults.locale``'s), to settle a tie
    between two readings each a language's text (:func:`_code_page`).
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", []
    try:
        head.decode("utf-8")
        return "utf-8", []
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a multi-byte character cut by the sniff window
            return "utf-8", []
    if _mostly_utf8(head):  # a UTF-8 export with rows of another pasted in: those rows are rejected
        return "utf-8", []
    return _code_page(head, languages)


def _mostly_utf8(head: bytes) -> bool:
    """Whether at least half of the lines of ``head`` that hold non-ASCII bytes are valid UTF-8.

    A line of Windows-1251 (or any code page's) letters is next to never
    valid UTF-8 — a Cyrillic letter there is a byte UTF-8 reads as the start
    of a character, and the next letter is another start — so such lines
    make the file UTF-8, and the lines that are not are rows pasted from
    another export: read in their code page, the whole file's UTF-8 header and
    rows would be garbled instead. Half, not one: random bytes hold a short
    valid line now and then. UTF-16 (NUL bytes) is not UTF-8; the last line is
    left out when the sniff window cut it.
    """
    if b"\x00" in head:
        return False
    lines = head.split(b"\n")
    if len(head) >= SNIFF_BYTES and not head.endswith(b"\n"):
        lines.pop()
    valid = invalid = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            invalid += 1
        else:
            valid += 1
    return valid >= invalid > 0


def _code_page(head: bytes, languages: Sequence[str] = ()) -> tuple[str, list[Rival]]:
    """charset-normalizer's best legacy code page for ``head`` (not UTF-8), and its rivals.

    Among charset-normalizer's near-ties, the readings whose words are most
    wholly a language's (:func:`greeter.sources.alphabets.fit`: «Azonosító»,
    «Szőke» in cp1250, not «Azonosķtó» in cp1257 nor «Szõke» in Latin-1),
    then most those of ``languages`` (the config's), stay tied; the others
    are no rivals — their text is no language's — and are not warned about.
    Only a tie that the words cannot settle («Tõnu» is Estonian in cp1257,
    «Tőnu» Hungarian in cp1250) is the warning's coin toss.
    """
    from charset_normalizer import from_bytes  # ~6 ms of import that a UTF-8 export never needs

    from greeter.sources.alphabets import fit

    turkish = _turkish(head)
    # Without its own letters' bytes cp1254 reads the text as Latin-1 does (and charset-normalizer
    # files identical readings under one name): it is no evidence then, only another name.
    pages = _CODE_PAGES if turkish else [page for page in _CODE_PAGES if page != "cp1254"]
    matches = list(from_bytes(head, cp_isolation=pages))
    if not matches:
        raise ContactsError("cannot tell the text encoding")
    least = min(m.chaos for m in matches)
    near = [m for m in matches if m.chaos <= least + _CLOSE_CHAOS or (turkish and m.encoding == "cp1254")]
    if len(near) > 1:
        fits = {m.encoding: fit(str(m), languages) for m in near}
        most = max(fits.values())
        near = [m for m in near if fits[m.encoding] == most]
    # charset-normalizer ranks by chaos, then coherence. Among the near-ties left, Windows-1251 comes
    # first (a few Russian rows score as well in cp1257, whose letters sit where Cyrillic is),
    # then the most coherent, then the order of _CODE_PAGES.
    best = min(near, key=lambda m: (m.encoding != "cp1251", -m.coherence, _CODE_PAGES.index(m.encoding)))
    text = str(best)
    kazakh, doubt = _kazakh(head) if best.encoding == "cp1251" else (False, [])
    if kazakh:
        return "kz1048", doubt
    rivals: list[Rival] = []
    for rival in sorted(near, key=lambda m: m.chaos):
        other = str(rival)
        if rival is best or other == text:
            continue
        pairs = zip(_WORDS.split(text), _WORDS.split(other), strict=False)
        word, reads = next(((a, b) for a, b in pairs if a != b), (text, other))
        rivals.append((str(rival.encoding), word, reads))
    return str(best.encoding), rivals + doubt


#: The Cyrillic languages whose letters sit in Windows-1251 where KZ-1048 has Kazakh ones.
_KAZAKH_RIVALS = ("uk", "be", "sr", "mk")


def _kazakh(head: bytes) -> tuple[bool, list[Rival]]:
    """Whether ``head``, which charset-normalizer reads as Windows-1251, is KZ-1048; and the rival reading.

    charset-normalizer knows no KZ-1048, and an Almaty CRM's Kazakh export read as
    Windows-1251 lost its letters to Serbian, Belarusian and Ukrainian ones: «Јлия Серікќызы
    Нўрланова», the patronymic no longer saying a gender. The two code pages differ in 16
    bytes only (:data:`_KAZAKH_OWN`), and the words holding them settle it: one that is a
    Kazakh word in KZ-1048 and no Ukrainian, Belarusian, Serbian or Macedonian one in
    Windows-1251 («Серікқызы», «Әлия»: «Серікќызы», «Јлия») is a vote for KZ-1048; one the
    other way round («Ђорђијевић»: «Ђорђиәевић») for Windows-1251. A word that reads as both
    («Нұрланова»: «Нўрланова» is Belarusian, «Євгенія»: «Ғвгенія» Kazakh) does not vote, so a
    Ukrainian or Belarusian file stays Windows-1251. The losing side's first word, if any, is
    the rival a warning shows.
    """
    if _KAZAKH_OWN.isdisjoint(head):
        return False, []
    from greeter.sources.alphabets import written_in

    # Single-byte code pages: a character of each reading is the byte at its index.
    cp1251, kazakh = head.decode("cp1251", errors="replace"), head.decode("kz1048", errors="replace")
    for_kazakh: list[tuple[str, str]] = []
    for_cp1251: list[tuple[str, str]] = []
    for match in _LETTERS.finditer(cp1251):
        word = match.group()
        if _KAZAKH_OWN.isdisjoint(head[match.start() : match.end()]):
            continue
        other = kazakh[match.start() : match.end()]
        as_kazakh, as_slavic = written_in(other, ("kk",)), written_in(word, _KAZAKH_RIVALS)
        if as_kazakh and not as_slavic:
            for_kazakh.append((other, word))
        elif as_slavic and not as_kazakh:
            for_cp1251.append((word, other))
    if len(for_kazakh) > len(for_cp1251):
        return True, [("cp1251", *for_cp1251[0][::-1])] if for_cp1251 else []
    return False, [("kz1048", *for_kazakh[0][::-1])] if for_kazakh else []


def _turkish(head: bytes) -> bool:
    """Whether ``head`` may be Windows-1254: its reading then faces the others' words, however it scores.

    charset-normalizer scores an Azerbaijani export's «İsmayıl Şükür oğlu» less
    well in cp1254 than in Latin-1 (its «Ýsmayýl Þükür oðlu»: gender lost,
    column names garbled). When cp1254's own letters' bytes appear among the
    ü ö ç Turkish shares with Latin-1, the words settle it (:func:`fit`):
    an Icelandic «Þórður Björk» stays Latin-1, its ó no Turkish letter.
    """
    return not _TURKISH_OWN.isdisjoint(head) and not _TURKISH_SHARED.isdisjoint(head)


def latin_1_warning(path: Path, text: str) -> Problem:
    """The warning when ``encoding: auto`` fell back to Latin-1, which reads any bytes as some letters.

    Latin-1 is no guess but what is left when no other code page fits: a
    file in one ``encoding: auto`` does not know is read as it without an
    error, its names wrong. The first word beyond ASCII shows what is at stake.
    """
    word = next((w for w in _WORDS.split(text) if not w.isascii()), "")
    word = word if len(word) <= 40 else word[:39] + "…"
    shown = f" ({word!r} is one of its words)" if word else ""
    message = (
        f"encoding: auto read this file as Latin-1 (Western European), the fallback when no code page it"
        f" knows fits{shown}; if names look wrong, set contacts.encoding to the export's code page"
        f" (e.g. encoding: cp1254 for Turkish or Azerbaijani), else set encoding: latin_1 to silence this"
    )
    return Problem(str(path), "contacts.encoding", message, kind="column", severity="warning")


def detect_encoding(head: bytes) -> str:
    """The encoding :func:`guess_encoding` chooses, sure or not."""
    return guess_encoding(head)[0]


def encoding_warning(path: Path, encoding: str, rivals: list[Rival]) -> Problem:
    """The warning for an unsure guess: the file, the guess, the rivals and a word they read otherwise."""
    other, word, reads = rivals[0]
    word, reads = (w if len(w) <= 40 else w[:39] + "…" for w in (word, reads))
    names = " or ".join(r[0] for r in rivals)
    message = (
        f"encoding: auto read this file as {encoding}, but it may be {names} "
        f"({word!r} would be {reads!r} in {other}); if names look wrong, set contacts.encoding "
        f"to the right one (e.g. encoding: {other}), else set encoding: {encoding} to silence this"
    )
    return Problem(str(path), "", message, kind="column", severity="warning")


#: The encodings' names as a marketer knows them (Excel's "Save as" and the CRMs' export dialogs).
_SPOKEN = {
    "utf-8": "UTF-8", "cp1251": "Windows-1251", "cp1250": "Windows-1250", "cp1257": "Windows-1257",
    "cp1254": "Windows-1254", "kz1048": "KZ-1048", "koi8-r": "KOI8-R", "cp866": "DOS cp866",
    "utf-16": "UTF-16", "iso8859-1": "Latin-1",
}  # fmt: skip


def _codec(name: str) -> str:
    """The codec's own name (``koi8_r``, ``KOI8-R``: ``koi8-r``); UTF-8 with or without its BOM is one."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return name
    return "utf-8" if codec == "utf-8-sig" else codec


def spoken(name: str) -> str:
    """The encoding as a marketer knows it: cp1251 is Windows-1251, utf_8 UTF-8."""
    return _SPOKEN.get(_codec(name), name)


def undecodable(head: bytes, declared: str, *, whole: bool) -> str | None:
    """The advice when ``contacts.encoding`` cannot decode the file's ``head`` but another encoding can.

    A UTF-8 setting on a Windows-1251 export read every Russian letter as
    "�" and the header search then listed that mojibake; this says which
    encoding reads the file (charset-normalizer's guess, as ``encoding: auto``
    makes it). ``whole``: ``head`` is the whole file, so a multi-byte character
    cut at its end is an error, not the sniff window's edge. None when the
    setting decodes ``head`` or no other encoding does better.
    """
    try:
        decoder = codecs.getincrementaldecoder(declared)(errors="strict")
        text = decoder.decode(head, final=whole)
    except (UnicodeDecodeError, LookupError):
        text = "\ufffd"
    if "\ufffd" not in text:
        return None
    try:
        guess = detect_encoding(head)
    except ContactsError:
        return None
    if _codec(guess) == _codec(declared):
        return None
    return (
        f"the file is not valid {spoken(declared)} (contacts.encoding: {declared}); it reads as"
        f" {spoken(guess)}: set encoding: auto or {_codec(guess)}"
    )


def encoding_hint(path: Path, cfg: ContactsSource) -> str | None:
    """What to set when no header was found in a CSV read in the declared ``contacts.encoding``.

    Either the setting does not decode the file (:func:`undecodable`), or it
    decodes it into junk — KOI8-R reads any Windows-1251 bytes, as other
    Cyrillic letters — while charset-normalizer's guess reads the header with
    every configured column. None with ``encoding: auto``, or when neither holds.
    """
    if cfg.encoding == "auto":
        return None
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES + 1)
    except OSError:
        return None
    whole = len(head) <= SNIFF_BYTES
    head = head[:SNIFF_BYTES]
    advice = undecodable(head, cfg.encoding, whole=whole)
    if advice is not None:
        return advice
    try:
        guess = detect_encoding(head)
    except ContactsError:
        return None
    if _codec(guess) == _codec(cfg.encoding):
        return None
    text = head.decode(guess, errors="replace").lstrip("\ufeff")
    test = header_test(cfg)
    delimiter = sniff_delimiter(text, test) if cfg.delimiter == "auto" else _DELIMITERS[cfg.delimiter]
    try:
        found = scan(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1), test)[1]
    except csv.Error:
        return None
    if found is None:
        return None
    return (
        f"read as {spoken(guess)} (not {spoken(cfg.encoding)}, contacts.encoding: {cfg.encoding})"
        f" the header has the configured columns: set encoding: auto or {_codec(guess)}"
    )


#: The delimiters ``delimiter: auto`` chooses from, the first winning ties.
_CANDIDATES = (";", ",", "\t", "|")


def detect_delimiter(header_line: str) -> str:
    """The candidate that splits the header line into the most fields (``;`` wins ties)."""
    counts = {d: header_line.count(d) for d in _CANDIDATES}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def sniff_delimiter(text: str, header: HeaderTest | None = None) -> str:
    """The delimiter of the header line among the first lines ``text`` of the file.

    With ``header`` (how the contacts' header row is recognised), each
    candidate splits ``text`` into rows, and the one under which the header
    comes first wins (then the one giving it the most fields): a report's title
    line above the header ("Отчёт по контактам, декабрь") does not decide. If
    no candidate finds the header, the one giving some row the most configured
    columns wins, so that the error names the header's real typo. Without
    ``header``, or when nothing tells, the first line decides (:func:`detect_delimiter`).
    """
    first_line = text.splitlines()[:1]
    fallback = detect_delimiter(first_line[0] if first_line else "")
    if header is None:
        return fallback
    ranked: list[tuple[tuple[int, int, int, int], str]] = []
    for order, delimiter in enumerate(_CANDIDATES):
        try:
            above, found = scan(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1), header)
        except csv.Error:
            continue
        if found is not None:
            ranked.append(((0, found[0], -len(found[1]), order), delimiter))
        elif above:
            closest = min(header(number, cells) for number, cells in above)
            ranked.append(((1, closest, int(delimiter != fallback), order), delimiter))
    return min(ranked)[1] if ranked else fallback


#: What the messages of :func:`read_rows` call the file, and the advice for an encoding not told.
_WHAT = {
    "contacts": ("contacts file", "set contacts.encoding, e.g. cp1251"),
    "list": ("file", "is it a text file? save it as CSV, UTF-8 or Windows-1251"),
}


def read_rows(
    path: Path,
    encoding: str = "auto",
    delimiter: str = "auto",
    *,
    what: Literal["contacts", "list"] = "contacts",
    header: HeaderTest | None = None,
    notes: list[Problem] | None = None,
    read_as: list[str] | None = None,
    languages: Sequence[str] = (),
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row number, cells)`` for every row from row 1, blank lines included.

    Row numbers count records as a spreadsheet does (a quoted field with line
    breaks does not shift the rows after it). ``what``: the contacts, or a
    list another command reads the same way (``greeter suppress --from-csv``),
    whose messages name no contacts setting. ``header`` recognises the header
    row, so that ``delimiter: auto`` is told by it, not by a title above it.
    ``notes`` receives a warning when ``encoding: auto`` could not be sure.
    ``read_as`` receives the encoding the file is read in (the setting, or
    what ``encoding: auto`` chose) before the first row: the row parser's
    advice on letters lost to '?' depends on it. ``languages``: the config's
    clients' (``defaults.locale``'s), for :func:`guess_encoding`.
    """
    name, advice = _WHAT[what]
    with open_contacts_file(path, name, only_files=what == "contacts") as opened:
        # A list may come from a pipe (``--from-csv <(…)``), which cannot be rewound after the
        # sniff below: it is read whole (a do-not-contact list, not a million contacts, which
        # only_files keeps to regular files). It was an "internal error … not seekable".
        fh: BinaryIO = opened if opened.seekable() else io.BytesIO(opened.read())
        head = fh.read(SNIFF_BYTES)
        fh.seek(0)
        problem = wrong_format(path, head, "csv" if what == "contacts" else "list")
        if problem is not None:  # a workbook or a web page: no encoding or delimiter would help
            raise ContactsError(problem)
        try:
            enc, rivals = guess_encoding(head, languages) if encoding == "auto" else (encoding, [])
        except ContactsError as exc:
            raise ContactsError(f"{path}: {exc} ({advice})") from None
        try:
            codecs.lookup(enc)
        except LookupError:
            raise ContactsError(f"{path}: unknown encoding {enc!r}") from None
        if read_as is not None:
            read_as.append(enc)
        if rivals and notes is not None:
            notes.append(encoding_warning(path, enc, rivals))
        elif encoding == "auto" and _codec(enc) == "iso8859-1" and notes is not None and what == "contacts":
            notes.append(latin_1_warning(path, head.decode(enc)))
        if encoding != "auto" and notes is not None and what == "contacts":
            wrong = undecodable(head, enc, whole=len(head) < SNIFF_BYTES)
            if wrong is not None:  # names would be read with "�" in them: say which encoding it is
                notes.append(Problem(str(path), "", wrong, kind="column", severity="warning"))
        text = io.TextIOWrapper(fh, encoding=enc, errors=HANDLER, newline="")
        delim = (
            sniff_delimiter(head.decode(enc, errors="replace").lstrip("\ufeff"), header)
            if delimiter == "auto"
            else _DELIMITERS[delimiter]
        )
        unended: list[str] = []  # the file's last line, once it is read, if no line break ends it
        reader = csv.reader(_lines(text, unended), delimiter=delim)
        number = 0
        # Bytes the encoding cannot read stay in the cells as marks (see greeter.sources.undecoded),
        # so that the row parser rejects their row. The rows are looked at only once the decoder
        # has met such a byte: a clean file pays one integer comparison a row.
        errors = SEEN[0]
        in_header = header is not None  # rows up to the header are only searched: "�", as ever
        bad: list[tuple[int, list[str]]] = []
        header_at = 0
        try:
            for cells in reader:
                number += 1
                if number == 1 and cells and cells[0].startswith("\ufeff"):
                    cells[0] = cells[0][1:]
                if SEEN[0] != errors and has_marks("".join(cells)):
                    if in_header or header is None:
                        cells = without_marks(cells)
                    else:
                        bad.append((number, cells))
                if in_header:
                    assert header is not None
                    in_header = header(number, cells) != 0
                    header_at = number
                if unended:  # the file ends in this row (its last): it may be cut short (see CutRow)
                    cells = CutRow(cells)
                yield number, cells
        except csv.Error as exc:
            raise ContactsError(
                f"{path}:row {number + 1}: broken CSV ({exc}); rows before it were read"
            ) from None
        if bad and notes is not None:
            notes.append(undecoded_rows(path, enc, encoding, bad, number - header_at))


def _lines(text: Iterable[str], unended: list[str]) -> Iterator[str]:
    """The lines of ``text``; the one no line break ends is also put in ``unended``.

    Only a file's last line can end without one (LF, CR LF or CR: the reader
    keeps them as they are), so :func:`read_rows` knows, as
    the row that ends the file comes out of ``csv.reader``, whether the file
    ends in its middle — without reading the file twice or holding a row back.
    """
    for line in text:
        if line[-1] not in "\n\r":
            unended.append(line)
        yield line


#: How many of the rows a file cannot decode its message lists, and reads to guess their encoding.
_LISTED = 5
_SAMPLED = 50


def undecoded_rows(
    path: Path, encoding: str, setting: str, bad: list[tuple[int, list[str]]], rows: int
) -> Problem:
    """The file's warning about rows its encoding cannot read (each row's own error rejects it).

    Says which rows, and the code page they read as (charset-normalizer over
    their bytes), so that the fix is clear: a file glued from two exports is
    exported again in one encoding; a file none of whose rows is read was
    exported in another encoding than ``contacts.encoding`` (``setting``) says.
    ``rows``: the rows under the header, blank lines included.
    """
    numbers = [n for n, _ in bad]
    listed = ", ".join(str(n) for n in numbers[:_LISTED])
    if len(numbers) > _LISTED:
        listed += f" and {len(numbers) - _LISTED} more"
    sample = b"\n".join(raw_bytes(";".join(cells), encoding) for _, cells in bad[:_SAMPLED])
    try:
        other = _code_page(sample)[0]
    except ContactsError:
        other = encoding
    many = len(numbers) > 1
    they = "they look" if many else "it looks"
    looks = f" ({they} like {spoken(other)})" if _codec(other) != _codec(encoding) else ""
    if len(bad) < rows or setting == "auto":
        what = f"rows {listed} are" if many else f"row {listed} is"
        fix = f"re-export the file in one encoding ({spoken(encoding)})"
    else:  # the whole file is in another encoding than the setting says
        what = f"every row under the header ({'rows' if many else 'row'} {listed}) is"
        fix = f"set contacts.encoding: {_codec(other)}" if looks else "set contacts.encoding to the file's"
    message = (
        f"{what} not {spoken(encoding)}{looks}, so not loaded (a letter would show"
        f" \ufffd in place of {'their' if many else 'its'} letters); {fix}"
    )
    return Problem(str(path), "contacts.encoding", message, kind="column", severity="warning")
