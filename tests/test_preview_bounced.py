"""An address listed because mail to it bounced previews as a bounce, not as the client's own wish.

A manager read "client14@… is on the do-not-contact list" of a client whose mailbox no longer
existed (550 5.1.1) and took it that the client had asked not to be written to. The list's row
knows its reason (``bounced: …``): the skip says the address bounced, when, and what the server
said — in every gallery language; an address listed by hand still says it is on the list.

The real CLI in-process on a copy of config.example.yaml, a real SQLite journal.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.gallery_lang import TABLES, ui_for
from greeter.journal import open_journal
from tests.conftest import MakeProject, contact_row

AT = datetime.fromisoformat("2026-06-11T12:05+05:00")
BOUNCED = (
    "client14@example.com bounced on 2026-06-11 (the server said: 550 5.1.1 No such user here);"
    " it is not written to again"
)
ROWS = [
    contact_row("14", "client14@example.com", birthday="27.12.1980"),
    contact_row("15", "client15@example.com", birthday="27.12.1981", first="Пётр"),
]


def listed(make_project: MakeProject) -> Path:
    """14's address bounced at delivery (as greeter.delivery lists it); 15's was listed by hand."""
    config = make_project(ROWS)
    journal = open_journal(str(config.parent / "data" / "journal.sqlite3"), now=AT)
    try:
        journal.suppress(
            ["client14@example.com"], "bounced: 550 5.1.1 No such user here", AT, channel="bounce"
        )
        journal.suppress(["client15@example.com"], "asked by phone", AT, by="anna")
    finally:
        journal.close()
    return config


def test_preview_says_the_address_bounced(make_project: MakeProject) -> None:
    config = listed(make_project)
    args = ["--config", str(config), "preview", "--from", "2026-12-25", "--days", "5", "--format", "json"]
    result = CliRunner().invoke(main, [*args, "--now", "2026-12-20T12:00+03:00"])
    assert result.exit_code == 0, result.stderr
    items = {i["contact_id"]: i for i in json.loads(result.stdout) if i["occasion"] == "birthday"}
    assert (items["14"]["reason"], items["14"]["detail"]) == ("suppressed", BOUNCED)
    assert items["15"]["detail"] == "client15@example.com is on the do-not-contact list"


@pytest.mark.parametrize("tag", sorted(TABLES))
def test_every_gallery_language_says_it_bounced(tag: str) -> None:
    ui = ui_for(tag)
    said = ui.detail(BOUNCED, {})
    assert said is not None and "client14@example.com" in said and "550 5.1.1 No such user here" in said
    if tag != "en":
        assert "bounced" not in said and "2026-06-11" not in said, said  # in the language, its date too
