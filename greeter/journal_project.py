"""Which project a journal belongs to, so that two configs never share one by mistake.

A journal's rows mean something only to the project that wrote them: contact
``6002``'s New Year letter, an opt-out of ``client01@…``. Two configs pointed
at one journal (two configs in one folder both keep the default
``sqlite:///data/journal.sqlite3``; one PostgreSQL database without
``schema=``) read each other's rows as their own — brand C's client was never
greeted because brand A's contact of the same id was — and nothing said so.

So the journal records its project (migration 10; PostgreSQL 7), as two facts
taken from the config's *content*, never from where the config lies:

* ``sender``: ``sender.email``, the address the clients know the project by;
* ``contacts``: where its clients come from — the contacts file, its path
  resolved (two projects' ``data/contacts.csv`` are two files), or the SQL
  source's database (password left out) and a digest of its query.

It is the same project when *either* fact is the one recorded: moving the
project's folder or mounting it elsewhere (a container) keeps the sender; a
new sender address (the starter's example one made yours, a rebrand) keeps the
contacts, and a new CRM export keeps the sender — each change alone passes,
and the record follows it. Both differing at once is another project's
config: ``send`` and ``run`` refuse (exit 2) and ``check`` says it, naming
both; ``send --once --adopt-journal`` records this config's project when the
change is deliberate. A project id kept in the journal and copied into the
config would survive everything too, but every existing config would need the
edit, and a copied config carries its original's id — the very mistake this
is here to catch.

The config's own path is recorded as well, only to be named in messages.
A journal no send has recorded a project in yet (new, or from before
migration 10) is taken by the first ``send`` or ``run``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from greeter.errors import JournalError

if TYPE_CHECKING:
    from greeter.config import Settings
    from greeter.journal_store import JournalStore

#: The option of ``greeter send`` that records this config's project in a journal another one holds.
ADOPT_OPTION = "--adopt-journal"

#: The journal's table of its project's facts (one row per fact, by name).
PROJECT_TABLE = "project"


@dataclass(frozen=True, slots=True)
class Project:
    """The facts a journal's project is known by (see the module's docstring)."""

    sender: str
    contacts: str
    #: The config file's absolute path: named in messages, never compared.
    config: str

    def same_as(self, other: Project) -> bool:
        """Whether ``other`` is this project: the same sender address, or the same contacts source."""
        return self.sender == other.sender or self.contacts == other.contacts

    def describe(self) -> str:
        """``sender a@x.example, contacts /srv/a/data/contacts.csv (config /srv/a/greeter.yaml)``."""
        return f"sender {self.sender}, contacts {self.contacts} (config {self.config})"

    def facts(self) -> dict[str, str]:
        """The rows of :data:`PROJECT_TABLE`."""
        return {"sender": self.sender, "contacts": self.contacts, "config": self.config}

    @classmethod
    def from_facts(cls, facts: dict[str, str]) -> Project | None:
        """The project the rows of :data:`PROJECT_TABLE` describe; None when none was recorded."""
        if not facts:
            return None
        return cls(facts.get("sender", ""), facts.get("contacts", ""), facts.get("config", ""))


def project_of(settings: Settings, config_file: Path) -> Project:
    """The project ``settings`` (read from ``config_file``) describe."""
    from greeter.db_url import redact

    contacts = settings.contacts
    if contacts.source == "sql":
        query = hashlib.sha256((contacts.query or "").strip().encode()).hexdigest()[:12]
        source = f"{redact(contacts.url or '', drop=True)} (query {query})"
    else:
        source = str(Path(contacts.path or "").resolve())
    return Project(settings.sender.email.strip().lower(), source, str(config_file.resolve()))


def foreign_project_message(journal: str, recorded: Project, current: Project, *, sends: bool = True) -> str:
    """What ``check`` says of a journal another project's config recorded, naming both projects.

    ``sends``: the refused command is one that sends (``send``, ``run``) or ``check``. Any other
    (``baseline``, ``approve``, ``preview``…) is told that only a real send adopts a journal —
    a ``--dry-run`` plans as if adopted and records nothing — and that it sends what is due,
    which a user about to run ``baseline`` must know before running it.
    """
    said = (
        f"journal {journal} belongs to another project: {recorded.describe()}; this config's is"
        f" {current.describe()}. Two configs sharing one journal read each other's greetings and"
        " opt-outs as their own: give this config a journal of its own (storage.url). If it is"
        " the same project, whose sender and contacts have both changed, "
    )
    if sends:
        return (
            f"{said}run greeter send --once {ADOPT_OPTION} once: it records this config's project,"
            " then sends as usual"
        )
    return (
        f"{said}adopt the journal first with greeter send --once {ADOPT_OPTION} (only a real send adopts"
        " one, a --dry-run does not, and it sends what is due now), then run this command again"
    )


def foreign_project_error(
    journal: str, recorded: Project, current: Project, outcome: str = "nothing was sent"
) -> JournalError:
    """The refusal to send from (or write to) a journal another project's config recorded (exit 2)."""
    sends = outcome == "nothing was sent"
    return JournalError(f"{foreign_project_message(journal, recorded, current, sends=sends)}; {outcome}")


def foreign_project(journal: JournalStore, current: Project) -> Project | None:
    """The project recorded in ``journal`` when it is not ``current``'s; None when it is, or none is."""
    recorded = journal.project()
    if recorded is None or recorded.same_as(current):
        return None
    return recorded


def journal_shown(url: str) -> str:
    """The journal as messages name it: a SQLite journal's path, a PostgreSQL URL without its password."""
    if url.startswith("postgresql://"):
        from greeter.db_url import redact

        return redact(url)
    from greeter.journal_schema import path_from_url

    return str(path_from_url(url))


def refuse_foreign(
    journal: JournalStore,
    url: str,
    current: Project,
    *,
    adopt: bool = False,
    outcome: str = "nothing was sent",
) -> None:
    """Raise :func:`foreign_project_error` when ``journal`` (``storage.url`` ``url``) is another
    project's, unless ``adopt``. Only reads: asked before the sender lock is taken, so that a
    second project's daemon is told whose journal it is rather than only that it is locked."""
    if adopt:
        return
    recorded = foreign_project(journal, current)
    if recorded is not None:
        raise foreign_project_error(journal_shown(url), recorded, current, outcome)


def take_journal(
    journal: JournalStore, url: str, current: Project, now: datetime, *, adopt: bool = False
) -> None:
    """Make sure a sender (who holds the lock) sends only from its own project's journal.

    :func:`refuse_foreign`, asked again from one read of the record (a first sender may have
    recorded its project meanwhile); then records ``current`` where it differs from what is
    recorded (a moved config, a new sender address or contacts source), so that the record
    follows the project's changes one at a time. A journal with no project yet is taken only
    where it still has none (:meth:`~greeter.journal_store.JournalStore.record_first_project`),
    and whose it became is asked once more: two projects' first runs on one empty PostgreSQL
    journal (its sender lock excludes no one) both read "none", and both recorded theirs.
    """
    recorded = journal.project()
    if recorded is not None and not adopt and not recorded.same_as(current):
        raise foreign_project_error(journal_shown(url), recorded, current)
    if recorded is None and not adopt:
        journal.record_first_project(current, now)
        refuse_foreign(journal, url, current)  # another project's first run recorded it first
    elif recorded != current:
        journal.record_project(current, now)


def open_sender_journal(url: str, now: datetime, project: Project) -> tuple[JournalStore, int]:
    """The journal, opened as a daemon's sender of its own ``project``'s journal only
    (:func:`greeter.own_journal.open_project_journal`, :attr:`~greeter.own_journal.Use.SEND`, as
    ``send --once`` opens it), and how many stale claims it recorded uncertain."""
    from greeter.own_journal import Use, open_project_journal

    journal = open_project_journal(url, project, now, Use.SEND, say_upgrade=False)  # the daemon logs it
    try:
        return journal, journal.recover_stale_claims(now)
    except BaseException:
        journal.close()
        raise
