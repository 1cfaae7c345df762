"""What the ``greeter`` command does first, before its heavy imports (a third of a second).

Called by the ``greeter`` script (from ``greeter/__init__``) and by ``python -m
greeter``; never on a plain ``import greeter``: a library user's process and its
environment are theirs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

__all__ = ["at_entry"]


def at_entry(argv: Sequence[str]) -> None:
    """Prepare the process for a command: pydantic without plugin discovery, ``run``'s signals.

    pydantic looks for plugins at the first model it builds by reading the
    entry points of every installed distribution: 40–75 ms of each command's
    start on a 2-core machine (measured: loading the example config, median of
    15 runs each way), and greeter uses no pydantic plugin. An operator who
    does want one sets ``PYDANTIC_DISABLE_PLUGINS`` (to any value, even empty),
    which is left as it is.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from greeter.signals import remember_early

    remember_early(argv)  # `run` remembers SIGHUP/SIGTERM/SIGINT from here on (greeter.signals)
