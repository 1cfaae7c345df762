"""Localised years, plurals, dates and locale normalisation (Babel / CLDR)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from greeter.i18n import (
    DATE_FORMATS,
    format_date,
    language_and_script,
    language_of,
    locale_hint,
    normalize_locale,
    plural,
    years_phrase,
)

# n, Russian, English
YEARS = [
    (0, "0 лет", "0 years"),
    (1, "1 год", "1 year"),
    (2, "2 года", "2 years"),
    (3, "3 года", "3 years"),
    (4, "4 года", "4 years"),
    (5, "5 лет", "5 years"),
    (11, "11 лет", "11 years"),
    (12, "12 лет", "12 years"),
    (14, "14 лет", "14 years"),
    (21, "21 год", "21 years"),
    (22, "22 года", "22 years"),
    (25, "25 лет", "25 years"),
    (100, "100 лет", "100 years"),
    (101, "101 год", "101 years"),
    (111, "111 лет", "111 years"),
    (121, "121 год", "121 years"),
]


@pytest.mark.parametrize(("n", "ru", "en"), YEARS)
def test_years_phrase(n: int, ru: str, en: str) -> None:
    assert years_phrase(n) == ru
    assert years_phrase(n, "ru") == ru
    assert years_phrase(n, "en") == en


@pytest.mark.parametrize(
    ("n", "locale", "expected"),
    [
        (1000, "ru", "1 000 лет"),  # CLDR's U+00A0 group separator becomes a plain space
        (1000, "en", "1,000 years"),
        (21, "ru_RU", "21 год"),
        (21, "ru-RU", "21 год"),
        (21, "en_US", "21 years"),
        (21, "not a locale", "21 год"),  # falls back to the default, "ru"
        (3, "de", "3 Jahre"),
    ],
)
def test_years_phrase_locales_and_spaces(n: int, locale: str, expected: str) -> None:
    assert years_phrase(n, locale) == expected


def test_years_phrase_bad_locale_uses_the_given_default() -> None:
    assert years_phrase(5, "??", default="en") == "5 years"


@pytest.mark.parametrize(("n", "expected_ru", "expected_en"), [(n, ru, en) for n, ru, en in YEARS])
def test_plural(n: int, expected_ru: str, expected_en: str) -> None:
    word_ru = expected_ru.split(" ", 1)[1]  # "год" / "года" / "лет" from the table above
    word_en = expected_en.split(" ", 1)[1]
    assert plural(n, "год|года|лет") == word_ru
    assert plural(n, "year|years", "en") == word_en


@pytest.mark.parametrize(
    ("n", "forms", "locale", "expected"),
    [
        (3, "клиент|клиента|клиентов", "ru", "клиента"),
        (11, "клиент|клиента|клиентов", "ru", "клиентов"),
        (21, "клиент|клиента|клиентов", "ru_RU", "клиент"),
        (1, ["клиент", "клиента", "клиентов"], "ru", "клиент"),  # a sequence works too
        (2, ("client", "clients"), "en", "clients"),
        (2, " client | clients ", "en", "clients"),  # spaces around forms are trimmed
        (3, "клиент|клиента|клиентов", "garbage", "клиента"),  # bad locale → default ru
        (-1, "год|года|лет", "ru", "год"),  # CLDR uses the absolute value
        (5, "год|года|лет|года", "ru", "лет"),  # CLDR's full list: Russian's fractional "other" too
        (2, "an|ans", "fr", "ans"),  # French "many" is for millions only: two forms do
        (2_000_000, "an|ans", "fr", "ans"),  # …and a million takes the last one
        (5, "rok|roky|let", "cs", "let"),  # Czech whole numbers: one|few|other
        (5, "年", "ja", "年"),  # one category, one form
    ],
)
def test_plural_forms(n: int, forms: str | list[str] | tuple[str, ...], locale: str, expected: str) -> None:
    assert plural(n, forms, locale) == expected


@pytest.mark.parametrize(
    ("forms", "locale", "message"),
    [
        (
            "год|года",
            "ru",
            "plural needs 3 forms in Russian (one|few|many, e.g. 'год|года|лет'), or 4 (one|few|many|other), got 2: 'год|года'",
        ),
        (
            "лет",
            "ru",
            "plural needs 3 forms in Russian (one|few|many, e.g. 'год|года|лет'), or 4 (one|few|many|other), got 1: 'лет'",
        ),
        ("year", "en", "plural needs 2 forms in English (one|other, e.g. 'year|years'), got 1: 'year'"),
        (
            "a|b|c|d|e",
            "ru",
            "plural needs 3 forms in Russian (one|few|many, e.g. 'год|года|лет'), or 4 (one|few|many|other), got 5",
        ),
        # Portuguese: one|other, or the full list with many (a round million): 3 were taken, 4 told «needs 2»
        ("a|b|c|d", "pt_BR", "plural needs 2 forms in Portuguese (one|other), or 3 (one|many|other), got 4"),
        (
            "rok|roky",
            "cs",
            "plural needs 3 forms in Czech (one|few|other), or 4 (one|few|many|other), got 2: 'rok|roky'",
        ),
    ],
)
def test_plural_with_the_wrong_number_of_forms_is_an_error_for_every_number(
    forms: str, locale: str, message: str
) -> None:
    """ "год|года" reads right for 1 and 3 and gives "46 года": wrong for one number is wrong for all."""
    for n in (1, 3, 46):
        with pytest.raises(ValueError) as caught:
            plural(n, forms, locale)
        assert str(caught.value).startswith(message)


@pytest.mark.parametrize("forms", ["", "|", [], [" "]])
def test_plural_rejects_empty_forms(forms: str | list[str]) -> None:
    with pytest.raises(ValueError, match="plural forms are empty"):
        plural(1, forms)


D = date(2026, 12, 15)


@pytest.mark.parametrize(
    ("d", "locale", "fmt", "expected"),
    [
        (D, "ru", "long", "15 декабря 2026 г."),
        (D, "ru", "full", "вторник, 15 декабря 2026 г."),
        (D, "ru", "medium", "15 дек. 2026 г."),
        (D, "ru", "short", "15.12.2026"),
        (D, "ru", "day_month", "15 декабря"),
        (date(2027, 3, 1), "ru", "day_month", "1 марта"),  # genitive month, as in a letter
        (date(2027, 5, 9), "ru_RU", "long", "9 мая 2027 г."),
        (D, "en", "long", "December 15, 2026"),
        (D, "en", "full", "Tuesday, December 15, 2026"),
        (D, "en", "medium", "Dec 15, 2026"),
        (D, "en", "short", "12/15/26"),
        (D, "en", "day_month", "December 15"),
        (D, "en_GB", "long", "15 December 2026"),
        (D, "en-GB", "day_month", "15 December"),
        (D, "bogus!", "long", "15 декабря 2026 г."),  # bad locale → default ru
        (datetime(2026, 12, 15, 10, 30), "ru", "long", "15 декабря 2026 г."),
    ],
)
def test_format_date(d: date, locale: str, fmt: str, expected: str) -> None:
    assert format_date(d, locale, fmt) == expected


def test_format_date_defaults_to_russian_long() -> None:
    assert format_date(D) == "15 декабря 2026 г."


@pytest.mark.parametrize("fmt", DATE_FORMATS)
@pytest.mark.parametrize("locale", ["ru", "en", "de", "sr", "fr"])
def test_dates_contain_no_odd_spaces(locale: str, fmt: str) -> None:
    text = format_date(D, locale, fmt)
    assert "\u00a0" not in text
    assert "\u202f" not in text


def test_unknown_date_format_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="unknown date format 'yyyy'") as info:
        format_date(D, "ru", "yyyy")
    for valid in DATE_FORMATS:
        assert valid in str(info.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ru", "ru"),
        ("ru_RU", "ru_RU"),
        ("ru-RU", "ru_RU"),
        ("RU", "ru"),
        ("RU_ru", "ru_RU"),
        ("ru_RU.UTF-8", "ru_RU"),
        (" en-GB ", "en_GB"),
        ("en_us", "en_US"),
        ("sr-Latn", "sr_Latn"),
        ("sr_Cyrl_RS", "sr_Cyrl_RS"),
        (None, "en"),
        ("", "en"),
        ("   ", "en"),
        ("xx", "en"),
        ("C", "en"),
        ("POSIX", "en"),
        ("english", "en"),
        ("ru__RU", "en"),
        ("ru_XX", "en"),
        ("🙂", "en"),
        ("{{ 7*7 }}", "en"),
    ],
)
def test_normalize_locale(value: str | None, expected: str) -> None:
    assert normalize_locale(value, "en") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ru_RU", "ru"), ("en-US", "en"), ("sr_Latn_RS", "sr"), (None, "ru"), ("nonsense", "ru")],
)
def test_language_of(value: str | None, expected: str) -> None:
    assert language_of(value) == expected


def test_a_missing_locale_means_the_default() -> None:
    assert years_phrase(3, None) == "3 года"
    assert years_phrase(3, None, default="en") == "3 years"
    assert format_date(D, None, "day_month", default="en") == "December 15"
    assert plural(2, "client|clients", None, default="en") == "clients"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("sr", ("sr", None)),  # Serbian's default script, Cyrillic
        ("sr_RS", ("sr", "Cyrl")),
        ("sr-Latn", ("sr", "Latn")),
        ("sr-Latn-RS", ("sr", "Latn")),
        ("sr_ME", ("sr", "Latn")),  # Montenegro: Latin, as Babel knows
        ("ru_RU.UTF-8", ("ru", None)),
        ("HU", ("hu", None)),
        ("xx-??", ("ru", None)),  # unreadable: the default
        (None, ("ru", None)),
    ],
)
def test_language_and_script(locale: str | None, expected: tuple[str, str | None]) -> None:
    assert language_and_script(locale) == expected
    assert language_and_script("xx", "de") == ("de", None)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("RS", "'RS' looks like the country code of Serbia (RS): its language is sr_Latn or sr"),
        ("srb", "'srb' looks like the country code of Serbia (RS): its language is sr_Latn or sr"),
        ("ua", "'ua' looks like the country code of Ukraine (UA): its language is uk"),
        ("ee", "'ee' is Ewe; if Estonia (EE) was meant, its language is et"),
        ("Serbian", "Serbian is sr"),
        ("венгерский", "Hungarian is hu"),
        ("ru", ""),
        ("HU", ""),
        ("xx", ""),
    ],
)
def test_locale_hint_says_what_a_country_code_or_language_name_meant(value: str, hint: str) -> None:
    """From CLDR's territories, official languages and language names, not a hand list."""
    assert locale_hint(value) == hint


def test_portuguese_takes_its_full_list_with_the_form_of_a_round_million() -> None:
    """The contract the error names: one form per category of whole numbers, or the full CLDR list."""
    assert [plural(n, "ano|anos", "pt_BR") for n in (1, 2, 1_000_000)] == ["ano", "anos", "anos"]
    assert [plural(n, "ano|de anos|anos", "pt_BR") for n in (1, 2, 1_000_000)] == ["ano", "anos", "de anos"]
