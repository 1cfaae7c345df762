"""Contacts from PostgreSQL and MariaDB: same rules as CSV, located problems, streaming, clear errors.

Real servers, throw-away tables/databases (see ``tests/databases.py``).
"""

from __future__ import annotations

import contextlib
import gc
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact
from greeter.db_url import redact
from greeter.errors import ContactsError
from greeter.journal_pg_schema import MIGRATIONS as PG_MIGRATIONS
from greeter.sources import LoadReport, iter_contacts, load_contacts
from greeter.sources.sql_source import read_rows
from tests import databases
from tests.conftest import MakeProject, contact_row

COLUMNS = Columns(
    id="id",
    email="email",
    first_name="first_name",
    patronymic="patronymic",
    last_name="last_name",
    tier="tier",
)
DATES = {"birthday": "birthday", "company_founded": "founded"}
FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
# (id, email, last, first, patronymic, birthday, founded as text, tier): a CRM export with mistakes.
ROWS: list[tuple[str | None, str | None, str, str, str, date | None, str | None, str | None]] = [
    ("1", "ivan@example.com", "Иванов", "Иван", "Петрович", date(1980, 5, 17), "01.03.2010", "VIP"),
    ("2", "anna@example.com", "Петрова", "Анна", "Ильинична", date(1990, 2, 28), "31.02.2024", None),
    ("3", "not-an-email", "Сидоров", "Пётр", "Петрович", None, None, None),
    ("4", None, "Кузнецова", "Мария", "Ивановна", date(1975, 12, 1), None, None),
    (None, "nobody@example.com", "Никто", "Некто", "Нектович", None, None, None),
    ("6", "olga@example.com", "Смирнова", "Ольга", "Сергеевна", date(1985, 7, 7), "01.06.2015", "regular"),
]
DDL = (
    "CREATE TABLE {t} (ord INTEGER, id VARCHAR(20), email VARCHAR(100), last_name VARCHAR(50),"
    " first_name VARCHAR(50), patronymic VARCHAR(50), birthday DATE, founded VARCHAR(20), tier VARCHAR(20))"
)
INSERT = "INSERT INTO {t} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
SELECT = "SELECT id, email, last_name, first_name, patronymic, birthday, founded, tier FROM {t} ORDER BY ord"


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    if parts.password or not parts.username:
        return url
    netloc = f"{parts.username}:{password}@{parts.netloc.rsplit('@', 1)[1]}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@pytest.fixture
def pg_crm() -> Iterator[tuple[str, str]]:
    """(source URL, query) of a PostgreSQL CRM table holding ROWS."""
    with databases.pg_schema() as (_, schema), databases.pg_admin() as conn:
        table = f"{schema}.clients"
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(DDL.format(t=table))
        with conn.cursor() as cur:
            cur.executemany(INSERT.format(t=table), [(i, *r) for i, r in enumerate(ROWS)])
        # Trust authentication ignores a password: use one, to prove it never shows.
        url = with_password(databases.PG_URL, "topsecret")
        try:
            psycopg.connect(url, connect_timeout=3).close()
        except psycopg.Error:
            url = databases.PG_URL  # the server checks passwords: keep the configured one
        yield url, SELECT.format(t=table)


@pytest.fixture
def maria_crm() -> Iterator[tuple[str, str]]:
    with databases.mysql_database() as (url, name), databases.mysql_connect(name) as conn:
        with conn.cursor() as cur:
            cur.execute(DDL.format(t="clients") + " CHARACTER SET utf8mb4")
            cur.executemany(INSERT.format(t="clients"), [(i, *r) for i, r in enumerate(ROWS)])
        yield url, SELECT.format(t="clients")


@pytest.fixture(params=["postgresql", "mariadb"])
def crm(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.getfixturevalue("pg_crm" if request.param == "postgresql" else "maria_crm")  # type: ignore[no-any-return]


def sql_source(url: str, query: str, formats: list[str] = FORMATS) -> ContactsSource:
    return ContactsSource(
        source="sql", url=url, query=query, columns=COLUMNS, dates=DATES, date_formats=formats
    )


def summary(c: Contact) -> tuple[object, ...]:
    return (
        c.id,
        c.email,
        c.last_name,
        c.first_name,
        c.patronymic,
        c.tier,
        dict(c.dates),
        sorted(c.bad_dates),
    )


def test_bad_rows_are_located_problems_and_the_other_rows_load(crm: tuple[str, str]) -> None:
    url, query = crm
    contacts, report = load_contacts(sql_source(url, query), Defaults())
    shown = redact(url)
    assert report.source == shown
    assert (report.rows_read, report.loaded, report.rejected) == (6, 4, 2)
    assert [str(p) for p in report.problems] == [
        f"{shown}: contact '2' (row 2): founded: warning: '31.02.2024' is not a real date: February has no 31st; company_founded greetings are skipped for this contact",
        f"{shown}: contact '3' (row 3): email: 'not-an-email' is not a valid e-mail address",
        f"{shown}: contact '4' (row 4): email: warning: no e-mail; this contact will be skipped as no_email",
        f"{shown}:row 5: id: empty id: every contact needs one (the CRM's client id)",  # no id to name
    ]
    assert [summary(c) for c in contacts] == [
        ("1", "ivan@example.com", "Иванов", "Иван", "Петрович", "VIP",
         {"birthday": date(1980, 5, 17), "company_founded": date(2010, 3, 1)}, []),
        ("2", "anna@example.com", "Петрова", "Анна", "Ильинична", None,
         {"birthday": date(1990, 2, 28)}, ["company_founded"]),
        ("4", None, "Кузнецова", "Мария", "Ивановна", None, {"birthday": date(1975, 12, 1)}, []),
        ("6", "olga@example.com", "Смирнова", "Ольга", "Сергеевна", "regular",
         {"birthday": date(1985, 7, 7), "company_founded": date(2015, 6, 1)}, []),
    ]  # fmt: skip
    password = urlsplit(url).password
    assert not password or all(password not in str(p) for p in report.problems)


def test_an_sql_source_reads_exactly_like_the_same_rows_as_csv(
    pg_crm: tuple[str, str], tmp_path: Path
) -> None:
    """One RowParser for every source: same contacts, same problems (SQL row N is CSV row N+1)."""
    url, query = pg_crm
    lines = ["id;email;last_name;first_name;patronymic;birthday;founded;tier"]
    for r in ROWS:
        cells = [r[0], r[1], r[2], r[3], r[4], r[5].strftime("%d.%m.%Y") if r[5] else None, r[6], r[7]]
        lines.append(";".join(c or "" for c in cells))
    (tmp_path / "crm.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    csv_cfg = ContactsSource(path=tmp_path / "crm.csv", columns=COLUMNS, dates=DATES, date_formats=FORMATS)
    from_csv, csv_report = load_contacts(csv_cfg, Defaults())
    from_sql, sql_report = load_contacts(sql_source(url, query), Defaults())
    assert [summary(c) for c in from_sql] == [summary(c) for c in from_csv]
    assert [(p.line, p.field, p.message, p.severity) for p in sql_report.problems] == [
        ((p.line or 0) - 1, p.field, p.message, p.severity) for p in csv_report.problems
    ]


def test_typed_dates_load_whatever_text_formats_are_configured(pg_crm: tuple[str, str]) -> None:
    url, query = pg_crm
    contacts, _ = load_contacts(sql_source(url, query, formats=["%d.%m.%Y"]), Defaults())
    assert contacts[0].dates["birthday"] == date(1980, 5, 17)  # a DATE column, handed over as ISO text


def _hwm_kib() -> int:
    return int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))  # type: ignore[union-attr]


def peak_growth_mib(run: Callable[[], None]) -> float:
    """Peak resident memory growth of ``run`` — C buffers included (libpq's, the socket's)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark to the current RSS
    except OSError:
        pytest.skip("cannot reset the RSS high-water mark here (/proc/self/clear_refs)")
    before = _hwm_kib()
    run()
    return (_hwm_kib() - before) / 1024


BIG = {
    "postgresql": "SELECT g AS id, 'user' || g || '@example.com' AS email, 'Иван' AS first_name,"
    " 'Петрович' AS patronymic, 'Иванов' AS last_name, DATE '1960-01-01' + (g % 15000) AS birthday,"
    " repeat('x', 200) AS note FROM generate_series(1, 200000) g",
    "mariadb": "SELECT seq AS id, CONCAT('user', seq, '@example.com') AS email, 'Иван' AS first_name,"
    " 'Петрович' AS patronymic, 'Иванов' AS last_name, DATE '1960-01-01' + INTERVAL (seq MOD 15000) DAY"
    " AS birthday, REPEAT('x', 200) AS note FROM seq_1_to_200000",
}


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
def test_200k_rows_stream_through_in_little_memory(backend: str) -> None:
    """The source holds one fetch batch, never the result (a buffered fetch of it: ≈220 MiB)."""
    url = databases.require_pg() if backend == "postgresql" else databases.require_mysql()
    count = 0
    last: list[str] = []

    def stream() -> None:
        nonlocal count, last
        for _, cells in read_rows(url, BIG[backend]):
            count += 1
            last = cells

    growth = peak_growth_mib(stream)
    assert count == 200_001 and last[:2] == ["200000", "user200000@example.com"] and len(last[6]) == 200
    assert growth < 16, f"peak memory grew by {growth:.1f} MiB while streaming 200k rows"


@pytest.mark.parametrize(
    ("url", "expected", "code"),
    [
        (
            "postgresql://greeter:hunter2@127.0.0.1:1/crm",
            "postgresql://greeter@127.0.0.1:1/crm: cannot connect: ",
            75,  # down now: try again later
        ),
        ("mysql://greeter:hunter2@127.0.0.1:1/crm", "mysql://greeter@127.0.0.1:1/crm: cannot connect: ", 75),
        ("oracle://greeter:hunter2@db/crm", "oracle://greeter@db/crm: unsupported contacts database URL", 2),
    ],
)
def test_unreachable_or_unknown_databases_are_one_line_errors_without_the_password(
    url: str, expected: str, code: int
) -> None:
    with pytest.raises(ContactsError) as info:
        list(read_rows(url, "SELECT 1"))
    message = str(info.value)
    assert message.startswith(expected) and "hunter2" not in message and "\n" not in message
    assert info.value.exit_code == code


def test_query_errors_name_the_source_and_the_reason(
    pg_crm: tuple[str, str], maria_crm: tuple[str, str]
) -> None:
    pg, _ = pg_crm
    maria, _ = maria_crm
    cases = [
        (
            pg,
            "SELECT * FROM no_such_table",
            'the contacts query failed: relation "no_such_table" does not exist',
        ),
        (maria, "SELECT * FROM no_such_table", "the contacts query failed: Table '"),
        (maria, "SELEKT 1", "the contacts query failed: You have an error in your SQL syntax"),
    ]
    for url, query, expected in cases:
        with pytest.raises(ContactsError) as info:
            list(read_rows(url, query))
        assert str(info.value).startswith(f"{redact(url)}: {expected}"), str(info.value)


@contextmanager
def counting_relay(url: str) -> Iterator[tuple[str, list[int]]]:
    """``url`` through a loopback TCP relay: (the URL to use, [bytes the server sent that reached the client]).

    The relay passes bytes on only as fast as the client takes them (the
    socket buffers in between hold a few MB), so the count says how much of a
    result the client read, without a clock.
    """
    parts = urlsplit(url)
    listener = socket.create_server(("127.0.0.1", 0))
    relayed = [0]
    ends: list[socket.socket] = []
    pumps: list[threading.Thread] = []

    def pump(source: socket.socket, sink: socket.socket, counted: bool) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
                if counted:
                    relayed[0] += len(chunk)
        for end in (source, sink):  # one side gone: so is the other, which ends the other pump
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                client, _ = listener.accept()
                server = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 3306))
                ends.extend((client, server))
                for args in ((client, server, False), (server, client, True)):
                    pumps.append(threading.Thread(target=pump, args=args, daemon=True))
                    pumps[-1].start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    user = parts.netloc.rpartition("@")[0]
    netloc = (f"{user}@" if user else "") + f"127.0.0.1:{listener.getsockname()[1]}"
    try:
        yield urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), relayed
    finally:
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() (closing the socket would not)
        listener.close()
        acceptor.join(timeout=10)
        for thread in pumps:
            thread.join(timeout=10)
        for end in ends:
            end.close()


def test_a_wrong_column_stops_at_the_header_without_reading_the_rest() -> None:
    huge = "SELECT seq AS id, CONCAT('u', seq, '@example.com') AS email, REPEAT('x', 500) AS note FROM seq_1_to_1000000"
    with counting_relay(databases.require_mysql()) as (url, relayed):
        cfg = ContactsSource(source="sql", url=url, query=huge, columns=Columns(email="e_mail"))
        with pytest.raises(
            ContactsError, match=r"'e_mail' \(contacts.columns.email, did you mean 'email'\?\)"
        ):
            list(iter_contacts(cfg, Defaults(), LoadReport(source="x")))
    # The result is 0.5 GB; drained, every byte of it would have passed the relay.
    assert relayed[0] < 64 * 2**20, f"{relayed[0] / 2**20:.0f} MiB of the unread rows were read, not dropped"


def as_example_headers(query: str) -> str:
    """The CRM query with its columns renamed to config.example.yaml's headers."""
    table = query.split(" FROM ", 1)[1]
    return (
        'SELECT id AS "ID", email AS "Email", last_name AS "Фамилия", first_name AS "Имя",'
        ' patronymic AS "Отчество", NULL AS "Пол", NULL AS "Компания", NULL AS "Часовой пояс", NULL AS "Язык",'
        ' tier AS "Категория", NULL AS "Теги", birthday AS "Дата рождения",'
        f' founded AS "Дата основания компании", NULL AS "Первая сделка", NULL AS "Страна" FROM {table}'
    )


def test_stopping_early_closes_the_connection_at_once(pg_crm: tuple[str, str]) -> None:
    """An abandoned stream must not keep a transaction (and a lock on the CRM's table) open."""
    url, query = pg_crm
    cfg = ContactsSource(source="sql", url=url, query=query, columns=Columns(email="e_mail"))
    try:
        list(iter_contacts(cfg, Defaults(), LoadReport(source="x")))
    except ContactsError as exc:
        kept = exc  # a caller holding the error (to log it) keeps every frame, and the stream, alive
    else:
        pytest.fail("the missing column was not reported")
    assert "not found" in str(kept)
    with databases.pg_admin() as conn:
        lingering = conn.execute(
            "SELECT state FROM pg_stat_activity WHERE query LIKE 'DECLARE \"greeter_contacts\"%%'"
            " AND query LIKE %s AND pid <> pg_backend_pid()",
            (f"%{query.split(' FROM ', 1)[1].split()[0]}%",),
        ).fetchall()
    del kept
    gc.collect()  # a leaked stream goes now, so a failure below cannot block the teardown's DROP
    assert lingering == []


def test_greeter_check_reports_both_databases(make_project: MakeProject, pg_crm: tuple[str, str]) -> None:
    url, query = pg_crm
    with databases.pg_schema() as (journal_url, schema):
        config = make_project(
            [contact_row("1", "a@example.com")],
            contacts={"source": "sql", "url": url, "query": as_example_headers(query)},
            storage={"url": journal_url},
        )
        result = CliRunner().invoke(main, ["--config", str(config), "check", "--json"])
        found = json.loads(result.stdout)["databases"]
        assert found["journal"]["reachable"] and found["journal"]["schema_version"] is None
        assert found["journal"]["detail"].endswith(
            f"no journal yet in schema {schema} (the first send creates it)"
        )
        assert found["contacts"] == {
            "url": redact(url), "reachable": True, "schema_version": None, "latest_version": None,
            "detail": found["contacts"]["detail"],
        }  # fmt: skip
        assert found["contacts"]["detail"].startswith("reachable (PostgreSQL ")
        with databases.pg_admin() as conn:  # check created nothing
            assert conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone() is None
        # a command that writes creates it (a reader, like history, no longer does)
        CliRunner().invoke(main, ["--config", str(config), "suppress", "nobody@example.com"])
        text = CliRunner().invoke(main, ["--config", str(config), "check"]).stdout
        assert (
            f"journal: {redact(journal_url)}: PostgreSQL " in text
            and f"journal schema version {len(PG_MIGRATIONS)} of {len(PG_MIGRATIONS)}" in text
        )
        broken = make_project([], storage={"url": "postgresql://greeter:hunter2@127.0.0.1:1/x"})
        result = CliRunner().invoke(main, ["--config", str(broken), "check"])
        # 75, not 1: a server that does not answer is "try again later", as for send (README)
        assert result.exit_code == 75 and "hunter2" not in result.stdout + result.stderr
        assert "postgresql://greeter@127.0.0.1:1/x: storage.url: unreachable: " in result.stderr


def test_a_timestamptz_date_is_the_day_in_the_default_zone_not_the_sessions() -> None:
    """``birth timestamptz = '1960-12-07 00:00:00+03'`` with the server in UTC was 6 December:
    the moment is taken in ``defaults.timezone``; a plain timestamp keeps its day as written."""
    with databases.pg_schema() as (_, schema), databases.pg_admin() as conn:
        table = f"{schema}.clients"
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"CREATE TABLE {table} (id TEXT, email TEXT, birth TIMESTAMPTZ, founded TIMESTAMP)")
        conn.execute(
            f"INSERT INTO {table} VALUES ('1', 'a@example.com', '1960-12-07 00:00:00+03', '2010-03-01 23:30'),"
            f" ('2', 'b@example.com', '1970-01-01 23:30:00+00', '2011-01-01 00:00')"
        )
        url = databases.with_query(databases.PG_URL, "options=-c%20TimeZone%3DEtc%2FUTC")
        query = f"SELECT id, email, birth AS birthday, founded FROM {table} ORDER BY id"
        names = Columns(first_name=None, patronymic=None, last_name=None)
        cfg = ContactsSource(source="sql", url=url, query=query, columns=names, dates=DATES)
        for zone, days in (
            ("Europe/Moscow", [date(1960, 12, 7), date(1970, 1, 2)]),
            ("America/New_York", [date(1960, 12, 6), date(1970, 1, 1)]),
        ):
            contacts, report = load_contacts(cfg, Defaults(timezone=zone))
            assert not report.problems, report.problems
            assert [c.dates["birthday"] for c in contacts] == days, zone
            assert [c.dates["company_founded"] for c in contacts] == [date(2010, 3, 1), date(2011, 1, 1)]
