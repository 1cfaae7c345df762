"""What templates see: read-only views of a letter's contact, its sender and its merged occasions.

Split from :mod:`greeter.template_env` so that the data a template may read
is reviewed apart from what it may call (:mod:`greeter.template_filters`) and
the sandbox it runs in. Nothing here is callable from a template: the views
are plain strings and read-only mappings (see ``greeter/render.py``'s
docstring for the security rules).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from types import MappingProxyType
from typing import Any, Final

from greeter.addressing import gender_of
from greeter.contacts import Contact, academic_titles

__all__ = ["VIEW_FIELDS", "AlsoView", "ContactView", "SenderView", "contact_view"]


@dataclass(frozen=True, slots=True)
class ContactView:
    """The contact as templates see it: plain strings and read-only mappings, nothing callable.

    The underlying :class:`Contact` is kept under an underscore name, which the
    sandbox never lets a template read; only the ``name`` filter uses it.
    """

    id: str
    #: The first and last name without the academic titles a CRM typed into them («Prof. Dr. Klaus»
    #: → «Klaus»): the shipped English letters say "Happy birthday, Klaus!", not "…, Prof. Dr.
    #: Klaus!"; the titles are in :attr:`titles`, and in the salutation and ``full_name``.
    first_name: str
    patronymic: str
    last_name: str
    full_name: str
    #: Academic titles typed in either name column, once («Prof. Dr.»; "" for none).
    titles: str
    company: str
    email: str
    tier: str
    tags: frozenset[str]
    locale: str
    gender: str
    dates: Mapping[str, date]
    extra: Mapping[str, str]
    _contact: Contact = field(repr=False)
    #: The language of the letter being rendered ("ru" for a Russian file read by a ``uk``
    #: contact): its rules decline the name (see :func:`greeter.addressing.decline`).
    _language: str | None = field(default=None, repr=False, compare=False)
    #: The ``name`` filter's results for this letter, by (case, parts):
    #: see :func:`greeter.template_filters._name_filter`.
    _names: dict[tuple[str, str], str] = field(default_factory=dict, repr=False, compare=False)

    def __str__(self) -> str:
        return self.full_name


@dataclass(frozen=True, slots=True)
class SenderView:
    """Who signs the letters (config ``sender``), without pydantic's methods."""

    name: str
    email: str
    company: str
    signature: str
    #: ``sender.reply_to``, ``""`` when not set: where replies go is ``sender.reply_to or sender.email``.
    reply_to: str = ""


class AlsoView(dict[str, Any]):
    """One occasion merged into a letter (an item of ``also``): ``{occasion, title, date, years, …}``.

    …and ``belated`` and ``early``, which say whether its day is past or still ahead on the
    day the letter leaves (``send_date``), so that a language's ``also_line``
    need not work it out from ``date`` (the shipped ones predate them).

    A mapping, so ``a.occasion``, ``a["occasion"]``, ``a.get("title")`` work as
    they always did (the immutable sandbox refuses ``a.update(…)`` as on any
    dict). What a plain dict lacked is how it *prints*: ``{{ also|join(", ") }}``
    or ``{{ a }}`` wrote Python's notation into a client's letter (``{'occasion':
    'new_year', …, 'date': datetime.date(2026, 12, 29), …}``). It prints as its
    ``title`` ("Новый год"), else the occasion's name in words ("new year").
    """

    __slots__ = ()

    def __str__(self) -> str:
        title = self.get("title")
        return title if isinstance(title, str) and title else str(self.get("occasion", "")).replace("_", " ")


def contact_view(contact: Contact, locale: str, language: str | None = None) -> ContactView:
    """The contact for a letter; ``language`` is the letter's (its ``lang``), which declines the name.

    Kept on the view rather than read from the template context, so that a
    macro imported without context (``_ru.j2``) declines as the letter does.
    """
    # A module function, not a classmethod: the views expose no callables to templates.
    titled = academic_titles(contact.first_name, contact.last_name)
    return ContactView(
        id=contact.id,
        first_name=titled.first,
        patronymic=contact.patronymic,
        last_name=titled.last,
        full_name=contact.display_name,
        titles=titled.titles,
        company=contact.company,
        email=contact.email or "",
        tier=contact.tier or "",
        tags=contact.tags,
        locale=locale,
        gender=gender_of(contact).value,
        dates=_read_only(contact.dates),
        extra=_read_only(contact.extra),
        _contact=contact,
        _language=language,
    )


#: Public data fields of the views, readable without the sandbox's per-access checks.
VIEW_FIELDS: Final[dict[type, frozenset[str]]] = {
    cls: frozenset(f.name for f in fields(cls) if not f.name.startswith("_"))
    for cls in (ContactView, SenderView)
}


def _read_only(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping if isinstance(mapping, MappingProxyType) else MappingProxyType(dict(mapping))
