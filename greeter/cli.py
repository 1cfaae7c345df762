"""The ``greeter`` command: a thin shell that reads files and the clock, then calls the core.

Every command turns a :class:`~greeter.errors.GreeterError` into one-line
messages on stderr and the documented exit code (0 ok, 1 some rows or
greetings failed, 2 usage/config error, nothing sent, 75 the journal cannot be
written or reached now — retry later). Only an unexpected bug shows a
traceback, and only with ``--verbose``.

This module holds the group, the options and helpers the commands share, and
``check``, ``schema``, ``backup`` and ``baseline``; the values typed on the
command line (``--now``, the dates) are read by :mod:`greeter.cli_values`, and
the other commands live in modules named for what they do
(:mod:`greeter.cli_send`, :mod:`greeter.cli_review`, :mod:`greeter.cli_journal`,
:mod:`greeter.cli_suppress`, :mod:`greeter.cli_daemon`, :mod:`greeter.cli_trial`…), each imported
only when one of its commands is asked for (:data:`LAZY_COMMANDS`), which registers them on the
group. Each command imports what only it needs inside its body, so ``send``
never loads the gallery, iCalendar, openpyxl, the SQL source, psycopg or the
HTTP server, and the group itself loads no config machinery (pydantic,
ruamel): ``greeter --help`` and ``--version`` answer without it.
"""

from __future__ import annotations

import functools
import json
import os
import select
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn, TextIO, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from greeter import __version__
from greeter.check_options import all_drafts_option, progress_words
from greeter.cli_options import JSON_ERRORS, json_error
from greeter.cli_values import config_day, parse_day, parse_now, refuse_empty_now
from greeter.errors import (
    EXIT_BUG,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    ConfigError,
    ContactsError,
    GreeterError,
    JournalUnavailableError,
    StdoutError,
)
from greeter.out_stream import WritingGroup
from greeter.send_report import stop_bars

if TYPE_CHECKING:
    from greeter.journal_store import JournalStore
    from greeter.runtime import Inputs

F = TypeVar("F", bound=Callable[..., Any])

#: Here, not in :mod:`greeter.config_loader`, whose pydantic and ruamel imports the group's
#: help text would otherwise pay for (tests/test_startup_imports.py).
DEFAULT_CONFIG = "greeter.yaml"

#: The reader of our output closed the pipe (`greeter preview | head`): 128 + SIGPIPE, as a shell
#: reports for a tool the signal stopped.
EXIT_PIPE = 141

#: The distribution's name (pyproject's [project] name; ``greeter`` on PyPI is another project).
DIST_NAME = "greeter-mailmerge"

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The config to use: the flag, else ``$GREETER_CONFIG``, else ``greeter.yaml``."""
    return Path(explicit or os.environ.get("GREETER_CONFIG") or DEFAULT_CONFIG)


class State:
    """Options of the ``greeter`` group, shared by every subcommand."""

    def __init__(self, config: str | None, verbose: bool) -> None:
        self.config = config_path(config)
        self.verbose = verbose


def handles_errors(func: F) -> F:
    """Run a command; user mistakes become messages and exit codes, never tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        verbose = bool(ctx.find_object(State) and ctx.find_object(State).verbose)  # type: ignore[union-attr]
        try:
            return func(*args, **kwargs)
        except StdoutError:  # said by the group, for every command alike (greeter.out_stream)
            stop_bars()
            raise
        except GreeterError as exc:
            stop_bars()  # a progress bar still live would redraw itself after the message
            if exc.exit_code == EXIT_USAGE and ctx.meta.get(JSON_ERRORS):  # nothing printed yet
                click.echo(json_error(exc.hint()))
            click.echo(exc.hint(), err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            stop_bars()
            click.echo("interrupted", err=True)
            sys.exit(130)
        except click.UsageError as exc:  # a value the command itself refused (an unknown --occasion)
            if ctx.meta.get(JSON_ERRORS):
                click.echo(json_error(exc.format_message()))
            raise
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError as exc:
            if not _reader_gone():
                _internal_error(exc, verbose)
            # `greeter preview | head`: the reader has what it wanted. Stop quietly, as Unix
            # tools do, and keep the interpreter's final flush from failing on the same pipe.
            _to_devnull(sys.stdout)
            sys.exit(EXIT_PIPE)
        except ZoneInfoNotFoundError as exc:
            from greeter.country_zones import NO_ZONE_DATABASE, zone_database_missing

            if not zone_database_missing():  # one zone missing where UTC is found: a bug
                _internal_error(exc, verbose)
            # Not a bug but the machine's: exit 2 as a config error, which a restart cannot fix.
            stop_bars()
            click.echo(NO_ZONE_DATABASE, err=True)
            sys.exit(EXIT_USAGE)
        except Exception as exc:  # a bug: say so plainly, show the traceback on request
            _internal_error(exc, verbose)

    return cast(F, wrapper)


def _to_devnull(*streams: TextIO) -> None:
    """Point streams whose reader is gone at /dev/null, so that nothing more written there fails."""
    null = os.open(os.devnull, os.O_WRONLY)
    for stream in streams:
        os.dup2(null, stream.fileno())
    os.close(null)


def _reader_gone() -> bool:
    """Whether our standard output is a pipe whose reader has closed it (poll says POLLERR).

    A BrokenPipeError from anywhere else (a socket) is a bug and is reported as one.
    """
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def _internal_error(exc: Exception, verbose: bool) -> NoReturn:
    """A bug: say so plainly, show the traceback on request."""
    if verbose:
        traceback.print_exception(exc)
    click.echo(
        f"internal error: {type(exc).__name__}: {exc} (a bug in greeter; "
        "run with --verbose for the traceback)",
        err=True,
    )
    sys.exit(EXIT_BUG)


#: The last words of ``greeter --help``: where the rest is said.
#: An installed greeter has no README beside it: the manual is README.md and docs/*.md of the
#: source distribution, which deploy/ installs in /usr/share/doc/greeter (Documentation=) and a
#: ``pip install`` does not: the folder named alone sent a pip-installed server's reader nowhere.
#: Lines of its own (``\b``): click wrapped the file name at its hyphen ("greeter-" / "mailmerge-…").
EPILOG = (
    "\b\n"
    "The manual: README.md and docs/*.md in greeter's source distribution,\n"
    f"greeter-mailmerge-{__version__}.tar.gz (pip installs neither; deploy/'s unit and\n"
    "image copy them to /usr/share/doc/greeter); greeter COMMAND --help for each\n"
    "command."
)


#: The commands that live in modules of their own (by what they do), each with its module: importing
#: the module registers them. In the order the modules were imported when the group imported them all,
#: so that ``main.commands`` lists them as it did.
LAZY_COMMANDS: Final[dict[str, str]] = {
    "approve": "greeter.cli_daemon",
    "run": "greeter.cli_daemon",
    "failed": "greeter.cli_decisions",
    "uncertain": "greeter.cli_decisions",
    "forget": "greeter.cli_erase",
    "purge": "greeter.cli_erase",
    "init": "greeter.cli_init",
    "history": "greeter.cli_journal",
    "suppress": "greeter.cli_suppress",
    "unsuppress": "greeter.cli_suppress",
    "calendar": "greeter.cli_review",
    "preview": "greeter.cli_review",
    "send": "greeter.cli_send",
    "test-send": "greeter.cli_trial",
    "copy-journal": "greeter.cli_copy",
}


class _LazyGroup(WritingGroup):
    """The ``greeter`` group, which imports a command's module only when that command is asked for.

    ``send --once`` every few minutes from cron paid for every command's module at each start
    (``init``'s starter tables, the journal and review commands' imports: ~30 M instructions,
    ~1.5 % of the sending process's fixed cost, issue 5). click's documented lazy-loading pattern
    (:meth:`get_command` and :meth:`list_commands`, "Lazily Loading Subcommands" in click's docs)
    over :data:`LAZY_COMMANDS`. ``commands`` stays the whole mapping for whoever reads it (help,
    a mistyped command's suggestions, the tests): reading it imports every module first.
    """

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        self._lazy = lazy
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def commands(self) -> dict[str, click.Command]:
        """Every command, each module imported first (in :data:`LAZY_COMMANDS`' order)."""
        for module in dict.fromkeys(self._lazy.values()):
            _import(module)
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Register ``cmd`` without importing the other modules (a module registers while it loads)."""
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        self._commands[name] = cmd

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self._commands and cmd_name in self._lazy:
            _import(self._lazy[cmd_name])
        return self._commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self._commands, *self._lazy})


def _import(module: str) -> None:
    """Import ``module`` as an import statement does: ``python -X importtime`` lists it (it does
    not list what :func:`importlib.import_module` loads), so a command's imports stay in sight."""
    __import__(module)


@click.group(cls=_LazyGroup, lazy=LAZY_COMMANDS, context_settings=CONTEXT, epilog=EPILOG)
@click.option(
    "--config",
    "-c",
    metavar="PATH",
    envvar="GREETER_CONFIG",
    help=f"Config file [default: {DEFAULT_CONFIG}; env GREETER_CONFIG].",
)
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(
    __version__,  # given: click would otherwise ask importlib.metadata (~20 ms of every start)
    package_name=DIST_NAME,
    prog_name="greeter",
    message="%(prog)s %(version)s (%(package)s)",
)
@click.pass_context
def main(ctx: click.Context, config: str | None, verbose: bool) -> None:
    """greeter — personalised greetings, tactfully timed, never sent twice.

    Reads clients from a CRM export, finds birthdays, company and first-deal
    anniversaries and holidays, and greets each client by name, in the
    client's language (the starter's letters: Russian, English, German,
    Estonian, Hungarian, Serbian, Ukrainian, Georgian; a Russian client by name and
    patronymic, a Ukrainian one too),
    inside their own working hours, at most a few times a year.

    \b
    Exit codes:
      0    success
      1    the run completed, but some rows were invalid or some greetings
           failed (send: or are uncertain, also those a crashed send left)
      2    usage or configuration error (nothing was sent; send: also a
           login the mail server refuses, demands or cannot offer)
      3    internal error (a bug in greeter; --verbose shows the traceback)
      75   try again later: send --once had letters due and could deliver
           none (server down, outbox not writable: all wait in retry); the
           journal cannot be written or reached now (disk full, I/O error,
           database locked too long, PostgreSQL down), another greeter is
           already sending from the same SQLite journal, or the daemon's
           HTTP port is still held by its previous daemon, or the clock is
           earlier than the journal's latest record, or a newer greeter
           upgraded the PostgreSQL journal (upgrade greeter on this machine)
           or an older one still on it holds back its upgrade; send says how
           many letters had left before the journal failed; or stdout cannot
           be written (disk full, closed)
      129  send --once stopped by SIGHUP (the terminal closed)
      130  send --once stopped by SIGINT (Ctrl-C)
      143  send --once stopped by SIGTERM; after any of the three, the
           letters in flight finished and the rest are left for the next run
      141  the reader of the output went away (e.g. greeter preview | head)

    Screen readers: a table has no frame when piped or with TERM=dumb, and
    one line on stderr names a column a narrow terminal leaves out; preview
    and history --format text read as lines of "field: value". TERM=dumb or
    GREETER_NO_PROGRESS=1 turns the progress bars off; NO_COLOR the colours.
    """
    ctx.obj = State(config, verbose)


def _config_option(func: F) -> F:
    """Accept the group's ``--config`` and ``--verbose`` after the subcommand too.

    ``greeter check --config x.yaml -v`` reads as ``greeter --config x.yaml -v
    check``: a flag typed at the end of a command line is where people add it.
    """

    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if value:
            ctx.ensure_object(State).config = Path(value)

    def loud(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.ensure_object(State).verbose = True

    verbose = click.option(
        "--verbose",
        "-v",
        is_flag=True,
        expose_value=False,
        callback=loud,
        help="Show tracebacks of internal errors (same as the global --verbose).",
    )
    return click.option(
        "--config",
        "-c",
        metavar="PATH",
        expose_value=False,
        callback=remember,
        help="Config file (same as the global --config).",
    )(verbose(func))


#: ``send``'s ``--quiet``: its exit 1 may be for contact rows already reported.
_QUIET_SEND: Final = (
    "Print nothing on stdout when all went well (exit 0), for cron; the summary still"
    " prints when the exit code is not 0 — unless its only cause is rejected contact rows"
    " already reported and unchanged (exit 1 stays) —, and stderr is unchanged."
)
#: ``backup``'s and ``purge``'s: they read no contacts, and all they print on stdout is what was done.
QUIET_DONE: Final = (
    "Print nothing on stdout when done (exit 0), for cron, which mails what a job prints;"
    " errors still go to stderr."
)


def quiet_option(func: F, words: str = _QUIET_SEND) -> F:
    """``-q/--quiet``: nothing on stdout when the command succeeds — for cron, which mails what a job prints.

    A ``send --once`` every five minutes printed its summary line every five
    minutes, so cron's mail was 288 letters a day that said "due 0", and the
    usual cure, ``> /dev/null``, threw away the summary of the run that did need
    someone. Quiet keeps stdout empty only on exit 0; stderr (errors, replies,
    new contact problems) is unchanged.
    """
    return click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help=words,
    )(func)


def quiet_done_option(func: F) -> F:
    """``--quiet`` for ``backup`` and ``purge`` (:data:`QUIET_DONE`): send's words spoke of contact rows."""
    return quiet_option(func, QUIET_DONE)


class _RequiredOption(click.Option):
    """A required option whose absence also says what to do instead (``missing``).

    ``greeter send`` alone answered "Missing option '--once'", and someone
    who wanted the service was left to guess that it is another command.
    """

    def __init__(self, *args: Any, missing: str, **kwargs: Any) -> None:
        super().__init__(*args, required=True, **kwargs)
        self.missing = missing

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        try:
            return super().process_value(ctx, value)
        except click.MissingParameter:
            raise click.MissingParameter(self.missing, ctx=ctx, param=self) from None


def _now_option(
    func: F,
    effect: str = "send and run record what they send in the config's own journal, as sent on that day: "
    "rehearse on a copy of the project, not on the production journal.",
) -> F:
    """``--now``, with what pretending means for the command (``effect``); by default send's warning."""
    return click.option(
        "--now",
        "now",
        metavar="DATETIME",
        callback=refuse_empty_now,
        help="Pretend it is this moment: 2026-12-29T13:00 or 29.12.2026 13:00, a day alone its midnight"
        f" (without an offset, the default time zone). {effect}",
    )(func)


def _now_writing_option(effect: str) -> Callable[[F], F]:
    """``--now`` for the commands that write the journal but send nothing (approve, uncertain).

    Send's default warning named only send and run, as if these left the
    journal alone; ``effect`` says what they record there, dated the moment
    pretended.
    """

    def decorate(func: F) -> F:
        said = f"{effect}: rehearse on a copy of the project, not on the production journal."
        return _now_option(func, said)

    return decorate


def _now_reading_option(func: F) -> F:
    """``--now`` for the commands that only read the journal (check, preview, calendar).

    The sender's warning to rehearse on a copy would keep a reviewer from
    trying a moment on the real config, where it is safe and most useful.
    """
    return _now_option(
        func, "Nothing is recorded in the journal: any moment can be tried on the real config."
    )


@main.command(context_settings=CONTEXT, short_help="Validate the config, contacts and templates.")
@_config_option
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a missing e-mail) as problems: exit 1.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@_now_reading_option
@all_drafts_option
@click.pass_obj
@handles_errors
def check(state: State, strict: bool, as_json: bool, now: str | None, every: bool) -> None:
    """Validate the config, the contacts and every template.

    Checks every occasion's letter for every contact in strict mode (one render per shape
    of contact, each row's data checked): a template failing for a kind of client is found
    before anything is sent (failing on one value alone: --all renders every draft); for a few
    contacts per template also the letter sent early, late, merged with other
    occasions and for other anniversary numbers.

    Warns about an audience tag, tier or contact id no contact has, a locale
    with no file of a template, and each of the next 45 days whose planned
    letters exceed delivery.rate_limit.per_day (how many go, how many go later
    or expire). Prints each problem (file:line, row N), then a summary.

    \b
    Exit codes:
      0   all is well (warnings allowed unless --strict)
      1   some rows, templates or renders failed (or the file transport's
          outbox cannot be written)
      2   the config itself is unusable (or names a templates folder or
          template that does not exist, a secret — SMTP password,
          unsubscribe secret, DKIM key — that is not set or cannot be
          read, or a contacts database that refuses it: a wrong password,
          no such database, a query it cannot run — reported at
          contacts.query with the rest of the report)
      75  the only problem is a journal or contacts database that does not
          answer now (the rest is still checked and printed; without the
          contacts, no row or render)

    \b
    Examples:
      greeter check
      greeter check --strict              # warnings fail too (exit 1): for CI
      greeter check --json > report.json  # the summary for a script
      greeter check --now 2026-12-29T13:00 --all   # every draft of that day
    """
    from greeter.checks import refused_report, run_check
    from greeter.send_report import progress_factory

    # On a terminal, the rows read so far (minutes at 200,000 rows); none in a log, none with --json.
    progress = None if as_json else progress_factory(progress_words(every), "rows")
    try:
        report = run_check(state.config, now_text=now, progress=progress, every=every)
    except (ConfigError, ContactsError) as exc:
        if as_json:  # `check --json | jq .errors` gets the summary whatever stopped the check
            click.echo(
                json.dumps(refused_report(state.config, exc).summary(strict), ensure_ascii=False, indent=2)
            )
        raise  # the problems on stderr, exit 2: as without --json
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if as_json:
        click.echo(json.dumps(report.summary(strict), ensure_ascii=False, indent=2))
    else:
        click.echo(report.text(strict))
    sys.exit(report.exit_code(strict))


@main.command(context_settings=CONTEXT, short_help="Print the config file's JSON Schema.")
@_config_option
def schema() -> None:
    """Print the JSON Schema of the config file (point your editor's YAML plugin at it).

    The schema is the same for every config: --config is taken, as by every
    command, and not read.

    \b
    Exit codes:
      0   printed
      2   usage error (an unknown option)
      75  standard output cannot be written (a full disk, closed)

    \b
    Examples:
      greeter schema > greeter.schema.json
      # then, as the first line of greeter.yaml, for editors with the YAML
      # language server (VS Code's YAML extension):
      # yaml-language-server: $schema=greeter.schema.json
    """
    from greeter.config_loader import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


def _dry_run_journal(inputs: Inputs, now: datetime, *, adopt: bool = False) -> JournalStore:
    """The journal a dry run reads: the real one read-only, or an empty one in memory if there
    is none yet (a rehearsal must not create the journal file as a side effect); a lost one is
    refused (:func:`greeter.runtime.existing_journal`), as the send itself would refuse it."""
    from greeter.journal import open_journal
    from greeter.runtime import existing_journal

    return existing_journal(inputs, now, adopt=adopt) or open_journal("sqlite:///:memory:", now=now)


# --- backup: a consistent copy of the SQLite journal (greeter.journal_backup) ---


@main.command(context_settings=CONTEXT, short_help="Copy the SQLite journal safely to FILE.")
@_config_option
@click.argument("file", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@quiet_done_option
@click.pass_obj
@handles_errors
def backup(state: State, file: Path, force: bool, quiet: bool) -> None:
    """Copy the SQLite journal to FILE, consistently, while greeter runs.

    Uses SQLite's online backup API: the copy holds every greeting committed
    when it starts, those still in the journal's -wal file too, and a send
    or the daemon may go on writing meanwhile. A plain cp of the journal
    file misses what is in its -wal (a restore from it would send those
    letters again). The copy is written beside FILE and renamed into place
    once complete and checked (PRAGMA integrity_check): never a half-written
    backup. It is one file (no -wal), mode 0600 as the journal. Prints what
    it holds: backed up data/journal.sqlite3 (1,234 greetings, schema
    version N) to FILE.

    To restore: stop greeter, delete the journal's -wal and -shm, put the
    backup in the journal's place, then follow docs/operations.md ("Backing
    up the journal"): send and the daemon refuse the older copy (exit 75)
    until its last step, greeter baseline, accepts it.

    \b
    Exit codes:
      0   backed up and checked
      2   FILE exists (--force replaces it), is a folder, a symbolic
          link or one of greeter's own files (the journal, its -wal, -shm
          or lock file, the config, contacts, a template…), or
          cannot be written; no journal, or a damaged one; a PostgreSQL
          journal (backed up with pg_dump: the message gives the command)
      75  the journal cannot be read now (an I/O error, locked too long)

    \b
    Example (greeter's crontab, `crontab -u greeter -e`: nightly, a week kept):
      GREETER_CONFIG=/etc/greeter/greeter.yaml
      PATH=/opt/greeter/venv/bin:/usr/bin:/bin
      DIR=/var/backups/greeter
      15 3 * * * greeter backup --quiet --force $DIR/$(date +\\%a).sqlite3
    """
    from greeter.config_loader import load_settings
    from greeter.journal_backup import back_up
    from greeter.own_files import own_files

    settings = load_settings(state.config, today=config_day(None))
    done = back_up(settings.storage.url, file, own_files(state.config, settings), force=force)
    if not quiet:
        click.echo(done.text())


# --- baseline: greetings the tool before greeter already sent (greeter.baseline) ---


@main.command(context_settings=CONTEXT, short_help="Record greetings already sent as handled.")
@_config_option
@click.option(
    "--through",
    metavar="DATE",
    help="Take the greetings for occasions on or before this day (YYYY-MM-DD or DD.MM.YYYY), whenever "
    "greeter would send them [default: NOW's day: every occasion up to today was handled by the old tool]. "
    "A day after today is taken only within the days a send plans ahead, with a warning for the letters "
    "that leave after today (the old tool must send them); a later one is refused (exit 2).",
)
@click.option(
    "--sent-from",
    metavar="FILE",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="After a restore: record as sent, as they left, the letters FILE (the history saved before "
    "the restore: greeter history -o FILE.csv, or --format csv/json) lists as sent and the journal does "
    "not hold as sent. Refused (exit 2, nothing recorded) when FILE holds a letter to an address that is "
    "not its contact's, or one sent after NOW; the journal is accepted only when FILE reaches the letter "
    "its .sent note names (else exit 1). Once; a step of its own: not with --through.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --sent-from: put back letters to addresses that are not their contacts' (changed outside "
    "greeter) instead of refusing the file.",
)
@click.option(
    "--dry-run", is_flag=True, help="List what it would record; record nothing (and make no journal)."
)
@_now_writing_option("baseline records the greetings it takes as handled, dated the moment")
@click.pass_obj
@handles_errors
def baseline(
    state: State,
    through: str | None,
    sent_from: tuple[Path, ...],
    force: bool,
    dry_run: bool,
    now: str | None,
) -> None:
    """Record the greetings another tool already sent, so that greeter never sends them.

    For the move to greeter from another tool (a mail-merge cron): a new
    journal's first `send --once` catches up the last catch_up_days, so the
    clients the old tool greeted on those days would get a second, belated
    letter, and today's a second one too. Run this once, before greeter's
    first send: it plans exactly as `send --once` would at NOW, takes every
    letter for an occasion on or before --through (today by default) that the
    journal does not hold yet, and records it as `skipped`, reason `baseline: recorded
    as handled (baseline at … UTC)` — `greeter history` shows it with
    reason_code `baseline`, preview as already_sent with reason_code baseline
    (the table: skip: baseline), the gallery as sent before greeter. The
    occasions merged into such a letter are recorded with it, as the send
    records them (`merged into …`): also one of the next min_gap_days that
    the send would carry in it (--dry-run shows each letter's). It sends
    nothing, and never records a letter for an occasion after --through (one
    leaving by then is named). A second run records nothing new, and says so.
    On a new journal it also records as `expired` the greetings whose catch-up
    period ended before greeter's first run (said on its output line), so that
    the first send does not exit 1 and ask to run cron more often for them.

    The frequency cap counts these letters as sent, on the day each would
    have left: the client did get it, from the old tool, and the next one
    keeps min_gap_days and max_count from it as from a letter greeter sent.

    After restoring the journal from a backup: the letters greeter sent after
    the backup was taken are not in it, and the next send would send those
    still within catch_up_days again. --sent-from FILE (below) puts them back
    first; then `baseline --through DATE` (the last occasion day whose
    letters had all gone) records as handled what FILE cannot hold. Every letter the journal lacks for an
    occasion through DATE is taken, so one that had failed after the backup
    is not retried either. The warning that greeter has sent from this
    journal is expected then. It also accepts the restored journal: send
    refuses a SQLite journal that lacks letters the note beside it
    (<journal>.sent) says it sent, exit 75, until baseline rewrites the note
    to it. --dry-run rewrites nothing, and says when it found such a journal
    that baseline would accept.

    --sent-from FILE comes first after a restore: the history saved before
    it (`greeter history -o FILE.csv`) says which letters left. Each one the
    journal does not hold as sent — no row, a claim the backup caught
    mid-batch (else `uncertain`), retry, failed, expired, baseline's — is
    recorded `sent` with its own sent_at, Message-ID, address and merged
    occasions, so history tells when it left and the cap counts it that day;
    one already sent is never touched, and a contact or occasion the config
    no longer has is recorded all the same. It also accepts the restored
    journal, when FILE holds the letter the note names (or a later one);
    else exit 1, the journal still refused. A letter sent after NOW, or to
    an address that is not its contact's (another project's history; --force
    if the addresses changed outside greeter) has FILE refused, exit 2.
    Then `baseline --through DATE` for what FILE cannot hold.

    \b
    Exit codes:
      0   done (also when there was nothing to record)
      1   --sent-from FILE does not reach the letter the restored journal's
          note names: its letters put back, the journal not accepted
      2   usage or config error (a bad --through or --now, or a --through
          past the days greeter plans ahead; a --sent-from FILE that is not
          this journal's history export); nothing recorded
      75  the journal cannot be written or reached now (disk full,
          PostgreSQL down), or a greeter is sending from this SQLite journal:
          nothing recorded (PostgreSQL: what was, stays), run it again

    \b
    Example (the old cron greeted everyone up to today, 4 December):
      greeter baseline --dry-run
      greeter baseline
        recorded 12 greeting(s) as handled (occasions 2026-11-30 …
        2026-12-04); the next send --once sends none of them
    Example (after a restore, docs/operations.md "Backing up the journal"):
      greeter baseline --sent-from /root/history-before-restore.csv --dry-run
      greeter baseline --sent-from /root/history-before-restore.csv
    """
    from greeter.baseline import run_baseline
    from greeter.journal_mark import accepted_restore
    from greeter.runtime import load_inputs

    if len(sent_from) > 1:
        raise click.UsageError(
            f"--sent-from given {len(sent_from)} times: put back one saved history per run"
            " (baseline --sent-from FILE), the one saved just before the restore"
        )
    if force and not sent_from:
        raise click.UsageError("--force is for --sent-from: it puts back letters to changed addresses")
    if sent_from and through is not None:
        raise click.UsageError(
            "--sent-from and --through are two steps: put the sent letters back first"
            " (baseline --sent-from FILE), then run baseline --through DATE for what FILE cannot hold"
        )
    inputs = load_inputs(state.config, today=config_day(now))
    if sent_from:
        _put_back_sent(inputs, sent_from[0], dry_run=dry_run, now=now, force=force)
        return
    moment = parse_now(now, inputs.settings.defaults.timezone)
    zone = ZoneInfo(inputs.settings.defaults.timezone)
    last = parse_day(through, "--through") or moment.astimezone(zone).date()
    with _baseline_journal(inputs, moment, dry_run=dry_run, again="greeter baseline") as journal:
        done, report = run_baseline(inputs, journal, now=moment, through=last, dry_run=dry_run)
        accepted = accepted_restore(journal, dry_run=dry_run)  # a restore's last step
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if (warning := done.warning()) is not None:
        click.echo(warning, err=True)
    if accepted is not None:
        click.echo(accepted, err=True)
    for line in done.lines() if dry_run else ():
        click.echo(f"would record  {line}")
    click.echo(done.text())


@contextmanager
def _baseline_journal(
    inputs: Inputs, moment: datetime, *, dry_run: bool, again: str
) -> Iterator[JournalStore]:
    """The journal a baseline records in: a scratch copy for ``--dry-run``, else the project's own with
    the sender lock held (no send decides the same letters meanwhile); closed after. A journal that
    cannot be written now (exit 75) says to run ``again`` once it can."""
    from greeter.own_journal import open_own_journal

    try:
        journal = (
            _dry_run_journal(inputs, moment)
            if dry_run
            else open_own_journal(inputs.settings, inputs.config_file, moment)
        )
        try:
            if not dry_run:
                journal.lock_sender(config=inputs.config_file)
            yield journal
        finally:
            journal.close()
    except JournalUnavailableError as exc:
        if type(exc) is not JournalUnavailableError:
            raise
        raise JournalUnavailableError(f"{exc}\nrun {again} again once the journal can be written") from exc


def _put_back_sent(inputs: Inputs, path: Path, *, dry_run: bool, now: str | None, force: bool) -> None:
    """``baseline --sent-from FILE`` (:mod:`greeter.restore_sent`): the file read before the journal is
    opened (a wrong file changes nothing), then checked against the contacts and the journal (another
    project's letters refused), the letters put back, and the restored journal accepted — only when the
    file reached the letter its note names (:func:`~greeter.restore_sent.reach_problem`; else exit 1)."""
    from greeter.journal_mark import accepted_restore, journal_rewound, lacking_mark
    from greeter.restore_sent import check_belongs, reach_problem, read_saved, run_put_back

    zone = ZoneInfo(inputs.settings.defaults.timezone)
    moment = parse_now(now, inputs.settings.defaults.timezone)
    saved = read_saved(path, moment)
    ids = {letter.key[0] for letter in saved.letters}
    current = {cid: c.email for cid, c in inputs.contacts_by_id(ids).items()}
    with _baseline_journal(inputs, moment, dry_run=dry_run, again="greeter baseline --sent-from") as journal:
        rewound = None if dry_run else journal_rewound(journal)  # before: the put-back ends it
        belongs = check_belongs(journal, saved, current, name=str(path), force=force)
        noted = lacking_mark(journal)  # the file must reach the letter the note names
        done = run_put_back(journal, saved, now=moment, dry_run=dry_run, name=str(path))
        short = None if noted is None else reach_problem(done, noted[1], noted[0])
        # The restored journal, meant: accepted only when the file reached the note's letter.
        accepted = (
            None if short is not None else accepted_restore(journal, dry_run=dry_run, found_before=rewound)
        )
    for warning in (belongs, done.warning()):
        if warning is not None:
            click.echo(warning, err=True)
    if accepted is not None:
        click.echo(accepted, err=True)
    for line in done.lines(zone) if dry_run else ():
        click.echo(f"would record  {line}")
    click.echo(done.text())
    if short is not None:
        click.echo(short, err=True)
        sys.exit(EXIT_PROBLEMS)  # the restore is not finished: a person must choose the next step
