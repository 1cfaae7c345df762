"""``unsubscribe.secret_file``: the one-click links' key from a mounted secret, as ``password_file`` is.

Every command that signs or checks a link reads it (``send``, ``run``,
``preview``, ``check``, the test letter: :func:`greeter.secret_values.unsubscribe_secret`);
a key too short to be safe is refused naming the file, as a variable is named.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from greeter.testing import SmtpSink
from greeter.unsubscribe import check_token, make_token
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import NOW, greeter_process, people, smtp

URL = "https://greet.romashka.example/unsubscribe"
ONE_CLICK = b"List-Unsubscribe=One-Click"
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
        sent = greeter_process(config, "send", "--once", "--now", NOW)
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
    done = greeter_process(config, *command)
    assert done.returncode in (1, 2), done.stdout + done.stderr
    assert f"unsubscribe secret: the file {secret} is too short (5 bytes, at least 32)" in done.stderr
    assert "environment variable" not in done.stderr.split("too short")[0].rsplit("\n", 1)[-1]


def test_a_rotated_secret_file_is_honoured_and_the_links_signed_before_keep_working(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """Kubernetes rotates a mounted secret in place: letters are signed with the new key at once.

    The page took the key once at start and refused every link signed after a
    rotation (404 ``unknown_signature``: the client could not opt out). Key B
    is taken by SIGHUP and C, after it, by the first link it signed; A's and
    B's links still work though the file no longer holds them.
    """
    keys = [f"{name}-rotated-unsubscribe-key-of-32-bytes-at-least" for name in "ABC"]
    secret = _secret_file(tmp_path, keys[0] + "\n")
    config = make_project(people(3), unsubscribe={"url": URL, "secret_file": str(secret)})
    links = [make_token(key.encode(), f"client{n}@example.com") for n, key in enumerate(keys, 1)]
    with DaemonProcess(config, "--now", "2027-04-14T11:05:00+03:00", "--listen", "127.0.0.1:0") as daemon:
        daemon.wait_for("http_listening")
        secret.write_text(keys[1] + "\n", encoding="utf-8")
        daemon.send_signal(signal.SIGHUP)
        daemon.wait_for("reloaded")  # the file re-read before it is said
        secret.write_text(keys[2] + "\n", encoding="utf-8")
        statuses = [http(daemon.url(f"/unsubscribe/{link}"), ONE_CLICK)[0] for link in reversed(links)]
        assert daemon.stop() == 0
        rejected = daemon.named("unsubscribe_rejected")
        output = daemon.output()
    assert statuses == [200, 200, 200]
    assert rejected == []
    assert not any(key in output for key in keys)


def test_a_link_the_secret_file_did_not_sign_is_logged_naming_previous_secret_file(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """The log told a ``secret_file`` project to name its old key in ``previous_secret_env``.

    And a link from another greeter project (another brand's letter, its own
    secret) is refused the same way: the line says that too.
    """
    secret = _secret_file(tmp_path, KEY + "\n")
    config = make_project(people(1), unsubscribe={"url": URL, "secret_file": str(secret)})
    brand_b = make_token(b"brand-b-has-its-own-unsubscribe-secret", "client1@example.com")
    with DaemonProcess(config, "--now", "2027-04-14T11:05:00+03:00", "--listen", "127.0.0.1:0") as daemon:
        status, _ = http(daemon.url(f"/unsubscribe/{brand_b}"), ONE_CLICK)
        rejected = daemon.wait_for("unsubscribe_rejected")
        assert daemon.stop() == 0
    assert status == 404
    assert rejected["reason"] == "unknown_signature"
    assert "unsubscribe.previous_secret_file" in rejected["why"], rejected
    assert "previous_secret_env" not in rejected["why"]
    assert "another greeter project" in rejected["why"]
