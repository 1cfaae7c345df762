"""A holiday without ``country:`` is each client's own country's: its name is checked against theirs.

An account manager with clients in Serbia, Hungary and Estonia (and
``defaults.country: RU``) wrote ``holiday: "Independence Day"``: ``check``
refused it because Russia has none. And Hungary's "National Day" is two days
a year, both greeted: ``check`` now says so.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from greeter.config_loader import parse_settings
from greeter.errors import ConfigError
from greeter.holiday_names import unowned_holiday, who_has
from greeter.occasions import countries_having
from tests.conftest import TODAY, MakeProject, contact_row

YEARS = [TODAY.year, TODAY.year + 1]
CLIENTS = ["RU", "RS", "HU", "EE"]


@pytest.mark.parametrize(
    ("name", "having"),
    [
        ("Independence Day", ["EE"]),
        ("iseseisvuspäev", ["EE"]),  # Estonian's own name
        ("National Day", ["HU"]),
        ("nemzeti ünnep", ["HU"]),
        ("Statehood Day", ["RS"]),
        ("Christmas Day", ["RU", "HU", "EE"]),  # Serbia's is "Orthodox Christmas Day"
        ("Victory Day", ["RU", "EE"]),
        ("Victory Day (observed)", []),  # a moved day off is no holiday name
        ("Defender of Fatherland Day", []),
    ],
)
def test_which_countries_have_a_holiday_name(name: str, having: list[str]) -> None:
    assert countries_having(name, CLIENTS, YEARS) == having


@pytest.mark.parametrize(
    ("name", "configured", "greeted", "refusal"),
    [
        # For every client: good when any country has it (their countries are check's to know).
        ("Independence Day", ["RU"], None, None),
        ("National Day", ["RU"], None, None),
        ("iseseisvuspäev", ["RU"], None, None),
        ("Statehood Day", ["RU", "HU"], None, None),
        # A typo, in no country: the default country's did-you-mean, as before.
        (
            "Defender of Fatherland Day",
            ["RU", "HU"],
            None,
            "RU has no holiday named 'Defender of Fatherland Day', did you mean 'Defender of the Fatherland Day'?",
        ),
        # For some countries' clients: good when one of them has it, else say who has.
        ("National Day", ["RU", "HU"], ["HU"], None),
        ("Easter Monday", ["RU", "GB"], ["GB", "GB-ENG", "GB-SCT"], None),  # England's, not the UK's
        (
            "Independence Day",
            ["RU", "EE"],
            ["RU"],
            r"RU has no holiday named 'Independence Day'; EE, AG, AM, AR and \d+ more have it: add "
            r"country: EE \(or add it to audience.countries to leave it to each client's country\)",
        ),
        (
            "Statehood Day",
            ["RU", "HU"],
            ["RU", "HU"],
            r"RU, HU have no holiday named 'Statehood Day'; [A-Z, ]+( and \d+ more)? have it: add country: with the "
            r"one you mean \(or add it to audience.countries to leave it to each client's country\)",
        ),
    ],
)
def test_a_holiday_without_country_is_checked_against_the_countries_it_greets(
    name: str, configured: list[str], greeted: list[str] | None, refusal: str | None
) -> None:
    got = unowned_holiday(name, "RU", greeted, configured, YEARS)
    if refusal is None or "\\" not in refusal:
        assert got == refusal
    else:
        assert got is not None and re.fullmatch(refusal, got), got


def test_the_countries_that_have_a_name_come_configured_first() -> None:
    assert who_has("Independence Day", ["RS", "EE"], YEARS)[:2] == ["EE", "AG"]
    assert who_has("Nemzeti ünnep", ["RU"], YEARS) == ["HU"]


CONFIG = """\
sender: {name: Shop, email: hello@shop.example}
defaults: {country: RU}
contacts: {path: c.csv, columns: {country: Country}}
occasions:
%s
"""


@pytest.mark.parametrize(
    "occasion",
    [
        '- {name: ee_independence, holiday: "Independence Day", template: holiday}',
        '- {name: hu_national, holiday: "National Day", template: holiday}',
        '- {name: ee_independence, holiday: "Independence Day", template: holiday, audience: {countries: [EE]}}',
    ],
)
def test_a_holiday_only_the_clients_countries_have_loads(occasion: str) -> None:
    settings = parse_settings(CONFIG % occasion, "greeter.yaml", today=TODAY)
    assert settings.occasions[0].holiday is not None


def test_a_holiday_none_of_its_audience_has_is_refused_with_who_has_it() -> None:
    occasion = (
        '- {name: ru_ee, holiday: "Independence Day", template: holiday, audience: {countries: [RU, RS]}}\n'
        '- {name: ee, holiday: "Victory Day", country: EE, template: holiday}'
    )
    with pytest.raises(ConfigError) as info:
        parse_settings(CONFIG % occasion, "greeter.yaml", today=TODAY)
    (problem,) = [str(p) for p in info.value.problems]
    assert re.fullmatch(
        r"greeter.yaml:5:17: occasions.0.holiday: RU, RS have no holiday named 'Independence Day'; EE, AG, "
        r"AM, AR and \d+ more have it: add country: EE \(or add it to audience.countries to leave it to "
        r"each client's country\)",
        problem,
    ), problem


def _check(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2027-01-10T10:00"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def _project(make_project: MakeProject, countries: list[str], occasions: str) -> Path:
    rows = [contact_row(str(i), f"c{i}@example.com", country=c) for i, c in enumerate(countries, 1)]
    config = make_project(rows, defaults={"country": "RU"})
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("# The rule of six", occasions + "# The rule of six"), encoding="utf-8")
    return config


HOLIDAYS = (
    '- {name: ee_independence, holiday: "Independence Day", template: holiday}\n'
    '- {name: hu_national, holiday: "National Day", template: holiday}\n'
    '- {name: rs_statehood, holiday: "Statehood Day", template: holiday}\n'
)


def test_check_accepts_holidays_the_clients_countries_have(make_project: MakeProject) -> None:
    config = _project(make_project, ["RS", "HU", "EE"], HOLIDAYS)
    result = _check(config)
    assert result.returncode == 0, result.stderr
    assert "has no holiday named" not in result.stderr, result.stderr
    assert "none of the clients' countries" not in result.stderr, result.stderr


def test_check_warns_of_a_holiday_no_clients_country_has(make_project: MakeProject) -> None:
    config = _project(make_project, ["RS", "HU"], HOLIDAYS)
    result = _check(config)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "none of the clients' countries" in line]
    assert len(warnings) == 1, result.stderr
    assert re.search(
        r": occasions.6.holiday: warning: none of the clients' countries \(HU, RS, RU\) has a holiday "
        r"named 'Independence Day', so it greets nobody; AG, AM, AR, AS and \d+ more have it: a client "
        r"there is greeted on it$",
        warnings[0],
    ), warnings[0]


def test_check_warns_that_national_day_is_two_days_in_hungary(make_project: MakeProject) -> None:
    config = _project(
        make_project,
        ["RS", "HU", "EE"],
        HOLIDAYS + '- {name: hu_only, holiday: "Nemzeti ünnep", country: HU, template: holiday}\n',
    )
    result = _check(config)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "both are greeted" in line]
    assert len(warnings) == 2, result.stderr
    assert warnings[0].endswith(
        ": occasions.7.holiday: warning: HU has 'National Day' on 15.03 and 23.10: both are greeted; to "
        'greet one, write date: "03-15" with country: HU and a title instead of holiday:'
    ), warnings[0]
    assert ": occasions.9.holiday: warning: HU has 'Nemzeti ünnep' on 15.03 and 23.10" in warnings[1]
    assert not [line for line in result.stderr.splitlines() if "Statehood Day" in line], result.stderr


def test_the_suggested_fixed_date_greets_one_day(make_project: MakeProject) -> None:
    """The warning's way to greet one of the two days is a config check accepts, without the warning."""
    one = '- {name: hu_1848, title: "Nemzeti ünnep (1848)", date: "03-15", country: HU, template: holiday}\n'
    result = _check(_project(make_project, ["HU"], one))
    assert result.returncode == 0, result.stderr
    assert "greeted" not in result.stderr, result.stderr


def _borrowed(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "countries without a holiday named" in line]


def test_check_says_who_is_greeted_on_the_default_countrys_holiday(make_project: MakeProject) -> None:
    """A client in Berlin wished a happy Victory Day by Russia's calendar: the rule serves 8 March for a
    Russian speaker abroad, so it stays, but check names the clients it reaches and the fix."""
    rows = [
        contact_row("1", "a@example.com", country="DE"),
        contact_row("2", "b@example.com", country="DE", tags="vip"),
        contact_row("3", "c@example.com", country="RS", tags="vip"),
        contact_row("4", "d@example.com", country="RU", tags="vip"),
    ]
    config = make_project(rows, defaults={"country": "RU"})
    text = config.read_text(encoding="utf-8")
    victory = '- {name: victory, holiday: "Victory Day", template: holiday}\n'
    config.write_text(text.replace("# The rule of six", victory + "# The rule of six"), encoding="utf-8")
    result = _check(config)
    assert result.returncode == 0, result.stderr
    (warning,) = _borrowed(result.stderr)
    assert warning.endswith(
        ": occasions.6.holiday: warning: 3 client(s) in countries without a holiday named 'Victory Day'"
        " — DE (2), RS (1) — are greeted on RU's: if it is not their day, add audience.countries: [RU]"
    ), warning

    for audience in ("audience: {countries: [RU]}", "audience: {tags: [vip]}, country: RU"):
        limited = victory.replace("template: holiday}", f"template: holiday, {audience}}}")
        config.write_text(text.replace("# The rule of six", limited + "# The rule of six"), encoding="utf-8")
        assert _borrowed(_check(config).stderr) == [], audience

    # only the clients the audience takes in count: the untagged client in Berlin is not greeted
    tagged = victory.replace("template: holiday}", "template: holiday, audience: {tags: [vip]}}")
    config.write_text(text.replace("# The rule of six", tagged + "# The rule of six"), encoding="utf-8")
    (warning,) = _borrowed(_check(config).stderr)
    assert "2 client(s) in countries without a holiday named 'Victory Day' — DE (1), RS (1) —" in warning
