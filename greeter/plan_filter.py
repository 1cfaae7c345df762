"""The planner's pre-filter: which contacts provably have no occasion in a plan window.

:func:`~greeter.planner.plan` asks it for every contact before planning one: a two-week
daemon plan finds most contacts without an anniversary in it for a few set look-ups.
Kept apart from the planner itself, which decides what a contact with hits is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from greeter.config import Occasion
from greeter.contacts import Contact
from greeter.occasions import HolidayStep, anniversary, named_countries

if TYPE_CHECKING:
    from greeter.planner import PlanWindow


@dataclass(frozen=True, slots=True)
class HitFilter:
    """A cheap, conservative test for "this contact has no occasion in the plan window".

    :func:`~greeter.planner.plan_contact` of a contact without hits returns ``[]`` (no skips, no
    candidates), so skipping such contacts cannot change a plan. The daemon
    plans about two weeks every ten minutes, and on most days only a few
    percent of the contacts have an anniversary in them: the filter turns
    the per-contact cost of those runs from a full :func:`contact_hits` pass
    into a few set look-ups.

    The test is a superset of :func:`~greeter.occasions.contact_hits` being
    non-empty: a field occasion yields a hit only for a date whose
    ``(month, day)`` is the month and day of a greeting day in
    ``[sim_start + days_before, sim_end + days_before]`` — or ``(2, 29)`` when
    that day is where 29 February moves in a common year (``leap_day``) — or
    when the field is unusable (``bad_dates``, reported as a hit). A
    contact-independent occasion in the window hits every contact.
    """

    #: True: every contact may have a hit (a fixed/holiday/one-off occasion falls in the window).
    everyone: bool
    #: Per date field of a field occasion: the (month, day) pairs whose anniversary is in the window.
    fields: tuple[tuple[str, frozenset[tuple[int, int]]], ...] = ()
    #: Holidays without ``country:`` are dated by each client's country: whether a client of a country
    #: (None: the default) has one in the window, or a refused day of one: a skip row (None: the config
    #: has no such holiday).
    abroad: CountryHolidays | None = None

    def __call__(self, contact: Contact) -> bool:
        """False only if ``contact`` provably has no hit in the window."""
        if self.everyone:
            return True
        bad_dates, dates = contact.bad_dates, contact.dates
        for name, month_days in self.fields:
            if bad_dates and name in bad_dates:  # (most contacts have none: no look-up)
                return True
            original = dates.get(name)
            if original is not None and (original.month, original.day) in month_days:
                return True
        return self.abroad is not None and self.abroad(contact.country)


class CountryHolidays:
    """Whether any holiday occasion without ``country:`` falls in the window for a client of a country.

    Such a holiday is each client's country's («Victory Day»: 9 May in Russia, 23 June in
    Estonia), and the window's contact-independent dates (:attr:`~greeter.planner.PlanWindow.fixed`) are the
    default country's alone: a June window without a Russian holiday ruled an Estonian client
    out, and Võidupüha was never planned. Answered from the same dating the plan uses
    (:class:`~greeter.occasions.OccasionTable`'s), once per country.
    """

    def __init__(
        self,
        occasions: list[Occasion],
        default_country: str,
        start: date,
        end: date,
        named: Sequence[str] = (),
    ) -> None:
        self._steps = [HolidayStep(occ, default_country, start, end, (), named) for occ in occasions]
        self._default = default_country
        self._answers: dict[str, bool] = {}

    def __call__(self, country: str | None) -> bool:
        """Whether a client of ``country`` (None: the default one) has one of these holidays in the
        window — or a day of one refused (:meth:`~greeter.occasions.HolidayStep.hits_for`): a row."""
        country = country or self._default
        known = self._answers.get(country)
        if known is None:
            # The default country's own dates are in PlanWindow.fixed, and none was in the window; a
            # default without the holiday has its refused days (another country's) asked here.
            known = any(step.hits_for(country) for step in self._steps)
            self._answers[country] = known
        return known


def hit_filter(pw: PlanWindow) -> HitFilter:
    """The :class:`HitFilter` of a plan window (computed once per plan, a few hundred dates)."""
    # The fixed days reach past sim_end for the cap's priority rule (PlanWindow.cap_until): a
    # contact with none of its own up to sim_end has no letter to decide, whatever comes later.
    if any(day <= pw.sim_end for days in pw.fixed.values() for day in days):
        return HitFilter(everyone=True)
    settings = pw.settings
    by_field: dict[str, set[tuple[int, int]]] = {}
    for occ in settings.occasions:
        if occ.field is None:
            continue
        lo = pw.sim_start + timedelta(days=occ.days_before)
        hi = pw.sim_end + timedelta(days=occ.days_before)
        if (hi - lo).days >= 366:
            return HitFilter(everyone=True)  # a year or more: every date has an anniversary in it
        month_days = by_field.setdefault(occ.field, set())
        day = lo
        while day <= hi:
            month_days.add((day.month, day.day))
            if anniversary(date(2000, 2, 29), day.year, settings.leap_day) == day:
                month_days.add((2, 29))  # 29 February moves here in a common year
            day += timedelta(days=1)
    countryless = [o for o in settings.occasions if o.holiday is not None and o.country is None]
    default = settings.defaults.country
    named = named_countries(settings)
    abroad = CountryHolidays(countryless, default, pw.sim_start, pw.sim_end, named) if countryless else None
    fields = tuple((k, frozenset(v)) for k, v in by_field.items())
    return HitFilter(everyone=False, fields=fields, abroad=abroad)
