"""Structured logs for the daemon: readable on a terminal, JSON lines under systemd or in a container.

One configuration for every long-running command. Events are key/value
pairs, never formatted strings with secrets in them: only counts, ids,
occasions and error messages are ever logged — no passwords, tokens or
letter bodies.

No e-mail address either, in full: a log is shipped to collectors, kept for
months and read by people who are not to see the client list (152-ФЗ,
GDPR). Error messages quote them — a contacts row's bad cell, a server's
``550 <client@example.com>: Recipient address rejected`` — so every line is
masked on its way out (:func:`mask_addresses`: ``c***@example.com``, the
domain kept for diagnosing a provider), greeter's own events and other
libraries' records alike, tracebacks included. Contact ids and row numbers
are not addresses and stay. (Interactive commands — ``check``, ``send
--once``, ``history`` — print to the operator at the keyboard, not here, and
keep full addresses.)

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

import io
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, MutableMapping
from dataclasses import replace
from typing import Any, TextIO

import structlog

from greeter.errors import Problem
from greeter.masking import mask_addresses

#: The name of the stdlib handler installed here (replaced, not added to, when called again).
_HANDLER_NAME = "greeter-structured"

#: Values a renderer prints as they are (anything else it prints as its ``repr``).
_PLAIN = (int, float, bool, type(None))


#: The ``instance`` field of every line (:func:`name_instance`); None before a config is named.
_instance: str | None = None


def name_instance(name: str | None) -> None:
    """Put ``instance: name`` at the start of every line logged from now on (None: no such field).

    Set once here, not bound per logger or call: the daemon names itself
    before it reads the config (the config file's folder) and again once read
    (its ``instance`` setting), and a reload may rename it.
    """
    global _instance
    _instance = name


def add_instance(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The structlog processor that puts ``instance`` first in the line, for own and foreign records."""
    if _instance is None or "instance" in event:
        return event
    return {"instance": _instance, **event}


#: What a contacts row's problem says in the log instead of its message.
ROW_VALUE_NOT_LOGGED = "the cell's value is not logged: greeter check shows the problem"


def problem_for_log(problem: Problem) -> str:
    """A contacts problem as the daemon's log may hold it: a row's without its message.

    A row's message quotes the cell — a name (``'Иван\\u202e'``), a birth date
    (``'31.02.1980'``) — and the log is shipped and kept beyond greeter's reach
    (docs/operations.md, *Personal data*). Masking finds addresses, not names or dates, so
    the row's place, column and severity are logged and the message is left to
    ``greeter check``, read at the keyboard. A whole column's or file's problem
    quotes no cell and is logged as it is.
    """
    if problem.kind != "row":
        return str(problem)
    return str(replace(problem, message=ROW_VALUE_NOT_LOGGED))


def _masked(value: Any) -> Any:
    """``value`` with every address in its text masked, lists and dicts walked; others as their repr."""
    if isinstance(value, str):
        return mask_addresses(value)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [_masked(item) for item in value]
    if isinstance(value, dict):
        return {_masked(k): _masked(v) for k, v in value.items()}
    return mask_addresses(repr(value))  # both renderers print such a value as its repr


def mask_event(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The structlog processor before the renderer: every field of the line masked (:func:`mask_addresses`).

    ``exc_info`` is left to the renderer, whose exception formatter masks the
    traceback it writes (:func:`_masked_tracebacks`); in JSON it is already
    the masked string field ``exception`` here.
    """
    for key, value in event.items():
        if key != "exc_info":
            event[key] = _masked(value)
    return event


def _masked_tracebacks(
    formatter: structlog.typing.ExceptionRenderer,
) -> structlog.typing.ExceptionRenderer:
    """The console renderer's exception formatter, its output masked (a traceback quotes messages, locals)."""

    def write(sio: TextIO, exc_info: structlog.typing.ExcInfo) -> None:
        own = io.StringIO()
        formatter(own, exc_info)
        sio.write(mask_addresses(own.getvalue()))

    return write


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
        else structlog.dev.ConsoleRenderer(
            colors=stream.isatty(),
            exception_formatter=_masked_tracebacks(structlog.dev.default_exception_formatter),
        )
    )
    stamp = structlog.processors.TimeStamper(fmt="iso", utc=True)
    # A traceback becomes the string field "exception" of its JSON line; the console renderer
    # prints it readably by itself.
    tracebacks: list[structlog.typing.Processor] = [structlog.processors.format_exc_info] if as_json else []
    structlog.configure(
        processors=[
            add_instance,
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            stamp,
            *tracebacks,
            mask_event,
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
            foreign_pre_chain=[
                add_instance,
                structlog.processors.add_log_level,
                structlog.stdlib.add_logger_name,
                stamp,
            ],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                *tracebacks,
                mask_event,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(max(logging.WARNING, level))  # other libraries' "job executed" chatter is not news
    logging.captureWarnings(True)  # warnings.warn(...) → the "py.warnings" logger → a line like any other
    threading.excepthook = _log_thread_crash


def _log_thread_crash(args: threading.ExceptHookArgs) -> None:
    """An exception that ended a thread: one structured line (not Python's raw traceback)."""
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    exc_info = (args.exc_type, args.exc_value, args.exc_traceback)
    logging.getLogger("greeter.thread").error("thread %s crashed", name, exc_info=exc_info)  # type: ignore[arg-type]


#: asyncio's line when ``accept()`` fails for want of descriptors (EMFILE, ENFILE, ENOBUFS, ENOMEM).
ACCEPT_FAILED = "socket.accept() out of system resource"


class RepeatLimit(logging.Filter):
    """Lets one record starting with ``prefix`` through every ``every`` seconds; counts the rest.

    With its descriptors used up, the event loop retries ``accept()`` and
    logs every failure, traceback and all: 279,945 lines (141 MB) in 80
    seconds, which filled the log and hid everything else. The first line
    says it, then one a minute with how many were left out; other records
    pass as they are (as the PostgreSQL pool's noise is kept out by
    :mod:`greeter.journal_pg_base`).
    """

    def __init__(self, prefix: str, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._prefix = prefix
        self._every = every
        self._clock = clock
        self._passed_at: float | None = None
        self.suppressed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(self._prefix):
            return True
        now = self._clock()
        if self._passed_at is not None and now - self._passed_at < self._every:
            self.suppressed += 1
            return False
        if self.suppressed and not record.args:
            record.msg = f"{record.msg}\n({self.suppressed} more like it not logged)"
        self._passed_at, self.suppressed = now, 0
        return True


_ACCEPT_FLOOD = RepeatLimit(ACCEPT_FAILED)
logging.getLogger("asyncio").addFilter(_ACCEPT_FLOOD)


def get_logger(**bound: object) -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(**bound)
    return logger
