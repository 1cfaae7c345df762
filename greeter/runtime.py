"""The imperative shell's shared steps: load config, contacts, journal state, days off.

Commands differ only in what they do with the plan; getting the inputs for
it is the same everywhere, so it lives here once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Generator, Iterable, Iterator
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from greeter.config import Settings, config_countries
from greeter.config_contacts import ContactsSource
from greeter.config_loader import load_settings
from greeter.contacts import Contact, email_key, with_ascii_forms
from greeter.errors import ConfigError, ContactNotLoadedError, GreeterError, Problem, UnknownContactError
from greeter.journal_store import (
    BOUNCED,
    STATES,
    Approver,
    JournalKey,
    JournalStore,
    PersonOptOut,
    Suppression,
)
from greeter.plan_types import PastGreeting, PlanItem, Rendered
from greeter.planner import PlanWindow, history_reach, occasion_starts, plan, plan_reach, plan_window
from greeter.sources import FileVersion, LoadReport, Rejection, date_occasions, file_version, iter_contacts

if TYPE_CHECKING:
    from greeter.render import Renderer

#: What identifies one version of a contacts file: the source settings, path, and its version.
_FileKey = tuple[ContactsSource, Path, FileVersion]

#: The most contacts :attr:`Inputs.keep_contacts` keeps in memory: some 0.8 KB each (150,000 rows of
#: bench/gen_contacts.py's export took 115 MB), so at most ~160 MB beside a plan's own. A file with
#: more is streamed at every call, as without the option: a million contacts kept (~800 MB) would
#: be far over the memory a million-contact plan is allowed (300 MB peak).
KEEP_AT_MOST = 200_000


@dataclass(frozen=True)
class _ContactsSnapshot:
    """The contacts of one version of the source file, and what loading them reported."""

    key: _FileKey
    #: The SHA-256 of the file's bytes, taken before it was read (:func:`_content_digest`).
    digest: bytes
    contacts: tuple[Contact, ...]
    rows_read: int
    loaded: int
    problems: tuple[Problem, ...]
    rejections: tuple[Rejection, ...]
    notes: tuple[str, ...]


def _file_key(cfg: ContactsSource) -> _FileKey | None:
    """The version of a file source, or None when there is nothing to compare (SQL, no file)."""
    version = file_version(cfg)
    if version is None or cfg.path is None:
        return None  # loading will say what is wrong, every time
    return (cfg, Path(cfg.path), version)


def _content_digest(path: Path, count_lines: bool) -> tuple[bytes, int] | None:
    """The SHA-256 of the file's bytes and, when ``count_lines``, its line breaks (else 0); None: unreadable.

    The digest is what tells a kept version from an edit the file's (size, mtime, inode) miss:
    the same size written within the file system's mtime granularity (a few milliseconds), or
    an mtime put back (``touch -d``, a copy keeping times). Some 30 ms of CPU for a 28 MB export
    (150,000 rows), against the seconds reading it again costs. A CSV's line breaks bound its
    rows: one with more than :data:`KEEP_AT_MOST` is not read into memory only to be dropped.
    """
    digest = hashlib.sha256()
    lines = 0
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
                if count_lines:
                    lines += chunk.count(b"\n")
    except OSError:
        return None  # loading will say what is wrong
    return digest.digest(), lines


def _then(head: Iterable[Contact], rest: Iterator[Contact]) -> Generator[Contact]:
    """``head``'s contacts, then ``rest``'s (a generator: closing it closes ``rest``)."""
    yield from head
    yield from rest


@dataclass
class Inputs:
    """What a plan needs from the outside world, read once per run."""

    settings: Settings
    config_file: Path
    history: dict[str, list[PastGreeting]] = field(default_factory=dict)
    #: The same greetings by the address they went to (:func:`~greeter.contacts.email_key`).
    history_by_email: dict[str, list[PastGreeting]] = field(default_factory=dict)
    suppressed: set[str] = field(default_factory=set)
    #: Person-level opt-outs by contact id (:meth:`~greeter.journal_store.JournalStore.opted_out_contacts`).
    opted_out: dict[str, PersonOptOut] = field(default_factory=dict)
    #: The do-not-contact list's entries listed because mail to them bounced, by address: a skip
    #: says the address bounced, not that the client asked (:func:`~greeter.precheck.bounced_words`).
    bounced: dict[str, Suppression] = field(default_factory=dict)
    #: Since when each configured occasion exists (:func:`~greeter.planner.occasion_starts`).
    occasion_since: dict[str, datetime | None] = field(default_factory=dict)
    #: The journal had planned nothing before (new, or none yet): this is its first plan, whose
    #: catch-up period was greeter's to send in only from now (see :meth:`Summary.expired_line`).
    first_plan: bool = False
    #: Why a send would refuse the journal as put back from an older copy (:mod:`greeter.journal_mark`),
    #: read with its state for a command that only shows the plan (preview): None, it would not.
    journal_rewound: str | None = None
    #: ``review: required``: approved content hashes by journal key (None: no review).
    approvals: dict[JournalKey, str] | None = None
    #: ``review: required``: who approved each approved draft, and when (``approve --by``): shown beside
    #: a draft's state by preview's JSON and the gallery's letter page.
    approvers: dict[JournalKey, Approver] = field(default_factory=dict)
    #: Opt-in: :meth:`contacts` of a file source (CSV, XLSX…) reads the whole file once, keeps
    #: every contact and what loading them reported (counts, problems, rejections, notes), and
    #: serves later calls from memory — the report replayed — while the source settings, the
    #: file's (size, mtime, inode) and the SHA-256 of its bytes are unchanged; a changed file or
    #: setting is read again. A file that changed while it was read is not kept; an SQL source,
    #: a file that cannot be looked at, or one of more than :data:`KEEP_AT_MOST` contacts is
    #: streamed every time. Its cost: the first call (even :meth:`contact` of one id) reads the
    #: whole file, each later one hashes it, and the contacts stay in memory as long as these
    #: inputs do. Who sets it: one-shot commands that read the contacts twice, a ``--contact``
    #: NAME looked up in the whole file and then planned from (``preview``, ``test-send``,
    #: ``approve``, ``calendar``), the ten-year simulation's runs, and the daemon (``greeter
    #: run``) once its inputs are validated (:func:`~greeter.daemon_inputs.load_valid_inputs`):
    #: each run parsed an unchanged export again — 150,000 rows: 6.8 s of CPU a run, 1.9 s from
    #: memory (bench/callgrind_tick.py), 144 runs a day at the default cron and more in the send
    #: window — and now plans from memory until the export changes or a reload makes new inputs.
    keep_contacts: bool = False
    _snapshot: _ContactsSnapshot | None = field(default=None, init=False, repr=False, compare=False)
    #: The version (key, digest) of a file found to hold more than :data:`KEEP_AT_MOST` contacts:
    #: streamed while it is unchanged, not read into memory again only to be let go.
    _unkept: tuple[_FileKey, bytes] | None = field(default=None, init=False, repr=False, compare=False)
    _renderer: Renderer | None = field(default=None, init=False, repr=False, compare=False)

    def renderer(self) -> Renderer:
        """The renderer of these inputs, made (and its templates read) at the first call; then the same one.

        Every letter planned from one :class:`Inputs` is rendered from the
        templates as they were then (:class:`~greeter.template_snapshot.TemplateFiles`):
        the daemon asks when it loads and validates its config, so its runs
        send what was validated — an edit takes effect with the next successful
        reload, which makes new inputs — and keep the compiled templates.
        """
        if self._renderer is None:
            # Imported here: Jinja, Babel and the template machinery (~30 ms of CPU) are paid by
            # a run that renders, not by a send --once that finds nothing due (issue 5).
            from greeter.render import Renderer

            self._renderer = Renderer.of(self.settings)
        return self._renderer

    def render(self, item: PlanItem) -> Rendered:
        """:meth:`Renderer.render <greeter.render.Renderer.render>` of :meth:`renderer`: the renderer made
        at the first letter (a send that finds nothing due makes none)."""
        return self.renderer().render(item)

    def warm(self, items: Iterable[PlanItem]) -> list[tuple[PlanItem, Rendered]]:
        """:meth:`Renderer.warm <greeter.render.Renderer.warm>` of :meth:`renderer`, made then if not yet."""
        return self.renderer().warm(items)

    def contacts(self, report: LoadReport, only: str | None = None) -> Generator[Contact]:
        """Stream the contacts (optionally one id); problems accumulate in ``report``.

        With :attr:`keep_contacts`, a file source whose (path, mtime, size,
        inode), content (SHA-256) and contacts settings are unchanged since the
        last load is served from memory and its load problems are replayed into
        ``report``, so callers see the same contacts and the same report.
        """
        cfg = self.settings.contacts
        source = self._kept_contacts(cfg, report) if self.keep_contacts else None
        if source is None:
            source = iter_contacts(
                cfg,
                self.settings.defaults,
                report,
                date_occasions(self.settings.occasions),
                self.config_file,
                config_countries(self.settings),
            )
        found = False
        # Closed when the caller stops early (:meth:`contact`): an SQL source lets its connection go.
        with closing(source) if isinstance(source, Generator) else nullcontext():
            for contact in source:
                if only is None or contact.id == only:
                    found = True
                    yield contact
        if only is not None and not found:
            report.missing.append(only)
            report.problems.append(Problem(report.source, "", _not_found(only, report)))
            if not any(r.contact_id == only for r in report.rejections):
                raise UnknownContactError(str(report.problems[-1]))

    def require_contact(self, contact_id: str) -> None:
        """Refuse ``--contact ID`` before a command writes anything: no row has it (exit 2), or its
        row was rejected (exit 1, saying why); else return, having read up to its row only.

        For ``greeter approve``, which opens (and in a new project creates)
        the journal before it plans: an id in no row printed "approved 0
        draft(s)" beside the error and left a new journal behind. The rule is
        :meth:`contacts`' own, so approve and preview say the same.
        """
        report = self.new_report()
        stream = self.contacts(report, contact_id)
        try:
            next(stream, None)  # its row found: stop there; none: the stream says why at its end
        finally:
            stream.close()
        if report.missing:
            raise ContactNotLoadedError(str(report.problems[-1]))

    def contact(self, contact_id: str) -> Contact | None:
        """The contact with ``contact_id`` as a plan would see it, or None (no such row, or unreadable).

        For a look-up that wants this one contact, not the load's report
        (``greeter history --contact``): the rows after its row are not read,
        since no later row can change it — a later row with its id or its
        address is the one that loses. A source that cannot be read is None
        too: the caller shows what it has without the contact.
        """
        try:
            return self.contacts_by_id((contact_id,)).get(contact_id)
        except (GreeterError, OSError):
            return None

    def contacts_by_id(self, ids: Collection[str]) -> dict[str, Contact]:
        """The contacts with these ids as a plan would see them (an id with no row is left out).

        For a look-up of a few contacts (``greeter history``'s names): the
        rows after the last of them are not read, as for :meth:`contact`; no
        ids, no read at all. A source that cannot be read raises
        (:class:`~greeter.errors.GreeterError`, :class:`OSError`): the caller
        says why it goes without.
        """
        wanted = set(ids)
        found: dict[str, Contact] = {}
        if not wanted:
            return found
        stream = self.contacts(self.new_report())  # a generator: closed below
        try:
            for contact in stream:
                if contact.id in wanted and contact.id not in found:
                    found[contact.id] = contact
                    if len(found) == len(wanted):
                        break
        finally:
            stream.close()
        return found

    def _kept_contacts(self, cfg: ContactsSource, report: LoadReport) -> Iterator[Contact] | None:
        """The contacts from memory (loading them first if the file changed); None: stream instead.

        A fresh load fills ``report`` itself as it reads; the snapshot is its share of it.
        """
        key = _file_key(cfg)
        if key is None:
            return None
        found = _content_digest(key[1], cfg.source == "csv")
        if found is None:
            return None
        digest, lines = found
        if lines > KEEP_AT_MOST or self._unkept == (key, digest):  # a CSV's rows are at most its lines
            return None
        snapshot = self._snapshot
        if snapshot is None or snapshot.key != key or snapshot.digest != digest:
            self._snapshot = None
            counts = (len(report.problems), len(report.rejections), len(report.notes))
            before = (report.rows_read, report.loaded)
            uses = date_occasions(self.settings.occasions)
            named = config_countries(self.settings)
            stream = iter_contacts(cfg, self.settings.defaults, report, uses, self.config_file, named)
            contacts = tuple(islice(stream, KEEP_AT_MOST + 1))
            if len(contacts) > KEEP_AT_MOST:  # not a CSV: the rest streamed, and this version from now on
                self._unkept = (key, digest)
                return _then(contacts, stream)
            if report.changed is None and _file_key(cfg) == key:  # one version, read whole: kept
                self._snapshot = _ContactsSnapshot(
                    key,
                    digest,
                    contacts,
                    report.rows_read - before[0],
                    report.loaded - before[1],
                    tuple(report.problems[counts[0] :]),
                    tuple(report.rejections[counts[1] :]),
                    tuple(report.notes[counts[2] :]),
                )
            return iter(contacts)  # else rewritten while read: not kept, and a send plans nothing from it
        report.rows_read += snapshot.rows_read
        report.loaded += snapshot.loaded
        report.problems.extend(snapshot.problems)
        report.rejections.extend(snapshot.rejections)
        report.notes.extend(snapshot.notes)
        return iter(snapshot.contacts)

    def new_report(self) -> LoadReport:
        source = self.settings.contacts.path or self.settings.contacts.url or "contacts"
        return LoadReport(source=str(source))

    def window(self, *, now: datetime, start: date, days: int, look_ahead: bool = True) -> PlanWindow:
        """The plan window of ``days`` days from ``start`` (see :func:`~greeter.planner.plan_window`)."""
        return plan_window(
            self.settings,
            now=now,
            start=start,
            days=days,
            extra_days_off=self.extra_days_off(start, days),
            regional_days_off=self.regional_days_off(start, days),
            occasion_since=self.occasion_since,
            look_ahead=look_ahead,
            dated=self.occasion_dates(start, days),
        )

    def plan(self, contacts: Iterable[Contact], pw: PlanWindow) -> Iterator[PlanItem]:
        """:func:`~greeter.planner.plan` with what the journal said (history, suppressions)."""
        return plan(
            contacts,
            pw,
            self.history,
            self.suppressed,
            by_email=self.history_by_email,
            opted_out=self.opted_out,
            bounced=self.bounced,
        )

    def extra_days_off(self, start: date, days: int) -> set[date]:
        ics = self.settings.send_window.days_off_ics
        if ics is None:
            return set()
        from greeter.ics_days import days_off_from_ics  # icalendar: ~20 ms of import, only when used

        years = range(start.year - 1, start.year + days // 365 + 2)
        return days_off_from_ics(ics, years, self.settings.defaults.timezone)

    def regional_days_off(self, start: date, days: int) -> dict[str, frozenset[date]]:
        """Each region's days off read from its ``send_window.regional_days_off`` ``ics`` (the years
        :meth:`extra_days_off` reads); a region without a file is not listed (its ``days`` are the
        config's, which :func:`~greeter.calendar_rules.build_calendar` reads itself)."""
        found: dict[str, frozenset[date]] = {}
        years = range(start.year - 1, start.year + days // 365 + 2)
        for code, region in self.settings.send_window.regional_days_off.items():
            if region.ics is not None:
                from greeter.ics_days import read_days_off

                field = f"send_window.regional_days_off.{code}.ics"
                found[code] = read_days_off(region.ics, years, field, self.settings.defaults.timezone).days
        return found

    def calendar_errors(self, today: date) -> list[Problem]:
        """What is wrong with the calendar files the config names (``send_window.days_off_ics``, an
        occasion's ``ics``), read as a plan reads them; [] when they can be read.

        Asked before anything is opened or sent, like the secrets: a calendar with an event that
        ends before it starts made every daemon run fail while ``greeter run`` had started as if all
        were well (a unit manager saw a healthy service that sent nothing), and ``send --once``
        made the journal before it refused.
        """
        try:
            self.extra_days_off(today, 366)
            self.regional_days_off(today, 366)
            self.occasion_dates(today, 366)
        except ConfigError as exc:
            return list(exc.problems)
        return []

    def occasion_dates(self, start: date, days: int) -> dict[str, frozenset[date]]:
        """Each ``ics`` occasion's days, read from its calendar file (re-read when the file changes).

        The years around the range, as :meth:`extra_days_off` reads them: the
        plan looks back (catch-up, the cap) and ahead (a merge) of the range — and, for the cap's
        priority rule, up to ``window_days`` past it
        (:attr:`~greeter.planner.PlanWindow.cap_until`): one year more.
        """
        found: dict[str, frozenset[date]] = {}
        years = range(start.year - 1, start.year + days // 365 + 3)
        for index, occ in enumerate(self.settings.occasions):
            if occ.ics is not None:
                from greeter.ics_days import occasion_field, read_days_off

                zone = self.settings.defaults.timezone
                found[occ.name] = read_days_off(occ.ics, years, occasion_field(index), zone).first_days
        return found


def _not_found(only: str, report: LoadReport) -> str:
    """Why ``--contact ONLY`` found nothing: no row has the id, or its row was rejected (and why).

    Told from the report's :class:`~greeter.sources.Rejection` records, never
    from the wording of the messages.
    """
    rejected = next((r for r in report.rejections if r.contact_id == only), None)
    if rejected is None:
        return f"no contact has id {only!r} (--contact)"
    head = f"contact {only!r} (row {rejected.row}) was not loaded"
    if not rejected.errors:
        return head
    return f"{head}: " + "; ".join(f"{p.field}: {p.message}" for p in rejected.errors)


def journal_history(
    journal: JournalStore, since_day: date
) -> tuple[dict[str, list[PastGreeting]], dict[str, list[PastGreeting]]]:
    """Every journal row from ``since_day`` on, as plain planner input: by contact, and by address.

    A row an older greeter stored with an internationalised domain as typed (``olga@пример.рф``)
    is found under the punycode form contacts are loaded in now too (:func:`with_ascii_forms`), or
    a client the CRM renumbered since would be greeted again under the new id.
    """
    history: dict[str, list[PastGreeting]] = defaultdict(list)
    by_email: dict[str, list[PastGreeting]] = defaultdict(list)
    # Address as stored → the keys its rows are filed under: its email_key, and a non-ASCII key's
    # ASCII form too. Worked out once per address (a client's rows share one), not once per row.
    filed: dict[str, tuple[str, ...]] = {}
    for past in journal.greeted_dates(since_day, states=STATES):
        history[past.contact_id].append(past)
        if past.email:
            keys = filed.get(past.email)
            if keys is None:
                key = email_key(past.email)
                keys = filed[past.email] = (key,) if key.isascii() else tuple(with_ascii_forms({key}))
            for key in keys:
                by_email[key].append(past)
    return history, by_email


def read_journal_state(inputs: Inputs, journal: JournalStore, *, start: date, now: datetime) -> None:
    """Fill ``inputs`` with what the journal knows that matters to a plan starting at ``start``.

    History reaches back one cap window (plus catch-up) so the frequency cap
    sees earlier greetings, and half a year so that a yearly occasion greeted for
    another date of it (a corrected birthday) is not greeted again
    (:func:`~greeter.planner.history_reach`); the suppression list, since when each occasion
    exists and, under review, the approvals come along.
    """
    settings = inputs.settings
    names = [o.name for o in settings.occasions]
    known = journal.known_occasions()
    inputs.first_plan = not known
    inputs.occasion_since = occasion_starts(known, names, now, settings.catch_up_days)
    # From the first occasion day the plan simulates (it may look back before ``start``).
    today = now.astimezone(ZoneInfo(settings.defaults.timezone)).date()
    first = min(start, today - timedelta(days=plan_reach(settings)))
    lookback = history_reach(settings) + settings.catch_up_days + 2
    inputs.history, inputs.history_by_email = journal_history(journal, first - timedelta(days=lookback))
    listed = journal.suppression_list()  # one read: the addresses, and why (bounced) for the skip's words
    inputs.suppressed = with_ascii_forms({e.email for e in listed})  # as contacts' addresses now are
    inputs.opted_out = journal.opted_out_contacts()
    inputs.bounced = {e.email: e for e in listed if e.reason.startswith(BOUNCED)}
    if settings.review == "required":
        # A letter leaving in the range may be for an occasion as far back as a plan looks.
        since = start - timedelta(days=plan_reach(settings))
        approved = journal.approvals_since(since)  # one read of the approvals table for both
        inputs.approvals, inputs.approvers = approved.hashes, approved.approvers


def existing_journal(inputs: Inputs, now: datetime, *, adopt: bool = False) -> JournalStore | None:
    """The configured journal for reading, or None when it does not exist yet.

    Read-only commands (preview, calendar, a dry run) must not create a journal as a
    side effect, and read one they cannot write (a read-only mount) rather than refuse it;
    a lost one is refused as ``send`` refuses it (:func:`~greeter.journal.open_existing_journal`),
    and so is another project's (:func:`~greeter.own_journal.peek_own_journal`): planned from
    its rows, brand C's preview dropped C's letter as sent — brand A's to A's contact of that id.
    ``adopt`` (``send --once --adopt-journal --dry-run``): read as the journal to be taken over.
    """
    from greeter.own_journal import peek_own_journal

    return peek_own_journal(inputs.settings, inputs.config_file, now, adopt=adopt)


def load_planning_state(inputs: Inputs, *, now: datetime, start: date) -> None:
    """Read history, suppressions and approvals from the journal, when there is one."""
    journal = existing_journal(inputs, now)
    if journal is None:
        # Plan as the journal's first run will (occasions from catch_up_days back): planned as if
        # they had always existed, a preview carried a birthday of twelve days before into today's
        # letter as a belated wish, and the letter that left — the journal made — had none.
        inputs.first_plan = True
        names = [o.name for o in inputs.settings.occasions]
        inputs.occasion_since = occasion_starts({}, names, now, inputs.settings.catch_up_days)
        if inputs.settings.review == "required":
            inputs.approvals = {}  # no journal yet, so nothing is approved yet
        return
    from greeter.journal_mark import journal_rewound

    try:
        read_journal_state(inputs, journal, start=start, now=now)
        inputs.journal_rewound = journal_rewound(journal)
    finally:
        journal.close()


def load_inputs(config_file: Path, *, today: date, keep_contacts: bool = False) -> Inputs:
    """The validated settings; journal state is read separately (:func:`load_planning_state`).

    ``today``: see :func:`~greeter.config_loader.parse_settings`. ``keep_contacts``:
    see :attr:`Inputs.keep_contacts` (a ``--contact`` NAME's choice; the daemon's once validated).
    """
    settings = load_settings(config_file, today=today)
    return Inputs(settings=settings, config_file=config_file, keep_contacts=keep_contacts)
