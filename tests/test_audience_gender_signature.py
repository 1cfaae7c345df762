"""Two things a B2B marketer asked for: an audience by gender, and a signature in each language.

23 February for men and 8 March for women is what a Russian B2B calendar
does; greeter knows each contact's gender (the gender column, else the
patronymic), and ``audience.genders`` now uses it — a contact whose gender
neither tells is left out, and ``check`` says how many. An English letter
took the closing and the sender's name whatever the config said: the layout
printed ``sender.signature`` in Russian letters only, and
``sender.by_locale.en.signature`` was refused. Each ``by_locale`` entry now
takes a signature, chosen per letter as the name is.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from greeter.audience import AudienceRule, AudienceVerdicts
from greeter.config import Audience, Sender
from greeter.contacts import Contact, Gender
from greeter.gallery_words import russian_detail
from greeter.plan_types import Hit
from greeter.precheck import precheck
from greeter.render import Renderer
from tests.conftest import MakeProject, contact_row
from tests.faults import greeter
from tests.test_render import SENDER, TEMPLATES, item, person

UNKNOWN = "gender unknown (neither the gender column, a patronymic nor a first name greeter knows says it)"

# --------------------------------------------------------------------------- the rule, pure


def client(first: str, patronymic: str = "", gender: Gender | None = None, *, cid: str = "1") -> Contact:
    return Contact(id=cid, email="a@example.com", first_name=first, patronymic=patronymic, gender=gender)


IVAN = client("Иван", "Петрович")  # male by the patronymic
ANNA = client("Анна", "Ильинична")  # female by the patronymic
KIM = client("Kim")  # neither column nor patronymic nor a name of one gender: unknown
MARIA = client("Maria", gender=Gender.FEMALE)  # by the column alone
# The column beats the patronymic in the letter's wording, but a row contradicting itself is of
# no known gender to a men's or women's day (test_spring_audience): one of the two is a typo.
SASHA = client("Саша", "Петрович", Gender.FEMALE)
CONTRADICTED = (
    "gender unknown (the gender column says female but the patronymic is male: one of them is wrong)"
)
NOBODY = client("Саша", "Петрович", Gender.UNKNOWN)  # an explicit "unknown" beats it too


@pytest.mark.parametrize(
    ("genders", "contact", "why"),
    [
        (["male"], IVAN, ""),
        (["male"], ANNA, "gender female is not one of: male"),
        (["male"], KIM, f"{UNKNOWN} is not one of: male"),
        (["male"], MARIA, "gender female is not one of: male"),
        (["male"], SASHA, f"{CONTRADICTED} is not one of: male"),
        (["male"], NOBODY, f"{UNKNOWN} is not one of: male"),
        (["female"], ANNA, ""),
        (["female"], MARIA, ""),
        (["female"], SASHA, f"{CONTRADICTED} is not one of: female"),
        (["female"], IVAN, "gender male is not one of: female"),
        (["female"], KIM, f"{UNKNOWN} is not one of: female"),
        (["male", "female"], IVAN, ""),
        (["female", "male"], ANNA, ""),
        (["male", "female"], KIM, f"{UNKNOWN} is not one of: female, male"),
        (None, KIM, ""),
    ],
)
def test_the_audience_rule_by_gender(genders: list[str] | None, contact: Contact, why: str) -> None:
    """Admitted by the gender the letter is worded by; an unknown gender is in no list (no guess)."""
    audience = Audience.model_validate({"genders": genders})
    rule = AudienceRule.of(audience)
    assert rule.everyone is (genders is None)
    assert rule.admits(contact, None) is (why == "")
    assert rule.why_not(contact, None) == why
    hit = Hit(contact, "defender_day", date(2027, 2, 23), None, 30, "holiday")
    expected = ("outside_audience", why) if why else None
    assert precheck(hit, audience=rule, past_keys={}, suppressed=False) == expected


def test_verdicts_are_remembered_per_gender() -> None:
    """Two clients alike in tier, tags and country but not in gender get their own answers."""
    verdicts = AudienceVerdicts(AudienceRule.of(Audience(genders=["female"])))
    assert [verdicts.refusal(c, None) for c in (ANNA, IVAN, KIM, MARIA)] == [
        None,
        "gender male is not one of: female",
        f"{UNKNOWN} is not one of: female",
        None,
    ]


def test_the_gallery_says_the_gender_refusals_in_russian() -> None:
    rule = AudienceRule.of(Audience(genders=["male"]))
    assert russian_detail(rule.why_not(ANNA, None)) == (
        "повод только для мужчин (genders), а пол контакта — женский"
    )
    assert russian_detail(rule.why_not(KIM, None)) == (
        "повод только для мужчин (genders), а пол контакта неизвестен: "
        "его не называют ни столбец пола, ни отчество, ни имя"
    )


# --------------------------------------------------------------------------- the config


def gender_row(cid: str, first: str, patronymic: str, gender: str, *, locale: str = "ru") -> str:
    """A contact of ``gender`` (the Пол cell) with a birthday far from February."""
    cells = contact_row(cid, f"{cid}@example.com", first=first, patronymic=patronymic, birthday="07.07.1980")
    parts = cells.split(";")
    parts[5], parts[8] = gender, locale
    return ";".join(parts)


ROWS = [
    gender_row("1", "Иван", "Петрович", ""),  # male by the patronymic
    gender_row("2", "Олег", "", "м"),  # male by the column
    gender_row("3", "Анна", "Ильинична", ""),  # female by the patronymic
    gender_row("4", "Kim", "", "", locale="en"),  # unknown: Kim is either gender
    gender_row("5", "Emma", "", "", locale="en"),  # female by the first name (a language without patronymics)
    gender_row("6", "Мария", "", "ж"),  # female by the column
]


def for_men(make_project: MakeProject, genders: str = "genders: [male]") -> Path:
    """The example config with 23 February's ``tags: [23feb]`` replaced by ``genders``."""
    config = make_project(ROWS)
    text = config.read_text(encoding="utf-8")
    assert text.count(" tags: [23feb]\n") == 1
    config.write_text(text.replace(" tags: [23feb]\n", f" {genders}\n"), encoding="utf-8")
    return config


def line_of(config: Path, text: str) -> tuple[int, int]:
    """The line (1-based) of the config that reads ``text``, and the column it starts at."""
    lines = config.read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, 1) if line.strip() == text]
    return number, lines[number - 1].index(text) + 1


@pytest.mark.parametrize(
    ("written", "problem", "item"),
    [
        ("gender: male", "occasions.4.audience.gender: unknown key, did you mean `genders`?", 0),
        (
            "genders: male",
            "occasions.4.audience.genders: 'male' is one text, not a list: write the list in brackets, [male]",
            0,
        ),
        ("genders: [м]", "occasions.4.audience.genders.0: 'м' means male: write male (male or female)", 10),
        (
            "genders: []",
            "occasions.4.audience.genders: an empty list greets no one: write [male], [female], or leave "
            "genders out",
            0,
        ),
    ],
)
def test_a_gender_written_another_way_is_told_how_to_write_it(
    make_project: MakeProject, written: str, problem: str, item: int
) -> None:
    """``gender: male`` was sent to contacts.columns ("move it there"), which then looked for a column "male"."""
    config = for_men(make_project, written)
    line, column = line_of(config, written)
    result = greeter(config, "check")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [f"{config}:{line}:{column + item}: {problem}"]


def test_23_february_goes_to_men_only(make_project: MakeProject) -> None:
    """preview: the men (by patronymic or by column) are greeted, the others are outside_audience, saying why."""
    config = for_men(make_project)
    result = greeter(
        config,
        "preview",
        "--from",
        "2027-02-15",
        "--days",
        "14",
        "--now",
        "2027-02-01T09:00",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    items = {i["contact_id"]: i for i in json.loads(result.stdout) if i["occasion"] == "defender_day"}
    got = {cid: (i["status"], i["reason"], i["detail"]) for cid, i in items.items()}
    assert got == {
        "1": ("send", None, None),
        "2": ("send", None, None),
        "3": ("skip", "outside_audience", "gender female is not one of: male"),
        "4": ("skip", "outside_audience", f"{UNKNOWN} is not one of: male"),
        "5": ("skip", "outside_audience", "gender female is not one of: male"),
        "6": ("skip", "outside_audience", "gender female is not one of: male"),
    }
    womens_day = [i for i in json.loads(result.stdout) if i["occasion"] == "womens_day"]
    assert womens_day == []  # outside the range: 8 March keeps its tags audience


def test_check_counts_the_contacts_a_gendered_occasion_leaves_out(make_project: MakeProject) -> None:
    config = for_men(make_project)
    line, column = line_of(config, "genders: [male]")
    result = greeter(config, "check", "--now", "2026-12-01T09:00")
    assert result.returncode == 0, result.stderr
    warnings = [w for w in result.stderr.splitlines() if "gender" in w]
    assert warnings == [
        f"{config}:{line}:{column}: occasions.4.audience.genders: warning: 1 contact(s) of defender_day's audience "
        "have no known gender (4): neither the gender column, a patronymic nor a first name greeter knows "
        "says it, so they get no "
        "defender_day letter (only male); fill their 'Пол' column (contacts.columns.gender)"
    ]


# --------------------------------------------------------------------------- the signature

EN_SIGNATURE = "Best regards,\nOlga Smirnova, Client Relations\nRomashka LLC, +7 495 000-00-00"


def signing() -> Sender:
    """The tests' sender with an English signature, and a German entry without one."""
    return Sender.model_validate(
        {
            **SENDER.model_dump(),
            "by_locale": {
                "en": {"name": "Romashka LLC", "company": "Romashka LLC", "signature": EN_SIGNATURE},
                "de": {"name": "Romashka LLC", "company": "Romashka LLC"},
            },
        }
    )


@pytest.mark.parametrize(
    ("contact", "signed"),
    [
        # by_locale.en.signature, in an en_GB letter too (en_GB takes en, as the name does)
        (person("e", "John", "", "Smith", locale="en_GB"), EN_SIGNATURE),
        # an entry without a signature: the language's closing and the entry's name, as before
        (person("d", "Karin", "", "Schulz", locale="de", gender=Gender.FEMALE), "Mit freundlichen Grüßen\nRomashka LLC"),
        # the default letters' language: sender.signature, unchanged
        (person("r", "Иван", "Петрович", "Иванов", locale="ru"), SENDER.signature.strip()),
    ],
)  # fmt: skip
def test_each_language_signs_with_its_own_signature(contact: Contact, signed: str) -> None:
    out = Renderer(TEMPLATES, signing()).render(
        item(contact, "new_year", occasion="new_year", day=date(2026, 12, 29), years=None)
    )
    # then the footer: the address alone, each signature naming the company
    assert out.text.endswith(f"\n\n{signed}\n\ngreetings@romashka.example")
    assert out.html is not None and signed.replace("\n", "<br>\n") in out.html.replace("\u00a0", " ")
    if contact.locale != "ru":
        assert "Ромашка" not in out.text and "С уважением" not in out.text


def test_a_russian_letter_is_the_same_with_or_without_an_english_signature() -> None:
    ivan = person("r", "Иван", "Петрович", "Иванов", locale="ru")
    one = item(ivan, "birthday", occasion="birthday", day=date(2026, 12, 15), years=46)
    assert Renderer(TEMPLATES, signing()).render(one) == Renderer(TEMPLATES, SENDER).render(one)
