"""The journal a command writes to, opened only if it is this config's project's.

``suppress bob@x`` under brand C's config, pointed at brand A's journal,
exited 0 and put A's client of that id on the do-not-contact list as a
person; ``purge``, ``forget``, ``approve`` and ``uncertain`` wrote there just
as freely. ``send`` and ``run`` refuse another project's journal
(:mod:`greeter.journal_project`); every command that writes to it goes
through :func:`open_own_journal`, so that each refuses it the same way
(exit 2, both projects named), before anything is written. Only
``send --once --adopt-journal`` takes such a journal over.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from greeter.config import Settings
    from greeter.journal_store import JournalStore

#: What a writer's refusal says was done: nothing.
NOTHING_CHANGED = "nothing was changed in it"


def refuse_other_project(journal: JournalStore, settings: Settings, config_file: Path) -> JournalStore:
    """``journal`` (opened from ``settings``), closed and refused when another project's; else itself."""
    from greeter.journal_project import project_of, refuse_foreign

    try:
        refuse_foreign(
            journal, settings.storage.url, project_of(settings, config_file), outcome=NOTHING_CHANGED
        )
    except BaseException:
        journal.close()
        raise
    return journal


def open_own_journal(
    settings: Settings, config_file: Path, now: datetime, *, readonly_ok: bool = False, existing: bool = False
) -> JournalStore:
    """:func:`greeter.cli._open_journal` (the same ``readonly_ok`` and ``existing``), refused when
    the journal is another project's (:func:`refuse_other_project`)."""
    from greeter.cli import _open_journal

    journal = _open_journal(settings.storage.url, now, readonly_ok=readonly_ok, existing=existing)
    return refuse_other_project(journal, settings, config_file)
