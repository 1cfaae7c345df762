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
default letter), both from :mod:`greeter.check_reach`, and about letters in a language
greeter has no salutation or closing for (:mod:`greeter.check_language`).
It also reports whether the journal's database is
reachable and of a known schema version, and whether an SQL contacts source
answers (:mod:`greeter.db_checks`), without creating anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from greeter.check_also import template_content_problems
from greeter.check_delivery import (
    check_databases,
    check_delivery,
    check_journal_project,
    check_journal_state,
    check_secrets,
    check_smtp,
    checked_journal,
    contacts_database,
    contacts_query_refused,
    dkim_alignment,
    loose_secret_files,
    system_folder_slip,
    unserved_one_click,
    writable_by_everyone,
)
from greeter.check_files import (
    eaten_break_problems,
    mail_header_problems,
    unused_template_problems,
    unused_templates,
)
from greeter.check_first_names import first_name_contradiction
from greeter.check_forms import SAMPLE_CONTACTS, letter_forms, next_days
from greeter.check_holidays import holiday_collisions, holiday_problems
from greeter.check_language import gendered_salutation, language_form_problems, own_salutation
from greeter.check_namesakes import BIRTHDAY, Namesakes
from greeter.check_open_letters import OpenLetters, open_letter_problems, read_open_letters
from greeter.check_quota import quota_problems
from greeter.check_reach import Reach, sender_locale_problems
from greeter.check_reappeared import Reappeared
from greeter.check_render import (
    MAX_NAMED_CONTACTS,
    MAX_RENDER_PROBLEMS,
    PlainLetter,
    add_locale,
    data_markup_problem,
    defaultless,
    header_problem,
    letter_shape,
    locale_only,
    locate_missing,
    markup_in_data,
    markup_in_text,
    markup_problems,
    missing_templates_dir,
    plain_letter,
    python_notation,
    render_problems,
    unsubscribe_problems,
)
from greeter.check_report import CheckReport, YearlessColumn, refused_report, zone_countries_line
from greeter.check_script import Misread, misread_files, misread_problems, plural_failures
from greeter.check_sender import (
    bulk_without_one_click,
    placeholder_problems,
    return_path_alignment,
    unqualified_helo,
)
from greeter.check_settings import (
    check_days_off,
    check_occasion_calendars,
    full_name_overlap,
    late_holiday_merges,
    taken_http_port,
    unserved_fallbacks,
)
from greeter.check_titles import TitleReach
from greeter.check_window import (
    everyones_week_problems,
    ineffective_friday_cutoff,
    other_weeks_note,
    undecreed_problems,
)
from greeter.config import Settings
from greeter.contacts import Contact
from greeter.db_checks import contacts_failure
from greeter.errors import (
    ConfigError,
    ContactsUnavailableError,
    Problem,
    QueryError,
    TemplateError,
)
from greeter.occasions import fixed_days, implausible, next_years
from greeter.plan_types import Hit, PlanItem
from greeter.planner import LONGEST_DAYS_OFF
from greeter.render import Renderer
from greeter.retention import minimum_retention_days
from greeter.runtime import Inputs, load_inputs
from greeter.sources import placed_at_contact
from greeter.sources.dates import is_yearless
from greeter.template_cases import ignored_case_problems
from greeter.unsubscribe import mailto_href

if TYPE_CHECKING:
    from greeter.journal_store import JournalEntry, JournalStore
    from greeter.send_report import ProgressStart

#: What other modules and tests import from here: the checks moved to ``check_*`` modules keep
#: their old address (``from greeter.checks import CheckReport, render_problems``).
__all__ = [
    "MAX_NAMED_CONTACTS",
    "MAX_RENDER_PROBLEMS",
    "CheckReport",
    "YearlessColumn",
    "check_databases",
    "check_days_off",
    "check_delivery",
    "check_journal_project",
    "check_journal_state",
    "check_occasion_calendars",
    "check_secrets",
    "check_smtp",
    "contacts_database",
    "data_markup_problem",
    "dkim_alignment",
    "full_name_overlap",
    "loose_secret_files",
    "markup_in_data",
    "markup_in_text",
    "markup_problems",
    "python_notation",
    "refused_report",
    "render_problems",
    "run_check",
    "unserved_one_click",
    "zone_countries_line",
]


def run_check(
    config_file: Path,
    now_text: str | None = None,
    progress: ProgressStart | None = None,
    *,
    every: bool = False,
) -> CheckReport:
    """Run every check; a ConfigError (unusable config) propagates to the CLI as exit 2.

    ``progress`` (:func:`~greeter.send_report.progress_factory`'s, on a terminal) is shown the
    rows read while every template is rendered for each: at 200,000 rows that is minutes, which
    said nothing meanwhile and read as a hang.
    """
    from greeter.cli_values import config_day, parse_now

    inputs = load_inputs(config_file, today=config_day(now_text))
    settings = inputs.settings
    now = parse_now(now_text, settings.defaults.timezone)
    today = now.date()
    report = CheckReport(config_file=config_file, occasions=[o.name for o in settings.occasions])
    crm_url = settings.contacts.url if settings.contacts.source == "sql" else None
    check_databases(report, settings.storage.url, crm_url, settings.contacts.password_env)
    if (slip := system_folder_slip(settings.storage.url, config_file)) is not None:
        report.problems.append(slip)
    with checked_journal(report, settings.storage.url, now) as journal:  # opened once for the three
        check_journal_state(report, journal, now)
        read = _journal_letters(report, settings, journal, now)
        check_journal_project(report, settings, config_file, journal)
    open_letters, birthday_letters = read if read is not None else (None, [])
    check_delivery(report, settings)
    check_secrets(report, settings)
    report.problems.extend(full_name_overlap(settings, config_file))
    report.problems.extend(dkim_alignment(settings, config_file))
    report.problems.extend(return_path_alignment(settings, config_file))
    report.problems.extend(unqualified_helo(settings, config_file))
    report.problems.extend(unserved_one_click(settings, config_file))
    report.problems.extend(writable_by_everyone(settings, config_file))
    report.problems.extend(ineffective_friday_cutoff(settings, config_file))
    report.problems.extend(taken_http_port(settings, config_file))
    report.problems.extend(late_holiday_merges(settings, config_file))
    check_days_off(report, settings, today)
    cap = settings.frequency_cap
    least = minimum_retention_days(cap.window_days, cap.min_gap_days, LONGEST_DAYS_OFF)
    report.retention = (settings.storage.retention_days, least)
    renderer = Renderer.of(settings)
    names = list(dict.fromkeys(o.template for o in settings.occasions))
    no_folder = missing_templates_dir(settings, config_file)
    unneeded: list[str] = []
    if no_folder is not None:  # one problem at the setting, not "template missing" per occasion
        template_problems = [no_folder]
        broken = set()
    else:
        unneeded = defaultless(settings, renderer)
        checked = renderer.check(names, unneeded)
        broken = {p.file for p in checked if p.severity == "error"}
        template_problems = locate_missing(checked, settings, config_file, renderer)
    report.problems.extend(template_problems)
    report.templates = {name: len(renderer.template_files(name)) for name in names}
    # Letters written in a script their language does not use (Russian under defaults.locale: et).
    misread: list[Misread] = []
    misread_at = len(report.problems)
    if no_folder is None:  # without templates every language is "unused": that is not the news
        misread = misread_files({n: renderer.template_files(n) for n in names}, settings.defaults.locale)
        report.problems.extend(
            misread_problems(misread, settings.defaults.locale, Path(settings.templates_dir))
        )
        files = [path for name in names for path in renderer.template_files(name)]
        report.problems.extend(sender_locale_problems(settings, files, config_file, misread))
        served = {name: renderer.template_files(name) for name in names}
        report.problems.extend(unserved_fallbacks(settings, served, config_file))
        unused = unused_templates(settings, renderer)
        report.unused_templates = [file for file, _ in unused]
        report.problems.extend(unused_template_problems(str(settings.templates_dir), unused))
        report.problems.extend(eaten_break_problems(Path(settings.templates_dir)))
        report.problems.extend(mail_header_problems(Path(settings.templates_dir)))
        report.problems.extend(template_content_problems(settings, renderer))
        for name in names:
            files = renderer.template_files(name)
            report.problems.extend(ignored_case_problems(files, name, settings.defaults.locale))
    report.template_errors = sum(p.severity == "error" for p in template_problems) + len(misread)
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
    # The plain letter of each (occasion, years, shape) rendered so far: what it told its contacts.
    shapes: dict[Hashable, PlainLetter] = {}
    # HTML tags the text part shows, by (template file, tag): the contacts whose letter did.
    markup: dict[tuple[str, str], list[str]] = {}
    # …and those the contact's own data holds (its row's problem, said once per contact and tag).
    data_markup: set[tuple[str, str]] = set()
    # Template files (and part) whose letters show no unsubscribe line: the contacts they reached.
    no_unsubscribe: dict[tuple[str, str], list[str]] = {}
    mailto = mailto_href(settings.unsubscribe.mailto) if settings.unsubscribe.mailto else None
    try:
        dated = inputs.occasion_dates(today, 367)
    except ConfigError:  # an unreadable occasion calendar: reported above (check_occasion_calendars)
        dated = {}
    real_days = next_days(fixed_days(settings, today, today + timedelta(days=366), dated))
    reach = Reach(
        settings,
        misread=misread,
        own_salutation=own_salutation(renderer),
        own_gendered=gendered_salutation(renderer, Path(settings.templates_dir)),
    )
    # Occasions of a template without a default file (none is needed): their letters reach only
    # audience.locales, and a client outside them would fail to render a letter they never get.
    own_locales = locale_only(settings, unneeded)
    titles = TitleReach(settings, days=real_days)
    field_rules = [
        (occ.field, occ.max_years, occ.min_years) for occ in settings.occasions if occ.field is not None
    ]
    date_columns = settings.contacts.dates
    # One client on two rows (the same full name and birthday): two letters, said at the later row.
    namesakes = Namesakes(settings.contacts.source, date_columns.get(BIRTHDAY, BIRTHDAY))
    # The rows of the contacts of uncertain letters: whether each can still be resent is in their zone.
    undecided = open_letters.contact_ids() if open_letters is not None else set()
    undecided_contacts: dict[str, Contact] = {}
    # A greeted client gone, and one with their birthday and name new: an id and address changed together.
    reappeared = Reappeared(birthday_letters, settings.contacts.source, date_columns.get(BIRTHDAY, BIRTHDAY))
    contacts: Iterable[Contact] = inputs.contacts(load)
    bar = progress(None, 0) if progress is not None else None
    if bar is not None:
        from greeter.send_report import rows_expected  # a bar: its module is loaded already

        contacts = bar.counting(contacts, lambda: load.rows_read, rows_expected(settings.contacts))
    try:
        for contact in _while_readable(contacts, report, crm_url):
            link = renderer.unsubscribe_link(contact.email)  # its letters' List-Unsubscribe link
            reach.see(contact)
            namesakes.see(contact)
            reappeared.see(contact)
            if contact.id in undecided:
                undecided_contacts[contact.id] = contact
            if contact.gender is not None and (wrong := first_name_contradiction(contact, settings)):
                report.problems.append(wrong)  # «Mr Miller» to Anna: the column wins, silently
            titles.see(contact)
            if contact.country_from_zone and contact.country is not None:
                report.countries_from_zone[contact.country] += 1
            if contact.dates:
                report.problems.extend(_date_problems(contact, field_rules, settings, today))
                for name, day in contact.dates.items():
                    column = date_columns.get(name, name)
                    yearless = report.yearless.get(column)
                    if yearless is None:
                        yearless = report.yearless[column] = YearlessColumn()
                    yearless.see(day)
            # Its letters' shape (check_render.letter_shape): one render per occasion and shape
            # tells every contact of it; None (or --all): its own letters are rendered.
            shape = None if every else letter_shape(contact, settings.defaults.locale)
            for i, occ in enumerate(settings.occasions):
                if i in own_locales and not own_locales[i].admits(contact, None):
                    continue  # outside audience.locales: no letter, and no default file to write one
                # A date without a year is greeted without an anniversary number: rendered so here too.
                years = 1 if occ.field is not None and not is_yearless(contact.dates.get(occ.field)) else None
                hit = Hit(contact, occ.name, today, years, occ.priority, occ.template)
                plain = PlanItem(hit, "send")
                shaped = None if shape is None else (occ.name, years, shape)
                letter = shapes.get(shaped) if shaped is not None else None
                if letter is None:
                    letter = plain_letter(renderer, settings, plain, now, link, mailto, no_folder, broken)
                    report.rendered += letter.skipped is None
                    if letter.rendered is not None:
                        titles.letter(plain, letter.rendered)  # a title in a letter is the shape's
                    if shaped is not None and letter.data_markup is None:
                        shapes[shaped] = letter
                if letter.skipped is not None:
                    report.skipped[letter.skipped] += 1  # reported once above, at the file
                    continue
                report.renders += 1
                if letter.failure is not None:
                    report.render_failures += 1
                    failures.setdefault(letter.failure, []).append(contact.id)
                    add_locale(locales, letter.failure, contact.locale or settings.defaults.locale)
                rendered = letter.rendered
                if rendered is None:
                    continue
                if letter.markup is not None:
                    markup.setdefault((rendered.template_file, letter.markup), []).append(contact.id)
                if letter.data_markup is not None and (contact.id, letter.data_markup[0]) not in data_markup:
                    tag, held = letter.data_markup
                    data_markup.add((contact.id, tag))
                    typed = data_markup_problem(contact, tag, held)
                    report.problems.append(placed_at_contact(typed, contact.id, settings.contacts.source))
                if letter.unsubscribe is not None:
                    no_unsubscribe.setdefault((rendered.template_file, letter.unsubscribe), []).append(
                        contact.id
                    )
                reach.rendered(contact, occ.template, rendered.template_file)
                reach.signed(contact, rendered.locale)
                titles.sent(occ, rendered.locale)
                sample = (occ.name, rendered.template_file)
                if sampled[sample] >= SAMPLE_CONTACTS:
                    continue
                sampled[sample] += 1
                for form, item in letter_forms(hit, settings.occasions, real_days.get(occ.name)):
                    report.renders += 1
                    report.rendered += 1
                    try:
                        other = renderer.render(item)
                    except TemplateError as exc:
                        key = (exc.template, exc.line, exc.detail)
                    else:
                        titles.letter(item, other)
                        notation = python_notation(other) or header_problem(settings, item, other, now, link)
                        if notation is None:
                            continue
                        key = (other.template_file, None, notation)
                    report.render_failures += 1
                    found = form_failures.setdefault(key, (form, []))[1]
                    if contact.id not in found:
                        found.append(contact.id)
    finally:  # gone before anything is printed, also when the read stops (a file unreadable mid-way)
        if bar is not None:
            bar.close()

    # An unknown filter inside {% if %} is reported at its file already; a contact reaching it is no news.
    known = {(p.file, p.line, p.message) for p in template_problems}
    failures = {key: found for key, found in failures.items() if key not in known}
    form_failures = {key: value for key, value in form_failures.items() if key not in known}
    only_in_forms = {key: value for key, value in form_failures.items() if key not in failures}
    failures.update((key, found) for key, (_, found) in only_in_forms.items())
    forms = {key: form for key, (form, _) in only_in_forms.items()}
    # A misread file's plural fails with the other language's forms: said at the file, as the reason.
    plurals = plural_failures(failures, misread)
    if plurals:
        failures = {key: found for key, found in failures.items() if key not in plurals}
        folded = misread_problems(misread, settings.defaults.locale, Path(settings.templates_dir), plurals)
        report.problems[misread_at : misread_at + len(folded)] = folded
    report.problems.extend(render_problems(failures, forms, locales))
    report.problems.extend(markup_problems(markup, renderer))
    report.problems.extend(unsubscribe_problems(no_unsubscribe))
    if not report.contacts_unread():  # lost mid-read: "no contact has tag X" may be untrue
        report.problems.extend(namesakes.problems())
        report.problems.extend(reappeared.problems())
        report.problems.extend(reach.problems(config_file, load.source, load.loaded, today))
        report.unknown_gender = reach.unknown_gender()
        if no_folder is None:  # letters in a language whose salutation and closing are English
            letter_files = [path for name in names for path in renderer.template_files(name)]
            report.problems.extend(language_form_problems(settings, renderer, letter_files, reach.letters))
        report.problems.extend(titles.problems(config_file))
        report.problems.extend(
            holiday_problems(settings, config_file, reach.countries, today, reach.holiday_clients)
        )
        report.problems.extend(holiday_collisions(settings, config_file, reach.countries, today))
        report.notes.extend(bulk_without_one_click(settings, load.loaded))
        placeholders, placeholder_note = placeholder_problems(settings, config_file, reach.letters)
        report.problems.extend(placeholders)
        report.notes.extend(placeholder_note)
        report.notes.extend(other_weeks_note(settings, reach.countries, today.year))
        report.problems.extend(everyones_week_problems(settings, config_file, reach.countries, today.year))
        report.problems.extend(undecreed_problems(settings, config_file, reach.countries, today))
        report.problems.extend(quota_problems(inputs, config_file, now))  # the days over per_day
    if open_letters is not None:
        report.problems.extend(_open_letter_problems(open_letters, inputs, now, undecided_contacts))
    report.notes[:0] = load.notes
    report.rows_read = load.rows_read
    report.contacts_loaded = load.loaded
    report.rows_rejected = load.rejected
    report.problems[:0] = load.problems
    return report


def _journal_letters(
    report: CheckReport, settings: Settings, journal: JournalStore | None, now: datetime
) -> tuple[OpenLetters, list[JournalEntry]] | None:
    """The journal's uncertain and recently failed letters, and its birthday letters of a year, when
    it opens as send opens it (of the current schema: an older one is said at its line)."""
    status = next((d for d in report.databases if d.role == "journal"), None)
    if journal is None or status is None or not status.ok or status.schema_version != status.latest_version:
        return None
    birthdays = [occ.name for occ in settings.occasions if occ.field == BIRTHDAY]
    return read_open_letters(journal, now, status.url, birthdays)


def _open_letter_problems(
    found: OpenLetters, inputs: Inputs, now: datetime, contacts: dict[str, Contact]
) -> list[Problem]:
    """:func:`open_letter_problems`, each uncertain letter's resend tested as ``greeter uncertain
    resend`` tests it (:class:`~greeter.decision_facts.Standing`), over the contacts read."""
    from greeter.decision_facts import Standing

    if not found.uncertain:
        return open_letter_problems(found, lambda entry: None)
    standing = Standing(inputs, now, found.uncertain, known=contacts)
    try:
        return open_letter_problems(found, standing.too_late)
    except ConfigError:  # an unreadable calendar (said above): counted, not tested
        return open_letter_problems(found, lambda entry: None)


def _while_readable(contacts: Iterable[Contact], report: CheckReport, url: str | None) -> Iterator[Contact]:
    """``contacts``, until the contacts database stops answering mid-read (a statement timeout,
    the server gone after the probe answered) or refuses the query (a syntax error, a division
    by zero in row 500).

    That outage is then reported as one found at the probe is
    (:func:`contacts_database`), so check still prints every section and
    exits 75, not the read's one line; a refused query likewise, at
    ``contacts.query``'s line, exit 2 as for a wrong password
    (:func:`contacts_query_refused`). The rows and renders before either still
    count. Any other contacts error (a column the header lacks) stays the
    command's error, as for a file.
    """
    try:
        yield from contacts
    except (ContactsUnavailableError, QueryError) as exc:
        if url is None:
            raise
        report.databases = [d for d in report.databases if d.role != "contacts"]
        if isinstance(exc, QueryError):
            contacts_query_refused(report, contacts_failure(url, exc), report.config_file, exc.setting)
        else:
            contacts_database(report, contacts_failure(url, exc))


def _date_problems(
    contact: Contact, rules: list[tuple[str, int, int]], settings: Settings, today: date
) -> list[Problem]:
    """A contact's dates that no anniversary can be greeted for (future, too old, too recent), at its row.

    Warnings, like an impossible 31.02: the contact keeps its other greetings.
    The words are the planner's (:func:`~greeter.occasions.implausible`), for
    the years the planner greets at: those of the next anniversary on or after
    ``today`` (:func:`~greeter.occasions.next_years`). ``today.year -
    original.year`` warned "13 years" of a client turning 14 in January,
    whom preview then greeted.
    """
    found: dict[str, str] = {}
    for name, max_years, min_years in rules:
        original = contact.dates.get(name)
        if original is None or name in found:
            continue
        years = next_years(original, today, settings.leap_day)
        problem = implausible(name, original, years, today, max_years, min_years)
        if problem is not None:
            found[name] = problem
    column = settings.contacts.dates
    return [
        placed_at_contact(
            Problem(contact.source, column.get(name, name), f"{message}; {name} greetings are skipped",
                    contact.row or None, kind="row", severity="warning"),
            contact.id, settings.contacts.source)
        for name, message in found.items()
    ]  # fmt: skip
