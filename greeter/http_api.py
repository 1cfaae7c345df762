"""The daemon's HTTP listener: ``/livez``, ``/healthz``, ``/metrics`` and the one-click unsubscribe page.

Built on aiohttp in the daemon's own event loop. The unsubscribe endpoint is
what the ``List-Unsubscribe`` header's https link points to (RFC 8058): a
``POST`` with ``List-Unsubscribe=One-Click`` suppresses the address at once;
a ``GET`` (a person clicking the link) shows a page with a button that posts
the same. Tokens are HMAC-signed (:mod:`greeter.unsubscribe`) and checked in
constant time against the current secret and any previous ones (a rotated
key's links keep working); a forged or damaged token gets 404 — the same styled
page, in the reader's language, saying how else to unsubscribe — changes
nothing, and is logged (``unsubscribe_rejected``, never the token or address).
A POST with a genuine link whose body does not say ``List-Unsubscribe=One-Click``
gets 400 and is logged as well (``unsubscribe_bad_request``); one whose body
does not arrive within the listener's header timeout gets 408 and its
connection closed (:func:`start_site`). A genuine one the journal must not take
(copied away, upgraded by a newer greeter) gets 503 and the page that says it
was not recorded, and how else to unsubscribe (``unsubscribe_refused``).
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Literal, cast

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from greeter.errors import (
    EXIT_TEMPFAIL,
    EXIT_USAGE,
    Abandoned,
    GreeterError,
    JournalMovedError,
    JournalNewerError,
    ListenError,
)
from greeter.http_disclosure import generic_server_header, local_client, public_health
from greeter.http_health import (
    JOURNAL_PROBE_SECONDS,
    JournalProbe,
    health_body,
    health_status,
    journal_health,
    uncertain_in,
)
from greeter.http_peers import MAX_PER_ADDRESS, PeerCap, Refusals, client_key
from greeter.journal_moved import daemon_step
from greeter.journal_store import JournalStore
from greeter.logs import get_logger
from greeter.masking import mask_addresses
from greeter.metrics import RunStats, error_kind, render_metrics
from greeter.off_loop import OneAtATime, within
from greeter.port_holder import ask_holder, taken_why
from greeter.unsubscribe import (
    FORM_TYPES,
    NOT_RECORDED,
    NotOneClick,
    PageKind,
    Refused,
    Rejection,
    bare_one_click,
    bind_holders,
    check_token,
    page_language,
    refuse_unwritable,
    render_page,
    unsubscribe_person,
    wanted_language,
)

log = get_logger(component="http")


@dataclass
class ApiContext:
    """What the handlers need; owned by the daemon, which swaps ``journal`` on reload."""

    journal: JournalStore
    stats: RunStats
    clock: Callable[[], datetime]
    secret: bytes | None
    #: Set when the daemon stops: a probe waiting for the journal answers at once.
    stop: asyncio.Event | None = None
    #: Secrets rotated away (``unsubscribe.previous_secret_env``, ``previous_secret_file``): links they
    #: signed still work.
    previous_secrets: tuple[bytes, ...] = ()
    #: ``defaults.locale``: the page's language when the request's ``Accept-Language`` names none greeter has.
    default_locale: str = "ru"
    #: ``unsubscribe.mailto``: offered on the page for a link that is not valid, or not recorded.
    mailto: str | None = None
    #: Reads the signing key as it is now (``unsubscribe.secret_file``, which Kubernetes rotates
    #: in place); None where it cannot change (no secret, or ``secret_env``).
    read_secret: Callable[[], bytes | None] | None = None
    #: The From name letters in a page language (a :data:`~greeter.unsubscribe.PAGE_WORDS` key)
    #: are sent with, as the config in force says: the page names who the reader is leaving.
    sender_name: Callable[[str], str] | None = None
    #: The journal as messages name it (a path, a URL without password): a refused opt-out's words.
    journal_shown: str = "the journal"
    #: The contact ids the contacts source (the config in force) gives an address now, read off the
    #: loop; None where it cannot be read. A one-click opt-out new on the list binds them after it
    #: is written (:func:`~greeter.unsubscribe.bind_holders`): None, it binds only those greeted.
    holders: Callable[[str], frozenset[str] | None] | None = None
    #: The locale of the contact an address belongs to, read off the loop from the contacts source
    #: (the config in force); None when it names none, or cannot be read. The page's language when
    #: the request's ``Accept-Language`` names none greeter has (a mail client's one-click POST).
    contact_locale: Callable[[str], str | None] | None = None

    def accepted_secrets(self) -> tuple[bytes, ...]:
        """Every key a link is honoured with: the current one, then those it replaced."""
        return (self.secret, *self.previous_secrets) if self.secret else ()

    def reread_secret(self) -> bool:
        """Take the key the secret file holds now; True if it is one not accepted before.

        The letters are signed with the file's key as it is when each is
        rendered, so a rotated file must not leave the page refusing the links
        just sent (``unknown_signature``: the client cannot opt out). The key it
        replaces stays accepted, as every key this process has used since it
        started: the links already sent with it keep working. A file that
        cannot be read (mid-rotation) keeps the keys as they are.
        """
        if self.read_secret is None:
            return False
        try:
            key = self.read_secret()
        except GreeterError as exc:
            log.warning("unsubscribe_secret_unreadable", error=exc.hint())
            return False
        if not key or key in self.accepted_secrets():
            return False
        if self.secret:
            self.previous_secrets = (self.secret, *self.previous_secrets)
        self.secret = key
        log.info("unsubscribe_secret_rotated")  # never the key
        return True


#: Seconds a one-click ``POST`` waits for the journal to write the suppression before answering 503.
UNSUBSCRIBE_SECONDS = 5.0


class Unsubscriber:
    """Writes one-click suppressions off the event loop, each address's write once at a time.

    ``journal.suppress`` on the loop held the daemon (runs, stop, probes) for
    libpq's connect timeout when PostgreSQL was gone. Here the write runs in
    its own thread (:func:`~greeter.off_loop.off_loop`); after ``seconds`` the
    request gets 503, so the mail client's one-click retries, and the write
    goes on. A retry while it is still going waits for that same write rather
    than start another; a late one is harmless anyway, as ``suppress`` inserts
    an address that is there already as nothing (``ON CONFLICT DO NOTHING``).
    The outcome of every write is logged once, when it comes, heard or not.

    A write the journal refuses outright — copied away by ``copy-journal``, or
    upgraded by a newer greeter (:func:`~greeter.unsubscribe.unsubscribe_person`)
    — is no outage to wait out: the request gets the ``unrecorded`` page (how
    else to unsubscribe), ``unsubscribe_refused`` is logged with what the
    operator does, and ``stats`` (``/healthz``'s ``journal_problem``) names its
    kind at once, as the next run's refusal will.

    An address new on the list is then bound to the contacts the source gives it now
    (``holders``, :func:`~greeter.unsubscribe.bind_holders`): an address greeter never greeted (its
    rows purged, a letter from another journal) bound no one, and the client was greeted at the
    next address the CRM gave them. Done after the write, in its own thread, heard by no request:
    reading the source (a CRM query, a whole export) never delays the person's opt-out, and a
    repeated click of an address already listed reads nothing.
    """

    def __init__(
        self,
        stop: asyncio.Event | None = None,
        seconds: float = UNSUBSCRIBE_SECONDS,
        stats: RunStats | None = None,
        holders: Callable[[str], frozenset[str] | None] | None = None,
    ) -> None:
        self._stop = stop
        self._seconds = seconds
        self._stats = stats
        self._holders = holders
        self._writes: OneAtATime[str, int] = OneAtATime(self._written)
        #: The binding of the contacts holding a newly listed address (:meth:`_written`), one at a time.
        self._binds: OneAtATime[str, int] = OneAtATime(self._bound)
        #: The writes in flight whose binding follows them (:meth:`_bind_new`): each once.
        self._followed: set[asyncio.Future[int]] = set()
        #: The page's question (:meth:`refuses`): one at a time, so a journal that hangs gets one thread.
        self._asks: OneAtATime[None, None] = OneAtATime()
        #: Addresses whose write outlived a request: its warning was logged (once per write).
        self._late: set[str] = set()

    async def suppress(
        self, journal: JournalStore, address: str, now: datetime, shown: str = "the journal"
    ) -> Unwritten | None:
        """Suppress ``address`` in ``journal`` (``shown``: as messages name it): None once it is
        written, else which page says why not (the request then gets 503)."""
        writing = self._writes.call(address, partial(unsubscribe_person, journal, address, now, shown))
        if self._holders is not None and writing not in self._followed:  # not a retry joining it
            self._followed.add(writing)
            writing.add_done_callback(partial(self._bind_new, journal, address, now, self._holders))
        try:
            await within(self._seconds, writing, stop=self._stop)
        except Abandoned:
            why = f"the journal did not answer within {self._seconds:g} s"
            if address not in self._late:  # once per write, not per retry
                self._late.add(address)
                log.warning("unsubscribe_waiting", error=why)
            return "later"
        except (JournalMovedError, JournalNewerError):
            return "unrecorded"
        except GreeterError:
            return "later"
        return None

    async def refuses(self, journal: JournalStore, shown: str) -> bool:
        """Whether the journal refuses any opt-out now (copied away, newer): the page then says so.

        The page offered its button whatever the journal was, and the button's POST got the
        503 "not recorded" page: the person clicked twice to learn nothing was done. Asked off
        the loop, one question at a time, for as long as a probe waits; a journal that does not
        answer (or fails) is no refusal — the page offers the button, and the POST says what it finds.
        """
        asking = self._asks.call(None, partial(refuse_unwritable, journal, shown, NOT_RECORDED))
        try:
            await within(min(self._seconds, JOURNAL_PROBE_SECONDS), asking, stop=self._stop)
        except (JournalMovedError, JournalNewerError) as exc:
            kind = error_kind(exc)
            if self._stats is not None:
                self._stats.journal_problem = kind  # until a run reads and writes the journal again
            log.warning(
                "unsubscribe_refused", request="page", reason=kind, error=exc.hint(), action=refused_step(exc)
            )
            return True
        except (Abandoned, GreeterError):
            return False
        return False

    def _written(self, address: str, writing: asyncio.Future[int]) -> None:
        self._late.discard(address)
        if writing.cancelled():
            return
        exc = writing.exception()
        if exc is None:
            log.info("unsubscribed", new=bool(writing.result()))  # the address itself stays out of the logs
        elif isinstance(exc, JournalMovedError | JournalNewerError):
            kind = error_kind(exc)
            if self._stats is not None:
                self._stats.journal_problem = kind  # until a run reads and writes the journal again
            log.warning("unsubscribe_refused", reason=kind, error=exc.hint(), action=refused_step(exc))
        else:
            error = exc.hint() if isinstance(exc, GreeterError) else str(exc) or type(exc).__name__
            log.warning("unsubscribe_failed", error=error)

    def _bind_new(
        self,
        journal: JournalStore,
        address: str,
        now: datetime,
        holders: Callable[[str], frozenset[str] | None],
        writing: asyncio.Future[int],
    ) -> None:
        """After a write, heard or not: an address new on the list gets its holders bound, off the loop."""
        self._followed.discard(writing)
        if not writing.cancelled() and writing.exception() is None and writing.result():
            self._binds.call(address, partial(bind_holders, journal, address, now, holders))

    def _bound(self, _address: str, binding: asyncio.Future[int]) -> None:
        """The binding's outcome, logged (never the address): it changes nothing the person sees."""
        if binding.cancelled():
            return
        exc = binding.exception()
        if exc is None:
            if binding.result():
                log.info("unsubscribed_contacts_bound", contacts=binding.result())
            return
        error = exc.hint() if isinstance(exc, GreeterError) else str(exc) or type(exc).__name__
        log.warning("unsubscribe_contacts_not_bound", error=error)


#: The page a one-click write that did not happen gets: ``later`` — the journal is slow or failing, the
#: mail client's retry may land; ``unrecorded`` — the journal refused it (copied away, or newer).
Unwritten = Literal["later", "unrecorded"]


def refused_step(exc: JournalMovedError | JournalNewerError) -> str:
    """What the operator does about a one-click opt-out the journal refused: the log line's ``action``.

    The address is never logged: the person was shown how else to unsubscribe,
    and a mail client's one-click retries (503) land once the daemon is fixed.
    """
    if isinstance(exc, JournalMovedError):
        return daemon_step(exc.to)
    return "upgrade greeter on this machine and restart greeter run (docs/operations.md, Upgrading greeter)"


#: What the rejection log line says a :class:`~greeter.unsubscribe.Refused` reason means, for the operator.
_REJECTED_WHY: dict[Rejection, str] = {
    "malformed": "not a greeter link: cut short or damaged (a mail client wrapping it?), or made up",
    "unknown_signature": "signed by no secret the daemon has: forged, from another greeter project "
    "(each signs its links with its own secret), or signed with a secret replaced without naming "
    "the old one in unsubscribe.{previous}",
    "no_secret": "the daemon has no unsubscribe secret (neither unsubscribe.secret_env nor "
    "unsubscribe.secret_file is set)",
}


def rejected_why(reason: Rejection, *, secret_file: bool) -> str:
    """The rejection log line's ``why``, naming the setting this project keeps its old key in.

    A project whose key is ``secret_file`` was told to name the old one in
    ``previous_secret_env``, the setting for a variable: ``previous_secret_file``
    is its own. Pure.
    """
    previous = "previous_secret_file" if secret_file else "previous_secret_env"
    return _REJECTED_WHY[reason].replace("{previous}", previous)


#: A one-click POST whose body did not arrive in time (:data:`BODY_SECONDS`): the bad-request reason.
BodyTimeout = Literal["body_timeout"]

#: What the bad-request log line says a :data:`~greeter.unsubscribe.NotOneClick` reason means.
_NOT_ONE_CLICK_WHY: dict[NotOneClick | BodyTimeout, str] = {
    "no_body": "a POST with no body: RFC 8058 one-click posts List-Unsubscribe=One-Click",
    "not_one_click": "the body does not say List-Unsubscribe=One-Click (RFC 8058)",
    "unreadable_form": "the body is not the form its Content-Type says it is",
    "too_large": "the body is larger than the listener takes",
    "body_timeout": "the body did not arrive within the listener's timeout: the connection was closed",
}
#: The longest Content-Type the bad-request log line repeats: the header comes from anyone with a link.
_MAX_LOGGED_TYPE = 100


def make_app(ctx: ApiContext) -> web.Application:
    """The aiohttp application; pure wiring, no sockets (the daemon starts the site)."""

    probe = JournalProbe(ctx.stop, stats=ctx.stats, shown=ctx.journal_shown)
    unsubscriber = Unsubscriber(ctx.stop, stats=ctx.stats, holders=ctx.holders)

    async def livez(_request: web.Request) -> web.Response:
        """200 whenever the event loop answers: a liveness probe's endpoint, unlike ``/healthz``.

        ``/healthz`` is 503 while the mail server is down (``degraded``) or the
        journal does not answer — news for an alert or a readiness probe, but a
        liveness probe acting on it restarts the daemon in a loop for an outage
        a restart cannot mend. This asks nothing of the journal or SMTP: what
        it proves is that the loop the runs, the stop and the probes share is
        not stuck.
        """
        return web.json_response({"status": "alive"})

    async def healthz(request: web.Request) -> web.Response:
        s = ctx.stats
        counts, unreadable = await probe.counts(ctx.journal)
        journal, journal_problem = journal_health(unreadable, s.journal_problem)
        status = health_status(s, journal_ok=journal == "ok")
        body = health_body(s, status, journal, journal_problem, uncertain_in(counts))
        if not local_client(request):  # the words to the host itself only (greeter.http_disclosure)
            body = public_health(body)
        # A reply or an error may quote a client's address (``451 4.2.0 <a@x.ru>: greylisted``);
        # monitoring keeps these bodies, and this listener is the one behind the public proxy.
        # The letters as they are (UTF-8): escaped, «иван@почта.рф» was \u-escapes the masking
        # did not see as an address, and cut one in half — a body that was no JSON any more.
        shown = mask_addresses(json.dumps(body, ensure_ascii=False))
        return web.Response(
            text=shown, status=200 if status == "ok" else 503, content_type="application/json"
        )

    async def metrics(_request: web.Request) -> web.Response:
        counts, _ = await probe.counts(ctx.journal)
        data = render_metrics(counts, ctx.stats)
        return web.Response(body=data, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})

    async def _page(
        request: web.Request, kind: PageKind, status: int = 200, address: str | None = None
    ) -> web.Response:
        """The page of ``kind``, in the reader's language, else the contact's (``address``'s), else
        the default (:func:`~greeter.unsubscribe.page_language`). The contacts are read only for a
        GET whose own languages do not decide (a browser names its reader's): a mail client's
        one-click POST names none and nobody reads its answer, and reading a 150,000-row export
        for each of a campaign's unsubscribes would cost seconds of CPU apiece."""
        accept = request.headers.get("Accept-Language")
        contact = None
        reader_unknown = request.method == "GET" and wanted_language(accept) is None
        if address is not None and ctx.contact_locale is not None and reader_unknown:
            contact = await asyncio.get_running_loop().run_in_executor(None, ctx.contact_locale, address)
        language = page_language(accept, ctx.default_locale, contact)
        return web.Response(
            text=render_page(
                kind,
                language,
                mailto=ctx.mailto,
                sender=ctx.sender_name(language) if ctx.sender_name else None,
                address=address,
            ),
            content_type="text/html",
            status=status,
            headers={
                "Content-Language": language.replace("_", "-"),
                "Vary": "Accept-Language",
            },
        )

    async def _address(request: web.Request) -> str | web.Response:
        """The address the link's token names, or the 404 page for a token not honoured (logged)."""
        token = request.match_info["token"]
        found = check_token(ctx.accepted_secrets(), token)
        if isinstance(found, Refused) and found.reason == "unknown_signature" and ctx.reread_secret():
            found = check_token(ctx.accepted_secrets(), token)  # signed with the key the file holds now
        if not isinstance(found, Refused):
            return found
        # Someone tried to opt out and could not: the operator must hear of it. Never the token
        # (its first part is the address) nor the address itself.
        kind = "one-click" if request.method == "POST" else "page"
        why = rejected_why(found.reason, secret_file=ctx.read_secret is not None)
        log.warning("unsubscribe_rejected", request=kind, reason=found.reason, why=why)
        return await _page(request, "invalid", status=404)

    async def unsubscribe_page(request: web.Request) -> web.Response:
        address = await _address(request)
        if isinstance(address, web.Response):
            return address
        if await unsubscriber.refuses(ctx.journal, ctx.journal_shown):
            return await _page(request, "unrecorded", status=503, address=address)  # no button to refuse
        return await _page(request, "offer", address=address)

    async def unsubscribe(request: web.Request) -> web.Response:
        address = await _address(request)
        if isinstance(address, web.Response):
            return address
        try:
            async with asyncio.timeout(request.app[BODY_SECONDS]):
                refused = await _one_click(request)
        except web.HTTPRequestEntityTooLarge:
            _log_not_one_click(request, "too_large")
            raise
        except TimeoutError:
            _log_not_one_click(request, "body_timeout")
            return await _cut_off(request)
        if refused is not None:
            _log_not_one_click(request, refused)
            raise web.HTTPBadRequest(text="expected List-Unsubscribe=One-Click")
        unwritten = await unsubscriber.suppress(ctx.journal, address, ctx.clock(), ctx.journal_shown)
        if unwritten is not None:
            # 503: the mail client's one-click tries again; the write may still land meanwhile, or
            # (unrecorded) once the operator has pointed the daemon at the live journal.
            return await _page(request, unwritten, status=503, address=address)
        return await _page(request, "done", address=address)

    app = web.Application()
    app.on_response_prepare.append(generic_server_header)  # no versions to look up
    app.on_response_prepare.append(_private_page)
    app[BODY_SECONDS] = HEADER_SECONDS  # start_site sets the listener's own
    app.add_routes(
        [
            web.get("/livez", livez),
            web.get("/healthz", healthz),
            web.get("/metrics", metrics),
            web.get("/unsubscribe/{token}", unsubscribe_page),
            web.post("/unsubscribe/{token}", unsubscribe),
        ]
    )
    return app


async def _private_page(request: web.Request, response: web.StreamResponse) -> None:
    """Every answer under ``/unsubscribe/`` (the page, a 400, a 408) kept out of caches and search
    indexes: its path holds a token naming an address."""
    if request.path.startswith("/unsubscribe/"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex"


async def _one_click(request: web.Request) -> NotOneClick | None:
    """None when the POST says ``List-Unsubscribe=One-Click`` (RFC 8058), else why it does not.

    A form (urlencoded or multipart) is read as a form; any other body — no
    Content-Type, ``text/plain``, which some clients send — as it stands
    (:func:`~greeter.unsubscribe.bare_one_click`): those were refused with
    400, and the recipient's one-click did nothing. Both reads stop at the
    listener's size limit (413, :class:`~aiohttp.web.HTTPRequestEntityTooLarge`).

    Anyone on the internet can post here: a body aiohttp cannot parse (a broken
    multipart part, a missing boundary, an unknown charset or transfer encoding, bytes not in
    the declared charset: aiohttp raises each of these as a different class) is
    the sender's mistake — a 400 like any other wrong form, not an error-level
    traceback in the operator's log.
    """
    if request.content_type not in FORM_TYPES:
        return bare_one_click(await request.read())
    try:
        form = await request.post()
    except (HttpProcessingError, ValueError, LookupError, RuntimeError):
        return "unreadable_form"
    if form.get("List-Unsubscribe") == "One-Click":
        return None
    return "not_one_click" if form else "no_body"


async def _cut_off(request: web.Request) -> web.Response:
    """408 to a POST whose body stopped coming, and its connection closed at once, not drained.

    Returned, the answer would leave aiohttp to read the rest of the body for
    its lingering time (10 s) before closing: a slot held that much longer by a
    client that already showed it sends nothing.
    """
    response = web.Response(status=408, text="the request body did not arrive in time\n")
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    request.protocol.force_close()
    return response


def _log_not_one_click(request: web.Request, reason: NotOneClick | BodyTimeout) -> None:
    """Log a POST with a genuine link that unsubscribed nobody: a client whose one-click fails.

    As ``unsubscribe_rejected`` is for links not honoured — the operator must
    hear of someone who tried to opt out and could not — with what the client
    declared (the Content-Type, without its parameters): never the token, the
    address or the body.
    """
    log.warning(
        "unsubscribe_bad_request",
        request="one-click",
        reason=reason,
        content_type=request.content_type[:_MAX_LOGGED_TYPE],
        why=_NOT_ONE_CLICK_WHY[reason],
    )


#: Socket errors that may pass: the port is taken (another greeter may still be stopping there),
#: the kernel is short of buffers or memory. Anything else will not bind on a retry either.
_PASSING_BIND_ERRNOS = frozenset({errno.EADDRINUSE, errno.ENOBUFS, errno.ENOMEM})


def listen_error(
    exc: OSError, host: str, port: int, setting: str, taken: tuple[str, bool] | None = None
) -> ListenError:
    """Why ``host:port`` cannot be listened on, in one line, with its exit code.

    ``taken``: for a port in use, who holds it and whether that passes
    (:func:`~greeter.port_holder.taken_why`); None: not asked (temporary).

    :data:`~greeter.errors.EXIT_TEMPFAIL` when trying again later may work (the
    port is in use, a name server did not answer), else
    :data:`~greeter.errors.EXIT_USAGE`: an address that is not this machine's, a
    privileged port, a host name that does not resolve are configuration errors.
    ``setting`` names where the address came from (``--listen``, ``http.host``…).
    """
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    code = exc.errno
    temporary = False
    if isinstance(exc, socket.gaierror):
        temporary = code == socket.EAI_AGAIN
        why = f"cannot resolve {host!r} ({exc.strerror or exc})"
    elif code == errno.EADDRINUSE:
        why, temporary = taken or ("the port is already in use (another greeter may still be stopping)", True)
    elif code == errno.EADDRNOTAVAIL:
        why = f"{host} is not an address of this machine"
    elif code in (errno.EACCES, errno.EPERM):
        why = f"not allowed to listen on port {port} (ports below 1024 need privileges)"
    else:
        temporary = code in _PASSING_BIND_ERRNOS
        why = os.strerror(code) if code else str(exc)
    return ListenError(
        f"cannot listen on {where} ({setting}): {why}",
        exit_code=EXIT_TEMPFAIL if temporary else EXIT_USAGE,
    )


#: ``http.host`` / ``--listen`` host meaning every address of this machine, IPv4 and IPv6 alike.
ALL_ADDRESSES = "*"


def bind_host(host: str) -> str | None:
    """The host aiohttp binds for ``host``: None (every address of both families) for ``*``. Pure.

    ``::`` cannot say that: asyncio sets ``IPV6_V6ONLY`` on its socket, so it
    listens on IPv6 only and an IPv4 probe (a kubelet's, a load balancer's)
    cannot connect; ``0.0.0.0`` is IPv4 only. None gives one socket per family.
    """
    return None if host == ALL_ADDRESSES else host


#: Seconds a connection has to send a whole request's headers from when it opens (or from the
#: last response), and the longest it stays open idle between requests. aiohttp's keep-alive
#: timer starts at the connection and is not pushed back by bytes that do not complete a
#: request, so it bounds a slow sender (one header line every 10 s) as well as an idle one.
#: A reverse proxy keeping upstream connections alive should close them sooner than this.
HEADER_SECONDS = 15.0
#: Seconds a one-click POST's body has to arrive once its headers did (``header_seconds`` of
#: :func:`start_site`, the same budget again). aiohttp times no body: its keep-alive timer stops
#: when the headers are in, so ``Content-Length: 100`` and then nothing held the connection — and
#: one of the :data:`MAX_CONNECTIONS` places — for as long as the client liked.
BODY_SECONDS: web.AppKey[float] = web.AppKey("body_seconds", float)
#: Connections the listener holds at once; one more is closed as soon as it is accepted. Far
#: below the unit's ``LimitNOFILE``: the journal, the mail server and the contacts need descriptors too.
MAX_CONNECTIONS = 256
#: Seconds between two warnings that connections were refused at the cap.
REFUSED_WARNING_SECONDS = 60.0


class ConnectionGate:
    """Counts the listener's open connections and refuses those beyond ``limit``, warning now and then.

    Without a cap, 300 clients sending a header line every 10 s held 300
    descriptors until the process had none left: the next run could not open
    its journal ("Too many open files") and asyncio logged its failed
    ``accept()`` hundreds of thousands of times. A refused connection is
    accepted and closed at once, so it costs a descriptor for an instant only.
    The warning (``http_connections_refused``) comes at the first refusal and
    at most once every ``every`` seconds after, with how many were refused:
    a flood of refusals is not a flood of log lines.
    """

    def __init__(
        self,
        limit: int = MAX_CONNECTIONS,
        *,
        every: float = REFUSED_WARNING_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.open = 0
        self.refusals = Refusals(every, clock)

    def admit(self) -> bool:
        """Take a place for a new connection; False (and a warning, now and then) when all are taken."""
        if self.open < self.limit:
            self.open += 1
            return True
        if unsaid := self.refusals.refuse():
            log.warning("http_connections_refused", refused=unsaid, open=self.open, limit=self.limit)
        return False

    def release(self) -> None:
        """An admitted connection closed: its place is free."""
        self.open -= 1


class _Gated(asyncio.Protocol):
    """A connection's protocol: aiohttp's request handler if the gate admits it, else closed at once."""

    def __init__(self, make: Callable[[], asyncio.Protocol], gate: ConnectionGate, peers: PeerCap) -> None:
        self._make = make
        self._gate = gate
        self._peers = peers
        self._peer = ""
        self._inner: asyncio.Protocol | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._peer = client_key(transport.get_extra_info("peername"))
        if not self._peers.admit(self._peer):  # one address never takes every place (greeter.http_peers)
            cast(asyncio.Transport, transport).abort()
            return
        if not self._gate.admit():
            self._peers.release(self._peer)
            cast(
                asyncio.Transport, transport
            ).abort()  # the descriptor is freed now, not after a FIN handshake
            return
        self._inner = self._make()
        self._inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._inner is not None:
            self._gate.release()
            self._peers.release(self._peer)
            self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._inner is not None:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._inner is not None else None

    def pause_writing(self) -> None:
        if self._inner is not None:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._inner is not None:
            self._inner.resume_writing()


class GatedSite(web.BaseSite):
    """aiohttp's TCP site with each connection admitted by a :class:`ConnectionGate`."""

    def __init__(
        self, runner: web.AppRunner, host: str | None, port: int, gate: ConnectionGate, peers: PeerCap
    ) -> None:
        super().__init__(runner)
        self._runner_ = runner
        self._host = host
        self._port = port
        self.gate = gate
        self.peers = peers

    @property
    def name(self) -> str:
        return f"http://{self._host or '0.0.0.0'}:{self._port}"

    async def start(self) -> None:
        await super().start()
        server = self._runner_.server
        assert server is not None
        self._server = await asyncio.get_running_loop().create_server(
            lambda: _Gated(server, self.gate, self.peers), self._host, self._port
        )


async def start_site(
    app: web.Application,
    host: str,
    port: int,
    *,
    setting: str = "--listen",
    config_file: Path | None = None,
    max_connections: int = MAX_CONNECTIONS,
    max_per_address: int = MAX_PER_ADDRESS,
    header_seconds: float = HEADER_SECONDS,
) -> tuple[web.AppRunner, int]:
    """Listen on ``host:port`` (0 picks a free port); returns the runner and the bound port.

    ``host`` ``*`` is every address, IPv4 and IPv6 (:func:`bind_host`); with
    port 0 each family may get a port of its own, and the first socket's is returned.

    An address that cannot be bound is a :class:`~greeter.errors.ListenError`
    (:func:`listen_error`), not a raw ``OSError``: the daemon's ``cannot_start``
    line says which address, where it was configured (``setting``) and why. A
    port in use is asked who holds it (:mod:`greeter.port_holder`): only
    ``config_file``'s own previous daemon is a reason to try again later.

    The listener faces the internet (``http.host: "*"``, or behind the public
    proxy): a client has ``header_seconds`` to send its request's headers, as long
    again for a one-click POST's body (:data:`BODY_SECONDS`; its size is bounded by
    aiohttp's ``client_max_size``, 1 MiB), and may stay idle that long between
    requests; at most ``max_connections`` are open at once (:class:`ConnectionGate`), and at
    most ``max_per_address`` of them from one client (:class:`~greeter.http_peers.PeerCap`).
    """
    app[BODY_SECONDS] = header_seconds
    runner = web.AppRunner(app, access_log=None, keepalive_timeout=header_seconds)
    await runner.setup()
    peers = PeerCap(min(max_per_address, max_connections))
    site = GatedSite(runner, bind_host(host), port, ConnectionGate(max_connections), peers)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        taken = None
        if exc.errno == errno.EADDRINUSE:
            holder = await asyncio.to_thread(ask_holder, host, port)
            taken = taken_why(holder, config_file)
        raise listen_error(exc, host, port, setting, taken) from exc
    bound = int(runner.addresses[0][1]) if runner.addresses else port
    return runner, bound
