"""``greeter history``: the journal as a table, JSON or CSV — including what a crash left unsaid.

A sender that dies between claim and the server's reply leaves ``claimed``
rows; the next send or run records them as ``uncertain``. Until then the
journal says ``claimed``, but the greeting *is* uncertain, and an operator
looking with ``--state uncertain`` right after the crash must find it. So
:func:`read_history` shows such a row as ``uncertain`` with the reason
:data:`INTERRUPTED` — without writing anything: history must work on a
journal it may only read (and take no sender's lock), so it reports the
recovery rather than performing it (``greeter uncertain`` does perform it).

An operator's ``greeter uncertain dismiss`` leaves the row ``skipped`` with the
reason ``dismissed`` and the server's last reply — the lost connection that
made it uncertain — unchanged (a claim interrupted before any reply keeps its
recorded reason there instead). The table says the decision and when it was
made (:func:`why`); ``--state dismissed`` (:data:`DISMISSED`, no journal state
of its own) finds those rows.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, TextIO

from rich.box import Box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.padding import Padding
from rich.segment import Segment, Segments
from rich.style import Style
from rich.table import Table
from rich.text import Text

from greeter.cap_seen import CAP_FIELDS
from greeter.console import plain, print_records, show_table, table_box, table_console, unpadded
from greeter.history_people import FIELDS, People, address_forms, local_text
from greeter.journal_store import (
    DISMISSED,
    FORMER_INTERRUPTED_REASON,
    INTERRUPTED_REASON,
    MERGED_INTO,
    RESEND,
    JournalEntry,
    JournalKey,
    JournalStore,
    Tally,
    is_decision,
    is_dismissed,
    is_requeued,
    operator_of,
    skipped_code,
)
from greeter.journal_transitions import merged_carrier
from greeter.table_fit import Column, Layout, Measure, fit, fit_note
from greeter.zone_label import iso_seconds

if TYPE_CHECKING:
    from greeter.runtime import Inputs

#: The reason shown for a claim whose sender is gone (see the module's docstring).
INTERRUPTED = f"{INTERRUPTED_REASON}; the next send records it as uncertain"

#: The reason the journal records for such a claim once a sender finds it (then uncertain); a
#: dismissal keeps it as the row's ``last_reply`` (:meth:`~greeter.journal_transitions.Transitions.dismiss`).
INTERRUPTED_RECORDED = INTERRUPTED_REASON

#: An expired row's reason in words: the journal stores the bare word ``expired``, which JSON's
#: and CSV's ``reason`` (the sentence; ``reason_code`` is the word) showed unexplained.
EXPIRED_WORDS = "not sent before the end of its catch-up period (catch_up_days); never sent late"

#: JSON's and CSV's fields of the journal's own, before the names (:data:`~greeter.history_people.FIELDS`).
JOURNAL_FIELDS = (
    "contact_id", "occasion", "occasion_date", "state", "email", "attempts", "planned_at",
    "sent_at", "last_reply", "reason", "reason_code", "merged", "message_id", "updated_at",
    "current_contact_id",
)  # fmt: skip
#: Who approved a row's letter (``approve --by``, ``review: required``) and when (ISO, UTC as the
#: journal keeps it): the CSV's last columns, empty where nobody did; in JSON only on a row whose
#: letter was approved (:func:`with_approver`).
APPROVAL_FIELDS = ("approved_by", "approved_at")
#: Every field of JSON and CSV. ``subject`` (the letter's, decoded; null where the row has no
#: letter of its own or its letter went out before the journal kept subjects) came later than the
#: rest: it is the last, so that a script reading the CSV by position finds each of the others
#: where it always was. ``content_sha256`` after it, for the same reason: the SHA-256 (hex) of
#: the exact bytes greeter handed to the server or wrote to the outbox (the journal's
#: ``content_hash``, computed at the claim), null where the row has no letter of its own — what
#: an auditor checks a ``.eml`` or a received message against (docs/commands.md, history).
#: :data:`APPROVAL_FIELDS` after it, later still; last what the frequency cap saw of the row
#: (:data:`~greeter.cap_seen.CAP_FIELDS`: ``history --contact`` only, empty otherwise).
COLUMNS = (*JOURNAL_FIELDS, *FIELDS, "subject", "content_sha256", *APPROVAL_FIELDS, *CAP_FIELDS)


def reason_code(entry: JournalEntry) -> str | None:
    """A skipped or expired row's reason as preview's machine word (``merged``, ``frequency_cap``…).

    The journal keeps the reason in words ("merged into birthday",
    "frequency_cap: only 13 days from …"); a script filtering a client's
    history — which occasions rode along in another letter, which the cap
    refused — needs the word preview uses, not the sentence. None for the
    other states.
    """
    if entry.state == "expired":
        return "expired"
    if entry.state != "skipped" or not entry.reason:
        return None
    if merged_carrier(entry.reason) is not None:
        return "merged"
    return skipped_code(entry.reason)  # dismissed (what history --state dismissed finds), or the sender's


def as_found(entries: Iterable[JournalEntry], abandoned: set[JournalKey]) -> Iterator[JournalEntry]:
    """Each abandoned ``claimed`` entry as the ``uncertain`` one it is (pure, lazy); the others unchanged."""
    return (
        dataclasses.replace(e, state="uncertain", reason=INTERRUPTED)
        if e.state == "claimed" and e.key in abandoned
        else e
        for e in entries
    )


def counts_as_found(journal: JournalStore) -> dict[tuple[str, str, str], Tally]:
    """Greetings per (state, occasion, skip reason) as ``greeter history`` shows them, for ``/metrics``
    (:meth:`~greeter.journal_store.JournalStore.tallies`).

    A claim whose sender is gone (a dead daemon's, its lease run out) counts as
    ``uncertain`` at once, as history shows it, not as ``claimed`` until a
    sender's next run records it: an alert on uncertain greetings fires when
    the operator can already see them. The abandoned claims are read first,
    as :func:`read_history` does; a count never goes below zero if one is
    recorded in between. The uncertain ones' ``oldest`` then takes the claims'
    oldest too: an abandoned claim is the oldest claim as a rule (a live one is
    minutes old), and the query has no moment per row.
    """
    abandoned = journal.abandoned_claims()
    counts = dict(journal.tallies())
    for _, occasion, _ in abandoned:
        claimed = counts.get(("claimed", occasion, ""))
        if claimed is not None and claimed.greetings > 0:
            counts["claimed", occasion, ""] = dataclasses.replace(claimed, greetings=claimed.greetings - 1)
            was = counts.get(("uncertain", occasion, ""), Tally(0))
            oldest = min((t for t in (was.oldest, claimed.oldest) if t is not None), default=None)
            counts["uncertain", occasion, ""] = Tally(was.greetings + 1, oldest, was.newest_sent)
    return counts


def sent_between(
    first: date | None, last: date | None, zone: tzinfo
) -> tuple[datetime | None, datetime | None]:
    """``history --sent-since FIRST --sent-until LAST`` as moments (pure): from ``first``'s midnight
    in ``zone`` (inclusive) to the midnight after ``last`` (exclusive); None where a day is not given.

    Why moments, and why a zone: the journal keeps when a letter left (``sent_at``) in UTC, and
    an auditor's "sent in November" means November on the office's clock — a letter that left at
    00:30 on 1 December in Moscow (21:30 UTC on 30 November) is December's. The zone is the
    caller's (history passes ``defaults.timezone``). A midnight a time-zone change skips or
    repeats is read as the first moment of that day (``fold=0``). In UTC: two moments of one zone
    subtract as wall-clock times, which a day of 23 hours is not.
    """
    start = None if first is None else datetime.combine(first, time.min, tzinfo=zone).astimezone(UTC)
    end = None if last is None else datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return start, None if end is None else end.astimezone(UTC)


def _order(e: JournalEntry) -> tuple[date, bytes, bytes]:
    """The journals' history order (occasion date, then contact and occasion in byte order)."""
    return (e.occasion_date, e.contact_id.encode(), e.occasion.encode())


def read_history(
    journal: JournalStore, *, state: str | None = None, **filters: Any
) -> Iterator[JournalEntry]:
    """The journal's rows matching the filters, abandoned claims shown and filtered as ``uncertain``.

    The abandoned claims are read first: a sender starting afterwards makes
    new claims that are not among them (shown ``claimed``, as they are live),
    and one already recorded is no longer ``claimed`` when the rows are read.
    ``state`` :data:`DISMISSED`: the ``skipped`` rows an operator dismissed.
    ``email`` is also looked up in the form contacts are loaded in (:func:`address_forms`).

    Streamed from the journal (:meth:`~greeter.journal_store.JournalStore.iter_history`)
    as they are consumed: a whole journal is never in memory. Only an address
    with two forms (one person's few rows, merged) is gathered and sorted.
    """
    forms = address_forms(filters["email"]) if filters.get("email") else (None,)
    if len(forms) == 1:
        return _read(journal, state, {**filters, "email": forms[0]})
    found = {e.key: e for form in forms for e in _read(journal, state, {**filters, "email": form})}
    return iter(sorted(found.values(), key=_order))


def _read(journal: JournalStore, state: str | None, filters: dict[str, Any]) -> Iterator[JournalEntry]:
    """:func:`read_history` for one form of the address (the abandoned claims read now, the rows lazily)."""
    if state == DISMISSED:
        return (e for e in journal.iter_history(state="skipped", **filters) if is_dismissed(e.reason))
    abandoned = journal.abandoned_claims() if state in (None, "claimed", "uncertain") else set()
    if state == "uncertain" and abandoned:
        # The interrupted claims are few (a crashed sender's letters in flight); the uncertain
        # rows, merged in the journal's order, may be many.
        interrupted = [e for e in journal.history(state="claimed", **filters) if e.key in abandoned]
        found = journal.iter_history(state="uncertain", **filters)
        return heapq.merge(found, as_found(interrupted, abandoned), key=_order)
    entries = journal.iter_history(state=state, **filters)
    if state == "claimed":
        return (e for e in entries if e.key not in abandoned)
    return as_found(entries, abandoned)


@dataclass(frozen=True, slots=True)
class Census:
    """What one pass over the rows to show says before they are shown: how many, and whose."""

    count: int
    contact_ids: frozenset[str]
    #: Each row's contact id and address (its e-mail, "" for none), once each: a row whose id
    #: the contacts source no longer has is linked by its address to the contact that has it now.
    rows: frozenset[tuple[str, str]] = frozenset()


def census(entries: Iterable[JournalEntry]) -> Census:
    """Count ``entries`` and gather their contact ids and addresses, keeping no entry (a first
    pass over a stream).

    The names are looked up for these (:func:`~greeter.history_people.look_up`)
    before the first row is printed, without the rows kept meanwhile: one pair
    per client and address, however many letters.
    """
    count, rows = 0, set()
    for entry in entries:
        count += 1
        rows.add((entry.contact_id, entry.email or ""))
    return Census(count, frozenset(cid for cid, _ in rows), frozenset(rows))


@dataclass(frozen=True)
class Rereading:
    """Rows that are read afresh (from the journal) each time they are iterated, kept nowhere.

    What ``greeter history`` passes over: once for :func:`census`, once to
    print (a big table once more, for its columns' widths: :func:`print_history`).
    """

    read: Callable[[], Iterator[JournalEntry]]

    def __iter__(self) -> Iterator[JournalEntry]:
        return self.read()


def current_email(inputs: Inputs, contact_id: str) -> str | None:
    """The e-mail address the contacts source gives ``contact_id`` today; None if it cannot say.

    Read as every command reads contacts (:meth:`~greeter.runtime.Inputs.contact`:
    a second contact on a shared mailbox has no address here either), and no
    further than the contact's row. A source that cannot be read (a missing
    file, a database down) or has no such contact is no error for
    ``greeter history``: it shows the journal.
    """
    contact = inputs.contact(contact_id)
    return contact.email if contact is not None else None


def with_former_ids(
    journal: JournalStore,
    inputs: Inputs,
    contact_id: str,
    own: list[JournalEntry],
    *,
    state: str | None = None,
    address: str | None = None,
    **filters: Any,
) -> tuple[list[JournalEntry], str | None]:
    """``own`` (the rows of ``contact_id``) and those journaled to its current address under
    other ids — a CRM renumbered the client, and the planner counts them as this contact's
    (``by_email``) — in the journal's history order; and that address (None: unknown).
    ``address``: that address when the caller has it already (None: looked up in the contacts)."""
    address = address or current_email(inputs, contact_id)
    if not address:
        return own, None
    others = [
        e for e in read_history(journal, state=state, email=address, **filters) if e.contact_id != contact_id
    ]
    return (sorted(own + others, key=_order) if others else own), address


def entry_dict(entry: JournalEntry, asked: str | None = None, people: People | None = None) -> dict[str, Any]:
    """One journal row with ISO dates, for JSON and CSV.

    ``asked``: the ``--contact`` id; a row journaled under another id (found by
    that contact's current e-mail) carries it as ``current_contact_id``, as a
    row of an id the contacts no longer have carries the id of the contact
    that has its address now (:meth:`~greeter.history_people.People.current_id`).
    ``people``: the names, titles and zones of :data:`~greeter.history_people.FIELDS`
    (None: none looked up — no names, UTC).
    """
    people = people or People()
    current = people.current_id(entry, asked)
    out: dict[str, Any] = {}
    for name in JOURNAL_FIELDS:
        if name == "current_contact_id":
            out[name] = current
            continue
        value: Any
        if name == "reason_code":
            value = reason_code(entry)
        elif name == "reason":
            value = reason_words(entry)
        else:
            value = getattr(entry, name)
        if isinstance(value, date):  # a datetime too
            value = iso_seconds(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    out.update(people.fields(entry, when(entry), current))
    out["subject"] = entry.subject
    out["content_sha256"] = entry.content_hash
    approver = people.approvers.get(entry.key)
    out["approved_by"] = approver.by if approver else None
    out["approved_at"] = iso_seconds(approver.at) if approver else None
    out.update(people.cap.fields(entry) if people.cap is not None else dict.fromkeys(CAP_FIELDS))
    return out


def with_merged_with(record: dict[str, Any], entry: JournalEntry) -> dict[str, Any]:
    """``record`` with preview's ``merged_with`` after ``merged``: one name for one idea in every JSON.

    A script's ``.merged_with`` matched preview's entries and silently nothing in
    history's rows (``merged``). It says what preview's does: for a letter the
    occasions it carried (``merged``), for an occasion that rode in another
    letter the occasion carrying it (``merged into birthday``: ``["birthday"]``).
    JSON only: the CSV's columns stay where a script reading them by position finds them.
    """
    carrier = merged_carrier(entry.reason) if entry.state == "skipped" else None
    out: dict[str, Any] = {}
    for name, value in record.items():
        out[name] = value
        if name == "merged":
            out["merged_with"] = [carrier] if carrier is not None else list(value or ())
    return out


def with_approver(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` for JSON: ``approved_by`` and ``approved_at`` only on a row whose draft was
    approved (``approve --by``), as JSON always had them; the CSV has their columns on every row."""
    if record["approved_by"] is not None:
        return record
    return {name: value for name, value in record.items() if name not in APPROVAL_FIELDS}


def reason_words(entry: JournalEntry) -> str | None:
    """The row's reason as a sentence: the journal's own, but an expiry's bare word explained."""
    if entry.state == "expired" and entry.reason in (None, "expired"):
        return f"expired: {EXPIRED_WORDS}"
    if entry.state == "expired" and entry.reason and entry.reason.startswith("expired: "):
        return f"{entry.reason}; never sent late"  # the planner's words: which window it missed
    return entry.reason


def when(entry: JournalEntry) -> datetime:
    """The table's "when (UTC)": when the greeting came to its state.

    Sent: when the server accepted it; otherwise the row's last change — the
    last attempt of a ``retry``/``failed``/``uncertain`` greeting, the
    operator's decision, the expiry. The planned moment it showed before read
    as the time of a failure that came on a later attempt.
    """
    return entry.sent_at or entry.updated_at


#: The table's subject of a letter whose Subject the journal does not have: one sent by a greeter
#: older than the column (a row with no letter of its own — a skip, an expiry, an occasion that
#: rode in another's letter — shows none).
NO_SUBJECT = "—"


def subject_text(entry: JournalEntry) -> str:
    """The table's subject: the letter's, :data:`NO_SUBJECT` for a letter's unknown one, else ""."""
    if entry.subject:
        return entry.subject
    return NO_SUBJECT if entry.message_id else ""


def _utc(moment: datetime) -> str:
    """An operator's decision's moment as the table says it (UTC, to the minute)."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def why(entry: JournalEntry, title: Callable[[str], str] = str) -> str:
    """The table's "server said / why" for ``entry``: the server's last reply, else the reason.

    Except where that hides what happened since: a dismissed greeting kept the
    reply that made it uncertain ("connection lost … it may have been
    delivered"), which read as if it were still waiting for a decision; it
    says the operator's decision first, when it was recorded (the row's last
    change: nothing moves a ``skipped`` row again), then that reply. An
    occasion merged into another's letter names that occasion by ``title``
    (:meth:`~greeter.history_people.People.title`: «merged into Годовщина
    сотрудничества»), as the occasion column does — its machine name
    (``first_deal_anniversary``) was the one such word in the table.
    """
    carrier = merged_carrier(entry.reason) if entry.state == "skipped" and not entry.last_reply else None
    if carrier is not None:
        return f"{MERGED_INTO}{title(carrier)}"
    if entry.reason == INTERRUPTED:
        return entry.reason
    if entry.state == "expired":
        words = reason_words(entry) or ""
        return words + (f"; the server had said: {entry.last_reply}" if entry.last_reply else "")
    if is_requeued(entry):  # its reply alone read as a refusal still standing
        whom = operator_of(entry.reason) or "an operator"  # failed resend --by
        said = f"put back in line by {whom} at {entry.updated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        return said + (f"; the server had said: {entry.last_reply}" if entry.last_reply else "")
    if entry.state == "retry" and is_decision(entry.reason, RESEND):  # uncertain resend: due again
        said = f"resend decided by {operator_of(entry.reason) or 'an operator'} at {_utc(entry.updated_at)}"
        return said + (f"; the server had said: {entry.last_reply}" if entry.last_reply else "")
    if entry.state == "skipped" and is_dismissed(entry.reason):
        whom = operator_of(entry.reason) or "an operator"  # uncertain dismiss --by
        said = f"dismissed by {whom} at {entry.updated_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        if entry.last_reply == INTERRUPTED_RECORDED:  # no reply recorded: the journal's own words
            return f"{said}; {entry.last_reply}"
        if entry.last_reply == FORMER_INTERRUPTED_REASON:  # the same, in an older greeter's words
            return f"{said}; it had been {entry.last_reply}"
        return said + (f"; the server had said: {entry.last_reply}" if entry.last_reply else "")
    return entry.last_reply or entry.reason or ""


#: The table's columns: which hold words people grep for, never split (:mod:`greeter.table_fit`),
#: and which a narrow terminal leaves out first (the company, the attempts, the time, the server's
#: reply, the subject, the address). The subject — what the client read, which a manager looks
#: the history up for — outlasts the server's reply, free text that folds as the reply does, and
#: is left out where no row has one to show. The address goes after both: a manager looking up a
#: client's history tells its contacts (two people at one client, an address changed since) apart
#: by it, and the state already says what happened; an address too long to fit beside the rest
#: goes anyway, and the others are then shown again (:func:`~greeter.table_fit.fit`).
COLUMNS_SHOWN = (
    Column("contact", whole_first=True, overflow="ellipsis"),
    Column("company", drop=1, overflow="ellipsis"),
    Column("e-mail", whole=True, drop=6),
    Column("occasion", whole=True),
    Column("date", whole=True),
    Column("state", whole=True),
    Column("attempts", "tries", whole=True, drop=2),
    Column("when (client's time)", "when", whole=True, drop=3),
    Column("subject", drop=5, unless_empty=True),
    Column("approved by", drop=1, unless_empty=True),  # review: required only
    # --contact only: the gap and the window's count the frequency cap saw (greeter.cap_seen)
    Column("frequency cap", "cap", drop=2, unless_empty=True),
    Column("server said / why", "why", whole_first=True, drop=4),  # a reason code first: "invalid_contact: …"
)

#: A table of more rows than this is printed as tables of this many rows, each with the same
#: columns at the same widths: rich lays a table out as a whole — all its rows' cells in memory,
#: and more than linear time (57,000 rows took 87 s and 663 MB) — so one table per history
#: does not scale. A history of at most this many rows is one table, as it always was.
TABLE_CHUNK = 1000

_COLOUR = {"sent": "green", "failed": "red", "uncertain": "red", "retry": "yellow"}

#: A row's cells: data as :func:`~greeter.console.plain` text; greeter's own words (a date, a count,
#: a time) as strings, which rich reads as markup but hold none.
Cells = tuple[Text | str, ...]

#: A line of a table as rich's console writes it: segments, then a line end.
Line = list[Segment]


def table_cells(entry: JournalEntry, asked: str | None, people: People) -> Cells:
    """One row of the table (pure): every cell of data plain text, never rich markup.

    A row journaled under a former id is shown as the contact it belongs to now
    (:meth:`~greeter.history_people.People.current_id`), the journal's id after it, said as the
    journal's: ``3010 (journal: contact 2010)`` — "3010 (as contact 2010)" read as if 3010 were
    the journal's id and 2010 the client's now.
    """
    marked = people.current_id(entry, asked)
    who = f"{marked} (journal: contact {entry.contact_id})" if marked else entry.contact_id
    contact = people.contact(entry, marked)
    if contact is not None and contact.display_name:
        who = f"{who} {contact.display_name}"
    # Every cell is data (contacts, the journal, a server's reply): plain text, never rich markup.
    return (
        plain(who), plain(contact.company if contact else ""), plain(entry.email or ""),
        plain(people.occasions(entry)), entry.occasion_date.isoformat(),
        Text(entry.state, style=_COLOUR.get(entry.state, "")), str(entry.attempts),
        local_text(people.local(entry, when(entry), marked)), plain(subject_text(entry)),
        plain(approver_text(entry, people)), people.cap.text(entry) if people.cap is not None else "",
        plain(why(entry, people.title)),
    )  # fmt: skip


def approver_text(entry: JournalEntry, people: People) -> str:
    """The table's "approved by": who approved the row's letter and when, in UTC as the journal
    keeps it (``anna, 2027-04-14 08:00 UTC``); "" for a letter nobody approved."""
    approver = people.approvers.get(entry.key)
    return f"{approver.by}, {approver.at.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if approver else ""


def _table(rows: Iterable[Cells], title: str | None, layout: Layout, box: Box | None) -> Table:
    """A table of ``rows`` (the cells ``layout`` shows) with its columns, headers and widths, framed
    by ``box`` (None: none, :func:`~greeter.console.table_box`)."""
    table = Table(title=title, box=box)
    for column, header, width in zip(layout.columns, layout.headers, layout.widths, strict=True):
        table.add_column(header, overflow=column.overflow, width=width)
    for cells in rows:
        table.add_row(*cells)
    return table


def layout_for(console: Console, measures: Sequence[Measure]) -> Layout:
    """The history table's layout on ``console`` for cells that measure ``measures``."""
    return fit(COLUMNS_SHOWN, measures, console.width, boxed=table_box(console) is not None)


def _print_table(console: Console, rows: Sequence[Cells], title: str | None, layout: Layout) -> None:
    """Print ``_table(rows, title, layout)`` exactly as rich prints it, the rows' lines made here.

    Why: rich lays out every cell through its general machinery (a padding,
    a wrap, a crop and copies of each cell's text), which was nearly all of
    the 40 s a 60,000-row history took; a row whose cells fit their columns
    (every row, piped or on a wide terminal) is a few strings here. rich
    draws the title, the header and the borders (:func:`_frame`); a cell too
    wide for its column (a narrow terminal) is wrapped by rich as its column
    says. Where the frame is not what this expects (another rich), the table
    is printed by rich alone.
    """
    frame = _frame(console, title, layout)
    if frame is None:
        show_table(console, _table(rows, title, layout, table_box(console)))
        return
    head, bottom = frame
    grid = _Grid.of(console, layout)
    body = [
        segment
        for n, cells in enumerate(rows, 1)
        for segment in _row(grid, cells, grid.last if n == len(rows) else grid.middle)
    ]
    segments = [*head, *body, *bottom]
    console.print(Segments(segments if table_box(console) else unpadded(segments)))  # as show_table


def _laid_out(console: Console, table: Table) -> list[int]:
    """The columns' widths (padding included) rich gives ``table`` on ``console``.

    rich has no public call for them: this is what :meth:`Table.__rich_console__`
    computes first (tests/test_history_table.py holds the output to rich's own).
    """
    options = console.options
    return table._calculate_column_widths(
        console, options.update_width(options.max_width - table._extra_width)
    )


def _frame(console: Console, title: str | None, layout: Layout) -> tuple[Line, Line] | None:
    """rich's own title, top border, header and header rule (the first), and bottom border (the
    second) of a table laid out as ``layout``; None if rich lays it out otherwise (too wide)."""
    widths = [w + 2 for w in layout.widths]
    empty = _table((), title, layout, table_box(console))
    if _laid_out(console, empty) != widths:
        return None
    segments = list(console.render(empty, console.options))
    box = _box(console)
    if box is None:  # no frame: the title and the headers, no bottom border
        return segments, []
    if [s.text for s in segments[-2:]] != [box.get_bottom(widths), "\n"]:
        return None
    return segments[:-2], segments[-2:]


#: A row's left edge, column divider and right edge.
Edges = tuple[str, str, str]


@dataclass(frozen=True)
class _Grid:
    """What the rows of one printed table are drawn with."""

    console: Console
    #: Each column's cell options, as rich's table renders a cell of it.
    options: Sequence[ConsoleOptions]
    #: The columns' widths, their cells' padding (a space either side) included.
    widths: Sequence[int]
    #: The edges of a row, and of the last row of the table.
    middle: Edges
    last: Edges

    @classmethod
    def of(cls, console: Console, layout: Layout) -> _Grid:
        """The grid of :func:`_table` on ``console`` laid out as ``layout``."""
        box = _box(console)
        return cls(
            console,
            [
                console.options.update(
                    justify="left", no_wrap=False, overflow=column.overflow, height=None, highlight=False
                )
                for column in layout.columns
            ],
            [w + 2 for w in layout.widths],
            (box.mid_left, box.mid_vertical, box.mid_right) if box else ("", "", ""),
            (box.foot_left, box.foot_vertical, box.foot_right) if box else ("", "", ""),
        )


def _box(console: Console) -> Box | None:
    """:func:`_table`'s borders as ``console`` draws them (ASCII where it cannot show others); None:
    none (:func:`~greeter.console.table_box`: piped, ``TERM=dumb``)."""
    box = table_box(console)
    return box.substitute(console.options, safe=console.safe_box) if box else None


def _row(grid: _Grid, cells: Cells, edges: Edges) -> Line:
    """One row's line(s) between ``edges``, as rich's table draws them."""
    line = _one_line(grid, cells, edges)
    return line if line is not None else _folded(grid, cells, edges)


def _one_line(grid: _Grid, cells: Cells, edges: Edges) -> Line | None:
    """The row as one line, its unstyled runs joined into one segment; None if a cell needs folding.

    A cell's text is left-aligned and padded to its column, styled with its
    colour (the padding too, as rich does: ``sent   `` in green).
    """
    left, divider, right = edges
    line: Line = []
    text = left
    for n, (cell, width) in enumerate(zip(cells, grid.widths, strict=True)):
        words, style = (cell, None) if isinstance(cell, str) else (cell.plain, cell.style)
        room, length = width - 2, cell_len(words)
        if length > room or (isinstance(cell, Text) and cell.spans):
            return None
        padded = words + " " * (room - length)
        text += (divider if n else "") + " "
        if style:
            line += (Segment(text), Segment(padded, grid.console.get_style(style)))
            text = " "
        else:
            text += padded + " "
    line += (Segment(text + right), Segment.line())
    return line


def _folded(grid: _Grid, cells: Cells, edges: Edges) -> Line:
    """The row whose cell(s) rich folds over lines: each cell rendered by rich, topped as rich aligns."""
    left, divider, right = (Segment(edge) for edge in edges)
    shaped = [
        grid.console.render_lines(Padding(cell, (0, 1)), options.update_width(width), style=Style.null())
        for cell, width, options in zip(cells, grid.widths, grid.options, strict=True)
    ]
    height = max(len(lines) for lines in shaped)
    shaped = [
        Segment.set_shape(Segment.align_top(lines, width, height, Style.null()), width, height)
        for lines, width in zip(shaped, grid.widths, strict=True)
    ]
    out: Line = []
    for n in range(height):
        out.append(left)
        for column, lines in enumerate(shaped):
            out += ([divider] if column else []) + lines[n]
        out += (right, Segment.line())
    return out


def print_history(
    entries: Iterable[JournalEntry],
    fmt: str,
    asked: str | None = None,
    people: People | None = None,
    *,
    out: TextIO | None = None,
    delimiter: str = ",",
    journal: str | None = None,
) -> int:
    """Print the rows (to ``out``, else stdout) as they come; how many were printed.

    ``asked`` (the ``--contact`` id) marks those journaled under another id;
    ``people``: names, titles, the recipients' zones (None: none, UTC), and the
    contact a row of an id gone from the source is shown as (:attr:`~greeter.history_people.People.links`).
    ``delimiter``: CSV's field separator. ``journal``: the journal the rows are read from, as
    messages name it (:func:`~greeter.journal_project.journal_shown`: a SQLite path, a PostgreSQL
    URL without its password), in the table's title — ``journal data/journal.sqlite3: 3
    greeting(s)``: a host with a test config and the real one showed two alike tables.

    JSON and CSV are written row by row. A table of up to :data:`TABLE_CHUNK`
    rows is one table; a bigger one is printed as tables of that many rows,
    whose columns have the widths the whole history needs (found by a first
    pass over ``entries``, so the columns line up from the first table to the
    last) — ``entries`` is then iterated twice: a list, or :class:`Rereading`
    rows the journal gives again (a one-shot iterator is listed first).
    """
    people = people or People()
    if fmt in ("json", "csv"):
        shown = 0

        def records() -> Iterator[dict[str, Any]]:
            nonlocal shown
            for entry in entries:
                shown += 1
                record = entry_dict(entry, asked, people)
                if fmt != "json":
                    yield record
                    continue
                if people.cap is None:  # the cap is per client: no such fields in a listing of all
                    record = {name: value for name, value in record.items() if name not in CAP_FIELDS}
                yield with_approver(with_merged_with(record, entry))

        print_records(records(), COLUMNS, fmt, out=out, delimiter=delimiter)
        return shown
    if fmt == "text":
        return _print_lines(entries, asked, people, out if out is not None else sys.stdout, journal)
    if isinstance(entries, Iterator):
        entries = list(entries)  # read twice below
    console = table_console(out)
    measures = [Measure(column.lines) for column in COLUMNS_SHOWN]
    first: list[Cells] = []
    count = 0
    for entry in entries:
        cells = table_cells(entry, asked, people)
        for measure, cell in zip(measures, cells, strict=True):
            measure.add(cell)
        count += 1
        if count <= TABLE_CHUNK:
            first.append(cells)
        elif first:
            first = []  # more than one table: printed from the second pass
    if not count:  # an empty table says nothing: the command says it in words
        return 0
    title = f"journal {journal}: {count} greeting(s)" if journal else f"journal: {count} greeting(s)"
    # The layout of the whole history on this console (every table of a long one alike): fitted to
    # a narrow terminal, words people grep for whole, the free text narrowed (greeter.table_fit).
    layout = layout_for(console, measures)
    note = fit_note(COLUMNS_SHOWN, measures, layout, console.width, "--format text, json or csv")
    if note is not None:  # a column a narrow terminal leaves out or cuts short: said, and where it is
        print(note, file=sys.stderr)
    if count <= TABLE_CHUNK:  # one table, as a history always looked
        _print_table(console, [layout.pick(cells) for cells in first], title, layout)
        return count
    shown = 0
    rows = (layout.pick(table_cells(entry, asked, people)) for entry in entries)
    while chunk := list(itertools.islice(rows, TABLE_CHUNK)):
        _print_table(console, chunk, title if shown == 0 else None, layout)
        shown += len(chunk)
    return shown


def _print_lines(
    entries: Iterable[JournalEntry], asked: str | None, people: People, out: TextIO, journal: str | None
) -> int:
    """``--format text``: each row as the table's cells, one ``field: value`` line a field (the
    table's headers; an empty one left out), a blank line before each, the count last; how many.

    Why: a screen reader reads a table line by line, each row's cells run together with no word
    of which column a value is in, and a narrow terminal leaves columns out; here every value
    follows its field's name, at any width. Written row by row, as JSON and CSV are.
    """
    count = 0
    for entry in entries:
        if not count:
            out.write(f"journal {journal}\n" if journal else "journal\n")
        count += 1
        out.write("\n")
        for column, cell in zip(COLUMNS_SHOWN, table_cells(entry, asked, people), strict=True):
            value = cell if isinstance(cell, str) else cell.plain
            if value:
                out.write(f"{column.header}: {value}\n")
    if count:  # an empty journal says nothing: the command says it in words
        out.write(f"\n{count} greeting(s)\n")
    return count
