"""The shipped letters for a screen reader: a real heading, and the language tag the gallery gives them.

An accessibility review found the letter's title a plain table cell in 26 px
Georgia (a screen reader could not list or jump to it), and ``<html lang>``
saying ``sr`` of a Serbian letter in Latin and ``en`` of a British one, while
the review gallery tagged the same drafts ``sr-Latn`` and ``en-GB``. Letters
are rendered with the shipped ``templates/`` through the real renderer.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.contacts import Contact, Gender
from greeter.gallery import write_gallery
from greeter.plan_types import Draft
from greeter.render import Renderer
from tests.test_gallery import Node, TreeBuilder, parse
from tests.test_render import SENDER, TEMPLATES, item, person

SEND_AT = datetime(2026, 12, 15, 10, tzinfo=ZoneInfo("Europe/Moscow"))
IVAN = person("r", "Иван", "Петрович", "Сидоров", company="Рога и Копыта", gender=Gender.MALE)
MARKO = person("s", "Marko", "", "Nikolić", locale="sr_Latn", company="Dunav d.o.o.", gender=Gender.MALE)
JOHN = person("e", "John", "", "Smith", locale="en_GB", gender=Gender.MALE)
PETAR = person("c", "Петар", "", "Петровић", locale="sr", gender=Gender.MALE)


@pytest.fixture(scope="module")
def shipped() -> Renderer:
    return Renderer(TEMPLATES, SENDER)


def tree(html: str | None) -> Node:
    assert html is not None
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def styles(node: Node) -> dict[str, str]:
    """An element's inline style as property → value."""
    pairs = (d.split(":", 1) for d in node.attrs.get("style", "").split(";") if d.strip())
    return {k.strip(): v.strip() for k, v in pairs}


@pytest.mark.parametrize("contact", [IVAN, MARKO, JOHN], ids=["ru", "sr_Latn", "en_GB"])
@pytest.mark.parametrize("template", ["birthday", "new_year", "company_anniversary"])
def test_the_letters_title_is_its_one_heading_and_looks_as_the_cell_did(
    shipped: Renderer, contact: Contact, template: str
) -> None:
    letter = shipped.render(item(contact, template, years=5, send_at=SEND_AT))
    root = tree(letter.html)
    (h1,) = root.find("h1")
    heading = h1.all_text()
    assert heading and heading in (letter.html or "") and "<" not in heading
    cell = next(td for td in root.find("td") if h1 in td.children)
    assert cell.children == [h1] and not "".join(cell.text).strip()  # the cell holds the heading only
    own = styles(h1)
    # everything a client's own h1 style changes is set inline, to the cell's look
    assert own["margin"] == "0" and own["font-weight"] == "normal"
    for prop in ("font-family", "font-size", "line-height", "color", "overflow-wrap", "word-break"):
        assert own[prop] == styles(cell)[prop], prop
    assert (own["font-size"], own["line-height"]) == ("26px", "1.3")
    assert own["font-family"].startswith("Georgia")
    assert "<h1" not in letter.text  # the text part is as it was: no markup


@pytest.mark.parametrize(
    ("contact", "tag"),
    [(MARKO, "sr-Latn"), (JOHN, "en-GB"), (PETAR, "sr"), (IVAN, "ru")],
    ids=["sr_Latn", "en_GB", "sr", "ru"],
)
def test_the_letter_and_the_gallery_give_it_one_language_tag(
    shipped: Renderer, tmp_path: Path, contact: Contact, tag: str
) -> None:
    """``sr_Latn`` letters said ``<html lang="sr">``, ``en_GB`` ones ``en``; the gallery, sr-Latn and en-GB."""
    plan_item = item(contact, "birthday", years=40, day=date(2026, 12, 15), send_at=SEND_AT)
    letter = shipped.render(plan_item)
    (html,) = tree(letter.html).find("html")
    assert html.attrs["lang"] == tag
    write_gallery([Draft(plan_item, letter)], tmp_path, start=date(2026, 12, 15), days=1, now=SEND_AT)
    (subject,) = parse(tmp_path / "index.html").find("p", "subject")
    assert subject.attrs["lang"] == tag
    assert re.search(
        rf'<pre class="plain" lang="{tag}" dir="auto">',
        next((tmp_path / "drafts").glob("*/1.html")).read_text("utf-8"),
    )
