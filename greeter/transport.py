"""Handing finished messages to the outside world: the interface, the file transport, batching.

A transport gets pre-built bytes (built once, see :mod:`greeter.message`) and
returns one :class:`SendResult` per message — it never raises for a message
the server refused, so one bad recipient cannot abort a batch. The result
says what the journal must do next:

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
import hashlib
import os
import re
import tempfile
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Final, Protocol, TypeVar

from greeter.file_modes import GROUP_FILE_MODE, make_group_folder, open_group_readable
from greeter.journal_store import JournalKey
from greeter.ratelimit import RateLimiter

#: What stops a batch (``SendResult.halt_kind``, ``Summary.halted_by``), a setting no retry cures: a
#: login the server refused (535); login settings that do not fit it (a 530 to MAIL FROM, no AUTH
#: greeter can use); a ``delivery.smtp.security`` it does not speak; a relay that refuses greeter
#: itself — its host as a relay client, its EHLO name, its envelope sender, or its host outright by
#: a blocklist or client check (:func:`setup_refusal`). The keys of ``send --json`` and of the
#: daemon's ``delivery_halted`` line; the words of the summary line.
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
    #: The mailbox does not exist or is disabled (see :func:`classify_reply`): suppress the address.
    unknown_user: bool = False
    #: Why the *server*, not this letter, looks broken: the connection could not be opened
    #: (refused, timed out, TLS or AUTH failed), a reply did not come in time, or the server
    #: refuses our mail as unauthenticated (RFC 7372 5.7.2x: the reply itself). None for any other
    #: answer. :class:`Breaker` counts these (and ``uncertain``) towards stopping a batch.
    fault: str | None = None
    #: A setting no retry cures (a key of :data:`HALT_WORDS`), or None: the batch stops at it
    #: (:meth:`Deliverer.halt`) rather than putting every letter in ``retry`` as for a server that is down.
    halt_kind: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    @property
    def reply(self) -> str:
        """One line for the journal's ``last_reply``: ``"550 5.1.1 no such user"``."""
        text = " ".join(self.text.split())
        return f"{self.code} {text}" if self.code is not None else text


_ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")

#: Reply texts that say the mailbox does not exist (or is closed for good) whatever status code
#: the server put in front of them, matched case-insensitively in 5xx replies only. Each entry
#: is unambiguous — no spam or policy block words it so — and names where it was seen. Providers
#: that put a code of their own on a missing mailbox are why a code alone is not enough: Yandex
#: answers ``550 5.7.1 No such user!``, a 5.7.x that otherwise means "refused by policy".
NO_MAILBOX_TEXTS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    # RFC 5321 §3.3 (as RFC 2821): an undeliverable recipient gets "a 550 reply, typically with a
    # string such as 'no such user - ' and the mailbox name";
    # Yandex lists "No such user" as "the email was sent to a non-existing address"
    # (yandex.com/support/mail/bounces/yandex.html) and its MX says "550 5.7.1 No such user!";
    # Mail.ru: "User not found" / "No such user" — the address was deleted (mailout.ru/2015/09).
    (re.compile(r"\bno such user\b", re.I), "RFC 5321 §3.3; Yandex; Mail.ru"),
    # Listed among the non-existing-address replies in yandex.com/support/mail/bounces/other.html,
    # and said by Mail.ru (mailout.ru/2015/09).
    (re.compile(r"\buser not found\b", re.I), "Yandex bounce table; Mail.ru"),
    (re.compile(r"\buser unknown\b", re.I), "Yandex bounce table (other.html)"),
    # "Invalid mailbox" (yandex.com/support/mail/bounces/other.html); Mail.ru's MX words it
    # "550 Message was not accepted -- invalid mailbox".
    (re.compile(r"\binvalid mailbox\b", re.I), "Yandex bounce table; Mail.ru"),
    # Exchange Online Directory-Based Edge Blocking: a recipient not in the tenant's directory is
    # refused at the edge with "550 5.4.1 Recipient address rejected: Access denied"
    # (thomasjuhlolesen.dk/2021/10/directory-based-edge-blocking-causing-550-5-4-1-ndr.html). Only
    # with 5.4.1: Postfix's check_recipient_access says "Access denied" for any policy REJECT.
    (
        re.compile(r"^\s*5\.4\.1\b.*\brecipient address rejected: access denied\b", re.I | re.S),
        "Exchange Online DBEB",
    ),
)


def _no_mailbox_text(text: str) -> bool:
    """Whether a 5xx reply's text says the mailbox does not exist (:data:`NO_MAILBOX_TEXTS`)."""
    return any(pattern.search(text) for pattern, _ in NO_MAILBOX_TEXTS)


#: RFC 7372 §3 and RFC 7505 §4 (null MX): 5.7.20 no passing DKIM signature, 5.7.21 no acceptable
#: one, 5.7.22 none author-matched, 5.7.23 SPF failed, 5.7.24 SPF error, 5.7.25 reverse DNS
#: failed, 5.7.26 multiple authentication checks failed (Gmail's DMARC refusal "550 5.7.26 …
#: unauthenticated"), 5.7.27 the sender's domain has a null MX; Exchange Online's own 5.7.509
#: (DMARC failed under p=reject) and 5.7.515 (a bulk sender without the authentication it demands).
_SENDER_AUTH = re.compile(r"(?<![\d.])5\.7\.(?:2[0-7]|509|515)(?![\d.])")

#: Refusals that name DMARC in words behind a generic status: Gmail's "550 5.7.1 Unauthenticated
#: email from example.com is not accepted due to domain's DMARC policy", Exim's "550 5.7.1 This
#: message was not accepted due to domain owner DMARC policy (RFC 7489)". Exchange Online says
#: 5.7.509 ("sending domain … does not pass DMARC verification") and, for a bulk sender without
#: SPF+DKIM+DMARC, 5.7.515 ("doesn't meet the required authentication level"): in the pattern above.
#: DMARC is an authentication check on *our* domain alone; no reply names it about a recipient.
_SENDER_AUTH_WORDS = re.compile(r"\bDMARC\b", re.I)


def sender_auth_status(reply: str) -> str | None:
    """The sender-authentication status a reply line carries (``"5.7.26"``), ``"DMARC"`` for one
    that names DMARC in words only (:data:`_SENDER_AUTH_WORDS`), or None.

    Such a refusal is about *us* — our domain's SPF, DKIM or DMARC, our
    reverse DNS — not about the recipient: every letter gets it until the
    DNS or ``delivery.dkim`` is fixed. It is looked for anywhere in the line,
    so a reply read back from the journal or the summary (``"550 5.7.26 …"``,
    ``"550 sender <…> refused: 5.7.26 …"``) is recognised too.
    """
    found = _SENDER_AUTH.search(reply)
    if found is not None:
        return found.group(0)
    return "DMARC" if _SENDER_AUTH_WORDS.search(reply) else None


#: RFC 7504: "521 Host does not accept mail" — the whole host refuses us, whatever follows
#: the code: AOL blocks a sender's IP with "521 5.2.1 : AOL will not accept delivery of this
#: message" (its 5.2.1 would otherwise read "mailbox disabled"). Never about one mailbox.
HOST_REFUSES_MAIL = 521


def classify_reply(key: JournalKey, code: int, text: str, *, recipient_accepted: bool = False) -> SendResult:
    """Turn an SMTP reply into a result.

    In this order, for a 5xx reply:

    1. a sender-authentication refusal (RFC 7372 5.7.20-5.7.27, Exchange Online's 5.7.509 and
       5.7.515, or DMARC named in the words: :func:`sender_auth_status`) is
       ``temporary`` with a ``fault``: our SPF/DKIM/DMARC is broken, not the letter, so the letter
       goes to ``retry`` (until its deadline) instead of a final ``failed`` no command resends,
       the batch's :class:`Breaker` counts it, and the address is never suppressed;
    2. ``unknown_user`` by enhanced status (RFC 3463): ``5.1.x`` (addressing) or ``5.2.1``
       (mailbox disabled, not accepting messages — permanent in a 5xx reply);
    3. ``unknown_user`` by the reply's words (:data:`NO_MAILBOX_TEXTS`), whatever the code: a
       ``550 5.7.1 No such user!`` counts by its text;
    4. without an enhanced status, 550/551/553 — but not once the server has accepted the
       recipient (``recipient_accepted``: a reply to DATA or to the final dot), where a bare 550
       refuses the message, not the mailbox.

    Anything else (a 5.7.x spam or policy block above all) is ``permanent`` without
    ``unknown_user``: suppressing a client for our own reputation problem would be wrong. So is
    a 521 (:data:`HOST_REFUSES_MAIL`) whatever its status or words say.
    """
    if 200 <= code < 300:
        return SendResult(key, Outcome.OK, code, text)
    if 500 <= code < 600:
        enhanced = _ENHANCED.match(text)
        if (enhanced is not None and sender_auth_status(enhanced.group(0)) is not None) or (
            _SENDER_AUTH_WORDS.search(text) is not None
        ):
            refused = SendResult(key, Outcome.TEMPORARY, code, text)
            return replace(refused, fault=refused.reply)  # the reply names the cause: one summary line
        if enhanced is not None:
            status = (enhanced.group(1), enhanced.group(2), enhanced.group(3))
            unknown = status[:2] == ("5", "1") or status == ("5", "2", "1")
        else:
            unknown = code in (550, 551, 553) and not recipient_accepted
        unknown = (unknown or _no_mailbox_text(text)) and code != HOST_REFUSES_MAIL
        return SendResult(key, Outcome.PERMANENT, code, text, unknown_user=unknown)
    return SendResult(key, Outcome.TEMPORARY, code, text)


#: The enhanced-status classes (RFC 3463 X.<class>.Y; "" for a reply without one) a setup refusal
#: may come with: other (5.0), policy (5.7), also protocol (5.5: Postfix's 504 5.5.2 for a
#: non-FQDN name) and, for the sender, addressing (5.1: 5.1.0, 5.1.7, 5.1.8).
_POLICY: Final = frozenset({"", "0", "7"})
_SYNTAX_OR_POLICY: Final = _POLICY | {"5"}
_SENDER_CLASSES: Final = _SYNTAX_OR_POLICY | {"1"}

#: Refusals of MAIL FROM or RCPT TO that are about greeter's own setup, not about the letter:
#: (kind, the reply text, the enhanced-status classes it may come with — ``""`` for none —,
#: where it was seen). Every letter of the batch gets the same answer, so each is a halt
#: (:func:`setup_refusal`), not a ``failed`` per letter. Matched case-insensitively in 5xx
#: replies only; each text names the relaying, the EHLO name, the *sender* or the *client host*
#: (its address, a blocklist it is on), never a mailbox — Postfix's "Recipient address rejected:
#: User unknown in relay recipient table" is none of them, nor its reject_rhsbl_recipient's
#: "Recipient address [b.example] blocked using dbl.spamhaus.org" (the recipient's domain listed).
SETUP_TEXTS: Final[tuple[tuple[str, re.Pattern[str], frozenset[str], str], ...]] = (
    # Postfix reject_unauth_destination (greeter's host not in mynetworks, no SASL login):
    # "554 5.7.1 <rcpt>: Relay access denied"; Exchange Online "550 5.7.64 TenantAttribution;
    # Relay Access Denied".
    (RELAY_DENIED, re.compile(r"\brelay access denied\b", re.I), _POLICY, "Postfix"),
    # Sendmail "550 5.7.1 <rcpt>... Relaying denied" (also "… Proper authentication required."),
    # Exim's default configuration "550 relay not permitted", others "Relaying not permitted/allowed".
    (
        RELAY_DENIED,
        re.compile(r"\brelay(?:ing)? (?:denied|not permitted|not allowed|prohibited)\b", re.I),
        _POLICY,
        "Sendmail; Exim; others",
    ),
    # Exchange: "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"; before 2013
    # "550 5.7.1 Unable to relay".
    (RELAY_DENIED, re.compile(r"\bunable to relay\b", re.I), _POLICY, "Exchange"),
    # qmail: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)".
    (RELAY_DENIED, re.compile(r"\ballowed rcpthosts\b", re.I), _POLICY, "qmail"),
    # Postfix smtpd_helo_restrictions, said at RCPT TO with smtpd_delay_reject=yes (the default):
    # "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname", "… Invalid
    # name", "550 5.7.1 <host>: Helo command rejected: Host not found".
    (HELO_REJECTED, re.compile(r"\bhelo command rejected\b", re.I), _SYNTAX_OR_POLICY, "Postfix"),
    # Exim and hand-written ACLs: "550 HELO/EHLO must contain a FQDN", "… not a fully qualified …".
    (
        HELO_REJECTED,
        re.compile(r"\b(?:HELO|EHLO)\b.*(?:\bFQDN\b|\bfully[- ]qualified\b)", re.I | re.S),
        _SYNTAX_OR_POLICY,
        "Exim ACLs",
    ),
    # Postfix smtpd_sender_restrictions (at RCPT TO with smtpd_delay_reject=yes): "553 5.7.1
    # <from>: Sender address rejected: not owned by user …", "550 5.1.0 <from>: Sender address
    # rejected: Domain not found", "504 5.5.2 …: need fully-qualified address".
    (
        SENDER_REJECTED,
        re.compile(r"\bsender address rejected\b", re.I),
        _SENDER_CLASSES,
        "Postfix",
    ),
    # Sendmail: "553 5.1.8 <from>... Domain of sender address from@x does not exist",
    # "553 5.5.4 <from>... Domain name required for sender address from".
    (
        SENDER_REJECTED,
        re.compile(r"\bdomain of sender address\b|\bdomain name required for sender address\b", re.I),
        _SENDER_CLASSES,
        "Sendmail",
    ),
    # Exim verify = sender: "550-Verification failed for <from>" / "550 Sender verify failed".
    (SENDER_REJECTED, re.compile(r"\bsender verify failed\b", re.I), _SENDER_CLASSES, "Exim"),
    # Exchange: "550 5.7.60 SMTP; Client does not have permissions to send as this sender".
    (
        SENDER_REJECTED,
        re.compile(r"\bpermissions? to send as this sender\b", re.I),
        _POLICY,
        "Exchange",
    ),
    # Postfix reject_rbl_client (default_rbl_reply: "$rbl_class [$rbl_what] blocked using
    # $rbl_domain", the class "Client host"): "554 5.7.1 Service unavailable; Client host
    # [203.0.113.5] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/…" (Postfix's
    # own src/smtpd/smtpd_exp.ref; simplefastwebsites.com/errors/email/smtp-554-5-7-1-client-host-
    # blocked-spamhaus); Exchange Online Protection "550 5.7.1
    # Service unavailable, Client host [x] blocked using Spamhaus. … (AS16012611)"
    # (smtpfieldmanual.com/spamfilter/exchangeonline).
    (
        HOST_BLOCKED,
        re.compile(r"\bclient(?: host)? \[[^\]\s]+\] blocked using\b", re.I),
        _POLICY,
        "Postfix; EOP",
    ),
    # Postfix client restrictions said as a 5xx (reject_unknown_client_hostname, check_client_access
    # with REJECT, reject_unknown_reverse_client_hostname): "550 5.7.1 Client host rejected: cannot
    # find your hostname, [203.0.113.5]", "554 5.7.1 <unknown[203.0.113.5]>: Client host rejected:
    # Access denied". Postfix says "Client host rejected" for smtpd_client_restrictions only.
    (HOST_BLOCKED, re.compile(r"\bclient host rejected\b", re.I), _POLICY, "Postfix"),
    # Exim's default dnslists message: "550 rejected because 203.0.113.5 is in a black list at
    # zen.spamhaus.org" ($sender_host_address, $dnslist_domain: always the client's address).
    (HOST_BLOCKED, re.compile(r"\bis in a black ?list at\b", re.I), _POLICY, "Exim"),
    # Sendmail FEATURE(dnsbl): "550 5.7.1 Rejected: 203.0.113.5 listed at zen.spamhaus.org"
    # (sendmail, 4th Edition, §7.2.1); the address must be an IP (the client's).
    (
        HOST_BLOCKED,
        re.compile(r"\brejected: \[?[0-9a-f.:]*[.:][0-9a-f.:]+\]? listed at\b", re.I),
        _POLICY,
        "Sendmail",
    ),
    # Exchange Online Protection: "550 5.7.606 Access denied, banned sending IP [203.0.113.5]" (5.7.606
    # to 5.7.608, smtpfieldmanual.com/spamfilter/exchangeonline), "550 5.7.708 Service unavailable.
    # Access denied, traffic not accepted from this IP" (mxio.io/learn/errors/ip-blocked-o365-5-7-708).
    (
        HOST_BLOCKED,
        re.compile(r"\bbanned sending IP\b|\btraffic not accepted from this IP\b", re.I),
        _POLICY,
        "Exchange Online",
    ),
    # Outlook.com: "550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. Please contact
    # your Internet service provider since part of their network is on our block list (S3150)".
    (
        HOST_BLOCKED,
        re.compile(r"\bpart of their network is on our block\s?list\b", re.I),
        _POLICY,
        "Outlook.com",
    ),
    # Gmail: "550-5.7.1 [203.0.113.5] The IP you're using to send mail is not authorized to send
    # email directly to our servers. Please use the SMTP relay at your service provider instead."
    # (spamresource.com/2024/04/gmail-rejection-your-sending-ip-address.html).
    (
        HOST_BLOCKED,
        re.compile(r"\bThe IP you(?:'|’)re using to send mail is not authorized\b", re.I),
        _POLICY,
        "Gmail",
    ),
    # Yahoo: "553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.5, because the ip is
    # in Spamhaus's list" (Yahoo's SMTP error table, as GlockApps' Yahoo blocklist guide quotes it).
    (HOST_BLOCKED, re.compile(r"\bconnections will not be accepted from\b", re.I), _POLICY, "Yahoo"),
)

#: The blocklist a :data:`HOST_BLOCKED` refusal names, for its fix: Postfix's "blocked using
#: zen.spamhaus.org", Exim's "in a black list at …", Sendmail's "listed at …".
_NAMED_LIST = re.compile(
    r"\b(?:blocked using|black ?list at|listed at)\s+([A-Za-z0-9](?:[\w-]*\.)*[\w-]*[A-Za-z0-9])", re.I
)

#: RFC 3463 statuses that name the sender whatever the words: 5.1.7 bad sender's mailbox address
#: syntax, 5.1.8 bad sender's system address (Sendmail's "Domain of sender address … does not exist").
_SENDER_STATUS = re.compile(r"^\s*5\.1\.[78]\b")


def setup_refusal(code: int, text: str) -> str | None:
    """Which part of greeter's own setup a refusal of MAIL FROM or RCPT TO is about (a key of
    :data:`HALT_WORDS`: relay, EHLO name, sender, host), or None: a refusal of that one letter.

    Why a halt: a relay that does not relay for greeter's host, frowns at its EHLO name,
    refuses its envelope sender or refuses its host outright (a DNS blocklist, a client check)
    answers every letter alike — 40,000 New Year letters marked ``failed`` one after another,
    where one setting (or one listing) was to change. The rule is conservative: a 5xx reply
    whose words are one of :data:`SETUP_TEXTS` (with an enhanced status of a class listed
    there, or none), a sender status 5.1.7/5.1.8, or a 521 (RFC 7504, :data:`HOST_REFUSES_MAIL`:
    the host refuses us, whatever it says). A refusal of our mail as unauthenticated
    (SPF/DKIM/DMARC, reverse DNS 5.7.25: :func:`sender_auth_status`) keeps its own handling (a
    ``fault``, the breaker); a ``550 5.1.1 user unknown`` or a ``5.7.1`` spam or policy block of
    one letter is no setup refusal: it stays that letter's ``failed``. A 4xx (Postfix's ``450
    4.7.1 Client host rejected: cannot find your hostname`` when its DNS times out) stays
    ``temporary``.
    """
    if not 500 <= code < 600 or sender_auth_status(text) is not None:
        return None
    if code == HOST_REFUSES_MAIL:
        return HOST_BLOCKED
    enhanced = _ENHANCED.match(text)
    status_class = enhanced.group(2) if enhanced is not None else ""
    for kind, pattern, classes, _ in SETUP_TEXTS:
        if status_class in classes and pattern.search(text):
            return kind
    return SENDER_REJECTED if _SENDER_STATUS.match(text) else None


def setup_fix(
    kind: str, said: str, *, sender: str, return_path: bool, ehlo: str | None, logged_in: bool
) -> str:
    """What to change for a :func:`setup_refusal` of ``kind``, in words with the reply (``said``).

    ``sender``: the envelope sender (MAIL FROM), ``return_path``: whether it is
    ``delivery.return_path`` rather than ``sender.email``; ``ehlo``: the name greeter gave;
    ``logged_in``: whether it logged in (``delivery.smtp.username``) — a relay denied then is
    the login's, not the host's. A host blocked names the list the reply names, if any: no
    setting of greeter's cures it, only the listing's removal, the relay's admin, or another relay.
    """
    if kind == HOST_BLOCKED:
        named = _NAMED_LIST.search(said)
        check = (
            f"check this host's IP address on {named.group(1)} and ask for its removal"
            if named is not None
            else "check whether this host's IP address is on a blocklist or lacks reverse DNS"
        )
        return (
            f"the server refuses greeter's host ({said}): {check}, ask the relay's admin to accept "
            "this host, or send through the relay this network is authorised to use (delivery.smtp.host)"
        )
    if kind == RELAY_DENIED:
        if logged_in:
            return (
                f"the server does not relay for this login ({said}): let delivery.smtp.username relay "
                "(Postfix smtpd_relay_restrictions: permit_sasl_authenticated)"
            )
        return (
            f"the server does not relay for this host ({said}): add it to the relay's trusted networks "
            "(Postfix mynetworks) or log in (delivery.smtp.username)"
        )
    if kind == HELO_REJECTED:
        name = f" {ehlo!r}" if ehlo else ""
        return (
            f"the server refuses greeter's EHLO name{name} ({said}): set delivery.smtp.helo_name to this "
            "host's fully qualified name"
        )
    setting = "delivery.return_path" if return_path else "sender.email (or delivery.return_path)"
    return f"the server refuses the sender <{sender}> ({said}): check {setting} and the domain's DNS"


class CleanLetter(bytes):
    """A letter's bytes already known to need no rewriting for SMTP DATA: see :func:`is_clean`.

    The build workers (:mod:`greeter.build_pool`) check each letter they build
    and hand it over as this type, so the sending process — the one that is
    the bottleneck of a large send — appends the final dot instead of scanning
    6 KB four times for line endings and leading dots (~0.1 M instructions a
    letter, an eighth of the send path). Anything else (a retry's stored
    bytes, a letter built in-process) is plain ``bytes`` and checked on the way out.
    """

    __slots__ = ()


def is_clean(data: bytes) -> bool:
    """Whether ``data`` is CRLF-only, ends with CRLF and has no line starting with ``.``.

    Such bytes go into DATA as they are, followed by ``.\\r\\n``
    (:func:`greeter.smtp_transport.dot_stuffed`).
    """
    crlf = data.count(b"\r\n")
    return (
        data.count(b"\r") == crlf
        and data.count(b"\n") == crlf
        and data.endswith(b"\r\n")
        and not data.startswith(b".")
        and b"\n." not in data
    )


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


async def _as_async(items: Iterable[T] | AsyncIterable[T]) -> AsyncIterator[T]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


async def run_batch(
    send: Callable[[T], Awaitable[SendResult | None]],
    items: Iterable[T] | AsyncIterable[T],
    *,
    concurrency: int,
    limiter: RateLimiter | None = None,
) -> AsyncIterator[SendResult]:
    """Send ``items`` with at most ``concurrency`` in flight; yield results as they complete.

    Items are pulled lazily, one each time a sender is free and the rate
    limiter allows a send — so a generator that *claims* each greeting in the
    journal as it yields it claims right before the message goes out, not
    minutes earlier while it waits in a queue. An error raised by ``items`` or
    ``send`` stops the batch: nothing more is pulled, the sends in flight end
    normally (cutting one off mid-transaction would leave its letter
    ``uncertain``), and the error is re-raised here. ``send`` may return None
    for an item it decided not to send (not yielded).
    """
    source = _as_async(items)
    pull = asyncio.Lock()
    results: asyncio.Queue[SendResult | BaseException | None] = asyncio.Queue()
    failed = asyncio.Event()

    async def worker() -> None:
        try:
            while not failed.is_set():
                async with pull:
                    if failed.is_set():
                        return
                    if limiter is not None:
                        await limiter.acquire()
                    try:
                        item = await anext(source)
                    except StopAsyncIteration:
                        if limiter is not None:
                            limiter.refund()
                        return
                outcome = await send(item)
                if outcome is not None:
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
    """A readable, filesystem-safe, collision-free file name for a greeting.

    Derived from the journal key like the Message-ID, so a resend of the same
    greeting replaces its file instead of adding a second one.
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
#: may read it (give them that group); the other users of the machine may not.
EML_FILE_MODE = GROUP_FILE_MODE


class FileTransport:
    """Writes each message to ``outbox/<name>.eml`` — the embedded default and for review.

    Written to a temporary file and renamed, so a reader (or a pickup
    daemon) never sees half a message.
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
        make_group_folder(self.outbox)  # 0750: its file names say clients' ids and birthdays
        final = self.outbox / name
        tmp = self.outbox / f".{name}.{uuid.uuid4().hex}.tmp"
        try:
            with open_group_readable(tmp, new=True) as fh:  # whatever the umask: never readable by every user
                fh.write(data)
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return final

    async def send(
        self, envelope_from: str, rcpt: str, data: bytes, key: JournalKey, *, ready: OnReady | None = None
    ) -> SendResult | None:
        if ready is not None and not await ready():
            return None
        try:
            path = await asyncio.to_thread(self._write, eml_name(key), data)
        except OSError as exc:
            return SendResult(key, Outcome.TEMPORARY, None, outbox_unwritable(self.outbox, exc))
        return SendResult(key, Outcome.OK, 250, f"written to {path}")

    def send_many(
        self, items: Iterable[Outgoing] | AsyncIterable[Outgoing], *, limiter: RateLimiter | None = None
    ) -> AsyncIterator[SendResult]:
        return send_many(self, items, concurrency=1, limiter=limiter)

    async def close(self) -> None:
        return None
