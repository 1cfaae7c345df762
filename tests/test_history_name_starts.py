"""``greeter history --contact Кузн``: a manager who remembers only the start of a client's name.

``--contact`` found a client by whole words of the name only: «Виногр» (as much of «Виноградова» as
the manager remembered) matched nobody, and history said the contacts source had no such contact.
The start of a surname or a given name now finds the client, in any case, ё as е — whole words
still first (``--contact Виноградов`` is that Виноградов, not every Виноградова too), an id still
before any name, and several clients whose names begin so are listed, nothing shown, exit 2.
The real CLI against a real SQLite journal the real ``send`` wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import contact_row, refused_stdout
from tests.test_history_client_journal import MOSCOW, NOVOSIBIRSK, contacts, sent
from tests.test_send_e2e import greeter, history

__all__ = ["sent"]  # the fixture, shared

#: Client 2 (Людмила Борисовна Виноградова) as the «Тест» export lists her.
VINOGRADOVA = "2 (Людмила Борисовна Виноградова, ООО «Тест»)"
#: A client whose surname is the start of hers, greeted by nobody yet.
NAMESAKE = contact_row("28", "petr@example.com", last="Виноградов", first="Пётр", patronymic="Семёнович",
                       birthday="01.01.1980")  # fmt: skip


def test_the_start_of_a_surname_or_given_name_finds_the_client(sent: Path) -> None:
    by_id = history(sent, "--contact", "2")
    assert [r["contact_id"] for r in by_id] == ["2"]
    for text in ("Виногр", "виногр", "ВИНОГРАДОВА люд", "Люд Бор", "Вин Людмила"):
        shown = greeter(sent, "history", "--contact", text, "--format", "json")
        assert shown.returncode == 0, (text, shown.stderr)
        assert json.loads(shown.stdout) == by_id, text
        assert f"--contact {text}: contact {VINOGRADOVA}" in shown.stderr, (text, shown.stderr)
    table = greeter(sent, "history", "--contact", "мороз")
    assert table.returncode == 0 and "Алексей Игоревич Морозов" in table.stdout, table.stderr
    # Each word its own: two starts of one word are not two words of the name.
    for text in ("Вин Виногр", "Виноградоваа", "Сидор"):
        shown = greeter(sent, "history", "--contact", text)
        assert f"--contact {text}: contact" not in shown.stderr, (text, shown.stderr)  # not found: at most
        assert f"nor does the contacts source have a contact {text}" in shown.stderr, (text, shown.stderr)
    # ... suggested, as preview's --contact suggests the closest (a typo of hers is hers)
    typo = greeter(sent, "history", "--contact", "Виноградоваа")
    assert f"have a contact Виноградоваа: did you mean {VINOGRADOVA}?" in typo.stderr, typo.stderr


def test_whole_words_come_first_and_several_starts_are_listed_with_exit_2(sent: Path) -> None:
    contacts(sent, NOVOSIBIRSK, MOSCOW, NAMESAKE)
    petr = "28 (Пётр Семёнович Виноградов, ООО «Тест»)"
    # «Виноградов» is his surname whole, and only the start of hers: he is the one asked for.
    whole = greeter(sent, "history", "--contact", "Виноградов")
    assert whole.returncode == 0 and f"--contact Виноградов: contact {petr}" in whole.stderr, whole.stderr
    assert "the journal has no greeting for --contact 28" in whole.stderr  # his own rows: none yet
    # ё as е, in the start too.
    for text in ("виноградов сем", "Виноградов Сём", "пётр вин"):
        shown = greeter(sent, "history", "--contact", text)
        assert shown.returncode == 0 and f"--contact {text}: contact {petr}" in shown.stderr, (
            text,
            shown.stderr,
        )
    for text in ("Виногр", "вИноград"):
        shown = greeter(sent, "history", "--contact", text, "--format", "json")
        assert (shown.returncode, shown.stdout) == (2, refused_stdout("json", shown.stderr)), (
            text,
            shown.stdout,
        )
        assert (
            f"--contact {text} is no contact id, and several contacts have a name that begins so: did you"
            f" mean --contact {VINOGRADOVA} or {petr}?"
        ) in " ".join(shown.stderr.split()), shown.stderr
    # Her given name whole and his start at once: she alone has both.
    assert [r["contact_id"] for r in history(sent, "--contact", "Виногр Людмила")] == ["2"]


def test_an_id_is_an_id_even_where_it_begins_a_name(sent: Path) -> None:
    """A contact id that is also the start of another client's name is that contact's."""
    oddly_named = contact_row(
        "Мороз", "frost@example.com", last="Дедов", first="Мороз", birthday="01.01.1980"
    )
    contacts(sent, NOVOSIBIRSK, MOSCOW, oddly_named)
    shown = greeter(sent, "history", "--contact", "Мороз", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == [] and "contact 1 (" not in shown.stderr, shown.stderr
    assert "the journal has no greeting for --contact Мороз" in shown.stderr
