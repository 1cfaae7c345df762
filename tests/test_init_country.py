"""``greeter init --locale LANG``: a project for that language's country, not Moscow's.

A Serbian team (an Estonian one before it) ran ``init --locale sr`` and got
Serbian letters under a Russian config: ``timezone: Europe/Moscow``,
``country: RU``, Russian column headers over Russian sample clients, titles
«День рождения», and 23 February / 8 March greeted as public holidays. Each
project here must be its country's out of the box: zone and days off, titles
in its language, local sample clients whose headers the config names, no
Russian public holiday active, its own offered (and known to ``check``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config_loader import load_settings
from greeter.starter_countries import HOLIDAYS, RUSSIA_ONLY
from tests.conftest import TODAY, without_decree_notes

NOW = "2026-12-05T10:00:00+01:00"

#: locale → country, zone, the birthday's title, a local client's name, words of their birthday letter.
CASES = {
    "sr": ("RS", "Europe/Belgrade", "Рођендан", "Марко Петровић", "рођендан"),
    "et": ("EE", "Europe/Tallinn", "Sünnipäev", "Mari Tamm", "sünnipäeva"),
    "hu": ("HU", "Europe/Budapest", "Születésnap", "Nagy Zoltán", "születésnap"),
    "de": ("DE", "Europe/Berlin", "Geburtstag", "Thomas Müller", "Geburtstag"),
    "en": ("GB-ENG", "Europe/London", "Birthday", "James Smith", "birthday"),
}
#: What each language calls the other occasions the example config greets.
OTHER_TITLES = {
    "sr": ("Годишњица компаније", "Годишњица сарадње", "Нова година"),
    "et": ("Ettevõtte aastapäev", "Koostöö aastapäev", "Uusaasta"),
    "hu": ("Cégalapítás évfordulója", "Együttműködés évfordulója", "Újév"),
    "de": ("Firmenjubiläum", "Jubiläum der Zusammenarbeit", "Neujahr"),
    "en": ("Company anniversary", "Partnership anniversary", "New Year"),
}


def init(folder: Path, *args: str) -> None:
    done = CliRunner().invoke(main, ["init", str(folder), *args])
    assert done.exit_code == 0, done.output


def greeter(project: Path, *args: str) -> tuple[int, str]:
    """The exit code and what the command printed; JSON (``--format json``) is stdout alone, as a
    script reads it: stderr may carry notes (a year whose decreed days off the library lacks)."""
    done = CliRunner().invoke(main, ["--config", str(project / "greeter.yaml"), *args, "--now", NOW])
    return done.exit_code, done.stdout if "json" in args else done.output


@pytest.mark.parametrize("locale", sorted(CASES))
def test_init_locale_writes_a_project_of_that_languages_country(tmp_path: Path, locale: str) -> None:
    country, zone, birthday, client, words = CASES[locale]
    init(tmp_path, "--locale", locale)
    settings = load_settings(tmp_path / "greeter.yaml", today=TODAY)
    assert (settings.defaults.timezone, settings.defaults.country) == (zone, country)
    # The Russian sender's name is the Russian letters' alone.
    assert (settings.sender.name, settings.sender.company) == ("Romashka LLC", "Romashka LLC")
    assert settings.sender.in_locale("ru") == ("ООО «Ромашка»", "ООО «Ромашка»")
    titles = {o.name: o for o in settings.occasions}
    assert set(titles) & RUSSIA_ONLY == set(), set(titles)  # no 23 February, no 8 March
    assert titles["birthday"].title == birthday
    names = ("company_anniversary", "first_deal_anniversary", "new_year")
    assert tuple(titles[n].title for n in names) == OTHER_TITLES[locale]
    # The Russian letters (birthday.ru.j2) keep their own titles.
    assert titles["birthday"].title_by_locale["ru"] == "День рождения"
    text = (tmp_path / "data" / "contacts.csv").read_text(encoding="utf-8")
    assert "Дата рождения" not in text and "Отчество" not in text
    assert client.split()[1] in text

    code, out = greeter(tmp_path, "check")
    assert code == 0 and out.rstrip().splitlines()[-1].startswith("check: OK"), out
    assert "10 loaded from 10 rows, 0 rejected, 0 warning(s)" in out, out
    # The country's first holiday greets, so no holiday template sits unused (check warned of six).
    assert HOLIDAYS[country.split("-")[0]][0].name in titles
    assert "warning:" not in without_decree_notes(out), out

    code, out = greeter(tmp_path, "preview", "--days", "60", "--format", "json")
    assert code == 0, out
    letters = json.loads(out)
    assert len(letters) >= 8, letters
    mine = [
        d for d in letters if d["occasion"] == "birthday" and d["status"] == "send" and client in d["name"]
    ]
    assert mine, [(d["name"], d["occasion"], d["status"]) for d in letters]
    assert words in mine[0]["subject"] + mine[0]["text"], mine[0]
    assert "С уважением" not in mine[0]["text"] and "Москв" not in mine[0]["text"]


def _uncommented(text: str, country: str) -> str:
    """The config with ``country``'s example holidays made real occasions (the first is already)."""
    names = {h.name for h in HOLIDAYS[country.split("-")[0]]}
    pattern = re.compile(r"^  # - name: (\w+)\n(?:  #   [^\n]*\n)+", re.MULTILINE)

    def live(found: re.Match[str]) -> str:
        if found[1] not in names:
            return found.group()
        return "".join("  " + line[4:] + "\n" for line in found.group().splitlines())

    edited, count = pattern.subn(live, text)
    assert count >= len(names) - 1
    return edited


@pytest.mark.parametrize("locale", sorted(CASES))
def test_the_countrys_own_holidays_offered_are_names_check_knows(tmp_path: Path, locale: str) -> None:
    country = CASES[locale][0]
    init(tmp_path, "--locale", locale)
    config = tmp_path / "greeter.yaml"
    config.write_text(_uncommented(config.read_text(encoding="utf-8"), country), encoding="utf-8")
    settings = load_settings(config, today=TODAY)
    holidays = {o.name: o.holiday for o in settings.occasions if o.holiday}
    assert holidays == {h.name: h.holiday for h in HOLIDAYS[country.split("-")[0]]}
    code, out = greeter(tmp_path, "check")
    assert code == 0 and out.rstrip().splitlines()[-1].startswith("check: OK"), out


def test_init_country_sets_another_country_and_its_main_zone(tmp_path: Path) -> None:
    init(tmp_path, "--locale", "en", "--country", "us")
    settings = load_settings(tmp_path / "greeter.yaml", today=TODAY)
    assert (settings.defaults.country, settings.defaults.timezone) == ("US", "America/New_York")
    assert {o.name for o in settings.occasions} & RUSSIA_ONLY == set()
    code, out = greeter(tmp_path, "check")
    assert code == 0, out


def test_init_country_for_a_russian_project_leaves_out_the_russian_holidays_it_lacks(tmp_path: Path) -> None:
    init(tmp_path, "--country", "KZ")
    settings = load_settings(tmp_path / "greeter.yaml", today=TODAY)
    assert (settings.defaults.country, settings.defaults.locale) == ("KZ", "ru")
    # 8 March is Kazakhstan's holiday too (tests/test_init_cis.py); 23 February is not.
    assert {o.name for o in settings.occasions} & RUSSIA_ONLY == {"womens_day"}
    assert {o.name: o.title for o in settings.occasions}["birthday"] == "День рождения"
    code, out = greeter(tmp_path, "check")
    assert code == 0, out


def test_init_country_uz_writes_tashkent_s_zone(tmp_path: Path) -> None:
    init(tmp_path, "--country", "UZ")
    settings = load_settings(tmp_path / "greeter.yaml", today=TODAY)
    assert (settings.defaults.country, settings.defaults.timezone) == ("UZ", "Asia/Tashkent")


def test_an_unknown_country_is_refused_and_nothing_written(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["init", str(tmp_path / "p"), "--locale", "de", "--country", "XX"])
    assert done.exit_code == 2
    assert "'XX': no such country" in done.stderr
    assert not (tmp_path / "p").exists()
