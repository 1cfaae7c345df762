"""``greeter check``'s two template warnings, case by case: ``also`` tested but never printed, and images.

QA found three holes. ``{% if also %}{# TODO #}{% endif %}`` silenced "the letters never print
`also`" though nothing is printed: a test of ``also`` now counts only where that statement prints
something. A bare ``<img … alt>`` — an empty alt, HTML's mark of a decorative image — was warned
as an image without alt (``alt=""`` was not); any alt now passes, blank included. And two images
without alt on one line gave two identical warnings: each now names its image by its ``src``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.check_also import _Reader, image_alt_problems
from greeter.checks import run_check
from greeter.template_snapshot import TemplateFiles
from tests.conftest import MakeProject
from tests.test_check_also import NOW, row, templates


def snapshot(tmp_path: Path, **files: str) -> TemplateFiles:
    for name, text in files.items():
        (tmp_path / f"{name}.j2").write_text(text, encoding="utf-8")
    return TemplateFiles.read(tmp_path)


#: A letter's message block → whether its letters print ``also``.
ALSO_CASES = [
    ("{% if also %}{# TODO #}{% endif %}", False),  # tested, nothing printed
    ("{% if also %}\n  \n{% endif %}", False),  # blank text is nothing
    ("{% if also %}{% else %}{# none #}{% endif %}", False),
    ("{% for o in occasions if also %}{% endfor %}", False),  # a for's filter is a test too
    ("{% if also %}{{ also|join(', ') }}{% endif %}", True),
    ("{% if also %}И с годовщиной Вашей компании!{% endif %}", True),  # said in words
    ("{% if also %}{{ also_line(also, send_date) }}{% endif %}", True),
    ("{% for o in also %}{{ o }}{% endfor %}", True),  # iterated, each printed
    ("{% set extra = also|join(', ') %}{{ extra }}", True),
    ("{% if also %}{% include '_also.j2' %}{% endif %}", True),
    ("{% if not also %}{% else %}с {{ also|first }}{% endif %}", True),
]


@pytest.mark.parametrize(("message", "prints"), ALSO_CASES)
def test_a_test_of_also_counts_only_where_something_is_printed(
    tmp_path: Path, message: str, prints: bool
) -> None:
    files = snapshot(tmp_path, letter=f"{{% block message %}}{message}{{% endblock %}}", _also="{{ also }}")
    assert _Reader(files).prints_also("letter.j2") is prints


#: A template line → the ``src`` of each image warned (none: no warning).
IMAGE_CASES = [
    ('<img src="cake.png" alt>', []),  # a bare alt: empty, decorative
    ('<img alt src="cake.png">', []),
    ('<img src="line.png" alt="">', []),
    ("<img src='line.png' alt='  '>", []),  # blank reads as empty
    ('<IMG SRC=cake.png ALT=Torte>', []),
    ('<img src="cake.png" title="alt" data-alt="x">', ["cake.png"]),  # no alt attribute, only the word
    ('<img src="a.png"><img src="b.png">', ["a.png", "b.png"]),  # two on one line: which is which
    ('<img src="{{ logo_url }}" width="{{ 2 > 1 }}">', ["{{ logo_url }}"]),
    ('<img src="https://cdn.example.com/mail/2026/december/images/cake-big.png">',
     ["https://cdn.e…cember/images/cake-big.png"]),
    ("<img width=1>", [""]),
]  # fmt: skip


@pytest.mark.parametrize(("line", "srcs"), IMAGE_CASES)
def test_an_image_without_alt_is_warned_by_its_src_and_any_alt_passes(
    tmp_path: Path, line: str, srcs: list[str]
) -> None:
    problems = image_alt_problems(snapshot(tmp_path, letter=f"<p>\n{line}\n</p>"))
    shown = [f'an <img src="{src}"> without' if src else "an <img> without" for src in srcs]
    assert [p.message[: len(said)] for p, said in zip(problems, shown, strict=False)] == shown
    assert len(problems) == len(srcs) and all(p.line == 2 for p in problems)


def test_a_lead_letter_that_only_tests_also_is_warned_end_to_end(make_project: MakeProject) -> None:
    config = make_project([row("1")])
    german = templates(config) / "birthday.de.j2"
    text = german.read_text(encoding="utf-8")
    # the message's also_line: the subject's also_subject does not count (greeter.check_also)
    start = text.index("{% if also %}", text.index("{% block message %}"))
    end = text.index("{% endif %}", start)
    german.write_text(text[:start] + "{% if also %}{# TODO #}" + text[end:], encoding="utf-8")
    warned = [p for p in run_check(config, NOW).problems if "never print `also`" in p.message]
    assert [p.file for p in warned] == ["birthday.de.j2"], warned
