"""The contact record every other module works with.

A :class:`Contact` is plain, immutable data built by a source (CSV, XLSX, SQL)
from one row. It carries its own row number so any later problem (a template
that fails for it, an implausible date) can still name the place to fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from greeter.slots_init import slots_init

#: What a contact's text may not hold where it can reach a header: C0 controls (incl. TAB, CR,
#: LF, NUL), DEL, C1 controls (incl. NEL U+0085), the Unicode line/paragraph separators and lone
#: surrogates. The one definition for both ends: :func:`greeter.message.validate_header_value`
#: refuses them when a letter is built, and :class:`greeter.sources.rows.RowParser` rejects a row
#: holding one at load, so ``check`` and ``preview`` see the row a ``send`` would hold.
UNSAFE_IN_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_EMPTY: Mapping[str, str] = MappingProxyType({})
_NO_DATES: Mapping[str, date] = MappingProxyType({})
_ASCII_EMAIL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
                          r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")  # fmt: skip


def valid_email(text: str) -> str | None:
    """The address as greeter uses it, or None if it is not a valid one; fast path for plain ASCII.

    The one rule for every address greeter takes in: a contact's e-mail
    (:class:`greeter.sources.rows.RowParser`) and the do-not-contact list
    (:mod:`greeter.suppression`). ``text`` is taken as given (strip it first).
    email_validator is imported here, not at the top: most exports never need it, and
    importing it (with its IDNA tables) cost every greeter command ~40 ms of start-up.
    """
    if _ASCII_EMAIL.fullmatch(text):
        return text
    from email_validator import EmailNotValidError, validate_email

    try:
        return str(validate_email(text, check_deliverability=False).normalized)
    except EmailNotValidError:
        return None


#: Languages whose names are written family name first: "Kovács Béla", not "Béla Kovács".
FAMILY_NAME_FIRST: frozenset[str] = frozenset({"hu"})


def family_name_first(locale: str | None) -> bool:
    """Whether a person of ``locale`` writes the family name first (Hungarian: Eastern name order).

    The one rule for every place a name is written whole: the salutation
    ("Tisztelt Kovács Béla"), the To: header, ``{{ contact }}``, ``|name(…, 'full')``,
    the preview's table, gallery and calendar.
    """
    return locale is not None and locale.replace("-", "_").partition("_")[0].lower() in FAMILY_NAME_FIRST


def ordered_name(first: str, patronymic: str, last: str, locale: str | None) -> str:
    """The name's parts in the order ``locale``'s people write them, empty parts left out."""
    parts = (last, first, patronymic) if family_name_first(locale) else (first, patronymic, last)
    return " ".join(p for p in parts if p)


def email_key(address: str) -> str:
    """How the do-not-contact list compares addresses: case-folded, as the planner folds ``contact.email``."""
    return address.strip().casefold()


class Gender(StrEnum):
    """Grammatical gender for addressing; ``UNKNOWN`` selects neutral wording."""

    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


@slots_init
@dataclass(frozen=True, slots=True)
class Contact:
    """One client to greet, identified by the CRM's id (stable across re-exports)."""

    id: str
    email: str | None
    first_name: str = ""
    patronymic: str = ""
    last_name: str = ""
    #: Explicit gender from the source; ``None`` means "derive from the name".
    gender: Gender | None = None
    company: str = ""
    timezone: str | None = None
    locale: str | None = None
    #: ISO code of the country whose public holidays are the contact's days off (None: the default).
    country: str | None = None
    tier: str | None = None
    tags: frozenset[str] = frozenset()
    #: Named dates (``birthday``, ``company_founded``, ``first_deal``, custom).
    dates: Mapping[str, date] = field(default_factory=lambda: _NO_DATES)
    #: Date fields present in the row but unusable, with the reason (31.02, future year).
    bad_dates: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    #: Remaining source columns, available to templates as ``contact.extra``.
    extra: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    #: Where the contact came from, for messages: file name and 1-based row number.
    source: str = ""
    row: int = 0

    @property
    def display_name(self) -> str:
        """The full name in the order the contact's language writes it: "Иван Петрович Сидоров",
        "Kovács Béla" (:func:`family_name_first`), for the To: header and every list of contacts."""
        return ordered_name(self.first_name, self.patronymic, self.last_name, self.locale)
