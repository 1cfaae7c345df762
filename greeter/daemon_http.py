"""The daemon's HTTP listener, started: ``/healthz``, ``/livez``, ``/metrics`` and the unsubscribe page.

Apart from :class:`~greeter.daemon.Daemon` so that the daemon's module holds its
lifecycle only; :mod:`greeter.http_api` (aiohttp's server, ~0.2 s of import) is
imported only by a daemon that listens — ``http`` is off by default.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from greeter.daemon_inputs import listen_address
from greeter.journal_store import JournalStore
from greeter.logs import get_logger
from greeter.metrics import RunStats
from greeter.runtime import Inputs
from greeter.secret_values import previous_unsubscribe_secrets, unsubscribe_secret

if TYPE_CHECKING:
    from aiohttp import web

    from greeter.http_api import ApiContext

log = get_logger(component="daemon")

#: What a one-click opt-out leaves when the contacts source cannot be read at the click.
UNBOUND_ON_CLICK = (
    "the one-click opt-out binds only the contact ids greeted at its address; suppress --contact ID"
    " binds another"
)


async def start_http(
    inputs: Callable[[], Inputs],
    journal: JournalStore,
    stats: RunStats,
    clock: Callable[[], datetime],
    stop: asyncio.Event,
    listen: tuple[str, int] | None,
) -> tuple[web.AppRunner, ApiContext] | None:
    """Listen where ``--listen`` or ``http.*`` say; None when neither turns the listener on.

    ``inputs``: the config in force when called (a reload swaps it): what the
    page reads a rotated ``unsubscribe.secret_file`` by. A previous secret named
    but not set stops the start (exit 2), as the current one does.
    """
    settings = inputs().settings
    where = listen_address(listen, settings.http)
    if where is None:
        return None
    from greeter.http_api import ApiContext, make_app, start_site
    from greeter.journal_project import journal_shown

    secret = unsubscribe_secret(settings.unsubscribe)

    def read_secret_file() -> bytes | None:
        """The unsubscribe key as the config in force names it now: what the next letter is signed with."""
        current = unsubscribe_secret(inputs().settings.unsubscribe)
        return current.encode() if current else None

    def holders(address: str) -> frozenset[str] | None:
        """The contact ids the contacts source (the config in force) gives ``address`` now, read
        whole off the loop for a one-click opt-out new on the list; None when it cannot be read."""
        from greeter.contacts import email_key
        from greeter.erasure import holders as held_by

        found, unread = held_by(inputs(), [address], unread_then=UNBOUND_ON_CLICK)
        if unread:
            log.warning("unsubscribe_contacts_unread", error=unread)  # never the address
            return None
        return found[email_key(address)]

    def contact_locale(address: str) -> str | None:
        """The locale the contacts source (the config in force) gives ``address``'s contacts, read
        whole off the loop for a page request naming no language greeter has; None when they name
        none or differ, or the source cannot be read (the page then speaks ``defaults.locale``)."""
        from greeter.contacts import email_key
        from greeter.erasure import address_book

        book, unread = address_book(inputs(), unread_then="the unsubscribe page speaks defaults.locale")
        if unread:
            log.warning("unsubscribe_contacts_unread", error=unread)  # never the address
        key = email_key(address)
        found = {c.locale for c in book or () if c.email and email_key(c.email) == key}
        return found.pop() if len(found) == 1 else None

    def sender_name(language: str) -> str:
        """The From name of a letter in the page's language, from the config in force (a reload's)."""
        return inputs().settings.sender.in_locale(language)[0]

    ctx = ApiContext(
        journal,
        stats,
        clock,
        secret.encode() if secret else None,
        stop=stop,
        previous_secrets=previous_unsubscribe_secrets(settings.unsubscribe),
        default_locale=settings.defaults.locale,
        mailto=settings.unsubscribe.mailto,
        read_secret=read_secret_file if settings.unsubscribe.secret_file else None,
        sender_name=sender_name,
        journal_shown=journal_shown(settings.storage.url),
        holders=holders,
        contact_locale=contact_locale,
    )
    setting = "--listen" if listen else "http.host, http.port"
    own = Path(stats.config_file) if stats.config_file else None  # a port it holds is its own, stopping
    runner, port = await start_site(make_app(ctx), where[0], where[1], setting=setting, config_file=own)
    log.info("http_listening", host=where[0], port=port)
    return runner, ctx
