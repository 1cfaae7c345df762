"""The gallery's From: is the one the letter carries (``sender.by_locale``), not the sender's default.

Real processes: ``preview --format eml`` writes the letters as delivery builds
them, ``preview --format html`` the pages a reviewer approves; each page's
«От» must read what its letter's From: header says.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from tests.conftest import MakeProject, contact_row
from tests.test_gallery import cards, parse
from tests.test_send_e2e import NOW, greeter_process

WINDOW = ("--from", "2027-04-14", "--days", "3", "--now", NOW)


def row(cid: str, locale: str, first: str, last: str) -> str:
    fields = contact_row(cid, f"client{cid}@example.com", first=first, patronymic="", last=last).split(";")
    fields[8] = locale  # the Язык column
    fields[11] = "15.04.1980"  # Дата рождения
    return ";".join(fields)


def test_each_page_shows_the_from_its_letter_carries(make_project: MakeProject) -> None:
    """John Smith's English letter says ``From: Romashka LLC``; his page said «ООО «Ромашка»»."""
    config = make_project(
        [
            row("1", "ru", "Иван", "Иванов"),
            row("2", "en", "John", "Smith"),
            row("3", "sr_Latn", "Jelena", "Petrović"),
            row("4", "sr", "Милан", "Јовановић"),
        ]
    )
    eml = config.parent / "eml"
    done = greeter_process(config, "preview", *WINDOW, "--format", "eml", "--out", str(eml))
    assert done.returncode == 0, done.stderr
    sent: dict[str, str] = {}
    for path in eml.glob("*.eml"):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(msg, EmailMessage)
        sent[str(msg["To"].addresses[0].addr_spec)] = str(msg["From"])
    assert sent == {
        "client1@example.com": "ООО «Ромашка» <greetings@romashka.example>",
        "client2@example.com": "Romashka LLC <greetings@romashka.example>",
        "client3@example.com": "Romashka LLC <greetings@romashka.example>",
        "client4@example.com": "Romashka LLC <greetings@romashka.example>",
    }

    out = config.parent / "gallery"
    done = greeter_process(config, "preview", *WINDOW, "--format", "html", "--out", str(out))
    assert done.returncode == 0, done.stderr
    shown: dict[str, str] = {}
    for card in cards(parse(out / "index.html")).values():
        page = parse(out / next(card.find("a")).attrs["href"])
        meta = next(page.find("dl"))
        labels = [n.all_text() for n in meta.find("dt")]
        values = [n.all_text() for n in meta.find("dd")]
        fields = dict(zip(labels, values, strict=True))
        shown[fields["Кому"].rsplit("<", 1)[1].rstrip(">")] = fields["От"]
    assert shown == sent


def test_a_letter_page_without_a_display_name_shows_the_bare_address(make_project: MakeProject) -> None:
    """An empty ``by_locale`` name leaves the header a bare address, and the page says so too."""
    config = make_project([row("2", "en", "John", "Smith")], sender={"by_locale": {"en": {"name": " "}}})
    out = config.parent / "gallery"
    done = greeter_process(config, "preview", *WINDOW, "--format", "html", "--out", str(out))
    assert done.returncode == 0, done.stderr
    (page,) = (out / "drafts").glob("*/1.html")  # in the folder of the day it leaves
    raw = page.read_text(encoding="utf-8")
    # a line may break after "@" and each dot of it (a phone broke «greetings@romashka.examp|le»)
    assert "<dt>От</dt><dd>greetings@<wbr>romashka.<wbr>example</dd>" in raw, raw[:2000]
