"""``greeter preview --format html``: a static gallery of the plan for a marketer to review.

Why static files and not a little web server: the reviewer opens
``index.html`` from a shared folder or an e-mail attachment, offline, and the
gallery must look the same there. So there is no external resource at all (no
CDN, no web font, one local stylesheet, a few lines of inline JavaScript that
work from ``file://``) and nothing depends on the machine that produced it.

Why it streams: a plan may hold a million drafts. Each draft's page is written
the moment the draft arrives and only a small card (names, subject, status —
never the letter: :class:`greeter.gallery_cards.Card`) is kept for the index,
which is written at the end because it is sorted by day while the planner
yields contact by contact. How a card reads in HTML (its pill, its occasion
line, its links) is :mod:`greeter.gallery_card_html`.

Everything that comes from contacts or templates is data: it goes through
:func:`html.escape` on the way into every page, and a letter's HTML is shown in
a sandboxed ``<iframe srcdoc>`` where no script runs (no ``allow-scripts``,
and the page's script policy admits only the gallery's own), so a contact
named ``<script>`` or a template that emits one cannot act on the reviewer's
browser. The frame keeps the page's origin (``allow-same-origin``) only so
that the page's own script can size it to the letter: a fixed-height box
left the end of a letter to scroll inside it on a phone. The field values are those of
:func:`greeter.preview.draft_json`, so the gallery and ``--format json`` never
disagree.

Its words are the team's language, that of ``defaults.locale`` (Russian, English, German,
Estonian, Hungarian or Serbian, else English: :mod:`greeter.gallery_lang`); each letter's own
words stay in the contact's language, tagged with it (``lang``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache, partial
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from greeter.config import Sender
from greeter.contacts import readable_address
from greeter.errors import OutputFolderError
from greeter.gallery_card_html import (
    APPROVAL_LABELS,
    approval_words,
    approver_words,
    badge,
    breakable,
    card_html,
    lang_attr,
    occasion_line,
)
from greeter.gallery_cards import Card, card_of
from greeter.gallery_lang import RUSSIAN, Ui, ui_for
from greeter.gallery_layout import PAGE_CARDS, Listing, day_listings, fold
from greeter.gallery_overview import (
    DAY_NOTES,
    day_review,
    fold_line,
    fold_page,
    overview_rows,
    pager,
    review_columns,
)
from greeter.gallery_quota import DayNote, by_day, quota_note
from greeter.i18n import bcp47
from greeter.journal_store import JournalKey
from greeter.plan_types import Draft
from greeter.preview import draft_json
from greeter.preview_out import MANIFEST, OwnedFolder
from greeter.quota_plan import QuotaDay, held_back
from greeter.review import Envelope
from greeter.sources import Rejection

__all__ = ["write_gallery"]

#: Filters the index offers (their words: ``filter.<key>``); the key is the card's ``data-status``
#: (or ``data-approval``: see :data:`APPROVAL_LABELS`, offered when the plan is under review).
_FILTERS: tuple[str, ...] = ("all", "send", "sent", "merged", "skip", "error", "failed", "pending")

#: Filters offered only when a card needs them (a journal that holds bounces or letters in flight):
#: two more buttons of «0» would only make the pinned toolbar taller.
_FILTERS_IF_ANY = frozenset({"failed", "pending"})

_CSS_NAME = "gallery.css"

#: Where a big gallery lists the contacts' errors and the rows not loaded (a small one: below its letters).
_ERRORS_PAGE = "errors.html"

#: The index's script: filtering and search run in the reviewer's browser, from file://, without
#: a server. The state lives in the URL fragment so "back" from a draft page returns to the same
#: filtered view. Cards are plain HTML: without JS the gallery is still complete, only unfiltered.
_INDEX_JS = "gallery_index.js"

#: A draft page's script, two parts. The first sizes the letter's frame to the letter — on load
#: (images included) and when the width changes — so the whole letter is on the page, as in a mail
#: client, on a phone too; the frame is first set to no height so that a letter can also shrink it
#: (a wider window); without JS (or where the frame's document cannot be read) the stylesheet's
#: height stays. The second: the index adds the view a letter was opened from
#: (``#from=f=send&q=…``) to the letter's link, and the page's back link returns to that view and
#: to the card — from file:// too, where no referrer is.
_PAGE_JS = "gallery_page.js"


#: The words each script says, by the keys of the language tables: the file is written with the
#: Russian ones, as JavaScript string literals (:func:`_script`).
_SCRIPT_WORDS: dict[str, tuple[str, ...]] = {_INDEX_JS: ("script.shown", "script.of"), _PAGE_JS: ()}


@cache
def _script(name: str, ui: Ui) -> str:
    """The package's script ``name`` exactly as a page in ``ui``'s language inlines it, between
    ``<script>`` and ``</script>``.

    Why a file and not a Python string: the script is read, edited and linted
    as JavaScript. Why inlined and not ``<script src>``: the pages open from
    disk, and their policy (:func:`_csp`) lets exactly this text run, by its
    hash, and no file at all. Its words (:data:`_SCRIPT_WORDS`) are string
    literals in the file, in Russian, each replaced by the language's: the
    text a page inlines is then whole, and its hash that text's. Read once per
    language: a plan writes a page per letter.
    """
    text = "\n" + resources.files("greeter").joinpath(name).read_text(encoding="utf-8")
    for key in _SCRIPT_WORDS[name]:
        written, said = (json.dumps(words[key], ensure_ascii=False) for words in (RUSSIAN, ui.words))
        if text.count(written) != 1:  # the script was edited: its words would silently stay Russian
            raise AssertionError(f"{name} holds {written} {text.count(written)} times, not once")
        text = text.replace(written, said)
    return text


def _script_hash(script: str) -> str:
    """CSP hash of the inline script: only our own script may run on the page, whatever the data says."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


@cache
def _csp(script_name: str, ui: Ui, *, fonts: bool = False) -> str:
    """The Content-Security-Policy of a page whose only script is ``script_name`` (:func:`_script`)
    in ``ui``'s language.

    Defence in depth behind html.escape: even a mistake in escaping could not
    run a script or fetch anything. Images are allowed so that letters which
    embed a logo look as they will in the mail client (srcdoc frames inherit
    this policy); ``fonts``: data: fonts are allowed too (a draft page, which shows a letter).
    """
    font_src = "font-src data:; " if fonts else ""
    return (
        "default-src 'none'; style-src 'self' file: 'unsafe-inline'; img-src * data:; "
        f"{font_src}script-src '{_script_hash(_script(script_name, ui))}'; "
        "base-uri 'none'; form-action 'none'"
    )


def write_gallery(
    stream: Iterable[Draft],
    out: Path,
    *,
    start: date,
    days: int,
    now: datetime,
    sender: Sender | None = None,
    titles: Mapping[str, str] | None = None,
    rejected: Callable[[], Sequence[Rejection]] | None = None,
    contact_id: str | None = None,
    default_zone: str | None = None,
    page_cards: int = PAGE_CARDS,
    locale: str | None = "ru",
    quota: Callable[[], Iterable[QuotaDay]] | None = None,
    working_week: Callable[[str | None], Callable[[int], frozenset[int]]] | None = None,
) -> int:
    """Write ``out/index.html``, ``out/drafts/<day>/<n>.html`` and the stylesheet; return the render errors.

    ``n`` is the draft's 1-based position in ``stream``, ``day`` the day its
    letter leaves; only drafts with a rendered letter get a page. A gallery of
    more than ``page_cards`` cards opens on an overview of its days, each day
    on its own page(s), and every gallery folds its ``outside_audience`` skips
    into a line per day and occasion (:mod:`greeter.gallery_layout`).
    Pages an earlier preview wrote there and this one does not are removed,
    so the folder never mixes two plans; a file no preview wrote is never
    touched: when one is where the gallery goes, it raises
    :class:`~greeter.errors.OutputFolderError` before writing anything
    (see :mod:`greeter.preview_out`). ``sender``: each draft page shows
    the From: line its letter will carry (:func:`from_line`), when given.
    ``titles``: what people call each occasion (``Settings.occasion_titles``),
    shown instead of its machine name (which stays in the tooltip and the
    search). ``default_zone``: the zone a contact without one is shown in (:func:`draft_json`).
    ``rejected``: the contacts rows not loaded, asked for once the
    stream is read (the rows are read as it is): the index lists them, so a
    reviewer who sees only the gallery learns that those clients get nothing.
    ``contact_id``: the gallery is one client's (``preview --contact``): of
    those rows it lists only that client's (:func:`rows_of`).
    ``locale``: the team's (``defaults.locale``), whose language the pages speak
    (:func:`greeter.gallery_lang.ui_for`: its table, else English); the letters keep their own.
    ``quota``: the days over ``delivery.rate_limit.per_day``, asked once the stream is read
    (:func:`~greeter.quota_plan.over_quota`): their headings say so (:mod:`greeter.gallery_quota`).
    ``working_week``: a contact's country → its working weekdays in a year (the planner's
    calendar): a day is styled as a weekend when it is outside the week of every client filed
    under it — an Israeli client's Sunday is a working day, Friday not; without it (or on a day
    with no client), Saturday and Sunday.
    """
    ui = ui_for(locale)
    called = {name: ui.in_script(title) for name, title in (titles or {}).items()}  # sr-Latn: in Latin
    folder = OwnedFolder.open(out)
    refused = [name for name in ("index.html", _CSS_NAME, _ERRORS_PAGE) if not folder.may_write(name)]
    for sub in _page_folders(out):
        refused += folder.foreign(sub, "*.html")
    if refused:
        shown = ", ".join(refused[:3]) + (f" and {len(refused) - 3} more" if len(refused) > 3 else "")
        raise OutputFolderError(
            f"{out}: {len(refused)} file(s) there that no earlier preview wrote ({shown}; see {MANIFEST}): "
            "greeter replaces only its own files; choose another --out, or move them away"
        )
    with folder.undone_on_failure():  # a run that fails leaves the folder as it found it
        css = resources.files("greeter").joinpath(_CSS_NAME).read_text(encoding="utf-8")
        folder.write(_CSS_NAME, (css.encode(),))

        cards: list[Card] = []
        errors = 0
        off: dict[date, bool] = {}  # a day → outside the working week of every client filed under it
        for n, draft in enumerate(stream, start=1):
            data = draft_json(draft, default_zone)
            lang = bcp47(draft.rendered.locale) if draft.rendered is not None else ""
            card = card_of(n, data, has_page=draft.rendered is not None, titles=called, ui=ui, lang=lang)
            if working_week is not None and (day := card.day) is not None:
                week = working_week(draft.item.hit.contact.country)(day.year)
                off[day] = off.get(day, True) and day.weekday() not in week
            errors += card.status == "error"
            if card.page is not None:
                # straight away: pages are many, and the index linking them comes last
                page = _draft_page(card, data, from_line(draft, sender), ui)
                folder.write(card.page, (page.encode(),))
            cards.append(card)
        cards = _with_carriers(cards)
        index = out / "index.html"
        not_loaded = rows_of(rejected() if rejected is not None else (), contact_id)
        over = list(quota()) if quota is not None else []
        cards = _with_quota_held(cards, held_back(over))
        span = _Span(
            start,
            days,
            now,
            by_day(over),
            frozenset(d for d, is_off in off.items() if is_off),
            frozenset(off),
        )
        for name, chunks in _pages(cards, span, not_loaded, page_cards, ui):
            folder.write(name, (chunk.encode() for chunk in chunks))
        _link_neighbours(folder, out, _letter_runs(cards, page_cards))
        letters = sum(card.page is not None for card in cards)
        tally = folder.finish()
    _drop_empty_folders(out)
    # As for .eml files: say where the result is (a reviewer opens it next).
    print(
        f"wrote {len(cards)} card(s), {letters} of them with a letter page (the others: skipped, merged "
        f"or failed to render), to {index} (open it in a browser){tally.summary()}"
    )
    return errors


#: Where a letter's page links the letters before and after it, once the gallery's order is known
#: (:func:`_link_neighbours`). A comment no data can hold: it is escaped (``&lt;!--``).
_NEIGHBOURS = "<!--neighbours-->"


def _letter_runs(cards: Sequence[Card], limit: int = PAGE_CARDS) -> list[list[Card]]:
    """The letters (cards with a page) in the order a page of the gallery shows them, a list per
    page: the one index, or each day's page (each part of a day) of a big gallery."""
    shown, folds = fold(c for c in cards if not c.contact_error)
    listings = day_listings(shown, folds, limit)
    if len(shown) > limit:
        return [[c for c in listing.cards if c.page is not None] for listing in listings]
    return [[c for listing in listings for c in listing.cards if c.page is not None]]


def _neighbours_nav(before: Card | None, after: Card | None, up: str) -> str:
    """The links to the letters before and after one, by their clients' names (rel prev / next)."""
    links = [
        f'<a rel="{rel}" href="{up}{escape(other.page or "")}">{arrow_before}'
        f"<span>{escape(other.name or other.contact_id)}</span>{arrow_after}</a>"
        for rel, other, arrow_before, arrow_after in (
            ("prev", before, "←", ""),
            ("next", after, "", "→"),
        )
        if other is not None
    ]
    return f'<nav class="letter-nav">{"".join(links)}</nav>' if links else ""


def _link_neighbours(folder: OwnedFolder, out: Path, runs: Sequence[Sequence[Card]]) -> None:
    """Each letter's page, written again with links to the letters before and after it on its page
    of the gallery — known only now: the pages were written as the planner yielded them, contact by
    contact, and the gallery's order is by day and send time. A director on a phone read a day's
    letters one by one, each time back to a day of 2,000 cards and down to the next."""
    for run in runs:
        for k, card in enumerate(run):
            if card.page is None:
                continue
            up = "../" * card.page.count("/")
            nav = _neighbours_nav(run[k - 1] if k else None, run[k + 1] if k + 1 < len(run) else None, up)
            page = (out / card.page).read_text(encoding="utf-8").replace(_NEIGHBOURS, nav)
            folder.write(card.page, (page.encode(),))


def _page_folders(out: Path) -> list[str]:
    """The folders under ``out`` that hold the gallery's pages (a folder per day under ``drafts``)."""
    drafts = out / "drafts"
    days = sorted(p.name for p in drafts.iterdir() if p.is_dir() or p.is_symlink()) if drafts.is_dir() else []
    return ["drafts", *(f"drafts/{d}" for d in days), "days", "outside"]


def _with_quota_held(cards: list[Card], fates: Mapping[JournalKey, tuple[date, str]]) -> list[Card]:
    """Pure: each letter's card the daily quota holds back with its fate (``later``, ``expires``),
    as the JSON's ``quota_held`` says it: its pill says so, not "to send" (QA)."""
    if not fates:
        return cards
    return [
        replace(card, quota_held=fate[1])
        if card.status == "send"
        and card.occasion_day is not None
        and (fate := fates.get((card.contact_id, card.occasion, card.occasion_day))) is not None
        else card
        for card in cards
    ]


def _drop_empty_folders(out: Path) -> None:
    """Remove the gallery's folders a rerun left empty (a day no longer planned): nothing else is there.

    An empty folder holds nothing of anyone's; a link or a folder with a file in it stays.
    """
    for sub in reversed(_page_folders(out)):
        path = out / sub
        if path.is_dir() and not path.is_symlink():
            with suppress(OSError):  # not empty: someone's files are there too
                path.rmdir()


@dataclass(frozen=True, slots=True)
class _Span:
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


def _pages(
    cards: Sequence[Card], span: _Span, rejected: Sequence[Rejection], limit: int, ui: Ui
) -> Iterator[tuple[str, Iterator[str]]]:
    """Every page but the letters' own: (name, its chunks) — one index, or an overview and day pages.

    See :mod:`greeter.gallery_layout`: a gallery of at most ``limit`` cards
    (folded skips and contact errors aside) is one page as it always was;
    a bigger one opens on an overview that links a page per day.
    """
    contact_errors = sorted((c for c in cards if c.contact_error), key=lambda c: (c.name, c.n))
    shown, folds = fold(c for c in cards if not c.contact_error)
    listings = day_listings(shown, folds, limit)
    split = len(shown) > limit
    header = _index_header(cards, span, ui)
    if not split:
        alert = _errors_below(len(contact_errors), len(rejected), "", ui)
        yield (
            "index.html",
            _listing_page(
                "index.html",
                header,
                alert,
                listings,
                ui,
                contact_errors,
                rejected,
                quota=span.quota,
                weekend=span.weekend,
            ),
        )
    else:
        alert = _errors_below(len(contact_errors), len(rejected), _ERRORS_PAGE, ui)
        yield (
            "index.html",
            _overview_page(
                header, alert, listings, ui, nothing=not cards, quota=span.quota, weekend=span.weekend
            ),
        )
        for listing in listings:
            same_day = [other.name for other in listings if other.day == listing.day]
            yield (
                listing.name,
                _listing_page(
                    listing.name,
                    _day_header(
                        listing, same_day, day_review(o for o in listings if o.day == listing.day), ui
                    ),
                    "",
                    [listing],
                    ui,
                    quota=span.quota,
                    weekend=span.weekend,
                ),
            )
        if contact_errors or rejected:
            head = (
                f'<nav class="back"><a href="index.html">{ui.say("nav.all_days")}</a></nav>\n'
                '<header class="page-head"><div class="title-row">'
                f"<h1>{ui.say('contact_errors')}</h1></div></header>"
            )
            yield _ERRORS_PAGE, _listing_page(_ERRORS_PAGE, head, "", [], ui, contact_errors, rejected)
    for f in folds:
        last = [listing for listing in listings if listing.day == f.day][-1]
        back = f"../{last.name}" if split else f"../index.html#day-{f.day.isoformat()}"
        head = _head(
            ui.say("fold.title", day=ui.short_date(f.day)), f"../{_CSS_NAME}", _csp(_INDEX_JS, ui), ui
        )
        for part in range(1, f.parts + 1):
            yield f.page(part), fold_page(head, f, part, back, ui)


def _with_carriers(cards: Sequence[Card]) -> list[Card]:
    """The cards, each merged occasion's with the page of the letter it rides in (:attr:`Card.carrier`).

    Why: a merged card said «поздравление уйдёт в письмо «День рождения»» and
    linked nowhere, while that letter — the words the client will read for this
    occasion too — has a page. Matched once the stream is read: the planner may
    yield a contact's merged occasion before the letter carrying it.
    """
    letters: dict[tuple[str, str, str], str] = {}
    for card in cards:
        if (key := card.letter_key) is not None and card.page is not None:
            letters[key] = card.page
    out = []
    for card in cards:
        key = card.carried_by
        page = letters.get(key) if key is not None else None
        out.append(replace(card, carrier=page) if page is not None else card)
    return out


def _head(title: str, css: str, csp: str, ui: Ui, lang: str = "", style: str = "") -> str:
    """The page's head, the page in ``ui``'s language; ``lang``: the title's own language (a letter's
    subject); ``style``: rules of this page alone (the index's filters)."""
    return f"""<!doctype html>
<html lang="{ui.tag}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">
<meta name="referrer" content="no-referrer">
<title{lang_attr(lang)}>{escape(title)}</title>
<link rel="stylesheet" href="{css}">{f"{chr(10)}<style>{style}</style>" if style else ""}
</head>
"""


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


def _index_header(cards: Sequence[Card], span: _Span, ui: Ui) -> str:
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


def _day_header(listing: Listing, parts: Sequence[str], review: Counter[str], ui: Ui) -> str:
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
    return f"""<nav class="back"><a href="../index.html">{ui.say("nav.all_days")}</a></nav>
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
<label for="search" class="visually-hidden">{ui.say("toolbar.search_label")}</label>
<input id="search" type="search" placeholder="{escape(ui.say("toolbar.search"))}" autocomplete="off">
<span id="shown" class="shown" role="status" aria-live="polite"></span>
</nav>
<a class="to-filters" href="#filters">↑ {escape(ui.say("toolbar.label"))}</a>"""


def _listing_page(
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
    yield _head(ui.say("page.title"), up + _CSS_NAME, _csp(_INDEX_JS, ui), ui, style=_filter_rules())
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
            f'<h2><span class="day-name">{ui.long_day(day)}</span><span class="day-note">{note}</span>'
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
<script>{_script(_INDEX_JS, ui)}</script>
</body>
</html>
"""


def _overview_page(
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
    yield _head(ui.say("page.title"), _CSS_NAME, _csp(_INDEX_JS, ui), ui)
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


def _errors_below(contact_errors: int, rejected: int, page: str, ui: Ui) -> str:
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


def rows_of(rejected: Iterable[Rejection], contact_id: str | None) -> list[Rejection]:
    """The rejected rows a gallery lists: all of them, or for one client's gallery only that client's.

    Why: a gallery made with ``--contact`` is handed to a manager or filed
    with that client's access request, and it listed every rejected row of the
    contacts file — other people's ids, addresses and birth dates — where the
    ``.eml`` and JSON outputs of the same request show nothing of them.
    """
    return [r for r in rejected if contact_id is None or r.contact_id == contact_id]


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


def from_line(draft: Draft, sender: Sender | None) -> str | None:
    """The From: of ``draft``'s letter, ``"Romashka LLC <greetings@romashka.example>"``; None without one.

    Taken from :meth:`greeter.review.Envelope.of`, the values
    :func:`greeter.message.build_message` writes (``sender.by_locale`` picked by
    the rendered letter's locale) and a reviewer's approval covers: a page that
    re-derived it showed the Russian name above an English letter signed
    "Romashka LLC". Shown unencoded and unquoted, for a person to read.
    """
    if sender is None or draft.rendered is None:
        return None
    envelope = Envelope.of(draft.item.hit.contact, sender, draft.rendered.locale)
    shown = readable_address(envelope.from_email)  # the header's ASCII domain, as people read it
    if not envelope.from_name:
        return shown  # the header is the bare address then, too
    return f"{envelope.from_name} <{shown}>"


def _draft_page(card: Card, data: dict[str, Any], sender: str | None, ui: Ui) -> str:
    """One letter: headers, the plain text and the HTML version in a sandboxed frame."""
    to = f"{card.name} <{card.email}>" if card.name else card.email
    when = f"{card.when} ({card.timezone})" if card.timezone else card.when
    rows = [("meta.from", sender)] if sender else []
    rows += [
        ("meta.to", to),
        ("meta.when", when),
        ("meta.template", data["template_file"] or data["template"] or ""),
    ]
    said = approval_words(card.approval, ui)
    if said is not None:
        by = approver_words(data.get("approved_by"), data.get("approved_at"), ui)
        rows.append(("meta.approval", " — ".join(said) + by))
    # the contact's ID too: what the reviewer quotes to `greeter approve --contact`
    addresses = ("meta.from", "meta.to")  # break after "@" and dots; a date's dot does not
    meta = "".join(
        f"<dt>{ui.say(k)}</dt><dd>{breakable(v) if k in addresses else escape(v)}</dd>" for k, v in rows if v
    )
    meta += f"<dt>ID</dt><dd>{escape(card.contact_id)}</dd>"
    letter_html = data["html"]
    if letter_html is None:
        html_part = f'<p class="empty">{ui.say("page.no_html")}</p>'
    else:
        # No allow-scripts: no script, form, popup or top navigation from the letter. The
        # page's origin only so that the page's script (_PAGE_JS) can read the letter's height
        # (see the module doc).
        html_part = (
            f'<iframe class="letter" sandbox="allow-same-origin" referrerpolicy="no-referrer" '
            f'title="{escape(ui.say("page.html_title"))}" '
            f'srcdoc="{escape(letter_html, quote=True)}"></iframe>'
        )
    title = card.subject or card.titles.get(card.occasion, card.occasion)
    lang = card.lang if card.subject else ""  # an occasion's title is the config's word
    plain = escape(data["text"] or "")
    text = ui.say("page.text")
    up = "../" * (card.page or "").count("/")  # drafts/<day>/<n>.html: two folders down
    return (
        _head(title, f"{up}{_CSS_NAME}", _csp(_PAGE_JS, ui, fonts=True), ui, lang)
        + f"""<body class="draft">
<nav class="back"><a href="{up}index.html#card-{card.n}"
 data-card="{card.n}" data-up="{up}">{ui.say("nav.all_greetings")}</a></nav>
{_NEIGHBOURS}
<header class="draft-head">
<div class="status">{badge(card, ui)}</div>
<h1{lang_attr(lang)} dir="auto">{escape(title)}</h1>
{occasion_line(card, ui)}
<dl class="meta">{meta}</dl>
</header>
<main class="versions">
<section class="version version-text"><h2>{text}</h2>
<pre class="plain"{lang_attr(card.lang)} dir="auto">{plain}</pre></section>
<section class="version version-html"><h2>HTML</h2>{html_part}</section>
</main>
{_NEIGHBOURS}
<script>{_script(_PAGE_JS, ui)}</script>
</body>
</html>
"""
    )
