"""HTML text made without markupsafe's Python overhead: the same Markup, fewer frames per value.

Shared by the filters (:mod:`greeter.template_filters`) and by what the
sandbox (:mod:`greeter.template_env`) prints for every ``{{ … }}``: a letter
prints dozens of values, a mailing thousands of letters.

"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Final

from markupsafe import Markup, escape

try:  # markupsafe's own escaper for a str (its C speedup when built): what escape() calls
    from markupsafe import _escape_inner as escape_text  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - markupsafe < 3 has no such name

    def escape_text(s: str, /) -> str:
        return str(escape(s))


__all__ = ["escape_html", "escape_text", "markup"]

#: ``Markup(text)`` for a ``str`` known to be safe HTML, without ``Markup.__new__``'s Python frame
#: and its ``__html__`` probe (a plain ``str`` has none: the result is the same).
markup: Final[Callable[[str], Markup]] = partial(str.__new__, Markup)


def escape_html(value: object) -> Markup:
    """:func:`markupsafe.escape`, with the two common cases done without its Python overhead.

    What the HTML environment's templates call on every ``{{ … }}`` (see
    :class:`~greeter.template_codegen.LetterTemplate`). ``Markup`` comes back as it is: ``escape`` would
    return ``Markup(value.__html__())``, a copy of the same text. A ``str`` is
    escaped by markupsafe's own escaper, the one ``escape`` calls for a ``str``
    (its C speedup: one call, where five ``str.replace`` were five), without the
    ``Markup.__new__`` frame around it (``tests/test_render_shortcuts.py``
    compares the two); every other type goes through ``escape`` itself
    (``__html__``, then ``str()``).
    """
    kind = type(value)
    if kind is Markup:
        return value  # type: ignore[return-value]  # mypy cannot narrow on type() is
    if kind is str:
        return markup(escape_text(value))  # type: ignore[arg-type]  # a str (type() is)
    return escape(value)
