"""A KZ-1048 (Windows' Kazakh code page) export under ``encoding: auto``.

charset-normalizer does not know KZ-1048: an Almaty CRM's export was read as Windows-1251,
«Јлия Серікќызы Нўрланова», the patronymics' gender lost and the names called Belarusian.
The 16 bytes where the two code pages differ are settled by the words that hold them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Gender
from greeter.names import gender_of
from greeter.sources import load_contacts
from greeter.sources.csv_source import guess_encoding, spoken

COLUMNS = Columns(id="ID", email="Email", first_name="Имя", patronymic="Отчество", last_name="Фамилия")
KZ_ROWS = [
    "ID;Email;Фамилия;Имя;Отчество",
    "2002;a@example.kz;Нұрланова;Әлия;Серікқызы",
    "2003;b@example.kz;Ахметов;Нұрлан;Болатұлы",
    "2023;c@example.kz;Абенова;Сәуле;Төлегенқызы",
    "2042;d@example.kz;Жүсіпова;Мөлдір;",
    "2018;e@example.kz;Петров;Сергей;Николаевич",
]


def _write(tmp_path: Path, lines: list[str], encoding: str) -> Path:
    path = tmp_path / "c.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def test_a_kz1048_export_is_read_as_kz1048(tmp_path: Path) -> None:
    """It was read as Windows-1251: «Јлия Серікќызы Нўрланова», with no gender and a Belarusian warning."""
    path = _write(tmp_path, KZ_ROWS, "kz1048")
    contacts, report = load_contacts(
        ContactsSource(source="csv", path=path, columns=COLUMNS, dates={}), Defaults()
    )
    assert [(c.first_name, c.patronymic, c.last_name) for c in contacts] == [
        ("Әлия", "Серікқызы", "Нұрланова"),
        ("Нұрлан", "Болатұлы", "Ахметов"),
        ("Сәуле", "Төлегенқызы", "Абенова"),
        ("Мөлдір", "", "Жүсіпова"),
        ("Сергей", "Николаевич", "Петров"),
    ]
    assert [gender_of(c) for c in contacts[:3]] == [Gender.FEMALE, Gender.MALE, Gender.FEMALE]
    assert report.problems == []


@pytest.mark.parametrize(
    "names",
    [
        ["Євгенія;Юріївна;Ґонта", "Сергей;Эдуардович;Быков", "Олексій;Іванович;Гнатюк"],  # Ukrainian, Russian
        ["Вольга;Іванаўна;Лукашэвіч", "Дар'я;Уладзіміраўна;Зайцаў"],  # Belarusian
        ["Јован;Ђорђијевић;Петровић", "Љиљана;Јовановић;Ќосевска"],  # Serbian, Macedonian
    ],
)
def test_windows_1251_with_the_letters_kz1048_has_elsewhere_stays_windows_1251(names: list[str]) -> None:
    """Each of these words reads as some Kazakh in KZ-1048 («Ғвгенія», «Іванаұна»), but is its language's."""
    head = "\r\n".join(["Имя;Отчество;Фамилия", *names]).encode("cp1251")
    assert guess_encoding(head) == ("cp1251", [])


def test_a_mixed_vote_is_warned_about() -> None:
    """Kazakh words outvote a Serbian one: KZ-1048, with Windows-1251 the rival the warning shows."""
    kazakh = "\r\n".join(["Имя;Фамилия", "Әлия;Нұрланова", "Қайрат;Омаров", ""]).encode("kz1048")
    head = kazakh + "Јован;Ђорђијевић".encode("cp1251")  # a row pasted from a Belgrade export
    encoding, rivals = guess_encoding(head)
    assert encoding == "kz1048"
    assert rivals == [("cp1251", "Ђорђиәевиһ", "Ђорђијевић")]
    assert spoken(encoding) == "KZ-1048"


def test_letters_kz1048_lacks_are_not_said_to_be_excel_s_windows_1251(tmp_path: Path) -> None:
    """An Uzbek «ўғли» in a KZ-1048 file is '?': the advice names KZ-1048, not Excel's «CSV (разделители…)»."""
    path = tmp_path / "c.csv"
    path.write_bytes(
        "\r\n".join([*KZ_ROWS, "2039;f@example.uz;Рахимов;Бахтиёр;Шавкат ўғли"]).encode("kz1048", "replace")
    )
    contacts, report = load_contacts(
        ContactsSource(source="csv", path=path, columns=COLUMNS, dates={}), Defaults()
    )
    assert len(contacts) == 5
    [error] = [p for p in report.problems if p.severity == "error"]
    assert "'Шавкат ?ғли' has '?' where letters were" in error.message
    assert "the file is in KZ-1048, which has no «ҳ»" in error.message and "разделители" not in error.message
