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

from greeter.gallery_cards import card_of
from greeter.gallery_lang import TABLES, ui_for
from tests.conftest import MakeProject
from tests.test_baseline import history, invoke, row
from tests.test_baseline_occasions import LATER, MONDAY, PEOPLE
from tests.test_gallery import cards, parse

RANGE = ("preview", "--from", "2026-12-04", "--days", "4", "--now", LATER)
WORDS = "the journal already has this greeting (recorded as handled by greeter baseline, not sent from this journal)"


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


#: A birthday on 20 December: its letter carries New Year (29.12), both recorded by baseline.
CARRIER = [row("20", "20.12.1980")]
AHEAD = ("preview", "--from", "2026-12-07", "--days", "30", "--now", MONDAY)
RODE_WORDS = "sent with birthday (recorded as handled by greeter baseline, not sent from this journal)"


def carried(make_project: MakeProject) -> Path:
    config = make_project(CARRIER)
    code, _, err = invoke(config, "baseline", "--through", "2026-12-20", "--now", MONDAY)
    assert code == 0, err
    rows = {r["occasion"]: r for r in history(config)}
    assert (rows["birthday"]["reason_code"], rows["new_year"]["reason_code"]) == ("baseline", "merged")
    return config


def test_preview_json_an_occasion_merged_into_a_baseline_letter_was_not_sent(
    make_project: MakeProject,
) -> None:
    config = carried(make_project)
    code, out, err = invoke(config, *AHEAD, "--format", "json")
    assert code == 0, err
    items = {i["occasion"]: i for i in json.loads(out) if i["contact_id"] == "20"}
    ny = items["new_year"]
    assert (ny["status"], ny["reason"], ny["reason_code"], ny["journal_state"], ny["merged_with"], ny["detail"]) == (
        "skip", "merged", "merged", "skipped", ["birthday"], RODE_WORDS,
    ), ny  # fmt: skip
    row_ny = next(r for r in history(config) if r["occasion"] == "new_year")
    assert (ny["journal_state"], ny["reason_code"]) == (row_ny["state"], row_ny["reason_code"])  # as history
    assert items["birthday"]["journal_state"] == "skipped"


def test_preview_table_an_occasion_merged_into_a_baseline_letter(make_project: MakeProject) -> None:
    config = carried(make_project)
    code, out, err = invoke(config, *AHEAD)
    assert code == 0, err
    rows = [line for line in out.splitlines() if " Иван Петрович Иванов " in line]
    assert len(rows) == 2, out
    assert "skip: baseline" in rows[0], rows
    assert "skip: merged" in rows[1] and "sent with birthday" in rows[1], rows


def test_gallery_an_occasion_merged_into_a_baseline_letter_is_not_counted_sent(
    make_project: MakeProject,
) -> None:
    config = carried(make_project)
    out = config.parent / "gallery"
    code, _, err = invoke(config, *AHEAD, "--format", "html", "--out", str(out))
    assert code == 0, err
    index = parse(out / "index.html")
    mine = [c for c in cards(index).values() if "Иванов" in c.all_text()]
    assert len(mine) == 2
    assert [c.attrs["data-status"] for c in mine] == ["skip", "skip"]
    badges = sorted(next(c.find(cls="badge")).all_text() for c in mine)
    assert badges == [
        "пропуск: отправлено до greeter (baseline)",
        "пропуск: письмо «День рождения» отправлено до greeter (baseline)",
    ], badges
    text = index.all_text()
    assert "отправлено по журналу" not in text and "Отправлено 1" not in text, text
    assert "отправлено в письме" not in text


def test_every_gallery_language_says_the_carrier_was_a_baseline_record(make_project: MakeProject) -> None:
    config = carried(make_project)
    code, out, err = invoke(config, *AHEAD, "--format", "json")
    assert code == 0, err
    ny = next(i for i in json.loads(out) if i["occasion"] == "new_year" and i["contact_id"] == "20")
    for locale in TABLES:
        ui = ui_for(locale)
        card = card_of(1, ny, has_page=False, titles={"birthday": "B"}, ui=ui)
        assert card.status == "skip", locale
        assert card.said is not None and card.said.key == "carried.baseline", locale
        assert "B" in ui.say("carried.baseline.badge", letter="B") and "baseline" in card.detail, (
            locale,
            card.detail,
        )
        assert card.detail != ny["detail"], locale  # in the language's words, not the planner's
