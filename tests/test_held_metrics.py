"""``/metrics`` and ``/healthz`` say what holds sending back: the provider's throttle or the daily quota.

Before, a daemon held by a throttle (``451 4.7.1 Rate limit exceeded``) or at a spent
``delivery.rate_limit.per_day`` said so in one ``run`` log line only: ``/metrics`` had no
series for it and ``/healthz`` read ``ok`` (or ``degraded`` with a bare reply) while the
letters waited. A real daemon subprocess, a real SMTP sink refusing after its quota, a real
SQLite journal; the clock is ``--now``.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_provider_throttle import RATE, project
from tests.test_send_e2e import NOW
from tests.test_stop_signals import LISTEN


def scrape(daemon: DaemonProcess) -> dict[str, float]:
    """The unlabelled samples of ``/metrics``, by name."""
    status, text = http(daemon.url("/metrics"))
    assert status == 200, text
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#") and "{" not in line:
            name, value = line.split()
            samples[name] = float(value)
    return samples


def health(daemon: DaemonProcess) -> dict[str, Any]:
    _, body = http(daemon.url("/healthz"))
    return dict(json.loads(body))


def test_a_throttle_shows_on_metrics_and_healthz_with_when_sending_resumes(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 8)
        sink.refuse_after(3, 451, RATE)
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            run = daemon.wait_for("run")
            samples, body = scrape(daemon), health(daemon)
            assert daemon.stop() == 0
    until = datetime.fromisoformat(run["throttled_until"])
    assert samples["greeter_throttled_until_timestamp_seconds"] == until.timestamp()
    assert samples["greeter_throttle_unsent"] == run["throttle_unsent"] == 4
    assert samples["greeter_quota_unsent"] == samples["greeter_quota_free_timestamp_seconds"] == 0
    assert body["sending_held"] == "provider_throttle", body
    assert datetime.fromisoformat(body["sending_resumes_at"]) == until
    assert body["held_letters"] == 4


def test_a_spent_daily_quota_shows_on_metrics_and_healthz(make_project: MakeProject, tmp_path: Path) -> None:
    with SmtpSink() as sink:
        config = project(make_project, sink.port, 8)
        text = config.read_text().replace("per_day: 500", "per_day: 3")
        assert text != config.read_text()
        config.write_text(text)
        with DaemonProcess(config, "--now", NOW, *LISTEN) as daemon:
            run = daemon.wait_for("run")
            samples, body = scrape(daemon), health(daemon)
            assert daemon.stop() == 0
    assert run["quota_unsent"] == 5, run
    free_at = datetime.fromisoformat(run["quota_free_at"])
    assert samples["greeter_quota_unsent"] == 5
    assert samples["greeter_quota_free_timestamp_seconds"] == free_at.timestamp()
    assert samples["greeter_throttled_until_timestamp_seconds"] == samples["greeter_throttle_unsent"] == 0
    assert (body["sending_held"], body["held_letters"]) == ("daily_quota", 5), body
    assert datetime.fromisoformat(body["sending_resumes_at"]) == free_at
    assert body["status"] == "ok", "the quota is the config's own limit, not a fault"
