"""Ten simulated years of the daemon (issue "Prove it", part 2): the invariants, from the journal alone.

The simulation (``tests/simulation.py``) runs once for the module: generated
contacts, the sample config, a real SQLite journal, and the daemon's own
``plan_cycle`` + ``deliver_cycle`` on an injected clock from 2027-01-01 to
2036-12-31, with a two-day and a ten-day downtime and a config change in 2031
(a new occasion, max_count 6 → 4). Each test below checks invariants that
:func:`tests.simulation.check` re-derived from the journal's rows and the
Message-IDs the transport was handed.

``CONTACTS`` is 1,000 here so the module stays within a few minutes on two
shared cores: a faithful schedule needs one run per recipient time zone per
working day (about 8,300 runs in ten years), and every run plans every
contact. ``python bench/simulate_years.py`` runs the issue's 10,000 contacts
and prints the same report.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from tests.simulation import Findings, Scenario, Simulation, check, report, simulate

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
