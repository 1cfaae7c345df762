"""Database URLs as greeter shows and uses them: never with the password, one line per error.

A storage or contacts URL carries credentials (``postgresql://greeter:s3cret@db/crm``)
and ends up in problem lines, logs and ``greeter check`` output. Everything
that prints a URL goes through :func:`redact`, and every driver error message
through :func:`one_line`, so a password can only leak if the database server
itself echoes it back — and even then it is blanked.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["check_identifier", "one_line", "redact", "split_schema", "take_params"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_SECRET_PARAMS = frozenset({"password", "passwd", "sslpassword"})


def _secrets(url: str) -> list[str]:
    """Every form of the URL's password in which a message may quote it: as written and decoded.

    A URL that does not parse (libpq then quotes it whole in its error) still
    has its ``user:password@`` part found, by the last ``@`` before the query.
    """
    try:
        parts = urlsplit(url)
        raw = parts.password
        query = parts.query
    except ValueError:
        rest = url.split("://", 1)[-1]
        rest, _, query = rest.partition("?")
        userinfo = rest.rpartition("@")[0]
        raw = userinfo.partition(":")[2] if ":" in userinfo else None
    found = [raw, unquote(raw)] if raw else []
    for piece in query.split("&") if query else []:
        name, _, value = piece.partition("=")
        if unquote(name).lower() in _SECRET_PARAMS and value:
            found += [value, unquote(value), unquote(value.replace("+", " "))]
    # longest first, so that blanking one form never leaves the tail of a longer one
    return sorted(set(found), key=len, reverse=True)


def _password(url: str) -> str | None:
    secrets = _secrets(url)
    return secrets[0] if secrets else None


def redact(url: str) -> str:
    """The URL without its password (in the authority or as a query parameter).

    ``postgresql://greeter:s3cret@db:5432/crm?schema=x`` → ``postgresql://greeter@db:5432/crm?schema=x``.
    A string that does not parse as a URL is shown only up to its scheme.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed authority
    except ValueError:
        return url.split("://", 1)[0] + "://…"
    netloc = parts.netloc
    if "@" not in netloc and _password(url) is None:
        return url  # nothing to hide (and sqlite:///path keeps its three slashes)
    if "@" in netloc:
        userinfo, address = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{address}" if user else address
    query = parts.query
    if query:
        pairs = [(k, "***" if k.lower() in _SECRET_PARAMS else v) for k, v in parse_qsl(query)]
        query = urlencode(pairs, safe="/:=,*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def one_line(message: object, url: str) -> str:
    """A driver's error message as one line, with the URL's password blanked out."""
    text = " ".join(str(message).split())
    for secret in _secrets(url):
        text = text.replace(secret, "***")
    return text or "unknown error"


def check_identifier(name: str, what: str) -> str:
    """``name`` if it is a plain SQL identifier, else ValueError (never quoted into surprises)."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"{what}={name!r} is not a plain SQL identifier (letters, digits, _)")
    return name


def take_params(url: str, names: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """Take greeter's own query parameters (``schema=…``, ``lease_seconds=…``) out of a URL.

    libpq refuses unknown URL parameters, so greeter's are removed before the
    URL reaches it. Returns ``(the URL without them, {name: value})``; the last
    value of a repeated parameter wins.
    """
    parts = urlsplit(url)
    kept: list[str] = []
    taken: dict[str, str] = {}
    for piece in parts.query.split("&") if parts.query else []:
        name, _, value = piece.partition("=")
        if unquote(name) in names:
            taken[unquote(name)] = unquote(value)
        else:
            kept.append(piece)  # byte for byte: libpq decodes its own parameters
    if not taken:
        return url, {}
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), parts.fragment)), taken


def split_schema(url: str) -> tuple[str, str | None]:
    """Take ``schema=NAME`` out of a PostgreSQL URL: ``(url for libpq, schema or None)``.

    The schema is then made the connection's ``search_path``.
    """
    rest, taken = take_params(url, ("schema",))
    schema = taken.get("schema")
    return rest, None if schema is None else check_identifier(schema, "schema")
