"""Instructions per letter on the three hot paths of a send, counted by valgrind (callgrind).

    python bench/callgrind_paths.py [--letters 400] [--only render|build|send]

Why instruction counts: wall-clock time on a shared 2-core machine drifts by
±20 % within minutes, so a change worth 5–15 % cannot be seen in
``bench_send.py``'s msg/s. ``valgrind --tool=callgrind`` counts the
instructions a run executes, and that count does not depend on what else the
machine is doing. Each run is a child process under valgrind that loads
and plans the bench project, then goes as far as one stage; it runs with 100
letters and with ``100 + --letters``, and the difference divided by
``--letters`` is the cost of one letter without start-up. A path is the
difference between its stage and the stage before it:

  render  Renderer.render of the birthday letters (Jinja sandbox), minus planning
  build   build_message of the rendered letters (email package, compat32)
  send    built letters through delivery_batch.send_batch: claim, SMTP to Postfix's
          smtp-sink over a pool of 32, verdict — the sending process's work;
          letters come as the build workers hand them over (checked for DATA,
          transport.CleanLetter, as build_message makes them in any process);
          GREETER_BENCH_BUILT_IN_PROCESS=1: as plain bytes, scanned on the way out (a
          retry's stored bytes, a DKIM-signed letter built in the sending process)

PYTHONHASHSEED is fixed so both runs hash alike. Needs Debian's valgrind
and, for ``send``, postfix (see bench_send.py). A run takes a few minutes.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from collections.abc import AsyncIterator

from callgrind_common import BASE, instructions, parse, parser, planned_cycle, smtp_sink

#: Each path costs the difference between a run up to its stage and a run up to the stage before.
PATHS = {"render": ("plan", "render"), "build": ("render", "build"), "send": ("prepare", "send")}


def child(stage: str, letters: int, port: int) -> None:
    """Load, plan, and go as far as ``stage`` for ``letters`` letters (inside valgrind)."""
    from greeter.delivery import Ready
    from greeter.delivery_batch import send_batch
    from greeter.message import build_message
    from greeter.send import deadlines
    from greeter.send_transport import make_transport
    from greeter.transport import CleanLetter, is_clean

    cycle, now = planned_cycle(letters, port)
    deliverer = cycle.deliverer
    if stage in ("render", "build"):
        rendered = [deliverer.render(item) for item in cycle.due]
        if stage == "build":
            settings = deliverer.settings
            for item, letter in zip(cycle.due, rendered, strict=True):
                contact = item.hit.contact
                assert contact.email is not None
                build_message(
                    letter, to_email=contact.email, to_name=contact.display_name, sender=settings.sender,
                    message_id="<bench@romashka.example>", date=now,
                    unsubscribe_mailto=settings.unsubscribe.mailto,
                )  # fmt: skip
    elif stage in ("prepare", "send"):
        ready = [deliverer.ready(p) for p in map(deliverer.prepare, cycle.due) if p is not None]
        plain = os.environ.get("GREETER_BENCH_BUILT_IN_PROCESS") == "1"
        for r in ready:
            # As the build workers hand letters over (build_pool.built_letters): checked for
            # DATA there (build_message's CleanLetter, else is_clean), so the sending process
            # does not scan them again; or as plain bytes, which it scans.
            data = r.outgoing.data
            if plain:
                r.outgoing = dataclasses.replace(r.outgoing, data=bytes(data))
            elif type(data) is not CleanLetter and is_clean(data):
                r.outgoing = dataclasses.replace(r.outgoing, data=CleanLetter(data))
        if stage == "send":

            async def letters_to_send() -> AsyncIterator[Ready]:
                for r in ready:
                    yield r

            async def run() -> None:
                transport = make_transport(deliverer.settings)
                try:
                    await send_batch(
                        deliverer, transport, cycle.due, [], deadlines(cycle),
                        concurrency=32, limiter=None, fresh=letters_to_send(),
                    )  # fmt: skip
                finally:
                    await transport.close()

            asyncio.run(run())
            if deliverer.summary.counts["sent"] != letters:
                sys.exit(f"sent {deliverer.summary.counts['sent']} of {letters}")


def main() -> None:
    made = parser(__doc__, letters=400)
    made.add_argument("--only", choices=["render", "build", "send"])
    if (args := parse(made, child)) is None:
        return
    n = args.letters
    print(f"instructions per letter ({BASE} and {BASE + n} letters, difference / {n}), valgrind callgrind")
    for path in [args.only] if args.only else ["render", "build", "send"]:
        with smtp_sink() as port:
            before, after = (
                instructions(__file__, s, BASE + n, port) - instructions(__file__, s, BASE, port)
                for s in PATHS[path]
            )
        print(f"  {path:<8}{(after - before) / n / 1e6:8.3f} M")


if __name__ == "__main__":
    main()
