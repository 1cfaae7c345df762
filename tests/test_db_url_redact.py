"""``redact`` shows the URL as configured, minus the password, every other byte as written.

It decoded and re-encoded the query (``sslrootcert=%2Fetc%2Fca.pem`` came out
``/etc/ca.pem``, ``%20`` as ``+``, an empty ``sslmode=`` vanished), lower-cased the
scheme and made ``postgresql:///crm`` (a local socket) ``postgresql:/crm`` — so the
URL in ``greeter check`` and the logs was not the one in the config.
"""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from greeter.config_loader import parse_settings
from greeter.db_url import redact, split_schema, userinfo_problem
from greeter.errors import ConfigError
from tests import databases

#: (configured, shown): the password gone, the rest byte for byte.
KEPT = [
    ("postgresql://greeter:s3cret@db:5432/crm?schema=x", "postgresql://greeter@db:5432/crm?schema=x"),
    ("postgresql://me%40corp:pw@db/crm", "postgresql://me%40corp@db/crm"),
    ("postgresql://me%40corp@db/cr%40m", "postgresql://me%40corp@db/cr%40m"),
    ("postgresql://u:p%40ss@db/crm%2Fx", "postgresql://u@db/crm%2Fx"),
    (
        "postgresql://u:pw@db/crm?sslrootcert=%2Fetc%2Fca.pem&password=x",
        "postgresql://u@db/crm?sslrootcert=%2Fetc%2Fca.pem&password=***",
    ),
    (
        "postgresql://u:pw@db/crm?options=-c%20search_path%3Dx&application_name=a+b",
        "postgresql://u@db/crm?options=-c%20search_path%3Dx&application_name=a+b",
    ),
    ("postgresql://u:pw@db/crm?x=%26&sslmode=&flag", "postgresql://u@db/crm?x=%26&sslmode=&flag"),
    ("postgresql://u:pw@db/crm?a=1&a=2", "postgresql://u@db/crm?a=1&a=2"),
    ("postgresql:///crm?password=x&host=%2Fvar%2Frun", "postgresql:///crm?password=***&host=%2Fvar%2Frun"),
    ("postgresql://:pw@/crm?host=/tmp", "postgresql:///crm?host=/tmp"),
    ("PostgreSQL://u:pw@DB/crm", "PostgreSQL://u@DB/crm"),
    ("postgresql://u:pw@db/crm?#", "postgresql://u@db/crm?#"),
    ("postgresql://u:pw@db/crm#frag%20ment", "postgresql://u@db/crm#frag%20ment"),
    ("postgresql://u:pw@db", "postgresql://u@db"),
    ("postgresql://u:pw@db?connect_timeout=5", "postgresql://u@db?connect_timeout=5"),
    ("postgresql://u:@db/crm", "postgresql://u@db/crm"),
    ("mysql://u:p@ss@db/x?a=1;b=2", "mysql://u@db/x?a=1;b=2"),
    (
        "mariadb://crm@db:3306/crm?PASSWORD=a+b&sslpassword=%41",
        "mariadb://crm@db:3306/crm?PASSWORD=***&sslpassword=***",
    ),
    ("postgresql://db/crm?pass%77ord=x%2Fy", "postgresql://db/crm?pass%77ord=***"),
    ("postgresql://db/crm?password=", "postgresql://db/crm?password="),
    ("sqlite:///var/lib/greeter/journal.db", "sqlite:///var/lib/greeter/journal.db"),
    ("postgresql://db/crm?sslrootcert=%2Fetc%2Fca.pem", "postgresql://db/crm?sslrootcert=%2Fetc%2Fca.pem"),
]


@pytest.mark.parametrize(("configured", "shown"), KEPT)
def test_only_the_password_goes(configured: str, shown: str) -> None:
    assert redact(configured) == shown


#: Strings read otherwise than a URL parser reads them: shown only up to the scheme, never in part.
HIDDEN = [
    ("postgresql://u:pw@db:port/crm", "postgresql://…"),
    (" postgresql://u:pw@db/crm", " postgresql://…"),
    ("postgresql://u:p\tw@db/crm", "postgresql://…"),
]


@pytest.mark.parametrize(("configured", "shown"), HIDDEN)
def test_a_url_read_two_ways_is_shown_only_to_its_scheme(configured: str, shown: str) -> None:
    assert redact(configured) == shown


@pytest.mark.parametrize(
    ("configured", "for_libpq", "schema"),
    [
        ("postgresql:///test?schema=qa", "postgresql:///test", "qa"),  # libpq's local socket
        ("postgresql:///test?host=127.0.0.1&user=postgres&schema=qa",
         "postgresql:///test?host=127.0.0.1&user=postgres", "qa"),
        ("postgresql://db/crm?schema=qa#x", "postgresql://db/crm#x", "qa"),
        ("postgresql://db/crm?sslmode=require&schema=qa", "postgresql://db/crm?sslmode=require", "qa"),
        ("postgresql:///test", "postgresql:///test", None),
    ],
)  # fmt: skip
def test_greeters_schema_parameter_leaves_the_url_libpq_reads(
    configured: str, for_libpq: str, schema: str | None
) -> None:
    """``postgresql:///test?schema=qa`` came back ``postgresql:/test``: libpq read no URL in it."""
    assert split_schema(configured) == (for_libpq, schema)


def test_a_local_socket_url_without_a_host_and_with_a_schema_connects() -> None:
    """The URL greeter hands libpq connects (the host from the query, as a socket URL writes it)."""
    databases.require_pg()
    url, schema = split_schema("postgresql:///test?host=127.0.0.1&port=5432&user=postgres&schema=public")
    with psycopg.connect(url, connect_timeout=3) as conn:
        assert conn.execute("select current_database()").fetchone() == ("test",)
    assert schema == "public"


def test_a_backups_pg_dump_url_keeps_its_slashes() -> None:
    assert (
        redact("postgresql:///test?password=x&sslmode=require", drop=True)
        == "postgresql:///test?sslmode=require"
    )


#: (configured, for a command): the password left out, not blanked — pg_dump takes it from
#: PGPASSWORD or ~/.pgpass, which even an empty ``password=`` would override.
DROPPED = [
    ("postgresql://u:pw@db/crm?sslrootcert=%2Fetc%2Fca.pem&password=x", "postgresql://u@db/crm?sslrootcert=%2Fetc%2Fca.pem"),
    ("mariadb://crm@db:3306/crm?PASSWORD=a+b&sslpassword=%41", "mariadb://crm@db:3306/crm"),
    ("postgresql://db/crm?pass%77ord=x%2Fy&sslmode=", "postgresql://db/crm?sslmode="),
    ("postgresql://db/crm?password=", "postgresql://db/crm"),
    ("postgresql://u:pw@db/crm?a=1&a=2", "postgresql://u@db/crm?a=1&a=2"),
    ("postgresql://:pw@/crm?host=/tmp", "postgresql:///crm?host=/tmp"),
    ("postgresql://u:pw@db/crm#", "postgresql://u@db/crm#"),  # libpq's database is "crm#"
    ("postgresql://u:pw@db:port/crm", "postgresql://…"),
]  # fmt: skip


@pytest.mark.parametrize(("configured", "command"), DROPPED)
def test_for_a_command_the_password_is_left_out(configured: str, command: str) -> None:
    assert redact(configured, drop=True) == command


@pytest.mark.parametrize(
    "configured",
    [
        "postgresql://u:s3cr%40t@db:5432/crm?options=-csearch_path%3Dj%20-cx%3D1&password=p&sslmode=require",
        "postgresql:///crm?password=x&host=%2Fvar%2Frun",
        "postgresql://:pw@/crm?host=/tmp&application_name=a+b",
        "postgresql://u:pw@db/crm?sslpassword=&connect_timeout=5",
        "postgresql://u:pw@db/crm#",
        "postgresql://u@db",
    ],
)
def test_libpq_reads_the_command_url_as_the_configured_one_but_for_the_password(configured: str) -> None:
    """Read by libpq itself: the URL pg_dump is told names the same server, database and options."""
    secret = {"password", "sslpassword"}
    wanted = {k: v for k, v in conninfo_to_dict(configured).items() if k not in secret}
    assert conninfo_to_dict(redact(configured, drop=True)) == wanted


@pytest.mark.parametrize(
    "where",
    [
        "storage:\n  url: 'postgresql://app:s3cr@t9@127.0.0.1/test?schema=qa'\n",
        "contacts:\n  source: sql\n  url: 'postgresql://app:s3cr@t9@127.0.0.1/crm'\n  query: SELECT 1\n",
    ],
)
def test_an_at_sign_as_it_is_in_a_password_is_refused_without_the_password(where: str) -> None:
    """libpq split ``app:pa@ss@host`` at its first ``@`` and named ``ss@127.0.0.1`` in its error."""
    with pytest.raises(ConfigError) as raised:
        parse_settings(where, "g.yaml", today=date(2026, 12, 5))
    said = str(raised.value)
    assert "write it %40" in said and "url" in said
    assert "s3cr" not in said and "t9" not in said


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://app:pa%40ss@db/crm",
        "postgresql://db/crm?user=a@b",  # an @ in the query is no userinfo
        "postgresql:///crm",
        "sqlite:///data/journal.sqlite3",
    ],
)
def test_one_at_sign_or_an_escaped_one_is_fine(url: str) -> None:
    assert userinfo_problem(url) is None
