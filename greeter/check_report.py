"""What ``greeter check`` found, and how it says it: the report, its summary line by line and as JSON.

Presentation and verdict (:meth:`CheckReport.exit_code`) only, out of
:mod:`greeter.checks`, which runs the checks and fills the report: the words
and keys here are the contract scripts and people read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from greeter.db_checks import DatabaseStatus
from greeter.errors import EXIT_PROBLEMS, EXIT_TEMPFAIL, EXIT_USAGE, ConfigError, ContactsError, Problem
from greeter.retention import retention_line
from greeter.sources.dates import day_month, is_yearless

#: A row message's leading cell value, as :func:`greeter.sources.quote.quoted` writes it (``repr``),
#: with its colon when the words follow one (``'sidorov@gmial.com': the domain …``: the kind was blank).
_LEADING_VALUE = re.compile(r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"):?\s""")
#: A value quoted inside the words of a kind ("duplicate id '5'"), with the space before it.
_QUOTED_VALUE = re.compile(r"""\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")
#: Where a row message's kind ends and its details begin: "… (formats)", "…; advice", "…: why".
_DETAILS = re.compile(r" \(|; |: ")


#: Row messages whose words carry a value before any quote or detail, and their value-free kind:
#: :func:`greeter.occasions.implausible`'s dates (a birth date is personal data) and ages.
_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?P<field>[\w-]+) \d\d\.\d\d\.\d+ is in the future"), "{field} is in the future"),
    (
        re.compile(r"(?P<field>[\w-]+) \d\d\.\d\d\.\d+ gives \d+ years? \(more than"),
        "{field} gives more years than max_years",
    ),
    (
        re.compile(r"(?P<field>[\w-]+) \d\d\.\d\d\.\d+ gives \d+ years? \(fewer than min_years"),
        "{field} gives fewer years than min_years",
    ),
    # greeter/sources/email_notes.py's: the domain and the provider it resembles are the values
    (re.compile(r"(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"): the domain .* looks like a typo of "),
     "the domain looks like a typo of a mail provider's"),
)  # fmt: skip
#: A leading spreadsheet cell, as the XLSX source names it: ``Лист1!G2: a formula Excel never calculated``.
_LEADING_CELL = re.compile(r"[^:]+![A-Z]{1,3}\d+: ")
#: Where in the cell (``at position 11``), a date (``18.12.2025``), a number (``4 fields``): not the kind.
_POSITION = re.compile(r" at position \d+")
_DATE = re.compile(r"\s*\b\d{1,2}\.\d{1,2}\.\d{2,4}\b")
#: A number standing alone: not the hex of ``U+200B``/``U+2060`` nor a word's digits (``utf8``).
_NUMBER = re.compile(r"(?<![\w+.])\d+(?![\w.])")


def _value_dropped(found: re.Match[str]) -> str:
    """ "" for a value quoted in a kind's words; a lone sign kept: "has '?' where letters were" is
    about the «?» itself (the summary said "3 × has where letters were")."""
    quoted = found.group().strip()
    return found.group() if len(quoted) == 3 and not quoted[1].isalnum() and not quoted[1].isspace() else ""


def problem_kind(message: str) -> str:
    """A row problem's kind, without the cell's value or the details: ``row_problems``' key in ``--json``.

    ``'5/3/1975' does not match contacts.date_formats (%d.%m.%Y); read as …``
    is ``does not match contacts.date_formats``, whatever the date: the key
    counted each date value apart (``"'1/1/1975' does not match …": 24``),
    which no script can sum up. The value goes first (it may hold "; "),
    then what follows the first " (", "; " or ": " (the formats, the advice,
    which day is impossible), then any value left inside (``duplicate id``).
    """
    for pattern, kind in _KINDS:
        if found := pattern.match(message):
            return kind.format(**found.groupdict())
    cell = _LEADING_CELL.match(message)
    message = message[cell.end() if cell else 0 :]
    lead = _LEADING_VALUE.match(message)
    head = _DETAILS.split(message[lead.end() if lead else 0 :], maxsplit=1)[0]
    head = _NUMBER.sub("N", _DATE.sub("", _POSITION.sub("", _QUOTED_VALUE.sub(_value_dropped, head))))
    return " ".join(head.split())


@dataclass
class YearlessColumn:
    """A date column's values without a year, for :attr:`CheckReport.yearless`'s note."""

    yearless: int = 0
    read: int = 0
    example: str = ""

    def see(self, day: date) -> None:
        """Count one value read from the column."""
        self.read += 1
        if is_yearless(day):
            self.yearless += 1
            self.example = self.example or day_month(day)

    def line(self, column: str) -> str:
        """The note: ``contacts: Дата рождения: 2 of 5 dates have no year (e.g. 27.12): …``."""
        return (
            f"contacts: {column}: {self.yearless} of {self.read} dates have no year (e.g. {self.example}):"
            " greeted on the day, without an age"
        )


def zone_countries_line(counts: Counter[str]) -> str:
    """The note: ``contacts: 3 without a country are in their time zone's (EE 2, KZ 1): …``."""
    total = sum(counts.values())
    by = ", ".join(f"{c} {n}" for c, n in sorted(counts.items(), key=lambda cn: (-cn[1], cn[0])))
    return (
        f"contacts: {total} without a country are in their time zone's ({by}): its days off and"
        " holidays apply, not defaults.country's"
    )


@dataclass
class CheckReport:
    config_file: Path
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    contacts_loaded: int = 0
    rows_rejected: int = 0
    occasions: list[str] = field(default_factory=list)
    templates: dict[str, int] = field(default_factory=dict)
    #: Drafts checked in strict mode: every occasion's plain letter for every contact, and the other
    #: forms of a few (:mod:`greeter.check_forms`).
    renders: int = 0
    render_failures: int = 0
    #: Of :attr:`renders`, those the templates were run for: one plain letter per occasion and shape of
    #: contact (:func:`~greeter.check_render.letter_shape`), which tells its other contacts' drafts;
    #: all of them with ``check --all``.
    rendered: int = 0
    #: True when the config itself is wrong about the templates (exit 2): a ``templates_dir`` or an
    #: occasion's ``template`` that names no file. A mistake *in* a template — a syntax error, an
    #: unknown filter, an undefined name — is a problem check found in the templates, like a
    #: render that fails (exit 1): the two used to differ (2 and 1) for the same kind of typo.
    #: Also a contacts database that refuses what the config says (a wrong password, no such
    #: database): exit 2 as for ``send``, as for a contacts file that cannot be read.
    fatal: bool = False

    #: Template files that do not compile or are missing.
    template_errors: int = 0
    #: Drafts not rendered, by the template file they need that is missing or does not compile
    #: (reported once above, at the file); the other templates are still rendered.
    skipped: Counter[str] = field(default_factory=Counter)
    #: The journal's database and, for ``source: sql``, the CRM's.
    databases: list[DatabaseStatus] = field(default_factory=list)
    #: The mail server (``transport: smtp``): (host:port, reachable and logged in, what happened).
    smtp: tuple[str, bool, str] | None = None
    #: The file transport's outbox: (path, writable, what happened).
    outbox: tuple[str, bool, str] | None = None
    #: The SMTP password is not where the config says, or the server refuses the login
    #: (``send`` would stop with exit 2).
    smtp_errors: int = 0
    #: The unsubscribe secret's variable is not set (``send`` and ``run`` would stop with exit 2).
    secret_errors: int = 0
    #: ``send_window.days_off_ics``: (path, read, what it gave); errors: it cannot be used (exit 2 elsewhere).
    days_off: tuple[str, bool, str] | None = None
    days_off_errors: int = 0
    #: ``send_window.regional_days_off``: (region or country, what its days off are) for each one declared.
    regional_days_off: list[tuple[str, str]] = field(default_factory=list)
    #: ``storage.retention_days`` (None: never purged) and the shortest the cap allows.
    retention: tuple[int | None, int] | None = None
    #: The config loader refused the config (:func:`refused_report`): nothing else was checked,
    #: and every problem is the config's.
    refused: bool = False
    #: Per date column: its values without a year (:func:`~greeter.sources.dates.is_yearless`), of
    #: how many read, and the first as written ("27.12"). Not a problem — those clients are greeted
    #: on the day, without an age — but a marketer expecting «с 50-летием» should know, once per column.
    yearless: dict[str, YearlessColumn] = field(default_factory=dict)
    #: Contacts with no country whose time zone gave them one (:attr:`Contact.country_from_zone`), by
    #: that country. Not a problem either — a client in Europe/Tallinn has Estonia's days off and
    #: holidays — but the marketer who left the column empty should know it decides them.
    countries_from_zone: Counter[str] = field(default_factory=Counter)
    #: Other notes for the summary, each one line (a sender that Gmail may count as a bulk one with no
    #: one-click unsubscribe): said, not counted as warnings, so ``--strict`` passes; ``notes`` in JSON.
    notes: list[str] = field(default_factory=list)
    #: Every template file nothing uses (the text collapses them into one warning per folder:
    #: :func:`~greeter.check_files.unused_template_problems`); ``unused_templates`` in JSON.
    unused_templates: list[str] = field(default_factory=list)
    #: Each occasion for some genders (``audience.genders``) → the ids of every contact it leaves out
    #: because their gender is unknown. The warning names the first three ("and 15 more"); the CRM
    #: admin who fills the gender column needs them all: ``unknown_gender`` in JSON.
    unknown_gender: dict[str, list[str]] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """Problems that make the check fail: rejected rows, unreadable columns, broken templates,
        failed renders, databases."""
        broken = sum(not d.ok for d in self.databases) + self.smtp_errors + self.secret_errors
        broken += self.days_off_errors + (self.outbox is not None and not self.outbox[1])
        rows = self.rows_rejected + self.column_errors
        refused = len(self.config_problems) if self.refused else 0
        return rows + self.template_errors + self.render_failures + broken + refused

    @property
    def unavailable(self) -> int:
        """Databases down or not answering *now*: of :attr:`errors`, those that retrying may mend."""
        return sum(d.unavailable for d in self.databases)

    def contacts_unread(self) -> bool:
        """The contacts database could not be read: no row, render or audience was checked.

        A method, not a property: it changes while the contacts are read (a database lost mid-read).
        """
        return any(d.role == "contacts" and not d.reachable for d in self.databases)

    def exit_code(self, strict: bool) -> int:
        """2 for a config it cannot use, 1 for anything a person must fix, 75 when the only
        problem is a database that does not answer now, else 0.

        75 as ``send`` and ``run`` exit for the same outage (README, "Exit
        codes"): a script or timer can tell "try again later" from "fix
        something". Not when anything else is wrong too: retrying cannot mend
        that, as in ``send``, where 1 comes before 75.
        """
        if self.fatal:
            return EXIT_USAGE
        if self.errors > self.unavailable or (strict and self.warnings):
            return EXIT_PROBLEMS
        return EXIT_TEMPFAIL if self.unavailable else 0

    @property
    def column_errors(self) -> int:
        """Contacts columns unusable as a whole (e.g. every birthday in a format not configured)."""
        return sum(p.kind == "column" and p.severity == "error" for p in self.problems)

    @property
    def config_problems(self) -> list[Problem]:
        """Errors located in the config file itself, e.g. an occasion's template that does not exist.

        The loader refuses a config it cannot use at all; these are settings
        found wrong only by looking further (at the templates folder), and the
        summary's config line must not call such a config OK. A config the
        loader refused (:attr:`refused`) has only problems of its own.
        """
        if self.refused:
            return [p for p in self.problems if p.severity == "error"]
        return [p for p in self.problems if p.file == str(self.config_file) and p.severity == "error"]

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def row_warnings(self) -> int:
        return sum(p.severity == "warning" and p.kind == "row" for p in self.problems)

    def row_problem_kinds(self) -> list[tuple[str, int, Problem]]:
        """The row problems by kind (:func:`problem_kind`), most frequent first (ties: the first seen
        first): each kind, its count and its first problem — ``row_problems`` in ``--json``, the
        kinds' lines in the text (:func:`kinds_lines`)."""
        counts: Counter[str] = Counter()
        first: dict[str, Problem] = {}
        for problem in self.problems:
            if problem.kind == "row":
                kind = problem_kind(problem.message)
                counts[kind] += 1
                first.setdefault(kind, problem)
        return [(kind, n, first[kind]) for kind, n in counts.most_common()]

    def summary(self, strict: bool = False) -> dict[str, Any]:
        """``check --json``: ``ok`` is the verdict a script tests (exit 0: warnings only fail
        ``strict``, which is said too); the counts alone left it to redo ``--strict``'s rule."""
        return {
            "ok": self.exit_code(strict) == 0,
            "strict": strict,
            "config": str(self.config_file),
            "config_problems": len(self.config_problems),
            "rows_read": self.rows_read,
            "contacts_loaded": self.contacts_loaded,
            "rows_rejected": self.rows_rejected,
            "warnings": self.warnings,
            "errors": self.errors,
            "occasions": self.occasions,
            "templates": self.templates,
            "renders": self.renders,
            "drafts_rendered": self.rendered,
            "render_failures": self.render_failures,
            "renders_skipped": dict(self.skipped),
            "row_problems": {kind: n for kind, n, _ in self.row_problem_kinds()},
            "databases": {d.role: d.as_dict() for d in self.databases},
            "smtp": None
            if self.smtp is None
            else {"server": self.smtp[0], "ok": self.smtp[1], "detail": self.smtp[2]},
            "outbox": None
            if self.outbox is None
            else {"path": self.outbox[0], "ok": self.outbox[1], "detail": self.outbox[2]},
            "days_off": None
            if self.days_off is None
            else {"file": self.days_off[0], "ok": self.days_off[1], "detail": self.days_off[2]},
            "regional_days_off": dict(self.regional_days_off),
            "retention": None
            if self.retention is None
            else {"days": self.retention[0], "minimum_days": self.retention[1]},
            "dates_without_year": {column: c.yearless for column, c in self.yearless.items() if c.yearless},
            "countries_from_zone": dict(sorted(self.countries_from_zone.items())),
            "notes": self.notes,
            "unused_templates": self.unused_templates,
            "unknown_gender": self.unknown_gender,
            "problems": [str(p) for p in self.problems],
        }

    def _contacts_line(self) -> str:
        """How many rows were read: none, or those before it stopped, when the database did not
        answer or the query failed partway (a division by zero in row 500)."""
        unread = self.contacts_unread()
        if unread and not self.rows_read:
            return "contacts: not read (see the contacts database above)"
        why = "the database stopped answering" if self.unavailable else "the query failed"
        lost = f" before {why}" if unread else ""
        return (
            f"contacts: {self.contacts_loaded} loaded from {self.rows_read} rows{lost}, "
            f"{self.rows_rejected} rejected, {self.row_warnings} warning(s)"
            + (f", {self.column_errors} unreadable column(s)" if self.column_errors else "")
        )

    def text(self, strict: bool = False) -> str:
        """The report as printed; its last line the verdict, as the exit code has it: ``check --strict``
        of a project with warnings alone exited 1 under ``check: OK``. Warnings without ``--strict``
        are counted on it too (``check: OK, 2 warning(s) (listed on stderr)``): they go to stderr,
        and a cron job reading stdout alone saw a bare ``check: OK`` over days the quota cannot send."""
        status = "OK" if not self.errors else f"{self.errors} problem(s)"
        if self.warnings and not self.errors:
            status = (
                f"{self.warnings} warning(s), failing --strict"
                if strict
                else f"OK, {self.warnings} warning(s) (listed on stderr)"
            )
        if self.render_failures:
            # One misspelt filter fails every draft of its template: "29 problem(s)" under the
            # one line printed for it sent a marketer looking for 28 more.
            status += (
                f", {self.render_failures} of them draft(s) that fail to render"
                " (each cause is printed once above)"
            )
        in_config = self.config_problems
        config = (
            f"config: {len(in_config)} problem(s) in {', '.join(dict.fromkeys(p.field for p in in_config))}"
            if in_config
            else "config OK"
        )
        renders = (  # "650 drafts rendered, 1 failed" read as 651 tried
            f"renders: {self.renders - self.render_failures} of {self.renders} drafts rendered"
            f" in strict mode, {self.render_failures} failed"
        )
        if self.rendered < self.renders:  # one letter per shape of contact told the others' drafts
            renders = (
                f"renders: {self.renders - self.render_failures} of {self.renders} drafts covered in"
                f" strict mode, {self.render_failures} failed ({self.rendered:,} rendered, one per shape"
                " of contact: a template failing on one value alone shows only with check --all)"
            )
        if self.contacts_unread():  # a database lost mid-read: what was tried before still counts
            renders = (
                f"{renders}; the rest not tried without the contacts"
                if self.renders
                else "renders: none tried without the contacts"
            )
        if self.skipped:
            # Each file's own error, as said above: "missing or does not compile" named no cause,
            # and the line saying it could be lost among warnings (a mailmerge letter pasted whole).
            causes = "; ".join(self._load_error(file) for file in self.skipped)
            renders += f"; {sum(self.skipped.values())} not tried, as {causes}"
        lines = [
            f"{self.config_file}: {config}",
            *(d.line() for d in self.databases),
            *([f"mail server: {self.smtp[0]}: {self.smtp[2]}"] if self.smtp else []),
            *([f"outbox: {self.outbox[0]}: {self.outbox[2]}"] if self.outbox else []),
            *([f"days off: {self.days_off[0]}: {self.days_off[2]}"] if self.days_off else []),
            *(f"days off in {code}: {detail}" for code, detail in self.regional_days_off),
            *([retention_line(*self.retention)] if self.retention else []),
            self._contacts_line(),
            *kinds_lines(self.row_problem_kinds()),
            *(c.line(column) for column, c in self.yearless.items() if c.yearless),
            *([zone_countries_line(self.countries_from_zone)] if self.countries_from_zone else []),
            *self.notes,
            f"occasions: {len(self.occasions)} ({', '.join(self.occasions)})",
            "templates: "
            + ", ".join(
                f"{name} ({n} variant{'s' if n != 1 else ''})" if n else f"{name} (missing)"
                for name, n in self.templates.items()
            ),
            renders,
            f"check: {status}",
        ]
        return "\n".join(lines)

    def _load_error(self, file: str) -> str:
        """Why ``file``'s letters were not tried: its error line as reported, else the old words."""
        for problem in self.problems:
            if problem.kind == "template" and problem.file == file and problem.severity == "error":
                return f"{file} cannot be used: {problem}"
        return f"{file} is missing or does not compile"


#: How many kinds of row problems the text names; the rest are counted in one line.
KINDS_SHOWN = 10


def kinds_lines(kinds: list[tuple[str, int, Problem]], most: int = KINDS_SHOWN) -> list[str]:
    """The text's row problems by kind (:meth:`CheckReport.row_problem_kinds`), under the contacts line.

    A 150,000-row export listed 540 ``file:row N: column: message`` lines,
    57 of them alike ("is already the e-mail of contact …"): the list alone
    does not say what to fix first. Each kind is one line, with how many and
    its first row, so the admin can open the file there (the list above says
    its column). Nothing when there are no row problems, or when no kind has
    more than one (the list above is then its own summary: a lone warning was
    said twice); else the ``most`` commonest kinds, then one line for the rest.
    """
    if all(n == 1 for _, n, _ in kinds):
        return []
    lines = ["row problems by kind, most frequent first:"]
    for kind, n, first in kinds[:most]:
        lines.append(f"  {n} × {kind} (first: row {first.line})")
    rest = kinds[most:]
    if rest:
        lines.append(
            f"  … {len(rest)} more kind(s), {sum(n for _, n, _ in rest)} problem(s):"
            " check --json has them all in row_problems"
        )
    return lines


def refused_report(config_file: Path, exc: ConfigError | ContactsError) -> CheckReport:
    """The report of a config the loader refused: its problems, exit 2, nothing else checked.

    For ``check --json``: a CI step reading ``.errors`` got no JSON at all for
    the commonest mistakes (a value out of range, a misspelt key, a contacts
    file that is not where ``contacts.path`` says), which stop the loader
    before any report exists, but a summary with ``config_problems`` for a
    template the config names wrongly — all exit 2.
    """
    if isinstance(exc, ConfigError):
        problems = list(exc.problems)
    else:  # the contacts file as a whole: missing, not a CSV/XLSX, unreadable — the line stderr shows
        where, said, what = exc.hint().partition(": ")
        at_config = Problem(str(config_file), "contacts", where)
        problems = [Problem(where, "", what) if said else at_config]
    return CheckReport(config_file=config_file, problems=problems, fatal=True, refused=True)
