"""A gallery at a big CRM's scale: an overview of days, day pages in parts, folded skips, day folders.

An operator's month of 150,000 contacts was one ``index.html`` of 191,129 cards
(207 MB) that Chromium never finished, opening on ``outside_audience`` skips,
and 158,429 pages in one ``drafts/`` folder. Here the same shapes are made
small (``page_cards=4`` stands for the real 2,000) so each page is checked.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from greeter.errors import OutputFolderError
from greeter.gallery import write_gallery
from greeter.plan_types import Draft, PlanItem, Rendered
from tests.test_gallery import MSK, NOW, START, Node, cards, contact, hit, parse, run_chromium

XMAS = date(2026, 12, 25)
LETTER = Rendered(subject="С праздником!", text="Текст.", html="<p>Текст.</p>")


def letter(k: int, day: date, minute: int) -> Draft:
    who = contact(f"L{k}", f"Имя{k:02}", "", f"Фамилия{k:02}", f"l{k}@example.ru")
    at = datetime(day.year, day.month, day.day, 10, minute, tzinfo=MSK)
    return Draft(PlanItem(hit(who, "birthday", day, 30), "send", send_at=at), LETTER)


def outside(k: int, day: date) -> Draft:
    who = contact(f"O{k}", f"Чужой{k:02}", "", "Клиент", f"o{k}@example.ru")
    detail = "has none of the tags vip (the contact's tags: none)"
    return Draft(PlanItem(hit(who, "vip_day", day), "skip", reason="outside_audience", detail=detail))


def big_plan() -> list[Draft]:
    """Ten letters on Christmas (three parts of four), two the next day, seven clients outside the
    audience of a one-off occasion, a frequency-cap skip and a contact error, in the planner's
    order (contact by contact, not by day)."""
    drafts = [letter(k, XMAS, 50 - 5 * k) for k in range(10)]  # the stream is not in send order
    drafts += [letter(10 + k, XMAS + timedelta(days=1), k) for k in range(2)]
    drafts += [outside(k, date(2026, 12, 28)) for k in range(7)]
    cap = contact("C1", "Лимит", "", "Клиент", "cap@example.ru")
    drafts.append(Draft(PlanItem(hit(cap, "birthday", XMAS), "skip", reason="frequency_cap", detail="x")))
    bad = contact("E1", "Ошибка", "", "Клиент", "bad@example.ru")
    drafts.append(Draft(PlanItem(hit(bad, "birthday", XMAS), "skip", reason="invalid_contact", detail="y")))
    return drafts


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("big") / "g"
    write_gallery(big_plan(), out, start=START, days=14, now=NOW, page_cards=4)
    return out


def links(root: Node) -> list[str]:
    return [a.attrs["href"] for a in root.find("a")]


def test_a_big_gallery_opens_on_an_overview_of_its_days_with_no_card(big: Path) -> None:
    index = parse(big / "index.html")
    assert not cards(index)  # the overview draws no card, whatever the plan's size
    values = {
        s.attrs["data-count"]: next(s.find(cls="stat-value")).all_text() for s in index.find(cls="stat")
    }
    assert values == {"send": "12", "sent": "0", "merged": "0", "skip": "9", "error": "0"}  # the whole plan
    rows = {next(r.find("th")).all_text(): r for r in next(index.find("tbody")).find("tr")}
    assert list(rows) == [
        "Пятница, 25 декабря 2026",
        "Суббота, 26 декабря 2026 · выходной",  # a day off in words, not only in orange
        "Понедельник, 28 декабря 2026",
    ]
    assert links(rows["Пятница, 25 декабря 2026"]) == [
        "days/2026-12-25.html",
        "days/2026-12-25.html",
        "days/2026-12-25-2.html",
        "days/2026-12-25-3.html",
    ]

    def counts(day: str) -> dict[str, str]:
        return {td.attrs["class"].split()[-1]: td.all_text() for td in rows[day].find("td", "n")}

    # a column per group some day has (none of merged, sent, error, failed, pending: no column);
    # the skips outside the audience are skips, as the day's page counts them (its filter «7»)
    assert counts("Пятница, 25 декабря 2026") == {"n-send": "10", "n-skip": "1"}
    assert counts("Понедельник, 28 декабря 2026") == {"n-send": "", "n-skip": "7"}
    (monday_skips,) = rows["Понедельник, 28 декабря 2026"].find("td", "n-skip")
    assert monday_skips.attrs["title"] == "вне аудитории: 7"
    (alert,) = index.find("p", "alert")
    assert links(alert) == ["errors.html#contact-errors"]
    assert list(index.find("script")) == []  # nothing to run: a table and links


def test_day_pages_hold_at_most_a_page_of_cards_letters_in_send_order_then_skips(big: Path) -> None:
    parts = [
        parse(big / "days" / name) for name in ("2026-12-25.html", "2026-12-25-2.html", "2026-12-25-3.html")
    ]
    shown = [[next(c.find(cls="when")).all_text() for c in cards(p).values()] for p in parts]
    assert [len(s) for s in shown] == [4, 4, 3]
    flat = [w for s in shown for w in s]
    assert flat[:10] == sorted(flat[:10]) and flat[0] == "Пт 25.12 10:05"  # by send time, across parts
    assert flat[10] == "Пт 25.12"  # the cap skip: after every letter of the day
    for k, page in enumerate(parts, start=1):
        (pager,) = page.find("nav", "pager")
        assert next(pager.find("span")).attrs["aria-current"] == "page" and next(
            pager.find("span")
        ).all_text() == str(k)
        assert links(page)[0] == "../index.html"  # «← Все дни»
        main = next(page.find("main"))
        assert main.attrs["data-page"] == ("days/2026-12-25.html" if k == 1 else f"days/2026-12-25-{k}.html")
        buttons = {b.attrs["data-filter"]: int(b.attrs["data-count"]) for b in page.find("button")}
        assert buttons["all"] == len(cards(page))  # this page's counts: what its filters show


def test_every_link_of_every_page_leads_to_a_file_of_the_gallery(big: Path) -> None:
    pages = list(big.rglob("*.html"))
    assert len(pages) == 12 + 1 + 5 + 1 + 1  # letters, index, day pages (3 + 1 + 1), errors, one list
    for path in pages:
        for href in links(parse(path)):
            if href.startswith("#"):  # on the page itself (a phone's «↑ Фильтры»)
                assert f'id="{href[1:]}"' in path.read_text(encoding="utf-8"), (path, href)
                continue
            target = href.split("#")[0]
            assert (path.parent / target).resolve().is_file(), (path, href)
    # each letter in its day's folder, the folder never holds another day's letter
    assert sorted({p.parent.name for p in (big / "drafts").rglob("*.html")}) == ["2026-12-25", "2026-12-26"]


def test_outside_the_audience_is_one_line_per_day_and_occasion_and_a_list(big: Path) -> None:
    monday = parse(big / "days" / "2026-12-28.html")
    assert not cards(monday)
    (line,) = monday.find("p", "folded")
    assert line.attrs["data-status"] == "skip"
    assert "7 клиентов не в аудитории повода" in line.all_text()
    assert links(line) == ["../outside/2026-12-28-vip_day.html"]
    listed = parse(big / "outside" / "2026-12-28-vip_day.html")
    names = [next(li.find("b")).all_text() for li in listed.find("li")]
    assert names == [f"Чужой{k:02} Клиент" for k in range(7)]
    assert links(listed) == ["../days/2026-12-28.html"]  # back to the day that says them
    buttons = {b.attrs["data-filter"]: int(b.attrs["data-count"]) for b in monday.find("button")}
    assert buttons["skip"] == 7 and buttons["all"] == 7  # counted with the skips, one line on the page


def test_a_small_gallery_stays_one_page_and_folds_its_outside_skips_too(tmp_path: Path) -> None:
    drafts = [letter(1, XMAS, 0), *(outside(k, XMAS) for k in range(3)), letter(2, XMAS, 5)]
    write_gallery(drafts, tmp_path, start=START, days=14, now=NOW)
    index = parse(tmp_path / "index.html")
    assert list(cards(index)) == ["card-1", "card-5"]
    (day,) = index.find("section", "day")
    assert day.attrs["data-has"] == "send skip"  # the skip filter keeps the day for its line
    (line,) = day.find("p", "folded")
    assert links(line) == ["outside/2026-12-25-vip_day.html"]
    assert links(parse(tmp_path / "outside/2026-12-25-vip_day.html")) == ["../index.html#day-2026-12-25"]
    assert not (tmp_path / "days").exists()
    from greeter.gallery_layout import PAGE_CARDS

    assert PAGE_CARDS >= 1000  # a normal week (tens to a few thousand letters) is one page


def test_a_rerun_removes_the_pages_of_days_no_longer_planned_and_only_those(tmp_path: Path) -> None:
    out = tmp_path / "g"
    write_gallery(big_plan(), out, start=START, days=14, now=NOW, page_cards=4)
    (out / "days" / "notes.txt").write_text("someone's notes")
    write_gallery(big_plan()[10:11], out, start=START, days=14, now=NOW, page_cards=4)  # one letter
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert left == [
        ".greeter-preview.sha256",
        "days/notes.txt",
        "drafts/2026-12-26/1.html",
        "gallery.css",
        "index.html",
    ]
    assert not (out / "outside").exists() and not (out / "drafts" / "2026-12-25").exists()
    manifest = (out / ".greeter-preview.sha256").read_text()
    assert sorted(line.split("  ")[1] for line in manifest.splitlines()) == [
        "drafts/2026-12-26/1.html",
        "gallery.css",
        "index.html",
    ]


def test_a_page_someone_put_among_the_day_pages_stops_the_gallery(tmp_path: Path) -> None:
    write_gallery(big_plan(), tmp_path, start=START, days=14, now=NOW, page_cards=4)
    (tmp_path / "days" / "2026-12-25-2.html").write_text("edited by hand")
    (tmp_path / "drafts" / "2026-12-26" / "99.html").write_text("someone's page")
    with pytest.raises(OutputFolderError, match=r"2 file\(s\) there that no earlier preview wrote"):
        write_gallery(big_plan(), tmp_path, start=START, days=14, now=NOW, page_cards=4)
    assert (tmp_path / "days" / "2026-12-25-2.html").read_text() == "edited by hand"


def test_a_letter_opened_from_a_day_page_links_back_to_that_page(big: Path, tmp_path: Path) -> None:
    """From file://, no referrer: the day page adds its own name to the letter's link (``&p=``)."""
    page = (big / "drafts" / "2026-12-25" / "1.html").resolve().as_uri()
    dom = run_chromium(tmp_path / "profile", "--dump-dom", page + "#from=f=send&q=x&p=days/2026-12-25-3.html")
    assert 'href="../../days/2026-12-25-3.html#f=send&amp;q=x&amp;card=1"' in dom.stdout
    hostile = run_chromium(tmp_path / "profile", "--dump-dom", page + "#from=f=send&p=//evil.example/x.html")
    assert 'href="../../index.html#card-1"' in hostile.stdout  # only a page name the gallery writes
