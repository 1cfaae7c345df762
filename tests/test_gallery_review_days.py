"""The review gate day by day in a big gallery (``review: required``, an overview and day parts).

A reviewer of 7,620 year-end letters found the overview's awaiting / changed / approved counted
only in the plan's total; its table of days had no such column and nothing led to the letters
waiting, and a day of more than a page (2,000 cards) was in parts whose filters counted their own
cards only. Made small here (``page_cards=4`` stands for 2,000); the links are followed in headless
Chromium, whose script must open the part with the filter on.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from greeter.gallery import write_gallery
from greeter.plan_types import Draft
from tests.test_gallery import NOW, START, TreeBuilder, parse, run_chromium
from tests.test_gallery_pages import XMAS, letter, links

#: Christmas's ten letters by send order (the planner's: k=9 leaves first): parts of four.
STATES = {9: "approved", 8: "approved", 7: "approved", 6: "approved", 0: "changed_since_approval"}


def reviewed_plan() -> list[Draft]:
    drafts = [letter(k, XMAS, 50 - 5 * k) for k in range(10)]
    drafts += [letter(10 + k, XMAS + timedelta(days=1), k) for k in range(2)]
    for k, draft in enumerate(drafts):
        draft.extra["approval"] = STATES.get(k, "awaiting_approval")
    return drafts


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reviewed") / "g"
    write_gallery(reviewed_plan(), out, start=START, days=14, now=NOW, page_cards=4)
    return out


def test_the_overview_counts_each_days_review_states_and_links_to_them(reviewed: Path) -> None:
    index = parse(reviewed / "index.html")
    heads = [th.all_text() for th in next(index.find("thead")).find("th")]
    assert heads[-4:] == ["ждёт одобрения", "изменено после одобрения", "одобрено", "Части"], heads
    rows = {next(r.find("th")).all_text(): r for r in next(index.find("tbody")).find("tr")}
    friday = rows["Пятница, 25 декабря 2026"]
    cells = {
        key: next(friday.find("td", f"n-{key}"))
        for key in ("awaiting_approval", "changed_since_approval", "approved")
    }
    assert {key: td.all_text() for key, td in cells.items()} == {
        "awaiting_approval": "5",
        "changed_since_approval": "1",
        "approved": "4",
    }
    # each count leads to the first part holding such letters, with that filter on
    assert {key: links(td) for key, td in cells.items()} == {
        "awaiting_approval": ["days/2026-12-25-2.html#f=awaiting_approval"],
        "changed_since_approval": ["days/2026-12-25-3.html#f=changed_since_approval"],
        "approved": ["days/2026-12-25.html#f=approved"],
    }
    saturday = [td.all_text() for td in rows["Суббота, 26 декабря 2026 · выходной"].find("td", "n")][-3:]
    assert saturday == ["2", "", ""]  # a state no letter of the day is in: an empty cell, no link


def test_a_part_page_says_the_whole_days_review_counts_beside_its_own(reviewed: Path) -> None:
    first = parse(reviewed / "days" / "2026-12-25.html")
    (whole,) = first.find("p", "whole-day")
    assert whole.all_text() == "весь день: 5 ждёт одобрения · 1 изменено после одобрения · 4 одобрено"
    buttons = {b.attrs["data-filter"]: b.attrs["data-count"] for b in first.find("button")}
    assert (buttons["awaiting_approval"], buttons["approved"]) == ("0", "4")  # the page's own, as before
    alone = parse(reviewed / "days" / "2026-12-26.html")  # a day of one page: its filters are the day's
    assert list(alone.find("p", "whole-day")) == []


def test_a_plan_without_review_has_no_review_columns(tmp_path: Path) -> None:
    drafts = [letter(k, XMAS, k) for k in range(6)]
    write_gallery(drafts, tmp_path / "g", start=START, days=14, now=NOW, page_cards=4)
    heads = [th.all_text() for th in next(parse(tmp_path / "g" / "index.html").find("thead")).find("th")]
    assert "ждёт одобрения" not in heads and heads[-1] == "Части"
    assert list(parse(tmp_path / "g" / "days" / "2026-12-25.html").find("p", "whole-day")) == []


def test_the_overviews_link_opens_the_part_with_its_filter_on(reviewed: Path, tmp_path: Path) -> None:
    (href,) = links(next(parse(reviewed / "index.html").find("td", "n-awaiting_approval")))
    page, fragment = href.split("#")
    url = (reviewed / page).resolve().as_uri() + "#" + fragment
    tree = TreeBuilder()
    tree.feed(run_chromium(tmp_path / "profile", "--dump-dom", url).stdout)
    (main,) = tree.root.find("main")
    assert main.attrs["data-show"] == "awaiting_approval"
    pressed = [b.attrs["data-filter"] for b in tree.root.find("button") if b.attrs["aria-pressed"] == "true"]
    assert pressed == ["awaiting_approval"]
