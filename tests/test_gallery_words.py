"""The gallery's Russian for the planner's skip sentences (greeter.gallery_words).

The sentences are made here by the planner's own functions wherever they are
plain functions, so a change of the planner's wording shows up as an untranslated
(English) card in these tests, not in a marketer's gallery.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.audience import AudienceRule
from greeter.cap_rules import _refusal, _too_close
from greeter.cli import main
from greeter.config import Audience, Defaults, FrequencyCap, Occasion
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact
from greeter.gallery_words import russian_detail
from greeter.occasions import implausible
from greeter.sources import date_occasions, load_contacts
from tests.conftest import ROOT, MakeProject, contact_row

TITLES = {"new_year": "Новый год", "birthday": "День рождения"}
CAP = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)


def client(**fields: object) -> Contact:
    return Contact(id="1", email="a@example.com", first_name="Иван", **fields)  # type: ignore[arg-type]


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


@pytest.mark.parametrize(
    ("sentence", "russian"),
    [
        (AudienceRule.of(Audience(tiers=["VIP"])).why_not(client(tier="regular"), 10),
         "категория «regular» не из: VIP"),
        (AudienceRule.of(Audience(tiers=["VIP"])).why_not(client(), 10),
         "у контакта нет категории, нужна одна из: VIP"),
        (AudienceRule.of(Audience(tags=["23feb"])).why_not(client(), 10),
         "нет ни одного из тегов 23feb (теги контакта: нет)"),
        (AudienceRule.of(Audience(tags=["8mar"])).why_not(client(tags=frozenset({"23feb"})), 10),
         "нет ни одного из тегов 8mar (теги контакта: 23feb)"),
        (AudienceRule.of(Audience(locales=["sr", "sr_Latn"]), "", "hu").why_not(client(), 10),
         "язык письма hu не из: sr, sr_Latn"),
        (AudienceRule.of(Audience(contacts=["2"])).why_not(client(), 10),
         "не в списке контактов этого повода (audience.contacts)"),
        (AudienceRule.of(Audience(round_years=5)).why_not(client(), 11),
         "11 лет — не круглая дата (кратные 5: round_years)"),
        (AudienceRule.of(Audience(round_years=5)).why_not(client(), 21),
         "21 год — не круглая дата (кратные 5: round_years)"),
        (AudienceRule.of(Audience(round_years=5)).why_not(client(), None),
         "round_years считает годы, а у этого повода их нет"),
        (AudienceRule.of(Audience(min_years=3)).why_not(client(), 2),
         "2 года — меньше 3 (min_years)"),
        (_too_close(day("2026-12-29"), day("2026-12-28"), CAP),
         "всего 1 день от поздравления 28.12.2026 (min_gap_days 14)"),
        (_too_close(day("2026-12-15"), day("2026-12-03"), CAP),
         "всего 12 дней от поздравления 03.12.2026 (min_gap_days 14)"),
        (_refusal(day("2026-12-31"), [day(f"2026-{m:02}-01") for m in range(1, 7)], CAP),
         "было бы 7-м поздравлением за 365 дней (max_count 6)"),
        ("on its day 2027-01-01: only 3 days from the greeting of 2026-12-29 (min_gap_days 14)",
         "в свой день, 01.01.2027: всего 3 дня от поздравления 29.12.2026 (min_gap_days 14)"),
        ("a belated letter now would come only 3 days before the new_year greeting of 2027-01-01, of a higher"
         " priority (min_gap_days 14)",
         "письмо сейчас, с опозданием, пришло бы всего за 3 дня до письма «Новый год» 01.01.2027 (приоритет"
         " того письма выше; min_gap_days 14)"),
        ("leading the letter on 2026-12-20, it would come 5 days before the birthday greeting of 2026-12-25,"
         " which it would leave no slot, of the same priority (max_count 6 per 365 days)",
         "письмо 20.12.2026 пришло бы за 5 дней до письма «День рождения» 25.12.2026 и не оставило бы ему"
         " места (приоритет того письма тот же; max_count 6 за 365 дней)"),
        ("gave way to the birthday greeting of 2027-10-22, of a higher priority (max_count 6 per 365 days)",
         "уступило место письму «День рождения» 22.10.2027 с более высоким приоритетом (max_count 6 за 365"
         " дней)"),
        ("the new_year letter of 2026-12-29 would carry it 1 day before its day (merge_max_days_early 0); "
         "alone it gave way to the birthday greeting of 2027-10-22, of a higher priority (max_count 6 per 365"
         " days)",
         "письмо «Новый год» 29.12.2026 поздравило бы с ним за 1 день до его дня (merge_max_days_early 0); "
         "отдельным письмом: уступило место письму «День рождения» 22.10.2027 с более высоким приоритетом"
         " (max_count 6 за 365 дней)"),
        ("missed; the next window (11.01) is more than 3 days later",
         "пропущено: следующее окно отправки (11.01) позже, чем через 3 дня"),
        ("missed; the next window (11.01) is more than 3 days after 05.01, the day it was meant for",
         "пропущено: следующее окно отправки (11.01) более чем через 3 дня после 05.01, дня, к которому оно"
         " приурочено"),
        ("more than 21 days ago", "день повода прошёл более 21 дня назад"),
        ("a@example.com is on the do-not-contact list", "a@example.com в стоп-листе"),
        ("the journal already has this greeting (sent)", "в журнале уже есть это поздравление (отправлено)"),
        ("the journal already has this greeting (retry): greeter send sends it again when its retry is due",
         "в журнале уже есть это поздравление (ждёт повтора)"),
        ("the contact has no e-mail address", "у контакта нет адреса e-mail"),
        # merge bounds and merge: false (tests/test_merge_options.py pins the English)
        ("the birthday letter of 2027-01-11 would carry it 13 days after its day (merge_max_days_late 3); "
         "alone it would come only 13 days from the greeting of 2027-01-11 (min_gap_days 14)",
         "письмо «День рождения» 11.01.2027 поздравило бы с ним через 13 дней после его дня "
         "(merge_max_days_late 3); отдельным письмом: всего 13 дней от поздравления 11.01.2027 (min_gap_days 14)"),
        ("the new_year letter of 2026-12-29 would carry it 1 day before its day (merge_max_days_early 0)",
         "письмо «Новый год» 29.12.2026 поздравило бы с ним за 1 день до его дня (merge_max_days_early 0)"),
        ("no letter of its group could carry it (birthday of 2027-01-11: only 6 days "
         "from the greeting of 2027-01-05 (min_gap_days 14))",
         "его не могло взять ни одно письмо его группы («День рождения» 11.01.2027: всего 6 дней "
         "от поздравления 05.01.2027 (min_gap_days 14))"),
        ("more than 3 days ago; no letter of its group could carry it (birthday of 2027-01-11: expired too)",
         "день повода прошёл более 3 дней назад; его не могло взять ни одно письмо его группы "
         "(«День рождения» 11.01.2027: тоже просрочено)"),
        ("its own letter (merge: false) on 2026-12-24 would come only 5 days before the birthday greeting "
         "of 2026-12-29, of a higher priority (min_gap_days 14)",
         "отдельное письмо (merge: false) 24.12.2026 пришло бы всего за 5 дней до письма «День рождения» "
         "29.12.2026 (приоритет того письма выше; min_gap_days 14)"),
        ("a sentence the gallery does not know", "a sentence the gallery does not know"),  # as it is
        (None, None),
    ],
)  # fmt: skip
def test_each_known_sentence_reads_in_russian(sentence: str | None, russian: str | None) -> None:
    assert russian_detail(sentence, TITLES) == russian


#: Latin words in a row: a sentence left in English (a quoted value, a format or a config key is not).
ENGLISH = re.compile(r"[a-z]{3,} [a-z]{3,}")


def test_a_years_preview_of_the_example_leaves_no_skip_in_english() -> None:
    """Every skip of a year of the example's contacts, as the gallery would word it: no Latin sentence
    left — the ``invalid_contact`` one of row 22 (``'31.02.1980' is not a real date: …``) included."""
    result = CliRunner().invoke(
        main,
        ["--config", str(ROOT / "config.example.yaml"), "preview", "--from", "2026-12-01", "--days", "400",
         "--format", "json", "--now", "2026-12-01T09:00:00+03:00"],
    )  # fmt: skip
    drafts = json.loads(result.stdout)
    details = {d["detail"] for d in drafts if d["status"] == "skip" and d["reason"] != "merged"}
    assert len(details) >= 5, details
    english = {d for d in details if ENGLISH.search(russian_detail(d, TITLES) or "")}
    assert english == set()


def test_a_skip_in_the_gallery_is_russian_and_the_planners_words_stay_in_the_tooltip(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """A card of the example's 23 February for a client without the tag: it said «пропуск: вне
    аудитории — has none of the tags 23feb (the contact's tags: none)»."""
    config = make_project([contact_row("1", "a@example.com", birthday="10.05.1980")])
    out = tmp_path / "g"
    result = CliRunner().invoke(
        main,
        ["--config", str(config), "preview", "--from", "2027-02-22", "--days", "3", "--format", "html",
         "--out", str(out), "--now", "2027-02-01T09:00:00+03:00"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # Left out of the occasion's audience: folded into a line on the index, each reason on the list
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1 клиент не в аудитории повода" in index and 'title="outside_audience"' in index
    (listed,) = (out / "outside").glob("2027-02-23-*.html")
    page = listed.read_text(encoding="utf-8")
    assert '<span class="detail">нет ни одного из тегов 23feb (теги контакта: нет)</span>' in page
    assert "has none of the tags" not in page


#: The loader's reason after the value (greeter.sources.dates), the Russian after «'значение' — ».
NOT_LISTED = "не подходит ни под один формат contacts.date_formats (%d.%m.%Y, %Y-%m-%d)"
SKIPPED = "поздравления «День рождения» для этого контакта пропускаются"
DAY_FIRST = ("%d.%m.%Y", "%Y-%m-%d")


def bad_date(
    tmp_path: Path,
    value: str,
    formats: tuple[str, ...] = DAY_FIRST,
    occasions: tuple[str, ...] = ("birthday",),
) -> str:
    """The sentence the contacts loader gives a contact whose birthday cell is ``value``."""
    path = tmp_path / "c.csv"
    path.write_text(f"ID;Email;Имя;Дата рождения\r\n1;a@example.com;Иван;{value}\r\n", encoding="utf-8")
    cfg = ContactsSource(
        path=path, columns=Columns(id="ID", email="Email", first_name="Имя", patronymic=None, last_name=None),
        dates={"birthday": "Дата рождения"}, date_formats=list(formats),
    )  # fmt: skip
    uses = date_occasions([Occasion(name=o, field="birthday", template="birthday") for o in occasions])
    (contact,), _ = load_contacts(cfg, Defaults(), uses)
    return contact.bad_dates["birthday"]


@pytest.mark.parametrize(
    ("value", "formats", "russian"),
    [
        ("31.02.1980", DAY_FIRST, "'31.02.1980' — такой даты нет: в феврале нет 31-го числа"),
        ("31.04.1980 0:00:00", DAY_FIRST, "'31.04.1980 0:00:00' — такой даты нет: в апреле нет 31-го числа"),
        ("2000-02-30", DAY_FIRST, "'2000-02-30' — такой даты нет: в феврале нет 30-го числа"),
        ("29.02.1981", DAY_FIRST, "'29.02.1981' — такой даты нет: 1981 год не високосный, 29 февраля в нём нет"),
        ("13.13.1980", DAY_FIRST, "'13.13.1980' — такой даты нет: месяца с номером 13 не бывает"),
        ("00.05.1980", DAY_FIRST, "'00.05.1980' — такой даты нет: нулевого числа не бывает"),
        ("32.05.1980", DAY_FIRST, "'32.05.1980' — такой даты нет: 32-го числа не бывает ни в одном месяце"),
        # A year of zeros is a date without a year (greeted without an age): no longer a bad date.
        ("31.02.0000", DAY_FIRST, "'31.02.0000' — такой даты нет: в феврале нет 31-го числа"),
        ("02/29/1980", ("%d/%m/%Y",),
         "'02/29/1980' — такой даты нет: месяца с номером 29 не бывает; в формате \"%m/%d/%Y\" это 29.02.1980"),
        ("31.02", DAY_FIRST, "'31.02' — такой даты нет: в феврале нет 31-го числа"),
        ("29221", DAY_FIRST,
         "'29221' — похоже на дату Excel, сохранённую числом (01.01.1980): задайте столбцу формат даты в Excel"
         " перед выгрузкой (или выгружайте даты текстом)"),
        ("1960/01/07", DAY_FIRST,
         f"'1960/01/07' — {NOT_LISTED}; в формате \"%Y/%m/%d\" это 07.01.1960 (добавьте его в"
         " contacts.date_formats, если CRM пишет даты так)"),
        ("10/12/1979", DAY_FIRST,
         f"'10/12/1979' — {NOT_LISTED}; в формате \"%d/%m/%Y\" это 10.12.1979, в формате \"%m/%d/%Y\" —"
         " 12.10.1979 (добавьте в contacts.date_formats тот, которым пишет CRM)"),
        ("8 декабря 1973", DAY_FIRST,
         f"'8 декабря 1973' — {NOT_LISTED}; это 08.12.1973, месяц записан словом, а русские названия месяцев"
         " не читает ни один формат даты: выгружайте из CRM даты числами (дд.мм.гггг)"),
        ("8 Dec. 1973", DAY_FIRST,
         f"'8 Dec. 1973' — {NOT_LISTED}; это 08.12.1973, месяц записан словом так, что его не читает ни один"
         " формат даты: выгружайте из CRM даты числами (дд.мм.гггг)"),
        ("December 8, 1973", DAY_FIRST,
         f"'December 8, 1973' — {NOT_LISTED}; это 08.12.1973, месяц записан словом: добавьте \"%B %d, %Y\" в"
         " contacts.date_formats, если CRM пишет даты так"),
        # '13.12' is read as a birthday without a year now; an impossible one is still refused.
        ("--02-30", DAY_FIRST, "'--02-30' — такой даты нет: в феврале нет 30-го числа"),
        ("не помню", DAY_FIRST, f"'не помню' — {NOT_LISTED}"),
        ("O'Neil", DAY_FIRST, f"\"O'Neil\" — {NOT_LISTED}"),
    ],
)  # fmt: skip
def test_each_kind_of_bad_date_reads_in_russian(
    tmp_path: Path, value: str, formats: tuple[str, ...], russian: str
) -> None:
    """The loader's sentence for each way a date cell is no date, with each kind of hint after it."""
    assert russian_detail(bad_date(tmp_path, value, formats), TITLES) == f"{russian}; {SKIPPED}"


@pytest.mark.parametrize(
    ("occasions", "russian"),
    [
        (("birthday", "new_year"), "поздравления «День рождения» и «Новый год» для этого контакта пропускаются"),
        (("birthday", "name_day", "new_year"),
         "поздравления «День рождения», «name_day» и «Новый год» для этого контакта пропускаются"),
    ],
)  # fmt: skip
def test_a_bad_date_names_every_occasion_it_costs_by_its_title(
    tmp_path: Path, occasions: tuple[str, ...], russian: str
) -> None:
    """Occasions without a title (``name_day`` here) keep their machine name, as elsewhere in the gallery."""
    sentence = bad_date(tmp_path, "31.02.1980", occasions=occasions)
    assert (
        russian_detail(sentence, TITLES)
        == f"'31.02.1980' — такой даты нет: в феврале нет 31-го числа; {russian}"
    )


@pytest.mark.parametrize(
    ("sentence", "russian"),
    [
        (implausible("birthday", date(2030, 12, 18), -3, date(2027, 1, 1), 120),
         "поле birthday: 18.12.2030 — дата в будущем"),
        (implausible("birthday", date(1900, 1, 1), 127, date(2027, 1, 1), 120),
         "поле birthday: 01.01.1900 — это 127 лет (больше 120: max_years); 1900 год часто ставят вместо"
         " неизвестного года: запишите день без года (01.01 или --01-01)"),
        (implausible("first_deal", date(1975, 5, 1), 51, date(2026, 6, 1), 50),
         "поле first_deal: 01.05.1975 — это 51 год (больше 50: max_years)"),
        (implausible("company_founded", date(1723, 5, 1), 302, date(2026, 6, 1), 300),
         "поле company_founded: 01.05.1723 — это 302 года (больше 300: max_years)"),
    ],
)  # fmt: skip
def test_an_implausible_date_reads_in_russian(sentence: str | None, russian: str) -> None:
    assert russian_detail(sentence, TITLES) == russian


def test_a_gallery_of_bad_contacts_is_russian_and_the_loaders_words_stay_in_the_tooltip(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """A project with a row for each kind of bad birthday, one in the future and one too old: every
    ``invalid_contact`` card reads in Russian. Row 22 of the example said «ошибка в контакте —
    '31.02.1980' is not a real date: February has no 31st; birthday greetings are skipped…»."""
    # "10/12/1979" left the list when the example config took "%d/%m/%Y" (the built-in default) too
    values = ["31.02.1980", "29.02.1981", "13.13.1980", "00.05.1980", "32.05.1980", "31.02.0000", "29221",
              "1960/01/07", "8 декабря 1973", "8 Dec. 1973", "December 8, 1973", "--02-30",
              "не помню", "18.12.2030", "05.03.1890"]  # fmt: skip
    rows = [contact_row(str(i), f"c{i}@example.com", birthday=v) for i, v in enumerate(values, 1)]
    out = tmp_path / "g"
    result = CliRunner().invoke(
        main,
        ["--config", str(make_project(rows)), "preview", "--from", "2027-01-01", "--days", "365", "--format",
         "html", "--out", str(out), "--now", "2027-01-01T09:00:00+03:00"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    details = re.findall(r'<p class="detail">(.*?)</p>', page)
    bad = [d for d in details if d.endswith("пропускаются") or d.startswith("поле birthday")]
    assert len(bad) == len(values), details
    assert [d for d in details if ENGLISH.search(d)] == []
    assert (
        '<p class="detail">&#x27;31.02.1980&#x27; — такой даты нет: в феврале нет 31-го числа; поздравления'
        " «День рождения» для этого контакта пропускаются</p>"
    ) in page
    assert '<p class="detail">поле birthday: 18.12.2030 — дата в будущем</p>' in page
    assert '<p class="detail">поле birthday: 05.03.1890 — это 137 лет (больше 120: max_years)</p>' in page
    # the planner's sentence as JSON has it, labelled in the page's language
    english = "для журналов и JSON: invalid_contact — &#x27;31.02.1980&#x27; is not a real date: February has no 31st"
    assert f'title="{english}; birthday greetings are skipped for this contact"' in page
