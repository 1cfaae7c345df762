"""Azerbaijani, Georgian and Armenian names, as a Baku office's CRM holds them.

* Georgian script has no capitals: «ბერიძე ნინო» was «re-cased» into Mtavruli
  («Ბერიძე Ნინო»), which no one writes a name in. Armenian has case and is
  written the usual way.
* Azerbaijani (and Turkish) Latin has two i's: «ƏLİYEV» lower-cased by
  Python's rule gave «i» and a combining dot, which split the word
  («Elçi̇N»), and «QASIMOVA» became «Qasimova» where it is «Qasımova»; the
  Latin particles oğlu/qızı stayed capitalised («Elçin Oğlu»).
* A full-name cell ending in a Latin oğlu/qızı was read right only for a
  Russian contact: for an English one «Cəfərli Aysel Elçin qızı» greeted
  «Dear Cəfərli,».
* A two-word name whose first word ends as a surname does (-ova, -li, -dze,
  -yan…) was warned about as if its order were a guess.
* ``history --contact QASIMOVA`` found no «Qasımova».
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact
from greeter.letter_forms import salutation
from greeter.name_case import normalise_case
from greeter.names import read_full_name
from greeter.sources import load_contacts
from tests.conftest import contact_row
from tests.test_history_client_journal import MOSCOW, NOVOSIBIRSK, contacts, sent
from tests.test_send_e2e import greeter

__all__ = ["sent"]  # the fixture, shared


@pytest.mark.parametrize(
    ("name", "locale", "expected"),
    [
        # Georgian: caseless, left exactly as typed; Mtavruli typed throughout is written in Mkhedruli
        ("ბერიძე ნინო", None, "ბერიძე ნინო"),
        ("ბერიძე ნინო", "ka", "ბერიძე ნინო"),
        ("ᲑᲔᲠᲘᲫᲔ ᲜᲘᲜᲝ", "ka", "ბერიძე ნინო"),
        ("ნინო-მარიამ", None, "ნინო-მარიამ"),
        # Armenian has case
        ("ՊԵՏՐՈՍՅԱՆ ԱՆՆԱ", "hy", "Պետրոսյան Աննա"),
        ("պետրոսյան աննա", None, "Պետրոսյան Աննա"),
        # Azerbaijani Latin: İ/i and I/ı, by the name's own letters whatever the locale
        ("ƏLİYEV RƏŞAD ELÇİN OĞLU", None, "Əliyev Rəşad Elçin oğlu"),
        ("ƏLİYEV RƏŞAD ELÇİN OĞLU", "en", "Əliyev Rəşad Elçin oğlu"),
        ("CƏFƏRLİ AYSEL ELÇİN QIZI", "ru", "Cəfərli Aysel Elçin qızı"),
        ("İSMAYILOV", None, "İsmayılov"),
        ("ismayılov ilkin", None, "İsmayılov İlkin"),
        ("əliyev rəşad elçin oğlu", None, "Əliyev Rəşad Elçin oğlu"),
        # … or by the contact's language where the letters say nothing
        ("QASIMOVA", "az", "Qasımova"),
        ("QASIMOVA", "tr", "Qasımova"),
        ("ilkin", "az_AZ", "İlkin"),
        ("YILDIZ", "tr-TR", "Yıldız"),
        ("QASIMOVA", "en", "Qasimova"),
        ("QASIMOVA", None, "Qasimova"),
        # the Latin particles stay lower case, whatever the locale
        ("ALIYEV RASHAD ELCHIN OGLU", "en", "Aliyev Rashad Elchin oglu"),
        ("aysel elçin qizi", None, "Aysel Elçin qizi"),
        ("LEYLA ƏLƏKBƏR QIZI", "az", "Leyla Ələkbər qızı"),
        ("LEYLA ELÇİN QIZI", None, "Leyla Elçin qızı"),
        ("MURAT KIZI", "tr", "Murat kızı"),
        ("OĞLU", None, "Oğlu"),  # a word alone is no particle: a surname (Oğlu, Kemaloğlu)
        # unchanged: Russian and Latin names of other languages
        ("ИВАН ИВАНОВ", "az", "Иван Иванов"),
        ("INGRID", "en", "Ingrid"),
    ],
)
def test_the_case_of_a_name_in_its_own_alphabet(name: str, locale: str | None, expected: str) -> None:
    assert normalise_case(name, locale) == expected


#: A full-name cell ending in a Latin particle, as many locales read it → (first, last, patronymic).
FULL = [
    ("Cəfərli Aysel Elçin qızı", locale, ("Aysel", "Cəfərli", "Elçin qızı"))
    for locale in ("en", "de", "ru", "az", "tr", None)
] + [
    ("Əliyev Rəşad Elçin oğlu", "en", ("Rəşad", "Əliyev", "Elçin oğlu")),
    ("Aliyev Rashad Elchin oglu", "ru", ("Rashad", "Aliyev", "Elchin oglu")),  # Latin in a Russian CRM
    ("Aliyev Rashad Elchin oglu", "en", ("Rashad", "Aliyev", "Elchin oglu")),
    ("Cafarli Aysel Elchin qizi", "en", ("Aysel", "Cafarli", "Elchin qizi")),
    ("Yılmaz Ayşe Mehmet kızı", "en", ("Ayşe", "Yılmaz", "Mehmet kızı")),
    ("Aysel Elçin qızı Cəfərli", "en", ("Aysel", "Cəfərli", "Elçin qızı")),  # first name first
    ("Aysel Elçin qızı Cəfərli", "az", ("Aysel", "Cəfərli", "Elçin qızı")),
]


@pytest.mark.parametrize(("full", "locale", "parts"), FULL)
def test_a_trailing_latin_particle_is_read_as_the_patronymics_whatever_the_locale(
    full: str, locale: str | None, parts: tuple[str, str, str]
) -> None:
    read = read_full_name(full, locale).parts
    assert (read.first_name, read.last_name, read.patronymic) == parts


def _load(
    tmp_path: Path, rows: list[str], defaults: Defaults | None = None
) -> tuple[list[Contact], list[str]]:
    path = tmp_path / "c.csv"
    path.write_text("\n".join(["ID;Email;ФИО;Язык", *rows]) + "\n", encoding="utf-8")
    cols = Columns(id="ID", email="Email", full_name="ФИО", first_name=None, patronymic=None,
                   last_name=None, locale="Язык")  # fmt: skip
    found, report = load_contacts(
        ContactsSource(source="csv", path=path, columns=cols), defaults or Defaults()
    )
    return found, [str(p).removeprefix(f"{path}:").strip() for p in report.problems]


def test_an_english_letter_to_an_azerbaijani_full_name_greets_her_first_name(tmp_path: Path) -> None:
    rows = [
        "1;a@example.az;CƏFƏRLİ AYSEL ELÇİN QIZI;en",
        "2;r@example.az;ƏLİYEV RƏŞAD ELÇİN OĞLU;en",
        "3;q@example.az;QASIMOVA LEYLA;az",
    ]
    found, problems = _load(tmp_path, rows)
    assert [(c.first_name, c.last_name, c.patronymic) for c in found] == [
        ("Aysel", "Cəfərli", "Elçin qızı"),
        ("Rəşad", "Əliyev", "Elçin oğlu"),
        ("Leyla", "Qasımova", ""),
    ]
    assert [salutation(c, "en") for c in found[:2]] == ["Dear Aysel", "Dear Rəşad"]
    # surname first in an English contact's cell is said, as for «Петров Иван» (tests/test_names_given_first.py)
    assert problems == [
        "row 2: ФИО: warning: 'Cəfərli Aysel Elçin qızı' read as first name 'Aysel', patronymic 'Elçin qızı',"
        " last name 'Cəfərli' (not in the first name, last name order of 'en' names)",
        "row 3: ФИО: warning: 'Əliyev Rəşad Elçin oğlu' read as first name 'Rəşad', patronymic 'Elçin oğlu',"
        " last name 'Əliyev' (not in the first name, last name order of 'en' names)",
    ]


def test_a_row_without_a_language_is_cased_by_the_default_locales_rule(tmp_path: Path) -> None:
    rows = [
        "1;a@example.az;QASIMOVA LEYLA;",
        "2;b@example.com;INGRID SMITH;en",
        "3;c@example.az;İSMAYILOV İLKİN;",
    ]
    expected = [("Leyla", "Qasımova"), ("Ingrid", "Smith"), ("İlkin", "İsmayılov")]
    assert [(c.first_name, c.last_name) for c in _load(tmp_path, rows, Defaults(locale="az"))[0]] == expected
    # an en contact's cell is first name first; QASIMOVA has no letter of its own to say it is Azerbaijani
    expected = [("Qasimova", "Leyla"), ("Ingrid", "Smith"), ("İsmayılov", "İlkin")]
    assert [(c.first_name, c.last_name) for c in _load(tmp_path, rows, Defaults(locale="en"))[0]] == expected


def test_a_two_word_name_is_warned_about_only_when_no_word_ends_as_a_surname(tmp_path: Path) -> None:
    rows = [
        "1;a@example.az;Nəsibova Şəbnəm;az",
        "2;b@example.az;Cəfərli Aysel;az",
        "3;c@example.az;Hüseynzadə Lalə;az",
        "4;d@example.ge;Beridze Nino;ka",
        "5;e@example.ge;ბერიძე ნინო;ka",
        "6;f@example.ge;Kapanadze Giorgi;ka",
        "7;g@example.ge;Gelashvili Tamar;ka",
        "8;h@example.ge;გელაშვილი თამარ;ka",
        "9;i@example.am;Petrosyan Anna;hy",
        "10;j@example.am;Պետրոսյան Աննա;hy",
        "11;k@example.am;Петросян Анна;hy",
        "12;l@example.az;Aysel Cəfərli;az",  # the surname second: the order is a real question
        "13;m@example.az;Əli Həsənov;az",  # Əli is no -li surname; Həsənov is one: a question
        "14;n@example.ee;Tamm Kask;et",
    ]
    found, problems = _load(tmp_path, rows)
    assert [c.last_name for c in found[:11]] == [
        "Nəsibova", "Cəfərli", "Hüseynzadə", "Beridze", "ბერიძე", "Kapanadze", "Gelashvili", "გელაშვილი",
        "Petrosyan", "Պետրոսյան", "Петросян",
    ]  # fmt: skip
    # Latin «Nino» in a Georgian row, Cyrillic «Анна» in an Armenian one… are the script check's
    # warnings (name_cells.other_script_note, its own tests): here, the order's alone.
    order = [p for p in problems if "check the order in the CRM" in p]
    assert [p.split(":")[0] for p in order] == ["row 13", "row 14", "row 15"], problems
    assert "«Anna» in an Armenian letter" in " ".join(problems)  # the script check's, its article right


CASPIAN = (
    contact_row("51", "leyla@example.az", last="Qasımova", first="Leyla", patronymic="", birthday="01.01.1980"),
    contact_row("52", "ilkin@example.az", last="İsmayılov", first="İlkin", patronymic="", birthday="01.01.1980"),
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("QASIMOVA", "51"),
        ("qasimova", "51"),
        ("Qasımova Leyla", "51"),
        ("QASIM", "51"),  # the start, folded too
        ("ISMAYILOV", "52"),
        ("ismayilov ilkin", "52"),
        ("İSMAYILOV", "52"),
    ],
)
def test_history_finds_an_azerbaijani_name_typed_with_either_i(sent: Path, text: str, found: str) -> None:
    contacts(sent, NOVOSIBIRSK, MOSCOW, *CASPIAN)
    shown = greeter(sent, "history", "--contact", text)
    assert shown.returncode == 0, shown.stderr
    assert f"--contact {text}: contact {found} (" in shown.stderr, shown.stderr


def test_name_key_folds_the_four_turkic_is_as_one() -> None:
    from greeter.history_people import name_key

    assert {name_key(s) for s in ("QASIMOVA", "Qasımova", "qasimova", "QASİMOVA")} == {"qasimova"}
    assert name_key("İlkin İSMAYILOV") == name_key("ilkin ismayılov") == "ilkin ismayilov"
