"""The run summary (greeter.delivery_summary.Summary): counts, and why letters were held back or refused."""

from __future__ import annotations

import signal
from collections import Counter
from datetime import date

import pytest

from greeter.delivery_summary import Summary, grouped_replies
from greeter.send_result import RunResult, exit_code
from greeter.sources import LoadReport


def test_replies_are_grouped_most_letters_first_and_capped() -> None:
    s = Summary()
    s.replies[("retry", "cannot connect to mx:25: connection refused")] += 18
    s.replies[("failed", "550 5.1.1 no such user")] += 2
    assert s.reply_lines() == [
        "retry ×18: cannot connect to mx:25: connection refused",
        "failed ×2: 550 5.1.1 no such user",
    ]
    for i in range(6):
        s.replies[("retry", f"451 4.7.1 try later #{i}")] += 1
    lines = s.reply_lines(most=5)
    assert len(lines) == 6 and lines[0].startswith("retry ×18")
    assert lines[-1] == "… and 3 other replies (greeter history --state retry|failed)"


def test_a_workers_summary_adds_up() -> None:
    main, worker = Summary(), Summary()
    main.replies[("retry", "421 busy")] += 1
    worker.replies[("retry", "421 busy")] += 2
    worker.counts["render_error"] += 1
    worker.errors.append(f"c1 birthday {date(2027, 1, 7)}: boom")
    main.merge(worker)
    assert main.replies[("retry", "421 busy")] == 3
    assert main.counts["render_error"] == 1 and main.failed


def run(
    *, stopped_by: signal.Signals | None = None, halted: bool = False, recovered: int = 0, **counts: int
) -> RunResult:
    summary = Summary()
    summary.counts.update(counts)
    summary.halted = "SMTP AUTH as 'greeter' refused by mx:25: 535 5.7.8 nope" if halted else None
    return RunResult(
        summary, LoadReport("csv"), due=sum(counts.values()), recovered=recovered, stopped_by=stopped_by
    )


@pytest.mark.parametrize(
    ("result", "code"),
    [
        (run(sent=5), 0),
        (run(), 0),  # nothing due
        (run(sent=4, retry=1), 0),  # the server works: a 4xx retry goes out by itself
        (run(retry=5), 75),  # nothing delivered: try again later
        (run(retry=4, failed=1), 1),  # a failure needs a person, whatever else happened
        (run(sent=5, recovered=2), 1),  # a crashed run's claims recorded uncertain by this one
        (run(sent=3, uncertain=1), 1),
        (run(halted=True), 2),  # the login was refused: the config must change
        (run(retry=5, stopped_by=signal.SIGHUP), 129),
        (run(halted=True, stopped_by=signal.SIGTERM), 143),
    ],
)
def test_send_exit_codes_first_rule_wins(result: RunResult, code: int) -> None:
    assert exit_code(result) == code


def test_letters_the_breaker_held_back_count_with_the_outage_that_opened_it() -> None:
    """Pure: ``not attempted: X; retried later`` joins X's line; without an X it keeps its words."""
    refused = "cannot connect to mx:25: connection refused"
    replies = Counter(
        {
            ("retry", refused): 4,
            ("retry", f"not attempted: {refused}; retried later"): 4,
            ("retry", "not attempted: no reply in 30 s; retried later"): 1,
            ("failed", "550 5.1.1 no such user"): 2,
        }
    )
    assert grouped_replies(replies) == [
        ("retry", refused, 8, 4),
        ("failed", "550 5.1.1 no such user", 2, 0),
        ("retry", "not attempted: no reply in 30 s; retried later", 1, 0),
    ]
    assert Summary(replies=replies).reply_lines()[0] == (
        f"retry ×8: {refused} (4 tried, 4 not attempted after that)"
    )
