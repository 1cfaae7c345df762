"""Kazakh, Uzbek, Kyrgyz and Azerbaijani names in letters written in Russian.

A client-care office in Almaty found its Kazakh and Uzbek clients greeted
«Здравствуйте, Серик Болатұлы!» instead of «Уважаемый Серик Болатұлы!» and
left out of 8 March: the patronymic rule knew «Рашид оглы» but not the Kazakh
one-word forms (Болатұлы, Нұрланқызы), nor ұлы, қызы, ўғли, қизи as separate
words. A ФИО cell «Серик Болатұлы Жумабаев» greeted «Болатұлы Жумабаев»;
women's names in -ь (Асель, Гузель) stayed undeclined («Асель Ерлановне»); and
a Пол cell «ер» or «әйел» was no gender value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.addressing import decline, salutation
from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact, Gender
from greeter.names import gender_of, read_full_name
from greeter.patronymics import is_turkic, patronymic_gender
from greeter.sources import load_contacts
from greeter.sources.name_cells import gender_word


def person(first: str, patronymic: str, last: str, gender: Gender | None = None) -> Contact:
    return Contact(
        id="1",
        email=None,
        first_name=first,
        patronymic=patronymic,
        last_name=last,
        gender=gender,
        locale="ru",
    )


# 1. The patronymic says the gender, in every Turkic form.


@pytest.mark.parametrize(
    ("patronymic", "gender"),
    [
        # Kazakh, joined to the father's name
        ("Болатұлы", Gender.MALE), ("Маратулы", Gender.MALE), ("Болатулы", Gender.MALE),
        ("Нұрланқызы", Gender.FEMALE), ("Ерланкызы", Gender.FEMALE), ("БОЛАТҰЛЫ", Gender.MALE),
        # …or as a separate word
        ("Болат ұлы", Gender.MALE), ("Болат улы", Gender.MALE), ("Ерлан қызы", Gender.FEMALE),
        # Uzbek Cyrillic
        ("Шавкат ўғли", Gender.MALE), ("Шавкат угли", Gender.MALE), ("Бахром қизи", Gender.FEMALE),
        ("Бахром кизи", Gender.FEMALE),
        # Azerbaijani, Kyrgyz, Bashkir
        ("Ильхам оглы", Gender.MALE), ("Ильхам оғлы", Gender.MALE), ("Вагиф кызы", Gender.FEMALE),
        ("Вагиф гызы", Gender.FEMALE), ("Асан уулу", Gender.MALE), ("Рәшит ҡыҙы", Gender.FEMALE),
        # in Latin letters (the patronymic column only)
        ("Baxrom qizi", Gender.FEMALE), ("Shavkat o'g'li", Gender.MALE), ("Bolatuly", Gender.MALE),
        ("Nurlanqyzy", Gender.FEMALE), ("Erlankyzy", Gender.FEMALE), ("Asan uulu", Gender.MALE),
        # a word that merely ends so is none
        ("Акулы", Gender.UNKNOWN), ("July", Gender.UNKNOWN), ("улы", Gender.MALE),
    ],
)  # fmt: skip
def test_turkic_patronymics_give_the_gender(patronymic: str, gender: Gender) -> None:
    assert patronymic_gender(patronymic) is gender
    assert gender_of(person("Серик", patronymic, "")) is gender


@pytest.mark.parametrize("last", ["Жаксыбекулы", "Нұрланұлы", "Нұрланқызы", "Abishuly"])
def test_a_surname_of_the_patronymics_form_says_no_gender(last: str) -> None:
    """Since the 1990s many Kazakhs carry the patronymic's form as a surname: it is read only as one."""
    assert gender_of(person("Арман", "", last)) is Gender.UNKNOWN
    assert read_full_name(last).parts == (last, "", "")  # one word alone: a surname, not a patronymic


# 2. A ФИО cell is read in the order its Turkic patronymic shows.


@pytest.mark.parametrize(
    ("full", "parts", "order"),
    [
        ("Серик Болатұлы Жумабаев", ("Жумабаев", "Серик", "Болатұлы"), "first name, patronymic, last name"),
        ("Айгерим Нұрланқызы Сапарова", ("Сапарова", "Айгерим", "Нұрланқызы"), "first name, patronymic, last name"),
        ("Серик Болат ұлы Жумабаев", ("Жумабаев", "Серик", "Болат ұлы"), "first name, patronymic, last name"),
        ("Бахтиёр Шавкат ўғли Рахимов", ("Рахимов", "Бахтиёр", "Шавкат ўғли"), "first name, patronymic, last name"),
        ("Нилуфар Бахром қизи Эргашева", ("Эргашева", "Нилуфар", "Бахром қизи"), "first name, patronymic, last name"),
        ("Серик Болатұлы", ("", "Серик", "Болатұлы"), "first name, patronymic"),
        # the documented order, read as ever
        ("Жумабаев Серик Болатұлы", ("Жумабаев", "Серик", "Болатұлы"), ""),
        ("Тулегенова Асель Ерлан қызы", ("Тулегенова", "Асель", "Ерлан қызы"), ""),
        ("Нұрланұлы Арман", ("Нұрланұлы", "Арман", ""), ""),
        ("Нұрланқызы Айгерим", ("Нұрланқызы", "Айгерим", ""), ""),
        ("Жаксыбекулы Ерлан Серикович", ("Жаксыбекулы", "Ерлан", "Серикович"), ""),
    ],
)  # fmt: skip
def test_a_turkic_patronymic_says_the_order_of_a_full_name(
    full: str, parts: tuple[str, str, str], order: str
) -> None:
    reading = read_full_name(full)
    assert (tuple(reading.parts), reading.order) == (parts, order)


def test_a_kazakh_surname_in_latin_letters_is_read_first_as_ivanov_is() -> None:
    assert tuple(read_full_name("Abishuly Nursultan").parts) == ("Abishuly", "Nursultan", "")
    assert tuple(read_full_name("Nursultan Abishuly").parts) == ("Abishuly", "Nursultan", "")


def test_a_latin_kazakh_patronymic_last_keeps_the_russian_order_of_a_latin_name() -> None:
    """QA: «Zhumabaev Serik Bolatuly» greeted «Здравствуйте, Zhumabaev!» once -uly counted as a
    surname's ending on the last word too; the patronymic's place is no surname's."""
    read = read_full_name("Zhumabaev Serik Bolatuly", "ru")
    assert (read.parts.last_name, read.parts.first_name, read.parts.patronymic) == (
        "Zhumabaev",
        "Serik",
        "Bolatuly",
    )
    assert read.order == "last name, first name, patronymic"


# 3. The letter: Уважаемый/Уважаемая, the patronymic as written, the rest declined.


@pytest.mark.parametrize(
    ("first", "patronymic", "last", "greeting", "dative"),
    [
        ("Серик", "Болатұлы", "Жумабаев", "Уважаемый Серик Болатұлы", "Серику Болатұлы Жумабаеву"),
        ("Айгерим", "Нұрланқызы", "Сапарова", "Уважаемая Айгерим Нұрланқызы", "Айгерим Нұрланқызы Сапаровой"),
        ("Дана", "Ерланкызы", "Бекова", "Уважаемая Дана Ерланкызы", "Дане Ерланкызы Бековой"),
        ("Ерлан", "Маратулы", "Оспанов", "Уважаемый Ерлан Маратулы", "Ерлану Маратулы Оспанову"),
        ("Асель", "Ерлан қызы", "Тулегенова", "Уважаемая Асель Ерлан қызы", "Асели Ерлан қызы Тулегеновой"),
        ("Бахтиёр", "Шавкат ўғли", "Рахимов", "Уважаемый Бахтиёр Шавкат ўғли", "Бахтиёру Шавкат ўғли Рахимову"),
        ("Нилуфар", "Бахром қизи", "Эргашева", "Уважаемая Нилуфар Бахром қизи", "Нилуфар Бахром қизи Эргашевой"),
        ("Эльчин", "Ильхам оглы", "Алиев", "Уважаемый Эльчин Ильхам оглы", "Эльчину Ильхам оглы Алиеву"),
        ("Арман", "", "Нұрланұлы", "Здравствуйте, Арман", "Арману Нұрланұлы"),
    ],
)  # fmt: skip
def test_the_letter_keeps_the_turkic_patronymic_and_declines_the_rest(
    first: str, patronymic: str, last: str, greeting: str, dative: str
) -> None:
    contact = person(first, patronymic, last)
    assert salutation(contact) == greeting
    assert decline(contact, "dative", parts="full") == dative
    if patronymic:
        assert is_turkic(patronymic)
        for case in ("genitive", "instrumental", "prepositional"):
            assert patronymic in decline(contact, case)


@pytest.mark.parametrize(
    ("first", "patronymic", "last", "gender", "cases"),
    [
        # genitive, dative, accusative, instrumental, prepositional
        ("Асель", "Ерлановна", "Тулегенова", None,
         ("Асели Ерлановны", "Асели Ерлановне", "Асель Ерлановну", "Аселью Ерлановной", "Асели Ерлановне")),
        ("Гузель", "Ринатовна", "Хасанова", None,
         ("Гузели Ринатовны", "Гузели Ринатовне", "Гузель Ринатовну", "Гузелью Ринатовной", "Гузели Ринатовне")),
        ("Севиль", "Вагиф кызы", "Бабаева", None,
         ("Севили Вагиф кызы", "Севили Вагиф кызы", "Севиль Вагиф кызы", "Севилью Вагиф кызы",
          "Севили Вагиф кызы")),
        ("Айгуль", "", "", Gender.FEMALE, ("Айгули", "Айгули", "Айгуль", "Айгулью", "Айгули")),
        ("АСЕЛЬ", "ЕРЛАНОВНА", "", None,
         ("АСЕЛИ ЕРЛАНОВНЫ", "АСЕЛИ ЕРЛАНОВНЕ", "АСЕЛЬ ЕРЛАНОВНУ", "АСЕЛЬЮ ЕРЛАНОВНОЙ", "АСЕЛИ ЕРЛАНОВНЕ")),
        ("Анна-Асель", "Ерлановна", "", None,
         ("Анны-Асели Ерлановны", "Анне-Асели Ерлановне", "Анну-Асель Ерлановну", "Анной-Аселью Ерлановной",
          "Анне-Асели Ерлановне")),
        # as before: pytrovich's own lists, and a man's name in -ь
        ("Любовь", "Ивановна", "", None,
         ("Любови Ивановны", "Любови Ивановне", "Любовь Ивановну", "Любовью Ивановной", "Любови Ивановне")),
        ("Игорь", "Петрович", "", None,
         ("Игоря Петровича", "Игорю Петровичу", "Игоря Петровича", "Игорем Петровичем", "Игоре Петровиче")),
        ("Шамиль", "Рустамович", "", None,
         ("Шамиля Рустамовича", "Шамилю Рустамовичу", "Шамиля Рустамовича", "Шамилем Рустамовичем",
          "Шамиле Рустамовиче")),
    ],
)  # fmt: skip
def test_a_womans_first_name_in_a_soft_sign_declines_as_nouns_in_it_do(
    first: str, patronymic: str, last: str, gender: Gender | None, cases: tuple[str, ...]
) -> None:
    contact = person(first, patronymic, last, gender)
    said = tuple(
        decline(contact, case)
        for case in ("genitive", "dative", "accusative", "instrumental", "prepositional")
    )
    assert said == cases


def test_the_dative_heading_of_a_woman_named_in_a_soft_sign() -> None:
    assert decline(person("Асель", "Ерлановна", "Тулегенова"), "dative", parts="full") == (
        "Асели Ерлановне Тулегеновой"
    )
    assert decline(person("Севиль", "", "Бабаева"), "dative", parts="full") == "Севили Бабаевой"


# 4. The gender column in Kazakh, Uzbek, Kyrgyz and Azerbaijani.


@pytest.mark.parametrize(
    ("cell", "gender"),
    [
        ("ер", Gender.MALE), ("Ер", Gender.MALE), ("ер адам", Gender.MALE), ("ЕР АДАМ", Gender.MALE),
        ("әйел", Gender.FEMALE), ("Әйел", Gender.FEMALE), ("әйел адам", Gender.FEMALE),
        ("эркак", Gender.MALE), ("аёл", Gender.FEMALE), ("erkak", Gender.MALE), ("Ayol", Gender.FEMALE),
        ("эркек", Gender.MALE), ("аял", Gender.FEMALE), ("kişi", Gender.MALE), ("qadın", Gender.FEMALE),
    ],
)  # fmt: skip
def test_the_turkic_gender_words(cell: str, gender: Gender) -> None:
    assert gender_word(cell) is gender


def _load(tmp_path: Path, lines: list[str], **columns: str | None) -> tuple[list[Contact], list[str]]:
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cols = Columns(id="ID", email="Email", **columns)  # type: ignore[arg-type]
    contacts, report = load_contacts(ContactsSource(source="csv", path=path, columns=cols), Defaults())
    return list(contacts), [str(p).removeprefix(f"{path}:").strip() for p in report.problems]


def test_a_kazakh_crms_rows_are_read_with_their_genders(tmp_path: Path) -> None:
    rows = [
        "ID;Email;Фамилия;Имя;Отчество;Пол",
        "1;a@example.com;Жумабаев;Серик;Болатұлы;",
        "2;b@example.com;Сапарова;Айгерим;Нұрланқызы;",
        "3;c@example.com;Рахимов;Бахтиёр;Шавкат ўғли;",
        "4;d@example.com;Эргашева;Нилуфар;Бахром қизи;",
        "5;e@example.com;Нұрланұлы;Арман;;ер",
        "6;f@example.com;Нургалиева;Гульнара;;әйел адам",
        "7;g@example.com;Каримов;Шухрат;;эркак",
    ]
    columns = {"first_name": "Имя", "patronymic": "Отчество", "last_name": "Фамилия", "gender": "Пол"}
    contacts, problems = _load(tmp_path, rows, **columns)
    assert problems == []
    assert [gender_of(c).value for c in contacts] == [
        "male",
        "female",
        "male",
        "female",
        "male",
        "female",
        "male",
    ]


def test_a_full_name_column_with_kazakh_patronymics(tmp_path: Path) -> None:
    rows = [
        "ID;Email;ФИО",
        "1;a@example.com;Серик Болатұлы Жумабаев",
        "2;b@example.com;Жумабаев Серик Болатұлы",
        "3;c@example.com;Нұрланұлы Арман",
    ]
    columns = {"full_name": "ФИО", "first_name": None, "patronymic": None, "last_name": None}
    contacts, problems = _load(tmp_path, rows, **columns)
    assert [(c.last_name, c.first_name, c.patronymic) for c in contacts] == [
        ("Жумабаев", "Серик", "Болатұлы"),
        ("Жумабаев", "Серик", "Болатұлы"),
        ("Нұрланұлы", "Арман", ""),
    ]
    assert problems == [
        "row 2: ФИО: warning: 'Серик Болатұлы Жумабаев' read as first name 'Серик', patronymic 'Болатұлы',"
        " last name 'Жумабаев' (not in Фамилия Имя Отчество order)"
    ]
    assert [salutation(c) for c in contacts] == ["Уважаемый Серик Болатұлы"] * 2 + ["Здравствуйте, Арман"]
