"""``preview --format eml`` files are not DKIM-signed, and say so when the sent letters are.

docs/commands.md said an eml file "is built as delivery builds the letter; only its Date differs",
yet with ``delivery.dkim`` the sent letter carries a DKIM-Signature the file never had. Signing
previews is wrong (the key is greeter's user's secret, and a signed file passed around for review
is a replayable letter of the domain): the docs and a note say it instead.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

NOW = "2027-04-15T09:00:00+03:00"
LATER = "2027-04-15T11:05:00+03:00"
NOTE = (
    "note: the files carry no DKIM-Signature (the key stays with the sender); the letters sent are signed: "
    "`greeter test-send` sends one to check it"
)


def _headers(folder: Path) -> list[list[str]]:
    return [
        [name for name, _ in message_from_bytes(p.read_bytes(), policy=policy.default).items()]
        for p in sorted(folder.glob("*.eml"))
    ]


def test_eml_files_say_they_carry_no_dkim_signature_the_sent_letter_has(
    make_project: MakeProject, keypair: tuple[Path, bytes]
) -> None:
    key, _der = keypair
    row = contact_row("1", "client1@example.com", first="Иван", patronymic="", last="Иванов").split(";")
    row[11] = "15.04.1980"  # Дата рождения
    dkim = {"domain": "example.com", "selector": "mail", "key_file": str(key)}
    config = make_project([";".join(row)], delivery={"dkim": dkim})
    runner = CliRunner()
    eml = config.parent / "eml"
    args = ["--config", str(config), "preview", "--from", "2027-04-15", "--days", "1", "--now", NOW]
    done = runner.invoke(main, [*args, "--format", "eml", "--out", str(eml)])
    assert done.exit_code == 0, done.stdout + done.stderr
    assert NOTE in done.stderr
    sent = runner.invoke(main, ["--config", str(config), "send", "--once", "--now", LATER])
    assert sent.exit_code == 0, sent.stdout + sent.stderr
    (previewed,), (delivered,) = _headers(eml), _headers(config.parent / "data" / "outbox")
    assert "DKIM-Signature" not in previewed and delivered[0] == "DKIM-Signature"
    assert delivered[1:] == previewed


def test_without_dkim_there_is_no_note(make_project: MakeProject) -> None:
    row = contact_row("1", "client1@example.com", first="Иван", patronymic="", last="Иванов").split(";")
    row[11] = "15.04.1980"
    config = make_project([";".join(row)])
    eml = config.parent / "eml"
    args = ["--config", str(config), "preview", "--from", "2027-04-15", "--days", "1", "--now", NOW]
    done = CliRunner().invoke(main, [*args, "--format", "eml", "--out", str(eml)])
    assert done.exit_code == 0, done.stdout + done.stderr
    assert "DKIM" not in done.stderr and len(_headers(eml)) == 1
