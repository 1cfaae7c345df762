"""A company's legal form and its name stay on one line in the HTML part: «ООО\u00a0«Ромашка»».

Found by a persona reading greeter's letters as their recipient on a phone: the narrow column
wrapped «ООО» at the end of one line and «Ромашка» at the start of the next, and «ИП Кузнецов
Д.» apart from «С.». Russian typography keeps them together with a no-break space (U+00A0).
The HTML part does (the client's company, the sender's in the signature and the footer); the text
part keeps plain spaces: it is what search, quoting in a reply and copying read (see
:func:`greeter.company_names.held_together`).
"""

from __future__ import annotations

import pytest

from greeter.company_names import held_together
from greeter.render import Renderer
from tests.test_render import SENDER, TEMPLATES, item, person

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("words", "held"),
    [
        ("ООО «Ромашка»", "ООО\u00a0«Ромашка»"),
        ("ИП Кузнецов Д. С.", "ИП\u00a0Кузнецов\u00a0Д.\u00a0С."),
        ("ИП Кузнецову Д. С.", "ИП\u00a0Кузнецову\u00a0Д.\u00a0С."),
        ("„Дунав“ д.о.о.", "„Дунав“\u00a0д.о.о."),
        ("AS „Tallinna Vesi“", "AS\u00a0„Tallinna Vesi“"),
        ("Duna Kft.", "Duna\u00a0Kft."),
        ("Публичное акционерное общество «Северсталь»", "Публичное акционерное общество\u00a0«Северсталь»"),
        ("компании «Рога и Копыта»", "компании «Рога и Копыта»"),  # no legal form: as it is
        ("«Рога и Копыта»", "«Рога и Копыта»"),
        ("", ""),
    ],
)
def test_the_form_and_the_name_and_the_initials_are_held_together(words: str, held: str) -> None:
    assert held_together(words) == held


def test_the_html_part_keeps_the_form_with_the_name_and_the_text_part_keeps_plain_spaces() -> None:
    ivan = person("r", "Иван", "Петрович", "Иванов", company="ИП Кузнецов Д. С.", locale="ru")
    out = Renderer(TEMPLATES, SENDER).render(item(ivan, "birthday"))
    assert out.html is not None
    assert f"ИП{NBSP}Кузнецову{NBSP}Д.{NBSP}С." in out.html  # the client's, declined
    assert f"ООО{NBSP}«Ромашка», +7 495" in out.html  # the sender's, in the signature
    assert "ООО «Ромашка»" not in out.html.split("<body", 1)[1]
    assert NBSP not in out.text and NBSP not in out.subject
    assert "ИП Кузнецову Д. С." in out.text and "ООО «Ромашка», +7 495" in out.text
