"""One ``--contact``: an id, else a name, in every command that takes it; ``suppress --contact``.

A new user reported that ``history --contact Смирнова`` found the client by
name while ``preview``, ``test-send`` and ``approve`` said "no contact has id
'Попова'", and that ``suppress`` had no ``--contact`` at all, so a client who
complained on the phone — known by name or CRM id, not by address — and one
whose e-mail cell is broken (the row rejected) could not be opted out. The real
CLI, the example project (``make_project``), real SQLite journals.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00:00+03:00"
TESTER = "me@company.ru"
ANNA = contact_row("1029", "anna@example.com", last="Смирнова", first="Анна", birthday="09.12.1981")
MARIA = contact_row("1030", "maria@example.com", last="Попова", first="Мария", birthday="10.12.1970")
OLGA = contact_row("1031", "olga@example.com", last="Попова", first="Ольга", birthday="11.12.1975")
#: Her e-mail cell is broken: the row is rejected, its id known.
BROKEN = contact_row("1032", "ivan@@example", last="Кузнецов", birthday="12.12.1965")
COMMANDS = [
    ("history",),
    ("preview",),
    ("test-send",),
    ("approve",),
    ("suppress",),
    ("unsuppress",),
    ("uncertain", "resend"),
    ("uncertain", "dismiss"),
    ("failed", "resend"),
]


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def planned(config: Path, *args: str) -> dict[str, tuple[str | None, str | None]]:
    """Each contact's birthday in December, as ``preview --format json`` plans it: id → (reason, detail)."""
    code, out, err = invoke(
        config, "preview", "--from", "2026-12-01", "--days", "20", "--format", "json", "--now", NOW, *args
    )
    assert code == 0, err
    rows = [r for r in json.loads(out) if r["occasion"] == "birthday"]
    return {r["contact_id"]: (r["reason"], r.get("detail")) for r in rows}


def test_preview_test_send_and_approve_take_a_name_as_history_does(make_project: MakeProject) -> None:
    config = make_project([ANNA, MARIA, OLGA], review="required")
    assert set(planned(config, "--contact", "Смирнова")) == {"1029"}
    code, _, err = invoke(config, "preview", "--contact", "Смирнова Анна", "--now", NOW)
    assert code == 0 and "--contact Смирнова Анна: contact 1029 (Анна" in err, err
    code, out, err = invoke(config, "test-send", "--contact", "смирнова", "--to", TESTER, "--now", NOW)
    assert code == 0, out + err
    (written,) = (config.parent / "data" / "outbox").glob("test-*.eml")
    assert "X-Greeter-Test-Of" in written.read_text(encoding="utf-8", errors="replace")
    code, out, err = invoke(
        config, "approve", "--contact", "Анна Смирнова", "--from", "2026-12-09", "--now", NOW
    )
    assert code == 0 and "approved 1" in out, out + err
    assert planned(config, "--contact", "1029")["1029"][0] is None  # approved: it goes


@pytest.mark.parametrize(
    "args",
    [
        ("preview", "--now", NOW),
        ("test-send", "--to", TESTER, "--now", NOW),
        ("approve", "--now", NOW),
        ("suppress",),
    ],
)
def test_a_name_several_contacts_have_lists_them_with_ids_and_exits_2(
    make_project: MakeProject, args: tuple[str, ...]
) -> None:
    config = make_project([ANNA, MARIA, OLGA])
    code, out, err = invoke(config, args[0], "--contact", "Попова", *args[1:])
    assert (code, out) == (2, ""), out + err
    assert "--contact Попова is no contact id, and several contacts have that name: did you mean" in err
    assert "1030 (Мария" in err and "1031 (Ольга" in err, err
    assert not (config.parent / "data" / "outbox").exists() or not any(
        (config.parent / "data" / "outbox").iterdir()
    )
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # nothing bound, no journal made


def test_suppress_contact_by_name_skips_it_in_preview_and_unsuppress_lifts_it(
    make_project: MakeProject,
) -> None:
    config = make_project([ANNA, MARIA])
    code, out, err = invoke(config, "suppress", "--contact", "Смирнова", "--reason", "called", "--now", NOW)
    assert code == 0, out + err
    assert "--contact Смирнова: contact 1029" in err
    assert "contact 1029 (its address anna@example.com) opted out as a person" in out
    reason, detail = planned(config)["1029"]
    assert reason == "suppressed" and "the client opted out on 2026-12-01 from anna@example.com (called)" in (
        detail or ""
    )
    assert planned(config)["1030"][0] is None
    code, out, err = invoke(config, "suppress", "--list", "--json")
    assert code == 0, err
    # No address listed (the person opted out), but the list carries the opt-out: a row of its own.
    ((row,),) = [json.loads(out)]
    assert row == {
        "email": "",
        "reason": "called",
        "created_at": "2026-12-01T06:00:00+00:00",
        "contact_ids": ["1029"],
        "opted_out_from": "anna@example.com",
    }
    again = invoke(config, "suppress", "--contact", "1029", "--now", NOW)
    assert again[0] == 0 and "contact 1029 has opted out already" in again[1]
    code, out, err = invoke(config, "unsuppress", "--contact", "Анна Смирнова")
    assert code == 0 and "lifted the opt-out of contact 1029" in out, out + err
    assert planned(config)["1029"][0] is None


def test_a_row_rejected_for_its_email_is_suppressed_by_id_and_stays_so_when_mended(
    make_project: MakeProject,
) -> None:
    config = make_project([ANNA, BROKEN])
    code, out, err = invoke(config, "suppress", "--contact", "1032", "--reason", "complaint", "--now", NOW)
    assert code == 0, out + err
    assert "contact '1032' (row 3) was not loaded" in err and "bound by its id" in err
    assert "contact 1032 opted out as a person" in out
    contacts = config.parent / "data" / "contacts.csv"
    contacts.write_text(contacts.read_text(encoding="utf-8-sig").replace("ivan@@example", "ivan@example.com"),
                        encoding="utf-8-sig")  # fmt: skip
    reason, detail = planned(config)["1032"]
    assert reason == "suppressed", detail
    assert detail == "the client opted out on 2026-12-01 by its contact id (complaint)"


def test_an_id_no_row_has_is_refused_with_the_closest_unless_forced(make_project: MakeProject) -> None:
    config = make_project([ANNA, BROKEN])
    code, out, err = invoke(config, "suppress", "--contact", "1033", "--now", NOW)
    assert (code, out) == (2, ""), out + err
    assert "no contact has id or name '1033' (--contact)" in err and "did you mean" in err and "'1032'" in err
    assert "--force" in err
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # refused: no journal made
    code, out, err = invoke(config, "suppress", "--contact", "1033", "--force", "--now", NOW)
    assert code == 0 and "contact 1033 opted out as a person" in out, out + err
    assert "1033 (person, by id)" in invoke(config, "suppress", "--list")[1]
    assert invoke(config, "suppress", "--force", "a@example.com")[0] == 2  # --force goes with --contact


def test_an_id_or_name_given_as_an_address_points_to_contact(make_project: MakeProject) -> None:
    config = make_project([ANNA])
    code, out, err = invoke(config, "suppress", "1029", "Смирнова Анна", "--now", NOW)
    assert code == 1, out + err
    assert (
        "argument 1: '1029' is not a valid e-mail address; not suppressed (a contact? greeter suppress --contact 1029)"
        in err
    )
    assert "(a contact? greeter suppress --contact 'Смирнова Анна')" in err
    assert planned(config)["1029"][0] is None


@pytest.mark.parametrize("command", COMMANDS)
def test_every_contact_option_says_id_or_name_alike(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", " ", result.stdout)
    assert "--contact ID|NAME" in text, text
    assert "its contact id, else its name as the CRM shows it" in text
    assert "a name several contacts have lists them with their ids (exit 2)" in text


def test_an_id_only_the_journal_has_is_bound_with_its_latest_address(make_project: MakeProject) -> None:
    config = make_project([ANNA, MARIA])
    code, out, err = invoke(config, "send", "--once", "--now", "2026-12-09T17:00:00+03:00")
    assert code == 0 and "sent: 1" in out, out + err
    contacts = config.parent / "data" / "contacts.csv"
    contacts.write_text(
        contacts.read_text(encoding="utf-8-sig").replace(ANNA + "\n", ""), encoding="utf-8-sig"
    )
    code, out, err = invoke(config, "suppress", "--contact", "1029", "--now", NOW)
    assert code == 0, out + err
    assert "contact '1029' is not in the contacts now: bound by its id" in err
    assert "contact 1029 (its address anna@example.com) opted out as a person" in out
    contacts.write_text(contacts.read_text(encoding="utf-8-sig") + ANNA + "\n", encoding="utf-8-sig")
    code, out, err = invoke(config, "history", "--contact", "Смирнова")
    assert (
        code == 0 and "greetings stopped: the client opted out on 2026-12-01 from anna@example.com" in err
    ), err


def test_uncertain_and_failed_read_a_name_as_history_does(make_project: MakeProject) -> None:
    config = make_project([ANNA, MARIA, OLGA])
    code, out, err = invoke(config, "send", "--once", "--now", "2026-12-09T17:00:00+03:00")
    assert code == 0, out + err
    code, out, err = invoke(config, "uncertain", "dismiss", "--contact", "Попова", "--now", NOW)
    assert (code, out) == (2, ""), out + err
    assert "did you mean --contact 1030 (Мария" in err and "1031 (Ольга" in err, err
    code, out, err = invoke(config, "failed", "resend", "--contact", "Смирнова", "--now", NOW)
    assert code == 1 and "--contact Смирнова: contact 1029 (Анна" in err, out + err
    assert "no failed greeting matches" in err
