"""``greeter preview --format eml``: one RFC 5322 file per draft, built as the letter that would be sent.

Uses the same message builder and Message-ID as delivery, so opening the file
in a mail client shows the letter exactly as the client will get it (only
the Date header differs: it is stamped when the letter really leaves, in UTC as here).
The files are never DKIM-signed, even when ``delivery.dkim`` is set: the key is a secret
only greeter's user may read (``check`` warns otherwise), not the reviewers who run a
preview, and a signed file passed around for review is a letter anyone holding it could
replay as the domain's for the signature's life. The signature covers the Date, which
differs anyway; ``greeter test-send`` sends a signed letter to check DKIM with. The
Message-ID is made with the journal's own key (:class:`~greeter.message.MessageIds`),
read and never made here: before the journal has one (nothing sent from it
yet) the files carry sample Message-IDs, and the summary says so.

``--out`` may be a folder of other files: only the files an earlier preview
wrote there are replaced or removed (:class:`~greeter.preview_out.OwnedFolder`).
The ``file`` transport's outbox is refused before planning
(:func:`~greeter.own_files.refusal`), as are the templates folder and a
folder holding the journal, the config or the contacts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from greeter.errors import GreeterError
from greeter.message import MessageIds, build_message
from greeter.plan_types import Draft
from greeter.preview_out import MANIFEST, OwnedFolder
from greeter.runtime import Inputs, existing_journal
from greeter.transport import eml_name


def write_eml(
    stream: Iterable[Draft], out: Path, inputs: Inputs, unsubscribe_link: Callable[[str | None], str | None]
) -> int:
    """Write every rendered draft into ``out``; returns how many could not be rendered, built or written.

    A letter that fails to render is said by the caller, one line per mistake
    (:class:`~greeter.preview.RenderFailures`). A letter the journal says left
    is not written, as the gallery gives it a card and no page: it will not go
    again, and rendering it now need not give the bytes that left. The summary
    counts them, so that ``wrote 0`` after a send is not a mystery.
    ``unsubscribe_link`` gives a recipient's one-click link
    (:meth:`greeter.render.Renderer.unsubscribe_link`): the header a sent letter
    carries, ``List-Unsubscribe-Post`` with it, is in the file too.
    """
    folder = OwnedFolder.open(out)
    with folder.undone_on_failure():  # a run that fails leaves the folder as it found it
        settings = inputs.settings
        domain = settings.sender.domain
        ids = _message_ids(inputs)
        errors = written = left = 0
        for draft in stream:
            if draft.error is not None:
                errors += 1
                continue
            item, rendered = draft.item, draft.rendered
            left += item.status == "sent"
            if item.status != "send" or rendered is None or item.send_at is None:
                continue
            hit = item.hit
            try:
                data = build_message(
                    rendered,
                    to_email=hit.contact.email or "",
                    to_name=hit.contact.display_name,
                    sender=settings.sender,
                    message_id=ids.make(hit.key, domain),
                    date=item.send_at,
                    unsubscribe_mailto=settings.unsubscribe.mailto,
                    unsubscribe_url=unsubscribe_link(hit.contact.email),
                    extra_headers=settings.delivery.headers,
                )
            except GreeterError as exc:
                errors += 1
                print(f"{hit.contact.id} {hit.occasion}: {exc}", file=sys.stderr)
                continue
            name = eml_name(hit.key)
            if not folder.write(name, (data,)):
                errors += 1
                print(
                    f"{out / name}: not written: a file of that name is there that no earlier preview wrote "
                    f"(or it was changed since; see {MANIFEST}); it is kept",
                    file=sys.stderr,
                )
                continue
            written += 1
        tally = folder.finish()
    print(f"wrote {written} .eml file(s) to {out}{_already_left(left)}{tally.summary()}")
    if written and settings.delivery.dkim is not None:
        print(
            "note: the files carry no DKIM-Signature (the key stays with the sender); the letters sent"
            " are signed: `greeter test-send` sends one to check it",
            file=sys.stderr,
        )
    if written and ids.sample:
        print(
            "note: the journal has no Message-ID key yet (the first send makes it): the files'"
            " Message-IDs are samples, the letters sent carry others",
            file=sys.stderr,
        )
    return errors


def _message_ids(inputs: Inputs) -> MessageIds:
    """The Message-IDs the letters will carry: from the journal's key when it has one — read, not
    made (a preview makes no journal, and writes nothing in one) — else samples."""
    journal = existing_journal(inputs, datetime.now(UTC))
    try:
        return MessageIds.of(journal, create=False)
    finally:
        if journal is not None:
            journal.close()


def _already_left(letters: int) -> str:
    """``"; not written: 1 letter the journal says already left (…)"`` — empty when none did."""
    if not letters:
        return ""
    one = letters == 1
    return (
        f"; not written: {letters} letter{'' if one else 's'} the journal says already left"
        f" (greeter history shows {'it' if one else 'them'})"
    )
