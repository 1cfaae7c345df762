"""A new language's salutation and closing without Python: the helper file ``_pl.j2`` words them.

Reported by a marketing lead adding Polish letters: «birthday.pl.j2» on the shipped layout
opened «Dear Jan,» and closed «Kind regards,» (greeter's forms are Python, and a language
without its own got English ones); the only way out was a copy of the whole layout, and
``greeter check`` said OK, the unsubscribe line English too. Rendered through
:class:`Renderer` and checked with :func:`run_check`, on a copy of the shipped templates.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from greeter.checks import run_check
from greeter.contacts import Contact, Gender
from greeter.errors import TemplateError
from greeter.plan_types import Hit
from greeter.render import Renderer
from tests.conftest import ROOT, MakeProject, contact_row
from tests.test_render import SENDER, TEMPLATES, item, person

DOCS = ROOT / "docs" / "templates.md"

JAN = person("pl1", "Jan", "", "Kowalski", locale="pl", gender=Gender.MALE)
ANNA = person("pl2", "Anna", "", "Nowak", locale="pl", gender=Gender.FEMALE)
KIM = person("pl3", "Kim", "", "Zielińska", locale="pl")

BIRTHDAY_PL = """\
{% extends "_layout.html.j2" %}
{% block subject %}Wszystkiego najlepszego!{% endblock %}
{% block message %}
Z okazji urodzin składamy najserdeczniejsze życzenia.
{% endblock %}
"""


def documented(file: str) -> str:
    """The code block docs/templates.md gives for ``file`` (after its ``<!-- tested: … -->`` line)."""
    text = DOCS.read_text(encoding="utf-8")
    m = re.search(rf"<!-- tested: templates/{re.escape(file)} .*?-->\n```jinja\n(.*?)```\n", text, re.S)
    assert m is not None, f"docs/templates.md has no tested block for {file}"
    return m.group(1)


def folder_with(tmp_path: Path, files: dict[str, str]) -> Path:
    """The shipped templates with ``files`` added (or replaced)."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def opening(text: str) -> str:
    return text.split("\n", 1)[0]


# --------------------------------------------------------------------------- the hook


@pytest.fixture
def documented_folder(tmp_path: Path) -> Path:
    """The docs' skeleton ``_pl.j2`` and Polish birthday letter, as a marketer would copy them."""
    return folder_with(
        tmp_path, {"_pl.j2": documented("_pl.j2"), "birthday.pl.j2": documented("birthday.pl.j2")}
    )


@pytest.mark.parametrize(
    ("contact", "expected"),
    [(JAN, "Szanowny Panie,"), (ANNA, "Szanowna Pani,"), (KIM, "Dzień dobry,")],
)
def test_the_documented_polish_helper_words_salutation_and_closing(
    documented_folder: Path, contact: Contact, expected: str
) -> None:
    """The skeleton of "Adding a language" opens and closes a Polish letter in Polish, in both
    parts, with the shipped layout untouched (on base: «Dear Jan,» … «Kind regards,»)."""
    out = Renderer(documented_folder, SENDER).render(item(contact))
    assert out.template_file == "birthday.pl.j2"
    assert opening(out.text) == expected
    assert "\n\nZ poważaniem\nООО «Ромашка»\n" in out.text  # no Polish signature: closing and name
    assert "Dear" not in out.text and "Kind regards" not in out.text
    assert out.html is not None
    assert f'<p style="margin:0 0 16px 0;">{expected}</p>' in out.html
    assert "Z poważaniem<br>" in out.html


def test_the_documented_also_line_reads_whether_each_merged_occasion_is_past(documented_folder: Path) -> None:
    """`a.belated` / `a.early`: the skeleton's also_line says «(z opóźnieniem)» of a past one only."""
    past = Hit(JAN, "christmas", date(2026, 12, 10), None, 50, "holiday")
    ahead = Hit(JAN, "new_year", date(2027, 1, 1), None, 50, "new_year")
    out = Renderer(documented_folder, SENDER).render(item(JAN, also=(past, ahead)))
    assert (
        "Korzystając z okazji, składamy również życzenia z okazji (z opóźnieniem) Świąt Bożego "
        "Narodzenia i Nowego Roku!"
    ) in out.text


def test_also_items_carry_whether_their_day_is_past_or_ahead(tmp_path: Path) -> None:
    """Relative to send_date, as the shipped also_lines work it out; neither on the day itself."""
    letter = BIRTHDAY_PL.replace(
        "życzenia.\n",
        "życzenia.\n{% for a in also %}{{ a.occasion }}:{{ a.belated }}/{{ a.early }} {% endfor %}\n",
    )
    folder = folder_with(tmp_path, {"birthday.pl.j2": letter})
    also = tuple(
        Hit(JAN, name, day, None, 50, name)
        for name, day in (("a", date(2026, 12, 14)), ("b", date(2026, 12, 15)), ("c", date(2026, 12, 16)))
    )
    out = Renderer(folder, SENDER).render(item(JAN, also=also))
    assert "a:True/False b:False/False c:False/True" in out.text


def test_a_vocative_the_marketer_writes_and_data_stays_data(tmp_path: Path) -> None:
    """«Szanowny Panie Janie,» from the marketer's own table; a name is printed, never evaluated,
    and escaped in the HTML part."""
    helper = """\
{% macro salutation(contact, locale) -%}
{%- set vocative = {"Jan": "Janie", "Anna": "Anno"}.get(contact.first_name, contact.first_name) -%}
{{ "Szanowny Panie" if contact.gender == "male" else "Szanowna Pani" }} {{ vocative }}
{%- endmacro %}
{% macro closing(sender) %}Z poważaniem, {{ sender.company }}{% endmacro %}
"""
    folder = folder_with(tmp_path, {"_pl.j2": helper, "birthday.pl.j2": BIRTHDAY_PL})
    renderer = Renderer(folder, SENDER)
    assert opening(renderer.render(item(JAN)).text) == "Szanowny Panie Janie,"  # the English «,» stays
    assert "\nZ poważaniem, ООО «Ромашка»\n" in renderer.render(item(ANNA)).text
    odd = person("pl9", "<b>{{ 7*7 }}", "", "X", locale="pl", gender=Gender.FEMALE)
    out = renderer.render(item(odd))
    assert opening(out.text) == "Szanowna Pani <b>{{ 7*7 }},"
    assert out.html is not None and "Szanowna Pani &lt;b&gt;{{ 7*7 }}," in out.html


def test_a_helper_mistake_is_an_error_at_the_helper(tmp_path: Path) -> None:
    """StrictUndefined inside the hook, and an argument greeter does not pass: named at _pl.j2."""
    typo = "{% macro salutation(contact) %}Szanowny {{ contact.firstname }}{% endmacro %}\n"
    folder = folder_with(tmp_path, {"_pl.j2": typo, "birthday.pl.j2": BIRTHDAY_PL})
    with pytest.raises(TemplateError) as caught:
        Renderer(folder, SENDER).render(item(JAN))
    assert caught.value.template == "_pl.j2" and caught.value.line == 1
    assert "firstname" in caught.value.detail

    wrong = "\n{% macro salutation(person) %}Szanowny Panie{% endmacro %}\n"
    (folder / "_pl.j2").write_text(wrong, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        Renderer(folder, SENDER).render(item(JAN))
    assert (caught.value.template, caught.value.line) == ("_pl.j2", 2)
    assert "greeter calls it with contact, locale, sender, not 'person'" in caught.value.detail


@pytest.mark.parametrize("locale", ["ru", "uk", "en_GB", "de", "de_AT", "et", "hu", "sr", "sr_Latn"])
def test_the_shipped_helpers_define_no_forms(locale: str) -> None:
    """The shipped languages keep greeter's own forms (their letters render byte-identically)."""
    assert Renderer(TEMPLATES, SENDER).language_forms(locale) is None


# --------------------------------------------------------------------------- check


def polish_row(cid: str) -> str:
    return contact_row(
        cid, f"{cid}@example.com", first="Jan", last="Kowalski", patronymic="", birthday="07.01.1960"
    ).replace(";ru;", ";pl;")


def language_warnings(config: Path) -> list[str]:
    return [
        p.message
        for p in run_check(config, "2026-12-01T09:00").problems
        if "get letters in 'pl' (birthday" in p.message
    ]


def test_check_warns_of_polish_letters_that_open_and_close_in_english(make_project: MakeProject) -> None:
    """check said OK while every Polish letter opened and closed in English, its footer too."""
    config = make_project([polish_row("p1"), polish_row("p2"), contact_row("r1", "r1@example.com")])
    templates = config.parent / "templates"
    (templates / "birthday.pl.j2").write_text(BIRTHDAY_PL, encoding="utf-8")
    assert language_warnings(config) == [
        "2 contact(s) get letters in 'pl' (birthday.pl.j2) that open in English («Dear …,») and close "
        "in English («Kind regards,»), greeter having no salutation or closing of its own for 'pl'; they "
        "show the unsubscribe line in English («If you would rather not receive our greetings, please "
        "unsubscribe»): define salutation, salutation_end and closing in _pl.j2 and add a 'pl' entry to "
        '_unsubscribe.j2\'s words (see "Adding a language" in docs/templates.md)'
    ]

    (templates / "_pl.j2").write_text(
        '{% macro salutation(contact) %}Szanowni Państwo{% endmacro %}\n{% set salutation_end = "," %}\n',
        encoding="utf-8",
    )
    assert language_warnings(config) == [
        "2 contact(s) get letters in 'pl' (birthday.pl.j2) that close in English («Kind regards,»), "
        "greeter having no salutation or closing of its own for 'pl'; they show the unsubscribe line in "
        "English («If you would rather not receive our greetings, please unsubscribe»): define closing in "
        "_pl.j2 and add a 'pl' entry to _unsubscribe.j2's words (see \"Adding a language\" in docs/templates.md)"
    ]

    (templates / "_pl.j2").write_text(documented("_pl.j2"), encoding="utf-8")
    footer = (templates / "_unsubscribe.j2").read_text(encoding="utf-8")
    entry = '    "pl": ("Jeśli nie chcą Państwo otrzymywać od nas życzeń, ", "prosimy wypisać się"),\n'
    (templates / "_unsubscribe.j2").write_text(
        footer.replace('    "en": (', entry + '    "en": ('), encoding="utf-8"
    )
    assert language_warnings(config) == []


# --------------------------------------------------------------------------- the vocative


@pytest.mark.parametrize("case", ["vocative", "Vocative", "звательный"])
def test_a_vocative_asked_of_name_is_no_typo_of_dative(tmp_path: Path, case: str) -> None:
    """«did you mean 'dative'?» sent the marketer after the wrong case: the vocative is a real case
    greeter does not decline names in, and its Ukrainian one is made inside the salutation."""
    letter = BIRTHDAY_PL.replace("życzenia.", f"życzenia, {{{{ contact|name('{case}') }}}}.")
    folder = folder_with(tmp_path, {"birthday.pl.j2": letter})
    with pytest.raises(TemplateError) as caught:
        Renderer(folder, SENDER).render(item(JAN))
    detail = caught.value.detail
    assert detail.startswith(
        f"{case!r} is the vocative case, which greeter does not decline names or titles in"
    )
    assert "«Шановний Іване Петровичу», greeter/letter_forms.py" in detail
    assert "did you mean" not in detail and caught.value.line == 4


def test_an_unknown_case_is_still_answered_with_the_case_meant(tmp_path: Path) -> None:
    letter = BIRTHDAY_PL.replace("życzenia.", "życzenia, {{ contact|name('dativ') }}.")
    folder = folder_with(tmp_path, {"birthday.pl.j2": letter})
    with pytest.raises(TemplateError, match="did you mean 'dative'"):
        Renderer(folder, SENDER).render(item(JAN))


def test_a_shipped_language_helper_may_word_its_own_closing(tmp_path: Path) -> None:
    """What a helper defines replaces greeter's form in a shipped language too; the rest stays."""
    helper = (TEMPLATES / "_de.j2").read_text(encoding="utf-8") + '{% set closing = "Herzliche Grüße" %}\n'
    folder = folder_with(tmp_path, {"_de.j2": helper})
    schulz = person("de1", "Karin", "", "Schulz", locale="de", gender=Gender.FEMALE)
    out = Renderer(folder, SENDER).render(item(schulz))
    assert opening(out.text) == "Sehr geehrte Frau Schulz,"
    assert "\nHerzliche Grüße\n" in out.text and "Mit freundlichen Grüßen" not in out.text
