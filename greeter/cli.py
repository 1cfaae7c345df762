"""The ``greeter`` command: a thin shell that reads files and the clock, then calls the core.

Every command turns a :class:`~greeter.errors.GreeterError` into one-line
messages on stderr and the documented exit code (0 ok, 1 some rows or
greetings failed, 2 usage/config error, nothing sent, 75 the journal cannot be
written or reached now — retry later). Only an unexpected bug shows a
traceback, and only with ``--verbose``.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import select
import signal
import sys
import traceback
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar, cast
from zoneinfo import ZoneInfo

import click

from greeter import __version__
from greeter.config_loader import DEFAULT_CONFIG, config_path, json_schema
from greeter.errors import (
    EXIT_BUG,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    ConfigError,
    GreeterError,
    JournalFailedMidRunError,
    JournalLockedError,
    JournalUnavailableError,
)

if TYPE_CHECKING:
    from greeter.config import Settings
    from greeter.journal_store import JournalStore
    from greeter.runtime import Inputs
    from greeter.send import DueLetter

F = TypeVar("F", bound=Callable[..., Any])

#: The reader of our output closed the pipe (`greeter preview | head`): 128 + SIGPIPE, as a shell
#: reports for a tool the signal stopped.
EXIT_PIPE = 141

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


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
        except GreeterError as exc:
            click.echo(exc.hint(), err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
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


@click.group(context_settings=CONTEXT)
@click.option(
    "--config",
    "-c",
    metavar="PATH",
    envvar="GREETER_CONFIG",
    help=f"Config file [default: {DEFAULT_CONFIG}; env GREETER_CONFIG].",
)
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(__version__, prog_name="greeter")
@click.pass_context
def main(ctx: click.Context, config: str | None, verbose: bool) -> None:
    """greeter — personalised greetings, tactfully timed, never sent twice.

    Reads clients from a CRM export, finds birthdays, company and first-deal
    anniversaries and holidays, and greets each client by name and
    patronymic inside their own working hours, at most a few times a year.

    \b
    Exit codes:
      0  success
      1  the run completed, but some rows were invalid or some greetings failed
          (send: or are uncertain, also those a crashed send left)
      2  usage or configuration error (nothing was sent; send: also a login
          the mail server refuses, demands or cannot offer)
      3  internal error (a bug in greeter; --verbose shows the traceback)
      75  try again later: send --once had letters due and could deliver none
          (server down, outbox not writable: all wait in retry); the journal
          cannot be written or reached now (disk full, I/O error, database
          locked too long, PostgreSQL down), another greeter is already
          sending from the same SQLite journal, or the daemon's HTTP port is
          in use; send says how many letters had left before the journal failed
      129, 130, 143  send --once stopped by SIGHUP (terminal closed) / SIGINT
          (Ctrl-C) / SIGTERM: letters in flight finished, the rest are left
          for the next run
      141  the reader of the output went away (e.g. `greeter preview | head`)
    """
    ctx.obj = State(config, verbose)


def _config_option(func: F) -> F:
    """Accept ``--config`` after the subcommand too (``greeter check --config x.yaml``)."""

    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if value:
            ctx.ensure_object(State).config = Path(value)

    return click.option(
        "--config",
        "-c",
        metavar="PATH",
        expose_value=False,
        callback=remember,
        help="Config file (same as the global --config).",
    )(func)


def _now_option(func: F) -> F:
    return click.option(
        "--now",
        "now",
        metavar="DATETIME",
        help="Pretend it is this moment (ISO 8601; without an offset, the default time zone). "
        "send and run record what they send in the config's own journal, as sent on that day: "
        "rehearse on a copy of the project, not on the production journal.",
    )(func)


def parse_now(value: str | None, default_tz: str) -> datetime:
    """``--now`` → aware datetime; the real clock only when the flag is absent."""
    tz = ZoneInfo(default_tz)
    if not value:
        return datetime.now(tz)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date-time", param_hint="--now") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def config_day(now_text: str | None) -> date:
    """The day a command's config is checked as of: ``--now``'s own date, else the system's.

    The config's holiday names are checked against the calendars of the years
    around this day (:func:`greeter.config_loader.parse_settings`). The default
    time zone that :func:`parse_now` needs is in that config, so ``--now`` is
    read here by its written date alone; a day's difference at midnight does
    not change which years are checked. A malformed ``--now`` is reported by
    :func:`parse_now` once the config is loaded.
    """
    if now_text:
        try:
            return datetime.fromisoformat(now_text).date()
        except ValueError:
            pass
    return date.today()


def day_span(first: date, last: date) -> str:
    """A span of days as the commands print it: one day alone, else ``first … last``."""
    return f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} … {last:%Y-%m-%d}"


def parse_day(value: str | None, param: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-25", param_hint=param) from None


def check_occasion(value: str | None, settings: Settings, journal: JournalStore | None = None) -> None:
    """``--occasion`` must name an occasion that exists, else it is a usage error (exit 2).

    A typo (``new_yaer``) would otherwise select nothing, and "approved 0
    draft(s)" with exit 0 reads as "nothing to approve". ``approve`` works on
    the plan, so only the config's occasions count. The journal's commands
    (``history``, ``uncertain``) also accept a name only the journal knows —
    an occasion removed from the config keeps its history — so they pass
    ``journal``, and call this only when their filter found nothing.
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

    close = difflib.get_close_matches(value, known, n=1)
    hint = f", did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"
    raise click.BadParameter(f"no occasion {value!r} in {where}{hint}", param_hint="--occasion")


@main.command(context_settings=CONTEXT)
@_config_option
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. a missing e-mail) as problems: exit 1.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@_now_option
@click.pass_obj
@handles_errors
def check(state: State, strict: bool, as_json: bool, now: str | None) -> None:
    """Validate the config, the contacts and every template.

    Renders every occasion's template for every contact in strict mode, so a
    template that would fail for one client is found before anything is
    sent; for a few contacts per template also the letter sent early, late,
    merged with other occasions and for other anniversary numbers. Warns
    about an audience tag, tier or contact id no contact has, and a locale
    with no file of a template. Prints each problem (file:line, row N), then a summary.
    Exit 0 if all is well (warnings allowed unless --strict), 1 if some rows,
    templates or renders failed, 2 if the config itself is unusable (or names
    a templates folder or template that does not exist).
    """
    from greeter.checks import run_check

    report = run_check(state.config, now_text=now)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if as_json:
        click.echo(json.dumps(report.summary(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.text())
    if report.fatal:
        sys.exit(EXIT_USAGE)
    failed = report.errors or (strict and report.warnings)
    sys.exit(EXIT_PROBLEMS if failed else 0)


@main.command(context_settings=CONTEXT)
@_config_option
@click.option(
    "--from", "start", metavar="DATE", help="First occasion day to plan (YYYY-MM-DD) [default: today]."
)
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 3660), help="Days to plan.")
@click.option("--contact", "contact_id", metavar="ID", help="Only this contact id.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "eml", "html"]),
    default="table",
    show_default=True,
    help="table: terminal; json: for scripts; eml: one .eml per draft; html: a gallery to open in a browser.",
)
@click.option(
    "--out",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help=(
        "Folder for --format eml/html [default: ./preview]. A rerun replaces or removes only the files "
        "a preview wrote there (listed in DIR/.greeter-preview.sha256), never others."
    ),
)
@click.option("--skipped/--no-skipped", default=True, show_default=True, help="Show skipped occasions too.")
@_now_option
@click.pass_obj
@handles_errors
def preview(
    state: State,
    start: str | None,
    days: int,
    contact_id: str | None,
    fmt: str,
    out: Path | None,
    skipped: bool,
    now: str | None,
) -> None:
    """Show the greetings that would go out, without sending anything.

    Each draft is planned and rendered exactly as `greeter send` would do it:
    its send time in the recipient's own time zone, the subject and the
    words, and every skipped occasion with its reason (frequency_cap, merged,
    suppressed, no_email, invalid_contact, already_sent, expired,
    outside_audience). A letter the journal says left is listed as sent,
    at the moment it left.

    The range shows the occasions whose day (less any `days_before`) is in
    it, and every letter that leaves in it: a 5 January birthday greeted on
    30 December, before the holidays, is in a range ending on the 30th (and
    again, by its day, in the range holding 5 January); a belated letter
    leaving today is in a range starting today. A letter for an occasion in
    the range may leave before --from (a day off before it:
    `send_window.day_off_policy`). `greeter send --once --dry-run --now
    DATETIME` lists exactly what is due at a moment.

    \b
    Examples:
      greeter preview --days 14
      greeter preview --from 2026-12-25 --days 14 --format json
      greeter preview --format html --out preview/ && xdg-open preview/index.html
    """
    from greeter.preview import run_preview

    code = run_preview(
        state.config,
        start=parse_day(start, "--from"),
        days=days,
        contact_id=contact_id,
        fmt=fmt,
        out=out or Path("preview"),
        show_skipped=skipped,
        now_text=now,
    )
    sys.exit(code)


@main.command(context_settings=CONTEXT)
def schema() -> None:
    """Print the JSON Schema of the config file (point your editor's YAML plugin at it)."""
    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@main.command(context_settings=CONTEXT)
@_config_option
@click.option("--from", "start", metavar="DATE", help="First day (YYYY-MM-DD) [default: today].")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660), help="Days to cover.")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE.ics",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the calendar ('-' for stdout).",
)
@_now_option
@click.pass_obj
@handles_errors
def calendar(state: State, start: str | None, days: int, output: Path, now: str | None) -> None:
    """Write the upcoming greetings as an iCalendar (.ics) file.

    One all-day event per letter on the day it leaves, titled as the greeting
    with each occasion's own day and anniversary ("Поздравление: Иван Петрович
    Иванов — День рождения 7 января (67 лет)"), described with the send time
    and the contact. Event UIDs are stable, so importing a newer file into
    Outlook or Google Calendar updates instead of duplicating. A range with
    nothing planned still gives a valid calendar (no events) and says so.
    """
    from greeter.errors import OutputError
    from greeter.ics_export import build_calendar
    from greeter.runtime import load_inputs, load_planning_state

    inputs = load_inputs(state.config, today=config_day(now))
    settings = inputs.settings
    moment = parse_now(now, settings.defaults.timezone)
    first = parse_day(start, "--from") or moment.date()
    load_planning_state(inputs, now=moment, start=first)
    report = inputs.new_report()
    items = inputs.plan(inputs.contacts(report), inputs.window(now=moment, start=first, days=days))
    domain = settings.sender.email.rsplit("@", 1)[-1]
    yearly = {o.name for o in settings.occasions if o.field is not None}
    data = build_calendar(
        items,
        now=moment,
        domain=domain,
        name=f"greeter: {settings.sender.name}",
        yearly=yearly,
        titles=settings.occasion_titles(),
        timezone=settings.defaults.timezone,
    )
    events = data.count(b"BEGIN:VEVENT")
    # An empty file is still written (replacing an older one that would list stale letters).
    nothing = (
        f": nothing planned for {day_span(first, first + timedelta(days=days - 1))}" if not events else ""
    )
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        if nothing:
            click.echo(f"no greetings{nothing}", err=True)
    else:
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise OutputError.of(output, exc) from exc
        click.echo(f"wrote {output} ({events} greetings){nothing}", err=True)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    sys.exit(EXIT_PROBLEMS if report.rejected else 0)


def _dry_run_journal(inputs: Inputs, now: datetime) -> JournalStore:
    """The journal a dry run reads: the real one read-only, or an empty one in memory if there
    is none yet (a rehearsal must not create the journal file as a side effect); a lost one is
    refused (:func:`greeter.runtime.existing_journal`), as the send itself would refuse it."""
    from greeter.journal import open_journal
    from greeter.runtime import existing_journal

    return existing_journal(inputs, now) or open_journal("sqlite:///:memory:", now=now)


def _open_journal(
    settings_url: str, now: datetime, *, readonly_ok: bool = False, existing: bool = False
) -> JournalStore:
    """The configured journal; ``readonly_ok`` (a reader) or ``existing``: never a new one.

    A reader (history, ``suppress --list``) or a command that only changes
    rows already there (``uncertain``, ``unsuppress``) has nothing to do in
    a new, empty journal; made by a typo in ``storage.url`` it would only
    answer "0 greetings" from the wrong file. Such a command says so instead.
    """
    from greeter.journal import open_journal
    from greeter.journal_schema import missing_journal_error, path_from_url

    if (readonly_ok or existing) and settings_url.startswith("sqlite"):
        path = path_from_url(settings_url)
        if not path.exists():
            raise missing_journal_error(path)
    return open_journal(settings_url, now=now, readonly_ok=readonly_ok)


@main.command(context_settings=CONTEXT)
@_config_option
@click.option(
    "--once", is_flag=True, required=True, help="Plan and deliver what is due now, then exit (required)."
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="List what is due — new letters, due retries and resends — each new one rendered and built "
    "as the send would (held by the review gate or failing to render: said beside it); claim, send "
    "and create nothing.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@_now_option
@click.pass_obj
@handles_errors
def send(state: State, once: bool, dry_run: bool, as_json: bool, now: str | None) -> None:
    """Deliver every greeting due at NOW (default: the clock), then exit.

    Plans exactly as `greeter preview` does, claims each due greeting in the
    journal before handing it to the mail server, and records the server's
    answer: sent, retry (4xx, connection trouble: retried with backoff until
    the catch-up deadline), failed (5xx; unknown users are suppressed) or
    uncertain (the connection broke after the message was handed over — never
    resent automatically; see `greeter history --state uncertain`). Due
    retries and operators' resends (`greeter uncertain resend`) go too, and
    --dry-run lists them as such.

    \b
    Exit codes, the first that applies:
      129, 130, 143  stopped by SIGHUP / SIGINT / SIGTERM (below)
      2   the config is unusable, nothing was sent (also a missing or empty
          SMTP password or unsubscribe secret, or a SQLite journal missing
          where its lock file shows it existed); or the mail server refuses
          the login (535), demands one greeter does not make (530 to MAIL
          FROM: set delivery.smtp.username) or offers no AUTH greeter can use
          while a username is set: the batch stops at it, the letters not
          sent are left unclaimed for the next run (no retry gets past a
          wrong password, and a login per letter could lock the account;
          after a 530 the few letters already at the server wait in retry)
      1   something needs a person: a greeting failed or did not render, a
          contact row was rejected, or a greeting is uncertain (this run's,
          or one a crashed run left, recorded uncertain by this one)
      75  try again later: letters were due and none was delivered, all put
          off to retry (server down or silent, 4xx to every letter, outbox
          not writable); or the journal cannot be written or reached (disk
          full, PostgreSQL down: the message says how many letters the server
          had accepted before that; nothing recorded is sent twice), or
          another greeter is already sending from the same SQLite journal
      0   done: also when some letters were delivered and a few got a 4xx —
          the server works, and those retries go out by themselves

    SIGTERM, SIGINT (Ctrl-C) or SIGHUP (the terminal or SSH session closed)
    stops it gracefully: no new letter is handed to the server, those
    already handed over get `schedule.shutdown_timeout_seconds` to finish
    (then: uncertain), the summary says how many due letters were left for
    the next run, and the exit code is 128 + the signal.
    """
    from greeter.runtime import load_inputs
    from greeter.send import exit_code, missing_secrets, print_due, send_once
    from greeter.send_report import json_text, print_report, progress_factory, summary_json
    from greeter.signals import Signals

    signals: Signals | None = None
    if not dry_run:  # from now on SIGTERM, SIGINT and SIGHUP stop the run gracefully (greeter.signals)
        signals = Signals(hangup=True).install()
        click.get_current_context().call_on_close(signals.restore)
    inputs = load_inputs(state.config, today=config_day(now))
    settings = inputs.settings
    moment = parse_now(now, settings.defaults.timezone)
    missing = missing_secrets(settings, smtp=not dry_run)  # before the journal is touched
    if missing:
        raise ConfigError(missing)
    # A dry run's letters: printed one a line, or gathered for the JSON (nothing else on stdout).
    letters: list[DueLetter] = []

    def announce(letter: DueLetter) -> None:
        letters.append(letter)
        if not as_json:
            print_due(letter)

    try:
        journal = _dry_run_journal(inputs, moment) if dry_run else _open_journal(settings.storage.url, moment)
        try:
            if not dry_run:
                journal.lock_sender()
            progress = progress_factory() if not as_json and not dry_run else None
            result = send_once(
                inputs,
                journal,
                now=moment,
                dry_run=dry_run,
                progress=progress,
                announce=announce if dry_run else None,
                signals=signals,
            )
        finally:
            journal.close()
    except (JournalUnavailableError, JournalLockedError) as exc:
        failure: GreeterError = exc  # the failed-mid-run error and the lock say themselves what happened
        if type(exc) is JournalUnavailableError:
            failure = JournalUnavailableError(
                f"{exc}\nnothing was sent; run again once the journal can be written"
            )
        if as_json:  # a script's `| jq` still gets the summary, with the reason
            accepted = exc.accepted if isinstance(exc, JournalFailedMidRunError) else 0
            click.echo(
                json_text(summary_json(moment, dry_run, sent=accepted, journal_unavailable=failure.hint()))
            )
        if failure is exc:
            raise
        raise failure from exc
    try:
        print_report(result, moment, letters, dry_run=dry_run, as_json=as_json)
    except OSError:
        if result.stopped_by is not signal.SIGHUP:
            raise
        # The terminal hung up (a dropped SSH session): its summary has nowhere to go, and the
        # journal has every verdict (greeter history). Exit as the signal says, not as a bug.
        _to_devnull(sys.stdout, sys.stderr)
    # The run is over and everything in memory goes with the process. Without this the
    # interpreter's teardown runs the cycle collector over that whole heap, again and again as
    # it clears modules: ~0.1 s of a 2,000-letter send, longer than its planning. Frozen objects
    # are still freed by reference counting (the journal is closed above, output flushed at exit).
    gc.freeze()
    sys.exit(exit_code(result))


@main.command(context_settings=CONTEXT)
@_config_option
@click.option("--contact", "contact_id", metavar="ID", help="Only this contact.")
@click.option("--email", metavar="ADDRESS", help="Only greetings to this address (any case).")
@click.option("--occasion", metavar="NAME", help="Only this occasion.")
@click.option(
    "--state",
    "state_filter",
    type=click.Choice(["claimed", "sent", "retry", "failed", "uncertain", "skipped", "expired", "dismissed"]),
    help="Only greetings in this state (dismissed: the skipped ones an operator dismissed).",
)
@click.option("--since", metavar="DATE", help="Occasion date from (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Occasion date until (YYYY-MM-DD).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@click.pass_obj
@handles_errors
def history(
    state: State,
    contact_id: str | None,
    email: str | None,
    occasion: str | None,
    state_filter: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
) -> None:
    """The journal: every greeting sent, retried, failed, skipped or uncertain.

    The client history the sales books ask for — who was greeted, for what,
    when, and what the mail server answered. A manager who knows the client
    by address rather than by CRM id filters with --email.

    With --contact, the greetings sent to that contact's current address
    (as the contacts source gives it) under other ids are shown too, marked
    "as contact OLD" (JSON/CSV: current_contact_id): a CRM that renumbered a
    client keeps its history, as the planner does.

    A greeting a crashed sender left between claim and the server's reply is
    shown (and found by --state) as uncertain, "interrupted…": the next send
    or run records it so. Reads a journal it may not write (a read-only
    mount) and changes nothing; without a journal it says so (exit 2) and
    makes none.

    \b
    Examples:
      greeter history --contact 1001
      greeter history --email ivan@example.com --format json
      greeter history --state uncertain
    """
    from greeter.history_view import print_history, read_history, with_former_ids
    from greeter.runtime import load_inputs

    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if first is not None and last is not None and first > last:
        raise click.UsageError(f"--since {first} is after --until {last}: no day is in that range")
    inputs = load_inputs(state.config, today=config_day(None))
    settings = inputs.settings
    journal = _open_journal(settings.storage.url, datetime.now(ZoneInfo("UTC")), readonly_ok=True)
    try:
        entries = read_history(
            journal,
            contact_id=contact_id,
            occasion=occasion,
            state=state_filter,
            since=first,
            until=last,
            email=email,
        )
        address = None
        if contact_id and not email:  # a CRM that renumbered the client: its rows under former ids too
            filters: dict[str, Any] = {"occasion": occasion, "since": first, "until": last}
            entries, address = with_former_ids(
                journal, inputs, contact_id, entries, state=state_filter, **filters
            )
        if not entries:  # a typo, or an occasion nobody was greeted for yet?
            check_occasion(occasion, settings, journal)
    finally:
        journal.close()
    print_history(entries, fmt, asked=contact_id if address else None)
    if not entries and fmt == "table":
        given = [f"--{name} {value}" for name, value in (("contact", contact_id), ("email", email)) if value]
        if given:  # an empty table says nothing of why: a mistyped id, or nobody greeted yet
            to = f" nor for its address {address} under another id" if address else ""
            click.echo(f"the journal has no greeting for {' '.join(given)}{to} (yet)", err=True)


@main.command(context_settings=CONTEXT)
@_config_option
@click.argument("emails", nargs=-1)
@click.option(
    "--from-csv",
    "csv_file",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Also read addresses from this CSV export (the e-mail column found by its header).",
)
@click.option(
    "--reason",
    metavar="TEXT",
    help="Why (kept in the journal) [default: manual; a file's lines: their Причина/Reason column "
    "where filled in, else 'imported from FILE'].",
)
@click.option("--list", "show", is_flag=True, help="Show the do-not-contact list instead of adding to it.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    help="With --list: table, json or csv [default: table].",
)
@click.pass_obj
@handles_errors
def suppress(
    state: State,
    emails: tuple[str, ...],
    csv_file: Path | None,
    reason: str | None,
    show: bool,
    fmt: str | None,
) -> None:
    """Put addresses on the do-not-contact list; they are never greeted again.

    Every address is checked as contact e-mails are and compared without
    regard to case. --from-csv reads a CRM's export as the contacts are read
    (UTF-8 with or without BOM or Windows-1251, fields separated by
    semicolons, commas, tabs or |) and takes the column headed Email, E-mail,
    Почта, Электронная почта or Адрес электронной почты (or the contacts'
    columns.email), or one address per line from a file without a header. A
    report's title above the header row is skipped with a warning, as for the
    contacts. A Причина/Reason column, where filled in, is kept as that
    address's reason.

    An invalid address (an argument or a line of the file) is reported as
    `argument N: …` or `FILE:row N: column: …` and not stored; the others
    are. Exit 0 if every address was good, 1 if some were rejected, 2 if the
    file cannot be read at all (nothing is stored then).

    \b
    Examples:
      greeter suppress ivan@example.com anna@example.com --reason "asked by phone"
      greeter suppress --from-csv dnc.csv
      greeter suppress --list
      greeter suppress --list --format csv > do-not-contact.csv
    """
    from greeter.config_loader import load_settings
    from greeter.suppression import Intake, from_arguments, from_file, print_list, store

    if show:
        if emails or csv_file:
            raise click.UsageError("--list shows the list; give addresses or --from-csv without it")
        settings = load_settings(state.config, today=config_day(None))
        journal = _open_journal(settings.storage.url, datetime.now(ZoneInfo("UTC")), readonly_ok=True)
        try:
            entries = journal.suppression_list()
        finally:
            journal.close()
        print_list(entries, fmt or "table")
        return
    if fmt:
        raise click.UsageError("--format goes with --list")
    if not emails and not csv_file:
        raise click.UsageError("give at least one address, --from-csv FILE or --list")
    settings = load_settings(state.config, today=config_day(None))
    intake = Intake()
    from_arguments(emails, intake, reason or "manual")
    if csv_file:
        from_file(
            csv_file,
            intake,
            reason or f"imported from {csv_file.name}",
            configured=settings.contacts.columns.email,
        )
    for problem in intake.problems:
        click.echo(str(problem), err=True)
    rows = list(intake.addresses.values())
    added = 0
    if rows:
        moment = datetime.now(ZoneInfo("UTC"))
        journal = _open_journal(settings.storage.url, moment)
        try:
            added = store(journal, rows, moment)
        finally:
            journal.close()
    rejected = sum(p.severity == "error" for p in intake.problems)  # a title skipped is a warning
    tail = f"; {rejected} rejected (see above)" if rejected else ""
    click.echo(f"suppressed {added} new address(es); {len(rows) - added} already on the list{tail}")
    sys.exit(EXIT_PROBLEMS if rejected else 0)


@main.command(context_settings=CONTEXT)
@_config_option
@click.argument("emails", nargs=-1, required=True)
@click.pass_obj
@handles_errors
def unsuppress(state: State, emails: tuple[str, ...]) -> None:
    """Take addresses off the do-not-contact list.

    Each address that is not on the list (a typo: the one meant is named if
    the list has a close one) or is not an e-mail address is reported as
    `argument N: …`; the others are removed. Exit 0 if every address was
    removed, 1 if some were not.
    """
    from greeter.config_loader import load_settings
    from greeter.suppression import remove

    settings = load_settings(state.config, today=config_day(None))
    journal = _open_journal(settings.storage.url, datetime.now(ZoneInfo("UTC")), existing=True)
    try:
        n, problems = remove(journal, emails)
    finally:
        journal.close()
    for problem in problems:
        click.echo(str(problem), err=True)
    tail = f"; {len(problems)} not removed (see above)" if problems else ""
    click.echo(f"removed {n} address(es) from the do-not-contact list{tail}")
    sys.exit(EXIT_PROBLEMS if problems else 0)


@main.command(context_settings=CONTEXT)
@_config_option
@click.argument("action", type=click.Choice(["resend", "dismiss"]))
@click.option("--contact", "contact_id", metavar="ID", help="Only this contact's uncertain greetings.")
@click.option("--occasion", metavar="NAME", help="Only this occasion's.")
@click.option("--date", "occasion_date", metavar="DATE", help="Only this occasion date (YYYY-MM-DD).")
@click.option("--all", "every", is_flag=True, help="Every uncertain greeting (the filters above narrow it).")
@_now_option
@click.pass_obj
@handles_errors
def uncertain(
    state: State,
    action: str,
    contact_id: str | None,
    occasion: str | None,
    occasion_date: str | None,
    every: bool,
    now: str | None,
) -> None:
    """Decide about `uncertain` greetings: resend them, or dismiss them for good.

    A greeting is uncertain when the connection broke after the message was
    handed over: the client may or may not have it. greeter never guesses;
    check the mail server's log, then resend (it goes out with the next send,
    with the same Message-ID) or dismiss. A server lost mid-batch leaves up to
    `pool_size` of them: `--all` decides them together. Each one decided is
    printed; exit 1 if none matched.

    \b
    Examples:
      greeter history --state uncertain
      greeter uncertain resend --contact 1001 --occasion birthday --date 2027-01-07
      greeter uncertain dismiss --all --date 2027-01-07
    """
    from greeter.config_loader import load_settings

    if not (contact_id or occasion or occasion_date or every):
        raise click.UsageError("say which: --contact, --occasion and/or --date, or --all")
    settings = load_settings(state.config, today=config_day(now))
    moment = parse_now(now, settings.defaults.timezone)  # a rehearsal's resend is due at its clock
    day = parse_day(occasion_date, "--date")
    journal = _open_journal(settings.storage.url, moment, existing=True)
    try:
        _record_interrupted(journal, moment)
        chosen = journal.history(
            contact_id=contact_id, occasion=occasion, state="uncertain", since=day, until=day
        )
        if not chosen:
            check_occasion(occasion, settings, journal)
        for entry in chosen:
            (journal.resend if action == "resend" else journal.dismiss)(entry.key, moment)
            click.echo(f"{action}: {entry.contact_id} {entry.occasion} {entry.occasion_date}")
    finally:
        journal.close()
    if not chosen:
        click.echo("no uncertain greeting matches (see greeter history --state uncertain)", err=True)
        sys.exit(EXIT_PROBLEMS)


def _record_interrupted(journal: JournalStore, now: datetime) -> None:
    """Record the claims a crashed sender left as ``uncertain`` — what history already shows them as.

    Only with the sender lock (SQLite) or role (PostgreSQL), as a send does at
    its start; a running sender already did it when it started, and its own
    claims are live, so a taken lock means there is nothing to do.
    """
    try:
        journal.lock_sender()
    except JournalLockedError:
        return
    recorded = journal.recover_stale_claims(now)
    if recorded:
        click.echo(f"recorded {recorded} interrupted claim(s) as uncertain", err=True)


# The daemon and review commands live in their own module; importing it registers them.
from greeter import cli_daemon  # noqa: E402, F401
