"""``greeter history`` in a manager's words: who the client is, what the occasion is called, their clock.

The journal keeps no names on purpose (data minimisation: ``greeter forget``
erases by address and contact id, and every name kept there would be one more
copy to erase) — only what a letter's subject says, which is the row's and goes
with it. But a sales manager knows "Иван Петрович Иванов, ООО «Тест»",
not contact 1001, a "День рождения", not ``birthday``, and the client's
morning, not UTC. So history looks the contacts of the rows it shows up in the
contacts source — read as every command reads it
(:meth:`~greeter.runtime.Inputs.contacts`), no further than the last of
them, and not at all when no row is shown — and takes the occasions' titles
from the config (:meth:`~greeter.config.Settings.occasion_titles`, as the
gallery and the calendar name them).

A row whose contact id the source no longer has (a CRM renumbered the client)
is shown as the contact that has its address now, as ``--contact`` shows it
(:attr:`People.links`). ``--contact``/``--email`` of a client greeter no longer
writes to says why after the rows (:func:`stop_notes`).

A source that cannot be read (a copy of the journal on another machine, a
missing export, a CRM database down) costs the names only: history shows the
journal all the same and says once, on stderr, why the names are missing
(:attr:`People.missing`). A contact no longer in the source, whose address no
other contact has either, has no name: the journal outlives the export.

Everything here but :func:`look_up` and :func:`named` is pure; what ``history --contact``
asks of one client is :mod:`greeter.history_client`'s.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from greeter.cap_seen import CapView
from greeter.contacts import Contact, email_key
from greeter.erasure_records import erasure_day
from greeter.given_names import APOSTROPHES_AS_ONE
from greeter.journal_store import Approver, JournalEntry, JournalKey, OptOutEvent, PersonOptOut, Suppression
from greeter.precheck import crm_opt_out, opted_out_words
from greeter.zone_label import iso_seconds, local_time

if TYPE_CHECKING:
    from greeter.runtime import Inputs

#: The JSON and CSV fields this module adds, after the journal's own (which stay as they were).
FIELDS = ("name", "company", "occasion_title", "timezone", "when_local")


@dataclass(frozen=True)
class People:
    """The names, titles and zones history shows beside the journal's rows."""

    #: The contacts found in the source, by id (a contact not there is simply absent).
    contacts: Mapping[str, Contact] = field(default_factory=dict)
    #: Each configured occasion's name → its title (an occasion no longer configured: its name).
    titles: Mapping[str, str] = field(default_factory=dict)
    #: ``defaults.timezone``: the zone of a contact without one, or not found.
    default_zone: str = "UTC"
    #: Why there are no names (the source could not be read); None when they were looked up.
    missing: str | None = None
    #: A row's (contact id, :func:`~greeter.contacts.email_key` of its address) → the contact
    #: that has that address now, for a row whose id is in the source no more: a CRM renumbered
    #: the client (:func:`links`).
    links: Mapping[tuple[str, str], str] = field(default_factory=dict)
    #: The contact whose address ``--email`` names, as the source gives it today (None: nobody's,
    #: or not asked).
    addressee: Contact | None = None
    #: Who approved each greeting's draft and when (``approve --by``, ``review: required``): history's
    #: JSON says it beside a row whose letter was approved.
    approvers: Mapping[JournalKey, Approver] = field(default_factory=dict)
    #: What the frequency cap saw of the ``--contact`` client's letters (:mod:`greeter.cap_seen`):
    #: the table's "cap" column, JSON's and CSV's :data:`~greeter.cap_seen.CAP_FIELDS`. None: a
    #: listing of more than one client (the cap is per client), whose JSON has no such fields.
    cap: CapView | None = None

    def current_id(self, entry: JournalEntry, asked: str | None = None) -> str | None:
        """The contact a row journaled under another id is shown as; None: its own.

        ``asked``: the ``--contact`` id, whose rows under former ids were found
        by its current address (:func:`~greeter.history_view.with_former_ids`):
        every row not under that id is that contact's. Else (a listing by any
        other filter, or none) a row whose id the source no longer has is the
        contact's that has its address now (:attr:`links`): the whole journal
        shows a renumbered client's old rows as ``--contact`` shows them.
        """
        if asked is not None:
            return asked if entry.contact_id != asked else None
        if not self.links or not entry.email:
            return None
        return self.links.get((entry.contact_id, email_key(entry.email)))

    def contact(self, entry: JournalEntry, current: str | None = None) -> Contact | None:
        """The row's contact in the source; for a row journaled under a former id (``current``:
        :meth:`current_id`) the contact it belongs to now — the old id may be another client's by
        now."""
        cid = current if current is not None and entry.contact_id != current else entry.contact_id
        return self.contacts.get(cid)

    def zone(self, contact: Contact | None) -> ZoneInfo:
        """The recipient's zone as the planner takes it: the contact's column, else the default."""
        return ZoneInfo((contact.timezone if contact else None) or self.default_zone)

    def title(self, occasion: str) -> str:
        """What the marketer called the occasion in the config; its key if it is no longer there."""
        return self.titles.get(occasion) or occasion

    def occasions(self, entry: JournalEntry) -> str:
        """The table's occasion: its title, and those of the occasions merged into its letter."""
        return " + ".join(self.title(o) for o in (entry.occasion, *entry.merged))

    def local(self, entry: JournalEntry, moment: datetime, current: str | None = None) -> datetime:
        """``moment`` on the recipient's clock (``current``: :meth:`current_id`)."""
        return moment.astimezone(self.zone(self.contact(entry, current)))

    def fields(self, entry: JournalEntry, moment: datetime, current: str | None = None) -> dict[str, Any]:
        """:data:`FIELDS` of one row for JSON and CSV; ``moment``: the row's "when" (UTC or any zone).

        ``name``/``company`` are null when the contact is not in the source
        (or it could not be read); ``when_local`` is ISO 8601 with the
        recipient's offset, ``timezone`` that zone's IANA name. ``current``:
        :meth:`current_id`, the contact a row under a former id is shown as.
        """
        contact = self.contact(entry, current)
        zone = self.zone(contact)
        return {
            "name": (contact.display_name or None) if contact else None,
            "company": (contact.company or None) if contact else None,
            "occasion_title": self.title(entry.occasion),
            "timezone": zone.key,
            "when_local": iso_seconds(moment.astimezone(zone)),
        }


def local_text(moment: datetime) -> str:
    """A local time for the table: ``2027-04-14 18:00 +10``, ``2027-04-14 10:00 EET`` (as preview
    shows the recipient's time: the zone's abbreviation, or its offset where the zone has none)."""
    return local_time(moment)


def address_forms(text: str) -> tuple[str, ...]:
    """An address as typed and, if it differs, as greeter loads it (:func:`~greeter.contacts.valid_email`).

    ``history --email olga@пример.рф``: her letters are journaled to the
    punycode form her contact is loaded in (``olga@xn--e1afmkfd.xn--p1ai``), a
    row an older greeter wrote may hold the form as typed; both are hers.
    """
    from greeter.contacts import valid_email

    typed = text.strip()
    loaded = valid_email(typed)
    return (typed, loaded) if loaded is not None and loaded.casefold() != typed.casefold() else (typed,)


def links(
    rows: Iterable[tuple[str, str]], by_id: Mapping[str, Contact], by_address: Mapping[str, Contact]
) -> dict[tuple[str, str], str]:
    """:attr:`People.links` (pure): each row's (contact id, address) whose id is not in the source
    (``by_id``) → the contact whose address it is today (``by_address``, by
    :func:`~greeter.contacts.email_key` of the loaded form) — as ``--contact`` finds a renumbered
    client's rows by its current address, and the planner counts them as its.

    A row whose id is still a contact stays that contact's, even if another
    contact has its address now (a mailbox handed to a colleague): the id is the
    journal's own fact, the address only the last one known.
    """
    found: dict[tuple[str, str], str] = {}
    for cid, address in rows:
        if cid in by_id or not address:
            continue
        for form in address_forms(address):
            contact = by_address.get(email_key(form))
            if contact is not None and contact.id != cid:
                found[cid, email_key(address)] = contact.id
                break
    return found


def look_up(
    inputs: Inputs,
    contact_ids: Collection[str],
    asked: str | None = None,
    *,
    rows: Collection[tuple[str, str]] = (),
    email: str | None = None,
) -> People:
    """The :class:`People` of the rows shown: their contacts read from the source, the config's titles.

    ``contact_ids``: the rows' own contact ids (gathered without keeping the
    rows, :func:`greeter.history_view.census`); only they (and ``asked``) are
    looked for, and the source is read no further than the last of them —
    unless one is missing: then to its end, for the contacts that have the
    addresses of ``rows`` (each row's contact id and address) now
    (:attr:`People.links`). ``email``: the ``--email`` address, whose contact
    (:attr:`People.addressee`) is looked for too, even when no row is shown. A
    source that cannot be read gives no contacts and :attr:`People.missing`
    says why, in one line.
    """
    from greeter.errors import GreeterError

    settings = inputs.settings
    ids = set(contact_ids) | ({asked} if asked and contact_ids else set())
    people = People(titles=settings.occasion_titles(), default_zone=settings.defaults.timezone)
    wanted = {email_key(form) for form in address_forms(email)} if email else set()
    if not ids and not wanted:  # nothing shown, nobody asked for: nothing to read
        return people
    addresses = wanted | {
        email_key(form) for _, address in rows if address for form in address_forms(address)
    }
    try:
        by_id, by_address = _read(inputs, ids, addresses, wanted)
    except (GreeterError, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return People(
            titles=people.titles,
            default_zone=people.default_zone,
            missing=f"names and companies are not shown: the contacts source cannot be read ({reason});"
            f" times are in the default zone {people.default_zone}",
        )
    linked = links(rows, by_id, by_address)
    theirs = set(linked.values())  # the contacts old rows are shown as, who may have no row of their own
    now_theirs = {c.id: c for c in by_address.values() if c.id in theirs}
    return People(
        contacts={**now_theirs, **by_id},
        titles=people.titles,
        default_zone=people.default_zone,
        links=linked,
        addressee=next((by_address[key] for key in sorted(wanted) if key in by_address), None),
    )


def _read(
    inputs: Inputs, ids: Collection[str], addresses: Collection[str], needed: Collection[str]
) -> tuple[dict[str, Contact], dict[str, Contact]]:
    """The contacts with ``ids``, and those whose address (its :func:`~greeter.contacts.email_key`)
    is one of ``addresses``; read as every command reads them
    (:meth:`~greeter.runtime.Inputs.contacts`), in one pass that stops once every id and every
    ``needed`` address is found — the rows' other addresses are wanted only for an id not found."""
    by_id: dict[str, Contact] = {}
    by_address: dict[str, Contact] = {}
    stream = inputs.contacts(inputs.new_report())  # a generator: closed below
    try:
        for contact in stream:
            if contact.id in ids:
                by_id.setdefault(contact.id, contact)
            if contact.email and (key := email_key(contact.email)) in addresses:
                by_address.setdefault(key, contact)
            if len(by_id) == len(ids) and all(key in by_address for key in needed):
                break
    finally:
        stream.close()
    return by_id, by_address


def named(inputs: Inputs, text: str, limit: int = 5) -> tuple[list[Contact], bool]:
    """The contacts whose name has every word of ``text`` (:func:`name_matches`), at most ``limit`` + 1
    of them (one more says there are more), and True; else, when no contact's name has them whole,
    those whose name has words that begin with them («Кузн» for Кузнецов), and False — for
    ``--contact Смирнова``, which is no id.

    Whole words first: ``--contact Иванов`` is the one Иванов, not him and every Иванова. Reads the
    source until ``limit`` + 1 contacts have the words whole (to its end otherwise: another may
    have them whole further on); one that cannot be read gives none (the caller has said the id is
    not there).
    """
    from greeter.errors import GreeterError

    wanted = name_key(text).split()
    if not wanted:
        return [], True
    plain = _folded_key(text).split()
    whole: list[Contact] = []
    folded: list[Contact] = []  # whole words without their marks: «Jovanovic» for Jovanović
    begun: list[Contact] = []
    try:
        stream = inputs.contacts(inputs.new_report())
        try:
            for contact in stream:
                if name_matches(contact, wanted):
                    whole.append(contact)
                    if len(whole) > limit:
                        break
                elif len(folded) <= limit and name_matches(contact, plain, folded=True):
                    folded.append(contact)
                elif len(begun) <= limit and (
                    name_matches(contact, wanted, starts=True)
                    or name_matches(contact, plain, starts=True, folded=True)
                ):
                    begun.append(contact)
        finally:
            stream.close()
    except (GreeterError, OSError):
        return [], True
    if whole or folded:
        return (whole or folded), True
    return begun, False


def name_matches(
    contact: Contact, wanted: Sequence[str], *, starts: bool = False, folded: bool = False
) -> bool:
    """Whether each of the words ``wanted`` (:func:`name_key`'s) is a word of the contact's name,
    each its own (pure); with ``starts``, the start of one («кузн», «анна смир»); with ``folded``,
    ``wanted`` and the name are compared as :func:`_folded_key` writes them (no diacritics, Serbian
    Cyrillic in Latin: «jovanovic» is Jovanović's and Јовановић's).

    Any order — «Анна Ильинична Смирнова», «Смирнова Анна Ильинична» as a
    Russian CRM writes it — and any part: a surname alone, a first name alone
    (which most often names several). A name of two words is not found by one
    word twice («Анна Анна»), nor by two starts of the same word.
    """
    parts = " ".join((contact.last_name, contact.first_name, contact.patronymic))
    # The name as written in its letters too: a Serbian contact's in the other script.
    names = (parts, contact.display_name)
    key = _folded_key if folded else name_key
    return any(_each_its_own(wanted, key(name).split(), starts) for name in names)


def _each_its_own(wanted: Sequence[str], words: Sequence[str], starts: bool) -> bool:
    """Whether every one of ``wanted`` is one of ``words`` (``starts``: the start of one), no two
    the same word of ``words`` — a matching, found by augmenting paths (a name has a few words)."""
    if not starts:
        return not Counter(wanted) - Counter(words)
    taken: dict[int, int] = {}  # a word of the name → the wanted word that has it

    def place(i: int, tried: set[int]) -> bool:
        for j, word in enumerate(words):
            if j in tried or not word.startswith(wanted[i]):
                continue
            tried.add(j)
            if j not in taken or place(taken[j], tried):
                taken[j] = i
                return True
        return False

    return all(place(i, set()) for i in range(len(wanted)))


#: The dotted capital and the dotless small i of Azerbaijani and Turkish, as the i they pair with.
_TURKIC_I: Final = str.maketrans({"İ": "i", "ı": "i"})


def name_key(text: str) -> str:
    """A name as :func:`named` compares it: words, any case, ё as е, every apostrophe as ``'``.

    Why the apostrophes: «To‘xtayev» is spelt with ‘ (U+2018) by one CRM, ʻ by
    another, and typed ``To'xtayev`` (ASCII) by a manager: one name, for
    ``history``, ``preview`` and every ``--contact`` (:func:`named`,
    :func:`~greeter.history_client.closest_contacts`). And the Turkic i's,
    İ, I, ı and i, as one: «QASIMOVA» typed on any keyboard is the CRM's
    «Qasımova», «ISMAYILOV» its «İsmayılov» (casefold alone made İ an i with
    a combining dot, and left ı as it is).
    """
    return " ".join(
        text.translate(_TURKIC_I).casefold().replace("ё", "е").translate(APOSTROPHES_AS_ONE).split()
    )


#: Kazakh's own letters as a Russian keyboard (and most Kazakhstan CRMs' Russian spelling) writes
#: them: «Нұрлан» is typed «Нурлан», «Серікқызы» «Сериккызы». Lower case: :func:`name_key` comes first.
_KAZAKH_AS_RUSSIAN: Final = str.maketrans("ұүқәңғөһі", "уукангохи")


@lru_cache(maxsize=4096)  # a contact's name is folded for whole words, then for their starts
def _folded_key(text: str) -> str:
    """A name as a CRM export without diacritics writes it, for :func:`named`'s second try (pure).

    «Jovanovic» is how many exports (and keyboards) spell Jovanović, so the
    name is compared without the marks of Latin letters (ć, š, é, ü); đ is
    written both ways an ASCII export writes it, «Djordjevic» and «Dordevic»,
    so every dj is read as d (on both sides: «Đorđević», «Djordjević» and
    «Dordevic» are one name). Serbian Cyrillic is read in Latin
    (:func:`~greeter.serbian_script.to_latin`), so «Jovanović» finds «Јовановић»
    and back; a Russian word with a letter Serbian lacks (й, ы, я) stays as
    written, and a Cyrillic letter keeps its marks (й is not и). Kazakh letters
    are read as the Russian ones a Russian keyboard types for them (ұ, ү as у, қ
    as к, ә as а, і as и…: :data:`_KAZAKH_AS_RUSSIAN`), so «Нурлан» finds «Нұрлан»
    and «Нурланова» «Нұрланова».
    """
    from greeter.serbian_script import to_ascii, to_latin

    latin = name_key(text).translate(_KAZAKH_AS_RUSSIAN)
    if not latin.isascii():  # the usual name of an export in Latin is read as it is (it is cheap)
        latin = to_ascii(to_latin(latin))
    if not latin.isascii():
        kept: list[str] = []
        for ch in unicodedata.normalize("NFD", latin):
            if unicodedata.combining(ch) and kept and kept[-1].isascii():
                continue  # the mark of a Latin letter: é → e; not й's breve
            kept.append(ch)
        latin = unicodedata.normalize("NFC", "".join(kept))
    return latin.replace("dj", "d")


def listed(found: Sequence[Contact], limit: int = 5) -> str:
    """``--contact 2003 (Анна Ильинична Смирнова, АО «Северсталь-Сервис») or 2028 (…)`` (pure):
    the contacts :func:`named` found, ``limit`` of them, and whether there are more."""
    shown = [
        f"{c.id} ({', '.join(part for part in (c.display_name, c.company) if part)})" for c in found[:limit]
    ]
    more = " or another of that name" if len(found) > limit else ""
    return "--contact " + " or ".join(shown) + more


def stop_notes(
    contact_id: str | None,
    contact: Contact | None,
    addresses: Collection[str],
    listed: Iterable[Suppression],
    opted_out: Mapping[str, PersonOptOut],
) -> list[str]:
    """Why greetings to a client stopped, one line each (pure); none: nothing stops them.

    ``history --contact``/``--email`` of a client on the do-not-contact list
    showed the letters sent before and nothing of why none came after, and an
    erased client's empty history said "(yet)", as if greetings would come.
    Asked as the planner asks (:func:`greeter.precheck.do_not_contact`,
    :func:`~greeter.precheck.crm_opt_out`): ``addresses`` (the ``--email``
    address, the contact's own) on the list (``listed``: the journal's, as
    ``suppress --list`` shows it); the person's opt-out (``opted_out``, by
    contact id: ``contact``'s, else ``contact_id``'s, and any made from one of
    ``addresses``) made from an address not listed; the CRM's column.
    """
    keys = {email_key(a) for a in (*addresses, *(contact.addresses if contact else ()))}
    notes: list[str] = []
    said: set[str] = set()
    for entry in sorted((e for e in listed if e.email in keys), key=lambda e: (e.created_at, e.email)):
        said.add(entry.email)
        notes.append(_listed_words(entry))
    cid = contact.id if contact is not None else contact_id
    persons = {o.contact_id: o for o in opted_out.values() if o.email in keys}
    if cid is not None and cid in opted_out:
        persons[cid] = opted_out[cid]
    for person in sorted(persons.values(), key=lambda o: (o.created_at, o.contact_id)):
        if person.email in said:  # the same objection, said above by its address
            continue
        said.add(person.email)
        day = erasure_day(person.reason, person.created_at)
        if day is not None:
            notes.append(f"contact {person.contact_id} {_erased_words(day)}")
        else:
            notes.append(
                f"{opted_out_words(person)}: contact {person.contact_id} is greeted at no address"
                f" (greeter unsuppress --contact {person.contact_id} lifts it)"
            )
    if contact is not None and (why := crm_opt_out(contact)) is not None:
        notes.append(why)
    return [f"greetings stopped: {note}" for note in notes]


def lifted_notes(
    contact_id: str | None, contact: Contact | None, addresses: Collection[str], events: Iterable[OptOutEvent]
) -> list[str]:
    """The client's opt-outs lifted since (``unsuppress``), one line each, oldest first (pure).

    ``history --contact Егорова`` said nothing of the week in March she was on the list: the
    manager asked why no 8 March letter came could not answer from history. Whose events are
    asked as :func:`stop_notes` asks (the client's addresses, its contact id); an address's
    entry and the person's binding lifted in the same act are one line. Moments in UTC, as
    ``suppress --list --all`` shows them.
    """
    keys = {email_key(a) for a in (*addresses, *(contact.addresses if contact else ()))}
    cid = contact.id if contact is not None else contact_id
    mine = [e for e in events if (e.contact_id is None and e.email in keys) or (cid and e.contact_id == cid)]
    added: dict[tuple[str, str | None], OptOutEvent] = {}
    notes: dict[tuple[datetime, str], str] = {}
    for e in sorted(mine, key=lambda e: e.recorded_at):
        if e.event != "lifted":
            added[(e.email, e.contact_id)] = e
            continue
        start = added.pop((e.email, e.contact_id), None)
        who = e.email or f"contact {e.contact_id}"
        since = f" from {_utc(start.since or start.recorded_at)}{_said(start)}" if start else ""
        said = f"opt-out lifted: {who} was on the do-not-contact list{since}"
        notes.setdefault(
            (e.recorded_at, e.email), f"{said} until {_utc(e.recorded_at)}{_said(e, 'lifted by ')}"
        )
    return list(notes.values())


def _utc(moment: datetime) -> str:
    """A moment as ``suppress --list --all`` shows it (UTC, to the minute), its zone said."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _said(event: OptOutEvent, opening: str = "") -> str:
    """Who and why of an opt-out event, in brackets (``(olga: позвонила…)``); "" when neither is kept."""
    words = ": ".join(part for part in (event.by, event.reason) if part)
    return f" ({opening}{words})" if words else ""


def _listed_words(entry: Suppression) -> str:
    """An address's entry on the do-not-contact list as :func:`stop_notes` says it."""
    day = erasure_day(entry.reason, entry.created_at)
    if day is not None:
        return f"{entry.email} {_erased_words(day)}"
    since = f"{entry.email} is on the do-not-contact list since {entry.created_at.astimezone(UTC):%Y-%m-%d}"
    return f"{since} (reason: {entry.reason})"


def _erased_words(day: date) -> str:
    """An erasure as :func:`stop_notes` says it: it is why the journal has no row of the client."""
    return (
        f"was erased on {day} at the client's request (greeter forget): its greetings were"
        " deleted from the journal, and none is sent again"
    )
