"""Shared fixtures: a throw-away greeter project (config, templates, contacts) in tmp_path."""

from __future__ import annotations

import compileall
import json
import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from ruamel.yaml import YAML

from greeter.cli_options import json_error
from tests.parallel import FileLock, heavy_first, under_xdist

ROOT = Path(__file__).resolve().parent.parent
#: The day configs are checked as of in tests (holiday names must exist in the years around it):
#: fixed, so that the suite does not change with the year it runs in.
TODAY = date(2026, 12, 1)
HEADER = "ID;Email;Фамилия;Имя;Отчество;Пол;Компания;Часовой пояс;Язык;Категория;Теги;Дата рождения;Дата основания компании;Первая сделка;Страна"

#: A project builder: rows of contacts (dicts with at least id/email/birthday) + config overrides → config path.
MakeProject = Callable[..., Path]


@contextmanager
def umask(value: int) -> Iterator[None]:
    """The process umask set to ``value`` for a block (the modes greeter gives its files are tested
    under a shell's 022, an open 000 and a strict 077), put back after it."""
    before = os.umask(value)
    try:
        yield
    finally:
        os.umask(before)


def file_mode(path: Path) -> int:
    """A file's or folder's permission bits (0o640)."""
    return stat.S_IMODE(path.stat().st_mode)


def contact_row(
    cid: str,
    email: str,
    *,
    last: str = "Иванов",
    first: str = "Иван",
    patronymic: str = "Петрович",
    birthday: str = "",
    tz: str = "Europe/Moscow",
    tier: str = "regular",
    tags: str = "",
    country: str = "",
) -> str:
    return ";".join(
        [
            cid,
            email,
            last,
            first,
            patronymic,
            "",
            "ООО «Тест»",
            tz,
            "ru",
            tier,
            tags,
            birthday,
            "",
            "",
            country,
        ]
    )


def _merge(target: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


#: No Hypothesis deadline anywhere: with two workers and their subprocesses on 2 cores, a first
#: example's 200 ms measured the machine (the properties themselves are unchanged).
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


def pytest_configure(config: pytest.Config) -> None:
    """Compile greeter's modules once, before any test starts a ``python -m greeter``.

    Why: the suite starts greeter in a subprocess thousands of times, and an editable install
    is run from its source folder, where nothing compiled it; with ``PYTHONDONTWRITEBYTECODE``
    set (as on the CI machine) each of those processes compiled every module it imported,
    again: ~0.35 s of CPU a ``preview`` (1.1 s from bytecode, 1.45 s from source). Python still
    reads a ``.pyc`` it finds and checks it against its source, so an edited module is never
    run stale. Once per run: in xdist's controller, or in the one process without it.
    """
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown"):
        # A CI log's TERM=dumb takes the frame off a terminal's table and its progress bars
        # (greeter.console.table_box, greeter.send_report.progress_wanted): the tests that want
        # neither say TERM=dumb themselves (tests/test_cli_a11y.py).
        os.environ["TERM"] = "xterm-256color"
    if not under_xdist():
        compileall.compile_dir(ROOT / "greeter", quiet=1)
    else:
        # xdist gives its workers COLUMNS=80 and LINES=24 (what its own terminal had): greeter's
        # table then fits 80 columns, where a run without xdist, writing to a pipe, is not cut
        # to a width. The suite's expectations are the latter's, whatever the worker count.
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under xdist, the heavy files first (:func:`tests.parallel.heavy_first`)."""
    if under_xdist():
        heavy_first(items)


@pytest.fixture(scope="module", autouse=True)
def _serial_files_alone(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Under xdist, a module holds the run's file lock while it runs: a ``serial`` one exclusively.

    Why and how: :mod:`tests.parallel`. A no-op when no other worker runs beside this one.
    """
    if not under_xdist():
        yield
        return
    # Each worker's base temp is <the run's base temp>/popen-gwN: the parent is the run's own.
    lock = FileLock(tmp_path_factory.getbasetemp().parent)
    held = lock.acquire(exclusive=request.node.get_closest_marker("serial") is not None)
    try:
        yield
    finally:
        lock.release(held)


@pytest.fixture(scope="session", autouse=True)
def _holiday_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite's own holiday-table cache (greeter.holiday_tables), shared by its subprocesses.

    Keeps the suite off the user's ~/.cache and makes every run start from
    the same (empty) cache. Set for the whole session (the subprocesses inherit
    it), and put back after it: the process that ran the suite keeps its own.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture(autouse=True)
def _no_declared_regions() -> Iterator[None]:
    """Each test starts with no region declared (``send_window.regional_days_off``).

    A config's validation declares its regions process-wide
    (:func:`greeter.holiday_tables.declare_regions`: each config replaces the last one's), so a
    test that loaded a config with ``RU-TA`` left «Татарстан» readable as a country for every
    test after it in the same process (test_zone_country, run after test_regional_days_off).
    """
    from greeter.holiday_tables import declare_regions

    yield
    declare_regions(())


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often the contacts file is parsed (each call of the loader reads it whole): what the
    tests of kept contacts (greeter.runtime.Inputs.keep_contacts) count."""
    import greeter.runtime

    count = [0]
    real = greeter.runtime.iter_contacts

    def counting(*args: Any) -> Any:
        count[0] += 1
        return real(*args)

    monkeypatch.setattr(greeter.runtime, "iter_contacts", counting)
    return count


def refused_stdout(fmt: str, stderr: str) -> str:
    """What a command refused with exit 2 prints on stdout: nothing, or — under JSON output —
    ``{"config_error": "<the line stderr shows>"}`` (docs/commands.md, "A usage or configuration
    error under --json"), so a script's ``json.load`` reads the reason instead of an empty stdout.
    ``stderr``'s last line is that reason (click puts "Error: " before a usage error's)."""
    if fmt != "json":
        return ""
    said = stderr.rstrip("\n").splitlines()[-1].removeprefix("Error: ")
    return json_error(said) + "\n"


def edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Rewrite ``path`` in place with ``old`` replaced by ``new`` (as long), its mtime put back:
    (size, mtime, inode) all as before, as an edit within the mtime's granularity leaves them."""
    before = path.stat()
    text = path.read_text(encoding="utf-8-sig")
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new), encoding="utf-8-sig")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


def skipped_greetings(output: str) -> list[str]:
    """``greeter check``'s row warnings that cost a contact greetings, after ``contacts.csv:``."""
    return [
        line.partition("contacts.csv:")[2] for line in output.splitlines() if "greetings are skipped" in line
    ]


def without_decree_notes(output: str) -> str:
    """``output`` without ``check``'s warnings that the holidays library lacks a year's decreed
    moved days off (greeter.decreed_days: HU, BY, UZ 2027 as the library stands): true of a new
    project of those countries too, so a test that a starter project "checks clean" looks past them.
    """
    return "".join(line for line in output.splitlines(keepends=True) if "moved days off of" not in line)


def birthday_sends(config: Path, start: str, days: int, now: str) -> dict[str, datetime]:
    """When each contact's birthday letter is sent, by ``greeter preview --format json`` of ``config``
    from ``start`` for ``days`` as of ``now``: what the days-off tests (a country's, a region's, a
    country's weekend) compare. The preview must succeed; its JSON is read from stdout alone."""
    from click.testing import CliRunner

    from greeter.cli import main

    args = ["--config", str(config), "preview", "--format", "json"]
    args += ["--from", start, "--days", str(days), "--now", now]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return {
        row["contact_id"]: datetime.fromisoformat(row["send_at"])
        for row in json.loads(result.stdout)
        if row["occasion"] == "birthday"
    }


def xlsx_contacts(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """An .xlsx of the example's columns (:data:`HEADER`) with ``rows`` as written — Excel date cells,
    formulas, any value — for the tests of what a workbook's cells become."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(";"))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Copy config.example.yaml and templates/ into tmp_path, with the given contacts and changes."""

    def build(rows: Sequence[str], **changes: Any) -> Path:
        shutil.copytree(ROOT / "templates", tmp_path / "templates", dirs_exist_ok=True)
        (tmp_path / "data").mkdir(exist_ok=True)
        (tmp_path / "data" / "contacts.csv").write_text(
            "\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig"
        )
        yaml = YAML()
        config = yaml.load((ROOT / "config.example.yaml").read_text(encoding="utf-8"))
        _merge(config, changes)
        path = tmp_path / "greeter.yaml"
        with path.open("w", encoding="utf-8") as fh:
            yaml.dump(config, fh)
        return path

    return build


@pytest.fixture(scope="module")
def keypair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A DKIM signing key (PEM file) and its public key (DER), made by openssl for a test module."""
    folder = tmp_path_factory.mktemp("dkim")
    key = folder / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    der = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"], check=True, capture_output=True
    ).stdout
    return key, der
