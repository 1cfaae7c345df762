"""The row parser's cells read as codes: the language, the country, the do-not-contact flag, the tags.

Split from :mod:`greeter.sources.rows` (the row parser), so that it holds the
row's logic: each of these cells becomes a code greeter keeps (``ru_RU``, ``EE``,
yes or no, a set of tags), read once per distinct text where values repeat; a
value that cannot be read is a warning, and the default applies — or, for the
do-not-contact flag, no letter is sent.

:class:`RowCodes` is a base class of :class:`~greeter.sources.rows.RowParser`:
the state its methods share with the parser is declared here and set by the
parser's ``__init__``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from greeter.countries import parse_country
from greeter.errors import Problem
from greeter.name_case import turkic_case
from greeter.sources.caches import remember
from greeter.sources.quote import quoted
from greeter.sources.yes_no import read_yes_no

_TAG_SPLIT = re.compile(r"[,;]")
#: The tags of a contact without any, shared.
NO_TAGS: frozenset[str] = frozenset()
_LOCALE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?")
#: A do-not-contact cell that lets the contact be greeted (:meth:`RowCodes._opted_out`).
OPTED_IN: tuple[None, None] = (None, None)


class RowCodes:
    """The language, country, do-not-contact and tags cells of the row parser's rows."""

    # The parser's state these methods read and set (RowParser.__init__).
    header: list[str]
    pos: dict[str, int]
    _locales: dict[str, str | None]
    _locale_why: dict[str, str]
    _turkic_languages: set[str | None]
    _tags: dict[str, frozenset[str]]

    if TYPE_CHECKING:  # the parser's own, which locates a cell's problem

        def _problem(self, line: int, field: str, message: str, severity: str = "error") -> Problem: ...

        def _warn(self, line: int, field: str, message: str) -> Problem: ...

    def _locale(self, raw: str, line: int, problems: list[Problem]) -> str | None:
        """``ru-RU`` → ``ru_RU``, ``vene`` → ``ru``; an unusable value is a warning and the default applies.

        A locale of more subtags than greeter keeps (Windows-style ``uz-Latn-UZ``,
        ``sr-Latn-RS``) is read by Babel and kept within one
        (:func:`greeter.i18n.one_subtag`: ``uz_Latn``), as ``init --locale`` reads it.

        A language's name is read as the country column reads a country's
        (:func:`greeter.language_names.language_by_name`): an Estonian CRM's
        «Keel» says ``vene``, ``Eesti keel``. Unusable is also a well-formed
        code Babel does not know (``RS``, ``rs``, ``srb``: country codes in a
        "language" column): the renderer would silently send the default
        language's letter. The warning says what the value probably meant
        (:func:`greeter.i18n.locale_hint`).
        """
        if not raw:
            return None
        if raw not in self._locales:
            from greeter.i18n import locale_hint, normalize_locale, one_subtag  # Babel: locale column only
            from greeter.language_names import language_by_name

            lang, _, region = raw.replace("-", "_").partition("_")
            value = lang.lower() + (f"_{region}" if region else "")
            if not _LOCALE.fullmatch(value) and (canonical := normalize_locale(raw, "")):
                value = one_subtag(canonical)  # uz-Latn-UZ → uz_Latn, as `init --locale sr-latn-RS` reads it
            if not _LOCALE.fullmatch(value):
                why = f"{quoted(raw)} is not a language code"
            elif not normalize_locale(value, ""):  # "rs", "srb": the renderer would use the default
                why = f"{quoted(raw)} is not a language code Babel knows"
            else:
                why = ""
            if why and (named := language_by_name(raw)) is not None:
                why, value = "", named
            hint = locale_hint(raw) if why else ""
            self._locales[raw] = None if why else value
            if not why and turkic_case(value):  # «QASIMOVA» of this language is «Qasımova»
                self._turkic_languages.add(value)
            self._locale_why[raw] = (
                f"{why} ({hint}); the default applies" if hint else f"{why}; the default applies"
            )
        locale = self._locales[raw]
        if locale is None:
            problems.append(self._problem(line, "locale", self._locale_why[raw], "warning"))
        return locale

    def _country(
        self, raw: str, line: int, problems: list[Problem], within: tuple[str | None, ...] = ()
    ) -> str | None:
        """A code or a name → ISO code; unknown, or without a holiday calendar: a warning (the default).

        ``within``: the country the row's zone is in (else the defaults' and the config's), the only
        ones whose regions are read by name."""
        code, why = parse_country(raw, within)
        if why:
            message = f"{why}; the public holidays of defaults.country apply"
            problems.append(self._problem(line, "country", message, "warning"))
        return code

    def _opted_out(self, text: str, line: int, problems: list[Problem]) -> tuple[str | None, str | None]:
        """The do-not-contact column's header if its cell ``text`` says yes, or neither yes nor no
        (then the cell too, quoted); else (None, None).

        A value that is neither (``может быть``, a typo) is a warning, and the
        contact is treated as opted out: when in doubt a letter is not sent —
        an unwanted one costs more than a missed one, and the warning says
        which cell to correct.
        """
        said = read_yes_no(text)
        if said is None:
            message = (
                f"{quoted(text)} is neither yes nor no; this contact is treated as do-not-contact:"
                " write да or нет (yes or no) in the CRM"
            )
            problems.append(self._warn(line, "do_not_contact", message))
        if said is False:
            return OPTED_IN
        return self.header[self.pos["do_not_contact"]], None if said else quoted(text)

    def _tag_set(self, raw: str) -> frozenset[str]:
        """The tags of a ``,``/``;``-separated cell (frozensets: safe to share between contacts)."""
        if not raw:
            return NO_TAGS
        tags = self._tags.get(raw)
        if tags is None:
            tags = remember(self._tags, raw, frozenset(t.strip() for t in _TAG_SPLIT.split(raw) if t.strip()))
        return tags
