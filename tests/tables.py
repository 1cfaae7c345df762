"""Reading greeter's tables as printed piped: no frame, the columns apart by spaces (greeter.console.table_box).

Piped (and with ``TERM=dumb``) a table has no box-drawing characters — a screen reader read
each aloud —, so the tests that read its cells find the columns where its header line puts
them: each header starts a column, two spaces or more after the one before it (a cell's padding
is a space either side). A row is each line after the header that starts with a space (the
padding of its first cell); the title above and a summary below start otherwise.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

#: A header's start: the line's first character, or one after two spaces or more.
_START = re.compile(r"(?:(?<=^ )|(?<=  ))\S")


def header_line(text: str, first: str) -> str:
    """The table's header line: the first whose first header is ``first``."""
    for line in text.splitlines():
        if line.strip().startswith(first) and line.startswith(" "):
            return line
    raise AssertionError(f"no header line starting {first!r} in:\n{text}")


def starts(header: str) -> list[int]:
    """The terminal column each of ``header``'s columns starts at."""
    return [cell_len(header[: m.start()]) for m in _START.finditer(header)]


def cut(line: str, at: list[int]) -> list[str]:
    """``line``'s cells, stripped, between the columns ``at`` (terminal columns: a wide character
    counts two)."""
    cells, column, current, n = [], 0, "", 0
    for char in line:
        while n + 1 < len(at) and column >= at[n + 1]:
            cells.append(current)
            current, n = "", n + 1
        current += char
        column += cell_len(char)
    cells.append(current)
    cells += [""] * (len(at) - len(cells))
    return [cell.strip() for cell in cells]


def table_rows(text: str, first: str) -> list[list[str]]:
    """The cells of every row of ``text``'s table (or tables, their headers repeated) whose first
    header is ``first``."""
    header = header_line(text, first)
    at = starts(header)
    lines = text.splitlines()
    below = lines[lines.index(header) + 1 :]
    return [cut(line, at) for line in below if line.startswith(" ") and line != header and line.strip()]


def table_dicts(text: str, first: str) -> list[dict[str, str]]:
    """:func:`table_rows` keyed by their headers."""
    header = header_line(text, first)
    names = [name.strip() for name in re.split(r"\s{2,}", header.strip())]
    return [dict(zip(names, row, strict=True)) for row in table_rows(text, first)]


def misaligned(text: str, first: str) -> list[str]:
    """The lines after the header of ``text``'s table (whose first header is ``first``) that have no
    space just before where one of the header's columns starts: columns that do not line up. Each
    line is cut short at its last character (an unframed table's rows are not padded at their end:
    :func:`greeter.console.unpadded`), so only the columns a line reaches are looked at."""
    header = header_line(text, first)
    at = starts(header)[1:]
    lines = text.splitlines()
    below = [line for line in lines[lines.index(header) + 1 :] if line.startswith(" ")]
    return [line for line in below if any(cell_len(line) > n and _char_at(line, n - 1) != " " for n in at)]


def _char_at(line: str, column: int) -> str:
    """The character of ``line`` at terminal column ``column`` (a wide character counts two)."""
    seen = 0
    for char in line:
        seen += cell_len(char)
        if seen > column:
            return char
    return ""
