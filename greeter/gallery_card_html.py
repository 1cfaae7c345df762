"""A gallery card in HTML, and the pieces of it a letter's own page shows too.

Split from :mod:`greeter.gallery`, which writes the pages: this is how one
:class:`~greeter.gallery_cards.Card` reads in them — the status pill and its
tooltip, the review state, the occasion line with its merged chips, the links
to the letter — on the index and the day pages (:func:`card_html`), and at the
head of the letter's page (:func:`badge`, :func:`occasion_line`). Everything
that comes from contacts or templates goes through :func:`html.escape` here
(see the module doc of :mod:`greeter.gallery`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from greeter.gallery_cards import Card
from greeter.gallery_lang import Ui
from greeter.gallery_quota import SETTING as QUOTA_SETTING

__all__ = [
    "APPROVAL_LABELS",
    "approval_words",
    "approver_words",
    "badge",
    "breakable",
    "card_html",
    "lang_attr",
    "occasion_line",
]

#: A letter's review states under ``review: required`` (JSON ``approval``), in the order the filters
#: and the summary list them → the keys of their words in each language's table (the label, and
#: what it means): ``approval.<state>``, ``approval.<state>.means``.
APPROVAL_LABELS: dict[str, tuple[str, str]] = {
    state: (f"approval.{state}", f"approval.{state}.means")
    for state in ("awaiting_approval", "changed_since_approval", "approval_outdated", "approved")
}


def breakable(text: str) -> str:
    """``text`` escaped, a line allowed to break after each ``@`` and ``.`` (``<wbr>``): on a phone
    «greetings@romashka.examp|le» broke wherever the line ended; now at «greetings@|romashka.|example».

    Safe: :func:`html.escape` writes no ``@`` nor ``.`` of its own, so each one is the text's.
    """
    return escape(text).replace("@", "@<wbr>").replace(".", ".<wbr>")


def lang_attr(tag: str) -> str:
    """The ``lang`` attribute (with its leading space) for a letter's words; "" when unknown."""
    return f' lang="{escape(tag)}"' if tag else ""


def badge(card: Card, ui: Ui) -> str:
    """The status pill; the machine word and the detail are in the tooltip for people who grep logs."""
    if (said := card.said) is not None:  # first: an occasion that rode in a sent letter is "sent" too
        carrier = card.merged_with[0] if card.merged_with else ""
        label, cls = ui.say(f"{said.key}.badge", letter=card.titles.get(carrier, carrier)), said.style
    elif card.status == "send" and card.quota_held is not None:  # what JSON's quota_held says
        label, cls = ui.say("day.quota_later" if card.quota_held == "later" else "day.quota_lost"), "quota"
    elif card.status in ("send", "sent", "error"):
        label, cls = ui.say(f"badge.{card.status}"), card.status
    else:
        reason = card.reason or ""
        label = ui.say("badge.skip", reason=ui.get(f"reason.{reason}") or reason)
        cls = reason if reason in ("merged", "frequency_cap", "invalid_contact") else "skip"
    state = f"journal_state: {card.journal_state}" if card.journal_state else ""
    code = f"reason_code: {card.reason_code}" if card.reason_code else ""
    held = f"{QUOTA_SETTING}: {card.quota_held}" if card.quota_held is not None else ""
    tip = " — ".join(p for p in (held, card.reason, state, code, card.planner_detail) if p)
    # the machine words and the planner's sentence stay as JSON and the logs have them (English);
    # what says so is the page's language: a Russian page's tooltip was English from end to end
    title = f' title="{escape(ui.say("badge.tip", words=tip))}"' if tip else ""
    # Neutral on purpose: with day_off_policy "after" (or past max_days_early) a Saturday
    # birthday greeted on Monday is late by design, not after downtime. Only the fact: what the
    # letter says is its template's (new_year.j2 says «с наступающим» whatever the day), and the
    # page shows the letter itself.
    on = f" ({ui.day_month(card.occasion_day)})" if card.occasion_day else ""
    tip = escape(ui.say("belated.tip") + on)
    belated = f' <span class="badge badge-belated" title="{tip}">{ui.say("belated")}</span>'
    return (
        f'<span class="badge badge-{cls}"{title}>{escape(label)}</span>'
        + (belated if card.belated else "")
        + _approval_badge(card.approval, ui)
    )


def approval_words(approval: str | None, ui: Ui) -> tuple[str, str] | None:
    """A review state's label and what it means, in ``ui``'s words; None: not under review."""
    keys = APPROVAL_LABELS.get(approval or "")
    return None if keys is None else (ui.say(keys[0]), ui.say(keys[1]))


def approver_words(by: str | None, at: str | None, ui: Ui) -> str:
    """Who approved a letter and when (``approve --by``; ``at`` ISO, shown in UTC as the journal
    keeps it), in brackets after its review state; "" when nobody did. For a letter changed since,
    whose the approval it lost was. The gallery's letter page and the calendar's events say it alike."""
    if not by or not at:
        return ""
    moment = datetime.fromisoformat(at).astimezone(UTC)
    return f" ({by}, {ui.short_date(moment.date())} {moment:%H:%M} UTC)"


def _approval_badge(approval: str | None, ui: Ui) -> str:
    """The review state beside the status, as the table and JSON give it: whether it will leave."""
    said = approval_words(approval, ui)
    if said is None or approval is None:
        return ""
    tip = escape(f"{approval} — {said[1]}")
    return f' <span class="badge badge-{approval}" title="{tip}">{escape(said[0])}</span>'


def _called(card: Card, occasion: str) -> str:
    """An occasion as people call it (its config ``title``), its machine name in the tooltip."""
    title = card.titles.get(occasion, occasion)
    if title == occasion:
        return escape(occasion)
    return f'<span title="{escape(occasion)}">{escape(title)}</span>'


def occasion_line(card: Card, ui: Ui) -> str:
    chips = "".join(f'<span class="chip">+ {_called(card, o)}</span>' for o in card.merged_with)
    if card.reason == "merged" and card.merged_with:
        chips = f'<span class="chip chip-into">→ {_called(card, card.merged_with[0])}</span>'
    # The years hang on the title's last word (a no-break space before "·"): a long title wraps
    # between its words, never leaving "· 8 лет" alone on a line of its own.
    years = f'&nbsp;<span class="years">{escape(card.years)}</span>' if card.years else ""
    occ = _called(card, card.occasion)
    own = card.own_day
    tip = escape(ui.say("own_day.tip"))
    on = f'&nbsp;<span class="on" title="{tip}">{own}</span>' if own else ""
    what = f'<span class="what"><span class="occ">{occ}</span>{years}{on}</span>'
    return f'<div class="occasion">{what}{chips}</div>'


def _open_link(card: Card, subject_linked: bool, ui: Ui, up: str = "") -> str:
    """The card's «Открыть письмо →»: its own letter, or the letter a merged occasion rides in.

    One tab stop per card: where the subject already links to the page, this
    second link to it is no tab stop (``tabindex="-1"``) — a gallery of 2,255 cards was 3,793
    Tab presses. It is not hidden from assistive technology, though: hidden, a voice-control
    user could not say «click Open the letter», which they see. Its name is its words and,
    unseen, whose letter it is (a list of links read a column of identical «Open the letter»).
    """
    if card.page:
        quiet = ' tabindex="-1"' if subject_linked else ""
        who = escape(card.name or card.contact_id)
        whose = f'<span class="visually-hidden whose" dir="auto"> ({who})</span>'
        return f'<a class="open" href="{up}{escape(card.page)}"{quiet}>{ui.say("open")}{whose}</a>'
    if card.carrier:
        lead = card.merged_with[0]
        words = ui.say("open.carrier", letter=card.titles.get(lead, lead))
        return f'<a class="open" href="{up}{escape(card.carrier)}">{escape(words)}</a>'
    return ""


def card_html(card: Card, ui: Ui, up: str = "") -> str:
    """A card; ``up``: the way from its page to the gallery's folder (``../`` from a day's page)."""
    subject = escape(card.subject)
    linked = bool(card.page and card.subject)
    if linked:
        subject = f'<a href="{up}{escape(card.page or "")}">{subject}</a>'
    # dir="auto" on the client's words (subject, name): a Hebrew or Arabic one reads right to left,
    # its "!" and "," at its own end, whatever the gallery's language.
    subject_html = (
        f'<p class="subject"{lang_attr(card.lang)} dir="auto">{subject}</p>' if card.subject else ""
    )
    detail = f'<p class="detail">{escape(card.detail)}</p>' if card.detail else ""
    link = _open_link(card, linked, ui, up)
    tz = f'<span class="tz">{escape(card.timezone)}</span>' if card.timezone else ""
    when_title = ui.say("when.occasion")
    if card.when_is_send:
        when_title = ui.say("when.sent" if card.status == "sent" else "when.send")
    when = f'<span class="when" title="{escape(when_title)}">{escape(card.when)}</span>' if card.when else ""
    review = f' data-approval="{card.approval}"' if card.approval else ""
    return f"""<article class="card card-{card.status}" id="card-{card.n}" data-status="{card.status}"{review}
 data-search="{escape(card.search_text)}">
<div class="card-top">{when}{tz}</div>
<h3 class="who" dir="auto">{escape(card.name or card.contact_id)}</h3>
<p class="email">{breakable(card.email) or f"<em>{ui.say('no_email')}</em>"}\
<span class="cid"> · ID {escape(card.contact_id)}</span></p>
{occasion_line(card, ui)}
{subject_html}
<div class="status">{badge(card, ui)}</div>
{detail}{link}
</article>"""
