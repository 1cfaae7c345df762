"""Whether delivery works, judged from one run's verdicts: one rule for ``send --once`` and the daemon.

``send --once`` exits 75 (try again later) and the daemon turns "degraded"
(``/healthz`` 503, a warning ``run`` line, ``greeter_delivery_degraded 1``,
the last success not advancing) on the same facts: letters were attempted,
none was accepted, and they wait in ``retry`` — the mail server could not be
reached, or answered 4xx to every letter, or the outbox could not be
written. Two rules drifted apart before: a relay answering 4xx to every
letter made ``send --once`` exit 75 while the daemon said "ok".
"""

from __future__ import annotations

from greeter.delivery import Summary, grouped_replies

#: Said when no retry reply was recorded (not expected: a retry always has its reply).
_NO_REPLY = "the mail server accepted none of the letters"


def delivery_problem(summary: Summary, before: str | None = None) -> str | None:
    """Why delivery is not working after a run with this summary; None: it works. Pure.

    * The batch stopped at a login the server refuses or demands
      (``Summary.halted``): its words — nothing gets out until the config
      changes;
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
    counts = summary.counts
    answered = counts["sent"] or counts["failed"] or counts["uncertain"]
    if counts["retry"] and not answered:
        retries = [reply for state, reply, _, _ in grouped_replies(summary.replies) if state == "retry"]
        return retries[0] if retries else _NO_REPLY
    if answered:
        return None
    return before
