"""Loopback servers that misbehave on purpose: the SMTP-aware fault proxy and a silent server."""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from abc import abstractmethod
from dataclasses import dataclass
from typing import Literal

from greeter.testing._base import Served
from greeter.testing.postfix import _MESSAGE_ID

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


class _ThreadedServer(Served):
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


class TcpRelay(_ThreadedServer):
    """A plain TCP relay on loopback to ``target_port`` (asyncio, in its own thread); a context manager.

    Stands between greeter and a server the test must not touch (the shared
    PostgreSQL): :meth:`stop` hangs up every relayed connection and stops
    listening, which greeter sees as that server going away (connection
    refused from then on), while the real server stays up for everyone else.
    """

    _thread_name = "tcp-relay"

    def __init__(self, target_port: int, *, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__()
        self.target_port = target_port
        self.host = host
        self.port = port
        #: Set once a client's bytes containing the :meth:`hold` marker are being held back.
        self.held = threading.Event()
        self._marker: bytes | None = None
        self._released: asyncio.Event | None = None

    def hold(self, marker: bytes) -> threading.Event:
        """Hold back the next client bytes that contain ``marker`` (a query's text) until :meth:`release`.

        The server then never sees that statement: the client waits for its
        answer as for a database that stopped answering mid-query. Returns
        :attr:`held`, set once it happens.
        """
        self.held.clear()
        self._marker = marker
        return self.held

    def release(self) -> None:
        """Let held bytes through (the database answers at last)."""
        loop, released = self._loop, self._released
        if loop is not None and released is not None:
            loop.call_soon_threadsafe(released.set)

    async def _serve(self) -> int:
        self._released = asyncio.Event()
        return await super()._serve()

    async def _upstream(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """:func:`_pipe` from the client to the server, holding back the marked bytes (see :meth:`hold`)."""
        while data := await reader.read(65536):
            if self._marker is not None and self._marker in data:
                self._marker = None
                self.held.set()
                assert self._released is not None
                await self._released.wait()
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._sessions.add(task)
        upstream: asyncio.StreamWriter | None = None
        try:
            up_reader, upstream = await asyncio.open_connection(self.host, self.target_port)
            await asyncio.gather(self._upstream(reader, upstream), _pipe(up_reader, writer))
        except (OSError, asyncio.CancelledError):
            return  # refused upstream, or stop(): hang up
        finally:
            writer.close()
            if upstream is not None:
                upstream.close()
            self._sessions.discard(task)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy bytes one way until end of file, then pass the end of file on."""
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    if writer.can_write_eof():
        writer.write_eof()
