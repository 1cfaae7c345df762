"""``greeter init --locale de_AT`` / ``sr_Latn``: the config keeps the locale the user asked for.

The starter's letters are by language, so ``--locale de_AT`` took the German
starter and wrote ``locale: de``: an Austrian team's letters and gallery said
«Januar», not «Jänner», and ``--locale sr_Latn`` wrote ``locale: sr``, so a
Serbian-Latin team's clients without a locale of their own got Cyrillic —
until someone edited the config. ``init --locale hr`` is refused (the starter
has no Croatian letters) with the one line that says what to do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config_loader import load_settings
from tests.conftest import TODAY

NOW = "2026-12-20T09:00:00+01:00"  # 23 January 2027 is a Saturday: the birthday is greeted early, dated


def init(folder: Path, *args: str) -> None:
    done = CliRunner().invoke(main, ["init", str(folder), *args])
    assert done.exit_code == 0, done.output


def letters(config: Path) -> dict[str, dict[str, str]]:
    done = CliRunner().invoke(
        main, ["--config", str(config), "preview", "--days", "40", "--format", "json", "--now", NOW]
    )
    assert done.exit_code == 0, done.output
    return {d["contact_id"]: d for d in json.loads(done.stdout) if d["occasion"] == "birthday"}


def test_init_de_at_keeps_the_territory_and_an_austrian_letter_says_jaenner(tmp_path: Path) -> None:
    init(tmp_path, "--locale", "de-at")
    settings = load_settings(tmp_path / "greeter.yaml", today=TODAY)
    assert (settings.defaults.locale, settings.defaults.country) == ("de_AT", "AT")
    assert (
        "  locale: de_AT                # language of the letter" in (tmp_path / "greeter.yaml").read_text()
    )
    fields = (
        "client{n}@example.com;Weber;Stefan;männlich;Weber KG;Europe/Vienna;{locale};regular;;23.01.1976;;;AT"
    )
    rows = [f"90{n};" + fields.format(n=n, locale=loc) for n, loc in (("1", ""), ("2", "de_AT"), ("3", "de"))]
    with (tmp_path / "data" / "contacts.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")
    got = letters(tmp_path / "greeter.yaml")
    # No locale (defaults.locale) and de_AT: the German birthday.j2, in Austrian German.
    assert "am 23. Jänner haben Sie Geburtstag" in got["901"]["text"], got["901"]["text"]
    assert "am 23. Jänner haben Sie Geburtstag" in got["902"]["text"]
    assert got["902"]["template_file"] == "birthday.j2"
    assert "am 23. Januar haben Sie Geburtstag" in got["903"]["text"]  # de: Germany's German


def test_init_sr_latn_keeps_the_script_for_clients_without_a_locale(tmp_path: Path) -> None:
    init(tmp_path, "--locale", "sr_Latn")
    assert load_settings(tmp_path / "greeter.yaml", today=TODAY).defaults.locale == "sr_Latn"
    fields = "client9@example.com;Марковић;Ана;ж;Дунав д.о.о.;Europe/Belgrade;;VIP;;23.01.1976;;;RS"
    with (tmp_path / "data" / "contacts.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"9001;{fields}\n")
    text = letters(tmp_path / "greeter.yaml")["9001"]["text"]
    assert "rođendan" in text and "рођендан" not in text, text


@pytest.mark.parametrize(("asked", "written"), [("sr_Latn_RS", "sr_Latn"), ("et_EE", "et_EE"), ("EN", "en")])
def test_the_written_locale_is_one_defaults_locale_accepts(tmp_path: Path, asked: str, written: str) -> None:
    init(tmp_path, "--locale", asked)
    assert load_settings(tmp_path / "greeter.yaml", today=TODAY).defaults.locale == written


@pytest.mark.parametrize("asked", ["hr", "bs_BA"])
def test_croatian_and_bosnian_are_refused_saying_to_start_a_serbian_latin_project(
    tmp_path: Path, asked: str
) -> None:
    done = CliRunner().invoke(main, ["init", str(tmp_path / "p"), "--locale", asked])
    assert done.exit_code == 2
    assert "start with --locale sr_Latn and give those clients the locale" in done.stderr, done.stderr
    assert not (tmp_path / "p").exists()
