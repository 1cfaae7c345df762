"""A letter skipped when sending: its card says the reason the journal recorded, in the gallery's language.

A Tashkent office's gallery showed, for letters the sender had skipped after
planning them (the address went on the do-not-contact list meanwhile, the
frequency cap, an operator's dismissal), only «при отправке письмо не
отправили (почему — в greeter history)»: the reason was in the journal all
along, and an expired card already said its own (``expired_why``). Real
project, a real SQLite journal written through its own transitions, then
``preview --format html`` in process; the HTML is parsed. The card's words in
every gallery language are asked of the card itself (:func:`greeter.gallery_cards.card_of`).
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.gallery_cards import card_of as card_from
from greeter.gallery_lang import TABLES, ui_for
from greeter.journal import open_journal
from tests.conftest import HEADER, ROOT, contact_row
from tests.test_gallery import parse
from tests.test_gallery_journal import card_of

NOW = datetime.fromisoformat("2026-12-30T12:00+03:00")
BIRTHDAY = date(2026, 12, 27)
SUPPRESSED = "suppressed: five@example.com is on the do-not-contact list"
CAPPED = "frequency_cap: only 6 days from the greeting of 2026-12-21 (min_gap_days 14)"
ROWS = [
    contact_row("5", "five@example.com", birthday="27.12.1980"),
    contact_row("6", "six@example.com", birthday="27.12.1981", first="Пётр"),
    contact_row("9", "nine@example.com", birthday="27.12.1982", first="Семён"),
]


def _journal(config: Path) -> None:
    """5 skipped as suppressed, 6 by the cap, 9 dismissed by an operator after it went uncertain."""
    journal = open_journal(str(config.parent / "data" / "journal.sqlite3"), now=NOW)
    try:
        journal.mark_skipped(("5", "birthday", BIRTHDAY), SUPPRESSED, NOW, email="five@example.com")
        journal.mark_skipped(("6", "birthday", BIRTHDAY), CAPPED, NOW, email="six@example.com")
        key = ("9", "birthday", BIRTHDAY)
        journal.claim(key, email="nine@example.com", message_id="<9@x>", planned_at=NOW, merged=[], now=NOW)
        journal.mark_uncertain(key, "connection lost after DATA", NOW)
        journal.dismiss(key, NOW)
    finally:
        journal.close()


ARGS = ["--from", "2026-12-25", "--days", "7", "--now", "2026-12-30T12:05+03:00"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("skipwhy")
    shutil.copytree(ROOT / "templates", tmp / "templates")
    (tmp / "data").mkdir()
    (tmp / "data" / "contacts.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8-sig")
    shutil.copy(ROOT / "config.example.yaml", tmp / "greeter.yaml")
    config = tmp / "greeter.yaml"
    _journal(config)
    return config


def _preview(config: Path, *more: str) -> str:
    result = CliRunner().invoke(main, ["--config", str(config), "preview", *ARGS, *more])
    assert result.exit_code == 0, result.output
    return result.stdout  # JSON on stdout alone: a note of days before the journal's first run goes to stderr


def test_the_json_detail_carries_the_journal_s_reason(project: Path) -> None:
    found = json.loads(_preview(project, "--format", "json"))
    items = {e["contact_id"]: e for e in found if e["occasion"] == "birthday"}
    assert items["5"]["detail"] == f"the journal already has this greeting (skipped): {SUPPRESSED}"
    assert items["6"]["detail"] == f"the journal already has this greeting (skipped): {CAPPED}"
    assert items["9"]["detail"] == "the journal already has this greeting (skipped): dismissed"
    assert {e["journal_state"] for e in items.values()} == {"skipped"}


def test_a_russian_gallery_says_why_each_was_skipped(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "g"
    _preview(project, "--format", "html", "--out", str(out))
    index = parse(out / "index.html")

    def detail(email: str) -> str:
        return next(card_of(index, email, "День рождения").find("p", "detail")).all_text()

    assert detail("five@example.com") == "при отправке письмо не отправили: five@example.com в стоп-листе"
    assert detail("six@example.com") == (
        "при отправке письмо не отправили: всего 6 дней от поздравления 21.12.2026 (min_gap_days 14)"
    )
    assert detail("nine@example.com").startswith("оператор отметил письмо как полученное")
    assert "greeter history" not in detail("five@example.com")


def _data(detail: str) -> dict[str, Any]:
    """One ``already_sent`` draft the journal holds as skipped, as preview's JSON says it."""
    return {
        "occasion_date": "2026-12-27", "status": "skip", "reason": "already_sent", "detail": detail,
        "journal_state": "skipped", "send_at": None, "name": "Иван", "timezone": "Europe/Moscow",
        "email": "five@example.com", "contact_id": "5", "occasion": "birthday", "merged_with": [],
        "years": None, "subject": None, "belated": False, "approval": None,
    }  # fmt: skip


@pytest.mark.parametrize("tag", sorted(TABLES))
def test_every_gallery_language_says_the_recorded_reason(tag: str) -> None:
    ui = ui_for(tag)
    said = card_from(1, _data(f"the journal already has this greeting (skipped): {CAPPED}"), has_page=False,
                     titles={}, ui=ui)  # fmt: skip
    assert said.detail is not None
    plain = card_from(
        1, _data("the journal already has this greeting (skipped)"), has_page=False, titles={}, ui=ui
    )
    assert said.detail != plain.detail and "14" in said.detail, said.detail
    if tag != "en":
        assert "only 6 days" not in said.detail, said.detail  # the planner's sentence in the language
    dismissed = card_from(1, _data("the journal already has this greeting (skipped): dismissed"),
                          has_page=False, titles={}, ui=ui)  # fmt: skip
    assert dismissed.detail == ui.say("journal.dismissed.detail")


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_both_journals_give_a_skip_its_recorded_reason(backend: str, tmp_path: Path) -> None:
    """Each journal's greeted_dates says a skip's reason; not a merged occasion's nor an expiry's."""
    from contextlib import ExitStack

    from greeter.journal_pg import PgJournal
    from greeter.journal_store import STATES
    from greeter.journal_transitions import merged_reason
    from tests import databases

    with ExitStack() as stack:
        if backend == "pg":
            url, _ = stack.enter_context(databases.pg_schema())
            journal: Any = stack.enter_context(PgJournal.open(url, now=NOW))
        else:
            journal = open_journal(str(tmp_path / "j.sqlite3"), now=NOW)
            stack.callback(journal.close)
        journal.mark_skipped(("5", "birthday", BIRTHDAY), SUPPRESSED, NOW, email="five@example.com")
        journal.mark_skipped(("5", "new_year", date(2026, 12, 29)), merged_reason("birthday"), NOW)
        journal.mark_expired(("6", "birthday", BIRTHDAY), NOW, email="six@example.com", why="missed")
        found = {(p.contact_id, p.occasion): p for p in journal.greeted_dates(date(2026, 1, 1), STATES)}
    assert found["5", "birthday"].skipped_why == SUPPRESSED
    assert found["5", "new_year"].skipped_why is None and found["5", "new_year"].merged_into == "birthday"
    assert (found["6", "birthday"].skipped_why, found["6", "birthday"].expired_why) == (None, "missed")
