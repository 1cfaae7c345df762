"""The zone after a time shown to people: its abbreviation, unless that names more than one offset.

tzdata's abbreviations are what people read on their own clocks (MSK, CET,
+07 where a country has none), and ``%Z`` prints them. But four of them mean
different offsets in different zones: a dry run listed ``14:30 IST`` (India,
+05:30) and ``11:00 IST`` (Israel, +02:00) one above the other — and IST is
Ireland's summer time too; CST is Chicago's and Shanghai's, PST Los Angeles's
and Manila's. There the offset is shown instead, written as tzdata writes the
zones that have no abbreviation (``+0530``, ``+02``), so a line never reads as
the same clock for two. Pure.

Also :func:`iso_seconds`, the one way a moment is written in the JSON and CSV
that scripts read: whole seconds.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Final

#: The abbreviations tzdata gives to more than one UTC offset today (tests/test_zone_label.py
#: checks this against every zone of the installed tzdata, so a new one fails a test).
AMBIGUOUS: Final = frozenset({"CDT", "CST", "IST", "PST"})


def offset_label(offset: timedelta) -> str:
    """``+03``, ``+0530``, ``-0230``: an offset as tzdata names a zone without an abbreviation."""
    minutes = int(offset.total_seconds()) // 60
    sign, minutes = ("-", -minutes) if minutes < 0 else ("+", minutes)
    hours, rest = divmod(minutes, 60)
    return f"{sign}{hours:02d}{rest:02d}" if rest else f"{sign}{hours:02d}"


def zone_label(moment: datetime) -> str:
    """What follows ``moment``'s clock time: its zone's abbreviation, or the offset where that is
    ambiguous (:data:`AMBIGUOUS`) or missing.

    A fixed offset (``--now 2026-12-10T14:30+05:30``) has Python's name ``UTC+05:30``: it is
    written as an offset too (``+0530``), so a summary and its letter lines read alike.
    """
    name = moment.tzname()
    offset = moment.utcoffset()
    fixed = isinstance(moment.tzinfo, timezone) and bool(offset)
    if offset is not None and (not name or name in AMBIGUOUS or fixed):
        return offset_label(offset)
    return name or ""


def zone_city(moment: datetime) -> str:
    """The last part of ``moment``'s IANA zone (``Lord_Howe``) where :func:`zone_label` is only an
    offset, else "": ``11:58 +11`` was Lord Howe's and Magadan's alike, where ``MSK`` or ``NDT``
    names its clock. A fixed offset (``--now …+05:30``) has no zone to name."""
    label = zone_label(moment)
    key = getattr(moment.tzinfo, "key", None)
    if not label or label[0] not in "+-" or not isinstance(key, str):
        return ""
    return key.rsplit("/", 1)[-1]


def local_time(moment: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """``moment`` by ``pattern`` (strftime), then its :func:`zone_label`: ``2026-12-31 14:30 +0530``."""
    return f"{moment.strftime(pattern)} {zone_label(moment)}"


def iso_seconds(moment: datetime | date, *, up: bool = False) -> str:
    """``moment`` as ISO 8601 in whole seconds (truncated), its offset kept: what JSON and CSV write.

    The journal keeps microseconds (``sent_at`` ``…09:30:03.499048+00:00``) beside
    whole-second moments (``planned_at``), and jq's ``fromdateiso8601`` fails on
    a fraction: a script had to strip it from some fields and not others. Every
    output writes moments through this; what the journal stores is unchanged. A
    day (:class:`~datetime.date`) is written as it is.

    ``up``: a moment a script waits for (``next_send``, ``quota_free_at``) is rounded up
    instead, so that waking at it never finds the letter not yet due.
    """
    if isinstance(moment, datetime):
        return (second_up(moment) if up else moment.replace(microsecond=0)).isoformat()
    return moment.isoformat()


def second_up(moment: datetime) -> datetime:
    """``moment`` rounded up to a whole second: when a letter due then is due (:func:`iso_seconds`)."""
    whole = moment.replace(microsecond=0)
    return whole + timedelta(seconds=1) if moment.microsecond else whole


def due_time(moment: datetime) -> str:
    """When something due at ``moment`` is due, as a summary says it: to the minute — to the
    second when it is not on one, a fraction rounded up (:func:`second_up`).

    A letter due at 12:00:18 read "next letter due 12:00" right after a run at 12:00 that
    sent nothing, and a throttle held until 17:26:01 read "sending resumes at 17:26": a run
    at 17:26 found it still held.
    """
    local = second_up(moment)
    return local_time(local, "%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")
