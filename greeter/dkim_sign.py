"""Optional DKIM signatures (RFC 6376) with dkimpy, the maintained Python DKIM library.

The private key is read once by the shell (:func:`load_signer`) from the file
the config names, and parsed there by dkimpy's own parser — the one
``dkim.sign`` uses — so a key it cannot use is the config's error, found by
``check`` and before ``send`` starts, not a crash at the first letter.
Signing is a pure function of the message bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from greeter.config import DkimSettings
from greeter.errors import ConfigError, Problem

#: The smallest RSA key receivers verify: RFC 8301 3.2 makes them refuse a signature by a shorter one.
MIN_KEY_BITS = 1024

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


def key_problem(key: bytes) -> str | None:
    """Why dkimpy cannot sign with the PEM ``key``, or None: its own parser decides, as ``dkim.sign`` would.

    Never the key's content in the answer (nor dkimpy's words, which may quote
    its bytes): the message goes to a terminal and to logs.
    """
    from dkim.crypto import UnparsableKeyError, parse_pem_private_key

    try:
        parsed = parse_pem_private_key(key)
    except (UnparsableKeyError, ValueError, IndexError, TypeError):  # bad base64 is binascii.Error
        return (
            "not an RSA private key dkimpy can read: an unencrypted PEM file "
            "(BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY), as `openssl genrsa -out dkim.pem 2048` writes"
        )
    bits = int(parsed["modulus"]).bit_length()
    if bits < MIN_KEY_BITS:
        return f"the RSA key has {bits} bits: receivers ignore DKIM signatures of keys under {MIN_KEY_BITS}"
    return None


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
    key = key.replace(b"\r\n", b"\n")  # saved on Windows: dkimpy finds no key between CRLF lines
    problem = key_problem(key)
    if problem is not None:
        raise ConfigError([Problem(str(key_file), "delivery.dkim.key_file", problem)])

    def signer(message: bytes) -> bytes:
        return sign(message, selector=settings.selector, domain=settings.domain, private_key=key)

    return signer
