"""A closing tag ending a line of text takes its line break: before a blank line, check says so.

From a marketer's first template (a persona review): ``…inspiration{% endif %}``,
then ``{% if also %}``, an empty line and the ``also`` paragraph printed the two
paragraphs glued — one line break where the source shows a blank line — and
nothing warned. :func:`greeter.template_breaks.eaten_breaks` finds it from the
source; ``greeter check`` reports it at the file and line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from greeter.template_breaks import eaten_breaks
from tests.conftest import ROOT, MakeProject, contact_row
from tests.test_cli_scripting import invoke


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the persona's lines: the paragraph after {% if also %} is glued on
        ("{% block text %}\nJoy{% if c %}, {{ c }}{% else %}.{% endif %}\n{% if a %}\n\nP.S.\n{% endif %}\n{% endblock %}",
         [(2, "endif")]),
        # `+%}` keeps the break; `-%}` strips on purpose
        ("{% block text %}\nJoy{% if c %}!{% endif +%}\n{% if a %}\n\nP.S.\n{% endif %}\n{% endblock %}", []),
        ("{% block text %}\nJoy{% if c %}!{% endif -%}\n\nP.S.{% endblock %}", []),
        # a sentence going on in the same paragraph (the shipped letters' idiom): no blank line follows
        ("{% block text %}\nA. {% if y %}B. {% endif %}\n{% if z %}\nC.\n{% endif %}{% endblock %}", []),
        # what the if prints is text on the tag's line; a tag alone on its line disappears whole
        ("{% block text %}\nJoy\n{% if c %}x{% endif %}\n\nP.S.{% endblock %}", [(3, "endif")]),
        ("{% block text %}\nJoy\n{% if c %}\nx\n{% endif %}\n\nP.S.{% endblock %}", []),
        # endfor too; an opening tag ending a line of text is not judged
        ("{% block text %}{% for t in ts %}{{ t }}{% endfor %}\n\nZ{% endblock %}", [(1, "endfor")]),
        ("{% block text %}Dear {% if vip %}\n\nfriend{% endif %}{% endblock %}", []),
        # before {% endblock %}, in the subject and in the html block a lost break is no loss
        ("{% block text %}A{% if x %}b{% endif %}\n{% endblock %}\n\n", []),
        ("{% block subject %}Hi{% if c %} x{% endif %}\n\n{% endblock %}", []),
        ("{% block html %}<p>A{% if x %}b{% endif %}\n\n<p>C{% endblock %}", []),
        # a comment spanning lines starts a new line; text before it is not on the tag's line
        ("{% block text %}A{# note\n #}{% if x %}{% endif %}\n\nB{% endblock %}", []),
    ],
)  # fmt: skip
def test_eaten_breaks(source: str, expected: list[tuple[int, str]]) -> None:
    assert eaten_breaks(source) == expected


def test_the_shipped_templates_lose_no_paragraph() -> None:
    found = {
        f.name: eaten_breaks(f.read_text(encoding="utf-8"), f.name) for f in (ROOT / "templates").glob("*.j2")
    }
    assert {name: lines for name, lines in found.items() if lines} == {}


GLUED = "работать с Вами — настоящее удовольствие{% if contact.company %}!{% else %}.{% endif %}\n"
PS = "{% if true %}\n\nP.S. Ждём Вас на нашей выставке.\n{% endif %}\n"


def _birthday_with(config: Path, ending: str) -> int:
    """birthday.j2 with the line before ``{% if also %}`` ending in ``ending`` and a P.S. paragraph after it."""
    path = config.parent / "templates" / "birthday.j2"
    text = path.read_text(encoding="utf-8")
    old = "работать с Вами — настоящее удовольствие.\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, ending + PS), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _letter_text(config: Path) -> str:
    code, out, err = invoke(
        "--config", str(config), "preview", "--from", "2027-04-13", "--days", "1", "--format", "json",
        "--now", "2027-04-01T10:00:00+03:00",
    )  # fmt: skip
    assert code == 0, err
    (letter,) = [d for d in json.loads(out) if d["status"] == "send"]
    return str(letter["text"])


def test_check_warns_where_a_paragraph_is_glued_and_keeping_the_break_silences_it(
    make_project: MakeProject,
) -> None:
    config = make_project([contact_row("1", "client1@example.com", birthday="13.04.1980")])
    line = _birthday_with(config, GLUED)
    code, out, err = invoke("--config", str(config), "check", "--now", "2027-04-01T10:00:00+03:00")
    assert code == 0, out + err  # a warning, not an error
    assert f"birthday.j2:{line}:1: warning: the line break after {{% endif %}} is removed" in err, err
    assert "write {% endif +%} to keep it" in err
    # and the warning is true: the letter has no blank line before the P.S.
    assert "удовольствие!\nP.S. Ждём" in _letter_text(config)

    fixed = make_project([contact_row("1", "client1@example.com", birthday="13.04.1980")])
    _birthday_with(fixed, GLUED.replace("{% endif %}", "{% endif +%}"))
    code, out, err = invoke("--config", str(fixed), "check", "--now", "2027-04-01T10:00:00+03:00")
    assert code == 0 and "line break after" not in err, err
    assert "удовольствие!\n\nP.S. Ждём" in _letter_text(fixed)
