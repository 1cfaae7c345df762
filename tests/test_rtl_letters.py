"""Right-to-left letters: a Hebrew (Arabic, Persian…) letter's HTML part says ``dir="rtl"`` and aligns right.

Found by a Tel Aviv office: their Hebrew letters said ``<html lang="he">`` and
nothing more, so a mail client laid them out left to right — lines flush left,
the "!" of «יום הולדת שמח!» at the wrong end. The direction comes from the
letter's language (CLDR's ``character_order``, :func:`greeter.i18n.text_direction`),
is given to templates as ``dir``, and the shipped layout uses it; a
left-to-right letter's HTML is unchanged (no ``dir``, no right alignment).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from greeter.i18n import text_direction
from greeter.render import Renderer
from tests.test_render import SENDER, TEMPLATES, item, person

#: A Hebrew birthday letter, as the Tel Aviv office wrote it (its own input, not their project's file).
BIRTHDAY_HE = """{% extends "_layout.html.j2" %}
{% block subject %}מזל טוב ליום הולדתך{% if addressee %}, {{ addressee }}{% endif %}!{% endblock %}
{% block heading %}יום הולדת שמח!{% endblock %}
{% block message %}ברכות חמות ליום הולדתך מכל הצוות!{% endblock %}
"""


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    folder = tmp_path_factory.mktemp("templates")
    for path in TEMPLATES.glob("*.j2"):
        shutil.copy(path, folder / path.name)
    (Path(folder) / "birthday.he.j2").write_text(BIRTHDAY_HE, encoding="utf-8")
    return Renderer(folder, SENDER)


@pytest.mark.parametrize(
    ("locale", "direction"),
    [
        *[("he", "rtl"), ("he_IL", "rtl"), ("ar", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("yi", "rtl")],
        *[("ru", "ltr"), ("en_GB", "ltr"), ("sr_Latn", "ltr"), ("xx", "ltr"), ("", "ltr")],
    ],
)
def test_direction_comes_from_cldr(locale: str, direction: str) -> None:
    assert text_direction(locale) == direction


def test_a_hebrew_letter_is_right_to_left(renderer: Renderer) -> None:
    out = renderer.render(item(person("d", "דנה", "", "כהן", locale="he_IL")))
    assert out.template_file == "birthday.he.j2"
    html = out.html or ""
    assert '<html lang="he-IL" dir="rtl">' in html
    # said again on the outer table (a webmail drops <html>), and the card aligns right
    assert '<table role="presentation" class="g-page" dir="rtl" width="100%"' in html
    assert html.count("text-align:right;") == 1
    assert "יום הולדת שמח!" in html


@pytest.mark.parametrize("locale", ["ru", "en_GB", "de"])
def test_a_left_to_right_letter_has_no_direction(renderer: Renderer, locale: str) -> None:
    html = renderer.render(item(person("i", "Ivan", "", "Petrov", locale=locale))).html or ""
    assert html.startswith("<!DOCTYPE html>\n<html lang=")
    assert "dir=" not in html and "text-align:right" not in html


def test_a_template_reads_dir(tmp_path: Path) -> None:
    (tmp_path / "birthday.he.j2").write_text(
        "{% block subject %}{{ dir }}{% endblock %}{% block text %}{{ lang_tag }} {{ dir }}{% endblock %}",
        encoding="utf-8",
    )
    (tmp_path / "birthday.j2").write_text(
        "{% block subject %}{{ dir }}{% endblock %}{% block text %}{{ lang_tag }} {{ dir }}{% endblock %}",
        encoding="utf-8",
    )
    r = Renderer(tmp_path, SENDER)
    assert r.render(item(person("a", "Dana", locale="he"))).subject == "rtl"
    assert r.render(item(person("b", "Иван", locale="ru"))).subject == "ltr"
