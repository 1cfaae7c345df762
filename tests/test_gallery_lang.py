"""The gallery and the calendar speak the team's language: its table's, else English.

An Estonian team (``defaults.locale: et``, country EE) got a gallery entirely in
Russian — ``<html lang="ru">``, «Поздравления», «к отправке», «Понедельник, 7 декабря
2026», «Открыть письмо →», the planner's reasons translated into Russian — and
calendar events «Поздравление: …». Each language is now a table of words
(:mod:`greeter.gallery_lang`); a locale without one gets English. Then the teams
``greeter init --locale`` starts — German, Estonian, Hungarian, Serbian — got
English, which a Serbian office's reviewers noted: those languages have tables
now, Serbian in both scripts. The letters stay in their contacts' language:
names, subjects and texts here are Russian on purpose, and the checks for
Cyrillic skip exactly them (what the gallery tags with the letter's ``lang``,
the names, the header values).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from string import Formatter

import pytest
from babel import Locale
from click.testing import CliRunner
from icalendar import Calendar

from greeter.cli import main
from greeter.gallery import write_gallery
from greeter.gallery_lang import ENGLISH, SERBIAN, SERBIAN_LATIN, TABLES, ui_for
from greeter.i18n import plural, plural_categories
from greeter.plan_types import Draft, PlanItem, Rendered
from greeter.serbian_script import to_latin
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


@pytest.mark.parametrize("tag", sorted(TABLES))
def test_every_language_has_every_word_with_the_same_places_for_values(tag: str) -> None:
    """Another language is one more table: it must say everything English says, with the same values."""
    table = TABLES[tag]
    assert set(table) == set(ENGLISH), tag
    for key, text in table.items():
        assert placeholders(text) == placeholders(ENGLISH[key]), (tag, key)
    ui = ui_for(tag)
    assert (ui.tag, ui.words) == (tag, table)  # its own key finds it: the pages' lang is a locale
    for key in (k for k in table if k.endswith(".forms")):
        # one form per category the language's whole numbers use, as greeter.i18n.plural reads them
        assert len(table[key].split("|")) == len(plural_categories(Locale.parse(ui.locale))[0]), key
        plural(2, table[key], ui.locale)  # raises for a wrong number of forms
    ui.long_day(date(2026, 12, 7))  # a pattern Babel cannot read raises


def test_serbian_latin_is_the_cyrillic_table_transliterated() -> None:
    """One table in two scripts: the Latin words are the Cyrillic ones letter for letter, no Cyrillic left."""
    assert SERBIAN_LATIN["locale"] == "sr_Latn"
    for key, text in SERBIAN.items():
        if key != "locale" and not key.startswith("date."):
            assert SERBIAN_LATIN[key] == to_latin(text), key
            assert not CYRILLIC.search(SERBIAN_LATIN[key]), key
    assert SERBIAN_LATIN["open.carrier"] == "Otvorite pismo „{letter}“ →"
    assert SERBIAN_LATIN["no_email"] == "nema adrese e-pošte"


@pytest.mark.parametrize(
    ("locale", "language"),
    [("ru", "ru"), ("ru_RU", "ru"), ("ru-RU", "ru"),
     ("de", "de"), ("de_AT", "de"), ("de-CH", "de"), ("et", "et"), ("et_EE", "et"),
     ("hu", "hu"), ("hu_HU", "hu"), ("uk", "uk"), ("uk_UA", "uk"), ("uk-UA", "uk"),
     ("ka", "ka"), ("ka_GE", "ka"), ("ka-GE", "ka"),
     # Serbian by its script, as its letters are written (greeter.serbian_script.is_serbian_latin)
     ("sr", "sr"), ("sr_RS", "sr"), ("sr_Cyrl", "sr"), ("sr_Cyrl_ME", "sr"), ("sr_BA", "sr"),
     ("sr_Latn", "sr-Latn"), ("sr-Latn", "sr-Latn"), ("sr_Latn_RS", "sr-Latn"), ("sr_ME", "sr-Latn"),
     # Croatian and Bosnian, whose clients greeter writes to (their letters: Serbian Latin's)
     ("hr", "hr"), ("hr_HR", "hr"), ("bs", "bs"), ("bs_BA", "bs"),
     # a language without a table, and no language at all
     ("fi", "en"), ("en_GB", "en"), ("xx-nonsense", "en"), (None, "en")],
)  # fmt: skip
def test_a_team_reads_its_own_language_or_english(locale: str | None, language: str) -> None:
    assert ui_for(locale).tag == language


@pytest.mark.parametrize(
    ("locale", "heading", "card", "stamp", "clients", "years"),
    [
        ("de", "Freitag, 25. Dezember 2026", "Fr., 25.12. 08:30", "25.12.2026", ("1 Kunde", "3 Kunden", "5 Kunden"),
         "25 Jahre"),
        ("et", "Reede, 25. detsember 2026", "R, 25.12 08:30", "25.12.2026", ("1 klient", "3 klienti", "5 klienti"),
         "25 aastat"),
        ("hu_HU", "2026. december 25., péntek", "dec. 25., P 08:30", "2026. 12. 25.",
         ("1 ügyfél", "3 ügyfél", "5 ügyfél"), "25 év"),
        ("sr", "Петак, 25. децембар 2026.", "Пет 25. 12. 08:30", "25. 12. 2026.",
         ("1 клијент", "3 клијента", "5 клијената"), "25 година"),
        ("sr_Latn", "Petak, 25. decembar 2026.", "Pet 25. 12. 08:30", "25. 12. 2026.",
         ("1 klijent", "3 klijenta", "5 klijenata"), "25 godina"),
    ],
)  # fmt: skip
def test_each_language_writes_its_own_days_and_counts(
    locale: str, heading: str, card: str, stamp: str, clients: tuple[str, str, str], years: str
) -> None:
    """A day as the language's own pattern writes it (CLDR's), and a count in the form that agrees."""
    ui = ui_for(locale)
    assert ui.long_day(date(2026, 12, 25)) == heading
    assert ui.moment(datetime(2026, 12, 25, 8, 30, tzinfo=MSK)) == card
    assert ui.short_date(date(2026, 12, 25)) == stamp
    assert tuple(ui.count(n, "clients.forms") for n in (1, 3, 5)) == clients
    assert ui.years(25) == years


def test_serbian_counts_take_three_forms() -> None:
    """one|few|other: 21 is «one», 22 «few», 11–14 «other» — the plural a Russian one would get wrong too."""
    ui = ui_for("sr")
    assert [ui.count(n, "header.days.forms") for n in (1, 2, 5, 11, 14, 21, 22)] == [
        "1 дан", "2 дана", "5 дана", "11 дана", "14 дана", "21 дан", "22 дана",
    ]  # fmt: skip
    assert [ui.form(n, "stat.error.forms") for n in (1, 3, 5)] == [
        "грешка у шаблону", "грешке у шаблонима", "грешака у шаблонима",
    ]  # fmt: skip


def test_a_button_keeps_the_capitals_of_its_words() -> None:
    """The approval filters were ``str.capitalize()``d: «Nach freigabe geändert» — a German noun lowered."""
    de = ui_for("de")
    assert de.label("approval.changed_since_approval") == "Nach Freigabe geändert"
    assert de.label("approval.approval_outdated") == "Freigabe aus älterer Version"
    assert ui_for("ru").label("approval.awaiting_approval") == "Ждёт одобрения"


def test_english_dates_and_years_are_babels() -> None:
    ui = ui_for("fi")
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
    write_gallery(russian_letters(), out, start=START, days=14, now=NOW, sender=SHOP, locale="fi")
    return out


def chrome_text(node: Node, found: list[str], *, machine: bool = True) -> list[str]:
    """Every word the gallery itself writes on a page: text and attributes, without the letters'
    words (tagged with their ``lang``), the contacts' names (``.who``; unseen, ``.whose`` letter a
    card's link opens; the letters before and after one, ``.letter-nav``: names and arrows) and the
    header values (``dd``).
    ``machine=False``: without the attributes that hold machine words (``data-filter="sent"``,
    a tooltip's ``merged``), which are English in every language."""
    for child in node.children:
        data = "lang" in child.attrs and child.tag != "html"
        classes = child.attrs.get("class", "").split()
        if data or child.tag in ("script", "dd") or {"who", "whose", "letter-nav"} & set(classes):
            continue
        said = ("placeholder", "aria-label", "alt")
        found += [
            v for k, v in child.attrs.items() if k not in ("data-search", "srcdoc") and (machine or k in said)
        ]
        found += child.text
        chrome_text(child, found, machine=machine)
    return found


def test_a_finnish_teams_gallery_is_in_english(english: Path) -> None:
    """Finnish has no table: the whole gallery is English, never half of it in another language."""
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
    assert search.attrs["placeholder"] == "name, e-mail, occasion, subject…  ( / )"
    assert [n.all_text() for n in index.find(cls="day-name")] == [
        "Tuesday, 22 December 2026", "Wednesday, 23 December 2026", "Friday, 25 December 2026",
        "Monday, 28 December 2026", "Friday, 1 January 2027",
    ]  # fmt: skip

    c = cards(index)
    ivan = c["card-1"]
    assert next(ivan.find(cls="when")).all_text() == "Fri 25 Dec 08:30"
    assert next(ivan.find(cls="years")).all_text() == "50 years"
    assert next(c["card-6"].find(cls="years")).all_text() == "1 year"
    assert ["".join(a.text) for a in ivan.find("a")][-1] == "Open the letter →"
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
    assert [dt.all_text() for dt in page.find("dt")] == ["From", "To", "Sending", "Template", "ID"]
    assert [dd.all_text() for dd in page.find("dd")][2] == "Fri 25 Dec 08:30 (Asia/Vladivostok)"
    assert [a.all_text() for a in next(page.find("nav", "back")).find("a")] == ["← All greetings"]
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


def test_a_finnish_project_previews_and_exports_in_english(make_project: MakeProject) -> None:
    """The commands hand ``defaults.locale`` to the gallery and the calendar. The example config's
    occasion titles («День рождения») are the config's own words and stay so."""
    config = make_project(
        [contact_row("7", "seven@example.com", birthday="02.01.1979", first="Анна", patronymic="Ильинична")],
        defaults={"locale": "fi", "country": "FI", "timezone": "Europe/Helsinki"},
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
    assert re.fullmatch(r"The letter leaves on 30 December 2026 at \d\d:\d\d MSK, the recipient's time "
                        r"\(Europe/Moscow\)", lines[0])  # fmt: skip
    assert lines[1:] == [
        "Occasion: День рождения 2 January (48 years)",
        "In the same letter: Новый год 29 December",
        "To: Анна Ильинична Иванов <seven@example.com> (id 7)",
        "Company: ООО «Тест»",
    ]


#: What the sample's gallery (:func:`russian_letters`) says in each language with a table of its own:
#: ``<html lang>``, the heading, the status filters, the first day, Ivan's send moment and years,
#: his letter's link, the merged card's badge, the template-error tile, the filter script's words.
GALLERIES = {
    "de": ("de", "Glückwünsche Vorschau",
           ["Alle 6", "Zum Versand 3", "Versendet 0", "Zusammengeführt 1", "Übersprungen 1", "Fehler 1"],
           "Dienstag, 22. Dezember 2026", "Fr., 25.12. 08:30", "50 Jahre", "Nachricht öffnen →",
           "übersprungen: zusammengeführt", "Vorlagenfehler", '"Angezeigt: "'),
    "et_EE": ("et", "Õnnitlused eelvaade",
              ["Kõik 6", "Saatmiseks 3", "Saadetud 0", "Ühendatud 1", "Vahele jäetud 1", "Vead 1"],
              "Teisipäev, 22. detsember 2026", "R, 25.12 08:30", "50 aastat", "Ava kiri →",
              "vahele jäetud: ühendatud", "malli viga", '"Näidatud "'),
    "hu": ("hu", "Üdvözletek előnézet",
           ["Összes 6", "Küldendő 3", "Elküldve 0", "Összevonva 1", "Kihagyva 1", "Hibák 1"],
           "2026. december 22., kedd", "dec. 25., P 08:30", "50 év", "Levél megnyitása →",
           "kihagyva: összevonva", "sablonhiba", '"Megjelenítve: "'),
    "sr_RS": ("sr", "Честитке преглед",
              ["Све 6", "За слање 3", "Послато 0", "Спојено 1", "Прескочено 1", "Грешке 1"],
              "Уторак, 22. децембар 2026.", "Пет 25. 12. 08:30", "50 година", "Отворите писмо →",
              "прескочено: спојено", "грешка у шаблону", '"Приказано "'),
    "sr_Latn": ("sr-Latn", "Čestitke pregled",
                ["Sve 6", "Za slanje 3", "Poslato 0", "Spojeno 1", "Preskočeno 1", "Greške 1"],
                "Utorak, 22. decembar 2026.", "Pet 25. 12. 08:30", "50 godina", "Otvorite pismo →",
                "preskočeno: spojeno", "greška u šablonu", '"Prikazano "'),
    # Ukrainian had none either: a Kyiv office read its plan in English
    "uk_UA": ("uk", "Привітання попередній перегляд",
              ["Усі 6", "До надсилання 3", "Надіслано 0", "Об’єднано 1", "Пропущено 1", "Помилки 1"],
              "Вівторок, 22 грудня 2026", "Пт 25.12 08:30", "50 років", "Відкрити лист →",
              "пропуск: об’єднано", "помилка шаблону", '"Показано "'),
    # Georgian had none: a Tbilisi office read its plan in English. No capitals: «სამშაბათი», not
    # Mtavruli's «Სამშაბათი», which str.upper made of a heading's weekday
    "ka_GE": ("ka", "მილოცვები წინასწარი ნახვა",
              ["ყველა 6", "გასაგზავნი 3", "გაგზავნილი 0", "გაერთიანებული 1", "გამოტოვებული 1", "შეცდომები 1"],
              "სამშაბათი, 22 დეკემბერი 2026", "პარ 25.12 08:30", "50 წელი", "წერილის გახსნა →",
              "გამოტოვება: გაერთიანებულია", "შაბლონის შეცდომა", '"ნაჩვენებია "'),
    # Croatian and Bosnian had no table: their teams read English. Months are CLDR's (hr «prosinca»)
    "hr_HR": ("hr", "Čestitke pregled",
              ["Sve 6", "Za slanje 3", "Poslano 0", "Spojeno 1", "Preskočeno 1", "Pogreške 1"],
              "Utorak, 22. prosinca 2026.", "Pet 25. 12. 08:30", "50 godina", "Otvorite pismo →",
              "preskočeno: spojeno", "pogreška u predlošku", '"Prikazano "'),
    "bs": ("bs", "Čestitke pregled",
           ["Sve 6", "Za slanje 3", "Poslano 0", "Spojeno 1", "Preskočeno 1", "Greške 1"],
           "Utorak, 22. decembar 2026.", "Pet 25. 12. 08:30", "50 godina", "Otvorite pismo →",
           "preskočeno: spojeno", "greška u šablonu", '"Prikazano "'),
}  # fmt: skip


@pytest.mark.parametrize("locale", sorted(GALLERIES))
def test_a_team_with_a_table_reads_its_gallery_in_its_language(locale: str, tmp_path: Path) -> None:
    """German, Estonian, Hungarian and Serbian teams got the English gallery; each has its words now."""
    lang, h1, buttons, day, when, years, link, merged, error, script = GALLERIES[locale]
    write_gallery(russian_letters(), tmp_path, start=START, days=14, now=NOW, sender=SHOP, locale=locale)
    index = parse(tmp_path / "index.html")
    assert next(index.find("html")).attrs["lang"] == lang
    assert " ".join(next(index.find("h1")).all_text().split()) == h1
    assert [" ".join(b.all_text().split()) for b in index.find("button")] == buttons
    assert next(index.find(cls="day-name")).all_text() == day
    c = cards(index)
    assert next(c["card-1"].find(cls="when")).all_text() == when
    assert next(c["card-1"].find(cls="years")).all_text() == years
    assert ["".join(a.text) for a in c["card-1"].find("a")][-1] == link  # its seen words
    assert next(c["card-2"].find(cls="badge")).all_text() == merged
    stats = {s.attrs["data-count"]: [t.all_text() for t in s.find("span")] for s in index.find("div", "stat")}
    assert stats["error"][:2] == ["1", error]
    (code,) = index.find("script")
    assert script in code.all_text() and '"Showing "' not in code.all_text()
    # none of English's own words is left on the page (those the language shares, "HTML", aside)
    table = TABLES[ui_for(locale).tag]
    words = chrome_text(index, [], machine=False)
    assert [t for t in words if t.strip() in ENGLISH.values() and t.strip() not in table.values()] == []
    chrome = chrome_text(index, [])
    if lang == "sr-Latn":  # the Latin team reads no Cyrillic but the letters' own
        assert [t for t in chrome if CYRILLIC.search(t)] == []
    page = parse(tmp_path / "drafts/2026-12-25/1.html")
    assert next(page.find("html")).attrs["lang"] == lang
    assert [dt.all_text() for dt in page.find("dt")] == [
        *(table[k] for k in ("meta.from", "meta.to", "meta.when", "meta.template")),
        "ID",  # the contact's, as `greeter approve --contact` takes it: the same word in every language
    ]


def test_a_german_project_previews_and_exports_in_german(tmp_path: Path) -> None:
    """``greeter init --locale de`` starts a German team: its gallery and calendar were English."""
    project = tmp_path / "de"
    made = CliRunner().invoke(main, ["init", str(project), "--locale", "de"])
    assert made.exit_code == 0, made.output
    config = project / "greeter.yaml"
    window = ["--from", "2026-12-14", "--days", "14", "--now", "2026-12-13T10:00+01:00"]
    out = project / "gallery"
    result = CliRunner().invoke(
        main, ["--config", str(config), "preview", *window, "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    index = parse(out / "index.html")
    assert next(index.find("html")).attrs["lang"] == "de"
    assert " ".join(next(index.find("h1")).all_text().split()) == "Glückwünsche Vorschau"
    assert [n.all_text() for n in index.find(cls="day-name")][:2] == [
        "Montag, 14. Dezember 2026", "Dienstag, 15. Dezember 2026",
    ]  # fmt: skip
    assert next(index.find(cls="page-foot")).all_text() == (
        "greeter preview · Versandzeiten in der Zeitzone des jeweiligen Empfängers"
    )
    mueller = next(c for c in cards(index).values() if "client01@example.com" in c.attrs["data-search"])
    assert next(mueller.find(cls="years")).all_text() == "55 Jahre"
    assert ["".join(a.text) for a in mueller.find("a")][-1] == "Nachricht öffnen →"
    merged = next(c for c in cards(index).values() if c.attrs["data-status"] == "merged")
    assert next(merged.find(cls="badge")).all_text() == "übersprungen: zusammengeführt"

    ics = project / "greetings.ics"
    result = CliRunner().invoke(main, ["--config", str(config), "calendar", *window, "-o", str(ics)])
    assert result.exit_code == 0, result.output
    event = next(
        e for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT") if "client01@" in str(e["DESCRIPTION"])
    )
    assert str(event["SUMMARY"]) == (
        "Glückwunsch: Thomas Müller – Geburtstag 15. Dezember (55 Jahre), Weihnachten 25. Dezember"
    )
    lines = str(event["DESCRIPTION"]).splitlines()
    assert re.fullmatch(r"Versand am 15\. Dezember 2026 um \d\d:\d\d Uhr CET, Ortszeit des Empfängers "
                        r"\(Europe/Berlin\)", lines[0])  # fmt: skip
    assert lines[1:] == [
        "Anlass: Geburtstag 15. Dezember (55 Jahre)",
        "In derselben Nachricht: Weihnachten 25. Dezember",
        "An: Thomas Müller <client01@example.com> (ID 5001)",
        "Unternehmen: Müller & Söhne GmbH",
    ]
