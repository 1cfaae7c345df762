"""Template mistakes a marketer made that reached a client's letter, or were reported the wrong way.

Each test is one mistake from a review of the shipped templates, rendered
with real template files and, end to end, checked with :func:`run_check`
(real config, real contacts CSV).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.checks import run_check
from greeter.cli import main
from greeter.errors import TemplateError
from greeter.plan_types import Hit, PlanItem
from greeter.render import Renderer
from tests.conftest import MakeProject, contact_row
from tests.test_check import place_of
from tests.test_render import MALE, SENDER

NOW = "2026-12-01T09:00"


def row(cid: str) -> str:
    return contact_row(cid, f"{cid}@example.com", birthday="07.01.1960")


def edit(config: Path, template: str, old: str, new: str) -> int:
    """Replace ``old`` once in a template; the line ``new`` starts on."""
    path = config.parent / "templates" / template
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def merged_letter(tmp_path: Path, text: str) -> PlanItem:
    """A birthday letter with New Year (titled in config) and Women's Day (untitled) merged into it."""
    (tmp_path / "t.j2").write_text(
        "{% block subject %}S{% endblock %}{% block text %}" + text + "{% endblock %}"
        "{% block html %}" + text + "{% endblock %}",
        encoding="utf-8",
    )
    also = (
        Hit(MALE, "new_year", date(2026, 12, 29), None, 60, "new_year"),
        Hit(MALE, "womens_day", date(2027, 3, 8), 3, 30, "holiday"),
    )
    return PlanItem(Hit(MALE, "birthday", date(2026, 12, 28), 40, 100, "t"), "send", also=also)


def renderer(tmp_path: Path) -> Renderer:
    return Renderer(tmp_path, SENDER, titles={"new_year": "Новый год"})


# --------------------------------------------------------------------------- 1. Python in a letter


def test_an_also_item_prints_as_its_title_and_keeps_its_fields(tmp_path: Path) -> None:
    """``{{ also|join(", ") }}`` wrote ``{'occasion': 'new_year', …, datetime.date(2026, 12, 29), …}``."""
    item = merged_letter(
        tmp_path,
        'Также поздравляем с {{ also|join(", ") }}. {% for a in also %}[{{ a }}: {{ a.occasion }} '
        '{{ a["occasion"] }} {{ a.title or "-" }} {{ a.date|date("day_month") }} {{ a.years or "-" }} '
        '{{ a.get("title") or "-" }}]{% endfor %}',
    )
    letter = renderer(tmp_path).render(item)
    assert letter.text == (
        "Также поздравляем с Новый год, womens day. "
        "[Новый год: new_year new_year Новый год 29 декабря - Новый год]"
        "[womens day: womens_day womens_day - 8 марта 3 -]"
    )
    assert letter.html is not None and letter.html.startswith("Также поздравляем с Новый год, womens day.")


def test_an_also_item_cannot_be_changed_by_a_template(tmp_path: Path) -> None:
    item = merged_letter(tmp_path, "{{ also[0].update(title='x') }}")
    with pytest.raises(TemplateError, match="sandbox"):
        renderer(tmp_path).render(item)


@pytest.mark.parametrize(
    ("expression", "shown"),
    [
        ("also", "printed a list"),
        ("also[0].items()|list", "printed a list"),
        ("contact.tags", "printed a frozenset"),
        ("contact.dates", "printed a mappingproxy"),
    ],
)
def test_a_list_or_mapping_printed_whole_is_an_error_at_its_line(
    tmp_path: Path, expression: str, shown: str
) -> None:
    """``{{ also }}`` printed ``[{'occasion': …}]`` into the letter; now it fails as ``{{ years }}`` for None does."""
    item = merged_letter(tmp_path, "Hello\n{{ " + expression + " }}")
    with pytest.raises(TemplateError) as caught:
        renderer(tmp_path).render(item)
    assert caught.value.line == 2 and shown in caught.value.detail, caught.value
    assert "|join(', ')" in caught.value.detail


def test_check_reports_python_notation_that_reached_a_letter_through_a_filter(
    make_project: MakeProject,
) -> None:
    """A value made a string by a filter (``dictsort|join``) slipped past the render: check reads the letter."""
    config = make_project([row("1"), row("2")])
    edit(
        config,
        "birthday.j2",
        "Примите наши самые тёплые поздравления с {{ self.what() }}!\n{% endif %}",
        "Примите наши самые тёплые поздравления с {{ self.what() }}!\n{% endif %}"
        '{{ contact.dates|dictsort|join(", ") }}',
    )
    report = run_check(config, NOW)
    problems = [str(p) for p in report.problems if p.kind == "template"]
    assert problems == [
        "birthday.j2: the text part shows Python's notation for data (datetime.date(…): a list, dict or "
        "object printed whole (e.g. through |join); print its fields instead (a.title, "
        "a.date|date('day_month')) (2 contacts: 1, 2)"
    ], problems
    assert report.render_failures >= 2 and report.errors == report.render_failures  # every form it fails


def test_the_marketers_also_line_passes_check_and_reads_as_words(make_project: MakeProject) -> None:
    """The persona's edit: check said OK, and so it should; the letter now says so too."""
    config = make_project([row("1")])
    edit(
        config, "birthday.j2", "{{ also_line(also, send_date) }}", 'Также поздравляем с {{ also|join(", ") }}'
    )
    report = run_check(config, NOW)
    assert report.errors == 0, [str(p) for p in report.problems]
    item = merged_letter(config.parent, "")  # only for its merged occasions
    birthday = PlanItem(
        Hit(MALE, "birthday", date(2026, 12, 28), 40, 100, "birthday"), "send", also=item.also
    )
    letter = Renderer(config.parent / "templates", SENDER, titles={"new_year": "Новый год"}).render(birthday)
    assert "Также поздравляем с Новый год, womens day" in letter.text


# --------------------------------------------------------------------------- 2. HTML in the text part


def test_html_typed_into_the_message_is_a_warning_at_its_line(make_project: MakeProject) -> None:
    """``<b>Скидка 10% только для Вас!</b>`` reached the text/plain part as typed, and check said OK."""
    config = make_project([row("1"), row("2")])
    line = edit(
        config,
        "birthday.j2",
        "Примите наши самые тёплые поздравления с {{ self.what() }}!\n{% endif %}",
        "<b>Скидка 10% только для Вас!</b> Примите наши самые тёплые поздравления с {{ self.what() }}!\n"
        "{% endif %}",
    )
    report = run_check(config, NOW)
    problems = [str(p) for p in report.problems if p.kind == "template"]
    assert problems == [
        f"birthday.j2:{line}:1: warning: the text part of the letter shows the HTML tag <b> as typed "
        "(2 contacts: 1, 2): plain-text readers see it; put markup only in {% block html %} and keep "
        "the words the text part is made of plain"
    ], problems
    assert report.errors == 0 and report.warnings >= 1


def test_html_in_a_contacts_data_is_its_rows_warning_not_the_templates(make_project: MakeProject) -> None:
    """A first name exported as ``<i>Иван</i>``: check blamed the template, at no line (none writes it)."""
    config = make_project(
        [contact_row("1", "1@example.com", first="<i>Иван</i>", birthday="07.01.1960"), row("2")]
    )
    report = run_check(config, NOW)
    html = [p for p in report.problems if "HTML tag" in p.message]
    assert [(p.kind, p.field, p.line, p.severity) for p in html] == [("row", "Имя", 2, "warning")], [
        str(p) for p in html
    ]
    assert html[0].file.endswith("contacts.csv")
    assert html[0].message.startswith("holds the HTML tag <i>: the letters show it as typed"), html[0].message


def test_markup_in_the_html_block_alone_is_no_warning(make_project: MakeProject) -> None:
    """The shipped layout's own markup is in its html block: the text part has none."""
    config = make_project([row("1")])
    report = run_check(config, NOW)
    assert not [p for p in report.problems if "HTML tag" in p.message], [str(p) for p in report.problems]


# --------------------------------------------------------------------------- 3. a template name typo in config


def test_a_template_name_typo_in_config_is_pointed_at_the_setting_not_at_the_good_files(
    make_project: MakeProject,
) -> None:
    """``template: birthdy``: the three birthday files were told "did you mean 'birthdy.j2'?"."""
    config = make_project([row("1")])
    config.write_text(
        config.read_text(encoding="utf-8").replace("template: birthday\n", "template: birthdy\n", 1),
        encoding="utf-8",
    )
    problems = [str(p) for p in run_check(config, NOW).problems]
    place = place_of(config, "template: birthdy")
    assert (
        f"{config}:{place}: occasions.0.template: template missing: {config.parent / 'templates'}/birthdy.j2 "
        "(the default every locale falls back to), did you mean 'birthday'?"
    ) in problems, problems
    never = "warning: no occasion, layout, include or import uses this file: it is never rendered"
    unused = [p for p in problems if never in p]
    assert unused == [
        f"{file}: {never}; occasions.0.template says 'birthdy', did you mean 'birthday' there?"
        for file in (
            "birthday.de.j2",
            "birthday.en.j2",
            "birthday.et.j2",
            "birthday.hu.j2",
            "birthday.j2",
            "birthday.ka.j2",
            "birthday.sr.j2",
            "birthday.uk.j2",
        )
    ], unused
    assert not [p for p in problems if "did you mean 'birthdy" in p], problems


def test_a_misnamed_locale_file_is_still_offered_the_name_meant(make_project: MakeProject) -> None:
    """The hint the typo case must not lose: ``brithday.fr.j2`` beside a working birthday template."""
    config = make_project([row("1")])
    (config.parent / "templates" / "brithday.fr.j2").write_text("x", encoding="utf-8")
    problems = [str(p) for p in run_check(config, NOW).problems if p.file == "brithday.fr.j2"]
    assert problems == [
        "brithday.fr.j2: warning: no occasion, layout, include or import uses this file: it is never "
        "rendered, did you mean 'birthday.fr.j2'?"
    ], problems


# --------------------------------------------------------------------------- 4. one exit code for template mistakes


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("{{ contact|name }}", "{{ contakt|name }}"),  # undefined: exit 1 before
        ("{{ contact|name }}", "{{ contact|nme }}"),  # unknown filter: exit 2 before
        ("{% block subject %}", "{% block subjekt %}"),  # no subject block: exit 2 before
    ],
)
def test_a_mistake_in_a_template_exits_1_whatever_its_kind(
    make_project: MakeProject, old: str, new: str
) -> None:
    """An undefined name exited 1 and an unknown filter 2: both are problems check found in the templates."""
    config = make_project([row("1")])
    edit(config, "birthday.j2", old, new)
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert result.exit_code == 1, result.output
    assert "birthday.j2" in result.stderr


def test_a_config_naming_no_template_still_exits_2(make_project: MakeProject) -> None:
    """The configuration error README promises 2 for: the occasion's setting is what is wrong."""
    config = make_project([row("1")])
    config.write_text(
        config.read_text(encoding="utf-8").replace("template: birthday\n", "template: birthdy\n", 1),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert result.exit_code == 2, result.output


# --------------------------------------------------------------------------- 5. a filter's own words


@pytest.mark.parametrize(
    ("expression", "detail"),
    [
        (
            "{{ contact|name('dativ') }}",
            "unknown grammatical case 'dativ'; expected one of: nominative, genitive, dative, accusative, "
            "instrumental, prepositional (or nom/gen/dat/acc/ins/pre, or the Russian names: именительный "
            "… предложный); did you mean 'dative'?",
        ),
        ("{{ 'x'|name }}", "the name filter applies to contact (got str)"),
        ("{{ years|years_phrase }}", "years is None for this occasion (guard it with {% if years %})"),
        ("{{ 1 // 0 }}", "ZeroDivisionError: integer division or modulo by zero"),  # Python's: named
        ('{{ "%d"|format("x") }}', "TypeError: %d format: a real number is required, not str"),
    ],
)
def test_a_filter_refusing_its_argument_says_why_without_pythons_prefix(
    tmp_path: Path, expression: str, detail: str
) -> None:
    """``name('dativ')`` read ``ValueError: unknown grammatical case 'dativ'…``."""
    (tmp_path / "t.j2").write_text(
        "{% block subject %}S{% endblock %}{% block text %}\n" + expression + "{% endblock %}",
        encoding="utf-8",
    )
    item = PlanItem(Hit(MALE, "birthday", date(2026, 12, 28), None, 100, "t"), "send")
    with pytest.raises(TemplateError) as caught:
        renderer(tmp_path).render(item)
    assert (caught.value.line, caught.value.detail) == (2, detail)


# --------------------------------------------------------------------------- 6. a misspelt block name


def test_a_misspelt_subject_block_is_one_problem_at_its_line_with_the_name_meant(
    make_project: MakeProject,
) -> None:
    """``{% block subjekt %}`` gave two problems (no subject block; the layout needs it) and no hint."""
    config = make_project([row("1")])
    line = edit(config, "birthday.j2", "{% block subject %}", "{% block subjekt %}")
    assert template_problems(config) == [
        f"birthday.j2:{line}:1: no {{% block subject %}} (nor in what it extends): "
        "{% block subjekt %} here is never rendered, did you mean 'subject'?"
    ]


def test_a_misspelt_block_the_layout_needs_is_named_at_its_line(make_project: MakeProject) -> None:
    config = make_project([row("1")])
    line = edit(config, "birthday.j2", "{% block message %}", "{% block mesage %}")
    assert template_problems(config) == [
        f"birthday.j2:{line}:1: block 'message' is missing (the layout _layout.html.j2 needs it, line 26): "
        "{% block mesage %} here is never rendered, did you mean 'message'?"
    ]


def test_a_misspelt_override_of_a_layout_block_is_a_warning(make_project: MakeProject) -> None:
    """``{% block headng %}``: nothing is missing (the layout has its own heading), so nothing was said."""
    config = make_project([row("1")])
    line = edit(config, "birthday.j2", "{% block heading %}", "{% block headng %}")
    report = run_check(config, NOW)
    assert [str(p) for p in report.problems if p.kind == "template"] == [
        f"birthday.j2:{line}:1: warning: {{% block headng %}} is never rendered (no layout uses it), "
        "did you mean 'heading'?"
    ]
    assert report.errors == 0


def template_problems(config: Path) -> list[str]:
    return [str(p) for p in run_check(config, NOW).problems if p.kind == "template"]
