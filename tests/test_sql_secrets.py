"""The CRM database's password out of the config, and TLS to a MariaDB/MySQL CRM.

``contacts.password_env`` names the variable holding the password, as
``delivery.smtp.password_env`` does for SMTP; MariaDB's own option file
(``?read_default_file=``) is the other way. ``?sslmode=`` takes libpq's words
for MariaDB too. Real MariaDB (a user with a password in a throw-away
database); the local server has no TLS, so what a TLS server does is played
by a few lines of fake handshake with an ``openssl``-made certificate.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import struct
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.db_url import redact
from greeter.errors import ContactsError
from greeter.sources import LoadReport, iter_contacts
from greeter.sources.sql_mariadb import mysql_sslmode
from greeter.sources.sql_source import read_rows, server_version
from tests import databases
from tests.test_config import MINIMAL, errors_of

VAR = "GREETER_TEST_CRM_PASSWORD"
QUERY = "SELECT id, email FROM clients ORDER BY id"


# --- the config ---------------------------------------------------------------------------------


def sql_config(extra: str) -> str:
    contacts = "contacts:\n  source: sql\n  url: mariadb://crm@db:3306/crm\n  query: SELECT * FROM clients\n"
    return MINIMAL.replace("contacts:\n  path: contacts.csv\n", contacts + extra)


def test_password_env_names_a_variable_never_the_password_itself() -> None:
    problems = errors_of(sql_config("  password_env: 'hunter2 secret!'\n"))
    assert problems == [
        "greeter.yaml:8:3: contacts.password_env: password_env names an environment variable"
        " (e.g. GREETER_CRM_PASSWORD), never the password itself"
    ]


def test_password_env_is_for_a_database_and_the_password_is_in_one_place_only() -> None:
    on_file = MINIMAL.replace("  path: contacts.csv\n", "  path: contacts.csv\n  password_env: CRM_PW\n")
    assert (
        "contacts.password_env: password_env is for source 'sql' (a file has no password)"
        in (errors_of(on_file)[0])
    )
    both = sql_config("  password_env: CRM_PW\n").replace("crm@db", "crm:hunter2@db")
    (problem,) = errors_of(both)
    assert "contacts.url: the url has a password and password_env names a variable" in problem
    assert "hunter2" not in problem


# --- MariaDB: the password from the environment or MySQL's option file ----------------------------


@pytest.fixture
def crm_user() -> Iterator[tuple[str, str]]:
    """(URL of a fresh CRM database as a user with a password, not in the URL; that password)."""
    with databases.mysql_database() as (url, name):
        user = databases.unique("greeter_u")
        password = f"s3cr:t@p%w/{user[-6:]}"  # the URL would need it escaped; a variable does not
        with databases.mysql_connect(name) as conn, conn.cursor() as cur:
            cur.execute("CREATE TABLE clients (id VARCHAR(10), email VARCHAR(100))")
            cur.execute("INSERT INTO clients VALUES ('1', 'ivan@example.com'), ('2', 'anna@example.com')")
            cur.execute("CREATE USER %s@'%%' IDENTIFIED BY %s", (user, password))
            cur.execute(f"GRANT SELECT ON {name}.* TO %s@'%%'", (user,))
        parts = urlsplit(url)
        netloc = f"{user}@{parts.hostname}:{parts.port or 3306}"
        try:
            yield urlunsplit((parts.scheme, netloc, parts.path, "", "")), password
        finally:
            with databases.mysql_connect() as conn, conn.cursor() as cur:
                cur.execute("DROP USER IF EXISTS %s@'%%'", (user,))


def test_the_password_comes_from_the_variable_password_env_names(
    crm_user: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, password = crm_user
    monkeypatch.setenv(VAR, password)
    rows = list(read_rows(url, QUERY, password_env=VAR))
    assert rows == [(0, ["id", "email"]), (1, ["1", "ivan@example.com"]), (2, ["2", "anna@example.com"])]
    assert server_version(url, password_env=VAR).startswith(("MariaDB ", "MySQL "))
    # and from the config, through the contacts loader
    named = "SELECT id, email, 'Иван' AS first_name, '' AS patronymic, 'Иванов' AS last_name FROM clients"
    cfg = ContactsSource(source="sql", url=url, query=named, columns=Columns(id="id"), password_env=VAR)
    contacts = list(iter_contacts(cfg, Defaults(), LoadReport(source="crm")))
    assert [c.email for c in contacts] == ["ivan@example.com", "anna@example.com"]


@pytest.mark.parametrize(
    ("value", "said"),
    [(None, "is not set"), ("", "is not set (it is empty)"), ("  ", "is not set (it is empty)")],
)
def test_an_unset_or_empty_variable_is_named_before_any_connection(
    crm_user: tuple[str, str], monkeypatch: pytest.MonkeyPatch, value: str | None, said: str
) -> None:
    url, _ = crm_user
    if value is None:
        monkeypatch.delenv(VAR, raising=False)
    else:
        monkeypatch.setenv(VAR, value)
    for attempt in (lambda: list(read_rows(url, QUERY, password_env=VAR)), lambda: server_version(url, VAR)):
        with pytest.raises(ContactsError) as info:
            attempt()
        assert str(info.value) == f"{url}: contacts.password_env: environment variable {VAR} {said}"
        assert info.value.exit_code == 2


def test_a_wrong_password_is_refused_by_the_server_and_never_shown(
    crm_user: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = crm_user
    monkeypatch.setenv(VAR, "wrong-Pa55word")
    with pytest.raises(ContactsError) as info:
        list(read_rows(url, QUERY, password_env=VAR))
    message = str(info.value)
    assert message.startswith(f"{url}: cannot connect: Access denied for user") and "(error 1045)" in message
    assert "wrong-Pa55word" not in message and info.value.exit_code == 2


def test_mysqls_own_option_file_gives_the_password(crm_user: tuple[str, str], tmp_path: Path) -> None:
    url, password = crm_user
    option_file = tmp_path / "my.cnf"
    option_file.write_text(f'[client]\npassword="{password}"\n', encoding="utf-8")
    rows = list(read_rows(f"{url}?read_default_file={option_file}", QUERY))
    assert rows[1] == (1, ["1", "ivan@example.com"])
    missing = f"{url}?read_default_file={tmp_path / 'nope.cnf'}"
    with pytest.raises(ContactsError) as info:
        list(read_rows(missing, QUERY))
    assert (
        str(info.value)
        == f"{missing}: read_default_file {tmp_path / 'nope.cnf'}: cannot read (No such file or directory)"
    )
    option_file.write_text("password=outside any section\n", encoding="utf-8")
    with pytest.raises(
        ContactsError, match=r"read_default_file .*: not an option file \(File contains no section"
    ):
        list(read_rows(f"{url}?read_default_file={option_file}", QUERY))


def test_postgresql_takes_the_password_from_the_variable_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """One way for the config whichever the CRM; libpq's PGPASSWORD still works when password_env is unset.

    The test server trusts every login, so what reaches libpq is looked at instead.
    """
    import psycopg

    seen: list[dict[str, Any]] = []

    def connect(conninfo: str, **kwargs: Any) -> None:
        seen.append(kwargs)
        raise psycopg.OperationalError("connection refused")

    monkeypatch.setattr(psycopg, "connect", connect)
    monkeypatch.setenv(VAR, "pg-Pa55")
    for password_env, expected in ((VAR, "pg-Pa55"), (None, None)):
        with pytest.raises(ContactsError) as info:
            list(read_rows("postgresql://crm@db/crm", "SELECT 1", password_env=password_env))
        assert seen.pop().get("password") == expected and "pg-Pa55" not in str(info.value)


# --- TLS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "mode"),
    [
        ({}, None),
        ({"sslmode": "require"}, "require"),
        ({"sslmode": "VERIFY_IDENTITY"}, "verify-full"),
        ({"ssl_ca": "/ca.pem"}, "verify-ca"),
        ({"ssl_ca": "/ca.pem", "sslmode": "verify-full"}, "verify-full"),
        ({"sslmode": "disable"}, "disable"),
    ],
)
def test_sslmode_speaks_libpqs_words(params: dict[str, str], mode: str | None) -> None:
    assert mysql_sslmode(params) == mode


def test_tls_settings_that_cannot_work_are_refused_in_words() -> None:
    url = "mariadb://crm@127.0.0.1:1/crm"
    cases = {
        "sslmode=prefer": "sslmode='prefer' is not one of disable, require, verify-ca, verify-full (prefer and",
        "sslmode=require&ssl_ca=/ca.pem": "ssl_ca is for sslmode=verify-ca or verify-full, not sslmode=require",
        "ssl_ca=/no/such/ca.pem": "ssl_ca /no/such/ca.pem: cannot read the CA certificate (No such file or directory)",
        "sslcert=/c.pem": "unknown URL parameter 'sslcert' (supported: charset, unix_socket, connect_timeout,"
        " sslmode, ssl_ca, read_default_file)",
    }
    for query, expected in cases.items():
        with pytest.raises(ContactsError) as info:
            list(read_rows(f"{url}?{query}", "SELECT 1"))
        assert str(info.value) == f"{url}?{query}: {expected}" or str(info.value).startswith(
            f"{url}?{query}: {expected}"
        ), str(info.value)
        assert info.value.exit_code == 2


def test_sslmode_require_to_a_server_without_tls_is_a_clear_error() -> None:
    url = databases.require_mysql()
    with databases.mysql_connect() as conn, conn.cursor() as cur:
        cur.execute("SHOW VARIABLES LIKE 'have_ssl'")
        row = cur.fetchone()
    if row is not None and row[1] == "YES":
        pytest.skip("this MariaDB has TLS set up")
    wanted = databases.with_query(url, "sslmode=require")
    with pytest.raises(ContactsError) as info:
        list(read_rows(wanted, "SELECT 1"))
    message = str(info.value)
    assert message.startswith(f"{redact(wanted)}: cannot connect: ") and "\n" not in message
    assert "the server has no TLS set up (ask its DBA), or drop sslmode from the URL" in message
    assert info.value.exit_code == 2  # no retry gives the server TLS
    assert list(read_rows(databases.with_query(url, "sslmode=disable"), "SELECT 1")) == [
        (0, ["1"]),
        (1, ["1"]),
    ]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(certificate, key) of a self-signed certificate for the name ``localhost`` only."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    name = ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    subprocess.run(
        ["openssl", "req", "-x509", *ec, "-keyout", str(key), "-out", str(cert), "-days", "2", *name],
        check=True,
        capture_output=True,
    )
    return cert, key


def _packet(seq: int, payload: bytes) -> bytes:
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


def _read_packet(sock: Any) -> bytes:
    head = b""
    while len(head) < 4:
        head += sock.recv(4 - len(head)) or b"?" * 4
    size = int.from_bytes(head[:3], "little")
    body = b""
    while len(body) < size:
        chunk = sock.recv(size - len(body))
        if not chunk:
            break
        body += chunk
    return body


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[int]:
    """The port of a fake MySQL server that offers TLS and, after the TLS handshake, refuses the login.

    Its refusal, ``fake server: TLS is up (error 1045)``, is the proof the
    client got through TLS with the settings the test gave.
    """
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(*certificate)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    caps = 1 | 4 | 512 | 2048 | 8192 | 32768 | (1 << 19)  # 4.1 protocol, SSL, secure auth, plugin auth
    hello = b"\x0a5.7.99-fake\x00" + struct.pack("<I", 7) + b"12345678\x00"
    hello += struct.pack("<HBHHB", caps & 0xFFFF, 45, 2, caps >> 16, 21) + b"\x00" * 10
    hello += b"abcdefghijkl\x00mysql_native_password\x00"

    def serve() -> None:  # one client: each test connects once
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        try:
            conn.settimeout(10)
            conn.sendall(_packet(0, hello))
            _read_packet(conn)  # the client's SSL request
            tls = server_tls.wrap_socket(conn, server_side=True)
            _read_packet(tls)  # the login, now encrypted
            tls.sendall(_packet(3, b"\xff" + struct.pack("<H", 1045) + b"#28000fake server: TLS is up"))
            tls.close()
        except OSError:  # the client refused the certificate
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        thread.join(5)


@pytest.mark.parametrize(
    ("host", "query"),
    [
        ("127.0.0.1", "sslmode=require"),  # encrypted, the certificate not checked
        ("127.0.0.1", "sslmode=verify-ca&ssl_ca={ca}"),  # the CA checked, not the name
        ("127.0.0.1", "ssl_ca={ca}"),  # verify-ca, as MySQL's --ssl-ca
        ("localhost", "sslmode=verify-full&ssl_ca={ca}"),  # the name in the certificate
    ],
)
def test_tls_modes_get_through_to_a_server_they_trust(
    tls_server: int, certificate: tuple[Path, Path], host: str, query: str
) -> None:
    url = f"mariadb://crm@{host}:{tls_server}/crm?{query.format(ca=certificate[0])}"
    with pytest.raises(ContactsError) as info:
        list(read_rows(url, "SELECT 1"))
    assert str(info.value) == f"{url}: cannot connect: fake server: TLS is up (error 1045)"


@pytest.mark.parametrize(
    "query",
    [
        "sslmode=verify-ca",  # the system's CAs do not know a self-signed certificate
        "sslmode=verify-full&ssl_ca={ca}",  # the certificate is for localhost, the URL says 127.0.0.1
    ],
)
def test_a_certificate_not_trusted_is_a_config_error_with_the_fix(
    tls_server: int, certificate: tuple[Path, Path], query: str
) -> None:
    url = f"mariadb://crm@127.0.0.1:{tls_server}/crm?{query.format(ca=certificate[0])}"
    with pytest.raises(ContactsError) as info:
        list(read_rows(url, "SELECT 1"))
    message = str(info.value)
    assert message.startswith(f"{url}: cannot connect: ") and "certificate verify failed" in message
    assert message.endswith(
        "; the server's certificate is not the one expected: give its CA as ssl_ca=PATH, use verify-ca if"
        " the URL's host is not the name in the certificate, or require to encrypt without checking"
    )
    assert info.value.exit_code == 2, "no retry makes the certificate trusted: not exit 75"


def test_check_logs_in_to_the_crm_with_the_password_env_password(
    crm_user: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``greeter check`` probes the CRM as loading does: with the variable's password (it said Access denied)."""
    from greeter.checks import CheckReport, check_databases

    url, password = crm_user
    monkeypatch.setenv(VAR, password)
    report = CheckReport(config_file=Path("greeter.yaml"), occasions=[])
    check_databases(report, "sqlite:///nowhere/journal.sqlite3", url, VAR)
    crm = report.databases[-1]
    assert crm.ok and crm.detail.startswith("reachable (MariaDB "), crm
