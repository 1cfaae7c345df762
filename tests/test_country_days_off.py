"""A country's own days off for its clients only: ``send_window.regional_days_off`` keyed by a country.

Ireland closes its offices on Monday 27 and Tuesday 28 December 2027, after
Christmas (a Saturday) and St Stephen's Day (a Sunday); the ``holidays`` library
has no observed days for Ireland, so an Irish client's birthday letter left on
the Tuesday at 15:50. ``extra_days_off`` is every client's, and
``regional_days_off: {IE: …}`` was refused ("'IE' is a country: write a region").
Germany's Heiligabend (24 December) is no public holiday but offices are closed:
the only way was to list all 16 states. A country's entry now gives its days off
to every client of that country, its regions' too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.calendar_rules import build_calendar, greeting_day
from greeter.cli import main
from greeter.config_loader import parse_settings
from greeter.config_window import SendWindow
from tests.conftest import TODAY, MakeProject, birthday_sends, contact_row
from tests.test_config import MINIMAL
from tests.test_country_weekend import _errors

COUNTRIES = """\
  regional_days_off:
    IE: {days: [2027-12-27, 2027-12-28]}
    DE: {days: [2027-12-24]}
"""

FRI_24_DEC_2027 = date(2027, 12, 24)
THU_23_DEC_2027 = date(2027, 12, 23)
TUE_28_DEC_2027 = date(2027, 12, 28)


def _window(extra: str = "") -> SendWindow:
    text = MINIMAL + "send_window:\n" + COUNTRIES + extra
    return parse_settings(text, "greeter.yaml", today=TODAY).send_window


@pytest.mark.parametrize(
    ("country", "occasion", "expected"),
    [
        ("IE", TUE_28_DEC_2027, FRI_24_DEC_2027),  # Dublin: 25–28 December off, the Friday before
        ("FR", TUE_28_DEC_2027, TUE_28_DEC_2027),  # Paris: not Ireland's days
        ("DE", FRI_24_DEC_2027, THU_23_DEC_2027),  # Heiligabend: offices closed
        ("DE-BY", FRI_24_DEC_2027, THU_23_DEC_2027),  # a region of Germany: its country's days too
        ("AT", FRI_24_DEC_2027, FRI_24_DEC_2027),
        (None, FRI_24_DEC_2027, FRI_24_DEC_2027),
    ],
)
def test_a_countrys_days_off_move_its_clients_letters_only(
    country: str | None, occasion: date, expected: date
) -> None:
    window = _window()
    cal = build_calendar(window, country, range(2026, 2029))
    assert greeting_day(occasion, cal, "before") == expected


def test_a_region_has_its_countrys_entry_and_its_own() -> None:
    window = _window("    DE-BY: {days: [2027-08-16]}\n")
    by, be = (build_calendar(window, c, range(2026, 2029)) for c in ("DE-BY", "DE-BE"))
    assert not by.is_working_day(FRI_24_DEC_2027) and not be.is_working_day(FRI_24_DEC_2027)
    assert not by.is_working_day(date(2027, 8, 16)) and be.is_working_day(date(2027, 8, 16))


def test_a_country_without_a_calendar_is_refused_at_its_line() -> None:
    assert _errors("  regional_days_off:\n    ZZ: {days: [2027-12-24]}\n") == [
        "greeter.yaml:19:5: send_window.regional_days_off.ZZ: no public-holiday calendar for country"
        " 'ZZ' (use an ISO code like 'RU', or 'GB-ENG' with a region)"
    ]


def test_preview_and_check_apply_a_countrys_days_to_its_clients(
    make_project: MakeProject, tmp_path: Path
) -> None:
    rows = [
        contact_row("aoife", "aoife@example.ie", country="IE", birthday="28.12.1985", tz="Europe/Dublin"),
        contact_row(
            "oliver", "oliver@example.co.uk", country="GB", birthday="29.12.1985", tz="Europe/London"
        ),
    ]
    config = make_project(
        rows,
        defaults={"country": "IE"},
        send_window={"regional_days_off": {"IE": {"days": ["2027-12-27", "2027-12-28"]}}},
    )
    sent = birthday_sends(config, "2027-12-20", 14, "2027-12-01T09:00")
    assert {cid: at.date() for cid, at in sent.items()} == {
        "aoife": FRI_24_DEC_2027,
        "oliver": date(2027, 12, 29),
    }

    check = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-01T10:00"])
    lines = check.stdout.splitlines()
    assert (
        "days off in IE: send_window.regional_days_off: 2 day(s) off in 2026–2027, for all its clients"
        " (its regions' too)" in lines
    ), check.stdout
