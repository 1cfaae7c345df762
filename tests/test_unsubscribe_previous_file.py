"""``unsubscribe.previous_secret_file``: the old key of a rotated mounted secret, as a file.

Found by an operator rotating a file-mounted key across a restart: only
``previous_secret_env`` existed, so a pod whose secrets were all files needed a
variable just for the old key, or the links in letters already sent stopped working.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.config_loader import parse_settings
from greeter.errors import ConfigError
from greeter.unsubscribe import make_token
from tests.conftest import TODAY, MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_config import MINIMAL
from tests.test_send_e2e import people

URL = "https://greet.romashka.example/unsubscribe"
ONE_CLICK = b"List-Unsubscribe=One-Click"
OLD, NEW = (f"{name}-unsubscribe-key-of-32-bytes-at-least-as-a-file" for name in ("old", "new"))


def _file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")  # a mounted secret's line break is not part of it
    path.chmod(0o600)
    return path


def test_one_file_or_a_list_and_never_without_a_current_key(tmp_path: Path) -> None:
    def parsed(section: str) -> list[Path]:
        settings = parse_settings(MINIMAL + "unsubscribe:\n" + section, "greeter.yaml", today=TODAY)
        return settings.unsubscribe.previous_secret_file

    one = f"  url: {URL}\n  secret_file: /run/secrets/new\n  previous_secret_file: /run/secrets/old\n"
    assert parsed(one) == [Path("/run/secrets/old")]
    two = f"  url: {URL}\n  secret_file: /s/new\n  previous_secret_file: [/s/old, /s/older]\n"
    assert parsed(two) == [Path("/s/old"), Path("/s/older")]
    with pytest.raises(ConfigError) as raised:
        parsed("  previous_secret_file: /run/secrets/old\n")
    assert "previous_secret_file needs secret_env or secret_file" in str(raised.value)


def test_links_signed_with_the_previous_file_s_key_still_unsubscribe(
    make_project: MakeProject, tmp_path: Path
) -> None:
    new, old = _file(tmp_path, "new", NEW), _file(tmp_path, "old", OLD)
    config = make_project(
        people(2),
        unsubscribe={"url": URL, "secret_file": str(new), "previous_secret_file": str(old)},
    )
    links = [make_token(OLD.encode(), "client1@example.com"), make_token(NEW.encode(), "client2@example.com")]
    forged = make_token(b"x" * 44, "client1@example.com")
    with DaemonProcess(config, "--now", "2027-04-14T11:05:00+03:00", "--listen", "127.0.0.1:0") as daemon:
        daemon.wait_for("http_listening")
        statuses = [http(daemon.url(f"/unsubscribe/{link}"), ONE_CLICK)[0] for link in links]
        refused = http(daemon.url(f"/unsubscribe/{forged}"), ONE_CLICK)[0]
        assert daemon.stop() == 0
        output = daemon.output()
    assert statuses == [200, 200]
    assert refused == 404
    assert OLD not in output and NEW not in output


def test_a_short_previous_file_stops_the_daemon_naming_the_setting(
    make_project: MakeProject, tmp_path: Path
) -> None:
    new, old = _file(tmp_path, "new", NEW), _file(tmp_path, "old", "short")
    config = make_project(
        people(1),
        unsubscribe={"url": URL, "secret_file": str(new), "previous_secret_file": [str(old)]},
    )
    with DaemonProcess(config, "--now", "2027-04-14T11:05:00+03:00", "--listen", "127.0.0.1:0") as daemon:
        fatal = daemon.wait_for("cannot_start")
    assert fatal["exit_code"] == 2
    said = " ".join(fatal.get("problems", []))
    assert f"previous unsubscribe secret: the file {old} is too short" in said
    assert "unsubscribe.previous_secret_file" in said


def test_check_finds_a_short_previous_file_before_any_daemon_starts(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """Only the daemon's start looked at the old keys' files: ``check`` and ``send`` said OK."""
    from greeter.send_transport import missing_secrets

    new, old = _file(tmp_path, "new", NEW), _file(tmp_path, "old", "short")
    config = make_project(
        people(1),
        unsubscribe={"url": URL, "secret_file": str(new), "previous_secret_file": [str(old)]},
    )
    settings = parse_settings(config.read_text(encoding="utf-8"), str(config), today=TODAY)
    said = [str(p) for p in missing_secrets(settings, config)]
    assert any(f"previous unsubscribe secret: the file {old} is too short" in s for s in said), said
