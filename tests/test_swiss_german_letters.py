"""Swiss letters are written without ß: Swiss Standard German has not used it since the 1930s.

Found by a marketer at a Vienna firm: letters to Swiss clients (Content-Language de-CH)
said «Außerdem», «herzliche Grüße» and «Mit freundlichen Grüßen». A letter whose
locale is de_CH or de_LI is now spelt with ss (ẞ: SS) in every part — subject, text,
HTML, the built-in closing and what the data prints — except in links and addresses,
where ss would be another domain or mailbox; a German or Austrian letter keeps its ß.

A QA re-test: the client's own name and company lost their ß with the template's
(«Guten Tag Jürg Strauss», «Ihrem Unternehmen Grossmann AG») while the To: header said
Strauß. Names are data, never altered: the contact's name parts and company keep it.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from greeter.contacts import Contact, Gender
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.render import Renderer
from tests.test_estonian_german_letters import SENDER
from tests.test_render import TEMPLATES, person

DAY = date(2027, 5, 3)
#: What the German birthday template is given to say besides its own words, in each part.
ADDED = "Außerdem grüßt Sie die STRAẞE: straße@example.de, https://straße.example/weiß."


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> Renderer:
    """The shipped templates, the German birthday letter's subject and message saying :data:`ADDED`."""
    folder: Path = tmp_path_factory.mktemp("templates")
    shutil.copytree(TEMPLATES, folder, dirs_exist_ok=True)
    path = folder / "birthday.de.j2"
    source = path.read_text(encoding="utf-8")
    source = source.replace("{% block subject %}\n", "{% block subject %}\nGrüße – ", 1)
    source = source.replace("{% block message %}\n", f"{{% block message %}}\n{ADDED}\n\n", 1)
    path.write_text(source, encoding="utf-8")
    return Renderer(folder, SENDER)


def letter(renderer: Renderer, contact: Contact) -> Rendered:
    hit = Hit(contact, "birthday", DAY, None, 100, "birthday")
    at = datetime.combine(DAY, time(11), ZoneInfo("Europe/Zurich"))
    return renderer.render(PlanItem(hit=hit, status="send", send_at=at))


def client(locale: str, last: str = "Weiß") -> Contact:
    return person("c", "Jörg", "", last, gender=Gender.MALE, locale=locale, company="Strauß AG")


@pytest.mark.parametrize("locale", ["de_CH", "de-CH", "de_LI"])
def test_a_swiss_letter_has_no_eszett(renderer: Renderer, locale: str) -> None:
    out = letter(renderer, client(locale))
    assert out.html is not None
    for part in (out.subject, out.text, out.html):
        kept = part.replace("straße@", "").replace("straße.example/weiß", "").replace("Weiß", "")
        # the company as typed; in HTML with its no-break space before the legal form (held_together)
        assert "ß" not in kept.replace("Strauß AG", "").replace("Strauß\u00a0AG", "")
        assert "ẞ" not in part
    assert out.subject.startswith("Grüsse – ")
    assert out.text.startswith("Sehr geehrter Herr Weiß,")  # the client's name as the CRM has it
    assert "Ausserdem grüsst Sie die STRASSE: straße@example.de, https://straße.example/weiß." in out.text
    assert "Mit freundlichen Grüssen\n" in out.text  # the built-in closing
    assert "Mit freundlichen Grüssen" in out.html
    assert "straße@example.de" in out.html  # an address is another mailbox with ss


@pytest.mark.parametrize("locale", ["de", "de_AT", "de_DE"])
def test_a_german_or_austrian_letter_keeps_it(renderer: Renderer, locale: str) -> None:
    out = letter(renderer, client(locale))
    assert out.subject.startswith("Grüße – ")
    assert out.text.startswith("Sehr geehrter Herr Weiß,")
    assert ADDED in out.text
    assert "Mit freundlichen Grüßen\n" in out.text


def test_only_eszett_changes() -> None:
    from greeter.letter_forms import without_eszett  # new: imported here, so the rest runs on the base

    assert without_eszett("Strasse") == "Strasse"
    assert without_eszett("Fuß, FUẞ, Fu&szlig;") == "Fuss, FUSS, Fuss"
    assert without_eszett('<a href="mailto:weiß@example.ch">Weiß</a>') == (
        '<a href="mailto:weiß@example.ch">Weiss</a>'
    )


@pytest.mark.parametrize("locale", ["de_CH", "de_LI"])
def test_the_clients_name_and_company_keep_their_eszett(renderer: Renderer, locale: str) -> None:
    """«Herr Strauß», «Großmann & Söhne AG» as typed (HTML-escaped in HTML); the template's
    own words around them lose their ß."""
    contact = person("c", "Jürg", "", "Strauß", locale=locale, company="Großmann & Söhne AG")
    out = letter(renderer, contact)
    assert out.html is not None
    assert out.text.startswith("Sehr geehrter Herr Strauß,"), out.text  # Jürg: a man (given_names)
    assert "Großmann & Söhne AG" in out.text, out.text
    assert "Großmann &amp; Söhne\u00a0AG" in out.html, out.html  # no break before the legal form
    assert "Strauß" in out.html
    assert out.subject.startswith("Grüsse – ")
    assert "Ausserdem grüsst Sie die STRASSE" in out.text
    assert "Mit freundlichen Grüssen" in out.text and "Mit freundlichen Grüssen" in out.html


def test_a_name_is_kept_with_its_titles_or_without() -> None:
    from greeter.letter_forms import without_eszett

    names = ("Jürg", "Mag. Dr. Strauß", "", "Weiß & Co")
    assert without_eszett("Sehr geehrter Herr Dr. Strauß, Grüße", names) == (
        "Sehr geehrter Herr Dr. Strauß, Grüsse"
    )
    assert without_eszett("Weiß &amp; Co; weiß", names) == "Weiß &amp; Co; weiss"
