"""Occasion titles declined for a letter and the preposition «с»/«со» before them — pure tables,
and the shipped Russian letters that use them (a real Renderer over templates/)."""

from __future__ import annotations

from datetime import date

import pytest

from greeter.occasion_titles import title_in_case, with_s
from greeter.render import Renderer
from tests.test_render import MALE, SENDER, TEMPLATES, item


@pytest.mark.parametrize(
    ("title", "case", "expected"),
    [
        ("День менеджера", "instrumental", ("m", "Днём менеджера")),
        ("День менеджера", "dative", ("m", "Дню менеджера")),
        ("День   России", "ins", ("m", "Днём России")),  # spaces squeezed; a place's genitive kept
        ("Международный день бухгалтера", "instrumental", ("m", "Международным днём бухгалтера")),
        ("Старый Новый год", "instrumental", ("m", "Старым Новым годом")),
        ("Масленица", "творительный", ("f", "Масленицей")),
        ("Рождество", "instrumental", ("n", "Рождеством")),
        ("Вербное воскресенье", "instrumental", ("n", "Вербным воскресеньем")),
        ("именины", "instrumental", ("p", "именинами")),  # plural only: agrees as a plural
        ("Святки", "dative", ("p", "святкам")),  # no holiday's name: lower case mid-sentence
        ("День рождения компании", "instrumental", ("m", "днём рождения компании")),
        ("Международный день", "accusative", ("m", "Международный день")),  # inanimate: as nominative
        # not sure, so not declined: the template says «праздником …», a holiday's name unquoted
        ("8 Марта", "instrumental", None),
        ("Black Friday", "instrumental", None),
        ("День «Ромашки»", "instrumental", None),
        ("Эстонский день", "instrumental", None),  # a reading as a place name: not a common word
        ("Бжьфыв", "instrumental", None),  # unknown to the dictionary
        ("", "instrumental", None),
    ],
)
def test_title_in_case(title: str, case: str, expected: tuple[str, str] | None) -> None:
    assert title_in_case(title, case) == expected


def test_an_unknown_case_is_an_error_that_names_the_cases() -> None:
    with pytest.raises(
        ValueError, match="'ablative' is the ablative case, which greeter does not decline names or titles in"
    ):
        title_in_case("День менеджера", "ablative")


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Днём менеджера", "с Днём менеджера"),
        ("днём рождения", "с днём рождения"),
        ("Масленицей", "с Масленицей"),
        ("Старым Новым годом", "со Старым Новым годом"),  # с + consonant
        ("Светлой Пасхой", "со Светлой Пасхой"),
        ("Сретением", "со Сретением"),
        ("звонком", "со звонком"),
        ("щедростью", "со щедростью"),
        ("Всемирным днём здоровья", "со Всемирным днём здоровья"),
        ("вторым", "со вторым"),
        ("100-летием Вашей компании", "со 100-летием Вашей компании"),  # сто…
        ("150-летием", "со 150-летием"),
        ("15-летием", "с 15-летием"),
        ("1000-летием", "с 1000-летием"),  # тысяче…
        ("семилетием", "с семилетием"),  # с + vowel
    ],
)
def test_with_s(phrase: str, expected: str) -> None:
    assert with_s(phrase) == expected
    assert with_s(phrase, start=True) == expected[0].upper() + expected[1:]


@pytest.fixture(scope="module")
def shipped() -> Renderer:
    return Renderer(TEMPLATES, SENDER)


def test_a_hundredth_company_anniversary_is_со_in_the_subject_and_the_heading(shipped: Renderer) -> None:
    """«с 100-летием» reads «с столетием»: Russian says «со»."""
    letter = shipped.render(item(MALE, "company_anniversary", years=100))
    assert letter.subject == "Иван Петрович, со 100-летием компании «Рога и Копыта»!"
    assert letter.html is not None and "Со 100-летием компании «Рога и Копыта»!" in letter.html
    fifteen = shipped.render(item(MALE, "company_anniversary", years=15))
    assert fifteen.subject == "Иван Петрович, с 15-летием компании «Рога и Копыта»!"


def test_a_title_with_markup_characters_is_escaped_once_in_the_html_letter() -> None:
    """with_s on a block's Markup keeps it Markup: «&» is «&amp;» in the HTML, never «&amp;amp;»."""
    titled = Renderer(TEMPLATES, SENDER, titles={"rnd_day": "R&D Day"})
    letter = titled.render(item(MALE, "holiday", occasion="rnd_day", day=date(2026, 12, 15), years=None))
    assert letter.subject == "Иван Петрович, с праздником R&D Day!"  # a holiday's name: not quoted
    assert letter.html is not None
    assert "С праздником R&amp;D Day!" in letter.html and "&amp;amp;" not in letter.html
