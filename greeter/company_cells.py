"""A company cell's quotes as a CRM mangles them, undone before the name is written — pure.

Two exports seen in Russian CRMs put quotes where the name has none:

* the whole cell in an outer pair, legal form and all: «ООО "Ромашка"»,
  "ООО «Ромашка»". Russian leaves the legal form outside the guillemets (ООО
  «Ромашка»), and read as typed the letter said «компании «ООО „Ромашка“»»:
  a company of a company, in three levels of quotes. The outer pair goes when
  what it holds starts with a legal form of the tables and has a name after
  it; «Рога и Копыта» and «ООО» alone keep theirs.
* straight quotes doubled once more than CSV needs — an export escaped twice:
  ООО "Торговый дом ""Луч"" " (without that last space) once the CSV reader
  has taken its own doubling off —, which the letter wrote «Торговый дом
  „„Луч““». A doubled
  quote before a letter opens nothing a name would (no name opens two quotes at
  once), so such a cell has every doubled straight quote made single, when the
  result pairs up; ``ООО "Завод "Прогресс""`` (nested, closing twice) has none
  before a letter and stays as typed.

:func:`greeter.company_names.company_name` calls :func:`unmangled` first, so
every language's letter gets the cleaned cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

__all__ = ["unmangled"]

#: A doubled straight quote opening a word: ``""Луч`` — an export's doubling, not a name's quote.
_DOUBLED_OPENING: Final = re.compile(r'""\w')
_OPENING: Final = frozenset('«"“„')
_CLOSING: Final = frozenset('»"”“')
_DOUBLE: Final = frozenset('«»"“”„')


def unmangled(text: str, starts_with_form: Callable[[str], bool]) -> str:
    """``text`` (spaces collapsed) without the quotes a CRM added: see the module docstring.

    ``starts_with_form`` says whether a name starts with a legal form and has a
    name after it (:mod:`greeter.company_names`' tables, passed in so this
    module needs none of them).
    """
    if '""' in text and _DOUBLED_OPENING.search(text):
        single = text.replace('""', '"')
        if _pairs_up(single):
            text = single
    if len(text) > 2 and text[0] in _OPENING and text[-1] in _CLOSING and _encloses(text):
        inner = text[1:-1].strip()
        if inner and starts_with_form(inner):
            return inner
    return text


def _pairs(text: str) -> list[tuple[int, int]] | None:
    """Where each pair of double quotes opens and closes, or None when they do not pair up.

    A quote opens at the start, after a space, a bracket or an opening quote,
    and closes otherwise; ``«`` always opens and ``»`` always closes, as
    Russian writes them.
    """
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        if char not in _DOUBLE:
            continue
        after_space = not i or text[i - 1].isspace() or text[i - 1] in "(["
        after_opening = bool(stack) and stack[-1] == i - 1  # «"…: the quote before it opened
        opens = char in "«„" or (char not in "»”" and (after_space or after_opening))
        if opens:
            stack.append(i)
        elif stack:
            pairs.append((stack.pop(), i))
        else:
            return None
    return None if stack else pairs


def _pairs_up(text: str) -> bool:
    return _pairs(text) is not None


def _encloses(text: str) -> bool:
    """Whether the first character's quote is closed by the last character's: one pair around it all."""
    pairs = _pairs(text)
    return pairs is not None and (0, len(text) - 1) in pairs
