"""``greeter preview --format eml``: one RFC 5322 file per draft, byte-identical to what would be sent.

Uses the same message builder and Message-ID as delivery, so opening the file
in a mail client shows the letter exactly as the client will get it (only
the Date header differs: it is stamped when the letter really leaves).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from greeter.errors import GreeterError
from greeter.message import build_message, make_message_id
from greeter.plan_types import Draft
from greeter.runtime import Inputs
from greeter.transport import eml_name


def write_eml(stream: Iterable[Draft], out: Path, inputs: Inputs) -> int:
    """Write every rendered draft into ``out``; returns how many could not be built."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.eml"):
        stale.unlink()
    settings = inputs.settings
    domain = settings.sender.email.rsplit("@", 1)[-1]
    errors = written = 0
    for draft in stream:
        if draft.error is not None:
            errors += 1
            print(f"render error: {draft.error}")
            continue
        item, rendered = draft.item, draft.rendered
        if item.status != "send" or rendered is None or item.send_at is None:
            continue
        hit = item.hit
        try:
            data = build_message(
                rendered,
                to_email=hit.contact.email or "",
                to_name=hit.contact.display_name,
                sender=settings.sender,
                message_id=make_message_id(hit.key, domain),
                date=item.send_at,
                unsubscribe_mailto=settings.unsubscribe.mailto,
            )
        except GreeterError as exc:
            errors += 1
            print(f"{hit.contact.id} {hit.occasion}: {exc}")
            continue
        (out / eml_name(hit.key)).write_bytes(data)
        written += 1
    print(f"wrote {written} .eml file(s) to {out}")
    return errors
