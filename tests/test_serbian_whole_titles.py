"""A title or a name in a Serbian Latin gallery or calendar is in one script, never two.

The QA run: with ``defaults.locale: sr_Latn`` and the starter's Russian titles the
calendar read «Čestitka: Ana Horvat – Новый god 29. decembra», because the
transliteration went word by word and skipped only «Новый». A title or name is
now transliterated whole (all its Cyrillic letters Serbian) or left whole.
"""

from __future__ import annotations

from datetime import date

from greeter.gallery_lang import ui_for
from greeter.gallery_why import table_detail
from greeter.i18n_script import names_in_script
from greeter.serbian_script import to_latin, whole_to_latin


def test_a_russian_title_is_left_whole_in_a_serbian_latin_gallery() -> None:
    ui = ui_for("sr_Latn")
    assert ui.in_script("Новый год") == "Новый год"
    assert ui.in_script("День компании") == "День компании"
    assert ui.in_script("Нова година") == "Nova godina"  # Serbian: as before


def test_a_russian_name_is_left_whole_and_a_serbian_one_transliterated() -> None:
    assert names_in_script(("Иван Щукин",), "sr_Latn") == ("Иван Щукин",)
    assert names_in_script(("Иван", "Щукин"), "sr_Latn") == ("Иван", "Щукин")
    assert names_in_script(("Сергей Щукин",), "sr_Latn") == ("Сергей Щукин",)
    assert names_in_script(("Љубиша Јовановић",), "sr_Latn") == ("Ljubiša Jovanović",)


def test_whole_to_latin_matches_to_latin_on_serbian_text() -> None:
    for text in ("Срећан рођендан, Љубиша!", "ЉУБАВ", "Дан државности", "Ana Horvat"):
        assert whole_to_latin(text) == to_latin(text)
    assert whole_to_latin("Новый год") == "Новый год"


def test_the_why_sentence_keeps_a_russian_title_whole() -> None:
    ui = ui_for("sr_Latn")
    day = date(2026, 12, 29).isoformat()
    sentence = f"the new_year letter of {day} would carry it 3 days after its day (merge_max_days_late 2)"
    said = table_detail(sentence, {"new_year": "Новый год"}, ui)
    assert said is not None and "Новый год" in said and "god" not in said
    serbian = table_detail(sentence, {"new_year": "Нова година"}, ui)
    assert serbian is not None and "Nova godina" in serbian
