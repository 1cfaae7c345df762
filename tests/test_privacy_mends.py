"""The data-protection review's findings (F1–F3, F5–F8), each pinned by what the operator sees."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.erasure import contact_ids_of, describe
from greeter.errors import ConfigError
from greeter.journal_store import ClaimRequest, JournalStore
from tests import databases
from tests.conftest import TODAY, MakeProject
from tests.test_config import MINIMAL
from tests.test_send_e2e import people

URL = "https://greet.example.com/unsubscribe"
#: What ``openssl rand -base64 32`` prints, pasted where the variable's name goes.
PASTED = "q8VJr0Zc3n1m+Pasted/Base64SecretXYZ0123456789="
MOMENT = datetime(2027, 2, 27, 7, 0, tzinfo=UTC)


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


# F2, F7: forget erases the person's approvals and their greetings to a former address ---------


@pytest.fixture(params=["sqlite", "postgresql"])
def journal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JournalStore]:
    with databases.journal_on(request.param, tmp_path / "journal.sqlite3", now=MOMENT) as journal:
        yield journal


def test_forget_erases_the_approval_of_a_draft_not_sent_yet(journal: JournalStore) -> None:
    """``review: required``: the draft is approved before it is sent, so no greeting row names the
    id — only the contacts source does. The approval went on, and forget said "0 approval(s)"."""
    drafted = ("1002", "womens_day", date(2027, 3, 8))
    other = ("1003", "womens_day", date(2027, 3, 8))
    journal.approve([(drafted, "v2:aa"), (other, "v2:bb")], "manager", MOMENT)

    assert journal.erasure("client02@example.com").approvals == 0  # by the journal alone: none
    planned = journal.erasure("client02@example.com", {"1002"})
    done = journal.forget("Client02@example.com", MOMENT, {"1002"})

    assert planned == done and done.approvals == 1 and done.contact_ids == ("1002",)
    assert journal.approvals_since(date(2020, 1, 1)).hashes == {other: "v2:bb"}
    assert journal.is_suppressed("client02@example.com")
    assert "1 approval(s)" in describe(done, [], done=True, on=MOMENT.date())[0]


def test_forget_erases_the_clients_greetings_to_a_former_address_and_says_so(
    journal: JournalStore,
) -> None:
    old = ("1001", "defender_day", date(2027, 2, 23))
    new = ("1001", "new_year", date(2028, 1, 1))
    someone = ("1002", "new_year", date(2028, 1, 1))
    for key, address in (
        (old, "client01@example.com"),
        (new, "ivan.new@example.org"),
        (someone, "x@example.com"),
    ):
        assert journal.claim_many([ClaimRequest(key, address, f"<{key[0]}@x>", MOMENT)], now=MOMENT) == [True]
        journal.mark_sent(key, "250 ok", MOMENT)

    done = journal.forget("ivan.new@example.org", MOMENT)

    assert done.greetings == (old, new) and done.former == ((old, "client01@example.com"),)
    assert [(e.contact_id, e.occasion) for e in journal.history()] == [("1002", "new_year")]
    assert not journal.is_suppressed("client01@example.com")  # it may be someone else's by now
    said = describe(done, [], done=True, on=MOMENT.date())
    assert said[0].startswith("ivan.new@example.org: erased 2 greeting(s)"), said
    assert "  greeting: contact 1001 defender_day 2027-02-23 (sent, to client01@example.com)" in said
    assert any(
        line.startswith("  client01@example.com: another address of contact(s) 1001")
        and "not put on the do-not-contact list" in line
        for line in said
    ), said


def test_the_contacts_holding_an_address_are_found_in_any_case() -> None:
    contacts = [
        Contact(id="1", email="Ivan@Example.com"),
        Contact(id="7", email="ivan@example.com"),
        Contact(id="2", email="anna@example.com"),
        Contact(id="3", email=None),
    ]
    assert contact_ids_of(contacts, ["IVAN@example.com", "nobody@example.com"]) == {
        "ivan@example.com": frozenset({"1", "7"}),
        "nobody@example.com": frozenset(),
    }


# F6 --------------------------------------------------------------------------------------------


def test_a_rows_problem_for_the_log_keeps_its_place_and_drops_the_cell() -> None:
    from greeter.errors import Problem
    from greeter.logs import problem_for_log

    dated = Problem("data/contacts.csv", "Дата рождения", "'31.02.1980' is not a real date", 22, kind="row")
    named = Problem(
        "data/contacts.csv", "Имя", "contains U+202E: 'Иван\\u202e'", 2, kind="row", severity="warning"
    )
    assert problem_for_log(dated) == (
        "data/contacts.csv:row 22: Дата рождения: the cell's value is not logged: greeter check shows the problem"
    )
    assert problem_for_log(named).startswith("data/contacts.csv:row 2: Имя: warning: the cell's value")
    column = Problem("data/contacts.csv", "Email", "no such column", kind="column")
    assert problem_for_log(column) == "data/contacts.csv: Email: no such column"
