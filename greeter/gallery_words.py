"""The planner's reasons in a Russian gallery: why an occasion is skipped, as a reviewer reads it.

Why: the planner explains each skip in English (``only 1 day from the
greeting of 2026-12-28 (min_gap_days 14)``) — the words of the command line,
the JSON, the journal and the logs, which operators grep. A Russian team's
gallery (:mod:`greeter.gallery_lang`) is Russian throughout, and a card that said «пропуск:
лимит частоты — only 12 days from…» read half in a foreign language. So that
gallery shows each known form of those sentences in Russian (the planner's
own sentence stays in the pill's tooltip), and a sentence it does not know
as it is: better English than a wrong translation. German, Estonian,
Hungarian and Serbian galleries word them by a table keyed by each sentence's
form (:mod:`greeter.gallery_why`); English shows the planner's own sentences.
``tests/test_gallery_words``
renders a year of the example's skips and pins that none is left in English.

A contact the planner cannot greet (``invalid_contact``) carries the
contacts loader's own sentence about the row — a date cell that is no date
(:mod:`greeter.sources.rows`, its reasons from :mod:`greeter.sources.dates`)
— or :func:`greeter.occasions.implausible`'s (a birthday in the future, an age
over ``max_years`` or under ``min_years``). Those are worded here too, part by
part: the value as the loader quoted it (what a search in the CRM finds), why
it is no date, what would read it, and which occasions it costs; a part not
known leaves the whole sentence in English. Their patterns are
:data:`greeter.contact_forms.CONTACT_FORMS`, which the other languages' tables
(:mod:`greeter.gallery_why`) read too: one pattern for each of the loader's sentences.

Pure: a table of patterns over the planner's sentences (:mod:`greeter.policy`,
:mod:`greeter.cap_rules`, :mod:`greeter.precheck`, :mod:`greeter.planner`,
:mod:`greeter.occasions`, :mod:`greeter.sources`), tried in order; dates become
``DD.MM.YYYY``, machine names of occasions their titles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from greeter.contact_forms import CONTACT_FORMS, MONTHS_EN, spoken_day
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


#: The loader's sentences and their parts, by key (:data:`greeter.contact_forms.CONTACT_FORMS`).
_LOADER = {key: re.compile(pattern) for key, pattern in CONTACT_FORMS}
#: The same months in «в феврале нет 31-го числа».
_IN_MONTH = (
    "январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
    "октябре", "ноябре", "декабре",
)  # fmt: skip
#: Whose month names no date format reads (:func:`greeter.sources.dates.month_name_advice`).
_LANGUAGES = {"Russian": "русские"}


#: A gender as the gallery says a contact's: «пол контакта — мужской».
_GENDER = {"male": "мужской", "female": "женский"}
#: Whom an occasion of these genders is for: «только для мужчин».
_FOR = {"male": "мужчин", "female": "женщин"}


def _genders(text: str) -> str:
    """``male`` → «мужчин», ``female, male`` → «женщин и мужчин» (whom the planner's refusal lists)."""
    return " и ".join(_FOR.get(g, g) for g in text.split(", "))


def _spoken(text: str) -> str:
    """``10 December 1979`` (a ``spoken…`` group) as ``10.12.1979``."""
    year, month, day = spoken_day(text)
    return f"{day:02}.{month:02}.{year}"


#: A loader's sentence part and its Russian (each a full match); None from ``words``: not known.
_Part = tuple[re.Pattern[str], Callable[[re.Match[str]], str | None]]

#: Why a value with a date's shape is no day (:func:`greeter.sources.dates._impossible`).
_IMPOSSIBLE: list[_Part] = [
    (_LOADER["no_month"], lambda m: f"месяца с номером {m['n']} не бывает"),
    (_LOADER["no_day_0"], lambda m: "нулевого числа не бывает"),
    (_LOADER["no_such_day"], lambda m: f"{m['n']}-го числа не бывает ни в одном месяце"),
    (_LOADER["not_leap"], lambda m: f"{m['year']} год не високосный, 29 февраля в нём нет"),
    (
        _LOADER["month_short"],
        lambda m: f"в {_IN_MONTH[MONTHS_EN.index(m['month'])]} нет {m['n']}-го числа",
    ),
    (_LOADER["no_year_0"], lambda m: "нулевого года не бывает"),
]

#: What to do with a reading (``reading_one``/``reading_two``'s ``then_advice``).
_ADVICE = {
    None: "",
    _LOADER["advice_it"]: " (добавьте его в contacts.date_formats, если CRM пишет даты так)",
    _LOADER["advice_one"]: " (добавьте в contacts.date_formats тот, которым пишет CRM)",
}


def _advice(text: str | None) -> str | None:
    """A reading's advice in Russian ("" for none); None if not known."""
    if not text:
        return ""
    return next((said for p, said in _ADVICE.items() if p is not None and p.fullmatch(text)), None)


def _read_as(m: re.Match[str]) -> str | None:
    """``; read as "%d/%m/%Y" it is …`` (one reading or two) in Russian; None if its advice is not known."""
    if (advice := _advice(m["then_advice"])) is None:
        return None
    second = f', в формате "{m["format2"]}" — {_spoken(m["spoken2"])}' if "format2" in m.re.groupindex else ""
    return f'; в формате "{m["format"]}" это {_spoken(m["spoken"])}{second}{advice}'


#: What else the value would be (:meth:`greeter.sources.dates.DateParser._other_reading`).
_READINGS: list[_Part] = [
    (re.compile(r""), lambda m: ""),
    (
        _LOADER["reading_add"],
        lambda m: (
            f'; это {_spoken(m["spoken"])}, месяц записан словом: добавьте "{m["format"]}" в'
            " contacts.date_formats, если CRM пишет даты так"
        ),
    ),
    (
        _LOADER["reading_spelled"],
        lambda m: (
            f"; это {_spoken(m['spoken'])}, месяц записан словом так, что его не читает ни один формат даты:"
            " выгружайте из CRM даты числами (дд.мм.гггг)"
        ),
    ),
    (
        _LOADER["reading_language"],
        lambda m: (
            f"; это {_spoken(m['spoken'])}, месяц записан словом, а {_LANGUAGES[m['language']]} названия"
            " месяцев не читает ни один формат даты: выгружайте из CRM даты числами (дд.мм.гггг)"
            if m["language"] in _LANGUAGES
            else None
        ),
    ),
    (_LOADER["reading_two"], _read_as),
    (_LOADER["reading_one"], _read_as),
]


def _part(text: str, parts: list[_Part]) -> str | None:
    """``text`` in Russian by the first of ``parts`` that matches it whole; None if none does."""
    for pattern, words in parts:
        if (m := pattern.fullmatch(text)) is not None:
            return words(m)
    return None


def _date_problem(why: str) -> str | None:
    """:meth:`greeter.sources.dates.DateParser.problem`'s sentence in Russian, after «'значение' —»."""
    if (m := _LOADER["not_real"].fullmatch(why)) is not None:
        reason, other = _part(m["then"], _IMPOSSIBLE), _part(m["then_reading"], _READINGS)
        return None if reason is None or other is None else f"такой даты нет: {reason}{other}"
    if (m := _LOADER["excel_serial"].fullmatch(why)) is not None:
        year, month, day = m["date"].split("-")
        return (
            f"похоже на дату Excel, сохранённую числом ({day}.{month}.{year}): задайте столбцу формат даты"
            " в Excel перед выгрузкой (или выгружайте даты текстом)"
        )
    if (m := _LOADER["no_format"].fullmatch(why)) is not None:
        other = _part(m["then_reading"], _READINGS)
        return (
            None
            if other is None
            else f"не подходит ни под один формат contacts.date_formats ({m['list']}){other}"
        )
    return None


def _occasions(names: str, title: Callable[[str], str]) -> str:
    """``birthday`` or ``name_day, birthday and new_year`` as «День рождения», «name_day» и «Новый год»."""
    said = [f"«{title(name)}»" for name in re.split(r", | and ", names)]
    return " и ".join([", ".join(said[:-1]), said[-1]]) if len(said) > 1 else said[0]


def _bad_date(m: re.Match[str], title: Callable[[str], str]) -> str:
    """A date cell the loader could not read (:meth:`greeter.sources.rows.RowParser.parse`), in Russian."""
    why = _date_problem(m["then"])
    if why is None:
        return m[0]
    greetings = _occasions(m["greetings"], title)
    return f"{m['value']} — {why}; поздравления {greetings} для этого контакта пропускаются"


#: (the planner's sentence, its Russian) — each a full match; ``t`` gives an occasion's title.
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Callable[[str], str]], str]]
_RULES: list[_Rule] = [
    (_LOADER["bad_date"], _bad_date),
    (
        _LOADER["future_typed"],
        lambda m, t: (
            f"поле {m['field']}: {m['dotted']} — дата в будущем; похоже, день ввели без года, и он получил"
            f" год ввода: запишите его как {m['write']} или {m['write2']}"
        ),
    ),
    (_LOADER["future"], lambda m, t: f"поле {m['field']}: {m['dotted']} — дата в будущем"),
    (
        _LOADER["too_old_placeholder"],
        lambda m, t: (
            f"поле {m['field']}: {m['dotted']} — это {years_phrase(int(m['years']), 'ru')}"
            f" (больше {m['n']}: max_years); {m['year']} год часто ставят вместо неизвестного года:"
            f" запишите день без года ({m['write']} или {m['write2']})"
        ),
    ),
    (
        _LOADER["too_old"],
        lambda m, t: (
            f"поле {m['field']}: {m['dotted']} — это {years_phrase(int(m['years']), 'ru')}"
            f" (больше {m['n']}: max_years)"
        ),
    ),
    (
        _LOADER["too_young"],
        lambda m, t: (
            f"поле {m['field']}: {m['dotted']} — это {years_phrase(int(m['years']), 'ru')}"
            f" (меньше {m['n']}: min_years); похоже, день ввели без года, и он получил год ввода:"
            f" запишите его как {m['write']} или {m['write2']}"
        ),
    ),
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
        re.compile(r"(\S+)'s calendar has no holiday named '(.+?)'(?:; it calls (\d\d\.\d\d) '(.+)')?"),
        lambda m, t: (
            f"в календаре {m[1]} нет праздника «{m[2]}»" + (f"; {m[3]} в нём — «{m[4]}»" if m[3] else "")
        ),
    ),
    (
        re.compile(r"the letter's locale (.*) is not one of: (.*)"),
        lambda m, t: f"язык письма {m[1]} не из: {m[2]}",
    ),
    (
        re.compile(
            r"gender unknown \(the gender column says (male|female) but the patronymic is (male|female)"
            r": one of them is wrong\) is not one of: (.*)"
        ),
        lambda m, t: (
            f"повод только для {_genders(m[3])} (genders), а пол контакта неизвестен: столбец пола "
            f"говорит «{_GENDER[m[1]]}», а отчество — «{_GENDER[m[2]]}»; исправьте строку в CRM"
        ),
    ),
    (
        re.compile(
            r"gender unknown \(neither the gender column nor a patronymic says it, and a first .*\) "
            r"is not one of: (.*)"
        ),
        lambda m, t: (
            f"повод только для {_genders(m[1])} (genders), а пол контакта неизвестен: его не называют "
            "ни столбец пола, ни отчество, а по имени пол узнаётся только без отчества и у языков без "
            "отчеств (сербского, эстонского, немецкого, английского…), не по русскому или казахскому имени"
        ),
    ),
    (
        re.compile(r"gender unknown \(.*\) is not one of: (.*)"),
        lambda m, t: (
            f"повод только для {_genders(m[1])} (genders), а пол контакта неизвестен: "
            "его не называют ни столбец пола, ни отчество, ни имя"
        ),
    ),
    (
        re.compile(r"gender (male|female) is not one of: (.*)"),
        lambda m, t: f"повод только для {_genders(m[2])} (genders), а пол контакта — {_GENDER[m[1]]}",
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
        # An expiry the journal holds (greeter.preview.journal_expiries), and the journal's why.
        re.compile(
            r"the journal recorded it as expired: past its catch-up period, it was never sent(?:; (.*))?"
        ),
        lambda m, t: (
            "по журналу просрочено: срок отправки с опозданием прошёл, письмо так и не ушло"
            + (f"; {russian_detail(m[1], t) or m[1]}" if m[1] else "")
        ),
    ),
    (
        re.compile(
            r"the daily quota \(delivery\.rate_limit\.per_day\) held it back on (\d\d\.\d\d)"
            r" until its catch-up period ended"
        ),
        lambda m, t: (
            f"дневная квота (delivery.rate_limit.per_day) задержала его {m[1]}, пока не прошёл срок"
            " отправки с опозданием"
        ),
    ),
    (
        # What becomes of it, after the state, the card's badge says.
        re.compile(r"the journal already has this greeting \((\w+)\)(?:[: ].*)?"),
        lambda m, t: f"в журнале уже есть это поздравление ({_STATES.get(m[1], m[1])})",
    ),
    (
        re.compile(
            r"(\S+) bounced on (\d{4})-(\d\d)-(\d\d) \(the server said: (.*)\); it is not written to again"
        ),
        lambda m, t: (
            f"{m[1]}: письмо вернулось {m[4]}.{m[3]}.{m[2]} (сервер ответил: {m[5]});"
            " на этот адрес больше не пишем"
        ),
    ),
    (
        re.compile(r"(.*) is on the do-not-contact list"),
        lambda m, t: f"{m[1]} в стоп-листе",
    ),
    (
        re.compile(r"the CRM marks this contact do-not-contact \(column «(.*)»\)"),
        lambda m, t: f"в CRM контакту не пишут: отметка в столбце «{m[1]}»",
    ),
    (
        re.compile(
            r"the CRM's column «(.*)» says (.*), neither yes nor no:"
            r" treated as do-not-contact until it says no"
        ),
        lambda m, t: (
            f"в столбце CRM «{m[1]}» стоит {m[2]} — ни «да», ни «нет»:"
            " контакту не пишем, пока там не будет «нет»"
        ),
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
    (  # the priority rule (greeter.policy._gives_way)
        re.compile(rf"gave way to the (\w+) greeting of {_DATE}, of a higher priority \((.*)\)"),
        lambda m, t: (
            f"уступило место письму «{t(m[1])}» {_date(m, 2)} с более высоким приоритетом ({_rule(m[5])})"
        ),
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
        re.compile(
            rf"the (\w+) letter of {_DATE}(?: \(belated: now leaving {_DATE}\))? would carry it (\d+)"
            r" days? (after|before) its day \((merge_max_days_(?:late|early)) (\d+)\)(?:; (.*))?"
        ),
        lambda m, t: (
            f"письмо «{t(m[1])}» {_date(m, 2)} "
            + (f"(с опозданием: теперь уйдёт {_date(m, 5)}) " if m[5] else "")
            + "поздравило бы с ним "
            + (
                f"через {_days(int(m[8]))} после его дня"
                if m[9] == "after"
                else f"за {_days(int(m[8]))} до его дня"
            )
            + f" ({m[10]} {m[11]})"
            + (f"; {_alone(m[12], t)}" if m[12] else "")
        ),
    ),
    (
        re.compile(r"no letter of its group could carry it \((.*)\)"),
        lambda m, t: f"его не могло взять ни одно письмо его группы ({_members(m[1], t)})",
    ),
    (
        re.compile(r"more than (\d+) days ago; (.*)"),
        lambda m, t: (
            f"день повода прошёл более {m[1]} {'дня' if _one(int(m[1])) else 'дней'} назад; "
            + (russian_detail(m[2], t) or m[2])
        ),
    ),
    (
        re.compile(
            rf"its own letter \(merge: false\) on {_DATE} would come (.*),"
            r" of (the same|a higher) priority \((.*)\)"
        ),
        lambda m, t: (
            f"отдельное письмо (merge: false) {_date(m, 1)} пришло бы {_crowded(m[4], t)}"
            + " (приоритет того письма "
            + ("тот же" if m[5] == "the same" else "выше")
            + f"; {_rule(m[6])})"
        ),
    ),
    (
        re.compile(r"more than (\d+) days after (\d\d\.\d\d), the day it was meant to leave"),
        lambda m, t: (
            f"прошло более {m[1]} {'дня' if _one(int(m[1])) else 'дней'} после {m[2]}, дня, когда оно"
            " должно было уйти"
        ),
    ),
    (
        re.compile(r"more than (\d+) days ago"),
        lambda m, t: f"день повода прошёл более {m[1]} {'дня' if _one(int(m[1])) else 'дней'} назад",
    ),
    (
        re.compile(
            r"missed; the next window \((\d\d\.\d\d)\) is more than (\d+) days after (\d\d\.\d\d),"
            r" the day it was meant (for|to leave)"
        ),
        lambda m, t: (
            f"пропущено: следующее окно отправки ({m[1]}) более чем через {_days(int(m[2]))} после {m[3]}, "
            + ("дня, к которому оно приурочено" if m[4] == "for" else "дня, когда оно должно было уйти")
        ),
    ),
    (  # the words of journals written before the day was named
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


def _alone(text: str, title: Callable[[str], str]) -> str:
    """What an occasion its letter may not carry would meet as a letter of its own, in Russian."""
    if (m := re.fullmatch(r"alone it would come (.*)", text)) is not None:
        return f"отдельным письмом: {russian_detail(m[1], title) or m[1]}"
    if (m := re.fullmatch(r"alone it (gave way .*)", text)) is not None:
        return f"отдельным письмом: {russian_detail(m[1], title) or m[1]}"
    return russian_detail(text, title) or text


def _members(text: str, title: Callable[[str], str]) -> str:
    """Each member of a group and why its letter could not go (``name of DATE: why; …``)."""
    parts = re.split(rf"(?:^|; )(\w+) of {_DATE}: ", text)
    said = []
    for name, year, month, day, why in zip(*[iter(parts[1:])] * 5, strict=True):
        why = "тоже просрочено" if why == "expired too" else (russian_detail(why, title) or why)
        said.append(f"«{title(name)}» {day}.{month}.{year}: {why}")
    return "; ".join(said) if parts[0] == "" and said else text


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
