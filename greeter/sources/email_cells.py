"""Which address a row's e-mail cells give its contact — pure.

One cell may hold one address, a list of them (``kuz@firm.ru, d.kuz@gmail.com``,
as Bitrix24 writes a contact's two) or something that is no address; a row may
have several e-mail columns (``contacts.columns.email`` as a list, «Рабочий
e-mail», «Частный e-mail», «Другой e-mail»). The rule is the same in both: the
first valid address is greeted, and the row's warning names what was passed
over; only when none is valid is the row rejected, as a single cell's invalid
address rejects it. The row parser (:mod:`~greeter.sources.rows`) keeps the
rest: what the chosen address then is (unsendable, a typo'd domain, another
contact's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from greeter.contacts import addresses_in, email_in_cell, listed_addresses, other_listed, smtputf8_only
from greeter.sources import email_notes
from greeter.sources.quote import quoted

__all__ = ["EmailCell", "LaterAddress", "first_listed", "invalid_address", "later_address", "read_email_cell"]

#: An e-mail cell read (:func:`read_email_cell`): the text greeted (the whole cell, or the item of
#: a list taken), its address (None: not valid), what to tell about it ("" if nothing), and, where
#: the cell listed several addresses (the note then says which was taken), the other valid ones
#: (:func:`~greeter.contacts.other_listed`; None: the cell listed none).
EmailCell = tuple[str, str | None, str, tuple[str, ...] | None]
#: A later e-mail column's valid address (:func:`later_address`): its field, the text greeted, the
#: address, the note on it, the other addresses its cell listed (as in :data:`EmailCell`), and the
#: (field, message) of each filled column passed over on the way to it.
LaterAddress = tuple[str, str, str, str, tuple[str, ...] | None, list[tuple[str, str]]]


def read_email_cell(cell: str) -> EmailCell:
    """One e-mail cell (stripped, not empty) read as the row greets it.

    A cell listing several addresses gives its first valid one
    (:func:`first_listed`); two addresses that are no plain list
    (``a@x.ru <b@x.ru>``) are no address, and the note says how to write them.
    """
    checked, note = email_in_cell(cell)
    if checked is not None:
        return cell, checked, note, None
    listed = listed_addresses(cell)
    if listed is not None:  # "kuz@firm.ru, d.kuz@gmail.com": the first valid one, said so
        text, checked, note = first_listed(cell, listed)
        return text, checked, note, other_listed(listed, checked)
    if len(addresses_in(cell)) > 1:  # two, but no list: which is meant?
        note = email_notes.not_listed(note)
    return cell, None, note, None


def invalid_address(text: str, note: str) -> str:
    """The row's message for an e-mail cell ``text`` that holds no valid address (``note``: why)."""
    return f"{quoted(text)} is not a valid e-mail address" + (f": {note}" if note else "")


def later_address(cells: Mapping[str, str], fields: Sequence[str], after: str) -> LaterAddress | None:
    """The first e-mail field after ``after`` (in the order ``fields`` are tried) whose cell holds a
    valid address, with that cell read and each filled cell passed over before it; None if none does.

    Asked only when ``after``'s cell held no valid address: a typo in the
    work e-mail («ivan@mail») cost the client every letter though the private
    one beside it is fine — the row was rejected as a whole. A cell listing
    several addresses already greets its first valid one; the columns of a
    row are read alike.
    """
    passed: list[tuple[str, str]] = []
    for name in fields[fields.index(after) + 1 :]:
        if not cells[name]:
            continue
        text, checked, note, listed = read_email_cell(cells[name])
        if checked is not None:
            return name, text, checked, note, listed, passed
        passed.append((name, invalid_address(text, note)))
    return None


def first_listed(cell: str, listed: Sequence[tuple[str, str | None]]) -> tuple[str, str | None, str]:
    """Of a cell listing several addresses: the item greeted, its address and the warning saying so.

    The first valid one that can be sent (one whose local part is not ASCII
    needs SMTPUTF8: a later one is taken before it), else the first valid.
    None of them valid: ``(cell, None, why)``, what is wrong with the first.
    """
    valid = [i for i, (_, address) in enumerate(listed) if address is not None]
    if not valid:
        first = listed[0][0]
        hint = email_in_cell(first)[1]
        return (
            cell,
            None,
            f"none of its {len(listed)} addresses is valid ({quoted(first)}: {hint or 'no address'})",
        )
    sendable = [i for i in valid if not smtputf8_only(listed[i][1] or "")]
    chosen = (sendable or valid)[0]
    return listed[chosen][0], listed[chosen][1], email_notes.several_addresses(listed, chosen)
