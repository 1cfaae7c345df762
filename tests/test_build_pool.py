"""Letters rendered and built in forked worker processes (greeter.build_pool).

The pool must be invisible in the result: the same bytes on the wire as an
in-process build, render errors still counted and named, and a ``kill -9``
of the sender leaves neither workers nor a held journal lock behind.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from greeter.build_pool import CHUNK, FIRST_CHUNK, MIN_LETTERS, _chunks, can_fork, worker_count
from greeter.journal import Journal
from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import LATER, NOW, greeter_process, history, people, send_in_background, smtp


@pytest.mark.parametrize(
    ("setting", "letters", "cpus", "expected"),
    [
        (0, 100_000, 8, 0),  # 0: the pool is off
        (None, MIN_LETTERS - 1, 8, 0),  # too few letters to be worth a fork
        (None, MIN_LETTERS, 8, 7),  # unset: one per CPU, but one CPU is the sender's
        (None, MIN_LETTERS, 2, 1),
        (None, MIN_LETTERS, 1, 0),  # one CPU: nothing to gain
        (1, 10_000, 1, 1),  # an explicit count wins over the CPUs
        (3, 10_000, 8, 3),
        (64, MIN_LETTERS, 2, MIN_LETTERS // CHUNK),  # never more workers than chunks
    ],
)
def test_worker_count(
    setting: int | None, letters: int, cpus: int, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert worker_count(setting, letters) == expected


@pytest.mark.parametrize("total", [1, FIRST_CHUNK, FIRST_CHUNK + 1, 100, MIN_LETTERS, 2000])
def test_the_first_task_is_small_and_the_next_ones_grow_to_a_chunk(total: int) -> None:
    """The sender waits for the first task's letters before its first one leaves: 4 letters, not
    32; then twice as many each time, up to CHUNK. Every letter once, in order."""
    ranges = list(_chunks(total))
    assert [i for start, stop in ranges for i in range(start, stop)] == list(range(total))
    sizes = [stop - start for start, stop in ranges]
    assert sizes[0] == min(FIRST_CHUNK, total)
    full = sizes[:-1]  # the last one takes what is left
    assert full == [min(FIRST_CHUNK * 2**n, CHUNK) for n in range(len(full))]
    if total == 100:
        assert ranges == [(0, 4), (4, 12), (12, 28), (28, 60), (60, 92), (92, 100)]


def test_no_fork_while_other_threads_run() -> None:
    """The daemon runs scheduler threads: it builds in-process rather than fork them mid-lock."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not can_fork()
    finally:
        release.set()
        other.join()


def _send(config: Path) -> subprocess.CompletedProcess[str]:
    result = greeter_process(config, "send", "--once", "--now", NOW)
    assert result.returncode in (0, 1), result.stderr
    return result


def _languages(n: int) -> list[str]:
    """People writing in six languages; every third one's company founded on the same day (its
    anniversary merged into the birthday letter, or a letter of its own): several templates and
    locales, each compiled and tried once in the sending process before the fork (Deliverer.warm)."""
    rows = []
    for fields in (row.split(";") for row in people(n)):
        fields[8] = ("ru", "en", "de", "sr_Latn_RS", "hu", "et")[int(fields[0]) % 6]
        if int(fields[0]) % 3 == 0:
            fields[12] = "13.04.2017"
        rows.append(";".join(fields))
    return rows


@pytest.mark.parametrize("contacts", [people, _languages], ids=["russian", "six_languages"])
def test_workers_build_byte_identical_letters(
    make_project: MakeProject, tmp_path: Path, contacts: Callable[[int], list[str]]
) -> None:
    n = MIN_LETTERS + 50
    received: dict[int, list[bytes]] = {}
    # One empty journal for both runs, so both key the Message-IDs (and the boundaries) alike.
    empty = tmp_path / "empty.sqlite3"
    with Journal.open(str(empty), now=datetime.now(UTC)) as journal:
        assert journal.message_key() is not None
    for processes in (0, 2):
        with SmtpSink() as sink:
            project = tmp_path / f"p{processes}"
            project.mkdir()
            config = _project_in(project, make_project, contacts(n), sink.port, processes)
            shutil.copyfile(empty, project / "data" / "journal.sqlite3")
            assert _send(config).returncode == 0
            received[processes] = sorted(_undated(m.data) for m in sink.messages)
    assert len(received[2]) >= n
    assert received[2] == received[0], "forked workers must build exactly what the sender builds"


def _undated(data: bytes) -> bytes:
    """A letter without its Date header: each is dated when it is built (greeter.delivery's clock),
    so two runs' letters differ there by the seconds between them, and only there."""
    undated, found = re.subn(rb"\r\nDate: [^\r]+\r\n", b"\r\n", data, count=1)
    assert found == 1, data[:500]
    return undated


@pytest.mark.parametrize("failing", [8, 1])
def test_a_letter_failing_in_a_worker_is_counted_and_named(make_project: MakeProject, failing: int) -> None:
    """Counted once, also when it is the first letter: the one the sending process tries before the fork."""
    rows = people(MIN_LETTERS)
    rows[failing - 1] = contact_row(
        str(failing), f"client{failing}@example.com", first="Ошибка", birthday="13.04.1980"
    )
    with SmtpSink() as sink:
        config = make_project(rows, **_with_processes(smtp(sink.port), 2))
        template = config.parent / "templates" / "birthday.j2"
        text = template.read_text(encoding="utf-8")
        template.write_text(
            text.replace("{% block subject %}", '{% block subject %}{% if contact.first_name == "Ошибка" %}{{ 1 / 0 }}{% endif %}', 1),
            encoding="utf-8",
        )  # fmt: skip
        result = _send(config)
        assert result.returncode == 1
        assert f"sent: {MIN_LETTERS - 1}" in result.stdout and "render_error: 1" in result.stdout
        assert "ZeroDivisionError" in result.stdout + result.stderr
        assert f"{failing} birthday" in result.stdout + result.stderr
        assert len(sink.messages) == MIN_LETTERS - 1


def test_kill_9_of_the_sender_leaves_no_workers_and_no_lock(make_project: MakeProject) -> None:
    n = 1500
    with SmtpSink() as sink:
        sink.delay(0.003)
        config = make_project(people(n), **_with_processes(smtp(sink.port, pool_size=2), 2))
        proc = send_in_background(config, sink, until_received=50)
        workers = _children(proc.pid)
        assert proc.poll() is None and len(workers) == 2, "the batch should be under way with 2 workers"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers), "build workers outlived their sender"
        rerun = greeter_process(config, "send", "--once", "--now", LATER, timeout=300)
        assert "another greeter is already sending" not in rerun.stderr
        assert rerun.returncode in (0, 1), rerun.stderr
        ids = sink.message_ids()
        assert len(ids) == len(set(ids)), "a greeting was delivered twice"
    states = [r["state"] for r in history(config)]
    assert states.count("sent") + states.count("uncertain") == n
    assert states.count("uncertain") <= 2  # the pool's in-flight letters


def _with_processes(changes: dict[str, dict[str, object]], processes: int) -> dict[str, dict[str, object]]:
    changes["delivery"]["build_processes"] = processes
    return changes


def _project_in(folder: Path, make_project: MakeProject, rows: list[str], port: int, processes: int) -> Path:
    """A project in ``folder`` (make_project writes into the test's one tmp_path, so move it)."""
    config = make_project(rows, **_with_processes(smtp(port), processes))
    for name in ("templates", "data", "greeter.yaml"):
        (config.parent / name).rename(folder / name)
    return folder / "greeter.yaml"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
