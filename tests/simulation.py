"""Ten years of the daemon on an injected clock (issue "Prove it", part 2).

Shared by ``tests/test_simulation.py`` (the invariants, as assertions) and
``bench/simulate_years.py`` (the report). :func:`simulate` builds a project —
generated contacts (``bench/gen_contacts.py``: 29 February birthdays, company
and first-deal dates, four time zones from Kaliningrad to Vladivostok, VIP
and regular, some without e-mail, a few broken rows), ``config.example.yaml``
with a SQLite journal file and plain one-line templates — and drives the
daemon's own loop, :func:`greeter.send.plan_cycle` then
:func:`greeter.send.deliver_cycle` with a :class:`~greeter.testing.RecordingTransport`,
from ``first_day`` to ``last_day``:

* **When it runs.** The real daemon wakes every ten minutes and exactly when
  the next planned letter is due — hundreds of runs a day, too many to
  simulate. Here each working day has one run per time zone offset of the
  contacts, at the last second the send window is open there (17:29:59, or
  14:29:59 before a day off, with the sample config). The planner re-times a
  letter whose moment has passed to "now" while the recipient's window is
  open, so that run sends everything planned for the day in that zone — on
  its day, inside the window — like the daemon, only later in the day. A run
  is left out when the previous run's ``next_send`` says nothing is due by
  then (the daemon would sleep through it), but every day has at least one
  run; days off have one, at noon Moscow time (skips and expiries).
* **Downtime.** :class:`Downtime` days have no runs; the "process" restarts
  afterwards with fresh :class:`~greeter.runtime.Inputs`.
* **A config change.** On ``change_day`` the config file is rewritten (a new
  occasion, a tighter cap) and re-loaded, as SIGHUP does.
* **What is not the product's own code.** The journal's two whole-table reads
  are answered from an index that is checked against the real ones every
  quarter (:class:`IndexedJournal`), and the template renderer is reused
  across runs (:func:`reused_renderers`): both only make thousands of runs
  affordable. ``Inputs(keep_contacts=True)`` and the planner's pre-filter
  are the product's own.

:func:`check` then re-derives every invariant from the journal's rows alone
(plus the transport's Message-IDs), with its own working-day and send-window
rules, and :func:`report` summarises it.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import re
import shutil
import sqlite3
import statistics
import sys
import time as timer
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import holidays
from ruamel.yaml import YAML

from greeter.calendar_rules import WorkCalendar, build_calendar
from greeter.config import FrequencyCap, Settings
from greeter.config_window import SendWindow
from greeter.journal import Journal
from greeter.journal_schema import db_time
from greeter.journal_store import CAP_STATES, STATES, ClaimRequest, JournalKey, expired_why, skipped_why
from greeter.journal_transitions import merged_carrier
from greeter.plan_types import PastGreeting
from greeter.render import Renderer
from greeter.runtime import Inputs, load_inputs
from greeter.send import deliver_cycle, plan_cycle
from greeter.testing import RecordingTransport
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from gen_contacts import contact_rows, write_contacts  # noqa: E402

MSK = ZoneInfo("Europe/Moscow")
#: The contacts' zones: four UTC offsets, +2 (Kaliningrad) to +10 (Vladivostok), Moscow the most.
#: Each offset costs one run per working day (see the module docstring), hence not all eleven.
ZONES = (
    "Europe/Moscow", "Europe/Kaliningrad", "Europe/Moscow", "Asia/Yekaterinburg", "Europe/Moscow",
    "Asia/Vladivostok", "Europe/Moscow",
)  # fmt: skip
#: Occasion → template name in the plain templates written by :func:`build_project`.
TEMPLATES = ("birthday", "company_anniversary", "first_deal", "new_year", "holiday", "company_day")
#: Plain one-line letters: rendering is not what this simulation is about (tests/test_render.py is).
PLAIN_TEMPLATE = (
    "{% block subject %}{{ occasion }} {{ occasion_date }}{% endblock %}\n"
    "{% block text %}{{ salutation }}! {{ occasion }}{% if years %} {{ years }}{% endif %}"
    "{% if also %} +{{ also|length }}{% endif %}{% if belated %} (belated){% endif %}{% endblock %}\n"
)
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Downtime:
    """Days (Moscow calendar) on which the daemon does not run at all."""

    first_day: date
    days: int

    @property
    def restart(self) -> date:
        """The first day with runs again."""
        return self.first_day + timedelta(days=self.days)

    def covers(self, moment: datetime) -> bool:
        return self.first_day <= moment.astimezone(MSK).date() < self.restart


@dataclass(frozen=True)
class Scenario:
    """What to simulate. The defaults are the issue's ten years with 10,000 contacts."""

    contacts: int = 10_000
    first_day: date = date(2027, 1, 1)
    last_day: date = date(2036, 12, 31)
    #: Tuesday–Wednesday (catch-up: sent belated on Thursday) and ten days from a Monday
    #: (the first six days' greetings expire, the last ones are caught up).
    downtimes: tuple[Downtime, ...] = (Downtime(date(2029, 4, 10), 2), Downtime(date(2033, 9, 5), 10))
    #: From this day on: a new occasion (company_day, every founding anniversary, all tiers)
    #: and a tighter cap (max_count 6 → 4).
    change_day: date = date(2031, 7, 1)
    new_max_count: int = 4
    seed: int = 1
    zones: tuple[str, ...] = ZONES
    #: A 29 February birthday every this many rows; a row without e-mail every this many.
    leap_every: int = 37
    no_email_every: int = 50


@dataclass
class SentLetter:
    """What the transport was handed: the journal key and the Message-ID header."""

    key: tuple[str, str, date]
    message_id: str
    at: datetime


@dataclass
class Simulation:
    """The outcome of :func:`simulate`: where the journal is, and what went over the wire."""

    scenario: Scenario
    project: Path
    journal_path: Path
    #: (first day in force, the cap) in order: the cap timeline for the checks.
    caps: list[tuple[date, FrequencyCap]]
    #: The config at the start and the one in force at the end.
    first_settings: Settings
    settings: Settings
    letters: list[SentLetter] = field(default_factory=list)
    runs: int = 0
    seconds: float = 0.0
    plan_seconds: float = 0.0
    deliver_seconds: float = 0.0


# --- the project -----------------------------------------------------------------


def build_project(folder: Path, scenario: Scenario) -> Path:
    """Write contacts, plain templates and the sample config (journal in ``folder``); the config path."""
    folder.mkdir(parents=True, exist_ok=True)
    templates = folder / "templates"
    shutil.rmtree(templates, ignore_errors=True)
    templates.mkdir()
    for name in TEMPLATES:
        (templates / f"{name}.j2").write_text(PLAIN_TEMPLATE, encoding="utf-8")
    write_contacts(
        folder / "data" / "contacts.csv",
        scenario.contacts,
        seed=scenario.seed,
        zones=list(scenario.zones),
        leap_every=scenario.leap_every,
        no_email_every=scenario.no_email_every,
    )
    write_config(folder, changed=False, scenario=scenario)
    return folder / "greeter.yaml"


def write_config(folder: Path, *, changed: bool, scenario: Scenario) -> None:
    """``config.example.yaml`` as shipped, except: no rate limit, and after the change day the change."""
    yaml = YAML()
    config: Any = yaml.load((ROOT / "config.example.yaml").read_text(encoding="utf-8"))
    config["storage"]["url"] = "sqlite:///data/journal.sqlite3"
    config["delivery"]["rate_limit"] = {"per_second": None}  # simulated time: no real waiting
    if changed:
        config["frequency_cap"]["max_count"] = scenario.new_max_count
        config["occasions"].append(
            {"name": "company_day", "field": "company_founded", "template": "company_day", "priority": 50}
        )
    path = folder / "greeter.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(config, fh)


# --- the clock -------------------------------------------------------------------


def run_times(settings: Settings, day: date, offsets: Sequence[timedelta]) -> list[datetime]:
    """The moments (UTC) the simulated daemon runs on ``day``; see the module docstring."""
    window = settings.send_window
    cal = _calendar(settings, day.year)
    if not cal.is_working_day(day):
        return [datetime.combine(day, time(12), MSK).astimezone(UTC)]
    end = window.hours.end
    if not cal.is_working_day(day + timedelta(days=1)) and window.friday_cutoff is not None:
        end = min(end, window.friday_cutoff)
    last = datetime.combine(day, end) - timedelta(minutes=window.end_margin_minutes, seconds=1)
    # Russian zones have had no DST since 2014, so a fixed offset per zone is exact here.
    return sorted({(last - offset).replace(tzinfo=UTC) for offset in offsets})


def _calendar(settings: Settings, year: int) -> WorkCalendar:
    window = settings.send_window
    country = settings.defaults.country if window.public_holidays else None
    return _calendar_of(window.model_dump_json(), country, year)


@lru_cache(maxsize=64)
def _calendar_of(window_json: str, country: str | None, year: int) -> WorkCalendar:
    window = SendWindow.model_validate_json(window_json)
    return build_calendar(window, country, range(year - 1, year + 2))


def zone_offsets(zones: Sequence[str], when: date) -> list[timedelta]:
    offsets = set()
    for name in zones:
        offset = datetime.combine(when, time(12), ZoneInfo(name)).utcoffset()
        assert offset is not None
        offsets.add(offset)
    return sorted(offsets)


# --- the journal, with two whole-table reads indexed ---------------------------------


def _day(past: PastGreeting) -> date:
    return past.day


def _touching(name: str) -> Any:
    """A journal method taking the key first, which also marks that greeting for re-reading."""

    def method(self: IndexedJournal, key: JournalKey, *args: Any, **kwargs: Any) -> Any:
        self._dirty.add(key)
        return getattr(self.journal, name)(key, *args, **kwargs)

    method.__name__ = name
    return method


class IndexedJournal:
    """The real SQLite journal; only ``greeted_dates`` and ``sent_times`` are answered differently.

    Every run of the daemon reads the journal's last thirteen months
    (:func:`greeter.runtime.read_journal_state` → ``greeted_dates``) and the last
    day's sends (``sent_times``, for the rate limiter, even when there is none).
    Both walk every row of their state through the ``(state, next_attempt_at)``
    index: after ten years of 10,000 clients (half a million rows) that is
    0.5 s and 0.07 s per run — more than everything else a run does, and this
    simulation makes thousands of runs. So here the rows ``greeted_dates``
    returns are kept in memory and re-read, by primary key, for every greeting
    a write touched (every write goes through this object), and ``sent_times``
    adds a ``send_day`` bound that lets SQLite use that index instead.

    :meth:`verify` compares both answers with the real journal's own methods;
    the simulation calls it every quarter and at the end, so what the planner
    was given is exactly what the daemon would have read.
    """

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        # The daemon reads the journal off its event loop (a stop must not wait for it), one read
        # at a time: this connection is used from that thread and this one, never at once.
        self._db = sqlite3.connect(journal.path, check_same_thread=False)
        self._dirty: set[tuple[str, str, date]] = set()
        self._floor = date.min  # rows older than every `since` still to come are dropped
        self._since = date.min  # what the last run asked for
        self._reload()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.journal, name)  # everything else: the real journal

    def close(self) -> None:
        """Close the index's own connection (the journal is closed by whoever opened it)."""
        self._db.close()

    # --- writes: remember what they touch ----------------------------------------

    def claim_many(self, requests: Sequence[ClaimRequest], *, now: datetime) -> list[bool]:
        self._dirty.update(r.key for r in requests)
        return self.journal.claim_many(requests, now=now)

    def claim(self, key: JournalKey, **kwargs: Any) -> bool:
        self._dirty.add(key)
        return self.journal.claim(key, **kwargs)

    mark_sent = _touching("mark_sent")

    def mark_all_sent(self, sent: Sequence[tuple[JournalKey, str, datetime]]) -> bool:
        self._dirty.update(key for key, _, _ in sent)
        return bool(self.journal.mark_all_sent(sent))

    mark_retry = _touching("mark_retry")
    mark_failed = _touching("mark_failed")
    mark_uncertain = _touching("mark_uncertain")
    mark_skipped = _touching("mark_skipped")
    mark_expired = _touching("mark_expired")
    resend = _touching("resend")
    dismiss = _touching("dismiss")

    def release(self, key: JournalKey, now: datetime, *, merged: Sequence[JournalKey] = ()) -> None:
        self._dirty.update((key, *merged))
        self.journal.release(key, now, merged=merged)

    def recover_stale_claims(self, now: datetime) -> int:
        changed = self.journal.recover_stale_claims(now)
        if changed:
            self._reload()
        return changed

    # --- the two reads -------------------------------------------------------------

    _SELECT = (
        "SELECT contact_id, occasion, occasion_date, COALESCE(send_day, occasion_date), state, email,"
        " sent_at, merged, reason FROM greetings"
    )

    def _reload(self) -> None:
        self._by_contact: dict[str, dict[JournalKey, PastGreeting]] = defaultdict(dict)
        self._sorted: dict[str, list[PastGreeting]] = {}  # per contact, by day; rebuilt when touched
        self._order: list[str] = []  # the contacts, sorted
        #: Per contact, what greeted_dates answered for ``_asked`` (since, states); dropped when touched.
        self._answers: dict[str, list[PastGreeting]] = {}
        self._asked: tuple[date, frozenset[str]] | None = None
        for row in self._db.execute(self._SELECT):
            self._store(row)
        self._dirty.clear()

    def _store(self, row: tuple[str, str, str, str, str, str | None, str | None, str, str | None]) -> None:
        occasion_date, day = date.fromisoformat(row[2]), date.fromisoformat(row[3])
        if day >= self._floor:
            key = (row[0], row[1], occasion_date)
            sent_at = datetime.fromisoformat(row[6]) if row[4] == "sent" and row[6] else None
            merged = tuple(json.loads(row[7])) if row[7] not in (None, "[]") else ()
            into = merged_carrier(row[8]) if row[4] == "skipped" else None
            why = expired_why(row[4], row[8])  # as Journal.greeted_dates: an expiry's journaled why
            skip = skipped_why(row[4], row[8], into)  # …and a skip's
            past = PastGreeting(
                row[0], row[1], occasion_date, day, row[4], row[5], sent_at, merged, into,
                expired_why=why, skipped_why=skip,
            )  # fmt: skip
            self._by_contact[row[0]][key] = past
            self._sorted.pop(row[0], None)
            self._answers.pop(row[0], None)

    def greeted_dates(self, since: date, states: Sequence[str] = CAP_STATES) -> Iterator[PastGreeting]:
        """What :meth:`Journal.greeted_dates` returns (ties in (contact, day) may come in another order).

        Each contact's answer is kept until a write touches one of its rows or
        another ``since`` (or states) is asked: the runs of a day ask the same,
        and a run writes the rows of a few contacts.
        """
        for key in self._dirty:
            row = self._db.execute(
                f"{self._SELECT} WHERE contact_id = ? AND occasion = ? AND occasion_date = ?",
                (key[0], key[1], key[2].isoformat()),
            ).fetchone()
            self._by_contact[key[0]].pop(key, None)
            self._sorted.pop(key[0], None)
            self._answers.pop(key[0], None)
            if row is not None:
                self._store(row)
        self._dirty.clear()
        # `since` only grows with the clock: rows before it are never asked for again.
        if since < self._floor:
            raise AssertionError(f"greeted_dates({since}) after rows before {self._floor} were dropped")
        self._floor = self._since = since
        wanted = frozenset(states)
        if (since, wanted) != self._asked:
            self._asked = (since, wanted)
            self._answers.clear()
        if len(self._order) != len(self._by_contact):  # (contacts are never removed, only added)
            self._order = sorted(self._by_contact)
        answers = []
        for contact_id in self._order:
            found = self._answers.get(contact_id)
            if found is None:
                found = self._answers[contact_id] = self._answer(contact_id, since, wanted)
            answers.append(found)
        return chain.from_iterable(answers)

    def _answer(self, contact_id: str, since: date, wanted: frozenset[str]) -> list[PastGreeting]:
        """One contact's rows from ``since`` on in the ``wanted`` states, by day; older rows forgotten."""
        rows = self._sorted.get(contact_id)
        if rows is None:
            rows = self._sorted[contact_id] = sorted(self._by_contact[contact_id].values(), key=_day)
        if rows and rows[0].day < self._floor:  # forget what has fallen out of every look-back
            keep = bisect.bisect_left(rows, self._floor, key=_day)
            for old in rows[:keep]:
                del self._by_contact[contact_id][(old.contact_id, old.occasion, old.occasion_date)]
            rows = self._sorted[contact_id] = rows[keep:]
        return [past for past in rows[bisect.bisect_left(rows, since, key=_day) :] if past.state in wanted]

    def sent_times(self, since: datetime) -> list[datetime]:
        """:meth:`Journal.sent_times`, using the ``send_day`` index.

        ``send_day`` is the local date of ``sent_at``; a zone is at most a day
        away from UTC, so ``send_day >= since's UTC date - 1`` keeps every row.
        """
        floor = (since.astimezone(UTC).date() - timedelta(days=1)).isoformat()
        rows = self._db.execute(
            # (`+state`: not by the state index, which holds every sent row there ever was)
            "SELECT sent_at FROM greetings WHERE send_day >= ? AND +state = 'sent' AND sent_at >= ?"
            " ORDER BY sent_at",
            (floor, db_time(since)),
        ).fetchall()
        return [datetime.fromisoformat(r[0]) for r in rows]

    def verify(self, now: datetime) -> None:
        """Assert both reads equal the real journal's: ``greeted_dates`` as the last run asked."""

        def order(p: PastGreeting) -> tuple[str, date, str, date, str]:
            return (p.contact_id, p.day, p.occasion, p.occasion_date, p.state)

        mine = sorted(self.greeted_dates(self._since, STATES), key=order)
        real = sorted(self.journal.greeted_dates(self._since, STATES), key=order)
        assert mine == real, f"the indexed journal drifted from the real one at {now}"
        day_ago = now - timedelta(days=1)
        assert self.sent_times(day_ago) == self.journal.sent_times(day_ago), f"sent_times drifted at {now}"


@contextmanager
def reused_renderers() -> Iterator[None]:
    """Let :func:`~greeter.send.plan_cycle` reuse one :class:`~greeter.render.Renderer` per template folder.

    ``plan_cycle`` builds a new Renderer on every run, so every run compiles
    its templates again (a few milliseconds each — a third of what a quiet run
    costs). A Renderer only caches compiled templates, and the templates do
    not change during the simulation, so reusing it changes nothing else.
    """
    made: dict[str, Renderer] = {}
    real = Renderer.of

    def of(settings: Settings) -> Renderer:
        key = settings.model_dump_json(include={"templates_dir", "sender", "defaults", "occasions"})
        if key not in made:
            made[key] = real(settings)
        return made[key]

    with mock.patch.object(Renderer, "of", of):
        yield


# --- the loop --------------------------------------------------------------------


def simulate(folder: Path, scenario: Scenario = Scenario(), *, progress: bool = False) -> Simulation:
    """Run the daemon's plan-and-deliver loop over the scenario's days; see the module docstring."""
    config = build_project(folder, scenario)
    inputs = load_inputs(config, today=TODAY, keep_contacts=True)
    journal_path = folder / "data" / "journal.sqlite3"
    first = datetime.combine(scenario.first_day, time(0), MSK)
    caps = [(scenario.first_day, inputs.settings.frequency_cap)]
    sim = Simulation(scenario, folder, journal_path, caps, inputs.settings, inputs.settings)
    offsets = zone_offsets(scenario.zones, scenario.first_day)
    started = timer.perf_counter()
    with ExitStack() as stack:
        real = Journal.open(f"sqlite:///{journal_path}", now=first)
        stack.callback(real.close)
        real.lock_sender()
        journal = IndexedJournal(real)
        stack.callback(journal.close)
        loop = asyncio.new_event_loop()
        stack.callback(loop.close)
        stack.enter_context(reused_renderers())
        was_down = False
        next_send: datetime | None = None
        now = first
        for day in _days(scenario.first_day, scenario.last_day):
            if day == scenario.change_day:
                write_config(folder, changed=True, scenario=scenario)
                inputs = load_inputs(config, today=TODAY, keep_contacts=True)  # SIGHUP
                sim.caps.append((day, inputs.settings.frequency_cap))
                sim.settings = inputs.settings
            ran_today = False
            for now in run_times(inputs.settings, day, offsets):
                if any(d.covers(now) for d in scenario.downtimes):
                    was_down = True
                    continue
                if was_down:  # a restart: nothing survives but the files
                    inputs = load_inputs(config, today=TODAY, keep_contacts=True)
                    was_down = False
                elif ran_today and (next_send is None or next_send > now):
                    continue  # the daemon would sleep through this moment: nothing is due yet
                if day.day == 1 and day.month % 3 == 1 and not ran_today:
                    journal.verify(now)
                next_send = _run(sim, inputs, journal, loop, now)
                ran_today = True
            if progress and day.month == 12 and day.day == 31:
                print(f"  {day.year}: {sim.runs:,} runs, {timer.perf_counter() - started:.0f} s", flush=True)
        journal.verify(now)
    sim.seconds = timer.perf_counter() - started
    return sim


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _run(
    sim: Simulation, inputs: Inputs, journal: IndexedJournal, loop: asyncio.AbstractEventLoop, now: datetime
) -> datetime | None:
    """One plan-and-deliver run at ``now``; returns the next planned send (when the daemon would wake)."""
    t0 = timer.perf_counter()
    # A run takes no simulated time (runs are placed at the last second of a window): the
    # outcome must not depend on how fast this machine plans and delivers.
    cycle = plan_cycle(inputs, journal, now=now, clock=lambda: now)  # type: ignore[arg-type]  # a JournalStore by delegation
    t1 = timer.perf_counter()
    transport = RecordingTransport()
    loop.run_until_complete(deliver_cycle(cycle, transport=transport))
    sim.deliver_seconds += timer.perf_counter() - t1
    sim.plan_seconds += t1 - t0
    sim.runs += 1
    for out in transport.delivered:
        found = MESSAGE_ID.search(out.data)
        sim.letters.append(SentLetter(out.key, found.group(1).decode() if found else "", now))
    return cycle.next_send


# --- the checks: from the journal's rows alone -----------------------------------


@dataclass(frozen=True)
class Row:
    """One journal row, as stored."""

    contact_id: str
    occasion: str
    occasion_date: date
    state: str
    message_id: str | None
    planned_at: datetime | None
    sent_at: datetime | None
    send_day: date | None
    reason: str | None
    #: When the row last changed (an expired row: the run that found it expired).
    updated_at: datetime | None = None

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.contact_id, self.occasion, self.occasion_date)


def journal_rows(path: Path) -> list[Row]:
    """Every row of the SQLite journal, read with plain ``sqlite3`` (not through greeter)."""
    with sqlite3.connect(path) as db:
        found = db.execute(
            "SELECT contact_id, occasion, occasion_date, state, message_id, planned_at, sent_at, send_day,"
            " reason, updated_at FROM greetings"
        ).fetchall()
    db.close()

    def moment(text: str | None) -> datetime | None:
        return datetime.fromisoformat(text) if text else None

    return [
        Row(r[0], r[1], date.fromisoformat(r[2]), r[3], r[4], moment(r[5]), moment(r[6]),
            date.fromisoformat(r[7]) if r[7] else None, r[8], moment(r[9]))
        for r in found
    ]  # fmt: skip


@dataclass(frozen=True)
class Client:
    """What the generator wrote for one contact (the checks' own view, not greeter's)."""

    id: str
    email: str
    zone: ZoneInfo
    vip: bool
    birthday: str  # dd.mm.yyyy as written (may be impossible, e.g. 31.02)
    founded: date
    deal: date


def clients(scenario: Scenario) -> dict[str, Client]:
    """The generated contacts, re-generated from the same seed."""
    result = {}
    for row in contact_rows(
        scenario.contacts,
        scenario.seed,
        zones=list(scenario.zones),
        leap_every=scenario.leap_every,
        no_email_every=scenario.no_email_every,
    ):
        result[row[0]] = Client(
            row[0], row[1], ZoneInfo(row[7]), row[9] == "VIP", row[11],
            datetime.strptime(row[12], "%d.%m.%Y").date(), datetime.strptime(row[13], "%d.%m.%Y").date(),
        )  # fmt: skip
    return result


class Tact:
    """The send window of DESIGN.md §4, re-derived from the config's numbers (not greeter's code)."""

    def __init__(self, settings: Settings) -> None:
        window = settings.send_window
        self.weekdays = {
            ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(d.value) for d in window.working_days
        }
        self.country = settings.defaults.country if window.public_holidays else None
        margin = timedelta(minutes=window.end_margin_minutes)
        self.start = window.hours.start
        self.end = (datetime.combine(date.min, window.hours.end) - margin).time()
        self.eve_end = self.end
        if window.friday_cutoff is not None:
            self.eve_end = min(self.end, (datetime.combine(date.min, window.friday_cutoff) - margin).time())
        self.lunch = (window.lunch.start, window.lunch.end) if window.lunch else None
        self._holidays: dict[int, set[date]] = {}

    def working_day(self, day: date) -> bool:
        if day.weekday() not in self.weekdays:
            return False
        if self.country is None:
            return True
        if day.year not in self._holidays:
            self._holidays[day.year] = set(holidays.country_holidays(self.country, years=day.year))
        return day not in self._holidays[day.year]

    def greeting_day(self, occasion: date) -> date:
        """The day a letter for ``occasion`` should leave: that day, or the last working day before it.

        (``day_off_policy: before``, as in the sample config.)
        """
        day = occasion
        while not self.working_day(day):
            day -= timedelta(days=1)
        return day

    def allows(self, local: datetime) -> bool:
        """Whether a letter may leave at this local moment."""
        day, t = local.date(), local.time().replace(tzinfo=None)
        if not self.working_day(day):
            return False
        end = self.end if self.working_day(day + timedelta(days=1)) else self.eve_end
        if not self.start <= t < end:
            return False
        return not (self.lunch is not None and self.lunch[0] <= t < self.lunch[1])


@dataclass
class Findings:
    """What :func:`check` found: broken invariants (with examples) and the numbers for the report."""

    violations: dict[str, list[str]] = field(default_factory=dict)
    states: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    #: year → letters per greetable contact that year (one entry per contact)
    per_year: dict[int, list[int]] = field(default_factory=dict)

    def broken(self, invariant: str, example: str) -> None:
        self.violations.setdefault(invariant, [])
        if len(self.violations[invariant]) < 5:
            self.violations[invariant].append(example)
        self.counts[f"violations: {invariant}"] += 1

    def summary(self, invariant: str) -> str:
        return (
            f"{self.counts[f'violations: {invariant}']} violation(s), e.g. {self.violations.get(invariant)}"
        )


INVARIANTS = (
    "once only",
    "message ids",
    "final states",
    "min gap",
    "max count",
    "send window",
    "short gap caught up",
    "long gap expired",
    "long gap caught up",
    "schedule kept outside downtime",
    "late or expired only for a known reason",
    "no e-mail, no letter",
    "rule of six",
)


#: Invariants broken by bugs the simulation cannot fix, pinned as strict xfails in tests/test_simulation.py
#: (none left: the look-ahead and the back-dating of new occasions are fixed).
KNOWN_BUGS: dict[str, str] = {}


def cap_on(sim: Simulation, moment: datetime) -> FrequencyCap:
    """The frequency cap in force at ``moment`` (changes take effect at Moscow midnight)."""
    day = moment.astimezone(MSK).date()
    return [cap for first, cap in sim.caps if first <= day][-1]


def caps_during(sim: Simulation, first: date, last: date) -> list[FrequencyCap]:
    """The caps in force on some day of [first, last]."""
    ends = [start for start, _ in sim.caps[1:]] + [date.max]
    return [cap for (start, cap), end in zip(sim.caps, ends, strict=True) if start <= last and end > first]


def check(sim: Simulation) -> Findings:
    """Every invariant of the issue, re-derived from the journal's rows and the transport's letters."""
    f = Findings()
    rows = journal_rows(sim.journal_path)
    people = clients(sim.scenario)
    tact = Tact(sim.settings)
    f.states.update(r.state for r in rows)
    sent = [r for r in rows if r.state == "sent"]
    f.counts["journal rows"] = len(rows)
    for r in rows:
        if r.state == "skipped":
            f.counts[f"skipped: {(r.reason or '').split(':')[0].split(' into ')[0]}"] += 1
        elif r.state == "sent":
            f.counts[f"sent to {people[r.contact_id].zone.key}"] += 1

    # Once only: the key is unique, and so is every Message-ID the transport was handed.
    for key, n in Counter(r.key for r in rows).items():
        if n > 1:
            f.broken("once only", f"{key} has {n} rows")
    ids = Counter(letter.message_id for letter in sim.letters)
    f.counts["letters handed to the transport"] = len(sim.letters)
    for mid, n in ids.items():
        if n > 1 or not mid:
            f.broken("message ids", f"Message-ID {mid!r} sent {n} times")
    by_key = {letter.key: letter for letter in sim.letters}
    if len(by_key) != len(sim.letters):
        f.broken("once only", "the transport was handed one journal key twice")
    for r in sent:
        letter = by_key.pop(r.key, None)
        if letter is None or letter.message_id != r.message_id or letter.at != r.sent_at:
            f.broken("message ids", f"{r.key}: journal {r.message_id} at {r.sent_at}, wire {letter}")
    for key in by_key:
        f.broken("message ids", f"{key} went over the wire but is not sent in the journal")
    for r in rows:
        if r.state not in ("sent", "skipped", "expired"):
            f.broken("final states", f"{r.key} is {r.state}")

    # The cap, per contact, by the local day each letter left; the cap in force when it left.
    letters: dict[str, list[Row]] = defaultdict(list)
    for r in sent:
        letters[r.contact_id].append(r)
    for cid, mine in letters.items():
        zone = people[cid].zone
        mine.sort(key=lambda r: r.sent_at or datetime.min.replace(tzinfo=UTC))
        days = [r.sent_at.astimezone(zone).date() for r in mine if r.sent_at]
        for i, (r, day) in enumerate(zip(mine, days, strict=True)):
            assert r.sent_at is not None
            cap = cap_on(sim, r.sent_at)
            if i and (day - days[i - 1]).days < cap.min_gap_days:
                f.broken("min gap", f"contact {cid}: {days[i - 1]} and {day} ({r.occasion})")
            lo = bisect.bisect_right(days, day - timedelta(days=cap.window_days))
            if i + 1 - lo > cap.max_count:
                f.broken(
                    "max count", f"contact {cid}: {i + 1 - lo} letters in {cap.window_days} days to {day}"
                )
            if r.send_day != day:
                f.broken("send window", f"{r.key}: send_day {r.send_day}, but it left on {day} local time")

    # Tact: every letter left (and was planned) on a working day inside the recipient's window.
    for r in sent:
        zone = people[r.contact_id].zone
        for what, moment in (("sent_at", r.sent_at), ("planned_at", r.planned_at)):
            if moment is None or not tact.allows(moment.astimezone(zone)):
                f.broken("send window", f"{r.key}: {what} {moment and moment.astimezone(zone)} ({zone.key})")

    # Downtime: short gap → belated letters; long gap → expired, then caught up.
    catch_up = sim.settings.catch_up_days
    short, long = sim.scenario.downtimes
    in_short = [r for r in rows if short.first_day <= r.occasion_date < short.restart]
    cut = long.restart - timedelta(days=catch_up)  # older than this on the first day back: expired
    in_long_old = [r for r in rows if long.first_day <= r.occasion_date < cut]
    in_long_new = [r for r in rows if cut <= r.occasion_date < long.restart]
    for bucket, name in ((in_short, "short gap caught up"), (in_long_new, "long gap caught up")):
        for r in bucket:
            if r.state == "expired":
                f.broken(name, f"{r.key} expired")
            elif r.state == "sent":
                assert r.sent_at is not None
                day = r.sent_at.astimezone(people[r.contact_id].zone).date()
                if not r.occasion_date < day <= r.occasion_date + timedelta(days=catch_up):
                    f.broken(name, f"{r.key} sent on {day}, not belated within {catch_up} days")
        f.counts[f"{name}: sent belated"] = sum(r.state == "sent" for r in bucket)
    for r in in_long_old:  # (or merged into a letter that left before the downtime)
        if r.state != "expired" and not (r.state == "skipped" and (r.reason or "").startswith("merged")):
            f.broken("long gap expired", f"{r.key} is {r.state}")
    f.counts["long gap expired: expired"] = len(in_long_old)
    # ... and every greeting the clients had in the gaps is in the journal (nothing silently lost).
    for gap, name in ((short, "short gap caught up"), (long, "long gap expired")):
        journal_keys = {r.key for r in rows}
        for key in expected_greetings(sim, people, gap):
            f.counts[f"{name}: expected greetings"] += 1
            if key not in journal_keys:
                f.broken(name, f"{key} is not in the journal at all")

    # Outside the gaps the schedule is kept: nothing late, nothing expired — greetings whose day
    # came before the first run aside (the daemon was not there yet). Whatever is late or expired
    # anyway must be explained by one of the two known causes, counted separately:
    # * look-ahead: an occasion two or more days after its greeting day (a Sunday birthday greeted
    #   on Friday, 3 January before the holidays) not seen on that day would go out late as
    #   "belated", or expire after long holidays (planner.lookahead_end prevents it; must stay 0);
    # * back-dating: an occasion added by the config change caught up for the days before it
    #   existed (belated letters, expired rows), as if the daemon had been down (the journal's
    #   ``occasions`` table prevents it; must stay 0).
    # Not a slip of the schedule, but the downtime's doing (counted, not broken):
    # * downtime by merging: an occasion just before a gap that rides along in a letter due in the
    #   gap (the letter leaves on its lead's day — the lead of a higher priority, or the member that
    #   leads in place of one the cap refused) expires with that letter when the daemon is back
    #   (see :func:`expired_with_its_letter`). Its schedule was that letter's, in the gap.
    gaps = [(d.first_day, d.restart) for d in sim.scenario.downtimes]
    added = {o.name for o in sim.settings.occasions} - {o.name for o in sim.first_settings.occasions}
    in_gaps: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if any(a <= r.occasion_date < b for a, b in gaps):
            in_gaps[r.contact_id].append(r)
    min_gap = sim.settings.frequency_cap.min_gap_days
    for r in rows:
        if any(a <= r.occasion_date < b for a, b in gaps):
            continue
        greeting_day = tact.greeting_day(r.occasion_date)
        if greeting_day < sim.scenario.first_day:
            f.counts[f"{r.state} for occasions before the start"] += 1
            continue
        if r.state == "sent":
            assert r.sent_at is not None
            if r.sent_at.astimezone(people[r.contact_id].zone).date() <= r.occasion_date:
                continue
        elif r.state != "expired":
            continue
        what = "late" if r.state == "sent" else "expired"
        if r.occasion in added and r.occasion_date < sim.scenario.change_day:
            f.counts[f"{what}: back-dated new occasion"] += 1
        elif (r.occasion_date - greeting_day).days >= 2:
            f.counts[f"{what}: look-ahead"] += 1
        elif expired_with_its_letter(r, in_gaps[r.contact_id], min_gap):
            f.counts["expired: merged into a letter due in downtime"] += 1
            continue
        else:
            f.broken("late or expired only for a known reason", f"{r.key} {what} ({r.sent_at})")
        f.broken("schedule kept outside downtime", f"{r.key} {what} ({r.sent_at})")
    f.counts["sent belated"] = sum(
        1
        for r in sent
        if r.sent_at is not None and r.sent_at.astimezone(people[r.contact_id].zone).date() > r.occasion_date
    )

    for r in rows:
        if not people[r.contact_id].email and r.state == "sent":
            f.broken("no e-mail, no letter", f"{r.key} sent to a contact without e-mail")

    # Greetings per contact per year, over the contacts greeter can write to.
    greetable = [
        c.id
        for c in people.values()
        if c.email and " " not in c.email  # (the generator's bad ones have a space)
    ]
    for year in range(sim.scenario.first_day.year, sim.scenario.last_day.year + 1):
        f.per_year[year] = [0] * len(greetable)
    index = {cid: i for i, cid in enumerate(greetable)}
    for r in sent:
        assert r.sent_at is not None
        year = r.sent_at.astimezone(people[r.contact_id].zone).year
        f.per_year[year][index[r.contact_id]] += 1
    for year, counts in f.per_year.items():
        cap = max(c.max_count for c in caps_during(sim, date(year, 1, 1), date(year, 12, 31)))
        if max(counts) > min(cap, 6):
            f.broken("rule of six", f"{year}: a contact got {max(counts)} letters")
    f.counts["greetable contacts"] = len(greetable)
    f.counts["leap-day birthdays greeted"] = sum(
        1 for r in sent if r.occasion == "birthday" and people[r.contact_id].birthday.startswith("29.02")
    )
    return f


def expired_with_its_letter(r: Row, in_gaps: Sequence[Row], min_gap: int) -> bool:
    """Whether ``r`` (expired, dated outside the downtimes) rode along in a letter due in one.

    A letter carries the occasions within ``min_gap`` days of its group's first one
    and leaves on its lead's day, so an occasion a few days before a downtime may be
    greeted in a letter due during it — the group's lead (a higher priority), or the
    member that leads in place of one the cap refused. Missed and past
    ``catch_up_days`` when the daemon is back — or, belated, giving way to a timely
    letter — that letter does not go, and what it carries expires, in one run: a row
    of the same contact dated in a gap less than ``min_gap`` days after ``r``, expired
    or skipped (not merged into another letter) by the same run (``updated_at``).
    """
    return r.state == "expired" and any(
        (g.state == "expired" or (g.state == "skipped" and not (g.reason or "").startswith("merged")))
        and g.updated_at == r.updated_at
        and 0 < (g.occasion_date - r.occasion_date).days < min_gap
        for g in in_gaps
    )


def expected_greetings(
    sim: Simulation, people: dict[str, Client], gap: Downtime
) -> Iterator[tuple[str, str, date]]:
    """The date-field occasions dated in ``gap`` (config in force then), from the generated data
    and the config's audience rules: each must have a journal row."""
    settings = sim.settings if sim.scenario.change_day <= gap.first_day else sim.first_settings
    leap_day = (2, 28) if settings.leap_day == "feb28" else (3, 1)
    days = [gap.first_day + timedelta(days=i) for i in range(gap.days)]
    for c in people.values():
        if not c.email or " " in c.email:
            continue  # no letter at all (no_email) or a rejected row
        originals = {
            "birthday": _date_or_none(c.birthday),
            "company_founded": c.founded,
            "first_deal": c.deal,
        }
        for occ in settings.occasions:
            original = originals.get(occ.field or "")
            if original is None:
                continue
            audience = occ.audience
            assert audience.tags is None and audience.contacts is None, "not modelled here"
            if audience.tiers is not None and ("VIP" if c.vip else "regular") not in audience.tiers:
                continue
            for day in days:
                same = (original.month, original.day) == (day.month, day.day)
                moved = (original.month, original.day) == (2, 29) and not _leap(day.year)
                if not (same or (moved and (day.month, day.day) == leap_day)):
                    continue
                years = day.year - original.year
                if years <= 0 or (audience.round_years and years % audience.round_years):
                    continue
                if audience.min_years is not None and years < audience.min_years:
                    continue
                yield (c.id, occ.name, day)


def _date_or_none(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%d.%m.%Y").date()
    except ValueError:
        return None


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --- the report ------------------------------------------------------------------


def report(sim: Simulation, f: Findings) -> str:
    """A plain-text summary: what ran, what the journal holds, letters per contact per year, invariants."""
    sc = sim.scenario
    lines = [
        f"{sc.contacts:,} contacts ({f.counts['greetable contacts']:,} with a valid e-mail), "
        f"{sc.first_day} … {sc.last_day}: {sim.runs:,} runs in {sim.seconds:.0f} s "
        f"(plan {sim.plan_seconds:.0f} s, deliver {sim.deliver_seconds:.0f} s)",
        "downtime: " + ", ".join(f"{d.first_day} for {d.days} days" for d in sc.downtimes),
        "config change on "
        + f"{sc.change_day}: + occasion company_day, max_count "
        + " → ".join(str(c.max_count) for _, c in sim.caps),
        "journal: " + ", ".join(f"{s} {n:,}" for s, n in sorted(f.states.items())),
        f"letters sent: {f.states['sent']:,}, of which belated {f.counts['sent belated']:,}; "
        f"expired: {f.states['expired']:,}",
        f"  short downtime: {f.counts['short gap caught up: sent belated']:,} sent belated; "
        f"long downtime: {f.counts['long gap expired: expired']:,} expired, "
        f"{f.counts['long gap caught up: sent belated']:,} sent belated",
        f"  due before the first run: {f.counts['expired for occasions before the start']:,} expired, "
        f"{f.counts['sent for occasions before the start']:,} sent",
        f"  look-ahead (not seen on the greeting day): {f.counts['late: look-ahead']:,} late, "
        f"{f.counts['expired: look-ahead']:,} expired",
        f"  new occasion back-dated by the config change: {f.counts['late: back-dated new occasion']:,} "
        f"late, {f.counts['expired: back-dated new occasion']:,} expired",
        f"  merged into a letter that was due during a downtime: "
        f"{f.counts['expired: merged into a letter due in downtime']:,} expired",
        f"29 February birthdays greeted: {f.counts['leap-day birthdays greeted']:,}",
        "",
        "letters per contact per year (contacts with a valid e-mail):",
        "  year   min  median  max",
    ]
    everything: list[int] = []
    for year, counts in f.per_year.items():
        everything.extend(counts)
        lines.append(f"  {year}  {min(counts):4}  {statistics.median(counts):6.1f}  {max(counts):3}")
    lines.append(f"  all   {min(everything):4}  {statistics.median(everything):6.1f}  {max(everything):3}")
    lines.append("")
    for invariant in INVARIANTS:
        n = f.counts[f"violations: {invariant}"]
        if n == 0:
            lines.append(f"  ok     {invariant}")
        elif invariant in KNOWN_BUGS:
            lines.append(f"  KNOWN  {invariant}: {n:,} ({KNOWN_BUGS[invariant]})")
        else:
            lines.append(f"  BROKEN {invariant}: {f.summary(invariant)}")
    return "\n".join(lines)
