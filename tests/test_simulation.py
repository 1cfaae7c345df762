"""Ten simulated years of the daemon (issue "Prove it", part 2): the invariants, from the journal alone.

The simulation (``tests/simulation.py``) runs once for the module: generated
contacts, the sample config, a real SQLite journal, and the daemon's own
``plan_cycle`` + ``deliver_cycle`` on an injected clock from 2027-01-01 to
2036-12-31, with a two-day and a ten-day downtime and a config change in 2031
(a new occasion, max_count 6 → 4). Each test below checks invariants that
:func:`tests.simulation_check.check` re-derived from the journal's rows and the
Message-IDs the transport was handed.

``CONTACTS`` is 1,000 here so the module stays within a few minutes on two
shared cores: a faithful schedule needs one run per recipient time zone per
working day (about 8,300 runs in ten years), and every run plans every
contact. ``python bench/simulate_years.py`` runs the issue's 10,000 contacts
and prints the same report.
"""

from __future__ import annotations

import statistics
from datetime import date
from pathlib import Path

import pytest

from tests.simulation import Downtime, Scenario, Simulation, simulate
from tests.simulation_check import Findings, check, journal_rows, report

pytestmark = pytest.mark.slow

CONTACTS = 1_000


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> tuple[Simulation, Findings]:
    folder: Path = tmp_path_factory.mktemp("ten-years")
    sim = simulate(folder, Scenario(contacts=CONTACTS))  # also checks the indexed journal reads
    findings = check(sim)
    print("\n" + report(sim, findings))  # shown with -s; bench/simulate_years.py prints it too
    return sim, findings


def holds(findings: Findings, *invariants: str) -> None:
    for invariant in invariants:
        assert not findings.violations.get(invariant), f"{invariant}: {findings.summary(invariant)}"


def test_every_greeting_is_journaled_once_and_sent_once(outcome: tuple[Simulation, Findings]) -> None:
    sim, f = outcome
    holds(f, "once only", "message ids", "final states", "no e-mail, no letter")
    assert f.states["sent"] > 30 * CONTACTS  # about four letters a contact a year
    assert f.counts["letters handed to the transport"] == f.states["sent"]
    assert sim.runs > 3650  # at least one run a day, more on working days


def test_the_frequency_cap_held_under_the_config_in_force(outcome: tuple[Simulation, Findings]) -> None:
    sim, f = outcome
    holds(f, "min gap", "max count")
    assert [cap.max_count for _, cap in sim.caps] == [6, 4]
    assert f.counts["skipped: frequency_cap"] > 0  # the tighter cap did bind
    assert f.counts["skipped: merged"] > 0


def test_every_letter_left_on_a_working_day_inside_the_recipients_window(
    outcome: tuple[Simulation, Findings],
) -> None:
    _, f = outcome
    holds(f, "send window")
    for zone in ("Asia/Vladivostok", "Europe/Kaliningrad", "Asia/Yekaterinburg", "Europe/Moscow"):
        assert f.counts[f"sent to {zone}"] > 0, zone


def test_the_short_downtime_is_caught_up_with_belated_letters(outcome: tuple[Simulation, Findings]) -> None:
    _, f = outcome
    holds(f, "short gap caught up")
    assert f.counts["short gap caught up: expected greetings"] > 0
    assert f.counts["short gap caught up: sent belated"] > 0


def test_the_long_downtime_expires_what_is_too_old_and_catches_up_the_rest(
    outcome: tuple[Simulation, Findings],
) -> None:
    _, f = outcome
    holds(f, "long gap expired", "long gap caught up")
    assert f.counts["long gap expired: expected greetings"] > 0
    assert f.counts["long gap expired: expired"] > 0
    assert f.counts["long gap caught up: sent belated"] > 0


def test_the_rule_of_six_and_letters_per_contact_per_year(outcome: tuple[Simulation, Findings]) -> None:
    _, f = outcome
    holds(f, "rule of six")
    for year, counts in f.per_year.items():
        # Regularly, never too often: everyone hears from us every year, typically 3–5 times.
        assert min(counts) >= 1, year
        assert 3 <= statistics.median(counts) <= 6, year
    assert f.counts["leap-day birthdays greeted"] > 0


def test_late_or_expired_greetings_outside_downtime_have_a_known_cause(
    outcome: tuple[Simulation, Findings],
) -> None:
    _, f = outcome
    holds(f, "late or expired only for a known reason")


def test_outside_downtime_no_greeting_leaves_late_or_expires(outcome: tuple[Simulation, Findings]) -> None:
    _, f = outcome
    assert f.counts["late: look-ahead"] == 0
    assert f.counts["expired: look-ahead"] == 0


def test_a_new_occasion_is_not_back_dated(outcome: tuple[Simulation, Findings]) -> None:
    _, f = outcome
    assert f.counts["late: back-dated new occasion"] == 0
    assert f.counts["expired: back-dated new occasion"] == 0


#: Two clients of the 2,000-contact run (seed 1) whose company day (1 September, priority 50) rides
#: along in the first-deal letter (6 September, priority 70) due in the long downtime.
MERGED_INTO_DOWNTIME = {("1055", "company_day", date(2033, 9, 1)), ("1169", "company_day", date(2033, 9, 1))}


def test_an_occasion_riding_in_a_letter_due_in_downtime_expires_with_it(tmp_path: Path) -> None:
    """``bench/simulate_years.py --contacts 2000`` broke "schedule kept outside downtime" with
    such rows (2 here; a third, a first-deal anniversary the cap refused on Friday 2 September,
    riding in the company-day letter of Monday the 5th, with the ten years' history). The
    planner is right: on 1 September the company day merges into the letter due on the 6th, as
    preview showed, and when the daemon is back on the 15th that letter is past its catch-up
    period, and so is everything it carries. The invariant judged the company day by its own
    day; its schedule was the letter's, in the downtime. Six weeks around the long downtime,
    with the config change (company_day, max_count 4) in force from the start."""
    scenario = Scenario(
        contacts=2_000,
        first_day=date(2033, 8, 15),
        last_day=date(2033, 9, 30),
        downtimes=(Downtime(date(2033, 8, 23), 2), Downtime(date(2033, 9, 5), 10)),
        change_day=date(2033, 8, 15),
    )
    sim = simulate(tmp_path, scenario)
    f = check(sim)
    rows = {r.key: r for r in journal_rows(sim.journal_path)}
    leads = {key: rows[(key[0], "first_deal_anniversary", date(2033, 9, 6))] for key in MERGED_INTO_DOWNTIME}
    assert {rows[key].state for key in MERGED_INTO_DOWNTIME} | {r.state for r in leads.values()} == {
        "expired"
    }
    assert not f.violations, {k: f.summary(k) for k in f.violations}
    assert f.counts["expired: merged into a letter due in downtime"] >= len(MERGED_INTO_DOWNTIME)
    for key, lead in leads.items():  # expired together, by the run on the 15th
        assert lead.updated_at == rows[key].updated_at, (key, lead)
