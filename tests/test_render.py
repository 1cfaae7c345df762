"""Rendering: the shipped letters, locale fallback, strictness, escaping and the sandbox.

Content tests use the real ``templates/`` directory; error cases write small
real template files into ``tmp_path``.
"""

from __future__ import annotations

import functools
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from jinja2 import FileSystemLoader

from greeter.config import Sender
from greeter.contacts import Contact, Gender
from greeter.errors import TemplateError
from greeter.i18n_script import names_in_script
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.render import Renderer
from greeter.template_snapshot import SnapshotLoader as _SnapshotLoader

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

#: The text part's last paragraph: the HTML footer's contact line (templates/_brand.j2), the address
#: alone: SENDER's signature names the company already (the name once at the end).
FOOTER = "greetings@romashka.example"

SENDER = Sender(
    name="ООО «Ромашка»",
    email="greetings@romashka.example",
    company="ООО «Ромашка»",
    signature="С уважением,\nОльга Смирнова, отдел по работе с клиентами\nООО «Ромашка», +7 495 000-00-00\n",
)


def person(
    cid: str,
    first: str = "",
    patronymic: str = "",
    last: str = "",
    *,
    company: str = "",
    locale: str | None = None,
    gender: Gender | None = None,
    extra: dict[str, str] | None = None,
) -> Contact:
    return Contact(
        id=cid,
        email=f"{cid}@example.com",
        first_name=first,
        patronymic=patronymic,
        last_name=last,
        company=company,
        locale=locale,
        gender=gender,
        extra=extra or {},
    )


def item(
    contact: Contact,
    template: str = "birthday",
    *,
    occasion: str | None = None,
    day: date = date(2026, 12, 15),
    years: int | None = 15,
    belated: bool = False,
    also: tuple[Hit, ...] = (),
    send_at: datetime | None = None,
) -> PlanItem:
    hit = Hit(contact, occasion or template, day, years, 100, template)
    return PlanItem(hit=hit, status="send", send_at=send_at, also=also, belated=belated)


@pytest.fixture(scope="module")
def shipped() -> Renderer:
    return Renderer(TEMPLATES, SENDER)


def write(directory: Path, files: dict[str, str]) -> Renderer:
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return Renderer(directory, SENDER)


SIMPLE = "{% block subject %}S{% endblock %}{% block text %}T{% endblock %}"


# --------------------------------------------------------------------------- shipped letters

MALE = person("m", "Иван", "Петрович", "Сидоров", company="Рога и Копыта")
FEMALE = person("f", "Анна", "Ильинична", "Кузнецова", company="ООО «Ромашка Плюс»")
NO_PATRONYMIC = person("n", "Иван", "", "Сидоров")
TURKIC = person("t", "Гусейн", "Рашид оглы", "Алиев", company="Каспий")
TURKIC_F = person("tf", "Айгюль", "Лутфияр кызы", "Мамедова")
ENGLISH = person("e", "John", "", "Smith", company="Acme Ltd", locale="en")

#: contact → (salutation line of the text part, dative caption of the HTML card or None)
ADDRESSING: dict[str, tuple[Contact, str, str | None]] = {
    "male": (MALE, "Уважаемый Иван Петрович!", "Ивану Петровичу Сидорову"),
    "female": (FEMALE, "Уважаемая Анна Ильинична!", "Анне Ильиничне Кузнецовой"),
    "no_patronymic": (NO_PATRONYMIC, "Здравствуйте, Иван!", "Ивану Сидорову"),
    "turkic": (TURKIC, "Уважаемый Гусейн Рашид оглы!", "Гусейну Рашид оглы Алиеву"),
    "turkic_f": (TURKIC_F, "Уважаемая Айгюль Лутфияр кызы!", "Айгюли Лутфияр кызы Мамедовой"),
    "english": (ENGLISH, "Dear John,", None),
}

#: template → occasion name the example config uses for it
OCCASIONS = {
    "birthday": "birthday",
    "company_anniversary": "company_anniversary",
    "first_deal": "first_deal_anniversary",
    "new_year": "new_year",
    "holiday": "womens_day",
}

#: (template, language, years) → words with the right plural that must appear in the text
PLURALS: dict[tuple[str, str], dict[int, str]] = {
    ("company_anniversary", "ru"): {1: " 1 год.", 3: " 3 года.", 15: " 15 лет.", 21: " 21 год."},
    ("company_anniversary", "en"): {
        1: "its 1st anniversary.",
        3: "its 3rd anniversary.",
        15: "its 15th anniversary.",
        21: "its 21st anniversary.",
    },
    ("first_deal", "ru"): {1: " год со дня", 3: " 3 года со дня", 15: " 15 лет со дня", 21: " 21 год со дня"},
    ("first_deal", "en"): {1: "a year since", 3: "3 years since", 15: "15 years since", 21: "21 years since"},
}
#: …and in the subject
SUBJECT_PLURALS: dict[tuple[str, str], dict[int, str]] = {
    ("company_anniversary", "ru"): {
        1: "с первой годовщиной ",
        3: "с 3-летием ",
        15: "с 15-летием ",
        21: "с 21-летием ",
    },
    ("first_deal", "ru"): {
        1: "спасибо за год сотрудничества",
        3: "спасибо за 3 года сотрудничества",
        15: "спасибо за 15 лет сотрудничества",
        21: "спасибо за 21 год сотрудничества",
    },
    ("first_deal", "en"): {
        1: "thank you for a year of partnership",
        3: "thank you for 3 years of partnership",
        15: "thank you for 15 years of partnership",
        21: "thank you for 21 years of partnership",
    },
}


class _TagBalance(HTMLParser):
    VOID = frozenset({"meta", "br", "img", "hr", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def assert_email_safe_html(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert "max-width:600px" in html
    assert 'role="presentation"' in html
    # no external resources and nothing that email clients strip or block
    for forbidden in ("<link", "<script", "<img", "src=", "url(", "http://", "https://", "@import"):
        assert forbidden not in html
    # The one <style> is in <head> and only says the colour schemes and the dark palette's colours:
    # everything else is inline, so a client that drops it shows the light letter as it was.
    head, _, body = html.partition("</head>")
    assert "<style" not in body
    for sheet in re.findall(r"<style>(.*?)</style>", head, re.S):
        properties = set(re.findall(r"([\w-]+)\s*:\s*[^;{}]+;", sheet))
        assert properties <= {
            "color",
            "background-color",
            "border-color",
            "color-scheme",
            "supported-color-schemes",
        }
    parser = _TagBalance()
    parser.feed(html)
    assert parser.errors == [] and parser.stack == []


@pytest.mark.parametrize("template", list(OCCASIONS))
@pytest.mark.parametrize("who", list(ADDRESSING))
@pytest.mark.parametrize("years", [1, 3, 15, 21])
@pytest.mark.parametrize("belated", [False, True], ids=["on_time", "belated"])
@pytest.mark.parametrize("merged", [False, True], ids=["alone", "merged"])
def test_every_shipped_letter(
    shipped: Renderer, template: str, who: str, years: int, belated: bool, merged: bool
) -> None:
    contact, greeting, caption = ADDRESSING[who]
    lang = "en" if contact.locale == "en" else "ru"
    day = date(2026, 12, 29) if template == "new_year" else date(2026, 12, 15)
    if template == "new_year":
        also = (Hit(contact, "birthday", date(2026, 12, 20), 40, 100, "birthday"),)
        also_words = {
            "ru": "Пользуясь случаем, поздравляем Вас и с прошедшим днём рождения!",
            "en": "We would also like to wish you a belated happy birthday!",
        }[lang]
    else:
        also = (Hit(contact, "new_year", date(2026, 12, 29), None, 60, "new_year"),)
        also_words = {
            "ru": "Пользуясь случаем, поздравляем Вас и с наступающим Новым годом!",
            "en": "We would also like to wish you a happy New Year!",
        }[lang]

    # A belated New Year letter is one held up past the holidays (in December the New Year is
    # still ahead, and the letter is not late for it): it leaves in January.
    late = datetime(2027, 1, 11, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    out = shipped.render(
        item(
            contact,
            template,
            occasion=OCCASIONS[template],
            day=day,
            years=years,
            belated=belated,
            also=also if merged else (),
            send_at=late if belated and template == "new_year" else None,
        )
    )

    assert out.template_file == (f"{template}.en.j2" if lang == "en" else f"{template}.j2")
    # subject: one line, addressed by name
    assert out.subject and "\n" not in out.subject and out.subject == out.subject.strip()
    assert ("John" if lang == "en" else f"{contact.first_name} {contact.patronymic}".strip()) in out.subject
    # text: the exact salutation opens it, the signature closes it, paragraphs stay
    assert out.text.startswith(greeting + "\n\n")
    signature = "С уважением,\nОльга Смирнова" if lang == "ru" else "Kind regards,\nООО «Ромашка»"
    assert signature in out.text
    assert "\n\n\n" not in out.text and all(line == line.rstrip() for line in out.text.splitlines())
    paragraphs = out.text.split("\n\n")  # salutation, two paragraphs, [merged], signature, footer
    assert len(paragraphs) == 5 + merged
    assert paragraphs[-1] == FOOTER  # the HTML footer's contact line (_brand.j2), in the text part too
    assert not any("\n" in p for p in paragraphs[:-2])  # no stray line breaks from template tags
    assert "None" not in out.text
    # belated wording only when belated
    belated_words = "Примите, пусть и с небольшим опозданием" if lang == "ru" else "Please accept our belated"
    assert (belated_words in out.text) is belated
    # merged occasions only when merged
    assert (also_words in out.text) is merged
    # years with correct plurals
    if (template, lang) in PLURALS:
        assert PLURALS[template, lang][years] in out.text
    if (template, lang) in SUBJECT_PLURALS:
        assert SUBJECT_PLURALS[template, lang][years] in out.subject
    # HTML: same salutation, declined name on the card, safe markup
    assert out.html is not None
    assert f">{greeting}</p>" in out.html
    if caption is not None:
        assert f">{caption}</td>" in out.html
    assert_email_safe_html(out.html)


@pytest.mark.parametrize(
    ("occasion", "subject", "words"),
    [
        ("womens_day", "Анна Ильинична, с Международным женским днём!", "весеннего настроения"),
        ("defender_day", "Анна Ильинична, с Днём защитника Отечества!", "уверенности в своих силах"),
        ("founders_day", "Анна Ильинична, с праздником!", "хорошего праздника"),  # neutral fallback
    ],
)
def test_holiday_is_worded_by_occasion_name(
    shipped: Renderer, occasion: str, subject: str, words: str
) -> None:
    out = shipped.render(item(FEMALE, "holiday", occasion=occasion, years=None))
    assert out.subject == subject
    assert words in out.text


def test_holiday_english_fallback_and_belated(shipped: Renderer) -> None:
    out = shipped.render(item(ENGLISH, "holiday", occasion="womens_day", years=None, belated=True))
    assert out.subject == "Happy belated International Women's Day, John!"
    out = shipped.render(item(ENGLISH, "holiday", occasion="founders_day", years=None))
    assert out.subject == "Happy holiday, John!"


def test_birthday_never_prints_the_age_and_says_jubilee_from_50(shipped: Renderer) -> None:
    for years in (40, 45):
        out = shipped.render(item(FEMALE, years=years))
        assert str(years) not in out.text + out.subject
        assert "с днём рождения" in out.subject
    out = shipped.render(item(FEMALE, years=50))
    assert out.subject == "Анна Ильинична, с юбилеем!"
    assert "50" not in out.text


@pytest.mark.parametrize(
    ("contact", "leaves", "subject", "line"),
    [
        (
            MALE,
            date(2026, 12, 30),
            "Иван Петрович, с наступающим днём рождения!",
            "7 января — Ваш праздник, и мы спешим заранее",
        ),
        (
            MALE,
            date(2027, 1, 7),
            "Иван Петрович, с днём рождения!",
            "Примите наши самые тёплые поздравления с днём рождения!",
        ),
        (
            ENGLISH,
            date(2026, 12, 30),
            "Early birthday wishes, John!",
            "Your birthday is coming up on January 7",
        ),
        (ENGLISH, date(2027, 1, 7), "Happy birthday, John!", "Warmest birthday wishes"),
    ],
)
def test_a_birthday_greeted_before_its_day_says_so(
    shipped: Renderer, contact: Contact, leaves: date, subject: str, line: str
) -> None:
    """A 7 January birthday greeted on 30 December (New Year holidays) is "наступающий", not today's."""
    moscow = ZoneInfo("Europe/Moscow")
    at = datetime.combine(leaves, time(10, 30), moscow)
    out = shipped.render(item(contact, day=date(2027, 1, 7), years=46, send_at=at))
    assert out.subject == subject
    assert line in out.text


def test_merged_occasions_are_past_or_ahead_of_the_day_the_letter_leaves(shipped: Renderer) -> None:
    """Sent on 30 December for a 7 January birthday, a 5 January anniversary is still ahead."""
    at = datetime(2026, 12, 30, 10, 30, tzinfo=ZoneInfo("Europe/Moscow"))
    deal = Hit(MALE, "first_deal_anniversary", date(2027, 1, 5), 3, 40, "first_deal")
    out = shipped.render(item(MALE, day=date(2027, 1, 7), years=46, send_at=at, also=(deal,)))
    assert "поздравляем Вас и с наступающим 3-летием нашего сотрудничества!" in out.text
    english = shipped.render(item(ENGLISH, day=date(2027, 1, 7), years=46, send_at=at, also=(deal,)))
    assert "wish you a happy" in english.text and "belated" not in english.text
    on_the_day = datetime(2027, 1, 7, 10, 30, tzinfo=ZoneInfo("Europe/Moscow"))
    out = shipped.render(item(MALE, day=date(2027, 1, 7), years=46, send_at=on_the_day, also=(deal,)))
    assert "с прошедшим 3-летием нашего сотрудничества!" in out.text


def test_a_holiday_greeted_before_its_day_is_ahead(shipped: Renderer) -> None:
    """8 March 2026 is a Sunday: the letter leaves on Friday 6 March."""
    at = datetime(2026, 3, 6, 10, 30, tzinfo=ZoneInfo("Europe/Moscow"))
    out = shipped.render(
        item(FEMALE, "holiday", occasion="womens_day", day=date(2026, 3, 8), years=None, send_at=at)
    )
    assert out.subject == "Анна Ильинична, с наступающим Международным женским днём!"
    assert "Сердечно поздравляем Вас с наступающим Международным женским днём!" in out.text


def test_several_merged_occasions_read_as_one_sentence(shipped: Renderer) -> None:
    also = (
        Hit(MALE, "first_deal_anniversary", date(2026, 12, 10), 3, 70, "first_deal"),
        Hit(MALE, "company_anniversary", date(2026, 12, 18), 15, 80, "company_anniversary"),
        Hit(MALE, "new_year", date(2026, 12, 29), None, 60, "new_year"),
    )
    out = shipped.render(item(MALE, also=also))
    assert (
        "Пользуясь случаем, поздравляем Вас с прошедшим 3-летием нашего сотрудничества, "
        "а также с наступающими 15-летием Вашей компании и Новым годом!"
    ) in out.text
    en = shipped.render(item(ENGLISH, also=also))
    assert (
        "We would also like to wish you a belated happy 3rd anniversary of our partnership, "
        "a happy 15th anniversary of your company and a happy New Year!"
    ) in en.text


def new_year_letter(
    send_at: datetime | None = None, *, belated: bool = False, also: tuple[Hit, ...] = ()
) -> PlanItem:
    """The example config's New Year letter (occasion day 29 December) to Иван Петрович."""
    return item(
        MALE, "new_year", occasion="new_year", day=date(2026, 12, 29), years=None,
        belated=belated, also=also, send_at=send_at,
    )  # fmt: skip


def test_a_letter_held_past_the_new_year_greets_it_as_come_not_coming(shipped: Renderer) -> None:
    """Sent on 11 January after a downtime: "с Новым годом", never "с наступающим" (found by a tester)."""
    january = datetime(2027, 1, 11, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    also = (Hit(MALE, "new_year", date(2026, 12, 29), None, 60, "new_year"),)
    out = shipped.render(
        item(MALE, day=date(2026, 12, 31), years=61, belated=True, also=also, send_at=january)
    )
    assert "поздравляем Вас и с Новым годом!" in out.text and "наступающим" not in out.text
    own = shipped.render(new_year_letter(january, belated=True))
    assert "наступающим" not in own.subject + own.text and "уходящем" not in own.text
    assert "в прошедшем году" in own.text and "с небольшим опозданием" in own.text
    # Still December: the same belated letter is not "late" for the New Year, which is ahead.
    held = shipped.render(
        new_year_letter(datetime(2026, 12, 30, 10, 0, tzinfo=ZoneInfo("Europe/Moscow")), belated=True)
    )
    assert "с наступающим Новым" in held.subject and "опозданием" not in held.text and "уходящем" in held.text


def test_a_merged_round_birthday_is_a_jubilee_as_in_its_own_letter(shipped: Renderer) -> None:
    sixtieth = (Hit(MALE, "birthday", date(2026, 12, 27), 60, 100, "birthday"),)
    assert "поздравляем Вас и с прошедшим юбилеем!" in shipped.render(new_year_letter(also=sixtieth)).text
    fortieth = (Hit(MALE, "birthday", date(2026, 12, 27), 40, 100, "birthday"),)
    out = shipped.render(new_year_letter(also=fortieth))
    assert "поздравляем Вас и с прошедшим днём рождения!" in out.text


@pytest.mark.parametrize("template", ["birthday", "company_anniversary", "first_deal"])
@pytest.mark.parametrize("locale", ["ru", "en", "sr"])
@pytest.mark.parametrize("when", ["early", "on_day", "belated"])
def test_a_29_february_greeted_on_the_28th_is_not_dated_the_28th(
    template: str, locale: str, when: str
) -> None:
    """Born (founded, first deal) on 29 February, greeted on 28 February 2027: the letter never says
    «28 февраля — Ваш праздник» (review #7). The day it is greeted on is left out."""
    msk = ZoneInfo("Europe/Moscow")
    send = {"early": date(2027, 2, 26), "on_day": date(2027, 2, 28), "belated": date(2027, 3, 2)}[when]
    hit = Hit(
        person("l", "Лейла", "Рашид кызы", company="ООО Тест3", locale=locale),
        OCCASIONS[template], date(2027, 2, 28), 39, 100, template, moved=True,
    )  # fmt: skip
    plan_item = PlanItem(
        hit, "send", send_at=datetime.combine(send, time(12), msk), belated=when == "belated"
    )
    out = shipped_renderer().render(plan_item)
    assert out.html is not None
    for part in (out.subject, out.text, out.html):
        assert "28 февраля" not in part and "28 February" not in part and "February 28" not in part
        assert "28. фебруар" not in part
    words = {
        ("birthday", "ru", "early"): "Совсем скоро Ваш праздник, и мы спешим заранее поздравить",
        ("birthday", "en", "early"): "Your birthday is coming up, and we would like",
        ("company_anniversary", "ru", "on_day"): "В эти дни ООО «Тест3» исполняется 39 лет.",
        ("company_anniversary", "ru", "belated"): "На днях ООО «Тест3» исполнилось 39 лет.",
        ("company_anniversary", "en", "on_day"): "This week, ООО Тест3 celebrates its 39th anniversary.",
        ("company_anniversary", "en", "belated"): "ООО Тест3 has just celebrated its 39th anniversary.",
        ("first_deal", "ru", "on_day"): "В эти дни исполняется 39 лет со дня нашей первой",
        ("first_deal", "ru", "belated"): "наши поздравления: на днях исполнилось 39 лет со дня",
        ("first_deal", "en", "on_day"): "This week marks 39 years since our first deal",
        ("first_deal", "en", "belated"): "it has just been 39 years since our first deal",
        ("birthday", "sr", "early"): "Ускоро је Ваш рођендан, и желимо да Вам међу првима",
        ("first_deal", "sr", "on_day"): "Ових дана обележавамо 39. годишњицу нашег првог заједничког посла,",
        ("first_deal", "sr", "belated"): "управо смо обележили 39. годишњицу нашег првог заједничког посла.",
    }.get((template, locale, when))
    if words is not None:
        assert words in out.text
    # …while a real 28 February (or the 29th in a leap year) is still dated
    real = shipped_renderer().render(replace(plan_item, hit=replace(hit, moved=False)))
    if words is not None:
        assert ("28 февраля" in real.text) or ("February 28" in real.text) or ("28. фебруар" in real.text)


def test_missing_company_and_first_name_never_leave_gaps(shipped: Renderer) -> None:
    nameless = person("x", last="Сидоров")
    for template, occasion in OCCASIONS.items():
        out = shipped.render(item(nameless, template, occasion=occasion))
        assert out.text.startswith("Здравствуйте!\n\n")
        for gap in ("«»", " ,", ", !", "  ", "компании .", "None"):
            assert gap not in out.text and gap not in out.subject, (template, gap)
        assert out.subject[0].isupper()


# --------------------------------------------------------------------------- locales


def test_locale_fallback_order(tmp_path: Path) -> None:
    def variant(tag: str) -> str:
        return f"{{% block subject %}}{tag}{{% endblock %}}{{% block text %}}{{{{ locale }}}}{{% endblock %}}"

    r = write(
        tmp_path,
        {
            "birthday.j2": variant("default"),
            "birthday.sr.j2": variant("sr"),
            "birthday.sr_RS.j2": variant("sr_RS"),
            "birthday.en.j2": variant("en"),
        },
    )
    cases = {
        "sr_RS": ("sr_RS", "birthday.sr_RS.j2"),
        "sr-RS": ("sr_RS", "birthday.sr_RS.j2"),  # spelled as CRMs export it
        "sr_Latn_RS": ("sr", "birthday.sr.j2"),  # sr_Latn_RS → sr_Latn → sr
        "sr_ME": ("sr", "birthday.sr.j2"),
        "sr": ("sr", "birthday.sr.j2"),
        "en_GB": ("en", "birthday.en.j2"),
        "ru_RU": ("default", "birthday.j2"),
        "de": ("default", "birthday.j2"),
        None: ("default", "birthday.j2"),
        "not a locale": ("default", "birthday.j2"),
    }
    for locale, (subject, file) in cases.items():
        out = r.render(item(person("c", "Иван", locale=locale)))
        assert (out.subject, out.template_file) == (subject, file), locale


def test_letter_language_follows_the_file_not_the_contact(shipped: Renderer) -> None:
    # No French file: the Russian default is used, and then everything in it is Russian.
    jean = person("h", "Jean", "", "Dupont", company="Dupont SARL", locale="fr")
    out = shipped.render(item(jean, "company_anniversary"))
    assert out.template_file == "company_anniversary.j2"
    assert out.text.startswith("Здравствуйте, Jean!")
    assert "15 декабря компании Dupont SARL исполняется 15 лет." in out.text
    # A regional English contact keeps its own conventions in the English file.
    gb = shipped.render(item(person("g", "Jane", locale="en_GB"), "first_deal", years=3))
    us = shipped.render(item(person("u", "Jane", locale="en_US"), "first_deal", years=3))
    assert "15 December marks 3 years" in gb.text
    assert "December 15 marks 3 years" in us.text


# --------------------------------------------------------------------------- letters in other languages

#: Minimal birthday letters in other languages (tests/data/lang_templates), rendered with the shipped layout.
LANG_TEMPLATES = Path(__file__).resolve().parent / "data" / "lang_templates"


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    directory = tmp_path_factory.mktemp("templates")
    for source in [*TEMPLATES.glob("*.j2"), *LANG_TEMPLATES.glob("*.j2")]:
        (directory / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return Renderer(directory, SENDER)


#: contact → (file, the salutation line, the closing line); the sender's name follows the closing.
LETTERS: dict[str, tuple[Contact, str, str, str]] = {
    "sr_m": (
        person("s1", "Милан", "", "Јовановић", gender=Gender.MALE, locale="sr"),
        "birthday.sr.j2",
        "Поштовани господине Јовановићу,",
        "С поштовањем,",
    ),
    "sr_f": (
        person("s2", "Ана", "", "Петровић", gender=Gender.FEMALE, locale="sr_RS"),
        "birthday.sr.j2",
        "Поштована госпођо Петровић,",
        "С поштовањем,",
    ),
    "sr_unknown": (
        person("s3", "Саша", "", "Јовановић", locale="sr"),  # Саша: either gender
        "birthday.sr.j2",
        "Поштовани,",
        "С поштовањем,",
    ),
    "sr_latn_f": (
        person("s4", "Ana", "", "Petrović", gender=Gender.FEMALE, locale="sr-Latn"),
        "birthday.sr_Latn.j2",
        "Poštovana gospođo Petrović,",
        "S poštovanjem,",
    ),
    "sr_latn_m": (
        person("s5", "Milan", "", "Jovanović", gender=Gender.MALE, locale="sr_Latn_RS"),
        "birthday.sr_Latn.j2",
        "Poštovani gospodine Jovanoviću,",
        "S poštovanjem,",
    ),
    "hu": (
        person("h1", "Éva", "", "Nagy", gender=Gender.FEMALE, locale="hu"),
        "birthday.hu.j2",
        "Tisztelt Nagy Éva!",
        "Tisztelettel:",
    ),
    "hu_no_first": (
        person("h2", "", "", "Kovács", gender=Gender.MALE, locale="hu_HU"),
        "birthday.hu.j2",
        "Tisztelt Kovács Úr!",
        "Tisztelettel:",
    ),
    "et": (
        person("e1", "Mari", "", "Tamm", locale="et"),
        "birthday.et.j2",
        "Lugupeetud Mari Tamm!",
        "Lugupidamisega",
    ),
    "et_no_first": (
        person("e2", "", "", "Kask", gender=Gender.MALE, locale="et"),
        "birthday.et.j2",
        "Lugupeetud härra Kask!",
        "Lugupidamisega",
    ),
    "de_m": (
        person("d1", "Jörg", "", "Müller", gender=Gender.MALE, locale="de"),
        "birthday.de.j2",
        "Sehr geehrter Herr Müller,",
        "Mit freundlichen Grüßen",
    ),
    "de_unknown": (
        person("d2", "Kim", "", "Schulz", locale="de_AT"),
        "birthday.de.j2",
        "Guten Tag Kim Schulz,",
        "Mit freundlichen Grüßen",
    ),
    "uk": (
        person("u1", "Тарас", "Григорович", "Шевченко", locale="uk"),
        "birthday.uk.j2",
        "Шановний Тарасе Григоровичу!",
        "З повагою,",
    ),
    "uk_no_patronymic": (
        person("u2", "Олена", "", "Коваль", gender=Gender.FEMALE, locale="uk_UA"),
        "birthday.uk.j2",
        "Шановна пані Олено!",
        "З повагою,",
    ),
    "uk_no_gender": (  # Саша: Олександр or Олександра; its vocatives agree
        person("u3", "Саша", "", "Коваль", locale="uk"),
        "birthday.uk.j2",
        "Добрий день, Сашо!",
        "З повагою,",
    ),
    "uk_undeclinable": (
        person("u4", "Валя", "", "Коваль", locale="uk"),
        "birthday.uk.j2",
        "Добрий день!",
        "З повагою,",
    ),
    # a language without forms of its own is written in English around the message, as before
    "fr": (
        person("f1", "Jean", "", "Dupont", gender=Gender.MALE, locale="fr"),
        "birthday.fr.j2",
        "Dear Jean,",
        "Kind regards,",
    ),
}


@pytest.mark.parametrize("who", list(LETTERS))
def test_a_letter_in_another_language_is_addressed_and_signed_in_it(
    multilingual: Renderer, tmp_path: Path, who: str
) -> None:
    contact, file, greeting, closing = LETTERS[who]
    renderer = multilingual
    if who == "fr":  # no French file ships with the tests: write one beside the others
        copies = {
            p.name: p.read_text(encoding="utf-8")
            for p in [*TEMPLATES.glob("_*.j2"), TEMPLATES / "birthday.j2"]
        }
        french = (
            '{% extends "_layout.html.j2" %}{% block subject %}Joyeux anniversaire !{% endblock %}'
            "{% block message %}Nous vous souhaitons un joyeux anniversaire.{% endblock %}"
        )
        renderer = write(tmp_path, {**copies, file: french})  # a renderer reads its folder when made
    out = renderer.render(item(contact, "birthday"))
    assert out.template_file == file
    # text: the salutation with its language's mark opens it; the closing and the sender's name end it
    assert out.text.startswith(greeting + "\n\n")
    # a Serbian letter in Latin script is Latin throughout, the sender's Cyrillic name transliterated
    signed = "OOO «Romaška»" if who.startswith("sr_latn") else SENDER.name
    footer = FOOTER
    assert out.text.endswith(f"\n\n{closing}\n{signed}\n\n{footer}")
    for other in ("Dear ", "Kind regards", "С уважением", "Уважаем", "Здравствуйте"):
        if other not in greeting + closing:
            assert other not in out.text, other
    # HTML: the same salutation and closing
    assert out.html is not None
    assert f">{greeting}</p>" in out.html
    assert f"{closing}<br>\n{signed}" in out.html.replace("\u00a0", " ")  # «Romashka\u00a0LLC»
    assert_email_safe_html(out.html)


def test_a_letter_in_another_language_is_signed_with_the_senders_name_in_it() -> None:
    """sender.by_locale: "Kind regards, Romashka LLC" and "everyone at Romashka LLC" in an English
    letter, not «ООО «Ромашка»» (review #13c); Russian letters keep the sender's own."""
    sender = Sender.model_validate(
        {**SENDER.model_dump(), "by_locale": {"en": {"name": "Romashka LLC", "company": "Romashka LLC"}}}
    )
    renderer = Renderer(TEMPLATES, sender)
    john = person("e", "John", "", "Smith", company="Acme Ltd", locale="en_GB")
    out = renderer.render(item(john, "new_year", occasion="new_year", day=date(2026, 12, 29), years=None))
    assert out.locale == "en_GB"
    assert out.text.endswith("Kind regards,\nRomashka LLC\n\ngreetings@romashka.example")  # the name once
    assert (
        "On behalf of all of us, we wish you" in out.text
    )  # the body does not sign (test_letter_signs_once)
    assert out.html is not None and "Kind regards,<br>\nRomashka\u00a0LLC" in out.html  # held together
    assert ">Romashka LLC · <a href" not in out.html  # the footer: the address alone, signed above
    assert "Ромашка" not in out.text + out.html
    ivan = renderer.render(item(MALE, "new_year", occasion="new_year", day=date(2026, 12, 29), years=None))
    assert ivan.locale == "ru" and "От всей нашей команды поздравляем" in ivan.text
    assert "Romashka" not in ivan.text


def test_a_serbian_contact_in_latin_script_gets_latin_forms_from_a_shared_file(tmp_path: Path) -> None:
    # Only birthday.sr.j2: a sr-Latn contact reads it too, and its salutation, closing and dates follow
    # the contact's script, as dates and plurals always did, and the whole letter is transliterated to
    # Latin, the sender's Cyrillic name too (write birthday.sr_Latn.j2 to word it differently).
    r = write(
        tmp_path,
        {
            "_layout.html.j2": (TEMPLATES / "_layout.html.j2").read_text(encoding="utf-8"),
            "_brand.j2": (TEMPLATES / "_brand.j2").read_text(encoding="utf-8"),
            "birthday.j2": SIMPLE,
            "birthday.sr.j2": (LANG_TEMPLATES / "birthday.sr.j2").read_text(encoding="utf-8"),
        },
    )
    latin = person("l", "Ana", "", "Petrović", gender=Gender.FEMALE, locale="sr-Latn")
    out = r.render(item(latin))
    assert out.template_file == "birthday.sr.j2"
    assert out.text.startswith("Poštovana gospođo Petrović,\n\n")
    assert out.text.endswith("S poštovanjem,\nOOO «Romaška»\n\ngreetings@romashka.example")


@pytest.mark.parametrize(
    ("company", "words"),
    [
        ("Рога и Копыта", "а компании «Рога и Копыта» — процветания"),
        ("ООО Тест3", "а ООО «Тест3» — процветания"),
        ("ООО «Вектор»", "а ООО «Вектор» — процветания"),
        ("АО Бета & Ко", "а АО «Бета & Ко» — процветания"),
        ("Общество с ограниченной ответственностью «Научно-производственное объединение»",
         "а ООО «Научно-производственное объединение» — процветания"),
        ("ИП Кузнецов Д. С.", "а ИП Кузнецову Д. С. — процветания"),
        ("Индивидуальный предприниматель Волкова М. А.", "а ИП Волковой М. А. — процветания"),
        ("ИП Ким И. О.", "а ИП Ким И. О. — процветания"),
        ("Kats GmbH", "а компании Kats GmbH — процветания"),
        ("Shevchuk LLC", "а компании Shevchuk LLC — процветания"),
        ("Jovanović d.o.o.", "а компании Jovanović d.o.o. — процветания"),
    ],
)  # fmt: skip
def test_the_shipped_letters_write_company_names_the_russian_way(
    shipped: Renderer, company: str, words: str
) -> None:
    out = shipped.render(item(person("c", "Иван", "Петрович", company=company)))
    assert words in out.text
    assert out.html is not None
    assert words.replace("&", "&amp;") in out.html.replace("\u00a0", " ")  # the form held to the name


#: Company names a sentence may end with, several of them ending in an abbreviation's point.
ENDING_NAMES = ["ИП Кузнецов Д. С.", "Acme Inc.", "Jovanović d.o.o.", "ООО Тест3", "Рога и Копыта"]


def every_shipped_letter(contact: Contact) -> list[Rendered]:
    """Each shipped template and holiday wording, on time, early, belated and merged, for one contact."""
    january = datetime(2027, 1, 11, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    early = datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    also = (
        Hit(contact, "company_anniversary", date(2026, 12, 18), 21, 80, "company_anniversary"),
        Hit(contact, "first_deal_anniversary", date(2026, 12, 18), 21, 70, "first_deal"),
    )
    kinds = [*OCCASIONS.items(), ("holiday", "defender_day"), ("holiday", "victory_day")]
    letters = []
    for template, occasion in kinds:
        for belated, send_at in ((False, None), (False, early), (True, january)):
            hit_also = () if template in ("company_anniversary", "first_deal") else also
            letters.append(
                shipped_renderer().render(
                    item(
                        contact, template, occasion=occasion, belated=belated, send_at=send_at, also=hit_also
                    )
                )
            )
    return letters


@functools.cache
def shipped_renderer() -> Renderer:
    return Renderer(TEMPLATES, SENDER)


@pytest.mark.parametrize("company", ENDING_NAMES)
@pytest.mark.parametrize("locale", ["ru", "en", "sr"])
def test_a_company_name_ending_in_a_point_gets_no_second_one(company: str, locale: str) -> None:
    """«…партнёром ИП Кузнецов Д. С. Пусть…», "…a partner of Acme Inc. May…", never "С.." or "Inc.."."""
    contact = person("c", "Иван", "Петрович", company=company, locale=locale)
    letters = every_shipped_letter(contact)
    for out in letters:
        assert out.html is not None
        for part in (out.subject, out.text, out.html):
            assert ".." not in part, (out.template_file, part)
    text = "\n".join(out.text for out in letters)
    # As the letter writes it: «Jovanović d.o.o.» is «Јовановић д.о.о.» in a Cyrillic Serbian letter.
    assert names_in_script((company,), locale)[0].split()[-1] in text
    if not company.endswith("."):  # a name without its own point still ends its sentence with one
        from greeter.company_names import company_in, company_name

        stop = {
            "ru": f"партнёром {company_in(company, 'genitive')}. Пусть",
            "en": f"partner of {company}. May",
            "sr": f"партнери компаније {company_name(company, 'sr')}. Нека",
        }
        assert stop[locale] in text


@pytest.mark.parametrize("company", ["ИП Кузнецов Д. С.", "Общество с ограниченной ответственностью Ромашка",
                                     "ООО Тест3", "Kats GmbH", "Shevchuk LLC", "Jovanović d.o.o."])  # fmt: skip
def test_no_letter_calls_a_legal_form_a_company_or_quotes_a_latin_name(company: str) -> None:
    """«компании ИП …», «компании Общество с ограниченной ответственностью …», «компании «Kats GmbH»»."""
    letters = every_shipped_letter(person("c", "Иван", "Петрович", company=company))
    text = "\n".join(out.subject + "\n" + out.text for out in letters)
    for wrong in (
        "компании ИП",
        "компании ООО",
        "компании Общество",
        "Общество с",
        "«Kats",
        "«Shevchuk",
        "«Jovanović",
    ):
        assert wrong not in text, wrong


@pytest.mark.parametrize(
    ("company", "ends"),
    [
        ("Acme Ltd", "Acme Ltd."),
        ("Acme Inc.", "Acme Inc."),
        ("Yahoo!", "Yahoo!"),
        ("Acme Inc. ", "Acme Inc."),
        ("A & B Co.", "A & B Co."),
        ("A & B", "A & B."),
        ('<b x="1">.', '<b x="1">.'),
    ],
)
def test_full_stop_ends_a_sentence_once_in_text_and_in_html(tmp_path: Path, company: str, ends: str) -> None:
    body = "{{ contact.company|full_stop }}|{{ contact.company|company('dative')|full_stop }}"
    r = write(
        tmp_path,
        {
            "birthday.j2": f"{{% block subject %}}S{{% endblock %}}{{% block text %}}{body}{{% endblock %}}"
            f"{{% block html %}}{body}{{% endblock %}}"
        },
    )
    out = r.render(item(person("c", "Иван", company=company)))
    assert out.text.split("|")[0] == ends
    assert out.text.split("|")[1].endswith(ends)
    assert out.html is not None
    escaped = ends.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    assert out.html.split("|")[0] == escaped  # escaped once, never twice, and checked as the reader sees it


def test_a_merged_company_anniversary_says_whose_company() -> None:
    """«поздравляем Вас также с 21-летием Вашей компании», not «с 21-летием компании» (whose?)."""
    texts = [out.text for out in every_shipped_letter(person("c", "Иван", "Петрович", company="ООО Тест3"))]
    merged = [line for text in texts for line in text.splitlines() if line.startswith("Пользуясь случаем")]
    assert merged and all("-летием Вашей компании" in line for line in merged), merged


def test_the_company_filter_is_there_for_templates(tmp_path: Path) -> None:
    r = write(
        tmp_path,
        {
            "birthday.j2": "{% block subject %}{{ contact.company|company }}{% endblock %}{% block text %}T{% endblock %}"
        },
    )
    assert r.render(item(person("c", "Иван", company="ООО Тест3"))).subject == "ООО «Тест3»"
    with pytest.raises(TemplateError, match="'contakt' is undefined"):
        write(
            tmp_path,
            {
                "birthday.j2": "{% block subject %}{{ contakt.company|company }}{% endblock %}{% block text %}T{% endblock %}"
            },
        ).render(item(person("c", "Иван")))


# --------------------------------------------------------------------------- context and filters


def test_context_and_filters(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "{% block subject %}x{% endblock %}",
            "{% block text %}",
            "{{ contact|name('dative') }}|{{ contact|name('genitive', 'full') }}|{{ contact|name }}",
            "{{ years|years_phrase }}|{{ 3|years }}|{{ 21|years_phrase('en') }}",
            "{{ occasion_date|date('day_month') }}|{{ occasion_date|date }}|{{ occasion_date|date('short', 'en') }}",
            "{{ 5|plural('клиент|клиента|клиентов') }}|{{ 2|plural(['год', 'года', 'лет']) }}|{{ 1|plural('day|days', 'en') }}",
            "{{ occasion }}|{{ belated }}|{{ locale }}|{{ lang }}|{{ salutation }}",
            "{{ contact.full_name }}|{{ contact }}|{{ contact.company }}|{{ contact.tier }}|{{ contact.gender }}",
            "{{ contact.extra.city }}|{{ contact.dates.birthday.year }}|{{ 'vip' in contact.tags }}",
            "{% for a in also %}{{ a.occasion }}/{{ a['date'].day }}/{{ a.years is none }};{% endfor %}.",
            "{{ sender.name }}|{{ sender.email }}|{{ sender.company }}",
            "{% endblock %}",
        ]
    )
    r = write(tmp_path, {"birthday.j2": text})
    contact = Contact(
        id="c1",
        email="ivan@example.com",
        first_name="Иван",
        patronymic="Петрович",
        last_name="Сидоров",
        company="Рога & Копыта",
        tags=frozenset({"vip"}),
        dates={"birthday": date(1980, 12, 15)},
        extra={"city": "Казань"},
    )
    also = (Hit(contact, "new_year", date(2026, 12, 29), None, 60, "new_year"),)
    out = r.render(item(contact, years=15, also=also))
    assert out.text.splitlines() == [
        "Ивану Петровичу|Ивана Петровича Сидорова|Иван Петрович",
        "15 лет|3 года|21 years",
        "15 декабря|15 декабря 2026 г.|12/15/26",
        "клиентов|года|day",
        "birthday|False|ru|ru|Уважаемый Иван Петрович",
        "Иван Петрович Сидоров|Иван Петрович Сидоров|Рога & Копыта||male",
        "Казань|1980|True",
        "new_year/29/True;.",
        "ООО «Ромашка»|greetings@romashka.example|ООО «Ромашка»",
    ]
    assert out.html is None  # no html block → no HTML part


def test_extends_blocks_and_super(tmp_path: Path) -> None:
    r = write(
        tmp_path,
        {
            "_base.j2": (
                "{% block subject %}Base{% endblock %}"
                "{% block text %}[{% block inner %}base inner{% endblock %}]{% endblock %}"
                "{% block html %}<p>{{ self.inner() }}</p>{% endblock %}"
            ),
            "birthday.j2": (
                '{% extends "_base.j2" %}'
                "{% block subject %}{{ super() }} + child{% endblock %}"
                "{% block inner %}{{ contact.company }}{% endblock %}"
            ),
        },
    )
    out = r.render(item(person("c", "Иван", company="A & B")))
    assert out == Rendered("Base + child", "[A & B]", "<p>A &amp; B</p>", "birthday.j2", "ru")


def test_subject_is_one_line_and_text_keeps_paragraphs(tmp_path: Path) -> None:
    r = write(
        tmp_path,
        {
            "birthday.j2": (
                "{% block subject %}\n  С днём\n\t рождения,   {{ contact.first_name }}!  \n\n{% endblock %}"
                "{% block text %}\n\n  Первый абзац.   \nвторая строка\t\n\n\n\n\nВторой абзац.  \n\n{% endblock %}"
            )
        },
    )
    out = r.render(item(person("c", "Иван\r\nBcc: x@evil.example")))
    assert out.subject == "С днём рождения, Иван Bcc: x@evil.example!"
    assert out.text == "Первый абзац.\nвторая строка\n\nВторой абзац."


# --------------------------------------------------------------------------- escaping: data is data


def test_text_is_not_escaped_and_html_is(shipped: Renderer) -> None:
    contact = person("c", "Иван", "Петрович", company="ООО «Рога & Копыта»")
    out = shipped.render(item(contact, "company_anniversary"))
    assert "15 декабря ООО «Рога & Копыта» исполняется 15 лет" in out.text
    assert "ООО «Рога & Копыта»" in out.subject
    assert out.html is not None
    assert "ООО\u00a0«Рога &amp; Копыта»" in out.html  # held together (company_names.held_together)
    assert "Рога & Копыта" not in out.html and "&amp;amp;" not in out.html


def test_markup_in_contact_data_is_escaped_in_html(shipped: Renderer) -> None:
    contact = person("c", "<b>Иван</b>", "Петрович", company='<img src=x onerror="alert(1)">')
    out = shipped.render(item(contact))
    assert out.html is not None
    assert "<b>" not in out.html and "<img" not in out.html
    assert "&lt;b&gt;Иван&lt;/b&gt;" in out.html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in out.html
    assert "<b>Иван</b> Петрович" in out.text  # text/plain shows it as typed


def test_template_syntax_in_contact_data_is_printed_literally(shipped: Renderer) -> None:
    contact = person("c", "{{ 7*7 }}", "{% for x in y %}", "{{ ''.__class__ }}", company="{{ sender.email }}")
    out = shipped.render(item(contact, "company_anniversary"))
    assert out.text.startswith("Здравствуйте, {{ 7*7 }} {% for x in y %}!")
    assert "15 декабря компании {{ sender.email }} исполняется" in out.text  # Latin script: no «»
    assert out.text.count("49") == out.text.count("+7 495")  # only the phone number of the signature
    # the sender's address only in the footer's contact line, never from the company's {{ … }}
    assert out.text.count("greetings@romashka.example") == 1 and out.text.endswith(FOOTER)
    assert "{{ 7*7 }} {% for x in y %}, с 15-летием" in out.subject
    assert out.html is not None and "{{ 7*7 }}" in out.html


# --------------------------------------------------------------------------- strictness and errors


def test_missing_variable_is_an_error_with_file_line_and_contact(tmp_path: Path) -> None:
    r = write(
        tmp_path,
        {
            "birthday.j2": "{% block subject %}Hi{% endblock %}\n{% block text %}\nDear\n{{ nickname }}\n{% endblock %}"
        },
    )
    with pytest.raises(TemplateError) as caught:
        r.render(item(person("client-42", "Иван")))
    err = caught.value
    assert (err.template, err.line, err.contact_id) == ("birthday.j2", 4, "client-42")
    assert str(err) == (
        "birthday.j2:4: undefined: 'nickname' is undefined (known: addressee, also, belated, closing, contact, dir, early, lang,"
        " lang_tag, locale, occasion, occasion_date, occasion_kind, occasion_moved, occasion_title, salutation, salutation_end, send_date, sender,"
        " unsubscribe_mailto, unsubscribe_url, years) (contact client-42)"
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("{{ contakt }}", "'contakt' is undefined, did you mean 'contact'?"),
        ("{{ contakt|name('dative') }}", "'contakt' is undefined, did you mean 'contact'?"),
        ("{{ contact.firstname }}", "'contact' has no attribute 'firstname', did you mean 'first_name'?"),
        (
            "{{ contact.patronymik|upper }}",
            "'contact' has no attribute 'patronymik', did you mean 'patronymic'?",
        ),
        # contact.name meant the first or the full name; its nearest spelling, last_name, was suggested
        (
            "{{ contact.name }}",
            "'contact' has no attribute 'name', did you mean 'first_name', 'full_name' or the filter "
            "contact|name (name and patronymic; contact|name('dative') declines them)?",
        ),
        (
            "{{ name }}",
            "'name' is undefined, did you mean 'contact.first_name', 'contact.full_name' or the filter "
            "contact|name (name and patronymic; contact|name('dative') declines them)?",
        ),
        ("{{ first_name }}", "'first_name' is undefined, did you mean 'contact.first_name'?"),
        ("{{ sendr.name }}", "'sendr' is undefined, did you mean 'sender'?"),
        ("{{ sender.signatur }}", "'sender' has no attribute 'signatur', did you mean 'signature'?"),
        ("{{ occasion_day }}", "'occasion_day' is undefined, did you mean 'occasion_date'?"),
        # An undefined value handed to a filter is the undefined error, not the filter's type complaint.
        ("{{ occasion_day|date('long') }}", "'occasion_day' is undefined, did you mean 'occasion_date'?"),
        ("{{ yeras|years_phrase }}", "'yeras' is undefined, did you mean 'years'?"),
        ("{{ yeras|plural('год|года|лет') }}", "'yeras' is undefined, did you mean 'years'?"),
        (
            "{{ years|plural(frms) }}",
            "'frms' is undefined (known: addressee, also, belated, closing, contact, dir, early, lang, lang_tag, locale, "
            "occasion, occasion_date, occasion_kind, occasion_moved, occasion_title, salutation, salutation_end, send_date, sender, "
            "unsubscribe_mailto, unsubscribe_url, years)",
        ),
        ("{{ sender.signatur|nl2br }}", "'sender' has no attribute 'signatur', did you mean 'signature'?"),
        ("{{ contakt|paragraphs }}", "'contakt' is undefined, did you mean 'contact'?"),
        # A date column named as a contact field: where it lives.
        (
            "{{ contact.birthday|date('long') }}",
            "'contact' has no attribute 'birthday', did you mean 'contact.dates.birthday'?",
        ),
        ("{{ contact.city }}", "'contact' has no attribute 'city', did you mean 'contact.extra.city'?"),
    ],
)
def test_a_misspelt_name_is_answered_with_the_name_meant(
    tmp_path: Path, expression: str, message: str
) -> None:
    r = write(
        tmp_path,
        {
            "birthday.j2": f"{{% block subject %}}x{{% endblock %}}{{% block text %}}{expression}{{% endblock %}}"
        },
    )
    contact = Contact(
        "c1", "c1@example.com", "Иван", dates={"birthday": date(1980, 5, 1)}, extra={"city": "Казань"}
    )
    with pytest.raises(TemplateError) as caught:
        r.render(item(contact))
    assert caught.value.detail == f"undefined: {message}"


@pytest.mark.parametrize(
    ("line", "expression", "message"),
    [
        (
            1,
            "{{ contact.nickname }}",
            "undefined: 'contact' has no attribute 'nickname'",
        ),
        (2, "{{ contact.extra.vip }}", "undefined"),
        (3, "{{ years }} лет", "printed a None value"),
        (4, "{{ contact|name('vocative') }}", "'vocative' is the vocative case, which greeter does not"),
        (5, "{{ years|years_phrase }}", "years is None"),
        (6, "{{ 1 // 0 }}", "ZeroDivisionError"),
        (7, "{{ occasion_date|date('iso') }}", "unknown date format 'iso'"),
        (
            8,
            "{{ 46|plural('год|года') }}",
            "plural needs 3 forms in Russian (one|few|many, e.g. 'год|года|лет'), or 4 (one|few|many|other), got 2: 'год|года'",
        ),
    ],
)
def test_runtime_error_is_reported_at_its_template_line(
    tmp_path: Path, line: int, expression: str, message: str
) -> None:
    lines = ["{% block subject %}x{% endblock %}{% block text %}"] + ["ok"] * 9 + ["{% endblock %}"]
    lines[line] = expression
    r = write(tmp_path, {"birthday.j2": "\n".join(lines)})
    with pytest.raises(TemplateError) as caught:
        r.render(item(person("c7", "Иван"), years=None))
    assert str(caught.value).startswith(f"birthday.j2:{line + 1}: {message}")
    assert caught.value.contact_id == "c7"


def test_plural_needs_the_forms_of_the_letters_language(tmp_path: Path) -> None:
    """Two forms read right for 1 and 3 and give "46 года": an error for every contact, so check finds it."""
    r = write(
        tmp_path,
        {
            "birthday.j2": "{% block subject %}x{% endblock %}{% block text %}\n{{ years|plural('год|года') }}{% endblock %}",
            "birthday.en.j2": "{% block subject %}x{% endblock %}{% block text %}\n{{ years|plural('year') }}{% endblock %}",
            "holiday.en.j2": "{% block subject %}x{% endblock %}{% block text %}{{ years|plural('year|years') }}{% endblock %}",
        },
    )
    for years in (1, 3, 46):
        with pytest.raises(TemplateError) as caught:
            r.render(item(person("c", "Иван"), years=years))
        assert (caught.value.template, caught.value.line) == ("birthday.j2", 2)
        assert (
            "plural needs 3 forms in Russian (one|few|many, e.g. 'год|года|лет'), or 4 (one|few|many|other), got 2"
            in caught.value.detail
        )
    with pytest.raises(TemplateError, match=r"^birthday\.en\.j2:2: plural needs 2 forms in English "):
        r.render(item(person("e", "John", locale="en"), years=46))
    assert r.render(item(person("e", "John", locale="en"), "holiday", years=46)).text == "years"


def test_an_undefined_name_passed_to_a_macro_is_reported_where_it_is_named(tmp_path: Path) -> None:
    """The value fails inside the macro (``items|length``); the typo is in the letter's line."""
    r = write(
        tmp_path,
        {
            "_lib.j2": "{% macro count(items) %}\n{{ items|length }}\n{% endmacro %}",
            "birthday.j2": (
                '{% block subject %}x{% endblock %}\n{% block text %}\n{% from "_lib.j2" import count %}\n'
                "{{ count(alsoo) }}{% endblock %}"
            ),
        },
    )
    with pytest.raises(TemplateError) as caught:
        r.render(item(person("c", "Иван")))
    assert (caught.value.template, caught.value.line) == ("birthday.j2", 4)
    assert caught.value.detail == "undefined: 'alsoo' is undefined, did you mean 'also'?"


def test_a_bad_literal_passed_to_a_macro_is_reported_where_it_is_typed(tmp_path: Path) -> None:
    """``company(contact.company, "datve")`` is refused inside the macro's ``|company(case)``; the
    report named the macro file's line, which the marketer never edited."""
    r = write(
        tmp_path,
        {
            "_lib.j2": "{% macro company(name, case=none) -%}\n{{ name|company(case) }}\n{%- endmacro %}",
            "birthday.j2": (
                '{% block subject %}x{% endblock %}\n{% block text %}\n{% from "_lib.j2" import company %}\n'
                '{{ company(contact.company, "datve") }}{% endblock %}'
            ),
        },
    )
    with pytest.raises(TemplateError) as caught:
        r.render(item(person("c", "Иван", company="Рога и Копыта")))
    assert (caught.value.template, caught.value.line) == ("birthday.j2", 4)
    assert "unknown grammatical case 'datve'" in caught.value.detail


def test_error_inside_an_imported_macro_names_the_macro_file(tmp_path: Path) -> None:
    r = write(
        tmp_path,
        {
            "_lib.j2": "{% macro greet(c) %}\n\n{{ c.nickname }}\n{% endmacro %}",
            "birthday.j2": (
                '{% block subject %}x{% endblock %}\n{% block text %}\n{% from "_lib.j2" import greet %}'
                "{{ greet(contact) }}{% endblock %}"
            ),
        },
    )
    with pytest.raises(TemplateError, match=r"^_lib\.j2:3: undefined"):
        r.render(item(person("c", "Иван")))


def test_empty_subject_or_text_is_an_error_not_an_empty_greeting(tmp_path: Path) -> None:
    r = write(
        tmp_path,
        {
            "birthday.j2": "{% block subject %}  \n {{ contact.company }} {% endblock %}{% block text %}T{% endblock %}",
            "holiday.j2": "{% block subject %}S{% endblock %}{% block text %}\n\n  {% endblock %}",
        },
    )
    with pytest.raises(
        TemplateError, match=r"^birthday\.j2: the subject block rendered empty \(contact c\)$"
    ):
        r.render(item(person("c", "Иван")))
    with pytest.raises(TemplateError, match=r"^holiday\.j2: the text block rendered empty"):
        r.render(item(person("c", "Иван"), "holiday"))


def test_missing_template_is_an_error_naming_what_was_looked_for(tmp_path: Path) -> None:
    r = Renderer(tmp_path / "nowhere", SENDER)  # no I/O yet: the folder does not even exist
    with pytest.raises(TemplateError) as caught:
        r.render(item(person("c", "Иван", locale="en_GB")))
    assert caught.value.template == "birthday.j2"
    assert "birthday.en_GB.j2, birthday.en.j2, birthday.j2" in str(caught.value)
    assert caught.value.contact_id == "c"


def test_bad_template_name_is_refused(tmp_path: Path) -> None:
    r = write(tmp_path, {"birthday.j2": SIMPLE})
    for name in ("../birthday", "_layout", "birth day"):
        with pytest.raises(TemplateError, match="not a template name"):
            r.render(item(person("c", "Иван"), name))


# --------------------------------------------------------------------------- the sandbox

ESCAPES = [
    (
        "{{ ''.__class__.__mro__ }}",
        "refused by the sandbox: access to attribute '__class__' of 'str' object is unsafe",
    ),
    ("{{ contact.__init__ }}", "refused by the sandbox: access to attribute '__init__'"),
    ("{{ contact._contact }}", "refused by the sandbox: access to attribute '_contact'"),
    ("{{ ''|attr('format') }}", "refused by the sandbox: refusing to print a function"),
    (
        "{{ '{0.__class__}'|attr('format')(contact) }}",
        "refused by the sandbox: access to attribute '__class__'",
    ),
    ("{{ '{0._contact}'.format(contact) }}", "refused by the sandbox: access to attribute '_contact'"),
    ("{{ range(10**9)|list }}", "refused by the sandbox: Range too big"),
    ("{{ 'x' * 10**9 }}", "refused by the sandbox: '*' would build a sequence longer than 100,000"),
    ("{{ [0] * 10**9 }}", "refused by the sandbox: '*' would build"),
    ("{{ 10**100000 }}", "refused by the sandbox: '**' result would exceed 4096 bits"),
    (
        "{{ also.append(1) }}",
        "refused by the sandbox: access to attribute 'append' of 'list' object is unsafe",
    ),
    ("{{ self.__init__ }}", "refused by the sandbox: access to attribute '__init__'"),
    ("{{ self.subject }}", "refused by the sandbox: refusing to print a BlockReference"),
    ("{{ cycler.__init__.__globals__ }}", "refused by the sandbox: access to attribute '__init__'"),
    ("{{ lipsum.__globals__ }}", "refused by the sandbox: access to attribute '__globals__'"),
    ("{{ contact.dates.items }}", "refused by the sandbox: refusing to print a builtin_function_or_method"),
    ("{{ contact.dates.__class__ }}", "refused by the sandbox: access to attribute '__class__'"),
]


@pytest.mark.parametrize(("expression", "message"), ESCAPES, ids=[e for e, _ in ESCAPES])
def test_sandbox_escape_is_refused_and_the_next_contact_still_renders(
    tmp_path: Path, expression: str, message: str
) -> None:
    template = "\n".join(
        [
            "{% block subject %}Hi {{ contact.first_name }}{% endblock %}",
            "{% block text %}",
            f"{{% if contact.id == 'evil' %}}{expression}{{% endif %}}",
            "Text for {{ contact.first_name }}",
            "{% endblock %}",
        ]
    )
    r = write(tmp_path, {"birthday.j2": template})
    with pytest.raises(TemplateError) as caught:
        r.render(item(person("evil", "Иван")))
    assert str(caught.value).startswith(f"birthday.j2:3: {message}"), str(caught.value)
    assert caught.value.contact_id == "evil"
    assert r.render(item(person("good", "Анна"))).text == "Text for Анна"


@pytest.mark.parametrize(
    "source",
    [
        "{% autoescape false %}{{ contact.company }}{% endautoescape %}",
        "{{ contact.company|safe }}",
    ],
)
def test_escaping_cannot_be_switched_off_by_a_template(tmp_path: Path, source: str) -> None:
    r = write(
        tmp_path,
        {
            "birthday.j2": f"{{% block subject %}}S{{% endblock %}}{{% block text %}}T{{% endblock %}}\n{{% block html %}}{source}{{% endblock %}}"
        },
    )
    with pytest.raises(TemplateError, match=r"^birthday\.j2:2: syntax error"):
        r.render(item(person("c", "Иван", company="<b>")))
    assert r.check(["birthday"])[0].line == 2


# --------------------------------------------------------------------------- check()


def test_check_is_clean_for_the_shipped_templates(shipped: Renderer) -> None:
    assert shipped.check(OCCASIONS) == []
    serbian = {"birthday", "new_year", "first_deal", "company_anniversary", "holiday"}  # all shipped
    for template in OCCASIONS:
        files = [p.name for p in shipped.template_files(template)]
        assert files == [
            f"{template}.j2",
            f"{template}.de.j2",
            f"{template}.en.j2",
            f"{template}.et.j2",
            f"{template}.hu.j2",
            f"{template}.ka.j2",
        ] + ([f"{template}.sr.j2"] if template in serbian else []) + [f"{template}.uk.j2"]


def test_check_reports_syntax_errors_with_file_and_line(tmp_path: Path) -> None:
    r = write(
        tmp_path,
        {
            "birthday.j2": SIMPLE,
            "birthday.en.j2": "{% block subject %}S{% endblock %}\n{% block text %}\n{% if %}\n{% endblock %}",
            "holiday.j2": "{% block subject %}S{% endblock %}\n\n{% block text %}{{ x }{% endblock %}",
        },
    )
    problems = r.check(["birthday", "holiday"])
    assert [(p.file, p.line, p.kind, p.severity) for p in problems] == [
        ("birthday.en.j2", 3, "template", "error"),
        ("holiday.j2", 3, "template", "error"),
    ]
    assert str(problems[0]).startswith("birthday.en.j2:3:1: syntax error: ")


def test_check_reports_a_missing_default_template(tmp_path: Path) -> None:
    r = write(tmp_path, {"birthday.en.j2": SIMPLE})
    problems = r.check(["birthday", "new_year"])
    assert [(p.file, p.line, p.severity) for p in problems] == [
        ("birthday.j2", None, "error"),
        ("new_year.j2", None, "error"),
    ]
    assert "template missing" in problems[0].message
    assert [p.name for p in r.template_files("birthday")] == ["birthday.en.j2"]


def test_check_finds_problems_rendering_would_hit(tmp_path: Path) -> None:
    r = write(
        tmp_path,
        {
            "_layout.j2": "{% block text %}{% include '_gone.j2' %}{% endblock %}",
            "birthday.j2": '{% extends "_layout.j2" %}\n{% block subject %}S{% endblock %}',
            "holiday.j2": "{% set x = 1 %}\n{% block subject %}{{ x }}{% endblock %}{% block text %}T{% endblock %}",
            "new_year.j2": "{% block subject %}S{% endblock %}",
            "first_deal.j2": "Dear client,\n{% block subject %}S{% endblock %}{% block text %}T{% endblock %}",
        },
    )
    problems = {
        p.file: (p.line, p.message) for p in r.check(["birthday", "holiday", "new_year", "first_deal"])
    }
    assert problems["_layout.j2"] == (1, "template not found: _gone.j2")
    assert problems["holiday.j2"][0] == 1 and "outside a block is never rendered" in problems["holiday.j2"][1]
    assert problems["new_year.j2"] == (None, "no {% block text %} (nor in what it extends)")
    assert problems["first_deal.j2"][0] == 1 and problems["first_deal.j2"][1].startswith(
        "text outside a block"
    )
    # …and rendering says the same thing rather than sending a letter without it
    with pytest.raises(TemplateError, match=r"^holiday\.j2:1: \{% set %\} outside a block"):
        r.render(item(person("c", "Иван"), "holiday"))


LAYOUT = (
    "{% block text %}\n{{ salutation }}\n{{ self.message() }}\n{% endblock %}\n"
    "{% block html %}<p>{{ self.message() }}</p>{% endblock %}"
)


def test_a_block_the_layout_needs_is_reported_at_the_template_not_inside_the_layout(tmp_path: Path) -> None:
    r = write(
        tmp_path,
        {
            "_layout.j2": LAYOUT,
            "birthday.j2": '{% extends "_layout.j2" %}\n{% block subject %}S{% endblock %}',
            "holiday.j2": '{% extends "_layout.j2" %}\n{% block subject %}{{ self.wht() }}{% endblock %}\n'
            "{% block what %}W{% endblock %}{% block message %}M{% endblock %}",
        },
    )
    expected = "block 'message' is missing (the layout _layout.j2 needs it, line 3)"
    assert [(p.file, p.line, p.message) for p in r.check(["birthday", "holiday"])] == [
        ("birthday.j2", None, expected),
        ("holiday.j2", 2, "block 'wht' is missing (self.wht() here needs it), did you mean self.what()?"),
    ]
    with pytest.raises(TemplateError) as caught:  # every contact: the template cannot be used
        r.render(item(person("c", "Иван")))
    assert str(caught.value) == f"birthday.j2: {expected} (contact c)"
    with pytest.raises(TemplateError, match=r"^holiday\.j2:2: block 'wht' is missing"):
        r.render(item(person("c", "Иван"), "holiday"))


def test_only_blocks_that_really_render_must_exist(tmp_path: Path) -> None:
    """A layout block the template overrides without super() calls nothing; with super() it does."""
    r = write(
        tmp_path,
        {
            "_layout.j2": LAYOUT,
            "birthday.j2": (
                '{% extends "_layout.j2" %}\n{% block subject %}S{% endblock %}'
                "{% block text %}T{% endblock %}{% block html %}<p>H</p>{% endblock %}"
            ),
            "holiday.j2": (
                '{% extends "_layout.j2" %}\n{% block subject %}S{% endblock %}'
                "{% block text %}T{% endblock %}{% block html %}{{ super() }}{% endblock %}"
            ),
        },
    )
    assert r.check(["birthday"]) == []
    assert r.render(item(person("c", "Иван"))).html == "<p>H</p>"
    assert [p.message for p in r.check(["holiday"])] == [
        "block 'message' is missing (the layout _layout.j2 needs it, line 5)"
    ]


def test_check_warns_about_variants_no_contact_can_select(tmp_path: Path) -> None:
    r = write(
        tmp_path,
        {
            "birthday.j2": SIMPLE,
            "birthday.xx.j2": SIMPLE,
            "birthday.en_US.j2": SIMPLE,
            "birthday.en_us.j2": SIMPLE,
        },
    )
    problems = r.check(["birthday"])
    assert [(p.file, p.severity) for p in problems] == [
        ("birthday.en_us.j2", "warning"),
        ("birthday.xx.j2", "warning"),
    ]
    assert problems[0].message == "never used: birthday.en_US.j2 is the file for locale en_US"
    assert problems[1].message == "unknown locale 'xx': no contact selects this file"


def test_variant_file_names_are_matched_like_contact_locales(tmp_path: Path) -> None:
    # Babel spells sr_RS as sr_Cyrl_RS and en-us as en_US: file names are normalised the same way.
    r = write(tmp_path, {"birthday.j2": SIMPLE, "birthday.sr-RS.j2": SIMPLE, "birthday.en_us.j2": SIMPLE})
    assert r.render(item(person("c", locale="sr_Cyrl_RS"))).template_file == "birthday.sr-RS.j2"
    assert r.render(item(person("c", locale="en-US"))).template_file == "birthday.en_us.j2"
    assert r.render(item(person("c", locale="sr_Latn_RS"))).template_file == "birthday.j2"  # not Cyrillic
    assert r.check(["birthday"]) == []


def test_template_files_lists_only_locale_variants(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "birthday.j2": SIMPLE,
            "birthday.sr_RS.j2": SIMPLE,
            "birthday.en.j2": SIMPLE,
            "birthday.html.j2": SIMPLE,  # not a locale
            "birthday_old.j2": SIMPLE,  # another template
            "_birthday.j2": SIMPLE,
        },
    )
    r = Renderer(tmp_path, SENDER)
    assert [p.name for p in r.template_files("birthday")] == [
        "birthday.j2",
        "birthday.en.j2",
        "birthday.sr_RS.j2",
    ]


# --------------------------------------------------------------------------- compiled once


def test_templates_are_read_when_the_renderer_is_made_and_compiled_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    reads: list[str] = []
    original: Callable[..., tuple[str, str, Callable[[], bool]]] = _SnapshotLoader.get_source

    def counting(
        self: _SnapshotLoader, environment: object, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        reads.append(template)
        return original(self, environment, template)

    monkeypatch.setattr(_SnapshotLoader, "get_source", counting)
    r = Renderer(folder, SENDER)
    shutil.rmtree(folder)  # whatever it renders was read when it was made
    assert reads == []  # …and nothing compiled yet
    for n in range(50):
        r.render(item(person(str(n), "Иван", "Петрович", company=f"Компания {n}")))
    first_batch = len(reads)
    assert first_batch > 0
    for n in range(50):
        r.render(item(person(str(n), "Анна", "Ильинична")))
    assert len(reads) == first_batch  # nothing re-read per render


def test_a_renderer_renders_its_folder_as_it_was_when_made(tmp_path: Path) -> None:
    """The daemon's safety net: a template saved half-edited changes nothing until a reload validates it."""
    (tmp_path / "parts").mkdir()
    r = write(
        tmp_path,
        {
            "birthday.j2": '{% extends "parts/_base.j2" %}{% block text %}T{% endblock %}',
            "parts/_base.j2": "{% block subject %}S{% endblock %}{% block text %}{% endblock %}",
        },
    )
    (tmp_path / "birthday.j2").write_text("{% broken", encoding="utf-8")  # before its first use
    (tmp_path / "parts" / "_base.j2").write_text(
        "{% block subject %}{{ nope }}{% endblock %}", encoding="utf-8"
    )
    (tmp_path / "birthday.en.j2").write_text("{% broken", encoding="utf-8")  # a new file: not seen either
    out = r.render(item(person("a", "Иван", locale="en")))
    assert (out.subject, out.text, out.template_file) == ("S", "T", "birthday.j2")
    assert r.check(["birthday"]) == []
    assert Renderer(tmp_path, SENDER).check(["birthday"]), "a new renderer reads the files as they are now"


def test_a_file_changed_after_first_use_is_not_reloaded(tmp_path: Path) -> None:
    r = write(tmp_path, {"birthday.j2": SIMPLE})
    assert r.render(item(person("a", "Иван"))).subject == "S"
    (tmp_path / "birthday.j2").write_text("{% broken", encoding="utf-8")
    assert r.render(item(person("b", "Иван"))).subject == "S"


def test_a_broken_template_fails_every_contact_the_same_way(tmp_path: Path) -> None:
    r = write(tmp_path, {"birthday.j2": "{% block subject %}\n{% if %}{% endblock %}"})
    messages = set()
    for cid in ("a", "b", "c"):
        with pytest.raises(TemplateError) as caught:
            r.render(item(person(cid, "Иван")))
        assert caught.value.contact_id == cid
        messages.add(re.sub(r" \(contact \w\)$", "", str(caught.value)))
    assert len(messages) == 1 and messages.pop().startswith("birthday.j2:2: syntax error")


@pytest.mark.parametrize(
    ("years", "company", "first_deal"),
    [
        (1, "компании «Каспий» исполнился 1 год.", "исполнился год со дня"),
        (3, "компании «Каспий» исполнилось 3 года.", "исполнилось 3 года со дня"),
        (15, "компании «Каспий» исполнилось 15 лет.", "исполнилось 15 лет со дня"),
        (21, "компании «Каспий» исполнился 21 год.", "исполнился 21 год со дня"),
    ],
)
def test_belated_past_tense_agrees_with_the_number(
    shipped: Renderer, years: int, company: str, first_deal: str
) -> None:
    out = shipped.render(item(TURKIC, "company_anniversary", years=years, belated=True))
    assert company in out.text
    out = shipped.render(
        item(TURKIC, "first_deal", occasion="first_deal_anniversary", years=years, belated=True)
    )
    assert first_deal in out.text


_CALLS = {
    "base.j2": "{% block head %}[{{ title }}]{% endblock %}|{% block body %}base{% endblock %}",
    "child.j2": (
        '{% extends "base.j2" %}{% from "m.j2" import box, wrap, spread %}'
        "{% block body %}{{ super() }}+{{ self.head() }}+{{ box('a') }}{{ box('b', n=3) }}"
        "{% call(x) wrap('W') %}<{{ x }}>{% endcall %}"
        "{% for i in items %}{{ box(i) }}{{ loop.index }}{% endfor %}"
        "{{ spread(1, 2, k='v') }}{% endblock %}"
    ),
    "m.j2": (
        "{% macro box(v, n=1) %}({{ v * n }}){% endmacro %}"
        "{% macro wrap(t) %}{{ t }}{{ caller('in') }}{{ t }}{% endmacro %}"
        "{% macro spread() %}{{ varargs|join(',') }};{{ kwargs|dictsort|map('join', '=')|join }}{% endmacro %}"
    ),
}


@pytest.mark.parametrize("html", [False, True])
def test_blocks_and_macros_render_exactly_as_in_the_stock_sandbox(tmp_path: Path, html: bool) -> None:
    # Sandbox.call short-cuts Jinja's own BlockReference and Macro objects (14 calls per
    # letter); the output must be the stock sandbox's, byte for byte, in both environments.
    from jinja2 import DictLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from greeter.template_env import make_environment

    ours = make_environment(FileSystemLoader(str(tmp_path)), html=html)
    ours.loader = DictLoader(_CALLS)
    stock = ImmutableSandboxedEnvironment(
        loader=DictLoader(_CALLS), autoescape=html, trim_blocks=True, lstrip_blocks=True
    )
    values = {"title": "<T>", "items": ["x", "y"]}
    got = ours.get_template("child.j2").render(values)
    assert got == stock.get_template("child.j2").render(values)
    assert got.startswith("[&lt;T&gt;]|base+[&lt;T&gt;]" if html else "[<T>]|base+[<T>]")
    assert "(a)(bbb)W<in>W(x)1(y)21,2;k=v" in got and got.count("k") == 1, "varargs and kwargs arrived"


def test_other_callables_still_pass_the_sandbox_checks(tmp_path: Path) -> None:
    from jinja2.exceptions import SecurityError

    from greeter.template_env import make_environment

    def wipe() -> str:
        return "wiped"

    wipe.alters_data = True  # type: ignore[attr-defined]  # Jinja's marker for "never from a template"
    env = make_environment(FileSystemLoader(str(tmp_path)), html=False)
    with pytest.raises(SecurityError, match="not safely callable"):
        env.from_string("{{ wipe() }}").render(wipe=wipe)


@pytest.mark.parametrize(
    "expression", ["self.nope()", "self.__class__", "self._TemplateReference__context", "self['__init__']"]
)
def test_self_refuses_what_the_stock_sandbox_refuses(tmp_path: Path, expression: str) -> None:
    # Sandbox.getattr reads ``self.<block>`` directly; anything else must fail as in the stock sandbox.
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from greeter.template_env import make_environment

    source = "{% block a %}A{% endblock %}{{ self.a() }}{{ " + expression + " }}"
    ours = make_environment(FileSystemLoader(str(tmp_path)), html=False)
    stock = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    outcomes = []
    for env in (ours, stock):
        try:
            outcomes.append(("ok", env.from_string(source).render()))
        except Exception as exc:  # the type is what must agree
            outcomes.append(("error", type(exc).__name__))
    assert outcomes[0] == outcomes[1] and outcomes[0][0] == "error", outcomes


def test_an_occasion_without_words_of_its_own_is_named_by_its_title() -> None:
    """A marketer's new "День менеджера" merged into every letter as "с прошедшим праздником" —
    never named; with the config's title the letters now say which holiday."""
    titled = Renderer(TEMPLATES, SENDER, titles={"manager_day": "День менеджера"})
    own = titled.render(item(MALE, "holiday", occasion="manager_day", day=date(2026, 12, 18), years=None))
    assert own.subject == "Иван Петрович, с Днём менеджера!"  # the title declined (occasion_titles)
    at = datetime(2026, 12, 22, 10, 30, tzinfo=ZoneInfo("Europe/Moscow"))
    manager = Hit(MALE, "manager_day", date(2026, 12, 18), None, 40, "holiday")
    merged = titled.render(item(MALE, day=date(2026, 12, 22), years=46, send_at=at, also=(manager,)))
    assert "поздравляем Вас и с прошедшим Днём менеджера!" in merged.text
    untitled = Renderer(TEMPLATES, SENDER).render(item(MALE, "holiday", occasion="manager_day", years=None))
    assert untitled.subject == "Иван Петрович, с праздником!"  # no title: as before


@pytest.mark.parametrize(
    ("title", "ahead", "own"),
    [
        ("именины", "и с наступающими именинами!", "с именинами!"),  # plural only: наступающими
        ("Масленица", "и с наступающей Масленицей!", "с Масленицей!"),
        ("Старый Новый год", "и с наступающим Старым Новым годом!", "со Старым Новым годом!"),
        ("День России", "и с наступающим Днём России!", "с Днём России!"),
        ("8 Марта", "и с наступающим праздником 8 Марта!", "с праздником 8 Марта!"),  # unquoted
        ("Black Friday", "и с наступающим праздником Black Friday!", "с праздником Black Friday!"),
    ],
)
def test_a_custom_occasions_title_is_declined_in_the_letter_when_the_dictionary_is_sure(
    title: str, ahead: str, own: str
) -> None:
    """«с наступающим праздником «Именины»» was correct and read as no Russian writes it."""
    titled = Renderer(TEMPLATES, SENDER, titles={"custom_day": title})
    at = datetime(2026, 12, 22, 10, 30, tzinfo=ZoneInfo("Europe/Moscow"))
    custom = Hit(MALE, "custom_day", date(2026, 12, 26), None, 40, "holiday")
    merged = titled.render(item(MALE, day=date(2026, 12, 22), years=46, send_at=at, also=(custom,)))
    assert f"поздравляем Вас {ahead}" in merged.text, merged.text
    alone = titled.render(item(MALE, "holiday", occasion="custom_day", day=date(2026, 12, 22), years=None))
    assert alone.subject == f"Иван Петрович, {own}", alone.subject


def test_serbian_letters_are_serbian_through_and_through() -> None:
    """The sample's Serbian client got the Russian letters (there were no .sr.j2 files): each
    shipped occasion with a Serbian file is Serbian in every form, merged lines included."""
    milan = person("s", "Милан", "", "Јовановић", company="Jovanović d.o.o.", locale="sr", gender=Gender.MALE)
    letters = [out for out in every_shipped_letter(milan) if out.template_file.endswith(".sr.j2")]
    assert {out.template_file for out in letters} == {
        "birthday.sr.j2",
        "new_year.sr.j2",
        "first_deal.sr.j2",
        "company_anniversary.sr.j2",
        "holiday.sr.j2",
    }
    for out in letters:
        assert out.text.startswith("Поштовани господине Јовановићу,\n\n"), out.text
        assert out.text.rstrip().endswith(f"С поштовањем,\nООО «Ромашка»\n\n{FOOTER}")
        for russian in ("Уважаем", "Здравствуйте", "поздравля", "С уважением", "компании", "ё", "ы"):
            assert russian not in out.subject + out.text, (out.template_file, russian)
    merged = "\n".join(out.text for out in letters if out.template_file != "first_deal.sr.j2")
    # with their numbers, as the other languages' merged lines say them (25. évfordulója)
    assert "честитамо 21. годишњицу Ваше компаније и 21. годишњицу наше сарадње!" in merged
    [first_deal] = {out.subject for out in letters if out.template_file == "first_deal.sr.j2"}
    assert first_deal == "15. годишњица наше сарадње — хвала Вам!"  # formal: no first name


# --------------------------------------------------------------------------- blocks rendered once per part


def test_a_block_called_twice_renders_the_same_text_escaped_per_part(tmp_path: Path) -> None:
    """``self.<block>()`` is kept per part: text and html each render it with their own escaping."""
    renderer = write(
        tmp_path,
        {
            "_base.j2": (
                "{% block subject %}{{ self.who() }}{% endblock %}"
                "{% block text %}{{ self.who() }}|{{ self.who() }}|{{ self.subject() }}{% endblock %}"
                "{% block html %}{{ self.who() }}|{{ self.subject() }}|{{ self.who() }}{% endblock %}"
            ),
            "birthday.j2": ('{% extends "_base.j2" %}{% block who %}{{ contact.company }}{% endblock %}'),
        },
    )
    letter = renderer.render(item(person("c", "Иван", company="A & <B>")))
    assert letter.subject == "A & <B>"
    assert letter.text == "A & <B>|A & <B>|A & <B>"
    assert letter.html == "A &amp; &lt;B&gt;|A &amp; &lt;B&gt;|A &amp; &lt;B&gt;"


def test_super_and_the_overriding_block_are_kept_apart(tmp_path: Path) -> None:
    renderer = write(
        tmp_path,
        {
            "_base.j2": "{% block subject %}S{% endblock %}{% block part %}base{% endblock %}",
            "birthday.j2": (
                '{% extends "_base.j2" %}'
                "{% block part %}child<{{ super() }}>{% endblock %}"
                "{% block text %}{{ self.part() }} {{ self.part() }}{% endblock %}"
            ),
        },
    )
    assert renderer.render(item(person("c", "Иван"))).text == "child<base> child<base>"


def test_a_scoped_block_and_an_include_still_see_their_own_variables(tmp_path: Path) -> None:
    """Contexts Jinja derives (loop variables, an include's top-level set) render afresh each call."""
    renderer = write(
        tmp_path,
        {
            "_inc.j2": (
                "{% set n = 1 %}{% block b %}{{ n }}{% endblock %}{{ self.b() }}{% set n = 2 %}{{ self.b() }}"
            ),
            "birthday.j2": (
                "{% block subject %}S{% endblock %}"
                "{% block text %}{% for i in [1, 2] %}{% block row scoped %}[{{ i }}]{% endblock %}{% endfor %}"
                '{% include "_inc.j2" %}{% endblock %}'
            ),
        },
    )
    assert renderer.render(item(person("c", "Иван"))).text == "[1][2]112"


# --------------------------------------------------------------------------- titles by language


def test_a_merged_occasion_is_named_in_the_letters_own_language(tmp_path: Path) -> None:
    """An occasion had one ``title``: an Estonian letter said «Lisaks õnnitleme: Годовщина компании»
    and a Russian one «с праздником «Eesti Vabariigi aastapäev»». ``title_by_locale`` names it in the
    letter's language, chosen as ``sender.by_locale`` is (``et_EE`` takes ``et``); a language it does
    not list, and a letter that falls back to another language's template, take the one it is in."""
    from greeter.config import Occasion

    independence = Occasion(
        name="ee_independence",
        template="x",
        holiday="Independence Day",
        country="EE",
        title="День независимости Эстонии",
        title_by_locale={"et-EE": "Eesti Vabariigi aastapäev", "en": "Estonian Independence Day"},
    )
    body = "{% block subject %}{{ occasion_title }}{% endblock %}{% block text %}{{ also|join(', ') }}{% endblock %}"
    for name in ("x.j2", "x.et.j2"):
        (tmp_path / name).write_text(body, encoding="utf-8")
    renderer = Renderer(
        tmp_path, SENDER, titles={"ee_independence": independence.title}, localized=[independence]
    )
    merged = Hit(MALE, "ee_independence", date(2027, 2, 24), None, 40, "x")
    letters = {
        locale: renderer.render(
            item(replace(MALE, locale=locale), "x", occasion="ee_independence", also=(merged,))
        )
        for locale in ("et_EE", "ru", "en", "de")
    }
    assert {k: (v.subject, v.text) for k, v in letters.items()} == {
        "et_EE": ("Eesti Vabariigi aastapäev", "Eesti Vabariigi aastapäev"),
        "ru": ("День независимости Эстонии", "День независимости Эстонии"),
        "en": ("День независимости Эстонии", "День независимости Эстонии"),  # no x.en.j2: a Russian letter
        "de": ("День независимости Эстонии", "День независимости Эстонии"),
    }
    (tmp_path / "x.en.j2").write_text(body, encoding="utf-8")
    english = Renderer(
        tmp_path, SENDER, titles={"ee_independence": independence.title}, localized=[independence]
    )
    letter = english.render(item(replace(MALE, locale="en"), "x", occasion="ee_independence", also=(merged,)))
    assert (letter.subject, letter.text) == ("Estonian Independence Day", "Estonian Independence Day")
    assert independence.title_by_locale == {
        "et_EE": "Eesti Vabariigi aastapäev",
        "en": "Estonian Independence Day",
    }


def test_english_letters_name_an_occasion_of_their_own_by_its_title() -> None:
    """An English client merged with ``kz_independence`` read "…a happy company anniversary and a
    happy holiday!": _en.j2 ignored the title the Russian and Serbian phrases print. Known names
    keep their English words; an unknown one takes the title, else "holiday" as before."""
    from greeter.config import Occasion

    independence = Occasion(
        name="kz_independence",
        template="holiday",
        holiday="Independence Day",
        country="KZ",
        title="День независимости Казахстана",
        title_by_locale={"en": "Independence Day of Kazakhstan"},
    )
    titles = {"kz_independence": independence.title or "", "womens_day": "8 Марта"}
    titled = Renderer(TEMPLATES, SENDER, titles=titles, localized=[independence])
    at = datetime(2026, 12, 17, 12, tzinfo=ZoneInfo("Europe/Moscow"))
    kz = Hit(ENGLISH, "kz_independence", date(2026, 12, 16), None, 40, "holiday")
    women = Hit(ENGLISH, "womens_day", date(2026, 12, 19), None, 30, "holiday")
    merged = titled.render(
        item(ENGLISH, "company_anniversary", day=date(2026, 12, 17), send_at=at, also=(kz, women))
    )
    assert (
        "We would also like to wish you a belated happy Independence Day of Kazakhstan"
        " and a happy International Women's Day!" in merged.text
    )
    own = titled.render(item(ENGLISH, "holiday", occasion="kz_independence", years=None))
    assert own.subject == "Happy Independence Day of Kazakhstan, John!"
    assert "Warm wishes to you on Independence Day of Kazakhstan" in own.text
    untitled = Renderer(TEMPLATES, SENDER).render(
        item(ENGLISH, "company_anniversary", day=date(2026, 12, 17), send_at=at, also=(kz,))
    )
    assert "wish you a belated happy holiday!" in untitled.text  # no title: as before
    plain = Renderer(TEMPLATES, SENDER).render(
        item(ENGLISH, "holiday", occasion="kz_independence", years=None)
    )
    assert plain.subject == "Happy holiday, John!"
    assert "Warm wishes to you on this special day" in plain.text


@pytest.mark.parametrize(
    ("contact", "occasion", "wish"),
    [
        # «Вам» once: the client's wishes, then the company's (a proof-reader marked «— Вам и ООО…»)
        (
            FEMALE,
            "defender_day",
            "Желаем Вам крепкого здоровья, уверенности в своих силах, надёжных партнёров,"
            " а ООО «Ромашка Плюс» — новых побед.",
        ),
        (
            NO_PATRONYMIC,
            "defender_day",
            "Желаем Вам крепкого здоровья, уверенности в своих силах, надёжных партнёров и новых побед.",
        ),
        # a day of remembrance, not "хорошего праздника"
        (FEMALE, "victory_day", "В этот день мы с благодарностью вспоминаем тех, кто отстоял мир."),
    ],
)
def test_holiday_wishes_read_as_a_proof_reader_wants(
    shipped: Renderer, contact: Contact, occasion: str, wish: str
) -> None:
    # victory_day's words are 9 May's, on 9 May only (another country's Victory Day: its title)
    day = date(2027, 5, 9) if occasion == "victory_day" else date(2026, 12, 15)
    out = shipped.render(item(contact, "holiday", occasion=occasion, day=day, years=None))
    assert wish in " ".join(out.text.split()), out.text
    assert "хорошего праздника" not in out.text and out.text.count("Вам") == 1
