"""A template's failure in the words a marketer can act on: what went wrong and the name meant.

Jinja's messages name Python objects (``'greeter.template_views.ContactView
object' has no attribute 'x'``); :func:`describe` says ``'contact' has no
attribute 'x'`` and adds the name most likely meant. Kept apart from
:mod:`greeter.template_blame`, which finds *where* a failure happened (file, line).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Final

from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.runtime import Macro

from greeter.addressing import CASES, UNDECLINED_CASES, canonical_case
from greeter.template_snapshot import OutsideTemplate
from greeter.template_views import VIEW_FIELDS, ContactView, SenderView

__all__ = ["UNDEFINED_NAME", "describe", "unknown_name"]

_VIEW_OBJECT: Final = re.compile(r"'greeter\.template_views\.(ContactView|SenderView) object'")
_VIEW_NAMES: Final = {"ContactView": "contact", "SenderView": "sender"}

_NO_BLOCK: Final = re.compile(r"'jinja2\.runtime\.TemplateReference object' has no attribute '([^']+)'")
#: Jinja's words for a name no variable has; group 1 is the name.
UNDEFINED_NAME: Final = re.compile(r"'([^']+)' is undefined")
_NO_ATTRIBUTE: Final = re.compile(r"'(contact|sender)' has no attribute '([^']+)'")
#: Jinja's words for an unknown filter or test: at compile time "No filter named 'x'.", and
#: "No filter named 'x' found." when it is used only inside ``{% if %}`` (failing when reached).
_NO_FILTER: Final = re.compile(r"No (filter|test) named '([^']+)'( found)?\.")
#: Jinja's last sentence for a block left open; group 1 is the tag that opened it.
_INNERMOST: Final = re.compile(r"The innermost block that needs to be closed is '(\w+)'\.$")
#: Jinja's words when a block is left open: an end tag of an outer block, or the end of the file.
_LEFT_OPEN: Final = ("You probably made a nesting mistake.", "Unexpected end of template.")


def describe(exc: BaseException, variables: Iterable[str] = (), env: Environment | None = None) -> str:
    """What went wrong in a render, without the place (the caller knows the file and line).

    ``env`` is the environment the template runs in: an unknown filter or
    test (``years|plurl``) is answered with the name meant from its own.
    """
    if isinstance(exc, SecurityError):
        return f"refused by the sandbox: {exc}"
    if isinstance(exc, UndefinedError):
        # "'greeter.template_views.ContactView object' has no attribute 'x'" → "'contact' has no …"
        message = _VIEW_OBJECT.sub(lambda m: f"'{_VIEW_NAMES[m.group(1)]}'", str(exc))
        if (m := _NO_BLOCK.fullmatch(message)) is not None:  # a block reached in a way check cannot see
            return f"block {m.group(1)!r} is missing (self.{m.group(1)} names a block no template defines)"
        return "undefined: " + message + _did_you_mean(message, variables)
    if isinstance(exc, TemplateSyntaxError):
        return f"syntax error: {_name_meant(exc.message or '', env)}{_unclosed(exc, env)}"
    if isinstance(exc, OutsideTemplate):
        return str(exc.message)
    if isinstance(exc, TemplateNotFound):
        return f"template not found: {exc.name}"
    if isinstance(exc, OverflowError):
        if exc.args and isinstance(exc.args[0], int):  # Python's float: 10.0**400 is (34, 'Numerical …')
            return "number too large: the result is beyond what a number can hold"
        return f"refused by the sandbox: {exc}"  # its own caps: "'**' result would exceed 4096 bits"
    if isinstance(exc, RecursionError):
        return _endless(exc)
    if isinstance(exc, TemplateRuntimeError):
        return _name_meant(str(exc), env)
    if isinstance(exc, ValueError | TypeError) and _raised_by_greeter(exc):
        return str(exc)  # our filters' own words ("unknown grammatical case 'dativ'; expected …")
    return f"{type(exc).__name__}: {exc}"


#: The frames a macro call passes through, by function name: the local that holds the macro.
_CALLED: Final = {"_invoke": "self", "call": "_Sandbox__obj"}


def _endless(exc: RecursionError) -> str:
    """Which macro or template calls itself without end, as the traceback shows it (only on error).

    ``{% macro f(n) %}{{ f(n+1) }}{% endmacro %}`` and ``{% include 'birthday.j2' %}``
    in birthday.j2 said ``RecursionError: maximum recursion depth exceeded while
    calling a Python object``. Jinja's :class:`~jinja2.runtime.Macro` knows its
    name; a template's code runs under its file name.
    """
    macros: Counter[str] = Counter()
    files: Counter[str] = Counter()
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        # Jinja's Macro._invoke has it as self, greeter's Sandbox.call as its (mangled) __obj.
        called = _CALLED.get(frame.f_code.co_name)
        if called is not None and isinstance(macro := frame.f_locals.get(called), Macro):
            macros[macro.name] += 1
        elif frame.f_code.co_filename.endswith(".j2"):
            files[PurePath(frame.f_code.co_filename).name] += 1
        tb = tb.tb_next
    if macros:
        name = macros.most_common(1)[0][0]
        return f"the macro {name!r} calls itself without end: give it a case that stops"
    if files:
        name = files.most_common(1)[0][0]
        return f"{name} includes itself without end (an include or import of itself, directly or not)"
    return "the template calls itself without end (a macro that calls itself, or an include of itself)"


def _raised_by_greeter(exc: BaseException) -> bool:
    """Whether ``exc`` was raised by greeter's own code (a filter refusing an argument).

    Those messages are written for the template's author and say what to
    write instead; ``ValueError:`` before them is Python's word, not theirs.
    An error Python or a library raised (``ZeroDivisionError: division by
    zero``, ``int('x')``) keeps its type name, the one clue it gives.
    """
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    module = tb.tb_frame.f_globals.get("__name__")
    return isinstance(module, str) and module.startswith("greeter.")


def _did_you_mean(message: str, variables: Iterable[str]) -> str:
    """A marketer's typo (``contakt``, ``contact.firstname``) answered with the name meant.

    ``contact.birthday`` names a date column as if it were a field: the answer
    is where it lives (``contact.dates.birthday``), found in the contact's own
    ``dates`` and ``extra`` when ``variables`` is the render's context. Who
    writes ``contact.name`` (or ``name``) wants the first or the full name,
    not the nearest spelling, ``last_name``; ``first_name`` alone is
    ``contact.first_name``.
    """
    if (m := UNDEFINED_NAME.fullmatch(message)) is not None:
        wrong, known = m.group(1), sorted(variables)
        if wrong == "name":
            return _the_name("contact.")
        if wrong in VIEW_FIELDS[ContactView] and wrong not in known:
            return f", did you mean 'contact.{wrong}'?"
    elif (m := _NO_ATTRIBUTE.fullmatch(message)) is not None:
        view = ContactView if m.group(1) == "contact" else SenderView
        wrong, known = m.group(2), sorted(VIEW_FIELDS[view])
        contact = variables.get("contact") if isinstance(variables, Mapping) else None
        if view is ContactView and isinstance(contact, ContactView):
            if wrong in contact.dates:
                return f", did you mean 'contact.dates.{wrong}'?"
            if wrong in contact.extra:
                return f", did you mean 'contact.extra.{wrong}'?"
        if view is ContactView and wrong == "name":
            return _the_name("")
    else:
        return ""
    close = difflib.get_close_matches(wrong, known, n=1)
    return f", did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"


def unknown_name(kind: str, name: str, env: Environment) -> str | None:
    """What check says of a ``filter`` or ``test`` named in a template that ``env`` does not have.

    Jinja 3 rejects an unknown filter at compile time only outside ``{% if %}``;
    inside one it fails when the branch is reached, so check, whose sample
    contacts may never reach it, looks at the names itself. The words are the
    ones a render failure gets (Jinja's "… found." with the name meant), so
    a contact reaching the branch later is the same problem, not a second one.
    """
    known = env.filters if kind == "filter" else env.tests
    return None if name in known else _name_meant(f"No {kind} named {name!r} found.", env)


def _name_meant(message: str, env: Environment | None) -> str:
    """An unknown filter or test answered with the name meant: ``|plurl`` → did you mean 'plural'?

    Known names are the environment's own filters or tests (the sandbox drops
    ``safe``, adds ``plural``, ``years_phrase``…), so the suggestion is one
    that works; without a close one, the message is left as Jinja wrote it.
    The bar is higher than difflib's default: ``|shout`` is no typo of ``sort``.
    """
    m = _NO_FILTER.fullmatch(message)
    if m is None or env is None:
        return message
    kind, wrong = m.group(1), m.group(2)
    known = sorted(env.filters if kind == "filter" else env.tests)
    meant = _case_argument(wrong, known) if kind == "filter" else None
    if meant is not None:
        return f"No filter named {wrong!r}, did you mean {meant}?"
    close = difflib.get_close_matches(wrong, known, n=1, cutoff=0.75)
    return f"No {kind} named {wrong!r}, did you mean {close[0]!r}?" if close else message


#: ``name_dative``, ``company_gen``, ``nameDative``: a filter and its case typed as one name.
_WITH_CASE: Final = re.compile(r"(name|company|title_in)[_\-]?([A-Za-zА-Яа-яЁё]+)")


def _case_argument(wrong: str, known: list[str]) -> str | None:
    """``name_dative`` → ``name('dative')``: the case is the filter's argument, not part of its name.

    The nearest spelling of ``name_dative`` is no filter at all (difflib offers
    nothing, or ``name`` without the case), so the form that works is said whole.
    """
    m = _WITH_CASE.fullmatch(wrong)
    if m is None or m.group(1) not in known:
        return None
    try:
        case = canonical_case(m.group(2))
    except ValueError:
        if m.group(2).lower() in UNDECLINED_CASES:  # |name_vocative: a real case, not a typo of 'dative'
            return None
        close = difflib.get_close_matches(m.group(2).lower(), CASES, n=1, cutoff=0.6)
        if not close:
            return None
        case = close[0]
    return f"{m.group(1)}({case!r})"


def _the_name(prefix: str) -> str:
    """What ``contact.name`` is answered with: its nearest spelling, ``last_name``, is the one not meant."""
    return (
        f", did you mean '{prefix}first_name', '{prefix}full_name' or the filter contact|name "
        "(name and patronymic; contact|name('dative') declines them)?"
    )


def _unclosed(exc: TemplateSyntaxError, env: Environment | None) -> str:
    """`` ('if' opened at line 20 is not closed)``: the line to fix, which Jinja's message never names.

    Jinja fails where it meets an ``{% endblock %}`` (or the end of the file)
    with an ``if`` still open, often many lines below the ``{% if %}`` left
    unclosed. Its parser keeps no line for the blocks it has open, so they
    are found again with its own lexer (comments and ``{% raw %}`` are not
    tags there), pairing each end tag with the nearest block still open, as
    the parser does. When that block holds another of its kind not written
    whole (an ``{% if %}…`` typed inside ``{% if belated %}``), the missing
    end tag may be that one's: Jinja paired it with the end tag meant for
    the outer one. Both are named then.
    """
    message = exc.message or ""
    innermost = _INNERMOST.search(message)
    if innermost is None or exc.source is None or not any(words in message for words in _LEFT_OPEN):
        return ""
    name = innermost.group(1)
    try:
        tags = _tags(env or Environment(), exc.source)
    except TemplateSyntaxError:  # the lexer stumbles first: no block to name
        return ""
    open_blocks = _open_blocks(tags, name, exc.lineno)
    if not open_blocks or open_blocks[-1].name != name:  # not the parser's view: say nothing
        return ""
    block = open_blocks[-1]
    lines = sorted({block.tag.line, *_inner_suspects(block)})
    if len(lines) == 1:
        return f" ({name!r} opened at line {lines[0]} is not closed)"
    why = f"an end{name} closes the nearest {name!r} still open"
    if len(lines) == 2:
        return f" (the {name!r} opened at line {lines[0]} or the one at line {lines[1]} is not closed: {why})"
    shown = ", ".join(map(str, lines[:-1])) + f" and {lines[-1]}"
    return f" (one of the {name!r} blocks opened at lines {shown} is not closed: {why})"


@dataclass(frozen=True, slots=True)
class _Tag:
    """One ``{% … %}`` tag: its line, its name, whether it assigns (``{% set x = 1 %}``) and stands alone.

    ``alone``: the only thing on its line (``{% if also %}``), not inside text
    (``{% if years > 50 %}Юбилей!``).
    """

    line: int
    name: str
    assigns: bool
    alone: bool


@dataclass(slots=True)
class _Block:
    """A block the parser opened: its tag, the blocks opened inside it, and its end tag."""

    tag: _Tag
    inner: list[_Block] = field(default_factory=list)
    end: _Tag | None = None

    @property
    def name(self) -> str:
        return self.tag.name


def _tags(env: Environment, source: str) -> list[_Tag]:
    """The tags of a template in order, from Jinja's lexer (:meth:`Environment.lex`)."""
    found: list[tuple[int, str, bool]] = []
    busy: set[int] = set()  # lines with text or {{ … }} besides tags
    per_line: dict[int, int] = {}
    current: tuple[int, str] | None = None
    assigns = expect_name = False
    for line, kind, value in env.lex(source):
        if kind == "data":
            busy.update(line + n for n, part in enumerate(value.split("\n")) if part.strip())
        elif kind in ("variable_begin", "raw_begin"):
            busy.add(line)
        elif kind in ("block_begin", "linestatement_begin"):
            expect_name, current, assigns = True, None, False
            per_line[line] = per_line.get(line, 0) + 1
        elif kind == "whitespace":
            continue
        elif expect_name:
            expect_name = False
            current = (line, value) if kind == "name" else None
        elif kind in ("block_end", "linestatement_end") and current is not None:
            found.append((*current, assigns))
            current = None
        elif kind == "operator" and value == "=":
            assigns = True
    return [
        _Tag(line, name, assigns, line not in busy and per_line.get(line) == 1)
        for line, name, assigns in found
    ]


def _open_blocks(tags: list[_Tag], innermost: str, error_line: int) -> list[_Block]:
    """The blocks still open where the parser failed (outermost first), as the parser pairs tags.

    A tag opens a block when the template also ends one of its kind
    (``endif``, ``endtrans`` of an extension) or Jinja names it as the block
    left open; ``{% set x = 1 %}`` is one line, ``{% set x %}…{% endset %}``
    a block. The scan stops at the first end tag of another block than the
    innermost open one: that is where the parser stopped.
    """
    ends = {tag.name[3:] for tag in tags if tag.name.startswith("end")}
    opening = ends | {innermost}
    stack: list[_Block] = []
    for tag in tags:
        if tag.line > error_line:
            break
        if tag.name.startswith("end") and tag.name[3:] in opening:
            if not stack or stack[-1].name != tag.name[3:]:
                break
            stack.pop().end = tag
        elif tag.name in opening and not (tag.name == "set" and tag.assigns):
            block = _Block(tag)
            if stack:
                stack[-1].inner.append(block)
            stack.append(block)
    return stack


def _inner_suspects(block: _Block) -> list[int]:
    """Lines of blocks of ``block``'s kind inside it (through blocks of that kind) whose end may be stolen.

    A block written whole is left out: opened and closed on one line
    (``{% if a %}x{% endif %}``), or by tags each alone on its line
    (``{% if also %}`` … ``{% endif %}``). An ``{% if %}`` opened inside a
    line of text and closed by an end tag on a line of its own is the
    pairing a missing end tag makes: that one could be the block not closed.
    """
    lines: list[int] = []
    for inner in block.inner:
        if inner.name != block.name:
            continue
        end = inner.end
        whole = end is not None and (end.line == inner.tag.line or (inner.tag.alone and end.alone))
        if not whole:
            lines.append(inner.tag.line)
        lines += _inner_suspects(inner)
    return lines
