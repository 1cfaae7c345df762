"""Instructions (callgrind) and CPU time of each process of one whole ``greeter send --once``.

    python bench/callgrind_send.py [--letters 2000] [--processes 1] [--transport smtp|file] [--cpu]

Why besides ``callgrind_build.py`` and ``callgrind_deliver.py``: those count one
letter's cost (a difference of two runs), so what a process pays once — its
imports, the plan, and in each build worker (:mod:`greeter.build_pool`) the
first render's parse and compile of every template, Babel's data, the email
package's set-up — is in neither. This runs the real command on bench_send's
project (``--letters`` birthdays due at its NOW, ``delivery.build_processes``
``--processes``), to Postfix's ``smtp-sink`` or into the file transport's
outbox, and counts every process on its own: the sending process (start to
exit) and each forked build worker. Deterministic under valgrind; ``--cpu``
runs it once without valgrind and reads each process's user + system time
from ``/proc`` every 10 ms instead (a worker's last tick may fall to the
sending process). Needs valgrind (not with ``--cpu``) and, for smtp,
postfix's smtp-sink (see bench_send.py). 2,000 letters: ~3 minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

from callgrind_common import ROOT, smtp_sink

#: /proc's clock ticks per second (utime and stime are counted in them).
TICKS = os.sysconf("SC_CLK_TCK")


def project(folder: Path, letters: int, port: int, processes: int, transport: str) -> Path:
    """bench_send's project of ``letters`` due birthdays, on ``transport`` with ``processes`` builders."""
    import bench_send
    from ruamel.yaml import YAML

    config = bench_send.greeter_project(folder, letters, port, 32, build_processes=processes)
    if transport == "file":
        yaml = YAML()
        settings = yaml.load(config.read_text(encoding="utf-8"))
        settings["delivery"]["transport"] = "file"
        with config.open("w", encoding="utf-8") as fh:
            yaml.dump(settings, fh)
    return config


def command(config: Path) -> list[str]:
    import bench_send

    return [
        sys.executable,
        "-m",
        "greeter",
        "--config",
        str(config),
        "send",
        "--once",
        "--now",
        bench_send.NOW,
    ]


def counted(cmd: list[str], env: dict[str, str], keep: Path | None = None) -> list[int]:
    """Each process's own instructions under callgrind: the one started first, then each forked one.

    A forked child's ``Collected`` total includes what its parent had executed
    before the fork; so costs are dumped (and zeroed) at every fork, and a
    child's own are the totals of its own output files.
    """
    with tempfile.TemporaryDirectory() as out_dir:
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", "--dump-before=fork", f"--callgrind-out-file={out_dir}/cg.%p", *cmd],
            capture_output=True, text=True, env=env, timeout=7200, check=False,
        )  # fmt: skip
        pids = list(dict.fromkeys(re.findall(r"^==(\d+)==", out.stderr, re.M)))
        collected = dict(re.findall(r"^==(\d+)== Collected : (\d+)", out.stderr, re.M))
        if out.returncode not in (0, 1) or not pids or any(pid not in collected for pid in pids):
            raise RuntimeError(f"send failed under valgrind: {out.stdout[-400:]} {out.stderr[-800:]}")
        totals: dict[str, int] = {}
        for path in Path(out_dir).iterdir():  # cg.<pid>, and cg.<pid>.<part> for a process that dumped
            pid = path.name.split(".")[1]
            totals[pid] = totals.get(pid, 0) + sum(
                map(int, re.findall(r"^totals: (\d+)", path.read_text(), re.M))
            )
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for path in Path(out_dir).iterdir():
                shutil.copy(path, keep / path.name)
    return [int(collected[pids[0]]), *(totals[pid] for pid in pids[1:])]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, list[float]]:
    """The command's total CPU seconds (all its processes) and each forked child's, from ``/proc``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen: dict[int, float] = {}
    while proc.poll() is None:
        for pid in _children(proc.pid):
            seen[pid] = max(seen.get(pid, 0.0), _cpu(pid))
        time.sleep(0.01)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"send failed: {proc.stderr.read()[-800:] if proc.stderr else b''!r}")
    return total, list(seen.values())


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=1, help="delivery.build_processes")
    parser.add_argument("--transport", choices=("smtp", "file"), default="smtp")
    parser.add_argument("--cpu", action="store_true", help="CPU seconds without valgrind, not instructions")
    parser.add_argument(
        "--keep", type=Path, help="copy callgrind's output files (cg.<pid>[.<part>]) into this folder"
    )
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "greeter")], check=True)
    # Under valgrind a letter renders ~50× slower: past the sandbox's 2 s limit (template_limits).
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT), "GREETER_RENDER_SECONDS": "600"}
    with (
        smtp_sink() if args.transport == "smtp" else nullcontext(9) as port,
        tempfile.TemporaryDirectory() as tmp,
    ):
        env["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        config = project(Path(tmp), args.letters, port, args.processes, args.transport)
        # The template code cache as every later run finds it (its key is the files' paths):
        # filled by a run of the same project, whose journal and outbox are then thrown away.
        data = config.parent / "data"
        contacts = (data / "contacts.csv").read_bytes()
        subprocess.run(command(config), env=env, capture_output=True, timeout=1800, check=True)
        shutil.rmtree(data)
        data.mkdir()
        (data / "contacts.csv").write_bytes(contacts)
        what = f"{args.letters} letters, {args.transport}, build_processes {args.processes}"
        if args.cpu:
            total, workers = timed(command(config), env)
            print(f"{what}: CPU seconds")
            print(f"  sending process  {total - sum(workers):8.3f}")
            for n, seconds in enumerate(workers, 1):
                print(f"  build worker {n}   {seconds:8.3f}")
            print(f"  all              {total:8.3f}")
            return
        counts = counted(command(config), env, args.keep)
        print(f"{what}: M instructions")
        print(f"  sending process  {counts[0] / 1e6:10.1f}")
        for n, count in enumerate(counts[1:], 1):
            print(f"  build worker {n}   {count / 1e6:10.1f}")
        print(f"  all              {sum(counts) / 1e6:10.1f}")


if __name__ == "__main__":
    main()
