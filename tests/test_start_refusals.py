"""Why ``send --once`` and ``greeter run`` refuse to start, and with which exit code: 2 or 75.

The line systemd's ``RestartPreventExitStatus=2`` draws: exit 2 is a configuration
error that a restart cannot fix (a secret the config names is missing, a
``storage.url`` libpq refuses, an address that is not this machine's); exit 75
is a condition that passes (another greeter is sending from the same SQLite
journal, the HTTP port is still taken by a daemon being stopped), so the unit
restarts the daemon and cron's next ``send --once`` tries again.

Real subprocesses, real SQLite files in ``tmp_path`` and, for ``storage.url``,
the real test PostgreSQL (a schema of its own, dropped afterwards).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from greeter.journal import Journal
from tests import databases
from tests.conftest import ROOT, MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_send_e2e import NOW, people

Event = dict[str, Any]

SMTP_ENV = "GREETER_TEST_REFUSAL_SMTP_PW"
UNSUB_ENV = "GREETER_TEST_REFUSAL_UNSUB"
SECRET_VALUE = "s3cret-value-never-shown-32-bytes-long"


def greeter(config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``greeter --config CONFIG ARGS…`` to its end, in ``env`` (default: ours, less the test secrets)."""
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**(env if env is not None else _env()), "PYTHONPATH": str(ROOT)},
        check=False,
    )


def _env(**values: str) -> dict[str, str]:
    """Our environment without the test's secret variables, plus ``values``."""
    kept = {k: v for k, v in os.environ.items() if k not in (SMTP_ENV, UNSUB_ENV)}
    return {**kept, **values}


def run_once(config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``greeter run --log-format json --now NOW ARGS`` that is expected to stop by itself."""
    return greeter(config, "run", "--log-format", "json", "--now", NOW, *args, env=env)


def events(result: subprocess.CompletedProcess[str]) -> list[Event]:
    """Every line the daemon said, each one a JSON object (journalctl | jq), no traceback among them."""
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    parsed = [json.loads(line) for line in lines]
    assert all(isinstance(e, dict) for e in parsed), lines
    return parsed


def cannot_start(result: subprocess.CompletedProcess[str], code: int) -> Event:
    """The one ``cannot_start`` line of a daemon that exited ``code``."""
    assert result.returncode == code, result.stdout + result.stderr
    said = events(result)
    (fatal,) = [e for e in said if e["event"] == "cannot_start"]
    assert fatal["exit_code"] == code and fatal["level"] == "error"
    assert fatal["why"] == ("configuration error" if code == 2 else "try again later")
    assert not [e for e in said if e["event"] in ("internal_error", "started", "run_failed")], said
    assert "Traceback" not in result.stdout + result.stderr
    return fatal


# --- 1 and 6: another sender on the same SQLite journal, whatever path leads to it -------------


@pytest.fixture
def held_journal(make_project: MakeProject) -> Iterator[tuple[Path, Path, Journal]]:
    """A project whose journal another sender holds, with one live claim: (config, journal path, sender)."""
    config = make_project(people(2))
    path = config.parent / "data" / "journal.sqlite3"
    sender = Journal.open(str(path), now=datetime.fromisoformat(NOW))
    try:
        sender.lock_sender()
        moment = datetime.fromisoformat(NOW)
        key = ("1", "birthday", moment.date())
        assert sender.claim(
            key, email="client1@example.com", message_id="<m@x>", planned_at=moment, now=moment
        )
        yield config, path, sender
        assert [e.state for e in sender.history()] == ["claimed"]  # a live claim stays live
    finally:
        sender.close()


def test_send_once_finding_another_sender_exits_75_in_one_line_naming_the_journal(
    held_journal: tuple[Path, Path, Journal],
) -> None:
    config, path, _ = held_journal
    result = greeter(config, "send", "--once", "--now", NOW)
    assert result.returncode == 75, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        f"another greeter is already sending from journal {path} (pid {os.getpid()} on host {socket.gethostname()}); "
        "try again once it has finished"
    ]


def test_a_second_daemon_through_a_symbolic_link_to_the_journal_is_refused_too(
    held_journal: tuple[Path, Path, Journal],
) -> None:
    """The lock was named after the path string: via a link both sent, and the second's recovery
    marked the first's live claims ``uncertain``."""
    config, path, _ = held_journal
    link = config.parent / "elsewhere" / "journal-link.sqlite3"
    link.parent.mkdir()
    link.symlink_to(path)
    text = config.read_text(encoding="utf-8")
    assert "sqlite:///data/journal.sqlite3" in text
    via_link = config.with_name("via-link.yaml")
    via_link.write_text(text.replace("sqlite:///data/journal.sqlite3", f"sqlite:///{link}"), encoding="utf-8")
    fatal = cannot_start(run_once(via_link), 75)
    assert (
        f"journal {link} (= {path.resolve()}) (pid {os.getpid()} on host {socket.gethostname()})"
        in fatal["error"]
    )
    sent = greeter(via_link, "send", "--once", "--now", NOW)
    assert sent.returncode == 75 and "another greeter is already sending" in sent.stderr, sent.stderr
    assert not link.with_name(link.name + ".lock").exists()
    # the fixture checks that the holder's claim is still `claimed`, not `uncertain`


# --- 2: the HTTP listener's address ---------------------------------------------------------------


def test_http_port_in_use_is_one_cannot_start_line_and_exit_75(make_project: MakeProject) -> None:
    config = make_project(people(1))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        fatal = cannot_start(run_once(config, "--listen", f"127.0.0.1:{port}"), 75)
    assert fatal["error"] == (
        f"cannot listen on 127.0.0.1:{port} (--listen): the port is already in use, and its holder did not"
        " answer within 2 s (another greeter may still be stopping)"
    )


def test_an_address_that_cannot_be_bound_at_all_is_a_configuration_error(make_project: MakeProject) -> None:
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: EADDRNOTAVAIL
    config = make_project(people(1), http={"enabled": True, "host": "192.0.2.1", "port": 8025})
    fatal = cannot_start(run_once(config), 2)
    assert fatal["error"] == (
        "cannot listen on 192.0.2.1:8025 (http.host, http.port): 192.0.2.1 is not an address of this machine"
    )
    listen = cannot_start(run_once(config, "--listen", "[2001:db8::1]:8025"), 2)
    assert listen["error"].startswith("cannot listen on [2001:db8::1]:8025 (--listen): ")
    beyond = run_once(config, "--listen", "127.0.0.1:70000")  # a usage error, before anything starts
    assert beyond.returncode == 2 and "--listen" in beyond.stderr and "Traceback" not in beyond.stderr


# --- 3: a secret the config names is missing ------------------------------------------------------


def _with_secrets(make_project: MakeProject) -> Path:
    config = make_project(
        people(1),
        delivery={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": 1, "password_env": SMTP_ENV}},
        unsubscribe={"url": "https://greet.example.com/unsubscribe", "secret_env": UNSUB_ENV},
    )
    return config


@pytest.mark.parametrize(
    ("present", "missing", "what"),
    [(UNSUB_ENV, SMTP_ENV, "SMTP password"), (SMTP_ENV, UNSUB_ENV, "unsubscribe secret")],
)
def test_run_refuses_to_start_without_a_secret_as_send_once_does(
    make_project: MakeProject, present: str, missing: str, what: str
) -> None:
    """A missing SMTP password: run started and failed every cycle (run_failed), send --once exited 2."""
    config = _with_secrets(make_project)
    env = _env(**{present: SECRET_VALUE})
    problem = f"environment: {missing}: {what}: environment variable {missing} is not set"
    daemon = run_once(config, env=env)
    fatal = cannot_start(daemon, 2)
    assert fatal["problems"] == [problem]
    sent = greeter(config, "send", "--once", "--now", NOW, env=env)
    assert sent.returncode == 2 and sent.stderr.splitlines() == [problem]
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # refused before the journal
    checked = greeter(config, "check", "--now", NOW, env=env)
    assert checked.returncode == 2 and problem in checked.stderr.splitlines()  # as send and run
    for said in (daemon, sent, checked):
        assert SECRET_VALUE not in said.stdout + said.stderr


def test_with_every_secret_there_the_daemon_starts(make_project: MakeProject) -> None:
    config = _with_secrets(make_project)
    env = {SMTP_ENV: SECRET_VALUE, UNSUB_ENV: SECRET_VALUE}
    with DaemonProcess(config, "--now", NOW, env=env) as daemon:
        daemon.wait_for("run")  # the mail server on port 1 is not there: a degraded run, not a refusal
        assert daemon.stop() == 0
        assert SECRET_VALUE not in daemon.output()
        assert not daemon.named("cannot_start")


def test_run_refuses_to_start_without_its_dkim_key(make_project: MakeProject, tmp_path: Path) -> None:
    """An unreadable DKIM key file: run started and failed every cycle, as with a missing password."""
    missing = tmp_path / "no-such-dkim.pem"
    config = make_project(
        people(1),
        delivery={"dkim": {"domain": "romashka.example", "selector": "mail", "key_file": str(missing)}},
    )
    fatal = cannot_start(run_once(config), 2)
    assert any("delivery.dkim.key_file" in p and "cannot read the DKIM key" in p for p in fatal["problems"])
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 2 and "cannot read the DKIM key" in sent.stderr, sent.stderr


def test_a_start_refused_after_the_config_was_read_says_so_under_the_configured_instance(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """In a container (config in /etc/greeter) the cannot_start of a missing password file said
    ``"instance": "greeter"`` — the config folder's name — with ``instance: salesteam`` set."""
    config = make_project(
        people(1),
        instance="salesteam",
        delivery={
            "transport": "smtp",
            "smtp": {"host": "127.0.0.1", "port": 1, "password_file": str(tmp_path / "no-such-password")},
        },
    )
    said = run_once(config)
    fatal = cannot_start(said, 2)
    assert any("delivery.smtp.password_file" in p for p in fatal["problems"]), fatal
    assert {e["event"]: e.get("instance") for e in events(said)} == {
        e["event"]: "salesteam" for e in events(said)
    }


# --- 5: a PostgreSQL storage.url with a typo ------------------------------------------------------

PG_PASSWORD = "pg-pw-never-shown"


def _with_password(url: str) -> str:
    parts = urlsplit(url)
    netloc = f"{parts.username or 'postgres'}:{PG_PASSWORD}@{parts.hostname}:{parts.port or 5432}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def test_a_storage_url_typo_is_exit_2_naming_storage_url_not_75(make_project: MakeProject) -> None:
    """``?sslmode=bogus`` was exit 75: systemd restarted the daemon forever."""
    with databases.pg_schema() as (url, _):
        for param, said in [
            ("sslmode=bogus", 'storage.url is not a valid connection string: invalid sslmode value: "bogus"'),
            ("lease_seconds=abc", "storage.url: lease_seconds='abc' is not a number of seconds"),
        ]:
            bad = databases.with_query(_with_password(url), param)
            config = make_project(people(1), storage={"url": bad})
            fatal = cannot_start(run_once(config), 2)
            assert said in fatal["error"] and PG_PASSWORD not in json.dumps(fatal)
            sent = greeter(config, "send", "--once", "--now", NOW)
            assert sent.returncode == 2 and said in sent.stderr, sent.stderr
            assert PG_PASSWORD not in sent.stdout + sent.stderr
        down = databases.with_query(
            url.replace(f":{urlsplit(url).port or 5432}/", ":1/"), "connect_timeout=2"
        )
        config = make_project(people(1), storage={"url": down})
        cannot_start(run_once(config), 75)  # an unreachable server stays temporary


def test_a_journal_path_that_is_a_folder_is_a_configuration_error(make_project: MakeProject) -> None:
    """It said "disk I/O error" and was exit 75: systemd would restart the daemon forever."""
    config = make_project(people(1), storage={"url": "sqlite:///data"})
    (config.parent / "data").mkdir(exist_ok=True)
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 2 and "is a folder; storage.url names the journal's file" in sent.stderr
    assert "disk I/O" not in sent.stderr
    fatal = cannot_start(run_once(config), 2)
    assert "is a folder" in json.dumps(fatal, ensure_ascii=False)


# --- usage errors: a cannot_start line too ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--listen", "foo"], "'--listen': use HOST:PORT"),  # the command's own check
        (["--now", "bogus"], "'bogus' is not a moment like 2027-03-15T10:00 or 15.03.2027 10:00"),
        (["--now", NOW, "--speed", "0"], "'--speed'"),  # click's, before the command runs
        (["--speed", "2"], "--speed needs --now"),
        (["--log-format", "xml"], "'--log-format'"),
        (["--bogus"], "No such option '--bogus'"),
    ],
)
def test_a_usage_error_of_run_is_a_cannot_start_line_with_exit_2(
    make_project: MakeProject, args: list[str], words: str
) -> None:
    """A mistyped ``ExecStart=`` must not put the only plain-text lines into the unit's JSON journal."""
    config = make_project(people(1))
    result = greeter(config, "run", *args)  # stderr is a pipe: JSON lines, as under systemd
    fatal = cannot_start(result, 2)
    assert any(words in p for p in fatal["problems"]), fatal
    assert "Usage:" not in result.stdout + result.stderr


def test_run_refuses_to_start_with_a_broken_company_calendar(make_project: MakeProject) -> None:
    """An event ending before it starts: preview and send exit 2, while run started and failed
    every cycle — a unit manager saw a healthy service that sent nothing."""
    config = make_project(people(1), send_window={"days_off_ics": "corp.ics"})
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//export//", "BEGIN:VEVENT", "UID:closed",
        "DTSTAMP:20261101T000000Z", "DTSTART;VALUE=DATE:20261228", "DTEND;VALUE=DATE:20261201",
        "SUMMARY:Офис закрыт", "END:VEVENT", "END:VCALENDAR", "",
    ]  # fmt: skip
    (config.parent / "corp.ics").write_bytes("\r\n".join(lines).encode())
    fatal = cannot_start(run_once(config), 2)
    (problem,) = fatal["problems"]
    assert "corp.ics: send_window.days_off_ics: not a valid iCalendar file: event 'Офис закрыт'" in problem
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # refused before the journal
