"""A day's holiday names are matched across languages by the holiday they name, not by their place.

The holidays library sorts each language's names of a day by themselves, so when two holidays
share a day the same place names two holidays: 28 May 2026 in Azerbaijan is Independence Day and
Eid al-Adha, «Eid al-Adha, Independence Day» in English and «Müstəqillik Günü, Qurban bayramı» in
Azerbaijani, and ``greeter init --country AZ`` titled Independence Day «Курбан-байрам» in
Ukrainian. Tunisia's 20 March 2026 (Independence Day, Eid al-Fitr estimated: a label around the
name) and Lebanon's Good Fridays of 18 April 2025 are two more such days.
"""

from __future__ import annotations

from datetime import date

import pytest

from greeter.holiday_tables import greeted_days_of, names_in


@pytest.mark.parametrize(
    ("country", "name", "year", "languages", "expected"),
    [
        (
            "AZ", "Independence Day", 2026, ["en", "uk", "az"],
            {"en": "Independence Day", "uk": "День Незалежності", "az": "Müstəqillik Günü"},
        ),
        ("AZ", "Müstəqillik Günü", 2026, ["uk"], {"uk": "День Незалежності"}),
        ("AZ", "Eid al-Adha", 2026, ["uk"], {"uk": "Курбан-байрам"}),
        ("TN", "Independence Day", 2026, ["en", "ar"], {"en": "Independence Day", "ar": "عيد الاستقلال"}),
        (
            "LB", "Orthodox Good Friday", 2025, ["en", "ar", "fr"],
            {
                "en": "Orthodox Good Friday", "ar": "الجمعة العظيمة عند الطوائف الأرثوذكسية",
                "fr": "Vendredi Saint Orthodoxe",
            },
        ),
    ],
)  # fmt: skip
def test_a_holiday_sharing_its_day_is_named_by_its_own_translation(
    country: str, name: str, year: int, languages: list[str], expected: dict[str, str]
) -> None:
    assert names_in(country, name, year, languages) == expected


def test_the_table_pairs_each_holiday_s_english_and_own_names() -> None:
    """The table's names of a holiday (English, then the country's language) are one holiday's."""
    on_day = greeted_days_of("AZ", 2026)[date(2026, 5, 28)]
    assert sorted(h.names for h in on_day) == [
        ("Eid al-Adha", "Qurban bayrami"),
        ("Independence Day", "Müstəqillik Günü"),
    ]
    tunisia = greeted_days_of("TN", 2026)[date(2026, 3, 20)]
    assert ("Independence Day", "عيد الاستقلال") in [h.names for h in tunisia]


def test_the_azerbaijani_starter_titles_independence_day_as_itself() -> None:
    from greeter.cli_init import holiday_titles

    titles = holiday_titles("AZ", "ru", 2026)
    said = next(t for t in titles.values() if t.get("en") == "Independence Day")
    assert said.get("uk") == "День Незалежності", titles
