"""Which holiday an occasion *is*, for the wording of the letters (``occasion_kind``) — pure.

Why: the shipped templates word a holiday by a key they know («christmas» → «zu Weihnachten»,
«Häid jõule!», «schöne Feiertage»). That key used to be the occasion's config ``name``, a
machine name the marketer picks: ``christmas_de`` or the example config's own ``christmas_ee``
(title «Jõulud») got the generic «Vorab alles Gute zum Weihnachten!» and «Head eelseisvat püha
„Jõulud“!», and nothing said the name mattered. What a holiday is comes from what the config
says it is: the holiday library's holiday it refers to (``holiday: Christmas Day``), else its
title in any language (``title: Jõulud``, ``title_by_locale``). A name the templates know
(``christmas``, ``womens_day``…) stays what it says, so nothing changes for configs that used
them; any other occasion (a birthday field, a company day) keeps its own name.

Only holidays whose name says one thing in every country are listed: "Independence Day" is a
different day and different words in each, so it is left to the name (``ee_independence``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from greeter.occasions import holiday_key

#: The keys the shipped templates word by name: an occasion named so is that holiday.
TEMPLATE_KINDS: Final = frozenset(
    {
        "birthday",
        "new_year",
        "christmas",
        "defender_day",
        "womens_day",
        "spring_labour_day",
        "labour_day",
        "victory_day",
        "russia_day",
        "unity_day",
        "ee_independence",
        "company_anniversary",
        "company_founded",
        "first_deal",
        "first_deal_anniversary",
    }
)

#: The titles people give each kind, in the project's languages, compared as
#: :func:`~greeter.occasions.holiday_key` does (any case, ё as е). Only titles that name one
#: holiday wherever they are written: "Unity Day" is Russia's 4 November and Germany's 3 October.
_TITLES: Final[dict[str, tuple[str, ...]]] = {
    "christmas": (
        "Christmas",
        "Christmas Day",
        "Christmas Eve",
        "Orthodox Christmas",
        "Orthodox Christmas Day",
        "Рождество",
        "Рождество Христово",
        "Jõulud",
        "Jõululaupäev",
        "Esimene jõulupüha",
        "Weihnachten",
        "Heiligabend",
        "Heiliger Abend",
        "Erster Weihnachtstag",
        "Christtag",
        "Божић",
        "Božić",
        "Karácsony",
        "Szenteste",
    ),
    "womens_day": (
        "International Women's Day",
        "Международный женский день",
        "8 Марта",
        "Naistepäev",
        "Internationaler Frauentag",
        "Nőnap",
    ),
    "defender_day": ("Defender of the Fatherland Day", "День защитника Отечества", "23 Февраля"),
    "victory_day": ("Võidupüha",),
}
#: The holiday library's names (its English ones and the countries' own) a ``holiday:`` may give:
#: the titles' and these, which name one country's holiday in the library (Russia's "Unity Day").
_HOLIDAYS: Final[dict[str, tuple[str, ...]]] = {
    **_TITLES,
    "spring_labour_day": ("Holiday of Spring and Labor", "Праздник Весны и Труда"),
    "victory_day": ("Victory Day", "День Победы", "Võidupüha"),
    "russia_day": ("Russia Day", "День России"),
    "unity_day": ("Unity Day", "День народного единства"),
}

_BY_TITLE: Final = {holiday_key(name): kind for kind, names in _TITLES.items() for name in names}
_BY_HOLIDAY: Final = {holiday_key(name): kind for kind, names in _HOLIDAYS.items() for name in names}


def occasion_kind(name: str, holiday: str | None = None, titles: Iterable[str | None] = ()) -> str:
    """The key the templates word an occasion by: ``name`` when they know it, else the kind its
    library ``holiday`` or one of its ``titles`` names, else ``name`` itself.

    ``occasion_kind("christmas_ee", None, ["Jõulud"])`` → ``"christmas"``;
    ``occasion_kind("xmas", "Christmas Day")`` → ``"christmas"``;
    ``occasion_kind("company_day", None, ["День компании"])`` → ``"company_day"``.
    """
    if name in TEMPLATE_KINDS:
        return name
    kind = _BY_HOLIDAY.get(holiday_key(holiday)) if holiday else None
    for title in titles:
        kind = kind or (_BY_TITLE.get(holiday_key(title)) if title else None)
    return kind or name
