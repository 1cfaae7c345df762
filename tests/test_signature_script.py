"""``check`` warns where ``sender.signature`` is in another script than the letters it signs.

A Riga office's project (``defaults.locale: lv``) kept the starter's «С уважением, Ольга Петрова…»
under its Latvian letters, and ``check`` said nothing: it judged the sender's name and company in
another language's letters, never the signature. The signature signs the letters of
``defaults.locale``'s language (``Sender.signature_in``): it is judged against theirs, both ways.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

NOW = "2027-03-01T10:00:00+03:00"
LATIN = "Ar cieņu,\n  Ilze Bērziņa, mārketinga vadītāja\n  SIA Rīgas Sveicieni, +371 67 000 000\n"


def _warnings(config: Path) -> list[str]:
    done = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert done.exit_code == 0, done.output
    return [line for line in done.stderr.splitlines() if "sender.signature" in line]


def _signature(config: Path, lines: str) -> None:
    text = config.read_text(encoding="utf-8")
    text, found = re.subn(r"(?m)^(  signature: \|-?\n)(?:    [^\n]*\n)+", lambda m: m[1] + "    " + lines.replace("\n  ", "\n    "), text, count=1)  # fmt: skip
    assert found == 1, text
    config.write_text(text, encoding="utf-8")


def test_a_latin_signature_under_russian_letters_is_warned(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@x.ru"), contact_row("2", "b@x.ru")])
    assert _warnings(config) == []  # the example's Russian signature under Russian letters
    _signature(config, LATIN)
    warnings = _warnings(config)
    assert len(warnings) == 1, warnings
    assert (
        "sender.signature: warning: 2 contact(s) get letters in 'ru' (written in Cyrillic) signed with "
        "sender.signature 'Ar cieņu, Ilze Bērziņa…' (Latin)"
    ) in warnings[0], warnings


def test_a_cyrillic_signature_under_letters_in_a_latin_language_is_warned(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["init", str(tmp_path), "--locale", "et"])
    assert done.exit_code == 0, done.output
    config = tmp_path / "greeter.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\n  signature: |" not in text  # init moved the Russian one to by_locale.ru
    assert _warnings(config) == []
    text = text.replace(
        "\n  by_locale:\n",
        "\n  signature: |\n    С уважением,\n    Ольга Петрова, отдел продаж\n  by_locale:\n",
        1,
    )
    config.write_text(text, encoding="utf-8")
    warnings = _warnings(config)
    assert len(warnings) == 1, warnings
    assert (
        "get letters in 'et' (written in Latin) signed with sender.signature 'С уважением, Ольга Петрова…' (Cyrillic)"
        in warnings[0]
    )
