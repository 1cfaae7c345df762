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
line, its links) is :mod:`greeter.gallery_card_html`; the pages of cards
:mod:`greeter.gallery_listing`, a letter's page :mod:`greeter.gallery_letter`,
the head they share (stylesheet, scripts, policy) :mod:`greeter.gallery_head`.

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

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import BinaryIO

from greeter.config import Sender
from greeter.errors import OutputError, OutputFolderError
from greeter.gallery_cards import Card, card_of
from greeter.gallery_head import CSS_NAME, INDEX_JS, page_csp, page_head, stylesheet
from greeter.gallery_lang import Ui, ui_for
from greeter.gallery_layout import PAGE_CARDS, day_listings, fold
from greeter.gallery_letter import NEIGHBOURS, NEIGHBOURS_END, draft_page, from_line, neighbours_nav
from greeter.gallery_listing import Span, day_header, errors_below, index_header, listing_page, overview_page
from greeter.gallery_overview import day_review, fold_page
from greeter.gallery_quota import by_day
from greeter.i18n import bcp47
from greeter.journal_store import JournalKey
from greeter.plan_types import Draft
from greeter.preview import draft_json
from greeter.preview_out import MANIFEST, OwnedFolder
from greeter.quota_plan import QuotaDay, held_back
from greeter.sources import Rejection

__all__ = ["write_gallery"]

#: Where a big gallery lists the contacts' errors and the rows not loaded (a small one: below its letters).
_ERRORS_PAGE = "errors.html"


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
    refused = [name for name in ("index.html", CSS_NAME, _ERRORS_PAGE) if not folder.may_write(name)]
    for sub in _page_folders(out):
        refused += folder.foreign(sub, "*.html")
    if refused:
        shown = ", ".join(refused[:3]) + (f" and {len(refused) - 3} more" if len(refused) > 3 else "")
        raise OutputFolderError(
            f"{out}: {len(refused)} file(s) there that no earlier preview wrote ({shown}; see {MANIFEST}): "
            "greeter replaces only its own files; choose another --out, or move them away"
        )
    # The letters' pages wait in an unnamed file on the gallery's disk (O_TMPFILE: gone however the
    # run ends) until their neighbours are known, then each is written once (:func:`_write_letters`).
    with folder.undone_on_failure(), _spool(out) as spool:  # a failed run leaves the folder as it was
        folder.write(CSS_NAME, (stylesheet().encode(),))
        spooled: dict[str, tuple[int, int]] = {}  # a letter's page → where its bytes are in the spool

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
                # made straight away (the draft's letter is not kept), written once the order is known
                page = draft_page(card, data, from_line(draft, sender), ui).encode()
                spooled[card.page] = (_spooled(spool, page, out), len(page))
            cards.append(card)
        cards = _with_carriers(cards)
        index = out / "index.html"
        not_loaded = rows_of(rejected() if rejected is not None else (), contact_id)
        over = list(quota()) if quota is not None else []
        cards = _with_quota_held(cards, held_back(over))
        span = Span(
            start,
            days,
            now,
            by_day(over),
            frozenset(d for d, is_off in off.items() if is_off),
            frozenset(off),
        )
        for name, chunks in _pages(cards, span, not_loaded, page_cards, ui):
            folder.write(name, (chunk.encode() for chunk in chunks))
        _write_letters(folder, spool, spooled, _letter_runs(cards, page_cards), out, ui)
        letters = sum(card.page is not None for card in cards)
        tally = folder.finish()
    _drop_empty_folders(out)
    # As for .eml files: say where the result is (a reviewer opens it next).
    print(
        f"wrote {len(cards)} card(s), {letters} of them with a letter page (the others: skipped, merged "
        f"or failed to render), to {index} (open it in a browser){tally.summary()}"
    )
    return errors


def _letter_runs(cards: Sequence[Card], limit: int = PAGE_CARDS) -> list[list[Card]]:
    """The letters (cards with a page) in the order a page of the gallery shows them, a list per
    page: the one index, or each day's page (each part of a day) of a big gallery."""
    shown, folds = fold(c for c in cards if not c.contact_error)
    listings = day_listings(shown, folds, limit)
    if len(shown) > limit:
        return [[c for c in listing.cards if c.page is not None] for listing in listings]
    return [[c for listing in listings for c in listing.cards if c.page is not None]]


@contextmanager
def _spool(out: Path) -> Iterator[BinaryIO]:
    """An unnamed temporary file in ``out`` (the gallery's own disk, not a RAM-backed /tmp: a big
    plan's pages are gigabytes), for the letters' pages until their neighbours are known."""
    try:
        spool = tempfile.TemporaryFile(dir=out)  # noqa: SIM115 - closed below; only its opening is an OutputError
    except OSError as exc:
        raise OutputError.of(out, exc) from exc
    with spool:
        yield spool


def _spooled(spool: BinaryIO, page: bytes, out: Path) -> int:
    """Append ``page`` to the spool; return where it starts. A full disk is the gallery's
    :class:`~greeter.errors.OutputError` (exit 75), as a page written straight away was."""
    try:
        at = spool.seek(0, os.SEEK_END)
        spool.write(page)
    except OSError as exc:
        raise OutputError.of(out, exc) from exc
    return at


def _write_letters(
    folder: OwnedFolder,
    spool: BinaryIO,
    spooled: Mapping[str, tuple[int, int]],
    runs: Sequence[Sequence[Card]],
    out: Path,
    ui: Ui,
) -> None:
    """Write each letter's page once, with links to the letters before and after it on its page of
    the gallery (:func:`neighbours_nav`).

    Why only now: the pages are made as the planner yields the drafts, contact by contact, and the
    gallery's order is by day and send time — known once the stream is read. A director on a phone
    read a day's letters one by one, each time back to a day of 2,000 cards and down to the next.
    Why a spool and not the pages written twice: the second pass read each page back and wrote it
    again (~16 % of a gallery's cost); the letters themselves are not kept in memory (a plan may
    hold a million). A page on no run of letters (none is, today) is written without links.
    """
    navs: dict[str, tuple[bytes, bytes]] = {}
    for run in runs:
        for k, card in enumerate(run):
            if card.page is not None:
                up = "../" * card.page.count("/")
                near = (run[k - 1] if k else None, run[k + 1] if k + 1 < len(run) else None)
                navs[card.page] = (
                    neighbours_nav(*near, up, ui).encode(),
                    neighbours_nav(*near, up, ui, end=True).encode(),
                )
    top, end = NEIGHBOURS.encode(), NEIGHBOURS_END.encode()
    for name, (at, size) in spooled.items():
        try:
            spool.seek(at)
            page = spool.read(size)
        except OSError as exc:
            raise OutputError.of(out, exc) from exc
        above, below = navs.get(name, (b"", b""))
        folder.write(name, (page.replace(top, above).replace(end, below),))


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


def _pages(
    cards: Sequence[Card], span: Span, rejected: Sequence[Rejection], limit: int, ui: Ui
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
    header = index_header(cards, span, ui)
    if not split:
        alert = errors_below(len(contact_errors), len(rejected), "", ui)
        yield (
            "index.html",
            listing_page(
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
        alert = errors_below(len(contact_errors), len(rejected), _ERRORS_PAGE, ui)
        yield (
            "index.html",
            overview_page(
                header, alert, listings, ui, nothing=not cards, quota=span.quota, weekend=span.weekend
            ),
        )
        for listing in listings:
            same_day = [other.name for other in listings if other.day == listing.day]
            yield (
                listing.name,
                listing_page(
                    listing.name,
                    day_header(
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
                f'<nav class="back" aria-label="{escape(ui.say("nav.back"))}">'
                f'<a href="index.html">{ui.say("nav.all_days")}</a></nav>\n'
                '<header class="page-head"><div class="title-row">'
                f"<h1>{ui.say('contact_errors')}</h1></div></header>"
            )
            yield _ERRORS_PAGE, listing_page(_ERRORS_PAGE, head, "", [], ui, contact_errors, rejected)
    for f in folds:
        last = [listing for listing in listings if listing.day == f.day][-1]
        back = f"../{last.name}" if split else f"../index.html#day-{f.day.isoformat()}"
        head = page_head(
            ui.say("fold.title", day=ui.short_date(f.day)), f"../{CSS_NAME}", page_csp(INDEX_JS, ui), ui
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


def rows_of(rejected: Iterable[Rejection], contact_id: str | None) -> list[Rejection]:
    """The rejected rows a gallery lists: all of them, or for one client's gallery only that client's.

    Why: a gallery made with ``--contact`` is handed to a manager or filed
    with that client's access request, and it listed every rejected row of the
    contacts file — other people's ids, addresses and birth dates — where the
    ``.eml`` and JSON outputs of the same request show nothing of them.
    """
    return [r for r in rejected if contact_id is None or r.contact_id == contact_id]
