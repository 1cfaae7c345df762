"""The gallery on a phone and a tablet: a sales director approving greetings on the go.

Measured in headless Chromium at a phone's width (390 px) and a tablet's (820 px), on a copy of
the real page whose only change is a measuring script (the page's policy admits no other script):

* the big gallery's table of days was 1,132 px wide in a scrolling box: two columns on a phone,
  the approver's «ждёт одобрения» off a tablet's screen, the table's heading cut off with it.
* a day's part page of 2,000 cards (30,000 nodes) is one ``<section class="day">``, always on
  screen, so its ``content-visibility`` skipped nothing: 4 s of layout at 4× CPU slowdown
  (0.5 s with each card skipped while off screen).

Headless Chromium's window is at least ~485 px wide: "390" measures that, still a phone's layout.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from greeter.gallery import write_gallery
from tests.test_gallery import NOW, START, TreeBuilder, parse, run_chromium
from tests.test_gallery import cards as cards_of
from tests.test_gallery_pages import XMAS, letter
from tests.test_gallery_review_days import reviewed_plan


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("phone") / "g"
    write_gallery(reviewed_plan(), out, start=START, days=14, now=NOW, page_cards=4)
    return out


def probe(
    page: Path, script: str, width: int, height: int, profile: Path, *flags: str, fragment: str = ""
) -> dict[str, object]:
    """What ``script`` (run on load; it sets ``body[data-probe]`` to JSON) finds on a copy of ``page``
    beside it (its policy, which admits no other script, left out) at that size, Chromium run with
    ``flags`` and the page opened at ``fragment``."""
    html, policies = re.subn(
        r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8")
    )
    assert policies == 1
    copy = page.with_name("probe-" + page.name)
    copy.write_text(html.replace("</body>", f"<script>{script}</script></body>"), encoding="utf-8")
    try:
        dom = TreeBuilder()
        dom.feed(
            run_chromium(
                profile, *flags, f"--window-size={width},{height}", "--dump-dom", copy.as_uri() + fragment
            ).stdout
        )
    finally:
        copy.unlink()
    body = next(dom.root.find("body"))
    assert "data-probe" in body.attrs, "the probe did not run"
    found: dict[str, object] = json.loads(body.attrs["data-probe"])
    return found


#: Where each of the table's cells ends and whether its box scrolls sideways.
TABLE = """addEventListener("load", function () {
  var root = document.documentElement, box = document.querySelector(".days-wrap");
  var waiting = Array.prototype.slice.call(document.querySelectorAll("td.n-awaiting_approval"))
    .filter(function (td) { return td.textContent; })
    .map(function (td) { return Math.round(td.getBoundingClientRect().right); });
  var heading = document.querySelector(".days-caption, table.days caption").getBoundingClientRect();
  document.body.setAttribute("data-probe", JSON.stringify({
    client: root.clientWidth, page: root.scrollWidth, box: box.scrollWidth, shown: box.clientWidth,
    waiting: waiting, heading: Math.round(heading.right)}));
});"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (820, 1180), (1440, 900)])
def test_the_days_fit_a_phone_and_a_tablet_waiting_counts_on_screen(
    reviewed: Path, tmp_path: Path, width: int, height: int
) -> None:
    found = probe(reviewed / "index.html", TABLE, width, height, tmp_path / "profile")
    client = found["client"]
    assert isinstance(client, int) and found["page"] == client, found
    assert found["box"] == found["shown"], found  # nothing to scroll sideways to
    assert found["waiting"] and all(right <= client for right in found["waiting"]), found  # type: ignore[attr-defined]
    assert isinstance(found["heading"], int) and found["heading"] <= client, found


def test_the_overview_has_no_column_of_blanks_and_says_each_cells_word(reviewed: Path) -> None:
    index = parse(reviewed / "index.html")
    heads = [th.all_text() for th in next(index.find("thead")).find("th")]
    # no failed, pending, merged, skip or outside count on any day: no column of them
    assert heads == ["День", "к отправке", "ждёт одобрения", "изменено после одобрения", "одобрено", "Части"]
    assert list(index.find("caption")) == []  # a heading outside the scrolling box instead
    (heading,) = index.find("h2", "days-caption")
    assert next(index.find("table")).attrs["aria-labelledby"] == heading.attrs["id"]
    row = next(next(index.find("tbody")).find("tr"))
    assert [td.attrs["data-label"] for td in row.find("td")] == heads[1:]


#: Whether the first and the last card are drawn: ``checkVisibility`` says false for what
#: ``content-visibility: auto`` skips.
#: Read once the page has had a rendering update: which cards are near the screen is decided
#: there, and on a loaded machine "load" came before it (first: false). Polled on timers (a
#: virtual-time budget runs them; --dump-dom waits for it), at most 50 times.
DRAWN = """addEventListener("load", function () {
  var cards = document.querySelectorAll(".card .who"), tries = 0;
  var drawn = function (e) { return e.checkVisibility({contentVisibilityAuto: true}); };
  (function look() {
    if (!drawn(cards[0]) && ++tries < 50) { setTimeout(look, 100); return; }
    document.body.setAttribute("data-probe", JSON.stringify({
      first: drawn(cards[0]), last: drawn(cards[cards.length - 1]), n: cards.length, tries: tries}));
  })();
});"""


def test_a_day_of_many_cards_draws_only_those_near_the_screen(tmp_path: Path) -> None:
    out = tmp_path / "g"
    write_gallery([letter(k, XMAS, k % 60) for k in range(80)], out, start=START, days=14, now=NOW)
    # a virtual-time budget: --dump-dom waits for the frames the probe waits for
    found = probe(out / "index.html", DRAWN, 820, 1180, tmp_path / "profile", "--virtual-time-budget=10000")
    assert {k: found[k] for k in ("first", "last", "n")} == {"first": True, "last": False, "n": 80}, found


#: The link back to the filters: shown or not, and where it leads.
BACK_TO_FILTERS = """addEventListener("load", function () {
  var a = document.querySelector("a.to-filters"), box = a && a.getBoundingClientRect();
  var target = a && document.getElementById(a.getAttribute("href").slice(1));
  document.body.setAttribute("data-probe", JSON.stringify(a ? {
    shown: getComputedStyle(a).display !== "none", fixed: getComputedStyle(a).position === "fixed",
    height: Math.round(box.height), to: target ? target.className : null} : {}));
});"""


@pytest.mark.parametrize(("width", "shown"), [(390, True), (1440, False)])
def test_a_phone_deep_in_a_day_has_a_way_back_to_the_filters(
    reviewed: Path, tmp_path: Path, width: int, shown: bool
) -> None:
    """On a phone the toolbar scrolls away with the page; a fixed link leads back to it."""
    found = probe(reviewed / "days" / "2026-12-25.html", BACK_TO_FILTERS, width, 844, tmp_path / "p")
    assert found["to"] == "toolbar" and found["shown"] is shown, found
    if shown:
        assert found["fixed"] and isinstance(found["height"], int) and found["height"] >= 44, found


#: The targets a finger taps smaller than 44 × 44 px (a link's width is its words').
TARGETS = """addEventListener("load", function () {
  var all = ".filters button, #search, a.open, .subject a, nav.back a, .pager a, table.days th a, table.days td a, .alert a";
  var small = Array.prototype.slice.call(document.querySelectorAll(all))
    .map(function (e) { var r = e.getBoundingClientRect(); return [e.tagName + "." + e.className + " "
      + (e.textContent || e.id).trim().slice(0, 20), Math.round(r.width), Math.round(r.height)]; })
    .filter(function (t) { return t[2] > 0 && (t[2] < 44 || (/^A\\./.test(t[0]) && t[1] < 44)); });
  document.body.setAttribute("data-probe", JSON.stringify({small: small}));
});"""


@pytest.mark.parametrize("page", ["index.html", "days/2026-12-25.html", "days/2026-12-25-2.html"])
def test_every_target_on_a_phone_is_44_px(reviewed: Path, tmp_path: Path, page: str) -> None:
    """The filters were 32 px tall, the search 39, «Открыть письмо →» 20, «← Все дни» and a day's
    link 16, a part's number 28 × 25."""
    found = probe(reviewed / page, TARGETS, 390, 844, tmp_path / "profile")
    assert found == {"small": []}


#: Which of a letter page's versions comes first on screen.
VERSIONS = """addEventListener("load", function () {
  var top = function (s) { return document.querySelector(s).getBoundingClientRect().top; };
  document.body.setAttribute("data-probe", JSON.stringify({
    html_first: top(".version-html") < top(".version-text")}));
});"""


@pytest.mark.parametrize(("width", "html_first"), [(390, True), (820, True), (1440, False)])
def test_a_letter_on_a_narrow_screen_shows_its_html_first(
    reviewed: Path, tmp_path: Path, width: int, html_first: bool
) -> None:
    """One column below 960 px put «ТЕКСТ» first: the letter as the client sees it was screens down.
    Side by side (1440 px) the text stays on the left."""
    page = next((reviewed / "drafts" / "2026-12-25").glob("*.html"))
    found = probe(page, VERSIONS, width, 1000, tmp_path / "profile")
    assert found == {"html_first": html_first}


SEARCH_FONT = """addEventListener("load", function () {
  document.body.setAttribute("data-probe", JSON.stringify({
    size: getComputedStyle(document.getElementById("search")).fontSize}));
});"""


@pytest.mark.parametrize(("width", "size"), [(390, "16px"), (1440, "14px")])
def test_the_search_on_a_phone_is_16_px_so_ios_does_not_zoom_in(
    reviewed: Path, tmp_path: Path, width: int, size: str
) -> None:
    found = probe(reviewed / "days" / "2026-12-25.html", SEARCH_FONT, width, 844, tmp_path / "profile")
    assert found == {"size": size}


def test_a_dark_palette_for_the_gallery_and_a_light_letter() -> None:
    """A reader in a dark theme got a white page; the letter stays light: as its client sees it."""
    from tests.colour import contrast
    from tests.test_gallery_a11y import CSS

    light = dict(
        re.findall(
            r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", CSS.split("@media screen and (prefers-color-scheme")[0]
        )
    )
    block = re.search(r"@media screen and \(prefers-color-scheme: dark\) \{\s*:root \{([^}]*)\}", CSS)
    assert block, "no dark palette"
    dark = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", block[1]))
    assert set(light) <= set(dark), set(light) - set(dark)  # no colour left light on a dark page
    for word in ("text", "muted", "accent", "send", "sent", "merged", "cap", "skip", "error", "belated"):
        assert contrast(dark[word], dark["surface"]) >= 4.5, word
        assert contrast(dark[word], dark["bg"]) >= 4.5, word
    for word in ("send", "sent", "merged", "cap", "skip", "error", "belated"):
        assert contrast(dark[word], dark[f"{word}-bg"]) >= 4.5, word  # a badge's words on its pill
    assert contrast(dark["on-accent"], dark["accent"]) >= 4.5  # a pressed filter, the current part
    assert contrast(dark["on-accent"], dark["count-pressed-bg"]) >= 4.5
    assert re.search(r"\n\.letter \{[^}]*color-scheme: light;", CSS)
    assert "color-scheme: light dark;" in CSS.split("@media")[0]


#: The first screen of a phone: which tiles show, whether the skips' note does, where the first letter is.
FIRST_SCREEN = """addEventListener("load", function () {
  var shown = function (e) { return getComputedStyle(e).display !== "none"; };
  var tiles = Array.prototype.slice.call(document.querySelectorAll(".stat")).filter(shown)
    .map(function (e) { return e.getAttribute("data-count"); });
  var note = document.querySelector(".stat-skip .stat-note");
  document.body.setAttribute("data-probe", JSON.stringify({
    tiles: tiles, note: shown(note) && note.textContent !== "", screen: innerHeight,
    card: Math.round(document.querySelector(".card").getBoundingClientRect().top)}));
});"""


def test_a_phones_first_screen_shows_a_letter_and_no_tile_of_0(tmp_path: Path) -> None:
    """Five tiles (three of them 0) and the filters pushed the first letter to 744 px on a 390 × 844
    phone; the note of why letters were skipped was hidden there."""
    from tests.test_gallery import sample

    write_gallery(sample(), tmp_path / "g", start=START, days=14, now=NOW)
    found = probe(tmp_path / "g" / "index.html", FIRST_SCREEN, 390, 844, tmp_path / "profile")
    assert found["tiles"] == ["send", "merged", "skip", "error"], found  # nothing sent yet: no tile
    assert found["note"] is True, found
    card, screen = found["card"], found["screen"]
    assert isinstance(card, int) and isinstance(screen, int) and card < screen - 100, found


def test_a_printed_page_has_no_toolbar_and_breaks_no_card() -> None:
    """There was no print style: the toolbar, «← Все дни» and «Открыть письмо →» on paper, cards cut
    in two by page breaks."""
    from tests.test_gallery_a11y import CSS

    printed = CSS[CSS.index("@media print {") :]
    hidden = re.search(r"\n  ([^{]*)\{ display: none !important; \}", printed)
    assert hidden and {".toolbar", ".to-filters", ".back", ".open"} <= {
        s.strip() for s in hidden[1].split(",")
    }
    kept = re.search(r"\n  ([^{]*)\{ break-inside: avoid; \}", printed)
    assert kept and {".card", ".version", ".stat"} <= {s.strip() for s in kept[1].split(",")}
    assert re.search(r"\.versions \{ display: block; \}", printed)  # the letter under its text
    assert re.search(r"\.day, \.card \{ content-visibility: visible; \}", printed)  # every card on paper
    assert "@media screen and (prefers-color-scheme: dark)" in CSS  # paper is white


def test_an_address_breaks_after_its_at_and_dots_and_the_contact_id_is_shown(reviewed: Path) -> None:
    """«greetings@romashka.examp|le» broke mid-word on a phone (overflow-wrap: anywhere); and the ID a
    director quotes to ``greeter approve --contact`` was on neither the card nor the letter's page."""
    index = parse(reviewed / "index.html")
    day = parse(reviewed / "days" / "2026-12-26.html")
    card = next(iter(cards_of(day).values()))
    (email,) = card.find("p", "email")
    assert email.all_text().endswith(" · ID L10")
    page = reviewed / "days" / next(a.attrs["href"] for a in card.find("a"))
    raw = page.read_text(encoding="utf-8")
    assert "&lt;l10@<wbr>example.<wbr>ru&gt;</dd>" in raw  # Кому: Имя10 Фамилия10 <l10@example.ru>
    assert "<dt>ID</dt><dd>L10</dd>" in raw
    assert not list(index.find("p", "email"))  # the overview: no card
    from tests.test_gallery_a11y import _rule

    assert "overflow-wrap: break-word" in _rule(".meta dd")


def test_a_letter_links_the_letters_before_and_after_it_on_its_page_of_the_gallery(reviewed: Path) -> None:
    """A director on a phone read a day's letters one by one, each time back to the day's page."""
    for name in ("2026-12-25.html", "2026-12-25-2.html", "2026-12-25-3.html", "2026-12-26.html"):
        day = parse(reviewed / "days" / name)
        pages = [next(c.find("a")).attrs["href"].removeprefix("../") for c in cards_of(day).values()]
        for k, page in enumerate(pages):
            letter = parse(reviewed / page)
            navs = list(letter.find("nav", "letter-nav"))
            assert len(navs) == 2  # above the letter and under it
            rel = {a.attrs["rel"]: a.attrs["href"].removeprefix("../../") for a in navs[0].find("a")}
            expected = {"prev": pages[k - 1]} if k else {}
            expected |= {"next": pages[k + 1]} if k + 1 < len(pages) else {}
            assert rel == expected, (name, k)  # within the part: the order of its page
    for page in (reviewed / "drafts").rglob("*.html"):
        assert "<!--neighbours-->" not in page.read_text(encoding="utf-8")
