"""``greeter copy-journal``: the whole journal copied to an empty one at another ``storage.url``.

The command's shell: it opens this config's journal as every command that
changes it does (upgraded to this greeter's schema, refused if it is another
project's), holds a SQLite journal's sender lock so that no send adds a letter
mid-copy, and leaves the copy itself to :mod:`greeter.journal_copy`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from greeter.cli import CONTEXT, State, _config_option, handles_errors, main
from greeter.cli_values import config_day

if TYPE_CHECKING:
    from greeter.journal_store import JournalStore


def target_url_of(raw: str, config: Path) -> str:
    """TARGET_URL read exactly as ``storage.url`` is: the same parser (``postgres://`` taken as
    ``postgresql://``), a relative ``sqlite:///PATH`` anchored at the config's folder (absolute, so
    the summary names the file the config will name) — not at the working directory, where a copy
    run from elsewhere wrote a file storage.url never pointed at. A URL refused is shown without
    its password.
    """
    from pydantic import ValidationError

    from greeter.config import Storage
    from greeter.config_loader import anchored_storage_url
    from greeter.db_url import redact
    from greeter.errors import JournalError

    try:
        url = Storage(url=raw).url
    except ValidationError as exc:
        why = "; ".join(str(e.get("ctx", {}).get("error", "")) for e in exc.errors(include_url=False))
        why = why.strip("; ") or "use sqlite:///PATH or postgresql://USER@HOST/DB?schema=NAME"
        raise JournalError(
            f"unsupported journal URL {redact(raw)!r}: TARGET_URL is read as storage.url is: {why}"
        ) from None
    return anchored_storage_url(url, config.parent.absolute())


#: What a copy refused by a sender says to do: a move is not retried later, the sender is stopped.
STOP_SENDER = (
    "stop it first (systemctl stop greeter; comment out a send --once cron line and let a running"
    " one end), then copy"
)


def hold_sender(source: JournalStore, shown: str, *, config: Path, dry_run: bool) -> None:
    """Hold a SQLite journal's sender lock for the copy — a dry run only asks whether it is free —
    and refuse (exit 75) while a greeter sends: the daemon must be stopped for a move, not waited for.
    """
    from greeter.errors import JournalLockedError
    from greeter.journal_lock import holder_of

    path = getattr(source, "path", None)
    if dry_run:
        holder = holder_of(path) if isinstance(path, Path) else None
        if holder is not None:
            raise JournalLockedError(
                f"another greeter is already sending from journal {shown} ({holder}); {STOP_SENDER}:"
                " nothing would be copied now (--dry-run)"
            )
        return
    source.lock_sender(config=config, doing="greeter copy-journal", busy=f"{STOP_SENDER}: nothing was copied")


@main.command(
    "copy-journal",
    context_settings=CONTEXT,
    short_help="Copy the whole journal into an empty one.",
)
@_config_option
@click.argument("target_url", metavar="TARGET_URL", required=False)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Say what would be copied, after the copy's own checks (its exit code is the copy's); make nothing.",
)
@click.option(
    "--unmark",
    is_flag=True,
    help="Clear this journal's 'copied to …' mark, to send from it again (it misses what was sent since).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the result as JSON (each table's rows and checksum)."
)
@click.pass_obj
@handles_errors
def copy_journal(state: State, target_url: str | None, dry_run: bool, unmark: bool, as_json: bool) -> None:
    """Copy the whole journal (storage.url) into an empty journal at TARGET_URL.

    For the move from the SQLite journal to PostgreSQL (docs/operations.md,
    Past one machine: PostgreSQL): TARGET_URL is the new storage.url,
    postgresql://USER@HOST/DB?schema=NAME, and every letter sent, the
    do-not-contact list (addresses and opted-out contacts), approvals,
    uncertain and failed greetings waiting for a decision, retries, the
    Message-ID key and the project's record go with it — pointed at an empty
    schema instead, the next send would greet again everyone inside
    catch_up_days. The other way (PostgreSQL to sqlite:///PATH) and SQLite to
    SQLite work too — the way back from PostgreSQL is a copy into a new file
    (an audit copy that leaves the journal in use unmarked is greeter backup or
    pg_dump).

    Once the copy has committed, this journal is marked copied (where to,
    when): send, run, test-send and every command that changes it refuse it
    from then on (exit 2), check, preview, history and dry runs say it — a
    cron line left on the old config would send again what the new journal
    does not know. The way back is a copy of the journal now in use into a
    new file; --unmark clears the mark (no TARGET_URL) for the operator who
    means to send from this one again. Copying again to where it went says
    the target already holds it (exit 0).

    The journal is first upgraded to this greeter's schema, as by every
    command. TARGET_URL must hold no journal rows: a new SQLite file, or a
    schema with no journal (or an empty one) in it; its tables are made by
    greeter's own schema code. While copying, no greeter may send from the
    journal: a SQLite journal's sender lock is held (a running daemon or send
    refuses the copy, exit 75), a PostgreSQL journal's tables are locked and a
    live claim refuses it. The rows go in in one transaction, are read back
    and compared table by table (count and checksum) before it commits; on
    any failure the target is left without a row. Prints: copied journal
    data/journal.sqlite3 (schema N) to postgresql://greeter@db/crm?schema=greeter:
    1,234 greetings, 56 do-not-contact addresses, …; now set storage.url to
    postgresql://greeter@db/crm?schema=greeter and start greeter (a SQLite
    target as sqlite:////abs/path). A URL's password is never printed.

    \b
    Exit codes:
      0   copied and verified (--dry-run: what would be copied); the
          target already holds this journal (copied before); --unmark
      2   TARGET_URL is not empty, not a journal, the journal itself or
          no valid URL, in a folder that does not exist; a table or
          column the target's schema lacks, or a role that may not make
          them; no journal to copy, another project's, or one already
          copied elsewhere (marked); nothing was copied
      75  a greeter is sending from the journal (stop it first), or a
          journal cannot be reached now (PostgreSQL down, locked too
          long); nothing was copied

    \b
    Example (stop greeter first; then switch storage.url and start it):
      greeter copy-journal --dry-run 'postgresql://greeter@db/crm?schema=greeter'
      greeter copy-journal 'postgresql://greeter@db/crm?schema=greeter'
    """
    from greeter.config_loader import load_settings
    from greeter.errors import JournalError
    from greeter.journal_copy import TargetNotEmptyError, shown
    from greeter.journal_copy import copy_journal as copy
    from greeter.journal_moved import clear_moved, moved, moved_message, record_moved
    from greeter.own_journal import Use, open_own_journal

    if (target_url is None) is not unmark:
        raise click.UsageError(
            "name TARGET_URL, or give --unmark alone (it clears this journal's copied mark)"
        )
    settings = load_settings(state.config, today=config_day(None))
    now = datetime.now(UTC)
    here = shown(settings.storage.url)
    use = Use.READ if dry_run else Use.CHANGE
    source = open_own_journal(settings, state.config, now, use, moved_ok=True)  # said below, in its words
    try:
        mark = moved(source)
        if target_url is None:
            if mark is None:
                click.echo(f"journal {here} is not marked copied; nothing to do")
                return
            if not dry_run:
                source.lock_sender(config=state.config)
                clear_moved(source, now)
            click.echo(
                f"journal {here}: {'would clear' if dry_run else 'cleared'} its mark 'copied to {mark.to} on"
                f" {mark.when()}'; greeter sends from it again — it misses every letter, opt-out and"
                f" decision recorded in {mark.to} since"
            )
            return
        target_url = target_url_of(target_url, state.config)
        if mark is not None and mark.to != shown(target_url):
            raise JournalError(f"{moved_message(here, mark)}; nothing was copied")
        hold_sender(source, here, config=state.config, dry_run=dry_run)  # no letter added mid-copy
        try:
            done = copy(
                source, settings.storage.url, target_url, now=now, config=state.config, dry_run=dry_run
            )
        except TargetNotEmptyError:
            if mark is None:
                raise
            click.echo(
                f"journal {mark.to} already holds this journal, copied on {mark.when()}; nothing to do"
            )
            return
        if not dry_run:  # committed: a send from here now would send again what the target knows
            record_moved(source, done.target, now)
    finally:
        source.close()
    if as_json:
        click.echo(json.dumps(done.summary(), ensure_ascii=False, indent=2))
    else:
        click.echo(done.text())
