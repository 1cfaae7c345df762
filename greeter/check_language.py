"""``greeter check``: letters in a language greeter has no salutation or closing for.

greeter words a letter's opening and close in Python for the languages it
ships (:mod:`greeter.letter_forms`); a letter in any other — a marketer's new
``birthday.pl.j2`` — opened «Dear Jan,» and closed «Kind regards,», its
unsubscribe line English too, and ``check`` said OK. The fix needs no Python:
the language's helper file words them (:mod:`greeter.template_hooks`), and
``_unsubscribe.j2`` takes an entry. One warning per such language, beside the
other language warnings (:mod:`greeter.check_reach`), naming what falls back,
how many contacts get those letters, and what to write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from greeter.config import Settings
from greeter.errors import Problem
from greeter.i18n import letter_default
from greeter.letter_forms import FALLBACK, FORMS, forms_for
from greeter.template_hooks import FORM_HOOKS, LanguageForms, helper_files
from greeter.template_limits import end_budget, start_budget
from greeter.template_snapshot import SUFFIX

if TYPE_CHECKING:
    from greeter.render import Renderer

__all__ = ["gendered_salutation", "language_form_problems", "own_salutation"]

#: The file holding the footer's unsubscribe line in every language (its ``unsubscribe_line``).
UNSUBSCRIBE_FILE = "_unsubscribe.j2"


def own_salutation(renderer: Renderer) -> Callable[[str], bool]:
    """Whether a letter locale's salutation is written by its helper file (:attr:`Reach.own_salutation`)."""

    def own(locale: str) -> bool:
        forms = renderer.language_forms(locale)
        return isinstance(forms, LanguageForms) and "salutation" in forms.names

    return own


def gendered_salutation(renderer: Renderer, folder: Path) -> Callable[[str], str]:
    """The helper file of a letter locale whose own ``salutation`` macro reads ``contact.gender``, or "".

    Such a salutation words a contact of unknown gender its own neutral way («Добры дзень,
    Вольга Іванаўна» for «Паважаная Вольга Іванаўна»): ``check`` counts those contacts as it
    does for greeter's own forms (:attr:`Reach.own_gendered`). Read from the macro's syntax
    tree, once per file; a file that does not read or parse is reported elsewhere: "".
    """
    from jinja2 import TemplateSyntaxError, nodes

    from greeter.template_env import syntax_tree

    said: dict[str, str] = {}

    def gendered(locale: str) -> str:
        forms = renderer.language_forms(locale)
        if not isinstance(forms, LanguageForms) or "salutation" not in forms.names:
            return ""
        if forms.file not in said:
            said[forms.file] = ""
            try:
                tree = syntax_tree((folder / forms.file).read_text(encoding="utf-8"), forms.file)
            except (OSError, UnicodeDecodeError, TemplateSyntaxError):
                return ""
            for macro in tree.find_all(nodes.Macro):
                if macro.name == "salutation" and any(
                    node.attr == "gender" for node in macro.find_all(nodes.Getattr)
                ):
                    said[forms.file] = forms.file
        return said[forms.file]

    return gendered


def language_form_problems(
    settings: Settings, renderer: Renderer, files: list[Path], letters: Counter[str]
) -> list[Problem]:
    """One warning per language letters are written in whose salutation, closing or unsubscribe line
    falls back to another language's (English).

    A language's letters are those of its ``<name>.<locale>.j2`` files (``files``: the
    occasions' template files), and the default's (``defaults.locale``); ``letters``
    counts the contacts who got a letter per letter locale (:attr:`Reach.letters`),
    so a language no contact has yet is warned of with 0 contacts, before its first send.
    """
    default = letter_default(settings.defaults.locale)  # hr, bs: the default files are Serbian Latin
    written: dict[str, list[str]] = {}  # language → its letter files, first one first
    locale_of: dict[str, str] = {}  # language → the locale its letters are judged in
    for path in files:
        parts = path.name.removesuffix(SUFFIX).split(".")
        locale = parts[1].replace("-", "_") if len(parts) == 2 else default
        language = locale.split("_")[0].lower()
        written.setdefault(language, []).append(path.name)
        locale_of.setdefault(language, locale)
    counts: Counter[str] = Counter()
    for locale, count in letters.items():
        language = locale.split("_")[0].lower()
        counts[language] += count
        locale_of[language] = locale  # a letter's own locale, as rendered (pl_PL), wins
    unsubscribe = _unsubscribe_lines(settings, renderer)
    problems: list[Problem] = []
    for language, names in written.items():
        locale = locale_of[language]
        builtin = language == FALLBACK or forms_for(locale) is not FORMS[FALLBACK]
        own = renderer.language_forms(locale)
        if not isinstance(own, LanguageForms | None):
            continue  # the helper file does not compile: every such letter's error says so
        defined = own.names if own is not None else frozenset()
        missing = [] if builtin else [name for name in FORM_HOOKS if name not in defined]
        footer = unsubscribe(locale) if unsubscribe is not None and language != FALLBACK else None
        if not missing and footer is None:
            continue
        helper = own.file if own is not None else helper_files(language)[-1]
        problems.append(_problem(language, names, counts[language], missing, footer, helper))
    return problems


def _problem(
    language: str, files: list[str], count: int, missing: list[str], footer: str | None, helper: str
) -> Problem:
    """The warning for one language: what its letters say in English, and where to write it instead."""
    english = FORMS[FALLBACK]
    said: list[str] = []
    fixes: list[str] = []
    if missing:
        words: list[str] = []
        end = english.end if "salutation_end" in missing else ""
        if "salutation" in missing:
            words.append(f"open in English («Dear …{end}»)")
        elif end:
            words.append(f"end the salutation with the English «{end}»")
        if "closing" in missing:
            words.append(f"close in English («{english.closing}»)")
        own = f"greeter having no salutation or closing of its own for {language!r}"
        said.append(f"{' and '.join(words)}, {own}")
        fixes.append(f"define {_listed(missing)} in {helper}")
    if footer is not None:
        said.append(f"show the unsubscribe line in English («{footer}»)")
        fixes.append(f"add a {language!r} entry to {UNSUBSCRIBE_FILE}'s words")
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    message = (
        f"{count} contact(s) get letters in {language!r} ({shown}) that {'; they '.join(said)}: "
        f'{" and ".join(fixes)} (see "Adding a language" in docs/templates.md)'
    )
    return Problem(file=files[0], field="", message=message, kind="template", severity="warning")


def _listed(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _unsubscribe_lines(settings: Settings, renderer: Renderer) -> _Footer | None:
    """What tells whether ``_unsubscribe.j2`` words a locale's line itself; ``None`` if no letter shows one.

    No ``unsubscribe.url`` nor ``mailto``, or no ``_unsubscribe.j2``: the layout shows no
    such line. A locale's line is the English one when the file has no entry for it.
    """
    if not (settings.unsubscribe.url or settings.unsubscribe.mailto):
        return None
    module = renderer.helper(UNSUBSCRIBE_FILE)
    line = getattr(module, "unsubscribe_line", None)
    if line is None:
        return None
    return _Footer(line)


class _Footer:
    """``_unsubscribe.j2``'s ``unsubscribe_line``, asked per locale whether it is the English one."""

    def __init__(self, macro: object) -> None:
        self._macro = macro
        self._english = self._line(FALLBACK)

    def _line(self, locale: str) -> str | None:
        outer = start_budget()  # the template's code: under a render's time budget, as any
        try:
            return str(self._macro(locale, "https://example.invalid/u"))  # type: ignore[operator]
        except Exception:  # a broken line is its letters' error, reported there
            return None
        finally:
            end_budget(outer)

    def __call__(self, locale: str) -> str | None:
        """The English line without its link when ``locale``'s is the English one, else ``None``."""
        own = self._line(locale)
        if own is None or self._english is None or own != self._english:
            return None
        return own.split(": https://", 1)[0]
