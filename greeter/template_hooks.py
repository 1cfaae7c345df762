"""A language's own salutation and closing, written in its helper file (``_pl.j2``) instead of Python.

greeter words the opening and the close of a letter in Python for the
languages it knows (:mod:`greeter.letter_forms`); any other language was
written in English — «Dear Jan,» … «Kind regards,» in a Polish letter — and
the only way out was a copy of the whole layout. The helper file every
language already has (``_en.j2``, ``_de.j2``: the phrases its letters import)
may now define what the layout prints around the message:

``salutation``
    a macro: the opening words without their mark («Szanowny Panie»);
``salutation_end``
    the mark after them, a ``{% set %}`` or a macro ("," or "!");
``closing``
    the complimentary close above the sender's name, a ``{% set %}`` or a macro.

The renderer puts what they give into the letter's ``salutation``,
``salutation_end`` and ``closing`` — the variables the layout (any layout,
copied before this existed too) and the letter's own lines already print — so
neither the layout nor a letter changes. What the file leaves out stays the
built-in form. A file that defines them words its language's letters whether
or not greeter has forms of its own for it (a company's own «Liebe Frau
Schulz» in ``_de.j2``); the shipped helpers define none of the three.

The macros are called with the arguments they name, among :data:`ARGUMENTS`:
``contact`` (the letter's contact, the view a template sees), ``locale`` (the
letter's) and ``sender``. They run in the sandbox like any imported macro, under
``StrictUndefined`` and the letter's time budget; the contact is data, printed,
never evaluated. What they print is text: one line, its spaces collapsed, and
escaped in the HTML part as the built-in salutation is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from jinja2.runtime import Macro

from greeter.errors import TemplateError
from greeter.template_blocks import one_line

__all__ = ["ARGUMENTS", "FORM_HOOKS", "LanguageForms", "helper_files", "own_forms"]

#: What a language's helper file may define, as the layout's variables are named.
FORM_HOOKS: Final = ("salutation", "salutation_end", "closing")
#: What a hook macro may ask for, by argument name.
ARGUMENTS: Final = ("contact", "locale", "sender")


@dataclass(frozen=True, slots=True)
class LanguageForms:
    """The helper file of a letter's language (``_pl.j2``) and which of :data:`FORM_HOOKS` it defines."""

    file: str
    names: frozenset[str]
    #: The line each is defined at, for the errors that name it.
    lines: Mapping[str, int] = field(default_factory=dict)
    #: A macro's arguments without a default: what it cannot be called without.
    needs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def helper_files(locale: str) -> list[str]:
    """The helper files a letter in ``locale`` looks for, most specific first: ``_pl_PL.j2``, ``_pl.j2``."""
    parts = [part for part in locale.replace("-", "_").split("_") if part]
    return [f"_{'_'.join(parts[:n])}.j2" for n in range(len(parts), 0, -1)]


def own_forms(forms: LanguageForms, module: Any, values: Mapping[str, Any]) -> dict[str, str]:
    """The letter's ``salutation``, ``salutation_end`` and ``closing`` as ``forms.file`` words them.

    ``module`` is the file's template module (its macros and ``{% set %}``
    values); ``values`` the letter's context, whose ``contact``, ``locale`` and
    ``sender`` the macros are given. Only the names the file defines are
    returned. Raises :class:`TemplateError` at the file for a macro asking for
    an argument greeter does not give, or a salutation or closing that says
    nothing; an error inside a macro propagates, for the renderer to place.
    """
    found: dict[str, str] = {}
    for name in FORM_HOOKS:
        if name not in forms.names:
            continue
        value = getattr(module, name, None)
        line = forms.lines.get(name)
        if isinstance(value, Macro):
            unknown = [a for a in forms.needs.get(name, ()) if a not in ARGUMENTS]
            if unknown:
                raise TemplateError(
                    forms.file,
                    line,
                    f"macro {name}({', '.join(value.arguments)}): greeter calls it with "
                    f"{', '.join(ARGUMENTS)}, not {', '.join(map(repr, unknown))}; name its arguments so",
                )
            value = value(**{a: values[a] for a in value.arguments if a in ARGUMENTS})
        if not isinstance(value, str):
            raise TemplateError(
                forms.file, line, f"{name} should be words (a macro or a {{% set %}} of text), not {value!r}"
            )
        text = one_line(str(value))
        if not text and name != "salutation_end":
            said = f"{name} rendered empty: the letter would open or close without it"
            raise TemplateError(forms.file, line, said)
        found[name] = text
    return found
