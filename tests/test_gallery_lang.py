"""The gallery and the calendar speak the team's language: Russian for a ``ru`` project, else English.

An Estonian team (``defaults.locale: et``, country EE) got a gallery entirely in
Russian — ``<html lang="ru">``, «Поздравления», «к отправке», «Понедельник, 7 декабря
2026», «Открыть письмо →», the planner's reasons translated into Russian — and
calendar events «Поздравление: …». Each language is now a table of words
(:mod:`greeter.gallery_lang`); a locale without one gets English. The letters stay
in their contacts' language: names, subjects and texts here are Russian on purpose,
and the checks for Cyrillic skip exactly them (what the gallery tags with the
letter's ``lang``, the names, the header values).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from string import Formatter

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from greeter.cli import main
from greeter.gallery import write_gallery
from greeter.gallery_lang import ENGLISH, TABLES, ui_for
from greeter.i18n import plural
from greeter.plan_types import Draft, PlanItem, Rendered
from tests.conftest import MakeProject, contact_row
from tests.test_gallery import (
    ANNA,
    MSK,
    NOW,
    SHOP,
    START,
    Node,
    TreeBuilder,
    cards,
    hit,
    parse,
    png_rows,
    run_chromium,
    sample,
)

CYRILLIC = re.compile("[\u0400-\u04ff]")
#: The planner's own sentence for the sample's frequency-cap skip (tests.test_gallery.sample).
CAP_DETAIL = "7th greeting in 365 days would exceed max_count 6"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_every_language_has_every_word_with_the_same_places_for_values() -> None:
    """Another language is one more table: it must say everything English says, with the same values."""
    for tag, table in TABLES.items():
        assert set(table) == set(ENGLISH), tag
        for key, text in table.items():
            assert placeholders(text) == placeholders(ENGLISH[key]), (tag, key)
        ui = ui_for(tag)
        for key in (k for k in table if k.endswith(".forms")):
            plural(2, table[key], ui.locale)  # raises for a wrong number of forms
        ui.long_day(date(2026, 12, 7))  # a pattern Babel cannot read raises


@pytest.mark.parametrize(
    ("locale", "language"),
    [("ru", "ru"), ("ru_RU", "ru"), ("ru-RU", "ru"), ("et", "en"), ("et_EE", "en"), ("en_GB", "en"),
     ("de", "en"), ("sr_Latn", "en"), ("xx-nonsense", "en"), (None, "en")],
)  # fmt: skip
def test_a_team_reads_its_own_language_or_english(locale: str | None, language: str) -> None:
    assert ui_for(locale).tag == language


def test_english_dates_and_years_are_babels() -> None:
    ui = ui_for("et")
    assert ui.long_day(date(2026, 12, 7)) == "Monday, 7 December 2026"
    assert ui.short_day(date(2026, 12, 5)) == "Sat 5 Dec"
    assert (ui.years(25), ui.years(1)) == ("25 years", "1 year")
    ru = ui_for("ru_RU")
    assert ru.long_day(date(2026, 12, 7)) == "Понедельник, 7 декабря 2026"
    assert ru.short_day(date(2026, 12, 5)) == "Сб 05.12"
    assert (ru.years(25), ru.years(1)) == ("25 лет", "1 год")


def russian_letters() -> list[Draft]:
    """The sample (tests.test_gallery) with its letters tagged Russian, and a first year's anniversary."""
    drafts = [replace(d, rendered=replace(d.rendered, locale="ru")) if d.rendered else d for d in sample()]
    first_year = Draft(
        PlanItem(hit(ANNA, "first_deal", date(2026, 12, 28), 1), "send",
                 send_at=datetime(2026, 12, 28, 10, 0, tzinfo=MSK)),
        Rendered(subject="Анна Ильинична, год вместе!", text="Спасибо за год.", locale="ru"),
    )  # fmt: skip
    return [*drafts, first_year]


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("en") / "gallery"
    write_gallery(russian_letters(), out, start=START, days=14, now=NOW, sender=SHOP, locale="et")
    return out


def chrome_text(node: Node, found: list[str]) -> list[str]:
    """Every word the gallery itself writes on a page: text and attributes, without the letters'
    words (tagged with their ``lang``), the contacts' names and the header values (``dd``)."""
    for child in node.children:
        data = "lang" in child.attrs and child.tag != "html"
        if data or child.tag in ("script", "dd") or "who" in child.attrs.get("class", "").split():
            continue
        found += [v for k, v in child.attrs.items() if k not in ("data-search", "srcdoc")]
        found += child.text
        chrome_text(child, found)
    return found


def test_an_estonian_teams_gallery_is_in_english(english: Path) -> None:
    index = parse(english / "index.html")
    (html,) = index.find("html")
    assert html.attrs["lang"] == "en"
    assert " ".join(next(index.find("h1")).all_text().split()) == "Greetings preview"
    raw = (english / "index.html").read_text(encoding="utf-8")
    assert (
        '<p class="range">from <b>20 Dec 2026</b> to <b>2 Jan 2027</b> (14 days)\n'
        " · as of <b>20 Dec 2026 09:00 (Europe/Moscow)</b></p>"
    ) in raw
    stats = {s.attrs["data-count"]: [t.all_text() for t in s.find("span")] for s in index.find("div", "stat")}
    assert stats["send"] == ["3", "to send", "1 with merged occasions"]
    assert stats["merged"] == ["1", "merged", "occasions went into other letters"]
    assert stats["skip"][:2] == ["1", "skipped"] and "frequency cap 1" in " ".join(stats["skip"])
    assert stats["error"] == ["1", "template error", "letters not rendered"]
    buttons = [" ".join(b.all_text().split()) for b in index.find("button")]
    assert buttons == ["All 6", "To send 3", "Sent 0", "Merged 1", "Skipped 1", "Errors 1"]
    (search,) = index.find("input")
    assert search.attrs["placeholder"] == "Search: name, e-mail, occasion, subject…  ( / )"
    assert [n.all_text() for n in index.find(cls="day-name")] == [
        "Tuesday, 22 December 2026", "Wednesday, 23 December 2026", "Friday, 25 December 2026",
        "Monday, 28 December 2026", "Friday, 1 January 2027",
    ]  # fmt: skip

    c = cards(index)
    ivan = c["card-1"]
    assert next(ivan.find(cls="when")).all_text() == "Fri 25 Dec 08:30"
    assert next(ivan.find(cls="years")).all_text() == "50 years"
    assert next(c["card-6"].find(cls="years")).all_text() == "1 year"
    assert [a.all_text() for a in ivan.find("a")][-1] == "Open the letter →"
    assert next(ivan.find(cls="subject")).attrs["lang"] == "ru"  # the letter keeps its language
    merged = c["card-2"]
    assert next(merged.find(cls="badge")).all_text() == "skipped: merged"
    assert (
        next(merged.find(cls="detail")).all_text()
        == "the greeting goes in the “birthday” letter, Fri 25 Dec 08:30"
    )
    assert [a.all_text() for a in merged.find("a")] == ["Open the “birthday” letter →"]
    # the planner's reason in its own English words, not translated (nor into Russian)
    cap = c["card-3"]
    assert next(cap.find(cls="badge")).all_text() == "skipped: frequency cap"
    assert next(cap.find(cls="detail")).all_text() == CAP_DETAIL
    assert next(cap.find(cls="when")).all_text() == "Fri 1 Jan"

    chrome = chrome_text(index, [])
    assert [t for t in chrome if CYRILLIC.search(t)] == []
    assert "Greetings: preview" in chrome  # the page's <title>
    (script,) = index.find("script")
    assert '"Showing "' in script.all_text() and "Показано" not in script.all_text()


def test_an_english_letter_page_labels_a_russian_letter_in_english(english: Path) -> None:
    page = parse(english / "drafts/2026-12-25/1.html")
    (html,) = page.find("html")
    assert html.attrs["lang"] == "en"
    assert [dt.all_text() for dt in page.find("dt")] == ["From", "To", "Sending", "Template"]
    assert [dd.all_text() for dd in page.find("dd")][2] == "Fri 25 Dec 08:30 (Asia/Vladivostok)"
    assert [a.all_text() for a in page.find("a")] == ["← All greetings"]
    assert [h.all_text() for h in page.find("h2")] == ["Text", "HTML"]
    assert next(page.find("span", "badge")).all_text() == "to send"
    # the letter itself is untouched, in its own language and tagged so
    (h1,) = page.find("h1")
    assert (h1.all_text(), h1.attrs["lang"]) == ("С юбилеем, Иван Петрович!", "ru")
    plain = next(page.find("pre", "plain"))
    assert plain.attrs["lang"] == "ru" and plain.all_text().startswith("Уважаемый Иван Петрович!")
    assert [t for t in chrome_text(page, []) if CYRILLIC.search(t)] == []


def test_a_russian_teams_gallery_is_the_same_for_any_spelling_of_its_locale(tmp_path: Path) -> None:
    """``ru_RU`` is Russian as ``ru`` (the default) is, byte for byte."""
    files = {}
    for locale in ("ru", "ru_RU"):
        write_gallery(sample(), tmp_path / locale, start=START, days=14, now=NOW, sender=SHOP, locale=locale)
        files[locale] = {
            p.relative_to(tmp_path / locale): p.read_bytes() for p in (tmp_path / locale).rglob("*.html")
        }
    assert files["ru"] == files["ru_RU"]
    assert b'<html lang="ru">' in files["ru"][Path("index.html")]


def test_chromium_runs_the_english_filter_script(english: Path, tmp_path: Path) -> None:
    """The script's words are swapped for English: its CSP hash must be that of the English text,
    or the browser refuses to run it and the filters do nothing."""
    url = (english / "index.html").resolve().as_uri()
    png = tmp_path / "index.png"
    run_chromium(tmp_path / "profile", "--window-size=1280,900", f"--screenshot={png}", url)
    width, height, rows = png_rows(png.read_bytes())
    assert (width, height) == (1280, 900) and len(set(rows)) > 200
    dom = TreeBuilder()
    dom.feed(run_chromium(tmp_path / "profile", "--dump-dom", url + "#f=error").stdout)
    assert "js" in next(dom.root.find("html")).attrs.get("class", "").split()
    assert next(dom.root.find("main")).attrs["data-show"] == "error"
    assert next(dom.root.find(cls="shown")).all_text() == "Showing 1 of 6"
    page = tmp_path / "page.png"
    letter = (english / "drafts/2026-12-25/1.html").resolve().as_uri()
    run_chromium(tmp_path / "profile", "--window-size=1280,900", f"--screenshot={page}", letter)
    assert len(set(png_rows(page.read_bytes())[2])) > 200


def test_an_estonian_project_previews_and_exports_in_english(make_project: MakeProject) -> None:
    """The commands hand ``defaults.locale`` to the gallery and the calendar. The example config's
    occasion titles («День рождения») are the config's own words and stay so."""
    config = make_project(
        [contact_row("7", "seven@example.com", birthday="02.01.1979", first="Анна", patronymic="Ильинична")],
        defaults={"locale": "et", "country": "EE", "timezone": "Europe/Tallinn"},
    )
    window = ["--from", "2026-12-25", "--days", "14", "--now", "2026-12-20T12:00+02:00"]
    out = config.parent / "gallery"
    result = CliRunner().invoke(
        main, ["--config", str(config), "preview", *window, "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    index = parse(out / "index.html")
    assert next(index.find("html")).attrs["lang"] == "en"
    assert [n.all_text() for n in index.find(cls="day-name")] == [
        "Tuesday, 29 December 2026", "Wednesday, 30 December 2026",
    ]  # fmt: skip
    for chrome in ("toolbar", "stats", "page-foot", "range"):
        assert not CYRILLIC.search(next(index.find(cls=chrome)).all_text()), chrome
    merged = next(c for c in cards(index).values() if c.attrs["data-status"] == "merged")
    assert next(merged.find(cls="badge")).all_text() == "skipped: merged"

    ics = config.parent / "greetings.ics"
    result = CliRunner().invoke(main, ["--config", str(config), "calendar", *window, "-o", str(ics)])
    assert result.exit_code == 0, result.output
    [event] = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == (
        "Greeting: Анна Ильинична Иванов — Новый год 29 December, День рождения 2 January (48 years)"
    )
    lines = str(event["DESCRIPTION"]).splitlines()
    assert re.fullmatch(r"The letter leaves on 30 December 2026 at \d\d:\d\d, the recipient's time "
                        r"\(Europe/Moscow\)", lines[0])  # fmt: skip
    assert lines[1:] == [
        "Occasion: День рождения 2 January (48 years)",
        "In the same letter: Новый год 29 December",
        "To: Анна Ильинична Иванов <seven@example.com> (id 7)",
        "Company: ООО «Тест»",
    ]
