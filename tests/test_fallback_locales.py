"""``defaults.fallback_locales``: the language a locale without templates of its own is written in.

Czech and Lithuanian clients got the full Russian letter («Jonas, с наступающим
днём рождения!»), and nothing let the team say "cs and lt fall back to English".
An occasion for Polish clients only, with only ``imieniny.pl.j2``, failed check
for want of a Russian ``imieniny.j2`` no client could ever get.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.checks import run_check
from greeter.cli import main
from greeter.config_loader import load_settings, parse_settings
from greeter.contacts import Contact, Gender
from greeter.errors import ConfigError
from greeter.message import content_language
from greeter.plan_types import Hit, PlanItem
from greeter.render import Renderer
from greeter.sources.name_cells import gender_word, unknown_gender_warning
from tests.conftest import MakeProject, contact_row
from tests.test_render import SENDER, TEMPLATES

NOW = "2026-12-01T09:00"


def lithuanian(cid: str = "l1", locale: str = "lt") -> Contact:
    return Contact(
        id=cid, email=f"{cid}@example.com", first_name="Jonas", last_name="Kazlauskas",
        locale=locale, gender=Gender.MALE,
    )  # fmt: skip


def letter(renderer: Renderer, contact: Contact, template: str = "birthday") -> tuple[str, str, str]:
    hit = Hit(contact, template, date(2026, 12, 15), 40, 100, template)
    rendered = renderer.render(PlanItem(hit=hit, status="send"))
    return rendered.template_file, rendered.locale, rendered.text


def test_a_locale_listed_in_fallback_locales_gets_that_languages_letter() -> None:
    """lt → en: the English file, and the letter is English throughout (its locale, salutation)."""
    renderer = Renderer(TEMPLATES, SENDER, "ru", fallback_locales={"lt": "en", "cs": "en"})
    file, locale, text = letter(renderer, lithuanian())
    assert file == "birthday.en.j2"
    assert locale.split("_")[0] == "en" and content_language(locale).startswith("en")
    assert "Dear" in text and "рожден" not in text
    file, locale, _ = letter(renderer, lithuanian("l2", "lt_LT"))  # lt_LT falls back by its language
    assert file == "birthday.en.j2" and locale.startswith("en")
    file, locale, _ = letter(renderer, lithuanian("c1", "cs"))
    assert file == "birthday.en.j2" and locale.startswith("en")
    # the most specific key wins: lt_LT → de beside lt → en
    regional = Renderer(TEMPLATES, SENDER, "ru", fallback_locales={"lt": "en", "lt_LT": "de"})
    assert letter(regional, lithuanian("l3", "lt_LT"))[:2] == ("birthday.de.j2", "de")
    assert letter(regional, lithuanian("l4", "lt"))[0] == "birthday.en.j2"
    # unlisted: the default (Russian) letter, as before
    file, locale, text = letter(Renderer(TEMPLATES, SENDER, "ru"), lithuanian())
    assert (file, locale) == ("birthday.j2", "ru") and "рожден" in text


def test_a_fallback_to_a_language_without_the_file_is_the_default_letter(tmp_path: Path) -> None:
    """lt → pl with no birthday.pl.j2: the default file, worded in the default's language, one step only."""
    (tmp_path / "birthday.j2").write_text(
        "{% block subject %}S{% endblock %}{% block text %}{{ locale }}{% endblock %}", encoding="utf-8"
    )
    renderer = Renderer(tmp_path, SENDER, "ru", fallback_locales={"lt": "pl", "pl": "lt"})
    assert letter(renderer, lithuanian())[:2] == ("birthday.j2", "ru")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("{zz: en}", "'zz' is not a language code Babel knows"),
        ("{lt: xx}", "'xx' is not a language code Babel knows"),
        ("{en_GB: en}", "falls back to its own language"),
    ],
)
def test_fallback_locales_are_validated(
    tmp_path: Path, make_project: MakeProject, value: str, said: str
) -> None:
    config = make_project([])
    text = config.read_text(encoding="utf-8").replace(
        "defaults:\n", f"defaults:\n  fallback_locales: {value}\n", 1
    )
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(config, today=date(2026, 12, 1))
    assert "defaults.fallback_locales" in str(raised.value) and said in str(raised.value)


def in_locale(cid: str, locale: str) -> str:
    row = contact_row(
        cid, f"{cid}@example.com", last="Kazlauskas", first="Jonas", patronymic="", birthday="07.01.1960"
    )
    return row.replace(";ru;", f";{locale};")


def test_check_names_the_setting_and_is_quiet_once_it_is_set(make_project: MakeProject) -> None:
    config = make_project([in_locale("l1", "lt")])
    warnings = [p.message for p in run_check(config, NOW).problems if "get birthday.j2" in p.message]
    assert warnings == [
        "1 contact(s) with locale 'lt' get birthday.j2 (ru): there is no birthday.lt.j2; "
        "add it, or write them in en: defaults.fallback_locales: {lt: en}"
    ]
    config = make_project([in_locale("l1", "lt")], defaults={"fallback_locales": {"lt": "en"}})
    assert not [p for p in run_check(config, NOW).problems if "'lt'" in p.message or "fallback" in p.message]
    # lt → ru, the default letters' language: the Russian letter is what the team asked for
    config = make_project([in_locale("l1", "lt")], defaults={"fallback_locales": {"lt": "ru"}})
    assert not [p for p in run_check(config, NOW).problems if "'lt'" in p.message or "fallback" in p.message]


@pytest.mark.parametrize(
    ("locale", "offered"),
    [
        ("uz", "write them in ru: defaults.fallback_locales: {uz: ru} (or in en: {uz: en})"),
        ("kk", "write them in ru: defaults.fallback_locales: {kk: ru} (or in en: {kk: en})"),
        ("tg", "write them in ru: defaults.fallback_locales: {tg: ru} (or in en: {tg: en})"),
        # (ky, tk are country codes too: their warning asks whether the Cayman Islands, Tokelau were meant)
        ("lt", "write them in en: defaults.fallback_locales: {lt: en}"),  # not Russian to Lithuanians
    ],
)
def test_a_central_asian_client_is_offered_the_russian_letters_first(
    make_project: MakeProject, locale: str, offered: str
) -> None:
    """A Tashkent office's Uzbek client was offered only English: ``{uz: en}``; the project's Russian
    letters are what such a client reads, and ``{uz: ru}`` says so (and is then quiet)."""
    config = make_project([in_locale("c1", locale)])
    warnings = [p.message for p in run_check(config, NOW).problems if "get birthday.j2" in p.message]
    assert warnings == [
        f"1 contact(s) with locale '{locale}' get birthday.j2 (ru): there is no birthday.{locale}.j2; "
        f"add it, or {offered}"
    ]
    config = make_project([in_locale("c1", locale)], defaults={"fallback_locales": {locale: "ru"}})
    assert not [p for p in run_check(config, NOW).problems if "get birthday.j2" in p.message]


def test_check_warns_of_a_fallback_to_a_language_without_letters(make_project: MakeProject) -> None:
    config = make_project([in_locale("l1", "lt")], defaults={"fallback_locales": {"lt": "pl"}})
    problems = run_check(config, NOW).problems
    setting = [str(p) for p in problems if p.field == "defaults.fallback_locales.lt"]
    assert len(setting) == 1 and "warning: lt: pl has no letter of its own (birthday.pl.j2" in setting[0]
    assert "its clients get the default letter (ru)" in setting[0]
    reach = [p.message for p in problems if "get birthday.j2" in p.message]
    assert reach == [
        "1 contact(s) with locale 'lt' get birthday.j2 (ru): there is no birthday.lt.j2; "
        "defaults.fallback_locales sends lt to pl, which has no birthday.pl.j2"
    ]


def polish_only(make_project: MakeProject, rows: list[str], locales: list[str], **defaults: object) -> Path:
    occasion = {
        "name": "imieniny",
        "template": "imieniny",
        "field": "birthday",
        "audience": {"locales": locales},
    }
    config = make_project(rows, occasions=[occasion], **({"defaults": defaults} if defaults else {}))
    (config.parent / "templates" / "imieniny.pl.j2").write_text(
        "{% block subject %}Wszystkiego najlepszego{% endblock %}"
        "{% block text %}{{ salutation }}{{ salutation_end }}\n\nSto lat!{% endblock %}",
        encoding="utf-8",
    )
    return config


def test_an_occasion_for_locales_with_their_own_files_needs_no_default_file(
    make_project: MakeProject,
) -> None:
    """audience.locales: [pl] with only imieniny.pl.j2 was "template missing: … add templates/imieniny.j2"."""
    rows = [
        in_locale("p1", "pl"),
        in_locale("p2", "pl_PL"),
        contact_row("r1", "r1@example.com", birthday="07.01.1960"),
    ]
    report = run_check(polish_only(make_project, rows, ["pl"]), NOW)
    assert not [str(p) for p in report.problems if p.severity == "error"], report.problems
    assert not [p for p in report.problems if "imieniny" in p.message and "missing" in p.message]


def test_an_audience_locale_without_its_own_file_still_needs_the_default(make_project: MakeProject) -> None:
    """[pl, lt]: the Lithuanian clients would get imieniny.j2 — unless lt falls back to pl."""
    rows = [in_locale("l1", "lt"), in_locale("p1", "pl")]
    config = polish_only(make_project, rows, ["pl", "lt"])
    missing = [p.message for p in run_check(config, NOW).problems if p.message.startswith("template missing")]
    assert len(missing) == 1 and "imieniny.j2" in missing[0], missing
    config = polish_only(make_project, rows, ["pl", "lt"], locale="ru", fallback_locales={"lt": "pl"})
    report = run_check(config, NOW)
    assert not [p for p in report.problems if p.message.startswith("template missing")]
    assert not [str(p) for p in report.problems if p.severity == "error"]


@pytest.mark.parametrize(
    ("cell", "gender"),
    [
        ("Pan", Gender.MALE), ("Pani", Gender.FEMALE), ("mężczyzna", Gender.MALE), ("Kobieta", Gender.FEMALE),
        ("K", Gender.FEMALE), ("M", Gender.MALE), ("pan", Gender.MALE), ("paní", Gender.FEMALE),
        ("Muž", Gender.MALE), ("žena", Gender.FEMALE),
    ],
)  # fmt: skip
def test_polish_and_czech_gender_words_are_read(cell: str, gender: Gender) -> None:
    assert gender_word(cell) is gender


def test_an_unknown_gender_cells_example_names_no_gender() -> None:
    """«'Pan' is not a gender value … e.g. {Pan: female}»: Pan is Mr; the example was advice, wrongly."""
    said = unknown_gender_warning("N")
    assert said.endswith("map it with contacts.gender_values, e.g. {N: male or female}"), said
    assert "{N: female}" not in said


def test_preview_writes_the_polish_letter_and_no_error_for_the_others(make_project: MakeProject) -> None:
    """Clients outside audience.locales are outside the audience: no render error for a default file."""
    rows = [
        in_locale("p1", "pl").replace("07.01.1960", "05.12.1960"),
        contact_row("r1", "r1@example.com", birthday="05.12.1960"),
    ]
    config = polish_only(make_project, rows, ["pl"])
    result = CliRunner().invoke(main, ["--config", str(config), "preview", "--now", NOW])
    assert result.exit_code == 0, result.output
    assert "Wszystkiego" in result.output and "template missing" not in result.output
    assert result.output.rstrip().endswith("send: 1, outside_audience: 1")


def test_the_gender_example_copied_as_it_stands_is_refused_at_its_line() -> None:
    """The example names no gender, so a marketer who pastes it is told to choose, not misgreeting."""
    root = Path(__file__).resolve().parent.parent
    text = (root / "config.example.yaml").read_text(encoding="utf-8")
    text = text.replace("contacts:\n", "contacts:\n  gender_values: {N: male or female}\n", 1)
    with pytest.raises(ConfigError) as raised:
        parse_settings(text, "greeter.yaml", root, today=date(2026, 12, 1))
    assert "greeter.yaml:" in str(raised.value) and "contacts.gender_values" in str(raised.value)


def test_the_commented_example_of_config_example_yaml_works() -> None:
    root = Path(__file__).resolve().parent.parent
    text = (root / "config.example.yaml").read_text(encoding="utf-8")
    assert "  # fallback_locales: {cs: en, lt: en}\n" in text
    text = text.replace("  # fallback_locales: {cs: en, lt: en}\n", "  fallback_locales: {cs: en, lt: en}\n")
    settings = parse_settings(text, "greeter.yaml", root, today=date(2026, 12, 1))
    assert settings.defaults.fallback_locales == {"cs": "en", "lt": "en"}


def test_the_daemon_starts_with_an_occasion_for_polish_clients_only(make_project: MakeProject) -> None:
    """Its start-up check and render of the first contacts asked for imieniny.j2 too, and refused."""
    from greeter.daemon_inputs import load_valid_inputs

    rows = [contact_row("r1", "r1@example.com", birthday="05.12.1960"), in_locale("p1", "pl")]
    config = polish_only(make_project, rows, ["pl"])
    inputs = load_valid_inputs(config, date(2026, 12, 1))  # raised ConfigError: template missing
    assert [o.template for o in inputs.settings.occasions] == ["imieniny"]


def test_clients_who_get_the_english_letter_are_not_offered_another_language(
    make_project: MakeProject,
) -> None:
    """A project of ``init --country BR``: the unsuffixed letters are English, German and other files
    beside them. A Brazilian client was told «add it, or write them in de: defaults.fallback_locales:
    {pt: de}» — the first language in the folder's order, though English is what they get already."""
    config = make_project([in_locale("p1", "pt_BR")], defaults={"locale": "en"})
    for english in config.parent.glob("templates/*.en.j2"):  # the unsuffixed letters in English, as init's
        english.replace(english.with_name(english.name.replace(".en.j2", ".j2")))
    warnings = [p.message for p in run_check(config, NOW).problems if "get birthday.j2" in p.message]
    assert warnings == ["1 contact(s) with locale 'pt_BR' get birthday.j2 (en): there is no birthday.pt.j2"]
