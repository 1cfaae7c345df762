"""The config's own addresses are checked at load, by the rule contacts' addresses get.

``sender.email``, ``sender.reply_to`` and ``unsubscribe.mailto`` reached the
message builder unchecked beyond a loose pattern: an IDN sender passed
``check`` and failed every letter at build time ("Message-ID domain: not a
plain domain name"). Now a mistake stops ``check`` at its line, and an IDN
domain is taken in its punycode form. Also here: ``check`` warns when DKIM
signs for a domain DMARC does not align with the From: domain.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.checks import run_check
from greeter.cli import main
from greeter.config_loader import parse_settings
from tests.conftest import TODAY, MakeProject
from tests.test_check import NOW, russians
from tests.test_config import MINIMAL, errors_of

PUNY = "xn--80aa3agjl3d.xn--p1ai"  # ромашка.рф


def with_sender(lines: str) -> str:
    return MINIMAL.replace("  email: hello@shop.example\n", lines)


def test_an_idn_sender_domain_is_taken_as_punycode() -> None:
    settings = parse_settings(
        with_sender("  email: greetings@ромашка.рф\n  reply_to: manager@ромашка.рф\n")
        + "unsubscribe:\n  mailto: mailto:stop@ромашка.рф?subject=unsubscribe\n",
        "greeter.yaml",
        today=TODAY,
    )
    assert settings.sender.email == f"greetings@{PUNY}"
    assert settings.sender.reply_to == f"manager@{PUNY}"
    assert settings.unsubscribe.mailto == f"mailto:stop@{PUNY}?subject=unsubscribe"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "  email: приветы@ромашка.рф\n",
            "greeter.yaml:3:3: sender.email: 'приветы' before the @ is not Latin: such an address needs "
            "SMTPUTF8",
        ),
        (
            "  email: greetings@romashka.example>\n",
            "greeter.yaml:3:3: sender.email: is not an e-mail address (name@example.com) "
            "(got 'greetings@romashka.example>')",
        ),
        (
            "  email: hello@shop.example\n  reply_to: Ольга <manager@romashka.example>\n",
            "greeter.yaml:4:3: sender.reply_to: write the bare address, 'manager@romashka.example': "
            "this setting takes one address, no name",
        ),
        (
            "  email: hello@shop.example\nunsubscribe:\n  mailto: отписка@ромашка.рф\n",
            "greeter.yaml:5:3: unsubscribe.mailto: 'отписка' before the @ is not Latin",
        ),
        (
            "  email: hello@shop.example\nunsubscribe:\n  mailto: mailto:отписка@ромашка.рф\n",
            "greeter.yaml:5:3: unsubscribe.mailto: 'отписка' before the @ is not Latin",
        ),
    ],
)
def test_an_address_no_letter_can_carry_is_refused_at_its_line(lines: str, expected: str) -> None:
    (problem,) = errors_of(with_sender(lines))
    assert problem.startswith(expected), problem


def test_check_stops_at_the_setting_instead_of_every_letter_failing(make_project: MakeProject) -> None:
    config = make_project(russians(2), sender={"email": "приветы@ромашка.рф"})
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert result.exit_code == 2, result.output
    assert (
        f"{config}:" in result.output
        and ": sender.email: 'приветы' before the @ is not Latin" in result.output
    )


def _dkim(config_dir: Path) -> dict[str, str]:
    key = config_dir / "dkim.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n", encoding="utf-8")
    key.chmod(0o600)
    return {"selector": "mail", "key_file": str(key)}


@pytest.mark.parametrize(
    ("domain", "warned"),
    [
        ("mailer-other.example", True),
        ("example", False),  # a parent of the From domain: relaxed alignment
        ("romashka.example", False),
        ("mail.romashka.example", False),  # a child: the same organizational domain
        ("ROMASHKA.example", False),
    ],
)
def test_a_dkim_domain_dmarc_does_not_align_with_from_is_a_warning(
    make_project: MakeProject, tmp_path: Path, domain: str, warned: bool
) -> None:
    config = make_project(russians(1), delivery={"dkim": {"domain": domain, **_dkim(tmp_path)}})
    found = [str(p) for p in run_check(config, NOW).problems if p.field == "delivery.dkim.domain"]
    if not warned:
        assert found == []
        return
    (problem,) = found
    line = next(
        i for i, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if domain in text
    )
    assert problem.startswith(
        f"{config}:{line}:5: delivery.dkim.domain: warning: letters are signed for 'mailer-other.example' "
        "but come from 'romashka.example' (sender.email): DMARC needs"
    ), problem
