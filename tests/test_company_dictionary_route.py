"""company_names.looks_up_words says, without the lookup, whether company_in asks the dictionary.

Renderer.warm keys its warm-up samples on it, so that pymorphy3's dictionary is
loaded before the build workers fork; a wrong "no" would send the load back into
every worker, a wrong "yes" would render one warm-up letter too many. Checked
against company_in itself, with a spy on the one function that consults the dictionary.
"""

from __future__ import annotations

import pytest

import greeter.company_names as names

NAMES = [
    "Галерея «Холст»", 'Галерея "Холст"', "Галерея „Холст“", "Галерея “Холст”", "Галерея 'Холст'",
    "Галерея ‹Холст›", "ООО «Тест 1»", "Рога и Копыта", "Галерея Холст", "Театр «Моссовет»",
    "Группа компаний «Самолёт»", "ИП Кузнецов Д. С.", "Kats GmbH", "GmbH & Co. KG Test",
    "Торговый дом «Луч»", "Завод «Прогресс» и «Мольберт»", "«Холст»", "галерея «холст»",
    " Галерея  «Холст» ", "АО Галерея «Холст»", "Holz «Test»", "Галерея «Холст» 2", "",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_looks_up_words_says_whether_company_in_asks_the_dictionary(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, ...]] = []
    declined = names._declined_phrase.__wrapped__

    def spy(words: tuple[str, ...], case: str) -> str | None:
        asked.append(words)
        return declined(words, case)

    monkeypatch.setattr(names, "_declined_phrase", spy)
    names.company_in.__wrapped__(name, "dative")  # not the cached answer of an earlier test
    assert names.looks_up_words(name) == bool(asked)
