"""A row's later e-mail column greets when an earlier one holds no valid address.

Left over from a CRM administrator's review of contact loading: with
``contacts.columns.email`` a list (Bitrix24's «Рабочий e-mail», «Частный
e-mail», «Другой e-mail»), a typo in the first filled column («ivan@mail»)
rejected the whole row though the next column held a good address — the
client lost every letter, while a cell listing several addresses already
greeted its first valid one. Now the first valid column is greeted, with a
warning at each bad cell passed over; only a row with no valid address in any
column is rejected, as a single column's invalid address rejects it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_email_columns import ALL, OTHER, PRIVATE, WORK, load_from_postgres, load_rows

NO_DOT = "the domain 'mail' has no dot (the end, like .ru or .com, is missing)"


def passed(column: str, cell: str, why: str, greeted: str, to: str) -> str:
    return (
        f"row 2: {column}: warning: '{cell}' is not a valid e-mail address{': ' if why else ''}{why}; greeting"
        f" {greeted} from '{to}' instead: correct it in the CRM"
    )


#: (contacts.columns.email, (work, private, other), the e-mail loaded or "rejected", the row's problems).
CASES: list[tuple[str | list[str], tuple[str, str, str], str | None, list[str]]] = [
    (ALL, ("ivan@mail", "i@x.ru", ""), "i@x.ru", [passed(WORK, "ivan@mail", NO_DOT, "i@x.ru", PRIVATE)]),
    (ALL, ("ivan@mail", "", "o@x.ru"), "o@x.ru", [passed(WORK, "ivan@mail", NO_DOT, "o@x.ru", OTHER)]),
    (  # each bad cell on the way is said, with the address greeted instead
        ALL,
        ("ivan@mail", "позвонить", "o@x.ru"),
        "o@x.ru",
        [
            passed(WORK, "ivan@mail", NO_DOT, "o@x.ru", OTHER),
            passed(PRIVATE, "позвонить", "", "o@x.ru", OTHER),
        ],
    ),
    (  # the later cell lists two: its first valid one, and its own note
        ALL,
        ("ivan@mail", "kuz@firm, d@x.ru", ""),
        "d@x.ru",
        [
            passed(WORK, "ivan@mail", NO_DOT, "d@x.ru", PRIVATE),
            f"row 2: {PRIVATE}: warning: 2 addresses in one cell: greeting the first valid one, d@x.ru"
            " ('kuz@firm' is not a valid address); to greet another, put it first in the CRM",
        ],
    ),
    (  # two addresses that are no list: neither is guessed, the next column's is greeted
        ALL,
        ("a@x.ru <b@x.ru>", "p@x.ru", ""),
        "p@x.ru",
        [
            passed(
                WORK,
                "a@x.ru <b@x.ru>",
                "it holds 2 addresses, and which one is meant cannot be told: write the addresses alone,"
                " separated by commas (the first is greeted)",
                "p@x.ru",
                PRIVATE,
            )
        ],
    ),
    (  # none valid: rejected at the first, as a single column's bad address is
        ALL,
        ("ivan@mail", "позвонить", ""),
        "rejected",
        [f"row 2: {WORK}: 'ivan@mail' is not a valid e-mail address: {NO_DOT}"],
    ),
    (  # a valid address before the bad one: greeted, the later column not even read
        ALL,
        ("i@x.ru", "ivan@mail", ""),
        "i@x.ru",
        [],
    ),
    (  # one column: the rule for it is unchanged, its bad address rejects the row
        WORK,
        ("ivan@mail", "i@x.ru", ""),
        "rejected",
        [f"row 2: {WORK}: 'ivan@mail' is not a valid e-mail address: {NO_DOT}"],
    ),
]


@pytest.mark.parametrize(("email", "cells", "loaded", "problems"), CASES)
def test_the_first_valid_column_is_greeted(
    tmp_path: Path,
    email: str | list[str],
    cells: tuple[str, str, str],
    loaded: str | None,
    problems: list[str],
) -> None:
    contacts, shown = load_rows(tmp_path, email, ("19", *cells))
    assert contacts == ([] if loaded == "rejected" else [("19", loaded)])
    assert shown == problems


def test_the_address_taken_instead_is_still_one_person_s(tmp_path: Path) -> None:
    contacts, shown = load_rows(tmp_path, ALL, ("1", "a@x.ru", "", ""), ("2", "ivan@mail", "A@x.ru", ""))
    assert contacts == [("1", "a@x.ru"), ("2", None)]
    assert shown[0] == passed(WORK, "ivan@mail", NO_DOT, "A@x.ru", PRIVATE).replace("row 2", "row 3")
    assert shown[1].startswith(f"row 3: {PRIVATE}: warning: 'A@x.ru' is already the e-mail of contact '1'")


def test_an_sql_source_greets_the_next_column_s_address() -> None:
    """The same row parser reads a query's rows: the rule holds there too."""
    contacts, report = load_from_postgres(
        ("work", "private"), "('1', 'ivan@mail', 'i@x.ru'), ('2', 'ivan@mail', NULL), ('3', NULL, 'p@x.ru')"
    )
    assert [(c.id, c.email) for c in contacts] == [("1", "i@x.ru"), ("3", "p@x.ru")]
    assert [(p.line, p.field, p.severity, p.message) for p in report.problems] == [
        (
            1,
            "work",
            "warning",
            f"'ivan@mail' is not a valid e-mail address: {NO_DOT}; greeting i@x.ru from 'private' instead:"
            " correct it in the CRM",
        ),
        (2, "work", "error", f"'ivan@mail' is not a valid e-mail address: {NO_DOT}"),
    ]
