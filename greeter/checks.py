"""``greeter check``: everything that can be wrong before a single letter is sent.

Validates the config (already located errors from the loader), streams the
contacts (each bad row is a problem, the rest still count), compiles every
template variant and renders every occasion's template for every contact in
strict mode — a template that breaks for one client is found here, not at
09:00 on New Year's Eve. For the first few contacts of each occasion and
template file it also renders the letter's other forms (early, belated,
merged, other anniversary numbers; :mod:`greeter.check_forms`), so a typo in
a branch only those letters reach is found too. It warns about an audience
tag, tier or contact id that no contact has (it would silently reach nobody)
and about contacts whose locale has no file of a template (they get the
default letter), both from :mod:`greeter.check_reach`.
It also reports whether the journal's database is
reachable and of a known schema version, and whether an SQL contacts source
answers (:mod:`greeter.db_checks`), without creating anything.
"""

from __future__ import annotations

import asyncio
import difflib
import html
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from greeter.check_files import eaten_break_problems, unused_template_problems
from greeter.check_forms import SAMPLE_CONTACTS, letter_forms, next_days
from greeter.check_holidays import holiday_collisions, holiday_problems
from greeter.check_reach import Reach, sender_locale_problems
from greeter.check_titles import TitleReach
from greeter.config import Columns, Settings
from greeter.contacts import Contact
from greeter.db_checks import DatabaseStatus, contacts_failure, contacts_status, journal_status
from greeter.errors import (
    EXIT_PROBLEMS,
    EXIT_TEMPFAIL,
    EXIT_USAGE,
    ConfigError,
    ContactsError,
    ContactsUnavailableError,
    Problem,
    TemplateError,
    TemplateLoadError,
)
from greeter.journal_schema import READ_ONLY_MOUNT
from greeter.occasions import fixed_days, implausible
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.planner import LONGEST_DAYS_OFF
from greeter.render import SUFFIX, Renderer
from greeter.retention import minimum_retention_days, retention_line
from greeter.runtime import load_inputs
from greeter.sources.dates import day_month, is_yearless

#: Distinct render failures reported per template before the rest are only counted.
MAX_RENDER_PROBLEMS = 20
#: Contacts named in a render failure that hits many; the rest are counted.
MAX_NAMED_CONTACTS = 3

#: Python's notation for data, never words of a letter: what a value printed whole writes (a
#: dict or tuple through ``|join``, a date inside one, an object without text of its own).
#: The renderer refuses to print such a value directly (``{{ also }}``); through a filter that
#: makes a string of it, only the letter shows it, so check reads the letters it renders.
_PYTHON_NOTATION = re.compile(
    r"datetime\.(?:date|datetime|time|timedelta)\(|\{'|\['|<greeter\.|<jinja2\.| object at 0x"
    r"|mappingproxy\(|frozenset\(|Markup\(|<function |<bound method |Decimal\('"
)
#: HTML tags typed into words that also become the ``text/plain`` part (the tags a letter uses).
_HTML_TAG = re.compile(
    r"</?(?:a|b|i|u|s|em|strong|br|p|div|span|font|img|h[1-6]|ul|ol|li|table|tr|td|th|hr|small"
    r"|big|sup|sub|center|blockquote|pre|code|mark)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


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
    renders: int = 0
    render_failures: int = 0
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

    @property
    def errors(self) -> int:
        """Problems that make the check fail: rejected rows, unreadable columns, broken templates,
        failed renders, databases."""
        broken = sum(not d.ok for d in self.databases) + self.smtp_errors + self.secret_errors
        broken += self.days_off_errors
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

    def summary(self) -> dict[str, Any]:
        reasons = Counter(p.message.split(" (")[0] for p in self.problems if p.kind == "row")
        return {
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
            "render_failures": self.render_failures,
            "renders_skipped": dict(self.skipped),
            "row_problems": dict(reasons.most_common()),
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
            "retention": None
            if self.retention is None
            else {"days": self.retention[0], "minimum_days": self.retention[1]},
            "dates_without_year": {column: c.yearless for column, c in self.yearless.items() if c.yearless},
            "countries_from_zone": dict(sorted(self.countries_from_zone.items())),
            "problems": [str(p) for p in self.problems],
        }

    def _contacts_line(self) -> str:
        """How many rows were read: none, or those before it stopped, when the database did not answer."""
        unread = self.contacts_unread()
        if unread and not self.rows_read:
            return "contacts: not read (see the contacts database above)"
        lost = " before the database stopped answering" if unread else ""
        return (
            f"contacts: {self.contacts_loaded} loaded from {self.rows_read} rows{lost}, "
            f"{self.rows_rejected} rejected, {self.row_warnings} warning(s)"
            + (f", {self.column_errors} unreadable column(s)" if self.column_errors else "")
        )

    def text(self) -> str:
        status = "OK" if not self.errors else f"{self.errors} problem(s)"
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
        if self.contacts_unread():  # a database lost mid-read: what was tried before still counts
            renders = (
                f"{renders}; the rest not tried without the contacts"
                if self.renders
                else "renders: none tried without the contacts"
            )
        if self.skipped:
            files = ", ".join(self.skipped)
            one = len(self.skipped) == 1
            renders += (
                f"; {sum(self.skipped.values())} not tried, as {files} "
                f"{'is' if one else 'are'} missing or {'does' if one else 'do'} not compile"
            )
        lines = [
            f"{self.config_file}: {config}",
            *(d.line() for d in self.databases),
            *([f"mail server: {self.smtp[0]}: {self.smtp[2]}"] if self.smtp else []),
            *([f"outbox: {self.outbox[0]}: {self.outbox[2]}"] if self.outbox else []),
            *([f"days off: {self.days_off[0]}: {self.days_off[2]}"] if self.days_off else []),
            *([retention_line(*self.retention)] if self.retention else []),
            self._contacts_line(),
            *(c.line(column) for column, c in self.yearless.items() if c.yearless),
            *([zone_countries_line(self.countries_from_zone)] if self.countries_from_zone else []),
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


def run_check(config_file: Path, now_text: str | None = None) -> CheckReport:
    """Run every check; a ConfigError (unusable config) propagates to the CLI as exit 2."""
    from greeter.cli import config_day, parse_now

    inputs = load_inputs(config_file, today=config_day(now_text))
    settings = inputs.settings
    today = parse_now(now_text, settings.defaults.timezone).date()
    report = CheckReport(config_file=config_file, occasions=[o.name for o in settings.occasions])
    crm_url = settings.contacts.url if settings.contacts.source == "sql" else None
    check_databases(report, settings.storage.url, crm_url, settings.contacts.password_env)
    check_delivery(report, settings)
    check_secrets(report, settings)
    report.problems.extend(full_name_overlap(settings, config_file))
    report.problems.extend(dkim_alignment(settings, config_file))
    report.problems.extend(unserved_one_click(settings, config_file))
    check_days_off(report, settings, today)
    cap = settings.frequency_cap
    least = minimum_retention_days(cap.window_days, cap.min_gap_days, LONGEST_DAYS_OFF)
    report.retention = (settings.storage.retention_days, least)
    renderer = Renderer.of(settings)
    names = list(dict.fromkeys(o.template for o in settings.occasions))
    no_folder = _missing_templates_dir(settings, config_file)
    if no_folder is not None:  # one problem at the setting, not "template missing" per occasion
        template_problems = [no_folder]
        broken = set()
    else:
        checked = renderer.check(names)
        broken = {p.file for p in checked if p.severity == "error"}
        template_problems = _locate_missing(checked, settings, config_file, renderer)
    report.problems.extend(template_problems)
    report.templates = {name: len(renderer.template_files(name)) for name in names}
    if no_folder is None:  # without templates every language is "unused": that is not the news
        files = [path for name in names for path in renderer.template_files(name)]
        report.problems.extend(sender_locale_problems(settings, files, config_file))
        report.problems.extend(unused_template_problems(settings, renderer))
        report.problems.extend(eaten_break_problems(Path(settings.templates_dir)))
    report.template_errors = sum(p.severity == "error" for p in template_problems)
    report.fatal |= any(p.file == str(config_file) and p.severity == "error" for p in template_problems)
    if report.contacts_unread():  # said at the database; every check below reads the contacts
        return report

    load = inputs.new_report()
    # One typo fails every contact alike: one problem each, naming its first contacts.
    failures: dict[tuple[str, int | None, str], list[str]] = {}
    # …and the locales of the contacts it fails for (one file serves sr, sr_Latn and sr_RS).
    locales: dict[tuple[str, int | None, str], list[str]] = {}
    # The same for the other forms of a letter (early, belated, merged, other years), tried for
    # a few contacts per occasion and template file: the first form a failure appeared in.
    form_failures: dict[tuple[str, int | None, str], tuple[str, list[str]]] = {}
    sampled: Counter[tuple[str, str]] = Counter()
    # HTML tags the text part shows, by (template file, tag): the contacts whose letter did.
    markup: dict[tuple[str, str], list[str]] = {}
    # …and those the contact's own data holds (its row's problem, said once per contact and tag).
    data_markup: set[tuple[str, str]] = set()
    try:
        dated = inputs.occasion_dates(today, 367)
    except ConfigError:  # an unreadable occasion calendar: reported above (check_occasion_calendars)
        dated = {}
    real_days = next_days(fixed_days(settings, today, today + timedelta(days=366), dated))
    reach = Reach(settings)
    titles = TitleReach(settings)
    field_rules = [(occ.field, occ.max_years) for occ in settings.occasions if occ.field is not None]
    date_columns = settings.contacts.dates
    for contact in _while_readable(inputs.contacts(load), report, crm_url):
        reach.see(contact)
        titles.see(contact)
        if contact.country_from_zone and contact.country is not None:
            report.countries_from_zone[contact.country] += 1
        if contact.dates:
            report.problems.extend(_date_problems(contact, field_rules, settings, today))
            for name, day in contact.dates.items():
                column = date_columns.get(name, name)
                (report.yearless.get(column) or report.yearless.setdefault(column, YearlessColumn())).see(day)
        for occ in settings.occasions:
            # A date without a year is greeted without an anniversary number: rendered so here too.
            years = 1 if occ.field is not None and not is_yearless(contact.dates.get(occ.field)) else None
            hit = Hit(contact, occ.name, today, years, occ.priority, occ.template)
            plain = PlanItem(hit, "send")
            try:
                rendered = renderer.render(plain)
            except TemplateError as exc:
                if isinstance(exc, TemplateLoadError) and (no_folder is not None or exc.template in broken):
                    report.skipped[exc.template] += 1  # reported once above, at the file
                    continue
                report.renders += 1
                report.render_failures += 1
                key = (exc.template, exc.line, exc.detail)
                failures.setdefault(key, []).append(contact.id)
                _add_locale(locales, key, contact.locale or settings.defaults.locale)
                continue
            report.renders += 1
            notation = python_notation(rendered)
            if notation is not None:
                report.render_failures += 1
                key = (rendered.template_file, None, notation)
                failures.setdefault(key, []).append(contact.id)
                _add_locale(locales, key, contact.locale or settings.defaults.locale)
            tag = markup_in_text(rendered)
            if tag is not None:
                held = markup_in_data(contact, tag, settings.contacts.columns)
                if held is None:
                    markup.setdefault((rendered.template_file, tag), []).append(contact.id)
                elif (contact.id, tag) not in data_markup:
                    data_markup.add((contact.id, tag))
                    report.problems.append(data_markup_problem(contact, tag, held))
            reach.rendered(contact, occ.template, rendered.template_file)
            reach.signed(contact, rendered.locale)
            titles.sent(occ, rendered.locale)
            titles.letter(plain, rendered)
            sample = (occ.name, rendered.template_file)
            if sampled[sample] >= SAMPLE_CONTACTS:
                continue
            sampled[sample] += 1
            for form, item in letter_forms(hit, settings.occasions, real_days.get(occ.name)):
                report.renders += 1
                try:
                    other = renderer.render(item)
                except TemplateError as exc:
                    key = (exc.template, exc.line, exc.detail)
                else:
                    titles.letter(item, other)
                    notation = python_notation(other)
                    if notation is None:
                        continue
                    key = (other.template_file, None, notation)
                report.render_failures += 1
                found = form_failures.setdefault(key, (form, []))[1]
                if contact.id not in found:
                    found.append(contact.id)
    # An unknown filter inside {% if %} is reported at its file already; a contact reaching it is no news.
    known = {(p.file, p.line, p.message) for p in template_problems}
    failures = {key: found for key, found in failures.items() if key not in known}
    form_failures = {key: value for key, value in form_failures.items() if key not in known}
    only_in_forms = {key: value for key, value in form_failures.items() if key not in failures}
    failures.update((key, found) for key, (_, found) in only_in_forms.items())
    forms = {key: form for key, (form, _) in only_in_forms.items()}
    report.problems.extend(render_problems(failures, forms, locales))
    report.problems.extend(markup_problems(markup, renderer))
    if not report.contacts_unread():  # lost mid-read: "no contact has tag X" may be untrue
        report.problems.extend(reach.problems(config_file, load.source, load.loaded, today.year))
        report.problems.extend(titles.problems(config_file))
        report.problems.extend(
            holiday_problems(settings, config_file, reach.countries, today, reach.holiday_clients)
        )
        report.problems.extend(holiday_collisions(settings, config_file, reach.countries, today))
    report.rows_read = load.rows_read
    report.contacts_loaded = load.loaded
    report.rows_rejected = load.rejected
    report.problems[:0] = load.problems
    return report


def _while_readable(contacts: Iterable[Contact], report: CheckReport, url: str | None) -> Iterator[Contact]:
    """``contacts``, until the contacts database stops answering mid-read (a statement timeout,
    the server gone after the probe answered).

    That outage is then reported as one found at the probe is
    (:func:`contacts_database`), so check still prints every section and
    exits 75, not the read's one line; the rows and renders before it still
    count. Any other contacts error (a query the CRM refuses) stays the
    command's error, as before.
    """
    try:
        yield from contacts
    except ContactsUnavailableError as exc:
        if url is None:
            raise
        report.databases = [d for d in report.databases if d.role != "contacts"]
        contacts_database(report, contacts_failure(url, exc))


def python_notation(rendered: Rendered) -> str | None:
    """What check says of a letter showing Python's notation (``{'occasion': …}``), else None.

    The words are the same for every contact it hits (the matched notation,
    not the value), so one mistake is one problem naming its contacts.
    """
    parts = [("subject", rendered.subject), ("text part", rendered.text)]
    if rendered.html is not None:
        parts.append(("html part", html.unescape(rendered.html)))
    for part, text in parts:
        found = _PYTHON_NOTATION.search(text)
        if found is not None:
            return (
                f"the {part} shows Python's notation for data ({found.group(0).strip()}…): a list, "
                "dict or object printed whole (e.g. through |join); print its fields instead "
                "(a.title, a.date|date('day_month'))"
            )
    return None


def markup_in_text(rendered: Rendered) -> str | None:
    """The first HTML tag the subject or text part shows as typed (``<b>``), else None."""
    for text in (rendered.subject, rendered.text):
        found = _HTML_TAG.search(text)
        if found is not None:
            return found.group(0)
    return None


def markup_in_data(contact: Contact, tag: str, columns: Columns) -> str | None:
    """The column of ``contact`` whose value holds ``tag`` (its header as configured), else None.

    A company exported as ``<b>Ромашка</b>`` shows the tag in every letter's
    text part (and escaped in the HTML one): the CRM's record is what to
    fix, and blaming the template for it sent the marketer looking for a
    line that does not exist.
    """
    named = {
        "first_name": contact.first_name,
        "patronymic": contact.patronymic,
        "last_name": contact.last_name,
        "company": contact.company,
    }
    for field_name, value in named.items():
        if tag in value:
            column = getattr(columns, field_name)
            return column or columns.full_name or field_name
    for column, value in contact.extra.items():
        if tag in value:
            return column
    return None


def data_markup_problem(contact: Contact, tag: str, column: str) -> Problem:
    """The warning for an HTML tag typed into a contact's data, at its row and column."""
    message = (
        f"holds the HTML tag {tag}: the letters show it as typed (escaped in the HTML part); "
        "remove the markup in the CRM"
    )
    return Problem(contact.source, column, message, contact.row or None, kind="row", severity="warning")


def markup_problems(found: dict[tuple[str, str], list[str]], renderer: Renderer) -> list[Problem]:
    """One warning per template file and tag its letters' text part shows, at the line that writes it.

    ``<b>Скидка 10%</b>`` typed into the shipped layout's ``message`` block is
    bold in the HTML part and five characters of markup in the ``text/plain``
    one, which check passed as OK. ``found`` maps (file rendered, tag) to the
    contacts whose letter showed it.
    """
    problems = []
    for (file, tag), contacts in found.items():
        where = renderer.find_line(file, tag)
        at, line = where if where is not None else (file, None)
        message = (
            f"the text part of the letter shows the HTML tag {tag} as typed "
            f"({_who(list(dict.fromkeys(contacts)))}): "
            "plain-text readers see it; put markup only in {% block html %} and keep the words "
            "the text part is made of plain"
        )
        problems.append(Problem(at, "", message, line, kind="template", severity="warning"))
    return problems


def _date_problems(
    contact: Contact, rules: list[tuple[str, int]], settings: Settings, today: date
) -> list[Problem]:
    """A contact's dates that no anniversary can be greeted for (future, too old), at its row.

    Warnings, like an impossible 31.02: the contact keeps its other greetings.
    The words are the planner's (:func:`~greeter.occasions.implausible`), for
    the years the contact would reach this year.
    """
    found: dict[str, str] = {}
    for name, max_years in rules:
        original = contact.dates.get(name)
        if original is None or name in found:
            continue
        problem = implausible(name, original, today.year - original.year, today, max_years)
        if problem is not None:
            found[name] = problem
    column = settings.contacts.dates
    return [
        Problem(contact.source, column.get(name, name), f"{message}; {name} greetings are skipped",
                contact.row or None, kind="row", severity="warning")
        for name, message in found.items()
    ]  # fmt: skip


def _add_locale(locales: dict[tuple[str, int | None, str], list[str]], key: Any, locale: str) -> None:
    found = locales.setdefault(key, [])
    if locale not in found:
        found.append(locale)


def render_problems(
    failures: dict[tuple[str, int | None, str], list[str]],
    forms: dict[tuple[str, int | None, str], str] | None = None,
    locales: dict[tuple[str, int | None, str], list[str]] | None = None,
) -> list[Problem]:
    """One problem per distinct failure (at most :data:`MAX_RENDER_PROBLEMS` per template file).

    ``forms`` names the form of letter a failure appeared in (``sent early,
    before its day``) when it was not the plain one; its contacts are then
    the few the form was tried for, not all it hits. ``locales`` lists the
    contacts' locales per failure: named when more than one, as one file
    (``first_deal.sr.j2``) serves ``sr``, ``sr_Latn`` and ``sr_RS`` alike and
    its mistake is one line, not one per locale. A contact is counted and
    named once however many of its letters failed: a mistake in
    ``_layout.html.j2`` fails every occasion's letter, and 30 contacts read as
    ``165 contacts: 1001, 1001, 1001``.
    """
    problems: list[Problem] = []
    per_file: Counter[str] = Counter()
    for key, letters in failures.items():
        file, line, detail = key
        contacts = list(dict.fromkeys(letters))  # one id per failed letter: each contact once
        per_file[file] += 1
        if per_file[file] > MAX_RENDER_PROBLEMS:
            continue
        named = ", ".join(contacts[:MAX_NAMED_CONTACTS])
        form = forms.get(key) if forms else None
        if form is not None:
            tried = f"tried for contact{'s' if len(contacts) > 1 else ''} {named}"
            message = f"{detail} (in a letter {form}; {tried})"
            problems.append(Problem(file, "", message, line, kind="template"))
            continue
        who = _who(contacts)
        among = locales.get(key, []) if locales else []
        if len(among) > 1:
            who += f"; locales {', '.join(among)}"
        problems.append(Problem(file, "", f"{detail} ({who})", line, kind="template"))
    return problems


def _who(contacts: list[str]) -> str:
    """``contact 1001`` or ``27 contacts: 1001, 1002, 1003 and 24 more`` (each id once)."""
    named = ", ".join(contacts[:MAX_NAMED_CONTACTS])
    who = f"contact {named}" if len(contacts) == 1 else f"{len(contacts)} contacts: {named}"
    rest = len(contacts) - MAX_NAMED_CONTACTS
    return who + (f" and {rest} more" if rest > 0 else "")


def _missing_templates_dir(settings: Settings, config_file: Path) -> Problem | None:
    """A ``templates_dir`` that is no folder, at the setting, with the folder meant.

    ``templates_dir: templatez`` was one "template missing: templatez/….j2"
    per occasion, none saying that the folder itself is the mistake.
    """
    from greeter.config_loader import locate

    folder = Path(settings.templates_dir)
    if folder.is_dir():
        return None
    try:  # as the config says it: relative to the config's folder
        written = folder.relative_to(config_file.parent)
    except ValueError:
        written = folder
    what = "is not a folder" if folder.exists() else "does not exist"
    try:
        siblings = sorted(p.name for p in folder.parent.iterdir() if p.is_dir())
    except OSError:
        siblings = []
    close = difflib.get_close_matches(folder.name, siblings, n=1)
    hint = f", did you mean {str(written.parent / close[0])!r}?" if close else ""
    line, col = locate(config_file, ("templates_dir",))
    message = f"templates_dir {str(written)!r} {what}{hint}"
    return Problem(str(config_file), "templates_dir", message, line, col)


def _locate_missing(
    problems: list[Problem], settings: Settings, config_file: Path, renderer: Renderer
) -> list[Problem]:
    """A missing template file is a config mistake: point at the occasion's ``template:`` line.

    When only locale variants exist (``manager_day.en.j2``), say so and what
    the missing default is for, rather than suggest the name already used.
    """
    from greeter.config_loader import locate

    first_use: dict[str, int] = {}
    for i, occ in enumerate(settings.occasions):
        first_use.setdefault(f"{occ.template}{SUFFIX}", i)
    known = sorted({p.name.split(".")[0] for p in Path(settings.templates_dir).glob(f"[!_]*{SUFFIX}")})
    located: list[Problem] = []
    for problem in problems:
        use = first_use.get(problem.file)
        if use is not None and problem.message.startswith("template missing:"):
            name = settings.occasions[use].template
            variants = [path.name for path in renderer.template_files(name)]
            if variants:
                only = f"{' and '.join(variants)} exist{'s' if len(variants) == 1 else ''}"
                language = settings.defaults.locale.replace("-", "_").split("_")[0]
                default = Path(settings.templates_dir) / f"{name}{SUFFIX}"
                message = (
                    f"template missing: only {only}; add {default}, the letter for {language} "
                    "and for every locale without its own file"
                )
            else:
                close = difflib.get_close_matches(name, known, n=1)
                message = problem.message + (f", did you mean {close[0]!r}?" if close else "")
            line, col = locate(config_file, ("occasions", use, "template"))
            where = f"occasions.{use}.template"
            problem = Problem(str(config_file), where, message, line, col)
        located.append(problem)
    return located


def check_delivery(report: CheckReport, settings: Settings) -> None:
    """Try where letters go as a send would: the mail server (:func:`check_smtp`) or the outbox.

    An outbox that cannot be written is a warning, as an unreachable server
    is: every letter would go to ``retry`` (and ``send --once`` exit 75), but
    ``check`` often runs as another user than the sender, or before a mount.
    """
    if settings.delivery.transport == "smtp":
        check_smtp(report, settings)
        return
    from greeter.transport import FileTransport

    outbox = settings.delivery.outbox
    why = FileTransport(outbox).probe()
    report.outbox = (str(outbox), why is None, "writable" if why is None else why)
    if why is not None:
        message = f"{why}; sending would retry"
        report.problems.append(Problem(str(outbox), "delivery.outbox", message, severity="warning"))


def check_smtp(report: CheckReport, settings: Settings) -> None:
    """Connect, greet, secure and log in as a send would.

    Unreachable is a warning (sending would retry, and a marketer checking
    templates may be off the network); a password that is not where the
    config says, a login the server refuses, a username for a server that
    offers no AUTH greeter can use, or a server that demands a login greeter
    does not make (530 to MAIL FROM, probed without a username) is an error:
    ``send`` stops at each (exit 2), and only a changed config gets a letter
    out.
    """
    from greeter.secret_values import read_secret
    from greeter.smtp_transport import SmtpTransport
    from greeter.transport import LOGIN_REFUSED

    smtp = settings.delivery.smtp
    where = f"{smtp.host}:{smtp.port}"
    try:
        password = read_secret(smtp.password_env, smtp.password_file, "SMTP password")
    except ConfigError as exc:
        report.smtp = (where, False, "not tried: " + "; ".join(p.message for p in exc.problems))
        report.problems.extend(exc.problems)
        report.smtp_errors += len(exc.problems)
        return
    transport = SmtpTransport(smtp, password, return_path=settings.delivery.return_path)
    failure = asyncio.run(transport.diagnose(settings.sender.email))
    if failure is None:
        security = {"none": "no TLS", "starttls": "STARTTLS", "tls": "TLS"}[smtp.security]
        done = f"OK ({security}{f', logged in as {smtp.username}' if smtp.username else ''})"
        report.smtp = (where, True, done)
        return
    if failure.halt_kind not in (None, LOGIN_REFUSED):  # no AUTH, a 530 to MAIL FROM, a wrong TLS
        report.smtp = (where, False, failure.why)
        message = f"{failure.why}; send would stop at it"
        report.problems.append(Problem(f"smtp://{where}", failure.setting, message))
        report.smtp_errors += 1
        return
    if failure.halt_kind == LOGIN_REFUSED:
        secret = f"environment variable {smtp.password_env}" if smtp.password_env else smtp.password_file
        report.smtp = (where, False, f"{failure.why} (username {smtp.username!r})")
        message = (
            f"{failure.why} (username {smtp.username!r}): check delivery.smtp.username and the "
            f"password ({secret}); send would stop at it"
        )
        report.problems.append(Problem(f"smtp://{where}", "delivery.smtp", message))
        report.smtp_errors += 1
        return
    report.smtp = (where, False, f"cannot connect: {failure.why}")
    message = f"cannot connect: {failure.why}; sending would retry"
    report.problems.append(Problem(f"smtp://{where}", "delivery.smtp", message, severity="warning"))


def full_name_overlap(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning at each name column written beside ``contacts.columns.full_name``: it is not read.

    With a full-name column the loader takes every name from it, so a
    ``first_name: Имя`` also written was ignored without a word, and a
    marketer who fixed a name in the Имя column saw no change. Only settings
    written in the file count (the defaults are no one's choice), and
    ``null`` says "no such column".
    """
    from greeter.config_loader import locate
    from greeter.sources.columns import NAME_PARTS

    columns = settings.contacts.columns
    if not columns.full_name:
        return []
    problems: list[Problem] = []
    for part in NAME_PARTS:
        column = getattr(columns, part)
        line, col = locate(config_file, ("contacts", "columns", part))
        if column is None or line is None:
            continue
        message = (
            f"contacts.columns.full_name is set, so names are read from column {columns.full_name!r}"
            f" only and column {column!r} is not read: remove this setting (or write {part}: null)"
        )
        problems.append(
            Problem(str(config_file), f"contacts.columns.{part}", message, line, col, severity="warning")
        )
    return problems


def dkim_alignment(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning when ``delivery.dkim.domain`` is not aligned with the From: domain (DMARC, RFC 7489 §3.1.1).

    Signing passes either way, but DMARC passes on DKIM only when d= and the
    From: domain share their organizational domain: a receiver enforcing the
    From domain's DMARC policy (Gmail and Yahoo require one of bulk senders)
    rejects or junks letters signed for another domain. Relaxed alignment is
    approximated without the public suffix list: d= is the From: domain, a
    parent of it or a child of it (``romashka.example`` signs
    ``greetings@mail.romashka.example``).
    """
    dkim = settings.delivery.dkim
    if dkim is None:
        return []
    signer = dkim.domain.lower().strip(".")
    author = settings.sender.email.rpartition("@")[2].lower()
    if author == signer or author.endswith("." + signer) or signer.endswith("." + author):
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("delivery", "dkim", "domain"))
    message = (
        f"letters are signed for {dkim.domain!r} but come from {author!r} (sender.email): DMARC "
        f"needs the signing domain to be the From: domain or a parent of it, so receivers that "
        f"check DMARC (Gmail, Yahoo, Mail.ru) may reject or junk them; sign with d={author} "
        "(or its parent domain), or send from an address in the signing domain"
    )
    return [Problem(str(config_file), "delivery.dkim.domain", message, line, col, severity="warning")]


def unserved_one_click(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning when letters advertise one-click unsubscribe that this config does not serve.

    With ``unsubscribe.url`` every letter carries ``List-Unsubscribe-Post``
    (RFC 8058), and Gmail and Yahoo show an "Unsubscribe" button that POSTs
    to the link. Only ``greeter run`` with ``http.enabled`` answers it; a
    ``send --once`` from cron, or a daemon with the listener off, leaves the
    POST failing, and the recipient's next click is "Report spam". Another
    process (a ``run`` elsewhere behind the same URL) may serve it, so this
    is a warning, not an error.
    """
    url = settings.unsubscribe.url
    if not url or settings.http.enabled:
        return []
    from greeter.config_loader import locate

    line, col = locate(config_file, ("unsubscribe", "url"))
    message = (
        f"letters advertise one-click unsubscribe (RFC 8058) at {url}, but http.enabled is false, so "
        f"this config does not serve it: make sure a `greeter run` with http.enabled serves {url}, "
        "or Gmail/Yahoo will POST to a dead endpoint"
    )
    return [Problem(str(config_file), "unsubscribe.url", message, line, col, severity="warning")]


def check_secrets(report: CheckReport, settings: Settings) -> None:
    """The secrets ``send`` and ``run`` need besides the SMTP password must be where the config says.

    The unsubscribe secret and the DKIM key file, through the same
    :func:`~greeter.send.missing_secrets` ``send`` and ``run`` refuse with, so
    the words are theirs (the values are never shown). The SMTP password is
    :func:`check_smtp`'s, which needs it to log in.
    """
    from greeter.send import missing_secrets

    problems = missing_secrets(settings, smtp=False)
    report.problems.extend(problems)
    report.secret_errors += len(problems)
    report.problems.extend(loose_secret_files(settings, report.config_file))


def loose_secret_files(settings: Settings, config_file: Path) -> list[Problem]:
    """A warning for each secret file other users may read or change (its mode only: never its content).

    A ``password_file`` left ``0644`` by a ``umask 022`` shell is readable by
    every account on the machine; a group-writable DKIM key lets the group
    sign as the domain. Sending still works, so a warning, with the fix. A
    file that cannot be read is :func:`~greeter.send.missing_secrets`' error.
    """
    named: list[tuple[str, Path | None]] = [
        ("delivery.smtp.password_file", settings.delivery.smtp.password_file)
    ]
    if settings.delivery.dkim is not None:
        named.append(("delivery.dkim.key_file", settings.delivery.dkim.key_file))
    problems: list[Problem] = []
    for setting, path in named:
        try:
            mode = stat.S_IMODE(path.stat().st_mode) if path is not None else 0
        except OSError:
            continue
        loose = _loose_mode(mode)
        if loose:
            message = f"{path} is {loose} (mode {mode:04o}): chmod 600 it"
            problems.append(Problem(str(config_file), setting, message, severity="warning"))
    return problems


def _loose_mode(mode: int) -> str | None:
    """Who besides the owner (and a group that only reads) may read or change a file of ``mode``, or None."""
    read_all = bool(mode & stat.S_IROTH)
    write_all = bool(mode & stat.S_IWOTH)
    if read_all and write_all:
        return "readable and writable by every user"
    said = ["readable by every user"] if read_all else []
    if write_all:
        said.append("writable by every user")
    elif mode & stat.S_IWGRP:
        said.append("writable by its group")
    return " and ".join(said) or None


def check_days_off(report: CheckReport, settings: Settings, today: date) -> None:
    """Read ``send_window.days_off_ics`` as a plan would, for this year and the next.

    A file that cannot be read or is not iCalendar is an error (``preview``,
    ``send`` and ``run`` stop at it); its events with a time of day, which are
    no day off, are one warning.
    """
    years = range(today.year, today.year + 2)
    path = settings.send_window.days_off_ics
    if path is not None:
        from greeter.ics_days import read_days_off, timed_warning

        try:
            found = read_days_off(path, years)
        except ConfigError as exc:
            report.days_off = (str(path), False, "not read (see above)")
            report.problems.extend(exc.problems)
            report.days_off_errors += len(exc.problems)
        else:
            report.days_off = (str(path), True, f"{len(found.days)} day(s) off in {years[0]}–{years[-1]}")
            if found.timed:
                report.problems.append(timed_warning(path, found.timed))
    check_occasion_calendars(report, settings, years)


def check_occasion_calendars(report: CheckReport, settings: Settings, years: range) -> None:
    """Read each occasion's ``ics`` as a plan would: unreadable is an error, nothing in it a warning."""
    from greeter.ics_days import occasion_field, read_days_off, timed_warning

    for index, occ in enumerate(settings.occasions):
        if occ.ics is None:
            continue
        field = occasion_field(index)
        try:
            found = read_days_off(occ.ics, years, field)
        except ConfigError as exc:
            report.problems.extend(exc.problems)
            report.days_off_errors += len(exc.problems)
            continue
        if found.timed:
            report.problems.append(timed_warning(occ.ics, found.timed, field))
        if not found.first_days:
            message = f"no all-day event in {years[0]}–{years[-1]}: occasion {occ.name!r} greets nobody then"
            report.problems.append(Problem(str(occ.ics), field, message, severity="warning"))


def check_databases(
    report: CheckReport, storage_url: str, contacts_url: str | None, contacts_password_env: str | None = None
) -> None:
    """Probe the journal and the CRM: each a problem if unusable, as its own line in the summary.

    A database that does not answer *now* is an error that alone makes the
    exit code 75 (:meth:`CheckReport.exit_code`); a CRM that refuses the
    config's settings is exit 2, like a contacts file that cannot be read,
    and so is a journal that ``send`` refuses for what the config says (a
    folder named as its file, one lost, one on a read-only mount, a wrong
    password): the exit code send and run give for it.
    """
    journal = journal_status(storage_url)
    report.databases.append(journal)
    if not journal.ok:
        report.problems.append(Problem(journal.url, "storage.url", journal.detail))
        report.fatal |= not journal.reachable and not journal.unavailable
    elif journal.read_only == READ_ONLY_MOUNT:
        # Readable, so history and preview work; but no send or run can write it.
        message = f"{journal.read_only}: send and run cannot record greetings in it"
        report.problems.append(Problem(journal.url, "storage.url", message, severity="warning"))
    elif journal.read_only is not None:
        # Another user (the daemon's) may write it, so a warning, not an error: check often runs as
        # an operator. Said nothing, `check` passed as the daemon's own pre-start probe and `run`
        # then stopped at exit 2 (a data/ volume owned by root); `check --strict` now fails there.
        message = (
            f"user {_user()} cannot write it ({journal.read_only}): a send or run as this user would "
            "stop at it; fine if the daemon runs as a user who can"
        )
        report.problems.append(Problem(journal.url, "storage.url", message, severity="warning"))
    if contacts_url is not None:
        contacts_database(report, contacts_status(contacts_url, contacts_password_env))


def _user() -> str:
    """The name of the user this process runs as (its uid when the system has no name for it)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's uid with no passwd entry and no $USER
        return f"uid {os.getuid()}"


def contacts_database(report: CheckReport, crm: DatabaseStatus) -> None:
    """Add the CRM's status; one that could not be read is a problem at ``contacts.url``.

    Reported as the journal is, not raised: the rest of check (config,
    templates, journal, mail server) still runs and is still printed.
    """
    report.databases.append(crm)
    if not crm.reachable:
        report.problems.append(Problem(crm.url, "contacts.url", crm.detail))
        report.fatal |= not crm.unavailable
