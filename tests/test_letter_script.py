"""A letter in one script throughout: a ``uz_Cyrl`` client sent the Latin ``holiday.uz.j2``.

A Tashkent office's Uzbek letters exist in Latin script only; a client whose CRM says ``uz_Cyrl``
got the Latin file with a Cyrillic date inside it («Bayram 21 март kuni»): the letter's locale was
the client's, not the file's. The letter is now in the file's locale where the file's script is not
the client's (dates, months, titles and signatures Latin), and in the client's where a file of their
script exists. Serbian is not so: a Latin Serbian letter from a Cyrillic file is transliterated whole.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from greeter.check_name_script import language_scripts
from greeter.checks import run_check
from greeter.contacts import Contact
from greeter.plan_types import Hit, PlanItem
from greeter.render import Renderer
from tests.conftest import MakeProject, contact_row
from tests.test_render import SENDER

LETTER = (
    "{% block subject %}{{ locale }}{% endblock %}"
    '{% block text %}{{ occasion_date|date("day_month") }}{% endblock %}'
)


def letter(folder: Path, locale: str) -> tuple[str, str, str]:
    """(file, letter locale, the date as the letter prints it) of a 21 March letter to ``locale``."""
    contact = Contact(id="1", email="a@example.uz", first_name="Акмал", last_name="Тошматов", locale=locale)
    hit = Hit(contact, "holiday", date(2027, 3, 21), None, 100, "holiday")
    rendered = Renderer(folder, SENDER, "ru").render(PlanItem(hit=hit, status="send"))
    return rendered.template_file, rendered.locale, rendered.text


@pytest.mark.parametrize(
    ("files", "locale", "expected"),
    [
        (["uz"], "uz_Cyrl", ("holiday.uz.j2", "uz", "21-mart")),  # was uz_Cyrl, «21 март»
        (["uz"], "uz_Latn", ("holiday.uz.j2", "uz_Latn", "21-mart")),
        (["uz"], "uz", ("holiday.uz.j2", "uz", "21-mart")),
        (["uz", "uz_Cyrl"], "uz_Cyrl", ("holiday.uz_Cyrl.j2", "uz_Cyrl", "21 март")),
        (["uz", "uz_Cyrl"], "uz", ("holiday.uz.j2", "uz", "21-mart")),
        (["uz_Cyrl"], "uz_Cyrl", ("holiday.uz_Cyrl.j2", "uz_Cyrl", "21 март")),
        (["de"], "de_AT", ("holiday.de.j2", "de_AT", "21. März")),  # same script: the client's own
        (["sr"], "sr_Latn", ("holiday.sr.j2", "sr_Latn", "21. marta")),  # Serbian: transliterated
    ],
)
def test_a_letter_is_in_its_files_script_and_so_are_its_dates(
    tmp_path: Path, files: list[str], locale: str, expected: tuple[str, str, str]
) -> None:
    (tmp_path / "holiday.j2").write_text(LETTER, "utf-8")
    for written in files:
        (tmp_path / f"holiday.{written}.j2").write_text(LETTER, "utf-8")
    assert letter(tmp_path, locale) == expected


def _row(cid: str, locale: str, first: str, last: str) -> str:
    row = contact_row(cid, f"c{cid}@example.uz", first=first, last=last, patronymic="", birthday="05.03.1970")
    return row.replace(";ru;", f";{locale};")


def test_check_warns_of_names_in_the_other_script_of_the_letters_language(make_project: MakeProject) -> None:
    """«Hurmatli Бекзод Ўткир ўғли!»: a Cyrillic name in a Latin Uzbek letter (a ``uz`` client, and a
    ``uz_Cyrl`` one with no Cyrillic file), as check warns of «John» in a Russian letter. Not a Latin
    name in a Latin letter, a Cyrillic name in an English one (no script of English), nor a Serbian
    Latin letter (transliterated whole)."""
    rows = [
        _row("11", "uz", "Бекзод", "Эргашев"),
        _row("24", "uz_Cyrl", "Акмал", "Тошматов"),
        _row("13", "uz", "Alisher", "Raximov"),
        _row("30", "en", "Иван", "Петров"),
        _row("40", "sr_Latn", "Марко", "Марковић"),
    ]
    config = make_project(rows)
    templates = config.parent / "templates"
    (templates / "birthday.uz.j2").write_text((templates / "birthday.en.j2").read_text("utf-8"), "utf-8")
    warnings = [
        str(p) for p in run_check(config, "2026-12-01T09:00").problems if "names written in" in p.message
    ]
    assert len(warnings) == 1, warnings
    assert (
        ": contacts.columns.locale: warning: 2 contact(s) get letters in 'uz' (written in Latin) but have "
        "names written in Cyrillic (11 Бекзод Эргашев, 24 Акмал Тошматов): the name shows in the other script "
        "inside the letter; give them the locale 'uz_Cyrl' and letters in that script "
        "(<template>.uz_Cyrl.j2), or write their names in Latin in the CRM" in warnings[0]
    )
    # with a Cyrillic file the uz_Cyrl client's letter is Cyrillic: only the uz client is left
    (templates / "birthday.uz_Cyrl.j2").write_text((templates / "birthday.en.j2").read_text("utf-8"), "utf-8")
    warnings = [
        p.message for p in run_check(config, "2026-12-01T09:00").problems if "names written in" in p.message
    ]
    assert [w.split(" (")[0] for w in warnings] == ["1 contact(s) get letters in 'uz'"], warnings
    assert "(11 Бекзод Эргашев)" in warnings[0]


@pytest.mark.parametrize(
    ("language", "scripts"),
    [("uz", {"Latn", "Cyrl", "Arab"}), ("sr", {"Cyrl", "Latn"}), ("ru", {"Cyrl"}), ("hu", {"Latn"})],
)
def test_the_scripts_a_language_is_written_in_come_from_cldr(language: str, scripts: set[str]) -> None:
    assert language_scripts(language) == scripts
