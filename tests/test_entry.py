"""What the ``greeter`` command does before its heavy imports (greeter.entry), and only the command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Imports greeter as the given argv[0] would, builds the config models, and prints what pydantic
#: was told and whether it went looking for plugins (its loader's cache stays None if it did not).
PROBE = (
    "import sys; sys.argv = [{argv0!r}, 'check']; import greeter, greeter.config, os;"
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
