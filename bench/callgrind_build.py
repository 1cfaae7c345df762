"""Instructions per letter of a build worker's own work, counted by callgrind.

    python bench/callgrind_build.py [--letters 300]

Why besides ``callgrind_paths.py``: its ``render`` and ``build`` paths call the
renderer and ``build_message`` themselves; a build worker
(:func:`greeter.build_pool._build`) runs ``Deliverer.prepare`` — render, the
review gate, the Message-ID, ``letter_bytes`` — then hashes the bytes and
checks them for DATA (``transport.is_clean``). This runs exactly that per
letter, in one process (a worker inherits the planned batch at the fork; what
it pickles back is not counted), with 100 letters and with ``100 + --letters``:
the difference over ``--letters`` is one letter's cost. No SMTP, no journal
writes; needs valgrind only. About two minutes.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from callgrind_paths import BASE, instructions, planned_cycle  # noqa: E402  (bench/ on the path)

#: No letter is sent: the port only fills the project's SMTP settings.
UNUSED_PORT = 9


def child(letters: int) -> None:
    """What build_pool._build does for each of ``letters`` planned letters (inside valgrind)."""
    from greeter.transport import is_clean

    cycle, _ = planned_cycle(letters, UNUSED_PORT)
    deliverer = cycle.deliverer
    for item in cycle.due:
        prepared = deliverer.prepare(item)
        if prepared is None:
            sys.exit(f"a letter was not built: {deliverer.summary.errors[:1]}")
        data = prepared.outgoing.data
        hashlib.sha256(data).hexdigest()
        is_clean(data)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[1]))
        return
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "greeter")], check=True)
    n = args.letters
    small, large = (instructions("build", k, UNUSED_PORT, __file__) for k in (BASE, BASE + n))
    print(
        f"build worker (prepare, SHA-256, is_clean): {(large - small) / n / 1e6:.3f} M instructions a letter"
    )


if __name__ == "__main__":
    main()
