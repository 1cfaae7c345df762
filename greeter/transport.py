"""Handing finished messages to the outside world: the interface, the file transport, batching.

A transport gets pre-built bytes (built once, see :mod:`greeter.message`) and
returns one :class:`SendResult` per message — it never raises for a message
the server refused, so one bad recipient cannot abort a batch. The result
(of a server's reply: :func:`greeter.reply_classes.classify_reply`) says what
the journal must do next:

* ``ok`` → ``sent``;
* ``temporary`` (4xx, connection refused/lost before DATA, timeouts, and a 5xx
  refusing our mail as unauthenticated: SPF/DKIM/DMARC, RFC 7372) → ``retry``;
* ``permanent`` (other 5xx) → ``failed``, and ``unknown_user`` → suppress the address;
* ``uncertain`` (no answer after DATA's final dot) → ``uncertain``: the server
  may have delivered it, so it must not be retried automatically.

A transport opens its connection *before* the letter is claimed: ``send``
takes a ``ready`` callback that it awaits once the connection is open and
ready for MAIL FROM, and the caller claims the letter there. A connection that
never opens then leaves no claim behind — not even when the process is killed
while waiting for a silent server's greeting.

A batch stops handing letters to a server that shows it is not working
(:class:`Breaker`); the rest go back to ``retry`` without being tried.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
import re
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Final, Protocol, TypeVar

from greeter.file_modes import (
    GROUP_FILE_MODE,
    make_group_folder,
    open_group_readable,
    share_with_group_if_folder_does,
)
from greeter.journal_store import JournalKey
from greeter.ratelimit import RateLimiter

#: What stops a batch (``SendResult.halt_kind``, ``Summary.halted_by``), a setting no retry cures: a
#: login the server refused (535); login settings that do not fit it (a 530 to MAIL FROM, no AUTH
#: greeter can use); a ``delivery.smtp.security`` it does not speak; a relay that refuses greeter
#: itself — its host as a relay client, its EHLO name, its envelope sender, or its host outright by
#: a blocklist or client check (:func:`~greeter.reply_classes.setup_refusal`). The keys of
#: ``send --json`` and of the daemon's ``delivery_halted`` line; the words of the summary line.
LOGIN_REFUSED = "login_refused"
LOGIN_MISMATCH = "login_mismatch"
SECURITY_MISMATCH = "security_mismatch"
RELAY_DENIED = "relay_denied"
HELO_REJECTED = "helo_rejected"
SENDER_REJECTED = "sender_rejected"
HOST_BLOCKED = "host_blocked"
HALT_WORDS = {
    LOGIN_REFUSED: "login refused",
    LOGIN_MISMATCH: "login settings do not fit the server",
    SECURITY_MISMATCH: "security setting does not fit the server",
    RELAY_DENIED: "the server does not relay for this host",
    HELO_REJECTED: "the server refuses greeter's EHLO name",
    SENDER_REJECTED: "the server refuses the sender",
    HOST_BLOCKED: "the server refuses greeter's host (blocklist or client check)",
}


class Outcome(StrEnum):
    OK = "ok"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"
    UNCERTAIN = "uncertain"


@dataclass(frozen=True, slots=True)
class SendResult:
    """What happened to one message; ``code``/``text`` are the server's last reply, if any."""

    key: JournalKey
    outcome: Outcome
    code: int | None = None
    text: str = ""
    #: The mailbox does not exist or is disabled (:func:`~greeter.reply_classes.classify_reply`):
    #: suppress the address.
    unknown_user: bool = False
    #: Why the *server*, not this letter, looks broken: the connection could not be opened
    #: (refused, timed out, TLS or AUTH failed), a reply did not come in time, or the server
    #: refuses our mail as unauthenticated (RFC 7372 5.7.2x: the reply itself). None for any other
    #: answer. :class:`Breaker` counts these (and ``uncertain``) towards stopping a batch.
    fault: str | None = None
    #: A setting no retry cures (a key of :data:`HALT_WORDS`), or None: the batch stops at it
    #: (:meth:`Deliverer.halt`) rather than putting every letter in ``retry`` as for a server that is down.
    halt_kind: str | None = None
    #: The provider is throttling us (:func:`~greeter.reply_classes.provider_throttle`): the
    #: batch hands over no new letter, and later runs hold off (:mod:`greeter.provider_throttle`).
    throttled: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    @property
    def refused(self) -> bool:
        """The server answered and did not take the letter (a 4xx or 5xx): not ``uncertain``."""
        return self.outcome in (Outcome.TEMPORARY, Outcome.PERMANENT)

    @property
    def reply(self) -> str:
        """One line for the journal's ``last_reply``: ``"550 5.1.1 no such user"``."""
        text = " ".join(self.text.split())
        return f"{self.code} {text}" if self.code is not None else text


class CleanLetter(bytes):
    """A letter's bytes already known to need no rewriting for SMTP DATA: see :func:`is_clean`.

    :func:`~greeter.message.build_message` returns its letters as this type, judged
    from their header lines (the rest it writes is clean by construction), and the
    build workers (:mod:`greeter.build_pool`) hand them over as it, so the sending
    process — the one that is the bottleneck of a large send — appends the final dot
    instead of scanning 6 KB four times for line endings and leading dots (~0.1 M
    instructions a letter, an eighth of the send path). Anything else (a retry's
    stored bytes, a DKIM-signed letter built in-process) is plain ``bytes`` and
    checked on the way out (a build worker checks a signed one with :func:`is_clean`).
    """

    __slots__ = ()


def is_clean(data: bytes) -> bool:
    """Whether ``data`` is CRLF-only, ends with CRLF and has no line starting with ``.``.

    Such bytes go into DATA as they are, followed by ``.\\r\\n``
    (:func:`greeter.smtp_transport.dot_stuffed`). Two passes that compare bytes
    one by one (dropping each CRLF, then the search for a line's leading dot)
    and two ``memchr`` scans, where counting CRLF, CR and LF took three passes
    before the dot's: ~45,000 fewer instructions of a build worker's 2.2 M a letter.
    With every CR and LF in a CRLF, a line starting with a dot is exactly ``\\r\\n.``.
    The CRLFs are dropped by one ``bytes.replace`` (one copy of the letter), not by cutting
    it into its lines and joining them (a bytes object per line: callgrind counted ~62 K
    instructions a letter in bytes.split alone).
    """
    if not data.endswith(b"\r\n") or data.startswith(b"."):
        return False
    rest = data.replace(b"\r\n", b"")  # every CR or LF that is not part of a CRLF
    return b"\r" not in rest and b"\n" not in rest and b"\r\n." not in data


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message ready to go: envelope and the exact bytes."""

    key: JournalKey
    envelope_from: str
    rcpt: str
    data: bytes


#: Awaited by a transport once its connection is open and ready for the letter: True sends
#: it, False leaves it unsent (``send`` then returns None). The delivery engine claims here.
OnReady = Callable[[], Awaitable[bool]]


class Transport(Protocol):
    async def send(
        self, envelope_from: str, rcpt: str, data: bytes, key: JournalKey, *, ready: OnReady | None = None
    ) -> SendResult | None:
        """Deliver one message; report the outcome instead of raising for refusals.

        ``ready`` is awaited at most once, right before anything of the letter
        is sent; None comes back only when it said False.
        """

    async def close(self) -> None:
        """Release connections; the transport is not used afterwards."""


T = TypeVar("T")


def _as_async(items: Iterable[T] | AsyncIterable[T]) -> AsyncIterator[T]:
    """``items`` as an async iterator: an async iterable as it is, a plain one wrapped.

    Not every one wrapped: each letter of a batch passes through every layer of
    async generators between the build and the sending worker, so a layer that only
    passes an async iterable's items on cost the event loop's thread per letter.
    """
    if isinstance(items, AsyncIterable):
        return aiter(items)
    return _from_sync(items)


async def _from_sync(items: Iterable[T]) -> AsyncIterator[T]:
    for item in items:
        yield item


async def run_batch(
    send: Callable[[T], Awaitable[SendResult | bool | None]],
    items: Iterable[T] | AsyncIterable[T],
    *,
    concurrency: int,
    limiter: RateLimiter | None = None,
    more: Callable[[], bool] | None = None,
) -> AsyncIterator[SendResult]:
    """Send ``items`` with at most ``concurrency`` in flight; yield results as they complete.

    Items are pulled lazily, one each time a sender is free and the rate
    limiter allows a send — so a generator that *claims* each greeting in the
    journal as it yields it claims right before the message goes out, not
    minutes earlier while it waits in a queue. An error raised by ``items`` or
    ``send`` stops the batch: nothing more is pulled, the sends in flight end
    normally (cutting one off mid-transaction would leave its letter
    ``uncertain``), and the error is re-raised here. ``send`` returns the result
    to yield, True for an item sent with nothing to yield, or None (or False) for
    an item it did not send (not yielded).

    With a ``limiter``, each item has its permit: an item not sent gives it back
    (:meth:`RateLimiter.give_back`), so a letter left for a stop, lost to another
    sender or never handed over does not count against a quota; and a worker refused a
    permit (the daily quota used up, :meth:`RateLimiter.on_quota_spent`) pulls no more. A
    letter the server refused (:attr:`SendResult.refused`) keeps its place in the pacing
    windows and gives its daily slot back (:meth:`RateLimiter.refused`).

    ``more``, if given, is asked right before each pull: False ends the batch there as the
    end of ``items`` does (a breaker that opened, a stop) — asked here rather than by a
    generator layer around ``items``, which cost every letter a pass through it.
    """
    source = _as_async(items)
    pull = asyncio.Lock()
    results: asyncio.Queue[SendResult | BaseException | None] = asyncio.Queue()
    failed = asyncio.Event()

    async def worker() -> None:
        try:
            while not failed.is_set():
                await pull.acquire()  # not `async with`: two coroutines a letter less
                try:
                    if failed.is_set():
                        return
                    granted = None
                    if limiter is not None:
                        if not await limiter.acquire():
                            return  # the daily quota is used up: the letters in hand still go
                        granted = limiter.granted_at
                    try:
                        if more is not None and not more():
                            raise StopAsyncIteration
                        item = await anext(source)
                    except StopAsyncIteration:
                        if limiter is not None:
                            limiter.refund()  # the newest permit (the lock is held): its token too
                        return
                finally:
                    pull.release()
                outcome: SendResult | bool | None = True  # an error: it may have reached the server
                try:
                    outcome = await send(item)
                finally:
                    if limiter is not None and granted is not None:
                        if outcome is None or outcome is False:
                            limiter.give_back(granted)  # not sent: its permit counts for nothing
                        elif isinstance(outcome, SendResult) and outcome.refused:
                            limiter.refused(granted)  # not accepted: paced, but no slot of the day
                        else:
                            limiter.handed_over(granted)  # its windows count it from the server's answer
                if isinstance(outcome, SendResult):
                    await results.put(outcome)
        except Exception as exc:
            await results.put(exc)
        finally:
            await results.put(None)

    workers = [asyncio.create_task(worker()) for _ in range(max(1, concurrency))]
    failure: BaseException | None = None
    try:
        finished = 0
        while finished < len(workers):
            got = await results.get()
            if got is None:
                finished += 1
            elif isinstance(got, BaseException):
                failure = failure or got
                failed.set()  # the other workers finish the letter in hand and stop
            elif failure is None:
                yield got
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    if failure is not None:
        raise failure


class Breaker:
    """Stops handing letters to a mail server that shows it is not working, for one batch.

    A *strike* is a letter whose connection could not be opened (refused,
    timed out, no greeting, TLS or AUTH failed), whose reply did not come in
    time, which ended ``uncertain``, or which the server refused as
    unauthenticated (SPF/DKIM/DMARC, RFC 7372 5.7.2x: it refuses every letter
    of ours until the DNS is fixed, and pushing on into the block hurts the
    domain's reputation). ``limit`` strikes (the pool size)
    without a letter sent in between open the breaker: :attr:`why` is set,
    and every letter not yet handed over goes back to ``retry`` with that
    reason instead of waiting out its own timeout — a silent server used to
    hold a batch of 1,500 letters for hours, and one silent after the final
    dot made every letter ``uncertain``. The next batch starts closed again.

    Until then it also never lets more letters be at the server than could
    still strike: strikes + letters in flight ≤ ``limit``. After a first strike
    the pool's other letters finish before a new one is handed over (unless
    one of them is sent), so a server that swallows letters without a reply
    leaves at most ``limit`` of them ``uncertain``, not one per connection per
    timeout. Letters the breaker never admitted cost no strike.
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.strikes = 0
        self.in_flight = 0
        #: Set once open: the reply recorded for every letter that was not handed over.
        self.why: str | None = None
        self._changed = asyncio.Event()

    def may_hand_over(self) -> bool:
        """Closed, and even if every letter at the server now strikes, still short of the limit."""
        return self.why is None and self.strikes + self.in_flight < self.limit

    async def admit(self) -> str | None:
        """Wait for a turn: None — hand the letter over and report it with :meth:`done`; else why not."""
        while not self.may_hand_over():
            if self.why is not None:
                return self.why
            self._changed.clear()
            await self._changed.wait()  # a letter in flight finishes (there is one: the sum is full)
        self.in_flight += 1
        return None

    def done(self, result: SendResult | None) -> None:
        """An admitted letter's result (None: it was not sent after all, e.g. its claim was lost)."""
        self.in_flight -= 1
        if result is not None and result.ok:
            self.strikes = 0
        elif result is not None and (result.fault is not None or result.outcome is Outcome.UNCERTAIN):
            self.strikes += 1
            if self.strikes >= self.limit and self.why is None:
                self.why = held_back(result.fault or result.reply)
        self._changed.set()


#: How the breaker words a letter it held back; :func:`held_back_reply` reads it back.
_HELD_BACK: Final = re.compile(r"not attempted: (?P<reply>.*); retried later", re.S)


def held_back(reply: str) -> str:
    """What a letter the breaker held back records: the failure that opened the breaker."""
    return f"not attempted: {reply}; retried later"


def held_back_reply(text: str) -> str | None:
    """The failure a held-back letter's record names (:func:`held_back`), or None for any other."""
    match = _HELD_BACK.fullmatch(text)
    return None if match is None else match["reply"]


def send_many(
    transport: Transport,
    items: Iterable[Outgoing] | AsyncIterable[Outgoing],
    *,
    concurrency: int = 1,
    limiter: RateLimiter | None = None,
    breaker: Breaker | None = None,
) -> AsyncIterator[SendResult]:
    """:func:`run_batch` over any transport's :meth:`Transport.send`, stopped by ``breaker`` if given."""

    async def send(item: Outgoing) -> SendResult | None:
        if breaker is not None and (why := await breaker.admit()) is not None:
            return SendResult(item.key, Outcome.TEMPORARY, None, why)
        result: SendResult | None = None
        try:
            result = await transport.send(item.envelope_from, item.rcpt, item.data, item.key)
        finally:
            if breaker is not None:
                breaker.done(result)
        return result

    return run_batch(send, items, concurrency=concurrency, limiter=limiter)


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def eml_name(key: JournalKey) -> str:
    """A readable, filesystem-safe file name for a greeting, one per journal key.

    Derived from the journal key like the Message-ID, so a resend of the same
    greeting replaces its file instead of adding a second one. Two journals
    writing one outbox (two configs' ``delivery.outbox``) give their greetings
    of the same contact id, occasion and day the same name: the file transport
    never replaces another letter's file (:class:`OutboxClash`).
    """
    contact_id, occasion, day = key
    digest = hashlib.sha256(f"{contact_id}\x1f{occasion}\x1f{day.isoformat()}".encode()).hexdigest()[:12]
    safe_contact = _UNSAFE_NAME.sub("_", contact_id)[:40].strip("._") or "contact"
    safe_occasion = _UNSAFE_NAME.sub("_", occasion)[:40]
    return f"{day.isoformat()}_{safe_occasion}_{safe_contact}_{digest}.eml"


#: How a letter the outbox could not take reads (:func:`outbox_unwritable`): the disk, not a server.
OUTBOX_UNWRITABLE = "cannot write to outbox"


def outbox_unwritable(outbox: Path, exc: OSError) -> str:
    """Why a letter could not be written to ``outbox``, the same words for every letter: the error's
    own text names its temporary file, and 399 letters read as 399 different replies, not one."""
    why = f"[Errno {exc.errno}] {exc.strerror}" if exc.errno is not None and exc.strerror else str(exc)
    return f"{OUTBOX_UNWRITABLE} {outbox}: {why}"


#: Each .eml's mode: a whole letter with the client's address and name. The outbox is there
#: to be read by someone else — a marketer reviewing, a pickup daemon — so greeter's group
#: may read it (give them that group); the other users of the machine may not. In an outbox
#: shared with its group (``2770``, a Kubernetes ``fsGroup`` volume) ``0660``, as the journal there.
EML_FILE_MODE = GROUP_FILE_MODE


class OutboxClash(OSError):
    """The outbox already holds another letter under a letter's file name: not replaced.

    Another letter: its ``Message-ID`` is not this one's — another journal's
    greeting of the same contact id, occasion and day (two configs sharing one
    ``delivery.outbox``), or a file put there by hand. Replacing it lost a letter
    both journals recorded ``sent``; so the letter is not written and is
    recorded ``failed`` with this reply (exit 1: someone must give each project
    its own outbox; ``greeter failed`` puts it back in line then).
    """

    def __init__(self, path: Path, theirs: str | None) -> None:
        held = f"another letter (Message-ID {theirs})" if theirs else "another file (no Message-ID)"
        super().__init__(
            f"not written: {path} holds {held}, which greeter never replaces; does another config"
            " write to this outbox (delivery.outbox)? give each project its own, then put this"
            " letter back in line with greeter failed resend"
        )


#: ``os.link`` errors of a file system without hard links (some FUSE, SMB and vfat mounts).
_NO_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS})


def _message_id(header_bytes: bytes) -> str | None:
    """The ``Message-ID`` of a letter's bytes (its headers are read, not its body), or None."""
    from email.parser import BytesHeaderParser

    found = BytesHeaderParser().parsebytes(header_bytes.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0])
    value = found.get("Message-ID")
    return " ".join(str(value).split()) if value is not None else None


def _file_message_id(path: Path) -> str | None:
    """The ``Message-ID`` of the letter in the file ``path`` (its first 64 KiB: the headers)."""
    with path.open("rb") as fh:
        return _message_id(fh.read(65536))


def place_exclusively(tmp: Path, final: Path, data: bytes) -> None:
    """Give the complete file ``tmp`` the name ``final`` without replacing another letter there.

    ``os.link`` makes the name only if none exists (the kernel decides, so two
    writers cannot both find it free); ``tmp`` is then removed. A file found
    there with this letter's own Message-ID is this greeting's earlier copy
    (a resend, a retry after a crash): it is replaced, as a resend always
    replaced its file. Anything else raises :class:`OutboxClash`. Where the
    file system has no hard links, an existence test and a rename do it, with
    the small race that leaves.
    """
    try:
        os.link(tmp, final)
    except FileExistsError:
        pass
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if not final.exists():
            os.replace(tmp, final)
            return
    else:
        tmp.unlink()
        return
    theirs = _file_message_id(final)
    if theirs is None or theirs != _message_id(data):
        raise OutboxClash(final, theirs)
    os.replace(tmp, final)


class FileTransport:
    """Writes each message to ``outbox/<name>.eml`` — the embedded default and for review.

    Written to a temporary file and renamed, so a reader (or a pickup
    daemon) never sees half a message; never over another letter's file
    (:func:`place_exclusively`).
    """

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox

    def probe(self) -> str | None:
        """Why a letter could not be written to the outbox now (as a send says it), or None.

        For ``greeter check``: a read-only mount, a folder this user may not
        write, an outbox path through a regular file — each made every letter
        ``retry``, after a check that said OK. The probe makes what a send
        would make first, in the same place — a hidden file in the outbox, or
        when there is none yet the first of its missing folders — and removes
        it at once: nothing is left behind.
        """
        existing = self.outbox
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent  # a regular file on the way stops here too, and fails below
        import tempfile  # this probe only (check, a send's first letter): not every send's import

        try:
            if existing == self.outbox:
                handle, made = tempfile.mkstemp(prefix=".greeter-check.", suffix=".tmp", dir=existing)
                os.close(handle)
                os.unlink(made)
            else:
                os.rmdir(tempfile.mkdtemp(prefix=".greeter-check.", dir=existing))
        except OSError as exc:
            return outbox_unwritable(self.outbox, exc)
        return None

    def _write(self, name: str, data: bytes) -> Path:
        make_group_folder(self.outbox)  # 0750 (2770 in a shared volume): its file names say clients' ids
        final = self.outbox / name
        tmp = self.outbox / f".{name}.{uuid.uuid4().hex}.tmp"
        try:
            with open_group_readable(tmp, new=True) as fh:  # whatever the umask: never readable by every user
                share_with_group_if_folder_does(fh.fileno(), self.outbox)  # 0660 there, as the journal
                fh.write(data)
            self._place(tmp, final, data)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return final

    def _place(self, tmp: Path, final: Path, data: bytes) -> None:
        """Name the written letter: never over another letter (:func:`place_exclusively`)."""
        place_exclusively(tmp, final, data)

    async def send(
        self, envelope_from: str, rcpt: str, data: bytes, key: JournalKey, *, ready: OnReady | None = None
    ) -> SendResult | None:
        if ready is not None and not await ready():
            return None
        try:
            path = await asyncio.to_thread(self._write, eml_name(key), data)
        except OutboxClash as exc:
            return SendResult(key, Outcome.PERMANENT, None, str(exc))
        except OSError as exc:
            return SendResult(key, Outcome.TEMPORARY, None, outbox_unwritable(self.outbox, exc))
        return SendResult(key, Outcome.OK, 250, f"written to {path}")

    def send_many(
        self, items: Iterable[Outgoing] | AsyncIterable[Outgoing], *, limiter: RateLimiter | None = None
    ) -> AsyncIterator[SendResult]:
        return send_many(self, items, concurrency=1, limiter=limiter)

    async def close(self) -> None:
        return None
