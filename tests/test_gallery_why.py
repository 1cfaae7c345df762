"""The gallery and calendar in the team's own language: the planner's skip sentences (greeter.gallery_why),
a territory's month names (de_AT «Jänner») and Serbian Latin's script in the calendar.

The sentences are made by the planner's own functions where they are plain
functions, so a change of its wording shows here as an untranslated card.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from string import Formatter
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from greeter.audience import AudienceRule
from greeter.cap_rules import _refusal, _too_close
from greeter.cli import main
from greeter.config import Audience, FrequencyCap
from greeter.contacts import Contact
from greeter.gallery import write_gallery
from greeter.gallery_lang import ui_for
from greeter.gallery_why import FORMS, SENTENCES
from greeter.ics_export import calendar_chunks, occasion_words
from greeter.plan_types import Hit, PlanItem
from greeter.planner import _expired_detail
from tests.test_gallery import NOW, SHOP, START, cards, parse, sample

CAP = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)
CYRILLIC = re.compile("[\u0400-\u04ff]")
CARRY = (
    "the birthday letter of 2026-12-30 would carry it 5 days after its day (merge_max_days_late 0);"
    " alone it would come only 6 days from the greeting of 2026-12-30 (min_gap_days 14)"
)


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def client(**fields: object) -> Contact:
    return Contact(id="1", email="a@example.com", first_name="Anna", **fields)  # type: ignore[arg-type]


SENT = {
    "tier": AudienceRule.of(Audience(tiers=["VIP"])).why_not(client(tier="regular"), 10),
    "round_years": AudienceRule.of(Audience(round_years=5)).why_not(client(), 21),
    "too_close": _too_close(day("2026-12-29"), day("2026-12-28"), CAP),
    "max_count": _refusal(day("2026-12-31"), [day(f"2026-{m:02}-01") for m in range(1, 7)], CAP),
    "journal": "the journal already has this greeting (failed): the server said 550",
    "carry": CARRY,
}

SAID = {
    "de": {
        "tier": "die Kategorie „regular“ ist nicht unter den zugelassenen: VIP",
        "round_years": "21 Jahre – kein rundes Jubiläum (kein Vielfaches von 5: round_years)",
        "too_close": "nur 1 Tag Abstand zum Glückwunsch vom 28.12.2026 (min_gap_days 14)",
        "max_count": "wäre Glückwunsch Nr. 7 innerhalb von 365 Tagen (max_count 6)",
        "journal": "dieser Glückwunsch steht bereits im Versandprotokoll (vom Server abgelehnt)",
        "carry": "mit der Nachricht „Geburtstag“ vom 30.12.2026 käme der Glückwunsch 5 Tage nach dem Tag des"
        " Anlasses (merge_max_days_late 0); als eigene Nachricht: nur 6 Tage Abstand zum Glückwunsch vom 30.12.2026"
        " (min_gap_days 14)",
    },
    "et": {
        "tier": "kategooria „regular“ ei ole lubatute hulgas: VIP",
        "round_years": "21 aastat – pole ümmargune tähtpäev (ei ole arvu 5 kordne: round_years)",
        "too_close": "vahe õnnitlusega 28.12.2026 on vaid 1 päev (min_gap_days 14)",
        "max_count": "oleks 7. õnnitlus 365 päeva jooksul (max_count 6)",
        "journal": "see õnnitlus on juba saatmislogis (server keeldus)",
        "carry": "kirjaga „Geburtstag“ (30.12.2026) jõuaks õnnitlus kohale 5 päeva pärast tähtpäeva"
        " (merge_max_days_late 0); eraldi kirjana: vahe õnnitlusega 30.12.2026 on vaid 6 päeva (min_gap_days 14)",
    },
    "hu": {
        "tier": "a kategória („regular”) nem szerepel az engedélyezettek között: VIP",
        "round_years": "21 év – nem kerek évforduló (5 többszöröse kell: round_years)",
        "too_close": "csak 1 nap választja el egy másik üdvözlettől (2026. 12. 28.; min_gap_days 14)",
        "max_count": "365 napon belül 7. üdvözletként menne ki (max_count 6)",
        "journal": "ez az üdvözlet már szerepel a küldési naplóban (a szerver elutasította)",
        "carry": "ebben a levélben („Geburtstag”, 2026. 12. 30.) az üdvözlet 5 nappal az alkalom napja után menne ki"
        " (merge_max_days_late 0); külön levélként: csak 6 nap választja el egy másik üdvözlettől"
        " (2026. 12. 30.; min_gap_days 14)",
    },
    "sr": {
        "tier": "категорија „regular“ није међу дозвољенима: VIP",
        "round_years": "21 година – није округли јубилеј (умножак броја 5: round_years)",
        "too_close": "само 1 дан размака од честитке 28. 12. 2026. (min_gap_days 14)",
        "max_count": "била би 7. честитка у року од 365 дана (max_count 6)",
        "journal": "ова честитка је већ у дневнику слања (сервер је одбио)",
        "carry": "у писму „Рођендан“ (30. 12. 2026.) честитка би била послата 5 дана после дана повода"
        " (merge_max_days_late 0); као засебно писмо: само 6 дана размака од честитке 30. 12. 2026. (min_gap_days 14)",
    },
    "sr_Latn": {
        "tier": "kategorija „regular“ nije među dozvoljenima: VIP",
        "round_years": "21 godina – nije okrugli jubilej (umnožak broja 5: round_years)",
        "too_close": "samo 1 dan razmaka od čestitke 28. 12. 2026. (min_gap_days 14)",
        "max_count": "bila bi 7. čestitka u roku od 365 dana (max_count 6)",
        "journal": "ova čestitka je već u dnevniku slanja (server je odbio)",
        # the config's Cyrillic title, in the Latin team's script
        "carry": "u pismu „Rođendan“ (30. 12. 2026.) čestitka bi bila poslata 5 dana posle dana povoda"
        " (merge_max_days_late 0); kao zasebno pismo: samo 6 dana razmaka od čestitke 30. 12. 2026. (min_gap_days 14)",
    },
    "hr_HR": {
        "tier": "kategorija „regular” nije među dopuštenima: VIP",
        "round_years": "21 godina – nije okrugla obljetnica (višekratnik broja 5: round_years)",
        "too_close": "samo 1 dan razmaka od čestitke 28. 12. 2026. (min_gap_days 14)",
        "max_count": "bila bi 7. čestitka u roku od 365 dana (max_count 6)",
        "journal": "ova je čestitka već u dnevniku slanja (poslužitelj je odbio)",
        "carry": "u pismu „Rođendan” (30. 12. 2026.) čestitka bi bila poslana 5 dana nakon dana povoda"
        " (merge_max_days_late 0); kao zasebno pismo: samo 6 dana razmaka od čestitke 30. 12. 2026. (min_gap_days 14)",
    },
    "bs": {
        "tier": "kategorija „regular” nije među dozvoljenima: VIP",
        "round_years": "21 godina – nije okrugla godišnjica (umnožak broja 5: round_years)",
        "too_close": "samo 1 dan razmaka od čestitke 28. 12. 2026. (min_gap_days 14)",
        "max_count": "bila bi 7. čestitka u roku od 365 dana (max_count 6)",
        "journal": "ova je čestitka već u dnevniku slanja (server je odbio)",
        "carry": "u pismu „Rođendan” (30. 12. 2026.) čestitka bi bila poslana 5 dana nakon dana povoda"
        " (merge_max_days_late 0); kao zasebno pismo: samo 6 dana razmaka od čestitke 30. 12. 2026. (min_gap_days 14)",
    },
    "uk_UA": {
        "tier": "категорія «regular» не з: VIP",
        "round_years": "21 рік — не кругла дата (кратні 5: round_years)",
        "too_close": "лише 1 день від привітання 28.12.2026 (min_gap_days 14)",
        "max_count": "було б 7-м привітанням за 365 днів (max_count 6)",
        "journal": "у журналі вже є це привітання (відмова сервера)",
        "carry": "лист «День народження» 30.12.2026 привітав би з ним через 5 днів після його дня"
        " (merge_max_days_late 0); окремим листом: лише 6 днів від привітання 30.12.2026 (min_gap_days 14)",
    },
    "ka": {
        "tier": "კატეგორია „regular“ არ არის დაშვებულთა შორის: VIP",
        "round_years": "21 წელი — არ არის საიუბილეო თარიღი (უნდა იყოს 5-ის ჯერადი: round_years)",
        "too_close": "სხვა მილოცვიდან (28.12.2026) დაშორებულია მხოლოდ 1 დღით (min_gap_days 14)",
        "max_count": "365 დღის განმავლობაში ეს იქნებოდა მე-7 მილოცვა (max_count 6)",
        "journal": "ეს მილოცვა ჟურნალში უკვე ჩაწერილია (სერვერმა უარი თქვა)",
        "carry": "მილოცვა გაიგზავნებოდა წერილში „დაბადების დღე“ (30.12.2026), მიზეზის დღიდან 5 დღის შემდეგ"
        " (merge_max_days_late 0); ცალკე წერილით: სხვა მილოცვიდან (30.12.2026) დაშორებულია მხოლოდ 6 დღით"
        " (min_gap_days 14)",
    },
}
TITLES = {
    "de": "Geburtstag", "et": "Geburtstag", "hu": "Geburtstag", "sr": "Рођендан", "sr_Latn": "Рођендан",
    "hr_HR": "Rođendan", "bs": "Rođendan", "uk_UA": "День народження", "ka": "დაბადების დღე",
}  # fmt: skip


@pytest.mark.parametrize(("locale", "what"), [(loc, what) for loc in SAID for what in SENT])
def test_a_skip_reads_in_the_gallerys_language(locale: str, what: str) -> None:
    """A German, Estonian, Hungarian or Serbian card said why a draft is skipped in English."""
    ui = ui_for(locale)
    assert ui.detail(SENT[what], {"birthday": TITLES[locale]}) == SAID[locale][what]


@pytest.mark.parametrize("tag", sorted(SENTENCES))
def test_every_table_has_every_form_with_only_its_values(tag: str) -> None:
    """A form a table lacks is English on a card; a value a form has not would stop the gallery (KeyError)."""
    table = SENTENCES[tag]
    for key, pattern in FORMS:
        names = {name for _, name, _, _ in Formatter().parse(table[key]) if name is not None}
        values = {*pattern.groupindex, "leap_day"}  # leap_day: any sentence's (29 February)
        assert names <= values, (tag, key, names - values)
    words = ("days.", "state.", "language.", "list.", "quote", "leaving")  # the words values are said with
    assert {k for k in table if not k.startswith(words)} == {key for key, _ in FORMS}


def test_no_hungarian_sentence_guesses_its_article() -> None:
    """«a(z) „Születésnap” levél», «a(z) 7. üdvözlet»: the article a title or a number takes was left to the reader."""
    assert [key for key, text in SENTENCES["hu"].items() if "a(z)" in text] == []


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("de", "verpasst: das nächste Versandfenster (29.02.) liegt mehr als 3 Tage nach dem geplanten Versandtag (24.12.)"),
        ("hu", "elmaradt: a következő küldési ablak (febr. 29.) több mint 3 nappal később van, mint a levél"
               " tervezett kiküldési napja (dec. 24.)"),
        ("sr", "пропуштено: следећи термин слања (29. 2.) је више од 3 дана после планираног дана слања (24. 12.)"),
        ("hr_HR", "propušteno: sljedeći termin slanja (29. 2.) više je od 3 dana nakon planiranog dana slanja (24. 12.)"),
        ("ka", "გამოტოვებულია: გაგზავნის შემდეგი შესაძლებლობა (29.02) 3 დღეზე მეტით გვიანაა, ვიდრე წერილის"
               " გაგზავნის დაგეგმილი დღე (24.12)"),
    ],
)  # fmt: skip
def test_a_missed_window_says_its_days_as_the_language_writes_them(locale: str, said: str) -> None:
    """The planner's «24.12» stood as written: German lacked its final dot, Hungarian read the day first."""
    sentence = _expired_detail((date(2028, 2, 29), date(2027, 12, 24), True), None, 3)
    assert ui_for(locale).detail(sentence, {}) == said


@pytest.mark.parametrize("locale", sorted(SAID))
def test_a_sentence_or_part_not_known_stays_as_the_planner_wrote_it(locale: str) -> None:
    """Better the planner's English than a guess, and never half of each."""
    ui = ui_for(locale)
    for sentence in (
        "a sentence the planner has not written yet",
        "the journal already has this greeting (unheard_of)",
        "on its day 2027-01-01: a sentence the planner has not written yet",
    ):
        assert ui.detail(sentence, {}) == sentence


def test_machine_words_and_english_stay_as_written() -> None:
    assert ui_for("en").detail(SENT["too_close"], {}) == SENT["too_close"]
    assert ui_for("fi").detail(CARRY, {}) == CARRY


def test_a_german_gallery_says_the_planners_skip_in_german(tmp_path: Path) -> None:
    """``greeter init --locale de``: Schneider's Christmas card read the planner's English under a German badge."""
    project = tmp_path / "de"
    made = CliRunner().invoke(main, ["init", str(project), "--locale", "de"])
    assert made.exit_code == 0, made.output
    out = tmp_path / "gallery"
    window = ["--from", "2026-12-24", "--days", "2", "--now", "2026-12-13T10:00+01:00"]
    result = CliRunner().invoke(
        main,
        [
            "--config",
            str(project / "greeter.yaml"),
            "preview",
            *window,
            "--format",
            "html",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    skipped = [c for c in cards(parse(out / "index.html")).values() if c.attrs["data-status"] == "skip"]
    capped = [c for c in skipped if next(c.find(cls="badge")).attrs["class"] == "badge badge-frequency_cap"]
    assert [next(c.find(cls="detail")).all_text() for c in capped] == [SAID["de"]["carry"]]
    # the planner's own sentence stays in the badge's tooltip, for grep (labelled in German)
    assert (
        next(capped[0].find(cls="badge")).attrs["title"]
        == f"für Protokolle und JSON: frequency_cap — {CARRY}"
    )


def test_an_austrian_team_reads_jaenner() -> None:
    """de_AT's gallery and calendar said «Januar»: the table's bare ``de`` went to Babel, not the territory."""
    austrian, german = ui_for("de_AT"), ui_for("de")
    assert austrian.long_day(date(2027, 1, 5)) == "Dienstag, 5. Jänner 2027"
    assert german.long_day(date(2027, 1, 5)) == "Dienstag, 5. Januar 2027"
    assert ui_for("de-AT").locale == "de_AT"
    anna = Hit(
        contact=client(), occasion="birthday", date=date(2027, 1, 8), years=42, priority=50, template="b"
    )
    assert occasion_words(anna, {"birthday": "Geburtstag"}, austrian) == "Geburtstag 8. Jänner (42 Jahre)"
    # a script stays the table's, and a language without a table reads international English
    assert (ui_for("sr_ME").locale, ui_for("en_US").locale, ui_for("fi_FI").locale) == (
        "sr_Latn_ME", "en_001", "en_001",
    )  # fmt: skip


def serbian_event(locale: str, first: str, last: str, company: str) -> tuple[str, str]:
    """The SUMMARY and DESCRIPTION of one Serbian client's New Year event in a ``locale`` team's calendar."""
    zone = ZoneInfo("Europe/Belgrade")
    person = Contact(id="7", email="m@example.rs", first_name=first, last_name=last, company=company)
    hit = Hit(
        contact=person, occasion="new_year", date=date(2027, 1, 1), years=None, priority=50, template="ny"
    )
    item = PlanItem(hit, "send", send_at=datetime(2026, 12, 29, 11, 18, tzinfo=zone))
    ics = b"".join(
        calendar_chunks(
            [item], now=datetime(2026, 12, 1, tzinfo=zone), domain="example.rs", name="x",
            titles={"new_year": "Нова година"}, timezone="Europe/Belgrade", locale=locale,
        )
    )  # fmt: skip
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    return str(event["SUMMARY"]), str(event["DESCRIPTION"])


def test_a_serbian_latin_calendar_is_written_in_latin() -> None:
    """sr_Latn's events read «Čestitka: Марко Петровић – Нова година»: the names and titles kept Cyrillic."""
    summary, description = serbian_event("sr_Latn", "Марко", "Петровић", "Дунав д.о.о.")
    assert summary == "Čestitka: Marko Petrović – Nova godina 1. januara"
    assert "Za: Marko Petrović <m@example.rs>" in description
    assert "Preduzeće: Dunav d.o.o." in description
    assert CYRILLIC.search(summary + description) is None


def test_a_serbian_cyrillic_calendar_writes_a_serbian_latin_name_in_cyrillic() -> None:
    """As the Cyrillic letters do (greeter.i18n_script); a foreign name stays as typed."""
    summary, _ = serbian_event("sr", "Ljubomir", "Njegovan", "")
    assert summary == "Честитка: Љубомир Његован – Нова година 1. јануара"
    assert serbian_event("sr", "John", "Smith", "")[0].startswith("Честитка: John Smith –")


def test_a_serbian_latin_gallery_writes_the_configs_cyrillic_titles_in_latin(tmp_path: Path) -> None:
    """Its merged card read «čestitka će biti poslata u pismu „Рођендан“»: the title kept its Cyrillic."""
    titles = {"birthday": "Рођендан", "new_year": "Нова година"}
    write_gallery(
        sample(), tmp_path, start=START, days=14, now=NOW, sender=SHOP, locale="sr_Latn", titles=titles
    )
    merged = next(
        c for c in cards(parse(tmp_path / "index.html")).values() if c.attrs["data-status"] == "merged"
    )
    occasion, detail = (
        next(merged.find(cls="occasion")).all_text(),
        next(merged.find(cls="detail")).all_text(),
    )
    assert occasion.startswith("Nova godina") and "→ Rođendan" in occasion
    assert detail.startswith("čestitka će biti poslata u pismu „Rođendan“")
