"""How ``greeter check`` reports template mistakes: the name meant, every file, the right line, once.

Each test is a mistake a marketer made in the example templates, checked
end to end with :func:`run_check` (real files, real contacts CSV).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.checks import run_check
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00"


def row(cid: str, locale: str = "ru") -> str:
    return contact_row(cid, f"{cid}@example.com", birthday="07.01.1960").replace(";ru;", f";{locale};")


def edit(config: Path, template: str, old: str, new: str) -> int:
    """Replace ``old`` once in a template; the line ``new`` starts on."""
    path = config.parent / "templates" / template
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def template_problems(config: Path) -> list[str]:
    return [str(p) for p in run_check(config, NOW).problems if p.kind == "template"]


def test_an_unknown_filter_is_answered_with_the_filter_meant(make_project: MakeProject) -> None:
    """``|plurl`` and ``|year_phrase`` said only "No filter named 'plurl'.", though README promises the name meant."""
    config = make_project([row("1"), row("e1", "en")])
    line = edit(config, "birthday.j2", "{% block subject %}\n", '{% block subject %}{{ 3|plurl("a|b|c") }}\n')
    line_en = edit(
        config,
        "company_anniversary.en.j2",
        "years|ordinal }} anniversary.",
        "years|year_phrase }} anniversary.",
    )
    problems = template_problems(config)
    assert f"birthday.j2:{line}:1: syntax error: No filter named 'plurl', did you mean 'plural'?" in problems
    # inside {% if years %}: Jinja fails only when the branch is reached; check reads the name itself,
    # once, at the file (contact e1 reaching the branch is the same problem, not a second line)
    assert problems == [
        f"birthday.j2:{line}:1: syntax error: No filter named 'plurl', did you mean 'plural'?",
        f"company_anniversary.en.j2:{line_en}:1: No filter named 'year_phrase', did you mean 'years_phrase'?",
    ], problems


def test_an_unknown_filter_or_test_in_a_branch_no_contact_reaches_is_still_reported(
    make_project: MakeProject,
) -> None:
    """``{% if never %}{{ years|year_phrase }}{% endif %}`` passed check: Jinja defers it to the render."""
    config = make_project([row("1")])
    line = edit(
        config,
        "birthday.j2",
        "{% block subject %}\n",
        "{% block subject %}{% if false %}{{ 3|year_phrase }}{{ 4|year_phrase }}"
        "{% elif 3 is oddd %}x{% elif 3 is shout %}y{% endif %}\n",
    )
    report = run_check(config, NOW)
    problems = [str(p) for p in report.problems if p.kind == "template"]
    assert problems == [
        f"birthday.j2:{line}:1: No filter named 'year_phrase', did you mean 'years_phrase'?",
        f"birthday.j2:{line}:1: No test named 'oddd', did you mean 'odd'?",
        f"birthday.j2:{line}:1: No test named 'shout' found.",
    ], problems
    assert not report.fatal  # a mistake in a template: exit 1, as an undefined name


def test_a_template_that_does_not_compile_does_not_hide_a_mistake_in_another(
    make_project: MakeProject,
) -> None:
    """One broken file made every render "not tried": a second template's typo showed only on the next run."""
    config = make_project([row("1"), row("2")])
    edit(config, "birthday.j2", "{% block subject %}\n", "{% block subject %}{{ 3|plurl }}\n")
    line = edit(config, "new_year.j2", "{% block message %}\n", "{% block message %}\n{{ contakt }}\n") + 1
    report = run_check(config, NOW)
    problems = [str(p) for p in report.problems if p.kind == "template"]
    assert any(p.startswith("birthday.j2:") and "'plurl'" in p for p in problems), problems
    assert f"new_year.j2:{line}:1: undefined: 'contakt' is undefined, did you mean 'contact'? " in "".join(
        p[: p.index("(")] for p in problems if p.startswith("new_year.j2")
    ), problems
    assert not report.fatal and report.renders > 0 and report.render_failures == 2
    assert dict(report.skipped) == {"birthday.j2": 2}
    said = next(line for line in report.text().splitlines() if line.startswith("renders:"))
    assert "; 2 not tried, as birthday.j2 cannot be used: birthday.j2:" in said and "'plurl'" in said, said


def test_an_unknown_filter_inside_an_if_is_reported_at_its_own_line(make_project: MakeProject) -> None:
    """``{{ occasion_date|dat(…) }}`` in the early branch was reported at the ``{% block message %}`` line."""
    config = make_project([row("1")])
    line = edit(
        config,
        "birthday.j2",
        "{% elif early %}\n",
        '{% elif early %}\n{{ occasion_date|dat("day_month") }}\n',
    )
    problems = template_problems(config)
    assert problems == [f"birthday.j2:{line + 1}:1: No filter named 'dat', did you mean 'date'?"], problems


def test_one_mistake_in_a_file_several_locales_share_is_one_line(make_project: MakeProject) -> None:
    """``birthday.sr.j2`` serves sr, sr_Latn and sr_RS contacts: its mistake was printed once per locale."""
    config = make_project([row("s1", "sr"), row("s2", "sr_Latn"), row("s3", "sr_RS"), row("s4", "sr")])
    line = edit(
        config, "birthday.sr.j2", "{% block subject %}\n", '{% block subject %}{{ 3|plural("a|b") }}\n'
    )
    problems = template_problems(config)
    assert problems == [
        f"birthday.sr.j2:{line}:1: plural needs 3 forms in Serbian (one|few|other), got 2: 'a|b' "
        "(4 contacts: s1, s2, s3 and 1 more; locales sr, sr_Latn, sr_RS)"
    ]


def test_a_mistake_every_letter_shares_counts_each_contact_once(make_project: MakeProject) -> None:
    """A typo in ``_layout.html.j2`` fails every occasion's letter: 5 contacts read ``30 contacts: 1, 1, 1``."""
    from tests.test_send_e2e import greeter

    config = make_project([row(str(i)) for i in range(1, 6)])
    line = edit(config, "_layout.html.j2", 'name("dative", "full")', 'name("dative", "ful")')
    run = greeter(config, "check", "--now", NOW)
    assert run.returncode == 1, run.stdout + run.stderr
    (said,) = [s for s in (run.stdout + run.stderr).splitlines() if s.startswith("_layout.html.j2:")]
    assert said == (
        f"_layout.html.j2:{line}:1: unknown name parts 'ful'; expected one of: "
        "first_patronymic, full, first, last (5 contacts: 1, 2, 3 and 2 more)"
    )


def test_a_misnamed_template_file_is_named_and_a_file_nothing_uses_is_reported(
    make_project: MakeProject,
) -> None:
    """``brithday.fr.j2`` beside ``birthday.j2`` was ignored without a hint: the French contacts got
    the Russian letter, check said "there is no birthday.fr.j2" and nothing of the file that was there."""
    from tests.test_send_e2e import greeter

    config = make_project([row("1"), row("d1", "fr"), row("d2", "fr_CA")])
    folder = config.parent / "templates"
    (folder / "brithday.fr.j2").write_bytes((folder / "birthday.en.j2").read_bytes())
    (folder / "notes.j2").write_text("ideas for next year's letters\n", encoding="utf-8")
    (folder / "_old_footer.j2").write_text("{% macro footer() %}bye{% endmacro %}\n", encoding="utf-8")

    def warnings() -> list[str]:
        run = greeter(config, "check", "--now", NOW)
        assert run.returncode == 0, run.stdout + run.stderr
        return [s for s in (run.stdout + run.stderr).splitlines() if "never rendered" in s]

    never = "warning: no occasion, layout, include or import uses this file: it is never rendered"
    # the partials the letters use (_layout.html.j2, _ru.j2, _en.j2, _sr.j2, _et.j2, _de.j2) are not reported;
    # the misnamed letter has a line of its own, the files merely unused one for the folder
    assert warnings() == [
        f"brithday.fr.j2: {never}, did you mean 'birthday.fr.j2'?",
        f"{folder}: warning: 2 files no occasion, layout, include or import uses: they are never rendered: "
        "_old_footer.j2, notes.j2 (delete them if they are not wanted; check --json lists them in "
        "unused_templates)",
    ]
    run = greeter(config, "check", "--now", NOW)
    french = [s for s in run.stdout.splitlines() + run.stderr.splitlines() if "locale 'fr'" in s]
    # offered for the name it is closest to only, not for new_year.fr.j2 (".fr.j2" alike)
    assert [s.split(": warning: ", 1)[1] for s in french] == [
        "2 contact(s) with locale 'fr' or 'fr_CA' get birthday.j2 (ru): there is no birthday.fr.j2, "
        "did you mean 'brithday.fr.j2'?",
        "2 contact(s) with locale 'fr' or 'fr_CA' get new_year.j2 (ru): there is no new_year.fr.j2; "
        "add it, or write them in en: defaults.fallback_locales: {fr: en}",
    ]

    # A name computed at render time may reach any partial: only the stray letter-like files are sure.
    edit(config, "birthday.j2", "{% block subject %}\n", '{% block subject %}{% include "_" ~ "ru.j2" %}\n')
    assert warnings() == [f"brithday.fr.j2: {never}, did you mean 'birthday.fr.j2'?", f"notes.j2: {never}"]


def test_the_summary_counts_a_failed_draft_once_not_as_rendered(make_project: MakeProject) -> None:
    """It said "3 drafts rendered in strict mode, 1 failed": read as four tried, three of them fine.

    ``--all`` (``every``): the failure is contact 2's id, not its shape, which one render per
    shape of contact does not reach (tests/test_check_shapes.py).
    """
    config = make_project([row("1"), row("2"), row("3")])
    edit(config, "birthday.j2", "{% block message %}", "{% block message %}{{ 1 // (contact.id|int - 2) }}")
    report = run_check(config, NOW, every=True)
    assert report.render_failures == 1 and report.renders > 1
    (said,) = [s for s in report.text().splitlines() if s.startswith("renders:")]
    assert said == (
        f"renders: {report.renders - 1} of {report.renders} drafts rendered in strict mode, 1 failed"
    )


def test_the_last_line_says_how_many_of_the_problems_are_failed_drafts(make_project: MakeProject) -> None:
    """A misspelt filter printed one line, then "check: 4 problem(s)": a marketer looked for three more."""
    config = make_project([row("1"), row("2"), row("3")])
    edit(
        config,
        "birthday.j2",
        "{% block message %}",
        "{% block message %}{% if contact %}{{ contact|nmae }}{% endif %}",
    )
    report = run_check(config, NOW)
    assert report.render_failures >= 3
    assert report.text().splitlines()[-1] == (
        f"check: {report.errors} problem(s), {report.render_failures} of them draft(s) that fail to render"
        " (each cause is printed once above)"
    )


def test_a_misspelt_macro_is_answered_with_the_macro_the_file_imports(make_project: MakeProject) -> None:
    """``also_lin(...)`` was answered "did you mean 'also'?": only the letter's variables were offered."""
    config = make_project([row("1")])
    line = edit(config, "birthday.j2", "{{ also_line(also", "{{ also_lin(also")
    (said,) = [p for p in template_problems(config) if "also_lin'" in p]
    assert said.startswith(
        f"birthday.j2:{line}:1: undefined: 'also_lin' is undefined, did you mean 'also_line'?"
    )


def test_importing_a_macro_the_library_does_not_have_is_named_at_the_import(
    make_project: MakeProject,
) -> None:
    """Jinja says nothing at ``{% from %}``: the letter failed lines below, where the macro is used."""
    config = make_project([row("1")])
    line = edit(config, "birthday.j2", "import company, also_line", "import company, also_lines")
    problems = template_problems(config)
    assert (
        f"birthday.j2:{line}:1: _ru.j2 has no macro or variable 'also_lines' to import, did you mean 'also_line'?"
        in problems
    )
    # where the letter then uses the name meant, its error points back at the import, never at the
    # misspelt name ("'also_line' is undefined, did you mean 'also_lines'?" sent the marketer to the typo)
    (used,) = [p for p in problems if "'also_line' is undefined" in p]
    assert f"undefined: 'also_line' is undefined: line {line} imports 'also_lines' instead of it" in used
    assert "did you mean 'also_lines'" not in "\n".join(problems)
    # a name with nothing close: what the library has, so the marketer can pick
    edit(config, "birthday.j2", "import company, also_lines", "import company, greeting_card")
    (said,) = [p for p in template_problems(config) if "greeting_card" in p and "to import" in p]
    assert said.startswith(
        f"birthday.j2:{line}:1: _ru.j2 has no macro or variable 'greeting_card' to import (it has: "
    )
    assert "also_line" in said and "company" in said


#: (what the marketer wrote above the first block, what they wrote inside the subject block) →
#: each mistake's message: a top-level mistake no longer hides the ones below it.
SET_ABOVE_CASES = [
    (
        "{% set oops = 1 %}\n",
        "{{ contact.email|nosuchfilter }}",
        [
            "{% set %} outside a block is never rendered (each block is rendered on its own); "
            "move it into the block that uses it",
            "syntax error: No filter named 'nosuchfilter'.",
        ],
    ),
    (
        "{% set a = 1 %}\n{% set b = 2 %}\n",
        "",
        [
            "{% set %} outside a block is never rendered (each block is rendered on its own); "
            "move it into the block that uses it",
        ]
        * 2,
    ),
    (
        "{% set oops = 1 %}\n",
        "{% if false %}{{ 3|year_phrase }}{% endif %}",
        [
            "{% set %} outside a block is never rendered (each block is rendered on its own); "
            "move it into the block that uses it",
            "No filter named 'year_phrase', did you mean 'years_phrase'?",
        ],
    ),
]


@pytest.mark.parametrize(("above", "inside", "expected"), SET_ABOVE_CASES)
def test_a_set_above_the_blocks_does_not_hide_the_other_mistakes_of_its_file(
    make_project: MakeProject, above: str, inside: str, expected: list[str]
) -> None:
    """A top-level ``{% set %}`` was the one problem check named; the filter misspelt under it came a run later."""
    config = make_project([row("1")])
    path = config.parent / "templates" / "holiday.j2"
    path.write_text(above + path.read_text(encoding="utf-8"), encoding="utf-8")
    edit(config, "holiday.j2", "{% block subject %}", "{% block subject %}" + inside)
    problems = [p for p in run_check(config, NOW).problems if p.kind == "template" and p.file == "holiday.j2"]
    assert [p.message for p in problems] == expected, problems
    assert [p.line for p in problems][: above.count("\n")] == list(range(1, above.count("\n") + 1))
