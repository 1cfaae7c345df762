"""``greeter check`` on occasion titles: a title a letter prints in another script, and ``ee:`` keys.

Real projects (the shipped templates and config copied into ``tmp_path``),
checked in-process with :func:`greeter.checks.run_check`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.checks import run_check
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00"

#: An Estonian birthday letter that names what it carries by title, as a marketer's own file would.
BIRTHDAY_ET = """\
{% extends "_layout.html.j2" %}
{% block subject %}Palju õnne sünnipäevaks{% if contact.first_name %}, {{ contact.first_name }}{% endif %}!{% endblock %}
{% block heading %}Palju õnne!{% endblock %}
{% block accent %}#c7883a{% endblock %}
{% block message %}
Soovime Teile head tervist ja edu!
{% if also %}

Lisaks õnnitleme: {{ also|map(attribute="title")|join(", ") }}.
{% endif %}
{% endblock %}
"""


def client(cid: str, locale: str, *, first_deal: str = "08.09.2020", country: str = "") -> str:
    birthday = "07.01.1960"
    row = contact_row(cid, f"{cid}@example.com", birthday=birthday, country=country)
    return row.replace(f"{birthday};;;", f"{birthday};;{first_deal};").replace(";ru;", f";{locale};")


def title_warnings(config: Path) -> list[str]:
    return [str(p) for p in run_check(config, NOW).problems if ".title_by_locale" in p.field]


def add_title_by_locale(config: Path, lines: list[str]) -> None:
    """Give first_deal_anniversary a ``title_by_locale`` (``lines`` under it), indented as its title is."""
    text = config.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(text) if "title: Годовщина сотрудничества" in line)
    indent = text[at][: len(text[at]) - len(text[at].lstrip())]
    text[at + 1 : at + 1] = [f"{indent}{line}" for line in lines]
    config.write_text("\n".join(text) + "\n", encoding="utf-8")


def place_of(config: Path, needle: str) -> str:
    """``line:col`` of the first occurrence of ``needle`` in the config (1-based)."""
    lines = config.read_text(encoding="utf-8").splitlines()
    return next(f"{i}:{line.index(needle) + 1}" for i, line in enumerate(lines, 1) if needle in line)


def test_a_title_an_estonian_letter_prints_in_cyrillic_is_a_located_warning(
    make_project: MakeProject,
) -> None:
    """``sender.by_locale``'s gap was warned about, a title's was not: Estonian letters said
    «Lisaks õnnitleme: Годовщина сотрудничества» and check said OK."""
    # a first deal of 15 January: the 7 January birthday letter carries it (a September one never met it)
    near = "15.01.2020"
    rows = [client(cid, locale, first_deal=near) for cid, locale in (("r1", "ru"), ("e1", "en"))]
    rows += [client("t1", "et", first_deal=near), client("t2", "et-EE", first_deal=near)]
    config = make_project(rows)
    (config.parent / "templates" / "birthday.et.j2").write_text(BIRTHDAY_ET, encoding="utf-8")
    warnings = title_warnings(config)
    place = place_of(config, "title: Годовщина сотрудничества")
    assert (
        f"{config}:{place}: occasions.2.title_by_locale: warning: 2 contact(s) get letters in 'et' "
        "(written in Latin) that name first_deal_anniversary 'Годовщина сотрудничества' (Cyrillic): "
        "add title_by_locale.et"
    ) in warnings
    # English letters name the shipped occasions in their own words, whatever the title: quiet
    assert not [w for w in warnings if "'en'" in w]
    # birthday leads the Estonian letter (its own title is never printed): quiet
    assert not [w for w in warnings if "name birthday" in w]

    add_title_by_locale(config, ["title_by_locale: {et: Koostöö aastapäev}"])
    assert not [w for w in title_warnings(config) if "first_deal_anniversary" in w]


def test_the_shipped_project_with_english_and_serbian_clients_has_no_title_warning(
    make_project: MakeProject,
) -> None:
    config = make_project(
        [client("r1", "ru"), client("e1", "en"), client("s1", "sr"), client("l1", "sr_Latn")]
    )
    assert title_warnings(config) == []


def test_a_country_code_that_is_another_language_is_questioned_against_the_contacts(
    make_project: MakeProject,
) -> None:
    """``title_by_locale: {ee: …}`` was accepted silently (ee is Ewe) and every Estonian letter took
    the default title: with clients in Estonia and none writing Ewe, check asks."""
    rows = [client("r1", "ru"), client("t1", "et", country="EE"), client("t2", "ru", country="EE")]
    config = make_project(rows, sender={"by_locale": {"ee": {"name": "Romashka OÜ"}}})
    add_title_by_locale(config, ["title_by_locale:", "  ee: Koostöö aastapäev"])
    warnings = [str(p) for p in run_check(config, NOW).problems if "did you mean" in p.message]
    message = (
        "warning: 'ee' is Ewe, but no contact's locale is Ewe and 2 contact(s) are in Estonia (EE): "
        "did you mean 'et' (Estonian)?"
    )
    lines = config.read_text(encoding="utf-8").splitlines()
    sender_at, title_at = (
        f"{i}:{line.index('ee:') + 1}" for i, line in enumerate(lines, 1) if line.strip().startswith("ee:")
    )
    assert [w.split(":", 1)[1] for w in warnings] == [
        f"{sender_at}: sender.by_locale.ee: {message}",
        f"{title_at}: occasions.2.title_by_locale.ee: {message}",
    ]
    # an Ewe-speaking client makes the key meaningful: quiet
    (config.parent / "data" / "contacts.csv").write_text(
        "\n".join(
            [
                (config.parent / "data" / "contacts.csv").read_text(encoding="utf-8-sig").rstrip(),
                client("w1", "ee"),
            ]
        )
        + "\n",
        encoding="utf-8-sig",
    )
    assert not [p for p in run_check(config, NOW).problems if "did you mean" in p.message]


def test_a_russian_title_in_a_serbian_latin_letter_is_warned_as_shown_in_cyrillic(
    make_project: MakeProject,
) -> None:
    """A Latin Serbian letter read «Čestitamo praznik „День kompanii“!» — a Russian title half
    transliterated. It now shows the title whole, as written, and check says the Latin letter
    shows it in Cyrillic; a Serbian Cyrillic title is transliterated whole and warned of by none."""
    config = make_project([client("l1", "sr_Latn")])
    text = config.read_text(encoding="utf-8")
    day = "- name: company_day\n  title: {}\n  date: '12-03'\n  template: holiday\n  priority: 40\n"
    config.write_text(text.replace("occasions:\n", "occasions:\n" + day.format("День компании"), 1), "utf-8")
    place = place_of(config, "title: День компании")
    assert title_warnings(config) == [
        f"{config}:{place}: occasions.0.title_by_locale: warning: 1 contact(s) get letters in 'sr' that "
        "name company_day 'День компании', written in 'ru' as the default letters are (defaults.locale): "
        "add title_by_locale.sr (a Serbian Latin letter shows it in Cyrillic, as written: a title in "
        "another language has no Serbian Latin spelling)"
    ]
    config.write_text(text.replace("occasions:\n", "occasions:\n" + day.format("Дан компаније"), 1), "utf-8")
    assert title_warnings(config) == []


def test_a_serbian_cyrillic_title_without_letters_russian_lacks_is_not_called_russian(
    make_project: MakeProject,
) -> None:
    """«Дан државности» has none of ђ, ј, љ, њ, ћ, џ, so check took it for Russian (the default
    letters' language) and warned the Serbian letters that print it, though a Serbian Latin one
    shows it «Dan državnosti», transliterated: a title every letter of which Serbian spells (it
    comes back from Latin as written) is Serbian to a Serbian letter, of either script."""
    config = make_project([client("l1", "sr_Latn", country="RS"), client("c1", "sr", country="RS")])
    text = config.read_text(encoding="utf-8")
    day = "- name: statehood\n  title: Дан државности\n  date: '12-03'\n  template: holiday\n  priority: 40\n"
    config.write_text(text.replace("occasions:\n", "occasions:\n" + day, 1), "utf-8")
    assert title_warnings(config) == []


def test_a_title_is_warned_about_only_in_the_letters_that_can_carry_it(make_project: MakeProject) -> None:
    """QA re-test 10: Ukrainian clients (holiday.uk.j2, title and title_by_locale.uk Ukrainian) were
    told "6 contact(s) get letters in 'ru' that name independence_day 'День Незалежності'": their
    Russian letter is New Year's (no new_year.uk.j2), which never carries a holiday of 24 August;
    only check's merged form of the two printed it."""
    from ruamel.yaml import YAML

    rows = [
        contact_row(
            f"u{n}", f"u{n}@example.com", first="Олена", patronymic="", tz="Europe/Kyiv", country="UA"
        )
        .replace(";ru;", ";uk;")
        .replace(";regular;", ";VIP;")
        for n in range(3)
    ]
    config = make_project(rows, defaults={"country": "UA", "timezone": "Europe/Kyiv"})
    templates = config.parent / "templates"
    (templates / "holiday.uk.j2").write_text((templates / "holiday.j2").read_text(encoding="utf-8"), "utf-8")
    yaml = YAML()
    settings = yaml.load(config.read_text(encoding="utf-8"))
    settings["occasions"].append(
        {
            "name": "independence_day",
            "title": "День Незалежності",
            "title_by_locale": {"uk": "День Незалежності України"},
            "holiday": "Independence Day",
            "country": "UA",
            "template": "holiday",
            "priority": 40,
        }
    )
    with config.open("w", encoding="utf-8") as fh:
        yaml.dump(settings, fh)
    warnings = title_warnings(config)
    assert not [w for w in warnings if "independence_day" in w], warnings
    # New Year's Russian title in a letter that does carry it (a birthday near it, in no uk file)
    # is another matter, and not asked here.


#: Estonian clients' birthdays → how many get a letter naming company_day «День компании» (20 December,
#: priority above New Year: it leads its own letter, in an Estonian file that prints no title) — only
#: those whose birthday letter can carry it, its day within the cap's reach of 20 December.
BIRTHDAY_NEAR_CASES = [
    (["15.12.1971", "10.07.1972", "10.05.1980"], 1),
    (["15.12.1971", "25.12.1972", "05.01.1980"], 3),
    (["10.07.1972", "10.05.1980"], 0),
    (["29.02.1980", "10.12.1990"], 1),
]


@pytest.mark.parametrize(("birthdays", "count"), BIRTHDAY_NEAR_CASES)
def test_a_title_counts_the_contacts_whose_letters_meet_its_day(
    make_project: MakeProject, birthdays: list[str], count: int
) -> None:
    """A July birthday letter never carries a 20 December company day; every client with a birthday
    was counted as getting one that names it."""
    rows = [
        contact_row(f"e{n}", f"e{n}@example.com", birthday=day, tz="Europe/Tallinn", country="EE").replace(
            ";ru;", ";et;"
        )
        for n, day in enumerate(birthdays)
    ]
    config = make_project(rows)
    templates = config.parent / "templates"
    (templates / "birthday.et.j2").write_text(BIRTHDAY_ET, encoding="utf-8")
    (templates / "company_day.j2").write_text((templates / "holiday.j2").read_text("utf-8"), "utf-8")
    (templates / "company_day.et.j2").write_text(
        BIRTHDAY_ET.replace("sünnipäevaks", "firma päevaks").replace("{% if also %}", "{% if false %}"),
        "utf-8",
    )
    text = config.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.strip() == "- name: new_year")
    indent = line[: len(line) - len(line.lstrip())]
    day = f'{indent}- name: company_day\n{indent}  title: День компании\n{indent}  date: "12-20"\n'
    day += f"{indent}  template: company_day\n{indent}  priority: 65\n"
    config.write_text(text.replace(line + "\n", day + line + "\n", 1), encoding="utf-8")
    said = [w for w in title_warnings(config) if "company_day" in w]
    expected = [
        f"{count} contact(s) get letters in 'et' (written in Latin) that name company_day 'День компании' "
        "(Cyrillic): add title_by_locale.et"
    ]
    assert [w.split(": warning: ", 1)[-1] for w in said] == (expected if count else []), said


def test_a_latin_uzbek_title_in_a_cyrillic_uzbek_letter_is_said_and_its_own_title_wins(
    make_project: MakeProject,
) -> None:
    """``holiday.uz_Cyrl.j2`` printed «Navro‘z»: ``title_by_locale.uz`` (Latin) serves ``uz_Cyrl`` letters
    for want of a ``uz_Cyrl`` entry, and check said nothing. It says so now; a ``uz_Cyrl`` entry is the
    one those letters print (and check is quiet), the Latin letters keep ``uz``'s."""
    # First deals three days after the 7 January birthdays: the birthday letters carry them.
    rows = [
        client(c, loc, first_deal="10.01.2020")
        for c, loc in (("c1", "uz_Cyrl"), ("c2", "uz-Cyrl-UZ"), ("l1", "uz"))
    ]
    config = make_project(rows)
    templates = config.parent / "templates"
    for locale in ("uz", "uz_Cyrl"):
        (templates / f"birthday.{locale}.j2").write_text(BIRTHDAY_ET, encoding="utf-8")
    add_title_by_locale(config, ["title_by_locale: {uz: Hamkorlik yilligi}"])
    warnings = [w for w in title_warnings(config) if "first_deal_anniversary" in w]
    assert [w.split(": warning: ", 1)[1] for w in warnings] == [
        "2 contact(s) get letters in 'uz_Cyrl' (written in Cyrillic) that name first_deal_anniversary "
        "'Hamkorlik yilligi' (title_by_locale.uz, Latin: there is no title_by_locale.uz_Cyrl): "
        "add title_by_locale.uz_Cyrl"
    ]
    config = make_project(rows)
    add_title_by_locale(config, ["title_by_locale: {uz: Hamkorlik yilligi, uz_Cyrl: Ҳамкорлик йиллиги}"])
    assert not [w for w in title_warnings(config) if "first_deal_anniversary" in w]
    from datetime import date

    from greeter.config_loader import load_settings

    occasion = next(
        o
        for o in load_settings(config, today=date(2026, 12, 1)).occasions
        if o.name == "first_deal_anniversary"
    )
    assert (occasion.title_in("uz_Cyrl"), occasion.title_in("uz")) == (
        "Ҳамкорлик йиллиги",
        "Hamkorlik yilligi",
    )
