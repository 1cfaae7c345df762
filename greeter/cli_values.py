"""What a command line's values mean: ``--now`` as a moment, a date option as a day, a blank value refused.

Every command reads ``--now``, ``--date``, ``--from``/``--since`` and the
options naming a contact or an occasion the same way, and refuses what it
cannot read with one usage error (exit 2) that names the option as click's own
errors do (:func:`flag_hint`). Kept apart from :mod:`greeter.cli` (the group,
its error handling and the options the commands share) so that the group's
module stays small; it needs click and the standard library only, so the group
still answers ``--help`` without loading the config machinery.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import click

from greeter.day_text import not_a_day, not_a_day_form, not_a_moment, read_day, read_moment


class Choice(click.Choice[str]):
    """``click.Choice`` that names the choice meant: ``--format jsn`` got "'jsn' is not one of 'table',
    'json', 'csv', 'xlsx'." while ``--jsn`` got click's "Did you mean '--json'?" — a typo in an
    option's name was helped, one in its value not."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as refused:
            import difflib

            choices = [str(choice) for choice in self.choices]
            near = difflib.get_close_matches(str(value).strip().casefold(), choices, n=1, cutoff=0.6)
            if not near:
                raise
            self.fail(f"{refused.message.rstrip('.')}; did you mean {near[0]!r}?", param, ctx)


def flag_hint(flag: str) -> str:
    """An option's name as click's own errors write it: quoted, with its aliases (``'--since' / '--from'``).

    greeter's own checks of a value (a date, ``--now``) raised with the bare
    flag, so one command line got ``Invalid value for '--days'`` from click and
    ``Invalid value for --now`` from greeter, and ``history --from`` was told
    about ``--since``, a flag the user never typed.
    """
    ctx = click.get_current_context(silent=True)
    for param in ctx.command.params if ctx is not None else ():
        if flag in param.opts or flag in param.secondary_opts:
            return param.get_error_hint(ctx)
    return f"'{flag}'"


def refuse_empty_now(
    _ctx: click.Context | None, _param: click.Parameter | None, value: str | None
) -> str | None:
    """``--now ""`` is a usage error, not the real clock: the option's callback, before anything runs.

    A wrapper's ``--now "$REHEARSAL_AT"`` with the variable unset passes an
    empty value. Read as "no --now", it ran on the real clock, and ``run
    --now "" --speed 60`` got past the guard that refuses ``--speed``
    without ``--now``: the real clock, sixty times faster, on the config's
    own journal. Only an absent flag means the real clock.
    """
    if value is not None and not value.strip():
        raise click.BadParameter(
            "an empty value; give a moment like 2026-12-25T10:00, or leave --now out for the real clock",
            param_hint=flag_hint("--now"),
        )
    return value


def trimmed(
    _ctx: click.Context | None, param: click.Parameter | None, value: str | tuple[str, ...] | None
) -> str | tuple[str, ...] | None:
    """Every option naming a contact, an address or an occasion: ``--contact " 1029 "``, as pasted, found
    nothing. Blank is refused (exit 2): ``--contact "$ID"`` with ``ID`` unset would read as no filter."""
    if value is None:
        return value
    values = (value,) if isinstance(value, str) else value
    cleaned = tuple(text.strip() for text in values)
    if "" in cleaned:
        name = param.opts[0] if param is not None else "the option"
        raise click.BadParameter(f"an empty value; give one, or leave {name} out", param=param)
    return cleaned[0] if isinstance(value, str) else cleaned


def parse_now(value: str | None, default_tz: str) -> datetime:
    """``--now`` → aware datetime; the real clock only when the flag is absent (``None``).

    An empty value is refused here too (:func:`refuse_empty_now`), for the
    callers that take ``--now`` text other than from the option (``run_check``,
    ``run_preview``).

    A moment with the default zone's own offset at that instant becomes a time
    of that zone: the same instant, but the summary of ``--now
    2027-04-14T11:00+03:00`` read "11:00 UTC+03:00" where the real clock's
    read "11:00 MSK" — one config, two names for its zone.
    """
    tz = ZoneInfo(default_tz)
    if value is None:
        return datetime.now(tz)
    refuse_empty_now(None, None, value)
    try:
        parsed = read_moment(value.strip())  # the date options' days too: --now 29.12.2026 13:00
    except ValueError:
        raise click.BadParameter(not_a_moment(value.strip()), param_hint=flag_hint("--now")) from None
    if parsed.tzinfo is None:
        return _wall_clock(parsed, tz, value)
    zoned = parsed.astimezone(tz)
    return zoned if zoned.utcoffset() == parsed.utcoffset() else parsed


def _wall_clock(naive: datetime, tz: ZoneInfo, value: str) -> datetime:
    """A ``--now`` without an offset as a time of ``tz`` — refused where that zone's clocks skip or
    repeat it (a DST change): ``2027-03-28T02:30`` in Berlin never happens, and zoneinfo would
    silently read it as 03:30; ``2027-10-31T02:30`` happens twice, and it would take the first.
    A rehearsal of "the night the clocks change" must say which moment it means."""
    aware = naive.replace(tzinfo=tz)
    offsets = [naive.replace(tzinfo=tz, fold=fold).utcoffset() for fold in (0, 1)]
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        later = aware.astimezone(UTC).astimezone(tz)  # as many minutes past the change
        raise click.BadParameter(
            f"{value!r} never happens in {tz.key}: the clocks skip over it (a DST change); "
            f"give a moment that does, e.g. {later.isoformat(timespec='minutes')}",
            param_hint=flag_hint("--now"),
        )
    if offsets[0] != offsets[1]:
        first, second = (naive.replace(tzinfo=tz, fold=fold).isoformat(timespec="minutes") for fold in (0, 1))
        raise click.BadParameter(
            f"{value!r} happens twice in {tz.key}: the clocks go back over it (a DST change); "
            f"give the offset: {first} (the first time) or {second} (the second)",
            param_hint=flag_hint("--now"),
        )
    return aware


def config_day(now_text: str | None) -> date:
    """The day a command's config is checked as of: ``--now``'s own date, else the system's.

    The config's holiday names are checked against the calendars of the years
    around this day (:func:`greeter.config_loader.parse_settings`). The default
    time zone that :func:`parse_now` needs is in that config, so ``--now`` is
    read here by its written date alone; a day's difference at midnight does
    not change which years are checked. A malformed ``--now`` is reported by
    :func:`parse_now` once the config is loaded.
    """
    if now_text is not None:
        refuse_empty_now(None, None, now_text)  # not "today": an empty --now is no moment
        try:
            day = read_moment(now_text.strip()).date()
        except ValueError:
            return date.today()
        from greeter.holiday_tables import calendar_years

        covered = calendar_years(day.year)
        if covered is not None:  # every holiday "unknown", none a day off: refused, not planned
            raise click.BadParameter(
                f"{now_text!r}: the public-holiday calendars cover {covered.start}–{covered.stop - 1} only;"
                " give a moment in those years",
                param_hint=flag_hint("--now"),
            )
        return day
    return date.today()


def day_span(first: date, last: date) -> str:
    """A span of days as the commands print it: one day alone, else ``first … last``."""
    return f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} … {last:%Y-%m-%d}"


#: A whole month, as ``history --since``/``--until`` take it: ``2026-11``.
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_day(value: str | None, param: str, *, month: Literal["first", "last"] | None = None) -> date | None:
    """A command line's date: ``2026-12-25`` or ``25.12.2026``/``4.12.2026`` (the contacts file's own form).

    ``month``: an option that bounds a range (``history --since``/``--until``)
    also takes a whole month, ``2026-11``, as its ``first`` or ``last`` day —
    a manager's "November" without counting its days. An option naming one
    day (``--date``) does not: which day would it be? Every other form is a
    usage error (exit 2) that names the forms taken (and why ``31.02.2026`` is no day).
    """
    if value is None:
        return None
    text = value.strip()
    if month is not None and (whole := _MONTH.fullmatch(text)):
        if not 1 <= int(whole[2]) <= 12:
            said = f"{not_a_day_form(value, or_month=True)}: there is no month {int(whole[2])}"
            raise click.BadParameter(said, param_hint=flag_hint(param))
        first = date(int(whole[1]), int(whole[2]), 1)
        if month == "first":
            return first
        return date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
    try:
        return read_day(text)  # the config's days are read by it too: one reader of a written day
    except ValueError:
        # In the config's words (greeter.day_text): 31.02.2027 is no day; 20270830 is in neither form.
        said = not_a_day(text) or not_a_day_form(value, or_month=month is not None)
        raise click.BadParameter(said, param_hint=flag_hint(param)) from None


#: Who ``approve`` records where no ``--by`` is given and there is no login name (a container's UID
#: with no passwd entry): the approvals' ``approved_by`` must name someone; an opt-out event's ``by``
#: is null instead.
NOBODY_NAMED = "unknown"


def who(given: str | None) -> str | None:
    """Who a command's ``--by`` names (``approve``, ``suppress``, ``unsuppress``, ``forget``):
    ``given``, else the login name, else None — a container whose UID has no passwd entry and no
    ``$USER`` records nobody (an event's ``by`` null, an approval :data:`NOBODY_NAMED`), not a
    failed command: ``getpass.getuser()`` raises there."""
    import getpass

    if given and given.strip():
        return given.strip()
    try:
        return getpass.getuser() or None
    except (OSError, KeyError):
        return None
