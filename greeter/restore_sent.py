"""``greeter baseline --sent-from FILE``: the letters a saved history says left, back in a restored journal.

A restore (docs/operations.md, *Backing up the journal*) saves what the live
journal had sent (``greeter history -o FILE.csv``) before the backup replaces
it — and then no step put those letters back. ``baseline --through DATE``
records only what the plan at that moment would still send: letters within
``catch_up_days``, as ``skipped`` (baseline). A letter sent after the backup
whose occasion was further back (a Wednesday backup restored on Monday,
``catch_up_days: 3``) was recorded by the next send as ``expired, never sent``
though the client had it; that send exited 1 advising cron every 10 minutes,
and the frequency cap forgot the letter. A backup taken mid-batch brought
back ``claimed`` rows, which became ``uncertain`` (exit 1) though the saved
history shows them sent — and ``uncertain resend`` sent them twice.

So the saved history's ``sent`` rows are recorded as they were: ``sent``,
with their own ``sent_at``, Message-ID, address, carried occasions and local
sent day (the cap counts each on the day it left) —
:meth:`~greeter.journal_store.JournalStore.put_back_sent`. A row the journal
already holds as sent is never touched; one it holds unfinished or unsent
(a claim, uncertain, retry, failed, expired, baseline's or a dismissal) is
made ``sent``; one skipped for another reason is left, and said. The
occasions that rode along in such a letter are put back (``merged into …``)
when the file has their rows (a whole history, not ``--state sent``). The
config is not consulted: a letter to a contact or for an occasion it no
longer has was sent all the same.

Reading and deciding are pure (:func:`parse_saved`, :func:`plan_put_back`);
:func:`read_saved` and :func:`record` are the I/O.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from greeter.console import restored
from greeter.contacts import email_key
from greeter.errors import CLOCK_TOLERANCE, SavedHistoryError
from greeter.journal_mark import SentMark
from greeter.journal_store import STATES, JournalEntry, JournalKey, JournalStore, SentLetter, may_put_back
from greeter.journal_transitions import merged_carrier, merged_reason
from greeter.sources.csv_source import detect_encoding
from greeter.zone_label import local_time

#: How the docs save the history (restore step 1): named in every refusal.
SAVE_HINT = "greeter history -o FILE.csv (or --format csv, --format json)"

#: The columns a history export has whatever its form; ``sent_at`` is ``sent_at_utc`` in ``-o FILE.csv``.
_NEEDED = ("contact_id", "occasion", "occasion_date", "state", "email", "merged", "message_id")


@dataclass(frozen=True, slots=True)
class RodeAlong:
    """An occasion the file holds as carried in another occasion's letter (``merged into …``)."""

    key: JournalKey
    email: str | None
    carrier: str


@dataclass(frozen=True, slots=True)
class Saved:
    """What a saved history holds: the letters that left, the occasions that rode in them, the rest."""

    letters: list[SentLetter]
    rode: list[RodeAlong] = field(default_factory=list)
    #: Rows in other states (failed, expired, skipped…): not read — only what left is put back.
    other: int = 0
    #: Where each letter is in the file (``name:line`` or ``name: row n``), for a refusal to name it.
    where: dict[JournalKey, str] = field(default_factory=dict)


def read_saved(path: Path, now: datetime | None = None) -> Saved:
    """The history export at ``path`` (:func:`parse_saved`); refused, naming why, when it is not one."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SavedHistoryError(f"--sent-from {path}: cannot read it: {exc.strerror or exc}") from exc
    if data.startswith(b"PK"):
        raise SavedHistoryError(
            f"--sent-from {path}: a workbook (.xlsx), which greeter does not read back: save the history"
            f" as text, {SAVE_HINT}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Re-saved by Excel (Windows-1251): told apart as the contacts and suppress files are.
        encoding = detect_encoding(data[:65536])
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise SavedHistoryError(
                f"--sent-from {path}: not UTF-8 text (byte {exc.start}): not a greeter history export;"
                f" {SAVE_HINT}"
            ) from exc
    return parse_saved(text, str(path), now)


def parse_saved(text: str, name: str, now: datetime | None = None) -> Saved:
    """Pure: the letters and merged rows of a ``greeter history`` export — ``-o FILE.csv`` (``;``, UTC
    moments without a zone), ``--format csv`` (``,``, ISO 8601) or ``--format json`` / ``-o FILE.json``.

    Refused (:class:`~greeter.errors.SavedHistoryError`, exit 2, nothing recorded)
    when it is not such an export — the columns missing named — or a value in it
    cannot be read (its line and column named): a CRM export or a hand-edited
    file must not be taken for letters greeter sent. With ``now``, so is a letter
    sent after it (beyond the clock tolerance): no letter has left in the future,
    and one recorded so would show in history two months ahead and hide a clock
    behind the journal from the next send's check.
    """
    stripped = text.lstrip()
    records = _json_records(stripped, name) if stripped.startswith(("[", "{")) else _csv_records(text, name)
    saved = Saved([])
    other = 0
    for where, record in records:
        state = _text(record, "state", where, needed=True)
        if state not in STATES:
            raise SavedHistoryError(
                f"{where}: column state: {state!r} is not a journal state ({', '.join(STATES)})"
            )
        if state == "sent":
            letter = _letter(record, where)
            if now is not None and letter.sent_at > now + CLOCK_TOLERANCE:
                raise SavedHistoryError(
                    f"{where}: a letter sent at {letter.sent_at:%Y-%m-%d %H:%M:%S} UTC, after now"
                    f" ({now.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC): no letter has left yet then; the file"
                    " is not this journal's history, or it was saved by a greeter run with --now ahead of"
                    " the clock; nothing recorded"
                )
            saved.letters.append(letter)
            saved.where[letter.key] = where
        elif state == "skipped" and (carrier := merged_carrier(record.get("reason") or None)) is not None:
            key = _key(record, where)
            saved.rode.append(RodeAlong(key, _text(record, "email", where) or None, carrier))
        else:
            other += 1
    return Saved(saved.letters, saved.rode, other, saved.where)


def _json_records(text: str, name: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SavedHistoryError(
            f"{name}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg}): not a greeter history export;"
            f" {SAVE_HINT}"
        ) from exc
    if not isinstance(data, list):
        raise SavedHistoryError(
            f"{name}: JSON, but not a list of rows: not a greeter history export; {SAVE_HINT}"
        )
    for n, record in enumerate(data, 1):
        where = f"{name}: row {n}"
        if not isinstance(record, dict):
            raise SavedHistoryError(f"{where}: not an object: not a greeter history export; {SAVE_HINT}")
        missing = [c for c in (*_NEEDED, "sent_at") if c not in record]
        if missing:
            raise SavedHistoryError(
                f"{where}: no {', '.join(missing)}: not a greeter history export; {SAVE_HINT}"
            )
        yield where, record


def _csv_records(text: str, name: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = reader.fieldnames or []
    missing = [c for c in _NEEDED if c not in columns]
    if "sent_at" not in columns and "sent_at_utc" not in columns:
        missing.append("sent_at_utc")
    if missing:
        raise SavedHistoryError(
            f"{name}:1: not a greeter history export: its first line has no column {', '.join(missing)};"
            f" {SAVE_HINT}"
        )
    for record in reader:
        where = f"{name}:{reader.line_num}"
        if None in record:
            raise SavedHistoryError(f"{where}: more fields than the header's {len(columns)} columns")
        yield where, {k: restored(v) if isinstance(v, str) else v for k, v in record.items()}


def _text(record: Mapping[str, Any], column: str, where: str, *, needed: bool = False) -> str:
    value = record.get(column)
    if value is None:
        value = ""
    if not isinstance(value, str | int):
        raise SavedHistoryError(f"{where}: column {column}: {value!r} is not text")
    value = str(value)
    if needed and not value:
        raise SavedHistoryError(f"{where}: column {column} is empty")
    return value


def _key(record: Mapping[str, Any], where: str) -> JournalKey:
    day = _text(record, "occasion_date", where, needed=True)
    try:
        occasion_date = date.fromisoformat(day)
    except ValueError:
        raise SavedHistoryError(f"{where}: column occasion_date: {day!r} is not a day (YYYY-MM-DD)") from None
    return (
        _text(record, "contact_id", where, needed=True),
        _text(record, "occasion", where, needed=True),
        occasion_date,
    )


def _moment(
    record: Mapping[str, Any], names: tuple[str, ...], where: str, *, needed: bool
) -> datetime | None:
    """The first of ``names`` the record has, as an aware moment (one without a zone is UTC, as ``-o``
    writes ``…_utc``); None when empty and not ``needed``."""
    column = next((n for n in names if n in record), names[0])
    value = _text(record, column, where, needed=needed)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise SavedHistoryError(
            f"{where}: column {column}: {value!r} is not a moment (YYYY-MM-DD HH:MM:SS)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _letter(record: Mapping[str, Any], where: str) -> SentLetter:
    """One ``sent`` row as the letter to put back; its local sent day as the export says it."""
    sent_at = _moment(record, ("sent_at_utc", "sent_at"), where, needed=True)
    assert sent_at is not None
    email = _text(record, "email", where, needed=True)
    merged_value = record.get("merged") or []
    if isinstance(merged_value, str):
        merged = tuple(m for m in merged_value.split(";") if m)
    elif isinstance(merged_value, list) and all(isinstance(m, str) for m in merged_value):
        merged = tuple(merged_value)
    else:
        raise SavedHistoryError(f"{where}: column merged: {merged_value!r} is not a list of occasions")
    attempts_text = _text(record, "attempts", where) or "1"
    try:
        attempts = int(attempts_text)
    except ValueError:
        raise SavedHistoryError(f"{where}: column attempts: {attempts_text!r} is not a number") from None
    return SentLetter(
        key=_key(record, where),
        email=email,
        sent_at=sent_at,
        send_day=_sent_day(record, sent_at, where),
        message_id=_text(record, "message_id", where) or None,
        merged=merged,
        attempts=attempts,
        last_reply=_text(record, "last_reply", where) or None,
        planned_at=_moment(record, ("planned_at_utc", "planned_at"), where, needed=False),
        subject=_text(record, "subject", where) or None,
    )


def _sent_day(record: Mapping[str, Any], sent_at: datetime, where: str) -> date:
    """The client's day the letter left: ``-o``'s ``sent_day_local``, else ``sent_at`` in the row's
    ``timezone`` (the client's, as history names it), else the UTC day."""
    day = _text(record, "sent_day_local", where)
    if day:
        try:
            return date.fromisoformat(day)
        except ValueError:
            raise SavedHistoryError(
                f"{where}: column sent_day_local: {day!r} is not a day (YYYY-MM-DD)"
            ) from None
    zone = _text(record, "timezone", where)
    if zone:
        try:
            return sent_at.astimezone(ZoneInfo(zone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            raise SavedHistoryError(f"{where}: column timezone: {zone!r} is not a time zone") from None
    return sent_at.date()


@dataclass(frozen=True, slots=True)
class PutBack:
    """What putting back recorded (or, dry, would record), and how to say it."""

    #: The letters to record ``sent``, each with the state the journal held it in (None: no row).
    letters: list[tuple[SentLetter, str | None]]
    #: The occasions carried in them that the journal has no row of (``merged into …``).
    rode: list[RodeAlong]
    #: The letters the journal holds as sent already: never touched.
    held: int
    #: The letters the journal holds skipped for another reason (suppressed, merged…): left, and said.
    kept: list[tuple[SentLetter, JournalEntry]]
    #: Occasions the letters carried whose rows the file does not have (saved with ``--state sent``).
    rode_unknown: int
    other: int
    dry_run: bool
    name: str

    def lines(self, zone: ZoneInfo) -> list[str]:
        """One line per letter: when it left (``zone``'s clock), whose, which occasions, the journal's row."""
        out = []
        for letter, was in self.letters:
            cid, occasion, day = letter.key
            names = " + ".join([f"{occasion} {day:%Y-%m-%d}", *letter.merged])
            held = "no row" if was is None else f"was {was}"
            out.append(
                f"{local_time(letter.sent_at.astimezone(zone))}  {cid}  {letter.email}  {names}  ({held})"
            )
        return out

    def warning(self) -> str | None:
        """The letters left as the journal holds them (skipped for another reason), named."""
        if not self.kept:
            return None
        named = ", ".join(
            f"{e.contact_id} {e.occasion} {e.occasion_date:%Y-%m-%d} ({e.state}: {e.reason})"
            for _, e in self.kept[:3]
        )
        more = f" and {len(self.kept) - 3} more" if len(self.kept) > 3 else ""
        return (
            f"warning: {len(self.kept)} letter(s) {self.name} lists as sent are held skipped for another"
            f" reason and were left as they are: {named}{more}"
        )

    def text(self) -> str:
        """The summary line: how many, the span of the days they left, what the journal had held."""
        held = f"; {self.held} held as sent already" if self.held else ""
        rode = ""
        if self.rode:
            verb = "would record" if self.dry_run else "recorded"
            rode = f"; {verb} {len(self.rode)} occasion(s) carried in them as merged"
        if self.rode_unknown:
            rode += (
                f"; {self.rode_unknown} occasion(s) carried in them are not in {self.name} (saved with"
                " --state sent?): the journal holds them as those letters' merged list only"
            )
        if not self.letters:
            what = "nothing would be put back" if self.dry_run else "nothing was put back"
            return f"{what}: the journal holds every letter {self.name} lists as sent{held}{rode}"
        from greeter.cli_values import day_span  # loaded already: the command runs from it

        days = [letter.sent_at.date() for letter, _ in self.letters]
        was: dict[str, int] = {}
        for _, state in self.letters:
            label = "absent" if state is None else state
            was[label] = was.get(label, 0) + 1
        states = ", ".join(f"{n} {label}" for label, n in sorted(was.items()))
        verb, sends = ("would put back", "would send") if self.dry_run else ("put back", "sends")
        return (
            f"{verb} {len(self.letters)} letter(s) as sent, at the moment each left"
            f" ({day_span(min(days), max(days))} UTC; in the journal: {states}){held}{rode};"
            f" the next send --once {sends} none of them"
        )


def plan_put_back(
    saved: Saved, held: Mapping[JournalKey, JournalEntry], *, dry_run: bool, name: str
) -> PutBack:
    """Pure: which of ``saved``'s letters to record, given the journal's rows of them (``held``)."""
    letters: list[tuple[SentLetter, str | None]] = []
    kept: list[tuple[SentLetter, JournalEntry]] = []
    already = 0
    for letter in saved.letters:
        row = held.get(letter.key)
        if row is None:
            letters.append((letter, None))
        elif row.state == "sent":
            already += 1
        elif may_put_back(row.state, row.reason):
            letters.append((letter, row.state))
        else:
            kept.append((letter, row))
    carriers = {(letter.key[0], letter.key[1]): letter for letter, _ in letters}
    rode = [
        r
        for r in saved.rode
        if r.key not in held
        and (c := carriers.get((r.key[0], r.carrier))) is not None
        and r.key[1] in c.merged
    ]
    found = {(r.key[0], r.carrier, r.key[1]) for r in saved.rode}
    unknown = sum(
        1
        for letter, _ in letters
        for other in letter.merged
        if (letter.key[0], letter.key[1], other) not in found
    )
    return PutBack(letters, rode, already, kept, unknown, saved.other, dry_run, name)


def journal_rows(journal: JournalStore, keys: Iterable[JournalKey]) -> dict[JournalKey, JournalEntry]:
    """The journal's rows of ``keys``: one streamed read over their span of occasion days."""
    wanted = set(keys)
    if not wanted:
        return {}
    days = [day for _, _, day in wanted]
    return {e.key: e for e in journal.iter_history(since=min(days), until=max(days)) if e.key in wanted}


def record(journal: JournalStore, plan: PutBack, now: datetime) -> PutBack:
    """Record ``plan`` in one transaction on SQLite (:meth:`JournalStore.batch`); what was recorded."""
    done: list[tuple[SentLetter, str | None]] = []
    rode: list[RodeAlong] = []
    with journal.batch():
        for letter, was in plan.letters:
            with journal.contact_lock(letter.key[0]):
                if journal.put_back_sent(letter, now):
                    done.append((letter, was))
        for r in plan.rode:
            with journal.contact_lock(r.key[0]):
                if journal.shared and journal.history(
                    contact_id=r.key[0], occasion=r.key[1], since=r.key[2], until=r.key[2]
                ):
                    continue  # another sender recorded it meanwhile
                journal.record_handled(r.key, merged_reason(r.carrier), now, email=r.email)
            rode.append(r)
    return PutBack(done, rode, plan.held, plan.kept, plan.rode_unknown, plan.other, plan.dry_run, plan.name)


def run_put_back(journal: JournalStore, saved: Saved, *, now: datetime, dry_run: bool, name: str) -> PutBack:
    """Read the journal's rows of ``saved``'s letters, decide, and (unless ``dry_run``) record."""
    held = journal_rows(journal, [*(letter.key for letter in saved.letters), *(r.key for r in saved.rode)])
    plan = plan_put_back(saved, held, dry_run=dry_run, name=name)
    return plan if dry_run else record(journal, plan, now)


def check_belongs(
    journal: JournalStore, saved: Saved, current: Mapping[str, str | None], *, name: str, force: bool
) -> str | None:
    """Refuse a file whose letters went to addresses not their contacts' (:func:`foreign_letters`) unless
    ``force``; the warning to say, if any. ``current``: the source's address of each id it has."""
    ids = {letter.key[0] for letter in saved.letters}
    greeted = {cid: [e.email for e in journal.history(contact_id=cid) if e.email] for cid in ids}
    conflicts, unknown = foreign_letters(saved, current, greeted, name=name)
    if conflicts and not force:
        raise SavedHistoryError(foreign_problem(conflicts, name))
    forced = (
        f"warning: --force: {len(conflicts)} letter(s) put back to an address not their contact's"
        if conflicts
        else None
    )
    warnings = [w for w in (forced, unknown_warning(unknown, name)) if w is not None]
    return "\n".join(warnings) or None


def foreign_letters(
    saved: Saved,
    current: Mapping[str, str | None],
    greeted: Mapping[str, Iterable[str]],
    *,
    name: str,
) -> tuple[list[str], int]:
    """Pure: the letters of ``saved`` that are not this project's — another project's history, or a
    file edited — each said with its line, contact and both addresses; and how many name ids this
    project has never known.

    ``current``: each letter's contact id the contacts source has, with its address
    there; ``greeted``: the addresses the journal holds letters to, by contact id.
    An address the source gives the contact, or one the journal greeted it at (it
    changed since), is the contact's. Any other would be recorded as the client's
    letter though it went to someone else, and that client would never be greeted.
    An id neither knows may be a client gone from the CRM since: counted, not refused.
    """
    conflicts: list[str] = []
    unknown = 0
    for letter in saved.letters:
        cid = letter.key[0]
        known = {email_key(a) for a in greeted.get(cid, ())}
        if cid not in current:
            unknown += 0 if known else 1
            continue
        address = current[cid]
        if address is not None:
            known.add(email_key(address))
        if email_key(letter.email) not in known:
            where = saved.where.get(letter.key, name)
            conflicts.append(
                f"{where}: contact {cid} {letter.key[1]} {letter.key[2]:%Y-%m-%d} sent to {letter.email},"
                f" but the contacts source gives {cid} the address {address or '(none)'} and the journal"
                " greeted it at no other"
            )
    return conflicts, unknown


def foreign_problem(conflicts: list[str], name: str) -> str:
    """Pure: the refusal of a file whose letters went to addresses not their contacts'
    (:func:`foreign_letters`): the first five named, the rest counted."""
    more = f"\n… and {len(conflicts) - 5} more" if len(conflicts) > 5 else ""
    return (
        "\n".join(conflicts[:5])
        + more
        + f"\n--sent-from {name}: {len(conflicts)} letter(s) went to an address that"
        " is not their contact's: another project's history, or an edited one; put back, each would"
        " stand for a letter the client never had, and the client would never be greeted. Nothing"
        " recorded. If the addresses are right (changed outside greeter), run it again with --force"
    )


def unknown_warning(unknown: int, name: str) -> str | None:
    """Pure: the warning for letters to contact ids neither the source nor the journal knows."""
    if not unknown:
        return None
    return (
        f"warning: {unknown} letter(s) in {name} are to contact ids neither the contacts source nor the"
        " journal knows (clients gone from the CRM since?); put back as they are — if the file is another"
        " project's history, run greeter forget for them"
    )


def reach_problem(plan: PutBack, noted: SentMark, note: Path) -> str | None:
    """Pure: why ``plan`` does not make a restored journal hold the letter its note names; None: it does.

    The note beside a restored journal names the newest letter the journal had
    sent. A file that holds it (or one sent at or after it) makes the journal
    whole as far as the note knows, and accepting the journal is right. One that
    does not — empty, header-only, saved before later letters left, or another
    file — must not lift the guard against a careless restore: the letters sent
    up to the note's would go again. Its letters are put back all the same (each
    did leave; history and the cap should know it), but the journal is not
    accepted: ``baseline --through`` is the step that accepts what no file holds.
    """
    if any(letter.key == noted.key or letter.sent_at >= noted.sent_at for letter, _ in plan.letters):
        return None
    cid, occasion, day = noted.key
    put = "would be put back" if plan.dry_run else "were put back"
    send = "would still refuse" if plan.dry_run else "still refuses"
    return (
        f"--sent-from {plan.name} does not reach the letter {note} says the journal had sent ({cid}"
        f" {occasion} {day:%Y-%m-%d}, sent at {noted.sent_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC): the"
        " file is older than the journal was, or not its history, and the letters sent up to then are still"
        f" missing — they would go again. The letters it holds {put} (they did leave), but the journal is"
        f" not accepted as restored: send {send} it (exit 75). Use the history saved just before the"
        " restore (greeter history -o FILE.csv of the journal as it was), or, for what no saved history"
        " holds, greeter baseline --through DATE, which records what went out since and accepts the journal"
    )
