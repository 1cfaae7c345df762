"""``SmtpSink.refuse_after``: a provider's quota — N letters accepted, every one after refused.

The persona's provider (500 letters a day, 20 a minute) answers ``451 4.7.1 Rate limit
exceeded`` once the quota is spent; :meth:`SmtpSink.fail_next` could only refuse the *next*
letters. Real transport, real sink.
"""

from __future__ import annotations

import time

from greeter.testing import SmtpSink
from greeter.transport import Outcome
from tests.test_smtp_transport import item, send_one_by_one, transport_for

RATE = "4.7.1 Rate limit exceeded"


def test_refuse_after_accepts_n_then_refuses_every_letter_with_the_given_reply() -> None:
    with SmtpSink() as sink:
        sink.refuse_after(3, 451, RATE)
        before = time.monotonic()
        results = send_one_by_one(transport_for(sink, pool_size=1), [item(i) for i in range(1, 7)])
        assert [r.outcome for r in results] == [Outcome.OK] * 3 + [Outcome.TEMPORARY] * 3
        assert [r.reply for r in results[3:]] == [f"451 {RATE}"] * 3
        assert len(sink.messages) == 3 and sink.refused == [("DATA", 451)] * 3
        arrived = [m.received_at for m in sink.messages]
        assert before <= arrived[0] <= arrived[1] <= arrived[2] <= time.monotonic()


def test_refuse_after_counts_from_the_call_and_reset_lifts_it() -> None:
    with SmtpSink() as sink:
        sink.fail_next(1, 450)  # a scripted failure of the next letter still comes first
        first = send_one_by_one(transport_for(sink, pool_size=1), [item(1), item(2)])
        assert [r.code for r in first] == [450, 250]
        sink.refuse_after(1, 421)  # the default text; 421 also closes the connection
        second = send_one_by_one(transport_for(sink, pool_size=1), [item(3), item(4), item(5)])
        assert [r.code for r in second] == [250, 421, 421]
        assert len(sink.messages) == 2
        sink.reset()
        assert send_one_by_one(transport_for(sink, pool_size=1), [item(6)])[0].ok
