"""A client's opt-outs, lifted ones too, by the client's name — in history and in the list's record.

A manager asked why Егорова got no 8 March letter: ``history --contact Егорова`` said nothing of
her week on the list (2–10 March, lifted by ``unsuppress``), ``suppress --list --all --contact 1017``
was refused, and ``suppress --list --all`` showed each act twice (the address's entry, then the
person's binding). Now history lists the lifted opt-out after the rows, ``--list [--all]`` takes
``--contact`` (a name or an id), and the record's table shows each act once.

The real CLI in-process on a copy of config.example.yaml, a real SQLite journal.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

ROWS = [
    contact_row("1017", "client17@example.com", last="Егорова", first="Наталья", patronymic="Сергеевна",
                birthday="18.07.1967"),
    contact_row("1018", "client18@example.com", birthday="20.07.1970"),
]  # fmt: skip
LIFTED = (
    "opt-out lifted: client17@example.com was on the do-not-contact list from 2026-03-02 09:00 UTC"
    " (olga: позвонила: просит не писать) until 2026-03-10 09:00 UTC (lifted by ivan: передумала)"
)


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def lifted(make_project: MakeProject) -> Path:
    """Егорова's address put on the list on 2 March and taken off on 10 March; 1018's listed."""
    config = make_project(ROWS)
    for args in (
        ("suppress", "client17@example.com", "--reason", "позвонила: просит не писать", "--by", "olga",
         "--now", "2026-03-02T12:00+03:00"),
        ("unsuppress", "client17@example.com", "--reason", "передумала", "--by", "ivan",
         "--now", "2026-03-10T12:00+03:00"),
        ("suppress", "client18@example.com", "--by", "olga", "--now", "2026-03-11T12:00+03:00"),
    ):  # fmt: skip
        code, _, err = invoke(config, *args)
        assert code == 0, err
    return config


def test_history_of_the_client_by_name_lists_the_lifted_opt_out(make_project: MakeProject) -> None:
    config = lifted(make_project)
    code, _, err = invoke(config, "history", "--contact", "Егорова")
    assert code == 0, err
    assert err.count("opt-out lifted") == 1 and LIFTED in err, err
    _, _, other = invoke(config, "history", "--contact", "1018")
    assert "opt-out lifted" not in other, other


def test_the_record_by_client_name_shows_each_act_once(make_project: MakeProject) -> None:
    config = lifted(make_project)
    code, out, err = invoke(config, "suppress", "--list", "--all", "--contact", "Егорова")
    assert code == 0, err
    rows = [line for line in out.splitlines() if "client17@example.com" in line]
    assert len(rows) == 2 and "added" in rows[0] and "lifted" in rows[1], out
    assert all("1017" in row for row in rows), out
    assert "client18" not in out and "when (UTC)" in out, out
    # JSON keeps every stored event (the address's and the binding's), as --from-csv restores them
    code, out, err = invoke(config, "suppress", "--list", "--all", "--contact", "1017", "--format", "json")
    assert code == 0, err
    assert {(e["event"], e["contact_id"]) for e in json.loads(out)} == {
        ("added", None), ("added", "1017"), ("lifted", None), ("lifted", "1017"),
    }  # fmt: skip


def test_the_list_by_client(make_project: MakeProject) -> None:
    config = lifted(make_project)
    code, out, err = invoke(config, "suppress", "--list", "--contact", "1018", "--format", "json")
    assert code == 0, err
    assert [e["email"] for e in json.loads(out)] == ["client18@example.com"], out
    code, out, err = invoke(config, "suppress", "--list", "--contact", "Егорова")
    assert code == 0, err
    assert "not on the list now" in out and "client18" not in out, out
