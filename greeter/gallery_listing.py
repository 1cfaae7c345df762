"""The gallery's pages of cards: the index (or a big gallery's overview and day pages), their
header, summary tiles, filters and the contacts' errors.

Split from :mod:`greeter.gallery`, which decides which pages there are and
writes them; a card itself is :mod:`greeter.gallery_card_html`, the overview's
rows :mod:`greeter.gallery_overview`. Everything from contacts or templates is
escaped on the way in (see :mod:`greeter.gallery`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from html import escape

from greeter.gallery_card_html import APPROVAL_LABELS, card_html
from greeter.gallery_cards import Card
from greeter.gallery_head import CSS_NAME, INDEX_JS, inline_script, page_csp, page_head
from greeter.gallery_lang import Ui
from greeter.gallery_layout import Listing
from greeter.gallery_overview import DAY_NOTES, day_off, fold_line, overview_rows, pager, review_columns
from greeter.gallery_quota import DayNote, quota_note
from greeter.sources import Rejection

#: Filters the index offers (their words: ``filter.<key>``); the key is the card's ``data-status``
#: (or ``data-approval``: see :data:`APPROVAL_LABELS`, offered when the plan is under review).
_FILTERS: tuple[str, ...] = ("all", "send", "sent", "merged", "skip", "error", "failed", "pending")

#: Filters offered only when a card needs them (a journal that holds bounces or letters in flight):
#: two more buttons of «0» would only make the pinned toolbar taller.
_FILTERS_IF_ANY = frozenset({"failed", "pending"})


@dataclass(frozen=True, slots=True)
class Span:
    """The range a gallery shows and the moment it was made, as every page's header says them."""

    start: date
    days: int
    now: datetime
    #: The days the daily quota cannot send whole (:mod:`greeter.gallery_quota`).
    quota: Mapping[date, DayNote] = field(default_factory=dict)
    #: The days outside every one of their clients' working weeks, of the ``known`` ones.
    off: frozenset[date] = frozenset()
    #: The days whose clients' weeks are known; another is a weekend on Saturday and Sunday.
    known: frozenset[date] = frozenset()

    def weekend(self, day: date) -> bool:
        """Whether ``day`` is styled as a weekend (``day-weekend``)."""
        return day in self.off if day in self.known else day.weekday() >= 5


def _stats(cards: Sequence[Card], ui: Ui) -> str:
    """The summary tiles: how many to send, sent, merged, skipped, failed to render (and why)."""
    status_counts: Counter[str] = Counter(c.status for c in cards)
    merged = status_counts["merged"]
    to_send = status_counts["send"]
    combined = sum(1 for c in cards if c.status == "send" and c.merged_with)
    belated = sum(1 for c in cards if c.status == "send" and c.belated)
    send_notes = [ui.say("stat.combined", n=combined)] if combined else []
    send_notes += [ui.say("stat.belated", n=belated)] if belated else []
    review = Counter(c.approval for c in cards if c.approval)
    send_notes += [
        f"{review[key]} {ui.say(label)}" for key, (label, _) in APPROVAL_LABELS.items() if review[key]
    ]
    rode = sum(1 for c in cards if c.status == "sent" and c.reason == "merged")
    sent_note = (
        (ui.say("stat.by_journal") + (ui.say("stat.rode", n=rode) if rode else ""))
        if status_counts["sent"]
        else ""
    )

    def stat(cls: str, label: str, value: int, note: str) -> str:
        zero = " stat-zero" if not value else ""  # a phone leaves it out: room for the letters
        return (
            f'<div class="stat stat-{cls}{zero}" data-count="{cls}"><span class="stat-value">{value}</span>'
            f'<span class="stat-label">{label}</span><span class="stat-note">{note}</span></div>'
        )

    return "".join(
        (
            stat("send", ui.say("stat.send"), to_send, escape(", ".join(send_notes))),
            stat("sent", ui.say("stat.sent"), status_counts["sent"], escape(sent_note)),
            stat("merged", ui.say("stat.merged"), merged, ui.say("stat.merged_note") if merged else ""),
            stat("skip", ui.say("stat.skip"), status_counts["skip"], _tally(cards, "skip", ui)),
            stat(
                "error",
                # agrees with its number: «0 ошибок шаблонов», «1 ошибка шаблона», «3 ошибки шаблонов»
                ui.form(status_counts["error"], "stat.error.forms"),
                status_counts["error"],
                ui.say("stat.error_note") if status_counts["error"] else "",
            ),
            # only when the journal holds such letters: a bounce is not a skip nor a template error
            *(
                stat(key, ui.say(f"stat.{key}"), status_counts[key], _tally(cards, key, ui))
                for key in _FILTERS
                if key in _FILTERS_IF_ANY and status_counts[key]
            ),
        )
    )


def index_header(cards: Sequence[Card], span: Span, ui: Ui) -> str:
    """The index's header: the range, when the plan was made, and the whole plan's counts."""
    end = span.start + timedelta(days=max(span.days, 1) - 1)
    as_of = f"{ui.short_date(span.now.date())} {span.now:%H:%M} ({escape(str(span.now.tzinfo))})"
    days = ui.count(span.days, "header.days.forms")
    shown = ui.say(
        "header.range", start=ui.short_date(span.start), end=ui.short_date(end), days=days, as_of=as_of
    )
    return f"""<header class="page-head">
<div class="title-row">
<h1>{ui.say("header.title")} <span class="pill">{ui.say("header.pill")}</span></h1>
<p class="range">{shown}</p>
</div>
<div class="stats">{_stats(cards, ui)}</div>
</header>"""


def day_header(listing: Listing, parts: Sequence[str], review: Counter[str], ui: Ui) -> str:
    """A day page's header: the way back to the overview, the day, its parts.

    ``review``: the whole day's letters by review state. A day of more than a page is in parts,
    and each part's filters count its own cards only: a part's «ждёт одобрения 0» read as the
    day's, though its other parts held hundreds waiting. So the whole day's counts are said too.
    """
    part = ui.say("day.part", part=listing.part, parts=listing.parts) if listing.parts > 1 else ""
    whole = ""
    if listing.parts > 1 and review:
        said = " · ".join(
            f"{review[key]} {ui.say(APPROVAL_LABELS[key][0])}" for key in review_columns(review)
        )
        whole = f'\n<p class="range whole-day">{ui.say("day.whole", counts=said)}</p>'
    back = f'<a href="../index.html">{ui.say("nav.all_days")}</a>'
    return f"""<nav class="back" aria-label="{escape(ui.say("nav.back"))}">{back}</nav>
<header class="page-head">
<div class="title-row">
<h1>{ui.long_day(listing.day)}</h1>
<p class="range">{ui.say("day.range", part=part)}</p>{whole}
</div>
{pager(parts, listing.part, "../", ui)}
</header>"""


def _toolbar(cards: Sequence[Card], folded: int, ui: Ui) -> str:
    """The filters (each with its count on this page) and the search."""
    status_counts: Counter[str] = Counter(c.status for c in cards)
    status_counts["skip"] += folded
    review = Counter(c.approval for c in cards if c.approval)
    filter_counts = {"all": len(cards) + folded, **status_counts, **review}

    def buttons_of(filters: Iterable[tuple[str, str]]) -> str:
        return "".join(
            f'<button type="button" data-filter="{key}" data-count="{filter_counts.get(key, 0)}" '
            f'aria-pressed="{str(key == "all").lower()}">'
            f'{label} <span class="count">{filter_counts.get(key, 0)}</span></button>'
            for key, label in filters
            if key not in _FILTERS_IF_ANY or filter_counts.get(key)
        )

    status = buttons_of((key, ui.say(f"filter.{key}")) for key in _FILTERS)
    buttons = (
        f'<div class="filters" role="group" aria-label="{escape(ui.say("toolbar.status"))}">{status}</div>'
    )
    if review:  # under review, a group of its own: what still waits, what an edit withdrew, what will leave
        labels = buttons_of((key, ui.label(label)) for key, (label, _) in APPROVAL_LABELS.items())
        group = escape(ui.say("toolbar.approval"))
        buttons += f'<div class="filters" role="group" aria-label="{group}">{labels}</div>'
    # On a phone the toolbar scrolls away with the page (the stylesheet unpins it there): a small
    # fixed link leads back to it from deep in a day of 2,000 cards.
    return f"""<nav class="toolbar" id="filters" aria-label="{escape(ui.say("toolbar.label"))}">
{buttons}
<label for="search" class="search-label">{ui.say("toolbar.search_word")}</label>
<input id="search" type="search" placeholder="{escape(ui.say("toolbar.search"))}" autocomplete="off"
 aria-describedby="search-hint">
<span id="search-hint" class="visually-hidden">{ui.say("toolbar.search_label")}</span>
<span id="shown" class="shown" role="status" aria-live="polite"></span>
</nav>
<a class="to-filters" href="#filters">↑ {escape(ui.say("toolbar.label"))}</a>"""


def listing_page(
    name: str,
    header: str,
    alert: str,
    listings: Sequence[Listing],
    ui: Ui,
    contact_errors: Sequence[Card] = (),
    rejected: Sequence[Rejection] = (),
    *,
    quota: Mapping[date, DayNote] | None = None,
    weekend: Callable[[date], bool] = lambda day: day.weekday() >= 5,
) -> Iterator[str]:
    """A page of cards — the one index, a day's page, the contact errors — in chunks, never one huge string.

    ``name``: the page's path in the gallery (``days/2026-12-25.html``): links
    go up from it, and a letter opened here comes back here (``main[data-page]``).
    """
    up = "../" * name.count("/")
    cards = [*(c for listing in listings for c in listing.cards), *contact_errors]
    folded = sum(len(f.cards) for listing in listings for f in listing.folds)
    nothing = (
        f'<p class="empty">{ui.say("nothing_planned")}</p>'
        if not cards and not folded and not rejected
        else ""
    )
    title = ui.say("page.title")
    if name.startswith("days/") and listings:  # a day's page: its day and part first (WCAG 2.4.2)
        only = listings[0]
        part = ui.say("day.part", part=only.part, parts=only.parts) if only.parts > 1 else ""
        title = f"{ui.long_day(only.day)}{part} — {title}"
    yield page_head(
        title,
        up + CSS_NAME,
        page_csp(INDEX_JS, ui),
        ui,
        style=_filter_rules(),
        whole=name == "index.html",  # the page a reviewer forwards: styled when opened alone
    )
    yield f"""<body class="index">
{header}
{_toolbar(cards, folded, ui)}
<main data-page="{name}">
{nothing}<p id="no-match" class="empty" role="status" aria-live="polite" hidden>{ui.say("no_match")}</p>
{alert}"""
    show_card = partial(card_html, ui=ui, up=up)
    for listing in listings:
        group = listing.cards
        kinds = Counter(c.status for c in group)
        kinds["skip"] += sum(len(f.cards) for f in listing.folds)
        note = " · ".join(f"{ui.say(f'day.{key}')}: {kinds[key]}" for key in DAY_NOTES if kinds[key])
        day = listing.day
        styled = " day-weekend" if weekend(day) else ""
        has = _has(group, folded=bool(listing.folds))
        yield (
            f'<section class="day{styled}" id="day-{day.isoformat()}" data-day="{day.isoformat()}"{has}>'
            f'<h2><span class="day-name">{ui.long_day(day)}{day_off(weekend(day), ui)}</span>'
            f'<span class="day-note">{note}</span>'
            f"{quota_note(day, quota or {}, ui)}</h2>"
            '<div class="cards">'
        )
        yield from map(show_card, group)
        yield "</div>" + "".join(fold_line(f, up, ui) for f in listing.folds) + "</section>\n"
    if contact_errors:
        # Not filed under a day: a date the contacts file does not hold has none, and one it holds
        # wrongly (in the future) is a row to fix, not an event of the range.
        yield (
            f'<section class="group contact-errors" id="contact-errors"{_has(contact_errors)}><h2>'
            f'<span class="day-name">{ui.say("contact_errors")}</span><span class="day-note">'
            f"{ui.say('contact_errors.note')}</span></h2>"
            '<div class="cards">'
        )
        yield from map(show_card, contact_errors)
        yield "</div></section>\n"
    if rejected:
        yield from _rejected_rows(rejected, ui)
    yield f"""</main>
<footer class="page-foot">{ui.say("footer")}</footer>
<script>{inline_script(INDEX_JS, ui)}</script>
</body>
</html>
"""


def overview_page(
    header: str,
    alert: str,
    listings: Sequence[Listing],
    ui: Ui,
    *,
    nothing: bool,
    quota: Mapping[date, DayNote] | None = None,
    weekend: Callable[[date], bool] = lambda day: day.weekday() >= 5,
) -> Iterator[str]:
    """A big gallery's ``index.html``: the plan's counts, its problems and a row per day — no card.

    Why no card: it must open at once whatever the plan's size (a month of a
    big CRM was 191,129 cards in one 207 MB page no browser could finish);
    each day's cards are a click away, on the day's own page.
    """
    yield page_head(
        ui.say("page.title"), CSS_NAME, page_csp(INDEX_JS, ui), ui, whole=True
    )  # forwarded alone too
    yield f"""<body class="index overview">
{header}
<main data-page="index.html">
{alert}"""
    if nothing:
        yield f'<p class="empty">{ui.say("nothing_planned")}</p>'
    yield from overview_rows(listings, ui, quota or {}, weekend)
    yield f"""</main>
<footer class="page-foot">{ui.say("footer")}</footer>
</body>
</html>
"""


def errors_below(contact_errors: int, rejected: int, page: str, ui: Ui) -> str:
    """The line at the top that says where the contacts' errors are listed, with links.

    The errors used to come first: a big CRM's preview opened on two hundred
    cards of bad dates, and the letters a reviewer came to read began screens
    below. The letters come first now; this line keeps the errors one click
    away and impossible to miss (empty when there are none). ``page``: the
    page that lists them ("": this one, after the letters).
    """
    links = [
        f'<a href="{page}#contact-errors">{ui.say("alert.contact_errors", n=contact_errors)}</a>'
        if contact_errors
        else "",
        f'<a href="{page}#rows-not-loaded">{ui.say("alert.rejected", n=rejected)}</a>' if rejected else "",
    ]
    shown = " · ".join(link for link in links if link)
    if not shown:
        return ""
    where = ui.say("alert.elsewhere" if page else "alert.below")
    return f'<p class="alert" role="note">{ui.say("alert.listed", links=shown, where=where)}</p>\n'


def _tally(cards: Sequence[Card], status: str, ui: Ui) -> str:
    """A summary's note: how many of ``status``'s cards for each reason, in the badges' words
    (``лимит частоты 2 · нет e-mail 1``), the machine word in each tooltip."""
    said: Counter[tuple[str, str]] = Counter(_summary_word(c, ui) for c in cards if c.status == status)
    return " · ".join(
        f'<span title="{escape(machine)}">{escape(words)} {k}</span>'
        for (machine, words), k in said.most_common()
    )


def _summary_word(card: Card, ui: Ui) -> tuple[str, str]:
    """A card's reason as the summary counts it: (machine word, the language's words)."""
    reason = card.reason or ""
    if (said := card.said) is not None:
        word = card.reason_code or f"{reason} ({card.journal_state})"  # baseline: history's word
        return word, ui.say(f"{said.key}.note")
    return reason, ui.get(f"reason.{reason}") or reason


def _filter_rules() -> str:
    """The rules that show one filter's cards and days, keyed by ``main[data-show]`` (set by the script).

    Why rules and not a ``hidden`` per card: a click then changes one attribute
    instead of thousands (a year of a big CRM is 18,000 cards), and the browser
    restyles in one pass. Made from the filter tables so a new filter cannot
    lack its rule.
    """
    rules = []
    for key in (*(k for k in _FILTERS if k != "all"), *APPROVAL_LABELS):
        attr = "data-approval" if key in APPROVAL_LABELS else "data-status"
        rules.append(
            f'main[data-show="{key}"] .card:not([{attr}="{key}"]),'
            f'main[data-show="{key}"] .folded:not([{attr}="{key}"]),'
            f'main[data-show="{key}"] section:not(.notice):not([data-has~="{key}"])'
        )
    return ",\n".join(rules) + " { display: none; }"


def _has(group: Sequence[Card], *, folded: bool = False) -> str:
    """A section's ``data-has``: the statuses and review states of its cards (``folded``: and the
    skips its folded lines stand for), for :func:`_filter_rules`."""
    keys = {c.status for c in group} | {c.approval for c in group if c.approval}
    keys |= {"skip"} if folded else set()
    return f' data-has="{" ".join(sorted(keys))}"'


def _rejected_rows(rejected: Sequence[Rejection], ui: Ui) -> Iterator[str]:
    """The rows not loaded, one line each as ``greeter check`` says it: no card, as no letter is planned.

    Nothing is silently dropped (DESIGN.md §4): a duplicated id or a name with
    a line break in it keeps a client from every greeting, and the gallery is
    all a reviewer may look at.
    """
    yield (
        '<section class="notice contact-errors" id="rows-not-loaded"><h2>'
        f'<span class="day-name">{ui.say("rejected.title", n=len(rejected))}</span>'
        f'<span class="day-note">{ui.say("rejected.note")}</span></h2>'
        '<ul class="rejected">'
    )
    for rejection in rejected:
        who = f"ID {escape(rejection.contact_id)} · " if rejection.contact_id else ""
        for problem in rejection.errors:
            yield f"<li>{who}<code>{escape(str(problem))}</code></li>"
    yield "</ul></section>\n"
