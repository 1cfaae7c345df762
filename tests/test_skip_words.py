"""Skip reasons that tell the truth: a re-planned letter named as it now stands.

A head of sales found 7021's first-deal skip saying «the christmas letter of 2026-12-24 would
carry it 6 days before its day» after a missed window had moved that letter to 28 December
(belated, the next window): the sentence named a letter that no longer leaves that day, and the
second half («only 2 days from the greeting of 2026-12-28») seemed to be about another one.
The merge bounds still count from the day the letter was planned for (a group keeps its shape
as days pass), so both days are said: the one counted from, and the one it now leaves.
"""

from __future__ import annotations

from datetime import date, datetime
from types import MappingProxyType

import pytest

from greeter.config import FrequencyCap
from greeter.contacts import Contact
from greeter.gallery_lang import ui_for
from greeter.gallery_words import russian_detail
from greeter.plan_types import Hit, MergeRule
from greeter.policy import Candidate, apply_cap
from tests.test_merge_options import MSK, decisions

CAP = FrequencyCap(max_count=6, window_days=365, min_gap_days=14)
CONTACT = Contact(id="7021", email="lani@example.com", first_name="Lani", dates=MappingProxyType({}))
#: What the planner says of the first deal once the Christmas letter missed its window.
BELATED = (
    "the christmas letter of 2026-12-24 (belated: now leaving 2026-12-28) would carry it 6 days before"
    " its day (merge_max_days_early 3); alone it would come only 2 days from the greeting of 2026-12-28"
    " (min_gap_days 14)"
)


def hit(occasion: str, day: date, priority: int) -> Hit:
    return Hit(CONTACT, occasion, day, None, priority, occasion)


def first_deal_detail(christmas: Candidate) -> str:
    """The first deal's skip beside ``christmas``'s letter (it may be carried at most 3 days early)."""
    deal = Candidate(hit("first_deal", date(2026, 12, 30), 30), date(2026, 12, 30))
    rules = {"first_deal": MergeRule(max_days_early=3)}
    verdicts = {v.candidate.hit.occasion: v for v in apply_cap([christmas, deal], [], CAP, rules)}
    assert verdicts["christmas"].status == "send"
    assert (verdicts["first_deal"].status, verdicts["first_deal"].reason) == ("skip", "frequency_cap")
    return verdicts["first_deal"].detail


def test_a_belated_letter_is_named_with_the_day_it_now_leaves() -> None:
    christmas = Candidate(
        hit("christmas", date(2026, 12, 24), 100),
        date(2026, 12, 28),
        belated=True,
        planned_day=date(2026, 12, 24),
    )
    assert first_deal_detail(christmas) == BELATED


def test_a_letter_on_time_is_named_as_before() -> None:
    christmas = Candidate(hit("christmas", date(2026, 12, 24), 100), date(2026, 12, 24))
    assert first_deal_detail(christmas) == (
        "the christmas letter of 2026-12-24 would carry it 6 days before its day (merge_max_days_early 3);"
        " alone it would come only 6 days from the greeting of 2026-12-24 (min_gap_days 14)"
    )


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("de", "mit der Nachricht „Weihnachten“ vom 24.12.2026 (verspätet: geht jetzt am 28.12.2026 hinaus)"
               " käme der Glückwunsch 6 Tage vor dem Tag des Anlasses (merge_max_days_early 3); als eigene"
               " Nachricht: nur 2 Tage Abstand zum Glückwunsch vom 28.12.2026 (min_gap_days 14)"),
        ("et", "kirjaga „Weihnachten“ (24.12.2026; hilinenud, läheb nüüd teele 28.12.2026) jõuaks õnnitlus"
               " kohale 6 päeva enne tähtpäeva (merge_max_days_early 3); eraldi kirjana: vahe õnnitlusega"
               " 28.12.2026 on vaid 2 päeva (min_gap_days 14)"),
        ("uk_UA", "лист «Weihnachten» 24.12.2026 (із запізненням: тепер піде 28.12.2026) привітав би з ним"
                  " за 6 днів до його дня (merge_max_days_early 3); окремим листом: лише 2 дні від"
                  " привітання 28.12.2026 (min_gap_days 14)"),
    ],
)  # fmt: skip
def test_the_galleries_say_the_day_it_now_leaves(locale: str, said: str) -> None:
    """A gallery that said the old sentence in its language says the new one too, not English."""
    assert ui_for(locale).detail(BELATED, {"christmas": "Weihnachten"}) == said


@pytest.mark.parametrize("locale", ["hu", "sr", "sr_Latn", "hr_HR", "bs", "ka"])
def test_every_gallery_language_says_it(locale: str) -> None:
    said = ui_for(locale).detail(BELATED, {"christmas": "Weihnachten"})
    assert said != BELATED
    assert "2026" in said and "merge_max_days_early 3" in said
    assert said.count("28") == 2  # the day it now leaves and the greeting 2 days from it


def test_the_russian_gallery_says_the_day_it_now_leaves() -> None:
    assert russian_detail(BELATED, {"christmas": "Рождество"}) == (
        "письмо «Рождество» 24.12.2026 (с опозданием: теперь уйдёт 28.12.2026) поздравило бы с ним"
        " за 6 дней до его дня (merge_max_days_early 3); отдельным письмом: всего 2 дня"
        " от поздравления 28.12.2026 (min_gap_days 14)"
    )


@pytest.mark.parametrize(
    ("now", "said"),
    [
        (
            datetime(2026, 12, 1, 9, tzinfo=MSK),
            "the christmas letter of 2026-12-24 would carry it 6 days before its day (merge_max_days_early 3);"
            " alone it would come only 6 days from the greeting of 2026-12-24 (min_gap_days 14)",
        ),
        (  # the 24th passed unsent (downtime): the letter leaves on the next window, the 25th
            datetime(2026, 12, 25, 10, 30, tzinfo=MSK),
            "the christmas letter of 2026-12-24 (belated: now leaving 2026-12-25) would carry it 6 days"
            " before its day (merge_max_days_early 3); alone it would come only 5 days from the greeting"
            " of 2026-12-25 (min_gap_days 14)",
        ),
    ],
)
def test_the_planner_names_the_letter_as_it_stands_at_now(now: datetime, said: str) -> None:
    """The whole planner (config, calendar, catch-up), as preview and send plan it."""
    got = decisions(
        {"christmas": ", priority: 100", "first_deal": ", merge_max_days_early: 3"},
        {"first_deal": date(2020, 12, 30)},
        [],
        now,
    )
    assert got["christmas"][0] == "send"
    assert got["first_deal"] == ("skip", "frequency_cap", None, said)
