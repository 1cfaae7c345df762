"""How fast can one core turn a rendered greeting into wire bytes? (DESIGN.md §7).

Compares the modern ``EmailMessage`` policy with the compat32
``MIMEMultipart``/``MIMEText``/``Header`` path, and measures what greeter
actually ships (:func:`greeter.message.build_message`: compat32 plus header
validation). The letter is a ~4 KB Cyrillic text + HTML greeting with a
Cyrillic display name and subject, like the real ones.

Run: ``python bench/bench_message_build.py [--seconds 2]``; prints msg/s per variant.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, default

from greeter.config import Sender
from greeter.message import build_message, make_message_id
from greeter.plan_types import Rendered

PARAGRAPH = (
    "Уважаемый Иван Петрович! От всей души поздравляем Вас с днём рождения. "
    "Желаем крепкого здоровья, успехов в делах и благополучия Вашей семье. "
)
TEXT = PARAGRAPH * 14  # ~2 KB of UTF-8 text
HTML = "<html><body>" + "".join(f"<p>{PARAGRAPH}</p>" for _ in range(14)) + "</body></html>"
RENDERED = Rendered(subject="С днём рождения, Иван Петрович!", text=TEXT, html=HTML)
SENDER = Sender(name="ООО «Ромашка»", email="hello@romashka.example", reply_to="manager@romashka.example")
NOW = datetime(2025, 3, 14, 10, 30, tzinfo=UTC)
UNSUB_URL = "https://romashka.example/unsubscribe?t=abcdef0123456789"
#: A journal's Message-ID key (any 32 bytes will do for timing).
MESSAGE_KEY = bytes(range(32))


def modern(i: int) -> bytes:
    msg = EmailMessage(policy=default)
    msg["From"] = Address(SENDER.name, addr_spec=SENDER.email)
    msg["To"] = Address("Иван Петрович Сидоров", addr_spec=f"ivan{i}@example.com")
    msg["Subject"] = RENDERED.subject
    msg["Date"] = NOW
    msg["Message-ID"] = f"<greeter.{i}@romashka.example>"
    msg["Reply-To"] = SENDER.reply_to
    msg["List-Unsubscribe"] = f"<mailto:unsubscribe@romashka.example>, <{UNSUB_URL}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(RENDERED.text)
    msg.add_alternative(RENDERED.html, subtype="html")
    return msg.as_bytes(policy=SMTP)


def compat32_raw(i: int) -> bytes:
    from email.header import Header
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    from email.policy import compat32
    from email.utils import format_datetime, formataddr

    msg = MIMEMultipart("alternative")
    msg.attach(MIMEText(RENDERED.text, "plain", "utf-8"))
    msg.attach(MIMEText(RENDERED.html or "", "html", "utf-8"))
    msg["From"] = formataddr((SENDER.name, SENDER.email), charset="utf-8")
    msg["To"] = formataddr(("Иван Петрович Сидоров", f"ivan{i}@example.com"), charset="utf-8")
    msg["Subject"] = Header(RENDERED.subject, "utf-8")
    msg["Date"] = format_datetime(NOW)
    msg["Message-ID"] = f"<greeter.{i}@romashka.example>"
    msg["Reply-To"] = SENDER.reply_to or ""
    msg["List-Unsubscribe"] = f"<mailto:unsubscribe@romashka.example>, <{UNSUB_URL}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return msg.as_bytes(policy=compat32.clone(linesep="\r\n"))


def greeter_build(i: int) -> bytes:
    return build_message(
        RENDERED,
        to_email=f"ivan{i}@example.com",
        to_name="Иван Петрович Сидоров",
        sender=SENDER,
        message_id=make_message_id((str(i), "birthday", NOW.date()), "romashka.example", MESSAGE_KEY),
        date=NOW,
        unsubscribe_mailto="unsubscribe@romashka.example",
        unsubscribe_url=UNSUB_URL,
    )


def rate(build: Callable[[int], bytes], seconds: float) -> tuple[float, int]:
    build(0)  # warm caches and imports
    n = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(50):
            build(n)
            n += 1
    return n / elapsed, len(build(0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per variant")
    args = parser.parse_args()
    variants: dict[str, Callable[[int], bytes]] = {
        "modern EmailMessage (policy=default, as_bytes SMTP)": modern,
        "compat32 MIMEMultipart/MIMEText/Header": compat32_raw,
        "greeter.message.build_message (compat32 + validation)": greeter_build,
    }
    for name, build in variants.items():
        per_second, size = rate(build, args.seconds)
        print(f"{per_second:8.0f} msg/s  {size:6d} B  {name}")


if __name__ == "__main__":
    main()
