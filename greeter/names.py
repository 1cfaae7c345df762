"""Splitting a CRM's single full-name column, "Фамилия Имя Отчество", into parts — pure.

CRMs such as 1C and Bitrix often export one ФИО column. The order is fixed
(surname first); what varies is the number of words: a two-word name
(no patronymic), a hyphenated surname (still one word), and Turkic
patronymics written as two words ("Рашид оглы"), which must stay together.
"""

from __future__ import annotations

from typing import NamedTuple


class NameParts(NamedTuple):
    last_name: str
    first_name: str
    patronymic: str


def split_full_name(full: str) -> NameParts:
    """``"Алиев Гусейн Рашид оглы"`` → (Алиев, Гусейн, "Рашид оглы"); extra spaces ignored.

    One word is taken as a first name (a greeting needs a name to address),
    two as surname + first name, three or more as surname, first name and the
    rest as the patronymic.
    """
    words = full.split()
    if not words:
        return NameParts("", "", "")
    if len(words) == 1:
        return NameParts("", words[0], "")
    if len(words) == 2:
        return NameParts(words[0], words[1], "")
    return NameParts(words[0], words[1], " ".join(words[2:]))
