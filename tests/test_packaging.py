"""greeter as a release engineer builds and installs it: outside the repository, from its metadata.

Found building a wheel and an sdist and installing them elsewhere: the distribution was
named ``greeter``, which PyPI gives to an unrelated project (``pip install greeter``
fetched that one); the version was written twice (pyproject and ``greeter/__init__``);
the time-zone database an install may lack was "a bug in greeter"; ``greeter --help``
pointed at a README an installed copy does not have; ``backup --help`` quoted a schema
version four migrations old; ``backup`` into a folder nobody made said only "No such
file or directory".
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from click.testing import CliRunner

import greeter
from greeter.cli import main
from greeter.country_zones import NO_ZONE_DATABASE
from greeter.journal_schema import MIGRATIONS
from tests.conftest import MakeProject
from tests.manual import relative_links
from tests.test_container_ops import _instructions
from tests.test_deploy_ops import _deployed_config, _unit_settings
from tests.test_journal_backup import sent_journal
from tests.test_send_e2e import greeter as run_greeter
from tests.test_send_e2e import people

ROOT = Path(__file__).resolve().parent.parent
#: The distribution's name (pyproject's [project] name): what pip installs and metadata knows.
DIST_NAME = "greeter-mailmerge"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _version_said() -> str:
    """What ``greeter --version`` prints, from a process of its own as an operator runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "greeter", "--version"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    said = re.fullmatch(rf"greeter (\S+) \({DIST_NAME}\)\n", done.stdout)
    assert said, done.stdout
    return said.group(1)


# --- 2. a distribution name of its own; the package and the command stay `greeter` ---------------


def test_the_distribution_has_a_name_of_its_own_and_the_command_and_package_stay_greeter() -> None:
    project = PYPROJECT["project"]
    assert project["name"] == DIST_NAME != "greeter"  # "greeter" on PyPI is someone else's project
    assert project["scripts"] == {"greeter": "greeter.cli:main"}
    assert "greeter" in PYPROJECT["tool"]["setuptools"]["packages"]


# --- 3. one version, the installed metadata's and greeter --version's ----------------------------


def test_the_version_is_written_once_in_greeter_and_pyproject_reads_it_from_there() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "greeter.__version__"}
    assert _version_said() == greeter.__version__


def test_greeter_version_names_the_distribution_without_reading_the_installed_metadata() -> None:
    """``greeter 0.1.0 (greeter-mailmerge)``: what to ``pip show`` or upgrade (``greeter`` on PyPI
    is another project), from greeter/__init__.py's literal: importlib.metadata is ~20 ms of start."""
    probe = (
        "import sys\nfrom greeter.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit as done:\n    assert done.code in (0, None)\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    assert done.stdout == f"greeter {greeter.__version__} ({DIST_NAME})\nFalse\n", done.stdout + done.stderr


def test_greeter_version_is_the_installed_distributions_version() -> None:
    """The metadata pip wrote (``pip show greeter-mailmerge``) says what ``greeter --version`` says.

    Fails in an environment installed before the rename, or before a version change:
    reinstall (``pip install -e ".[test]"``) — the installed metadata is stale then.
    """
    try:
        installed = metadata.distribution(DIST_NAME)
    except metadata.PackageNotFoundError:
        raise AssertionError(
            f'no distribution {DIST_NAME} installed: reinstall greeter (pip install -e ".[test]")'
        ) from None
    assert installed.metadata["Name"] == DIST_NAME
    assert DIST_NAME in metadata.packages_distributions()["greeter"]  # the one that brings greeter/
    assert installed.version == _version_said() == greeter.__version__


# --- 6. no time-zone database is the machine's to fix, not a bug ---------------------------------


def test_tzdata_is_a_declared_dependency() -> None:
    names = {
        re.split(r"[<>=!~;\[ ]", dep, maxsplit=1)[0].lower() for dep in PYPROJECT["project"]["dependencies"]
    }
    assert "tzdata" in names


def test_no_time_zone_database_is_an_environment_error_with_a_hint_not_a_bug(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """As on a slim container with greeter installed ``--no-deps``: no zone files where zoneinfo
    looks (``PYTHONTZPATH``), and no ``tzdata`` package to fall back on."""
    config = make_project(people(2))
    empty = tmp_path / "no-zoneinfo"
    empty.mkdir()
    without_tzdata = "import sys; sys.modules['tzdata'] = None; from greeter.cli import main; main()"
    for command in (["check"], ["preview", "--days", "3"]):
        done = subprocess.run(
            [sys.executable, "-c", without_tzdata, "--config", str(config), *command],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONTZPATH": str(empty)},
            cwd=config.parent,
            check=False,
        )
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr == NO_ZONE_DATABASE + "\n", (command, done.stderr)
        assert "internal error" not in done.stderr and "pip install tzdata" in done.stderr


# --- 7. where the manual is, for an installed copy -----------------------------------------------


def test_greeter_help_points_at_the_manual_where_an_install_has_it() -> None:
    shown = CliRunner().invoke(main, ["--help"], prog_name="greeter", terminal_width=80).stdout
    tail = " ".join(shown.split()[-40:])
    assert "See README.md for the manual" not in shown  # no README beside an installed greeter
    assert "docs/*.md" in tail and "/usr/share/doc/greeter" in tail
    # …which a pip install has not: the help names the sdist, and says the folder is deploy/'s only
    assert f"greeter-mailmerge-{greeter.__version__}.tar.gz" in tail and "pip installs neither" in tail, tail


def test_the_unit_installs_the_pages_its_documentation_links_and_the_readme_links(tmp_path: Path) -> None:
    _deployed_config(tmp_path)  # the unit's install steps, / at tmp_path
    docs = [url.removeprefix("file://") for url in _unit_settings("Documentation")]
    assert any(doc.endswith("/docs/operations.md") for doc in docs), docs
    for doc in docs:
        assert (tmp_path / doc.lstrip("/")).is_file(), doc
    readme = tmp_path / "usr/share/doc/greeter/README.md"
    for target in relative_links(readme):
        path = target.partition("#")[0]
        if path.startswith("docs/"):
            assert (readme.parent / path).is_file(), target


def test_the_containerfile_installs_the_manual_and_the_license_the_build_needs() -> None:
    found = _instructions()
    copied = " ".join(found["COPY"])
    assert re.search(r"\bLICENSE\b", copied)  # pyproject's license-files: no build without it
    assert re.search(r"\bdocs\b", copied)
    assert any(re.search(r"cp -r README\.md .*\bdocs /usr/share/doc/greeter/", run) for run in found["RUN"])


def test_backup_help_quotes_no_schema_version_but_the_current_one() -> None:
    shown = CliRunner().invoke(main, ["backup", "--help"], prog_name="greeter", terminal_width=80).stdout
    assert "schema" in shown and "version N)" in shown  # what the line it prints holds
    quoted = re.findall(r"schema\s+version\s+(\d+)", shown)
    assert all(int(v) == len(MIGRATIONS) for v in quoted), quoted  # never one gone stale


# --- 8. a backup into a folder nobody made -------------------------------------------------------


def test_a_backup_into_a_missing_folder_names_it_and_says_to_create_it(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = sent_journal(make_project)
    folder = tmp_path / "backups" / "greeter"
    target = folder / "Mon.sqlite3"
    done = run_greeter(config, "backup", str(target))
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"{target}: cannot write: the folder {folder} does not exist; create it first (mkdir -p {folder})\n"
    )
    folder.mkdir(parents=True)  # as told
    again = run_greeter(config, "backup", str(target))
    assert again.returncode == 0, again.stderr
    assert target.is_file()


def test_the_shipped_smtp_sink_without_aiosmtpd_says_which_extra_to_install() -> None:
    """greeter.testing is in the runtime wheel (a deployment's own tests use it); aiosmtpd is a test
    extra. Without it ``SmtpSink().start()`` raised a bare ModuleNotFoundError (release engineer)."""
    code = (
        "import sys; sys.modules['aiosmtpd'] = None\n"
        "from greeter.testing import SmtpSink\n"
        "try:\n    SmtpSink().start()\n"
        "except ModuleNotFoundError as exc:\n    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == (
        "greeter.testing.SmtpSink needs aiosmtpd, one of greeter's test extras:"
        " pip install 'greeter-mailmerge[test]' (or pip install aiosmtpd)"
    ), done.stdout + done.stderr
