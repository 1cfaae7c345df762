"""The mail-server side of a send: the secrets it needs, the transport it talks through, and
what the server answered, counted on the wire.

Split from :mod:`greeter.send` (the run's plan-and-deliver shell): ``send``, ``run``,
``check`` and ``test-send`` all ask these, before or around a batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from greeter.config import Settings
from greeter.dkim_sign import read_key
from greeter.errors import ConfigError, Problem
from greeter.journal_store import JournalKey
from greeter.secret_values import at_setting, read_password, read_secret
from greeter.smtp_transport import SmtpTransport
from greeter.transport import FileTransport, OnReady, Outcome, SendResult, Transport
from greeter.unsubscribe import signing_key


def missing_secrets(
    settings: Settings, config_file: Path, *, smtp: bool = True, dkim: bool = True
) -> list[Problem]:
    """The secrets the config names that cannot be read (:func:`checked_secrets`' problems)."""
    return checked_secrets(settings, config_file, smtp=smtp, dkim=dkim)[0]


def checked_secrets(
    settings: Settings, config_file: Path, *, smtp: bool = True, dkim: bool = True
) -> tuple[list[Problem], bytes | None]:
    """The secrets the config names that cannot be read, as the problems :func:`read_secret` raises.

    The SMTP password (with ``transport: smtp``; ``smtp=False`` leaves it out,
    for a dry run that connects to nothing), the unsubscribe secret and the
    previous ones links already sent are checked with, and the DKIM key
    file (``dkim=False`` leaves it out, for check, which reads it once for its own
    warnings too: :func:`greeter.dkim_sign.read_key`): what a send would stop at,
    found before anything is planned or sent (a daemon that started without them failed every run). The values
    read are dropped here, never returned or shown — but the DKIM key, returned with the problems
    (None: not configured, not asked, or refused), for the send to sign with
    (:func:`greeter.dkim_sign.load_signer`): it read the file twice. A file's problem is shown
    at the line of ``config_file`` naming it (:func:`at_setting`).
    """
    wanted: list[tuple[str | None, Path | None, str, tuple[str | int, ...]]] = []
    if smtp and settings.delivery.transport == "smtp":
        server = settings.delivery.smtp
        wanted.append(
            (
                server.password_env,
                server.password_file,
                "SMTP password",
                ("delivery", "smtp", "password_file"),
            )
        )
    unsubscribe = settings.unsubscribe
    current = ("unsubscribe", "secret_file")
    wanted.append((unsubscribe.secret_env, unsubscribe.secret_file, "unsubscribe secret", current))
    old = "previous unsubscribe secret"
    wanted.extend((env, None, old, ()) for env in unsubscribe.previous_secret_env)
    old_files = enumerate(unsubscribe.previous_secret_file)
    wanted.extend((None, path, old, ("unsubscribe", "previous_secret_file", i)) for i, path in old_files)
    problems: list[Problem] = []
    for env, file, what, loc in wanted:
        try:
            value = read_secret(env, file, what)
            if value is not None and what.endswith("unsubscribe secret"):
                # one that one link is enough to guess is refused
                signing_key(env or "", value, what, file=None if env else file)
        except ConfigError as exc:
            problems.extend(exc.problems if env else at_setting(exc.problems, config_file, loc))
    key: bytes | None = None
    try:
        if dkim and settings.delivery.dkim is not None:
            key = read_key(settings.delivery.dkim)  # the DKIM key file: unreadable, or not a key
    except ConfigError as exc:
        problems.extend(exc.problems)
    return problems, key


def make_transport(settings: Settings) -> Transport:
    delivery = settings.delivery
    if delivery.transport == "file":
        return FileTransport(delivery.outbox)
    smtp = delivery.smtp
    password = read_password(smtp.password_env, smtp.password_file, "SMTP password")
    # delivery.return_path (else the From: address each letter passes) is the envelope sender.
    return SmtpTransport(smtp, password, return_path=delivery.return_path)


@dataclass
class WireCounts:
    """What the mail server itself answered in one run, counted as the answers come.

    The journal's summary counts what was *recorded*; these count what
    happened on the wire, which is what matters when the two differ: when the
    journal fails mid-run (letters accepted but not recorded), and for the
    daemon's health (every attempt failed to reach the server).
    """

    attempted: int = 0
    accepted: int = 0
    #: Temporary failures without an SMTP reply: the server could not be reached or dropped us.
    unreachable: int = 0
    #: The first such failure's words ("cannot connect to mx:25: connection refused").
    unreachable_reason: str | None = None
    #: Each accepted letter's key and the server's reply: recorded again if the journal failed.
    accepted_replies: dict[JournalKey, str] = field(default_factory=dict)

    @property
    def server_unreachable(self) -> bool:
        """Letters were due, none was accepted, and every attempt failed to reach the server."""
        return self.attempted > 0 and self.unreachable == self.attempted


class CountingTransport:
    """A transport that counts its results into :class:`WireCounts` and otherwise just passes through."""

    def __init__(self, inner: Transport, counts: WireCounts) -> None:
        self._inner = inner
        self._counts = counts

    async def send(
        self, envelope_from: str, rcpt: str, data: bytes, key: JournalKey, *, ready: OnReady | None = None
    ) -> SendResult | None:
        result = await self._inner.send(envelope_from, rcpt, data, key, ready=ready)
        if result is None:
            return None  # not attempted: the claim said no (see Transport.send)
        counts = self._counts
        counts.attempted += 1
        if result.ok:
            counts.accepted += 1
            counts.accepted_replies[result.key] = result.reply
        elif result.outcome is Outcome.TEMPORARY and result.code is None:
            counts.unreachable += 1
            counts.unreachable_reason = counts.unreachable_reason or result.reply
        return result

    async def close(self) -> None:
        await self._inner.close()
