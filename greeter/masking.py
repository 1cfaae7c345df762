"""Hiding e-mail addresses in text that leaves greeter's hands: log lines, ``/healthz``, and the
send summary's reasons — pure, and light (no logging library), so the send path can use it.
"""

from __future__ import annotations

import re

__all__ = ["mask_addresses"]

#: A character of a domain, and the first of a local part: quotes, brackets and ``= / |`` end or
#: open one, so ``'ivan@…'``, ``{'ivan@…': 1}`` and a URL's ``scheme://user@host`` start at the
#: name (see :func:`mask_addresses`).
_PART = r"""[^\s@,;:<>"'`()\[\]{}\\/|=]"""
#: A character of a local part after its first: every RFC 5322 ``atext`` (``' = / | { } ` ! # $ %
#: & * + ? ^ ~``) and the dot — ``first.last=crm@…``, ``o'brien@…``: a character left out here ends
#: the local part there, and the name before it would stay readable.
_LOCAL_MORE = r"""[^\s@,;:<>"()\[\]\\]"""
_LOCAL = rf"{_PART}{_LOCAL_MORE}*"
#: Something shaped like an address anywhere in a text: a local part, ``@``, a domain. Generous on
#: purpose (any script, a quoted cell, ``<…>`` of a server reply): a false hit only hides a few
#: letters of a log line, a miss leaks an address. The domain may be empty (a bad cell's
#: ``ivan@`` is masked too).
_ADDRESS = re.compile(rf"(?P<local>{_LOCAL})(?P<rest>@{_PART}*)")
#: A quoted value with an ``@`` and spaces in its local part or around the ``@`` —
#: ``'petrov @example.com'``, ``' ivan petrov@example.com'``: how a message quotes a bad
#: address cell (``{cell!r}``). The spaces are why the cell is bad, and they would cut
#: :data:`_ADDRESS`'s local part short (or leave none): the whole local part is hidden.
#: A character of a quoted value's local part: any but the quote that opened it
#: (``"o'neil @example.com"``).
_QUOTED_PART = rf"""(?:(?!(?P=q))(?:{_LOCAL_MORE}|"))"""
_QUOTED = re.compile(
    rf"""(?P<open>(?P<q>['"])[ \t]*)(?P<local>{_QUOTED_PART}+(?:[ \t]+{_QUOTED_PART}+)*)"""
    rf"""(?P<rest>[ \t]*@[ \t]*{_PART}*(?P=q))"""
)
#: Unquoted, a space before the ``@`` only when a dotted domain follows it at once
#: (``petrov @example.com``): prose's ``3 @ 5`` or ``meet @ noon`` is no address.
_SPACED = re.compile(rf"(?P<local>{_LOCAL})(?P<rest>[ \t]+@{_PART}+\.{_PART}+)")
#: What a URL's user (``scheme://user@host``) cannot hold: one of these after ``://`` is a
#: path or query (``https://x/unsubscribe?to=ivan@…``), and what follows the last is an address.
_URL_PATH = re.compile(r"[/?#&=]")


def mask_addresses(text: str, *, first: bool = True) -> str:
    """``text`` with each e-mail address's local part hidden: ``client03@example.com`` → ``c***@example.com``.

    The first character and the domain stay — enough for an operator to
    tell which provider refuses, not who the client is. The user of a URL
    (``postgresql://greeter@db:5432``) is no one's address and stays.
    ``first=False`` hides the first character too (``***@example.com``): the
    same reply quoting each recipient then reads as one reply, counted once.
    An address with spaces in it (a bad cell, quoted in a problem's message,
    or ``petrov @example.com``) is hidden too (:data:`_QUOTED`, :data:`_SPACED`).
    """
    if "@" not in text:
        return text
    for pattern in (_QUOTED, _SPACED, _ADDRESS):
        text = _masked(pattern, text, first=first)
    return text


def _masked(pattern: re.Pattern[str], text: str, *, first: bool) -> str:
    """``text`` with each match of ``pattern`` (groups ``local`` and ``rest``, maybe ``open``) masked."""

    def masked(found: re.Match[str]) -> str:
        local = found["local"]
        opening = found["open"] if "open" in pattern.groupindex else ""
        if text.endswith("://", 0, found.start("local")):
            path = list(_URL_PATH.finditer(local))
            if not path:
                return found.group(0)  # a URL's user: no one's address
            opening, local = local[: path[-1].end()], local[path[-1].end() :]  # a URL's query
        if not local or local.endswith("***"):
            return found.group(0)  # masked already (a reason counted masked)
        return f"{opening}{local[0] if first else ''}***{found['rest']}"

    return pattern.sub(masked, text)
