"""A company name quoted as the letter's language quotes it, or not at all.

Serbian quotes the organisation's own name and leaves its legal form outside:
„Дунав“ д.о.о., ООО „Вектор“. Hungarian, German and Estonian write a company
name bare — Duna Kft., Müller GmbH, Põld OÜ, and a brand without a form too —
and only re-mark quotes the CRM typed: „Müller” GmbH in a Hungarian letter.
Russian and English are as they were (tests/test_company_names.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from greeter.company_names import LEGAL_FORMS, company_in, company_name
from greeter.config import Sender
from greeter.contacts import Contact
from greeter.plan_types import Hit, PlanItem
from greeter.render import Renderer
from tests.conftest import ROOT

SENDER = Sender(name="ООО «Ромашка»", email="hello@romashka.example", company="ООО «Ромашка»")

#: (letter's language, the CRM's name, what the letter writes)
QUOTED = [
    # Hungarian: a company name is a proper name, told by its capitals — no quotes, form or not
    ("hu", "Duna Kft.", "Duna Kft."),
    ("hu", "Duna Kft", "Duna Kft"),
    ("hu", "Richter Gedeon Nyrt.", "Richter Gedeon Nyrt."),
    ("hu", "Duna Zrt.", "Duna Zrt."),
    ("hu", "Kovács és Társa Bt.", "Kovács és Társa Bt."),
    ("hu", "Duna", "Duna"),  # a brand alone: bare as well
    ("hu", "Müller GmbH", "Müller GmbH"),
    ("hu", "ООО Тест3", "ООО Тест3"),
    ("hu", "Рога и Копыта", "Рога и Копыта"),
    # …quotes the CRM typed stay, as Hungarian writes them: „…”
    ("hu", "„Müller“ GmbH", "„Müller” GmbH"),
    ("hu", '"Duna" Kft.', "„Duna” Kft."),
    ("hu", "“Duna” Kft.", "„Duna” Kft."),
    ("hu", "ООО «Вектор»", "ООО „Вектор”"),
    ("hu", "„Duna” Kft.", "„Duna” Kft."),
    ("hu", '"Duna Kft.', '"Duna Kft.'),  # unpaired: as typed
    # German: Duden and DIN 5008 write firm names bare; „…“ would read as irony
    ("de", "Müller GmbH", "Müller GmbH"),
    ("de", "Kats AG", "Kats AG"),
    ("de", "Schmidt & Partner KG", "Schmidt & Partner KG"),
    ("de", "Schmidt GmbH & Co. KG", "Schmidt GmbH & Co. KG"),
    ("de", "Start UG (haftungsbeschränkt)", "Start UG (haftungsbeschränkt)"),
    ("de", "Max Müller e.K.", "Max Müller e.K."),
    ("de", "Müller", "Müller"),  # a brand alone: bare
    ("de", "Duna Kft.", "Duna Kft."),
    ("de", "ООО Тест3", "ООО Тест3"),
    ("de", "“Müller” GmbH", "„Müller“ GmbH"),
    ("de", "„Müller” GmbH", "„Müller“ GmbH"),
    ("de", "«Müller» GmbH", "„Müller“ GmbH"),
    ("de", "„Müller“ GmbH", "„Müller“ GmbH"),
    ("de", "ООО «Вектор»", "ООО „Вектор“"),
    # Estonian: EKI — firm names take no quotes: AS Tallinna Vesi, Tallinna Vesi AS
    ("et", "Põld OÜ", "Põld OÜ"),
    ("et", "Tallinna Vesi AS", "Tallinna Vesi AS"),
    ("et", "AS Tallinna Vesi", "AS Tallinna Vesi"),
    ("et", "Heategu MTÜ", "Heategu MTÜ"),
    ("et", "Jaan Tamm FIE", "Jaan Tamm FIE"),
    ("et", "Põld", "Põld"),
    ("et", 'AS "Tallinna Vesi"', "AS „Tallinna Vesi“"),
    ("et", "AS «Tallinna Vesi»", "AS „Tallinna Vesi“"),
    # Serbian: the name in „…“, its legal form outside, where the CRM put it
    ("sr", "Дунав д.о.о.", "„Дунав“ д.о.о."),
    ("sr", "Дунав д.о.о", "„Дунав“ д.о.о"),
    ("sr", "Дунав доо", "„Дунав“ доо"),
    ("sr", "Дунав ДОО", "„Дунав“ ДОО"),
    ("sr", "Дунав Д.О.О.", "„Дунав“ Д.О.О."),
    ("sr", "Дунав осигурање а.д.о.", "„Дунав осигурање“ а.д.о."),
    ("sr", "Енергопројект а.д.", "„Енергопројект“ а.д."),
    ("sr", "Енергопројект ад", "„Енергопројект“ ад"),
    ("sr", "Енергопројект АД", "„Енергопројект“ АД"),
    ("sr", "Дунав, д.о.о.", "„Дунав“ д.о.о."),
    ("sr", "ДОО Дунав", "ДОО „Дунав“"),
    ("sr", "ЈП Србијагас", "ЈП „Србијагас“"),
    # …Serbian in the Latin script (sr_Latn letters are "sr" to the filter) alike
    ("sr", "Dunav d.o.o.", "„Dunav“ d.o.o."),
    ("sr", "Sava d.o.o.", "„Sava“ d.o.o."),
    ("sr", "Dunav doo", "„Dunav“ doo"),
    ("sr", "Dunav DOO", "„Dunav“ DOO"),
    ("sr", "Dunav D.O.O.", "„Dunav“ D.O.O."),
    ("sr", "Energoprojekt a.d.", "„Energoprojekt“ a.d."),
    ("sr", "Energoprojekt ad", "„Energoprojekt“ ad"),
    ("sr", "Energoprojekt AD", "„Energoprojekt“ AD"),
    ("sr", "Jovanović d.o.o.", "„Jovanović“ d.o.o."),
    ("sr", "JKP Beograd", "JKP „Beograd“"),
    # …and any known form, foreign or Russian: outside the quotes too
    ("sr", "Kats GmbH", "„Kats“ GmbH"),
    ("sr", "Duna Kft.", "„Duna“ Kft."),
    ("sr", "Põld OÜ", "„Põld“ OÜ"),
    ("sr", "Acme Inc.", "„Acme“ Inc."),
    ("sr", "ООО Тест3", "ООО „Тест3“"),
    ("sr", "Дунав ООО", "ООО „Дунав“"),  # a Russian form goes first, as in a Russian letter
    ("sr", "ООО «Вектор»", "ООО „Вектор“"),  # a Russian company's own form, its name requoted
    ("sr", "ООО “Вектор”", "ООО „Вектор“"),
    ("sr", '"Дунав" д.о.о.', "„Дунав“ д.о.о."),
    ("sr", "„Дунав“ д.о.о.", "„Дунав“ д.о.о."),
    ("sr", "«Дунав» д.о.о.", "„Дунав“ д.о.о."),
    ("sr", "»Дунав« д.о.о.", "„Дунав“ д.о.о."),
    ("sr", 'ООО "Завод "Прогресс""', "ООО „Завод „Прогресс““"),
    ("sr", "McDonald's d.o.o.", "„McDonald's“ d.o.o."),  # an apostrophe is no quote
    ("sr", "Joe's Bar", "„Joe's Bar“"),
    ("sr", "ООО ‘Вектор’", "ООО ‘Вектор’"),  # single quotes: as typed, as in a Russian letter
    # …a name without a form: quoted whole; a person, a form alone, odd quotes: as written
    ("sr", "Дунав", "„Дунав“"),
    ("sr", "Рога и Копыта", "„Рога и Копыта“"),
    ("sr", "ИП Кузнецов Д. С.", "ИП Кузнецов Д. С."),
    ("sr", "Max Müller e.K.", "Max Müller e.K."),
    ("sr", "д.о.о.", "д.о.о."),
    ("sr", 'Труба 12" д.о.о.', 'Труба 12" д.о.о.'),
    ("sr", "Дунав д.о.о. Нови Сад", "„Дунав д.о.о. Нови Сад“"),  # the form not last: as before
    ("sr", "", ""),
    # Russian, as it was: Latin bare, a Russian form outside «», anything else in «»
    ("ru", "ООО Тест3", "ООО «Тест3»"),
    ("ru", "ООО «Вектор»", "ООО «Вектор»"),
    ("ru", "АО „Бета“", "АО «Бета»"),
    ("ru", "Ромашка ООО", "ООО «Ромашка»"),
    ("ru", "Рога и Копыта", "«Рога и Копыта»"),
    ("ru", "ИП Кузнецов Д. С.", "ИП Кузнецов Д. С."),
    ("ru", "Kats GmbH", "Kats GmbH"),
    ("ru", "Duna Kft.", "Duna Kft."),
    ("ru", "Dunav d.o.o.", "Dunav d.o.o."),
    ("ru", "Дунав д.о.о.", "«Дунав д.о.о.»"),  # a Serbian form is no Russian one: quoted whole, as before
    ("ru", "„Müller“ GmbH", "«Müller» GmbH"),  # typed quotes paired: «ёлочки», as before
    # English, as it was: as written
    ("en", "ООО «Вектор»", "ООО «Вектор»"),
    ("en", "Duna Kft.", "Duna Kft."),
    ("en", "„Müller“ GmbH", "„Müller“ GmbH"),
    ("en", "Дунав д.о.о.", "Дунав д.о.о."),
]


@pytest.mark.parametrize(("language", "name", "expected"), QUOTED)
def test_a_company_is_quoted_as_the_letters_language_quotes(language: str, name: str, expected: str) -> None:
    assert company_name(name, language) == expected


def test_the_default_is_russian_and_the_sentence_words_are_unchanged() -> None:
    assert company_name("Дунав д.о.о.") == "«Дунав д.о.о.»"
    assert company_in("Kats GmbH", "dative") == "компании Kats GmbH"
    assert company_in("Dunav d.o.o.", "genitive") == "компании Dunav d.o.o."
    assert company_in("ООО Тест3", "dative") == "ООО «Тест3»"


@pytest.mark.parametrize("form", sorted(LEGAL_FORMS))
def test_every_legal_form_is_outside_the_quotes_of_a_serbian_letter(form: str) -> None:
    quoted = "Дунав" if LEGAL_FORMS[form] else "Петар Петровић"  # a person's name: no quotes
    written = f"„{quoted}“ {form}" if LEGAL_FORMS[form] else f"{quoted} {form}"
    assert company_name(f"{quoted} {form}", "sr") == written
    for language in ("hu", "de", "et", "en"):
        assert company_name(f"{quoted} {form}", language) == f"{quoted} {form}"


# --------------------------------------------------------------------------- a letter per language


def _letter(templates: Path, company: str, locale: str, template: str = "birthday") -> str:
    contact = Contact(id="1", email="c@example.com", first_name="Ana", last_name="Kovač", company=company,
                      locale=locale)  # fmt: skip
    hit = Hit(contact, template, date(2027, 12, 4), 40, 100, template)
    return Renderer(templates, SENDER).render(PlanItem(hit, "send")).text


@pytest.mark.parametrize(
    ("company", "locale", "words"),
    [
        ("ООО Тест3", "ru", "а ООО «Тест3» — процветания"),
        ("Рога и Копыта", "ru", "а компании «Рога и Копыта» — процветания"),
        ("Kats GmbH", "ru", "а компании Kats GmbH — процветания"),
        ("Duna Kft.", "en", "continued prosperity to Duna Kft. Thank you"),
        ("Дунав д.о.о.", "sr", "а компанији „Дунав“ д.о.о. даљи раст"),
        ("Dunav d.o.o.", "sr_Latn", "a kompaniji „Dunav“ d.o.o. dalji rast"),  # transliterated whole
        ("ООО «Вектор»", "sr", "а компанији ООО „Вектор“ даљи раст"),
    ],
)
def test_the_shipped_templates_quote_the_company_as_their_language_does(
    company: str, locale: str, words: str
) -> None:
    text = _letter(ROOT / "templates", company, locale)
    assert words in text, text


def test_a_serbian_sentence_ending_with_the_form_has_one_full_stop() -> None:
    text = _letter(ROOT / "templates", "Дунав д.о.о.", "sr", "new_year")
    assert "партнери компаније „Дунав“ д.о.о. Нека" in text, text


#: A line of a letter of one's own in each language that writes company names bare.
LINES = {
    "hu": "Boldog születésnapot kívánunk a {} minden munkatársának!",
    "de": "Herzliche Grüße an das ganze Team der {}!",
    "et": "Palju õnne kogu {} meeskonnale!",
}


@pytest.mark.parametrize(
    ("company", "locale", "written"),
    [
        ("Duna Kft.", "hu_HU", "Duna Kft."),
        ("Duna", "hu", "Duna"),
        ('"Duna" Kft.', "hu", "„Duna” Kft."),
        ("Müller GmbH", "de", "Müller GmbH"),
        ("„Müller” GmbH", "de_AT", "„Müller“ GmbH"),
        ("Põld OÜ", "et", "Põld OÜ"),
        ("Tallinna Vesi AS", "et", "Tallinna Vesi AS"),
    ],
)
def test_a_letter_in_hungarian_german_or_estonian_names_the_company_bare(
    tmp_path: Path, company: str, locale: str, written: str
) -> None:
    language = locale.partition("_")[0]
    line = LINES[language].format("{{ contact.company|company }}")
    (tmp_path / f"t.{language}.j2").write_text(
        f"{{% block subject %}}x{{% endblock %}}{{% block text %}}{line}{{% endblock %}}", encoding="utf-8"
    )
    (tmp_path / "t.j2").write_text("{% block subject %}x{% endblock %}{% block text %}x{% endblock %}")
    assert _letter(tmp_path, company, locale, "t").strip() == LINES[language].format(written)


def test_the_company_filter_answers_per_name_case_and_letter_locale() -> None:
    """Its words are kept per (name, case, locale): each letter's language still gets its own,
    in the text and in the HTML part; a Markup name's words never become a plain name's kept answer."""
    from jinja2 import DictLoader
    from markupsafe import Markup

    from greeter.template_env import make_environment
    from greeter.template_filters import _company_text

    source = "{{ name|company }}|{{ name|company('dative') }}"
    name = "ООО Дунав „Трейд“"
    for html in (False, True):
        env = make_environment(DictLoader({}), html=html)
        answers = {loc: env.from_string(source).render(name=name, locale=loc) for loc in ("ru_RU", "sr_RS")}
        again = {loc: env.from_string(source).render(name=name, locale=loc) for loc in ("sr_RS", "ru_RU")}
        assert answers == again
        assert answers["ru_RU"] != answers["sr_RS"]
    env = make_environment(DictLoader({}), html=True)
    env.from_string("{{ name|company }}").render(name="A & B", locale="en_GB")  # kept
    marked = env.from_string("{{ name|company }}").render(name=Markup("A & B"), locale="en_GB")
    assert marked == str(env.from_string("{{ x }}").render(x=_company_text(Markup("A & B"), None, "en_GB")))


@pytest.mark.parametrize("locale", ["en_GB", "ru_RU", "sr_RS"])
@pytest.mark.parametrize("case", ["", "('dative')"])
@pytest.mark.parametrize("name", ["A & B", 'ООО "Вектор & Ко"'])
def test_an_escaped_company_name_is_escaped_once(locale: str, case: str, name: str) -> None:
    """A name that reaches ``company`` already escaped — a ``{% set %}`` block's or a macro's
    output in the HTML part, ``|e`` — reads as the same name typed plainly: «A & B» was
    ``A &amp;amp; B`` (escaped again when printed), and its ``&#34;`` hid the quotes the filter
    turns into the letter's own. A plain name is escaped once in HTML, never in the text part."""
    from jinja2 import DictLoader
    from markupsafe import Markup, escape

    from greeter.company_names import held_together
    from greeter.template_env import make_environment
    from greeter.template_filters import _company_text, _company_words

    _company_words.cache_clear()  # a Markup's words must not reach a plain name's kept answer
    html = make_environment(DictLoader({}), html=True)
    filtered = f"{{{{ name|company{case} }}}}"
    marked = escape(name)
    assert isinstance(marked, Markup)
    words = _company_text(name, "dative" if case else None, locale)
    once = str(escape(held_together(words)))  # the HTML part: the form held to the name
    for source, value in (
        (filtered, marked),
        ("{{ (name|e)|company" + case + " }}", name),
        ("{% set n %}{{ name }}{% endset %}{{ n|company" + case + " }}", name),
    ):
        shown = html.from_string(source).render(name=value, locale=locale)
        assert shown == once, source
        assert "&amp;amp;" not in shown and "&amp;#34;" not in shown
    assert html.from_string(filtered).render(name=name, locale=locale) == once
    text = make_environment(DictLoader({}), html=False)
    assert text.from_string(filtered).render(name=name, locale=locale) == words
    assert "&" in words and "&amp;" not in words
