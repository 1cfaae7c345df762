"""How a row's message quotes a bad value — one rule for every message about a cell."""

from __future__ import annotations

__all__ = ["QUOTE_CHARS", "quoted"]

#: How many characters of a bad value a message quotes: a cell of 2,000 is shortened, not printed whole.
QUOTE_CHARS = 60


def quoted(value: str, limit: int = QUOTE_CHARS) -> str:
    """``value`` as a row's message shows it: in quotes, control characters visible, a long one shortened.

    The marketer looks the value up in the CRM or the spreadsheet: quotes show
    where it starts and ends (a trailing space, an empty string), ``repr``
    shows a line break, a NUL or U+2028 as ``\\n``, ``\\x00``, ``\\u2028``
    instead of breaking the message line, and a value longer than ``limit``
    keeps its start (what a search finds) with "…". It is cut before quoting,
    so no escape is cut in half.
    """
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return repr(value)
