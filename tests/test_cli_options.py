"""The CLI's options say the same thing the same way in every command, and its help reads whole.

A CLI review found one output option spelt three ways (``preview --out``,
``calendar -o/--output``, ``history -o/--out``), ``history --since`` where
the other ranges say ``--from``, ``suppress --list --format json`` without
the ``--json`` of the others, no ``preview --occasion`` to read what
``approve --occasion`` approves, ``history -o -`` writing a file named
``-``, ``send --json`` silent on stdout for a config error, ``-v`` refused
after the command's name, and a ``greeter --help`` whose summaries were cut
mid-phrase. DESIGN.md §3 keeps flags stable: each fix adds a spelling, none
is renamed or removed. Every test runs the real commands through CliRunner.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from greeter.cli import EPILOG, main
from greeter.cli_values import trimmed
from tests.conftest import MakeProject, contact_row
from tests.manual import manual_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "config.example.yaml")
#: The example's New Year fortnight, as tests/test_cli_contract.py previews it.
RANGE = ("--from", "2026-12-25", "--days", "14", "--now", "2026-12-01T09:00")
#: Where a birthday is greeted on its day: after a baseline at that moment the journal holds both.
BASELINE_AT = "2027-04-14T11:00+03:00"


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    """The real command, as a terminal 80 columns wide (the width click assumes when piped)."""
    return CliRunner().invoke(main, list(args), env=env, prog_name="greeter", terminal_width=80)


def _option(command: str, name: str) -> click.Option:
    found = [p for p in main.commands[command].params if isinstance(p, click.Option) and p.name == name]
    assert len(found) == 1, (command, name)
    return found[0]


@pytest.fixture
def journal(make_project: MakeProject) -> Path:
    """A project whose journal holds two greetings: occasions 12 and 14 April 2027, both written on the 14th."""
    config = make_project(
        [
            contact_row("1", "one@example.com", birthday="12.04.1980"),
            contact_row("2", "two@example.com", birthday="14.04.1980"),
        ]
    )
    done = invoke("-c", str(config), "baseline", "--now", BASELINE_AT)
    assert done.exit_code == 0 and "recorded 2 greeting(s)" in done.stdout, done.output
    return config


# --- 1. one output option, three spellings ------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "name"), [("preview", "out"), ("calendar", "output"), ("history", "out")]
)
def test_the_output_option_is_o_out_and_output_on_every_command_that_writes_a_file(
    command: str, name: str
) -> None:
    option = _option(command, name)
    assert {"-o", "--out", "--output"} <= set(option.opts), option.opts


def test_preview_writes_its_letters_with_o_and_with_output(tmp_path: Path) -> None:
    for flag, folder in (("-o", tmp_path / "short"), ("--output", tmp_path / "long")):
        done = invoke("--config", EXAMPLE, "preview", *RANGE, "--format", "eml", flag, str(folder))
        assert done.exit_code == 0, done.output
        assert len(list(folder.glob("*.eml"))) > 10, flag


def test_calendar_writes_its_file_with_out(tmp_path: Path) -> None:
    ics = tmp_path / "greetings.ics"
    done = invoke("--config", EXAMPLE, "calendar", *RANGE, "--out", str(ics))
    assert done.exit_code == 0, done.output
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR") and b"BEGIN:VEVENT" in ics.read_bytes()


def test_history_writes_its_file_with_output(journal: Path, tmp_path: Path) -> None:
    out = tmp_path / "journal.json"
    done = invoke("-c", str(journal), "history", "--output", str(out))
    assert done.exit_code == 0, done.output
    assert sorted(row["contact_id"] for row in json.loads(out.read_text(encoding="utf-8"))) == ["1", "2"]


# --- 2. history --from: --since by another name ---------------------------------------------------


def _history_ids(config: Path, *args: str) -> list[str]:
    done = invoke("-c", str(config), "history", "--format", "csv", *args)
    assert done.exit_code == 0, done.output
    return [row["contact_id"] for row in csv.DictReader(io.StringIO(done.stdout))]


def test_history_from_is_since_the_first_occasion_date_included(journal: Path) -> None:
    assert _history_ids(journal, "--from", "2027-04-14") == _history_ids(journal, "--since", "2027-04-14")
    assert _history_ids(journal, "--from", "2027-04-14") == ["2"]
    # Both ends included; the occasion's day, not the day its row was written (the 14th for both).
    assert _history_ids(journal, "--from", "2027-04-12", "--until", "2027-04-12") == ["1"]
    assert _history_ids(journal, "--from", "2027-04-13", "--until", "2027-04-13") == []
    said = " ".join(invoke("history", "--help").stdout.split())
    assert "--since, --from DATE" in said and "inclusive" in said and "not the day the letter left" in said


def test_history_from_after_until_is_the_usage_error_of_since(journal: Path) -> None:
    done = invoke("-c", str(journal), "history", "--from", "2027-04-15", "--until", "2027-04-14")
    assert done.exit_code == 2 and "--since 2027-04-15 is after --until 2027-04-14" in done.stderr


def test_every_option_naming_a_contact_trims_what_was_pasted() -> None:
    """``--contact " 1029 "`` pasted from a spreadsheet found nothing; each option that takes a
    contact id or an address trims it, with the one callback (:func:`greeter.cli_values.trimmed`)."""
    naming = {
        (name, opt)
        for name, command in main.commands.items()
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt in ("--contact", "--email") and param.callback is trimmed
    }
    every = {
        (name, opt)
        for name, command in main.commands.items()
        for param in command.params
        for opt in param.opts
        if opt in ("--contact", "--email")
    }
    assert naming == every
    assert {name for name, _ in every} == {
        "approve", "calendar", "failed", "history", "preview", "suppress", "test-send", "uncertain",
        "unsuppress",
    }  # fmt: skip


def test_every_occasion_option_trims_what_was_pasted() -> None:
    """``--occasion " birthday "`` as pasted was taken whole: no such occasion (exit 2), while the
    ``--contact`` beside it was trimmed. Every ``--occasion`` has the same callback."""
    every = {
        (name, param.callback is trimmed)
        for name, command in main.commands.items()
        for param in command.params
        if "--occasion" in param.opts
    }
    assert every == {
        (name, True)
        for name in ("approve", "calendar", "failed", "history", "preview", "test-send", "uncertain")
    }


@pytest.mark.parametrize(
    "command", [("history", "--format", "csv"), ("uncertain", "dismiss"), ("failed", "resend")]
)
def test_a_pasted_occasion_filters_as_the_bare_name(journal: Path, command: tuple[str, ...]) -> None:
    bare = invoke("-c", str(journal), *command, "--occasion", "birthday")
    pasted = invoke("-c", str(journal), *command, "--occasion", " birthday\t")
    assert bare.exit_code == pasted.exit_code and bare.exit_code in (0, 1), bare.output + pasted.output
    assert (pasted.stdout, pasted.stderr) == (bare.stdout, bare.stderr)
    if command[0] == "history":
        assert [row["contact_id"] for row in csv.DictReader(io.StringIO(pasted.stdout))] == ["1", "2"]
    blank = invoke("-c", str(journal), *command, "--occasion", " ")
    assert blank.exit_code == 2 and "Invalid value for '--occasion': an empty value" in blank.stderr


def test_a_pasted_occasion_previews_and_approves_as_the_bare_name(make_project: MakeProject) -> None:
    config = str(make_project([contact_row("1", "one@example.com", birthday="12.04.1980")]))
    days = ("--from", "2027-04-01", "--days", "30", "--now", "2027-04-01T09:00")
    bare = invoke("-c", config, "preview", *days, "--occasion", "birthday")
    pasted = invoke("-c", config, "preview", *days, "--occasion", " birthday ")
    assert bare.exit_code == pasted.exit_code == 0, bare.output + pasted.output
    assert pasted.stdout == bare.stdout and "send: 1" in bare.stdout
    approved = invoke("-c", config, "approve", *days, "--occasion", " birthday ", "--by", "qa")
    assert approved.exit_code == 0 and "approved 1 draft(s)" in approved.stdout, approved.output


def test_a_pasted_contact_id_lifts_its_opt_out(journal: Path) -> None:
    """A repeated option's values are trimmed each (``unsuppress --contact``)."""
    assert invoke("-c", str(journal), "suppress", "one@example.com").exit_code == 0
    done = invoke("-c", str(journal), "unsuppress", "--contact", " 1 ", "--contact", "2\t")
    assert "lifted the opt-out of contact 1 (from one@example.com" in done.stdout, done.output
    assert "contact '2' has no opt-out of its own" in done.stderr, done.output
    blank = invoke("-c", str(journal), "unsuppress", "--contact", "1", "--contact", " ")
    assert blank.exit_code == 2 and "Invalid value for '--contact': an empty value" in blank.stderr


# --- 3. suppress --list --json ---------------------------------------------------------------------


def test_suppress_list_json_is_format_json(make_project: MakeProject) -> None:
    config = str(make_project([contact_row("1", "one@example.com")]))
    added = invoke("-c", config, "suppress", "ivan@example.com", "anna@example.com", "--reason", "asked")
    assert added.exit_code == 0, added.output
    short = invoke("-c", config, "suppress", "--list", "--json")
    long = invoke("-c", config, "suppress", "--list", "--format", "json")
    assert short.exit_code == long.exit_code == 0, short.output + long.output
    assert short.stdout == long.stdout
    assert sorted(entry["email"] for entry in json.loads(short.stdout)) == [
        "anna@example.com",
        "ivan@example.com",
    ]
    alone = invoke("-c", config, "suppress", "x@example.com", "--json")  # as --format: only with --list
    assert alone.exit_code == 2 and "--format and --json go with --list" in alone.stderr


# --- 4. preview --occasion -----------------------------------------------------------------------


def _preview_json(*args: str) -> list[dict[str, object]]:
    done = invoke("--config", EXAMPLE, "preview", *RANGE, "--format", "json", *args)
    assert done.exit_code == 0, done.output
    items: list[dict[str, object]] = json.loads(done.stdout)
    return items


def _of(item: dict[str, object], occasion: str) -> bool:
    merged = item["merged_with"]
    assert isinstance(merged, list)
    return item["occasion"] == occasion or occasion in merged


def test_preview_occasion_shows_that_occasions_letters_and_those_it_rides_in() -> None:
    every = _preview_json()
    chosen = _preview_json("--occasion", "new_year")
    assert any(not _of(item, "new_year") for item in every)  # the range has other letters to leave out
    assert chosen == [item for item in every if _of(item, "new_year")]
    keys = {(i["contact_id"], i["occasion"], i["status"]) for i in chosen}
    # What approve --occasion new_year approves: New Year's own letters …
    assert ("1003", "new_year", "send") in keys
    # … and Anna's birthday letter, which carries New Year, with New Year's merged row beside it.
    assert {("1002", "birthday", "send"), ("1002", "new_year", "skip")} <= keys


def test_preview_occasion_filters_the_table_and_the_files_too(tmp_path: Path) -> None:
    letters = [i for i in _preview_json("--occasion", "new_year") if i["status"] == "send"]
    table = invoke("--config", EXAMPLE, "preview", *RANGE, "--occasion", "new_year")
    assert table.exit_code == 0, table.output
    rows = [line for line in table.stdout.splitlines() if re.match(r" \w{3} \d\d\.\d\d", line)]
    assert rows and all("Новый год" in row for row in rows), rows  # the table shows its title
    eml = invoke("--config", EXAMPLE, "preview", *RANGE, "--occasion", "new_year", "--format", "eml",
                 "--out", str(tmp_path / "eml"))  # fmt: skip
    assert eml.exit_code == 0, eml.output
    assert len(list((tmp_path / "eml").glob("*.eml"))) == len(letters)
    html = invoke("--config", EXAMPLE, "preview", *RANGE, "--occasion", "new_year", "--format", "html",
                  "--out", str(tmp_path / "html"))  # fmt: skip
    assert html.exit_code == 0, html.output
    assert len(list((tmp_path / "html" / "drafts").glob("*/*.html"))) == len(letters)  # a folder per day


def test_preview_refuses_an_unknown_occasion_as_approve_does() -> None:
    previewed = invoke("--config", EXAMPLE, "preview", *RANGE, "--occasion", "new_yaer")
    approved = invoke("--config", EXAMPLE, "approve", "--occasion", "new_yaer", "--now", "2026-12-01T09:00")
    assert previewed.exit_code == approved.exit_code == 2
    said = "no occasion 'new_yaer' in the config, did you mean 'new_year'?"
    assert said in previewed.stderr and said in approved.stderr
    assert previewed.stdout == ""


# --- 5. history -o - is stdout ----------------------------------------------------------------


def test_history_o_dash_prints_on_stdout_and_writes_no_file(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    done = invoke("-c", str(journal), "history", "--format", "json", "-o", "-")
    assert done.exit_code == 0, done.output
    assert sorted(row["contact_id"] for row in json.loads(done.stdout)) == ["1", "2"]
    assert not (tmp_path / "-").exists()
    assert done.stdout == invoke("-c", str(journal), "history", "--format", "json").stdout


# --- 6. send --json for a config error -------------------------------------------------------------


def test_send_json_prints_its_summary_with_the_config_error(tmp_path: Path) -> None:
    from tests.test_ops_json import KEYS

    done = invoke("-c", str(tmp_path / "missing.yaml"), "send", "--once", "--json")
    assert done.exit_code == 2
    summary = json.loads(done.stdout)
    assert set(summary) >= KEYS | {"config_error"}, sorted(KEYS - set(summary))
    assert summary["config_error"] == f"{tmp_path / 'missing.yaml'}: config file not found"
    assert (summary["due"], summary["sent"], summary["journal_unavailable"]) == (None, 0, None)
    assert "config file not found" in done.stderr  # and said for a person, as before


def test_send_json_says_a_contacts_file_that_is_not_there(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "one@example.com")])
    (config.parent / "data" / "contacts.csv").unlink()
    done = invoke("-c", str(config), "send", "--once", "--json", "--now", BASELINE_AT)
    assert done.exit_code == 2, done.output
    summary = json.loads(done.stdout)
    assert "contacts file not found" in summary["config_error"], summary
    assert summary["now"].startswith("2027-04-14T11:00:00+03:00")


# --- 7. help that reads whole --------------------------------------------------------------------


def _helps() -> dict[str, str]:
    shown = {"greeter": invoke("--help").stdout}
    for name in main.commands:
        shown[name] = invoke(name, "--help").stdout
    return shown


def test_greeter_help_gives_every_command_a_whole_summary_at_80_columns() -> None:
    text = invoke("--help").stdout
    listed = text.split("\nCommands:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(listed) == len(main.commands)
    for line in listed:
        _name, summary = line.split(None, 1)
        assert not summary.endswith("..."), line
        assert len(summary) <= 45, line  # where click's own cut is
    manual = " ".join(EPILOG.replace("\b", "").split())  # its lines kept as written (\b)
    assert " ".join(text.split()).endswith(manual)  # where the manual is: last


def test_greeter_help_lines_its_exit_codes_up_in_one_column() -> None:
    text = invoke("--help").stdout
    block = text.split("Exit codes:\n", 1)[1].split("\n\n", 1)[0]
    codes = [re.match(r"( +)(\d+)( +)(\S)", line) for line in block.splitlines() if re.match(r" +\d", line)]
    assert [m.group(2) for m in codes if m] == ["0", "1", "2", "3", "75", "129", "130", "143", "141"]
    assert len({m.start(4) for m in codes if m}) == 1, block  # every meaning starts in one column
    continued = [line for line in block.splitlines() if not re.match(r" +\d", line)]
    assert len({len(line) - len(line.lstrip()) for line in continued}) == 1


def test_no_help_line_is_wider_than_80_columns_nor_carries_developer_markup() -> None:
    for name, text in _helps().items():
        wide = [line for line in text.splitlines() if len(line) > 80]
        assert not wide, (name, wide)
        for markup in (":func:", ":class:", ":meth:", ":mod:", "``"):
            assert markup not in text, (name, markup)


def test_send_without_once_names_the_daemon_and_its_help_says_required_once() -> None:
    alone = invoke("send")
    assert alone.exit_code == 2
    assert "Missing option '--once'." in alone.stderr and "greeter run" in alone.stderr
    once = next(line for line in invoke("send", "--help").stdout.splitlines() if line.startswith("  --once"))
    assert "[required]" in once and "(required)" not in once


# --- 8. -v and -c after the command's name ----------------------------------------------------


def test_verbose_after_the_command_is_the_global_verbose(monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke("-c", EXAMPLE, "check", "-v").exit_code == 0
    assert invoke("check", "-c", EXAMPLE, "--verbose").exit_code == 0

    def bug(*_args: object, **_kwargs: object) -> None:  # a fault only a bug could raise
        raise RuntimeError("a bug")

    monkeypatch.setattr("greeter.checks.run_check", bug)
    quiet = invoke("-c", EXAMPLE, "check")
    loud = invoke("-c", EXAMPLE, "check", "-v")
    assert quiet.exit_code == loud.exit_code == 3
    assert "Traceback" not in quiet.stderr and "Traceback" in loud.stderr
    assert "internal error: RuntimeError: a bug" in loud.stderr


def test_schema_takes_config_as_every_command_does() -> None:
    before = invoke("-c", EXAMPLE, "schema")
    after = invoke("schema", "-c", EXAMPLE)
    assert before.exit_code == after.exit_code == 0, after.output
    assert after.stdout == before.stdout and json.loads(after.stdout)["type"] == "object"


def test_readme_says_every_command_takes_config_and_verbose() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "All commands take `-c/--config PATH`" in readme and "`-v/--verbose`" in readme
    for command in main.commands.values():
        names = {p.name for p in command.params if isinstance(p, click.Option)}
        assert {"config", "verbose"} <= names, command.name


# --- 9. shell completion, documented -------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_readme_completion_lines_give_a_completion_script(shell: str) -> None:
    assert f"_GREETER_COMPLETE={shell}_source greeter" in manual_text()  # docs/commands.md
    done = invoke(env={"_GREETER_COMPLETE": f"{shell}_source"})
    assert done.exit_code == 0 and "_GREETER_COMPLETE" in done.stdout and f"{shell}_complete" in done.stdout
