"""How a row's message quotes a bad value — one rule for every message about a cell."""

from __future__ import annotations

__all__ = ["QUOTE_CHARS", "quoted", "quoted_within"]

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


def quoted_within(value: str, chars: int) -> str:
    """``value`` quoted (:func:`quoted`) in at most about ``chars`` characters, escapes counted.

    :func:`quoted` cuts before escaping, so 80 control bytes (a binary file
    read as text) would print as 320 characters of ``\\x01``: the cut is made
    shorter until the escaped text fits.
    """
    limit = chars
    shown = quoted(value, limit)
    while len(shown) > chars + 2 and limit > 8:
        limit = limit * 2 // 3
        shown = quoted(value, limit)
    return shown
