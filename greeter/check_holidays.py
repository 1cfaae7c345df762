"""``check``'s word on holiday occasions once the clients' countries are known.

A holiday without ``country:`` is each client's own country's, so loading
the config can only tell a name no country has (a typo) from one some
country has; whether any client's country has it is known only here, where
the contacts are read. And a name may cover more than one day a year:
Hungary's "National Day" is 15 March (1848) and 23 October (1956), both
greeted, which the occasion's one line in the config does not show. And two
holiday occasions may greet one client for one holiday on one day — a
``country:`` forgotten on one of two "Independence Day" occasions gives a
Kazakh client Estonia's title, or both titles in one letter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

from greeter.audience import AudienceRule
from greeter.config import Occasion, Settings
from greeter.errors import Problem
from greeter.holiday_names import have, listed, who_has
from greeter.holiday_tables import greeted_days_of, has_calendar, unmarked
from greeter.mourning_days import mourned as mourning_day
from greeter.occasions import countries_having, holiday_country, holiday_dates, holiday_key, holiday_near


def holiday_problems(
    settings: Settings,
    config_file: Path,
    client_countries: Mapping[str, int],
    today: date,
    reached: Mapping[int, Mapping[str, int]] | None = None,
) -> list[Problem]:
    """Warnings for holiday occasions: a name no client's country has, a name on several days a
    year, clients greeted for another country's holiday.

    ``client_countries``: the calendars of the contacts read (their country,
    else the default one), with how many. ``reached``: for each holiday occasion without
    ``country:`` or ``audience.countries`` (by its index), the countries of
    the clients its audience takes in, with how many. Warnings, not errors: a
    client of the country that has the holiday may come with the next export.
    """
    from greeter.config_loader import locate

    years = [today.year, today.year + 1]
    default = settings.defaults.country
    clients = sorted(c for c in {*client_countries, default} if has_calendar(c))
    problems: list[Problem] = []
    for index, occ in enumerate(settings.occasions):
        if occ.holiday is None:
            continue
        messages: list[str] = []
        if occ.country is not None:
            applies = [occ.country] if has_calendar(occ.country) else []
        else:
            greeted = [c for c in clients if _for(occ, c)]
            applies = countries_having(occ.holiday, greeted, years)
            if occ.audience.countries is not None:
                # Countries listed are meant: whose calendar lacks the name is told (check_reach
                # counts no clients for these; a country's count is the most the audience takes in).
                listed_in = {c: client_countries[c] for c in greeted if client_countries.get(c)}
                messages.extend(_listed(occ, default, applies, listed_in, years, today))
            elif not applies:
                messages.append(_nobody(occ.holiday, greeted, years))
            elif default in applies and reached and index in reached:
                messages.extend(_borrowed(occ.holiday, default, applies, reached[index], years, today))
                messages.extend(_other_days(occ.holiday, default, applies, reached[index], years))
            elif reached and index in reached and occ.audience.locales is not None:
                # Letters in a language: its speakers abroad are meant too (a national holiday for
                # everyone rightly passes the other countries' clients by, and is not told).
                messages.extend(m for m in [_unreached(occ.holiday, default, applies, reached[index])] if m)
            elif default not in applies and client_countries.get(default):
                messages.extend(
                    m for m in [_renamed(occ.holiday, default, applies, client_countries, years, today)] if m
                )
        messages.extend(m for country in applies if (m := _several_days(occ.holiday, country, years)))
        messages.extend(m for country in applies if (m := _missing_year(occ.holiday, country, years, today)))
        messages.extend(m for country in applies if (m := _estimated(occ.holiday, country, years, today)))
        messages.extend(m for country in applies if (m := _mourning(occ.holiday, country, years)))
        where = ("occasions", index, "holiday")
        line, col = locate(config_file, where)
        field = ".".join(str(p) for p in where)
        problems.extend(Problem(str(config_file), field, m, line, col, severity="warning") for m in messages)
    return problems


def _for(occ: Occasion, country: str) -> bool:
    """Whether an occasion without ``country:`` greets clients of ``country`` ("GB" takes GB-ENG)."""
    wanted = occ.audience.countries
    return wanted is None or country in wanted or country.partition("-")[0] in wanted


def _nobody(name: str, greeted: list[str], years: list[int]) -> str:
    """No client's country has the holiday: it greets nobody (yet); which countries would."""
    havers = who_has(name, [], years)
    where = f"{have(havers)} it: a client there is greeted on it" if havers else "no country has it"
    return (
        f"none of the clients' countries ({listed(greeted)}) has a holiday named {name!r}, so it greets "
        f"nobody; {where}"
    )


def _borrowed(
    name: str, default: str, applies: list[str], clients: Mapping[str, int], years: list[int], today: date
) -> list[str]:
    """Clients whose country has no holiday ``name`` are greeted on the default country's: say who.

    The rule (:func:`greeter.occasions.holiday_country`) serves a Russian-speaking
    client abroad on 8 March; it also wishes a client in Berlin a happy Victory
    Day. Only the marketer knows which is meant, so it is said, with the fix.
    A country whose calendar has a holiday of another name on that very day
    (Uzbekistan's "Women's Day" on Kazakhstan's 8 March) is greeted on its own
    holiday: it is told so, and kept in the fix, not advised out.
    """
    borrowed = {c: n for c, n in clients.items() if c not in applies and has_calendar(c)}
    if not borrowed:
        return []
    day = _next_day(default, name, years, today)
    same = {c: found for c in borrowed if day is not None and (found := _called_on(c, day, 0)) is not None}
    messages: list[str] = []
    if same and day is not None:
        ordered = sorted(same, key=lambda c: (-borrowed[c], c))
        who = listed([f"{c} ({borrowed[c]})" for c in ordered])
        messages.append(
            f"{sum(borrowed[c] for c in same)} client(s) in {who} are greeted on {default}'s {name!r}"
            f" ({day:%d.%m}): {_calls(same, ordered, dated=False)} on the same day; no action needed"
        )
    rest = {c: n for c, n in borrowed.items() if c not in same}
    if rest:
        ordered = sorted(rest, key=lambda c: (-rest[c], c))
        who = listed([f"{c} ({rest[c]})" for c in ordered])
        keep = ", ".join(sorted({c for c in applies if c == default or clients.get(c)} | set(same)))
        messages.append(
            f"{sum(rest.values())} client(s) in countries without a holiday named {name!r} — {who} — are"
            f" greeted on {default}'s: if it is not their day, add audience.countries: [{keep}]"
        )
    return messages


def _listed(
    occ: Occasion, default: str, applies: list[str], clients: Mapping[str, int], years: list[int], today: date
) -> list[str]:
    """The countries ``audience.countries`` lists whose calendar has no holiday ``occ.holiday``.

    Each client is dated by their country's calendar, else the default's
    (:func:`greeter.occasions.holiday_country`). With the default's lacking the
    name too, they are not greeted at all (a plan lists them outside_audience): an Almaty
    office's «Nowruz» (Uzbekistan's name) greeted the Uzbek clients only — the
    day is "Nowruz Holiday" in Kazakhstan, "Nooruz Holiday" in Kyrgyzstan,
    "Spring Festival" in Azerbaijan. Told with the name each calendar has on
    or near the day. With the default's having it, they are greeted on its
    day: told only when their own holiday near it begins on another day.
    """
    name = occ.holiday or ""
    lacking = _lacking(clients, applies)
    if not lacking:
        return []
    ordered = list(lacking)
    if default in applies:
        day = _next_day(default, name, years, today)
        if day is None:
            return []
        apart = {
            c: found for c in ordered if (found := _called_on(c, day, 1)) is not None and found[1] != day
        }
        if not apart:
            return []
        return [
            f"{_calls(apart, list(apart))}, not {day:%d.%m}: {_clients(sum(lacking[c] for c in apart))} there"
            f" are greeted on {default}'s {name!r} ({day:%d.%m}); to greet them on their own day, give them"
            " an occasion of their own with their calendar's name"
        ]
    listed_countries = occ.audience.countries or []
    owners = countries_having(name, [c for c in listed_countries if has_calendar(c)], years)
    owner = next((c for c in applies if clients.get(c)), owners[0] if owners else None)
    day = _next_day(owner, name, years, today) if owner is not None else None
    said = _not_greeted(name, lacking)
    if owner is None or day is None:
        return [said]
    near = {c: found for c in ordered if (found := _called_on(c, day, 1)) is not None}
    said += f": {have([owner])} it on {day:%d.%m}"
    if near:
        said += f"; {_calls(near, list(near))}"
    if default in near:
        said += (
            f"; write {default}'s name (defaults.country), holiday: {near[default][0]!r}: a client whose"
            f" calendar has no holiday of that name is greeted on {default}'s day"
        )
    else:
        said += "; greet them by their calendar's name in an occasion with audience.countries"
    return [said]


def _renamed(
    name: str, default: str, applies: list[str], clients: Mapping[str, int], years: list[int], today: date
) -> str | None:
    """The default country's calendar names ``name``'s day otherwise: its clients are not greeted on it.

    An Almaty office's ``holiday: "Nowruz"`` (Uzbekistan's name; Kazakhstan's
    calendar says "Nowruz Holiday") greeted the Uzbek clients and passed the
    fifteen Kazakh ones by, with no row and no word — with ``audience.countries``
    it is :func:`_listed`'s warning. Without it, a national holiday of another
    country rightly passes the others by (Thanksgiving in a Russian project is
    not told), so only a holiday that the default country's calendar has within
    a day of it, under another name, is taken for a name written wrong; the
    fix is that name, or ``country:`` to say the other country's clients alone
    are meant (which also silences this).
    """
    owner = next((c for c in applies if clients.get(c)), applies[0] if applies else None)
    day = _next_day(owner, name, years, today) if owner is not None else None
    found = _called_on(default, day, 1) if day is not None else None
    if owner is None or day is None or found is None:
        return None
    lacking = _lacking(clients, applies)
    near = {c: f for c in lacking if (f := _called_on(c, day, 1)) is not None}
    return (
        f"{_not_greeted(name, lacking)}: {have([owner])} it on {day:%d.%m}; {_calls(near, list(near))};"
        f" write {default}'s name (defaults.country), holiday: {found[0]!r}, to greet them on that day (a"
        f" client whose calendar has no holiday of that name is greeted on {default}'s), or country: {owner}"
        f" if {owner}'s clients alone are meant"
    )


def _lacking(clients: Mapping[str, int], applies: list[str]) -> dict[str, int]:
    """The clients' countries with a calendar, not among ``applies`` (the holiday's): most clients first."""
    lacking = {c: n for c, n in clients.items() if n and c not in applies and has_calendar(c)}
    return {c: lacking[c] for c in sorted(lacking, key=lambda c: (-lacking[c], c))}


def _not_greeted(name: str, lacking: Mapping[str, int]) -> str:
    """``21 client(s) in countries without a holiday named 'Nowruz' — KZ (15), … — are not greeted on it…``"""
    who = listed([f"{c} ({n})" for c, n in lacking.items()])
    return (
        f"{sum(lacking.values())} client(s) in countries without a holiday named {name!r} — {who} — are not"
        " greeted on it (preview lists them as outside_audience)"
    )


def _next_day(country: str, name: str, years: list[int], today: date) -> date | None:
    """The next first day of ``country``'s holiday ``name`` from ``today`` (else its first in ``years``)."""
    days = [d for year in years for d in holiday_dates(country, name, year)]
    return next((d for d in days if d >= today), days[0] if days else None)


def _called_on(country: str, day: date, span: int) -> tuple[str, date] | None:
    """The holiday ``country``'s calendar has on ``day``, else ``span`` days off it: its name, first day.

    Only a day or so off: further, a holiday is another one (Ascension Day is
    three days before a 9 May). The name is the library's English one, as
    ``holiday:`` takes it; the first day is where its run of days begins
    (Azerbaijan's "Spring Festival" is 20–24 March, around a 21 March).
    """
    near = holiday_near(country, day, span)
    if near is None:
        return None
    name, on = near
    starts = [d for d in holiday_dates(country, name, on.year) if d <= on]
    return name, starts[-1] if starts else on


def _calls(found: Mapping[str, tuple[str, date]], order: list[str], *, dated: bool = True) -> str:
    """``KZ calls it 'Nowruz Holiday' (21.03), KG 'Nooruz Holiday' (21.03)``: names (and first days)."""
    return ", ".join(
        f"{c} {'calls it ' if i == 0 else ''}{found[c][0]!r}" + (f" ({found[c][1]:%d.%m})" if dated else "")
        for i, c in enumerate(order)
    )


def _unreached(name: str, default: str, applies: list[str], clients: Mapping[str, int]) -> str | None:
    """Clients whose country has no holiday ``name``, and the default country has none either: say who.

    Such a client is dated by their country's calendar, else the default's
    (:func:`greeter.occasions.holiday_country`): with neither having the name,
    they are not greeted (a plan lists them outside_audience). A Russian project's
    «Božić» (Serbia's Latin name) reached the Serbian clients in Serbia, and
    not those in Republika Srpska (whose calendar says «Božić (Pravoslavni)»)
    or Montenegro (none): the marketer is told who, and whose day it is.
    Called only when ``default`` is not among ``applies``.
    """
    missed = {
        c: n
        for c, n in clients.items()
        if n and c not in applies and c != default and has_calendar(c)  # the default's: its own day
    }
    if not missed:
        return None
    ordered = sorted(missed, key=lambda c: (-missed[c], c))
    who = listed([f"{c} ({missed[c]})" for c in ordered])
    # Whose day it is: the countries that have it with clients of this audience, else any.
    owners = [c for c in applies if clients.get(c)] or applies
    country_is = owners[0] if len(owners) == 1 else "the one whose day it is"
    return (
        f"{sum(missed.values())} client(s) in countries without a holiday named {name!r} — {who} — are"
        f" not greeted on it: {default} (defaults.country) has no such holiday either, {have(owners)}"
        f" it; to greet them on that day, add an occasion with country: {country_is}"
        f" and audience.countries: [{', '.join(ordered)}]"
    )


def _other_days(
    name: str, default: str, applies: list[str], clients: Mapping[str, int], years: list[int]
) -> list[str]:
    """Clients whose country gives ``name`` another date than the default country's: one line each.

    Each client is greeted on their own country's day of that name
    (:func:`greeter.occasions.holiday_country`): right for 8 March abroad, but
    Estonia's "Victory Day" is 23 June (Võidupüha, another war) and
    Kazakhstan's "Defender of the Fatherland Day" 7 May, so a Russian
    marketer's 9 May letter reaches a client in Tallinn on Midsummer's eve.
    Per country, not per contact: the dates of a few countries, whatever the
    number of clients.
    """
    own = _days_in(default, name, years)
    differ = {
        c: days for c in applies if c != default and clients.get(c) and (days := _days_in(c, name, years))
    }
    differ = {c: days for c, days in differ.items() if days != own}
    keep = ", ".join(c for c in applies if c == default or (clients.get(c) and c not in differ))
    return [
        f"{name!r} is {_shown(own)} in {default} but {_shown(days)} in {country}"
        f" ({_clients(clients[country])}): they are greeted on {country}'s day; if that is not their"
        f" holiday, add audience.countries: [{keep}]"
        for country, days in sorted(differ.items())
    ]


def _days_in(country: str, name: str, years: list[int]) -> tuple[str, ...]:
    """The days (``dd.mm``) ``country`` has ``name`` on, the first of ``years`` that has it; () if none."""
    for year in years:
        days = holiday_dates(country, name, year)
        if days:
            return tuple(f"{d:%d.%m}" for d in days)
    return ()


def _shown(days: tuple[str, ...]) -> str:
    return " and ".join(days)


def _clients(n: int) -> str:
    return f"{n} client{'' if n == 1 else 's'}"


def _several_days(name: str, country: str, years: list[int]) -> str | None:
    """``country``'s holiday ``name`` falls on more than one day a year: say which, and how to pick one."""
    for year in years:
        days = holiday_dates(country, name, year)
        if len(days) > 1:
            shown = " and ".join(f"{d:%d.%m}" for d in days)
            which = "both are" if len(days) == 2 else f"all {len(days)} are"
            return (
                f"{country} has {name!r} on {shown}: {which} greeted; to greet one, write "
                f'date: "{days[0]:%m-%d}" with country: {country} and a title instead of holiday:'
            )
    return None


def _missing_year(name: str, country: str, years: list[int], today: date) -> str | None:
    """A year of ``years`` in which ``country``'s calendar has no ``name`` while another year has it.

    The plan would greet nobody then, with no row and no word: Kazakhstan's
    Constitution Day is 30 August until 2025 and 15 March from 2027, and no
    day in 2026. Said only when that year's day would still come (the other
    year's day moved into it is today or later): a year whose day is past
    anyway plans nothing either way.
    """
    dated = {year: holiday_dates(country, name, year) for year in years}
    for year, days in dated.items():
        other = next((d for y, found in dated.items() if y != year for d in found), None)
        if days or other is None:
            continue
        if _in_year(other, year) < today:
            continue
        return (
            f"{country}'s calendar has no {name!r} in {year} (it has it on {other:%d.%m.%Y}): the occasion"
            f" greets no {country} client in {year}; if the holiday moved or was renamed, write its"
            " name in that year's calendar in an occasion of its own"
        )
    return None


def _in_year(day: date, year: int) -> date:
    """``day`` in ``year`` (a 29 February as the 28th)."""
    return date(year, day.month, min(day.day, 28 if day.month == 2 else 31))


def _estimated(name: str, country: str, years: list[int], today: date) -> str | None:
    """The coming days of ``country``'s holiday ``name`` whose date the holidays library only estimates.

    The lunar holidays' years ahead ("Eid al-Adha (estimated)" in the
    library, «Құрбан айт (бағаланған)»): the official date is set nearer the
    day and may differ by a day. Greeted on the estimate: the marketer is told
    which dates to check.
    """
    wanted = holiday_key(unmarked(country, name))
    days = [
        day
        for year in years
        for day in holiday_dates(country, name, year)
        if day >= today
        and any(
            h.estimated and any(holiday_key(n) == wanted for n in h.names)
            for h in greeted_days_of(country, year).get(day, ())
        )
    ]
    if not days:
        return None
    shown = " and ".join(f"{d:%d.%m.%Y}" for d in days)
    return (
        f"{name!r} in {country} on {shown} is the holidays library's estimate (a lunar holiday's date is"
        " set nearer the day): check the date before then, greeter greets on the library's date"
    )


def _mourning(name: str, country: str, years: list[int]) -> str | None:
    """The warning when ``country``'s holiday ``name`` is a day of mourning (:mod:`greeter.mourning_days`).

    Azerbaijan's "Martyrs' Day" (20 January) passed ``check`` as any holiday, and
    its clients would have been greeted on their day of national mourning.
    """
    wanted = holiday_key(unmarked(country, name))
    for year in years:
        for day in holiday_dates(country, name, year):
            for holiday in greeted_days_of(country, year).get(day, ()):
                if not any(holiday_key(n) == wanted for n in holiday.names):
                    continue
                mourned = mourning_day(country, holiday.names)
                if mourned is not None:
                    return (
                        f"{name!r} in {country} ({mourned}, {day:%d.%m}) is a day of mourning, not a holiday"
                        " to greet: a greeting on it is a blunder; remove this occasion"
                    )
    return None


class _Dated(NamedTuple):
    """Holiday occasion ``occasions.<number>`` as it greets one country's clients: days and calendar."""

    number: int
    occ: Occasion
    rule: AudienceRule
    whose: str
    days: frozenset[date]


def holiday_collisions(
    settings: Settings, config_file: Path, clients: Mapping[str, int], today: date
) -> list[Problem]:
    """Warnings for two holiday occasions that greet one client for one holiday on one day.

    ``clients``: how many contacts have each calendar (their country, else the
    default one). Both occasions merge into one letter naming the holiday twice
    — or, ``country:`` forgotten on one, by another country's title ("День
    независимости Эстонии" to a client in Kazakhstan): which one was meant is
    not the planner's to guess. One warning per pair and country, on the days of
    the coming year they share; the same holiday by another of its names
    (Hungary's "Nemzeti ünnep") counts. Two different holidays on one day are
    no collision: the letter rightly names both. The planner does not drop one
    of the pair: a letter's ``also`` is what it names *and* what delivery
    journals as merged into it, so a greeting left out of it would be planned
    again once the letter is journaled (alone on that day with ``min_gap_days: 0``).
    """
    from greeter.config_loader import locate

    default = settings.defaults.country
    years = range(today.year, today.year + 2)
    until = today + timedelta(days=366)
    holidays = [
        (index, occ, AudienceRule.for_occasion(occ, default, settings.defaults.locale))
        for index, occ in enumerate(settings.occasions)
        if occ.holiday is not None
    ]
    countries = sorted(c for c in clients if has_calendar(c))
    problems: list[Problem] = []
    for country in countries:
        dated: list[_Dated] = []
        for index, occ, rule in holidays:
            name = occ.holiday or ""
            whose = occ.country or holiday_country(name, country, default, years)
            if not _greets(rule, country) or not has_calendar(whose):
                continue
            days = frozenset(d for y in years for d in holiday_dates(whose, name, y) if today <= d < until)
            if days:
                dated.append(_Dated(index, occ, rule, whose, days))
        for a, b in combinations(dated, 2):
            shared = sorted(d for d in a.days & b.days if _one_holiday(a, b, d))
            together = _together(a.rule, b.rule)
            if not shared or together is False:
                continue
            others = sorted({*clients, default} - {country})
            fix, at = _fix(a, b, country, others, list(years))
            where = ("occasions", at, "holiday")
            line, col = locate(config_file, where)
            field = ".".join(str(p) for p in where)
            message = _collision(a, b, country, shared, clients[country], together) + f": {fix}"
            problems.append(Problem(str(config_file), field, message, line, col, severity="warning"))
    return problems


def _greets(rule: AudienceRule, country: str) -> bool:
    """Whether an occasion may greet clients of ``country`` on a holiday (as :meth:`AudienceRule.admits`)."""
    if rule.round_years is not None or rule.min_years is not None:
        return False  # a holiday has no years to count: it greets nobody
    wanted = rule.countries
    return wanted is None or country in wanted or country.partition("-")[0] in wanted


def _one_holiday(a: _Dated, b: _Dated, day: date) -> bool:
    """Whether both occasions greet one holiday on ``day``: one name, or two names of one holiday."""
    key_a = holiday_key(unmarked(a.whose, a.occ.holiday or ""))
    key_b = holiday_key(unmarked(b.whose, b.occ.holiday or ""))
    if key_a == key_b:
        return True
    if a.whose != b.whose:
        return False
    return any(
        not h.substitute and {key_a, key_b} <= {holiday_key(n) for n in h.names}
        for h in greeted_days_of(a.whose, day.year).get(day, ())
    )


def _together(a: AudienceRule, b: AudienceRule) -> bool | None:
    """Whether one client can be in both audiences: True (country aside, everyone is), False (no
    client has two tiers, or is two listed contacts), None (perhaps: tags, tiers, contacts narrow it)."""
    if a.tiers is not None and b.tiers is not None and a.tiers.isdisjoint(b.tiers):
        return False
    if a.contacts is not None and b.contacts is not None and a.contacts.isdisjoint(b.contacts):
        return False
    if a.genders is not None and b.genders is not None and a.genders.isdisjoint(b.genders):
        return False  # 23 February for men and the same holiday for women: no client gets both
    if (
        a.locales is not None
        and b.locales is not None
        and _languages(a.locales).isdisjoint(_languages(b.locales))
    ):
        return False  # Božić for Serbian letters and for Bosnian ones: no letter is in both languages
    narrowed = (
        a.tiers,
        a.tags,
        a.contacts,
        a.genders,
        a.locales,
        b.tiers,
        b.tags,
        b.contacts,
        b.genders,
        b.locales,
    )
    return True if all(x is None for x in narrowed) else None


def _languages(locales: tuple[str, ...]) -> frozenset[str]:
    """The languages of an audience's locales (``sr_Latn`` → ``sr``).

    A letter's locale is admitted only by keys of its own language
    (:func:`greeter.i18n.keys_for`: its chain, or its language and script), so
    two audiences whose languages differ share no client.
    """
    return frozenset(loc.replace("-", "_").split("_")[0].lower() for loc in locales)


def _collision(a: _Dated, b: _Dated, country: str, shared: list[date], n: int, together: bool | None) -> str:
    """The warning's first part: which occasions, whose clients, which days, which holiday, how many."""
    shown = list(dict.fromkeys(f"{d:%d.%m}" for d in shared))
    days = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    name_a, name_b = a.occ.holiday or "", b.occ.holiday or ""
    called = "" if holiday_key(name_a) == holiday_key(name_b) else f" ({b.occ.name} calls it {name_b!r})"
    clients = f"{n} client{'' if n == 1 else 's'}"
    if together is None:
        clients = f"up to {clients}, as their audiences allow"
    return (
        f"occasions.{a.number} ({a.occ.name}) and occasions.{b.number} ({b.occ.name}) both greet "
        f"{country} clients on {days} for {name_a!r}{called} ({clients})"
    )


def _fix(a: _Dated, b: _Dated, country: str, others: list[str], years: list[int]) -> tuple[str, int]:
    """How to end the collision, and the occasion to change (its index).

    The one without ``country:`` is the likely mistake: it is offered the
    clients' other countries that have its holiday (a forgotten ``country: EE``).
    """
    loose = [x for x in (a, b) if x.occ.country is None]
    if len(loose) == 2:
        return "give each its country:, or remove one", b.number
    if not loose:
        return "remove one", b.number
    x = loose[0]
    name = x.occ.name
    if x.occ.audience.countries is not None:
        return f"take {country} out of {name}'s audience.countries, or remove one", x.number
    having = countries_having(x.occ.holiday or "", [c for c in others if has_calendar(c)], years)
    if having:
        return f"add country: {' or '.join(having)} to {name}, or remove one", x.number
    return f"give {name} the country: it is for, or remove one", x.number
