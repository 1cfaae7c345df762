"""SMTP delivery over a small pool of persistent aiosmtplib connections.

Why a pool of long-lived connections: SMTP is chatty (greeting, EHLO,
STARTTLS, AUTH before the first letter); paying that once per connection
instead of once per letter is what makes thousands of greetings fast on a
real network (DESIGN.md §7). Each connection carries one transaction at a
time (MAIL, RCPT, DATA); after a refusal it is reset with RSET and reused,
after a connection error it is dropped and reopened on next use.

The one subtle outcome is a connection that dies (or times out) after the
final dot of DATA: the server may already have queued the message, so that
letter is reported ``uncertain`` — never ``temporary`` — and the journal keeps
it away from automatic retries. To know exactly where a failure happened, the
transaction is driven step by step instead of through ``SMTP.sendmail()``, on a
:class:`~greeter.smtp_replies.ReplyReader` so that the envelope (MAIL, RCPT,
DATA) is pipelined when the server offers PIPELINING.

A letter is claimed only once its connection is open (greeting, EHLO,
STARTTLS and AUTH done): :meth:`SmtpTransport.send` awaits the caller's
``ready`` there, right before MAIL FROM. A server that never greets leaves no
claim behind, even if the process is killed while it waits. Each failure that
shows the server itself is broken — a connection that cannot be opened, a
reply that does not come in time, a letter left uncertain — carries a
``fault``, which the batch's :class:`~greeter.transport.Breaker` counts.

The password arrives as an argument (the shell reads it from the environment
or a file) and is handed to aiosmtplib only; it is never logged or put in a
result.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import ssl
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from dataclasses import dataclass, field, replace

import aiosmtplib
from aiosmtplib.protocol import SMTPProtocol
from aiosmtplib.response import SMTPResponse

from greeter.config import SmtpSettings
from greeter.errors import UnsafeHeaderError
from greeter.journal_store import JournalKey
from greeter.masking import mask_addresses
from greeter.message import validate_address
from greeter.ratelimit import RateLimiter
from greeter.reply_classes import (
    classify_reply,
    provider_throttle,
    sender_auth_status,
    setup_fix,
    setup_refusal,
)
from greeter.smtp_failures import (
    LoginUnavailable,
    ProbeFailure,
    SecurityMismatch,
    halt_kind_of,
    login_required,
    password_source,
    why_not_connected,
)
from greeter.smtp_replies import ReplyReader
from greeter.smtp_watchdog import Watchdog
from greeter.transport import (
    HELO_REJECTED,
    HOST_BLOCKED,
    LOGIN_MISMATCH,
    Breaker,
    CleanLetter,
    OnReady,
    Outcome,
    Outgoing,
    SendResult,
    send_many,
)

_LINE_ENDINGS = re.compile(rb"\r\n|\r|\n")
_LEADING_DOT = re.compile(rb"(?m)^\.")
#: Anything that leaves the connection unusable (garbled replies included).
_CONNECTION_ERRORS = (aiosmtplib.SMTPException, OSError)


def dot_stuffed(data: bytes) -> bytes:
    """The DATA payload: CRLF line endings, leading dots doubled, the final ``.`` line appended."""
    if type(data) is CleanLetter:  # checked where it was built (is_clean): nothing to rewrite
        return data + b".\r\n"
    crlf = data.count(b"\r\n")
    if data.count(b"\r") != crlf or data.count(b"\n") != crlf:  # built letters are CRLF already
        data = _LINE_ENDINGS.sub(b"\r\n", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    if data.startswith(b".") or b"\n." in data:  # a 7bit body's line may start with "."
        data = _LEADING_DOT.sub(b"..", data)
    return data + b".\r\n"


class _Stale(Exception):
    """The connection was gone before the server said anything about this message."""


@dataclass
class _Slot:
    """One pooled connection (opened lazily, reopened after failures)."""

    client: aiosmtplib.SMTP | None = None
    messages: int = 0
    watchdog: Watchdog = field(default_factory=Watchdog)


class SmtpTransport:
    """A pool of ``settings.pool_size`` SMTP connections; see the module docstring."""

    def __init__(
        self,
        settings: SmtpSettings,
        password: str | None,
        *,
        tls_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
        return_path: str | None = None,
    ) -> None:
        self._settings = settings
        self._password = password
        self._tls_context = tls_context  # e.g. a private CA; None = system trust store
        # EHLO's name: the caller's, else delivery.smtp.helo_name, else the host's FQDN (looked up in _open).
        self._local_hostname = local_hostname or settings.helo_name
        #: delivery.return_path: MAIL FROM for every letter instead of the From: address the
        #: caller passes, so a relay's bounces (DSNs) go to a mailbox someone processes.
        self._return_path = return_path
        self._fqdn: asyncio.Future[str] | None = None
        self._all_slots = [_Slot() for _ in range(settings.pool_size)]
        #: The idle connections, oldest first, and the sends waiting for one (see :meth:`_take_slot`).
        self._idle: deque[_Slot] = deque(self._all_slots)
        self._slot_waiters: deque[asyncio.Future[_Slot]] = deque()
        self.connections_opened = 0
        self._closing: list[SMTPProtocol] = []
        self._valid_senders: set[str] = set()  # envelope senders validate_address accepted

    @property
    def _where(self) -> str:
        return f"{self._settings.host}:{self._settings.port}"

    def _client(self, security: str, timeout: float) -> aiosmtplib.SMTP:
        """An unconnected client for ``security``; STARTTLS is said by :meth:`_open` itself."""
        s = self._settings
        return aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            local_hostname=self._local_hostname,
            timeout=timeout,
            use_tls=security == "tls",
            start_tls=None if security == "tls" else False,
            tls_context=self._tls_context,
        )

    async def _open(self) -> aiosmtplib.SMTP:
        s = self._settings
        if self._local_hostname is None:
            # One lookup for the whole pool: its connections open at the same moment.
            if self._fqdn is None or self._fqdn.get_loop() is not asyncio.get_running_loop():
                self._fqdn = asyncio.ensure_future(asyncio.to_thread(socket.getfqdn))
            self._local_hostname = await asyncio.shield(self._fqdn)
        client = self._client(s.security, s.timeout_seconds)
        try:
            await client.connect()  # greeting (and the TLS handshake with security: tls)
        except (aiosmtplib.SMTPException, OSError) as exc:
            fit = await self._fitting_security(exc)
            if fit is not None:
                raise SecurityMismatch(fit) from exc
            raise
        try:
            if s.security == "starttls":
                await client.ehlo()
                if not client.supports_extension("starttls"):
                    raise SecurityMismatch(
                        "the server does not offer STARTTLS (its EHLO lists none): set "
                        "delivery.smtp.security: none if it is a local relay that needs no TLS, "
                        "or tls if the port is an implicit TLS one (usually 465)"
                    )
                await client.starttls()
            if client.is_ehlo_or_helo_needed:
                await client.ehlo()
            if s.username:
                await self._login(client, s.username)
        except BaseException:
            self._discard(client)
            raise
        self.connections_opened += 1
        return client

    async def _fitting_security(self, exc: BaseException) -> str | None:
        """When opening failed because ``delivery.smtp.security`` does not fit the server: what to set.

        None for anything else (a refused or silent connection, a certificate
        problem): those stay what they were. Implicit TLS answered in plain
        text (``WRONG_VERSION_NUMBER``) is a mismatch for sure; a plain
        connection given no greeting may be a port that greets only over TLS,
        which one TLS attempt (at most 5 s) tells apart from a silent server.
        """
        s = self._settings
        cause = exc.__cause__ if isinstance(exc, aiosmtplib.SMTPConnectError) and exc.__cause__ else exc
        if s.security == "tls" and isinstance(cause, ssl.SSLError) and cause.reason == "WRONG_VERSION_NUMBER":
            plain = self._client("none", min(5.0, s.timeout_seconds))
            try:
                await plain.connect()
                await plain.ehlo()
                fit = "starttls" if plain.supports_extension("starttls") else "none"
            except (aiosmtplib.SMTPException, OSError):
                fit = "starttls or none"
            finally:
                self._discard(plain)
            return (
                "the server does not speak TLS on this port (it answered in plain text; security: tls is "
                f"implicit TLS, usually port 465): set delivery.smtp.security: {fit}"
            )
        if s.security != "tls" and isinstance(exc, aiosmtplib.SMTPConnectTimeoutError):
            tls = self._client("tls", min(5.0, s.timeout_seconds))
            try:
                await tls.connect()
            except (aiosmtplib.SMTPException, OSError):
                return None  # silent over TLS too: a server that does not answer
            finally:
                self._discard(tls)
            return (
                f"the server greets only over TLS on this port (no greeting in plain text within "
                f"{s.timeout_seconds:g} s; implicit TLS, usually port 465): set delivery.smtp.security: tls"
            )
        return None

    async def _login(self, client: aiosmtplib.SMTP, username: str) -> None:
        """AUTH as ``username``; :class:`LoginUnavailable` when the server offers no AUTH greeter can use.

        aiosmtplib's own words for those ("The SMTP AUTH extension is not
        supported by this server") read as a network problem after "cannot
        connect", and were retried letter by letter.
        """
        if not client.supports_extension("auth"):
            hint = (
                "; many servers offer it only after STARTTLS: try delivery.smtp.security: starttls"
                if self._settings.security == "none"
                else ""
            )
            raise LoginUnavailable(
                f"delivery.smtp.username is set but the server offers no AUTH (its EHLO lists none){hint}; "
                "or remove delivery.smtp.username if it needs no login"
            )
        if not client.supported_auth_methods:
            offered = ", ".join(m.upper() for m in client.server_auth_methods) or "none"
            speaks = ", ".join(m.upper() for m in client.AUTH_METHODS)
            raise LoginUnavailable(
                f"delivery.smtp.username is set but the server offers no AUTH mechanism greeter supports "
                f"(it offers {offered}; greeter speaks {speaks})"
            )
        await client.login(username, self._password or "")

    async def _connect(self, slot: _Slot, key: JournalKey) -> SendResult | None:
        """Open the slot's connection; a result means "could not" (and the message was not tried).

        Any failure here — refused, no greeting, TLS, AUTH — is the server's
        (or its configuration's) fault, never the letter's: it carries ``fault``.
        """
        throttled = False
        try:
            slot.client, slot.messages = await self._open(), 0
        except aiosmtplib.SMTPAuthenticationError as exc:
            error = (
                f"SMTP AUTH as {self._settings.username!r} refused by {self._where}: {exc.code} {exc.message}"
            )
            kind = halt_kind_of(exc)
        except (LoginUnavailable, SecurityMismatch) as exc:
            error, kind = f"{self._where}: {exc}", halt_kind_of(exc)
        except aiosmtplib.SMTPResponseException as exc:  # the greeting or EHLO refused
            # Postfix with smtpd_delay_reject=no says its HELO and client restrictions at EHLO.
            throttled = provider_throttle(exc.code, exc.message)  # "421 … too many connections"
            refused = self._greeter_refused(exc)
            kind = None if refused is None else refused[0]
            said = " ".join(f"{exc.code} {exc.message}".split())
            error = (
                f"{self._where}: {refused[1]}" if refused else f"{self._where} refused the connection: {said}"
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            error = (
                f"cannot connect to {self._where}: {why_not_connected(exc, self._settings.timeout_seconds)}"
            )
            kind = None
        else:
            return None
        return SendResult(
            key, Outcome.TEMPORARY, None, error, fault=error, halt_kind=kind, throttled=throttled
        )

    def _greeter_refused(self, exc: aiosmtplib.SMTPResponseException) -> tuple[str, str] | None:
        """The halt kind and what to change when the greeting or EHLO refused greeter itself, or None.

        Before MAIL FROM a server can only be refusing greeter: its EHLO name
        (:data:`HELO_REJECTED`, to EHLO only) or its host (:data:`HOST_BLOCKED`: a
        blocklist or client check — Postfix with ``smtpd_delay_reject=no`` says
        ``554 5.7.1 <unknown[…]>: Client host rejected: Access denied`` to EHLO).
        Anything else there stays a connection that could not be opened.
        """
        kind = setup_refusal(exc.code, exc.message)
        helo = isinstance(exc, aiosmtplib.SMTPHeloError)
        if kind is None or (kind != HOST_BLOCKED and not (helo and kind == HELO_REJECTED)):
            return None
        said = " ".join(f"{exc.code} {exc.message}".split())
        ehlo = self._local_hostname
        return kind, setup_fix(kind, said, sender="", return_path=False, ehlo=ehlo, logged_in=False)

    async def send(
        self, envelope_from: str, rcpt: str, data: bytes, key: JournalKey, *, ready: OnReady | None = None
    ) -> SendResult | None:
        """Send one message on a free pooled connection; ``ready`` is awaited once it is open.

        ``ready`` (the caller's claim) runs at most once, right before MAIL
        FROM: a letter whose connection cannot be opened was never claimed.
        When an idle connection turns out to be closed at MAIL FROM, the
        letter, already claimed, goes on a reopened one without asking again.
        """
        envelope_from = self._return_path or envelope_from
        item = Outgoing(key, envelope_from, rcpt, data)
        for address in (item.rcpt,) if envelope_from in self._valid_senders else (envelope_from, rcpt):
            try:
                validate_address("envelope address", address)
            except UnsafeHeaderError as exc:
                return SendResult(item.key, Outcome.PERMANENT, None, str(exc))
        self._valid_senders.add(envelope_from)  # the same for every letter: checked once
        payload = dot_stuffed(item.data)
        slot = self._idle.popleft() if self._idle else await self._wait_for_slot()
        try:
            for attempt in (1, 2):
                reused = slot.client is not None and slot.client.is_connected
                if not reused:
                    failed = await self._connect(slot, item.key)
                    if failed is not None:
                        return failed
                if ready is not None:
                    if not await ready():
                        return None
                    ready = None  # claimed: a reopened connection carries the same claim
                client = slot.client
                assert client is not None
                try:
                    # The transaction's own frame (setup, exchange, reset) was one more coroutine
                    # every reply of every letter passed through: its steps are here now.
                    reader = self._reader(slot, client)
                    try:
                        result, reset = await self._exchange(slot.watchdog, client, reader, item, payload)
                    finally:
                        slot.watchdog.idle()
                        reader.detach()
                    if reset:
                        result = await self._reset(client, result)
                except _Stale as exc:
                    self._discard(client)
                    if reused and attempt == 1:
                        continue  # an idle connection the server had closed: reopen once
                    throttled = str(exc).startswith("421 ")  # a fresh connection closed on us at MAIL
                    return SendResult(
                        item.key, Outcome.TEMPORARY, None, f"{self._where}: {exc}", throttled=throttled
                    )
                slot.messages += 1
                return result
            raise AssertionError("unreachable")  # pragma: no cover
        except BaseException:
            # Cancelled (or a bug) mid-transaction: the connection's state is unknown,
            # so it must not carry the next message.
            if slot.client is not None:
                self._discard(slot.client)
            raise
        finally:
            self._give_back(slot)

    async def _wait_for_slot(self) -> _Slot:
        """Every connection is busy: the next one given back (first come, first served).

        An ``asyncio.Queue`` did this, at the cost of four calls in and four out for every
        letter though a connection is idle nearly always (one sending worker per connection).
        """
        waiter: asyncio.Future[_Slot] = asyncio.get_running_loop().create_future()
        self._slot_waiters.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._give_back(waiter.result())  # handed over as this send was cancelled: pass it on
            else:
                self._slot_waiters.remove(waiter)
            raise

    def _give_back(self, slot: _Slot) -> None:
        """A send is done with ``slot``: to the first send waiting for one, else idle."""
        while self._slot_waiters:
            waiter = self._slot_waiters.popleft()
            if not waiter.done():
                waiter.set_result(slot)
                return
        self._idle.append(slot)

    def _reader(self, slot: _Slot, client: aiosmtplib.SMTP) -> ReplyReader:
        """The transaction's reader (MAIL, RCPT, DATA on an open connection), attached; :class:`_Stale`
        if the connection is gone already. :meth:`send` detaches it whatever happens.

        Each reply is awaited for ``timeout_seconds`` (the slot's
        :class:`~greeter.smtp_watchdog.Watchdog`); a timeout leaves the connection out of step, so it
        is dropped. The transaction runs on a :class:`ReplyReader` (so the
        envelope can be pipelined); RSET after a refusal (:meth:`_reset`) goes back to aiosmtplib.
        """
        slot.watchdog.fired = False
        try:
            if client.protocol is None:
                raise aiosmtplib.SMTPServerDisconnected("Connection lost")
            reader = ReplyReader(client.protocol)
        except aiosmtplib.SMTPServerDisconnected as exc:
            raise _Stale(f"connection lost before the message was sent ({exc})") from exc
        reader.attach()
        return reader

    async def _exchange(
        self, watch: Watchdog, client: aiosmtplib.SMTP, reader: ReplyReader, item: Outgoing, payload: bytes
    ) -> tuple[SendResult, bool]:
        """The transaction's result, and whether the connection needs an RSET before the next one.

        With PIPELINING (RFC 2920) the envelope — MAIL, RCPT, DATA — goes out in
        one write and its three replies are read after; without it, one command
        per reply, stopping at the first refusal. Either way nothing of the
        letter itself is sent before the server said 354 to DATA.
        """
        key = item.key
        limit = self._settings.timeout_seconds
        commands = (
            b"MAIL FROM:<" + item.envelope_from.encode() + b">\r\n",
            b"RCPT TO:<" + item.rcpt.encode() + b">\r\n",
            b"DATA\r\n",
        )
        pipelined = client.supports_extension("pipelining")
        replies: list[SMTPResponse] = []
        try:
            watch.expect(client, limit)
            reader.write(b"".join(commands) if pipelined else commands[0])
            for command in commands:
                if replies and not pipelined:
                    if replies[-1].code not in (250, 251):
                        break  # refused: the rest is not asked
                    reader.write(command)
                    watch.expect(client, limit)
                reply = reader.ready() or await reader.reply()
                if not replies and (reply.code == 421 or not client.is_connected):
                    raise _Stale(f"{reply.code} {reply.message}")
                replies.append(reply)
                watch.expect(client, limit)  # the next reply of the group gets its own time
            watch.idle()
            refused = self._refusal(key, item, replies)
            if refused is not None:
                if replies[-1].code == 354:  # RFC 2920 §3.1: DATA accepted after a refusal
                    watch.expect(client, limit)
                    reader.write(b".\r\n")  # an empty message, to no one: back in step
                    await reader.reply()
                    watch.idle()
                return refused, True
        except _CONNECTION_ERRORS as exc:  # nothing of the letter was sent
            refused = self._refusal(key, item, replies) if replies else None
            if refused is not None:  # refused, then the server hung up (too many errors)
                self._discard(client)
                return refused, False
            if isinstance(exc, aiosmtplib.SMTPServerDisconnected) and not watch.fired:
                raise _Stale(f"connection lost before the message was sent ({exc})") from exc
            self._discard(client)
            if watch.fired:
                why = f"{self._where}: timed out: no reply within {limit:g} s"
                return SendResult(key, Outcome.TEMPORARY, None, why, fault=self._silent(limit)), False
            return SendResult(
                key, Outcome.TEMPORARY, None, f"{self._where}: {str(exc) or type(exc).__name__}"
            ), False
        try:
            reader.write(payload)
        except _CONNECTION_ERRORS as exc:  # nothing reached the server: safe to retry
            self._discard(client)
            return SendResult(
                key, Outcome.TEMPORARY, None, f"{self._where}: connection lost after DATA: {exc}"
            ), False
        try:
            watch.expect(client, limit)
            reply = await reader.reply()
        except _CONNECTION_ERRORS as exc:
            self._discard(client)
            why = f"timed out (no reply within {limit:g} s)" if watch.fired else f"connection lost ({exc})"
            return SendResult(
                key,
                Outcome.UNCERTAIN,
                None,
                f"{why} after the message was sent, before {self._where} confirmed it; "
                "it may have been delivered",
                fault=self._silent(limit)
                if watch.fired
                else f"the mail server {self._where} hung up before confirming a letter",
            ), False
        watch.idle()
        result = classify_reply(key, reply.code, reply.message, recipient_accepted=True)
        if reply.code == 421:
            self._discard(client)
            return result, False
        return result, not result.ok

    def _refusal(self, key: JournalKey, item: Outgoing, replies: list[SMTPResponse]) -> SendResult | None:
        """The result of an envelope the server refused (MAIL, RCPT or DATA), or None if none was.

        ``replies`` holds those that came, in order (fewer than three when the
        server refused without pipelining, or hung up). A refusal of MAIL or
        RCPT that says the server wants a login greeter did not make
        (:func:`login_required`) is a ``LOGIN_MISMATCH``, a halt as a 535 is: the batch
        stops at it instead of putting every letter in ``retry``. So is one that refuses
        greeter itself — its host as a relay client, its EHLO name, its envelope sender
        (:func:`~greeter.reply_classes.setup_refusal`) — instead of marking every letter ``failed``;
        the reply in its words has the recipient's address masked, as the summary's lines do.
        """
        for reply in replies[:2]:
            if reply.code in (250, 251):
                continue
            halt = self._setup_halt(reply, item.envelope_from)
            if halt is not None:
                why, kind = f"{self._where}: {halt[0]}", halt[1]
                return SendResult(key, Outcome.TEMPORARY, None, why, fault=why, halt_kind=kind)
            break
        mail = replies[0]
        if mail.code != 250:
            # Refusing the *sender* (530 auth required, 550/553 sender rejected) is our
            # configuration's problem, not the recipient's: never "failed", never "unknown user".
            # One for failed SPF/DMARC (5.7.23, 5.7.26) is a fault the batch's breaker counts, as at RCPT.
            sender = f"sender <{item.envelope_from}> refused: {mail.message}"
            refused = SendResult(key, Outcome.TEMPORARY, mail.code, sender)
            return replace(refused, fault=refused.reply) if sender_auth_status(mail.message) else refused
        if len(replies) > 1 and replies[1].code not in (250, 251):
            return classify_reply(key, replies[1].code, replies[1].message)
        if len(replies) > 2 and replies[2].code != 354:
            return classify_reply(key, replies[2].code, replies[2].message, recipient_accepted=True)
        return None

    def _setup_halt(self, reply: SMTPResponse, envelope_from: str) -> tuple[str, str] | None:
        """A refusal of MAIL FROM or RCPT TO that stops a batch: the words with the setting to change,
        and its kind (a key of :data:`~greeter.transport.HALT_WORDS`); None if not.

        A login the server wants and greeter did not make (:func:`login_required`), or a refusal
        of greeter itself — its host as a relay client, its EHLO name, its envelope sender
        (:func:`~greeter.reply_classes.setup_refusal`). One rule for a send (:meth:`_refusal`) and
        the probe (:meth:`_sender_probe`): a probe that judged differently would call a relay
        recovered that a send still halts at. The reply is quoted with the recipient masked.
        """
        s = self._settings
        fix = login_required(
            reply.code,
            reply.message,
            logged_in=bool(s.username),
            secured=s.security != "none",
            password=password_source(s),
        )
        kind = LOGIN_MISMATCH if fix is not None else setup_refusal(reply.code, reply.message)
        if kind is None:
            return None
        said = mask_addresses(" ".join(f"{reply.code} {reply.message}".split()), first=False)
        fix = fix or setup_fix(
            kind, said, sender=envelope_from, return_path=self._return_path is not None,
            ehlo=self._local_hostname, logged_in=bool(s.username),
        )  # fmt: skip
        return fix, kind

    def _silent(self, limit: float) -> str:
        """The fault of a reply that never came, worded the same at every step (one summary line)."""
        return f"the mail server {self._where} stopped answering (no reply within {limit:g} s)"

    async def _reset(self, client: aiosmtplib.SMTP, result: SendResult) -> SendResult:
        """RSET after a refusal, so the next message starts a clean transaction."""
        if client.is_connected:
            try:
                reply = await client.execute_command(b"RSET")
                if reply.code != 250:
                    self._discard(client)
            except _CONNECTION_ERRORS:
                self._discard(client)
        return result

    def send_many(
        self, items: Iterable[Outgoing] | AsyncIterable[Outgoing], *, limiter: RateLimiter | None = None
    ) -> AsyncIterator[SendResult]:
        """Send a batch over the whole pool (``pool_size`` in flight); results as they complete.

        Once the server shows it is not working (``pool_size`` connections
        failing to open, replies timing out or letters left uncertain, with
        none sent in between: :class:`~greeter.transport.Breaker`), the rest of
        the batch is reported ``temporary`` at once ("not attempted: …")
        instead of waiting out a timeout per letter; the next batch tries again.
        """
        pool = self._settings.pool_size
        return send_many(self, items, concurrency=pool, limiter=limiter, breaker=Breaker(pool))

    async def probe(self) -> str | None:
        """Connect, greet, secure and log in as a send would, then QUIT: None, or why not (in words)."""
        failure = await self.diagnose()
        return None if failure is None else failure.why

    async def diagnose(
        self, envelope_from: str | None = None, rcpt: str | None = None
    ) -> ProbeFailure | None:
        """:meth:`probe`, also saying whether the server refused the login (a configuration error).

        For ``greeter check``: a wrong port, a refused login or a certificate
        problem is found before the first greeting has to wait for a retry.
        With ``envelope_from`` and no username configured, it also says MAIL
        FROM (then RSET): a server that demands a login answers 530 there. That
        MAIL FROM is the one letters use (``return_path`` when set).

        With ``rcpt`` too (the daemon after a batch halted), MAIL FROM and RCPT TO
        whether logged in or not — as far as a letter's envelope goes, never DATA:
        a relay that refuses greeter's host says so only at RCPT TO, to a
        connection it greeted like any other.
        """
        if envelope_from is not None:
            envelope_from = self._return_path or envelope_from
        try:
            client = await self._open()
        except (aiosmtplib.SMTPException, OSError) as exc:
            # An EHLO name or host refused stops a send (helo_rejected, host_blocked): check says so.
            if isinstance(exc, aiosmtplib.SMTPResponseException) and (refused := self._greeter_refused(exc)):
                return ProbeFailure(f"{self._where}: {refused[1]}", refused[0])
            why = why_not_connected(exc, self._settings.timeout_seconds)
            return ProbeFailure(why, halt_kind_of(exc))
        self._all_slots[0].client = client
        try:
            if envelope_from is not None and (rcpt is not None or not self._settings.username):
                return await self._sender_probe(client, envelope_from, rcpt)
            return None
        finally:
            await self.close()

    async def _sender_probe(
        self, client: aiosmtplib.SMTP, envelope_from: str, rcpt: str | None = None
    ) -> ProbeFailure | None:
        """MAIL FROM (and RCPT TO ``rcpt``, if given), then RSET: a server that wants a login we do
        not make says so here (530), one that refuses the envelope sender (``sender_rejected``) or
        greeter's host by a blocklist or client check (``host_blocked``), and, at RCPT TO, a relay
        that does not relay for greeter's host (``relay_denied``).

        Nothing is sent. Any other answer (or none) is left to the send: the
        probe only finds what a send would stop a batch at (:meth:`_setup_halt`).
        """
        try:
            validate_address("envelope address", envelope_from)
            reply = await client.execute_command(b"MAIL FROM:<" + envelope_from.encode() + b">")
            if reply.code == 250 and rcpt is not None:
                validate_address("envelope address", rcpt)
                reply = await client.execute_command(b"RCPT TO:<" + rcpt.encode() + b">")
            if reply.code in (250, 251):
                await client.execute_command(b"RSET")
                return None
        except (aiosmtplib.SMTPException, OSError, UnsafeHeaderError):
            return None
        halt = self._setup_halt(reply, envelope_from)
        if halt is None:
            return None
        fix, kind = halt
        # A 530's words say what greeter did not do and stand alone; a refusal of greeter names the server.
        return ProbeFailure(fix if kind == LOGIN_MISMATCH else f"{self._where}: {fix}", kind)

    def _discard(self, client: aiosmtplib.SMTP) -> None:
        """Close a connection and remember its protocol until the socket is really gone."""
        self._closing = [p for p in self._closing if p.transport is not None]
        if client.protocol is not None:
            self._closing.append(client.protocol)
        client.close()

    async def close(self) -> None:
        """QUIT every open connection (politely, briefly), close it, and wait until the sockets are.

        The connections say QUIT all at once: one after another, a pool of 64
        over a link with a 20 ms round trip spent 1.3 s just saying goodbye.
        Closing a TLS connection takes a round trip (close_notify); without the
        wait an event loop that ends right after would leak the sockets.
        """

        async def quit(client: aiosmtplib.SMTP) -> None:
            protocol = client.protocol  # quit() forgets it when it closes
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await client.quit(timeout=min(5.0, self._settings.timeout_seconds))
            if protocol is not None:
                self._closing.append(protocol)
            self._discard(client)

        quitting = []
        for slot in self._all_slots:
            slot.watchdog.stop()
            client, slot.client = slot.client, None
            if client is not None and client.is_connected:
                quitting.append(quit(client))
        await asyncio.gather(*quitting)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(2.0, self._settings.timeout_seconds)
        while any(p.transport is not None for p in self._closing) and loop.time() < deadline:
            await asyncio.sleep(0.005)
        self._closing.clear()
