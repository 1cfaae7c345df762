"""``greeter init --country CC`` for a country whose language the starter has no letters in.

A Riga office ran ``init riga --country LV`` and got ``defaults.locale: ru``: Latvian clients
were to read «Jānis, с днём рождения!» over Russian sample clients (ООО companies, patronymics,
23 February), and nothing said which language the letters were in. In Latvia a Russian letter
to a Latvian client does real harm. Now ``--country`` alone picks the country's own language
where the starter has it, Russian for the offices of Russian-speaking teams greeter already
starts Russian (Russian an official language there, or the CIS offices its examples are
titled in Russian for), and English elsewhere — and ``init`` says which.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config_loader import load_settings
from greeter.starter_countries import country_locale
from tests.conftest import TODAY

NOW = "2026-12-07T10:00:00+02:00"
CYRILLIC = re.compile("[\u0400-\u04ff]")


def _init(folder: Path, *args: str) -> str:
    done = CliRunner().invoke(main, ["init", str(folder), *args])
    assert done.exit_code == 0, done.output
    return done.stdout


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("LV", "en"),
        ("LT", "en"),
        ("lv", "en"),
        ("JP", "en"),
        ("IL", "en"),
        ("PL", "en"),
        ("KZ", "ru"),  # Russian official there too
        ("BY", "ru"),
        ("KG", "ru"),
        ("AZ", "ru"),  # the CIS offices greeter's examples are titled in Russian for
        ("UZ", "ru"),
        ("TJ", "ru"),
        ("RU", "ru"),
        ("EE", "et"),  # a starter language's own country: its language, as UA's Ukrainian
        ("DE", "de"),
        ("AT", "de"),
        ("RS", "sr"),
        ("HU", "hu"),
        ("US", "en"),
        ("GB-ENG", "en"),
        ("UA", "uk"),
        ("GE", "ka"),  # English until the starter had Georgian letters
    ],
)
def test_the_country_alone_picks_a_language_its_clients_read(country: str, expected: str) -> None:
    assert country_locale(country, "ru") == expected


def test_init_country_lv_writes_an_english_project_for_latvia(tmp_path: Path) -> None:
    said = _init(tmp_path, "--country", "LV")
    settings = load_settings(tmp_path / "greeter.yaml", today=TODAY)
    assert settings.defaults.locale == "en"
    assert (settings.defaults.country, settings.defaults.timezone) == ("LV", "Europe/Riga")
    text = (tmp_path / "data" / "contacts.csv").read_text(encoding="utf-8")
    assert not CYRILLIC.search(text), text  # no ООО, no patronymics, no «+7 495»
    rows = list(csv.DictReader(text.splitlines()))
    assert {r["Country"] for r in rows} >= {"LV"} and "GB-ENG" not in {r["Country"] for r in rows}
    assert {r["Time zone"] for r in rows if r["Country"] == "LV"} == {"Europe/Riga"}
    names = {o.name for o in settings.occasions}
    assert not names & {"defender_day", "womens_day"}, names
    assert "letters are in English (defaults.locale: en)" in " ".join(said.split()), said


def test_init_says_the_language_of_a_russian_project_too(tmp_path: Path) -> None:
    said = _init(tmp_path, "--country", "KZ")
    assert "letters are in Russian (defaults.locale: ru)" in " ".join(said.split()), said


def test_a_latvian_project_checks_clean(tmp_path: Path) -> None:
    _init(tmp_path, "--country", "LV")
    done = CliRunner().invoke(main, ["--config", str(tmp_path / "greeter.yaml"), "check", "--now", NOW])
    assert done.exit_code == 0, done.output
    assert done.stdout.rstrip().splitlines()[-1].startswith("check: OK"), done.output


def test_init_locale_lv_suggests_english_letters_first(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["init", str(tmp_path / "p"), "--locale", "lv"])
    assert done.exit_code == 2
    said = " ".join(done.stderr.replace("│", "").split())
    assert "for a project in Latvia start with --country LV (its holidays, English letters)" in said, said
    assert "defaults.fallback_locales: {lv: en} (or ru)" in said, said
