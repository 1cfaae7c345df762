"""Rendering a plan's ``send`` items into drafts, a contact's items together.

``preview``, ``send``, ``approve`` and the trial send render through :func:`drafts`, so a
letter that fails to render takes the occasions merged into it down with it, the same way
everywhere. Kept apart from the planner, which decides and never renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import groupby
from operator import attrgetter

from greeter.errors import TemplateError
from greeter.plan_types import Draft, PlanItem, Rendered


def drafts(items: Iterable[PlanItem], render: Callable[[PlanItem], Rendered]) -> Iterator[Draft]:
    """Render every ``send`` item; a template error becomes a draft with ``error`` set, not a crash.

    An occasion merged into a letter that fails to render does not go out
    either: its draft carries the failure too (``merged into birthday, whose
    letter failed to render: …``), not "sent with birthday". Merged items
    come before their letter when their day is earlier, so each contact's
    items (consecutive in a plan) are rendered before any is yielded.
    """
    for _, group in groupby(items, key=_CONTACT_ID):
        mine = list(group)
        done: dict[int, Draft] = {}
        failed: dict[tuple[str, str, date], str] = {}
        for index, item in enumerate(mine):
            if item.status != "send":
                continue
            try:
                done[index] = Draft(item, render(item))
            except TemplateError as exc:
                done[index] = Draft(item, error=str(exc))
                for other in item.also:
                    failed[other.key] = merged_into_failed(item.hit.occasion, str(exc))
        for index, item in enumerate(mine):
            draft = done.get(index)
            if draft is None:
                error = failed.get(item.hit.key) if item.reason == "merged" else None
                draft = Draft(item, error=error)
            yield draft


def merged_into_failed(lead: str, error: str) -> str:
    """Why an occasion merged into a letter that failed to render is not sent (preview and send alike)."""
    return f"merged into {lead}, whose letter failed to render: {error}"


_CONTACT_ID = attrgetter("hit.contact.id")
