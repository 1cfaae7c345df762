"""One source row → a :class:`Contact` or located problems — pure, shared by every source.

The column positions are resolved once from the header, so the per-row work
is a few list look-ups and string checks: a million-row CRM export must load
at close to the speed of ``csv.reader`` itself. Errors reject the row (it
cannot be greeted safely); warnings keep the contact with the bad field
left out (a broken birthday still allows the New Year letter).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TypeVar
from zoneinfo import ZoneInfo

from greeter.config import ContactsSource
from greeter.contacts import (
    UNSAFE_IN_HEADER,
    Contact,
    Gender,
    domain_typo,
    email_in_cell,
    invisible_chars,
    smtputf8_only,
)
from greeter.countries import parse_country
from greeter.country_zones import country_zone, zone_country
from greeter.errors import ContactsError, Problem
from greeter.holiday_tables import has_calendar
from greeter.names import (
    FullName,
    initials_in,
    native_order,
    normalise_case,
    patronymic_gender,
    read_full_name,
    usual_order,
    without_brackets,
)
from greeter.sources import email_notes
from greeter.sources.columns import configured_columns, describe_control, header_problem
from greeter.sources.dates import SAMPLES, DateParser
from greeter.sources.quote import QUOTE_CHARS, quoted
from greeter.sources.seen import IdLog, SeenIndex
from greeter.sources.undecoded import escaped, undecoded_cells
from greeter.sources.yes_no import read_yes_no
from greeter.timezones import is_zone, zone_hint, zone_meant

#: The characters a header cannot hold (C0/C1 controls, DEL, U+2028/9, lone surrogates, direction
#: overrides and isolates): a strict field holding one would be held at ``send`` by
#: :func:`greeter.message.validate_header_value`.
_CONTROL = UNSAFE_IN_HEADER
_TAG_SPLIT = re.compile(r"[,;]")
#: Invisible characters a name never needs — zero-width space, word joiner, byte-order mark,
#: soft hyphen, left-to-right and right-to-left marks — that a cell pasted from a web page or a
#: messenger brings along: ``Иван\u200b`` was addressed undeclined ("Иван Петровичу"), its
#: ending hidden from the declension rules. Removed, with a warning; the joiners (U+200C/D)
#: stay: Persian and Indic names and emoji need them.
_PASTED_INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060\ufeff\u00ad]")
#: The fields cleaned of them: the words a letter addresses the contact and its company with.
_NAME_FIELDS = ("first_name", "patronymic", "last_name", "full_name", "company")
#: cp1252's characters of the bytes 0x80–0x9F, each to its byte's Latin-1 character (the five bytes
#: cp1252 leaves undefined stay Latin-1's C1 controls, as MariaDB's latin1 reads them).
_CP1252_HIGH = {c: chr(b) for b in range(0x80, 0xA0) if (c := bytes([b]).decode("cp1252", "ignore"))}
_AS_LATIN1 = str.maketrans(_CP1252_HIGH)
#: A UTF-8 lead byte and a continuation byte, each read as cp1252/Latin-1 ("Ð˜", "Ã¼"): mojibake's
#: mark (:func:`_mojibake`). Names in any script, accented Latin too, all but never hold this pair.
_MOJIBAKE_PAIR = re.compile(f"[\xc2-\xf4][\x80-\xbf{''.join(_CP1252_HIGH)}]")
#: A line break of any kind, and one with the blanks around it: a company cell's lines (see
#: :meth:`RowParser.parse`) are folded into one at these.
_LINE_BREAK = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]")
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\x0b\x0c\x85\u2028\u2029]+\s*")
#: How a row starts: its first cell (an id, one word) and a delimiter.
_ROW_START = re.compile(r"[\w-]+[;,\t|]")
#: The first word of an export's totals line (see :meth:`RowParser.summary_row`).
_SUMMARY = re.compile(r"(?i)(итого|всего|total|totals|grand total)\b")
_DELIMITERS = re.compile(r"[;,\t|]")
#: A line break followed by a line that has delimiters: an unclosed quote swallowed the next row(s).
_SWALLOWED_ROW = re.compile(r"[\r\n][^\r\n]*[;,\t|]")
_NO_TAGS: frozenset[str] = frozenset()
#: The (read-only) empty mapping most contacts have for bad dates and extra columns, shared.
_NO_TEXT: Mapping[str, str] = MappingProxyType({})
_LOCALE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?")
#: A gender cell as CRMs write it, case-folded and without a final dot: Russian, English (``w``:
#: German), Serbian Cyrillic (мушки/женски, whose м/ж are the Russian letters) and Serbian Latin or
#: Croatian (m/ž, muški/ženski; ``z`` where an export lost the háček).
_GENDERS = {
    **dict.fromkeys(
        ("м", "муж", "мужской", "мужчина", "мушки", "мушко",
         "m", "male", "man", "muški", "muško", "muski", "musko"),
        Gender.MALE,
    ),
    **dict.fromkeys(
        ("ж", "жен", "женский", "женщина", "женски", "женско", "f", "female", "woman", "w",
         "ž", "žen", "ženski", "žensko", "z", "zen", "zenski", "zensko"),
        Gender.FEMALE,
    ),
}  # fmt: skip
__all__ = ["QUOTE_CHARS", "CutRow", "RowParser", "UnreadCell", "quoted"]


class CutRow(list[str]):
    """The cells of a CSV file's last row when no line break follows it: the file may end in its middle.

    A CRM export job rewriting the file while greeter reads it leaves it cut
    anywhere (``5100;c100@example.co``); the cut row's fields, one of them cut
    short, were loaded as a short line, and a letter went to a cut address
    (a real, other domain). The CSV source marks the row by its type, so that
    :meth:`RowParser.parse` tells this case apart only when the row is short:
    the million ordinary rows pay nothing. A complete last row without a line
    break (many exporters write none) is not short, and loads as ever.
    """

    __slots__ = ()


class UnreadCell(str):
    """An empty cell whose value the source could not read, and ``why`` (the message's start).

    An XLSX date cell holding a formula no program calculated reads as empty
    (:mod:`greeter.sources.xlsx_source`), but the date is there: it is not an
    empty birthday, it is one that could not be read. Marked by its type, as
    :class:`CutRow` marks a row, so that :meth:`RowParser.parse` treats it as
    an unreadable date — a warning ending in the greetings it costs, the
    contact's ``bad_dates`` (``skip: invalid_contact`` in a plan) and a value
    counted in the column's summary — while the million ordinary rows pay
    nothing: only an empty date cell is asked for its type.
    """

    why: str

    def __new__(cls, why: str) -> UnreadCell:
        cell = super().__new__(cls, "")
        cell.why = why
        return cell


#: A date column is reported as a whole (once, as an error) when every one of its values fails,
#: or more than half of them once it has at least this many: a format problem, not a few typos.
#: Also the fewest failures a column's warning is given for (:meth:`RowParser.column_problems`).
COLUMN_MIN_VALUES = 5
#: A column's warning is given when at least one value in this many fails (5 %), or fewer if a
#: common format reads them (:meth:`RowParser.column_problems`).
COLUMN_SHARE = 20
#: Fields whose text ends up in headers or addressing: control characters reject the row.
_STRICT = ("id", "email", "first_name", "patronymic", "last_name", "full_name", "company", "gender",
           "timezone", "locale", "country", "tier", "tags")  # fmt: skip


@dataclass(slots=True)
class _DateColumn:
    """One date column: where it is, and how its values fared (for the whole-column problem)."""

    name: str
    index: int
    column: str
    values: int = 0
    failed: int = 0
    #: Of ``failed``, the values the source itself could not read (:class:`UnreadCell`: an XLSX
    #: formula never calculated): their rows say why, and no date format would read them.
    unread: int = 0
    #: What a bad value costs, in the occasions' names: "birthday greetings", "name_day and
    #: angel_day greetings"; without the occasions, the field's name.
    greetings: str = ""
    #: The first distinct values that failed, for guessing the format they are in.
    samples: list[str] = field(default_factory=list)


#: A do-not-contact cell that lets the contact be greeted (:meth:`RowParser._opted_out`).
_IN: tuple[None, None] = (None, None)


class RowParser:
    """Maps the rows of one source (one header) to contacts; remembers ids/e-mails seen.

    ``implied_formats``: date formats the source itself produces whatever the
    config says (an SQL source's ISO dates, an XLSX source's date cells).
    ``row``: the header's row in the file (a report's title may stand above it).
    ``occasions``: each date field's occasions (:func:`greeter.sources.date_occasions`), so
    that a bad date says which greetings it costs; None names the field instead.
    """

    def __init__(
        self,
        cfg: ContactsSource,
        header: Sequence[str],
        source: str,
        implied_formats: Sequence[str] = (),
        row: int = 1,
        occasions: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.source = source
        self.date_parser = DateParser(cfg.date_formats, implied_formats)
        clean = [h.strip() for h in header]
        problem = header_problem(cfg, clean, source, row)
        if problem is not None:
            raise ContactsError(problem)
        self.header = clean
        index = {h: i for i, h in enumerate(clean) if h}
        wanted, _ = configured_columns(cfg, index)
        self.pos = {name: index[column] for name, column in wanted.items()}
        self.dates = [
            _DateColumn(name, index[column], column, greetings=_greetings(name, occasions))
            for name, column in cfg.dates.items()
        ]
        used = set(self.pos.values()) | {d.index for d in self.dates}
        self.extra = [(h, i) for i, h in enumerate(clean) if i not in used and h]
        self.width = len(clean)
        self._csv = cfg.source == "csv"
        self._kind = cfg.source
        self._fields = tuple(self.pos.items())
        self._strict = tuple(name for name in _STRICT if name in self.pos)
        #: Whether the rows say names at all: without a name column every letter is impersonal by
        #: design, and a warning on each row would only be noise.
        self._named = "first_name" in self.pos or "full_name" in self.pos
        self._impersonal: dict[tuple[str | None, Gender | None, str, str], str] = {}
        self._locales: dict[str, str | None] = {}
        self._locale_why: dict[str, str] = {}
        # Exports repeat values: a million rows hold some 40,000 distinct date strings, a few
        # thousand names and a handful of tag lists. Reading each once makes them dict look-ups.
        self._dates: dict[str, date | None] = {}
        self._date_problems: dict[str, str] = {}
        self._tags: dict[str, frozenset[str]] = {}
        self._names: dict[str, str] = {}
        self._full_names: dict[tuple[str, str | None], tuple[FullName, str]] = {}
        #: First-name cells that hold a whole name ("Петрова Анна Сергеевна"): how many of how many
        #: filled, and the first one's row and text, for one warning about the column.
        self._whole_names = 0
        self._first_names = 0
        self._whole_sample: tuple[int, str] | None = None
        #: The language of a row without one (``defaults.locale``; set by the source): the order a
        #: full name is read in depends on it. None: Russian, as a parser built alone assumes.
        self.default_locale: str | None = None
        self._default_zone: str | None = None
        #: ``defaults.country`` (set by the source): a zone of its country infers no country for a row
        #: without one (:meth:`_zone_country`). None: the country of ``defaults.timezone`` stands for it.
        self.default_country: str | None = None
        self._zone_countries: dict[str, str | None] = {}
        self.seen_ids = SeenIndex()
        #: Each address seen, folded: the ordinal of its contact's id in :attr:`email_owners`.
        self.seen_emails = SeenIndex()
        self.email_owners = IdLog()

    @property
    def default_zone(self) -> str | None:
        """``defaults.timezone`` (set by the source), for the warning on a zone that cannot be read:
        it says which zone the contact's letters are then timed in. None: the setting is named.

        Also the zone whose day a date-time with a UTC offset is
        (``1980-12-07T21:00:00Z`` is 8 December in Moscow), as for an SQL
        ``timestamptz``: set on :attr:`date_parser` with it.
        """
        return self._default_zone

    @default_zone.setter
    def default_zone(self, name: str | None) -> None:
        self._default_zone = name
        self.date_parser.zone = ZoneInfo(name) if name and is_zone(name) else None
        self._dates.clear()  # read before with another zone (none: a parser built alone)

    def summary_row(self, row: Sequence[str], line: int) -> Problem | None:
        """A warning if ``row`` is an export's totals line ("Итого: 6 клиентов"), not a contact.

        CRMs and spreadsheets end exports with one: an id cell starting with
        Итого/Всего/Total and no e-mail. Loading it made a contact called
        "Итого…" (reported only as "no e-mail"); it is skipped, with a warning,
        and not counted as a rejected row (nothing was wrong with the data).
        """
        cid = row[self.pos["id"]].strip() if "id" in self.pos and self.pos["id"] < len(row) else ""
        email_at = self.pos.get("email")
        email = row[email_at].strip() if email_at is not None and email_at < len(row) else ""
        if email or not _SUMMARY.match(cid):
            return None
        return self._problem(line, "id", f"{quoted(cid)} is a totals line, not a contact; skipped", "warning")

    def _problem(self, line: int, field: str, message: str, severity: str = "error") -> Problem:
        column = self.header[self.pos[field]] if field in self.pos else field
        return Problem(self.source, column, message, line, kind="row", severity=severity)

    def _warn(self, line: int, field: str, message: str) -> Problem:
        return self._problem(line, field, message, "warning")

    def _swallowed(self, text: str) -> bool:
        """Whether a cell's lines after the first look like rows a quote left open joined into it.

        A company cell of several lines is a 1C export's habit (name, then
        branch or address: ``ООО "Вектор"; филиал⏎Москва``) and is folded into
        one line; but when what follows a line break is another row — a first
        cell (an id) and a delimiter, then an e-mail or a whole row's worth of
        delimiters — folding would hide rows that were never read, so the row
        stays rejected.
        """
        if _SWALLOWED_ROW.search(text) is None:
            return False
        rest = _LINE_BREAK.split(text, 1)[1].lstrip()
        if _ROW_START.match(rest) is None:
            return False
        return "@" in rest or max(rest.count(d) for d in ";,\t|") >= max(2, self.width - 1)

    def parse(self, row: Sequence[str], line: int) -> tuple[Contact | None, list[Problem]]:
        """The contact (None if rejected) and the problems of this row."""
        problems: list[Problem] = []
        short: Problem | None = None
        if len(row) < self.width:
            short = self._short(row, line)
            if short is not None and short.severity == "error":
                return None, [short]
            row = [*row, *([""] * (self.width - len(row)))]
        if len(row) > self.width and self._csv and any(map(str.strip, row[self.width :])):
            return None, [self._long(row, line)]
        cells = {name: row[i].strip() for name, i in self._fields}
        whole = "".join(row)
        # Only a row with a UTF-8 byte pair read as Latin-1 ("Ð˜") pays for looking closer.
        if _MOJIBAKE_PAIR.search(whole) is not None and (garbled := self._garbled(cells, line)):
            return None, garbled
        # One test over the whole row (the common, clean case), then over the strict cells, which
        # are parts of it; locate only on a hit. Every character _CONTROL matches is
        # non-printable, so a printable text needs no regex.
        if not whole.isprintable():
            if undecoded := undecoded_cells(row):  # bytes in another encoding than the file's
                return None, [self._undecoded(row, i, line) for i in undecoded]
            company = cells.get("company", "")
            if _LINE_BREAK.search(company) is not None and not self._swallowed(company):
                folded, breaks = _LINE_BREAKS.subn(" ", company)
                cells["company"] = folded  # a subject or a header line may hold it: one line
                message = f"{quoted(company)} is on {breaks + 1} lines, joined with spaces: {quoted(folded)}"
                problems.append(self._warn(line, "company", message))
            strict = "".join([cells[name] for name in self._strict])
            if not strict.isprintable() and _CONTROL.search(strict) is not None:
                for name in self._strict:
                    if (m := _CONTROL.search(cells[name])) is not None:
                        message = f"contains {describe_control(m.group())}"
                        if _SWALLOWED_ROW.search(cells[name]):
                            message += '; a quote (") left open joined the following line(s) into this field'
                        message += f": {quoted(cells[name])}"
                        problems.append(self._problem(line, name, message))
                return None, problems
            for name in _NAME_FIELDS:
                value = cells.get(name, "")
                if value and _PASTED_INVISIBLE.search(value) is not None:
                    cells[name] = _PASTED_INVISIBLE.sub("", value)
                    message = f"{quoted(value)} has {invisible_chars(value)}: removed ({quoted(cells[name])})"
                    problems.append(self._warn(line, name, message))
            row = self._visible_dates(row, line, problems)
        if short is not None:
            problems.append(short)
        cid = cells.get("id", "")
        if not cid:
            return None, [
                self._problem(line, "id", "empty id: every contact needs one (the CRM's client id)")
            ]
        first_id = self.seen_ids.get(cid)
        if first_id is not None:
            message = f"duplicate id {quoted(cid)} (first seen on row {first_id})"
            return None, [self._problem(line, "id", message)]
        email: str | None = cells.get("email", "") or None
        if email is None:
            problems.append(
                self._problem(line, "email", "no e-mail; this contact will be skipped as no_email", "warning")
            )
        else:
            checked, note = email_in_cell(email)
            if checked is None:
                message = f"{quoted(email)} is not a valid e-mail address" + (f": {note}" if note else "")
                return None, [self._problem(line, "email", message)]
            if note:
                problems.append(self._problem(line, "email", f"{quoted(email)} {note}", "warning"))
            if smtputf8_only(checked):  # no letter can reach it: loaded as a contact without an e-mail
                problems.append(self._warn(line, "email", email_notes.local_part_not_ascii(email)))
                email = None
            else:
                if (meant := domain_typo(checked.rpartition("@")[2])) is not None:
                    typo = email_notes.domain_typo_warning(email, checked, meant)
                    problems.append(self._warn(line, "email", typo))
                folded = checked.casefold()
                holder = self.seen_emails.get(folded)
                if holder is None:
                    self.seen_emails.add(folded, self.email_owners.add(cid))
                    email = checked
                else:
                    owner = self.email_owners.get(holder)
                    shared = email_notes.shared_mailbox(email, owner, self.seen_ids.get(owner))
                    problems.append(self._warn(line, "email", shared))
                    email = None
        self.seen_ids.add(cid, line)

        # Names, zones, codes and tags repeat: each is a look-up in a cache, and an empty cell
        # (no code to check, no warning to give) no call at all.
        names = self._names
        first = names.get(raw := cells.get("first_name", "")) or self._name(raw)
        patronymic = names.get(raw := cells.get("patronymic", "")) or self._name(raw)
        last = names.get(raw := cells.get("last_name", "")) or self._name(raw)
        noted = False
        #: A row greeted without a first name: where its warning goes (the letter's opening is known
        #: once the row's language and gender are read), why and what to do.
        nameless: tuple[int, str, str] | None = None
        # The language first: a full name's order depends on it ("Kovács János"), its warnings stay
        # where they were in the row's list.
        locale_problems: list[Problem] = []
        locale = self._locale(raw, line, locale_problems) if (raw := cells.get("locale", "")) else None
        if "full_name" in cells:
            language = locale or self.default_locale  # how a name of this contact is written
            reading, note = self._full_name(cells["full_name"], language)
            last, first, patronymic = reading.parts
            if note:
                noted = True
                if first:
                    problems.append(self._problem(line, "full_name", note, "warning"))
                else:  # initials or one word: one warning, saying how the letter opens
                    nameless = (len(problems), note, "write the name in full in the CRM")
            if reading.unconfirmed and not native_order(language):
                problems.append(self._warn(line, "full_name", _order_to_check(reading, language)))
        elif first:
            if "." in first or "(" in first or "[" in first:
                first, note = _first_name_cell(first)
                if note and first:
                    problems.append(self._problem(line, "first_name", note, "warning"))
                elif note:
                    nameless = (len(problems), note, "write the first name in full in the CRM")
                    noted = True
            self._first_names += 1
            if " " in first and _whole_name(first):
                self._whole_names += 1
                if self._whole_sample is None:
                    self._whole_sample = (line, first)
        if not first and self._named and not noted:
            nameless = (len(problems), "", "")
        gender = self._gender(raw, line, problems) if (raw := cells.get("gender", "")) else None
        flag = cells.get("do_not_contact", "")
        opted_out, unread = self._opted_out(flag, line, problems) if flag else _IN
        if gender is not None and patronymic:
            self._check_gender(gender, first, patronymic, last, line, problems)
        # The country before the zone (an unreadable zone's warning names the fallback), its
        # warnings after, where they always were.
        country: str | None = None
        country_problems: list[Problem] | None = None
        if raw := cells.get("country", ""):
            country_problems = []
            country = self._country(raw, line, country_problems)
        tz: str | None = None
        if raw := cells.get("timezone", ""):
            tz, said, hint = _ZONES.get(raw) or _zone_reading(raw)
            if said:
                if tz is None:
                    said = _fallback_zone(said, hint, country, country_zone(country), self.default_zone)
                problems.append(self._warn(line, "timezone", said))
        # The inverse of the zone from the country below: an empty country cell and a zone of one
        # country (Europe/Tallinn) is that country, for its days off and its holidays. Not for a cell
        # that could not be read: its warning says defaults.country's days off apply. Only where the
        # export has a country column: only then does the planner look far enough ahead for another
        # country's longer holidays (greeter.planner.lookahead_end). Not from an offset ("UTC+3",
        # "МСК+7"): it names a clock, which Russia's zone of it only stands for, not a country.
        from_zone = False
        if (
            tz is not None
            and country_problems is None
            and "country" in cells
            and not _has_digit(cells["timezone"])
        ):
            zones = self._zone_countries  # a handful of zones in a million rows
            country = zones[tz] if tz in zones else _remember(zones, tz, self._zone_country(tz))
            from_zone = country is not None
        problems += locale_problems
        if country_problems:
            problems += country_problems
        tags = (self._tags.get(raw) or self._tag_set(raw)) if (raw := cells.get("tags", "")) else _NO_TAGS
        dates: dict[str, date] = {}
        bad: dict[str, str] = {}
        known = self._dates
        for col in self.dates:
            cell = row[col.index]  # a short row was padded to the header's width
            text = cell.strip()
            if not text:
                if isinstance(cell, UnreadCell):  # a value the source could not read: not an empty cell
                    col.values += 1
                    col.failed += 1
                    col.unread += 1
                    bad[col.name] = self._unread_date(col, cell.why, line, problems)
                continue
            col.values += 1
            parsed = known.get(text, _UNREAD)
            if parsed is _UNREAD:
                parsed = _remember(known, text, self.date_parser.parse(text))
            if parsed is None:
                col.failed += 1
                if len(col.samples) < SAMPLES and text not in col.samples:
                    col.samples.append(text)
                reason = self._date_problem(text)
                bad[col.name] = self._unread_date(col, f"{quoted(text)} {reason}", line, problems)
            else:
                dates[col.name] = parsed
        extra = {h: row[i] for h, i in self.extra if i < len(row)}
        # Positional, in Contact's field order: building a class instance with keyword
        # arguments packs them into a dict and out again, a tenth of a row's time.
        contact = Contact(
            cid,  # id
            email,
            first,  # first_name
            patronymic,
            last,  # last_name
            gender,
            cells.get("company", ""),
            tz or country_zone(country),  # timezone: the row's, else its country's if that keeps one time
            locale,
            country,
            cells.get("tier") or None,
            tags,
            MappingProxyType(dates),
            MappingProxyType(bad) if bad else _NO_TEXT,  # bad_dates
            MappingProxyType(extra) if extra else _NO_TEXT,  # extra
            self.source,
            line,  # row
            from_zone,  # country_from_zone
            opted_out,  # do_not_contact
            unread,  # do_not_contact_unread
        )
        if nameless is not None:
            problems.insert(nameless[0], self._nameless(contact, *nameless[1:]))
        return contact, problems

    def _visible_dates(self, row: Sequence[str], line: int, problems: list[Problem]) -> Sequence[str]:
        """``row`` with the date cells cleaned of pasted invisible characters, each said in a warning.

        ``18.12.1980`` and a zero-width space is a date to whoever looks at the CRM: it was
        refused as "does not match", a birthday lost to a character nobody can
        see. As for a name (:data:`_PASTED_INVISIBLE`), it is removed. Only on
        the path of a row that is not all printable: a copy only if a cell changes.
        """
        cleaned: list[str] | None = None
        for col in self.dates:
            value = row[col.index]
            if _PASTED_INVISIBLE.search(value) is None:
                continue
            cleaned = cleaned if cleaned is not None else list(row)
            cleaned[col.index] = visible = _PASTED_INVISIBLE.sub("", value)
            message = f"{quoted(value)} has {invisible_chars(value)}: removed ({quoted(visible)})"
            problems.append(Problem(self.source, col.column, message, line, kind="row", severity="warning"))
        return row if cleaned is None else cleaned

    def _full_name(self, raw: str, locale: str | None) -> tuple[FullName, str]:
        """A full-name cell read (:func:`read_full_name`), and its row warning or "" (cached: names repeat).

        The warning says how a cell not in «Фамилия Имя Отчество» order was
        read, and what was dropped from it (initials, text in brackets), so
        that ``check`` shows what the letter will say instead of ``OK``.
        """
        known = self._full_names.get((raw, locale))
        if known is not None:
            return known
        text = self._name(raw)
        reading = read_full_name(text, locale)
        notes: list[str] = []
        if reading.order:
            last, first, patronymic = reading.parts
            parts = {"first name": first, "patronymic": patronymic, "last name": last}
            said = ", ".join(f"{what} {value!r}" for what, value in parts.items() if value)
            notes.append(f"{quoted(text)} read as {said} (not in {usual_order(locale)})")
        if reading.bracketed:
            notes.append(
                f"{quoted(text)}: the text in brackets {reading.bracketed!r} is not part of the name"
            )
        if reading.initials and reading.parts.first_name:
            notes.append(
                f"{quoted(text)} has initials ({reading.initials!r}), left out of the name: write the"
                " name in full in the CRM"
            )
        elif reading.initials:  # the row's one warning, with the impersonal opening (see parse)
            notes.append(f"{quoted(text)} has initials ({reading.initials!r}) instead of a first name")
        elif reading.alone:  # likewise: "Кузнецов" greeted «Здравствуйте, Кузнецов!» by position
            word = reading.parts.last_name or reading.parts.patronymic
            notes.append(f"{quoted(text)} read as {reading.alone} {word!r}, no first name")
        return _remember(self._full_names, (raw, locale), (reading, "; ".join(notes)))

    def _nameless(self, contact: Contact, why: str = "", fix: str = "") -> Problem:
        """The warning for a contact loaded without a first name: its letters cannot address it by name.

        Such a row (an empty name, or only a patronymic or a surname, or
        initials: ``why`` says so, ``fix`` what to do) is still
        greeted — the letter is correct, only impersonal — so it is a warning,
        not a rejection; but without one the marketer learns of it from a
        letter that opens «Здравствуйте!». The message quotes the opening the
        letter will have: the contact's language (Russian when the row names
        none) with its gender and surname, which some languages use without a
        first name («Lugupeetud härra Mägi!», «Tisztelt Hölgyem!»).
        """
        key = (contact.locale, contact.gender, contact.patronymic, contact.last_name)
        opening = self._impersonal.get(key)
        if opening is None:
            from greeter.letter_forms import salutation, salutation_end  # only for such a row

            opening = f"{salutation(contact, contact.locale)}{salutation_end(contact.locale)}"
            _remember(self._impersonal, key, opening)
        named = any(part and part in opening for part in (contact.patronymic, contact.last_name))
        how = "open without a first name" if named else "are impersonal"
        column = "first_name" if "first_name" in self.pos else "full_name"
        message = f"{why or 'no first name'}: letters to this contact {how} («{opening}»)"
        if fix:
            message += f"; {fix}"
        return self._problem(contact.row, column, message, "warning")

    def column_problems(self) -> list[Problem]:
        """One problem for each date column a real share of whose values could not be read.

        The rows each got their warning; this says it is the column's format,
        not a few typos, and which common format would read it
        (:meth:`DateParser.column_advice`). An error when every value fails,
        or more than half of at least :data:`COLUMN_MIN_VALUES`: ``greeter
        check`` then fails instead of saying OK while no birthday will ever be
        greeted. A warning when fewer fail, but at least
        :data:`COLUMN_MIN_VALUES` and one in :data:`COLUMN_SHARE` (5 %) — or
        fewer than that share, when a common format reads them: a CRM that
        writes every fourth birthday ``5/3/1975`` is a format missing from the
        config, and 500 row warnings hid it, while two typos in a thousand
        rows are typos (their rows say so) and a column summary over them
        would be noise. The warning counts only values a format could read (not
        an uncalculated formula's, :class:`UnreadCell`: its rows say what to do,
        and "check contacts.date_formats" would send the admin the wrong way).
        Also one warning for a first-name column holding whole names
        (:meth:`_whole_name_problem`).
        """
        problems: list[Problem] = []
        whole = self._whole_name_problem()
        if whole is not None:
            problems.append(whole)
        for col in self.dates:
            most = col.failed == col.values or (
                col.values >= COLUMN_MIN_VALUES and col.failed * 2 > col.values
            )
            typed = col.failed - col.unread  # the share a format could be missing for
            if not col.failed or (not most and typed < COLUMN_MIN_VALUES):
                continue
            few = typed * COLUMN_SHARE < col.values
            if not most and few and self.date_parser.suggest(col.samples) is None:
                continue
            advice = self.date_parser.column_advice(col.samples)
            formats = ", ".join(self.date_parser.configured)
            message = (
                f"{col.failed} of {col.values} values could not be read as dates "
                f"(contacts.date_formats: {formats}){advice}; no {col.greetings} for these contacts"
            )
            severity = "error" if most else "warning"
            problems.append(Problem(self.source, col.column, message, kind="column", severity=severity))
        return problems

    def _whole_name_problem(self) -> Problem | None:
        """One warning for a first-name column some of whose cells hold a whole name, or None.

        Mapping ``first_name`` to a ФИО column (as a newcomer copying the
        example does) greets every contact «Петрова Анна Сергеевна, с днём
        рождения!» without a word: once per file, not per row, it names a
        sample and the setting meant.
        """
        if not self._whole_names or self._whole_sample is None:
            return None
        row, sample = self._whole_sample
        column = self.header[self.pos["first_name"]]
        message = (
            f"{self._whole_names} of {self._first_names} first names look like a whole name (e.g. row"
            f" {row}: {quoted(sample)}), and letters would address people by all of it; if the column"
            f" holds «Фамилия Имя Отчество», set contacts.columns.full_name: {column} and first_name: null"
        )
        return Problem(self.source, column, message, kind="column", severity="warning")

    def _long(self, row: Sequence[str], line: int) -> Problem:
        """A CSV row with more fields than the header: its values would be read one column off.

        ``a@x.ru; b@y.ru`` unquoted, or a ФИО with a ``;`` in it, splits one
        value in two, and every column after it then holds its neighbour's
        value: the birthday in the first-deal column, a name in the e-mail's.
        Empty fields past the header (``a;b;c;;``, Excel's trailing delimiter)
        are not data and never get here.
        """
        last = next(h for h in reversed(self.header) if h)  # the column the extra values follow
        message = (
            f"{len(row)} fields, the header has {self.width} — an unquoted delimiter inside a value?"
            f" the row is not loaded: {quoted(row[self.width])} comes after this last column"
        )
        return Problem(self.source, last, message, line, kind="row")

    def _garbled(self, cells: Mapping[str, str], line: int) -> list[Problem]:
        """An error for each name field that is UTF-8 text read as Latin-1 ("Ð˜Ð²Ð°Ð½" for «Иван»).

        A legacy latin1 (or utf8mb3) column holding UTF-8 bytes, or a UTF-8
        file read as cp1252, gives such text: it went into letters as it was
        (``check: OK``), or failed as "a control character U+0090" (MariaDB's
        latin1 keeps cp1252's undefined bytes as C1 controls). The row is not
        loaded — the name would go out garbled — and the error says what the
        text most likely is and where to fix the reading.
        """
        problems = []
        for name in _NAME_FIELDS:
            value = cells.get(name, "")
            if value and (meant := _mojibake(value)) is not None:
                message = (
                    f"{quoted(value)} is UTF-8 text read as Latin-1 (most likely {quoted(meant)}); the row"
                    f" is not loaded: {_MOJIBAKE_FIX[self._kind]}"
                )
                problems.append(self._problem(line, name, message))
        return problems

    def _undecoded(self, row: Sequence[str], index: int, line: int) -> Problem:
        """A cell holding bytes the file's encoding cannot read: its row is not loaded.

        Such a row was pasted from an export in another encoding, so its other
        cells cannot be trusted either. Its file's warning
        (:func:`greeter.sources.csv_source.undecoded_rows`) names the encoding.
        """
        column = self.header[index] if index < self.width else ""
        message = (
            f"'{escaped(row[index])}' holds bytes the file's encoding cannot read (see the file's"
            " warning about them); the row is not loaded"
        )
        return Problem(self.source, column, message, line, kind="row")

    def _short(self, row: Sequence[str], line: int) -> Problem | None:
        """A row with fewer fields than the header: another delimiter (rejected) or a cut line (warned).

        The file's last row with no line break after it (:class:`CutRow`) is
        rejected: the file ends in its middle, most likely because it was
        still being written, and its last field may be cut short — a letter to
        ``c100@example.co``. Not loading it this run costs nothing: the next run
        reads the whole row.
        """
        missing = self.header[len(row)] if row else self.header[0]
        if isinstance(row, CutRow):
            ends = f", the last one {quoted(row[-1])}" if row else ""
            message = (
                f"the file ends in the middle of this row ({len(row)} of {self.width} fields{ends},"
                " no line break after it): it was probably still being written; the row is not loaded"
                " (greeter reads it again next run; if the file is complete, end it with a line break)"
            )
            return Problem(self.source, missing, message, line, kind="row")
        if len(row) == 1 and _DELIMITERS.search(row[0]):
            message = (
                f"1 field where the header has {self.width}: this row uses another delimiter "
                f"than the header line; the row is skipped: {quoted(row[0])}"
            )
            return Problem(self.source, missing, message, line, kind="row")
        if self._csv:  # spreadsheets and databases leave empty cells out; a CSV line should not
            ends = f"; the line ends with {quoted(row[-1])}" if row else ""
            message = (
                f"only {len(row)} of {self.width} fields (a truncated line?){ends}; "
                "the missing columns are taken as empty"
            )
            return Problem(self.source, missing, message, line, kind="row", severity="warning")
        return None

    def _locale(self, raw: str, line: int, problems: list[Problem]) -> str | None:
        """``ru-RU`` → ``ru_RU``; an unusable code is a warning and the default applies.

        Unusable is also a well-formed code Babel does not know (``RS``, ``rs``,
        ``srb``: country codes in a "language" column): the renderer would
        silently send the default language's letter. The warning says what the
        value probably meant (:func:`greeter.i18n.locale_hint`).
        """
        if not raw:
            return None
        if raw not in self._locales:
            from greeter.i18n import locale_hint, normalize_locale  # Babel: only for a locale column

            lang, _, region = raw.replace("-", "_").partition("_")
            value = lang.lower() + (f"_{region}" if region else "")
            if not _LOCALE.fullmatch(value):
                why = f"{quoted(raw)} is not a language code"
            elif not normalize_locale(value, ""):  # "rs", "srb": the renderer would use the default
                why = f"{quoted(raw)} is not a language code Babel knows"
            else:
                why = ""
            hint = locale_hint(raw) if why else ""
            self._locales[raw] = None if why else value
            self._locale_why[raw] = (
                f"{why} ({hint}); the default applies" if hint else f"{why}; the default applies"
            )
        locale = self._locales[raw]
        if locale is None:
            problems.append(self._problem(line, "locale", self._locale_why[raw], "warning"))
        return locale

    def _country(self, raw: str, line: int, problems: list[Problem]) -> str | None:
        """A code or a name → ISO code; unknown, or without a holiday calendar: a warning (the default)."""
        code, why = parse_country(raw)
        if why:
            message = f"{why}; the public holidays of defaults.country apply"
            problems.append(self._problem(line, "country", message, "warning"))
        return code

    def _zone_country(self, zone: str) -> str | None:
        """The country a row without one is in by its zone ``zone``, or None (``defaults.country``).

        None for a zone of several countries or of none (:func:`zone_country`), a country
        without a holiday calendar, and one of the default's country: a client in
        Europe/Moscow of a Russian company is where the default says, and a Berlin
        client of a Bavarian one (``DE-BY``) keeps Bavaria's days off rather than Germany's.
        """
        found = zone_country(zone)
        home = self.default_country or zone_country(self.default_zone) or ""
        if found is None or found == home.partition("-")[0] or not has_calendar(found):
            return None
        return found

    def _gender(self, text: str, line: int, problems: list[Problem]) -> Gender | None:
        if not text:
            return None
        # NFC: a "ž" typed on a Mac may arrive as "z" and a combining caron.
        gender = _GENDERS.get(unicodedata.normalize("NFC", text).casefold().rstrip("."))
        if gender is None:
            problems.append(
                self._problem(
                    line, "gender", f"{quoted(text)} is not м/ж (M/F); guessed from the name", "warning"
                )
            )
        return gender

    def _opted_out(self, text: str, line: int, problems: list[Problem]) -> tuple[str | None, str | None]:
        """The do-not-contact column's header if its cell ``text`` says yes, or neither yes nor no
        (then the cell too, quoted); else (None, None).

        A value that is neither (``может быть``, a typo) is a warning, and the
        contact is treated as opted out: when in doubt a letter is not sent —
        an unwanted one costs more than a missed one, and the warning says
        which cell to correct.
        """
        said = read_yes_no(text)
        if said is None:
            message = (
                f"{quoted(text)} is neither yes nor no; this contact is treated as do-not-contact:"
                " write да or нет (yes or no) in the CRM"
            )
            problems.append(self._warn(line, "do_not_contact", message))
        if said is False:
            return _IN
        return self.header[self.pos["do_not_contact"]], None if said else quoted(text)

    def _check_gender(
        self, gender: Gender, first: str, patronymic: str, last: str, line: int, problems: list[Problem]
    ) -> None:
        """Warn when the explicit gender contradicts the patronymic (the column still wins, by design).

        The warning quotes what the letter really says, made by the functions
        the letter is made with: the salutation and, with a first name, the
        dative name over the HTML letter, which the column's gender garbles
        worse («Марие Петровна Иванове») than the salutation.
        """
        said = patronymic_gender(patronymic)
        if said is Gender.UNKNOWN or said is gender:
            return
        if first:
            from greeter.addressing import decline, salutation  # pytrovich: only for such a row

            who = Contact(
                id="", email=None, first_name=first, patronymic=patronymic, last_name=last, gender=gender
            )
            heading = decline(who, "dative", parts="full")
            effect = f'the letter will say "{salutation(who)}" and its HTML version is headed "{heading}"'
        else:
            effect = f"the name will be declined as {gender.value}"
        message = (
            f"says {gender.value}, but the patronymic {patronymic!r} is {said.value}; {effect}; check the row"
        )
        problems.append(self._problem(line, "gender", message, "warning"))

    def _unread_date(self, col: _DateColumn, why: str, line: int, problems: list[Problem]) -> str:
        """The row's warning for a date of ``col`` that could not be read (``why``), added to ``problems``.

        Returned for the contact's ``bad_dates``: every unreadable date, whatever
        made it so, ends with the greetings it costs.
        """
        message = f"{why}; {col.greetings} are skipped for this contact"
        problems.append(Problem(self.source, col.column, message, line, kind="row", severity="warning"))
        return message

    def _date_problem(self, text: str) -> str:
        """Why a date text does not parse (cached: a bad export repeats its bad values)."""
        reason = self._date_problems.get(text)
        if reason is None:
            reason = _remember(self._date_problems, text, self.date_parser.problem(text))
        return reason

    def _name(self, raw: str) -> str:
        """A name cell with its spaces collapsed and its case made usual (cached: names repeat)."""
        name = self._names.get(raw)
        if name is None:
            name = _remember(self._names, raw, normalise_case(" ".join(raw.split())))
        return name

    def _tag_set(self, raw: str) -> frozenset[str]:
        """The tags of a ``,``/``;``-separated cell (frozensets: safe to share between contacts)."""
        if not raw:
            return _NO_TAGS
        tags = self._tags.get(raw)
        if tags is None:
            tags = _remember(
                self._tags, raw, frozenset(t.strip() for t in _TAG_SPLIT.split(raw) if t.strip())
            )
        return tags


def _order_to_check(reading: FullName, locale: str | None) -> str:
    """The warning for a two-word full name read as «Фамилия Имя» only because that is the documented order.

    Neither word is a known first name (:func:`greeter.given_names.is_first_name`)
    and the contact's language writes names first name first as often as not:
    "Tamm Kask" may well greet «Tere, Kask!» a Mr Tamm. Said once per row so
    that ``check`` shows how it was read; the fix is in the CRM.
    """
    last, first, _ = reading.parts
    return (
        f"{quoted(f'{last} {first}')} read as last name {last!r}, first name {first!r} (Фамилия Имя, the"
        f" order of Russian CRMs), but this contact's language is {locale}: check the order in the CRM"
    )


def _first_name_cell(first: str) -> tuple[str, str]:
    """A first-name cell without bracketed notes, or "" for initials; and the row's warning, or "".

    As in a full-name cell (:func:`greeter.names.read_full_name`): «Здравствуйте,
    И.!» and «Уважаемый Иван (бухгалтер)!» are worse than an impersonal letter
    or the name alone.
    """
    rest, bracketed = without_brackets(first)
    initials = initials_in(rest)
    if initials:
        return "", f"{quoted(first)} has initials ({initials!r}) instead of a first name"
    if bracketed:
        return " ".join(
            rest.split()
        ), f"{quoted(first)}: the text in brackets {bracketed!r} is not part of the name"
    return first, ""


def _whole_name(first: str) -> bool:
    """Whether a first-name cell holds a whole name: three words or more, or a patronymic after the first.

    A double first name ("Анна Мария") is two words without a patronymic, and
    stays a first name; words that are not all letters are data of another kind.
    """
    words = first.split()
    if not all(w.replace("-", "").isalpha() for w in words):  # "{{ 7*7 }}" is data, not a name
        return False
    return len(words) > 2 or any(patronymic_gender(w) is not Gender.UNKNOWN for w in words[1:])


def _greetings(name: str, occasions: Mapping[str, Sequence[str]] | None) -> str:
    """The greetings a bad value in date field ``name`` costs, named by their occasions.

    A field no occasion uses costs nothing yet, but the value is still wrong
    (an occasion added later would skip it), so it is said that way.
    """
    if occasions is None:
        return f"{name} greetings"
    names = occasions.get(name, ())
    if not names:
        return "greetings on this date (no occasion uses it yet)"
    return (" and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]) + " greetings"


#: A date text not parsed yet (its cached parse may be None).
_UNREAD = date.min

#: Per-parser caches stop growing here: a file of unique values must not hold them all.
_CACHE_LIMIT = 1 << 17

_K = TypeVar("_K")
_V = TypeVar("_V")


#: Where UTF-8 text read as Latin-1 is to be read right, by ``contacts.source``.
_MOJIBAKE_FIX = {
    "sql": "the column holds UTF-8 bytes under a latin1 character set; read them as UTF-8 in"
    " contacts.query — CONVERT(BINARY CONVERT(col USING latin1) USING utf8mb4) AS col, or"
    " CAST(col AS BINARY) AS col — or convert the column in the CRM",
    "csv": "the file is UTF-8: set contacts.encoding to utf-8 (or auto), or fix the export that wrote it",
    "xlsx": "the workbook holds it so: fix the export that wrote it, or the cell",
}


def _mojibake(text: str) -> str | None:
    """The text ``text`` was before its UTF-8 bytes were read as cp1252 or Latin-1, or None if it was not.

    Only a text all of whose characters are bytes in those encodings, whose
    bytes are valid UTF-8, and which then holds a letter beyond ASCII
    (Cyrillic, Greek, ``ü``…) — a real name does not pass all three.
    """
    if _MOJIBAKE_PAIR.search(text) is None:
        return None
    try:
        meant = text.translate(_AS_LATIN1).encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    if meant.isprintable() and any(c.isalpha() and not c.isascii() for c in meant):
        return meant
    return None


def _has_digit(text: str) -> bool:
    """Whether a time-zone cell holds a digit: an offset ("UTC+3", "GMT+03:00", "МСК+7")."""
    return any(ch.isdigit() for ch in text)


def _remember(cache: dict[_K, _V], key: _K, value: _V) -> _V:
    """Store ``value`` under ``key`` while ``cache`` is below :data:`_CACHE_LIMIT`; return it."""
    if len(cache) < _CACHE_LIMIT:
        cache[key] = value
    return value


#: Each distinct zone text of the exports read: the zone its contacts get (None: the fallback), its
#: warning ("" for a zone zoneinfo knows) and, for an unknown one, the suggestion. A million rows
#: name a handful of zones, so each is read, and any suggestion worked out, once.
_ZONES: dict[str, tuple[str | None, str, str]] = {}


def _zone_reading(name: str) -> tuple[str | None, str, str]:
    """The zone a time-zone cell gives its contact, the warning about the cell ("" if none), the hint.

    A zone zoneinfo knows is taken as written. A cell that means one zone
    unambiguously (``Владивосток``, ``MSK``, ``UTC+3``: :func:`greeter.timezones.zone_meant`,
    the config's own reading) is taken as that zone, with a warning saying
    how it was read and what to write: falling back to ``defaults.timezone``
    greeted a client in Vladivostok at midnight. Anything else gets None
    (the caller's fallback, which its warning names after this one's "unknown
    time zone …") and the suggestion the config would get.
    """
    known = _ZONES.get(name)
    if known is not None:
        return known
    if is_zone(name):
        return _remember(_ZONES, name, (name, "", ""))
    meant = zone_meant(name)
    if meant is None:
        unknown = f"unknown time zone {quoted(name)}: letters to this contact are timed in"
        return _remember(_ZONES, name, (None, unknown, zone_hint(name)))
    zone, note = meant
    said = f"{quoted(name)} read as {zone}" + (f" ({note})" if note else "")
    if zone.startswith("Etc/"):  # a bare offset: right today, but it follows no place's clock changes
        said += f"; write the client's place as Area/City (or {zone}) in the CRM"
    else:
        said += f"; write {zone} in the CRM"
    return _remember(_ZONES, name, (zone, said, ""))


def _fallback_zone(
    unknown: str, hint: str, country: str | None, zone: str | None, default: str | None
) -> str:
    """The warning for an unknown zone: which zone its letters are timed in instead, and the hint."""
    if zone is not None:
        used = f"{zone}, the zone of the row's country {country}"
    else:
        used = f"{default} (defaults.timezone)" if default else "defaults.timezone"
    return f"{unknown} {used}; {hint}"
