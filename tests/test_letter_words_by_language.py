"""Words the filters and shared macros put into letters, by the letter's language.

A marketer wrote an English letter from a Russian one and new occasions with
their own titles (real Renderer over the shipped templates/, real check):
the declension filters must not add Russian words to an English letter,
custom titles must read right mid-sentence, quotes inside quotes nest as the
language nests them, and a letter without an unsubscribe line is warned of.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from greeter.checks import run_check
from greeter.errors import TemplateError
from greeter.occasion_titles import mid_sentence, title_in_case
from greeter.plan_types import Hit
from greeter.render import Renderer
from greeter.template_quotes import in_quotes, renested
from tests.conftest import MakeProject, contact_row
from tests.test_render import MALE, SENDER, TEMPLATES, item, person, write

NOW = "2026-12-01T09:00"
DECLINED = (
    "{% block subject %}S{% endblock %}{% block text %}"
    "{{ contact.company|company('dative') }} / {{ contact|name('dative', 'full') }}{% endblock %}"
)


# --------------------------------------------------------------------------- 1. filters follow the letter


def test_an_english_letter_gets_no_russian_words_from_the_declension_filters(tmp_path: Path) -> None:
    """«компании O'Brien & Sons» and «Ивану Петрову» in an English letter: the names as written."""
    renderer = write(tmp_path, {"names.j2": DECLINED, "names.en.j2": DECLINED})
    obrien = person("13", "Mary-Kate", "", "O'Brien", company="O'Brien & Sons", locale="en")
    russian_in_english = person("14", "Иван", "", "Петров", company="Рога и Копыта", locale="en")
    assert renderer.render(item(obrien, "names")).text == "O'Brien & Sons / Mary-Kate O'Brien"
    assert renderer.render(item(russian_in_english, "names")).text == "Рога и Копыта / Иван Петров"
    serbian = person("15", "Ана", "", "Стојанова", company="Дунав д.о.о.", locale="sr")
    assert write(tmp_path, {"names.sr.j2": DECLINED}).render(item(serbian, "names")).text == (
        "„Дунав“ д.о.о. / Ана Стојанова"
    )
    # A Russian letter declines as before.
    assert renderer.render(item(MALE, "names")).text == "компании «Рога и Копыта» / Ивану Петровичу Сидорову"


def test_check_warns_of_a_case_asked_in_a_letter_that_has_no_declension(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "1@example.com", birthday="07.01.1960")])
    path = config.parent / "templates" / "birthday.en.j2"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("{% block message %}\n", "{% block message %}\n{{ contact|name('dat') }}\n", 1)
    )
    line = text[: text.index("{% block message %}\n")].count("\n") + 2
    warnings = [str(p) for p in run_check(config, NOW).problems if "is declined only in" in p.message]
    assert warnings == [
        f"birthday.en.j2:{line}:1: warning: name('dat') in a letter in 'en': the name is declined only "
        "in ru, uk letters, here it is printed as written (the nominative); word the sentence for it, "
        "or drop the case"
    ]


# --------------------------------------------------------------------------- 2. titles mid-sentence


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Годовщина договора", ("f", "годовщиной договора")),
        ("Именины", ("p", "именинами")),
        ("Годовщина Ромашки", ("f", "годовщиной Ромашки")),  # a name after it keeps its capital
        ("День менеджера", ("m", "Днём менеджера")),  # a holiday's name keeps it
        ("День Победы", ("m", "Днём Победы")),
        ("Новый год", ("m", "Новым годом")),
        ("Рождество", ("n", "Рождеством")),
        ("Вербное воскресенье", ("n", "Вербным воскресеньем")),
        ("Юбилей компании", ("m", "юбилеем компании")),
        ("День рождения компании", ("m", "днём рождения компании")),
        # the dictionary writes these lower case too: a holiday's name is never lowered by it
        ("Курбан-байрам", ("m", "Курбан-байрамом")),
        ("Пурим", ("m", "Пуримом")),
        ("Профессиональный праздник", ("m", "Профессиональным праздником")),
    ],
)
def test_a_russian_title_names_a_holiday_with_a_capital_and_a_common_noun_without(
    title: str, expected: tuple[str, str]
) -> None:
    assert title_in_case(title, "instrumental") == expected


@pytest.mark.parametrize(
    ("title", "language", "expected"),
    [
        ("Contract anniversary", "en", "contract anniversary"),
        ("Christmas", "en", "Christmas"),
        ("Independence Day", "en", "Independence Day"),
        ("Romashka's 25th anniversary", "en", "Romashka's 25th anniversary"),  # a company's name
        ("Acme anniversary", "en", "Acme anniversary"),  # unknown first word: as written
        ("Vertragsjubiläum", "de", "Vertragsjubiläum"),  # German nouns keep their capital
        ("Szerződés évfordulója", "hu", "szerződés évfordulója"),
        ("Рођендан компаније", "sr", "рођендан компаније"),
        ("Дан државности", "sr", "Дан државности"),
    ],
)
def test_mid_sentence(title: str, language: str, expected: str) -> None:
    assert mid_sentence(title, language) == expected


def _merged(renderer: Renderer, contact_locale: str | None) -> str:
    contact = person("m", "Иван", "Петрович", "Сидоров", company="Рога и Копыта", locale=contact_locale)
    also = (Hit(contact, "contract", date(2026, 12, 10), 3, 75, "holiday"),)
    letter = renderer.render(
        item(contact, "company_anniversary", day=date(2026, 12, 15), years=25, also=also)
    )
    return letter.text


def test_a_merged_custom_title_reads_right_mid_sentence_in_russian_and_english() -> None:
    """«и Годовщиной договора», "a belated happy Contract anniversary": the marketer's reports."""
    renderer = Renderer(TEMPLATES, SENDER, titles={"contract": "Годовщина договора"})
    assert "прошедшей годовщиной договора" in _merged(renderer, None)
    english = Renderer(TEMPLATES, SENDER, titles={"contract": "Contract anniversary"})
    text = _merged(english, "en")
    assert "happy contract anniversary" in text and "Contract anniversary" not in text


# --------------------------------------------------------------------------- 3. quotes in quotes


def test_quotes_inside_quotes_nest_as_the_language_nests_them() -> None:
    assert in_quotes("25-летие «Ромашки»", "ru") == "«25-летие „Ромашки“»"
    assert in_quotes("Tag „Ромашки“", "de") == "„Tag ‚Ромашки‘“"
    assert renested("ООО „Завод „Прогресс““", "sr") == "ООО „Завод ‚Прогресс‘“"
    assert renested("«a» и «b»", "ru") == "«a» и «b»"  # side by side: nothing nested
    assert renested("«a «b»", "en") == "«a «b»"


def test_a_title_with_guillemets_is_quoted_once_in_a_russian_letter() -> None:
    renderer = Renderer(TEMPLATES, SENDER, titles={"romashka_25": "25-летие «Ромашки»"})
    letter = renderer.render(item(MALE, "holiday", occasion="romashka_25", years=None))
    assert "праздником «25-летие „Ромашки“»" in letter.text and "««" not in letter.text + letter.subject
    company = person("c", "Иван", "Петрович", "Сидоров", company="ООО «Завод «Прогресс»»")
    birthday = Renderer(TEMPLATES, SENDER).render(item(company, "company_anniversary"))
    assert "ООО «Завод „Прогресс“»" in birthday.text


# --------------------------------------------------------------------------- 4. unsubscribe line


def test_check_warns_of_a_template_whose_letters_show_no_unsubscribe_line(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "1@example.com", birthday="07.01.1960")])
    (config.parent / "templates" / "birthday.j2").write_text(
        "{% block subject %}С днём рождения!{% endblock %}{% block text %}{{ salutation }}!{% endblock %}\n",
        encoding="utf-8",
    )
    found = [str(p) for p in run_check(config, NOW).problems if "unsubscribe line" in p.message]
    assert len(found) == 1 and found[0].startswith("birthday.j2: warning: the text part of its letters")


# --------------------------------------------------------------------------- 5. the name meant


def test_a_case_typed_into_a_filter_name_or_misspelt_is_answered_with_the_form_meant(tmp_path: Path) -> None:
    renderer = write(
        tmp_path,
        {
            "a.j2": "{% block subject %}S{% endblock %}{% block text %}{{ contact|name_dative }}{% endblock %}",
            "b.j2": "{% block subject %}S{% endblock %}{% block text %}{{ contact|name('dativ') }}{% endblock %}",
        },
    )
    problems = [str(p) for p in renderer.check(["a", "b"])]
    assert any("No filter named 'name_dative', did you mean name('dative')?" in p for p in problems)
    with pytest.raises(TemplateError, match="did you mean 'dative'"):
        renderer.render(item(MALE, "b"))


def test_check_reports_every_unknown_filter_of_a_file(tmp_path: Path) -> None:
    renderer = write(
        tmp_path,
        {
            "c.j2": "{% block subject %}{{ 3|plurl('a|b|c') }}{% endblock %}\n"
            "{% block text %}{{ contact|name_gen }}{% endblock %}",
        },
    )
    problems = [str(p) for p in renderer.check(["c"])]
    assert any("'plurl', did you mean 'plural'" in p for p in problems)
    assert any("c.j2:2" in p and "name('genitive')" in p for p in problems)
