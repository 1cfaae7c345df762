"""What the gallery's index knows of each draft: its card — its group, its day, its words.

Why a module of its own: :mod:`greeter.gallery` writes HTML, and this is the
decision under it — which group (:data:`Status`) a draft falls in once the
journal's word on it is read (a bounce is not "already sent"), which day it
is filed under and in what order, and what it says in the team's language
(:class:`~greeter.gallery_lang.Ui`).
A :class:`Card` is small on purpose (names, subject, status — never the
letter): a plan may hold a million drafts, and only the cards are kept for
the index, which is written last.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from greeter.contacts import readable_address
from greeter.gallery_lang import Ui
from greeter.journal_store import BASELINE, is_dismissed
from greeter.plan_drafts import merged_into_failed
from greeter.planner import BASELINE_WORDS, recorded_skip

__all__ = ["CARRIED_STATES", "JOURNAL_STATES", "Card", "Said", "Status", "card_of", "draft_page_name"]

#: A card's group: a letter, a letter the journal says left, an occasion riding in another letter,
#: a skip, a letter that failed to render, a letter the mail server refused (``failed``), one whose
#: delivery the journal cannot confirm yet (``uncertain``, ``retry``, ``claimed``).
Status = Literal["send", "sent", "merged", "skip", "error", "failed", "pending"]

#: The groups whose card's day and time are when the letter leaves (or left), not the occasion's day.
_LEAVING: frozenset[Status] = frozenset({"send", "sent", "error"})


@dataclass(frozen=True, slots=True)
class Said:
    """How a card reads a greeting the journal already holds: its group, its badge's style, and
    ``key``, its words' in the language's table (``<key>.badge``, with ``{letter}``: the carrying
    letter's occasion title; ``<key>.note``: the index's summary; ``<key>.detail``: the card's)."""

    status: Status
    style: str
    key: str


#: A greeting the journal already holds (``already_sent``), by the row's state (JSON
#: ``journal_state``). A bounce read «пропуск: уже отправлено» and was counted so: a marketer
#: concluded the client was greeted. A state not here (``sent``) keeps «уже отправлено».
JOURNAL_STATES: dict[str, Said] = {
    "failed": Said("failed", "failed", "journal.failed"),
    "uncertain": Said("pending", "uncertain", "journal.uncertain"),
    "retry": Said("pending", "retry", "journal.retry"),
    "claimed": Said("pending", "claimed", "journal.claimed"),
    "skipped": Said("skip", "skip", "journal.skipped"),
}

#: A greeting ``greeter baseline`` recorded (JSON ``reason_code`` ``baseline``, ``journal_state``
#: ``skipped``): the tool before greeter sent it. «уже отправлено» read as greeter's own letter.
BASELINE_SAID = Said("skip", "skip", "journal.baseline")

#: An occasion that rode in a letter ``greeter baseline`` recorded (the planner's detail ends in
#: :data:`~greeter.planner.BASELINE_WORDS`, ``journal_state`` ``skipped``): the tool before greeter
#: sent that letter — not greeter («отправлено в письме» read as greeter's), not "not sent" either.
BASELINE_CARRIED = Said("skip", "skip", "carried.baseline")

#: An occasion that rode in another occasion's letter (``merged``), by that letter's journal state;
#: none (``journal_state`` null): the letter is still planned, «объединено».
CARRIED_STATES: dict[str, Said] = {
    "sent": Said("sent", "sent", "carried.sent"),
    "failed": Said("failed", "failed", "carried.failed"),
    "uncertain": Said("pending", "uncertain", "carried.uncertain"),
    "retry": Said("pending", "retry", "carried.retry"),
    "claimed": Said("pending", "claimed", "carried.claimed"),
    "skipped": Said("skip", "skip", "carried.skipped"),
    "expired": Said("skip", "skip", "carried.expired"),
}


def _said(reason: str | None, journal_state: str | None, reason_code: str | None = None) -> Said | None:
    """How the journal's word on this greeting reads (:data:`JOURNAL_STATES`, :data:`CARRIED_STATES`,
    :data:`BASELINE_SAID`); None: it has none, or the plain reason says it."""
    if reason == "merged":
        return BASELINE_CARRIED if reason_code == BASELINE else CARRIED_STATES.get(journal_state or "")
    if reason == "already_sent":
        return BASELINE_SAID if reason_code == "baseline" else JOURNAL_STATES.get(journal_state or "")
    return None


@dataclass(frozen=True, slots=True)
class Card:
    """What the index needs to know about one draft — small on purpose (no letter text)."""

    n: int
    #: The day it is filed under; None for a contact error, which has no day (see :attr:`contact_error`).
    day: date | None
    order: tuple[float, str]
    status: Status
    reason: str | None
    #: Why, as the card says it (in a Russian gallery, Russian where :mod:`greeter.gallery_words`
    #: knows the sentence; else the planner's own).
    detail: str | None
    when: str
    timezone: str
    name: str
    email: str
    contact_id: str
    occasion: str
    merged_with: tuple[str, ...]
    #: What people call each occasion (config ``title``), for the occasion and every name it merges with.
    titles: Mapping[str, str]
    years: str
    subject: str
    #: The letter leaves after its occasion's day and says so («с прошедшим»): by design
    #: (``day_off_policy: after``) or catching up after downtime — the card cannot tell which.
    belated: bool
    #: The occasion's own day (None: a date that could not be read), e.g. for the belated badge.
    occasion_day: date | None
    page: str | None
    #: Under ``review: required``, a letter's review state (a key of
    #: :data:`greeter.gallery_card_html.APPROVAL_LABELS`); else None.
    approval: str | None = None
    #: The planner's own sentence (English, as the CLI, JSON and logs say it): the pill's tooltip.
    planner_detail: str | None = None
    #: The letter's language as a BCP 47 tag (``sr-Latn``); "" when there is no letter.
    lang: str = ""
    #: A letter the daily quota holds back: ``later`` or ``expires`` (JSON ``quota_held``'s fate,
    #: set once every card is read); None for any other card.
    quota_held: str | None = None
    #: What the journal holds (JSON ``journal_state``): the greeting's row, or for a ``merged``
    #: occasion the carrying letter's; None when it holds nothing of it.
    journal_state: str | None = None
    #: history's word when it says more than ``reason`` (JSON ``reason_code``: ``baseline``); else None.
    reason_code: str | None = None
    #: When the letter leaves (ISO, as the JSON's ``send_at``); for a ``merged`` occasion, when the
    #: letter carrying it does — which, with the contact and the carrier's occasion, finds that letter.
    send_at: str | None = None
    #: A ``merged`` occasion: the page of the letter it rides in (set once every card is read); None
    #: when that letter has no page (not rendered, not in this gallery), and on any other card.
    carrier: str | None = None
    #: The occasion's own day, ``Сб 05.01``, when the letter leaves on another day; else "".
    #: A Saturday birthday greeted on Friday, a New Year letter leaving on 30 December: the
    #: card showed only the send day, and a reviewer could not tell a letter moved off a day
    #: off from a wrong birth date without opening the contact.
    own_day: str = ""

    @property
    def carried_by(self) -> tuple[str, str, str] | None:
        """(contact id, occasion, send moment) of the letter this merged occasion rides in; else None."""
        if self.reason != "merged" or not self.merged_with or self.send_at is None:
            return None
        return self.contact_id, self.merged_with[0], self.send_at

    @property
    def letter_key(self) -> tuple[str, str, str] | None:
        """(contact id, occasion, send moment) of this card's own letter, when it has a page; else None."""
        if self.page is None or self.send_at is None:
            return None
        return self.contact_id, self.occasion, self.send_at

    @property
    def said(self) -> Said | None:
        """How the journal's state reads on this card; None: the plain status or reason says it."""
        return _said(self.reason, self.journal_state, self.reason_code)

    @property
    def contact_error(self) -> bool:
        """An ``invalid_contact`` skip: a row to fix in the CRM, shown once apart from the days."""
        return self.reason == "invalid_contact"

    @property
    def when_is_send(self) -> bool:
        """Whether :attr:`when` is when the letter leaves (or left) rather than the occasion's day."""
        return self.status in _LEAVING

    @property
    def search_text(self) -> str:
        """What the free-text search matches: name, e-mail, id, occasions, subject."""
        names = (self.occasion, *self.merged_with)
        titles = tuple(self.titles.get(o, "") for o in names)
        parts = (self.name, self.email, self.contact_id, *names, *titles, self.subject)
        return " ".join(p for p in parts if p).lower().replace("ё", "е")


def card_of(
    n: int, data: dict[str, Any], *, has_page: bool, titles: Mapping[str, str], ui: Ui, lang: str = ""
) -> Card:
    """Reduce one draft's JSON object to its index card, its words in ``ui``'s language."""
    occasion_day = date.fromisoformat(data["occasion_date"]) if data["occasion_date"] else None
    status: Status = data["status"]
    code = _code(data)
    if data["reason"] == "render_error":
        status = "error"
    elif (said := _said(data["reason"], data["journal_state"], code)) is not None:
        status = said.status  # what the journal says became of it: sent, not delivered, in flight
    elif data["reason"] == "merged":
        status = "merged"  # its own group: the summary, the filter and the day notes count alike
    leaves = datetime.fromisoformat(data["send_at"]) if data["send_at"] else None
    leaving = status in _LEAVING
    send_at = leaves if leaving else None  # a merged card: its occasion's day
    day: date | None
    if send_at is not None:
        day = send_at.date()
        when = ui.moment(send_at)
        order = (send_at.timestamp(), data["name"])
    else:
        day = occasion_day
        when = ui.short_day(day) if day else ""  # no date read: none shown
        order = (float("inf"), data["name"])
    years = data["years"]
    return Card(
        n=n,
        day=day,
        order=order,
        status=status,
        reason=data["reason"],
        detail=_carried(data, leaves, titles, ui) or _journal(data, ui) or ui.detail(data["detail"], titles),
        when=when,
        timezone=data["timezone"] or "",
        name=data["name"] or "",
        email=readable_address(data["email"] or ""),  # as people read it: an IDN domain in Unicode
        contact_id=data["contact_id"],
        occasion=data["occasion"],
        merged_with=tuple(data["merged_with"]),
        titles=titles,
        years="" if years is None else ui.years(years),
        subject=data["subject"] or "",
        belated=bool(data["belated"]),
        occasion_day=occasion_day,
        page=draft_page_name(n, day) if has_page else None,
        approval=data["approval"] if status == "send" else None,
        planner_detail=data["detail"],
        lang=lang,
        journal_state=data["journal_state"],
        reason_code=code,
        send_at=data["send_at"],
        own_day=ui.short_day(occasion_day) if leaving and occasion_day and occasion_day != day else "",
    )


def draft_page_name(n: int, day: date | None) -> str:
    """Where draft ``n``'s page goes: ``drafts/2026-12-25/7.html``, in a folder of the day it leaves.

    Why a folder per day: a big CRM's month was 158,429 pages in one folder, which file
    managers, ``ls`` and archive tools choke on; a day's folder is what a reviewer looks
    for. Known when the page is written (the stream is not sorted by day).
    """
    return f"drafts/{day.isoformat()}/{n}.html" if day is not None else f"drafts/{n}.html"


def _carried(data: dict[str, Any], leaves: datetime | None, titles: Mapping[str, str], ui: Ui) -> str | None:
    """What a merged occasion's card says, in words and occasion titles — the planner's detail
    names the letter by its machine name (``sent with first_deal_anniversary``) and not when it
    leaves. None: not a merged occasion, the planner's detail stays."""
    if data["reason"] not in ("merged", "render_error") or not data["merged_with"]:
        return None
    lead = data["merged_with"][0]
    letter = titles.get(lead, lead)
    at = f", {ui.moment_in_sentence(leaves)}" if leaves else ""
    if data["reason"] == "merged" and data["journal_state"]:  # that letter was handed over
        said = _said("merged", data["journal_state"], _code(data))
        if said is None:
            return None
        fate = ui.say(f"{said.key}.detail", letter=letter)
        return fate + (at if data["journal_state"] == "sent" else "")
    if data["reason"] == "merged":
        return ui.say("carried.planned", letter=letter) + at
    failed = merged_into_failed(lead, "")
    if data["detail"] and data["detail"].startswith(failed):
        return ui.say("carried.failed_render", letter=letter, why=data["detail"][len(failed) :])
    return None


def _code(data: dict[str, Any]) -> str | None:
    """history's word where it says more than ``reason``: ``baseline`` (a JSON file older than the
    field has none) — and for an occasion that rode in a letter ``greeter baseline`` recorded, whose
    JSON word is history's ``merged``, ``baseline`` too: the planner's detail says so."""
    if data["reason"] == "merged" and (data["detail"] or "").endswith(BASELINE_WORDS):
        return BASELINE
    return data.get("reason_code") if data.get("reason_code") != data["reason"] else None


def _journal(data: dict[str, Any], ui: Ui) -> str | None:
    """What became of a greeting the journal already holds, in words (``journal.<state>.detail``) —
    the planner's "the journal already has this greeting (failed)" read as "already sent"."""
    said = _said(data["reason"], data["journal_state"], data.get("reason_code"))
    if data["reason"] != "already_sent" or said is None:
        return None
    if said.key == "journal.skipped" and (why := recorded_skip(data["detail"])) is not None:
        return _skip_why(why, ui)
    return ui.say(f"{said.key}.detail")


def _skip_why(why: str, ui: Ui) -> str:
    """A letter skipped when sending, with the reason the sender journaled, in ``ui``'s words.

    The journal's reason is the planner's reason code and sentence (``suppressed: … is on the
    do-not-contact list``), said as the planner's sentences are (:meth:`Ui.detail`; the code is
    the badge's business), or an operator's dismissal (:data:`~greeter.journal_store.DISMISSED`),
    which says the letter may well have arrived. A reason it cannot read is shown as written.
    """
    if is_dismissed(why):
        return ui.say("journal.dismissed.detail")
    code, sep, sentence = why.partition(": ")
    said = ui.detail(sentence, {}) if sep and ui.get(f"reason.{code}") is not None else None
    return ui.say("journal.skipped.why", why=said or why)
