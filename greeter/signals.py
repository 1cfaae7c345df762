"""SIGTERM, SIGINT and SIGHUP from the first moment a sending command runs, until it can act on them.

A signal's default action ends the process on the spot. SIGHUP during the
daemon's start-up (config, contacts and journal take a second to load) ended
it with status 129, which systemd's ``Restart=on-failure`` counts as clean,
so the service stayed down; a SIGTERM during ``send --once`` left the letters
in flight ``claimed``, with no summary. So a command remembers the signals
from its first line (:class:`Signals`), and its event loop, once it runs,
takes them over and replays what came meanwhile (:meth:`Signals.attach`);
when the loop is done, they are only remembered again
(:meth:`Signals.detach`), so a late one is harmless too.

``greeter run`` starts remembering even earlier: the entry points
(``python -m greeter`` and the ``greeter`` script) call :func:`remember_early`
before importing the rest of greeter, which takes a third of a second.
Nothing here imports more than the standard library's :mod:`signal`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Sequence
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

#: The signals that stop a run: no new letters, those in flight finish.
STOP: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGINT)

#: What stops ``send --once``: also SIGHUP, the terminal or SSH session going away. Its default
#: action killed a catch-up batch on the spot (exit 129, no summary), leaving the letters at
#: the server ``uncertain`` for an operator to decide; the daemon reloads on it instead.
SEND_STOP: tuple[signal.Signals, ...] = (*STOP, signal.SIGHUP)


class Signals:
    """Remembers SIGTERM and SIGINT (SIGHUP too with ``reload``/``hangup``) until an event loop handles them.

    ``stops`` are the signals that stop the run: :data:`STOP`, and with
    ``hangup`` SIGHUP too (``send --once``); the daemon's SIGHUP (``reload``)
    is a reload, not a stop. Only the main thread can handle signals;
    elsewhere (a command invoked from another thread) this does nothing and
    the defaults stay.
    """

    def __init__(self, *, reload: bool = False, hangup: bool = False) -> None:
        self.stops: tuple[signal.Signals, ...] = SEND_STOP if hangup else STOP
        self.handled: tuple[signal.Signals, ...] = (*STOP, signal.SIGHUP) if reload or hangup else STOP
        #: Every signal received so far, in order.
        self.received: list[signal.Signals] = []
        self._deliver: Callable[[signal.Signals], None] | None = None
        self._previous: dict[signal.Signals, Any] = {}
        self._active = False

    # --- remembering --------------------------------------------------------------------

    def install(self) -> Signals:
        """Remember the signals from now on (process-wide handlers that only record them)."""
        if threading.current_thread() is not threading.main_thread():
            return self
        for sig in self.handled:
            previous = signal.signal(sig, self._remember)
            self._previous.setdefault(sig, previous)
        self._active = True
        return self

    def restore(self) -> None:
        """Give the signals back to the handlers they had before :meth:`install`."""
        if not self._active:
            return
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        self._previous.clear()
        self._active = False

    def __enter__(self) -> Signals:
        return self.install()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.restore()

    def _remember(self, signum: int, frame: FrameType | None) -> None:
        # A signal handler: record and return, nothing else (no logging, no I/O).
        self.received.append(signal.Signals(signum))

    @property
    def stop(self) -> signal.Signals | None:
        """The first stop signal (one of :attr:`stops`) received, if any."""
        return next((s for s in self.received if s in self.stops), None)

    # --- the event loop's turn ------------------------------------------------------------

    def attach(self, loop: asyncio.AbstractEventLoop, on_signal: Callable[[signal.Signals], None]) -> None:
        """From now on each signal calls ``on_signal(sig)`` on ``loop``; those received already, at once.

        The loop's handlers replace the recording ones directly (never the
        default in between); what arrived before is replayed in order.
        """
        if not self._active:
            return
        for sig in self.handled:
            loop.add_signal_handler(sig, self._arrived, sig)
        earlier = list(self.received)  # complete: from here on only the loop sees them
        self._deliver = on_signal
        for sig in earlier:
            on_signal(sig)

    def _arrived(self, sig: signal.Signals) -> None:
        self.received.append(sig)
        if self._deliver is not None:
            self._deliver(sig)

    def detach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Back to remembering only, before the loop closes (which would restore the defaults).

        Removing the loop's handler sets the default for a moment; the main
        thread (which the kernel picks first) blocks the signals meanwhile, so
        one arriving then waits for the recording handler instead of killing.
        """
        if not self._active:
            return
        self._deliver = None
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, self.handled)
        try:
            for sig in self.handled:
                loop.remove_signal_handler(sig)
                signal.signal(sig, self._remember)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def command_of(args: Sequence[str]) -> str | None:
    """The subcommand word of ``greeter``'s arguments (after the group's own options), if any.

    Pure: ``["-c", "g.yaml", "run", "--now", "…"]`` → ``"run"``. The group's
    only option with a value is ``-c/--config``.
    """
    words = iter(args)
    for word in words:
        if word in ("-c", "--config"):
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


#: The daemon's signals, remembered since the entry point ran (taken by :func:`daemon_signals`).
_early: Signals | None = None


def remember_early(argv: Sequence[str]) -> None:
    """At the entry point, before greeter's heavy imports: for ``greeter run``, remember signals now."""
    global _early
    if _early is None and command_of(argv[1:]) == "run":
        _early = Signals(reload=True).install()


def daemon_signals() -> Signals:
    """The daemon's signals: those the entry point has been remembering, else remembered from now."""
    global _early
    taken, _early = _early, None
    return taken if taken is not None else Signals(reload=True).install()
