"""What the commands' options name, read as people type it: an occasion by its title.

``history --occasion "8 Марта"`` took the title its table shows, while
``preview``, ``test-send`` and ``approve`` refused «День рождения» — the very
title ``preview``'s own table prints — with "no occasion in the config".
Every ``--occasion`` now reads a configured occasion's title as that
occasion (:func:`occasion_by_title`). Kept out of :mod:`greeter.cli`, which is
at its size limit, and light to import: the config is loaded only when an
``--occasion`` is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from greeter.config import Settings

__all__ = ["occasion_by_title", "occasion_in_config"]


def occasion_by_title(value: str | None, settings: Settings) -> str | None:
    """``--occasion`` as the occasion's name: a configured occasion's title (any case: ``"8 марта"``,
    what history's table shows) stands for its name; any other value is returned as given (a name,
    a name only the journal knows, or a typo :func:`~greeter.cli.check_occasion` refuses)."""
    if value is None or value in settings.occasion_titles():
        return value
    wanted = value.strip().casefold()
    for name, title in settings.occasion_titles().items():
        if wanted in (title.casefold(), name.casefold()):  # a name typed Birthday is birthday too
            return name
    return value


def occasion_in_config(config: Path, value: str | None, now_text: str | None) -> str | None:
    """``--occasion`` of a command whose runner loads the config itself (``preview``,
    ``test-send``): a title as its occasion's name (:func:`occasion_by_title`), read from the
    config ``config`` as of ``--now`` (``now_text``); None stays None, and nothing is loaded."""
    if value is None:
        return None
    from greeter.cli import config_day
    from greeter.config_loader import load_settings

    return occasion_by_title(value, load_settings(config, today=config_day(now_text)))
