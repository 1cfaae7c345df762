"""``history --contact``/``--email``: the client asked for, by id or by name; why greetings stopped.

A sales manager types the client as the CRM shows it — «Смирнова Анна
Ильинична», or «Смирнова», or as much of it as they remember, «Кузн» — not
contact 2002: a ``--contact`` that neither the contacts source nor the
journal has as an id is looked up as a name, whole words first (as typed,
else without diacritics and in either Serbian script: «Jovanovic» for
Jovanović, «Јовановић»), else the starts of them (:func:`by_name`). After the rows, what is said of that
client (:func:`client_notes`): why greetings stopped, where its greetings to
former addresses are.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from greeter.errors import UnknownContactError
from greeter.history_people import listed, named

if TYPE_CHECKING:
    from greeter.contacts import Contact
    from greeter.journal_store import JournalStore
    from greeter.runtime import Inputs
    from greeter.sources import Rejection


def source_row(inputs: Inputs, text: str) -> Contact | Rejection | None:
    """The contacts source's row whose id is ``text``: its contact, or its rejection (a row not
    loaded — a broken e-mail cell — still has its id), or None (no row has it, or the source cannot
    be read). Read up to that row only, as :meth:`~greeter.runtime.Inputs.contact` reads."""
    from greeter.errors import GreeterError

    report = inputs.new_report()
    try:
        stream = inputs.contacts(report, text)
        try:
            found = next(stream, None)
        finally:
            stream.close()
    except (GreeterError, OSError):  # UnknownContactError: no row has it
        return None
    if found is not None:
        return found
    return next((r for r in report.rejections if r.contact_id == text), None)


def is_id(inputs: Inputs, journal: JournalStore | None, text: str) -> bool:
    """Whether ``text`` is a contact id: a row of the contacts source has it (loaded or rejected), or
    the journal has a greeting under it (a client gone from the export keeps its history, and is no
    name to look up). ``journal`` None: the contacts source alone (a command with nothing to do for
    a client gone from it: preview, test-send, approve)."""
    from greeter.history_view import read_history

    if source_row(inputs, text) is not None:
        return True
    if journal is None:
        return False
    rows = read_history(journal, contact_id=text)
    try:
        return next(rows, None) is not None
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def by_name(
    inputs: Inputs, journal: JournalStore | None, text: str, *, known: bool = False
) -> tuple[str, str | None]:
    """The contact id a ``--contact`` names, and what to say of it (None: it is an id, or no name).

    ``text`` is an id when it is one (:func:`is_id`), whatever name it
    may also begin; else the contacts whose name has its words — whole, else
    the start of them, «Кузн» for Кузнецов (:func:`named`): one is the
    contact asked for ("--contact Смирнова: contact 2002 (…)"), several are
    a usage error listing them (exit 2: the manager picks one), none leaves
    ``text`` as it was (the caller says nobody has it) — unless ``known``: then it is a usage error
    naming the closest ids and names (:func:`unknown_contact`), for a command that has nothing to do
    for a contact nobody has (preview, test-send, approve, send).

    The one reading of ``--contact ID|NAME`` for every command that takes it (history, preview,
    test-send, approve, suppress, unsuppress): a manager knows a client by name or CRM id.
    """
    if is_id(inputs, journal, text):
        return text, None
    found, whole = named(inputs, text)
    if not found and known:
        raise UnknownContactError(unknown_contact(inputs, text))
    if not found:
        return text, None
    if len(found) == 1:
        return found[0].id, f"--contact {text}: contact {listed(found).removeprefix('--contact ')}"
    have = "have that name" if whole else "have a name that begins so"
    raise UnknownContactError(
        f"--contact {text} is no contact id, and several contacts {have}: did you mean {listed(found)}?"
    )


def unknown_contact(inputs: Inputs, text: str) -> str:
    """``contacts.csv: no contact has id or name 'Иваноф' (--contact): did you mean 1001 (Иван
    Петрович Иванов, ООО «Вектор»)?`` — ``text`` is neither, and the source's ids and name words
    spelt most like it (:func:`closest_contacts`).

    It said "no contact has id 'Иваноф'" of a name: a newcomer who typed a client's name read that
    names are not taken, and a typo in one had no hint to go by.
    """
    report = inputs.new_report()
    return f"{report.source}: no contact has id or name {text!r} (--contact){closest_contacts(inputs, text)}"


def closest_contacts(inputs: Inputs, text: str, limit: int = 3) -> str:
    """``: did you mean 1001 (…) or '1010'?`` — the contacts whose id, name or a word of their name is
    spelt like ``text`` (loaded rows by their id and name; a rejected row by its id), "" none or the
    source cannot be read. One read of the source, made only for a ``--contact`` nobody has."""
    import difflib

    from greeter.errors import GreeterError
    from greeter.history_people import listed, name_key

    ids: dict[str, Contact | str] = {}  # an id → its contact (a rejected row: the id alone)
    names: dict[str, Contact] = {}  # a name's key, and each of its words → its contact
    report = inputs.new_report()
    try:
        stream = inputs.contacts(report)
        try:
            for contact in stream:
                ids.setdefault(contact.id, contact)
                name = name_key(contact.display_name)
                for key in (name, *name.split()):
                    names.setdefault(key, contact)
        finally:
            stream.close()
    except (GreeterError, OSError):
        return ""
    for rejected in report.rejections:
        if rejected.contact_id:
            ids.setdefault(rejected.contact_id, rejected.contact_id)
    scored: list[tuple[float, int, Contact | str]] = []
    for wanted, known in ((text, ids), (name_key(text), names)):
        for key in difflib.get_close_matches(wanted, list(known), n=limit * 5, cutoff=0.6):
            # On a tie, the one with more letters in their places: 1O01 is 1001 before 1021.
            placed = sum(a == b for a, b in zip(wanted, key, strict=False))
            scored.append((difflib.SequenceMatcher(None, wanted, key).ratio(), placed, known[key]))
    shown: list[str] = []
    for *_, found in sorted(scored, key=lambda row: (-row[0], -row[1])):  # stable: ids first on a tie
        said = repr(found) if isinstance(found, str) else listed([found]).removeprefix("--contact ")
        if said not in shown:
            shown.append(said)
    return f": did you mean {' or '.join(shown[:limit])}?" if shown else ""


def client_notes(
    journal: JournalStore, client: Contact | None, contact_id: str | None, email: str | None
) -> list[str]:
    """What ``history --contact``/``--email`` says after the rows of the client asked for
    (``client``: its contact now, by that id or at that address; None: the source has none).

    Why greetings stopped (:func:`~greeter.history_people.stop_notes`: the
    do-not-contact list, the person's opt-out, an erasure, the CRM's column), the opt-outs
    lifted since (:func:`~greeter.history_people.lifted_notes`),
    and — for an address the contacts give a contact who was greeted at other
    addresses (the CRM changed it) — where those greetings are.
    """
    from greeter.contacts import email_key
    from greeter.history_people import address_forms, lifted_notes, stop_notes
    from greeter.history_view import read_history

    addresses = address_forms(email) if email else ()
    notes = stop_notes(
        contact_id, client, addresses, journal.suppression_list(), journal.opted_out_contacts()
    )
    notes += lifted_notes(contact_id, client, addresses, journal.optout_events())
    if email and contact_id is None and client is not None:
        keys = {email_key(a) for a in addresses}
        elsewhere = sum(
            1 for e in read_history(journal, contact_id=client.id) if email_key(e.email or "") not in keys
        )
        if elsewhere:
            notes.append(
                f"contact {client.id} has {elsewhere} greeting(s) to other addresses:"
                f" greeter history --contact {client.id}"
            )
    return notes


def client_keys(inputs: Inputs, journal: JournalStore, texts: Iterable[str]) -> tuple[set[str], set[str]]:
    """The contact ids and address keys (:func:`~greeter.contacts.email_key`) of the clients
    ``suppress --list --contact`` names, each read as every ``--contact`` is (:func:`by_name`: an id
    or a name; an unknown one a usage error naming the closest): its own opt-out and its addresses'
    entries are what the list shows of it. A manager knows Егорова, not client17@example.com."""
    from greeter.contacts import Contact, email_key

    ids: set[str] = set()
    keys: set[str] = set()
    for text in texts:
        cid, said = by_name(inputs, journal, text, known=True)
        if said:
            print(said, file=sys.stderr)
        ids.add(cid)
        row = source_row(inputs, cid)
        if isinstance(row, Contact):
            keys.update(email_key(a) for a in row.addresses)
    return ids, keys
