"""A refused letter's class for ``greeter_delivery_failures_total{class=…}``: a fixed, small set.

A label must be bounded — never an address or a reply's words, which would make a
series per recipient and publish what the server said about them — yet "the
provider refuses our content" and "three clients' mailboxes are gone" call for
different people. So each letter recorded ``failed`` is counted under one of
:data:`FAILURE_CLASSES`, read from its reply line (``"554 5.7.1 Message rejected"``)
by the enhanced status code (RFC 3463) where the server gives one:

* ``mailbox``: ``5.1.x`` (addressing: no such user, bad domain) and ``5.2.x``
  (mailbox status: disabled, full), or words that say the mailbox does not exist
  (:data:`~greeter.reply_classes.NO_MAILBOX_TEXTS`) — one recipient's problem;
* ``policy``: ``5.7.x`` (security or policy: spam, blocklists, a refused sender) and a
  521 (the host accepts no mail, RFC 7504) — about us, every letter gets it;
* ``content``: ``5.6.x`` (media, content conversion) and ``5.3.4`` (message too big);
* ``gave_up``: a 4xx still refused when the catch-up deadline passed (greeter gave up,
  the server never said no for good);
* ``other``: anything else, a bare code without an enhanced status among them (a
  ``550`` alone may be a mailbox or a policy: it is not guessed).

Pure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

from greeter.reply_classes import HOST_REFUSES_MAIL, NO_MAILBOX_TEXTS

#: Every class, in the order ``/metrics`` lists them (each from the start, at 0).
FAILURE_CLASSES: Final[tuple[str, ...]] = ("mailbox", "policy", "content", "gave_up", "other")

#: The classes that say nothing about one recipient: a run whose every letter was refused for one
#: of these has a server refusing our mail (``/healthz``'s ``refusing``), not bad addresses.
SERVER_CLASSES: Final = frozenset({"policy", "content", "other"})

_REPLY: Final = r"^\s*(\d{3})(?:[ -]+([245])\.(\d{1,3})\.(\d{1,3})\b)?"


def failure_class(reply: str) -> str:
    """The class (:data:`FAILURE_CLASSES`) of a ``failed`` letter's reply line. Pure.

    ``reply`` is as the summary and the journal's ``last_reply`` keep it: the
    code, the enhanced status if any, the words (addresses already masked).
    """
    found = re.match(_REPLY, reply)
    if found is None or found.group(1).startswith("4"):
        return "gave_up" if found is not None else "other"
    code, status = int(found.group(1)), found.group(2, 3, 4)
    if code == HOST_REFUSES_MAIL:
        return "policy"
    text = reply[found.end(1) :]
    if status[1] in ("1", "2") or any(re.search(pattern, text) for pattern, _ in NO_MAILBOX_TEXTS):
        return "mailbox"
    if status[1] == "7":
        return "policy"
    if status[1] == "6" or status[1:] == ("3", "4"):
        return "content"
    return "other"


def failed_by_class(replies: Mapping[tuple[str, str], int]) -> dict[str, int]:
    """A run's ``failed`` letters by class (the ``run`` line's ``failed_by_class``), from its summary's
    ``replies`` ((state, reply) → letters). Pure."""
    found: Counter[str] = Counter()
    for (state, reply), n in replies.items():
        if state == "failed":
            found[failure_class(reply)] += n
    return dict(sorted(found.items()))


def server_refusing(
    counts: Mapping[str, int], replies: Mapping[tuple[str, str], int], before: str | None
) -> str | None:
    """Whether the mail server refuses our mail outright after a run: the commonest class of its
    refusals (``policy``, ``content``, ``other``), or None. Pure.

    Said when the run got no letter accepted and at least one refused for a reason that is not
    about one recipient (:data:`SERVER_CLASSES`); cleared by a run the server accepted a letter in.
    A run whose refusals were all ``mailbox`` (or ``gave_up``) says nothing of the server — a
    single bad address in a run with one letter due must not read as "the server rejects
    everything" — and a run that had nothing answered keeps ``before``.
    """
    if counts.get("sent", 0):
        return None
    by_class = failed_by_class(replies)
    server = {kind: n for kind, n in by_class.items() if kind in SERVER_CLASSES}
    if server:
        return max(server, key=lambda kind: (server[kind], kind))
    return before


def refusing_at_start(refusals: Sequence[tuple[str, datetime]]) -> tuple[str | None, datetime | None]:
    """``refusing`` and ``refusing_since`` as the journal leaves them: from its refusals since the newest
    letter that left (:meth:`~greeter.journal_store.JournalStore.recent_refusals`). Pure.

    Kept in the process alone, both read "not refusing" after every restart (a deploy, a crash, a
    pod moved) while the server refused as before: the runs after it have nothing due to be refused
    (the refused letters are ``failed`` for good), so nothing set it again until tomorrow's letters.
    The rule is :func:`server_refusing`'s over those refusals — none of them accepted, some not about
    one recipient — and ``since`` the oldest of those (within the read's bound), as a run sets it.
    """
    replies = Counter(("failed", reply) for reply, _ in refusals)
    refusing = server_refusing({"failed": len(refusals)}, replies, None)
    if refusing is None:
        return None, None
    return refusing, min(moment for reply, moment in refusals if failure_class(reply) in SERVER_CLASSES)
