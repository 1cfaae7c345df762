"""A preview killed midway leaves no ``.NAME.before.tmp`` behind for good: the next run clears it.

Found by reading: a rerun keeps a hard link of each previous file it replaces
(``.NAME.before.tmp``) to put back if it fails, and removes it in ``finish`` or
``abandon``. A run killed outright does neither, and no later run removed the
link unless it wrote that very name again: a page no longer planned left its
link in the reviewer's folder forever. The kill is real: a child process
writes through :class:`~greeter.preview_out.OwnedFolder` and SIGKILLs itself
mid-run, between replacing a file and finishing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from greeter.preview_out import MANIFEST, OwnedFolder

KILLED_MIDRUN = """
import os, signal, sys
from pathlib import Path
from greeter.preview_out import OwnedFolder

folder = OwnedFolder.open(Path(sys.argv[1]))
folder.write("drafts/a.html", (b"new a",))  # replaces the previous a.html: its link is kept
folder.write("index.html", (b"new ",))
os.kill(os.getpid(), signal.SIGKILL)  # before finish: no abandon, no clean-up
"""


def test_a_run_killed_midway_leaves_its_before_links_to_the_next_run_which_clears_them(
    tmp_path: Path,
) -> None:
    first = OwnedFolder.open(tmp_path)
    first.write("index.html", (b"old index",))
    first.write("drafts/a.html", (b"old a",))
    first.finish()

    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MIDRUN, str(tmp_path)],
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = sorted(p.name for p in tmp_path.rglob("*.tmp"))
    assert left == [".a.html.before.tmp", ".index.html.before.tmp"], left  # what the kill left

    again = OwnedFolder.open(tmp_path)  # a smaller preview: a.html is no longer planned
    again.write("index.html", (b"newer index",))
    tally = again.finish()

    assert not list(tmp_path.rglob("*.tmp")), sorted(map(str, tmp_path.rglob("*")))
    assert tally.removed == 1  # the killed run's a.html: listed by it, so still ours to remove
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        MANIFEST,
        "index.html",
    ]


def test_a_leftover_temporary_beside_a_listed_file_is_cleared_when_the_folder_is_opened(
    tmp_path: Path,
) -> None:
    """The two names a killed run can leave, made by hand beside a listed file: gone once opened."""
    first = OwnedFolder.open(tmp_path)
    first.write("drafts/a.html", (b"old a",))
    first.finish()
    (tmp_path / "drafts" / ".a.html.before.tmp").write_bytes(b"old a")
    (tmp_path / "drafts" / "a.html.tmp").write_bytes(b"half of a new a")
    (tmp_path / "drafts" / "notes.tmp").write_bytes(b"a reviewer's own file")

    OwnedFolder.open(tmp_path)

    assert sorted(p.name for p in (tmp_path / "drafts").iterdir()) == ["a.html", "notes.tmp"]
