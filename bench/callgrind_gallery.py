"""Instructions (valgrind callgrind) and Python calls (cProfile) of writing a preview gallery.

    python bench/callgrind_gallery.py [--drafts 2000] [--profile]

Why: the gallery is written once per preview, a page per letter, and a cost
paid per page (a second pass over the letters' pages, a stylesheet inlined in
each) grows with the plan. This writes bench/screenshot_gallery.py's dozen
drafts, repeated with distinct contacts to ``--drafts`` (about two thirds of
them letters, the rest skips, merges and a template error each dozen), with
:func:`greeter.gallery.write_gallery` into a temporary folder, under callgrind,
and once with none: the difference is the gallery's own instructions (imports
and start-up left out). ``--profile``: cProfile's total calls instead, and the
calls of each gallery function that costs more than 1 % of them (the same
count run to run), without valgrind. About a minute.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
from contextlib import redirect_stdout
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from callgrind_common import own_instructions  # noqa: E402
from screenshot_gallery import SENDER, sample_drafts  # noqa: E402

from greeter.plan_types import Draft  # noqa: E402

NOW = datetime(2025, 12, 19, 9, 30, tzinfo=ZoneInfo("Europe/Moscow"))


def drafts(count: int) -> list[Draft]:
    """``count`` drafts: the sample's dozen again and again, each round's contacts ids of their own."""
    sample = sample_drafts()
    made: list[Draft] = []
    for k in range(count):
        draft = sample[k % len(sample)]
        hit = draft.item.hit
        contact = replace(hit.contact, id=f"{hit.contact.id}-{k // len(sample)}")
        also = tuple(replace(a, contact=contact) for a in draft.item.also)
        made.append(replace(draft, item=replace(draft.item, hit=replace(hit, contact=contact), also=also)))
    return made


def write(count: int) -> None:
    """The gallery of ``count`` drafts, into a temporary folder (its summary line not printed)."""
    from greeter.gallery import write_gallery

    stream = drafts(count)
    with tempfile.TemporaryDirectory(prefix="greeter-gallery-") as out, redirect_stdout(io.StringIO()):
        write_gallery(stream, Path(out) / "g", start=date(2025, 12, 19), days=14, now=NOW, sender=SENDER)


def profiled(count: int) -> str:
    """cProfile's total calls of the gallery of ``count`` drafts and its costly gallery functions."""
    stream = drafts(count)
    from greeter.gallery import write_gallery

    profile = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix="greeter-gallery-") as out, redirect_stdout(io.StringIO()):
        profile.enable()
        write_gallery(stream, Path(out) / "g", start=date(2025, 12, 19), days=14, now=NOW, sender=SENDER)
        profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_calls  # type: ignore[attr-defined]
    whole = stats.total_tt  # type: ignore[attr-defined]
    lines = [f"{count} drafts: {total:,} calls"]
    rows = [
        (name, calls, cumulative)
        for (file, _, name), (_, calls, _, cumulative, _) in stats.stats.items()  # type: ignore[attr-defined]
        if "greeter/gallery" in file and cumulative > whole / 100
    ]
    lines += [
        f"  {name}: {calls:,} call(s), {100 * cumulative / whole:.0f} % of the time (cumulative)"
        for name, calls, cumulative in sorted(rows, key=lambda r: -r[2])[:10]
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--drafts", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="cProfile's calls, no valgrind")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        write(args.child)
        return 0
    if args.profile:
        print(profiled(args.drafts))
        return 0
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "greeter")], check=True)
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
    counts = {}
    for n in (0, args.drafts):
        child = [sys.executable, __file__, "--child", str(n)]
        subprocess.run(child, env=env, check=True, capture_output=True)  # caches filled, bytecode written
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *child]
        counts[n] = own_instructions(cmd, env, 3600, f"the gallery of {n} drafts")
    gallery = counts[args.drafts] - counts[0]
    print(
        f"gallery of {args.drafts} drafts: {gallery:,} instructions ({gallery / args.drafts:,.0f} per draft)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
