"""The templates a batch uses, compiled and tried once before the build workers fork (Renderer.warm).

``send --once`` builds large batches in forked workers (greeter.build_pool): whatever
the parent has parsed, compiled and rendered once by then, each worker inherits
instead of doing again. Parses and compiles are counted by wrapping the sandbox's
own ``_parse`` and ``compile`` (the real ones run).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from greeter.errors import TemplateError
from greeter.plan_types import Hit, PlanItem
from greeter.render import Renderer
from greeter.template_env import Sandbox
from tests.test_render import ENGLISH, FEMALE, MALE, SENDER, TEMPLATES, item, person

GERMAN = person("g", "Jonas", "", "Weber", company="Kats GmbH", locale="de")
SERBIAN = person("s", "Marko", "", "Petrović", locale="sr_Latn_RS")


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What the sandbox parsed or compiled while a test runs: ``parse:<name>``, ``compile:<name>``."""
    done: list[str] = []
    parse, compile_ = Sandbox._parse, Sandbox.compile

    def parsing(self: Sandbox, source: str, name: str | None, filename: str | None) -> object:
        done.append(f"parse:{name}")
        return parse(self, source, name, filename)

    def compiling(
        self: Sandbox, source: object, name: str | None = None, *args: object, **kw: object
    ) -> object:
        done.append(f"compile:{name}")
        return compile_(self, source, name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Sandbox, "_parse", parsing)
    monkeypatch.setattr(Sandbox, "compile", compiling)
    yield done


@pytest.fixture
def renderer(tmp_path: Path) -> Renderer:
    """The shipped templates, with no code cache on disk: every compile is a compile."""
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return Renderer(tmp_path / "templates", SENDER)


def batch() -> list[PlanItem]:
    """Letters of four templates in four languages; the company's day merged into a birthday."""
    anniversary = Hit(FEMALE, "company_anniversary", date(2026, 12, 15), 10, 50, "company_anniversary")
    return [
        item(MALE),
        item(FEMALE, also=(anniversary,)),  # also_line: the macro _ru.j2 imports
        item(ENGLISH),
        item(GERMAN, "new_year", years=None),
        item(SERBIAN, "company_anniversary", years=3),
        item(MALE, "first_deal", years=2),
    ]


def test_after_warm_the_letters_parse_and_compile_nothing(renderer: Renderer, work: list[str]) -> None:
    letters = batch()
    warmed = renderer.warm(letters)
    assert [it for it, _ in warmed] == [letters[0], letters[2], letters[3], letters[4], letters[5]], (
        "one letter of each template and locale is tried"
    )
    assert any(w.startswith("compile:") for w in work)
    work.clear()
    rendered = [renderer.render(it) for it in letters]
    assert work == [], "a worker forked now would parse or compile these again"
    assert [r for _, r in warmed] == [rendered[0], rendered[2], rendered[3], rendered[4], rendered[5]]


def test_warm_compiles_what_a_first_letter_does_not_reach(tmp_path: Path, work: list[str]) -> None:
    """The first birthday letter merges nothing; a later one does, and includes a file for it then."""
    birthday = tmp_path / "templates" / "birthday.j2"
    shutil.copytree(TEMPLATES, birthday.parent)
    (birthday.parent / "_merged.j2").write_text("Всё в одном письме.\n", encoding="utf-8")
    text = birthday.read_text(encoding="utf-8")
    birthday.write_text(
        # the message's «{% if also %}» on a line of its own (the subject has one too, inline)
        text.replace("\n{% if also %}\n", '\n{% if also %}{% include "_merged.j2" %}\n', 1),
        encoding="utf-8",
    )
    renderer = Renderer(birthday.parent, SENDER)
    alone, merged = batch()[:2]
    renderer.warm([alone])
    work.clear()
    assert "Всё в одном письме." in renderer.render(merged).text
    assert work == []


def test_warm_lets_a_failing_letter_fail_where_it_is_built(renderer: Renderer, tmp_path: Path) -> None:
    """Nothing is counted or kept of a letter that fails while warming: it fails again, the same way."""
    broken = tmp_path / "templates" / "new_year.j2"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace(
            "{% block subject %}", "{% block subject %}{{ 1 / 0 }}", 1
        ),
        encoding="utf-8",
    )
    renderer = Renderer(tmp_path / "templates", SENDER)
    failing = item(MALE, "new_year", years=None)
    assert [it for it, _ in renderer.warm([failing, item(FEMALE)])] == [item(FEMALE)]
    with pytest.raises(TemplateError, match="division by zero") as raised:
        renderer.render(failing)
    assert raised.value.template == "new_year.j2"


def test_warm_loads_the_dictionary_a_later_letter_of_the_batch_needs(renderer: Renderer) -> None:
    """The first birthday's company (ООО) needs no dictionary, a later one's (Галерея «Холст») does:
    warm renders that one too, so pymorphy3's dictionary is loaded before the fork, not in each worker."""
    from greeter.company_names import _declined_phrase, company_in
    from greeter.russian_morph import analyser
    from greeter.template_filters import _company_words

    gallery = person("h", "Иван", "Петрович", "Орлов", company="Галерея «Холст»")
    analyser.cache_clear()  # loaded (and the phrase declined) by an earlier test of this process, perhaps
    company_in.cache_clear()
    _declined_phrase.cache_clear()
    _company_words.cache_clear()  # the company filter's own cache of a letter's words
    warmed = renderer.warm([item(FEMALE), item(MALE), item(gallery)])
    assert [it.hit.contact for it, _ in warmed] == [FEMALE, gallery]
    assert analyser.cache_info().currsize == 1, "each build worker would load the dictionary itself"
    assert "галерее «Холст»" in renderer.render(item(gallery)).text
