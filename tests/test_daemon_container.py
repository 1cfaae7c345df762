"""The daemon as a container platform runs it: ConfigMap updates, a killed pod's claims, the version.

Found by running it in container-like setups: a ConfigMap update (the kubelet's atomic
``..data`` symbolic link swap) went unnoticed until a SIGHUP that never comes; on SQLite the
claims a SIGKILLed daemon left were said only in a separate line, its first run line saying
``"recovered_uncertain": 0`` at info where the README (and PostgreSQL) say a warning with the
count; nothing said which greeter version a pod runs. Real daemons (subprocesses), real SQLite.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from greeter import __version__
from greeter.journal import Journal
from greeter.journal_store import ClaimRequest
from greeter.message import make_message_id
from tests.conftest import MakeProject
from tests.daemon_harness import DaemonProcess, http
from tests.test_send_e2e import NOW, people

MSK = ZoneInfo("Europe/Moscow")

# --- a ConfigMap update is reloaded without a SIGHUP ---------------------------------------------


def _as_config_map(config: Path) -> Path:
    """The project's config and templates moved into a ConfigMap's layout beside the data:
    ``greeter.yaml -> ..data/greeter.yaml``, ``templates -> ..data/templates``, ``..data -> ..v1``."""
    folder = config.parent
    version = folder / "..v1"
    version.mkdir()
    shutil.move(str(config), version / "greeter.yaml")
    shutil.move(str(folder / "templates"), version / "templates")
    (folder / "..data").symlink_to("..v1")
    config.symlink_to("..data/greeter.yaml")
    (folder / "templates").symlink_to("..data/templates")
    return config


def _with_cron(text: str, cron: str) -> str:
    changed, n = re.subn(r"^  cron: .*$", f'  cron: "{cron}"', text, flags=re.M)
    assert n == 1, text
    return changed


def _swap(folder: Path, name: str, edit: str | None = None) -> Path:
    """What the kubelet does (tests/…/cm_swap.sh): a new version folder, ``..data`` renamed over."""
    old = (folder / "..data").readlink()
    new = folder / name
    shutil.copytree(folder / old, new, symlinks=True)
    if edit is not None:
        yaml = new / "greeter.yaml"
        yaml.write_text(_with_cron(yaml.read_text(encoding="utf-8"), edit), encoding="utf-8")
    (folder / "..data_tmp").symlink_to(name)
    os.replace(folder / "..data_tmp", folder / "..data")
    shutil.rmtree(folder / old)
    return new


def test_a_config_map_update_is_reloaded_without_a_sighup_and_a_broken_one_keeps_the_old(
    make_project: MakeProject,
) -> None:
    config = _as_config_map(make_project(people(1)))
    folder = config.parent
    with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0") as daemon:
        daemon.wait_for("run")
        _swap(folder, "..v2", "*/5 * * * *")
        reloaded = daemon.wait_for("reloaded")
        assert reloaded["cron"] == "*/5 * * * *"
        assert len(daemon.named("config_changed")) == 1
        # A broken update: refused once — not again at every look — and the old config serves on.
        _swap(folder, "..v3", "*/5 * * *")
        refused = daemon.wait_for("reload_failed_keeping_old_config")
        assert "schedule.cron" in " ".join(refused["problems"])
        time.sleep(6)  # three more looks at the same broken files
        assert len(daemon.named("reload_failed_keeping_old_config")) == 1
        _, metrics = http(daemon.url("/metrics"))
        assert re.search(r"^greeter_config_last_reload_successful 0\.0$", metrics, re.M), metrics
        # Fixed: taken, and the refusal is over.
        _swap(folder, "..v4", "*/2 * * * *")
        daemon.wait_for("reloaded", lambda e: e["cron"] == "*/2 * * * *")
        _, metrics = http(daemon.url("/metrics"))
        assert daemon.stop() == 0
    assert re.search(r"^greeter_config_last_reload_successful 1\.0$", metrics, re.M), metrics
    assert len(daemon.named("config_changed")) == 3


def test_a_template_edited_in_place_is_reloaded_and_a_sighup_is_not_repeated_by_the_watch(
    make_project: MakeProject,
) -> None:
    config = make_project(people(1))
    template = config.parent / "templates" / "birthday.j2"
    with DaemonProcess(config, "--now", NOW) as daemon:
        daemon.wait_for("run")
        config.write_text(_with_cron(config.read_text(encoding="utf-8"), "*/7 * * * *"), encoding="utf-8")
        daemon.send_signal(signal.SIGHUP)
        sighup = daemon.wait_for("reloaded", lambda e: e["cron"] == "*/7 * * * *")
        time.sleep(6)  # the watch looks meanwhile: the SIGHUP took these files
        assert len(daemon.named("reloaded")) == 1 and daemon.named("config_changed") == []
        template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        daemon.wait_for("config_changed")
        daemon.wait_for("reloaded", lambda e: e is not sighup)
        assert daemon.stop() == 0


# --- a killed daemon's claims on SQLite: the first run line counts them, at warning -------------


def test_the_first_run_after_a_killed_sqlite_daemon_counts_its_claims_at_warning(
    make_project: MakeProject,
) -> None:
    config = make_project(people(1))
    path = config.parent / "data" / "journal.sqlite3"
    key = ("killed-sender-1", "birthday", date(2027, 4, 13))
    moment = datetime(2027, 4, 14, 10, 0, tzinfo=MSK)
    path.parent.mkdir(parents=True, exist_ok=True)
    with Journal.open(f"sqlite:///{path}", now=moment) as killed:  # what a SIGKILL leaves: a claim
        killed.lock_sender()
        secret = killed.message_key()
        assert secret is not None
        request = ClaimRequest(
            key, "gone@example.com", make_message_id(key, "romashka.example", secret), moment
        )
        assert killed.claim_many([request], now=moment) == [True]
    with DaemonProcess(config, "--now", NOW) as daemon:
        first = daemon.wait_for("run")
        assert daemon.stop() == 0
    assert [e["count"] for e in daemon.named("interrupted_claims_now_uncertain")] == [1]
    assert (first["recovered_uncertain"], first["level"]) == (1, "warning"), first
    assert [e["recovered_uncertain"] for e in daemon.named("run")[1:]] == [0] * (len(daemon.named("run")) - 1)


# --- the version: in the started line and /metrics --------------------------------------------------


def test_the_version_is_in_the_started_line_and_in_build_info(make_project: MakeProject) -> None:
    config = make_project(people(1))
    with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0") as daemon:
        started = daemon.wait_for("started")
        _, metrics = http(daemon.url("/metrics"))
        assert daemon.stop() == 0
    assert started["version"] == __version__
    build = f'greeter_build_info{{greeter_instance="{config.parent.name}",version="{__version__}"}} 1.0'
    assert build in metrics.splitlines()


# --- a fresh daemon's /metrics and /healthz -----------------------------------------------------


def test_a_fresh_daemon_exports_its_run_outcomes_at_zero_and_healthz_moments_in_utc(
    make_project: MakeProject,
) -> None:
    """Before its first letter /metrics had no greeter_run_outcomes_total sample (an alert saw it
    absent), and /healthz wrote started_at +00:00 beside next_send_at in the recipient's +03:00."""
    config = make_project(people(1, day="20.04.1980"))  # nothing due at NOW: the next send is days away
    with DaemonProcess(config, "--now", NOW, "--listen", "127.0.0.1:0") as daemon:
        first = daemon.wait_for("run")
        _, metrics = http(daemon.url("/metrics"))
        _, health_text = http(daemon.url("/healthz"))
        assert daemon.stop() == 0
    assert first["due"] == 0 and first["next_send"] is not None, first
    for outcome in ("sent", "retry", "failed", "uncertain", "render_error"):
        assert re.search(rf'^greeter_run_outcomes_total\{{outcome="{outcome}"\}} 0\.0$', metrics, re.M), (
            metrics
        )
    # nothing delivered yet: absent, never 0 (1970) — an alert takes greeter_start_time_seconds instead
    assert not re.search(r"^greeter_last_delivery_timestamp_seconds ", metrics, re.M), metrics
    health = json.loads(health_text)
    moments = {k: v for k, v in health.items() if k.endswith(("_at", "_since")) and v is not None}
    assert {"started_at", "next_send_at", "last_run_at", "last_success_at"} <= set(moments), health
    assert all(v.endswith("+00:00") for v in moments.values()), moments
    planned = datetime.fromisoformat(first["next_send"])
    assert datetime.fromisoformat(health["next_send_at"]) == planned.replace(microsecond=0) + (
        timedelta(seconds=1) if planned.microsecond else timedelta()
    )
