"""``greeter check`` parses (and lexes) each template file once, however many of its checks read it.

Its file checks (the references that make a file used, whether a letter
prints ``also``, the logo's alt text, the grammatical cases asked) each parsed
the same files: 117 parses of the example project's 45 files per check, a
third of its time. They now share :func:`greeter.template_env.syntax_tree`;
the two reading the source's layout (an eaten paragraph break, a mail header)
lexed each file once each, and share :func:`greeter.template_env.syntax_tokens`.
The renderer's own parses (for a file's shape, and to compile it) are not
counted: compiling alters a tree, so the renderer never shares one.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

import jinja2
import pytest

from greeter.checks import run_check
from greeter.template_env import syntax_tree
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00"
#: The modules that parse to render (shape and compile): their parses are not the check's reading.
_RENDERER = ("greeter.template_set", "greeter.template_snapshot")


def test_check_parses_and_lexes_each_template_file_once(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every parse or lex made to read a file names its file, and none is done twice to a file in one check."""
    config = make_project([contact_row("1", "c1@example.com", birthday="07.01.1960")])
    read: Counter[tuple[str, str | None]] = Counter()
    parse, lex = jinja2.Environment.parse, jinja2.Environment.lex

    def parsed(self: jinja2.Environment, source: str, name: str | None = None, *args: Any) -> Any:
        if sys._getframe(1).f_globals["__name__"] not in _RENDERER:
            read["parse", name] += 1
        return parse(self, source, name, *args)

    def lexed(self: jinja2.Environment, source: str, name: str | None = None, *args: Any) -> Any:
        read["lex", name] += 1
        return lex(self, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "parse", parsed)
    monkeypatch.setattr(jinja2.Environment, "lex", lexed)
    report = run_check(config, NOW)
    assert report.render_failures == 0
    folder = config.parent / "templates"
    files = {p.relative_to(folder).as_posix() for p in folder.glob("*.j2")}
    assert {name for _, name in read} <= files  # none unnamed (a file read without its name)
    assert [key for key, times in read.items() if times > 1] == []


def test_a_tree_is_kept_for_its_text_and_an_edited_file_is_parsed_afresh() -> None:
    """Keyed by the text: the same text is one tree, an edit another; a syntax error is raised every time."""
    first = syntax_tree("{{ contact|name('dative') }}", "letter.en.j2")
    assert syntax_tree("{{ contact|name('dative') }}", "letter.en.j2") is first
    edited = syntax_tree("\n{{ contact|name('genitive') }}", "letter.en.j2")
    assert edited is not first
    assert [f.lineno for f in edited.find_all(jinja2.nodes.Filter)] == [2]
    for _ in range(2):
        with pytest.raises(jinja2.TemplateSyntaxError) as raised:
            syntax_tree("line one\n{% if %}", "broken.j2")
        assert (raised.value.lineno, raised.value.name) == (2, "broken.j2")


def test_a_file_with_an_autoescape_tag_is_read_as_the_renderer_reads_it() -> None:
    """The renderer refuses ``{% autoescape %}`` (an error of its own): the readers see no tree either."""
    with pytest.raises(jinja2.TemplateSyntaxError, match="autoescape"):
        syntax_tree("{% autoescape false %}{{ x }}{% endautoescape %}", "letter.j2")
