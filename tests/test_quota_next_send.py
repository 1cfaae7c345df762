"""After a run that spent the daily quota, the next moment named is one at which a letter can leave.

``per_day: 3`` and three letters due at 11:00 Moscow time: the run sends the three and the
quota has no slot until 11:00 tomorrow. A fourth letter, to New York, is planned for later
today. The run said ``next_send`` — the moment the daemon wakes for, ``/healthz`` and
``/metrics`` show — was that letter's, when nothing can leave before the quota frees a slot.
Real CLI processes, a real SMTP server, a real SQLite journal.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.test_day_quota import QUICKLY, per_day, send_json
from tests.test_send_e2e import NOW, greeter, people


def test_a_quota_spent_by_the_last_due_letter_holds_the_next_send_until_its_slot_frees(
    make_project: MakeProject,
) -> None:
    new_york = contact_row("9", "ny@example.com", birthday="14.04.1980", tz="America/New_York")
    with SmtpSink() as sink:
        config = make_project([*people(3), new_york], **per_day(sink.port, 3))
        summary = send_json(config, NOW)
        assert (summary["due"], summary["sent"], summary["quota_unsent"]) == (3, 3, None), summary
        planned = datetime.fromisoformat(summary["next_letter"]["send_at"])
        now = datetime.fromisoformat(NOW)
        assert summary["next_letter"]["contact_id"] == "9" and planned < now + timedelta(hours=24)
        next_send = datetime.fromisoformat(summary["next_send"])
        # The first of the three sends ages out of the quota's 24 hours: nothing leaves before.
        assert now + timedelta(hours=24) <= next_send <= now + timedelta(hours=24, seconds=QUICKLY)

        # A run at the moment first named sends nothing: the quota is still spent.
        at_letter = send_json(config, planned.isoformat())
        assert (at_letter["due"], at_letter["sent"], at_letter["quota_unsent"]) == (1, 0, 1), at_letter
        assert datetime.fromisoformat(at_letter["quota_free_at"]) == next_send

        text = greeter(config, "send", "--once", "--now", NOW, timeout=QUICKLY)
        assert text.returncode == 0, text.stderr
        assert "next letter due" in text.stdout and "daily quota" in text.stdout, text.stdout
        free = next_send.astimezone(now.tzinfo)
        shown = f"{free:%Y-%m-%d %H:%M}{f':{free:%S}' if free.second else ''} MSK"
        assert f"the daily quota (delivery.rate_limit.per_day) frees its next slot at {shown}" in text.stdout
        assert len(sink.messages) == 3
