"""Instructions per letter of a build worker's own work, counted by callgrind.

    python bench/callgrind_build.py [--letters 300]

Why besides ``callgrind_paths.py``: its ``render`` and ``build`` paths call the
renderer and ``build_message`` themselves; a build worker
(:func:`greeter.build_pool._build`) runs ``Deliverer.prepare`` — render, the
review gate, the Message-ID, ``letter_bytes`` — then hashes the bytes and
checks them for DATA (``build_message``'s ``transport.CleanLetter``, judged from
its header lines; ``transport.is_clean`` for other bytes, a signed letter's). This runs exactly that per
letter, in one process (a worker inherits the planned batch at the fork; what
it pickles back is not counted), with 100 letters and with ``100 + --letters``:
the difference over ``--letters`` is one letter's cost. No SMTP, no journal
writes; needs valgrind only. About two minutes.
"""

from __future__ import annotations

import hashlib
import sys

from callgrind_common import BASE, instructions, parse, parser, planned_cycle

#: No letter is sent: the port only fills the project's SMTP settings.
UNUSED_PORT = 9


def child(_stage: str, letters: int, _port: int) -> None:
    """What build_pool._build does for each of ``letters`` planned letters (inside valgrind)."""
    from greeter.transport import CleanLetter, is_clean

    cycle, _ = planned_cycle(letters, UNUSED_PORT)
    deliverer = cycle.deliverer
    for item in cycle.due:
        prepared = deliverer.prepare(item)
        if prepared is None:
            sys.exit(f"a letter was not built: {deliverer.summary.errors[:1]}")
        data = prepared.outgoing.data
        hashlib.sha256(data).hexdigest()
        _ = type(data) is CleanLetter or is_clean(data)
        bytes(data)


def main() -> None:
    if (args := parse(parser(__doc__, letters=300), child)) is None:
        return
    n = args.letters
    small, large = (instructions(__file__, "build", k, UNUSED_PORT) for k in (BASE, BASE + n))
    print(
        f"build worker (prepare, SHA-256, the check for DATA): {(large - small) / n / 1e6:.3f} M instructions a letter"
    )


if __name__ == "__main__":
    main()
