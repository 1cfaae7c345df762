"""What a new journal's first ``send --once`` says of the belated letters it catches up (pure).

A journal's first plan reaches ``catch_up_days`` back (:func:`greeter.planner.occasion_starts`):
right for a greeter that was down, but on the day greeter replaces a
mail-merge cron it greets again the clients that cron greeted on those days.
``greeter baseline`` prevents it, if the marketer knows of it: a migrating
user's first run (and its ``--dry-run``) sent four belated birthday letters
in silence. So the first run names them, with the way out, once: the
journal records its first plan, and no later run is a first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from greeter.plan_types import PlanItem

__all__ = ["FirstRunBelated", "first_run_belated", "first_run_json"]

#: Where the way out is described, wherever greeter is installed (no docs folder beside a wheel).
WAY_OUT = "see greeter baseline --help"


def _before(items: Iterable[PlanItem], today: date) -> tuple[date, ...]:
    """The occasion days before ``today`` of the greetings ``items`` (letters) carry, their own and merged."""
    return tuple(h.date for item in items for h in (item.hit, *item.also) if h.date < today)


@dataclass(frozen=True, slots=True)
class FirstRunBelated:
    """The belated greetings of a new journal's first run: for occasions before the journal was made."""

    #: Their occasion days, of the letters due in this run.
    now: tuple[date, ...]
    #: …and of the letters the run planned for later (a first run before the send window opens).
    later: tuple[date, ...]

    def words(self, *, dry_run: bool) -> str:
        """The one line said on stderr: how many, their occasion days (not today's), and what to run instead.

        A real run has sent those due already; the ones still to come are what
        a ``greeter baseline`` now keeps from going.
        """
        days = sorted((*self.now, *self.later))
        span = f"{days[0]:%Y-%m-%d}" if days[0] == days[-1] else f"{days[0]:%Y-%m-%d} … {days[-1]:%Y-%m-%d}"
        total = len(days)
        if len(self.now) == total:
            when = "due in this run"
        elif self.now:
            when = f"{len(self.now)} of them due in this run, the rest later"
        else:
            when = "due later"
        # "dated": a day in brackets after "today" was read as today's date (a --now rehearsal's)
        head = f"first run on a new journal: {total} belated greeting(s) for occasions dated {span},"
        head += f" before today, {when}"
        if dry_run:
            tail = "if another tool already sent them, run greeter baseline first"
        elif self.later:
            tail = "if another tool already sent them, run greeter baseline before the next send"
        else:
            tail = (  # (sent, or waiting to retry: this line is said before the run's outcome is known)
                "if another tool had already greeted those clients, a letter from greeter is a second one:"
                " greeter baseline, run before a first send, prevents that"
            )
        return f"{head}; {tail} ({WAY_OUT})"


def first_run_json(found: FirstRunBelated | None, *, dry_run: bool) -> dict[str, object] | None:
    """``send --json``'s ``first_run`` and the daemon's ``first_run`` event: null when not a first run.

    ``belated``: how many; ``due_now``/``due_later``: of them, due in this run or planned for later;
    ``occasion_dates``: their occasion days (ISO, by date); ``message``: the stderr line. A script
    reading ``--json`` saw the notice nowhere: it was said on stderr alone.
    """
    if found is None:
        return None
    days = sorted((*found.now, *found.later))
    return {
        "belated": len(days),
        "due_now": len(found.now),
        "due_later": len(found.later),
        "occasion_dates": [d.isoformat() for d in days],
        "message": found.words(dry_run=dry_run),
    }


def first_run_belated(
    due: Iterable[PlanItem], later: Iterable[PlanItem], today: date
) -> FirstRunBelated | None:
    """The belated greetings of the letters a first run sends now (``due``) and plans (``later``);
    None when there are none. ``today``: the journal's first day, in the config's time zone."""
    found = FirstRunBelated(_before(due, today), _before(later, today))
    return found if found.now or found.later else None
