"""What the ``greeter`` command does before its heavy imports (greeter.entry), and only the command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Imports greeter as the given argv[0] would, builds the config models (lazily built, ``defer_build``:
#: as a config's first validation builds them), and prints what pydantic was told and whether it
#: went looking for plugins (its loader's cache stays None if it did not).
PROBE = (
    "import sys; sys.argv = [{argv0!r}, 'check']; import greeter, greeter.config, os;"
    " greeter.config.Settings.model_rebuild(force=True);"
    " import pydantic.plugin._loader as loader;"
    " print(repr(os.environ.get('PYDANTIC_DISABLE_PLUGINS')), loader._plugins is None)"
)


def probe(argv0: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    clean["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv0=argv0)],
        capture_output=True, text=True, env={**clean, **env}, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def test_the_command_skips_pydantic_plugin_discovery() -> None:
    """40–75 ms of every command's start went to reading every distribution's entry points."""
    assert probe("/usr/local/bin/greeter") == "'__all__' True"


def test_an_operator_who_wants_pydantic_plugins_keeps_them() -> None:
    assert probe("/usr/local/bin/greeter", PYDANTIC_DISABLE_PLUGINS="") == "'' False"


@pytest.mark.parametrize("argv0", ["-c", "/srv/app/manage.py"])
def test_importing_greeter_as_a_library_changes_nothing(argv0: str) -> None:
    assert probe(argv0) == "None False"


#: As PROBE, then what the cyclic collector did: its first threshold before greeter was imported
#: and after, and how many collections the send's imports and the example config's load set off.
GC_PROBE = (
    "import gc, sys; sys.argv = [{argv0!r}, 'send']; before = gc.get_threshold()[0];"
    " import greeter; raised = gc.get_threshold()[0]; runs = gc.get_stats()[0]['collections'];"
    " import greeter.cli, greeter.runtime, greeter.send, greeter.config_loader;"
    " from datetime import date;"
    f" greeter.config_loader.load_settings({str(ROOT / 'config.example.yaml')!r}, today=date(2027, 1, 1));"
    " print(before, raised, gc.get_stats()[0]['collections'] - runs, end=' ');"
)
#: Then start-up ends: the threshold after ``started()``, and whether start-up's objects are frozen.
ENDED = (
    " from greeter.entry import started; started(); print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"
)


def gc_probe(argv0: str, code: str = "") -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE.format(argv0=argv0) + code],
        capture_output=True, text=True, env=env, check=True, timeout=60,
    )  # fmt: skip
    return done.stdout.split()


def test_the_command_starts_without_a_garbage_collection() -> None:
    """Start-up's ~110,000 objects live to the end: ~170 collections over them were ~45 ms of a
    send's 0.5 s start (10 %; ~90 M instructions)."""
    before, raised, runs = gc_probe("/usr/local/bin/greeter")
    assert runs == "0"
    assert int(raised) > int(before)


def test_the_end_of_start_up_puts_the_collector_back() -> None:
    """``started()`` (send, before its letters; the daemon, once it serves): the collector's own
    pace again, start-up's objects frozen out of every later collection."""
    before, _, _, after, frozen = gc_probe("/usr/local/bin/greeter", ENDED)
    assert (after, frozen) == (before, "True")


def test_a_library_user_keeps_the_collector_as_it_was() -> None:
    before, raised, runs, after, frozen = gc_probe("-c", ENDED)
    assert (raised, after, frozen) == (before, before, "False")
    assert int(runs) > 0


#: Records SIGTERM's handler at the first import of each module the entry point's start-up
#: imports after greeter.signals, then runs the `greeter` script's start as `greeter run`.
SIGNAL_PROBE = """
import signal, sys
seen = {}
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name in ("click", "greeter.errors", "greeter.out_stream") and name not in seen:
            seen[name] = signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
        return None
sys.meta_path.insert(0, Watch())
sys.argv = ["/usr/local/bin/greeter", "run"]
import greeter
print(sorted(seen.items()))
"""


def test_run_handles_sigterm_before_the_entry_point_imports_click() -> None:
    """A container's PID 1 ignores a SIGTERM whose action is the default: each import before
    the handler (click, greeter.errors: out_stream's) was a moment such a SIGTERM was lost."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SIGNAL_PROBE], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == str(
        [("click", True), ("greeter.errors", True), ("greeter.out_stream", True)]
    ), done.stdout + done.stderr
