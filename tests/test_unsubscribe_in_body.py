"""A letter says how to stop the greetings: its ``List-Unsubscribe`` link, visible, in its language.

Gmail's and Yahoo's rules for bulk senders want a visible unsubscribe link in
the body besides the header. Before, no letter had one and a template could not
add one (``{{ unsubscribe_url }}``: "undefined"). Letters here are rendered by
the renderer every command makes (:meth:`Renderer.of`) from the shipped
templates, and sent, previewed and approved by the real CLI. Also the footer's
contrast (WCAG AA) and its address (the config's ``reply_to``).
"""

from __future__ import annotations

import email
import email.policy
import json
import re
from datetime import date
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config import Settings
from greeter.config_loader import load_settings
from greeter.message import ascii_punctuation
from greeter.plan_types import Rendered
from greeter.render import Renderer
from greeter.unsubscribe import unsubscribe_url
from tests.colour import contrast
from tests.conftest import MakeProject
from tests.mime_oracle import unflowed
from tests.test_render import item, person
from tests.test_send_e2e import NOW, greeter, people

URL = "https://greet.example.com/unsubscribe"
ENV = "GREETER_TEST_BODY_UNSUB_SECRET"
SECRET = "body-link-secret-for-tests-32-bytes"
ONE_CLICK = {"unsubscribe": {"url": URL, "secret_env": ENV}}
MAILTO = "mailto:unsubscribe@romashka.example?subject=unsubscribe"  # config.example.yaml's, as a link


def settings_of(config: Path) -> Settings:
    return load_settings(config, today=date(2027, 4, 14))


def sent_letters(config: Path) -> list[EmailMessage]:
    outbox = config.parent / "data" / "outbox"
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for path in sorted(outbox.iterdir())
    ]


def part(letter: EmailMessage, kind: str) -> str:
    body = letter.get_body((kind,))
    assert body is not None
    content: str = body.get_content()
    content = content.replace("\r\n", "\n")  # text parts are encoded from CRLF lines (RFC 2045 §6.8)
    return unflowed(content) if kind == "plain" else content  # as a format=flowed reader shows it


def header_links(letter: EmailMessage) -> list[str]:
    return re.findall(r"<([^>]+)>", str(letter["List-Unsubscribe"]))


# --------------------------------------------------------------------------- the link


def test_the_sent_letter_shows_the_very_link_of_its_list_unsubscribe_header(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, SECRET)
    config = make_project(people(2), **ONE_CLICK)
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    letters = sent_letters(config)
    assert len(letters) == 2
    for letter in letters:
        mailto, link = header_links(letter)
        assert mailto == MAILTO
        assert link == unsubscribe_url(URL, SECRET.encode(), letter["To"].addresses[0].addr_spec)
        # The one-click link rather than the mailbox nobody reads, in both parts.
        html, text = part(letter, "html"), part(letter, "plain")
        assert f'Если Вы не хотите получать поздравления, <a href="{link}" ' in html
        assert text.endswith(f"\n\nЕсли Вы не хотите получать поздравления, отпишитесь: {link}")
        assert MAILTO not in html + text


def test_preview_shows_the_letter_as_it_is_sent_signed_link_and_all(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, SECRET)
    config = make_project(people(1), **ONE_CLICK)
    shown = CliRunner().invoke(
        main, ["--config", str(config), "preview", "--format", "json", "--from", "2027-04-14", "--days", "1",
               "--now", NOW],
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert shown.stderr == ""
    (draft,) = json.loads(shown.stdout)
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    (letter,) = sent_letters(config)
    # the same letter; on the way out its no-break spaces are written &nbsp; (message.ascii_punctuation)
    assert (ascii_punctuation(draft["html"]), draft["text"]) == (part(letter, "html"), part(letter, "plain"))
    assert header_links(letter)[1] in draft["html"]


def test_a_preview_eml_carries_the_one_click_headers_the_sent_letter_carries(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``preview --format eml`` wrote the mailto alone: a reviewer's mail-tester saw no one-click link."""
    monkeypatch.setenv(ENV, SECRET)
    config = make_project(people(1), **ONE_CLICK)
    out = config.parent / "eml"
    shown = greeter(config, "preview", "--format", "eml", "--out", str(out), "--from", "2027-04-14", "--days",
                    "1", "--now", NOW)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    (path,) = out.glob("*.eml")
    draft = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    (letter,) = sent_letters(config)
    assert isinstance(draft, EmailMessage)
    assert header_links(draft) == header_links(letter) and len(header_links(letter)) == 2
    assert draft["List-Unsubscribe-Post"] == letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_without_the_secret_preview_shows_the_letter_with_its_link_unsigned_and_says_so(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """send refuses to start without the secret; preview shows the letter as it will read, and why
    its link is not the one the client will get (a template author's machine may lack the secret)."""
    monkeypatch.delenv(ENV, raising=False)
    config = make_project(people(1), **ONE_CLICK)
    shown = CliRunner().invoke(
        main, ["--config", str(config), "preview", "--format", "json", "--from", "2027-04-14", "--days", "1",
               "--now", NOW],
    )  # fmt: skip
    assert shown.exit_code == 0, shown.output
    assert shown.stderr.splitlines() == [
        f"note: unsubscribe secret: environment variable {ENV} is not set: the letters show their "
        "unsubscribe link unsigned (…/unsigned); the letters sent carry each recipient's signed link"
    ]
    (draft,) = json.loads(shown.stdout)
    assert f'Если Вы не хотите получать поздравления, <a href="{URL}/unsigned" ' in draft["html"]
    assert draft["text"].endswith(f"отпишитесь: {URL}/unsigned")


def test_approve_needs_the_secret_and_what_it_approves_is_what_is_sent(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signed link is part of the letter approved: approved unsigned, no letter sent would match."""
    config = make_project(people(2), review="required", **ONE_CLICK)
    approve = [
        "--config",
        str(config),
        "approve",
        "--all",
        "--from",
        "2027-04-14",
        "--days",
        "1",
        "--now",
        NOW,
    ]
    monkeypatch.delenv(ENV, raising=False)
    refused = CliRunner().invoke(main, approve)
    assert refused.exit_code == 2, refused.output
    assert refused.stderr.splitlines() == [
        f"environment: {ENV}: unsubscribe secret: environment variable {ENV} is not set; approve needs it: "
        "each letter's signed unsubscribe link is approved too"
    ]
    monkeypatch.setenv(ENV, SECRET)
    approved = CliRunner().invoke(main, approve)
    assert approved.exit_code == 0, approved.output
    assert "approved 2 draft(s)" in approved.stdout
    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stderr
    assert "sent: 2" in sent.stdout


def test_a_template_can_link_to_unsubscribe_itself(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reviewer's own template: ``undefined: 'unsubscribe_url'`` before."""
    monkeypatch.setenv(ENV, SECRET)
    config = make_project([], **ONE_CLICK)
    (config.parent / "templates" / "custom.j2").write_text(
        "{% block subject %}Hi{% endblock %}\n"
        "{% block text %}Hi. Stop: {{ unsubscribe_url }} or {{ unsubscribe_mailto }}{% endblock %}\n"
        '{% block html %}<a href="{{ unsubscribe_url }}">stop</a>{% endblock %}\n',
        encoding="utf-8",
    )
    letter = Renderer.of(settings_of(config)).render(item(person("7", "Иван"), "custom"))
    link = unsubscribe_url(URL, SECRET.encode(), "7@example.com")
    assert letter.text == f"Hi. Stop: {link} or {MAILTO}"
    assert letter.html == f'<a href="{link}">stop</a>'


# --------------------------------------------------------------------------- the footer's words

#: A minimal letter in a language the shipped templates have no file for: the layout words the rest.
OWN_FILE = (
    '{% extends "_layout.html.j2" %}{% block subject %}…{% endblock %}{% block message %}…{% endblock %}'
)

#: Each language's line: (what leads to the link, the link's words).
LINES = {
    "ru": ("Если Вы не хотите получать поздравления, ", "отпишитесь"),
    "en_GB": ("If you would rather not receive our greetings, ", "please unsubscribe"),
    "sr": ("Ако не желите да примате честитке, ", "одјавите се"),
    "sr_Latn": ("Ako ne želite da primate čestitke, ", "odjavite se"),
    "hu": ("Ha nem szeretne több üdvözletet kapni, ", "iratkozzon le"),
    "et": ("Kui Te ei soovi enam õnnitlusi saada, ", "saate neist loobuda"),
    "de": ("Wenn Sie keine Glückwünsche mehr erhalten möchten, ", "melden Sie sich bitte ab"),
    "uk": ("Якщо Ви не бажаєте отримувати привітання, ", "відпишіться"),
}


@pytest.mark.parametrize("locale", list(LINES))
def test_the_footer_says_it_in_the_letters_language(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    monkeypatch.setenv(ENV, SECRET)
    config = make_project([], **ONE_CLICK)
    for language in ("hu", "et", "de", "uk"):
        (config.parent / "templates" / f"birthday.{language}.j2").write_text(OWN_FILE, encoding="utf-8")
    letter = Renderer.of(settings_of(config)).render(item(person("7", "Anna", locale=locale)))
    link = unsubscribe_url(URL, SECRET.encode(), "7@example.com")
    lead, words = LINES[locale]
    assert letter.text.endswith(f"\n\n{lead}{words}: {link}")
    assert f'{lead}<a href="{link}" style="color:#756b5f; text-decoration:underline;">{words}</a>.' in (
        letter.html or ""
    )


def test_a_line_in_the_fallback_language_is_marked_so_in_a_right_to_left_letter(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Hebrew letter's English line rendered «.If you would rather not receive…» (its full stop
    at the wrong end) and a Hebrew voice read it: now in its own language and direction."""
    monkeypatch.setenv(ENV, SECRET)
    config = make_project([], **ONE_CLICK)
    (config.parent / "templates" / "birthday.he.j2").write_text(OWN_FILE, encoding="utf-8")
    letter = Renderer.of(settings_of(config)).render(item(person("7", "Anna", locale="he")))
    html = letter.html or ""
    assert 'dir="rtl"' in html
    lead, words = LINES["en_GB"]
    assert re.search(rf'<span lang="en" dir="ltr">{lead}<a [^>]+>{words}</a>\.</span>', html), html[-900:]
    english = Renderer.of(settings_of(config)).render(item(person("8", "Anna", locale="en_GB")))
    assert '<span lang="en"' not in (english.html or "")  # an English letter's own language: no mark
    assert letter.text.endswith(f"{lead}{words}: {unsubscribe_url(URL, SECRET.encode(), '7@example.com')}")


def test_with_only_a_mailto_the_footer_links_to_it_and_with_neither_it_says_nothing(
    make_project: MakeProject,
) -> None:
    config = make_project([])  # config.example.yaml: a mailto, no one-click url
    mailto_only = Renderer.of(settings_of(config)).render(item(person("7", "Иван")))
    assert mailto_only.text.endswith(f"отпишитесь: {MAILTO}")
    assert f'<a href="{MAILTO}" style' in (mailto_only.html or "")
    settings = settings_of(config)
    none = settings.model_copy(
        update={"unsubscribe": settings.unsubscribe.model_copy(update={"mailto": None})}
    )
    plain = Renderer.of(none).render(item(person("7", "Иван")))
    assert "отпишитесь" not in plain.text + (plain.html or "")
    reply = settings.sender.reply_to or settings.sender.email  # the footer's contact line closes it then
    assert plain.text.endswith(f"ООО «Ромашка», +7 495 000-00-00\n\n{reply}")  # the name once: signed


# --------------------------------------------------------------------------- the footer's address


def test_the_footer_address_is_where_replies_go(make_project: MakeProject) -> None:
    settings = settings_of(make_project([]))  # reply_to: manager@…, "replies go to a real person"
    html = Renderer.of(settings).render(item(person("7", "Иван"))).html or ""
    assert '<a href="mailto:manager@romashka.example"' in html and ">manager@romashka.example</a>" in html
    assert "mailto:greetings@romashka.example" not in html
    own = settings.model_copy(update={"sender": settings.sender.model_copy(update={"reply_to": None})})
    html = Renderer.of(own).render(item(person("7", "Иван"))).html or ""
    assert '<a href="mailto:greetings@romashka.example"' in html


# --------------------------------------------------------------------------- contrast


def test_the_wcag_formula_is_the_one_of_the_reviewers_figures() -> None:
    assert round(contrast("#9a9083", "#f4f1ec"), 2) == 2.79  # the old footer
    assert round(contrast("#9a8c73", "#ffffff"), 1) == 3.3  # the old name line
    assert contrast("#000000", "#ffffff") == pytest.approx(21)


_VOID = {"br", "meta", "img", "hr", "input", "link"}


class _TextColours(HTMLParser):
    """Each piece of text of an inline-styled letter: (text, colour, background, font size in px)."""

    def __init__(self) -> None:
        super().__init__()
        self.styles: list[dict[str, str]] = []
        self.texts: list[tuple[str, str, str, float]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        style = dict(attrs).get("style") or ""
        pairs = (p.split(":", 1) for p in style.split(";") if ":" in p)
        self.styles.append({k.strip(): v.strip() for k, v in pairs})

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.styles.pop()

    def _nearest(self, name: str, default: str) -> str:
        return next((s[name] for s in reversed(self.styles) if name in s), default)

    def handle_data(self, data: str) -> None:
        size = float(self._nearest("font-size", "16px").removesuffix("px"))
        if data.strip() and size > 0 and self._nearest("display", "") != "none":
            text = data.strip()
            self.texts.append(
                (text, self._nearest("color", "#000000"), self._nearest("background-color", "#ffffff"), size)
            )


def texts_of(letter: Rendered) -> list[tuple[str, str, str, float]]:
    parser = _TextColours()
    parser.feed(letter.html or "")
    return parser.texts


def test_every_small_text_of_the_letter_meets_wcag_aa(make_project: MakeProject) -> None:
    """4.5:1 for text under 24px (18pt): the footer's 12px grey was 2.79:1, the name line's 3.3:1."""
    settings = settings_of(make_project([]))
    letter = Renderer.of(settings).render(item(person("7", "Иван", "Петрович", "Иванов")))
    texts = texts_of(letter)
    poor = [
        (t, c, b, round(contrast(c, b), 2)) for t, c, b, size in texts if size < 24 and contrast(c, b) < 4.5
    ]
    assert poor == []
    shown = {text for text, *_ in texts}
    assert {"Ивану Петровичу Иванову", "manager@romashka.example", "отпишитесь"} <= shown  # all looked at
