"""Two projects on one host never share a journal, an outbox or a backup file unnoticed.

An agency ran greeter for three brands, one config each. Brand C's config,
pointed at brand A's journal, passed ``check``, and its preview dropped C's
New Year letter as "sent" — A's letter to A's contact of the same id — so
C's client was never greeted; an opt-out made under A suppressed C's client.
Two configs sharing one outbox overwrote each other's ``.eml`` files while
both journals recorded ``sent``; and ``backup --force`` over B's live journal
replaced it under B's daemon. Through the real CLI on real SQLite files (and
the real PostgreSQL for the migration).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

from greeter.cli import main
from greeter.errors import JournalError, JournalLockedError
from greeter.journal import Journal
from greeter.journal_lock import lock_holder
from greeter.journal_pg import PgJournal
from greeter.journal_pg_schema import MIGRATIONS as PG_MIGRATIONS
from greeter.journal_pg_schema import migrate as pg_migrate
from greeter.journal_schema import MIGRATIONS, migrate
from greeter.runtime import load_inputs
from tests import databases
from tests.conftest import HEADER, MakeProject, contact_row

NOW = "2027-04-14T11:00:00+03:00"
MOMENT = datetime(2027, 4, 14, 8, 0, tzinfo=UTC)
#: Both brands' CRMs number their clients from 1: the ids collide, the people do not.
BRAND_A = [contact_row(str(i), f"a{i}@example.com", birthday="13.04.1980") for i in (1, 2)]
BRAND_C = [contact_row(str(i), f"c{i}@example.com", birthday="13.04.1980") for i in (1, 2)]


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def other_project(first: Path, folder: Path, rows: list[str], **changes: Any) -> Path:
    """Another brand's project in ``folder``: the first one's config with its own contacts file and
    the ``changes`` (dotted keys: ``{"sender.email": …}``), the first one's templates."""
    yaml = YAML()
    config = yaml.load(first.read_text(encoding="utf-8"))
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "data" / "contacts.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
    config["templates_dir"] = str(first.parent / "templates")
    for dotted, value in changes.items():
        *path, last = dotted.split(".")
        section = config
        for name in path:
            section = section[name]
        section[last] = value
    path = folder / "greeter.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(config, fh)
    return path


def journal_rows(path: Path, table: str = "greetings") -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {table}").fetchall())


@pytest.fixture
def brand_a(make_project: MakeProject) -> Path:
    """Brand A's project, whose journal holds both its clients' birthday letters."""
    config = make_project(BRAND_A)
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.exit_code == 0 and "sent: 2" in sent.output, sent.output
    return config


def a_journal(brand_a: Path) -> Path:
    return brand_a.parent / "data" / "journal.sqlite3"


def test_another_projects_config_on_a_journal_is_refused_by_check_and_send(
    brand_a: Path, tmp_path: Path
) -> None:
    journal = a_journal(brand_a)
    brand_c = other_project(
        brand_a,
        tmp_path / "c",
        BRAND_C,
        **{"sender.email": "greetings@brand-c.example", "storage.url": f"sqlite:///{journal}"},
    )
    before = journal_rows(journal)
    checked = greeter(brand_c, "check")
    assert checked.exit_code == 2, checked.output
    said = f"journal {journal} belongs to another project: sender greetings@romashka.example, contacts"
    assert said in checked.output
    assert f"config {brand_a.resolve()}" in checked.output and f"config {brand_c.resolve()}" in checked.output
    assert "this config's is sender greetings@brand-c.example" in checked.output
    assert "check: OK" not in checked.output
    sent = greeter(brand_c, "send", "--once", "--now", NOW)
    assert sent.exit_code == 2, sent.output
    assert said in sent.output and "nothing was sent" in sent.output
    assert "greeter send --once --adopt-journal" in sent.output
    assert greeter(brand_c, "send", "--once", "--dry-run", "--now", NOW).exit_code == 2
    previewed = greeter(brand_c, "preview", "--now", NOW)  # it showed A's letters as C's, sent
    assert previewed.exit_code == 2 and said in previewed.output, previewed.output
    assert journal_rows(journal) == before
    assert not (tmp_path / "c" / "data" / "outbox").exists()


def test_adopt_journal_is_the_deliberate_way_through(brand_a: Path, tmp_path: Path) -> None:
    journal = a_journal(brand_a)
    brand_c = other_project(
        brand_a,
        tmp_path / "c",
        BRAND_C,
        **{"sender.email": "greetings@brand-c.example", "storage.url": f"sqlite:///{journal}"},
    )
    adopted = greeter(brand_c, "send", "--once", "--adopt-journal", "--now", NOW)
    assert adopted.exit_code == 0, adopted.output
    facts = dict((name, value) for name, value, _ in journal_rows(journal, "project"))
    assert facts["sender"] == "greetings@brand-c.example"
    assert facts["config"] == str(brand_c.resolve())
    refused = greeter(brand_a, "send", "--once", "--now", NOW)  # now A's config is the stranger
    assert refused.exit_code == 2 and "belongs to another project: sender greetings@brand-c" in refused.output


def test_one_projects_own_changes_pass_one_at_a_time(brand_a: Path, tmp_path: Path) -> None:
    """A moved folder (or a container's mount), a new sender address, a new contacts file: the same
    project, and the record follows each change."""
    moved = tmp_path / "moved"
    moved.mkdir()
    for name in ("greeter.yaml", "data"):
        (brand_a.parent / name).rename(moved / name)
    config = moved / "greeter.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "templates_dir: templates", f"templates_dir: {tmp_path}/templates"
    )
    config.write_text(text, encoding="utf-8")
    journal = moved / "data" / "journal.sqlite3"
    assert greeter(config, "send", "--once", "--now", NOW).exit_code == 0
    facts = dict((name, value) for name, value, _ in journal_rows(journal, "project"))
    assert facts["contacts"] == str((moved / "data" / "contacts.csv").resolve())
    config.write_text(text.replace("greetings@romashka.example", "hello@romashka.example"), encoding="utf-8")
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.exit_code == 0, sent.output
    (moved / "data" / "contacts.csv").rename(moved / "data" / "crm.csv")
    config.write_text(
        config.read_text(encoding="utf-8").replace("path: data/contacts.csv", "path: data/crm.csv"),
        encoding="utf-8",
    )
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.exit_code == 0, sent.output
    checked = greeter(config, "check")
    assert "another project" not in checked.output
    facts = dict((name, value) for name, value, _ in journal_rows(journal, "project"))
    assert facts["sender"] == "hello@romashka.example"
    assert facts["contacts"] == str((moved / "data" / "crm.csv").resolve())


def test_a_second_projects_daemon_is_told_whose_journal_it_is(brand_a: Path, tmp_path: Path) -> None:
    journal = a_journal(brand_a)
    brand_c = other_project(
        brand_a,
        tmp_path / "c",
        BRAND_C,
        **{"sender.email": "greetings@brand-c.example", "storage.url": f"sqlite:///{journal}"},
    )
    from greeter.journal_project import open_sender_journal, project_of

    settings = load_inputs(brand_c, today=MOMENT.date()).settings
    with pytest.raises(JournalError, match="belongs to another project") as refused:
        open_sender_journal(settings.storage.url, MOMENT, project_of(settings, brand_c))
    assert refused.value.exit_code == 2  # systemd does not restart it for ever (RestartPreventExitStatus=2)


def test_the_lock_refusal_names_the_holders_config(brand_a: Path, tmp_path: Path) -> None:
    journal = a_journal(brand_a)
    copy = other_project(brand_a, tmp_path / "copy", BRAND_A, **{"storage.url": f"sqlite:///{journal}"})
    with Journal.open(f"sqlite:///{journal}", now=MOMENT) as holder:
        holder.lock_sender(config=brand_a)
        with (
            Journal.open(f"sqlite:///{journal}", now=MOMENT) as second,
            pytest.raises(JournalLockedError) as refused,
        ):
            second.lock_sender(config=copy)
    said = str(refused.value)
    assert f", config {brand_a.resolve()})" in said
    assert f"another config than this one ({copy.resolve()})" in said


def test_an_old_greeters_lock_file_still_reads() -> None:
    assert lock_holder(b"4242 greeter-7c9f\n") == "pid 4242 on host greeter-7c9f"
    assert lock_holder(b"4242\n") == "pid 4242"
    assert lock_holder(b"4242 h\n/srv/a/greeter.yaml\n") == "pid 4242 on host h, config /srv/a/greeter.yaml"


def test_sqlite_migration_10_keeps_an_old_journal_and_the_first_send_records_its_project(
    make_project: MakeProject,
) -> None:
    config = make_project(BRAND_A)
    journal = config.parent / "data" / "journal.sqlite3"
    journal.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(journal, isolation_level=None)
    assert migrate(conn, now_iso="2027-04-01T09:00:00+00:00", migrations=MIGRATIONS[:9]) == 9
    conn.execute(
        "INSERT INTO greetings (contact_id, occasion, occasion_date, state, email, created_at, updated_at)"
        " VALUES ('9', 'birthday', '2027-04-01', 'sent', 'x@example.com', '2027-04-01T09:00:00+00:00',"
        " '2027-04-01T09:00:00+00:00')"
    )
    conn.close()
    with Journal.open(f"sqlite:///{journal}", now=MOMENT) as opened:
        assert opened.project() is None
    assert journal_rows(journal, "schema_version")[-1][0] == len(MIGRATIONS)
    assert greeter(config, "send", "--once", "--now", NOW).exit_code == 0
    assert len(journal_rows(journal)) == 3  # the old row kept, two sent
    facts = dict((name, value) for name, value, _ in journal_rows(journal, "project"))
    assert facts == {
        "sender": "greetings@romashka.example",
        "contacts": str((config.parent / "data" / "contacts.csv").resolve()),
        "config": str(config.resolve()),
    }


def test_postgresql_migration_7_adds_the_project_table_to_an_old_schema() -> None:
    from greeter.journal_project import Project

    project = Project("a@brand-a.example", "/srv/a/data/contacts.csv", "/srv/a/greeter.yaml")
    with databases.pg_schema() as (url, name), databases.pg_admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
        conn.execute(f"SET search_path TO {name}")
        assert pg_migrate(conn, schema=name, now=MOMENT, migrations=PG_MIGRATIONS[:6]) == 6
        with PgJournal.open(url, now=MOMENT) as journal:
            assert journal.project() is None
            journal.record_project(project, MOMENT)
            moved = Project(project.sender, "/mnt/a/data/contacts.csv", "/mnt/a/greeter.yaml")
            journal.record_project(moved, MOMENT)
        with PgJournal.open(url, now=MOMENT) as journal:
            assert journal.project() == moved
        version = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        assert version is not None and version[0] == len(PG_MIGRATIONS) >= 7  # 8: the opt-out events after it


def test_two_journals_sharing_an_outbox_never_overwrite_each_others_letters(
    brand_a: Path, tmp_path: Path
) -> None:
    outbox = brand_a.parent / "data" / "outbox"
    written = {p.name: p.read_bytes() for p in outbox.glob("*.eml")}
    assert len(written) == 2
    brand_c = other_project(
        brand_a,
        tmp_path / "c",
        BRAND_C,
        **{"sender.email": "greetings@brand-c.example", "delivery.outbox": str(outbox)},
    )
    sent = greeter(brand_c, "send", "--once", "--now", NOW)
    assert sent.exit_code == 1, sent.output  # failed: someone must give each project its own outbox
    assert {p.name: p.read_bytes() for p in outbox.glob("*.eml")} == written
    rows = json.loads(greeter(brand_c, "history", "--format", "json").output)
    assert {r["state"] for r in rows} == {"failed"}
    assert all(
        "holds another letter" in r["last_reply"] and "greeter never replaces" in r["last_reply"]
        for r in rows
    )


def test_a_resend_still_replaces_its_own_letters_file(brand_a: Path) -> None:
    """The same greeting of the same journal carries the same Message-ID: its file is its own."""
    from greeter.transport import place_exclusively

    outbox = brand_a.parent / "data" / "outbox"
    own = sorted(outbox.glob("*.eml"))[0]
    letter = own.read_bytes()
    again = outbox / ".again.tmp"
    again.write_bytes(letter.replace(b"Subject:", b"X-Again: yes\r\nSubject:", 1))
    place_exclusively(again, own, again.read_bytes())
    assert b"X-Again: yes" in own.read_bytes() and not again.exists()


def test_backup_never_replaces_another_projects_journal(
    brand_a: Path, make_project: MakeProject, tmp_path: Path
) -> None:
    brand_b = other_project(brand_a, tmp_path / "b", BRAND_C, **{"sender.email": "greetings@brand-b.example"})
    assert greeter(brand_b, "send", "--once", "--now", NOW).exit_code == 0
    b_journal = tmp_path / "b" / "data" / "journal.sqlite3"
    inode = b_journal.stat().st_ino
    with Journal.open(f"sqlite:///{b_journal}", now=MOMENT) as daemon:
        daemon.lock_sender(config=brand_b)
        refused = greeter(brand_a, "backup", "--force", str(b_journal))
        assert refused.exit_code == 2, refused.output
        assert f"{b_journal}: is the journal of a greeter sending now (its lock file" in refused.output
        assert f"config {brand_b.resolve()}" in refused.output and "not even with --force" in refused.output
    idle = greeter(brand_a, "backup", "--force", str(b_journal))  # no sender now: still a journal
    assert idle.exit_code == 2 and "is a greeter journal" in idle.output, idle.output
    assert b_journal.stat().st_ino == inode and len(journal_rows(b_journal)) == 2
    plain = tmp_path / "Mon.sqlite3"
    plain.write_text("last week's backup", encoding="utf-8")
    assert greeter(brand_a, "backup", "--force", str(plain)).exit_code == 0


def test_a_second_test_send_still_replaces_the_first_test_file(make_project: MakeProject) -> None:
    """A test letter carries a fresh Message-ID each time, and its ``test-….eml`` is the tester's own."""
    config = make_project(BRAND_A)
    for _ in range(2):
        tried = greeter(config, "test-send", "--contact", "1", "--to", "me@example.com", "--now", NOW)
        assert tried.exit_code == 0, tried.output
    assert len(list((config.parent / "data" / "outbox").glob("test-*.eml"))) == 1


class _ReadsThenWaits(PgJournal):
    """A PostgreSQL journal whose first read of its project lets ``meanwhile`` run before it answers:
    the real interleaving of two first runs (both read an empty record, then both write)."""

    meanwhile: Any = None

    def project(self) -> Any:
        seen = super().project()
        run, self.meanwhile = self.meanwhile, None
        if run is not None:
            run()
        return seen


def test_two_projects_first_runs_on_one_empty_postgresql_journal_never_both_take_it() -> None:
    """Both read "no project yet" and both recorded theirs, the last write winning: both sent from it."""
    from greeter.journal_project import Project, take_journal

    brand_a = Project("a@brand-a.example", "/srv/a/data/contacts.csv", "/srv/a/greeter.yaml")
    brand_c = Project("c@brand-c.example", "/srv/c/data/contacts.csv", "/srv/c/greeter.yaml")
    with databases.pg_schema() as (url, _name):
        with PgJournal.open(url, now=MOMENT) as first, _ReadsThenWaits.open(url, now=MOMENT) as second:
            second.meanwhile = lambda: take_journal(first, url, brand_a, MOMENT)
            with pytest.raises(JournalError, match="belongs to another project: sender a@brand-a") as refused:
                take_journal(second, url, brand_c, MOMENT)
            assert refused.value.exit_code == 2
        with PgJournal.open(url, now=MOMENT) as journal:
            assert journal.project() == brand_a  # the first to record it, whole
