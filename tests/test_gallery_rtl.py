"""The gallery of a Tel Aviv office: Hebrew words read right to left, and Israel's Sunday is a working day.

Found by a Tel Aviv office: the cards' subjects and names and a letter page's text
pane laid Hebrew out left to right (no ``dir``), and a day was styled as a weekend
(``day-weekend``) by Saturday and Sunday whatever the week of the clients greeted
on it — their Sunday letters sat under a weekend's grey heading, their Friday
ones (no Friday letter: Israel's weekend) under a working day's. Now a day is a
weekend when it is outside the working week of every client filed under it.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row


def _gallery(config: Path, start: str, days: int, now: str) -> Path:
    out = config.parent / "gallery"
    window = ["--from", start, "--days", str(days), "--now", now]
    result = CliRunner().invoke(
        main, ["--config", str(config), "preview", *window, "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def _section(index: str, day: str) -> str:
    """The opening tag of ``day``'s section in the index."""
    start = index.index(f'id="day-{day}"')
    return index[index.rindex("<section", 0, start) : start]


def test_israels_sunday_is_no_weekend_and_russias_is(make_project: MakeProject) -> None:
    """Sunday 14.02.2027: an Israeli client's letter leaves that day (a working day for them);
    Sunday 21.02: a Russian client's day (greeted the Friday before) and an Israeli one's."""
    rows = [
        contact_row("il-sun", "a@example.com", tz="Asia/Jerusalem", country="IL", birthday="14.02.1980"),
        contact_row("il-thu", "b@example.com", tz="Asia/Jerusalem", country="IL", birthday="12.02.1980"),
        contact_row("ru-mon", "c@example.com", tz="Europe/Moscow", country="RU", birthday="15.02.1980"),
    ]
    config = make_project(rows, defaults={"country": "RU"})
    index = (_gallery(config, "2027-02-08", 10, "2027-02-01T09:00") / "index.html").read_text("utf-8")
    assert 'class="day"' in _section(index, "2027-02-14")  # Sunday, Israel's working day
    assert "day-weekend" not in _section(index, "2027-02-14")
    assert "day-weekend" not in _section(index, "2027-02-11")  # Thursday
    assert "day-weekend" not in _section(index, "2027-02-15")  # Monday


def test_a_russian_sunday_is_still_a_weekend(make_project: MakeProject) -> None:
    """A day with only Russian clients is styled as before: a Sunday letter (``day_off_policy:
    on_day``) sits under a weekend heading."""
    rows = [contact_row("ru", "c@example.com", tz="Europe/Moscow", country="RU", birthday="14.02.1980")]
    config = make_project(rows, defaults={"country": "RU"}, send_window={"day_off_policy": "on_day"})
    index = (_gallery(config, "2027-02-08", 10, "2027-02-01T09:00") / "index.html").read_text("utf-8")
    assert "day-weekend" in _section(index, "2027-02-14")


def test_hebrew_words_read_right_to_left(make_project: MakeProject) -> None:
    rows = [
        contact_row(
            "il",
            "a@example.com",
            tz="Asia/Jerusalem",
            country="IL",
            birthday="15.02.1980",
            last="כהן",
            first="דנה",
            patronymic="",
        )
    ]
    config = make_project(rows, defaults={"country": "RU"})
    out = _gallery(config, "2027-02-08", 10, "2027-02-01T09:00")
    index = (out / "index.html").read_text("utf-8")
    assert '<h3 class="who" dir="auto">' in index and "דנה" in index
    assert '<p class="subject" lang="ru" dir="auto">' in index
    (page,) = (out / "drafts").glob("*/*.html")
    text = page.read_text("utf-8")
    assert '<pre class="plain" lang="ru" dir="auto">' in text
    assert 'dir="auto">' in text.split("<h1", 1)[1].split(">", 1)[0] + ">"
