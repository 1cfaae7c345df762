"""English letters' two registers: by the first name (the default) or formal, by title and surname.

``sender.by_locale.<en…>.addressing: formal`` writes "Dear Ms Smith," and "Happy
birthday, Ms Smith!" where the default writes "Dear Jane," and "Happy birthday, Jane!";
British letters write Mr, Ms, Dr without a full stop, American ones with it. Rendered
with the shipped templates and a config read by the real loader.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from greeter.config import Sender
from greeter.config_loader import parse_settings
from greeter.contacts import Contact, Gender
from greeter.errors import ConfigError
from greeter.letter_forms import Person, addressed
from greeter.plan_types import Hit, PlanItem
from greeter.render import Renderer
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
M, F = Gender.MALE, Gender.FEMALE


def _sender(addressing: str | None) -> Sender:
    entry = {"name": "Acme GmbH", "company": "Acme GmbH"}
    if addressing is not None:
        entry["addressing"] = addressing
    return Sender(name="Acme GmbH", email="greetings@acme.example", by_locale={"en": entry})


def _contact(first: str, last: str, gender: Gender | None, locale: str) -> Contact:
    return Contact(
        id="7", email="client@example.com", first_name=first, last_name=last, locale=locale, gender=gender
    )


def _birthday(contact: Contact, template: str = "birthday") -> PlanItem:
    hit = Hit(contact, template, date(2026, 12, 15), 20, 100, template)
    return PlanItem(hit=hit, status="send", send_at=None, also=(), belated=False)


JANE = ("Jane", "Smith", F)  # the gender column says female (or Ms: greeter.sources.name_cells)
JOHN = ("John", "Doe", M)
CARTER = ("Dr. Emily", "Carter", None)  # a title typed in the CRM's first-name column
PROF = ("Prof. Dr. Anna", "Smith", F)
NO_GENDER = ("Robin", "Smith", None)  # a first name of either gender (given_names._EITHER)
SURNAME_ONLY = ("", "Smith", None)
NOBODY = ("", "", None)

#: (contact, addressing, locale, salutation line, birthday subject)
TABLE = [
    # ---------------------------------------------------------------- by the first name: as before
    (JANE, None, "en_GB", "Dear Jane,", "Happy birthday, Jane!"),
    (JANE, "first_name", "en_US", "Dear Jane,", "Happy birthday, Jane!"),
    (CARTER, None, "en_US", "Dear Emily,", "Happy birthday, Emily!"),
    (NOBODY, None, "en", "Dear Sir or Madam,", "Happy birthday!"),
    # ---------------------------------------------------------------- formal, British: no full stop
    (JANE, "formal", "en_GB", "Dear Ms Smith,", "Happy birthday, Ms Smith!"),
    (JOHN, "formal", "en_GB", "Dear Mr Doe,", "Happy birthday, Mr Doe!"),
    (CARTER, "formal", "en_GB", "Dear Dr Carter,", "Happy birthday, Dr Carter!"),
    (PROF, "formal", "en_GB", "Dear Professor Smith,", "Happy birthday, Professor Smith!"),
    (NO_GENDER, "formal", "en_GB", "Dear Robin Smith,", "Happy birthday, Robin Smith!"),
    (SURNAME_ONLY, "formal", "en_GB", "Dear Sir or Madam,", "Happy birthday!"),
    (NOBODY, "formal", "en_GB", "Dear Sir or Madam,", "Happy birthday!"),
    # ---------------------------------------------------------------- formal, American: with one
    (JANE, "formal", "en_US", "Dear Ms. Smith,", "Happy birthday, Ms. Smith!"),
    (JOHN, "formal", "en_US", "Dear Mr. Doe,", "Happy birthday, Mr. Doe!"),
    (CARTER, "formal", "en_US", "Dear Dr. Carter,", "Happy birthday, Dr. Carter!"),
    (PROF, "formal", "en_US", "Dear Professor Smith,", "Happy birthday, Professor Smith!"),
    (NO_GENDER, "formal", "en_US", "Dear Robin Smith,", "Happy birthday, Robin Smith!"),
    (NOBODY, "formal", "en_US", "Dear Sir or Madam,", "Happy birthday!"),
    # ---------------------------------------------------------------- formal, English of no country
    (JANE, "formal", "en", "Dear Ms Smith,", "Happy birthday, Ms Smith!"),
    (JOHN, "formal", "en", "Dear Mr Doe,", "Happy birthday, Mr Doe!"),
    (NO_GENDER, "formal", "en", "Dear Robin Smith,", "Happy birthday, Robin Smith!"),
]


@pytest.mark.parametrize(("who", "addressing", "locale", "salutation", "subject"), TABLE)
def test_salutation_and_subject_follow_the_register(
    who: tuple[str, str, Gender | None], addressing: str | None, locale: str, salutation: str, subject: str
) -> None:
    renderer = Renderer(TEMPLATES, _sender(addressing), "ru")
    out = renderer.render(_birthday(_contact(*who, locale)))
    assert out.text.splitlines()[0] == salutation
    assert out.subject == subject


#: Every shipped English subject names the client as the register does, never by the first name.
SUBJECTS = {
    "birthday": "Happy birthday, Ms Smith!",
    "new_year": "Happy New Year, Ms Smith!",
    "company_anniversary": "Congratulations on your company's 20th anniversary, Ms Smith!",
    "first_deal": "Ms Smith, thank you for 20 years of partnership!",
    "holiday": "Happy holiday, Ms Smith!",
}


@pytest.mark.parametrize(("template", "subject"), SUBJECTS.items())
def test_every_shipped_subject_follows_the_formal_register(template: str, subject: str) -> None:
    renderer = Renderer(TEMPLATES, _sender("formal"), "ru")
    out = renderer.render(_birthday(_contact(*JANE, "en_GB"), template))
    assert out.subject == subject
    assert "Jane" not in out.subject and "Jane" not in out.text


def test_addressee_lets_a_template_write_its_own_formal_line(tmp_path: Path) -> None:
    (tmp_path / "birthday.en.j2").write_text(
        "{% block subject %}For {{ addressee }}{% endblock %}"
        "{% block text %}{{ salutation }}{{ salutation_end }} {{ addressee }} / {{ contact.first_name }}{% endblock %}",
        encoding="utf-8",
    )
    formal = Renderer(tmp_path, _sender("formal"), "ru").render(_birthday(_contact(*JOHN, "en_US")))
    assert (formal.subject, formal.text) == ("For Mr. Doe", "Dear Mr. Doe, Mr. Doe / John")
    plain = Renderer(tmp_path, _sender(None), "ru").render(_birthday(_contact(*JOHN, "en_US")))
    assert (plain.subject, plain.text) == ("For John", "Dear John, John / John")


def _example(insert_after: str, line: str) -> str:
    text = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    assert insert_after in text
    return text.replace(insert_after, insert_after + line, 1)


def test_the_config_option_turns_english_letters_formal() -> None:
    """The example config with ``addressing: formal`` under ``sender.by_locale.en``: en_GB and
    en_US letters take it (the en entry serves both), a Russian letter is unchanged."""
    text = _example("  by_locale:\n    en:\n", "      addressing: formal\n")
    settings = parse_settings(text, "greeter.yaml", ROOT, today=TODAY)
    renderer = Renderer(TEMPLATES, settings.sender, settings.defaults.locale)
    gb = renderer.render(_birthday(_contact(*JANE, "en_GB")))
    us = renderer.render(_birthday(_contact(*JOHN, "en_US")))
    assert (gb.text.splitlines()[0], gb.subject) == ("Dear Ms Smith,", "Happy birthday, Ms Smith!")
    assert (us.text.splitlines()[0], us.subject) == ("Dear Mr. Doe,", "Happy birthday, Mr. Doe!")
    ru = renderer.render(
        _birthday(Contact(id="8", email="r@example.com", first_name="Анна", patronymic="Ильинична"))
    )
    assert ru.text.startswith("Уважаемая Анна Ильинична!")


def test_the_default_config_keeps_the_first_name() -> None:
    settings = parse_settings(
        (ROOT / "config.example.yaml").read_text(encoding="utf-8"), "greeter.yaml", ROOT, today=TODAY
    )
    out = Renderer(TEMPLATES, settings.sender, settings.defaults.locale).render(
        _birthday(_contact(*JANE, "en_GB"))
    )
    assert (out.text.splitlines()[0], out.subject) == ("Dear Jane,", "Happy birthday, Jane!")


def test_addressing_under_another_language_is_refused_at_its_line() -> None:
    text = _example("  by_locale:\n    en:\n      name: Romashka LLC\n      company: Romashka LLC\n", "")
    text = text.replace("    de:\n", "    de:\n      addressing: formal\n", 1)
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, "greeter.yaml", ROOT, today=TODAY)
    said = str(caught.value)
    assert "sender.by_locale.de.addressing" in said and "addressing is for English letters" in said
    line = text.splitlines().index("      addressing: formal") + 1
    assert f"greeter.yaml:{line}:" in said


def test_a_misspelt_register_is_refused() -> None:
    text = _example("  by_locale:\n    en:\n", "      addressing: surname\n")
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, "greeter.yaml", ROOT, today=TODAY)
    assert "sender.by_locale.en.addressing" in str(caught.value)
    assert "first_name" in str(caught.value) and "formal" in str(caught.value)


#: (first, last, gender, locale, formal salutation): the full stop by country, titles, a fallback language.
FORMAL = [
    ("John", "Doe", M, "en_CA", "Dear Mr. Doe"),
    ("Jane", "Smith", F, "en_IE", "Dear Ms Smith"),
    ("Jane", "Smith", F, "en_AU", "Dear Ms Smith"),
    ("Jane", "Smith", F, "en_001", "Dear Ms Smith"),  # CLDR's international English: British
    ("Dipl.-Ing. Karl", "Weber", M, "en_GB", "Dear Mr Weber"),  # a Diplom degree is no salutation title
    ("Dr. med. Eva", "Weber", F, "en_US", "Dear Dr. Weber"),
    ("Jane", "", F, "en_GB", "Dear Jane"),  # Ms goes with a surname
    ("", "Doe", M, "en_US", "Dear Mr. Doe"),
]


@pytest.mark.parametrize(("first", "last", "gender", "locale", "expected"), FORMAL)
def test_formal_salutations(first: str, last: str, gender: Gender, locale: str, expected: str) -> None:
    person = Person(first, "", last, gender)
    assert addressed(person, locale, formal=True)[0] == expected
