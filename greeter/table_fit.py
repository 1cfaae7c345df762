"""Fitting a table to a terminal: the words people grep for stay whole, free text takes the squeeze.

rich fits a table too wide for its terminal by narrowing the widest columns
with no regard for the words in them: at 80 columns ``greeter history`` and
``greeter preview`` split ids, dates, e-mail addresses, states and reason
words mid-word (``contac|t``, ``2026-1|2-01``, ``expir|ed``,
``skip: outside_aud|ience``) over 13-line rows. rich has no notion of which
column matters more, so :func:`fit` lays the columns out itself from the
console's width: a *whole* column (an id, a date, a state, an occasion's
name, a reason code, an address) is never narrower than its longest word —
it wraps, if at all, only between words, and over no more lines than it
allows (:attr:`Column.lines`: a send time is a date over a time, not four
lines of one word each); the free text (a name, a company, a subject, a
server's reply) is what narrows — a folding one no narrower than its words
(:data:`FREE_WORD`), so «Поздравляем» is not split over two lines (nor, in a preview,
«Владимирович» cut short); and where
even that does not fit, the columns of least value are left out, one by one,
and the headers shortened (one left out early comes back if the later ones
made room for it). Only when nothing is left to drop does a whole column fold.

A table that fits keeps the widths rich would give it — piped output (wide
enough for any row: :func:`greeter.console.table_console`) is unchanged.
Pure: what the cells measure in, a layout out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import OverflowMethod
from rich.text import Text

#: The narrowest a free-text column is made before a column is dropped (a name, a subject):
#: narrower, every word of a name is cut.
FREE_FLOOR = 10

#: The narrowest a free-text column is made at all, unless its id is wider (:attr:`Column.whole_first`).
FREE_LEAST = 4

#: The width the free text is given before a whole value is put on one line.
FREE_COMFORT = 20

#: The narrowest a folding free-text column (or one that keeps its :attr:`Column.words`) is made
#: before a column is dropped: its longest word, up to this. Russian words run long —
#: «Константиновна,», «сотрудничества!» are 15 — and folded mid-word («Поздравляе|м») a subject
#: reads as misspelt; a wider word (a path, an address in a server's reply) folds rather than
#: take a column's room.
FREE_WORD = 15


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table that :func:`fit` lays out."""

    header: str
    #: The header on a terminal too narrow for the table ("" keeps :attr:`header`).
    short: str = ""
    #: A value of words people grep for (id, date, state, address): none is ever split.
    whole: bool = False
    #: Its cells start with a word people grep for (a contact's id before the name): never cut.
    whole_first: bool = False
    #: Left out when the terminal is too narrow: 1 first, then 2…; 0 never.
    drop: int = 0
    #: What a word wider than the column becomes: "fold" keeps every character (a server's reply),
    #: "ellipsis" ends it with "…" (a name).
    overflow: OverflowMethod = "fold"
    #: An "ellipsis" column whose words are kept whole (up to :data:`FREE_WORD`) before a droppable
    #: column goes, as a folding one's are: the names in ``preview``, where a reviewer checks the
    #: salutation against the patronymic a cut («Владимиров…») would hide.
    words: bool = False
    style: str | None = None
    #: A whole value wraps over at most this many lines (0: any), else it is on one: a column grown
    #: part way to one line would break its lines elsewhere ("12:47" over "MSK").
    lines: int = 0
    #: Left out when none of its cells has anything in it: a column that came later than the table
    #: (``history``'s subject, which rows journaled before it have none of) takes no room from
    #: the others where it would show nothing.
    unless_empty: bool = False


@dataclass(slots=True)
class Measure:
    """What one column's cells measure: the widest, and the longest word (fed cell by cell)."""

    #: The lines a cell may wrap over (:attr:`Column.lines`; 0: :attr:`in_lines` not measured).
    lines: int = 0
    widest: int = 0
    longest_word: int = 0
    #: The widest first word (:attr:`Column.whole_first`).
    first_word: int = 0
    #: The narrowest width every cell wraps in between words over at most :attr:`lines` lines.
    in_lines: int = 0

    def add(self, cell: Text | str) -> None:
        text = cell if isinstance(cell, str) else cell.plain
        width = cell_len(text)
        if self.lines and width > self.in_lines:  # a cell wraps into no more than it is wide
            self.in_lines = max(self.in_lines, narrowest(text, self.lines))
        if width > self.widest:
            self.widest = width
        if width > self.first_word:
            first = text.split(maxsplit=1)
            self.first_word = max(self.first_word, cell_len(first[0]) if first else 0)
        if width > self.longest_word:  # a cell's words are no wider than the cell
            self.longest_word = max(self.longest_word, longest_word(text))


def longest_word(text: str) -> int:
    """The terminal columns of the widest word of ``text`` (0 for none)."""
    return max(map(cell_len, text.split()), default=0)


def narrowest(text: str, lines: int) -> int:
    """The narrowest width at which ``text`` wraps between words, as rich wraps it (greedily, a
    line as full as it goes), over at most ``lines`` lines."""
    words = [cell_len(word) for word in text.split()]
    low, high = max(words, default=0), sum(words) + len(words) - 1
    while low < high:  # fewer lines the wider: the narrowest that takes ``lines``, by halves
        middle = (low + high) // 2
        if _wrapped(words, middle) <= lines:
            high = middle
        else:
            low = middle + 1
    return max(low, 0)


def _wrapped(words: Sequence[int], width: int) -> int:
    """The lines words of these widths take ``width`` wide, each line as full as it goes."""
    count, line = 1, -1
    for word in words:
        if line + 1 + word > width and line >= 0:
            count, line = count + 1, word
        else:
            line += 1 + word
    return count


def measured(rows: Iterable[Sequence[Text | str]], columns: Sequence[Column]) -> list[Measure]:
    """The :class:`Measure` of each of ``columns`` over ``rows``."""
    measures = [Measure(column.lines) for column in columns]
    for cells in rows:
        for measure, cell in zip(measures, cells, strict=True):
            measure.add(cell)
    return measures


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns shown (their indexes in the full row), their headers and widths (padding not included)."""

    shown: tuple[int, ...]
    columns: tuple[Column, ...]
    headers: tuple[str, ...]
    widths: tuple[int, ...]

    def pick(self, cells: Sequence[Text | str]) -> tuple[Text | str, ...]:
        """The cells of one full row that this layout shows."""
        return tuple(cells[i] for i in self.shown)


def extra_width(count: int, boxed: bool = True) -> int:
    """The columns a table of ``count`` columns takes besides its cells: the borders and the padding
    (a space either side of a cell), as rich draws a boxed table; the padding alone without a box
    (:func:`greeter.console.table_box`: piped, ``TERM=dumb``)."""
    return 3 * count + 1 if boxed else 2 * count


def fit(columns: Sequence[Column], measures: Sequence[Measure], width: int, boxed: bool = True) -> Layout:
    """The layout of a table of ``columns`` (cells ``measures``) on a console ``width`` columns wide.

    As wide as its widest cells if that fits (what rich gives it: every row on
    one line). Otherwise each whole column at least as wide as its longest
    word (and as its cells over :attr:`Column.lines`) and each free one :data:`FREE_FLOOR` (or its
    widest cell, and a folding one, or one keeping :attr:`Column.words`, its words up to
    :data:`FREE_WORD`) — with
    the full headers if that fits, else with the short ones, leaving out the
    droppable columns in order until it fits, then showing again those of them
    (the last left out first) that fit after all; the room left goes to the
    free text up to :data:`FREE_COMFORT`, then to the whole columns that it
    puts on one line each, then to the free text again.
    Nothing left to drop and still too wide: the free text narrowed to
    :data:`FREE_LEAST`, then the widest columns (a whole one then folds —
    there is no room). A column :attr:`Column.unless_empty` whose cells are
    all empty is never shown.
    """
    everything = tuple(
        i for i, (c, m) in enumerate(zip(columns, measures, strict=True)) if m.widest or not c.unless_empty
    )
    natural = [max(measures[i].widest, cell_len(columns[i].header)) for i in everything]
    if sum(natural) + extra_width(len(everything), boxed) <= width:
        kept = tuple(columns[i] for i in everything)
        return Layout(everything, kept, tuple(c.header for c in kept), tuple(natural))
    full = _squeezed(columns, measures, everything, width, boxed, short=False)
    if full is not None:  # the words fit with the full headers: every column, as they are
        return full
    order = [i for _, i in sorted((c.drop, i) for i, c in enumerate(columns) if c.drop)]
    for dropped in range(len(order) + 1):
        gone = set(order[:dropped])
        layout = _squeezed(columns, measures, _without(everything, gone), width, boxed)
        if layout is None:
            continue
        # A column left out early may fit once a wider one after it is gone too (a long e-mail
        # address, dropped after the server's reply, makes room for the reply again).
        for back in reversed(order[: max(dropped - 1, 0)]):  # the last one left out had to go
            again = _squeezed(columns, measures, _without(everything, gone - {back}), width, boxed)
            if again is not None:
                gone.discard(back)
                layout = again
        return layout
    shown = _without(everything, set(order))
    return _squeezed(columns, measures, shown, width, boxed, force=True) or Layout((), (), (), ())


def _without(everything: tuple[int, ...], gone: set[int]) -> tuple[int, ...]:
    """The columns of ``everything`` not ``gone``, in order."""
    return tuple(i for i in everything if i not in gone)


def _squeezed(
    columns: Sequence[Column],
    measures: Sequence[Measure],
    shown: tuple[int, ...],
    width: int,
    boxed: bool,
    force: bool = False,
    short: bool = True,
) -> Layout | None:
    """``shown`` at the least their words allow, grown into the room left; None if they do not fit
    (``force``: narrowed to fit all the same, the free text first). ``short``: the short headers."""
    headers = tuple((columns[i].short if short else "") or columns[i].header for i in shown)
    natural = [max(measures[i].widest, cell_len(h), 1) for i, h in zip(shown, headers, strict=True)]
    whole = [columns[i].whole for i in shown]
    # The least a column may be: its header's words and a whole value's (over no more than its
    # lines), a free cell's first word if that is an id; a free column is kept FREE_FLOOR wide,
    # a folding one (or one keeping its words) as wide as its words (up to FREE_WORD), unless
    # nothing else fits.
    least = [
        max(
            longest_word(h),
            max(measures[i].longest_word, measures[i].in_lines) if columns[i].whole else min(n, FREE_LEAST),
            measures[i].first_word if columns[i].whole_first else 1,
        )
        for i, h, n in zip(shown, headers, natural, strict=True)
    ]
    floor = [
        max(
            min(n, FREE_FLOOR),
            min(measures[i].longest_word, FREE_WORD)
            if columns[i].overflow == "fold" or columns[i].words
            else 0,
        )
        for i, n in zip(shown, natural, strict=True)
    ]
    widths = [w if whole[n] else max(w, floor[n]) for n, w in enumerate(least)]
    room = width - extra_width(len(shown), boxed) - sum(widths)
    if room < 0 and not force:
        return None
    for soft in (True, False):  # nothing fits: the widest free text gives way first, then any column
        while room < 0:
            narrower = [
                n
                for n, w in enumerate(widths)
                if w > (least[n] if soft else 1) and (not soft or not whole[n])
            ]
            if not narrower:
                break
            widest = max(narrower, key=lambda n: widths[n])
            widths[widest] -= 1
            room += 1
    # The free text to a readable width; then a whole value onto one line, the column wrapped over
    # most lines first (one grown short of a line only wraps its words elsewhere); then the rest.
    room = _grow(widths, [min(n, FREE_COMFORT) for n in natural], [not w for w in whole], room)
    for n in sorted(range(len(shown)), key=lambda n: -natural[n] / widths[n]):
        need = natural[n] - widths[n]
        if whole[n] and 0 < need <= room:
            widths[n] += need
            room -= need
    room = _grow(widths, natural, [not w for w in whole], room)
    # any room still left; not to a column of so many lines, which would break its lines elsewhere
    _grow(widths, natural, [w and not columns[i].lines for i, w in zip(shown, whole, strict=True)], room)
    return Layout(shown, tuple(columns[i] for i in shown), headers, tuple(widths))


def _grow(widths: list[int], natural: Sequence[int], which: Sequence[bool], room: int) -> int:
    """Give ``room`` to the ``which`` columns a column at a time, each up to its ``natural`` width
    (in place); the room left."""
    while room > 0:
        wanting = [n for n, w in enumerate(widths) if which[n] and w < natural[n]]
        if not wanting:
            break
        for n in wanting:
            if room == 0:
                break
            widths[n] += 1
            room -= 1
    return room


def hidden(
    columns: Sequence[Column], measures: Sequence[Measure], layout: Layout
) -> tuple[list[str], list[str]]:
    """What ``layout`` does not show of a table of ``columns`` (cells ``measures``): the headers of the
    columns it leaves out, and of those whose longest word it cuts short ("…"), in order (pure).

    A column of nothing (:attr:`Column.unless_empty`) is not left out: it had nothing to show.
    A folding column, or one whose words fit, wraps over more lines and loses nothing.
    """
    shown = set(layout.shown)
    out = [
        c.header
        for i, (c, m) in enumerate(zip(columns, measures, strict=True))
        if i not in shown and (m.widest or not c.unless_empty)
    ]
    cut = [
        c.header
        for i, c, w in zip(layout.shown, layout.columns, layout.widths, strict=True)
        if c.overflow == "ellipsis" and measures[i].longest_word > w
    ]
    return out, cut


def fit_note(
    columns: Sequence[Column], measures: Sequence[Measure], layout: Layout, width: int, whole: str
) -> str | None:
    """The one line said on stderr when a table on a terminal ``width`` columns wide leaves columns out
    or cuts their words short (:func:`hidden`), naming them and where they are shown whole
    (``whole``: the other formats, ``--format json``); None when it shows everything (pure).

    Why: a column left out went silently — a reviewer at 80 columns never learnt a preview has
    subjects, nor a screen reader's user at 60 that it has years — and "…" said nothing of where
    the rest of a name is.
    """
    out, cut = hidden(columns, measures, layout)
    if not out and not cut:
        return None
    said = [f"leaves out {_listed(out)}"] if out else []
    if cut:
        said.append(f"cuts long words short (…) in {_listed(cut)}")
    shown = f"a wider terminal or {whole} shows every field"
    return f"note: to fit {width} columns, the table {', and '.join(said)}; {shown}"


def _listed(headers: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return headers[0] if len(headers) == 1 else f"{', '.join(headers[:-1])} and {headers[-1]}"
