"""Fault matrix (issue "Prove it", part 3): greeter against a real MTA that misbehaves.

    python bench/fault_matrix.py [--greetings 100] [--only ID ...] [--seed 7] [--json]

For each fault in ``tests/faults.py`` it starts Postfix's ``smtp-sink`` with the
fault's options (or a fault proxy in front of healthy and faulty sinks), runs
the real ``greeter send --once`` three times (the fault on; again 30 s later;
after the retry backoff against a healthy sink), then compares the journal
(``greeter history --format json``) with the sinks' dumps, and prints:

    due        greetings due in run 1
    run 1      what run 1 (the fault on) did: sent / retry / failed / uncertain
    received   unique Message-IDs the server took (250, or silence after the final dot)
    dup        Message-IDs received more than once (must be 0)
    sent / retried→sent / failed (suppr.: of those, suppressed) / uncertain / retry
               the journal at the end
    lost       due greetings neither received+sent nor retry/failed/uncertain with a reply (must be 0)
    hits       faults the proxy injected (routed or cut transactions); "every": smtp-sink options
    s          wall time of the row

and under the table every broken invariant. Exit status 1 if there is one.
Needs Debian's postfix package (``/usr/sbin/smtp-sink``); see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.faults import FAULT_IDS, FAULTS, run_fault, table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--greetings", type=int, default=100, help="greetings due per fault (50–200)")
    parser.add_argument("--only", nargs="*", choices=FAULT_IDS, help="run only these faults")
    parser.add_argument("--seed", type=int, default=7, help="seed of the proxy's random faults")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead")
    args = parser.parse_args()
    rows, broken = [], []
    for fault in FAULTS:
        if args.only and fault.id not in args.only:
            continue
        with tempfile.TemporaryDirectory(prefix=f"fault-{fault.id}-") as tmp:
            result = run_fault(fault, Path(tmp), n=args.greetings, seed=args.seed)
        rows.append(result.row())
        broken += [f"{fault.id}: {v}" for v in result.violations()]
        print(f"{fault.id}: done in {result.seconds:.1f} s", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(table(rows))
        print()
        for fault in FAULTS:
            if not args.only or fault.id in args.only:
                note = f" — {fault.note}" if fault.note else ""
                print(f"  {fault.title}: {fault.options}{note}")
    if broken:
        print("\nBROKEN INVARIANTS:", *broken, sep="\n  ")
        sys.exit(1)
    print("\nall invariants hold: no duplicate, no silent loss, no resent uncertain greeting")


if __name__ == "__main__":
    main()
