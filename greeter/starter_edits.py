"""The text edits ``greeter init --locale LANG`` makes to the example config and sample contacts — pure.

What each starter language and country needs is :mod:`greeter.starter_countries`'
data; this module writes it into the Russian example's ``greeter.yaml`` (its
comments and alignment kept, the file edited as text rather than re-dumped,
so the user's starting point reads as the example does) and moves the sample
clients to the country asked for. Moved out of ``starter_countries`` as that
module neared the 900-line limit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Final

from greeter.starter_countries import (
    CHRISTMAS_LEADS,
    EXAMPLE_PHONE,
    LANGUAGES,
    RUSSIA_ONLY,
    SENDERS,
    SHARED_AS,
    examples_for,
)

_SECTION: Final = r"^{}:\n(?:(?:[ #][^\n]*)?\n)*"
_OCCASION: Final = re.compile(r"^  - name: (\w+)\n(?:(?:    [^\n]*)?\n)*", re.MULTILINE)
_TITLE: Final = re.compile(r"^(    title: )([^#\n]*?)( *#[^\n]*)?$", re.MULTILINE)
_COMMENTED_TITLES: Final = re.compile(r"^    # title_by_locale:[^\n]*\n", re.MULTILINE)
_HOLIDAY: Final = re.compile(r'^(    holiday: )"([^"\n]*)"', re.MULTILINE)
_COLUMN: Final = re.compile(r"^(    (\w+): )([^#\n]*?)( *#[^\n]*)?$", re.MULTILINE)


class StarterShapeError(ValueError):
    """The example config lacks a section this edits: the starter and this module ship together."""


def _section(text: str, name: str) -> re.Match[str]:
    found = re.search(_SECTION.format(re.escape(name)), text, re.MULTILINE)
    if found is None:
        raise StarterShapeError(f"no top-level {name}: section")
    return found


def _aligned(head: str, value: str, comment: str | None, old: str) -> str:
    """``head value`` keeping a trailing comment where it stood (at least one space after)."""
    if not comment:
        return head + value
    width = len(head) + len(old) + len(comment) - len(comment.lstrip(" "))
    line = head + value
    return line + " " * max(1, width - len(line)) + comment.lstrip(" ")


def _flow(words: Mapping[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in words.items()) + "}"


def with_defaults(text: str, country: str, timezone: str) -> str:
    """``defaults.timezone`` and ``defaults.country`` set (their comments kept)."""
    section = _section(text, "defaults")
    body = section.group()
    for key, value in (("timezone", timezone), ("country", country)):
        line = re.compile(rf"^(  {key}: )(\S+)( *#[^\n]*)?$", re.MULTILINE)
        found = line.search(body)
        if found is None:
            raise StarterShapeError(f"no defaults.{key}")
        new = _aligned(found[1], value, found[3], found[2])
        body = body[: found.start()] + new + body[found.end() :]
    return text[: section.start()] + body + text[section.end() :]


def with_country_sender(text: str, country: str) -> str:
    """The ``sender`` section in ``country``'s legal form and city (:data:`SENDERS`): «ТОО «Ромашка»»,
    «+7 727 000-00-00» for KZ, where an Almaty office's starter signed «ООО «Ромашка», +7 495».
    Unchanged for a country without an entry."""
    own = SENDERS.get(country.split("-")[0].upper())
    if own is None:
        return text
    section = _section(text, "sender")
    body = _in_forms(section.group(), own.forms).replace(EXAMPLE_PHONE, own.phone)
    return text[: section.start()] + body + text[section.end() :]


def _in_forms(text: str, forms: Mapping[str, str]) -> str:
    """``text`` with each legal form of ``forms`` written as the other (``ООО «`` → ``ТОО «``)."""
    for russian, local in forms.items():
        text = re.sub(rf"(?<!\w){re.escape(russian)}(?= «)", local, text)
    return text


def with_columns(text: str, columns: Mapping[str, str | None]) -> str:
    """``contacts.columns`` and ``contacts.dates`` naming the sample file's headers."""
    section = _section(text, "contacts")

    def header(found: re.Match[str]) -> str:
        if found[2] not in columns:
            return found.group()
        value = columns[found[2]]
        return _aligned(found[1], "null" if value is None else value, found[4], found[3])

    body = _COLUMN.sub(header, section.group())
    return text[: section.start()] + body + text[section.end() :]


_DATE_FORMATS: Final = re.compile(r"^(  date_formats: )(\[[^\]\n]*\])( *#[^\n]*)?$", re.MULTILINE)


def with_date_formats(text: str, formats: Sequence[str]) -> str:
    """``contacts.date_formats`` listing ``formats`` (its comment kept); unchanged when none."""
    if not formats:
        return text
    section = _section(text, "contacts")
    found = _DATE_FORMATS.search(section.group())
    if found is None:
        raise StarterShapeError("no contacts.date_formats")
    listed = "[" + ", ".join(json.dumps(f) for f in formats) + "]"
    line = _aligned(found[1], listed, found[3], found[2])
    start, end = section.start() + found.start(), section.start() + found.end()
    return text[:start] + line + text[end:]


def with_occasions(
    text: str,
    locale: str,
    country: str,
    calendar: Sequence[str] = (),
    shared: Mapping[str, str] | None = None,
    translated: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """Titles in ``locale`` (the others' by ``title_by_locale``), Russia's holidays commented out,
    ``country``'s own offered as commented examples after the last of them (for a country
    :data:`HOLIDAYS` has none of: the names of its ``calendar``, the holidays library's).

    ``shared``: Russia's holidays (by the name an occasion's ``holiday:`` gives) that ``country``
    has a public holiday on the same date of, to that holiday's name there: those occasions stay,
    naming it. An Almaty office's starter had 8 March commented out as "Russia's", though
    Kazakhstan keeps it too (and Uzbekistan's calendar calls it "Women's Day").

    ``translated``: each example's titles in the other starter languages (:func:`example_titles`),
    written as its ``title_by_locale``.
    """
    section = _section(text, "occasions")
    body, titles = section.group(), LANGUAGES[locale].titles
    # The Russian sample's clients stay in Russia (and a few elsewhere): the country's own holiday
    # is its clients' alone there, not greeted to them on its date.
    examples = _examples(country, locale, calendar, only_there=locale == "ru", translated=translated)
    found = examples_for(country, locale)
    christmas_leads = bool(found) and found[0].before_new_year
    # Their words are Russian (title «8 Марта», the Russian sample's tag 8mar): Russian projects'.
    shared = shared if shared and locale == "ru" else {}
    parts: list[str] = []
    last = 0
    russian_end, commented = None, False  # where Russia's holidays end; whether one is commented out
    for block in _OCCASION.finditer(body):
        parts.append(body[last : block.start()])
        name, words = block[1], block.group()
        holiday = _HOLIDAY.search(words)
        if name in RUSSIA_ONLY and holiday is not None and holiday[2] in shared:
            own = json.dumps(shared[holiday[2]], ensure_ascii=False)
            words = words[: holiday.start(2) - 1] + own + words[holiday.end(2) + 1 :]
            if (renamed := SHARED_AS.get(shared[holiday[2]])) is not None:
                words = _renamed(words, name, *renamed)
            russian_end = len("".join(parts)) + len(words)
        elif name in RUSSIA_ONLY:
            words = "".join(
                ("  # " + line[2:] if line.strip() else line) + "\n" for line in words.splitlines()
            )
            russian_end = len("".join(parts)) + len(words)
            commented = True
        elif name in titles:
            if name == "new_year" and christmas_leads:
                words = _NEW_YEAR_DATE.sub(
                    lambda m: m.group() + _NEW_YEAR_RIDES,
                    words,
                    count=1,
                )
            others = {lang: w.titles[name] for lang, w in LANGUAGES.items() if lang != locale}
            words = _COMMENTED_TITLES.sub("", words)
            words = _TITLE.sub(
                lambda m, n=name, o=others: (  # type: ignore[misc]
                    _aligned(m[1], titles[n], m[3], m[2]) + f"\n    title_by_locale: {_flow(o)}"
                ),
                words,
                count=1,
            )
        parts.append(words)
        last = block.end()
    parts.append(body[last:])
    body = "".join(parts)
    if russian_end is not None:
        # With no example of its own (UA in Ukrainian), the line after says so and lists its calendar's
        # names: "the first is greeted" above it promised an example that is not there.
        own = (
            " This country's own, by the names its calendar gives\n"
            "  # them (the first is greeted; uncomment another to greet it too):\n"
            if found
            else "\n"
        )
        notice = (
            "  # Russia's public holidays commented out above are not this country's: uncomment one with\n"
            "  # country: RU for clients in Russia." + own
            if commented
            else ""
        )
        body = body[:russian_end].rstrip("\n") + "\n\n" + notice + examples + body[russian_end:]
    else:
        body = body.rstrip("\n") + "\n\n" + examples + "\n"
    return text[: section.start()] + body + text[section.end() :]


def _renamed(words: str, name: str, new: str, title: str) -> str:
    """An occasion's block (``words``) named ``new`` and titled ``title`` instead (:data:`SHARED_AS`)."""
    words = words.replace(f"  - name: {name}\n", f"  - name: {new}\n", 1)
    return _TITLE.sub(lambda m: _aligned(m[1], title, m[3], m[2]), words, count=1)


def _examples(
    country: str,
    locale: str,
    calendar: Sequence[str] = (),
    *,
    only_there: bool = False,
    translated: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """``country``'s holidays as occasions, the first active, the others commented (none known: a line
    saying how to add one, with the names its ``calendar`` gives, to pick from); ``only_there``:
    each with ``country:`` (dated by its calendar, greeted to its clients alone); ``translated``:
    their ``title_by_locale`` (:func:`example_titles`)."""
    found = examples_for(country, locale)
    if not found and calendar:
        import textwrap

        names = textwrap.wrap(
            f"(greeter has no example holiday for {country}: `holiday:` takes a name of its calendar: "
            # each quoted: "Holiday of Svetitskhovloba, Robe of Jesus" is one name, not two
            + ", ".join(json.dumps(name, ensure_ascii=False) for name in calendar)
            + ")",
            width=96,
        )
        return "".join(f"  # {line}\n" for line in names)
    if not found:
        return (
            "  # (greeter knows no example holiday for this country: `holiday:` takes its calendar's names)\n"
        )
    # The first greets (a starter whose holiday template nothing used had check warn of six
    # files "never rendered", and no holiday letter to preview); the others are offered.
    blocks = []
    own = _language_of(country)
    for i, h in enumerate(found):
        title, titles = h.title, dict((translated or {}).get(h.name, {}))
        if h.own is not None and h.own != locale:
            # Titled in a language no starter speaks (Georgian): the project's own title is the
            # library's name in its language (English), else ours in Russian; the Georgian one
            # its title_by_locale entry.
            title = titles.pop(locale, "") or (h.ru if locale == "ru" else None) or title
            titles[h.own] = h.title  # ours, by hand: the library has «მცხეთობის», a genitive
        elif h.own is not None:  # the project speaks it (Georgian): the title is its own, once
            titles.pop(locale, None)  # the library's «მცხეთობის» (a genitive) was offered beside it
        elif locale == "ru" and h.ru is not None:
            # A Russian-speaking team's project: its letters name the day in Russian, the country's
            # language's by title_by_locale. A Kyiv office's Russian letters said «с праздником
            # День незалежності України», and check warned of a Ukrainian title in Russian letters.
            title = h.ru
            if own is not None and own != locale:
                titles.setdefault(own, h.title)
        lines = (
            f"- name: {h.name}",
            f"  title: {title}",
            *((f"  title_by_locale: {_flow(titles)}",) if titles else ()),
            f"  holiday: {json.dumps(h.holiday, ensure_ascii=False)}",
            *((f"  country: {country.upper()}",) if only_there else ()),
            "  template: holiday",
            *(_CHRISTMAS_LINES if h.before_new_year else ("  priority: 30",)),
        )
        blocks.append("".join(("  " if i == 0 else "  # ") + line + "\n" for line in lines))
    return "".join(blocks)


def _language_of(country: str) -> str | None:
    """The starter language whose country ``country`` is (``UA`` → ``uk``, ``GB-ENG`` → ``en``), or None."""
    code = country.split("-")[0].upper()
    return next((lang for lang, w in LANGUAGES.items() if w.country.split("-")[0] == code), None)


#: A Christmas before New Year's settings (:data:`CHRISTMAS_LEADS`), as ``_examples`` writes them.
_CHRISTMAS_LINES: Final = (
    f"  priority: {CHRISTMAS_LEADS}                 # the letter of the year: it leads New Year and the",
    "                               # anniversaries, and carries their wishes (New Year's ahead)",
    "  merge_max_days_late: 0       # never belated: a birthday letter of 27.12-2.01 leads and",
    "                               # leaves Christmas out: no «belated Christmas», and no Christmas",
    "                               # wishes for those clients (skipped as frequency_cap, saying why)",
)
#: What :func:`with_occasions` writes after the New Year's ``date:`` line where Christmas leads it.
_NEW_YEAR_RIDES: Final = (
    "    merge_max_days_early: null   # rides ahead in the Christmas letter, however early\n"
    "                                 # send_window.max_days_early lets a greeting go\n"
)
#: The New Year occasion's ``date:`` line, after which :func:`with_occasions` bounds its ride.
_NEW_YEAR_DATE: Final = re.compile(r"^    date: [^\n]*\n", re.MULTILINE)


def contacts_in_country(text: str, locale: str, country: str, timezone: str) -> str:
    """The sample contacts of ``locale`` (``data/contacts.<locale>.csv``; Russian: ``data/contacts.csv``)
    as clients in ``country``: the rows in the language's own country and zone moved to ``country``
    and ``timezone`` (the Russian sample's «Россия» rows, of Russia's several zones, all of them:
    an Almaty office's starter greeted Nauryz to no one, its clients all in Russia).

    ``init --locale de --country AT`` wrote an Austrian config over ten clients in
    Europe/Berlin and Germany: preview then timed and dated every letter by Germany's
    clock and days off, not the project's. Other cells, and the file's delimiter and
    quoting, are kept (the samples quote nothing: written back byte for byte).
    """
    import csv
    import io

    own = LANGUAGES[locale]
    zone_column, country_column = own.columns["timezone"], own.columns["country"]
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if (
        zone_column is None
        or country_column is None
        or not rows
        or not {zone_column, country_column} <= set(rows[0])
    ):
        raise StarterShapeError(
            f"the sample contacts of {locale!r} lack {zone_column!r} or {country_column!r}"
        )
    zone_at, country_at = rows[0].index(zone_column), rows[0].index(country_column)
    # The moved clients' companies in the country's legal forms (ТОО «Вектор» in Kazakhstan).
    sender = SENDERS.get(country.split("-")[0].upper())
    company_at = rows[0].index(own.columns["company"] or "") if own.columns["company"] in rows[0] else None
    for row in rows[1:]:
        if len(row) > max(zone_at, country_at):
            if row[country_at] in own.country_names:  # a country in words: its clients, every zone
                row[zone_at], row[country_at] = timezone, country
            if row[zone_at] == own.timezone:
                row[zone_at] = timezone
            if row[country_at] == own.country:
                row[country_at] = country
            if sender is not None and company_at is not None and row[country_at] == country:
                row[company_at] = _in_forms(row[company_at], sender.forms)
    out = io.StringIO(newline="")
    ending = "\r\n" if header.endswith("\r") else "\n"  # the Russian sample's is CRLF
    csv.writer(out, delimiter=delimiter, lineterminator=ending).writerows(rows)
    return out.getvalue()


def with_sender_names(text: str, locale: str) -> tuple[str, str]:
    """The sender's ``name`` and ``company`` those of ``by_locale.<locale>`` (the example's
    «ООО «Ромашка»» is the Russian letters' alone), that entry gone, and the lines that keep the
    Russian ones for a ``by_locale.ru`` entry. Unchanged, and no lines, when the example has no
    such entry.

    The entry goes because it would now only repeat the sender's own: a German team edited
    ``sender`` (as ``init`` says to) and every German letter still went out from the example's
    "Romashka LLC", the left-over ``by_locale.de`` overriding it. Letters in ``locale`` now take
    the one block the user edits.
    """
    section = _section(text, "sender")
    body = section.group()
    own = re.search(
        rf"^    {re.escape(locale)}:[^\n]*\n(?:      [^\n]*\n)*?      name: ([^\n]+)\n"
        r"(?:      [^\n]*\n)*?      company: ([^\n]+)\n(?:      [^\n]*\n)*",
        body,
        re.MULTILINE,
    )
    if own is None:
        return text, ""
    body = body[: own.start()] + body[own.end() :]
    kept = []
    for key, value in (("name", own[1]), ("company", own[2])):
        top = re.search(rf"^(  {key}: )([^\n]+)$", body, re.MULTILINE)
        if top is None:
            return text, ""
        kept.append(f"      {key}: {top[2]}\n")
        body = body[: top.start()] + top[1] + value + body[top.end() :]
    return text[: section.start()] + body + text[section.end() :], "".join(kept)
