"""``schedule.watch_config: false``: the daemon reloads only on SIGHUP, not when the files change.

Operators on a network filesystem (a stat of every template every 2 seconds),
or who swap a mounted config as a whole and want it taken only when they say,
could not turn the watch (:mod:`greeter.config_watch`) off. A real daemon
(a subprocess) on a ConfigMap's layout, as tests/test_daemon_container.py runs it.
"""

from __future__ import annotations

import re
import signal
import time

from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess
from tests.test_daemon_container import _as_config_map, _swap
from tests.test_send_e2e import NOW, people


def test_with_the_watch_off_a_swapped_config_map_waits_for_a_sighup(make_project: MakeProject) -> None:
    config = _as_config_map(make_project(people(1), schedule={"watch_config": False}))
    folder = config.parent
    with DaemonProcess(config, "--now", NOW) as daemon:
        daemon.wait_for("run")
        new = _swap(folder, "..v2", "*/5 * * * *")
        template = new / "templates" / "birthday.j2"
        template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        time.sleep(6)  # three looks' time: a change counts at the second look that sees it
        assert daemon.named("config_changed") == [] and daemon.named("reloaded") == [], daemon.output
        daemon.send_signal(signal.SIGHUP)
        first = daemon.wait_for("reloaded")
        assert first["cron"] == "*/5 * * * *"
        # Turned on by a reload: from then on a change is taken by itself.
        on = _swap(folder, "..v3")
        yaml = on / "greeter.yaml"
        text, n = re.subn(
            r"^( *)watch_config: false", r"\1watch_config: true", yaml.read_text("utf-8"), flags=re.M
        )
        assert n == 1, text
        yaml.write_text(text, encoding="utf-8")
        daemon.send_signal(signal.SIGHUP)
        daemon.wait_for("reloaded", lambda e: e is not first)
        _swap(folder, "..v4", "*/2 * * * *")
        daemon.wait_for("config_changed")
        daemon.wait_for("reloaded", lambda e: e["cron"] == "*/2 * * * *")
        assert daemon.stop() == 0
    assert len(daemon.named("config_changed")) == 1
