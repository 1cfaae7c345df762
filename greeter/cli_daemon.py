"""CLI commands of the running service: ``greeter run`` (the daemon) and ``greeter approve`` (review gate).

Kept apart from :mod:`greeter.cli` so each module stays small; importing
this module registers the commands on the ``greeter`` group.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from greeter.cli import (
    CONTEXT,
    State,
    _config_option,
    _now_option,
    _now_writing_option,
    handles_errors,
    main,
)
from greeter.cli_options import (
    check_occasion,
    contact_by_name,
    contact_option,
    occasion_by_title,
    occasion_option,
)
from greeter.cli_values import (
    NOBODY_NAMED,
    Choice,
    config_day,
    day_span,
    flag_hint,
    parse_day,
    parse_now,
    who,
)


def _host_port(value: str | None) -> tuple[str, int] | None:
    if value is None:
        return None
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or int(port) > 65535:
        raise click.BadParameter(
            "use HOST:PORT, e.g. 127.0.0.1:8025 (a port from 0 to 65535; 0 picks a free one)",
            param_hint=flag_hint("--listen"),
        )
    return host.strip("[]"), int(port)


#: ``--log-format`` choices → ``configure_logging(json=…)``.
_LOG_FORMATS: dict[str, bool | None] = {"auto": None, "json": True, "console": False}


#: ``--log-level`` choices → the least level of greeter's own lines that is written.
_LOG_LEVELS: dict[str, int] = {
    "debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR,
}  # fmt: skip


def _asked_log_format(args: Sequence[str]) -> bool | None:
    """The ``--log-format`` a command line asks for, read without click (whose parsing failed)."""
    for i, arg in enumerate(args):
        if arg == "--log-format" and i + 1 < len(args):
            return _LOG_FORMATS.get(args[i + 1])
        if arg.startswith("--log-format="):
            return _LOG_FORMATS.get(arg.partition("=")[2])
    return None


def _cannot_start(exc: click.UsageError, json: bool | None) -> click.exceptions.Exit:
    """A usage error of ``greeter run`` as the daemon says everything: a ``cannot_start`` line, exit 2."""
    from greeter.daemon import log_fatal
    from greeter.errors import ConfigError, Problem
    from greeter.logs import configure_logging

    configure_logging(json=json)
    return click.exceptions.Exit(log_fatal(ConfigError([Problem("greeter run", "", exc.format_message())])))


class _DaemonCommand(click.Command):
    """``greeter run``: a usage error is a ``cannot_start`` log line too, like any other start-up error.

    Under systemd a mistyped ``ExecStart=`` (``--listen foo``, a bad
    ``--now``) would otherwise print click's plain text, the only non-JSON
    lines in the unit's journal. Both kinds are caught: click's own (before
    the command runs, when ``--log-format`` is read from the raw arguments)
    and those the command raises itself.
    """

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        raw = list(args)
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _cannot_start(exc, _asked_log_format(raw)) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _cannot_start(exc, _LOG_FORMATS.get(ctx.params.get("log_format", "auto"))) from None


@main.command(
    cls=_DaemonCommand, context_settings=CONTEXT, short_help="Run the daemon: plan and send on schedule."
)
@_config_option
@click.option(
    "--listen",
    metavar="HOST:PORT",
    help="Serve /livez, /healthz, /metrics and /unsubscribe here (overrides the config's http section); "
    "*:PORT is every address, IPv4 and IPv6.",
)
@click.option(
    "--log-format",
    type=Choice(list(_LOG_FORMATS)),
    default="auto",
    show_default=True,
    help="auto: readable on a terminal, JSON lines otherwise (systemd, containers).",
)
@click.option(
    "--log-level",
    type=Choice(list(_LOG_LEVELS)),
    default="info",
    show_default=True,
    envvar="GREETER_LOG_LEVEL",
    show_envvar=True,
    help="The least level of greeter's own lines written: warning leaves out the info lines of runs"
    " that went well; other libraries' lines are written from warning up whatever this says.",
)
@_now_option
@click.option(
    "--speed",
    type=click.FloatRange(min=0.001),
    default=1.0,
    show_default=True,
    help="Rehearsal: with --now, the clock goes this many times faster than real time while the "
    "daemon waits for its next run; its runs take their real time, as in production.",
)
@click.pass_obj
@handles_errors
def run(
    state: State, listen: str | None, log_format: str, log_level: str, now: str | None, speed: float
) -> None:
    """Run the daemon: plan and deliver on the schedule until SIGTERM or SIGINT.

    Plans at every `schedule.cron` time and wakes up when a send window
    opens; greetings missed during downtime are sent late within
    `catch_up_days` (templates see `belated`), older ones are marked expired.
    Only one daemon may send from a SQLite journal at a time.

    Everything it says is a log line (JSON under systemd), start-up errors
    included (a cannot_start line), usage errors too. A PostgreSQL journal
    upgraded by a newer greeter while it runs: it keeps running, sends
    nothing (journal_newer, /healthz 503) until upgraded.

    \b
    Exit codes:
      0   stopped by SIGTERM or SIGINT (below)
      2   the config (or the command line, GREETER_LOG_LEVEL included) is
          unusable — restarting cannot
          help: a config or template error (a template that fails to
          render for the first contacts too, as greeter check says), a
          missing SMTP password or unsubscribe secret, an invalid
          storage.url, an HTTP address that cannot be bound at all, an
          HTTP port another greeter project's daemon or another program
          holds
      75  try again later — the journal cannot be written or reached (disk
          full, PostgreSQL down), another greeter is sending from the same
          SQLite journal, the HTTP port is still held by this project's
          previous daemon (or by a holder that does not say who it is), a
          newer greeter upgraded the PostgreSQL journal (upgrade greeter on
          this machine) or an older one still running on it holds back its
          upgrade; the systemd unit restarts it until it can start

    Every log line names the project in "instance" (the config's instance
    setting, else its folder's name), as /healthz and /metrics do.

    \b
    Signals:
      SIGTERM, SIGINT  stop claiming, let letters in flight finish
                       (schedule.shutdown_timeout_seconds), exit 0; letters
                       not handed over yet wait unclaimed for the next start
      SIGHUP           re-read config and templates and plan again; if they
                       are broken, log the errors (file:line) and keep the
                       old ones (templates are read at start and reload
                       only: an edit counts from the next good reload)
      A config file or template changed on disk (a ConfigMap update) is
      reloaded as on SIGHUP within a few seconds, without one. A reload
      whose journal does not answer is put off (reload_put_off) and tried
      again every few seconds until it does.
      All three are handled from the first moment: during start-up a stop
      ends it cleanly (exit 0), a SIGHUP reloads once it has started.

    \b
    HTTP (http.enabled or --listen):
      GET  /livez              200 "alive" while the daemon answers: the
                               liveness probe
      GET  /healthz            200 "ok" when the last run succeeded and the
                               journal answers; 503 "unhealthy" if not, 503
                               "degraded" while letters due cannot reach the
                               mail server (readiness, alerts; not liveness:
                               a restart mends no mail outage); "refusing"
                               in its body while the server refuses every
                               letter (the status stays 200)
      GET  /metrics            Prometheus text: greetings by state,
                               occasion and skip reason, the oldest
                               waiting, refusals by class, runs
      GET  /unsubscribe/TOKEN  a confirmation page with a button
      POST /unsubscribe/TOKEN  List-Unsubscribe=One-Click (RFC 8058):
                               suppress at once

    \b
    Examples:
      greeter run
      greeter run --listen 127.0.0.1:8025
      greeter run --log-level warning   # or GREETER_LOG_LEVEL=warning
      greeter run --now 2027-01-01T08:00 --speed 60   # rehearse: an hour a minute
    """
    from greeter.signals import daemon_signals

    # First of all: from here on SIGTERM/SIGINT/SIGHUP are remembered, not fatal; the daemon's
    # event loop handles them once it runs (the entry point may have started even earlier).
    signals = daemon_signals()

    from greeter.clock import Clock
    from greeter.config_loader import load_settings
    from greeter.daemon import log_fatal, run_daemon
    from greeter.errors import GreeterError
    from greeter.instance import instance_name
    from greeter.logs import configure_logging, name_instance

    configure_logging(json=_LOG_FORMATS[log_format], level=_LOG_LEVELS[log_level])
    name_instance(instance_name(None, state.config))  # until the config is read: its folder's name
    if now is None and speed != 1.0:  # an empty --now never gets here (refuse_empty_now)
        raise click.UsageError("--speed needs --now (the moment the rehearsal clock starts at)")
    origin = None
    if now is not None:
        try:
            origin = parse_now(now, load_settings(state.config, today=config_day(now)).defaults.timezone)
        except GreeterError as exc:  # from here on, whatever the daemon says is a log line
            sys.exit(log_fatal(exc))
    clock = Clock(origin, speed)
    clock.wake_at(clock.now())  # a rehearsal's clock waits at --now until the daemon starts (greeter.clock)
    sys.exit(run_daemon(state.config, clock=clock, listen=_host_port(listen), signals=signals))


@main.command(context_settings=CONTEXT, short_help="Approve drafts to send (review: required).")
@_config_option
@click.option(
    "--from", "start", metavar="DATE", help="First day (YYYY-MM-DD or DD.MM.YYYY) [default: today]."
)
@click.option(
    "--days", type=click.IntRange(1, 366), help="Days to cover [default: 7; with --reviewed alone, FILE's]."
)
@click.option("--all", "approve_all", is_flag=True, help="Every draft in the range.")
@contact_option("Only this contact's drafts")
@occasion_option("Only drafts for this occasion.")
@click.option("--by", default=None, metavar="NAME", help="Who approves (kept) [default: $USER].")
@click.option(
    "--reviewed",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Approve only the letters as they are in FILE (preview --format json): one changed since is not.",
)
@_now_writing_option("The approvals are recorded in the config's own journal as made at that moment")
@click.pass_obj
@handles_errors
def approve(
    state: State,
    start: str | None,
    days: int | None,
    approve_all: bool,
    contact_id: str | None,
    occasion: str | None,
    by: str | None,
    reviewed: Path | None,
    now: str | None,
) -> None:
    """Approve drafts for sending when the config says `review: required`.

    Renders the drafts of the range exactly as `greeter preview` shows them
    (the occasions in it and the letters that leave in it) and records a
    fingerprint of each one's subject, text and HTML and of whom it is to and
    from: To (address and name), From and Reply-To. The daemon then sends only
    approved drafts; if the template, the contact's data (a new e-mail address
    too) or the sender changes afterwards, the draft shows as
    `changed_since_approval` in preview and waits for a new approval. Drafts
    approved with a greeter older than this fingerprint show as
    `approval_outdated`: approve them again.

    Approving renders the drafts again: a template edited or a CRM export
    refreshed between reading and approving would be approved unread. With
    `--reviewed FILE` (the `preview --format json` the reviewer read) only
    the letters still exactly as in FILE are approved; each one changed since
    is named and left waiting (exit 1), and the range's drafts FILE does not
    hold are not approved. `--reviewed FILE` alone approves FILE's drafts: the
    range is FILE's days unless --from or --days say otherwise.

    \b
    Exit codes:
      0   approved (or nothing new to approve, or nothing in the range)
      1   a draft was not approved: it does not render, or it changed
          since --reviewed FILE; or a contact row was rejected — any row,
          with --contact too (every row is read); the others are approved
      2   usage or config error (nothing to say what to approve, an unknown
          --occasion or --contact, a --reviewed FILE that is no preview)
      75  the journal or the contacts database does not answer now

    \b
    Examples:
      greeter preview --days 7                 # read them first
      greeter approve --all --days 7
      greeter preview --days 7 --format json > week.json  # the reviewer reads
      greeter approve --reviewed week.json     # just what the reviewer read
      greeter preview --occasion new_year --from 2026-12-28 --days 5
      greeter approve --occasion new_year --from 2026-12-28 --days 5
      greeter approve --contact C-0042
      greeter approve --contact Смирнова --days 30
    """
    from greeter.approve import approve_range, reviewed_range
    from greeter.runtime import load_inputs

    if not (approve_all or contact_id or occasion or reviewed):
        raise click.UsageError(
            "say what to approve: --all, --contact ID|NAME, --occasion NAME or --reviewed FILE"
        )
    fingerprints = None if reviewed is None else _reviewed(reviewed)
    if fingerprints == {}:  # a preview of a range with no letter: as "approved 0", exit 0
        click.echo(f"nothing to approve: {reviewed} holds no letters (its preview found none to send)")
        return
    if fingerprints is not None and not (approve_all or contact_id or occasion):  # FILE's drafts, its days
        first_reviewed, days = reviewed_range(fingerprints, parse_day(start, "--from"), days)
        start = start or first_reviewed.isoformat()
    days = days or 7
    # --contact: the contacts its name is looked up in are planned from, not read again (a file source)
    inputs = load_inputs(state.config, today=config_day(now), keep_contacts=contact_id is not None)
    settings = inputs.settings
    occasion = occasion_by_title(occasion, settings)  # a title, as preview's table shows it
    check_occasion(occasion, settings, titles=True)
    if contact_id is not None:  # before the journal is opened (made, in a new project) to record nothing
        contact_id = contact_by_name(inputs, None, contact_id, known=True) or contact_id  # a name too
        inputs.require_contact(contact_id)
    if settings.review != "required":
        click.echo("note: review is not required in this config; approvals are recorded anyway", err=True)
    moment = parse_now(now, settings.defaults.timezone)
    first = parse_day(start, "--from") or moment.date()
    from greeter.send_report import progress_factory

    result = approve_range(
        inputs,
        now=moment,
        start=first,
        days=days,
        contact_id=contact_id,
        occasion=occasion,
        by=who(by) or NOBODY_NAMED,  # a container's UID with no passwd entry: not a crash
        reviewed=fingerprints,
        # On a terminal, the rows read so far while they are planned and rendered, as preview shows.
        progress=progress_factory("planning and rendering letters", "rows"),
    )
    for error in result.render_errors:
        click.echo(f"not approved (render error): {error}", err=True)
    for name in result.changed:
        click.echo(f"not approved (changed since {reviewed}): {name}; preview it again", err=True)
    if result.unreviewed:
        click.echo(
            f"not approved: {result.unreviewed} draft(s) of the range that {reviewed} does not hold", err=True
        )
    for problem in result.problems:
        click.echo(problem, err=True)
    last = first + timedelta(days=days - 1)
    # The range selects occasions as well as send days, so say when the letters really leave.
    leave = f"; they leave {day_span(*result.leaving)}" if result.leaving else ""
    span = f"{day_span(first, last)}{leave}"
    if result.approved and result.already == result.approved:  # a second run: none of them is new
        click.echo(f"nothing new to approve: all {result.approved} draft(s) were approved already for {span}")
    else:
        again = f" ({result.already} of them approved already)" if result.already else ""
        click.echo(f"approved {result.approved} draft(s){again} for {span}")
    sys.exit(1 if result.render_errors or result.rows_rejected or result.problems or result.changed else 0)


def _reviewed(path: Path) -> dict[tuple[str, str, date], str]:
    """The letters' fingerprints in ``path`` (``preview --format json``); a usage error if it is none."""
    import json

    from greeter.approve import reviewed_fingerprints

    try:
        return reviewed_fingerprints(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise click.UsageError(f"--reviewed {path}: {exc.strerror or exc}") from None
    except ValueError as exc:  # JSON that does not parse, too
        raise click.UsageError(f"--reviewed {path}: {exc}") from None
