"""DKIM: a signed greeting verifies against the public key; tampering breaks it."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import dkim
import pytest

from greeter.config import DkimSettings, Sender
from greeter.dkim_sign import load_signer
from greeter.errors import ConfigError
from greeter.message import build_message
from greeter.plan_types import Rendered


def letter() -> bytes:
    return build_message(
        Rendered(
            subject="С днём рождения!",
            text="Уважаемый Иван Петрович!\n\nПоздравляем.",
            html="<p>Поздравляем</p>",
        ),
        to_email="ivan@example.com",
        to_name="Иван Петрович Сидоров",
        sender=Sender(name="ООО «Ромашка»", email="hello@romashka.example"),
        message_id="<greeter.abc@romashka.example>",
        date=datetime(2027, 1, 2, 10, 0, tzinfo=UTC),
    )


def test_signed_letter_verifies_and_tampering_fails(keypair: tuple[Path, bytes]) -> None:
    key, der = keypair
    signer = load_signer(DkimSettings(domain="romashka.example", selector="greet", key_file=key))
    assert signer is not None
    signed = signer(letter())
    assert signed.startswith(b"DKIM-Signature:")
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"greet._domainkey.romashka.example."
        return record

    assert dkim.verify(signed, dnsfunc=dns)
    tampered = signed.replace(b"Message-ID: <greeter.abc", b"Message-ID: <greeter.abd")
    assert tampered != signed
    assert not dkim.verify(tampered, dnsfunc=dns)


def test_no_dkim_configured_means_no_signer() -> None:
    assert load_signer(None) is None


def test_unreadable_or_bogus_key_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the DKIM key"):
        load_signer(DkimSettings(domain="a.example", selector="s", key_file=tmp_path / "missing.pem"))
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("hello")
    with pytest.raises(ConfigError, match="not a PEM private key"):
        load_signer(DkimSettings(domain="a.example", selector="s", key_file=bogus))
