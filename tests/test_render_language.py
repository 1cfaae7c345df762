"""A letter's words follow the letter's language: declension, register, ordinals and dates.

Found by a proof-reader: a Ukrainian contact read in the Russian fallback letter was
declined by Ukrainian rules ("Тарасу Григоровичу Шевченку"); Serbian subjects used the
first name under a formal body; the English also-line dropped which anniversary it was,
and an English letter to London dated "May 4". Rendered through :class:`Renderer`, as
letters are.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from greeter.contacts import Contact, Gender
from greeter.i18n import ordinal, regional_locale
from greeter.plan_types import Hit
from greeter.render import Renderer
from tests.test_render import SENDER, TEMPLATES, item, person

TARAS_UK = person("t", "Тарас", "Григорович", "Шевченко", company="ТОВ «Кобзар»", locale="uk")


def caption(html: str | None) -> str:
    """The dative name over the HTML card of a Russian letter (``_layout.html.j2``)."""
    assert html is not None
    return html.split("text-transform:uppercase;", 1)[1].split('">', 1)[1].split("<", 1)[0]


# --------------------------------------------------------------------------- declension


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        # -енко does not decline in Russian, whoever the contact is. (A `uk` client now reads the
        # shipped Ukrainian letter: these read the Russian one, with and without a locale.)
        (replace(TARAS_UK, locale=None), "Тарасу Григоровичу Шевченко"),
        (replace(TARAS_UK, locale="ru"), "Тарасу Григоровичу Шевченко"),
        # Spelled in Ukrainian: Ukrainian endings even in a Russian letter (not "Юріївне").
        (person("n", "Наталія", "Юріївна", "Шевченко", locale="ru"), "Наталії Юріївні Шевченко"),
        (person("o", "Олексій", "Іванович", "Шевченко", locale="ru"), "Олексію Івановичу Шевченко"),
    ],
)
def test_a_russian_letter_declines_in_russian(contact: Contact, expected: str) -> None:
    out = Renderer(TEMPLATES, SENDER).render(item(contact))
    assert out.template_file == "birthday.j2"
    assert caption(out.html) == expected
    assert out.text.startswith("Уважаемый" if contact.first_name != "Наталія" else "Уважаемая")


@pytest.mark.parametrize(
    "contact",
    [
        # Languages no template is written in (a Serbian reader got «Ане Стојановой» so).
        person("k", "Айгерим", "", "Сейтова", locale="kk", gender=Gender.FEMALE),
        person("f", "Mikko", "", "Virtanen", locale="fi", gender=Gender.MALE),
    ],
)
def test_a_russian_letter_to_a_reader_of_another_language_has_no_russian_dative_caption(
    contact: Contact,
) -> None:
    """A client whose language has no file of the template reads the Russian one: their name is not
    declined by Russian rules over the card («Ане Стојановой» was)."""
    out = Renderer(TEMPLATES, SENDER).render(item(contact, "company_anniversary"))
    assert out.template_file == "company_anniversary.j2" and out.html is not None
    assert "text-transform:uppercase;" not in out.html
    assert "padding:32px 40px 8px 40px" in out.html  # the heading takes the caption's place


def test_a_ukrainian_letter_declines_in_ukrainian(tmp_path: Path) -> None:
    """With a Ukrainian file the same contact is declined by Ukrainian rules, in a macro too."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    (folder / "_names.j2").write_text(
        '{% macro to(who) %}{{ who|name("dative", "full") }}{% endmacro %}', encoding="utf-8"
    )
    (folder / "birthday.uk.j2").write_text(
        "{% block subject %}З днем народження!{% endblock %}"
        '{% block text %}{% from "_names.j2" import to %}'
        '{{ contact|name("dative", "full") }} / {{ to(contact) }} / {{ salutation }}{% endblock %}',
        encoding="utf-8",
    )
    renderer = Renderer(folder, SENDER)
    out = renderer.render(item(TARAS_UK))
    assert (
        out.text == "Тарасу Григоровичу Шевченку / Тарасу Григоровичу Шевченку / Шановний Тарасе Григоровичу"
    )
    # The Russian file, by the same renderer, a Russian-locale reader of the Ukrainian name:
    assert (
        caption(renderer.render(item(replace(TARAS_UK, locale="ru"))).html) == "Тарасу Григоровичу Шевченко"
    )


def test_a_macro_imported_by_a_ukrainian_letter_formats_in_ukrainian(tmp_path: Path) -> None:
    """A ``_uk.j2`` macro imported without context wrote «5 лет нашої співпраці», «14 декабря»:
    its filters did not see the letter's locale and fell back to Russian."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    (folder / "_uk.j2").write_text(
        "{% macro also_line(n, day) %}{{ n|years_phrase }}, {{ day|date('day_month') }},"
        " {{ n|plural('рік|роки|років') }}{% endmacro %}",
        encoding="utf-8",
    )
    (folder / "birthday.uk.j2").write_text(
        "{% block subject %}З днем народження!{% endblock %}"
        '{% block text %}{% from "_uk.j2" import also_line %}{{ also_line(5, occasion_date) }} /'
        " {{ also_line(21, occasion_date) }} / {{ 2|years_phrase('en') }}{% endblock %}",
        encoding="utf-8",
    )
    out = Renderer(folder, SENDER).render(item(TARAS_UK, day=date(2026, 12, 14)))
    assert out.text == "5 років, 14 грудня, років / 21 рік, 14 грудня, рік / 2 years"


def test_a_ukrainian_subject_is_addressed_in_the_vocative_and_with_s_says_z(tmp_path: Path) -> None:
    """«Олександре Петровичу, з днем народження!»: the vocative was refused ("belongs in the
    salutation", a Russian rule), and with_s wrote Russian «с Різдвом», «со святом»."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    (folder / "_uk.j2").write_text("{% macro on(what) %}{{ what|with_s }}{% endmacro %}", encoding="utf-8")
    (folder / "birthday.uk.j2").write_text(
        "{% block subject %}{{ contact|name('vocative') }}, {{ 'днем народження'|with_s }}!{% endblock %}"
        '{% block text %}{% from "_uk.j2" import on %}{{ contact|name("кличний", "first") }}:'
        " {{ 'Різдвом'|with_s }}, {{ on('святом') }}, {{ '100-річчям'|with_s(true) }}{% endblock %}",
        encoding="utf-8",
    )
    renderer = Renderer(folder, SENDER)
    out = renderer.render(item(TARAS_UK))
    assert out.subject == "Тарасе Григоровичу, з днем народження!"
    assert out.text == "Тарасе: з Різдвом, зі святом, Зі 100-річчям"
    # A Russian letter keeps its «с»/«со» and still has no vocative.
    from greeter.addressing import canonical_case
    from greeter.occasion_titles import with_s

    assert with_s("святом") == "со святом"
    with pytest.raises(Exception, match="vocative belongs in the salutation"):
        canonical_case("vocative")


# --------------------------------------------------------------------------- Serbian register

JELENA = person("j", "Јелена", "", "Петровић", company="Dunav d.o.o.", locale="sr", gender=Gender.FEMALE)


@pytest.mark.parametrize(
    ("template", "subject"),
    [
        ("birthday", "Срећан рођендан!"),
        ("new_year", "Срећна Нова 2027. година!"),
        ("first_deal", "15. годишњица наше сарадње — хвала Вам!"),
    ],
)
def test_serbian_subjects_are_as_formal_as_the_letter(template: str, subject: str) -> None:
    out = Renderer(TEMPLATES, SENDER).render(item(JELENA, template, day=date(2026, 12, 29)))
    assert out.template_file == f"{template}.sr.j2"
    assert (out.subject, out.text.splitlines()[0]) == (subject, "Поштована госпођо Петровић,")


# --------------------------------------------------------------------------- English


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
        (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th"), (112, "112th"),
    ],
)  # fmt: skip
def test_english_ordinals(n: int, expected: str) -> None:
    assert ordinal(n, "en_GB") == expected


def test_ordinals_in_a_language_without_endings_are_refused() -> None:
    with pytest.raises(ValueError, match="no ordinal numbers for language 'ru'; known: en"):
        ordinal(21, "ru")


MARY = replace(person("m", "Mary", "", "Smith", company="Acme Ltd", locale="en"), country="GB")


def test_english_company_anniversary_says_which_anniversary() -> None:
    renderer = Renderer(TEMPLATES, SENDER)
    out = renderer.render(item(MARY, "company_anniversary", day=date(2027, 5, 4), years=21))
    assert out.subject == "Congratulations on your company's 21st anniversary, Mary!"
    also = (
        Hit(MARY, "company_anniversary", date(2027, 5, 10), 21, 80, "company_anniversary"),
        Hit(MARY, "first_deal_anniversary", date(2027, 5, 1), 3, 70, "first_deal"),
    )
    merged = renderer.render(item(MARY, day=date(2027, 5, 4), also=also))
    assert (
        "We would also like to wish you a happy 21st anniversary of your company"
        " and a belated happy 3rd anniversary of our partnership!"
    ) in merged.text


@pytest.mark.parametrize(
    ("locale", "country", "default_country", "letter", "marks"),
    [
        ("en", "GB", "RU", "en_GB", "4 May marks 3 years"),
        ("en", "US", "RU", "en_US", "May 4 marks 3 years"),
        ("en", None, "US", "en_US", "May 4 marks 3 years"),  # no country of its own: defaults.country
        ("en", "RS", "RU", "en_001", "4 May marks 3 years"),  # no English of Serbia in CLDR
        ("en_US", "GB", "RU", "en_US", "May 4 marks 3 years"),  # the contact's own choice stays
        ("en", None, None, "en", "May 4 marks 3 years"),  # nowhere known: CLDR's en, as before
    ],
)
def test_english_dates_follow_the_clients_country(
    locale: str, country: str | None, default_country: str | None, letter: str, marks: str
) -> None:
    renderer = Renderer(TEMPLATES, SENDER, default_country=default_country)
    client = replace(MARY, locale=locale, country=country)
    out = renderer.render(item(client, "first_deal", day=date(2027, 5, 4), years=3))
    assert (out.locale, out.template_file) == (letter, "first_deal.en.j2")
    assert marks in out.text


def test_only_english_is_made_regional() -> None:
    assert regional_locale("ru", "GB") == "ru"
    assert regional_locale("en", "GB-ENG") == "en_GB"


def test_a_london_client_reads_the_day_before_the_month() -> None:
    """The proof-reader's case: locale ``en``, country GB, read "May 4 marks…"."""
    out = Renderer(TEMPLATES, SENDER).render(item(MARY, "first_deal", day=date(2027, 5, 4), years=3))
    assert out.text.splitlines()[2] == (
        "4 May marks 3 years since our first deal together, and we would like to say thank you."
    )


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        # Russian spelling: declined as Russian, as for a ru client.
        (person("s", "Сергей", "Николаевич", "Козлов", locale="be"), "Сергею Николаевичу Козлову"),
        # Belarusian spelling: printed as written (no rules greeter has decline it), as for a ru client.
        (
            person("d", "Дар'я", "Уладзіміраўна", "Лукашэвіч", locale="be"),
            "Дар&#39;я Уладзіміраўна Лукашэвіч",
        ),
    ],
)
def test_a_russian_letter_to_a_belarusian_reader_has_the_name_line(contact: Contact, expected: str) -> None:
    """A Belarusian client reading the Russian letter (no ``be`` file) had no name line over the card,
    though their name is either declined as Russian or printed as written — never a wrong form."""
    out = Renderer(TEMPLATES, SENDER).render(item(contact))
    assert out.template_file == "birthday.j2" and out.html is not None
    assert caption(out.html) == expected
    same = replace(contact, locale="ru")  # what a ru client of the same name already read
    assert caption(Renderer(TEMPLATES, SENDER).render(item(same)).html) == expected
