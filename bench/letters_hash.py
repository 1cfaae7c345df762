"""SHA-256 digests of the letters greeter builds: a change that must not alter a letter leaves them as they were.

    python bench/letters_hash.py [--letters 2000] [--days 366]

Two sets, each one digest (and the number of letters in it):

* ``bench``: bench_send's project (``--letters`` birthdays due at its NOW), each letter's
  bytes exactly as a build worker makes them (``Deliverer.prepare``, as
  :func:`greeter.build_pool._build` runs it), in plan order;
* ``starter <lang>``: for every language ``greeter init --locale`` starts a project in, that
  starter project's letters over ``--days`` days from 1 January 2027 as ``greeter preview
  --format eml`` writes them (every occasion and sample contact of the starter), by file name.

What differs from run to run whatever the code — the ``Message-ID`` and ``Date`` header lines
and the MIME boundary — is masked before hashing. Run it before and after a change and compare.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

#: Header lines whose value is the moment or a unique id, with their folded continuation lines.
_VARYING = re.compile(rb"^(Message-ID|Date):[^\r\n]*(\r?\n[ \t][^\r\n]*)*", re.MULTILINE | re.IGNORECASE)
_BOUNDARY = re.compile(rb'boundary="?([^";\r\n]+)"?')


def masked(data: bytes) -> bytes:
    """``data`` with its Message-ID and Date lines and its MIME boundaries replaced by fixed text."""
    for boundary in set(_BOUNDARY.findall(data)):
        data = data.replace(boundary, b"<boundary>")
    return _VARYING.sub(lambda m: m.group(1) + b": <masked>", data)


def bench_letters(letters: int) -> tuple[str, int]:
    """The digest of bench_send's letters as the build workers make them, and how many there are."""
    from callgrind_common import planned_cycle

    cycle, _ = planned_cycle(letters, 9)  # port 9: nothing is sent
    deliverer = cycle.deliverer
    sha, count = hashlib.sha256(), 0
    for item in cycle.due:
        prepared = deliverer.prepare(item)
        if prepared is None:
            sys.exit(f"a letter was not built: {deliverer.summary.errors[:1]}")
        sha.update(masked(bytes(prepared.outgoing.data)))
        sha.update(prepared.subject.encode())
        count += 1
    return sha.hexdigest(), count


def starter_letters(locale: str, days: int, folder: Path) -> tuple[str, int]:
    """The digest of ``init --locale locale``'s letters over ``days`` days (preview --format eml)."""
    project, out = folder / f"project-{locale}", folder / f"eml-{locale}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("COLUMNS", None)
    greeter = [sys.executable, "-m", "greeter"]
    subprocess.run(
        [*greeter, "init", str(project), "--locale", locale], env=env, check=True, capture_output=True
    )
    preview = [
        *greeter, "--config", str(project / "greeter.yaml"), "preview", "--format", "eml", "--out", str(out),
        "--from", "2027-01-01", "--days", str(days), "--now", "2027-01-01T09:00",
    ]  # fmt: skip
    done = subprocess.run(preview, env=env, check=False, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"preview of the {locale} starter failed: {done.stderr[-600:]}")
    sha, count = hashlib.sha256(), 0
    for path in sorted(out.glob("*.eml")):
        sha.update(path.name.encode())
        sha.update(masked(path.read_bytes()))
        count += 1
    return sha.hexdigest(), count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--days", type=int, default=366)
    args = parser.parse_args()
    from greeter.cli_init import starter_locales, starter_root

    digest, count = bench_letters(args.letters)
    print(f"bench {count} {digest}")
    with tempfile.TemporaryDirectory() as tmp:
        for locale in starter_locales(starter_root()):
            digest, count = starter_letters(locale, args.days, Path(tmp))
            print(f"starter {locale} {count} {digest}")


if __name__ == "__main__":
    main()
