"""Whether delivery works, judged from one run's verdicts: one rule for ``send --once`` and the daemon.

``send --once`` exits 75 (try again later) and the daemon turns "degraded"
(``/healthz`` 503, a warning ``run`` line, ``greeter_delivery_degraded 1``,
the last success not advancing) on the same facts: letters were attempted,
none was accepted, and they wait in ``retry`` — the mail server could not be
reached, or answered 4xx to every letter, or the outbox could not be
written. Two rules drifted apart before: a relay answering 4xx to every
letter made ``send --once`` exit 75 while the daemon said "ok".

A server refusing our mail as unauthenticated (SPF/DKIM/DMARC, RFC 7372
5.7.2x) is such a fact too, even when some letters got through: those
letters wait in ``retry`` for a fix to the sender domain's DNS that no
retry brings, and expire at their deadline unless someone acts.
"""

from __future__ import annotations

from greeter.delivery_summary import Summary, grouped_replies
from greeter.reply_classes import sender_auth_status
from greeter.transport import OUTBOX_UNWRITABLE, held_back_reply

#: Said when no retry reply was recorded (not expected: a retry always has its reply).
_NO_REPLY = "the mail server accepted none of the letters"


def delivery_problem(summary: Summary, before: str | None = None) -> str | None:
    """Why delivery is not working after a run with this summary; None: it works. Pure.

    * The batch stopped at a login the server refuses or demands, or at a
      relay that refuses greeter's host, EHLO name or sender
      (``Summary.halted``): its words — nothing gets out until the config
      changes;
    * a letter went to ``retry`` because the server refused our mail as
      unauthenticated (:func:`~greeter.reply_classes.sender_auth_status`): what
      to fix, with the reply — whatever else the run did;
    * a letter went to ``retry`` because the outbox could not be written
      (``transport: file``; a full disk): that reply — the disk, unlike a
      server, does not take the rest later by itself, and 12 letters written
      before the disk filled must not make 387 stuck ones read as success;
    * every letter attempted went to ``retry``: the commonest retry reply
      (``cannot connect to mx:25: connection refused``, ``451 4.3.0 …``);
    * any other verdict (sent, a 5xx refusal, a letter handed over whose
      answer was lost) shows the server works: None — ``send --once`` exits
      0 or, for a failed or uncertain letter, 1;
    * nothing attempted tells nothing: ``before`` holds (the daemon may
      probe the server to learn more).
    """
    if summary.halted is not None:
        return summary.halted
    if (refused := unauthenticated_problem(summary)) is not None:
        return refused
    retries = [reply for state, reply, _, _ in grouped_replies(summary.replies) if state == "retry"]
    if unwritable := [reply for reply in retries if reply.startswith(OUTBOX_UNWRITABLE)]:
        return unwritable[0]
    counts = summary.counts
    answered = counts["sent"] or counts["failed"] or counts["uncertain"]
    if counts["retry"] and not answered:
        return retries[0] if retries else _NO_REPLY
    if answered:
        return None
    return before


def run_result(summary: Summary, problem: str | None) -> str:
    """``greeter_runs_total``'s ``result`` of a run that completed, given its :func:`delivery_problem`. Pure.

    * ``degraded``: ``problem`` — nothing got out and the letters wait (``send --once`` exits 75);
    * ``refused``: letters were answered, none accepted, and at least one refused for good
      (``failed``: a 5xx, or a 4xx past the catch-up deadline) — ``send --once`` exits 1 for the
      same run, every letter it tried failed. Counted ``ok`` before, it left an alert on failed
      runs silent while a provider refused every letter;
    * ``ok``: it delivered, had nothing to deliver, or got letters accepted beside its refusals
      (those are in ``greeter_delivery_failures_total``).
    """
    if problem is not None:
        return "degraded"
    counts = summary.counts
    return "refused" if counts["failed"] and not counts["sent"] else "ok"


def unauthenticated_problem(summary: Summary) -> str | None:
    """What to fix when a letter of this run went to ``retry`` refused as unauthenticated, or None. Pure.

    Named apart from :func:`delivery_problem` so that ``send --once`` can say it
    too: its exit code alone (75, try again later) does not tell that
    a DNS record, not the recipient's server, keeps the letters back.
    """
    for state, reply, _, _ in grouped_replies(summary.replies):
        cause = held_back_reply(reply) or reply  # a letter the breaker held back names the reply
        if state == "retry" and sender_auth_status(cause) is not None:
            return (
                f"the receiving server rejects our mail as unauthenticated (SPF/DKIM/DMARC: {cause}): "
                "fix the sender domain's DNS records or delivery.dkim; "
                "the letters are retried until their deadline"
            )
    return None
