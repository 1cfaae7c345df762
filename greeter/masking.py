"""Hiding e-mail addresses in text that leaves greeter's hands: log lines, ``/healthz``, and the
send summary's reasons — pure, and light (no logging library), so the send path can use it.
"""

from __future__ import annotations

import re

__all__ = ["mask_addresses"]

#: Something shaped like an address anywhere in a text: a local part, ``@``, a domain. Generous on
#: purpose (any script, a quoted cell, ``<…>`` of a server reply): a false hit only hides a few
#: letters of a log line, a miss leaks an address. The domain may be empty (a bad cell's
#: ``ivan@`` is masked too). ``:`` and ``/`` end a local part, so a URL's ``scheme://user@host``
#: is told apart (see :func:`mask_addresses`).
_ADDRESS = re.compile(r"""(?P<local>[^\s@,;:<>"'`()\[\]{}\\/|=]+)@(?P<domain>[^\s@,;:<>"'`()\[\]{}\\/|=]*)""")


def mask_addresses(text: str, *, first: bool = True) -> str:
    """``text`` with each e-mail address's local part hidden: ``client03@example.com`` → ``c***@example.com``.

    The first character and the domain stay — enough for an operator to
    tell which provider refuses, not who the client is. The user of a URL
    (``postgresql://greeter@db:5432``) is no one's address and stays.
    ``first=False`` hides the first character too (``***@example.com``): the
    same reply quoting each recipient then reads as one reply, counted once.
    """

    def masked(found: re.Match[str]) -> str:
        if text.endswith("://", 0, found.start()) or found["local"].endswith("***"):
            return found.group(0)  # a URL's user, or masked already (a reason counted masked)
        return f"{found['local'][0] if first else ''}***@{found['domain']}"

    return _ADDRESS.sub(masked, text) if "@" in text else text
