"""How long the journal keeps a finished greeting, and which rows a purge may delete.

Storage limitation (GDPR art. 5(1)(e), 152-ФЗ art. 5): a row saying who was
greeted for what, when, at which address is personal data, kept no longer
than it serves. It serves twice: the frequency cap counts the letters of the
last ``window_days``, and "never twice" needs the row of every occasion the
planner may still look at (``catch_up_days`` back, a day off moving a letter,
``days_before``). A purge therefore deletes only rows in a state nothing
changes any more, whose occasion day, send day and last change all lie before
the cut-off, and the cut-off can never come closer than those reaches at their
largest — a later config with a longer catch-up must not find its old
occasions' rows gone and greet them again.

Pure: the caller passes ``today`` and the settings' numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

#: States a greeting never leaves: only such rows are ever purged. ``retry``,
#: ``uncertain`` and ``claimed`` rows are kept, however old, until someone decides.
FINISHED: tuple[str, ...] = ("sent", "failed", "skipped", "expired")

#: The longest retention accepted: a hundred years ("keep for ever" is no setting at all).
MOST_RETENTION_DAYS = 36_500

#: The largest ``catch_up_days`` and ``days_before`` the config accepts (config.Settings, Occasion).
_MOST_CATCH_UP = 60
_MOST_DAYS_BEFORE = 60


def minimum_retention_days(window_days: int, min_gap_days: int, longest_days_off: int) -> int:
    """The shortest retention that can never let a purged greeting be planned or counted again.

    The cap looks back ``window_days`` from a day up to the catch-up (or the
    minimum gap) before today; an occasion is planned up to the catch-up, a
    run of days off and ``days_before`` away from its day. Each reach is taken
    at the largest the config allows, not at today's setting, because the
    setting can grow after the rows are gone.
    """
    return window_days + max(_MOST_CATCH_UP, min_gap_days) + _MOST_DAYS_BEFORE + longest_days_off + 1


def retention_problem(days: int, window_days: int, min_gap_days: int, longest_days_off: int) -> str | None:
    """Why a retention of ``days`` is too short (see :func:`minimum_retention_days`); None when it is not."""
    least = minimum_retention_days(window_days, min_gap_days, longest_days_off)
    if days >= least:
        return None
    return (
        f"{days} days is too short: greeter must remember a letter for at least {least} days"
        f" (the frequency cap's {window_days}-day window, plus the farthest a letter can go"
        " from its occasion's day: catch-up, days off, days_before)"
    )


def retention_line(days: int | None, least: int) -> str:
    """What ``greeter check`` says of retention: a data-protection officer's first question.

    ``least`` is :func:`minimum_retention_days` for the config's cap.
    """
    if days is None:
        return (
            "retention: none set: the journal keeps every greeting, however old"
            f" (storage.retention_days deletes finished ones; at least {least} days)"
        )
    return (
        f"retention: finished greetings older than {days} days are deleted (storage.retention_days;"
        " greeter run purges daily; with cron, run greeter purge daily)"
    )


def retention_cutoff(today: date, retention_days: int) -> date:
    """The first day a purge keeps: rows wholly before it may go."""
    return today - timedelta(days=retention_days)


@dataclass(frozen=True, slots=True)
class Purge:
    """What a purge deleted (or, dry, would): rows before ``before``; the older rows it had to keep."""

    before: date
    greetings: int
    approvals: int
    #: Rows older than the cut-off in a state someone must still decide (uncertain, retry), by state.
    kept: dict[str, int] = field(default_factory=dict)
