"""A letter ``day_off_policy: on_day`` greets on its day off: the quota's expiry counts that window too.

``per_day: 2`` and ``catch_up_days: 0``. Saturday's two birthday letters leave at 17:25;
Sunday's one (its own day off, ``on_day``) is due at Sunday's last call, 17:21, and the
quota's next slot frees at 17:25, inside Sunday's window — which is open for that letter
(:func:`~greeter.calendar_rules.in_window`'s ``letter_day``), and the send hands it over
then. The run said it expires ("all of them expire before they could go", exit 1): it
asked when the recipient's window opens after the slot as for any letter, Monday 10:00,
past the end of its catch-up period at midnight. Real CLI processes, a real SMTP server,
a real SQLite journal.
"""

from __future__ import annotations

import json
from datetime import datetime

from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.test_day_quota import QUICKLY, per_day
from tests.test_send_e2e import greeter

SATURDAY_LAST_CALL = "2027-04-17T14:25:00+03:00"
SUNDAY_RUN = "2027-04-18T14:20:00+03:00"


def test_a_slot_freeing_inside_the_day_off_window_of_an_on_day_letter_does_not_expire_it(
    make_project: MakeProject,
) -> None:
    rows = [
        contact_row("1", "client1@example.com", birthday="17.04.1980"),
        contact_row("2", "client2@example.com", birthday="17.04.1981"),
        contact_row("3", "client3@example.com", birthday="18.04.1982"),
    ]
    with SmtpSink() as sink:
        config = make_project(
            rows, catch_up_days=0, send_window={"day_off_policy": "on_day"}, **per_day(sink.port, 2)
        )
        saturday = greeter(config, "send", "--once", "--json", "--now", SATURDAY_LAST_CALL, timeout=QUICKLY)
        assert saturday.returncode == 0, saturday.stdout + saturday.stderr
        assert json.loads(saturday.stdout)["sent"] == 2

        run = greeter(config, "send", "--once", "--json", "--now", SUNDAY_RUN, timeout=QUICKLY)
        summary = json.loads(run.stdout)
        assert (summary["due"], summary["sent"], summary["quota_unsent"]) == (1, 0, 1), summary
        free_at = datetime.fromisoformat(summary["quota_free_at"])
        assert free_at < datetime.fromisoformat("2027-04-18T17:30:00+03:00")  # Sunday's window is open then
        assert summary["quota_expiring"] == 0, summary
        assert run.returncode == 0, run.stderr
        assert datetime.fromisoformat(summary["next_send"]) == free_at

        dry = greeter(config, "send", "--once", "--dry-run", "--json", "--now", SUNDAY_RUN)
        letter = json.loads(dry.stdout)["letters"][0]
        assert letter["held"] == "daily_quota" and "catch-up" not in letter["detail"], letter

        # At the moment named, the send hands it over, on its Sunday.
        at_slot = greeter(config, "send", "--once", "--json", "--now", free_at.isoformat(), timeout=QUICKLY)
        assert json.loads(at_slot.stdout)["sent"] == 1, at_slot.stdout + at_slot.stderr
        assert len(sink.messages) == 3
