"""Test doubles greeter ships, so its own tests and a deployment's tests use the same ones.

* :class:`RecordingTransport` — an in-memory transport with scripted answers.
* :class:`SmtpSink` — a real SMTP server (aiosmtpd, in a thread, on an
  ephemeral loopback port) that records messages and injects the faults a
  real mail server produces: 4xx/5xx for chosen recipients or the next N
  messages, a slow reply, or a connection dropped after DATA's final dot.
* :class:`FakeClock` — a :class:`~greeter.ratelimit.Clock` whose ``sleep``
  advances time instantly, for exact rate-limit tests without real waiting.
* :class:`PostfixSink` — Postfix's ``smtp-sink`` (a real MTA's test server) as
  a subprocess with its own fault options (``-r -f -Q -q -A -M``) and a dump
  directory, read back as :class:`DumpedMessage` (Message-ID, complete, refused).
* :class:`FaultProxy` — an SMTP-aware loopback proxy in a thread that adds
  latency, sends a seeded-random share of transactions to other (faulty)
  servers, or cuts the connection mid-DATA or right after DATA's final dot.
* :class:`SilentServer` — a raw SMTP server that accepts connections and then
  stops answering at a chosen point (before the banner, after EHLO or AUTH,
  after DATA's final dot), keeping every connection open: a hung mail server.

``aiosmtpd`` is a test dependency; it is imported only when a sink starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from dataclasses import dataclass, field
from email import errors as email_errors
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from greeter.journal_store import JournalKey
from greeter.ratelimit import RateLimiter
from greeter.transport import OnReady, Outcome, Outgoing, SendResult, classify_reply, send_many


def parse(data: bytes) -> EmailMessage:
    """Parse message bytes the way a modern mail reader would (``policy=default``)."""
    msg = BytesParser(policy=default).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    return msg


class FakeClock:
    """Monotonic time that only moves when someone sleeps (or :meth:`advance` is called)."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)  # let other tasks run, as a real sleep would

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingTransport:
    """Keeps every message it is given; answers OK unless told otherwise."""

    def __init__(self) -> None:
        self.attempts: list[Outgoing] = []
        self.delivered: list[Outgoing] = []
        self.closed = False
        self._by_rcpt: dict[str, tuple[int | None, str, Outcome | None]] = {}
        self._next: deque[tuple[int | None, str, Outcome | None]] = deque()

    def answer(self, rcpt: str, code: int | None, text: str = "", outcome: Outcome | None = None) -> None:
        """Answer ``code text`` for this recipient from now on (``outcome`` overrides, e.g. UNCERTAIN)."""
        self._by_rcpt[rcpt.lower()] = (code, text, outcome)

    def answer_next(self, n: int, code: int | None, text: str = "", outcome: Outcome | None = None) -> None:
        """Answer ``code text`` for the next ``n`` messages, whoever they are for."""
        self._next.extend([(code, text, outcome)] * n)

    async def send(
        self, envelope_from: str, rcpt: str, data: bytes, key: JournalKey, *, ready: OnReady | None = None
    ) -> SendResult | None:
        if ready is not None and not await ready():
            return None
        item = Outgoing(key, envelope_from, rcpt, data)
        self.attempts.append(item)
        scripted = self._next.popleft() if self._next else self._by_rcpt.get(rcpt.lower())
        if scripted is None:
            self.delivered.append(item)
            return SendResult(key, Outcome.OK, 250, "2.0.0 OK recorded")
        code, text, outcome = scripted
        if outcome is not None:
            result = SendResult(key, outcome, code, text)
        else:
            assert code is not None, "give a code or an outcome"
            result = classify_reply(key, code, text)
        if result.ok:
            self.delivered.append(item)
        return result

    def send_many(
        self, items: Iterable[Outgoing] | AsyncIterable[Outgoing], *, limiter: RateLimiter | None = None
    ) -> AsyncIterator[SendResult]:
        return send_many(self, items, concurrency=1, limiter=limiter)

    async def close(self) -> None:
        self.closed = True

    def messages(self) -> list[EmailMessage]:
        return [parse(item.data) for item in self.delivered]


_DEFAULT_TEXT = {
    421: "4.3.2 Service not available, closing transmission channel",
    451: "4.3.0 Temporary local problem, try again later",
    452: "4.2.2 Insufficient system storage",
    550: "5.1.1 Mailbox unavailable: user unknown",
    551: "5.1.6 User not local",
    552: "5.2.2 Mailbox full",
    553: "5.1.3 Mailbox name not allowed",
    554: "5.7.1 Message rejected as spam",
}


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """A message the sink accepted (or swallowed before dropping the connection)."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    connection: int  # 1-based number of the connection it came on
    dropped: bool = False  # True: the sink hung up without answering the final dot

    def parsed(self) -> EmailMessage:
        return parse(self.data)


@dataclass
class _Script:
    rcpt: dict[str, tuple[int, str]] = field(default_factory=dict)
    data: deque[tuple[int, str]] = field(default_factory=deque)
    drops: int = 0
    delay: float = 0.0
    quit_delay: float = 0.0
    stalls: dict[str, deque[float]] = field(default_factory=dict)


class SmtpSink:
    """A real SMTP server for tests; use as a context manager::

        with SmtpSink() as sink:
            ...send to sink.host, sink.port...
            assert len(sink.messages) == 50 and sink.connections <= 4

    ``tls`` chooses ``"starttls"`` or implicit ``"tls"`` with ``tls_context``
    (a server context); ``users`` enables AUTH (PLAIN/LOGIN) against a dict;
    ``pipelining`` advertises PIPELINING (RFC 2920), so clients send the
    envelope in one go (aiosmtpd reads commands one by one either way).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        users: dict[str, str] | None = None,
        tls: Literal["none", "starttls", "tls"] = "none",
        tls_context: ssl.SSLContext | None = None,
        pipelining: bool = False,
    ) -> None:
        self.host = host
        self.pipelining = pipelining
        self.port = port  # 0: an ephemeral port, known after start()
        self.messages: list[ReceivedMessage] = []
        self.refused: list[tuple[str, int]] = []  # (recipient or "DATA", code)
        self.connections = 0
        #: The most QUITs that were waiting for their answer at one moment (see ``delay_quit``).
        self.most_quits_at_once = 0
        self._quits_waiting = 0
        self._users = users
        self._tls = tls
        self._tls_context = tls_context
        self._script = _Script()
        self._lock = threading.Lock()
        self._controller: Any = None

    # --- scripting (callable from the test's thread at any time) -------------

    def reject(self, rcpt: str, code: int = 550, text: str | None = None) -> None:
        """Answer ``code`` to ``RCPT TO:<rcpt>`` (421 also closes the connection)."""
        with self._lock:
            self._script.rcpt[rcpt.lower()] = (code, text or _DEFAULT_TEXT.get(code, "Refused"))

    def fail_next(self, n: int, code: int, text: str | None = None) -> None:
        """Answer ``code`` to the final dot of the next ``n`` messages (not recorded)."""
        with self._lock:
            self._script.data.extend([(code, text or _DEFAULT_TEXT.get(code, "Refused"))] * n)

    def drop_next(self, n: int = 1) -> None:
        """Record the next ``n`` messages, then hang up instead of answering the final dot."""
        with self._lock:
            self._script.drops += n

    def delay(self, seconds: float) -> None:
        """Wait this long before answering each final dot."""
        with self._lock:
            self._script.delay = seconds

    def stall(self, command: Literal["MAIL", "RCPT"], seconds: float, n: int = 1) -> None:
        """Wait this long before answering the next ``n`` MAIL or RCPT commands (a server gone quiet)."""
        with self._lock:
            self._script.stalls.setdefault(command, deque()).extend([seconds] * n)

    def _stall_for(self, command: str) -> float:
        with self._lock:
            waiting = self._script.stalls.get(command)
            return waiting.popleft() if waiting else 0.0

    def delay_quit(self, seconds: float) -> None:
        """Wait this long before answering each QUIT (``most_quits_at_once`` shows the overlap)."""
        with self._lock:
            self._script.quit_delay = seconds

    def reset(self) -> None:
        """Forget scripted faults and everything received."""
        with self._lock:
            self._script = _Script()
            self.messages.clear()
            self.refused.clear()
            self.connections = 0
            self.most_quits_at_once = 0

    def message_ids(self) -> list[str]:
        return [str(m.parsed()["Message-ID"]) for m in self.messages]

    # --- the aiosmtpd handler (runs in the sink's thread) ---------------------

    async def handle_EHLO(  # aiosmtpd hook names are upper-case
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        if self.pipelining:
            responses.insert(1, "250-PIPELINING")
        return responses

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        stall = self._stall_for("MAIL")
        if stall:
            await asyncio.sleep(stall)
        if self._users is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        stall = self._stall_for("RCPT")
        with self._lock:
            scripted = self._script.rcpt.get(address.lower())
            if scripted is not None:
                self.refused.append((address, scripted[0]))
        if stall:
            await asyncio.sleep(stall)
        if scripted is None:
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 OK"
        if scripted[0] == 421:
            asyncio.get_running_loop().call_soon(server.transport.close)
        return f"{scripted[0]} {scripted[1]}"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            delay = self._script.delay
            drop = self._script.drops > 0
            failure = None if drop or not self._script.data else self._script.data.popleft()
            if drop:
                self._script.drops -= 1
        if delay:
            await asyncio.sleep(delay)
        if failure is not None:
            with self._lock:
                self.refused.append(("DATA", failure[0]))
            if failure[0] == 421:
                asyncio.get_running_loop().call_soon(server.transport.close)
            return f"{failure[0]} {failure[1]}"
        message = ReceivedMessage(
            envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.original_content),
            server.greeter_connection, dropped=drop,
        )  # fmt: skip
        with self._lock:
            self.messages.append(message)
        if drop:
            server.transport.abort()
            await asyncio.sleep(3600)  # cancelled by connection_lost: no reply is ever written
        return "250 2.0.0 OK queued"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            delay = self._script.quit_delay
            self._quits_waiting += 1
            self.most_quits_at_once = max(self.most_quits_at_once, self._quits_waiting)
        try:
            if delay:
                await asyncio.sleep(delay)
        finally:
            with self._lock:
                self._quits_waiting -= 1
        return "221 2.0.0 Bye"

    # --- lifecycle -------------------------------------------------------------

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = (
            isinstance(data, LoginPassword)
            and self._users is not None
            and self._users.get(data.login.decode()) == data.password.decode()
        )
        # handled=False: let aiosmtpd answer 535 itself on failure.
        return AuthResult(success=ok, handled=False, auth_data=data)

    def start(self) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import SMTP

        sink = self

        class _Server(SMTP):
            greeter_connection = 0

        class _Controller(Controller):
            def factory(self) -> SMTP:
                with sink._lock:
                    sink.connections += 1
                    number = sink.connections
                smtp = _Server(self.handler, **self.SMTP_kwargs)
                smtp.greeter_connection = number
                return smtp

            async def _bind(self) -> asyncio.AbstractServer:
                server = await self.loop.create_server(
                    self._factory_invoker, host=self.hostname, port=self.port, ssl=self.ssl_context
                )
                self.port = server.sockets[0].getsockname()[1]
                return server

            def _create_server(self) -> Any:
                return self._bind()

        kwargs: dict[str, Any] = {"enable_SMTPUTF8": False, "decode_data": False}
        if self._users is not None:
            # AUTH is required by handle_MAIL (aiosmtpd's auth_required warns without TLS).
            kwargs.update(authenticator=self._authenticate, auth_require_tls=False)
        if self._tls == "starttls":
            kwargs.update(tls_context=self._tls_context, require_starttls=True)
        ssl_context = self._tls_context if self._tls == "tls" else None
        controller = _Controller(self, hostname=self.host, port=self.port, ssl_context=ssl_context, **kwargs)
        controller.start()
        self._controller = controller
        self.port = controller.port
        with self._lock:
            self.connections = 0  # the controller's own start-up probe does not count

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


# --- Postfix smtp-sink and an SMTP-aware fault proxy ------------------------------------

#: Where Debian's ``postfix`` package installs Postfix's test SMTP server.
SMTP_SINK = Path("/usr/sbin/smtp-sink")

_MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)
_BROKEN_MIME = (email_errors.StartBoundaryNotFoundDefect, email_errors.CloseBoundaryNotFoundDefect)


def free_port(host: str = "127.0.0.1") -> int:
    """A loopback TCP port nobody listens on right now (for servers that cannot report a port 0 bind)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


@dataclass(frozen=True, slots=True)
class DumpedMessage:
    """One mail transaction ``smtp-sink -d`` wrote to its dump directory."""

    path: Path
    message_id: str | None
    rcpt: tuple[str, ...]
    #: The whole message arrived; False when the connection broke mid-DATA (empty or truncated dump).
    complete: bool
    #: The sink answered the final dot with an error (smtp-sink dumps the message anyway).
    refused: bool

    @property
    def received(self) -> bool:
        """The server has the message: it said 250, or went silent after the final dot."""
        return self.complete and not self.refused


class PostfixSink:
    """Postfix's ``smtp-sink`` on a loopback port, with its own fault options; a context manager.

    The options are smtp-sink's (``man smtp-sink``), for every session alike:
    ``soft_reject`` (``-r``, 4xx), ``hard_reject`` (``-f``, 5xx; the reply text
    from ``hard_reply``, ``-B``), ``reply_421`` (``-Q``: 421 and disconnect),
    ``disconnect`` (``-q``: hang up without a reply), ``abort_after_data``
    (``-A``: 550 right after the 354, then stop reading) and ``max_messages``
    (``-M``: exit after that many messages). Commands are ``MAIL``, ``RCPT``,
    ``DATA``, ``.`` (the final dot) and so on. Every transaction is dumped
    (``-d``) to a private directory; :meth:`messages` reads the dumps back.
    Run as root, smtp-sink needs ``-u``: it then drops to ``user``.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        soft_reject: Iterable[str] = (),
        hard_reject: Iterable[str] = (),
        reply_421: Iterable[str] = (),
        disconnect: Iterable[str] = (),
        abort_after_data: int | None = None,
        hard_reply: str | None = None,
        soft_reply: str | None = None,
        max_messages: int | None = None,
        binary: Path = SMTP_SINK,
        user: str = "nobody",
    ) -> None:
        self.host = host
        self.port = port  # 0: a free port, chosen in start()
        self.options: list[str] = []
        #: The sink answers the final dot with an error: its dumps are not "received".
        self.refuses_dot = False
        commands = {"-r": soft_reject, "-f": hard_reject, "-Q": reply_421, "-q": disconnect}
        for flag, names in commands.items():
            listed = [c.upper() for c in names]
            if listed:
                self.options += [flag, ",".join(listed)]
                self.refuses_dot |= flag != "-q" and "." in listed
        values = {"-A": abort_after_data, "-B": hard_reply, "-b": soft_reply, "-M": max_messages}
        self.options += [part for flag, v in values.items() if v is not None for part in (flag, str(v))]
        self.binary = binary
        self.user = user
        self.dump_dir: Path | None = None
        self._base: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        assert self.dump_dir is not None
        cmd = [str(self.binary)]
        if os.geteuid() == 0:
            cmd += ["-u", self.user]
        return [*cmd, "-d", f"{self.dump_dir}/%H%M%S.", *self.options, f"{self.host}:{self.port}", "64"]

    def start(self, timeout: float = 10.0) -> None:
        if not self.binary.exists():
            raise FileNotFoundError(f"{self.binary} is not installed (Debian package postfix)")
        if self._base is None:
            self._base = Path(tempfile.mkdtemp(prefix="smtp-sink-"))
            self.dump_dir = self._base / "dump"
            self.dump_dir.mkdir()
            if os.geteuid() == 0:  # the dumps are written after smtp-sink dropped to `user`
                import pwd

                entry = pwd.getpwnam(self.user)
                self._base.chmod(0o711)
                os.chown(self.dump_dir, entry.pw_uid, entry.pw_gid)
        chosen = self.port == 0
        for _attempt in range(3 if chosen else 1):  # a free port can be taken before smtp-sink binds it
            if chosen:
                self.port = free_port(self.host)
            if self._launch(timeout):
                return
        log = (self._base / "smtp-sink.log").read_text(errors="replace").strip()
        raise RuntimeError(f"smtp-sink did not start on {self.host}:{self.port}: {log}")

    def _launch(self, timeout: float) -> bool:
        assert self._base is not None
        with open(self._base / "smtp-sink.log", "ab") as out:
            proc = subprocess.Popen(
                self.command(), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )
        self._proc = proc
        deadline = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            if _accepts(self.host, self.port):
                time.sleep(0.01)
                if proc.poll() is None:  # listening, and it is ours
                    return True
            time.sleep(0.02)
        self.stop()
        return False

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        """Stop the process; the dumps stay readable until :meth:`close`."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)

    def close(self) -> None:
        self.stop()
        if self._base is not None:
            shutil.rmtree(self._base, ignore_errors=True)
            self._base = self.dump_dir = None

    def dumps(self) -> list[Path]:
        """The dump files so far (one per transaction that reached DATA), oldest name first."""
        if self.dump_dir is None:
            return []
        return sorted(path for path in self.dump_dir.iterdir() if path.is_file())

    def messages(self) -> list[DumpedMessage]:
        """Every dumped transaction so far, read back (best after :meth:`stop`: all files closed)."""
        return [self.read(path) for path in self.dumps()]

    def read(self, path: Path) -> DumpedMessage:
        """One dump file: its Message-ID and recipients, and whether the message is whole."""
        data = path.read_bytes()
        if not data.strip():
            return DumpedMessage(path, None, (), complete=False, refused=self.refuses_dot)
        msg = parse(data)
        mid = msg["Message-ID"]
        rcpt = tuple(str(v).split()[0].strip("<>") for v in msg.get_all("X-Rcpt-Args", []) if str(v).strip())
        # smtp-sink ends a finished transaction with an empty line; a cut one just stops.
        broken = any(isinstance(d, _BROKEN_MIME) for part in msg.walk() for d in part.defects)
        complete = data.endswith(b"\n\n") and not broken
        return DumpedMessage(path, str(mid).strip() if mid else None, rcpt, complete, self.refuses_dot)

    def __enter__(self) -> PostfixSink:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


CutMode = Literal["none", "mid_data", "after_dot"]
EventKind = Literal["routed", "cut_mid_data", "cut_after_dot"]


@dataclass(frozen=True, slots=True)
class Route:
    """A share (``odds``, 0–1) of transactions, drawn at each MAIL FROM, that goes to another server."""

    port: int
    odds: float
    label: str = ""


@dataclass(frozen=True, slots=True)
class ProxyPlan:
    """What :class:`FaultProxy` does; swap it with :meth:`FaultProxy.configure` between runs."""

    target: int  # the port of the (healthy) server that gets everything not routed elsewhere
    routes: tuple[Route, ...] = ()
    #: ``mid_data``: forward half the message, then reset both sides; ``after_dot``: forward it
    #: all, read the server's reply, and reset the client's connection instead of passing it on.
    cut: CutMode = "none"
    cut_odds: float = 1.0  # the share of transactions cut
    delay: float = 0.0  # seconds added to each command, message and reply (each way)


@dataclass(frozen=True, slots=True)
class ProxyEvent:
    """A fault the proxy injected: ``routed`` (to ``detail``), ``cut_mid_data`` or ``cut_after_dot``."""

    kind: EventKind
    message_id: str | None
    detail: str  # the route's label, or what the server answered that the client never saw


async def _read_reply(reader: asyncio.StreamReader) -> bytes:
    """One (multi-line) SMTP reply; b"" when the server hung up before finishing it."""
    out = b""
    while True:
        line = await reader.readline()
        if not line.endswith(b"\n"):
            return b""
        out += line
        if len(line) < 4 or line[3:4] != b"-":
            return out


async def _read_message(reader: asyncio.StreamReader) -> bytes | None:
    """The DATA payload up to and including the final dot; None when the client hung up first."""
    lines: list[bytes] = []
    while True:
        line = await reader.readline()
        if not line.endswith(b"\n"):
            return None
        lines.append(line)
        if line in (b".\r\n", b".\n"):
            return b"".join(lines)


def _message_id_of(payload: bytes) -> str | None:
    found = _MESSAGE_ID.search(payload.split(b"\r\n\r\n", 1)[0])
    return found.group(1).decode("ascii", "replace") if found else None


class _ThreadedServer(ABC):
    """An asyncio TCP server on its own event loop and thread, for tests that drive greeter
    synchronously: the in-process fault proxy and the silent SMTP server share this lifecycle.

    Subclasses set ``host``/``port`` (0: any free port; the bound one is stored on start)
    and implement ``_session``; every session task is tracked so :meth:`stop` can end them.
    """

    _thread_name = "test-server"
    host: str
    port: int

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._sessions: set[asyncio.Task[None]] = set()

    @abstractmethod
    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one client connection (a task :meth:`stop` cancels)."""

    async def _serve(self) -> int:
        self._server = await asyncio.start_server(self._session, self.host, self.port)
        return int(self._server.sockets[0].getsockname()[1])

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._sessions):
            task.cancel()
        await asyncio.gather(*self._sessions, return_exceptions=True)

    def start(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name=self._thread_name, daemon=True)
        self._thread.start()
        self.port = asyncio.run_coroutine_threadsafe(self._serve(), loop).result(timeout=10)

    def stop(self) -> None:
        """Hang up every connection and stop listening (the port is free again)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        self._loop = self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class FaultProxy(_ThreadedServer):
    """An SMTP-aware TCP proxy on loopback (asyncio, in its own thread); a context manager.

    It relays one command and one reply at a time (plain SMTP: no STARTTLS),
    which is what lets it inject faults at exact points of a transaction:

    * ``delay`` — latency each way, like ``bench/tcp_delay_proxy.py``;
    * ``routes`` — each transaction, drawn at MAIL FROM from a seeded RNG, goes
      to another server with the given odds: real servers (e.g. a
      :class:`PostfixSink` with ``soft_reject=["RCPT"]``) answer, the proxy only
      chooses who. Every client connection has a connection to each server;
      EHLO/HELO/QUIT go to all of them, the target's reply is passed on; a
      421 or a hang-up from any of them ends the client's connection too.
    * ``cut`` — reset the connection in the middle of the message (half of it
      forwarded) or right after the final dot, before the server's reply.

    :attr:`events` lists every injected fault with the Message-ID it hit.
    """

    _thread_name = "fault-proxy"

    def __init__(self, plan: ProxyPlan, *, seed: int = 0, host: str = "127.0.0.1") -> None:
        super().__init__()
        self.host = host
        self.port = 0
        self.connections = 0
        self._plan = plan
        self._rng = random.Random(seed)
        self._events: list[ProxyEvent] = []
        self._lock = threading.Lock()

    def configure(self, plan: ProxyPlan) -> None:
        """Use ``plan`` for connections opened from now on."""
        with self._lock:
            self._plan = plan

    @property
    def events(self) -> list[ProxyEvent]:
        with self._lock:
            return list(self._events)

    def _event(self, kind: EventKind, mid: str | None, why: str) -> None:
        with self._lock:
            self._events.append(ProxyEvent(kind, mid, why))

    # --- the relay (runs in the proxy's thread) ------------------------------------------

    def _route(self, plan: ProxyPlan) -> Route | None:
        if not plan.routes:
            return None
        x = self._rng.random()
        for route in plan.routes:
            if x < route.odds:
                return route
            x -= route.odds
        return None

    async def _reply(self, writer: asyncio.StreamWriter, reply: bytes, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        writer.write(reply)
        await writer.drain()

    async def _session(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._sessions.add(task)
        with self._lock:
            plan = self._plan
            self.connections += 1
        writers = [client_w]
        try:
            peers: dict[int, tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}
            for port in dict.fromkeys([plan.target, *(r.port for r in plan.routes)]):
                peers[port] = await asyncio.open_connection(self.host, port)
                writers.append(peers[port][1])
            greetings = [await _read_reply(r) for r, _ in peers.values()]
            if not all(greetings):
                return
            await self._reply(client_w, greetings[0], plan.delay)
            current = peers[plan.target]
            while line := await client_r.readline():
                verb = line.split(None, 1)[0].upper() if line.strip() else b""
                if verb == b"MAIL":
                    route = self._route(plan)
                    current = peers[plan.target if route is None else route.port]
                    if route is not None:
                        self._event("routed", None, route.label or str(route.port))
                everyone = verb in (b"EHLO", b"HELO", b"LHLO", b"QUIT")
                targets = list(peers.values()) if everyone else [current]
                if plan.delay:
                    await asyncio.sleep(plan.delay)
                for _, w in targets:
                    w.write(line)
                replies = [await _read_reply(r) for r, _ in targets]
                if not all(replies) and not (verb == b"QUIT" and replies[0]):
                    return  # a server hung up without a word: so does the "network"
                reply = replies[0]
                if verb == b"DATA" and reply.startswith(b"354"):
                    await self._reply(client_w, reply, plan.delay)
                    payload = await _read_message(client_r)
                    answered = (
                        None if payload is None else await self._message(plan, current, payload, client_w)
                    )
                    if answered is None:
                        return  # the client hung up mid-message, or the connection was cut
                    reply = answered
                await self._reply(client_w, reply, plan.delay)
                if verb == b"QUIT" or reply.startswith(b"421"):
                    return
        except (OSError, EOFError, ValueError, asyncio.LimitOverrunError):
            return  # a peer went away: end the session like a network would
        finally:
            for w in writers:
                w.close()
            self._sessions.discard(task)

    async def _message(
        self,
        plan: ProxyPlan,
        server: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        payload: bytes,
        client_w: asyncio.StreamWriter,
    ) -> bytes | None:
        """Forward one message; the server's reply, or None when the connection ends here."""
        cut = plan.cut != "none" and self._rng.random() < plan.cut_odds
        mid = _message_id_of(payload)
        reader, writer = server
        if plan.delay:
            await asyncio.sleep(plan.delay)
        if cut and plan.cut == "mid_data":
            half = len(payload) // 2
            writer.write(payload[:half])
            await writer.drain()
            self._event("cut_mid_data", mid, f"{half} of {len(payload)} bytes forwarded")
            writer.transport.abort()
            client_w.transport.abort()
            return None
        writer.write(payload)
        reply = await _read_reply(reader)
        if not reply:
            return None  # the server hung up after the final dot without a word: so does the proxy
        if cut:
            self._event("cut_after_dot", mid, " ".join(reply.decode("utf-8", "replace").split()))
            client_w.transport.abort()
            return None
        return reply


# --- a mail server that stops answering -------------------------------------------------

#: Where :class:`SilentServer` goes quiet: before its 220 banner, after answering EHLO, after
#: accepting AUTH, or after reading a whole message (before the reply to the final dot).
SilentAt = Literal["banner", "ehlo", "auth", "dot"]


class SilentServer(_ThreadedServer):
    """A raw SMTP server (asyncio, in its own thread) that stops answering and never hangs up.

    aiosmtpd cannot be told to fall silent before its banner or to go quiet for
    good, and a hung MTA does exactly that: the TCP connection is accepted
    and stays open, and a reply never comes. Every connection is held until
    :meth:`stop`. It counts connections and MAIL commands and keeps the
    Message-ID of every message it read in full (``silent_at="dot"``: the
    letters the client must treat as maybe delivered).
    """

    _thread_name = "silent-smtp"

    def __init__(self, silent_at: SilentAt, *, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__()
        self.silent_at = silent_at
        self.host = host
        self.port = port
        self.connections = 0
        self.mail_commands = 0
        self.message_ids: list[str | None] = []
        self._lock = threading.Lock()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._sessions.add(task)
        with self._lock:
            self.connections += 1
        try:
            if self.silent_at == "banner" or await self._converse(reader, writer):
                await asyncio.Event().wait()  # silent, the connection open, until stop() cancels us
        except (OSError, asyncio.IncompleteReadError):
            return
        except asyncio.CancelledError:
            return  # stop(): end quietly (asyncio's stream callback would log a cancelled session)
        finally:
            writer.close()
            self._sessions.discard(task)

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Answer like a plain MTA up to the point of silence: True there, False if the client left."""
        writer.write(b"220 silent.test ESMTP\r\n")
        await writer.drain()
        while line := await reader.readline():
            verb = line.split(None, 1)[0].upper() if line.strip() else b""
            silent = False
            if verb in (b"EHLO", b"HELO"):
                writer.write(b"250-silent.test\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
                silent = self.silent_at == "ehlo"
            elif verb == b"AUTH":
                writer.write(b"235 2.7.0 Authentication successful\r\n")
                silent = self.silent_at == "auth"
            elif verb == b"MAIL":
                with self._lock:
                    self.mail_commands += 1
                writer.write(b"250 2.1.0 OK\r\n")
            elif verb == b"DATA":
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                payload = await _read_message(reader)
                if payload is None:
                    return False
                with self._lock:
                    self.message_ids.append(_message_id_of(payload))
                if self.silent_at == "dot":
                    return True
                writer.write(b"250 2.0.0 OK queued\r\n")
            elif verb == b"QUIT":
                writer.write(b"221 2.0.0 Bye\r\n")
                await writer.drain()
                return False
            else:  # RCPT, RSET, NOOP
                writer.write(b"250 2.0.0 OK\r\n")
            await writer.drain()
            if silent:
                return True
        return False
