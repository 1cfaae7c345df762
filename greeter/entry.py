"""What the ``greeter`` command does first, before its heavy imports (a third of a second).

Called by the ``greeter`` script (from ``greeter/__init__``) and by ``python -m
greeter``; never on a plain ``import greeter``: a library user's process and its
environment are theirs.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence

__all__ = ["at_entry", "started"]

#: The cyclic collector's first threshold while a command starts (Python's own is 700). Start-up
#: allocates some 110,000 objects that live to the end (modules, classes, the config, the plan)
#: and almost no cycles of garbage; at 700 the collector ran ~170 times over them, ~45 ms of a
#: 0.5 s start (10 %). High enough that a send's start sets off no collection; bounded: a command
#: that never calls :func:`started` still collects, in batches of this many objects.
START_THRESHOLD = 200_000

#: The thresholds :func:`at_entry` replaced, until :func:`started` puts them back.
_normal: tuple[int, int, int] | None = None


def at_entry(argv: Sequence[str]) -> None:
    """Prepare the process for a command: pydantic without plugin discovery, the cyclic collector
    at start-up's pace (:data:`START_THRESHOLD`), ``run``'s signals, the code dataclasses and
    annotations generate compiled once and kept (:mod:`greeter.generated_code`), stdout the
    command's own (UTF-8 in the C locale, a failed write said as such: :mod:`greeter.out_stream`),
    and the validated config kept between runs (:mod:`greeter.settings_cache`).

    pydantic looks for plugins at the first model it builds by reading the
    entry points of every installed distribution: 40–75 ms of each command's
    start on a 2-core machine (measured: loading the example config, median of
    15 runs each way), and greeter uses no pydantic plugin. An operator who
    does want one sets ``PYDANTIC_DISABLE_PLUGINS`` (to any value, even empty),
    which is left as it is.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    global _normal
    if _normal is None:  # the collector at start-up's pace until started(): see START_THRESHOLD
        _normal = gc.get_threshold()
        gc.set_threshold(max(_normal[0], START_THRESHOLD), _normal[1], _normal[2])
    from greeter.signals import remember_early

    # First, before out_stream's imports (click, greeter.errors): `run` remembers SIGHUP/SIGTERM/SIGINT
    # from here on (greeter.signals). Each import before it was a moment a SIGTERM to a container's
    # PID 1 — whose default-action signals the kernel ignores — was lost.
    remember_early(argv)
    from greeter.generated_code import install

    # Then, before the imports whose dataclasses and annotations it compiles (out_stream's on):
    # their generated code from the cache, ~400 M instructions of a send's start (generated_code).
    install()
    from greeter.settings_cache import enable

    enable()  # the validated config kept between runs: no config model built on a warm start
    from greeter.out_stream import take_stdout

    take_stdout()


def started() -> None:
    """The command's start-up is over: what it built is kept out of every later collection, and the
    collector runs at its normal pace again. Once per process, and only after :func:`at_entry`.

    ``gc.freeze`` moves every object alive now (modules, the settings, the plan) to the
    permanent generation: no later collection walks them again, and build workers forked
    after this do not write to their pages (Python's advice for a process that forks,
    ``gc`` module docs). The few cycles of garbage start-up left are kept with them.
    Called by ``send`` before its letters are built, and by the daemon once it serves;
    a library user's process (no ``at_entry``) is left as it is.
    """
    global _normal
    if _normal is None:
        return
    gc.freeze()
    gc.set_threshold(*_normal)
    _normal = None
