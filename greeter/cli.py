"""The ``greeter`` command: a thin shell that reads files and the clock, then calls the core.

Every command turns a :class:`~greeter.errors.GreeterError` into one-line
messages on stderr and the documented exit code (0 ok, 1 some rows or
greetings failed, 2 usage/config error, nothing sent, 75 the journal cannot be
written or reached now — retry later). Only an unexpected bug shows a
traceback, and only with ``--verbose``.

This module holds the group, the options and helpers the commands share, and
``check``, ``schema`` and ``send``; the other commands live in modules named
for what they do (:mod:`greeter.cli_review`, :mod:`greeter.cli_journal`,
:mod:`greeter.cli_daemon`), registered on the group by importing them at the
end. Each command imports what only it needs inside its body, so ``send``
never loads the gallery, iCalendar, openpyxl, the SQL source, psycopg or the
HTTP server, and the group itself loads no config machinery (pydantic,
ruamel): ``greeter --help`` and ``--version`` answer without it.
"""

from __future__ import annotations

import functools
import json
import os
import re
import select
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TextIO, TypeVar, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from greeter import __version__
from greeter.check_options import all_drafts_option, progress_words
from greeter.cli_options import occasion_in_config
from greeter.errors import (
    EXIT_BUG,
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
    from greeter.config import Settings
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
            click.echo(exc.hint(), err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            stop_bars()
            click.echo("interrupted", err=True)
            sys.exit(130)
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
#: source distribution, which deploy/ installs in /usr/share/doc/greeter (Documentation=).
EPILOG = (
    "The manual: README.md and docs/*.md in greeter's source distribution (installed in"
    " /usr/share/doc/greeter by deploy/); greeter COMMAND --help for each command."
)


@click.group(cls=WritingGroup, context_settings=CONTEXT, epilog=EPILOG)
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
    Estonian, Hungarian, Serbian; a Russian client by name and patronymic),
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
           HTTP port is still held by its previous daemon; send says how
           many letters had left before the journal failed; or stdout cannot
           be written (disk full, closed)
      129  send --once stopped by SIGHUP (the terminal closed)
      130  send --once stopped by SIGINT (Ctrl-C)
      143  send --once stopped by SIGTERM; after any of the three, the
           letters in flight finished and the rest are left for the next run
      141  the reader of the output went away (e.g. greeter preview | head)
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


def quiet_option(func: F) -> F:
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
        help="Print nothing on stdout when all went well (exit 0), for cron; the summary still"
        " prints when the exit code is not 0 — unless its only cause is rejected contact rows"
        " already reported and unchanged (exit 1 stays) —, and stderr is unchanged.",
    )(func)


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
        help=f"Pretend it is this moment (ISO 8601; without an offset, the default time zone). {effect}",
    )(func)


def flag_hint(flag: str) -> str:
    """An option's name as click's own errors write it: quoted, with its aliases (``'--since' / '--from'``).

    greeter's own checks of a value (a date, ``--now``) raised with the bare
    flag, so one command line got ``Invalid value for '--days'`` from click and
    ``Invalid value for --now`` from greeter, and ``history --from`` was told
    about ``--since``, a flag the user never typed.
    """
    ctx = click.get_current_context(silent=True)
    for param in ctx.command.params if ctx is not None else ():
        if flag in param.opts or flag in param.secondary_opts:
            return param.get_error_hint(ctx)
    return f"'{flag}'"


def refuse_empty_now(
    _ctx: click.Context | None, _param: click.Parameter | None, value: str | None
) -> str | None:
    """``--now ""`` is a usage error, not the real clock: the option's callback, before anything runs.

    A wrapper's ``--now "$REHEARSAL_AT"`` with the variable unset passes an
    empty value. Read as "no --now", it ran on the real clock, and ``run
    --now "" --speed 60`` got past the guard that refuses ``--speed``
    without ``--now``: the real clock, sixty times faster, on the config's
    own journal. Only an absent flag means the real clock.
    """
    if value is not None and not value.strip():
        raise click.BadParameter(
            "an empty value; give a moment like 2026-12-25T10:00, or leave --now out for the real clock",
            param_hint=flag_hint("--now"),
        )
    return value


def trimmed(
    _ctx: click.Context | None, param: click.Parameter | None, value: str | tuple[str, ...] | None
) -> str | tuple[str, ...] | None:
    """Every option naming a contact, an address or an occasion: ``--contact " 1029 "``, as pasted, found
    nothing. Blank is refused (exit 2): ``--contact "$ID"`` with ``ID`` unset would read as no filter."""
    if value is None:
        return value
    values = (value,) if isinstance(value, str) else value
    cleaned = tuple(text.strip() for text in values)
    if "" in cleaned:
        name = param.opts[0] if param is not None else "the option"
        raise click.BadParameter(f"an empty value; give one, or leave {name} out", param=param)
    return cleaned[0] if isinstance(value, str) else cleaned


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


def parse_now(value: str | None, default_tz: str) -> datetime:
    """``--now`` → aware datetime; the real clock only when the flag is absent (``None``).

    An empty value is refused here too (:func:`refuse_empty_now`), for the
    callers that take ``--now`` text other than from the option (``run_check``,
    ``run_preview``).

    A moment with the default zone's own offset at that instant becomes a time
    of that zone: the same instant, but the summary of ``--now
    2027-04-14T11:00+03:00`` read "11:00 UTC+03:00" where the real clock's
    read "11:00 MSK" — one config, two names for its zone.
    """
    tz = ZoneInfo(default_tz)
    if value is None:
        return datetime.now(tz)
    refuse_empty_now(None, None, value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 date-time", param_hint=flag_hint("--now")
        ) from None
    if parsed.tzinfo is None:
        return _wall_clock(parsed, tz, value)
    zoned = parsed.astimezone(tz)
    return zoned if zoned.utcoffset() == parsed.utcoffset() else parsed


def _wall_clock(naive: datetime, tz: ZoneInfo, value: str) -> datetime:
    """A ``--now`` without an offset as a time of ``tz`` — refused where that zone's clocks skip or
    repeat it (a DST change): ``2027-03-28T02:30`` in Berlin never happens, and zoneinfo would
    silently read it as 03:30; ``2027-10-31T02:30`` happens twice, and it would take the first.
    A rehearsal of "the night the clocks change" must say which moment it means."""
    aware = naive.replace(tzinfo=tz)
    offsets = [naive.replace(tzinfo=tz, fold=fold).utcoffset() for fold in (0, 1)]
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        later = aware.astimezone(UTC).astimezone(tz)  # as many minutes past the change
        raise click.BadParameter(
            f"{value!r} never happens in {tz.key}: the clocks skip over it (a DST change); "
            f"give a moment that does, e.g. {later.isoformat(timespec='minutes')}",
            param_hint=flag_hint("--now"),
        )
    if offsets[0] != offsets[1]:
        first, second = (naive.replace(tzinfo=tz, fold=fold).isoformat(timespec="minutes") for fold in (0, 1))
        raise click.BadParameter(
            f"{value!r} happens twice in {tz.key}: the clocks go back over it (a DST change); "
            f"give the offset: {first} (the first time) or {second} (the second)",
            param_hint=flag_hint("--now"),
        )
    return aware


def config_day(now_text: str | None) -> date:
    """The day a command's config is checked as of: ``--now``'s own date, else the system's.

    The config's holiday names are checked against the calendars of the years
    around this day (:func:`greeter.config_loader.parse_settings`). The default
    time zone that :func:`parse_now` needs is in that config, so ``--now`` is
    read here by its written date alone; a day's difference at midnight does
    not change which years are checked. A malformed ``--now`` is reported by
    :func:`parse_now` once the config is loaded.
    """
    if now_text is not None:
        refuse_empty_now(None, None, now_text)  # not "today": an empty --now is no moment
        try:
            day = datetime.fromisoformat(now_text).date()
        except ValueError:
            return date.today()
        from greeter.holiday_tables import calendar_years

        covered = calendar_years(day.year)
        if covered is not None:  # every holiday "unknown", none a day off: refused, not planned
            raise click.BadParameter(
                f"{now_text!r}: the public-holiday calendars cover {covered.start}–{covered.stop - 1} only;"
                " give a moment in those years",
                param_hint=flag_hint("--now"),
            )
        return day
    return date.today()


def day_span(first: date, last: date) -> str:
    """A span of days as the commands print it: one day alone, else ``first … last``."""
    return f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} … {last:%Y-%m-%d}"


#: A day as every command's date option takes it besides ISO (2026-12-25): as a CRM export and a
#: Russian manager write it, 25.12.2026 — the contacts' default %d.%m.%Y, which reads 4.12.2026
#: too, so day and month may have one digit or two (D.M.YYYY); the year has four.
_DOTTED_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
#: An ISO day's numbers (ASCII, as date.fromisoformat takes them), to say why 2026-02-30 is none.
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def parse_day(value: str | None, param: str, *, month: Literal["first", "last"] | None = None) -> date | None:
    """A command line's date: ``2026-12-25`` or ``25.12.2026``/``4.12.2026`` (the contacts file's own form).

    ``month``: an option that bounds a range (``history --since``/``--until``)
    also takes a whole month, ``2026-11``, as its ``first`` or ``last`` day —
    a manager's "November" without counting its days. An option naming one
    day (``--date``) does not: which day would it be? Every other form is a
    usage error (exit 2) that names the forms taken (and why ``31.02.2026`` is no day).
    """
    if value is None:
        return None
    text = value.strip()
    numbers: tuple[int, int, int] | None = None  # (year, month, day) of a date in a form taken
    try:
        if dotted := _DOTTED_DAY.fullmatch(text):
            numbers = (int(dotted[3]), int(dotted[2]), int(dotted[1]))
            return date(*numbers)
        if month is not None and (whole := _MONTH.fullmatch(text)):
            numbers = (int(whole[1]), int(whole[2]), 1)
            first = date(*numbers)
            if month == "first":
                return first
            numbers = None  # 9999-12 is a month; only its next one is none
            return date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
        if iso := _ISO_DAY.fullmatch(text):
            numbers = (int(iso[1]), int(iso[2]), int(iso[3]))
        return date.fromisoformat(text)
    except ValueError:
        forms = "2026-12-25, 25.12.2026 or a month like 2026-12" if month else "2026-12-25 or 25.12.2026"
        why = f": {_no_such_day(*numbers)}" if numbers is not None else ""
        raise click.BadParameter(
            f"{value!r} is not a date like {forms}{why}", param_hint=flag_hint(param)
        ) from None


def _no_such_day(year: int, month: int, day: int) -> str:
    """Why numbers written in a form :func:`parse_day` takes are no day: ``2026-02 has 28 days``."""
    import calendar  # only for a refused date

    if year < 1 or not 1 <= month <= 12:
        return "there is no year 0" if year < 1 else f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d} has {days} days" if day else "there is no day 0"


def check_occasion(
    value: str | None, settings: Settings, journal: JournalStore | None = None, *, titles: bool = False
) -> None:
    """``--occasion`` must name an occasion that exists, else it is a usage error (exit 2).

    A typo (``new_yaer``) would otherwise select nothing, and "approved 0
    draft(s)" with exit 0 reads as "nothing to approve". ``approve`` works on
    the plan, so only the config's occasions count. The journal's commands
    (``history``, ``uncertain``) also accept a name only the journal knows —
    an occasion removed from the config keeps its history — so they pass
    ``journal``, and call this only when their filter found nothing.
    ``titles``: the command also takes an occasion's title
    (:func:`~greeter.cli_options.occasion_by_title`), so the choices list each as ``womens_day (8 Марта)``
    and a typo of a title is matched too.
    """
    if value is None:
        return
    known = [o.name for o in settings.occasions]
    where = "the config"
    if journal is not None and value not in known:
        known += sorted(journal.occasion_names() - set(known))
        where = "the config or the journal"
    if value in known:
        return
    import difflib

    given = settings.occasion_titles() if titles else {}
    named = {name: given.get(name) or name for name in known}
    words = {name: name if title == name else f"{name} ({title})" for name, title in named.items()}
    candidates = {**{title: name for name, title in named.items()}, **{name: name for name in named}}
    close = difflib.get_close_matches(value, list(candidates), n=1)
    if close and close[0] != candidates[close[0]]:  # a title's typo: the occasion meant, and its title
        hint = f", did you mean {candidates[close[0]]!r} ({close[0]})?"
    elif close:
        hint = f", did you mean {close[0]!r}?"
    else:
        hint = f" (known: {', '.join(words.values())})"
    raise click.BadParameter(f"no occasion {value!r} in {where}{hint}", param_hint=flag_hint("--occasion"))


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
    occasions and for other anniversary numbers. Warns
    about an audience tag, tier or contact id no contact has, and a locale
    with no file of a template. Prints each problem (file:line, row N), then a summary.
    Exit 0 if all is well (warnings allowed unless --strict), 1 if some rows,
    templates or renders failed, 2 if the config itself is unusable (or names
    a templates folder or template that does not exist, or a contacts database
    that refuses it: a wrong password, no such database, a query it cannot
    run — reported at contacts.query with the rest of the report), 75 if the only
    problem is a journal or contacts database that does not answer now (the
    rest is still checked and printed; without the contacts, no row or render).
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


def _open_journal(
    settings_url: str, now: datetime, *, readonly_ok: bool = False, existing: bool = False
) -> JournalStore:
    """The configured journal; ``readonly_ok`` (a reader) or ``existing``: never a new one.

    A reader (history, ``suppress --list``) or a command that only changes
    rows already there (``uncertain``, ``unsuppress``) has nothing to do in
    a new, empty journal; made by a typo in ``storage.url`` it would only
    answer "0 greetings" from the wrong file. Such a command says so instead.
    """
    from greeter.journal import open_existing_journal, open_journal

    if not (readonly_ok or existing):
        return open_journal(settings_url, now=now)
    journal = open_existing_journal(settings_url, now=now, readonly_ok=readonly_ok)
    if journal is not None:
        return journal
    if settings_url.startswith("postgresql://"):
        from greeter.errors import JournalError
        from greeter.journal_pg_schema import parse_target

        shown = parse_target(settings_url).shown
        raise JournalError(
            f"no journal at {shown} (storage.url): nothing has been sent from this config yet,"
            " or the schema is wrong"
        )
    from greeter.journal_schema import missing_journal_error, path_from_url

    raise missing_journal_error(path_from_url(settings_url))


def _tester_address(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """``test-send --to``: one plain address, checked as the config's addresses are (no CR/LF, no name)."""
    from greeter.config_base import config_address

    try:
        return config_address(value.strip())
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} {exc}", param_hint=flag_hint("--to")) from None


@main.command("test-send", context_settings=CONTEXT, short_help="Send one contact's letter to yourself.")
@_config_option
@click.option(
    "--contact",
    "contact_id",
    required=True,
    metavar="ID",
    callback=trimmed,
    help="Whose letter to send (its id).",
)
@click.option(
    "--occasion", metavar="NAME", callback=trimmed, help="That occasion's letter [default: the next one]."
)
@click.option(
    "--date", "occasion_date", metavar="DATE", help="The occasion of that day (YYYY-MM-DD or DD.MM.YYYY)."
)
@click.option(
    "--to",
    "to",
    required=True,
    metavar="ADDRESS",
    callback=_tester_address,
    help="Your own address: the envelope recipient and the To: of the letter, the only one it goes to.",
)
@_now_reading_option
@click.pass_obj
@handles_errors
def test_send(
    state: State, contact_id: str, occasion: str | None, occasion_date: str | None, to: str, now: str | None
) -> None:
    """Send one contact's real letter to yourself, to see it in your own mailbox before the batch goes.

    The letter is the one `greeter preview --contact ID` plans — the
    contact's next letter, or the one for --occasion and/or --date — rendered
    and built as `greeter send` builds it: the same From, headers, DKIM
    signature and List-Unsubscribe, through the configured transport (the
    real SMTP server, login and password; with `transport: file` a
    test-….eml in the outbox). But it goes to --to only: the envelope
    recipient and the To: address are yours (the client's name stays beside
    it), never the client's; its unsubscribe links are yours too, so a click
    in the test never unsubscribes the client. The Subject starts with
    "[TEST] ", so a forwarded test is not taken for the real letter, and it
    has a Message-ID of its own.

    Nothing is journaled: no claim, no row, nothing the daily quota counts;
    the real letter still goes out, once, with its own Message-ID. The send
    window and the review gate do not hold a test back, but it says when the
    real letter leaves, whether the review gate holds it (awaiting approval),
    or that the planner skips it and why (frequency_cap, suppressed, …): a
    skipped letter can be tested all the same, to check its wording.

    \b
    Exit codes:
      0   sent (the server accepted it, or the .eml was written)
      1   the server refused it (its reply is printed), or the letter does
          not render, or the contact's row was rejected
      2   usage or config error: an unknown contact id, occasion or date,
          no such letter planned, a bad --to, a missing password or secret,
          or a login the server refuses
      75  try again later: the server is unreachable or put it off (4xx),
          the outbox is not writable, or the connection broke after the
          letter was handed over (it may still arrive)

    \b
    Examples:
      greeter test-send --contact 1029 --to me@company.ru
      greeter test-send --contact 1029 --occasion new_year --to me@company.ru
      greeter test-send --contact 1029 --date 2027-12-09 --to me@company.ru
    """
    from greeter.trial_send import run_test_send

    code = run_test_send(
        state.config,
        contact_id=contact_id,
        occasion=occasion_in_config(state.config, occasion, now),  # a title, as preview's table shows it
        day=parse_day(occasion_date, "--date"),
        to=to,
        now_text=now,
    )
    sys.exit(code)


# --- backup: a consistent copy of the SQLite journal (greeter.journal_backup) ---


@main.command(context_settings=CONTEXT, short_help="Copy the SQLite journal safely to FILE.")
@_config_option
@click.argument("file", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@quiet_option
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
    backup in the journal's place, start greeter.

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


@main.command(context_settings=CONTEXT, short_help="Record what another tool already sent.")
@_config_option
@click.option(
    "--through",
    metavar="DATE",
    help="Take the greetings for occasions on or before this day (YYYY-MM-DD or DD.MM.YYYY), whenever "
    "greeter would send them [default: NOW's day: every occasion up to today was handled by the old tool].",
)
@click.option(
    "--dry-run", is_flag=True, help="List what it would record; record nothing (and make no journal)."
)
@_now_writing_option("baseline records the greetings it takes as handled before greeter, dated the moment")
@click.pass_obj
@handles_errors
def baseline(state: State, through: str | None, dry_run: bool, now: str | None) -> None:
    """Record the greetings another tool already sent, so that greeter never sends them.

    For the move to greeter from another tool (a mail-merge cron): a new
    journal's first `send --once` catches up the last catch_up_days, so the
    clients the old tool greeted on those days would get a second, belated
    letter, and today's a second one too. Run this once, before greeter's
    first send: it plans exactly as `send --once` would at NOW, takes every
    letter for an occasion on or before --through (today by default) that the
    journal does not hold yet, and records it as `skipped`, reason `baseline: handled
    before greeter (baseline at … UTC)` — `greeter history` shows it with
    reason_code `baseline`, preview and the gallery as already sent. The
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

    \b
    Exit codes:
      0   done (also when there was nothing to record)
      2   usage or config error (a bad --through or --now); nothing recorded
      75  the journal cannot be written or reached now (disk full,
          PostgreSQL down), or a greeter is sending from this SQLite journal:
          nothing recorded (PostgreSQL: what was, stays), run it again

    \b
    Example (the old cron greeted everyone up to today, 4 December):
      greeter baseline --dry-run
      greeter baseline
        recorded 12 greeting(s) as handled before greeter (occasions
        2026-11-30 … 2026-12-04); the next send --once sends none of them
    """
    from greeter.baseline import run_baseline
    from greeter.own_journal import open_own_journal
    from greeter.runtime import load_inputs

    inputs = load_inputs(state.config, today=config_day(now))
    moment = parse_now(now, inputs.settings.defaults.timezone)
    zone = ZoneInfo(inputs.settings.defaults.timezone)
    last = parse_day(through, "--through") or moment.astimezone(zone).date()
    try:
        journal = (
            _dry_run_journal(inputs, moment)
            if dry_run
            else open_own_journal(inputs.settings, inputs.config_file, moment)
        )
        try:
            if not dry_run:
                journal.lock_sender(config=inputs.config_file)  # no send decides the same letters meanwhile
            done, report = run_baseline(inputs, journal, now=moment, through=last, dry_run=dry_run)
        finally:
            journal.close()
    except JournalUnavailableError as exc:
        if type(exc) is not JournalUnavailableError:
            raise
        raise JournalUnavailableError(
            f"{exc}\nrun greeter baseline again once the journal can be written"
        ) from exc
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if (warning := done.warning()) is not None:
        click.echo(warning, err=True)
    for line in done.lines() if dry_run else ():
        click.echo(f"would record  {line}")
    click.echo(done.text())


# The other commands live in modules of their own, by what they do; importing them registers them.
from greeter import cli_daemon, cli_decisions, cli_erase, cli_init, cli_journal, cli_review, cli_send  # noqa: E402, F401
