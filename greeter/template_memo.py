"""Macros of an imported helper file whose output is a function of their arguments: rendered once.

Why: the shipped layout prints ``_brand.j2``'s ``contact_line(sender)`` and
``_unsubscribe.j2``'s ``unsubscribe_line(locale, link)`` in both parts of
every letter, with the same arguments for every letter of a batch (the
sender, the letter's locale, the ``mailto:`` link): four macro bodies a
letter, the unsubscribe line building its dictionary of eight languages each
time — about a tenth of a letter's template code. Their text is the same
every time, so it is made once (:meth:`greeter.template_env.Sandbox.call`).

When that is provably the same text — nothing here guesses:

* The macro is an export of a file's *cached* module, the one ``{% import %}``
  and ``{% from … import %}`` without context give (:meth:`MacroMemo.register`,
  called when that module is made): it sees its arguments, its file's
  top-level names (set once, when the module was made) and the environment's
  globals — never the importing letter's variables.
* Its file (:func:`pure_file`) uses nothing that answers differently from
  one call to the next or reaches outside the file: no ``random`` filter, no
  ``lipsum``, ``cycler``, ``joiner`` or ``namespace`` (state kept between
  calls), no ``caller``, ``self`` or context references, no
  ``{% import %}``/``{% include %}``/``{% extends %}``/``{% call %}``, no
  namespace assignment. Every other filter and test is a function of its input
  and the letter's locale (:data:`~greeter.template_filters.LETTER_LOCALE`,
  part of the key).
* Every argument is a plain value of a type in :data:`VALUE_TYPES`, keyed with
  its type (``Markup("a&b")`` equals ``"a&b"`` but prints otherwise): a
  contact's view, a list, an undefined value are never keyed, and such calls
  render as before.

The macro is the key itself (its environment, and so its escaping, with it).
A call that fails stores nothing: the next one fails the same way.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

from jinja2 import nodes
from jinja2.environment import TemplateModule
from jinja2.runtime import Macro
from markupsafe import Markup

from greeter.template_filters import LETTER_LOCALE
from greeter.template_views import SenderView

__all__ = ["VALUE_TYPES", "MacroMemo", "pure_file"]

#: Argument types keyed by value: immutable, and equal only when a template cannot tell them apart
#: (a SenderView is frozen, its fields plain strings, all compared).
VALUE_TYPES: Final = frozenset({str, Markup, int, bool, float, type(None), date, datetime, SenderView})
#: Names whose use makes a file's macros answer otherwise from one call to the next, or see more
#: than their arguments and their file.
_IMPURE_NAMES: Final = frozenset({"lipsum", "cycler", "joiner", "namespace", "caller", "self", "super"})
#: Filters whose result is not a function of their input.
_IMPURE_FILTERS: Final = frozenset({"random"})
#: Nodes that reach outside the file, keep state between calls, or read the caller's context.
_IMPURE_NODES: Final = (
    nodes.Import,
    nodes.FromImport,
    nodes.Include,
    nodes.Extends,
    nodes.Block,
    nodes.CallBlock,
    nodes.NSRef,
    nodes.ContextReference,
    nodes.DerivedContextReference,
    nodes.EvalContextModifier,
    nodes.ExprStmt,
)
#: Results kept before the memo starts afresh: a batch's few distinct calls many times over.
_KEPT: Final = 4096


def pure_file(tree: nodes.Template) -> bool:
    """Whether every macro of the file parsed as ``tree`` is a function of its arguments (see above)."""
    if any(True for _ in tree.find_all(_IMPURE_NODES)):
        return False
    if any(name.name in _IMPURE_NAMES for name in tree.find_all(nodes.Name)):
        return False
    return not any(f.name in _IMPURE_FILTERS for f in tree.find_all(nodes.Filter))


class MacroMemo:
    """The texts of pure macros (module docstring), by macro, letter locale and arguments."""

    def __init__(self) -> None:
        #: Exports of cached modules of pure files: the macros whose calls are kept.
        self._pure: set[Macro] = set()
        self._texts: dict[tuple[Any, ...], Any] = {}

    def register(self, module: TemplateModule, pure: bool) -> None:
        """A file's cached module was made: its macros are kept from now on if the file is ``pure``."""
        if pure:
            self._pure.update(v for v in vars(module).values() if type(v) is Macro)

    def key(self, macro: Macro, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The key of a call of ``macro`` with ``args``; None when it is not kept (module docstring)."""
        if macro not in self._pure:
            return None
        kinds = tuple(map(type, args))
        if not VALUE_TYPES.issuperset(kinds):
            return None
        return (macro, LETTER_LOCALE.get(), kinds, args)

    def get(self, key: tuple[Any, ...]) -> Any:
        """The text kept for ``key``, else None."""
        return self._texts.get(key)

    def keep(self, key: tuple[Any, ...], text: Any) -> None:
        """Keep ``text`` for ``key``; bounded: full, the memo starts afresh."""
        if len(self._texts) >= _KEPT:
            self._texts.clear()
        self._texts[key] = text
