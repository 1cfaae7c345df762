"""Serbian letters: one script throughout, every shipped occasion in Serbian, and titles in other languages.

A proof-reader's findings: an ``sr_Latn`` client read the Cyrillic ``birthday.sr.j2`` with
a Latin salutation, date, closing and unsubscribe line inside it («Ваш рођендан је
2. januar»); company anniversaries and holidays reached Serbian clients in Russian; and a
Russian title («День компании») printed in a Serbian letter left ``greeter check`` silent,
because it compared scripts only. Real letters, rendered by the shipped templates through
the :class:`~greeter.render.Renderer` and the CLI, are read here as whole sentences.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from ruamel.yaml import YAML

from greeter.checks import run_check
from greeter.config import Sender
from greeter.contacts import Contact, Gender
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.render import Renderer
from greeter.serbian_script import html_to_latin, is_serbian_latin, to_latin
from tests.conftest import ROOT, MakeProject, contact_row
from tests.faults import greeter

#: Among the suite's longest files (CI's --durations): handed out first under xdist (tests/parallel.py).
pytestmark = pytest.mark.slow

TEMPLATES = ROOT / "templates"
BELGRADE = ZoneInfo("Europe/Belgrade")
#: The example config's sender: Russian, with the Latin name it gives Serbian letters.
SENDER = Sender.model_validate(
    {
        "name": "ООО «Ромашка»",
        "email": "greetings@romashka.example",
        "company": "ООО «Ромашка»",
        "by_locale": {"sr": {"name": "Romashka LLC", "company": "Romashka LLC"}},
    }
)
#: A sender whose own name is Serbian Cyrillic and has no by_locale: Latin letters transliterate it.
SERBIAN_SENDER = Sender(name="Дунав тим", email="greetings@dunav.example", company="Ђурђевак д.о.о.")
TITLES = {
    "company_day": "День компании",
    "rs_statehood": "Дан државности",
    "slava": "Крсна слава",
    "sr_new_year": "Српска нова година",
    "nikoljdan": "Слава Светог Николе",
    "sretenje": "Сретење",
}


def client(
    locale: str, *, first: str = "Марко", last: str = "Николић", company: str = "Дунав д.о.о."
) -> Contact:
    return Contact(
        id="2007",
        email="c2007@example.com",
        first_name=first,
        last_name=last,
        company=company,
        locale=locale,
        gender=Gender.MALE,
        country="RS",
    )


def letter(
    contact: Contact,
    template: str,
    occasion: str | None = None,
    *,
    day: date = date(2027, 2, 15),
    years: int | None = None,
    sent: date | None = None,
    belated: bool = False,
    also: tuple[Hit, ...] = (),
    sender: Sender = SENDER,
) -> Rendered:
    """One letter as the planner hands it over: sent on ``sent`` (the day itself by default)."""
    hit = Hit(contact, occasion or template, day, years, 100, template)
    at = datetime.combine(sent or day, datetime.min.time().replace(hour=11), BELGRADE)
    item = PlanItem(hit=hit, status="send", send_at=at, also=also, belated=belated)
    renderer = Renderer(TEMPLATES, sender, "ru", TITLES, default_country="RS")
    return renderer.render(item)


def paragraphs(out: Rendered) -> list[str]:
    return out.text.split("\n\n")


# --------------------------------------------------------------------------- one script throughout


def test_a_latin_serbian_client_reads_the_cyrillic_letter_in_latin_throughout() -> None:
    """The proof-reader's letter: «Ваш рођендан је 2. januar, и желимо…» is Latin whole now."""
    marko = client("sr_Latn", first="Marko", last="Nikolić", company="Dunav d.o.o.")
    new_year = Hit(marko, "new_year", date(2026, 12, 29), None, 60, "new_year")
    out = letter(marko, "birthday", day=date(2027, 1, 2), years=57, sent=date(2026, 12, 31), also=(new_year,))
    assert out.template_file == "birthday.sr.j2" and out.locale == "sr_Latn"
    assert out.subject == "Unapred srećan rođendan i čestitke za Novu godinu!"  # «и» in Latin: «i»
    assert out.text == (
        "Poštovani gospodine Nikoliću,\n\n"
        "Vaš rođendan je 2. januara, i želimo da Vam među prvima čestitamo!\n\n"
        "Želimo Vam puno zdravlja, sreće i uspeha u svemu što radite, a kompaniji „Dunav“ d.o.o. dalji "
        "rast i napredak. Hvala Vam što ste sa nama: saradnja sa Vama je pravo zadovoljstvo.\n\n"
        "Takođe Vam čestitamo Novu godinu!\n\n"
        "S poštovanjem,\nRomashka LLC\n\n"
        "greetings@romashka.example"  # the footer's contact line, as the HTML's (signed: the name once)
    )
    assert out.html is not None
    assert "<title>Unapred srećan rođendan i čestitke za Novu godinu!</title>" in out.html
    assert '<p style="margin:0 0 16px 0;">Vaš rođendan je 2. januara, i želimo' in out.html


def test_cyrillic_data_in_a_latin_letter_is_transliterated_and_links_are_not() -> None:
    """The client's and the sender's Serbian Cyrillic names read in Latin; an address in .срб stays."""
    ana = client("sr_Latn_RS", first="Љиљана", last="Ђорђевић", company="Џервин д.о.о.")
    sender = SERBIAN_SENDER.model_copy(update={"reply_to": "пошта@дунав.срб"})
    out = letter(ana, "company_anniversary", years=5, sender=sender)
    assert out.text.startswith("Poštovani gospodine Đorđeviću,\n\n")
    assert "Povodom pete godišnjice kompanije „Džervin“ d.o.o. (15. februara)" in out.text
    # the footer's contact line: the company in Latin, its Cyrillic address as written
    assert out.text.endswith("S poštovanjem,\nDunav tim\n\nĐurđevak d.o.o. · пошта@дунав.срб")
    assert out.html is not None
    assert '<a href="mailto:пошта@дунав.срб"' in out.html and ">пошта@дунав.срб</a>" in out.html
    assert (
        "Đurđevak\u00a0d.o.o. · <a href" in out.html
    )  # the footer names the sender's company, held together


def test_the_transliteration_table_and_what_it_leaves_alone() -> None:
    assert to_latin("Љубиша Џајић, ЉУБАВ, Њиве, ћуприја") == "Ljubiša Džajić, LJUBAV, Njive, ćuprija"
    # a word with a letter Serbian lacks (ь, я) is kept whole; check warns where such a title is printed
    assert to_latin("День компании, Вячеслав") == "День kompanii, Вячеслав"
    assert to_latin("одјава: https://пример.срб/x?a=б mailto:а@б.срб") == (
        "odjava: https://пример.срб/x?a=б mailto:а@б.срб"
    )
    assert html_to_latin('<a title="Ћ" href="/ш">шума</a>') == '<a title="Ћ" href="/ш">šuma</a>'
    assert [is_serbian_latin(x) for x in ("sr_Latn", "sr_Latn_RS", "sr_ME", "sr", "sr_RS", "hr", "ru")] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def every_serbian_letter(contact: Contact, sender: Sender = SENDER) -> list[Rendered]:
    """Each shipped occasion's Serbian letter: on time, early, belated, merged; anniversaries 1, 5, 21."""
    also = (
        Hit(contact, "womens_day", date(2027, 3, 8), None, 30, "holiday"),
        Hit(contact, "company_anniversary", date(2027, 3, 10), 21, 80, "company_anniversary"),
        Hit(contact, "new_year", date(2026, 12, 29), None, 60, "new_year"),
    )
    letters = []
    kinds: list[tuple[str, str, int | None]] = [
        ("birthday", "birthday", 40),
        ("company_anniversary", "company_anniversary", 1),
        ("company_anniversary", "company_anniversary", 5),
        ("company_anniversary", "company_anniversary", 21),
        ("company_anniversary", "company_anniversary", None),
        ("first_deal", "first_deal_anniversary", 3),
        ("new_year", "new_year", None),
        *[("holiday", name, None) for name in ("womens_day", "defender_day", "victory_day", "christmas")],
        ("holiday", "rs_statehood", None),
    ]
    day = date(2027, 3, 9)
    for template, occasion, years in kinds:
        for sent, belated in ((day, False), (date(2027, 3, 5), False), (date(2027, 3, 11), True)):
            for merged in ((), also):
                letters.append(
                    letter(contact, template, occasion, day=day, years=years, sent=sent, belated=belated,
                           also=merged, sender=sender)
                )  # fmt: skip
    return letters


@pytest.mark.parametrize("sender", [SENDER, SERBIAN_SENDER], ids=["latin-sender", "cyrillic-sender"])
def test_no_cyrillic_letter_is_left_in_a_latin_serbian_letter(sender: Sender) -> None:
    for out in every_serbian_letter(client("sr_Latn"), sender):
        assert out.template_file.endswith(".sr.j2"), out.template_file
        for part in (out.subject, out.text, out.html or ""):
            # the Russian title of company_day is not Serbian: not printed by these letters
            assert not re.search("[\u0400-\u04ff]", part), (out.template_file, part)


def test_no_latin_serbian_word_is_in_a_cyrillic_serbian_letter() -> None:
    """Latin only where data puts it: the sender's Latin name, its address (the footer) and the unsubscribe one."""
    for out in every_serbian_letter(client("sr")):
        assert out.template_file.endswith(".sr.j2"), out.template_file
        words = f"{out.subject}\n{out.text}"
        for latin in ("Romashka LLC", "greetings@romashka.example"):
            words = words.replace(latin, "")
        assert not re.search("[A-Za-zČčĆćŽžŠšĐđ]", words), (out.template_file, words)
        assert "Поштовани господине Николићу," in out.text and "С поштовањем," in out.text


# --------------------------------------------------------------------------- company anniversary


@pytest.mark.parametrize(
    ("years", "subject", "opening"),
    [
        (1, "Честитамо 1. годишњицу компаније „Дунав“ д.о.о.!", "Поводом прве годишњице компаније „Дунав“ д.о.о. (15. фебруара) упућујемо Вама и целом Вашем тиму најсрдачније честитке!"),
        (5, "Честитамо 5. годишњицу компаније „Дунав“ д.о.о.!", "Поводом пете годишњице компаније „Дунав“ д.о.о. (15. фебруара) упућујемо Вама и целом Вашем тиму најсрдачније честитке!"),
        (21, "Честитамо 21. годишњицу компаније „Дунав“ д.о.о.!", "Поводом 21. годишњице компаније „Дунав“ д.о.о. (15. фебруара) упућујемо Вама и целом Вашем тиму најсрдачније честитке!"),
        (None, "Честитамо годишњицу компаније „Дунав“ д.о.о.!", "Поводом годишњице компаније „Дунав“ д.о.о. упућујемо Вама и целом Вашем тиму најсрдачније честитке!"),
    ],
)  # fmt: skip
def test_a_company_anniversary_is_a_serbian_letter(years: int | None, subject: str, opening: str) -> None:
    out = letter(client("sr"), "company_anniversary", years=years)
    assert out.template_file == "company_anniversary.sr.j2"
    assert out.subject == subject
    assert paragraphs(out)[1] == opening
    assert paragraphs(out)[2] == (
        "Желимо Вама и компанији „Дунав“ д.о.о. стабилан раст, поуздане партнере, занимљиве пројекте и "
        "нова достигнућа. Ценимо нашу сарадњу и драго нам је што смо уз Вас на том путу."
    )


def test_a_belated_company_anniversary_without_a_company_name() -> None:
    out = letter(
        client("sr", company=""), "company_anniversary", years=3, sent=date(2027, 2, 17), belated=True
    )
    assert out.subject == "Са закашњењем, али од срца честитамо 3. годишњицу Ваше компаније!"
    assert out.html is not None and "3. годишњица Ваше компаније!</h1>" in out.html
    assert paragraphs(out)[1:3] == [
        "Молимо Вас да примите наше срдачне, иако закаснеле, честитке поводом треће годишњице Ваше "
        "компаније (15. фебруара)!",
        "Желимо Вама и Вашој компанији стабилан раст, поуздане партнере, занимљиве пројекте и нова "
        "достигнућа. Ценимо нашу сарадњу и драго нам је што смо уз Вас на том путу.",
    ]


def test_a_leap_day_company_anniversary_is_not_dated() -> None:
    hit = Hit(
        client("sr"), "company_anniversary", date(2027, 2, 28), 4, 80, "company_anniversary", moved=True
    )
    at = datetime(2027, 2, 26, 11, 0, tzinfo=BELGRADE)
    renderer = Renderer(TEMPLATES, SENDER, default_country="RS")
    out = renderer.render(PlanItem(hit=hit, status="send", send_at=at))
    assert paragraphs(out)[1].startswith("Поводом четврте годишњице компаније „Дунав“ д.о.о. упућујемо")


@pytest.mark.parametrize(
    ("also_days", "line"),
    [
        ((date(2027, 1, 7),), "Такође Вам унапред честитамо Божић!"),  # a New Year letter of 29.12
        ((date(2026, 12, 29),), "Такође Вам честитамо Божић!"),  # its own day
        ((date(2026, 12, 20),), "Са закашњењем Вам честитамо и Божић!"),
    ],
)
def test_an_occasion_still_ahead_is_congratulated_in_advance(also_days: tuple[date, ...], line: str) -> None:
    """«Takođe Vam čestitamo Božić!» on 29 December for 7 January read as if it were that day."""
    marko = client("sr")
    also = tuple(Hit(marko, "christmas", day, None, 30, "holiday") for day in also_days)
    out = letter(marko, "new_year", day=date(2026, 12, 29), also=also)
    assert line in out.text, out.text


def test_a_merged_company_anniversary_names_the_others() -> None:
    marko = client("sr")
    also = (
        Hit(marko, "defender_day", date(2027, 2, 23), None, 30, "holiday"),
        Hit(marko, "birthday", date(2027, 2, 10), 40, 100, "birthday"),
    )
    out = letter(marko, "company_anniversary", years=1, also=also)
    assert (
        paragraphs(out)[3]
        == "Такође Вам унапред честитамо Дан бранилаца отаџбине, а са закашњењем и рођендан!"
    )


# --------------------------------------------------------------------------- holidays


@pytest.mark.parametrize(
    ("occasion", "subject", "heading", "wish"),
    [
        ("womens_day", "Честитамо Међународни дан жена!", "Срећан 8. март!",
         "Желимо Вам пролећно расположење, топлину, инспирацију и радост сваког дана, а компанији „Дунав“ д.о.о. просперитет и нове успехе. Хвала Вам на поверењу и на заједничком раду."),
        ("defender_day", "Честитамо Дан бранилаца отаџбине!", "Срећан Дан бранилаца отаџбине!",
         "Желимо Вам чврсто здравље, самопоуздање и поуздане партнере, а компанији „Дунав“ д.о.о. нове победе. Хвала Вам на поверењу и на заједничком раду."),
        ("christmas", "Честитамо Божић!", "Срећан Божић!",
         "Желимо Вама и Вашим најмилијима мир, здравље и радост, а компанији „Дунав“ д.о.о. успешну годину која долази. Хвала Вам на поверењу и на заједничком раду."),
        ("rs_statehood", "Честитамо Дан државности!", "Срећан празник!",
         "Желимо Вам леп празник, благостање и успех у свему што радите, а компанији „Дунав“ д.о.о. просперитет. Хвала Вам на поверењу и на заједничком раду."),
    ],
)  # fmt: skip
def test_each_holiday_is_a_serbian_letter(occasion: str, subject: str, heading: str, wish: str) -> None:
    out = letter(client("sr"), "holiday", occasion, day=date(2027, 3, 8))
    assert out.template_file == "holiday.sr.j2"
    assert out.subject == subject
    assert out.html is not None and f">{heading}</h1>" in out.html
    what = subject.removeprefix("Честитамо ").removesuffix("!")
    assert paragraphs(out)[1] == f"Примите најтоплије честитке за {what} од свих нас!"
    assert paragraphs(out)[2] == wish


@pytest.mark.parametrize(
    ("occasion", "cyrillic", "latin"),
    [
        ("slava", "Честитамо Крсну славу!", "Čestitamo Krsnu slavu!"),
        ("sr_new_year", "Честитамо Српску нову годину!", "Čestitamo Srpsku novu godinu!"),
        ("nikoljdan", "Честитамо Славу Светог Николе!", "Čestitamo Slavu Svetog Nikole!"),
        ("sretenje", "Честитамо Сретење!", "Čestitamo Sretenje!"),
    ],
)
def test_a_feminine_holiday_title_is_congratulated_in_the_accusative(
    occasion: str, cyrillic: str, latin: str
) -> None:
    """«Čestitamo praznik „Krsna slava“» read as a form; Serbs say «Čestitamo krsnu slavu»."""
    out = letter(client("sr"), "holiday", occasion, day=date(2027, 3, 8))
    assert out.subject == cyrillic
    assert paragraphs(out)[1].startswith(f"Примите најтоплије честитке за {cyrillic[10:-1]} од")
    assert letter(client("sr_Latn"), "holiday", occasion, day=date(2027, 3, 8)).subject == latin


def test_a_holiday_letter_early_belated_and_in_latin() -> None:
    early = letter(
        client("sr", company=""), "holiday", "womens_day", day=date(2027, 3, 8), sent=date(2027, 3, 5)
    )
    assert paragraphs(early)[1] == ("Унапред Вам срдачно честитамо Међународни дан жена у име свих нас!")
    assert paragraphs(early)[2].startswith(
        "Желимо Вам пролећно расположење, топлину, инспирацију и радост сваког дана."
    )
    late = letter(
        client("sr_Latn"),
        "holiday",
        "defender_day",
        day=date(2027, 2, 23),
        sent=date(2027, 2, 25),
        belated=True,
    )
    assert late.subject == "Sa zakašnjenjem, ali od srca čestitamo Dan branilaca otadžbine!"
    assert (
        paragraphs(late)[1]
        == "Molimo Vas da primite naše srdačne, iako zakasnele, čestitke za Dan branilaca otadžbine!"
    )
    assert "a kompaniji „Dunav“ d.o.o. nove pobede." in paragraphs(late)[2]


# --------------------------------------------------------------------------- wording


def test_the_belated_birthday_and_the_new_year_are_worded_formally() -> None:
    late = letter(
        client("sr"), "birthday", day=date(2027, 2, 10), years=40, sent=date(2027, 2, 12), belated=True
    )
    assert late.subject == "Са закашњењем, али од срца честитамо рођендан!"
    assert paragraphs(late)[1] == "Молимо Вас да примите наше срдачне, иако закаснеле, честитке за рођендан!"
    new_year = letter(client("sr"), "new_year", day=date(2026, 12, 29))
    assert paragraphs(new_year)[1] == "У име свих нас желимо Вам срећну Нову 2027. годину!"
    assert "Нека Вам 2027. година донесе нове успехе" in paragraphs(new_year)[2]


# --------------------------------------------------------------------------- the CLI


def test_preview_shows_the_latin_client_a_latin_letter(make_project: MakeProject) -> None:
    """The proof-reader's command: ``greeter preview --contact 2007 --format json``."""
    row = contact_row("2007", "c2007@example.com", last="Nikolić", first="Marko", patronymic="", birthday="02.01.1970", tz="Europe/Belgrade", tier="VIP", country="RS")  # fmt: skip
    row = row.replace(";ООО «Тест»;", ";Дунав д.о.о.;").replace(";ru;", ";sr_Latn;")
    fields = row.split(";")
    fields[10] = "8mar"  # greeted on Women's Day
    fields[12] = "15.02.2022"  # founded: the 5th anniversary (round_years: 5) in the window
    config = make_project([";".join(fields)])
    done = greeter(
        config, "preview", "--from", "2026-12-03", "--days", "400", "--contact", "2007", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    letters = {r["occasion"]: r for r in json.loads(done.stdout) if r["status"] == "send"}
    anniversary = letters["company_anniversary"]
    assert anniversary["template_file"] == "company_anniversary.sr.j2"
    assert anniversary["subject"] == "Čestitamo 5. godišnjicu kompanije „Dunav“ d.o.o.!"
    assert (
        "Povodom pete godišnjice kompanije „Dunav“ d.o.o. (15. februara) upućujemo Vama"
        in anniversary["text"]
    )
    assert letters["womens_day"]["template_file"] == "holiday.sr.j2"
    assert letters["womens_day"]["subject"] == "Čestitamo Međunarodni dan žena!"
    for record in letters.values():
        for part in ("subject", "text", "html"):
            assert not re.search("[\u0400-\u04ff]", record[part]), (record["occasion"], part)


# --------------------------------------------------------------------------- check


def with_company_day(
    make_project: MakeProject, rows: list[str], title_by_locale: dict[str, str] | None = None
) -> Path:
    """The example project with the company's own day (title «День компании») greeted by holiday letters."""
    occasions = YAML().load((ROOT / "config.example.yaml").read_text(encoding="utf-8"))["occasions"]
    day: dict[str, Any] = {
        "name": "company_day",
        "title": "День компании",
        "date": "12-18",
        "template": "holiday",
        "priority": 40,
    }
    if title_by_locale:
        day["title_by_locale"] = title_by_locale
    return make_project(rows, occasions=[*occasions, day])


def serbian_row(cid: str, locale: str) -> str:
    return contact_row(cid, f"{cid}@example.com", first="Милан", last="Јовановић", patronymic="", birthday="07.05.1960", tz="Europe/Belgrade", country="RS").replace(";ru;", f";{locale};")  # fmt: skip


def title_warnings(config: Path) -> list[str]:
    return [
        p.message for p in run_check(config, "2026-12-01T09:00").problems if ".title_by_locale" in p.field
    ]


def test_check_warns_of_a_russian_title_in_serbian_letters(make_project: MakeProject) -> None:
    """«празник „День компании“» in a Serbian letter: Cyrillic in Cyrillic, and check said OK."""
    rows = [serbian_row("s1", "sr"), serbian_row("s2", "sr_Latn"), serbian_row("r1", "ru")]
    config = with_company_day(make_project, rows)
    assert title_warnings(config) == [
        "2 contact(s) get letters in 'sr' that name company_day 'День компании', written in 'ru' as the "
        "default letters are (defaults.locale): add title_by_locale.sr (a Serbian Latin letter shows it "
        "in Cyrillic, as written: a title in another language has no Serbian Latin spelling)"
    ]
    fixed = with_company_day(make_project, rows, {"sr": "Дан компаније"})
    assert title_warnings(fixed) == []


def signature_warnings(config: Path) -> list[str]:
    return [p.message for p in run_check(config, "2026-12-01T09:00").problems if "signed with" in p.message]


def without_by_locale(config: Path, name: str) -> Path:
    """The project signed ``name``, with no ``sender.by_locale``: every letter signs with the sender's own."""
    yaml = YAML()
    data = yaml.load(config.read_text(encoding="utf-8"))
    data["sender"]["name"] = name
    del data["sender"]["by_locale"]
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return config


def test_check_judges_the_signature_latin_serbian_letters_show(make_project: MakeProject) -> None:
    """A Latin Serbian letter signs «ООО «Ромашка»» as "OOO «Romaška»": no slip; «Юность» stays Cyrillic."""
    rows = [serbian_row("s2", "sr_Latn"), serbian_row("r1", "ru")]
    assert signature_warnings(without_by_locale(make_project(rows), "ООО «Ромашка»")) == []
    assert signature_warnings(without_by_locale(make_project(rows), "ООО «Юность»")) == [
        "1 contact(s) get letters in 'sr' (written in Latin) signed with sender.name 'ООО «Юность»': "
        "add sender.by_locale.sr with the name and company as these letters should say them"
    ]
