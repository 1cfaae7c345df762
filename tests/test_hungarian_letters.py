"""Hungarian letters: every occasion in Hungarian, with the endings Hungarian puts on days, years and names.

Found by a proof-reader: a Hungarian client (locale ``hu``) got the Russian
letter under a Hungarian salutation — «Péter, с наступающим днём рождения!».
Rendered through :class:`Renderer` and the CLI, as letters are; whole
sentences are compared, since a Hungarian ending is wrong or right only in
its sentence. The company is written as the ``company`` filter writes it in a
Hungarian letter (:func:`company_name`), so these tests hold whatever quotes
that filter puts around «Duna Kft.».
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.company_names import company_name
from greeter.config import Sender
from greeter.contacts import Contact, Gender
from greeter.hungarian import DAY_ENDINGS, article, harmony, number_suffix
from greeter.i18n import format_date, ordinal
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.render import Renderer
from tests.conftest import MakeProject
from tests.test_render import SENDER, TEMPLATES

#: The example sender, with the Hungarian name config.example.yaml's by_locale would give it.
HU_SENDER = Sender.model_validate(
    {**SENDER.model_dump(), "by_locale": {"hu": {"name": "Romashka Kft.", "company": "Romashka Kft."}}}
)
BUDAPEST = ZoneInfo("Europe/Budapest")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

PETER = Contact(id="p", email="p@example.hu", first_name="Péter", last_name="Nagy", company="Duna Kft.",
                locale="hu", gender=Gender.MALE, country="HU")  # fmt: skip
EVA = Contact(id="e", email="e@example.hu", first_name="Éva", last_name="Kiss", locale="hu_HU",
              gender=Gender.FEMALE, country="HU")  # fmt: skip
# No gender: the full name needs none.
ANNA = Contact(id="a", email="a@example.hu", first_name="Anna", last_name="Szabó", company="Alfa Kft.",
               locale="hu", country="HU")  # fmt: skip
#: How a Hungarian letter writes Péter's company, and the same at a sentence's end.
DUNA = company_name("Duna Kft.", "hu")
DUNA_END = DUNA if DUNA.endswith(".") else DUNA + "."
ALFA = company_name("Alfa Kft.", "hu")
#: The closing, the sender, and the footer's contact line (templates/_brand.j2), as the HTML ends.
SIGNED = "\n\nTisztelettel:\nRomashka Kft.\n\ngreetings@romashka.example"  # the name once: signed


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(
        TEMPLATES, HU_SENDER, titles={"partners_day": "Partnerek napja", "company_day": "День компании"}
    )


def letter(
    renderer: Renderer,
    contact: Contact,
    template: str,
    day: date,
    years: int | None = None,
    *,
    occasion: str | None = None,
    belated: bool = False,
    sent: date | None = None,
    also: tuple[Hit, ...] = (),
) -> Rendered:
    hit = Hit(contact, occasion or template, day, years, 100, template)
    send_at = datetime(sent.year, sent.month, sent.day, 10, tzinfo=BUDAPEST) if sent else None
    out = renderer.render(PlanItem(hit=hit, status="send", send_at=send_at, also=also, belated=belated))
    assert out.template_file == f"{template}.hu.j2"
    for part in (out.subject, out.text, out.html or ""):  # no Russian anywhere (the contacts are Latin)
        assert not CYRILLIC.search(part), part
    return out


def body(out: Rendered) -> list[str]:
    """The letter's paragraphs between the salutation and the signature."""
    assert out.text.endswith(SIGNED), out.text
    return out.text.removesuffix(SIGNED).split("\n\n")[1:]


# --------------------------------------------------------------------------- birthday


def test_the_proof_readers_letter_is_hungarian(renderer: Renderer) -> None:
    """Péter's 2 January birthday, sent on 29 December with the New Year: no «с наступающим»."""
    new_year = Hit(PETER, "new_year", date(2026, 12, 29), None, 60, "new_year")
    out = letter(renderer, PETER, "birthday", date(2027, 1, 2), 47, sent=date(2026, 12, 29), also=(new_year,))
    assert out.subject == "Előre is boldog születésnapot és boldog új évet!"  # the New Year it carries too
    assert out.text.startswith("Tisztelt Nagy Péter!\n\n")
    assert body(out) == [
        "Január 2-án ünnepli születésnapját, és szeretnénk az elsők között köszönteni Önt!",
        "Jó egészséget, boldogságot és sok sikert kívánunk Önnek minden tervéhez, "
        f"a {DUNA} számára pedig további fejlődést és újabb eredményeket. "
        "Köszönjük, hogy minket választott: öröm számunkra az Önnel való együttműködés.",
        "Egyúttal a közelgő újév alkalmából is szívből köszöntjük Önt!",
    ]


@pytest.mark.parametrize(
    ("contact", "salutation", "wishes"),
    [
        (PETER, "Tisztelt Nagy Péter!", f", a {DUNA} számára pedig további fejlődést és újabb eredményeket"),
        (EVA, "Tisztelt Kiss Éva!", ""),  # no company: the sentence ends with the wishes
        (ANNA, "Tisztelt Szabó Anna!", f", az {ALFA} számára pedig további fejlődést és újabb eredményeket"),
    ],
)
def test_a_birthday_letter_to_a_man_a_woman_and_one_of_no_known_gender(
    renderer: Renderer, contact: Contact, salutation: str, wishes: str
) -> None:
    out = letter(renderer, contact, "birthday", date(2027, 3, 15), 40)
    assert out.subject == "Boldog születésnapot!"
    assert out.text == (
        f"{salutation}\n\n"
        "Születésnapja alkalmából szívből köszöntjük Önt egész csapatunk nevében!\n\n"
        f"Jó egészséget, boldogságot és sok sikert kívánunk Önnek minden tervéhez{wishes}. Köszönjük, hogy "
        f"minket választott: öröm számunkra az Önnel való együttműködés.{SIGNED}"
    )
    assert out.html is not None and f">{salutation}</p>" in out.html and "Tisztelettel:<br>" in out.html


def test_a_belated_birthday_says_so(renderer: Renderer) -> None:
    out = letter(renderer, EVA, "birthday", date(2027, 3, 15), 40, belated=True, sent=date(2027, 3, 17))
    assert out.subject == "Utólag is boldog születésnapot!"
    assert (
        body(out)[0] == "Ha kis késéssel is, fogadja szívből jövő jókívánságainkat születésnapja alkalmából!"
    )


def test_a_leap_day_birthday_greeted_early_is_not_dated_the_28th(renderer: Renderer) -> None:
    hit = Hit(EVA, "birthday", date(2027, 2, 28), 39, 100, "birthday", moved=True)
    out = renderer.render(PlanItem(hit, "send", send_at=datetime(2027, 2, 26, 10, tzinfo=BUDAPEST)))
    assert body(out)[0] == "Hamarosan ünnepli születésnapját, és szeretnénk az elsők között köszönteni Önt!"
    assert "28" not in out.text


# --------------------------------------------------------------------------- company anniversary


@pytest.mark.parametrize(
    ("years", "ordinal_words", "day", "on_day"),
    [
        (1, "első", date(2027, 1, 1), "Január 1-jén"),
        (5, "5.", date(2027, 5, 8), "Május 8-án"),
        (25, "25.", date(2027, 10, 23), "Október 23-án"),
        (100, "100.", date(2027, 8, 20), "Augusztus 20-án"),
    ],
)
def test_a_company_anniversary_says_which_one(
    renderer: Renderer, years: int, ordinal_words: str, day: date, on_day: str
) -> None:
    out = letter(renderer, PETER, "company_anniversary", day, years)
    assert out.subject == f"Gratulálunk a {DUNA} {ordinal_words} évfordulójához!"
    assert body(out) == [
        f"{on_day} {years} éves a {DUNA_END} "
        "Szívből gratulálunk Önnek és egész csapatának ehhez a jeles évfordulóhoz!",
        f"Kívánunk Önnek és a {DUNA} valamennyi munkatársának töretlen fejlődést, megbízható partnereket, "
        "érdekes projekteket és újabb sikereket. Nagyra értékeljük együttműködésünket, és örülünk, hogy ezen "
        "az úton Önök mellett lehetünk.",
    ]


def test_a_company_anniversary_belated_or_ahead(renderer: Renderer) -> None:
    out = letter(
        renderer, PETER, "company_anniversary", date(2027, 6, 6), 5, belated=True, sent=date(2027, 6, 8)
    )
    assert body(out)[0] == (
        f"Június 6-án 5 éves lett a {DUNA_END} "
        "Ha kis késéssel is, szívből gratulálunk Önnek és egész csapatának ehhez a jeles évfordulóhoz!"
    )
    early = letter(renderer, PETER, "company_anniversary", date(2027, 6, 6), 5, sent=date(2027, 6, 4))
    assert body(early)[0].startswith(f"Június 6-án 5 éves lesz a {DUNA_END} Szívből gratulálunk")


@pytest.mark.parametrize("company", ["MKB Bank Zrt.", "MOL Nyrt.", "4iG Nyrt.", "ООО «Ромашка»", ""])
def test_a_company_whose_article_is_unsure_is_your_company(renderer: Renderer, company: str) -> None:
    """ "a MOL" (read as a word), "az MKB" (letter by letter): where the spelling cannot tell, no guess."""
    client = Contact(id="c", email="c@example.hu", first_name="Péter", last_name="Nagy", company=company,
                     locale="hu")  # fmt: skip
    hit = Hit(client, "company_anniversary", date(2027, 4, 21), 25, 80, "company_anniversary")
    out = renderer.render(PlanItem(hit, "send"))
    assert out.subject == "Gratulálunk cége 25. évfordulójához!"
    assert body(out)[0] == (
        "Április 21-én 25 éves az Ön cége. Szívből gratulálunk Önnek és egész csapatának ehhez a jeles évfordulóhoz!"
    )
    assert "munkatársainak töretlen fejlődést" in body(out)[1]


# --------------------------------------------------------------------------- first deal


def test_a_first_deal_anniversary_thanks_for_the_years(renderer: Renderer) -> None:
    out = letter(renderer, PETER, "first_deal", date(2027, 3, 15), 3)
    assert out.subject == "Köszönjük az együtt töltött 3 évet!"
    assert body(out) == [
        "Március 15-én 3 éve annak, hogy megkötöttük első közös üzletünket, és ezúton szeretnénk köszönetet "
        "mondani Önnek.",
        f"Köszönjük Önnek és a {DUNA} egész csapatának a bizalmat, a nyitottságot és a megbízhatóságot. "
        "Sok sikert kívánunk Önnek, közös munkánknak pedig hosszú jövőt és új közös projekteket.",
    ]
    ahead = letter(renderer, EVA, "first_deal", date(2026, 12, 20), 6, sent=date(2026, 12, 18))
    assert body(ahead)[0] == (
        "December 20-án lesz 6 éve annak, hogy megkötöttük első közös üzletünket, és ezúton szeretnénk "
        "köszönetet mondani Önnek."
    )
    assert body(ahead)[1].startswith("Köszönjük Önnek a bizalmat, a nyitottságot")  # Éva: no company
    first = letter(renderer, EVA, "first_deal", date(2027, 9, 1), 1, belated=True, sent=date(2027, 9, 3))
    assert first.subject == "Köszönjük az együtt töltött évet!"
    assert body(first)[0] == (
        "Ha kis késéssel is, fogadja köszönetünket: szeptember 1-jén lett egy éve, hogy megkötöttük első "
        "közös üzletünket."
    )


# --------------------------------------------------------------------------- New Year, merged occasions


def test_a_new_year_letter_carries_a_past_birthday_and_a_coming_anniversary(renderer: Renderer) -> None:
    also = (
        Hit(PETER, "birthday", date(2026, 12, 27), 47, 100, "birthday"),
        Hit(PETER, "company_anniversary", date(2027, 1, 5), 25, 80, "company_anniversary"),
        Hit(PETER, "first_deal_anniversary", date(2027, 1, 8), 1, 70, "first_deal"),
    )
    out = letter(renderer, PETER, "new_year", date(2026, 12, 29), also=also)
    # the merged ones named too (test_merged_subject), the past one «utólag is»; all four were 153
    # characters: those of the highest priority that fit in MAX_SUBJECT (78), the message names each
    assert out.subject == "Boldog új évet és utólag is boldog születésnapot!"
    assert body(out) == [
        "Egész csapatunk nevében boldog új évet kívánunk Önnek!",
        "Köszönjük bizalmát és az idei évben végzett közös munkánkat: megtiszteltetés számunkra, hogy "
        f"a {DUNA} partnere lehetünk. 2027-ben is kívánunk Önnek új sikereket, érdekes projekteket és "
        "magabiztosságot, szeretteinek pedig jó egészséget, szeretetet és örömöt.",
        "Egyúttal nemrég elmúlt születésnapja, valamint cége fennállásának közelgő 25. évfordulója és "
        "együttműködésünk első évfordulója alkalmából is szívből köszöntjük Önt!",
    ]


@pytest.mark.parametrize(("day", "wish", "year_in"), [
    (date(2026, 12, 29), "2027-re", "2027-ben"),
    (date(2029, 12, 29), "2030-ra", "2030-ban"),
    (date(2025, 12, 29), "2026-ra", "2026-ban"),
])  # fmt: skip
def test_a_belated_new_year_letter_in_january(renderer: Renderer, day: date, wish: str, year_in: str) -> None:
    out = letter(renderer, EVA, "new_year", day, belated=True, sent=date(day.year + 1, 1, 11))
    assert body(out) == [
        f"Ha kis késéssel is, fogadja szívből jövő jókívánságainkat {wish}!",
        f"Köszönjük bizalmát és az elmúlt évben végzett közös munkánkat. {year_in} is kívánunk Önnek új "
        "sikereket, érdekes projekteket és magabiztosságot, szeretteinek pedig jó egészséget, szeretetet és "
        "örömöt.",
    ]


# --------------------------------------------------------------------------- holidays


def test_holidays_the_config_greets(renderer: Renderer) -> None:
    womens = letter(renderer, EVA, "holiday", date(2027, 3, 8), occasion="womens_day")
    assert womens.subject == "Boldog nőnapot!"
    assert body(womens) == [
        "A nemzetközi nőnap alkalmából szívből köszöntjük Önt egész csapatunk nevében!",
        "Tavaszi jókedvet, melegséget, ihletet és sok örömöt kívánunk Önnek minden napra. Köszönjük bizalmát "
        "és együttműködését.",
    ]
    # A Hungarian client tagged for 23 February is greeted on Russia's day, in Hungarian.
    defender = letter(renderer, PETER, "holiday", date(2027, 2, 23), occasion="defender_day")
    assert defender.subject == "Jókívánságaink a haza védelmezőjének napja alkalmából"
    assert body(defender) == [
        "A haza védelmezőjének napja alkalmából szívből köszöntjük Önt egész csapatunk nevében!",
        f"Jó egészséget, magabiztosságot és megbízható partnereket kívánunk Önnek, a {DUNA} számára pedig "
        "újabb győzelmeket. Köszönjük bizalmát és együttműködését.",
    ]
    christmas = letter(renderer, EVA, "holiday", date(2027, 12, 25), occasion="christmas", belated=True,
                       sent=date(2027, 12, 27))  # fmt: skip
    assert christmas.subject == "Utólag is kellemes karácsonyi ünnepeket!"
    assert (
        body(christmas)[0]
        == "Ha kis késéssel is, fogadja szívből jövő jókívánságainkat karácsony alkalmából!"
    )
    early = letter(renderer, EVA, "holiday", date(2027, 3, 8), occasion="womens_day", sent=date(2027, 3, 5))
    assert body(early)[0].startswith("A közelgő nemzetközi nőnap alkalmából szívből köszöntjük Önt")


def test_an_occasion_without_hungarian_words_takes_its_title_if_it_reads_as_hungarian(
    renderer: Renderer,
) -> None:
    partners = letter(renderer, EVA, "holiday", date(2027, 5, 20), occasion="partners_day")
    assert partners.subject == "Jókívánságaink a Partnerek napja alkalmából"
    assert body(partners)[0].startswith("A Partnerek napja alkalmából szívből köszöntjük Önt")
    # «День компании» (a title with no title_by_locale.hu) is not printed in a Hungarian letter.
    company_day = letter(renderer, EVA, "holiday", date(2027, 5, 20), occasion="company_day")
    assert company_day.subject == "Jókívánságaink az ünnep alkalmából"
    assert body(company_day)[0].startswith("Az ünnep alkalmából szívből köszöntjük Önt")


def test_a_cyrillic_sender_company_stays_out_of_the_message() -> None:
    """Without sender.by_locale.hu only the signature is the sender's own (check warns about it)."""
    out = Renderer(TEMPLATES, SENDER).render(PlanItem(Hit(PETER, "birthday", date(2027, 3, 15), 40, 100, "birthday"),
                                                      "send"))  # fmt: skip
    message = out.text.split("\n\nTisztelettel:\n")[0]
    assert not CYRILLIC.search(message), message
    assert "Születésnapja alkalmából szívből köszöntjük Önt egész csapatunk nevében!" in message


# --------------------------------------------------------------------------- the CLI


def test_hungarian_clients_get_hungarian_letters_from_the_cli(make_project: MakeProject) -> None:
    """check renders every form (early, belated, merged, other years) without a failure or the old warning,
    and preview shows the letters."""
    rows = [
        "1;peter@example.hu;Nagy;Péter;;м;Duna Kft.;Europe/Budapest;hu;VIP;;02.01.1980;01.01.2002;;HU",
        "2;eva@example.hu;Kiss;Éva;;ж;;Europe/Budapest;hu_HU;regular;8mar;15.03.1985;;20.12.2020;HU",
    ]
    config = make_project(
        rows, sender={"by_locale": {"hu": {"name": "Romashka Kft.", "company": "Romashka Kft."}}}
    )
    runner = CliRunner()
    check = runner.invoke(main, ["--config", str(config), "check", "--now", "2026-12-01T09:00"])
    assert check.exit_code == 0, check.output + check.stderr
    assert "with locale 'hu" not in check.stderr and "render" not in check.stderr.lower(), check.stderr
    preview = runner.invoke(main, ["--config", str(config), "preview", "--from", "2026-12-20", "--days", "20",
                                   "--now", "2026-12-01T09:00", "--format", "json"])  # fmt: skip
    assert preview.exit_code == 0, preview.stderr
    sent = [i for i in json.loads(preview.stdout) if i["status"] == "send"]
    assert sent and all(i["template_file"].endswith(".hu.j2") for i in sent), sent
    for item in sent:
        assert not CYRILLIC.search(item["subject"] + item["text"]), item["text"]
    peter = next(i for i in sent if i["contact_id"] == "1")
    assert peter["text"].startswith("Tisztelt Nagy Péter!\n\n")
    assert (
        "\n\nTisztelettel:\nRomashka Kft.\n\nmanager@romashka.example\n\n"
        "Ha nem szeretne több üdvözletet kapni, iratkozzon le: " in peter["text"]
    )


# --------------------------------------------------------------------------- the endings themselves

#: Every day of the month as "on that day": the ordinal spoken with -n (elsején, másodikán, …).
ON_DAY = {
    1: "1-jén", 2: "2-án", 3: "3-án", 4: "4-én", 5: "5-én", 6: "6-án", 7: "7-én", 8: "8-án", 9: "9-én",
    10: "10-én", 11: "11-én", 12: "12-én", 13: "13-án", 14: "14-én", 15: "15-én", 16: "16-án", 17: "17-én",
    18: "18-án", 19: "19-én", 20: "20-án", 21: "21-én", 22: "22-én", 23: "23-án", 24: "24-én", 25: "25-én",
    26: "26-án", 27: "27-én", 28: "28-án", 29: "29-én", 30: "30-án", 31: "31-én",
}  # fmt: skip


@pytest.mark.parametrize("day", list(ON_DAY))
def test_every_day_of_the_month_takes_its_ending(day: int) -> None:
    assert format_date(date(2027, 1, day), "hu", "on_day") == f"január {ON_DAY[day]}"
    assert f"{day}-{DAY_ENDINGS[day]}" == ON_DAY[day]


def test_on_day_is_hungarian_only_and_day_month_elsewhere() -> None:
    assert format_date(date(2027, 3, 15), "hu_HU", "on_day") == "március 15-én"
    assert format_date(date(2027, 3, 15), "hu", "day_month") == "március 15."
    assert format_date(date(2027, 3, 15), "ru", "on_day") == "15 марта"
    assert format_date(date(2027, 3, 15), "en_GB", "on_day") == "15 March"


@pytest.mark.parametrize(
    ("n", "forms", "expected"),
    [
        (2027, "ban|ben", "2027-ben"),  # kétezer-huszonhét
        (2030, "ban|ben", "2030-ban"),  # …harminc
        (2026, "ban|ben", "2026-ban"),  # …hat
        (2028, "ban|ben", "2028-ban"),  # …nyolc
        (2025, "ban|ben", "2025-ben"),  # …öt
        (2023, "ban|ben", "2023-ban"),  # …három
        (2022, "ban|ben", "2022-ben"),  # …kettő
        (2021, "ban|ben", "2021-ben"),  # …egy
        (2029, "ban|ben", "2029-ben"),  # …kilenc
        (2020, "ban|ben", "2020-ban"),  # …húsz
        (2010, "ban|ben", "2010-ben"),  # …tíz
        (2040, "ban|ben", "2040-ben"),  # …negyven
        (2050, "ban|ben", "2050-ben"),  # …ötven
        (2060, "ban|ben", "2060-ban"),  # …hatvan
        (1980, "ban|ben", "1980-ban"),  # …nyolcvan
        (1990, "ban|ben", "1990-ben"),  # …kilencven
        (2000, "ban|ben", "2000-ben"),  # kétezer
        (2100, "ban|ben", "2100-ban"),  # …száz
        (1000000, "ban|ben", "1000000-ban"),  # egymillió
        (2027, "ra|re", "2027-re"),
        (2030, "ra|re", "2030-ra"),
        (5, "hoz|hez|höz", "5-höz"),  # öt: front rounded
        (2, "hoz|hez|höz", "2-höz"),  # kettő
        (7, "hoz|hez|höz", "7-hez"),  # hét
        (50, "hoz|hez|höz", "50-hez"),  # ötven: its last vowel is e
        (3, "hoz|hez|höz", "3-hoz"),  # három
    ],
)
def test_a_number_takes_the_suffix_of_its_last_spoken_word(n: int, forms: str, expected: str) -> None:
    assert number_suffix(n, forms) == expected


def test_a_suffix_needs_two_or_three_forms() -> None:
    assert harmony(0) == "back"  # nulla
    with pytest.raises(ValueError, match="'back\\|front'"):
        number_suffix(2027, "ben")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Duna Kft.", "a"),
        ("„Duna Kft.”", "a"),
        ("Alfa Kft.", "az"),
        ("Élelmiszer Zrt.", "az"),
        ("Ötvös Bt.", "az"),
        ("OTP Bank Nyrt.", "az"),
        ("BKV Zrt.", "a"),
        ("Mol Nyrt.", "a"),
        ("MOL Nyrt.", ""),  # a MOL (a word) or az MOL? the spelling does not say
        ("MKB Bank", ""),  # az MKB (em-ká-bé)
        ("4iG Nyrt.", ""),
        ("Ромашка", ""),
        ("", ""),
    ],
)
def test_the_article_before_a_name(name: str, expected: str) -> None:
    assert article(name) == expected


@pytest.mark.parametrize("locale", ["hu", "et", "de", "sr", "sr_Latn"])
def test_ordinals_are_the_number_and_a_dot(locale: str) -> None:
    assert [ordinal(n, locale) for n in (1, 5, 25, 100)] == ["1.", "5.", "25.", "100."]


def test_russian_ordinals_are_still_refused() -> None:
    with pytest.raises(ValueError, match="no ordinal numbers for language 'ru'; known: en, hu, et, de, sr"):
        ordinal(21, "ru")


def test_portuguese_and_spanish_ordinals_take_the_masculine_indicator() -> None:
    """A São Paulo template's «{{ years|ordinal }} aniversário» was refused: no ordinals for 'pt'."""
    assert [ordinal(n, "pt_BR") for n in (1, 40)] == ["1º", "40º"]
    assert ordinal(40, "es") == "40.º"
