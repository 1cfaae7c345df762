"""``{{ contact|name('vocative') }}`` in a Latvian letter: «Jāni», «Kārli», «Ingu», «Līga».

A Riga office writes «Cienījamais Jāni!»: Latvian addresses in the vocative. greeter refused
the case (only Ukrainian's was made) and the office hand-wrote a macro for its regular rule:
a masculine name's -s/-š dropped (Jānis → Jāni, Ģirts → Ģirt, Andris → Andri), -us → -u
(Ingus → Ingu), a feminine -a/-e name unchanged (Līga, Ilze). A name in another script (a
Russian-speaking Latvian's «Иван») is printed as written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from greeter.contacts import Gender
from greeter.letter_forms import lv_vocative_name
from greeter.render import Renderer
from tests.test_render import SENDER, TEMPLATES, item, person


@pytest.mark.parametrize(
    ("first", "gender", "vocative"),
    [
        ("Jānis", None, "Jāni"),
        ("Kārlis", Gender.MALE, "Kārli"),
        ("Andris", None, "Andri"),
        ("Ģirts", None, "Ģirt"),
        ("Rūdolfs", None, "Rūdolf"),
        ("Ingus", None, "Ingu"),
        ("Jānis Pēteris", None, "Jāni Pēteri"),
        ("Līga", None, "Līga"),
        ("Ilze", Gender.FEMALE, "Ilze"),
        ("Agnes", Gender.FEMALE, "Agnes"),  # a woman's name in -s: as written
        ("Иван", None, "Иван"),
        ("", None, ""),
    ],
)
def test_the_latvian_vocative_of_a_first_name(first: str, gender: Gender | None, vocative: str) -> None:
    assert lv_vocative_name(first, gender, "first") == vocative


def test_a_latvian_letter_asks_the_vocative_of_the_name_filter(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    (folder / "birthday.lv.j2").write_text(
        "{% block subject %}Daudz laimes dzimšanas dienā, {{ contact|name('vocative') }}!{% endblock %}"
        "{% block text %}Cienījamais {{ contact|name('vocative', 'first') }}!{% endblock %}",
        encoding="utf-8",
    )
    out = Renderer(folder, SENDER).render(item(person("j", "Jānis", "", "Kalniņš", locale="lv")))
    assert out.subject == "Daudz laimes dzimšanas dienā, Jāni!"
    assert out.text == "Cienījamais Jāni!"


def test_another_part_of_the_name_is_refused_in_the_vocative() -> None:
    with pytest.raises(ValueError, match="a Latvian letter addresses the first name in the vocative"):
        lv_vocative_name("Jānis", None, "full")
