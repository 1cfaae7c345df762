"""The contacts loader's sentences about a bad cell in the German … Bosnian galleries (greeter.gallery_why_contacts).

An ``invalid_contact`` card of a German gallery read «'31.02.1980' is not a
real date: February has no 31st; birthday greetings are skipped for this
contact» — only the Russian gallery worded the loader's sentences. The
sentences here are made by the loader itself (:func:`bad_date` reads a CSV
row, :func:`greeter.occasions.implausible`), so a change of its wording shows
as an English card in these tests.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.contact_forms import CONTACT_FORMS
from greeter.gallery_lang import ui_for
from greeter.gallery_why import SENTENCES
from greeter.occasions import implausible
from tests.test_gallery_words import DAY_FIRST, bad_date

LOCALES = ("de", "et", "hu", "sr", "sr_Latn", "hr", "bs", "uk", "ka")
TITLES = {"birthday": "Geburtstag", "new_year": "Neujahr"}
#: The loader's own words: none may be left on a card (the value, a format and a field stay as written).
ENGLISH = re.compile(r"\b(?:is not|greetings|skipped|month|written|read as|leap|future|gives|years?|add)\b")

#: Every kind of bad date cell the loader words, with the formats it is read with.
BAD_VALUES = [
    ("31.02.1980", DAY_FIRST), ("29.02.1981", DAY_FIRST), ("13.13.1980", DAY_FIRST),
    ("00.05.1980", DAY_FIRST), ("32.05.1980", DAY_FIRST), ("02/29/1980", ("%d/%m/%Y",)),
    ("29221", DAY_FIRST), ("1960/01/07", DAY_FIRST), ("10/12/1979", DAY_FIRST),
    ("8 декабря 1973", DAY_FIRST), ("8 Dec. 1973", DAY_FIRST), ("December 8, 1973", DAY_FIRST),
    ("не помню", DAY_FIRST),
]  # fmt: skip

IMPLAUSIBLE = [
    implausible("birthday", date(2030, 12, 18), -3, date(2027, 1, 1), 120),
    implausible("birthday", date(2027, 12, 18), 0, date(2027, 1, 1), 120),
    implausible("birthday", date(1900, 1, 1), 127, date(2027, 1, 1), 120),
    implausible("first_deal", date(1975, 5, 1), 51, date(2026, 6, 1), 50),
    implausible("birthday", date(2020, 12, 20), 6, date(2027, 1, 1), 120, 14),
    implausible("birthday", date(2026, 12, 20), 1, date(2027, 1, 1), 120, 14),
]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_bad_date_the_loader_words_reads_in_the_gallerys_language(tmp_path: Path, locale: str) -> None:
    """Each way a date cell is no date, each hint after it, and the occasions it costs: none left in English."""
    sentences = [bad_date(tmp_path, value, formats) for value, formats in BAD_VALUES]
    sentences.append(bad_date(tmp_path, "31.02.1980", occasions=("birthday", "name_day", "new_year")))
    said = [ui_for(locale).detail(s, TITLES) for s in sentences]
    assert [(s, d) for s, d in zip(sentences, said, strict=True) if d == s or ENGLISH.search(d or "")] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_implausible_date_reads_in_the_gallerys_language(locale: str) -> None:
    said = [ui_for(locale).detail(s, TITLES) for s in IMPLAUSIBLE]
    assert [(s, d) for s, d in zip(IMPLAUSIBLE, said, strict=True) if d == s or ENGLISH.search(d or "")] == []


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("de", "'31.02.1980' – dieses Datum gibt es nicht: der Februar hat keinen 31. Tag; die Glückwünsche zu"
               " „Geburtstag“, „name_day“ und „Neujahr“ entfallen für diesen Kontakt"),
        ("et", "'31.02.1980' – sellist kuupäeva pole: sellist kuupäeva nagu 31. veebruar pole olemas; õnnitlused"
               " („Geburtstag“, „name_day“ ja „Neujahr“) jäävad sellele kontaktile saatmata"),
        ("hu", "'31.02.1980' – nincs ilyen dátum: február 31. nem létezik; ennél az ügyfélnél kimaradnak ezek"
               " az üdvözletek: „Geburtstag”, „name_day” és „Neujahr”"),
        ("sr", "'31.02.1980' – такав датум не постоји: фебруар нема 31. дана; честитке „Geburtstag“, „name_day“"
               " и „Neujahr“ се за овај контакт прескачу"),
        ("sr_Latn", "'31.02.1980' – takav datum ne postoji: februar nema 31. dana; čestitke „Geburtstag“,"
                    " „name_day“ i „Neujahr“ se za ovaj kontakt preskaču"),
        ("hr", "'31.02.1980' – takav datum ne postoji: veljača nema 31. dana; čestitke „Geburtstag”, „name_day”"
               " i „Neujahr” za ovaj se kontakt preskaču"),
        ("bs", "'31.02.1980' – takav datum ne postoji: februar nema 31. dana; čestitke „Geburtstag”, „name_day”"
               " i „Neujahr” za ovaj se kontakt preskaču"),
        ("ka", "'31.02.1980' — ასეთი თარიღი არ არსებობს: კალენდარში 31 თებერვალი არ არის; ამ კონტაქტს არ"
               " გაეგზავნება მილოცვები: „Geburtstag“, „name_day“ და „Neujahr“"),
    ],
)  # fmt: skip
def test_a_bad_date_names_its_month_and_every_occasion_it_costs(
    tmp_path: Path, locale: str, said: str
) -> None:
    """The month in the language (Croatian «veljača»), the titles quoted and joined as the language does."""
    sentence = bad_date(tmp_path, "31.02.1980", occasions=("birthday", "name_day", "new_year"))
    assert ui_for(locale).detail(sentence, TITLES) == said


@pytest.mark.parametrize(
    ("locale", "value", "said"),
    [
        ("de", "10/12/1979",
         "'10/12/1979' – passt zu keinem Format in contacts.date_formats (%d.%m.%Y, %Y-%m-%d); im Format „%d/%m/%Y“ ist"
         " das der 10.12.1979, im Format „%m/%d/%Y“ der 12.10.1979 (das Format, in dem das CRM schreibt, zu"
         " contacts.date_formats hinzufügen)"),
        ("hu", "29221",
         "'29221' – számként mentett Excel-dátumnak tűnik (1980. 01. 01.): exportálás előtt adjon az oszlopnak"
         " dátumformátumot az Excelben (vagy exportálja a dátumokat szövegként)"),
        ("sr", "8 декабря 1973",
         "'8 декабря 1973' – не одговара ниједном формату из contacts.date_formats (%d.%m.%Y, %Y-%m-%d); то је 8. 12."
         " 1973., месец је написан речју, а руске називе месеци не чита ниједан формат датума: извозите датуме"
         " из CRM-а бројевима (дд.мм.гггг)"),
        ("hr", "29.02.1981",
         "'29.02.1981' – takav datum ne postoji: 1981. nije prijestupna godina, pa u njoj nema 29. 2."),
        ("et", "December 8, 1973",
         "'December 8, 1973' – ei sobi ühegi vorminguga loendist contacts.date_formats (%d.%m.%Y, %Y-%m-%d); see on"
         " 08.12.1973, kuu on kirjutatud sõnaga: lisage „%B %d, %Y“ loendisse contacts.date_formats, kui CRM"
         " kirjutab kuupäevi nii"),
    ],
)  # fmt: skip
def test_a_bad_dates_other_reading_is_a_day_in_the_languages_date(
    tmp_path: Path, locale: str, value: str, said: str
) -> None:
    tail = {"de": "die Glückwünsche zu „Geburtstag“ entfallen für diesen Kontakt",
            "hu": "ennél az ügyfélnél kimaradnak ezek az üdvözletek: „Geburtstag”",
            "sr": "честитке „Geburtstag“ се за овај контакт прескачу",
            "hr": "čestitke „Geburtstag” za ovaj se kontakt preskaču",
            "et": "õnnitlused („Geburtstag“) jäävad sellele kontaktile saatmata"}[locale]  # fmt: skip
    assert ui_for(locale).detail(bad_date(tmp_path, value), TITLES) == f"{said}; {tail}"


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("de", "Feld birthday: 20.12.2020 ergibt 6 Jahre (weniger als 14: min_years); wohl ohne Jahr eingegeben"
               " und so mit dem Jahr der Eingabe versehen: als 20.12 oder --12-20 schreiben"),
        ("et", "väli birthday: 20.12.2020 annab 6 aastat (alla 14: min_years); ilmselt sisestati päev aastata ja"
               " see sai sisestamise aasta: kirjutage see kujul 20.12 või --12-20"),
        ("hu", "birthday mező: 2020. 12. 20. alapján 6 év (kevesebb mint 14: min_years); valószínűleg év nélkül"
               " írták be, és a beírás évét kapta: írja így: 20.12 vagy --12-20"),
        ("sr", "поље birthday: 20. 12. 2020. – 6 година (мање од 14: min_years); изгледа да је дан унет без"
               " године и добио годину уноса: упишите га као 20.12 или --12-20"),
        ("bs", "polje birthday: 20. 12. 2020. – 6 godina (manje od 14: min_years); čini se da je dan unesen bez"
               " godine i dobio godinu unosa: upišite ga kao 20.12 ili --12-20"),
        ("ka", "ველი birthday: 20.12.2020 — გამოდის 6 წელი (14-ზე ნაკლები: min_years); როგორც ჩანს, დღე წლის"
               " გარეშე შეიყვანეს და მას შეყვანის წელი მიენიჭა: ჩაწერეთ ასე: 20.12 ან --12-20"),
    ],
)  # fmt: skip
def test_a_birthday_under_min_years_reads_in_the_gallerys_language(locale: str, said: str) -> None:
    """The QA review's second sentence: a day typed without its year, six years old under ``min_years: 14``."""
    assert ui_for(locale).detail(IMPLAUSIBLE[4], TITLES) == said


def test_every_table_words_every_loader_sentence() -> None:
    """A language with the planner's forms but not the loader's would show an English ``invalid_contact``."""
    keys = {key for key, _ in CONTACT_FORMS}
    assert {tag: sorted(keys - set(table)) for tag, table in SENTENCES.items()} == {
        tag: [] for tag in SENTENCES
    }


def test_a_german_gallery_words_the_bad_rows_of_its_contacts(tmp_path: Path) -> None:
    """The review's reproduction: a German starter with a 31 February and a six-year-old's birthday."""
    runner = CliRunner()
    project = tmp_path / "de"
    assert runner.invoke(main, ["init", str(project), "--locale", "de"]).exit_code == 0
    contacts = project / "data" / "contacts.csv"
    with contacts.open("a", encoding="utf-8", newline="") as out:
        out.write(
            "6001;bad01@example.com;Fehler;Eva;weiblich;X GmbH;Europe/Berlin;de;VIP;;31.02.1980;;;DE\r\n"
        )
        out.write("6002;bad02@example.com;Jung;Max;männlich;Y GmbH;Europe/Berlin;de;VIP;;20.12.2020;;;DE\r\n")
    gallery = tmp_path / "g"
    result = runner.invoke(
        main,
        ["--config", str(project / "greeter.yaml"), "preview", "--from", "2026-12-01", "--days", "60", "--format",
         "html", "--out", str(gallery), "--now", "2026-12-01T09:00:00+01:00"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    details = re.findall(r'<p class="detail">(.*?)</p>', (gallery / "index.html").read_text(encoding="utf-8"))
    bad = [d for d in details if "31.02.1980" in d or "20.12.2020" in d]
    assert bad == [
        "&#x27;31.02.1980&#x27; – dieses Datum gibt es nicht: der Februar hat keinen 31. Tag; die Glückwünsche"
        " zu „Geburtstag“ entfallen für diesen Kontakt",
        "Feld birthday: 20.12.2020 ergibt 6 Jahre (weniger als 14: min_years); wohl ohne Jahr eingegeben und so"
        " mit dem Jahr der Eingabe versehen: als 20.12 oder --12-20 schreiben",
    ]


def test_a_georgian_gallery_words_the_bad_rows_of_its_contacts(tmp_path: Path) -> None:
    """``greeter init --locale ka``: a Georgian gallery's skipped cards read the loader's English under a Georgian badge."""
    runner = CliRunner()
    project = tmp_path / "ka"
    assert runner.invoke(main, ["init", str(project), "--locale", "ka"]).exit_code == 0
    with (project / "data" / "contacts.csv").open("a", encoding="utf-8", newline="") as out:
        out.write("6001;bad01@example.com;ბერიძე;ნინო;ქალი;;Asia/Tbilisi;ka;VIP;;31.02.1980;;;GE\r\n")
        out.write("6002;bad02@example.com;კაპანაძე;ლაშა;კაცი;;Asia/Tbilisi;ka;VIP;;20.12.2020;;;GE\r\n")
    gallery = tmp_path / "g"
    result = runner.invoke(
        main,
        ["--config", str(project / "greeter.yaml"), "preview", "--from", "2026-12-01", "--days", "60", "--format",
         "html", "--out", str(gallery), "--now", "2026-12-01T09:00:00+04:00"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    details = re.findall(r'<p class="detail">(.*?)</p>', (gallery / "index.html").read_text(encoding="utf-8"))
    assert sorted(d for d in details if "31.02.1980" in d or "20.12.2020" in d) == [
        "&#x27;31.02.1980&#x27; — ასეთი თარიღი არ არსებობს: კალენდარში 31 თებერვალი არ არის; ამ კონტაქტს არ"
        " გაეგზავნება მილოცვები: „დაბადების დღე“",
        "ველი birthday: 20.12.2020 — გამოდის 6 წელი (14-ზე ნაკლები: min_years); როგორც ჩანს, დღე წლის გარეშე"
        " შეიყვანეს და მას შეყვანის წელი მიენიჭა: ჩაწერეთ ასე: 20.12 ან --12-20",
    ]
