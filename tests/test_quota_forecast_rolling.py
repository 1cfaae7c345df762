"""The quota forecast counts a rolling 24 hours, as the send's limiter does, not calendar days.

``per_day: 3``. Thursday 15.04.2027's three birthday letters leave at 17:25 (the day's last
call); Friday's three are planned within Friday's window, which ends at 14:30 (the 15:00
cut-off, less the quiet half hour). The limiter has no slot before 17:25 on Friday — the
window closed by then — so Friday's letters wait for Monday. ``check`` counted by the
config zone's days: Thursday's sends took Thursday's slots, Friday had three free, and it
said nothing. Real CLI processes, a real SMTP server, a real SQLite journal.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from greeter.calendar_rules import build_calendar
from greeter.config_window import SendWindow
from greeter.quota_plan import QuotaLetter, quota_forecast, window_opener
from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.test_day_quota import QUICKLY, per_day
from tests.test_send_e2e import greeter, people

MSK = ZoneInfo("Europe/Moscow")
THURSDAY_LAST_CALL = "2027-04-15T17:25:00+03:00"
FRIDAY_LAST_CALL = "2027-04-16T14:25:00+03:00"
FRIDAY_NOTE = (
    "16.04.2027: 3 letters planned, delivery.rate_limit.per_day lets 0 through (3 already sent in the"
    " last 24 hours); 3 held back (birthday 3): 3 go on a later day if the quota has room then"
)


def test_check_and_the_send_agree_on_a_quota_spent_the_evening_before(make_project: MakeProject) -> None:
    rows = people(3, day="15.04.1980") + [
        contact_row(str(i), f"friday{i}@example.com", birthday="16.04.1980") for i in range(4, 7)
    ]
    with SmtpSink() as sink:
        config = make_project(rows, catch_up_days=3, **per_day(sink.port, 3))
        thursday = greeter(config, "send", "--once", "--json", "--now", THURSDAY_LAST_CALL, timeout=QUICKLY)
        assert json.loads(thursday.stdout)["sent"] == 3, thursday.stdout + thursday.stderr

        check = greeter(config, "check", "--now", "2027-04-15T17:30:00+03:00")
        said = check.stdout + check.stderr
        assert FRIDAY_NOTE in said, said
        assert "19.04.2027" not in said, said  # Monday has room for the three
        preview = greeter(config, "preview", "--now", "2027-04-15T17:30:00+03:00", "--format", "json")
        held = [e["quota_held"] for e in json.loads(preview.stdout) if e["quota_held"]]
        assert [(h["day"], h["fate"]) for h in held] == [("2027-04-16", "later")] * 3, held

        # The send agrees: on Friday's last call nothing leaves; on Monday the three do.
        friday = json.loads(greeter(config, "send", "--once", "--json", "--now", FRIDAY_LAST_CALL).stdout)
        assert (friday["due"], friday["sent"], friday["quota_unsent"], friday["quota_expiring"]) == (
            3,
            0,
            3,
            0,
        )
        monday = json.loads(
            greeter(config, "send", "--once", "--json", "--now", "2027-04-19T10:30:00+03:00").stdout
        )
        assert (monday["due"], monday["sent"]) == (3, 3), monday
        assert len(sink.messages) == 6


def test_a_letter_held_in_the_morning_goes_when_a_slot_frees_the_same_afternoon() -> None:
    """Sent at 11:00 the day before, the slot frees at 11:00, inside the window: the letter planned
    at 10:30 goes on its day, as the limiter lets it (no day over the quota)."""
    window = SendWindow()
    opens = window_opener(MSK, window, build_calendar(window, "RU", [2027]))
    tuesday = date(2027, 4, 13)
    at = datetime(2027, 4, 13, 10, 30, tzinfo=MSK)
    letter = QuotaLetter(
        ("1", "birthday", tuesday), tuesday, datetime(2027, 4, 17, tzinfo=MSK), (100,), opens, at
    )
    sent = [datetime(2027, 4, 12, 11, 0, tzinfo=MSK)]
    assert quota_forecast([letter], 1, MSK, sent, now=datetime(2027, 4, 12, 17, 0, tzinfo=MSK)) == []
    # Sent at 17:40 instead (another run, past the window), the slot frees after Tuesday's window
    # has closed (17:30): it waits for Wednesday.
    late = [datetime(2027, 4, 12, 17, 40, tzinfo=MSK)]
    [day] = quota_forecast([letter], 1, MSK, late, now=datetime(2027, 4, 12, 17, 45, tzinfo=MSK))
    assert (day.day, day.allowed, day.sent, day.later, day.expire) == (tuesday, 0, 1, (letter.key,), ())
