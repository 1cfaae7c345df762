"""The config models' common ground: the base model every section extends, the text patterns
with the words a person reads for each, and the rule every address setting follows (the
error that names the setting to fix is :class:`greeter.errors.SettingError`).

Also the one test every file a setting names passes before it is opened (:func:`not_a_file`).

Split out of :mod:`greeter.config` (with :mod:`greeter.config_delivery`) so that each module
stays small enough to read; :mod:`greeter.config` re-exports these names.
"""

from __future__ import annotations

import os
import stat
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Final

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationInfo, field_validator

from greeter.contacts import UNSAFE_IN_HEADER, email_in_cell, smtputf8_only
from greeter.errors import UnsafeHeaderError


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_for_a_number(cls, value: object, info: ValidationInfo) -> object:
        """``round_years: true`` is a mistake, not 1: a boolean where a number goes is refused.

        Pydantic's lax mode reads ``true`` as 1 for an ``int`` (or ``float``)
        field, so a marketer's ``round_years: true`` greeted every year and
        ``check`` said OK. Strict ints would refuse it too, but also the text
        this config reads on purpose ("10:00", dates); one rule on every
        model's numeric fields refuses the booleans alone.
        """
        if isinstance(value, bool) and info.field_name is not None:
            kinds = _number_kinds(cls.model_fields[info.field_name].annotation)
            if kinds and bool not in kinds:
                raise ValueError(
                    _number_wanted(info.field_name, cls.model_fields[info.field_name].default, value)
                )
        return value


def _number_kinds(annotation: object) -> set[object]:
    """The types a numeric field takes (``int``, ``int | None``, ``PositiveInt``); empty for any other."""
    kinds: set[object] = set()
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    for tp in typing.get_args(annotation) if union else (annotation,):
        while typing.get_origin(tp) is Annotated:  # PositiveInt is Annotated[int, Gt(0)]
            tp = typing.get_args(tp)[0]
        kinds.add(tp)
    kinds.discard(type(None))
    return kinds if kinds and kinds <= {int, float, bool} else set()


def no_entries() -> dict[Any, Any]:
    """A mapping setting's default (``Field(default_factory=no_entries)``): an empty dict.

    Not ``default_factory=dict``: building each model, pydantic asks
    :func:`inspect.signature` of every default factory whether it takes the
    validated data, and a builtin's signature is parsed from its text with
    :mod:`tokenize` — whose pattern compiling and tokenising were ~14 M
    instructions of every command's start (callgrind, the send path's
    imports). A function's signature is read from its code object.
    """
    return {}


def no_items() -> list[Any]:
    """A list setting's default (``Field(default_factory=no_items)``): an empty list; why not
    ``default_factory=list``: :func:`no_entries`."""
    return []


#: What a number counts, by the end of its setting's name: ``round_years`` is a number of years.
_UNITS: Final = ("years", "days", "seconds", "minutes")


def _number_wanted(name: str, default: object, value: bool) -> str:
    """``expected a number of years like 5, got true``: the unit from the name, the example its default."""
    unit = next((f"a number of {u}" for u in _UNITS if name.endswith(u)), "a number")
    example = default if isinstance(default, int | float) and not isinstance(default, bool) and default else 5
    return f"expected {unit} like {example}, got {str(value).lower()}"


# The config's text patterns, and how each reads to a person: a value that does not match is
# reported in these words (greeter.config_loader), never as the regular expression.
EMAIL: Final = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
LOCALE: Final = r"^[a-z]{2,3}([_-][A-Za-z]{2,4})?$"
COUNTRY: Final = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"
MACHINE_NAME: Final = r"^[a-z][a-z0-9_]*$"
TEMPLATE_NAME: Final = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
DOMAIN: Final = r"^[A-Za-z0-9.-]+$"
SELECTOR: Final = r"^[A-Za-z0-9._-]+$"
INSTANCE_NAME: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
HTTPS_URL: Final = r"^https://"
STORAGE_URL: Final = r"^(sqlite|postgresql)://"
PATTERN_WORDS: Final = {
    EMAIL: "is not an e-mail address (name@example.com)",
    LOCALE: "should be a language code such as 'ru', 'en' or 'sr_Latn'",
    COUNTRY: "should be a two-letter country code in capitals, such as 'RU', or with its region as in "
    "ISO 3166-2, such as 'GB-ENG' or 'US-NY'",
    MACHINE_NAME: "should be lower-case Latin letters, digits and '_', from a letter on (e.g. 'new_year')",
    TEMPLATE_NAME: "should be a template name without its suffix: Latin letters, digits, '_' and '-'",
    DOMAIN: "should be a domain name such as 'romashka.example'",
    SELECTOR: "should be a DNS label such as 'greeter2026'",
    INSTANCE_NAME: "should be a short name such as 'romashka': up to 64 Latin letters, digits, '.', '_' and"
    " '-', from a letter or digit on",
    HTTPS_URL: "should start with https://",
    STORAGE_URL: "should start with sqlite:// or postgresql://: sqlite:///data/journal.sqlite3 (beside"
    " the config), sqlite:////var/lib/greeter/journal.sqlite3 (an absolute path: four slashes) or"
    " postgresql://greeter@db.example/crm?schema=greeter",
}


def config_address(text: str) -> str:
    """The address a config setting names, as greeter sends to it; ``ValueError`` saying why not.

    The same rule a contact's e-mail gets (:func:`greeter.contacts.valid_email`
    through :func:`~greeter.contacts.email_in_cell`), so an internationalised
    domain (``greetings@ромашка.рф``) becomes its punycode form, which every
    SMTP server takes and the Message-ID can name. Checked at load, so
    ``check``, ``preview`` and ``send`` stop at the setting's line instead of
    ``send`` failing every letter at build time with the header's complaint.
    A name with the address (``Ольга <manager@…>``) is refused, not guessed at:
    these settings are one address each (the From: name is ``sender.name``).
    Last, the message builder's own address rule
    (:func:`greeter.message.validate_address`) has its say, so no address
    passes here that every letter would be held for.
    """
    bad = UNSAFE_IN_HEADER.search(text)
    if bad is not None:
        raise ValueError(f"has a control or line-break character (U+{ord(bad.group()):04X})")
    address, note = email_in_cell(text)
    if address is None:
        raise ValueError("is not an e-mail address (name@example.com)" + (f": {note}" if note else ""))
    if note:
        raise ValueError(f"write the bare address, {address!r}: this setting takes one address, no name")
    if smtputf8_only(address):
        raise ValueError(
            f"{address.partition('@')[0]!r} before the @ is not Latin: such an address needs SMTPUTF8, "
            "which greeter does not speak; use an address with a Latin name before the @"
        )
    from greeter.message import validate_address  # the builder's rule, checked last

    try:
        return validate_address("", address)
    except UnsafeHeaderError as exc:  # e.g. longer than the 254 characters an address may have
        raise ValueError(f"{exc.problem}: no letter can carry it") from None


def header_text(value: str) -> str:
    """``value`` if the message builder writes it into a header, else ``ValueError`` with its reason.

    For a setting written into every letter's headers as it stands
    (``sender.name``, a ``by_locale`` name: the From: line): judged by
    :func:`greeter.message.validate_header_value` itself, after the strip the
    builder gives it, so the loader refuses exactly what ``send`` would hold
    every letter for — at the setting's line, for ``check`` too, which used
    to say OK to a ``sender.name`` holding U+2028 and ``Bcc:``.
    """
    from greeter.message import validate_header_value  # imports greeter.config

    try:
        validate_header_value("", value.strip())
    except UnsafeHeaderError as exc:
        raise ValueError(f"{exc.problem}: a header is one line, and send would hold every letter") from None
    return value


#: A setting written into every letter's headers (:func:`header_text`), not empty.
HeaderText = Annotated[str, StringConstraints(min_length=1), AfterValidator(header_text)]


def not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, told without opening it; None for a file or nothing there.

    A setting that names a file (``contacts.path``, a calendar, the DKIM key)
    was opened and read whole: ``/dev/zero`` filled the memory (an "internal
    error", exit 3) and a named pipe blocked ``check`` and the daemon forever,
    waiting for a writer. Only :func:`os.stat` looks, which opens nothing. A
    path that is not there, or cannot be looked at, is left to the code that
    opens it, which already says so in its own words.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # ValueError: a NUL byte in the path
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    return f"{path} is {kind}, not a file"
