"""The config's ``send_window``: the days and hours letters may leave, in each recipient's own zone.

Weekday names, time ranges and the window itself are together because the
planner's calendar (:mod:`greeter.calendar_rules`) reads them as one rule, and
their checks (lunch inside hours, time left to send before a day off) need each
other. Split out of :mod:`greeter.config` so that each module stays small enough to read.
"""

from __future__ import annotations

import re
from datetime import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import Field, model_validator

from greeter.config_base import COUNTRY, _Model, no_entries, no_items
from greeter.config_types import Day, TimeOfDay, meant_time, minute_of_day, time_pair
from greeter.errors import SettingError


class Weekday(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"

    @property
    def number(self) -> int:
        """Python's ``date.weekday()`` number (Monday is 0)."""
        return list(Weekday).index(self)

    @classmethod
    def meant(cls, text: str) -> Weekday | None:
        """The day a name the config does not take means (``пн``, ``Monday``, ``Пятница``), or None.

        The config names days as ``mon`` … ``sun`` only, so that one file reads
        the same everywhere; a marketer writes them in Russian or in full, and
        is told the name to write instead (never silently accepted).
        """
        return _WEEKDAY_WORDS.get(text.strip().casefold().rstrip("."))

    @classmethod
    def span(cls, text: str) -> list[Weekday] | None:
        """The days of a range written as text (``mon-fri``, ``пн–пт``), in order; None if it is none."""
        ends = re.fullmatch(r"\s*(\w+)\.?\s*(?:-|–|—|\.\.|…)\s*(\w+)\.?\s*", text)
        if ends is None:
            return None
        first, last = cls.meant(ends[1]), cls.meant(ends[2])
        if first is None or last is None or last.number < first.number:
            return None
        return list(Weekday)[first.number : last.number + 1]


#: Day names people write, casefolded, each to the config's name: the names themselves, Russian
#: abbreviations and names, English names and two-letter abbreviations.
_WEEKDAY_WORDS: Final[dict[str, Weekday]] = {
    word: day
    for day, words in zip(
        Weekday,
        (
            ("mon", "пн", "пнд", "понедельник", "monday", "mo"),
            ("tue", "вт", "втр", "вторник", "tuesday", "tu", "tues"),
            ("wed", "ср", "срд", "среда", "wednesday", "we"),
            ("thu", "чт", "чтв", "четверг", "thursday", "th", "thur", "thurs"),
            ("fri", "пт", "птн", "пятница", "friday", "fr"),
            ("sat", "сб", "суб", "суббота", "saturday", "sa"),
            ("sun", "вс", "вск", "воскресенье", "sunday", "su"),
        ),
        strict=True,
    )
    for word in words
}


class TimeRange(_Model):
    start: TimeOfDay
    end: TimeOfDay

    @model_validator(mode="before")
    @classmethod
    def _one_text(cls, value: object) -> object:
        """``lunch: "13:00-14:00"`` reads naturally but is one text: say how to write the two times."""
        if isinstance(value, str):
            start, end = time_pair(value.strip(), loose=True) or ("HH:MM", "HH:MM")
            raise ValueError(f'{value!r} is one text: write the range as {{start: "{start}", end: "{end}"}}')
        if (
            isinstance(value, list | tuple)
            and len(value) == 2
            and all(isinstance(v, str | int) for v in value)
        ):
            start, end = (meant_time(str(v).strip()) or "HH:MM" for v in value)
            raise ValueError(f'write the range as {{start: "{start}", end: "{end}"}}, not as a list')
        return value

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        if self.end <= self.start:
            raise ValueError(f"end {self.end:%H:%M} must be after start {self.start:%H:%M}")
        return self


class HolidaysOf(_Model):
    """A country's holidays that are a region's days off, year after year (``holidays_of``).

    For the movable ones a republic keeps and its country's calendar lacks: Tatarstan's and
    Bashkortostan's Uraza Bayram and Kurban Bayram, on Turkey's dates of Eid al-Fitr and Eid
    al-Adha, so that no one types them in each year. Another country's holiday is its first day
    only (as :func:`~greeter.occasions.holiday_dates` greets one): Turkey's three-day Eid is one
    day off in Kazan. The region's own country's is every day of it
    (:func:`~greeter.occasions.holiday_days`): an office closed for Brazil's Carnival is closed
    Monday and Tuesday.
    """

    country: Annotated[str, Field(pattern=COUNTRY)]
    names: list[str] = Field(min_length=1, description="The holidays' names in that country's calendar")


class RegionalDaysOff(_Model):
    """A region's (or a country's) own days off, besides its public holidays
    (``send_window.regional_days_off``)."""

    days: list[Day] = Field(default_factory=no_items, description="The region's own days off")
    ics: Path | None = Field(default=None, description="An .ics file of the region's days off")
    holidays_of: HolidaysOf | None = Field(
        default=None,
        description=(
            "A country's holidays that are days off here too: another country's each on its first day "
            '({country: TR, names: ["Eid al-Fitr", "Eid al-Adha"]}: Uraza and Kurban Bayram), '
            'its own country\'s on every day ({country: BR, names: ["Carnival"]}: Monday and Tuesday)'
        ),
    )

    @model_validator(mode="after")
    def _some(self) -> RegionalDaysOff:
        if not self.days and self.ics is None and self.holidays_of is None:
            raise ValueError(
                "list the region's days off (days: [2026-08-30]), their calendar (ics: FILE) or another"
                ' country\'s holidays (holidays_of: {country: TR, names: ["Eid al-Fitr"]})'
            )
        return self


#: The default ``send_window.working_days``, as weekday numbers.
MONDAY_TO_FRIDAY: Final = frozenset(range(5))


class SendWindow(_Model):
    """Tactful sending hours, in each recipient's own time zone."""

    working_days: list[Weekday] = Field(
        default_factory=lambda: [Weekday.mon, Weekday.tue, Weekday.wed, Weekday.thu, Weekday.fri]
    )
    #: Per contact country (their ``contacts.columns.country``, else ``defaults.country``): the
    #: working week there, over their country's own weekend and over ``working_days``.
    working_days_by_country: dict[Annotated[str, Field(pattern=COUNTRY)], list[Weekday]] = Field(
        default_factory=no_entries,
        description=(
            "The working week of the clients in a country ({IL: [sun, mon, tue, wed, thu]}); a country "
            "not listed keeps working_days, or its own weekend from the holidays library while "
            "working_days is Monday to Friday"
        ),
    )
    hours: TimeRange = Field(default_factory=lambda: TimeRange(start=time(10), end=time(18)))
    lunch: TimeRange | None = Field(default_factory=lambda: TimeRange(start=time(13), end=time(14)))
    friday_cutoff: TimeOfDay | None = Field(
        default=time(15),
        description=(
            "The end of the day on Fridays and on every other last working day before days off "
            "(the eve of a public holiday); end_margin_minutes apply before it too: with the "
            "defaults the last letter leaves before 14:30"
        ),
    )
    end_margin_minutes: int = Field(default=30, ge=0, le=240, description="Quiet before day's end")
    public_holidays: bool = Field(default=True, description="Public holidays are days off")
    extra_days_off: list[Day] = Field(default_factory=no_items)
    days_off_ics: Path | None = Field(default=None, description="An .ics file of company days off")
    #: Per region (ISO 3166-2, "RU-TA") or country ("IE"): days off its clients have besides their
    #: country's public holidays — for the clients whose country cell (or ``defaults.country``)
    #: names that region only; a country's for all of its clients, its regions' too.
    regional_days_off: dict[Annotated[str, Field(pattern=COUNTRY)], RegionalDaysOff] = Field(
        default_factory=no_entries,
        description=(
            "Days off of a region's or a country's clients only ({RU-TA: {days: [2026-08-30], ics: "
            "tatarstan.ics}}): a contact whose country is RU-TA has RU's public holidays and these; "
            "a country's ({IE: {days: [2027-12-28]}}) are all its clients', its regions' too"
        ),
    )
    day_off_policy: Literal["before", "after", "on_day"] = Field(
        default="before", description="Occasion on a day off: greet the working day before/after"
    )
    #: With ``day_off_policy: before``: the most calendar days a day off may move a greeting
    #: ahead of its day. Russia's New Year break put a 5 January birthday on 30 December, and
    #: greeting a birthday in advance is widely held to bring bad luck there; past the limit the
    #: letter leaves on the first working day after instead. None: no limit.
    max_days_early: int | None = Field(
        default=None,
        ge=0,
        description=(
            "With day_off_policy before: when the working day before is more than this many days "
            "early, greet on the first working day after instead (none: no limit)"
        ),
    )

    @model_validator(mode="before")
    @classmethod
    def _region_names(cls, data: Any) -> Any:
        """A ``regional_days_off`` key written as a region's name (``Татарстан:``) is told its code.

        Before the keys' pattern: it said only "should be a two-letter country code
        in capitals … (got 'Татарстан')", where greeter knows the code meant.
        """
        regions = data.get("regional_days_off") if isinstance(data, dict) else None
        if isinstance(regions, dict):
            from greeter.ru_regions import region_by_name, region_name

            for key in regions:
                code = region_by_name(key) if isinstance(key, str) else None
                if code is not None and code != key:
                    said = f"{key!r} is a region's name: write {code!r} ({region_name(code)})"
                    raise SettingError(said, "regional_days_off", key)
        return data

    @model_validator(mode="after")
    def _coherent(self) -> SendWindow:
        if not self.working_days:
            raise ValueError("working_days must list at least one day")
        if self.max_days_early is not None and self.day_off_policy != "before":
            # Said, not ignored: the setting would read as a promise it cannot keep.
            raise ValueError(
                f"max_days_early applies only with day_off_policy: before (it is {self.day_off_policy})"
                + early_merge_words(self.day_off_policy)
            )
        if len(set(self.working_days)) != len(self.working_days):
            again = next(i for i, day in enumerate(self.working_days) if day in self.working_days[:i])
            twice = self.working_days[again].value
            raise SettingError(f"working_days lists {twice} twice", "working_days", again)
        self._country_weeks_valid()
        self._regions_valid()
        if self.lunch is not None and not (
            self.hours.start <= self.lunch.start and self.lunch.end <= self.hours.end
        ):
            raise SettingError(
                f"lunch {self.lunch.start:%H:%M}–{self.lunch.end:%H:%M} must lie inside hours "
                f"{self.hours.start:%H:%M}–{self.hours.end:%H:%M}",
                "lunch",
            )
        # A day with no sending time would make the planner send outside the window (or find none).
        if self._minutes_to_send(self.hours.end) <= 0:
            raise ValueError("no time left to send: hours minus lunch minus end_margin_minutes is empty")
        cutoff = self.friday_cutoff
        if cutoff is not None and cutoff < self.hours.end and self._minutes_to_send(cutoff) <= 0:
            raise SettingError(
                f"friday_cutoff {cutoff:%H:%M} leaves no time to send before a day off "
                "(after hours.start, lunch and end_margin_minutes)",
                "friday_cutoff",
            )
        return self

    def _country_weeks_valid(self) -> None:
        """``working_days_by_country``: each a country with a holiday calendar, each week as
        ``working_days`` must be (a day at least, none twice), the error at the entry to fix."""
        if not self.working_days_by_country:
            return
        # Only here: the holiday library's country list is not paid for by a config without the map.
        from greeter.countries import calendar_refusal
        from greeter.holiday_tables import has_calendar

        for code, days in self.working_days_by_country.items():
            if not has_calendar(code):
                raise SettingError(calendar_refusal(code), "working_days_by_country", code)
            if not days:
                raise SettingError(f"{code} must list at least one day", "working_days_by_country", code)
            if len(set(days)) != len(days):
                again = next(i for i, day in enumerate(days) if day in days[:i])
                raise SettingError(
                    f"{code} lists {days[again].value} twice",
                    "working_days_by_country",
                    code,
                    again,
                )

    def _regions_valid(self) -> None:
        """``regional_days_off``: each key a country or a region of ISO 3166-2 (:func:`region_refusal`);
        then declared (:func:`~greeter.holiday_tables.declare_regions`), so that a contact's ``RU-TA``
        is read as a calendar, Russia's — always, so that a config without the map withdraws an
        older one's."""
        from greeter.holiday_tables import declare_regions

        for code in self.regional_days_off:
            why = region_refusal(code)
            if why is not None:
                raise SettingError(why, "regional_days_off", code)
        declare_regions(self.regional_days_off)

    def days_off_entries(self, country: str | None) -> tuple[str, ...]:
        """The ``regional_days_off`` keys whose days off clients of ``country`` have: its country's
        entry ("DE", every German client's Heiligabend), then its own ("DE-BY"), those present."""
        if country is None:
            return ()
        whole = country.partition("-")[0]
        return tuple(code for code in dict.fromkeys((whole, country)) if code in self.regional_days_off)

    def regional_days(self, country: str | None) -> frozenset[Day]:
        """The days off ``regional_days_off`` lists for clients of ``country``: its entry's and its
        country's (:meth:`days_off_entries`); none for another country."""
        entries = (self.regional_days_off[code] for code in self.days_off_entries(country))
        return frozenset(day for entry in entries for day in entry.days)

    def borrowed_holidays(self, country: str | None) -> tuple[str, tuple[str, ...], bool] | None:
        """``(country, names, own)`` of the holidays that are days off for clients of ``country``: its
        ``regional_days_off`` entry's ``holidays_of``, else its country's entry's
        (:meth:`days_off_entries`, the region's own first); None: none. ``own``: they are the
        entry's own country's (BR's for BR or BR-SP), so every day of each is off
        (:func:`~greeter.calendar_rules.borrowed_days_off`)."""
        for code in reversed(self.days_off_entries(country)):
            found = self.regional_days_off[code].holidays_of
            if found is not None:
                return found.country, tuple(found.names), found.country == code.partition("-")[0]
        return None

    def fixed_week(self, country: str | None) -> frozenset[int] | None:
        """The working week (weekday numbers, Monday 0) the config sets for clients of ``country``;
        None when their country's own weekend decides it.

        ``working_days_by_country`` wins (a region's entry, "MY-01", over its country's, "MY"):
        it names the country. Then a ``working_days`` other than Monday to Friday, for every
        country: a company that greets on Saturdays chose that week on purpose. Left at Monday to
        Friday, it says only "the working week", and Israel's is Sunday to Thursday: a Friday
        letter there lands on a day off. ``country`` None (no country at all): ``working_days``.
        """
        if country is not None and self.working_days_by_country:
            days = self.working_days_by_country.get(country)
            if days is None:
                days = self.working_days_by_country.get(country.partition("-")[0])
            if days is not None:
                return frozenset(day.number for day in days)
        week = frozenset(day.number for day in self.working_days)
        return week if country is None or week != MONDAY_TO_FRIDAY else None

    def last_sending_minute(self, end: time) -> int:
        """The minute of the day (:func:`minute_of_day`) sending stops on a day that ends at ``end``:
        ``end_margin_minutes`` before it."""
        return minute_of_day(end) - self.end_margin_minutes

    def _minutes_to_send(self, end: time) -> int:
        """Minutes of sending time in a day that ends at ``end`` (wall clock)."""
        first, last = minute_of_day(self.hours.start), self.last_sending_minute(end)
        total = max(last - first, 0)
        if self.lunch is not None:
            overlap = min(last, minute_of_day(self.lunch.end)) - max(first, minute_of_day(self.lunch.start))
            total -= max(overlap, 0)
        return total


def early_merge_words(policy: str) -> str:
    """What follows "max_days_early applies only with day_off_policy: before (it is after)" (pure):
    the setting that does bound a greeting in advance under ``policy``.

    ``max_days_early: 0`` under ``after`` means "never greet in advance"; the refusal alone left
    the marketer to drop it and believe it so, while a letter of another occasion may still carry
    this one ahead of its day (a merge) — which ``merge_max_days_early`` bounds.
    """
    return (
        f"; with {policy} no day off moves a letter ahead — an occasion greeted early in another "
        "occasion's letter is bounded by its merge_max_days_early (0: never carried ahead)"
    )


def region_refusal(code: str) -> str | None:
    """Why ``code`` cannot key ``regional_days_off`` (None: it can): a country with a holiday
    calendar ("IE"), or a region of one as ISO 3166-2 writes it — the library's regions of the
    country where it has them ("DE-BY"), else Russia's subjects (:mod:`greeter.ru_regions`), which
    the library lacks."""
    from greeter.countries import calendar_refusal, regions_of
    from greeter.holiday_tables import has_calendar
    from greeter.ru_regions import RU_REGIONS

    country, _, region = code.partition("-")
    if not has_calendar(country):
        return calendar_refusal(country)
    if not region:
        return None  # a country: days off of all its clients, its regions' too (IE's 27–28 December)
    known = regions_of(country)
    if known:
        if code in known:
            return None
        listed = ", ".join(known[:8]) + (f" and {len(known) - 8} more" if len(known) > 8 else "")
        return f"{country} has no region {region!r} (its regions: {listed})"
    if country == "RU":
        if region in RU_REGIONS:
            return None
        return f"RU has no region {region!r} in ISO 3166-2 (Tatarstan is RU-TA, Bashkortostan RU-BA)"
    return f"greeter knows no regions of {country}: its clients have {country}'s holidays (write {country!r})"
