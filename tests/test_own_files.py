"""No command writes a user-named output over greeter's own files, nor through a symbolic link.

The security re-test: ``greeter calendar -o journal.sqlite3`` replaced the
journal with a calendar and exited 0 (``-o greeter.yaml``, the contacts file
or a template likewise), where ``history -o`` already refused. Now every
output — ``calendar -o``, ``history -o``, ``backup FILE``, ``preview --out
DIR`` — asks the one guard (:mod:`greeter.own_files`) and says the same
words. Real processes, a real project and journal.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import NOW, greeter

TAIL = "choose another file (nothing written)"


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    """A project with a journal that has sent one letter (so the journal exists)."""
    config = make_project([contact_row("1", "one@example.com", birthday="13.04.1980")])
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    return config


def _digests(root: Path) -> dict[str, str]:
    """Every file under ``root`` by its SHA-256: what must be the same after a refused command."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


def test_calendar_o_never_replaces_the_journal_config_contacts_or_a_template(project: Path) -> None:
    root = project.parent
    journal = root / "data" / "journal.sqlite3"
    assert journal.exists()
    before = _digests(root)
    for target, what in (
        (journal, "is the journal"),
        (project, "is the config"),
        (root / "data" / "contacts.csv", "is the contacts source"),
        (root / "data" / ".." / "data" / "journal.sqlite3", "is the journal"),
        (root / "templates" / "birthday.j2", f"is inside the templates folder ({root / 'templates'})"),
    ):
        run = greeter(project, "calendar", "-o", str(target), "--now", NOW)
        assert (run.returncode, run.stdout) == (2, ""), (target, run.stderr)
        assert run.stderr == f"-o {target} {what}: {TAIL}\n", target
    assert _digests(root) == before


def test_calendar_and_history_o_refuse_a_symbolic_link(project: Path) -> None:
    """A link in a shared folder may point anywhere (the journal, ~/.bashrc): never written through."""
    root = project.parent
    elsewhere = root / "notes.txt"
    elsewhere.write_text("someone's notes", encoding="utf-8")
    link = root / "cal.ics"
    link.symlink_to(elsewhere)
    to_journal = root / "link_j.csv"
    to_journal.symlink_to(root / "data" / "journal.sqlite3")
    for command in ("calendar", "history"):
        for target in (link, to_journal):
            run = greeter(
                project, command, "-o", str(target), *(("--now", NOW) if command == "calendar" else ())
            )
            said = f"-o {target} is a symbolic link, which greeter does not write through: {TAIL}\n"
            assert (run.returncode, run.stderr) == (2, said), (command, target)
    assert elsewhere.read_text(encoding="utf-8") == "someone's notes"
    # A plain file is written as before; '-' is stdout.
    plain = root / "cal2.ics"
    assert greeter(project, "calendar", "-o", str(plain), "--now", NOW).returncode == 0
    assert plain.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert greeter(project, "calendar", "-o", "-", "--now", NOW).stdout.startswith("BEGIN:VCALENDAR")


def test_backup_never_replaces_the_config_or_contacts(project: Path) -> None:
    root = project.parent
    before = _digests(root)
    for target, what in ((project, "the config"), (root / "data" / "contacts.csv", "the contacts source")):
        run = greeter(project, "backup", "--force", str(target))
        assert (run.returncode, run.stderr) == (2, f"{target} is {what}: {TAIL}\n")
    assert _digests(root) == before


def test_preview_out_is_never_the_templates_folder_nor_a_folder_holding_the_inputs(project: Path) -> None:
    """A preview into templates/ made its pages templates; into data/ it sat beside the journal."""
    root = project.parent
    before = _digests(root)
    tail = "choose another folder (nothing written)"
    for out, what in (
        (root / "templates", "is the templates folder"),
        (root / "templates" / "review", f"is inside the templates folder ({root / 'templates'})"),
        (root / "data", f"holds the contacts source ({root / 'data' / 'contacts.csv'})"),
        (root, f"holds the config ({project})"),
    ):
        for fmt in ("eml", "html"):
            run = greeter(project, "preview", "--format", fmt, "--out", str(out), "--now", NOW)
            assert (run.returncode, run.stderr) == (2, f"--out {out} {what}: {tail}\n"), (out, fmt)
    assert _digests(root) == before
    assert not (root / "templates" / "review").exists()


def test_a_hard_link_to_the_journal_or_contacts_is_them_under_another_name(project: Path) -> None:
    """QA: ``ln data/journal.sqlite3 keep.sqlite3; calendar -o keep.sqlite3`` wrote the calendar into
    the journal (one file, two names): the path comparison saw two files."""
    root = project.parent
    journal, contacts = root / "data" / "journal.sqlite3", root / "data" / "contacts.csv"
    keep, copy = root / "keep.sqlite3", root / "people.csv"
    keep.hardlink_to(journal)
    copy.hardlink_to(contacts)
    before = _digests(root)
    for target, what in ((keep, "is the journal"), (copy, "is the contacts source")):
        for command in (("calendar", "-o", str(target), "--now", NOW), ("history", "-o", str(target))):
            run = greeter(project, *command)
            assert (run.returncode, run.stderr) == (2, f"-o {target} {what}: {TAIL}\n"), (command, run.stderr)
    assert _digests(root) == before
