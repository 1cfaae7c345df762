"""What a first-day user of ``greeter preview`` met: errors unsaid, flags ignored, help that misleads.

Real processes on real files (a copy of the example project): a template with a
typo, a journal ``send --once`` wrote, a gallery a previous preview left.

- ``--format html``/``eml`` exited 1 on a template that fails to render but said
  only ``wrote 10 card(s)``: the mistake was inside the HTML alone.
- ``--format eml`` said ``wrote 0 .eml file(s)`` for a range whose letters had
  already left, with no word why.
- ``--out`` with ``--format table``/``json`` was ignored without a word.
- ``--contact 99`` printed an empty table and "nothing planned in this range"
  beside "no contact has id '99'".
- ``preview --help`` listed every skip reason but ``render_error``; ``check``
  and ``preview`` described ``--now`` with send's warning to rehearse on a copy.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.conftest import MakeProject, contact_row, refused_stdout
from tests.faults import greeter
from tests.test_send_e2e import LATER, NOW

#: Wednesday 14 April 2027 and the four days after it, at NOW.
RANGE = ("--from", "2027-04-14", "--days", "5", "--now", NOW)
ROWS = [
    contact_row("1", "one@example.com", birthday="16.04.1980"),
    contact_row("2", "two@example.com", birthday="17.04.1980", first="Анна", patronymic="Ивановна"),
]


def misspelt_birthday(config: Path) -> int:
    """Put an undefined name into every birthday letter's text; the line it is on."""
    template = config.parent / "templates" / "birthday.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("Желаем Вам"))
    lines[index] = "{{ contakt|name('dative') }}, ж" + lines[index].removeprefix("Ж")
    template.write_text("".join(lines), encoding="utf-8")
    return index + 1


def test_html_and_eml_say_each_render_error_on_stderr_as_check_and_calendar_do(
    make_project: MakeProject,
) -> None:
    config = make_project(ROWS)
    line = misspelt_birthday(config)
    mistake = (
        f"birthday.j2:{line}:1: undefined: 'contakt' is undefined, did you mean 'contact'? (2 contacts: 1, 2)"
    )
    for fmt in ("html", "eml"):
        run = greeter(config, "preview", *RANGE, "--format", fmt, "--out", str(config.parent / fmt))
        assert run.returncode == 1, run.stdout + run.stderr
        said = run.stderr.splitlines()
        assert mistake in said, (fmt, run.stderr)  # one line per mistake, not one per letter
        assert any("2 letters whose template fails to render" in s for s in said), (fmt, run.stderr)
        assert "render error" not in run.stdout and "contakt" not in run.stdout, (fmt, run.stdout)
    # Where the letters are shown one by one, they stay so: the table, the JSON.
    table = greeter(config, "preview", *RANGE)
    assert table.returncode == 1 and "contakt" in table.stdout and "contakt" not in table.stderr


def test_eml_says_how_many_letters_of_the_range_already_left(make_project: MakeProject) -> None:
    """As the gallery shows a letter that left as a card without a page: no draft of it is written.

    An .eml is the letter as it *would* go; one that left will not go again,
    and rendering it now would not give the bytes that left (greeter history has those).
    """
    config = make_project([contact_row("1", "one@example.com", birthday="13.04.1980")])  # due at NOW
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0 and "sent: 1" in sent.stdout, sent.stdout + sent.stderr
    out = config.parent / "review"
    run = greeter(config, "preview", "--from", "2027-04-14", "--days", "1", "--now", LATER,
                  "--format", "eml", "--out", str(out))  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (
        f"wrote 0 .eml file(s) to {out}; not written: 1 letter the journal says already left"
        " (greeter history shows it)"
    )
    assert not list(out.glob("*.eml"))


def test_out_with_a_format_that_prints_is_a_usage_error(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    out = config.parent / "review"
    for fmt in ("table", "json"):
        run = greeter(config, "preview", *RANGE, "--format", fmt, "--out", str(out))
        assert (run.returncode, run.stdout) == (2, refused_stdout(fmt, run.stderr)), (
            fmt,
            run.stdout + run.stderr,
        )
        assert "--out goes with --format eml or html" in run.stderr, run.stderr
    assert not out.exists()
    default = greeter(config, "preview", *RANGE, "--out", str(out))  # --format table is the default
    assert default.returncode == 2 and "--out goes with --format eml or html" in default.stderr


def test_an_unknown_contact_is_said_alone_and_touches_no_output(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    gallery = config.parent / "gallery"
    first = greeter(config, "preview", *RANGE, "--format", "html", "--out", str(gallery))
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in gallery.rglob("*") if p.is_file()}
    said = "contacts.csv: no contact has id or name '99' (--contact)"
    for fmt in ("table", "json", "html", "eml"):
        where = ("--out", str(gallery)) if fmt == "html" else ("--out", str(config.parent / "eml"))
        run = greeter(config, "preview", *RANGE, "--contact", "99", "--format", fmt,
                      *(where if fmt in ("html", "eml") else ()))  # fmt: skip
        assert (run.returncode, run.stdout) == (2, refused_stdout(fmt, run.stderr)), (fmt, run.stdout)
        assert said in run.stderr, (fmt, run.stderr)
    assert {p: p.read_bytes() for p in gallery.rglob("*") if p.is_file()} == before  # the gallery kept
    assert not (config.parent / "eml").exists()
    # The contact that is there is shown, with its range's summary.
    known = greeter(config, "preview", *RANGE, "--contact", "1")
    assert known.returncode == 0 and "send: 1" in known.stdout, known.stdout + known.stderr


def help_of(config: Path, command: str) -> str:
    run = greeter(config, command, "--help")
    assert run.returncode == 0, run.stderr
    return " ".join(run.stdout.split())


def journal_rows(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_help_lists_render_error_and_says_now_only_reads_where_it_does(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "one@example.com", birthday="13.04.1980")])
    assert "outside_audience, render_error)" in help_of(config, "preview")
    rehearse = "rehearse on a copy of the project"
    for reader in ("check", "preview", "calendar"):
        text = help_of(config, reader)
        assert rehearse not in text and "Nothing is recorded in the journal" in text, (reader, text)
    for writer in ("send", "run"):
        assert rehearse in help_of(config, writer), writer
    # What the help says: with --now, check, preview and calendar leave the journal as it was.
    assert greeter(config, "send", "--once", "--now", NOW).returncode == 0
    journal = config.parent / "data" / "journal.sqlite3"
    before = journal_rows(journal)
    moment = ("--now", "2027-04-20T12:00:00+03:00")
    assert greeter(config, "check", *moment).returncode == 0
    assert greeter(config, "preview", "--from", "2027-04-13", *moment).returncode == 0
    assert greeter(config, "calendar", "-o", str(config.parent / "c.ics"), *moment).returncode == 0
    assert journal_rows(journal) == before


def test_json_gives_a_contact_without_a_zone_its_default_zone_on_skipped_rows_too(
    make_project: MakeProject,
) -> None:
    """A skipped row of a contact with no time zone said ``"timezone": null`` beside its letter's
    ``Europe/Moscow``: a script grouping by zone put one client in two groups."""
    rows = [contact_row("1", "one@example.com", birthday="25.02.1980", tz="")]
    config = make_project(rows, defaults={"timezone": "Asia/Yekaterinburg"})
    # 23 February is for the contacts tagged 23feb: this one's is skipped, outside its audience
    week = ("--from", "2027-02-22", "--days", "5", "--now", "2027-02-01T10:00:00+05:00")
    done = greeter(config, "preview", *week, "--format", "json")
    assert done.returncode == 0, done.stderr
    drafts = json.loads(done.stdout)
    skipped = [d for d in drafts if d["status"] == "skip"]
    sent = [d for d in drafts if d["status"] == "send"]
    assert skipped and sent, drafts  # the birthday's letter, and an occasion outside its audience
    assert {d["timezone"] for d in drafts} == {"Asia/Yekaterinburg"}, drafts
