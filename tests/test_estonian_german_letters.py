"""Estonian and German letters: every shipped occasion in the client's own language, formal throughout.

Found by a proof-reader: clients with locale ``et`` and ``de`` got the Russian
letters (no ``*.et.j2``/``*.de.j2`` existed), salutation and closing aside. The
letters are rendered as sent — through :class:`greeter.render.Renderer` with the
shipped ``templates/``, and through the CLI — and read as whole sentences:
number agreement («1 aasta», «25 aastat», «25. aastapäev», «25-jähriges
Jubiläum»), the formal register («Teie», «Ihnen»), the German lower-case start
after «Sehr geehrte Frau Schulz,», dates in the letter's locale, merged and
belated letters, and no Cyrillic word of the default language left in them.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from greeter.company_names import company_name
from greeter.config import Occasion, Sender
from greeter.contacts import Contact, Gender
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.render import Renderer
from tests.conftest import HEADER, MakeProject
from tests.test_render import TEMPLATES, person

#: The example config's sender, named in Latin letters for Estonian and German letters (sender.by_locale).
SENDER = Sender(
    name="ООО «Ромашка»",
    email="greetings@romashka.example",
    company="ООО «Ромашка»",
    signature="С уважением,\nОльга Смирнова\n",
    by_locale={
        "et": {"name": "Romashka LLC", "company": "Romashka LLC"},
        "de": {"name": "Romashka LLC", "company": "Romashka LLC"},
    },
)

JAAN = person("j", "Jaan", "", "Tamm", company="OÜ Päike", locale="et", gender=Gender.MALE)
MARI = person("m", "Mari", "", "Kask", locale="et_EE", gender=Gender.FEMALE)
KADRI = person("k", "Kadri", "", "Saar", company="AS Vesi", locale="et")  # no gender
JOERG = person("d", "Jörg", "", "Müller", company="Schulz GmbH", locale="de", gender=Gender.MALE)
KARIN = person("f", "Karin", "", "Schulz", locale="de_AT", gender=Gender.FEMALE)
KIM = person("n", "Kim", "", "Weber", company="Kats AG", locale="de")  # no gender

ESTONIANS = {"man": JAAN, "woman": MARI, "no_gender": KADRI}
GERMANS = {"man": JOERG, "woman": KARIN, "no_gender": KIM}

#: template → occasion name the example config uses for it
OCCASIONS = {
    "birthday": "birthday",
    "company_anniversary": "company_anniversary",
    "first_deal": "first_deal_anniversary",
    "new_year": "new_year",
    "holiday": "womens_day",
}

DAY = date(2027, 5, 3)
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


@pytest.fixture(scope="module")
def shipped() -> Renderer:
    return Renderer(TEMPLATES, SENDER)


def at(day: date) -> datetime:
    return datetime.combine(day, time(11), ZoneInfo("Europe/Tallinn"))


def letter(
    renderer: Renderer,
    contact: Contact,
    template: str,
    *,
    occasion: str | None = None,
    day: date = DAY,
    years: int | None = None,
    sent: date | None = None,
    belated: bool = False,
    also: tuple[Hit, ...] = (),
) -> Rendered:
    """``contact``'s letter for ``template``, dated ``day`` and leaving on ``sent`` (default: that day)."""
    hit = Hit(contact, occasion or OCCASIONS[template], day, years, 100, template)
    item = PlanItem(hit=hit, status="send", send_at=at(sent or day), also=also, belated=belated)
    return renderer.render(item)


def paragraphs(out: Rendered) -> list[str]:
    """The text part's paragraphs: salutation, message…, closing and signature."""
    return out.text.split("\n\n")


def firm(name: str, language: str) -> str:
    """A company as the letter quotes it (greeter.company_names decides, not these tests)."""
    return company_name(name, language)


# --------------------------------------------------------------------------- the files and the frame


@pytest.mark.parametrize("template", list(OCCASIONS))
@pytest.mark.parametrize(
    ("contact", "file", "salutation", "closing"),
    [
        (JAAN, "et", "Lugupeetud Jaan Tamm!", "Lugupidamisega\nRomashka LLC"),
        (MARI, "et", "Lugupeetud Mari Kask!", "Lugupidamisega\nRomashka LLC"),
        (KADRI, "et", "Lugupeetud Kadri Saar!", "Lugupidamisega\nRomashka LLC"),
        (JOERG, "de", "Sehr geehrter Herr Müller,", "Mit freundlichen Grüßen\nRomashka LLC"),
        (KARIN, "de", "Sehr geehrte Frau Schulz,", "Mit freundlichen Grüßen\nRomashka LLC"),
        (KIM, "de", "Guten Tag Kim Weber,", "Mit freundlichen Grüßen\nRomashka LLC"),
    ],
)
def test_every_occasion_has_its_estonian_and_german_letter(
    shipped: Renderer, template: str, contact: Contact, file: str, salutation: str, closing: str
) -> None:
    """Each template has a file in both languages, and the letter is framed in that language."""
    out = letter(
        shipped, contact, template, years=5, day=date(2027, 12, 29) if template == "new_year" else DAY
    )
    assert out.template_file == f"{template}.{file}.j2"
    assert out.locale == contact.locale
    parts = paragraphs(out)
    assert parts[0] == salutation
    assert parts[-2] == closing
    assert parts[-1] == "greetings@romashka.example"  # the footer's contact line, as in HTML: signed above
    # the letter's BCP 47 tag, as the gallery tags it: et_EE's letter is et-EE, de_AT's de-AT
    tag = {"et_EE": "et-EE", "de_AT": "de-AT"}.get(out.locale, file)
    assert out.html is not None and f'<html lang="{tag}">' in out.html


# --------------------------------------------------------------------------- Estonian


def test_estonian_birthday(shipped: Renderer) -> None:
    out = letter(shipped, JAAN, "birthday", years=47)
    assert out.subject == "Palju õnne sünnipäeva puhul!"
    assert paragraphs(out)[1:3] == [
        "Soovime Teile kogu meie meeskonna nimel südamest palju õnne sünnipäeva puhul!",
        "Soovime Teile head tervist, õnne ja edu kõigis ettevõtmistes ning ettevõttele "
        f"{firm('OÜ Päike', 'et')} jätkuvat õitsengut. Täname, et olete meiega: koostöö Teiega on tõeline rõõm.",
    ]
    # a round birthday from 50 is a «juubel», without the age; no company, no company clause
    round_one = letter(shipped, MARI, "birthday", years=60)
    assert round_one.subject == "Palju õnne juubeli puhul!"
    assert paragraphs(round_one)[2] == (
        "Soovime Teile head tervist, õnne ja edu kõigis ettevõtmistes. "
        "Täname, et olete meiega: koostöö Teiega on tõeline rõõm."
    )
    assert "60" not in round_one.text


def test_estonian_birthday_early_and_belated(shipped: Renderer) -> None:
    early = letter(shipped, KADRI, "birthday", years=41, sent=date(2027, 4, 30))
    assert early.subject == "Palju õnne eelseisva sünnipäeva puhul!"
    # the date filter's Estonian, as the subject of «on» (it makes no adessive «3. mail»)
    assert paragraphs(early)[1] == "3. mai on Teie sünnipäev ja soovime olla esimeste õnnitlejate seas!"
    late = letter(shipped, KADRI, "birthday", years=41, sent=date(2027, 5, 5), belated=True)
    assert late.subject == "Hilinenud õnnitlused sünnipäeva puhul!"
    assert (
        paragraphs(late)[1]
        == "Palun võtke vastu meie hilinenud, kuid südamlikud õnnitlused sünnipäeva puhul!"
    )


@pytest.mark.parametrize("years", [1, 5, 25, 100])
def test_estonian_company_anniversary_says_which_one(shipped: Renderer, years: int) -> None:
    out = letter(shipped, JAAN, "company_anniversary", years=years)
    assert out.subject == f"Palju õnne Teie ettevõtte {years}. aastapäeva puhul!"
    assert paragraphs(out)[1] == (
        f"3. mai on Teie ettevõtte {firm('OÜ Päike', 'et')} {years}. aastapäev. "
        "Õnnitleme südamest Teid ja kogu meeskonda selle tähtsa sündmuse puhul!"
    )
    assert paragraphs(out)[2].startswith(
        f"Soovime Teile ja ettevõttele {firm('OÜ Päike', 'et')} stabiilset kasvu"
    )


def test_estonian_company_anniversary_without_a_company_and_belated(shipped: Renderer) -> None:
    out = letter(shipped, MARI, "company_anniversary", years=25, sent=date(2027, 5, 6), belated=True)
    assert out.subject == "Hilinenud õnnitlused Teie ettevõtte 25. aastapäeva puhul!"
    assert paragraphs(out)[1] == (
        "3. mai oli Teie ettevõtte 25. aastapäev. Palun võtke vastu meie hilinenud, kuid siirad "
        "õnnitlused Teile ja kogu meeskonnale selle tähtsa sündmuse puhul!"
    )
    assert paragraphs(out)[2].startswith("Soovime Teile ja Teie ettevõttele stabiilset kasvu")


@pytest.mark.parametrize(
    ("years", "subject", "count"),
    [
        (1, "Aitäh esimese ühise aasta eest!", "aasta"),
        (5, "Aitäh 5 aastat kestnud koostöö eest!", "5 aastat"),
        (25, "Aitäh 25 aastat kestnud koostöö eest!", "25 aastat"),
    ],
)
def test_estonian_first_deal_counts_the_years(
    shipped: Renderer, years: int, subject: str, count: str
) -> None:
    out = letter(shipped, JAAN, "first_deal", years=years)
    assert out.subject == subject
    assert paragraphs(out)[1:3] == [
        f"3. mai on meie koostöö {years}. aastapäev – meie esimesest ühisest tehingust saab {count} – "
        "ja soovime Teid selle eest südamest tänada.",
        f"Täname Teid ja kogu ettevõtte {firm('OÜ Päike', 'et')} meeskonda usalduse, avatuse ja "
        "usaldusväärsuse eest. Soovime Teile palju edu ning meie koostööle veel palju ühiseid aastaid.",
    ]


def test_estonian_first_deal_belated_on_a_leap_day(shipped: Renderer) -> None:
    """29 February greeted in a common year is not dated «28. veebruar»."""
    hit = replace(Hit(MARI, "first_deal_anniversary", date(2027, 2, 28), 3, 70, "first_deal"), moved=True)
    out = shipped.render(PlanItem(hit=hit, status="send", send_at=at(date(2027, 3, 2)), belated=True))
    assert paragraphs(out)[1] == (
        "Palun võtke vastu meie hilinenud tänu: hiljuti oli meie koostöö 3. aastapäev – meie "
        "esimesest ühisest tehingust möödus 3 aastat."
    )


def test_estonian_new_year_with_merged_occasions(shipped: Renderer) -> None:
    """A birthday just past, a company anniversary ahead and a first deal on the day, merged."""
    new_year = date(2027, 12, 29)
    also = (
        Hit(JAAN, "birthday", date(2027, 12, 27), 45, 100, "birthday"),
        Hit(JAAN, "company_anniversary", date(2028, 1, 5), 25, 80, "company_anniversary"),
        Hit(JAAN, "first_deal_anniversary", new_year, 1, 70, "first_deal"),
    )
    out = letter(shipped, JAAN, "new_year", day=new_year, also=also)
    # the merged ones named too (test_merged_subject), the one past last; all four were 129 characters:
    # those of the highest priority that fit in MAX_SUBJECT (78), the message names every one
    assert out.subject == "Head uut aastat ja hilinenud õnnitlused sünnipäeva puhul!"
    assert paragraphs(out)[1:4] == [
        "Soovime Teile kogu meie meeskonna nimel head uut 2028. aastat!",
        "Täname Teid usalduse ja koostöö eest lõppeval aastal – meil on suur au olla ettevõtte "
        f"{firm('OÜ Päike', 'et')} partner. Olgu 2028. aasta Teile edukas, täis huvitavaid projekte ja "
        "kindlustunnet ning toogu Teie lähedastele tervist, soojust ja rõõmu.",
        "Ühtlasi õnnitleme Teid ka meie koostöö 1. aastapäeva, möödunud sünnipäeva ja Teie ettevõtte "
        "eelseisva 25. aastapäeva puhul!",
    ]
    # held up past the holidays: a January letter, the year over
    late = letter(shipped, MARI, "new_year", day=new_year, sent=date(2028, 1, 10), belated=True)
    assert paragraphs(late)[1:3] == [
        "Palun võtke vastu meie hilinenud, kuid südamlikud õnnitlused uue 2028. aasta puhul!",
        "Täname Teid usalduse ja koostöö eest möödunud aastal. Olgu 2028. aasta Teile edukas, täis "
        "huvitavaid projekte ja kindlustunnet ning toogu Teie lähedastele tervist, soojust ja rõõmu.",
    ]


def test_estonian_birthday_with_the_new_year_merged(shipped: Renderer) -> None:
    new_year = Hit(KADRI, "new_year", date(2027, 12, 29), None, 60, "new_year")
    out = letter(shipped, KADRI, "birthday", day=date(2027, 12, 28), years=33, also=(new_year,))
    assert paragraphs(out)[3] == "Ühtlasi õnnitleme Teid ka uue aasta puhul!"


@pytest.mark.parametrize(
    ("occasion", "day", "sent", "subject", "first"),
    [
        (
            "womens_day",
            date(2027, 3, 8),
            date(2027, 3, 5),  # a Monday off: greeted the working day before
            "Head eelseisvat rahvusvahelist naistepäeva!",
            "Õnnitleme Teid südamest eelseisva rahvusvahelise naistepäeva puhul!",
        ),
        (
            "defender_day",
            date(2027, 2, 23),
            None,
            "Head isamaa kaitsja päeva!",
            "Õnnitleme Teid südamest isamaa kaitsja päeva puhul!",
        ),
        (
            # "Victory Day" is a client's own country's: in Estonia, Võidupüha on 23 June
            "victory_day",
            date(2027, 6, 23),
            None,
            "Head võidupüha!",
            "Õnnitleme Teid südamest võidupüha puhul!",
        ),
        (
            "christmas",
            date(2027, 12, 25),
            date(2027, 12, 23),
            "Häid eelseisvaid jõule!",
            "Õnnitleme Teid südamest eelseisvate jõulude puhul!",
        ),
        (
            "ee_independence",
            date(2027, 2, 24),
            None,
            "Head Eesti Vabariigi aastapäeva!",
            "Õnnitleme Teid südamest Eesti Vabariigi aastapäeva puhul!",
        ),
    ],
)
def test_estonian_holidays(
    shipped: Renderer, occasion: str, day: date, sent: date | None, subject: str, first: str
) -> None:
    out = letter(shipped, JAAN, "holiday", occasion=occasion, day=day, sent=sent)
    assert (out.subject, paragraphs(out)[1]) == (subject, first)
    assert paragraphs(out)[2].endswith("Täname Teid usalduse ja meeldiva koostöö eest.")
    late = letter(
        shipped, MARI, "holiday", occasion=occasion, day=day, sent=day.replace(day=day.day + 2), belated=True
    )
    assert late.subject.startswith("Hilinenud õnnitlused ")
    assert paragraphs(late)[1].startswith("Palun võtke vastu meie hilinenud, kuid südamlikud õnnitlused ")


def test_estonian_womens_day_wishes_the_company_well(shipped: Renderer) -> None:
    out = letter(shipped, KADRI, "holiday", occasion="womens_day", day=date(2027, 3, 8))
    assert paragraphs(out)[2] == (
        "Soovime Teile kevadist meeleolu, soojust, inspiratsiooni ja rõõmu igasse päeva ning "
        f"ettevõttele {firm('AS Vesi', 'et')} jätkuvat edu. Täname Teid usalduse ja meeldiva koostöö eest."
    )


# --------------------------------------------------------------------------- German


def test_german_birthday(shipped: Renderer) -> None:
    out = letter(shipped, JOERG, "birthday", years=47)
    assert out.subject == "Herzlichen Glückwunsch zum Geburtstag!"
    assert paragraphs(out)[1:3] == [
        "zu Ihrem Geburtstag gratulieren wir Ihnen im Namen unseres ganzen Teams ganz herzlich!",
        "Wir wünschen Ihnen Gesundheit, Glück und Gelingen bei allem, was Sie sich vornehmen, und Ihrem "
        f"Unternehmen {firm('Schulz GmbH', 'de')} weiterhin Wachstum und Erfolg. Vielen Dank, dass Sie bei "
        "uns sind – die Zusammenarbeit mit Ihnen ist uns eine echte Freude.",
    ]
    round_one = letter(shipped, KARIN, "birthday", years=60)
    assert round_one.subject == "Herzlichen Glückwunsch zum runden Geburtstag!"
    assert paragraphs(round_one)[1] == (
        "zu Ihrem runden Geburtstag gratulieren wir Ihnen im Namen unseres ganzen Teams ganz herzlich!"
    )
    assert "60" not in round_one.text


def test_german_birthday_early_and_belated(shipped: Renderer) -> None:
    early = letter(shipped, KIM, "birthday", years=41, sent=date(2027, 4, 30))
    assert early.subject == "Vorab herzliche Glückwünsche zum Geburtstag!"
    assert paragraphs(early)[1] == (
        "am 3. Mai haben Sie Geburtstag, und wir möchten zu den Ersten gehören, die Ihnen gratulieren!"
    )
    late = letter(shipped, KIM, "birthday", years=41, sent=date(2027, 5, 5), belated=True)
    assert late.subject == "Nachträglich herzlichen Glückwunsch zum Geburtstag!"
    assert (
        paragraphs(late)[1]
        == "nachträglich, aber nicht weniger herzlich gratulieren wir Ihnen zum Geburtstag!"
    )


@pytest.mark.parametrize(
    ("years", "subject", "jubilee"),
    [
        (1, "Herzlichen Glückwunsch zum ersten Firmenjubiläum!", "einjähriges"),
        (5, "Herzlichen Glückwunsch zum 5. Firmenjubiläum!", "5-jähriges"),
        (25, "Herzlichen Glückwunsch zum 25. Firmenjubiläum!", "25-jähriges"),
        (100, "Herzlichen Glückwunsch zum 100. Firmenjubiläum!", "100-jähriges"),
    ],
)
def test_german_company_anniversary_says_which_one(
    shipped: Renderer, years: int, subject: str, jubilee: str
) -> None:
    out = letter(shipped, JOERG, "company_anniversary", years=years)
    assert out.subject == subject
    assert paragraphs(out)[1] == (
        f"am 3. Mai feiert Ihr Unternehmen {firm('Schulz GmbH', 'de')} sein {jubilee} Jubiläum. "
        "Zu diesem besonderen Anlass gratulieren wir Ihnen und Ihrem ganzen Team von Herzen!"
    )
    assert paragraphs(out)[2].startswith(
        f"Wir wünschen Ihnen und Ihrem Unternehmen {firm('Schulz GmbH', 'de')} weiterhin stetiges Wachstum"
    )


def test_german_company_anniversary_without_a_company_and_belated(shipped: Renderer) -> None:
    out = letter(shipped, KARIN, "company_anniversary", years=25, sent=date(2027, 5, 6), belated=True)
    assert out.subject == "Nachträglich herzlichen Glückwunsch zum 25. Firmenjubiläum!"
    assert paragraphs(out)[1] == (
        "am 3. Mai feierte Ihr Unternehmen sein 25-jähriges Jubiläum. Dazu gratulieren wir Ihnen und "
        "Ihrem ganzen Team nachträglich, aber nicht weniger herzlich!"
    )
    assert paragraphs(out)[2].startswith(
        "Wir wünschen Ihnen und Ihrem Unternehmen weiterhin stetiges Wachstum"
    )


@pytest.mark.parametrize(
    ("years", "subject", "nth"),
    [
        (1, "Vielen Dank für ein Jahr Partnerschaft!", "ersten"),
        (5, "Vielen Dank für 5 Jahre Partnerschaft!", "5."),
        (25, "Vielen Dank für 25 Jahre Partnerschaft!", "25."),
    ],
)
def test_german_first_deal_counts_the_years(shipped: Renderer, years: int, subject: str, nth: str) -> None:
    out = letter(shipped, JOERG, "first_deal", years=years)
    assert out.subject == subject
    assert paragraphs(out)[1:3] == [
        f"am 3. Mai jährt sich unser erstes gemeinsames Geschäft zum {nth} Mal, und dafür möchten wir "
        "Ihnen herzlich danken.",
        f"Wir danken Ihnen und dem ganzen Team Ihres Unternehmens {firm('Schulz GmbH', 'de')} für Ihr "
        "Vertrauen, Ihre Offenheit und Ihre Verlässlichkeit. Wir wünschen Ihnen viel Erfolg und uns allen "
        "noch viele gemeinsame Jahre.",
    ]


def test_german_dates_follow_the_letters_locale(shipped: Renderer) -> None:
    """An Austrian client reads «Jänner»: the date filter in the letter's locale, inside the macro too."""
    out = letter(shipped, KARIN, "first_deal", day=date(2027, 1, 28), years=3)
    assert paragraphs(out)[1].startswith("am 28. Jänner jährt sich unser erstes gemeinsames Geschäft")
    german = letter(shipped, replace(KARIN, locale="de"), "first_deal", day=date(2027, 1, 28), years=3)
    assert paragraphs(german)[1].startswith("am 28. Januar jährt sich")


def test_german_new_year_with_merged_occasions(shipped: Renderer) -> None:
    new_year = date(2027, 12, 29)
    also = (
        Hit(JOERG, "birthday", date(2027, 12, 27), 45, 100, "birthday"),
        Hit(JOERG, "company_anniversary", date(2028, 1, 5), 25, 80, "company_anniversary"),
        Hit(JOERG, "first_deal_anniversary", new_year, 1, 70, "first_deal"),
    )
    out = letter(shipped, JOERG, "new_year", day=new_year, also=also)
    # the merged ones named too (test_merged_subject), the one past last; all four were 139 characters:
    # those of the highest priority that fit in MAX_SUBJECT (78), the message names every one
    assert out.subject == "Alles Gute für das neue Jahr und nachträglich zum Geburtstag!"
    assert paragraphs(out)[1:4] == [
        "im Namen unseres ganzen Teams wünschen wir Ihnen ein gutes und erfolgreiches neues Jahr 2028!",
        "Vielen Dank für Ihr Vertrauen und die Zusammenarbeit im zu Ende gehenden Jahr – es ist uns eine "
        f"Ehre, Partner Ihres Unternehmens {firm('Schulz GmbH', 'de')} zu sein. Möge 2028 Ihnen neue "
        "Erfolge, spannende Projekte und Zuversicht bringen und Ihren Liebsten Gesundheit, Wärme und Freude.",
        "Außerdem senden wir Ihnen unsere besten Wünsche zum ersten Jahrestag unserer Zusammenarbeit, "
        "nachträglich zum Geburtstag und vorab zum 25. Jubiläum Ihres Unternehmens!",
    ]
    late = letter(shipped, KARIN, "new_year", day=new_year, sent=date(2028, 1, 10), belated=True)
    assert paragraphs(late)[1:3] == [
        "nachträglich, aber nicht weniger herzlich wünschen wir Ihnen ein frohes neues Jahr 2028!",
        "Vielen Dank für Ihr Vertrauen und die Zusammenarbeit im vergangenen Jahr. Möge 2028 Ihnen neue "
        "Erfolge, spannende Projekte und Zuversicht bringen und Ihren Liebsten Gesundheit, Wärme und Freude.",
    ]


def test_german_birthday_with_the_new_year_merged(shipped: Renderer) -> None:
    new_year = Hit(KIM, "new_year", date(2027, 12, 29), None, 60, "new_year")
    out = letter(shipped, KIM, "birthday", day=date(2027, 12, 28), years=33, also=(new_year,))
    assert paragraphs(out)[3] == "Außerdem senden wir Ihnen unsere besten Wünsche zum neuen Jahr!"


@pytest.mark.parametrize(
    ("occasion", "day", "sent", "subject", "first"),
    [
        (
            "womens_day",
            date(2027, 3, 8),
            date(2027, 3, 5),
            "Vorab alles Gute zum Internationalen Frauentag!",
            "schon heute senden wir Ihnen herzliche Grüße zum Internationalen Frauentag!",
        ),
        (
            "defender_day",
            date(2027, 2, 23),
            None,
            "Alles Gute zum Tag des Verteidigers des Vaterlandes!",
            "wir senden Ihnen herzliche Grüße zum Tag des Verteidigers des Vaterlandes!",
        ),
        (
            "christmas",
            date(2027, 12, 24),
            None,
            "Alles Gute zu Weihnachten!",
            "wir senden Ihnen herzliche Grüße zu Weihnachten!",
        ),
    ],
)
def test_german_holidays(
    shipped: Renderer, occasion: str, day: date, sent: date | None, subject: str, first: str
) -> None:
    out = letter(shipped, JOERG, "holiday", occasion=occasion, day=day, sent=sent)
    assert (out.subject, paragraphs(out)[1]) == (subject, first)
    assert paragraphs(out)[2].endswith("Vielen Dank für Ihr Vertrauen und die gute Zusammenarbeit.")
    late = letter(
        shipped, KARIN, "holiday", occasion=occasion, day=day, sent=day.replace(day=day.day + 2), belated=True
    )
    assert late.subject.startswith("Nachträglich alles Gute ")
    assert paragraphs(late)[1].startswith("nachträglich, aber nicht weniger herzlich senden wir Ihnen ")


def test_a_holiday_with_no_words_of_its_own_prints_its_title_in_the_letters_language() -> None:
    """``title_by_locale`` names a config's own holiday as natives write it (not quoted behind «püha»/«Feiertag»);
    without a title, a neutral «püha»/«Feiertag»."""
    independence = Occasion(
        name="partners_day",
        template="holiday",
        date="05-20",
        title="День партнёра",
        title_by_locale={"et": "Partnerite päev", "de": "Tag der Partner"},
    )
    renderer = Renderer(
        TEMPLATES, SENDER, titles={"partners_day": independence.title}, localized=[independence]
    )
    day = date(2027, 5, 20)
    estonian = letter(renderer, KADRI, "holiday", occasion="partners_day", day=day)
    assert (estonian.subject, paragraphs(estonian)[1]) == (
        "Head Partnerite päeva!",
        "Õnnitleme Teid südamest Partnerite päeva puhul!",
    )
    german = letter(renderer, KIM, "holiday", occasion="partners_day", day=day)
    assert (german.subject, paragraphs(german)[1]) == (
        "Alles Gute zum Tag der Partner!",
        "wir senden Ihnen herzliche Grüße zum Tag der Partner!",
    )
    untitled = Renderer(TEMPLATES, SENDER)
    assert letter(untitled, KADRI, "holiday", occasion="partners_day", day=day).subject == "Head püha!"
    assert (
        letter(untitled, KIM, "holiday", occasion="partners_day", day=day).subject
        == "Alles Gute zum Feiertag!"
    )


# --------------------------------------------------------------------------- every letter, read through


def every_letter(renderer: Renderer, contact: Contact) -> list[Rendered]:
    """Each template's letter to ``contact``: on its day, early, belated, with and without years, merged."""
    new_year = Hit(contact, "new_year", date(2027, 12, 29), None, 60, "new_year")
    letters = []
    for template, occasion in OCCASIONS.items():
        for years in (None, 1, 5, 25, 60, 100):
            day = date(2027, 12, 27) if template != "new_year" else date(2027, 12, 29)
            also = (new_year,) if template != "new_year" else ()
            for sent, belated in ((day, False), (date(2027, 12, 23), False), (date(2028, 1, 4), True)):
                letters.append(
                    letter(
                        renderer,
                        contact,
                        template,
                        occasion=occasion,
                        day=day,
                        years=years,
                        sent=sent,
                        belated=belated,
                        also=also,
                    )
                )
    return letters


@pytest.mark.parametrize("who", list(ESTONIANS))
def test_estonian_letters_have_no_cyrillic_and_write_teie_with_a_capital(shipped: Renderer, who: str) -> None:
    for out in every_letter(shipped, ESTONIANS[who]):
        assert out.template_file.endswith(".et.j2")
        for part in (out.subject, out.text, out.html or ""):
            assert not CYRILLIC.search(part), part
        assert not re.search(r"\b(teie|teile|teid|teil|teiega)\b", out.text), out.text
        # «!» after the salutation: the message starts with a capital
        assert paragraphs(out)[1][0].isupper() or paragraphs(out)[1][0].isdigit(), out.text


@pytest.mark.parametrize("who", list(GERMANS))
def test_german_letters_have_no_cyrillic_and_go_on_in_lower_case_after_the_comma(
    shipped: Renderer, who: str
) -> None:
    for out in every_letter(shipped, GERMANS[who]):
        assert out.template_file.endswith(".de.j2")
        for part in (out.subject, out.text, out.html or ""):
            assert not CYRILLIC.search(part), part
        assert not re.search(r"\b(ihnen|ihr|ihre|ihrem|ihren|ihres|ihrer)\b", out.text), out.text
        first = paragraphs(out)[1]
        assert first[0].islower(), out.text  # «Sehr geehrte Frau Schulz, / zu Ihrem …» (DIN 5008)


# --------------------------------------------------------------------------- through the CLI


def test_greeter_sends_estonian_and_german_letters_and_check_is_quiet_about_them(
    make_project: MakeProject,
) -> None:
    """``greeter preview`` and ``greeter check`` on a project with Estonian and German clients."""
    from greeter.checks import run_check
    from tests.test_send_e2e import greeter_process

    rows = [
        "e1;jaan@example.ee;Tamm;Jaan;;m;OÜ Päike;Europe/Tallinn;et;VIP;;15.04.1980;20.04.2002;;EE",
        "e2;mari@example.ee;Kask;Mari;;ж;;Europe/Tallinn;et-EE;regular;;18.04.1985;;;EE",
        "d1;karin@example.de;Schulz;Karin;;f;Schulz GmbH;Europe/Berlin;de;VIP;;;;22.04.2022;DE",
    ]
    names = {"name": "Romashka LLC", "company": "Romashka LLC"}
    config = make_project(rows, sender={"by_locale": {"et": names, "de": names}})
    assert rows[0].count(";") == HEADER.count(";")
    run = greeter_process(
        config,
        "preview",
        "--from",
        "2027-04-10",
        "--days",
        "20",
        "--now",
        "2027-04-01T09:00",
        "--format",
        "json",
    )
    assert run.returncode == 0, run.stderr
    sent = {(d["contact_id"], d["occasion"]): d for d in json.loads(run.stdout) if d["status"] == "send"}
    birthday = sent[("e1", "birthday")]
    assert birthday["template_file"] == "birthday.et.j2"
    # the VIP's 25th company anniversary on 20 April merged into the 15 April birthday letter
    assert birthday["subject"] == "Palju õnne sünnipäeva ja Teie ettevõtte 25. aastapäeva puhul!"
    assert (
        "\n\nÜhtlasi õnnitleme Teid ka Teie ettevõtte eelseisva 25. aastapäeva puhul!\n\n" in birthday["text"]
    )
    # Sunday 18 April: greeted on the Friday before, early
    early = sent[("e2", "birthday")]
    assert early["subject"] == "Palju õnne eelseisva sünnipäeva puhul!"
    assert early["text"].startswith(
        "Lugupeetud Mari Kask!\n\n18. aprill on Teie sünnipäev ja soovime olla esimeste õnnitlejate seas!\n\n"
    )
    deal = sent[("d1", "first_deal_anniversary")]
    assert deal["template_file"] == "first_deal.de.j2"
    assert deal["subject"] == "Vielen Dank für 5 Jahre Partnerschaft!"
    assert deal["text"].startswith(
        "Sehr geehrte Frau Schulz,\n\nam 22. April jährt sich unser erstes gemeinsames Geschäft zum 5. Mal, "
        "und dafür möchten wir Ihnen herzlich danken.\n\n"
    )
    for draft in sent.values():
        assert not CYRILLIC.search(draft["subject"] + draft["text"] + draft["html"]), draft["text"]

    report = run_check(config, "2027-04-01T09:00")
    assert report.errors == 0, [str(p) for p in report.problems]
    fallbacks = [p.message for p in report.problems if "with locale" in p.message]
    assert not [m for m in fallbacks if "'et" in m or "'de" in m], fallbacks
