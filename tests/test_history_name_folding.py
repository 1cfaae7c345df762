"""``greeter history --contact Jovanovic``: a name typed without its diacritics, or in the other script.

A CRM export without diacritics, a keyboard without ć: «Jovanovic» found nobody although the
contacts source has «Jovanović», and history said it had no such contact (ё as е was already
folded: «Журавлев» finds «Журавлёв»). Latin letters are now compared without their marks, đ as
both d and dj (Serbian ASCII writes «Djordjevic»), and Serbian Cyrillic as its Latin — «Jovanović»
finds «Јовановић» and back. A name matching as typed still comes first: «Petrovic» is the contact
exported as Petrovic, not Petrović too. The real CLI against a real SQLite journal ``send`` wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import contact_row
from tests.test_history_client_journal import MOSCOW, NOVOSIBIRSK, contacts, sent
from tests.test_send_e2e import greeter

__all__ = ["sent"]  # the fixture, shared

SERBS = (
    contact_row("31", "marko@example.rs", last="Jovanović", first="Marko", patronymic="", birthday="01.01.1980"),
    contact_row("32", "ana@example.rs", last="Ђорђевић", first="Ана", patronymic="", birthday="01.01.1980"),
    contact_row("33", "milica@example.rs", last="Petrović", first="Milica", patronymic="", birthday="01.01.1980"),
    contact_row("34", "milan@example.rs", last="Petrovic", first="Milan", patronymic="", birthday="01.01.1980"),
    contact_row("35", "zaj@example.com", last="Зайцев", first="Олег", patronymic="", birthday="01.01.1980"),
    contact_row("41", "jasur@example.uz", last="To‘xtayev", first="Jasur", patronymic="", birthday="01.01.1980"),
    contact_row("42", "madina@example.uz", last="G'aniyeva", first="Madina", patronymic="", birthday="01.01.1980"),
    contact_row("43", "otabek@example.uz", last="Yo`ldoshev", first="Otabek", patronymic="", birthday="01.01.1980"),
)  # fmt: skip

#: ``--contact`` as typed → the one contact it finds (None: nobody).
CASES = [
    ("Jovanovic", "31"),  # ć typed as c
    ("JOVANOVIC marko", "31"),
    ("Јовановић", "31"),  # Serbian Cyrillic typed, Latin in the CRM
    ("Јовановић Марко", "31"),
    ("Djordjevic", "32"),  # Latin without marks, Cyrillic in the CRM; đ as dj
    ("Dordevic", "32"),  # đ as d
    ("Đorđević Ana", "32"),
    ("Djor", "32"),  # the start, folded too
    ("Petrović", "33"),  # as written: not the Petrovic of the export too
    ("Petrovic", "34"),
    ("Milica Petrovic", "33"),  # no one has both as written: without the marks
    ("Заицев", None),  # й is not и: a Russian letter keeps its mark
    # Uzbek Latin: o‘ g‘ written with ‘ ’ ʻ ʼ ` or ', and typed with the ASCII ' — one name
    ("To'xtayev", "41"),
    ("TO‘XTAYEV jasur", "41"),
    ("Toʻxtayev", "41"),
    ("To`xtayev", "41"),
    ("G'aniyeva", "42"),
    ("Gʻaniyeva Madina", "42"),
    ("G’an", "42"),  # the start, folded too
    ("Yo'ldoshev", "43"),
    ("Yoʼldoshev", "43"),
]


@pytest.mark.parametrize(("text", "found"), CASES)
def test_a_name_without_diacritics_or_in_the_other_script_finds_the_contact(
    sent: Path, text: str, found: str | None
) -> None:
    contacts(sent, NOVOSIBIRSK, MOSCOW, *SERBS)
    shown = greeter(sent, "history", "--contact", text)
    if found is None:
        assert f"nor does the contacts source have a contact {text}" in shown.stderr, shown.stderr
        return
    assert shown.returncode == 0, shown.stderr
    assert f"--contact {text}: contact {found} (" in shown.stderr, shown.stderr


@pytest.mark.parametrize(
    "spelt", ["To'xtayev", "To‘xtayev", "To’xtayev", "Toʻxtayev", "Toʼxtayev", "To`xtayev"]
)
def test_every_apostrophe_an_uzbek_name_is_written_with_is_one_to_compare_by(spelt: str) -> None:
    """The one folding ``history`` and ``preview`` (every ``--contact``) compare names by."""
    from greeter.history_people import name_key

    assert name_key(spelt) == "to'xtayev"
    assert name_key(f"Jasur {spelt}") == name_key("jasur TO'XTAYEV")


def test_preview_finds_the_client_typed_with_an_ascii_apostrophe(sent: Path) -> None:
    contacts(sent, NOVOSIBIRSK, MOSCOW, *SERBS)
    shown = greeter(sent, "preview", "--contact", "To'xtayev", "--days", "2")
    assert shown.returncode == 0, shown.stderr
    assert "--contact To'xtayev: contact 41 (" in shown.stderr, shown.stderr
