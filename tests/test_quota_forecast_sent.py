"""The quota forecast starts from the letters already sent in the last 24 hours.

Moscow clients with a birthday on Friday 15.01.2027, ``catch_up_days: 2``: ``send --once`` at
12:00 sends some and leaves the rest to expire (the next slot frees on Saturday, the window
opens on Monday, the catch-up period has ended). ``preview`` half an hour later offered the
spent slots again — «… lets 2 through; 1 held back: 1 expire» — where every letter left is lost. Real send to the SMTP sink, real SQLite journal, real ``preview``.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from greeter.quota_plan import QuotaLetter, quota_forecast
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.test_day_quota import per_day
from tests.test_send_e2e import greeter, people

MSK = ZoneInfo("Europe/Moscow")
FRIDAY = date(2027, 1, 15)


def test_preview_forecasts_from_the_slots_the_sent_letters_took(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(4, day="15.01.1980"), catch_up_days=2, **per_day(sink.port, 2))
        run = greeter(config, "send", "--once", "--json", "--now", "2027-01-15T12:00:00+03:00")
        summary = json.loads(run.stdout)
        sent = summary["sent"]
        assert sent >= 1 and summary["quota_expiring"] >= 1, run.stdout
        assert len(sink.messages) == sent
        args = ("preview", "--now", "2027-01-15T12:30:00+03:00", "--from", "2027-01-15", "--days", "1")
        table = greeter(config, *args)
        assert table.returncode == 0, table.stderr
        notes = [line for line in table.stderr.splitlines() if line.startswith("note: 15.01.2027")]
        planned, allowed = 4 - sent, 2 - sent
        assert notes == [
            f"note: 15.01.2027: {planned} letters planned, delivery.rate_limit.per_day lets {allowed} through"
            f" ({sent} already sent in the last 24 hours); {planned - allowed} held back"
            f" (birthday {planned - allowed}): {planned - allowed} expire (their catch-up period ends first)"
        ], table.stderr
        check = greeter(config, "check", "--now", "2027-01-15T12:30:00+03:00")
        assert notes[0].removeprefix("note: ") in check.stdout + check.stderr, check.stdout + check.stderr
        out = greeter(config, *args, "--format", "json")
        assert out.returncode == 0, out.stderr
        entries = json.loads(out.stdout)
        held = [e["quota_held"]["fate"] for e in entries if e["quota_held"]]
        assert held == ["expires"] * (planned - allowed), entries
        # the letters sent are no planned letters: none is held, none counted
        assert sum(e["status"] == "sent" for e in entries) == sent
        assert all(e["quota_held"] is None for e in entries if e["status"] == "sent")


def test_the_forecast_gives_the_day_of_a_send_its_slots_less_the_sent() -> None:
    deadline = datetime(2027, 1, 20, tzinfo=MSK)
    letters = [QuotaLetter((str(i), "birthday", FRIDAY), FRIDAY, deadline, (50,)) for i in (1, 2)]
    morning = datetime(2027, 1, 15, 9, tzinfo=MSK)
    [day] = quota_forecast(letters, 2, MSK, sent=[morning])
    assert (day.allowed, day.sent, day.later) == (1, 1, (("2", "birthday", FRIDAY),))
    # a send at 23:00 the day before holds its slot until 23:00 (a rolling 24 hours, as the limiter
    # counts): with no window to wait for, the second letter goes then, on its day
    evening = quota_forecast(letters, 2, MSK, sent=[datetime(2027, 1, 14, 23, tzinfo=MSK)])
    assert evening == []
