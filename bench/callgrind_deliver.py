"""Instructions per letter of the sending process in a real ``deliver_cycle``, counted by callgrind.

    python bench/callgrind_deliver.py [--letters 300]

Why besides ``callgrind_paths.py --only send``: that path hands built letters
straight to ``send_batch``; here letters come from the forked build workers
(:mod:`greeter.build_pool`) and each is checked against its recipient's send
window, as in ``greeter send --once``. Only the sending process is counted
(the workers report on their own). Runs plan, and plan + deliver, each with
``--letters`` and twice as many (both above build_pool.MIN_LETTERS, so both
fork); the difference of the differences over ``--letters`` is one letter's
cost. Needs valgrind and postfix's smtp-sink (see bench_send.py); a few minutes.
"""

from __future__ import annotations

import asyncio
import sys

from callgrind_common import instructions, parse, parser, planned_cycle, smtp_sink


def child(stage: str, letters: int, port: int) -> None:
    """Load and plan ``letters`` due letters; with ``stage`` deliver, send them (inside valgrind)."""
    from greeter.send import deliver_cycle

    cycle, _ = planned_cycle(letters, port)
    if stage == "deliver":
        asyncio.run(deliver_cycle(cycle))
        if cycle.deliverer.summary.counts["sent"] != letters:
            sys.exit(f"sent {cycle.deliverer.summary.counts['sent']} of {letters}")


def main() -> None:
    if (args := parse(parser(__doc__, letters=300), child)) is None:
        return
    n = args.letters
    with smtp_sink() as port:
        small, large = (
            instructions(__file__, "deliver", k, port) - instructions(__file__, "plan", k, port)
            for k in (n, 2 * n)
        )
    print(f"deliver_cycle, sending process: {(large - small) / n / 1e6:.3f} M instructions a letter")


if __name__ == "__main__":
    main()
