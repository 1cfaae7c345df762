"""The preview gallery says, on a day's heading, that the daily quota cannot send it whole.

``preview`` forecast the days over ``delivery.rate_limit.per_day`` on stderr and in its JSON
(``quota_held``), while the gallery — what a reviewer reads — showed 60 letters "to send" on
a day the quota lets 5 go. A real project (60 contacts, ``per_day`` 5, real
``python -m greeter preview --format html``); the words in every language the gallery ships.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from greeter.gallery_lang import TABLES, ui_for
from greeter.gallery_quota import DayNote, by_day, quota_note
from greeter.quota_plan import QuotaDay
from tests.conftest import MakeProject
from tests.test_quota_forecast import quota_project
from tests.test_send_e2e import NOW, greeter_process

D14 = date(2027, 4, 14)


def heading(index: str, day: date) -> str:
    found = re.search(rf'id="day-{day.isoformat()}"[^>]*><h2>(.*?)</h2>', index)
    assert found, index[:2000]
    return found.group(1)


def test_the_gallery_heads_a_day_over_the_quota_with_what_goes_and_what_is_lost(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = quota_project(make_project)
    out = tmp_path / "gallery"
    run = greeter_process(
        config, "preview", "--days", "5", "--now", NOW, "--format", "html", "--out", str(out)
    )  # type: ignore[arg-type]
    assert run.returncode == 0, run.stderr
    assert "note: 14.04.2027: 60 letters planned" in run.stderr  # said on stderr as before
    index = (out / "index.html").read_text()
    # 5 go on the 14th; of the 55 held, 5 go on the 15th, 5 on the 16th, 45 expire there.
    assert (
        'class="day-note day-quota" title="delivery.rate_limit.per_day">по квоте уйдут: 5 из 60 · позже: 10 · не уйдут: 45<'
        in heading(index, D14)
    )
    unlimited = quota_project(make_project, per_day=None)
    plain = tmp_path / "plain"
    run = greeter_process(
        unlimited, "preview", "--days", "5", "--now", NOW, "--format", "html", "--out", str(plain)
    )  # type: ignore[arg-type]
    assert run.returncode == 0, run.stderr
    assert (
        'class="day-note day-quota"' not in (plain / "index.html").read_text()
    )  # the stylesheet's rule is there


def test_a_held_letter_is_told_on_the_day_it_was_first_held() -> None:
    keys = [(str(i), "birthday", D14) for i in range(4)]
    days = [
        QuotaDay(D14, 6, 0, 2, tuple(keys), ()),
        QuotaDay(date(2027, 4, 15), 0, 4, 2, (), tuple(keys[2:])),
    ]
    notes = by_day(days)
    assert notes[D14] == DayNote(2, 6, 2, 2)
    assert notes[date(2027, 4, 15)] == DayNote(2, 4, 0, 0)


@pytest.mark.parametrize("tag", sorted(TABLES))
def test_every_gallery_language_says_the_quota_note(tag: str) -> None:
    ui = ui_for(tag)
    note = quota_note(D14, {D14: DayNote(500, 5145, 3000, 1645)}, ui)
    assert "500" in note and "5145" in note and "3000" in note and "1645" in note, note
    words = [ui.say("day.quota", allowed=1, total=2), ui.say("day.quota_later"), ui.say("day.quota_lost")]
    assert all(w and "{" not in w for w in words), words
    if tag not in ("en", "en_001"):
        assert ui.say("day.quota_later") != ui_for("en").say("day.quota_later"), "translated"
    assert quota_note(date(2027, 4, 15), {D14: DayNote(1, 2, 1, 0)}, ui) == ""


def test_each_held_letters_card_says_its_fate_not_to_send(make_project: MakeProject, tmp_path: Path) -> None:
    """QA: the table and the gallery's cards said "send" of letters the JSON marks ``quota_held``:
    each held card's pill is the day note's word for its fate (later / never sent), in the
    quota's colour, its tooltip the setting; the 5 that go keep "to send"."""
    config = quota_project(make_project)
    out = tmp_path / "gallery"
    run = greeter_process(
        config, "preview", "--days", "5", "--now", NOW, "--format", "html", "--out", str(out)
    )  # type: ignore[arg-type]
    assert run.returncode == 0, run.stderr
    index = (out / "index.html").read_text()
    pills = re.findall(r'<span class="badge badge-(\w+)"[^>]*>([^<]*)</span>', index)
    held = [label for cls, label in pills if cls == "quota"]
    assert sorted(held) == ["не уйдут"] * 45 + ["позже"] * 10, held
    assert sum(cls == "send" for cls, _ in pills) == 5, pills
    assert 'class="badge badge-quota" title="для журналов и JSON: delivery.rate_limit.per_day' in index
