"""The data-protection review's findings (F1–F3, F5–F8), each pinned by what the operator sees."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config_loader import parse_settings
from greeter.errors import ConfigError
from tests.conftest import TODAY, MakeProject
from tests.test_config import MINIMAL
from tests.test_send_e2e import people

URL = "https://greet.example.com/unsubscribe"
#: What ``openssl rand -base64 32`` prints, pasted where the variable's name goes.
PASTED = "q8VJr0Zc3n1m+Pasted/Base64SecretXYZ0123456789="


# F1 --------------------------------------------------------------------------------------------


def test_a_secret_pasted_into_secret_env_is_refused_without_repeating_it() -> None:
    text = MINIMAL + f'unsubscribe:\n  url: {URL}\n  secret_env: "{PASTED}"\n'
    with pytest.raises(ConfigError) as info:
        parse_settings(text, "greeter.yaml", today=TODAY)
    (problem,) = [str(p) for p in info.value.problems]
    assert "unsubscribe.secret_env: secret_env names an environment variable" in problem, problem
    assert "never the secret itself" in problem and PASTED not in problem


@pytest.mark.parametrize("command", [["check"], ["send", "--once", "--dry-run"]])
def test_check_and_send_never_print_a_pasted_secret(make_project: MakeProject, command: list[str]) -> None:
    config = make_project(people(1), unsubscribe={"url": URL, "secret_env": PASTED})
    said = CliRunner().invoke(main, ["--config", str(config), *command])
    assert said.exit_code == 2, said.output
    assert "secret_env names an environment variable" in said.output, said.output
    assert PASTED not in said.output and "q8VJr0" not in said.output


# F3 --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("ivan.petrov=crm@example.com", "i***@example.com"),
        ("anna_karenina|sales@example.com", "a***@example.com"),
        ("o'brien@example.com", "o***@example.com"),
        ("ivan/petrov@example.com", "i***@example.com"),
        ("first{last}@example.com", "f***@example.com"),
        ("a!b#c$d%e&f*g+h?i^j`k~l.m@example.com", "a***@example.com"),
        ("иван.петров=crm@почта.рф", "и***@почта.рф"),
    ],
)
def test_a_local_part_with_any_atext_character_is_hidden_whole(address: str, masked: str) -> None:
    from greeter.masking import mask_addresses

    reply = f"550 5.1.1 <{address}>: Recipient address rejected"
    assert mask_addresses(reply) == f"550 5.1.1 <{masked}>: Recipient address rejected"
    assert mask_addresses(f"to {address}, row 3", first=False) == f"to {masked[1:]}, row 3"
    quoted = repr(address)  # as a row problem quotes the cell: "o'brien@…" in double quotes
    assert (
        mask_addresses(f"Email: {quoted} is not valid")
        == f"Email: {quoted[0]}{masked}{quoted[0]} is not valid"
    )


def test_an_address_in_a_urls_query_is_masked_and_a_urls_user_is_not() -> None:
    from greeter.masking import mask_addresses

    assert mask_addresses("https://x.example/u?email=ivan.petrov@example.com") == (
        "https://x.example/u?email=i***@example.com"
    )
    assert mask_addresses("postgresql://greeter@db:5432/g") == "postgresql://greeter@db:5432/g"


# F8 --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"--zz\r\nbroken", "multipart/form-data; boundary=zz"),
        (b"x", "multipart/form-data"),
        (b"List-Unsubscribe=One-Click\xff", "application/x-www-form-urlencoded; charset=utf-8"),
        (b"List-Unsubscribe=One-Click", "application/x-www-form-urlencoded; charset=nonesuch"),
        (
            b'--zz\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n'
            b"Content-Transfer-Encoding: bogus\r\n\r\nOne-Click\r\n--zz--\r\n",
            "multipart/form-data; boundary=zz",
        ),
    ],
)
def test_a_one_click_post_with_a_broken_body_is_a_400_not_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    import asyncio
    from datetime import UTC, datetime

    from aiohttp.test_utils import TestClient, TestServer

    from greeter.http_api import ApiContext, make_app
    from greeter.journal import open_journal
    from greeter.metrics import RunStats
    from greeter.unsubscribe import make_token

    now = datetime(2027, 1, 1, tzinfo=UTC)
    journal = open_journal(str(tmp_path / "journal.sqlite3"), now=now)
    secret = b"s" * 32
    ctx = ApiContext(journal=journal, stats=RunStats(started_at=now), clock=lambda: now, secret=secret)

    async def post() -> int:
        async with TestClient(TestServer(make_app(ctx))) as client:
            answer = await client.post(
                f"/unsubscribe/{make_token(secret, 'ivan@example.com')}",
                data=body,
                headers={"Content-Type": content_type},
            )
            return answer.status

    try:
        assert asyncio.run(post()) == 400
        assert journal.suppressed() == set()
    finally:
        journal.close()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


# F5 --------------------------------------------------------------------------------------------


def test_email_key_ignores_case_and_keeps_distinct_mailboxes_distinct() -> None:
    from greeter.contacts import email_key

    assert email_key(" Ivan.Petrov@Example.COM ") == "ivan.petrov@example.com"
    assert email_key("STRAßE@example.de") == "straße@example.de"
    assert email_key("straße@example.de") != email_key("strasse@example.de")
    assert email_key("ﬁnn@example.com") != email_key("finn@example.com")


def test_unsuppressing_another_mailbox_keeps_a_sz_addresss_objection(make_project: MakeProject) -> None:
    config = make_project(people(1))
    cli = CliRunner()

    def greeter(*args: str) -> tuple[int, str]:
        said = cli.invoke(main, ["--config", str(config), *args])
        return said.exit_code, said.output

    assert greeter("send", "--once", "--dry-run")[0] == 0  # the journal
    assert greeter("suppress", "straße@example.de", "--reason", "objection by letter")[0] == 0
    code, listed = greeter("suppress", "--list", "--format", "csv")
    assert "straße@example.de,objection by letter" in listed and "strasse@" not in listed, listed
    code, said = greeter("unsuppress", "strasse@example.de")
    assert code == 1 and "removed 0 address(es)" in said, said
    code, listed = greeter("suppress", "--list", "STRAßE@example.de", "--format", "csv")
    assert code == 0 and "straße@example.de,objection by letter" in listed, listed
