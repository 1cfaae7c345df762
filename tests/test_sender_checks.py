"""``greeter check`` on what receivers judge the sender by: the EHLO name, SPF's alignment with
From: when DKIM cannot carry DMARC, and one-click unsubscribe for a sender Gmail counts as bulk.

Each was silent: ``EHLO localhost`` from a container (``helo_name: localhost`` is refused, the
same name as the unset default was not), a return path in another domain with no DKIM (DMARC
cannot pass at all), 5,000 New Year letters a day with only a mailto unsubscribe.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from greeter import check_sender
from greeter.check_sender import (
    BULK_SENDER_DAILY,
    bulk_without_one_click,
    helo_name_problem,
    return_path_alignment,
)
from greeter.checks import run_check
from greeter.cli import main
from greeter.config_loader import parse_settings
from greeter.testing.smtp_sink import SmtpSink
from tests.conftest import TODAY, MakeProject, contact_row
from tests.test_check import NOW, russians
from tests.test_config import MINIMAL
from tests.test_send_e2e import smtp


@pytest.mark.parametrize(
    ("helo_name", "fqdn", "warned"),
    [
        (None, "localhost", True),  # a container's or a laptop's name
        (None, "vm", True),  # a bare name
        (None, "build-7f3c", True),
        (None, "localhost.localdomain", True),
        (None, "ip6-localhost", True),
        (None, "box.localdomain", True),
        (None, "my_host.romashka.example", True),  # not a host name: "_"
        (None, "mail.romashka.example", False),
        (None, "mail.romashka.example.", False),  # the root's dot
        (None, "romashka.example", False),
        ("mail.romashka.example", "localhost", False),  # the configured name is said, not the host's
    ],
)
def test_an_ehlo_name_receivers_penalise_is_told_apart(
    helo_name: str | None, fqdn: str, warned: bool
) -> None:
    message = helo_name_problem(helo_name, fqdn)
    if not warned:
        assert message is None
        return
    assert message is not None
    assert message.startswith(
        f"greeter says EHLO {fqdn} to the mail server: delivery.smtp.helo_name is unset"
    )
    assert "set delivery.smtp.helo_name to this host's public name" in message


def _helo_warnings(config: Path) -> list[str]:
    return [str(p) for p in run_check(config, NOW).problems if p.field == "delivery.smtp.helo_name"]


def test_check_warns_that_the_default_ehlo_name_is_not_fully_qualified(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check` said `mail server: …: OK (no TLS)` and nothing of the `EHLO localhost` a send says."""
    monkeypatch.setattr(socket, "getfqdn", lambda name="": "localhost")
    with SmtpSink() as sink:
        config = make_project(russians(1), **smtp(sink.port))
        # The sink is this machine's: a relay greeter's EHLO stops at (local_relay), no warning.
        assert _helo_warnings(config) == []
        # The wiring, for a relay elsewhere (the rule itself: test_a_relay_on_this_machine_…).
        monkeypatch.setattr(check_sender, "local_relay", lambda host: False)
        report = run_check(config, NOW)
        assert report.smtp is not None and report.smtp[1], report.smtp
        (warning,) = [str(p) for p in report.problems if p.field == "delivery.smtp.helo_name"]
        line = next(
            i for i, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if "smtp:" in text
        )
        assert warning.startswith(
            f"{config}:{line}:3: delivery.smtp.helo_name: warning: greeter says EHLO localhost to the mail "
            "server: delivery.smtp.helo_name is unset, so this host's own name, and 'localhost' is not a "
            "fully qualified host name"
        ), warning
        assert report.exit_code(strict=False) == 0 and report.exit_code(strict=True) == 1

        named = smtp(sink.port)
        named["delivery"]["smtp"]["helo_name"] = "mail.romashka.example"
        assert _helo_warnings(make_project(russians(1), **named)) == []
    monkeypatch.setattr(socket, "getfqdn", lambda name="": "mail.romashka.example")
    assert _helo_warnings(make_project(russians(1), **smtp(sink.port))) == []
    monkeypatch.setattr(socket, "getfqdn", lambda name="": "localhost")
    assert _helo_warnings(make_project(russians(1))) == []  # transport: file says no EHLO


@pytest.mark.parametrize(
    ("delivery", "warned"),
    [
        ("", None),  # MAIL FROM is sender.email
        ("  return_path: bounces@shop.example\n", None),
        ("  return_path: bounces@mail.shop.example\n", None),  # a child: relaxed alignment
        ("  return_path: Bounces@SHOP.example\n", None),
        ("  return_path: bounces@esp-mailer.example\n", "letters are not DKIM-signed"),
        ("  return_path: bounces@esp-mailer.example\n  dkim:\n    domain: shop.example\n", None),
        ("  return_path: bounces@esp-mailer.example\n  dkim:\n    domain: mail.shop.example\n", None),
        (
            "  return_path: bounces@esp-mailer.example\n  dkim:\n    domain: esp-mailer.example\n",
            "DKIM signs for 'esp-mailer.example', not it",
        ),
    ],
)
def test_a_return_path_dmarc_cannot_pass_on_without_aligned_dkim_is_a_warning(
    delivery: str, warned: str | None
) -> None:
    if "dkim:" in delivery:
        delivery += "    selector: mail\n    key_file: dkim.pem\n"
    text = MINIMAL + ("delivery:\n" + delivery if delivery else "")
    settings = parse_settings(text, "greeter.yaml", today=TODAY)
    found = [p.message for p in return_path_alignment(settings, Path("greeter.yaml"))]
    if warned is None:
        assert found == []
        return
    (problem,) = found
    assert problem.startswith(
        "the envelope sender is in 'esp-mailer.example' (delivery.return_path) but letters come from "
        f"'shop.example' (sender.email), and {warned}: DMARC can then pass neither on SPF nor on DKIM"
    ), problem


def test_check_warns_at_the_return_path_dmarc_cannot_pass_on(make_project: MakeProject) -> None:
    config = make_project(russians(1), delivery={"return_path": "bounces@esp-mailer.example"})
    report = run_check(config, NOW)
    (problem,) = [str(p) for p in report.problems if p.field == "delivery.return_path"]
    line = next(
        i
        for i, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("  return_path:")
    )
    assert problem.startswith(
        f"{config}:{line}:3: delivery.return_path: warning: the envelope sender is in 'esp-mailer.example'"
        " (delivery.return_path) but letters come from 'romashka.example' (sender.email), and letters are"
        " not DKIM-signed"
    ), problem
    assert report.exit_code(strict=False) == 0 and report.exit_code(strict=True) == 1


def _settings(extra: str, when: str) -> Any:
    """MINIMAL with its one occasion, ``new_year``, greeted ``when``, and ``extra`` settings."""
    occasion = f"  - name: new_year\n{when}"
    text = MINIMAL.replace("  - name: birthday\n    field: birthday\n", occasion) + extra
    return parse_settings(text, "greeter.yaml", today=TODAY)


@pytest.mark.parametrize(
    ("extra", "when", "contacts", "noted"),
    [
        ("", "    date: '12-29'\n", BULK_SENDER_DAILY, True),
        ("", "    date: '12-29'\n", BULK_SENDER_DAILY - 1, False),
        ("", "    field: birthday\n", 200_000, False),  # contacts' own days: never 5,000 on one day
        ("", "    on: ['2027-03-08']\n", 20_000, True),
        ("delivery:\n  rate_limit:\n    per_day: 4000\n", "    date: '12-29'\n", 20_000, False),
        ("delivery:\n  rate_limit:\n    per_day: 5000\n", "    date: '12-29'\n", 20_000, True),
        (
            "unsubscribe:\n  url: https://greet.example.com/unsubscribe\n  secret_env: S\n",
            "    date: '12-29'\n",
            20_000,
            False,
        ),
    ],
)
def test_a_bulk_sender_without_one_click_is_a_note(extra: str, when: str, contacts: int, noted: bool) -> None:
    notes = bulk_without_one_click(_settings(extra, when), contacts)
    if not noted:
        assert notes == []
        return
    (note,) = notes
    assert note.startswith(
        f"unsubscribe: no unsubscribe.url, and new_year may greet all {contacts:,} contacts"
    )
    assert "require one-click unsubscribe (RFC 8058)" in note


def test_check_notes_a_bulk_sender_without_one_click_and_strict_still_passes(
    make_project: MakeProject,
) -> None:
    rows = [contact_row(str(i), f"c{i}@example.com") for i in range(1, BULK_SENDER_DAILY + 1)]
    occasions = [{"name": "new_year", "title": "Новый год", "date": "12-29", "template": "new_year"}]
    config = make_project(rows, occasions=occasions)
    for other in ("birthday", "company_anniversary", "first_deal", "holiday"):  # unused: a warning each
        for file in (config.parent / "templates").glob(f"{other}*.j2"):
            file.unlink()
    runner = CliRunner()
    text = runner.invoke(main, ["--config", str(config), "check", "--strict", "--now", NOW])
    assert text.exit_code == 0, text.output
    note = f"unsubscribe: no unsubscribe.url, and new_year may greet all {BULK_SENDER_DAILY:,} contacts on one day"
    assert note in text.stdout and note not in text.stderr
    as_json = runner.invoke(main, ["--config", str(config), "check", "--json", "--now", NOW])
    summary = json.loads(as_json.stdout)
    # The example's sender (Romashka) is noted too, in a note of its own (tests/test_init_intl.py).
    notes = [n[: len(note)] for n in summary["notes"] if not n.startswith("example: ")]
    assert notes == [note] and summary["warnings"] == 0


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.0.1.1", True),  # Debian's own host name address
        ("::1", True),
        ("[::1]", True),
        ("LocalHost", True),
        ("smtp.localhost", True),
        ("smtp.yandex.ru", False),
        ("10.0.0.5", False),
        ("relay", False),
    ],
)
def test_a_relay_on_this_machine_hears_the_ehlo_name_alone(host: str, local: bool) -> None:
    """A local Postfix greets the receivers under its own name: greeter's bare one costs nothing there."""
    assert check_sender.local_relay(host) is local
