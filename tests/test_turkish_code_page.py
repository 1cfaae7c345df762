"""A Windows-1254 (Turkish, Azerbaijani) export under ``encoding: auto``, and the Latin-1 fallback.

Latin-1 reads any bytes: a Baku office's cp1254 export was read as it without a word —
«Ýsmayýl Þükür oðlu», the patronymic's gender lost, and the header suggestion quoting
the garbled «Saat qurþaðý». cp1254 is told apart by its words; Latin-1, when it is what
is left, is a warning that names the file and the setting.
"""

from __future__ import annotations

from pathlib import Path

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Gender
from greeter.names import gender_of
from greeter.sources import load_contacts
from greeter.sources.csv_source import guess_encoding

AZ_COLUMNS = Columns(
    id="ID", email="Email", first_name="Ad", patronymic="Ata adı", last_name="Soyad",
    timezone="Saat qurşağı",
)  # fmt: skip
AZ_ROWS = [
    "ID;Email;Ad;Ata adı;Soyad;Saat qurşağı",
    "1;ismayil@example.az;İsmayıl;Şükür oğlu;Şükürov;Asia/Baku",
    "2;aysel@example.az;Aysel;Tofiq qızı;Məmmədova;Asia/Baku",
    "3;cagla@example.az;Çağla;;Öztürk;Asia/Baku",
]


def _load(tmp_path: Path, lines: list[str], encoding: str, columns: Columns, locale: str = "ru") -> tuple:  # type: ignore[type-arg]
    path = tmp_path / "c.csv"
    # cp1254 has no «ə»: a Baku export writes it «e» (Excel's replacement would be '?')
    path.write_bytes("\r\n".join(lines).replace("ə", "e").replace("Ə", "E").encode(encoding) + b"\r\n")
    source = ContactsSource(source="csv", path=path, columns=columns, dates={})
    return path, *load_contacts(source, Defaults(locale=locale))


def test_an_azerbaijani_windows_1254_export_is_read_as_windows_1254(tmp_path: Path) -> None:
    """It was read as Latin-1 («Ýsmayýl Þükür oðlu»), the gender its «oğlu» tells lost, and no warning."""
    _, contacts, report = _load(tmp_path, AZ_ROWS, "cp1254", AZ_COLUMNS)
    assert [(c.first_name, c.patronymic, c.last_name) for c in contacts] == [
        ("İsmayıl", "Şükür oğlu", "Şükürov"),
        ("Aysel", "Tofiq qızı", "Memmedova"),
        ("Çağla", "", "Öztürk"),
    ]
    assert [gender_of(c) for c in contacts[:2]] == [Gender.MALE, Gender.FEMALE]
    assert report.problems == []


def test_an_icelandic_latin_1_export_stays_latin_1_with_a_warning_naming_the_setting(tmp_path: Path) -> None:
    """Þ ð ý are Icelandic letters too: «Þórður», its ó no Turkish letter, keeps Latin-1 — said, as a fallback."""
    columns = Columns(
        id="ID", email="Email", full_name="Nafn", first_name=None, last_name=None, patronymic=None
    )
    lines = ["ID;Email;Nafn", "1;a@example.is;Þórður Björk", "2;b@example.is;Guðrún Ásta Þorsteinsdóttir"]
    path, contacts, report = _load(tmp_path, lines, "latin-1", columns, "en")
    assert [c.first_name for c in contacts] == ["Þórður", "Guðrún"]
    [warning] = report.problems
    assert str(warning).startswith(
        f"{path}: contacts.encoding: warning: encoding: auto read this file as Latin-1 (Western European),"
        " the fallback when no code page it knows fits ('Þórður' is one of its words);"
    ), warning
    assert warning.message.endswith("else set encoding: latin_1 to silence this")


def test_a_latin_1_setting_is_no_fallback_and_not_warned(tmp_path: Path) -> None:
    columns = Columns(
        id="ID", email="Email", full_name="Nafn", first_name=None, last_name=None, patronymic=None
    )
    path = tmp_path / "c.csv"
    path.write_bytes("ID;Email;Nafn\r\n1;a@example.is;Þórður Björk\r\n".encode("latin-1"))
    source = ContactsSource(source="csv", path=path, columns=columns, dates={}, encoding="latin_1")
    contacts, report = load_contacts(source, Defaults(locale="en"))
    assert [c.first_name for c in contacts] == ["Þórður"] and report.problems == []


def test_a_turkish_export_and_a_western_one_are_told_apart_by_their_words() -> None:
    """cp1254 only faces Latin-1 when its own letters' bytes (ş ğ ı) sit among the ü ö ç the two share."""
    assert guess_encoding("Ad;Soyad\nAyşe;Yılmaz\nMehmet;Öztürk\nÇağla;Şahin\n".encode("cp1254")) == (
        "cp1254",
        [],
    )
    # No byte where the two differ: the same text, read as before (not renamed Windows-1254).
    german = guess_encoding("Name;Vorname\nMüller;Jürgen\nSchön;Jörg\n".encode("latin-1"))
    assert german[0] != "cp1254"
