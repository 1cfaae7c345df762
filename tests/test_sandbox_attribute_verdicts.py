"""The sandbox judges an attribute of a plain str, dict, list or tuple once per type and name (issue 5).

:meth:`greeter.template_env.Sandbox.getattr` keeps Jinja's verdict
(``is_safe_attribute``) by ``(type, name)``: every letter read
``locale.split`` and ``words.get`` through the sandbox's whole check. These
render each expression twice in one environment — the second time from the
kept verdict — and hold both to what the stock immutable sandbox answers:
a safe method still works, an unsafe one (a mutator, a dunder) is still
refused, a dict key read as an attribute is still that key.
"""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, StrictUndefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from greeter.template_env import make_environment

VALUES = {
    "s": "ru_RU",
    "d": {"a": "key a", "get": "key get"},
    "items": [3, 1, 2],
    "pair": (1, 2),
    "mk": Markup("<b>a</b>\n\nb"),
}

EXPRESSIONS = [
    "{{ s.split('_')|join('+') }}",
    "{{ s.upper() }}",
    "{{ d.get('a') }}",
    "{{ d.items()|list|length }}",
    "{{ d.a }}",  # no such attribute: the key
    "{{ items.index(1) }}",
    "{{ pair.count(2) }}",
    "{{ '{}-{}'.format(s, 1) }}",  # str.format: Jinja's wrapper, not the kept verdict
    "{{ d.pop('a') }}",
    "{{ d.update({'b': 1}) }}",
    "{{ items.append(4) }}",
    "{{ s.__class__ }}",
    "{{ d.__class__.__mro__ }}",
    "{{ s.nosuch }}",
    "{{ mk.split('\\n\\n')|join('+') }}",  # Markup: the layout's preheader, every letter
    "{{ mk.striptags() }}",
    "{{ mk.upper() }}",
    "{{ mk.format(s) }}",  # Markup.format: Jinja's escaping wrapper, not the kept verdict
    "{{ mk.__class__ }}",
    "{{ mk.__html__() }}",
    "{{ mk.nosuch }}",
]


def outcome(env: ImmutableSandboxedEnvironment, expression: str) -> str:
    """What rendering ``expression`` gives: its text, or the kind of error that refused it."""
    try:
        return env.from_string(expression).render(**VALUES)
    except (SecurityError, UndefinedError) as exc:
        return type(exc).__name__


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_an_attribute_is_judged_as_the_stock_sandbox_judges_it_every_time(expression: str) -> None:
    stock = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    env = make_environment(DictLoader({}), html=False)
    expected = outcome(stock, expression)
    assert outcome(env, expression) == expected
    assert outcome(env, expression) == expected  # the kept verdict answers the same


#: A file imported as a module (``{% import %}``), as the layout imports _brand.j2: text, a
#: mapping, a macro, a str method and Jinja's wrapped ``str.format`` kept in names, a private name.
MODULE = (
    '{% set colour = "#fff" %}{% set styles = {"a": "b"} %}{% set up = "abc".upper %}'
    '{% set fmt = "{}!".format %}{% set _hidden = "h" %}{% set nothing = none %}'
    "{% macro line(x) %}<{{ x }}>{% endmacro %}"
)

MODULE_EXPRESSIONS = [
    "{{ m.colour }}",
    "{{ m.styles.a }}",
    "{{ m.styles.items()|list|length }}",
    "{{ m.line('x') }}",
    "{{ m.up() }}",  # a bound str method: the full path
    "{{ m.fmt('a') }}",  # Jinja's str.format wrapper: the full path's value
    "{{ m.nothing is none }}",
    "{{ m._hidden }}",  # private: refused
    "{{ m.__class__ }}",
    "{{ m.__dict__ }}",
    "{{ m.nosuch }}",  # no such name: undefined
]


@pytest.mark.parametrize("html", [False, True])
@pytest.mark.parametrize("expression", MODULE_EXPRESSIONS)
def test_a_name_of_an_imported_file_is_read_as_the_stock_sandbox_reads_it(
    expression: str, html: bool
) -> None:
    files = {"_m.j2": MODULE, "t.j2": "{% import '_m.j2' as m %}" + expression}
    stock = ImmutableSandboxedEnvironment(
        loader=DictLoader(files), undefined=StrictUndefined, autoescape=html
    )
    env = make_environment(DictLoader(files), html=html)

    def outcome_of(environment: ImmutableSandboxedEnvironment) -> str:
        try:
            return environment.get_template("t.j2").render(**VALUES)
        except (SecurityError, UndefinedError) as exc:
            return type(exc).__name__

    expected = outcome_of(stock)
    assert outcome_of(env) == expected
    assert outcome_of(env) == expected
