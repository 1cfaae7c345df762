"""``greeter check`` on what an account manager answers complaints about: the CRM's own mistakes.

A client on two rows (two letters), a wrong gender against the first name («Mr Miller» to
Anna), a letter stuck ``uncertain`` or ``failed`` for months, and a client whose id and address
changed together (the journal's letters no longer theirs). Real projects (the shipped templates
and config copied into ``tmp_path``) and real SQLite journals, checked in-process.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from click.testing import CliRunner

from greeter.check_namesakes import namesake_problems
from greeter.checks import run_check
from greeter.cli import main
from greeter.contacts import Contact, Gender
from greeter.errors import Problem
from greeter.journal import open_journal
from greeter.names import gender_source
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-07T10:00"
MOMENT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
ENGLISH_FORMAL = {"sender": {"by_locale": {"en": {"addressing": "formal"}}}}


def warnings(config: Path, now: str = NOW) -> list[str]:
    return [str(p) for p in run_check(config, now).problems if p.severity == "warning"]


def miller(gender: str) -> str:
    """Anna Miller, an English client, with ``gender`` in the Пол column."""
    return ";".join(
        ["1027", "anna@example.com", "Miller", "Anna", "", gender, "Miller GmbH", "Europe/Berlin", "en",
         "regular", "", "15.11.1967", "", "", ""]
    )  # fmt: skip


def test_a_client_on_two_rows_is_warned_at_the_second_naming_the_first(make_project: MakeProject) -> None:
    """The same full name and birthday under two ids and addresses: two letters, said before they go."""
    config = make_project(
        [
            contact_row("1001", "ivanov@example.com", birthday="07.01.1960"),
            contact_row("2001", "petrov@example.com", last="Петров", birthday="07.01.1960"),
            contact_row("5001", "ivanov.home@example.com", birthday="07.01.1960"),
            contact_row("5002", "ivanov.work@example.com", birthday="08.01.1960"),  # another birthday
        ]
    )
    twice = [w for w in warnings(config) if "the same name and birthday" in w]
    assert twice == [
        f"{config.parent / 'data' / 'contacts.csv'}:row 4: Дата рождения: warning: the same name and birthday"
        " as contact '1001' (row 2): Иванов Иван Петрович, born 07.01.1960; if it is one client, they get"
        " two letters for each occasion, one at each address; merge the two in CRM"
    ]


def test_a_client_on_two_rows_at_one_address_says_the_address_is_shared(make_project: MakeProject) -> None:
    config = make_project(
        [
            contact_row("1001", "ivanov@example.com", birthday="07.01.1960"),
            contact_row("5002", "IVANOV@example.com", birthday="07.01.1960"),
        ]
    )
    (twice,) = [w for w in warnings(config) if "the same name and birthday" in w]
    assert ":row 3: " in twice
    assert "this row has no e-mail (the same as contact '1001''s, or none: see its Email warning)" in twice
    assert "so one letter goes, to contact '1001'" in twice


def test_namesakes_are_one_look_up_a_contact_and_need_a_full_name_and_a_birthday() -> None:
    """Pure over the contacts: a bare first name or a missing birthday is no evidence."""
    born = {"birthday": date(1980, 5, 1)}
    contacts = [
        Contact("1", "a@x.example", first_name="Анна", last_name="Иванова", dates=born, row=2, source="c"),
        Contact("2", "b@x.example", first_name="Анна", last_name="", dates=born, row=3, source="c"),
        Contact("3", "c@x.example", first_name="Анна", last_name="", dates=born, row=4, source="c"),
        Contact("4", "d@x.example", first_name="Анна", last_name="Иванова", row=5, source="c"),
        Contact("5", "e@x.example", first_name="АННА", last_name="иванова", dates=born, row=6, source="c"),
    ]
    found = namesake_problems(contacts, "csv", "Дата рождения")
    assert [(p.line, p.severity) for p in found] == [(6, "warning")]
    assert isinstance(found[0], Problem) and "as contact '1' (row 2)" in found[0].message


def test_a_gender_column_against_the_first_name_is_warned_quoting_the_salutation(
    make_project: MakeProject,
) -> None:
    """Anna Miller with Пол «m» in a formal English letter: «Dear Mr Miller», silently before."""
    config = make_project([miller("m")], **ENGLISH_FORMAL)
    (wrong,) = [w for w in warnings(config) if "first name" in w]
    assert wrong.endswith(
        ":row 2: Пол: warning: says male, but the first name 'Anna' is female by greeter's name lists;"
        ' the letter follows the column: "Dear Mr Miller"; check the row'
    )
    assert not [w for w in warnings(make_project([miller("f")], **ENGLISH_FORMAL)) if "first name" in w]


def test_preview_json_says_the_gender_the_letter_took_and_from_where(make_project: MakeProject) -> None:
    config = make_project([miller("m")], **ENGLISH_FORMAL)
    result = CliRunner().invoke(
        main, ["preview", "--config", str(config), "--now", NOW, "--days", "400", "--json"]
    )
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    birthday = next(i for i in items if i["occasion"] == "birthday")
    assert (birthday["gender"], birthday["gender_source"]) == ("male", "column")
    assert birthday["subject"] == "Happy birthday, Mr Miller!"


def test_gender_source_names_the_cell() -> None:
    anna = Contact("1", None, first_name="Anna", last_name="Miller", locale="en")
    assert gender_source(anna) == (Gender.FEMALE, "first_name")
    assert gender_source(Contact("2", None, first_name="Мария", patronymic="Петровна")) == (
        Gender.FEMALE,
        "patronymic",
    )
    typo = Contact("3", None, first_name="Мария", patronymic="Петровна", gender=Gender.MALE)
    assert gender_source(typo) == (Gender.UNKNOWN, "contradicted")
    assert gender_source(Contact("4", None, first_name="Анна", locale="ru")) == (Gender.UNKNOWN, "none")


def _journal(config: Path) -> None:
    """Contact 1014's birthday letter uncertain since June, 1015's failed in November, and
    1029's birthday letter sent a year ago (at its old address)."""
    journal = open_journal(str(config.parent / "data" / "journal.sqlite3"), now=MOMENT)
    try:
        for cid, day, email, subject in (
            ("1014", date(2026, 6, 12), "c14@example.com", None),
            ("1015", date(2026, 11, 20), "c15@example.com", None),
            ("1029", date(2025, 12, 9), "old@example.com", "Вера Константиновна, с днём рождения!"),
        ):
            key = (cid, "birthday", day)
            journal.claim(
                key, email=email, message_id=f"<{cid}@x>", planned_at=MOMENT, subject=subject, now=MOMENT
            )
            if cid == "1014":
                journal.mark_uncertain(key, "connection lost after DATA", MOMENT)
            elif cid == "1015":
                journal.mark_failed(key, "550 5.1.1 no such user", MOMENT)
            else:
                journal.mark_sent(key, "250 ok", MOMENT)
    finally:
        journal.close()


def test_uncertain_and_recently_failed_letters_are_counted_with_the_commands(
    make_project: MakeProject,
) -> None:
    config = make_project(
        [
            contact_row("1014", "c14@example.com", birthday="12.06.1970"),
            contact_row("1015", "c15@example.com", birthday="20.11.1971"),
        ]
    )
    _journal(config)
    found = [w for w in warnings(config) if ": journal: " in w]
    assert len(found) == 2, found
    uncertain, failed = found
    assert "1 letter(s) uncertain" in uncertain
    assert "the oldest contact '1014' birthday of 2026-06-12" in uncertain
    assert "they can only be dismissed" in uncertain  # June's birthday is past its catch-up period
    assert "`greeter history --state uncertain`" in uncertain
    assert "`greeter uncertain resend|dismiss --contact ID --occasion NAME --date DATE`" in uncertain
    assert "1 letter(s) of the last 30 days failed (not sent), the oldest contact '1015'" in failed
    assert "`greeter history --state failed --since 2026-11-07`" in failed
    assert "`greeter failed resend" in failed


def test_a_client_whose_id_and_address_changed_together_is_pointed_out(make_project: MakeProject) -> None:
    """1029 greeted a year ago is gone; 4029, new, has Вера's birthday and name at another address."""
    vera = {"last": "Гусева", "first": "Вера", "patronymic": "Константиновна", "birthday": "09.12.1981"}
    config = make_project(
        [
            contact_row("1014", "c14@example.com", birthday="12.06.1970"),
            contact_row("4029", "vera@new.example", **vera),
            contact_row("4030", "other@example.com", **{**vera, "first": "Ольга"}),  # another name
        ]
    )
    _journal(config)
    (moved,) = [w for w in warnings(config) if "greeted contact" in w]
    assert ":row 3: Дата рождения: warning: like a greeted contact the contacts have no more" in moved
    assert (
        "contact '1029', greeted on 09.12.2025 at old@example.com with 'Вера Константиновна, с днём рождения!'"
    ) in moved
    assert "`greeter history --contact 1029`" in moved
    # At the old address the planner matches the letters itself (a renumbered CRM): no news.
    (config.parent / "data" / "contacts.csv").write_text(
        (config.parent / "data" / "contacts.csv")
        .read_text(encoding="utf-8-sig")
        .replace("vera@new.example", "old@example.com"),
        encoding="utf-8-sig",
    )
    assert not [w for w in warnings(config) if "greeted contact" in w]


def test_the_example_config_says_what_a_column_against_a_patronymic_does() -> None:
    """Its comment said "the letter follows the column"; the letter takes no gender (docs/contacts.md)."""
    from greeter.letter_forms import salutation
    from tests.conftest import ROOT

    text = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    start = text.index("    gender: Пол")
    comment = " ".join(
        line.split("#", 1)[1].strip() for line in text[start : text.index("    company:", start)].splitlines()
    )
    typo = Contact(
        "1", None, first_name="Светлана", patronymic="Дмитриевна", last_name="Комарова", gender=Gender.MALE
    )
    assert f"«{salutation(typo, 'ru')}»" in comment
    assert "the letter takes no gender" in comment
