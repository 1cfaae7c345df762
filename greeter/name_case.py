"""Letter case of names as CRMs export them — pure.

Names typed in capitals or in lower case ("ИВАНОВ ИВАН", "мария") would reach
the letter as typed ("Уважаемый ИВАН ПЕТРОВИЧ!"). Such a name is written the
usual way; a name with any mixed case ("McDonald", "де Голль") is the client's
own spelling and is never touched.
"""

from __future__ import annotations

import re
from typing import Final

from greeter.names import _LETTERS, _NOT_NAME, TURKIC_PARTICLES

__all__ = ["normalise_case"]

_APOSTROPHES: Final = "'’ʼ"


def normalise_case(name: str) -> str:
    """``"АННА-МАРИЯ"`` → "Анна-Мария", ``"гусейн оглы"`` → "Гусейн оглы"; mixed case unchanged.

    Only a name written entirely in capitals or entirely in lower case, with
    at least two letters and nothing but letters, spaces, hyphens,
    apostrophes and dots, is re-cased: each word, each hyphenated part and
    each initial ("И.П.") capitalised; the Turkic particles (оглы, кызы, улы,
    уулу, кизи, …) lower case after the first word; after an apostrophe, a
    capital only in the Latin O'Brien / D'Artagnan pattern, not in Дем'ян.
    The common case — a name written normally — costs two C-level tests.
    """
    if not (name.isupper() or name.islower()):
        return name
    if sum(len(run) for run in _LETTERS.findall(name)) < 2 or _NOT_NAME.search(name):
        return name
    lower = name.lower()
    out: list[str] = []
    end = 0
    previous: re.Match[str] | None = None
    for run in _LETTERS.finditer(lower):
        before, word = lower[end : run.start()], run.group()
        if previous is not None and word in TURKIC_PARTICLES:
            capital = False
        elif before and before[-1] in _APOSTROPHES:
            capital = before in _APOSTROPHES and _latin_initial(lower, previous)
        else:
            capital = True
        out.append(before + (word[:1].upper() + word[1:] if capital else word))
        end, previous = run.end(), run
    out.append(lower[end:])
    return "".join(out)


def _latin_initial(text: str, run: re.Match[str] | None) -> bool:
    """Whether ``run`` is one Latin letter starting a word, as the O of O'Brien."""
    if run is None or len(run.group()) != 1 or not run.group().isascii():
        return False
    return run.start() == 0 or text[run.start() - 1] in " -"
