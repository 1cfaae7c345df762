"""``greeter init --country GE``: Georgia's holidays offered, titled in Georgian and Russian.

A Russian company's Tbilisi office got no example holiday and a comma-joined list of the
calendar's names in which «Holiday of Svetitskhovloba, Robe of Jesus» read as two. Georgia now
has examples (Orthodox Christmas, Independence Day, Easter, Mtskhetoba) as KZ and UZ have theirs,
and a country without any lists its names quoted, each one whole.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from greeter.config_loader import load_settings
from greeter.starter_countries import HOLIDAYS
from tests.conftest import TODAY
from tests.test_init_country import _uncommented, greeter, init

#: The project's language → the titles of Georgia's examples in it (the Georgian ones are title_by_locale.ka).
TITLES = {
    "ru": ("Рождество Христово", "День независимости Грузии", "Пасха", "Мцхетоба"),
    "en": ("Christmas Day", "Independence Day", "Easter Sunday", "Holiday of Svetitskhovloba, Robe of Jesus"),
}
GEORGIAN = ("ქრისტეშობა", "დამოუკიდებლობის დღე", "აღდგომა", "მცხეთობა")


@pytest.mark.parametrize("locale", sorted(TITLES))
def test_georgias_examples_are_titled_in_the_projects_language_and_georgian(
    tmp_path: Path, locale: str
) -> None:
    init(tmp_path, "--country", "GE", "--locale", locale)
    config = tmp_path / "greeter.yaml"
    text = config.read_text(encoding="utf-8")
    assert "greeter has no example holiday for GE" not in text
    config.write_text(_uncommented(text, "GE"), encoding="utf-8")
    settings = load_settings(config, today=TODAY)
    offered = {h.name for h in HOLIDAYS["GE"]}
    examples = [o for o in settings.occasions if o.name in offered]  # 8 March is Georgia's too: kept
    assert {o.name: o.holiday for o in examples} == {h.name: h.holiday for h in HOLIDAYS["GE"]}
    assert tuple(o.title for o in examples) == TITLES[locale]
    assert tuple(o.title_by_locale["ka"] for o in examples) == GEORGIAN
    code, out = greeter(tmp_path, "check")
    assert code == 0 and out.rstrip().splitlines()[-1].startswith("check: OK"), out


def test_a_country_without_examples_lists_its_names_each_quoted(tmp_path: Path) -> None:
    """The names, read back as the comment writes them, are the calendar's, one by one."""
    init(tmp_path, "--country", "JP", "--locale", "ru")
    text = (tmp_path / "greeter.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "greeter has no example holiday for JP" in line)
    end = next(i for i in range(start, len(lines)) if lines[i].endswith(")"))
    said = " ".join(line.removeprefix("  # ") for line in lines[start : end + 1])
    listed = said.partition("takes a name of its calendar: ")[2].removesuffix(")")
    names = json.loads(f"[{listed}]")
    assert len(names) > 5 and all(isinstance(n, str) and n for n in names)
    assert "Vernal Equinox Day" in names
