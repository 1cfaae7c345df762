"""Under ``review: required``, ``send --once`` names the next letter that will really leave.

Its summary ended ``next letter due 2026-12-09 12:00 MSK (1029 birthday)`` for
a letter nobody had approved: the review gate holds it at that moment
("awaiting approval") until it is approved or expires, so an operator waited
for a letter that never went. Now the words say that it leaves once
approved, or name the first approved letter and count the earlier ones held;
``--json`` has them as ``awaiting_approval_before_next`` and
``next_letter_held``. Without review nothing changes
(tests/test_send_next_due.py).

The real CLI in-process (CliRunner), the example config's file transport and
its SQLite journal; the oracle for "when" is ``greeter preview``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row
from tests.test_send_next_due import MOMENT, NOW, moscow

#: 1029's birthday is on Wednesday 9 December, 1040's on Friday 11 December: both ahead of NOW;
#: their New Year letters (29 December) are planned too.
ROWS = [
    contact_row("1029", "a@example.com", birthday="09.12.1981"),
    contact_row("1040", "b@example.com", birthday="11.12.1980"),
]


#: ``approve``'s range for the New Year letters (29 December).
NEW_YEAR = ("--from", "2026-12-28", "--days", "3")


def run(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def leaves_at(config: Path, contact_id: str, occasion: str = "birthday") -> datetime:
    """When ``preview`` plans ``contact_id``'s letter for ``occasion`` to leave."""
    code, out, err = run(config, "preview", "--now", NOW, "--days", "30", "--format", "json")
    assert code == 0, err
    (row,) = [
        r
        for r in json.loads(out)
        if (r["contact_id"], r["occasion"], r["status"]) == (contact_id, occasion, "send")
    ]
    return datetime.fromisoformat(row["send_at"])


def send_line(config: Path) -> str:
    code, out, err = run(config, "send", "--once", "--now", NOW)
    assert code == 0, out + err
    line = out.strip()
    assert line.startswith("2026-12-03 16:57 MSK: due 0; sent: 0;"), line
    return line


def send_json(config: Path) -> dict[str, Any]:
    code, out, err = run(config, "send", "--once", "--now", NOW, "--json")
    assert code == 0, out + err
    summary: dict[str, Any] = json.loads(out)
    return summary


def approve(config: Path, contact_id: str, *within: str) -> None:
    """Approve ``contact_id``'s letter of the 14 days from NOW (its birthday), or of ``within``."""
    days = within or ("--days", "14")
    code, out, err = run(config, "approve", "--contact", contact_id, "--now", NOW, *days, "--by", "t")
    assert code == 0 and out.startswith("approved 1 draft(s)"), out + err


def test_a_letter_nobody_approved_is_named_as_leaving_once_approved(make_project: MakeProject) -> None:
    config = make_project(ROWS, review="required")
    first = leaves_at(config, "1029")
    assert MOMENT < first < leaves_at(config, "1040")

    assert send_line(config).endswith(
        f"; next letter due {moscow(first)} (1029 birthday) once approved;"
        " it and 3 later one(s) await approval (greeter approve)"
    )
    summary = send_json(config)
    assert summary["next_letter"]["contact_id"] == "1029"
    assert (summary["awaiting_approval_before_next"], summary["next_letter_held"]) == (4, "awaiting_approval")
    assert datetime.fromisoformat(summary["next_send"]) == first  # the daemon still wakes for it

    code, out, err = run(config, "send", "--once", "--dry-run", "--now", NOW)
    assert code == 0, err
    assert out.strip().endswith(
        f"; next letter due {moscow(first)} (1029 birthday) once approved;"
        " it and 3 later one(s) await approval (greeter approve)"
    ), out


def test_the_first_approved_letter_is_named_and_the_earlier_held_ones_counted(
    make_project: MakeProject,
) -> None:
    config = make_project(ROWS, review="required")
    later = leaves_at(config, "1040")
    approve(config, "1040")
    assert send_line(config).endswith(
        f"; next letter due {moscow(later)} (1040 birthday); 1 earlier one awaits approval (greeter approve)"
    )
    summary = send_json(config)
    assert summary["next_letter"] == {
        "send_at": later.isoformat(),
        "contact_id": "1040",
        "occasions": ["birthday"],
    }
    assert (summary["awaiting_approval_before_next"], summary["next_letter_held"]) == (1, None)


def test_once_approved_the_letter_is_named_plainly(make_project: MakeProject) -> None:
    config = make_project(ROWS[:1], review="required")
    first = leaves_at(config, "1029")
    assert send_line(config).endswith(
        f"; next letter due {moscow(first)} (1029 birthday) once approved;"
        " it and 1 later one(s) await approval (greeter approve)"
    )
    approve(config, "1029", *NEW_YEAR)  # the later letter goes; the birthday one is still held
    new_year = leaves_at(config, "1029", "new_year")
    assert send_line(config).endswith(
        f"; next letter due {moscow(new_year)} (1029 new_year); 1 earlier one awaits approval (greeter approve)"
    )
    approve(config, "1029")
    assert send_line(config).endswith(f"; next letter due {moscow(first)} (1029 birthday)")
    summary = send_json(config)
    assert (summary["awaiting_approval_before_next"], summary["next_letter_held"]) == (0, None)


def test_an_approved_letter_whose_contact_changed_is_held(make_project: MakeProject) -> None:
    """The CRM export refreshed after the approval: a new surname, so a letter nobody approved.

    A client without a birthday: the New Year letter is the only one ahead.
    """
    config = make_project([contact_row("1050", "c@example.com")], review="required")
    first = leaves_at(config, "1050", "new_year")
    approve(config, "1050", *NEW_YEAR)
    assert send_line(config).endswith(f"; next letter due {moscow(first)} (1050 new_year)")
    contacts = config.parent / "data" / "contacts.csv"
    text = contacts.read_text(encoding="utf-8-sig")
    assert "1050;c@example.com;Иванов" in text
    contacts.write_text(text.replace("1050;c@example.com;Иванов", "1050;c@example.com;Петров"), "utf-8-sig")

    assert send_line(config).endswith(
        f"; next letter due {moscow(first)} (1050 new_year) once approved (greeter approve)"
    )
    summary = send_json(config)
    assert summary["next_letter"]["contact_id"] == "1050"
    assert (summary["awaiting_approval_before_next"], summary["next_letter_held"]) == (
        1,
        "changed_since_approval",
    )


def test_without_review_the_new_keys_are_null(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    assert send_line(config).endswith(
        f"; next letter due {moscow(leaves_at(config, '1029'))} (1029 birthday)"
    )
    summary = send_json(config)
    assert summary["next_letter"]["contact_id"] == "1029"
    assert (summary["awaiting_approval_before_next"], summary["next_letter_held"]) == (None, None)


def test_past_the_letters_asked_about_the_count_is_at_least(make_project: MakeProject) -> None:
    """Sixteen clients, each a birthday and a New Year letter ahead: the gate is asked about 30."""
    from greeter.send import GATE_LOOKAHEAD

    rows = [contact_row(str(n), f"c{n}@example.com", birthday="09.12.1981") for n in range(1001, 1017)]
    config = make_project(rows, review="required")
    assert send_line(config).endswith(
        f" once approved; it and at least {GATE_LOOKAHEAD - 1} later one(s) await approval (greeter approve)"
    )
    assert send_json(config)["awaiting_approval_before_next"] == GATE_LOOKAHEAD
