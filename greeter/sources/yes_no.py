"""A CRM's yes/no cell read as True, False or None (neither) — the do-not-contact column's words.

CRMs and spreadsheets write a flag many ways: Bitrix24's «Не беспокоить»
exports ``Да``/``Нет``, amoCRM and HubSpot ``true``/``false`` or ``Yes``/``No``,
a Russian Excel ``ИСТИНА``/``ЛОЖЬ``, a hand-kept sheet ``x``, ``✓`` or ``+``, a
database ``1``/``0`` (MariaDB's ``TINYINT(1)``) or a boolean, which the SQL and
XLSX sources hand over as ``True``/``False``. Only clear words count: anything
else is None, and the caller decides what doubt means (for the do-not-contact
column: do not mail).
"""

from __future__ import annotations

from typing import Final

__all__ = ["read_yes_no"]

#: Yes, case-folded and without a final dot. ``х`` is the Cyrillic letter: the same mark typed on a
#: Russian keyboard layout.
_YES: Final = frozenset(
    {"да", "д", "yes", "y", "true", "истина", "1", "x", "х", "✓", "✔", "+"}
)  # fmt: skip
#: No, likewise; an empty cell is no too (most rows of a flag column are empty).
_NO: Final = frozenset({"", "нет", "н", "no", "n", "false", "ложь", "0", "-", "–", "—"})


def read_yes_no(text: str) -> bool | None:
    """True for a yes-word, False for a no-word or an empty cell, None for anything else.

    Any case and surrounding blanks (``ДА``, `` Yes ``), and a final dot
    (``да.``) are ignored: they are how people type, not what they say.
    """
    word = text.strip().casefold()
    if word.endswith(".") and len(word) > 1:
        word = word[:-1]
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None
