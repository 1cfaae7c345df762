"""Three brands' daemons on one host: each says which project it is, and a port another holds is no retry.

An agency reported that nothing in the daemon's log lines, ``/healthz`` or
``/metrics`` told its three brands apart (``"config": "greeter.yaml"`` for all
three), and that a daemon given a port another brand's daemon (or any other
program) holds exited 75 — "another greeter may still be stopping" — so
systemd restarted it for ever. Real daemons, real sockets, a real SMTP server
(greeter.testing's aiosmtpd sink) as the other program; the holder's answer and the exit code
decided from it are pure and tested as such too.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from ruamel.yaml import YAML

from greeter.config_loader import parse_settings
from greeter.errors import ConfigError
from greeter.instance import instance_name
from greeter.logs import configure_logging, name_instance
from greeter.port_holder import Holder, read_holder, taken_why
from greeter.testing import SmtpSink
from tests.conftest import ROOT, TODAY, MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import NOW, people
from tests.test_start_refusals import cannot_start, events, greeter, run_once


class RelativeDaemon(DaemonProcess):
    """The daemon as systemd's unit starts it: in the project's folder, with ``--config greeter.yaml``."""

    def start(self) -> DaemonProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "greeter", "--config", self.config.name, "run", "--log-format", "json",
             *self.args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.env,
            cwd=self.config.parent,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()
        return self


def second_project(first: Path, folder: Path, **top: str) -> Path:
    """A copy of the project of config ``first`` in ``folder``, with ``top`` set at the config's top level."""
    folder.mkdir()
    shutil.copytree(first.parent / "templates", folder / "templates")
    (folder / "data").mkdir()
    shutil.copy(first.parent / "data" / "contacts.csv", folder / "data")  # a journal of its own
    yaml = YAML()
    config = yaml.load(first.read_text(encoding="utf-8"))
    config.update(top)
    path = folder / "greeter.yaml"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(config, fh)
    return path


@pytest.fixture
def brand_a(make_project: MakeProject) -> Iterator[tuple[Path, DaemonProcess]]:
    """A project without an ``instance`` setting, its daemon running and listening on a port of its own."""
    config = make_project(people(2))
    with RelativeDaemon(config, "--now", NOW, "--speed", "600", "--listen", "127.0.0.1:0") as daemon:
        daemon.wait_for("started")
        yield config, daemon


def test_every_line_healthz_and_metrics_name_the_project(brand_a: tuple[Path, DaemonProcess]) -> None:
    config, daemon = brand_a
    name = config.parent.name  # no instance setting: the folder's name
    started = daemon.wait_for("started")
    assert started["config"] == str(config)  # absolute, though it was started with --config greeter.yaml
    _, body = http(daemon.url("/healthz"))
    health = json.loads(body)
    assert (health["instance"], health["config_file"]) == (name, str(config)), body
    _, metrics = http(daemon.url("/metrics"))
    (build,) = [line for line in metrics.splitlines() if line.startswith("greeter_build_info{")]
    assert f'greeter_instance="{name}"' in build, build
    # public: the name, not where the file is (greeter.http_disclosure)
    _, proxied = http(daemon.url("/healthz"), headers={"X-Forwarded-For": "203.0.113.9"})
    assert json.loads(proxied)["instance"] == name and json.loads(proxied)["config_file"] is None
    daemon.wait_for("run")
    assert daemon.stop() == 0
    said = daemon.events
    assert {e["event"] for e in said} >= {"http_listening", "started", "run", "stopping", "stopped"}
    assert all(e.get("instance") == name for e in said), [e for e in said if e.get("instance") != name]


def test_another_projects_daemon_on_the_port_is_a_configuration_error_naming_it(
    brand_a: tuple[Path, DaemonProcess], tmp_path: Path
) -> None:
    """Exit 2, not 75: another brand's daemon does not go away by itself (systemd restarted for ever)."""
    config, daemon = brand_a
    other = second_project(config, tmp_path / "brand-b", instance="brand-b")
    fatal = cannot_start(run_once(other, "--listen", f"127.0.0.1:{daemon.port}"), 2)
    assert fatal["instance"] == "brand-b"
    assert fatal["error"] == (
        f"cannot listen on 127.0.0.1:{daemon.port} (--listen): the port is already in use by greeter"
        f" instance {config.parent.name!r} of another project ({config}): give each project a port of its own"
    )
    assert daemon.proc is not None and daemon.proc.poll() is None  # asked, not disturbed
    assert http(daemon.url("/livez"))[0] == 200


def test_another_program_on_the_port_is_a_configuration_error(make_project: MakeProject) -> None:
    """The SMTP sink's port given as --listen: it greets in SMTP, not as greeter's /healthz."""
    config = make_project(people(1))
    with SmtpSink() as sink:
        port = sink.port
        fatal = cannot_start(run_once(config, "--listen", f"127.0.0.1:{port}"), 2)
    assert fatal["error"] == (
        f"cannot listen on 127.0.0.1:{port} (--listen): the port is already in use by a program that is"
        " not greeter: choose a free port"
    )
    assert fatal["instance"] == config.parent.name  # named before the config is read, too


def test_lock_messages_give_the_journals_absolute_path(brand_a: tuple[Path, DaemonProcess]) -> None:
    config, _daemon = brand_a
    """A second daemon of the same project, started as the first was: ``--config greeter.yaml``."""
    result = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", "greeter.yaml", "run", "--log-format", "json", "--now", NOW],
        capture_output=True, text=True, timeout=120, cwd=config.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False,
    )  # fmt: skip
    fatal = cannot_start(result, 75)
    journal = config.parent / "data" / "journal.sqlite3"
    assert fatal["error"].startswith(f"another greeter is already sending from journal {journal} ("), fatal
    assert all(e["instance"] == config.parent.name for e in events(result))


def test_check_warns_of_a_port_another_holds_not_of_its_own_daemons(
    brand_a: tuple[Path, DaemonProcess], tmp_path: Path
) -> None:
    """``check`` said nothing of the port; its own project's daemon holding it is normal."""
    config, daemon = brand_a
    port = daemon.port
    text = config.read_text(encoding="utf-8").replace("enabled: false", "enabled: true")
    config.write_text(text.replace("port: 8025", f"port: {port}"), encoding="utf-8")
    own = greeter(config, "check", "--now", NOW)
    assert "http.port" not in own.stdout + own.stderr, own.stdout + own.stderr
    other = second_project(config, tmp_path / "brand-b", instance="brand-b")
    checked = greeter(other, "check", "--now", NOW)
    said = checked.stdout + checked.stderr
    assert (
        f"http.port: warning: 127.0.0.1:{port}: the port is already in use by greeter instance"
        f" {config.parent.name!r} of another project ({config})"
    ) in said, said


# --- pure: the holder's answer, and what it means --------------------------------------------------


def test_the_holders_answer_read() -> None:
    greeter = (
        b'HTTP/1.1 200 OK\r\nServer: greeter\r\n\r\n{"instance": "b", "config_file": "/srv/b/greeter.yaml"}'
    )
    assert read_holder(greeter) == Holder(True, "b", "/srv/b/greeter.yaml")
    assert read_holder(b"HTTP/1.1 404 Not Found\r\nServer: nginx\r\n\r\nno") == Holder(False)
    assert read_holder(b"220 mail.example ESMTP\r\n") == Holder(False)
    assert read_holder(b"HTTP/1.1 200 OK\r\nServer: greeter\r\n\r\n{cut") == Holder(True)


def test_only_this_projects_own_daemon_is_worth_waiting_for(tmp_path: Path) -> None:
    own = tmp_path / "a" / "greeter.yaml"
    why, temporary = taken_why(Holder(True, "a", str(own)), own)
    assert temporary and "this project's own daemon (instance 'a') holds the port" in why
    assert not taken_why(Holder(True, "b", str(tmp_path / "b" / "greeter.yaml")), own)[1]
    assert not taken_why(Holder(False), own)[1]
    assert taken_why(None, own)[1]  # no answer: may be this project's own, stopping
    assert taken_why(Holder(True), own)[1]  # an older greeter that does not say its config


# --- the setting, and the log lines' one place -----------------------------------------------------


def test_instance_setting_and_its_default(tmp_path: Path) -> None:
    text = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    named = parse_settings(text + "\ninstance: romashka-shop\n", "greeter.yaml", ROOT, today=TODAY)
    assert instance_name(named.instance, tmp_path / "x" / "greeter.yaml") == "romashka-shop"
    assert instance_name(None, tmp_path / "brand-c" / "greeter.yaml") == "brand-c"
    with pytest.raises(ConfigError) as refused:
        parse_settings(text + "\ninstance: two words\n", "greeter.yaml", ROOT, today=TODAY)
    (problem,) = refused.value.problems
    assert "instance" in str(problem) and "up to 64 Latin letters" in str(problem), str(problem)


def test_greeters_own_lines_and_other_libraries_carry_the_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    root = logging.getLogger()
    # the process's own logging setup is given back afterwards (as test_daemon's test of it does)
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    configure_logging(out, json=True)
    try:
        name_instance("brand-a")
        structlog.get_logger(component="daemon").info("run", due=0)
        logging.getLogger("aiohttp.server").warning("a library's record")
    finally:
        name_instance(None)
        logging.captureWarnings(False)
        structlog.reset_defaults()
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["event"], next(iter(line))) for line in lines] == [
        ("run", "instance"),
        ("a library's record", "instance"),
    ]
    assert all(line["instance"] == "brand-a" for line in lines)
