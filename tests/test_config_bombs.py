"""A config that would take the machine down is refused quickly, at its line (exit 2).

The threat: whoever edits the YAML (a marketer) has no shell, but the daemon
reloads the file on SIGHUP. Two ways a few bytes of config did harm:

* an alias bomb ("billion laughs"): nine aliases of nine aliases … seven deep,
  under unknown top-level keys, 341 bytes: ``check`` took 20 s and 175 MB
  before saying "unknown key", ten deep never finished;
* a path setting naming no file: ``contacts.path: /dev/zero`` (or a calendar)
  was read whole until MemoryError ("internal error", exit 3), a named pipe
  blocked ``check`` forever.

The command-line tests run ``greeter check`` in a subprocess with a timeout
and a memory limit, so that on a greeter without the fix they fail instead of
hanging or filling the machine's memory.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from greeter.config_loader import load_settings, parse_settings
from greeter.errors import ConfigError
from greeter.ics_days import read_days_off
from tests.conftest import TODAY, MakeProject, contact_row
from tests.test_config import MINIMAL

#: A second is plenty for a refused config; the bomb took 20 s and a pipe forever without the fix.
TIMEOUT = 15
#: Address space for ``check``: far above what it needs, far below what /dev/zero read whole takes.
MEMORY = 2 * 2**30


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def check(config: Path) -> subprocess.CompletedProcess[str]:
    """``greeter check`` on ``config``; a timeout fails the test rather than hanging it."""
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2027-01-10T10:00"],
        capture_output=True, text=True, check=False, timeout=TIMEOUT, preexec_fn=_limited,
    )  # fmt: skip


def bomb(depth: int) -> str:
    """Nine aliases of nine aliases, ``depth`` levels, under keys no config has: ``lol7: &l7 [*l6, …]``."""
    lines = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


def line_of(config: Path, pattern: str) -> int:
    """The 1-based line of ``config`` that ``pattern`` matches first."""
    lines = config.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if re.search(pattern, text))


def test_an_alias_bomb_is_refused_at_the_alias_in_a_moment(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com")])
    with config.open("a", encoding="utf-8") as fh:
        fh.write(bomb(7))
    result = check(config)
    assert result.returncode == 2, result.stderr
    # *l3 is the alias past the bound: l3 holds 7,381 values, and the aliases above it repeat 8,208.
    line = line_of(config, r"^lol4:")
    assert f"{config}:{line}:12: YAML aliases: the alias *l3 brings what aliases repeat to more than " in (
        result.stderr
    )
    assert "internal error" not in result.stderr and "unknown key" not in result.stderr


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(MINIMAL + "tags: &t [vip, *t]\n", "greeter.yaml", today=TODAY)
    (problem,) = info.value.problems
    assert str(problem) == (
        "greeter.yaml:17:16: YAML aliases: the alias *t is inside its own anchor &t, so it repeats forever"
    )


def test_a_few_aliases_as_people_use_them_still_work() -> None:
    """An audience written once, reused as it is and merged (``<<:``) with one more condition."""
    text = MINIMAL.replace(
        "    template: birthday\n",
        "    template: birthday\n"
        "    audience: &russia {countries: [RU, BY], tiers: [VIP]}\n"
        "  - {name: new_year, on: [2027-01-01], template: new_year, audience: *russia}\n"
        "  - name: march_8\n"
        "    on: [2027-03-08]\n"
        "    template: march_8\n"
        "    audience: {<<: *russia, genders: [female]}\n",
    )
    settings = parse_settings(text, "greeter.yaml", today=TODAY)
    birthday, new_year, march_8 = (o.audience for o in settings.occasions)
    assert birthday == new_year and birthday.countries == ["RU", "BY"] and birthday.tiers == ["VIP"]
    assert (march_8.countries, march_8.tiers, march_8.genders) == (["RU", "BY"], ["VIP"], ["female"])


def test_aliases_repeating_up_to_the_bound_are_read() -> None:
    """The bound is on what aliases repeat, not on the file: a list of 9,999 values repeated once is read."""
    items = ", ".join(["vip"] * 9_998)
    text = MINIMAL + f"lots: &t [{items}]\n"
    with pytest.raises(ConfigError) as info:
        parse_settings(text + "again: *t\n", "greeter.yaml", today=TODAY)
    assert [p.field for p in info.value.problems] == ["lots", "again"]  # unknown keys: read, then refused
    with pytest.raises(ConfigError) as info:
        parse_settings(text + "again: *t\nonce_more: *t\n", "greeter.yaml", today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        "greeter.yaml:19:12: YAML aliases: the alias *t brings what aliases repeat to more than 10,000 values "
        "(aliases of aliases multiply): write the settings out, or use fewer aliases"
    ]


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "contacts.pipe"
    os.mkfifo(path)
    yield path


def test_a_named_pipe_as_the_contacts_file_is_a_config_error_not_a_hang(
    make_project: MakeProject, fifo: Path
) -> None:
    config = make_project([contact_row("1", "a@example.com")], contacts={"path": str(fifo)})
    result = check(config)
    assert result.returncode == 2, result.stderr
    line = line_of(config, r"^  path:")
    assert (
        f"{config}:{line}:3: contacts.path: {fifo} is a named pipe (FIFO), not a file: "
        "name the contacts file (CSV or XLSX)"
    ) in result.stderr


def test_dev_zero_as_the_contacts_file_is_a_config_error_not_an_internal_error(
    make_project: MakeProject,
) -> None:
    config = make_project([contact_row("1", "a@example.com")], contacts={"path": "/dev/zero"})
    result = check(config)
    assert result.returncode == 2, result.stderr
    assert "contacts.path: /dev/zero is a device, not a file" in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("setting", "field"),
    [
        ("send_window:\n  days_off_ics: {path}\n", "send_window.days_off_ics"),
        (
            "delivery:\n  dkim: {{domain: shop.example, selector: s1, key_file: {path}}}\n",
            "delivery.dkim.key_file",
        ),
    ],
)
def test_every_file_setting_refuses_a_device_a_pipe_and_a_folder(
    tmp_path: Path, fifo: Path, setting: str, field: str
) -> None:
    (tmp_path / "contacts.csv").write_text("Email\n", encoding="utf-8")
    for path, kind in (
        (Path("/dev/zero"), "a device"),
        (fifo, "a named pipe (FIFO)"),
        (tmp_path, "a folder"),
    ):
        config = tmp_path / "greeter.yaml"
        config.write_text(MINIMAL + setting.format(path=path), encoding="utf-8")
        with pytest.raises(ConfigError) as info:
            load_settings(config, today=TODAY)
        (problem,) = info.value.problems
        assert (problem.file, problem.field, problem.line) == (str(config), field, 18)
        assert problem.message.startswith(f"{path} is {kind}, not a file: name ")


def test_an_occasions_calendar_that_is_a_device_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "contacts.csv").write_text("Email\n", encoding="utf-8")
    config = tmp_path / "greeter.yaml"
    config.write_text(
        MINIMAL.replace(
            "    template: birthday\n",
            "    template: birthday\n  - name: corp\n    ics: /dev/zero\n    template: corp\n",
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_settings(config, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{config}:13:5: occasions.1.ics: /dev/zero is a device, not a file: name an .ics calendar file"
    ]


def test_reading_a_calendar_that_is_a_pipe_refuses_it_without_opening_it(fifo: Path) -> None:
    """Read after the config was loaded (the daemon each run): a pipe there must not block."""

    def stuck(_signum: int, _frame: object) -> None:
        raise TimeoutError("read_days_off blocked on the pipe")

    before = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(TIMEOUT)
    try:
        with pytest.raises(ConfigError) as info:
            read_days_off(fifo, [2027])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert [str(p) for p in info.value.problems] == [
        f"{fifo}: send_window.days_off_ics: {fifo} is a named pipe (FIFO), not a file"
    ]


def test_a_calendar_file_past_the_cap_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "corp.ics"
    with huge.open("wb") as fh:  # sparse: no disk used
        fh.write(b"BEGIN:VCALENDAR\r\n")
        fh.truncate(16 * 2**20 + 1)  # greeter.ics_days.MAX_ICS_BYTES + 1
    with pytest.raises(ConfigError) as info:
        read_days_off(huge, [2027])
    assert [str(p) for p in info.value.problems] == [
        f"{huge}: send_window.days_off_ics: the calendar file is larger than 16 MB: export only the days off"
    ]


def test_sighup_with_a_bomb_or_a_pipe_keeps_the_old_config_at_once(
    make_project: MakeProject, fifo: Path
) -> None:
    """The daemon reloading such a config refuses it within seconds and keeps serving."""
    from greeter.testing import SmtpSink
    from tests.daemon_harness import DaemonProcess, http
    from tests.test_daemon import run_args
    from tests.test_send_e2e import people, smtp

    with SmtpSink() as sink:
        config = make_project(people(1), **smtp(sink.port))
        good = config.read_text(encoding="utf-8")
        with DaemonProcess(config, *run_args()) as daemon:
            daemon.wait_for("run")
            config.write_text(good + bomb(7), encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            failed = daemon.wait_for("reload_failed_keeping_old_config", timeout=TIMEOUT)
            assert "YAML aliases: the alias *l3 brings" in " ".join(failed["problems"])
            config.write_text(good.replace("path: data/contacts.csv", f"path: {fifo}"), encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            failed = daemon.wait_for(
                "reload_failed_keeping_old_config", lambda e: "contacts.path" in str(e), timeout=TIMEOUT
            )
            assert f"contacts.path: {fifo} is a named pipe (FIFO), not a file" in " ".join(failed["problems"])
            assert http(daemon.url("/healthz"))[0] == 200  # still serving, on the old config
            assert daemon.stop() == 0
