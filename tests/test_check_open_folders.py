"""``greeter check`` warns of a folder above the config, letters or recipients that anyone may write.

A contacts file of mode 0644 in a ``data/`` folder of 0777 passed check
silently, though any account on the machine could rename it away and put its
own recipients there (the file's own mode 0666 was already warned of). Real
files and folders in ``tmp_path``, real modes; a read-only mount (a Kubernetes
ConfigMap's 0777 volume) is a real tmpfs in a private mount namespace.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from greeter.checks import run_check
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00"
ROOT = Path(__file__).resolve().parent.parent
ROWS = [contact_row("1", "one@example.com", birthday="07.01.1960")]


def open_folders(config: Path) -> list[str]:
    """check's warnings of a folder in which anyone may replace a file (each as its line)."""
    return sorted(str(p) for p in run_check(config, NOW).problems if "and not sticky" in p.message)


def said(config: Path, setting: str, folder: Path, path: Path) -> str:
    """The warning for ``folder``, of mode 0777, above ``path`` (named by ``setting``)."""
    return (
        f"{config}: {setting}: warning: {folder} is writable by every user (mode 0777) and not sticky: "
        f"anyone on this machine can replace {path} below it, and so change what greeter sends and to "
        f"whom; chmod o-w {folder} (or chmod +t {folder}: only an entry's owner may then replace it)"
    )


def test_a_folder_anyone_may_write_lets_anyone_replace_the_file_in_it(make_project: MakeProject) -> None:
    config = make_project(ROWS)
    data = config.parent / "data"
    contacts = data / "contacts.csv"
    assert open_folders(config) == []
    data.chmod(0o777)
    assert open_folders(config) == [said(config, "contacts.path", data, contacts)]
    data.chmod(0o1777)  # sticky: only the file's owner (or root) may rename or delete it
    assert open_folders(config) == []
    data.chmod(0o775)  # a team's folder: group-writable stays silent, as for the files
    assert open_folders(config) == []


def test_the_folders_are_looked_at_up_to_the_root_each_said_once(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """A 0755 folder (root's, in the test as in /srv/greeter) does not end the walk: anyone may rename
    it inside a parent of 0777 and put another in its place. The project's folder, above every file,
    is said once (for the first file named: the config), and the templates folder, named itself,
    only by the file-mode warning."""
    config = make_project(ROWS, contacts={"path": "data/crm/contacts.csv"})
    crm = config.parent / "data" / "crm"
    crm.mkdir(mode=0o755)
    shutil.move(config.parent / "data" / "contacts.csv", crm / "contacts.csv")
    (config.parent / "data").chmod(0o777)
    assert open_folders(config) == [said(config, "contacts.path", crm.parent, crm / "contacts.csv")]
    (config.parent / "data").chmod(0o755)
    (config.parent / "templates").chmod(0o777)
    tmp_path.chmod(0o777)
    assert open_folders(config) == [said(config, "(the config file)", tmp_path, config)]
    everything = [str(p) for p in run_check(config, NOW).problems if "writable by every user" in p.message]
    assert sum(f" {tmp_path / 'templates'} is writable" in line for line in everything) == 1
    tmp_path.chmod(0o700)


def test_a_symlinked_folder_is_looked_at_where_it_leads(make_project: MakeProject, tmp_path: Path) -> None:
    """``data`` a symlink into a shared folder of 0777 (as a mount or a ConfigMap's ``..data``): the
    path as written passes through no open folder, the one the kernel reaches does."""
    config = make_project(ROWS)
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.move(config.parent / "data", shared / "data")
    (config.parent / "data").symlink_to(shared / "data", target_is_directory=True)
    assert open_folders(config) == []
    shared.chmod(0o777)
    assert open_folders(config) == [
        said(config, "contacts.path", shared, config.parent / "data" / "contacts.csv")
    ]


#: Run in a private mount namespace: a tmpfs of mode 0777 holding the project, checked writable, then
#: remounted read-only and checked again. Prints each check's count of open-folder warnings.
IN_NAMESPACE = """
set -e
mount -t tmpfs -o mode=0777 greeter-test "$MOUNT"
cp -r "$PROJECT"/greeter.yaml "$PROJECT"/data "$PROJECT"/templates "$MOUNT"/
chmod 0644 "$MOUNT"/greeter.yaml
"$PYTHON" -c "$COUNT"
mount -o remount,ro "$MOUNT"
"$PYTHON" -c "$COUNT"
"""
COUNT = """
import os
from pathlib import Path
from greeter.checks import run_check
config = Path(os.environ["MOUNT"]) / "greeter.yaml"
problems = run_check(config, "2026-12-01T09:00").problems
print(sum("and not sticky" in p.message and p.message.startswith(os.environ["MOUNT"] + " ") for p in problems))
"""


def test_a_read_only_mount_of_mode_0777_is_no_open_folder(make_project: MakeProject, tmp_path: Path) -> None:
    """A ConfigMap's or Secret's volume shows mode 0777 but is mounted read-only: nobody can swap a file."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs unshare and root to mount a tmpfs in a private mount namespace")
    project = make_project(ROWS).parent
    mount = tmp_path / "mount"
    mount.mkdir()
    env = {
        **os.environ,
        "MOUNT": str(mount),
        "PROJECT": str(project),
        "PYTHON": sys.executable,
        "COUNT": COUNT,
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", IN_NAMESPACE],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 and "mount" in done.stderr and not done.stdout:
        pytest.skip(f"no private mount namespace here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "0"], done.stdout + done.stderr
