"""``send --once`` says when the next letter leaves, so a quiet run is not mistaken for a broken one.

Found by a first-day user: README promises ``.eml`` files from ``send --once``
during working hours, but on Thursday 3 December 2026 at 16:57 Moscow time it
printed ``due 0; sent: 0; …``, made no outbox, and nothing said that the first
letter leaves on Friday at 10:00 in its recipient's zone (+07), as ``preview``
shows. Now the summary — text, ``--json`` and ``--dry-run`` — names the next
letter and when it leaves: the moment the daemon wakes for (its run log's
``next_send``), planned by the same look-ahead, nothing planned twice.

Real CLI processes on a file-transport project (the example config's own);
the oracle for "when" is ``greeter preview``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import MakeProject, contact_row
from tests.test_send_e2e import greeter

#: Thursday 3 December 2026, 16:57 in Moscow (the config's zone, as a user types it): inside the send window.
NOW = "2026-12-03 16:57"
MOMENT = datetime(2026, 12, 3, 16, 57, tzinfo=ZoneInfo("Europe/Moscow"))


def novosibirsk(cid: str, birthday: str) -> str:
    """A contact at +07, whose birthday letter leaves at their 10:00-ish, Moscow's early morning."""
    return contact_row(cid, f"client{cid}@example.com", birthday=birthday, tz="Asia/Novosibirsk")


def first_planned(config: Path) -> dict[str, Any]:
    """The earliest letter ``preview`` plans to leave after ``NOW``: the one the summary must name."""
    shown = greeter(config, "preview", "--now", NOW, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    rows = [r for r in json.loads(shown.stdout) if r["status"] == "send"]
    later = [r for r in rows if datetime.fromisoformat(r["send_at"]) > MOMENT]
    return min(later, key=lambda r: datetime.fromisoformat(r["send_at"]))


def moscow(at: datetime) -> str:
    """A moment as the summary writes it: the config's zone, to the minute (to the second off one)."""
    local = at.astimezone(MOMENT.tzinfo)
    return f"{local:%Y-%m-%d %H:%M:%S} MSK" if local.second else f"{local:%Y-%m-%d %H:%M} MSK"


def test_a_moment_off_the_minute_is_said_to_the_second() -> None:
    """ "next letter due 12:00" right after a run at 12:00 that sent nothing: the letter was due 12:00:18."""
    from greeter.send_report import _when

    msk = ZoneInfo("Europe/Moscow")
    now = datetime(2026, 12, 7, 12, 0, tzinfo=msk)
    assert _when(datetime(2026, 12, 7, 9, 0, 18, tzinfo=ZoneInfo("UTC")), now) == "2026-12-07 12:00:18 MSK"
    assert _when(datetime(2026, 12, 7, 9, 5, tzinfo=ZoneInfo("UTC")), now) == "2026-12-07 12:05 MSK"


def test_a_run_with_nothing_due_says_when_the_next_letter_leaves(make_project: MakeProject) -> None:
    """The reported case: nothing due at 16:57 on a Thursday, the first letter Friday 10:00 +07."""
    config = make_project(
        [novosibirsk("7", "04.12.1980"), contact_row("8", "b@example.com", birthday="09.12.1981")]
    )
    first = first_planned(config)
    assert first["contact_id"] == "7" and first["send_at"].endswith("+07:00"), first
    at = datetime.fromisoformat(first["send_at"])
    local = f"{at:%H:%M} +07"

    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    line = sent.stdout.strip()
    assert line.startswith("2026-12-03 16:57 MSK: due 0; sent: 0;"), line
    assert line.endswith(f"; next letter due {moscow(at)} (7 birthday, {local} recipient's time)"), line
    assert not (config.parent / "data" / "outbox").exists()  # nothing was due: no outbox yet

    as_json = json.loads(greeter(config, "send", "--once", "--now", NOW, "--json").stdout)
    assert datetime.fromisoformat(as_json["next_send"]) == at
    assert as_json["next_send"] == at.astimezone(MOMENT.tzinfo).isoformat()  # in the zone "now" is in
    assert as_json["next_letter"] == {
        "send_at": first["send_at"],
        "contact_id": "7",
        "occasions": ["birthday"],
    }
    assert as_json["planned_through"] >= "2026-12-17"  # min_gap_days (14) after today at least

    dry = greeter(config, "send", "--once", "--dry-run", "--now", NOW)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert dry.stdout.strip() == (
        f"dry run: 0 greeting(s) due at {MOMENT.isoformat()}; nothing claimed or sent"
        f"; next letter due {moscow(at)} (7 birthday, {local} recipient's time)"
    )
    dry_json = json.loads(greeter(config, "send", "--once", "--dry-run", "--now", NOW, "--json").stdout)
    assert (dry_json["next_send"], dry_json["next_letter"]) == (as_json["next_send"], as_json["next_letter"])


def test_a_run_that_sent_what_was_due_names_the_letter_after_it(make_project: MakeProject) -> None:
    """Not everything due: yesterday's birthday goes now, the summary names the one on the 9th."""
    config = make_project(
        [
            contact_row("1", "now@example.com", birthday="02.12.1980"),
            contact_row("2", "l@example.com", birthday="09.12.1981"),
        ]
    )
    first = first_planned(config)
    assert first["contact_id"] == "2", first
    at = datetime.fromisoformat(first["send_at"])

    sent = greeter(config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0 and "due 1; sent: 1;" in sent.stdout, sent.stdout + sent.stderr
    assert sent.stdout.strip().endswith(f"; next letter due {moscow(at)} (2 birthday)"), sent.stdout
    assert len(list((config.parent / "data" / "outbox").glob("*.eml"))) == 1


def test_nothing_planned_within_the_look_ahead_is_said_and_is_null_in_json(make_project: MakeProject) -> None:
    config = make_project([contact_row("1", "june@example.com", birthday="15.06.1980")])
    # Three weeks before the New Year letter (29.12): outside the look-ahead, which reaches the
    # longest run of days off (LONGEST_DAYS_OFF) past the cap's gap for clients of other countries.
    now = "2026-11-20 16:57"
    sent = greeter(config, "send", "--once", "--now", now, "--json")
    assert sent.returncode == 0, sent.stderr
    summary = json.loads(sent.stdout)
    assert (summary["next_send"], summary["next_letter"]) == (None, None)
    through = summary["planned_through"]
    assert "2026-12-04" <= through < "2026-12-29", through
    text = greeter(config, "send", "--once", "--now", now)
    assert text.stdout.strip().endswith(
        f"; no letter planned for occasions through {through} (greeter preview looks further ahead)"
    ), text.stdout
    dry = greeter(config, "send", "--once", "--dry-run", "--now", now)
    assert dry.stdout.strip().endswith(
        f"; no letter planned for occasions through {through} (greeter preview looks further ahead)"
    ), dry.stdout


def test_a_retry_sooner_than_the_next_letter_is_said_first(make_project: MakeProject) -> None:
    """An outbox that cannot be written: the letter waits in retry for 60 s, before Friday's letter."""
    config = make_project(
        [contact_row("1", "now@example.com", birthday="02.12.1980"), novosibirsk("7", "04.12.1980")],
        delivery={"outbox": "data/blocker/outbox", "retry": {"initial_seconds": 60}},
    )
    (config.parent / "data" / "blocker").write_text("not a folder\n", encoding="utf-8")
    at = datetime.fromisoformat(first_planned(config)["send_at"])
    sent = greeter(config, "send", "--once", "--now", NOW, "--json")
    assert sent.returncode == 75, sent.stdout + sent.stderr
    summary = json.loads(sent.stdout)
    retry_at = datetime.fromisoformat(summary["next_send"])
    assert MOMENT + timedelta(seconds=60) <= retry_at < MOMENT + timedelta(seconds=120), summary
    assert summary["next_letter"]["contact_id"] == "7"
    assert datetime.fromisoformat(summary["next_letter"]["send_at"]) == at
    text = greeter(config, "send", "--once", "--now", NOW)  # before the backoff: nothing due again
    assert (
        f"; next retry due {moscow(retry_at)}; next letter due {moscow(at)} (7 birthday, " in text.stdout
    ), text.stdout
