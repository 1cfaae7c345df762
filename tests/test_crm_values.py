"""An Estonian CRM's values: its gender words and letters, Latin patronymics, language names.

* The gender column took м/ж, M/F and a few words, and refused the rest in
  Russian (``'N' is not м/ж (M/F)``), with the Russian words as the kind's key
  in ``check --json``. Whole words of the shipped languages (mees/naine,
  férfi/nő, männlich/weiblich) are read; single letters other than M/F/м/ж are
  not guessed (Estonian N is naine, Hungarian F is férfi, *male*): the config
  says what they mean, ``contacts.gender_values``. The warning is English and
  its kind ``is not a gender value``.
* A patronymic in Latin letters (Petrovna, Ivanovitš) said no gender, so a
  contact with an empty gender cell got the neutral salutation.
* The language column took codes only (``'vene' is not a language code``)
  while the country column took names (``Eesti`` → EE).

Real CSV files through the loader and the CLI, and the tables the rules are.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

from greeter.check_report import problem_kind
from greeter.cli import main
from greeter.config_loader import load_settings
from greeter.contacts import Contact, Gender
from greeter.errors import ConfigError
from greeter.language_names import language_by_name
from greeter.letter_forms import salutation
from greeter.names import first_and_patronymic, gender_of, read_full_name
from greeter.patronymics import patronymic_gender
from greeter.sources import load_contacts
from greeter.sources.name_cells import gender_word, unknown_gender_warning
from tests.conftest import TODAY, MakeProject

NOW = "2026-12-04T10:00+03:00"
#: An Estonian CRM's export («Kliendid»): its own headers, its own values.
EE_HEADER = "ID;Eesnimi;Isanimi;Perekonnanimi;Sugu;E-post;Keel;Riik;Sünnipäev;Asutatud;Esimene tehing"
EE_COLUMNS = {
    "id": "ID",
    "email": "E-post",
    "first_name": "Eesnimi",
    "patronymic": "Isanimi",
    "last_name": "Perekonnanimi",
    "gender": "Sugu",
    "locale": "Keel",
    "country": "Riik",
    "company": None,
    "timezone": None,
    "tier": None,
    "tags": None,
}


def estonian_project(make_project: MakeProject, rows: list[str], **contacts: object) -> Path:
    """The example project reading ``data/kliendid.csv`` (:data:`EE_HEADER` and ``rows``)."""
    config = make_project([])
    (config.parent / "data" / "kliendid.csv").write_text(
        "\n".join([EE_HEADER, *rows]) + "\n", encoding="utf-8"
    )
    yaml = YAML()
    settings = yaml.load(config.read_text(encoding="utf-8"))
    section = settings["contacts"]
    section["path"] = "data/kliendid.csv"
    section["columns"] = EE_COLUMNS
    section["dates"] = {
        "birthday": "Sünnipäev",
        "company_founded": "Asutatud",
        "first_deal": "Esimene tehing",
    }
    section.update(contacts)
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(settings, fh)
    return config


def ee_row(cid: str, first: str, patronymic: str, last: str, gender: str, language: str = "et") -> str:
    return ";".join(
        [cid, first, patronymic, last, gender, f"c{cid}@example.ee", language, "Eesti", "", "", ""]
    )


def loaded(config: Path) -> tuple[dict[str, Contact], list[str]]:
    """The contacts by id and the problems' ``row N: column: message``, as ``check`` reads them."""
    settings = load_settings(config, today=TODAY)
    contacts, report = load_contacts(settings.contacts, settings.defaults)
    problems = [f"row {p.line}: {p.field}: {p.message}" for p in report.problems]
    return {c.id: c for c in contacts}, problems


def check_json(config: Path) -> tuple[Result, dict[str, object]]:
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW, "--json"])
    return result, json.loads(result.stdout)


# 1. The gender column.


def test_the_estonian_crms_genders_are_read_and_its_letters_are_said_in_english(
    make_project: MakeProject,
) -> None:
    """mees/naine as words; N (naine) is not guessed: a warning in English naming the setting."""
    rows = [
        ee_row("1", "Mari", "", "Tamm", "N"),
        ee_row("2", "Jaan", "", "Kask", "mees"),
        ee_row("3", "Liis", "", "Saar", "Naine"),
        ee_row("4", "Jüri", "", "Mets", "M"),
    ]
    config = estonian_project(make_project, rows)
    contacts, problems = loaded(config)
    assert {cid: c.gender for cid, c in contacts.items()} == {
        "1": None,
        "2": Gender.MALE,
        "3": Gender.FEMALE,
        "4": Gender.MALE,
    }
    assert problems == [
        "row 2: Sugu: 'N' is not a gender value (м/ж, M/F, male/female, мужской/женский, ч/ж, чоловіча/жіноча, mees/naine, férfi/nő,"
        " männlich/weiblich, muški/ženski, Mr/Mrs, Herr/Frau…); guessed from the name: map it with"
        " contacts.gender_values, e.g. {N: male or female}"
    ]
    result, report = check_json(config)
    assert report["row_problems"] == {"is not a gender value": 1}, result.output


def test_gender_values_in_the_config_say_what_the_crms_letters_mean(make_project: MakeProject) -> None:
    """Estonian N is female; in a Hungarian CRM F is férfi, male — the config wins over greeter's F."""
    rows = [ee_row("1", "Mari", "", "Tamm", "N"), ee_row("2", "Béla", "", "Kovács", "f")]
    config = estonian_project(make_project, rows, gender_values={"N": "female", "F": "male"})
    contacts, problems = loaded(config)
    assert (contacts["1"].gender, contacts["2"].gender) == (Gender.FEMALE, Gender.MALE)
    assert problems == []
    result, report = check_json(config)
    assert result.exit_code == 0, result.output
    assert report["row_problems"] == {}


@pytest.mark.parametrize(
    ("values", "at", "said"),
    [
        ({"N": "naine"}, "N: naine", "contacts.gender_values.N: 'naine' means female: write female (male or female)"),
        ({"N": "nobody"}, "N: nobody", "contacts.gender_values.N: 'nobody' is no gender (male or female)"),
        ({"N": "female", "n": "male"}, "n: male",
         "contacts.gender_values.n: 'n' is 'N' again (values are read in any case)"),
    ],
)  # fmt: skip
def test_a_gender_value_the_config_cannot_mean_is_refused_at_its_line(
    make_project: MakeProject, values: dict[str, str], at: str, said: str
) -> None:
    config = estonian_project(make_project, [ee_row("1", "Mari", "", "Tamm", "N")], gender_values=values)
    line = next(n for n, text in enumerate(config.read_text().splitlines(), 1) if text.strip() == at)
    with pytest.raises(ConfigError) as raised:
        load_settings(config, today=TODAY)
    assert str(raised.value) == f"{config}:{line}:5: {said}"


def test_a_misspelt_gender_values_setting_is_told_the_name(make_project: MakeProject) -> None:
    config = estonian_project(
        make_project, [ee_row("1", "Mari", "", "Tamm", "N")], gender_value={"N": "female"}
    )
    with pytest.raises(
        ConfigError, match=r"contacts\.gender_value: unknown key, did you mean `gender_values`"
    ):
        load_settings(config, today=TODAY)


@pytest.mark.parametrize(
    ("cell", "gender"),
    [
        # the whole words of the shipped languages, any case
        ("mees", Gender.MALE), ("NAINE", Gender.FEMALE),  # Estonian
        ("férfi", Gender.MALE), ("Nő", Gender.FEMALE), ("ferfi", Gender.MALE),  # Hungarian
        ("männlich", Gender.MALE), ("Weiblich", Gender.FEMALE),  # German
        ("muški", Gender.MALE), ("ženski", Gender.FEMALE), ("мушки", Gender.MALE), ("женски", Gender.FEMALE),
        ("Male", Gender.MALE), ("female", Gender.FEMALE),  # English
        ("мужской", Gender.MALE), ("женский", Gender.FEMALE), ("муж", Gender.MALE), ("жен", Gender.FEMALE),
        ("м", Gender.MALE), ("Ж", Gender.FEMALE),  # Russian
        ("ч", Gender.MALE), ("Ч", Gender.MALE), ("чол.", Gender.MALE), ("жін.", Gender.FEMALE),  # Ukrainian
        ("чоловіча", Gender.MALE), ("Жіноча", Gender.FEMALE), ("чоловік", Gender.MALE), ("жінка", Gender.FEMALE),
        ("пан", Gender.MALE), ("пані", Gender.FEMALE),
        # single letters: only what was read before (M/F, м/ж, the Serbian Ž, the German W)
        ("M", Gender.MALE), ("F", Gender.FEMALE), ("w", Gender.FEMALE),
        ("N", None), ("no", None), ("E", None), ("d", None),
    ],
)  # fmt: skip
def test_the_gender_words_table(cell: str, gender: Gender | None) -> None:
    assert gender_word(cell) is gender


def test_the_configs_values_come_before_greeters_words() -> None:
    values = {"f": Gender.MALE, "n": Gender.FEMALE}  # keyed as the parser keys them (case-folded)
    assert (gender_word("F", values), gender_word("n.", values), gender_word("m", values)) == (
        Gender.MALE,
        Gender.FEMALE,
        Gender.MALE,
    )


@pytest.mark.parametrize("cell", ["N", "директор", "Frau Müller", "?"])
def test_the_gender_warnings_kind_is_one_english_key_whatever_the_value(cell: str) -> None:
    assert problem_kind(unknown_gender_warning(cell)) == "is not a gender value"


# 2. Patronymics in Latin letters.


def test_latin_patronymics_give_the_gender_with_an_empty_gender_column(make_project: MakeProject) -> None:
    rows = [
        ee_row("1", "Anna", "Petrovna", "Ivanova", "", "ru"),
        ee_row("2", "Ivan", "Ivanovitš", "Petrov", "", "ru"),
        ee_row("3", "Oleg", "Ivanovich", "Sidorov", "", "ru"),
        ee_row("4", "Rashid", "Huseyn oglu", "Aliyev", "", "ru"),
        ee_row("5", "Mari", "", "Tamm", "", "ru"),
    ]
    contacts, problems = loaded(estonian_project(make_project, rows))
    # A Latin ФИО is read as the Russian one; a Latin first name alone in a Russian letter is told.
    assert problems == [
        "row 6: Eesnimi: 'Mari' is in Latin script, but the contact's language 'ru' is written in Cyrillic:"
        " its letters print the name as typed («Mari» in a Russian letter); write it in Cyrillic in the CRM,"
        " or give the contact a language written in Latin script (en) for an English letter"
    ]
    assert [salutation(contacts[cid], "ru") for cid in "12345"] == [
        "Уважаемая Anna Petrovna",
        "Уважаемый Ivan Ivanovitš",
        "Уважаемый Oleg Ivanovich",
        "Уважаемый Rashid Huseyn oglu",
        "Здравствуйте, Mari",
    ]


@pytest.mark.parametrize(
    ("patronymic", "gender"),
    [
        ("Petrovna", Gender.FEMALE), ("PETROVNA", Gender.FEMALE), ("Petrowna", Gender.FEMALE),
        ("Petrovn\u0430", Gender.FEMALE),  # a Cyrillic «а» typed at the end
        ("Ilyinichna", Gender.FEMALE), ("Iljinitšna", Gender.FEMALE),
        ("Ivanovich", Gender.MALE), ("Ivanovitch", Gender.MALE), ("Ivanovitš", Gender.MALE),
        ("Ivanovič", Gender.MALE), ("Iwanowitsch", Gender.MALE), ("Ivanovics", Gender.MALE),
        ("Iwanowicz", Gender.MALE), ("Ivanovici", Gender.MALE), ("Ilyich", Gender.MALE),
        ("Rashid oglu", Gender.MALE), ("Rashid ogly", Gender.MALE), ("Rashid-oğlu", Gender.MALE),
        ("Rashid o\u2018g\u2018li", Gender.MALE), ("Nurlan uly", Gender.MALE),
        ("Lutfiyar kyzy", Gender.FEMALE), ("Lutfiyar qizi", Gender.FEMALE), ("Lutfiyar qızı", Gender.FEMALE),
        ("Ivanov", Gender.UNKNOWN), ("Smith", Gender.UNKNOWN), ("Oglunov", Gender.UNKNOWN),
    ],
)  # fmt: skip
def test_the_latin_patronymics_table(patronymic: str, gender: Gender) -> None:
    assert patronymic_gender(patronymic) is gender
    assert gender_of(Contact(id="1", email=None, patronymic=patronymic)) is gender


@pytest.mark.parametrize(
    "patronymic",
    ["Петровна", "Петрович", "Ильинична", "Ильич", "Ілліч", "Рашид оглы", "Лутфияр кызы", "Рашид-оглы",
     "Иванов", "Кузнецова", "оглы", "кызы", "", "Рашидович Иванов"],
)  # fmt: skip
def test_cyrillic_patronymics_read_as_before(patronymic: str) -> None:
    """The Latin rule adds to the Cyrillic one and changes none of its answers."""
    assert patronymic_gender(patronymic) is patronymic_gender(patronymic, latin=False)


def test_a_latin_patronymic_is_not_guessed_out_of_a_name_cell() -> None:
    """«Ivan Abramovich» is as often a surname: only the patronymic column says a Latin word is one."""
    assert first_and_patronymic("Ivan Abramovich") is None
    assert first_and_patronymic("Иван Петрович") == ("Иван", "Петрович")
    assert read_full_name("Roman Abramovich", "en").parts.last_name == "Abramovich"


# 3. The language column.


def test_the_language_column_reads_language_names(make_project: MakeProject) -> None:
    values = ["vene", "eesti", "Eesti keel", "русский", "English", "Русский язык", "magyar", "srpski", "ru"]
    rows = [ee_row(str(n), "Mari", "", "Tamm", "naine", value) for n, value in enumerate(values, 1)]
    rows.append(ee_row("99", "Mari", "", "Tamm", "naine", "klingoni"))
    contacts, problems = loaded(estonian_project(make_project, rows))
    assert [contacts[str(n)].locale for n in range(1, len(values) + 1)] == [
        "ru", "et", "et", "ru", "en", "ru", "hu", "sr_Latn", "ru",
    ]  # fmt: skip
    assert contacts["99"].locale is None and contacts["1"].country == "EE"
    latin = [p.split(":")[0] for p in problems if "is in Latin script" in p]
    assert latin == ["row 2", "row 5", "row 7", "row 10"]  # the Russian ones: «Здравствуйте, Mari»
    assert [p for p in problems if "is in Latin script" not in p] == [
        f"row {len(rows) + 1}: Keel: 'klingoni' is not a language code; the default applies"
    ]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("vene", "ru"), ("eesti", "et"), ("Eesti keel", "et"), ("inglise", "en"),  # Estonian
        ("русский", "ru"), ("Русский язык", "ru"), ("английский", "en"), ("эстонский", "et"),  # Russian
        ("English", "en"), ("Russian", "ru"), ("Estonian", "et"), ("English language", "en"),  # English
        ("magyar", "hu"), ("orosz", "ru"), ("magyar nyelv", "hu"),  # Hungarian
        ("Deutsch", "de"), ("Russisch", "ru"),  # German
        ("српски", "sr"), ("српски језик", "sr"), ("srpski", "sr_Latn"), ("ruski", "ru"),  # Serbian
        ("українська", "uk"), ("қазақ тілі", "kk"), ("suomi", "fi"),  # a language's own name
        ("klingoni", None), ("vene vene", None), ("keel", None), ("", None),
    ],
)  # fmt: skip
def test_the_language_names_table(name: str, code: str | None) -> None:
    assert language_by_name(name) == code
