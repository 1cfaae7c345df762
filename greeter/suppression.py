"""``greeter suppress``: the do-not-contact list taken in from the command line or a CRM's export.

What is done with it in the journal — stored, taken off, looked up — is :mod:`greeter.suppression_edits`.

A list file is read exactly as the contacts are
(:func:`greeter.sources.csv_source.read_rows`: UTF-8 with or without BOM or
Windows-1251, told by the BOM and charset-normalizer; ``;``, ``,``, tab or
``|`` sniffed from the header line). The e-mail column is found by its header
(``Email``, ``E-mail``, ``Почта``, ``Электронная почта``, ``Адрес электронной
почты``… in any case, or the contacts' own ``columns.email``), and that header
row is searched for as the contacts' is (:func:`greeter.sources.header.scan`),
below a report's title; a file whose addresses come before any such row has
no header, and a one-column file is a plain list of addresses. Every address passes the contacts' rule
(:func:`greeter.contacts.valid_email`), read from its cell as a contact's is
(:func:`greeter.contacts.email_in_cell`: ``Антон <a@x.ru>`` is taken as
``a@x.ru`` with a warning, and a cell of two addresses puts both on the list,
with a warning) — a line that holds none is reported as ``file:row N: column: message`` and skipped, never
stored as an "address" the planner could not match. A ``Причина``/``Reason`` column, where filled in,
is the stored reason of its line, and a date column (``created_at`` as ``--list`` exports it, ``Дата``,
``Date``, ``Дата отписки``…) its date: the opt-out's date is the evidence a list keeps, so a list moved
to a new journal keeps it rather than becoming "since the import". greeter's own export (``--list
--format csv`` or ``-o FILE.csv``: its header names ``email``, ``reason``, ``created_at`` and
``contact_ids``) also gives back the person-level opt-outs each line's address binds
(:data:`BOUND`): without them a list moved to a restored or new journal greets a client who opted
out at the new address the CRM gives them. A line of that export with an empty ``email`` and a
``contact_ids`` cell is a person-level opt-out of its own (``suppress --contact``'s, or one whose
reason or date is not its address line's): its ids are bound with its reason, its date and the
address in :data:`FROM`, and no address is listed; that cell holds one id, read whole (an id may
hold ``;``). greeter's own JSON list (``--list -o FILE.json``) is read as that CSV
(:func:`own_json`); its table (``.txt``) is refused in one line. Two lines binding one contact id
keep the earliest opt-out, with a warning naming the lines (:meth:`Intake.merged`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, tzinfo
from itertools import chain
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from greeter.console import restored
from greeter.contacts import addresses_in, email_in_cell, email_key, valid_email
from greeter.errors import ContactsError, Problem
from greeter.sources.header import HeaderTest, Row, preamble_warning, scan

__all__ = [
    "BOUND",
    "COLUMNS",
    "FROM",
    "PERSONS_UNREAD",
    "Intake",
    "ListDates",
    "from_arguments",
    "from_file",
    "read_date",
]

#: The fields of ``greeter suppress --list --format json|csv``.
COLUMNS = ("email", "reason", "created_at")
#: The list's fourth field: the contact ids each address's opt-out binds (``;``-joined in CSV).
BOUND = "contact_ids"
#: The list's last field, filled in on a person-level opt-out's own row (its ``email`` empty: no
#: address is listed): the address that opt-out came from, empty for one made by contact id alone.
FROM = "opted_out_from"
#: What an opt-out by hand may miss when the contacts source cannot be read (:func:`greeter.erasure.holders`).
PERSONS_UNREAD = (
    "the opt-out binds only the contacts greeted at these addresses, not those whose e-mail cell lists"
    " them and were never greeted there; run suppress again once it can be read"
)
#: What happens to each address of a cell holding several (:func:`_read_cell`).
_EACH_IN = "each is put on the do-not-contact list"


def _name(header: str) -> str:
    """A header as compared: case-folded, ё as е, letters and digits only (``E-mail`` = ``email``)."""
    return "".join(ch for ch in header.casefold().replace("ё", "е") if ch.isalnum())


#: Headers of the e-mail column as CRMs export them (compared by :func:`_name`).
EMAIL_HEADERS = frozenset(
    _name(h)
    for h in (
        "Email", "E-mail", "Mail", "Email address", "E-mail address", "Почта", "Эл. почта",
        "Электронная почта", "Адрес электронной почты", "Адрес почты", "E-mail адрес", "Емейл", "Имейл",
    )
)  # fmt: skip
#: Failing an exact name, a header containing one of these (``Email клиента``, ``Рабочая почта``).
_EMAIL_PARTS = ("email", "почт")
#: Headers of a column whose text becomes the stored reason.
REASON_HEADERS = frozenset(
    _name(h) for h in ("Reason", "Причина", "Comment", "Комментарий", "Примечание", "Note", "Основание")
)

#: Headers of a column whose date becomes the stored ``created_at`` (when the address went on the list).
DATE_HEADERS = frozenset(
    _name(h)
    for h in (
        "created_at", "created_at_utc", "Date", "Дата", "Дата отписки", "Дата отказа", "Дата запрета",
        "Дата добавления", "Дата внесения", "Дата включения", "Unsubscribed", "Unsubscribed at",
        "Unsubscribe date", "Opt-out date", "Opted out", "Added", "Date added", "Since",
    )
)  # fmt: skip


@dataclass
class Intake:
    """What a command line and a file gave: addresses to store (by comparison key) and the rejected."""

    #: email_key → (the address, its reason, its date or None: the import's); the first mention wins.
    addresses: dict[str, tuple[str, str, datetime | None]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: contact id → (the address its opt-out came from, reason, date or None): greeter's own export's
    #: :data:`BOUND` column; the first mention wins.
    persons: dict[str, tuple[str, str, datetime | None]] = field(default_factory=dict)
    #: contact id → (bound by its own line?, the lines that bound it): duplicates are said (:meth:`merged`).
    bound_at: dict[str, tuple[bool, list[int]]] = field(default_factory=dict)

    def add(self, address: str, reason: str, since: datetime | None = None) -> None:
        self.addresses.setdefault(email_key(address), (address, reason, since))

    def bind(
        self,
        contact_id: str,
        address: str,
        reason: str,
        since: datetime | None,
        *,
        own: bool = False,
        row: int | None = None,
    ) -> None:
        """Bind ``contact_id`` (``row``: the line saying so); ``own``: from the opt-out's own line,
        which wins over an address line's ``contact_ids`` (that line's reason and date are the
        address's, not the person's).

        Two lines of one kind for one id (lists merged by hand) keep the earliest opt-out — the
        first time the person said no is the evidence — with the other's address when it has none;
        before, the last line won silently. :meth:`merged` says which lines were merged.
        """
        entry = (address, reason, since)
        held = self.bound_at.get(contact_id)
        if held is None or (own and not held[0]):
            self.persons[contact_id] = entry
            self.bound_at[contact_id] = (own, [row] if row is not None else [])
            return
        if own != held[0]:  # an address line's ids after the opt-out's own line: that one stays
            return
        if row is not None:
            held[1].append(row)
        kept = self.persons[contact_id]
        first, other = (entry, kept) if _earlier(since, kept[2]) else (kept, entry)
        self.persons[contact_id] = (first[0] or other[0], first[1], first[2])

    def merged(self, source: str) -> list[Problem]:
        """A warning for each contact id more than one line bound alike: which lines, what was kept."""
        said = []
        for cid, (own, rows) in self.bound_at.items():
            if len(rows) > 1:
                _, reason, since = self.persons[cid]
                when = "the import's time" if since is None else f"{since:%Y-%m-%d %H:%M}"
                lines = ", ".join(map(str, rows))
                kind = "rows" if own else "bindings"
                message = (
                    f"contact id {cid!r} has {len(rows)} opt-out {kind} (lines {lines}):"
                    f" merged into one, the earliest kept ({when}, {reason})"
                )
                said.append(Problem(source, BOUND, message, kind="column", severity="warning"))
        return said


def _earlier(one: datetime | None, other: datetime | None) -> bool:
    """Whether opt-out date ``one`` comes before ``other`` (pure); None (the import's time) is the latest."""
    return one is not None and (other is None or one < other)


@dataclass(frozen=True)
class ListDates:
    """How a list's date cells are read (:func:`read_date`): the contacts' ``date_formats``, and the
    zone a day written alone starts in (``defaults.timezone``)."""

    formats: Sequence[str]
    zone: tzinfo = UTC


def read_date(text: str, dates: ListDates) -> datetime | None:
    """A list's date cell as a moment: ISO 8601 (``--list``'s own export, with its offset), else a day
    in one of the contacts' ``date_formats`` (``01.12.2026``), with the time after it if there is one
    (``06.12.2026 17:11``, as Excel saves ``created_at`` again in a Russian locale: before, the time
    was dropped silently and the opt-out moved to 00:00).

    A time without an offset is taken as UTC (greeter's own export writes UTC). A day alone
    (``2026-03-05``, ``05.03.2026``: a CRM's "Дата отписки") is the start of that day in
    ``dates.zone``, the zone the bank's days are in — before, it was 00:00 UTC, 10:00 in
    Vladivostok, and a letter sent there on the morning of the opt-out's day looked sent before it.
    None when it is no date at all.
    """
    from greeter.sources.dates import DateParser, clock_after

    text = text.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        clock = clock_after(text)
        day: date | None = DateParser(dates.formats, implied=("%Y-%m-%d",)).parse(
            text if clock is None else text[: clock[0]]
        )
        if day is None:
            return None
        if clock is None:
            return datetime.combine(day, time(), tzinfo=dates.zone)
        moment = datetime.combine(day, clock[1])
    else:
        if _day_alone(text):
            return datetime.combine(moment.date(), time(), tzinfo=dates.zone)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _day_alone(text: str) -> bool:
    """Whether ISO 8601 ``text`` is a date without a time (``2026-03-05``), pure."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def from_arguments(
    emails: Sequence[str],
    intake: Intake,
    reason: str,
    *,
    refused: str = "not suppressed",
    each: str = _EACH_IN,
    no_at: str = "",
) -> None:
    """The addresses given as arguments; each invalid one is a problem naming its position and
    saying what happens to it (``refused``), a cell of several what happens to ``each``.

    ``no_at``: what to add to the refusal of an argument with no ``@`` at all, with ``{}`` for it
    — ``suppress 1006`` or ``suppress Смирнова`` meant a contact (``--contact``), not an address.
    """
    import shlex

    for number, raw in enumerate(emails, 1):
        found, problem = _read_cell(raw.strip(), f"argument {number}", "", None, refused, each)
        if problem is not None and no_at and "@" not in raw and problem.severity == "error" and raw.strip():
            problem = replace(problem, message=problem.message + no_at.format(shlex.quote(raw.strip())))
        if problem is not None:
            intake.problems.append(problem)
        for address in found:
            intake.add(address, reason)


def _read_cell(
    text: str, where: str, column: str, row: int | None, refused: str, each: str
) -> tuple[list[str], Problem | None]:
    """The addresses in an argument or a list's cell, as the contacts loader reads an e-mail cell.

    ``Антон <a@x.ru>`` (what a mail client copies) is taken with a warning
    saying so. A cell holding several addresses gives each of them, with a
    warning saying ``each`` (what happens to every one): a contact's cell
    with two is refused because greeter cannot choose which one the client
    reads, but a do-not-contact request names people not to write to, and
    dropping one of them would keep greeting someone who asked not to be.
    A cell with no address is refused with ``refused`` (what happens to it).
    """
    kind = "row" if row is not None else "config"
    if not text:
        what = "an empty address" if row is None else "no e-mail address"
        return [], Problem(where, column, f"{what}; {refused}", row, kind=kind)
    checked, note = email_in_cell(text)
    if checked is not None:
        warning = Problem(where, column, f"{text!r} {note}", row, kind=kind, severity="warning")
        return [checked], warning if note else None
    several = [a for a in map(valid_email, addresses_in(text)) if a is not None]
    if len(several) > 1:
        taken = ", ".join(map(repr, several))
        message = f"{text!r} holds {len(several)} addresses: {taken}; {each}"
        return several, Problem(where, column, message, row, kind=kind, severity="warning")
    message = f"{text!r} is not a valid e-mail address" + (f": {note}" if note else "") + f"; {refused}"
    return [], Problem(where, column, message, row, kind=kind)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where a list file keeps its addresses and reasons."""

    email: int
    reason: int | None
    #: The date column's index (``created_at``, ``Дата``…), or None.
    date: int | None
    #: The header row's cells, or None when the first row is already data.
    header: list[str] | None
    #: The :data:`BOUND` column's index in greeter's own export (:func:`_own_bound`), else None.
    bound: int | None = None
    #: The :data:`FROM` column's index in greeter's own export, else None.
    source: int | None = None

    def column(self, index: int) -> str:
        if self.header is not None and index < len(self.header) and self.header[index]:
            return self.header[index]
        return f"column {index + 1}"


def _email_column(cells: Sequence[str], configured: str) -> int | None:
    """The index of the cell of a header row that names the e-mail column, or None."""
    names = [_name(c) for c in cells]
    wanted = EMAIL_HEADERS | {_name(configured)}
    email = next((i for i, n in enumerate(names) if n in wanted), None)
    if email is None:
        email = next((i for i, n in enumerate(names) if n and any(p in n for p in _EMAIL_PARTS)), None)
    return email


def _header_test(configured: str) -> HeaderTest:
    """A list file's header row, as :func:`~greeter.sources.header.scan` recognises rows.

    0 for a row naming the e-mail column, and for a row that already holds an
    address (the file has no header: the search stops there); 1 for anything
    else — a report's title above the header.
    """

    def test(_number: int, cells: Sequence[str]) -> int:
        clean = [c.strip() for c in cells]
        if any("@" in c for c in clean):
            return 0
        return int(_email_column(clean, configured) is None)

    return test


def _layout(path: Path, first: Sequence[str], configured: str, row: int = 1) -> _Layout:
    """Read the first non-blank row: a header naming the e-mail column, or already an address."""
    cells = [c.strip() for c in first]
    if any("@" in c for c in cells):  # an address: the file has no header
        return _Layout(next(i for i, c in enumerate(cells) if "@" in c), None, None, None)
    email = _email_column(cells, configured)
    if email is None:
        if len(cells) == 1:  # one column and no header: a bad first address, reported as such
            return _Layout(0, None, None, None)
        raise _no_email_column(path, cells, row)
    names = [_name(c) for c in cells]
    _refuse_events(path, names)
    reason = next((i for i, n in enumerate(names) if n in REASON_HEADERS and i != email), None)
    when = next((i for i, n in enumerate(names) if n in DATE_HEADERS and i != email), None)
    bound = _own_bound(names)
    source = names.index(_name(FROM)) if bound is not None and _name(FROM) in names else None
    return _Layout(email, reason, when, cells, bound, source)


#: ``suppress --list --all``'s own fields that no list has: its file is a record, not a list.
_EVENT_FIELDS = frozenset(_name(n) for n in ("event", "channel"))


def _refuse_events(path: Path, names: Collection[str]) -> None:
    """Refuse (one line, exit 2) greeter's own opt-out events (``suppress --list --all``): read as
    a list, every address ever opted out — the lifted ones too — would go on the list again."""
    if set(names) >= _EVENT_FIELDS:
        raise ContactsError(
            f"{path}: this is greeter's record of opt-out events (suppress --list --all), lifted ones"
            " too, not a list; export the list in force with suppress --list -o FILE.csv and give that"
        )


def _own_bound(names: Sequence[str]) -> int | None:
    """The index of :data:`BOUND` in a header that is greeter's own export's (every field of
    ``--list --format csv``, in any order: a spreadsheet may have moved them), else None.

    Only there: a CRM's column of ids means its own ids, not the contacts an opt-out binds.
    """
    own = [_name(n) for n in (*COLUMNS, BOUND)]
    # ``-o FILE.csv`` names the date ``created_at_utc``, ``--format csv`` ``created_at``: either.
    labelled = {_name("created_at"), _name("created_at_utc")}
    present = all(n in names or (n in labelled and labelled & set(names)) for n in own)
    return names.index(own[-1]) if present else None


def _no_email_column(path: Path, cells: Sequence[str], row: int) -> ContactsError:
    shown = ", ".join(repr(c) for c in cells[:20]) + (", …" if len(cells) > 20 else "")
    where = "the header row" if row == 1 else f"the header row (row {row})"
    return ContactsError(
        f"{path}: no e-mail column: {where} has {shown}; name the column Email or "
        "Почта (or give one address per line)"
    )


def from_file(
    path: Path,
    intake: Intake,
    reason: str,
    *,
    configured: str = "email",
    date_formats: Sequence[str],
    timezone: str = "UTC",
    now: datetime | None = None,
) -> None:
    """Every address of a list file; each bad line is a located problem, the rest are kept.

    A line's reason is the text of its reason column where there is one,
    else ``reason``. An address or reason cell is :func:`~greeter.console.restored`: ``--list
    --format csv`` wrote ``'-x@example.com`` for ``-x@example.com`` (no formula for Excel), and
    the list moved with it must name the same person. ``configured`` is the contacts' ``columns.email``: the
    same CRM's header is recognised whatever it is. A report's title above
    the header is skipped with a warning in ``intake.problems``; blank lines
    are skipped, as the contacts loader skips them; a line with other cells
    but no address is a problem. A line's date column (:data:`DATE_HEADERS`,
    read by :func:`read_date` with the contacts' ``date_formats``, a day alone the start of that
    day in ``timezone``, ``defaults.timezone``) is its address's date; one that is no date, or
    after ``now``, is a warning and the import's time is stored instead. Raises
    :class:`ContactsError` (exit 2) for a file that cannot be read at all, or has no e-mail column.
    """
    from greeter.sources.csv_source import read_rows

    source = str(path)
    dates = ListDates(tuple(date_formats), ZoneInfo(timezone))
    records = own_json(path)
    if records is not None:
        _from_records(records, intake, reason, source, dates, now)
        return
    test = _header_test(configured)
    rows = read_rows(path, what="list", header=test)
    above, found = scan(rows, test)  # the contacts' header search, with the list's own test
    _refuse_own_text(path, [*above, *([found] if found is not None else [])])
    layout: _Layout | None = None
    data: Iterable[Row]
    if found is not None and not any("@" in c for c in found[1]):  # the header, maybe below a title
        number, cells = found
        layout = _layout(path, cells, configured, number)
        if above:
            found_by = "an e-mail column"
            intake.problems.append(preamble_warning(source, above, number, found_by=found_by, advice=None))
        data = rows
    else:  # no header: the addresses start on the first line, as in a plain list
        wide = next((row for row in above if sum(bool(c.strip()) for c in row[1]) > 1), None)
        if found is None and wide is not None:  # columns, but neither an e-mail column nor an address
            raise _no_email_column(path, [c.strip() for c in wide[1]], wide[0])
        data = chain(above, [found] if found is not None else [], rows)
    for number, cells in data:
        if not any(c.strip() for c in cells):
            continue
        if layout is None:
            layout = _layout(path, cells, configured, number)
            if layout.header is not None:
                continue
        text = restored(cells[layout.email].strip()) if layout.email < len(cells) else ""
        ids = None
        if layout.bound is not None and layout.bound < len(cells):
            ids = _contact_ids(cells[layout.bound], whole=not text)
        _take_line(cells, text, ids, layout, intake, reason, source, number, dates, now, restored)
    if layout is None:
        raise ContactsError(f"{path}: the file is empty (no addresses)")
    intake.problems.extend(intake.merged(source))


def _take_line(
    cells: Sequence[str],
    text: str,
    ids: Sequence[str] | None,
    layout: _Layout,
    intake: Intake,
    reason: str,
    source: str,
    number: int,
    dates: ListDates,
    now: datetime | None,
    unquote: Callable[[str], str],
) -> None:
    """One line of a list (``text``: its address cell; ``ids``: its :data:`BOUND` ids, None without
    that column): its addresses, or a person-level opt-out's own line; ``unquote`` reads a CSV
    cell as :func:`~greeter.console.restored`, a JSON value as it is."""
    if (
        not text
        and ids
        and _person_line(cells, ids, layout, intake, reason, source, number, dates, now, unquote)
    ):
        return
    column = layout.column(layout.email)
    addresses, problem = _read_cell(text, source, column, number, "the line is skipped", _EACH_IN)
    if problem is not None:
        intake.problems.append(problem)
    own = ""
    if layout.reason is not None and layout.reason < len(cells):
        own = " ".join(unquote(cells[layout.reason].strip()).split())
    since, warning = _line_date(cells, layout, source, number, dates, now)
    if warning is not None and addresses:
        intake.problems.append(warning)
    for address in addresses:
        intake.add(address, own or reason, since)
    if ids and len(addresses) == 1:
        for cid in ids:
            intake.bind(cid, addresses[0], own or reason, since, row=number)


def _person_line(
    cells: Sequence[str],
    ids: Sequence[str],
    layout: _Layout,
    intake: Intake,
    reason: str,
    source: str,
    row: int,
    dates: ListDates,
    now: datetime | None,
    unquote: Callable[[str], str],
) -> bool:
    """Bind a line of greeter's own export that lists no address but names contact ids — a
    person-level opt-out's own row (``suppress --contact``'s) — with its reason, date and
    :data:`FROM` address; False for any other line (an address line, or one with no address at all,
    reported as before)."""
    if layout.bound is None or not ids:
        return False
    own = ""
    if layout.reason is not None and layout.reason < len(cells):
        own = " ".join(unquote(cells[layout.reason].strip()).split())
    came = ""
    if layout.source is not None and layout.source < len(cells):
        came = email_key(unquote(cells[layout.source].strip()))
    since, warning = _line_date(cells, layout, source, row, dates, now)
    if warning is not None:
        intake.problems.append(warning)
    for cid in ids:
        intake.bind(cid, came, own or reason, since, own=True, row=row)
    return True


def _contact_ids(cell: str, *, whole: bool = False) -> list[str]:
    """The contact ids of an export's :data:`BOUND` cell, each as ``--list`` wrote it
    (:func:`~greeter.console.restored` takes off the ``'`` that kept ``-5`` from running as a formula).

    ``whole``: a person-level opt-out's own line (no address), which carries exactly one id — taken
    whole, as an id may hold a ``;`` (``suppress --contact 'x;y'`` came back as two ids, x and y).
    An address line's cell is ``;``-joined; ``--list`` gives an id holding ``;`` a line of its own
    (:func:`greeter.suppress_out.person_rows`), so that cell is never ambiguous.
    """
    text = restored(cell.strip())
    if whole:
        return [text.strip()] if text.strip() else []
    return [cid for cid in (part.strip() for part in text.split(";")) if cid]


#: Box-drawing characters of greeter's own table (``suppress --list -o FILE.txt`` written before
#: its tables lost their frame in a file, rich's borders).
_TABLE_BORDERS = frozenset("┏┓┗┛┃━┳┻╇┡┩│─┼┠┨╭╮╰╯")

#: The titles of ``suppress --list``'s tables, then the journal and the count
#: (:mod:`greeter.suppress_out`): a file's first line that starts with one is greeter's own table.
LIST_TITLE = "do-not-contact list in journal"
EVENTS_TITLE = "opt-out events in journal"


def _refuse_own_text(path: Path, head: Sequence[Row]) -> None:
    """Refuse (one line, exit 2) greeter's own table (``--list -o FILE.txt``) or its JSON read from a
    pipe (:func:`own_json` reads a JSON file): read as CSV, every line of them was a rejected
    "address" (``'[' is not a valid e-mail address``, 38 times)."""
    text = "".join(c for _, cells in head for c in cells).strip()
    # framed (an older greeter's file), or, with no frame (greeter.console.table_box), by its title
    if any(ch in _TABLE_BORDERS for ch in text) or text.startswith((f"{LIST_TITLE} ", f"{EVENTS_TITLE} ")):
        raise ContactsError(
            f"{path}: this is greeter's table (suppress --list as text), which is for reading, not importing;"
            " export the list with -o FILE.csv or -o FILE.json (or --format csv) and give that file"
        )
    if text.startswith(("[", "{")):
        raise ContactsError(
            f"{path}: JSON, read from a pipe: give greeter's JSON list (suppress --list -o FILE.json) as a"
            " file, or the list as CSV (--format csv)"
        )


def own_json(path: Path) -> list[dict[str, Any]] | None:
    """greeter's own JSON list (``suppress --list -o FILE.json`` or ``--format json``: an array of
    its records) as records, or None for a file that does not start with ``[`` or ``{``, or that
    is no JSON and not named ``.json`` (a CSV, read as such).

    A JSON file that is not that list is refused in one line (exit 2), as a workbook is.
    """
    import json

    if not path.is_file():
        return None
    with path.open("rb") as fh:
        head = fh.read(64).removeprefix(b"\xef\xbb\xbf").lstrip()
    if not head.startswith((b"[", b"{")):
        return None
    wanted = f"greeter's list (suppress --list --format json: an array of records with {', '.join(COLUMNS)})"
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        if path.suffix.lower() != ".json":  # a CSV whose first cell starts with "[": read as CSV
            return None
        raise ContactsError(
            f"{path}: not valid JSON ({exc}); give {wanted}, or save the list as CSV"
        ) from None
    if not isinstance(data, list) or not all(isinstance(r, dict) and "email" in r for r in data):
        raise ContactsError(f"{path}: JSON, but not {wanted}; save the list as CSV")
    for record in data[:1]:
        _refuse_events(path, [_name(str(k)) for k in record])
    if not data:
        raise ContactsError(f"{path}: the file is empty (no addresses)")
    return data


def _from_records(
    records: Sequence[Mapping[str, Any]],
    intake: Intake,
    reason: str,
    source: str,
    dates: ListDates,
    now: datetime | None,
) -> None:
    """Every record of greeter's JSON list, as the lines of its CSV (record N is "row N"), each
    value as it is (JSON keeps ``-x@example.com``, quoting none) and ``contact_ids`` a real list."""
    names = [*COLUMNS, BOUND, FROM]
    layout = _Layout(0, 1, 2, names, 3, 4)
    for number, record in enumerate(records, 1):
        cells = ["" if record.get(n) is None else str(record.get(n)) for n in names]
        raw = record.get(BOUND) or []
        ids = [str(cid).strip() for cid in (raw if isinstance(raw, list) else [raw]) if str(cid).strip()]
        cells[3] = ""
        _take_line(cells, cells[0].strip(), ids, layout, intake, reason, source, number, dates, now, str)
    intake.problems.extend(intake.merged(source))


def _line_date(
    cells: Sequence[str],
    layout: _Layout,
    source: str,
    row: int,
    dates: ListDates,
    now: datetime | None,
) -> tuple[datetime | None, Problem | None]:
    """The date of a list's line, or None (the import's time): none given, or one that cannot be right
    (then with a warning saying so)."""
    if layout.date is None or layout.date >= len(cells) or not cells[layout.date].strip():
        return None, None
    text = cells[layout.date].strip()
    column = layout.column(layout.date)
    since = read_date(text, dates)
    if since is None:
        formats = ", ".join(dates.formats)
        message = f"{text!r} is not a date (ISO 8601 or {formats}); stored with the import's time"
    elif now is not None and since > now:
        message = f"{text!r} is in the future; stored with the import's time"
    else:
        return since, None
    return None, Problem(source, column, message, row, kind="row", severity="warning")
