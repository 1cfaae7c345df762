"""Where a template failed while rendering: the file and line a :class:`~greeter.errors.TemplateError` names.

Split from :mod:`greeter.render`; :mod:`greeter.template_errors` says *what*
went wrong, this finds *where*. Jinja runs a template as compiled Python, so
a traceback's frames are read back into template lines, and the line
reported is the one the author should change — for a mistake only passed
into a macro, the caller's line, not the macro's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import TracebackType

from jinja2 import Template, UndefinedError
from jinja2.utils import internal_code

from greeter.template_errors import UNDEFINED_NAME

__all__ = ["blame", "template_frames"]


def template_frames(tb: TracebackType | None) -> list[tuple[str, int]]:
    """The template frames of a traceback, outermost first, as (template name, template line).

    Jinja compiles a template to a Python module whose globals hold the
    template as ``__jinja_template__`` and whose code maps Python lines back to
    template lines (:meth:`Template.get_corresponding_lineno`) — the same data
    Jinja's own traceback rewriting uses, read directly so no fake frames are
    built for each failing contact. The innermost frame is usually the most
    precise: an error inside an imported macro is reported in the macro's file.

    Jinja's own helpers written into the module are skipped, as its traceback
    rewriting skips them: the stub raising "No filter named 'dat' found." for a
    filter used only inside ``{% if %}`` is defined at the top of the block's
    function, so its line is the ``{% block %}`` line, not the line using it.
    """
    found: list[tuple[str, int]] = []
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if tb.tb_frame.f_code in internal_code:
            pass
        elif isinstance(template, Template) and template.name is not None:
            found.append((template.name, template.get_corresponding_lineno(tb.tb_lineno)))
        tb = tb.tb_next
    return found


#: A value an error message quotes ("unknown grammatical case 'datve'"), to find where it was typed.
_QUOTED = re.compile(r"'([^'\n]{1,80})'")


def blame(
    frames: list[tuple[str, int]], exc: Exception, source_line: Callable[[str, int], str]
) -> tuple[str, int]:
    """The frame to report: the innermost, unless the mistake was only passed through it.

    ``{{ also_line(alsoo, send_date) }}`` fails inside the macro, where
    the undefined value is first used (``also|length``); the mistake is on
    the line that names ``alsoo``, so the innermost frame whose line
    mentions the name is reported, else the innermost one. ``source_line``
    gives one line of a template's source (``(file, line)`` → text).
    """
    match = UNDEFINED_NAME.fullmatch(str(exc)) if isinstance(exc, UndefinedError) else None
    if match is not None:
        word = re.compile(rf"\b{re.escape(match.group(1))}\b")
        for name, line in reversed(frames):
            if word.search(source_line(name, line)):
                return name, line
    # A bad literal passed down — company(contact.company, "datve") — is refused inside the
    # macro ("unknown grammatical case 'datve'"); it was typed where it stands in quotes.
    for value in _QUOTED.findall(str(exc)) if len(frames) > 1 else ():
        literal = re.compile(f"[\"']{re.escape(value)}[\"']")
        for name, line in reversed(frames):
            if literal.search(source_line(name, line)):
                return name, line
    return frames[-1]
