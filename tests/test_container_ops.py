"""greeter as a container operator runs it: an arbitrary UID with no HOME, probes, secrets, the image.

Found by running the daemon as Kubernetes would: a UID with no passwd entry made a
literal ``./~/.cache`` folder in the data volume; ``/healthz`` is 503 during a mail
outage, so no endpoint fit a liveness probe; ``http.host: "::"`` is IPv6 only and
nothing meant "every address"; a password from a variable kept the line break a
file's loses; ``check`` advised ``chmod 600`` for a root-owned secret mount; a run
that found a dead daemon's letters in flight logged that at info;
``unsubscribe.secret_env`` had no ``secret_file``. Everything here runs for real:
the daemon as a subprocess, an in-process SMTP server, PostgreSQL at 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from greeter.config import Http, Settings
from greeter.config_loader import parse_settings
from greeter.errors import ConfigError
from greeter.secret_values import read_secret
from greeter.testing import SmtpSink, free_port
from tests import databases
from tests.conftest import TODAY, MakeProject
from tests.daemon_harness import ROOT, DaemonProcess, http
from tests.test_config import MINIMAL
from tests.test_send_e2e import NOW, greeter_process, people, smtp

CONTAINERFILE = ROOT / "deploy" / "Containerfile"

# --- 1. no HOME, a UID with no passwd entry: no ./~ folder ------------------------------------


@pytest.mark.parametrize(
    ("xdg", "home", "expected"),
    [
        (None, "/home/greeter", "/home/greeter/.cache/greeter"),
        ("", "/home/greeter", "/home/greeter/.cache/greeter"),
        ("/cache", "/home/greeter", "/cache/greeter"),
        ("/cache", "~", "/cache/greeter"),  # the container's way: an absolute XDG_CACHE_HOME
        (None, "~", None),  # no HOME and no passwd entry: expanduser gives "~" back
        ("", "~", None),
        ("relative/cache", "~", None),  # a relative XDG_CACHE_HOME is ignored (XDG spec)
        ("relative/cache", "/home/greeter", "/home/greeter/.cache/greeter"),
        (None, "relative-home", None),
        (None, "/nonexistent", "/nonexistent/.cache/greeter"),  # made or not when written: no cache
    ],
)
def test_the_cache_folder_is_an_absolute_path_or_none(
    xdg: str | None, home: str, expected: str | None
) -> None:
    from greeter.cache_dir import cache_folder

    found = cache_folder(xdg, home)
    assert (None if found is None else str(found)) == expected


#: A UID no passwd entry names, as OpenShift gives a container (the test picks one that is free).
_NO_PASSWD_UIDS = (54321, 54329, 61234)


def _uid_without_passwd_entry() -> int:
    for uid in _NO_PASSWD_UIDS:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
    pytest.skip("every candidate UID has a passwd entry here")


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder any UID may write (pytest's tmp_path is root's alone, 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="greeter-uid-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_uid_without_passwd_entry_and_no_home_makes_no_tilde_folder(
    make_project: MakeProject, open_folder: Path
) -> None:
    """The real thing: ``greeter check`` under ``env -i`` as a UID with no passwd entry left
    ``./~/.cache/greeter/templates/*.code`` and a holiday table in the working directory."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("changing to another UID needs root and setpriv")
    uid = _uid_without_passwd_entry()
    project = open_folder / "project"
    shutil.copytree(make_project(people(2)).parent, project)
    for path in [project, *project.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    done = subprocess.run(
        ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
         sys.executable, "-m", "greeter", "--config", "greeter.yaml", "check"],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)},  # no HOME
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: OK" in done.stdout
    assert not (project / "~").exists(), sorted(str(p) for p in (project / "~").rglob("*"))


# --- 2 and 4. /livez for liveness; "*" is every address -----------------------------------------


def test_livez_is_200_while_healthz_is_503_for_a_mail_outage(make_project: MakeProject) -> None:
    """A liveness probe on /healthz restarts the pod in a loop while the mail server is down."""
    config = make_project(people(2), **smtp(free_port()))  # nothing listens there: the server is down
    with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0") as daemon:
        assert daemon.wait_for("run")["delivery"] == "degraded"
        health, _ = http(daemon.url("/healthz"))
        live, body = http(daemon.url("/livez"))
        assert daemon.stop() == 0
    assert health == 503
    assert live == 200 and json.loads(body) == {"status": "alive"}


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize("where", ["http.host", "--listen"])
def test_a_star_host_listens_on_every_address_of_both_families(make_project: MakeProject, where: str) -> None:
    """``::`` is IPv6 only (asyncio sets IPV6_V6ONLY), so a kubelet's IPv4 probe could not
    connect; ``*`` had no meaning (``cannot resolve '*'``, exit 2)."""
    port = free_port()
    if where == "http.host":
        config = make_project(people(1), http={"enabled": True, "host": "*", "port": port})
        args: tuple[str, ...] = ("--now", NOW)
    else:
        config = make_project(people(1))
        args = ("--now", NOW, "--listen", f"*:{port}")
    with DaemonProcess(config, *args) as daemon:
        listening = daemon.wait_for("http_listening")
        v4 = http(f"http://127.0.0.1:{port}/livez")
        v6 = http(f"http://[::1]:{port}/livez") if _has_ipv6_loopback() else None
        assert daemon.stop() == 0
    assert (listening["host"], listening["port"]) == ("*", port)
    assert v4 == (200, '{"status": "alive"}')
    if v6 is None:
        pytest.skip("no IPv6 loopback here: the IPv4 half passed")
    assert v6 == (200, '{"status": "alive"}')


# --- 3. a password's line break, from a variable or a file --------------------------------------


@pytest.mark.parametrize("raw", ["s3cret\n", "s3cret\r\n", "s3cret", "  s3cret \n"])
def test_a_password_reads_the_same_from_a_variable_and_from_a_file(
    raw: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from greeter.secret_values import read_password, secret_text

    monkeypatch.setenv("GREETER_TEST_PW", raw)
    file = tmp_path / "pw"
    file.write_bytes(raw.encode())
    assert secret_text(raw) == "s3cret"
    assert read_password("GREETER_TEST_PW", None, "SMTP password") == "s3cret"
    assert read_password(None, file, "SMTP password") == "s3cret"
    # A signing key's variable stays as it is: links already sent were signed with its bytes.
    assert read_secret("GREETER_TEST_PW", None, "unsubscribe secret") == raw


@pytest.mark.parametrize("source", ["env", "file"])
def test_check_logs_in_with_a_password_that_ends_in_a_line_break(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str
) -> None:
    """A Kubernetes secret made with ``echo s3cret | base64`` puts ``s3cret\\n`` in the
    variable: the login was refused (535) while the same password from a file worked."""
    with SmtpSink(users={"greeter": "s3cret"}) as sink:
        changes = smtp(sink.port)
        changes["delivery"]["smtp"]["username"] = "greeter"
        if source == "env":
            monkeypatch.setenv("GREETER_TEST_SMTP_PW", "s3cret\n")
            changes["delivery"]["smtp"]["password_env"] = "GREETER_TEST_SMTP_PW"
        else:
            file = tmp_path / "smtp-password"
            file.write_text("s3cret\n", encoding="utf-8")
            file.chmod(0o600)
            changes["delivery"]["smtp"]["password_file"] = str(file)
        config = make_project(people(1), **changes)
        checked = greeter_process(config, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"mail server: 127.0.0.1:{sink.port}: OK (no TLS, logged in as greeter)" in checked.stdout


# --- 6. a run that recovers a dead daemon's letters in flight is a warning ---------------------


MSK = ZoneInfo("Europe/Moscow")


def test_a_run_that_recovers_a_dead_daemons_claims_logs_at_warning(make_project: MakeProject) -> None:
    """A replica killed mid-letter (SIGKILL: no shutdown) leaves its claims; once their lease has
    run out the next run of another daemon records them ``uncertain`` — an operator's decision —
    and said so with ``"recovered_uncertain": 1`` at info, where a SIGTERM's were a warning."""
    from greeter.journal_pg import PgJournal
    from greeter.journal_store import ClaimRequest
    from greeter.message import make_message_id

    with databases.pg_schema() as (url, schema), SmtpSink() as sink:
        changes: dict[str, Any] = smtp(sink.port)
        config = make_project(people(1), storage={"url": url}, schedule={"cron": "*/5 * * * *"}, **changes)
        with DaemonProcess(config, "--now", NOW, "--speed", "60") as daemon:
            first = daemon.wait_for("run")
            assert (first["sent"], first["recovered_uncertain"], first["level"]) == (1, 0, "info")
            # the dead replica's claim: a greeting of a contact this daemon does not plan
            key = ("dead-replica-1", "birthday", date(2027, 4, 13))
            moment = datetime(2027, 4, 14, 11, 0, tzinfo=MSK)
            with PgJournal.open(url, now=moment) as other:
                secret = other.message_key()
                assert secret is not None
                request = ClaimRequest(
                    key, "gone@example.com", make_message_id(key, "romashka.example", secret), moment
                )
                assert other.claim_many([request], now=moment) == [True]
            with databases.pg_admin() as conn:  # its lease ran out: the replica is gone
                conn.execute(
                    f"UPDATE {schema}.greetings SET lease_until = clock_timestamp() - interval '1 minute'"
                    " WHERE state = 'claimed'"
                )
            recovering = daemon.wait_for("run", lambda e: (e.get("recovered_uncertain") or 0) > 0)
            assert daemon.stop() == 0
    assert recovering["recovered_uncertain"] == 1
    assert recovering["level"] == "warning", recovering


# --- 7. unsubscribe.secret_file -----------------------------------------------------------------

URL = "https://greet.romashka.example/unsubscribe"


def _settings(unsubscribe: str) -> Settings:
    return parse_settings(MINIMAL + "unsubscribe:\n" + unsubscribe, "greeter.yaml", today=TODAY)


def test_the_unsubscribe_secret_may_come_from_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As ``delivery.smtp.password_file`` is to ``password_env``: a mounted secret, no variable."""
    from greeter.secret_values import unsubscribe_secret

    secret = tmp_path / "unsubscribe-secret"
    secret.write_text("K" * 44 + "\n", encoding="utf-8")
    settings = _settings(f"  url: {URL}\n  secret_file: {secret}\n").unsubscribe
    assert settings.secret_file == secret and settings.secret_env is None
    assert unsubscribe_secret(settings) == "K" * 44  # a file's line break is not part of it
    monkeypatch.setenv("GREETER_TEST_UNSUB", "E" * 44)
    from_env = _settings(f"  url: {URL}\n  secret_env: GREETER_TEST_UNSUB\n").unsubscribe
    assert unsubscribe_secret(from_env) == "E" * 44
    secret.write_text("\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"unsubscribe secret: the file {re.escape(str(secret))} is empty"):
        unsubscribe_secret(settings)


@pytest.mark.parametrize(
    ("section", "said"),
    [
        (
            f"  url: {URL}\n  secret_env: S\n  secret_file: /run/secrets/u\n",
            "unsubscribe.secret_file: set secret_env or secret_file, not both",
        ),
        (f"  url: {URL}\n", "an unsubscribe url needs secret_env or secret_file (the token signing key)"),
        ("  previous_secret_env: OLD\n", "previous_secret_env needs secret_env or secret_file"),
    ],
)
def test_the_unsubscribe_secret_is_one_of_the_variable_and_the_file(section: str, said: str) -> None:
    with pytest.raises(ConfigError) as raised:
        _settings(section)
    assert said in str(raised.value)


def test_previous_secrets_work_with_a_secret_file(tmp_path: Path) -> None:
    secret = tmp_path / "s"
    secret.write_text("K" * 44, encoding="utf-8")
    settings = _settings(f"  url: {URL}\n  secret_file: {secret}\n  previous_secret_env: OLD\n")
    assert settings.unsubscribe.previous_secret_env == ["OLD"]


# --- 8. logs on stderr, and what can be checked of the Containerfile without an engine ---------


def test_the_daemons_logs_go_to_stderr_and_stdout_stays_empty(make_project: MakeProject) -> None:
    """What the README's "Running in a container" promises a log collector."""
    config = make_project(people(1))
    proc = subprocess.Popen(
        [sys.executable, "-m", "greeter", "--config", str(config), "run", "--log-format", "json",
         "--now", NOW, "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=config.parent,
    )  # fmt: skip
    assert proc.stderr is not None and proc.stdout is not None
    lines: list[dict[str, Any]] = []
    try:
        for line in proc.stderr:
            lines.append(json.loads(line))
            if lines[-1]["event"] == "run":
                break
        proc.send_signal(signal.SIGTERM)
        # stdout is read after stderr's end: nothing is written to it, so its pipe cannot fill
        lines.extend(json.loads(line) for line in proc.stderr)
        out = proc.stdout.read()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == 0
    assert out == ""
    events = [e["event"] for e in lines]
    assert "started" in events and "run" in events and events[-1] == "stopped", events


def _instructions() -> dict[str, list[str]]:
    """The Containerfile's instructions by keyword (continuation lines joined, comments out)."""
    found: dict[str, list[str]] = {}
    logical = ""
    for line in CONTAINERFILE.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#") and not logical:
            continue
        logical += line.rstrip("\\").strip() + " "
        if line.endswith("\\"):
            continue
        keyword, _, rest = logical.strip().partition(" ")
        if keyword:
            found.setdefault(keyword.upper(), []).append(rest.strip())
        logical = ""
    return found


def test_the_containerfile_runs_options_the_cli_has_as_a_non_root_user_on_the_default_port() -> None:
    """No container engine on the machine this was written on: the image was never built. What the
    file says that can be checked against greeter itself is checked here."""
    from greeter.cli import main

    text = CONTAINERFILE.read_text(encoding="utf-8")
    assert "no container engine" in text.split("FROM", 1)[0]  # says it was not built
    found = _instructions()
    assert found["FROM"] == ["python:3.11-slim"]
    assert json.loads(found["ENTRYPOINT"][-1]) == ["greeter"]
    cmd = json.loads(found["CMD"][-1])
    assert cmd[0] == "run"
    runner = CliRunner()
    helped = runner.invoke(main, [*cmd[:1], "--help"])
    assert helped.exit_code == 0, helped.output
    for option in (word for word in cmd if word.startswith("--")):
        assert re.search(rf"^\s+{re.escape(option)}\b", helped.output, re.M), option
    log_format = cmd[cmd.index("--log-format") + 1]
    assert re.search(rf"--log-format \[[^\]]*\b{log_format}\b", helped.output)
    [exposed] = found["EXPOSE"]
    assert int(exposed) == Http().port == 8025
    [user] = found["USER"]
    assert user.split(":")[0] not in ("root", "0") and int(user.split(":")[0]) >= 1000
    assert found["STOPSIGNAL"] == ["SIGTERM"]
    env = " ".join(found["ENV"])
    assert "XDG_CACHE_HOME=/cache" in env and "PYTHONUNBUFFERED=1" in env
    assert found["WORKDIR"][-1] == "/var/lib/greeter"
    assert any("pip install --no-cache-dir ." in run for run in found["RUN"])


def test_the_containerfile_advises_the_probes_the_operations_guide_does() -> None:
    """It advised readiness on /healthz, which is 503 during a mail outage and took the pod — and
    the one-click unsubscribe page its Service carries — out of service; docs/operations.md says
    to probe /livez. A comment is all the image has of probes: it must say what the guide says."""
    said = " ".join(
        line.lstrip("# ").strip() for line in CONTAINERFILE.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    )  # fmt: skip
    assert "liveness and readiness GET /livez" in said
    assert not re.search(r"readiness GET /healthz", said)
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "probe `/livez`" in guide
