"""A copy editor's reading of the shipped letters, in every language: what a native would not write.

Found by a native-speaker copy editor reading the letters of a scratch project:

* a belated holiday letter («nachträglich …», «иако закаснеле», «Ha kis késéssel is»,
  «hilinenud») still closed by wishing a pleasant holiday that was over («einen schönen
  Feiertag», «леп празник», «Kellemes ünnepet», «meeldivat pühadeaega»);
* the line naming merged occasions repeated its timing word («vorab zu Weihnachten, zum neuen
  Jahr und vorab zum ersten Jubiläum», «a közelgő karácsony és a közelgő újév», «с
  наступающим Новым годом и с наступающим Рождеством») or let it reach over an occasion it
  does not belong to («nachträglich zu Weihnachten und zum neuen Jahr» on 31 December reads
  as a belated New Year);
* a holiday with its own title in the letter's language was quoted behind a generic noun
  («Čestitamo praznik „Dan državnosti“», «zum Feiertag „Tag der Deutschen Einheit“»), and
  Serbian said «(са закашњењем)» in parentheses.

The letters are rendered as sent — :class:`greeter.render.Renderer` over the shipped
``templates/`` — and read as text: the HTML part is built from the same message block
(``_layout.html.j2``), which ``test_the_html_part_says_the_same`` checks for these lines.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from greeter.config import Occasion, Sender
from greeter.contacts import Contact, Gender
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.render import Renderer
from tests.test_render import TEMPLATES, person

LATIN = {"name": "Romashka LLC", "company": "Romashka LLC"}
SENDER = Sender(
    name="ООО «Ромашка»",
    email="greetings@romashka.example",
    company="ООО «Ромашка»",
    signature="С уважением,\nОльга Смирнова\n",
    by_locale={lang: LATIN for lang in ("en", "sr", "hu", "et", "de")},
)

#: A config's own holiday, no words of its own in any template: each letter names it by its title.
NATIONAL = Occasion(
    name="national_day",
    template="holiday",
    date="10-03",
    title="День единства",
    title_by_locale={
        "en": "Unity Day",
        "sr": "Дан јединства",
        "hu": "Nemzeti ünnep",
        "et": "Ühtsuse päev",
        "de": "Tag der Deutschen Einheit",
    },
)
CHRISTMAS = Occasion(name="christmas", template="holiday", date="12-25", title="Рождество")

CLIENTS: dict[str, Contact] = {
    "ru": person("r", "Иван", "Петрович", "Иванов", company="ООО «Вектор»", gender=Gender.MALE),
    "en": person("e", "John", "", "Smith", company="Acme Ltd", locale="en", gender=Gender.MALE),
    "sr": person("s", "Марко", "", "Николић", company="Дунав д.о.о.", locale="sr", gender=Gender.MALE),
    "hu": person("h", "Péter", "", "Nagy", company="Duna Kft.", locale="hu", gender=Gender.MALE),
    "et": person("t", "Jaan", "", "Tamm", company="OÜ Päike", locale="et", gender=Gender.MALE),
    "de": person("d", "Jörg", "", "Müller", company="Schulz GmbH", locale="de", gender=Gender.MALE),
}
ZONE = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def shipped() -> Renderer:
    titles = {o.name: o.title for o in (NATIONAL, CHRISTMAS) if o.title}
    return Renderer(TEMPLATES, SENDER, "ru", titles, localized=[NATIONAL], default_country="DE")


def letter(
    renderer: Renderer,
    lang: str,
    template: str,
    occasion: str,
    day: date,
    *,
    sent: date | None = None,
    belated: bool = False,
    also: tuple[tuple[str, date, int | None], ...] = (),
) -> Rendered:
    """The ``lang`` client's letter for ``occasion`` on ``day``, leaving on ``sent``, with ``also`` merged."""
    contact = CLIENTS[lang]
    hits = tuple(Hit(contact, name, when, years, 50, name) for name, when, years in also)
    hit = Hit(contact, occasion, day, None, 100, template)
    at = datetime.combine(sent or day, time(11), ZONE)
    return renderer.render(PlanItem(hit=hit, status="send", send_at=at, also=hits, belated=belated))


def message(out: Rendered) -> str:
    """The text part's message: between the salutation and the closing."""
    return "\n\n".join(out.text.split("\n\n")[1:-1])


# --------------------------------------------------------------------------- belated holidays

#: What wishes a pleasant holiday in each language's holiday letter (the closing wish).
PLEASANT_HOLIDAY = {
    "ru": re.compile(r"хорошего праздника"),
    "en": re.compile(r"wonderful holiday"),
    "sr": re.compile(r"леп празник"),
    "hu": re.compile(r"[Kk]ellemes ünnep|meghitt ünnep"),
    "et": re.compile(r"pühadeaeg|pidupäeva"),
    "de": re.compile(r"schönen Feiertag|schöne Feiertage"),
}
#: How the belated letter says it is late (so the test reads the belated wording, not another).
LATE = {
    "ru": "с небольшим опозданием",
    "en": "belated",
    "sr": "закаснеле",
    "hu": "késéssel",
    "et": "hilinenud",
    "de": "nachträglich",
}


@pytest.mark.parametrize("occasion", ["national_day", "christmas"])
@pytest.mark.parametrize("lang", list(PLEASANT_HOLIDAY))
def test_a_belated_holiday_letter_wishes_no_pleasant_holiday(
    shipped: Renderer, lang: str, occasion: str
) -> None:
    """Two days after the holiday the letter says it is late and wishes what is still ahead."""
    day = date(2027, 10, 3) if occasion == "national_day" else date(2026, 12, 25)
    late = letter(
        shipped, lang, "holiday", occasion, day, sent=date(day.year, day.month, day.day + 2), belated=True
    )
    assert LATE[lang] in message(late)
    assert not PLEASANT_HOLIDAY[lang].search(late.subject + "\n" + message(late)), message(late)


@pytest.mark.parametrize("lang", [lang for lang in PLEASANT_HOLIDAY if lang not in ("sr",)])
def test_an_on_time_holiday_letter_still_wishes_a_pleasant_holiday(shipped: Renderer, lang: str) -> None:
    """On its day the closing wish is the holiday's (Serbian Christmas has its own wish: not read here)."""
    on_time = letter(shipped, lang, "holiday", "national_day", date(2027, 10, 4), sent=date(2027, 10, 4))
    assert PLEASANT_HOLIDAY[lang].search(message(on_time)), message(on_time)


def test_an_estonian_national_day_is_not_a_holiday_season(shipped: Renderer) -> None:
    """«Pühadeaeg» is the Christmas season: a single national day is a «pidupäev»."""
    day = letter(shipped, "et", "holiday", "national_day", date(2027, 10, 4))
    assert "ilusat pidupäeva" in message(day) and "pühadeaeg" not in message(day)
    christmas = letter(shipped, "et", "holiday", "christmas", date(2026, 12, 25))
    assert "meeldivat pühadeaega" in message(christmas)


# --------------------------------------------------------------------------- the merged line


@dataclass(frozen=True)
class Merged:
    """A merged line read in one language: `word` said once, right before `attached`, never `wrong`."""

    lang: str
    scenario: str
    word: str
    attached: str
    wrong: tuple[str, ...] = ()


#: 31.12: a birthday letter with Christmas just past and the New Year (neither past nor ahead in
#: German, Estonian, English; ahead in a December letter in Russian and Hungarian).
#: 24.12: Christmas and the company's first anniversary ahead, and the New Year.
SCENARIOS: dict[str, tuple[date, tuple[tuple[str, date, int | None], ...]]] = {
    "31.12": (
        date(2026, 12, 31),
        (("christmas", date(2026, 12, 25), None), ("new_year", date(2026, 12, 29), None)),
    ),
    "24.12": (
        date(2026, 12, 24),
        (
            ("christmas", date(2026, 12, 25), None),
            ("new_year", date(2026, 12, 29), None),
            ("company_anniversary", date(2026, 12, 27), 1),
        ),
    ),
    "two past": (
        date(2027, 1, 12),
        (("christmas", date(2027, 1, 7), None), ("company_anniversary", date(2027, 1, 10), 3)),
    ),
}
MERGED = [
    # German: an adverb reaches over every «zu …» after it, so the untimed New Year comes first.
    Merged(
        "de",
        "31.12",
        "nachträglich",
        "nachträglich zu Weihnachten",
        ("nachträglich zu Weihnachten und zum neuen",),
    ),
    Merged(
        "de",
        "24.12",
        "vorab",
        "vorab zu Weihnachten und zum ersten Jubiläum",
        ("vorab zu Weihnachten, zum neuen",),
    ),
    Merged("de", "two past", "nachträglich", "nachträglich zu Weihnachten und zum 3. Jubiläum"),
    Merged("hu", "31.12", "nemrég elmúlt", "a nemrég elmúlt karácsony"),
    Merged("hu", "24.12", "közelgő", "a közelgő karácsony, újév és cége", ("a közelgő újév",)),
    Merged("hu", "two past", "nemrég elmúlt", "a nemrég elmúlt karácsony és cége"),
    Merged("ru", "31.12", "прошедш", "с прошедшим Рождеством"),
    Merged("ru", "24.12", "наступающ", "с наступающими Рождеством, Новым годом и первой годовщиной"),
    Merged("ru", "two past", "прошедш", "с прошедшими Рождеством и 3-летием Вашей компании"),
    Merged("et", "31.12", "möödunud", "möödunud jõulude", ("möödunud jõulude ja uue aasta",)),
    Merged(
        "et",
        "24.12",
        "eelseisv",
        "eelseisvate jõulude ja Teie ettevõtte 1. aastapäeva",
        ("eelseisvate jõulude ja uue aasta",),
    ),
    Merged("et", "two past", "möödunud", "möödunud jõulude ja Teie ettevõtte 3. aastapäeva"),
    Merged("sr", "31.12", "закашњењем", "а са закашњењем и Божић", ("(са закашњењем)",)),
    Merged(
        "sr",
        "two past",
        "закашњењем",
        "Са закашњењем Вам честитамо и Божић и трећу годишњицу Ваше компаније!",  # its number, as hu/et/de
        ("(са закашњењем)",),
    ),
    Merged("en", "31.12", "belated", "a belated merry Christmas"),
    Merged(
        "en", "two past", "belated", "a belated merry Christmas and happy 3rd anniversary of your company"
    ),
]
LEAD = {
    "de": "Außerdem ",
    "hu": "Egyúttal ",
    "ru": "Пользуясь случаем",
    "et": "Ühtlasi ",
    "sr": "Такође Вам",
    "en": "We would also like",
}


def merged_line(out: Rendered, lang: str) -> str:
    """The paragraph naming the merged occasions."""
    lines = [p for p in message(out).split("\n\n") if p.startswith(LEAD[lang]) or "акашњењем Вам" in p]
    assert len(lines) == 1, message(out)
    return lines[0]


@pytest.mark.parametrize("case", MERGED, ids=lambda c: f"{c.lang}-{c.scenario}")
def test_the_merged_line_says_each_timing_word_once_and_before_its_own_occasions(
    shipped: Renderer, case: Merged
) -> None:
    day, also = SCENARIOS[case.scenario]
    out = letter(shipped, case.lang, "birthday", "birthday", day, also=also)
    line = merged_line(out, case.lang)
    assert line.lower().count(case.word.lower()) == 1, line
    assert case.attached in line, line
    for wrong in case.wrong:
        assert wrong not in line, line


def test_a_german_new_year_is_not_wished_belatedly(shipped: Renderer) -> None:
    """The copy editor's 31 December letter: the New Year stands before «nachträglich», out of its reach."""
    day, also = SCENARIOS["31.12"]
    line = merged_line(letter(shipped, "de", "birthday", "birthday", day, also=also), "de")
    assert line.index("zum neuen Jahr") < line.index("nachträglich")


# --------------------------------------------------------------------------- titles


#: (language, the title as natives write it in the letter, the generic noun it must not hide behind)
TITLED = [
    ("de", "zum Tag der Deutschen Einheit", "Feiertag „"),
    ("sr", "Честитамо Дан јединства", "празник „"),
    ("et", "Ühtsuse päeva puhul", "püha „"),
    ("hu", "a nemzeti ünnep alkalmából", "ünnep „"),  # lower case, as Hungarian writes holidays
    ("en", "Happy Unity Day", "Happy holiday"),
    ("ru", "с Днём единства", "праздником «"),
]


@pytest.mark.parametrize(("lang", "named", "generic"), TITLED)
def test_a_titled_holiday_is_named_by_its_title(
    shipped: Renderer, lang: str, named: str, generic: str
) -> None:
    """In its own letter and merged into another, early and late."""
    day = date(2027, 10, 4)  # a Monday: no day-off shift
    own = letter(shipped, lang, "holiday", "national_day", day)
    early = letter(shipped, lang, "holiday", "national_day", day, sent=date(2027, 10, 1))
    late = letter(shipped, lang, "holiday", "national_day", day, sent=date(2027, 10, 6), belated=True)
    merged = letter(
        shipped, lang, "birthday", "birthday", date(2027, 10, 1), also=(("national_day", day, None),)
    )
    for out in (own, early, late):
        assert generic not in out.subject + message(out), out.subject + "\n" + message(out)
    assert named in own.subject + "\n" + message(own), message(own)
    assert generic not in merged_line(merged, lang)


def test_an_untitled_language_keeps_the_generic_noun() -> None:
    """Without a German title the Russian one is not German: quoted behind «Feiertag», as before."""
    bare = Occasion(name="national_day", template="holiday", date="10-03", title="День единства")
    renderer = Renderer(TEMPLATES, SENDER, "ru", {"national_day": "День единства"}, default_country="DE")
    out = letter(renderer, "de", "holiday", "national_day", date(2027, 10, 4))
    assert bare.title_in("de") == "День единства"
    assert out.subject == "Alles Gute zum Feiertag „День единства“!"


@pytest.mark.parametrize(
    ("template", "occasion", "subject"),
    [
        ("holiday", "national_day", "Са закашњењем, али од срца честитамо Дан јединства!"),
        ("birthday", "birthday", "Са закашњењем, али од срца честитамо рођендан!"),
    ],
)
def test_a_belated_serbian_letter_says_so_in_words(
    shipped: Renderer, template: str, occasion: str, subject: str
) -> None:
    day = date(2027, 10, 4)
    late = letter(shipped, "sr", template, occasion, day, sent=date(2027, 10, 6), belated=True)
    assert late.subject == subject
    assert "(са закашњењем)" not in late.text


@pytest.mark.parametrize("lang", list(LEAD))
def test_the_html_part_says_the_same(shipped: Renderer, lang: str) -> None:
    """The merged line and the belated wish read the same in the HTML part (one message block, escaped)."""
    day, also = SCENARIOS["24.12"]
    out = letter(shipped, lang, "birthday", "birthday", day, also=also)
    assert out.html is not None
    assert html.escape(merged_line(out, lang), quote=False) in out.html
