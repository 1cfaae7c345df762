"""A holiday occasion without a title, in a language its country's calendar is named in (and not).

A Tbilisi office's ``holiday: "ქრისტეშობა"`` with no ``title`` rendered
``occasion_title`` as None in every Georgian letter (a template printing it failed
to render), though the holidays library names Georgia's calendar in Georgian; its
Russian letters wished «с наступающим праздником!» naming no feast, and check was
silent. Real projects (the shipped config and templates copied), checked and
rendered in-process.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from greeter.checks import run_check
from greeter.config_loader import load_settings
from greeter.plan_types import Hit, PlanItem
from greeter.render import Renderer
from greeter.sources import load_contacts
from tests.conftest import MakeProject, contact_row

NOW = "2027-10-01T09:00"
MTSKHETOBA = "Holiday of Svetitskhovloba, Robe of Jesus"

#: A Georgian holiday letter that names the holiday by its title, as the Tbilisi office's own file does.
HOLIDAY_KA = """\
{% extends "_layout.html.j2" %}
{% block subject %}გილოცავთ: {{ occasion_title }}!{% endblock %}
{% block heading %}{{ occasion_title }}{% endblock %}
{% block message %}
გილოცავთ დღესასწაულს — {{ occasion_title }}!
{% endblock %}
"""


def georgian_project(make_project: MakeProject, occasion: dict[str, object]) -> Path:
    """One Georgian-speaking client (ka) and one Russian-speaking (ru), both in Georgia."""
    rows = [
        contact_row("k1", "k1@example.ge", tz="Asia/Tbilisi", country="GE").replace(";ru;", ";ka;"),
        contact_row("r1", "r1@example.ge", tz="Asia/Tbilisi", country="GE"),
    ]
    config = make_project(rows, occasions=[occasion], defaults={"country": "GE", "timezone": "Asia/Tbilisi"})
    (config.parent / "templates" / "holiday.ka.j2").write_text(HOLIDAY_KA, encoding="utf-8")
    return config


def subjects(config: Path, day: date) -> dict[str, str]:
    """Each contact's subject of the first occasion's letter on ``day``, rendered as send renders it."""
    settings = load_settings(config, today=date(2027, 10, 1))
    contacts, _ = load_contacts(settings.contacts, settings.defaults)
    occ = settings.occasions[0]
    renderer = Renderer.of(settings)
    return {
        c.id: renderer.render(
            PlanItem(Hit(c, occ.name, day, None, occ.priority, occ.template), "send")
        ).subject
        for c in contacts
    }


def test_an_untitled_holiday_is_named_in_georgian_from_the_library(make_project: MakeProject) -> None:
    """The Georgian letter names the feast as the library does in Georgian (it printed None)."""
    config = georgian_project(
        make_project, {"name": "christmas_ge", "holiday": "ქრისტეშობა", "template": "holiday", "priority": 40}
    )
    said = subjects(config, date(2028, 1, 7))
    assert said["k1"] == "გილოცავთ: ქრისტეშობა!"
    problems = [str(p) for p in run_check(config, NOW).problems if p.severity != "warning"]
    assert not [p for p in problems if "None" in p]


def test_a_title_the_config_gives_comes_before_the_library(make_project: MakeProject) -> None:
    """``title_by_locale.ka`` is the marketer's word: the library's is only for want of one."""
    config = georgian_project(
        make_project,
        {
            "name": "christmas_ge",
            "holiday": "Christmas Day",
            "title_by_locale": {"ka": "შობა"},
            "template": "holiday",
            "priority": 40,
        },
    )
    assert subjects(config, date(2028, 1, 7))["k1"] == "გილოცავთ: შობა!"


def test_check_warns_of_letters_that_name_the_holiday_by_no_title(make_project: MakeProject) -> None:
    """The library has no Russian of Georgia's calendar: the Russian letter of Mtskhetoba wished
    «с наступающим праздником!», naming no feast, and check said nothing. Georgian letters have
    the library's name: no warning for them."""
    config = georgian_project(
        make_project, {"name": "mtskhetoba", "holiday": MTSKHETOBA, "template": "holiday", "priority": 30}
    )
    assert subjects(config, date(2027, 10, 14))["r1"] == "Иван Петрович, с праздником!"  # which?
    warnings = [str(p) for p in run_check(config, NOW).problems if ".title_by_locale" in p.field]
    lines = config.read_text(encoding="utf-8").splitlines()
    line, col = next(
        (i, text.index("holiday:") + 1) for i, text in enumerate(lines, 1) if "holiday: Holiday of" in text
    )
    assert warnings == [
        f"{config}:{line}:{col}: occasions.0.title_by_locale: warning: 1 contact(s) get letters in 'ru' that "
        "name mtskhetoba by no title: it has no title for 'ru' and the holidays library no 'ru' name for "
        f"{MTSKHETOBA!r}, so they wish a happy holiday without saying which: add title_by_locale.ru"
    ]


def test_the_cache_file_keeps_each_names_language(tmp_path: Path) -> None:
    """The names' languages are kept in the file (format 14): a table read back names Georgia's
    Christmas in Georgian as a fresh one does."""
    from greeter import holiday_tables

    holiday_tables.forget()
    try:
        holiday_tables.warm(["GE"], [2027], tmp_path)
        fresh = holiday_tables.greeted_days_of("GE", 2027)[date(2027, 1, 7)]
        holiday_tables.forget()
        holiday_tables.warm(["GE"], [2027], tmp_path)
        read = holiday_tables.greeted_days_of("GE", 2027)[date(2027, 1, 7)]
    finally:
        holiday_tables.forget()
    assert dict(fresh[0].named) == {"en": "Christmas Day", "ka": "ქრისტეშობა"}
    assert read == fresh


def test_a_file_of_this_format_whose_holidays_lack_their_languages_is_not_trusted(tmp_path: Path) -> None:
    """A file another layout of the same number wrote (its holidays without ``named``) was read as
    good, and Georgian letters named no holiday again: it is recomputed and rewritten."""
    import json

    from greeter import holiday_tables

    holiday_tables.forget()
    try:
        holiday_tables.warm(["GE"], [2027], tmp_path)
        [path] = tmp_path.glob("holidays-*.json")
        data = json.loads(path.read_text(encoding="utf-8"))
        for days in data["tables"].values():
            for on_day in days.values():
                for holiday in on_day:
                    holiday.pop("named", None)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        holiday_tables.forget()
        holiday_tables.warm(["GE"], [2027], tmp_path)
        read = holiday_tables.greeted_days_of("GE", 2027)[date(2027, 1, 7)]
        rewritten = json.loads(path.read_text(encoding="utf-8"))
    finally:
        holiday_tables.forget()
    assert dict(read[0].named)["ka"] == "ქრისტეშობა"
    assert rewritten["tables"]["GE:2027"]["2027-01-07"][0]["named"]["ka"] == "ქრისტეშობა"
