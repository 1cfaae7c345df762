"""One source row → a :class:`Contact` or located problems — pure, shared by every source.

The column positions are resolved once from the header, so the per-row work
is a few list look-ups and string checks: a million-row CRM export must load
at close to the speed of ``csv.reader`` itself. Errors reject the row (it
cannot be greeted safely); warnings keep the contact with the bad field
left out (a broken birthday still allows the New Year letter).

What a cell's text says on its own lives beside this module, so that it
holds the row's logic: :mod:`~greeter.sources.cell_text` (controls,
invisibles, mojibake), :mod:`~greeter.sources.name_cells`,
:mod:`~greeter.sources.zone_cells`, :mod:`~greeter.sources.date_columns`
(a date column's summary) and :mod:`~greeter.sources.row_shape` (a row that
does not fit the header). The parser's readings of a kind of cell, with their
caches, are its base classes: :mod:`~greeter.sources.row_names` (names and
gender), :mod:`~greeter.sources.row_dates` and :mod:`~greeter.sources.row_codes`
(language, country, do-not-contact, tags).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from operator import itemgetter
from types import MappingProxyType
from zoneinfo import ZoneInfo

from greeter.config_contacts import ContactsSource
from greeter.contacts import (
    ASCII_DOMAIN,
    ASCII_EMAIL,
    Contact,
    Gender,
    domain_typo,
    email_in_cell,
    invisible_chars,
    listed_addresses,
    smtputf8_only,
    with_titles,
)
from greeter.contacts import new_contact as _contact
from greeter.countries import parse_country
from greeter.country_zones import country_zone, zone_country
from greeter.errors import ContactsError, Problem
from greeter.name_case import turkic_case
from greeter.names import (
    FullName,
    first_and_patronymic,
    native_order,
)
from greeter.sources import cell_text, email_notes, garbled_names, zone_cells
from greeter.sources.caches import remember
from greeter.sources.cell_text import (
    NAME_FIELDS,
    swallowed,
)
from greeter.sources.columns import (
    cell_reader,
    configured_columns,
    describe_control,
    email_fields,
    header_problem,
)
from greeter.sources.date_columns import (
    DateColumn,
    UnreadCell,
    column_problems,
    greetings,
    order_problem,
)
from greeter.sources.dates import SAMPLES, DateParser, Order
from greeter.sources.email_cells import invalid_address, later_address, read_email_cell
from greeter.sources.name_cells import (
    address_form,
    first_name_cell,
    gender_key,
    gender_titles,
    order_to_check,
    other_script_note,
    whole_name,
)
from greeter.sources.quote import QUOTE_CHARS, quoted
from greeter.sources.row_codes import NO_TAGS, OPTED_IN, RowCodes
from greeter.sources.row_dates import RowDates
from greeter.sources.row_names import RowNames
from greeter.sources.row_shape import CutRow, long_row, short_row, undecoded_cell
from greeter.sources.seen import IdLog, SeenIndex
from greeter.sources.undecoded import undecoded_cells
from greeter.sources.zone_cells import (
    fallback_zone,
    has_digit,
    in_country,
    inferred_country,
    region_by_zone,
    zone_reading,
)
from greeter.timezones import is_zone

#: The patterns, tables and cache whose methods a row calls, bound here rather than imported by
#: name: CPython 3.11 compiles ``name.method(...)`` on a name an import statement bound as an
#: attribute load (a bound method object made per call), not LOAD_METHOD, and ``_MOJIBAKE_PAIR``
#: and ``_ZONES`` are asked on every row. Their reasons are where they are defined.
_CONTROL = cell_text.CONTROL
_PASTED_INVISIBLE = cell_text.PASTED_INVISIBLE
_MOJIBAKE_PAIR = cell_text.MOJIBAKE_PAIR
_LINE_BREAK = cell_text.LINE_BREAK
_LINE_BREAKS = cell_text.LINE_BREAKS
_SWALLOWED_ROW = cell_text.SWALLOWED_ROW
_ZONES = zone_cells.ZONES
_PLAIN_ADDRESS = ASCII_EMAIL.fullmatch
_PLAIN_DOMAIN = ASCII_DOMAIN.fullmatch

#: The first word of an export's totals line (see :meth:`RowParser.summary_row`).
_SUMMARY = re.compile(r"(?i)(итого|всего|total|totals|grand total)\b")
#: The (read-only) empty mapping most contacts have for bad dates and extra columns, shared.
_NO_TEXT: Mapping[str, str] = MappingProxyType({})
#: A date text not parsed yet (its cached parse may be None).
_UNREAD = date.min
__all__ = ["QUOTE_CHARS", "CutRow", "RowParser", "UnreadCell", "quoted"]

#: Fields whose text ends up in headers or addressing: control characters reject the row.
_STRICT = ("id", "email", "first_name", "patronymic", "last_name", "full_name", "company", "gender",
           "timezone", "locale", "country", "tier", "tags")  # fmt: skip
#: The longest a strict field's cell may be (tags aside: a client in ninety CRM segments has a long
#: list of short tags, and they go into no header). No name, company or id comes near it; a
#: longer one is a CRM note or a whole record pasted into the field, and 120,000 characters of
#: "name" made ``check`` spend seconds a row encoding a From: header nobody would accept.
LONGEST_CELL = 500


def _no_cells(cells: Mapping[str, str]) -> tuple[str, ...]:
    """No name cells: a source without a name column (:attr:`RowParser._name_cells`)."""
    return ()


class RowParser(RowNames, RowDates, RowCodes):
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
            DateColumn(name, index[column], column, greetings=greetings(name, occasions))
            for name, column in cfg.dates.items()
        ]
        used = set(self.pos.values()) | {d.index for d in self.dates}
        self.extra = [(h, i) for i, h in enumerate(clean) if i not in used and h]
        self.width = len(clean)
        self._csv = cfg.source == "csv"
        self._kind = cfg.source
        #: The row's mapped cells, stripped, by field name (one generated dict display: :func:`cell_reader`).
        self._cells = cell_reader(tuple(self.pos.items()))
        #: The e-mail fields in the order they are tried: ``email``, then a list's ``email.1``….
        self._emails = email_fields(cfg.columns.email_columns)
        #: Every e-mail column is strict, not only the first: any of them may be the address greeted.
        self._strict = tuple(name for name in _STRICT if name in self.pos) + self._emails[1:]
        self._name_fields = tuple(name for name in NAME_FIELDS if name in self.pos)
        #: The row's name cells, for the mojibake test (:func:`itemgetter` of one gives the cell itself,
        #: which ``"".join`` gives back whole; of none, no text).
        self._name_cells: Callable[[Mapping[str, str]], Iterable[str] | str] = (
            itemgetter(*self._name_fields) if self._name_fields else _no_cells
        )
        #: Per name field, the (line, text) of the cells that are UTF-8 read as Latin-1, and of its first
        #: non-ASCII cell that reads right: the column's note says whether the column or some rows are
        #: garbled (:func:`~greeter.sources.garbled_names.garbled_columns`); the advice for one differs
        #: from, and harms, the other.
        #: The fields without a right sample yet are tested per row: in a Cyrillic export, after the
        #: first row none is, and the test costs nothing more.
        self._garbled_cells: dict[str, list[tuple[int, str]]] = {}
        self._right: dict[str, tuple[int, str]] = {}
        self._unsampled = self._name_fields
        #: The name cells (raw) that held emoji or pictographs, and their warning (:meth:`_name` finds
        #: them once per distinct cell; :meth:`_pictograph_notes` says it on each of their rows).
        self._pictured: dict[str, str] = {}
        self._other_scripts: dict[tuple[str, str, bool], str] = {}  # (first name, locale, patronymic) → note
        #: Whether contacts.query converts through latin1: a name of '?'s is then most likely its doing.
        query = " ".join((cfg.query or "").upper().split()) if cfg.source == "sql" else ""
        self._latin1_query = "USING LATIN1" in query
        #: The advice for letters lost to '?' said so far, and its row: said once per file in full.
        self._lost_advised: dict[str, int] = {}
        #: The encoding a CSV file is read in (set by the source): in a Cyrillic code page a '?' ending a
        #: Latin word is a lost «ć», and the advice names the code page. None: not a file, or not known.
        self.encoding: str | None = None
        #: Whether the rows say names at all: without a name column every letter is impersonal by
        #: design, and a warning on each row would only be noise.
        self._named = "first_name" in self.pos or "full_name" in self.pos
        self._impersonal: dict[tuple[str | None, Gender | None, str, str], str] = {}
        #: ``contacts.gender_values``: what the CRM's own gender values mean (its N, its F), by
        #: :func:`gender_key`; read before greeter's words.
        self._gender_values = {gender_key(k): Gender(v) for k, v in cfg.gender_values.items()}
        self._locales: dict[str, str | None] = {}
        self._locale_why: dict[str, str] = {}
        # Exports repeat values: a million rows hold some 40,000 distinct date strings, a few
        # thousand names and a handful of tag lists. Reading each once makes them dict look-ups.
        self._dates: dict[str, date | None] = {}
        self._date_problems: dict[str, tuple[str, str]] = {}
        #: Date texts that are a "no date" placeholder (cached as None in ``_dates``), by its name.
        self._empty_dates: dict[str, str] = {}
        #: Date texts whose day and month may be in either order, or only one (:func:`day_month_order`):
        #: empty for a dotted or ISO export, whose rows then pay one truth test for it.
        self._orders: dict[str, Order] = {}
        self._tags: dict[str, frozenset[str]] = {}
        #: Each e-mail domain's provider it is a typo of (:func:`domain_typo`), or None.
        self._typos: dict[str, str | None] = {}
        #: Whether each domain is a plain address's (:data:`~greeter.contacts.ASCII_DOMAIN`).
        self._plain_domains: dict[str, bool] = {}
        self._names: dict[str, str] = {}
        self._turkic_names: dict[str, str] = {}  # cased by the Turkic rule: an az/tr contact's (turkic_case)
        self._full_names: dict[tuple[str, str | None], tuple[FullName, str]] = {}
        #: First-name cells that hold a whole name ("Петрова Анна Сергеевна"): how many of how many
        #: filled, and the first one's row and text, for one warning about the column.
        self._whole_names = 0
        self._first_names = 0
        self._whole_sample: tuple[int, str] | None = None
        #: First-name cells read as «Имя Отчество» (:func:`first_and_patronymic`): only when no
        #: patronymic column is mapped; how many, and the first one's row and text, for one note.
        self._split_patronymic = "patronymic" not in self.pos
        self._with_patronymic = 0
        self._patronymic_sample: tuple[int, str] | None = None
        #: The languages read so far whose names are cased by the Turkic rule (:func:`turkic_case`):
        #: the codes of the locale column (:meth:`_locale`) and :attr:`default_locale`; a set, so that
        #: a row asks it for the price of one look-up, not of a call.
        self._turkic_languages: set[str | None] = set()
        self._default_locale: str | None = None
        self._default_zone: str | None = None
        #: ``defaults.country`` (set by the source): a zone of its country infers no country for a row
        #: without one (:func:`inferred_country`). None: the country of ``defaults.timezone`` stands for it.
        self.default_country: str | None = None
        #: The countries the config names (:func:`greeter.config.config_countries`, set by the source):
        #: a region name in a row without a zone is read among theirs too.
        self.region_countries: tuple[str, ...] = ()
        self._zone_countries: dict[str, str | None] = {}
        #: Each (zone, country) read → the region the zone refines the country to (:func:`region_by_zone`).
        self._zone_regions: dict[tuple[str, str | None], str | None] = {}
        self.seen_ids = SeenIndex()
        #: Rows rejected for repeating an id: a query's JOIN that multiplies rows gets one hint for all.
        self.duplicate_ids = 0
        #: Each address seen, folded: the ordinal of its contact's id in :attr:`email_owners`.
        self.seen_emails = SeenIndex()
        self.email_owners = IdLog()

    @property
    def default_locale(self) -> str | None:
        """The language of a row without one (``defaults.locale``; set by the source): the order a
        full name is read in depends on it, and the case of a Latin name. None: Russian, as a parser
        built alone assumes."""
        return self._default_locale

    @default_locale.setter
    def default_locale(self, locale: str | None) -> None:
        self._default_locale = locale
        if turkic_case(locale):
            self._turkic_languages.add(locale)

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
        at = [self.pos[name] for name in self._emails if name in self.pos]
        email = any(row[i].strip() for i in at if i < len(row))
        if email or not _SUMMARY.match(cid):
            return None
        return self._problem(line, "id", f"{quoted(cid)} is a totals line, not a contact; skipped", "warning")

    def _problem(self, line: int, field: str, message: str, severity: str = "error") -> Problem:
        column = self.header[self.pos[field]] if field in self.pos else field
        return Problem(self.source, column, message, line, kind="row", severity=severity)

    def _warn(self, line: int, field: str, message: str) -> Problem:
        return self._problem(line, field, message, "warning")

    def _too_long(self, cells: Mapping[str, str], line: int) -> list[Problem]:
        """The row's strict cells longer than :data:`LONGEST_CELL`, each a problem that rejects the row."""
        return [
            self._problem(
                line,
                name,
                f"{len(cells[name]):,} characters, more than the {LONGEST_CELL} any such field may have"
                f" (a note or a whole record pasted into it?): {quoted(cells[name])}",
            )
            for name in self._strict
            if len(cells[name]) > LONGEST_CELL and name != "tags"  # many tags are still tags
        ]

    def parse(self, row: Sequence[str], line: int) -> tuple[Contact | None, list[Problem]]:
        """The contact (None if rejected) and the problems of this row."""
        problems: list[Problem] = []
        short: Problem | None = None
        if len(row) != self.width:  # one test for the usual row, as wide as the header
            if len(row) < self.width:
                short = short_row(row, line, self.header, self.width, self.source, self._csv)
                if short is not None and short.severity == "error":
                    return None, [short]
                row = [*row, *([""] * (self.width - len(row)))]
            elif self._csv and any(map(str.strip, row[self.width :])):
                return None, [long_row(row, line, self.header, self.width, self.source)]
        cells = self._cells(row)
        whole = "".join(row)
        # Only a row that long can hold a cell that long: one len() for every other row.
        if len(whole) > LONGEST_CELL and (too_long := self._too_long(cells, line)):
            return None, too_long
        # Only a row with a UTF-8 byte pair read as Latin-1 ("Ð˜") in its name cells pays for looking
        # closer (garbled looks at nothing else): searched for in them, not in the whole row.
        if _MOJIBAKE_PAIR.search("".join(self._name_cells(cells))) is not None and (
            garbled := garbled_names.garbled(cells, line, self._kind, self._garbled_cells, self._problem)
        ):
            return None, garbled
        # Likewise only a row with a '?' anywhere: a name of '?'s ("???? ????????") lost its letters.
        if "?" in whole and (
            lost := garbled_names.lost_names(
                cells,
                line,
                self._name_fields,
                self._kind,
                self.encoding,
                self._latin1_query,
                self._problem,
                self._lost_advised,
            )
        ):
            return None, lost
        if self._unsampled and not whole.isascii():  # str.isascii is a flag test
            self._unsampled = garbled_names.sample_right(cells, line, self._unsampled, self._right)
        # One test over the whole row (the common, clean case), then over the strict cells, which
        # are parts of it; locate only on a hit. Every character _CONTROL matches is
        # non-printable, so a printable text needs no regex.
        if not whole.isprintable():
            if undecoded := undecoded_cells(row):  # bytes in another encoding than the file's
                return None, [
                    undecoded_cell(row, i, line, self.header, self.width, self.source) for i in undecoded
                ]
            company = cells.get("company", "")
            if _LINE_BREAK.search(company) is not None and not swallowed(company, self.width):
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
            for name in NAME_FIELDS:
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
        # Recorded on this row if new (released again should the row still be rejected below).
        first_id = self.seen_ids.claim(cid, line)
        if first_id is not None:
            self.duplicate_ids += 1
            message = f"duplicate id {quoted(cid)} (first seen on row {first_id})"
            return None, [self._problem(line, "id", message)]
        # The first e-mail column with a cell (one look-up when only one is mapped); its messages name it.
        field = "email"
        others: tuple[str, ...] = ()  # the other addresses a cell listing several holds
        email: str | None = cells.get("email", "") or None
        if email is None and len(self._emails) > 1:
            field = next((name for name in self._emails if cells[name]), "email")
            email = cells[field] or None
        if email is None:
            problems.append(self._warn(line, "email", self._no_email(row)))
        else:
            checked: str | None
            listed: tuple[str, ...] | None
            # What read_email_cell says of a plain address, without four calls; a local part of ASCII
            # letters and digits is plain, so such an address is as plain as its domain (read once).
            local, at, domain = email.partition("@")  # a plain address has one "@": its domain is this
            if at and local.isascii() and local.isalnum():
                domains = self._plain_domains
                plain = (
                    domains[domain]
                    if domain in domains
                    else remember(domains, domain, _PLAIN_DOMAIN(domain) is not None)
                )
            else:
                plain = _PLAIN_ADDRESS(email) is not None
            if plain:
                checked, note, listed = email, "", None
            else:
                email, checked, note, listed = read_email_cell(email)
            if checked is None:  # the next column's valid address, if any (:func:`later_address`)
                message = invalid_address(email, note)
                later = later_address(cells, self._emails, field) if len(self._emails) > 1 else None
                if later is None:
                    self.seen_ids.release(cid)  # a later row with this id is no duplicate of a rejected one
                    return None, [self._problem(line, field, message)]
                invalid, (field, email, checked, note, listed, passed) = field, later
                column = self.header[self.pos[field]]
                for name, why in ((invalid, message), *passed):
                    problems.append(self._warn(line, name, email_notes.passed_over(why, email, column)))
            if listed is not None:  # "kuz@firm.ru, d.kuz@gmail.com": the others, which an opt-out may name
                others = listed
            if note:
                text = note if listed is not None else f"{quoted(email)} {note}"
                problems.append(self._problem(line, field, text, "warning"))
            if not plain and smtputf8_only(checked):  # a plain address is ASCII
                # No letter can reach it: loaded as a contact without an e-mail.
                problems.append(self._warn(line, field, email_notes.local_part_not_ascii(email)))
                email = None
            else:
                if not plain:  # a cell read_email_cell made an address of: the domain it has
                    domain = checked.rpartition("@")[2]
                # A few domains in a million rows: each is read once.
                typos = self._typos
                meant = typos[domain] if domain in typos else remember(typos, domain, domain_typo(domain))
                if meant is not None:
                    typo = email_notes.domain_typo_warning(email, checked, meant)
                    problems.append(self._warn(line, field, typo))
                folded = checked.casefold()
                owners = self.email_owners
                holder = self.seen_emails.claim(folded, owners.size)  # recorded if new, at the next ordinal
                if holder is None:
                    owners.add(cid)
                    email = checked
                else:
                    owner = self.email_owners.get(holder)
                    shared = email_notes.shared_mailbox(email, owner, self.seen_ids.get(owner))
                    problems.append(self._warn(line, field, shared))
                    email = None

        # Names, zones, codes and tags repeat: each is a look-up in a cache, and an empty cell
        # (no code to check, no warning to give) no call at all.
        # The language first: a full name's order depends on it ("Kovács János"), and a Latin name's
        # case («QASIMOVA»: Qasımova for an Azerbaijani); its warnings stay where they were in the row's list.
        locale_problems: list[Problem] | None = None  # a list only for a code not read before
        locale: str | None = None
        # A code read before without a warning is a look-up; the rest (new, or unusable) :meth:`_locale`.
        if (raw := cells.get("locale", "")) and (locale := self._locales.get(raw)) is None:
            locale_problems = []
            locale = self._locale(raw, line, locale_problems)
        language = locale or self._default_locale  # how a name of this contact is written
        names = self._turkic_names if language in self._turkic_languages else self._names
        first = names.get(raw := cells.get("first_name", "")) or self._name(raw, language)
        patronymic = names.get(raw := cells.get("patronymic", "")) or self._name(raw, language)
        last = names.get(raw := cells.get("last_name", "")) or self._name(raw, language)
        noted = False
        typed_form: Gender | None = None  # Herr/Frau/Mr/Mrs typed before the first name
        #: A row greeted without a first name: where its warning goes (the letter's opening is known
        #: once the row's language and gender are read), why and what to do.
        nameless: tuple[int, str, str] | None = None
        if "full_name" in cells:
            reading, note = self._full_name(cells["full_name"], language)
            last, first, patronymic = reading.parts
            if note:
                noted = True
                if first:
                    problems.append(self._problem(line, "full_name", note, "warning"))
                else:  # initials or one word: one warning, saying how the letter opens
                    nameless = (len(problems), note, "write the name in full in the CRM")
            if reading.unconfirmed and not native_order(language):
                problems.append(self._warn(line, "full_name", order_to_check(reading, language)))
        elif first:
            if " " in first and (formed := address_form(first)) is not None:
                typed_form, first = formed  # «Herr DI Franz»: the gender, where the gender column has none
            if "." in first or "(" in first or "[" in first:
                first, note = first_name_cell(first)
                if note and first:
                    problems.append(self._problem(line, "first_name", note, "warning"))
                elif note:
                    nameless = (len(problems), note, "write the first name in full in the CRM")
                    noted = True
            self._first_names += 1
            if " " in first:
                pair = first_and_patronymic(first) if self._split_patronymic else None
                if pair is not None:  # «Иван Петрович» beside a surname column: amoCRM's «Имя»
                    self._with_patronymic += 1
                    if self._patronymic_sample is None:
                        self._patronymic_sample = (line, first)
                    first, patronymic = pair
                elif whole_name(first):
                    self._whole_names += 1
                    if self._whole_sample is None:
                        self._whole_sample = (line, first)
        # «Ivans» with the locale ru: «Здравствуйте, Ivans!»; «გიორგი» too. With a patronymic a Latin
        # ФИО is one greeter reads as the Russian one (an Estonian CRM's «Anna Petrovna»: «Уважаемая Anna
        # Petrovna»).
        if locale is not None and first:
            key = (first, locale, bool(patronymic))
            other = self._other_scripts.get(key)
            if other is None:
                other = remember(self._other_scripts, key, other_script_note(first, locale, bool(patronymic)))
            if other:
                problems.append(
                    self._warn(line, "first_name" if "first_name" in self.pos else "full_name", other)
                )
        # A name cell that held emoji was read without them (:meth:`_name`, once per distinct cell).
        pictured = self._pictograph_notes(cells, line, problems) if self._pictured else ""
        if not first and self._named and not noted:
            nameless = (len(problems), pictured, "write the name in the CRM" if pictured else "")
        gender = self._gender(raw, line, problems) if (raw := cells.get("gender", "")) else typed_form
        if raw and (titles := gender_titles(raw)):
            last = with_titles(titles, first, last)  # «Frau Prof.»: gender and title; «Dr»: a title
        flag = cells.get("do_not_contact", "")
        opted_out, unread = self._opted_out(flag, line, problems) if flag else OPTED_IN
        if gender is not None and patronymic:
            self._check_gender(gender, first, patronymic, last, line, problems, locale or self.default_locale)
        # The country before the zone (an unreadable zone's warning names the fallback), its
        # warnings after, where they always were.
        country: str | None = None
        country_problems: list[Problem] | None = None  # a list only for a country with a warning
        if country_cell := cells.get("country", ""):
            country, why = parse_country(country_cell)  # lru-cached; only one with a warning calls _country
            if why:
                # A region's name ("Bayern", "La Rioja") is read within the country of the row's zone,
                # or with no zone cell the defaults' (greeter.countries.parse_country's within).
                within: tuple[str | None, ...]
                if z := cells.get("timezone", ""):
                    within = (zone_country((_ZONES.get(z) or zone_reading(z))[0]),)
                else:
                    home = self.default_country or zone_country(self.default_zone)
                    within = (home, *self.region_countries)
                country_problems = []
                country = self._country(country_cell, line, country_problems, within)
        tz: str | None = None
        if raw := cells.get("timezone", ""):
            tz, said, hint = _ZONES.get(raw) or zone_reading(raw)
            if said and (home := country or self.default_country) and has_digit(raw):
                tz, said = in_country(raw, home, tz) or (tz, said)  # UTC+6 in Kazakhstan: not Omsk
            if said:
                if tz is None:
                    said = fallback_zone(said, hint, country, country_zone(country), self.default_zone)
                problems.append(self._warn(line, "timezone", said))
        # The inverse of the zone from the country below: an empty country cell and a zone of one
        # country (Europe/Tallinn) is that country, for its days off and its holidays. Not for a cell
        # that could not be read: its warning says defaults.country's days off apply. Only where the
        # export has a country column: only then does the planner look far enough ahead for another
        # country's longer holidays (greeter.planner.lookahead_end). Not from an offset ("UTC+3",
        # "МСК+7"): it names a clock, which Russia's zone of it only stands for, not a country.
        from_zone = False
        if tz is not None and not country_cell and "country" in cells and not has_digit(cells["timezone"]):
            zones = self._zone_countries  # a handful of zones in a million rows
            country = (
                zones[tz]
                if tz in zones
                else remember(zones, tz, inferred_country(tz, self.default_country, self.default_zone))
            )
            from_zone = country is not None
        # The zone's region, where the country (the row's, the zone's or the default's) names none
        # and the zone is one region's: Pacific/Honolulu under US is US-HI, for Hawaii's days off.
        # Not for a country cell that could not be read, nor from an offset (as above).
        if (
            tz is not None
            and "country" in cells
            and (country is not None or not country_cell)
            and not has_digit(cells["timezone"])
        ):
            zone_key = (tz, country)
            regions = self._zone_regions
            region = (
                regions[zone_key]
                if zone_key in regions
                else remember(
                    regions, zone_key, region_by_zone(tz, country, self.default_country, self.default_zone)
                )
            )
            if region is not None:
                from_zone = from_zone or not country_cell
                country = region
        if locale_problems:
            problems += locale_problems
        if country_problems:
            problems += country_problems
        tags = (self._tags.get(raw) or self._tag_set(raw)) if (raw := cells.get("tags", "")) else NO_TAGS
        dates: dict[str, date] = {}
        bad: dict[str, str] = {}
        known = self._dates
        orders = self._orders
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
                parsed = remember(known, text, self._read_date(text))
            if orders and (order := orders.get(text)) is not None:
                col.saw_order(order, line, text)
            if parsed is None:
                if (empty := self._empty_dates.get(text)) is not None:  # 01.01.0001: an empty cell
                    col.values -= 1
                    col.empty[empty] += 1
                    continue
                col.failed += 1
                if len(col.samples) < SAMPLES and text not in col.samples:
                    col.samples.append(text)
                kind, reason = self._date_problem(text)
                col.saw_failure(kind, text)
                bad[col.name] = self._unread_date(col, f"{quoted(text)} {reason}", line, problems)
            else:
                dates[col.name] = parsed
        # A file whose every column is mapped builds no dict for its rows' (no) extra columns.
        extra = {h: row[i] for h, i in self.extra if i < len(row)} if self.extra else None
        # Positional, in Contact's field order: building a class instance with keyword
        # arguments packs them into a dict and out again, a tenth of a row's time.
        contact = _contact(
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
            others,  # other_emails
            self.default_locale,  # default_locale: the language the row falls back to
        )
        if nameless is not None:
            problems.insert(nameless[0], self._nameless(contact, *nameless[1:]))
        return contact, problems

    def _no_email(self, row: Sequence[str]) -> str:
        """The warning for a row without an e-mail: the mapped columns looked in, and one not mapped that
        holds an address (a Bitrix24 «Частный e-mail» when only «Рабочий e-mail» is mapped), if any.

        Only a row without an e-mail pays for looking at the other cells, and only
        a cell with an ``@`` for reading it as an address.
        """
        elsewhere = None
        for column, i in self.extra:
            cell = row[i].strip() if i < len(row) else ""
            if "@" in cell and (
                email_in_cell(cell)[0] is not None or any(a for _, a in listed_addresses(cell) or ())
            ):
                elsewhere = column
                break
        columns = [self.header[self.pos[name]] for name in self._emails]
        return email_notes.no_email(columns, elsewhere)

    def column_problems(self) -> list[Problem]:
        """One problem for each date column a real share of whose values could not be read
        (:func:`greeter.sources.date_columns.column_problems`: an error when most fail, a warning
        when a real share does), after one warning for a first-name column holding whole names
        (:meth:`_whole_name_problem`).

        The rows each got their warning; this says it is the column's format,
        not a few typos, once per file.
        """
        problems: list[Problem] = []
        whole = self._whole_name_problem()
        if whole is not None:
            problems.append(whole)
        if self._garbled_cells:
            columns = {name: self.header[self.pos[name]] for name in self._garbled_cells}
            problems += garbled_names.garbled_columns(
                self._garbled_cells, self._right, columns, self._kind, self.source
            )
        problems += column_problems(self.dates, self.date_parser, self.source)
        problems += filter(None, (order_problem(col, self.date_parser, self.source) for col in self.dates))
        return problems
