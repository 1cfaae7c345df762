"""An unknown language name no longer loads every language's whole locale into Babel; the answers stay.

The first unknown name ("klingoni", "-") was compared with the own name of every
language of its script, each read through :class:`babel.Locale`: the whole locale
file merged into a copy of the root locale and kept in Babel's cache — some 100
locales, 90 MB that stayed, and the cyclic collector running through the
unpickling. :mod:`greeter.language_names` now reads only each file's language
names, and these tests hold its answers to Babel's, every language's.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale, localedata

from greeter.countries import _official_languages, name_languages
from greeter.language_names import (
    NAMING_LOCALES,
    _folded,
    _locales_with_data,
    _names_in,
    _own_name,
    language_by_name,
)

ROOT = Path(__file__).resolve().parent.parent
#: Every language whose own name is looked at: those official somewhere, in any script.
EVERY = _official_languages(None)


def babels_own_name(language: str) -> str:
    """A language's own name as Babel's :class:`~babel.Locale` gives it (its whole data, merged)."""
    parsed = Locale.parse(language)
    return _folded(parsed.languages.get(parsed.language, ""))


def test_every_languages_own_name_is_babels() -> None:
    assert len(EVERY) > 60
    assert {language: _own_name(language) for language in EVERY} == {
        language: babels_own_name(language) for language in EVERY
    }


def test_a_code_has_data_exactly_when_babel_says_it_exists() -> None:
    codes = {code for locale in NAMING_LOCALES for code in Locale.parse(locale).languages}
    assert len(codes) > 500
    assert {c for c in codes if c.strip().lower() in _locales_with_data()} == {
        c for c in codes if localedata.exists(c)
    }


def test_every_own_name_finds_its_language_as_babels_names_would() -> None:
    """The lookup of each language's own name against one through Babel alone: the naming locales'
    names first, then the first language of the name's script whose own name it is."""

    def through_babel(name: str) -> str | None:
        for locale in NAMING_LOCALES:
            if name in _names_in(locale):
                return _names_in(locale)[name]
        return next((lang for lang in name_languages(name) if babels_own_name(lang) == name), None)

    for language in EVERY:
        name = babels_own_name(language)
        assert language_by_name(name) == through_babel(name), (language, name)


SCRIPT = """
import gc, json
from babel import localedata
from greeter.language_names import language_by_name
answers = [language_by_name(name) for name in ("-", "klingoni", "qwerty язык", "suomi")]
print(json.dumps({"answers": answers, "loaded": sorted(localedata._cache), "gc": gc.isenabled()}))
"""


def test_an_unknown_name_leaves_babel_only_the_naming_locales() -> None:
    """A fresh process: after unknown names of every script, Babel holds the naming locales (and root,
    and the one or two whose own name is inherited), not the hundred it held before."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, cwd=ROOT
    )
    said = json.loads(done.stdout)
    assert said["answers"] == [None, None, None, "fi"] and said["gc"] is True
    others = set(said["loaded"]) - set(NAMING_LOCALES) - {"root"}
    assert len(others) <= 4, said["loaded"]  # nb, nn and their parent no in Babel 2.x


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(enabled: bool) -> None:
    _own_name.cache_clear()
    (gc.enable if enabled else gc.disable)()
    try:
        assert _own_name("fi") == "suomi"
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
