"""Public holidays by country and year: the ``holidays`` library's answers, kept on disk between runs.

Why on disk: asking the library for one country imports all of its ~250
country modules, some 55 ms of every command's start-up; the answers never
change for one version of it (:mod:`greeter.holiday_cache` says how they are kept).

Each holiday is named in English and in the country's own language
(:mod:`greeter.holiday_naming`); the tables are held, and kept on disk, by
:mod:`greeter.holiday_cache`.

The lookups (:func:`days_of`, :func:`has_calendar`) are pure from the
caller's view: a table not loaded yet is computed in memory. Only
:func:`warm`, called by the shell that loads the config, reads and writes
the file — and a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Protocol, TypeVar

from greeter.holiday_cache import (
    _cache_file,
    _decreed,
    _estimate_marks,
    _read,
    _supported,
    _tables,
    _unsupported,
    _weekends,
    _write,
)
from greeter.holiday_cache import installed_version as installed_version
from greeter.holiday_naming import (
    Holiday,
    _holiday,
    _is_label,
    _labels,
    _languages,
    _moved_labels,
    _paired,
    _renamed,
    _serbian_latin,
    _spoken,
)

#: Tables computed only to find which countries have a holiday name (:func:`looked_up_days`): kept in
#: memory for this run, never written to the file, which holds only the countries a config uses.
_looked_up: dict[str, Mapping[date, tuple[Holiday, ...]]] = {}


#: Regions the config declares days off for (``send_window.regional_days_off``) that the library
#: has no calendar of: each code ("RU-TA") → its country's ("RU"), whose calendar it has.
_declared: dict[str, str] = {}


def declare_regions(codes: Iterable[str]) -> None:
    """Make each region code in ``codes`` the library lacks a calendar code: its country's holidays.

    WHY global, like the tables: a contact's country cell is read
    (:func:`greeter.countries.parse_country`) and looked up (:func:`days_of`,
    :func:`has_calendar`) far from the config, and "RU-TA" is a calendar only
    because the config declares Tatarstan's own days off (the planner adds
    them, :func:`greeter.calendar_rules.build_calendar`). Each config replaces
    the last one's declarations; the :func:`derived` caches are dropped when
    they change (a region refused before is accepted now, or the reverse).
    """
    found: dict[str, str] = {}
    for code in codes:
        country, region = split_code(code)
        if region is None:
            continue  # a country's own days off ("IE"): its calendar is the library's
        if code not in _declared and has_calendar(code):
            continue  # the library's own region (DE-BY): its calendar, with the config's days added
        found[code] = country
    if found != _declared:
        # What was learnt of a code while it was declared, or before, is no longer so: RU-TA was
        # "supported" (a table computed for it as RU's) and stayed so when a reload, or the next
        # config in the same process, declared it no more — then failed in the library as RU-TA.
        changed = {*_declared, *found}
        _supported.difference_update(changed)
        _unsupported.difference_update(changed)
        for key in [key for key in _looked_up if key.rsplit(":", 1)[0] in changed]:
            del _looked_up[key]
        _declared.clear()
        _declared.update(found)
        for cache in _derived:
            cache.cache_clear()


def days_of(country: str, year: int) -> Mapping[date, tuple[Holiday, ...]]:
    """The public holidays of ``country`` in ``year`` — its days off: day → the holidays on it, in the
    library's order. For the send window's days off; what a holiday occasion may greet is
    :func:`greeted_days_of`, which has the days of the library's other categories too.

    A region the config declares (:func:`declare_regions`) has its country's."""
    country = _declared.get(country, country)
    key = f"{country}:{year}"
    table = _days_off.get(key)
    if table is None:
        table = _days_off[key] = _only_days_off(greeted_days_of(country, year))
    return table


def greeted_days_of(country: str, year: int) -> Mapping[date, tuple[Holiday, ...]]:
    """Every holiday of ``country`` in ``year`` one may greet on: the public ones (days off) first on a
    day, then the days the country celebrates at work (:data:`_GREETED_CATEGORIES`;
    :attr:`Holiday.day_off` False).

    Why: a greeting occasion is about the day being celebrated, not a day off. holidays 0.10x keeps
    Ukraine's holidays in its ``workday`` category while martial law lasts, so a Kyiv office's
    ``holiday: "Independence Day"`` was "no holiday" — while the send window must still treat those
    days as working days (:func:`days_of`).
    """
    country = _declared.get(country, country)
    key = f"{country}:{year}"
    table = _tables.get(key)
    if table is None:
        table = _tables[key] = _compute(country, year)
    return table


#: The day-off views of the tables (:func:`days_of`), derived from them on first use.
_days_off: dict[str, Mapping[date, tuple[Holiday, ...]]] = {}


def _only_days_off(table: Mapping[date, tuple[Holiday, ...]]) -> Mapping[date, tuple[Holiday, ...]]:
    """``table`` without the holidays that are no day off (and the days left with none)."""
    kept = {day: tuple(h for h in on_day if h.day_off) for day, on_day in table.items()}
    return MappingProxyType({day: on_day for day, on_day in kept.items() if on_day})


def weekend_of(country: str, year: int) -> frozenset[int]:
    """The weekdays (Monday 0) ``country``'s weekend has in ``year``: {4, 5} (Friday and Saturday) for Israel.

    As the library has it, which knows the countries whose weekend is not Saturday and Sunday
    (Israel, Saudi Arabia, Iran, …) and the years it changed (the Emirates' Friday and
    Saturday until 2021, Saturday and Sunday since). A year is taken as its last week has
    it: the changes the library knows within a year are long past (Saudi Arabia's, June 2013).
    """
    country = _declared.get(country, country)
    key = f"{country}:{year}"
    weekend = _weekends.get(key)
    if weekend is None:
        if key not in _tables:
            greeted_days_of(country, year)  # computes the weekend with the table
        weekend = _weekends.get(key)
        if weekend is None:  # not expected (a table is computed or read with its weekend): ask
            weekend = _weekends[key] = _weekend(_entity(country, year=year), year)
    return weekend


def unmarked(country: str, name: str) -> str:
    """``name`` without ``country``'s mark of an estimated date: "Eid al-Adha (estimated)" → "Eid al-Adha".

    The tables name holidays without it (see the module's docstring), so a
    config's name written as the library showed it in a year of estimates
    is the same holiday in a year whose date is confirmed. The marks are the
    library's own ``estimated_label`` in each language the country's tables
    are named in, not a list kept here.
    """
    country = _declared.get(country, country)
    marks = _estimate_marks.get(country)
    if marks is None:
        if not has_calendar(country):
            return name
        marks = _estimate_marks[country] = _marks_of(country)
    key = name.strip()
    for mark in marks:
        if _is_label(key, mark):
            return key[len(mark[0]) : len(key) - len(mark[1])].strip()
    return name


def has_calendar(country: str) -> bool:
    """Whether the library has a calendar for this code: a country ("GB", also an alias such as "UK"),
    or a country and its region as in ISO 3166-2 ("GB-ENG", "US-NY"), or a region the config declares
    (:func:`declare_regions`)."""
    if country in _supported or country in _declared:
        return True
    if country in _unsupported:
        return False
    try:
        _entity(country)
    except NotImplementedError:
        _unsupported.add(country)
        return False
    _supported.add(country)
    return True


def warm(countries: Iterable[str], years: Iterable[int], cache_dir: Path | None = None) -> None:
    """Make the tables of ``countries`` × ``years`` ready, from the cache file where it has them.

    Computes and adds what the file lacks, then rewrites it (atomically: a
    reader never sees half a file). ``cache_dir`` defaults to the user's cache directory.
    """
    path = _cache_file(cache_dir)
    if path is not None:
        _read(path)
    years = list(years)  # once per country: a generator would be spent on the first
    codes = dict.fromkeys(_declared.get(c, c) for c in countries)  # a declared region: its country's
    wanted = [(c, y) for c in codes for y in years]
    missing = [(c, y) for c, y in wanted if f"{c}:{y}" not in _tables and c not in _unsupported]
    if not missing:
        return
    for country, year in missing:
        if has_calendar(country):
            days_of(country, year)
    if path is not None:
        _write(path)


#: Years every calendar of the library has, checked without importing it: a ``--now`` in them
#: is fine, one outside is asked of the library (:func:`calendar_years`).
_SURELY_COVERED = range(2000, 2100)


def calendar_years(year: int) -> range | None:
    """The years the library's calendars are computed for, when ``year`` is not one of them; else None.

    Outside them every country has no holiday at all (holidays 0.109: 1901–2100),
    so a plan would treat each public holiday as a working day and a config's
    holiday names would all be "unknown": a ``--now`` there is refused instead.
    """
    if year in _SURELY_COVERED:
        return None
    from holidays.holiday_base import HolidayBase  # only here: see the module's docstring

    covered = range(HolidayBase.start_year, HolidayBase.end_year + 1)
    return None if year in covered else covered


def library_countries() -> tuple[str, ...]:
    """Every country the library has a calendar for (ISO codes, no aliases), in alphabetical order.

    Read from the library's registry, which names them without loading them
    (``list_supported_countries`` loads all ~250: 85 ms, measured).
    """
    try:
        from holidays.registry import COUNTRIES

        return tuple(sorted({str(entry[1]) for entry in COUNTRIES.values()}))
    except (ImportError, AttributeError, IndexError, TypeError):  # another layout: ask the slow way
        import holidays  # only here: see the module's docstring

        return tuple(sorted(holidays.list_supported_countries(include_aliases=False)))


def looked_up_days(country: str, year: int) -> Mapping[date, tuple[Holiday, ...]]:
    """Like :func:`days_of`, for a country no config names: computed, kept for this run, never cached.

    Which countries have a holiday name means reading all ~250 calendars
    (0.25 s a year, measured); written to the file they would make every
    later start-up read them all.
    """
    key = f"{country}:{year}"
    table = _tables.get(key) or _looked_up.get(key)
    if table is None:
        table = _looked_up[key] = _compute(country, year)
    return table  # every category's, as greeted_days_of: which countries have a holiday to greet


class _Cache(Protocol):
    def cache_clear(self) -> None: ...


_C = TypeVar("_C", bound=_Cache)
#: Every cache of answers derived from the tables (:func:`derived`): :func:`forget` clears them too.
_derived: list[_Cache] = []


def derived(cache: _C) -> _C:
    """Mark ``cache`` (a function under ``lru_cache``) as answers from the tables: :func:`forget` clears it.

    Callers cache what they work out from :func:`days_of` (a holiday's dates, a
    year's days off as a set); without this a test that forgets the tables would
    still be answered from those caches, filled by whichever test ran first.
    Use it above ``@lru_cache``.
    """
    _derived.append(cache)
    return cache


def forget() -> None:
    """Drop every table held in memory, and every :func:`derived` cache of answers from them
    (tests: the next lookup reads the file or the library again)."""
    _tables.clear()
    _days_off.clear()
    _looked_up.clear()
    _weekends.clear()
    _estimate_marks.clear()
    _decreed.clear()
    _supported.clear()
    _unsupported.clear()
    for cache in _derived:
        cache.cache_clear()


def _compute(country: str, year: int) -> Mapping[date, tuple[Holiday, ...]]:
    entity = _entity(country)
    _supported.add(country)
    named = [_entity(country, year=year, language=lang) for lang in _languages(entity)]
    labels = [_moved_labels(by_language) for by_language in named]
    marks = [_labels(by_language, ("estimated_label",)) for by_language in named]
    _estimate_marks[country] = tuple(dict.fromkeys(m for found in marks for m in found))
    _decreed[country] = _substituted_years(entity)
    _weekends[f"{country}:{year}"] = _weekend(named[0], year)
    spoken = _spoken(_languages(entity))
    only_observed = _observed_only(country, year, _languages(entity)[0], named[0])
    table: dict[date, tuple[Holiday, ...]] = {}
    for day in sorted(named[0]):
        lists = _paired([by_language.get_list(day) for by_language in named], named)
        moved = labels[: len(lists)]
        estimates = marks[: len(lists)]
        made = ((names, _holiday(names, moved, estimates, spoken)) for names in zip(*lists, strict=True))
        table[day] = tuple(replace(h, substitute=True) if n[0] in only_observed else h for n, h in made)
    for day, others in _other_categories(
        country, year, entity, [lang for lang in _languages(entity)]
    ).items():
        public = {n for h in table.get(day, ()) for n in h.names}
        extra = tuple(h for h in others if not public & set(h.names))
        if extra:
            table[day] = (*table.get(day, ()), *extra)
    table = _in_russian(country, year, entity, _renamed(split_code(country)[0], dict(sorted(table.items()))))
    if getattr(named[-1], "default_language", None) == "sr":  # Serbia: named in Cyrillic Serbian
        table = _serbian_latin(table)
    return MappingProxyType(table)


def _observed_only(country: str, year: int, language: str | None, by_language: Any) -> frozenset[str]:
    """The names ``by_language`` (``country``'s calendar of ``year`` in ``language``) gives only to the
    days its observed rule adds: days off moved here under a name of their own, no holiday's.

    Why: Japan's calendar labels no observed day ("%s"), so Japan's 振替休日 ("Substitute Holiday":
    the Monday off for a holiday that fell on a Sunday) and 国民の休日 ("National Holiday": a
    weekday between two holidays) were holidays to greet and to offer, named so in letters and
    previews; so were Botswana's "Labour Day Holiday" and Vietnam's extra days of Tết. The
    library adds them only when asked for observed days: a name its calendar without them lacks
    is such a day's. A moved holiday keeping its own name (Argentina's) is not one.
    """
    plain = _entity(country, year=year, language=language, observed=False)
    kept = {str(name) for day in plain for name in plain.get_list(day)}
    return frozenset(str(n) for day in by_language for n in by_language.get_list(day) if str(n) not in kept)


def _in_russian(
    country: str, year: int, entity: Any, table: dict[date, tuple[Holiday, ...]]
) -> dict[date, tuple[Holiday, ...]]:
    """``table`` with each holiday also named in Russian, where Russian is an official language of the
    country (CLDR's: Belarus, Kazakhstan, Kyrgyzstan): as the library translates the calendar (``ru``,
    Kyrgyzstan's ``ru_KG``), else as it names the holiday of that English name in the other such
    countries' calendars (:func:`_russian_elsewhere`).

    A Minsk office typed ``holiday: "Радуница"``, the library's Russian for Belarus's
    «Радаўніца», and was refused. Added after the English and the country's own names (which
    stay first and second: the answers are given in them), and only where the day's names pair
    up (:func:`_paired`). Not for a country where Russian is no official language (Latvia,
    Tajikistan): its Russian «День матери» would make a Russian office's «День матери» —
    Russia's own, which the library lacks — some country's holiday.
    """
    from babel.languages import get_official_languages

    if "ru" in _languages(entity) or "ru" not in get_official_languages(split_code(country)[0]):
        return table
    russian = _russian_names(country, year, entity) or _russian_elsewhere(country, year)
    return {
        day: tuple(
            replace(
                h,
                names=tuple(dict.fromkeys([*h.names, russian[h.names[0]]])),
                named=(*h.named, ("ru", russian[h.names[0]])),
            )
            if h.names[0] in russian and not h.substitute and not h.estimated
            else h
            for h in on_day
        )
        for day, on_day in table.items()
    }


def _russian_names(country: str, year: int, entity: Any) -> dict[str, str]:
    """Each English name of ``country``'s calendar of ``year`` → the library's Russian of it; {} when
    the library has no Russian of the calendar (``ru``, or a country's own: Kyrgyzstan's ``ru_KG``)."""
    offered = tuple(getattr(entity, "supported_languages", ()) or ())
    language = next((lang for lang in offered if lang.replace("-", "_").split("_")[0] == "ru"), None)
    if language is None:
        return {}
    categories = _greeted_categories(country, entity)
    english = _languages(entity)[0]
    russian: dict[str, str] = {}  # an English name → its Russian one
    for asked in ((), categories) if categories else ((),):
        first = _entity(country, year=year, language=english, categories=asked)
        other = _entity(country, year=year, language=language, categories=asked)
        for day in first:
            pairs = _paired([first.get_list(day), other.get_list(day)], [first, other])
            if len(pairs) == 2:
                russian.update(zip(pairs[0], pairs[1], strict=True))
    return russian


def _russian_elsewhere(country: str, year: int) -> dict[str, str]:
    """English name → Russian name, as the library names the holiday in the calendars of the other
    countries where Russian is official (CLDR's) and that it translates into Russian: the names two
    or more of them give one Russian name, and none another.

    Why: holidays 0.109 names Kazakhstan's calendar in English, Kazakh and Ukrainian, not in
    Russian, an official language there: a Russian letter of an untitled ``holiday:
    "International Women's Day"`` named no feast, and an Almaty office's «Международный женский
    день» was not Kazakhstan's holiday. The library's own Russian of the same English name (Russia's
    and Kyrgyzstan's «Международный женский день», «День Победы») is the name. One calendar's alone
    is not: Kyrgyzstan's "Independence Day" is «День независимости Кыргызской Республики».
    """
    from babel.languages import get_official_languages

    found: dict[str, list[str]] = {}
    for other in library_countries():
        if other == split_code(country)[0] or "ru" not in get_official_languages(other):
            continue
        for english, russian in _russian_names(other, year, _entity(other)).items():
            found.setdefault(english, []).append(russian)
    return {english: said[0] for english, said in found.items() if len(said) > 1 and len(set(said)) == 1}


#: The library's categories besides ``public`` whose days are greeted (as no day off): ``workday``,
#: the days a country celebrates at work — Ukraine's public holidays while martial law lasts,
#: Belarus's, Armenia's and Finland's memorial and flag days. Not the communities' calendars
#: (``catholic``, ``orthodox``, ``islamic``: Montenegro's "Christmas" is 25 December for its
#: Catholics and 7 January for the Orthodox, so the name would mean two days), nor ``unofficial``
#: (the USA's Valentine's Day made a Russian config's "Valentine's Day" some country's holiday).
#: And ``optional``, the days a country's own law lets offices close or not: Israel's has its
#: Remembrance Day (Yom HaZikaron) and Tisha B'Av — days an office must be able to name, to be
#: warned of greeting them (:mod:`greeter.mourning_days`) and to make them days off
#: (``holidays_of``) — besides Purim, Jerusalem Day and the intermediate days of Pesach and Sukkot;
#: Brazil's has Carnival, Ash Wednesday and Corpus Christi (a São Paulo office's ``holiday:
#: "Carnival"`` was refused, and it could not close on them), Portugal's Carnival and Saint
#: Anthony's Day. They are the country's own days, each of one date, so any country's are read.
_GREETED_CATEGORIES: Final = frozenset({"workday", "optional"})


def _greeted_categories(country: str, entity: Any) -> tuple[str, ...]:
    """The library's categories besides ``public`` whose days ``country``'s table has, as it offers them."""
    return tuple(c for c in (getattr(entity, "supported_categories", ()) or ()) if c in _GREETED_CATEGORIES)


def _other_categories(
    country: str, year: int, entity: Any, languages: list[str | None]
) -> dict[date, tuple[Holiday, ...]]:
    """The holidays of the library's :data:`_GREETED_CATEGORIES` in ``year``, as no day off.

    Moved days and estimates are read as in the public table; which of them a country has is
    the library's answer (``supported_categories``).
    """
    categories = _greeted_categories(country, entity)
    if not categories:
        return {}
    named = [_entity(country, year=year, language=lang, categories=categories) for lang in languages]
    labels = [_moved_labels(by_language) for by_language in named]
    marks = [_labels(by_language, ("estimated_label",)) for by_language in named]
    spoken = _spoken(languages)
    found: dict[date, tuple[Holiday, ...]] = {}
    for day in sorted(named[0]):
        lists = _paired([by_language.get_list(day) for by_language in named], named)
        made = (
            _holiday(names, labels[: len(lists)], marks[: len(lists)], spoken)
            for names in zip(*lists, strict=True)
        )
        found[day] = tuple(replace(h, day_off=False) for h in made if not h.substitute)
    return found


def decreed_years(country: str) -> tuple[int, ...]:
    """The years, in order, for which the library lists days off that a decree moved in ``country``
    ("Day off (substituted from …)": Russia's working Saturdays and bridge days); () for a country
    whose calendar has none, or a code the library has no calendar for.

    Russia, Belarus, Kazakhstan, China, Hungary, … move days off by a decree each year,
    published months before; the library encodes each year's by hand, so a year after its last
    lacks them (:mod:`greeter.decreed_days`). Read from the library's own tables of them
    (``special_*_holidays`` entries that name the day moved from), not a list kept here.
    """
    country = _declared.get(country, country)
    found = _decreed.get(country)
    if found is None:
        if not has_calendar(country):
            return ()
        found = _decreed[country] = _substituted_years(_entity(country))
    return found


def _substituted_years(entity: Any) -> tuple[int, ...]:
    """The years of ``entity``'s special days that are moved days off: the library writes each as
    (month, day, from month, from day[, from year]) under its year in a ``special_*_holidays`` table."""
    years: set[int] = set()
    for attribute, table in vars(entity).items():
        if not (attribute.startswith("special_") and attribute.endswith("_holidays")):
            continue
        if not isinstance(table, dict):
            continue
        for year, entries in table.items():
            if not isinstance(year, int) or not isinstance(entries, tuple) or not entries:
                continue
            listed = entries if isinstance(entries[0], tuple) else (entries,)
            if any(len(entry) >= 4 and all(isinstance(n, int) for n in entry[:4]) for entry in listed):
                years.add(year)
    return tuple(sorted(years))


def _marks_of(country: str) -> tuple[tuple[str, str], ...]:
    """``country``'s marks of an estimated date in its tables' languages (for a table read from the file)."""
    entity = _entity(country)
    found = (_labels(_entity(country, language=lang), ("estimated_label",)) for lang in _languages(entity))
    return tuple(dict.fromkeys(m for marks in found for m in marks))


def _weekend(entity: Any, year: int) -> frozenset[int]:
    """The weekdays of the library's weekend in ``year``'s last week (see :func:`weekend_of`)."""
    last_week = (date(year, 12, 31 - n) for n in range(7))
    return frozenset(day.weekday() for day in last_week if entity.is_weekend(day))


def split_code(country: str) -> tuple[str, str | None]:
    """``"GB-ENG"`` → ``("GB", "ENG")``: a calendar code is a country, or a country and its region."""
    code, _, region = country.partition("-")
    return code, region or None


def _entity(
    country: str,
    *,
    year: int | None = None,
    language: str | None = None,
    categories: tuple[str, ...] = (),
    observed: bool = True,
) -> Any:
    """The library's calendar of a country or region (ISO 3166-2, "GB-ENG"); NotImplementedError if none.

    Its public holidays, or those of ``categories`` (the library's other ones: ``workday``, …);
    ``observed`` False: without the days its observed rule adds (:func:`_observed_only`)."""
    import holidays  # only here: see the module's docstring

    code, region = split_code(_declared.get(country, country))
    with warnings.catch_warnings():  # "available only from 2001 to 2035": an empty year says it
        warnings.simplefilter("ignore", UserWarning)
        asked: dict[str, Any] = {"categories": categories} if categories else {}
        if not observed:
            asked["observed"] = False
        return holidays.country_holidays(
            code, subdiv=region, years=[] if year is None else year, language=language, **asked
        )


def names_in(country: str, name: str, year: int, languages: Sequence[str]) -> dict[str, str]:
    """The holiday called ``name`` (any of its names) in ``country``'s calendar of ``year``, on its
    first day, named in each of ``languages`` the library translates the calendar into: a starter
    language → its name there (``{"en": "Statehood Day"}`` for Serbia's «Дан државности»; no
    ``ru``: the library has no Russian of Serbia's calendar). English is ``en_GB``'s where the
    calendar has it, else ``en_US``'s. A language the library does not translate the calendar into
    is named as the table names it (:attr:`Holiday.named`, as letters are: Kazakhstan's and
    Kyrgyzstan's Russian, :func:`_in_russian`). Empty when no holiday is called so.

    Why: a letter in another language than the occasion's title named the holiday in the
    title's — «с праздником Дан државности» to a Russian-speaking client of a Serbian project.
    """
    table = greeted_days_of(country, year)
    found = next(
        ((day, i) for day in sorted(table) for i, h in enumerate(table[day]) if name in h.names), None
    )
    if found is None:
        return {}
    day, index = found
    entity = _entity(country)
    offered = tuple(getattr(entity, "supported_languages", ()) or ())
    holiday = table[day][index]
    categories: tuple[str, ...] = ()
    if not holiday.day_off:  # another category's (Ukraine's workday): asked of those alone
        categories = _greeted_categories(country, entity)
    first = _entity(country, year=year, language=_languages(entity)[0], categories=categories)
    listed = [str(n) for n in first.get_list(day)]
    index = next((i for i, n in enumerate(listed) if {n, unmarked(country, n)} & set(holiday.names)), -1)
    if index < 0:
        return {}
    tables = dict(holiday.named)  # the names letters use (occasions.holiday_title): Kazakhstan's Russian
    said: dict[str, str] = {}
    for language in languages:
        asked = next(
            (lang for lang in (f"{language}_GB", f"{language}_US", language) if lang in offered), None
        )
        if asked is None:  # no such translation of the calendar (KZ's ru; KG's is ru_KG): the table's
            if language in tables:
                said[language] = tables[language]
            continue
        named = _entity(country, year=year, language=asked, categories=categories)
        names = _paired([listed, named.get_list(day)], [first, named])
        if len(names) == 2:
            said[language] = names[1][index]
    return said


def covered_years(country: str) -> range:
    """The years the library has ``country``'s calendar for (Russia's: 1991–2100)."""
    entity = _entity(country)
    return range(entity.start_year, entity.end_year + 1)
