"""What an SMTP server's reply means for a letter: the pure classifier, and its tables of words.

:func:`classify_reply` turns a reply into a :class:`~greeter.transport.SendResult`
(``ok``, ``temporary``, ``permanent``, and whether the mailbox does not exist);
:func:`sender_auth_status` tells a refusal of our own authentication (SPF/DKIM/DMARC)
from one about the recipient; :func:`setup_refusal` tells a refusal of greeter's own
setup (relay, EHLO name, sender, host), which stops a batch, from one of a single
letter, and :func:`setup_fix` says what to change for it. Pure: no I/O, only the
reply's code and words. Split out of :mod:`greeter.transport` (the transports'
interface and the file transport), which the SMTP transport, the bounce import and
the delivery health all read it beside.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from greeter.journal_store import JournalKey
from greeter.transport import HELO_REJECTED, HOST_BLOCKED, RELAY_DENIED, SENDER_REJECTED, Outcome, SendResult

__all__ = [
    "HOST_REFUSES_MAIL",
    "NO_MAILBOX_TEXTS",
    "SETUP_TEXTS",
    "classify_reply",
    "provider_throttle",
    "sender_auth_status",
    "sending_quota",
    "setup_fix",
    "setup_refusal",
]

#: The patterns here are text, compiled on first use by re's own cache: a send whose letters
#: the server accepts matches none of them (compiling all 31 at import was ~18 M instructions of
#: every start).
_ENHANCED: Final = r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b"

#: Reply texts that say the mailbox does not exist (or is closed for good) whatever status code
#: the server put in front of them, matched case-insensitively in 5xx replies only. Each entry
#: is unambiguous — no spam or policy block words it so — and names where it was seen. Providers
#: that put a code of their own on a missing mailbox are why a code alone is not enough: Yandex
#: answers ``550 5.7.1 No such user!``, a 5.7.x that otherwise means "refused by policy".
NO_MAILBOX_TEXTS: Final[tuple[tuple[str, str], ...]] = (
    # RFC 5321 §3.3 (as RFC 2821): an undeliverable recipient gets "a 550 reply, typically with a
    # string such as 'no such user - ' and the mailbox name";
    # Yandex lists "No such user" as "the email was sent to a non-existing address"
    # (yandex.com/support/mail/bounces/yandex.html) and its MX says "550 5.7.1 No such user!";
    # Mail.ru: "User not found" / "No such user" — the address was deleted (mailout.ru/2015/09).
    (r"(?i)\bno such user\b", "RFC 5321 §3.3; Yandex; Mail.ru"),
    # Listed among the non-existing-address replies in yandex.com/support/mail/bounces/other.html,
    # and said by Mail.ru (mailout.ru/2015/09).
    (r"(?i)\buser not found\b", "Yandex bounce table; Mail.ru"),
    (r"(?i)\buser unknown\b", "Yandex bounce table (other.html)"),
    # "Invalid mailbox" (yandex.com/support/mail/bounces/other.html); Mail.ru's MX words it
    # "550 Message was not accepted -- invalid mailbox".
    (r"(?i)\binvalid mailbox\b", "Yandex bounce table; Mail.ru"),
    # Exchange Online Directory-Based Edge Blocking: a recipient not in the tenant's directory is
    # refused at the edge with "550 5.4.1 Recipient address rejected: Access denied"
    # (thomasjuhlolesen.dk/2021/10/directory-based-edge-blocking-causing-550-5-4-1-ndr.html). Only
    # with 5.4.1: Postfix's check_recipient_access says "Access denied" for any policy REJECT.
    (
        r"(?is)^\s*5\.4\.1\b.*\brecipient address rejected: access denied\b",
        "Exchange Online DBEB",
    ),
)


def _no_mailbox_text(text: str) -> bool:
    """Whether a 5xx reply's text says the mailbox does not exist (:data:`NO_MAILBOX_TEXTS`)."""
    return any(re.search(pattern, text) for pattern, _ in NO_MAILBOX_TEXTS)


#: RFC 7372 §3 and RFC 7505 §4 (null MX): 5.7.20 no passing DKIM signature, 5.7.21 no acceptable
#: one, 5.7.22 none author-matched, 5.7.23 SPF failed, 5.7.24 SPF error, 5.7.25 reverse DNS
#: failed, 5.7.26 multiple authentication checks failed (Gmail's DMARC refusal "550 5.7.26 …
#: unauthenticated"), 5.7.27 the sender's domain has a null MX; Exchange Online's own 5.7.509
#: (DMARC failed under p=reject) and 5.7.515 (a bulk sender without the authentication it demands).
_SENDER_AUTH: Final = r"(?<![\d.])5\.7\.(?:2[0-7]|509|515)(?![\d.])"

#: Refusals that name DMARC in words behind a generic status: Gmail's "550 5.7.1 Unauthenticated
#: email from example.com is not accepted due to domain's DMARC policy", Exim's "550 5.7.1 This
#: message was not accepted due to domain owner DMARC policy (RFC 7489)". Exchange Online says
#: 5.7.509 ("sending domain … does not pass DMARC verification") and, for a bulk sender without
#: SPF+DKIM+DMARC, 5.7.515 ("doesn't meet the required authentication level"): in the pattern above.
#: DMARC is an authentication check on *our* domain alone; no reply names it about a recipient.
_SENDER_AUTH_WORDS: Final = r"(?i)\bDMARC\b"


def sender_auth_status(reply: str) -> str | None:
    """The sender-authentication status a reply line carries (``"5.7.26"``), ``"DMARC"`` for one
    that names DMARC in words only (:data:`_SENDER_AUTH_WORDS`), or None.

    Such a refusal is about *us* — our domain's SPF, DKIM or DMARC, our
    reverse DNS — not about the recipient: every letter gets it until the
    DNS or ``delivery.dkim`` is fixed. It is looked for anywhere in the line,
    so a reply read back from the journal or the summary (``"550 5.7.26 …"``,
    ``"550 sender <…> refused: 5.7.26 …"``) is recognised too.
    """
    found = re.search(_SENDER_AUTH, reply)
    if found is not None:
        return found.group(0)
    return "DMARC" if re.search(_SENDER_AUTH_WORDS, reply) else None


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
        if sending_quota(code, text):  # our account's quota, not the letter: held back, then retried
            return SendResult(key, Outcome.TEMPORARY, code, text, throttled=True)
        enhanced = re.match(_ENHANCED, text)
        if (enhanced is not None and sender_auth_status(enhanced.group(0)) is not None) or (
            re.search(_SENDER_AUTH_WORDS, text) is not None
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
    return SendResult(key, Outcome.TEMPORARY, code, text, throttled=provider_throttle(code, text))


#: A 4xx reply's words that say the provider is pushing back on how much or how fast we send,
#: not on one letter: Yandex 360 and Mail.ru "451 4.7.1 Rate limit exceeded", Gmail's "421 4.7.0
#: Try again later, closing connection" (a 421 counts whatever it says), "450 4.7.28 … unusual
#: rate of unsolicited mail", "452 4.5.3 Your message has too many recipients"; Exchange Online
#: "432 4.3.2 … sender thread limit exceeded", "421 4.7.66 … too many recipients"; Postfix's
#: anvil "421 4.7.0 … Error: too many connections", "450 4.7.1 … too many messages".
_THROTTLE_WORDS: Final = (
    r"(?is)\brate\b|\bthrottl|\btoo many\b|\btoo fast\b|\bslow down\b"
    r"|\b(?:limit|quota)s?\b.*\b(?:exceeded|reached)\b|\b(?:exceeded|reached)\b.*\b(?:limit|quota)s?\b"
)
#: Words of one recipient's mailbox, never of our account: "452 4.2.2 Mailbox full, quota exceeded".
_MAILBOX_WORDS: Final = r"(?i)\bmailbox\b|\binbox\b|\bover quota\b|\bstorage\b"


def provider_throttle(code: int, text: str) -> bool:
    """Whether a 4xx reply is the provider throttling *us* (rate, quota, too many), not one letter.

    Why it matters: a per-letter retry of a throttle kept handing over a new letter every few
    seconds into the refusals (40 sent, 10 more 451s in one run; 73 refusals to 20 accepted in
    4.6 minutes across runs) — a provider blocks an account for that. Such a reply stops the
    batch and holds new letters back (:mod:`greeter.provider_throttle`). Pure. A 421 always
    counts (the server closes the channel on us); another 4xx when its words say so
    (:data:`_THROTTLE_WORDS`) — unless its enhanced status is about an address or a mailbox
    (4.1.x, 4.2.x: Gmail's "450 4.2.1 The user … is receiving mail at a rate …" is that one
    recipient's) or its words name a mailbox. A greylisting "451 4.7.1 try again later" or a
    "450 mailbox busy" keeps its per-letter retry.
    """
    if not 400 <= code < 500:
        return False
    if code == 421:
        return True
    enhanced = re.match(_ENHANCED, text)
    if enhanced is not None and enhanced.group(2) in ("1", "2"):
        return False
    return re.search(_THROTTLE_WORDS, text) is not None and re.search(_MAILBOX_WORDS, text) is None


#: A 5xx reply's words or status that say our account ran out of its sending quota: Gmail's
#: "550 5.4.5 Daily user sending quota exceeded" and "550 5.4.5 Daily SMTP relay sending limit
#: exceeded for customer", Exchange Online's "554 5.2.0 STOREDRV.Submission.Exception:
#: SubmissionQuotaExceededException", "550 5.7.1 … message limit exceeded" (RFC 3463 5.4.5 is
#: "mail system congestion" — never one recipient's).
_SENDING_QUOTA: Final = (
    r"(?is)^\s*5\.4\.5\b|\bsending (?:quota|limit)s?\b.*\b(?:exceeded|reached)\b|\bSubmissionQuotaExceeded"
    r"|\bmessage limit (?:exceeded|reached)\b"
)


def sending_quota(code: int, text: str) -> bool:
    """Whether a 5xx reply is the provider refusing *us* for a spent sending quota. Pure.

    Such a reply is permanent only in form: Gmail answers every letter after the 500th of the
    day with "550 5.4.5 Daily user sending quota exceeded". Read as a letter's ``failed``, it
    failed the rest of a New Year batch for good, letter by letter, while the quota frees the
    next day. It is classed a throttle (:func:`provider_throttle`'s handling: the batch stops,
    later runs hold back for ``delivery.retry``'s back-off) and the letter goes to ``retry``.
    A mailbox's own quota ("552 5.2.2 mailbox full, quota exceeded") is not one.
    """
    if not 500 <= code < 600:
        return False
    return re.search(_SENDING_QUOTA, text) is not None and re.search(_MAILBOX_WORDS, text) is None


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
SETUP_TEXTS: Final[tuple[tuple[str, str, frozenset[str], str], ...]] = (
    # Postfix reject_unauth_destination (greeter's host not in mynetworks, no SASL login):
    # "554 5.7.1 <rcpt>: Relay access denied"; Exchange Online "550 5.7.64 TenantAttribution;
    # Relay Access Denied".
    (RELAY_DENIED, r"(?i)\brelay access denied\b", _POLICY, "Postfix"),
    # Sendmail "550 5.7.1 <rcpt>... Relaying denied" (also "… Proper authentication required."),
    # Exim's default configuration "550 relay not permitted", others "Relaying not permitted/allowed".
    (
        RELAY_DENIED,
        r"(?i)\brelay(?:ing)? (?:denied|not permitted|not allowed|prohibited)\b",
        _POLICY,
        "Sendmail; Exim; others",
    ),
    # Exchange: "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain"; before 2013
    # "550 5.7.1 Unable to relay".
    (RELAY_DENIED, r"(?i)\bunable to relay\b", _POLICY, "Exchange"),
    # qmail: "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)".
    (RELAY_DENIED, r"(?i)\ballowed rcpthosts\b", _POLICY, "qmail"),
    # Postfix smtpd_helo_restrictions, said at RCPT TO with smtpd_delay_reject=yes (the default):
    # "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname", "… Invalid
    # name", "550 5.7.1 <host>: Helo command rejected: Host not found".
    (HELO_REJECTED, r"(?i)\bhelo command rejected\b", _SYNTAX_OR_POLICY, "Postfix"),
    # Exim and hand-written ACLs: "550 HELO/EHLO must contain a FQDN", "… not a fully qualified …".
    (
        HELO_REJECTED,
        r"(?is)\b(?:HELO|EHLO)\b.*(?:\bFQDN\b|\bfully[- ]qualified\b)",
        _SYNTAX_OR_POLICY,
        "Exim ACLs",
    ),
    # Postfix smtpd_sender_restrictions (at RCPT TO with smtpd_delay_reject=yes): "553 5.7.1
    # <from>: Sender address rejected: not owned by user …", "550 5.1.0 <from>: Sender address
    # rejected: Domain not found", "504 5.5.2 …: need fully-qualified address".
    (
        SENDER_REJECTED,
        r"(?i)\bsender address rejected\b",
        _SENDER_CLASSES,
        "Postfix",
    ),
    # Sendmail: "553 5.1.8 <from>... Domain of sender address from@x does not exist",
    # "553 5.5.4 <from>... Domain name required for sender address from".
    (
        SENDER_REJECTED,
        r"(?i)\bdomain of sender address\b|\bdomain name required for sender address\b",
        _SENDER_CLASSES,
        "Sendmail",
    ),
    # Exim verify = sender: "550-Verification failed for <from>" / "550 Sender verify failed".
    (SENDER_REJECTED, r"(?i)\bsender verify failed\b", _SENDER_CLASSES, "Exim"),
    # Exchange: "550 5.7.60 SMTP; Client does not have permissions to send as this sender".
    (
        SENDER_REJECTED,
        r"(?i)\bpermissions? to send as this sender\b",
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
        r"(?i)\bclient(?: host)? \[[^\]\s]+\] blocked using\b",
        _POLICY,
        "Postfix; EOP",
    ),
    # Postfix client restrictions said as a 5xx (reject_unknown_client_hostname, check_client_access
    # with REJECT, reject_unknown_reverse_client_hostname): "550 5.7.1 Client host rejected: cannot
    # find your hostname, [203.0.113.5]", "554 5.7.1 <unknown[203.0.113.5]>: Client host rejected:
    # Access denied". Postfix says "Client host rejected" for smtpd_client_restrictions only.
    (HOST_BLOCKED, r"(?i)\bclient host rejected\b", _POLICY, "Postfix"),
    # Exim's default dnslists message: "550 rejected because 203.0.113.5 is in a black list at
    # zen.spamhaus.org" ($sender_host_address, $dnslist_domain: always the client's address).
    (HOST_BLOCKED, r"(?i)\bis in a black ?list at\b", _POLICY, "Exim"),
    # Sendmail FEATURE(dnsbl): "550 5.7.1 Rejected: 203.0.113.5 listed at zen.spamhaus.org"
    # (sendmail, 4th Edition, §7.2.1); the address must be an IP (the client's).
    (
        HOST_BLOCKED,
        r"(?i)\brejected: \[?[0-9a-f.:]*[.:][0-9a-f.:]+\]? listed at\b",
        _POLICY,
        "Sendmail",
    ),
    # Exchange Online Protection: "550 5.7.606 Access denied, banned sending IP [203.0.113.5]" (5.7.606
    # to 5.7.608, smtpfieldmanual.com/spamfilter/exchangeonline), "550 5.7.708 Service unavailable.
    # Access denied, traffic not accepted from this IP" (mxio.io/learn/errors/ip-blocked-o365-5-7-708).
    (
        HOST_BLOCKED,
        r"(?i)\bbanned sending IP\b|\btraffic not accepted from this IP\b",
        _POLICY,
        "Exchange Online",
    ),
    # Outlook.com: "550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. Please contact
    # your Internet service provider since part of their network is on our block list (S3150)".
    (
        HOST_BLOCKED,
        r"(?i)\bpart of their network is on our block\s?list\b",
        _POLICY,
        "Outlook.com",
    ),
    # Gmail: "550-5.7.1 [203.0.113.5] The IP you're using to send mail is not authorized to send
    # email directly to our servers. Please use the SMTP relay at your service provider instead."
    # (spamresource.com/2024/04/gmail-rejection-your-sending-ip-address.html).
    (
        HOST_BLOCKED,
        r"(?i)\bThe IP you(?:'|’)re using to send mail is not authorized\b",
        _POLICY,
        "Gmail",
    ),
    # Yahoo: "553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.5, because the ip is
    # in Spamhaus's list" (Yahoo's SMTP error table, as GlockApps' Yahoo blocklist guide quotes it).
    (HOST_BLOCKED, r"(?i)\bconnections will not be accepted from\b", _POLICY, "Yahoo"),
)

#: The blocklist a :data:`HOST_BLOCKED` refusal names, for its fix: Postfix's "blocked using
#: zen.spamhaus.org", Exim's "in a black list at …", Sendmail's "listed at …".
_NAMED_LIST: Final = (
    r"(?i)\b(?:blocked using|black ?list at|listed at)\s+([A-Za-z0-9](?:[\w-]*\.)*[\w-]*[A-Za-z0-9])"
)

#: RFC 3463 statuses that name the sender whatever the words: 5.1.7 bad sender's mailbox address
#: syntax, 5.1.8 bad sender's system address (Sendmail's "Domain of sender address … does not exist").
_SENDER_STATUS: Final = r"^\s*5\.1\.[78]\b"


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
    enhanced = re.match(_ENHANCED, text)
    status_class = enhanced.group(2) if enhanced is not None else ""
    for kind, pattern, classes, _ in SETUP_TEXTS:
        if status_class in classes and re.search(pattern, text):
            return kind
    return SENDER_REJECTED if re.match(_SENDER_STATUS, text) else None


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
        named = re.search(_NAMED_LIST, said)
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
