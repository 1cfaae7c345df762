"""A merged letter's subject names the occasions merged into it, not only its own.

Found by a persona reading greeter's letters as their recipient: a birthday letter sent on 30
December carried the New Year too («Пользуясь случаем, поздравляем Вас и с наступающим Новым
годом!»), but its subject said «Анна Ильинична, с наступающим днём рождения!» — the inbox line
promised one greeting and the letter held two. The Russian, Ukrainian and English starter letters
now add the merged occasions to the subject (`also_subject` of _ru.j2, _uk.j2, _en.j2); a letter
of one occasion keeps its subject as it was. The German, Estonian, Hungarian and Serbian letters
(Cyrillic and Latin) named only their own occasion a session longer: they do too now, each in its
own grammar (`also_subject` of _de.j2, _et.j2, _hu.j2, _sr.j2: «und», «ja» before «puhul», «és»,
«и»/«i» by script).
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from greeter.contacts import Contact
from greeter.occasions import Hit
from greeter.render import MAX_SUBJECT, Renderer
from tests.test_render import SENDER, TEMPLATES, item, person

AT = datetime(2026, 12, 30, 10, 30, tzinfo=ZoneInfo("Europe/Moscow"))  # before the holidays
BIRTHDAY = date(2027, 1, 2)
NEW_YEAR = date(2026, 12, 31)

ANNA = person("f", "Анна", "Ильинична", "Кузнецова", company="ООО «Ромашка Плюс»", locale="ru")
OLENA = person("u", "Олена", "Іванівна", "Коваленко", locale="uk")
JOHN = person("e", "John", "", "Smith", company="Acme Ltd", locale="en")
#: The four starter languages whose subjects named their own occasion only (Serbian in both scripts).
OTHERS = {
    lang: person(f"o-{lang}", "Mila", "", "Test", company="Acme GmbH", locale=lang)
    for lang in ("de", "et", "hu", "sr", "sr_Latn")
}

#: template → (its occasion, day, years): the letter's own occasion on 2 January, greeted early.
OWN = {
    "birthday": ("birthday", BIRTHDAY, 46),
    "company_anniversary": ("company_anniversary", BIRTHDAY, 15),
    "first_deal": ("first_deal_anniversary", BIRTHDAY, 3),
}

CONTACTS = {"ru": ANNA, "uk": OLENA, "en": JOHN, **OTHERS}

#: (contact, template) → (subject alone, subject with the New Year merged into it)
SUBJECTS = {
    ("ru", "birthday"): (
        "Анна Ильинична, с наступающим днём рождения!",
        "Анна Ильинична, с наступающим днём рождения и с Новым годом!",
    ),
    ("ru", "company_anniversary"): (
        "Анна Ильинична, с 15-летием ООО «Ромашка Плюс»!",
        "Анна Ильинична, с 15-летием ООО «Ромашка Плюс» и с Новым годом!",
    ),
    ("ru", "first_deal"): (
        "Анна Ильинична, спасибо за 3 года сотрудничества!",
        "Анна Ильинична, спасибо за 3 года сотрудничества — и с Новым годом!",
    ),
    ("uk", "birthday"): (
        "Олено Іванівно, з прийдешнім днем народження!",
        "Олено Іванівно, з прийдешнім днем народження і з Новим роком!",
    ),
    ("uk", "first_deal"): (
        "Олено Іванівно, дякуємо за 3 роки співпраці!",
        "Олено Іванівно, дякуємо за 3 роки співпраці — і з Новим роком!",
    ),
    ("en", "birthday"): ("Early birthday wishes, John!", "Early birthday wishes and a happy New Year, John!"),
    ("en", "company_anniversary"): (
        "Congratulations on your company's 15th anniversary, John!",
        "Congratulations on your company's 15th anniversary and a happy New Year, John!",
    ),
    ("en", "first_deal"): (
        "John, thank you for 3 years of partnership!",
        "John, thank you for 3 years of partnership — and a happy New Year!",
    ),
    ("de", "birthday"): (
        "Vorab herzliche Glückwünsche zum Geburtstag!",
        "Vorab herzliche Glückwünsche zum Geburtstag und zum neuen Jahr!",
    ),
    ("de", "company_anniversary"): (
        "Herzlichen Glückwunsch zum 15. Firmenjubiläum!",
        "Herzlichen Glückwunsch zum 15. Firmenjubiläum und zum neuen Jahr!",
    ),
    ("de", "first_deal"): (
        "Vielen Dank für 3 Jahre Partnerschaft!",
        "Vielen Dank für 3 Jahre Partnerschaft – und alles Gute zum neuen Jahr!",
    ),
    ("et", "birthday"): (
        "Palju õnne eelseisva sünnipäeva puhul!",
        "Palju õnne eelseisva sünnipäeva ja uue aasta puhul!",
    ),
    ("et", "company_anniversary"): (
        "Palju õnne Teie ettevõtte 15. aastapäeva puhul!",
        "Palju õnne Teie ettevõtte 15. aastapäeva ja uue aasta puhul!",
    ),
    ("et", "first_deal"): (
        "Aitäh 3 aastat kestnud koostöö eest!",
        "Aitäh 3 aastat kestnud koostöö eest — ja palju õnne uue aasta puhul!",
    ),
    ("hu", "birthday"): (
        "Előre is boldog születésnapot!",
        "Előre is boldog születésnapot és boldog új évet!",
    ),
    ("hu", "company_anniversary"): (
        "Gratulálunk az Acme GmbH 15. évfordulójához!",
        "Gratulálunk az Acme GmbH 15. évfordulójához és boldog új évet!",
    ),
    ("hu", "first_deal"): (
        "Köszönjük az együtt töltött 3 évet!",
        "Köszönjük az együtt töltött 3 évet – és boldog új évet!",
    ),
    ("sr", "birthday"): ("Унапред срећан рођендан!", "Унапред срећан рођендан и честитке за Нову годину!"),
    ("sr", "company_anniversary"): (
        "Честитамо 15. годишњицу компаније „Acme“ GmbH!",
        "Честитамо 15. годишњицу компаније „Acme“ GmbH и Нову годину!",
    ),
    ("sr", "first_deal"): (
        "3. годишњица наше сарадње — хвала Вам!",
        "3. годишњица наше сарадње — хвала Вам и честитке за Нову годину!",
    ),
    ("sr_Latn", "birthday"): (
        "Unapred srećan rođendan!",
        "Unapred srećan rođendan i čestitke za Novu godinu!",
    ),
    ("sr_Latn", "company_anniversary"): (
        "Čestitamo 15. godišnjicu kompanije „Acme“ GmbH!",
        "Čestitamo 15. godišnjicu kompanije „Acme“ GmbH i Novu godinu!",
    ),
    ("sr_Latn", "first_deal"): (
        "3. godišnjica naše saradnje — hvala Vam!",
        "3. godišnjica naše saradnje — hvala Vam i čestitke za Novu godinu!",
    ),
}


@pytest.fixture(scope="module")
def shipped() -> Renderer:
    return Renderer(TEMPLATES, SENDER)


def _subject(shipped: Renderer, contact: Contact, template: str, also: tuple[Hit, ...]) -> str:
    occasion, day, years = OWN[template]
    return shipped.render(
        item(contact, template, occasion=occasion, day=day, years=years, send_at=AT, also=also)
    ).subject


@pytest.mark.parametrize(("language", "template"), list(SUBJECTS))
def test_the_subject_names_the_merged_occasion_and_a_single_one_is_unchanged(
    shipped: Renderer, language: str, template: str
) -> None:
    alone, merged = SUBJECTS[(language, template)]
    contact = CONTACTS[language]
    new_year = Hit(contact, "new_year", NEW_YEAR, None, 50, "new_year")
    assert _subject(shipped, contact, template, ()) == alone
    assert _subject(shipped, contact, template, (new_year,)) == merged
    assert len(merged) <= 78  # an inbox line: short enough for typical data


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("ru", "Анна Ильинична, с наступающим Новым годом и с днём рождения!"),
        ("uk", "Олено Іванівно, з Новим роком і з днем народження!"),
        ("en", "Happy New Year and a happy birthday, John!"),
        ("de", "Alles Gute für das neue Jahr und zum Geburtstag!"),
        ("et", "Head uut aastat ja head sünnipäeva!"),
        ("hu", "Boldog új évet és boldog születésnapot!"),
        ("sr", "Срећна Нова 2027. година и честитке за рођендан!"),
        ("sr_Latn", "Srećna Nova 2027. godina i čestitke za rođendan!"),
    ],
)
def test_a_new_year_letter_names_the_birthday_merged_into_it(
    shipped: Renderer, language: str, subject: str
) -> None:
    contact = CONTACTS[language]
    birthday = Hit(contact, "birthday", BIRTHDAY, 46, 100, "birthday")
    out = shipped.render(
        item(contact, "new_year", occasion="new_year", day=NEW_YEAR, years=None, send_at=AT, also=(birthday,))
    )
    assert out.subject == subject


def test_several_merged_occasions_are_listed_once_each(shipped: Renderer) -> None:
    hits = (
        Hit("en", "new_year", NEW_YEAR, None, 50, "new_year"),
        Hit("en", "company_anniversary", BIRTHDAY, 15, 60, "company_anniversary"),
    )
    # all three were 91 characters, past MAX_SUBJECT: the two of the highest priority that fit
    assert _subject(shipped, JOHN, "birthday", hits) == (
        "Early birthday wishes and a happy 15th anniversary of your company, John!"
    )


#: language → the letter of 30 December for Christmas on 7 January (Serbia's) with the New Year, the
#: birthday of 2 January and a company anniversary past on 28 December merged into it: the ones
#: past last, said so once («а са закашњењем»). All four were 100–140 characters: as many as fit in
#: MAX_SUBJECT are named, of the highest priorities (the birthday, then the anniversary or the New Year).
CHRISTMAS_SUBJECTS = {
    "de": "Vorab alles Gute zu Weihnachten, zum neuen Jahr und zum Geburtstag!",
    "et": "Häid eelseisvaid jõule, head uut aastat ja head sünnipäeva!",
    "hu": "Kellemes karácsonyi ünnepeket, boldog új évet és boldog születésnapot!",
    "sr": "Честитамо Божић и рођендан, а са закашњењем и 15. годишњицу Ваше компаније!",
    "sr_Latn": "Čestitamo Božić i rođendan, a sa zakašnjenjem i 15. godišnjicu Vaše kompanije!",
}


@pytest.mark.parametrize("language", list(CHRISTMAS_SUBJECTS))
def test_several_merged_occasions_in_each_language_the_past_ones_last(
    shipped: Renderer, language: str
) -> None:
    contact = CONTACTS[language]
    hits = (
        Hit(contact, "new_year", NEW_YEAR, None, 50, "new_year"),
        Hit(contact, "birthday", BIRTHDAY, 46, 100, "birthday"),
        Hit(contact, "company_anniversary", date(2026, 12, 28), 15, 60, "company_anniversary"),
    )
    out = shipped.render(
        item(
            contact,
            "holiday",
            occasion="christmas",
            day=date(2026, 12, 31),
            years=None,
            send_at=AT,
            also=hits,
        )
    )
    assert out.subject == CHRISTMAS_SUBJECTS[language]


#: A Hungarian holiday letter with no wish of its own (9 May: «Jókívánságaink … alkalmából») and
#: the occasions merged into it → its subject. «Jókívánságaink» said once: the merged occasions with
#: no wish of their own join the letter's in one «… alkalmából», the wishes follow it. All three
#: do not fit an inbox line (MAX_SUBJECT): the birthday's wish, of the highest priority, is named.
HUNGARIAN_HOLIDAY = {
    (
        "first_deal_anniversary",
    ): "Jókívánságaink a győzelem napja és együttműködésünk 3. évfordulója alkalmából",
    ("birthday",): "Jókívánságaink a győzelem napja alkalmából – és boldog születésnapot",
    (
        "birthday",
        "first_deal_anniversary",
    ): "Jókívánságaink a győzelem napja alkalmából – és boldog születésnapot",
}


@pytest.mark.parametrize("merged", list(HUNGARIAN_HOLIDAY))
def test_a_hungarian_holiday_letter_says_jokivansagaink_once(
    shipped: Renderer, merged: tuple[str, ...]
) -> None:
    contact = OTHERS["hu"]
    at = datetime(2027, 5, 7, 10, 30, tzinfo=ZoneInfo("Europe/Budapest"))
    hits = {
        "birthday": Hit(contact, "birthday", date(2027, 5, 10), 46, 100, "birthday"),
        "first_deal_anniversary": Hit(
            contact, "first_deal_anniversary", date(2027, 5, 9), 3, 70, "first_deal"
        ),
    }
    out = shipped.render(
        item(
            contact,
            "holiday",
            occasion="victory_day",
            day=date(2027, 5, 9),
            years=None,
            send_at=at,
            also=tuple(hits[name] for name in merged),
        )
    )
    assert out.subject == HUNGARIAN_HOLIDAY[merged]
    assert out.subject.lower().count("jókívánságaink") == 1


#: A deliverability review found merged subjects of ~150 characters (four occasions in one letter):
#: an inbox shows 40–80. Each language's birthday letter with three occasions merged into it.
CAP_LANGUAGES = ["ru", "uk", "en", "de", "et", "hu", "sr", "sr_Latn"]


@pytest.mark.parametrize("language", CAP_LANGUAGES)
def test_a_subject_with_many_merged_occasions_fits_an_inbox_line(shipped: Renderer, language: str) -> None:
    contact = CONTACTS[language]
    hits = (
        Hit(contact, "company_anniversary", date(2026, 12, 28), 15, 80, "company_anniversary"),
        Hit(contact, "new_year", NEW_YEAR, None, 60, "new_year"),
        Hit(contact, "first_deal_anniversary", date(2027, 1, 3), 3, 70, "first_deal"),
    )
    alone = _subject(shipped, contact, "birthday", ())
    merged = _subject(shipped, contact, "birthday", hits)
    assert len(merged) <= MAX_SUBJECT, merged
    assert merged != alone, "the merged occasions that fit are still named"
    out = shipped.render(
        item(contact, "birthday", occasion="birthday", day=BIRTHDAY, years=46, send_at=AT, also=hits)
    )
    assert len(out.text) > len(
        shipped.render(item(contact, "birthday", day=BIRTHDAY, years=46, send_at=AT)).text
    )


@pytest.mark.parametrize("language", CAP_LANGUAGES)
def test_the_html_title_is_the_capped_subject(shipped: Renderer, language: str) -> None:
    """The HTML part's ``<title>`` (``self.subject()`` in the layout) showed every merged
    occasion, 100–150 characters, while the subject named those that fit."""
    contact = CONTACTS[language]
    hits = (
        Hit(contact, "company_anniversary", date(2026, 12, 28), 15, 80, "company_anniversary"),
        Hit(contact, "new_year", NEW_YEAR, None, 60, "new_year"),
        Hit(contact, "first_deal_anniversary", date(2027, 1, 3), 3, 70, "first_deal"),
    )
    out = shipped.render(
        item(contact, "birthday", occasion="birthday", day=BIRTHDAY, years=46, send_at=AT, also=hits)
    )
    assert out.html is not None
    (title,) = re.findall(r"<title>(.*?)</title>", out.html, re.DOTALL)
    # the HTML's company name is held together by a no-break space (company_names.held_together)
    assert html.unescape(title).replace("\u00a0", " ") == out.subject.replace("\u00a0", " ")
