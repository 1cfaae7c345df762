"""The preheader: the line an inbox shows after the subject is the message's first paragraph.

Without one, clients showed the first text of the HTML part — the name line and the heading,
which repeat the subject: «ИВАНУ ПЕТРОВИЧУ ИВАНОВУ С днём рождения! Уважаемый…».
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from greeter.contacts import Gender
from tests.test_render import SENDER, TEMPLATES, Renderer, every_shipped_letter, item, person

HIDDEN = re.compile(
    r'<body[^>]*>\s*<div style="display:none;[^"]*mso-hide:all;">(?P<text>.*?)(?:&#847;|</div>)', re.S
)


class _Visible(HTMLParser):
    """The text a reader sees: everything outside an element styled display:none."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "br"):
            return
        style = dict(attrs).get("style") or ""
        if self.hidden or "display:none" in style.replace(" ", ""):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)


@pytest.mark.parametrize("locale", ["ru", "en", "sr", "hu", "et", "de"])
def test_every_shipped_letter_opens_with_its_first_paragraph_hidden(locale: str) -> None:
    contact = person("c", "Иван", "Петрович", "Иванов", company="ООО Тест", locale=locale, gender=Gender.MALE)
    for out in every_shipped_letter(contact):
        assert out.html is not None
        found = HIDDEN.search(out.html)
        assert found is not None, out.html[:600]
        preheader = " ".join(unescape(found["text"]).split())
        assert 20 <= len(preheader) <= 150, preheader
        # the first paragraph of the letter's own words, which the reader sees again where it stands
        first = " ".join(out.text.split("\n\n")[1].split())
        assert first.startswith(preheader.removesuffix("…")), (preheader, first)
        visible = _Visible()
        visible.feed(out.html)
        assert " ".join("".join(visible.text).split()).count(preheader.removesuffix("…")[:40]) == 1


def test_the_preheader_escapes_what_the_message_holds_once(tmp_path) -> None:
    for shared in ("_layout.html.j2", "_brand.j2"):  # the layout imports the brand (colours, footer)
        (tmp_path / shared).write_text((TEMPLATES / shared).read_text(encoding="utf-8"))
    (tmp_path / "note.j2").write_text(
        '{% extends "_layout.html.j2" %}{% block subject %}S{% endblock %}'
        "{% block message %}Для {{ contact.company }}\nи только.\n\nВторой абзац.{% endblock %}",
        encoding="utf-8",
    )
    out = Renderer(tmp_path, SENDER).render(item(person("c", "Иван", company="A & B <i>x</i>"), "note"))
    assert out.html is not None
    found = HIDDEN.search(out.html)
    assert found is not None
    assert found["text"] == "Для A &amp; B &lt;i&gt;x&lt;/i&gt; и только.", found["text"]
    assert "<i>" not in out.html and "&amp;amp;" not in out.html
