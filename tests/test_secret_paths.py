"""Secret files named relative to the config are read from the config's folder, as every other path is.

``delivery.smtp.password_file``, ``unsubscribe.secret_file`` and
``previous_secret_file`` were opened from the working directory: the shipped
systemd unit (``WorkingDirectory=/var/lib/greeter``, config in /etc/greeter) and
``cd /tmp && greeter -c /abs/brand/greeter.yaml send`` refused to start
(``secret.txt: unsubscribe secret: cannot read``), where the journal, the
contacts and the templates were found. Real processes run from another folder,
a real SQLite journal, the file outbox or an SMTP server that demands AUTH.
"""

from __future__ import annotations

import os
import subprocess
import sys
from email import message_from_bytes
from pathlib import Path
from typing import Any

from greeter.testing import SmtpSink
from greeter.unsubscribe import check_token, make_token
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import NOW, people, smtp

ROOT = Path(__file__).resolve().parent.parent
URL = "https://greet.romashka.example/unsubscribe"
KEY = "relative-secret-file-key-of-at-least-32-bytes"
OLD_KEY = "the-previous-secret-file-key-of-32-bytes-or-more"


def greeter_in(cwd: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``greeter --config CONFIG ARGS`` run with ``cwd`` as the working directory (not the config's folder)."""
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=cwd,
        check=False,
    )


def _secret(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def _relative_secrets(*, previous: bool = False) -> dict[str, Any]:
    """``unsubscribe`` with its key (and, if ``previous``, the old key) in files named relative to the config."""
    section: dict[str, Any] = {"url": URL, "secret_file": "secret.txt"}
    if previous:
        section["previous_secret_file"] = "old.txt"
    return {"unsubscribe": section}


def test_check_and_send_from_another_folder_read_the_unsubscribe_secret_files_beside_the_config(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = make_project(people(1), **_relative_secrets(previous=True))
    _secret(tmp_path, "secret.txt", KEY)
    _secret(tmp_path, "old.txt", OLD_KEY)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    checked = greeter_in(elsewhere, config, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    sent = greeter_in(elsewhere, config, "send", "--once", "--now", NOW)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "sent: 1" in sent.stdout
    [letter] = sorted((tmp_path / "data" / "outbox").glob("*.eml"))
    header = str(message_from_bytes(letter.read_bytes())["List-Unsubscribe"])
    token = header.split(f"{URL}/", 1)[1].split(">", 1)[0]
    assert check_token([KEY.encode()], token) == "client1@example.com"
    assert (tmp_path / "data" / "journal.sqlite3").is_file() and not list(elsewhere.iterdir())


def test_check_and_send_from_another_folder_log_in_with_the_password_file_beside_the_config(
    make_project: MakeProject, tmp_path: Path
) -> None:
    with SmtpSink(users={"greeter": "s3cret-pw"}) as sink:
        changes = smtp(sink.port)
        changes["delivery"]["smtp"].update({"username": "greeter", "password_file": "smtp-password"})
        config = make_project(people(1), **changes)
        _secret(tmp_path, "smtp-password", "s3cret-pw")
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        checked = greeter_in(elsewhere, config, "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert f"mail server: 127.0.0.1:{sink.port}: OK (no TLS, logged in as greeter)" in checked.stdout
        sent = greeter_in(elsewhere, config, "send", "--once", "--now", NOW)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert len(sink.messages) == 1


def _setting_at(config: Path, key: str) -> str:
    """``LINE:COL`` of ``key:`` in the config file, found by reading the file as a person would."""
    for number, line in enumerate(config.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith(f"{key}:"):
            return f"{number}:{len(line) - len(line.lstrip()) + 1}"
    raise AssertionError(f"{key}: not in {config}")


def test_a_missing_secret_file_is_told_at_its_setting_with_the_path_greeter_opened(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """``secret.txt: unsubscribe secret: cannot read`` named neither the setting nor where it looked."""
    with SmtpSink(users={"greeter": "s3cret-pw"}) as sink:
        changes = smtp(sink.port)
        changes["delivery"]["smtp"].update({"username": "greeter", "password_file": "no-password"})
        config = make_project(people(1), **changes, **_relative_secrets())
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        checked = greeter_in(elsewhere, config, "check")
        sent = greeter_in(elsewhere, config, "send", "--once", "--now", NOW)
    unsubscribe = (
        f"{config}:{_setting_at(config, 'secret_file')}: unsubscribe.secret_file: unsubscribe secret: "
        f"cannot read {tmp_path / 'secret.txt'} (No such file or directory)"
    )
    password = (
        f"{config}:{_setting_at(config, 'password_file')}: delivery.smtp.password_file: SMTP password: "
        f"cannot read {tmp_path / 'no-password'} (No such file or directory)"
    )
    assert checked.returncode == 2, checked.stdout + checked.stderr  # a secret it cannot read: as send
    assert unsubscribe in checked.stderr.splitlines() and password in checked.stderr.splitlines()
    assert sent.returncode == 2, sent.stdout + sent.stderr
    assert sent.stderr.splitlines() == [password, unsubscribe]
    assert sink.messages == []


def test_the_daemon_started_from_another_folder_reads_the_secret_file_beside_the_config(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """As the shipped unit runs it: working directory elsewhere, the config named by an absolute path."""
    config = make_project(people(1), **_relative_secrets())
    _secret(tmp_path, "secret.txt", KEY)
    elsewhere = tmp_path / "var-lib-greeter"
    elsewhere.mkdir()
    link = make_token(KEY.encode(), "client1@example.com")
    with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0", cwd=elsewhere) as daemon:
        daemon.wait_for("http_listening")
        status, _ = http(daemon.url(f"/unsubscribe/{link}"), b"List-Unsubscribe=One-Click")
        assert daemon.stop() == 0
        assert daemon.named("cannot_start") == []
    assert status == 200
