"""What ``greeter history``'s table says of a row, in the words a manager reads elsewhere in it.

A client's history said "merged into first_deal_anniversary" — the occasion's machine name —
beside an occasion column reading «Годовщина сотрудничества»; and a row journaled under a
former id read ``2009 (as contact 1009)``, as if 1009 were the client's id now.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from greeter.contacts import Contact
from greeter.history_people import People
from greeter.history_view import table_cells
from greeter.journal_store import JournalEntry

AT = datetime(2026, 3, 19, 9, 47, tzinfo=UTC)
PEOPLE = People(
    contacts={"2017": Contact("2017", "client17@example.com", "Наталья", "Сергеевна", "Егорова")},
    titles={"first_deal_anniversary": "Годовщина сотрудничества", "womens_day": "8 Марта"},
    default_zone="Europe/Moscow",
)


def row(contact_id: str, state: str, reason: str | None) -> JournalEntry:
    return JournalEntry(
        contact_id=contact_id, occasion="womens_day", occasion_date=date(2026, 3, 8), state=state,
        email="client17@example.com", message_id=None, attempts=0, last_reply=None, reason=reason,
        planned_at=None, send_day=None, next_attempt_at=None, merged=(), content_hash=None,
        created_at=AT, updated_at=AT, sent_at=None,
    )  # fmt: skip


def test_merged_row_names_the_carrier_by_its_title() -> None:
    cells = table_cells(row("2017", "skipped", "merged into first_deal_anniversary"), None, PEOPLE)
    assert str(cells[-1]) == "merged into Годовщина сотрудничества"
    assert str(cells[3]) == "8 Марта"


def test_merged_into_an_occasion_gone_from_the_config_keeps_its_name() -> None:
    cells = table_cells(row("2017", "skipped", "merged into company_day"), None, PEOPLE)
    assert str(cells[-1]) == "merged into company_day"


def test_row_under_a_former_id_says_which_id_is_the_journals() -> None:
    cells = table_cells(row("1017", "sent", None), "2017", PEOPLE)
    assert str(cells[0]).startswith("2017 (journal: contact 1017) ")
