"""Secrets read from where the config points — an environment variable or a file — never from the config.

A module of its own, importing nothing of greeter's but the error types: the
renderer reads the unsubscribe secret to sign the links it shows, and
importing it from :mod:`greeter.send` loaded the whole sending path (SMTP
client, journal, build pool; ~90 ms) into ``preview`` and ``check``.
"""

from __future__ import annotations

import os
from pathlib import Path

from greeter.errors import ConfigError, Problem

__all__ = ["read_secret"]


def read_secret(env: str | None, file: Path | None, what: str) -> str | None:
    """A secret from the environment variable or file the config names — never from the config.

    An empty (or blank) variable or file is missing, not a secret: an env file's
    placeholder ``GREETER_SMTP_PASSWORD=`` or ``docker run -e VAR=`` used to pass
    for "set", so ``send`` logged in with no password and put every letter in
    ``retry`` instead of refusing to start (exit 2) as for an unset variable.
    """
    if env:
        value = os.environ.get(env)
        if value is None or not value.strip():
            said = "is not set" if value is None else "is not set (it is empty)"
            raise ConfigError([Problem("environment", env, f"{what}: environment variable {env} {said}")])
        return value
    if file:
        try:
            value = file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError([Problem(str(file), "", f"{what}: cannot read ({exc.strerror})")]) from None
        if not value:
            raise ConfigError([Problem(str(file), "", f"{what}: the file is empty")])
        return value
    return None
