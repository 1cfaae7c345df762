"""Any country's ``optional`` holidays are names for ``holiday:`` and ``holidays_of``, as Israel's were.

A São Paulo office's ``holiday: "Carnival"`` (and "Corpus Christi") was refused, «BR has no holiday
named 'Carnival'»: the holidays library keeps them in Brazil's ``optional`` category, which greeter
read for Israel alone. Nor could the office close on them (``regional_days_off``'s ``holidays_of``).
They are greeted as days that are no day off, as Ukraine's ``workday`` ones are.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.calendar_rules import borrowed_days_off
from greeter.cli import main
from greeter.holiday_names import unknown_holiday
from greeter.holiday_tables import days_of, greeted_days_of


@pytest.mark.parametrize(
    ("country", "name"),
    [
        ("BR", "Carnival"),
        ("BR", "Corpus Christi"),
        ("BR", "Ash Wednesday"),
        ("PT", "Carnival"),
        ("IL", "Purim"),
    ],
)
def test_an_optional_holiday_is_a_name(country: str, name: str) -> None:
    assert unknown_holiday(name, country, [2027, 2028]) is None


def test_an_optional_holiday_is_no_day_off() -> None:
    """Brazil's Carnival is optional: the send window keeps it a working day unless the office says."""
    carnival = [h for h in greeted_days_of("BR", 2027).get(date(2027, 2, 8), ()) if "Carnival" in h.names]
    assert carnival
    assert not any(h.day_off for h in carnival)
    assert not any("Carnival" in h.names for h in days_of("BR", 2027).get(date(2027, 2, 8), ()))


def test_carnival_can_be_a_day_off(tmp_path: Path) -> None:
    folder = tmp_path / "br"
    done = CliRunner().invoke(main, ["init", str(folder), "--country", "BR"])
    assert done.exit_code == 0, done.output
    config = folder / "greeter.yaml"
    text = config.read_text(encoding="utf-8")
    occasion = '  - name: carnaval\n    title: Carnaval\n    holiday: "Carnival"\n    template: holiday\n    priority: 30\n\n'
    assert "  # - name: defender_day\n" in text
    text = text.replace("  # - name: defender_day\n", occasion + "  # - name: defender_day\n", 1)
    days_off = 'BR: {holidays_of: {country: BR, names: ["Carnival", "Corpus Christi"]}}'
    assert "  # regional_days_off:\n" in text
    text = text.replace("  # regional_days_off:\n", f"  regional_days_off:\n    {days_off}\n", 1)
    config.write_text(text, "utf-8")
    result = CliRunner().invoke(
        main, ["--config", str(config), "check", "--now", "2027-01-05T12:00:00-03:00"]
    )
    assert result.exit_code == 0, result.output
    assert "no holiday named" not in result.stderr, result.stderr
    borrowed = borrowed_days_off(("BR", ("Carnival", "Corpus Christi"), True), 2027)
    assert {date(2027, 2, 8), date(2027, 2, 9), date(2027, 5, 27)} <= borrowed  # Carnival's two days
