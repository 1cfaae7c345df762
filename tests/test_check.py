"""``greeter check`` beyond the plain letter: the forms real letters take, and audiences that reach nobody.

Real projects (the shipped templates and config copied into ``tmp_path``),
checked in-process with :func:`greeter.checks.run_check` or through the CLI.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.check_forms import SAMPLE_CONTACTS, letter_forms
from greeter.checks import run_check
from greeter.cli import main
from greeter.config import Audience, Occasion
from greeter.contacts import Contact
from greeter.plan_types import Hit
from tests import databases
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00"


def russians(n: int, start: int = 1) -> list[str]:
    return [contact_row(str(i), f"c{i}@example.com", birthday="07.01.1960") for i in range(start, start + n)]


def english(cid: str) -> str:
    row = contact_row(
        cid, f"{cid}@example.com", last="Smith", first="John", patronymic="", birthday="07.01.1960"
    )
    return row.replace(";ru;", ";en;")


def edit(config: Path, template: str, old: str, new: str) -> None:
    path = config.parent / "templates" / template
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_other_forms_are_rendered_for_a_few_contacts_only(make_project: MakeProject) -> None:
    """The extra renders do not grow with the contacts file: a big CRM export checks as fast as before."""
    small = run_check(make_project(russians(5)), NOW)
    big = run_check(make_project(russians(40)), NOW)
    occasions = len(small.occasions)
    assert small.render_failures == big.render_failures == 0
    assert big.renders - small.renders == 35 * occasions  # only the plain letter per extra contact
    assert small.renders > 5 * occasions  # …and the other forms were rendered too


def test_a_typo_in_the_english_early_branch_is_found_among_many_russian_contacts(
    make_project: MakeProject,
) -> None:
    """Each template file gets its own sample: the first contacts all use the Russian one."""
    config = make_project([*russians(10), english("en1")])
    edit(config, "birthday.en.j2", "{% elif early %}\n", "{% elif early %}\n{{ contakt.first_name }}\n")
    report = run_check(config, NOW)
    problems = [str(p) for p in report.problems if p.kind == "template"]
    assert len(problems) == 1, problems
    assert re.fullmatch(
        r"birthday\.en\.j2:\d+:1: undefined: 'contakt' is undefined, did you mean 'contact'\? "
        r"\(in a letter sent early, before its day; tried for contact en1\)",
        problems[0],
    )


def test_a_typo_in_the_leap_day_branch_is_found(make_project: MakeProject) -> None:
    """``{% if occasion_moved %}`` (29 February in a common year) is a form of its own, rendered by check."""
    config = make_project(russians(3))
    edit(config, "birthday.j2", "{% if occasion_moved %}", "{% if occasion_moved %}{{ contakt }}")
    problems = [str(p) for p in run_check(config, NOW).problems if p.kind == "template"]
    assert len(problems) == 1, problems
    assert (
        "(in a letter for 29 February in a common year, sent early; tried for contacts 1, 2, 3)"
        in problems[0]
    )


def test_a_sender_name_for_a_language_no_template_is_written_in_is_a_warning(
    make_project: MakeProject,
) -> None:
    """sender.by_locale.fr with no French files: the name would never be used."""
    config = make_project(
        [*russians(2), english("en1")],
        sender={"by_locale": {"en": {"name": "Romashka LLC"}, "fr": {"name": "Romashka SARL"}}},
    )
    report = run_check(config, NOW)
    problems = [str(p) for p in report.problems if "by_locale" in p.field]
    lines = config.read_text(encoding="utf-8").splitlines()
    line, text = next((i, t) for i, t in enumerate(lines, 1) if t.strip().startswith("fr:"))
    assert problems == [
        f"{config}:{line}:{text.index('fr:') + 1}: sender.by_locale.fr: warning: no template is "
        "written in 'fr' (the letters are in de, en, et, hu, ka, ru, sr, uk): this name is never used"
    ]
    assert report.errors == 0


def test_a_failure_of_the_plain_letter_is_not_repeated_for_its_other_forms(make_project: MakeProject) -> None:
    config = make_project(russians(5))
    edit(config, "birthday.j2", "Желаем Вам крепкого", "{{ contakt }} Желаем Вам крепкого")
    report = run_check(config, NOW)
    problems = [str(p) for p in report.problems if p.kind == "template"]
    assert len(problems) == 1, problems
    assert problems[0].endswith("(5 contacts: 1, 2, 3 and 2 more)")


def test_merged_forms_carry_only_occasions_that_can_merge_into_the_letter(make_project: MakeProject) -> None:
    """A merged occasion never has a higher priority than the letter's own (that one would lead)."""
    config = make_project(russians(SAMPLE_CONTACTS))
    # new_year (priority 60) would only break if birthday (100) were merged into it: it never is.
    edit(
        config,
        "new_year.j2",
        "{% if also %}",
        "{% if also and also[0].occasion == 'birthday' %}{{ nope }}{% endif %}{% if also %}",
    )
    # …while birthday carries new_year (and every other lower-priority occasion).
    edit(
        config,
        "birthday.j2",
        "{% if also %}",
        "{% if also and also[0].occasion == 'new_year' %}{{ nope }}{% endif %}{% if also %}",
    )
    problems = [str(p) for p in run_check(config, NOW).problems if p.kind == "template"]
    assert len(problems) == 1, problems
    assert problems[0].startswith("birthday.j2:")
    assert "(in a letter merged with new_year; tried for contacts 1, 2, 3)" in problems[0]


def test_letter_forms_follow_merge_priorities_and_the_audiences_years() -> None:
    birthday = Occasion(name="birthday", template="birthday", field="birthday", priority=100)
    company = Occasion(
        name="company_anniversary",
        template="company_anniversary",
        field="company_founded",
        priority=80,
        audience=Audience(round_years=5),
    )
    new_year = Occasion(name="new_year", template="new_year", date="12-29", priority=60)
    hit = Hit(
        Contact("1", "a@example.com"), "company_anniversary", date(2026, 12, 1), 1, 80, "company_anniversary"
    )
    forms = list(letter_forms(hit, [birthday, company, new_year]))
    assert [item.hit.years for label, item in forms if label.startswith("for years=")] == [5, 50, 55, 100]
    merged = [item.also for label, item in forms if label == "merged with new_year"]
    assert [[(h.occasion, h.years) for h in also] for also in merged] == [[("new_year", None)]] * 2
    assert {h.date for (h,) in merged} == {date(2026, 11, 28), date(2026, 12, 4)}  # before and after the day
    assert not any("birthday" in label for label, _ in forms)  # it would lead: never carried here
    early, late = forms[0][1], forms[1][1]
    assert early.send_at is not None and early.send_at.date() < hit.date and not early.belated
    assert late.send_at is not None and late.send_at.date() > hit.date and late.belated


def audience_config(make_project: MakeProject, tags: list[str], tiers: list[str]) -> Path:
    rows = [
        contact_row("1", "a@example.com", birthday="07.01.1960", tier="VIP", tags="23feb"),
        contact_row("2", "b@example.com", birthday="07.01.1960", tags="8mar, newsletter"),
    ]
    config = make_project(rows)
    text = config.read_text(encoding="utf-8")
    text = text.replace("tags: [23feb]", f"tags: [{tags[0]}]").replace("tiers: [VIP]", f"tiers: [{tiers[0]}]")
    config.write_text(text, encoding="utf-8")
    return config


def place_of(config: Path, needle: str) -> str:
    """``line:col`` of the first occurrence of ``needle`` in the config (1-based)."""
    lines = config.read_text(encoding="utf-8").splitlines()
    return next(f"{i}:{line.index(needle) + 1}" for i, line in enumerate(lines, 1) if needle in line)


def test_an_audience_tag_or_tier_no_contact_has_is_a_located_warning(make_project: MakeProject) -> None:
    """``tags: ["23 feb"]`` with ``23feb`` in the data greeted nobody, and check said OK."""
    config = audience_config(make_project, ["'23 feb'"], ["VIPP"])
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert result.exit_code == 0, result.output  # a warning: the CRM may gain such contacts
    warnings = [line for line in result.stderr.splitlines() if ".audience." in line]
    tier, tag = place_of(config, "VIPP"), place_of(config, "'23 feb'")
    assert warnings == [  # each at the value itself
        f"{config}:{tier}: occasions.1.audience.tiers: warning: no contact has tier 'VIPP', did you mean 'VIP'?",
        f"{config}:{tag}: occasions.4.audience.tags: warning: no contact has tag '23 feb', did you mean '23feb'?",
    ]


def test_audience_values_the_data_has_are_quiet_and_unknown_ones_list_what_exists(
    make_project: MakeProject,
) -> None:
    quiet = run_check(audience_config(make_project, ["23feb"], ["vip"]), NOW)  # tiers ignore case
    assert not [p for p in quiet.problems if "audience" in p.field]
    loud = run_check(audience_config(make_project, ["partners"], ["VIP"]), NOW)
    (problem,) = [p for p in loud.problems if "audience" in p.field]
    assert problem.severity == "warning"
    assert problem.message == "no contact has tag 'partners' (contacts have: 23feb, 8mar, newsletter)"


def test_dates_no_anniversary_can_be_greeted_for_are_reported_at_their_row(make_project: MakeProject) -> None:
    """A birthday in the future or 146 years ago: preview skipped it as invalid_contact, check said OK."""
    rows = [  # two clients, not one twice (the same name and birthday is a warning of its own)
        contact_row("1", "c1@example.com", birthday="07.01.1960"),
        contact_row("2", "c2@example.com", birthday="08.01.1960"),
        contact_row("9001", "fut@example.com", birthday="18.12.2030"),
        contact_row("9002", "old@example.com", birthday="18.12.1880"),
    ]
    report = run_check(make_project(rows), NOW)
    found = [str(p) for p in report.problems if "greetings are skipped" in p.message]
    assert [re.sub(r"^.*contacts\.csv:", "", p) for p in found] == [
        "row 4: Дата рождения: warning: birthday 18.12.2030 is in the future; birthday greetings are skipped",
        "row 5: Дата рождения: warning: birthday 18.12.1880 gives 146 years (more than 120);"
        " birthday greetings are skipped",
    ]
    assert report.row_warnings == 2 and not report.errors  # warnings: their other greetings still go


UNSUBSCRIBE = {"url": "https://greet.example.com/unsubscribe", "secret_env": "GREETER_TEST_UNSUB_SECRET"}
NO_UNSUBSCRIBE_SECRET = (
    "environment: GREETER_TEST_UNSUB_SECRET: unsubscribe secret: "
    "environment variable GREETER_TEST_UNSUB_SECRET is not set"
)


def test_a_missing_unsubscribe_secret_is_an_error_in_the_words_send_refuses_with(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check said OK, while send --once (even --dry-run) and run refused with exit 2; then exit 1."""
    monkeypatch.delenv("GREETER_TEST_UNSUB_SECRET", raising=False)
    config = make_project(russians(2), unsubscribe=UNSUBSCRIBE)
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 2, checked.output  # a configuration error, as for send and run
    assert NO_UNSUBSCRIBE_SECRET in checked.stderr.splitlines()
    assert checked.stdout.splitlines()[-1] == "check: 1 problem(s)"
    report = run_check(config, NOW)
    assert report.errors == report.secret_errors == 1 and report.fatal
    sent = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--dry-run", "--now", NOW])
    assert sent.exit_code == 2 and sent.stderr.splitlines() == [NO_UNSUBSCRIBE_SECRET]
    monkeypatch.setenv("GREETER_TEST_UNSUB_SECRET", "s3cret-value-never-shown-32-bytes-long")
    fine = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert fine.exit_code == 0, fine.output
    assert (
        "s3cret-value-never-shown-32-bytes-long" not in fine.output
        and "GREETER_TEST_UNSUB_SECRET" not in fine.output
    )


def test_a_postgresql_url_libpq_refuses_is_reported_as_such_not_as_unreachable(
    make_project: MakeProject,
) -> None:
    with databases.pg_schema() as (url, _):
        config = make_project(russians(1), storage={"url": databases.with_query(url, "sslmode=bogus")})
        report = run_check(config, NOW)
    (journal,) = [d for d in report.databases if d.role == "journal"]
    assert (
        not journal.ok and journal.detail == 'not a valid connection string: invalid sslmode value: "bogus"'
    )
    (problem,) = [p for p in report.problems if p.field == "storage.url"]
    assert str(problem).endswith(
        ': storage.url: not a valid connection string: invalid sslmode value: "bogus"'
    )


def test_an_unreadable_dkim_key_is_an_error_as_for_send_and_run(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """send and run refuse to start without it; check said OK."""
    missing = tmp_path / "no-such-dkim.pem"
    config = make_project(
        russians(1),
        delivery={"dkim": {"domain": "romashka.example", "selector": "mail", "key_file": str(missing)}},
    )
    report = run_check(config, NOW)
    assert report.secret_errors == 1 and report.errors >= 1
    assert any(
        "delivery.dkim.key_file" in str(p) and "cannot read the DKIM key" in str(p) for p in report.problems
    )


@pytest.mark.parametrize(("bits", "warned"), [(1024, True), (2048, False)])
def test_a_1024_bit_dkim_key_is_a_warning_suggesting_2048(
    make_project: MakeProject, tmp_path: Path, bits: int, warned: bool
) -> None:
    """512 bits is refused; 1024 passed check silently though RFC 8301 and M3AAWG ask for 2048."""
    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), str(bits)], check=True, capture_output=True)
    key.chmod(0o600)
    config = make_project(
        russians(1),
        delivery={"dkim": {"domain": "romashka.example", "selector": "mail", "key_file": str(key)}},
    )
    report = run_check(config, NOW)
    assert report.secret_errors == 0
    said = [str(p) for p in report.problems if p.field == "delivery.dkim.key_file"]
    if not warned:
        assert said == []
        return
    (warning,) = said
    assert re.fullmatch(
        rf"{re.escape(str(config))}:\d+:\d+: delivery\.dkim\.key_file: warning: the DKIM key has 1024 bits: "
        r"RFC 8301 and M3AAWG ask for at least 2048, .*`openssl genrsa -out dkim\.pem 2048`.*",
        warning,
    ), warning


#: The other fix a fallback warning names: the language to write them in (defaults.fallback_locales).
FIX = "; add it, or write them in en: defaults.fallback_locales: {{{0}: en}}"


def in_locale(cid: str, locale: str, **kw: str) -> str:
    return contact_row(cid, f"{cid}@example.com", birthday="07.01.1960", **kw).replace(";ru;", f";{locale};")


def test_contacts_whose_locale_has_no_file_are_told_they_get_the_default_letter(
    make_project: MakeProject,
) -> None:
    """Clients with locale hu, de, et got the Russian letter, and check said nothing; they have their
    letters now, and fr, lv still fall back."""
    rows = [
        *russians(2),
        english("e1"),  # birthday.en.j2 exists: quiet
        in_locale("h1", "hu"),
        in_locale("h2", "hu-HU"),
        in_locale("d1", "fr", tier="VIP", tags="23feb"),
        in_locale("s1", "lv-LV"),
        in_locale("k1", "klingon"),  # already a row warning, and the default applies: not repeated
        in_locale("r1", "ru_RU"),  # the default file is in its language
    ]
    config = make_project(rows)
    warnings = [p for p in run_check(config, NOW).problems if "get birthday.j2" in p.message]
    place = place_of(config, "template: birthday")
    assert [str(p) for p in warnings] == [
        f"{config}:{place}: occasions.0.template: warning: {message}"
        for message in (
            "1 contact(s) with locale 'fr' get birthday.j2 (ru): there is no birthday.fr.j2"
            + FIX.format("fr"),
            "1 contact(s) with locale 'lv_LV' get birthday.j2 (ru): there is no birthday.lv.j2"
            + FIX.format("lv"),
        )
    ]
    problems = [str(p) for p in run_check(config, NOW).problems if "with locale" in p.message]
    # the holiday template is used by two occasions: once, and only for whom they reach (23feb, 8mar tags)
    assert [p.split(": warning: ")[1] for p in problems if "holiday.j2" in p] == [
        "1 contact(s) with locale 'fr' get holiday.j2 (ru): there is no holiday.fr.j2" + FIX.format("fr")
    ]
    (config.parent / "templates" / "birthday.fr.j2").write_bytes(
        (config.parent / "templates" / "birthday.en.j2").read_bytes()
    )
    quieter = [p.message for p in run_check(config, NOW).problems if "get birthday.j2" in p.message]
    assert len(quieter) == 1 and not any("'fr'" in m for m in quieter)


def test_a_country_code_read_as_another_language_is_told_what_was_meant(make_project: MakeProject) -> None:
    """``ee`` is Ewe to Babel, so an Estonian client got the Russian letter beside birthday.et.j2."""
    config = make_project([*russians(1), in_locale("e1", "ee"), in_locale("s1", "sv")])
    templates = config.parent / "templates"
    (templates / "birthday.et.j2").write_bytes((templates / "birthday.en.j2").read_bytes())
    warnings = [p.message for p in run_check(config, NOW).problems if "get birthday.j2" in p.message]
    assert warnings == [
        "1 contact(s) with locale 'ee' get birthday.j2 (ru): there is no birthday.ee.j2 "
        "('ee' is Ewe; if Estonia (EE) was meant, its language is et)",
        # Swedish is Swedish: no word about El Salvador (SV), whose language has no file here
        "1 contact(s) with locale 'sv' get birthday.j2 (ru): there is no birthday.sv.j2" + FIX.format("sv"),
    ]


def test_an_audience_contact_id_no_contact_has_is_a_located_warning(make_project: MakeProject) -> None:
    """``audience: contacts: [..., "9999"]`` passed check silently, while unknown tags were warned about."""
    config = make_project(russians(2))
    text = config.read_text(encoding="utf-8").replace(
        "tags: [23feb]", "tags: [23feb]\n    contacts: [1, '2', 9999]"
    )
    config.write_text(text, encoding="utf-8")
    (problem,) = [p for p in run_check(config, NOW).problems if "audience.contacts" in p.field]
    assert str(problem) == (
        f"{config}:{place_of(config, '9999')}: occasions.4.audience.contacts: warning: "
        f"no contact has id '9999' in {config.parent / 'data' / 'contacts.csv'}"
    )


def test_a_mistyped_templates_dir_is_one_problem_at_the_setting(make_project: MakeProject) -> None:
    """It was one "template missing" per occasion, none naming the folder."""
    config = make_project(russians(1), templates_dir="templatez")
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert result.exit_code == 2, result.output
    place = place_of(config, "templates_dir")
    assert [line for line in result.stderr.splitlines() if "audience" not in line] == [
        f"{config}:{place}: templates_dir: templates_dir 'templatez' does not exist, did you mean 'templates'?"
    ]


def test_a_template_with_only_a_locale_variant_says_what_the_default_file_is_for(
    make_project: MakeProject,
) -> None:
    """ "template missing: …manager_day.j2, did you mean 'manager_day'?" suggested the name already used."""
    config = make_project(russians(1))
    templates = config.parent / "templates"
    (templates / "birthday.j2").rename(templates / "birthday.sr.j2")
    report = run_check(config, NOW)
    (problem,) = [p for p in report.problems if p.severity == "error"]
    assert str(problem) == (
        f"{config}:{place_of(config, 'template: birthday')}: occasions.0.template: template missing: "
        "only birthday.de.j2 and birthday.en.j2 and birthday.et.j2 and birthday.hu.j2 and birthday.ka.j2 "
        "and birthday.sr.j2 and birthday.uk.j2 exist; "
        f"add {templates / 'birthday.j2'}, the letter for ru "
        "and for every locale without its own file"
    )


def files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def test_the_outbox_is_probed_as_a_send_would_write_it_leaving_nothing_behind(
    make_project: MakeProject,
) -> None:
    """check tried the journal and the mail server, but not the file transport's outbox: one a
    send could not write (a read-only mount, a path through a file) was found only when every
    letter went to retry. The probe writes where a send would, and removes what it made."""
    config = make_project(russians(1), delivery={"outbox": "data/out/box"})
    data = config.parent / "data"
    before = files_under(data)
    missing = run_check(config, NOW)  # the outbox and its parent do not exist yet: a send makes them
    assert missing.outbox == (str(data / "out" / "box"), True, "writable")
    assert files_under(data) == before
    (data / "out" / "box").mkdir(parents=True)
    before = files_under(data)
    there = run_check(config, NOW)
    assert there.outbox is not None and there.outbox[1] and files_under(data) == before
    assert f"outbox: {data / 'out' / 'box'}: writable" in there.text().splitlines()
    assert there.summary()["outbox"] == {"path": str(data / "out" / "box"), "ok": True, "detail": "writable"}
    assert not [p for p in there.problems if p.field == "delivery.outbox"]


def test_an_outbox_that_cannot_be_made_is_an_error_unlike_an_unreachable_server(
    make_project: MakeProject,
) -> None:
    """A server down mends itself; a folder's mode does not (it was a warning, and check said OK)."""
    config = make_project(russians(1), delivery={"outbox": "data/out/box"})
    (config.parent / "data" / "out").write_text(
        "a file where the outbox's folder should be\n", encoding="utf-8"
    )
    report = run_check(config, NOW)
    assert report.outbox is not None and not report.outbox[1]
    (problem,) = [p for p in report.problems if p.field == "delivery.outbox"]
    assert problem.severity == "error" and report.errors == 1 and not report.fatal
    assert "cannot write to outbox" in problem.message and "Not a directory" in problem.message
    assert problem.message.endswith(
        "; every letter would go to retry (run check as the user greeter sends as)"
    )


def days_off_project(make_project: MakeProject, ics: str | None) -> Path:
    """A project whose send_window.days_off_ics is corp.ics beside the config, written with ``ics`` if given."""
    config = make_project(russians(2), send_window={"days_off_ics": "corp.ics"})
    if ics is not None:
        (config.parent / "corp.ics").write_bytes(ics.replace("\n", "\r\n").encode())
    return config


CORP_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//export//
BEGIN:VEVENT
UID:a1
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20261230
DTEND;VALUE=DATE:20261231
SUMMARY:Инвентаризация
END:VEVENT
BEGIN:VEVENT
UID:a2
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20250915
RRULE:FREQ=YEARLY
SUMMARY:День компании
END:VEVENT
BEGIN:VEVENT
UID:t1
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Moscow:20261211T140000
DTEND;TZID=Europe/Moscow:20261211T180000
SUMMARY:корпоратив с обеда
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.parametrize(
    ("ics", "cause"),
    [
        (None, "cannot read the calendar file (No such file or directory)"),
        ("Праздники 2027: 1–8 января\n", "not a valid iCalendar file"),
    ],
)
def test_a_days_off_ics_that_preview_refuses_is_an_error_of_check(
    make_project: MakeProject, ics: str | None, cause: str
) -> None:
    """check said OK, while preview, send and calendar then refused with exit 2."""
    config = days_off_project(make_project, ics)
    where = f"{config.parent / 'corp.ics'}: send_window.days_off_ics: "
    previewed = CliRunner().invoke(main, ["--config", str(config), "preview", "--now", NOW])
    assert previewed.exit_code == 2
    assert previewed.stderr.startswith(where + cause)
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 1, checked.output
    assert [line for line in checked.stderr.splitlines() if ": send_window.days_off_ics: " in line] == [
        previewed.stderr.strip()
    ]
    assert f"days off: {config.parent / 'corp.ics'}: not read (see above)" in checked.stdout.splitlines()
    assert checked.stdout.splitlines()[-1] == "check: 1 problem(s)"
    assert run_check(config, NOW).days_off_errors == 1


def _workbook() -> bytes:
    """A real .xlsx (openpyxl), as a manager's holiday list is."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Дата", "Праздник"])  # type: ignore[union-attr]
    book.active.append(["01.01.2027", "Новый год"])  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        (_workbook, "this is a ZIP file (an .xlsx or .docx?), not an iCalendar file: export the calendar as .ics"),
        (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(range(256)) * 4,
         "this is a PDF file, not an iCalendar file: export the calendar as .ics"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4,
         "this is an old Office file (an Excel .xls or Word .doc?), not an iCalendar file: export the calendar as .ics"),
        (lambda: b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX;" + b"\x01" * 300 + b":y\r\nEND:VCALENDAR\r\n",
         "not a valid iCalendar file (line 3 'X;\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01…' cannot be read)"),
        (lambda: "Праздники 2027: 1–8 января\r\n".encode(),
         "not a valid iCalendar file (it starts with 'Праздники 2027: 1–8 января', not BEGIN:VCALENDAR):"
         " export the calendar as .ics"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_calendar_is_said_in_one_short_line(
    make_project: MakeProject, content: Callable[[], bytes], cause: str
) -> None:
    """An .xlsx renamed to .ics made check print a 644-character line with ~400 raw bytes of the
    ZIP archive (icalendar quoting its first "line"). The file's kind, or its bad line escaped and cut."""
    config = days_off_project(make_project, None)
    (config.parent / "corp.ics").write_bytes(content())
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 1, checked.output
    [line] = [line for line in checked.stderr.splitlines() if ": send_window.days_off_ics: " in line]
    assert line == f"{config.parent / 'corp.ics'}: send_window.days_off_ics: {cause}"
    assert line.isprintable() and len(line) - len(str(config.parent)) < 170


def test_a_readable_days_off_ics_is_one_info_line_and_its_timed_events_one_warning(
    make_project: MakeProject,
) -> None:
    config = days_off_project(make_project, CORP_ICS)
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 0, checked.output
    path = config.parent / "corp.ics"
    assert f"days off: {path}: 3 day(s) off in 2026–2027" in checked.stdout.splitlines()
    assert [line for line in checked.stderr.splitlines() if ": send_window.days_off_ics: " in line] == [
        f"{path}: send_window.days_off_ics: warning: 1 event with a time of day is not a day off, so it is"
        " ignored: 'корпоратив с обеда' (11.12.2026 14:00–18:00); make it an all-day event if the whole day"
        " is off"
    ]


def test_a_secret_file_every_user_may_read_is_a_warning_that_says_the_fix(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """A password_file left 0644 by a umask-022 shell passed check silently; its content is never shown."""
    password = tmp_path / "smtp-password"
    password.write_text("hunter2-very-secret\n", encoding="utf-8")
    password.chmod(0o644)
    key = tmp_path / "dkim.pem"
    key.write_text(
        "-----BEGIN PRIVATE KEY-----\nnot checked here\n-----END PRIVATE KEY-----\n", encoding="utf-8"
    )
    key.chmod(0o660)  # the group may replace the key that signs as the domain
    unsubscribe = tmp_path / "unsubscribe-secret"
    unsubscribe.write_text("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==\n", encoding="utf-8")
    unsubscribe.chmod(0o604)
    config = make_project(
        russians(1),
        delivery={
            "smtp": {"password_file": str(password)},
            "dkim": {"domain": "romashka.example", "selector": "mail", "key_file": str(key)},
        },
        unsubscribe={"secret_file": str(unsubscribe)},
    )
    report = run_check(config, NOW)
    loose = sorted(str(p) for p in report.problems if p.field.endswith("_file") and p.severity == "warning")
    # not "chmod 600 it": a Kubernetes secret mount is root's, and 0600 there is unreadable to greeter
    fix = (
        "make it readable by greeter's user or group only (chmod 600, or 640 with greeter's group; "
        "in Kubernetes: the secret volume's defaultMode 0440 with the pod's fsGroup)"
    )
    assert loose == [
        f"{config}: delivery.dkim.key_file: warning: {key} is writable by its group (mode 0660): {fix}",
        f"{config}: delivery.smtp.password_file: warning: {password} is readable by every user (mode 0644): "
        f"{fix}",
        f"{config}: unsubscribe.secret_file: warning: {unsubscribe} is readable by every user (mode 0604): "
        f"{fix}",
    ]
    assert "hunter2" not in report.text() and "c2VjcmV0" not in report.text()
    assert "chmod 600 it" not in report.text()
    password.chmod(0o600)
    unsubscribe.chmod(0o440)  # a Kubernetes secret's defaultMode 0440: greeter's group reads it
    key.chmod(0o640)  # a group that only reads is a deployment's choice
    again = run_check(config, NOW)
    assert not [p for p in again.problems if p.field.endswith("_file") and p.severity == "warning"]


def test_files_every_user_may_change_are_a_warning(make_project: MakeProject) -> None:
    """Under ``umask 000`` the config, the letters and the recipients were mode 0666: any account on the
    machine could redirect the company's mail, and check said nothing. Group-writable stays silent
    (a team edits the letters together), and so does a world-writable folder with the sticky bit."""
    config = make_project(russians(1))
    folder = config.parent
    contacts = folder / "data" / "contacts.csv"
    letter = folder / "templates" / "birthday.j2"
    config.chmod(0o666)
    contacts.chmod(0o646)
    letter.chmod(0o664)  # the group may edit the letters: no warning
    (folder / "templates").chmod(0o777)

    def warned() -> list[str]:
        return sorted(
            str(p) for p in run_check(config, NOW).problems if "writable by every user" in p.message
        )

    assert warned() == [
        f"{config}: (the config file): warning: {config} is writable by every user (mode 0666): anyone on "
        f"this machine can change what greeter sends and to whom; chmod o-w {config}",
        f"{config}: contacts.path: warning: {contacts} is writable by every user (mode 0646): anyone on "
        f"this machine can change what greeter sends and to whom; chmod o-w {contacts}",
        f"{config}: templates_dir: warning: {folder / 'templates'} is writable by every user (mode 0777): "
        f"anyone on this machine can change what greeter sends and to whom; chmod o-w "
        f"{folder / 'templates'} (or chmod +t {folder / 'templates'}: only a file's owner may then replace it)",
    ]
    (folder / "templates").chmod(0o1777)
    config.chmod(0o664)
    contacts.chmod(0o644)
    assert warned() == []
