"""A greeting ``greeter baseline`` recorded reads as that in preview, as in history — never as sent.

Moving from a mail-merge cron, the marketer ran ``greeter baseline``: the
birthdays of the 4th to 6th were recorded ``skipped``, reason ``baseline``
(the old tool greeted them). ``history`` said so; ``preview`` said "the journal
already has this greeting (sent)", ``journal_state: sent``, and the gallery
«уже отправлено»: a reviewer took it that greeter had sent them. The JSON keeps
its fields and ``reason`` (``already_sent``: nothing to do); ``reason_code`` is
history's word, ``baseline``, and ``journal_state`` what the journal holds.

The real CLI in-process on a copy of config.example.yaml, a real SQLite journal.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import MakeProject
from tests.test_baseline import history, invoke
from tests.test_baseline_occasions import LATER, MONDAY, PEOPLE
from tests.test_gallery import cards, parse

RANGE = ("preview", "--from", "2026-12-04", "--days", "4", "--now", LATER)
WORDS = "the journal already has this greeting (recorded by greeter baseline: handled before greeter, not sent by it)"


def baselined(make_project: MakeProject) -> Path:
    config = make_project(PEOPLE)
    code, _, err = invoke(config, "baseline", "--through", "2026-12-06", "--now", MONDAY)
    assert code == 0, err
    return config


def test_preview_json_says_baseline_as_history_does(make_project: MakeProject) -> None:
    config = baselined(make_project)
    code, out, err = invoke(config, *RANGE, "--format", "json")
    assert code == 0, err
    items = {i["contact_id"]: i for i in json.loads(out)}
    rows = {r["contact_id"]: r for r in history(config)}
    for cid in ("4", "5", "6"):
        item, row = items[cid], rows[cid]
        assert (item["status"], item["reason"], item["reason_code"], item["journal_state"], item["detail"]) == (
            "skip", "already_sent", "baseline", "skipped", WORDS,
        ), item  # fmt: skip
        assert (item["journal_state"], item["reason_code"]) == (row["state"], row["reason_code"])
    assert (items["7"]["status"], items["7"]["reason_code"]) == ("send", None)


def test_preview_table_says_baseline_not_sent(make_project: MakeProject) -> None:
    config = baselined(make_project)
    code, out, err = invoke(config, *RANGE)
    assert code == 0, err
    rows = [line for line in out.splitlines() if " Иван Петрович Иванов " in line]
    assert len(rows) == 4
    for line in rows[:3]:
        assert "skip: baseline" in line and "(sent)" not in line and "already_sent" not in line, line
    assert "send: 1, baseline: 3" in out, out


def test_gallery_says_handled_before_greeter(make_project: MakeProject) -> None:
    config = baselined(make_project)
    out = config.parent / "gallery"
    code, _, err = invoke(config, *RANGE, "--format", "html", "--out", str(out))
    assert code == 0, err
    index = parse(out / "index.html")
    skipped = [c for c in cards(index).values() if c.attrs["data-status"] == "skip"]
    assert len(skipped) == 3
    for card in skipped:
        badge = next(card.find(cls="badge"))
        assert badge.all_text() == "пропуск: отправлено до greeter (baseline)", badge.all_text()
        assert "уже отправлено" not in card.all_text()
        assert "reason_code: baseline" in badge.attrs["title"], badge.attrs["title"]
