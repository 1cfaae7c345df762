"""``greeter check`` of a starter trimmed to birthdays: one warning for the folder's unused files.

A marketer who deleted every occasion but the birthday from the starter's
config got ~24 lines of ``…: warning: no occasion … uses this file: it is
never rendered`` on every ``check``, one per letter of the occasions gone. They
are now one line for the templates folder naming the first few; ``check
--json`` lists every file in ``unused_templates``, and ``--strict`` still fails
on it (a warning, as before).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main

NOW = "2026-12-01T09:00:00+03:00"
NEVER = "no occasion, layout, include or import uses"


def birthdays_only(tmp_path: Path) -> Path:
    """``greeter init``'s project with every occasion but the first (birthday) deleted from the config."""
    done = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert done.exit_code == 0, done.output
    config = tmp_path / "greeter.yaml"
    text = config.read_text(encoding="utf-8")
    start = text.index("\noccasions:\n")
    second = text.index("\n  - name:", text.index("\n  - name:", start) + 1)
    rest = re.compile(r"^\S", re.MULTILINE).search(text, second + 1)
    assert rest is not None
    config.write_text(text[:second] + "\n" + text[rest.start() :], encoding="utf-8")
    return config


def check(config: Path, *args: str) -> tuple[int, str, str]:
    done = CliRunner().invoke(main, ["--config", str(config), "check", *args, "--now", NOW])
    return done.exit_code, done.stdout, done.stderr


def test_the_unused_letters_of_a_trimmed_starter_are_one_warning_line(tmp_path: Path) -> None:
    config = birthdays_only(tmp_path)
    code, out, err = check(config)
    assert code == 0, out + err
    unused = [line for line in (out + err).splitlines() if NEVER in line]
    assert unused == [
        f"{tmp_path / 'templates'}: warning: 32 files {NEVER}: they are never rendered: "
        "company_anniversary.de.j2, company_anniversary.en.j2, company_anniversary.et.j2, "
        "company_anniversary.hu.j2, company_anniversary.j2 and 27 more (delete them if they are not "
        "wanted; check --json lists them in unused_templates)"
    ], unused


def test_check_json_lists_every_unused_file_and_strict_still_fails(tmp_path: Path) -> None:
    config = birthdays_only(tmp_path)
    code, out, _ = check(config, "--json")
    summary = json.loads(out)
    assert code == 0 and summary["ok"] is True
    letters = ("company_anniversary", "first_deal", "holiday", "new_year")
    languages = (
        "de.",
        "en.",
        "et.",
        "hu.",
        "",
        "ka.",
        "sr.",
        "uk.",
    )  # the shipped letters: Ukrainian since session 38, Georgian since fix-georgian
    assert summary["unused_templates"] == [f"{t}.{lang}j2" for t in letters for lang in languages]
    assert sum(NEVER in p for p in summary["problems"]) == 1
    code, out, _ = check(config, "--json", "--strict")
    assert code == 1 and json.loads(out)["ok"] is False
