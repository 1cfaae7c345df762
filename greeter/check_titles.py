"""``greeter check``: titles in letters of another language or script; ``by_locale`` keys that are countries.

An occasion's ``title`` names it where a letter has no words of its own for
it: merged into another occasion's letter ("…and a happy Independence Day of
Kazakhstan!"), or its own holiday letter. An Estonian letter naming
«Годовщина сотрудничества» is the slip ``sender.by_locale``'s warning catches
for the signature (:func:`greeter.check_signature.signature_problems`); this
catches it for titles, once per occasion and language, at the config line to
change. Only titles a rendered letter actually printed are warned about: an
English letter names ``birthday`` in its own words whatever the title says.

Scripts alone do not tell languages apart: «празник „День компании“» in a Serbian
letter is Cyrillic in Cyrillic. A title is written for the default letters
(``<name>.j2``, in ``defaults.locale``'s language), so one in their script is taken
to be in their language, and a letter in another language printing it is warned
about too. A Serbian letter in Latin script prints its title transliterated, whole
(:func:`greeter.serbian_script.whole_to_latin`): what it shows is judged, and
``title_by_locale.sr`` serves it as it serves the Cyrillic ones. A Russian title has no
Latin spelling and shows in Cyrillic there: the warning says so.

A key that is a language and a country of another language (``ee``: Ewe, not
Estonia's et) is kept by the config (a real locale), and questioned here when
no contact writes in that language but contacts are in that country.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from greeter.audience import AudienceRule
from greeter.config import Occasion, Settings
from greeter.contacts import Contact
from greeter.errors import Problem
from greeter.plan_types import PlanItem, Rendered

__all__ = ["TitleReach"]


@dataclass
class TitleReach:
    """What :func:`greeter.checks.run_check`'s letters say of titles, and whom the contacts are.

    Contacts come one by one: :meth:`see` starts one, :meth:`sent` notes each of
    its occasions' letters, :meth:`letter` each letter rendered (any form).
    """

    settings: Settings
    #: The next day of each contact-independent occasion (fixed dates, holidays): two of them too
    #: far apart never share a letter, so a merged form of them names no title any letter prints.
    days: Mapping[str, date] = field(default_factory=dict)
    #: (occasion index, letter language key) → the script of the title a letter printed there.
    named: dict[tuple[int, str], str] = field(default_factory=dict)
    #: (occasion index, letter language key) → the occasions leading the letters that printed it.
    leaders: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    #: (occasion index, letter language key, the occasions whose letters a contact gets in that
    #: language) → contacts it reaches so. Whom a title reaches is told at the end, by
    #: :attr:`leaders`: a Ukrainian client's Russian New Year letter never carries Independence
    #: Day, which only a Russian company-anniversary letter (a date they lack) printed.
    reached: Counter[tuple[int, str, frozenset[str]]] = field(default_factory=Counter)
    #: Contacts' locales as written and countries (no region), each counted.
    locales: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    #: Occasions whose title a Serbian Latin letter printed in Cyrillic (Russian: no Latin spelling).
    shown_cyrillic: set[int] = field(default_factory=set)
    #: (occasion index, letter language) → contacts whose letter of that holiday has no title to name
    #: it by: none of its own there, and no name in the holidays library (a Russian letter of
    #: Georgia's Mtskhetoba: «с наступающим праздником!», the feast unnamed).
    untitled: Counter[tuple[int, str]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        from greeter.check_reach import text_script

        default = self.settings.defaults.country
        self._index = {occ.name: i for i, occ in enumerate(self.settings.occasions)}
        #: Whom each occasion reaches (years aside: a round_years rule reaches a contact some year).
        self._rules = [
            replace(
                AudienceRule.for_occasion(occ, default, self.settings.defaults.locale),
                round_years=None,
                min_years=None,
            )
            for occ in self.settings.occasions
        ]
        from greeter.i18n import normalize_locale, script_of
        from greeter.serbian_script import whole_to_latin

        default = normalize_locale(self.settings.defaults.locale, self.settings.defaults.locale)
        #: The occasions whose title is in a script, by index: that script.
        self._titled: dict[int, str] = {}
        #: The language a title is in, by index, where it is the default letters' ("" unknown).
        self._language: dict[int, str] = {}
        #: The script a title shows in a Serbian Latin letter, transliterated ("Latn" unless it has ы, я…).
        self._latin: dict[int, str] = {}
        #: Titles Serbian spells letter for letter («Дан државности»): Serbian to a Serbian letter.
        self._serbian: set[int] = set()
        for i, occ in enumerate(self.settings.occasions):
            script = text_script(occ.title) if occ.title else ""
            if script and occ.title:
                self._titled[i] = script
                self._language[i] = (
                    _title_language(occ.title, script, default) if script == script_of(default) else ""
                )
                self._latin[i] = text_script(whole_to_latin(occ.title))
                if _spelled_in_serbian(occ.title):
                    self._serbian.add(i)
        from greeter.occasion_kinds import TEMPLATE_KINDS, occasion_kind

        #: Holiday occasions the templates have no words of their own for: named by their title alone.
        self._unworded = {
            i
            for i, occ in enumerate(self.settings.occasions)
            if occ.holiday is not None
            and occasion_kind(occ.name, occ.holiday, (occ.title, *occ.title_by_locale.values()))
            not in TEMPLATE_KINDS
        }
        self._contact: Contact | None = None
        #: The current contact's letters: locale → the occasions whose letters are in it.
        self._letters: dict[str, set[str]] = {}
        self._mine: list[int] = []

    def see(self, contact: Contact) -> None:
        """Start ``contact`` (the previous one is counted)."""
        self._flush()
        self._contact = contact
        self.locales[contact.locale or ""] += 1
        self.countries[(contact.country or self.settings.defaults.country).partition("-")[0]] += 1

    def sent(self, occasion: Occasion, locale: str) -> None:
        """The current contact's letter of ``occasion`` is in ``locale`` (noted if it reaches them)."""
        contact = self._contact
        i = self._index[occasion.name]
        if contact is None or not (self._titled or i in self._unworded):
            return
        if occasion.field is not None and occasion.field not in contact.dates:
            return
        if not self._rules[i].admits(contact, None):
            return
        if i in self._unworded and occasion.title_in(locale) is None:
            self._note_untitled(i, occasion, contact, locale)
        if not self._titled:
            return
        self._letters.setdefault(locale, set()).add(occasion.name)
        if i in self._titled:
            self._mine.append(i)

    def _note_untitled(self, i: int, occasion: Occasion, contact: Contact, locale: str) -> None:
        """Count ``contact`` if the holidays library has no name for ``occasion`` in ``locale``'s language."""
        from greeter.occasions import holiday_title

        default = self.settings.defaults.country
        country = occasion.country or contact.country or default
        day = self.days.get(occasion.name)
        if day is None:  # no day within a year: no letter, and check says so of the holiday itself
            return
        language = locale.replace("-", "_").split("_")[0]
        if holiday_title(occasion.holiday or "", country, default, day, language) is None:
            self.untitled[(i, language)] += 1

    def letter(self, item: PlanItem, rendered: Rendered) -> None:
        """Note each titled occasion of ``item`` whose title ``rendered`` prints in a language or script
        not its own."""
        from greeter.check_reach import text_script
        from greeter.serbian_script import is_serbian_latin, whole_to_latin

        if not self._titled:
            return
        latin = is_serbian_latin(rendered.locale)
        words = ""
        for hit in (item.hit, *item.also):
            i = self._index.get(hit.occasion)
            if i is None or i not in self._titled:
                continue
            key = self._foreign(i, rendered.locale)
            title = self.settings.occasions[i].title_in(rendered.locale)  # title_by_locale.uz in uz_Cyrl
            leading = item.hit.occasion
            if (
                key is None
                or not self._may_merge(leading, hit.occasion)
                or not title
                or (leading in self.leaders.get((i, key), ()) and (not latin or i in self.shown_cyrillic))
            ):
                continue
            words = words or f"{rendered.subject}\n{rendered.text}"  # built only when a title may be in it
            if (whole_to_latin(title) if latin else title) in words:
                self.named[(i, key)] = text_script(title) or self._titled[i]
                self.leaders.setdefault((i, key), set()).add(leading)
                if latin and whole_to_latin(title) == title:
                    self.shown_cyrillic.add(i)

    def _may_merge(self, leading: str, carried: str) -> bool:
        """Whether a letter of ``leading`` may carry ``carried``: check renders every merged form,
        but New Year (29 December) never rides an Independence Day letter (24 August).

        Only two contact-independent occasions are judged, by their next days, a year round:
        apart by more than the cap's gap (within which occasions merge), the catch-up days and a
        week of days off, they never meet. A contact's date may fall on any day.
        """
        if leading == carried or leading not in self.days or carried not in self.days:
            return True
        return self._near(self.days[leading], self.days[carried])

    def _near(self, one: date, other: date) -> bool:
        """Whether occasions on these days (their years aside) may share a letter: no further apart,
        a year round, than the cap's gap, the catch-up days and a week of days off."""
        apart = abs(_day_of_year(one) - _day_of_year(other))
        reach = self.settings.frequency_cap.min_gap_days + self.settings.catch_up_days + 8
        return min(apart, 365 - apart) <= reach

    def _meets(self, contact: Contact, leading: str, carried: str) -> bool:
        """Whether ``contact``'s letter of ``leading`` may carry ``carried``, by their days: a birthday
        letter of July never names a company day of 20 December, though one of 15 December does.

        A contact-date occasion's day is the contact's date; a day unknown here (an .ics occasion
        not read) is taken to meet.
        """
        if leading == carried:
            return True
        days = [self._day(contact, name) for name in (leading, carried)]
        return days[0] is None or days[1] is None or self._near(days[0], days[1])

    def _day(self, contact: Contact, name: str) -> date | None:
        """Occasion ``name``'s day for ``contact``: its next day, else the contact's date it greets."""
        day = self.days.get(name)
        if day is not None:
            return day
        occasion_field = self.settings.occasions[self._index[name]].field
        return contact.dates.get(occasion_field) if occasion_field is not None else None

    def _foreign(self, i: int, locale: str) -> str | None:
        """The language key (``et``, ``sr``, ``sr_Latn``) of ``locale`` if its language or script is not
        occasion ``i``'s title's and no ``title_by_locale`` entry names it there; else ``None``.

        A language apart is keyed by the language alone: ``title_by_locale.sr`` serves the
        Latin Serbian letters too, transliterated. An entry of the language in another script
        (``title_by_locale.uz``, Latin, serving a ``uz_Cyrl`` letter: there is no ``uz_Cyrl`` one)
        is keyed by language and script (``uz_Cyrl``).
        """
        from greeter.i18n import keys_for, script_of
        from greeter.serbian_script import is_serbian_latin

        occ = self.settings.occasions[i]
        language = locale.split("_")[0]
        if keys := keys_for(locale, tuple(occ.title_by_locale)):
            return _served_in_another_script(occ.title_by_locale[keys[-1]], locale)
        if self._language[i] not in ("", language) and not (language == "sr" and i in self._serbian):
            return language
        script = script_of(locale)
        shown = self._latin[i] if is_serbian_latin(locale) else self._titled[i]
        if not script or script == shown:
            return None
        return language if script_of(language) == script else f"{language}_{script}"

    def _flush(self) -> None:
        """Count the current contact for each titled occasion reaching it and each language it reads."""
        contact = self._contact
        for i in self._mine:
            by_key: dict[str, set[str]] = {}
            carried = self.settings.occasions[i].name
            for locale, occasions in self._letters.items():
                key = self._foreign(i, locale)
                if key is not None and contact is not None:
                    near = (o for o in occasions if self._meets(contact, o, carried))
                    by_key.setdefault(key, set()).update(near)
            for key, occasions in by_key.items():
                self.reached[(i, key, frozenset(occasions))] += 1
        self._letters.clear()
        self._mine.clear()

    def problems(self, config_file: Path) -> list[Problem]:
        """The warnings, each at the config line to change."""
        self._flush()
        self._contact = None
        return (
            self._title_problems(config_file)
            + self._untitled_problems(config_file)
            + self._country_key_problems(config_file)
        )

    def _untitled_problems(self, config_file: Path) -> list[Problem]:
        """A holiday some letters name by no title: its own letter says only «a holiday»."""
        from greeter.config_loader import locate

        problems: list[Problem] = []
        for (i, language), count in sorted(self.untitled.items()):
            occ = self.settings.occasions[i]
            line, col = locate(config_file, ("occasions", i, "holiday"))
            message = (
                f"{count} contact(s) get letters in {language!r} that name {occ.name} by no title: it "
                f"has no title for {language!r} and the holidays library no {language!r} name for "
                f"{occ.holiday!r}, so they wish a happy holiday without saying which: add "
                f"title_by_locale.{language}"
            )
            problems.append(
                Problem(
                    str(config_file), f"occasions.{i}.title_by_locale", message, line, col, severity="warning"
                )
            )
        return problems

    def _title_problems(self, config_file: Path) -> list[Problem]:
        from greeter.config_loader import locate
        from greeter.i18n import keys_for, script_name, script_of

        problems: list[Problem] = []
        default = self.settings.defaults.locale.replace("-", "_").split("_")[0]
        for (i, key), script in sorted(self.named.items()):
            printed = self.leaders.get((i, key), set())
            count = sum(n for (j, k, own), n in self.reached.items() if (j, k) == (i, key) and own & printed)
            if not count:
                continue
            occ = self.settings.occasions[i]
            where = ("occasions", i, "title_by_locale" if occ.title_by_locale else "title")
            line, col = locate(config_file, where)
            written = self._language[i]
            served = keys_for(key, tuple(occ.title_by_locale))
            if served:  # uz_Cyrl letters print title_by_locale.uz, in Latin
                message = (
                    f"{count} contact(s) get letters in {key!r} (written in {script_name(script_of(key))}) "
                    f"that name {occ.name} {occ.title_by_locale[served[-1]]!r} "
                    f"(title_by_locale.{served[-1]}, {script_name(script)}: there is no "
                    f"title_by_locale.{key}): add title_by_locale.{key}"
                )
            elif written not in ("", key.split("_")[0]) and script_of(key) == script:  # else: as it says
                message = (
                    f"{count} contact(s) get letters in {key!r} that name {occ.name} {occ.title!r}, "
                    f"written in {written!r}"
                    f"{' as the default letters are (defaults.locale)' if written == default else ''}: "
                    f"add title_by_locale.{key}"
                )
            else:
                message = (
                    f"{count} contact(s) get letters in {key!r} (written in {script_name(script_of(key))}) "
                    f"that name {occ.name} {occ.title!r} ({script_name(script)}): add title_by_locale.{key}"
                )
            # Russian (ы, я, ь…): left whole in a Latin letter, Cyrillic among Latin — say so.
            if key.partition("_")[0] == "sr" and i in self.shown_cyrillic:
                message += (
                    " (a Serbian Latin letter shows it in Cyrillic, as written: a title in another "
                    "language has no Serbian Latin spelling)"
                )
            problems.append(
                Problem(
                    str(config_file), f"occasions.{i}.title_by_locale", message, line, col, severity="warning"
                )
            )
        return problems

    def _country_key_problems(self, config_file: Path) -> list[Problem]:
        """``ee:`` (Ewe) where no contact writes Ewe and some are in Estonia: "did you mean 'et'?"."""
        from greeter.config_loader import locate
        from greeter.i18n import normalize_locale
        from greeter.locale_keys import country_meant

        default = self.settings.defaults.locale
        written = {normalize_locale(locale, default).split("_")[0] for locale in self.locales if locale}
        if "" in self.locales:
            written.add(normalize_locale(default, default).split("_")[0])
        keyed: list[tuple[tuple[str | int, ...], str]] = [
            (("sender", "by_locale", key), key) for key in self.settings.sender.by_locale
        ]
        for i, occ in enumerate(self.settings.occasions):
            keyed.extend((("occasions", i, "title_by_locale", key), key) for key in occ.title_by_locale)
        problems: list[Problem] = []
        for where, key in keyed:
            meant = country_meant(key)
            language = key.split("_")[0]
            if meant is None or language in written:
                continue
            name, country, languages = meant
            count = self.countries.get(language.upper(), 0)
            if not count:
                continue
            said = " or ".join(f"{code!r} ({lang})" for code, lang in languages)
            message = (
                f"{key!r} is {name}, but no contact's locale is {name} and {count} contact(s) are in "
                f"{country} ({language.upper()}): did you mean {said}?"
            )
            line, col = locate(config_file, where)
            if line is None:  # the key written another way (EE, ee-EE): at the mapping
                line, col = locate(config_file, where[:-1])
            field_name = ".".join(str(part) for part in where)
            problems.append(Problem(str(config_file), field_name, message, line, col, severity="warning"))
        return problems


def _day_of_year(day: date) -> int:
    """``day``'s place in a common year (29 February as 28): two dates of any years compared as
    days of the year, as a birthday of 1971 recurs."""
    return date(2001, day.month, min(day.day, 28) if day.month == 2 else day.day).timetuple().tm_yday


def _spelled_in_serbian(title: str) -> bool:
    """Whether ``title`` is Serbian Cyrillic a Serbian letter may take as Serbian: it comes back from
    Serbian Latin as written (:func:`greeter.serbian_script.whole_to_latin`, then
    :func:`greeter.i18n_script.to_cyrillic`).

    Why: «Дан државности» has none of ђ, ј, љ, њ, ћ, џ, so :func:`_title_language` takes it
    for the default letters' Russian, yet a Serbian Latin letter prints it «Dan državnosti»,
    transliterated whole. A title with ы, я, ь… (Russian) or with Latin in it does not come back.
    """
    from greeter.i18n_script import to_cyrillic
    from greeter.serbian_script import whole_to_latin

    latin = whole_to_latin(title)
    return latin != title and to_cyrillic(latin) == title


def _title_language(title: str, script: str, default: str) -> str:
    """The language a title in the default letters' script is in: the default's, unless its letters say not.

    A Russian project's «Божић» has ћ, which Russian does not use: it is Serbian,
    and a Serbian letter naming it is no Russian title in a Serbian letter.
    Only a Cyrillic title is read so, against a Russian default: Russian has none
    of the letters :func:`greeter.check_script.guess_language` tells the other
    Cyrillic languages by, while Macedonian shares Serbian's ј, and Latin
    letters such as ü are many languages'.
    """
    from greeter.check_script import guess_language

    language = default.split("_")[0]
    if script != "Cyrl" or language != "ru":
        return language
    return guess_language(title.split(), script) or language


def _served_in_another_script(title: str, locale: str) -> str | None:
    """``uz_Cyrl`` when a ``uz_Cyrl`` letter prints ``title`` (``title_by_locale.uz``, «Navro‘z») in
    Latin: the entry of its language serves it only for want of one of its script; else ``None``.

    Not Serbian: a Latin Serbian letter prints a Cyrillic entry transliterated.
    """
    from greeter.check_reach import text_script
    from greeter.i18n import script_of

    language = locale.split("_")[0]
    script, shown = script_of(locale), text_script(title)
    if language == "sr" or not script or not shown or script == shown:
        return None
    return language if script_of(language) == script else f"{language}_{script}"
