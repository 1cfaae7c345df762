"""The example config's made-up sender, said by ``send``, ``test-send`` and ``run`` too, not only ``check``.

A team set ``delivery.transport: smtp`` and sent: real letters went out From «ООО «Ромашка»»
<greetings@romashka.example> and no command but ``check`` had said a word. Each sending command
now warns once (stderr, or a log event), with check's own finding
(:func:`~greeter.check_sender.placeholder_warning`), and sends all the same: tests and
rehearsals send through local servers with the example's addresses. Real CLI, real SMTP
(aiosmtpd), real SQLite journal.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from greeter.check_sender import placeholder_warning
from greeter.cli import main
from greeter.config_loader import load_settings
from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.daemon_harness import DaemonProcess
from tests.test_send_e2e import smtp

DUE = "2026-12-09T17:00:00+03:00"
VERA = contact_row("1029", "client29@example.com", birthday="09.12.1981")
OWN = {"sender": {"email": "greetings@firma.ru", "reply_to": "manager@firma.ru", "name": "Иван Петров",
                  "company": "ООО «Фирма»", "signature": "Иван Петров\nООО «Фирма»"},
       "unsubscribe": {"mailto": "unsubscribe@firma.ru"}}  # fmt: skip
SAID = "warning: letters go out by SMTP with the example config's placeholders (sender.email"


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def test_send_warns_once_on_stderr_and_still_delivers(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project([VERA], **smtp(sink.port))
        code, out, err = invoke(config, "send", "--once", "--now", DUE)
        assert code == 0, out + err
        assert len(sink.messages) == 1  # sent all the same
        assert err.count(SAID) == 1, err
        assert "sender.reply_to" in err and "greeter check says where" in err
        assert SAID not in out


def test_test_send_warns_too(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project([VERA], **smtp(sink.port))
        code, out, err = invoke(
            config, "test-send", "--contact", "1029", "--to", "me@company.ru", "--now", "2026-12-01T09:00"
        )
        assert code == 0, out + err
        assert err.count(SAID) == 1, err


def test_nothing_said_with_the_file_transport_a_dry_run_or_a_sender_of_ones_own(
    make_project: MakeProject,
) -> None:
    config = make_project([VERA])  # transport: file
    code, out, err = invoke(config, "send", "--once", "--now", DUE)
    assert code == 0, out + err
    assert "placeholders" not in err
    with SmtpSink() as sink:
        config = make_project([VERA], **smtp(sink.port))
        code, out, err = invoke(config, "send", "--once", "--dry-run", "--now", DUE)
        assert "placeholders" not in err, err
        assert load_settings(config, today=date(2026, 12, 9)).delivery.transport == "smtp"
        own = make_project([VERA], **smtp(sink.port), **OWN)
        assert placeholder_warning(load_settings(own, today=date(2026, 12, 9))) is None


def test_run_logs_it_once_at_start(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project([VERA], **smtp(sink.port))
        with DaemonProcess(config, "--now", DUE) as daemon:
            event = daemon.wait_for("example_placeholders")
            daemon.wait_for("run")
            assert event["level"] == "warning" and "sender.email" in event["note"]
            assert len(daemon.named("example_placeholders")) == 1
