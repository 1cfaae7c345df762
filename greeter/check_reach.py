"""``greeter check``: whom the config's letters reach, and in which language.

A config can be valid and still miss its mark silently: an audience tag,
tier or contact id no contact has reaches nobody, and a contact whose locale
has no file of an occasion's template gets the default (Russian) letter —
"Éva, с днём рождения!". Neither fails a send, so both are warnings, found
while :func:`greeter.checks.run_check` streams the contacts (:class:`Reach`
sees each one once) and located at the config line to change.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

from greeter.audience import AudienceRule
from greeter.check_files import near_miss, stray_letter_files
from greeter.check_name_script import NameScripts
from greeter.check_signature import signature_problems
from greeter.config import Settings
from greeter.contacts import Contact, Gender
from greeter.countries import RegionalGap, regional_days_off, regions_of, regions_own_days
from greeter.errors import Problem
from greeter.i18n import letter_default, normalize_locale
from greeter.names import CONTRADICTED, NAME_UNREAD, UNSAID, audience_gender, gender_of
from greeter.subdivision_zones import REGION_ZONES, subdivision_zones
from greeter.template_snapshot import SUFFIX

if TYPE_CHECKING:
    from greeter.check_script import Misread

__all__ = ["Reach", "sender_locale_problems"]

#: How many contact ids a warning names before "and N more".
_NAMED = 3


@dataclass
class Reach:
    """What the contacts hold that the config's audiences and templates are matched against."""

    settings: Settings
    tags: set[str] = field(default_factory=set)
    tiers: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    #: (template name, a language) → the locales of the contacts who get the default file instead.
    fallbacks: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    #: Whose public holidays are the contacts' days off (their country's, else the default's).
    countries: Counter[str] = field(default_factory=Counter)
    #: Contacts of another country than the default with no zone of their own (it has several).
    zoneless: Counter[str] = field(default_factory=Counter)
    #: The locale of each letter rendered → how many contacts got one (each counted once).
    letters: Counter[str] = field(default_factory=Counter)
    #: A holiday occasion without ``country:`` or ``audience.countries`` (its index) → the
    #: countries of the clients its audience takes in, each with how many.
    holiday_clients: dict[int, Counter[str]] = field(default_factory=dict)
    #: An occasion with ``audience.genders`` (its index) → how many contacts the rest of its
    #: audience takes in have an unknown gender (such an occasion leaves them out), and all their
    #: ids: the warning names the first few, ``check --json`` all (``unknown_gender``), for the CRM
    #: admin who fills the column. A million-contact export's ids are the contacts' own strings, not
    #: copies. ``genderless_why``: how many for each reason (:class:`~greeter.names.AudienceGender`).
    genderless: Counter[int] = field(default_factory=Counter)
    genderless_ids: dict[int, list[str]] = field(default_factory=dict)
    genderless_why: dict[int, Counter[str]] = field(default_factory=dict)
    #: Contacts with no language of their own whose given name is in another script than the
    #: default language's (John Smith under ``ru``): how many, and the first few ("1012 John Smith").
    foreign_script: int = 0
    foreign_script_named: list[str] = field(default_factory=list)
    #: Template files written in another script than their language's (:mod:`greeter.check_script`):
    #: a default file that is Russian under ``defaults.locale: et`` is no "there is no birthday.ru.j2".
    misread: list[Misread] = field(default_factory=list)
    #: Contacts whose letters open without their name only because their gender is unknown
    #: («Поштовани,» for «Поштовани господине Петровићу,»): how many, the first few, one opening.
    nameless: int = 0
    nameless_named: list[str] = field(default_factory=list)
    nameless_opening: str = ""
    #: Contacts whose letters name them but open less formally only because their gender is
    #: unknown («Guten Tag Maria Lange,» for «Sehr geehrte Frau Lange,»): how many, the first few,
    #: one such opening and the gendered ones it stands for.
    informal: int = 0
    informal_named: list[str] = field(default_factory=list)
    informal_opening: str = ""
    informal_formal: str = ""
    #: Of those two counts, the contacts an ``audience.genders`` warning names already (they get
    #: no letter of that occasion for the same reason): counted, not named a second time.
    nameless_shared: int = 0
    informal_shared: int = 0
    #: Whether a letter locale's salutation is its helper file's (``_pl.j2``: :mod:`greeter.template_hooks`):
    #: the gender warnings, about greeter's own forms, then say nothing of it.
    own_salutation: Callable[[str], bool] | None = None
    #: The helper file of a letter locale whose own salutation reads ``contact.gender`` (else ""):
    #: its contacts of unknown gender get its neutral wording, counted in ``own_neutral``.
    own_gendered: Callable[[str], str] | None = None
    own_neutral: int = 0
    own_neutral_named: list[str] = field(default_factory=list)
    own_neutral_shared: int = 0
    own_neutral_files: list[str] = field(default_factory=list)
    #: Contacts with a language of their own whose letter is in another script of it than their name.
    name_scripts: NameScripts = field(default_factory=NameScripts)

    def __post_init__(self) -> None:
        default = self.settings.defaults.locale
        self._default = normalize_locale(default, default)
        #: The locale the default files write in: ``defaults.locale``'s, Serbian Latin for hr and bs.
        self._letters_in = letter_default(default)
        # Each template once, with the occasions that use it and whom they reach (years aside:
        # a round_years rule reaches a contact some year).
        self._uses: dict[str, list[tuple[str | None, AudienceRule]]] = {}
        # Holiday occasions dated by each client's own country (see holiday_clients), by index.
        self._holidays: list[tuple[int, AudienceRule]] = []
        # Occasions for some genders, by index, with their date field and the rest of their audience.
        self._gendered: list[tuple[int, str | None, AudienceRule]] = []
        for i, occ in enumerate(self.settings.occasions):
            rule = AudienceRule.for_occasion(
                occ, self.settings.defaults.country, self.settings.defaults.locale
            )
            ageless = replace(rule, round_years=None, min_years=None)
            self._uses.setdefault(occ.template, []).append((occ.field, ageless))
            if occ.holiday is not None and occ.country is None and occ.audience.countries is None:
                self._holidays.append((i, rule))
            if rule.genders is not None:
                self._gendered.append((i, occ.field, replace(ageless, genders=None)))
        self._locales: dict[str, str] = {}
        self._last: dict[str, Contact] = {}
        self._last_letter: dict[str, Contact] = {}
        self._script: str | None = None  # the default language's script, once a letter asks
        # Whether the contact being seen is one an audience.genders warning names (see())
        self._left_out = False

    def see(self, contact: Contact) -> None:
        """Take in one loaded contact."""
        self.tags.update(contact.tags)
        country = contact.country or self.settings.defaults.country
        self.countries[country] += 1
        for i, rule in self._holidays:
            if rule.admits(contact, None):
                self.holiday_clients.setdefault(i, Counter())[country] += 1
        self._left_out = False
        if self._gendered and (reading := audience_gender(contact)).gender is Gender.UNKNOWN:
            for i, date_field, rule in self._gendered:
                if (date_field is None or date_field in contact.dates) and rule.admits(contact, None):
                    self._left_out = True
                    self.genderless[i] += 1
                    self.genderless_ids.setdefault(i, []).append(contact.id)
                    self.genderless_why.setdefault(i, Counter())[reading.why] += 1
        if contact.timezone is None and contact.country and contact.country != self.settings.defaults.country:
            # A region of known zones is named (US-TX, of two clocks), else its country (BR-AM: BR).
            own = subdivision_zones(contact.country)
            self.zoneless[contact.country if own else contact.country.partition("-")[0]] += 1
        if contact.tier:
            self.tiers.add(contact.tier)
        self.ids.add(contact.id)

    def unknown_gender(self) -> dict[str, list[str]]:
        """Each occasion for some genders → the ids of all contacts it leaves out for an unknown gender."""
        return {self.settings.occasions[i].name: ids for i, ids in sorted(self.genderless_ids.items())}

    def rendered(self, contact: Contact, template: str, file: str) -> None:
        """``contact``'s letter of ``template`` was rendered from ``file``: note a language fallback.

        Counted once per template, and only when an occasion using it can
        reach the contact (its audience, its date field).
        """
        if contact.locale is None or file != f"{template}{SUFFIX}" or self._last.get(template) is contact:
            return
        self._last[template] = contact  # contacts come one by one: a template used twice counts once
        locale = self._locales.get(contact.locale)
        if locale is None:
            locale = self._locales[contact.locale] = normalize_locale(contact.locale, self._default)
        language = locale.split("_")[0]
        if language in (self._default.split("_")[0], self._letters_in.split("_")[0]):
            return  # the default file is in the contact's language
        uses = self._uses.get(template, ())
        if any((f is None or f in contact.dates) and rule.admits(contact, None) for f, rule in uses):
            self.fallbacks.setdefault((template, language), Counter())[locale] += 1

    def signed(self, contact: Contact, locale: str) -> None:
        """``contact`` got a letter worded in ``locale`` (its sender's name is checked against it)."""
        if self._last_letter.get(locale) is not contact:
            self._last_letter[locale] = contact
            self.letters[locale] += 1
            if contact.locale is None and locale == self._letters_in:
                self._check_script(contact)
            elif contact.locale is not None:  # «Hurmatli Бекзод» in a Latin Uzbek letter
                self.name_scripts.see(contact, locale)
            self.name_scripts.see_belarusian(contact, locale)
            own = self.own_salutation is not None and self.own_salutation(locale)
            # A row whose gender column contradicts its patronymic is warned about at the row.
            if gender_of(contact) is Gender.UNKNOWN and audience_gender(contact).why != CONTRADICTED:
                if not own:
                    self._check_gender(contact, locale)
                elif self.own_gendered is not None and (file := self.own_gendered(locale)):
                    self._own_neutral(contact, file)

    def _own_neutral(self, contact: Contact, file: str) -> None:
        """Count ``contact``, of unknown gender, whose letter opens with ``file``'s neutral salutation.

        A Minsk office's ``_be.j2`` wrote «Паважаны»/«Паважаная» by ``contact.gender`` and
        «Добры дзень» without one; once it defined the salutation, ``check`` stopped counting
        the contacts who get the latter, though the gender column would still change their letter.
        """
        self.own_neutral += 1
        if self._left_out:
            self.own_neutral_shared += 1
        elif len(self.own_neutral_named) < _NAMED:
            self.own_neutral_named.append(f"{contact.id} {contact.display_name.strip()}")
        if file not in self.own_neutral_files:
            self.own_neutral_files.append(file)

    def _check_gender(self, contact: Contact, locale: str) -> None:
        """Count ``contact`` if its letter in ``locale`` opens without a name a gender would give it.

        Compared with the salutation of a contact without any name: «Поштовани»
        for a Petrović of unknown gender is that, while «Поштовани господине
        Петровићу» is not «Поштовани господине»; a contact without a surname is
        nameless whatever its gender, and the loader's row warning says so.
        """
        from greeter.letter_forms import salutation, salutation_end

        opening = salutation(contact, locale)
        nobody = Contact(id=contact.id, email=None)
        if opening != salutation(nobody, locale):
            self._check_formality(contact, locale, opening)
            return
        for gender in (Gender.MALE, Gender.FEMALE):
            if salutation(replace(contact, gender=gender), locale) != salutation(
                replace(nobody, gender=gender), locale
            ):
                self.nameless += 1
                if self._left_out:
                    self.nameless_shared += 1
                elif len(self.nameless_named) < _NAMED:
                    self.nameless_named.append(f"{contact.id} {contact.display_name.strip()}")
                self.nameless_opening = self.nameless_opening or f"{opening}{salutation_end(locale)}"
                return

    def _check_formality(self, contact: Contact, locale: str, opening: str) -> None:
        """Count ``contact`` if its named opening in ``locale`` is the neutral form a gender would replace.

        A German letter says «Sehr geehrte Frau Lange» or «Sehr geehrter Herr
        Lange»; without the gender, «Guten Tag Maria Lange» — correct, and a
        register less formal than a DACH client expects from a business; a
        Russian one «Здравствуйте, Иван Петрович» for «Уважаемый Иван
        Петрович». A language whose salutation does not change with the gender
        (Estonian «Lugupeetud Mari Tamm», English «Dear Maria») is never counted.
        """
        from greeter.letter_forms import salutation, salutation_end

        end = salutation_end(locale)
        formal = [
            said
            for gender in (Gender.MALE, Gender.FEMALE)
            if (said := salutation(replace(contact, gender=gender), locale)) != opening
        ]
        if not formal:
            return
        self.informal += 1
        if self._left_out:
            self.informal_shared += 1
        elif len(self.informal_named) < _NAMED:
            self.informal_named.append(f"{contact.id} {contact.display_name.strip()}")
        if not self.informal_opening:
            self.informal_opening = f"{opening}{end}"
            self.informal_formal = " or ".join(f"«{said}{end}»" for said in formal)

    def _check_script(self, contact: Contact) -> None:
        """Count ``contact`` if its given name is written in another script than the default
        language: "John, с днём рождения!" went out, and ``check`` said OK."""
        from greeter.i18n import script_of

        if self._script is None:
            self._script = script_of(self._default)
        name = contact.first_name or contact.last_name
        if self._script and name and text_script(name) not in ("", self._script):
            self.foreign_script += 1
            if len(self.foreign_script_named) < _NAMED:
                self.foreign_script_named.append(f"{contact.id} {contact.display_name.strip()}")

    def problems(self, config_file: Path, source: str, loaded: int, today: date) -> list[Problem]:
        """The warnings, each at the config line it is about (days cited are the next from ``today``)."""
        return (
            _audience_problems(self, config_file, source, loaded)
            + _locale_problems(self, config_file)
            + _region_problems(self, config_file, today)
            + _zone_problems(self, config_file)
            + signature_problems(self, config_file)
            + _script_problems(self, config_file)
            + self.name_scripts.problems(config_file, self.settings)
            + _nameless_problems(self, config_file)
            + _informal_problems(self, config_file)
            + _unknown_gender(
                self,
                config_file,
                self.own_neutral,
                self.own_neutral_named,
                f"open with the salutation {' and '.join(self.own_neutral_files)} words for an unknown"
                " gender (its macro reads contact.gender)",
                self.own_neutral_shared,
            )
        )


def _locale_problems(reach: Reach, config_file: Path) -> list[Problem]:
    """One warning per template and language whose contacts get the default file, at its first use.

    The file to add is named by the language alone: ``birthday.hu.j2`` serves
    ``hu`` and ``hu_HU`` alike (a locale falls back to its language's file).
    """
    from greeter.config_loader import locate

    first_use: dict[str, int] = {}
    for i, occ in enumerate(reach.settings.occasions):
        first_use.setdefault(occ.template, i)
    language = reach.settings.defaults.locale.replace("-", "_").split("_")[0]
    folder = Path(reach.settings.templates_dir)
    # A misnamed file (brithday.de.j2) is the file missing here, most likely: named when close.
    listed = [path.name for path in folder.glob(f"*{SUFFIX}")] if reach.fallbacks else []
    stray = stray_letter_files(reach.settings, listed)
    problems: list[Problem] = []
    counted = [
        (template, lang, sum(locales.values()), locales)
        for (template, lang), locales in reach.fallbacks.items()
    ]
    misread = {m.file: m for m in reach.misread if m.by_default}
    for template, lang, count, locales in sorted(counted, key=lambda t: (first_use[t[0]], -t[2], t[1])):
        which = " or ".join(repr(locale) for locale, _ in locales.most_common())
        wanted = f"{template}.{lang}{SUFFIX}"
        written = misread.get(f"{template}{SUFFIX}")
        if written is not None and written.language == lang:
            continue  # they get their own language's letter: the file's problem says to name it so
        meant = near_miss(wanted, stray, (f"{t}.{lang}{SUFFIX}" for t in first_use))
        taken = _letter_written(reach._letters_in, lang)
        if written is not None:
            from greeter.check_script import language_name

            words = language_name(written.language) if written.language else "another script"
            taken = f"{language}, though written in {words}: see its problem"
        # A file misnamed, or a country code read as a language, is the fix; else the setting is one.
        hint = meant or _meant(folder, template, lang)
        fix = _fallback_fix(reach.settings, folder, template, lang)
        if fix is None:
            continue  # defaults.fallback_locales asks for the default letter: it is not a fallback
        fix = "" if hint else fix
        message = (
            f"{count} contact(s) with locale {which} get {template}{SUFFIX} ({taken}): "
            f"there is no {wanted}{hint}{fix}"
        )
        use = first_use[template]
        line, col = locate(config_file, ("occasions", use, "template"))
        problems.append(
            Problem(str(config_file), f"occasions.{use}.template", message, line, col, severity="warning")
        )
    return problems


#: Languages whose speakers do business in Russian (Central Asia: Uzbek, Kazakh, Tajik, Kyrgyz,
#: Turkmen): a client without a letter in their own language is offered the Russian one first.
#: A hand list, not CLDR's share of Russian speakers by country, which would offer Russian to
#: Lithuanian and Estonian clients too.
READ_RUSSIAN: Final = frozenset({"uz", "kk", "tg", "ky", "tk"})


def _fallback_fix(settings: Settings, folder: Path, template: str, language: str) -> str | None:
    """The other fix of a fallback warning: ``defaults.fallback_locales``, to a language the template has.

    A Lithuanian client sent the Russian letter is a risk a marketer may rather
    take in English: ``; add it, or write them in en: defaults.fallback_locales: {lt: en}``
    (English if the template has it; none where the default letter is English already — a
    Brazilian client was offered German, the folder's first language — or the template has no
    English file: no other language is more theirs than the default's); an Uzbek, Kazakh, Tajik, Kyrgyz or
    Turkmen client is offered Russian first where the project has Russian letters
    (:data:`READ_RUSSIAN`: ``{uz: ru}``, which says so and silences this). Where the setting
    already names a language the template has no file of, that is said instead;
    where it names the default letters' language (``{lt: ru}``), ``None``: nothing to warn of.
    """
    said = {
        normalize_locale(k, k).split("_")[0]: normalize_locale(v, v).split("_")[0]
        for k, v in settings.defaults.fallback_locales.items()
    }
    own = {
        normalize_locale(path.name[len(template) + 1 : -len(SUFFIX)], "").split("_")[0]
        for path in folder.glob(f"{template}.*{SUFFIX}")
    } - {"", language}
    target = said.get(language)
    if target is not None and target == settings.defaults.locale.replace("-", "_").split("_")[0]:
        return None
    if target is not None:
        missing = f"{template}.{target}{SUFFIX}"
        return f"; defaults.fallback_locales sends {language} to {target}, which has no {missing}"
    default = settings.defaults.locale.replace("-", "_").split("_")[0]
    if language in READ_RUSSIAN and (default == "ru" or "ru" in own):
        # A Tashkent client reads the Russian letter rather than an English one: offered first.
        other = f" (or in en: {{{language}: en}})" if "en" in own else ""
        return f"; add it, or write them in ru: defaults.fallback_locales: {{{language}: ru}}{other}"
    if default == "en" or "en" not in own:
        return ""  # they read English already, or no language is theirs more than another's
    return f"; add it, or write them in en: defaults.fallback_locales: {{{language}: en}}"


def _letter_written(default: str, language: str) -> str:
    """How a warning names the letter a contact of ``language`` gets from the default file.

    The default's language ("ru"), and, where it is Serbian, which is written in
    two scripts, the script too: "sr, in Cyrillic script" for a German client,
    "sr_Latn, in Latin script" for a Bosnian or Croatian one
    (:func:`greeter.i18n.kindred_locale`, as the template set chooses it).
    """
    from greeter.i18n import kindred_locale, script_of

    own = default.split("_")[0]
    if own != "sr":
        return own
    kindred = kindred_locale(language)
    letter = kindred if kindred is not None else default
    return f"{letter}, in {'Latin' if script_of(letter) == 'Latn' else 'Cyrillic'} script"


def _meant(folder: Path, template: str, language: str) -> str:
    """`` ('ee' is Ewe; if Estonia (EE) was meant, its language is et)`` when that is a file's language.

    A "language" column holding a country code Babel reads as another language (``ee``, ``se``)
    falls back without a word; the hint is shown only when ``folder`` has the template in the
    country's language, so Serbian contacts are not told about Suriname.
    """
    from babel.languages import get_official_languages

    from greeter.i18n import locale_hint

    official = get_official_languages(language.upper()) if len(language) == 2 else ()
    files = {f"{template}.{code}{SUFFIX}" for lang in official for code in (lang, lang.split("_")[0])}
    if not any((folder / file).is_file() for file in files):
        return ""
    hint = locale_hint(language)
    return f" ({hint})" if hint else ""


def _region_problems(reach: Reach, config_file: Path, today: date) -> list[Problem]:
    """Warn about contacts whose country, given without its region, lacks most regions' days off.

    A London client under plain "GB" would be greeted on Easter Monday; where no day is most
    regions' (the USA, New Zealand), a Honolulu client under plain "US" on Kamehameha Day, so
    in a country of several clocks (:data:`~greeter.subdivision_zones.REGION_ZONES`) the next few
    regions' own days are named (:func:`greeter.countries.regions_own_days`). A
    contact whose zone is one region's has that region already (:mod:`greeter.subdivision_zones`).
    Located at the country column's setting if the config has one, else at
    ``defaults.country``. Each day is cited at its next occurrence from
    ``today``: in December this year's Easter Monday is past, and the one the
    marketer's letters would meet is next year's.
    """
    from greeter.config_loader import locate

    settings = reach.settings
    where = (
        ("contacts", "columns", "country") if settings.contacts.columns.country else ("defaults", "country")
    )
    line, col = locate(config_file, where)
    problems: list[Problem] = []
    for country, count in reach.countries.most_common():
        gaps = _next_gaps(country, today)
        if gaps:
            days = ", ".join(f"{g.name} ({g.day:%d.%m.%Y}, {g.regions} of {g.of} regions)" for g in gaps)
        elif country in REGION_ZONES and (own := regions_own_days(country, today)):
            # No day most regions share (the USA, New Zealand): each region's own, the next few —
            # only in a country of several clocks, whose regions' zones greeter knows, where a zone
            # fills the region in; a country of one clock with many regional days (Germany,
            # Switzerland) is not nagged for each: its days off are the nation's, as before.
            named = ", ".join(f"{r.region}'s {r.name} ({r.day:%d.%m.%Y})" for r in own[:_OWN_DAYS])
            more = ", …" if len(own) > _OWN_DAYS else ""
            some = f"{len(own)} of {len(regions_of(country))} have some"
            days = f"its regions' own days off ({some}: {named}{more})"
        else:
            continue
        regions = regions_of(country)
        example = ", ".join(regions[:6]) + (", …" if len(regions) > 6 else "")
        message = (
            f"{count} contact(s) have country {country} without a region: their days off are the "
            f"country-wide ones, which lack {days}; write the region as in ISO 3166-2 ({example}) in "
            "the contacts' country column or in defaults.country"
        )
        problems.append(Problem(str(config_file), ".".join(where), message, line, col, severity="warning"))
    return problems


#: How many regions' own days off a warning names (:func:`greeter.countries.regions_own_days`).
_OWN_DAYS = 3


def _next_gaps(country: str, today: date) -> list[RegionalGap]:
    """:func:`regional_days_off` of this year and the next, each day off's next from ``today``, by date."""
    found: dict[str, RegionalGap] = {}
    for year in (today.year, today.year + 1):
        for gap in regional_days_off(country, year):
            if gap.day >= today:
                found.setdefault(gap.name, gap)
    return sorted(found.values(), key=lambda g: g.day)


#: Unicode's names of the scripts a sender's name is written in, as ISO 15924 (CLDR) codes.
_SCRIPTS = {"LATIN": "Latn", "CYRILLIC": "Cyrl", "GREEK": "Grek", "ARMENIAN": "Armn", "GEORGIAN": "Geor"}


def text_script(text: str) -> str:
    """The script most of ``text``'s letters are in ("Cyrl" for «ООО «Ромашка»»), "" if unknown."""
    import unicodedata

    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            counts[_SCRIPTS.get(unicodedata.name(ch, "").split(" ")[0], "")] += 1
    return counts.most_common(1)[0][0] if counts else ""


def _zone_problems(reach: Reach, config_file: Path) -> list[Problem]:
    """One warning per country whose clients have no time zone and whose zones keep different times.

    A client in a country of one time gets it (:func:`greeter.country_zones.country_zone`), and
    one in a region of one (AU-SA); one of two clocks is named by its region (US-TX). In Russia
    or the USA the letter is timed in
    ``defaults.timezone``, which may be hours off. Located at the time-zone
    column's setting if the config has one, else at ``defaults.timezone``.
    """
    from greeter.config_loader import locate
    from greeter.country_zones import zones_of

    settings = reach.settings
    column = settings.contacts.columns.timezone
    where = ("contacts", "columns", "timezone") if column else ("defaults", "timezone")
    line, col = locate(config_file, where)
    problems: list[Problem] = []
    for country, count in sorted(reach.zoneless.items(), key=lambda item: (-item[1], item[0])):
        zones = subdivision_zones(country) or zones_of(country)
        listed = ", ".join(zones[:4]) + (f" and {len(zones) - 4} more" if len(zones) > 4 else "")
        several = f"has several time zones ({listed})" if zones else "has no time zone greeter knows"
        fill = f"fill the column {column!r}" if column else "set contacts.columns.timezone"
        message = (
            f"{count} contact(s) in {country} have no time zone, and {country} {several}: their letters "
            f"are timed in defaults.timezone {settings.defaults.timezone}; {fill}"
        )
        problems.append(Problem(str(config_file), ".".join(where), message, line, col, severity="warning"))
    return problems


def _script_problems(reach: Reach, config_file: Path) -> list[Problem]:
    """Warn when contacts with no language of their own have names in another script than the
    default language's: they get its letters, «John, с днём рождения!», and nothing else says so.

    Only a warning: a client abroad may read Russian. Located at the language
    column's setting if the config has one, else at ``defaults.locale``.
    """
    from babel import Locale

    from greeter.config_loader import locate
    from greeter.i18n import script_of

    if not reach.foreign_script:
        return []
    column = reach.settings.contacts.columns.locale
    where = ("contacts", "columns", "locale") if column else ("defaults", "locale")
    line, col = locate(config_file, where)
    named = ", ".join(reach.foreign_script_named)
    rest = reach.foreign_script - len(reach.foreign_script_named)
    more = f" and {rest} more" if rest else ""
    fill = f"fill the column {column!r} for them" if column else "set contacts.columns.locale"
    english = Locale("en")
    script = script_of(reach._default)
    language = english.languages.get(reach._letters_in.split("_")[0], reach._letters_in)  # hr: Serbian
    message = (
        f"{reach.foreign_script} contact(s) with no language of their own have names not written in "
        f"{english.scripts.get(script, script)}, the script of defaults.locale "
        f"{reach.settings.defaults.locale!r} ({named}{more}): they get {language} letters; if they do "
        f"not read {language}, {fill} (en, de, …)"
    )
    return [Problem(str(config_file), ".".join(where), message, line, col, severity="warning")]


def _audience_problems(reach: Reach, config_file: Path, source: str, loaded: int) -> list[Problem]:
    """Warn about an audience tag, tier or contact id no contact has: a misspelling there reaches nobody.

    Only a warning: the CRM may gain such contacts later. Tags and ids match
    exactly (case included) and tiers ignoring case, as the planner matches
    them (:class:`greeter.audience.AudienceRule`).
    """
    from greeter.config_loader import locate

    if not loaded:
        return []  # no contacts at all: the contacts line already says so
    folded_tiers = {t.casefold() for t in reach.tiers}
    problems: list[Problem] = []
    for i, occ in enumerate(reach.settings.occasions):
        for what in ("tags", "tiers", "contacts"):
            wanted: list[str] | None = getattr(occ.audience, what)
            for j, value in enumerate(wanted or ()):
                if what == "tags" and value not in reach.tags:
                    hint = _closest(value, reach.tags, "tag")
                elif what == "tiers" and value.casefold() not in folded_tiers:
                    hint = _closest(value, reach.tiers, "tier")
                elif what == "contacts" and value not in reach.ids:
                    hint = f" in {source}"  # not guessed at: among a million CRM ids, many are "close"
                else:
                    continue
                noun = "id" if what == "contacts" else what[:-1]
                message = f"no contact has {noun} {value!r}{hint}"
                line, col = locate(config_file, ("occasions", i, "audience", what, j))
                where = f"occasions.{i}.audience.{what}"
                problems.append(Problem(str(config_file), where, message, line, col, severity="warning"))
        problems.extend(_country_problems(reach, config_file, i))
        problems.extend(_gender_problems(reach, config_file, i))
    return problems


def _gender_problems(reach: Reach, config_file: Path, i: int) -> list[Problem]:
    """Warn how many contacts an occasion for some genders leaves out because their gender is unknown.

    Neither the gender column nor a patronymic tells it, nor, for a language
    without patronymics, a first name of one gender only (:func:`gender_of`):
    guessing from any other name would greet a woman "for 23 February" —
    worse than no letter —, so they get none; the marketer decides whether to
    fill the column. A row whose gender column contradicts its patronymic is
    unknown too (:func:`~greeter.names.audience_gender`), and said apart: its
    fix is correcting the row. Counted over the rest of the occasion's
    audience (tags, tiers, countries, its date field), years aside.
    """
    from greeter.config_loader import locate

    count = reach.genderless[i]
    if not count:
        return []
    ids = reach.genderless_ids[i][:_NAMED]
    occ = reach.settings.occasions[i]
    column = reach.settings.contacts.columns.gender
    fill = (
        f"fill their {column!r} column (contacts.columns.gender)"
        if column
        else "set contacts.columns.gender to the CRM's gender column"
    )
    if reach.genderless_why[i][CONTRADICTED]:
        fill += " and correct it where it contradicts the patronymic"
    shown = ", ".join(ids) + (f" and {count - len(ids)} more" if count > len(ids) else "")
    genders = " or ".join(occ.audience.genders or ())
    why = _why_genderless(reach.genderless_why[i])
    message = (
        f"{count} contact(s) of {occ.name}'s audience have no known gender ({shown}): {why}, so they get "
        f"no {occ.name} letter (only {genders}); {fill}"
    )
    line, col = locate(config_file, ("occasions", i, "audience", "genders"))
    where = f"occasions.{i}.audience.genders"
    return [Problem(str(config_file), where, message, line, col, severity="warning")]


#: Why a contact's gender is unknown to an occasion for some genders, as its warning says it.
_WHY_GENDERLESS: dict[str, str] = {
    UNSAID: "neither the gender column, a patronymic nor a first name greeter knows says it",
    CONTRADICTED: "the gender column contradicts the patronymic (see the row's warning)",
    NAME_UNREAD: (
        "neither the gender column nor a patronymic says it, and a Russian or Kazakh first name "
        "(or any of a contact whose language has patronymics) is not read"
    ),
}


def _why_genderless(why: Counter[str]) -> str:
    """Why the contacts are left out: one reason as it stands, several each with how many ("for 2 …")."""
    said = {_WHY_GENDERLESS[w]: n for w, n in why.items()}
    if len(said) == 1:
        return next(iter(said))
    return "; ".join(f"for {n}, {text}" for text, n in sorted(said.items(), key=lambda tn: -tn[1]))


def _nameless_problems(reach: Reach, config_file: Path) -> list[Problem]:
    """Warn how many contacts' letters open without their name because their gender is unknown.

    A Serbian letter names a man «господине Петровићу» and a woman «госпођо
    Петровић»; not knowing which, it says «Поштовани,» (a German one «Sehr
    geehrte Damen und Herren»). Correct, but impersonal — the one thing the
    product promises not to be — and fixed in the CRM: its gender column, or
    ``contacts.gender_values`` for values greeter does not read.
    """
    opening = f"open without their name («{reach.nameless_opening}»)"
    return _unknown_gender(
        reach, config_file, reach.nameless, reach.nameless_named, opening, reach.nameless_shared
    )


def _unknown_gender(
    reach: Reach, config_file: Path, count: int, named: Sequence[str], opening: str, shared: int = 0
) -> list[Problem]:
    """The warning of ``count`` contacts (``named``: the first) whose letters ``opening``, gender unknown.

    ``shared`` of them an ``audience.genders`` warning names already, with the
    same fix: said as such, not listed again — an 8 March for women only and a
    German letter's «Guten Tag» named the same three Kims twice, read as six.
    """
    from greeter.config_loader import locate

    if not count:
        return []
    where, fill = _gender_fix(reach)
    more = count - shared - len(named)
    shown = ", ".join(named) + (f" and {more} more" if more > 0 else "")
    if shared:
        names = [f"{reach.settings.occasions[i].name}'s" for i, n in sorted(reach.genderless.items()) if n]
        above = f"{shared} named above for {' and '.join(names)} audience{'s' if len(names) > 1 else ''}"
        shown = f"{shown}; {above}" if shown else f"the {above}"
    message = (
        f"{count} contact(s) get letters that {opening} because their gender is unknown"
        f" ({shown}): neither the gender column, a patronymic nor a first name greeter knows says it; {fill}"
    )
    line, col = locate(config_file, where)
    return [Problem(str(config_file), ".".join(where), message, line, col, severity="warning")]


def _gender_fix(reach: Reach) -> tuple[tuple[str, ...], str]:
    """Where a warning about unknown genders points (the gender column's setting) and what it says to do."""
    column = reach.settings.contacts.columns.gender
    where = ("contacts", "columns", "gender") if column else ("contacts", "columns")
    fill = (
        f"fill their {column!r} column (contacts.columns.gender), or map the values it holds with "
        "contacts.gender_values"
        if column
        else "set contacts.columns.gender to the CRM's gender column"
    )
    return where, fill


def _informal_problems(reach: Reach, config_file: Path) -> list[Problem]:
    """Warn how many contacts' letters open less formally because their gender is unknown.

    A DACH CRM with half its «Anrede» cells empty sends half its letters
    «Guten Tag Maria Lange,» instead of «Sehr geehrte Frau Lange,»: named, so
    the nameless warning above does not count them, but not the register of
    the other half — and nothing said so. Fixed as that one is: the gender
    column, or ``contacts.gender_values`` for values greeter does not read.
    """
    opening = f"open less formally («{reach.informal_opening}» instead of {reach.informal_formal})"
    return _unknown_gender(
        reach, config_file, reach.informal, reach.informal_named, opening, reach.informal_shared
    )


def _country_problems(reach: Reach, config_file: Path, i: int) -> list[Problem]:
    """Warn about an occasion's country (``country:``, ``audience.countries``) no contact is in."""
    from greeter.config_loader import locate

    occ = reach.settings.occasions[i]
    have = {code.partition("-")[0] for code in reach.countries} | set(reach.countries)
    shown = ", ".join(sorted(reach.countries)) or "none"
    listed = occ.audience.countries
    keys = (
        [("audience", "countries", j) for j in range(len(listed))] if listed is not None else [("country",)]
    )
    problems: list[Problem] = []
    for key, value in zip(keys, occ.countries or (), strict=False):
        if value in have:
            continue
        message = f"no contact is in country {value!r} (the contacts' countries: {shown})"
        line, col = locate(config_file, ("occasions", i, *key))
        where = ".".join(str(k) for k in ("occasions", i, *key[:2]))
        problems.append(Problem(str(config_file), where, message, line, col, severity="warning"))
    return problems


def _closest(value: str, have: set[str], noun: str) -> str:
    """ ", did you mean '23feb'?" for a tag or tier (spaces and case aside), else what contacts have."""
    known = sorted(have)
    by_key = {_loose(v): v for v in known}
    close = difflib.get_close_matches(_loose(value), list(by_key), n=1)
    if close:
        return f", did you mean {by_key[close[0]]!r}?"
    if not known:
        return f" (no contact has any {noun})"
    more = ", …" if len(known) > 10 else ""
    return f" (contacts have: {', '.join(known[:10])}{more})"


def _loose(value: str) -> str:
    """A tag or tier compared for a suggestion: "23 Feb" is close to "23feb"."""
    return "".join(value.split()).casefold()


def sender_locale_problems(
    settings: Settings, files: list[Path], config_file: Path, misread: list[Misread] | None = None
) -> list[Problem]:
    """Warn about a ``sender.by_locale`` entry in a language no letter is written in: it is never used.

    ``files`` are the occasions' template files; a letter's language is the
    default locale's or that of a ``<name>.<locale>.j2`` file (``de`` when only
    the Russian files exist is a name no letter will carry). ``misread``: the
    files written in another language than they are taken as
    (:mod:`greeter.check_script`); an entry in that language is unused only
    until they are named for it, and the warning says so.
    """
    from greeter.check_script import language_name
    from greeter.config_loader import locate

    written = {_language(settings.defaults.locale)}
    for path in files:
        parts = path.name.removesuffix(SUFFIX).split(".")
        if len(parts) == 2:
            written.add(_language(parts[1]))
    problems: list[Problem] = []
    for key in settings.sender.by_locale:
        if _language(key) in written:
            continue
        shown = ", ".join(sorted(written))
        message = f"no template is written in {key!r} (the letters are in {shown}): this name is never used"
        misnamed = [m.file for m in misread or () if m.language == _language(key)]
        if misnamed:
            message += (
                f" — until {', '.join(misnamed)}, written in {language_name(_language(key))} but not"
                f" named so, {'is' if len(misnamed) == 1 else 'are'}"
            )
        line, col = locate(config_file, ("sender", "by_locale", key))
        if line is None:  # written another way (en-GB for en_GB): at the section
            line, col = locate(config_file, ("sender", "by_locale"))
        problems.append(
            Problem(str(config_file), f"sender.by_locale.{key}", message, line, col, severity="warning")
        )
    return problems


def _language(locale: str) -> str:
    """``sr_Latn_RS`` / ``en-GB`` → ``sr`` / ``en``."""
    return locale.replace("-", "_").split("_")[0].lower()
