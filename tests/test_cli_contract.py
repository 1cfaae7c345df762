"""The command-line contract of DESIGN.md §3: exit codes, one-line errors, JSON fields."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row
from tests.tables import table_rows

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "config.example.yaml")
#: The example's occasions by name → their titles, which the preview table shows.
TITLES = {
    "birthday": "День рождения",
    "company_anniversary": "Годовщина компании",
    "first_deal_anniversary": "Годовщина сотрудничества",
    "new_year": "Новый год",
    "defender_day": "23 Февраля",
    "womens_day": "8 Марта",
}
FIELDS = {
    "contact_id", "email", "occasion", "occasion_date", "years", "send_at", "status", "reason",
    "merged_with", "subject", "text", "html",
}  # fmt: skip


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_on_the_example_exits_0() -> None:
    code, out, err = invoke("--config", EXAMPLE, "check")
    assert code == 0, out + err
    assert "contacts: 30 loaded from 30 rows, 0 rejected, 2 warning(s)" in out
    assert out.startswith(f"{EXAMPLE}: config OK\n") and "check: OK" in out
    summary = json.loads(invoke("--config", EXAMPLE, "check", "--json")[1])
    assert (summary["contacts_loaded"], summary["rows_rejected"], summary["render_failures"]) == (30, 0, 0)


def test_check_strict_turns_warnings_into_exit_1() -> None:
    assert invoke("--config", EXAMPLE, "check", "--strict")[0] == 1


def test_config_error_is_one_located_line_and_exit_2(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com")])
    config.write_text(
        config.read_text(encoding="utf-8").replace("frequency_cap:", "freqency_cap:"), encoding="utf-8"
    )
    code, out, err = invoke("--config", str(config), "check")
    assert code == 2
    assert re.fullmatch(
        r".*greeter\.yaml:\d+:1: freqency_cap: unknown key, did you mean `frequency_cap`\?\n", err
    )
    assert "Traceback" not in out + err


def test_rejected_row_is_exit_1_with_file_row_column(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com"), contact_row("2", "not-an-email")])
    code, _, err = invoke("--config", str(config), "check")
    assert code == 1
    assert "contacts.csv:row 3: Email: 'not-an-email' is not a valid e-mail address" in err


def test_a_template_typo_is_one_problem_naming_the_first_contacts_and_the_name_meant(
    make_project: MakeProject,
) -> None:
    config = make_project([contact_row(str(i), f"c{i}@example.com") for i in range(1, 8)])
    template = config.parent / "templates" / "birthday.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{{ contact|name }}", "{{ contakt|name }}", 1), encoding="utf-8")
    code, _, err = invoke("--config", str(config), "check")
    assert code == 1
    lines = [line for line in err.splitlines() if "contakt" in line]
    assert len(lines) == 1, err
    assert re.fullmatch(
        r"birthday\.j2:\d+:\d+: undefined: 'contakt' is undefined, did you mean 'contact'\?"
        r" \(7 contacts: 1, 2, 3 and 4 more\)",
        lines[0],
    )


def test_template_syntax_error_names_file_and_line_exit_1(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com")])
    broken = config.parent / "templates" / "birthday.j2"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    code, _, err = invoke("--config", str(config), "check")
    assert code == 1  # a mistake in a template, as an undefined name (README: Exit codes)
    assert re.search(r"birthday\.j2:\d+:\d+: syntax error: ", err)


def test_preview_json_shows_merged_new_year_and_birthday_with_salutations() -> None:
    code, out, err = invoke(
        "--config", EXAMPLE, "preview", "--from", "2026-12-25", "--days", "14", "--now", "2026-12-01T09:00",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    items = json.loads(out)
    assert items and all(set(i) >= FIELDS for i in items)
    assert all(i["status"] in ("send", "skip") for i in items)
    anna = next(i for i in items if i["contact_id"] == "1002" and i["status"] == "send")
    assert anna["occasion"] == "birthday" and anna["merged_with"] == ["new_year"]
    assert anna["text"].startswith("Уважаемая Анна Ильинична!")
    assert re.fullmatch(r"2026-12-\d\dT\d\d:\d\d:\d\d\+03:00", anna["send_at"])
    merged = next(i for i in items if i["contact_id"] == "1002" and i["occasion"] == "new_year")
    assert (merged["status"], merged["reason"], merged["merged_with"]) == ("skip", "merged", ["birthday"])
    ivan = next(i for i in items if i["contact_id"] == "1001" and i["status"] == "send")
    assert ivan["text"].startswith("Уважаемый Иван Петрович!")
    turkic = next(i for i in items if i["contact_id"] == "1005" and i["status"] == "send")
    assert turkic["text"].startswith("Уважаемый Гусейн Рашид оглы!")
    assert any(i["reason"] == "no_email" for i in items)


def test_a_merged_occasion_says_which_letter_carries_it_and_when_in_every_format(tmp_path: Path) -> None:
    """The gallery said «sent with birthday» (machine names, no time) on Anna's New Year card."""
    from tests.test_gallery import cards, parse

    common = (
        "--config",
        EXAMPLE,
        "preview",
        "--from",
        "2026-12-25",
        "--days",
        "14",
        "--now",
        "2026-12-01T09:00",
    )
    items = json.loads(invoke(*common, "--format", "json")[1])
    anna = {i["occasion"]: i for i in items if i["contact_id"] == "1002"}
    letter, merged = anna["birthday"], anna["new_year"]
    assert (merged["reason"], merged["merged_with"]) == ("merged", ["birthday"])
    assert merged["send_at"] == letter["send_at"]  # it leaves inside that letter, then
    table = invoke(*common)[1]
    (row,) = [line for line in table.splitlines() if "1002" in line and "skip: merged" in line]
    # the range crosses New Year: every row says its year
    assert datetime.fromisoformat(letter["send_at"]).strftime("%a %d.%m.%Y %H:%M MSK") in row
    own_day = date.fromisoformat(merged["occasion_date"])  # 29.12 (config.example.yaml), the letter 30.12
    assert f"Новый год ({own_day:%d.%m})" in row  # its own day beside the letter's time: both are seen
    assert invoke(*common, "--format", "html", "--out", str(tmp_path))[0] == 0
    (card,) = [c for c in cards(parse(tmp_path / "index.html")).values()
               if c.attrs["data-status"] == "merged" and "1002" in c.attrs["data-search"].split()]  # fmt: skip
    at = datetime.fromisoformat(letter["send_at"])
    said = next(card.find(cls="detail")).all_text()
    assert said == f"поздравление уйдёт в письмо «День рождения», ср 30.12 {at:%H:%M}", said
    assert not re.search(r"birthday|new_year|sent with", card.all_text())


def test_preview_table_reads_as_a_schedule_in_send_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table was in contact-id order (Mon 07.12, Fri 11.12, Tue 08.12…): a reviewer reads a
    schedule. Now by day, then by the moment each letter leaves; skipped rows end their day."""
    monkeypatch.delenv("COLUMNS", raising=False)
    args = (
        "--config",
        EXAMPLE,
        "preview",
        "--from",
        "2026-12-25",
        "--days",
        "14",
        "--now",
        "2026-12-01T09:00",
    )
    code, out, _ = invoke(*args)
    items = json.loads(invoke(*args, "--format", "json")[1])
    assert code == 0
    moments = {(i["contact_id"], i["occasion"]): i["send_at"] for i in items if i["status"] == "send"}
    seen: list[datetime] = []
    for line in out.splitlines():
        for (contact, occasion), at in moments.items():
            # the table names occasions by their titles (as history does), JSON by their names
            if f" {contact} " in f" {line} " and TITLES[occasion] in line and " send" in line:
                seen.append(datetime.fromisoformat(at))
    assert len(seen) == len(moments) > 20
    days = [(m.date(), m) for m in seen]
    assert days == sorted(days), "rows by day of sending, then by the moment each letter leaves"
    ids = [int(row[1].split()[0]) for row in table_rows(out, "send at")]
    assert ids != sorted(ids), "not the contacts file's order any more"


def test_preview_table_is_plain_when_piped_and_eml_html_calendar_write_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)  # set, it would fix the width
    common = (
        "--config",
        EXAMPLE,
        "preview",
        "--from",
        "2026-12-25",
        "--days",
        "14",
        "--now",
        "2026-12-01T09:00",
    )
    code, out, _ = invoke(*common)
    assert code == 0 and "\x1b[" not in out and "День рождения" in out
    # Piped, each row keeps to one line (grep finds it whole), not folded to an imagined 80 columns.
    (anna,) = [line for line in out.splitlines() if "Анна Ильинична Смирнова" in line and "send" in line]
    assert re.search(
        r"Wed 30\.12\.2026 \d\d:\d\d MSK .* День рождения \+ Новый год .* Анна Ильинична, с наступающим днём рождения и с Новым годом! .* send",
        anna,
    )
    assert invoke(*common, "--format", "eml", "--out", str(tmp_path / "eml"))[0] == 0
    emls = list((tmp_path / "eml").glob("*.eml"))
    assert emls and all(
        e.read_bytes().startswith(b"Content-Type: multipart/alternative") or b"Subject:" in e.read_bytes()
        for e in emls
    )
    code, out, _ = invoke(*common, "--format", "html", "--out", str(tmp_path / "html"))
    assert code == 0 and (tmp_path / "html" / "index.html").exists()
    assert re.fullmatch(
        rf"wrote \d+ card\(s\), \d+ of them with a letter page .*, to {re.escape(str(tmp_path / 'html' / 'index.html'))} .*\n",
        out,
    )
    ics = tmp_path / "g.ics"
    code, _, _ = invoke(
        "--config",
        EXAMPLE,
        "calendar",
        "--from",
        "2026-12-25",
        "--days",
        "14",
        "--now",
        "2026-12-01T09:00",
        "-o",
        str(ics),
    )
    assert code == 0
    from icalendar import Calendar

    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert events and any("Анна Ильинична" in str(e["summary"]) for e in events)


def test_help_of_every_command_is_complete() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    commands = [
        "backup",
        "calendar",
        "check",
        "forget",
        "history",
        "preview",
        "schema",
        "send",
        "suppress",
        "uncertain",
        "unsuppress",
    ]
    for name in commands:
        assert name in out
        sub_code, sub_out, _ = invoke(name, "--help")
        assert sub_code == 0 and len(sub_out.splitlines()) > 4, name


def leaf_commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of ``group``'s tree that runs (a group's own commands, not the group), as
    typed after ``greeter``: walked, so a command added later is held to the same help."""
    found: list[tuple[str, ...]] = []
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found.extend(leaf_commands(command, (*path, name)))
        else:
            found.append((*path, name))
    return found


@pytest.mark.parametrize("command", leaf_commands(main), ids=" ".join)
def test_every_commands_help_has_an_exit_codes_block_and_an_example(command: tuple[str, ...]) -> None:
    """README: "greeter COMMAND --help gives one command's options, exit codes and examples";
    schema had neither, check no example, and run, history, calendar… said their codes in prose."""
    code, out, _ = invoke(*command, "--help")
    assert code == 0, out
    description = out.split("\nOptions:", 1)[0]
    codes = re.search(r"^  Exit codes[^\n]*:\n((?:    .*\n)+)", description, re.MULTILINE)
    assert codes is not None, f"{command}: no 'Exit codes:' block"
    listed = re.findall(r"^    (\d+)\b", codes.group(1), re.MULTILINE)
    assert "0" in listed and "2" in listed, (command, listed)  # at least success and a usage error
    examples = re.search(r"^  Examples?\b[^\n]*:\n((?:    .*\n)+)", description, re.MULTILINE)
    assert examples is not None, f"{command}: no example"
    assert re.search(rf"greeter\b.*\b{' '.join(command)}\b", examples.group(1)), command  # its own


def test_schema_prints_json() -> None:
    code, out, _ = invoke("schema")
    assert code == 0 and json.loads(out)["title"] == "greeter configuration"


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_reader_closing_the_pipe_stops_greeter_quietly(make_project: MakeProject, fmt: str) -> None:
    """`greeter preview | head`: exit 141 without a word, not an "internal error".

    The table went through rich, which turned the broken pipe into exit 1 — "rows
    invalid or greetings failed" to a script with ``pipefail``.
    """
    rows = [
        contact_row(str(i), f"c{i}@example.com", birthday=f"{i % 28 + 1:02d}.{i % 12 + 1:02d}.1980")
        for i in range(240)
    ]  # a table of ~200 KB: with 60 contacts (~53 KB) it fitted in the pipe, and a busy reader was late
    config = make_project(rows)
    cmd = [
        sys.executable,
        "-m",
        "greeter",
        "--config",
        str(config),
        "preview",
        "--days",
        "365",
        "--format",
        fmt,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100).startswith(b"[" if fmt == "json" else b" ")
    proc.stdout.close()  # what `head -c 100` does: far more than a pipe buffer was still to come
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""


def test_a_broken_pipe_elsewhere_is_still_reported_as_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only our own output's reader going away is quiet: stdout here is alive."""
    import greeter.checks

    def broken(*_: object, **__: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")  # e.g. a socket written after its peer left

    monkeypatch.setattr(greeter.checks, "run_check", broken)
    code, _, err = invoke("--config", EXAMPLE, "check")
    assert code == 3
    assert "internal error: BrokenPipeError" in err


def test_history_table_piped_keeps_each_greeting_on_one_line(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)  # set, it would fix the width
    config = make_project([contact_row("1001", "ivan@example.com", birthday="29.12.1980")])  # yesterday
    code, _, err = invoke("--config", str(config), "send", "--once", "--now", "2026-12-30T12:00")
    assert code == 0, err
    code, out, err = invoke("--config", str(config), "history")
    assert code == 0, err
    (row,) = [line for line in out.splitlines() if "1001" in line and " sent " in line]
    assert re.search(
        r"1001 .* ivan@example\.com .* День рождения .* 2026-12-29 .* sent .* 1 .* 2026-12-30 12:00 MSK .* 250 written ",
        row,
    )
    assert "when (client's time)" in out
    # a manager who knows the client by address
    code, out, _ = invoke(
        "--config", str(config), "history", "--email", "IVAN@Example.com", "--format", "json"
    )
    assert code == 0 and {e["contact_id"] for e in json.loads(out)} == {"1001"}
    code, out, _ = invoke(
        "--config", str(config), "history", "--email", "someone@example.com", "--format", "json"
    )
    assert code == 0 and json.loads(out) == []


def _birthday_preview(make_project: MakeProject, now: str) -> dict[str, dict[str, object]]:
    """Contact 1's birthday letter, due now (a day late), and contact 2's, skipped (no e-mail)."""
    config = make_project(
        [
            contact_row("1", "a@example.com", birthday="13.04.1980"),
            contact_row("2", "", birthday="13.04.1981"),
        ]
    )
    code, out, err = invoke("--config", str(config), "preview", "--from", "2027-04-13", "--days", "2",
                            "--now", now, "--format", "json")  # fmt: skip
    assert code == 0, err
    return {i["contact_id"]: i for i in json.loads(out) if i["occasion"] == "birthday"}


def test_preview_json_send_at_is_whole_seconds_also_for_a_letter_due_now(make_project: MakeProject) -> None:
    """A letter due now carried the clock's microseconds (``2026-12-02T14:09:12.581622+07:00``)."""
    letter = _birthday_preview(make_project, "2027-04-14T11:00:00.581622+03:00")["1"]
    assert (letter["status"], letter["send_at"]) == ("send", "2027-04-14T11:00:00+03:00")


def test_preview_json_template_is_the_config_name_and_template_file_the_file(
    make_project: MakeProject,
) -> None:
    """``template`` was a file name for letters (``birthday.j2``) but the config's name for skips."""
    by_id = _birthday_preview(make_project, "2027-04-14T11:00:00+03:00")
    letter, skip = by_id["1"], by_id["2"]
    assert (letter["status"], skip["reason"]) == ("send", "no_email")
    assert (letter["template"], letter["template_file"]) == ("birthday", "birthday.j2")
    assert (skip["template"], skip["template_file"]) == ("birthday", None)


def test_a_birthday_that_cannot_be_read_is_one_undated_contact_error_in_every_format(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """31.02.1980 was shown as a birthday on whatever day the range began (2 December, 1 May…),
    in the gallery under that day with the tooltip «дата повода»."""
    from tests.test_gallery import parse

    config = make_project(
        [
            contact_row("1", "a@example.com", birthday="31.02.1980"),
            contact_row("2", "b@example.com", birthday="03.05.1980"),
        ]
    )
    for start, days in (("2026-12-02", "30"), ("2027-05-01", "7"), ("2027-02-25", "800")):
        common = (
            "--config",
            str(config),
            "preview",
            "--from",
            start,
            "--days",
            days,
            "--now",
            f"{start}T09:00",
        )
        code, out, err = invoke(*common, "--format", "json")
        assert code == 0, err
        bad = [i for i in json.loads(out) if i["reason"] == "invalid_contact"]
        assert [(i["contact_id"], i["occasion"], i["occasion_date"], i["send_at"]) for i in bad] == [
            ("1", "birthday", None, None)
        ], start
        code, table, _ = invoke(*common)
        (row,) = [line for line in table.splitlines() if "skip: invalid_contact" in line]
        assert row.lstrip(" ").startswith("(no date)"), row
    code, _, err = invoke(*common, "--format", "html", "--out", str(tmp_path / "g"))
    assert code == 0, err
    index = parse(tmp_path / "g" / "index.html")
    (errors,) = index.find("section", "contact-errors")
    assert next(errors.find("h2")).all_text().startswith("Ошибки в контактах")
    (card,) = errors.find("article", "card")
    assert "'31.02.1980' — такой даты нет" in card.all_text() and not list(card.find(cls="when"))
    (badge,) = card.find(cls="badge-invalid_contact")  # the loader's own words stay in its tooltip
    assert "'31.02.1980' is not a real date" in badge.attrs["title"]
    filed = [c for day in index.find("section", "day") for c in day.find("article", "card")]
    assert filed and all(c.attrs["data-search"].split()[2] != "1" for c in filed), "only contact 2 by day"


def test_an_unknown_contact_id_is_said_not_shown_as_nothing_planned(make_project: MakeProject) -> None:
    config = make_project([contact_row("C-1", "a@example.com", birthday="13.04.1980")])
    code, out, err = invoke("--config", str(config), "preview", "--contact", "C-l", "--from", "2027-04-01")
    assert code == 2  # a usage error (DESIGN §3): no row is invalid, no greeting failed
    assert "contacts.csv: no contact has id or name 'C-l' (--contact)" in err
    code, out, err = invoke("--config", str(config), "preview", "--contact", "C-1", "--from", "2027-04-01")
    assert code == 0 and "no contact has id" not in err and "День рождения" in out
    code, out, err = invoke("--config", str(config), "approve", "--contact", "C-l", "--from", "2027-04-01")
    assert code == 2 and "no contact has id or name 'C-l'" in err and out == ""  # not "approved 0 draft(s)"


def test_a_contact_whose_row_was_rejected_is_said_so_not_no_contact_has_id(make_project: MakeProject) -> None:
    """The row exists: "no contact has id" sent the user looking for a typo in the id."""
    rows = [
        contact_row("1004", "shared@example.com", birthday="13.04.1980"),
        contact_row("1006", "not an address", birthday="14.04.1980"),
        contact_row("1007", "", birthday="14.04.1980"),
    ]
    config = make_project(rows)
    for command in ("preview", "approve"):
        code, _, err = invoke("--config", str(config), command, "--contact", "1006", "--from", "2027-04-01")
        assert code == 1 and "no contact has id" not in err, err
        assert (
            "contacts.csv: contact '1006' (row 3) was not loaded: Email: 'not an address' is not a valid"
            " e-mail address" in err
        ), err
    # A row that loads with a warning is found: its plan shows, not "was not loaded".
    code, out, err = invoke("--config", str(config), "preview", "--contact", "1007", "--from", "2027-04-01")
    assert code == 1 and "1007" in out and "not loaded" not in err and "no contact has id" not in err, err


def test_a_second_contact_on_a_shared_mailbox_is_a_warning_naming_who_keeps_the_address(
    make_project: MakeProject,
) -> None:
    """Two directors with their secretary's address: check and preview exited 1 on every run.

    The first row keeps the address, the second loads without it (skipped as
    no_email, as a contact without an e-mail is), and the warning names the
    contact that keeps the address and how to resolve it.
    """
    import json

    rows = [
        contact_row("1004", "office@example.com", birthday="13.04.1980"),
        contact_row("1005", "Office@Example.com", birthday="14.04.1980"),
    ]
    config = make_project(rows)
    warning = (
        "contacts.csv:row 3: Email: warning: 'Office@Example.com' is already the e-mail of contact '1004'"
        " (row 2), which keeps it: one address is greeted as one person, so this contact is loaded without"
        " an e-mail and skipped as no_email; give it its own address in the CRM, or clear this e-mail to say so"
    )
    code, out, err = invoke("--config", str(config), "check")
    assert code == 0 and warning in err, err
    code, out, err = invoke("--config", str(config), "check", "--strict")
    assert code == 1, err
    code, out, err = invoke(
        "--config", str(config), "preview", "--contact", "1005", "--from", "2027-04-01", "--format", "json"
    )
    assert code == 0 and warning in err, err
    birthday = next(d for d in json.loads(out) if d["occasion"] == "birthday")
    assert (birthday["contact_id"], birthday["status"], birthday["reason"]) == ("1005", "skip", "no_email")


def test_a_holiday_named_in_russian_is_planned_on_its_day(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com")])
    text = config.read_text(encoding="utf-8")
    config.write_text(  # and for everyone, not only the contacts tagged 8mar
        text.replace("International Women's Day", "Международный женский день").replace("[8mar]", "null"),
        encoding="utf-8",
    )
    assert "Международный женский день" in config.read_text(encoding="utf-8")
    code, out, err = invoke(
        "--config", str(config), "preview", "--from", "2027-03-01", "--days", "14",
        "--now", "2027-02-20T09:00", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    (womens_day,) = [i for i in json.loads(out) if i["occasion"] == "womens_day"]
    assert (womens_day["occasion_date"], womens_day["status"]) == ("2027-03-08", "send")


def test_an_occasion_typo_is_a_usage_error_naming_the_occasion_meant(make_project: MakeProject) -> None:
    """`approve --occasion new_yaer` once said "approved 0 draft(s)" and exit 0: nothing to approve?"""
    config = make_project([contact_row("1", "a@example.com", birthday="13.04.1980")])
    code, out, err = invoke(
        "--config", str(config), "approve", "--occasion", "new_yaer", "--from", "2027-04-01"
    )
    assert code == 2 and "approved" not in out
    assert "'--occasion': no occasion 'new_yaer' in the config, did you mean 'new_year'?" in err
    code, _, err = invoke("--config", str(config), "approve", "--occasion", "xmas")
    # approve takes titles too, so the choices show them, as history's do.
    assert code == 2 and "no occasion 'xmas' in the config (known: birthday (День рождения), " in err
    code, out, err = invoke(
        "--config", str(config), "approve", "--occasion", "birthday", "--from", "2027-04-10"
    )
    assert code == 0 and "approved 1 draft(s)" in out, err
    for command in (("history",), ("uncertain", "resend")):  # with a journal (without: exit 2 for that)
        code, out, err = invoke("--config", str(config), *command, "--occasion", "new_yaer")
        assert code == 2, (command, out, err)
        assert "no occasion 'new_yaer' in the config or the journal, did you mean 'new_year'?" in err


def test_approve_says_the_days_its_letters_leave_not_only_the_range_asked_for(
    make_project: MakeProject,
) -> None:
    """`approve --from 2027-01-01 --days 14` said "approved … to send 2027-01-01 … 2027-01-14" of
    7 January birthday letters that leave on 30 December, before the New Year holidays."""
    rows = [contact_row(str(i), f"c{i}@example.com", birthday="07.01.1960") for i in (1, 2, 3)]
    config = make_project(rows, review="required")
    code, out, err = invoke(
        "--config", str(config), "approve", "--occasion", "birthday",
        "--from", "2027-01-01", "--days", "14", "--now", "2026-12-28T10:00",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == "approved 3 draft(s) for 2027-01-01 … 2027-01-14; they leave 2026-12-30", out
    code, out, err = invoke(
        "--config", str(config), "preview", "--format", "json", "--no-skipped",
        "--from", "2027-01-01", "--days", "14", "--now", "2026-12-28T10:00",
    )  # fmt: skip
    birthdays = [d for d in json.loads(out) if d["occasion"] == "birthday"]
    assert {(d["send_at"][:10], d["approval"]) for d in birthdays} == {("2026-12-30", "approved")}, err
    code, out, err = invoke(
        "--config",
        str(config),
        "approve",
        "--contact",
        "1",
        "--from",
        "2027-03-01",
        "--now",
        "2026-12-28T10:00",
    )
    assert (code, out.strip()) == (0, "approved 0 draft(s) for 2027-03-01 … 2027-03-07"), err


def test_an_occasion_removed_from_the_config_keeps_its_history(make_project: MakeProject) -> None:
    """The journal's commands also know the journal's occasions: its history must stay readable."""
    config = make_project([contact_row("1001", "ivan@example.com", birthday="29.12.1980")])
    code, _, err = invoke("--config", str(config), "send", "--once", "--now", "2026-12-30T12:00")
    assert code == 0, err
    text = config.read_text(encoding="utf-8")
    assert "- name: birthday\n" in text
    config.write_text(text.replace("- name: birthday\n", "- name: birthday_letter\n"), encoding="utf-8")
    code, out, err = invoke("--config", str(config), "history", "--occasion", "birthday", "--format", "json")
    assert code == 0 and [e["occasion"] for e in json.loads(out)] == ["birthday"], err
    code, out, err = invoke(
        "--config", str(config), "history", "--occasion", "womens_day", "--format", "json"
    )
    assert code == 0 and json.loads(out) == []  # configured, nobody greeted for it yet: no error
    code, _, err = invoke("--config", str(config), "uncertain", "dismiss", "--occasion", "birthday")
    assert code == 1 and "no uncertain greeting matches" in err  # known, just nothing uncertain


def test_check_does_not_call_a_config_ok_whose_template_name_is_wrong(make_project: MakeProject) -> None:
    """It printed 'config OK', then 'check: 1 problem(s)': the problem was the config's template name."""
    config = make_project([contact_row("1", "a@example.com")])
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("template: birthday\n", "template: birthdy\n", 1), encoding="utf-8")
    code, out, err = invoke("--config", str(config), "check")
    assert code == 2
    assert re.search(r"greeter\.yaml:\d+:\d+: occasions\.0\.template: template missing: .*'birthday'\?", err)
    assert "config OK" not in out
    assert f"{config}: config: 1 problem(s) in occasions.0.template" in out.splitlines()
    assert (
        "birthdy (missing)" in out
        and "not tried, as birthdy.j2 is missing or does not compile" in out
        and "check: 1 problem(s)" in out
    )
    summary = json.loads(invoke("--config", str(config), "check", "--json")[1])
    assert (summary["config_problems"], summary["errors"]) == (1, 1)


@pytest.mark.parametrize(
    ("kind", "fixture", "name", "expected"),
    [
        # A real Excel 97-2003 workbook: once an "internal error … a bug in greeter" (exit 3).
        (
            "xlsx",
            "old.xls",
            "clients.xls",
            "old Excel .xls format; open it in Excel/LibreOffice and save as .xlsx (or export CSV)",
        ),
        (
            "csv",
            "old.xls",
            "clients.xls",
            "old Excel .xls format; open it in Excel/LibreOffice and save as .xlsx (or export CSV)",
        ),
        # The CSV export under source: xlsx: once openpyxl's "does not support .csv" as a bug.
        (
            "xlsx",
            None,
            "contacts.csv",
            "a text file, not an XLSX workbook (a CSV export?); set contacts.source: csv",
        ),
    ],
)
def test_a_contacts_file_of_another_kind_is_one_line_and_exit_2(
    make_project: MakeProject, kind: str, fixture: str | None, name: str, expected: str
) -> None:
    config = make_project(
        [contact_row("1", "a@example.com")], contacts={"source": kind, "path": f"data/{name}"}
    )
    if fixture is not None:
        (config.parent / "data" / name).write_bytes(
            (ROOT / "tests" / "data" / "excel" / fixture).read_bytes()
        )
    for command in (("check",), ("preview", "--now", "2026-12-01T09:00"), ("send", "--once", "--dry-run")):
        code, out, err = invoke("--config", str(config), *command)
        assert (code, err) == (2, f"{config.parent / 'data' / name}: {expected}\n"), (command, out, err)


def test_the_progress_bar_starts_no_thread_before_the_first_letter_leaves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its refresh thread, started before the batch forked its letter builders, kept them from
    forking (greeter.build_pool.can_fork): on a terminal, every letter was built in-process."""
    import threading

    from greeter.send_report import progress_factory

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    factory = progress_factory()
    assert factory is not None
    before = threading.active_count()
    tick = factory(500, 0)
    assert threading.active_count() == before
    tick(1)  # the first letter left (the builders forked before it was pulled)
    assert threading.active_count() == before + 1
    tick(499)  # all sent: the bar and its thread are gone
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() == before


def test_the_readme_synopsis_of_each_command_has_exactly_its_options() -> None:
    """README said ``check [--strict] [--json]`` while check --help also has --now (and so for others)."""
    import click

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| command | what it does |", 1)[1].split("\n\n", 1)[0]
    written: dict[str, set[str]] = {}
    for synopsis in re.findall(r"`(greeter [^`]+)`", table):
        command = synopsis.split()[1]
        written.setdefault(command, set()).update(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", synopsis))
    assert set(written) == set(main.commands)
    for name, command in main.commands.items():
        # The group's own options, which every command takes after its name too (README says so once).
        options = [
            p for p in command.params if isinstance(p, click.Option) and p.name not in ("config", "verbose")
        ]
        spellings = {o for p in options for o in p.opts + p.secondary_opts}
        assert written[name] <= spellings, (name, written[name] - spellings)  # no option it lacks
        missing = [p.opts[0] for p in options if not written[name] & set(p.opts + p.secondary_opts)]
        assert not missing, (name, missing)  # and every one it has
        flags = [p for p in options if p.secondary_opts]  # --skipped/--no-skipped: both ways
        assert all(set(p.opts + p.secondary_opts) <= written[name] for p in flags), name


def test_approve_help_says_what_the_approval_fingerprints() -> None:
    """--help said "subject and text", README "subject, text and HTML": the hash covers all three,
    and whom the letter is to and from (a new address once kept the approval)."""
    from dataclasses import replace

    from greeter.plan_types import Rendered
    from greeter.review import Envelope, content_hash

    letter = Rendered(subject="S", text="T", html="<p>H</p>", template_file="birthday.j2")
    to = Envelope("ivan@example.com", "Иван Петрович", "greetings@romashka.example", "Ромашка", None)
    assert content_hash(letter, to) != content_hash(Rendered("S", "T", "<p>H!</p>", "birthday.j2"), to)
    others = [
        replace(to, to_email="ivan@example.org"),
        replace(to, to_name="Иван Павлович"),
        replace(to, from_email="news@romashka.example"),
        replace(to, from_name="Лютик"),
        replace(to, reply_to="sales@romashka.example"),
    ]
    assert len({content_hash(letter, e) for e in [to, *others]}) == 6
    code, out, _ = invoke("approve", "--help")
    said = " ".join(out.split())
    assert (
        code == 0 and "subject, text and HTML" in said and "To (address and name), From and Reply-To" in said
    )


def test_preview_json_of_an_unreadable_source_writes_no_half_list_to_stdout(
    make_project: MakeProject,
) -> None:
    """A script parsing stdout gets no lone ``[`` when the contacts cannot be read, but the reason as
    JSON (``config_error``), as ``send --json`` and ``purge --json`` give it."""
    config = make_project([contact_row("1", "a@example.com")])
    contacts = config.parent / "data" / "contacts.csv"
    text = contacts.read_text(encoding="utf-8-sig")
    contacts.write_text(text.replace("Email;", "Почта;", 1), encoding="utf-8-sig")
    code, out, err = invoke("--config", str(config), "preview", "--format", "json")
    assert code == 2, out + err
    assert json.loads(out) == {"config_error": err.rstrip("\n")}
    assert "Email" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "command",
    [
        ("preview", "--json"),
        ("preview", "--format", "json"),
        ("history", "--json"),
        ("suppress", "--list", "--json"),
        ("send", "--once", "--json"),
        ("send", "--once", "--dry-run", "--json"),
    ],
    ids=" ".join,
)
def test_every_json_command_prints_a_config_error_as_json_on_stdout(
    make_project: MakeProject, command: tuple[str, ...]
) -> None:
    """``preview --json`` with a broken config printed nothing on stdout (exit 2, one line on
    stderr) while ``check --json`` printed its summary: a script's ``json.load(stdout)`` failed.
    Now the reason is ``config_error``, the key ``send --json`` and ``purge --json`` give it by."""
    config = make_project([contact_row("1", "a@example.com")])
    config.write_text(
        config.read_text(encoding="utf-8").replace("frequency_cap:", "freqency_cap:"), encoding="utf-8"
    )
    code, out, err = invoke("--config", str(config), *command)
    assert code == 2, out + err
    said = json.loads(out)
    assert isinstance(said, dict) and said["config_error"] == err.rstrip("\n"), said
    assert "freqency_cap: unknown key" in said["config_error"]


#: README's five separate mistakes in a copy of config.example.yaml, in the order its lines are
#: printed there: each (the text as the example has it, once; the mistake).
README_MISTAKES = [
    ("\nfrequency_cap:", "\nfreqency_cap:"),  # `frequency_cap` misspelt
    ("timezone: Europe/Moscow ", "timezone: Europe/Moskow "),  # `Europe/Moscow` misspelt
    ('"Defender of the Fatherland Day"', '"Defender of Fatherland Day"'),  # a word left out
    ("    title: Новый год\n", '    title: "Новый год\n'),  # a title's quote never closed
    ("      tags: [23feb]\n", "      tags: 23feb, 8mar\n"),  # a list of tags without its brackets
]


def test_the_readme_config_mistakes_are_the_lines_check_prints_for_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README's lines said 187:1, 51:3, 146:5… for an example that has grown since: each is now
    made in a copy of the example and ``check`` run on it, so the lines cannot drift again."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("the line `greeter check` prints", 1)[1].split("```\n", 2)[1].splitlines()
    example = Path(EXAMPLE).read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    printed = []
    for was, mistake in README_MISTAKES:
        assert example.count(was) == 1, was
        (tmp_path / "greeter.yaml").write_text(example.replace(was, mistake), encoding="utf-8")
        code, out, err = invoke("--config", "greeter.yaml", "check")
        assert (code, out) == (2, ""), err
        printed.extend(err.splitlines())
    assert shown == printed
