"""Where a contacts file's header row is: CRM reports put a title above it.

1C, Bitrix24 and amoCRM reports and Excel exports often start with a
preamble — "Отчёт по контактам", "Сформирован: 01.12.2026 10:00", an empty
row — and only then the header ("ID;Email;Фамилия;…"). The header is the
first row that holds every column the config names (by
:func:`~greeter.sources.rows.missing_columns`, the row parser's own
matching); the rows above it are skipped, with one warning.
``contacts.header_row`` names the row instead, for a file where that guess
would be wrong (and silences the warning). Row numbers stay the file's own
throughout: a header on row 4 makes row 5 the first contact.

An SQL query's column names are always its header.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from greeter.config_contacts import Columns, ContactsSource
from greeter.errors import ContactsError, HeaderNotFound, Problem, QueryError
from greeter.sources.columns import (
    NAME_PARTS,
    configured_columns,
    header_problem,
    missing_columns,
    reads_as_words,
    reported_columns,
)
from greeter.sources.rows import RowParser, quoted

__all__ = [
    "HEADER_SEARCH_ROWS",
    "HeaderTest",
    "Row",
    "header_test",
    "open_header",
    "preamble_warning",
    "scan",
    "with_hint",
    "yaml_value",
]

#: How many non-empty rows may precede and include the header. Real preambles are a title, a
#: date, a few filter lines ("Менеджер: все", "Период: …") and a blank row, well under ten;
#: twenty leaves room for the wordy ones, keeps the header inside the 64 KB a CSV's delimiter
#: is sniffed from, and lets a file whose header lacks a column fail after twenty rows, not
#: after reading a million-row export to its end.
HEADER_SEARCH_ROWS = 20
#: How much of each preamble row the warning quotes.
_QUOTE_CHARS = 40

Row = tuple[int, list[str]]
#: How far ``(row number, cells)`` is from being the header row: 0 if it is the header, else
#: the number of configured columns it lacks (1 for any row but ``contacts.header_row``).
HeaderTest = Callable[[int, Sequence[str]], int]

#: The columns a file may lack, said so by ``null`` (not ``full_name``: it replaces the name columns).
_OPTIONAL = tuple(name for name in Columns.model_fields if name not in ("id", "email", "full_name"))
#: A header cell holding the whole name: ФИО, ФИО клиента, Ф.И.О., Full name, Полное имя.
_FULL_NAME = re.compile(
    r"(?i)(?<!\w)(?:ф\.?\s?и\.?\s?о\.?|full[\s_]*name|полное\s+имя|фамилия,?\s+имя,?\s+отчество)(?!\w)"
)
#: A setting's value YAML reads as that text unquoted: starts with a letter, no ": " or " #".
_PLAIN_YAML = re.compile(r"[^\W\d_][^:#]*(?<!\s)")
#: Words YAML reads as something else than text.
_YAML_WORDS = frozenset({"null", "true", "false", "yes", "no", "on", "off"})


def yaml_value(text: str) -> str:
    """``text`` as the config is to hold it: plain when YAML reads it so (Контакты), else in quotes ("2")."""
    if _PLAIN_YAML.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def with_hint(message: str, hint: str) -> str:
    """``message`` and what to do about it, after a ";" (or as a sentence after a "did you mean …?")."""
    if message.endswith("?"):
        return f"{message} {hint[0].upper()}{hint[1:]}"
    return f"{message.removesuffix('.')}; {hint}"


def _blank(cells: Sequence[str]) -> bool:
    return not any(c.strip() for c in cells)


def scan(
    rows: Iterable[Row], test: HeaderTest, limit: int = HEADER_SEARCH_ROWS
) -> tuple[list[Row], Row | None]:
    """Read ``rows`` up to the header: (the non-empty rows above it, the header row).

    The header is the first row ``test`` gives 0; None when none of the
    first ``limit`` non-empty rows is (or ``rows`` ended first). Nothing after
    the header is read, so a caller goes on with the same iterator for the
    data rows.
    """
    above: list[Row] = []
    for number, cells in rows:
        if _blank(cells):
            continue
        if not test(number, cells):
            return above, (number, cells)
        above.append((number, cells))
        if len(above) >= limit:
            break
    return above, None


def header_test(cfg: ContactsSource) -> HeaderTest:
    """How a file source's header row is recognised: by its number if configured, else by its columns."""
    wanted = cfg.header_row
    if wanted is not None:
        return lambda number, _cells: int(number != wanted)
    return lambda _number, cells: len(missing_columns(cfg, cells))


def open_header(
    rows: Iterable[Row],
    cfg: ContactsSource,
    source: str,
    implied_formats: Sequence[str] = (),
    occasions: Mapping[str, Sequence[str]] | None = None,
) -> tuple[RowParser, Problem | None]:
    """The row parser of the header read from ``rows``, and the warning about a preamble skipped.

    Raises :class:`ContactsError` when there is no usable header row: an
    empty file, ``header_row`` pointing at an empty or missing row, or no row
    among the first :data:`HEADER_SEARCH_ROWS` with every configured column
    (the message is the problem of the row with the most of them, the first
    row if none has any: the header as it was meant, typo and all).
    """
    if cfg.source == "sql":
        for _number, cells in rows:
            _check_query_columns(cfg, [c.strip() for c in cells], source)
            return RowParser(cfg, cells, source, implied_formats, occasions=occasions), None
        raise ContactsError(f"{source}: the file is empty (no header row)")
    if cfg.header_row is not None:
        return _configured_row(rows, cfg, source, implied_formats, cfg.header_row, occasions), None
    test = header_test(cfg)
    above, found = scan(rows, test)
    if found is None:
        if not above:
            raise HeaderNotFound(f"{source}: the file is empty (no header row)")
        # The row with the most configured columns (the first on a tie) is the header with a typo:
        # its problem, with the did-you-mean hint, is the one to show. In a file without a title
        # that is the first row, as ever.
        number, cells = min(above, key=lambda row: test(*row))
        clean = [c.strip() for c in cells]
        message, identified = _not_header(cfg, clean, source, number)
        if len(above) > 1:  # say that the other rows were tried too, and how to point at the header
            message += " " if message.endswith("?") else ". "
            message += f"No row up to row {above[-1][0]} has all the configured columns"
            if number != above[0][0]:
                message += f"; row {number} has the most of them"
            # A header further down is only a guess when no row was recognised as the header (a
            # column it nearly has, a ФИО column): after "did you mean 'ФИО'?" it is wrong advice.
            # Nor when the best row lacks one column only: it is the header, and the column is
            # the news ("День ангела" configured for a column the export calls "Именины").
            if len(above) >= HEADER_SEARCH_ROWS and not identified and test(number, cells) > 1:
                message += "; if the header is further down, set contacts.header_row"
            message += "."
        raise HeaderNotFound(message, _missing_column(cfg, clean))
    number, cells = found
    parser = RowParser(cfg, cells, source, implied_formats, row=number, occasions=occasions)
    return parser, preamble_warning(source, above, number) if above else None


def _check_query_columns(cfg: ContactsSource, columns: Sequence[str], source: str) -> None:
    """Raise a :class:`~greeter.errors.QueryError` when the query lacks a configured column.

    The query and the column settings disagree: a config problem like the
    query's syntax error, so ``check`` reports it the same way (at the
    setting's line, with the rest of its report) instead of one line. A
    PostgreSQL alias written without double quotes (``AS ID``) comes back in
    lower case (``id``): the message says so and gives both fixes, since
    "did you mean 'id'?" alone left the user wondering why ``ID`` was not there.
    """
    problem = header_problem(cfg, columns, source)
    if problem is None:
        return
    from greeter.sources.sql_source import is_postgresql

    gaps = reported_columns(cfg, [c for c in columns if c])
    setting = gaps[0].setting if gaps else "contacts.query"
    if is_postgresql(cfg.url or ""):
        folded = next(
            (gap for gap in gaps if gap.column.lower() in columns and gap.column.lower() != gap.column), None
        )
        if folded is not None:
            setting = folded.setting
            problem = with_hint(problem, folded_alias_hint(folded.column))
    raise QueryError(problem, setting)


def folded_alias_hint(column: str) -> str:
    """What to do about a configured ``column`` ("ID") that PostgreSQL returned in lower case ("id")."""
    quoted_alias = '"' + column.replace('"', '""') + '"'
    return (
        "PostgreSQL folds names not in double quotes to lower case: write"
        f" AS {quoted_alias} in contacts.query, or {column.lower()!r} here"
    )


def _configured_row(
    rows: Iterable[Row],
    cfg: ContactsSource,
    source: str,
    implied_formats: Sequence[str],
    wanted: int,
    occasions: Mapping[str, Sequence[str]] | None,
) -> RowParser:
    """The parser of row ``wanted`` (``contacts.header_row``); the rows above it are skipped silently."""
    setting = f"contacts.header_row: {wanted}"
    last = 0
    for number, cells in rows:
        last = number
        if number < wanted:
            continue
        if number > wanted or _blank(cells):
            raise ContactsError(f"{source}: row {wanted} is empty, so it cannot be the header ({setting})")
        clean = [c.strip() for c in cells]
        if header_problem(cfg, clean, source, number) is not None:
            problem = _not_header(cfg, clean, source, number)[0]
            raise HeaderNotFound(
                f"{problem} ({setting} makes row {wanted} the header)", _missing_column(cfg, clean)
            )
        return RowParser(cfg, cells, source, implied_formats, row=number, occasions=occasions)
    if not last:
        raise ContactsError(f"{source}: the file is empty (no header row)")
    raise ContactsError(f"{source}: the file ends at row {last}, before the header ({setting})")


def _missing_column(cfg: ContactsSource, cells: Sequence[str]) -> str | None:
    """The first configured column ``cells`` lack, as errors name it: column 'ФИО' (contacts.columns.x)."""
    missing = configured_columns(cfg, {c for c in cells if c})[1]
    if not missing:
        return None
    name, column = missing[0]
    key = name if name.startswith("dates.") else f"columns.{name}"  # contacts.dates.wedding
    return f"column {column!r} (contacts.{key})"


def _full_name_hint(cfg: ContactsSource, full: str) -> str:
    """``set contacts.columns.full_name: ФИО (and first_name, last_name: null)``.

    Once ``full_name`` is set the name columns are not read, and ``check``
    warns about each one the config still names: the hint nulls those the
    config writes (not the defaults it never mentions), so that following it
    leaves nothing to warn about.
    """
    written = cfg.columns.model_fields_set
    named = [p for p in NAME_PARTS if p in written and getattr(cfg.columns, p) is not None]
    hint = f"the header has a full-name column: set contacts.columns.full_name: {yaml_value(full)}"
    return hint + (f" (and {', '.join(named)}: null)" if named else "")


def _not_header(cfg: ContactsSource, cells: Sequence[str], source: str, number: int) -> tuple[str, bool]:
    """Why row ``number`` (stripped ``cells``) is not the header, with what to write in the config.

    :func:`~greeter.sources.rows.header_problem` names the configured columns
    the row lacks; this adds the fix a first-time user needs most: a ФИО
    column in place of the name columns (``contacts.columns.full_name``), and
    ``patronymic: null`` for each optional column the file does not have and
    no cell of the row is close to (unless the header is mojibake, "�": then
    the encoding is the fix). The flag: the row is recognised as the header
    all the same (it has a cell close to a missing column, or the ФИО column
    that replaces them).
    """
    message = header_problem(cfg, cells, source, number)
    assert message is not None  # the row was not accepted, so it lacks a column
    present = [c for c in cells if c]
    named = reported_columns(cfg, present)
    if not named or (len(present) == 1 and not reads_as_words(present[0])):  # nothing to add, or no table
        return message, False
    identified = any(gap.meant is not None for gap in named)
    absent = [gap.name for gap in named if gap.name in _OPTIONAL and gap.meant is None]
    parts = [gap.name for gap in named if gap.name in NAME_PARTS]
    full = next((c for c in present if _FULL_NAME.search(c)), None)
    if parts and cfg.columns.full_name is None and full is not None:
        hint = _full_name_hint(cfg, full)
        # A file may well lack a patronymic column and still have Имя and Фамилия.
        if "first_name" not in parts:
            hint += f", or, {_null_hint(parts)}"
        message = with_hint(message, hint)
        absent = [name for name in absent if name not in NAME_PARTS]
        identified = True
    if absent and not any("\ufffd" in c for c in present):
        message = with_hint(message, _null_hint(absent, such=len(named) == 1))
    return message, identified


def _null_hint(names: Sequence[str], such: bool = False) -> str:
    """``if the file has no gender or tags column, write gender: null, tags: null under contacts.columns``.

    ``such``: the message names the one column already ("if the file has no such column").
    """
    which = "such" if such else (", ".join(names[:-1]) + " or " if len(names) > 1 else "") + names[-1]
    nulls = ", ".join(f"{name}: null" for name in names)
    return f"if the file has no {which} column, write {nulls} under contacts.columns"


def preamble_warning(
    source: str,
    above: list[Row],
    header: int,
    *,
    found_by: str = "every configured column",
    advice: str | None = "set contacts.header_row: {header} to confirm it and silence this warning",
) -> Problem:
    """One warning for the rows above the header, quoting the first two ('Отчёт по контактам').

    ``found_by`` says what made the header row the header; ``advice`` (with
    ``{header}`` for its number) how to confirm it, if there is a way.
    """
    quoted = [_quote(cells) for _number, cells in above[:2]]
    shown = ", ".join(quoted) + (", …" if len(above) > 2 else "")
    rows = "row 1 above the header is" if header == 2 else f"rows 1–{header - 1} above the header are"
    message = f"{rows} skipped (the header is row {header}, the first with {found_by}): {shown}"
    if advice:
        message += "; " + advice.format(header=header)
    return Problem(source, "", message, kind="row", severity="warning")


def _quote(cells: Sequence[str]) -> str:
    text = " ".join(c.strip() for c in cells if c.strip())
    return quoted(text, _QUOTE_CHARS)
