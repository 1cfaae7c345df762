"""A holiday calendar specialist's native-reader checks of the holiday letters.

Found reading the shipped letters of a project whose occasions were not named as the
templates expected:

1. the words of a holiday came from the occasion's config name: ``christmas_de`` wrote
   «Vorab alles Gute zum Weihnachten!» and «einen schönen Feiertag», the example config's own
   ``christmas_ee`` (title «Jõulud») «Head eelseisvat püha „Jõulud“!» — only a name of exactly
   ``christmas`` was worded as Christmas (:mod:`greeter.occasion_kinds`);
2. Russian quoted holiday names behind «праздником» («с наступающим праздником «Ураза-байрам»»)
   and could not decline a title with an adjective after its noun («Рождество Христово»);
3. a Serbian Latin letter transliterated half of a Russian title: «praznik „День kompanii“»;
4. Estonian letters capitalised a holiday's name mid-sentence («eelseisva Jaanipäeva puhul»).

Rendered as sent: :class:`greeter.render.Renderer` over the shipped ``templates/``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from greeter.config import Occasion
from greeter.contacts import Contact, Gender
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.render import Renderer
from tests.test_letter_wording import CLIENTS, SENDER, message
from tests.test_render import TEMPLATES, person

ZONE = ZoneInfo("Europe/Berlin")

OCCASIONS = [
    # The example config's Christmas for Estonian clients, as it ships (config.example.yaml).
    Occasion(name="christmas_ee", template="holiday", date="12-24", title="Jõulud"),
    # A German team's Christmas, by the holiday library's name.
    Occasion(name="christmas_west", template="holiday", holiday="Christmas Day", title="Рождество"),
    Occasion(name="orthodox_christmas", template="holiday", date="01-07", title="Рождество Христово"),
    Occasion(name="easter", template="holiday", date="04-20", title="Пасха Христова"),
    Occasion(name="uraza", template="holiday", date="03-20", title="Ураза-байрам"),
    Occasion(name="kurban", template="holiday", date="05-27", title="Курбан айт"),
    Occasion(name="nauryz", template="holiday", date="03-21", title="Наурыз"),
    Occasion(name="company_day", template="holiday", date="09-15", title="День компании"),
    Occasion(name="statehood", template="holiday", date="02-16", title="Дан државности"),
    Occasion(name="midsummer", template="holiday", date="06-24", title="Jaanipäev"),
    Occasion(name="ee_victory", template="holiday", date="06-23", title="Võidupüha"),
]


@pytest.fixture(scope="module")
def shipped() -> Renderer:
    titles = {o.name: o.title for o in OCCASIONS if o.title}
    return Renderer(TEMPLATES, SENDER, "ru", titles, localized=OCCASIONS, default_country="DE")


def letter(
    renderer: Renderer,
    contact: Contact,
    occasion: str,
    day: date,
    sent: date,
    also: tuple[tuple[str, date], ...] = (),
) -> Rendered:
    hits = tuple(Hit(contact, name, when, None, 40, "holiday") for name, when in also)
    hit = Hit(contact, occasion, day, None, 40, "holiday")
    at = datetime.combine(sent, time(11), ZONE)
    return renderer.render(PlanItem(hit=hit, status="send", send_at=at, also=hits))


# --------------------------------------------------------------------------- 1. what a holiday is


def test_the_kind_comes_from_the_holiday_or_the_title_not_the_name() -> None:
    from greeter.occasion_kinds import occasion_kind

    assert occasion_kind("christmas_ee", None, ["Jõulud"]) == "christmas"
    assert occasion_kind("xmas", "Christmas Day") == "christmas"
    assert occasion_kind("rs_christmas", "Orthodox Christmas Day", ["Божић"]) == "christmas"
    assert occasion_kind("christmas") == "christmas"
    assert occasion_kind("company_day", None, ["День компании"]) == "company_day"
    # A name the templates know is what it says, whatever its title.
    assert occasion_kind("victory_day", "Victory Day", ["Võidupüha"]) == "victory_day"


def test_a_german_christmas_not_named_christmas_is_worded_as_christmas(shipped: Renderer) -> None:
    out = letter(shipped, CLIENTS["de"], "christmas_west", date(2026, 12, 25), date(2026, 12, 22))
    assert out.subject == "Vorab alles Gute zu Weihnachten!", out.subject
    assert "schöne Feiertage" in message(out) and "zum Weihnachten" not in out.text, message(out)


def test_the_example_configs_estonian_christmas_says_haid_joule(shipped: Renderer) -> None:
    out = letter(shipped, CLIENTS["et"], "christmas_ee", date(2026, 12, 24), date(2026, 12, 22))
    assert out.subject == "Häid eelseisvaid jõule!", out.subject
    assert "eelseisvate jõulude puhul" in message(out) and "„Jõulud“" not in out.text, message(out)
    assert "meeldivat pühadeaega" in message(out)
    # Merged into another letter too.
    merged = letter(
        shipped, CLIENTS["et"], "company_day", date(2026, 12, 21), date(2026, 12, 21),
        also=(("christmas_ee", date(2026, 12, 24)),),
    )  # fmt: skip
    assert "eelseisvate jõulude puhul" in merged.text and "Jõulud" not in merged.text, merged.text


# --------------------------------------------------------------------------- 2. Russian titles


@pytest.mark.parametrize(
    ("occasion", "day", "said"),
    [
        ("orthodox_christmas", date(2027, 1, 7), "с наступающим Рождеством Христовым!"),
        ("easter", date(2027, 4, 20), "с наступающей Пасхой Христовой!"),
        ("uraza", date(2027, 3, 20), "с наступающим праздником Ураза-байрам!"),
        ("kurban", date(2027, 5, 27), "с наступающим праздником Курбан айт!"),
        ("nauryz", date(2027, 3, 21), "с наступающим праздником Наурыз!"),
    ],
)
def test_russian_names_a_holiday_as_natives_write_it(
    shipped: Renderer, occasion: str, day: date, said: str
) -> None:
    ivan = person("r", "Иван", "Петрович", "Иванов", gender=Gender.MALE)
    out = letter(shipped, ivan, occasion, day, date(day.year, day.month, day.day - 2))
    assert out.subject == f"Иван Петрович, {said}", out.subject
    assert "праздником «" not in out.text, out.text


# --------------------------------------------------------------------------- 3. Serbian Latin


def test_a_serbian_latin_letter_never_shows_a_title_in_two_scripts(shipped: Renderer) -> None:
    marko = person("s", "Marko", "", "Nikolić", locale="sr_Latn", gender=Gender.MALE)
    russian = letter(shipped, marko, "company_day", date(2027, 9, 15), date(2027, 9, 15))
    assert "„День компании“" in russian.subject, russian.subject
    assert "kompanii" not in russian.text + (russian.html or ""), russian.text
    serbian = letter(shipped, marko, "statehood", date(2027, 2, 16), date(2027, 2, 16))
    assert serbian.subject == "Čestitamo Dan državnosti!", serbian.subject


# --------------------------------------------------------------------------- 4. Estonian


def test_estonian_writes_a_holidays_name_in_lower_case_mid_sentence(shipped: Renderer) -> None:
    jaan = CLIENTS["et"]
    out = letter(
        shipped, jaan, "ee_victory", date(2027, 6, 23), date(2027, 6, 22),
        also=(("midsummer", date(2027, 6, 24)),),
    )  # fmt: skip
    assert out.subject == "Head eelseisvat võidupüha ja head jaanipäeva!", out.subject  # merged: named too
    assert "eelseisva võidupüha puhul" in message(out), message(out)
    assert "eelseisva jaanipäeva puhul" in message(out), message(out)
    assert "Jaanipäeva" not in out.text and "Võidupüha" not in out.text
