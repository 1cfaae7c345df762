"""``greeter history --contact NAME``: a sales manager types the client as the CRM shows it.

Support found ``--contact "Анна Ильинична Смирнова"`` answered "nor does the contacts source have
a contact Анна Ильинична Смирнова … did you mean --contact 2002 (Анна Ильинична Смирнова, …)?" —
proposing the very name it rejected, though the help says "A --contact that is a name gets its
ids"; a surname-first name (as Russian CRMs write it), a surname or a first name alone failed too.
The real CLI against a real SQLite journal the real ``send`` wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import contact_row, refused_stdout
from tests.test_history_client_journal import MOSCOW, NOVOSIBIRSK, contacts, sent
from tests.test_send_e2e import greeter, history

__all__ = ["sent"]  # the fixture, shared


def test_a_name_given_as_contact_gets_its_contacts_rows_in_any_order_case_or_part(sent: Path) -> None:
    by_id = history(sent, "--contact", "2")
    assert [r["contact_id"] for r in by_id] == ["2"]
    for text in ("Людмила Борисовна Виноградова", "виноградова ЛЮДМИЛА борисовна", "Виноградова", "Людмила"):
        shown = greeter(sent, "history", "--contact", text, "--format", "json")
        assert shown.returncode == 0, shown.stderr
        assert json.loads(shown.stdout) == by_id, text
        assert f"--contact {text}: contact 2 (Людмила Борисовна Виноградова, ООО «Тест»)" in shown.stderr
    table = greeter(sent, "history", "--contact", "Морозов Алексей")  # the table, and the other client
    assert table.returncode == 0 and "Алексей Игоревич Морозов" in table.stdout, table.stderr
    assert "nor does the contacts source" not in table.stderr
    nobody = greeter(sent, "history", "--contact", "Сидоров")
    assert nobody.returncode == 0 and "did you mean" not in nobody.stderr
    assert "nor does the contacts source have a contact Сидоров" in nobody.stderr
    twice = greeter(sent, "history", "--contact", "Людмила Людмила")  # one word is not two of a name
    assert "--contact Людмила Людмила: contact" not in twice.stderr  # not found; suggested, as preview does:
    assert "have a contact Людмила Людмила: did you mean 2 (Людмила Борисовна Виноградова" in twice.stderr


def test_a_name_several_contacts_have_lists_them_and_exits_2(sent: Path) -> None:
    namesake = contact_row("28", "anna@example.com", last="Виноградова", first="Людмила",
                           patronymic="Борисовна", birthday="01.01.1980")  # fmt: skip
    contacts(sent, NOVOSIBIRSK, MOSCOW, namesake)
    out = sent.parent / "k.xlsx"
    for text in ("виноградова", "Людмила Борисовна Виноградова", "Виноградова Людмила"):
        for extra in ([], ["--format", "json"], ["-o", str(out)]):
            shown = greeter(sent, "history", "--contact", text, *extra)
            fmt = "json" if "json" in extra else "table"
            assert (shown.returncode, shown.stdout) == (2, refused_stdout(fmt, shown.stderr)), (text, extra)
            assert (
                f"--contact {text} is no contact id, and several contacts have that name: did you mean"
                " --contact 2 (Людмила Борисовна Виноградова, ООО «Тест») or 28 (Людмила Борисовна"
                " Виноградова, ООО «Тест»)?"
            ) in " ".join(shown.stderr.split()), shown.stderr
            assert not out.exists()
    assert [r["contact_id"] for r in history(sent, "--contact", "Морозов")] == ["1"]  # one of that name
    # An id is an id: a client gone from the export keeps its history.
    contacts(sent, MOSCOW)
    assert [r["contact_id"] for r in history(sent, "--contact", "1")] == ["1"]
