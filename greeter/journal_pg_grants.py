"""Which privileges the PostgreSQL journal's role lacks, and the GRANT that gives them.

A DBA's usual split: an *owner* role creates the schema and migrates it, a
*runtime* role (the daemon's) has ``USAGE`` on the schema and ``SELECT,
INSERT, UPDATE, DELETE`` on its tables — no ``CREATE``. Greeter opens such a
journal without DDL once it is at the current version
(:func:`greeter.journal_pg_schema.migrate`); the runtime needs no sequence,
no ``TRUNCATE``, no temporary table, and advisory locks need no privilege.
What it does need is read here (:func:`read_grants`, by OID so that a
schema without ``USAGE`` is still judged, not refused) and judged by a pure
function (:func:`grants_problem`), for ``greeter check`` and for the words of
an open that was refused. A migration that changes a table it does not
create (an index on ``greetings``) is the table owner's alone: PostgreSQL has
no privilege to grant for it, CREATE on the schema included.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import psycopg

__all__ = ["RUNTIME_PRIVILEGES", "Grants", "grants_problem", "read_grants"]

#: What every command that writes the journal does to each of its tables (``send``, ``run``,
#: ``approve``, ``suppress``, ``forget``, ``purge``); ``schema_version`` is only read.
RUNTIME_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True, slots=True)
class Grants:
    """What the session's role may do with the journal's schema, as the server says."""

    role: str
    database: str
    schema: str
    schema_exists: bool
    may_create_schema: bool  # CREATE on the database: only needed while the schema is missing
    usage: bool  # USAGE on the schema
    create: bool  # CREATE on the schema: only needed while a migration is due
    #: The journal's tables that exist (``schema_version`` too), each with the privileges held.
    tables: dict[str, frozenset[str]]
    #: Each of those tables' owner (a role name).
    owners: dict[str, str] = field(default_factory=dict)
    #: Those the role may change (``ALTER``, ``CREATE INDEX``): it owns them, or is a member of their owner.
    owned: frozenset[str] = frozenset()


_FACTS = """
SELECT current_user, current_database(), has_database_privilege(current_database(), 'CREATE'),
    n.oid IS NOT NULL,
    n.oid IS NOT NULL AND has_schema_privilege(n.oid, 'USAGE'),
    n.oid IS NOT NULL AND has_schema_privilege(n.oid, 'CREATE')
FROM (SELECT 1) AS one LEFT JOIN pg_namespace n ON n.nspname = %(schema)s
"""

_TABLE_PRIVILEGES = """
SELECT c.relname, p.privilege
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN unnest(%(privileges)s::text[]) AS p(privilege)
WHERE n.nspname = %(schema)s AND c.relname = ANY(%(tables)s) AND has_table_privilege(c.oid, p.privilege)
UNION ALL
SELECT c.relname, NULL FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relname = ANY(%(tables)s)
"""

_OWNERS = """
SELECT c.relname, pg_get_userbyid(c.relowner), pg_has_role(c.relowner, 'USAGE')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relname = ANY(%(tables)s)
"""


def read_grants(conn: psycopg.Connection[Any], schema: str, tables: tuple[str, ...]) -> Grants:
    """The role's privileges on ``schema`` and on those of ``tables`` that exist there.

    Asked by OID: ``has_table_privilege('schema.table', …)`` resolves the name and
    so fails for a schema the role has no ``USAGE`` on, the very case to name.
    """
    row = conn.execute(_FACTS, {"schema": schema}).fetchone()
    assert row is not None
    held: dict[str, set[str]] = {}
    params = {"schema": schema, "tables": list(tables), "privileges": list(RUNTIME_PRIVILEGES)}
    for name, privilege in conn.execute(_TABLE_PRIVILEGES, params).fetchall():
        held.setdefault(str(name), set())
        if privilege is not None:
            held[str(name)].add(str(privilege))
    owners = conn.execute(_OWNERS, {"schema": schema, "tables": list(tables)}).fetchall()
    return Grants(
        role=str(row[0]),
        database=str(row[1]),
        schema=schema,
        schema_exists=bool(row[3]),
        may_create_schema=bool(row[2]),
        usage=bool(row[4]),
        create=bool(row[5]),
        tables={name: frozenset(p) for name, p in held.items()},
        owners={str(name): str(owner) for name, owner, _ in owners},
        owned=frozenset(str(name) for name, _, may in owners if may),
    )


def _ident(name: str) -> str:
    """``name`` as SQL would need it in a GRANT: quoted unless plain lower case (a role ``App``)."""
    plain = name.isidentifier() and name == name.lower() and name.isascii()
    return name if plain else '"' + name.replace('"', '""') + '"'


def _ledger(due: bool) -> tuple[str, ...]:
    """What is done to ``schema_version``: read at every open, written only by a migration."""
    return ("SELECT", "INSERT") if due else ("SELECT",)


def grants_problem(
    grants: Grants, *, version: int | None, latest: int, changes: Collection[str] = ()
) -> str | None:
    """Why the role cannot use the journal as greeter would, with the GRANT that fixes it; None: it can.

    Pure. ``version``: the journal's schema version (None: no journal yet);
    ``latest``: this greeter's; ``changes``: the tables the due migrations change rather than
    create (:func:`greeter.journal_pg_schema.changed_tables`). Only what this open needs is asked
    for: CREATE on the database only while the schema is missing, CREATE on the schema only while
    a migration is due, and the tables' ownership only while a due migration changes one of them
    — a runtime role at the current version needs ``USAGE`` and DML alone.

    Why ownership: schema 9 adds an index on ``greetings``, which PostgreSQL lets its owner alone
    add. The advice was ``GRANT CREATE ON SCHEMA``; given it, check said OK and send was refused
    with "must be owner of table greetings".
    """
    role, schema, database = _ident(grants.role), _ident(grants.schema), _ident(grants.database)
    if not grants.schema_exists:
        if grants.may_create_schema:
            return None
        return (
            f"schema {grants.schema} does not exist and role {grants.role} may not create it (no CREATE"
            f" on database {grants.database}): have an administrator run CREATE SCHEMA {schema}"
            f" AUTHORIZATION {role} (or GRANT CREATE ON DATABASE {database} TO {role})"
        )
    if not grants.usage:
        return (
            f"role {grants.role} may not use schema {grants.schema} (no USAGE):"
            f" GRANT USAGE ON SCHEMA {schema} TO {role}"
        )
    ledger = grants.tables.get("schema_version")
    if ledger is not None and "SELECT" not in ledger:  # the version cannot even be read
        return (
            f"role {grants.role} lacks SELECT on schema_version in schema {grants.schema}: GRANT SELECT,"
            f" INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}"
        )
    due = version is None or version < latest
    foreign = sorted(t for t in changes if t in grants.tables and t not in grants.owned) if due else []
    if foreign:
        whose = sorted({grants.owners.get(t, "?") for t in foreign})
        owner = f"role {whose[0]}, the owner" if len(whose) == 1 else f"the owners ({', '.join(whose)})"
        return (
            f"the journal needs an upgrade from schema version {version} to {latest}, which changes"
            f" {', '.join(foreign)} in schema {grants.schema}, and only a table's owner may (CREATE on"
            f" the schema is not enough): run greeter history once as {owner} of {', '.join(foreign)}"
        )
    if due and not grants.create:
        if version is None:
            what, run = "to be created", "greeter send"
        else:
            what, run = f"an upgrade from schema version {version} to {latest}", "greeter history"
        return (
            f"the journal needs {what}, and role {grants.role} may not create tables in schema"
            f" {grants.schema} (no CREATE): run {run} once as the schema's owner, or GRANT CREATE"
            f" ON SCHEMA {schema} TO {role}"
        )
    lacking: dict[tuple[str, ...], list[str]] = {}
    for table, held in sorted(grants.tables.items()):
        needed = _ledger(due) if table == "schema_version" else RUNTIME_PRIVILEGES
        if missing := tuple(p for p in needed if p not in held):
            lacking.setdefault(missing, []).append(table)
    if not lacking:
        return None
    said = "; ".join(
        f"{', '.join(privileges)} on {', '.join(tables)}" for privileges, tables in lacking.items()
    )
    return (
        f"role {grants.role} lacks {said} in schema {grants.schema}: GRANT SELECT, INSERT, UPDATE, DELETE"
        f" ON ALL TABLES IN SCHEMA {schema} TO {role}"
    )
