"""A shared (PostgreSQL) journal's claims while letters are slow, senders die, clocks lie.

Against the real PostgreSQL and a real SMTP server (:class:`~greeter.testing.SmtpSink`,
aiosmtpd in-process) whose replies to DATA are held back for longer than the
claims' lease — a slow server, as a fault-injecting SRE found it:

* a sender whose every pooled letter awaits the server's reply wrote nothing,
  so nothing renewed its leases: another sender recorded its letters
  ``uncertain``, and when the 250s came the run failed (``cannot make greeting
  … sent: it is uncertain``) and abandoned the rest of its batch;
* a 250 for a letter another sender recorded ``uncertain`` meanwhile is
  recorded ``sent`` (it arrived), unless an operator has decided it since;
* a ``send --once`` that died left its claims for a whole lease (600 s): the
  next send on the same machine takes them at once now;
* a machine whose clock runs days ahead recorded other hosts' greetings
  ``expired`` for good: it refuses to send now (exit 75);
* ``psycopg_pool``'s warnings no longer leak, and its connect error is the cause said.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from greeter.errors import ClockSkewError, JournalError, JournalFailedMidRunError, clock_skew_problem
from greeter.journal_pg import RECOVERED_REASON, PgJournal, dead_here
from greeter.journal_store import JournalKey
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject
from tests.test_send_e2e import NOW, greeter_process, people

ROOT = Path(__file__).resolve().parent.parent
PLANNED = datetime(2025, 3, 14, 8, 0, tzinfo=UTC)


def states(schema: str) -> dict[str, tuple[str, str | None]]:
    with databases.pg_admin() as conn:
        rows = conn.execute(f"SELECT contact_id, state, reason FROM {schema}.greetings").fetchall()
    return {str(r[0]): (str(r[1]), None if r[2] is None else str(r[2])) for r in rows}


def wait_for_claims(schema: str, n: int, proc: subprocess.Popen[str]) -> None:
    """Until ``n`` greetings are ``claimed`` (their letters are with the server)."""
    for _ in range(600):
        if proc.poll() is not None:
            raise AssertionError(proc.communicate())
        try:
            found = [s for s, _ in states(schema).values()]
        except Exception:  # the schema is not there yet
            found = []
        if found.count("claimed") == n:
            return
        time.sleep(0.1)
    raise AssertionError(f"never {n} claims: {states(schema)}")


def send_in_background(config: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "greeter", "--config", str(config), "send", "--once", "--now", NOW],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def slow_smtp(port: int, pool_size: int) -> dict[str, object]:
    return {
        "delivery": {
            "transport": "smtp",
            "smtp": {"host": "127.0.0.1", "port": port, "pool_size": pool_size, "timeout_seconds": 60},
            "rate_limit": {"per_second": None},
        }
    }


# --- 1. leases renewed while every letter awaits the server ------------------------------------


def test_a_sender_waiting_on_a_slow_server_keeps_its_claims_and_records_every_letter(
    make_project: MakeProject,
) -> None:
    """The server answers DATA after 10 s, the lease is 2 s: another sender recovering stale
    claims meanwhile finds none (it took both, and the send failed when the 250s came)."""
    with databases.pg_schema() as (url, schema), SmtpSink() as sink:
        sink.delay(10)
        config = make_project(people(2), storage={"url": f"{url}&lease_seconds=2"}, **slow_smtp(sink.port, 2))
        proc = send_in_background(config)
        try:
            wait_for_claims(schema, 2, proc)
            time.sleep(5)  # more than two leases while both letters await their 250
            with PgJournal.open(url, now=datetime.now(UTC)) as other:
                other.lock_sender()
                taken = other.recover_stale_claims(datetime.now(UTC))
            out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert taken == 0, "a live sender's claims were taken"
        assert proc.returncode == 0, out + err
        assert "uncertain" not in err, err
        assert {s for s, _ in states(schema).values()} == {"sent"} and len(sink.messages) == 2


def test_a_250_after_another_sender_recorded_the_letter_uncertain_records_it_sent(
    make_project: MakeProject,
) -> None:
    """While the letters await their 250, another sender records them ``uncertain`` (as after a
    lease that ran out) and an operator dismisses one. The 250s then record the others ``sent``
    and leave the operator's decision; the run goes on and succeeds — it failed at the first."""
    with databases.pg_schema() as (url, schema), SmtpSink() as sink:
        sink.delay(6)
        config = make_project(people(3), storage={"url": url}, **slow_smtp(sink.port, 3))
        proc = send_in_background(config)
        try:
            wait_for_claims(schema, 3, proc)
            with databases.pg_admin() as conn:  # what recover_stale_claims does to a lapsed claim
                conn.execute(
                    f"UPDATE {schema}.greetings SET state = 'uncertain', lease_until = NULL,"
                    " last_reply = NULL, reason = %s WHERE state = 'claimed'",
                    (RECOVERED_REASON,),
                )
            with PgJournal.open(url, now=datetime.now(UTC)) as operator:
                dismissed = next(e for e in operator.history() if e.contact_id == "2")
                operator.dismiss(dismissed.key, datetime.now(UTC))
            out, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, out + err
        assert "cannot make greeting" not in err, err
        assert states(schema) == {"1": ("sent", None), "2": ("skipped", "dismissed"), "3": ("sent", None)}
        assert "sent ×2 after this sender's claim had run out" in err, err
        assert "it is skipped now" in err and "it did arrive" in err, err
        assert len(sink.messages) == 3


def test_only_this_senders_own_recovered_claim_turns_sent() -> None:
    """``sent_after_lapse`` moves the recovery's ``uncertain`` of this sender's claim, nothing else."""
    now = datetime.now(UTC)
    keys: list[JournalKey] = [(f"c-{i}", "birthday", date(2025, 3, 14)) for i in range(3)]
    with databases.pg_schema() as (url, _):
        with (
            PgJournal.open(f"{url}&lease_seconds=0.3", now=now) as mine,
            PgJournal.open(url, now=now) as other,
        ):
            mine.lock_sender()
            other.lock_sender()
            for k in keys:
                assert mine.claim(
                    k, email="x@example.com", message_id=f"<{k[0]}@t>", planned_at=PLANNED, now=now
                )
            time.sleep(0.5)  # the lease ran out: nothing renewed it
            assert other.recover_stale_claims(now) == 3
            other.resend(keys[1], now)  # an operator's decisions stand
            other.dismiss(keys[2], now)
            assert other.sent_after_lapse(keys[0], "250 ok", now) == "uncertain", "not its claim"
            assert mine.sent_after_lapse(keys[0], "250 ok", now) is None
            assert mine.sent_after_lapse(keys[1], "250 ok", now) == "retry"
            assert mine.sent_after_lapse(keys[2], "250 ok", now) == "skipped"
            found = {e.contact_id: (e.state, e.last_reply) for e in other.history()}
        assert found["c-0"] == ("sent", "250 ok")
        assert found["c-1"][0] == "retry" and found["c-2"][0] == "skipped"


# --- 2. a dead send's claims, and what its message says -----------------------------------------

_CLAIM_AND_DIE = """
import os, sys
from datetime import UTC, date, datetime
from greeter.journal_pg import PgJournal
j = PgJournal.open(sys.argv[1], now=datetime.now(UTC))
j.lock_sender()
assert j.claim(("c-1", "birthday", date(2025, 3, 14)), email="x@example.com", message_id="<1@t>",
               planned_at=datetime(2025, 3, 14, 8, tzinfo=UTC), now=datetime.now(UTC))
os._exit(9)  # as kill -9 mid-letter: no verdict, no recovery of its own
"""


def test_the_next_send_on_the_same_machine_takes_a_dead_senders_claims_at_once() -> None:
    """A sender process that died left its claim ``claimed`` for its whole lease (600 s): the next
    send exited 0 saying nothing. The same machine can tell the process is gone, and records it
    ``uncertain`` at once; a live sender's claim (this process's) is left alone."""
    now = datetime.now(UTC)
    with databases.pg_schema() as (url, _):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        died = subprocess.run(
            [sys.executable, "-c", _CLAIM_AND_DIE, url], env=env, capture_output=True, text=True
        )
        assert died.returncode == 9, died.stderr
        with PgJournal.open(url, now=now) as live, PgJournal.open(url, now=now) as next_send:
            live.lock_sender()
            next_send.lock_sender()
            assert live.claim(
                ("c-2", "birthday", date(2025, 3, 14)), email="y@example.com", message_id="<2@t>",
                planned_at=PLANNED, now=now,
            )  # fmt: skip
            assert next_send.recover_stale_claims(now) == 1
            found = {e.contact_id: (e.state, e.reason) for e in next_send.history()}
        assert found == {"c-1": ("uncertain", RECOVERED_REASON), "c-2": ("claimed", None)}


def test_only_a_gone_process_of_this_machines_own_process_table_is_dead() -> None:
    me = "greeter box/100/aaaaaa@0a1b2c3d"
    gone = {200}

    def alive(pid: int) -> bool:
        return pid not in gone

    assert dead_here("greeter box/200/bbbbbb@0a1b2c3d", me, alive)
    assert not dead_here("greeter box/300/bbbbbb@0a1b2c3d", me, alive), "alive"
    assert not dead_here("greeter other/200/bbbbbb@0a1b2c3d", me, alive), "another machine"
    assert not dead_here("greeter box/200/bbbbbb@ffffffff", me, alive), "another boot or PID namespace"
    assert not dead_here("greeter box/200/bbbbbb", me, alive), "an older greeter's id says no table"
    assert not dead_here(me, me, lambda _: False), "its own claims are the caller's business"


def test_a_send_that_lost_a_shared_journal_says_when_its_claims_become_uncertain() -> None:
    ends = datetime(2026, 12, 4, 16, 10, tzinfo=UTC)
    error = JournalFailedMidRunError(JournalError("journal gone"), accepted=6, recorded=2, lease_ends=ends)
    said = error.consequence()
    assert "4 not recorded" in said and "once their lease has run out, about 2026-12-04 16:10 UTC" in said
    assert "the next send on this machine records them as uncertain" in said


# --- 3. a clock days ahead ----------------------------------------------------------------------


def test_a_clock_days_ahead_of_the_server_is_a_problem_and_minutes_are_not() -> None:
    server = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
    said = clock_skew_problem(server + timedelta(days=4, minutes=3), server)
    assert said is not None and said.startswith("this machine's clock is 4 days ahead of the journal's")
    assert "fix the clock (NTP)" in said and "expired" in said
    behind = clock_skew_problem(server - timedelta(hours=2), server)
    assert behind is not None and "2 hours behind" in behind
    assert clock_skew_problem(server + timedelta(minutes=4), server) is None


def test_a_skewed_now_is_refused_against_the_real_servers_clock() -> None:
    real = datetime.now(UTC)
    with databases.pg_schema() as (url, _), PgJournal.open(url, now=real) as journal:
        journal.check_clock(real)  # this machine's clock: the same as the server's
        with pytest.raises(ClockSkewError, match="4 days ahead of the journal's database server") as raised:
            journal.check_clock(real + timedelta(days=4))
        assert raised.value.exit_code == 75


@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime")
def test_send_on_a_machine_four_days_ahead_refuses_before_recording_anything(
    make_project: MakeProject,
) -> None:
    """``faketime +4d greeter send --once`` recorded 167 greetings ``expired`` that another host
    would have sent that day. Now: exit 75, the reason, and nothing in the journal."""
    today = datetime.now(UTC).date()
    with databases.pg_schema() as (url, schema), SmtpSink() as sink:
        config = make_project(
            people(3, day=f"{today:%d.%m}.1980"), storage={"url": url}, **slow_smtp(sink.port, 2)
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT), "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        ahead = subprocess.run(
            ["faketime", "-f", "+4d", sys.executable, "-m", "greeter", "--config", str(config), "send", "--once"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        assert ahead.returncode == 75, ahead.stdout + ahead.stderr
        assert "4 days ahead of the journal's database server" in ahead.stderr, ahead.stderr
        assert states(schema) == {} and sink.messages == []
        rehearsal = greeter_process(
            config, "send", "--once", "--dry-run", "--now", NOW
        )  # --now: no comparison
        assert rehearsal.returncode == 0, rehearsal.stderr


# --- 4. the pool's own log lines, and the cause it hides ---------------------------------------


def test_a_role_refused_mid_run_is_said_in_greeters_words_and_the_pool_stays_quiet(
    caplog: pytest.LogCaptureFixture,
) -> None:
    role = databases.unique("greeter_r")
    base = databases.require_pg()
    with databases.pg_admin() as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"GRANT CREATE ON DATABASE test TO {role}")
    url = base.replace("postgres@", f"{role}@", 1)
    schema = databases.unique("greeter_t")
    try:
        with PgJournal.open(f"{url}?schema={schema}&lease_seconds=2", now=datetime.now(UTC)) as journal:
            journal.counts_by_state()
            with databases.pg_admin() as admin:
                admin.execute(f"ALTER ROLE {role} NOLOGIN")
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,)
                )
            with caplog.at_level(logging.INFO), pytest.raises(JournalError) as raised:
                journal.counts_by_state()
        assert "is not permitted to log in" in str(raised.value), raised.value
        assert not [
            r for r in caplog.records if r.name.startswith("psycopg.pool") and r.levelno >= logging.WARNING
        ]
    finally:
        with databases.pg_admin() as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


def test_check_warns_of_a_lease_shorter_than_twice_the_smtp_timeout(make_project: MakeProject) -> None:
    with databases.pg_schema() as (url, _), SmtpSink() as sink:
        config = make_project(
            people(1), storage={"url": f"{url}&lease_seconds=45"}, **slow_smtp(sink.port, 2)
        )
        short = greeter_process(config, "check")
        assert (
            "lease_seconds=45 is shorter than twice delivery.smtp.timeout_seconds (60 s)"
            in short.stdout + short.stderr
        ), short.stdout + short.stderr
        config = make_project(
            people(1), storage={"url": f"{url}&lease_seconds=120"}, **slow_smtp(sink.port, 2)
        )
        long_enough = greeter_process(config, "check")
        assert "shorter than twice" not in long_enough.stdout + long_enough.stderr


@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime")
def test_send_json_refused_for_a_skewed_clock_still_prints_the_summary_with_the_reason(
    make_project: MakeProject,
) -> None:
    """Exit 75 with an empty stdout broke a script's ``| jq``: a journal refusal prints the summary."""
    today = datetime.now(UTC).date()
    with databases.pg_schema() as (url, schema):
        config = make_project(people(2, day=f"{today:%d.%m}.1980"), storage={"url": url})
        env = {**os.environ, "PYTHONPATH": str(ROOT), "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        ahead = subprocess.run(
            ["faketime", "-f", "+2d", sys.executable, "-m", "greeter", "--config", str(config),
             "send", "--once", "--json"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        assert ahead.returncode == 75, ahead.stdout + ahead.stderr
        assert states(schema) == {}
    summary = json.loads(ahead.stdout)
    assert "2 days ahead of the journal's database server" in summary["journal_unavailable"]
    assert summary["sent"] == 0
