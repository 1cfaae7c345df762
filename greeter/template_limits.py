"""How much a template may build and how long one letter may take: the sandbox's size and time limits.

Templates are edited by people who are not trusted with the host, and
Jinja's sandbox guards data, not resources: its only cap is ``range()``. One
expression (``'%0400000000d' % 1``, ``'a'|center(999999999)``) or a loop that
doubles a string forty times builds gigabytes, and two nested ``range(100000)``
loops spin for hours. Both would take down ``greeter run`` (its unit has
``MemoryMax=1G``; a render that never ends keeps it from ever listening).

Sizes: every route a template has to build a long string or list — ``*``,
``+``, ``~``, ``%``, ``str.format``, the padding filters and methods, ``join``,
``list`` — is held to :data:`MAX_LENGTH`, checked *before* building where the
size follows from the arguments (a width, a count), and on the result where it
is at most a few times the limit anyway (a concatenation of bounded pieces).
Printing a list or mapping (``join``, ``~``, ``%s``, any filter) is Python's
notation of everything in it, nested lists shared included: ``[[0] * 100000] *
100000`` is a small object whose text is 30 GB, so lists are weighed where a
template makes them (a literal holding a variable, ``*``, ``+``, a call,
``|list``: :func:`weighed`) and where they are printed (:func:`text_of`). What
a block, macro or ``{% set %}`` block prints is held to :data:`MAX_OUTPUT`
(:func:`output`), and a long loop to :data:`MAX_LOOP_MEMORY` of new memory:
each value within the limits, printed 100 000 times, is still 10 GB.

Time: a render has a budget (:data:`RENDER_SECONDS`) kept per thread
(:func:`start_budget`); the sandbox looks at the clock where a template can
repeat work — every loop iteration (:func:`timed`), every call (macros,
methods, ``loop()``, ``caller()``) and every include or import — and stops the
render with :class:`RenderTimeout`. Why these hooks and not a signal: renders
run on the main thread (``check``, ``preview``), in forked build workers
(``send``) and on worker threads (the daemon's start-up and reload render test,
its sends), and ``signal.setitimer`` reaches only the main thread. Between two
hooks a template can only run a bounded piece of work (a filter over a bounded
value), so the overshoot is small.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterable, Iterator
from time import monotonic, thread_time
from typing import Any, Final, TypeVar

from jinja2.exceptions import TemplateRuntimeError
from jinja2.utils import Namespace
from markupsafe import Markup

__all__ = [
    "MAX_LENGTH",
    "MAX_LOOP_MEMORY",
    "MAX_OUTPUT",
    "RENDER_SECONDS",
    "RenderTimeout",
    "bounded",
    "check_time",
    "end_budget",
    "joined",
    "output",
    "percent_checked",
    "spec_width",
    "start_budget",
    "text_of",
    "timed",
    "too_long",
    "weighed",
    "weight",
]

T = TypeVar("T")

#: Longest string or list a template may build, by any route (the bound of the sandbox's ``range()``).
#: A whole letter is a few thousand characters; nothing a letter needs comes near it.
MAX_LENGTH: Final = 100_000

#: Longest text one block of a letter (or a macro, a ``{% set %}`` block) may print: ten times
#: :data:`MAX_LENGTH`, since a letter's HTML with its layout is text *and* markup (the shipped
#: ones are under 10 000 characters; Gmail clips a message past ~100 KB anyway). A loop printing
#: a 100 000-character value 100 000 times builds nothing the caps above see, only its output.
MAX_OUTPUT: Final = 1_000_000

#: Resident memory a long loop may add to the process while a letter renders. Every value is
#: capped, but a loop keeps what it prints (a macro's or ``{% set %}`` block's buffer, a block's
#: chunks): 100 000 iterations printing a fresh 100 000-character string are 10 GB before any
#: join is reached. Checked every :data:`_MEMORY_EVERY` iterations of a loop, against what the
#: process held when that loop first checked; the daemon's unit has ``MemoryMax=1G``.
MAX_LOOP_MEMORY: Final = 256 * 2**20
_MEMORY_EVERY: Final = 128


def _seconds(text: str | None, default: float = 2.0) -> float:
    """``GREETER_RENDER_SECONDS`` read: a positive finite number, else the default (``abc``, ``nan``
    and ``inf`` were an internal error, or no limit at all)."""
    try:
        value = float(text) if text else default
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


#: Seconds of CPU one letter (subject, text and HTML) may take to render. A letter of the
#: shipped templates renders in ~0.2 ms, so this is ten thousand times that; and short enough
#: that ``greeter run``'s start-up render test (20 contacts) and a send's build stall seconds,
#: not hours. The hooks read the wall clock (``time.monotonic``, ~0.1 µs, where the thread's
#: CPU clock, a system call, costs ~1.3 µs) and ask the CPU clock only once that deadline has
#: passed (:class:`_Budget`): a process stopped or starved meanwhile is not a slow template.
#: ``GREETER_RENDER_SECONDS`` sets another, for a run many times slower than the machine (the
#: instruction-counting bench runs Python under valgrind, ~50× slower: a letter takes seconds).
RENDER_SECONDS: Final = _seconds(os.environ.get("GREETER_RENDER_SECONDS"))


# Not in greeter.errors: its base is jinja2's TemplateRuntimeError, and errors imports no jinja2.
class RenderTimeout(TemplateRuntimeError):
    """A render used :data:`RENDER_SECONDS` of CPU: a loop or recursion too long for a letter."""

    def __init__(self) -> None:
        super().__init__(
            f"the letter took longer than {RENDER_SECONDS:g} s to render and was stopped "
            "(a loop or macro recursion that runs too long?)"
        )


def too_long(route: str) -> OverflowError:
    """The refusal of a template building too long a value by ``route`` (``'*'``, ``center``…)."""
    return OverflowError(f"{route} would build a sequence longer than {MAX_LENGTH:,}")


def bounded(value: T, route: str) -> T:
    """``value`` (a string or list just built from bounded pieces), refused when longer than the limit."""
    if len(value) > MAX_LENGTH:  # type: ignore[arg-type]
        raise too_long(route)
    return value


def output(chunks: Iterable[str], what: str = "the output") -> str:
    """What a block, macro or ``{% set %}`` block printed, joined; refused past :data:`MAX_OUTPUT`.

    A handful of pieces (most blocks and macros: one to eight) are joined
    first and measured after: each is a value within the limits or an output
    checked here already, so that text is a few MB at most. More pieces have
    their lengths added up before the join: a loop printing one long value a
    hundred thousand times holds only references to it (no memory check sees
    them), and joining them would build gigabytes.
    """
    parts = chunks if type(chunks) is list else list(chunks)
    if len(parts) > 8 and sum(map(len, parts)) > MAX_OUTPUT:
        raise OverflowError(f"{what} would be longer than {MAX_OUTPUT:,} characters")
    text = "".join(parts)
    if len(text) > MAX_OUTPUT:
        raise OverflowError(f"{what} would be longer than {MAX_OUTPUT:,} characters")
    return text


# --------------------------------------------------------------------------- text of a value

_CONTAINERS: Final = (list, tuple, dict, set, frozenset)
#: What :func:`weight` looks into: the containers, and ``namespace()``, which prints its values.
WEIGHED: Final = (*_CONTAINERS, Namespace)


def _flat(items: Iterable[Any]) -> int:
    """The weight of ``items`` when none is a container (text, small numbers, None), else -1.

    A template's lists and mappings are nearly all such (a literal of names
    and numbers, a style mapping): weighed without :func:`weight`'s walk.
    """
    total = 0
    for item in items:
        part = type(item)
        if part is str or part is Markup:
            total += len(item) or 1
        elif (part is int and item.bit_length() <= 64) or part is float or part is bool or item is None:
            total += 1
        else:
            return -1
    return total


def weight(value: Any, limit: int = MAX_LENGTH) -> int:
    """How big ``value`` is in items and characters, counting no further than just past ``limit``.

    Walks a list, tuple, mapping, set or namespace as printing it would: every
    element, a list shared a hundred thousand times counted a hundred thousand
    times, so the walk is bounded by ``limit`` steps however the value was
    built. Text counts its length, a number beyond 64 bits its digits, anything
    else (a container itself, a small number, a date) one. The text printed is
    a few times the weight at most (quotes, commas, a number's digits).
    """
    kind = type(value)
    if kind is list or kind is tuple:  # the usual literal, [name, company]: flat, no walk
        flat = _flat(value)
        if flat >= 0:
            return flat + 1
    elif kind is dict:  # {"color": c, "size": 14}
        keys, values = _flat(value), _flat(value.values())
        if keys >= 0 and values >= 0:
            return keys + values + 1
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is Markup:
            total += len(item) or 1
        elif isinstance(item, dict):
            total += 1
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, _CONTAINERS):
            total += 1
            stack.extend(item)
        elif isinstance(item, Namespace):
            total += 1
            stack.append(item._Namespace__attrs)
        elif kind is int and item.bit_length() > 64:
            total += item.bit_length() // 3
        else:
            total += 1
        if total > limit:
            break
    return total


def text_of(value: Any, route: str) -> Any:
    """``value``, about to be printed, refused if it is a list or mapping whose text would be too long."""
    if isinstance(value, WEIGHED) and weight(value) > MAX_LENGTH:
        raise too_long(route)
    return value


def weighed(value: T, route: str = "a list") -> T:
    """``value`` (a list, mapping or namespace a template just made), refused if its text would be too long.

    Lists in lists share: ``[x, x]`` doubles what ``x`` prints without copying
    it, and forty such steps are a terabyte of text in a few hundred bytes.
    Checked where a template makes one (a literal, ``*``, ``+``, ``dict()``,
    ``|list``), so that no later filter, whatever it prints, is handed one.
    """
    if weight(value) > MAX_LENGTH:
        raise too_long(route)
    return value


def joined(items: Iterable[Any], separator: str, route: str) -> list[Any]:
    """The items a ``join`` is about to print, read into a list; refused past the limit.

    Each counts its text (a list's weighed: :func:`weight`) and the separator
    before it, and at least one, so a lazy run of a billion empty pieces is
    refused too, after the limit's worth of them.
    """
    out = []
    total = 0
    step = len(separator)
    for item in items:
        total += ((len(item) or 1) if isinstance(item, str) else weight(item)) + step
        if total > MAX_LENGTH + step:  # the first item has no separator before it
            raise too_long(route)
        out.append(item)
    return out


# --------------------------------------------------------------------------- format widths

_DIGITS: Final = "0123456789"


def _number(text: str, start: int) -> tuple[int, int]:
    """The decimal number at ``text[start:]`` (0 if none) and where it ends; past the limit, capped."""
    end = start
    while end < len(text) and text[end] in _DIGITS:
        end += 1
    digits = text[start:end]
    return (int(digits) if len(digits) <= 7 else MAX_LENGTH + 1) if digits else 0, end


def percent_widths(fmt: str, args: Any) -> int:
    """The widths and precisions of a ``%``-format summed, ``*`` taken from ``args``, as Python parses them.

    Each is at least that many characters of output (``%.Nd`` pads digits, ``%.Nf``
    writes them), so the sum bounds the padding the format asks for.
    """
    values = args if isinstance(args, tuple) else (args,)
    total = position = 0
    at = fmt.find("%")
    while at >= 0:
        i = at + 1
        if i < len(fmt) and fmt[i] == "(":  # %(name)s: the key may hold balanced parentheses
            depth = 0
            while i < len(fmt):
                depth += (fmt[i] == "(") - (fmt[i] == ")")
                i += 1
                if depth == 0:
                    break
        while i < len(fmt) and fmt[i] in "-+ #0":
            i += 1
        for part in range(2):  # width, then precision after a "."
            if part == 1:
                if i >= len(fmt) or fmt[i] != ".":
                    break
                i += 1
            if i < len(fmt) and fmt[i] == "*":
                star = values[position] if position < len(values) else 0
                total += abs(star) if type(star) is int else 0
                position += 1
                i += 1
            else:
                number, i = _number(fmt, i)
                total += number
        while i < len(fmt) and fmt[i] in "hlL":
            i += 1
        if i < len(fmt) and fmt[i] != "%":
            position += 1
        at = fmt.find("%", i + 1)
    return total


def percent_checked(fmt: str, args: Any, route: str) -> None:
    """Refuse ``fmt % args`` before it is built when its widths or its arguments' text are too long."""
    if percent_widths(fmt, args) > MAX_LENGTH:
        raise too_long(route)
    for value in args.values() if isinstance(args, dict) else args if isinstance(args, tuple) else (args,):
        text_of(value, route)


def spec_width(spec: str) -> int:
    """Width plus precision of a ``format()`` spec (``>999``, ``0=+12,.3f``): the least output it asks for.

    ``[[fill]align][sign][z][#][0][width][grouping][.precision][type]``; a
    type's own spec (a date's ``%d.%m``) has neither and counts nothing.
    """
    i = 0
    if len(spec) >= 2 and spec[1] in "<>=^":
        i = 2
    elif spec[:1] in ("<", ">", "=", "^"):
        i = 1
    while i < len(spec) and spec[i] in "+- z#":
        i += 1
    width, i = _number(spec, i)
    while i < len(spec) and spec[i] in ",_":
        i += 1
    precision = 0
    if i < len(spec) and spec[i] == ".":
        precision, i = _number(spec, i + 1)
    return width + precision


# --------------------------------------------------------------------------- the time budget


class _Budget(threading.local):
    """This thread's render clock; none outside a render.

    ``deadline`` is on the wall clock (``time.monotonic``, ~0.1 µs a read, at
    every hook); only once it has passed is the thread's CPU time asked
    (``time.thread_time``, a system call): a render that has not used its
    ``seconds`` of CPU — the process was stopped (Ctrl-Z, a VM or swap stall)
    or the machine is busy — gets the rest of them, from now. A stalled
    process failed the shipped templates' letters otherwise.
    """

    deadline: float = float("inf")
    cpu_start: float = 0.0
    seconds: float = float("inf")


_budget: Final = _Budget()


def start_budget(seconds: float | None = None) -> tuple[float, float, float]:
    """Start this thread's render clock (:data:`RENDER_SECONDS` unless given); returns the clock
    it replaces, for :func:`end_budget`."""
    b = _budget
    previous = (b.deadline, b.cpu_start, b.seconds)
    b.seconds = RENDER_SECONDS if seconds is None else seconds
    b.cpu_start = thread_time()
    b.deadline = monotonic() + b.seconds
    return previous


def end_budget(previous: tuple[float, float, float]) -> None:
    """Stop the render clock started by :func:`start_budget` (restore the one it replaced)."""
    _budget.deadline, _budget.cpu_start, _budget.seconds = previous


def _spent() -> bool:
    """Past the wall-clock deadline: whether the render has used its seconds of CPU too.

    If not (stopped, or sharing the CPU), the deadline moves to when the CPU
    seconds left could run out, and the render goes on.
    """
    b = _budget
    used = thread_time() - b.cpu_start
    if used >= b.seconds:
        return True
    b.deadline = monotonic() + (b.seconds - used)
    return False


def check_time() -> None:
    """Stop the render when this thread has used its budget."""
    if monotonic() > _budget.deadline and _spent():
        raise RenderTimeout()


def _resident() -> int:
    """This process's resident memory in bytes (Linux's ``/proc``); 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


_PAGE: Final = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def timed(iterable: Iterable[T]) -> Iterator[T]:
    """The items of a template's ``{% for %}`` loop, the clock read before each one.

    And, in a loop that runs long (every :data:`_MEMORY_EVERY` items), the
    process's memory: a loop growing it by :data:`MAX_LOOP_MEMORY` is stopped.
    A letter's loops (over ``also``, a few items) never get there.
    """
    budget = _budget
    start = -1
    for count, item in enumerate(iterable, 1):
        if monotonic() > budget.deadline and _spent():
            raise RenderTimeout()
        if count % _MEMORY_EVERY == 0:
            held = _resident()
            if start < 0:
                start = held
            elif held - start > MAX_LOOP_MEMORY:
                raise OverflowError(
                    f"a loop would take more than {MAX_LOOP_MEMORY >> 20} MB of memory and was stopped"
                )
        yield item
