"""The in-process SMTP sink: aiosmtpd in a thread, recording messages and injecting faults."""

from __future__ import annotations

import asyncio
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Literal

from greeter.testing._base import Served, parse

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
    #: ``time.monotonic()`` when the sink took the final dot: a test measures the sender's pace by it.
    received_at: float = 0.0

    def parsed(self) -> EmailMessage:
        return parse(self.data)


@dataclass
class _Script:
    rcpt: dict[str, tuple[int, str]] = field(default_factory=dict)
    data: deque[tuple[int, str]] = field(default_factory=deque)
    drops: int = 0
    delay: float = 0.0
    quit_delay: float = 0.0
    #: ``delay_quit``'s ``until_waiting``: answer the QUITs once this many wait (0: after the delay).
    quits_together: int = 0
    stalls: dict[str, deque[float]] = field(default_factory=dict)
    #: (accepted letters, code, text): every final dot after that many accepted gets this reply.
    quota: tuple[int, int, str] | None = None


class SmtpSink(Served):
    """A real SMTP server for tests; use as a context manager::

        with SmtpSink() as sink:
            ...send to sink.host, sink.port...
            assert len(sink.messages) == 50 and sink.connections <= 4

    ``tls`` chooses ``"starttls"`` or implicit ``"tls"`` with ``tls_context``
    (a server context); ``users`` enables AUTH (PLAIN/LOGIN) against a dict
    (``auth_offer`` lists other mechanisms in EHLO instead);
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
        auth_offer: str | None = None,
    ) -> None:
        self.host = host
        self.pipelining = pipelining
        #: The AUTH mechanisms EHLO lists instead of aiosmtpd's own ("GSSAPI NTLM": none a client speaks).
        self.auth_offer = auth_offer
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

    def refuse_after(self, n: int, code: int = 451, text: str | None = None) -> None:
        """Accept ``n`` more messages, then answer ``code`` and ``text`` to every final dot after them
        (not recorded; 421 also closes the connection) until :meth:`reset`.

        A provider's sending quota, as a hosted mailbox enforces it (``451 4.7.1 Rate limit
        exceeded`` after the day's 500): :meth:`fail_next` refuses the *next* letters, this the
        ones *after* the quota. Counted from the call, so a test may let letters through first.
        """
        with self._lock:
            accepted = len(self.messages) + n
            self._script.quota = (accepted, code, text or _DEFAULT_TEXT.get(code, "Refused"))

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

    def delay_quit(self, seconds: float, until_waiting: int = 0) -> None:
        """Wait this long before answering each QUIT (``most_quits_at_once`` shows the overlap);
        with ``until_waiting``, only until that many QUITs are waiting at once (``seconds`` is then
        a guard): the overlap a client's QUITs sent together reach however slow the machine — a
        fixed delay measured whether the last came within it."""
        with self._lock:
            self._script.quit_delay = seconds
            self._script.quits_together = until_waiting

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
        if self.auth_offer is not None:
            responses = [f"250-AUTH {self.auth_offer}" if r.startswith("250-AUTH") else r for r in responses]
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
            quota = self._script.quota
            if failure is None and not drop and quota is not None and len(self.messages) >= quota[0]:
                failure = quota[1:]
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
            server.greeter_connection, dropped=drop, received_at=time.monotonic(),
        )  # fmt: skip
        with self._lock:
            self.messages.append(message)
        if drop:
            server.transport.abort()
            await asyncio.sleep(3600)  # cancelled by connection_lost: no reply is ever written
        return "250 2.0.0 OK queued"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            delay, together = self._script.quit_delay, self._script.quits_together
            self._quits_waiting += 1
            self.most_quits_at_once = max(self.most_quits_at_once, self._quits_waiting)
        try:
            if together:
                deadline = time.monotonic() + delay
                while self.most_quits_at_once < together and time.monotonic() < deadline:
                    await asyncio.sleep(0.01)
            elif delay:
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
        try:
            from aiosmtpd.controller import Controller
            from aiosmtpd.smtp import SMTP
        except ModuleNotFoundError as exc:  # greeter.testing ships in the wheel; aiosmtpd does not
            raise ModuleNotFoundError(
                "greeter.testing.SmtpSink needs aiosmtpd, one of greeter's test extras:"
                " pip install 'greeter-mailmerge[test]' (or pip install aiosmtpd)",
                name=exc.name,
            ) from exc

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
