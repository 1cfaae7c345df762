"""The command line as a script sees it: usage errors, JSON that is always there, stdout kept clean.

From an integration review (cron wrappers, CI gates, a dashboard reading
JSON): ``--now ""`` meant the real clock (``run --now "" --speed 60`` ran it
sixty times faster on the real journal); ``check --json`` printed nothing for
a config the loader refused; the send's progress bar wrote to stdout;
``send --json`` had ``letters`` only in a dry run; ``check`` called a journal
folder a disk I/O error (exit 1) where send names it (exit 2); an unknown
``--contact`` was exit 1 and ``approve`` said "approved 0 draft(s)" and made a
journal; ``calendar`` said "nothing planned" beside the letters it left out;
``Europe/Moskva`` was answered with ``Europe/Minsk``.
"""

from __future__ import annotations

import json
from datetime import datetime

import click
import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.cli_values import config_day, parse_now
from greeter.send_report import summary_json
from greeter.timezones import suggest_zones, zone_hint
from tests.conftest import MakeProject, contact_row, refused_stdout
from tests.test_send_e2e import NOW, people
from tests.test_start_refusals import cannot_start, greeter

#: Among the suite's longest files (CI's --durations): handed out first under xdist (tests/parallel.py).
pytestmark = pytest.mark.slow

#: Each command that has ``--now``, with what else it needs to get as far as reading it.
NOW_COMMANDS: dict[str, tuple[str, ...]] = {
    "check": ("check",),
    "preview": ("preview",),
    "calendar": ("calendar", "-o", "out.ics"),
    "send": ("send", "--once", "--dry-run"),
    "test-send": ("test-send", "--contact", "1", "--to", "me@company.ru"),
    "approve": ("approve", "--all"),
    "uncertain": ("uncertain", "resend", "--all"),
    "failed": ("failed", "resend", "--all"),
    "purge": ("purge", "--dry-run"),
    "baseline": ("baseline", "--dry-run"),
    "suppress": ("suppress", "x@example.com"),
    "unsuppress": ("unsuppress", "x@example.com"),
    "forget": ("forget", "x@example.com", "--yes"),
}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- 1. --now "" is a usage error, not the real clock ---------------------------------------------


def test_every_command_with_now_is_listed_here() -> None:
    """A command given --now later is tested below too, or this fails."""
    having = {
        name
        for name, command in main.commands.items()
        if any(isinstance(p, click.Option) and "--now" in p.opts for p in command.params)
    }
    assert having == set(NOW_COMMANDS) | {"run"}


@pytest.mark.parametrize("value", ["", "  "])
@pytest.mark.parametrize("command", sorted(NOW_COMMANDS))
def test_an_empty_now_is_a_usage_error_for_every_command(
    make_project: MakeProject, command: str, value: str
) -> None:
    config = make_project(people(1))
    code, out, err = invoke("--config", str(config), *NOW_COMMANDS[command], "--now", value)
    assert code == 2, (out, err)
    assert "Error: Invalid value for '--now': an empty value;" in err and "leave --now out" in err
    assert out == "" and "Traceback" not in err
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # nothing done with it


def test_run_refuses_an_empty_now_with_speed_instead_of_speeding_up_the_real_clock(
    make_project: MakeProject,
) -> None:
    """`greeter run --now "$UNSET" --speed 60` ran the real clock 60x on the config's own journal."""
    config = make_project(people(1))
    for extra in (("--speed", "60"), ()):
        ran = greeter(config, "run", "--log-format", "json", "--now", "", *extra)
        fatal = cannot_start(ran, 2)
        assert "'--now': an empty value" in json.dumps(fatal, ensure_ascii=False)
    assert not (config.parent / "data" / "journal.sqlite3").exists()


def test_the_helpers_refuse_an_empty_now_too() -> None:
    """check and preview pass --now's text to parse_now and config_day themselves."""
    for helper in (lambda: parse_now("", "Europe/Moscow"), lambda: config_day("")):
        with pytest.raises(click.BadParameter, match="empty value"):
            helper()
    assert parse_now(None, "UTC").tzinfo is not None  # absent: the real clock, as before


@pytest.mark.parametrize(
    ("text", "zone", "name", "iso"),
    [
        ("2027-04-14T11:00+03:00", "Europe/Moscow", "MSK", "2027-04-14T11:00:00+03:00"),  # the zone's own
        ("2027-04-14T11:00", "Europe/Moscow", "MSK", "2027-04-14T11:00:00+03:00"),  # no offset: the zone
        ("2027-04-14T08:00Z", "Europe/Moscow", "UTC", "2027-04-14T08:00:00+00:00"),  # UTC said: UTC kept
        ("2027-04-14T11:00+05:00", "Europe/Moscow", "UTC+05:00", "2027-04-14T11:00:00+05:00"),  # another
        ("2027-01-14T11:00+02:00", "Europe/Berlin", "UTC+02:00", "2027-01-14T11:00:00+02:00"),  # not CET
        ("2027-07-14T11:00+02:00", "Europe/Berlin", "CEST", "2027-07-14T11:00:00+02:00"),
    ],
)
def test_now_with_the_default_zones_own_offset_is_a_time_of_that_zone(
    text: str, zone: str, name: str, iso: str
) -> None:
    """``--now …+03:00`` on a Moscow config: the summary said "UTC+03:00" where the real clock says "MSK"."""
    moment = parse_now(text, zone)
    assert (moment.tzname(), moment.isoformat()) == (name, iso)


@pytest.mark.parametrize(
    ("text", "zone", "said"),
    [
        # the clocks skip 02:00-03:00: zoneinfo read it silently as 03:30 CEST
        ("2027-03-28T02:30", "Europe/Berlin", "never happens in Europe/Berlin; e.g. 2027-03-28T03:30+02:00"),
        # Lord Howe moves its clocks by half an hour
        (
            "2026-10-04T02:15",
            "Australia/Lord_Howe",
            "never happens in Australia/Lord_Howe; e.g. 2026-10-04T02:45+11:00",
        ),
        # the clocks go back over 02:00-03:00: zoneinfo took the first, silently
        (
            "2027-10-31T02:30",
            "Europe/Berlin",
            "happens twice in Europe/Berlin; 2027-10-31T02:30+02:00 (the first time) or 2027-10-31T02:30+01:00",
        ),
    ],
)
def test_a_now_the_zones_clocks_skip_or_repeat_is_refused_with_the_moments_it_may_mean(
    text: str, zone: str, said: str
) -> None:
    """A rehearsal of the night the clocks change must say which moment it means."""
    with pytest.raises(click.BadParameter) as refused:
        parse_now(text, zone)
    message = refused.value.format_message()
    where, example = said.split("; ", 1)
    assert where in message and example in message, message
    # with the offset given it is one moment, taken as it is
    assert (
        parse_now(example.split()[-1] if "e.g." in example else example.split()[0], zone).tzinfo is not None
    )


def test_a_now_refused_for_a_dst_change_is_a_usage_error(make_project: MakeProject) -> None:
    config = make_project(people(1), defaults={"timezone": "Europe/Berlin"})
    code, out, err = invoke(
        "--config", str(config), "send", "--once", "--dry-run", "--now", "2027-03-28T02:30"
    )
    assert code == 2 and out == "", (out, err)
    assert "'--now': '2027-03-28T02:30' never happens in Europe/Berlin" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("29.12.2026", "2026-12-29T00:00:00+05:00"),  # as --from takes it: the day's start, the zone's
        ("29.12.2026 13:00", "2026-12-29T13:00:00+05:00"),
        ("29.12.2026T13:00", "2026-12-29T13:00:00+05:00"),
        ("4.1.2027 08:30:15", "2027-01-04T08:30:15+05:00"),
        ("29.12.2026 13:00+03:00", "2026-12-29T13:00:00+03:00"),  # an offset given: kept
        ("2026-12-29", "2026-12-29T00:00:00+05:00"),
        ("2026-12-29 13:00", "2026-12-29T13:00:00+05:00"),
        # one digit for the day, the month and the hour, as the CSV's 2.01.1990 and the config's 9:00
        ("7.12.2026 9:00", "2026-12-07T09:00:00+05:00"),
        ("07.12.2026 9:00", "2026-12-07T09:00:00+05:00"),
        ("7.1.2027 9:05:30", "2027-01-07T09:05:30+05:00"),
        ("7.12.2026T9:00", "2026-12-07T09:00:00+05:00"),
        ("7.12.2026 9:00+03:00", "2026-12-07T09:00:00+03:00"),
        ("7.12.2026 0:30", "2026-12-07T00:30:00+05:00"),
    ],
)
def test_now_takes_the_days_the_date_options_take_with_an_optional_time(text: str, iso: str) -> None:
    """``--from 29.12.2026`` was taken while ``--now 29.12.2026`` was "not an ISO 8601 date-time"."""
    assert parse_now(text, "Asia/Yekaterinburg").isoformat() == iso
    assert config_day(text).isoformat() == iso[:10]  # the config's holidays checked as of that day


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("31.02.2027 10:00", "31.02.2027 is not a real date: February has no 31st"),
        ("29.12.2026 25:00", "'29.12.2026 25:00' is not a moment like 2026-12-29T10:00 or 29.12.2026 10:00"),
        ("29.12.2026 9:0", "'29.12.2026 9:0' is not a moment like 2026-12-29T10:00 or 29.12.2026 10:00"),
        ("29/12/2026", "'29/12/2026' is not a moment like 2026-12-29T10:00 or 29.12.2026 10:00"),
        ("bogus", "'bogus' is not a moment like 2027-03-15T10:00 or 15.03.2027 10:00"),
    ],
)
def test_a_now_in_no_form_taken_names_the_forms(text: str, said: str) -> None:
    with pytest.raises(click.BadParameter) as refused:
        parse_now(text, "Europe/Moscow")
    assert said in refused.value.format_message(), refused.value.format_message()


def test_send_takes_a_dotted_now_on_the_command_line(make_project: MakeProject) -> None:
    config = make_project(people(1))
    code, out, err = invoke(
        "--config", str(config), "send", "--once", "--dry-run", "--json", "--now", "29.12.2026 13:00"
    )
    assert code in (0, 1), (out, err)
    assert json.loads(out)["now"].startswith("2026-12-29T13:00:00"), out


# --- 3. check --json prints its summary also for a config the loader refuses ----------------------


def test_check_json_summarises_a_config_the_loader_refuses(make_project: MakeProject) -> None:
    config = make_project(people(1))
    good = json.loads(invoke("--config", str(config), "check", "--json", "--now", NOW)[1])
    text = config.read_text(encoding="utf-8")
    assert text.count("max_count: 6") == 1
    config.write_text(text.replace("max_count: 6", "max_count: 0"), encoding="utf-8")
    code, out, err = invoke("--config", str(config), "check", "--json", "--now", NOW)
    assert code == 2, out + err
    summary = json.loads(out)
    assert set(summary) == set(good)  # the same keys a script reads from a usable config's summary
    (problem,) = summary["problems"]
    assert problem.startswith(f"{config}:") and "frequency_cap.max_count: Input should be greater" in problem
    assert (summary["config_problems"], summary["errors"]) == (1, 1)
    assert err == f"{problem}\n"
    # Without --json, as before: the located line alone, exit 2.
    assert invoke("--config", str(config), "check", "--now", NOW) == (2, "", f"{problem}\n")


def test_check_json_summarises_a_contacts_file_that_is_not_there(make_project: MakeProject) -> None:
    """A contacts file moved away (contacts.path now wrong) printed the error on stderr and no
    JSON at all: a CI gate reading ``.errors`` crashed on empty input instead of failing cleanly."""
    config = make_project(people(1))
    good = json.loads(invoke("--config", str(config), "check", "--json", "--now", NOW)[1])
    contacts = config.parent / "data" / "contacts.csv"
    contacts.rename(contacts.with_name("moved.csv"))
    code, out, err = invoke("--config", str(config), "check", "--json", "--now", NOW)
    assert code == 2, out + err
    summary = json.loads(out)
    assert set(summary) == set(good)
    (problem,) = summary["problems"]
    assert problem == f"{contacts}: contacts file not found", problem
    assert (summary["errors"], summary["contacts_loaded"]) == (1, 0)
    assert err == f"{problem}\n"  # the line stderr shows, as for a refused config


# --- 4. the progress bar is on stderr -------------------------------------------------------------


def test_the_progress_bar_never_writes_to_stdout(make_project: MakeProject) -> None:
    """stderr on a terminal, stdout to a file (`greeter send --once > summary.txt`): the bar
    went to rich's stdout console, and the summary began with a blank line."""
    from tests.test_check_progress import run_on_terminal

    config = make_project(people(60))
    code, stdout, err = run_on_terminal(config, "send", "--once", "--now", NOW, terminal=True)
    out = stdout.decode()
    assert code == 0, out + err.decode(errors="replace")
    assert out.startswith("2027-04-14 11:00 ") and "due 60; sent: 60;" in out, repr(out[:80])
    assert out.count("\n") == 1 and "\x1b" not in out
    assert b"sending" in err  # the bar was shown, on the terminal


# --- 5. send --json: every key in every summary ---------------------------------------------------


def test_send_json_has_the_same_keys_real_dry_or_stopped(make_project: MakeProject) -> None:
    config = make_project(people(2))
    dry = json.loads(greeter(config, "send", "--once", "--dry-run", "--json", "--now", NOW).stdout)
    real = json.loads(greeter(config, "send", "--once", "--json", "--now", NOW).stdout)
    stopped = summary_json(datetime.fromisoformat(NOW), False, journal_unavailable="down")
    assert set(dry) == set(real) == set(stopped)
    assert real["letters"] is None and real["sent"] == 2
    assert [letter["contact_id"] for letter in dry["letters"]] == ["1", "2"]
    with pytest.raises(ValueError, match="no key lettres"):  # a key only one summary would have
        summary_json(datetime.fromisoformat(NOW), True, lettres=[])


# --- 6. check and send say the same of a journal path that is a folder ---------------------------


def test_check_says_what_send_says_of_a_journal_folder_with_its_exit_code(make_project: MakeProject) -> None:
    config = make_project(people(1), storage={"url": "sqlite:///data"})
    folder = config.parent / "data"
    said = f"journal {folder} is a folder; storage.url names the journal's file"
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 2 and said in sent.stderr, sent.stderr
    checked = greeter(config, "check", "--now", NOW)
    assert checked.returncode == sent.returncode, checked.stdout + checked.stderr
    assert said in checked.stderr and said in checked.stdout  # the problem, and the journal's line
    assert "disk I/O" not in checked.stdout + checked.stderr
    summary = json.loads(greeter(config, "check", "--json", "--now", NOW).stdout)
    assert summary["databases"]["journal"]["reachable"] is False
    assert sorted(p.name for p in folder.iterdir()) == ["contacts.csv"]  # check made nothing there


# --- 7. --contact of an id no row has is a usage error --------------------------------------------


def test_an_id_in_no_row_is_exit_2_for_preview_and_approve_and_makes_no_journal(
    make_project: MakeProject,
) -> None:
    config = make_project(people(2))
    said = "contacts.csv: no contact has id or name '9999' (--contact)"
    for fmt in ("json", "table"):
        code, out, err = invoke("--config", str(config), "preview", "--contact", "9999", "--format", fmt)
        assert (code, out) == (2, refused_stdout(fmt, err)), err  # JSON: the reason, as on stderr
        assert err.rstrip().endswith(said) and err.count("\n") == 1, err
    code, out, err = invoke("--config", str(config), "approve", "--contact", "9999")
    assert (code, out) == (2, ""), out
    assert err.rstrip().endswith(said) and "approved" not in err
    assert sorted(p.name for p in (config.parent / "data").iterdir()) == ["contacts.csv"]  # no journal


def test_approve_of_a_rejected_row_says_why_and_records_nothing(make_project: MakeProject) -> None:
    """The row exists but was rejected: exit 1, as for any rejected row; not "approved 0 draft(s)"."""
    config = make_project([*people(1), contact_row("2", "not an address", birthday="13.04.1980")])
    code, out, err = invoke("--config", str(config), "approve", "--contact", "2")
    assert (code, out) == (1, ""), out
    assert "contact '2' (row 3) was not loaded: Email: 'not an address' is not a valid e-mail" in err
    assert not (config.parent / "data" / "journal.sqlite3").exists()
    code, out, _ = invoke("--config", str(config), "approve", "--contact", "1", "--now", NOW)
    assert code == 1 and out.startswith("approved 1 draft(s)"), out  # 1: row 3 is still rejected


# --- 8. calendar: letters left out are not "nothing planned" --------------------------------------


def test_calendar_does_not_say_nothing_planned_beside_the_letters_it_left_out(
    make_project: MakeProject,
) -> None:
    config = make_project(people(1))
    birthday = config.parent / "templates" / "birthday.j2"
    source = birthday.read_text(encoding="utf-8")
    assert "{{ self.what() }}" in source
    birthday.write_text(source.replace("{{ self.what() }}", "{{ contact.nickname }}"), encoding="utf-8")
    span = ("--from", "2027-04-13", "--days", "1", "--now", "2027-04-01T10:00")
    for output in (str(config.parent / "out.ics"), "-"):
        result = greeter(config, "calendar", "-o", output, *span)
        assert result.returncode == 1, result.stderr
        assert "left out 1 letter whose template fails to render" in result.stderr
        assert "nothing planned" not in result.stderr, result.stderr
    # A range that really has nothing still says so.
    empty = greeter(config, "calendar", "-o", "-", "--from", "2027-06-01", "--days", "1", *span[-2:])
    assert empty.returncode == 0 and "no greetings: nothing planned for 2027-06-01" in empty.stderr


# --- 9. Russian city names in Latin letters -------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("Europe/Moskva", "Europe/Moscow"),
        ("Moskva", "Europe/Moscow"),
        ("Europe/Moskwa", "Europe/Moscow"),
        ("Asia/Ekaterinburg", "Asia/Yekaterinburg"),
        ("Asia/Jekaterinburg", "Asia/Yekaterinburg"),
        ("Asia/Jakutsk", "Asia/Yakutsk"),
        ("Asia/Krasnojarsk", "Asia/Krasnoyarsk"),
        ("Petropavlovsk-Kamchatsky", "Asia/Kamchatka"),
        ("Europe/Sankt-Peterburg", "Europe/Moscow"),  # greeter/russian_cities.py's: were Luxembourg,
        ("Asia/Tjumen", "Asia/Yekaterinburg"),  # Tehran and Harbin by look, then advice
        ("Asia/Chelyabinsk", "Asia/Yekaterinburg"),
        ("Europe/Moskow", "Europe/Moscow"),  # the typos of IANA names are still found
        ("Asia/Vladivostock", "Asia/Vladivostok"),
        ("Europe/Lodnon", "Europe/London"),
    ],
)
def test_a_russian_city_written_in_latin_letters_is_answered_with_its_zone(written: str, zone: str) -> None:
    assert suggest_zones(written)[0] == (zone,)
    assert zone_hint(written) == f"did you mean {zone!r}?"


@pytest.mark.parametrize(
    "written",
    ["Europe/Bugulma", "Asia/Nizhnevartovsk"],  # towns neither CLDR nor greeter/russian_cities.py lists
)
def test_a_place_no_zone_is_named_after_gets_advice_not_a_city_hours_away(written: str) -> None:
    assert suggest_zones(written)[0] == ()
    assert "did you mean" not in zone_hint(written)


def test_the_config_is_told_moscow_for_moskva(make_project: MakeProject) -> None:
    config = make_project(people(1), defaults={"timezone": "Europe/Moskva"})
    code, _, err = invoke("--config", str(config), "check")
    assert code == 2
    assert "unknown time zone 'Europe/Moskva', did you mean 'Europe/Moscow'?" in err, err


@pytest.mark.parametrize("command", [("preview", "--days", "3"), ("history",)])
def test_json_is_the_same_as_format_json_where_a_format_is_chosen(
    command: tuple[str, ...], make_project: MakeProject
) -> None:
    """``send --json`` and ``check --json`` took it, ``history --json`` was "no such option" (with
    --occasion and --since as the suggestions): a script's author tried it first."""
    config = make_project(people(2))
    assert invoke("--config", str(config), "send", "--once", "--now", NOW)[0] == 0
    args = (
        ("--config", str(config), *command, "--now", NOW)
        if command[0] == "preview"
        else ("--config", str(config), *command)
    )
    code, shown, _ = invoke(*args, "--json")
    assert code == 0
    assert shown == invoke(*args, "--format", "json")[1]
    assert json.loads(shown)
