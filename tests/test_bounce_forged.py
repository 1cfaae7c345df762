"""``greeter suppress --from-bounces`` believes a report only about a letter greeter sent.

A penetration test mailed the bounce mailbox a report from
``MAILER-DAEMON@attacker.example`` saying ``client02@example.com`` does not
exist; greeter had never written to that address, and put it on the
do-not-contact list all the same: anyone could stop any client's greetings.

Here the letters are really sent (file transport) to a real journal — a
SQLite file, and a schema of the test PostgreSQL — and the reports are built
from what was sent, as :mod:`tests.test_bounce_import` builds them: a real
bounce (its Message-ID returned, or quoted in its text, or none at all for an
address that was greeted) suppresses; a forged one (an address never written
to, a Message-ID that is not that address's letter) is only named on stderr,
exit 0.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from email.message import Message
from email.mime.text import MIMEText
from pathlib import Path

import pytest

from tests import databases
from tests.conftest import MakeProject, contact_row
from tests.test_bounce_import import DAY, dsn, greeter, listed, sent_letters

#: Three clients greeted on DAY; client02's birthday is in September: greeter never wrote to her.
CONTACTS = [
    contact_row("1", "client01@example.com", birthday="13.04.1980"),
    contact_row("2", "client02@example.com", birthday="20.09.1985"),
    contact_row("3", "client03@example.com", birthday="13.04.1980"),
    contact_row("4", "client04@example.com", birthday="13.04.1980"),
]
UNKNOWN = "smtp; 550 5.1.1 <{}>: Recipient address rejected: User unknown in virtual mailbox table"


@pytest.fixture(params=["sqlite", "postgresql"])
def config(request: pytest.FixtureRequest, make_project: MakeProject) -> Iterator[Path]:
    """A project whose journal is a SQLite file, or a fresh schema of the test PostgreSQL."""
    with databases.project_on(request.param, make_project, CONTACTS) as path:
        yield path


def bounce(address: str, *, letter: Message | None = None, report_id: str, style: str = "postfix") -> Message:
    """A report that ``address`` does not exist (5.1.1), returning ``letter``'s header or letter if given."""
    return dsn(
        address, "failed", "5.1.1", UNKNOWN.format(address), letter=letter, report_id=report_id, style=style
    )


def forged(address: str, *, letter: Message | None = None, report_id: str) -> Message:
    """The penetration test's report: from the attacker's MAILER-DAEMON, nothing else changed."""
    report = bounce(address, letter=letter, report_id=report_id)
    report.replace_header("From", "MAILER-DAEMON@attacker.example (Mail Delivery System)")
    return report


def with_message_id(letter: Message, message_id: str) -> Message:
    """A copy of ``letter`` under another Message-ID: someone else's letter, as a report returns it."""
    other = copy.deepcopy(letter)
    other.replace_header("Message-ID", message_id)
    return other


def suppress_from(config: Path, folder: Path, reports: list[Message]) -> tuple[int, str, str]:
    folder.mkdir()
    for number, report in enumerate(reports, 1):
        (folder / f"{number:02d}.eml").write_bytes(report.as_bytes())
    result = greeter(config, "suppress", "--from-bounces", str(folder))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stdout, result.stderr


def test_a_forged_report_about_an_address_greeter_never_wrote_to_is_ignored(
    config: Path, tmp_path: Path
) -> None:
    letters = sent_letters(config)
    assert "client02@example.com" not in letters
    never = greeter(config, "history", "--email", "client02@example.com")
    assert "the journal has no greeting" in never.stderr, never.output
    made_up = letters["client01@example.com"]  # greeter's form of id, of no letter to client02
    guessed = with_message_id(made_up, "<greeter.0123456789abcdef0123456789abcdef@example.com>")

    code, stdout, stderr = suppress_from(
        config,
        tmp_path / "eml",
        [
            forged("client02@example.com", report_id="<forged.1@attacker.example>"),
            forged("client02@example.com", letter=guessed, report_id="<forged.2@attacker.example>"),
        ],
    )

    assert listed(config) == {}
    assert code == 0, stdout + stderr  # a forged report every night must not fail the nightly cron
    assert stderr == "2 report(s) not about greeter's letters: ignored (client02@example.com)\n"
    assert stdout.startswith("2 bounce report(s) read: 0 address(es) bounced for good")
    assert stdout.endswith("suppressed 0 new address(es); 0 already on the list\n")


def test_a_real_bounce_of_a_letter_greeter_sent_is_suppressed(config: Path, tmp_path: Path) -> None:
    letters = sent_letters(config)
    quoted = bounce("client04@example.com", report_id="<quoted.4@relay.romashka.example>")
    text = f"Your message {letters['client04@example.com']['Message-ID']} could not be delivered.\n"
    quoted.get_payload()[0] = MIMEText(text, "plain")  # an MTA that quotes the id, returns nothing

    code, stdout, stderr = suppress_from(
        config,
        tmp_path / "eml",
        [
            bounce(
                "client01@example.com",
                letter=letters["client01@example.com"],
                report_id="<headers.1@relay.romashka.example>",
            ),
            bounce(
                "client03@example.com",
                letter=letters["client03@example.com"],
                report_id="<letter.3@outlook.example>",
                style="exchange",
            ),
            quoted,
        ],
    )

    assert (code, stderr) == (0, ""), stdout + stderr
    assert stdout.startswith("3 bounce report(s) read: 3 address(es) bounced for good")
    stored = listed(config)
    assert set(stored) == {"client01@example.com", "client03@example.com", "client04@example.com"}
    assert stored["client01@example.com"].endswith(
        "(report of 2026-04-14, Message-ID <headers.1@relay.romashka.example>; greeting 1 birthday 2026-04-13)"
    )
    assert stored["client03@example.com"].endswith("; greeting 3 birthday 2026-04-13)")
    assert stored["client04@example.com"].endswith("; greeting 4 birthday 2026-04-13)")


def test_a_bounce_naming_a_greeted_address_with_a_foreign_message_id_is_ignored(
    config: Path, tmp_path: Path
) -> None:
    letters = sent_letters(config)
    someone_elses = with_message_id(letters["client01@example.com"], "<a1b2c3@mail.attacker.example>")

    code, stdout, stderr = suppress_from(
        config,
        tmp_path / "eml",
        [
            forged("client01@example.com", letter=someone_elses, report_id="<f.1@attacker.example>"),
            # greeter's own letter — but to client03: not a report about a letter to client01
            forged(
                "client01@example.com", letter=letters["client03@example.com"], report_id="<f.2@x.example>"
            ),
        ],
    )

    assert listed(config) == {}
    assert code == 0, stdout + stderr
    assert stderr == "2 report(s) not about greeter's letters: ignored (client01@example.com)\n"
    assert stdout.startswith("2 bounce report(s) read: 0 address(es) bounced for good")


def test_a_report_without_a_message_id_counts_only_for_an_address_greeter_sent_to(
    config: Path, tmp_path: Path
) -> None:
    """The fallback: a report that returns nothing of the letter is believed about a letter sent to that
    address (its reason says ``by address``), never about an address the journal holds no letter to."""
    sent_letters(config)

    code, stdout, stderr = suppress_from(
        config,
        tmp_path / "eml",
        [
            bounce("Client01@Example.COM", report_id="<bare.1@relay.romashka.example>"),
            bounce("client02@example.com", report_id="<bare.2@relay.romashka.example>"),
        ],
    )

    assert code == 0, stdout + stderr
    assert stderr == "1 report(s) not about greeter's letters: ignored (client02@example.com)\n"
    stored = listed(config)
    assert set(stored) == {"client01@example.com"}
    assert stored["client01@example.com"].endswith("; greeting 1 birthday 2026-04-13 by address)")
    history = greeter(config, "history", "--email", "client01@example.com", "--format", "json")
    assert [r["occasion_date"] for r in json.loads(history.stdout) if r["state"] == "sent"] == [DAY]
