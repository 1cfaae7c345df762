"""``history`` on an empty journal and ``suppress --list`` of an empty list answer in words.

Both printed an empty table and nothing else — the list's title wrapped
over two lines ("do-not-contact list: 0" / "address(es)") — where preview
says "nothing planned in this range". They now say it on stdout, as preview
does, and print no empty table; JSON and CSV still print an empty list.
"""

from __future__ import annotations

from tests.conftest import MakeProject
from tests.test_send_e2e import NOW, greeter, people


def test_an_empty_journal_and_an_empty_list_say_so(make_project: MakeProject) -> None:
    config = make_project(people(2, day="01.08.1980"))  # nobody due: the journal is made, empty
    assert greeter(config, "send", "--once", "--now", NOW).returncode == 0
    empty = greeter(config, "history")
    assert empty.returncode == 0 and empty.stdout == "no greetings recorded yet\n", empty
    filtered = greeter(config, "history", "--state", "failed")
    assert filtered.stdout == "no greeting matches these filters\n", filtered
    assert greeter(config, "history", "--format", "json").stdout.strip() == "[]"
    listed = greeter(config, "suppress", "--list")
    assert listed.returncode == 0 and listed.stdout == "the do-not-contact list is empty\n", listed
    assert greeter(config, "suppress", "--list", "--format", "json").stdout.strip() == "[]"
    asked = greeter(config, "suppress", "--list", "ivan@example.com")
    assert "is not on the do-not-contact list" in asked.stderr and "┏" not in asked.stdout, asked
