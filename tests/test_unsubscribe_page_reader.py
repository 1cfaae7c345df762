"""The unsubscribe page as its reader meets it: kept out of caches and indexes, in the contact's
language when the request names none, and a done page that says what happened and what did not.

Found by a persona reading greeter's letters as their recipient: a one-click POST from an
English contact's mail client (no ``Accept-Language``) was answered in Russian, and the done
page said only «Готово. Вы отписаны…» — which address, how to undo it, and whether invoices
still come, it did not say.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from greeter.http_api import ApiContext, make_app
from greeter.journal import open_journal
from greeter.journal_store import JournalStore
from greeter.metrics import RunStats
from greeter.unsubscribe import PAGE_WORDS, make_token, page_language, render_page

SECRET = b"s" * 32
NOW = datetime(2027, 1, 1, tzinfo=UTC)
ONE_CLICK = b"List-Unsubscribe=One-Click"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[JournalStore]:
    store = open_journal(str(tmp_path / "journal.sqlite3"), now=NOW)
    try:
        yield store
    finally:
        store.close()


def answers(
    ctx: ApiContext, requests: list[tuple[str, str, dict[str, str]]]
) -> list[tuple[int, dict[str, str], str]]:
    """Each (method, path, headers) asked of the app: its status, headers and page."""
    from aiohttp.test_utils import TestClient, TestServer

    async def ask() -> list[tuple[int, dict[str, str], str]]:
        got = []
        async with TestClient(TestServer(make_app(ctx))) as client:
            for method, path, headers in requests:
                data = ONE_CLICK if method == "POST" else None
                answer = await client.request(method, path, data=data, headers=headers)
                got.append((answer.status, dict(answer.headers), await answer.text()))
        return got

    return asyncio.run(ask())


def context(journal: JournalStore, contact_locale: Callable[[str], str | None] | None = None) -> ApiContext:
    return ApiContext(
        journal=journal,
        stats=RunStats(started_at=NOW),
        clock=lambda: NOW,
        secret=SECRET,
        default_locale="ru",
        contact_locale=contact_locale,
    )


def test_every_unsubscribe_page_is_kept_out_of_caches_and_search_indexes(journal: JournalStore) -> None:
    """The path holds a token naming an address: no cache may keep the page, no robot index it."""
    good = f"/unsubscribe/{make_token(SECRET, 'ivan@example.com')}"
    got = answers(
        context(journal),
        [("GET", good, {}), ("POST", good, FORM), ("GET", "/unsubscribe/garbage", {})],
    )
    assert [status for status, _, _ in got] == [200, 200, 404]
    for _, headers, _ in got:
        assert headers["Cache-Control"] == "no-store"
        assert headers["X-Robots-Tag"] == "noindex"


def test_a_request_without_accept_language_gets_the_contacts_language(journal: JournalStore) -> None:
    """A GET without Accept-Language (a reader whose browser names no language greeter has): the
    token's address is the contact's, so the page speaks their language before
    ``defaults.locale``'s; the reader's own Accept-Language still comes first (it is who reads the
    page). A mail client's one-click POST names none either, but nobody reads its answer: the
    contacts are not read for it (``defaults.locale``)."""
    asked: list[str] = []

    def locale_of(address: str) -> str | None:
        asked.append(address)
        return {"john@example.com": "en_GB"}.get(address)

    john = f"/unsubscribe/{make_token(SECRET, 'john@example.com')}"
    ivan = f"/unsubscribe/{make_token(SECRET, 'ivan@example.com')}"
    got = answers(
        context(journal, locale_of),
        [
            ("GET", john, {}),
            ("POST", john, FORM),
            ("GET", john, {"Accept-Language": "sr-Latn"}),
            ("GET", ivan, {}),
        ],
    )
    assert [headers["Content-Language"] for _, headers, _ in got] == ["en", "ru", "sr-Latn", "ru"]
    assert "Unsubscribe from our greetings" in got[0][2]
    assert got[1][0] == 200
    # The contacts are read only for a GET whose own languages do not decide.
    assert asked == ["john@example.com", "ivan@example.com"]


def test_page_language_takes_the_contacts_locale_after_the_readers_and_before_the_default() -> None:
    assert page_language(None, "ru", "en_US") == "en"
    assert page_language("", "ru", "sr_Latn_RS") == "sr_Latn"
    assert page_language("de", "ru", "en") == "en"  # no words for German: the contact's language
    assert page_language("ru", "ru", "en") == "ru"  # the reader's wins
    assert page_language(None, "ru", "hu_HU") == "ru"  # no words for Hungarian: the default
    assert page_language(None, "en", None) == "en"


@pytest.mark.parametrize("language", sorted(PAGE_WORDS))
def test_the_done_page_names_the_address_the_undo_and_that_business_mail_still_comes(language: str) -> None:
    page = render_page("done", language, sender="Romashka LLC", address="john@example.com")
    plain = render_page("done", language, address="john@example.com")
    words = PAGE_WORDS[language]
    for text in (page, plain):
        assert "john@example.com" in text
        assert words.undo in text and words.business in text
    assert "Romashka LLC" in page


def test_the_address_on_the_done_page_is_escaped() -> None:
    page = render_page("done", "en", address='"<b>"@example.com')
    assert "&lt;b&gt;" in page and "<b>" not in page


def test_the_done_page_over_http_names_the_address_it_unsubscribed(journal: JournalStore) -> None:
    john = f"/unsubscribe/{make_token(SECRET, 'john@example.com')}"
    [(status, _, page)] = answers(context(journal), [("POST", john, {**FORM, "Accept-Language": "en"})])
    assert status == 200
    assert "john@example.com" in page and "invoices" in page
    assert journal.is_suppressed("john@example.com")


def test_the_docs_tell_the_marketer_to_suppress_who_asks_by_reply() -> None:
    """A reply "please don't write" goes to ``sender.reply_to``, a person: the config and the
    unsubscribe docs must say to act on it with ``greeter suppress``."""
    root = Path(__file__).resolve().parent.parent
    config = (root / "config.example.yaml").read_text(encoding="utf-8")
    at = config.index("  reply_to:")
    assert "greeter suppress" in config[config.rindex("\n  name:", 0, at) : at]
    delivery = (root / "docs" / "delivery.md").read_text(encoding="utf-8")
    section = delivery[delivery.index("## Unsubscribe links") :].split("\n## ", 1)[0]
    replies = next(item for item in section.split("\n- ") if "sender.reply_to" in item and "stop" in item)
    assert "greeter suppress" in replies
