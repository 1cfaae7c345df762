"""The shipped Ukrainian letters (``*.uk.j2``, ``_uk.j2``) and ``greeter init --locale uk``.

A Kyiv office found greeter's Ukrainian grammar (vocative, cases, «5 років», «24 серпня»,
з/зі) but no Ukrainian letters: ``init --locale uk`` was refused and a ``uk`` client read the
Russian letter. Each letter is rendered here for a man and a woman, with and without a
patronymic, alone and with a merged occasion, through :class:`Renderer` as letters are.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.company_names import company_in, company_name
from greeter.contacts import Contact, Gender
from greeter.plan_types import Hit
from greeter.render import Rendered, Renderer
from tests.test_render import SENDER, TEMPLATES, item, person

OLEKSANDR = person(
    "o", "Олександр", "Петрович", "Коваленко", company="ТОВ «Млин»", locale="uk", gender=Gender.MALE
)
IRYNA = person("i", "Ірина", "", "Шевчук", company="Світанок", locale="uk", gender=Gender.FEMALE)
NATALIIA = person("n", "Наталія", "Юріївна", "Мельник", locale="uk", gender=Gender.FEMALE)
VASYL = person("v", "Василь", "", "Ткаченко", locale="uk", gender=Gender.MALE)

#: (contact, the salutation's opening line, the vocative the subject opens with).
ADDRESSED = (
    (OLEKSANDR, "Шановний Олександре Петровичу!", "Олександре Петровичу, "),
    (IRYNA, "Шановна пані Ірино!", "Ірино, "),
    (NATALIIA, "Шановна Наталіє Юріївно!", "Наталіє Юріївно, "),
    (VASYL, "Шановний пане Василю!", "Василю, "),
)

#: template → (occasion, years, the words its first paragraph must say).
LETTERS = {
    "birthday": ("birthday", 41, "Щиро вітаємо Вас з днем народження!"),
    "company_anniversary": ("company_anniversary", 25, "виповнюється 25 років"),
    "first_deal": ("first_deal_anniversary", 5, "виповнюється 5 років від дня нашої першої спільної угоди"),
    "new_year": ("new_year", None, "з прийдешнім Новим 2027 роком!"),
    "holiday": ("ua_holiday", None, "Щиро вітаємо Вас зі святом!"),
}

#: Letters Russian has and Ukrainian has not: a Russian word left in a Ukrainian letter.
RUSSIAN_ONLY = re.compile("[ыэъёЫЭЪЁ]")


@pytest.fixture(scope="module")
def shipped() -> Renderer:
    return Renderer(TEMPLATES, SENDER)


def body(out: Rendered) -> str:
    """The letter's text without the sender's footer and signature (the test sender is Russian)."""
    return out.text.split("\n\nЗ повагою,", 1)[0]


@pytest.mark.parametrize("template", list(LETTERS))
@pytest.mark.parametrize(("contact", "salutation", "vocative"), ADDRESSED, ids=[a[0].id for a in ADDRESSED])
@pytest.mark.parametrize("merged", [False, True], ids=["alone", "merged"])
def test_each_ukrainian_letter_is_ukrainian_and_addresses_by_the_vocative(
    shipped: Renderer, template: str, contact: Contact, salutation: str, vocative: str, merged: bool
) -> None:
    occasion, years, words = LETTERS[template]
    day = date(2026, 12, 29) if template == "new_year" else date(2026, 12, 15)
    other = (
        Hit(contact, "birthday", date(2026, 12, 20), 41, 100, "birthday")
        if template == "new_year"
        else Hit(contact, "new_year", date(2026, 12, 29), None, 60, "new_year")
    )
    out = shipped.render(
        item(contact, template, occasion=occasion, day=day, years=years, also=(other,) if merged else ())
    )
    assert out.template_file == f"{template}.uk.j2"
    assert out.subject.startswith(vocative) and out.subject.endswith("!")
    assert out.text.startswith(salutation + "\n\n")
    assert words in out.text
    assert "\n\nЗ повагою,\n" in out.text
    text = body(out)
    assert not RUSSIAN_ONLY.search(out.subject + text), out.subject + "\n" + text
    merged_line = "Користуючись нагодою, вітаємо Вас і з"
    assert (merged_line in text) is merged
    if merged:
        assert ("минулим днем народження" if template == "new_year" else "прийдешнім Новим роком") in text


def test_a_ukrainian_company_is_named_as_ukrainian_says_it(shipped: Renderer) -> None:
    """A legal form says what the company is («ТОВ «Млин»»); a bare name takes «компанії»."""
    out = shipped.render(item(OLEKSANDR, "company_anniversary", years=25))
    assert out.subject == "Олександре Петровичу, з 25-річчям ТОВ «Млин»!"
    assert "15 грудня ТОВ «Млин» виповнюється 25 років." in out.text
    out = shipped.render(item(IRYNA, "company_anniversary", years=1, belated=True))
    assert out.subject == "Ірино, з першою річницею компанії «Світанок»!"
    assert "компанії «Світанок» виповнився 1 рік." in out.text


def test_a_ukrainian_holiday_is_named_by_its_title_in_the_instrumental(tmp_path: Path) -> None:
    """«з Днем незалежності України» from its Ukrainian title; a title not declined follows «святом»."""
    config = init_uk(tmp_path)
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "occasions:\n",
        "occasions:\n"
        "  - name: ua_independence\n"
        '    holiday: "Independence Day"\n'
        "    title: День незалежності України\n"
        "    template: holiday\n",
        1,
    )
    config.write_text(text, encoding="utf-8")
    done = CliRunner().invoke(
        main,
        [
            *("--config", str(config), "preview", "--json", "--from", "2027-08-20", "--days", "10"),
            *("--now", "2027-08-20T09:00:00+03:00", "--contact", "3001"),
        ],
    )
    assert "з Днем незалежності України" in done.stdout, done.output


def init_uk(tmp_path: Path) -> Path:
    project = tmp_path / "kyiv"
    done = CliRunner().invoke(main, ["init", str(project), "--locale", "uk"])
    assert done.exit_code == 0, done.output
    return project / "greeter.yaml"


def test_init_locale_uk_writes_a_ukrainian_project_that_checks(tmp_path: Path) -> None:
    """Refused before: "the starter's letters are in ru, de, en, et, hu, sr"."""
    config = init_uk(tmp_path)
    templates = config.parent / "templates"
    assert "Щиро вітаємо Вас" in (templates / "birthday.j2").read_text(encoding="utf-8")
    assert "Примите наши самые тёплые" in (templates / "birthday.ru.j2").read_text(encoding="utf-8")
    assert not (templates / "birthday.uk.j2").exists()
    text = config.read_text(encoding="utf-8")
    assert re.search(r"^  locale: uk\b", text, re.MULTILINE)
    assert re.search(r"^  timezone: Europe/Kyiv\b", text, re.MULTILINE)
    assert re.search(r"^  country: UA\b", text, re.MULTILINE)
    done = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-01T09:00:00+02:00"])
    assert done.exit_code == 0, done.output
    assert "0 failed" in done.stdout


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("Товариство з обмеженою відповідальністю «Млин»", "ТОВ «Млин»"),
        ('Приватне акціонерне товариство "Дніпро"', "ПрАТ «Дніпро»"),
        ("Фізична особа-підприємець Коваленко О. П.", "ФОП Коваленко О. П."),
        ("Млин", "«Млин»"),
        ("Товариство з обмеженою відповідальністю", "Товариство з обмеженою відповідальністю"),
    ],
)
def test_a_ukrainian_letter_abbreviates_the_legal_form_as_a_russian_one_does(
    shipped: Renderer, cell: str, written: str
) -> None:
    """`|company` in a uk letter printed «Товариство з обмеженою відповідальністю «Млин»» in
    full, where a Russian letter's `company('genitive')` says «ТОВ «Млин»»."""
    assert company_name(cell, "uk") == written
    if cell.startswith("Товариство з обмеженою відповідальністю «"):
        assert company_in(cell, "genitive") == written  # the Russian letters' form, as before
        out = shipped.render(item(replace(OLEKSANDR, company=cell), "company_anniversary", years=25))
        assert out.subject == f"Олександре Петровичу, з 25-річчям {written}!"
        assert "Товариство" not in out.text
