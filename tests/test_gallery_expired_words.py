"""A greeting the journal holds as expired, and why (the daily quota held it), in the gallery's language.

A Russian gallery rendered after the daily quota had held five birthday letters
until their catch-up period ended read, under each «пропуск: просрочено» badge,
"the journal recorded it as expired: past its catch-up period, it was never
sent" — in English, in every gallery language — and not what the journal said
of them: that the quota (``delivery.rate_limit.per_day``) held them back, which
``greeter history`` says. The preview's detail now carries the journal's why,
and each gallery language says both.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from greeter.gallery_lang import ui_for
from greeter.testing import SmtpSink
from tests.conftest import MakeProject
from tests.test_day_quota import per_day
from tests.test_send_e2e import NOW, greeter_process, people

EXPIRED = "the journal recorded it as expired: past its catch-up period, it was never sent"
QUOTA = "the daily quota (delivery.rate_limit.per_day) held it back on 14.04 until its catch-up period ended"


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "ru",
            "по журналу просрочено: срок отправки с опозданием прошёл, письмо так и не ушло; дневная квота"
            " (delivery.rate_limit.per_day) задержала его 14.04, пока не прошёл срок отправки с опозданием",
        ),
        (
            "de",
            "laut Versandprotokoll abgelaufen: die Nachholfrist ist vorbei, die Nachricht wurde nie versendet;"
            " das Tageskontingent (delivery.rate_limit.per_day) hielt sie am 14.04. zurück, bis ihre"
            " Nachholfrist ablief",
        ),
        ("et", None),
        ("hu", None),
        ("sr", None),
        ("sr_Latn", None),
        ("hr", None),
        ("bs", None),
    ],
)
def test_an_expiry_the_quota_caused_is_said_in_the_gallery_s_language(locale: str, said: str | None) -> None:
    ui = ui_for(locale)
    words = ui.detail(f"{EXPIRED}; {QUOTA}", {})
    assert words is not None
    if said is not None:
        assert words == said
    assert "journal" not in words and "catch-up" not in words and "held it back" not in words, words
    alone = ui.detail(EXPIRED, {})
    assert alone is not None and "journal" not in alone and words.startswith(alone), alone


def test_an_expiry_s_words_stay_english_in_an_english_gallery() -> None:
    assert ui_for("en").detail(f"{EXPIRED}; {QUOTA}", {}) == f"{EXPIRED}; {QUOTA}"


def _text(page: Path) -> str:
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", page.read_text(encoding="utf-8"), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


def test_a_russian_gallery_says_the_quota_held_the_expired_letters(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """Ten birthdays of 11 April, ``per_day`` 5, sent at 14.04 11:00: five go, five expire at the next
    run (catch_up_days 3); the gallery of the days after says why, in Russian."""
    with SmtpSink() as sink:
        config = make_project(people(10, day="11.04.1980"), **per_day(sink.port, 5))
        greeter_process(config, "send", "--once", "--now", NOW, timeout=60)
        greeter_process(config, "send", "--once", "--now", "2027-04-15T10:30:00+03:00", timeout=60)
    out = tmp_path / "gallery"
    args = ["--from", "2027-04-10", "--days", "7", "--now", "2027-04-15T10:40:00+03:00"]
    result = greeter_process(config, "preview", "--format", "html", "--out", str(out), *args)
    assert result.returncode == 0, result.stderr
    text = _text(out / "index.html")
    assert text.count("дневная квота (delivery.rate_limit.per_day) задержала его 14.04") == 5, text
    assert "the journal recorded" not in text and "catch-up" not in text, text
    # The JSON keeps the words of the command line, the journal's why included.
    data = greeter_process(config, "preview", "--format", "json", *args)
    expired = [e for e in json.loads(data.stdout) if e["reason"] == "expired"]
    assert [e["detail"] for e in expired] == [f"{EXPIRED}; {QUOTA}"] * 5
