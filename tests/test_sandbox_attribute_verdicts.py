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

from greeter.template_env import make_environment

VALUES = {"s": "ru_RU", "d": {"a": "key a", "get": "key get"}, "items": [3, 1, 2], "pair": (1, 2)}

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
