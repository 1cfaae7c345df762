"""The gallery's Russian for the planner's skip sentences (greeter.gallery_words).

The sentences are made here by the planner's own functions wherever they are
plain functions, so a change of the planner's wording shows up as an untranslated
(English) card in these tests, not in a marketer's gallery.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.config import Audience, FrequencyCap
from greeter.contacts import Contact
from greeter.gallery_words import russian_detail
from greeter.policy import AudienceRule, _refusal, _too_close
from tests.conftest import ROOT, MakeProject, contact_row

TITLES = {"new_year": "Новый год", "birthday": "День рождения"}
CAP = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)


def client(**fields: object) -> Contact:
    return Contact(id="1", email="a@example.com", first_name="Иван", **fields)  # type: ignore[arg-type]


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


@pytest.mark.parametrize(
    ("sentence", "russian"),
    [
        (AudienceRule.of(Audience(tiers=["VIP"])).why_not(client(tier="regular"), 10),
         "категория «regular» не из: VIP"),
        (AudienceRule.of(Audience(tiers=["VIP"])).why_not(client(), 10),
         "у контакта нет категории, нужна одна из: VIP"),
        (AudienceRule.of(Audience(tags=["23feb"])).why_not(client(), 10),
         "нет ни одного из тегов 23feb (теги контакта: нет)"),
        (AudienceRule.of(Audience(tags=["8mar"])).why_not(client(tags=frozenset({"23feb"})), 10),
         "нет ни одного из тегов 8mar (теги контакта: 23feb)"),
        (AudienceRule.of(Audience(contacts=["2"])).why_not(client(), 10),
         "не в списке контактов этого повода (audience.contacts)"),
        (AudienceRule.of(Audience(round_years=5)).why_not(client(), 11),
         "11 лет — не круглая дата (кратные 5: round_years)"),
        (AudienceRule.of(Audience(round_years=5)).why_not(client(), 21),
         "21 год — не круглая дата (кратные 5: round_years)"),
        (AudienceRule.of(Audience(round_years=5)).why_not(client(), None),
         "round_years считает годы, а у этого повода их нет"),
        (AudienceRule.of(Audience(min_years=3)).why_not(client(), 2),
         "2 года — меньше 3 (min_years)"),
        (_too_close(day("2026-12-29"), day("2026-12-28"), CAP),
         "всего 1 день от поздравления 28.12.2026 (min_gap_days 14)"),
        (_too_close(day("2026-12-15"), day("2026-12-03"), CAP),
         "всего 12 дней от поздравления 03.12.2026 (min_gap_days 14)"),
        (_refusal(day("2026-12-31"), [day(f"2026-{m:02}-01") for m in range(1, 7)], CAP),
         "было бы 7-м поздравлением за 365 дней (max_count 6)"),
        ("on its day 2027-01-01: only 3 days from the greeting of 2026-12-29 (min_gap_days 14)",
         "в свой день, 01.01.2027: всего 3 дня от поздравления 29.12.2026 (min_gap_days 14)"),
        ("a belated letter now would come only 3 days before the new_year greeting of 2027-01-01, of a higher"
         " priority (min_gap_days 14)",
         "письмо сейчас, с опозданием, пришло бы всего за 3 дня до письма «Новый год» 01.01.2027 (приоритет"
         " того письма выше; min_gap_days 14)"),
        ("leading the letter on 2026-12-20, it would come 5 days before the birthday greeting of 2026-12-25,"
         " which it would leave no slot, of the same priority (max_count 6 per 365 days)",
         "письмо 20.12.2026 пришло бы за 5 дней до письма «День рождения» 25.12.2026 и не оставило бы ему"
         " места (приоритет того письма тот же; max_count 6 за 365 дней)"),
        ("missed; the next window (11.01) is more than 3 days later",
         "пропущено: следующее окно отправки (11.01) позже, чем через 3 дня"),
        ("more than 21 days ago", "день повода прошёл более 21 дня назад"),
        ("a@example.com is on the do-not-contact list", "a@example.com в стоп-листе"),
        ("the journal already has this greeting (sent)", "в журнале уже есть это поздравление (отправлено)"),
        ("the contact has no e-mail address", "у контакта нет адреса e-mail"),
        ("a sentence the gallery does not know", "a sentence the gallery does not know"),  # as it is
        (None, None),
    ],
)  # fmt: skip
def test_each_known_sentence_reads_in_russian(sentence: str | None, russian: str | None) -> None:
    assert russian_detail(sentence, TITLES) == russian


def test_a_years_preview_of_the_example_leaves_no_skip_in_english() -> None:
    """Every skip of a year of the example's contacts, as the gallery would word it: no Latin sentence
    left (row problems of ``invalid_contact`` aside: they are the contacts file's own messages)."""
    result = CliRunner().invoke(
        main,
        ["--config", str(ROOT / "config.example.yaml"), "preview", "--from", "2026-12-01", "--days", "400",
         "--format", "json", "--now", "2026-12-01T09:00:00+03:00"],
    )  # fmt: skip
    drafts = json.loads(result.stdout)
    details = {
        d["detail"]
        for d in drafts
        if d["status"] == "skip" and d["reason"] not in ("merged", "invalid_contact")
    }
    assert len(details) >= 5, details
    english = {d for d in details if re.search(r"[a-z]{3,} [a-z]{3,}", russian_detail(d, TITLES) or "")}
    assert english == set()


def test_a_skip_in_the_gallery_is_russian_and_the_planners_words_stay_in_the_tooltip(
    make_project: MakeProject, tmp_path: Path
) -> None:
    """A card of the example's 23 February for a client without the tag: it said «пропуск: вне
    аудитории — has none of the tags 23feb (the contact's tags: none)»."""
    config = make_project([contact_row("1", "a@example.com", birthday="10.05.1980")])
    out = tmp_path / "g"
    result = CliRunner().invoke(
        main,
        ["--config", str(config), "preview", "--from", "2027-02-22", "--days", "3", "--format", "html",
         "--out", str(out), "--now", "2027-02-01T09:00:00+03:00"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<p class="detail">нет ни одного из тегов 23feb (теги контакта: нет)</p>' in page
    english = "outside_audience — has none of the tags 23feb (the contact&#x27;s tags: none)"
    assert f'title="{english}"' in page  # the pill's tooltip: the planner's own words, for grep
