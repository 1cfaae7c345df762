"""``greeter calendar``: upcoming greetings as an iCalendar file for managers' calendars.

One all-day event per letter on its send day (recipient's local date). The
event is the *letter*, not the occasion: its title says so and gives each
occasion its own day, in the order of those days — «Поздравление: Иван
Петрович Иванов — Новый год 29 декабря, День рождения 7 января (67 лет)» on
30 December — because a manager glancing at the 30th must not read "Ivan's
birthday is today", and the anniversary number stands right after the
occasion it counts. The words are the team's language, like the preview
gallery's, the other thing managers read (``defaults.locale``: a language with
a table — Russian, English, German, Estonian, Hungarian, Serbian —, else
English: :mod:`greeter.gallery_lang`), and the occasions' ``title``s the
config gives them (greeter's terminal output and logs stay English). Each
event has a stable UID, so importing a newer file updates events instead of
duplicating them. For an occasion of a date column
(a birthday, a company's founding) the UID names the contact, the occasion
and the *year*, not the day: a birthday corrected in the CRM moves its event
instead of leaving the old one behind.
Every export carries a higher SEQUENCE (seconds since 2020 by the real
clock, whatever ``--now`` says), so calendar clients take a re-import as the
newer version of each event.

Under ``review: required`` each event says its letter's review state, as preview's
gallery says it: awaiting approval, approved (by whom, when), changed since approval.

``--summary-per-day`` (``per_day``) writes one all-day event per day instead of one
per letter — «Greetings: 6512 letters — New Year 6400, Birthday 130» — with the
count of each occasion (a letter carrying two counts under each) and, under
review, of each review state: a year-end calendar of thousands of letters,
6,500 on one day, was no calendar a manager could read. Its UID names the day
only, so a newer export updates that day's event.

RFC 5545 wants at least one component in a calendar: a range with no letter
gets the definition of the config's time zone (a VTIMEZONE, which calendar
apps import silently) instead of an empty VCALENDAR that strict importers
reject.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import cache, partial
from typing import NamedTuple

from icalendar import Calendar, Event, Timezone

from greeter.contacts import readable_address
from greeter.gallery_card_html import APPROVAL_LABELS, approval_words, approver_words
from greeter.gallery_lang import Ui, ui_for
from greeter.i18n import format_date
from greeter.i18n_script import names_in_script
from greeter.plan_types import Draft, Hit, PlanItem
from greeter.zone_label import zone_label

#: SEQUENCE counts seconds from here (it must stay a small non-negative integer for clients).
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)

#: The calendar's last line, after its events (see :func:`calendar_chunks`).
_END = b"END:VCALENDAR\r\n"


def event_uid(item: PlanItem, domain: str, *, yearly: bool = False) -> str:
    """Stable across runs and re-imports: a hash of (contact, occasion, occasion date — or its year).

    ``yearly``: the occasion is a date column's anniversary, once a year per
    contact, so the year identifies it and a corrected date keeps its UID.
    (A holiday chosen by name may fall on several days of one year: those
    keep the date.)
    """
    hit = item.hit
    when = str(hit.date.year) if yearly else hit.date.isoformat()
    digest = hashlib.sha256(f"{hit.contact.id}\x1f{hit.occasion}\x1f{when}".encode()).hexdigest()[:32]
    return f"{digest}@{domain}"


def day_uid(day: date, domain: str) -> str:
    """The UID of ``--summary-per-day``'s event of ``day``: the day alone, so a newer export
    (other counts, other filters) updates it instead of adding a second event that day."""
    digest = hashlib.sha256(f"day\x1f{day.isoformat()}".encode()).hexdigest()[:32]
    return f"{digest}@{domain}"


def occasion_words(hit: Hit, titles: Mapping[str, str], ui: Ui) -> str:
    """«День рождения 7 января (67 лет)»: the occasion's title, its own day, its anniversary.

    A holiday the config titles by its day («23 Февраля») is not given the day twice. A
    29 February greeted in a common year (:attr:`Hit.moved`) is «29 февраля (в этом году —
    28 февраля)»: «28 февраля» alone told a manager the client's birthday is the 28th.
    """
    return _occasion_words(hit.occasion, hit.date, hit.years, hit.moved, titles=titles, ui=ui)


def _occasion_words(
    occasion: str, day: date, years: int | None, moved: bool, *, titles: Mapping[str, str], ui: Ui
) -> str:
    """:func:`occasion_words` of what it says of a hit (the export caches it by these)."""
    title = ui.in_script(titles.get(occasion, occasion))
    said = format_date(day, ui.locale, "day_month")
    if moved:
        said = ui.say("ics.moved", day=format_date(date(2000, 2, 29), ui.locale, "day_month"), moved=said)
    when = "" if said.casefold() in title.casefold() else f" {said}"
    count = f" ({ui.years(years)})" if years is not None else ""
    return f"{title}{when}{count}"


def by_day(hits: Iterable[Hit]) -> list[Hit]:
    """``hits`` in the order of their days (ties as given): a letter for the 24th and the 23rd of
    June listed the 24th first, in the order the occasions were merged."""
    return sorted(hits, key=lambda hit: hit.date)


def calendar_chunks(
    items: Iterable[PlanItem | Draft],
    *,
    now: datetime,
    domain: str,
    name: str,
    yearly: frozenset[str] | set[str] = frozenset(),
    titles: Mapping[str, str] | None = None,
    timezone: str = "UTC",
    exported_at: datetime | None = None,
    locale: str | None = "ru",
    per_day: bool = False,
) -> Iterator[bytes]:
    """An RFC 5545 calendar of the letters to send (skips are not events), a piece at a time.

    The pieces: the VCALENDAR's head, one VEVENT each (each built as an
    :class:`~icalendar.Event` and serialised alone), and its end. Why not one
    :class:`~icalendar.Calendar` holding every event: 150,000 contacts' New Year
    letters held 158,000 events and their serialised copy at once (1.9 GB);
    written piece by piece, a calendar of any size takes the memory of one
    event. The bytes are those ``Calendar.to_ical()`` gives for the whole.

    ``items``: plan items, or drafts whose ``extra`` holds their review state
    (:func:`greeter.preview.with_approval`: ``approval``, ``approved_by``, ``approved_at``),
    which each event's description then says.

    ``exported_at``: when the file is written, by the real clock (``now`` if None) — its
    DTSTAMP and SEQUENCE. Not ``now``, which may be a rehearsal's ``--now``: an export
    rehearsed for a future day stamped a higher SEQUENCE than the real exports after it, and
    a calendar that imported it ignored their updates.

    ``yearly``: the names of the occasions that are a date column's anniversary (see :func:`event_uid`).
    ``titles``: what people call each occasion (``Settings.occasion_titles``); the name if absent.
    ``timezone``: the config's zone, whose definition is the one component of a calendar without
    letters (see the module's doc).
    ``locale``: the team's (``defaults.locale``), whose language the events speak (its table, else English).
    ``per_day``: one event per day with the counts (see the module's doc; :func:`day_uid`), not one
    per letter: only the counts are kept while the letters are read.
    """
    called = titles or {}
    ui = ui_for(locale)
    cal = Calendar()
    cal.add("prodid", "-//greeter//greetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    head: bytes = cal.to_ical()
    if not head.endswith(_END):  # icalendar's own serialisation changed: the pieces would not fit
        raise AssertionError(f"icalendar ended a calendar with {head[-40:]!r}, not {_END!r}")
    yield head[: -len(_END)]
    stamp = (exported_at or now).astimezone(UTC)
    sequence = max(int((stamp - _SEQUENCE_EPOCH).total_seconds()), 0)
    letters = _letters(items)
    events = 0
    # Once per occasion day and per send day, not per letter: 6,500 New Year letters said
    # «Новый год 29 декабря» and «29 декабря 2026 г.» 6,500 times over (Babel's date formatting
    # was a seventh of the export's own time).
    occasion_said = cache(partial(_occasion_words, titles=called, ui=ui))
    words = _Words(
        ui,
        lambda hit: occasion_said(hit.occasion, hit.date, hit.years, hit.moved),
        cache(partial(format_date, locale=ui.locale)),
    )
    pieces = (
        _day_events(letters, domain, called, ui)
        if per_day
        else (_letter_event(item, review, domain, yearly, words) for item, review in letters)
    )
    for uid, day, properties in pieces:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        for key, value in properties:
            event.add(key, value)
        event.add("transp", "TRANSPARENT")
        events += 1
        yield event.to_ical()
    if not events:
        day = now.date()
        yield Timezone.from_tzid(timezone, first_date=day, last_date=day + timedelta(days=366)).to_ical()
    yield _END


#: An event to write: its UID, its (all-day) day, and what it says, property by property.
Said = tuple[str, date, list[tuple[str, object]]]

#: A letter's review state as its draft carries it (``approval``, ``approved_by``, ``approved_at``);
#: empty without ``review: required``.
Review = Mapping[str, str]


def _letters(items: Iterable[PlanItem | Draft]) -> Iterator[tuple[PlanItem, Review]]:
    """The letters to send among ``items`` (skips are not events), each with its review state."""
    for each in items:
        item, review = (each.item, each.extra) if isinstance(each, Draft) else (each, {})
        if item.status == "send" and item.send_at is not None:
            yield item, review


def _review_line(review: Review, ui: Ui) -> str | None:
    """«Одобрение: одобрено — уйдёт в срок… (anna, 06.12.2026 14:03 UTC)»: the gallery's words."""
    said = approval_words(review.get("approval"), ui)
    if said is None:
        return None
    by = approver_words(review.get("approved_by"), review.get("approved_at"), ui)
    return f"{ui.say('meta.approval')}: {' — '.join(said)}{by}"


class _Words(NamedTuple):
    """The words of one export's events, each occasion day and send day said once (see
    :func:`calendar_chunks`)."""

    ui: Ui
    #: :func:`occasion_words` of a hit.
    occasion: Callable[[Hit], str]
    #: A send day, in full («30 декабря 2026 г.»).
    day: Callable[[date], str]


def _letter_event(
    item: PlanItem, review: Review, domain: str, yearly: frozenset[str] | set[str], said: _Words
) -> Said:
    """One letter's event: titled as the greeting, described with its send time, occasions, contact
    and (under review) its review state."""
    assert item.send_at is not None  # _letters keeps only those
    hit, ui, words = item.hit, said.ui, said.occasion
    # a person's name in the events' script, as a letter in it writes it (Latin → Cyrillic too)
    who = " ".join(names_in_script((hit.contact.display_name,), ui.locale)) or hit.contact.id
    occasions = ", ".join(words(h) for h in by_day((hit, *item.also)))
    email = hit.contact.email  # an IDN domain in Unicode: the calendar is read by people
    # the letter's own occasion first (its template), then those riding in it, by their days
    lines = [
        ui.say(
            "ics.leaves",
            day=said.day(item.send_at.date()),
            time=f"{item.send_at:%H:%M}",
            # NDT or -0230, as the table says it: 01:38 in St. John's comes twice on the night DST ends
            label=zone_label(item.send_at),
            zone=item.send_at.tzinfo,
        ),
        ui.say("ics.occasion", occasion=words(hit)),
        *(ui.say("ics.also", occasion=words(h)) for h in by_day(item.also)),
        ui.say("ics.to", who=who, email=email and readable_address(email), id=hit.contact.id),
    ]
    if hit.contact.company:
        company = " ".join(names_in_script((hit.contact.company,), ui.locale, company=True))
        lines.append(ui.say("ics.company", company=company))
    if (state := _review_line(review, ui)) is not None:
        lines.append(state)
    properties: list[tuple[str, object]] = [
        ("summary", ui.say("ics.summary", who=who, occasions=occasions)),
        ("description", "\n".join(lines)),
        ("categories", [hit.occasion]),
    ]
    return event_uid(item, domain, yearly=hit.occasion in yearly), item.send_at.date(), properties


def _day_events(
    letters: Iterable[tuple[PlanItem, Review]], domain: str, called: Mapping[str, str], ui: Ui
) -> Iterator[Said]:
    """One event per send day: how many letters, of which occasions, in which review state."""
    occasions: dict[date, Counter[str]] = defaultdict(Counter)
    states: dict[date, Counter[str]] = defaultdict(Counter)
    sent: Counter[date] = Counter()
    for item, review in letters:
        assert item.send_at is not None  # _letters keeps only those
        day = item.send_at.date()
        sent[day] += 1
        occasions[day].update(h.occasion for h in (item.hit, *item.also))
        if review.get("approval"):
            states[day][review["approval"]] += 1
    for day in sorted(sent):
        # most letters first; ties by name, so a re-export of the same plan says the same
        counted = sorted(occasions[day].items(), key=lambda kv: (-kv[1], kv[0]))
        words = [(ui.in_script(called.get(occasion, occasion)), n) for occasion, n in counted]
        letters_said = ui.count(sent[day], "ics.letters.forms")
        summary = ui.say(
            "ics.day_summary", letters=letters_said, occasions=", ".join(f"{t} {n}" for t, n in words)
        )
        lines = [f"{title}: {n}" for title, n in words]
        if states[day]:
            shown = ", ".join(
                f"{ui.say(APPROVAL_LABELS[state][0])} {states[day][state]}"
                for state in APPROVAL_LABELS
                if states[day][state]
            )
            lines.append(f"{ui.say('meta.approval')}: {shown}")
        # the day's letters one by one, and its occasions leaving in another day's letter or skipped
        lines.append(f"greeter preview --from {day.isoformat()} --days 1")
        said: list[tuple[str, object]] = [
            ("summary", summary),
            ("description", "\n".join(lines)),
            ("categories", sorted(occasions[day])),
        ]
        yield day_uid(day, domain), day, said
