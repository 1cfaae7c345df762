"""The review gate (``review: required``): only drafts a marketer approved go out.

An approval is of the letter the reviewer read, not only of its words: the
fingerprint covers the rendered subject, text and HTML *and* who it is to and
from — the To address and display name, the From name and address, the
Reply-To. Editing the template, the contact's data (a new e-mail address
included) or the sender withdraws the approval by itself, so an approved letter
never goes to an address nobody approved. Left out on purpose: when it leaves
(the Date header, the send day — a letter moved to another day by a new day off
is the same letter), its Message-ID (the journal key, which approvals are stored
under anyway) and List-Unsubscribe (made from the address, which is covered).

Fingerprints name their scheme (``v2:`` + SHA-256). An approval recorded by an
older greeter is a bare SHA-256 of the words alone: it cannot say whether the
address changed since, so it never approves a letter and the draft shows as
``approval_outdated`` until it is approved again. Pure functions; the journal
stores the approvals and the shells (``greeter approve``, preview, delivery)
use these.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Literal

from greeter.config import Sender
from greeter.contacts import Contact
from greeter.journal_store import JournalKey
from greeter.message import sender_name
from greeter.plan_types import Rendered

Approval = Literal["approved", "awaiting_approval", "changed_since_approval", "approval_outdated"]

#: The scheme of :func:`content_hash`; a stored approval without it predates the envelope.
FINGERPRINT_SCHEME = "v2:"

#: What an operator reads once drafts are held as ``approval_outdated`` (after an upgrade).
OUTDATED_NOTE = (
    "approved with an older greeter, whose approvals did not cover the recipient and sender:"
    " check these drafts (greeter preview) and approve them again (greeter approve)"
)


@dataclass(frozen=True, slots=True)
class Envelope:
    """Who a letter is to and from, as its headers say: what a reviewer approves besides the words."""

    to_email: str
    to_name: str
    from_email: str
    from_name: str
    reply_to: str | None = None

    @classmethod
    def of(cls, contact: Contact, sender: Sender, locale: str | None) -> Envelope:
        """The envelope of ``contact``'s letter in ``locale`` (the rendered letter's: the From name
        is ``sender.by_locale``'s, as :func:`greeter.message.build_message` writes it);
        delivery builds the To header from these very values."""
        return cls(
            to_email=contact.email or "",
            to_name=contact.display_name.strip(),
            from_email=sender.email,
            from_name=sender_name(sender, locale).strip(),
            reply_to=sender.reply_to,
        )


def content_hash(rendered: Rendered, envelope: Envelope) -> str:
    """A stable fingerprint of what the recipient reads and who it is to and from (not its Date)."""
    parts = (
        rendered.subject,
        rendered.text,
        rendered.html,
        envelope.to_email,
        envelope.to_name,
        envelope.from_email,
        envelope.from_name,
        envelope.reply_to,
    )
    # JSON keeps the parts apart unambiguously (no separator a part could contain).
    blob = json.dumps(parts, ensure_ascii=False).encode("utf-8")
    return FINGERPRINT_SCHEME + hashlib.sha256(blob).hexdigest()


def approval_of(key: JournalKey, digest: str, approvals: dict[JournalKey, str]) -> Approval:
    """Whether this exact draft was approved, is new, changed after it was approved, or was
    approved by an older greeter whose fingerprint cannot vouch for it (see the module's doc)."""
    approved = approvals.get(key)
    if approved is None:
        return "awaiting_approval"
    if approved == digest:
        return "approved"
    if not approved.startswith(FINGERPRINT_SCHEME):
        return "approval_outdated"
    return "changed_since_approval"
