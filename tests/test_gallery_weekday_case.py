"""A merged card's send time, after the words of a sentence, writes its weekday as the sentence does.

A Serbian team's card read «…, Уто 29. 12. 10:14» and a Hungarian one's «…,
Sze 10:07»: the weekday capitalised mid-sentence, where those languages write
it in lower case. CLDR's format-context weekday, lowered where the language's
full weekday names are lower case (not German's "Fr.", English's "Fri"); the
card's own time, which opens its line, keeps its capital.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greeter.gallery import write_gallery
from tests.test_gallery import NOW, START, cards, parse
from tests.test_gallery_lang import SHOP, russian_letters

#: Friday 25 December 2026, 08:30: the letter the merged card-2 rides in; card-1's own time.
SAID = {
    "ru": ("», пт 25.12 08:30", "Пт 25.12 08:30"),
    "sr": ("“, пет 25. 12. 08:30", "Пет 25. 12. 08:30"),
    "sr_Latn": ("“, pet 25. 12. 08:30", "Pet 25. 12. 08:30"),
    "hr": (", pet 25. 12. 08:30", "Pet 25. 12. 08:30"),
    "bs": (", pet 25. 12. 08:30", "Pet 25. 12. 08:30"),
    "hu": (", dec. 25., p 08:30", "dec. 25., P 08:30"),
    "et": (", R, 25.12 08:30", "R, 25.12 08:30"),  # Estonian abbreviations stay capitals
    "de": (", Fr., 25.12. 08:30", "Fr., 25.12. 08:30"),
    "en": (", Fri 25 Dec 08:30", "Fri 25 Dec 08:30"),
}


@pytest.mark.parametrize("locale", sorted(SAID))
def test_a_merged_cards_send_time_is_lower_case_where_the_language_writes_weekdays_so(
    locale: str, tmp_path: Path
) -> None:
    carried, when = SAID[locale]
    write_gallery(russian_letters(), tmp_path, start=START, days=14, now=NOW, sender=SHOP, locale=locale)
    c = cards(parse(tmp_path / "index.html"))
    detail = next(c["card-2"].find(cls="detail")).all_text()
    assert detail.endswith(carried), detail
    assert next(c["card-1"].find(cls="when")).all_text() == when
