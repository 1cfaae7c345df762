"""``greeter forget``: what an erasure request removes, said per address — the journal's part aside.

The journal erases its rows in one transaction (:meth:`greeter.journal_store.JournalStore.forget`);
here are the outbox's ``.eml`` files of those greetings (``delivery.transport: file``) and the
words the operator reads. A file is found by the name the file transport gave it
(:func:`greeter.transport.eml_name` of the greeting's journal key), never by a pattern: a
contact id that begins another's (``10`` and ``100``) must not take the other's letters along.

The journal finds the person's contact ids by the greetings sent to the address; a draft
approved under ``review: required`` and not sent yet has none, so the contacts source is asked
too (:func:`holders`): its approval is erased with the rest, and counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from greeter.contacts import Contact, email_key
from greeter.erasure_records import ERASURE_REASON, Erasure, erased_reason
from greeter.journal_store import JournalKey
from greeter.transport import eml_name

if TYPE_CHECKING:
    from greeter.runtime import Inputs

__all__ = [
    "CANNOT_ERASE",
    "address_book",
    "contact_ids_of",
    "describe",
    "holders",
    "outbox_files",
    "remove_files",
]

#: Said after every ``forget``: what holds the person's data beyond greeter's reach.
CANNOT_ERASE = (
    "greeter cannot erase: the contacts source itself (the CRM and its exports — remove the person"
    " there too; until then their occasions are planned and skipped as suppressed), what the"
    " operator's log system kept of greeter's logs, letters already delivered (mailboxes, mail"
    " servers' queues and logs), previews written with preview --out, and backups of the journal and"
    " the outbox"
)


def contact_ids_of(contacts: Iterable[Contact], emails: Iterable[str]) -> dict[str, frozenset[str]]:
    """The ids of the contacts holding each address now, by :func:`~greeter.contacts.email_key`.

    Every key of ``emails`` is in the result (an address no contact holds: no ids).
    Every address a contact's e-mail cell lists counts (:attr:`~greeter.contacts.Contact.addresses`),
    not only the one greeted: ``forget`` of a client's second address must find the client.
    """
    found: dict[str, set[str]] = {email_key(e): set() for e in emails}
    for contact in contacts:
        for address in contact.addresses:
            ids = found.get(email_key(address))
            if ids is not None:
                ids.add(contact.id)
    return {key: frozenset(ids) for key, ids in found.items()}


#: What an erasure may leave when the contacts source cannot be read (:func:`holders`).
APPROVALS_LEFT = (
    "review approvals of drafts not sent yet are found only by the greetings' contact ids; run forget"
    " again once it can be read"
)


def address_book(
    inputs: Inputs, *, unread_then: str = APPROVALS_LEFT
) -> tuple[list[Contact] | None, str | None]:
    """The contacts source, read whole (None when it cannot be), and why it could not be, in one line.

    A source that cannot be read (a CRM down, the export moved) does not stop
    an erasure (or an opt-out by hand): the journal's own ids are still found, and the second
    value says what may be left (``unread_then``: approvals of drafts not sent yet). Read once,
    asked by :func:`contact_ids_of` as often as needed (``forget``: the addresses erased, then the
    other addresses their greetings went to).
    """
    from greeter.errors import GreeterError
    from greeter.sources import LoadReport, source_name

    try:
        return list(inputs.contacts(LoadReport(source_name(inputs.settings.contacts)))), None
    except (GreeterError, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return None, f"the contacts source cannot be read ({reason}): {unread_then}"


def holders(
    inputs: Inputs, emails: Iterable[str], *, unread_then: str = APPROVALS_LEFT
) -> tuple[Mapping[str, frozenset[str]], str | None]:
    """:func:`contact_ids_of` the contacts source (:func:`address_book`); and why it could not be read."""
    book, unread = address_book(inputs, unread_then=unread_then)
    return contact_ids_of(book or (), emails), unread


#: The header a ``greeter test-send`` letter names its client in (:func:`tested_client`): addressed
#: to the tester, it carries the client's data, and an erasure of the client must find it.
TEST_OF_HEADER = "X-Greeter-Test-Of"


def tested_client(email: str) -> str:
    """What :data:`TEST_OF_HEADER` says of the client ``email``: a digest of the address as the
    do-not-contact list compares it, not the address — a test never carries the client's address,
    yet ``greeter forget`` of that address finds it."""
    import hashlib

    return "sha256:" + hashlib.sha256(email_key(email).encode()).hexdigest()[:32]


def outbox_files(keys: Iterable[JournalKey], outbox: Path | None, email: str | None = None) -> list[Path]:
    """The outbox files the file transport wrote for these greetings, and the other letters to ``email``.

    The greetings' own files first, by name. Then, given ``email``, every other
    ``.eml`` there whose ``To:`` is that address: a purge (``greeter purge``)
    deletes old rows but not their letters, and an erasure must still find
    them. Found by the letter's recipient, read from its headers — never by a
    pattern on file names.
    """
    if outbox is None:
        return []
    named = [path for path in (outbox / eml_name(key) for key in keys) if path.is_file()]
    if email is None:
        return named
    known = set(named)
    return named + sorted(p for p in outbox.glob("*.eml") if p not in known and _addressed_to(p, email))


def _addressed_to(path: Path, email: str) -> bool:
    """Whether the letter in ``path`` is addressed (``To:``) to ``email``, compared as the list compares,
    or is a test of ``email``'s letter (``greeter test-send``)."""
    from email.parser import BytesHeaderParser
    from email.utils import getaddresses

    try:
        with path.open("rb") as fh:
            headers = BytesHeaderParser().parse(fh)
    except OSError:
        return False  # taken by its reader meanwhile, or unreadable: not ours to report here
    wanted = email_key(email)
    # A `greeter test-send` letter is addressed to the tester and names its client by a digest.
    if tested_client(email) in (str(v).strip() for v in headers.get_all(TEST_OF_HEADER, [])):
        return True
    return any(
        email_key(address) == wanted for _, address in getaddresses(headers.get_all("To", [])) if address
    )


def remove_files(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Delete the files; returns those deleted and a one-line problem for each that could not be."""
    removed: list[Path] = []
    problems: list[str] = []
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue  # a pickup daemon took it meanwhile: gone all the same
        except OSError as exc:
            problems.append(f"{path}: not deleted: {exc.strerror or exc}; delete it by hand")
            continue
        removed.append(path)
    return removed, problems


def describe(
    found: Erasure,
    files: list[Path],
    *,
    done: bool,
    on: date,
    current: Mapping[str, frozenset[str]] | None = None,
) -> list[str]:
    """What was erased of one address (``done``) or would be (``--dry-run``) ``on`` that (UTC) day:
    a summary, then each item.

    An entry found on the list is kept, and its reason is not repeated: it may
    name the person, and the erasure replaces it (:func:`erased_reason`).
    ``current``: :func:`contact_ids_of` the other addresses the greetings went to, by the contacts
    source now — one its contact still lists is not "former" (None: the source was not read).
    """
    verb = "erased" if done else "would erase"
    if found.listed is None:
        listing = f"{'put' if done else 'would put'} on the do-not-contact list ({ERASURE_REASON})"
    else:
        since = f"{found.listed.created_at:%Y-%m-%d}"
        listing = (
            f"{'kept' if done else 'would keep'} on the do-not-contact list (since {since}), its reason"
            f" {'now' if done else 'to be'}: {erased_reason(on)}"
        )
    lines = [
        f"{found.email}: {verb} {len(found.greetings)} greeting(s), {found.approvals} approval(s),"
        f" {len(files)} .eml file(s); {listing}"
    ]
    former = dict(found.former)
    for key, state in zip(found.greetings, found.states, strict=True):
        # A claim forget erases is no live sender's (that one is refused): one a crashed send left,
        # which history calls uncertain — said so here too.
        shown = "uncertain" if state == "claimed" else state
        cid, occasion, day = key
        to = f", to {former[key]}" if key in former else ""
        lines.append(f"  greeting: contact {cid} {occasion} {day} ({shown}{to})")
    if found.approvals:
        lines.append(f"  approvals: of contact(s) {', '.join(found.contact_ids)}")
    lines.extend(f"  file: {path}" for path in files)
    for address in sorted(set(former.values())):
        ids = sorted({key[0] for key, other in found.former if other == address})
        lines.append(_other_address(address, ids, current, done=done))
    if found.contact_ids:
        lines.append(
            f"  person: contact(s) {', '.join(found.contact_ids)}"
            f" {'opted out' if done else 'would be opted out'} ({erased_reason(on)}):"
            " not greeted at any address the contacts source gives them"
        )
    return lines


def _other_address(
    address: str, ids: list[str], current: Mapping[str, frozenset[str]] | None, *, done: bool
) -> str:
    """The line of another address the erased contact ids were greeted at: theirs now, former, or either."""
    go = "go" if done else "would go"
    holding = sorted(set(ids) & current.get(email_key(address), frozenset())) if current is not None else []
    if holding:
        return (
            f"  {address}: also a current address of contact(s) {', '.join(holding)} (the contacts source"
            f" lists it): its greetings are theirs and {go}; the address is not put on the do-not-contact"
            " list, the person is (below): forget it too to list the address"
        )
    kind = "another address" if current is None else "a former address"
    return (
        f"  {address}: {kind} of contact(s) {', '.join(ids)}: its greetings are theirs and {go}, but it is"
        " not put on the do-not-contact list (it may be someone else's by now): forget it too if it is"
        " still theirs"
    )
