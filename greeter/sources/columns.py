"""The contacts file's header row against the config's column names: which are there, which are not.

Split from :mod:`greeter.sources.rows` (the row parser): the header is read
once, before any row, by the CSV and XLSX readers and the SQL source alike,
and its messages — every configured column a header lacks, each with the
unused cell it was likely meant as — are what a first run of a new CRM
export meets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from greeter.config_contacts import ContactsSource
from greeter.contacts import DIRECTION_CONTROLS, UNSAFE_IN_HEADER

__all__ = ["NAME_PARTS", "MissingColumn", "cell_reader", "close_column", "configured_columns",
           "describe_control", "email_fields", "header_problem", "missing_columns", "missing_with_meant",
           "reads_as_words", "reported_columns"]  # fmt: skip

_CONTROL = UNSAFE_IN_HEADER


#: The name columns a ``full_name`` column replaces.
NAME_PARTS = ("first_name", "patronymic", "last_name")


def describe_control(ch: str) -> str:
    """A control character in a cell, in words: a line break, NUL, a direction control, or its code."""
    if ch in "\r\n":
        return "a line break (CR/LF) — it would break the message headers"
    if ch == "\x00":
        return "a NUL character"
    if ch in DIRECTION_CONTROLS:  # invisible, so its name says what it does
        name = unicodedata.name(ch)
        return f"a text-direction control U+{ord(ch):04X} ({name}): it disguises the text after it"
    return f"a control character U+{ord(ch):04X}"


def configured_columns(
    cfg: ContactsSource, header: Collection[str]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The header text each configured field is read from, and the (setting, column) pairs ``header`` lacks.

    The one place configured names meet header cells: ``header`` holds the
    stripped, non-empty cells, and a name matches a cell exactly. A
    ``full_name`` column replaces the three name columns: they are not read
    (``greeter check`` warns at a setting that names one, see
    :func:`greeter.checks.full_name_overlap`). Each e-mail column after the
    first of a list (``email: [Рабочий e-mail, Частный e-mail]``) is a field of
    its own named as its setting is (``email.1``: :func:`email_fields`), so a
    header lacking it, or having it twice, is told as for any column.
    """
    cols = cfg.columns
    wanted: dict[str, str | None] = {}
    for name in type(cols).model_fields:
        if name == "email":
            wanted.update(zip(email_fields(cols.email_columns), cols.email_columns, strict=True))
        else:
            wanted[name] = getattr(cols, name)
    if cols.full_name:  # a ФИО column replaces the three separate ones
        for part in NAME_PARTS:
            wanted[part] = None
    used = {name: column for name, column in wanted.items() if column is not None}
    missing = [(name, column) for name, column in used.items() if column not in header] + [
        (f"dates.{name}", column) for name, column in cfg.dates.items() if column not in header
    ]
    return used, missing


def cell_reader(fields: Sequence[tuple[str, int]]) -> Callable[[Sequence[str]], dict[str, str]]:
    """A function of a row giving ``{name: row[i].strip() for name, i in fields}``, the mapped cells.

    Generated once per header as one dict display (``{'id': row[0].strip(), …}``): the row parser
    reads every row through it, and the comprehension's loop — a tuple unpacked and a key stored
    per cell — cost 10,900 instructions a row of twelve mapped columns, the display 7,500
    (callgrind). Names are written with ``repr`` and positions are ints: nothing of a header is
    evaluated as code.
    """
    for name, i in fields:
        if not isinstance(name, str) or type(i) is not int:
            raise TypeError(f"cell_reader takes (name, position) pairs, not {(name, i)!r}")
    from greeter.generated_code import compiled

    body = ", ".join(f"{name!r}: row[{i}].strip()" for name, i in fields)
    env: dict[str, object] = {}
    exec(compiled(f"def cells(row):\n    return {{{body}}}\n"), env)  # names repr'd, positions ints
    reader: Callable[[Sequence[str]], dict[str, str]] = env["cells"]  # type: ignore[assignment]
    return reader


def email_fields(columns: Sequence[str]) -> tuple[str, ...]:
    """The fields the e-mail columns ``columns`` are read as: ``email``, then ``email.1``, ``email.2``….

    Named as the list's items are in the config's own messages
    (``contacts.columns.email.1``), so that a message about the field names
    the setting to fix.
    """
    return ("email", *(f"email.{i}" for i in range(1, len(columns))))


def missing_columns(cfg: ContactsSource, cells: Sequence[str]) -> list[tuple[str, str]]:
    """The (setting, column) of each configured column a row of ``cells`` lacks, in the config's order."""
    return configured_columns(cfg, {c.strip() for c in cells} - {""})[1]


def header_problem(cfg: ContactsSource, header: Sequence[str], source: str, row: int = 1) -> str | None:
    """Why ``header`` (stripped cells, row ``row`` of the file) cannot be the header row, or None.

    Every configured column the row lacks is named (:func:`reported_columns`), each with
    its setting and, where the row has one, the unused cell it was likely meant as: one
    per run made a fix-and-rerun round of each column an export lacks.
    """
    for h in header:
        if (m := _CONTROL.search(h)) is not None:
            what = f"contains {describe_control(m.group())}"
            if "\n" in h or "\r" in h:
                what = 'runs into the lines below it: a quote (") left open?'
            return f"{source}:row {row}: the header row {what}"
    present = [h for h in header if h]
    used, missing = configured_columns(cfg, set(present))
    if not missing:
        return _duplicate_problem(cfg, used, header, source, row)
    if len(present) == 1 and not reads_as_words(present[0]):
        # One field that is not a title (``Сформирован: 01.12.2026``) is no header of a table: a line
        # of some other file (``contacts.path`` at a key, ``header_row`` at its base64). Quoted, the
        # line would be in the log and, before, in /healthz: it is left out.
        if source.lower().endswith((".xlsx", ".xlsm")):  # a sheet has no delimiter: a CSV pasted in
            return (
                f"{source}:row {row}: row {row} is not a header: it has one cell (a CSV pasted into"
                " column A? split it with Excel's Data → Text to Columns, or give greeter the CSV)"
            )
        return f"{source}:row {row}: row {row} is not a header of this file's delimiter (it has one field)"
    named = reported_columns(cfg, present)
    shown = ", ".join(present[:30]) + (f", … ({len(present)} columns)" if len(present) > 30 else "")
    if len(named) == 1:
        gap = named[0]
        hint = f", did you mean {gap.meant!r}?" if gap.meant else f" (the header has: {shown})"
        return f"{source}: column {gap.column!r} ({gap.setting}) not found{hint}"
    items = ", ".join(
        f"{gap.column!r} ({gap.setting}" + (f", did you mean {gap.meant!r}?)" if gap.meant else ")")
        for gap in named
    )
    listed = f"; the header has: {shown}" if any(gap.meant is None for gap in named) else ""
    return f"{source}: {len(named)} configured columns not found: {items}{listed}"


#: A run of characters a key, a token or a password is made of: 16 or more without a space.
_TOKEN = re.compile(r"\S{16,}")


def reads_as_words(text: str) -> bool:
    """Whether ``text`` reads as words a message may quote: printable, with spaces, no long token. Pure.

    A message quoting a line of a file the config names reaches the log (and
    anyone who may edit the config chooses the file): a title row, «Сводка по
    сделкам», says what the file is; a line of a key or a password (one run of
    characters without a space) must not be repeated.
    """
    return text.isprintable() and " " in text.strip() and _TOKEN.search(text) is None


@dataclass(frozen=True, slots=True)
class MissingColumn:
    """A configured column a header row lacks, and the unused cell of the row it was likely meant as."""

    #: The field: ``tags``, or ``dates.wedding`` for a date column.
    name: str
    #: The header text the config names.
    column: str
    #: The row's cell that is probably this column misspelt, None if none is close.
    meant: str | None = None

    @property
    def setting(self) -> str:
        """The setting to fix: ``contacts.columns.tags``, ``contacts.dates.wedding``."""
        return f"contacts.{self.name if self.name.startswith('dates.') else f'columns.{self.name}'}"


def missing_with_meant(cfg: ContactsSource, present: Sequence[str]) -> list[MissingColumn]:
    """Each configured column the header cells ``present`` lack, in the config's order, with its did-you-mean.

    A did-you-mean is only ever a cell no configured column reads, and each
    cell is offered once: «Категория» for a missing «Теги» when columns.tier
    reads «Категория» sent the user to break the tier column instead of
    writing ``tags: null``.
    """
    used, missing = configured_columns(cfg, set(present))
    taken = set(used.values()) | set(cfg.dates.values())
    free = [h for h in present if h not in taken]
    found = []
    for name, column in missing:
        close = close_column(column, free)
        meant = close[0] if close else None
        if meant is not None:
            free = [h for h in free if h != meant]
        found.append(MissingColumn(name, column, meant))
    return found


def reported_columns(cfg: ContactsSource, present: Sequence[str]) -> list[MissingColumn]:
    """The missing columns :func:`header_problem` names for a row of ``present`` cells: all, or the first.

    A row with none of the configured columns and no cell close to any is
    not a header with gaps but some other row (a report's title, a filter
    line): it gets the first column and the row's text, not a list of every
    setting in the config.
    """
    missing = missing_with_meant(cfg, present)
    used, _ = configured_columns(cfg, ())
    if len(missing) == len(used) + len(cfg.dates) and all(gap.meant is None for gap in missing):
        return missing[:1]
    return missing


def close_column(column: str, present: Sequence[str]) -> list[str]:
    """The header cell ``column`` was most likely meant as (at most one), capitals aside.

    Capitals are compared folded: an export that writes ``ДАТА РОЖДЕНИЯ`` for
    the configured ``Дата рождения`` is that column, not the nearest
    same-case cell (``Дата основания`` — a suggestion that would greet
    birthdays on founding days), and ``фио`` is ``ФИО``.
    """
    folded = {h.casefold(): h for h in reversed(present)}  # the first cell of a folded spelling
    import difflib  # a hint for a mistake only

    close = difflib.get_close_matches(column.casefold(), list(folded), n=1, cutoff=0.5)
    return [folded[c] for c in close]


def _duplicate_problem(
    cfg: ContactsSource, used: Mapping[str, str], header: Sequence[str], source: str, row: int
) -> str | None:
    """A configured column the header has twice: which one is meant cannot be told, so it is an error.

    Greeting the address of the wrong ``Email`` column is worse than not
    loading; a repeated column the config does not name is read by nobody.
    """
    settings = [(f"columns.{name}", column) for name, column in used.items()]
    settings += [(f"dates.{name}", column) for name, column in cfg.dates.items()]
    for key, column in settings:
        places = [i + 1 for i, h in enumerate(header) if h == column]
        if len(places) > 1:
            where = ", ".join(str(p) for p in places[:-1]) + f" and {places[-1]}"
            return (
                f"{source}:row {row}: column {column!r} (contacts.{key}) appears {len(places)} times in the"
                f" header row (columns {where}); which one holds the data cannot be told: rename or remove"
                " the others"
            )
    return None
