"""The run summary (greeter.delivery.Summary): counts, and why letters were held back or refused."""

from __future__ import annotations

from datetime import date

from greeter.delivery import Summary


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
