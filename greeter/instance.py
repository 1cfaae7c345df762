"""The name a project's daemon goes by: in every log line, ``/healthz`` and ``/metrics``.

An agency runs one greeter per brand on one host: three configs, three
daemons, one systemd journal or log collector. Nothing in their lines told
them apart (``started`` gave ``"config": "greeter.yaml"``, the same relative
name for all three). The ``instance`` setting names the project; unset, the
name of the folder its config file is in — what ``greeter init DIR`` made, so
each project already has one of its own and it stays the same from one start
to the next (unlike a pid or a port). A config at the root of the file system
(no folder name) goes by its file's name without ``.yaml``. Pure.
"""

from __future__ import annotations

from pathlib import Path


def instance_name(configured: str | None, config_file: Path) -> str:
    """``configured`` (the ``instance`` setting) if set, else the config file's folder's name."""
    if configured:
        return configured
    where = config_file.absolute()
    return where.parent.name or where.stem


def config_shown(config_file: Path) -> str:
    """The config file's absolute path, as log lines and ``/healthz`` give it (not as typed)."""
    return str(config_file.absolute())
