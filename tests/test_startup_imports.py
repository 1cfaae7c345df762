"""Start-up cost (issue 5): what a command's process imports before it does anything.

Each check runs a fresh interpreter (``sys.modules`` is the measure) and so is
deterministic: a module that should load only when used is named in the list,
and a top-level import of it anywhere on the path makes the test fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_by(code: str) -> set[str]:
    """Top-level names of the packages a fresh interpreter has loaded after ``code``, and greeter's modules."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    names = result.stdout.split()
    return {name.split(".")[0] for name in names} | {n for n in names if n.startswith("greeter.")}


def test_the_command_group_alone_loads_no_config_machinery() -> None:
    """``greeter --help``, ``--version`` and each command's ``--help`` need click only (~0.15 s less)."""
    loaded = imported_by("import greeter.cli")
    heavy = {
        "pydantic",
        "pydantic_core",
        "ruamel",
        "jinja2",
        "babel",
        "greeter.config",
        "greeter.config_loader",
        "rich",  # tables only (greeter.console): ~150 M instructions of every command's start-up
    }
    assert loaded & heavy == set()


def test_the_daemon_loads_the_http_server_only_when_it_listens() -> None:
    """``http.enabled`` is false by default: ``greeter run`` does not pay aiohttp's ~0.2 s import."""
    loaded = imported_by("import greeter.cli_daemon, greeter.daemon")
    assert loaded & {"aiohttp", "greeter.http_api"} == set()


#: Modules only some configs or commands use: the sending path must not import them up front.
ONLY_WHEN_USED = {
    "icalendar",  # ics days off / occasion calendars: imported where read (greeter.runtime)
    "openpyxl",
    "aiohttp",
    "psycopg",
    "holidays",  # the calendars come from the table cache; the library loads on a miss
    "greeter.gallery",
    "greeter.http_api",
    "greeter.ics_days",
    "greeter.ics_export",
    "greeter.sources.sql_source",
    "greeter.sources.sql_postgresql",
    "greeter.sources.sql_mariadb",
    "greeter.journal_pg",
    "rich",  # the list commands' tables; send's progress bar (a terminal only) imports it itself
    "greeter.sources.xlsx_source",  # an XLSX source only (zipfile, html); the CSV loader names CELL_DATE
    # The templates: made at the first letter rendered (runtime.Inputs.renderer); a send --once
    # that finds nothing due, most of cron's, renders none (~30 ms of CPU, issue 5).
    "jinja2",
    "markupsafe",
    "greeter.render",
    "greeter.template_env",
    "greeter.company_names",
    # The holiday tables' file is named by the library's version, found without it (holiday_cache.
    # installed_version): importing it, and its lookup, were ~120 M instructions of every send.
    "importlib.metadata",
}


def test_send_loads_only_what_every_send_needs() -> None:
    """What ``greeter send --once`` imports (the group's and its body's imports), nothing more."""
    loaded = imported_by(
        "import greeter.cli, greeter.runtime, greeter.send, greeter.send_report, greeter.signals, greeter.journal"
    )
    assert loaded & ONLY_WHEN_USED == set()


def test_a_renderer_with_a_one_click_url_does_not_load_the_sending_path() -> None:
    """``preview`` and ``check`` read the unsubscribe secret to sign the links they show.

    Importing :func:`read_secret` from :mod:`greeter.send` loaded the SMTP client,
    the journal and the build pool into them (~90 ms); it lives in
    :mod:`greeter.secret_values` now.
    """
    loaded = imported_by(
        "import os\n"
        "from datetime import date\n"
        "from greeter.config_loader import load_settings\n"
        "from greeter.render import Renderer\n"
        "os.environ['GREETER_UNSUB'] = 'q7Vd2xLp9Rk4Tz8Nw3Hs6Jm1Fb5Gc0Ye'\n"
        f"settings = load_settings({str(ROOT / 'config.example.yaml')!r}, today=date(2027, 1, 1))\n"
        "unsub = settings.unsubscribe.model_copy(update={'url': 'https://example.com/u', 'secret_env': 'GREETER_UNSUB'})\n"
        "renderer = Renderer.of(settings.model_copy(update={'unsubscribe': unsub}))\n"
        "assert renderer.unsigned is None, renderer.unsigned\n"
    )
    assert "greeter.secret_values" in loaded
    assert loaded & {"greeter.send", "greeter.smtp_transport", "aiosmtplib", "greeter.build_pool"} == set()


#: ``greeter check``'s own machinery: its report, its probes of the journal and contacts databases.
CHECK_ONLY = {"greeter.check_delivery", "greeter.check_report", "greeter.db_checks"}


def test_send_loads_no_check_machinery_for_its_placeholder_warning() -> None:
    """``send``, ``run`` and ``test-send`` import :mod:`greeter.check_sender` for
    ``placeholder_warning``; its top-level import of ``check_delivery`` (for ``dmarc_aligned``,
    which only ``check`` calls) loaded check's report and database probes into every send."""
    loaded = imported_by(
        "from greeter.check_sender import placeholder_warning\n"
        "import greeter.cli, greeter.runtime, greeter.send, greeter.send_report, greeter.journal"
    )
    assert "greeter.check_sender" in loaded
    assert loaded & CHECK_ONLY == set()


#: The modules of the commands other than ``send``, and what only one of them uses (``init``'s tables).
OTHER_COMMANDS = {
    "greeter.cli_daemon",
    "greeter.cli_decisions",
    "greeter.cli_erase",
    "greeter.cli_init",
    "greeter.cli_journal",
    "greeter.cli_review",
    "greeter.cli_suppress",
    "greeter.cli_trial",
    "greeter.starter_countries",
    "greeter.starter_edits",
}


def test_send_imports_no_other_command_module() -> None:
    """The group imports a command's module only when the command is asked for (``greeter.cli``'s
    ``LAZY_COMMANDS``): every ``send --once`` from cron paid for all of them (issue 5)."""
    loaded = imported_by(
        "import click\nfrom greeter.cli import main\nassert main.get_command(click.Context(main), 'send')"
    )
    assert "greeter.cli_send" in loaded
    assert loaded & OTHER_COMMANDS == set()


def test_every_command_outside_the_group_module_is_in_the_lazy_map() -> None:
    """A command registered by a module of its own but missing from ``LAZY_COMMANDS`` would be
    missing from ``greeter --help`` and unknown on the command line."""
    from greeter.cli import LAZY_COMMANDS, main

    for name, command in main.commands.items():
        assert command.callback is not None
        assert LAZY_COMMANDS.get(name, "greeter.cli") == command.callback.__module__, name


#: A ``send --once`` in a fresh interpreter as the command runs it (``at_entry``, then the CLI),
#: then what it left: whether the Settings model's validator was built, and the modules loaded.
SEND_PROBE = """\
import sys
from greeter.entry import at_entry
argv = ["greeter", "--config", sys.argv[1], "send", "--once", "--now", "2027-06-01T09:00"]
at_entry(argv)
from greeter.cli import main
from greeter.config import Settings
try:
    main(argv[1:])
except SystemExit as exc:
    assert exc.code == 0, exc.code
print("BUILT" if Settings.__pydantic_complete__ else "DEFERRED")
print(" ".join(sorted(sys.modules)))
"""


def test_a_send_that_finds_nothing_due_builds_no_config_model_and_renders_nothing(tmp_path: Path) -> None:
    """A warm ``send --once`` with nothing due (most of cron's runs): the settings come from the
    cache (:mod:`greeter.settings_cache`), so no config model's validator is built (``defer_build``),
    and no letter is rendered, so the templates' machinery is never loaded (issue 5)."""
    from tests.test_settings_cache import a_project

    config = a_project(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    said = []
    for _ in range(2):  # the first validates and keeps the settings; the second finds them kept
        run = subprocess.run(
            [sys.executable, "-c", SEND_PROBE, str(config)],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr[-2000:]
        said.append(run.stdout.splitlines()[-2:])
    assert said[0][0] == "BUILT"
    assert said[1][0] == "DEFERRED"
    loaded = set(said[1][1].split())
    assert "greeter.runtime" in loaded
    assert (
        loaded & {"jinja2", "greeter.render", "greeter.template_env", "apscheduler", "importlib.metadata"}
        == set()
    )
