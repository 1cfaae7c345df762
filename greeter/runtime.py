"""The imperative shell's shared steps: load config, contacts, journal state, days off.

Commands differ only in what they do with the plan; getting the inputs for
it is the same everywhere, so it lives here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from greeter.config import Settings
from greeter.config_loader import load_settings
from greeter.contacts import Contact
from greeter.ics_days import days_off_from_ics
from greeter.plan_types import PastGreeting
from greeter.planner import PlanWindow, plan_window
from greeter.sources import LoadReport, iter_contacts


@dataclass
class Inputs:
    """What a plan needs from the outside world, read once per run."""

    settings: Settings
    config_file: Path
    history: dict[str, list[PastGreeting]] = field(default_factory=dict)
    suppressed: set[str] = field(default_factory=set)

    def contacts(self, report: LoadReport, only: str | None = None) -> Iterator[Contact]:
        """Stream the contacts (optionally one id); problems accumulate in ``report``."""
        for contact in iter_contacts(self.settings.contacts, self.settings.defaults, report):
            if only is None or contact.id == only:
                yield contact

    def new_report(self) -> LoadReport:
        source = self.settings.contacts.path or self.settings.contacts.url or "contacts"
        return LoadReport(source=str(source))

    def window(self, *, now: datetime, start: date, days: int) -> PlanWindow:
        return plan_window(
            self.settings, now=now, start=start, days=days, extra_days_off=self.extra_days_off(start, days)
        )

    def extra_days_off(self, start: date, days: int) -> set[date]:
        ics = self.settings.send_window.days_off_ics
        if ics is None:
            return set()
        years = range(start.year - 1, start.year + days // 365 + 2)
        return days_off_from_ics(ics, years)


def load_inputs(config_file: Path) -> Inputs:
    """Settings plus the journal's history and suppression list (when a journal exists)."""
    settings = load_settings(config_file)
    return Inputs(settings=settings, config_file=config_file)
