"""``team_language``: the gallery and the calendar in the reviewing team's language, not the clients'.

A Russian-speaking office in Tbilisi writes to Georgian clients (``defaults.locale: ka``) and read
an English gallery (greeter has no Georgian words for it); setting ``defaults.locale: ru`` would
have sent Russian letters. A Riga office said the same. The letters keep ``defaults.locale``.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from icalendar import Calendar

from greeter.cli import main
from tests.conftest import MakeProject, contact_row
from tests.test_gallery_lang import parse

WINDOW = ["--from", "2026-12-25", "--days", "14", "--now", "2026-12-20T12:00+02:00"]


def finnish_project(make_project: MakeProject, **changes: object) -> Path:
    """A client in Finland whose letters are the default's, as a team that reads Russian reviews them."""
    row = contact_row("7", "seven@example.com", birthday="02.01.1979", first="Анна", patronymic="Ильинична")
    defaults = {"locale": "fi", "country": "FI", "timezone": "Europe/Helsinki"}
    return make_project([row], defaults=defaults, **changes)


def test_the_gallery_and_the_calendar_speak_team_language(make_project: MakeProject) -> None:
    config = finnish_project(make_project, team_language="ru")
    out = config.parent / "gallery"
    result = CliRunner().invoke(
        main, ["--config", str(config), "preview", *WINDOW, "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    index = parse(out / "index.html")
    assert next(index.find("html")).attrs["lang"] == "ru"
    assert next(n.all_text() for n in index.find(cls="day-name")) == "Вторник, 29 декабря 2026"
    ics = config.parent / "greetings.ics"
    result = CliRunner().invoke(main, ["--config", str(config), "calendar", *WINDOW, "-o", str(ics)])
    assert result.exit_code == 0, result.output
    [event] = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Поздравление: Анна Ильинична Иванов")


def test_unset_the_team_reads_defaults_locale(make_project: MakeProject) -> None:
    """Nothing changes for a config without it: a Finnish project's gallery is English, as before."""
    config = finnish_project(make_project)
    out = config.parent / "gallery"
    result = CliRunner().invoke(
        main, ["--config", str(config), "preview", *WINDOW, "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert next(parse(out / "index.html").find("html")).attrs["lang"] == "en"


def test_a_language_the_pages_have_no_words_in_is_refused_at_its_line(make_project: MakeProject) -> None:
    """«hy» would be an English gallery, silently — the very thing the setting is for; a typo of the
    key gets the loader's did-you-mean, as every key does."""
    config = finnish_project(make_project, team_language="hy")
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-20T12:00"])
    line = next(
        n for n, text in enumerate(config.read_text().splitlines(), 1) if text.startswith("team_language")
    )
    assert (
        f"{config}:{line}:1: team_language: the gallery and the calendar have no words in 'hy': they speak "
        "ru, en, de, et, hu, sr, sr_Latn, hr, bs, uk, ka"
    ) in result.output + result.stderr
    assert result.exit_code != 0
    text = config.read_text().replace("team_language: hy", "team_langage: ru")
    config.write_text(text)
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-20T12:00"])
    assert "team_langage: unknown key, did you mean `team_language`?" in result.output + result.stderr
    config.write_text(text.replace("team_langage: ru", "team_language: xx"))
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-20T12:00"])
    assert "team_language: 'xx' is not a language code Babel knows" in result.output + result.stderr
