"""The do-not-contact list's changes in the journal, and its look-up: ``suppress`` stores what
:mod:`greeter.suppression` read (:func:`store`), ``unsuppress`` takes addresses off (:func:`remove`)
and lifts persons' opt-outs (:func:`lift_contacts`; an erasure's only with ``--force``:
:func:`erased_contacts`), ``suppress --list EMAIL…`` looks addresses up (:func:`listed`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime

from greeter.contacts import email_key
from greeter.erasure_records import ERASURE_REASON, is_erasure
from greeter.errors import Problem
from greeter.journal_store import JournalStore, PersonOptOut, Suppression
from greeter.suppression import _read_cell

__all__ = ["erased_contacts", "lift_contacts", "listed", "remove", "store"]

#: What happens to each address of a cell holding several that ``unsuppress`` names (:func:`_read_cell`).
_EACH_OFF = "each is taken off the list"


def store(
    journal: JournalStore,
    entries: Iterable[tuple[str, str, datetime | None]],
    now: datetime,
    persons: Mapping[str, tuple[str, str, datetime | None]] | None = None,
    *,
    channels: Mapping[str, str] | None = None,
    by: str | None = None,
) -> tuple[int, int]:
    """Put ``(address, reason, date)`` triples on the list and bind ``persons`` (contact id →
    address, reason, date: :attr:`Intake.persons`) in one transaction (a date of None: ``now``);
    returns how many addresses and how many contact ids were new.

    Each new one is an opt-out event recorded at ``now`` by ``by``, of the channel ``channels``
    gives its :func:`email_key` (``bounce``, ``manual``…), else ``import``: a list's line.
    """
    groups: dict[str, list[Suppression]] = {}
    for address, reason, since in entries:
        channel = (channels or {}).get(email_key(address), "import")
        groups.setdefault(channel, []).append(Suppression(address, reason, since or now))
    bound = [
        PersonOptOut(cid, address, reason, since or now)
        for cid, (address, reason, since) in sorted((persons or {}).items())
    ]
    with journal.batch():
        added = sum(
            journal.suppress_dated(rows, channel=c, by=by, now=now) for c, rows in sorted(groups.items())
        )
        return added, journal.restore_opt_outs(bound, channel="import", by=by) if bound else 0


def remove(
    journal: JournalStore,
    emails: Sequence[str],
    now: datetime,
    *,
    by: str | None = None,
    reason: str = "",
    force: bool = False,
) -> tuple[int, list[Problem], list[Problem]]:
    """Take the addresses given as arguments off the list: how many were removed, a problem
    for each that was not on it — "not on the do-not-contact list" (with the listed address it
    may have meant: a typo must not read as done), or "not an e-mail address" — and a warning for
    an argument read as ``suppress`` reads it (``Антон <a@x.ru>``, two addresses at once); and the
    refusals (:func:`_erased`): an address ``greeter forget`` listed is taken off only with
    ``force``, and without it nothing at all is removed (the caller exits 2).

    An entry is compared as the list compares addresses (:func:`email_key`); one on the list is
    removed whatever it looks like (a list an older greeter filled may hold anything). The
    person-level opt-outs made from an address (:meth:`JournalStore.opt_out`) are lifted with it:
    they are the same opt-out, and one made from an address no longer listed still counts as on it.
    Each removal is a ``lifted`` opt-out event (``by``, ``reason``, ``now``); the events before it stay.
    """
    on_list = journal.suppressed()
    listed = on_list | {entry.email for entry in journal.opted_out_contacts().values()}
    found: dict[str, str] = {}  # email_key → the argument that named it
    problems: list[Problem] = []
    for number, raw in enumerate(emails, 1):
        text = raw.strip()
        where = f"argument {number}"
        if email_key(text) in listed:
            found.setdefault(email_key(text), where)
            continue
        addresses, problem = _read_cell(text, where, "", None, "nothing removed", _EACH_OFF)
        if problem is not None:
            problems.append(problem)
        for address in addresses:
            key = email_key(address)
            if key in listed:
                found.setdefault(key, where)
                continue
            hint = _misspelt_domain(key, listed)
            problems.append(Problem(where, "", f"{address!r} is not on the do-not-contact list{hint}"))
    erased = _erased(journal, found, force=force)
    if not force and erased:
        return 0, problems, erased
    problems.extend(erased)
    if not found:
        return 0, problems, []
    lifted = {entry.email for entry in journal.lift_opt_outs(found, now=now, by=by, reason=reason)}
    return journal.unsuppress(list(found), now, by=by, reason=reason) + len(lifted - on_list), problems, []


def _misspelt_domain(key: str, listed: Iterable[str]) -> str:
    """``; did you mean 'olga@example.com'?`` — the listed address ``key`` (an :func:`email_key`) is a
    misspelling of, "" none (pure). Only a misspelt domain is offered: a mailbox one letter from
    another (client17, client27) is someone else, and taking their opt-out off the list — or
    answering an access request with their entry — is no typo fix."""
    import difflib

    box = key.partition("@")[0]
    same_box = [e for e in listed if e.partition("@")[0] == box]
    near = difflib.get_close_matches(key, same_box, n=1, cutoff=0.8)
    return f"; did you mean {near[0]!r}?" if near else ""


def _no_opt_out(cid: str, opted_out: Collection[str]) -> str:
    """``contact '1O02' has no opt-out of its own: did you mean '1002'?`` (pure): the ids with one spelt
    like ``cid``, else — a name nobody has, or an id with none — those that have one, a few."""
    import difflib

    said = f"contact {cid!r} has no opt-out of its own"
    near = difflib.get_close_matches(cid, sorted(opted_out), n=3, cutoff=0.6)
    if near:
        return f"{said}: did you mean {' or '.join(repr(c) for c in near)}?"
    if not opted_out:
        return f"{said} (no contact has opted out as a person)"
    shown = sorted(opted_out)[:5]
    more = (
        f" and {len(opted_out) - len(shown)} more: greeter suppress --list"
        if len(opted_out) > len(shown)
        else ""
    )
    return f"{said} (the contacts who have: {', '.join(shown)}{more})"


def lift_contacts(
    journal: JournalStore,
    contact_ids: Sequence[str],
    now: datetime,
    *,
    by: str | None = None,
    reason: str = "",
) -> tuple[list[str], list[Problem]]:
    """Lift the person-level opt-outs of ``contact_ids`` (``unsuppress --contact``): a line for each
    lifted, saying what stays, and a problem for each id that had none (a typo must not read as done).

    Only the binding goes: the address the opt-out came from stays on the list (the client may
    have left it for good); ``unsuppress ADDRESS`` lifts that. Each is a ``lifted`` event.
    """
    lifted = (
        journal.lift_opt_outs(contact_ids=contact_ids, now=now, by=by, reason=reason) if contact_ids else []
    )
    listed = journal.suppressed() if lifted else set()
    lines = []
    for entry in lifted:
        stays = "stays on" if entry.email in listed else "is not on"
        lines.append(
            f"lifted the opt-out of contact {entry.contact_id} (from {entry.email} on"
            f" {entry.created_at:%Y-%m-%d}, {entry.reason}); {entry.email} {stays} the do-not-contact list"
        )
    done = {entry.contact_id for entry in lifted}
    missing = [cid for cid in contact_ids if cid not in done]
    opted_out = set(journal.opted_out_contacts()) if missing else set()
    problems = [Problem("unsuppress --contact", "", _no_opt_out(cid, opted_out)) for cid in missing]
    return lines, problems


#: What a refusal to lift an erasure's entry or binding adds (``unsuppress`` without ``--force``).
_FORCE_ERASED = "nothing removed; add --force to take it off all the same (the erasure stays on record)"


def erased_contacts(journal: JournalStore, contact_ids: Sequence[str]) -> list[Problem]:
    """A refusal (exit 2) for each of ``contact_ids`` whose opt-out ``greeter forget`` made or kept:
    ``unsuppress --contact`` lifts it only with ``--force``, as ``unsuppress ADDRESS`` an erased address."""
    bound = journal.opted_out_contacts() if contact_ids else {}
    return [
        Problem(
            "unsuppress --contact",
            "",
            f"contact {cid!r} was opted out by an erasure request ({bound[cid].reason}): {_FORCE_ERASED}",
        )
        for cid in contact_ids
        if cid in bound and is_erasure(bound[cid].reason)
    ]


def _erased(journal: JournalStore, found: Mapping[str, str], *, force: bool) -> list[Problem]:
    """One line for each address ``greeter forget`` put on the list. Without ``force`` a refusal:
    the person asked to be erased and the entry is the record of it (GDPR art. 5(2)), so one
    ``unsuppress`` must not take it away — before, it did with a warning, exit 0. With ``force``
    a warning: an operator's decision, never silent — a CRM that still holds the person has them
    greeted again; the erasure's own event stays in the journal either way."""
    return [
        Problem(
            found[entry.email],
            "",
            f"{entry.email!r} {_how_erased(entry)}: "
            + (
                "taken off, greeter writes to it again if the contacts still hold it"
                if force
                else _FORCE_ERASED
            ),
            severity="warning" if force else "error",
        )
        for entry in journal.suppression_list()
        if entry.email in found and is_erasure(entry.reason)
    ]


def _how_erased(entry: Suppression) -> str:
    """How an erasure request left ``entry`` on the list: put there by it, or kept (its reason says when)."""
    if entry.reason == ERASURE_REASON:
        return f"was put on the list by an erasure request on {entry.created_at:%Y-%m-%d}"
    since = f"{entry.created_at:%Y-%m-%d}"
    return f"was kept on the list by an erasure request ({entry.reason}; listed since {since})"


def listed(entries: Sequence[Suppression], emails: Sequence[str]) -> tuple[list[Suppression], list[Problem]]:
    """The entries of the list for the addresses given as arguments (``suppress --list EMAIL…``).

    An argument is read as ``suppress`` reads it; one not on the list is a
    problem saying so — an access request's answer "not on the list" must
    not read as an empty table that might be a typo.
    """
    by_key = {email_key(e.email): e for e in entries}
    found: dict[str, Suppression] = {}
    problems: list[Problem] = []
    for number, raw in enumerate(emails, 1):
        where = f"argument {number}"
        text = raw.strip()
        if email_key(text) in by_key:
            found.setdefault(email_key(text), by_key[email_key(text)])
            continue
        addresses, problem = _read_cell(text, where, "", None, "not looked up", "each is looked up")
        if problem is not None:
            problems.append(problem)
        for address in addresses:
            entry = by_key.get(email_key(address))
            if entry is None:  # a misspelt domain named, as unsuppress names it
                hint = _misspelt_domain(email_key(address), by_key)
                problems.append(Problem(where, "", f"{address!r} is not on the do-not-contact list{hint}"))
            else:
                found.setdefault(email_key(address), entry)
    return sorted(found.values(), key=lambda s: (s.created_at, s.email)), problems
