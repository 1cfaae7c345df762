"""A CRM's own opt-out column (``contacts.columns.do_not_contact``): «Не писать» = да skips the client.

A user moving from another tool keeps the opt-out in the CRM (Bitrix24's «Не
беспокоить», amoCRM's "Unsubscribed"). Mapped, the column makes the planner
skip the client as ``suppressed`` — as the journal's do-not-contact list does,
but without writing to the journal: clearing the flag in the CRM greets the
client again, and a new journal needs no list. Real files, a real SQLite
journal through the CLI, real PostgreSQL and MariaDB for the SQL source.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from email import message_from_bytes, policy
from email.utils import parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from greeter.cli import main
from greeter.config import Defaults, Settings
from greeter.config_contacts import Columns, ContactsSource
from greeter.config_loader import parse_settings
from greeter.contacts import Contact
from greeter.gallery_words import russian_detail
from greeter.planner import plan, plan_window
from greeter.sources import LoadReport, load_contacts
from greeter.sources.yes_no import read_yes_no
from tests import databases
from tests.conftest import HEADER, TODAY, MakeProject, contact_row

MSK = ZoneInfo("Europe/Moscow")
COLUMN = "Не писать"
DETAIL = f"the CRM marks this contact do-not-contact (column «{COLUMN}»)"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("да", True), ("Да", True), ("ДА", True), ("д", True), ("yes", True), ("Yes", True),
        ("y", True), ("TRUE", True), ("True", True), ("ИСТИНА", True), ("1", True), ("x", True),
        ("X", True), ("Х", True), ("✓", True), ("✔", True), ("+", True), (" да ", True), ("да.", True),
        ("", False), ("   ", False), ("нет", False), ("Нет", False), ("н", False), ("no", False),
        ("N", False), ("false", False), ("False", False), ("ЛОЖЬ", False), ("0", False), ("-", False),
        ("может быть", None), ("не писать", None), ("2", None), ("yess", None), ("?", None),
        ("✗", None), (".", None),
    ],
)  # fmt: skip
def test_yes_and_no_are_read_in_russian_english_and_crm_exports(text: str, said: bool | None) -> None:
    assert read_yes_no(text) is said


def write_csv(path: Path, flags: dict[str, str]) -> Path:
    """A CRM export of one client per flag (id → the «Не писать» cell), each with a birthday on 2 March."""
    rows = [f"{cid};c{cid}@example.com;Анна;02.03.1980;{flag}" for cid, flag in flags.items()]
    path.write_text("\n".join([f"ID;Email;Имя;Дата рождения;{COLUMN}", *rows]) + "\n", encoding="utf-8")
    return path


FLAGS = {"1": "да", "2": "нет", "3": "", "4": "может быть", "5": "YES", "6": "✓", "7": "0"}


def test_the_column_flags_contacts_and_an_unreadable_value_is_a_row_warning(tmp_path: Path) -> None:
    contacts, report = load(tmp_path, FLAGS)
    path = tmp_path / "contacts.csv"
    assert {c.id: c.do_not_contact for c in contacts} == {
        "1": COLUMN, "2": None, "3": None, "4": COLUMN, "5": COLUMN, "6": COLUMN, "7": None,
    }  # fmt: skip
    assert [str(p) for p in report.problems] == [
        f"{path}:row 5: {COLUMN}: warning: 'может быть' is neither yes nor no; this contact is treated"
        " as do-not-contact: write да or нет (yes or no) in the CRM"
    ]
    assert all(COLUMN not in c.extra for c in contacts)  # the flag is not template data


CONFIG = f"""\
sender: {{name: Shop, email: hello@shop.example}}
contacts:
  path: contacts.csv
  columns: {{id: ID, email: Email, first_name: Имя, patronymic: null, last_name: null, do_not_contact: {COLUMN}}}
  dates: {{birthday: Дата рождения}}
occasions:
  - {{name: birthday, field: birthday, template: birthday}}
"""


def settings(folder: Path) -> Settings:
    """The config of a project in ``folder``, whose contacts are ``folder/contacts.csv`` (:func:`write_csv`)."""
    return parse_settings(CONFIG, "g.yaml", folder, today=TODAY)


def load(folder: Path, flags: dict[str, str]) -> tuple[list[Contact], LoadReport]:
    """The contacts of an export of ``flags`` written to ``folder/contacts.csv``, as the config reads them."""
    write_csv(folder / "contacts.csv", flags)
    s = settings(folder)
    return load_contacts(s.contacts, s.defaults)


def planned(folder: Path, contacts: list[Contact]) -> dict[str, tuple[str, str | None, str | None]]:
    """Each contact's birthday on 2 March 2027 as planned: (status, reason, detail)."""
    pw = plan_window(
        settings(folder), now=datetime(2027, 3, 1, 9, tzinfo=MSK), start=date(2027, 3, 1), days=3
    )
    items = plan(contacts, pw)
    return {i.hit.contact.id: (i.status, i.reason, i.detail) for i in items if i.hit.occasion == "birthday"}


def test_the_plan_skips_a_flagged_contact_as_suppressed_and_greets_the_others(tmp_path: Path) -> None:
    contacts, _ = load(tmp_path, FLAGS)
    got = planned(tmp_path, contacts)
    skipped = ("skip", "suppressed", DETAIL)
    assert {cid: got[cid] for cid in ("1", "5", "6")} == dict.fromkeys(("1", "5", "6"), skipped)
    assert {cid: got[cid][:2] for cid in ("2", "3", "7")} == dict.fromkeys(("2", "3", "7"), ("send", None))
    # A cell that says neither is not "the CRM marks this contact": the data needs fixing, so it says so.
    unread = (
        f"the CRM's column «{COLUMN}» says 'может быть', neither yes nor no:"
        " treated as do-not-contact until it says no"
    )
    assert got["4"] == ("skip", "suppressed", unread)
    assert russian_detail(unread) == (
        f"в столбце CRM «{COLUMN}» стоит 'может быть' — ни «да», ни «нет»:"
        " контакту не пишем, пока там не будет «нет»"
    )


def test_clearing_the_flag_in_the_crm_greets_the_client_again(tmp_path: Path) -> None:
    before, _ = load(tmp_path, {"1": "да"})
    assert planned(tmp_path, before)["1"] == ("skip", "suppressed", DETAIL)
    after, _ = load(tmp_path, {"1": "нет"})
    assert planned(tmp_path, after)["1"][:2] == ("send", None)


def test_the_gallery_says_it_in_russian(tmp_path: Path) -> None:
    contacts, _ = load(tmp_path, {"1": "да"})
    detail = planned(tmp_path, contacts)["1"][2]
    assert russian_detail(detail) == f"в CRM контакту не пишут: отметка в столбце «{COLUMN}»"


def greeter(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config), *args])


def preview(config: Path) -> dict[str, tuple[str, str | None, str | None]]:
    """``greeter preview --format json`` of 13 April 2027: each address's birthday (status, reason, detail)."""
    result = greeter(
        config,
        "preview",
        "--from",
        "2027-04-13",
        "--days",
        "1",
        "--format",
        "json",
        "--now",
        "2027-04-13T09:00",
    )
    assert result.exit_code == 0, result.output
    return {
        d["email"]: (d["status"], d["reason"], d["detail"])
        for d in json.loads(result.stdout)
        if d["occasion"] == "birthday"
    }


def project(make_project: MakeProject, flags: dict[str, str]) -> Path:
    """The example project with a «Не писать» column mapped, one client per flag (address → cell)."""
    config = make_project([], contacts={"columns": {"do_not_contact": COLUMN}})
    rows = [
        contact_row(str(i), email, birthday="13.04.1980") + f";{flag}"
        for i, (email, flag) in enumerate(flags.items(), 1)
    ]
    csv = config.parent / "data" / "contacts.csv"
    csv.write_text("\n".join([f"{HEADER};{COLUMN}", *rows]) + "\n", encoding="utf-8-sig")
    return config


def test_preview_shows_the_flagged_client_as_suppressed_and_send_writes_no_list(
    make_project: MakeProject,
) -> None:
    config = project(make_project, {"anna@example.com": "да", "boris@example.com": "нет"})
    assert preview(config) == {
        "anna@example.com": ("skip", "suppressed", DETAIL),
        "boris@example.com": ("send", None, None),
    }
    sent = greeter(config, "send", "--once", "--now", "2027-04-13T17:25")
    assert sent.exit_code == 0, sent.output
    outbox = (config.parent / "data" / "outbox").glob("*.eml")
    letters = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox]
    assert [parseaddr(str(m["To"]))[1] for m in letters] == ["boris@example.com"]
    listed = greeter(config, "suppress", "--list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == []  # the CRM stays the source of truth: nothing was copied
    project(make_project, {"anna@example.com": "", "boris@example.com": "нет"})
    assert preview(config)["anna@example.com"][:2] == ("send", None)


@pytest.fixture(params=["postgresql", "mariadb"])
def crm(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(source URL, query) of a CRM table whose ``do_not_email`` column is a real boolean (NULL: unset)."""
    rows = [(1, "c1@example.com", True), (2, "c2@example.com", False), (3, "c3@example.com", None)]
    ddl = "CREATE TABLE {t} (id INTEGER, email VARCHAR(100), first_name VARCHAR(50), do_not_email BOOLEAN)"
    insert = "INSERT INTO {t} VALUES (%s, %s, 'Анна', %s)"
    if request.param == "postgresql":
        with databases.pg_schema() as (_, schema), databases.pg_admin() as conn:
            table = f"{schema}.clients"
            conn.execute(f"CREATE SCHEMA {schema}")
            conn.execute(ddl.format(t=table))
            with conn.cursor() as cur:
                cur.executemany(insert.format(t=table), rows)
            yield databases.PG_URL, f"SELECT id, email, first_name, do_not_email FROM {table} ORDER BY id"
    else:
        with databases.mysql_database() as (url, name), databases.mysql_connect(name) as conn:
            with conn.cursor() as cur:
                cur.execute(ddl.format(t="clients"))
                cur.executemany(insert.format(t="clients"), rows)
            yield url, "SELECT id, email, first_name, do_not_email FROM clients ORDER BY id"


def test_the_sql_source_reads_the_same_column(crm: tuple[str, str]) -> None:
    url, query = crm
    columns = Columns(id="id", email="email", patronymic=None, last_name=None, do_not_contact="do_not_email")
    cfg = ContactsSource(source="sql", url=url, query=query, columns=columns)
    contacts, report = load_contacts(cfg, Defaults())
    assert report.problems == []
    assert {c.id: c.do_not_contact for c in contacts} == {"1": "do_not_email", "2": None, "3": None}


def test_a_retry_waiting_when_the_crm_flags_the_contact_is_not_sent(make_project: MakeProject) -> None:
    """A 4xx'd letter written before the CRM's flag went on: its stored bytes must not go either."""
    from greeter.testing import SmtpSink
    from tests.test_send_e2e import NOW, greeter, history, people, smtp

    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        sink.reject("client1@example.com", 451)
        first = greeter(config, "send", "--once", "--now", NOW)
        assert "sent: 1" in first.stdout and "retry: 1" in first.stdout, first.stdout + first.stderr
        sink.reset()
        # The client asks not to be written to; the CRM export now carries the flag.
        make_project(people(2), **smtp(sink.port), contacts={"columns": {"do_not_contact": COLUMN}})
        contacts = config.parent / "data" / "contacts.csv"
        lines = contacts.read_text(encoding="utf-8-sig").splitlines()
        flagged = [f"{lines[0]};{COLUMN}", f"{lines[1]};да", f"{lines[2]};нет"]
        contacts.write_text("\n".join(flagged) + "\n", encoding="utf-8-sig")
        later = greeter(config, "send", "--once", "--now", "2027-04-14T11:02:00+03:00")
        assert "sent: 0" in later.stdout and "suppressed 1" in later.stdout, later.stdout + later.stderr
        assert sink.messages == []
    row = next(r for r in history(config) if r["contact_id"] == "1")
    assert (row["state"], row["reason_code"]) == ("skipped", "suppressed"), row
    assert DETAIL in row["reason"]
