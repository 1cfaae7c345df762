"""``greeter preview --format table``: the plan and its drafts as a table on the terminal.

Kept apart from :mod:`greeter.preview` (which plans, and writes the JSON) so each module stays
small; the table and the JSON share the order rows stand in (:func:`draft_order`).
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from greeter.console import escaped, plain, show_table, table_box, table_console
from greeter.journal_store import JournalKey
from greeter.plan_types import Draft
from greeter.review import OUTDATED_NOTE
from greeter.table_fit import Column, Measure, fit, fit_note
from greeter.zone_label import local_time, zone_city

if TYPE_CHECKING:
    from rich.console import Console


def _held_status(fate: str, tail: str) -> str:
    """The table's status of a letter the quota holds (``later`` or ``expires``; ``tail``: the
    approval's words after it): in the skip's colour, as it does not go that day."""
    return f"[yellow]held by quota ({fate})[/yellow]{tail}"


def _letter_key(letter: str) -> JournalKey:
    """A table row's letter key (the JSON text the row keeps) as the quota's verdicts are keyed."""
    contact, occasion, day = json.loads(letter)
    return (contact, occasion, date.fromisoformat(day))


def draft_order(draft: Draft) -> tuple[int, float, bool]:
    """Where a draft stands in the table and the JSON: its day (an ordinal), the moment its letter
    leaves, and whether it rode in that letter (after it).

    An occasion merged into a letter leaves with it (its send_at): after that
    letter's row, which names what it carries, never before it (the planner
    orders by occasion date). A skip with no moment stands at the end of its
    day, one with no date read at the very end.
    """
    item, hit = draft.item, draft.item.hit
    merged = item.status == "skip" and item.reason == "merged"
    if item.send_at is not None:
        return item.send_at.date().toordinal(), item.send_at.timestamp(), merged
    return (hit.date if hit.dated else date.max).toordinal(), float("inf"), merged


def _when(when: datetime | date | None, with_year: bool, city: bool = False) -> str:
    """The table's first column: the send time in the recipient's zone, else the occasion's day.

    ``city``: the zone's city too where its abbreviation is only an offset (``+11 Lord_Howe``:
    «+11» is Magadan's as well) — in ``--format text``, whose line has room; the table's cell
    is a day over a time and zone on a narrow terminal, which a third word would break (the
    JSON has the zone's whole name, ``timezone``).
    """
    if when is None:
        return "(no date)"
    day = "%d.%m.%Y" if with_year else "%d.%m"
    if isinstance(when, datetime):
        where = zone_city(when) if city else ""
        return local_time(when, f"%a {day} %H:%M") + (f" {where}" if where else "")
    return f"({when.strftime(day)})"


#: The table's columns: which hold words people grep for, never split, and which a narrow
#: terminal leaves out (:mod:`greeter.table_fit`). The send time is the recipient's — what a
#: reviewer checks — so it keeps its day over its time and zone (two lines), never a word a line.
#: The subject is what gives way last: where the terminal cannot hold its words whole beside who
#: is greeted (every word of the name: the salutation is checked against the patronymic), when,
#: for what and what happens (80 columns), it is left out rather than folded mid-word — the
#: gallery and ``--format json`` show it, as a wider terminal does.
TABLE_COLUMNS = (
    Column("send at (recipient's time)", "send at", whole=True, style="cyan", lines=2),
    Column("contact", whole_first=True, overflow="ellipsis", words=True),
    Column("occasion", whole=True, style="magenta"),
    Column("yrs", whole=True, drop=1),
    Column("subject", drop=2),
    Column("status", whole=True),
)


def print_table(
    stream: Iterable[Draft],
    start: date,
    days: int,
    titles: Mapping[str, str],
    held: Callable[[], Mapping[JournalKey, tuple[date, str]]] = dict,
    linear: bool = False,
) -> int:
    """A readable table; colours and a frame on a terminal, plain text without one when piped.

    ``linear`` (``--format text``): the same rows as lines of ``field: value``
    (:func:`_print_lines`), for a screen reader.

    ``held`` (asked once every draft is read, as :func:`_write_json` asks it): a letter the
    daily quota holds back says so in its status — ``held by quota (later)`` or ``(expires)``,
    what its JSON's ``quota_held`` says —, not ``send``: QA read "send (belated)" of a letter
    that expires unsent, the stderr note the only word of it. The summary counts them apart.

    The occasion column names each occasion by its config title (``titles``:
    :meth:`~greeter.config.Settings.occasion_titles`), as ``history`` and the
    gallery do: a reviewer reads «Годовщина компании + Годовщина сотрудничества»,
    not ``company_anniversary + first_deal_anniversary``. The JSON keeps the
    machine names (DESIGN.md §3), for scripts.

    Rows are in the order a reviewer reads a schedule, as the gallery orders
    its cards: by day, and within a day by the moment the letter leaves (the
    planner yields contact by contact). A skipped occasion stands at the end
    of its occasion's day, an occasion with no date read at the very end, one
    merged into a letter right after that letter. On a narrow terminal the
    columns are laid out by :func:`~greeter.table_fit.fit` (ids, occasions,
    reasons never split).

    Why the rows wait on disk, not in a list, and are printed as tables of
    :data:`~greeter.history_view.TABLE_CHUNK` rows, as ``history`` prints its
    own: one rich table of a month of 150,000 contacts' letters (a million
    lines) held every row, every cell and every line rendered at once (1.5 GB).
    Each row's cells are measured as it comes, so every table has the widths
    the whole range needs and the columns line up from the first to the last;
    a range of up to that many rows is one table, as it always was.
    """
    import sqlite3
    from contextlib import closing

    from greeter.history_people import People

    named = People(titles=titles)  # history's own naming: the title, else the name
    console = table_console()
    counts: Counter[str] = Counter()
    errors = 0
    measures = [Measure(column.lines) for column in TABLE_COLUMNS]
    # The first column measured both ways: whether its dates need their year is known at the end.
    with_years = Measure(TABLE_COLUMNS[0].lines)
    years_seen: set[int] = set()
    # "": SQLite's private temporary database, a file deleted on close; ORDER BY sorts on disk too.
    with closing(sqlite3.connect("")) as spill:
        spill.execute(
            "CREATE TABLE row (day INTEGER, at REAL, merged INTEGER, when_short TEXT, when_long TEXT,"
            " who TEXT, occasion TEXT, years TEXT, subject TEXT, status TEXT, letter TEXT, tail TEXT)"
        )
        for draft in stream:
            item, hit = draft.item, draft.item.hit
            # An occasion merged into a letter leaves with it (its send_at): after that letter's row,
            # which names what it carries, never before it (the planner orders by occasion date).
            order = draft_order(draft)
            merged = order[2]
            # A date the contacts file does not hold (None): no day of the range is its.
            when: datetime | date | None = item.send_at or (hit.date if hit.dated else None)
            carried = item.merged_with if item.status == "send" else ()
            occasion = " + ".join(named.title(o) for o in (hit.occasion, *carried))
            if merged and hit.dated and item.send_at is not None and hit.date != item.send_at.date():
                # Its row stands at the letter's time: the occasion's own day is said beside its name
                # (a company event of 16.12 carried by the New Year letter of 29.12 read as due on 29.12).
                occasion += f" ({hit.date:%d.%m})"
            letter, tail = None, ""
            if draft.error is not None:
                status, subject = "[red]render error[/red]", draft.error
                errors += 1
                counts["render_error"] += 1
            elif item.status == "sent":
                # send_at: when it left (the journal's); its subject as the journal kept it
                status = "[blue]sent[/blue]"
                subject = "; ".join(filter(None, (draft.extra.get("subject"), item.detail)))
                counts["sent"] += 1
            elif item.status == "send":
                approval = draft.extra.get("approval")
                if approval == "approved":  # under review: say it, not only what still waits
                    tail = " [green](approved)[/green]"
                elif approval is not None:
                    tail = f" [yellow]({approval.replace('_', ' ')})[/yellow]"
                    counts[approval] += 1
                status = "[green]send[/green]" + (" (belated)" if item.belated else "") + tail
                # its key: the quota's verdict is known once every row is read
                letter = json.dumps([hit.contact.id, hit.occasion, hit.date.isoformat()])
                subject = draft.rendered.subject if draft.rendered else ""
                counts["send"] += 1
            else:
                code = item.reason_code or item.reason  # baseline: as history says it, not "already sent"
                status = f"[yellow]skip: {code}[/yellow]"
                subject = item.detail
                counts[str(code)] += 1
            who = f"{hit.contact.id} {hit.contact.display_name}".strip()
            years = "" if hit.years is None else str(hit.years)
            short, long = _when(when, False), _when(when, True, city=linear)
            if when is not None:
                years_seen.add(when.year)
            with_years.add(long)
            # data (a contact's id and name, the rendered subject, a render error): plain text, never
            # markup; status is preview's own markup (its colours) around fixed words
            cells: tuple[Text | str, ...] = (
                short,
                plain(who),
                plain(occasion),
                years,
                plain(subject),
                Text.from_markup(status),
            )
            for measure, cell in zip(measures, cells, strict=True):
                measure.add(cell)
            spill.execute(
                "INSERT INTO row VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*order, short, long, who, occasion, years, subject, status, letter, tail),
            )
        fates = held()
        if fates:  # the held ones' words measured too: the column holds them
            for (tail,) in spill.execute("SELECT DISTINCT tail FROM row WHERE letter IS NOT NULL"):
                for fate in {fate for _, fate in fates.values()}:
                    measures[-1].add(Text.from_markup(_held_status(fate, tail)))
        # A range across New Year (or a letter leaving in December for a January occasion) shows the
        # year on every row: "Tue 29.12" alone reads as this year's December.
        with_year = len(years_seen) > 1
        if with_year:
            measures[0] = with_years
        rows = spill.execute(
            f"SELECT {'when_long' if with_year or linear else 'when_short'}, who, occasion, years, subject,"
            " status, letter, tail FROM row ORDER BY day, at, merged, rowid"  # rowid: the planner's order
        )
        shown = _as_held(rows, fates, counts)
        if linear:
            _print_lines(shown, f"greetings {start:%Y-%m-%d} + {days} days")
        else:
            _print_tables(console, shown, measures, f"greetings {start:%Y-%m-%d} + {days} days")
    summary = ", ".join(
        f"{k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: kv[0] != "send") if v or k != "send"
    )
    if linear:  # no rich: what is printed is exactly the words
        print(escaped(summary or "nothing planned in this range"))
        if counts["approval_outdated"]:
            print(f"approval_outdated: {OUTDATED_NOTE}")
        return errors
    console.print(summary or "nothing planned in this range")
    if counts["approval_outdated"]:
        console.print(f"approval_outdated: {OUTDATED_NOTE}")
    return errors


#: A row as :func:`_as_held` gives it: the send time, who, the occasion, the years, the subject
#: (data: plain strings) and the status (preview's own markup).
Row = tuple[str, str, str, str, str, str]


def _as_held(
    rows: Iterable[tuple[str, str, str, str, str, str, str | None, str]],
    fates: Mapping[JournalKey, tuple[date, str]],
    counts: Counter[str],
) -> Iterator[Row]:
    """The sorted rows, a letter the daily quota holds back with its status saying so (and counted
    so in ``counts``), as the table and the text print them."""
    for when_text, who, occasion, years, subject, status, letter, tail in rows:
        held_as = fates.get(_letter_key(letter)) if letter and fates else None
        if held_as is not None:
            status = _held_status(held_as[1], tail)
            counts["send"] -= 1
            counts[f"held by quota ({held_as[1]})"] += 1
        yield when_text, who, occasion, years, subject, status


def _print_tables(console: Console, rows: Iterator[Row], measures: list[Measure], title: str) -> None:
    """The rows as tables of :data:`~greeter.history_view.TABLE_CHUNK` rows laid out alike for
    ``console`` (:func:`~greeter.table_fit.fit`); a note on stderr naming any column a narrow
    terminal leaves out or cuts short, and where to see it."""
    from greeter.history_view import TABLE_CHUNK

    box = table_box(console)
    layout = fit(TABLE_COLUMNS, measures, console.width, boxed=box is not None)
    note = fit_note(TABLE_COLUMNS, measures, layout, console.width, "--format text or json")
    if note is not None:
        print(note, file=sys.stderr)
    heading: str | None = title
    while (chunk := list(itertools.islice(rows, TABLE_CHUNK))) or heading is not None:
        table = Table(title=heading, show_lines=False, expand=False, box=box)  # an empty range: its header
        for column, header, width in zip(layout.columns, layout.headers, layout.widths, strict=True):
            table.add_column(header, style=column.style, overflow=column.overflow, width=width)
        for when_text, who, occasion, years, subject, status in chunk:
            cells = (when_text, plain(who), plain(occasion), years, plain(subject), status)
            table.add_row(*layout.pick(cells))
        show_table(console, table)
        heading = None
        if not chunk:
            break


#: ``--format text``'s field names (the table's, "yrs" in full), in the order they are read: what
#: happens before the words of it — the subject of a letter, the reason of a skip, the error.
TEXT_FIELDS = ("send at (recipient's time)", "contact", "occasion", "years", "status")


def _print_lines(rows: Iterable[Row], title: str) -> None:
    """``--format text``: the title, then each row as one ``field: value`` line a field (an empty
    one left out), a blank line before each — no frame, no colour, no column to lose.

    Why: a screen reader reads a table line by line, the frame's characters aloud and each row's
    cells run together ("Tue 01.12 1008 Алексей Соколов День рождения 40…"), with no word of
    which column a value is in; a narrow terminal (or 200 % zoom) left columns out. Here every
    value follows its field's name, as ``--format json`` keeps it, whatever the width. The
    table's subject column holds a skip's reason and a render error: named so here.
    """
    print(title)
    for when_text, who, occasion, years, subject, markup in rows:
        status = Text.from_markup(markup).plain
        print()
        for name, value in zip(TEXT_FIELDS, (when_text, who, occasion, years, status), strict=True):
            if value:
                print(f"{name}: {escaped(value)}")
        if subject:
            words = "why" if status.startswith("skip") else "error" if status == "render error" else "subject"
            print(f"{words}: {escaped(subject)}")
    print()
