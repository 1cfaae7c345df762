"""E-mail addresses with non-ASCII characters: decided once, where contacts are loaded.

``olga@пример.рф`` passed ``check`` (0 warnings) and ``preview`` (send), and the
calendar made an event for it; then ``send --once`` refused it at build time
(``non-ASCII address (needs SMTPUTF8; use the punycode domain)``): a
render_error, exit 1, nothing journaled, so every later run failed the same
way, taking the occasions merged into that letter with it.

Now an internationalised domain is loaded in its IDNA 2008 ASCII form
(``olga@xn--e1afmkfd.xn--p1ai``), which every SMTP server accepts, and an
address whose local part is not ASCII (it needs SMTPUTF8, which greeter does
not speak) is a row warning and the contact is loaded without an e-mail,
skipped as ``no_email`` by every command alike.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import ContactsSource
from greeter.contacts import valid_email
from greeter.sources import load_contacts
from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row

NOW = "2027-04-14T11:00:00+03:00"
PUNYCODE = "olga@xn--e1afmkfd.xn--p1ai"
NOT_SENDABLE = (
    "cannot be sent: its local part is not ASCII (needs SMTPUTF8, which greeter does not use);"
    " this contact is loaded without an e-mail and skipped as no_email: ask the client for another address"
)


@pytest.mark.parametrize(
    ("cell", "email", "warning"),
    [
        # An internationalised domain: its punycode (IDNA 2008) form, without a word of warning.
        ("olga@пример.рф", PUNYCODE, ""),
        ("Olga@Пример.РФ", "Olga@xn--e1afmkfd.xn--p1ai", ""),
        ("anna@bücher.de", "anna@xn--bcher-kva.de", ""),
        ("anna@faß.de", "anna@xn--fa-hia.de", ""),  # IDNA 2008: ß is kept (2003 made it "ss")
        # Already punycode, or plain ASCII: as written.
        (PUNYCODE, PUNYCODE, ""),
        ("client@example.com", "client@example.com", ""),
        # The form a mail client copies: the address taken from it, then converted.
        ("Ольга <olga@пример.рф>", PUNYCODE, "is not a bare address (a name with the address)"),
        # A non-ASCII local part: no ASCII form exists; loaded without an e-mail.
        ("ОльгаТекст@пример.рф", None, NOT_SENDABLE),
        ("ольга@mail.ru", None, NOT_SENDABLE),
        ("josé@example.com", None, NOT_SENDABLE),
    ],
)
def test_an_address_is_loaded_in_the_form_smtp_can_send(
    tmp_path: Path, cell: str, email: str | None, warning: str
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(f"id;email;first_name;patronymic;last_name\n1;{cell};Ольга;;Смирнова\n", encoding="utf-8")
    contacts, report = load_contacts(ContactsSource(path=path), Defaults())
    assert [c.email for c in contacts] == [email]  # loaded either way: only the address is in question
    warnings = [str(p) for p in report.problems]
    if warning:
        assert len(warnings) == 1 and f"{path}:row 2: email: warning: {cell!r} " in warnings[0]
        assert warning in warnings[0]
    else:
        assert warnings == []
    assert report.rejections == []


def test_the_do_not_contact_list_and_the_contacts_agree_on_an_address() -> None:
    """The one rule for both (valid_email): a list naming olga@пример.рф must still stop her letters."""
    assert valid_email("olga@пример.рф") == valid_email(PUNYCODE) == PUNYCODE


def _project(make_project: MakeProject, **changes: object) -> Path:
    return make_project(
        [
            contact_row(
                "1", "olga@пример.рф", first="Ольга", last="Смирнова", patronymic="", birthday="13.04.1980"
            ),
            contact_row(
                "2", "ОльгаТекст@пример.рф", first="Анна", last="Ли", patronymic="", birthday="13.04.1981"
            ),
        ],
        **changes,
    )


def _birthdays(config: Path) -> dict[str, dict[str, Any]]:
    """Preview's birthday items of the project, by contact id (the command must succeed)."""
    previewed = CliRunner().invoke(
        main,
        ["--config", str(config), "preview", "--from", "2027-04-13", "--days", "2", "--now", NOW,
         "--format", "json"],
    )  # fmt: skip
    assert previewed.exit_code == 0, previewed.output
    return {i["contact_id"]: i for i in json.loads(previewed.stdout) if i["occasion"] == "birthday"}


def test_check_and_preview_say_what_send_will_do(make_project: MakeProject) -> None:
    config = _project(make_project)
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert "contacts: 2 loaded from 2 rows, 0 rejected, 1 warning(s)" in checked.stdout, checked.stdout
    assert f"contacts.csv:row 3: Email: warning: 'ОльгаТекст@пример.рф' {NOT_SENDABLE}" in checked.stderr
    by_id = _birthdays(config)
    assert (by_id["1"]["status"], by_id["1"]["email"]) == ("send", PUNYCODE)
    assert (by_id["2"]["status"], by_id["2"]["reason"]) == ("skip", "no_email")


def test_the_calendar_has_the_letter_that_goes_and_not_the_one_that_cannot(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = _project(make_project)
    out = tmp_path / "plan.ics"
    made = CliRunner().invoke(
        main, ["--config", str(config), "calendar", "--from", "2027-04-13", "--days", "2", "--now", NOW,
               "-o", str(out)]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    from icalendar import Calendar

    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    # Addressed as people read it (the domain in Unicode, as the gallery shows it); sent to PUNYCODE.
    assert len(events) == 1 and "<olga@пример.рф> (id 1)" in str(events[0]["description"])


def test_send_delivers_to_the_punycode_address_and_skips_the_other(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = _project(
            make_project,
            delivery={
                "transport": "smtp",
                "smtp": {"host": "127.0.0.1", "port": sink.port, "pool_size": 1, "timeout_seconds": 3},
                "rate_limit": {"per_second": None},
            },
        )
        sent = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--now", NOW])
        assert sent.exit_code == 0, sent.output
        assert [m.rcpt_tos for m in sink.messages] == [(PUNYCODE,)]
        assert f"<{PUNYCODE}>" in str(sink.messages[0].parsed()["To"])
        again = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--now", NOW])
        assert again.exit_code == 0, again.output  # journaled: no render error on the next run
        assert len(sink.messages) == 1


def test_an_opt_out_stored_with_the_unicode_domain_still_stops_her_letter(make_project: MakeProject) -> None:
    """Before the conversion, ``greeter suppress olga@пример.рф`` stored the address as typed."""
    from datetime import datetime

    from greeter.journal import Journal

    config = _project(make_project)
    now = datetime.fromisoformat(NOW)
    with Journal.open(f"sqlite:///{config.parent / 'data' / 'journal.sqlite3'}", now=now) as journal:
        journal.suppress(["olga@пример.рф"], "unsubscribed", now)  # as an older greeter stored it
    by_id = _birthdays(config)
    assert (by_id["1"]["status"], by_id["1"]["reason"]) == ("skip", "suppressed")


@pytest.mark.parametrize("typed", ["olga@пример.рф", "OLGA@ПРИМЕР.РФ", PUNYCODE])
def test_history_finds_her_letters_by_the_address_as_she_writes_it(
    make_project: MakeProject, typed: str
) -> None:
    """The journal holds the punycode form; a manager types the address from her business card."""
    config = _project(make_project)
    sent = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--now", NOW])
    assert sent.exit_code == 0, sent.output
    shown = CliRunner().invoke(
        main, ["--config", str(config), "history", "--email", typed, "--format", "json"]
    )
    assert shown.exit_code == 0, shown.output
    rows = json.loads(shown.stdout)
    assert [(r["contact_id"], r["occasion"], r["state"], r["email"]) for r in rows] == [
        ("1", "birthday", "sent", PUNYCODE)
    ]
