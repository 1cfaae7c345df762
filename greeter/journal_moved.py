"""A journal ``copy-journal`` copied elsewhere is marked moved, so that no greeter sends from it again.

After the move to PostgreSQL, a cron line forgotten on the old config went on
sending from the SQLite file: its letters were missing from PostgreSQL, and
sent again once ``storage.url`` pointed there (the same Message-IDs; the file
transport even overwrote the first ``.eml``). Nothing in the old file said it
had been moved.

So once the copy has committed, the *source* records where it went and when —
one row of its ``notices`` table (:meth:`~greeter.journal_store.JournalStore.record_notice`:
the name :data:`MOVED_NOTICE`, the target's URL without its password as the
"fingerprint", the moment as ``said_at``) — a table every journal already has, on
both backends, so no migration. Written after the commit and in the source only, it is never
copied into the target; a marked journal is not copied again (:func:`refuse_moved`), so no copy
carries it either. Commands that send or change the journal (``send``, ``run``,
``test-send``, ``suppress``, ``approve``…) refuse a marked journal (exit 2); those that only
read it (``check``, ``preview``, ``history``, a dry run) say it and go on. A daemon still
running on it (a PostgreSQL journal is copied while its idle daemons stay connected) asks at
each run (:func:`greeter.send.plan_cycle`) and at each one-click opt-out
(:func:`greeter.unsubscribe.unsubscribe_person`), and refuses both: its log says what to do
(:func:`daemon_step`).

The way back is to copy the journal that is now in use back into a new file
(``copy-journal`` run with that journal as ``storage.url``): the kept file is stale —
everything sent since the move is missing from it. ``copy-journal --unmark`` clears the
mark (a blank fingerprint) for the operator who means to send from the old file again.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from greeter.errors import JournalMovedError

if TYPE_CHECKING:
    from greeter.journal_store import JournalStore

#: The ``notices`` row that marks a journal moved (its fingerprint: where to; blank: unmarked).
MOVED_NOTICE = "journal_moved"

#: The option of ``copy-journal`` that clears the mark.
UNMARK_OPTION = "--unmark"


@dataclass(frozen=True, slots=True)
class Moved:
    """Where a journal was copied to (its URL without password) and when."""

    to: str
    at: datetime

    def when(self) -> str:
        """``2027-04-14 08:00 UTC``: the moment as a log line says it."""
        return f"{self.at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def moved(journal: JournalStore) -> Moved | None:
    """The journal's moved mark, or None: never copied, or the mark cleared."""
    notice = journal.notice(MOVED_NOTICE)
    if notice is None or not notice.fingerprint:
        return None
    return Moved(notice.fingerprint, notice.said_at)


def record_moved(journal: JournalStore, target_shown: str, now: datetime) -> None:
    """Mark ``journal`` copied to ``target_shown`` (a URL already without its password) at ``now``."""
    journal.record_notice(MOVED_NOTICE, target_shown, now)


def clear_moved(journal: JournalStore, now: datetime) -> None:
    """Clear the mark: the operator sends from this journal again, knowingly."""
    journal.record_notice(MOVED_NOTICE, "", now)


def moved_message(journal_shown: str, mark: Moved) -> str:
    """The one line that says a journal was moved, and both ways on."""
    return (
        f"journal {journal_shown} was copied to {mark.to} on {mark.when()}: greeter now sends from there;"
        f" set storage.url to {as_storage_url(mark.to)} — or, to send from this file again, copy that"
        f" journal back into a new file (greeter copy-journal, run with it as storage.url): this one"
        f" misses everything sent since, which would go twice (greeter copy-journal {UNMARK_OPTION}"
        " clears the mark only)"
    )


def refuse_moved(journal: JournalStore, journal_shown: str, outcome: str) -> None:
    """Raise :class:`~greeter.errors.JournalMovedError` (exit 2) when ``journal`` is marked moved;
    ``outcome``: what was (not) done."""
    mark = moved(journal)
    if mark is not None:
        raise JournalMovedError(f"{moved_message(journal_shown, mark)}; {outcome}", mark.to)


def as_storage_url(shown: str) -> str:
    """The journal ``shown`` (a SQLite journal's path as messages name it, or a PostgreSQL URL) as
    ``storage.url`` takes it (pure): ``sqlite:////abs/journal.sqlite3``. The mark keeps the path,
    but an ``action`` saying ``set storage.url to /tmp/moved.sqlite3`` was refused by ``check``
    when pasted as it said."""
    return shown if "://" in shown else f"sqlite:///{shown}"


def daemon_step(to: str) -> str:
    """What the operator of a daemon still running on a journal copied to ``to`` does: its log says it.

    A reload keeps the journal the daemon opened, so the step is a restart.
    """
    return (
        f"set storage.url to {as_storage_url(to)} and restart greeter run (a reload keeps the journal it"
        " opened); until then it sends nothing and records no one-click opt-out, whose senders are shown"
        " unsubscribe.mailto (or told to reply to the letter) instead"
    )


def warn_moved(journal: JournalStore, journal_shown: str) -> None:
    """Say on stderr that ``journal`` is marked moved (a command that only reads it goes on)."""
    mark = moved(journal)
    if mark is not None:
        print(f"warning: {moved_message(journal_shown, mark)}", file=sys.stderr, flush=True)
