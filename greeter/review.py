"""The review gate (``review: required``): only drafts a marketer approved go out.

An approval is of the exact words: the hash of the rendered subject, text and
HTML. If the template or the contact's data changes after approval, the hash
changes and the draft waits for approval again. Pure functions; the journal
stores the approvals and the shells (``greeter approve``, delivery) use these.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from greeter.journal_store import JournalKey
from greeter.plan_types import Rendered

Approval = Literal["approved", "awaiting_approval", "changed_since_approval"]


def content_hash(rendered: Rendered) -> str:
    """A stable fingerprint of what the recipient reads (not of headers such as Date)."""
    h = hashlib.sha256()
    for part in (rendered.subject, rendered.text, rendered.html or ""):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def approval_of(key: JournalKey, digest: str, approvals: dict[JournalKey, str]) -> Approval:
    """Whether this exact draft was approved, is new, or changed after it was approved."""
    approved = approvals.get(key)
    if approved is None:
        return "awaiting_approval"
    return "approved" if approved == digest else "changed_since_approval"
