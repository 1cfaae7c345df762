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

:func:`~tests.simulation_check.check` then re-derives every invariant from the journal's rows alone
(plus the transport's Message-IDs), with its own working-day and send-window
rules, and :func:`~tests.simulation_check.report` summarises it.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import re
import shutil
import sqlite3
import sys
import time as timer
from collections import defaultdict
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

from gen_contacts import write_contacts  # noqa: E402

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
