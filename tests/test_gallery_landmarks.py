"""Each ``<nav>`` of a gallery page has a name of its own.

A screen reader lists a page's landmarks by name and lets its user jump to one: the list of
clients outside an occasion's audience (5,000 names a page) had its parts' links at the head and
at the foot, both named «Части» — two entries that read as one, and no telling which is where —
and the contact errors' page had a way back with no name beside the named filters.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from greeter.gallery import write_gallery
from greeter.gallery_layout import LIST_LINES
from tests.test_gallery import NOW, START, Node, parse
from tests.test_gallery_pages import big_plan, outside

MONDAY = date(2026, 12, 28)


def nav_names(root: Node) -> list[str]:
    """The accessible name of each ``<nav>`` on the page, in order ("" when it has none)."""
    by_id: dict[str, Node] = {}

    def walk(node: Node) -> None:
        if "id" in node.attrs:
            by_id[node.attrs["id"]] = node
        for child in node.children:
            walk(child)

    walk(root)
    names = []
    for nav in root.find("nav"):
        labelled = nav.attrs.get("aria-labelledby", "").split()
        name = (
            " ".join(by_id[i].all_text() for i in labelled) if labelled else nav.attrs.get("aria-label", "")
        )
        names.append(name.strip())
    return names


@pytest.fixture(scope="module", params=["ru", "en", "ka"])
def paged(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gallery with every kind of page: an overview, a day in parts, letters, the contact
    errors, and a list of clients outside the audience long enough for two pages."""
    drafts = big_plan() + [outside(100 + k, MONDAY) for k in range(LIST_LINES + 1)]
    out = tmp_path_factory.mktemp(f"landmarks-{request.param}") / "g"
    write_gallery(drafts, out, start=START, days=14, now=NOW, page_cards=4, locale=request.param)
    return out


def test_every_nav_of_every_page_has_a_name_no_other_nav_there_has(paged: Path) -> None:
    pages = sorted(paged.rglob("*.html"))
    assert (paged / "errors.html") in pages and (paged / "outside/2026-12-28-vip_day-2.html") in pages
    for page in pages:
        names = nav_names(parse(page))
        assert all(names), (page, names)  # no nav without a name
        assert not [name for name, n in Counter(names).items() if n > 1], (page, names)


def test_the_list_of_outside_clients_names_its_parts_at_the_head_and_at_the_foot(paged: Path) -> None:
    """Both pagers stay (5,000 names apart): the one at the foot says it is at the page's end."""
    for name in ("2026-12-28-vip_day.html", "2026-12-28-vip_day-2.html"):
        pagers = list(parse(paged / "outside" / name).find("nav", "pager"))
        assert len(pagers) == 2
        head, foot = (p.attrs["aria-label"] for p in pagers)
        assert foot.startswith(head) and foot != head
