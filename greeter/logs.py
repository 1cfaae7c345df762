"""Structured logs for the daemon: readable on a terminal, JSON lines under systemd or in a container.

One configuration for every long-running command. Events are key/value
pairs, never formatted strings with secrets in them: only counts, ids,
occasions and error messages are ever logged — no passwords, tokens or
letter bodies.

Libraries log through the standard :mod:`logging` module (APScheduler,
aiosmtplib, asyncio, aiohttp) and Python prints warnings and uncaught thread
errors to stderr on its own. Under systemd every line of the stream must be
one JSON object — a raw traceback breaks ``journalctl -o cat | jq`` and
reads as an ERROR to whatever greps the log — so all of those go through the
same renderer as greeter's own events: one line each, the logger's name in
``logger`` and a traceback, if any, inside the line's ``exception`` field.

Logging never stops the daemon: a line that cannot be written — the reader
of the stream went away (``greeter run | head``, a log collector restarted),
the file is closed or its disk full — is dropped, and the daemon goes on
working and still stops on SIGTERM. (A broken pipe used to raise out of the
"stopping" line of the SIGTERM handler, so the daemon never stopped.)
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from typing import TextIO

import structlog

#: The name of the stdlib handler installed here (replaced, not added to, when called again).
_HANDLER_NAME = "greeter-structured"


class LogStream:
    """The log stream, written a whole line at a time; a line that cannot be written is dropped.

    greeter's own events and other libraries' records share it (and its
    lock), so their lines never interleave. Writing fails when the reader of
    a pipe is gone (EPIPE), the stream is closed, or the disk is full; none
    of that may reach the code that logged.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.dropped = 0
        self._lock = threading.RLock()

    def write(self, text: str) -> int:
        with self._lock:
            try:
                self.stream.write(text)
                self.stream.flush()
            except (OSError, ValueError, RuntimeError):  # RuntimeError: reentrant call (a signal)
                self.dropped += 1
        return len(text)

    def flush(self) -> None:
        """Each write is flushed already."""


class _LineLogger:
    """structlog's logger: each event one write of its line (structlog's PrintLogger writes two)."""

    def __init__(self, lines: LogStream) -> None:
        self._lines = lines

    def msg(self, message: str) -> None:
        self._lines.write(message + "\n")

    log = debug = info = warn = warning = msg
    fatal = failure = err = error = critical = exception = msg


def configure_logging(
    stream: TextIO | None = None, *, json: bool | None = None, level: int = logging.INFO
) -> None:
    """JSON lines when ``stream`` is not a terminal (or ``json=True``), coloured key=value otherwise.

    Greeter's events are logged from ``level`` up; other libraries' records
    from WARNING up (APScheduler's "job executed" chatter is not news), in
    the same stream and format.
    """
    if stream is None:
        # No stderr at all (started with it closed, `greeter run 2>&-`): the lines go nowhere.
        # (Kept open for the process's lifetime, like stderr itself.)
        nowhere = sys.stderr is None
        stream = open(os.devnull, "w", encoding="utf-8") if nowhere else sys.stderr  # noqa: SIM115
    lines = LogStream(stream)
    as_json = (not stream.isatty()) if json is None else json
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if as_json
        else structlog.dev.ConsoleRenderer(colors=stream.isatty())
    )
    stamp = structlog.processors.TimeStamper(fmt="iso", utc=True)
    # A traceback becomes the string field "exception" of its JSON line; the console renderer
    # prints it readably by itself.
    tracebacks: list[structlog.typing.Processor] = [structlog.processors.format_exc_info] if as_json else []
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            stamp,
            *tracebacks,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=lambda *_args: _LineLogger(lines),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(lines)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.processors.add_log_level, structlog.stdlib.add_logger_name, stamp],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *tracebacks, renderer],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)  # warnings.warn(...) → the "py.warnings" logger → a line like any other
    threading.excepthook = _log_thread_crash


def _log_thread_crash(args: threading.ExceptHookArgs) -> None:
    """An exception that ended a thread: one structured line (not Python's raw traceback)."""
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    exc_info = (args.exc_type, args.exc_value, args.exc_traceback)
    logging.getLogger("greeter.thread").error("thread %s crashed", name, exc_info=exc_info)  # type: ignore[arg-type]


def get_logger(**bound: object) -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(**bound)
    return logger
