"""``unsubscribe.secret_file``: the one-click links' key from a mounted secret, as ``password_file`` is.

Every command that signs or checks a link reads it (``send``, ``run``,
``preview``, ``check``, the test letter: :func:`greeter.secret_values.unsubscribe_secret`);
a key too short to be safe is refused naming the file, as a variable is named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.testing import SmtpSink
from greeter.unsubscribe import check_token
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import NOW, greeter, people, smtp

URL = "https://greet.romashka.example/unsubscribe"
KEY = "c2VjcmV0LWtleS1mb3ItdGhlLW9uZS1jbGljay1saW5rcw=="  # 48 bytes


def _secret_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "unsubscribe-secret"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def test_send_signs_the_links_with_the_secret_file_and_the_daemon_honours_them(
    make_project: MakeProject, tmp_path: Path
) -> None:
    secret = _secret_file(tmp_path, KEY + "\n")  # an editor's line break is not part of the key
    with SmtpSink() as sink:
        config = make_project(
            people(1), **smtp(sink.port), unsubscribe={"url": URL, "secret_file": str(secret)}
        )
        sent = greeter(config, "send", "--once", "--now", NOW)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        [letter] = [m.parsed() for m in sink.messages]
    header = str(letter["List-Unsubscribe"])
    token = header.split(f"{URL}/", 1)[1].split(">", 1)[0]
    assert check_token([KEY.encode()], token) == "client1@example.com"
    with DaemonProcess(config, "--now", "2027-04-14T11:05:00+03:00", "--listen", "127.0.0.1:0") as daemon:
        page, _ = http(daemon.url(f"/unsubscribe/{token}"))
        assert daemon.stop() == 0
    assert page == 200


@pytest.mark.parametrize("command", [("send", "--once", "--now", NOW), ("check",)])
def test_a_short_secret_file_is_refused_naming_the_file(
    make_project: MakeProject, tmp_path: Path, command: tuple[str, ...]
) -> None:
    secret = _secret_file(tmp_path, "short\n")
    config = make_project(people(1), unsubscribe={"url": URL, "secret_file": str(secret)})
    done = greeter(config, *command)
    assert done.returncode in (1, 2), done.stdout + done.stderr
    assert f"unsubscribe secret: the file {secret} is too short (5 bytes, at least 32)" in done.stderr
    assert "environment variable" not in done.stderr.split("too short")[0].rsplit("\n", 1)[-1]
