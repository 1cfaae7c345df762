"""``defaults.locale: hr`` (or ``bs``) on a Serbian-Latin starter: one letter, in Serbian Latin.

docs/commands.md suggests ``hr``/``bs`` for a Croatian or Bosnian gallery; such a
team's letters read «Dear Марко, / Ваш рођендан је 12. prosinca, и желимо …»:
the letter was worded in ``hr`` (no ``_hr.j2`` salutation: English; no Latin
conversion: Cyrillic; Croatian month names) while its file is the Serbian one.
The default file now writes in Serbian Latin (:func:`greeter.i18n.letter_default`):
salutation, script and dates together. Failed on the commit before.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.i18n import letter_default

CYRILLIC = re.compile("[\u0400-\u04ff]")
#: Croatian month names (genitive) Babel writes under ``hr``: never inside a Serbian text.
CROATIAN_MONTHS = ("prosinca", "siječnja", "veljače", "ožujka")
#: The starter's first four clients (2001-2004: Cyrillic Serbian in the CRM), their locales rewritten.
LOCALES = {"2001": "hr", "2002": "bs", "2003": "hr_HR", "2004": ""}


def starter(folder: Path, default: str) -> Path:
    """A ``sr_Latn`` starter with ``defaults.locale: default`` and clients of ``LOCALES``."""
    done = CliRunner().invoke(main, ["init", str(folder), "--locale", "sr_Latn"])
    assert done.exit_code == 0, done.output
    config = folder / "greeter.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\n  locale: sr_Latn " in text
    config.write_text(text.replace("\n  locale: sr_Latn ", f"\n  locale: {default} ", 1), encoding="utf-8")
    csv = folder / "data" / "contacts.csv"
    rows = csv.read_text(encoding="utf-8").splitlines()
    head = rows[0].split(";")
    column = head.index("Језик")
    for i, row in enumerate(rows[1:], 1):
        cells = row.split(";")
        if cells[0] in LOCALES:
            cells[column] = LOCALES[cells[0]]
            rows[i] = ";".join(cells)
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return config


@pytest.mark.parametrize("default", ["hr", "bs"])
def test_hr_or_bs_default_writes_the_serbian_letter_in_latin(tmp_path: Path, default: str) -> None:
    config = starter(tmp_path, default)
    args = ["preview", "--occasion", "birthday", "--from", "2026-12-01", "--days", "120", "--format", "json"]
    done = CliRunner().invoke(main, ["--config", str(config), *args, "--now", "2026-12-01T09:00"])
    assert done.exit_code == 0, done.output
    letters = {
        d["contact_id"]: d for d in json.loads(done.stdout) if d["contact_id"] in LOCALES and d["text"]
    }
    assert sorted(letters) == sorted(LOCALES)
    for contact, letter in letters.items():
        text = letter["text"]
        assert text.startswith("Poštovan"), (contact, text[:80])  # the Serbian salutation, not «Dear»
        for part in (letter["subject"], text, letter["html"]):
            assert not CYRILLIC.search(part), (contact, CYRILLIC.findall(part)[:5])
        assert not any(month in text for month in CROATIAN_MONTHS), (contact, text[:200])
        assert 'lang="sr-Latn"' in letter["html"]
    assert "12. decembra" in letters["2001"]["text"]  # the Serbian Latin date


@pytest.mark.parametrize("default", ["hr", "bs"])
def test_check_takes_the_default_letters_for_serbian(tmp_path: Path, default: str) -> None:
    """No «open in English … for 'hr'», «sender.by_locale.sr», «taken as Croatian» warnings: the letters are Serbian."""
    config = starter(tmp_path, default)
    done = CliRunner().invoke(main, ["--config", str(config), "check", "--now", "2026-12-01T09:00"])
    assert done.exit_code == 0, done.output
    said = done.output
    for wrong in ("open in English", "letters in 'sr'", "taken as", "Croatian letters", "Bosnian letters"):
        assert wrong not in said, said
    assert f"({default})" not in said  # «get birthday.j2 (hr)»: the letter is sr_Latn's


def test_letter_default() -> None:
    assert [letter_default(x) for x in ("hr", "bs_BA", "bs_Cyrl", "sr_Latn", "ru", "en-US")] == [
        "sr_Latn",
        "sr_Latn",
        "sr",
        "sr_Latn",
        "ru",
        "en_US",
    ]
