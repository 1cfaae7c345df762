"""Contacts sources: CSV and XLSX exports of a CRM, or an SQL query, streamed into :class:`Contact` records.

Every source yields ``(row number, cells)``; :func:`~greeter.sources.header.open_header`
finds the header row (below a report's title, if any) and
:class:`~greeter.sources.rows.RowParser` turns the rows after it into contacts
with the same rules everywhere. Bad rows become
problems in the :class:`LoadReport`; the other rows still load. An SQL
source is named by its URL *without the password* wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from greeter.config import Defaults, Occasion
from greeter.config_contacts import ContactsSource
from greeter.contacts import Contact
from greeter.errors import ContactsError, ContactsUnavailableError, HeaderNotFound, NoSuchSheet, Problem
from greeter.sources.columns import missing_columns
from greeter.sources.dates import CELL_DATE
from greeter.sources.header import HeaderTest, header_test, open_header, with_hint
from greeter.sources.quote import quoted

__all__ = [
    "ContactRowProblem",
    "FileVersion",
    "LoadReport",
    "Rejection",
    "changed_while_read",
    "date_occasions",
    "file_version",
    "iter_contacts",
    "load_contacts",
    "placed_at_contact",
    "source_name",
]

#: SQL sources hand dates over as ISO text, XLSX date cells become DD.MM.YYYY text: both
#: must parse whatever ``date_formats`` says (it describes dates typed as text).
_IMPLIED_FORMATS = {"sql": ("%Y-%m-%d",), "xlsx": (CELL_DATE,)}


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row that was not loaded: its row, its id cell (maybe empty) and the errors that rejected it.

    Kept as data so that ``--contact`` of a rejected row can say why it is not
    there without reading the wording of the messages (which may change).
    """

    row: int
    contact_id: str
    errors: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class ContactRowProblem(Problem):
    """A problem of a query's row, named by its contact's id as well as its row number.

    An SQL source's "row 17" is the 17th row the query returned — nothing a
    DBA can look up, and it moves when a client is added — while the id is
    the CRM's own key. Worded as a rejected row is named elsewhere
    (``contact '1006' (row 7) was not loaded``):
    ``postgresql://…/crm: contact '1017' (row 17): Email: …``. A file's rows keep
    ``file:row N``: there the row is what the spreadsheet shows.
    """

    contact_id: str = ""

    def __str__(self) -> str:
        place = f"{self.file}: contact {quoted(self.contact_id)} (row {self.line})"
        return str(Problem(place, self.field, self.message, kind=self.kind, severity=self.severity))


def placed_at_contact(problem: Problem, contact_id: str, source: str) -> Problem:
    """``problem`` as a :class:`ContactRowProblem` when ``source`` (``contacts.source``) is ``sql``
    and its row has an id; otherwise (a file, a row without an id, not a row's problem) as it is."""
    if source != "sql" or problem.kind != "row" or problem.line is None or not contact_id:
        return problem
    return ContactRowProblem(
        problem.file, problem.field, problem.message, problem.line, problem.col, problem.kind,
        problem.severity, contact_id,
    )  # fmt: skip


@dataclass
class LoadReport:
    """What loading found: counts and every located problem."""

    source: str
    rows_read: int = 0
    loaded: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: Contact ids asked for (``--contact``) that no row has: a typo must not read as "nothing planned".
    missing: list[str] = field(default_factory=list)
    #: Each rejected row, so ``--contact`` of one can say why it is not there.
    rejections: list[Rejection] = field(default_factory=list)
    #: The contacts file changed while it was read (:func:`changed_while_read`'s text; a warning
    #: in :attr:`problems` says it too): its rows may be half of a file being rewritten, so
    #: ``send`` and the daemon plan nothing from them this run. None: it did not.
    changed: str | None = None
    #: What ``check`` says without counting it a problem, one line each ("4 cells hold 1C's empty
    #: date 01.01.0001: read as no date"): nothing to fix, but the marketer should know.
    notes: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return self.rows_read - self.loaded

    def require_unchanged(self) -> None:
        """Refuse contacts read from a file that changed meanwhile (:attr:`changed`), for a run that sends.

        :class:`ContactsUnavailableError`, exit 75 "try again later" as for a
        contacts database that does not answer: the file is being rewritten,
        and the next run (cron's, the daemon's next tick) reads it whole.
        Called once the plan is made, before any letter is claimed.
        """
        if self.changed is not None:
            raise ContactsUnavailableError(f"{self.source}: {self.changed}; none of its rows was planned")


def source_name(cfg: ContactsSource) -> str:
    """How problems name the source: the file path, or the database URL without its password."""
    if cfg.source == "sql" and cfg.url:
        from greeter.db_url import redact

        return redact(cfg.url)
    return str(cfg.path or cfg.url or "contacts")


#: One version of a contacts file: its size, modification time (ns) and inode (:func:`file_version`).
FileVersion = tuple[int, int, int]


def file_version(cfg: ContactsSource) -> FileVersion | None:
    """The version of a file source now; None for SQL, no path, or a file that cannot be looked at."""
    if cfg.source == "sql" or cfg.path is None:
        return None
    try:
        st = Path(cfg.path).stat()
    except OSError:
        return None  # loading will say what is wrong
    return st.st_size, st.st_mtime_ns, st.st_ino


def changed_while_read(before: FileVersion | None, after: FileVersion | None) -> str | None:
    """What to say when a contacts file's version ``after`` reading is not the one ``before`` it; else None.

    A CRM export job rewriting the file while greeter reads it gives rows of
    two versions, or half of the new one: a contact missing, or one whose
    e-mail is cut short. Pure: the caller takes both versions
    (:func:`file_version`), so a test can pass a ``before`` of its own.
    """
    if before is None or after == before:
        return None
    if after is None:
        what = "it is gone now"
    elif after[2] != before[2]:
        what = "another file took its place"
    elif after[0] != before[0]:
        what = f"its size went from {before[0]:,} to {after[0]:,} bytes"
    else:
        what = "it was modified"
    return f"the file changed while it was being read (being rewritten?): {what}"


def _rows(
    cfg: ContactsSource,
    timezone: str,
    locale: str,
    notes: list[Problem],
    read_as: list[str],
    lossy: dict[int, str],
) -> Iterator[tuple[int, list[str]]]:
    """The source's rows; ``lossy`` gets an SQL result's columns that cannot hold an id as written.

    ``locale``: ``defaults.locale``, the language of the clients a CSV's code page was written for
    when ``encoding: auto`` finds two readings alike (:func:`greeter.sources.alphabets.fit`).
    """
    if cfg.source == "sql":
        assert cfg.url is not None and cfg.query is not None  # the config validator requires both
        from zoneinfo import ZoneInfo

        from greeter.sources.sql_source import read_rows as read_sql

        # A timestamptz is a moment: its day is the day in the default zone, not the session's.
        zone = ZoneInfo(timezone)
        return read_sql(cfg.url, cfg.query, zone, cfg.password_env, cfg.query_timeout_seconds, lossy)
    assert cfg.path is not None
    path = Path(cfg.path)
    if cfg.source == "xlsx":
        from greeter.sources.xlsx_source import read_rows as read_xlsx

        return read_xlsx(path, cfg.sheet, cfg, notes)
    from greeter.sources.csv_source import read_rows as read_csv

    language = locale.replace("-", "_").partition("_")[0].lower()
    return read_csv(
        path,
        cfg.encoding,
        cfg.delimiter,
        header=header_test(cfg),
        notes=notes,
        read_as=read_as,
        languages=(language,),
    )


def _where_else(cfg: ContactsSource, exc: HeaderNotFound, source: str) -> str | None:
    """When no header was found: the error with the setting under which the file has one, if any.

    A workbook's other sheet with the columns is added as the fix. An
    encoding that reads the file (the declared one does not, or reads the
    header as junk) is the cause, so it comes first, and the header search's
    own message — a header list of "�", advice to set ``header_row`` — is
    left out: only the column it missed is named. Only on that error's path,
    so the file is read again rather than the first reading slowed down for a
    mistake most configs do not make.
    """
    assert cfg.path is not None
    path = Path(cfg.path)
    if cfg.source == "xlsx":
        from greeter.sources.xlsx_source import other_sheet_hint

        hint = other_sheet_hint(path, _has_columns(cfg), cfg.sheet)
        return None if hint is None else with_hint(str(exc), hint)
    from greeter.sources.csv_source import encoding_hint, spoken

    hint = encoding_hint(path, cfg)
    if hint is None:
        return None
    if exc.column is None:
        return with_hint(str(exc), hint)
    return f"{source}: {hint} ({exc.column} was not found in what {spoken(cfg.encoding)} makes of it)"


def _has_columns(cfg: ContactsSource) -> HeaderTest:
    """The header search's test, whatever ``contacts.header_row`` says: does a row have every column?"""
    return lambda _number, cells: len(missing_columns(cfg, cells))


def _no_sheet(cfg: ContactsSource, exc: NoSuchSheet, config_file: Path | None) -> str:
    """``contacts.sheet`` names no sheet: where the setting is, and the sheet that has the configured columns.

    The setting is the thing to fix, so with the config file known the error
    is placed at it (``greeter.yaml:12:3: contacts.sheet: no sheet …``), as
    the config's own problems are.
    """
    from greeter.sources.xlsx_source import other_sheet_hint

    assert cfg.path is not None
    message = str(exc)
    if config_file is not None:
        from greeter.config_loader import locate

        line, col = locate(config_file, ("contacts", "sheet"))
        if line is not None:
            message = str(Problem(str(config_file), "contacts.sheet", exc.detail, line, col))
    hint = other_sheet_hint(Path(cfg.path), _has_columns(cfg), cfg.sheet, "has the configured columns")
    return with_hint(message, hint) if hint else message


def date_occasions(occasions: Iterable[Occasion]) -> dict[str, tuple[str, ...]]:
    """Each contact date field and the occasions greeted on it: a bad date's warning names them."""
    uses: dict[str, tuple[str, ...]] = {}
    for occasion in occasions:
        if occasion.field is not None:
            uses[occasion.field] = (*uses.get(occasion.field, ()), occasion.name)
    return uses


def iter_contacts(
    cfg: ContactsSource,
    defaults: Defaults,
    report: LoadReport,
    occasions: Mapping[str, Sequence[str]] | None = None,
    config_file: Path | None = None,
    region_countries: Sequence[str] = (),
) -> Iterator[Contact]:
    """Stream contacts; problems and counts accumulate in ``report`` as rows go by.

    ``occasions`` (:func:`date_occasions`) lets a bad date's warning name the
    greetings it costs ("birthday greetings are skipped"); without it the
    warning names the date field. ``config_file`` lets an error about a
    setting (``contacts.sheet``) name its line in the config. ``region_countries``
    (:func:`greeter.config.config_countries`): where a country cell's region name
    is read in a row without a time zone, besides the defaults' country.

    Of ``defaults`` only the time zone and the locale are used here: the day
    of an SQL ``timestamptz`` value is its day there, and a full name of a row
    without a language is read in the order of the default one ("John Smith"
    under ``locale: en``). The contact still keeps no locale of its own: the
    defaults are applied where they are used (planner, renderer), keeping a
    contact's own data distinguishable from the fallback.
    """
    if cfg.source == "sql":
        # Callers name the report after cfg.url; never let its password reach a problem line.
        report.source = source_name(cfg)
    before = file_version(cfg)  # compared when the last row is read: was the file rewritten meanwhile?
    read_as: list[str] = []  # the encoding a CSV file is read in, once its first row is
    lossy: dict[int, str] = {}  # an SQL result's float or decimal columns, by position
    rows = _rows(cfg, defaults.timezone, defaults.locale, report.problems, read_as, lossy)
    # Close the source the moment we stop, even on an error: an SQL source otherwise keeps
    # its connection (and a lock on the CRM's table) until the garbage collector gets to it.
    with closing(rows) if isinstance(rows, Generator) else nullcontext():
        implied = _IMPLIED_FORMATS.get(cfg.source, ())
        try:
            parser, preamble = open_header(rows, cfg, report.source, implied, occasions)
        except HeaderNotFound as exc:
            message = _where_else(cfg, exc, report.source)
            if message is None:
                raise
            raise HeaderNotFound(message) from None
        except NoSuchSheet as exc:
            raise ContactsError(_no_sheet(cfg, exc, config_file)) from None
        parser.default_locale = defaults.locale  # a row without a language is in the config's
        parser.default_zone = defaults.timezone  # an unreadable zone's warning names it
        parser.default_country = defaults.country  # a zone of its country infers no country for a row
        parser.region_countries = tuple(region_countries)  # a zoneless row's region name is read in these
        parser.encoding = read_as[0] if read_as else None  # a Cyrillic code page loses «ć» to '?'
        if preamble is not None:
            report.problems.append(preamble)
        id_at = parser.pos.get("id", -1)
        if id_at in lossy:  # once for the run: every row's id is read through the same type
            report.problems.append(_lossy_id(report.source, parser.header[id_at], lossy[id_at]))
        for number, cells in rows:
            if not any(map(str.strip, cells)):
                continue  # blank lines at the end of exports
            contact, problems = parser.parse(cells, number)
            # An export's "Итого" line: not a contact, not an error. Only a row without an
            # e-mail can be one, so the million ordinary rows do not pay for the test.
            if (contact is None or not contact.email) and (
                totals := parser.summary_row(cells, number)
            ) is not None:
                report.problems.append(totals)
                continue
            report.rows_read += 1
            if contact is not None and not problems:  # the usual row
                report.loaded += 1
                yield contact
                continue
            if contact is not None:
                cid = contact.id
            else:
                cid = cells[id_at].strip() if 0 <= id_at < len(cells) else ""
            if problems:
                problems = [placed_at_contact(p, cid, cfg.source) for p in problems]
                report.problems.extend(problems)
            if contact is not None:
                report.loaded += 1
                yield contact
            else:
                errors = tuple(p for p in problems if p.severity == "error")
                report.rejections.append(Rejection(number, cid, errors))
    if cfg.source == "sql" and parser.duplicate_ids:  # after them: one hint for all the query's repeats
        report.problems.append(_several_rows(cfg, report.source, parser.header[id_at], parser.duplicate_ids))
    report.problems.extend(parser.column_problems())
    report.notes.extend(parser.empty_date_notes())
    report.notes.extend(parser.name_notes())
    if report.rows_read == 0:
        report.problems.append(_no_rows(cfg.source, report.source))
    changed = changed_while_read(before, file_version(cfg))
    if changed is not None:
        report.changed = changed
        advice = f"{changed}; what was read may be half a file: run again once it is written in full"
        report.problems.append(Problem(report.source, "", advice, kind="column", severity="warning"))


def _lossy_id(source: str, column: str, kind: str) -> Problem:
    """The warning for an SQL id column of a float or decimal type (``sql_source.lossy_id_warning``)."""
    from greeter.sources.sql_source import lossy_id_warning

    return Problem(source, column, lossy_id_warning(column, kind), kind="column", severity="warning")


def _several_rows(cfg: ContactsSource, source: str, column: str, repeats: int) -> Problem:
    """The one hint for an SQL source's duplicate ids (``sql_source.several_rows_hint``)."""
    from greeter.sources.sql_source import several_rows_hint

    assert cfg.url is not None  # an SQL source has one
    hint = several_rows_hint(cfg.url, column, repeats)
    return Problem(source, column, hint, kind="column", severity="warning")


def _no_rows(kind: str, source: str) -> Problem:
    """A header and nothing under it loads "0 of 0 rows" and sends nothing, with no error: say so.

    A warning, not an error (an empty list may be meant, as in a fresh
    setup), so ``check --strict`` refuses it like any other warning.
    """
    what = "the query returned no rows" if kind == "sql" else "the contacts file has no rows under its header"
    return Problem(source, "", f"{what}: nobody will be greeted", kind="row", severity="warning")


def load_contacts(
    cfg: ContactsSource,
    defaults: Defaults,
    occasions: Mapping[str, Sequence[str]] | None = None,
    region_countries: Sequence[str] = (),
) -> tuple[list[Contact], LoadReport]:
    report = LoadReport(source=source_name(cfg))
    return list(iter_contacts(cfg, defaults, report, occasions, None, region_countries)), report
