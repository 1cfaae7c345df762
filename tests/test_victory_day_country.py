"""``victory_day`` is worded as 9 May only on 9 May: Estonia's Võidupüha (23 June) is named by its title.

An Estonian project named its Võidupüha occasion ``victory_day`` (the holiday
"Victory Day" is each client's own country's: 23 June in EE). Its Russian-
speaking clients got «с наступающим Днём Победы!» and the 9 May text
(«вспоминаем тех, кто отстоял мир… мирного неба»): _ru.j2 mapped the name to
«Днём Победы» whatever the day. The words and the wishes written for 9 May
now apply on 9 May alone; on another day the occasion's title names it, as
for any occasion the partial has no words for. The Serbian and Hungarian
letters' 9 May wishes likewise.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row

VICTORY = {"name": "victory_day", "title": "Võidupüha", "holiday": "Victory Day", "template": "holiday"}
MAY_NINTH = ("День Победы", "Днём Победы", "отстоял мир", "мирного неба")


def letters(make_project: MakeProject, now: str, locale: str = "ru") -> list[dict[str, Any]]:
    rows = [
        contact_row("1", "ee@example.com", tz="Europe/Tallinn", country="EE"),
        contact_row("2", "ru@example.com", country="RU"),
    ]
    if locale != "ru":
        rows = [row.replace(";ru;", f";{locale};") for row in rows]
    config = make_project(rows, occasions=[VICTORY])
    result = CliRunner().invoke(
        main, ["--config", str(config), "preview", "--now", now, "--days", "40", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return [d for d in json.loads(result.stdout) if d["status"] == "send"]


def test_estonian_victory_day_is_not_greeted_as_9_may(make_project: MakeProject) -> None:
    (sent,) = letters(make_project, "2027-05-20T09:00:00+03:00")
    assert (sent["contact_id"], sent["occasion_date"]) == ("1", "2027-06-23")
    words = f"{sent['subject']}\n{sent['text']}"
    assert not any(phrase in words for phrase in MAY_NINTH), words
    assert "праздником Võidupüha" in sent["subject"], sent["subject"]
    assert "Желаем Вам хорошего праздника" in sent["text"], sent["text"]


def test_9_may_keeps_its_words(make_project: MakeProject) -> None:
    (sent,) = letters(make_project, "2027-04-20T09:00:00+03:00")
    assert (sent["contact_id"], sent["occasion_date"]) == ("2", "2027-05-09")
    assert "Днём Победы" in sent["subject"]
    assert "отстоял мир" in sent["text"] and "мирного неба" in sent["text"]


@pytest.mark.parametrize(
    ("locale", "may_ninth"), [("sr", "изборили мир"), ("hu", "kivívták a békét")], ids=["sr", "hu"]
)
def test_other_languages_wish_9_may_only_on_9_may(
    make_project: MakeProject, locale: str, may_ninth: str
) -> None:
    (june,) = letters(make_project, "2027-05-20T09:00:00+03:00", locale)
    assert may_ninth not in june["text"], june["text"]
    (may,) = letters(make_project, "2027-04-20T09:00:00+03:00", locale)
    assert may_ninth in may["text"], may["text"]
