"""The ten-year simulation's checks (issue "Prove it", part 2): invariants re-derived from the journal alone.

Split from :mod:`tests.simulation` (which runs the daemon's cycles and records what they
handed the transport): :func:`check` reads only the journal's rows and those letters, so a
bug in the daemon cannot hide in shared bookkeeping; :func:`report` prints the findings.
"""

from __future__ import annotations

import bisect
import sqlite3
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

from greeter.config import FrequencyCap, Settings
from tests.simulation import MSK, Downtime, Scenario, Simulation

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from gen_contacts import contact_rows  # noqa: E402

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
