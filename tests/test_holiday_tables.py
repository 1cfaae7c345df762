"""Holiday tables kept on disk (greeter.holiday_tables, greeter.holiday_cache): the library's answers,
without its import cost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from importlib import metadata
from pathlib import Path

import holidays
import pytest

from greeter import holiday_cache, holiday_tables
from greeter.calendar_rules import build_calendar
from greeter.config_window import SendWindow
from greeter.countries import parse_country, regional_days_off, regions_of
from greeter.occasions import holiday_dates, known_holidays

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fresh_memory() -> Iterator[None]:
    holiday_tables.forget()
    yield
    holiday_tables.forget()


def _file(cache: Path) -> Path:
    return cache / f"holidays-{metadata.version('holidays')}-v{holiday_cache._FORMAT}.json"


@pytest.mark.parametrize(
    ("country", "year"), [("RU", 2026), ("RU", 2027), ("RS", 2027), ("EE", 2028), ("HU", 2024)]
)
def test_tables_are_the_librarys_answers_fresh_and_read_back(tmp_path: Path, country: str, year: int) -> None:
    """Each holiday named in English and in the country's own language, as the library names it."""
    own = holidays.country_holidays(country, years=[]).default_language
    english = holidays.country_holidays(country, years=year, language="en_US")
    native = holidays.country_holidays(country, years=year, language=own)
    expected = {
        day: [
            tuple(dict.fromkeys(pair))
            for pair in zip(english.get_list(day), native.get_list(day), strict=True)
        ]
        for day in english
    }

    def names() -> dict[date, list[tuple[str, ...]]]:
        # the library's two names first; Serbia's Latin spellings follow (test_serbian_client_care.py)
        return {
            day: [h.names[:2] for h in on_day]
            for day, on_day in holiday_tables.days_of(country, year).items()
        }

    holiday_tables.warm([country], [year], tmp_path)
    assert names() == expected
    holiday_tables.forget()
    holiday_tables.warm([country], [year], tmp_path)  # from the file now
    assert names() == expected
    assert list(holiday_tables.days_of(country, year)) == sorted(expected)


def test_a_warm_cache_spares_the_library_import(tmp_path: Path) -> None:
    """The point of the cache: a second start with the same config does not import `holidays`."""
    script = (
        "import sys; from pathlib import Path; from greeter import holiday_tables as h; "
        f"h.warm(['RU'], [2026, 2027], Path({str(tmp_path)!r})); "
        "from greeter.occasions import holiday_dates as d; "
        "print(sorted(h.days_of('RU', 2027))[0], h.has_calendar('RU'), "
        "d('RU', 'Международный женский день', 2027)[0], 'holidays' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-c", script]
    first = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout.split()
    second = subprocess.run(run, capture_output=True, text=True, env=env, check=True).stdout.split()
    assert first == ["2027-01-01", "True", "2027-03-08", "True"]  # computed by the library
    # read from the file, the library never imported: the names in Russian too
    assert second == ["2027-01-01", "True", "2027-03-08", "False"]


def test_forget_drops_the_answers_worked_out_from_the_tables_too(tmp_path: Path) -> None:
    """After forget() a holiday's dates and a calendar's days off come from the file read next,
    not from the caches of occasions and calendar_rules filled before (by another test, say)."""
    holiday_tables.warm(["RU"], [2027], tmp_path)
    assert holiday_dates("RU", "Defender of the Fatherland Day", 2027) == (date(2027, 2, 23),)
    assert not build_calendar(SendWindow(), "RU", [2027]).is_working_day(date(2027, 2, 23))
    data = json.loads(_file(tmp_path).read_text(encoding="utf-8"))
    table = data["tables"]["RU:2027"]
    table["2027-02-24"] = table.pop("2027-02-23")  # a file that says otherwise
    _file(tmp_path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    holiday_tables.forget()
    holiday_tables.warm(["RU"], [2027], tmp_path)
    assert holiday_dates("RU", "Defender of the Fatherland Day", 2027) == (date(2027, 2, 24),)
    calendar = build_calendar(SendWindow(), "RU", [2027])
    assert calendar.is_working_day(date(2027, 2, 23)) and not calendar.is_working_day(date(2027, 2, 24))


def test_unknown_countries_are_remembered_too(tmp_path: Path) -> None:
    holiday_tables.warm(["RU", "XX"], [2027], tmp_path)
    assert not holiday_tables.has_calendar("XX") and holiday_tables.has_calendar("RU")
    assert json.loads(_file(tmp_path).read_text(encoding="utf-8"))["unsupported"] == ["XX"]
    holiday_tables.forget()
    holiday_tables.warm(["XX"], [2027], tmp_path)
    assert not holiday_tables.has_calendar("XX")


def test_every_country_gets_every_year(tmp_path: Path) -> None:
    holiday_tables.warm(["RU", "EE"], (y for y in (2027, 2028)), tmp_path)  # a generator, too
    tables = json.loads(_file(tmp_path).read_text(encoding="utf-8"))["tables"]
    assert sorted(tables) == ["EE:2027", "EE:2028", "RU:2027", "RU:2028"]


def test_a_missing_year_is_added_to_the_file(tmp_path: Path) -> None:
    holiday_tables.warm(["RU"], [2027], tmp_path)
    holiday_tables.forget()
    holiday_tables.warm(["RU"], [2027, 2028], tmp_path)
    assert sorted(json.loads(_file(tmp_path).read_text(encoding="utf-8"))["tables"]) == ["RU:2027", "RU:2028"]


@pytest.mark.parametrize(
    "content",
    ["", "{not json", '{"tables": []}', '{"tables": {"RU:2027": {"31.02": "x"}}, "unsupported": []}'],
)
def test_a_damaged_file_is_ignored_and_rewritten(tmp_path: Path, content: str) -> None:
    _file(tmp_path).write_text(content, encoding="utf-8")
    holiday_tables.warm(["RU"], [2027], tmp_path)
    assert holiday_dates("RU", "Defender of the Fatherland Day", 2027) == (date(2027, 2, 23),)
    assert "RU:2027" in json.loads(_file(tmp_path).read_text(encoding="utf-8"))["tables"]


def test_an_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("", encoding="utf-8")
    holiday_tables.warm(["RU"], [2027], blocked / "greeter")  # cannot even make the folder
    cal = build_calendar(SendWindow(), "RU", [2027])
    assert not cal.is_working_day(date(2027, 1, 7)) and cal.is_working_day(date(2027, 1, 12))


def test_the_cache_lives_in_xdg_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    holiday_tables.warm(["RU"], [2027])
    assert _file(tmp_path / "greeter").exists()


@pytest.mark.parametrize("locale", ["ru_RU.UTF-8", "C.UTF-8", "de_DE.UTF-8", ""])
def test_the_names_do_not_depend_on_the_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    """Left to itself the library names holidays in $LANG's language: under systemd (no LANG)
    the example config's "Defender of the Fatherland Day" was unknown, and the cache kept it so."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(name, locale)
    holiday_tables.warm(["RU"], [2027], tmp_path)
    (womens_day,) = holiday_tables.days_of("RU", 2027)[date(2027, 3, 8)]
    assert womens_day.names == ("International Women's Day", "Международный женский день")


def test_a_holiday_is_found_by_either_name_in_any_case(tmp_path: Path) -> None:
    holiday_tables.warm(["RU"], [2027], tmp_path)
    for name in (
        "International Women's Day",
        "International Women’s Day",  # the apostrophe a word processor types
        "Международный женский день",
        "международный  ЖЕНСКИЙ день",
    ):
        assert holiday_dates("RU", name, 2027) == (date(2027, 3, 8),), name
    assert holiday_dates("RU", "День защитника Отечества", 2027) == (date(2027, 2, 23),)


def test_a_moved_working_day_is_a_day_off_but_no_holiday_to_greet(tmp_path: Path) -> None:
    holiday_tables.warm(["RU"], [2027], tmp_path)
    (moved,) = holiday_tables.days_of("RU", 2027)[date(2027, 2, 22)]
    assert moved.substitute and moved.names == (
        "Day off (substituted from 02/20/2027)",
        "Выходной (перенесено с 20.02.2027)",
    )
    assert not build_calendar(SendWindow(), "RU", [2027]).is_working_day(date(2027, 2, 22))
    assert holiday_dates("RU", "Day off (substituted from 02/20/2027)", 2027) == ()
    known = known_holidays("RU", [2026, 2027])
    assert ("International Women's Day", "Международный женский день") in known
    assert not [names for names in known if any("Day off" in n or "Выходной" in n for n in names)]
    holiday_tables.forget()
    holiday_tables.warm(["RU"], [2027], tmp_path)  # the mark survives the file
    assert holiday_tables.days_of("RU", 2027)[date(2027, 2, 22)][0].substitute


@pytest.mark.parametrize(
    ("country", "moved", "names"),
    [
        ("RU", date(2027, 5, 10), ("Victory Day (observed)", "День Победы (выходной)")),
        (
            "RU",
            date(2026, 3, 9),
            ("International Women's Day (observed)", "Международный женский день (выходной)"),
        ),
        ("KZ", date(2027, 5, 10), ("Victory Day (observed)", "Жеңіс күні (қайта белгіленген демалыс)")),
        (
            "RS",
            date(2027, 5, 4),
            ("Labor Day (observed)", "Празник рада (слободан дан)", "Praznik rada (slobodan dan)"),
        ),
        ("US", date(2027, 7, 5), ("Independence Day (observed)",)),
    ],
)
def test_a_holiday_moved_off_a_weekend_is_a_day_off_but_no_holiday_to_greet(
    tmp_path: Path, country: str, moved: date, names: tuple[str, ...]
) -> None:
    """The README: days a holiday is moved to are days off, not holidays to greet (nor to suggest)."""
    holiday_tables.warm([country], [moved.year], tmp_path)
    (day_off,) = holiday_tables.days_of(country, moved.year)[moved]
    assert day_off.names == names and day_off.substitute
    assert not build_calendar(SendWindow(), country, [moved.year]).is_working_day(moved)
    for name in names:
        assert holiday_dates(country, name, moved.year) == (), name
    known = known_holidays(country, [moved.year - 1, moved.year])
    assert not [n for n in known if any("(observed)" in x or "(выходной)" in x for x in n)], known
    holiday_tables.forget()
    holiday_tables.warm([country], [moved.year], tmp_path)  # the mark survives the file
    assert holiday_tables.days_of(country, moved.year)[moved][0].substitute


def test_the_holiday_itself_stays_greetable_where_its_day_off_moved(tmp_path: Path) -> None:
    holiday_tables.warm(["RU"], [2027], tmp_path)
    assert holiday_dates("RU", "Victory Day", 2027) == (date(2027, 5, 9),)
    assert holiday_dates("RU", "День Победы", 2027) == (date(2027, 5, 9),)
    assert ("Victory Day", "День Победы") in known_holidays("RU", [2027])


def test_a_file_of_the_old_layout_is_not_trusted(tmp_path: Path) -> None:
    """The first layout kept whatever language the locale chose, and no marks: it is rewritten."""
    old = {"tables": {"RU:2027": {"2027-03-08": "Международный женский день"}}, "unsupported": []}
    _file(tmp_path).write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    # An older release's own file keeps its name: it is neither read nor rewritten (that release,
    # run again from the same cache, would choke on this layout).
    older = tmp_path / f"holidays-{metadata.version('holidays')}.json"
    older.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    holiday_tables.warm(["RU"], [2027], tmp_path)
    assert holiday_tables.days_of("RU", 2027)[date(2027, 3, 8)][0].names[0] == "International Women's Day"
    assert json.loads(_file(tmp_path).read_text(encoding="utf-8"))["format"] == holiday_cache._FORMAT
    assert json.loads(older.read_text(encoding="utf-8")) == old


def test_forget_drops_the_regional_days_off_worked_out_from_the_tables(tmp_path: Path) -> None:
    """countries.regional_days_off caches what it works out from days_of: forget() must drop it too,
    or a file that now gives the UK-wide calendar Easter Monday still reads as lacking it."""
    codes = ["GB", *regions_of("GB")]
    holiday_tables.warm(codes, [2027], tmp_path)
    easter_monday = date(2027, 3, 29)
    assert easter_monday in [gap.day for gap in regional_days_off("GB", 2027)]
    data = json.loads(_file(tmp_path).read_text(encoding="utf-8"))
    data["tables"]["GB:2027"]["2027-03-29"] = [{"names": ["Easter Monday"]}]  # now nationwide
    _file(tmp_path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    holiday_tables.forget()
    holiday_tables.warm(codes, [2027], tmp_path)
    assert easter_monday in holiday_tables.days_of("GB", 2027)
    assert easter_monday not in [gap.day for gap in regional_days_off("GB", 2027)]


def test_forget_drops_the_parsed_countries_too(tmp_path: Path) -> None:
    """countries.parse_country caches whether a code has a calendar (the tables' answer): after
    forget() a file that lists the code as one without a calendar is what the next parse says."""
    holiday_tables.warm(["KZ"], [2027], tmp_path)
    assert parse_country("KZ") == ("KZ", "")
    data = json.loads(_file(tmp_path).read_text(encoding="utf-8"))
    for key in [k for k in data["tables"] if k.startswith("KZ:")]:
        del data["tables"][key], data["weekends"][key]
    data["unsupported"] = sorted({*data["unsupported"], "KZ"})
    _file(tmp_path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    holiday_tables.forget()
    holiday_tables.warm(["KZ"], [2027], tmp_path)
    code, why = parse_country("KZ")
    assert code is None and why.startswith("no public-holiday calendar for country 'KZ'")


@pytest.mark.parametrize("name", ["holidays", "pydantic", "APScheduler", "ruamel.yaml", "Jinja2"])
def test_the_cache_names_the_version_importlib_metadata_gives(name: str) -> None:
    """The cache file's version is read from METADATA's ``Version:`` line (no email parse of the
    whole file, ~14 M instructions of every start): the same string ``version()`` gives."""
    assert holiday_tables.installed_version(name) == metadata.version(name)


def test_no_installed_distribution_means_no_version(tmp_path: Path) -> None:
    """A source tree without metadata: no version, so no cache file (as before)."""
    assert holiday_tables.installed_version("no-such-distribution-here") is None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(holiday_cache, "installed_version", lambda name: None)
        assert holiday_cache._cache_file(tmp_path) is None
