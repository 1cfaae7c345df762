"""CLI commands for reviewers: ``greeter preview`` (the letters that would go out) and ``greeter calendar``.

Kept apart from :mod:`greeter.cli` so each module stays small; importing
this module registers the commands on the ``greeter`` group. Their heavy
imports (the gallery, icalendar) stay inside the commands, so ``send`` never
pays for them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import click

from greeter.cli import (
    CONTEXT,
    State,
    _config_option,
    _now_reading_option,
    handles_errors,
    main,
)
from greeter.cli_options import (
    check_occasion,
    contact_by_name,
    contact_in_config,
    contact_option,
    json_option,
    occasion_by_title,
    occasion_in_config,
    occasion_option,
)
from greeter.cli_values import Choice, config_day, day_span, parse_day, parse_now
from greeter.errors import EXIT_PROBLEMS


@main.command(context_settings=CONTEXT, short_help="Show the greetings that would go out.")
@_config_option
@click.option(
    "--from",
    "start",
    metavar="DATE",
    help="First occasion day to plan (YYYY-MM-DD or DD.MM.YYYY) [default: today].",
)
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 3660), help="Days to plan.")
@contact_option("Only this contact")
@occasion_option("Only this occasion's letters and skips, and a letter it is merged into.")
@click.option(
    "--format",
    "fmt",
    type=Choice(["table", "text", "json", "eml", "html"]),
    default="table",
    show_default=True,
    help=(
        "table: terminal (no frame when piped or with TERM=dumb); text: one 'field: value' line per "
        "field, a blank line between drafts (for a screen reader); json: for scripts; eml: one .eml "
        "per draft; html: a gallery to open in a browser."
    ),
)
@json_option("The same as --format json (as send takes it).")
@click.option(
    "-o",
    "--out",
    "--output",
    "out",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help=(
        "Folder for --format eml/html [default: ./preview]. A rerun replaces or removes only the files "
        "a preview wrote there (listed in DIR/.greeter-preview.sha256), never others."
    ),
)
@click.option("--skipped/--no-skipped", default=True, show_default=True, help="Show skipped occasions too.")
@_now_reading_option
@click.pass_obj
@handles_errors
def preview(
    state: State,
    start: str | None,
    days: int,
    contact_id: str | None,
    occasion: str | None,
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
    outside_audience, render_error). A letter the journal says left is
    listed as sent, at the moment it left; one it holds but did not deliver
    by what became of it (skip: failed, uncertain, dismissed…). A day whose letters exceed
    delivery.rate_limit.per_day gets a note on stderr (how many go, how many
    go later or expire; `quota_held` in the JSON), and each letter it holds
    back is "held by quota (later)" or "(expires)" in the table, not "send".

    The range shows the occasions whose day (less any `days_before`) is in
    it, and every letter that leaves in it: a 5 January birthday greeted on
    30 December, before the holidays, is in a range ending on the 30th (and
    again, by its day, in the range holding 5 January); a belated letter
    leaving today is in a range starting today. A letter for an occasion in
    the range may leave before --from (a day off before it:
    `send_window.day_off_policy`), or after the range (a day off with
    `day_off_policy: after` or past `max_days_early`). `greeter send --once --dry-run --now
    DATETIME` lists exactly what is due at a moment.

    A range in the past shows what became of its letters (sent, failed,
    expired…). Days before greeter planned an occasion (its journal's first
    run, less catch_up_days, or the day the occasion came into the config)
    show none: greeter was not running, nothing was missed; a note on stderr
    names them and the `greeter history --since … --until …` that lists what
    the journal holds.

    --occasion NAME shows the letters `greeter approve --occasion NAME`
    approves (NAME's own) and NAME's skips, the occasions merged into its
    letters, and a letter of another occasion that NAME is merged into:
    approve --occasion leaves that one to `approve --contact ID`.

    \b
    Exit codes:
      0   shown
      1   a letter does not render, or a contact row was rejected — any
          row, with --contact too (every row is read) —, the --contact
          id's own row among them
      2   usage or config error (an unknown --occasion, a --contact no
          contact has as its id or name: the closest are named, an --out
          folder holding greeter's own files)
      75  the journal or the contacts database does not answer now

    \b
    Examples:
      greeter preview --days 14
      greeter preview --from 2026-12-25 --days 14 --format json
      greeter preview --days 7 --format text       # for a screen reader
      greeter preview --occasion new_year --from 2026-12-28 --days 5
      greeter preview --contact Смирнова --days 60   # a client by name
      greeter preview --format html --out preview/ && xdg-open preview/index.html
    """
    from greeter.preview import run_preview

    if out is not None and fmt not in ("eml", "html"):
        # Ignored, it read as written: "wrote nothing" is no answer to a folder asked for.
        raise click.UsageError(
            f"--out goes with --format eml or html; --format {fmt} prints to stdout (redirect it: > FILE)"
        )
    from greeter.send_report import progress_factory

    # On a terminal, the rows read so far while they are planned and rendered (a minute at 200,000
    # rows); none in a log, none for --format json (a script reads it) or text (a screen reader would
    # read each redraw), none with GREETER_NO_PROGRESS set (progress_factory).
    quiet = fmt in ("json", "text")
    progress = None if quiet else progress_factory("planning and rendering letters", "rows")
    contact_id, inputs = contact_in_config(state.config, contact_id, now)  # a name, as the CRM shows it
    code = run_preview(
        state.config,
        start=parse_day(start, "--from"),
        days=days,
        contact_id=contact_id,
        inputs=inputs,  # the contacts the name was looked up in, not read again
        occasion=occasion_in_config(state.config, occasion, now),  # a title, as its table shows it
        fmt=fmt,
        out=out or Path("preview"),
        show_skipped=skipped,
        now_text=now,
        progress=progress,
    )
    sys.exit(code)


@main.command(context_settings=CONTEXT, short_help="Write upcoming greetings as an .ics calendar.")
@_config_option
@click.option(
    "--from", "start", metavar="DATE", help="First day (YYYY-MM-DD or DD.MM.YYYY) [default: today]."
)
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660), help="Days to cover.")
@click.option(
    "-o",
    "--output",
    "--out",
    "output",
    required=True,
    metavar="FILE.ics",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the calendar ('-' or /dev/stdout for stdout); never one of greeter's own "
    "files (the journal, the config, contacts, a template) nor through any other symbolic link.",
)
@contact_option("Only this contact's letters")
@occasion_option(
    "Only the letters greeting this occasion (their own, or merged into another's); "
    "give it again for more occasions.",
    multiple=True,
)
@click.option(
    "--summary-per-day",
    "per_day",
    is_flag=True,
    help="One all-day event per day with the count of letters of each occasion (and, under review, "
    "of each review state), instead of one per letter; its UID names the day, so a re-import updates it.",
)
@_now_reading_option
@click.pass_obj
@handles_errors
def calendar(
    state: State,
    start: str | None,
    days: int,
    output: Path,
    contact_id: str | None,
    occasion: tuple[str, ...],
    per_day: bool,
    now: str | None,
) -> None:
    """Write the upcoming greetings as an iCalendar (.ics) file.

    One all-day event per letter on the day it leaves, titled as the greeting
    with each occasion's own day and anniversary ("Greeting: Emily Jones —
    Birthday 12 January (41 years)"; in a Russian project's: "Поздравление:
    Иван Петрович Иванов — День рождения 7 января (67 лет)"), described
    with the send time and the contact — and, when the config says `review:
    required`, the letter's review state: awaiting approval, approved (by whom,
    when) or changed since approval. Event UIDs are stable, so importing a newer
    file into Outlook or Google Calendar updates instead of duplicating. A range
    with nothing planned still gives a valid calendar (no events) and says so.

    --occasion NAME (again for more) and --contact ID|NAME keep only those
    letters, read as preview and approve read them: an occasion by its name or
    title, a letter carrying it merged into another occasion's included; a
    contact by id, else by name. --summary-per-day writes one event per day
    instead ("Greetings: 6512 letters — New Year 6400, Birthday 130"), for a
    range of thousands of letters.

    Each letter is rendered as preview renders it: a manager's calendar must
    not list a letter whose template fails and so will never leave. Those are
    left out, each failure said on stderr with its file, line and contacts.

    \b
    Exit codes:
      0   written
      1   a letter does not render (left out, as said above) or a contact
          row was rejected, as preview's
      2   usage or config error (an unknown --occasion, a --contact no
          contact has, an -o path that cannot be written)
      75  the journal or the contacts database does not answer now, or
          -o's disk is full

    \b
    Examples:
      greeter calendar -o greetings.ics
      greeter calendar --from 2026-12-01 --days 31 -o - > december.ics
      greeter calendar --from 2026-12-25 --days 17 --summary-per-day -o y.ics
      greeter calendar --occasion birthday --occasion company_anniversary -o b.ics
      greeter calendar --contact Смирнова -o smirnova.ics
    \f
    The rendering is greeter.plan_drafts.drafts, the same as preview's.
    """
    from greeter.ics_export import calendar_chunks
    from greeter.out_file import is_stdout, replacing
    from greeter.own_files import check_out
    from greeter.plan_drafts import drafts
    from greeter.plan_types import Draft
    from greeter.preview import RenderFailures, of_occasion, subject_checked, with_approval
    from greeter.render import Renderer
    from greeter.runtime import load_inputs, load_planning_state

    # --contact: the contacts its name is looked up in are planned from, not read again (a file source)
    inputs = load_inputs(state.config, today=config_day(now), keep_contacts=contact_id is not None)
    settings = inputs.settings
    check_out("-o", output, state.config, settings)  # never the journal, the config, a template…
    wanted = [occasion_by_title(o, settings) or o for o in occasion]  # a title, as preview's table shows it
    for name in wanted:
        check_occasion(name, settings, titles=True)  # a typo selects nothing: refused as approve refuses it
    contact_id = contact_by_name(inputs, None, contact_id, known=True)  # a name, as the CRM shows it
    moment = parse_now(now, settings.defaults.timezone)
    first = parse_day(start, "--from") or moment.date()
    load_planning_state(inputs, now=moment, start=first)
    report = inputs.new_report()
    items = inputs.plan(
        inputs.contacts(report, contact_id), inputs.window(now=moment, start=first, days=days)
    )
    if wanted:  # before rendering: a letter of no occasion asked for is neither rendered nor shown
        items = (item for item in items if any(of_occasion(item, name) for name in wanted))
    failures = RenderFailures()
    render = failures.recording(subject_checked(Renderer.of(settings).render))
    # A generator, never a list: each letter is planned, rendered and written before the next is read.
    letters = failures.counting(drafts(items, render))
    if inputs.approvals is not None:  # review: required — each event says its letter's review state
        letters = with_approval(letters, inputs.approvals, settings.sender, inputs.approvers)
    greetings = 0  # letters in the calendar: its events, or (--summary-per-day) what they count

    def written(stream: Iterable[Draft]) -> Iterator[Draft]:
        nonlocal greetings
        for draft in stream:
            if draft.error is None:
                greetings += draft.item.status == "send" and draft.item.send_at is not None
                yield draft

    chunks = calendar_chunks(
        written(letters),
        now=moment,
        domain=settings.sender.domain,
        name=f"greeter: {settings.sender.name}",
        yearly={o.name for o in settings.occasions if o.field is not None},
        titles=settings.occasion_titles(),
        timezone=settings.defaults.timezone,
        exported_at=datetime.now(UTC),  # the file's own time, never the rehearsed --now
        locale=settings.review_locale(),  # the events speak the team's language (team_language)
        per_day=per_day,
    )
    events = 0

    def counted() -> Iterator[bytes]:
        nonlocal events
        for chunk in chunks:
            events += chunk.startswith(b"BEGIN:VEVENT")
            yield chunk

    if is_stdout(output):  # -o -, -o /dev/stdout: no file to replace, so whole or nothing
        _write_whole(sys.stdout.buffer, counted())
    else:
        with replacing(output) as fh:  # the last good calendar kept until this one is whole
            for chunk in counted():
                fh.write(chunk)
    said = f"{greetings} greeting{'' if greetings == 1 else 's'}"
    if per_day and events:
        said += f" in {events} day event{'' if events == 1 else 's'}"
    # An empty file is still written (replacing an older one that would list stale letters).
    last = first + timedelta(days=days - 1)
    # "Nothing planned" only when nothing was: letters left out for their templates were planned,
    # and the lines below say so; the two together contradicted each other.
    planned = greetings > 0 or bool(failures.letters)
    nothing = f": nothing planned for {day_span(first, last)}" if not planned else ""
    if nothing and (wanted or contact_id):  # the range may be full of others' letters
        nothing += " matching " + " and ".join(
            ([f"--occasion {' or '.join(wanted)}"] if wanted else [])
            + ([f"--contact {contact_id}"] if contact_id else [])
        )
    if nothing and last < moment.date():  # the calendar is of letters to come; the past is the journal's
        nothing += f" (a past range: greeter history --since {first} --until {last} lists what was sent)"
    if is_stdout(output):
        if nothing:
            click.echo(f"no greetings{nothing}", err=True)
    else:
        click.echo(f"wrote {output} ({said}){nothing}", err=True)
    for line in failures.lines("left out", "greeter preview shows them as render_error"):
        click.echo(line, err=True)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    sys.exit(EXIT_PROBLEMS if report.rejected or failures.letters else 0)


#: How much of a calendar ``-o -`` holds in memory before it goes on in a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024


def _write_whole(out: IO[bytes], chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``out`` only once all of them are made: a calendar that fails while it is
    built (a contacts database down at row 90,000) writes nothing at all.

    ``calendar -o -`` wrote ``BEGIN:VCALENDAR`` and the first events, then exited 75 with no
    ``END:VCALENDAR``: a half calendar in ``> december.ics``. As ``-o FILE`` keeps the last good
    file (:func:`greeter.out_file.replacing`), the pieces are kept first — in memory up to
    :data:`SPOOL_BYTES`, beyond in a temporary file, never the 150,000 letters whole in memory.
    """
    import shutil
    import tempfile

    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as held:
        for chunk in chunks:
            held.write(chunk)
        held.seek(0)
        shutil.copyfileobj(held, out)
    out.flush()
