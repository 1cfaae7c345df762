"""``greeter check``'s exit code for what ``send`` and ``run`` refuse, and for an outbox no letter can reach.

Found in a container: a secret file the non-root user cannot read (``0400 root``), or an unset
``password_env``, made ``check`` exit 1 while ``send --once`` and ``run`` exit 2 ("configuration
error") for the same config; and an outbox the pod's UID could not write was only a warning,
``check: OK``, while every letter of ``send --once`` went to ``retry`` (exit 75).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00"


def _people(n: int) -> list[str]:
    return [contact_row(f"c{i}", f"c{i}@example.com", birthday="01.12.1980") for i in range(1, n + 1)]


def _smtp_project(make_project: MakeProject, smtp: dict[str, object]) -> Path:
    # a port nothing listens on: the password is read, and refused, before any connection
    return make_project(
        _people(1), delivery={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": 9, **smtp}}
    )


@pytest.mark.parametrize("where", ["file", "env"])
def test_a_missing_smtp_password_is_exit_2_for_check_as_for_send(
    make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """On base: check exit 1, send --once exit 2."""
    monkeypatch.delenv("GREETER_TEST_NO_SUCH_PASSWORD", raising=False)
    smtp: dict[str, object] = (
        {"username": "greeter", "password_file": str(tmp_path / "no-such-password")}
        if where == "file"
        else {"username": "greeter", "password_env": "GREETER_TEST_NO_SUCH_PASSWORD"}
    )
    config = _smtp_project(make_project, smtp)
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    sent = CliRunner().invoke(main, ["--config", str(config), "send", "--once", "--now", NOW])
    assert sent.exit_code == 2, sent.output
    assert checked.exit_code == 2, checked.output
    assert "SMTP password" in checked.stderr


def test_an_outbox_the_sender_cannot_write_fails_check(make_project: MakeProject) -> None:
    """On base: a warning, ``check: OK`` and exit 0, while send --once exits 75."""
    config = make_project(_people(1), delivery={"outbox": "data/blocker/outbox"})
    (config.parent / "data" / "blocker").write_text("not a folder\n", encoding="utf-8")
    checked = CliRunner().invoke(main, ["--config", str(config), "check", "--now", NOW])
    assert checked.exit_code == 1, checked.output
    assert checked.stdout.splitlines()[-1] == "check: 1 problem(s)"
    assert "delivery.outbox: cannot write to outbox" in checked.stderr
