"""The documented deployment (deploy/greeter.service, README) works as written; files are private.

The install steps are taken from the unit's own comments and run in a temporary tree
standing in for ``/`` (only the steps that need a real system — the user, the venv,
systemctl — are left out), then the daemon is started as the unit starts it: its
``Environment=``, its working directory, no ``--config``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from greeter.config_loader import load_settings
from greeter.file_modes import GROUP_FILE_MODE
from greeter.journal import Journal
from greeter.journal_schema import JOURNAL_FILE_MODE
from greeter.transport import EML_FILE_MODE
from tests.conftest import MakeProject, file_mode, umask
from tests.daemon_harness import DaemonProcess, http
from tests.manual import manual_text
from tests.test_journal_outages import greeter_read_only
from tests.test_send_e2e import NOW, greeter_process, people

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "deploy" / "greeter.service"


def _unit_settings(key: str) -> list[str]:
    """The values of ``key=`` lines of the unit's sections (comments ignored)."""
    return [line.split("=", 1)[1] for line in UNIT.read_text().splitlines() if line.startswith(f"{key}=")]


def _install_steps() -> list[str]:
    """The shell lines of the unit's install comment (``#   command``), up to the first blank comment."""
    steps: list[str] = []
    for line in UNIT.read_text().splitlines()[2:]:
        if line.strip() == "#":
            break
        steps.append(line.removeprefix("#").strip())
    return steps


def test_unit_env_file_names_the_variables_the_config_names() -> None:
    """greeter.env's documented variables are the ones config.example.yaml names (not SMTP_PASSWORD)."""
    documented = set(re.findall(r"^#\s+([A-Z_]+)=", UNIT.read_text(), re.MULTILINE))
    example = (ROOT / "config.example.yaml").read_text()
    named = set(re.findall(r"(?:password_env|secret_env):\s*([A-Z_]+)", example))
    assert "GREETER_SMTP_PASSWORD" in named
    assert named <= documented, f"the unit documents {documented}, the config names {named}"
    assert "SMTP_PASSWORD" not in documented


def test_install_steps_make_the_venv_and_the_documentation_the_unit_names() -> None:
    steps = "\n".join(_install_steps())
    exec_start = _unit_settings("ExecStart")[0].split()[0]
    venv = exec_start.removesuffix("/bin/greeter")
    assert re.search(rf"python3 -m venv {re.escape(venv)}\b.*{re.escape(venv)}/bin/pip install \.", steps)
    doc = _unit_settings("Documentation")[0].removeprefix("file://")
    assert re.search(rf"install .*README\.md {re.escape(doc)}$", steps, re.MULTILINE)


def test_readme_health_check_is_the_port_the_deployed_config_listens_on(tmp_path: Path) -> None:
    settings = load_settings(_deployed_config(tmp_path), today=date(2026, 12, 2))
    assert settings.http.enabled
    assert f"curl -s {settings.http.host}:{settings.http.port}/healthz" in manual_text()  # docs/operations.md
    state = tmp_path / "var/lib/greeter"
    assert settings.storage.url == f"sqlite:///{state}/journal.sqlite3"
    assert settings.delivery.outbox == state / "outbox"


def _deployed_config(root: Path) -> Path:
    """Run the unit's file-making install steps with ``/`` at ``root``; the greeter.yaml they made."""
    skipped = ("useradd", "python3 -m venv", "systemctl", "cp deploy/greeter.service")
    for step in _install_steps():
        if step.startswith(skipped) or not step:
            continue
        step = re.sub(r" -o greeter -g greeter", "", step)  # no such user here
        step = re.sub(r"(?<![\w.])/(etc|var|usr)/", rf"{root}/\1/", step)
        subprocess.run(["bash", "-euc", step], cwd=ROOT, check=True)
    config = root / "etc/greeter/greeter.yaml"
    # The sed script writes the real absolute paths; point them into the temporary tree.
    config.write_text(config.read_text().replace("/var/lib/greeter", f"{root}/var/lib/greeter"))
    return config


class _UnitDaemon(DaemonProcess):
    """``greeter run`` started as deploy/greeter.service starts it (no ``--config``: GREETER_CONFIG)."""

    def __init__(self, root: Path, env: dict[str, str], cwd: Path) -> None:
        super().__init__(root / "etc/greeter/greeter.yaml", env=env)
        self.cwd = cwd

    def start(self) -> _UnitDaemon:
        args = _unit_settings("ExecStart")[0].split()[1:]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "greeter", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.env,
            cwd=self.cwd,
        )

        threading.Thread(target=self._read, daemon=True).start()
        return self


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_the_documented_install_starts_the_daemon_writing_only_its_state_folder(tmp_path: Path) -> None:
    """Steps 1b-1e: the config the steps make runs from /var/lib/greeter, with /healthz on."""
    config = _deployed_config(tmp_path)
    assert (tmp_path / "usr/share/doc/greeter/README.md").is_file()  # Documentation= resolves
    # Another test's daemon may hold 8025: any free port, the rest as deployed.
    config.write_text(re.sub(r"^  port: \d+", "  port: 0", config.read_text(), flags=re.MULTILINE))
    state = tmp_path / "var/lib/greeter"
    env = {}
    for value in _unit_settings("Environment"):
        name, _, setting = value.partition("=")
        env[name] = re.sub(r"^/(etc|var)/", rf"{tmp_path}/\1/", setting)
    assert env["GREETER_CONFIG"] == str(config)
    (tmp_path / "var/cache").mkdir(parents=True, exist_ok=True)  # CacheDirectory=
    working_dir = Path(re.sub(r"^/var/", f"{tmp_path}/var/", _unit_settings("WorkingDirectory")[0]))
    assert working_dir == state
    etc_before = _tree(tmp_path / "etc")
    check = subprocess.run(
        [sys.executable, "-m", "greeter", "check"],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        cwd=working_dir,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    with _UnitDaemon(tmp_path, env, working_dir) as daemon:
        status, body = http(daemon.url("/healthz"))
        assert status == 200, body
        assert json.loads(body)["status"] == "ok"
        assert daemon.stop(signal.SIGTERM) == 0
    assert (state / "journal.sqlite3").is_file()
    assert _tree(tmp_path / "etc") == etc_before  # /etc/greeter is read-only under ProtectSystem=strict


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    unit = tmp_path / "greeter.service"
    # verify wants ExecStart's program to exist; any executable stands in for the venv's.
    unit.write_text(UNIT.read_text().replace("/opt/greeter/venv/bin/greeter", sys.executable))
    done = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


# --- 2. check fails a journal that run could not create ----------------------------------------


@pytest.mark.parametrize("where", ["data/journal.sqlite3", "data/new/journal.sqlite3"])
def test_check_fails_a_journal_run_cannot_create_on_a_read_only_mount(
    make_project: MakeProject, where: str
) -> None:
    """It said "no journal yet (the first send creates it)", OK; then run exited 2 on that very journal."""
    config = make_project(people(2), storage={"url": f"sqlite:///{where}"}, delivery={"outbox": "outbox"})
    data = config.parent / "data"
    checked = greeter_read_only(data, config, "check")
    assert checked.returncode != 0, checked.stdout + checked.stderr
    said = f"cannot open journal {config.parent / where}: unable to open database file"
    assert f"{said} (its file system is mounted read-only)" in checked.stdout + checked.stderr
    assert "no journal yet" not in checked.stdout
    refused = greeter_read_only(data, config, "send", "--once", "--now", NOW)
    assert refused.returncode == 2
    # the same words when SQLite makes the file; mkdir's own when the folder is missing too
    assert refused.stderr.startswith(f"cannot open journal {config.parent / where}: ")
    assert refused.stderr.rstrip().endswith("(its file system is mounted read-only)")
    if where == "data/journal.sqlite3":
        assert said in refused.stderr
    assert not (config.parent / where).exists()


def test_check_still_passes_a_journal_the_first_send_will_create(make_project: MakeProject) -> None:
    config = make_project(people(2), storage={"url": "sqlite:///data/new/journal.sqlite3"})
    checked = greeter_process(config, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    where = (config.parent / "data/new/journal.sqlite3").absolute()
    assert f"no journal yet at {where} (the first send creates it)" in checked.stdout
    assert not (config.parent / "data/new").exists()  # check makes nothing


# --- 3. the journal and the letters are not readable by every user -----------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that takes nothing away (a shell's 000): the modes must not come from it."""
    with umask(0):
        yield


@pytest.mark.usefixtures("open_umask")
def test_a_new_sqlite_journal_and_its_wal_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "state" / "journal.sqlite3"
    moment = datetime(2027, 4, 13, 9, 0, tzinfo=UTC)
    with Journal.open(f"sqlite:///{path}", now=moment) as journal:
        journal.suppress(["a@example.com"], "manual", moment)  # writes: the -wal and -shm exist
        made = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert {p.name: file_mode(p) for p in made} == {p.name: JOURNAL_FILE_MODE for p in made}
    assert JOURNAL_FILE_MODE == 0o600


@pytest.mark.usefixtures("open_umask")
def test_an_existing_journal_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    moment = datetime(2027, 4, 13, 9, 0, tzinfo=UTC)
    Journal.open(str(path), now=moment).close()
    path.chmod(0o640)  # an operator's choice (a reading group) is not undone at each start
    Journal.open(str(path), now=moment).close()
    assert file_mode(path) == 0o640


@pytest.mark.usefixtures("open_umask")
def test_eml_letters_are_not_readable_by_every_user(make_project: MakeProject) -> None:
    config = make_project(people(3))
    sent = greeter_process(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    letters = list((config.parent / "data" / "outbox").glob("*.eml"))
    assert letters
    assert {file_mode(p) for p in letters} == {EML_FILE_MODE} == {0o640}
    assert file_mode(config.parent / "data" / "journal.sqlite3") == 0o600


@pytest.mark.usefixtures("open_umask")
@pytest.mark.parametrize("form", ["html", "eml"])
def test_preview_pages_and_drafts_are_not_readable_by_every_user(
    make_project: MakeProject, form: str
) -> None:
    """Names, addresses, ages in every page and draft: 0640 like the outbox's letters, whatever the umask."""
    config = make_project(people(3))
    out = config.parent / "review"
    window = ("--from", "2027-04-13", "--days", "3", "--now", NOW)
    done = greeter_process(config, "preview", *window, "--format", form, "--out", str(out))
    assert done.returncode == 0, done.stderr
    written = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len([p for p in written if p.suffix == f".{form}"]) >= 3, written
    assert {p.relative_to(out).as_posix(): file_mode(p) for p in written} == {
        p.relative_to(out).as_posix(): GROUP_FILE_MODE for p in written
    }
    assert GROUP_FILE_MODE == EML_FILE_MODE == 0o640


@pytest.mark.usefixtures("open_umask")
def test_a_calendar_export_is_not_readable_by_every_user(make_project: MakeProject) -> None:
    """Names and ages of the clients greeted: 0640, and an older export's looser mode tightened too."""
    config = make_project(people(2))
    out = config.parent / "greetings.ics"
    out.write_text("an older export\n", encoding="utf-8")
    out.chmod(0o666)
    done = greeter_process(
        config, "calendar", "--from", "2027-04-13", "--days", "3", "-o", str(out), "--now", NOW
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR") and file_mode(out) == GROUP_FILE_MODE


def test_a_calendar_to_a_device_is_written_as_it_is(make_project: MakeProject) -> None:
    """``-o /dev/null`` (or a FIFO): written to, never chmod-ed (its mode is not greeter's to change)."""
    config = make_project(people(1))
    done = greeter_process(config, "calendar", "--days", "3", "-o", os.devnull, "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(os.stat(os.devnull).st_mode) == 0o666


# --- 4. a read-only journal at start: exit 2, which the unit does not restart ------------------


def test_run_on_a_read_only_journal_exits_2_which_the_unit_does_not_restart(
    make_project: MakeProject,
) -> None:
    """Unlike a full disk (75, restarted): a person must fix the mount; the cannot_start line says so."""
    config = make_project(people(2), delivery={"outbox": "outbox"})
    assert (
        greeter_process(config, "send", "--once", "--dry-run", "--now", NOW).returncode == 0
    )  # the journal exists
    started = greeter_read_only(config.parent / "data", config, "run", "--log-format", "json", "--now", NOW)
    assert started.returncode == 2, started.stdout + started.stderr
    (line,) = [json.loads(x) for x in started.stderr.splitlines() if '"cannot_start"' in x]
    assert line["exit_code"] == 2
    assert "its file system is mounted read-only" in json.dumps(line)
    assert "2" in _unit_settings("RestartPreventExitStatus")[0].split()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_unit_is_one_systemd_reads_without_complaint_but_the_missing_install(tmp_path: Path) -> None:
    """Every directive of the shipped unit (its hardening included) is one systemd knows."""
    unit = tmp_path / "greeter.service"
    shutil.copy(UNIT, unit)
    found = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    lines = [line for line in (found.stdout + found.stderr).splitlines() if line.strip()]
    assert [line for line in lines if "/opt/greeter/venv/bin/greeter is not executable" not in line] == []


def test_the_unit_drops_every_capability_and_filters_system_calls() -> None:
    """What ``systemd-analyze security`` asks of a network service that binds no privileged port."""
    text = UNIT.read_text(encoding="utf-8")
    settings = dict(re.findall(r"^(\w+)=(.*)$", text, re.M))
    assert settings["CapabilityBoundingSet"] == "" and settings["AmbientCapabilities"] == ""
    assert (
        settings["SystemCallFilter"] == "@system-service" and settings["SystemCallArchitectures"] == "native"
    )
    for flag in ("RestrictNamespaces", "RestrictSUIDSGID", "RestrictRealtime", "ProtectKernelModules",
                 "ProtectKernelLogs", "ProtectClock", "ProtectHostname", "NoNewPrivileges"):  # fmt: skip
        assert settings[flag] == "yes", flag
