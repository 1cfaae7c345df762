"""The journal's states and the words its rows' reasons are made of, for both backends.

Moved out of :mod:`greeter.journal_store` (which re-exports them: its callers
import them from there): which states a greeting row can be in, how the
planner reads a row's state and reason, and the reason words an operator's
decision, a merge, an expiry or a baseline record write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from greeter.journal_store import JournalEntry


#: Every state a greeting row can be in.
STATES: tuple[str, ...] = ("claimed", "sent", "retry", "failed", "uncertain", "skipped", "expired")

#: States that count against the frequency cap: the greeting went out or still may.
CAP_STATES: tuple[str, ...] = ("sent", "claimed", "retry", "uncertain")

#: States whose greeting keeps its letter's bytes (:meth:`~greeter.journal_store.JournalStore.payload`):
#: a claim's, a retry's and an uncertain one's, which an operator's resend must send byte for byte.
#: Every other state is final (or, for a failed one put back in line, written afresh), and a move
#: into it drops them: SQLite's trigger asks this list (:data:`greeter.journal_schema.LETTER_TRIGGERS`),
#: PostgreSQL's moves set ``payload`` NULL (``Transitions._DROP_LETTER``).
LETTER_STATES: tuple[str, ...] = ("claimed", "retry", "uncertain")

#: The word that starts the reason of a ``skipped`` row ``greeter baseline`` recorded: a greeting
#: already sent that the journal did not hold — by the tool used before greeter, or by greeter after
#: the backup a restored journal came from (``baseline: recorded as handled (…)``; a row of an older
#: greeter: ``baseline: handled before greeter (…)``).
BASELINE = "baseline"


#: How :func:`~greeter.journal_transitions.merged_reason` starts: the one place that knows its words
#: (:func:`~greeter.journal_transitions.merged_carrier`, the metrics' skip reason).
MERGED_INTO = "merged into "

#: The planner's words for why an occasion was not greeted on its own (preview's ``reason``), as a
#: ``skipped`` row's reason starts (history's ``reason_code``, ``greeter_greetings``' ``reason``).
#: ``baseline``: a greeting the tool before greeter sent (``greeter baseline``), never sent by greeter.
SKIP_REASON_CODES: tuple[str, ...] = (
    "merged", "frequency_cap", "suppressed", "outside_audience", "no_email", "invalid_contact", BASELINE,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Tally:
    """Greetings of one (state, occasion, skip reason) in the journal (:meth:`JournalStore.tallies`).

    ``oldest``: the earliest ``created_at`` among them (when the oldest was first
    recorded: a retry stuck since then); ``newest_sent``: the latest ``sent_at``
    (when the newest of them that left, left); None where none has one.
    """

    greetings: int
    oldest: datetime | None = None
    newest_sent: datetime | None = None


def planned_state(state: str, reason: str | None) -> str:
    """The state the planner and the frequency cap read a row by: its own, but ``sent`` for a
    greeting handled before greeter (:data:`BASELINE`).

    The client did get that letter — from the tool before greeter — so it
    counts against the cap as one greeter sent would (``greeter baseline``'s
    help says so), and a preview shows it as already sent. The journal keeps
    it ``skipped``: greeter never sent it, and ``history`` says who did. The
    one place both journals (:meth:`JournalStore.greeted_dates`) and a shared
    journal's claim (:meth:`greeter.delivery.Deliverer.claim_for_contact`) ask.
    """
    return "sent" if is_baseline(state, reason) else state


def is_baseline(state: str, reason: str | None) -> bool:
    """Whether a row is one ``greeter baseline`` recorded (:data:`BASELINE`): planned as sent, but
    said as what it is — recorded as handled, not sent from this journal — where a person reads it."""
    return state == "skipped" and reason is not None and reason.startswith(f"{BASELINE}:")


#: The reason ``greeter uncertain dismiss`` records (a ``skipped`` row), and the ``--state`` that
#: finds those rows: the journal has no state of its own for an operator's decision.
DISMISSED = "dismissed"

#: What joins a decision and its operator in the reason (:func:`decision_reason`).
_BY = " by "


def is_dismissed(reason: str | None) -> bool:
    """Whether a ``skipped`` row's reason is an operator's dismissal (:func:`decision_reason`)."""
    return is_decision(reason, DISMISSED)


def skipped_code(reason: str | None) -> str | None:
    """A ``skipped`` row's reason words as their machine word: :data:`DISMISSED` for an operator's
    dismissal, else the sender's skip reason ("frequency_cap: only 13 days…" → ``frequency_cap``,
    one of :data:`SKIP_REASON_CODES`); None for other words. History's and the planner's one reading."""
    if is_dismissed(reason):
        return DISMISSED
    word = (reason or "").split(":", 1)[0].strip()
    return word if word in SKIP_REASON_CODES else None


#: How the reason of an address listed because mail to it bounced starts (a 5xx at delivery, a
#: bounce report read by ``greeter bounces``): the planner's words say it bounced
#: (:func:`~greeter.precheck.bounced_words`), not that the client asked.
BOUNCED = "bounced:"

#: How an ``expired`` row's reason starts before the sender's why (:meth:`mark_expired`'s).
EXPIRED_PREFIX = "expired: "


def expired_why(state: str, reason: str | None) -> str | None:
    """Why an ``expired`` row expired, as the sender journaled it (the daily quota held it, the
    window it missed); None for another state or an expiry journaled without one. Both journals'
    :meth:`JournalStore.greeted_dates` ask, so that a preview's card says it too."""
    if state != "expired" or reason is None or not reason.startswith(EXPIRED_PREFIX):
        return None
    return reason[len(EXPIRED_PREFIX) :] or None


def skipped_why(state: str, reason: str | None, merged_into: str | None) -> str | None:
    """Why a ``skipped`` row was skipped when sending, as the sender journaled it (``suppressed: …
    is on the do-not-contact list``, ``frequency_cap: only 6 days from …``, ``dismissed``); None
    for another state, a row without one, an occasion that rode in another letter (``merged_into``:
    its carrier says how it fared) and a row ``greeter baseline`` recorded (:func:`is_baseline`).
    Both journals' :meth:`JournalStore.greeted_dates` ask, so that a preview's card says it too."""
    if state != "skipped" or not reason or merged_into is not None or is_baseline(state, reason):
        return None
    return reason


def stored_states(states: Sequence[str]) -> list[str]:
    """The stored states a :meth:`JournalStore.greeted_dates` for ``states`` reads: ``skipped`` too
    when ``sent`` is asked for, whose baseline rows are planned as sent (:func:`planned_state`)."""
    return [*states, "skipped"] if "sent" in states and "skipped" not in states else list(states)


#: The reason of a ``retry`` row an operator put back in line after it failed
#: (:meth:`JournalStore.requeue`). It keeps no letter: the next plan writes it afresh — with
#: the templates, sender and signing key as they are now, which is why it failed often enough
#: — and claims the row as any due retry. Until then the row neither stops its occasion from
#: being planned nor counts against the frequency cap (:func:`is_requeued`).
REQUEUED = "requeued"

#: The reason of a ``retry`` row an operator sent again after it went uncertain
#: (:meth:`JournalStore.resend`), ``resend by ivan`` when the operator is named (``--by``).
RESEND = "resend"


def is_requeued(entry: JournalEntry) -> bool:
    """Whether ``entry`` is a failed greeting put back in line, to be planned anew (:data:`REQUEUED`)."""
    return entry.state == "retry" and is_decision(entry.reason, REQUEUED)


def decision_reason(decision: str, by: str | None) -> str:
    """The reason an operator's decision records (:data:`DISMISSED`, :data:`REQUEUED`,
    :data:`RESEND`), ``… by NAME`` when the operator is named (``--by``)."""
    return f"{decision}{_BY}{by}" if by else decision


def is_decision(reason: str | None, decision: str) -> bool:
    """Whether ``reason`` records ``decision`` (:func:`decision_reason`), by whomever."""
    return reason is not None and (reason == decision or reason.startswith(f"{decision}{_BY}"))


def decision_sql(decision: str) -> str:
    """SQL for :func:`is_decision` of the row's ``reason``, for both journals: fixed words only, and
    ``substr`` rather than LIKE (psycopg reads a ``%`` as a placeholder's; ``_`` is any character)."""
    opening = f"{decision}{_BY}"
    return f"(reason = '{decision}' OR substr(reason, 1, {len(opening)}) = '{opening}')"


#: What a row a letter known to have left may be put back from (:meth:`JournalStore.put_back_sent`):
#: its claim or unfinished outcome in a restored backup, an expiry or a baseline record of it, or
#: an operator's dismissal (which assumed it arrived). SQL, for both journals.
PUT_BACK_FROM = (
    "(state IN ('claimed', 'uncertain', 'retry', 'failed', 'expired')"
    f" OR (state = 'skipped' AND (substr(reason, 1, 9) = 'baseline:' OR {decision_sql(DISMISSED)})))"
)


def may_put_back(state: str, reason: str | None) -> bool:
    """Pure: :data:`PUT_BACK_FROM` as Python, for a dry run's list (the same rows the UPDATE takes)."""
    if state in ("claimed", "uncertain", "retry", "failed", "expired"):
        return True
    return (
        state == "skipped"
        and reason is not None
        and (reason.startswith(f"{BASELINE}:") or is_dismissed(reason))
    )


def operator_of(reason: str | None) -> str | None:
    """Who made an operator's decision a row's reason records (``dismissed by ivan``, ``requeued by
    ivan``, ``resend by ivan``: :func:`decision_reason`); None: nobody named."""
    for decision in (DISMISSED, REQUEUED, RESEND):
        if reason and reason.startswith(opening := f"{decision}{_BY}"):
            return reason[len(opening) :] or None
    return None
