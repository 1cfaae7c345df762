"""``greeter init DIR --locale LANG``: a starter project whose unsuffixed letters are in LANG.

An Estonian team ran ``greeter init`` and set ``defaults.locale: et``: the
starter's unsuffixed letters are Russian, so the Russian text was taken as
Estonian (Russian clients got «Lugupeetud Sergei Petrov!» over Russian text).
``--locale et`` writes ``birthday.et.j2``'s text as ``birthday.j2`` and the
Russian one as ``birthday.ru.j2`` (no language twice), a config saying
``locale: et`` whose Russian signature signs the Russian letters only; the
project passes ``check`` and its preview gives each client their language.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.cli_init import TEMPLATES, project_head, starter_locales, starter_root
from greeter.config_loader import load_settings
from tests.conftest import ROOT, TODAY

NOW = "2026-12-01T09:00:00+03:00"
LETTERS = ("birthday", "company_anniversary", "first_deal", "new_year", "holiday")
SIGNATURE = "С уважением,\nОльга Смирнова, отдел по работе с клиентами\nООО «Ромашка», +7 495 000-00-00\n"


def init(folder: Path, *args: str) -> str:
    done = CliRunner().invoke(main, ["init", str(folder), *args])
    assert done.exit_code == 0, done.output
    return done.stdout


def estonian_row(cid: str, email: str, last: str, first: str, locale: str, birthday: str) -> str:
    """A row of the Estonian project's data/contacts.csv (data/contacts.et.csv's columns)."""
    return ";".join(
        [
            cid,
            email,
            last,
            first,
            "",
            "Test OÜ",
            "Europe/Tallinn",
            locale,
            "regular",
            "",
            birthday,
            "",
            "",
            "EE",
        ]
    )


def greeter(config: Path, *args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["--config", str(config), *args, "--now", NOW])
    return done.exit_code, done.stdout


def test_the_starter_offers_russian_and_each_language_every_letter_has() -> None:
    assert starter_locales(starter_root()) == ["ru", "de", "en", "et", "hu", "ka", "sr", "uk"]


def test_init_locale_et_writes_estonian_letters_unsuffixed_and_russian_ones_as_ru(tmp_path: Path) -> None:
    project = tmp_path / "greetings"
    init(project, "--locale", "et")
    folder = project / TEMPLATES
    shipped = ROOT / TEMPLATES
    for letter in LETTERS:
        assert (folder / f"{letter}.j2").read_bytes() == (shipped / f"{letter}.et.j2").read_bytes()
        assert (folder / f"{letter}.ru.j2").read_bytes() == (shipped / f"{letter}.j2").read_bytes()
        assert not (folder / f"{letter}.et.j2").exists()  # Estonian once: no duplicate
        assert (folder / f"{letter}.en.j2").read_bytes() == (shipped / f"{letter}.en.j2").read_bytes()
    assert (folder / "_ru.j2").is_file() and (folder / "_et.j2").is_file()
    settings = load_settings(project / "greeter.yaml", today=TODAY)
    assert settings.defaults.locale == "et"
    sender = settings.sender
    assert sender.signature == ""  # the Russian one signs no Estonian letter…
    assert sender.signature_in("ru", "et") == SIGNATURE  # …only the Russian ones
    assert sender.in_locale("et") == ("Romashka LLC", "Romashka LLC")


def test_the_estonian_project_passes_check_and_greets_each_client_in_their_language(tmp_path: Path) -> None:
    project = tmp_path / "greetings"
    init(project, "--locale", "et")
    contacts = project / "data" / "contacts.csv"
    # The Estonian sample's columns (no patronymic: an Estonian CRM has none).
    rows = [
        estonian_row("2001", "ru@example.com", "Иванов", "Иван", "ru", "03.12.1970"),
        estonian_row("2002", "et@example.com", "Tamm", "Mari", "et", "03.12.1971"),
        estonian_row("2003", "none@example.com", "Kask", "Jaan", "", "03.12.1972"),
    ]
    with contacts.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")
    code, out = greeter(project / "greeter.yaml", "check")
    assert code == 0, out
    assert out.rstrip().splitlines()[-1].startswith("check: OK"), out
    code, out = greeter(project / "greeter.yaml", "preview", "--days", "10", "--format", "json")
    letters = {d["contact_id"]: d for d in json.loads(out) if d["occasion"] == "birthday"}
    russian = letters["2001"]
    assert russian["subject"] == "Иван, с днём рождения!"
    assert (
        "Примите наши самые тёплые поздравления" in russian["text"] and SIGNATURE.strip() in russian["text"]
    )
    assert "Lugupeetud" not in russian["text"]
    for cid in ("2002", "2003"):  # their own language, and no language (defaults.locale): Estonian
        estonian = letters[cid]
        assert estonian["subject"] == "Palju õnne sünnipäeva puhul!", estonian
        assert "Lugupeetud" in estonian["text"] and "Romashka LLC" in estonian["text"]
        assert "С уважением" not in estonian["text"] and "Примите" not in estonian["text"]


@pytest.mark.parametrize("locale", ["de", "en", "hu", "sr"])
def test_every_offered_language_passes_check(tmp_path: Path, locale: str) -> None:
    init(tmp_path, "--locale", locale)
    assert load_settings(tmp_path / "greeter.yaml", today=TODAY).defaults.locale == locale
    code, out = greeter(tmp_path / "greeter.yaml", "check")
    assert code == 0 and out.rstrip().splitlines()[-1].startswith("check: OK"), out


def test_locale_ru_is_the_starter_byte_for_byte(tmp_path: Path) -> None:
    init(tmp_path / "a")
    init(tmp_path / "b", "--locale", "ru")
    a, b = ({p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
            for root in (tmp_path / "a", tmp_path / "b"))  # fmt: skip
    assert a == b
    example = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    assert (tmp_path / "a" / "greeter.yaml").read_text(encoding="utf-8") == project_head(example)


def test_a_language_the_starter_has_no_letters_in_is_refused_naming_those_it_has(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["init", str(tmp_path / "p"), "--locale", "fi"])
    assert done.exit_code == 2
    assert "'fi': the starter's letters are in ru, de, en, et, hu, ka, sr" in done.stderr
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize("written", ["et_EE", "ET", "et-EE", " et "])
def test_a_locale_written_as_defaults_locale_takes_its_language(tmp_path: Path, written: str) -> None:
    """``--locale et_EE`` (as a config's defaults.locale is written) or ``EN`` was refused as
    "the starter's letters are in ru, de, en, et, …" — which has et. The letters are by language."""
    project = tmp_path / "p"
    init(project, "--locale", written)
    # The config keeps the territory asked for (test_init_territory): et_EE, not et.
    expected = "et_EE" if "EE" in written else "et"
    assert load_settings(project / "greeter.yaml", today=TODAY).defaults.locale == expected
    shipped = ROOT / TEMPLATES
    assert (project / TEMPLATES / "birthday.j2").read_bytes() == (shipped / "birthday.et.j2").read_bytes()
