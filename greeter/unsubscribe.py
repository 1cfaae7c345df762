"""Signed one-click unsubscribe tokens (RFC 8058 links in ``List-Unsubscribe``).

A token names the address it unsubscribes and carries an HMAC-SHA256 of it,
so nobody can unsubscribe someone else by editing the link; verification is
constant-time. Pure functions: the secret is passed in by the shell, which
reads it from the environment variable named in the config.
"""

from __future__ import annotations

import base64
import hashlib
import hmac


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(secret: bytes, email: str) -> str:
    """``<address>.<signature>``, both URL-safe base64."""
    address = email.strip().casefold().encode("utf-8")
    signature = hmac.new(secret, address, hashlib.sha256).digest()[:20]
    return f"{_b64(address)}.{_b64(signature)}"


def verify_token(secret: bytes, token: str) -> str | None:
    """The address a genuine token names, or None for a forged or damaged one."""
    try:
        address_part, signature_part = token.split(".", 1)
        address, signature = _unb64(address_part), _unb64(signature_part)
    except (ValueError, UnicodeEncodeError):
        return None
    expected = hmac.new(secret, address, hashlib.sha256).digest()[:20]
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        return address.decode("utf-8")
    except UnicodeDecodeError:
        return None


def unsubscribe_url(base: str | None, secret: bytes | None, email: str) -> str | None:
    """The https link for one recipient, or None when no URL or secret is configured."""
    if not base or not secret:
        return None
    return f"{base.rstrip('/')}/{make_token(secret, email)}"
