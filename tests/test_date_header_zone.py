"""The Date header of a sent letter and of its ``preview --format eml`` file are written alike: in UTC.

Before, ``send`` wrote the deliverer's clock as it came (UTC, ``+0000``) while the
preview wrote the letter's planned send time in the recipient's zone (``+0300``):
the same letter's two files differed in more than the moment.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

NOW = "2027-04-15T09:00:00+03:00"  # Moscow, the birthday's morning: the letter is planned for 11:03
LATER = "2027-04-15T11:05:00+03:00"  # and is due


def _dates(folder: Path) -> list[str]:
    return [
        str(message_from_bytes(p.read_bytes(), policy=policy.default)["Date"]) for p in folder.glob("*.eml")
    ]


def test_sent_and_previewed_letters_write_their_date_in_utc(make_project: MakeProject) -> None:
    row = contact_row("1", "client1@example.com", first="Иван", patronymic="", last="Иванов").split(";")
    row[11] = "15.04.1980"  # Дата рождения
    config = make_project([";".join(row)])
    runner = CliRunner()
    eml = config.parent / "eml"
    args = ["--config", str(config), "preview", "--from", "2027-04-15", "--days", "1", "--now", NOW]
    done = runner.invoke(main, [*args, "--format", "eml", "--out", str(eml)])
    assert done.exit_code == 0, done.stdout + done.stderr
    done = runner.invoke(main, ["--config", str(config), "send", "--once", "--now", LATER])
    assert done.exit_code == 0, done.stdout + done.stderr
    previewed, sent = _dates(eml), _dates(config.parent / "data" / "outbox")
    assert len(previewed) == len(sent) == 1
    for header in (*previewed, *sent):
        assert header.endswith(" +0000"), (previewed, sent)
    # The same instant as before: only the way it is written changed.
    assert parsedate_to_datetime(sent[0]).isoformat() == "2027-04-15T08:05:00+00:00"
