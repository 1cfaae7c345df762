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
#: The size to use: RFC 8301 §3.2 asks signers for at least 2048 bits, as M3AAWG's DKIM key
#: practice does, and a 1024-bit key is within reach of a well-funded forger. ``check`` warns below it.
RECOMMENDED_KEY_BITS = 2048

#: Headers covered by the signature: what a forger would want to change. Each is
#: signed once more than it occurs (oversigning, RFC 6376 §8.15 and M3AAWG's DKIM
#: practice): the extra entry signs the *absence* of another one, so a replayer who
#: adds a second Subject, From or List-Unsubscribe above ours — the one many
#: clients show — breaks the signature. A header a letter lacks (Reply-To; Cc, Sender,
#: In-Reply-To and References, which greeter never writes) is signed as absent, so it
#: cannot be added either: a replayer cannot copy in more recipients, an "on behalf of"
#: sender, or thread the greeting into a conversation it was never part of.
SIGNED_HEADERS = (b"from", b"to", b"cc", b"sender", b"subject", b"date", b"message-id", b"reply-to",
                  b"in-reply-to", b"references", b"list-unsubscribe", b"list-unsubscribe-post",
                  b"mime-version", b"content-type")  # fmt: skip
#: Top-level headers of a letter that are not signed: a relay may rewrite the transfer encoding.
UNSIGNED_HEADERS = frozenset({b"content-transfer-encoding"})


def signed_fields(message: bytes) -> list[bytes]:
    """The ``h=`` list for ``message``: :data:`SIGNED_HEADERS` and every other header of the letter.

    Every header greeter writes is signed, so the ``Auto-Submitted`` and the
    config's ``delivery.headers`` too (Gmail's feedback loop only counts a
    signed ``Feedback-ID``); each name is listed once more than the letter
    has it. dkimpy takes a repeated name in ``include_headers`` as "the next
    instance up" and an instance that is not there as an empty one
    (``dkim.select_headers``), which is the oversigning RFC 6376 §5.4.2 describes.
    The names are read from the header block greeter itself wrote (one
    ``Name:`` at the start of each unfolded line), before any relay adds its own.
    """
    head = message.split(b"\r\n\r\n", 1)[0]
    counts: dict[bytes, int] = {}
    for line in head.split(b"\r\n"):
        if line and line[:1] not in (b" ", b"\t"):
            name = line.split(b":", 1)[0].strip().lower()
            counts[name] = counts.get(name, 0) + 1
    names = [*SIGNED_HEADERS, *(n for n in counts if n not in SIGNED_HEADERS and n not in UNSIGNED_HEADERS)]
    return [name for name in names for _ in range(counts.get(name, 0) + 1)]


def sign(message: bytes, *, selector: str, domain: str, private_key: bytes) -> bytes:
    """The message with a ``DKIM-Signature`` header prepended (relaxed/relaxed, rsa-sha256).

    The headers signed, each once more than it occurs, are :func:`signed_fields`.
    """
    import dkim  # imported on first use: dkimpy pulls in dnspython (~90 ms) that unsigned runs never need

    signature: bytes = dkim.sign(
        message,
        selector.encode("ascii"),
        domain.encode("ascii"),
        private_key,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=signed_fields(message),
    )
    return signature + message


def key_problem(key: bytes) -> str | None:
    """Why dkimpy cannot sign with the PEM ``key``, or None: its own parser decides, as ``dkim.sign`` would.

    Never the key's content in the answer (nor dkimpy's words, which may quote
    its bytes): the message goes to a terminal and to logs.
    """
    bits = key_bits(key)
    if bits is None:
        return (
            "not an RSA private key dkimpy can read: an unencrypted PEM file "
            "(BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY), as `openssl genrsa -out dkim.pem 2048` writes"
        )
    if bits < MIN_KEY_BITS:
        return f"the RSA key has {bits} bits: receivers ignore DKIM signatures of keys under {MIN_KEY_BITS}"
    return None


def key_bits(key: bytes) -> int | None:
    """The size in bits of the PEM RSA ``key``'s modulus, or None when dkimpy's parser cannot read it."""
    from dkim.crypto import UnparsableKeyError, parse_pem_private_key

    try:
        parsed = parse_pem_private_key(key)
    except (UnparsableKeyError, ValueError, IndexError, TypeError):  # bad base64 is binascii.Error
        return None
    return int(parsed["modulus"]).bit_length()


def short_key_warning(key: bytes) -> str | None:
    """Why ``key`` (the configured one, as :func:`read_key` read it), usable, is short (under
    :data:`RECOMMENDED_KEY_BITS` bits), or None.

    Pure: given the bytes ``check`` read once for both this and :func:`read_key`'s refusals (it
    read the file twice). A key that cannot be used at all is :func:`read_key`'s error, not this.
    """
    bits = key_bits(key)
    if bits is None or bits < MIN_KEY_BITS or bits >= RECOMMENDED_KEY_BITS:
        return None
    return (
        f"the DKIM key has {bits} bits: RFC 8301 and M3AAWG ask for at least {RECOMMENDED_KEY_BITS}, "
        f"and some receivers treat shorter signatures as weak; make a new one "
        f"(`openssl genrsa -out dkim.pem {RECOMMENDED_KEY_BITS}`) under a new selector and publish its record"
    )


def read_key(settings: DkimSettings) -> bytes:
    """The configured key file's PEM key, as dkimpy takes it; ConfigError when it cannot be read or used."""
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
    return key


def load_signer(settings: DkimSettings | None, key: bytes | None = None) -> Callable[[bytes], bytes] | None:
    """A ``bytes → bytes`` signer, or None when DKIM is not configured (:func:`read_key`'s refusals).

    ``key``: the key :func:`read_key` already read for these settings (``send`` reads it once, at
    its start, for its refusals, and signs with those bytes); None: read here.
    """
    if settings is None:
        return None
    if key is None:
        key = read_key(settings)

    def signer(message: bytes) -> bytes:
        return sign(message, selector=settings.selector, domain=settings.domain, private_key=key)

    return signer
