"""``init`` for a Brazilian office: its holidays as examples, and where Portuguese letters come from.

A São Paulo reseller's ``init --country BR`` wrote "greeter has no example holiday for BR" though
``init --help`` promises the country's own as examples; and ``init --locale pt`` was refused
naming the starter's languages, not that Portuguese letters are files one adds (docs/templates.md,
"Adding a language").
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main


def test_a_brazilian_project_offers_brazils_holidays(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["init", str(tmp_path / "br"), "--country", "BR"])
    assert done.exit_code == 0, done.output
    text = (tmp_path / "br" / "greeter.yaml").read_text(encoding="utf-8")
    assert "no example holiday" not in text
    assert '    holiday: "Christmas Day"\n' in text  # the first, greeted
    assert 'holiday: "Tiradentes\' Day"' in text
    checked = CliRunner().invoke(
        main,
        ["--config", str(tmp_path / "br" / "greeter.yaml"), "check", "--now", "2027-01-05T12:00:00-03:00"],
    )
    assert checked.exit_code == 0, checked.output


def test_a_language_without_letters_is_told_how_to_add_them(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["init", str(tmp_path / "p"), "--locale", "pt"])
    assert done.exit_code == 2
    said = " ".join(done.stderr.replace("│", "").split())
    assert "start with --country BR" in said
    assert (
        'add birthday.pt.j2, … and _pt.j2 to such a project (docs/templates.md, "Adding a language")' in said
    )
    assert not (tmp_path / "p").exists()
