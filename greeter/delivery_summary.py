"""What one send did, in the words the summary line, the logs and the exit code read.

Split from :mod:`greeter.delivery` (which claims, sends and records, and fills a
:class:`Summary` as it goes) so the tally and its wording live apart from the
shell that talks to journal and transport: the readers — ``send --once``'s report
(:mod:`greeter.send_report`), the daemon's run line, :mod:`greeter.delivery_health`,
``send --dry-run``'s held words (:mod:`greeter.dry_run_hold`) — need the words,
not the sender. The word helpers are pure, so the summary line and the dry run
say a hold the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from greeter.review import OUTDATED_NOTE
from greeter.transport import HALT_WORDS, LOGIN_REFUSED, held_back_reply
from greeter.zone_label import due_time

if TYPE_CHECKING:
    from greeter.journal_store import JournalKey


@dataclass
class Summary:
    """What one ``send --once`` did, for the summary line, metrics and the exit code."""

    counts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    #: Why letters went to ``retry`` or ``failed``: (state, the server's reply or the connection
    #: error) → letters. An unreachable server is one line, "retry ×18: cannot connect to …".
    replies: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Due letters :meth:`~greeter.delivery.Deliverer.prepare` decided not to build (a render
    #: error, not approved).
    not_built: int = 0
    #: Set when a stop (SIGTERM/SIGINT) cut the batch short: the due letters it left unclaimed,
    #: which the next run sends. None: the batch was not stopped.
    left_unsent: int | None = None
    #: Set when the batch stopped itself at a refusal no retry can cure — the server refused our
    #: login, or refuses greeter's host, EHLO name or sender
    #: (:meth:`~greeter.delivery.Deliverer.halt`): the words. ``halted_unsent``: the due letters
    #: it left unclaimed, which the next run sends once fixed.
    halted: str | None = None
    halted_unsent: int = 0
    #: Which it was: a key of :data:`~greeter.transport.HALT_WORDS`.
    halted_by: str = LOGIN_REFUSED
    #: Set when the batch stopped because the daily quota (``delivery.rate_limit.per_day``) was
    #: used up (:meth:`~greeter.delivery.Deliverer.quota_spent`): when its next slot frees (UTC).
    #: ``quota_unsent``: the due letters it left unclaimed, which the first run after that moment
    #: sends.
    quota_free_at: datetime | None = None
    quota_unsent: int = 0
    #: Of ``quota_unsent``, those whose catch-up period ends before their send window is open
    #: at or after ``quota_free_at``: lost whatever runs meanwhile
    #: (:func:`~greeter.quota_plan.expiring_before`).
    quota_expiring: int = 0
    #: Of the greetings this run recorded ``expired``, those put down to the daily quota
    #: (:func:`~greeter.quota_plan.quota_expiry_words`): the summary's hint then names the quota.
    quota_expired: int = 0
    #: Set when the provider pushed back (:func:`~greeter.reply_classes.provider_throttle`: a 421,
    #: or a 4xx about rate or limits): its reply, addresses masked — this run's
    #: (:meth:`~greeter.delivery.Deliverer.provider_throttled`, at ``throttled_at``) or an earlier run's still
    #: holding. ``throttled_until``: when sending resumes (UTC); ``throttle_unsent``: the due
    #: letters left unclaimed for then (:mod:`greeter.provider_throttle`).
    throttled: str | None = None
    throttled_at: datetime | None = None
    throttled_until: datetime | None = None
    throttle_unsent: int = 0
    #: The greetings this run recorded ``expired`` (a dry run: would record), in the order found:
    #: never sent, and named in the summary (:meth:`expired_line`) — a count alone lost them
    #: silently to a daily cron. ``catch_up_days``: the period they missed, for those words.
    expired: list[JournalKey] = field(default_factory=list)
    catch_up_days: int | None = None
    #: Letters the server accepted after another sender had recorded them ``uncertain`` (this
    #: sender's lease ran out while it awaited the reply): recorded ``sent`` after all.
    sent_after_lapse: list[JournalKey] = field(default_factory=list)
    #: The journal's first plan (:attr:`greeter.runtime.Inputs.first_plan`): what expires now was
    #: due before greeter sent from it — a first run late in the day, not a schedule that misses
    #: windows; said so, and no exit 1 (the README's first ``send --once`` met one).
    first_plan: bool = False

    @property
    def lost(self) -> bool:
        """Greetings expired on greeter's watch: ``send --once`` exits 1 (not on a first plan)."""
        return bool(self.expired) and not self.first_plan

    @property
    def failed(self) -> bool:
        return bool(self.counts["failed"] or self.counts["uncertain"] or self.counts["render_error"])

    def merge(self, other: Summary) -> None:
        """Add what another part of the same run did (a build worker's render errors)."""
        self.counts.update(other.counts)
        self.skipped.update(other.skipped)
        self.errors.extend(other.errors)
        self.replies.update(other.replies)
        self.not_built += other.not_built
        self.expired.extend(other.expired)

    @property
    def merged_into_failed(self) -> int:
        """Occasions merged into letters that failed to render: not sent, as their letter was not.

        Counted in ``skipped["render_error"]`` (the JSON key scripts read); said
        apart in words, as "skipped: render_error 2" beside "render_error: 1"
        read as two more failures of some other kind.
        """
        return self.skipped["render_error"]

    def merged_words(self) -> str:
        """``and 2 occasions merged into it``: what the failed letters held, or "" when none held any."""
        from greeter.wording import merged_into

        return merged_into(self.merged_into_failed, self.counts["render_error"])

    def line(self, zone: tzinfo | None = None) -> str:
        """The summary line; moments (the daily quota's next slot) in ``zone`` (default UTC)."""
        parts = [f"{k}: {self.counts[k]}" for k in ("sent", "retry", "failed", "uncertain")]
        merged = self.merged_words()
        parts.append(f"render_error: {self.counts['render_error']}" + (f" ({merged})" if merged else ""))
        skips = ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items()) if k != "render_error")
        line = "; ".join(parts) + (f"; skipped: {skips}" if skips else "")
        if self.left_unsent is not None:
            line += f"; stopped: {self.left_unsent} left unsent for the next run"
        if self.halted is not None:
            line += f"; {HALT_WORDS[self.halted_by]}: {self.halted_unsent} left unsent for the next run"
        return "; ".join([line, *self.hold_words(zone)])

    def hold_words(self, zone: tzinfo | None = None) -> list[str]:
        """What held letters back: the daily quota ended the batch, the provider throttles us —
        the real run's summary line and ``send --dry-run``'s say it in these words."""
        words = []
        if self.quota_free_at is not None:
            free_at = self.quota_free_at.astimezone(zone or UTC)
            words.append(quota_words(self.quota_unsent, free_at, self.quota_expiring))
        if self.throttled is not None and self.throttled_until is not None:
            until = self.throttled_until.astimezone(zone or UTC)
            words.append(throttle_words(self.throttled, self.throttle_unsent, until))
        return words

    def reply_lines(self, most: int = 5) -> list[str]:
        """The commonest reasons for ``retry`` and ``failed``, one line each, most letters first,
        and what to do about letters the review gate held after an upgrade.

        One outage is one line (:func:`grouped_replies`): the letters tried and those the
        breaker then held back, not two lines with the same words that read as two problems.
        """
        top = grouped_replies(self.replies)
        lines = [
            f"{state} ×{n}: {reply}"
            + (f" ({n - held} tried, {held} not attempted after that)" if held else "")
            for state, reply, n, held in top[:most]
        ]
        if len(top) > most:
            lines.append(f"… and {len(top) - most} other replies (greeter history --state retry|failed)")
        if outdated := self.skipped["approval_outdated"]:
            lines.append(f"held ×{outdated}: {OUTDATED_NOTE}")
        if self.expired:
            lines.append(self.expired_line())
        if self.sent_after_lapse:
            names = ", ".join(f"{c} {o} {d.isoformat()}" for c, o, d in self.sent_after_lapse[:10])
            lines.append(
                f"sent ×{len(self.sent_after_lapse)} after this sender's claim had run out (another sender"
                f" had recorded it uncertain; the server's 250 says it arrived, recorded sent): {names}"
            )
        return lines

    def expired_line(self, most: int = 10) -> str:
        """``expired ×3 (never sent: …): 1005 birthday 2026-12-08, …``: the greetings lost, by name.

        One line like the reply lines, the first ``most`` named: the daemon logs
        it with them, ``send --once`` prints it (and what usually causes it).
        """
        days = self.catch_up_days
        period = "its catch-up period" if days is None else f"catch_up_days {days}"
        first = sorted(self.expired, key=lambda key: (key[2], key[0], key[1]))[:most]
        names = ", ".join(f"{cid} {occasion} {day.isoformat()}" for cid, occasion, day in first)
        more = len(self.expired) - most
        if more > 0:
            names += f" and {more} more (greeter history --state expired lists them)"
        why = (
            f"its last window within {period} of the day it was meant to leave had passed before this"
            " run, the journal's first (greeter was not there to send it)"
            if self.first_plan
            else f"not sent within {period} of the day it was meant to leave"
        )
        return f"expired ×{len(self.expired)} (never sent: {why}): {names}"


def quota_words(left: int, free_at: datetime, expiring: int = 0) -> str:
    """Pure: what the summary line says of a batch the daily quota ended (``free_at`` as shown).

    ``expiring``: of the ``left``, those whose catch-up period ends before they could go —
    before the first moment their send window is open once the slot frees
    (:func:`~greeter.quota_plan.expiring_before`). "Left until the slot frees" promised them a
    letter that could never go; "expire before its next slot frees" was untrue of a slot
    freeing on Friday past the cut-off, for letters lost over the weekend.
    """
    words = f"daily quota used up (delivery.rate_limit.per_day): {left} left unsent"
    if expiring >= left:
        return f"{words}, all of them expire before they could go: its next slot frees at {due_time(free_at)}"
    words += f" until its next slot frees at {due_time(free_at)}"
    if expiring:
        words += f" ({expiring} of them expire before they could go: their catch-up period ends first)"
    return words


def throttle_words(reply: str, left: int, until: datetime) -> str:
    """Pure: what the summary line says of a provider throttling us (``until`` as shown)."""
    return (
        f"the provider throttled sending ({reply}): {left} left unsent,"
        f" sending resumes at {due_time(until)} (delivery.retry)"
    )


def grouped_replies(replies: Counter[tuple[str, str]]) -> list[tuple[str, str, int, int]]:
    """Pure: ``(state, reply, letters, of which held back)``, most letters first.

    A letter the breaker held back after the server failed ``pool_size``
    times carries "not attempted: <that failure>; retried later"; it is
    counted with the letters that got that failure. One with no such letter
    in the batch keeps its own words.
    """
    totals: Counter[tuple[str, str]] = Counter()
    held: Counter[tuple[str, str]] = Counter()
    for (state, reply), n in replies.items():
        cause = held_back_reply(reply)
        if cause is not None and (state, cause) in replies:
            key = (state, cause)
            held[key] += n
        else:
            key = (state, reply)
        totals[key] += n
    return [(state, reply, n, held[(state, reply)]) for (state, reply), n in totals.most_common()]
