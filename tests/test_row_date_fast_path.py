"""The row parser's inline reading of a dotted date (``DD.MM.YYYY``) says what the date parser says.

The loader reads a date text the first time it meets it through a short path
of its own (:meth:`greeter.sources.row_dates.RowDates._read_date`: eight ASCII
digits through ``date.fromisoformat``, anything else through ``int()``), not
through :meth:`~greeter.sources.dates.DateParser.parse`, for speed: an
export's dates are new to its cache for the first tens of thousands of rows.
Whatever that path reads, it must read as the parser does — impossible days,
leap years, a year 0000, signs and non-ASCII digits included — and the
contact and its row's problems must be those the parser's reading gives.
"""

from __future__ import annotations

from datetime import date

import pytest

from greeter.config_loader import load_settings
from greeter.sources.dates import PLACEHOLDER_DAYS, DateParser, no_date
from greeter.sources.rows import RowParser
from tests.conftest import HEADER, ROOT, TODAY, contact_row

#: Texts the short path decides on its own or hands over: every day 00–32 of every month 00–13 of
#: years around leap-year rules, then texts int() reads but the ISO reading does not.
TEXTS = [
    f"{day:02}.{month:02}.{year:04}"
    for year in (0, 1900, 1980, 2000, 2023, 2024, 9999)
    for month in range(14)
    for day in range(33)
] + ["+7.12.1980", "07.+2.1980", "07.12.+980", "٠٧.١٢.١٩٨٠", "07.12.1_80", "07.12.198٠", "0x.12.1980"]


def _parser() -> RowParser:
    settings = load_settings(ROOT / "config.example.yaml", today=TODAY)
    parser = RowParser(settings.contacts, HEADER.split(";"), "c.csv")
    parser.default_zone = "Europe/Moscow"
    return parser


def test_the_short_path_reads_every_dotted_text_as_the_date_parser_does() -> None:
    settings = load_settings(ROOT / "config.example.yaml", today=TODAY)
    reference = DateParser(settings.contacts.date_formats)
    parser = _parser()
    for number, text in enumerate(TEXTS, 2):
        expected = reference.parse(text)
        contact, problems = parser.parse(
            contact_row(str(number), f"c{number}@example.com", birthday=text).split(";"), number
        )
        assert contact is not None, (text, problems)
        placeholder = (expected is None or expected in PLACEHOLDER_DAYS) and no_date(
            text, expected
        ) is not None
        if expected is None or placeholder:  # unreadable, or "no date" (01.01.0001, 31.12.9999)
            assert "birthday" not in contact.dates, text
        else:
            assert contact.dates.get("birthday") == expected, text


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("29.02.2000", date(2000, 2, 29)),
        ("29.02.1900", None),
        ("31.04.2001", None),
        ("07.12.1980", date(1980, 12, 7)),
        ("+7.12.1980", date(1980, 12, 7)),
        ("٠٧.١٢.١٩٨٠", date(1980, 12, 7)),
    ],
)
def test_a_dotted_date_is_read_the_same_the_second_time(text: str, read: date | None) -> None:
    """The cached reading (a dict look-up) is the first one's."""
    parser = _parser()
    for number in (2, 3):
        contact, _ = parser.parse(
            contact_row(str(number), f"c{number}@example.com", birthday=text).split(";"), number
        )
        assert contact is not None
        assert contact.dates.get("birthday") == read
