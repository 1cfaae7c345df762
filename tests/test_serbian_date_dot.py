"""Serbian writes a date with a dot after the year, «12.03.1980.»: a d.m.Y format reads it so.

The Belgrade team's export was refused: ``'12.03.1980.' does not match
contacts.date_formats (%d.%m.%Y, %Y-%m-%d)`` — while «19.12.», the same
style without a year, was read.
"""

from __future__ import annotations

from datetime import date

import pytest

from greeter.sources.dates import YEARLESS_YEAR, DateParser


@pytest.mark.parametrize(
    ("formats", "text", "read"),
    [
        (["%d.%m.%Y", "%Y-%m-%d"], "12.03.1980.", date(1980, 3, 12)),
        (["%d.%m.%Y", "%Y-%m-%d"], "01.12.2001.", date(2001, 12, 1)),
        (["%d.%m.%Y"], "1.2.1980.", date(1980, 2, 1)),
        (["%d. %m. %Y"], "12. 03. 1980.", date(1980, 3, 12)),
        (["%d.%m.%Y"], "12.03.1980. 10:00", None),  # the dot ends the date: nothing after it
        (["%d.%m.%Y", "%d.%m.%Y."], "12.03.1980.", date(1980, 3, 12)),  # written out, as before
        (["%d.%m.%Y"], "19.12.", date(YEARLESS_YEAR, 12, 19)),  # as before
        (["%d.%m.%Y"], "16.12.1980 г.", date(1980, 12, 16)),  # as before
        (["%d.%m.%Y"], "12.03.80.", None),  # a 2-digit year is no year the dot closes
        (["%Y.%m.%d"], "1980.03.12.", None),  # Hungarian's dot closes the day: its own format
        (["%d.%m.%Y"], "12.03.1980..", None),
    ],
)
def test_a_dot_after_the_year_is_read(formats: list[str], text: str, read: date | None) -> None:
    assert DateParser(formats).parse(text) == read


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("25.12.1980.", '; read as "%d.%m.%Y" it is 25 December 1980 (add it to contacts.date_formats if'),
        ("12.03.1980.", '; read as "%d.%m.%Y" it is 12 March 1980, as "%m.%d.%Y" it is 3 December 1980'),
    ],
)
def test_a_value_with_the_dot_is_told_the_format_that_reads_it(text: str, hint: str) -> None:
    why = DateParser(["%Y-%m-%d"]).problem(text)
    assert why.startswith(f"does not match contacts.date_formats (%Y-%m-%d){hint}"), why
