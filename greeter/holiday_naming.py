"""Holidays named in each language: the library's names of a day, paired across its translations.

Each holiday is named in English and in the country's own language (a
Russian marketer writes "Международный женский день"). Both are asked for
explicitly: left to itself the library names holidays in the language of the
process's locale (``LANG``), so the same config would check under one
terminal and fail under systemd, which sets no ``LANG``. Days the state moves
a working day to ("Day off (substituted from …)") and days a holiday falling
on a weekend is moved to ("Victory Day (observed)", "День Победы (выходной)")
are days off, but marked: they are no occasion to greet. Both are recognised
by the library's own labels for them, in each table's language. So is a date
the library only estimates (the lunar holidays' years ahead: "Eid al-Adha
(estimated)", «Құрбан айт (бағаланған)»): the holiday is named without the
mark and flagged, so that a config's "Eid al-Adha" greets in every year, not
only in those whose date is confirmed, and ``check`` can say which dates are
estimates (:func:`greeter.holiday_tables.unmarked` reads a name written with the mark).

Pure: functions of the library's calendars (:mod:`greeter.holiday_tables` makes them), no state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final

#: Languages tried, in order, for the English names.
_ENGLISH = ("en_US", "en_GB", "en")


@dataclass(frozen=True, slots=True)
class Holiday:
    """One public holiday on one day."""

    #: Its names: English first, then the country's own language where that differs.
    names: tuple[str, ...]
    #: A day off moved here — a working day ("Day off (substituted from 01/02/2027)") or a holiday
    #: that fell on a weekend ("Victory Day (observed)"): a day off, not an occasion.
    substitute: bool = False
    #: The date is the library's estimate, not yet the official one (a lunar holiday's years ahead);
    #: :attr:`names` are without the library's mark of it.
    estimated: bool = False
    #: A public holiday, a day off. False: a day of the library's ``workday`` category
    #: (:data:`~greeter.holiday_tables._GREETED_CATEGORIES`) — celebrated, greeted, but a working day:
    #: Ukraine's Independence Day while martial law lasts (holidays 0.10x keeps it in ``workday``).
    day_off: bool = True
    #: (language, name): its name in each language the table asked ("en", "ka"; "ru" by
    #: :func:`~greeter.holiday_tables._in_russian`), for an untitled holiday occasion's letters
    #: (:func:`greeter.occasions.holiday_title`): «ქრისტეშობა».
    named: tuple[tuple[str, str], ...] = ()


def _languages(entity: Any) -> list[str | None]:
    """English, then the country's own language: always named, never left to the locale.

    An entity the library does not translate (no supported languages) has
    its names in English whatever the locale says; ``None`` asks for those.
    """
    supported = tuple(getattr(entity, "supported_languages", ()) or ())
    if not supported:
        return [None]
    own = getattr(entity, "default_language", None)
    english = next((lang for lang in _ENGLISH if lang in supported), None)
    first = english or own
    return [first, own] if own and own != first else [first]


#: The library's labels for a day off moved onto a date: a working day moved here, and a
#: holiday moved off a weekend (after it, before it, or an estimated date's).
_MOVED_LABELS = (
    "substituted_label",
    "observed_label",
    "observed_label_before",
    "observed_estimated_label",
)


def _moved_labels(by_language: Any) -> tuple[tuple[str, str], ...]:
    """The text around ``%s`` in the library's labels of moved days off, in that table's language.

    "Day off (substituted from %s)", "%s (observed)", "%s (выходной)". A
    label that is only ``%s`` (countries whose observed day keeps the
    holiday's name) marks nothing: it would match every name.
    """
    return _labels(by_language, _MOVED_LABELS)


def _labels(by_language: Any, attributes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The text around ``%s`` in the library's labels named ``attributes``, in that table's language;
    none that is only ``%s``."""
    found: dict[tuple[str, str], None] = {}
    for attribute in attributes:
        label = getattr(by_language, attribute, None)
        if not isinstance(label, str) or not label:
            continue
        prefix, marker, suffix = by_language.tr(label).partition("%s")
        if marker and (prefix or suffix):
            found[(prefix, suffix)] = None
    return tuple(found)


def _is_label(name: str, label: tuple[str, str]) -> bool:
    prefix, suffix = label
    return name.startswith(prefix) and name.endswith(suffix) and len(name) > len(prefix) + len(suffix)


def _paired(lists: Sequence[Sequence[str]], entities: Sequence[Any]) -> list[list[str]]:
    """A day's names in each language (``lists``, from ``entities`` in order), each in the first's order.

    The library sorts each language's names of a day by themselves, so when two holidays share a
    day the same position names two holidays: Azerbaijan's 28 May 2026 is «Eid al-Adha,
    Independence Day» in English and «Müstəqillik Günü, Qurban bayramı» in Azerbaijani, and the
    starter titled Independence Day «Курбан-байрам» in Ukrainian. Names are matched by the
    holiday each translates (:func:`_meaning`); a day whose names cannot all be matched so keeps
    the first language's alone, unpaired.
    """
    first = [str(n) for n in lists[0]]
    if any(len(names) != len(first) for names in lists):
        return [first]  # the languages disagree on how many
    if len(first) < 2:
        return [[str(n) for n in names] for names in lists]
    meant = _meaning(entities[0])
    keys = [meant(name) for name in first]
    if len(set(keys)) != len(keys):
        return [first]
    result = [first]
    for names, entity in zip(lists[1:], entities[1:], strict=True):
        means = _meaning(entity)
        by_key = {means(str(name)): str(name) for name in names}
        if set(by_key) != set(keys):
            return [first]
        result.append([by_key[key] for key in keys])
    return result


def _meaning(entity: Any) -> Callable[[str], str]:
    """What a name of ``entity``'s language translates: the library's msgid (the name in its code).

    The library names a holiday ``tr(msgid)`` through gettext, and a label around it
    (``tr("%s (estimated)") % tr(name)``); this reads its catalogs backwards. A name no catalog
    gives is its own msgid (the calendar's own language, untranslated).
    """
    catalogs: list[dict[Any, Any]] = []
    translations = getattr(entity.tr, "__self__", None)  # gettext's own function: not translated
    while translations is not None:
        catalogs.append(getattr(translations, "_catalog", {}))
        translations = getattr(translations, "_fallback", None)
    back: dict[str, str] = {}
    labels: list[tuple[re.Pattern[str], str]] = []
    for catalog in reversed(catalogs):  # the entity's own last: it wins over its parent's
        for msgid, msgstr in catalog.items():
            if not isinstance(msgid, str) or not msgid or not isinstance(msgstr, str):
                continue
            back[msgstr] = msgid
            if msgstr.count("%s") == 1:
                labels.append((re.compile(re.escape(msgstr).replace("%s", "(.+)")), msgid))

    def meaning(name: str) -> str:
        if name in back:
            return back[name]
        for label, msgid in labels:
            found = label.fullmatch(name)
            if found is not None:
                return msgid.replace("%s", back.get(found[1], found[1]))
        return name

    return meaning


def _spoken(languages: Sequence[str | None]) -> tuple[str, ...]:
    """The tables' languages as letters are keyed: ``en_US`` → ``en``; ``None`` (untranslated) → ``en``."""
    return tuple((lang or "en").replace("-", "_").split("_")[0] for lang in languages)


def _by_language(spoken: Sequence[str], names: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(language, name) pairs, the first name of each language (en_GB's and en_US's are both "en")."""
    found: dict[str, str] = {}
    for language, name in zip(spoken, names, strict=False):
        found.setdefault(language, name)
    return tuple(found.items())


def _holiday(
    names: tuple[str, ...],
    moved: list[tuple[tuple[str, str], ...]],
    estimates: list[tuple[tuple[str, str], ...]],
    spoken: Sequence[str] = (),
) -> Holiday:
    """One holiday from its names in each language (``spoken``, in order) and those languages' labels
    (moved, estimated)."""
    substitute = any(_is_label(name, label) for name, own in zip(names, moved, strict=True) for label in own)
    marked = [
        next((m for m in own if _is_label(n, m)), None) for n, own in zip(names, estimates, strict=True)
    ]
    if substitute or not any(marked):
        return Holiday(tuple(dict.fromkeys(names)), substitute, named=_by_language(spoken, names))
    bare = [
        name if mark is None else name[len(mark[0]) : len(name) - len(mark[1])].strip()
        for name, mark in zip(names, marked, strict=True)
    ]
    return Holiday(tuple(dict.fromkeys(bare)), estimated=True, named=_by_language(spoken, bare))


def _serbian_latin(table: dict[date, tuple[Holiday, ...]]) -> dict[date, tuple[Holiday, ...]]:
    """Serbia's table with each holiday also named as Serbians type it in Latin script.

    The library names Serbia's holidays in English and Cyrillic («Божић»), but
    Serbian is written in both scripts and a Belgrade team types «Božić», or
    «Bozic» on a keyboard without diacritics. A Latin name is no typo to
    refuse, nor — worse — another country's holiday to match: Montenegro's and
    Croatia's calendars are named in Latin, so «Dan državnosti» greeted only the
    Montenegrin clients on 13 July. So each Cyrillic name gets its Latin
    transliteration, letter for letter (:func:`~greeter.serbian_script.to_latin`),
    and that without diacritics (:func:`~greeter.serbian_script.to_ascii`) where
    no other holiday of the year has the same one. «Дан државности Србије» is
    also «Дан државности» («Statehood Day» in English): the country's name is
    what one adds abroad. Added after the library's names: English stays the
    first, the Cyrillic the second (:func:`greeter.holiday_names.meant_holiday`
    answers in them).
    """
    from greeter.serbian_script import to_ascii, to_latin  # only here: Serbia's calendar

    def spellings(names: tuple[str, ...]) -> list[str]:
        own = [*names[1:], *(n.removesuffix(" Србије") for n in names[1:] if n.endswith(" Србије"))]
        return [*own, *(to_latin(n) for n in own)]

    holidays = {h.names: h for on_day in table.values() for h in on_day}
    typed: dict[str, set[tuple[str, ...]]] = {}  # each name without diacritics → the holidays it names
    for names in holidays:
        for name in spellings(names):
            typed.setdefault(to_ascii(to_latin(name)), set()).add(names)
    renamed: dict[tuple[str, ...], tuple[str, ...]] = {}
    for names in holidays:
        plain = [a for n in spellings(names) if len(typed[a := to_ascii(to_latin(n))]) == 1]
        renamed[names] = tuple(dict.fromkeys([*names, *spellings(names), *plain]))
    return {
        day: tuple(replace(h, names=renamed[h.names]) for h in on_day)  # every other field kept: day_off
        for day, on_day in table.items()
    }


#: Names the library gives a holiday in its country's own language that are not the holiday's name,
#: by country: the library's → the name. holidays 0.109 names Georgia's Mtskhetoba (14 October)
#: «მცხეთობის», the genitive of «მცხეთობა» (as in «მცხეთობის დღესასწაული», "the feast of
#: Mtskhetoba"), so a Georgian letter of it wished «გილოცავთ: მცხეთობის!» and a Tbilisi office's
#: ``holiday: "მცხეთობა"`` was refused. The library's name stays a name of the holiday.
_MISNAMED: Final[dict[str, dict[str, str]]] = {"GE": {"მცხეთობის": "მცხეთობა"}}


def _renamed(country: str, table: dict[date, tuple[Holiday, ...]]) -> dict[date, tuple[Holiday, ...]]:
    """``table`` (``country``'s) with :data:`_MISNAMED`'s names corrected: the name where the library's
    was (a letter says it), the library's after the others (a config may still write it)."""
    fixed = _MISNAMED.get(country)
    if not fixed:
        return table

    def corrected(h: Holiday) -> Holiday:
        if not any(n in fixed for n in h.names):
            return h
        names = (*(fixed.get(n, n) for n in h.names), *(n for n in h.names if n in fixed))
        return replace(
            h, names=tuple(dict.fromkeys(names)), named=tuple((lang, fixed.get(n, n)) for lang, n in h.named)
        )

    return {day: tuple(corrected(h) for h in on_day) for day, on_day in table.items()}
