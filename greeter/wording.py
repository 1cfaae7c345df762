"""English counts for the CLI's own lines: "1 letter", "2 letters", "and 2 occasions merged into them".

The lines greeter prints about its work are English; their plurals are
regular, and one function says them (the letters' own languages are Babel's:
:func:`greeter.i18n.plural`). Pure.
"""

from __future__ import annotations


def counted(n: int, word: str, plural: str | None = None) -> str:
    """``counted(1, "letter")`` → "1 letter", ``counted(2, "letter")`` → "2 letters"."""
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def merged_into(merged: int, letters: int) -> str:
    """``and 2 occasions merged into them``: what ``letters`` failed letters carried; "" for none."""
    if not merged:
        return ""
    return f"and {counted(merged, 'occasion')} merged into {'it' if letters == 1 else 'them'}"
