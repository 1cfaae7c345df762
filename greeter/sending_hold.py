"""What holds sending back — the provider's throttle or the daily quota —, told one way everywhere.

Both can hold at once: a provider throttles us at 14:06 (sending resumes at 14:07:30)
while ``delivery.rate_limit.per_day`` has no slot until 14:12:01. The daemon then
slept until the later moment, but its ``run`` line said ``next_send`` 14:07:30 and
``/healthz`` named the throttle beside the quota's moment: a reason and a time that
did not belong together. :func:`sending_hold` is the one rule: the hold that lasts
longer names the reason, with its own moment; the letters waiting are the same letters
for both. ``/healthz``, ``/metrics`` and the daemon's wake read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from greeter.delivery_summary import Summary
    from greeter.ratelimit import RateLimiter

#: The two holds, as ``/healthz``'s ``sending_held`` and ``send --dry-run``'s ``held`` name them.
HoldReason = Literal["provider_throttle", "daily_quota"]


@dataclass(frozen=True, slots=True)
class Hold:
    """Sending held back by ``reason`` until ``until`` (UTC), ``letters`` due ones waiting for it."""

    reason: HoldReason
    until: datetime
    letters: int


def sending_hold(
    quota_free_at: datetime | None,
    quota_unsent: int,
    throttled_until: datetime | None,
    throttle_unsent: int,
) -> Hold | None:
    """Pure: what holds sending back, until when and how many letters wait; None: nothing holds.

    When both hold, the one that ends later says why and when — no letter leaves before
    it —; at the same moment, the throttle (it holds every letter, the quota only those
    over it). The letters waiting are the most either holds: a letter the throttle holds
    waits for the quota's slot too.
    """
    holds = []
    if throttled_until is not None:
        holds.append(Hold("provider_throttle", throttled_until, throttle_unsent))
    if quota_free_at is not None:
        holds.append(Hold("daily_quota", quota_free_at, quota_unsent))
    if not holds:
        return None
    last = max(holds, key=lambda hold: hold.until)  # the first of equals: the throttle
    return Hold(last.reason, last.until, max(hold.letters for hold in holds))


def summary_hold(summary: Summary) -> Hold | None:
    """:func:`sending_hold` of what a run's (or a dry run's) summary says held its letters."""
    return sending_hold(
        summary.quota_free_at, summary.quota_unsent, summary.throttled_until, summary.throttle_unsent
    )


def quota_frees_at(limiter: RateLimiter, now: datetime) -> datetime | None:
    """When the daily quota frees its next slot, if no letter could go at ``now`` (UTC, as
    :meth:`~greeter.delivery.Deliverer.quota_spent` says it: :func:`~greeter.ratelimit.slot_frees_at`);
    None: one could, or there is no ``per_day``. ``limiter`` holds the sends of the last 24 hours."""
    from greeter.ratelimit import slot_frees_at

    wait = limiter.quota_wait()
    return None if wait is None else slot_frees_at(now, wait)
