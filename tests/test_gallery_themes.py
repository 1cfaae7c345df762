"""The gallery in a dark theme, forwarded alone, and the view a letter's link carries (``#from=``).

Sales directors review it on phones and desktops, many in a dark system theme, and forward the
index to a colleague. Checked on the stylesheet itself (every colour the light theme sets has a
dark one) and in headless Chromium on the pages the gallery writes (what a reader really sees).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from greeter.gallery import write_gallery
from greeter.gallery_head import stylesheet
from tests.test_gallery import NOW, START, TreeBuilder, run_chromium, sample
from tests.test_gallery_phone import probe
from tests.test_gallery_review_days import reviewed_plan

#: Properties that paint a colour (a shorthand's colour among its other values).
COLOURED = re.compile(
    r"^(color|background(-color)?|border(-[a-z]+)*|outline(-color)?|box-shadow|caret-color)$"
)
#: A colour written as such: hex, rgb()/hsl(), or a name (the ones a stylesheet would use).
LITERAL = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(|\b(?:white|black|gray|grey|silver)\b")
#: Literal colours the dark theme must not change, and why: a letter's frame is the white page its
#: client sees (its own prefers-color-scheme follows ``color-scheme: light``).
LIGHT_ON_PURPOSE = {(".letter", "background")}


def blocks(css: str, media: str = "") -> list[tuple[str, str, str]]:
    """``(media, selector, declarations)`` of every rule in ``css``, nested ``@media`` followed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found, pos = [], 0
    while (brace := css.find("{", pos)) >= 0:
        head, depth, end = css[pos:brace].strip(), 1, brace + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        body = css[brace + 1 : end - 1]
        if head.startswith("@media"):
            found += blocks(body, head)
        else:
            found.append((media, head, body))
        pos = end
    return found


def declarations(body: str) -> list[tuple[str, str]]:
    return [(p.strip(), v.strip()) for p, _, v in (d.partition(":") for d in body.split(";")) if v.strip()]


def test_the_dark_theme_recolours_everything_the_light_one_colours() -> None:
    """A colour written into a rule, or a variable the dark block leaves out, stays light on a dark
    page: grey words on near-black, a white tile. Every rule on screen paints through variables the
    dark block sets again, but the letter's white page."""
    rules = blocks(stylesheet())
    dark = [
        body
        for media, selector, body in rules
        if "prefers-color-scheme: dark" in media and selector == ":root"
    ]
    assert len(dark) == 1, "no dark palette (or two)"
    redefined = {p for p, _ in declarations(dark[0]) if p.startswith("--")}
    light = {p: v for media, s, body in rules if not media and s == ":root" for p, v in declarations(body)}
    painting = {p for p, v in light.items() if p.startswith("--") and LITERAL.search(v)}
    assert painting - redefined == set()  # --toolbar-bg's rgba and the shadows too, not only hex
    left_light = []
    for media, selector, body in rules:
        if "print" in media or "prefers-color-scheme" in media or selector == ":root":
            continue
        for prop, value in declarations(body):
            if not COLOURED.match(prop):
                continue
            unset = [v for v in re.findall(r"var\((--[\w-]+)", value) if v in painting and v not in redefined]
            if unset or (LITERAL.search(value) and (selector, prop) not in LIGHT_ON_PURPOSE):
                left_light.append(f"{selector} {{ {prop}: {value} }}")
    assert left_light == []
    assert ":root" in {s for m, s, _ in rules if "prefers-color-scheme: dark" in m}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("themes") / "g"
    write_gallery(sample(), out, start=START, days=14, now=NOW)
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An overview and day pages (4 cards a page)."""
    out = tmp_path_factory.mktemp("themes-big") / "g"
    write_gallery(reviewed_plan(), out, start=START, days=14, now=NOW, page_cards=4)
    return out


#: The window the themes are looked at in (test_gallery_phone.probe's width and height).
DESKTOP = (1280, 900)


#: The colours a reader sees: the page, a card, a tile's number, a letter's frame; the toolbar's layout.
PAINTED = """addEventListener("load", function () {
  var style = function (s) { var e = document.querySelector(s); return e ? getComputedStyle(e) : null; };
  var frame = style("iframe.letter");
  document.body.setAttribute("data-probe", JSON.stringify({
    page: style("html").backgroundColor, text: style("body").color,
    card: style(".card") && style(".card").backgroundColor,
    radius: style(".card") && style(".card").borderTopLeftRadius,
    toolbar: style(".toolbar") && style(".toolbar").display,
    letter: frame && frame.backgroundColor}));
});"""

DARK = ("--force-dark-mode", "--blink-settings=preferredColorScheme=0")


def test_a_dark_system_theme_darkens_the_pages_and_leaves_the_letter_white(
    small: Path, tmp_path: Path
) -> None:
    index_light = probe(small / "index.html", PAINTED, *DESKTOP, tmp_path / "p")
    index_dark = probe(small / "index.html", PAINTED, *DESKTOP, tmp_path / "p", *DARK)
    assert (index_light["page"], index_light["card"]) == ("rgb(245, 246, 250)", "rgb(255, 255, 255)")
    assert (index_dark["page"], index_dark["card"], index_dark["text"]) == (
        "rgb(18, 21, 28)",
        "rgb(28, 33, 43)",
        "rgb(230, 233, 240)",
    )
    letter = next((small / "drafts").glob("*/1.html"))
    page_dark = probe(letter, PAINTED, *DESKTOP, tmp_path / "p", *DARK)
    assert page_dark["page"] == "rgb(18, 21, 28)"  # the letter's page links gallery.css: dark too
    assert page_dark["letter"] == "rgb(255, 255, 255)"  # the letter as its client sees it


@pytest.mark.parametrize("gallery", ["small", "big"])
def test_an_index_opened_alone_is_styled(
    gallery: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The index forwarded to a colleague (attached alone, saved out of the folder) lost gallery.css:
    black text on white, the filters a row of bare buttons. It carries its stylesheet now; a letter's
    page (a million of them in a big plan) still links the one file."""
    out: Path = request.getfixturevalue(gallery)
    alone = tmp_path / "forwarded"
    alone.mkdir()
    shutil.copy(out / "index.html", alone / "index.html")
    found = probe(alone / "index.html", PAINTED, *DESKTOP, tmp_path / "p")
    assert found["page"] == "rgb(245, 246, 250)"
    if gallery == "small":
        assert (found["radius"], found["toolbar"]) == ("12px", "flex")
    dark = probe(alone / "index.html", PAINTED, *DESKTOP, tmp_path / "p", *DARK)
    assert dark["page"] == "rgb(18, 21, 28)"
    letter = next((out / "drafts").glob("*/*.html")).read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="../../gallery.css">' in letter and "<style>" not in letter


#: The index's letter link as a click leaves it (the navigation itself cancelled).
CLICKED = """addEventListener("load", function () {
  var a = document.querySelector(".card:not([hidden]) a[href*='drafts/']");
  document.addEventListener("click", function (e) { e.preventDefault(); });
  a.click();
  document.body.setAttribute("data-probe", JSON.stringify({href: a.getAttribute("href")}));
});"""


@pytest.mark.parametrize(
    ("gallery", "page", "view", "back"),
    [
        ("small", "index.html", "f=send", "index.html#f=send"),
        (
            "small",
            "index.html",
            "f=all&q=%D0%B8%D0%B2%D0%B0%D0%BD",
            "index.html#f=all&q=%D0%B8%D0%B2%D0%B0%D0%BD",
        ),
        ("big", "days/2026-12-25.html", "f=awaiting_approval", "days/2026-12-25.html#f=awaiting_approval"),
    ],
)
def test_a_letter_opened_from_a_filtered_view_returns_to_it(
    gallery: str, page: str, view: str, back: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The index writes the view (filter, search, and a day page's name) into the letter's link as
    ``#from=``; the letter's back link returns there, to its card."""
    out: Path = request.getfixturevalue(gallery)
    href = probe(out / page, CLICKED, *DESKTOP, tmp_path / "p", fragment="#" + view)["href"]
    assert isinstance(href, str)
    letter, _, fragment = href.partition("#")
    called = "" if page == "index.html" else f"&p={page}"
    assert fragment == f"from={view}{called}"
    dom = TreeBuilder()
    url = (out / page).parent.joinpath(letter).resolve().as_uri() + "#" + fragment
    dom.feed(run_chromium(tmp_path / "p", "--dump-dom", url).stdout)
    (link,) = (a for a in dom.root.find("a") if "data-card" in a.attrs)
    assert link.attrs["href"] == f"../../{back}&card={link.attrs['data-card']}"
