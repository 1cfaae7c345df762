"""Which occasions a contact has in a date range — pure, no clock.

Turns the configured occasions (a contact date field recurring yearly, a fixed
``MM-DD``, a public holiday by name, one-off dates) into :class:`Hit` records
with the anniversary number. Data errors found on the way (a date in the
future, an age over ``max_years`` or under ``min_years``, a date the source
could not parse) become hits carrying a ``problem`` so the planner reports
them as ``invalid_contact`` instead of silently greeting nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from greeter.config import Occasion, Settings
from greeter.contacts import Contact
from greeter.holiday_tables import (
    derived,
    greeted_days_of,
    has_calendar,
    library_countries,
    looked_up_days,
    unmarked,
)
from greeter.plan_types import Hit
from greeter.plan_types import new_hit as _hit
from greeter.sources.dates import is_yearless
from greeter.wording import counted


def anniversary(original: date, year: int, leap_day: str = "feb28") -> date:
    """``original``'s month and day in ``year``; 29 February moves in common years.

    ``leap_day`` is ``"feb28"`` (the default, greet on the last day of
    February) or ``"mar1"``.
    """
    if original.month == 2 and original.day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 3, 1) if leap_day == "mar1" else date(year, 2, 28)
    return original.replace(year=year)


def next_years(original: date, today: date, leap_day: str = "feb28") -> int:
    """The years ``original`` reaches at its next anniversary on or after ``today``: the planner's age.

    ``check`` judges ``min_years``/``max_years`` by it, so that check and
    preview agree: on 4 Dec 2026 a client born 12.01.2013 is greeted at 14
    in January, not found "13 years" by ``today.year - original.year``. The
    day itself is no anniversary (the planner skips it), so a date of today
    gives the next year's.
    """
    year = today.year
    if anniversary(original, year, leap_day) < today or original == today:
        year += 1
    return year - original.year


def implausible(
    field: str, original: date, years: int, today: date, max_years: int, min_years: int = 0
) -> str | None:
    """Why a contact's date cannot be greeted (a data error), or None: in the future, too old, too recent.

    The planner skips such an anniversary as ``invalid_contact``; ``check``
    reports the same words at the contact's row, so a marketer finds the
    18.12.2030 birthday before any preview. A date without a year
    (:func:`~greeter.sources.dates.is_yearless`) is neither: it has no age.
    Each message says what most often made the date so, since that is what
    the marketer fixes: Excel stores a day typed without its year ("21.12")
    in the year it was typed, so a birthday "gives 1 year" (``min_years``);
    CRMs and Excel write 1900 (or an Excel epoch) for "year unknown".
    """
    if is_yearless(original):
        return None
    if original <= today and min_years <= years <= max_years:
        return None  # the usual case: no message to word
    written = _written(original)
    if original > today:
        future = f"{field} {written} is in the future"
        if original.year == today.year:  # a day ahead typed this year: Excel gave it the year it was typed
            future += f": {TYPED_WITHOUT_YEAR}; write it as {_yearless(original)}"
        return future
    if years > max_years:
        too_old = f"{field} {written} gives {counted(years, 'year')} (more than {max_years})"
        if original.year in PLACEHOLDER_YEARS:
            too_old += (
                f": {original.year} is often a placeholder for an unknown year;"
                f" write the day without a year ({_yearless(original)})"
            )
        return too_old
    if years < min_years:
        return (
            f"{field} {written} gives {counted(years, 'year')} (fewer than min_years {min_years}):"
            f" {TYPED_WITHOUT_YEAR}; write it as {_yearless(original)}"
        )
    return None


#: What most often makes a date too recent, or ahead this year: Excel stores "21.12" as 21.12.<year typed>.
TYPED_WITHOUT_YEAR = "a day typed without its year gets the year it was typed in"

#: Years CRMs and Excel write for "year unknown": 1900 (Excel's and many CRMs' empty year), and
#: Excel's epochs — 1899 (its day 0 is 30.12.1899) and 1904 (the Mac workbook's).
PLACEHOLDER_YEARS = frozenset({1899, 1900, 1904})


def _yearless(day: date) -> str:
    """``25.12 or --12-25``: ``day`` as a day without a year, in the two forms a source reads as one."""
    return f"{day.day:02d}.{day.month:02d} or --{day.month:02d}-{day.day:02d}"


def _written(day: date) -> str:
    """``13.04.0080``: a date as a CRM writes it, the year in four digits.

    ``%Y`` does not pad a year below 1000 (``13.04.80``), which reads as 1980
    and hides the typo the message is about.
    """
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def holiday_key(name: str) -> str:
    """How holiday names are compared: any case, any spacing, ё as е, a typographic apostrophe as '.

    A marketer copies "International Women’s Day" from a document, or types
    "международный женский день": both are the holiday the library names.
    """
    return " ".join(name.casefold().replace("ё", "е").replace("’", "'").replace("ʼ", "'").split())


@derived
@lru_cache(maxsize=256)
def holiday_days(country: str, name: str, year: int) -> tuple[date, ...]:
    """Every day in ``year`` of ``country``'s holiday called ``name`` (as :func:`holiday_dates` reads
    the name), moved days off aside: Brazil's Carnival is its Monday and its Tuesday.

    For the days off a region takes from its own country's calendar (``holidays_of``): an office
    closed for Carnival is closed both days, though its letter is sent once.
    """
    return _observed_days(country, holiday_key(unmarked(country, name)), year)


#: Days of one holiday closer than this are one holiday: Russia's New Year holidays (1–6 and 8
#: January, Christmas on the 7th between them), Serbia's two days of Statehood Day.
HOLIDAY_RUN_GAP = timedelta(days=7)


@derived
@lru_cache(maxsize=256)
def _observed_days(country: str, wanted: str, year: int) -> tuple[date, ...]:
    """The days of ``year`` that ``country`` is off for the holiday :func:`holiday_key` calls ``wanted``."""
    return tuple(
        day
        for day, on_day in sorted(greeted_days_of(country, year).items())
        if any(not h.substitute and any(holiday_key(n) == wanted for n in h.names) for h in on_day)
    )


@derived
@lru_cache(maxsize=256)
def holiday_dates(country: str, name: str, year: int) -> tuple[date, ...]:
    """The days in ``year`` to greet on for ``country``'s holiday called ``name``: each one's first day.

    ``name`` may be the library's English name or the one in the country's
    own language ("Международный женский день"), compared by
    :func:`holiday_key`, with or without the library's mark of an estimated
    date ("Eid al-Adha (estimated)": :func:`~greeter.holiday_tables.unmarked`),
    which comes and goes with the years. A working day moved onto a date ("Day off
    (substituted from …)") is no holiday to greet. A holiday of several days
    (Russia's "Новогодние каникулы", 1–8 January; Serbia's Statehood Day,
    15–16 February) is greeted once, on its first day: its days less than
    :data:`HOLIDAY_RUN_GAP` apart are one holiday, even across New Year.
    """
    wanted = holiday_key(unmarked(country, name))
    days = _observed_days(country, wanted, year)
    if not days:
        return ()
    # Only a run that may have begun last year needs last year's calendar (often not loaded).
    early = days[0] - date(year, 1, 1) < HOLIDAY_RUN_GAP
    last_year = _observed_days(country, wanted, year - 1) if early else ()
    before = [d for d in last_year if days[0] - d < HOLIDAY_RUN_GAP]
    previous = before[-1] if before else None
    first: list[date] = []
    for day in days:
        if previous is None or day - previous >= HOLIDAY_RUN_GAP:
            first.append(day)
        previous = day
    return tuple(first)


def holiday_country(name: str, country: str, default_country: str, years: range) -> str:
    """Whose calendar dates holiday ``name`` for a client of ``country``: theirs if it has it, else default's.

    "Christmas Day" is 25 December for a Hungarian client and 7 January for a
    Russian one. A holiday the client's country does not have by that name
    (a Russian name, "День России", for a client in Kazakhstan) keeps the
    default country's date, as before countries were asked.
    """
    if country == default_country or has_holiday(country, name, years):
        return country
    return default_country


@derived
@lru_cache(maxsize=1024)
def holiday_title(name: str, country: str, default_country: str, day: date, language: str) -> str | None:
    """What the holidays library calls holiday ``name`` (of ``day``'s year) in ``language`` (``ka``,
    ``en``), for a client of ``country`` (dated as :func:`holiday_country` dates it); None where it
    has no name there.

    Why: an occasion ``holiday: "ქრისტეშობა"`` without a ``title`` rendered ``occasion_title`` as
    None in every Georgian letter (a template printing it failed), though the library names
    the day in Georgian. A letter's own title (``title_by_locale``, ``title``) comes first
    (:meth:`greeter.render.Renderer.render`); this is what it falls back to.
    """
    whose = holiday_country(name, country, default_country, range(day.year, day.year + 1))
    wanted = holiday_key(unmarked(whose, name))
    table = greeted_days_of(whose, day.year)
    # Its own day first; any day of the year names it alike (check renders every occasion on one day).
    for on_day in (table.get(day, ()), *table.values()):
        for holiday in on_day:
            if not holiday.substitute and any(holiday_key(n) == wanted for n in holiday.names):
                return dict(holiday.named).get(language)
    return None


def named_countries(settings: Settings) -> tuple[str, ...]:
    """The countries a config names — ``defaults.country``, each occasion's ``country:`` and
    ``audience.countries`` — in that order, each once (as ``check`` takes the config's)."""
    occasions = settings.occasions
    return tuple(
        dict.fromkeys(
            [
                settings.defaults.country,
                *(o.country for o in occasions if o.country),
                *(c for o in occasions for c in o.audience.countries or ()),
            ]
        )
    )


def has_holiday(country: str, name: str, years: range) -> bool:
    """Whether ``country``'s calendar has a holiday called ``name`` in ``years`` or a year either side."""
    wanted = holiday_key(unmarked(country, name))
    return any(_observed_days(country, wanted, year) for year in range(years.start - 1, years.stop + 1))


def not_in_calendar(country: str, name: str, day: date) -> str:
    """Why a client of ``country`` gets no letter for holiday ``name`` on ``day`` (another country's).

    The ``outside_audience`` detail of :meth:`HolidayStep.hits_for`'s refused hits:
    "KZ's calendar has no holiday named 'Nowruz'; it calls 21.03 'Nowruz Holiday'" —
    the name the client's calendar has on that day or a day off it, which is what a
    marketer writes in an occasion of its own. Asked once per (country, day) of a plan.
    """
    said = f"{country}'s calendar has no holiday named {name!r}"
    near = holiday_near(country, day, 1)
    return f"{said}; it calls {near[1]:%d.%m} {near[0]!r}" if near is not None else said


def holiday_near(country: str, day: date, span: int) -> tuple[str, date] | None:
    """The holiday ``country``'s calendar has on ``day``, else ``span`` days off it (nearest first,
    the day before first): its library name and the day found; None. Moved days off are none."""
    for offset in sorted(range(-span, span + 1), key=abs):
        on = day + timedelta(days=offset)
        found = next((h for h in greeted_days_of(country, on.year).get(on, ()) if not h.substitute), None)
        if found is not None:
            return found.names[0], on
    return None


def countries_having(
    name: str, countries: Iterable[str], years: Sequence[int], *, limit: int | None = None
) -> list[str]:
    """Those of ``countries`` with a holiday called ``name`` in any of ``years``, in the order given.

    For ``check``: a holiday without ``country:`` is each client's country's, so
    a name is good when a country greeted has it, and a name no country has it
    under is told which do. Stops after ``limit`` found (is there any at all?).
    Moved days off ("Victory Day (observed)") are no holiday name.
    """
    found: list[str] = []
    for country in countries:
        if limit is not None and len(found) >= limit:
            break
        tables = [looked_up_days(country, year) for year in years]  # first: they bring its marks
        wanted = holiday_key(unmarked(country, name))
        if any(
            not h.substitute and any(holiday_key(n) == wanted for n in h.names)
            for table in tables
            for on_day in table.values()
            for h in on_day
        ):
            found.append(country)
    return found


def known_holidays(country: str, years: Sequence[int]) -> list[tuple[str, ...]]:
    """Every holiday of ``country`` in ``years`` one may greet on, each as its names (English first).

    For ``check``: the names a config may use, and the list it shows when a
    name matches none. Moved working days are left out.
    """
    found: dict[tuple[str, ...], None] = {}
    for year in years:
        for on_day in greeted_days_of(country, year).values():
            found.update((h.names, None) for h in on_day if not h.substitute)
    return sorted(found, key=lambda names: holiday_key(names[0]))


def occasion_days(
    occ: Occasion,
    default_country: str,
    start: date,
    end: date,
    leap_day: str = "feb28",
    dated: Collection[date] = (),
) -> list[date]:
    """Occasion dates of a contact-independent occasion whose greeting day is in [start, end].

    A fixed ``"02-29"`` in a common year moves like a 29 February birthday (``leap_day``).
    A holiday is ``occ.country``'s, else ``default_country``'s: for a client
    of another country pass theirs (see :func:`holiday_country`). An ``ics``
    occasion's days are read from its file by the caller (I/O stays at the
    edge) and passed as ``dated``.
    """
    days: list[date] = []
    lo, hi = start + timedelta(days=occ.days_before), end + timedelta(days=occ.days_before)
    if occ.on is not None or occ.ics is not None:
        return [d for d in (occ.on if occ.on is not None else sorted(dated)) if lo <= d <= hi]
    for year in range(lo.year, hi.year + 1):
        if occ.date is not None:
            month, day = (int(x) for x in occ.date.split("-"))
            candidates: tuple[date, ...] = (anniversary(date(2000, month, day), year, leap_day),)
        elif occ.holiday is not None:
            candidates = holiday_dates(occ.country or default_country, occ.holiday, year)
        else:
            continue
        days.extend(d for d in candidates if lo <= d <= hi)
    return days


def contact_hits(
    contact: Contact,
    settings: Settings,
    start: date,
    end: date,
    *,
    today: date,
    fixed: dict[str, list[date]] | None = None,
    report_from: date | None = None,
) -> Iterator[Hit]:
    """Every occasion of ``contact`` whose greeting day falls in [start, end].

    ``fixed`` maps occasion name → dates for contact-independent occasions,
    precomputed once per plan by :func:`fixed_days` (holiday look-ups are the
    same for a million contacts). A date field the source could not parse is
    reported once, filed at ``report_from`` (the first day the caller shows;
    default ``start``) and marked undated (:attr:`Hit.dated`). A planner
    asking for many contacts builds the :class:`OccasionTable` once instead.
    """
    yield from OccasionTable(settings, start, end, fixed=fixed, report_from=report_from).hits(contact, today)


#: The last :func:`shared_table`: what it was built from (settings, range, fixed dates) and the table.
_shared: tuple[Settings, tuple[date, date, date], dict[str, list[date]], OccasionTable] | None = None


def shared_table(
    settings: Settings, start: date, end: date, *, fixed: dict[str, list[date]], report_from: date
) -> OccasionTable:
    """The :class:`OccasionTable` of these inputs: the one the last call made, when they are the same.

    The daemon plans every few minutes, and all the runs of a day plan the same
    range: a table of its own for each run worked out every contact date's
    anniversaries again (a third of a quiet run's hits). A table's answers depend
    only on what it is built from — the settings (the same object: a reload makes
    new ones), the range, the day bad dates are reported on and the fixed dates —
    and its memos grow only up to :data:`_MEMO_LIMIT`, so the next run with the
    same inputs asks the same table. One table is kept, the last one asked for.
    """
    global _shared
    range_ = (start, end, report_from)
    last = _shared
    if last is not None and last[0] is settings and last[1] == range_ and last[2] == fixed:
        return last[3]
    table = OccasionTable(settings, start, end, fixed=fixed, report_from=report_from)
    _shared = (settings, range_, {name: list(days) for name, days in fixed.items()}, table)
    return table


def fixed_days(
    settings: Settings, start: date, end: date, dated: Mapping[str, Collection[date]] | None = None
) -> dict[str, list[date]]:
    """Dates of all contact-independent occasions in the range, computed once.

    ``dated``: each ``ics`` occasion's days as its calendar file gives them (by name).
    """
    country = settings.defaults.country
    return {
        occ.name: occasion_days(occ, country, start, end, settings.leap_day, (dated or {}).get(occ.name, ()))
        for occ in settings.occasions
        if occ.field is None
    }


@dataclass(frozen=True, slots=True)
class _FieldRule:
    """A contact-date occasion with its range already shifted by ``days_before``."""

    occ: Occasion
    field: str
    lo: date
    hi: date
    years: range
    #: Where a unparseable date is reported (the first day shown, shifted like a greeting).
    report_day: date
    #: The occasion's name, priority and template (read per contact: plain attributes).
    name: str
    priority: int
    template: str


#: A contact-independent occasion's hits but for the contact: (name, day, priority, template, moved,
#: outside) — ``outside``: why the client is no audience of it (:attr:`Hit.outside`), else None.
FixedHits = tuple[tuple[str, date, int, str, bool, "str | None"], ...]


class HolidayStep:
    """A holiday without a ``country``: dated by each client's country (:func:`holiday_country`).

    Asked once per country: :meth:`OccasionTable._prepare` keeps the answer.
    """

    __slots__ = ("_answers", "_owner", "default", "default_country", "end", "named", "occ", "start", "years")

    def __init__(
        self,
        occ: Occasion,
        default_country: str,
        start: date,
        end: date,
        default: FixedHits,
        named: Sequence[str] = (),
    ) -> None:
        self.occ, self.default_country, self.start, self.end = occ, default_country, start, end
        self.default = default
        #: The countries the config names (:func:`named_countries`): whose the name is, before the library's.
        self.named = named
        self.years = range(start.year, end.year + 2)  # days_before shifts by at most 60 days
        #: Whose calendar dates the refused hits (:meth:`_owner_country`): unset until asked.
        self._owner: tuple[str | None] | None = None
        #: :meth:`hits_for`'s answers by country: asked again for each ``today`` of a plan.
        self._answers: dict[str | None, FixedHits] = {}

    def hits_for(self, country: str | None) -> FixedHits:
        """The hits for a client of ``country`` (None: the default country).

        A client whose calendar has no holiday of that name, under a default
        country without one either, was given no hit: no letter, and no row
        saying why (an Almaty office's «Nowruz», Uzbekistan's name, greeted its
        Kazakh clients nowhere). They get the days of the country the name is
        (:meth:`_owner_country`), refused (:attr:`Hit.outside`, worded by
        :func:`not_in_calendar`): ``outside_audience`` skips, one per day.
        """
        found = self._answers.get(country)
        if found is None:
            found = self._answers[country] = self._hits_for(country)
        return found

    def _hits_for(self, country: str | None) -> FixedHits:
        occ, holiday = self.occ, self.occ.holiday or ""
        default = self.default_country
        if country is None or country == default:
            if self.default or has_holiday(default, holiday, self.years):
                return self.default
            return self._refused(default)
        whose = holiday_country(holiday, country, default, self.years)
        if whose == country or has_holiday(default, holiday, self.years):
            days = occasion_days(occ, whose, self.start, self.end)
            return tuple((occ.name, day, occ.priority, occ.template, False, None) for day in days)
        return self._refused(country)

    def _refused(self, country: str) -> FixedHits:
        """The owner's days of the holiday for a client of ``country``, each refused in words."""
        owner = self._owner_country()
        if owner is None:
            return ()
        occ, holiday = self.occ, self.occ.holiday or ""
        days = occasion_days(occ, owner, self.start, self.end)
        return tuple(
            (occ.name, day, occ.priority, occ.template, False, not_in_calendar(country, holiday, day))
            for day in days
        )

    def _owner_country(self) -> str | None:
        """Whose holiday the name is: the first to have it of ``audience.countries``, else of the
        countries the config names (:attr:`named`), else of the library's (alphabetically); None when
        none has it. Looked up once per plan.

        Not a client's country: a plan is made contact by contact, and a Kazakh client's row must not
        depend on whether an Uzbek one came first. The countries the config names are the ones the
        marketer meant («Nowruz» with ``countries: [KZ, KG, UZ, AZ]`` is Uzbekistan's; «Božić» is
        Serbia's 7 January where the config names RS, Croatia's 25 December — the library's first —
        where it names neither).
        """
        if self._owner is None:
            holiday = self.occ.holiday or ""
            years = list(self.years)
            listed = [c for c in (*(self.occ.audience.countries or ()), *self.named) if has_calendar(c)]
            found = countries_having(holiday, list(dict.fromkeys(listed)), years, limit=1)
            found = found or countries_having(holiday, library_countries(), years, limit=1)
            self._owner = (found[0] if found else None,)
        return self._owner[0]


#: One anniversary of a contact's date in a range: (day, years, problem, moved) — see :class:`Hit`.
Anniversary = tuple[date, "int | None", "str | None", bool]

#: One step of :meth:`OccasionTable.hits`: a contact-independent occasion's hits (the rule None),
#: or a date field's rule and its memo of anniversaries by the contact's date.
_Prepared = tuple[FixedHits, "_FieldRule | None", dict[date, tuple[Anniversary, ...]]]

#: An audience's answer for a client and anniversary number: None, or why not (see room_left).
Refusal = Callable[[Contact, "int | None"], "str | None"]

#: Per-table memos stop growing here (a file of unique dates must not hold them all).
_MEMO_LIMIT = 1 << 17


class OccasionTable:
    """The occasions of one plan range, prepared once and asked for each contact's hits.

    What does not depend on the contact — the fixed and holiday dates, each date
    occasion's shifted range and the years it spans — is computed here, so the
    per-contact work of :meth:`hits` is a few dict look-ups and building the hits.
    A date field's anniversaries depend only on the date and the contact's
    ``today`` (a date after it is an error), and a million contacts share a few
    tens of thousands of dates: each date's are worked out once.
    """

    def __init__(
        self,
        settings: Settings,
        start: date,
        end: date,
        *,
        fixed: dict[str, list[date]] | None = None,
        report_from: date | None = None,
    ) -> None:
        if fixed is None:
            fixed = fixed_days(settings, start, end)
        report_from = report_from or start
        self.leap_day = settings.leap_day
        #: Per occasion, in config order: a contact-independent one's hits but for the contact
        #: (name, day, priority, template, moved), or a date field's rule.
        self.steps: list[FixedHits | HolidayStep | _FieldRule] = []
        #: Each step's ``days_before``: a hit's day less it is the day it is meant for (``until``).
        self._before = [timedelta(days=occ.days_before) for occ in settings.occasions]
        country = settings.defaults.country
        named = named_countries(settings)
        for occ in settings.occasions:
            if occ.field is None:
                leap = occ.date == "02-29"
                days = fixed.get(occ.name, ())
                found = tuple(
                    (occ.name, day, occ.priority, occ.template, leap and day.day != 29, None) for day in days
                )
                if occ.holiday is not None and occ.country is None:
                    self.steps.append(HolidayStep(occ, country, start, end, found, named))
                else:
                    self.steps.append(found)
                continue
            before = timedelta(days=occ.days_before)
            lo, hi = start + before, end + before
            years = range(lo.year, hi.year + 1)
            rule = _FieldRule(
                occ, occ.field, lo, hi, years, report_from + before, occ.name, occ.priority, occ.template
            )
            self.steps.append(rule)
        #: today → per step, {a contact's date: its anniversaries in the range} (see :meth:`hits`).
        self._memo: dict[date, list[dict[date, tuple[Anniversary, ...]]]] = {}
        #: (occasion, month, day) → the days of that month and day in its range (:meth:`_in_range`).
        self._month_days: dict[tuple[str, int, int], tuple[tuple[date, int, bool], ...]] = {}
        #: (a contact's country, today) → :attr:`steps` as :meth:`hits` walks them (:meth:`_prepare`).
        self._prepared: dict[tuple[str | None, date], list[_Prepared]] = {}

    def hits(self, contact: Contact, today: date, until: date | None = None) -> list[Hit]:
        """Every occasion of ``contact`` in the range (see :func:`contact_hits`), in config order.

        ``today`` is the contact's own local date: a date field after it is an error. ``until``:
        only the hits meant for it or before (less ``days_before``), the range cut there — the
        same list as a table ending on it (:meth:`room_left` counts the rest).
        """
        found: list[Hit] = []
        add = found.append
        bad_dates = contact.bad_dates or None
        dates = contact.dates
        steps = self._prepared.get((contact.country, today)) or self._prepare(contact.country, today)
        for index, (fixed, step, memo) in enumerate(steps):
            last = None if until is None else until + self._before[index]
            if step is None:
                for name, day, priority, template, moved, outside in fixed:
                    if last is not None and day > last:
                        continue  # (a one-off ``on:`` list is in the config's order)
                    add(_hit(contact, name, day, None, priority, template, None, moved, True, outside))
                continue
            name, priority, template = step.name, step.priority, step.template
            bad = bad_dates.get(step.field) if bad_dates is not None else None
            if bad is not None:
                # No usable date: report once per plan, filed on the first day shown (undated when shown).
                add(_hit(contact, name, step.report_day, None, priority, template, bad, False, False))
                continue
            original = dates.get(step.field)
            if original is None:
                continue
            found_days = self._memo_days(step, original, today, memo)
            for day, years, problem, moved in found_days:
                if last is not None and day > last:
                    break  # by year
                add(_hit(contact, name, day, years, priority, template, problem, moved))
        return found

    def _memo_days(
        self, step: _FieldRule, original: date, today: date, memo: dict[date, tuple[Anniversary, ...]]
    ) -> tuple[Anniversary, ...]:
        """:meth:`_anniversaries` of ``original``, from the step's ``memo`` (filled up to
        :data:`_MEMO_LIMIT` dates): one body for :meth:`hits` and :meth:`room_left`."""
        found_days = memo.get(original)
        if found_days is None:
            found_days = self._anniversaries(step, original, today)
            if len(memo) < _MEMO_LIMIT:
                memo[original] = found_days
        return found_days

    def room_left(
        self,
        contact: Contact,
        today: date,
        until: date,
        room: int,
        counts: Sequence[tuple[bool, Refusal | None]],
    ) -> int:
        """``room`` less the hits of ``contact`` that may be greeted: not a bad date's, nor outside
        the client's calendar, and by ``counts`` (per occasion, in config order: whether one past
        ``until`` as :meth:`hits` cuts it counts, and its audience's refusal, None: everyone's);
        -1 at the first one too many (no more counted).

        No hits built: the planner asks it of every contact to tell whether the cap's look-ahead
        (:attr:`~greeter.planner.PlanWindow.cap_until`) may change its plan at all.
        """
        dates = contact.dates
        steps = self._prepared.get((contact.country, today)) or self._prepare(contact.country, today)
        for index, (fixed, step, memo) in enumerate(steps):
            later, refusal = counts[index]
            last = None if later else until + self._before[index]
            if step is None:
                for _, day, _, _, _, outside in fixed:
                    if outside is not None or (last is not None and day > last):
                        continue
                    if refusal is None or refusal(contact, None) is None:
                        room -= 1
                        if room < 0:
                            return room
                continue
            original = dates.get(step.field)
            if original is None:
                continue
            found_days = self._memo_days(step, original, today, memo)
            for day, years, problem, _ in found_days:
                if problem is not None or (last is not None and day > last):
                    continue
                if refusal is None or refusal(contact, years) is None:
                    room -= 1
                    if room < 0:
                        return room
        return room

    def _prepare(self, country: str | None, today: date) -> list[_Prepared]:
        """:attr:`steps` for a client of ``country`` on ``today``, as :meth:`hits` walks them: each
        holiday's hits dated by the client's calendar (:meth:`HolidayStep.hits_for`, asked once per
        country), each date field's rule with its memo of anniversaries (one per ``today``: a date
        after it is an error). Worked out once per (country, today): a contact costs one look-up.
        """
        memos = self._memo.get(today)
        if memos is None:
            memos = self._memo[today] = [{} for _ in self.steps]
        prepared: list[_Prepared] = []
        for step, memo in zip(self.steps, memos, strict=True):
            if isinstance(step, _FieldRule):
                prepared.append(((), step, memo))
            elif isinstance(step, HolidayStep):
                prepared.append((step.hits_for(country), None, memo))
            else:
                prepared.append((step, None, memo))
        self._prepared[(country, today)] = prepared
        return prepared

    def _anniversaries(self, step: _FieldRule, original: date, today: date) -> tuple[Anniversary, ...]:
        """The anniversaries of ``original`` in ``step``'s range, each with its data error (if any).

        A date without a year (:func:`~greeter.sources.dates.is_yearless`) recurs every year with no
        anniversary number: no age to count, so none to find implausible or in the future either.
        """
        found: list[Anniversary] = []
        key = (step.name, original.month, original.day)
        days = self._month_days.get(key)
        if days is None:
            days = self._in_range(step, original, key)
        if is_yearless(original):
            return tuple([(day, None, None, moved) for day, _, moved in days])
        born = original.year
        occ = step.occ
        least, most = occ.min_years, occ.max_years
        for day, year, moved in days:
            years = year - born
            if years <= 0 and original <= today:
                continue  # the day itself, not an anniversary yet (nor a data error: it is no age)
            if original <= today and least <= years <= most:
                problem = None  # implausible()'s usual case, without the call
            else:
                problem = implausible(step.field, original, years, today, most, least)
            # A date in the future has no anniversary number: preview showed "-4 years".
            found.append((day, years if years > 0 else None, problem, moved))
        return tuple(found)

    def _in_range(
        self, step: _FieldRule, original: date, key: tuple[str, int, int]
    ) -> tuple[tuple[date, int, bool], ...]:
        """The days of ``original``'s month and day in ``step``'s range: (day, its year, moved —
        29 February greeted on another day). The same for every date of that month and day (a
        million contacts' dates are some twenty thousand, their days of the year 366): worked out
        once per (occasion, month, day) and kept in ``key``."""
        leap = original.month == 2 and original.day == 29  # the only date `anniversary` moves
        found: list[tuple[date, int, bool]] = []
        for year in step.years:
            day = anniversary(original, year, self.leap_day) if leap else original.replace(year=year)
            if step.lo <= day <= step.hi:
                found.append((day, year, leap and day.day != 29))
        days = self._month_days[key] = tuple(found)
        return days
