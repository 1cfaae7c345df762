"""An output path that cannot be written is the user's error in one line, exit 2 — not "a bug in greeter".

Found by an SRE: ``calendar -o /nonexistent/dir/x.ics``, ``calendar -o
/proc/x.ics`` and ``preview --format eml|html --out /proc/xx`` ended with
``internal error: FileNotFoundError … (a bug in greeter …)``, exit 3. Paths
that fail whoever runs the tests (root included): under ``/proc``, and
through a regular file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MakeProject
from tests.test_journal_outages import ENV, ROOT
from tests.test_send_e2e import NOW, greeter_process, people


@pytest.mark.parametrize("where", ["proc", "through-a-file"])
@pytest.mark.parametrize(
    "command",
    [
        ("calendar", "-o", "{dir}/x.ics"),
        ("preview", "--format", "eml", "--out", "{dir}/xx"),
        ("preview", "--format", "html", "--out", "{dir}/xx"),
    ],
    ids=["calendar", "preview-eml", "preview-html"],
)
def test_an_output_path_that_cannot_be_written_is_one_line_naming_it_and_exit_2(
    make_project: MakeProject, tmp_path: Path, where: str, command: tuple[str, ...]
) -> None:
    config = make_project(people(2))
    if where == "proc":
        folder = "/proc"
    else:
        (tmp_path / "a-file").write_text("not a folder\n")
        folder = str(tmp_path / "a-file")
    args = [arg.format(dir=folder) for arg in command]
    result = greeter_process(config, *args, "--now", NOW)
    target = args[-1]
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(f"{target}: cannot write: "), result.stderr
    reason = "Not a directory" if where == "through-a-file" else "No such file or directory"
    assert reason in lines[-1], result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [("calendar", "-o"), ("history", "-o")], ids=["calendar", "history"])
def test_an_output_into_a_folder_nobody_made_names_the_folder_and_how_to_make_it(
    make_project: MakeProject, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """A release engineer's finding: ``backup`` named a missing folder, ``calendar -o`` said only
    "No such file or directory" (one OutputError.of for every output now)."""
    config = make_project(people(2))
    greeter_process(config, "send", "--once", "--now", NOW)  # history needs a journal
    folder = tmp_path / "reports" / "2026"
    target = folder / ("x.ics" if command[0] == "calendar" else "x.csv")
    result = (
        greeter_process(config, *command, str(target), "--now", NOW)
        if command[0] == "calendar"
        else (greeter_process(config, *command, str(target)))
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"{target}: cannot write: the folder {folder} does not exist; create it first (mkdir -p {folder})"
    ), result.stderr


# --- a full disk is "try again later" (75), not a configuration error (2) -------------------------


@pytest.mark.parametrize(
    "command", [("calendar", "-o"), ("history", "--format", "json", "-o")], ids=["calendar", "history"]
)
def test_an_output_on_a_full_disk_is_exit_75_as_a_full_stdout_is(
    make_project: MakeProject, command: tuple[str, ...]
) -> None:
    """``calendar -o FILE`` on a full disk said exit 2 ("fix the configuration") while ``history --json >
    FILE`` said 75: nothing in the command line was wrong. /dev/full: every write is ENOSPC."""
    config = make_project(people(2))
    greeter_process(config, "send", "--once", "--now", NOW)  # history needs a journal
    now = ("--now", NOW) if command[0] == "calendar" else ()
    result = greeter_process(config, *command, "/dev/full", *now)
    assert result.returncode == 75, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "/dev/full: cannot write: No space left on device"


#: Run ``"$@"`` with ``$1`` a fresh tmpfs of size ``$2`` (``fill`` in ``$3``: filled to the last byte
#: first), in a private mount namespace; any ``*.tmp`` left under it, and its files, told on stderr.
_ON_TMPFS = (
    'mount -t tmpfs -o size=$2 tmpfs "$1" && fill=$3 && shift 3'
    ' && { [ "$fill" = fill ] && { cat /dev/zero > "$0/.fill" 2>/dev/null; true; } || true; }'
    ' && "$@"; code=$?; rm -f "$0/.fill";'
    ' find "$0" -name "*.tmp" -printf "left: %p\\n" >&2;'
    ' find "$0" -mindepth 1 -printf "kept: %P\\n" >&2; exit $code'
)


def on_tmpfs(
    out: Path, size: str, config: Path, *args: str, fill: bool = False
) -> subprocess.CompletedProcess[str]:
    """greeter ``args`` run with ``out`` a real tmpfs of ``size`` (full before it starts if ``fill``);
    skipped where no private tmpfs can be mounted (not root, no mount namespaces)."""
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"], capture_output=True, check=False
    )
    if shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip("needs a private tmpfs mount (root, mount namespaces)")
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", _ON_TMPFS, str(out), str(out), size, "fill" if fill else "-",
         sys.executable, "-m", "greeter", "--config", str(config), *args],
        capture_output=True, text=True, timeout=120, env=ENV, check=False, cwd=ROOT,
    )  # fmt: skip


def test_a_preview_gallery_on_a_full_disk_is_exit_75_and_leaves_no_temporary_file(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """``preview --format html -o DIR`` on a full disk: exit 2 and ``gallery.css.tmp`` left behind."""
    config = make_project(people(40))
    out = tmp_path / "gallery"
    out.mkdir()
    result = on_tmpfs(out, "24k", config, "preview", "--format", "html", "-o", str(out), "--now", NOW)
    assert result.returncode == 75, result.stderr
    said = [line for line in result.stderr.strip().splitlines() if not line.startswith(("left: ", "kept: "))]
    assert said[-1].endswith(": cannot write: No space left on device"), result.stderr
    assert said[-1].startswith(str(out)), result.stderr
    assert "left: " not in result.stderr, result.stderr  # no temporary file found after it


@pytest.mark.parametrize(
    "command",
    [("history", "-o", "h.xlsx"), ("suppress", "--list", "-o", "s.xlsx")],
    ids=["history", "suppress-list"],
)
def test_a_workbook_on_a_full_disk_is_one_line_exit_75_and_no_file(
    make_project: MakeProject, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """QA: ``history -o h.xlsx`` on a full tmpfs said "cannot write: No space left on device" and
    exited 75, then printed "Exception ignored in: ZipFile.__del__ … seek of closed file" and
    openpyxl's ``_write_rows`` "I/O operation on closed file": the half-written workbook's ZIP
    archive and sheet were left for the garbage collector to close onto a closed file."""
    config = make_project(people(30))
    greeter_process(config, "send", "--once", "--now", NOW)  # a journal to list
    greeter_process(config, "suppress", "client1@example.com", "--reason", "asked")
    out = tmp_path / "out"
    out.mkdir()
    args = [*command[:-1], str(out / command[-1])]
    result = on_tmpfs(out, "48k", config, *args, fill=True)
    assert result.returncode == 75, result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("kept: ")]
    assert lines == [f"{out / command[-1]}: cannot write: No space left on device"], result.stderr
    assert "kept: " not in result.stderr, result.stderr  # no workbook, whole or half


def test_a_preview_gallery_that_fails_on_a_full_disk_leaves_the_folder_as_it_was(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """QA: ``preview --format html --out DIR`` on a full disk exited 75 and left no .tmp, but left
    ``gallery.css``, two drafts and ``.greeter-preview.sha256`` with no ``index.html``."""
    config = make_project(people(40))
    out = tmp_path / "gallery"
    out.mkdir()
    result = on_tmpfs(out, "24k", config, "preview", "--format", "html", "-o", str(out), "--now", NOW)
    assert result.returncode == 75, result.stderr
    assert "kept: " not in result.stderr, result.stderr  # the empty folder it was


def test_a_failed_preview_puts_back_the_previous_previews_files(tmp_path: Path) -> None:
    """A rerun that fails partway: the page it replaced is the previous one again, the page it
    added is gone, the manifest is the previous preview's, byte for byte (no .tmp left)."""
    from greeter.preview_out import MANIFEST, OwnedFolder

    first = OwnedFolder.open(tmp_path)
    first.write("index.html", (b"old index",))
    first.write("drafts/a.html", (b"old a",))
    first.finish()
    manifest = (tmp_path / MANIFEST).read_bytes()
    again = OwnedFolder.open(tmp_path)
    with pytest.raises(OSError, match="No space left"), again.undone_on_failure():
        again.write("drafts/a.html", (b"new a",))
        again.write("drafts/b.html", (b"new b",))
        again.write("days/1.html", (b"new day",))
        raise OSError(28, "No space left on device")  # as the next write would
    assert (tmp_path / "drafts" / "a.html").read_bytes() == b"old a"
    assert (tmp_path / "index.html").read_bytes() == b"old index"
    assert (tmp_path / MANIFEST).read_bytes() == manifest
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert left == [MANIFEST, "drafts", "drafts/a.html", "index.html"]
