"""A start or a reload says at once when a template compiles but fails every letter.

Found by an operator: ``{{ contakt.first_name }}`` put into birthday.j2 and a
SIGHUP → the daemon logged ``reloaded``, health stayed ok, and each later run
logged ``render_error: 1`` at level info; ``greeter check`` said 20 failed.
"""

from __future__ import annotations

import signal

from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_daemon import run_args
from tests.test_send_e2e import people, smtp


def test_a_reload_warns_at_once_of_a_template_that_fails_every_letter(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(2), **smtp(sink.port))
        birthday = config.parent / "templates" / "birthday.j2"
        with DaemonProcess(config, *run_args()) as daemon:
            first = daemon.wait_for("run")
            assert first["sent"] == 2 and first["level"] == "info"
            assert not daemon.named("template_problems"), "the shipped templates render"
            text = birthday.read_text(encoding="utf-8")
            birthday.write_text(
                text.replace("{{ contact|name }}", "{{ contakt.first_name }}", 1), encoding="utf-8"
            )
            daemon.send_signal(signal.SIGHUP)
            warned = daemon.wait_for("template_problems")
            assert warned["level"] == "warning" and daemon.named("reloaded")
            assert any("birthday.j2" in p and "contakt" in p for p in warned["problems"]), warned
            assert "greeter check" in warned["hint"]
            assert daemon.stop() == 0
