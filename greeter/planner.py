"""The planner: contacts × occasions × history × rules → what to send, when — pure.

``preview``, ``check``, ``calendar``, ``send`` and the daemon all call
:func:`plan`, so what a reviewer sees is exactly what will go out. Nothing
here reads the clock, the network or a file: ``now``, the journal's history,
the suppression list and any extra days off are arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from greeter.calendar_rules import (
    WorkCalendar,
    build_calendar,
    greeting_day,
    next_window_open,
    send_time,
)
from greeter.config import Occasion, Settings
from greeter.contacts import Contact
from greeter.errors import TemplateError
from greeter.occasions import contact_hits, fixed_days
from greeter.plan_types import Draft, Hit, PastGreeting, PlanItem, Rendered
from greeter.policy import Candidate, apply_cap, precheck


@dataclass(frozen=True)
class PlanWindow:
    """Everything computed once per plan and shared by every contact."""

    settings: Settings
    now: datetime
    start: date
    end: date
    sim_start: date
    calendar: WorkCalendar
    fixed: dict[str, list[date]]
    occasions: dict[str, Occasion]


def plan_window(
    settings: Settings,
    *,
    now: datetime,
    start: date,
    days: int,
    extra_days_off: Iterable[date] = (),
) -> PlanWindow:
    """Prepare a plan of ``days`` days from ``start`` as seen at ``now`` (aware).

    Occasions from ``catch_up_days`` before today are simulated too (not
    shown) so that greetings due before ``start`` count against the cap just
    as they will when the daemon gets there.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    end = start + timedelta(days=max(days, 1) - 1)
    today = now.astimezone(ZoneInfo(settings.defaults.timezone)).date()
    sim_start = min(start, today - timedelta(days=settings.catch_up_days + 1))
    window = settings.send_window
    country = settings.defaults.country if window.public_holidays else None
    cal = build_calendar(
        window, country, range(sim_start.year - 1, end.year + 2), extra_days_off=extra_days_off
    )
    return PlanWindow(
        settings=settings,
        now=now,
        start=start,
        end=end,
        sim_start=sim_start,
        calendar=cal,
        fixed=fixed_days(settings, sim_start, end),
        occasions={o.name: o for o in settings.occasions},
    )


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def contact_zone(contact: Contact, settings: Settings) -> ZoneInfo:
    """The recipient's own time zone: the contact's column, else the default."""
    return _zone(contact.timezone or settings.defaults.timezone)


def plan_contact(
    contact: Contact,
    pw: PlanWindow,
    past: Sequence[PastGreeting] = (),
    *,
    suppressed: bool = False,
) -> list[PlanItem]:
    """Every occasion of one contact in the window, each sent, merged or skipped with a reason."""
    settings = pw.settings
    tz = contact_zone(contact, settings)
    local_now = pw.now.astimezone(tz)
    local_today = local_now.date()
    oldest = local_today - timedelta(days=settings.catch_up_days)
    past_keys = {(p.occasion, p.occasion_date): p.state for p in past}

    skips: list[PlanItem] = []
    candidates: list[Candidate] = []
    send_at: dict[int, datetime] = {}
    for hit in contact_hits(contact, settings, pw.sim_start, pw.end, today=local_today, fixed=pw.fixed):
        occ = pw.occasions[hit.occasion]
        ideal = hit.date - timedelta(days=occ.days_before)
        shown = ideal >= pw.start
        refusal = precheck(hit, audience=occ.audience, past_keys=past_keys, suppressed=suppressed)
        if refusal is not None:
            if shown:
                skips.append(PlanItem(hit, "skip", refusal[0], detail=refusal[1]))
            continue
        if ideal < oldest:
            if shown:
                skips.append(
                    PlanItem(hit, "skip", "expired", detail=f"more than {settings.catch_up_days} days ago")
                )
            continue
        day = greeting_day(ideal, pw.calendar, settings.send_window.day_off_policy)
        at = send_time(day, tz, settings.send_window, _spread_key(hit), pw.calendar)
        if at < local_now:
            at = next_window_open(local_now, tz, settings.send_window, pw.calendar)
        cand = Candidate(hit, at.date(), belated=at.date() > hit.date)
        send_at[id(cand)] = at
        candidates.append(cand)

    items = skips
    for v in apply_cap(candidates, past, settings.frequency_cap):
        hit = v.candidate.hit
        occ = pw.occasions[hit.occasion]
        if hit.date - timedelta(days=occ.days_before) < pw.start:
            continue  # simulated only: counts against the cap, shown by an earlier range
        items.append(
            PlanItem(
                hit,
                v.status,  # type: ignore[arg-type]
                v.reason,
                send_at=send_at[id(v.candidate)] if v.status == "send" else None,
                also=v.also,
                merged_into=v.merged_into,
                belated=v.candidate.belated,
                detail=v.detail,
            )
        )
    items.sort(key=_order)
    return items


def _spread_key(hit: Hit) -> str:
    return f"{hit.contact.id}\x1f{hit.occasion}\x1f{hit.date.isoformat()}"


def _order(item: PlanItem) -> tuple[date, str, str]:
    return (item.hit.date, item.hit.contact.id, item.hit.occasion)


def plan(
    contacts: Iterable[Contact],
    pw: PlanWindow,
    history: Mapping[str, Sequence[PastGreeting]] | None = None,
    suppressed: frozenset[str] | set[str] = frozenset(),
) -> Iterator[PlanItem]:
    """Stream the plan contact by contact (a million contacts never sit in memory as drafts)."""
    history = history or {}
    for contact in contacts:
        email = (contact.email or "").casefold()
        yield from plan_contact(
            contact, pw, history.get(contact.id, ()), suppressed=bool(email) and email in suppressed
        )


def drafts(items: Iterable[PlanItem], render: Callable[[PlanItem], Rendered]) -> Iterator[Draft]:
    """Render every ``send`` item; a template error becomes a draft with ``error`` set, not a crash."""
    for item in items:
        if item.status != "send":
            yield Draft(item)
            continue
        try:
            rendered = render(item)
        except TemplateError as exc:
            yield Draft(item, error=str(exc))
            continue
        yield Draft(item, rendered)
