"""The planner's reasons in the gallery's Russian: why an occasion is skipped, as a reviewer reads it.

Why: the planner explains each skip in English (``only 1 day from the
greeting of 2026-12-28 (min_gap_days 14)``) — the words of the command line,
the JSON, the journal and the logs, which operators grep. The gallery is
the marketer's page and is Russian throughout, and a card that said «пропуск:
лимит частоты — only 12 days from…» read half in a foreign language. So the
gallery shows each known form of those sentences in Russian (the planner's
own sentence stays in the pill's tooltip), and a sentence it does not know
as it is: better English than a wrong translation. ``tests/test_gallery_words``
renders a year of the example's skips and pins that none is left in English.

Pure: a table of patterns over the planner's sentences (:mod:`greeter.policy`,
:mod:`greeter.planner`), tried in order; dates become ``DD.MM.YYYY``, machine
names of occasions their titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from greeter.i18n import plural, years_phrase

__all__ = ["russian_detail"]

_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_STATES = {
    "sent": "отправлено",
    "claimed": "отправляется",
    "retry": "ждёт повтора",
    "failed": "отказ сервера",
    "uncertain": "не подтверждено",
    "skipped": "пропущено",
    "expired": "просрочено",
}


def _date(match: re.Match[str], first: int) -> str:
    """``2026-12-28`` (groups ``first`` … ``first + 2``) as ``28.12.2026``."""
    year, month, day = match.group(first, first + 1, first + 2)
    return f"{day}.{month}.{year}"


@lru_cache(maxsize=256)
def _days(n: int) -> str:
    return f"{n} {plural(n, 'день|дня|дней', 'ru')}"


def _one(n: int) -> bool:
    """Whether ``n`` takes the singular genitive after «более»: «более 1 дня», «более 21 дня»."""
    return n % 10 == 1 and n % 100 != 11


def _rule(text: str) -> str:
    """A cap rule as the planner names it, in Russian where it has words: ``max_count 6 за 365 дней``."""
    m = re.fullmatch(r"max_count (\d+) per (\d+) days", text)
    return f"max_count {m[1]} за {_days(int(m[2]))}" if m else text


def _tags(text: str) -> str:
    return "нет" if text == "none" else text


#: (the planner's sentence, its Russian) — each a full match; ``t`` gives an occasion's title.
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Callable[[str], str]], str]]
_RULES: list[_Rule] = [
    (
        re.compile(r"tier '\(none\)' is not one of: (.*)"),
        lambda m, t: f"у контакта нет категории, нужна одна из: {m[1]}",
    ),
    (
        re.compile(r"tier '(.*)' is not one of: (.*)"),
        lambda m, t: f"категория «{m[1]}» не из: {m[2]}",
    ),
    (
        re.compile(r"has none of the tags (.*) \(the contact's tags: (.*)\)"),
        lambda m, t: f"нет ни одного из тегов {m[1]} (теги контакта: {_tags(m[2])})",
    ),
    (
        re.compile(r"not one of the audience's contacts"),
        lambda m, t: "не в списке контактов этого повода (audience.contacts)",
    ),
    (
        re.compile(r"(round_years|min_years) needs years to count, and this occasion has none"),
        lambda m, t: f"{m[1]} считает годы, а у этого повода их нет",
    ),
    (
        re.compile(r"the client's country (.*) is not one of: (.*)"),
        lambda m, t: f"страна клиента {m[1]} не из: {m[2]}",
    ),
    (
        re.compile(r"(\d+) years is not a multiple of (\d+) \(round_years\)"),
        lambda m, t: f"{years_phrase(int(m[1]), 'ru')} — не круглая дата (кратные {m[2]}: round_years)",
    ),
    (
        re.compile(r"(\d+) years is fewer than (\d+) \(min_years\)"),
        lambda m, t: f"{years_phrase(int(m[1]), 'ru')} — меньше {m[2]} (min_years)",
    ),
    (
        re.compile(r"the journal already has this greeting \((\w+)\)"),
        lambda m, t: f"в журнале уже есть это поздравление ({_STATES.get(m[1], m[1])})",
    ),
    (
        re.compile(r"(.*) is on the do-not-contact list"),
        lambda m, t: f"{m[1]} в стоп-листе",
    ),
    (
        re.compile(r"the contact has no e-mail address"),
        lambda m, t: "у контакта нет адреса e-mail",
    ),
    (
        re.compile(rf"only (\d+) days? from the greeting of {_DATE} \(min_gap_days (\d+)\)"),
        lambda m, t: f"всего {_days(int(m[1]))} от поздравления {_date(m, 2)} (min_gap_days {m[5]})",
    ),
    (
        re.compile(r"would be greeting no\. (\d+) within (\d+) days \(max_count (\d+)\)"),
        lambda m, t: f"было бы {m[1]}-м поздравлением за {_days(int(m[2]))} (max_count {m[3]})",
    ),
    (
        re.compile(rf"on its day {_DATE}: (.*)"),
        lambda m, t: f"в свой день, {_date(m, 1)}: {russian_detail(m[4], t) or m[4]}",
    ),
    (
        re.compile(
            rf"(a belated letter now|leading the letter on {_DATE}, it) would come (.*),"
            r" of (the same|a higher) priority \((.*)\)"
        ),
        lambda m, t: (
            ("письмо сейчас, с опозданием," if m[1].startswith("a belated") else f"письмо {_date(m, 2)}")
            + f" пришло бы {_crowded(m[5], t)} (приоритет того письма "
            + ("тот же" if m[6] == "the same" else "выше")
            + f"; {_rule(m[7])})"
        ),
    ),
    (
        re.compile(r"more than (\d+) days ago"),
        lambda m, t: f"день повода прошёл более {m[1]} {'дня' if _one(int(m[1])) else 'дней'} назад",
    ),
    (
        re.compile(r"missed; the next window \((\d\d\.\d\d)\) is more than (\d+) days later"),
        lambda m, t: f"пропущено: следующее окно отправки ({m[1]}) позже, чем через {_days(int(m[2]))}",
    ),
]

_CROWDED: list[_Rule] = [
    (
        re.compile(rf"only (\d+) days? before the (\w+) greeting of {_DATE}"),
        lambda m, t: f"всего за {_days(int(m[1]))} до письма «{t(m[2])}» {_date(m, 3)}",
    ),
    (
        re.compile(rf"(\d+) days? before the (\w+) greeting of {_DATE}, which it would leave no slot"),
        lambda m, t: f"за {_days(int(m[1]))} до письма «{t(m[2])}» {_date(m, 3)} и не оставило бы ему места",
    ),
]


def _crowded(text: str, title: Callable[[str], str]) -> str:
    for pattern, words in _CROWDED:
        if (m := pattern.fullmatch(text)) is not None:
            return words(m, title)
    return text


def russian_detail(
    detail: str | None, titles: Mapping[str, str] | Callable[[str], str] | None = None
) -> str | None:
    """The gallery's Russian for one of the planner's sentences; the sentence itself if it is not known.

    ``titles``: what the config calls each occasion (or a function giving it).
    """
    if not detail:
        return detail
    called = titles if titles is not None and not callable(titles) else {}
    title: Callable[[str], str] = titles if callable(titles) else (lambda name: called.get(name, name))

    for pattern, words in _RULES:
        if (m := pattern.fullmatch(detail)) is not None:
            return words(m, title)
    return detail
