"""The one way a command or the daemon opens the journal: only if it is this config's project's.

``suppress bob@x`` under brand C's config, pointed at brand A's journal,
exited 0 and put A's client of that id on the do-not-contact list as a
person; ``history`` listed A's letters as C's. ``send`` and ``run`` refuse
another project's journal (:mod:`greeter.journal_project`); every command
that opens it goes through :func:`open_own_journal` (or, when a missing
journal is no error, :func:`peek_own_journal`), so that each refuses it the
same way (exit 2, both projects named), before anything is read or written.
Only ``send --once --adopt-journal`` takes such a journal over.

There were three openers — ``send``'s, the daemon's and the writers' — each
with its own order of checks; what legitimately differs between commands is
one :class:`Use`:

* :attr:`Use.READ` never makes, nor needs to write, the journal (a read-only
  mount is read); a missing one is refused (``history``) — or is None
  (:func:`peek_own_journal`: ``preview``, a dry run, which plan without one);
* :attr:`Use.CHANGE` changes rows already there: a missing journal is refused;
* :attr:`Use.WRITE` makes the journal if there is none yet (an opt-out before
  the first send must still be kept);
* :attr:`Use.SEND` is WRITE, then the sender lock, the guard asked again under
  it (a first sender may have recorded its project meanwhile) and this
  project recorded (:func:`~greeter.journal_project.take_journal`).

The refusal's words differ only in what it says was done (:attr:`Use.outcome`).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from greeter.config import Settings
    from greeter.journal_project import Project
    from greeter.journal_store import JournalStore

#: What a writer's refusal says was done: nothing.
NOTHING_CHANGED = "nothing was changed in it"


class Use(Enum):
    """What a command does with the journal it opens (see the module's docstring)."""

    READ = "read"
    CHANGE = "change"
    WRITE = "write"
    SEND = "send"

    @property
    def outcome(self) -> str:
        """What the refusal of another project's journal says was done: nothing, in this use's words."""
        return _OUTCOMES[self]


_OUTCOMES = {
    Use.READ: "nothing was read from it",
    Use.CHANGE: NOTHING_CHANGED,
    Use.WRITE: NOTHING_CHANGED,
    Use.SEND: "nothing was sent",
}


def admit(
    journal: JournalStore,
    url: str,
    project: Project,
    now: datetime,
    use: Use,
    *,
    adopt: bool = False,
    moved_ok: bool = False,
) -> JournalStore:
    """``journal`` (opened from ``storage.url`` ``url``) if it is ``project``'s; else closed and refused.

    The guard, for every opener: whose journal is asked before the sender lock,
    so that a second project's daemon is told whose it is rather than only that
    it is locked; for :attr:`Use.SEND` again under the lock, and the project
    then recorded. ``adopt``: ``send --once --adopt-journal`` (and its dry run).

    A journal ``copy-journal`` marked moved (:mod:`greeter.journal_moved`) is refused to every use
    but :attr:`Use.READ`, which is told it on stderr; ``moved_ok``: ``copy-journal`` itself, which
    says it in its own words.
    """
    from greeter.journal_moved import refuse_moved, warn_moved
    from greeter.journal_project import journal_shown, refuse_foreign, take_journal

    try:
        refuse_foreign(journal, url, project, adopt=adopt, outcome=use.outcome)
        if not moved_ok and use is Use.READ:
            warn_moved(journal, journal_shown(url))
        elif not moved_ok:
            refuse_moved(journal, journal_shown(url), use.outcome)
        if use is Use.SEND:
            journal.lock_sender(config=Path(project.config))
            take_journal(journal, url, project, now, adopt=adopt)
    except BaseException:
        journal.close()
        raise
    return journal


def upgrade_note(url: str, upgraded: tuple[int, int]) -> str:
    """The line a command says when opening the journal upgraded its schema (``upgraded``: from, to).

    Every command but ``check`` and ``backup`` may upgrade it, and used to do so without a word:
    an operator who looked at the new version's ``history`` learnt only from the old cron's
    refusal that the journal was no longer the old version's.
    """
    from greeter.journal_project import journal_shown

    found, latest = upgraded
    return (
        f"journal {journal_shown(url)} upgraded from schema {found} to {latest}; an older greeter"
        " can no longer open it (docs/operations.md, Upgrading greeter)"
    )


def _say_upgrade(journal: JournalStore, url: str) -> None:
    """:func:`upgrade_note` on stderr when opening ``journal`` upgraded it (the CLI's openers)."""
    if journal.upgraded is not None:
        print(upgrade_note(url, journal.upgraded), file=sys.stderr, flush=True)
        older: str | None = getattr(journal, "upgrade_warning", None)  # PostgreSQL's (journal_pg_senders)
        if older is not None:
            print(older, file=sys.stderr, flush=True)


def open_project_journal(
    url: str,
    project: Project,
    now: datetime,
    use: Use,
    *,
    adopt: bool = False,
    say_upgrade: bool = True,
    moved_ok: bool = False,
) -> JournalStore:
    """The journal ``url`` names, opened for ``use`` and admitted (:func:`admit`) for ``project``.

    An upgrade of its schema is said on stderr (:func:`upgrade_note`) — before the admission, which
    may refuse it upgraded — unless ``say_upgrade`` is False: the daemon logs it as an event.
    """
    from greeter.journal import open_journal, open_required_journal

    if use in (Use.READ, Use.CHANGE):  # "no journal at …", as every reader words it
        journal = open_required_journal(url, now=now, readonly_ok=use is Use.READ)
    else:
        journal = open_journal(url, now=now)
    if say_upgrade:
        _say_upgrade(journal, url)
    return admit(journal, url, project, now, use, adopt=adopt, moved_ok=moved_ok)


def open_own_journal(
    settings: Settings,
    config_file: Path,
    now: datetime,
    use: Use = Use.WRITE,
    *,
    adopt: bool = False,
    moved_ok: bool = False,
) -> JournalStore:
    """The journal ``settings`` (read from ``config_file``) configure, for ``use``
    (:func:`open_project_journal`)."""
    from greeter.journal_project import project_of

    return open_project_journal(
        settings.storage.url, project_of(settings, config_file), now, use, adopt=adopt, moved_ok=moved_ok
    )


def peek_own_journal(
    settings: Settings, config_file: Path, now: datetime, *, adopt: bool = False, moved_ok: bool = False
) -> JournalStore | None:
    """:attr:`Use.READ`, but None where there is no journal yet (never one made): a plan (preview,
    a dry run) is made without one. A lost one is refused
    (:func:`~greeter.journal.open_existing_journal`), as ``send`` refuses it."""
    from greeter.journal import open_existing_journal
    from greeter.journal_project import project_of

    url = settings.storage.url
    journal = open_existing_journal(url, now=now)
    if journal is None:
        return None
    _say_upgrade(journal, url)
    return admit(
        journal, url, project_of(settings, config_file), now, Use.READ, adopt=adopt, moved_ok=moved_ok
    )


def refuse_moved_journal(settings: Settings, config_file: Path, now: datetime) -> None:
    """Refuse (exit 2) to send even a test from a journal ``copy-journal`` marked moved: a command
    that reads its journal to plan (``test-send``) but must not plan from a stale one."""
    from greeter.journal_moved import refuse_moved
    from greeter.journal_project import journal_shown

    journal = peek_own_journal(settings, config_file, now, moved_ok=True)
    if journal is not None:
        try:
            refuse_moved(journal, journal_shown(settings.storage.url), Use.SEND.outcome)
        finally:
            journal.close()
