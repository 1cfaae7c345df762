"""Deliverability settings: bounce address, EHLO name, automatic-mail headers, extra headers, oversigning.

The SMTP tests run the real CLI (``send --once``) against the in-process
aiosmtpd sink, which records each envelope's MAIL FROM; a subclass records the
EHLO name too. DKIM is verified with dkimpy against the key's public half.
"""

from __future__ import annotations

import base64
import email
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import dkim
import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config import DkimSettings, Sender
from greeter.config_loader import load_settings
from greeter.dkim_sign import load_signer
from greeter.message import build_message
from greeter.plan_types import Rendered
from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row

NOW = "2027-04-14T11:00:00+03:00"  # the day after the birthdays below: one-day-late catch-ups, due at once
UNSUBSCRIBE = {"url": "https://greet.example.com/unsubscribe", "secret_env": "GREETER_TEST_UNSUB_SECRET"}


class EhloSink(SmtpSink):
    """The sink, also remembering the name each EHLO gave."""

    def __init__(self) -> None:
        super().__init__()
        self.ehlo_names: list[str] = []

    async def handle_EHLO(  # aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.ehlo_names.append(hostname)
        return await super().handle_EHLO(server, session, envelope, hostname, responses)


def greeter(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def people(n: int) -> list[str]:
    return [contact_row(str(i), f"client{i}@example.com", birthday="13.04.1980") for i in range(1, n + 1)]


def smtp(port: int, **more: Any) -> dict[str, Any]:
    return {
        "transport": "smtp",
        "smtp": {"host": "127.0.0.1", "port": port, "pool_size": 1, "timeout_seconds": 3, **more},
        "rate_limit": {"per_second": None},
    }


def header_lines(data: bytes, name: str) -> list[bytes]:
    """The top-level header lines of ``data`` named ``name`` (case-insensitive), as written."""
    head = data.split(b"\r\n\r\n", 1)[0]
    wanted = name.lower().encode() + b":"
    return [line for line in head.split(b"\r\n") if line.lower().startswith(wanted)]


def test_return_path_is_the_envelope_sender_and_helo_name_the_ehlo_name(make_project: MakeProject) -> None:
    with EhloSink() as sink:
        delivery = {
            **smtp(sink.port, helo_name="mail.romashka.example"),
            "return_path": "bounces@romashka.example",
        }
        config = make_project(people(2), delivery=delivery)
        sent = greeter(config, "send", "--once", "--now", NOW)
        assert sent.returncode == 0, sent.stderr
        assert len(sink.messages) == 2
        assert {m.mail_from for m in sink.messages} == {"bounces@romashka.example"}
        assert set(sink.ehlo_names) == {"mail.romashka.example"}
        for message in sink.messages:  # the letter itself still comes from sender.email
            assert "greetings@romashka.example" in message.parsed()["From"]
            assert not header_lines(message.data, "Return-Path")  # the final MTA adds it (RFC 5321 §4.4)


def test_every_letter_says_it_is_automatic_once_and_bounces_default_to_the_from_address(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), delivery=smtp(sink.port))
        sent = greeter(config, "send", "--once", "--now", NOW)
        assert sent.returncode == 0, sent.stderr
        assert len(sink.messages) == 2
        for message in sink.messages:
            assert message.mail_from == "greetings@romashka.example"
            assert header_lines(message.data, "Auto-Submitted") == [b"Auto-Submitted: auto-generated"]
            assert header_lines(message.data, "X-Auto-Response-Suppress") == [
                b"X-Auto-Response-Suppress: OOF, AutoReply"
            ]


EXTRA = {
    "Feedback-ID": "birthday:greeter:romashka",
    "X-Mailru-Msgtype": "поздравление",
    "List-Id": "<greet.romashka>",
}


def letter(sender: Sender, extra: dict[str, str]) -> bytes:
    return build_message(
        Rendered(subject="С днём рождения!", text="Поздравляем.", html="<p>Поздравляем</p>"),
        to_email="ivan@example.com",
        to_name="Иван Петрович Сидоров",
        sender=sender,
        message_id="<greeter.abc@romashka.example>",
        date=datetime(2027, 1, 2, 10, 0, tzinfo=UTC),
        extra_headers=extra,
    )


def test_delivery_headers_from_the_config_are_written_once_each(make_project: MakeProject) -> None:
    config = make_project(people(1), delivery={"headers": EXTRA})
    settings = load_settings(config, today=date(2027, 4, 14))
    assert settings.delivery.headers == EXTRA
    data = letter(settings.sender, settings.delivery.headers)
    for name, value in EXTRA.items():
        (line,) = header_lines(data, name)
        assert line.isascii()  # the Cyrillic value is an RFC 2047 encoded-word, not raw UTF-8
        written = line.split(b":", 1)[1].strip().decode("ascii")
        assert str(make_header(decode_header(written))) == value
    assert len(header_lines(data, "Auto-Submitted")) == 1


@pytest.mark.parametrize(
    ("headers", "said"),
    [
        ({"Subject": "x"}, r"'Subject' is a header greeter writes itself"),
        ({"content-type": "text/plain"}, r"'content-type' is a header greeter writes itself"),
        ({"Auto-Submitted": "no"}, r"'Auto-Submitted' is a header greeter writes itself"),
        ({"List-Unsubscribe-Post": "x"}, r"'List-Unsubscribe-Post' is a header greeter writes itself"),
        ({"Feedback ID": "x"}, r"'Feedback ID' is not a header name"),
        (
            {"X-Tag": "a\r\nBcc: victim@example.com"},
            r"the value of X-Tag has a control or line-break character",
        ),
        ({"X-Tag": "a\nb"}, r"the value of X-Tag has a control or line-break character \(U\+000A\)"),
    ],
)
def test_a_bad_delivery_header_is_a_config_error_at_its_line(
    make_project: MakeProject, headers: dict[str, str], said: str
) -> None:
    config = make_project(people(1), delivery={"headers": {"Feedback-ID": "ok:1", **headers}})
    ((name, _),) = headers.items()
    line = next(
        i for i, text in enumerate(config.read_text().splitlines(), 1) if text.strip().startswith(name)
    )
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 2, checked.output
    assert re.search(
        rf"greeter\.yaml:{line}:\d+: delivery\.headers\.{re.escape(name)}: .*{said}", checked.stderr
    ), checked.stderr


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        (
            ("smtp", "helo_name"),
            "localhost",
            r"delivery\.smtp\.helo_name: .*'localhost' is not a fully qualified",
        ),
        (("smtp", "helo_name"), "mail romashka.ru", r"delivery\.smtp\.helo_name: .*should be a host name"),
        (
            ("return_path",),
            "Bounces <bounces@romashka.ru>",
            r"delivery\.return_path: .*write the bare address",
        ),
        (("return_path",), "bounces", r"delivery\.return_path: .*is not an e-mail address"),
    ],
)
def test_a_bad_helo_name_or_return_path_is_a_config_error_at_its_line(
    make_project: MakeProject, setting: tuple[str, ...], value: str, said: str
) -> None:
    delivery: dict[str, Any] = {setting[0]: value} if len(setting) == 1 else {setting[0]: {setting[1]: value}}
    config = make_project(people(1), delivery=delivery)
    line = next(
        i
        for i, text in enumerate(config.read_text().splitlines(), 1)
        if text.strip().startswith(f"{setting[-1]}:")
    )
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 2, checked.output
    assert re.search(rf"greeter\.yaml:{line}:\d+: {said}", checked.stderr), checked.stderr


def test_the_signature_oversigns_so_a_header_added_later_breaks_it(keypair: tuple[Path, bytes]) -> None:
    key, der = keypair
    signer = load_signer(DkimSettings(domain="romashka.example", selector="greet", key_file=key))
    assert signer is not None
    sender = Sender(name="ООО «Ромашка»", email="hello@romashka.example", reply_to="manager@romashka.example")
    signed = signer(letter(sender, EXTRA))
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"greet._domainkey.romashka.example."
        return record

    assert dkim.verify(signed, dnsfunc=dns)
    signature = email.message_from_bytes(signed)["DKIM-Signature"]
    tags = dict(tag.split("=", 1) for tag in re.sub(r"\s+", "", signature).split(";") if tag)
    signed_names = tags["h"].split(":")
    assert signed_names.count("subject") == 2 and signed_names.count("feedback-id") == 2
    assert signed_names.count("reply-to") == 2 and signed_names.count("auto-submitted") == 2
    head, _, rest = signed.partition(b"\r\nFrom:")
    for added in (
        b"Subject: =?utf-8?b?0KHQutC40LTQutCwIDkwJQ==?=",
        b"From: support@romashka-help.example",
        b"Reply-To: phish@example.net",
        b"List-Unsubscribe: <https://evil.example/u>",
        b"Auto-Submitted: no",
        b"Feedback-ID: other:campaign",
    ):
        replayed = head + b"\r\n" + added + b"\r\nFrom:" + rest
        assert not dkim.verify(replayed, dnsfunc=dns), added


@pytest.mark.parametrize(
    "added",
    [
        b"Cc: many@victims.example",
        b"Sender: support@romashka-help.example",
        b"In-Reply-To: <thread@bank.example>",
        b"References: <thread@bank.example>",
    ],
)
def test_headers_greeter_never_writes_are_signed_as_absent(keypair: tuple[Path, bytes], added: bytes) -> None:
    """Cc, Sender, In-Reply-To and References are oversigned like Reply-To: prepended, each breaks the signature."""
    key, der = keypair
    signer = load_signer(DkimSettings(domain="romashka.example", selector="greet", key_file=key))
    assert signer is not None
    signed = signer(letter(Sender(name="Romashka", email="hello@romashka.example"), {}))
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)

    def dns(name: bytes, timeout: int = 5) -> bytes:
        return record

    assert dkim.verify(signed, dnsfunc=dns)
    assert not dkim.verify(added + b"\r\n" + signed, dnsfunc=dns)
    head, _, rest = signed.partition(b"\r\nFrom:")
    assert not dkim.verify(head + b"\r\n" + added + b"\r\nFrom:" + rest, dnsfunc=dns)


def test_check_warns_when_one_click_is_advertised_but_not_served(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GREETER_TEST_UNSUB_SECRET", "s3cret-value-never-shown-32-bytes-long")
    warning = (
        "letters advertise one-click unsubscribe (RFC 8058) at https://greet.example.com/unsubscribe, but "
        "http.enabled is false, so this config does not serve it: make sure a `greeter run` with "
        "http.enabled serves https://greet.example.com/unsubscribe, or Gmail/Yahoo will POST to a dead endpoint"
    )
    config = make_project(people(1), unsubscribe=UNSUBSCRIBE)
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 0, checked.output
    assert re.search(r"greeter\.yaml:\d+:\d+: unsubscribe\.url: .*" + re.escape(warning), checked.output), (
        checked.output
    )
    served = make_project(people(1), unsubscribe=UNSUBSCRIBE, http={"enabled": True})
    quiet = CliRunner().invoke(main, ["--config", str(served), "check", "--now", NOW])
    assert quiet.exit_code == 0, quiet.output
    assert "one-click" not in quiet.output


def test_sent_letters_carry_the_configured_headers_once_each(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), delivery={**smtp(sink.port), "headers": EXTRA})
        sent = greeter(config, "send", "--once", "--now", NOW)
        assert sent.returncode == 0, sent.stderr
        assert len(sink.messages) == 2
        for message in sink.messages:
            for name, value in EXTRA.items():
                (line,) = header_lines(message.data, name)
                written = line.split(b":", 1)[1].strip().decode("ascii")
                assert str(make_header(decode_header(written))) == value
            assert len(header_lines(message.data, "Auto-Submitted")) == 1
