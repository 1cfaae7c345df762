"""Which page of the gallery shows which card: one index, or an overview and a page per day.

Why: a CRM of 150,000 contacts previewed for a month made one ``index.html``
of 191,129 cards (207 MB) that a browser could draw the top of but never
finish, and its first cards were ``outside_audience`` skips — a one-off
occasion for two clients lists every other contact. So:

* ``outside_audience`` skips are folded (:class:`Fold`): one line per day and
  occasion with their count, linking to a plain list of them, never a card each;
* a gallery of at most :data:`PAGE_CARDS` cards stays one page, as a reviewer
  of a normal week knows it (every card, filter and search on one page);
* a bigger one gets an overview (``index.html``: the counts, the problems, a
  row per day) and a page per day (``days/2026-12-25.html``), a day of more
  than :data:`PAGE_CARDS` cards cut into parts (``days/2026-12-31-2.html``).

Pure: cards in, page plans out; :mod:`greeter.gallery` writes them.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from greeter.gallery_cards import Card

__all__ = ["LIST_LINES", "PAGE_CARDS", "Fold", "Listing", "day_listings", "fold", "shown_order"]

#: The most cards one page shows: a browser filters and searches this many at once without a pause
#: (a page of 2,000 cards is about 2.5 MB), and a normal week's gallery stays a single page.
PAGE_CARDS = 2000

#: The most names one page of a folded list shows (a line each, no card).
LIST_LINES = 5000

#: The skips that are folded: an occasion whose audience the contact is not in.
FOLDED_REASON = "outside_audience"

#: A letter's statuses first, then occasions riding in another letter, then skips (:func:`shown_order`).
_RANK = {"merged": 1, "skip": 2}


@dataclass(frozen=True, slots=True)
class Fold:
    """The ``outside_audience`` skips of one occasion on one day: a line with a count and a list."""

    day: date
    occasion: str
    cards: tuple[Card, ...]

    def page(self, part: int = 1) -> str:
        """The list's page ``part`` (1-based): ``outside/2026-12-25-birthday.html``, then ``…-2.html``."""
        return _part_name(f"outside/{self.day.isoformat()}-{_file_word(self.occasion)}", part)

    @property
    def parts(self) -> int:
        """How many pages the list takes (:data:`LIST_LINES` names each)."""
        return max(1, -(-len(self.cards) // LIST_LINES))


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of cards of one day: ``days/<day>.html`` (part 1) or ``days/<day>-<part>.html``."""

    day: date
    part: int
    parts: int
    cards: tuple[Card, ...]
    #: The day's folded skips, on its last part (after the letters).
    folds: tuple[Fold, ...]

    @property
    def name(self) -> str:
        return day_page(self.day, self.part)


def day_page(day: date, part: int = 1) -> str:
    """The page of ``day``'s cards, part ``part``: ``days/2026-12-25.html``, ``days/2026-12-25-2.html``."""
    return _part_name(f"days/{day.isoformat()}", part)


def _part_name(stem: str, part: int) -> str:
    return f"{stem}.html" if part == 1 else f"{stem}-{part}.html"


def _file_word(occasion: str) -> str:
    """An occasion's name as a file name: itself when plain (``birthday``), else a short hash of it."""
    if re.fullmatch(r"[a-z0-9_]{1,60}", occasion):
        return occasion
    return "occasion-" + hashlib.sha256(occasion.encode()).hexdigest()[:12]


def shown_order(card: Card) -> tuple[int, tuple[float, str], int]:
    """The order of a day's cards: letters by send time, then merged occasions, then skips.

    Why not the send time alone: a skip has none, and what a reviewer came to
    read is the letters; the card number breaks ties so the order is stable.
    """
    return _RANK.get(card.status, 0), card.order, card.n


def fold(cards: Iterable[Card]) -> tuple[list[Card], list[Fold]]:
    """The cards shown one by one, and the folded skips (:data:`FOLDED_REASON`) by day and occasion."""
    shown: list[Card] = []
    folded: dict[tuple[date, str], list[Card]] = defaultdict(list)
    for card in cards:
        if card.reason == FOLDED_REASON and card.day is not None:
            folded[(card.day, card.occasion)].append(card)
        else:
            shown.append(card)
    folds = [
        Fold(day, occasion, tuple(sorted(group, key=lambda c: (c.name, c.n))))
        for (day, occasion), group in sorted(folded.items())
    ]
    return shown, folds


def day_listings(cards: Sequence[Card], folds: Sequence[Fold], limit: int = PAGE_CARDS) -> list[Listing]:
    """Every day's page(s), by day: its cards in :func:`shown_order`, at most ``limit`` a page.

    ``cards`` are those with a day (a contact error has none and is listed apart).
    A day with only folded skips still gets its page: the line that says them.
    """
    by_day: dict[date, list[Card]] = defaultdict(list)
    for card in cards:
        if card.day is not None:
            by_day[card.day].append(card)
    folds_of: dict[date, list[Fold]] = defaultdict(list)
    for f in folds:
        folds_of[f.day].append(f)
    out: list[Listing] = []
    for day in sorted(by_day.keys() | folds_of.keys()):
        group = sorted(by_day.get(day, ()), key=shown_order)
        chunks = [tuple(group[i : i + limit]) for i in range(0, len(group), limit)] or [()]
        for part, chunk in enumerate(chunks, start=1):
            last = part == len(chunks)
            out.append(Listing(day, part, len(chunks), chunk, tuple(folds_of.get(day, ())) if last else ()))
    return out
