"""Why a hit cannot be greeted at all, before the cap is asked — pure: the journal already has its
greeting (the exact key, another date of a corrected yearly occasion, another contact id to the
same address), it is outside the occasion's audience, it has no address, or a do-not-contact list
or the CRM's own opt-out keeps it (:func:`precheck`), and the words each such skip says.

Apart from :mod:`greeter.policy` (the cap and merging), which decides among the hits these let
through; the planner asks both, and ``send``/``history`` reuse the opt-out words.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from greeter.audience import AudienceRule
from greeter.config import Audience
from greeter.contacts import Contact, email_key
from greeter.journal_store import BOUNCED, CAP_STATES, PersonOptOut, Suppression
from greeter.plan_types import Hit, PastGreeting, Reason

#: What becomes of a greeting the journal holds in a state that is not final (``already_sent``'s
#: detail): "(retry)" alone, beside a letter the next send hands over, read as a skip for good.
_NEXT = {
    "retry": ": greeter send sends it again when its retry is due",
    "claimed": ": a sender is handing it over now",
    "uncertain": ": it may have arrived; an operator decides (greeter uncertain resend|dismiss)",
    "failed": ": the server refused it for good; greeter failed resend puts it back in line",
}


#: How ``already_sent``'s detail opens (:func:`precheck`): the state and what became of it follow.
JOURNAL_HAS = "the journal already has this greeting"


#: Days within which another date of a yearly occasion the journal already greeted is the same
#: occasion, its date corrected in the contacts source: greeted once, not again (182 at most).
#: WHY half a year: one date's yearly occurrences are 365 or 366 days apart, so exactly one of a
#: corrected date's lies less than this from the date greeted — the one that letter stood for
#: (20.01 corrected to 05.03: 44 days) — and next year's lies further: a date moved by a year (the
#: next birthday) is greeted again, while a correction anywhere within the year, across New Year
#: (20.12 to 05.01) or of the leap-day rule (28.02 and 01.03) is not. Exactly half a year away is
#: as much next year's as this year's: greeted (a client missing a year is the worse mistake).
REGREET_DAYS = 183


@dataclass(frozen=True, slots=True)
class Greeted:
    """A greeting the journal holds of an occasion for another date of it (:func:`greeted_before`).

    ``row``: the journal's row of the occasion; ``carrier``: for a ``skipped`` row that rode in
    another occasion's letter (``merged``), that letter's row — whose state says whether the
    occasion was greeted.
    """

    row: PastGreeting
    carrier: PastGreeting | None = None

    @property
    def letter(self) -> PastGreeting:
        """The letter that greeted (or may yet greet) the occasion."""
        return self.carrier if self.carrier is not None else self.row

    @property
    def state(self) -> str:
        """The letter's journal state (``journal_state`` of the skip)."""
        return self.letter.state

    def detail(self, hit: Hit) -> str:
        """``already_sent``'s words for ``hit``: when and for which date the occasion was greeted,
        and what the contacts source says now — what a manager needs to see it is one birthday."""
        letter, old = self.letter, self.row.occasion_date
        shape = "%d.%m" if old.year == hit.date.year else "%d.%m.%Y"
        said = f"for {old:{shape}}; the contacts source now says {hit.date:{shape}}"
        rode = f" in the {letter.occasion} letter" if self.carrier is not None else ""
        other = ""
        if letter.contact_id != hit.contact.id:
            other = f" to {letter.email} as contact {letter.contact_id}"
        if letter.state == "sent":
            return f"greeted for this occasion on {letter.day:%Y-%m-%d}{rode}{other} ({said})"
        state = f"{letter.state}{_NEXT.get(letter.state, '')}"
        return f"the journal holds this occasion's greeting{rode}{other} ({state}), {said}"


def greeted_before(hit: Hit, past: Sequence[PastGreeting]) -> Greeted | None:
    """The journal's greeting of ``hit``'s occasion for another date less than :data:`REGREET_DAYS`
    away, in a state that counts (:data:`CAP_STATES`: it left or may yet); None if there is none.

    For a yearly occasion read from a contact's date column only (the caller asks): a fixed
    date's or a holiday's day cannot be "corrected", and their other days are other occasions.
    The journal's key holds the date, so a corrected birthday (20.01 greeted, the CRM now saying
    05.03) was a new key that nothing refused: the client got a second birthday letter six weeks
    after the first. ``past`` is the contact's rows and those to its address under another id
    (a renumbered client), as for the exact key (:func:`~greeter.planner.plan`).

    A ``skipped`` row that rode in another occasion's letter (``merged_into``) was greeted in that
    letter: it counts as that letter does — the carrier's row (the same contact id, its
    ``merged`` naming the occasion, the nearest such) in a state that counts. A ``failed``,
    ``expired`` or other ``skipped`` row never reached the client: the corrected date is greeted.
    The nearest such greeting is named (the earlier one when two are as near).
    """
    found: Greeted | None = None
    rank: tuple[int, date] | None = None  # the found one's distance and date: nearer, then earlier wins
    for p in past:
        if p.occasion != hit.occasion or p.occasion_date == hit.date:
            continue
        apart = abs((p.occasion_date - hit.date).days)
        if apart >= REGREET_DAYS or (rank is not None and (apart, p.occasion_date) >= rank):
            continue
        greeted = _counted(p, past)
        if greeted is not None:
            found, rank = greeted, (apart, p.occasion_date)
    return found


def _counted(row: PastGreeting, past: Sequence[PastGreeting]) -> Greeted | None:
    """``row`` as a greeting that counts (:func:`greeted_before`), else None."""
    if row.state in CAP_STATES:
        return Greeted(row)
    if row.state == "skipped" and row.merged_into is not None:
        carrier = _carrier(row, past)
        if carrier is not None and carrier.state in CAP_STATES:
            return Greeted(row, carrier)
    return None


def counts_as_greeted(row: PastGreeting, past: Sequence[PastGreeting]) -> bool:
    """Whether ``row`` greeted its occasion, or may yet: a state of :data:`CAP_STATES`, or a
    ``skipped`` row that rode in such a letter (its carrier among ``past``).

    The rule for another contact id's row to the same address (a CRM that renumbered the
    client, :func:`~greeter.planner.journal_past`): such a letter reached the mailbox or may
    still, so a second one would be "twice". A ``failed``, ``expired`` or otherwise ``skipped``
    row under the old id never reached it: the person is greeted under the id they have now,
    as a corrected date is (:func:`greeted_before`).
    """
    return _counted(row, past) is not None


def journal_words(row: PastGreeting) -> str:
    """``already_sent``'s words after "the journal already has this greeting" for ``row``, held
    under another contact id than the contact's to the address it has now.

    Names the other id and asks the question a manager has to answer: a CRM that renumbers its
    clients (a migration, a merge of duplicates, an export from another view) is the usual cause,
    and nothing else in a preview would show it.
    """
    words = f"({row.state}) to {row.email} under contact id {row.contact_id}"
    then = _NEXT.get(row.state)
    return f"{words} (was the CRM renumbered?){then}" if then else f"{words}: was the CRM renumbered?"


def _carrier(row: PastGreeting, past: Sequence[PastGreeting]) -> PastGreeting | None:
    """The letter ``row`` rode in: ``merged_into``'s row of the same contact id naming ``row``'s
    occasion in ``merged`` — the nearest, as the same pair rides along every year."""
    near: PastGreeting | None = None
    for p in past:
        if p.occasion != row.merged_into or p.contact_id != row.contact_id or row.occasion not in p.merged:
            continue
        if near is None or abs((p.occasion_date - row.occasion_date).days) < abs(
            (near.occasion_date - row.occasion_date).days
        ):
            near = p
    return near


def precheck(
    hit: Hit,
    *,
    audience: Audience | AudienceRule,
    past_keys: Mapping[tuple[str, date], str],
    suppressed: bool | str,
) -> tuple[Reason, str] | None:
    """The reason a hit cannot be greeted at all, before the cap is considered.

    ``suppressed``: the address is on the journal's do-not-contact list (True), or why the
    contact may not be written to (:func:`do_not_contact`: another listed address of theirs
    is on it, or the person opted out under another address). The
    CRM's own opt-out column (:attr:`~greeter.contacts.Contact.do_not_contact`)
    is the contact's data, so it is asked here too: one ``suppressed`` decision,
    whichever list says it.
    """
    if hit.problem is not None:
        return "invalid_contact", hit.problem
    if past_keys:
        state = past_keys.get((hit.occasion, hit.date))
        if state is not None:
            # A bare state (the contact's own row), or journal_words() of another id's row.
            words = state if state.startswith("(") else f"({state}){_NEXT.get(state, '')}"
            return "already_sent", f"{JOURNAL_HAS} {words}"
    rule = audience if isinstance(audience, AudienceRule) else AudienceRule.of(audience)
    if not rule.admits(hit.contact, hit.years):
        return "outside_audience", rule.why_not(hit.contact, hit.years)
    if hit.outside is not None:  # a holiday their calendar has not by that name (Hit.outside)
        return "outside_audience", hit.outside
    if not hit.contact.email:
        return "no_email", "the contact has no e-mail address"
    if suppressed:
        return "suppressed", suppressed if isinstance(suppressed, str) else on_the_list(hit.contact.email)
    if (why := crm_opt_out(hit.contact)) is not None:  # the CRM's own opt-out flag: read afresh each load
        return "suppressed", why
    return None


def on_the_list(address: str | None) -> str:
    """The ``suppressed`` detail of a contact whose address is on the do-not-contact list."""
    return f"{address} is on the do-not-contact list"


def bounced_words(address: str | None, entry: Suppression) -> str:
    """The ``suppressed`` detail of an address listed because mail to it bounced (its reason
    ``bounced: …``): "is on the do-not-contact list" read to a manager as the client's own wish."""
    reply = entry.reason.removeprefix(BOUNCED).strip() or "no reply kept"
    said = f"{address} bounced on {entry.created_at:%Y-%m-%d} (the server said: {reply})"
    return f"{said}; it is not written to again"


def do_not_contact(
    contact: Contact,
    key: str,
    listed: Collection[str],
    opted_out: Mapping[str, PersonOptOut],
    bounced: Mapping[str, Suppression] | None = None,
) -> bool | str:
    """Whether the journal's lists keep ``contact`` from being greeted: True for its address on the
    do-not-contact list (``key``: its :func:`~greeter.contacts.email_key`, "" when not asked) — or
    :func:`bounced_words` when it is there because mail to it bounced (``bounced``: those
    entries by address) —, else the words for one of the person's other ways onto it, else False.

    Another address its e-mail cell lists (:attr:`~greeter.contacts.Contact.other_emails`) on the
    list is the same person's objection, whichever address the CRM puts first. A person-level
    opt-out (:class:`~greeter.journal_store.PersonOptOut`: an unsubscribe, a complaint, a request
    by hand) binds the contact id whatever address the CRM gives it now; the words name the
    address it came from and its date, and say when that is not the address greeted now, so a
    reviewer sees why a new address is skipped and how to lift it.
    """
    if key and key in listed:
        bounce = bounced.get(key) if bounced else None
        return bounced_words(contact.email, bounce) if bounce is not None else True
    if listed and contact.other_emails:
        for other in contact.other_emails:
            if email_key(other) in listed:
                return (
                    f"{on_the_list(other)}, and the contact's e-mail cell lists it with {contact.email}:"
                    " the same person, so neither is greeted"
                )
    entry = opted_out.get(contact.id) if opted_out else None
    if entry is None:
        return False
    said = opted_out_words(entry)
    if not entry.email or entry.email in {email_key(a) for a in contact.addresses}:
        return said
    return (
        f"{said}, an address this contact no longer has; the opt-out is the person's, so"
        f" {contact.email} is not greeted either (greeter unsuppress --contact {contact.id} lifts it)"
    )


def opted_out_words(entry: PersonOptOut) -> str:
    """A person-level opt-out as a ``suppressed`` reason says it: from which address, when, and why.

    One made by contact id with no address to name (``suppress --contact`` of a row whose e-mail
    was rejected, or of an id the contacts do not have yet) says so, not "from  (…)".
    """
    source = f"from {entry.email}" if entry.email else "by its contact id"
    return f"the client opted out on {entry.created_at:%Y-%m-%d} {source} ({entry.reason})"


def crm_opt_out(contact: Contact) -> str | None:
    """Why the CRM's opt-out column keeps ``contact`` from being greeted; None: it does not. The
    planner's detail, and a waiting retry's reason when the flag came after its letter was written.

    A cell that said neither yes nor no is named as such: "the CRM marks this contact" sent an
    operator reading the gallery away from a cell that needed fixing.
    """
    column = contact.do_not_contact
    if column is None:
        return None
    if contact.do_not_contact_unread is not None:
        return (
            f"the CRM's column «{column}» says {contact.do_not_contact_unread}, neither yes nor no:"
            " treated as do-not-contact until it says no"
        )
    return f"the CRM marks this contact do-not-contact (column «{column}»)"
