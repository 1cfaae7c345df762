"""The pages a big gallery adds: the overview of its days, and the lists of folded skips.

Why apart from :mod:`greeter.gallery`: these pages show no card — a row per
day with its counts (:func:`overview_rows`) and a line per contact left out
of an occasion's audience (:func:`fold_page`) — so a month of a big CRM opens
on a page of a few kilobytes, and 150,000 ``outside_audience`` skips are
names to scroll, not 150,000 cards to draw. Everything from contacts and
config goes through :func:`html.escape`, as on every page of the gallery.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from html import escape
from itertools import groupby

from greeter.gallery_cards import Status
from greeter.gallery_layout import LIST_LINES, Fold, Listing
from greeter.i18n import plural

__all__ = ["DAY_NOTES", "fold_line", "fold_page", "long_day", "overview_rows", "pager"]

_WEEKDAYS_LONG = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

#: How a day is summed up, by its cards' groups (no number words, so no Russian plural forms to get wrong).
DAY_NOTES: tuple[tuple[Status, str], ...] = (
    ("send", "к отправке"),
    ("sent", "отправлено"),
    ("merged", "объединено"),
    ("skip", "пропущено"),
    ("error", "ошибки"),
    ("failed", "не доставлено"),
    ("pending", "не подтверждено"),
)


def long_day(d: date) -> str:
    """``Пятница, 25 декабря 2026``."""
    return f"{_WEEKDAYS_LONG[d.weekday()].capitalize()}, {d.day} {_MONTHS[d.month - 1]} {d.year}"


def _clients(n: int) -> str:
    return f"{n} {plural(n, 'клиент|клиента|клиентов', 'ru')}"


def pager(pages: Sequence[str], current: int, up: str) -> str:
    """Links to a day's (or a list's) parts, the current one marked; "" when there is one part."""
    links = _part_links(pages, current, up)
    return f'<nav class="pager" aria-label="Части">Части: {links}</nav>' if links else ""


def _part_links(pages: Sequence[str], current: int, up: str) -> str:
    if len(pages) < 2:
        return ""
    return " ".join(
        f'<span aria-current="page">{k}</span>' if k == current else f'<a href="{up}{escape(page)}">{k}</a>'
        for k, page in enumerate(pages, start=1)
    )


def fold_line(fold: Fold, up: str) -> str:
    """The line that stands for a day's ``outside_audience`` skips of one occasion: count and list.

    ``data-status="skip"``: the filters show it with the skips (and hide it
    with the letters) as they would its cards.
    """
    first = fold.cards[0]
    title = escape(first.titles.get(fold.occasion, fold.occasion))
    return (
        f'<p class="folded" data-status="skip"><span class="badge badge-skip" title="outside_audience">'
        f"пропуск: вне аудитории</span> <b>{title}</b>: {_clients(len(fold.cards))} не в аудитории "
        f'повода, писем нет · <a href="{up}{escape(fold.page())}">список →</a></p>'
    )


def overview_rows(listings: Sequence[Listing]) -> Iterator[str]:
    """The overview's table: a row per day — its counts by group, the folded skips, links to its parts."""
    yield (
        '<div class="days-wrap"><table class="days">'
        "<caption>Дни: письма и пропуски по дням, у каждого дня — своя страница"
        '</caption><thead><tr><th scope="col">День</th>'
        + "".join(f'<th scope="col" class="n n-{key}">{label}</th>' for key, label in DAY_NOTES)
        + '<th scope="col" class="n">вне аудитории</th><th scope="col">Части</th></tr></thead><tbody>\n'
    )
    for day, parts in groupby(listings, key=lambda listing: listing.day):
        of_day = list(parts)
        kinds = Counter(c.status for listing in of_day for c in listing.cards)
        outside = sum(len(f.cards) for listing in of_day for f in listing.folds)
        cells = "".join(f'<td class="n n-{key}">{kinds[key] or ""}</td>' for key, _ in DAY_NOTES)
        more = _part_links([listing.name for listing in of_day], 0, "")
        weekend = ' class="day-weekend"' if day.weekday() >= 5 else ""
        yield (
            f'<tr{weekend}><th scope="row"><a href="{of_day[0].name}">{long_day(day)}</a></th>{cells}'
            f'<td class="n">{outside or ""}</td><td class="parts">{more}</td></tr>\n'
        )
    yield "</tbody></table></div>\n"


def fold_page(head: str, fold: Fold, part: int, back: str) -> Iterator[str]:
    """Page ``part`` of a fold's list: who is left out of the occasion's audience that day, and why.

    One line each, no card and no script: the reasons differ (the contact's
    tags are named), the letter does not exist.
    """
    first = fold.cards[0]
    title = escape(first.titles.get(fold.occasion, fold.occasion))
    chunk = fold.cards[(part - 1) * LIST_LINES : part * LIST_LINES]
    pages = pager([fold.page(k) for k in range(1, fold.parts + 1)], part, "../")
    yield head
    yield f"""<body class="index folded-list">
<nav class="back"><a href="{escape(back)}">← {long_day(fold.day)}</a></nav>
<header class="page-head">
<div class="title-row">
<h1>{title}: вне аудитории</h1>
<p class="range">{long_day(fold.day)} · не в аудитории повода (его теги или условия):
 {_clients(len(fold.cards))}, писем нет. Причина — у каждого в строке.</p>
</div>
{pages}
</header>
<main>
<ol class="names" start="{(part - 1) * LIST_LINES + 1}">
"""
    for card in chunk:
        who = escape(card.name or card.contact_id)
        email = escape(card.email) or "нет e-mail"
        why = f' — <span class="detail">{escape(card.detail)}</span>' if card.detail else ""
        yield f"<li><b>{who}</b> · {email} · ID {escape(card.contact_id)}{why}</li>\n"
    yield f"""</ol>
{pages}
</main>
<footer class="page-foot">greeter preview</footer>
</body>
</html>
"""
