"""``greeter init``: a starter project for a greeter installed from a wheel, with no checkout beside it.

After ``pip install`` a user had no example config, templates or contacts (they
live at the repository's top level), and ``greeter check`` in an empty folder
could only say that no config is there. ``greeter init`` writes them out from
the package; these tests run it through the real CLI, then ``check`` and
``preview`` on what it wrote, and once from a copy of greeter laid out as the
wheel lays it out (pyproject's mapping, read here), away from any checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.cli_init import EXAMPLE_CONFIG, PACKAGED, SAMPLE_DATA, TEMPLATES, project_head
from greeter.config_loader import load_settings
from tests.conftest import ROOT, file_mode, umask

#: A moment to check and preview at: the same letters whatever day the suite runs.
NOW = "2026-12-01T09:00:00+03:00"


def run_greeter(folder: Path, *args: str, pythonpath: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real CLI run in ``folder`` with no ``--config`` and no ``$GREETER_CONFIG``, as a first-day user runs it."""
    env = {k: v for k, v in os.environ.items() if k != "GREETER_CONFIG"}
    env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-m", "greeter", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=folder,
        check=False,
    )


def starter_sources() -> dict[str, Path]:
    """What a starter project holds, by its name there, and the repository file it is a copy of."""
    sources = {"greeter.yaml": ROOT / EXAMPLE_CONFIG}
    sources |= {name: ROOT / name for name in SAMPLE_DATA}
    sources |= {f"{TEMPLATES}/{p.name}": p for p in (ROOT / TEMPLATES).glob("*.j2")}
    return sources


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def assert_a_copy_of_the_starter(project: Path) -> None:
    sources = starter_sources()
    assert files_under(project) == set(sources)
    for name, source in sources.items():
        expected = source.read_bytes()
        if name == "greeter.yaml":  # the example, opening as the project's own config
            expected = project_head(source.read_text(encoding="utf-8")).encode("utf-8")
        assert (project / name).read_bytes() == expected, name


def test_the_written_config_speaks_of_itself_as_greeter_yaml(tmp_path: Path) -> None:
    """It opened "works as it is: greeter check --config config.example.yaml. Copy it to greeter.yaml"
    in a project holding greeter.yaml and no config.example.yaml; the repository's example keeps its words."""
    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    head = "\n".join((tmp_path / "greeter.yaml").read_text(encoding="utf-8").splitlines()[:7])
    assert "config.example.yaml" not in head and "Copy it to greeter.yaml" not in head, head
    assert "works as it is: `greeter check` in this folder" in head
    assert "#   greeter.yaml:42:3: frequency_cap.max_count" in head
    example = (ROOT / EXAMPLE_CONFIG).read_text(encoding="utf-8")
    assert "`greeter check --config config.example.yaml`.\n# Copy it to greeter.yaml" in example


# ---------------------------------------------------------------- 1. a project check and preview accept


def test_init_in_an_empty_folder_writes_a_project_that_check_and_preview_accept(tmp_path: Path) -> None:
    done = run_greeter(tmp_path, "init")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert_a_copy_of_the_starter(tmp_path)
    templates = len(list((ROOT / TEMPLATES).glob("*.j2")))
    assert done.stdout.splitlines()[:7] == [
        f"wrote a starter project in {tmp_path}:",
        "  greeter.yaml",
        "  data/contacts.csv",
        f"  templates/ ({templates} letter templates)",
        "next:",  # no `cd`: it is the folder the user is in
        "  greeter check",
        "  greeter preview --days 30",
    ]

    check = run_greeter(tmp_path, "check", "--now", NOW)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.rstrip().splitlines()[-1].startswith("check: OK")
    preview = run_greeter(tmp_path, "preview", "--days", "30", "--format", "json", "--now", NOW)
    assert preview.returncode == 0, preview.stderr
    assert any(item["status"] == "send" for item in json.loads(preview.stdout))


def test_init_dir_makes_the_missing_folders_and_says_to_cd_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with umask(0o022):
        done = CliRunner().invoke(main, ["init", "new folder/greetings"])
    assert done.exit_code == 0, done.output
    project = tmp_path / "new folder" / "greetings"
    assert_a_copy_of_the_starter(project)
    assert "  cd 'new folder/greetings'\n  greeter check\n" in done.stdout
    # data/ is where the clients' export, the journal and the outbox go: greeter's modes for such data.
    assert file_mode(project / "data") == 0o750
    assert file_mode(project / "data" / "contacts.csv") == 0o640


def test_the_printed_commands_name_the_config_written_when_another_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$GREETER_CONFIG names another file: a bare `greeter check` there would not read greeter.yaml."""
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["init"], env={"GREETER_CONFIG": "/etc/greeter/greeter.yaml"})
    assert done.exit_code == 0, done.output
    assert (tmp_path / "greeter.yaml").is_file() and not Path("/etc/greeter/greeter.yaml").exists()
    assert "  greeter --config greeter.yaml check\n" in done.stdout
    assert "  greeter --config greeter.yaml preview --days 30\n" in done.stdout


# ---------------------------------------------------------------- 2. never over a file that is there


def test_init_never_replaces_a_file_it_names_them_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "greeter.yaml").write_text("mine\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "birthday.j2").write_text("my letter\n", encoding="utf-8")

    done = CliRunner().invoke(main, ["init"])
    assert done.exit_code == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"{tmp_path}: greeter init never replaces a file, and 2 of its files are there already: "
        "greeter.yaml, templates/birthday.j2; nothing was written — move them away, or init an "
        "empty folder: greeter init DIR\n"
    )
    assert files_under(tmp_path) == {"greeter.yaml", "templates/birthday.j2"}  # no data/, no other template
    assert (tmp_path / "greeter.yaml").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "templates" / "birthday.j2").read_text(encoding="utf-8") == "my letter\n"


def test_a_second_init_refuses_and_counts_what_it_does_not_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    (tmp_path / "greeter.yaml").write_text("edited\n", encoding="utf-8")

    again = CliRunner().invoke(main, ["init"])
    assert again.exit_code == 2
    total = len(starter_sources())
    assert f"{total} of its files are there already: greeter.yaml, data/contacts.csv, " in again.stderr
    assert f" and {total - 10} more; nothing was written" in again.stderr
    assert (tmp_path / "greeter.yaml").read_text(encoding="utf-8") == "edited\n"


def test_a_dangling_link_or_a_file_where_a_folder_goes_is_in_the_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link is never followed to write where it points, even to nowhere yet; `templates` a file is named."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "greeter.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (tmp_path / "templates").write_text("", encoding="utf-8")

    done = CliRunner().invoke(main, ["init"])
    assert done.exit_code == 2
    assert "2 of its files are there already: templates (not a folder), greeter.yaml;" in done.stderr
    assert not (tmp_path / "elsewhere.yaml").exists() and not (tmp_path / "data").exists()


def test_a_folder_that_cannot_be_written_is_one_line_naming_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("", encoding="utf-8")
    done = CliRunner().invoke(main, ["init", "file/project"])
    assert done.exit_code == 2
    assert done.stderr == "file/project: cannot write: Not a directory\n"


# ---------------------------------------------------------------- 3. the hint where there is no config


def test_check_where_there_is_no_config_and_no_example_names_greeter_init(tmp_path: Path) -> None:
    done = run_greeter(tmp_path, "check")
    assert done.returncode == 2
    assert done.stderr == (
        f"greeter.yaml: config file not found in {tmp_path} (the file read when no --config is given): "
        "name your config with --config FILE, or write a starter project here (config, templates, "
        "sample contacts): greeter init\n"
    )


def test_beside_the_example_the_hint_stays_to_copy_it(tmp_path: Path) -> None:
    shutil.copy(ROOT / EXAMPLE_CONFIG, tmp_path / EXAMPLE_CONFIG)
    done = run_greeter(tmp_path, "check")
    assert done.returncode == 2
    assert "cp config.example.yaml greeter.yaml" in done.stderr and "greeter init" not in done.stderr


# ---------------------------------------------------------------- 4. what ships is what the example reads


def test_the_sample_data_is_exactly_what_the_example_config_reads() -> None:
    """SAMPLE_DATA (and the wheel's data files) follow config.example.yaml: a contacts file it names
    and init does not write would fail `greeter check` in every new project."""
    settings = load_settings(ROOT / EXAMPLE_CONFIG, today=date(2026, 12, 1))
    named = [settings.contacts.path, settings.send_window.days_off_ics, *(o.ics for o in settings.occasions)]
    assert {p.relative_to(ROOT).as_posix() for p in named if p is not None} == set(SAMPLE_DATA)
    assert settings.templates_dir == ROOT / TEMPLATES


def wheel_layout(site: Path) -> Path:
    """greeter laid out in ``site`` as its wheel installs it: the package, and ``greeter/_starter/``
    filled by pyproject's package-dir and package-data for the ``greeter._starter`` packages."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    # Else setuptools adds every file the sdist holds under a mapped folder (MANIFEST.in's
    # `graft templates`, `include data/*.csv`: an export left beside the sample) to the wheel too.
    assert setuptools["include-package-data"] is False
    shutil.copytree(ROOT / "greeter", site / "greeter", ignore=shutil.ignore_patterns("__pycache__"))
    starter = [p for p in setuptools["packages"] if p.split(".")[:2] == ["greeter", PACKAGED]]
    assert "greeter._starter" in starter, setuptools["packages"]
    for package in starter:
        source = ROOT / setuptools["package-dir"][package]
        into = site.joinpath(*package.split("."))
        for pattern in setuptools["package-data"][package]:
            for found in source.glob(pattern):
                (into / found.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(found, into / found.relative_to(source))
    return site / "greeter" / PACKAGED


def test_the_wheel_carries_exactly_the_starter_and_init_writes_it_away_from_any_checkout(
    tmp_path: Path,
) -> None:
    """pyproject ships only what init reads (no journal, no outbox of a checkout's data/), and init
    reads it from the installed package: here no config.example.yaml is beside the package."""
    site, project = tmp_path / "site-packages", tmp_path / "project"
    project.mkdir()
    packaged = wheel_layout(site)
    expected = {
        EXAMPLE_CONFIG,
        *SAMPLE_DATA,
        *(f"data/{p.name}" for p in (ROOT / "data").glob("contacts.*.csv")),  # init --locale's
        *(f"{TEMPLATES}/{p.name}" for p in (ROOT / TEMPLATES).glob("*.j2")),
    }
    assert files_under(packaged) == expected

    done = run_greeter(project, "init", pythonpath=site)
    assert done.returncode == 0, done.stderr
    assert_a_copy_of_the_starter(project)
    check = run_greeter(project, "check", "--now", NOW, pythonpath=site)
    assert check.returncode == 0, check.stdout + check.stderr


def test_an_install_without_the_starter_says_so_as_a_bug(tmp_path: Path) -> None:
    site, project = tmp_path / "site-packages", tmp_path / "project"
    project.mkdir()
    shutil.rmtree(wheel_layout(site))
    done = run_greeter(project, "init", pythonpath=site)
    assert done.returncode == 3
    assert done.stderr.startswith(
        "greeter's starter files are not installed with it (no config.example.yaml in "
    )
    assert done.stderr.rstrip().endswith("a packaging bug; reinstall greeter from its wheel")
    assert files_under(project) == set()


def test_the_containerfile_copies_what_the_wheel_maps_into_greeter() -> None:
    """The image builds greeter from the files it copies: a starter file pyproject maps but the
    Containerfile leaves out stops `pip install .` (package directory 'templates' does not exist)."""
    from tests.test_container_ops import _instructions

    copied = {Path(source) for args in _instructions()["COPY"] for source in args.split()[:-1]}
    for needed in (EXAMPLE_CONFIG, TEMPLATES, *SAMPLE_DATA):
        assert any(c == Path(needed) or c in Path(needed).parents for c in copied), (needed, copied)


def test_one_file_in_the_way_is_said_in_the_singular() -> None:
    """QA re-test: «1 of its files are there already»."""
    from greeter.cli_init import refusal

    said = refusal(Path("/srv/g"), ["templates/birthday.j2"])
    assert "and 1 of its files is there already: templates/birthday.j2;" in said
    assert "2 of its files are there already" in refusal(Path("/srv/g"), ["a", "b"])
