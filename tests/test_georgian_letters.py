"""The shipped Georgian letters (``*.ka.j2``, ``_ka.j2``) and ``greeter init --locale ka``.

A Tbilisi office found greeter's Georgian days («8 დეკემბერს»), holidays (მცხეთობა) and gender
words (კაცი/ქალი) but no Georgian letters: ``init --locale ka`` was refused and a ``ka`` client
read the Russian letter, opened «Dear Giorgi» by the English forms. Each letter is rendered here
for a man, a woman and a client of unknown gender, on time, early, belated and merged, through
:class:`Renderer` as letters are.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.contacts import Contact, Gender
from greeter.letter_forms import Person, addressed, closing, salutation, salutation_end
from greeter.names import gender_of
from greeter.plan_types import Hit
from greeter.render import Rendered, Renderer
from tests.test_render import SENDER, TEMPLATES, item, person

GIORGI = person("g", "გიორგი", "", "ბერიძე", company="შპს „მთის წყარო“", locale="ka", gender=Gender.MALE)
#: No gender column: her first name says it (greeter.given_names' Georgian list).
NINO = person("n", "ნინო", "", "კაპანაძე", company="„ოქროს საწმისი“", locale="ka")
#: A name the list does not have, and no gender: no title, the full name.
TEIMURAZ = person("t", "თეიმურაზ", "", "ჩხეიძე", locale="ka")

#: (contact, the salutation's line, how the subject opens).
ADDRESSED = (
    (GIORGI, "პატივცემულო ბატონო გიორგი,", "ბატონო გიორგი, "),
    (NINO, "პატივცემულო ქალბატონო ნინო,", "ქალბატონო ნინო, "),
    (TEIMURAZ, "პატივცემულო თეიმურაზ ჩხეიძე,", ""),
)

#: template → (occasion, years, the words its message says on the day).
LETTERS = {
    "birthday": ("birthday", 41, "გულითადად გილოცავთ დაბადების დღეს!"),
    "company_anniversary": ("company_anniversary", 25, "25 წლის ხდება."),
    "first_deal": ("first_deal_anniversary", 5, "ჩვენი პირველი ერთობლივი გარიგებიდან 5 წელი სრულდება"),
    "new_year": ("new_year", None, "გილოცავთ დამდეგ ახალ 2027 წელს!"),
    "holiday": ("ge_holiday", None, "გულითადად გილოცავთ დღესასწაულს!"),
}

#: A letter of a Latin or Cyrillic alphabet, or a Mtavruli capital (str.upper of Georgian since
#: Unicode 11: «Ბატონო» is an all-caps style, never a sentence's first letter).
FOREIGN = re.compile(r"[A-Za-zА-Яа-яЁё\u1C90-\u1CBF]")
TBILISI = ZoneInfo("Asia/Tbilisi")


@pytest.fixture(scope="module")
def shipped() -> Renderer:
    return Renderer(TEMPLATES, SENDER)


def body(out: Rendered) -> str:
    """The letter's text without the sender's signature and footer (the test sender is Russian)."""
    return out.text.split("\n\nპატივისცემით,", 1)[0]


@pytest.mark.parametrize("template", list(LETTERS))
@pytest.mark.parametrize(("contact", "opening", "named"), ADDRESSED, ids=[a[0].id for a in ADDRESSED])
@pytest.mark.parametrize("merged", [False, True], ids=["alone", "merged"])
def test_each_georgian_letter_is_georgian_and_addresses_by_title_and_first_name(
    shipped: Renderer, template: str, contact: Contact, opening: str, named: str, merged: bool
) -> None:
    occasion, years, words = LETTERS[template]
    day = date(2026, 12, 29) if template == "new_year" else date(2026, 12, 15)
    other = (
        Hit(contact, "birthday", date(2026, 12, 20), 41, 100, "birthday")
        if template == "new_year"
        else Hit(contact, "new_year", date(2026, 12, 29), None, 60, "new_year")
    )
    out = shipped.render(
        item(contact, template, occasion=occasion, day=day, years=years, also=(other,) if merged else ())
    )
    assert out.template_file == f"{template}.ka.j2"
    assert out.subject.startswith(named) and out.subject.endswith("!"), out.subject
    assert (" და " in out.subject) is merged, out.subject  # the merged occasion named in the subject
    assert out.text.startswith(opening + "\n\n"), out.text
    assert words in out.text, out.text
    assert "\n\nპატივისცემით,\n" in out.text
    text = body(out)
    assert not FOREIGN.search(out.subject + text), out.subject + "\n" + text
    assert ("ამასთანავე გილოცავთ" in text) is merged
    if merged:
        assert ("გასულ დაბადების დღეს" if template == "new_year" else "მოახლოებულ ახალ წელს") in text


@pytest.mark.parametrize("template", list(LETTERS))
def test_early_and_belated_georgian_letters_say_so(shipped: Renderer, template: str) -> None:
    occasion, years, _ = LETTERS[template]
    day = date(2027, 1, 1) if template == "new_year" else date(2026, 12, 15)
    early = shipped.render(
        item(GIORGI, template, occasion=occasion, day=day, years=years,
             send_at=datetime(2026, 12, 11, 10, tzinfo=TBILISI))
    )  # fmt: skip
    late = shipped.render(
        item(GIORGI, template, occasion=occasion, day=day, years=years, belated=True,
             send_at=datetime(2027, 1, 11, 10, tzinfo=TBILISI))
    )  # fmt: skip
    for out in (early, late):
        assert not FOREIGN.search(out.subject + body(out)), out.subject + "\n" + out.text
    if template == "birthday":
        assert early.subject == "ბატონო გიორგი, წინასწარ გილოცავთ დაბადების დღეს!"
        assert "15 დეკემბერს თქვენი დაბადების დღეა" in early.text  # the date's dative: «on 15 December»
    if template != "first_deal":
        assert "დაგვიანებით" in late.subject + late.text, late.text
    if template == "first_deal":
        assert "შესრულდა" in late.text  # the past: «5 years were completed»


def test_a_georgian_company_is_the_subject_of_its_sentence_as_written(shipped: Renderer) -> None:
    """A company is never declined (its stem is unknown): the nominative, a bare quoted name after
    «კომპანია», one with its legal form as written; the CRM's straight quotes become „…“."""
    out = shipped.render(item(GIORGI, "company_anniversary", years=25))
    assert out.subject == "ბატონო გიორგი, გილოცავთ კომპანიის დაარსების 25 წლისთავს!"
    assert "15 დეკემბერს შპს „მთის წყარო“ 25 წლის ხდება." in out.text
    # the HTML part holds the legal form to its name (a phone's column left «შპს» at a line's end)
    assert "15 დეკემბერს შპს\u00a0„მთის წყარო“ 25 წლის ხდება." in out.html
    assert "შპს\u00a0" not in out.text  # the text part keeps the plain space a search finds
    out = shipped.render(item(NINO, "company_anniversary", years=1, belated=True))
    assert out.subject == "ქალბატონო ნინო, დაგვიანებით გილოცავთ კომპანიის დაარსების პირველ წლისთავს!"
    assert "15 დეკემბერს კომპანია „ოქროს საწმისი“ 1 წლის გახდა." in out.text
    straight = person("s", "ლევან", "", "ჯაფარიძე", company='შპს "ნიკორა"', locale="ka")
    assert (
        "შპს „ნიკორა“ 25 წლის ხდება." in shipped.render(item(straight, "company_anniversary", years=25)).text
    )


@pytest.mark.parametrize(
    ("title", "dative"),
    [
        ("დამოუკიდებლობის დღე", "დამოუკიდებლობის დღეს"),  # a vowel keeps it: -ს
        ("ქრისტეშობა", "ქრისტეშობას"),
        ("მცხეთობა", "მცხეთობას"),
        ("ახალი წელი", "ახალ წელს"),  # the head's -ი gives way, and its adjective's
        ("წითელი პარასკევი", "წითელ პარასკევს"),
        ("ეროვნული ერთიანობის დღე", "ეროვნული ერთიანობის დღეს"),  # a genitive stops it
        ("ქალთა საერთაშორისო დღე", "ქალთა საერთაშორისო დღეს"),  # an adjective in -ო stays
        ("Laulupidu", "დღესასწაულს „Laulupidu“"),  # not Georgian: named in quotes
    ],
)
def test_a_holiday_title_is_declined_into_the_dative(title: str, dative: str) -> None:
    titled = Renderer(TEMPLATES, SENDER, titles={"ge_day": title})
    out = titled.render(item(GIORGI, "holiday", occasion="ge_day", day=date(2026, 12, 15), years=None))
    assert out.subject == f"ბატონო გიორგი, გილოცავთ {dative}!", out.subject
    assert f"გულითადად გილოცავთ {dative}!" in out.text


def test_the_georgian_forms_of_address() -> None:
    """Title in the vocative, the name as written (a proper name's vocative -ო is condescending)."""

    def said(first: str, last: str, gender: Gender | None) -> tuple[str, str]:
        contact = person("x", first, "", last, locale="ka", gender=gender)
        return salutation(contact, "ka"), addressed(Person.of(contact), "ka")[1]

    assert said("დავით", "გელაშვილი", Gender.MALE) == ("პატივცემულო ბატონო დავით", "ბატონო დავით")
    assert said("ზურაბ", "", None) == ("პატივცემულო ბატონო ზურაბ", "ბატონო ზურაბ")  # the list says male
    assert said("", "ლომიძე", Gender.FEMALE) == ("პატივცემულო ქალბატონო ლომიძე", "ქალბატონო ლომიძე")
    assert said("თეიმურაზ", "", None) == ("გამარჯობათ, თეიმურაზ", "")
    assert said("", "", None) == ("გამარჯობათ", "")
    assert (salutation_end("ka_GE"), closing("ka")) == (",", "პატივისცემით,")


def test_a_georgian_first_name_says_the_gender_without_a_gender_column() -> None:
    """A Georgian CRM keeps no patronymic: «ქალბატონო» / «ბატონო» need the first name's gender."""
    assert gender_of(person("a", "თამარ", "", "ლომიძე", locale="ka")) is Gender.FEMALE
    assert gender_of(person("b", "ლევან", "", "ჯაფარიძე", locale="ka")) is Gender.MALE
    assert gender_of(person("c", "თეიმურაზ", "", "ჩხეიძე", locale="ka")) is Gender.UNKNOWN
    # a Latin spelling is no answer: «Nino» is a woman in Tbilisi and a man in Italy
    assert gender_of(person("d", "Nino", "", "Kapanadze", locale="ka")) is Gender.UNKNOWN


def init_ka(tmp_path: Path) -> Path:
    project = tmp_path / "tbilisi"
    done = CliRunner().invoke(main, ["init", str(project), "--locale", "ka"])
    assert done.exit_code == 0, done.output
    return project / "greeter.yaml"


def test_init_locale_ka_writes_a_georgian_project_that_checks_and_previews(tmp_path: Path) -> None:
    """Refused before: "the starter's letters are in ru, de, en, et, hu, sr, uk"."""
    config = init_ka(tmp_path)
    templates = config.parent / "templates"
    assert "გილოცავთ" in (templates / "birthday.j2").read_text(encoding="utf-8")
    assert "Примите наши самые тёплые" in (templates / "birthday.ru.j2").read_text(encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    for line in ("  locale: ka", "  timezone: Asia/Tbilisi", "  country: GE", "    title: დაბადების დღე"):
        assert re.search(rf"^{line}\b", text, re.MULTILINE), line
    assert "მცხეთობის" not in text  # the library's genitive; the title is «მცხეთობა»
    assert "Asia/Tbilisi;ka;" in (config.parent / "data" / "contacts.csv").read_text(encoding="utf-8")
    now = "2026-12-07T09:00:00+04:00"
    done = CliRunner().invoke(main, ["--config", str(config), "check", "--now", now])
    assert done.exit_code == 0, done.output
    said = done.output + done.stderr
    assert "0 warning(s)" in said and ": warning:" not in said, said
    done = CliRunner().invoke(
        main, ["--config", str(config), "preview", "--now", now, "--days", "365", "--format", "json"]
    )
    assert done.exit_code == 0, done.stderr
    letters = [r for r in json.loads(done.stdout) if r["status"] == "send"]
    georgian = [r for r in letters if r["contact_id"] != "3010"]  # 3010: a Russian-speaking client
    assert georgian and all(r["text"].startswith("პატივცემულო ") for r in georgian)
    assert {r["subject"] for r in georgian} >= {
        "ბატონო დავით, წინასწარ გილოცავთ დაბადების დღეს!",  # no gender cell: his name says it
        "ქალბატონო თამარ, გილოცავთ კომპანიის დაარსების 15 წლისთავს!",
    }
    assert not [r for r in georgian if FOREIGN.search(r["subject"])]
