"""``greeter send --once``: plan, claim, deliver what is due now, report, exit (cron, a timer).

The command's shell only: reading the config and secrets, opening the journal,
turning what stops a run into its exit code and a summary a script can read.
The run itself is :func:`greeter.send.send_once`.
"""

from __future__ import annotations

import gc
import signal
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from greeter.cli import (
    CONTEXT,
    State,
    _config_option,
    _dry_run_journal,
    _now_option,
    _RequiredOption,
    _to_devnull,
    handles_errors,
    main,
    quiet_option,
)
from greeter.cli_values import config_day, parse_now
from greeter.clock_sanity import far_rehearsal_problem, last_real_send
from greeter.errors import (
    EXIT_USAGE,
    ClockSkewError,
    ConfigError,
    ContactsUnavailableError,
    GreeterError,
    JournalFailedMidRunError,
    JournalLockedError,
    JournalNewerError,
    JournalRewoundError,
    JournalUnavailableError,
)
from greeter.journal_space import checkpoint_after_run
from greeter.wording import counted

if TYPE_CHECKING:
    from collections.abc import Sequence

    from greeter.journal_store import JournalEntry, JournalKey, JournalStore
    from greeter.send_due import DueLetter


@main.command(context_settings=CONTEXT, short_help="Deliver what is due now, then exit (cron).")
@_config_option
@click.option(
    "--once",
    cls=_RequiredOption,
    is_flag=True,
    missing="send --once delivers what is due now and exits (for cron or a timer);"
    " the service that keeps running is greeter run",
    help="Plan and deliver what is due now, then exit.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="List what is due — new letters, due retries and resends — each new one rendered and built "
    "as the send would (held by the review gate or failing to render: said beside it); claim, send "
    "and create nothing.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@quiet_option
@_now_option
@click.option(
    "--really-deliver",
    is_flag=True,
    help="With --now more than a day from the clock, transport: smtp and a journal in use on the real"
    " clock (a letter sent in the last week), deliver the letters due then to their recipients"
    " now (refused without it: a --now is a rehearsal; the file transport needs no flag).",
)
@click.option(
    "--clock-is-right",
    is_flag=True,
    help="The clock is right although the journal recorded later times (a clock that ran ahead, or"
    " a --now rehearsal on this journal): move them back to now and put back the greetings they"
    " recorded expired, then send. Without it send refuses such a journal (exit 75).",
)
@click.option(
    "--adopt-journal",
    is_flag=True,
    help="The journal another config recorded as its project (its sender and contacts source both"
    " differ from this config's) is this project's: record this config's, then send. Without it"
    " send refuses such a journal (exit 2). With --dry-run: planned as if adopted, nothing recorded.",
)
@click.pass_obj
@handles_errors
def send(
    state: State,
    once: bool,
    dry_run: bool,
    as_json: bool,
    quiet: bool,
    now: str | None,
    really_deliver: bool,
    clock_is_right: bool,
    adopt_journal: bool,
) -> None:
    """Deliver every greeting due at NOW (default: the clock), then exit.

    Plans exactly as `greeter preview` does, claims each due greeting in the
    journal before handing it to the mail server, and records the server's
    answer: sent, retry (4xx, connection trouble: retried with backoff until
    the catch-up deadline), failed (5xx; unknown users are suppressed) or
    uncertain (the connection broke after the message was handed over — never
    resent automatically; see `greeter history --state uncertain`). Due
    retries and operators' resends (`greeter uncertain resend`) go too, and
    --dry-run lists them as such. Run it every 10 minutes or more often: a
    run in the last 10 minutes of a recipient's sending period (before lunch,
    the day's end less its quiet minutes, the Friday cut-off) sends the
    letters still planned in it too, so each leaves on its day.

    \b
    Example (greeter's crontab, `crontab -u greeter -e`: every 5 minutes):
      */5 * * * * greeter --config /etc/greeter/greeter.yaml send --once -q

    Contact row problems go to stderr. When stderr is not a terminal (cron,
    a systemd timer), a set already said and unchanged since is not repeated:
    the summary names how many and since when (`greeter check` lists them),
    --json as contact_problems; the journal remembers what was said. With
    --quiet such a run prints nothing at all when those rows are all its
    exit 1 is for (cron mails what a job prints); new problems still print.

    A new journal's first run catches up the last catch_up_days: it sends
    belated letters for occasions from before greeter was installed, and
    says so on stderr (a --dry-run too, and --quiet keeps it: cron mails it). Moving from
    another tool that already greeted those clients (a mail-merge cron), run
    `greeter baseline` before the first send: it records what that tool sent.

    \b
    Exit codes, the first that applies:
      129, 130, 143  stopped by SIGHUP / SIGINT / SIGTERM (below)
      2   - the config is unusable, nothing was sent (also a missing or
            empty SMTP password or unsubscribe secret, a previous one too,
            or a SQLite journal missing where its lock file shows it
            existed, or a journal another project's config recorded:
            --adopt-journal);
          - the mail server refuses the login (535), demands one greeter
            does not make (530 to MAIL FROM: set delivery.smtp.username) or
            offers no AUTH greeter can use while a username is set: the
            batch stops at it, the letters not sent are left unclaimed for
            the next run (no retry gets past a wrong password, and a login
            per letter could lock the account; after a 530 the few letters
            already at the server wait in retry);
          - --now is more than a day from the clock with transport: smtp on
            a journal in use (no --really-deliver)
      1   something needs a person:
          - a greeting failed or did not render, a contact row was
            rejected, a greeting is uncertain (this run's, or one a crashed
            run left, recorded uncertain by this one);
          - a greeting was recorded expired, never to be sent (no run inside
            its recipient's send window during its catch-up period: run it
            as the example above, or greeter run, not once a day; or the
            server refused every attempt until then: stderr says which,
            with its last reply; or the daily quota held it back: stderr
            says so; not one whose last window had passed before the
            journal's first run);
          - the daily quota (rate_limit.per_day) left letters unsent whose
            catch-up period ends before it frees a slot while their send
            window is open
      75  try again later:
          - letters were due and none was delivered, all put off to retry
            (server down or silent, 4xx to every letter, outbox not
            writable);
          - the provider throttled sending (a 421, a 4xx about rate or
            limits, or a 5xx saying the sending quota is spent, 550 5.4.5:
            the rest wait, unclaimed, until the summary's "sending resumes
            at", delivery.retry's back-off);
          - the journal cannot be written or reached (disk full, PostgreSQL
            down: the message says how many letters the server had
            accepted before that; nothing recorded is sent twice);
          - another greeter is already sending from the same SQLite journal;
          - the clock is earlier than times the journal recorded (fix the
            clock; if it is right, --clock-is-right accepts it);
          - a newer greeter elsewhere upgraded the PostgreSQL journal
            (upgrade greeter on this machine; nothing claimed), or an older
            greeter still running on it holds back its upgrade;
          - the SQLite journal was put back from an older copy: it lacks
            letters the note beside it (<journal>.sent) says it sent (finish
            the restore, docs/operations.md "Backing up the journal":
            greeter baseline accepts it; or delete the note to send them
            again);
          - also, ahead of 2 and 1, a summary stdout could not take (a full
            disk, closed): what was sent is in the journal (greeter history)
      0   done: also when some letters were delivered and a few got a 4xx —
          the server works, and those retries go out by themselves (not so
          when the outbox stopped taking letters partway, a disk that filled:
          75)

    SIGTERM, SIGINT (Ctrl-C) or SIGHUP (the terminal or SSH session closed)
    stops it gracefully: no new letter is handed to the server, those
    already handed over get `schedule.shutdown_timeout_seconds` to finish
    (then: uncertain), the summary says how many due letters were left for
    the next run, and the exit code is 128 + the signal.
    """
    from greeter.check_sender import placeholder_warning
    from greeter.journal_mark import journal_rewound, remember_newest_sent
    from greeter.own_journal import Use, open_own_journal
    from greeter.runtime import load_inputs
    from greeter.send import send_once
    from greeter.send_due import print_due
    from greeter.send_report import json_text, print_report, progress_factory, summary_json
    from greeter.send_result import exit_code, says_nothing_new
    from greeter.send_transport import checked_secrets
    from greeter.signals import Signals

    if quiet and (as_json or dry_run):
        # A script reads the JSON whatever the outcome, and a dry run is asked for its list.
        raise click.UsageError(
            f"--quiet is for a real send's text summary; drop it or {'--json' if as_json else '--dry-run'}"
        )
    signals: Signals | None = None
    if not dry_run:  # from now on SIGTERM, SIGINT and SIGHUP stop the run gracefully (greeter.signals)
        signals = Signals(hangup=True).install()
        click.get_current_context().call_on_close(signals.restore)
    moment: datetime | None = None
    try:
        inputs = load_inputs(state.config, today=config_day(now))
        settings = inputs.settings
        moment = parse_now(now, settings.defaults.timezone)
        # Before the journal is touched: the secrets, and the calendar files every plan reads.
        missing, dkim_key = checked_secrets(settings, inputs.config_file, smtp=not dry_run)
        missing = missing or inputs.calendar_errors(moment.date())
        if missing:
            raise ConfigError(missing)
    except GreeterError as exc:
        if as_json and exc.exit_code == EXIT_USAGE:  # `| jq .config_error`, as for a journal down
            click.echo(_config_error_json(exc, moment, now, dry_run))
        raise
    # A dry run's letters: printed one a line, or gathered for the JSON (nothing else on stdout).
    letters: list[DueLetter] = []

    def announce(letter: DueLetter) -> None:
        letters.append(letter)
        if not as_json:
            print_due(letter)

    try:
        journal = (  # this project's only, locked and recorded as its sender's (greeter.own_journal)
            _dry_run_journal(inputs, moment, adopt=adopt_journal)
            if dry_run
            else open_own_journal(settings, inputs.config_file, moment, Use.SEND, adopt=adopt_journal)
        )
        try:
            if dry_run and (rewound := journal_rewound(journal)) is not None:
                click.echo(f"warning: send refuses it: {rewound}", err=True)  # a dry run sends nothing
            if not dry_run:
                if (said := placeholder_warning(settings)) is not None:
                    # Once a run, not a letter; check's own finding. After the journal opened: a send
                    # it refuses (locked, copied, newer) says that one line alone.
                    click.echo(f"warning: {said}", err=True)
                system = datetime.now(UTC)  # the real clock, against --now (the one place it is read here)
                far = far_rehearsal_problem(
                    moment, system, settings.delivery.transport, last_real_send(journal, system)
                )
                if far is not None and not really_deliver:
                    raise click.UsageError(far)
                if clock_is_right:
                    _pull_back(journal, moment)
            progress = progress_factory() if not (as_json or dry_run or quiet) else None
            result = send_once(
                inputs,
                journal,
                now=moment,
                dry_run=dry_run,
                progress=progress,
                announce=announce if dry_run else None,
                signals=signals,
                dkim_key=dkim_key,  # read once, above: signed with
            )
            expired = _expired_rows(journal, result.summary.expired) if result.summary.lost else []
            if not dry_run and (said := checkpoint_after_run(journal)) is not None:
                click.echo(f"warning: {said}", err=True)  # a -wal a full disk left big: said, not silent
            if not dry_run and (said := remember_newest_sent(journal)) is not None:
                click.echo(f"warning: {said}", err=True)  # costs only the next restore's check
        finally:
            journal.close()
    except ContactsUnavailableError as exc:
        # Read while planning, before any letter is claimed: nothing left, whatever the journal says.
        # A database that does not answer, or a contacts file rewritten while it was read.
        later = "the contacts database answers" if settings.contacts.source == "sql" else "the file is whole"
        down = ContactsUnavailableError(f"{exc}; nothing was sent: run again once {later}")
        if as_json:
            click.echo(json_text(summary_json(moment, dry_run, contacts_unavailable=down.hint())))
        raise down from exc
    except (
        JournalUnavailableError,
        JournalLockedError,
        ClockSkewError,
        JournalNewerError,
        JournalRewoundError,
    ) as exc:
        # The failed-mid-run error, the lock, the clock, a newer or a rewound journal say what happened.
        failure: GreeterError = exc
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
    except GreeterError as exc:  # a damaged journal, a contacts file that is not there: nothing sent
        if as_json and exc.exit_code == EXIT_USAGE:
            click.echo(_config_error_json(exc, moment, now, dry_run))
        raise
    try:
        code = exit_code(result)
        print_report(
            result,
            moment,
            letters,
            dry_run=dry_run,
            as_json=as_json,
            unattended=sys.stderr is None or not sys.stderr.isatty(),  # None: `2>&-`
            summary=not (quiet and says_nothing_new(result)),
            expired=expired,
        )
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
    sys.exit(code)


def _expired_rows(journal: JournalStore, keys: Sequence[JournalKey]) -> list[JournalEntry]:
    """The journal's rows of the greetings a run recorded expired (a dry run: would), read in one
    pass over their days: whether the server's refusals lost them, not the schedule
    (:func:`~greeter.send_report.expired_hints`)."""
    wanted = set(keys)
    days = [day for _, _, day in wanted]
    return [row for row in journal.iter_history(since=min(days), until=max(days)) if row.key in wanted]


def _pull_back(journal: JournalStore, moment: datetime) -> None:
    """``--clock-is-right``: the journal's later times back to ``moment``, said on stderr."""
    put_back, redated = journal.pull_back(moment)
    if put_back or redated:
        click.echo(
            f"clock: {counted(put_back, 'greeting')} recorded expired by a clock ahead put back,"
            f" {counted(redated, 'later change')} dated now",
            err=True,
        )


def _config_error_json(exc: GreeterError, moment: datetime | None, now: str | None, dry_run: bool) -> str:
    """``send --json``'s summary of a run that a config error stopped (exit 2) before it sent anything.

    Shaped as every other summary, as for a journal that does not answer
    (exit 75, ``journal_unavailable``): a script's ``| jq`` reads the
    reason in ``config_error`` rather than failing on an empty stdout, as
    ``check --json`` prints its summary whatever stopped it. ``moment`` is
    None when the config, and so its time zone, could not be read: then
    ``now`` is ``--now`` as written, else the real clock in UTC.
    """
    from greeter.day_text import read_moment
    from greeter.send_report import json_text, summary_json

    if moment is None:
        try:
            moment = read_moment(now.strip()) if now else datetime.now(UTC)
        except ValueError:
            moment = datetime.now(UTC)
    return json_text(summary_json(moment, dry_run, config_error=exc.hint()))
