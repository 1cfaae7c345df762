"""Database URLs as greeter shows and uses them: never with the password, one line per error.

A storage or contacts URL carries credentials (``postgresql://greeter:s3cret@db/crm``)
and ends up in problem lines, logs and ``greeter check`` output. Everything
that prints a URL goes through :func:`redact`, and every driver error message
through :func:`one_line`, so a password can only leak if the database server
itself echoes it back — and even then it is blanked.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

__all__ = [
    "check_identifier",
    "one_line",
    "redact",
    "split_schema",
    "take_params",
    "userinfo_problem",
]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_SECRET_PARAMS = frozenset({"password", "passwd", "sslpassword"})


def _secret_param(piece: str) -> bool:
    """Whether a query piece (``name=value``) names a password, as libpq and MySQL read the name."""
    return unquote(piece.partition("=")[0]).lower() in _SECRET_PARAMS


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
        value = piece.partition("=")[2]
        if _secret_param(piece) and value:
            found += [value, unquote(value), unquote(value.replace("+", " "))]
    # longest first, so that blanking one form never leaves the tail of a longer one
    return sorted(set(found), key=len, reverse=True)


def redact(url: str, *, drop: bool = False) -> str:
    """The URL without its password (in the authority or as a query parameter), all else as written.

    ``postgresql://greeter:s3cret@db:5432/crm?schema=x`` → ``postgresql://greeter@db:5432/crm?schema=x``.
    The rest is kept byte for byte — %-escapes, ``+``, an empty ``sslmode=``, the scheme's case,
    ``postgresql:///crm``'s three slashes — so the URL shown is the one configured minus the password:
    decoded and re-encoded, ``sslrootcert=%2Fetc%2Fca.pem`` read ``/etc/ca.pem`` and ``%20`` ``+``,
    not what the operator wrote, and a URL copied from the output was no longer the one in use.
    A string that does not parse as a URL is shown only up to its scheme.

    A password parameter is shown blanked (``password=***``), so the reader knows one is set.
    ``drop=True`` leaves it out instead, for a URL that goes into a command (``pg_dump``'s):
    the command then takes the password from ``PGPASSWORD`` or ``~/.pgpass``, which even an
    empty ``password=`` would override, so that goes too, and a ``?`` with nothing left after it.
    """
    hidden = url.split("://", 1)[0] + "://…"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed authority
    except ValueError:
        return hidden
    rest, hash_, fragment = url.partition("#")
    rest, mark, query = rest.partition("?")
    pieces = query.split("&") if query else []
    secret = [_secret_param(piece) and (drop or piece.partition("=")[2] != "") for piece in pieces]
    if "@" not in parts.netloc and not any(secret):
        return url  # nothing to hide
    head, authority, path = _authority(rest)
    if authority != parts.netloc or query != parts.query:
        return hidden  # read otherwise than urlsplit reads it (a tab, a leading space): show nothing
    if "@" in authority:
        userinfo, _, address = authority.rpartition("@")
        user = userinfo.partition(":")[0]
        authority = f"{user}@{address}" if user else address
    if drop:
        pieces = [piece for piece, hide in zip(pieces, secret, strict=True) if not hide]
        mark = mark if pieces else ""
    else:
        pieces = [f"{p.partition('=')[0]}=***" if hide else p for p, hide in zip(pieces, secret, strict=True)]
    return f"{head}{authority}{path}{mark}{'&'.join(pieces)}{hash_}{fragment}"


def _authority(before_query: str) -> tuple[str, str, str]:
    """``(scheme:// , authority, path)`` of a URL without its query and fragment, as written.

    The authority is what :func:`urllib.parse.urlsplit` takes for ``netloc``: after ``scheme://``,
    up to the first ``/``. A URL without ``//`` has none: ``("", "", before_query)``.
    """
    scheme = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", before_query)
    if scheme is None:
        return "", "", before_query
    authority, slash, path = before_query[scheme.end() :].partition("/")
    return scheme.group(), authority, slash + path


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
    return _unsplit(parts.scheme, parts.netloc, parts.path, "&".join(kept), parts.fragment), taken


def _unsplit(scheme: str, netloc: str, path: str, query: str, fragment: str = "") -> str:
    """A database URL from its parts, always with its ``//``.

    :func:`urllib.parse.urlunsplit` drops ``//`` before an empty authority for a
    scheme it does not know: ``postgresql:///crm?schema=x`` (libpq's local
    socket) came back ``postgresql:/crm``, which libpq reads as no URL at all
    (``missing "=" after "postgresql:/crm" in connection info string``).
    """
    text = f"{scheme}://{netloc}{path}"
    if query:
        text += f"?{query}"
    return f"{text}#{fragment}" if fragment else text


def split_schema(url: str) -> tuple[str, str | None]:
    """Take ``schema=NAME`` out of a PostgreSQL URL: ``(url for libpq, schema or None)``.

    The schema is then made the connection's ``search_path``.
    """
    rest, taken = take_params(url, ("schema",))
    schema = taken.get("schema")
    return rest, None if schema is None else check_identifier(schema, "schema")


def userinfo_problem(url: str) -> str | None:
    """Why ``url``'s user and password cannot be read one way only, or None.

    An ``@`` typed as it is in a password (``postgresql://app:pa@ss@db/crm``)
    splits the authority at a different ``@`` for each reader: greeter's
    display took the host as ``db`` while libpq resolved ``ss@db`` and put that
    piece of the password in its error message. Refused with the fix, and
    without the URL: it holds the password.
    """
    authority = url.partition("://")[2].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if authority.count("@") > 1:
        return (
            "the user or password holds an '@' as it is: write it %40 (postgresql://app:pa%40ss@db/crm), "
            "as every '@', ':' or '/' inside them; an '@' as it is ends them, so the rest of the password "
            "would be read as the server's name"
        )
    return None
