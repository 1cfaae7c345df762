"""``greeter check``'s look at where letters go and what sending needs.

The mail server or outbox, DKIM alignment, one-click unsubscribe served or
not, the secrets ``send`` and ``run`` refuse to start without (and their
files' modes), the journal's and the CRM's databases: each probed as a send
would, without sending or creating anything, into the :class:`CheckReport`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

from greeter.check_report import CheckReport
from greeter.config import Settings
from greeter.db_checks import DatabaseStatus, contacts_status, journal_status
from greeter.errors import ConfigError, GreeterError, Problem
from greeter.journal_schema import READ_ONLY_MOUNT

if TYPE_CHECKING:
    from collections.abc import Sequence

    from greeter.journal_store import JournalStore


def check_delivery(report: CheckReport, settings: Settings) -> None:
    """Try where letters go as a send would: the mail server (:func:`check_smtp`) or the outbox.

    An outbox that cannot be written is an error: every letter would go to
    ``retry`` (and ``send --once`` exit 75) until someone changes the folder
    — a mail server down mends itself, a folder's mode does not. (It was a
    warning, for a ``check`` run as another user than the sender's; but a
    pod restarted under another UID read ``check: OK`` over an outbox it
    could never write.) Run ``check`` as the sender's user.
    """
    if settings.delivery.transport == "smtp":
        report.problems.extend(short_lease(settings))
        check_smtp(report, settings)
        return
    from greeter.transport import FileTransport

    outbox = settings.delivery.outbox
    why = FileTransport(outbox).probe()
    report.outbox = (str(outbox), why is None, "writable" if why is None else why)
    if why is not None:
        message = f"{why}; every letter would go to retry (run check as the user greeter sends as)"
        report.problems.append(Problem(str(outbox), "delivery.outbox", message))


def short_lease(settings: Settings) -> list[Problem]:
    """A warning when a shared journal's claims may lapse during one SMTP transaction.

    ``lease_seconds`` shorter than twice ``delivery.smtp.timeout_seconds``: a
    sender renews its claims every third of a lease while its letters await
    the server, so a lease that short leaves one or two missed renewals (a
    journal that stalls for a moment) between a live sender and another one
    recording its letters ``uncertain``. Not an error: renewals usually work.
    """
    url = settings.storage.url
    if not url.startswith(("postgresql:", "postgres:")):
        return []
    from greeter.journal_pg_schema import parse_target

    try:
        target = parse_target(url)
    except GreeterError:
        return []  # the journal's own check says what is wrong with the URL
    lease, timeout = target.lease.total_seconds(), settings.delivery.smtp.timeout_seconds
    if lease >= 2 * timeout:
        return []
    message = (
        f"lease_seconds={lease:g} is shorter than twice delivery.smtp.timeout_seconds ({timeout:g} s):"
        " a sender's claims may run out while a slow server answers, and another sender then records"
        " its letters uncertain; use lease_seconds of at least "
        f"{2 * timeout:g} (default 600)"
    )
    return [Problem(target.shown, "storage.url", message, severity="warning")]


def check_smtp(report: CheckReport, settings: Settings) -> None:
    """Connect, greet, secure and log in as a send would.

    Unreachable is a warning (sending would retry, and a marketer checking
    templates may be off the network); a password that is not where the
    config says, a login the server refuses, a username for a server that
    offers no AUTH greeter can use, or a server that demands a login greeter
    does not make (530 to MAIL FROM, probed without a username) is an error:
    ``send`` stops at each (exit 2), and only a changed config gets a letter
    out.
    """
    from greeter.secret_values import at_setting, read_password
    from greeter.smtp_transport import SmtpTransport
    from greeter.transport import LOGIN_REFUSED

    smtp = settings.delivery.smtp
    where = f"{smtp.host}:{smtp.port}"
    try:
        password = read_password(smtp.password_env, smtp.password_file, "SMTP password")
    except ConfigError as exc:
        report.smtp = (where, False, "not tried: " + "; ".join(p.message for p in exc.problems))
        found = exc.problems
        if not smtp.password_env:  # the file's problem, at the setting naming it (as send says it)
            found = at_setting(found, report.config_file, ("delivery", "smtp", "password_file"))
        report.problems.extend(found)
        report.smtp_errors += len(found)
        report.fatal = True  # send and run exit 2 for it: a configuration error
        return
    transport = SmtpTransport(smtp, password, return_path=settings.delivery.return_path)
    failure = asyncio.run(transport.diagnose(settings.sender.email))
    if failure is None:
        security = {"none": "no TLS", "starttls": "STARTTLS", "tls": "TLS"}[smtp.security]
        done = f"OK ({security}{f', logged in as {smtp.username}' if smtp.username else ''})"
        report.smtp = (where, True, done)
        return
    if failure.halt_kind not in (None, LOGIN_REFUSED):  # no AUTH, a 530 to MAIL FROM, a wrong TLS
        report.smtp = (where, False, failure.why)
        message = f"{failure.why}; send would stop at it"
        report.problems.append(Problem(f"smtp://{where}", failure.setting, message))
        report.smtp_errors += 1
        return
    if failure.halt_kind == LOGIN_REFUSED:
        secret = f"environment variable {smtp.password_env}" if smtp.password_env else smtp.password_file
        report.smtp = (where, False, f"{failure.why} (username {smtp.username!r})")
        message = (
            f"{failure.why} (username {smtp.username!r}): check delivery.smtp.username and the "
            f"password ({secret}); send would stop at it"
        )
        report.problems.append(Problem(f"smtp://{where}", "delivery.smtp", message))
        report.smtp_errors += 1
        return
    report.smtp = (where, False, f"cannot connect: {failure.why}")
    message = f"cannot connect: {failure.why}; sending would retry"
    report.problems.append(Problem(f"smtp://{where}", "delivery.smtp", message, severity="warning"))


def dkim_alignment(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning when ``delivery.dkim.domain`` is not aligned with the From: domain (DMARC, RFC 7489 §3.1.1).

    Signing passes either way, but DMARC passes on DKIM only when d= and the
    From: domain share their organizational domain: a receiver enforcing the
    From domain's DMARC policy (Gmail and Yahoo require one of bulk senders)
    rejects or junks letters signed for another domain. Relaxed alignment is
    approximated without the public suffix list: d= is the From: domain, a
    parent of it or a child of it (``romashka.example`` signs
    ``greetings@mail.romashka.example``).
    """
    dkim = settings.delivery.dkim
    if dkim is None:
        return []
    author = settings.sender.domain.lower()
    if dmarc_aligned(dkim.domain, author):
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("delivery", "dkim", "domain"))
    message = (
        f"letters are signed for {dkim.domain!r} but come from {author!r} (sender.email): DMARC "
        f"needs the signing domain to be the From: domain or a parent of it, so receivers that "
        f"check DMARC (Gmail, Yahoo, Mail.ru) may reject or junk them; sign with d={author} "
        "(or its parent domain), or send from an address in the signing domain"
    )
    return [Problem(str(config_file), "delivery.dkim.domain", message, line, col, severity="warning")]


def dmarc_aligned(domain: str, author: str) -> bool:
    """Whether ``domain`` (DKIM's d=, SPF's MAIL FROM domain) aligns with the From: domain ``author``.

    DMARC's relaxed alignment (RFC 7489 §3.1) asks for the same organizational
    domain, which needs the public suffix list; approximated without it as the
    same domain, a parent or a child (``romashka.example`` and
    ``mail.romashka.example``), in any case and with or without a final dot.
    One rule for every identifier DMARC looks at, so they cannot disagree.
    """
    one, other = domain.lower().strip("."), author.lower().strip(".")
    return one == other or one.endswith("." + other) or other.endswith("." + one)


def unserved_one_click(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning when letters advertise one-click unsubscribe that this config does not serve.

    With ``unsubscribe.url`` every letter carries ``List-Unsubscribe-Post``
    (RFC 8058), and Gmail and Yahoo show an "Unsubscribe" button that POSTs
    to the link. Only ``greeter run`` with ``http.enabled`` answers it; a
    ``send --once`` from cron, or a daemon with the listener off, leaves the
    POST failing, and the recipient's next click is "Report spam". Another
    process (a ``run`` elsewhere behind the same URL) may serve it, so this
    is a warning, not an error.
    """
    url = settings.unsubscribe.url
    if not url or settings.http.enabled:
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("unsubscribe", "url"))
    message = (
        f"letters advertise one-click unsubscribe (RFC 8058) at {url}, but http.enabled is false, so "
        f"this config does not serve it: make sure a `greeter run` with http.enabled serves {url}, "
        "or Gmail/Yahoo will POST to a dead endpoint"
    )
    return [Problem(str(config_file), "unsubscribe.url", message, line, col, severity="warning")]


def check_secrets(report: CheckReport, settings: Settings) -> None:
    """The secrets ``send`` and ``run`` need besides the SMTP password must be where the config says.

    The unsubscribe secret and the DKIM key file, through the same
    :func:`~greeter.send_transport.missing_secrets` ``send`` and ``run`` refuse with, so
    the words are theirs (the values are never shown) — and so is the exit
    code, 2. The SMTP password is :func:`check_smtp`'s, which needs it to log in.
    """
    from greeter.dkim_sign import read_key
    from greeter.send_transport import missing_secrets

    problems = missing_secrets(settings, report.config_file, smtp=False, dkim=False)
    key: bytes | None = None  # read once, for send's refusal and for the warning (it was read twice)
    if settings.delivery.dkim is not None:
        try:
            key = read_key(settings.delivery.dkim)
        except ConfigError as exc:
            problems.extend(exc.problems)
    report.problems.extend(problems)
    report.secret_errors += len(problems)
    report.fatal |= bool(problems)  # send and run exit 2 for them: a configuration error
    report.problems.extend(loose_secret_files(settings, report.config_file))
    report.problems.extend(short_dkim_key(key, report.config_file))


def short_dkim_key(key: bytes | None, config_file: Path) -> list[Problem]:
    """A warning for a DKIM ``key`` (the configured one, read; None: none, or unusable) that signs but
    is shorter than 2048 bits (1024: usable, not advised).

    One under 1024 bits is refused (:func:`~greeter.dkim_sign.key_problem`); a 1024-bit one
    passed silently, though RFC 8301 and M3AAWG ask signers for 2048. Letters still verify,
    so a warning, at the setting, with the fix.
    """
    from greeter.dkim_sign import short_key_warning

    message = short_key_warning(key) if key is not None else None
    if message is None:
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("delivery", "dkim", "key_file"))
    return [Problem(str(config_file), "delivery.dkim.key_file", message, line, col, severity="warning")]


#: What to do about a secret file others may read or change, for a plain host and for Kubernetes.
ONLY_GREETER_READS = (
    "make it readable by greeter's user or group only (chmod 600, or 640 with greeter's group; "
    "in Kubernetes: the secret volume's defaultMode 0440 with the pod's fsGroup)"
)


def loose_secret_files(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning for each secret file other users may read or change (its mode only: never its content).

    A ``password_file`` left ``0644`` by a ``umask 022`` shell is readable by
    every account on the machine; a group-writable DKIM key lets the group
    sign as the domain. Sending still works, so a warning, with the fix. A
    file that cannot be read is :func:`~greeter.send_transport.missing_secrets`' error.

    The fix is not "chmod 600": a Kubernetes secret mount is root's and
    read-only, and ``0600`` there is a file the non-root greeter cannot read;
    what matters is that only greeter's user or group reads it.
    """
    named: list[tuple[str, Path | None]] = [
        ("delivery.smtp.password_file", settings.delivery.smtp.password_file),
        ("unsubscribe.secret_file", settings.unsubscribe.secret_file),
    ]
    if settings.delivery.dkim is not None:
        named.append(("delivery.dkim.key_file", settings.delivery.dkim.key_file))
    problems: list[Problem] = []
    for setting, path in named:
        try:
            mode = stat.S_IMODE(path.stat().st_mode) if path is not None else 0
        except OSError:
            continue
        loose = _loose_mode(mode)
        if loose:
            message = f"{path} is {loose} (mode {mode:04o}): {ONLY_GREETER_READS}"
            problems.append(Problem(str(config_file), setting, message, severity="warning"))
    return problems


def writable_by_everyone(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning for each file that decides what is sent, and to whom, that every user may change.

    The config names the relay and the sender, the templates are the words, the
    contacts file the recipients: a ``umask 000`` shell (``greeter init`` obeys
    the umask, as every tool does) leaves them mode 0666, and any account on the
    machine can then send the company's mail to anyone under its name. A world-
    writable templates folder without the sticky bit lets anyone replace a
    letter too. Group-writable stays silent on purpose: a marketing team editing
    the letters together is the usual set-up. Sending still works, so a warning.
    """
    named: list[tuple[str, Path | None]] = [("(the config file)", config_file)]
    if settings.contacts.source in ("csv", "xlsx"):
        named.append(("contacts.path", settings.contacts.path))
    named.append(("send_window.days_off_ics", settings.send_window.days_off_ics))
    named += [(f"occasions.{o.name}.ics", o.ics) for o in settings.occasions if o.ics is not None]
    folder = Path(settings.templates_dir)
    named.append(("templates_dir", folder))
    with contextlib.suppress(OSError):  # an unreadable folder is the template checks' error
        named += [("templates_dir", path) for path in sorted(folder.rglob("*")) if path.is_file()]
    problems: list[Problem] = []
    for setting, path in named:
        try:
            mode = path.stat().st_mode if path is not None else 0
        except OSError:
            continue  # a missing file is the loader's error
        if not mode & stat.S_IWOTH or (stat.S_ISDIR(mode) and mode & stat.S_ISVTX):
            continue
        what = "folder" if stat.S_ISDIR(mode) else "file"
        message = (
            f"{path} is writable by every user (mode {stat.S_IMODE(mode):04o}): anyone on this machine "
            f"can change what greeter sends and to whom; chmod o-w {path}"
            + (f" (or chmod +t {path}: only a file's owner may then replace it)" if what == "folder" else "")
        )
        problems.append(Problem(str(config_file), setting, message, severity="warning"))
    return problems + replaceable_from_above(named, config_file)


def replaceable_from_above(named: Sequence[tuple[str, Path | None]], config_file: Path) -> list[Problem]:
    """A warning for each folder above those files in which every user may swap an entry.

    A file of mode 0644 is no safer than its folders: in a folder every user may
    write, and without the sticky bit, anyone may rename the file (or the
    folder leading to it) away and put their own in its place — the same
    config, letters or recipients of :func:`writable_by_everyone`, replaced
    instead of edited. Each folder from the file up to the filesystem's root is
    looked at, not only up to the first one root owns: renaming a folder inside
    its own parent needs write access to that parent only, so a ``/srv`` of
    mode 0777 above a root-owned ``/srv/greeter`` of 0755 still lets anyone put
    another ``/srv/greeter`` there. A folder of a symlinked path (a Kubernetes
    ConfigMap's ``..data``) is looked at as written and as it resolves.

    Silent: a sticky folder (``/tmp``'s 1777 — the kernel then lets only an
    entry's owner, the folder's owner or root rename or delete it, so others
    cannot replace greeter's file), a group-writable one (a team's, as for the
    files), and a folder on a read-only mount: a ConfigMap's or Secret's
    volume shows mode 0777 but nobody can write it. The named folders
    themselves (``templates_dir``) are the caller's; each folder is said once.
    """
    seen: set[tuple[int, int]] = set()
    for _, path in named:
        with contextlib.suppress(OSError):
            if path is not None and path.is_dir():
                seen.add(_identity(path.stat()))
    looked: set[Path] = set()  # by name first: the templates share their folders
    problems: list[Problem] = []
    for setting, path in named:
        if path is None or not path.exists():
            continue  # a missing file is the loader's error
        for folder in _folders_above(path):
            if folder in looked:
                continue
            looked.add(folder)
            try:
                status = folder.stat()
                if _identity(status) in seen:
                    continue
                seen.add(_identity(status))
                mode = status.st_mode
                if not mode & stat.S_IWOTH or mode & stat.S_ISVTX:
                    continue
                if os.statvfs(folder).f_flag & os.ST_RDONLY:
                    continue
            except OSError:
                continue
            message = (
                f"{folder} is writable by every user (mode {stat.S_IMODE(mode):04o}) and not sticky: "
                f"anyone on this machine can replace {path} below it, and so change what greeter sends "
                f"and to whom; chmod o-w {folder} (or chmod +t {folder}: only an entry's owner may then "
                "replace it)"
            )
            problems.append(Problem(str(config_file), setting, message, severity="warning"))
    return problems


def _identity(status: os.stat_result) -> tuple[int, int]:
    """One folder, however it is named (through a symlink, ``..``): its device and inode."""
    return status.st_dev, status.st_ino


def _folders_above(path: Path) -> list[Path]:
    """Every folder the kernel goes through to reach ``path``: its parents as written, then as resolved."""
    written = Path(os.path.abspath(path))
    chains = [written.parents]
    with contextlib.suppress(OSError, RuntimeError):
        chains.append(path.resolve(strict=True).parents)
    return list(dict.fromkeys(folder for chain in chains for folder in chain))


def _loose_mode(mode: int) -> str | None:
    """Who besides the owner (and a group that only reads) may read or change a file of ``mode``, or None."""
    read_all = bool(mode & stat.S_IROTH)
    write_all = bool(mode & stat.S_IWOTH)
    if read_all and write_all:
        return "readable and writable by every user"
    said = ["readable by every user"] if read_all else []
    if write_all:
        said.append("writable by every user")
    elif mode & stat.S_IWGRP:
        said.append("writable by its group")
    return " and ".join(said) or None


def check_databases(
    report: CheckReport, storage_url: str, contacts_url: str | None, contacts_password_env: str | None = None
) -> None:
    """Probe the journal and the CRM: each a problem if unusable, as its own line in the summary.

    A database that does not answer *now* is an error that alone makes the
    exit code 75 (:meth:`CheckReport.exit_code`); a CRM that refuses the
    config's settings is exit 2, like a contacts file that cannot be read,
    and so is a journal that ``send`` refuses for what the config says (a
    folder named as its file, one lost, one on a read-only mount, a wrong
    password, a SQLite journal a newer greeter wrote): the exit code send and
    run give for it. A PostgreSQL journal a newer greeter upgraded is 75, as
    theirs: another machine's rolling upgrade, mended by upgrading greeter here.
    """
    journal = journal_status(storage_url)
    report.databases.append(journal)
    if not journal.ok:
        report.problems.append(Problem(journal.url, "storage.url", journal.detail))
        report.fatal |= (not journal.reachable or journal.too_new) and not journal.unavailable
    elif journal.read_only == READ_ONLY_MOUNT:
        # Readable, so history and preview work; but no send or run can write it.
        message = f"{journal.read_only}: send and run cannot record greetings in it"
        report.problems.append(Problem(journal.url, "storage.url", message, severity="warning"))
    elif journal.read_only is not None:
        # Another user (the daemon's) may write it, so a warning, not an error: check often runs as
        # an operator. Said nothing, `check` passed as the daemon's own pre-start probe and `run`
        # then stopped at exit 2 (a data/ volume owned by root); `check --strict` now fails there.
        message = (
            f"user {_user()} cannot write it ({journal.read_only}): a send or run as this user would "
            "stop at it; fine if the daemon runs as a user who can"
        )
        report.problems.append(Problem(journal.url, "storage.url", message, severity="warning"))
    if journal.reachable and not storage_url.startswith("postgresql://"):
        from greeter.journal_schema import path_from_url
        from greeter.journal_space import space_warnings

        for said in space_warnings(path_from_url(storage_url)):  # a -wal left big, a disk near full
            report.problems.append(Problem(journal.url, "storage.url", said, severity="warning"))
    if contacts_url is not None:
        contacts_database(report, contacts_status(contacts_url, contacts_password_env))


#: Top-level folders of a server a journal is meant to be under (``/var/lib/greeter/…``).
SYSTEM_FOLDERS: Final = frozenset(
    {"var", "srv", "opt", "home", "tmp", "etc", "usr", "mnt", "media", "root", "run"}
)


def system_folder_slip(storage_url: str, config_file: Path) -> Problem | None:
    """A warning when a SQLite journal's path, relative to the config, starts with a system folder's
    name (``var``, ``srv``, ``opt``…) that does not exist beside the config.

    ``sqlite:///var/lib/greeter/journal.sqlite3`` is ``<project>/var/lib/greeter/…``: an absolute
    path takes four slashes. Written so, the first send made a new journal inside the project, and
    ``check`` had said only "var/lib/greeter/journal.sqlite3: no journal yet".
    """
    if not storage_url.startswith("sqlite:///"):
        return None
    from greeter.config_loader import locate
    from greeter.journal_schema import path_from_url

    path, base = path_from_url(storage_url), config_file.parent
    try:
        meant = path.relative_to(base).as_posix()
    except ValueError:  # written absolute (four slashes): where it was meant
        return None
    first = meant.split("/", 1)[0]
    if first not in SYSTEM_FOLDERS or (base / first).exists():
        return None
    message = (
        f"the journal is {path.absolute()}: a path after sqlite:/// is relative to the config;"
        f" did you mean sqlite:////{meant} (four slashes: /{meant})?"
    )
    line, col = locate(config_file, ("storage", "url"))
    return Problem(str(config_file), "storage.url", message, line, col, severity="warning")


@contextmanager
def checked_journal(report: CheckReport, storage_url: str, now: datetime) -> Iterator[JournalStore | None]:
    """The journal, opened once for check's reads of it (:func:`check_journal_state`, the open letters,
    :func:`check_journal_project`) and closed after them; None when it is not to be read.

    As send opens it when it is at this greeter's schema; an older one read-only, never upgraded
    (:func:`_read_unmigrated`). None when :func:`check_databases` found it unusable, or when it is
    damaged (said here: a SQLite journal's pages, ``PRAGMA quick_check``), or when it cannot be
    opened (its status line says why). Each reader opened it anew: three opens of one journal,
    three connection pools of a PostgreSQL one, in every check.
    """
    from greeter.journal import open_existing_journal

    status = next((d for d in report.databases if d.role == "journal"), None)
    if status is None or not status.ok:
        yield None  # check_databases said why
        return
    if storage_url.startswith("sqlite") and (damage := sqlite_damage(storage_url)) is not None:
        report.problems.append(Problem(status.url, "storage.url", damage))
        # Its own line too: "journal schema version 7 of 7" read as a journal that works.
        report.databases[report.databases.index(status)] = replace(status, reachable=False, detail="damaged")
        report.fatal = True  # send and run exit 2 for it
        yield None
        return
    older = status.schema_version != status.latest_version  # opened as send opens it, it would be upgraded
    try:
        journal = _read_unmigrated(storage_url) if older else open_existing_journal(storage_url, now=now)
    except (GreeterError, sqlite3.Error):
        journal = None  # the journal's status line already says how it is
    try:
        yield journal
    finally:
        if journal is not None:
            journal.close()


def check_journal_state(report: CheckReport, journal: JournalStore | None, now: datetime) -> None:
    """What ``send`` would refuse in a journal that opens: damaged pages, times later than the clock.

    ``journal``: :func:`checked_journal`'s, which also says the damage. A SQLite journal whose
    header is whole but whose inner pages are damaged passed as OK, and send
    and history then stopped at "database disk image is malformed": SQLite's
    ``PRAGMA quick_check`` reads every page (0.14 s for 60,000 greetings;
    it skips ``integrity_check``'s index-to-table cross-check, twice the
    time). A journal that recorded a change later than the clock (on the real
    clock only, as send: :func:`~greeter.clock_sanity.check_journal_clock`)
    is said with send's own words, as a warning (``check --strict`` fails on it):
    a project's copy a ``--now`` rehearsal ran ahead holds later times too. So is
    a SQLite journal put back from an older copy (:mod:`greeter.journal_mark`).
    A PostgreSQL journal's server whose clock is off this machine's by more than
    the tolerance (:meth:`~greeter.journal_pg_base.PgJournalBase.clock_skew`) is
    said in send's words too, but not as a warning: send and run stop at it every
    time, with exit 75 ("try again later": NTP may mend it) — so check counts the
    journal as not usable now, and exits 75 when nothing else is wrong, as for a server down.
    """
    from greeter.errors import journal_clock_problem
    from greeter.journal import Journal
    from greeter.journal_mark import journal_rewound
    from greeter.send import on_real_clock

    status = next((d for d in report.databases if d.role == "journal"), None)
    if status is None or journal is None:
        return
    sqlite_journal = isinstance(journal, Journal)
    real = on_real_clock(now, datetime.now(UTC))  # a rehearsal's moment is meant to differ from the clock
    if not real and not sqlite_journal:
        return  # only a SQLite journal has a note to be compared with at any moment
    try:
        skew = None if sqlite_journal or not real else _server_clock_skew(journal, now)
        problem = journal_clock_problem(now, journal.newest_change()) if real else None
        rewound = journal_rewound(journal)  # any moment: a restore is no matter of the clock
    except (GreeterError, sqlite3.Error):
        return  # the journal's status line already says how it is
    if rewound is not None:  # a warning, as the dry run says it: a person decides (baseline, the note)
        message = f"send refuses it: {rewound}"
        report.problems.append(Problem(status.url, "storage.url", message, severity="warning"))
    if skew is not None:  # send and run stop at it whatever the journal holds: exit 75, as they do
        report.problems.append(Problem(status.url, "storage.url", f"send refuses it: {skew}"))
        detail = f"{status.detail}; not usable from this machine now: its clock is off the server's"
        report.databases[report.databases.index(status)] = replace(
            status, reachable=False, unavailable=True, detail=detail
        )
    if problem is not None:  # a warning: a rehearsed copy of a project holds later times too
        message = f"send refuses it: {problem}"
        report.problems.append(Problem(status.url, "storage.url", message, severity="warning"))


def _read_unmigrated(storage_url: str) -> JournalStore | None:
    """A journal of an older schema, opened for reading only — never upgraded: check promises that
    the next command but check and backup upgrades it, and an older greeter then refuses it. A
    SQLite one is read as it is; a PostgreSQL one has no such open (None: its clock is left to send).
    """
    if not storage_url.startswith("sqlite"):
        return None
    from greeter.journal import Journal
    from greeter.journal_schema import open_read_only, path_from_url

    path = path_from_url(storage_url)
    return Journal(open_read_only(path), path, read_only="check only reads it")


def check_journal_project(
    report: CheckReport, settings: Settings, config_file: Path, journal: JournalStore | None
) -> None:
    """An error when the journal belongs to another project's config (:mod:`greeter.journal_project`):
    ``send`` and ``run`` refuse it (exit 2), so check says it too, naming both projects.

    Only reads ``journal`` (:func:`checked_journal`'s), and only one :func:`check_databases` found
    usable; one from before the record was kept (an older schema, read-only here) has none, and
    nothing is said.
    """
    from greeter.journal_moved import moved, moved_message
    from greeter.journal_project import foreign_project_message, journal_shown, project_of

    status = next((d for d in report.databases if d.role == "journal"), None)
    if journal is None or status is None or not status.ok or status.schema_version != status.latest_version:
        return
    current = project_of(settings, config_file)
    try:
        recorded = journal.project()
        mark = moved(journal)
    except GreeterError:
        return  # the journal's status line already says how it is
    if mark is not None:  # send and run refuse it: said as a problem, its line says why
        said = moved_message(journal_shown(settings.storage.url), mark)
        report.problems.append(Problem(status.url, "storage.url", said))
        detail = f"{status.detail}, but copied to {mark.to} on {mark.when()}: send refuses it"
        report.databases[report.databases.index(status)] = replace(status, detail=detail)
    if recorded is not None and not recorded.same_as(current):
        message = foreign_project_message(journal_shown(settings.storage.url), recorded, current)
        report.problems.append(Problem(status.url, "storage.url", message))
        # Its own line too: "journal schema version 11 of 11" read as this project's journal.
        detail = f"{status.detail}, but another project's (sender {recorded.sender}): not this config's"
        report.databases[report.databases.index(status)] = replace(status, reachable=False, detail=detail)
        report.fatal = True  # send and run exit 2 for it


def _server_clock_skew(journal: JournalStore, now: datetime) -> str | None:
    """:meth:`~greeter.journal_pg_base.PgJournalBase.clock_skew` of a PostgreSQL journal; None for another.

    Imported here only: a SQLite project's check does not load the PostgreSQL driver.
    """
    from greeter.journal_pg_base import PgJournalBase

    return journal.clock_skew(now) if isinstance(journal, PgJournalBase) else None


def sqlite_damage(storage_url: str) -> str | None:
    """Why ``PRAGMA quick_check`` finds the SQLite journal damaged, with the restore; None if whole."""
    from greeter.journal_schema import DAMAGED_HINT, open_read_only, path_from_url

    try:
        conn = open_read_only(path_from_url(storage_url))
        try:
            said = "\n".join(str(r[0]) for r in conn.execute("PRAGMA quick_check(1)"))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            return f"cannot read it: {exc}: {DAMAGED_HINT}"
        return None  # not damage (busy, an I/O error): the journal's status line says it
    if said == "ok":
        return None
    found = "; ".join(line for line in said.splitlines() if line and not line.startswith("***"))
    return f"PRAGMA quick_check finds it damaged ({found}): {DAMAGED_HINT}"


def _user() -> str:
    """The name of the user this process runs as (its uid when the system has no name for it)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's uid with no passwd entry and no $USER
        return f"uid {os.getuid()}"


def contacts_database(report: CheckReport, crm: DatabaseStatus) -> None:
    """Add the CRM's status; one that could not be read is a problem at ``contacts.url``.

    Reported as the journal is, not raised: the rest of check (config,
    templates, journal, mail server) still runs and is still printed.
    """
    report.databases.append(crm)
    if not crm.reachable:
        report.problems.append(Problem(crm.url, "contacts.url", crm.detail))
        report.fatal |= not crm.unavailable


def contacts_query_refused(
    report: CheckReport, crm: DatabaseStatus, config_file: Path, setting: str = "contacts.query"
) -> None:
    """Add the CRM's status when it answered but refused ``contacts.query`` (a syntax error…).

    Reported as a wrong password is — the whole report printed, the contacts
    marked not read, exit 2 — but the problem is the query's, located at
    ``setting`` in the config: that is the line to fix, not the URL.
    ``contacts.query``, or a column setting its columns do not match
    (``contacts.columns.id``).
    """
    from greeter.config_loader import locate

    report.databases.append(crm)
    loc = tuple(int(part) if part.isdigit() else part for part in setting.split("."))
    line, col = locate(config_file, loc)
    report.problems.append(Problem(str(config_file), setting, crm.detail, line, col))
    report.fatal = True
