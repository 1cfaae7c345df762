"""``greeter init --locale de --country AT`` for a Vienna team: their sender, their country.

Marketing at a Vienna software firm (clients in DE, AT, CH, UK, IE, US; no
Russian speakers) ran ``init --locale de --country AT``, made ``sender`` theirs
as init says, and every German letter still went out ``From: Romashka LLC``
with «Romashka LLC · …» under their signature: the starter's
``sender.by_locale.de`` repeated the example's name and overrode theirs, and
``check`` said OK. The sample clients were in Europe/Berlin and Germany, and
Austria had no example holiday although ``holiday: "Nationalfeiertag"`` works.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from greeter.config_loader import load_settings
from greeter.starter_countries import HOLIDAYS, LANGUAGES
from greeter.testing import SmtpSink
from tests.conftest import ROOT, TODAY
from tests.test_init_country import _uncommented, greeter, init
from tests.test_send_e2e import smtp

#: What the Vienna team wrote over the example's sender.
THEIRS = {
    "name": "Anna Huber, Alpenblick",
    "company": "Alpenblick Software GmbH",
    "email": "greetings@alpenblick.at",
    "reply_to": "marketing@alpenblick.at",
}


def make_sender_theirs(config: Path) -> None:
    """Edit the top-level ``sender`` block only, as the team did (by_locale entries untouched)."""
    text = config.read_text(encoding="utf-8")
    for key, value in THEIRS.items():
        text, found = re.subn(rf"(?m)^(  {key}: )[^#\n]*?( *#[^\n]*)?$", rf"\g<1>{value}\g<2>", text, count=1)
        assert found == 1, key
    config.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("locale", sorted(set(LANGUAGES) - {"ru"}))
def test_the_sender_the_user_edits_signs_the_letters_in_the_projects_language(
    tmp_path: Path, locale: str
) -> None:
    init(tmp_path, "--locale", locale)
    make_sender_theirs(tmp_path / "greeter.yaml")
    sender = load_settings(tmp_path / "greeter.yaml", today=TODAY).sender
    assert locale not in sender.by_locale  # no second block for the same letters
    assert sender.in_locale(locale) == (THEIRS["name"], THEIRS["company"])
    assert sender.in_locale("ru") == ("ООО «Ромашка»", "ООО «Ромашка»")  # the Russian letters' own
    code, out = greeter(tmp_path, "preview", "--days", "60", "--format", "json")
    assert code == 0, out
    own = [d for d in json.loads(out) if d["status"] == "send" and (d["template_file"] or "").count(".") == 1]
    assert own, out
    for letter in own:
        assert THEIRS["company"] in letter["text"], letter["text"]
        assert "Romashka" not in letter["text"], letter["text"]


def test_check_warns_where_letters_would_go_out_with_the_examples_sender(tmp_path: Path) -> None:
    init(tmp_path, "--locale", "de", "--country", "AT")
    config = tmp_path / "greeter.yaml"
    # The team's file: their top-level sender, the example's by_locale.de an earlier init left.
    text = config.read_text(encoding="utf-8")
    if "\n    de:\n" not in text:
        entry = "    de:\n      name: Romashka LLC\n      company: Romashka LLC\n"
        text = text.replace("  by_locale:\n", "  by_locale:\n" + entry)
    config.write_text(text, encoding="utf-8")
    make_sender_theirs(config)
    with SmtpSink() as sink:
        settings = smtp(sink.port)["delivery"]["smtp"]
        text = config.read_text(encoding="utf-8")
        text = text.replace("transport: file ", "transport: smtp ").replace(
            "    host: localhost\n    port: 25\n", f"    host: {settings['host']}\n    port: {sink.port}\n"
        )
        config.write_text(text, encoding="utf-8")
        code, out = greeter(tmp_path, "check")
    assert code == 0, out
    warnings = [line for line in out.splitlines() if "placeholder" in line]
    assert any(
        "sender.by_locale.de: warning: name 'Romashka LLC' and company 'Romashka LLC' (signing the letters in de: 10 contact(s))"
        in line
        for line in warnings
    ), out
    assert any(
        "unsubscribe: warning: mailto 'unsubscribe@romashka.example' (in every letter)" in line
        for line in warnings
    ), out
    # The Russian entry signs no letter here (no Russian-speaking client): no word of it.
    assert "by_locale.ru" not in out and "+7 495" not in out, out
    assert len(warnings) == 2, warnings
    code, _ = greeter(tmp_path, "check", "--strict")
    assert code == 1


def test_a_fresh_starter_says_its_placeholders_in_a_note_not_a_warning(tmp_path: Path) -> None:
    """The file transport sends nobody anything: the starter still checks without warnings."""
    init(tmp_path, "--locale", "de", "--country", "AT")
    code, out = greeter(tmp_path, "check")
    assert code == 0 and "warning:" not in out, out
    assert "example: letters carry the example config's placeholders (sender.email" in out, out
    make_sender_theirs(tmp_path / "greeter.yaml")
    text = (tmp_path / "greeter.yaml").read_text(encoding="utf-8")
    text = text.replace("unsubscribe@romashka.example", "unsubscribe@alpenblick.at")
    (tmp_path / "greeter.yaml").write_text(text, encoding="utf-8")
    code, out = greeter(tmp_path, "check")
    assert code == 0 and "placeholder" not in out, out


def test_the_placeholders_check_looks_for_are_the_examples() -> None:
    from greeter.check_sender import EXAMPLE_PLACEHOLDERS

    text = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    for placeholder in EXAMPLE_PLACEHOLDERS:
        assert placeholder in text, placeholder


@pytest.mark.parametrize(("locale", "country", "zone"), [
    ("de", "AT", "Europe/Vienna"), ("de", "CH", "Europe/Zurich"), ("en", "IE", "Europe/Dublin"),
    ("en", "US", "America/New_York"),
])  # fmt: skip
def test_init_country_puts_the_sample_clients_in_that_country(
    tmp_path: Path, locale: str, country: str, zone: str
) -> None:
    init(tmp_path, "--locale", locale, "--country", country)
    text = (tmp_path / "data" / "contacts.csv").read_text(encoding="utf-8")
    own = LANGUAGES[locale]
    assert own.timezone not in text and f"{own.country}\n" not in text, text
    lines = text.splitlines()
    assert all(line.endswith(country) and zone in line for line in lines[1:]), text
    code, out = greeter(tmp_path, "preview", "--days", "60", "--format", "json")
    assert code == 0, out
    assert {d["timezone"] for d in json.loads(out)} == {zone}


def test_without_country_the_sample_clients_are_the_starters_byte_for_byte(tmp_path: Path) -> None:
    init(tmp_path / "de", "--locale", "de")
    init(tmp_path / "same", "--locale", "de", "--country", "DE")
    for project in ("de", "same"):
        written = (tmp_path / project / "data" / "contacts.csv").read_bytes()
        assert written == (ROOT / "data" / "contacts.de.csv").read_bytes()


# DE and GB, the languages' own countries, are tests/test_init_country.py's.
@pytest.mark.parametrize(("locale", "country"), [("de", "AT"), ("de", "CH"), ("en", "IE"), ("en", "US")])
def test_each_country_offers_its_own_holidays_and_check_knows_them(
    tmp_path: Path, locale: str, country: str
) -> None:
    init(tmp_path, "--locale", locale, "--country", country)
    config = tmp_path / "greeter.yaml"
    text = config.read_text(encoding="utf-8")
    assert "greeter knows no example holiday" not in text
    text = _uncommented(text, country)  # every example: names the country's calendar has
    config.write_text(text, encoding="utf-8")
    settings = load_settings(config, today=TODAY)
    holidays = {o.name: o.holiday for o in settings.occasions if o.holiday}
    assert {n: h for n, h in holidays.items() if n in {e.name for e in HOLIDAYS[country]}} == {
        e.name: e.holiday for e in HOLIDAYS[country]
    }
    code, out = greeter(tmp_path, "check")
    assert code == 0 and out.rstrip().splitlines()[-1].startswith("check: OK"), out


def test_the_merge_max_days_late_comment_says_what_unset_does() -> None:
    """Unset is the cap's holiday bound for a holiday, else no limit (never catch_up_days): the
    example says so, and does it."""
    text = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    late = re.search(r"(?m)^#   merge_max_days_late:.*\n(?:#    [^\n]*\n)*", text)
    assert late is not None
    assert "catch_up_days" not in late.group(), late.group()
    assert (
        "Unset: a holiday's is" in late.group()
        and "holiday_merge_max_days_late; null: no limit" in late.group()
    )
    settings = load_settings(ROOT / "config.example.yaml", today=TODAY)
    rule = settings.frequency_cap.holiday_merge_max_days_late
    assert all(o.merge_bounds(None)[0] is None for o in settings.occasions)  # no rule passed: no limit
    assert {o.name: o.merge_bounds(None, rule)[0] for o in settings.occasions} == {
        o.name: None if o.field else 7 for o in settings.occasions
    }


def test_a_country_without_examples_lists_the_names_its_calendar_has(tmp_path: Path) -> None:
    from greeter.cli_init import holiday_names
    from greeter.occasions import known_holidays

    names = holiday_names("JP", 2026)
    known = {n for names in known_holidays("JP", (2026,)) for n in names}
    assert "Coming of Age Day" in names and set(names) <= known, names
    assert holiday_names("AT") == ()  # it has examples: the library is not asked
    init(tmp_path, "--locale", "en", "--country", "JP")
    text = (tmp_path / "greeter.yaml").read_text(encoding="utf-8")
    assert (
        "# (greeter has no example holiday for JP: `holiday:` takes a name of its calendar: \"New Year's"
        in text
    )
    code, out = greeter(tmp_path, "check")
    assert code == 0, out
