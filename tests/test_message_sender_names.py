"""The From name a letter is built with is its sender's in its locale, kept per sender (issue 5).

:func:`greeter.message.sender_name` keeps ``Sender.in_locale``'s answer by the
sender's identity, asked once per letter otherwise. A reloaded config is a new
sender: its names, not the ones kept for the old one, go into the letters,
however many senders came and went (the entries are dropped past a bound).
"""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import UTC, datetime

from greeter.config import Sender, SenderInLanguage
from greeter.message import build_message
from greeter.plan_types import Rendered
from greeter.testing import parse

LETTER = Rendered(subject="Hello", text="Text", html=None, template_file="birthday.j2", locale="en_GB")


def _from(sender: Sender, locale: str = "en_GB") -> str:
    data = build_message(
        replace(LETTER, locale=locale), to_email="ivan@example.com", to_name="Ivan", sender=sender,
        message_id="<a@romashka.example>", date=datetime(2027, 4, 14, 8, 0, tzinfo=UTC),
    )  # fmt: skip
    return str(parse(data)["From"].addresses[0].display_name)


def _sender(english: str) -> Sender:
    return Sender(
        name="ООО «Ромашка»",
        email="hello@romashka.example",
        by_locale={"en": SenderInLanguage(name=english)},
    )


def test_a_new_sender_signs_with_its_own_names() -> None:
    first = _sender("Romashka LLC")
    assert _from(first) == "Romashka LLC"
    assert _from(first, "ru") == "ООО «Ромашка»"
    second = _sender("Romashka Ltd")  # the config reloaded with the English name changed
    assert _from(second) == "Romashka Ltd"
    assert _from(first) == "Romashka LLC"  # the old one still answers for itself


def test_a_sender_made_where_a_dropped_one_was_is_not_taken_for_it() -> None:
    """Many senders, each dropped after its letter: an id Python reuses never brings back a name."""
    for n in range(200):
        sender = _sender(f"Romashka {n}")
        assert _from(sender) == f"Romashka {n}"
        del sender
        gc.collect()
