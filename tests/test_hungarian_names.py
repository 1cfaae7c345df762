"""A Hungarian team's CRM export: one full-name column, cp1250, family names first.

Reported by a Hungarian client-care team (``defaults.locale: hu``, a cp1250
export with ``;``):

* a full-name cell of three words lost one in the letter, silently: its third
  word was read as a Russian patronymic («Фамилия Имя Отчество»), which a
  Hungarian salutation leaves out — «Kovácsné Szabó Éva» was greeted «Tisztelt
  Kovácsné Szabó!», «Dr. Nagy Péterné» «Tisztelt Dr. Nagy!»;
* a row with no language was greeted in Hungarian order («Tisztelt Török
  Ernő!») but written given name first everywhere else (``To: Ernő Török``,
  the preview, the gallery, the calendar);
* ``encoding: auto`` warned that the cp1250 file might be cp1257 («'Azonosító'
  would be 'Azonosķtó'»), a reading no language writes;
* and a German client in the same column, «Huber Thomas», was greeted «Sehr
  geehrter Herr Thomas,» without a word, though a known first name second is
  documented to be read surname first, with a warning.

Each is checked through the CLI on a project ``greeter init --locale hu``
writes, with a cp1250 file, and at the function that decides it.
"""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from greeter.cli import main
from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact
from greeter.names import read_full_name
from greeter.sources import load_contacts

NOW = "2026-12-05T10:00:00+01:00"
HEADER = "Azonosító;E-mail;Név;Nem;Időzóna;Nyelv;Kategória;Születési dátum;Ország"


def row(cid: int, name: str, language: str = "hu", gender: str = "nő") -> str:
    """A row of a client whose birthday (14 December) is greeted in the preview from ``NOW``."""
    zone, country = ("Europe/Berlin", "DE") if language == "de" else ("Europe/Budapest", "HU")
    return f"{cid};c{cid}@pelda.hu;{name};{gender};{zone};{language};regular;1976-12-14;{country}"


def project(tmp_path: Path, rows: list[str]) -> Path:
    """``greeter init --locale hu``, its contacts a cp1250 export with one full-name column «Név»."""
    folder = tmp_path / "p"
    done = CliRunner().invoke(main, ["init", str(folder), "--locale", "hu"])
    assert done.exit_code == 0, done.output
    (folder / "data" / "contacts.csv").write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1250"))
    yaml = YAML()
    config = folder / "greeter.yaml"
    settings = yaml.load(config.read_text(encoding="utf-8"))
    columns = settings["contacts"]["columns"]
    columns.update(id="Azonosító", full_name="Név", first_name=None, last_name=None, patronymic=None)
    columns.update(company=None, tags=None)
    settings["contacts"]["dates"] = {"birthday": "Születési dátum"}
    settings["occasions"] = [o for o in settings["occasions"] if o["name"] == "birthday"]
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(settings, fh)
    return config


def run(config: Path, *args: str) -> str:
    done = CliRunner().invoke(main, ["--config", str(config), *args, "--now", NOW])
    assert done.exit_code == 0, done.output
    return done.output


def letters(config: Path, tmp_path: Path) -> dict[str, EmailMessage]:
    """The preview's .eml letters, by the address they go to."""
    out = tmp_path / "eml"
    run(config, "preview", "--days", "14", "--format", "eml", "--out", str(out))
    found: dict[str, EmailMessage] = {}
    for path in out.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(message, EmailMessage)
        found[message["To"].addresses[0].addr_spec] = message
    return found


def opening(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).strip().splitlines()[0]


@pytest.mark.parametrize(
    ("full", "last", "first"),
    [
        ("Kovács János", "Kovács", "János"),
        ("Kovácsné Szabó Éva", "Kovácsné Szabó", "Éva"),  # Mrs Kovács, born Szabó Éva
        ("Dr. Nagy Péterné", "Dr. Nagy", "Péterné"),  # the wife of Dr. Nagy Péter: her whole name
        ("Dr. Horváth Ödön", "Dr. Horváth", "Ödön"),
        ("dr. Horváth Ödön", "dr. Horváth", "Ödön"),
        ("ifj. Kovács János", "ifj. Kovács", "János"),
        ("Prof. id. Kovács János", "Prof. id. Kovács", "János"),
        ("Fülöp Ürmös Gyöngyvér", "Fülöp Ürmös", "Gyöngyvér"),  # a double family name
        ("Kiss Anna Mária", "Kiss", "Anna Mária"),  # two given names
        ("Nagy Péterné Kiss Éva", "Nagy Péterné Kiss", "Éva"),  # …born Kiss Éva
        ("Kovácsné Szabó Anna Mária", "Kovácsné Szabó", "Anna Mária"),
        ("Szabó Kovács Anna Mária", "Szabó Kovács", "Anna Mária"),
    ],
)
def test_a_hungarian_full_name_is_split_as_hungarian_writes_names(full: str, last: str, first: str) -> None:
    """No word of a Hungarian name is a patronymic: each is in the family or the given name."""
    reading = read_full_name(full, "hu")
    assert (reading.parts, reading.order) == ((last, first, ""), "")


def test_a_split_the_words_cannot_settle_is_said_not_guessed_silently() -> None:
    reading = read_full_name("Bódis Ürmös Ilkó", "hu_HU")
    assert reading.parts == ("Bódis", "Ürmös Ilkó", "")
    assert reading.doubt == "neither 'Ürmös' nor 'Ilkó' is a known given name"


@pytest.mark.parametrize(
    ("full", "first", "last"),
    [
        ("Brooke Thomas", "Brooke", "Thomas"),
        ("Elton John", "Elton", "John"),
        ("Spencer Thomas", "Spencer", "Thomas"),
        ("Kelly Grace", "Kelly", "Grace"),
        ("Sidney James", "Sidney", "James"),
        ("Paul Simon", "Paul", "Simon"),
    ],
)
def test_an_english_client_s_name_is_read_as_written_though_the_surname_is_a_first_name(
    full: str, first: str, last: str
) -> None:
    """English surnames are first names as often as not: "Brooke Thomas" is Ms Brooke Thomas, not
    Mr Thomas Brooke (a QA re-test found her greeted «Dear Thomas,»)."""
    reading = read_full_name(full, "en")
    assert reading.parts == (last, first, "")
    assert reading.order != "last name, first name"


def test_a_german_client_written_surname_first_is_read_so_with_a_warning() -> None:
    """docs/contacts.md: a known first name second is read surname first — for the language's own names too."""
    for full, last, first in [
        ("Huber Thomas", "Huber", "Thomas"),
        ("Müller Hans Peter", "Müller", "Hans Peter"),
    ]:
        reading = read_full_name(full, "de")
        assert (reading.parts, reading.order) == ((last, first, ""), "last name, first name")
    # Written first name first, or a first name that is no known one: as ever.
    assert read_full_name("Thomas Huber", "de").parts == ("Huber", "Thomas", "")
    assert read_full_name("Ludwig van Beethoven", "de").parts == ("van Beethoven", "Ludwig", "")
    assert read_full_name("Werner Thomas", "de").parts == ("Thomas", "Werner", "")


def test_the_hungarian_teams_export_greets_every_client_by_the_whole_name(tmp_path: Path) -> None:
    config = project(
        tmp_path,
        [
            row(1, "Kovácsné Szabó Éva"),
            row(2, "Dr. Nagy Péterné"),
            row(3, "Dr. Horváth Ödön", gender="férfi"),
            row(4, "Fülöp Ürmös Gyöngyvér"),
            row(5, "Kiss Anna Mária"),
            row(6, "Huber Thomas", "de", "férfi"),
            row(7, "Török Ernő", "", "férfi"),  # no language: defaults.locale's, hu
            row(8, "Bódis Ürmös Ilkó"),
        ],
    )
    checked = run(config, "check")
    assert "data/contacts.csv: warning: encoding: auto" not in checked  # cp1250, not cp1257
    assert (
        "row 7: Név: warning: 'Huber Thomas' read as first name 'Thomas', last name 'Huber' (not in the first"
        " name, last name order of 'de' names)"
    ) in checked
    assert (
        "row 9: Név: warning: 'Bódis Ürmös Ilkó' read as last name 'Bódis', first name 'Ürmös Ilkó' (Hungarian"
        " order; neither 'Ürmös' nor 'Ilkó' is a known given name)"
    ) in checked
    assert "contacts: 8 loaded from 8 rows, 0 rejected, 2 warning(s)" in checked, checked
    sent = letters(config, tmp_path)
    assert {address: (str(m["To"]), opening(m)) for address, m in sent.items()} == {
        "c1@pelda.hu": ("Kovácsné Szabó Éva <c1@pelda.hu>", "Tisztelt Kovácsné Szabó Éva!"),
        "c2@pelda.hu": ('"Dr. Nagy Péterné" <c2@pelda.hu>', "Tisztelt Dr. Nagy Péterné!"),
        "c3@pelda.hu": ('"Dr. Horváth Ödön" <c3@pelda.hu>', "Tisztelt Dr. Horváth Ödön!"),
        "c4@pelda.hu": ("Fülöp Ürmös Gyöngyvér <c4@pelda.hu>", "Tisztelt Fülöp Ürmös Gyöngyvér!"),
        "c5@pelda.hu": ("Kiss Anna Mária <c5@pelda.hu>", "Tisztelt Kiss Anna Mária!"),
        "c6@pelda.hu": ("Thomas Huber <c6@pelda.hu>", "Sehr geehrter Herr Huber,"),
        "c7@pelda.hu": ("Török Ernő <c7@pelda.hu>", "Tisztelt Török Ernő!"),
        "c8@pelda.hu": ("Bódis Ürmös Ilkó <c8@pelda.hu>", "Tisztelt Bódis Ürmös Ilkó!"),
    }
    assert sent["c7@pelda.hu"]["Content-Language"] == "hu"


def test_a_row_without_a_language_is_written_in_its_default_languages_order(tmp_path: Path) -> None:
    """The letter said «Tisztelt Török Ernő!»; the To:, the preview, the gallery and the calendar «Ernő Török»."""
    config = project(tmp_path, [row(1, "Török Ernő", ""), row(2, "Nagy Éva", "hu")])
    table = run(config, "preview", "--days", "14")
    assert "1 Török Ernő" in table and "Ernő Török" not in table
    gallery = tmp_path / "gallery"
    run(config, "preview", "--days", "14", "--format", "html", "--out", str(gallery))
    pages = "".join(p.read_text(encoding="utf-8") for p in gallery.rglob("*.html"))
    assert "Török Ernő" in pages and "Ernő Török" not in pages
    ics = tmp_path / "greetings.ics"
    run(config, "calendar", "--days", "14", "--out", str(ics))
    events = ics.read_text(encoding="utf-8").replace("\r\n ", "")
    assert "Török Ernő" in events and "Ernő Török" not in events
    # The contact's own locale stays as the row says (none); only the order falls back.
    contact = Contact(id="1", email=None, first_name="Ernő", last_name="Török", default_locale="hu")
    assert (contact.locale, contact.display_name) == (None, "Török Ernő")


def _load(tmp_path: Path, lines: list[str], encoding: str, locale: str) -> tuple[list[str], list[str]]:
    """The names a CSV written in ``encoding`` loads with (``encoding: auto``), and the file's warnings."""
    path = tmp_path / f"{encoding}-{locale}.csv"
    path.write_bytes(("\r\n".join(["ID;Email;Name", *lines]) + "\r\n").encode(encoding))
    columns = Columns(
        id="ID", email="Email", full_name="Name", first_name=None, patronymic=None, last_name=None
    )
    source = ContactsSource(source="csv", path=path, columns=columns, dates={})
    contacts, report = load_contacts(source, Defaults(locale=locale))
    return [c.display_name for c in contacts], [p.message for p in report.problems if p.kind != "row"]


HUNGARIAN = ["1;a@pelda.hu;Szőke Ernő", "2;b@pelda.hu;Kovács Béla", "3;c@pelda.hu;Nagy Ödön"]
RUSSIAN = ["1;a@example.ru;Иванов Иван Петрович", "2;b@example.ru;Петрова Анна Ильинична"]


@pytest.mark.parametrize(
    ("lines", "encoding"),
    [
        # Hungarian: ő and ű, which only cp1250 has; and without them, 'Azonosító' is no cp1257 word.
        (HUNGARIAN, "cp1250"),
        (["1;a@pelda.hu;Kiss Éva", "2;b@pelda.hu;Azonosító Béla"], "cp1250"),
        # Estonian: õ, š, ž in cp1257.
        (["1;a@example.ee;Šõmina Žanna", "2;b@example.ee;Kask Jüri", "3;c@example.ee;Tamm Mari"], "cp1257"),
        # Russian, in each of its code pages.
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8_r"),
        (RUSSIAN, "cp866"),
        # Serbian and Croatian in Latin letters.
        (["1;a@example.rs;Đorđević Žarko", "2;b@example.rs;Šćekić Čedomir"], "cp1250"),
    ],
)
@pytest.mark.parametrize("locale", ["ru", "hu", "et", "en"])
def test_the_code_page_whose_words_are_a_languages_is_read_without_a_doubt(
    tmp_path: Path, lines: list[str], encoding: str, locale: str
) -> None:
    """charset-normalizer scores cp1250, cp1257 and Latin-1 alike; the words tell them apart."""
    names, warnings = _load(tmp_path, lines, encoding, locale)
    assert warnings == []
    written = [line.split(";")[2] for line in lines]  # each name's words, whatever the order they are read in
    assert [sorted(name.split()) for name in names] == [sorted(name.split()) for name in written]


def test_a_tie_the_words_cannot_settle_is_settled_by_the_configs_language_else_warned(tmp_path: Path) -> None:
    """«Tõnu» is Estonian in cp1257, «Tőnu» Hungarian in cp1250: only defaults.locale can tell."""
    lines = ["1;a@example.ee;Tamm Tõnu", "2;b@example.ee;Kõiv Mari"]
    assert _load(tmp_path, lines, "cp1257", "et") == (["Tõnu Tamm", "Mari Kõiv"], [])
    assert _load(tmp_path, lines, "cp1257", "hu") == (["Tamm Tőnu", "Kőiv Mari"], [])
    _, [warning] = _load(tmp_path, lines, "cp1257", "ru")
    assert warning.startswith("encoding: auto read this file as cp1250, but it may be cp1257 ("), warning


def test_a_nameless_row_without_a_language_is_told_the_opening_of_the_default_languages_letter(
    tmp_path: Path,
) -> None:
    """Its warning quoted «Здравствуйте!» (Russian) for a letter that opens «Tisztelt Hölgyem/Uram!»."""
    path = tmp_path / "c.csv"
    path.write_text("ID;Email;Név;Nyelv\n1;a@pelda.hu;Kovács;\n2;b@pelda.hu;Kovács;hu\n", encoding="utf-8")
    columns = Columns(
        id="ID",
        email="Email",
        full_name="Név",
        first_name=None,
        patronymic=None,
        last_name=None,
        locale="Nyelv",
    )
    source = ContactsSource(source="csv", path=path, columns=columns, dates={})
    _, report = load_contacts(source, Defaults(locale="hu"))
    assert [p.message for p in report.problems] == [
        "'Kovács' read as last name 'Kovács', no first name: letters to this contact are impersonal"
        " («Tisztelt Hölgyem/Uram!»); write the name in full in the CRM"
    ] * 2
