"""A helper file's pure macros are rendered once per arguments; everything else as before.

The memo (:mod:`greeter.template_memo`) must give the text a call would give:
these letters are the ones where a memo keyed too loosely, or kept for a file
whose macros are not functions of their arguments, serves the wrong text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from markupsafe import Markup

from greeter.contacts import Contact
from greeter.plan_types import Hit, PlanItem
from greeter.template_env import syntax_tree
from greeter.template_memo import MacroMemo, pure_file
from tests.test_render import person, write

ROOT = Path(__file__).resolve().parent.parent

LETTER = (
    '{% block subject %}{% from "_pure.j2" import line %}{{ line("x") }}{% endblock %}'
    "{% block text %}"
    '{% from "_pure.j2" import line %}{{ line("x") }}|{{ line("y") }}|'
    '{% from "_state.j2" import step %}{{ step() }}{{ step() }}|'
    '{% from "_ctx.j2" import greet with context %}{{ greet() }}'
    "{% endblock %}"
    '{% block html %}{% from "_pure.j2" import line %}<p>{{ line("x") }}</p>{% endblock %}'
)
FILES = {
    "_pure.j2": "{% macro line(who) %}{{ who }}: {{ 5|years_phrase }}{% endmacro %}",
    "_state.j2": '{% set turn = cycler("a", "b") %}{% macro step() %}{{ turn.next() }}{% endmacro %}',
    "_ctx.j2": "{% macro greet() %}{{ contact.first_name }}{% endmacro %}",
    "memo.j2": LETTER,
    "memo.uk.j2": LETTER,
}


def letter(contact: Contact) -> PlanItem:
    hit = Hit(contact, "memo", date(2026, 12, 15), 15, 100, "memo")
    return PlanItem(hit=hit, status="send", send_at=None, also=(), belated=False)


def test_a_pure_macro_is_made_once_per_arguments_and_letter_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails where nothing is kept (every call renders its body), and where the key lacks the
    arguments ("y" would print x's line) or the letter's locale (a Ukrainian letter's filters
    format in Ukrainian: «5 років», not the Russian letter's «5 лет»)."""
    kept: list[tuple[object, ...]] = []
    keep = MacroMemo.keep
    monkeypatch.setattr(MacroMemo, "keep", lambda self, key, text: (kept.append(key), keep(self, key, text)))
    renderer = write(tmp_path, FILES)
    ivan, anna = person("1", "Иван", "Петрович", "Сидоров"), person("2", "Анна", "Ильинична", "Кузнецова")
    olena = person("3", "Олена", "Петрівна", "Шевченко", locale="uk")
    for contact in (ivan, anna, ivan):
        rendered = renderer.render(letter(contact))
        assert rendered.subject == "x: 5 лет"
        assert rendered.text == f"x: 5 лет|y: 5 лет|ab|{contact.first_name}"
        assert rendered.html == "<p>x: 5 лет</p>"
    ukrainian = renderer.render(letter(olena))
    assert ukrainian.text == "x: 5 років|y: 5 років|ab|Олена"
    # x and y in the text environment, x in the escaping one: per letter locale, once each.
    assert len(kept) == 6


def test_a_file_keeping_state_between_calls_is_not_kept(tmp_path: Path) -> None:
    """``cycler`` at a file's top level answers anew each call: «ab» in every letter, never «aa»."""
    renderer = write(tmp_path, FILES)
    for cid in ("1", "2"):
        assert renderer.render(letter(person(cid, "Иван"))).text.split("|")[2] == "ab"


def test_keys_tell_apart_what_prints_differently() -> None:
    """Markup and str are equal but print otherwise; a contact view or a list is never a key."""
    from jinja2.runtime import Macro

    memo = MacroMemo()
    macro = object.__new__(Macro)
    assert memo.key(macro, ("a",)) is None  # not a registered macro
    memo._pure.add(macro)
    assert memo.key(macro, ("a&b",)) != memo.key(macro, (Markup("a&b"),))
    assert memo.key(macro, (1,)) != memo.key(macro, (True,))
    assert memo.key(macro, (["a"],)) is None
    assert memo.key(macro, ("a", {"k": "v"})) is None


@pytest.mark.parametrize(
    "source",
    [
        "{% macro m() %}{{ [1, 2]|random }}{% endmacro %}",
        "{% macro m() %}{{ lipsum(1) }}{% endmacro %}",
        '{% set j = joiner(", ") %}{% macro m() %}{{ j() }}{% endmacro %}',
        '{% set c = cycler("a") %}{% macro m() %}{{ c.next() }}{% endmacro %}',
        "{% set ns = namespace(n=0) %}{% macro m() %}{% set ns.n = ns.n + 1 %}{{ ns.n }}{% endmacro %}",
        "{% macro m() %}{{ caller() }}{% endmacro %}",
        '{% macro m() %}{% include "x.j2" %}{% endmacro %}',
        '{% from "x.j2" import y %}{% macro m() %}{{ y() }}{% endmacro %}',
        "{% macro m() %}{% call n() %}x{% endcall %}{% endmacro %}{% macro n() %}{{ caller() }}{% endmacro %}",
        "{% macro m() %}{{ self }}{% endmacro %}",
    ],
)
def test_what_makes_a_file_impure(source: str) -> None:
    assert not pure_file(syntax_tree(source, "x.j2"))


@pytest.mark.parametrize("name", ["_brand.j2", "_unsubscribe.j2"])
def test_the_shipped_footer_files_are_pure(name: str) -> None:
    """The layout's contact line and unsubscribe line: the calls the memo is for."""
    path = ROOT / "templates" / name
    assert pure_file(syntax_tree(path.read_text(encoding="utf-8"), name))
