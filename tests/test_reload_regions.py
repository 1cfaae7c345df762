"""A refused reload leaves the regions of ``send_window.regional_days_off`` as the config in force has them.

The regions a config declares are the process's (:func:`greeter.holiday_tables.declare_regions`):
a contact's ``RU-TA`` is read as a calendar far from the config. They are declared while the
config is validated — so a reload whose new config was validated and then refused (a broken
cron, a template that fails, another project's journal) had already put its own regions in
force while the old config stayed: a config that no longer declared Tatarstan, refused, made
the old config's Kazan clients' cells refused (their letters moved to Tatarstan's days off), and
one that declared another region had that region's cells accepted by a config that never did.
Now a refused reload declares the regions of the config still in force again.
"""

from __future__ import annotations

import re
import signal

from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.daemon_harness import DaemonProcess, Event
from tests.test_send_e2e import smtp

#: A Friday; a run every real second (a cron minute at 60×).
NOW = "2027-08-20T11:00:00+03:00"
#: Monday 30 August 2027 is Tatarstan's Republic Day: a Kazan client's birthday letter leaves on
#: the working day before it, Friday 27 August (07:05 UTC by the contact's hash) — when RU-TA is
#: declared. Undeclared, the contact's country cell is refused (``contact_row_problems``), the
#: client is taken as Russia's (``defaults.country``) and greeted on the Republic Day itself.
KAZAN_SEND = "2027-08-27T07:05:01+00:00"


def _run_after(daemon: DaemonProcess, event: Event) -> Event:
    """The first ``run`` line of a run that started after ``event`` was logged."""
    seen = {id(e) for e in daemon.named("run")}
    return daemon.wait_for("run", lambda e: id(e) not in seen and "interrupted" not in e)


def test_a_refused_reload_leaves_the_regions_of_the_config_in_force_declared(
    make_project: MakeProject,
) -> None:
    rows = [contact_row("kazan", "a@example.com", country="RU-TA", birthday="30.08.1980")]
    changes = {"defaults": {"country": "RU"}, "schedule": {"cron": "* * * * *"}}
    with SmtpSink() as sink:
        # The edit: Tatarstan's map taken out (the Kazan client would need it) and a broken cron.
        config = make_project(rows, **changes, **smtp(sink.port))
        without_regions = re.sub(r"cron: .*", "cron: 'every minute please'", config.read_text(), count=1)
        regions = {"regional_days_off": {"RU-TA": {"days": ["2027-08-30"]}}}
        make_project(rows, **changes, **smtp(sink.port), send_window=regions)  # in force at start
        with DaemonProcess(config, "--now", NOW, "--speed", "60") as daemon:
            first = daemon.wait_for("run")
            config.write_text(without_regions, encoding="utf-8")
            daemon.send_signal(signal.SIGHUP)
            refused = daemon.wait_for("reload_failed_keeping_old_config")
            after = _run_after(daemon, refused)
            assert daemon.stop() == 0, daemon.output()
    assert first["next_send"] == KAZAN_SEND, first
    assert any("schedule.cron" in p for p in refused["problems"]), refused
    # The old config is in force, Tatarstan with it: the Kazan client's letter is still planned.
    assert after["next_send"] == KAZAN_SEND, daemon.output()
    assert not daemon.named("contact_row_problems"), daemon.output()  # RU-TA is still a country cell
