"""A reload the daemon refused shows in ``/healthz``, ``/metrics`` and the run lines until one takes effect.

Found by an operator: a SIGHUP with a broken config or template logged
``reload_failed_keeping_old_config`` once and the daemon went on with the old
config — rightly — but ``/healthz`` stayed plain "ok" and ``/metrics`` said
nothing, so a reload sent by automation (``systemctl reload``, a
config-management tool) never learnt that the edit did not take effect, and
the next restart stopped at the broken file.

Now the refusal stands — its time on the daemon's own clock (``--now``), and
its problems — until a reload takes effect: ``/healthz`` still answers 200
(a 503 would have an orchestrator restart the daemon into the broken file)
with ``"config": "reload_failed"``; ``/metrics`` has
``greeter_config_reload_failures_total`` and ``greeter_config_last_reload_successful``;
each ``run`` line carries ``config_reload_failed_at``. And what ``/healthz``
shows of the problems holds no secret and nothing of a contact.
"""

from __future__ import annotations

import json
import re
import signal
from datetime import datetime

from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.daemon_harness import DaemonProcess, Event, http
from tests.test_send_e2e import NOW, people, smtp

#: A run every real second (a cron minute at ``--speed 60``), answering on a free port.
ARGS = ("--now", NOW, "--speed", "60", "--listen", "127.0.0.1:0")
#: What a password pasted where its variable's name goes looks like: it must never be shown.
PASTED_PASSWORD = "Hunter2-Sup3r!Secret"


def _metric(text: str, name: str) -> float | None:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else None


def _probes(daemon: DaemonProcess) -> tuple[int, dict[str, object], str]:
    """(``/healthz`` status, its body, ``/metrics``' text)."""
    status, body = http(daemon.url("/healthz"))
    _, metrics = http(daemon.url("/metrics"))
    return status, json.loads(body), metrics


def _run_after(daemon: DaemonProcess, event: Event) -> Event:
    """The first ``run`` line of a run that started after ``event`` was logged."""
    seen = {id(e) for e in daemon.named("run")}
    return daemon.wait_for("run", lambda e: id(e) not in seen and "interrupted" not in e)


def test_a_refused_reload_shows_in_healthz_metrics_and_run_lines_until_a_reload_takes_effect(
    make_project: MakeProject,
) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), schedule={"cron": "* * * * *"}, **smtp(sink.port))
        good = config.read_text(encoding="utf-8")
        broken = re.sub(r"cron: .*", "cron: 'every minute please'", good, count=1)
        with DaemonProcess(config, *ARGS) as daemon:
            first = daemon.wait_for("run")
            before = _probes(daemon)

            config.write_text(broken, encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            refused = daemon.wait_for("reload_failed_keeping_old_config")
            marked = _run_after(daemon, refused)  # the old config goes on, and says so
            during = _probes(daemon)

            config.write_text(good, encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            reloaded = daemon.wait_for("reloaded")
            clean = _run_after(daemon, reloaded)
            after = _probes(daemon)
            assert daemon.stop() == 0

    status, health, metrics = before
    assert status == 200 and health["status"] == "ok", health
    assert (health["config"], health["config_problems"], health["config_reload_failed_at"]) == (
        "ok",
        None,
        None,
    ), health
    assert _metric(metrics, "greeter_config_reload_failures_total") == 0.0, metrics
    assert _metric(metrics, "greeter_config_last_reload_successful") == 1.0, metrics
    assert "config_reload_failed_at" not in first, first

    # Refused: still 200 and "ok" (the daemon works on the config in force), but the body says so.
    status, health, metrics = during
    assert status == 200 and health["status"] == "ok", health
    assert health["config"] == "reload_failed", health
    problems = health["config_problems"]
    assert isinstance(problems, list) and problems, health
    assert any("schedule.cron" in p and "greeter.yaml" in p for p in problems), health
    assert any("schedule.cron" in p for p in refused["problems"]), refused
    # The time of the refusal is the daemon's clock's (--now 2027-04-14 11:00 +03, 60x), not the wall's.
    failed_at = datetime.fromisoformat(str(health["config_reload_failed_at"]))
    started = datetime.fromisoformat(NOW)
    assert started <= failed_at <= datetime.fromisoformat(marked["now"]), (failed_at, marked)
    assert _metric(metrics, "greeter_config_reload_failures_total") == 1.0, metrics
    assert _metric(metrics, "greeter_config_last_reload_successful") == 0.0, metrics
    assert re.search(r"^# TYPE greeter_config_reload_failures(_total)? counter$", metrics, re.M), metrics
    # Each run while it stands carries the marker: the time of the refusal, to the second.
    assert marked["config_reload_failed_at"] == failed_at.isoformat("T", "seconds"), marked
    assert marked["level"] == "info", marked  # one error line said it; not a warning at every run

    # A reload that takes effect clears all of it; the counter keeps counting the refusals.
    status, health, metrics = after
    assert status == 200 and health["status"] == "ok", health
    assert (health["config"], health["config_problems"], health["config_reload_failed_at"]) == (
        "ok",
        None,
        None,
    ), health
    assert _metric(metrics, "greeter_config_reload_failures_total") == 1.0, metrics
    assert _metric(metrics, "greeter_config_last_reload_successful") == 1.0, metrics
    assert "config_reload_failed_at" not in clean, clean


def test_healthz_shows_where_a_refused_reload_failed_without_a_secret_or_a_contact(
    make_project: MakeProject,
) -> None:
    """``/healthz`` is the listener behind the public proxy: the log line has the words, it the places.

    A template that fails the first contacts' letters is refused with words
    naming those contacts (``'contakt' is undefined (contact VIP-4471)``): the
    body keeps ``birthday.j2:LINE`` and leaves the words to the log. A password
    pasted where its variable's name goes is refused without being repeated.
    """
    row = contact_row("VIP-4471", "anna.petrova@example.com", birthday="13.04.1980")
    with SmtpSink() as sink:
        config = make_project([row], schedule={"cron": "* * * * *"}, **smtp(sink.port))
        birthday = config.parent / "templates" / "birthday.j2"
        good_config, good_birthday = config.read_text(encoding="utf-8"), birthday.read_text(encoding="utf-8")
        with DaemonProcess(config, *ARGS) as daemon:
            daemon.wait_for("run")

            birthday.write_text(
                good_birthday.replace("{{ contact|name }}", "{{ contakt.first_name }}", 1), encoding="utf-8"
            )
            daemon.send_signal(signal.SIGHUP)
            template_refused = daemon.wait_for("reload_failed_keeping_old_config")
            _, template_health, _ = _probes(daemon)
            birthday.write_text(good_birthday, encoding="utf-8")

            config.write_text(
                good_config.replace("smtp:\n", f"smtp:\n    password_env: '{PASTED_PASSWORD}'\n", 1),
                encoding="utf-8",
            )
            daemon.send_signal(signal.SIGHUP)
            secret_refused = daemon.wait_for(
                "reload_failed_keeping_old_config", lambda e: e is not template_refused
            )
            status, secret_health, _ = _probes(daemon)
            raw = daemon.output()
            assert daemon.stop() == 0

    # The log line has the words, the contact's id with them; the body has the place only.
    assert any("contakt" in p and "VIP-4471" in p for p in template_refused["problems"]), template_refused
    shown = json.dumps(template_health)
    assert template_health["config"] == "reload_failed", template_health
    problems = template_health["config_problems"]
    assert isinstance(problems, list)
    assert any(re.match(r"birthday\.j2:\d+", p) for p in problems), problems
    assert "VIP-4471" not in shown and "contakt" not in shown and "anna" not in shown, shown

    # The second refusal is the news: its problems replace the first's.
    assert status == 200 and secret_health["config"] == "reload_failed", secret_health
    assert any("password_env" in p for p in secret_refused["problems"]), secret_refused
    assert any("password_env" in p for p in secret_health["config_problems"]), secret_health  # type: ignore[union-attr]
    assert not any("birthday.j2" in p for p in secret_health["config_problems"]), secret_health  # type: ignore[union-attr]
    assert PASTED_PASSWORD not in json.dumps(secret_health) and PASTED_PASSWORD not in raw
