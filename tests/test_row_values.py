"""Row values a CRM writes its own way: time zones by city or offset, multi-line companies, pasted addresses.

Found by a CRM admin reading a 1C export: ``Владивосток`` in the time-zone
column was told "did you mean 'Asia/Vladivostok'?" and then greeted at
Moscow's hours — 00:27 in Vladivostok, the day after the birthday; a company
cell of two lines kept the contact from every greeting; an address with a
zero-width space or two dots was refused without a reason. Each is tested
where contacts load and through the command line.
"""

from __future__ import annotations

import email
import email.policy
from datetime import time
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.config import Defaults
from greeter.config_contacts import Columns, ContactsSource
from greeter.contacts import Contact
from greeter.sources import LoadReport, load_contacts
from tests.conftest import MakeProject, contact_row
from tests.faults import greeter

HEADER = "ID;Email;ФИО;Компания;Часовой пояс;Страна"
COLUMNS = Columns(
    id="ID", email="Email", full_name="ФИО", first_name=None, patronymic=None, last_name=None,
    company="Компания", timezone="Часовой пояс", country="Страна",
)  # fmt: skip
SIGN = "Etc names invert the sign"


def load(tmp_path: Path, *rows: str, default_zone: str = "Europe/Moscow") -> tuple[list[Contact], LoadReport]:
    """The rows under :data:`HEADER`, loaded as ``greeter`` loads a CSV export."""
    path = tmp_path / "c.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return load_contacts(ContactsSource(path=path, columns=COLUMNS), Defaults(timezone=default_zone))


def messages(report: LoadReport) -> list[str]:
    return [f"{p.field}: {p.severity}: {p.message}" for p in report.problems]


# ---------------------------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    ("written", "zone", "how"),
    [
        ("Владивосток", "Asia/Vladivostok", ""),
        ("Екатеринбург", "Asia/Yekaterinburg", ""),
        ("MSK", "Europe/Moscow", ""),
        ("МСК+2", "Asia/Yekaterinburg", " (Russia's zone of UTC+05:00, the same clock as Etc/GMT-5)"),
        ("МСК-1", "Europe/Kaliningrad", " (Russia's zone of UTC+02:00, the same clock as Etc/GMT-2)"),
        ("UTC+3", "Europe/Moscow", " (Russia's zone of UTC+03:00, the same clock as Etc/GMT-3)"),
        ("GMT+3", "Europe/Moscow", " (Russia's zone of UTC+03:00, the same clock as Etc/GMT-3)"),
        ("europe/moscow", "Europe/Moscow", ""),
        ("Vladivostok", "Asia/Vladivostok", ""),
    ],
)
def test_a_zone_cell_that_means_one_zone_loads_the_contact_in_it(tmp_path: Path, written: str, zone: str,
                                                                 how: str) -> None:  # fmt: skip
    """What the config would be told it meant is what the contact's letters are timed in, said once."""
    contacts, report = load(tmp_path, f"1;a@x.ru;Белов Иван Петрович;;{written};", default_zone="Asia/Omsk")
    assert [c.timezone for c in contacts] == [zone]
    assert messages(report) == [
        f"Часовой пояс: warning: {written!r} read as {zone}{how}; write {zone} in the CRM"
    ]


def test_a_utc_offset_russia_has_no_zone_of_is_read_as_the_fixed_offset_and_says_its_sign(
    tmp_path: Path,
) -> None:
    """``UTC-5`` is ``Etc/GMT+5`` (POSIX signs): the warning says so, and that a place is better."""
    contacts, report = load(tmp_path, "1;a@x.ru;Белов Иван Петрович;;UTC-5;")
    assert [c.timezone for c in contacts] == ["Etc/GMT+5"]
    assert messages(report) == [
        f"Часовой пояс: warning: 'UTC-5' read as Etc/GMT+5 (which is UTC-05:00: {SIGN}); write the client's"
        " place as Area/City (or Etc/GMT+5) in the CRM"
    ]


def test_a_zone_cell_that_is_only_like_a_zone_says_which_zone_the_letters_use(tmp_path: Path) -> None:
    """A look-alike or an ambiguous abbreviation is not guessed at: the fallback applies, and is named —
    defaults.timezone, or the zone of the row's country when that keeps one time."""
    contacts, report = load(
        tmp_path,
        "1;a@x.ru;Белов Иван Петрович;;Asia/Vladivostk;",
        "2;b@x.ru;Белов Иван Петрович;;IST;",
        "3;c@x.ru;Kovács Béla;;IST;HU",
        default_zone="Asia/Novosibirsk",
    )
    assert [c.timezone for c in contacts] == [None, None, "Europe/Budapest"]
    ambiguous = "time-zone abbreviations are ambiguous: use an IANA name like 'Europe/Moscow'"
    assert [m for m in messages(report) if m.startswith("Часовой пояс")] == [
        "Часовой пояс: warning: unknown time zone 'Asia/Vladivostk': letters to this contact are timed in"
        " Asia/Novosibirsk (defaults.timezone); did you mean 'Asia/Vladivostok'?",
        "Часовой пояс: warning: unknown time zone 'IST': letters to this contact are timed in"
        f" Asia/Novosibirsk (defaults.timezone); {ambiguous}",
        "Часовой пояс: warning: unknown time zone 'IST': letters to this contact are timed in"
        f" Europe/Budapest, the zone of the row's country HU; {ambiguous}",
    ]


def test_each_distinct_zone_text_is_read_once(tmp_path: Path) -> None:
    """A million rows name a handful of zones: the reading (CLDR's city names) is a dict look-up after
    the first row, and every row still gets its zone and its warning."""
    from greeter.sources import zone_cells

    zone_cells.ZONES.clear()
    contacts, report = load(tmp_path, *(f"{i};a{i}@x.ru;Белов Иван;;Владивосток;" for i in range(1, 301)))
    assert {c.timezone for c in contacts} == {"Asia/Vladivostok"} and len(report.problems) == 300
    assert zone_cells.ZONES == {
        "Владивосток": (
            "Asia/Vladivostok",
            "'Владивосток' read as Asia/Vladivostok; write Asia/Vladivostok in the CRM",
            "",
        )
    }


def test_send_greets_a_client_in_vladivostok_in_vladivostoks_working_hours(make_project: MakeProject) -> None:
    """The persona's run: at 17:27 in Moscow (00:27 on 14 April in Vladivostok) the birthday letter of
    13 April went out, dated 14:27 UTC. Now nothing leaves at the client's night, and the letter goes
    (belated, within catch_up_days) inside the client's own working hours the next day."""
    config = make_project([contact_row("14", "v14@x.ru", birthday="13.04.1980", tz="Владивосток")])
    outbox = config.parent / "data" / "outbox"

    night = greeter(config, "send", "--once", "--now", "2027-04-13T17:27:30+03:00")
    assert night.returncode == 0, night.stderr
    assert not outbox.exists() or list(outbox.iterdir()) == [], "a letter left at the client's night"
    assert "'Владивосток' read as Asia/Vladivostok; write Asia/Vladivostok in the CRM" in night.stderr

    day = greeter(config, "send", "--once", "--now", "2027-04-14T17:29:00+10:00")
    assert day.returncode == 0, day.stderr
    (eml,) = outbox.iterdir()
    letter = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    local = parsedate_to_datetime(str(letter["Date"])).astimezone(ZoneInfo("Asia/Vladivostok"))
    assert local.weekday() < 5 and time(10) <= local.time() < time(17, 30), local
    assert not time(13) <= local.time() < time(14), local  # not at lunch either


# ------------------------------------------------------------------------------- multi-line companies


def test_a_company_cell_of_several_lines_is_joined_and_the_contact_loads(tmp_path: Path) -> None:
    """1C exports write a branch or an address on the company's second line; the contact was rejected
    ("it would break the message headers") and got no letter at all, not even New Year's."""
    contacts, report = load(
        tmp_path,
        '1;ivanov@x.ru;Иванов Иван Петрович;"ООО ""Вектор""; филиал\nМосква";Europe/Moscow;',
        '2;petrov@x.ru;Петров Пётр Ильич;"АО Север \r\n\r\n  склад №2\u2028цех";Europe/Moscow;',
    )
    assert [(c.id, c.company) for c in contacts] == [
        ("1", 'ООО "Вектор"; филиал Москва'),
        ("2", "АО Север склад №2 цех"),
    ]
    assert report.rejected == 0
    assert messages(report) == [
        "Компания: warning: 'ООО \"Вектор\"; филиал\\nМосква' is on 2 lines, joined with spaces:"
        " 'ООО \"Вектор\"; филиал Москва'",
        "Компания: warning: 'АО Север \\r\\n\\r\\n  склад №2\\u2028цех' is on 3 lines, joined with spaces:"
        " 'АО Север склад №2 цех'",
    ]


def test_names_e_mails_and_swallowed_rows_keep_the_strict_rule(tmp_path: Path) -> None:
    """Only the company is joined: a name or an address with a line break is still refused, a company
    with another control character too, and so is a company cell a quote left open joined the next
    row into (joining it would hide that row)."""
    contacts, report = load(
        tmp_path,
        '1;a@x.ru;"Петрова\nАнна Сергеевна";ООО Ко;;',
        '2;b@x.ru;Петров Пётр Ильич;"ООО Ко\nфилиал";;',  # loads
        '3;c@x.ru;Сидоров Пётр Ильич;"ИП ""Сидоров"";;',
        '4;d@x.ru;Козлов Олег Иванович;ООО Ко;;"',
        "5;e@x.ru;Орлов Илья Ильич;ООО\x00Ко;;",
    )
    assert [c.id for c in contacts] == ["2"]
    found = messages(report)
    assert found[0].startswith("ФИО: error: contains a line break (CR/LF)"), found
    assert found[2].startswith("Компания: error: contains a line break (CR/LF)"), found
    assert 'a quote (") left open joined the following line(s) into this field' in found[2], found
    assert found[3].startswith("Компания: error: contains a NUL character"), found


def test_a_folded_company_in_the_subject_makes_exactly_the_headers_a_one_line_company_makes(
    make_project: MakeProject,
) -> None:
    """The subject is a header: a company folded into it must be one line, and a second line that reads
    like a header ("Bcc: …") stays text inside the Subject, never a header of its own."""
    hostile = contact_row("1", "a@example.com", birthday="13.04.1980").replace(
        "ООО «Тест»", '"ООО «Вектор»\r\nBcc: victim@example.com"'
    )
    plain = contact_row("2", "b@example.com", birthday="13.04.1980").replace("ООО «Тест»", "ООО «Север»")
    config = make_project([hostile, plain])
    template = config.parent / "templates" / "birthday.j2"
    text = template.read_text(encoding="utf-8")
    start, end = (
        text.index("{% block subject %}"),
        text.index("{% endblock %}", text.index("{% block subject %}")),
    )
    template.write_text(text[:start] + "{% block subject %}Поздравляем {{ contact.company }}!" + text[end:],
                        encoding="utf-8")  # fmt: skip

    sent = greeter(config, "send", "--once", "--now", "2027-04-14T11:00:00+03:00")
    assert sent.returncode == 0, sent.stderr
    assert "Компания: warning: 'ООО «Вектор»\\r\\nBcc: victim@example.com' is on 2 lines" in sent.stderr
    letters = {}
    for eml in (config.parent / "data" / "outbox").iterdir():
        raw = eml.read_bytes()
        letter = email.message_from_bytes(raw, policy=email.policy.default)
        letters[str(letter["To"])] = (raw, letter)
    (hostile_raw, hostile_letter), (_, plain_letter) = (
        next(v for k, v in letters.items() if "a@example.com" in k),
        next(v for k, v in letters.items() if "b@example.com" in k),
    )
    assert str(hostile_letter["Subject"]) == "Поздравляем ООО «Вектор» Bcc: victim@example.com!"
    assert str(plain_letter["Subject"]) == "Поздравляем ООО «Север»!"
    assert hostile_letter["Bcc"] is None and b"\nBcc:" not in hostile_raw
    assert list(hostile_letter.keys()) == list(plain_letter.keys())


# --------------------------------------------------------------------------------------- e-mail cells


def test_an_address_with_an_invisible_character_is_taken_without_it_saying_which_and_where(
    tmp_path: Path,
) -> None:
    """Pasted from a web page: 'a15@x.ru' and a ZERO WIDTH SPACE, which nobody can see in the CRM."""
    contacts, report = load(
        tmp_path,
        "15;a15@x.ru\u200b;Невидимкин Иван Петрович;;;",
        "16;\ufeffa16@x\u00ad.ru;Невидимкин Пётр Ильич;;;",
    )
    assert [c.email for c in contacts] == ["a15@x.ru", "a16@x.ru"]
    assert messages(report) == [
        "Email: warning: 'a15@x.ru\\u200b' has an invisible U+200B ZERO WIDTH SPACE at position 9; taken as"
        " 'a15@x.ru' without it: retype the address in the CRM",
        "Email: warning: '\\ufeffa16@x\\xad.ru' has invisible characters (U+FEFF ZERO WIDTH NO-BREAK SPACE at"
        " position 1, U+00AD SOFT HYPHEN at position 7); taken as 'a16@x.ru' without them: retype the"
        " address in the CRM",
    ]


def test_invisible_characters_pasted_into_a_name_are_removed_and_the_name_declines(tmp_path: Path) -> None:
    """``Иван`` and a ZERO WIDTH SPACE was addressed "Иван Петровичу": the ending hid from the rules."""
    from greeter.addressing import decline

    contacts, report = load(
        tmp_path,
        "17;a17@x.ru;Невидимкин Иван\u200b Петрович;\u200eООО «Ве\u00adктор»;;",
        "18;a18@x.ru;Невидимкина Анна Ильинична;ООО «Тест\u200c»;;",  # a joiner stays: some scripts need it
    )
    assert [(c.first_name, c.company) for c in contacts] == [
        ("Иван", "ООО «Вектор»"),
        ("Анна", "ООО «Тест\u200c»"),
    ]
    assert decline(contacts[0], "dative") == "Ивану Петровичу"
    assert messages(report) == [
        "ФИО: warning: 'Невидимкин Иван\\u200b Петрович' has an invisible U+200B ZERO WIDTH SPACE at"
        " position 16: removed ('Невидимкин Иван Петрович')",
        "Компания: warning: '\\u200eООО «Ве\\xadктор»' has invisible characters (U+200E LEFT-TO-RIGHT MARK at"
        " position 1, U+00AD SOFT HYPHEN at position 9): removed ('ООО «Вектор»')",
    ]


def test_a_rejected_address_says_why(tmp_path: Path) -> None:
    contacts, report = load(
        tmp_path,
        "17;a17@x..ru;Точкин Иван Петрович;;;",
        "18;a..b@x.ru;Точкин Пётр Ильич;;;",
        "19;a19.@x.ru;Точкин Олег Ильич;;;",
        "20;a20@x..ru\u200b;Точкин Илья Ильич;;;",
    )
    assert contacts == [] and report.rejected == 4
    assert messages(report) == [
        "Email: error: 'a17@x..ru' is not a valid e-mail address: two dots in a row in the domain"
        " (a17@x.ru meant?)",
        "Email: error: 'a..b@x.ru' is not a valid e-mail address: two dots in a row before the @"
        " (a.b@x.ru meant?)",
        "Email: error: 'a19.@x.ru' is not a valid e-mail address: a dot right next to the @, which no"
        " address has",
        "Email: error: 'a20@x..ru\\u200b' is not a valid e-mail address: it has an invisible U+200B ZERO"
        " WIDTH SPACE at position 10; two dots in a row in the domain (a20@x.ru meant?)",
    ]


def test_check_reports_the_persona_s_rows_as_loaded_with_reasons(make_project: MakeProject) -> None:
    """Through the command line: the zero-width address loads, the two-dot one is refused with its reason."""
    rows = [contact_row("15", "a15@x.ru\u200b", birthday="13.04.1980"),
            contact_row("17", "a17@x..ru", birthday="13.04.1980")]  # fmt: skip
    config = make_project(rows)
    checked = greeter(config, "check")
    assert (
        "row 2: Email: warning: 'a15@x.ru\\u200b' has an invisible U+200B ZERO WIDTH SPACE" in checked.stderr
    )
    assert "row 3: Email: 'a17@x..ru' is not a valid e-mail address: two dots in a row" in checked.stderr
    assert "contacts: 1 loaded from 2 rows, 1 rejected" in checked.stdout
