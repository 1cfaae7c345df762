"""The shipped letters' brand in one file, links that read right in both parts, the text part's footer,
and Serbian merged lines that say which anniversary.

An email designer's review of the shipped templates: the accent colour was copied into 30 letters
(one hex per occasion and language) and the other colours were written into the layout, so a
company changing its colours edited 31 files; a URL in the words was plain text in the HTML, its
``&`` unescaped, and an ``<a>`` typed into the words showed its tags in the text part; the text
part had no contact line where the HTML's footer has one; and the Serbian merged line said
«годишњицу Ваше компаније» where the Hungarian says «25. évfordulója». Letters are rendered by the
real renderer from the shipped templates (or a copy of them in ``tmp_path``, edited as a company
would).
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from greeter.config import Sender
from greeter.contacts import Gender
from greeter.plan_types import Hit, Rendered
from greeter.render import Renderer
from tests.test_render import FOOTER, SENDER, TEMPLATES, _TagBalance, item, person

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
#: One client per shipped language (the default file is Russian).
CLIENTS = {
    "ru": person("r", "Иван", "Петрович", "Иванов", gender=Gender.MALE),
    "en": person("e", "John", "", "Smith", gender=Gender.MALE, locale="en"),
    "sr": person("s", "Марко", "", "Николић", gender=Gender.MALE, locale="sr"),
    "hu": person("h", "Péter", "", "Nagy", gender=Gender.MALE, locale="hu"),
    "et": person("t", "Jaan", "", "Tamm", gender=Gender.MALE, locale="et"),
    "de": person("d", "Karl", "", "Weber", gender=Gender.MALE, locale="de"),
}


def own_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# --------------------------------------------------------------------------- the brand in one file


def test_no_template_but_the_brand_file_writes_a_colour() -> None:
    """The accent was copied into every letter (30 files) and the other colours into the layout."""
    colours = {path.name: HEX.findall(path.read_text(encoding="utf-8")) for path in TEMPLATES.glob("*.j2")}
    assert {name: found for name, found in colours.items() if found and name != "_brand.j2"} == {}
    assert len(colours["_brand.j2"]) >= 10  # accents per occasion, page, card, texts, links


def test_a_company_changes_its_colours_in_one_file_for_every_letter(tmp_path: Path) -> None:
    folder = own_copy(tmp_path)
    brand = folder / "_brand.j2"
    edit(brand, '"birthday": "#c7883a"', '"birthday": "#123456"')
    edit(brand, '{% set page = "#f4f1ec" %}', '{% set page = "#abcdef" %}')
    edit(brand, '{% set text = "#3a3632" %}', '{% set text = "#010203" %}')
    renderer = Renderer(folder, SENDER)
    for lang, contact in CLIENTS.items():
        out = renderer.render(item(contact))
        assert out.html is not None
        assert out.template_file == ("birthday.j2" if lang == "ru" else f"birthday.{lang}.j2")
        assert out.html.count("#123456") == 2, lang  # the card's top bar and the rule above the signature
        assert "background-color:#abcdef;" in out.html and "color:#010203;" in out.html
        assert not {"#c7883a", "#f4f1ec", "#3a3632"} & set(HEX.findall(out.html)), lang
    # an occasion of the config's the brand file does not list takes its default accent
    other = renderer.render(item(CLIENTS["en"], "holiday", occasion="company_day", years=None))
    assert other.html is not None and "background-color:#8a6d3b;" in other.html


def test_the_logo_is_absent_by_default_and_shown_with_its_alt_text_when_given(tmp_path: Path) -> None:
    shipped = Renderer(TEMPLATES, SENDER).render(item(CLIENTS["en"]))
    assert shipped.html is not None and "<img" not in shipped.html
    folder = own_copy(tmp_path)
    brand = folder / "_brand.j2"
    edit(
        brand,
        '{% set logo_url = "" %}',
        '{% set logo_url = "https://romashka.example/logo.png?v=2&size=2x" %}',
    )
    edit(brand, '{% set logo_alt = "" %}', '{% set logo_alt = "ООО «Ромашка»" %}')
    edit(brand, "{% set logo_width = 120 %}", "{% set logo_width = 160 %}")
    out = Renderer(folder, SENDER).render(item(CLIENTS["en"]))
    assert out.html is not None
    assert (
        '<img src="https://romashka.example/logo.png?v=2&amp;size=2x" alt="ООО «Ромашка»" width="160" '
        'style="display:block; width:160px;'
    ) in out.html
    # above the heading, which then starts closer to it
    assert out.html.index("<img") < out.html.index("<h1")
    assert '<td class="g-heading" style="padding:16px 40px 8px 40px; font-family:Georgia' in out.html
    assert out.text == shipped.text  # the text part has no logo
    balance = _TagBalance()
    balance.feed(out.html)
    assert balance.errors == [] and balance.stack == []


# --------------------------------------------------------------------------- links and buttons


def with_links(tmp_path: Path, words: str) -> Renderer:
    """The shipped templates, the English birthday letter opening with ``words`` (a paragraph)."""
    folder = own_copy(tmp_path)
    edit(
        folder / "birthday.en.j2",
        "{% block message %}\n",
        '{% block message %}\n{% from "_brand.j2" import link, button %}\n' + words + "\n\n",
    )
    return Renderer(folder, SENDER)


def test_a_link_reads_as_words_and_address_in_text_and_as_an_escaped_link_in_html(tmp_path: Path) -> None:
    renderer = with_links(
        tmp_path,
        'See {{ link("https://romashka.example/gift?id=7&from=mail", "your <gift>") }} '
        'or {{ link("https://romashka.example") }}.',
    )
    out = renderer.render(item(CLIENTS["en"]))
    assert out.text.startswith(
        "Dear John,\n\nSee your <gift> (https://romashka.example/gift?id=7&from=mail) or https://romashka.example.\n\n"
    )
    assert "<a" not in out.text and "&amp;" not in out.text
    assert out.html is not None
    assert (
        '<p style="margin:0 0 16px 0;">See <a href="https://romashka.example/gift?id=7&amp;from=mail" '
        'class="g-link" style="color:#2f5d8a; text-decoration:underline;">your &lt;gift&gt;</a> or '
        '<a href="https://romashka.example" class="g-link" style="color:#2f5d8a; text-decoration:underline;">'
        "https://romashka.example</a>.</p>"
    ) in out.html


def test_a_button_is_a_styled_link_in_html_and_words_with_the_address_in_text(tmp_path: Path) -> None:
    renderer = with_links(tmp_path, '{{ button("https://romashka.example/gift?a=1&b=2", "Choose & enjoy") }}')
    out = renderer.render(item(CLIENTS["en"]))
    assert "\n\nChoose & enjoy (https://romashka.example/gift?a=1&b=2)\n\n" in out.text
    assert out.html is not None
    assert (
        '<p style="margin:0 0 16px 0;"><a href="https://romashka.example/gift?a=1&amp;b=2" '
        'style="display:inline-block; padding:12px 24px; background-color:#2f5d8a;'
    ) in out.html
    assert 'color:#ffffff; text-decoration:none;">Choose &amp; enjoy</a></p>' in out.html


def test_only_an_address_a_mail_client_opens_becomes_a_link(tmp_path: Path) -> None:
    renderer = with_links(
        tmp_path,
        '{{ link("javascript:alert(1)", "click") }} {{ link("mailto:hello@romashka.example", "write") }} '
        '{{ link("tel:+74950000000", "call") }}',
    )
    out = renderer.render(item(CLIENTS["en"]))
    assert out.html is not None
    assert "javascript:" not in out.html.split("<body", 1)[1].replace("click (javascript:alert(1))", "")
    assert '<a href="mailto:hello@romashka.example"' in out.html and '<a href="tel:+74950000000"' in out.html
    assert (
        "click (javascript:alert(1)) write (mailto:hello@romashka.example) call (tel:+74950000000)"
        in out.text
    )


def test_a_serbian_latin_letter_keeps_its_link_as_written(tmp_path: Path) -> None:
    folder = own_copy(tmp_path)
    edit(
        folder / "birthday.sr.j2",
        "{% block message %}\n",
        '{% block message %}\n{% from "_brand.j2" import link %}\n'
        'Погледајте {{ link("https://пример.срб/поклон", "поклон") }}.\n\n',
    )
    latin = person("l", "Ana", "", "Petrović", gender=Gender.FEMALE, locale="sr_Latn")
    out = Renderer(folder, SENDER).render(item(latin))
    assert "Pogledajte poklon (https://пример.срб/поклон)." in out.text
    assert (
        out.html is not None
        and '<a href="https://пример.срб/поклон"' in out.html
        and ">poklon</a>" in out.html
    )


# --------------------------------------------------------------------------- the text part's footer


def test_the_text_part_ends_with_the_footers_contact_line_in_every_language() -> None:
    """English letters had no contact detail at all: the signature is the closing and a name."""
    renderer = Renderer(TEMPLATES, SENDER)
    for contact in CLIENTS.values():
        out = renderer.render(item(contact))
        assert out.text.endswith(f"\n\n{FOOTER}"), out.text
        assert out.html is not None
        assert '"><a href="mailto:greetings@romashka.example"' in out.html  # signed above: the address alone


def test_the_contact_line_names_where_replies_go() -> None:
    sender = Sender.model_validate({**SENDER.model_dump(), "reply_to": "clients@romashka.example"})
    out = Renderer(TEMPLATES, sender).render(item(CLIENTS["en"]))
    assert out.text.endswith("\n\nclients@romashka.example")
    assert out.html is not None and 'href="mailto:clients@romashka.example"' in out.html


# --------------------------------------------------------------------------- Serbian merged lines


def merged_birthday(contact_locale: str) -> Rendered:
    contact = person("s", "Марко", "", "Николић", gender=Gender.MALE, locale=contact_locale)
    also = (
        Hit(contact, "company_anniversary", date(2026, 12, 18), 25, 80, "company_anniversary"),
        Hit(contact, "first_deal_anniversary", date(2026, 12, 18), 5, 70, "first_deal"),
    )
    return Renderer(TEMPLATES, SENDER).render(item(contact, years=40, also=also))


def test_a_serbian_merged_line_says_which_anniversary_as_the_other_languages_do() -> None:
    """The anniversaries of 18.12 ride in a letter of 15.12: still ahead, wished «унапред»."""
    cyrillic = merged_birthday("sr")
    assert (
        "\n\nТакође Вам унапред честитамо 25. годишњицу Ваше компаније и пету годишњицу наше сарадње!\n\n"
        in (cyrillic.text)
    )
    latin = merged_birthday("sr_Latn")
    assert (
        "\n\nTakođe Vam unapred čestitamo 25. godišnjicu Vaše kompanije i petu godišnjicu naše saradnje!\n\n"
        in (latin.text)
    )
    assert latin.html is not None and "25. godišnjicu Vaše kompanije i petu godišnjicu" in latin.html
