"""Why an SMTP connection or envelope failed, in words naming the setting to change.

A refused login, a ``delivery.smtp.security`` that does not fit the server, a
530 that asks for a login greeter did not make: each is a configuration error
no retry cures, so a batch halts at it and ``greeter check`` and the daemon's
probe say it the same way. Together because they are one classification of a
server's answers (pure, no I/O); split out of :mod:`greeter.smtp_transport`,
which raises and reads them, so that each module stays small enough to read.
"""

from __future__ import annotations

import re
import socket
import ssl
from dataclasses import dataclass

import aiosmtplib

from greeter.config_delivery import SmtpSettings
from greeter.transport import LOGIN_MISMATCH, LOGIN_REFUSED, SECURITY_MISMATCH


class LoginUnavailable(aiosmtplib.SMTPException):
    """``delivery.smtp.username`` is set, but the server offers no way to log in that greeter speaks.

    Its EHLO lists no AUTH at all (many servers offer it only after STARTTLS),
    or only mechanisms aiosmtplib does not implement (GSSAPI, NTLM, …). Like a
    refused login, no retry cures it: the config must change.
    """


class SecurityMismatch(aiosmtplib.SMTPException):
    """The server answered, but not in the way ``delivery.smtp.security`` asks for: a config error.

    Implicit TLS against a port that answers in plain text, STARTTLS demanded
    of a server whose EHLO does not offer it, or plain text (none/starttls)
    against a port that greets only over TLS (465). The words name the value
    that fits. Unlike a timeout or a refused connection no retry cures it, so
    a send stops at it as at a refused login (:meth:`greeter.delivery.Deliverer.halt`).
    """


def login_refused(exc: BaseException) -> bool:
    """Whether opening a connection failed because of our login settings, for good.

    A 5xx answer to AUTH (535 "credentials invalid", 534, 538): the username or
    password in the config is wrong, which no retry cures; or a username set
    for a server that offers no AUTH greeter can use (:class:`LoginUnavailable`);
    or ``delivery.smtp.security`` that does not fit the server (:class:`SecurityMismatch`).
    A 454 ("temporary authentication failure") is the server's passing trouble.
    """
    if isinstance(exc, (LoginUnavailable, SecurityMismatch)):
        return True
    return isinstance(exc, aiosmtplib.SMTPAuthenticationError) and 500 <= exc.code < 600


def halt_kind_of(exc: BaseException) -> str | None:
    """Which setting stops a batch at this failure to connect (a key of ``HALT_WORDS``), or None."""
    if isinstance(exc, SecurityMismatch):
        return SECURITY_MISMATCH
    if isinstance(exc, LoginUnavailable):
        return LOGIN_MISMATCH
    return LOGIN_REFUSED if login_refused(exc) else None


_ENHANCED_5_7 = re.compile(r"^\s*5\.7\.\d{1,3}\b")
_ANY_ENHANCED = re.compile(r"^\s*\d\.\d{1,3}\.\d{1,3}\b")
_TLS_WORDS = re.compile(r"\bSTARTTLS\b|\bTLS\b", re.IGNORECASE)


#: The password's settings, for a config that names neither.
_NO_PASSWORD_SETTING = "the password's variable (delivery.smtp.password_env or password_file)"


def password_source(settings: SmtpSettings) -> str:
    """Where the config says the SMTP password comes from, in words naming the setting."""
    if settings.password_env:
        return f"the password in ${settings.password_env} (delivery.smtp.password_env)"
    if settings.password_file:
        return f"the password in {settings.password_file} (delivery.smtp.password_file)"
    return _NO_PASSWORD_SETTING


def login_required(
    code: int, message: str, *, logged_in: bool, secured: bool = False, password: str = _NO_PASSWORD_SETTING
) -> str | None:
    """What to set when a refusal of MAIL FROM or RCPT TO says the server wants a login we did not make.

    None when the reply is not that (the letter's own refusal, handled as before).

    The rule: reply code **530**, with an enhanced status of class 5.7 (or none
    at all), on a connection greeter did **not** log in on (no
    ``delivery.smtp.username``). RFC 4954 §6 reserves "530 5.7.0
    Authentication required" for any command but AUTH, EHLO, HELO, NOOP, RSET
    and QUIT when the server's policy wants a login and none is in force;
    Exchange says "530 5.7.1 Client was not authenticated", Exchange Online
    "530 5.7.57". It refuses every letter alike, so it stops the batch like a
    535. RFC 3207 gives 530 to a client that must say STARTTLS first ("530
    5.7.0 Must issue a STARTTLS command first"): the same kind of
    configuration error, but of ``delivery.smtp.security`` — when the
    connection is not ``secured`` already (then it is the login again).

    Not this, and still refusals of the one letter: 550/553/554 5.7.1 (relay
    denied, sender address rejected, policy or spam blocks — a per-recipient
    or per-message refusal); a 530 after greeter did log in (the server took
    the login and still refuses: no username to set); a 530 with an enhanced
    status outside 5.7 (not an authentication answer).

    The words say what greeter did (no login: it was not asked to make one)
    and every setting to change: ``delivery.smtp.username``, ``password``
    (:func:`password_source`) and, on a connection not secured yet,
    ``delivery.smtp.security`` — most servers offer AUTH only over TLS.
    """
    if code != 530 or logged_in:
        return None
    if _ANY_ENHANCED.match(message) and not _ENHANCED_5_7.match(message):
        return None
    said = " ".join(f"{code} {message}".split())
    if _TLS_WORDS.search(message) and not secured:
        return f"the server requires TLS first ({said}): set delivery.smtp.security: starttls"
    tls = "" if secured else "; if it offers AUTH only over TLS, also delivery.smtp.security: starttls"
    return (
        f"the server requires a login ({said}) and greeter made none (no delivery.smtp.username): "
        f"set delivery.smtp.username and {password}{tls}"
    )


def why_not_connected(exc: BaseException, limit: float) -> str:
    """A short human reason for a failed connection, without aiosmtplib's repetition of host and port.

    Never the exception's own ``str()`` for a reply: that is a tuple,
    ``(535, '5.7.8 Authentication credentials invalid')``.
    """
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return f"login refused: {exc.code} {exc.message}"
    if isinstance(exc, (LoginUnavailable, SecurityMismatch)):
        return str(exc)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"refused: {exc.code} {exc.message}"
    if isinstance(exc, aiosmtplib.SMTPConnectTimeoutError):  # connected, but no greeting (220)
        return f"no greeting within {limit:g} s"
    if isinstance(exc, aiosmtplib.SMTPTimeoutError):  # greeted, then silent at EHLO, STARTTLS or AUTH
        return f"no reply within {limit:g} s while opening the connection"
    cause = exc.__cause__ if isinstance(exc, aiosmtplib.SMTPConnectError) and exc.__cause__ else exc
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused (is the SMTP server running on that port?)"
    if isinstance(cause, socket.gaierror):
        return f"unknown host ({cause.strerror})"
    if isinstance(cause, TimeoutError):
        return f"timed out (no connection within {limit:g} s)"
    if isinstance(cause, ssl.SSLError):
        if cause.reason == "WRONG_VERSION_NUMBER":  # the server answered in plain text
            return (
                "TLS failed: the server does not speak TLS on this port (security: tls is implicit "
                "TLS, usually port 465; use security: starttls for port 587, none for a local relay)"
            )
        return f"TLS failed: {cause.reason or cause}"
    return str(cause) or type(cause).__name__


@dataclass(frozen=True, slots=True)
class ProbeFailure:
    """Why :meth:`~greeter.smtp_transport.SmtpTransport.probe` could not open a connection (or
    the envelope was refused), in words, and whether it was our login or another setting a send
    would stop at."""

    why: str
    #: What a send would stop at (:func:`halt_kind_of`, :func:`login_required`), or None. Any but
    #: ``LOGIN_REFUSED``: ``why`` already names the setting to change (a 535's words do not).
    halt_kind: str | None = None

    @property
    def setting(self) -> str:
        """The setting ``why`` is about."""
        return "delivery.smtp.security" if self.halt_kind == SECURITY_MISMATCH else "delivery.smtp"
