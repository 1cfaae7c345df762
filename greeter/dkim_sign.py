"""Optional DKIM signatures (RFC 6376) with dkimpy, the maintained Python DKIM library.

The private key is read once by the shell (:func:`load_signer`) from the file
the config names; signing is a pure function of the message bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from greeter.config import DkimSettings
from greeter.errors import ConfigError, Problem

#: Headers covered by the signature: what a forger would want to change.
SIGNED_HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"reply-to", b"list-unsubscribe",
                  b"list-unsubscribe-post", b"mime-version", b"content-type")  # fmt: skip


def sign(message: bytes, *, selector: str, domain: str, private_key: bytes) -> bytes:
    """The message with a ``DKIM-Signature`` header prepended (relaxed/relaxed, rsa-sha256)."""
    import dkim  # imported on first use: dkimpy pulls in dnspython (~90 ms) that unsigned runs never need

    signature: bytes = dkim.sign(
        message,
        selector.encode("ascii"),
        domain.encode("ascii"),
        private_key,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=list(SIGNED_HEADERS),
    )
    return signature + message


def load_signer(settings: DkimSettings | None) -> Callable[[bytes], bytes] | None:
    """A ``bytes → bytes`` signer, or None when DKIM is not configured."""
    if settings is None:
        return None
    key_file = Path(settings.key_file)
    try:
        key = key_file.read_bytes()
    except OSError as exc:
        raise ConfigError(
            [Problem(str(key_file), "delivery.dkim.key_file", f"cannot read the DKIM key ({exc.strerror})")]
        ) from None
    if b"PRIVATE KEY" not in key:
        raise ConfigError([Problem(str(key_file), "delivery.dkim.key_file", "not a PEM private key")])

    def signer(message: bytes) -> bytes:
        return sign(message, selector=settings.selector, domain=settings.domain, private_key=key)

    return signer
