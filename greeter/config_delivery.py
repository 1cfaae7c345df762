"""The config's ``delivery`` and ``unsubscribe`` sections: SMTP, rate limits, retries, DKIM,
extra headers and the one-click unsubscribe, each validated with a message naming the setting.

Split out of :mod:`greeter.config` so that each module stays small enough to read;
:mod:`greeter.config` re-exports these names.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Final, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, field_validator, model_validator

from greeter.config_base import DOMAIN, HTTPS_URL, SELECTOR, _Model, config_address, no_entries, no_items
from greeter.contacts import UNSAFE_IN_HEADER
from greeter.errors import SettingError, UnsafeHeaderError


class SmtpSettings(_Model):
    host: str = "localhost"
    port: int = Field(default=25, ge=1, le=65535)
    security: Literal["none", "starttls", "tls"] = "none"
    username: str | None = None
    password_env: str | None = Field(default=None, description="Environment variable with the password")
    password_file: Path | None = Field(default=None, description="File holding the password")
    timeout_seconds: float = Field(default=30, gt=0)
    pool_size: int = Field(default=4, ge=1, le=64)
    helo_name: str | None = Field(
        default=None,
        description="The name greeter gives in EHLO (this host's public name, e.g. mail.romashka.ru); "
        "unset: the host's own fully qualified name, often 'localhost', which receivers penalise",
    )

    @field_validator("password_env")
    @classmethod
    def _env_name(cls, v: str | None) -> str | None:
        return None if v is None else env_var_name(v, "password_env", "GREETER_SMTP_PASSWORD", "password")

    @field_validator("helo_name")
    @classmethod
    def _hostname(cls, v: str | None) -> str | None:
        """A fully qualified host name (RFC 5321 §4.1.1.1): it is written into the EHLO line verbatim."""
        return None if v is None else helo_hostname(v)


#: A host name of dot-separated LDH labels (RFC 1123 §2.1), the form EHLO's Domain takes.
_HOST_LABEL: Final = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


def helo_hostname(text: str) -> str:
    """``text`` as the EHLO name, or ``ValueError`` saying why a receiver would frown at it.

    The name goes onto the wire inside the EHLO command, so a space or a line
    break would split the command; a bare word (``localhost``, ``vm``) is what
    many receivers score as spam or refuse ("need fully-qualified hostname"),
    which is the reason to set this at all. An address literal (``[192.0.2.1]``)
    is legal but equally penalised, so it is not offered.
    """
    name = text.strip().rstrip(".")
    labels = name.split(".")
    if len(name) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise ValueError(
            "should be a host name such as 'mail.romashka.ru' (Latin letters, digits, '-' and '.')"
        )
    if len(labels) < 2 or name.lower().endswith(("localhost", "localdomain")):
        raise ValueError(
            f"{name!r} is not a fully qualified name: receivers penalise a bare or local EHLO name; "
            "use this host's public name, e.g. 'mail.romashka.ru'"
        )
    return name


class RateLimit(_Model):
    per_second: float | None = Field(default=None, gt=0)
    per_minute: float | None = Field(default=None, gt=0)
    per_day: int | None = Field(default=None, gt=0)


class Retry(_Model):
    initial_seconds: float = Field(default=60, gt=0)
    factor: float = Field(default=2.0, ge=1)
    max_seconds: float = Field(default=3600, gt=0)


class DkimSettings(_Model):
    """Sign every letter so receivers can verify it really comes from your domain."""

    domain: str = Field(pattern=DOMAIN, description="d= (usually the From: domain)")
    selector: str = Field(pattern=SELECTOR, description="s= (the DNS record name)")
    key_file: Path = Field(description="PEM private key file (never inline)")


class Delivery(_Model):
    transport: Literal["file", "smtp"] = "file"
    outbox: Path = Field(default=Path("data/outbox"), description="Folder for the file transport")
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    rate_limit: RateLimit = Field(default_factory=RateLimit)
    retry: Retry = Field(default_factory=Retry)
    dkim: DkimSettings | None = None
    return_path: str | None = Field(
        default=None,
        description="Envelope sender (SMTP MAIL FROM) where relays send bounces, e.g. bounces@romashka.ru; "
        "unset: sender.email",
    )
    headers: dict[str, str] = Field(
        default_factory=no_entries,
        description="Extra fixed headers on every letter, e.g. {Feedback-ID: 'greet:romashka', "
        "X-Mailru-Msgtype: greet}; not the headers greeter writes itself",
    )
    build_processes: int | None = Field(
        default=None,
        ge=0,
        le=64,
        description="Processes rendering a large send's letters: unset = CPUs - 1, 0 = none (all in one)",
    )

    @field_validator("return_path")
    @classmethod
    def _bounce_address(cls, v: str | None) -> str | None:
        """One plain address, checked as sender.email is (:func:`config_address`): it goes into MAIL FROM."""
        return None if v is None else config_address(v)

    @field_validator("headers")
    @classmethod
    def _extra_headers(cls, v: dict[str, str]) -> dict[str, str]:
        for name, value in v.items():
            problem = extra_header_problem(name, value)
            if problem is not None:
                raise SettingError(problem, name)
        return v


#: RFC 5322 §3.6.8 ftext: printable ASCII except the colon, at least one character.
_FIELD_NAME: Final = re.compile(r"[\x21-\x39\x3b-\x7e]+")
#: Headers greeter writes (or that the path adds) itself: a second one from the config would
#: make two From:s, two Subjects, a Content-Type that contradicts the body, or a forged trace.
OWN_HEADERS: Final = frozenset({
    "from", "sender", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version", "reply-to",
    "return-path", "received", "dkim-signature", "auto-submitted", "x-auto-response-suppress",
    "in-reply-to", "references", "authentication-results",
})  # fmt: skip
#: Header families greeter writes itself, by the start of their name.
OWN_HEADER_PREFIXES: Final = ("content-", "list-unsubscribe", "arc-")
#: Longest extra header value: folded, it stays far below the 998-octet line limit either way.
MAX_HEADER_VALUE: Final = 900


def extra_header_problem(name: str, value: str) -> str | None:
    """Why ``name: value`` cannot be one of ``delivery.headers``, or None if it can.

    The name is written into every letter as it stands, so it must be an RFC
    5322 field name; a header greeter sets itself is refused rather than
    doubled (two Subjects, or a Content-Type contradicting the body). The
    value must be one line: a CR or LF would start a header of the config's
    choosing in every letter. Non-ASCII is fine: :mod:`greeter.message`
    writes it as RFC 2047 encoded-words.
    """
    if _FIELD_NAME.fullmatch(name) is None:
        return (
            f"{name!r} is not a header name: Latin letters, digits and '-' (e.g. 'Feedback-ID'), "
            "no spaces or ':'"
        )
    lower = name.lower()
    if lower in OWN_HEADERS or lower.startswith(OWN_HEADER_PREFIXES):
        return f"{name!r} is a header greeter writes itself; delivery.headers may only add others"
    bad = UNSAFE_IN_HEADER.search(value)
    if bad is not None:
        return (
            f"the value of {name} has a control or line-break character (U+{ord(bad.group()):04X}): "
            "a header value is one line"
        )
    if not value.strip():
        return f"the value of {name} is empty"
    if len(value) > MAX_HEADER_VALUE:
        return f"the value of {name} is longer than {MAX_HEADER_VALUE} characters"
    return None


#: An environment variable's name, as a shell writes one.
_ENV_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def env_var_name(value: str, setting: str, example: str, what: str) -> str:
    """``value`` if it is a variable's name; else the one refusal every ``*_env`` setting gives.

    A password or secret pasted where its variable's name goes would be
    repeated by each later "variable … is not set" message (``check``,
    ``send``, the daemon's log): the refusal names the setting, never the value.
    """
    if not _ENV_NAME.fullmatch(value):
        raise ValueError(f"{setting} names an environment variable (e.g. {example}), never the {what} itself")
    return value


def _one_or_list(value: object) -> object:
    """One name where a list goes (``previous_secret_env: OLD``) is a list of one."""
    return [value] if isinstance(value, str) else value


#: ``mailto:ADDRESS`` with an optional ``?query``: the address part is checked like any other.
_MAILTO_URI: Final = re.compile(r"(?i)mailto:([^?]*)(\?.*)?", re.DOTALL)


class Unsubscribe(_Model):
    mailto: str | None = Field(
        default=None,
        description="Address (or mailto: URI) receiving unsubscribe mails; unset: where replies go "
        "(sender.reply_to, else sender.email)",
    )
    url: str | None = Field(default=None, pattern=HTTPS_URL, description="One-click base URL")
    secret_env: str | None = Field(default=None, description="Env var with the HMAC secret")
    secret_file: Path | None = Field(
        default=None,
        description="File holding the HMAC secret (a mounted secret), instead of secret_env",
    )
    previous_secret_env: Annotated[
        list[str],
        BeforeValidator(_one_or_list),
        WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
    ] = Field(
        default_factory=no_items,
        description="Env var(s) with secrets replaced by secret_env: links in letters already sent "
        "keep working; new ones are signed with secret_env",
    )
    #: The old key of a rotated ``secret_file`` (a mounted secret), as ``previous_secret_env`` is
    #: for a variable: a pod whose secrets are all files needed a variable just for the old one.
    previous_secret_file: Annotated[
        list[Path],
        BeforeValidator(_one_or_list),
        WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
    ] = Field(
        default_factory=no_items,
        description="File(s) holding secrets replaced by the current one (mounted secrets): links in "
        "letters already sent keep working; new ones are signed with the current one",
    )

    @field_validator("mailto")
    @classmethod
    def _mailto_address(cls, v: str | None) -> str | None:
        """An address, or a ``mailto:`` URI of one: checked as the sender's are (IDN → punycode)."""
        if v is None:
            return None
        uri = _MAILTO_URI.fullmatch(v)
        if uri is None:
            return config_address(v)
        query = uri[2] or ""
        bad = UNSAFE_IN_HEADER.search(query)
        if bad is not None or " " in query:
            raise ValueError("a mailto: link's ?query may hold no spaces or control characters")
        return _in_every_letter(f"mailto:{config_address(uri[1])}{query}", url=False)

    @field_validator("url")
    @classmethod
    def _one_click_link(cls, v: str | None) -> str | None:
        """A base every letter's link (``<url>/<token>``) can be made of: ``https://…/unsub>, <mailto:…``
        starts with https:// but would end the header's link and add one of its own."""
        return None if v is None else _in_every_letter(v, url=True)

    @field_validator("secret_env")
    @classmethod
    def _env_name(cls, v: str | None) -> str | None:
        """A variable's name: a secret pasted here would be repeated by every "is not set" message."""
        return None if v is None else env_var_name(v, "secret_env", "GREETER_UNSUBSCRIBE_SECRET", "secret")

    @field_validator("previous_secret_env")
    @classmethod
    def _env_names(cls, v: list[str]) -> list[str]:
        for i, name in enumerate(v):
            try:
                env_var_name(name, "previous_secret_env", "GREETER_UNSUBSCRIBE_SECRET_OLD", "secret")
            except ValueError as exc:
                raise SettingError(str(exc), i) from None
        return v

    @model_validator(mode="after")
    def _secret_for_url(self) -> Unsubscribe:
        if self.secret_env and self.secret_file:
            # Not "the variable wins" as for the SMTP password: a key read from the other place
            # than the operator thinks signs links that a daemon reading the right one refuses.
            raise SettingError(
                "set secret_env or secret_file, not both (one key signs the links)", "secret_file"
            )
        if self.url and not self.has_secret:
            raise SettingError(
                "an unsubscribe url needs secret_env or secret_file (the token signing key)", "url"
            )
        for previous in ("previous_secret_env", "previous_secret_file"):
            if getattr(self, previous) and not self.has_secret:
                raise SettingError(
                    f"{previous} needs secret_env or secret_file (the current key, which signs new links)",
                    previous,
                )
        return self

    @property
    def has_secret(self) -> bool:
        """Whether a signing key is named: ``secret_env`` or ``secret_file``."""
        return bool(self.secret_env or self.secret_file)


def _in_every_letter(value: str, *, url: bool) -> str:
    """``unsubscribe.mailto`` (or ``.url``) if every letter's ``List-Unsubscribe`` can carry it,
    else ``ValueError``: judged by the message builder's rule itself
    (:func:`greeter.message.list_unsubscribe`), the URL as a letter's link is made of it
    (:func:`greeter.unsubscribe.letter_url`), so no value passes here that ``send`` would hold
    every letter for.
    """
    from greeter.message import list_unsubscribe  # imports greeter.config
    from greeter.unsubscribe import letter_url

    try:
        if url:
            list_unsubscribe(None, letter_url(value, None, "client@example.com"))
        else:
            list_unsubscribe(value, None)
    except UnsafeHeaderError as exc:
        raise ValueError(f"{exc.problem}: no letter's List-Unsubscribe: header can carry it") from None
    return value
