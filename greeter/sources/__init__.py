"""Contacts sources: CSV and XLSX exports of a CRM, streamed into :class:`Contact` records.

Every source yields ``(row number, cells)``; :class:`~greeter.sources.rows.RowParser`
turns them into contacts with the same rules everywhere. Bad rows become
problems in the :class:`LoadReport`; the other rows still load.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from greeter.config import ContactsSource, Defaults
from greeter.contacts import Contact
from greeter.errors import ContactsError, Problem
from greeter.sources.rows import RowParser

__all__ = ["LoadReport", "iter_contacts", "load_contacts"]


@dataclass
class LoadReport:
    """What loading found: counts and every located problem."""

    source: str
    rows_read: int = 0
    loaded: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return self.rows_read - self.loaded


def _rows(cfg: ContactsSource) -> Iterator[tuple[int, list[str]]]:
    if cfg.source == "sql":
        raise ContactsError("contacts.source: sql is not available yet (use csv or xlsx)")
    assert cfg.path is not None
    path = Path(cfg.path)
    if cfg.source == "xlsx":
        from greeter.sources.xlsx_source import read_rows as read_xlsx

        return read_xlsx(path, cfg.sheet)
    from greeter.sources.csv_source import read_rows as read_csv

    return read_csv(path, cfg.encoding, cfg.delimiter)


def iter_contacts(cfg: ContactsSource, defaults: Defaults, report: LoadReport) -> Iterator[Contact]:
    """Stream contacts; problems and counts accumulate in ``report`` as rows go by.

    ``defaults`` is accepted so every source has the same signature; the
    defaults themselves are applied where they are used (planner, renderer),
    keeping a contact's own data distinguishable from the fallback.
    """
    del defaults
    rows = _rows(cfg)
    parser: RowParser | None = None
    for number, cells in rows:
        if parser is None:
            parser = RowParser(cfg, cells, report.source)
            continue
        if not any(c.strip() for c in cells):
            continue  # blank lines at the end of exports
        report.rows_read += 1
        contact, problems = parser.parse(cells, number)
        report.problems.extend(problems)
        if contact is not None:
            report.loaded += 1
            yield contact
    if parser is None:
        raise ContactsError(f"{report.source}: the file is empty (no header row)")


def load_contacts(cfg: ContactsSource, defaults: Defaults) -> tuple[list[Contact], LoadReport]:
    report = LoadReport(source=str(cfg.path or cfg.url or "contacts"))
    return list(iter_contacts(cfg, defaults, report)), report
