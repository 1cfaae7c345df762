"""``greeter calendar``'s own share: Python function calls of writing N letters' events, deterministic.

    python bench/bench_calendar.py [--letters 3000]

Builds N synthetic letters (a tenth a 7 January birthday carrying the New Year, the rest
the New Year's alone: a year end) and counts, with cProfile, the function calls of
:func:`greeter.ics_export.calendar_chunks` writing them one event per letter and with
``per_day`` (``--summary-per-day``), with the SHA-256 of the bytes written (a change that must
not alter the file: compare it before and after). Calls, not seconds: the machine is shared,
and the count is the same run to run. Planning and rendering are not in it
(``bench_plan.py``, ``callgrind_paths.py``).

Reference: none in the run (run it before and after a change: the calls and the digest).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from greeter.contacts import Contact
from greeter.ics_export import calendar_chunks
from greeter.plan_types import Hit, PlanItem

MSK = ZoneInfo("Europe/Moscow")
TITLES = {"new_year": "Новый год", "birthday": "День рождения"}


def letters(n: int) -> list[PlanItem]:
    """A year end's letters: a tenth birthdays carrying the New Year, the rest the New Year's."""
    found = []
    for i in range(n):
        contact = Contact(
            id=str(i), email=f"c{i}@example.com", first_name="Иван", patronymic="Петрович",
            last_name="Иванов", company="ООО «Тест»",
        )  # fmt: skip
        new_year = Hit(contact, "new_year", date(2026, 12, 29), None, 60, "new_year")
        if i % 10 == 0:
            birthday = Hit(contact, "birthday", date(2027, 1, 7), 40 + i % 30, 100, "birthday")
            found.append(
                PlanItem(birthday, "send", send_at=datetime(2026, 12, 30, 10, tzinfo=MSK), also=(new_year,))
            )
        else:
            found.append(PlanItem(new_year, "send", send_at=datetime(2026, 12, 29, 10, tzinfo=MSK)))
    return found


def measured(items: list[PlanItem], per_day: bool) -> tuple[int, str, int]:
    """(function calls, SHA-256 prefix, bytes) of one export."""
    options: dict[str, Any] = {
        "now": datetime(2026, 12, 20, 10, tzinfo=MSK), "domain": "bench.example", "name": "bench",
        "yearly": {"birthday"}, "titles": TITLES, "exported_at": datetime(2026, 12, 20, tzinfo=MSK),
    }  # fmt: skip
    b"".join(calendar_chunks(items[:5], **options, per_day=per_day))  # imports and first fills
    profile = cProfile.Profile()
    profile.enable()
    data = b"".join(calendar_chunks(items, **options, per_day=per_day))
    profile.disable()
    calls: int = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return calls, hashlib.sha256(data).hexdigest()[:16], len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--letters", type=int, default=3000)
    args = parser.parse_args()
    items = letters(args.letters)
    print(f"{'export':<22}{'calls':>12}{'per letter':>12}{'bytes':>12}  sha256")
    for per_day in (False, True):
        calls, digest, size = measured(items, per_day)
        name = "--summary-per-day" if per_day else "one event per letter"
        print(f"{name:<22}{calls:>12,}{calls / args.letters:>12.0f}{size:>12,}  {digest}")


if __name__ == "__main__":
    main()
