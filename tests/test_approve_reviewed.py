"""``greeter approve --reviewed FILE``: approve the letters the reviewer read, not what renders now.

Approving renders the drafts again, so a template edited (or a CRM export
refreshed) between the reviewer reading the preview and approving it was
approved unread: a reviewer rehearsing the New Year break approved a typo
nobody had seen. ``preview --format json`` now carries each letter's
fingerprint (under ``review: required``), and ``approve --reviewed`` approves
only the letters still exactly as in that file. Real CLI processes and a real
SQLite journal.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import MakeProject
from tests.test_send_e2e import NOW, greeter, people

RANGE = ("--from", "2027-04-13", "--days", "2", "--now", NOW)


def _reviewed(make_project: MakeProject) -> tuple[Path, Path]:
    config = make_project(people(2), review="required")
    shown = greeter(config, "preview", *RANGE, "--format", "json")
    drafts = json.loads(shown.stdout)
    assert all(d["fingerprint"] for d in drafts if d["status"] == "send") and drafts, drafts
    week = config.parent / "week.json"
    week.write_text(shown.stdout, encoding="utf-8")
    return config, week


def approvals(config: Path) -> dict[str, str]:
    shown = greeter(config, "preview", *RANGE, "--format", "json")
    return {d["contact_id"]: d["approval"] for d in json.loads(shown.stdout)}


def test_the_letters_as_reviewed_are_approved(make_project: MakeProject) -> None:
    config, week = _reviewed(make_project)
    done = greeter(config, "approve", "--all", *RANGE, "--reviewed", str(week))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("approved 2 draft(s) for ")
    assert approvals(config) == {"1": "approved", "2": "approved"}
    again = greeter(config, "approve", "--all", *RANGE)  # as they are: nothing new to approve
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("nothing new to approve: all 2 draft(s) were approved already for "), (
        again.stdout
    )
    again = greeter(config, "approve", "--reviewed", str(week), "--now", NOW)  # QA: "(2 of them approved…)"
    assert again.stdout.startswith("nothing new to approve: all 2 draft(s) were approved already for "), (
        again.stdout
    )


def test_a_letter_changed_since_it_was_reviewed_is_named_and_not_approved(make_project: MakeProject) -> None:
    config, week = _reviewed(make_project)
    contacts = config.parent / "data" / "contacts.csv"  # the CRM export refreshed: a new surname
    contacts.write_text(
        contacts.read_text(encoding="utf-8-sig").replace(
            "2;client2@example.com;Иванов", "2;client2@example.com;Петров", 1
        ),
        encoding="utf-8-sig",
    )
    done = greeter(config, "approve", "--all", *RANGE, "--reviewed", str(week))
    assert done.returncode == 1
    assert done.stdout.startswith("approved 1 draft(s)")
    assert f"not approved (changed since {week}): 2 birthday 2027-04-13; preview it again" in done.stderr
    assert approvals(config) == {"1": "approved", "2": "awaiting_approval"}


def test_a_file_that_is_no_reviewed_preview_is_a_usage_error(make_project: MakeProject) -> None:
    config = make_project(people(1), review="required")
    plain = config.parent / "plain.json"
    plain.write_text(
        json.dumps([{"contact_id": "1", "status": "send", "fingerprint": None}]), encoding="utf-8"
    )
    for path, words in (
        (config.parent / "missing.json", "No such file"),
        (config, "Expecting value"),  # the YAML config: not JSON
        (plain, "preview writes them only when the config says review: required"),
    ):
        done = greeter(config, "approve", "--all", *RANGE, "--reviewed", str(path))
        assert done.returncode == 2 and f"--reviewed {path}:" in done.stderr and words in done.stderr, (
            done.stderr
        )
    assert set(approvals(config).values()) == {"awaiting_approval"}


def test_reviewed_alone_approves_the_drafts_the_file_holds_on_its_own_days(make_project: MakeProject) -> None:
    """The file says which drafts were read: ``--reviewed FILE`` alone was "say what to approve"
    (exit 2), and a filter's default range (7 days from today) would miss a preview of later days."""
    config = make_project(people(2), review="required")
    shown = greeter(config, "preview", *RANGE, "--contact", "2", "--format", "json")
    week = config.parent / "week.json"
    week.write_text(shown.stdout, encoding="utf-8")
    done = greeter(config, "approve", "--reviewed", str(week), "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("approved 1 draft(s) for 2027-04-13;"), done.stdout  # not from today, 14th
    assert "not approved: 1 draft(s) of the range" in done.stderr  # contact 1's: not in the file
    assert approvals(config) == {"1": "awaiting_approval", "2": "approved"}


def test_with_nothing_to_approve_the_message_names_reviewed_too(make_project: MakeProject) -> None:
    config = make_project(people(1), review="required")
    done = greeter(config, "approve", "--now", NOW)
    assert done.returncode == 2
    assert "say what to approve: --all, --contact ID|NAME, --occasion NAME or --reviewed FILE" in done.stderr


def test_a_preview_with_no_letters_has_nothing_to_approve(make_project: MakeProject) -> None:
    """QA: ``[]`` (no letter in the range) was blamed on a config that does say ``review: required``."""
    config = make_project(people(1), review="required")
    none = config.parent / "none.json"
    none.write_text(
        greeter(
            config, "preview", "--from", "2027-06-01", "--days", "1", "--now", NOW, "--format", "json"
        ).stdout
    )
    assert json.loads(none.read_text()) == []
    done = greeter(config, "approve", "--reviewed", str(none), "--now", NOW)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"nothing to approve: {none} holds no letters (its preview found none to send)\n"
    assert "review: required" not in done.stderr
