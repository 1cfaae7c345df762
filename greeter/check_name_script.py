"""``greeter check``: clients whose letter is in one script of their language and their name in another.

An Uzbek client is written in Latin or in Cyrillic: a Tashkent office with only
``holiday.uz.j2`` (Latin) sent «Hurmatli Бекзод Ўткир ўғли!» to a ``uz`` client
whose CRM name is Cyrillic, and to a ``uz_Cyrl`` client, and ``check`` said
nothing — while it warns of «John, с днём рождения!» for a client with no
language of their own (:meth:`greeter.check_reach.Reach._check_script`). This is
that warning for clients with a language of their own: a name in another script
*of the letter's language* (CLDR's locales name the scripts: ``uz_Cyrl``,
``uz_Latn``, ``az_Cyrl``, ``bs_Cyrl``) says which script the client reads.
A name in a script the language is not written in (a Cyrillic name in an English
letter) is no such sign, and Serbian is transliterated whole
(:mod:`greeter.serbian_script`): neither is warned of.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from greeter.config import Settings
from greeter.contacts import Contact
from greeter.errors import Problem

__all__ = ["NameScripts", "language_scripts"]

#: How many contacts a warning names (the rest are counted).
_NAMED = 3


@lru_cache(maxsize=64)
def language_scripts(language: str) -> frozenset[str]:
    """The scripts CLDR writes ``language`` in: ``uz`` → Latn, Cyrl, Arab; ``en`` → Latn (and two
    historic alphabets); ``ru`` → Cyrl. Its likely script, and every script a locale of it names."""
    from babel.localedata import locale_identifiers

    from greeter.i18n import script_of

    scripts = {script_of(language)} - {""}
    for identifier in locale_identifiers():
        parts = identifier.split("_")
        if parts[0] == language and len(parts) > 1 and len(parts[1]) == 4:
            scripts.add(parts[1])
    return frozenset(scripts)


@dataclass
class NameScripts:
    """Contacts with a language of their own whose letter is in another script of it than their name."""

    #: (letter locale, its script, the names' script) → how many contacts, and the first few.
    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    named: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    #: Letter locale of a language whose names are declined (ru, uk) → how many contacts with a
    #: name in Belarusian spelling get letters in it, and the first few (:meth:`see_belarusian`).
    belarusian: Counter[str] = field(default_factory=Counter)
    belarusian_named: dict[str, list[str]] = field(default_factory=dict)

    def see(self, contact: Contact, letter: str) -> None:
        """``contact`` (with a locale of their own) got a letter worded in the locale ``letter``."""
        from greeter.check_reach import text_script
        from greeter.i18n import script_of

        language = letter.split("_")[0]
        name = contact.first_name or contact.last_name
        if contact.locale is None or not name or language == "sr":
            return
        written, shown = text_script(name), script_of(letter)
        if not written or not shown or written == shown or written not in language_scripts(language):
            return
        key = (letter, shown, written)
        self.counts[key] += 1
        if len(listed := self.named.setdefault(key, [])) < _NAMED:
            listed.append(f"{contact.id} {contact.display_name.strip()}")

    def see_belarusian(self, contact: Contact, letter: str) -> None:
        """``contact`` got a letter in ``letter``: counted when it declines names and this one is Belarusian.

        Neither declension knows Belarusian: such a name is printed as written in every case
        (:func:`greeter.addressing.belarusian_spelling`), as in a letter in ``be``.
        """
        from greeter.addressing import belarusian_spelling
        from greeter.template_filters import declines

        if not declines(letter, "name") or not belarusian_spelling(
            contact.first_name, contact.patronymic, contact.last_name, contact.locale
        ):
            return
        self.belarusian[letter] += 1
        if len(listed := self.belarusian_named.setdefault(letter, [])) < _NAMED:
            listed.append(f"{contact.id} {contact.display_name.strip()}")

    def problems(self, config_file: Path, settings: Settings) -> list[Problem]:
        """One warning per letter locale and names' script, at the language column's setting."""
        from babel import Locale

        from greeter.config_loader import locate

        column = settings.contacts.columns.locale
        where = ("contacts", "columns", "locale") if column else ("defaults", "locale")
        line, col = locate(config_file, where)
        scripts = Locale("en").scripts
        problems: list[Problem] = []
        for (letter, shown, written), count in sorted(self.counts.items()):
            language = letter.split("_")[0]
            names = ", ".join(self.named[(letter, shown, written)])
            rest = count - _NAMED
            more = f" and {rest} more" if rest > 0 else ""
            message = (
                f"{count} contact(s) get letters in {letter!r} (written in {scripts.get(shown, shown)}) "
                f"but have names written in {scripts.get(written, written)} ({names}{more}): the name "
                f"shows in the other script inside the letter; give them the locale '{language}_{written}' "
                f"and letters in that script (<template>.{language}_{written}.j2), or write their names "
                f"in {scripts.get(shown, shown)} in the CRM"
            )
            field_name = ".".join(where)
            problems.append(Problem(str(config_file), field_name, message, line, col, severity="warning"))
        for letter, count in sorted(self.belarusian.items()):
            names = ", ".join(self.belarusian_named[letter])
            rest = count - _NAMED
            more = f" and {rest} more" if rest > 0 else ""
            message = (
                f"{count} contact(s) with names in Belarusian spelling get letters in {letter!r}"
                f" ({names}{more}): a case asked of the name (name('dative')…) prints it as written"
                " (the nominative), as in a letter in 'be': the declension has no Belarusian rules; word"
                " the sentence for it, or drop the case"
            )
            problems.append(
                Problem(str(config_file), ".".join(where), message, line, col, severity="warning")
            )
        return problems
