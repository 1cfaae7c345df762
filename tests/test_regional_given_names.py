"""Swiss and Austrian short forms say the gender as the full names do.

Found by a QA re-test: «Jürg», «Ueli», «Sepp», «Fränzi», «Käthi», «Gerti» — the names
a Swiss or Austrian CRM holds — said no gender, so their letters opened «Guten Tag
Jürg Strauss» instead of «Sehr geehrter Herr …» when the «Anrede» cell was empty.
Hansi, Poldi, Pepi and Franzi are short for a man's name and a woman's, and say none.
"""

from __future__ import annotations

import pytest

from greeter.given_names import given_name_gender


@pytest.mark.parametrize(
    ("name", "gender"),
    [
        *((n, "male") for n in ("Jürg", "Juerg", "Urs", "Beat", "Reto", "Ueli", "Res", "Sepp", "Hias")),
        *((n, "female") for n in ("Fränzi", "Käthi", "Regula", "Vreni", "Resi", "Gerti", "Liesl")),
        *((n, None) for n in ("Hansi", "Poldi", "Pepi", "Franzi")),
    ],
)
def test_a_regional_short_form_says_its_gender(name: str, gender: str | None) -> None:
    assert given_name_gender(name) == gender
