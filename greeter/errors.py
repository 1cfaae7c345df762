"""One exception tree for everything greeter raises on purpose.

Modelled on aiosmtplib's ``errors.py``: every error a user can cause or an
operator must react to derives from :class:`GreeterError`, so the CLI can turn
any of them into a one-line hint and an exit code instead of a traceback.
Subclasses also inherit the matching built-in (``ValueError``, ``OSError``,
``ConnectionError``) so callers that already catch those keep working.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from greeter.wording import counted
from greeter.zone_label import local_time

if TYPE_CHECKING:
    from pathlib import Path

    from greeter.journal_store import JournalKey

#: Exit codes of the command line (DESIGN.md §3).
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
#: An unexpected error: a bug in greeter (the CLI shows the traceback with --verbose).
EXIT_BUG = 3
#: The journal cannot be written or reached *now* (disk full, I/O error, database locked past
#: the busy timeout, PostgreSQL down): sysexits.h's EX_TEMPFAIL, "try again later". Kept apart
#: from 2 so that systemd (``RestartPreventExitStatus=2``) restarts the daemon once the disk is
#: freed, and a script can tell "fix the config" from "retry".
EXIT_TEMPFAIL = 75

#: An OSError's errno that means "not now" rather than "wrong": a full disk or quota, an I/O error,
#: memory or a resource short for a moment. The journal's (:func:`greeter.journal_schema.is_operational`)
#: and an output file's (:meth:`OutputError.of`) alike: :data:`EXIT_TEMPFAIL`, as a full stdout is.
TEMPORARY_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.ENOMEM, errno.EAGAIN})


@dataclass(frozen=True, slots=True)
class Problem:
    """One user-facing problem, located as precisely as we can.

    ``line`` is a config line (with ``col``) or a contacts row number; which
    one is told by ``kind``. Rendered by :meth:`__str__` in the exact formats
    promised by DESIGN.md §3: ``file:line:col: field: message`` for config and
    ``file:row N: column: message`` for contacts; a problem of a whole contacts
    column (``kind="column"``) is ``file: column: message``.
    """

    file: str
    field: str
    message: str
    line: int | None = None
    col: int | None = None
    kind: str = "config"  # "config" | "row" | "column" | "template"
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        if self.kind == "row":
            where = f"{self.file}:row {self.line}" if self.line is not None else self.file
        elif self.line is not None:
            where = f"{self.file}:{self.line}:{self.col or 1}"
        else:
            where = self.file
        shown = self.field
        if not shown.isprintable():  # a YAML key or CSV header with a line break: still one line
            shown = repr(shown)[1:-1]
        field = f" {shown}:" if shown else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}:{field} {prefix}{self.message}"


class GreeterError(Exception):
    """Root of every error greeter raises deliberately."""

    exit_code = EXIT_PROBLEMS

    def hint(self) -> str:
        """The one-line (or few-line) message the CLI prints instead of a traceback."""
        return str(self)


class ConfigError(GreeterError, ValueError):
    """The configuration cannot be used; carries every problem found, not just the first."""

    exit_code = EXIT_USAGE

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FutureThroughError(GreeterError, ValueError):
    """``baseline --through`` names a day whose letters no tool has sent yet: they would never go out."""

    exit_code = EXIT_USAGE


class SavedHistoryError(GreeterError, ValueError):
    """``baseline --sent-from FILE`` was given a file that is not a ``greeter history`` export, or one
    with a value greeter cannot read (the message names the line and the column); nothing recorded."""

    exit_code = EXIT_USAGE


class SettingError(ValueError):
    """A rule spanning a section's settings, naming the one to fix: ``SettingError(msg, "lunch")``.

    A model or list validator's error is located by pydantic at the section it
    checks (``send_window``, ``occasions``), which put "lunch must lie inside
    hours" at ``send_window:`` and a duplicate occasion at ``occasions:``.
    ``where`` is the path below that section (``("lunch",)``, ``(5, "name")``);
    the loader adds it to the error's place and so points at that line.

    A plain ``ValueError``, not a :class:`GreeterError`: it is raised inside
    pydantic validators, which turn only ``ValueError`` into a validation error,
    and never reaches a user but as a :class:`ConfigError` the loader makes of it.
    """

    def __init__(self, message: str, *where: int | str) -> None:
        super().__init__(message)
        self.where = where


class ContactsError(GreeterError, OSError):
    """The contacts source as a whole cannot be read (missing file, wrong format).

    Also a list read the same way, ``greeter suppress --from-csv``'s file.
    """

    exit_code = EXIT_USAGE


class ContactsUnavailableError(ContactsError):
    """The contacts database cannot be read *now*: down, not answering, the connection lost mid-read.

    Nothing about the configuration is wrong (a wrong password or database
    name stays a :class:`ContactsError`, exit 2), so this is
    :data:`EXIT_TEMPFAIL` like :class:`JournalUnavailableError`: the unit
    restarts the daemon, cron's next run retries. Which driver errors are
    temporary is decided where they are caught
    (:mod:`greeter.sources.sql_postgresql`, :mod:`greeter.sources.sql_mariadb`).
    """

    exit_code = EXIT_TEMPFAIL


class HeaderNotFound(ContactsError):
    """No row of the file is the header (or the file is empty): the caller may know where else to look.

    ``column`` names the configured column the closest row lacks ("column 'ФИО'
    (contacts.columns.full_name)"), None when no column is missing (an empty file,
    a repeated column): a caller that finds the encoding to be the cause says
    that first and this after it, instead of this message's header list of "�".
    Raised by :mod:`greeter.sources.header`.
    """

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


class NoSuchSheet(ContactsError):
    """``contacts.sheet`` names no sheet of the workbook: the caller may know which sheet has the columns.

    ``detail`` is the message without the file's name in front, for a caller
    that puts the config setting there instead.
    """

    def __init__(self, path: Path, sheet: str, names: Sequence[str]) -> None:
        sheets = f"(sheets: {', '.join(names)}){_meant(sheet, names)}"
        self.detail = f"no sheet {sheet!r} in {path} {sheets}"
        super().__init__(f"{path}: no sheet {sheet!r} {sheets}")


def _meant(sheet: str, names: Sequence[str]) -> str:
    """``, did you mean 'Контакты'?`` for a sheet name in other capitals or with a typo, else ""."""
    import difflib  # on this error's path only: errors stays cheap to import

    same = [n for n in names if n.casefold() == sheet.casefold()]
    close = same or difflib.get_close_matches(sheet, names, n=1)
    return f", did you mean {close[0]!r}?" if close else ""


class QueryError(ContactsError):
    """The server answered but refused ``contacts.query`` itself: a syntax error, no such table or
    column, a division by zero in row 500, a statement that returns no rows.

    Exit 2 like any :class:`ContactsError`; a class of its own because the
    setting to fix is the query, not the URL: ``greeter check`` reports it at
    ``contacts.query``'s line in the config, with the rest of its report,
    where it stopped the whole check with one line.

    ``setting`` is that setting: ``contacts.query``, or the column setting the
    query's columns do not match (``contacts.columns.id`` for a column ``ID``
    PostgreSQL returned as ``id``), where the fix may as well be made.
    """

    def __init__(self, message: str, setting: str = "contacts.query") -> None:
        super().__init__(message)
        self.setting = setting


class ContactNotLoadedError(GreeterError):
    """``--contact ID`` names a row that was rejected: exit 1, as for any rejected row, with its errors."""


class UnknownContactError(ContactNotLoadedError, LookupError):
    """``--contact ID`` names no row at all: a usage error (exit 2), as a misspelt ``--occasion`` is.

    Exit 1 means "the run completed, but some rows were invalid or some
    greetings failed" (DESIGN.md §3); an id that is in no row is neither,
    but a mistake on the command line — most often a typo in the id.
    """

    exit_code = EXIT_USAGE


class TemplateError(GreeterError, ValueError):
    """A template does not compile or fails to render for a contact."""

    def __init__(self, template: str, line: int | None, message: str, contact_id: str = "") -> None:
        self.template = template
        self.line = line
        self.contact_id = contact_id
        #: What went wrong, without the place and the contact (the same for every contact it hits).
        self.detail = message
        where = f"{template}:{line}" if line else template
        who = f" (contact {contact_id})" if contact_id else ""
        super().__init__(f"{where}: {message}{who}")


class TemplateLoadError(TemplateError):
    """The template file itself cannot be used (missing, does not compile): the same for every contact.

    Apart from a render failure so that ``greeter check``, which reports the
    file once, can skip its letters and still render the templates that work.

    One class for the one fact, with or without a contact (there was a
    ``LoadError`` for the contact-less half): :class:`~greeter.template_set.TemplateSet`
    raises it without one and caches it as the template's value (a broken
    file is not parsed again for every contact); :mod:`greeter.render` raises
    it per contact with :meth:`for_contact`; ``check`` reports it once as a
    :class:`Problem` (:meth:`problem`).
    """

    def for_contact(self, contact_id: str) -> TemplateLoadError:
        """The same error, naming the contact whose letter it stopped."""
        return TemplateLoadError(self.template, self.line, self.detail, contact_id)

    def problem(self) -> Problem:
        """The error as ``check`` lists it: the file and line, the message without a contact."""
        return Problem(file=self.template, field="", message=self.detail, line=self.line, kind="template")


class UnsafeHeaderError(GreeterError, ValueError):
    """A value meant for a header would break (or inject) headers; nothing was built.

    Raised by :func:`greeter.message.validate_header_value` and its kin.
    """

    def __init__(self, field: str, value: str, problem: str) -> None:
        self.field = field
        self.value = value
        #: What is wrong, without the field or the value: the config's loader and ``check`` say it
        #: in their own words (a setting's line; one problem for every contact it hits).
        self.problem = problem
        shown = value if len(value) <= 60 else value[:57] + "..."
        super().__init__(f"{field}: {problem} in {shown!r}")


class JournalError(GreeterError, OSError):
    """The journal database is unreachable, locked or of an unknown schema."""

    exit_code = EXIT_USAGE


class JournalMissingError(JournalError):
    """The SQLite journal's file is not where ``storage.url`` says: never made here, or moved away or
    deleted (its lock file or ``-wal`` show it existed). Its own class so that ``/healthz`` names
    it (``journal_problem``: ``journal_missing``, :func:`~greeter.metrics.error_kind`), not ``journal``."""


class JournalDamagedError(JournalError):
    """The SQLite journal's file is there but must not be used: emptied to 0 bytes where its traces
    show it held a journal, or reachable under more than one name (hard links). ``journal_damaged``."""


class JournalReplacedError(JournalError):
    """The SQLite journal's file was replaced while greeter ran (another file moved there, another
    journal copied over it): this process's view is of the old one. ``journal_replaced``."""


class JournalStateError(JournalError):
    """An outcome was recorded for a greeting in a state that cannot have it (a bug, not data)."""


class NotAllMovedError(Exception):
    """Of several moves made at once (:meth:`~greeter.journal_store.JournalStore.mark_all_sent`), one
    found its row in no state it may leave: the transaction they ran in was rolled back, whole.

    Not a user's error: the caller makes the same writes again one at a time, which
    says which row it was (:class:`JournalStateError`) or handles it.
    """


class ClaimedNowError(JournalError):
    """An address has a greeting a running sender is handing over: erasing now would race it.

    Raised by both journals' ``erase`` (``greeter forget``), which changes nothing then.
    """

    def __init__(self, email: str, claimed: Sequence[JournalKey]) -> None:
        cid, occasion, day = claimed[0]
        more = f" and {len(claimed) - 1} more" if len(claimed) > 1 else ""
        super().__init__(
            f"{email}: a greeting to it is being sent right now (contact {cid} {occasion} {day}{more}"
            " claimed by a running sender); nothing erased for it — run forget again once that send"
            " has finished"
        )


class JournalUnavailableError(JournalError):
    """The journal cannot be used right now for an operational reason; the same command may work later.

    A full disk, an I/O error, a database locked for longer than the busy
    timeout, an unreachable PostgreSQL server. Nothing about the configuration
    is wrong, so this is not exit 2 ("fix the config, restarting cannot help")
    but :data:`EXIT_TEMPFAIL`: the unit restarts the daemon, cron's next run
    retries. Which backend errors are operational is decided where they are
    caught (:func:`greeter.journal_schema.journal_error`,
    :func:`greeter.journal_pg_base.pg_journal_error`).
    """

    exit_code = EXIT_TEMPFAIL


class JournalFailedMidRunError(JournalUnavailableError):
    """The journal failed while letters were being sent: some may already have left.

    Raised instead of the journal's own error by :func:`greeter.send.deliver_cycle`,
    so the message says what an operator must know before anything else: how
    many letters the mail server had accepted (``accepted``), how many of them
    the journal recorded as sent (``recorded``), and that the rest stay
    ``claimed`` until the next send marks them ``uncertain`` — never resent.
    Always :data:`EXIT_TEMPFAIL`, never 2: "nothing was sent" would be untrue.
    """

    def __init__(
        self,
        cause: JournalError,
        *,
        accepted: int,
        recorded: int,
        lease_ends: datetime | None = None,
        unrecorded: Sequence[tuple[str, str, date]] = (),
        outbox: bool = False,
    ) -> None:
        self.cause = cause
        self.accepted = accepted
        self.recorded = recorded
        #: The keys of the accepted letters still not recorded after the run's second try.
        self.unrecorded = list(unrecorded)
        #: The file transport: its outbox took the letters, no mail server.
        self.outbox = outbox
        #: A shared (PostgreSQL) journal: about when the unrecorded claims' leases run out (UTC).
        self.lease_ends = lease_ends
        super().__init__(f"{cause}\n{self.consequence()}")

    def consequence(self) -> str:
        """What the failure means for the letters of the run, in one or two lines."""
        taker = "the outbox" if self.outbox else "the mail server"
        if self.accepted == 0:
            return (
                f"the run stopped before {taker} accepted any letter; "
                "run again once the journal can be written (nothing recorded is sent twice)"
            )
        unrecorded = max(self.accepted - self.recorded, 0)
        said = f"the run stopped after {taker} had accepted {self.accepted} letter(s): "
        said += f"{self.recorded} recorded as sent"
        if unrecorded and self.lease_ends is not None:
            # Another machine's send cannot tell a dead sender from a slow one until the lease
            # has run out: "the next send" said nothing for up to lease_seconds.
            ends = f"{self.lease_ends:%Y-%m-%d %H:%M} UTC"
            said += (
                f", {unrecorded} not recorded (still 'claimed': the next send on this machine records"
                f" them as uncertain, a send elsewhere once their lease has run out, about {ends};"
                " never resent; see greeter history --state uncertain)"
            )
        elif unrecorded:
            said += (
                f", {unrecorded} not recorded (still 'claimed': the next send records them as "
                "uncertain, never resends them; see greeter history --state uncertain)"
            )
        if self.unrecorded:
            keys = ", ".join(f"{c} {o} {d.isoformat()}" for c, o, d in self.unrecorded)
            said += (
                f"\naccepted by {taker} but not recorded: {keys} — once recorded uncertain, dismiss them"
                " (greeter uncertain dismiss --contact ID --occasion NAME --date DATE), do not resend them"
            )
        return said + "\nrun again once the journal can be written: nothing recorded is sent twice"


#: How far this machine's clock may be from the journal server's before a sender refuses to run.
CLOCK_TOLERANCE = timedelta(minutes=5)


def _span(delta: timedelta) -> str:
    """``4 days``, ``3 hours``, ``12 minutes``: a (positive) difference in its largest unit, rounded."""
    seconds = int(delta.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = round(seconds / size)  # 4 days less the second the comparison took is 4 days
            return counted(n, unit)
    return f"{seconds} seconds"


def clock_skew_problem(
    local: datetime, server: datetime, tolerance: timedelta = CLOCK_TOLERANCE
) -> str | None:
    """Pure: why a sender whose clock says ``local`` must not send while the server says ``server``.

    A shared journal's senders each decide by their own clock what is due and
    what has expired (only leases are the server's): a host running days ahead
    records ``expired`` — for good — greetings the other hosts would send later
    that day, and one running behind sends late. None: within ``tolerance``.
    """
    off = local - server
    if abs(off) <= tolerance:
        return None
    ahead = "ahead of" if off > timedelta(0) else "behind"
    harm = (
        "greeter would record greetings expired that other hosts will still send"
        if off > timedelta(0)
        else "greeter would send greetings late, or again after other hosts expired them"
    )
    return (
        f"this machine's clock is {_span(abs(off))} {ahead} the journal's database server"
        f" ({local.astimezone(server.tzinfo):%Y-%m-%d %H:%M:%S} here,"
        f" {local_time(server, '%Y-%m-%d %H:%M:%S')} there):"
        f" fix the clock (NTP) — {harm}; nothing was sent or recorded"
    )


#: The ``send`` flag that says the clock is right although the journal recorded later times.
CLOCK_IS_RIGHT_FLAG = "--clock-is-right"


def journal_clock_problem(
    now: datetime, newest: datetime | None, tolerance: timedelta = CLOCK_TOLERANCE
) -> str | None:
    """Pure: why a sender whose clock says ``now`` must not send from a journal that recorded ``newest``.

    Every moment a journal records is a sender's clock at the time, so one
    recorded later than ``now`` means a clock went wrong: this one is behind
    now (it would send late, or again), or one ran ahead before (it recorded
    greetings ``expired`` for good, and sent later days' letters). Either
    way a person decides; after a correction the journal holds those later
    times until then, so the refusal names the flag that accepts this clock.
    None: ``newest`` is no later than ``now`` plus ``tolerance`` (or nothing
    was recorded yet).
    """
    if newest is None or newest - now <= tolerance:
        return None
    return (
        f"the clock reads {local_time(now.astimezone(), '%Y-%m-%d %H:%M:%S')}, but the journal recorded"
        f" a greeting at {local_time(newest.astimezone(), '%Y-%m-%d %H:%M:%S')}, {_span(newest - now)}"
        " later: fix the clock (NTP); nothing was sent or recorded. If the clock is right now and those"
        " times came from a clock that ran ahead (or a --now rehearsal on this journal), run"
        f" greeter send --once {CLOCK_IS_RIGHT_FLAG} once: it moves them back to now and puts back"
        " the greetings they recorded expired"
    )


class ClockSkewError(JournalError):
    """This machine's clock is far from the shared journal's database server's: not sending.

    Each sender decides by its own clock what is due and what has expired; a
    host days ahead recorded, for good, ``expired`` greetings other hosts
    would have sent that day. :data:`EXIT_TEMPFAIL`: once NTP has fixed the
    clock the same command works (the daemon tries again at its next tick).
    """

    exit_code = EXIT_TEMPFAIL


class JournalNewerError(JournalError):
    """A shared journal's schema is newer than this greeter knows (at its open, or since): not sending.

    Another machine's newer greeter upgraded the PostgreSQL journal (several
    daemons share it, so no lock keeps an upgrade out as SQLite's does). Until
    its next start this sender would claim and write rows of a schema it does
    not know (columns added, constraints changed). :data:`EXIT_TEMPFAIL`: the
    cure is installing the new greeter on this machine, after which the same
    command works; the daemon keeps running and tries again at its next tick.
    ``found``/``latest``: the journal's version and this greeter's.
    """

    exit_code = EXIT_TEMPFAIL

    def __init__(self, url: str | None, found: int, latest: int) -> None:
        where = f"journal {url}: " if url is not None else ""
        super().__init__(
            f"{where}journal schema version {found} is newer than this greeter knows ({latest});"
            " upgrade greeter on this machine: a newer greeter upgraded the shared journal, and this"
            " one claims and sends nothing until then (docs/operations.md, Upgrading greeter)"
        )
        self.found = found
        self.latest = latest


class JournalTooNewError(JournalError):
    """A SQLite journal a newer greeter wrote: on this machine, downgraded since, or on the one it was
    copied from. Not sending, not reading.

    Exit 2, as any :class:`JournalError`, where a shared PostgreSQL journal's is
    :class:`JournalNewerError`'s 75: no other machine is in the middle of an
    upgrade, and nothing mends it by itself, so a restart or a retry would only
    loop. Its own class so that a journal opened read-only when it could not be
    written (``history`` of a ``chmod 444`` file) says this, the refusal, rather
    than why it could not be written.
    """


class JournalRewoundError(JournalError):
    """A SQLite journal lacks letters its note says it held: put back from an older copy. Not sending.

    Every letter the older copy does not hold that is still within
    ``catch_up_days`` would go again (:mod:`greeter.journal_mark`).
    :data:`EXIT_TEMPFAIL`, as a clock behind the journal: nothing is wrong with
    the config, a person decides (``greeter baseline`` after a restore), and
    the daemon keeps running and tries again at its next tick.
    """

    exit_code = EXIT_TEMPFAIL


class JournalMovedError(JournalError):
    """A journal ``copy-journal`` copied elsewhere (marked copied): greeter sends from the copy now.

    Sending from it, or recording an opt-out in it, writes into a file or
    schema no greeter reads any more (:mod:`greeter.journal_moved`). Exit 2,
    as every refusal of a marked journal: the config points at the wrong
    journal. Its own class so that ``/healthz`` names the kind
    (``journal_moved``, :func:`~greeter.metrics.error_kind`) when a daemon
    left running on the old journal refuses its runs and one-click opt-outs.
    ``to``: where it was copied (its URL without password).
    """

    def __init__(self, message: str, to: str) -> None:
        super().__init__(message)
        self.to = to


class JournalLockedError(JournalError):
    """Another greeter process is already sending from this (SQLite) journal.

    A passing condition, not a mistake in the configuration: the other sender
    may be a ``send --once`` about to finish or a daemon being stopped, so this
    is :data:`EXIT_TEMPFAIL` — cron's next run, or systemd's restart, tries
    again. Not a :class:`JournalUnavailableError`: the journal itself is fine,
    and its message says who holds it rather than "once it can be written".
    """

    exit_code = EXIT_TEMPFAIL


class Abandoned(Exception):
    """A stop (or the patience) ran out before an off-loop call finished; it goes on unawaited.

    Raised by :func:`greeter.off_loop.unless_stopped` and :func:`~greeter.off_loop.within`
    (and by the daemon for a stop during start-up), and always caught by the
    ``await`` right above them, before any other clause.

    Deliberately *not* a :class:`GreeterError`, though it lives in this tree's
    module. It is control flow, no user's or operator's problem: it carries no
    message and no exit code. As a :class:`GreeterError` it would change who
    catches it — :meth:`greeter.daemon_reload.DaemonReloads._load_inputs`'s ``except
    GreeterError`` (which takes the fingerprint of a refused config) would run
    for a stop, and one that ever escaped would be logged by
    :func:`greeter.daemon.run_daemon` as a ``cannot_start`` with an empty hint
    and exit 1, or printed by the CLI as an empty line, instead of the
    internal error (exit 3, with its traceback) that a missed ``except
    Abandoned`` is.
    """


class ListenError(GreeterError, OSError):
    """The daemon's HTTP listener cannot bind its address.

    :data:`EXIT_TEMPFAIL` when the port is taken by this project's previous
    daemon, still stopping (:mod:`greeter.port_holder`), :data:`EXIT_USAGE` when
    another project's daemon or another program holds it, or the address cannot
    be bound at all (not an address of this machine, a privileged port, a host
    name that does not resolve): set per instance from the socket error.
    """

    def __init__(self, message: str, *, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class StdoutError(GreeterError, OSError):
    """A write to the command's standard output failed: a full disk, an I/O error, stdout closed.

    An :class:`OSError` still, so that code which expects the terminal to go
    (``send --once`` stopped by SIGHUP) keeps catching it; never the reader of a
    pipe going away (:class:`BrokenPipeError`, exit 141). Raised by
    :mod:`greeter.out_stream`'s stdout, and said by the command group once, after
    the command's own flush (:func:`greeter.out_stream.ended_writing`): exit
    :data:`EXIT_TEMPFAIL`, as a full disk under the journal is.
    """

    exit_code = EXIT_TEMPFAIL

    def message(self) -> str:
        """The line the command ends with."""
        return f"greeter: cannot write to standard output: {self.strerror}"

    def hint(self) -> str:
        return self.message()


class StdoutEncodingError(StdoutError):
    """Standard output's encoding, chosen explicitly (``PYTHONIOENCODING=ascii``, a ``KOI8-R``
    locale), cannot carry a character greeter writes: a Cyrillic name, a ``«``.

    Said as :class:`StdoutError` is, once, by the command group: not "internal
    error … a bug in greeter" (exit 3) as it was. Exit :data:`EXIT_USAGE`: the
    environment's setting must change, a retry writes the same characters.
    """

    exit_code = EXIT_USAGE

    def message(self) -> str:
        return f"greeter: cannot write to standard output: {self.strerror}"


class OutputFolderError(GreeterError, OSError):
    """``preview --out`` names a folder it must not write into.

    One where the files to write would replace files greeter did not write, or
    the ``file`` transport's outbox of delivered letters.
    """

    exit_code = EXIT_USAGE


class OutputError(GreeterError, OSError):
    """A file or folder the command was told to write cannot be written (``calendar -o``, ``preview --out``…).

    The user's path and the system's reason in one line, exit 2 like a
    contacts file that cannot be read: the path is the user's to fix, not a
    bug in greeter — unless the system's reason is one of
    :data:`TEMPORARY_ERRNOS` (a full disk, an I/O error): then
    :data:`EXIT_TEMPFAIL`, as ``history --json > FILE`` on that disk says,
    for nothing in the command line is wrong and the same command works once
    there is room (:meth:`of`).
    """

    exit_code = EXIT_USAGE

    @classmethod
    def of(cls, path: object, exc: OSError) -> OutputError:
        """``"/proc/x.ics: cannot write: Permission denied"``, and the path that failed if another.

        A folder that is not there is named, with the command that makes it: ``backup
        /var/backups/greeter/Mon.sqlite3`` (or ``calendar -o reports/x.ics``) on a machine where
        nobody made that folder said only "No such file or directory", and an operator looked
        for a missing journal.
        """
        import shlex
        from pathlib import Path

        folder = Path(str(path)).parent
        if isinstance(exc, FileNotFoundError) and not folder.exists():
            return cls(
                f"{path}: cannot write: the folder {folder} does not exist;"
                f" create it first (mkdir -p {shlex.quote(str(folder))})"
            )
        reason = exc.strerror or str(exc)
        failed = f" ({exc.filename})" if exc.filename is not None and str(exc.filename) != str(path) else ""
        error = cls(f"{path}: cannot write: {reason}{failed}")
        if exc.errno in TEMPORARY_ERRNOS:  # not the path's fault: the same command works once there is room
            error.exit_code = EXIT_TEMPFAIL
        return error
