"""The daily quota (``delivery.rate_limit.per_day``) and the plan: who gets the scarce slots.

Pure functions, called from the shells (:mod:`greeter.send`, ``check``,
``preview``). A quota smaller than a busy day's letters leaves some of them for
a later run, and a letter whose catch-up period ends before the quota frees a
slot is lost (``expired``). Handing the slots out in contact-id order with
retries last sent New-Year-only letters that could still have gone tomorrow
while birthdays expiring tonight were left unsent: :func:`quota_rank` orders the
letters so that the ones lost first go first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from greeter.journal_store import JournalKey

if TYPE_CHECKING:
    from greeter.plan_types import PlanItem
    from greeter.planner import PlanWindow

T = TypeVar("T")

#: A contact id as letters under a quota are ordered by it: numeric ids by their number (client
#: 9 before client 10, as a CRM lists them), before any other id, which sorts as text.
IdOrder = tuple[int, int, str]

#: What orders letters under a quota: deadline, then priority (higher first, so negated), then
#: contact id, occasion and its date (a stable order whatever the plan's).
Rank = tuple[datetime, int, IdOrder, str, date]


def id_order(contact_id: str) -> IdOrder:
    """Pure: ``contact_id``'s place among ids (:data:`IdOrder`)."""
    if contact_id.isascii() and contact_id.isdigit():
        return (0, int(contact_id), contact_id)
    return (1, 0, contact_id)


def quota_rank(deadline: datetime, priorities: Iterable[int], key: JournalKey) -> Rank:
    """Pure: where a letter stands when the daily quota cannot send every due one.

    ``deadline``: the last moment it may still leave (its catch-up period's
    end, :func:`~greeter.delivery.letter_deadline`; for a letter carrying
    merged occasions the earliest of theirs); ``priorities``: its occasions'
    priorities (the highest counts); ``key``: its journal key. Earliest
    deadline first — a birthday that expires tonight before a New Year letter
    that can still leave tomorrow —, then higher priority, then contact id.
    """
    top = max(priorities, default=0)
    contact_id, occasion, day = key
    return (deadline, -top, id_order(contact_id), occasion, day)


def in_quota_order(letters: Sequence[T], rank: Callable[[T], Rank]) -> list[T]:
    """Pure: ``letters`` in the order the daily quota hands out its slots (:func:`quota_rank`)."""
    return sorted(letters, key=rank)


@dataclass(frozen=True, slots=True)
class QuotaLetter:
    """One planned letter as the quota forecast needs it."""

    key: JournalKey
    #: The day it is planned to leave, in the config's zone (the quota's day).
    day: date
    #: The last moment it may still leave (:func:`~greeter.delivery.letter_deadline`).
    deadline: datetime
    priorities: tuple[int, ...]

    @property
    def rank(self) -> Rank:
        return quota_rank(self.deadline, self.priorities, self.key)


@dataclass(frozen=True, slots=True)
class QuotaDay:
    """A day whose letters exceed ``delivery.rate_limit.per_day``, as :func:`quota_forecast` sees it."""

    day: date
    #: Letters planned for this day, and those held back on earlier days still waiting.
    planned: int
    carried: int
    #: What the quota lets through on the day.
    allowed: int
    #: Held back, and still in their catch-up period the next day: they go later (if the quota
    #: has room then).
    later: tuple[JournalKey, ...]
    #: Held back, and their catch-up period ends before the next day: lost (``expired``).
    expire: tuple[JournalKey, ...]

    @property
    def held(self) -> int:
        return len(self.later) + len(self.expire)


def quota_forecast(letters: Iterable[QuotaLetter], per_day: int, zone: tzinfo) -> list[QuotaDay]:
    """Pure: the days whose planned letters (and those held back before) exceed ``per_day``.

    Each day the quota's slots go in :func:`quota_rank` order, as a send hands them
    out; the letters left over either still have time the next day (``later``) or
    their catch-up period ends first (``expire``). An estimate: the quota is a
    rolling 24 hours and a letter held back waits for its recipient's window and
    working day too — it says which days cannot go as planned, and roughly what is lost.
    """
    by_day: dict[date, list[QuotaLetter]] = defaultdict(list)
    for letter in letters:
        by_day[letter.day].append(letter)
    if not by_day:
        return []
    days: list[QuotaDay] = []
    carried: list[QuotaLetter] = []
    day, last = min(by_day), max(by_day)
    while day <= last or carried:
        planned = by_day.get(day, [])
        pool = carried + planned
        carried = []
        if len(pool) > per_day:
            rest = sorted(pool, key=lambda letter: letter.rank)[per_day:]
            nxt = day + timedelta(days=1)
            ends = datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone)
            carried = [letter for letter in rest if letter.deadline > ends]
            lost = tuple(letter.key for letter in rest if letter.deadline <= ends)
            later = tuple(letter.key for letter in carried)
            days.append(QuotaDay(day, len(planned), len(pool) - len(planned), per_day, later, lost))
        day += timedelta(days=1)
    return days


def quota_day_words(day: QuotaDay) -> str:
    """Pure: what ``check`` and ``preview`` say of a day over the quota, naming the occasions held back."""
    waiting = f" (and {day.carried} held back before)" if day.carried else ""
    occasions = Counter(key[1] for key in (*day.later, *day.expire))
    named = ", ".join(f"{name} {n}" for name, n in sorted(occasions.items(), key=lambda kv: (-kv[1], kv[0])))
    fate = []
    if day.later:
        fate.append(f"{len(day.later)} go on a later day if the quota has room then")
    if day.expire:
        fate.append(f"{len(day.expire)} expire (their catch-up period ends first)")
    return (
        f"{day.day:%d.%m.%Y}: {day.planned} letters planned{waiting}, delivery.rate_limit.per_day lets"
        f" {day.allowed} through; {day.held} held back ({named}): {'; '.join(fate)}"
    )


def held_back(days: Iterable[QuotaDay]) -> dict[JournalKey, tuple[date, str]]:
    """Pure: each letter the quota holds back, the day it was held and its fate (``later`` or
    ``expires``) — the last day that held it tells."""
    fates: dict[JournalKey, tuple[date, str]] = {}
    for day in days:
        fates.update((key, (day.day, "later")) for key in day.later)
        fates.update((key, (day.day, "expires")) for key in day.expire)
    return fates


def quota_letters(items: Iterable[PlanItem], pw: PlanWindow) -> Iterator[QuotaLetter]:
    """The plan's letters still to leave (``send``), as :func:`quota_forecast` reads them.

    Each one's deadline is the earliest of its occasions' (a merged letter is lost with the
    first), counted as the send counts it (:func:`~greeter.delivery.letter_deadline`), on
    the day in the config's zone it is planned for.
    """
    from greeter.delivery import letter_deadline
    from greeter.planner import contact_zone

    settings = pw.settings
    zone = ZoneInfo(settings.defaults.timezone)
    for item in items:
        if item.status != "send" or item.send_at is None:
            continue
        hits = (item.hit, *item.also)
        contact = item.hit.contact
        tz, cal = contact_zone(contact, settings), pw.calendar_for(contact.country)
        yield QuotaLetter(
            item.hit.key,
            item.send_at.astimezone(zone).date(),
            min(letter_deadline(settings, hit.key, tz, cal) for hit in hits),
            tuple(hit.priority for hit in hits),
        )


def over_quota(items: Iterable[PlanItem], pw: PlanWindow) -> list[QuotaDay]:
    """:func:`quota_forecast` of a plan under its config's ``per_day`` ([] without one)."""
    per_day = pw.settings.delivery.rate_limit.per_day
    if per_day is None:
        return []
    return quota_forecast(quota_letters(items, pw), per_day, ZoneInfo(pw.settings.defaults.timezone))


def expiring_before(ranks: Iterable[Rank], left: int, free_at: datetime) -> int:
    """Pure: of the ``left`` letters a batch the quota ended left unsent — the last ``left`` of
    ``ranks`` in :func:`quota_rank` order, as they were handed out — how many have a deadline
    no later than ``free_at``, the quota's next slot: those expire, whatever runs meanwhile."""
    if left <= 0:
        return 0
    unsent = sorted(ranks)[-left:]
    return sum(rank[0] <= free_at for rank in unsent)


def held_recently(held_at: datetime | None, now: datetime, catch_up_days: int) -> bool:
    """Pure: whether the daily quota held letters back (the journal's notice of it, ``held_at``)
    recently enough to have cost the greetings expiring at ``now``: within their catch-up period."""
    return held_at is not None and held_at >= now - timedelta(days=catch_up_days + 1)
