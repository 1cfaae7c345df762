"""An address with an internationalised domain reads in its Unicode form where people read it.

A Riga office's letters closed «SIA Rīgas Sveicieni · ilze.berzina@xn--rgas-sveicieni-ldc.lv»,
and its gallery pages said «Кому Ilze Bērziņa <ilze@xn--brzii-iza47a.lv>»: greeter keeps such a
domain in its ASCII (punycode) form, as every SMTP server takes it — in the headers and the
envelope, which stay so — but a reader sees the name she typed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from greeter.config import Sender
from greeter.contacts import readable_address
from greeter.render import Renderer
from tests.conftest import MakeProject, contact_row
from tests.test_render import SENDER, TEMPLATES, item, person

NOW = "2027-04-10T10:00:00+03:00"


def test_an_ascii_form_reads_as_its_unicode_one() -> None:
    assert readable_address("ilze@xn--brzii-iza47a.lv") == "ilze@bērziņi.lv"
    assert readable_address("olga@xn--e1afmkfd.xn--p1ai") == "olga@пример.рф"
    assert readable_address("greetings@romashka.example") == "greetings@romashka.example"
    assert readable_address("a@xn--zz.lv") == "a@xn--zz.lv"  # no IDNA name: as it is
    assert readable_address("") == ""


def test_the_letters_footer_shows_the_unicode_domain(tmp_path: Path) -> None:
    sender = Sender(
        name=SENDER.name,
        email="sveicieni@rīgas-sveicieni.lv",
        reply_to="ilze.berzina@rīgas-sveicieni.lv",
        company="SIA «Rīgas Sveicieni»",
        signature=SENDER.signature,
    )
    assert sender.reply_to == "ilze.berzina@xn--rgas-sveicieni-ldc.lv"  # sent so
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    out = Renderer(folder, sender).render(item(person("1", "Иван", "Петрович", "Иванов")))
    assert "ilze.berzina@rīgas-sveicieni.lv" in out.text, out.text
    assert out.html is not None and ">ilze.berzina@rīgas-sveicieni.lv</a>" in out.html
    assert "xn--" not in out.text


def test_the_gallery_shows_the_unicode_domain_and_the_eml_stays_ascii(make_project: MakeProject) -> None:
    cells = contact_row("1", "ilze@bērziņi.lv", first="Иван", last="Иванов").split(";")
    cells[11] = "12.04.1980"
    config = make_project([";".join(cells)])
    out = config.parent / "gallery"
    done = CliRunner().invoke(main, ["--config", str(config), "preview", "--from", "2027-04-10", "--days", "5",
                                     "--now", NOW, "--format", "html", "--out", str(out)])  # fmt: skip
    assert done.exit_code == 0, done.output
    pages = [p.read_text(encoding="utf-8") for p in (out / "drafts").rglob("*.html")]
    assert pages and all("xn--" not in p for p in pages), [
        p[p.find("xn--") - 80 : p.find("xn--") + 40] for p in pages
    ]
    assert any("bērziņi.<wbr>lv" in p or "bērziņi.lv" in p for p in pages)
    done = CliRunner().invoke(main, ["--config", str(config), "preview", "--from", "2027-04-10", "--days", "5",
                                     "--now", NOW, "--format", "json"])  # fmt: skip
    assert {d["email"] for d in json.loads(done.stdout)} == {"ilze@xn--brzii-iza47a.lv"}  # machine: ASCII
