"""The do-not-contact list outranks a letter already written: retries, resends, dry runs.

Found by a data-protection review: a letter waiting for its retry kept its
stored bytes and went out after its address was put on the list (an objection,
a one-click unsubscribe, a bounce) — the retry path never looked at the list;
``send --dry-run`` listed it as due; an operator's resend of an uncertain
letter went the same way. And a dry run against a PostgreSQL journal that did
not exist yet created its schema and every table, though a dry run creates
nothing.

Each end-to-end test runs on a SQLite file and on the test PostgreSQL, as a
real CLI against a real SMTP server (:class:`~greeter.testing.SmtpSink`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from greeter.journal import open_journal
from greeter.journal_store import JournalKey
from greeter.runtime import load_inputs
from greeter.send import deliver_cycle, plan_cycle
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject
from tests.test_send_e2e import NOW, greeter, history, people, smtp

LATER = "2027-04-14T11:02:00+03:00"  # past the first retry's backoff (60 s)
KEY: JournalKey = ("1", "birthday", datetime.fromisoformat("2027-04-13").date())
CLIENT = "client1@example.com"


@pytest.fixture(params=["sqlite", "postgresql"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The ``storage`` section: the default SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield {"url": f"sqlite:///{tmp_path}/data/journal.sqlite3"}
    else:
        with databases.pg_schema() as (url, _):
            yield {"url": url}


def payload(config: Path, url: str) -> bytes | None:
    """The stored letter of client 1's greeting (None: dropped)."""
    with open_journal(url, now=datetime.fromisoformat(LATER)) as journal:
        return journal.payload(KEY)


def row_of(config: Path, contact_id: str = "1") -> dict[str, Any]:
    return next(r for r in history(config) if r["contact_id"] == contact_id)


def delivered_to(sink: SmtpSink) -> list[tuple[str, ...]]:
    return [tuple(m.rcpt_tos) for m in sink.messages if not m.dropped]


def test_a_retry_whose_address_went_on_the_list_is_skipped_not_sent(
    make_project: MakeProject, storage: dict[str, Any]
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), storage=storage, **smtp(sink.port))
        sink.reject(CLIENT, 451)
        first = greeter(config, "send", "--once", "--now", NOW)
        assert "sent: 1" in first.stdout and "retry: 1" in first.stdout, first.stdout + first.stderr
        assert payload(config, storage["url"]) is not None  # the retry keeps its letter
        added = greeter(config, "suppress", CLIENT.upper(), "--reason", "unsubscribed")
        assert added.returncode == 0, added.stderr
        sink.reset()  # the server would accept it now
        dry = greeter(config, "send", "--once", "--dry-run", "--json", "--now", LATER)
        text = greeter(config, "send", "--once", "--dry-run", "--now", LATER)
        assert row_of(config)["state"] == "retry"  # the dry runs changed nothing
        real = greeter(config, "send", "--once", "--json", "--now", LATER)
        assert delivered_to(sink) == []
    planned = json.loads(dry.stdout)
    assert planned["letters"] == [] and planned["skipped"] == {"suppressed": 1}, dry.stdout
    assert CLIENT not in text.stdout and "retry " not in text.stdout, text.stdout
    done = json.loads(real.stdout)
    assert (done["due"], done["sent"], done["skipped"]) == (0, 0, {"suppressed": 1}), real.stdout
    row = row_of(config)
    assert (row["state"], row["reason_code"]) == ("skipped", "suppressed"), row
    assert row["reason"] == f"suppressed: {CLIENT} is on the do-not-contact list"
    assert payload(config, storage["url"]) is None  # a final state drops the letter
    again = greeter(config, "send", "--once", "--json", "--now", "2027-04-14T12:00:00+03:00")
    assert json.loads(again.stdout)["skipped"] == {}, "recorded once, not counted every run"


def test_an_uncertain_letter_resent_for_an_address_on_the_list_is_skipped(
    make_project: MakeProject, storage: dict[str, Any]
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), storage=storage, **smtp(sink.port))
        sink.drop_next(1)
        first = greeter(config, "send", "--once", "--now", NOW)
        assert "uncertain: 1" in first.stdout, first.stdout + first.stderr
        assert greeter(config, "suppress", CLIENT).returncode == 0
        resend = greeter(config, "uncertain", "resend", "--contact", "1", "--now", NOW)
        assert resend.returncode == 0, resend.stderr
        assert resend.stdout == (
            f"skipped: 1 birthday 2027-04-13 ({CLIENT} is on the do-not-contact list, so not resent)\n"
        )
        sent = greeter(config, "send", "--once", "--json", "--now", LATER)
        assert delivered_to(sink) == []
    assert json.loads(sent.stdout)["due"] == 0, sent.stdout
    row = row_of(config)
    assert (row["state"], row["reason_code"]) == ("skipped", "suppressed"), row
    assert payload(config, storage["url"]) is None


def test_an_address_put_on_the_list_after_planning_stops_its_retry_at_the_claim(
    make_project: MakeProject, storage: dict[str, Any]
) -> None:
    """The daemon's one-click unsubscribe can land while a batch runs: between the plan, which
    found the retry due and its address clean, and the retry's claim."""
    with SmtpSink() as sink:
        config = make_project(people(2), storage=storage, **smtp(sink.port))
        sink.reject(CLIENT, 451)
        greeter(config, "send", "--once", "--now", NOW)
        sink.reset()
        now = datetime.fromisoformat(LATER)
        inputs = load_inputs(config, today=now.date())
        with open_journal(storage["url"], now=now) as journal:
            journal.lock_sender()
            cycle = plan_cycle(inputs, journal, now=now)
            assert [entry.key for entry, _ in cycle.retries] == [KEY]  # planned clean
            journal.suppress([CLIENT], "unsubscribed: one-click", now)
            asyncio.run(deliver_cycle(cycle))
            assert journal.payload(KEY) is None
        assert delivered_to(sink) == []
    summary = cycle.deliverer.summary
    assert (summary.counts["sent"], summary.skipped["suppressed"]) == (0, 1)
    row = row_of(config)
    assert (row["state"], row["reason_code"]) == ("skipped", "suppressed"), row


def test_an_address_forgotten_after_planning_never_gets_its_retry_back_as_a_new_letter(
    make_project: MakeProject, storage: dict[str, Any]
) -> None:
    """``greeter forget`` during a send deleted the retry's row; the retry's claim then found no row
    and inserted one, as for a new letter: the letter went to the erased address and the journal
    held it again as ``sent``. A retry is claimed only while its row is there."""
    with SmtpSink() as sink:
        config = make_project(people(2), storage=storage, **smtp(sink.port))
        sink.reject(CLIENT, 451)
        greeter(config, "send", "--once", "--now", NOW)
        sink.reset()
        now = datetime.fromisoformat(LATER)
        inputs = load_inputs(config, today=now.date())
        with open_journal(storage["url"], now=now) as journal:
            journal.lock_sender()
            cycle = plan_cycle(inputs, journal, now=now)
            assert [entry.key for entry, _ in cycle.retries] == [KEY]  # planned while its row was there
            assert journal.forget(CLIENT, now).greetings == (KEY,)
            asyncio.run(deliver_cycle(cycle))
            assert journal.history(contact_id="1") == []
        assert delivered_to(sink) == []
    summary = cycle.deliverer.summary
    assert (summary.counts["sent"], summary.skipped["suppressed"]) == (0, 1)


def test_a_new_letter_whose_address_went_on_the_list_after_planning_is_not_sent(
    make_project: MakeProject, storage: dict[str, Any]
) -> None:
    """Only retries were guarded: a one-click unsubscribe (or ``suppress``, ``forget``) landing while
    a batch ran still let that client's first letter of the batch go out."""
    with SmtpSink() as sink:
        config = make_project(people(2), storage=storage, **smtp(sink.port))
        now = datetime.fromisoformat(NOW)
        inputs = load_inputs(config, today=now.date())
        with open_journal(storage["url"], now=now) as journal:
            journal.lock_sender()
            cycle = plan_cycle(inputs, journal, now=now)
            assert len(cycle.due) == 2  # planned while both addresses were clean
            journal.suppress([CLIENT.upper()], "unsubscribed: one-click", now)
            asyncio.run(deliver_cycle(cycle))
        assert delivered_to(sink) == [("client2@example.com",)]
    summary = cycle.deliverer.summary
    assert (summary.counts["sent"], summary.skipped["suppressed"], summary.skipped["already_sent"]) == (
        1,
        1,
        0,
    )
    assert [r["contact_id"] for r in history(config)] == ["2"]


def test_a_dry_run_on_a_postgresql_journal_not_made_yet_creates_nothing(make_project: MakeProject) -> None:
    """Its output and exit are those of a dry run on a SQLite journal not made yet."""
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        on_sqlite = greeter(config, "send", "--once", "--dry-run", "--now", NOW)
        assert not (config.parent / "data" / "journal.sqlite3").exists()
        name = databases.unique("greeter_dry")
        url = databases.with_query(databases.require_pg(), f"schema={name}")
        config = make_project(people(2), storage={"url": url}, **smtp(sink.port))
        try:
            on_pg = greeter(config, "send", "--once", "--dry-run", "--now", NOW)
            with databases.pg_admin() as conn:
                schemas = conn.execute(
                    "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s", (name,)
                ).fetchone()
                tables = conn.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s", (name,)
                ).fetchone()
        finally:
            with databases.pg_admin() as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        assert sink.messages == []
    assert (schemas, tables) == ((0,), (0,))
    assert (on_pg.returncode, on_pg.stdout, on_pg.stderr) == (
        on_sqlite.returncode,
        on_sqlite.stdout,
        on_sqlite.stderr,
    )
    assert on_pg.returncode == 0 and "2 greeting(s) due" in on_pg.stdout


def test_readers_of_a_postgresql_journal_not_made_yet_say_so_and_create_nothing(
    make_project: MakeProject,
) -> None:
    """``history``, ``suppress --list`` and ``uncertain`` made the schema and every table of
    a mistyped PostgreSQL ``storage.url`` and answered "nothing" from it; on SQLite they say "no journal"."""
    name = databases.unique("greeter_readers")
    url = databases.with_query(databases.require_pg(), f"schema={name}")
    config = make_project(people(1), storage={"url": url})
    try:
        runs = [
            greeter(config, *args)
            for args in (("history",), ("suppress", "--list"), ("uncertain", "dismiss", "--all"))
        ]
        with databases.pg_admin() as conn:
            schemas = conn.execute(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s", (name,)
            ).fetchone()
    finally:
        with databases.pg_admin() as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
    assert schemas == (0,)
    for run in runs:
        assert run.returncode == 2, (run.args, run.stdout, run.stderr)
        assert run.stderr.startswith("no journal at postgresql://"), run.stderr
        assert "nothing has been sent from this config yet, or the schema is wrong" in run.stderr
