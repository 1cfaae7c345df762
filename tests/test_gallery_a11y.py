"""The gallery for people who use it with a screen reader, a keyboard, a phone, or a year of a big CRM.

Structural checks on the generated HTML and on the shipped stylesheet (colours
are read from ``gallery.css`` and their contrast computed here, WCAG's formula),
plus a few runs of headless Chromium's ``--dump-dom`` to prove the page scripts
do what the markup promises from ``file://``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from importlib import resources
from pathlib import Path

import pytest

from greeter.gallery import write_gallery
from greeter.i18n import bcp47
from greeter.plan_types import Draft, PlanItem, Rendered
from tests.colour import contrast
from tests.test_gallery import MSK, NOW, START, TreeBuilder, contact, hit, parse, run_chromium

CSS = resources.files("greeter").joinpath("gallery.css").read_text(encoding="utf-8")
LAYOUT = (Path(__file__).parent.parent / "templates" / "_layout.html.j2").read_text(encoding="utf-8")

ANA = contact("s1", "Ana", "", "Stojanović", "ana@example.rs")
JOHN = contact("e1", "John", "", "Smith", "john@example.com")
OLGA = contact("r1", "Ольга", "Сергеевна", "Белова", "olga@example.ru")


def letter(c_hit: PlanItem, subject: str, locale: str) -> Draft:
    return Draft(c_hit, Rendered(subject=subject, text=f"{subject}\n\nText.", html="<p>x</p>", locale=locale))


def plan() -> list[Draft]:
    at = datetime(2026, 12, 31, 10, 0, tzinfo=MSK)
    return [
        letter(
            PlanItem(hit(ANA, "new_year", date(2027, 1, 1)), "send", send_at=at),
            "Srećna Nova godina!",
            "sr_Latn",
        ),
        letter(
            PlanItem(hit(JOHN, "new_year", date(2027, 1, 1)), "send", send_at=at),
            "Happy New Year, John!",
            "en",
        ),
        letter(PlanItem(hit(OLGA, "new_year", date(2027, 1, 1)), "send", send_at=at), "С Новым годом!", "ru"),
        Draft(
            PlanItem(hit(OLGA, "birthday", date(2027, 1, 2)), "skip", reason="outside_audience", detail="x")
        ),
    ]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("a11y") / "g"
    write_gallery(plan(), folder, start=START, days=14, now=NOW)
    return folder


def test_locale_becomes_a_bcp47_tag() -> None:
    assert bcp47("sr_Latn") == "sr-Latn"
    assert bcp47("en_US") == "en-US"
    assert bcp47("ru") == "ru"
    assert bcp47("") == ""


def test_the_letters_words_carry_the_letters_language(out: Path) -> None:
    """The chrome is Russian, a Serbian or English subject and text are not: a screen reader
    read «Happy New Year» with a Russian voice."""
    index = parse(out / "index.html")
    assert next(index.find("html")).attrs["lang"] == "ru"
    subjects = {p.all_text(): p.attrs.get("lang") for p in index.find("p", "subject")}
    assert subjects == {
        "Srećna Nova godina!": "sr-Latn",
        "Happy New Year, John!": "en",
        "С Новым годом!": "ru",
    }
    for n, tag in ((1, "sr-Latn"), (2, "en"), (3, "ru")):
        page = parse(out / "drafts" / "2026-12-31" / f"{n}.html")
        assert next(page.find("html")).attrs["lang"] == "ru"
        assert next(page.find("title")).attrs["lang"] == tag
        assert next(page.find("h1")).attrs["lang"] == tag
        assert next(page.find("pre", "plain")).attrs["lang"] == tag


def test_toolbar_speaks_to_assistive_technology(out: Path) -> None:
    index = parse(out / "index.html")
    for node in (n for n in index.find() if n.attrs.get("id") in ("shown", "no-match")):
        assert node.attrs.get("role") == "status" and node.attrs.get("aria-live") == "polite", node.attrs
    (label,) = (n for n in index.find("label") if n.attrs.get("for") == "search")
    assert label.all_text().strip() and "visually-hidden" not in label.attrs["class"]  # seen: WCAG 3.3.2
    (search,) = (n for n in index.find("input") if n.attrs.get("id") == "search")
    (hint,) = (n for n in index.find() if n.attrs.get("id") == search.attrs["aria-describedby"])
    assert hint.all_text() == "Поиск по имени, e-mail, поводу и теме (клавиша /)"
    groups = list(index.find("div", "filters"))
    assert groups and all(g.attrs.get("role") == "group" and g.attrs.get("aria-label") for g in groups)


# ---- colours: WCAG 2 contrast from the stylesheet's own values ----


def _var(name: str) -> str:
    m = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})\s*;", CSS)
    assert m, name
    return m[1]


def _rule(selector: str) -> str:
    m = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert m, selector
    return m[1]


def _colour(value: str) -> str:
    """A declaration's colour: ``var(--x)`` resolved, ``#fff`` expanded."""
    value = value.strip()
    m = re.fullmatch(r"var\(--([\w-]+)\)", value)
    if m:
        return _var(m[1])
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        return "#" + "".join(ch * 2 for ch in value[1:])
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), f"not an opaque colour: {value}"
    return value


def _decl(body: str, prop: str) -> str:
    m = re.search(rf"(?:^|[;\s]){prop}:\s*([^;]+);", body)
    assert m, prop
    return m[1]


def test_filter_counts_meet_text_contrast() -> None:
    """12px text needs 4.5:1; the counts were 4.34:1 and 3.94:1 on translucent backgrounds."""
    count = _rule(".filters .count")
    assert contrast(_colour(_decl(count, "color")), _colour(_decl(count, "background"))) >= 4.5
    pressed = _rule('.filters button[aria-pressed="true"] .count')
    assert contrast(_colour(_decl(pressed, "color")), _colour(_decl(pressed, "background"))) >= 4.5


def test_search_has_a_visible_focus_ring() -> None:
    """Its ring was a pale box-shadow (1.07:1) with the outline removed."""
    assert "outline: none" not in _rule("#search")
    ring = _decl(_rule("#search:focus"), "outline")
    width, style, colour = ring.split()
    assert int(width.removesuffix("px")) >= 2 and style == "solid"
    assert contrast(_colour(colour), _var("bg")) >= 3


# ---- layout ----


def test_sticky_toolbar_leaves_room_for_focus_and_targets(out: Path) -> None:
    """Shift+Tab and ``#card-N`` landed under the toolbar (66–166 px tall, a fixed 80 px margin)."""
    m = re.search(r"html \{[^}]*scroll-padding-top:\s*calc\(var\(--toolbar-h,\s*(\d+)px\)", CSS)
    assert m and int(m[1]) >= 166  # the toolbar wrapped to three rows (review filters, 1024 px)
    assert re.search(r"scroll-margin-top:\s*0\b", _rule(".card"))
    script = (out / "index.html").read_text(encoding="utf-8")
    assert 'setProperty("--toolbar-h"' in script


def test_long_words_wrap_on_a_phone() -> None:
    assert "overflow-wrap: anywhere" in _rule(".draft-head h1")
    cells = re.findall(r'<td[^>]*style="([^"]*font-family[^"]*)"', LAYOUT)
    assert len(cells) >= 6
    assert all("overflow-wrap:anywhere" in c and "word-break:break-word" in c for c in cells), cells


# ---- filters: cheap on a big gallery ----


def test_filters_are_rules_on_one_attribute_not_a_pass_over_every_card(out: Path) -> None:
    """A click set ``hidden`` on each of 18,000 cards; now the script sets ``main[data-show]`` and
    the index's own rules (one per filter) hide the rest, days included."""
    index = parse(out / "index.html")
    (style,) = index.find("style")
    rules = style.all_text()
    for button in index.find("button"):
        key = button.attrs["data-filter"]
        assert button.attrs["data-count"] == next(button.find(cls="count")).all_text()
        if key != "all":
            assert f'main[data-show="{key}"] .card:not(' in rules
            assert f'main[data-show="{key}"] section:not(.notice):not([data-has~="{key}"])' in rules
    days = {d.attrs["data-day"]: d.attrs["data-has"] for d in index.find("section", "day")}
    assert days == {"2026-12-31": "send", "2027-01-02": "skip"}
    script = (out / "index.html").read_text(encoding="utf-8")
    assert "setTimeout(function () { apply(true); }, 150)" in script  # the search waits for a pause


# ---- in the browser (file://) ----


def _dom(tmp_path: Path, url: str) -> TreeBuilder:
    root = TreeBuilder()
    root.feed(run_chromium(tmp_path / "profile", "--dump-dom", url).stdout)
    return root


def test_back_link_returns_to_the_filtered_view_and_the_card(out: Path, tmp_path: Path) -> None:
    """«← Все поздравления» went to ``#card-N`` and dropped the filter and the search."""
    page = (out / "drafts" / "2026-12-31" / "2.html").resolve().as_uri()
    dom = _dom(tmp_path, page + "#from=f=send&q=john")
    (back,) = (a for a in dom.root.find("a") if a.attrs.get("data-card") == "2")
    assert back.attrs["href"] == "../../index.html#f=send&q=john&card=2"
    plain = _dom(tmp_path, page)  # opened on its own: the plain link to the card
    assert (
        next(a for a in plain.root.find("a") if a.attrs.get("data-card")).attrs["href"]
        == "../../index.html#card-2"
    )

    index = _dom(tmp_path, (out / "index.html").resolve().as_uri() + "#f=send&q=john&card=2")
    (main,) = index.root.find("main")
    assert main.attrs["data-show"] == "send"
    shown = [c.attrs["id"] for c in index.root.find("article", "card") if "hidden" not in c.attrs]
    assert shown == ["card-2"]  # the search still applies
    assert "returned" in next(index.root.find(cls="returned")).attrs["class"]
    html_el = next(index.root.find("html"))
    assert re.search(r"--toolbar-h:\s*\d+px", html_el.attrs.get("style", ""))
