"""``greeter init [DIR]``: a starter project — ``greeter.yaml``, ``templates/``, sample contacts.

A wheel install has no checkout beside it: the commented example config, the
letter templates and the sample contacts live at the top of the repository,
so after ``pip install`` there was nothing to start from, and ``greeter
check`` in an empty folder could only say that no config is there. The wheel
now carries those files inside the package (pyproject maps the repository's
own ``config.example.yaml``, ``templates/*.j2`` and ``data/contacts.csv`` to
``greeter/_starter/``: one source, no second copy committed), and this
command writes them out, ready for ``greeter check`` and ``greeter preview``.

It never replaces a file: the ones it writes are the ones a user edits (the
config, the letters, the contacts export), so a second ``init`` over an edited
project refuses, names what is there and writes nothing — there is no
``--force``; remove the files, or init another folder and copy what is wanted.

``--locale LANG`` starts a project in another language than Russian. An
unsuffixed letter (``birthday.j2``) is taken to be in ``defaults.locale``: an
Estonian team that only changed that setting had the Russian letters taken
as Estonian (Russian clients got «Lugupeetud Sergei Petrov!» over Russian
text, Latvian ones the Russian letter). So ``init --locale et`` writes
``birthday.et.j2``'s text as ``birthday.j2`` and the Russian one as
``birthday.ru.j2`` — each language once — and a ``greeter.yaml`` saying
``locale: et`` whose Russian signature signs the Russian letters only
(:func:`localized_config`). Without ``--locale`` (``ru``) the files are the
starter's, byte for byte.

A Serbian team then got Serbian letters under Moscow's config (``timezone:
Europe/Moscow``, ``country: RU``, Russian headers over Russian sample clients,
titles «День рождения», 23 February and 8 March greeted as public holidays
Serbia has not) and rewrote it. So the project is also that language's
country's (:mod:`greeter.starter_countries`; :mod:`greeter.starter_edits` writes it in): its zone
and days off, titles in the language, its sample clients (``data/contacts.<lang>.csv``, written as
``data/contacts.csv``) under headers the config names, Russia's holidays
commented out (but for a day the country keeps too) and the country's own offered.
``--country CC`` names another; given alone the letters are in the country's language where the
starter has it (a Kyiv office's Ukrainian, a Tallinn one's Estonian), Russian for a Russian-speaking
office (KZ, BY…), else English — a Riga office's Latvian clients got Russian
(:func:`~greeter.starter_countries.country_locale`); ``init`` says which.

Importing this module registers the command on the ``greeter`` group; it
imports neither the config machinery nor Jinja: it only copies files.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Final

import click

from greeter import starter_countries, starter_edits
from greeter.cli import CONTEXT, DEFAULT_CONFIG, State, _config_option, handles_errors, main
from greeter.errors import EXIT_BUG, GreeterError, OutputError
from greeter.file_modes import make_group_folder, open_group_readable

if TYPE_CHECKING:  # importlib.resources is imported by init alone: every command loads this module
    from importlib.resources.abc import Traversable

#: The commented example config the starter's ``greeter.yaml`` is a copy of (the repository's top level).
EXAMPLE_CONFIG: Final = "config.example.yaml"
#: Where a wheel keeps the starter's files: a folder of the ``greeter`` package (pyproject's mapping).
PACKAGED: Final = "_starter"
#: The letter templates, copied whole: every ``*.j2`` of the folder, as pyproject ships them.
TEMPLATES: Final = "templates"
TEMPLATE_SUFFIX: Final = ".j2"
#: The sample contacts ``config.example.yaml`` reads (``contacts.path``), and nothing else of ``data/``:
#: a checkout's ``data/`` also holds its journal and outbox, which are nobody's starting point.
SAMPLE_DATA: Final = ("data/contacts.csv",)
#: How many of the existing files a refusal names before it counts the rest.
_NAMED: Final = 10
#: The language of the starter's unsuffixed letters (``birthday.j2``), and its config's ``defaults.locale``.
STARTER_LOCALE: Final = "ru"
#: ``defaults.locale``'s line in the example config (its two-space indent: not ``columns.locale``).
_DEFAULT_LOCALE: Final = re.compile(rf"^(  locale: ){STARTER_LOCALE}\b", re.MULTILINE)
#: The sender's signature in the example config, with the comment above it: the language's own.
_SIGNATURE: Final = re.compile(
    r"^(?P<comment>(?:  #[^\n]*\n)+)  signature: \|\n(?P<lines>(?:    [^\n]*\n)+)", re.MULTILINE
)
_BY_LOCALE: Final = re.compile(r"^  by_locale:\n", re.MULTILINE)


# Local: raised by this module alone; the CLI reports it as any GreeterError, by its exit code.
class StarterMissingError(GreeterError):
    """greeter was installed without its starter files: a packaging bug, not the user's to fix."""

    exit_code = EXIT_BUG


@dataclass(frozen=True, slots=True)
class StarterFile:
    """One file of the starter project: where it is read from, and its name in the project.

    ``content``: what to write instead of the source's bytes (the config of a
    project in another language: :func:`localized_config`).
    """

    source: Traversable
    name: PurePosixPath
    content: bytes | None = None

    def data(self) -> bytes:
        """The bytes written to the project."""
        return self.content if self.content is not None else self.source.read_bytes()


def starter_root() -> Traversable:
    """The folder holding ``config.example.yaml``, ``templates/`` and ``data/`` for this greeter.

    Inside the installed package when greeter came from a wheel. A source
    checkout — run with ``PYTHONPATH``, or installed editable, whose import
    hook maps Python packages only — has no ``greeter/_starter/``: there the
    files are the checkout's own, beside the ``greeter`` package. Either way
    they are this greeter's: never those of another installation.
    """
    from importlib import resources

    packaged = resources.files("greeter").joinpath(PACKAGED)
    if packaged.joinpath(EXAMPLE_CONFIG).is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / EXAMPLE_CONFIG).is_file() and (checkout / TEMPLATES).is_dir():
        return checkout
    raise StarterMissingError(
        f"greeter's starter files are not installed with it (no {EXAMPLE_CONFIG} in {packaged} "
        f"nor in {checkout}): a packaging bug; reinstall greeter from its wheel"
    )


def _template_names(root: Traversable) -> list[str]:
    """The starter's template files, by name (``birthday.j2``, ``birthday.et.j2``, ``_ru.j2``…)."""
    templates = root.joinpath(TEMPLATES)
    return sorted(t.name for t in templates.iterdir() if t.name.endswith(TEMPLATE_SUFFIX) and t.is_file())


def _letters(names: Sequence[str]) -> list[str]:
    """The unsuffixed letters among ``names`` (``birthday``, not ``birthday.et`` nor the partial ``_ru``)."""
    return [n.removesuffix(TEMPLATE_SUFFIX) for n in names if not n.startswith("_") and n.count(".") == 1]


def starter_locales(root: Traversable) -> list[str]:
    """The languages ``init --locale`` can start a project in: Russian, and each every letter has a file in.

    A language only some letters have would leave the others Russian under its
    ``defaults.locale``: the very mix ``--locale`` is there to avoid.
    """
    names = _template_names(root)
    letters = _letters(names)
    found = {n.split(".")[1] for n in names if n.count(".") == 2 and not n.startswith("_")}
    every = {lang for lang in found if all(f"{t}.{lang}{TEMPLATE_SUFFIX}" in names for t in letters)}
    return [STARTER_LOCALE, *sorted(every - {STARTER_LOCALE})]


def sample_data(locale: str) -> str:
    """The starter's sample contacts for a project in ``locale``: ``data/contacts.<locale>.csv``
    (that country's clients, headers in its language) but for Russian: ``data/contacts.csv``."""
    if locale == STARTER_LOCALE:
        return SAMPLE_DATA[0]
    return f"data/contacts.{locale}.csv"


def starter_files(
    root: Traversable,
    locale: str = STARTER_LOCALE,
    country: str | None = None,
    written_locale: str | None = None,
) -> list[StarterFile]:
    """What ``init`` writes, in the order it writes it: the config, the sample contacts, the templates.

    ``locale``: one of :func:`starter_locales`. For another than Russian each
    letter's file in that language is written as the unsuffixed one and the
    Russian one as ``<letter>.ru.j2`` (each language once), the config says
    so and is that country's (:func:`localized_config`), and the sample
    contacts are the language's (:func:`sample_data`) written as ``data/contacts.csv``.
    ``written_locale``: the config's ``defaults.locale`` when it is more than the language
    (``de_AT``, ``sr_Latn``: :func:`requested_locale`).
    ``country``: ``init --country``'s, else the language's own (:mod:`greeter.starter_countries`);
    a language's sample clients are then that country's, in its zone
    (:func:`~greeter.starter_edits.contacts_in_country`; the Russian sample's clients in
    Russia: its others are in Germany, England, Serbia).
    """
    config = root.joinpath(EXAMPLE_CONFIG)
    content = None
    if locale != STARTER_LOCALE or country is not None:
        code = project_country(locale, country)[0]
        text = localized_config(
            config.read_text(encoding="utf-8"),
            locale,
            country,
            holiday_names(code, locale=locale),
            shared_holidays(code),
            holiday_titles(code, locale),
        )
        content = text.encode("utf-8")
    if written_locale not in (None, locale):  # de_AT: the German starter, the Austrian's dates and months
        text = content.decode("utf-8") if content is not None else config.read_text(encoding="utf-8")
        line = re.compile(rf"^(  locale: ){locale}( *)(?=#)", re.MULTILINE)
        text, found = line.subn(lambda m: m[1] + written_locale.ljust(len(locale) + len(m[2])), text, count=1)
        if not found:
            raise StarterMissingError(
                f"the starter's {EXAMPLE_CONFIG} lacks the defaults.locale line greeter init --locale "
                "edits: a packaging bug; use greeter init --locale without a territory"
            )
        content = text.encode("utf-8")
    text = content.decode("utf-8") if content is not None else config.read_text(encoding="utf-8")
    files = [StarterFile(config, PurePosixPath(DEFAULT_CONFIG), project_head(text).encode("utf-8"))]
    for name in SAMPLE_DATA:
        source = root.joinpath(*PurePosixPath(sample_data(locale)).parts)
        clients = None
        code, zone = project_country(locale, country)
        if country is not None and code != starter_countries.LANGUAGES[locale].country:
            try:
                moved = starter_edits.contacts_in_country(
                    source.read_text(encoding="utf-8"), locale, code, zone
                )
            except starter_edits.StarterShapeError as exc:
                raise StarterMissingError(
                    f"{exc}: a packaging bug; use greeter init without --country"
                ) from exc
            clients = moved.encode("utf-8")
        files.append(StarterFile(source, PurePosixPath(name), clients))
    templates = root.joinpath(TEMPLATES)
    names = _template_names(root)
    written = {n: n for n in names}  # the project's file → the starter's it is a copy of
    if locale != STARTER_LOCALE:
        for letter in _letters(names):
            own, russian = (
                f"{letter}.{locale}{TEMPLATE_SUFFIX}",
                f"{letter}.{STARTER_LOCALE}{TEMPLATE_SUFFIX}",
            )
            plain = f"{letter}{TEMPLATE_SUFFIX}"
            del written[own]
            written[plain], written[russian] = own, plain
    files += [
        StarterFile(templates.joinpath(source), PurePosixPath(TEMPLATES, name))
        for name, source in sorted(written.items())
    ]
    return files


#: The example's opening words, of itself (``config.example.yaml``, in the repository and the sdist)…
_EXAMPLE_HEAD: Final = (
    "# greeter — example configuration.\n"
    "#\n"
    "# This file works as it is: `greeter check --config config.example.yaml`.\n"
    "# Copy it to greeter.yaml and change what you need. Lines starting with # are\n"
)
#: …and the project's copy's, which is greeter.yaml, the file every command reads by default.
_PROJECT_HEAD: Final = (
    "# greeter — this project's configuration, written by greeter init from the example.\n"
    "#\n"
    "# This file works as it is: `greeter check` in this folder (elsewhere: --config PATH).\n"
    "# Change what you need. Lines starting with # are\n"
)


def project_head(text: str) -> str:
    """The example config's text as the project's ``greeter.yaml``: its opening says so. Pure.

    The copy ``init`` wrote began "This file works as it is: `greeter check --config
    config.example.yaml`. Copy it to greeter.yaml…": the file is greeter.yaml, and no
    config.example.yaml is in the project. Its sample error line names greeter.yaml too.
    """
    if not text.startswith(_EXAMPLE_HEAD):
        raise StarterMissingError(
            f"the starter's {EXAMPLE_CONFIG} does not open as greeter init expects: a packaging bug"
        )
    text = _PROJECT_HEAD + text.removeprefix(_EXAMPLE_HEAD)
    return text.replace(f"#   {EXAMPLE_CONFIG}:", f"#   {DEFAULT_CONFIG}:", 1)


def holiday_names(country: str, year: int | None = None, locale: str = STARTER_LOCALE) -> tuple[str, ...]:
    """The English names of ``country``'s public holidays in ``year`` (default: this one), by date,
    when :data:`~greeter.starter_countries.HOLIDAYS` has no example for it in ``locale`` (else none,
    not asked): the config then lists them for ``holiday:``. None either where the library has no
    calendar, nor a day of mourning (:mod:`greeter.mourning_days`): no starter offers a greeting on it."""
    if starter_countries.examples_for(country, locale):
        return ()
    from datetime import date

    from greeter.holiday_tables import greeted_days_of, has_calendar
    from greeter.mourning_days import mourned

    if not has_calendar(country):
        return ()
    table = greeted_days_of(country, year or date.today().year)
    names = (
        h.names[0]
        for day in sorted(table)
        for h in table[day]
        if not h.substitute and mourned(country, h.names) is None  # Armenia's 24 April: never offered
    )
    return tuple(dict.fromkeys(names))


def holiday_titles(country: str, locale: str, year: int | None = None) -> dict[str, dict[str, str]]:
    """The example holidays' titles in the other starter languages, by the holidays library's names
    in ``year`` (default: this one) where it has them
    (:func:`~greeter.starter_countries.example_titles`); none where it has no calendar."""
    from datetime import date

    from greeter.holiday_tables import has_calendar, names_in

    if not starter_countries.examples_for(country, locale) or not has_calendar(country):
        return {}
    year = year or date.today().year
    return starter_countries.example_titles(
        country, locale, lambda name, languages: names_in(country, name, year, languages)
    )


def shared_holidays(country: str, year: int | None = None) -> dict[str, str]:
    """Russia's public holidays in ``year`` (default: this one) that ``country`` has a holiday
    on the same day of: Russia's English name → that holiday's there ("International Women's Day"
    → "Women's Day" for Uzbekistan). Their occasions stay in ``country``'s starter
    (:func:`~greeter.starter_edits.with_occasions`): an Almaty office's had 8 March commented
    out as Russia's. None where the library has no calendar for ``country``, or it is Russia.

    ``country``'s holidays are those an occasion may greet (:func:`~greeter.holiday_tables.greeted_days_of`),
    not its days off alone: while martial law lasts the holidays library keeps every one of
    Ukraine's (8 March among them) in its ``workday`` category, so a Kyiv office's Russian starter
    had ``womens_day`` commented out as "not this country's" though ``holiday: "International
    Women's Day"`` greets its clients on 8 March (the occasion's name is looked up there too)."""
    from datetime import date

    from greeter.holiday_tables import days_of, greeted_days_of, has_calendar

    if country == "RU" or not has_calendar(country):
        return {}
    year = year or date.today().year
    theirs = greeted_days_of(country, year)
    shared: dict[str, str] = {}
    for day, russian in days_of("RU", year).items():
        own = [h.names[0] for h in theirs.get(day, ()) if not h.substitute]
        for h in russian:
            if own and not h.substitute:
                shared.setdefault(h.names[0], own[0])
    return shared


def localized_config(
    text: str,
    locale: str,
    country: str | None = None,
    calendar: Sequence[str] = (),
    shared: Mapping[str, str] | None = None,
    translated: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """Pure: the example config for a project in ``locale`` and ``country``, not Russian and Russia.

    ``country`` (``init --country``; None: the language's own, :mod:`greeter.starter_countries`)
    sets ``defaults.country`` and ``defaults.timezone`` (:func:`project_country`), comments
    out Russia's public holidays (not another country's) and offers the country's own as
    commented examples (or, for a country greeter has none for, lists ``calendar``'s names:
    :func:`holiday_names`), but for those on a day the country keeps too (``shared``:
    :func:`shared_holidays`) — the examples with titles in the other starter languages
    (``translated``: :func:`holiday_titles`); the occasions are titled in ``locale``, and ``contacts.columns``
    names the headers of that language's sample contacts (:func:`sample_data`).

    ``defaults.locale`` says ``locale``; the sender's Russian signature, which
    signs the letters of ``defaults.locale``'s language, moves to a new
    ``sender.by_locale.ru`` entry (with the Russian name, «ООО «Ромашка»»: the sender's
    is the ``by_locale.<locale>`` one, and that entry goes), so it signs the Russian letters
    alone and the ``locale`` letters close with their language's words and the name: the
    top-level ``sender``, the one block the user edits for them.
    Raises :class:`StarterMissingError` when the example no longer has the
    lines this edits: the starter and this function are shipped together.
    """
    country, timezone = project_country(locale, country)
    try:
        text = starter_edits.with_defaults(text, country, timezone)
        text = starter_edits.with_country_sender(text, country)
        if country != "RU" or locale != STARTER_LOCALE:
            text = starter_edits.with_occasions(text, locale, country, calendar, shared, translated)
        if locale == STARTER_LOCALE:
            return text
        own = starter_countries.LANGUAGES[locale]
        text = starter_edits.with_columns(text, own.columns)
        text = starter_edits.with_date_formats(text, own.date_formats)
        text, russian_names = starter_edits.with_sender_names(text, locale)
    except starter_edits.StarterShapeError as exc:
        raise StarterMissingError(
            f"the starter's {EXAMPLE_CONFIG} is not as greeter init --locale expects ({exc}): "
            "a packaging bug; use greeter init without --locale"
        ) from exc
    edited, found = _DEFAULT_LOCALE.subn(rf"\g<1>{locale}", text, count=1)
    signature = _SIGNATURE.search(edited)
    by_locale = _BY_LOCALE.search(edited)
    if not found or signature is None or by_locale is None or signature.start() > by_locale.start():
        raise StarterMissingError(
            f"the starter's {EXAMPLE_CONFIG} lacks the defaults.locale, sender.signature or "
            "sender.by_locale lines greeter init --locale edits: a packaging bug; "
            "use greeter init without --locale"
        )
    russian = "".join(f"    {line}\n" for line in signature["lines"].splitlines())
    entry = (
        f"    {STARTER_LOCALE}:                        # the Russian letters (*.ru.j2) sign with it\n"
        f"{russian_names}      signature: |\n{russian}"
    )
    comment = (
        "  # The signature under letters in the language of defaults.locale would go here (signature: |\n"
        "  # and its lines); without one they close with their language's words and the name. The\n"
        "  # Russian letters sign with by_locale.ru's signature below, and no other language with it.\n"
    )
    return (
        edited[: signature.start()]
        + comment
        + edited[signature.end() : by_locale.end()]
        + entry
        + edited[by_locale.end() :]
    )


def project_country(locale: str, country: str | None) -> tuple[str, str]:
    """The project's ``defaults.country`` and ``defaults.timezone``: ``locale``'s own, or ``country``
    (``init --country``) in its zone — the first :func:`~greeter.country_zones.zones_of` lists, its capital's
    where it has several (America/New_York for US, Europe/Kyiv for UA: the config's comment says to
    set it). Raises ``click.BadParameter`` for a country the time zone database does not know."""
    if country is None:
        own = starter_countries.LANGUAGES[locale]
        return own.country, own.timezone
    from greeter.country_zones import zones_of

    code = country.strip().upper().replace("_", "-")
    zones = zones_of(code)
    if not zones:
        raise click.BadParameter(
            f"{country!r}: no such country (an ISO code: RS, US, GB-ENG)", param_hint="'--country'"
        )
    return code, zones[0]


def requested_locale(asked: str, languages: Sequence[str]) -> tuple[str, str, str | None]:
    """``--locale``'s value as (the starter's language, ``defaults.locale`` to write, a country or None).

    The letters are by language (``birthday.de.j2``), so ``de_AT`` takes the
    German starter; but the config keeps ``de_AT``: the written locale is what
    dates, month names («Jänner») and the gallery follow, and a letter in
    ``de_AT`` still finds the ``de`` file (the template chain ``de_AT`` → ``de``).
    ``sr_Latn`` likewise keeps the Latin script the Serbian letters are then
    transliterated into. Written as Babel spells it (``de-at`` → ``de_AT``),
    within what ``defaults.locale`` accepts (one subtag: ``sr_Latn_RS`` →
    ``sr_Latn``). A territory the language's starter country is not
    (``de_AT``: AT, not DE) is returned as the project's country, as
    ``--country AT`` would be. Raises ``click.BadParameter`` for a locale Babel
    does not know, a language the starter has no letters in, and ``hr``/``bs``
    (the one line says to start a Serbian Latin project).
    """
    from babel import Locale

    from greeter.i18n import kindred_locale, normalize_locale, one_subtag

    canonical = normalize_locale(asked, "")
    language = canonical.split("_")[0] if canonical else asked.strip().lower()
    if language not in languages:
        if canonical and kindred_locale(canonical) is not None:
            raise click.BadParameter(
                f"{asked!r}: the starter has no {language} letters; greeter writes to {language} clients "
                f"in Serbian (Latin script): start with --locale sr_Latn and give those clients the "
                f"locale {language}",
                param_hint="'--locale'",
            )
        # Where to go for the letters themselves: a São Paulo reseller refused «--locale pt» learnt
        # which languages the starter has, not that Portuguese letters are files they may add.
        own = (
            f"; letters in {language} are files of your own: add birthday.{language}.j2, … and"
            f' _{language}.j2 to such a project (docs/templates.md, "Adding a language")'
            if canonical
            else ""
        )
        raise click.BadParameter(
            f"{asked!r}: the starter's letters are in {', '.join(languages)}{_elsewhere(language)}{own}",
            param_hint="'--locale'",
        )
    written = one_subtag(canonical)
    territory = Locale.parse(canonical).territory
    own = starter_countries.LANGUAGES[language].country
    country = territory if territory and territory != own.split("-")[0] else None
    return language, written, country


def _elsewhere(language: str) -> str:
    """What to start with instead for a language the starter has no letters in, where it can tell.

    ``--locale az`` (or ``hy``, ``ka``) said only which languages the starter has: a Baku office
    did not learn that ``--country AZ`` starts its project (Russian letters, Azerbaijan's
    holidays) nor that ``defaults.fallback_locales`` writes its ``az`` clients in a language that
    has letters. The country is the language's own (Babel's likely territory: az → AZ), if greeter
    knows its time zones.
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    from greeter.country_zones import zones_of

    likely = str(get_global("likely_subtags").get(language, ""))
    country = likely.rsplit("_", 1)[-1] if likely.count("_") else ""
    known = country.isalpha() and country.isupper() and bool(zones_of(country))
    # The language --country starts (starter_countries.country_locale) first: {lv: ru} was offered first
    # to a Riga office, whose Latvian clients a Russian letter harms; English where Russian is no one's.
    letters = starter_countries.country_locale(country if known else None, "en")
    other = "en" if letters == STARTER_LOCALE else STARTER_LOCALE
    fallback = (
        f"; {language} clients get letters in a starter language with"
        f" defaults.fallback_locales: {{{language}: {letters}}} (or {other})"
    )
    if not known:
        return fallback if likely else ""
    try:
        named = Locale("en").territories.get(country, country)
    except UnknownLocaleError:
        named = country
    start = (
        f"; for a project in {named} start with --country {country}"
        f" (its holidays, {language_name(letters)} letters)"
    )
    return start + fallback


def language_name(locale: str) -> str:
    """``locale``'s language in English words (``lv`` → Latvian, ``sr_Latn`` → Serbian), for messages."""
    from babel import Locale

    return str(Locale("en").languages.get(locale.split("_")[0], locale))


def in_the_way(target: Path, files: Sequence[StarterFile]) -> list[str]:
    """The names (relative to ``target``) that are already taken: a file, a link (even a dangling
    one), a folder, or a file where a folder of the starter goes (``templates`` a file)."""
    taken: list[str] = []
    for folder in sorted({f.name.parent for f in files if f.name.parent != PurePosixPath(".")}):
        path = target / folder
        if (path.exists() or path.is_symlink()) and not path.is_dir():  # a link to a folder is one
            taken.append(f"{folder} (not a folder)")
    for file in files:
        path = target / file.name
        if path.exists() or path.is_symlink():
            taken.append(str(file.name))
    return taken


def refusal(target: Path, taken: Sequence[str]) -> str:
    """Pure: the one line that says ``init`` wrote nothing, naming what is in the way."""
    shown = ", ".join(taken[:_NAMED]) + (f" and {len(taken) - _NAMED} more" if len(taken) > _NAMED else "")
    return (
        f"{target}: greeter init never replaces a file, and {len(taken)} of its files"
        f" {'is' if len(taken) == 1 else 'are'} there "
        f"already: {shown}; nothing was written — move them away, or init an empty folder: greeter init DIR"
    )


def write_starter(target: Path, files: Sequence[StarterFile]) -> list[PurePosixPath]:
    """Create the folders and write each file as new (``O_EXCL``: one made meanwhile is not replaced).

    ``data/`` will hold the clients' export, the journal and the outbox, so
    it and the contacts file get greeter's modes for such data (``0750``,
    ``0640``, narrowed by the umask: :mod:`greeter.file_modes`); the config
    and the templates, the umask's. Raises :class:`OutputError` (exit 2)
    naming the path that failed and the files written before it.
    """
    written: list[PurePosixPath] = []
    current = target
    try:
        target.mkdir(parents=True, exist_ok=True)
        for file in files:
            current = target / file.name
            data = file.data()
            if file.name.parts[0] == "data":
                make_group_folder(current.parent)
                with open_group_readable(current, new=True) as out:
                    out.write(data)
            else:
                current.parent.mkdir(exist_ok=True)
                with open(current, "xb") as fh:
                    fh.write(data)
            written.append(file.name)
    except OSError as exc:
        error = OutputError.of(current, exc)
        if written:
            names = ", ".join(str(n) for n in written)
            error = OutputError(f"{error}; written before it (remove them to init again): {names}")
        raise error from exc
    return written


def report(
    target: Path,
    written: Sequence[PurePosixPath],
    *,
    here: bool,
    default_config: bool,
    locale: str = STARTER_LOCALE,
) -> str:
    """Pure: what ``init`` wrote, the language its letters are in, and the commands to run next.

    ``locale``: the config's ``defaults.locale``. A Riga office's ``init --country LV`` wrote
    Russian letters and said nothing of it: the language is said, and how to start another.
    ``here``: ``target`` is the current folder (no ``cd`` to print).
    ``default_config``: neither ``-c`` nor ``$GREETER_CONFIG`` names another
    file, so a bare ``greeter check`` reads the ``greeter.yaml`` just written.
    """
    templates = [n for n in written if n.parts[0] == TEMPLATES]
    others = [n for n in written if n.parts[0] != TEMPLATES]
    lines = [f"wrote a starter project in {target}:"]
    lines += [f"  {name}" for name in others]
    lines.append(f"  {TEMPLATES}/ ({len(templates)} letter templates)")
    config = "" if default_config else f" --config {DEFAULT_CONFIG}"
    lines.append("next:")
    if not here:
        lines.append(f"  cd {shlex.quote(str(target))}")
    lines.append(f"  greeter{config} check")
    lines.append(f"  greeter{config} preview --days 30")
    lines += [
        f"then make {DEFAULT_CONFIG} yours (sender; contacts.path: your CRM export) and the letters",
        f"in {TEMPLATES}/; a send writes .eml files to data/outbox/ until delivery.transport says smtp",
        f"the letters are in {language_name(locale)} (defaults.locale: {locale}) for clients without a"
        " language of their own; another: greeter init --locale LANG",
    ]
    return "\n".join(lines)


@main.command(context_settings=CONTEXT, short_help="Write a starter config, templates, contacts.")
@_config_option
@click.argument(
    "directory",
    metavar="[DIR]",
    required=False,
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--locale",
    "locale",
    metavar="LANG",
    default=None,
    help="The language of the letters to clients without one of their own (defaults.locale): "
    "ru, et, en, de, hu, ka, sr or uk; a territory or script (de_AT, sr_Latn) is kept in the config. "
    "Default: ru; with --country the country's language if one of these, ru for a Russian-speaking "
    "office (KZ, BY, AZ…), else en.",
)
@click.option(
    "--country",
    "country",
    metavar="CC",
    default=None,
    help="The clients' usual country (defaults.country, and its time zone): "
    "default the language's: RU, EE, GB-ENG, DE, HU, GE, RS or UA.",
)
@click.pass_obj
@handles_errors
def init(state: State, directory: Path, locale: str | None, country: str | None) -> None:
    """Write a starter project into DIR (default: the current folder).

    greeter.yaml (a copy of the commented config.example.yaml), templates/
    (every letter template) and the sample contacts it reads,
    data/contacts.csv: greeter check and greeter preview work there at
    once; letters go to data/outbox/ as .eml files, no mail server needed.
    Missing folders are made.

    It never replaces a file: when any of these is there already it names
    them and writes nothing (exit 2). It writes greeter.yaml whatever -c
    or $GREETER_CONFIG says; the commands it prints then name that file.

    --locale LANG starts a project whose defaults.locale is LANG: the
    letters without a language in their name (birthday.j2) are in LANG,
    the Russian ones are birthday.ru.j2, and the Russian signature signs
    the Russian letters only. Default: ru, the starter as it is; with
    --country the country's language if the starter has it (uk for UA, et
    for EE), ru for a Russian-speaking office (KZ, BY, AZ…), else en (LV,
    LT, JP: never Russian letters to Latvians). init says which. The
    project is that language's country's: its time zone and days off
    (English: GB-ENG), occasion titles in LANG, sample contacts with LANG's
    headers, Russia's public holidays commented out (but for those on a
    day the country keeps too: 8 March in KZ) and the country's own offered
    as examples, the first greeted (where greeter has none for a country,
    JP, the names of its calendar are listed to pick from).

    --country CC makes it CC's instead (its time zone: its capital's where it
    has several, Europe/Kyiv for UA; check defaults.timezone).

    \b
    Exit codes:
      0   written
      2   a file it would write is there already (named; nothing written),
          a folder it cannot make or write, a --locale the starter has no
          letters in or a --country it does not know

    \b
    Examples:
      greeter init
      greeter init greetings && cd greetings && greeter check
      greeter init greetings --locale et
      greeter init greetings --locale en --country US
    """
    root = starter_root()
    if locale is None:  # --country LV alone: an English project, UA a Ukrainian one (country_locale)
        locale = starter_countries.country_locale(country, STARTER_LOCALE)
    language, written_locale, territory = requested_locale(locale, starter_locales(root))
    country = country if country is not None else territory
    if country is not None:
        project_country(language, country)  # a bad --country refused before anything is read
    files = starter_files(root, language, country, written_locale)
    here = directory.resolve() == Path.cwd().resolve()
    shown = Path.cwd() if here else directory  # "/srv/greetings:" says more than ".:"
    taken = in_the_way(directory, files)
    if taken:
        raise OutputError(refusal(shown, taken))
    written = write_starter(directory, files)
    default_config = state.config == Path(DEFAULT_CONFIG)
    click.echo(report(shown, written, here=here, default_config=default_config, locale=written_locale))
