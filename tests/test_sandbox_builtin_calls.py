"""A builtin method of a plain str, dict, list or tuple is called from a template as the stock sandbox calls it.

:meth:`greeter.template_env.Sandbox.call` calls such a method (``locale.split("_")``,
``words.get(…)``: six a letter) directly, without Jinja's safety probe and
context dispatch, whose answer for it never varies. These hold what such calls
print, and the errors they raise, to the stock immutable sandbox, in both
environments; the methods that may grow a text (``replace``, ``join``…) and
``format`` keep their own checks and are here too.
"""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from greeter.template_env import make_environment

VALUES = {"s": "sr_Latn_RS", "d": {"a": "key a", "b": 2}, "items": [3, 1, 2, 1], "pair": (1, 2)}

EXPRESSIONS = [
    "{{ s.split('_')|join('+') }}",
    "{{ s.split('_', 1)|join('+') }}",
    "{{ s.split(sep='_', maxsplit=1)|join('+') }}",
    "{{ s.rsplit('_', 1)[0] }}",
    "{{ ''.split()|length }}",
    "{{ s.startswith('sr') }} {{ s.endswith(('RS', 'x')) }} {{ s.lower() }} {{ s.find('L') }}",
    "{{ d.get('a') }} {{ d.get('zz', 'none') }} {{ d.get('b') + 1 }}",
    "{{ d.keys()|list|join(',') }} {{ d.items()|list|length }}",
    "{{ items.count(1) }} {{ items.index(2) }} {{ pair.count(2) }} {{ pair.index(2) }}",
    "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
    "{{ s.replace('_', '-') }} {{ '-'.join(s.split('_')) }} {{ s.center(14, '*') }}",
    "{{ '{}!'.format(s) }}",
]

FAILING = [
    "{{ s.split('') }}",  # ValueError: empty separator
    "{{ items.index(9) }}",  # ValueError: not in list
    "{{ s.split(1) }}",  # TypeError
    "{{ d.get() }}",  # TypeError: no key
    "{{ s.split('_') }}",  # a list printed whole: greeter refuses it, Jinja prints its repr
]


def _stock(html: bool) -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(autoescape=html, undefined=StrictUndefined)


@pytest.mark.parametrize("html", [False, True])
@pytest.mark.parametrize("source", EXPRESSIONS)
def test_builtin_methods_answer_as_in_the_stock_sandbox(source: str, html: bool) -> None:
    ours = make_environment(DictLoader({}), html=html)
    assert ours.from_string(source).render(VALUES) == _stock(html).from_string(source).render(VALUES)


@pytest.mark.parametrize("source", FAILING[:-1])
def test_builtin_methods_fail_as_in_the_stock_sandbox(source: str) -> None:
    ours = make_environment(DictLoader({}), html=False)
    with pytest.raises(Exception) as stock_error:
        _stock(False).from_string(source).render(VALUES)
    with pytest.raises(stock_error.type, match=str(stock_error.value)[:20].replace("(", r"\(")):
        ours.from_string(source).render(VALUES)


def test_a_list_a_builtin_method_returns_is_still_not_printed_whole() -> None:
    ours = make_environment(DictLoader({}), html=False)
    with pytest.raises(Exception, match="printed a list"):
        ours.from_string(FAILING[-1]).render(VALUES)


def test_a_list_a_builtin_method_returns_is_still_weighed() -> None:
    """``split`` of a long text into a hundred thousand pieces is refused as before (weighed)."""
    ours = make_environment(DictLoader({}), html=False)
    with pytest.raises(OverflowError):
        ours.from_string("{{ (' ' * 99999).split(' ')|length }}").render()


# Markup's own methods and the sandbox's range() take the same direct route (one call each a
# letter: the layout's preheader splits the Markup of its message and pads with range(30)).
MARKUP_VALUES = {**VALUES, "m": Markup("<b>Hi</b> &amp; you\n\nsecond <i>para</i>")}

MARKUP_EXPRESSIONS = [
    "{{ m.split('\\n\\n')[0] }}|{{ m.split('\\n\\n')|length }}",
    "{{ m.rsplit(' ', 1)[1] }} {{ m.partition('&')[2] }} {{ m.splitlines()|length }}",
    "{{ m.strip() }} {{ m.upper() }} {{ m.title() }} {{ m.striptags() }} {{ m.unescape() }}",
    "{{ m.split('\\n\\n')[0] ~ '<' }}",
    "{{ range(3)|join(',') }} {{ range(2, 9, 3)|list|length }}",
    "{% for i in range(4) %}{{ i }}{% endfor %}{% for _ in range(30) %}.{% endfor %}",
]


@pytest.mark.parametrize("html", [False, True])
@pytest.mark.parametrize("source", MARKUP_EXPRESSIONS)
def test_markup_methods_and_range_answer_as_in_the_stock_sandbox(source: str, html: bool) -> None:
    ours = make_environment(DictLoader({}), html=html)
    rendered = ours.from_string(source).render(MARKUP_VALUES)
    assert rendered == _stock(html).from_string(source).render(MARKUP_VALUES)


@pytest.mark.parametrize("source", ["{{ m.split('') }}", "{{ range(10**7)|length }}", "{{ range('a') }}"])
def test_markup_methods_and_range_fail_as_in_the_stock_sandbox(source: str) -> None:
    ours = make_environment(DictLoader({}), html=True)
    with pytest.raises(Exception) as stock_error:
        _stock(True).from_string(source).render(MARKUP_VALUES)
    with pytest.raises(stock_error.type):
        ours.from_string(source).render(MARKUP_VALUES)


def test_a_list_a_markup_method_returns_is_still_weighed() -> None:
    ours = make_environment(DictLoader({}), html=True)
    with pytest.raises(OverflowError):
        ours.from_string("{{ m.split(' ')|length }}").render(m=Markup(" " * 99999))


def test_a_markup_subclass_method_takes_the_full_route() -> None:
    """Only Markup's own functions are called directly: a subclass's override is asked about as before."""

    class Marked(Markup):
        def split(self, *args: object, **kwargs: object) -> list[str]:  # type: ignore[override]
            return ["overridden"]

    Marked.split.unsafe_callable = True  # type: ignore[attr-defined]
    ours = make_environment(DictLoader({}), html=True)
    with pytest.raises(SecurityError):
        ours.from_string("{{ m.split()|length }}").render(m=Marked("a b"))
