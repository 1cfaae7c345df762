"""The CLI's English counts: one function for the plurals greeter's own lines say."""

from __future__ import annotations

import pytest

from greeter.wording import counted, merged_into


@pytest.mark.parametrize(
    ("n", "word", "plural", "expected"),
    [(0, "letter", None, "0 letters"), (1, "letter", None, "1 letter"), (2, "letter", None, "2 letters"),
     (1, "address", "addresses", "1 address"), (3, "address", "addresses", "3 addresses")],
)  # fmt: skip
def test_counted(n: int, word: str, plural: str | None, expected: str) -> None:
    assert counted(n, word, plural) == expected


@pytest.mark.parametrize(
    ("merged", "letters", "expected"),
    [(0, 1, ""), (1, 1, "and 1 occasion merged into it"), (2, 1, "and 2 occasions merged into it"),
     (3, 2, "and 3 occasions merged into them")],
)  # fmt: skip
def test_merged_into(merged: int, letters: int, expected: str) -> None:
    assert merged_into(merged, letters) == expected
