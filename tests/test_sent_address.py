"""A letter already sent is shown at the address it went to, not the one the CRM gives now.

Support simulated months of operation: contact 1003's New Year letter left for
client03@example.com, then the CRM changed its address. ``preview`` then showed
that letter ``'email': 'dmitry.new@example.com', 'status': 'sent'`` and
``test-send`` said "the real letter already left … to dmitry.new@example.com"
— a mailbox it never reached. The real CLI, the file transport and a real
SQLite journal.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import HEADER, MakeProject, contact_row

OLD, NEW = "client29@example.com", "vera.new@example.com"
#: The afternoon of the birthday: her letter is due by then.
DUE = "2026-12-09T17:00:00+03:00"


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def vera(email: str) -> str:
    return contact_row("1029", email, last="Гусева", first="Вера", patronymic="Константиновна",
                       birthday="09.12.1981")  # fmt: skip


def test_a_sent_letter_shows_the_journals_address_and_says_the_contacts_is_another_now(
    make_project: MakeProject,
) -> None:
    config = make_project([vera(OLD)])
    code, out, err = invoke(config, "send", "--once", "--now", DUE)
    assert code == 0 and "sent: 1" in out, out + err
    (config.parent / "data" / "contacts.csv").write_text(f"{HEADER}\n{vera(NEW)}\n", encoding="utf-8-sig")
    preview = ("preview", "--contact", "1029", "--from", "2026-12-09", "--days", "1", "--now", DUE)

    code, out, err = invoke(config, *preview, "--format", "json")
    assert code == 0, err
    (item,) = json.loads(out)
    assert (item["status"], item["email"]) == ("sent", OLD)
    assert item["detail"] == f"sent to {OLD}; the contact's address is {NEW} now"

    code, out, err = invoke(config, *preview)  # the table's subject column says it too
    assert code == 0, err
    assert f"sent to {OLD}; the contact's address is {NEW} now" in " ".join(out.split())

    code, out, err = invoke(
        config, "test-send", "--contact", "1029", "--date", "2026-12-09", "--to", "me@company.ru",
        "--now", "2027-03-15T10:00:00+03:00",
    )  # fmt: skip
    assert code == 0, out + err
    said = " ".join((out + err).split())
    assert "the real letter already left at 2026-12-09 " in said
    assert f"to {OLD} (the contact's address is {NEW} now); this test does not send it again" in said


def test_a_sent_letter_at_the_contacts_address_says_nothing_more(make_project: MakeProject) -> None:
    config = make_project([vera(OLD)])
    assert invoke(config, "send", "--once", "--now", DUE)[0] == 0
    code, out, err = invoke(
        config, "preview", "--contact", "1029", "--from", "2026-12-09", "--days", "1", "--now", DUE, "--format", "json"
    )  # fmt: skip
    assert code == 0, err
    (item,) = json.loads(out)
    assert (item["status"], item["email"], item["detail"]) == ("sent", OLD, None)
