"""``greeter check`` warns of a letter that drops its merged occasions, and of an image without alt text.

A template that never prints ``also`` rendered without an error: the journal
recorded the occasions merged into its letters as greeted (``merged``), the
letter never said them, and ``check`` said OK. Each test is a real project
(config.example.yaml, the shipped templates, a contacts CSV in ``tmp_path``)
checked end to end with :func:`run_check`, the template files edited as a
marketer would.
"""

from __future__ import annotations

import re
from pathlib import Path

from greeter.checks import run_check
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00"
#: The occasions config.example.yaml can merge into a birthday letter (priority 100: all the others).
UNDER_BIRTHDAY = "company_anniversary, first_deal_anniversary, new_year, defender_day, womens_day"


def row(cid: str, locale: str = "ru") -> str:
    return contact_row(cid, f"{cid}@example.com", birthday="07.01.1960").replace(";ru;", f";{locale};")


def templates(config: Path) -> Path:
    return config.parent / "templates"


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert needle in text, needle
    return text[: text.index(needle)].count("\n") + 1


def drop_also(path: Path) -> None:
    """Delete the lines that print the merged occasions (``{% if also %}…{% endif %}``), nothing else."""
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"\{% if also %\}\n.*?\{% endif %\}\n", "", text, flags=re.DOTALL)
    assert edited != text and "also_line(also" not in edited
    path.write_text(edited, encoding="utf-8")


def warnings(config: Path, words: str) -> list[str]:
    return [str(p) for p in run_check(config, NOW).problems if p.kind == "template" and words in p.message]


def test_a_letter_that_never_prints_also_is_a_warning_naming_what_it_drops(make_project: MakeProject) -> None:
    config = make_project([row("1"), row("2", "en")])
    english = templates(config) / "birthday.en.j2"
    drop_also(english)
    line = line_of(english, "{% block message %}")
    assert warnings(config, "never print `also`") == [
        f"birthday.en.j2:{line}:1: warning: the letters of birthday never print `also`: an occasion merged "
        f"into one ({UNDER_BIRTHDAY}) is recorded as greeted (merged) and never sent on its own, yet this "
        'letter does not mention it; print them in the message block: {% from "_en.j2" import also_line %} '
        "then {% if also %}{{ also_line(also, send_date) }}{% endif %} (as the shipped letters do)"
    ]


def test_the_shipped_letters_print_also_and_carry_no_image_without_alt(make_project: MakeProject) -> None:
    config = make_project([row("1"), row("2", "en"), row("3", "sr")])
    problems = [str(p) for p in run_check(config, NOW).problems if p.kind == "template"]
    assert problems == []


def test_what_a_letter_extends_includes_and_imports_is_read_as_it_renders(make_project: MakeProject) -> None:
    """A layout may print ``also`` for its letters, unless a letter overrides that block without super()."""
    config = make_project([row("1")])
    folder = templates(config)
    # A layout of the company's own, printing the merged occasions under the words of each letter.
    (folder / "_own.j2").write_text(
        '{% extends "_layout.html.j2" %}\n'
        "{% block subject %}Hello{% endblock %}\n"
        "{% block message %}\n{% block words %}{% endblock %}\n"
        '{% if also %}\n\n{{ also|join(", ") }}\n{% endif %}\n{% endblock %}\n',
        encoding="utf-8",
    )
    (folder / "_also.j2").write_text('{% if also %}{{ also|join(", ") }}{% endif %}', encoding="utf-8")
    # Only `words`: the layout's message prints `also` — no warning.
    (folder / "birthday.de.j2").write_text(
        '{% extends "_own.j2" %}\n{% block words %}Alles Gute.{% endblock %}\n', encoding="utf-8"
    )
    # `message` overridden without super(): the layout's `also` never renders — a warning.
    (folder / "birthday.hu.j2").write_text(
        '{% extends "_own.j2" %}\n{% block message %}Boldog születésnapot.{% endblock %}\n', encoding="utf-8"
    )
    # …and with super(): it does — no warning.
    (folder / "birthday.et.j2").write_text(
        '{% extends "_own.j2" %}\n{% block message %}Palju õnne.{{ super() }}{% endblock %}\n',
        encoding="utf-8",
    )
    # An include shares the letter's context: it prints `also` — no warning.
    (folder / "birthday.sr.j2").write_text(
        '{% extends "_layout.html.j2" %}\n{% block subject %}Срећан рођендан{% endblock %}\n'
        '{% block message %}Срећан рођендан.\n\n{% include "_also.j2" %}{% endblock %}\n',
        encoding="utf-8",
    )
    # A macro imported without context whose parameter is named `also`, handed a list of its own:
    # the letter's `also` is never read — a warning.
    (folder / "_mine.j2").write_text(
        '{% macro wish(also) %}{{ also|join(", ") }}{% endmacro %}', encoding="utf-8"
    )
    (folder / "birthday.en.j2").write_text(
        '{% extends "_layout.html.j2" %}\n{% block subject %}Happy birthday{% endblock %}\n'
        '{% block message %}{% from "_mine.j2" import wish %}Happy birthday{{ wish([]) }}.{% endblock %}\n',
        encoding="utf-8",
    )
    found = warnings(config, "never print `also`")
    assert [p.split(": warning:")[0] for p in found] == ["birthday.en.j2:3:1", "birthday.hu.j2:2:1"], found
    assert '{% from "_hu.j2" import also_line %}' in found[1]  # the hint names the letter's language's helper


def test_an_occasion_no_other_can_ride_in_is_not_warned(make_project: MakeProject) -> None:
    """The holiday letters carry nothing when every other occasion outranks them (priority)."""
    config = make_project([row("1")])
    text = config.read_text(encoding="utf-8").replace("priority: 30", "priority: 10", 1)  # defender_day
    config.write_text(text.replace("priority: 30", "priority: 20", 1), encoding="utf-8")  # womens_day
    for file in ("holiday.j2", "holiday.en.j2"):
        drop_also(templates(config) / file)
    # defender_day (10) is outranked by all; womens_day (20) can carry defender_day: its letters warn
    found = warnings(config, "never print `also`")
    assert [p.split(": warning:")[0].split(":")[0] for p in found] == ["holiday.j2", "holiday.en.j2"]
    assert all("the letters of defender_day, womens_day never print `also`" in p for p in found)
    assert all("(defender_day)" in p for p in found), found


# --------------------------------------------------------------------------- images


def test_an_image_without_alt_text_is_a_warning_at_its_line(make_project: MakeProject) -> None:
    config = make_project([row("1")])
    german = templates(config) / "birthday.de.j2"
    text = german.read_text(encoding="utf-8")
    german.write_text(
        text.replace(
            "{% block message %}\n",
            '{% block message %}\n<img src="{{ sender.email }}" width="{{ 2 > 1 }}">'
            '<img alt="Torte" src="cake.png">\n',
            1,
        ),
        encoding="utf-8",
    )
    line = line_of(german, "<img src=")
    assert warnings(config, "<img") == [
        f'birthday.de.j2:{line}:1: warning: an <img src="{{{{ sender.email }}}}"> without alt="…": most mail '
        "clients block images until the reader asks, and show its alt text instead (a screen reader reads "
        "it): say what the image shows"
    ]


def test_a_logo_without_alt_text_is_a_warning_at_the_brand_file(make_project: MakeProject) -> None:
    config = make_project([row("1")])
    brand = templates(config) / "_brand.j2"
    text = brand.read_text(encoding="utf-8")
    with_logo = text.replace(
        '{% set logo_url = "" %}', '{% set logo_url = "https://romashka.example/logo.png" %}'
    )
    assert with_logo != text
    brand.write_text(with_logo, encoding="utf-8")
    line = line_of(brand, '{% set logo_alt = "" %}')
    assert warnings(config, "logo") == [
        f"_brand.j2:{line}:1: warning: the logo (logo_url) has no alt text: most mail clients block images "
        "until the reader asks and show logo_alt instead, so set it to what the logo says (the company's name)"
    ]
    brand.write_text(with_logo.replace('logo_alt = ""', 'logo_alt = "ООО «Ромашка»"'), encoding="utf-8")
    assert warnings(config, "logo") == []


def test_a_plain_http_logo_is_a_warning_at_its_line(make_project: MakeProject) -> None:
    """The brand file's comment asks for an https:// logo; an http:// one went out unwarned."""
    config = make_project([row("1")])
    brand = templates(config) / "_brand.j2"
    text = brand.read_text(encoding="utf-8")
    with_logo = text.replace(
        '{% set logo_url = "" %}', '{% set logo_url = "http://cdn.romashka.example/logo.png" %}'
    ).replace('{% set logo_alt = "" %}', '{% set logo_alt = "ООО «Ромашка»" %}')
    brand.write_text(with_logo, encoding="utf-8")
    line = line_of(brand, "{% set logo_url = ")
    assert warnings(config, "logo") == [
        f"_brand.j2:{line}:1: warning: the logo (logo_url) is a plain http:// address "
        "(http://cdn.romashka.example/logo.png): mail clients block or flag images not served over https, "
        "so serve it over https://"
    ]
    brand.write_text(with_logo.replace("http://", "https://"), encoding="utf-8")
    assert warnings(config, "logo") == []
