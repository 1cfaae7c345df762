"""Days of mourning and remembrance that a country's calendar lists among its holidays.

The holidays library lists what a country's law names, and some of those days are
not celebrated but mourned: Azerbaijan's 20 January (Martyrs' Day, «Ümumxalq hüzn
günü», the victims of Black January), Armenia's 24 April (the Armenian Genocide).
A greeting card on such a day is a blunder a client remembers. ``check`` warns an
occasion that names one (:func:`greeter.check_holidays.holiday_problems`) and a
starter never offers one (:func:`greeter.cli_init.holiday_names`). The table is
small and kept here by hand, keyed by the library's English names (``en_US``, the
first of a table's names), since no category of the library tells them apart. Israel's Yom
Kippur is no mourning but a solemn fast, and greeted as wrongly: it is in the table too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

__all__ = ["MOURNING_DAYS", "mourned"]

#: Country (ISO 3166-1) → the English names of its days of mourning or remembrance of the dead,
#: as the holidays library names them (its public holidays and its ``workday`` category alike).
MOURNING_DAYS: Final[Mapping[str, frozenset[str]]] = {
    "AZ": frozenset(
        {
            "Martyrs' Day",  # 20 January: Black January (1990), «Ümumxalq hüzn günü», national mourning
            "Memorial Day",  # 27 September: the fallen of the 2020 war («Anım Günü»)
        }
    ),
    "AM": frozenset(
        {
            "Day of Remembrance of the Victims of Armenian Genocide",  # 24 April
            "Day of Remembrance for the Fallen Defenders of the Fatherland",
            "Day of Remembrance of the Repressed",
            "Day of Remembrance of the Victims of the Massacres Organized in the Azerbaijan SSR and the"
            " Protection of the Rights of the Deported Armenian Population",
            "Day of Remembrance of the Victims of the Sinjar Yazidi Genocide of 2014",
            "Day of the Condemnation and Prevention of Genocides",
            "Earthquake Victims Remembrance Day and Disaster Resilience Day",  # 7 December (Spitak, 1988)
        }
    ),
    "BY": frozenset(
        {
            "Radunitsa (Day of Rejoicing)",  # the dead are remembered at their graves
            "Dzyady (All Souls' Day)",
        }
    ),
    "IL": frozenset(
        {
            "Yom Kippur",  # the Day of Atonement, a solemn fast: "happy Yom Kippur" is a blunder
            "Remembrance Day",  # Yom HaZikaron, the fallen soldiers and victims of terror (optional category)
            "Tisha B'Av",  # the fast mourning the destruction of the Temples (optional category)
            # Yom HaShoah (Holocaust Remembrance Day) is in none of the library's IL categories
            # (holidays 0.x): no name to match; an occasion greeting it names a date, not a holiday.
        }
    ),
    "KG": frozenset({"Days of History and Commemoration of Ancestors"}),  # 7–8 November: Urkun (1916)
    "TM": frozenset({"Memorial Day"}),  # 6 October: the 1948 Ashgabat earthquake
}


def mourned(country: str, names: Iterable[str]) -> str | None:
    """The English name of ``country``'s day of mourning that ``names`` (a holiday's) is, else None.

    ``country`` may be a region (``GB-ENG``): its country's table is asked.
    """
    table = MOURNING_DAYS.get(country.split("-")[0].upper(), frozenset())
    return next((name for name in names if name in table), None)
