"""What a row's warning says about an e-mail cell greeter loads differently from how it was written — pure.

Each is a warning, never a rejected row: the rest of the contact is fine, and
a rejection made ``check`` and ``preview`` exit 1 on every run for data that
is not wrong. The texts live here, apart from the row parser, so that each
says the whole story (what was taken, what the letter does, what to change in
the CRM) without the parser growing with every case.
"""

from __future__ import annotations

from collections.abc import Sequence

from greeter.sources.quote import quoted

__all__ = [
    "domain_typo_warning",
    "local_part_not_ascii",
    "no_email",
    "not_listed",
    "passed_over",
    "several_addresses",
    "shared_mailbox",
]


def domain_typo_warning(cell: str, address: str, meant: str) -> str:
    """An address at a misspelt provider (``gmial.com``): loaded, but say what was meant.

    Never a rejection: a company may own a domain that looks like a typo,
    and the letter goes to the address as written. Without the warning,
    its bounce (or its silence) is the first anyone hears of it.
    """
    local, _, domain = address.rpartition("@")
    return (
        f"{quoted(cell)}: the domain {domain!r} looks like a typo of {meant!r} ({local}@{meant}?);"
        " the letter goes to the address as written: correct it in the CRM if so"
    )


def shared_mailbox(email: str, owner: str, row: int | None) -> str:
    """A second contact with an address: the first (``owner``, on ``row``) keeps it, this one is not greeted.

    Greeter takes an address for one person: the frequency cap, "never
    twice" and a CRM's renumbering are all followed by address, so two
    contacts on one mailbox (a secretary's for two directors, or one client
    entered twice) cannot both be greeted there. The contact loads without an
    e-mail and its greetings are skipped as ``no_email``; the message names
    the contact that keeps the address and both ways out.
    """
    return (
        f"{quoted(email)} is already the e-mail of contact {quoted(owner)} (row {row}), which keeps it:"
        " one address is greeted as one person, so this contact is loaded without an e-mail and"
        " skipped as no_email; give it its own address in the CRM, or clear this e-mail to say so"
    )


def local_part_not_ascii(cell: str) -> str:
    """An address whose local part is not ASCII (``ольга@пример.рф``): no letter can reach it.

    Such a mailbox exists only on servers that speak SMTPUTF8 (RFC 6531), and
    greeter does not: the message builder refuses the address at send time
    (:func:`greeter.message.validate_address`). Loaded with it, the contact
    passed ``check`` and ``preview`` and then failed every ``send`` as a
    render error, nothing journaled, taking the occasions merged into its
    letter with it. So it loads without an e-mail, as a contact without one
    (skipped as ``no_email``), and the warning says what the marketer can do.
    An internationalised domain alone is no problem: its punycode form is
    sent (:func:`greeter.contacts.valid_email`).
    """
    return (
        f"{quoted(cell)} cannot be sent: its local part is not ASCII (needs SMTPUTF8, which greeter"
        " does not use); this contact is loaded without an e-mail and skipped as no_email: ask the"
        " client for another address"
    )


def several_addresses(items: Sequence[tuple[str, str | None]], chosen: int) -> str:
    """A cell listing several addresses (``kuz@firm.ru, d.kuz@gmail.com``): the one greeted, and the rest.

    ``items`` are the cell's items and their addresses
    (:func:`greeter.contacts.listed_addresses`), ``chosen`` the greeted one's
    place. A CRM export writes a contact's addresses so and cannot put them
    in rows of their own, so the row is loaded, not rejected; the warning
    says which address the letters go to, which are not written to, and
    which item is no address at all.
    """
    taken = items[chosen][0]
    key = (items[chosen][1] or "").casefold()
    others = list(dict.fromkeys(t for t, a in items if a is not None and a.casefold() != key))
    bad = [t for t, a in items if a is None]
    if not others and not bad:
        return f"the same address {len(items)} times in one cell: taken once, {taken}"
    which = "the first" if chosen == 0 else "the first valid one"
    notes = [f"not {', '.join(others)}"] if others else []
    if bad:
        notes.append(f"{', '.join(map(quoted, bad))} {'is' if len(bad) == 1 else 'are'} not a valid address")
    return (
        f"{len(items)} addresses in one cell: greeting {which}, {taken} ({'; '.join(notes)}); to greet"
        " another, put it first in the CRM"
    )


def passed_over(invalid: str, greeted: str, column: str) -> str:
    """An e-mail column whose cell is no valid address (``invalid``: the message saying so), passed over
    for a later ``column``'s address ``greeted``.

    A row with several e-mail columns greets the first valid address, as a
    cell listing several does: the client is not lost to a typo in one of
    them. The bad cell is still said at its row, with the address taken
    instead, so that the marketer corrects it or knows where letters go.
    """
    return f"{invalid}; greeting {greeted} from {column!r} instead: correct it in the CRM"


def not_listed(note: str) -> str:
    """What a rejected cell of two addresses that is no plain list (``a@x.ru <b@x.ru>``) should be."""
    return f"{note}: write the addresses alone, separated by commas (the first is greeted)"


def no_email(columns: Sequence[str], elsewhere: str | None) -> str:
    """The warning for a row with no e-mail in any of its e-mail ``columns``, and where there may be one.

    ``elsewhere`` is a column not mapped to ``contacts.columns.email`` whose
    cell holds an address (a Bitrix24 contact with only a «Частный e-mail»):
    the warning names it and the setting that would greet it, instead of
    leaving the marketer to find why a client with an address is skipped.
    Each empty mapped column is named when there are several, so that the
    message says every place looked in.
    """
    skipped = "this contact will be skipped as no_email"
    if elsewhere is None and len(columns) == 1:
        return f"no e-mail; {skipped}"
    looked = ", ".join(map(repr, columns[:-1])) + (" or " if len(columns) > 1 else "") + repr(columns[-1])
    if elsewhere is None:
        return f"no e-mail in {looked}; {skipped}"
    from greeter.sources.header import yaml_value  # only for such a row (header imports the row parser)

    setting = "[" + ", ".join(yaml_value(c) for c in (*columns, elsewhere)) + "]"
    return (
        f"no e-mail in {looked}; {elsewhere!r} holds one: add it to contacts.columns.email"
        f" (email: {setting}); until then {skipped}"
    )
