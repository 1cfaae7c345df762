"""The pages a big gallery adds: the overview of its days, and the lists of folded skips.

Why apart from :mod:`greeter.gallery`: these pages show no card — a row per
day with its counts (:func:`overview_rows`) and a line per contact left out
of an occasion's audience (:func:`fold_page`) — so a month of a big CRM opens
on a page of a few kilobytes, and 150,000 ``outside_audience`` skips are
names to scroll, not 150,000 cards to draw. Everything from contacts and
config goes through :func:`html.escape`, as on every page of the gallery;
the words are the team's language's (:class:`~greeter.gallery_lang.Ui`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from html import escape
from itertools import groupby

from greeter.gallery_card_html import APPROVAL_LABELS
from greeter.gallery_cards import Status
from greeter.gallery_lang import Ui
from greeter.gallery_layout import LIST_LINES, Fold, Listing
from greeter.gallery_quota import DayNote, quota_note

__all__ = [
    "DAY_NOTES",
    "day_off",
    "day_review",
    "fold_line",
    "fold_page",
    "overview_rows",
    "pager",
    "review_columns",
]

#: How a day is summed up, by its cards' groups (each one's words: ``day.<group>``; no number words,
#: so no plural forms to get wrong).
DAY_NOTES: tuple[Status, ...] = ("send", "sent", "merged", "skip", "error", "failed", "pending")


#: The review states a day always counts under ``review: required`` (``approval_outdated`` only
#: where it occurs: after an upgrade, not in a reviewer's every week).
REVIEW_ALWAYS = ("awaiting_approval", "changed_since_approval", "approved")


def day_review(listings: Iterable[Listing]) -> Counter[str]:
    """How many of ``listings``' letters are in each review state (empty: no review, or no letter)."""
    return Counter(c.approval for listing in listings for c in listing.cards if c.approval)


def review_columns(review: Counter[str]) -> tuple[str, ...]:
    """The review states a table of ``review``'s plan counts, in the filters' order; none without review."""
    if not review:
        return ()
    return tuple(key for key in APPROVAL_LABELS if key in REVIEW_ALWAYS or review[key])


def _review_cell(key: str, n: int, parts: Sequence[Listing], label: str) -> str:
    """A day's count of one review state, linking to the first of its parts holding such letters
    with that filter on (``#f=``: the gallery's script reads it as it opens the page)."""
    if not n:
        return f'<td class="n n-{key}" data-label="{label}"></td>'
    page = next(listing.name for listing in parts if any(c.approval == key for c in listing.cards))
    return f'<td class="n n-{key}" data-label="{label}"><a href="{escape(page)}#f={key}">{n}</a></td>'


def day_off(off: bool, ui: Ui) -> str:
    """«· выходной» after a day off's name: its orange alone said it to no one who cannot tell
    orange (WCAG 1.4.1); "" on a working day."""
    return f'<span class="day-off"> · {escape(ui.say("day.off"))}</span>' if off else ""


def _clients(n: int, ui: Ui) -> str:
    return ui.count(n, "clients.forms")


def pager(pages: Sequence[str], current: int, up: str, ui: Ui, *, end: bool = False) -> str:
    """Links to a day's (or a list's) parts, the current one marked; "" when there is one part.

    ``end``: the copy at the foot of a page that has one at its head too (a list's 5,000 names):
    a screen reader lists the landmarks by name, and two «Части» read as one twice.
    """
    links = _part_links(pages, current, up)
    if not links:
        return ""
    label = escape(ui.say("pager.label_end" if end else "pager.label"))
    return f'<nav class="pager" aria-label="{label}">{ui.say("pager.parts", links=links)}</nav>'


def _part_links(pages: Sequence[str], current: int, up: str) -> str:
    if len(pages) < 2:
        return ""
    return " ".join(
        f'<span aria-current="page">{k}</span>' if k == current else f'<a href="{up}{escape(page)}">{k}</a>'
        for k, page in enumerate(pages, start=1)
    )


def fold_line(fold: Fold, up: str, ui: Ui) -> str:
    """The line that stands for a day's ``outside_audience`` skips of one occasion: count and list.

    ``data-status="skip"``: the filters show it with the skips (and hide it
    with the letters) as they would its cards.
    """
    first = fold.cards[0]
    title = escape(first.titles.get(fold.occasion, fold.occasion))
    line = ui.say("fold.line", clients=_clients(len(fold.cards), ui))
    return (
        f'<p class="folded" data-status="skip"><span class="badge badge-skip" title="outside_audience">'
        f"{ui.say('fold.badge')}</span> <b>{title}</b>: {line}"
        f' · <a href="{up}{escape(fold.page())}">{ui.say("fold.list")}</a></p>'
    )


def overview_rows(
    listings: Sequence[Listing],
    ui: Ui,
    quota: Mapping[date, DayNote] | None = None,
    weekend: Callable[[date], bool] = lambda day: day.weekday() >= 5,
) -> Iterator[str]:
    """The overview's table: a row per day — its counts by group, the folded skips, links to its parts;
    under a day the daily quota cannot send whole, the quota's note (:mod:`greeter.gallery_quota`).

    Under review, a column per review state too (:func:`review_columns`), each day's count a link to
    its letters in that state: a reviewer of 7,620 year-end letters saw the waiting ones counted only
    for the whole plan, and reached them by opening day after day.

    A group no day has is no column (``failed``, ``pending`` and ``merged`` were columns of blanks
    that pushed «ждёт одобрения» off a 820 px tablet), nor are the parts when no day has two. The
    heading is outside the table's scrolling box, and each cell carries its column's word
    (``data-label``): on a phone the stylesheet shows a day as a card of "34 к отправке" pairs.

    The skips outside an occasion's audience are counted with the day's skips, as the day's page
    and the summary's tile count them (the tooltip says how many of them): they were a column of
    their own beside an empty «пропущено», while the day's page said «пропущено: 8».
    """
    days = [(day, list(parts)) for day, parts in groupby(listings, key=lambda listing: listing.day)]
    kinds = {day: Counter(c.status for listing in of_day for c in listing.cards) for day, of_day in days}
    outside = {day: sum(len(f.cards) for listing in of_day for f in listing.folds) for day, of_day in days}
    for day, _ in days:
        kinds[day]["skip"] += outside[day]
    notes = tuple(key for key in DAY_NOTES if any(kinds[day][key] for day, _ in days))
    with_parts = any(len(of_day) > 1 for _, of_day in days)
    columns = review_columns(day_review(listings))
    label: dict[str, str] = {key: escape(ui.say(f"day.{key}")) for key in notes}
    label |= {key: escape(ui.say(APPROVAL_LABELS[key][0])) for key in columns}
    heads = [(f"n n-{key}", label[key]) for key in notes]
    heads += [(f"n n-{key}", label[key]) for key in columns]
    heads += [("parts", ui.say("overview.parts"))] if with_parts else []
    yield (
        f'<h2 class="days-caption" id="days-caption">{ui.say("overview.caption")}</h2>\n'
        f'<div class="days-wrap"><table class="days{" review" if columns else ""}"'
        ' aria-labelledby="days-caption">'
        f'<thead><tr><th scope="col">{ui.say("overview.day")}</th>'
        + "".join(f'<th scope="col" class="{cls}">{word}</th>' for cls, word in heads)
        + "</tr></thead><tbody>\n"
    )
    for day, of_day in days:
        tip = f' title="{escape(ui.say("overview.outside"))}: {outside[day]}"' if outside[day] else ""
        cells = "".join(
            f'<td class="n n-{key}" data-label="{label[key]}"{tip if key == "skip" else ""}>'
            f"{kinds[day][key] or ''}</td>"
            for key in notes
        )
        review = day_review(of_day)
        cells += "".join(_review_cell(key, review[key], of_day, label[key]) for key in columns)
        if with_parts:
            more = _part_links([listing.name for listing in of_day], 0, "")
            cells += f'<td class="parts" data-label="{escape(ui.say("overview.parts"))}">{more}</td>'
        styled = ' class="day-weekend"' if weekend(day) else ""
        yield (
            f'<tr{styled}><th scope="row"><a href="{of_day[0].name}">{ui.long_day(day)}</a>'
            f"{day_off(weekend(day), ui)}{quota_note(day, quota or {}, ui)}</th>{cells}</tr>\n"
        )
    yield "</tbody></table></div>\n"


def fold_page(head: str, fold: Fold, part: int, back: str, ui: Ui) -> Iterator[str]:
    """Page ``part`` of a fold's list: who is left out of the occasion's audience that day, and why.

    One line each, no card and no script: the reasons differ (the contact's
    tags are named), the letter does not exist.
    """
    first = fold.cards[0]
    title = escape(first.titles.get(fold.occasion, fold.occasion))
    chunk = fold.cards[(part - 1) * LIST_LINES : part * LIST_LINES]
    names = [fold.page(k) for k in range(1, fold.parts + 1)]
    pages, pages_end = (pager(names, part, "../", ui, end=end) for end in (False, True))
    day = ui.long_day(fold.day)
    clients = _clients(len(fold.cards), ui)
    yield head
    yield f"""<body class="index folded-list">
<nav class="back" aria-label="{escape(ui.say("nav.back"))}"><a href="{escape(back)}">← {day}</a></nav>
<header class="page-head">
<div class="title-row">
<h1>{ui.say("fold.heading", title=title)}</h1>
<p class="range">{ui.say("fold.range", day=day, clients=clients)}</p>
</div>
{pages}
</header>
<main>
<ol class="names" start="{(part - 1) * LIST_LINES + 1}">
"""
    for card in chunk:
        who = escape(card.name or card.contact_id)
        email = escape(card.email) or ui.say("no_email")
        why = f' — <span class="detail">{escape(card.detail)}</span>' if card.detail else ""
        yield f"<li><b>{who}</b> · {email} · ID {escape(card.contact_id)}{why}</li>\n"
    yield f"""</ol>
{pages_end}
</main>
<footer class="page-foot">greeter preview</footer>
</body>
</html>
"""
