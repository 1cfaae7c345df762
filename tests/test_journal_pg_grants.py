"""A PostgreSQL journal set up the way a DBA sets one up: an owner role migrates, a runtime role does DML.

Found by a DBA on PostgreSQL 15: a schema made in advance (``CREATE SCHEMA
… AUTHORIZATION greeter``) could not be used without CREATE on the whole
database (``CREATE SCHEMA IF NOT EXISTS`` is checked against the database
first); a runtime role with ``USAGE`` and ``SELECT, INSERT, UPDATE, DELETE``
was refused at every open (``CREATE TABLE IF NOT EXISTS schema_version``);
``greeter check`` said OK to both; ``greeter backup`` printed a ``pg_dump``
line libpq refused for a URL carrying ``options=-csearch_path%3D…``; and
the URL's ``application_name`` was replaced. Real roles and schemas on the
test server (random names, dropped afterwards), real CLI runs.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from greeter.check_delivery import check_databases
from greeter.check_report import CheckReport
from greeter.db_checks import journal_status
from greeter.db_url import redact
from greeter.errors import JournalError
from greeter.journal_backup import pg_dump_hint
from greeter.journal_pg import PgJournal
from greeter.journal_pg_schema import MIGRATIONS, TABLES, migrate
from greeter.testing import SmtpSink
from tests import databases
from tests.conftest import MakeProject, contact_row
from tests.daemon_harness import DaemonProcess
from tests.test_retention import NOW as RETENTION_NOW
from tests.test_retention import OLD, fill
from tests.test_send_e2e import NOW, greeter_process, people, smtp

DML = "SELECT, INSERT, UPDATE, DELETE"
TODAY = datetime(2027, 4, 14, 8, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Roles:
    """An owner role, a runtime role and the name of a schema (not made yet), all of one test."""

    owner: str
    app: str
    schema: str

    def url(self, role: str, query: str | None = None) -> str:
        """The test server's URL logged in as ``role``, with ``?schema=`` unless ``query`` is given."""
        parts = urlsplit(databases.require_pg())
        netloc = f"{role}@{parts.netloc.rsplit('@', 1)[-1]}"
        return urlunsplit((parts.scheme, netloc, parts.path, query or f"schema={self.schema}", ""))


def admin(*statements: str) -> None:
    with databases.pg_admin() as conn:
        for statement in statements:
            conn.execute(statement)


@pytest.fixture
def roles() -> Iterator[Roles]:
    """Two login roles without CREATE on the database (PUBLIC's default: CONNECT, TEMP), dropped after."""
    suffix = uuid.uuid4().hex[:10]
    made = Roles(f"greeter_own_{suffix}", f"greeter_app_{suffix}", f"greeter_t_{suffix}")
    admin(f"CREATE ROLE {made.owner} LOGIN", f"CREATE ROLE {made.app} LOGIN")
    try:
        yield made
    finally:
        admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE usename IN ('{made.owner}', '{made.app}')",
            f"DROP SCHEMA IF EXISTS {made.schema} CASCADE",
            f"DROP OWNED BY {made.owner}, {made.app}",
            f"DROP ROLE {made.owner}, {made.app}",
        )


def owner_and_runtime(roles: Roles, *, migrations: int = len(MIGRATIONS)) -> None:
    """The DBA's split: the owner's schema migrated by the owner, the runtime role given USAGE and DML.

    The owner may create schemas here (revoked by the fixture's ``DROP OWNED``), so that these tests
    are about the runtime role alone.
    """
    database = urlsplit(databases.require_pg()).path.lstrip("/")
    admin(
        f"GRANT CREATE ON DATABASE {database} TO {roles.owner}",
        f"CREATE SCHEMA {roles.schema} AUTHORIZATION {roles.owner}",
    )
    if migrations == len(MIGRATIONS):
        PgJournal.open(roles.url(roles.owner), now=TODAY).close()
    else:
        with databases.pg_admin() as conn:
            conn.execute(f"SET ROLE {roles.owner}")
            conn.execute(f"SET search_path TO {roles.schema}")
            migrate(conn, schema=roles.schema, now=TODAY, migrations=MIGRATIONS[:migrations])
    admin(
        f"GRANT USAGE ON SCHEMA {roles.schema} TO {roles.app}",
        f"GRANT {DML} ON ALL TABLES IN SCHEMA {roles.schema} TO {roles.app}",
        # the tables a later migration makes (docs/operations.md says so)
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {roles.owner} IN SCHEMA {roles.schema}"
        f" GRANT {DML} ON TABLES TO {roles.app}",
    )


def owners(schema: str) -> dict[str, str]:
    with databases.pg_admin() as conn:
        rows = conn.execute(
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = %s", (schema,)
        ).fetchall()
    return {str(t): str(o) for t, o in rows}


# --- 1. a schema made in advance, a role without CREATE on the database ---------------------------


def test_a_schema_the_dba_made_in_advance_is_used_without_create_on_the_database(roles: Roles) -> None:
    admin(f"CREATE SCHEMA {roles.schema} AUTHORIZATION {roles.owner}")
    with PgJournal.open(roles.url(roles.owner), now=TODAY) as journal:
        assert journal.schema == roles.schema
        assert journal.history() == []
    assert owners(roles.schema) == {t: roles.owner for t in (*TABLES, "schema_version")}


def test_a_missing_schema_the_role_may_not_create_says_who_creates_it(roles: Roles) -> None:
    with pytest.raises(JournalError) as refused:
        PgJournal.open(roles.url(roles.owner), now=TODAY)
    said = str(refused.value)
    assert "permission denied for database" in said, said
    assert f"CREATE SCHEMA {roles.schema} AUTHORIZATION {roles.owner}" in said, said
    assert owners(roles.schema) == {}  # nothing made


# --- 2. the runtime role: USAGE and DML, no DDL ---------------------------------------------------


def test_a_runtime_role_with_usage_and_dml_opens_a_current_journal_and_writes(roles: Roles) -> None:
    owner_and_runtime(roles)
    key = ("1", "birthday", date(2027, 4, 13))
    with PgJournal.open(roles.url(roles.app), now=TODAY) as journal:
        journal.lock_sender()
        assert journal.recover_stale_claims(TODAY) == 0
        fill(journal)  # claims, every verdict, approvals, the do-not-contact list
        with journal.contact_lock("1"):  # a session advisory lock: no privilege needed
            assert journal.claim(key, email="a@example.com", message_id="<m@x>", planned_at=TODAY, now=TODAY)
        journal.mark_sent(key, "250 ok", TODAY)
        assert journal.forget("gone@example.com", TODAY).email == "gone@example.com"
        assert journal.purge(date(2025, 1, 1)).greetings == 4
    by_search_path = roles.url(roles.app, f"options=-csearch_path%3D{roles.schema}")
    with PgJournal.open(by_search_path, now=TODAY) as journal:  # no schema=: the ledger read in place
        assert journal.schema == roles.schema and len(journal.history()) == 4
    assert owners(roles.schema) == {t: roles.owner for t in (*TABLES, "schema_version")}


def test_send_history_and_check_run_as_the_runtime_role(roles: Roles, make_project: MakeProject) -> None:
    owner_and_runtime(roles)
    with SmtpSink() as sink:
        config = make_project(people(3), storage={"url": roles.url(roles.app)}, **smtp(sink.port))
        sent = greeter_process(config, "send", "--once", "--now", NOW)
        assert sent.returncode == 0 and "sent: 3" in sent.stdout, sent.stdout + sent.stderr
        assert len(sink.messages) == 3
        checked = greeter_process(config, "check")
    said = checked.stdout + checked.stderr
    assert f"schema version {len(MIGRATIONS)} of {len(MIGRATIONS)}" in said and "refused" not in said, said
    shown = greeter_process(config, "history", "--format", "json")
    assert shown.returncode == 0 and shown.stdout.count('"sent"') == 3, shown.stdout + shown.stderr
    assert greeter_process(config, "suppress", "gone@example.com").returncode == 0


def test_the_daemons_daily_purge_runs_as_the_runtime_role(roles: Roles, make_project: MakeProject) -> None:
    owner_and_runtime(roles)
    with PgJournal.open(roles.url(roles.owner), now=OLD) as journal:
        fill(journal)
    config = make_project(
        [contact_row("1", "client1@example.com")],
        storage={"url": roles.url(roles.app), "retention_days": 730},
    )
    with DaemonProcess(config, "--now", RETENTION_NOW.isoformat()) as daemon:
        purged = daemon.wait_for("purged")
        daemon.wait_for("run")
    assert (purged["greetings"], purged["approvals"]) == (4, 1), daemon.output()
    assert not daemon.named("purge_failed") and not daemon.named("run_failed"), daemon.output()


# --- 3. check tests the privileges the journal needs -----------------------------------------------


def refused(url: str) -> str:
    """What ``greeter check`` says of the journal at ``url`` when it is not usable ('' when it is)."""
    status = journal_status(url)
    report = CheckReport(config_file=Path("greeter.yaml"), occasions=[])
    check_databases(report, url, None, None)
    assert report.fatal == (not status.ok), report.problems  # exit 2, as send's refusal
    return "" if status.ok else status.detail


def test_check_names_the_create_schema_an_administrator_must_run(roles: Roles) -> None:
    said = refused(roles.url(roles.owner))
    assert f"have an administrator run CREATE SCHEMA {roles.schema} AUTHORIZATION {roles.owner}" in said


def test_check_names_the_grant_a_runtime_role_lacks(roles: Roles) -> None:
    owner_and_runtime(roles)
    admin(f"REVOKE ALL ON SCHEMA {roles.schema} FROM {roles.app}")
    admin(f"REVOKE ALL ON ALL TABLES IN SCHEMA {roles.schema} FROM {roles.app}")
    app = roles.url(roles.app)
    assert f"GRANT USAGE ON SCHEMA {roles.schema} TO {roles.app}" in refused(app)
    admin(f"GRANT USAGE ON SCHEMA {roles.schema} TO {roles.app}")
    said = refused(app)
    assert "lacks SELECT on schema_version" in said, said
    assert f"GRANT {DML} ON ALL TABLES IN SCHEMA {roles.schema} TO {roles.app}" in said, said
    admin(f"GRANT SELECT ON ALL TABLES IN SCHEMA {roles.schema} TO {roles.app}")
    said = refused(app)
    assert "lacks INSERT, UPDATE, DELETE on approvals, greetings, notices, occasions," in said, said
    admin(f"GRANT {DML} ON ALL TABLES IN SCHEMA {roles.schema} TO {roles.app}")
    assert refused(app) == ""
    assert refused(roles.url(roles.owner)) == ""


def test_a_due_index_on_the_owners_table_needs_the_owner_not_create_on_the_schema(roles: Roles) -> None:
    """Schema 9 adds an index on ``greetings``: PostgreSQL lets only the table's owner do it. The
    advice was ``GRANT CREATE ON SCHEMA … TO`` the runtime role; given it, check said OK and
    send was refused with the server's "must be owner of table greetings" alone."""
    owner_and_runtime(roles, migrations=len(MIGRATIONS) - 1)
    run_as_owner = f"run greeter history once as role {roles.owner}, the owner of greetings"
    said = refused(roles.url(roles.app))
    assert f"an upgrade from schema version {len(MIGRATIONS) - 1} to {len(MIGRATIONS)}" in said, said
    assert run_as_owner in said and "GRANT CREATE" not in said, said
    admin(f"GRANT CREATE ON SCHEMA {roles.schema} TO {roles.app}")  # not enough: check says so still
    assert run_as_owner in refused(roles.url(roles.app))
    with pytest.raises(JournalError, match=f"must be owner of table greetings: .*{run_as_owner}"):
        PgJournal.open(roles.url(roles.app), now=TODAY)  # send says the same
    PgJournal.open(roles.url(roles.owner), now=TODAY).close()  # the owner migrates
    assert refused(roles.url(roles.app)) == ""


def test_a_due_migration_that_only_adds_tables_takes_create_on_the_schema_as_advised(roles: Roles) -> None:
    """Schema 8 adds ``optout_events`` (and its index) and changes no existing table: to a greeter
    whose last migration it is, CREATE on the schema is all the runtime role lacks, and given it,
    the role migrates the journal itself. Schema 9's index on ``greetings`` is the owner's still."""
    from greeter.journal_pg_grants import grants_problem, read_grants
    from greeter.journal_pg_schema import changed_tables

    owner_and_runtime(roles, migrations=7)
    with databases.pg_admin() as conn:  # the runtime role's privileges, as read for check
        conn.execute(f"SET ROLE {roles.app}")
        grants = read_grants(conn, roles.schema, (*TABLES, "schema_version"))
    said = grants_problem(grants, version=7, latest=8, changes=changed_tables(7, MIGRATIONS[:8]))
    assert said is not None and f"or GRANT CREATE ON SCHEMA {roles.schema} TO {roles.app}" in said, said
    admin(f"GRANT CREATE ON SCHEMA {roles.schema} TO {roles.app}")
    with databases.pg_admin() as conn:  # as the advice says: the runtime role, CREATE on the schema
        conn.execute(f"SET ROLE {roles.app}")
        conn.execute(f"SET search_path TO {roles.schema}")
        assert migrate(conn, schema=roles.schema, now=TODAY, migrations=MIGRATIONS[:8]) == 8
    said = refused(roles.url(roles.app))  # this greeter's schema 9: an index on greetings
    assert f"run greeter history once as role {roles.owner}, the owner of greetings" in said, said


# --- 4. backup: the pg_dump line as libpq takes it ---------------------------------------------------


def test_the_pg_dump_line_keeps_the_urls_encoding_and_names_the_search_path_schema(
    roles: Roles, make_project: MakeProject, tmp_path: Path
) -> None:
    admin(f"CREATE SCHEMA {roles.schema} AUTHORIZATION {roles.owner}")
    url = roles.url(roles.owner, f"options=-csearch_path%3D{roles.schema}")
    PgJournal.open(url, now=TODAY).close()
    config = make_project(people(1), storage={"url": url})
    target = tmp_path / "journal.dump"
    said = greeter_process(config, "backup", str(target))
    assert said.returncode == 2, said.stdout + said.stderr
    (line,) = said.stderr.splitlines()
    assert f"pg_dump -n {roles.schema} -Fc" in line and f"options=-csearch_path%3D{roles.schema}" in line, (
        line
    )
    if shutil.which("pg_dump") and shutil.which("pg_restore"):  # run as said, it dumps the journal
        command = shlex.split(line.split(": ", 1)[1].rsplit(" (", 1)[0])
        subprocess.run(command, check=True, capture_output=True, timeout=60)
        listing = subprocess.run(
            ["pg_restore", "-l", str(target)], check=True, capture_output=True, text=True
        )
        assert f"TABLE {roles.schema} greetings " in listing.stdout, listing.stdout


def test_the_pg_dump_url_leaves_out_the_password_and_keeps_every_other_byte() -> None:
    url = "postgresql://u:s3cr%40t@db:5432/crm?options=-csearch_path%3Dj%20-cx%3D1&password=p&sslmode=require"
    assert (
        redact(url, drop=True)
        == "postgresql://u@db:5432/crm?options=-csearch_path%3Dj%20-cx%3D1&sslmode=require"
    )
    hint = pg_dump_hint("postgresql://u@127.0.0.1:1/crm?schema=Mixed_Case", Path("out.dump"))
    assert "pg_dump -n '\"Mixed_Case\"' -Fc -f out.dump postgresql://u@127.0.0.1:1/crm " in hint, hint


# --- 5. the operator's application_name -------------------------------------------------------------


def test_the_urls_application_name_is_kept_before_greeters_own() -> None:
    with databases.pg_schema() as (url, _):
        name = f"crm mailer {uuid.uuid4().hex[:6]}"
        with PgJournal.open(f"{url}&application_name={name.replace(' ', '%20')}", now=TODAY) as journal:
            journal.history()
            with databases.pg_admin() as conn:
                names = conn.execute(
                    "SELECT application_name FROM pg_stat_activity WHERE application_name LIKE %s",
                    (f"{name}%",),
                ).fetchall()
    assert names and all(n == (f"{name} {journal.worker_id}"[:63],) for n in names), names


def test_greeters_own_name_comes_after_the_operators_and_is_the_part_cut() -> None:
    from greeter.journal_pg import application_name  # imported here: the other tests run without it

    assert application_name(None, "greeter h/1/ab") == "greeter h/1/ab"
    assert application_name("crm", "greeter h/1/ab") == "crm greeter h/1/ab"
    assert application_name("x" * 70, "greeter h/1/ab") == "x" * 63


def test_the_grant_quotes_names_sql_would_fold() -> None:
    from greeter.journal_pg_grants import Grants, grants_problem  # imported here: new with the fix

    grants = Grants("App", "test", "Journal", True, False, False, False, {})
    assert grants_problem(grants, version=5, latest=5) == (
        'role App may not use schema Journal (no USAGE): GRANT USAGE ON SCHEMA "Journal" TO "App"'
    )
    current = Grants("app", "test", "j", True, False, True, False, {"schema_version": frozenset({"SELECT"})})
    assert grants_problem(current, version=5, latest=5) is None  # no CREATE needed: nothing to migrate


# --- 6. an upgrade that adds a table (docs/operations.md, Upgrading greeter) -------------------------


def test_the_docs_name_every_table_the_runtime_role_needs() -> None:
    text = (Path(__file__).parents[1] / "docs" / "operations.md").read_text(encoding="utf-8")
    runtime = text[text.index("- **Runtime role**") :].split("\n\n", 1)[0]
    assert [t for t in TABLES if f"`{t}`" not in runtime] == []


def test_an_upgrade_by_another_role_leaves_optout_events_ungranted_until_the_documented_grant(
    roles: Roles,
) -> None:
    """The upgrade to PostgreSQL schema 8 run by an administrator, not the owner the default
    privileges are for: the runtime role has no right on ``optout_events`` — every opt-out would
    be refused — and check names the GRANT the upgrade steps (docs/operations.md) give."""
    owner_and_runtime(roles, migrations=7)  # the schema before optout_events (migration 8)
    with databases.pg_admin() as conn:  # not SET ROLE: the administrator's own tables
        conn.execute(f"SET search_path TO {roles.schema}")
        migrate(conn, schema=roles.schema, now=TODAY, migrations=MIGRATIONS)
    app = roles.url(roles.app)

    said = refused(app)

    assert f"lacks SELECT, INSERT, UPDATE, DELETE on optout_events in schema {roles.schema}" in said, said
    admin(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {roles.schema} TO {roles.app}")
    assert refused(app) == ""
