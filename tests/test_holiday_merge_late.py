"""A holiday is not carried in a letter leaving long after its day.

An English starter's Russian clients: Christmas is 7 January in Russia, inside the 1–8 January days
off, so its letter leaves on Monday 11 January; New Year (29 December, priority 60) merged into it
and six of nine got «Merry belated Christmas and a happy New Year, Anna!» 13 days on. An Almaty
starter's client born on 28 December got «с прошедшим Днём Независимости» 12 days after 16
December. The starters now bound every calendar-dated occasion by one rule,
``frequency_cap.holiday_merge_max_days_late: 7``; a config with no bound is warned of by check.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config_loader import load_settings
from greeter.starter_countries import LANGUAGES

NOW = "2026-12-07T09:00:00+00:00"
EN_RU_CLIENT = (
    "7026,c7026@example.com,Petrova,Anna,F,Sever JSC,Europe/Moscow,en,VIP,,1981-02-23,2007-03-08,,RU\n"
)
KZ_CLIENT = "2017;c2017@example.com;Тлеубаева;Гүлнар;;ж;ТОО «Алтын»;Asia/Almaty;ru;regular;;28.12.1980;;;KZ\n"


def init(folder: Path, *args: str) -> Path:
    done = CliRunner().invoke(main, ["init", str(folder), *args])
    assert done.exit_code == 0, done.output
    return folder / "greeter.yaml"


def preview(config: Path, contact: str, days: int = 60) -> list[dict[str, object]]:
    args = ["--config", str(config), "preview", "--days", str(days), "--contact", contact]
    done = CliRunner().invoke(main, [*args, "--format", "json", "--now", NOW])
    assert done.exit_code == 0, done.output
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows


def add_row(config: Path, row: str) -> None:
    contacts = config.parent / "data" / "contacts.csv"
    text = contacts.read_text(encoding="utf-8-sig")
    contacts.write_text(text.rstrip("\n") + "\n" + row, encoding="utf-8")


def test_an_english_starters_russian_client_gets_no_new_year_wishes_13_days_late(tmp_path: Path) -> None:
    config = init(tmp_path, "--locale", "en")
    add_row(config, EN_RU_CLIENT)
    # As the persona's: greeted at most 3 days ahead, Christmas (7.01) leaves after the days off.
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("\n  # max_days_early: 3\n", "\n  max_days_early: 3\n"), encoding="utf-8")
    rows = preview(config, "7026")
    letters = [r for r in rows if r["status"] == "send"]
    assert letters, rows
    for r in letters:
        assert "new_year" not in r["merged_with"], r  # type: ignore[operator]
        assert "New Year" not in str(r["subject"]), r
    new_year = next(r for r in rows if r["occasion"] == "new_year")
    assert new_year["reason"] == "frequency_cap", new_year
    assert "13 days after its day (merge_max_days_late 7)" in str(new_year["detail"]), new_year


def test_an_almaty_client_born_on_28_december_gets_no_independence_day_wishes_12_days_late(
    tmp_path: Path,
) -> None:
    config = init(tmp_path, "--locale", "ru", "--country", "KZ")
    add_row(config, KZ_CLIENT)
    text = config.read_text(encoding="utf-8")
    start = text.index("  # - name: kz_independence\n")
    end = text.index("  #   priority: 30\n", start) + len("  #   priority: 30\n")
    config.write_text(text[:start] + text[start:end].replace("  # ", "  ") + text[end:], encoding="utf-8")
    rows = preview(config, "2017", days=30)
    letter = next(r for r in rows if r["status"] == "send")
    assert letter["occasion"] == "birthday" and letter["merged_with"] == ["new_year"], letter
    assert "Независимости" not in str(letter["subject"]), letter
    skipped = next(r for r in rows if r["occasion"] == "kz_independence")
    assert skipped["reason"] == "frequency_cap", skipped
    assert "12 days after its day (merge_max_days_late 7)" in str(skipped["detail"]), skipped


@pytest.mark.parametrize(
    "spec", [*([x] for x in LANGUAGES), ["ru", "--country", "KZ"], ["en", "--country", "US"]]
)
def test_every_starter_bounds_every_holiday_it_offers(tmp_path: Path, spec: list[str]) -> None:
    """One rule covers the holidays a starter writes, those commented out included (uncommented)."""
    config = init(tmp_path, "--locale", *spec)
    text = config.read_text(encoding="utf-8")
    settings = load_settings(config, today=date(2026, 12, 7))
    rule = settings.frequency_cap.holiday_merge_max_days_late
    assert rule == 7, spec
    for occ in settings.occasions:
        late, _ = occ.merge_bounds(settings.send_window.max_days_early, rule)
        if occ.field is None and occ.merge:
            assert late is not None and late <= 7, (spec, occ.name, late)
    # Commented-out holidays carry no merge_max_days_late of their own that would lift the rule.
    assert "merge_max_days_late: null\n" not in text.replace("# merge_max_days_late: null", "")


def test_check_says_a_holiday_may_be_carried_weeks_late_where_nothing_bounds_it(tmp_path: Path) -> None:
    config = init(tmp_path, "--locale", "en")
    text = config.read_text(encoding="utf-8")
    assert "\n  holiday_merge_max_days_late: 7 " in text
    config.write_text(
        text.replace("\n  holiday_merge_max_days_late: 7 ", "\n  # holiday_merge_max_days_late: 7 ")
    )
    done = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    lines = [ln for ln in done.output.splitlines() if ".merge_max_days_late: warning:" in ln]
    number = next(i for i, ln in enumerate(config.read_text().splitlines(), 1) if ln == "  - name: new_year")
    new_year = [ln for ln in lines if "new_year's wishes" in ln]
    assert new_year and f"greeter.yaml:{number}:" in new_year[0], lines
    assert "13 days or more after its day" in new_year[0] and "holiday_merge_max_days_late: 7" in new_year[0]
    # Written, even as null, it is the config's choice: no word.
    config.write_text(text.replace("holiday_merge_max_days_late: 7 ", "holiday_merge_max_days_late: null "))
    done = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert ".merge_max_days_late: warning:" not in done.output, done.output


@pytest.mark.parametrize(
    ("row", "subject"),
    [
        (KZ_CLIENT, "Гүлнар, с днём рождения, с прошедшим Днём Независимости и с Новым годом!"),
        (
            KZ_CLIENT.replace("2017;", "2018;").replace("Гүлнар", "Олена").replace(";ru;", ";uk;"),
            "Олено, з днем народження, з минулим Днем незалежності і з Новим роком!",
        ),
    ],
    ids=["ru", "uk"],
)
def test_a_subject_joins_three_occasions_as_a_list(tmp_path: Path, row: str, subject: str) -> None:
    """«с днём рождения и с прошедшим … и с Новым годом»: commas, the conjunction before the last."""
    config = init(tmp_path, "--locale", "ru", "--country", "KZ")
    add_row(config, row)
    text = config.read_text(encoding="utf-8")
    start = text.index("  # - name: kz_independence\n")
    end = text.index("  #   priority: 30\n", start) + len("  #   priority: 30\n")
    text = text[:start] + text[start:end].replace("  # ", "  ") + text[end:]
    # Carried however late, as the config may choose: the three in one subject.
    text = text.replace("holiday_merge_max_days_late: 7 ", "holiday_merge_max_days_late: null ")
    config.write_text(text, encoding="utf-8")
    letter = next(r for r in preview(config, row[:4], days=30) if r["status"] == "send")
    assert letter["merged_with"] == ["kz_independence", "new_year"], letter
    assert letter["subject"] == subject
