"""Secrets read from where the config points — an environment variable or a file — never from the config.

A module of its own, importing nothing of greeter's but the error types: the
renderer reads the unsubscribe secret to sign the links it shows, and
importing it from :mod:`greeter.send` loaded the whole sending path (SMTP
client, journal, build pool; ~90 ms) into ``preview`` and ``check``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from greeter.errors import ConfigError, Problem

if TYPE_CHECKING:
    from greeter.config_delivery import Unsubscribe

__all__ = ["at_setting", "read_password", "read_secret", "secret_text", "unsubscribe_secret"]


def secret_text(raw: str) -> str:
    """The secret in a file's or a variable's text: without the blanks and the line end around it. Pure.

    One rule for both places a password comes from. A file ends with a line
    break (an editor's, ``echo pass > file``), and so does a variable filled
    from one — a Kubernetes secret made with ``echo pass | base64`` puts
    ``pass\\n`` in the environment —; the password from the variable kept it
    and the server refused the login the same password from a file passed.
    A password cannot begin or end with a blank (it never could from a file).
    """
    return raw.strip()


def read_secret(env: str | None, file: Path | None, what: str) -> str | None:
    """A secret from the environment variable or file the config names — never from the config.

    A variable's text is returned exactly as it is: an HMAC key's bytes are
    the key (:func:`greeter.unsubscribe.signing_key`), and links already sent
    were signed with a trailing line break if the variable had one. A file's
    content is :func:`secret_text`. A password is read with :func:`read_password`.

    An empty (or blank) variable or file is missing, not a secret: an env file's
    placeholder ``GREETER_SMTP_PASSWORD=`` or ``docker run -e VAR=`` used to pass
    for "set", so ``send`` logged in with no password and put every letter in
    ``retry`` instead of refusing to start (exit 2) as for an unset variable.
    """
    if env:
        value = os.environ.get(env)
        if value is None or not secret_text(value):
            said = "is not set" if value is None else "is not set (it is empty)"
            raise ConfigError([Problem("environment", env, f"{what}: environment variable {env} {said}")])
        return value
    if file:
        try:
            value = secret_text(file.read_text(encoding="utf-8"))
        except OSError as exc:
            said = f"{what}: cannot read {file.absolute()} ({exc.strerror})"
            raise ConfigError([Problem(str(file), "", said)]) from None
        if not value:
            raise ConfigError([Problem(str(file), "", f"{what}: the file {file.absolute()} is empty")])
        return value
    return None


def at_setting(problems: Sequence[Problem], config_file: Path, loc: tuple[str | int, ...]) -> list[Problem]:
    """``problems`` with a secret file (from :func:`read_secret`), moved to the config line naming it.

    ``secret.txt: cannot read`` did not say which setting named the file nor
    where greeter looked for it: the message names the file as opened (an
    absolute path, :func:`read_secret`), and this puts it at
    ``greeter.yaml:LINE:COL: unsubscribe.secret_file:``, as every other
    problem with a setting is shown. ``loc`` is the setting's place
    (``("unsubscribe", "previous_secret_file", 1)``); its name leaves out
    the list index, which the line tells.
    """
    from greeter.config_loader import locate  # the YAML parser: read only when a problem is shown

    line, col = locate(config_file, loc)
    setting = ".".join(part for part in loc if isinstance(part, str))
    return [Problem(str(config_file), setting, p.message, line, col, severity=p.severity) for p in problems]


def read_password(env: str | None, file: Path | None, what: str) -> str | None:
    """A password (SMTP, the contacts database) as :func:`read_secret` reads it, the variable's
    text too taken by :func:`secret_text`: the same password whichever of the two holds it."""
    value = read_secret(env, file, what)
    return None if value is None else secret_text(value)


def unsubscribe_secret(settings: Unsubscribe) -> str | None:
    """The key the one-click links are signed with: ``unsubscribe.secret_env``'s or ``secret_file``'s.

    Read by :func:`read_secret`, one place for every command that signs or
    checks a link (``send``, ``run``, ``preview``, ``check``, the test letter),
    so that none of them reads only one of the two settings.
    """
    return read_secret(settings.secret_env, settings.secret_file, "unsubscribe secret")


def previous_unsubscribe_secrets(settings: Unsubscribe) -> tuple[bytes, ...]:
    """The keys replaced by the current one (``unsubscribe.previous_secret_env``, then
    ``previous_secret_file``), read by :func:`read_secret`: links they signed are still honoured.

    One named but not set, empty or too short (:func:`~greeter.unsubscribe.signing_key`)
    raises :class:`~greeter.errors.ConfigError`: the daemon does not start (exit 2), as
    for the current key.
    """
    from greeter.unsubscribe import signing_key

    what = "previous unsubscribe secret"
    named: list[tuple[str | None, Path | None]] = [(env, None) for env in settings.previous_secret_env]
    named += [(None, file) for file in settings.previous_secret_file]
    keys = []
    for env, file in named:
        value = read_secret(env, file, what)
        if value:
            keys.append(signing_key(env or "", value, what, file=file))
    return tuple(keys)
