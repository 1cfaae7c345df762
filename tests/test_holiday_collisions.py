"""Two holiday occasions that greet one client for the same holiday on the same day: ``check`` warns.

A holiday without ``country:`` is each client's own country's. A marketer
wrote ``ee_independence`` (``holiday: "Independence Day"``, ``country: EE``
forgotten) and ``kz_independence`` (the same name, ``country: KZ``): a client
in Kazakhstan was greeted on 16 December with "День независимости Эстонии",
or with both titles in one letter, and ``check --strict`` said nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import MakeProject, contact_row

#: The config's first added occasion is occasions.6 (config.example.yaml has six).
EE_KZ = (
    '- {name: ee_independence, holiday: "Independence Day", title: "День независимости Эстонии", '
    "template: holiday}\n"
    '- {name: kz_independence, holiday: "Independence Day", country: KZ, '
    'title: "День Независимости Казахстана", template: holiday}\n'
)
STATEHOOD = (
    '- {name: hr_statehood, holiday: "Statehood Day", title: "Dan državnosti", template: holiday}\n'
    '- {name: rs_statehood, holiday: "Statehood Day", country: RS, title: "Дан државности", '
    "template: holiday}\n"
)


def _project(make_project: MakeProject, countries: list[str], occasions: str) -> Path:
    rows = [contact_row(str(i), f"c{i}@example.com", country=c) for i, c in enumerate(countries, 1)]
    config = make_project(rows, defaults={"country": "RU"})
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("# The rule of six", occasions + "# The rule of six"), encoding="utf-8")
    return config


def _check(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2027-01-10T10:00"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def _collisions(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "both greet" in line]


def test_a_forgotten_country_greets_kazakh_clients_twice_on_their_independence_day(
    make_project: MakeProject,
) -> None:
    config = _project(make_project, ["KZ", "KZ", "EE", "KZ", "RS"], EE_KZ)
    result = _check(config)
    assert result.returncode == 0, result.stderr
    (warning,) = _collisions(result.stderr)  # one per pair and country, not one per client
    assert warning.endswith(
        ": occasions.6.holiday: warning: occasions.6 (ee_independence) and occasions.7 (kz_independence) "
        "both greet KZ clients on 16.12 for 'Independence Day' (3 clients): add country: EE to "
        "ee_independence, or remove one"
    ), warning


def test_two_statehood_days_for_serbian_clients(make_project: MakeProject) -> None:
    config = _project(make_project, ["RS", "HR", "RS"], STATEHOOD)
    (warning,) = _collisions(_check(config).stderr)
    assert warning.endswith(
        ": occasions.6.holiday: warning: occasions.6 (hr_statehood) and occasions.7 (rs_statehood) both "
        "greet RS clients on 15.02 for 'Statehood Day' (2 clients): add country: HR to hr_statehood, "
        "or remove one"
    ), warning


def test_each_country_given_is_no_collision(make_project: MakeProject) -> None:
    fixed = EE_KZ.replace('"Independence Day", title', '"Independence Day", country: EE, title')
    result = _check(
        _project(
            make_project,
            ["KZ", "EE", "RS"],
            fixed + STATEHOOD.replace("template", "country: HR, template", 1),
        )
    )
    assert result.returncode == 0, result.stderr
    assert _collisions(result.stderr) == [], result.stderr


def test_the_same_holiday_by_its_own_languages_name_collides_too(make_project: MakeProject) -> None:
    """Hungary's "National Day" is "Nemzeti ünnep": one holiday, on both of its days."""
    occasions = (
        '- {name: national_day, holiday: "National Day", template: holiday}\n'
        '- {name: hu_only, holiday: "Nemzeti ünnep", country: HU, template: holiday}\n'
    )
    (warning,) = _collisions(_check(_project(make_project, ["HU"], occasions)).stderr)
    assert warning.endswith(
        ": occasions.6.holiday: warning: occasions.6 (national_day) and occasions.7 (hu_only) both greet "
        "HU clients on 15.03 and 23.10 for 'National Day' (hu_only calls it 'Nemzeti ünnep') (1 client): "
        "give national_day the country: it is for, or remove one"
    ), warning


def test_tiers_no_client_has_both_of_are_no_collision(make_project: MakeProject) -> None:
    """A VIP letter and a regular one for the same holiday reach different clients."""
    occasions = (
        '- {name: kz_vip, holiday: "Independence Day", country: KZ, template: holiday, '
        "audience: {tiers: [VIP]}}\n"
        '- {name: kz_rest, holiday: "Independence Day", country: KZ, template: holiday, '
        "audience: {tiers: [regular]}}\n"
        '- {name: kz_tagged, holiday: "Тәуелсіздік күні", country: KZ, template: holiday, '
        "audience: {tags: [press]}}\n"
    )
    warnings = _collisions(_check(_project(make_project, ["KZ", "KZ"], occasions)).stderr)
    assert [w.split(": warning: ")[1] for w in warnings] == [
        "occasions.6 (kz_vip) and occasions.8 (kz_tagged) both greet KZ clients on 16.12 for "
        "'Independence Day' (kz_tagged calls it 'Тәуелсіздік күні') (up to 2 clients, as their "
        "audiences allow): remove one",
        "occasions.7 (kz_rest) and occasions.8 (kz_tagged) both greet KZ clients on 16.12 for "
        "'Independence Day' (kz_tagged calls it 'Тәуелсіздік күні') (up to 2 clients, as their "
        "audiences allow): remove one",
    ], warnings


def test_two_occasions_without_country_collide_once_per_country(make_project: MakeProject) -> None:
    both = EE_KZ.replace(" country: KZ,", "")
    warnings = _collisions(_check(_project(make_project, ["KZ", "EE", "KZ"], both)).stderr)
    assert [w.split(": warning: ")[1] for w in warnings] == [
        f"occasions.6 (ee_independence) and occasions.7 (kz_independence) both greet {country} clients on "
        f"{day} for 'Independence Day' ({n}): give each its country:, or remove one"
        for country, day, n in [("EE", "24.02", "1 client"), ("KZ", "16.12", "2 clients")]
    ], warnings
    assert all(": occasions.7.holiday: " in w for w in warnings), warnings


def test_a_country_listed_in_audience_countries_is_named_to_take_out(make_project: MakeProject) -> None:
    listed = EE_KZ.replace("template: holiday}", "template: holiday, audience: {countries: [EE, KZ]}}", 1)
    (warning,) = _collisions(_check(_project(make_project, ["KZ", "EE"], listed)).stderr)
    assert warning.endswith(
        "(1 client): take KZ out of ee_independence's audience.countries, or remove one"
    ), warning
