"""``greeter check`` says when a letter template is written in a script its language does not use.

An Estonian team started from ``greeter init`` (whose unsuffixed letters are
Russian) and set ``defaults.locale: et``: the Russian ``birthday.j2`` was
taken as Estonian. Russian clients got a mixed letter, Latvian ones the
Russian text, and check said "there is no birthday.ru.j2" and "plural needs 2
forms in Estonian, got 3: 'исполнился|исполнилось|исполнилось'". Check now
says it once per file, with the fix, and the rest of what follows from it
does not send anyone hunting elsewhere.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from greeter.check_script import guess_language, prose_words
from greeter.cli import main
from tests.conftest import MakeProject, contact_row

NOW = "2027-03-01T10:00"
LETTERS = ("birthday", "company_anniversary", "first_deal", "new_year", "holiday")


def check(config: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    return result.exit_code, result.output.splitlines()


def in_language(row: str, locale: str) -> str:
    """A :func:`contact_row` row whose language cell («Язык», "ru" there) says ``locale``."""
    cells = row.split(";")
    cells[8] = locale
    return ";".join(cells)


def estonian_project(make_project: MakeProject) -> Path:
    """The starter's templates (Russian unsuffixed letters) under ``defaults.locale: et``."""
    rows = [
        contact_row("1", "ru@example.com", birthday="05.03.1970", tier="VIP"),
        in_language(
            contact_row(
                "2", "lv@example.com", first="Anna", last="Ozola", patronymic="", birthday="06.03.1980"
            ),
            "lv",
        ),
        contact_row("3", "ru2@example.com"),
    ]
    return make_project(rows, defaults={"locale": "et", "country": "EE"})


def test_a_russian_default_file_under_et_is_one_problem_per_file_with_the_fix(
    make_project: MakeProject,
) -> None:
    config = estonian_project(make_project)
    code, lines = check(config)
    assert code == 1
    misread = [line for line in lines if "this file is taken as Estonian" in line]
    assert [line.partition(":")[0] for line in misread] == [f"{name}.j2" for name in LETTERS]
    assert misread[0] == (
        "birthday.j2:7:1: this file is taken as Estonian (defaults.locale: et) but is written in"
        " Cyrillic — probably Russian, so the Estonian letters and those of every language without a"
        " birthday file of its own are sent in Russian; rename it birthday.ru.j2 and make birthday.j2"
        " Estonian (birthday.et.j2 is: copy it to birthday.j2), or set defaults.locale: ru"
    )
    # The Russian plural forms fail in the "Estonian" letter: said there as the reason, not apart.
    assert not any("plural needs" in line for line in lines), lines
    anniversary = next(line for line in misread if line.startswith("company_anniversary.j2"))
    assert anniversary.endswith("(and why its plural at line 19 fails: Russian forms in Estonian letters)")
    # Russian clients: the file is theirs, named wrongly — not "there is no birthday.ru.j2".
    assert not any("there is no birthday.ru.j2" in line for line in lines), lines
    # Latvian clients get it too: said, with what it really is.
    latvian = [line for line in lines if "with locale 'lv' get birthday.j2" in line]
    assert len(latvian) == 1 and "(et, though written in Russian: see its problem)" in latvian[0], lines


def test_a_russian_sender_entry_is_unused_only_until_the_russian_files_are_named_so(
    make_project: MakeProject,
) -> None:
    config = estonian_project(make_project)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  by_locale:\n", "  by_locale:\n    ru:\n      name: Ромашка\n"), "utf-8")
    _, lines = check(config)
    unused = [line for line in lines if "sender.by_locale.ru:" in line]
    assert len(unused) == 1
    assert unused[0].endswith(
        "this name is never used — until birthday.j2, company_anniversary.j2, first_deal.j2,"
        " new_year.j2, holiday.j2, written in Russian but not named so, are"
    ), unused[0]


def test_the_starter_as_it_is_and_the_renamed_project_say_nothing(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com", birthday="05.03.1970")])
    code, lines = check(config)
    assert code == 0 and not any("written in" in line for line in lines), lines
    # The fix the message gives, done: every file in its own language.
    config = estonian_project(make_project)
    folder = config.parent / "templates"
    for name in LETTERS:
        (folder / f"{name}.j2").rename(folder / f"{name}.ru.j2")
        shutil.copy(folder / f"{name}.et.j2", folder / f"{name}.j2")
    code, lines = check(config)
    assert code == 0, lines
    # The Russian signature under Estonian letters is the signature check's own warning (check_signature).
    about_templates = [line for line in lines if "sender.signature:" not in line]
    assert not any(
        "written in" in line or ("there is no" in line and "'ru'" in line) for line in about_templates
    )


def test_latin_prose_taken_as_russian_and_a_misnamed_variant(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com", birthday="05.03.1970")])
    folder = config.parent / "templates"
    english = (folder / "birthday.en.j2").read_text(encoding="utf-8")
    (folder / "birthday.j2").write_text(english, encoding="utf-8")  # English under defaults.locale: ru
    shutil.copy(folder / "new_year.j2", folder / "new_year.hu.j2")  # Russian, named Hungarian
    code, lines = check(config)
    assert code == 1
    found = sorted(line for line in lines if "but is written in" in line)
    assert len(found) == 2, lines
    assert (
        found[0].startswith("birthday.j2:")
        and (
            "this file is taken as Russian (defaults.locale: ru) but is written in Latin — probably English,"
            " so the Russian letters and those of every language without a birthday file of its own are sent"
            " in English; birthday.en.j2 is there already: remove birthday.j2 or merge it into birthday.en.j2"
            " and make birthday.j2 Russian, or set defaults.locale: en"
        )
        in found[0]
    ), found[0]
    assert (
        found[1].startswith("new_year.hu.j2:")
        and (
            "this file is named Hungarian (.hu.j2) but is written in Cyrillic — probably Russian, so the"
            " Hungarian letters are sent in Russian; new_year.j2 is there already: remove new_year.hu.j2 or"
            " merge it into new_year.j2, or write it in Hungarian"
        )
        in found[1]
    ), found[1]


def test_only_the_words_a_reader_sees_are_read() -> None:
    source = (
        "{#- Birthday, Russian: the age is never printed -#}\n"
        '{% block subject %}{{ contact|name }}, с {{ "днём" }} рождения!{% endblock %}\n'
        "<p style='color: red'>Желаем <b>счастья</b></p>\n"
    )
    assert prose_words(source) == [("с", 2), ("рождения", 2), ("Желаем", 3), ("счастья", 3)][1:]
    assert guess_language(["Palju", "õnne"], "Latn") == "et"
    assert guess_language(["Срећан", "рођендан"], "Cyrl") == "sr"
    assert guess_language(["Примите", "поздравления"], "Cyrl") == "ru"
    assert (
        guess_language(["Happy", "birthday", "from", "all", "of", "us", "at", "the", "firm"], "Latn") == "en"
    )
    assert guess_language(["Bonjour", "Madame"], "Latn") == ""


def test_a_russian_default_file_under_uk_is_said_though_both_are_cyrillic(make_project: MakeProject) -> None:
    """A Kyiv office set ``defaults.locale: uk`` over the starter's Russian letters: Cyrillic under a
    Cyrillic language, so check said nothing, and told its Russian clients' letters "write them in en"."""
    rows = [contact_row("1", "ru@example.com", birthday="05.03.1970"), contact_row("2", "ru2@example.com")]
    config = make_project(rows, defaults={"locale": "uk", "country": "UA", "timezone": "Europe/Kyiv"})
    code, lines = check(config)
    assert code == 1
    misread = [line for line in lines if "this file is taken as Ukrainian" in line]
    assert [line.partition(":")[0] for line in misread] == [f"{name}.j2" for name in LETTERS]
    assert "but is written in Cyrillic — probably Russian" in misread[0]
    assert "rename it birthday.ru.j2 and make birthday.j2 Ukrainian" in misread[0]
    assert "or set defaults.locale: ru" in misread[0]
    # The Russian clients' letter is the file itself: no "there is no birthday.ru.j2 … write them in en".
    assert not any("there is no birthday.ru.j2" in line for line in lines), lines
    assert not any("write them in en" in line for line in lines), lines


def test_a_ukrainian_file_is_not_taken_for_russian() -> None:
    from greeter.check_script import _other_language

    words = prose_words("Шановний Олександре! Вітаємо Вас з днем народження, бажаємо щастя і здоров'я.")
    assert _other_language("birthday.j2", "birthday", "uk", True, words, "Cyrl") is None
    russian = prose_words("Уважаемый Александр! Поздравляем Вас с днём рождения, желаем счастья и здоровья.")
    found = _other_language("birthday.j2", "birthday", "uk", True, russian, "Cyrl")
    assert found is not None and found.language == "ru"
    assert _other_language("birthday.j2", "birthday", "be", True, russian, "Cyrl") is None  # only uk is told
