"""A starter's example holidays are titled in the other starter languages too (``title_by_locale``).

``greeter init DIR --locale sr`` greets Serbia's holidays, and its sample has a
Russian-speaking client (Дмитрий Орлов, locale ru). With the second example
uncommented, as the config invites, his Russian letter said «Дмитрий, с
наступающим праздником Дан државности!» — the Serbian title inside a Russian
letter — and ``check`` warned to add ``title_by_locale.ru``. The examples now
carry ``title_by_locale``: the holidays library's name in each starter language
its calendar has (Serbia's: English), else, for Russian, which the library has
for none of these countries, greeter's own (:attr:`HolidayExample.ru`).
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main

NOW = "2027-02-01T12:00:00+01:00"


def test_the_library_names_a_holiday_in_the_languages_its_calendar_has() -> None:
    from greeter.holiday_tables import names_in

    assert names_in("RS", "Дан државности", 2027, ["en", "ru", "de"]) == {"en": "Statehood Day"}
    assert names_in("RS", "No such day", 2027, ["en"]) == {}
    assert names_in("AT", "Nationalfeiertag", 2027, ["en"]) == {"en": "National Day"}


def test_example_titles_take_the_library_s_names_then_greeter_s_russian() -> None:
    from greeter.starter_countries import HOLIDAYS, LANGUAGES, example_titles

    said = example_titles("RS", "sr", lambda name, langs: {"en": f"EN {name}"} if "en" in langs else {})
    assert said["statehood_day"] == {"ru": "День государственности Сербии", "en": "EN Дан државности"}
    # Russian's own where a country's examples are not in Russian: every project's letters may be
    for country, examples in HOLIDAYS.items():
        for example in examples:
            assert example.locale == "ru" or example.ru, (country, example.name)
    assert set(said["christmas"]) <= set(LANGUAGES) - {"sr"}


def _uncommented(config: Path, name: str) -> None:
    """Uncomment the example occasion ``name`` in ``config``, as its comment invites."""
    lines, out, inside = config.read_text(encoding="utf-8").split("\n"), [], False
    for line in lines:
        if line == f"  # - name: {name}":
            inside = True
            out.append(f"  - name: {name}")
            continue
        if inside and line.startswith("  #   "):
            out.append("    " + line[len("  #   ") :])
            continue
        inside = False
        out.append(line)
    config.write_text("\n".join(out), encoding="utf-8")


def test_a_russian_client_of_a_serbian_project_reads_the_holiday_in_russian(tmp_path: Path) -> None:
    folder = tmp_path / "greetings"
    done = CliRunner().invoke(main, ["init", str(folder), "--locale", "sr"])
    assert done.exit_code == 0, done.output
    config = folder / "greeter.yaml"
    _uncommented(config, "statehood_day")
    args = ["--config", str(config), "preview", "--format", "json", "--from", "2027-02-10", "--days", "10"]
    result = CliRunner().invoke(main, [*args, "--now", NOW])
    assert result.exit_code == 0, result.output
    letters = {e["name"]: e for e in json.loads(result.stdout) if e["occasion"] == "statehood_day"}
    dmitry = letters["Дмитрий Орлов"]
    assert dmitry["subject"] == "Дмитрий, с наступающим Днём государственности Сербии!", dmitry["subject"]
    assert "државности" not in dmitry["text"], dmitry["text"]
    assert letters["Милица Илић"]["subject"] == "Честитамо Дан државности!"
    check = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert check.exit_code == 0, check.output
    assert "title_by_locale" not in check.stderr, check.stderr
