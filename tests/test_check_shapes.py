"""``greeter check`` renders one letter per occasion and shape of contact, and every one with ``--all``.

At 150,000 contacts rendering every occasion's letter for every contact took
7.5 minutes, after each template edit. A letter's words depend on the
contact's language, gender, which fields are filled in… (its shape:
:func:`greeter.check_render.letter_shape`), so one render per shape tells
the drafts of every contact of it; what a row's own data may break (markup,
control characters) is still found at that row. Real projects, real CSV
files, checked in-process (:func:`greeter.checks.run_check`) or through the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from greeter.checks import run_check
from greeter.cli import main
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00"


def rows(n: int) -> list[str]:
    """``n`` Russian contacts alike but for their id, e-mail and names (one shape)."""
    firsts = ["Иван", "Пётр", "Сергей", "Олег", "Антон"]
    lasts = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов"]
    return [
        contact_row(
            str(i), f"c{i}@example.com", first=firsts[i % 5], last=lasts[i % 7 % 5], birthday="07.01.1960"
        )
        for i in range(1, n + 1)
    ]


def edit(config: Path, template: str, old: str, new: str) -> int:
    """Replace ``old`` once in a template; the line ``new`` starts on."""
    path = config.parent / "templates" / template
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_a_template_failing_for_one_contact_with_an_empty_field_is_reported_for_it(
    make_project: MakeProject,
) -> None:
    """The one contact of 120 without a company is its own shape: its letter fails and check says so."""
    contacts = rows(120)
    contacts[76] = contacts[76].replace("ООО «Тест»", "")  # contact 77
    config = make_project(contacts)
    line = edit(
        config, "birthday.j2", "{% block message %}\n", "{% block message %}\n{{ contact.company[0] }}\n"
    )
    report = run_check(config, NOW)
    failed = [str(p) for p in report.problems if p.kind == "template"]
    assert len(failed) == 1 and failed[0].startswith(f"birthday.j2:{line + 1}:"), failed
    assert failed[0].endswith("(contact 77)"), failed
    assert report.render_failures == 1
    full = run_check(config, NOW, every=True)  # the same problems as rendering every draft
    assert [str(p) for p in report.problems] == [str(p) for p in full.problems]
    assert report.rendered < full.rendered - 100  # the others were told by their shape's render


def test_one_render_per_shape_tells_the_drafts_of_many_contacts(make_project: MakeProject) -> None:
    """300 contacts of one shape: a few renders (the shape's plain letters, the sampled other
    forms), the same drafts counted as passing as with --all, which renders each."""
    config = make_project(rows(300))
    fast = run_check(config, NOW)
    full = run_check(config, NOW, every=True)
    assert fast.renders == full.renders and fast.render_failures == full.render_failures == 0
    assert full.rendered == full.renders
    assert fast.rendered < 300 < full.rendered
    occasions = len(fast.occasions)
    assert fast.renders - fast.rendered == full.renders - full.rendered + 299 * occasions
    assert [str(p) for p in fast.problems] == [str(p) for p in full.problems]


def test_a_render_failure_counts_every_contact_of_its_shape(make_project: MakeProject) -> None:
    """A typo fails every contact's letter: named and counted as the full render names them."""
    config = make_project(rows(40))
    edit(config, "birthday.j2", "{% block message %}\n", "{% block message %}\n{{ contakt }}\n")
    fast = run_check(config, NOW)
    full = run_check(config, NOW, every=True)
    assert fast.render_failures == full.render_failures == 40
    said = [str(p) for p in fast.problems if p.kind == "template"]
    assert said == [str(p) for p in full.problems if p.kind == "template"]
    assert "40 contacts: 1, 2, 3 and 37 more" in said[0], said
    assert fast.rendered < full.rendered


def test_a_row_whose_data_shows_through_the_letter_is_rendered_and_reported_at_its_row(
    make_project: MakeProject,
) -> None:
    """Markup typed into one company among many alike is that row's warning, not missed with its shape."""
    contacts = rows(30)
    contacts[11] = contacts[11].replace("ООО «Тест»", "<b>ООО «Тест»</b>")  # contact 12, row 13
    config = make_project(contacts)
    edit(config, "birthday.j2", "{% block message %}\n", "{% block message %}\n{{ contact.company }}\n")
    fast = run_check(config, NOW)
    markup = [p for p in fast.problems if "holds the HTML tag <b>" in p.message]
    assert [(p.line, p.field) for p in markup] == [(13, "Компания")], [str(p) for p in fast.problems]
    assert [str(p) for p in fast.problems] == [str(p) for p in run_check(config, NOW, every=True).problems]


def test_all_renders_every_draft_and_finds_a_failure_of_one_value(make_project: MakeProject) -> None:
    """``check --all`` is the old check: every draft rendered, so a template failing on one value
    (contact 2's id, one shape with the others) is found, and the summary says every draft rendered."""
    config = make_project(rows(3))
    edit(config, "birthday.j2", "{% block message %}", "{% block message %}{{ 1 // (contact.id|int - 2) }}")
    run = CliRunner().invoke(main, ["--config", str(config), "check", "--all", "--now", NOW])
    assert run.exit_code == 1, run.output
    assert "ZeroDivisionError" in run.output and "(contact 2)" in run.output, run.output
    (said,) = [s for s in run.output.splitlines() if s.startswith("renders:")]
    report = run_check(config, NOW, every=True)
    assert report.render_failures == 1
    assert (
        said == f"renders: {report.renders - 1} of {report.renders} drafts rendered in strict mode, 1 failed"
    )
    summary = json.loads(
        CliRunner().invoke(main, ["--config", str(config), "check", "--all", "--json", "--now", NOW]).stdout
    )
    assert summary["drafts_rendered"] == summary["renders"] == report.renders


def test_the_summary_says_how_many_drafts_were_rendered_for_the_rest(make_project: MakeProject) -> None:
    """ "120 of 120 drafts rendered" after 20 renders would be untrue: it says how many, and --all."""
    report = run_check(make_project(rows(20)), NOW)
    (said,) = [s for s in report.text().splitlines() if s.startswith("renders:")]
    assert said == (
        f"renders: {report.renders} of {report.renders} drafts covered in strict mode, 0 failed"
        f" ({report.rendered} rendered, one per shape of contact: a template failing on one value alone"
        " shows only with check --all)"
    )
    assert report.summary()["drafts_rendered"] == report.rendered < report.renders
