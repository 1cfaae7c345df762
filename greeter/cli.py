"""The ``greeter`` command: a thin shell that reads files and the clock, then calls the core.

Every command turns a :class:`~greeter.errors.GreeterError` into one-line
messages on stderr and the documented exit code (0 ok, 1 some rows or
greetings failed, 2 usage/config error, nothing sent). Only an unexpected bug
shows a traceback, and only with ``--verbose``.
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

import click

from greeter import __version__
from greeter.config_loader import DEFAULT_CONFIG, config_path, json_schema
from greeter.errors import EXIT_PROBLEMS, EXIT_USAGE, GreeterError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BUG = 3

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
        except Exception as exc:  # a bug: say so plainly, show the traceback on request
            if verbose:
                traceback.print_exc()
            click.echo(
                f"internal error: {type(exc).__name__}: {exc} (a bug in greeter; "
                "run with --verbose for the traceback)",
                err=True,
            )
            sys.exit(EXIT_BUG)

    return cast(F, wrapper)


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
      2  usage or configuration error (nothing was sent)
      3  internal error (a bug in greeter; --verbose shows the traceback)
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
        help="Pretend it is this moment (ISO 8601; without an offset, the default time zone).",
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


def parse_day(value: str | None, param: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-12-25", param_hint=param) from None


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
    sent. Prints each problem as file:line or file:row N, then a summary.
    Exit 0 if all is well (warnings allowed unless --strict), 1 if some rows
    or renders failed, 2 if the config itself is unusable.
    """
    from greeter.checks import run_check

    report = run_check(state.config, now_text=now)
    for problem in report.problems:
        click.echo(str(problem), err=not as_json)
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
@click.option("--from", "start", metavar="DATE", help="First day to plan (YYYY-MM-DD) [default: today].")
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
    help="Folder for --format eml/html [default: ./preview].",
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
    outside_audience).

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

    One all-day event per letter on the day it leaves, with the contact, the
    occasions and the planned send time. Event UIDs are stable, so importing
    a newer file into Outlook or Google Calendar updates instead of
    duplicating.
    """
    from greeter.ics_export import build_calendar
    from greeter.planner import plan
    from greeter.runtime import load_inputs

    inputs = load_inputs(state.config)
    settings = inputs.settings
    moment = parse_now(now, settings.defaults.timezone)
    first = parse_day(start, "--from") or moment.date()
    report = inputs.new_report()
    items = plan(
        inputs.contacts(report), inputs.window(now=moment, start=first, days=days), inputs.history, inputs.suppressed
    )
    domain = settings.sender.email.rsplit("@", 1)[-1]
    data = build_calendar(items, now=moment, domain=domain, name=f"greeter: {settings.sender.name}")
    if str(output) == "-":
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({data.count(b'BEGIN:VEVENT')} greetings)", err=True)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    sys.exit(EXIT_PROBLEMS if report.rejected else 0)
