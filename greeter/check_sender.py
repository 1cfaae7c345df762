"""``greeter check``'s look at what receivers judge the sender by, beyond the letter itself.

The name greeter gives in EHLO, whether SPF's domain (the envelope sender)
can carry DMARC when no aligned DKIM signature does, and one-click
unsubscribe for a sender Gmail counts as a bulk one. Each decision is a pure
function of the settings and what the shell found (the host's name, how many
contacts were read); the shell adds the located problem or note to the
:class:`~greeter.check_report.CheckReport`.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Final

from greeter.check_delivery import dmarc_aligned
from greeter.config import Settings
from greeter.config_delivery import helo_hostname
from greeter.errors import Problem


def helo_name_problem(helo_name: str | None, fqdn: str) -> str | None:
    """Why the name greeter would give in EHLO is penalised by receivers, or None. Pure.

    The name is ``delivery.smtp.helo_name``, else ``fqdn``: the host's own
    name (:func:`socket.getfqdn`), which :class:`~greeter.smtp_transport.SmtpTransport`
    says when the setting is unset — in a container or on a laptop that is
    ``localhost`` or a bare ``vm``, the very names the setting refuses
    (:func:`~greeter.config_delivery.helo_hostname`). A configured name passed
    that rule at load, so only the fallback is judged here, by the same rule.
    """
    if helo_name is not None:
        return None
    try:
        helo_hostname(fqdn)
    except ValueError:
        return (
            f"greeter says EHLO {fqdn} to the mail server: delivery.smtp.helo_name is unset, so this "
            f"host's own name, and {fqdn!r} is not a fully qualified host name: receivers penalise a "
            "bare or local EHLO name; set delivery.smtp.helo_name to this host's public name "
            "(e.g. mail.romashka.ru)"
        )
    return None


def local_relay(host: str) -> bool:
    """Whether the mail server is this machine's own (``localhost``, 127.0.0.0/8, ``::1``). Pure.

    Such a relay (a local Postfix) is the only one that hears greeter's EHLO;
    it greets the receivers under its own ``myhostname``, so a bare host name
    costs nothing there and a warning about it would only be noise.
    """
    import ipaddress

    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def unqualified_helo(
    settings: Settings, config_file: Path, fqdn: Callable[[], str] | None = None
) -> list[Problem]:
    """A warning when greeter would greet the mail server with a name receivers penalise.

    ``fqdn`` looks up the host's name as the sender does (default
    :func:`socket.getfqdn`, called at the time, as the transport calls it),
    only for ``transport: smtp`` without ``helo_name``: a lookup may wait on
    DNS. A warning, not an error: letters still go, but score worse. None for a
    relay on this machine (:func:`local_relay`), which greets onward under its own name.
    """
    smtp = settings.delivery.smtp
    if settings.delivery.transport != "smtp" or smtp.helo_name is not None or local_relay(smtp.host):
        return []
    message = helo_name_problem(None, (fqdn or socket.getfqdn)())
    if message is None:
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("delivery", "smtp", "helo_name"))
    return [Problem(str(config_file), "delivery.smtp.helo_name", message, line, col, severity="warning")]


def return_path_alignment(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning when DMARC can pass neither on DKIM nor on SPF: the envelope sender is in another domain.

    Without DKIM (or with one signing for another domain, which
    :func:`~greeter.check_delivery.dkim_alignment` warns of), DMARC rests on
    SPF, which passes for the domain of MAIL FROM — ``delivery.return_path``,
    else ``sender.email``. A return path in another organizational domain than
    From: (relaxed alignment, :func:`~greeter.check_delivery.dmarc_aligned`,
    the rule the DKIM warning uses) leaves DMARC nothing to pass on, and a
    receiver enforcing the From domain's policy rejects or junks every letter.
    """
    return_path = settings.delivery.return_path
    if return_path is None:
        return []
    author = settings.sender.domain.lower()
    dkim = settings.delivery.dkim
    if dkim is not None and dmarc_aligned(dkim.domain, author):
        return []
    bounces = return_path.rsplit("@", 1)[-1].lower()
    if dmarc_aligned(bounces, author):
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("delivery", "return_path"))
    signed = "letters are not DKIM-signed" if dkim is None else f"DKIM signs for {dkim.domain!r}, not it"
    message = (
        f"the envelope sender is in {bounces!r} (delivery.return_path) but letters come from {author!r} "
        f"(sender.email), and {signed}: DMARC can then pass neither on SPF nor on DKIM, so receivers "
        "that check DMARC (Gmail, Yahoo, Mail.ru) may reject or junk them; use a return path in "
        f"{author} (or its parent domain), or sign with DKIM for d={author}"
    )
    return [Problem(str(config_file), "delivery.return_path", message, line, col, severity="warning")]


#: Letters a day to Gmail from which Google counts a sender as a bulk one, for good (its 2024
#: sender guidelines): it must then offer one-click unsubscribe (RFC 8058), as Yahoo asks too.
BULK_SENDER_DAILY: Final = 5000


def bulk_without_one_click(settings: Settings, contacts: int) -> list[str]:
    """The note when one day's letters may make greeter a bulk sender that offers no one-click
    unsubscribe (none or one). Pure.

    Said when there is no ``unsubscribe.url`` (only the mailto
    ``List-Unsubscribe``), some occasion greets everyone in its audience on
    one calendar day (a ``date``, ``holiday``, ``on`` or ``ics`` occasion:
    New Year), at least :data:`BULK_SENDER_DAILY` contacts were loaded, and
    ``delivery.rate_limit.per_day`` does not keep a day under that. Contacts'
    own dates (birthdays) spread over the year and never make such a day.
    Which addresses are Gmail's is not told apart: a note, not a warning, so
    ``check --strict`` is not failed by an estimate.
    """
    if settings.unsubscribe.url or contacts < BULK_SENDER_DAILY:
        return []
    per_day = settings.delivery.rate_limit.per_day
    if per_day is not None and per_day < BULK_SENDER_DAILY:
        return []
    same_day = [occ.name for occ in settings.occasions if occ.field is None]
    if not same_day:
        return []
    return [
        f"unsubscribe: no unsubscribe.url, and {same_day[0]} may greet all {contacts:,} contacts on one"
        f" day: from {BULK_SENDER_DAILY:,} letters a day to Gmail, Gmail and Yahoo treat the sender as a"
        " bulk one and require one-click unsubscribe (RFC 8058), which only unsubscribe.url (served by"
        " greeter run with http.enabled) offers"
    ]
