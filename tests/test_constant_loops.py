"""A ``{% for %}`` over a ``range`` printing only text is compiled as that text repeated (issue 5).

:meth:`greeter.template_codegen.LetterCodeGenerator.visit_For` writes
``{% for _ in range(30) %}&#847;&zwnj;&nbsp;{% endfor %}`` (the shipped
layout's preheader padding: thirty timed iterations per letter) as one
string repeated, and runs every other loop as Jinja compiles it. These hold
the output of such loops, and of the ones that only look like them, to what
the stock immutable sandbox prints, in both environments (text and HTML) and in
every frame a loop can stand in (a block, a macro, a ``{% set %}`` block, a
nested loop, the top level of a template that extends another).
"""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, StrictUndefined
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from greeter.template_env import make_environment

VALUES = {"n": 3, "items": ["a", "b"], "r": range(4), "empty": []}

TEMPLATES = [
    "<{% for _ in range(30) %}&#847;&zwnj;&nbsp;{% endfor %}>",
    "{% for _ in range(0) %}x{% endfor %}|{% for _ in range(-2) %}x{% endfor %}",
    "{% for i in range(n) %}a\n{% endfor %}",
    "{% for i in range(1, 9, 3) %}<b>{% endfor %}",
    "{% for _ in r %}&{% endfor %}",  # a range from the values
    "{% for _ in items %}-{% endfor %}",  # a list: the loop as Jinja runs it
    "{% for _ in 'abc' %}*{% endfor %}",
    "{% for _ in empty %}x{% else %}none{% endfor %}",
    "{% for _ in range(3) %}{% endfor %}.",
    "{% for _ in range(3) %}x{{ loop.index }}{% endfor %}",
    "{% for i in range(3) if i %}x{% endfor %}",
    "{% for _ in range(2) %}{% for _ in range(3) %}y{% endfor %}|{% endfor %}",
    "{% macro m(k) %}[{% for _ in range(k) %}m{% endfor %}]{% endmacro %}{{ m(2) }}{{ m(0) }}",
    "{% set s %}{% for _ in range(4) %}s{% endfor %}{% endset %}{{ s }}{{ s|length }}",
    "{% filter upper %}{% for _ in range(2) %}f{% endfor %}{% endfilter %}",
    "{% block b %}{% for _ in range(5) %}<i>{% endfor %}{% endblock %}",
    "{% for _ in range(129) %}x{% endfor %}",  # more items than the repeated text takes: the loop
    "{% for _ in range(100) %}0123456789ab{% endfor %}",  # more text: the loop
    "{% for _ in range(128) %}{% endfor %}",
]

FAILING = [
    "{% for _ in nosuch %}x{% endfor %}",  # undefined
    "{% for _ in 5 %}x{% endfor %}",  # not iterable
    "{% for a, b in range(2) %}x{% endfor %}",  # a number does not unpack
]


def _stock(html: bool) -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        autoescape=html, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )


@pytest.mark.parametrize("html", [False, True])
@pytest.mark.parametrize("source", TEMPLATES)
def test_loops_print_what_the_stock_sandbox_prints(source: str, html: bool) -> None:
    ours = make_environment(DictLoader({}), html=html)
    assert ours.from_string(source).render(VALUES) == _stock(html).from_string(source).render(VALUES)


@pytest.mark.parametrize("html", [False, True])
def test_a_loop_at_the_top_level_of_a_child_template(html: bool) -> None:
    """Output outside blocks of a template that extends is dropped, a constant loop's too."""
    files = {
        "base": "{% block b %}base{% endblock %}",
        "child": "{% extends 'base' %}{% for _ in range(3) %}lost{% endfor %}"
        "{% block b %}{% for _ in range(3) %}kept{% endfor %}{% endblock %}",
    }
    ours = make_environment(DictLoader(files), html=html)
    stock = _stock(html)
    stock.loader = DictLoader(files)
    assert ours.get_template("child").render() == stock.get_template("child").render() == "kept" * 3


@pytest.mark.parametrize("source", FAILING)
def test_loops_that_fail_still_fail(source: str) -> None:
    ours = make_environment(DictLoader({}), html=False)
    with pytest.raises((TemplateError, TypeError, ValueError)) as stock_error:
        _stock(False).from_string(source).render(VALUES)
    with pytest.raises(stock_error.type):
        ours.from_string(source).render(VALUES)


def test_the_layout_padding_is_one_repeated_string() -> None:
    """The shipped layout's loop is compiled as the text repeated, not as thirty timed iterations."""
    env = make_environment(DictLoader({}), html=True)
    code = env.compile("{% for _ in range(30) %}&#847;&zwnj;&nbsp;{% endfor %}", raw=True)
    assert "'&#847;&zwnj;&nbsp;' * len(" in code
    assert f"<= {1024 // len('&#847;&zwnj;&nbsp;')}:" in code  # past that, the loop as Jinja compiles it
    assert "<= 128:" in env.compile("{% for _ in range(3) %}.{% endfor %}", raw=True)


def test_a_long_range_of_text_is_still_held_to_the_output_limit() -> None:
    """Repeated text adds up as the loop's pieces did: a block past MAX_OUTPUT is refused."""
    env = make_environment(DictLoader({}), html=False)
    source = "{% for _ in range(1000) %}{% for _ in range(5000) %}x{% endfor %}{% endfor %}"
    with pytest.raises(OverflowError):
        env.from_string(source).render()
