"""A source row whose fields do not line up with the header: too few, too many, or unreadable bytes.

Split from :mod:`greeter.sources.rows` (the row parser): a row of the
header's width never gets here, so the million ordinary rows pay nothing,
and what is wrong with one that does — another delimiter, a file cut while
it was written (:class:`CutRow`), an unquoted delimiter inside a value, a
cell in another encoding — depends on the row and the header alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from greeter.errors import Problem
from greeter.sources.quote import quoted
from greeter.sources.undecoded import escaped

__all__ = ["CutRow", "long_row", "short_row", "undecoded_cell"]

_DELIMITERS = re.compile(r"[;,\t|]")


class CutRow(list[str]):
    """The cells of a CSV file's last row when no line break follows it: the file may end in its middle.

    A CRM export job rewriting the file while greeter reads it leaves it cut
    anywhere (``5100;c100@example.co``); the cut row's fields, one of them cut
    short, were loaded as a short line, and a letter went to a cut address
    (a real, other domain). The CSV source marks the row by its type, so that
    :meth:`~greeter.sources.rows.RowParser.parse` tells this case apart only when the row is short:
    the million ordinary rows pay nothing. A complete last row without a line
    break (many exporters write none) is not short, and loads as ever.
    """

    __slots__ = ()


def short_row(
    row: Sequence[str], line: int, header: Sequence[str], width: int, source: str, csv: bool
) -> Problem | None:
    """A row with fewer fields than the header: another delimiter (rejected) or a cut line (warned).

    The file's last row with no line break after it (:class:`CutRow`) is
    rejected: the file ends in its middle, most likely because it was
    still being written, and its last field may be cut short — a letter to
    ``c100@example.co``. Not loading it this run costs nothing: the next run
    reads the whole row.
    """
    missing = header[len(row)] if row else header[0]
    if isinstance(row, CutRow):
        ends = f", the last one {quoted(row[-1])}" if row else ""
        message = (
            f"the file ends in the middle of this row ({len(row)} of {width} fields{ends},"
            " no line break after it): it was probably still being written; the row is not loaded"
            " (greeter reads it again next run; if the file is complete, end it with a line break)"
        )
        return Problem(source, missing, message, line, kind="row")
    if len(row) == 1 and _DELIMITERS.search(row[0]):
        message = (
            f"1 field where the header has {width}: this row uses another delimiter "
            f"than the header line; the row is skipped: {quoted(row[0])}"
        )
        return Problem(source, missing, message, line, kind="row")
    if csv:  # spreadsheets and databases leave empty cells out; a CSV line should not
        ends = f"; the line ends with {quoted(row[-1])}" if row else ""
        message = (
            f"only {len(row)} of {width} fields (a truncated line?){ends}; "
            "the missing columns are taken as empty"
        )
        return Problem(source, missing, message, line, kind="row", severity="warning")
    return None


def long_row(row: Sequence[str], line: int, header: Sequence[str], width: int, source: str) -> Problem:
    """A CSV row with more fields than the header: its values would be read one column off.

    ``a@x.ru; b@y.ru`` unquoted, or a ФИО with a ``;`` in it, splits one
    value in two, and every column after it then holds its neighbour's
    value: the birthday in the first-deal column, a name in the e-mail's.
    Empty fields past the header (``a;b;c;;``, Excel's trailing delimiter)
    are not data and never get here.
    """
    last = next(h for h in reversed(header) if h)  # the column the extra values follow
    message = (
        f"{len(row)} fields, the header has {width} — an unquoted delimiter inside a value?"
        f" the row is not loaded: {quoted(row[width])} comes after this last column"
    )
    return Problem(source, last, message, line, kind="row")


def undecoded_cell(
    row: Sequence[str], index: int, line: int, header: Sequence[str], width: int, source: str
) -> Problem:
    """A cell holding bytes the file's encoding cannot read: its row is not loaded.

    Such a row was pasted from an export in another encoding, so its other
    cells cannot be trusted either. Its file's warning
    (:func:`greeter.sources.csv_source.undecoded_rows`) names the encoding.
    """
    column = header[index] if index < width else ""
    message = (
        f"'{escaped(row[index])}' holds bytes the file's encoding cannot read (see the file's"
        " warning about them); the row is not loaded"
    )
    return Problem(source, column, message, line, kind="row")
