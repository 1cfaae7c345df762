"""``greeter test-send``: one contact's real letter, built as the send builds it, delivered to a tester only.

Why: before a batch goes out, a marketer wants to see one client's letter in
their own mailbox (Outlook, Gmail, a phone) — client 1029's birthday letter,
with her name declined, the real headers, DKIM and List-Unsubscribe — not a
lookalike made from a second config and a one-row CSV.

The letter is chosen as ``preview --contact ID`` plans it (the same planner,
window and journal state, read without writing: :mod:`greeter.preview`), and
built as :meth:`greeter.delivery.Deliverer.attempt` builds it
(:func:`greeter.message.build_message` with the same sender, headers,
unsubscribe links and DKIM signer), through the configured transport with the
real SMTP settings and password. What differs, and why:

* the envelope recipient and the ``To:`` address are the tester's, never the
  client's. The contact's address is replaced by the tester's *before* the
  letter is rendered, so the unsubscribe links (the body's and
  ``List-Unsubscribe``) are the tester's own: a click on them in the test
  never puts the client on the do-not-contact list;
* the Subject starts with :data:`TEST_PREFIX`, so a forwarded test is not
  taken for the real letter;
* its Message-ID is a fresh one (:func:`trial_message_id`), not the journal
  key's, so the real letter's id is not burned at a receiving server that
  drops duplicates;
* nothing is journaled: no claim, no row, nothing the daily quota counts (it
  counts the journal's sent rows), and no journal is created;
* the send window and the review gate do not hold it back (it is a test),
  but what they — or the planner's skip — do to the real letter is said
  (:func:`real_fate`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from greeter.config import Settings
from greeter.contacts import email_key
from greeter.delivery import letter_bytes
from greeter.erasure import TEST_OF_HEADER, tested_client
from greeter.errors import (
    EXIT_PROBLEMS,
    EXIT_TEMPFAIL,
    EXIT_USAGE,
    ConfigError,
    ContactNotLoadedError,
    GreeterError,
)
from greeter.journal_store import JournalKey
from greeter.plan_drafts import drafts
from greeter.plan_types import Draft, PlanItem, Rendered
from greeter.preview import shown_items, with_approval
from greeter.review import Envelope
from greeter.runtime import Inputs, load_inputs, load_planning_state
from greeter.transport import HALT_WORDS, FileTransport, Outcome, SendResult, Transport
from greeter.zone_label import local_time

#: What a test letter's Subject starts with: a forwarded or archived test is never taken for the real one.
TEST_PREFIX = "[TEST] "

#: How far ahead a contact's next letter is looked for: a year holds each yearly occasion once.
LOOK_AHEAD_DAYS = 365

#: Which plan item is the letter to test when several match: one that will go, then a skipped
#: one (its wording can still be checked), then one already sent.
_RANK = {"send": 0, "skip": 1, "sent": 2}


@dataclass(frozen=True)
class Choice:
    """The letter a test sends, as preview plans it; and the occasion asked for, if it rides in that one."""

    draft: Draft
    #: The occasion (and day) asked for, when it is merged into ``draft``'s letter: said, as that letter goes.
    merged: PlanItem | None = None


def plan_range(settings: Settings, today: date, day: date | None) -> tuple[date, int]:
    """Pure: the range to plan (first day, days): the year ahead, or the days around ``day``.

    Preview's range holds the occasions whose day less ``days_before`` is in
    it, so for one occasion day the range starts the longest ``days_before``
    earlier.
    """
    if day is None:
        return today, LOOK_AHEAD_DAYS
    before = max((o.days_before for o in settings.occasions), default=0)
    return day - timedelta(days=before), before + 1


def choose(planned: Sequence[Draft], occasion: str | None, day: date | None) -> Choice | None:
    """Pure: the letter to test among one contact's ``planned`` drafts, or None when none matches.

    The earliest matching one that will go, else the earliest skipped one,
    else one already sent. An occasion merged into another letter is tested
    as that letter, which is the one the client would get.
    """
    found = [
        d
        for d in planned
        if d.item.hit.dated
        and (occasion is None or d.item.hit.occasion == occasion)
        and (day is None or d.item.hit.date == day)
    ]
    if not found:
        return None
    pick = min(found, key=lambda d: (_RANK[d.item.status], d.item.hit.date))
    if pick.item.reason == "merged":
        key = pick.item.hit.key
        carrier = next(
            (d for d in planned if d.item.status == "send" and key in {h.key for h in d.item.also}), None
        )
        if carrier is not None:
            return Choice(carrier, merged=pick.item)
    return Choice(pick)


def real_fate(choice: Choice) -> list[str]:
    """Pure: what happens to the real letter, in words — the test changes none of it."""
    draft = choice.draft
    item, hit = draft.item, draft.item.hit
    lines: list[str] = []
    if choice.merged is not None:
        m = choice.merged.hit
        lines.append(
            f"{m.occasion} {m.date} goes inside the {hit.occasion} {hit.date} letter (merged):"
            " that letter is the one tested"
        )
    to = hit.contact.email or "(no e-mail)"
    if item.status == "send" and item.send_at is not None:
        lines.append(
            f"the real letter leaves {local_time(item.send_at)} (the recipient's time) to {to};"
            " this test did not wait for the send window"
        )
        approval = draft.extra.get("approval")
        if approval is not None and approval != "approved":
            lines.append(
                f"the real letter is held by the review gate: {approval.replace('_', ' ')} (review: required;"
                f" greeter approve --contact {hit.contact.id}); this test was sent all the same"
            )
    elif item.status == "sent":
        when = f" at {local_time(item.send_at)}" if item.send_at is not None else ""
        if item.sent_to and email_key(item.sent_to) != email_key(hit.contact.email or ""):
            # The journal's address, not the one the CRM gives now (support: "left … to" the new one).
            to = f"{item.sent_to} (the contact's address is {hit.contact.email or 'none'} now)"
        lines.append(f"the real letter already left{when} to {to}; this test does not send it again")
    else:
        detail = f": {item.detail}" if item.detail else ""
        lines.append(
            f"the real letter is skipped ({item.reason}{detail}); it will not be sent —"
            " this test only shows its wording"
        )
    return lines


def for_tester(item: PlanItem, to: str) -> PlanItem:
    """``item`` with its contact's address replaced by the tester's: the letter's To: and its
    unsubscribe links (body and header) are the tester's, everything else the client's."""
    contact = dataclasses.replace(item.hit.contact, email=to)
    return dataclasses.replace(item, hit=dataclasses.replace(item.hit, contact=contact))


def trial_message_id(domain: str) -> str:
    """A Message-ID of its own for each test: the real letter's (from its journal key) stays unused.

    Checked where every Message-ID is, by :func:`~greeter.message.build_message`.
    """
    return f"<greeter-test.{uuid.uuid4().hex}@{domain}>"


def build_trial(
    settings: Settings,
    rendered: Rendered,
    envelope: Envelope,
    *,
    at: datetime,
    secret: bytes | None,
    sign: Callable[[bytes], bytes] | None,
    client: str | None = None,
) -> bytes:
    """The test letter's bytes, built by the send's own builder (:func:`greeter.delivery.letter_bytes`):
    the Subject prefixed with :data:`TEST_PREFIX` and a fresh Message-ID; ``client``: the address of
    the contact whose letter it is, named in :data:`~greeter.erasure.TEST_OF_HEADER` by
    :func:`~greeter.erasure.tested_client` (it is addressed to the tester, and an erasure of the
    client must still find it in the outbox)."""
    tagged = dataclasses.replace(rendered, subject=TEST_PREFIX + rendered.subject.strip())
    if client is not None:  # whose letter it is: `greeter forget` finds a test letter by it
        headers = {**settings.delivery.headers, TEST_OF_HEADER: tested_client(client)}
        settings = settings.model_copy(
            update={"delivery": settings.delivery.model_copy(update={"headers": headers})}
        )
    return letter_bytes(
        settings, tagged, envelope, trial_message_id(settings.sender.domain), at, secret, sign
    )


class TrialOutbox(FileTransport):
    """The file transport writing ``test-<the letter's usual name>.eml``: clearly a test in the outbox.

    A second test of the same letter replaces the first; the real letter's file is never touched.
    """

    def _write(self, name: str, data: bytes) -> Path:
        return super()._write(f"test-{name}", data)

    def _place(self, tmp: Path, final: Path, data: bytes) -> None:
        """A test file is the tester's own, each with a fresh Message-ID: the next test replaces it."""
        os.replace(tmp, final)


def trial_transport(settings: Settings) -> Transport:
    """The configured transport (the real SMTP settings and password), or :class:`TrialOutbox`."""
    if settings.delivery.transport == "file":
        return TrialOutbox(settings.delivery.outbox)
    from greeter.send_transport import make_transport

    return make_transport(settings)


async def _hand_over(
    transport: Transport, envelope_from: str, to: str, data: bytes, key: JournalKey
) -> SendResult:
    """One letter through ``transport``, which is closed afterwards."""
    try:
        result = await transport.send(envelope_from, to, data, key)
    finally:
        await transport.close()
    assert result is not None, "no ready callback: the transport always attempts the letter"
    return result


def verdict(result: SendResult, to: str) -> tuple[int, str]:
    """Pure: the exit code and the line for the transport's answer to the test letter.

    0 accepted; 2 the server refused our login (a setting: as ``send`` stops
    at it); 1 the server refused the letter (a 5xx: its reply); 75 try again
    later — a 4xx, no server reached, the outbox not writable, or the
    connection lost after the letter was handed over (it may still arrive).
    """
    reply = result.reply
    if result.ok:
        return 0, f"test letter sent to {to}: {reply}"
    if result.halt_kind is not None:
        return EXIT_USAGE, f"{HALT_WORDS[result.halt_kind]}: {reply}; the test letter was not sent"
    if result.outcome is Outcome.UNCERTAIN:
        lost = f"the connection was lost after the test letter was handed over ({reply}): it may still arrive"
        return EXIT_TEMPFAIL, lost
    if result.code is not None and result.code >= 500:
        return EXIT_PROBLEMS, f"the server refused the test letter to {to}: {reply}"
    if result.code is not None:
        return EXIT_TEMPFAIL, f"the server put the test letter off: {reply}; try again later"
    return EXIT_TEMPFAIL, f"the test letter was not sent: {reply}; try again later"


def planned_drafts(inputs: Inputs, contact_id: str, *, now: datetime, start: date, days: int) -> list[Draft]:
    """One contact's drafts over the range, as ``preview --contact ID`` plans and renders them.

    An id no row has raises :class:`~greeter.errors.UnknownContactError`
    (exit 2, the words preview and approve use); a row that was rejected
    raises :class:`~greeter.errors.ContactNotLoadedError` saying why (exit 1).
    """
    settings = inputs.settings
    load_planning_state(inputs, now=now, start=start)
    report = inputs.new_report()
    window = inputs.window(now=now, start=start, days=days)
    items = shown_items(inputs, inputs.contacts(report, contact_id), window, contact_id)
    planned = list(drafts(items, inputs.renderer().render))
    if report.missing:
        raise ContactNotLoadedError(str(report.problems[-1]))
    if inputs.approvals is not None:
        planned = list(with_approval(planned, inputs.approvals, settings.sender))
    return planned


def nothing_to_test(contact_id: str, occasion: str | None, day: date | None, start: date, days: int) -> str:
    """Pure: why no letter was found, and where to look."""
    what = f"{occasion} letter" if occasion else "letter"
    when = f"for {day}" if day else f"planned {start} … {start + timedelta(days=days - 1)}"
    return (
        f"contact {contact_id} has no {what} {when}; what it has, and when:"
        f" greeter preview --contact {contact_id} --from DATE --days N"
    )


def run_test_send(
    config_file: Path,
    *,
    contact_id: str,
    occasion: str | None,
    day: date | None,
    to: str,
    now_text: str | None,
    clock: Callable[[], datetime] | None = None,
    inputs: Inputs | None = None,
) -> int:
    """Plan, render, build and deliver one contact's letter to ``to`` only; print what happened.

    ``now_text`` (``--now``) is the moment the letter is planned as of;
    ``clock`` dates the letter (its Date header: it leaves now), by default
    the real clock. Returns the exit code (:func:`verdict`). ``inputs``: those ``--contact`` was
    read from (:func:`~greeter.cli_options.contact_in_config`), planned from; None: loaded.
    """
    from greeter.check_sender import placeholder_warning
    from greeter.cli_options import check_occasion
    from greeter.cli_values import config_day, parse_now
    from greeter.dkim_sign import load_signer
    from greeter.secret_values import unsubscribe_secret
    from greeter.send_transport import checked_secrets

    inputs = inputs or load_inputs(config_file, today=config_day(now_text))
    settings = inputs.settings
    check_occasion(occasion, settings, titles=True)
    # The password, the unsubscribe secret, the DKIM key (read once: signed with below).
    missing, dkim_key = checked_secrets(settings, config_file)
    if missing:
        raise ConfigError(missing)
    now = parse_now(now_text, settings.defaults.timezone)
    from greeter.own_journal import refuse_moved_journal

    refuse_moved_journal(settings, config_file, now)  # its plan would be the stale journal's
    start, days = plan_range(settings, now.date(), day)
    choice = choose(planned_drafts(inputs, contact_id, now=now, start=start, days=days), occasion, day)
    if choice is None:
        print(nothing_to_test(contact_id, occasion, day, start, days), file=sys.stderr)
        return EXIT_USAGE
    client = choice.draft.item.hit.contact.email
    item = for_tester(choice.draft.item, to)
    hit = item.hit
    try:
        rendered = inputs.renderer().render(item)
        envelope = Envelope.of(hit.contact, settings.sender, rendered.locale)
        secret = unsubscribe_secret(settings.unsubscribe)
        at = (clock or (lambda: datetime.now(UTC)))()
        data = build_trial(
            settings,
            rendered,
            envelope,
            at=at.astimezone(now.tzinfo),
            secret=secret.encode() if secret else None,
            sign=load_signer(settings.delivery.dkim, dkim_key),
            client=client,
        )
    except GreeterError as exc:
        print(f"{hit.contact.id} {hit.occasion} {hit.date}: not sent: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    if (said := placeholder_warning(settings, (rendered.locale,))) is not None:
        print(f"warning: {said}", file=sys.stderr)
    result = asyncio.run(_hand_over(trial_transport(settings), settings.sender.email, to, data, hit.key))
    code, said = verdict(result, to)
    print(said, file=sys.stdout if code == 0 else sys.stderr)
    if code == 0:
        print(f"  {hit.contact.id} {hit.contact.display_name}: {hit.occasion} {hit.date}")
        print(f"  subject: {TEST_PREFIX}{rendered.subject.strip()}")
        for line in real_fate(choice):
            print(f"  {line}")
    return code
