"""``greeter preview``: the plan and its drafts as a table, JSON, .eml files or an HTML gallery.

The drafts come from the same :func:`greeter.planner.plan` the sender uses;
this module only formats them. JSON field names are a contract (DESIGN.md §3).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from greeter.config import Sender
from greeter.contacts import Gender, email_key
from greeter.decreed_days import undecreed, undecreed_words
from greeter.errors import EXIT_PROBLEMS, OutputFolderError, Problem, TemplateError, UnsafeHeaderError
from greeter.journal_store import Approver, JournalKey
from greeter.message import validate_header_value
from greeter.names import gender_source
from greeter.own_files import own_files, refusal
from greeter.plan_drafts import drafts
from greeter.plan_journal import journal_letters
from greeter.plan_types import Draft, PlanItem, Rendered
from greeter.planner import journal_past, plan_reach
from greeter.preview_past import before_planning
from greeter.preview_table import draft_order, print_table
from greeter.quota_plan import QuotaDay, held_back, over_quota, quota_day_words
from greeter.render import Renderer
from greeter.renumbered import noting_renumbered
from greeter.review import Envelope, approval_of, content_hash
from greeter.runtime import Inputs, load_inputs, load_planning_state
from greeter.zone_label import iso_seconds

if TYPE_CHECKING:
    from greeter.contacts import Contact
    from greeter.planner import PlanWindow
    from greeter.send_report import ProgressStart
    from greeter.sources import LoadReport


def draft_json(draft: Draft, default_zone: str | None = None) -> dict[str, Any]:
    """One draft as the documented JSON object (a render error shows as skip/render_error).

    ``timezone`` is the recipient's zone for every item of a contact alike: the send time's, else
    the contact's column, else ``default_zone`` (``defaults.timezone``) — the zone its letters
    leave in, so a skipped row of a contact with no zone column does not say null beside a sent one.
    """
    item, hit = draft.item, draft.item.hit
    status, reason = item.status, item.reason
    if draft.error is not None:
        status, reason = "skip", "render_error"
    r = draft.rendered
    # The gender the letter was worded by and the cell that said it: «Mr Miller» to an Anna is explained.
    gender, said_by = gender_source(hit.contact)
    return {
        "contact_id": hit.contact.id,
        # A letter the journal holds went to its address, whatever the CRM says now (moved_addresses).
        "email": item.sent_to or hit.contact.email,
        "name": hit.contact.display_name,
        "gender": None if gender is Gender.UNKNOWN else gender.value,
        "gender_source": said_by,
        "occasion": hit.occasion,
        "occasion_date": hit.date.isoformat() if hit.dated else None,
        "years": hit.years,
        "send_at": iso_seconds(item.send_at) if item.send_at else None,
        "timezone": str(item.send_at.tzinfo) if item.send_at else hit.contact.timezone or default_zone,
        "status": status,
        "reason": reason,
        # history's name for the machine word (its ``reason`` is a sentence): one filter for both —
        # ``baseline`` for an already_sent that greeter baseline recorded, as history says it.
        "reason_code": item.reason_code if draft.error is None and item.reason_code else reason,
        "detail": draft.error or item.detail or None,
        "merged_with": item.merged_with,
        "journal_state": item.journal_state,
        "belated": item.belated,
        "approval": draft.extra.get("approval"),
        # Who approved the letter and when (``approve --by``), whatever its state now: null if nobody did.
        "approved_by": draft.extra.get("approved_by"),
        "approved_at": draft.extra.get("approved_at"),
        "fingerprint": draft.extra.get("fingerprint"),
        # The config's name for every item alike (a skip has no file); the file a letter came from apart.
        "template": hit.template,
        "template_file": r.template_file if r else None,
        # A letter that left is not rendered again: its subject as the journal kept it (null if none).
        "subject": r.subject if r else draft.extra.get("subject"),
        "text": r.text if r else None,
        "html": r.html if r else None,
    }


def of_occasion(item: PlanItem, occasion: str | None) -> bool:
    """Whether ``preview --occasion`` shows ``item``: every item without the option.

    With it, ``occasion``'s own items — the letters ``approve --occasion``
    approves (the same test: the item's own occasion) and its skips, a
    ``merged`` one included — and, by ``merged_with``, the letter of another
    occasion it rides in and the occasions riding in its own letters: the
    letter a client gets for it is seen whole, whichever occasion leads it.
    """
    return occasion is None or item.hit.occasion == occasion or occasion in item.merged_with


def journal_expiries(items: Iterable[PlanItem], inputs: Inputs) -> Iterator[PlanItem]:
    """Each ``already_sent`` item the journal holds only as ``expired`` as the ``expired`` skip it is.

    The planner refuses every greeting the journal holds as ``already_sent``
    (it must never be planned again, nor ride along in a later letter); but an
    expired one never went out, and saying "already sent" of it misleads.
    Preview only: the sender treats both alike (nothing to do), and must not
    record an expiry the journal already has. The journal's rows are those the
    planner matched: the contact's own, and those to its address under other
    ids (a renumbered client). The journal's why follows (``…; the daily quota
    (delivery.rate_limit.per_day) held it back on 14.04 until its catch-up period
    ended``): the reviewer who reads the gallery is the one to tell the quota from cron.
    """
    for item in items:
        if item.reason == "already_sent":
            hit = item.hit
            email = email_key(hit.contact.email) if hit.contact.email else ""
            past = [*inputs.history.get(hit.contact.id, ()), *inputs.history_by_email.get(email, ())]
            held = [p for p in past if p.occasion == hit.occasion and p.occasion_date == hit.date]
            if held and all(p.state == "expired" for p in held):
                other = next((p for p in held if p.contact_id != hit.contact.id), None)
                to = f" (to {other.email} as contact {other.contact_id})" if other else ""
                why = f"the journal recorded it as expired{to}: past its catch-up period, it was never sent"
                # The journal's own why (the daily quota held it; the window it missed) is the cause.
                cause = next((p.expired_why for p in held if p.expired_why), None)
                if cause:
                    why = f"{why}; {cause}"
                item = dataclasses.replace(item, reason="expired", detail=why, journal_state="expired")
        yield item


def moved_addresses(items: Iterable[PlanItem]) -> Iterator[PlanItem]:
    """Each item the journal holds at another address than its contact's now, saying both (pure).

    Support: the CRM changed 1003's address after its New Year letter left;
    preview then showed that letter "sent" to the new address, and test-send
    said "the real letter already left … to dmitry.new@example.com" — a
    manager told the client a letter reached a mailbox it never did. The
    address shown is the journal's (:attr:`~greeter.plan_types.PlanItem.sent_to`,
    ``email`` in JSON); the detail says where it went and that the contact's
    address is another now.
    """
    for item in items:
        old, new = item.sent_to, item.hit.contact.email
        if old and email_key(old) != email_key(new or ""):
            went = "sent" if item.status == "sent" else "the journal's letter was"
            said = (
                item.detail
                if old in item.detail
                else "; ".join(filter(None, (item.detail, f"{went} to {old}")))
            )
            now = f"the contact's address is {new} now" if new else "the contact has no address now"
            item = dataclasses.replace(item, detail=f"{said}; {now}")
        yield item


def with_approval(
    stream: Iterable[Draft],
    approvals: dict[JournalKey, str],
    sender: Sender,
    approvers: Mapping[JournalKey, Approver] | None = None,
) -> Iterator[Draft]:
    """Tag each rendered draft with its review state (``review: required``) and, from ``approvers``,
    who approved it and when (ISO, UTC as the journal keeps it): a reviewer of thousands of letters
    asks whose approval a changed letter lost, and a team lead who approved what."""
    for draft in stream:
        if draft.rendered is not None:
            envelope = Envelope.of(draft.item.hit.contact, sender, draft.rendered.locale)
            digest = content_hash(draft.rendered, envelope)
            draft.extra["approval"] = approval_of(draft.item.hit.key, digest, approvals)
            approver = (approvers or {}).get(draft.item.hit.key)
            if approver is not None:
                draft.extra["approved_by"] = approver.by
                draft.extra["approved_at"] = iso_seconds(approver.at)
            # What `approve --reviewed` holds the draft to: the letter as the reviewer read it.
            draft.extra["fingerprint"] = digest
        yield draft


def sent_subjects(inputs: Inputs, now: datetime, start: date, end: date) -> dict[tuple[str, str, date], str]:
    """The subjects the journal kept of the letters sent for occasion days ``start``…``end``.

    Keyed by address (compared as the list compares), occasion and day — a
    letter sent under a contact's former id is the contact's. A ``sent``
    entry is not rendered again, and its ``subject`` was null while ``history``
    showed it for the same letter. Empty without a journal.
    """
    from greeter.runtime import existing_journal

    journal = existing_journal(inputs, now)
    if journal is None:
        return {}
    try:
        return {
            (email_key(e.email), e.occasion, e.occasion_date): e.subject
            for e in journal.iter_history(state="sent", since=start, until=end)
            if e.subject and e.email
        }
    finally:
        journal.close()


def with_sent_subjects(
    stream: Iterable[Draft], subjects: Mapping[tuple[str, str, date], str]
) -> Iterator[Draft]:
    """Give each ``sent`` draft the subject the journal kept of it (:func:`sent_subjects`), if any."""
    for draft in stream:
        item = draft.item
        if item.status == "sent" and subjects:
            address = item.sent_to or item.hit.contact.email
            subject = subjects.get((email_key(address or ""), item.hit.occasion, item.hit.date))
            if subject is not None:
                draft.extra["subject"] = subject
        yield draft


#: The letters that failed to render, by (template file, line, what went wrong): their contacts.
FailedLetters = dict[tuple[str, int | None, str], list[str]]


@dataclass
class RenderFailures:
    """The letters of one run that fail to render, filed by their mistake as ``greeter check`` files them.

    A draft carries its failure as one string: what the table, the JSON and a
    gallery card show, letter by letter. Where the letters are not on the
    terminal (a calendar file, a gallery, .eml files) the reviewer is told on
    stderr, one line per mistake with its file, line and contacts
    (:func:`greeter.checks.render_problems`), however many letters it breaks.
    """

    letters: FailedLetters = field(default_factory=dict)
    #: Occasions merged into a letter that fails: they go (and fail) with it.
    merged: int = 0

    def recording(self, render: Callable[[PlanItem], Rendered]) -> Callable[[PlanItem], Rendered]:
        """``render`` that also files each :class:`TemplateError` by its place.

        The error still propagates, so :func:`greeter.plan_drafts.drafts` decides
        what a failed letter means for the occasions merged into it.
        """

        def recorded(item: PlanItem) -> Rendered:
            try:
                return render(item)
            except TemplateError as exc:
                self.letters.setdefault((exc.template, exc.line, exc.detail), []).append(exc.contact_id)
                raise

        return recorded

    def counting(self, stream: Iterable[Draft]) -> Iterator[Draft]:
        """``stream`` as it is, counting the occasions merged into a failed letter."""
        for draft in stream:
            self.merged += draft.error is not None and draft.item.status != "send"
            yield draft

    def lines(self, lead: str, note: str) -> list[str]:
        """``{lead} 2 letters whose template fails to render, … ({note}):`` and a line per mistake.

        Empty when every letter rendered.
        """
        if not self.letters:
            return []
        from greeter.checks import render_problems  # only when a letter failed: check's imports are heavy
        from greeter.wording import counted, merged_into

        failed = sum(len(ids) for ids in self.letters.values())
        held = merged_into(self.merged, failed)
        held = f", {held}" if held else ""
        head = f"{lead} {counted(failed, 'letter')} whose template fails to render{held} ({note}):"
        return [head, *(str(problem) for problem in render_problems(self.letters))]


# Local: raised and reported inside preview alone; callers see it as the TemplateError it is.
class HeldSubject(TemplateError):
    """A subject ``send`` would hold: a character no header may carry (``\\x1b]0;…\\x07`` from the template).

    ``preview`` said ``send`` for a letter ``send`` holds as ``render_error``;
    ``check`` already found it (:func:`greeter.check_render.header_problem`).
    The draft says send's own words (``Subject: control or line-break character
    U+001B in 'Hi\\x1b]0;…'``); the stderr summary files it under check's words,
    one line for every contact it hits.
    """

    def __init__(self, template: str, exc: UnsafeHeaderError, contact_id: str) -> None:
        super().__init__(
            template, None, f"the letter's Subject header cannot be written ({exc.problem})", contact_id
        )
        self._said = str(exc)

    def __str__(self) -> str:
        return self._said


def subject_checked(render: Callable[[PlanItem], Rendered]) -> Callable[[PlanItem], Rendered]:
    """``render`` that raises :class:`HeldSubject` for a subject send's header rule refuses.

    The subject alone is checked, with the builder's own function
    (:func:`greeter.message.validate_header_value`, a ``str.isprintable`` for
    the usual subject): the only header the template writes. No message is
    built; the sender's and the contact's headers are ``check``'s.
    """

    def checked(item: PlanItem) -> Rendered:
        rendered = render(item)
        try:
            validate_header_value("Subject", rendered.subject.strip())
        except UnsafeHeaderError as exc:
            raise HeldSubject(rendered.template_file, exc, item.hit.contact.id) from exc
        return rendered

    return checked


def run_preview(
    config_file: Path,
    *,
    start: date | None,
    days: int,
    contact_id: str | None,
    fmt: str,
    out: Path,
    show_skipped: bool,
    now_text: str | None,
    progress: ProgressStart | None = None,
    occasion: str | None = None,
    inputs: Inputs | None = None,
) -> int:
    """Plan, render and print; returns the exit code.

    ``progress`` (:func:`~greeter.send_report.progress_factory`'s, on a terminal) is shown the
    rows read while their letters are planned and rendered (a minute at 200,000 rows), and ends
    when the last is read, before anything is printed. ``inputs``: those ``--contact`` was read
    from (:func:`~greeter.cli_options.contact_in_config`), planned from as they are; None: loaded.
    """
    from greeter.cli_options import check_occasion
    from greeter.cli_values import config_day, parse_now

    inputs = inputs or load_inputs(config_file, today=config_day(now_text))
    settings = inputs.settings
    check_occasion(occasion, settings, titles=True)  # a typo selects nothing: refused as approve refuses it
    if fmt in ("eml", "html"):
        refused = refusal("--out", out, own_files(config_file, settings), folder=True)
        if refused is not None:
            raise OutputFolderError(refused)
    now = parse_now(now_text, settings.defaults.timezone)
    first = start or now.date()
    load_planning_state(inputs, now=now, start=first)
    if inputs.journal_rewound is not None:  # preview sends nothing; the letters it lists due would go again
        print(f"warning: send refuses it: {inputs.journal_rewound}", file=sys.stderr)
    pw = inputs.window(now=now, start=first, days=days)
    report = inputs.new_report()
    failures = RenderFailures()
    letters = Renderer.of(settings)
    if letters.unsigned is not None:  # the letters are shown as sent, but for their links' token
        print(
            f"note: {letters.unsigned.message}: the letters show their unsubscribe link unsigned "
            "(…/unsigned); the letters sent carry each recipient's signed link",
            file=sys.stderr,
        )
    renderer = failures.recording(subject_checked(letters.render))
    contacts: Iterable[Contact] = inputs.contacts(report, contact_id)
    rows: list[int] = []  # with --contact: the rows its contact was read from
    if contact_id is not None:
        contacts = _noting_rows(contacts, rows)
    bar = progress(None, 0) if progress is not None else None
    if bar is not None:
        from greeter.send_report import rows_expected  # a bar: its module is loaded already

        contacts = bar.counting(contacts, lambda: report.rows_read, rows_expected(settings.contacts))
    items = noting_renumbered(
        shown_items(inputs, contacts, pw, contact_id), inputs.history, inputs.history_by_email, report
    )
    # The daily quota (delivery.rate_limit.per_day) against the whole plan: not one contact's.
    planned: list[PlanItem] | None = None
    if settings.delivery.rate_limit.per_day is not None and contact_id is None:
        planned = []
        items = _noting_planned(items, planned)
    stream: Iterator[Draft] = (
        d
        for d in failures.counting(drafts(items, renderer))
        if (show_skipped or d.item.status != "skip") and of_occasion(d.item, occasion)
    )
    if inputs.approvals is not None:
        stream = with_approval(stream, inputs.approvals, settings.sender, inputs.approvers)
    if fmt in ("json", "table", "text"):
        # The occasions a letter leaving in the range may be for: from a plan's reach before it (a
        # belated letter) to its look-ahead after it (a day off before), as the range lists them.
        reach = pw.start - timedelta(days=plan_reach(settings))
        stream = with_sent_subjects(stream, sent_subjects(inputs, now, reach, pw.sim_end))
    if contact_id is not None:
        # One contact's plan is a few items: read it whole first. An id no row has (or whose row
        # was rejected) is known only once every row is read; it is then said alone — not beside
        # an empty table, "nothing planned" or a gallery and .eml files of nothing replacing the last.
        held = list(stream)
        if report.missing:
            for line in problem_lines(report, contact_id, rows):
                print(line, file=sys.stderr)
            return EXIT_PROBLEMS
        stream = iter(held)
    quota: list[QuotaDay] = []
    asked: list[bool] = []

    def quota_days() -> list[QuotaDay]:
        if not asked:  # once the stream is read: every letter planned; once only
            from greeter.check_quota import recent_sends

            quota[:] = over_quota(planned or [], pw, recent_sends(inputs, now))
            asked.append(True)
        return quota

    if fmt == "json":
        errors = _write_json(stream, settings.defaults.timezone, lambda: held_back(quota_days()))
    elif fmt in ("table", "text"):  # text: the table's rows as lines of "field: value"
        errors = print_table(
            stream, first, days, settings.occasion_titles(), lambda: held_back(quota_days()), fmt == "text"
        )
    elif fmt == "eml":
        from greeter.preview_files import write_eml

        errors = write_eml(stream, out, inputs, letters.unsubscribe_link)
    else:
        from greeter.gallery import write_gallery

        errors = write_gallery(
            stream,
            out,
            start=first,
            days=days,
            now=now,
            sender=settings.sender,
            titles=settings.occasion_titles(),
            rejected=lambda: report.rejections,
            contact_id=contact_id,
            default_zone=settings.defaults.timezone,
            locale=settings.review_locale(),  # the pages speak the team's language (team_language)
            quota=quota_days,
            working_week=lambda country: pw.calendar_for(country).week,
        )
    if fmt != "json":
        quota_days()
    for day in quota:
        print(f"note: {quota_day_words(day)}", file=sys.stderr)
    given = {code: own.days for code, own in settings.send_window.regional_days_off.items()}
    years = range(pw.start.year, pw.end.year + 1)
    for country, year in undecreed(pw.planned_countries(), years, now.date(), given):
        print(f"note: {undecreed_words(country, year)}", file=sys.stderr)
    zone = ZoneInfo(settings.defaults.timezone)  # days greeter never planned: said, and where to look
    past = before_planning(pw.start, pw.end, inputs.occasion_since, zone, journal=not inputs.first_plan)
    if past is not None:
        print(f"note: {past}", file=sys.stderr)
    if fmt in _WRITTEN:  # the table and the JSON show each failed letter; files are not on the terminal
        for line in failures.lines(*_WRITTEN[fmt]):
            print(line, file=sys.stderr)
    for line in problem_lines(report, contact_id, rows):
        print(line, file=sys.stderr)
    return EXIT_PROBLEMS if errors or report.rejected or report.missing else 0


def shown_items(
    inputs: Inputs, contacts: Iterable[Contact], pw: PlanWindow, contact_id: str | None
) -> Iterator[PlanItem]:
    """The plan as ``preview`` and ``test-send`` show it: what the journal recorded expired said
    so, and for one contact (``contact_id``) the journal's letters the plan no longer makes
    (:func:`with_journal_letters`), each letter the journal holds at its journal address
    (:func:`moved_addresses`). ``test-send`` of such a letter found "no birthday letter for
    10.12" while ``preview --contact`` listed it."""
    seen: list[Contact] = []
    if contact_id is not None:
        contacts = _keeping(contacts, seen)
    items = journal_expiries(inputs.plan(contacts, pw), inputs)
    if contact_id is not None:
        items = with_journal_letters(items, inputs, pw, seen)
    return moved_addresses(items)


def _keeping(contacts: Iterable[Contact], seen: list[Contact]) -> Iterator[Contact]:
    """``contacts`` as they are, each appended to ``seen`` as it passes (:func:`with_journal_letters`)."""
    for contact in contacts:
        seen.append(contact)
        yield contact


def with_journal_letters(
    items: Iterable[PlanItem], inputs: Inputs, pw: PlanWindow, seen: list[Contact]
) -> Iterator[PlanItem]:
    """One contact's plan (``preview --contact``) with the journal's letters to it for an occasion
    day in the range that the plan no longer makes (:func:`~greeter.plan_journal.journal_letters`: a
    birthday greeted for 20.01, the contacts source now saying 05.03), in the plan's order.

    ``seen``: the contacts the plan read, filled as ``items`` is read (:func:`_keeping`).
    """
    mine = list(items)
    for contact in seen[:1]:  # --contact: one contact (a second row of its id is rejected)
        email = email_key(contact.email) if contact.email else ""
        past = journal_past(contact, email, inputs.history, inputs.history_by_email)
        planned = {(i.hit.occasion, i.hit.date) for i in mine}
        mine += journal_letters(contact, past, planned, pw)
    yield from sorted(mine, key=attrgetter("hit.date", "hit.occasion"))


def _noting_rows(contacts: Iterable[Contact], rows: list[int]) -> Iterator[Contact]:
    """``contacts`` as they are, each one's row appended to ``rows`` as it passes."""
    for contact in contacts:
        rows.append(contact.row)
        yield contact


def problem_lines(report: LoadReport, contact_id: str | None, rows: Iterable[int] = ()) -> list[str]:
    """What preview says on stderr of the contacts' problems: every one, or with ``--contact`` that
    contact's own and a count of the rest.

    ``rows``: the rows the contact was read from; its rejected rows (a
    duplicated id) are its own too. A preview of one client in a 150,000-row
    export printed its two-line table and then 453 warnings about other rows;
    ``greeter check`` is where the file's problems are listed. The source's
    own problems — neither a row's nor a column's (an id no row has, a file
    changed while read) — are said as they are; a whole column's (most of
    its dates unreadable) are counted apart: they are no row's.

    A contact whose row was rejected is said once: the source's line
    (``contacts.csv: contact '1001' (row 2) was not loaded: Email: …``,
    :func:`greeter.runtime._not_found`) already gives that row's errors, which
    were said a second time as the row's own problems (``contacts.csv:row 2:
    Email: …``). Those are left out; its warnings, and a second rejected row of
    the same id, which that line does not name, are still said.
    """
    if contact_id is None:
        return [str(problem) for problem in report.problems]
    mine = {*rows, *(r.row for r in report.rejections if r.contact_id == contact_id)}
    said = _said_as_not_loaded(report, contact_id)
    lines: list[str] = []
    others: Counter[str] = Counter()
    for problem in report.problems:
        if problem in said:
            continue
        if (problem.kind == "row" and problem.line in mine) or problem.kind not in ("row", "column"):
            lines.append(str(problem))
        else:
            others[problem.kind] += 1
    counts = [f"{others['row']} other contact row problem(s)"] if others["row"] else []
    counts += [f"{others['column']} contacts column problem(s)"] if others["column"] else []
    if counts:
        lines.append(f"{' and '.join(counts)}: greeter check lists them")
    return lines


def _said_as_not_loaded(report: LoadReport, contact_id: str) -> tuple[Problem, ...]:
    """The errors of ``contact_id``'s rejected row that the report's "was not loaded" line names:
    that of its first rejected row (as :func:`greeter.runtime._not_found` picks it), when no row of
    it was loaded (:attr:`~greeter.sources.LoadReport.missing`); else none."""
    if contact_id not in report.missing:
        return ()
    rejected = next((r for r in report.rejections if r.contact_id == contact_id), None)
    return rejected.errors if rejected is not None else ()


#: How a format that writes files says its letters that fail to render (:meth:`RenderFailures.lines`).
_WRITTEN = {
    "eml": ("not written:", "greeter preview shows them as render_error"),
    "html": ("the gallery shows", "their cards marked «ошибка шаблона»"),
}


def _noting_planned(items: Iterable[PlanItem], planned: list[PlanItem]) -> Iterator[PlanItem]:
    """``items``, keeping those still to leave (``send``) in ``planned`` for the quota forecast."""
    for item in items:
        if item.status == "send":
            planned.append(item)
        yield item


def _write_json(
    stream: Iterable[Draft],
    default_zone: str,
    held: Callable[[], Mapping[JournalKey, tuple[date, str]]] = dict,
) -> int:
    """A JSON array in the table's order (:func:`draft_order`: by day and send time, then as planned —
    contact by contact), so a million drafts never sit in memory.

    The planner yields contact by contact; the table sorted its rows by send time
    and the JSON did not, though the docs said the table is printed as the JSON is
    written. Each element waits, as the table's rows do, in a temporary file that
    sorts them. Nothing is written before every draft is planned: a contacts source
    that cannot be read fails while it is read, and a script then gets an empty
    stdout and the error, not a lone ``[``.

    ``held`` (asked once every draft is read: :func:`~greeter.quota_plan.held_back`) gives
    each letter the daily quota holds back its ``quota_held``: ``{"day", "fate"}`` — the day
    it was held and whether it goes ``later`` or ``expires``; null for every other element.
    """
    import sqlite3
    from contextlib import closing

    errors = 0
    out = sys.stdout
    # "": SQLite's private temporary database, a file deleted on close; ORDER BY sorts on disk too.
    with closing(sqlite3.connect("")) as spill:
        spill.execute(
            "CREATE TABLE element (day INTEGER, at REAL, merged INTEGER, json TEXT, letter INTEGER)"
        )
        for draft in stream:
            errors += draft.error is not None
            element = draft_json(draft, default_zone)
            element["quota_held"] = None
            text = json.dumps(element, ensure_ascii=False)
            letter = draft.item.status == "send" and draft.error is None
            spill.execute("INSERT INTO element VALUES (?, ?, ?, ?, ?)", (*draft_order(draft), text, letter))
        fates = held()
        out.write("[")
        rows = spill.execute("SELECT json, letter FROM element ORDER BY day, at, merged, rowid")
        for i, (text, letter) in enumerate(rows):
            out.write(",\n" if i else "\n")
            out.write(_with_quota(text, fates) if letter and fates else text)
    out.write("\n]\n")
    return errors


def _with_quota(text: str, fates: Mapping[JournalKey, tuple[date, str]]) -> str:
    """A letter's JSON element with its ``quota_held`` (:func:`_write_json`), when the quota holds it."""
    element = json.loads(text)
    day = element["occasion_date"]
    fate = fates.get((element["contact_id"], element["occasion"], date.fromisoformat(day))) if day else None
    if fate is None:
        return text
    element["quota_held"] = {"day": fate[0].isoformat(), "fate": fate[1]}
    return json.dumps(element, ensure_ascii=False)
