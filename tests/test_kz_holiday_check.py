"""``check`` on one holiday named differently by each country's calendar: an Almaty office's Nauryz.

The ``holidays`` library names 21 March "Nowruz Holiday" in Kazakhstan,
"Nooruz Holiday" in Kyrgyzstan, "Spring Festival" in Azerbaijan and "Nowruz"
in Uzbekistan. An occasion ``holiday: "Nowruz"`` for ``audience.countries:
[KZ, KG, UZ, AZ]`` greeted the Uzbek clients only, and ``check`` ended OK.
And 8 March is "Women's Day" in Uzbekistan and Azerbaijan: their clients are
greeted on Kazakhstan's "International Women's Day", the same day, and were
advised out of the audience.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from greeter.check_holidays import holiday_problems
from greeter.config_loader import parse_settings

TODAY = date(2026, 12, 5)

CONFIG = """\
sender: {name: Евразия, email: greet@evrazia.example}
defaults: {country: KZ, locale: ru, timezone: Asia/Almaty}
contacts: {path: c.csv, columns: {country: Страна}}
occasions:
%s
"""

#: The persona's clients by calendar.
CLIENTS = {"KZ": 15, "KG": 3, "UZ": 5, "AZ": 3, "RU": 2}


def _warnings(tmp_path: Path, occasion: str, clients: dict[str, int] | None = None) -> list[str]:
    text = CONFIG % f"  - {occasion}"
    config = tmp_path / "greeter.yaml"
    config.write_text(text, encoding="utf-8")
    settings = parse_settings(text, str(config), today=TODAY)
    found = holiday_problems(settings, config, CLIENTS if clients is None else clients, TODAY, {})
    return [p.message for p in found]


NAURYZ = (
    '{name: nauryz, title: Наурыз, holiday: "%s", template: holiday, audience: {countries: [KZ, KG, UZ, AZ]}}'
)


def test_nowruz_by_uzbekistans_name_says_who_is_not_greeted_and_their_calendars_names(tmp_path: Path) -> None:
    (warning,) = _warnings(tmp_path, NAURYZ % "Nowruz")
    assert warning == (
        "21 client(s) in countries without a holiday named 'Nowruz' — KZ (15), AZ (3), KG (3) — are not"
        " greeted on it (preview lists them as outside_audience): UZ has it on 21.03; KZ calls it 'Nowruz Holiday' (21.03),"
        " AZ 'Spring Festival' (20.03), KG 'Nooruz Holiday' (21.03); write KZ's name (defaults.country),"
        " holiday: 'Nowruz Holiday': a client whose calendar has no holiday of that name is greeted on"
        " KZ's day"
    )


def test_nowruz_with_no_uzbek_client_yet_still_says_the_others_are_not_greeted(tmp_path: Path) -> None:
    """No client has the name, but UZ is listed and has it: the listed countries with clients are told."""
    (warning,) = _warnings(tmp_path, NAURYZ % "Nowruz", {"KZ": 15, "KG": 3})
    assert warning.startswith(
        "18 client(s) in countries without a holiday named 'Nowruz' — KZ (15), KG (3) — are not greeted on it"
        " (preview lists them as outside_audience): UZ has it on 21.03; KZ calls it 'Nowruz Holiday' (21.03),"
    ), warning


def test_nowruz_by_kazakhstans_name_tells_only_of_azerbaijans_other_first_day(tmp_path: Path) -> None:
    """KG and UZ have their own name on KZ's 21 March: nothing to say. AZ's begins on the 20th."""
    (warning,) = _warnings(tmp_path, NAURYZ % "Nowruz Holiday")
    assert warning == (
        "AZ calls it 'Spring Festival' (20.03), not 21.03: 3 clients there are greeted on KZ's"
        " 'Nowruz Holiday' (21.03); to greet them on their own day, give them an occasion of their own"
        " with their calendar's name"
    )


def test_womens_day_on_the_same_day_under_another_name_is_no_reason_to_leave_clients_out(
    tmp_path: Path,
) -> None:
    occasion = '{name: womens_day, holiday: "International Women\'s Day", template: holiday}'
    text = CONFIG % f"  - {occasion}"
    config = tmp_path / "greeter.yaml"
    config.write_text(text, encoding="utf-8")
    settings = parse_settings(text, str(config), today=TODAY)
    reached = {0: {"KZ": 15, "KG": 3, "UZ": 1, "AZ": 1, "RU": 2}}
    (warning,) = [p.message for p in holiday_problems(settings, config, CLIENTS, TODAY, reached)]
    assert warning == (
        "2 client(s) in AZ (1), UZ (1) are greeted on KZ's \"International Women's Day\" (08.03):"
        ' AZ calls it "Women\'s Day", UZ "Women\'s Day" on the same day; no action needed'
    )
    assert "add audience.countries" not in warning


def test_nowruz_without_an_audience_says_the_default_countrys_calendar_calls_it_otherwise(
    tmp_path: Path,
) -> None:
    """QA: with no ``audience.countries`` the Kazakh clients were passed by with no word at all."""
    (warning,) = _warnings(tmp_path, '{name: nauryz, title: Наурыз, holiday: "Nowruz", template: holiday}')
    assert warning == (
        "23 client(s) in countries without a holiday named 'Nowruz' — KZ (15), AZ (3), KG (3), RU (2) — are"
        " not greeted on it (preview lists them as outside_audience): UZ has it on 21.03; KZ calls it 'Nowruz Holiday' (21.03),"
        " AZ 'Spring Festival' (20.03), KG 'Nooruz Holiday' (21.03); write KZ's name (defaults.country),"
        " holiday: 'Nowruz Holiday', to greet them on that day (a client whose calendar has no holiday of"
        " that name is greeted on KZ's), or country: UZ if UZ's clients alone are meant"
    )


def test_another_countrys_national_holiday_without_an_audience_is_not_told(tmp_path: Path) -> None:
    """Thanksgiving in a Kazakh project: KZ has no holiday near it, so the US clients alone are meant."""
    clients = {"KZ": 15, "US": 2}
    occasion = '{name: thanks, title: Thanksgiving, holiday: "Thanksgiving Day", template: holiday}'
    assert _warnings(tmp_path, occasion, clients) == []
    named = '{name: nauryz, title: Наурыз, holiday: "Nowruz", template: holiday, country: UZ}'
    assert _warnings(tmp_path, named) == []  # country: says whose clients are meant
