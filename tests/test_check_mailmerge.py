"""``greeter check`` on a letter moved in from the PyPI ``mailmerge`` tool.

A ``mailmerge`` template is a whole message: ``TO:``, ``SUBJECT:`` and
``FROM:`` lines, a blank line, the body, all at the top level. Pasted into
``birthday.j2``, check's summary said only "30 not tried, as birthday.j2 is
missing or does not compile" and "check: 1 problem(s)": the one line naming
the cause stood on stderr among dozens of warnings, and told to "move it into
the block that uses it" without naming a block. Moved into a block as is, the
header lines rendered into every letter's body with no word at all.

The real CLI in-process on a copy of config.example.yaml and its templates.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MakeProject, contact_row
from tests.test_baseline import invoke

NOW = "2026-12-01T09:00:00+03:00"

MAILMERGE = """TO: {{email}}
SUBJECT: С днём рождения, {{name}}!
FROM: Отдел маркетинга <marketing@example.com>

Уважаемый(ая) {{name}}!

Поздравляем Вас с днём рождения!
"""


def project(make_project: MakeProject, letter: str) -> Path:
    config = make_project([contact_row("1", "a@example.com", birthday="10.12.1980")])
    (config.parent / "templates" / "birthday.j2").write_text(letter, encoding="utf-8")
    return config


def renders_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("renders:"))


def test_a_pasted_letter_is_named_in_the_summary_with_the_blocks_a_letter_has(
    make_project: MakeProject,
) -> None:
    config = project(make_project, MAILMERGE)
    code, out, err = invoke(config, "check", "--now", NOW)
    assert code == 1, err
    said = renders_line(out)
    assert "not tried, as birthday.j2 cannot be used: birthday.j2:1:1: text outside a block" in said, said
    assert (
        "a letter is {% block subject %} (its one-line subject), {% block text %} (its words) and optionally"
        ' {% block html %}, or, under {% extends "_layout.html.j2" %}, {% block subject %} and'
        " {% block message %}"
    ) in said


def test_under_the_layout_it_names_the_layouts_blocks(make_project: MakeProject) -> None:
    config = project(make_project, '{% extends "_layout.html.j2" %}\n' + MAILMERGE)
    code, _, err = invoke(config, "check", "--now", NOW)
    assert code == 1
    assert (
        "birthday.j2:2:1: text outside a block is never rendered (each block is rendered on its own):"
        " birthday.j2 extends _layout.html.j2, whose letter is {% block subject %} and {% block message %}"
        " (it may also override accent, heading, signature); move each line into the block it belongs to"
    ) in err.splitlines()


def test_header_lines_at_the_top_of_a_block_are_warned_of(make_project: MakeProject) -> None:
    body = MAILMERGE.replace("{{email}}", "{{ contact.email }}").replace(
        "{{name}}", "{{ contact.first_name }}"
    )
    letter = (
        '{% extends "_layout.html.j2" %}\n'
        "{% block subject %}С днём рождения!{% endblock %}\n"
        "{% block message %}\n" + body + "{% endblock %}\n"
    )
    config = project(make_project, letter)
    code, _, err = invoke(config, "check", "--now", NOW)
    assert code == 0, err  # warnings: the letter renders, headers and all
    lines = err.splitlines()
    assert (
        "birthday.j2:4:1: warning: 'TO: {{ contact.email }}' looks like a mailmerge header line: greeter"
        " prints it in the body of every letter; delete it — greeter writes to each contact's own address"
        " (contacts.columns.email)"
    ) in lines
    assert any(
        line.startswith("birthday.j2:5:1: warning: 'SUBJECT: ")
        and line.endswith("the subject is the letter's {% block subject %}")
        for line in lines
    ), err
    assert any(
        line.startswith("birthday.j2:6:1: warning: 'FROM: ")
        and line.endswith("the From: line is sender.name and sender.email in the config")
        for line in lines
    ), err


def test_the_shipped_letters_have_no_such_lines(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "a@example.com", birthday="10.12.1980")])
    code, _, err = invoke(config, "check", "--now", NOW)
    assert code == 0, err
    assert "mailmerge" not in err


def test_subject_pasted_into_the_subject_block_is_warned_of(make_project: MakeProject) -> None:
    """The likeliest paste: docs/mailmerge.md promises a warning, and check said nothing."""
    letter = (
        '{% extends "_layout.html.j2" %}\n'
        "{% block subject %}SUBJECT: Happy birthday{% endblock %}\n"
        "{% block message %}Dear {{ contact.first_name }}!{% endblock %}\n"
    )
    config = project(make_project, letter)
    code, _, err = invoke(config, "check", "--now", NOW)
    assert code == 0, err
    assert (
        "birthday.j2:2:1: warning: 'SUBJECT: Happy birthday' looks like a mailmerge header line: greeter"
        " prints it in the subject of every letter; delete it — the subject is the letter's"
        " {% block subject %}, whose words are the subject itself"
    ) in err.splitlines(), err


def test_subject_on_the_line_after_the_subject_tag_is_warned_of(make_project: MakeProject) -> None:
    letter = (
        '{% extends "_layout.html.j2" %}\n'
        "{% block subject %}\nSubject: Happy birthday\n{% endblock %}\n"
        "{% block message %}Dear {{ contact.first_name }}!{% endblock %}\n"
    )
    config = project(make_project, letter)
    code, _, err = invoke(config, "check", "--now", NOW)
    assert code == 0, err
    assert "birthday.j2:3:1: warning: 'Subject: Happy birthday' looks like a mailmerge header" in err, err
