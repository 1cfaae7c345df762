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

import bisect
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar
from zoneinfo import ZoneInfo

from greeter.calendar_rules import WorkCalendar, next_window_open
from greeter.journal_store import JournalKey

if TYPE_CHECKING:
    from greeter.config import Settings
    from greeter.config_window import SendWindow
    from greeter.plan_types import PlanItem
    from greeter.planner import PlanWindow

T = TypeVar("T")

#: A contact id as letters under a quota are ordered by it: numeric ids by their number (client
#: 9 before client 10, as a CRM lists them), before any other id, which sorts as text.
IdOrder = tuple[int, int, str]

#: What orders letters under a quota: deadline, then priority (higher first, so negated), then
#: contact id, occasion and its date (a stable order whatever the plan's).
Rank = tuple[datetime, int, IdOrder, str, date]

#: The first moment at or after a given one that a letter's recipient's send window is open for it
#: (:func:`~greeter.calendar_rules.next_window_open` of their zone and calendar, and the letter's
#: planned day: a day off ``day_off_policy: on_day`` planned it on opens for it).
Opener = Callable[[datetime], datetime]


class WindowOpener(Protocol):
    """A recipient's :data:`Opener` for any of their letters: ``planned_at`` is the letter's planned
    moment (None: a day off opens for no letter), as :func:`~greeter.send.window_watch` asks it."""

    def __call__(self, moment: datetime, planned_at: datetime | None = None) -> datetime: ...


#: Later than any deadline: a window that never opens again (a config without sending time).
NEVER = datetime.max.replace(tzinfo=UTC)

#: How long a letter sent holds its slot of the daily quota (:data:`~greeter.ratelimit.DAY_SECONDS`).
DAY = timedelta(days=1)


def id_order(contact_id: str) -> IdOrder:
    """Pure: ``contact_id``'s place among ids (:data:`IdOrder`)."""
    if contact_id.isascii() and contact_id.isdigit():
        return (0, int(contact_id), contact_id)
    return (1, 0, contact_id)


def quota_rank(deadline: datetime, priorities: Iterable[int], key: JournalKey) -> Rank:
    """Pure: where a letter stands when the daily quota cannot send every due one.

    ``deadline``: the last moment it may still leave (its catch-up period's
    end, :func:`~greeter.delivery_timing.letter_deadline`; for a letter carrying
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
    #: The last moment it may still leave (:func:`~greeter.delivery_timing.letter_deadline`).
    deadline: datetime
    priorities: tuple[int, ...]
    #: Its recipient's :data:`Opener` (:func:`window_opener`); None: any moment is open.
    opens: Opener | None = None
    #: The moment it is planned to leave; None: when its window first opens on ``day`` (the quota's zone).
    at: datetime | None = None

    def planned_moment(self, zone: tzinfo) -> datetime:
        """When it is planned to leave: :attr:`at`, else when its recipient's window first opens
        at or after the start of its :attr:`day` in ``zone``."""
        if self.at is not None:
            return self.at
        return self.next_open(datetime(self.day.year, self.day.month, self.day.day, tzinfo=zone))

    @property
    def rank(self) -> Rank:
        return quota_rank(self.deadline, self.priorities, self.key)

    def next_open(self, moment: datetime) -> datetime:
        """The first moment at or after ``moment`` this letter's recipient may be sent to."""
        return moment if self.opens is None else self.opens(moment)


@dataclass(frozen=True, slots=True)
class QuotaDay:
    """A day whose letters exceed ``delivery.rate_limit.per_day``, as :func:`quota_forecast` sees it."""

    day: date
    #: Letters planned for this day, and those held back on earlier days still waiting.
    planned: int
    carried: int
    #: How many of them go on the day (the quota counting any 24 hours).
    allowed: int
    #: Held back, and their window opens on a later day before their catch-up period ends: they
    #: go later (if the quota has room then).
    later: tuple[JournalKey, ...]
    #: Held back, and their catch-up period ends before a slot and their window meet: lost (``expired``).
    expire: tuple[JournalKey, ...]
    #: The journal's sends still holding a slot when the day's first letter came (the last 24 hours').
    sent: int = 0

    @property
    def held(self) -> int:
        return len(self.later) + len(self.expire)


def quota_forecast(
    letters: Iterable[QuotaLetter],
    per_day: int,
    zone: tzinfo,
    sent: Iterable[datetime] = (),
    now: datetime | None = None,
) -> list[QuotaDay]:
    """Pure: the days whose planned letters (and those held back before) exceed ``per_day``.

    The quota as the send's limiter counts it (:class:`~greeter.ratelimit.SlidingWindow`): at
    most ``per_day`` letters in any rolling 24 hours, each letter taking a slot when it leaves,
    at its planned moment (not before ``now``). A letter finding none free waits for the next
    slot to free and for its recipient's send window to open then (:meth:`QuotaLetter.next_open`:
    a working day in their country, within hours, not past the Friday cut-off or in the quiet
    minutes), competing with the others waiting in :func:`quota_rank` order, as a send at that
    moment hands the slots out; it is lost (``expire``) when its catch-up period ends first.
    WHY rolling: counted by the config zone's calendar days, 500 letters sent at 17:25 left
    the next day's 500 slots free in the forecast, while the limiter had none before 17:25 —
    past that Friday's cut-off — and held them all to Monday. A Saturday's or the New Year
    break's slots count for no letter that cannot leave then.

    A day is listed when some of the letters that could go on it (planned for it, or held
    back before and waiting for it: ``carried``) do not go on it: ``later`` those that wait
    for a later day, ``expire`` those lost. ``allowed``: how many go on it; a letter held in
    the morning that leaves when a slot frees in the afternoon goes on its day.

    ``sent``: when the letters the journal holds as sent in the 24 hours before the plan's
    ``now`` left (:meth:`~greeter.journal_store.JournalStore.sent_times`); each holds its slot
    for 24 hours (``QuotaDay.sent``: those still holding one when the day's letters come).
    WHY: half an hour after a send had spent the day's quota, ``preview`` still let ``per_day``
    of the letters left through. The letters sent are not in ``letters`` (the plan's ``sent``
    items, :func:`quota_letters`).
    """
    journal = sorted(sent)
    pending = list(letters)
    start = now if now is not None else journal[-1] if journal else None  # nothing leaves before
    arrivals: list[tuple[datetime, Rank, int]] = []
    for index, letter in enumerate(pending):
        ready = letter.planned_moment(zone)
        arrivals.append((ready if start is None else max(ready, start), letter.rank, index))
    heapq.heapify(arrivals)
    book = _QuotaBook(journal, per_day, zone)
    #: Letters whose window was open when they came and found no slot, best first.
    waiting: list[tuple[Rank, int]] = []
    at = arrivals[0][0] if arrivals else datetime.max.replace(tzinfo=UTC)
    while arrivals or waiting:
        if waiting and book.free(at):
            _, index = heapq.heappop(waiting)
            letter = pending[index]
            opens = letter.next_open(at)
            if opens >= letter.deadline:
                book.lose(index, letter.key)
            elif opens == at:
                book.move(index, at)
                book.send(at)
            else:  # its window closed while it waited: it comes back when it opens
                heapq.heappush(arrivals, (opens, letter.rank, index))
            continue
        nxt = [arrivals[0][0]] if arrivals else []
        if waiting:
            nxt.append(book.frees())
        was, at = at, max(at, min(nxt))
        if waiting and at.astimezone(zone).date() != was.astimezone(zone).date():
            waiting = _new_day(waiting, pending, at, book, arrivals)
        while arrivals and arrivals[0][0] <= at:
            came, rank, index = heapq.heappop(arrivals)
            book.move(index, came, pending[index].key)
            heapq.heappush(waiting, (rank, index))
    return book.days()


def _new_day(
    waiting: list[tuple[Rank, int]],
    pending: list[QuotaLetter],
    at: datetime,
    book: _QuotaBook,
    arrivals: list[tuple[datetime, Rank, int]],
) -> list[tuple[Rank, int]]:
    """The letters still waiting for a slot on the day ``at`` begins: those whose window opens on
    it wait on (its letters now, as a send that day counts them); the others come back when it
    next opens (``arrivals``), or are lost when their catch-up period ends first."""
    day = at.astimezone(book.zone).date()
    still: list[tuple[Rank, int]] = []
    for rank, index in waiting:
        letter = pending[index]
        opens = letter.next_open(at)
        if opens >= letter.deadline:
            book.lose(index, letter.key)
        elif opens.astimezone(book.zone).date() == day:
            book.move(index, at)
            still.append((rank, index))
        else:
            heapq.heappush(arrivals, (opens, rank, index))
    heapq.heapify(still)
    return still


class _QuotaBook:
    """:func:`quota_forecast`'s ledger: the sends in the rolling 24 hours, and by day the letters
    that could go on it, how many went, and what became of the rest."""

    def __init__(self, journal: list[datetime], per_day: int, zone: tzinfo) -> None:
        self.journal, self.per_day, self.zone = journal, per_day, zone
        self.taken = list(journal)  # every send, past and foreseen, in order (none after the moment asked)
        #: By day: its letters (index → carried from an earlier day), how many went, the journal's sends then.
        self.pools: dict[date, dict[int, bool]] = defaultdict(dict)
        self.went: Counter[date] = Counter()
        self.journal_then: dict[date, int] = {}
        self.later: dict[date, list[JournalKey]] = defaultdict(list)
        self.lost: dict[date, list[JournalKey]] = defaultdict(list)
        self.day_of: dict[int, date] = {}  # each letter's day now
        self.keys: dict[int, JournalKey] = {}

    def free(self, at: datetime) -> bool:
        """Whether a letter may leave at ``at`` (fewer than ``per_day`` sends in the 24 hours before)."""
        return len(self.taken) - bisect.bisect_right(self.taken, at - DAY) < self.per_day

    def frees(self) -> datetime:
        """When the next slot frees, the quota being full: the oldest send that makes room ages out."""
        return self.taken[len(self.taken) - self.per_day] + DAY

    def send(self, at: datetime) -> None:
        self.taken.append(at)
        self.went[at.astimezone(self.zone).date()] += 1

    def move(self, index: int, at: datetime, key: JournalKey | None = None) -> None:
        """The letter ``index`` may go on ``at``'s day: if it was another's, it is "later" there."""
        if key is not None:
            self.keys[index] = key
        day = at.astimezone(self.zone).date()
        was = self.day_of.get(index)
        if was == day:
            return
        if was is not None:
            self.later[was].append(self.keys[index])
        self.day_of[index] = day
        self.pools[day][index] = was is not None
        if day not in self.journal_then:
            self.journal_then[day] = len(self.journal) - bisect.bisect_right(self.journal, at - DAY)

    def lose(self, index: int, key: JournalKey) -> None:
        self.lost[self.day_of[index]].append(key)

    def days(self) -> list[QuotaDay]:
        """The days some of whose letters did not go on them, in order."""
        listed: list[QuotaDay] = []
        for day in sorted(set(self.later) | set(self.lost)):
            pool = self.pools[day]
            carried = sum(pool.values())
            later, lost = tuple(self.later[day]), tuple(self.lost[day])
            listed.append(
                QuotaDay(
                    day, len(pool) - carried, carried, self.went[day], later, lost, self.journal_then[day]
                )
            )
        return listed


def quota_day_words(day: QuotaDay) -> str:
    """Pure: what ``check`` and ``preview`` say of a day over the quota, naming the occasions held back."""
    waiting = f" (and {day.carried} held back before)" if day.carried else ""
    spent = f" ({day.sent} already sent in the last 24 hours)" if day.sent else ""
    occasions = Counter(key[1] for key in (*day.later, *day.expire))
    named = ", ".join(f"{name} {n}" for name, n in sorted(occasions.items(), key=lambda kv: (-kv[1], kv[0])))
    fate = []
    if day.later:
        fate.append(f"{len(day.later)} go on a later day if the quota has room then")
    if day.expire:
        fate.append(f"{len(day.expire)} expire (their catch-up period ends first)")
    return (
        f"{day.day:%d.%m.%Y}: {day.planned} letters planned{waiting}, delivery.rate_limit.per_day lets"
        f" {day.allowed} through{spent}; {day.held} held back ({named}): {'; '.join(fate)}"
    )


def held_back(days: Iterable[QuotaDay]) -> dict[JournalKey, tuple[date, str]]:
    """Pure: each letter the quota holds back, the day it was held and its fate (``later`` or
    ``expires``) — the last day that held it tells."""
    fates: dict[JournalKey, tuple[date, str]] = {}
    for day in days:
        fates.update((key, (day.day, "later")) for key in day.later)
        fates.update((key, (day.day, "expires")) for key in day.expire)
    return fates


def window_opener(tz: ZoneInfo, window: SendWindow, cal: WorkCalendar) -> WindowOpener:
    """A recipient's :class:`WindowOpener`: :func:`~greeter.calendar_rules.next_window_open` in
    their zone and calendar, for the day a letter was planned on, remembered by moment and day (a
    forecast asks the same midnight of every letter held back that day; a send, the same freed
    slot of every letter left)."""
    seen: dict[tuple[datetime, date | None], datetime] = {}

    def opens(moment: datetime, planned_at: datetime | None = None) -> datetime:
        letter_day = None if planned_at is None else planned_at.astimezone(tz).date()
        found = seen.get((moment, letter_day))
        if found is None:
            try:
                found = next_window_open(moment, tz, window, cal, letter_day)
            except ValueError:  # no sending time in ten years: the letter never goes
                found = NEVER
            seen[(moment, letter_day)] = found
        return found

    return opens


def openers_of(
    settings: Settings,
    zones: Mapping[str, ZoneInfo],
    calendar_of: Callable[[str], WorkCalendar] | None,
    planned: Mapping[JournalKey, datetime | None],
) -> Callable[[JournalKey], Opener]:
    """Each letter's :data:`Opener` by journal key: its recipient's zone (``zones``, else the
    config's) and calendar (``calendar_of``) as the plan has them, and its planned moment
    (``planned``), as the send's window watch asks; one window opener per zone and calendar.

    WHY the planned moment: a letter ``day_off_policy: on_day`` planned on a day off may leave
    that day, within its hours. Asked as for any letter, a quota slot freeing at 14:25 on that
    Sunday "opened" on Monday, past the letter's catch-up period: the run said it expired (exit
    1) and then sent it at 14:25.
    """
    assert calendar_of is not None, "a planned cycle knows its recipients' calendars"
    default = ZoneInfo(settings.defaults.timezone)
    openers: dict[tuple[ZoneInfo, WorkCalendar], WindowOpener] = {}

    def opener_of(key: JournalKey) -> Opener:
        zone_cal = (zones.get(key[0], default), calendar_of(key[0]))
        found = openers.get(zone_cal)
        if found is None:
            found = openers[zone_cal] = window_opener(zone_cal[0], settings.send_window, zone_cal[1])
        return partial(found, planned_at=planned.get(key))

    return opener_of


def quota_letters(items: Iterable[PlanItem], pw: PlanWindow) -> Iterator[QuotaLetter]:
    """The plan's letters still to leave (``send``), as :func:`quota_forecast` reads them.

    Each one's deadline is the earliest of its occasions' (a merged letter is lost with the
    first), counted as the send counts it (:func:`~greeter.delivery_timing.letter_deadline`), on
    the day in the config's zone it is planned for; and its recipient's send window, to
    tell when it may go if the quota holds it back.
    """
    from greeter.delivery_timing import letter_deadline
    from greeter.planner import contact_zone

    settings = pw.settings
    zone = ZoneInfo(settings.defaults.timezone)
    openers: dict[tuple[ZoneInfo, WorkCalendar], WindowOpener] = {}
    for item in items:
        if item.status != "send" or item.send_at is None:
            continue
        hits = (item.hit, *item.also)
        contact = item.hit.contact
        tz, cal = contact_zone(contact, settings), pw.calendar_for(contact.country)
        opens = openers.get((tz, cal))
        if opens is None:
            opens = openers[(tz, cal)] = window_opener(tz, settings.send_window, cal)
        yield QuotaLetter(
            item.hit.key,
            item.send_at.astimezone(zone).date(),
            min(letter_deadline(settings, hit.key, tz, cal) for hit in hits),
            tuple(hit.priority for hit in hits),
            partial(opens, planned_at=item.send_at),
            item.send_at,
        )


def over_quota(items: Iterable[PlanItem], pw: PlanWindow, sent: Iterable[datetime] = ()) -> list[QuotaDay]:
    """:func:`quota_forecast` of a plan under its config's ``per_day`` ([] without one), from the
    slots the letters ``sent`` in the last 24 hours took, nothing leaving before the plan's ``now``."""
    per_day = pw.settings.delivery.rate_limit.per_day
    if per_day is None:
        return []
    zone = ZoneInfo(pw.settings.defaults.timezone)
    return quota_forecast(quota_letters(items, pw), per_day, zone, sent, pw.now)


def expiring_before(
    ranks: Iterable[Rank],
    left: int,
    free_at: datetime,
    opener_of: Callable[[JournalKey], Opener] | None = None,
) -> int:
    """Pure: of the ``left`` letters a batch the quota ended left unsent — the last ``left`` of
    ``ranks`` in :func:`quota_rank` order, as they were handed out — how many have a deadline
    no later than the moment they could next go: the first moment their recipient's window is
    open for them (``opener_of``, by journal key: :func:`openers_of`; None: any moment is) at or
    after ``free_at``, the quota's next slot. Those expire, whatever runs meanwhile. WHY the
    window: a slot freeing on Friday past the cut-off lets nothing go before Monday, and letters
    whose catch-up ended on Saturday were promised "left until" Friday 17:05, then expired with
    exit 0."""
    if left <= 0:
        return 0
    return sum(lost_at_slot(rank, free_at, opener_of) for rank in sorted(ranks)[-left:])


def lost_at_slot(
    rank: Rank, free_at: datetime, opener_of: Callable[[JournalKey], Opener] | None = None
) -> bool:
    """Pure: whether the letter of ``rank`` expires before it could go once the quota frees a slot
    at ``free_at``: its deadline is no later than the first moment its recipient's window is open
    for it (``opener_of``, by journal key; None: any moment is) from then on. :func:`expiring_before`'s
    rule for one letter, which a dry run's listing marks it by (``mark_held``)."""
    _, _, (_, _, contact_id), occasion, day = rank
    opens = free_at if opener_of is None else opener_of((contact_id, occasion, day))(free_at)
    return rank[0] <= opens


def quota_expiry_words(
    held_at: datetime | None,
    meant: date,
    zone: tzinfo,
    ends: datetime | None = None,
    opener: Opener | None = None,
) -> str | None:
    """Pure: why a greeting expired when the daily quota held letters back after it was meant to
    leave (``meant``: its occasion's day less ``days_before``, in the recipient's ``zone``), else None.

    ``held_at``: the journal's notice of the last run that ended at the quota, already within the
    catch-up period (:func:`held_recently`). Its row said the window it missed — "the next window
    (11.01) is more than 3 days after 29.12" — of a letter whose window was open at run after run
    while the quota kept it back: the operator looked at cron, not at ``per_day``.

    Not the quota when its slots were free again before the letter's catch-up period ended
    (``ends``) — a day after ``held_at`` at the latest, the quota counting 24 hours — at a moment
    its recipient's window was open (``opener``: :func:`window_opener`'s, None: any moment is):
    then no run came in time (greeter was down for days, as the planner's words say), and every
    run that did come would have found the slot. A daemon stopped the day the quota held its
    letters and started three days later had them all "held back by the daily quota until its
    catch-up period ended", the quota having freed its slot the next morning.
    """
    if held_at is None or held_at.astimezone(zone).date() < meant:
        return None
    if ends is not None:
        freed = held_at + timedelta(days=1)
        if (freed if opener is None else opener(freed)) < ends:
            return None
    return (
        f"the daily quota (delivery.rate_limit.per_day) held it back on {held_at.astimezone(zone):%d.%m}"
        " until its catch-up period ended"
    )


def held_recently(held_at: datetime | None, now: datetime, catch_up_days: int) -> bool:
    """Pure: whether the daily quota held letters back (the journal's notice of it, ``held_at``)
    recently enough to have cost the greetings expiring at ``now``: within their catch-up period."""
    return held_at is not None and held_at >= now - timedelta(days=catch_up_days + 1)
