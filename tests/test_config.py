"""Config errors name file, line, column and field — one test per class of mistake."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest

from greeter.config_loader import json_schema, load_settings, parse_settings
from greeter.errors import ConfigError
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "config.example.yaml").read_text(encoding="utf-8")

MINIMAL = """\
sender:
  name: Shop
  email: hello@shop.example
contacts:
  path: contacts.csv
  dates:
    birthday: Birthday
occasions:
  - name: birthday
    field: birthday
    template: birthday
frequency_cap:
  max_count: 6
  window_days: 365
defaults:
  timezone: Europe/Moscow
"""


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_settings(text, "greeter.yaml", today=TODAY)
    return [str(p) for p in info.value.problems]


def test_example_config_loads_and_anchors_paths_at_its_folder() -> None:
    settings = load_settings(ROOT / "config.example.yaml", today=TODAY)
    assert settings.contacts.path == ROOT / "data" / "contacts.csv"
    assert settings.templates_dir == ROOT / "templates"
    assert settings.storage.url == f"sqlite:///{ROOT / 'data' / 'journal.sqlite3'}"
    assert [o.name for o in settings.occasions][:3] == [
        "birthday",
        "company_anniversary",
        "first_deal_anniversary",
    ]


def test_minimal_config_gets_documented_defaults() -> None:
    s = parse_settings(MINIMAL, "greeter.yaml", today=TODAY)
    assert (s.frequency_cap.max_count, s.frequency_cap.window_days, s.frequency_cap.min_gap_days) == (
        6,
        365,
        14,
    )
    assert s.delivery.transport == "file"
    assert s.storage.url.startswith("sqlite:///")
    assert s.leap_day == "feb28"


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        # unknown key with a suggestion, at its own line
        (
            ("frequency_cap:", "freqency_cap:"),
            "greeter.yaml:12:1: freqency_cap: unknown key, did you mean `frequency_cap`?",
        ),
        # nested unknown key
        (
            ("  window_days: 365", "  windows_days: 365"),
            "greeter.yaml:14:3: frequency_cap.windows_days: unknown key, did you mean `window_days`?",
        ),
        # wrong type
        (
            ("max_count: 6", "max_count: six"),
            "greeter.yaml:13:3: frequency_cap.max_count: Input should be a valid integer",
        ),
        # a cap of 0
        (
            ("max_count: 6", "max_count: 0"),
            "greeter.yaml:13:3: frequency_cap.max_count: Input should be greater than 0",
        ),
        # bad time zone with a suggestion
        (
            ("Europe/Moscow", "Europe/Moskow"),
            "greeter.yaml:16:3: defaults.timezone: unknown time zone 'Europe/Moskow', did you mean 'Europe/Moscow'?",
        ),
        # a region's folder, not a zone: zoneinfo read the directory (IsADirectoryError, exit 3)
        (
            ("Europe/Moscow", "Europe"),
            "greeter.yaml:16:3: defaults.timezone: unknown time zone 'Europe'",
        ),
        # a list item's key
        (
            ("    template: birthday", "    templat: birthday"),
            "greeter.yaml:11:5: occasions.0.templat: unknown key, did you mean `template`?",
        ),
        # an occasion's date field that contacts.dates does not define
        (
            ("    field: birthday", "    field: birthdy"),
            "greeter.yaml:10:5: occasions.0.field: date field 'birthdy' is not defined in contacts.dates, did you mean `birthday`?",
        ),
    ],
)
def test_each_mistake_is_located(mutation: tuple[str, str], expected: str) -> None:
    old, new = mutation
    assert old in MINIMAL
    problems = errors_of(MINIMAL.replace(old, new, 1))
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(
    ("formats", "hint"),
    [
        ('["%d.%m.%Y", "dd.mm.yyyy"]', 'did you mean "%d.%m.%Y"?'),
        ('["birthday"]', 'use strftime codes, e.g. "%d.%m.%Y"'),
    ],
)
def test_a_date_format_without_strftime_codes_is_located_with_a_hint(formats: str, hint: str) -> None:
    text = MINIMAL.replace("  path: contacts.csv\n", f"  path: contacts.csv\n  date_formats: {formats}\n", 1)
    bad = "dd.mm.yyyy" if "dd" in formats else "birthday"
    index = 1 if "dd" in formats else 0
    col = text.splitlines()[5].index(f'"{bad}"') + 1
    assert errors_of(text) == [
        f"greeter.yaml:6:{col}: contacts.date_formats.{index}: '{bad}' has no strftime codes "
        f"(%d day, %m month, %Y year); {hint}"
    ]


def test_missing_required_section_points_at_the_parent() -> None:
    text = MINIMAL.replace("sender:\n  name: Shop\n  email: hello@shop.example\n", "")
    assert errors_of(text) == ["greeter.yaml:1:1: sender: required, but missing"]


def test_missing_required_nested_key() -> None:
    problems = errors_of(MINIMAL.replace("  email: hello@shop.example\n", ""))
    assert problems == ["greeter.yaml:1:1: sender.email: required, but missing"]


def test_tab_indentation_is_a_yaml_syntax_error_with_a_hint() -> None:
    problems = errors_of(MINIMAL.replace("  window_days: 365", "\twindow_days: 365"))
    assert len(problems) == 1
    assert problems[0].startswith("greeter.yaml:14:")
    assert "not tabs" in problems[0]


def test_duplicate_key_is_reported_not_silently_overwritten() -> None:
    problems = errors_of(MINIMAL + "frequency_cap:\n  max_count: 2\n")
    assert len(problems) == 1 and "`frequency_cap` appears twice in the same section" in problems[0]
    assert problems[0].startswith("greeter.yaml:")


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        (("  email: hello@shop.example", "  email: hello"), "sender.email: is not an e-mail address"),
        (
            ("  - name: birthday", "  - name: Birthday"),
            "occasions.0.name: should be lower-case Latin letters",
        ),
        (
            ("    template: birthday", "    template: birthday.j2"),
            "occasions.0.template: should be a template name",
        ),
        (
            ("defaults:", "unsubscribe:\n  url: http://x\n  secret_env: S\ndefaults:"),
            "unsubscribe.url: should start with https://",
        ),
        (
            ("defaults:", "storage:\n  url: journal.db\ndefaults:"),
            "storage.url: should start with sqlite:// or postgresql://",
        ),
    ],
)
def test_a_value_of_the_wrong_shape_is_described_in_words_not_as_a_regex(
    mutation: tuple[str, str], expected: str
) -> None:
    old, new = mutation
    assert old in MINIMAL
    (problem,) = errors_of(MINIMAL.replace(old, new, 1))
    assert expected in problem and "pattern" not in problem, problem


def test_all_problems_are_reported_at_once() -> None:
    text = MINIMAL.replace("max_count: 6", "max_count: -1").replace("Europe/Moscow", "Mars/Base")
    problems = errors_of(text)
    assert len(problems) == 2


def test_unknown_holiday_name_suggests_the_library_name() -> None:
    text = EXAMPLE.replace('"Defender of the Fatherland Day"', '"Defender of Fatherland Day"')
    problems = errors_of(text)
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "Defender of Fatherland Day" in s)
    assert problems == [
        f"greeter.yaml:{line}:5: occasions.4.holiday: RU has no holiday named "
        "'Defender of Fatherland Day', did you mean 'Defender of the Fatherland Day'?"
    ]


def test_a_holiday_may_be_named_in_the_countrys_own_language() -> None:
    text = EXAMPLE.replace('"International Women\'s Day"', '"Международный женский день"')
    assert text != EXAMPLE
    settings = parse_settings(text, "greeter.yaml", today=TODAY)
    assert settings.occasions[5].holiday == "Международный женский день"
    assert parse_settings(text.replace("Международный", "международный"), "g.yaml", today=TODAY)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Международный женскй день", "'Международный женский день'"),
        ("Womans day", '"International Women\'s Day"'),  # not 'Christmas Day', though as long
        ("рождество", "'Рождество Христово'"),
    ],
)
def test_a_misspelt_holiday_is_answered_in_the_language_it_was_written_in(written: str, meant: str) -> None:
    text = EXAMPLE.replace('"International Women\'s Day"', f'"{written}"')
    (problem,) = errors_of(text)
    assert problem.endswith(f"RU has no holiday named {written!r}, did you mean {meant}?"), problem


def test_the_known_holidays_are_listed_in_both_languages_without_moved_working_days() -> None:
    (problem,) = errors_of(EXAMPLE.replace('"International Women\'s Day"', '"День матери"'))
    assert "RU has no holiday named 'День матери' (known: Christmas Day / Рождество Христово; " in problem
    assert "International Women's Day / Международный женский день" in problem
    assert "Day off" not in problem and "Выходной" not in problem and "substituted" not in problem


def test_password_is_never_inline() -> None:
    text = MINIMAL + "delivery:\n  smtp:\n    password: hunter2\n"
    problems = errors_of(text)
    assert problems[0].startswith(
        "greeter.yaml:19:5: delivery.smtp.password: unknown key, did you mean `password_env`?"
    )
    assert all("hunter2" not in p for p in problems)


def test_password_env_must_name_a_variable_not_hold_a_secret() -> None:
    problems = errors_of(MINIMAL + "delivery:\n  smtp:\n    password_env: 'hunter2 secret!'\n")
    assert "names an environment variable" in problems[0]


def test_occasion_needs_exactly_one_when() -> None:
    text = MINIMAL.replace("    field: birthday\n", "    field: birthday\n    date: '01-01'\n")
    problems = errors_of(text)
    assert problems == [
        "greeter.yaml:9:5: occasions.0: an occasion needs exactly one of 'field', 'date', 'holiday', 'on' or 'ics' (got field, date)"
    ]


@pytest.mark.parametrize(("value", "ok"), [("'02-29'", True), ("'02-30'", False), ("'1-1'", False)])
def test_month_day_dates(value: str, ok: bool) -> None:
    text = MINIMAL.replace("    field: birthday\n", f"    date: {value}\n")
    if ok:
        assert parse_settings(text, "g.yaml", today=TODAY).occasions[0].date == value.strip("'")
    else:
        assert errors_of(text)[0].startswith("greeter.yaml:10:5: occasions.0.date:")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"29-12"', """'29-12' is not a real day of the year: write "12-29" (MM-DD: month first)"""),
        (
            '"29.12"',
            """'29.12' is not a month-day like '01-01' (MM-DD): write "12-29" (MM-DD: month first)""",
        ),
        ('"02-30"', "'02-30' is not a real day of the year"),  # 30 February either way: no guess
    ],
)
def test_a_day_written_before_its_month_is_named_the_right_way_round(value: str, message: str) -> None:
    """``date: "29-12"`` said only "is not a real day of the year": the day written first, as Russian
    writes a date, now gets the MM-DD to write."""
    text = MINIMAL.replace("    field: birthday\n", f"    date: {value}\n")
    assert errors_of(text) == [f"greeter.yaml:10:5: occasions.0.date: {message}"]


def test_lunch_outside_hours_and_empty_working_days() -> None:
    text = MINIMAL + "send_window:\n  working_days: []\n  lunch: {start: '08:00', end: '09:00'}\n"
    problems = errors_of(text)
    assert problems and all(p.startswith("greeter.yaml:17:1: send_window:") for p in problems)


@pytest.mark.parametrize(
    ("written", "read"), [('"9:00"', time(9)), ("9:00", time(9)), ('" 9:30 "', time(9, 30))]
)
def test_an_unambiguous_hour_without_its_leading_zero_is_read(written: str, read: time) -> None:
    text = MINIMAL + f"send_window:\n  hours: {{start: {written}, end: '18:00'}}\n"
    assert parse_settings(text, "g.yaml", today=TODAY).send_window.hours.start == read


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            "hours: {start: '25:00', end: '18:00'}",
            "send_window.hours.start: '25:00' is not a time of day: hours go from 00 to 23 and minutes "
            "from 00 to 59 (hours:minutes, 24-hour clock)",
        ),
        (
            "hours: {start: '10:00', end: '24:00'}",
            "send_window.hours.end: '24:00' is not a time of day: hours go from 00 to 23 and minutes "
            'from 00 to 59 (hours:minutes, 24-hour clock); the last minute of a day is "23:59"',
        ),
        (
            "hours: {start: '10:00', end: '18.00'}",
            "send_window.hours.end: '18.00' is not a time like \"09:00\" (hours:minutes, 24-hour clock): "
            'write "18:00"',
        ),
        (
            "friday_cutoff: '3pm'",
            "send_window.friday_cutoff: '3pm' is not a time like \"09:00\" (hours:minutes, 24-hour clock): "
            'write "15:00"',
        ),
        (
            "friday_cutoff: 'after lunch'",
            "send_window.friday_cutoff: 'after lunch' is not a time like \"09:00\" (hours:minutes, 24-hour clock)",
        ),
        (
            "friday_cutoff: '13:00-15:00'",
            "send_window.friday_cutoff: '13:00-15:00' is a range; this setting is one time of day, like \"13:00\"",
        ),
        (
            "lunch: '13:00-14:00'",
            'send_window.lunch: \'13:00-14:00\' is one text: write the range as {start: "13:00", end: "14:00"}',
        ),
        (
            "lunch: ['13:00', '14:00']",
            'send_window.lunch: write the range as {start: "13:00", end: "14:00"}, not as a list',
        ),
    ],
)
def test_a_wrong_time_is_said_in_words_with_the_fix(setting: str, expected: str) -> None:
    (problem,) = errors_of(MINIMAL + f"send_window:\n  {setting}\n")
    where, message = problem.split(": ", 1)
    assert where.startswith("greeter.yaml:18:") and message == expected, problem


def test_missing_file_and_non_mapping() -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings("/nonexistent/greeter.yaml", today=TODAY)
    assert errors_of("- just\n- a list\n") == ["greeter.yaml:1:1: the config must be a mapping of settings"]


def test_schema_is_valid_json_and_lists_sections() -> None:
    schema = json_schema()
    json.dumps(schema)
    assert {"sender", "contacts", "occasions", "frequency_cap", "send_window"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    ("formats", "clash"),
    [
        (
            '["%m/%d/%Y", "%d/%m/%Y"]',
            "contacts.date_formats.1: '%d/%m/%Y' and '%m/%d/%Y' read the same dates",
        ),
        ('["%d.%m.%Y", "%m.%d.%Y"]', "contacts.date_formats.1: '%m.%d.%Y' and '%d.%m.%Y'"),
        ('["%Y-%m-%d", "%d.%m.%Y", "%Y-%d-%m"]', "contacts.date_formats.2: '%Y-%d-%m' and '%Y-%m-%d'"),
        ('["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"]', None),  # the default: no two read a value differently
        ('["%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"]', None),
    ],
)
def test_two_date_formats_that_read_one_value_as_two_days_are_refused(
    formats: str, clash: str | None
) -> None:
    """A marketer unsure of the CRM's format listed both; 07/01/1960 became 1 July under the first
    while 31/01/1974 went to the second: one column, two readings, letters on wrong days."""
    text = MINIMAL.replace("  path: contacts.csv\n", f"  path: contacts.csv\n  date_formats: {formats}\n")
    if clash is None:
        parse_settings(text, "greeter.yaml", today=TODAY)
        return
    [message] = errors_of(text)
    assert clash in message and "is 1 July or 7 January" in message


def test_a_key_with_a_line_break_is_named_on_one_line() -> None:
    """Found by the fuzzer: `sender: {"\\n": ~}` printed the key's line break inside the problem."""
    [unknown] = [
        e
        for e in errors_of(
            MINIMAL.replace("  email: hello@shop.example\n", '  email: hello@shop.example\n  "a\\nb": 1\n')
        )
        if "unknown key" in e
    ]
    assert "\n" not in unknown and "sender.a\\nb: unknown key" in unknown


ONE_OFF = MINIMAL.replace("    field: birthday\n", "    on: [2026-12-10, 2026-02-30]\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ruamel's date constructor raised ValueError: "internal error", exit 3, no file or line
        (
            ONE_OFF,
            "greeter.yaml:10:22: occasions.0.on.1: 2026-02-30 is not a real date: February has no 30th",
        ),
        (
            MINIMAL + "send_window:\n  extra_days_off: [2027-02-29]\n",
            "greeter.yaml:18:20: send_window.extra_days_off.0: 2027-02-29 is not a real date: "
            "2027 is not a leap year",
        ),
        (
            MINIMAL.replace("    field: birthday\n", "    on: [2026-13-01]\n"),
            "greeter.yaml:10:10: occasions.0.on.0: 2026-13-01 is not a real date: there is no month 13",
        ),
        (
            MINIMAL.replace("    field: birthday\n", "    on: [2026-12-10 25:00:00]\n"),
            "greeter.yaml:10:10: occasions.0.on.0: 2026-12-10 25:00:00 is not a real date and time",
        ),
    ],
)
def test_an_unquoted_date_that_does_not_exist_is_located_like_any_mistake(text: str, expected: str) -> None:
    assert errors_of(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lax pydantic read 86400 as seconds since 1970: a one-off greeting on 1970-01-02, check OK
        (
            MINIMAL.replace("    field: birthday\n", "    on: [86400]\n"),
            "greeter.yaml:10:10: occasions.0.on.0: '86400' is not a date like 2027-03-15 or 15.03.2027",
        ),
        (
            MINIMAL + "send_window:\n  extra_days_off: [0]\n",
            "greeter.yaml:18:20: send_window.extra_days_off.0: '0' is not a date like 2027-03-15 or 15.03.2027",
        ),
    ],
)
def test_a_number_is_never_read_as_a_day(text: str, expected: str) -> None:
    assert errors_of(text) == [expected]


def test_a_quoted_iso_day_is_still_a_day() -> None:
    text = MINIMAL.replace("    field: birthday\n", '    on: ["2026-12-10"]\n')
    assert parse_settings(text, "g.yaml", today=TODAY).occasions[0].on == [date(2026, 12, 10)]


def test_an_impossible_date_is_reported_with_the_other_problems() -> None:
    problems = errors_of(ONE_OFF.replace("max_count: 6", "max_count: 0"))
    assert [p.split(": ")[1] for p in problems] == ["occasions.0.on.1", "frequency_cap.max_count"]


def test_a_date_shaped_text_where_text_is_wanted_is_the_text_typed() -> None:
    """Only a setting that wants a date is told the day does not exist: elsewhere it is just text."""
    text = MINIMAL.replace(
        "  email: hello@shop.example\n", "  email: hello@shop.example\n  signature: 2026-02-30\n"
    )
    assert parse_settings(text, "g.yaml", today=TODAY).sender.signature == "2026-02-30"


def test_a_value_a_yaml_tag_cannot_build_is_a_located_syntax_error() -> None:
    assert errors_of(MINIMAL.replace("max_count: 6", "max_count: !!int six")) == [
        "greeter.yaml:13:14: YAML syntax: cannot read 'six': invalid literal for int() with base 10: 'six'"
    ]


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        # a one-off day written under the yearly `date`
        (
            ("    field: birthday\n", "    date: 2026-12-18\n"),
            'greeter.yaml:10:5: occasions.0.date: `date` is a yearly "MM-DD" like "12-18"; '
            "for a single day use `on: [2026-12-18]`",
        ),
        (
            ("    field: birthday\n", "    date: 2026-02-30\n"),
            'greeter.yaml:10:5: occasions.0.date: 2026-02-30 is not a real date; `date` is a yearly "MM-DD" '
            'like "12-18", and `on:` lists single days',
        ),
        # one day where a list of days goes
        (
            ("    field: birthday\n", "    on: 2026-12-18\n"),
            "greeter.yaml:10:5: occasions.0.on: should be a list of days, like [2026-12-18]",
        ),
        # a date where text goes
        (
            ("  name: Shop", "  name: 2026-12-18"),
            "greeter.yaml:2:3: sender.name: 2026-12-18 is read as a date (YAML reads an unquoted YYYY-MM-DD so); "
            'this setting is text: write it in quotes, "2026-12-18"',
        ),
        (
            ("max_count: 6", "max_count: 2026-12-18"),
            "greeter.yaml:13:3: frequency_cap.max_count: Input should be a valid integer (got 2026-12-18)",
        ),
    ],
)
def test_a_date_where_another_value_goes_says_what_to_write_not_pythons_repr(
    mutation: tuple[str, str], expected: str
) -> None:
    old, new = mutation
    assert old in MINIMAL
    problems = errors_of(MINIMAL.replace(old, new, 1))
    assert problems == [expected]
    assert "datetime" not in expected


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        # a key indented deeper than the keys above it: "expected <block end>, but found '<block mapping start>'"
        (
            (
                "    field: birthday\n    template: birthday\n",
                '    field: "birthday"\n      template: birthday\n',
            ),
            "greeter.yaml:11:7: YAML syntax: this line is indented differently from the lines of the same "
            "section above it (line 10, column 5); YAML said: expected <block end>, but found "
            "'<block mapping start>'",
        ),
        # …under an unquoted value, which the deeper line would continue: "mapping values are not allowed here"
        (
            ("    template: birthday\n", "      template: birthday\n"),
            "greeter.yaml:11:15: YAML syntax: this line is indented more than the line above it (line 10, "
            "column 5), so YAML reads it as the rest of that line's value; YAML said: mapping values are not "
            "allowed here",
        ),
        # …and less, but not back to the list: "expected <block end>, but found '?'"
        (
            ("    template: birthday\n", "  template: birthday\n"),
            "greeter.yaml:11:3: YAML syntax: this line is indented differently from the lines of the same "
            "section above it (line 10, column 5); YAML said: expected <block end>, but found '?'",
        ),
    ],
)
def test_a_line_indented_unlike_its_section_is_said_in_plain_words(
    mutation: tuple[str, str], expected: str
) -> None:
    old, new = mutation
    (problem,) = errors_of(MINIMAL.replace(old, new, 1))
    assert problem.startswith(expected), problem


def test_contact_ids_may_be_written_as_numbers() -> None:
    """CRM ids are numbers: ``contacts: [1001, 1002]`` was 'Input should be a valid string (got 1001)'."""
    text = MINIMAL.replace(
        "    template: birthday\n",
        "    template: birthday\n    audience:\n      contacts: [1001, '1002', 000123]\n",
    )
    (occasion,) = parse_settings(text, "g.yaml", today=TODAY).occasions
    assert occasion.audience.contacts == ["1001", "1002", "000123"]  # the digits as typed
    schema = json_schema()["$defs"]["Audience"]["properties"]["contacts"]
    assert {"type": "integer"} in schema["anyOf"][0]["items"]["anyOf"]  # an editor accepts them too
    assert errors_of(text.replace("000123", "true")) == [
        "greeter.yaml:13:32: occasions.0.audience.contacts.2: Input should be a valid string (got true)"
    ]


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        # valid YAML that ruamel's round-trip reader fails on with NotImplementedError("overlap in comment")
        (
            "catch_up_days:   # late by at most\n 3\n\nleap_day: feb28\n",
            "greeter.yaml:17:18: YAML syntax: this comment cannot stay where it is (the value goes on below it): "
            "put it on a line of its own",
        ),
        # …and a file with a real mistake besides (found by the fuzz test): the plain reader names it
        (
            "catch_up_days:   # late by at most\n 3\n\ncatch_up_days: 2\n",
            "greeter.yaml:20:1: YAML syntax: `catch_up_days` appears twice in the same section",
        ),
    ],
)
def test_a_file_the_round_trip_reader_gives_up_on_is_still_a_located_problem(
    tail: str, expected: str
) -> None:
    assert errors_of(MINIMAL + tail) == [expected]


# --------------------------------------------------------------------------- sender.by_locale


def with_by_locale(entries: str) -> str:
    return MINIMAL.replace(
        "  email: hello@shop.example\n", "  email: hello@shop.example\n  by_locale:\n" + entries
    )


def test_the_sender_is_named_per_language_most_specific_first() -> None:
    """An English letter is not signed «ООО «Ромашка»» (review #13c): by_locale names the sender in it."""
    sender = parse_settings(
        with_by_locale("    en: {name: Shop LLC, company: Shop LLC}\n    en-GB: {name: Shop Ltd}\n"),
        "greeter.yaml",
        today=TODAY,
    ).sender
    assert set(sender.by_locale) == {"en", "en_GB"}  # as the renderer names a letter's locale
    assert sender.in_locale("en") == ("Shop LLC", "Shop LLC")
    assert sender.in_locale("en_US") == ("Shop LLC", "Shop LLC")
    assert sender.in_locale("en_GB") == ("Shop Ltd", "Shop LLC")  # part by part: company from en
    assert sender.in_locale("ru") == ("Shop", "")
    assert sender.in_locale("") == sender.in_locale(None) == ("Shop", "")


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ("    English: {name: Shop LLC}\n", "greeter.yaml:5:5: sender.by_locale.English.[key]: should be a language code"),
        ("    xx-QQQ: {name: X}\n", "greeter.yaml:5:5: sender.by_locale.xx-QQQ: 'xx-QQQ' is not a locale Babel knows"),
        ("    en: {name: A}\n    en_GB: {}\n    en-GB: {name: B}\n", "greeter.yaml:7:5: sender.by_locale.en-GB: 'en-GB' is the locale 'en_GB' again"),
        ("    en: {name: ''}\n", "greeter.yaml:5:10: sender.by_locale.en.name: String should have at least 1 character"),
        ("    en: {nam: Shop LLC}\n", "greeter.yaml:5:10: sender.by_locale.en.nam: unknown key, did you mean `name`?"),
    ],
)  # fmt: skip
def test_a_wrong_by_locale_entry_is_located(entries: str, expected: str) -> None:
    [problem] = errors_of(with_by_locale(entries))
    assert problem.startswith(expected), problem


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("kz", "'kz' is a country code; Kazakh is 'kk'"),
        ("rs", "'rs' is a country code; Serbian is 'sr'"),
        ("ua", "'ua' is a country code; Ukrainian is 'uk'"),
        ("by", "'by' is a country code; Belarusian is 'be'"),
        ("gr", "'gr' is a country code; Greek is 'el'"),
        ("cz", "'cz' is a country code; Czech is 'cs'"),
        ("dk", "'dk' is a country code; Danish is 'da'"),
        ("jp", "'jp' is a country code; Japanese is 'ja'"),
        ("cn", "'cn' is a country code; Chinese is 'zh'"),
    ],
)
def test_a_country_code_as_a_by_locale_key_names_the_countrys_language(key: str, expected: str) -> None:
    """``title_by_locale: {kz: …}`` was refused as "'kz' is not a locale Babel knows": meaningless to
    a marketer keying titles by where the clients are. The country's language (CLDR) is named, in
    ``sender.by_locale`` and ``title_by_locale`` alike (one validator)."""
    [sender] = errors_of(with_by_locale(f"    {key}: {{name: Shop}}\n"))
    assert sender == f"greeter.yaml:5:5: sender.by_locale.{key}: {expected} (e.g. 'en', 'en_GB', 'sr_Latn')"
    titled = MINIMAL.replace(
        "    template: birthday\n", f"    template: birthday\n    title_by_locale: {{{key}: Day}}\n"
    )
    [title] = errors_of(titled)
    assert (
        title
        == f"greeter.yaml:12:23: occasions.0.title_by_locale.{key}: {expected} (e.g. 'en', 'en_GB', 'sr_Latn')"
    )


def test_a_country_code_that_is_also_a_language_is_accepted() -> None:
    """``ee`` is Ewe: a real locale, kept (``check`` asks whether Estonia was meant)."""
    titled = MINIMAL.replace(
        "    template: birthday\n", "    template: birthday\n    title_by_locale: {ee: Päev}\n"
    )
    assert parse_settings(titled, "g.yaml", today=TODAY).occasions[0].title_by_locale == {"ee": "Päev"}


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("rs", "'rs' is not a language code Babel knows ('rs' looks like the country code of Serbia (RS): "
               "its language is sr_Latn or sr) — e.g. 'ru', 'en', 'sr_Latn'"),
        ("xx", "'xx' is not a language code Babel knows — e.g. 'ru', 'en', 'sr_Latn'"),
    ],
)  # fmt: skip
def test_a_default_locale_babel_does_not_know_is_located(locale: str, expected: str) -> None:
    """``defaults.locale: rs`` passed check (``sr_Latin`` did not) and letters lost their signature."""
    text = MINIMAL + f"  locale: {locale}\n"
    line = text.splitlines().index(f"  locale: {locale}") + 1
    assert errors_of(text) == [f"greeter.yaml:{line}:3: defaults.locale: {expected}"]


@pytest.mark.parametrize("locale", ["ru", "en-GB", "sr_Latn", "hu_HU"])
def test_a_default_locale_babel_knows_is_kept(locale: str) -> None:
    settings = parse_settings(MINIMAL + f"  locale: {locale}\n", "greeter.yaml", today=TODAY)
    assert settings.defaults.locale == locale


def test_the_example_config_signs_english_letters_in_english() -> None:
    sender = load_settings(ROOT / "config.example.yaml", today=TODAY).sender
    assert sender.in_locale("en") == ("Romashka LLC", "Romashka LLC")
    assert sender.in_locale("ru") == ("ООО «Ромашка»", "ООО «Ромашка»")
