"""``preview`` no longer says ``send`` for a letter ``send`` holds for its subject.

The security re-test: a template whose subject renders a control character
(``Hi{{ '\\x1b]0;PWNED\\x07' }}``, an OSC that retitles a terminal) — ``check``
flagged it, ``send`` held it as ``render_error``, ``preview --format json``
and the table said ``send``, and ``calendar`` listed it. Now preview and the
calendar apply send's header rule to the subject and show send's words.
Real processes on a real project.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import NOW, greeter

TEMPLATE = "{% block subject %}Hi{{ '\\x1b]0;PWNED\\x07' }}{% endblock %}{% block text %}Text{% endblock %}"
#: What send says of the letter, after ``render_error: ``.
SEND_SAYS = "Subject: control or line-break character U+001B in 'Hi\\x1b]0;PWNED\\x07'"


def _project(make_project: MakeProject) -> Path:
    config = make_project([contact_row("1", "one@example.com", birthday="13.04.1980")])  # due at NOW
    (config.parent / "templates" / "birthday.j2").write_text(TEMPLATE, encoding="utf-8")
    return config


def test_preview_and_calendar_hold_a_subject_send_holds_in_sends_words(make_project: MakeProject) -> None:
    config = _project(make_project)
    window = ("--from", "2027-04-13", "--days", "3", "--now", NOW)
    dry = greeter(config, "send", "--once", "--dry-run", "--json", "--now", NOW)
    assert SEND_SAYS in dry.stdout + dry.stderr, dry.stdout + dry.stderr  # send's words, as they were

    run = greeter(config, "preview", *window, "--format", "json")
    assert run.returncode == 1, run.stdout + run.stderr
    (item,) = [i for i in json.loads(run.stdout) if i["occasion"] == "birthday"]
    assert (item["status"], item["reason"]) == ("skip", "render_error"), item
    assert item["detail"] == SEND_SAYS, item
    assert "\x1b" not in run.stdout

    table = greeter(config, "preview", *window)
    assert table.returncode == 1 and "render_error" in table.stdout, table.stdout
    assert "\x1b]0;" not in table.stdout

    ics = config.parent / "cal.ics"
    cal = greeter(config, "calendar", *window, "-o", str(ics))
    assert cal.returncode == 1, cal.stderr
    assert b"BEGIN:VEVENT" not in ics.read_bytes()  # a letter that will not leave is no event
    assert (
        "the letter's Subject header cannot be written (control or line-break character U+001B)" in cal.stderr
    )
