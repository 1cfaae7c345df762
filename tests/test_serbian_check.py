"""``check`` on a Russian project's Serbian holiday occasions: what it says, and what it must not.

QA, with ``defaults.country: RU`` (the Russian starter's): an occasion
``holiday: "Božić"`` for Serbian letters greeted the clients in Serbia and,
silently, not those in Republika Srpska (whose calendar names the day «Božić
(Pravoslavni)») or Montenegro (none) — ``check`` said nothing. Two occasions
for Serbian and for Bosnian letters were warned of as greeting one client
twice, and the title «Божић» (ћ: no Russian word has it) was taken for Russian.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MakeProject

BOZIC = '- {name: bozic, title: "Божић", holiday: "Božić", template: holiday, audience: {locales: [sr, sr_Latn]}}\n'
BOZIC_BS = (
    '- {name: bozic2, title: "Bozic", holiday: "Bozic", template: holiday, audience: {locales: [bs]}}\n'
)
BOZIC_SR = (
    '- {name: bozic3, title: "Божић", holiday: "Bozic", template: holiday, audience: {locales: [sr]}}\n'
)
ROZHDESTVO = (
    '- {name: rozhdestvo, title: "Рождество", holiday: "Božić", template: holiday, '
    "audience: {locales: [sr, sr_Latn]}}\n"
)
#: A Russian title the Serbian letters have no words of their own for (Christmas they have: «Божић»).
STATEHOOD_RU = (
    '- {name: gosudarstvennost, title: "День государственности", holiday: "Statehood Day", template: holiday, '
    "audience: {locales: [sr, sr_Latn]}}\n"
)
#: (country, locale) of each client.
SERBS = [("RS", "sr"), ("RS", "sr_Latn"), ("BA-SRP", "sr"), ("ME", "sr_Latn"), ("RS", "bs")]

NOT_GREETED = (
    "occasions.6.holiday: warning: 2 client(s) in countries without a holiday named 'Božić' — BA-SRP (1), "
    "ME (1) — are not greeted on it: RU (defaults.country) has no such holiday either, RS has it; to greet "
    "them on that day, add an occasion with country: RS and audience.countries: [BA-SRP, ME]"
)
BOTH = "occasions.6 (bozic) and occasions.7 (bozic3) both greet RS clients on 07.01"
BOTH_BS = "occasions.6 (bozic) and occasions.7 (bozic2) both greet RS clients"
AS_RUSSIAN = "that name bozic 'Божић', written in 'ru'"
RUSSIAN_TITLE = (
    "that name gosudarstvennost 'День государственности', written in 'ru' as the default letters are "
    "(defaults.locale): add title_by_locale.sr (a Serbian Latin letter shows it in Cyrillic"
)
#: Christmas by any name is «Божић» in a Serbian letter (occasion_kind): its Russian title is never printed.
CHRISTMAS_TITLE = "that name rozhdestvo"


def _row(i: int, country: str, locale: str) -> str:
    # ID;Email;Фамилия;Имя;Отчество;Пол;Компания;Часовой пояс;Язык;Категория;Теги;Дата рождения;…;Страна
    return f"{i};c{i}@example.rs;Петровић;Марко;;;;Europe/Belgrade;{locale};regular;;;;;{country}"


def _check(make_project: MakeProject, occasions: str, clients: list[tuple[str, str]]) -> str:
    rows = [_row(i, country, locale) for i, (country, locale) in enumerate(clients, 1)]
    config: Path = make_project(rows, defaults={"country": "RU"})
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("# The rule of six", occasions + "# The rule of six"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "greeter", "--config", str(config), "check", "--now", "2026-12-05T10:00"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("occasions", "said", "unsaid"),
    [
        # Serbian clients abroad whom neither their country nor RU dates «Božić» for: told.
        (BOZIC, [NOT_GREETED], []),
        # For everyone, not for Serbian letters: a national holiday others rightly do not get.
        (BOZIC.replace(", audience: {locales: [sr, sr_Latn]}", ""), [], ["are not greeted on it"]),
        # Serbian and Bosnian letters: no client gets both, so no collision.
        (BOZIC + BOZIC_BS, [], [BOTH_BS]),
        # Two occasions for Serbian letters on one day do collide (the check still fires).
        (BOZIC + BOZIC_SR, [BOTH], []),
        # «Божић» is Serbian, not the Russian default letters' language.
        (BOZIC, [], [AS_RUSSIAN]),
        # A Russian title in Serbian letters is still said to be Russian, and shown in Cyrillic in Latin ones.
        (STATEHOOD_RU, [RUSSIAN_TITLE], []),
        # A Christmas titled in Russian is worded «Божић» (its holiday says what it is): nothing to add.
        (ROZHDESTVO, [], [CHRISTMAS_TITLE]),
    ],
    ids=[
        "abroad-not-greeted",
        "national-day-for-all",
        "sr-bs-no-collision",
        "sr-sr-collision",
        "bozic-not-russian",
        "russian-title",
        "christmas-by-any-name",
    ],
)
def test_check_on_serbian_holidays(
    make_project: MakeProject, occasions: str, said: list[str], unsaid: list[str]
) -> None:
    stderr = _check(make_project, occasions, SERBS)
    for text in said:
        assert text in stderr, stderr
    for text in unsaid:
        assert text not in stderr, stderr
