"""``greeter check``'s warnings about the send window: settings that load but do nothing.

Why a warning and not a refusal: such a setting harms no letter — it is a
marketer's intention the window cannot carry out, and they should hear so
before they rely on it. Pure: settings in, problems out (the config file is
read only to point at the line).
"""

from __future__ import annotations

from pathlib import Path

from greeter.config import Settings
from greeter.config_types import minute_of_day
from greeter.errors import Problem


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def ineffective_friday_cutoff(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning for a ``friday_cutoff`` written into the config at or after the day's last sending minute.

    Letters stop ``end_margin_minutes`` before ``hours.end`` every day; a
    Friday cut-off at or after that moment stops nothing, and a marketer who
    wrote ``friday_cutoff: "18:00"`` with ``hours.end: "18:00"`` believes
    Friday afternoons are kept quiet. Only a cut-off set in the file is
    looked at: the default (15:00) under short hours is no one's intention.
    """
    window = settings.send_window
    cutoff = window.friday_cutoff
    if cutoff is None or "friday_cutoff" not in window.model_fields_set:
        return []
    last = window.last_sending_minute(window.hours.end)
    if minute_of_day(cutoff) < last:
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("send_window", "friday_cutoff"))
    margin = f" minus end_margin_minutes {window.end_margin_minutes}" if window.end_margin_minutes else ""
    message = (
        f"friday_cutoff {cutoff:%H:%M} changes nothing: letters stop at {_hhmm(last)} every day "
        f'(hours.end {window.hours.end:%H:%M}{margin}); set it earlier (e.g. "15:00") for quiet '
        "Friday afternoons and eves of days off, or to null for no cut-off"
    )
    return [Problem(str(config_file), "send_window.friday_cutoff", message, line, col, severity="warning")]
