"""Outputs that grow with the contacts are written as they are made, never held whole.

An operator's 150,000 contacts: ``calendar --days 30`` held 158,000 events
in one icalendar ``Calendar`` and its serialised copy (1.9 GB), ``preview``
held a rich table of every row and every rendered line (1.5 GB), and
``history`` could only print its 54,000 greetings all at once. The calendar
is now written event by event, through a temporary file renamed over the last
one only when complete; the preview's rows wait on disk and are printed as
tables of :data:`~greeter.history_view.TABLE_CHUNK` rows; ``history --limit N``
shows the latest N. Real files, real processes, an independent iCalendar parser.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from greeter.contacts import Contact
from greeter.file_modes import narrowed
from greeter.history_view import TABLE_CHUNK
from greeter.ics_export import calendar_chunks, event_uid
from greeter.out_file import replacing
from greeter.plan_types import Hit, PlanItem
from tests.conftest import MakeProject, contact_row
from tests.tables import misaligned, table_rows
from tests.test_send_e2e import NOW, greeter_process, history

MSK = ZoneInfo("Europe/Moscow")
EXPORTED = datetime(2026, 12, 2, 9, 0, tzinfo=MSK)


def _write_replacing(output: Path, chunks: Iterator[bytes]) -> None:
    """What ``calendar -o`` does with its pieces (greeter.out_file.replacing, where the write
    moved from cli_review when history and suppress --list came to use it too)."""
    with replacing(output) as fh:
        for chunk in chunks:
            fh.write(chunk)


def letter(n: int) -> PlanItem:
    """The birthday letter of contact ``n``, leaving on the n-th day of 2027 at 11:00 Moscow time."""
    contact = Contact(id=str(1000 + n), email=f"c{n}@example.com", first_name="Иван", last_name=f"Иванов{n}")
    day = date(2027, 1, 1) + timedelta(days=n)
    hit = Hit(contact, "birthday", day, 30 + n, 100, "birthday")
    return PlanItem(hit, "send", send_at=datetime.combine(day, datetime.min.time(), MSK).replace(hour=11))


def chunks(items: Iterator[PlanItem]) -> Iterator[bytes]:
    return calendar_chunks(items, now=EXPORTED, domain="romashka.example", name="t", yearly={"birthday"})


def test_the_calendar_is_made_event_by_event_and_reads_as_one_calendar() -> None:
    made: list[bytes] = []
    asked: list[int] = []

    def letters() -> Iterator[PlanItem]:
        for n in range(5):
            # Each letter is asked for only once every earlier one is an event already out.
            asked.append(sum(chunk.startswith(b"BEGIN:VEVENT") for chunk in made))
            yield letter(n)
            if n == 2:  # a skip between letters is no event
                yield PlanItem(letter(9).hit, "skip", reason="frequency_cap")

    for chunk in chunks(letters()):
        made.append(chunk)
    assert asked == [0, 1, 2, 3, 4]
    assert made[0].startswith(b"BEGIN:VCALENDAR\r\n") and made[-1] == b"END:VCALENDAR\r\n"
    assert len(made) == 7, "the head, an event a letter, the end"
    data = b"".join(made)
    # An independent parser (the ical package) reads the pieces as one calendar of five events…
    parsed = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert [e.uid for e in parsed.events] == [
        event_uid(letter(n), "romashka.example", yearly=True) for n in range(5)
    ]
    assert [e.dtstart for e in parsed.events] == [date(2027, 1, 1) + timedelta(days=n) for n in range(5)]
    # …and they are the bytes icalendar gives for one Calendar holding them all.
    assert Calendar.from_ical(data).to_ical() == data


def test_a_calendar_without_letters_still_holds_a_component() -> None:
    data = b"".join(chunks(iter([PlanItem(letter(1).hit, "skip", reason="suppressed")])))
    parsed = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert parsed.events == [] and [tz.tz_id for tz in parsed.timezones] == ["UTC"]


def test_a_calendar_failing_halfway_leaves_the_last_one_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "cal.ics"
    out.write_bytes(b"the last good calendar")

    def failing() -> Iterator[bytes]:
        yield b"BEGIN:VCALENDAR\r\n"
        raise RuntimeError("the contacts became unreadable at row 90,000")

    with pytest.raises(RuntimeError, match="row 90,000"):
        _write_replacing(out, failing())
    assert out.read_bytes() == b"the last good calendar"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cal.ics"], "no temporary file left behind"
    _write_replacing(out, iter([b"BEGIN:", b"VCALENDAR\r\n"]))
    assert out.read_bytes() == b"BEGIN:VCALENDAR\r\n"
    assert stat.S_IMODE(out.stat().st_mode) == narrowed(0o640)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cal.ics"]


def test_a_calendar_to_a_fifo_is_written_into_it_not_over_it(tmp_path: Path) -> None:
    fifo = tmp_path / "reader"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    _write_replacing(fifo, iter([b"BEGIN:VCALENDAR\r\n", b"END:VCALENDAR\r\n"]))
    reader.join(30)
    assert got == [b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_preview_of_more_rows_than_a_table_holds_prints_tables_that_line_up(
    make_project: MakeProject,
) -> None:
    """1,001 letters on one day: two tables of the same columns, the title once, every row in order."""
    rows = [contact_row(str(10000 + n), f"c{n}@example.com", birthday="14.04.1980") for n in range(1001)]
    config = make_project(rows)
    run = greeter_process(config, "preview", "--from", "2027-04-14", "--days", "1", "--now", NOW, timeout=300)
    lines = run.stdout.splitlines()
    assert sum(line.strip().startswith("greetings 2027-04-14 + 1 days") for line in lines) == 1
    heads = [n for n, line in enumerate(lines) if "send at" in line and "contact" in line]
    assert len(heads) == 2 == (TABLE_CHUNK + 1 + TABLE_CHUNK - 1) // TABLE_CHUNK
    ids = [row[1].split()[0] for row in table_rows(run.stdout, "send at")]
    as_json = greeter_process(
        config, "preview", "--from", "2027-04-14", "--days", "1", "--now", NOW, "--json"
    )
    # By the moment each leaves, in the planner's order within a moment (the JSON's), across both tables.
    planned = sorted(json.loads(as_json.stdout), key=lambda d: datetime.fromisoformat(d["send_at"]))
    assert ids == [d["contact_id"] for d in planned] and len(set(ids)) == 1001
    assert not any(c in run.stdout for c in "│┃┏┡└━"), "piped: no frame (a screen reader reads it aloud)"
    assert misaligned(run.stdout, "send at") == [], "every table as wide, column by column"
    assert lines[heads[0]] == lines[heads[1]], "the same header: the same widths"
    assert lines[-1] == "send: 1001"


def test_history_limit_shows_the_latest_greetings_and_says_how_many_there_are(
    make_project: MakeProject,
) -> None:
    config = make_project(
        [contact_row(str(n), f"c{n}@example.com", birthday=f"{n}.04.1980") for n in (11, 12, 13)]
    )
    sent = greeter_process(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    assert [r["contact_id"] for r in history(config)] == ["11", "12", "13"]
    assert [r["contact_id"] for r in history(config, "--limit", "2")] == ["12", "13"]
    run = greeter_process(config, "history", "--last", "1")
    assert run.returncode == 0
    assert " 13 " in run.stdout and " 12 " not in run.stdout
    assert run.stderr == "the latest 1 of 3 greetings (--limit 1)\n"
    assert greeter_process(config, "history", "--limit", "5").stderr == ""
    assert greeter_process(config, "history", "--limit", "0").returncode == 2


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to become nobody")
def test_a_calendar_one_may_write_in_a_folder_one_may_not_add_to_is_written_in_place() -> None:
    """No temporary file can be made beside it: the file is written into, as before (as nobody).

    In a folder of /tmp of its own: nobody may not pass through pytest's own (0700).
    """
    top = Path(tempfile.mkdtemp(prefix="greeter-shared-"))
    try:
        _written_in_place_as_nobody(top)
    finally:
        (top / "shared").chmod(0o755)
        shutil.rmtree(top)


def _written_in_place_as_nobody(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    out = shared / "cal.ics"
    out.write_bytes(b"the last calendar")
    os.chown(out, pwd.getpwnam("nobody").pw_uid, -1)
    shared.chmod(0o555)
    tmp_path.chmod(0o755)
    code = (
        "import sys; from pathlib import Path; from greeter.out_file import replacing\n"
        "with replacing(Path(sys.argv[1])) as fh:\n    fh.write(b'BEGIN:VCALENDAR')\n"
        "try:\n    with replacing(Path(sys.argv[1]).with_name('new.ics')) as fh:\n        fh.write(b'x')\n"
        "except OSError as exc:\n    print(exc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    run = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-c", code, str(out)],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    assert out.read_bytes() == b"BEGIN:VCALENDAR"
    assert run.stdout == f"{shared / 'new.ics'}: cannot write: Permission denied\n"
