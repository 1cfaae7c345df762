"""Hungarian holiday words: a title's own article, the national days, the client's name day.

A Hungarian client-care team's findings with ``init --locale hu``:

* a title as the calendar writes it, with its article, doubled it: «Jókívánságaink
  az Az államalapítás ünnepe alkalmából», «az A Munka ünnepe»;
* «Jókívánságaink a Nemzeti ünnep alkalmából», and «Kellemes ünnepet» on 23 October,
  a day of remembrance (1956), in the very words of 15 March (1848);
* a name day merged into another letter was «a közelgő névnap», where Hungarian says
  «közelgő névnapja» (the client's, as «születésnapja»).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from greeter.cli import main
from greeter.contacts import Contact
from greeter.occasion_titles import hungarian_title
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.render import Renderer
from tests.test_hungarian_letters import DUNA, HU_SENDER, PETER, TEMPLATES

BUDAPEST = ZoneInfo("Europe/Budapest")
TITLES = {
    "state_day": "Az államalapítás ünnepe",
    "labour": "A Munka ünnepe",
    "company_day": "Az Alfa Kft. napja",
    "hu_national_day": "Nemzeti ünnep",
    "name_day": "Névnap",
    "nevnap_custom": "Névnap",
}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES, HU_SENDER, titles=TITLES)


def holiday(
    renderer: Renderer,
    occasion: str,
    day: date,
    sent: date,
    also: tuple[Hit, ...] = (),
    contact: Contact = PETER,
) -> Rendered:
    hit = Hit(contact, occasion, day, None, 30, "holiday")
    at = datetime(sent.year, sent.month, sent.day, 10, tzinfo=BUDAPEST)
    return renderer.render(PlanItem(hit=hit, status="send", send_at=at, also=also))


def lead(out: Rendered) -> str:
    return out.text.split("\n\n")[1]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Az államalapítás ünnepe", ("az", "államalapítás ünnepe")),
        ("A Munka ünnepe", ("a", "munka ünnepe")),
        ("Nemzeti ünnep", ("a", "nemzeti ünnep")),
        ("Karácsony", ("a", "karácsony")),
        ("Szent István ünnepe", ("a", "Szent István ünnepe")),  # a name: as written
        ("István napja", ("az", "István napja")),  # a given name is no common word
        ("Partnerek napja", ("a", "Partnerek napja")),  # not sure it is no name: as written
        ("Az Alfa Kft. napja", ("az", "Alfa Kft. napja")),
        ("Alapítás", ("az", "Alapítás")),
        ("A38 napja", ("az", "A38 napja")),  # its A is no article: "az A38"
    ],
)
def test_a_hungarian_title_without_its_own_article_lower_case_where_spelling_wants(
    title: str, expected: tuple[str, str]
) -> None:
    assert hungarian_title(title) == expected


def test_a_title_with_its_own_article_does_not_double_it(renderer: Renderer) -> None:
    out = holiday(renderer, "labour", date(2027, 5, 1), date(2027, 4, 30))
    assert out.subject == "Jókívánságaink a munka ünnepe alkalmából"
    assert lead(out).startswith("A közelgő munka ünnepe alkalmából szívből köszöntjük Önt")
    out = holiday(renderer, "company_day", date(2027, 6, 2), date(2027, 6, 2))
    assert out.subject == "Jókívánságaink az Alfa Kft. napja alkalmából"
    assert "Az Az" not in out.text and "az Az" not in out.text


def test_15_march_and_20_august_are_named_by_their_day(renderer: Renderer) -> None:
    out = holiday(renderer, "hu_national_day", date(2027, 3, 15), date(2027, 3, 12))
    assert out.subject == "Jókívánságaink a március 15-i nemzeti ünnep alkalmából"
    assert lead(out).startswith("A közelgő március 15-i nemzeti ünnep alkalmából szívből köszöntjük Önt")
    assert "1848–49-es forradalom és szabadságharc" in out.text
    out = holiday(renderer, "state_day", date(2027, 8, 20), date(2027, 8, 19))
    assert out.subject == "Jókívánságaink az augusztus 20-i nemzeti ünnep alkalmából"
    assert "Az államalapítás ünnepén kellemes ünnepet" in out.text


def test_23_october_is_a_day_of_remembrance(renderer: Renderer) -> None:
    out = holiday(renderer, "hu_national_day", date(2027, 10, 23), date(2027, 10, 22))
    assert out.subject == "Az 1956-os forradalom és szabadságharc emlékére"
    assert out.text.split("\n\n")[1:3] == [
        "A közelgő október 23-i nemzeti ünnep alkalmából tisztelettel köszöntjük Önt egész csapatunk nevében.",
        "Ezen a napon főhajtással emlékezünk az 1956-os forradalom és szabadságharc hőseire és "
        f"áldozataira. Önnek és szeretteinek jó egészséget kívánunk, a {DUNA} számára pedig további "
        "sikereket. Köszönjük bizalmát és együttműködését.",
    ]
    assert "ellemes" not in out.text and "ellemes" not in out.subject


@pytest.mark.parametrize("occasion", ["name_day", "nevnap_custom"])
def test_a_merged_name_day_is_the_clients_own(renderer: Renderer, occasion: str) -> None:
    nameday = Hit(PETER, occasion, date(2027, 12, 26), None, 40, "nevnap")
    new_year = Hit(PETER, "new_year", date(2027, 12, 29), None, 60, "new_year")
    out = holiday(renderer, "christmas", date(2027, 12, 25), date(2027, 12, 23), also=(nameday, new_year))
    assert (
        out.text.split("\n\n")[3]
        == "Egyúttal közelgő névnapja és az újév alkalmából is szívből köszöntjük Önt!"
    )
    assert (
        out.subject == "Kellemes karácsonyi ünnepeket, boldog névnapot és boldog új évet!"
    )  # hers, as a wish


def test_the_starters_national_days_in_a_hungarian_project(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["init", str(tmp_path), "--locale", "hu"])
    assert done.exit_code == 0, done.output
    config = tmp_path / "greeter.yaml"
    text = re.sub(r"^  # (- name: hu_\w+\n)((?:  #   [^\n]*\n)+)", lambda m: "  " + m[1] + m[2].replace("  #   ", "    "),
                  config.read_text(encoding="utf-8"), flags=re.MULTILINE)  # fmt: skip
    config.write_text(text, encoding="utf-8")
    subjects = {}
    for start in ("2027-03-01", "2027-08-01", "2027-10-01"):
        args = ["--config", str(config), "preview", "--from", start, "--days", "30", "--format", "json"]
        done = CliRunner().invoke(main, [*args, "--now", f"{start}T09:00:00+01:00"])
        assert done.exit_code == 0, done.output
        for r in json.loads(done.stdout):
            if r["status"] == "send" and r["occasion"].startswith("hu_"):
                subjects.setdefault(r["occasion_date"], set()).add(r["subject"])
    assert subjects == {
        "2027-03-15": {"Jókívánságaink a március 15-i nemzeti ünnep alkalmából"},
        "2027-08-20": {"Jókívánságaink az augusztus 20-i nemzeti ünnep alkalmából"},
        "2027-10-23": {"Az 1956-os forradalom és szabadságharc emlékére"},
    }
