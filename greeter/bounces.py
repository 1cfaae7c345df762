"""``greeter suppress --from-bounces``: the relay's late bounces (RFC 3464 DSNs) onto the do-not-contact list.

greeter normally hands every letter to one relay, which answers ``250`` and
only later learns that the recipient's server refused it; the refusal comes back
by mail, as a delivery status notification to the envelope sender. The
synchronous path (:func:`greeter.reply_classes.classify_reply`) never sees it, so
without this a dead mailbox would be greeted at every occasion, year after year.

A report is read with Python's :mod:`email` package, never by hand: a
``multipart/report; report-type=delivery-status`` whose ``message/delivery-status``
part the parser splits into blocks (the first per message, then one per
recipient). Each recipient's verdict is the synchronous path's own rule
(:func:`classify_reply` on the reported SMTP reply, with the DSN's ``Status``
as its enhanced code): only a mailbox that does not exist (``5.1.x``) is
suppressed, never a policy, spam or sender-authentication refusal (``5.7.x``,
DMARC's ``5.7.26``) — our own reputation problem is not the client's. A delay
or a ``4.x.x`` is temporary and only counted; a message that is no such report
(an autoreply, a reader's answer) is skipped; a report that cannot be read is
a :class:`~greeter.errors.Problem` naming its file and why, and the rest go on.

A report is only believed about a letter greeter sent. Anyone can mail the
bounce mailbox a report saying any address does not exist; applied as it came,
one forged message would stop every greeting to a client greeter never wrote
to. So :func:`tie_to_greetings` keeps a bounce only when the journal holds the
letter it answers: the returned letter's Message-ID (from the headers a report
sends back, else one of greeter's quoted in its text) must be that of a greeting
to the same address; a report that returns no Message-ID at all is believed
only for an address the journal holds a letter handed over to (``sent`` or
``uncertain``). Any other report — a foreign Message-ID, an address never
written to — is counted and named, never applied.

Nothing of a message's body is printed or logged: the stored reason holds the
server's reply (as a synchronous bounce's does), the report's date and
Message-ID, and the greeting it answered.
"""

from __future__ import annotations

import errno
import fcntl
import mailbox
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import policy
from email.message import Message
from email.parser import BytesParser, HeaderParser
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path

from greeter.contacts import email_key, valid_email
from greeter.errors import ContactsError, ContactsUnavailableError, Problem
from greeter.journal_store import BOUNCED, JournalEntry, JournalKey
from greeter.reply_classes import classify_reply
from greeter.suppression import Intake

__all__ = ["HANDED_OVER", "Bounce", "Tally", "Tied", "messages", "read_report", "take_in", "tie_to_greetings"]

#: classify_reply wants a journal key for its result; a bounce's verdict needs none.
_NO_KEY: JournalKey = ("", "", date.min)
#: A DSN's ``Status`` (RFC 3464 §2.3.4, RFC 3463): class.subject.detail, maybe followed by a comment.
_STATUS = re.compile(r"([245])\.\d{1,3}\.\d{1,3}")
#: An SMTP reply code at the start of a ``Diagnostic-Code: smtp; 550 …``.
_REPLY_CODE = re.compile(r"([245]\d\d)(?:[\s-]+|$)")
#: The Message-ID greeter gives a greeting (:func:`greeter.message.make_message_id`).
_GREETER_ID = re.compile(r"<greeter\.[0-9a-f]{32}@[^<>\s]+>")
#: Any Message-ID (RFC 5322 msg-id) in the returned letter's header.
_ANY_ID = re.compile(r"<[^<>\s@]+@[^<>\s]+>")
#: The parts a report returns the bounced letter's header in (RFC 3462, RFC 3464, RFC 6533).
_HEADER_TYPES = ("text/rfc822-headers", "message/rfc822-headers", "message/global-headers")
_LETTER_TYPES = ("message/rfc822", "message/global")
#: The status parts of RFC 3464 and of RFC 6533 (internationalised addresses).
_STATUS_TYPES = ("message/delivery-status", "message/global-delivery-status")
#: Longest server reply kept in a reason: enough for any real one, not a page of someone's HTML.
_LONGEST_REPLY = 300


@dataclass(frozen=True, slots=True)
class Bounce:
    """One recipient a report says does not exist: the address, why, when, and the letter it answered."""

    address: str
    reason: str
    since: datetime | None
    #: The bounced letter's Message-ID, whoever made it, as the report returns it; None: it returns none.
    original_id: str | None = None
    #: The message that said so, as a problem names it: several recipients of one report are one report.
    report: str = ""


@dataclass
class Tally:
    """What a run read: the summary line's numbers, and each report that could not be read."""

    reports: int = 0
    bounces: list[Bounce] = field(default_factory=list)
    #: Refused for good, but not because the mailbox is missing (policy, spam, authentication…).
    refused: int = 0
    temporary: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)


#: Seconds to wait for the program writing an mbox (the MTA's local delivery) to let go of it.
MBOX_PATIENCE = 10.0


def messages(path: Path, *, patience: float = MBOX_PATIENCE) -> Iterator[tuple[str, bytes | OSError]]:
    """Each message under ``path`` with the name a problem gives it: a Maildir, an mbox, a folder of
    .eml files or one .eml file. One that cannot be read comes as its OSError, so the rest go on;
    ``path`` itself unreadable (missing, not a mailbox) raises :class:`ContactsError` (exit 2).

    An mbox is read under a shared lock (:func:`_wait_for_writer`): a bounce the MTA is
    appending at that moment was read half-written, its report cut off. A Maildir needs none:
    its messages appear whole (written in ``tmp/``, then renamed)."""
    box: mailbox.Maildir | None = None
    keys: list[str] = []  # a Maildir's keys, an mbox's
    files: list[Path] = []
    if path.is_dir():
        try:
            if all((path / sub).is_dir() for sub in ("cur", "new")):
                box = mailbox.Maildir(path, factory=None, create=False)
                keys = sorted(box.iterkeys())
            else:
                files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".eml" and p.is_file())
        except OSError as exc:
            raise ContactsError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
        if box is not None:
            for key in keys:
                yield from _one(f"{path}: message {key}", partial(box.get_bytes, key))
            return
        if not files:
            raise ContactsError(f"{path}: neither a Maildir (cur/, new/) nor a folder of .eml files")
        for file in files:
            yield from _one(str(file), file.read_bytes)
        return
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ContactsError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    with fh:
        try:
            start = fh.read(5)
            if start == b"From ":
                _wait_for_writer(fh.fileno(), path, patience)  # held until fh closes, after the last
            mbox = mailbox.mbox(path, factory=None, create=False) if start == b"From " else None
            keys = list(mbox.iterkeys()) if mbox is not None else []  # reads the whole file once
        except OSError as exc:
            if isinstance(exc, ContactsError):
                raise
            raise ContactsError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
        if mbox is None:
            yield from _one(str(path), path.read_bytes)
            return
        for number, key in enumerate(keys, 1):
            yield from _one(f"{path}: message {number}", partial(mbox.get_bytes, key))


def _wait_for_writer(fd: int, path: Path, patience: float) -> None:
    """Take a shared lock on the mbox once no one writes it: its dot-lock gone, an fcntl read lock had.

    Postfix's local delivery, like procmail and most MTAs on Linux, takes both
    (``mailbox_delivery_lock = fcntl, dotlock``) while it appends; a reader that
    waits for both never sees half a message. Shared: other readers go on.
    After ``patience`` seconds, :class:`ContactsUnavailableError` (exit 75: try again later).
    """
    dotlock = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + patience
    while True:
        if not dotlock.exists():
            try:
                fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
        if time.monotonic() >= deadline:
            raise ContactsUnavailableError(
                f"{path}: the mailbox is being written (locked by its mail server's delivery) for "
                f"{patience:g} s; nothing read, try again in a moment"
            )
        time.sleep(0.05)


def _one(name: str, read: Callable[[], bytes]) -> Iterator[tuple[str, bytes | OSError]]:
    try:
        yield name, read()
    except OSError as exc:
        yield name, exc


def take_in(path: Path, now: datetime) -> Tally:
    """Every report under ``path`` read (:func:`read_report`) and tallied."""
    tally = Tally()
    for name, raw in messages(path):
        if isinstance(raw, OSError):
            tally.problems.append(Problem(name, "", f"cannot be read: {raw.strerror or raw}; skipped"))
            continue
        read_report(raw, name, now, tally)
    return tally


def read_report(raw: bytes, name: str, now: datetime, tally: Tally) -> None:
    """One message into ``tally``: a report's recipients, else skipped, else a problem naming ``name``.

    The parser keeps going through broken MIME (it records defects), but its
    header classes have raised on hostile input before: whatever a message
    does to them, it is one problem line, never a traceback that stops the import.
    """
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        if not message.keys():
            tally.problems.append(Problem(name, "", "not an e-mail message (no header lines); skipped"))
            return
        if not is_report(message):
            tally.skipped += 1
            return
        _read_recipients(message, name, now, tally)
    except Exception as exc:  # see the docstring: a bad message is reported, the import goes on
        tally.problems.append(Problem(name, "", f"cannot be parsed ({type(exc).__name__}); skipped"))


def is_report(message: Message) -> bool:
    """Whether ``message`` is a delivery status notification (not a read receipt, not an autoreply)."""
    if message.get_content_type() != "multipart/report":
        return False
    return str(message.get_param("report-type", "")).lower() in ("delivery-status", "global-delivery-status")


def _read_recipients(message: Message, name: str, now: datetime, tally: Tally) -> None:
    status = next((p for p in message.walk() if p.get_content_type() in _STATUS_TYPES), None)
    blocks = status.get_payload() if status is not None else None
    if not isinstance(blocks, list) or len(blocks) < 2:
        what = "no message/delivery-status part" if status is None else "no per-recipient block in it"
        tally.problems.append(Problem(name, "", f"a delivery status report with {what}; skipped"))
        return
    tally.reports += 1
    evidence = _evidence(message, now)
    original = _original_id(message)
    for number, block in enumerate(blocks[1:], 1):
        why = _recipient(block, evidence, original, name, tally)
        if why is not None:
            tally.problems.append(Problem(name, f"recipient {number}", f"{why}; not suppressed"))


def _recipient(
    block: Message, evidence: tuple[str, datetime | None], original: str | None, name: str, tally: Tally
) -> str | None:
    """Tally one per-recipient block; what is wrong with it, or None."""
    action = str(block.get("Action", "")).strip().lower()
    status = _STATUS.match(str(block.get("Status", "")).strip())
    if not action:
        return "no Action field"
    if status is None:
        return f"no valid Status field ({_short(str(block.get('Status', '')))!r})"
    if action in ("delivered", "relayed", "expanded"):  # a success notice: nothing to do
        return None
    if action == "delayed" or status.group(1) != "5":
        tally.temporary += 1
        return None
    if action != "failed":
        return f"unknown Action {_short(action)!r}"
    # The address greeter wrote to is the original one; the final one may be an alias it expanded to.
    recipient = _address(block.get("Original-Recipient")) or _address(block.get("Final-Recipient"))
    if recipient is None:
        return "no valid Final-Recipient address"
    code, reply = _reply(status.group(0), str(block.get("Diagnostic-Code", "")))
    if not classify_reply(_NO_KEY, code, reply).unknown_user:
        tally.refused += 1
        return None
    text, since = evidence
    tally.bounces.append(Bounce(recipient, f"{BOUNCED} {code} {reply} ({text})", since, original, name))
    return None


def _address(header: object) -> str | None:
    """``rfc822; ivan@example.com`` (or RFC 6533's ``utf-8;``) as greeter keeps an address, or None."""
    if header is None:
        return None
    kind, _, value = " ".join(str(header).split()).partition(";")
    if kind.strip().lower() not in ("rfc822", "utf-8"):
        return None
    return valid_email(value.strip().strip("<>").strip())


def _reply(status: str, diagnostic: str) -> tuple[int, str]:
    """The reported SMTP reply as classify_reply takes it: a code, and text that starts with an
    enhanced status (the diagnostic's own, else the DSN's ``Status``, which RFC 3464 requires).

    Except a ``Status`` of ``X.0.0`` in front of a reply that had none: Postfix writes
    ``Status: 5.0.0`` for a server's bare ``550 No such mailbox``, a status that says nothing,
    and would keep the bare 550 from meaning what it means when greeter gets it at RCPT.
    """
    kind, _, text = " ".join(diagnostic.split()).partition(";")
    text = text.strip() if kind.strip().lower() == "smtp" else (text or kind).strip()
    found = _REPLY_CODE.match(text)
    code = int(found.group(1)) if found is not None and found.group(1)[0] == status[0] else 550
    if found is not None:
        text = text[found.end() :]
    own = _STATUS.match(text)
    if own is None and status[1:] == ".0.0" and found is not None:
        pass  # the reporting MTA's filler for a reply without a status (Postfix): classify the bare reply
    elif own is None:
        text = f"{status} {text}".strip()
    elif found is not None:  # the code and status each further line of a multi-line reply repeats
        text = re.sub(rf"\s{found.group(1)}[\s-]+{re.escape(own.group(0))}\s", " ", text)
    return code, _short(text, _LONGEST_REPLY)


def _evidence(message: Message, now: datetime) -> tuple[str, datetime | None]:
    """The report's own mark for the reason (its date and Message-ID), and its date as the entry's —
    the bounce is the evidence, as an opt-out's date is — or None (the import's time) when it has
    none, or one that lies ahead (a sender's clock that is wrong)."""
    since: datetime | None = None
    try:
        since = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        since = None
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    day = f"report of {since:%Y-%m-%d}" if since is not None else "report without a date"
    report_id = " ".join(str(message.get("Message-ID", "")).split())
    text = f"{day}, Message-ID {_short(report_id)}" if report_id else day
    return text, (since if since is not None and since <= now else None)


def _original_id(message: Message) -> str | None:
    """The bounced letter's Message-ID as the report returns it, or None when it returns none.

    First the returned header (a ``text/rfc822-headers`` part, or the letter
    itself in a ``message/rfc822`` one), whoever's the id is: a foreign one
    there means the report is about someone else's letter, and must not be
    read as greeter's. Only a report that returns no header with an id is
    searched for one of greeter's quoted in its text, as some MTAs write it.
    """
    quoted: str | None = None
    for part in message.walk():
        kind = part.get_content_type()
        headers: Message | None = None
        if kind in _HEADER_TYPES:
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                headers = HeaderParser(policy=policy.default).parsestr(payload.decode("utf-8", "replace"))
        elif kind in _LETTER_TYPES:
            inner = part.get_payload()
            headers = (
                inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], Message) else None
            )
        elif kind == "text/plain" and quoted is None:
            text = part.get_payload(decode=True)
            found = _GREETER_ID.search(text.decode("utf-8", "replace")) if isinstance(text, bytes) else None
            quoted = found.group(0) if found is not None else None
        returned = _ANY_ID.search(str(headers.get("Message-ID", ""))) if headers is not None else None
        if returned is not None:
            return returned.group(0)
    return quoted


def _short(text: str, most: int = 120) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


#: The states of a greeting whose letter greeter handed to a server (``uncertain``: maybe): a report
#: that returns no Message-ID is believed only about an address one of these went to.
HANDED_OVER: tuple[str, ...] = ("sent", "uncertain")


@dataclass
class Tied:
    """The bounces tied to greeter's letters, as an :class:`Intake` to store, and those that are not."""

    intake: Intake = field(default_factory=Intake)
    ignored: list[Bounce] = field(default_factory=list)

    def ignored_line(self, most: int = 10) -> str | None:
        """What stderr says of the ignored, or None: how many reports, which addresses (``most`` named:
        a flood of forged reports is one line, not a page)."""
        if not self.ignored:
            return None
        addresses = list(dict.fromkeys(b.address for b in self.ignored))
        named = ", ".join(addresses[:most]) + (
            f" and {len(addresses) - most} more" if len(addresses) > most else ""
        )
        reports = len({b.report for b in self.ignored})
        return f"{reports} report(s) not about greeter's letters: ignored ({named})"


def tie_to_greetings(bounces: Sequence[Bounce], history: Callable[[str], Sequence[JournalEntry]]) -> Tied:
    """Each bounce tied to the greeting it answers (``history``: an address's greetings), or ignored.

    A report is anyone's to write: only one about a letter greeter sent may
    put its address on the list (:func:`bounced_greeting`). The stored reason
    names that greeting, so the operator sees which letter bounced — marked
    ``by address`` when the report returned no Message-ID to match.
    """
    tied = Tied()
    for bounce in bounces:
        entry = bounced_greeting(bounce, history(bounce.address))
        if entry is None:
            tied.ignored.append(bounce)
            continue
        how = "" if bounce.original_id is not None else " by address"
        greeting = f"greeting {entry.contact_id} {entry.occasion} {entry.occasion_date.isoformat()}{how}"
        tied.intake.add(bounce.address, f"{bounce.reason[:-1]}; {greeting})", bounce.since)
    return tied


def bounced_greeting(bounce: Bounce, greetings: Sequence[JournalEntry]) -> JournalEntry | None:
    """The greeting among ``greetings`` that ``bounce`` answers, or None: it is about no letter of greeter's.

    With a Message-ID returned, the greeting to the same address that carries
    it — greeter stamps it on the letter it writes for that address, so only
    a report of that letter (or one made by someone who has seen it) returns
    it. Without one, the latest letter handed over to that address
    (:data:`HANDED_OVER`): weaker, but the address at least got greeter's mail.
    """
    own = [e for e in greetings if e.email is not None and email_key(e.email) == email_key(bounce.address)]
    if bounce.original_id is not None:
        wanted = bounce.original_id.lower()
        return next((e for e in own if e.message_id is not None and e.message_id.lower() == wanted), None)
    handed = [e for e in own if e.state in HANDED_OVER]
    return max(handed, key=lambda e: e.sent_at or e.updated_at, default=None)
