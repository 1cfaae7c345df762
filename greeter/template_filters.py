"""The filters greeter adds to Jinja's: names declined, companies, years, dates, plurals, paragraphs.

Split from :mod:`greeter.template_env`: what a template may *call* on its
values, apart from the sandbox that runs it. Each filter refuses what it
cannot word (a filter's own ValueError/TypeError is shown to the template's
author as it is, see :mod:`greeter.template_errors`); :data:`FILTERS` is what
:func:`~greeter.template_env.make_environment` registers.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Final

from jinja2 import Environment, Undefined, pass_context, pass_environment, pass_eval_context
from jinja2.filters import FILTERS as DEFAULT_FILTERS
from jinja2.filters import (
    do_batch,
    do_center,
    do_format,
    do_indent,
    do_pprint,
    do_replace,
    do_tojson,
    do_trim,
    do_wordwrap,
    make_attrgetter,
    sync_do_join,
    sync_do_slice,
)
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup, escape, soft_str

from greeter.addressing import CASES, UNDECLINED_CASES, canonical_case, decline
from greeter.company_names import company_in, company_name, held_together
from greeter.hungarian import article as hu_article
from greeter.hungarian import number_suffix as hu_number_suffix
from greeter.i18n import DATE_FORMATS, format_date, ordinal, plural, years_phrase
from greeter.i18n_script import names_in_script
from greeter.letter_forms import lv_vocative_name, uk_vocative_name
from greeter.names import gender_of
from greeter.occasion_titles import hungarian_title, mid_sentence, title_in_case, with_s, with_z
from greeter.sources.dates import is_yearless
from greeter.template_limits import MAX_LENGTH, bounded, joined, percent_checked, text_of, too_long
from greeter.template_markup import escape_html, markup
from greeter.template_quotes import in_quotes, renested
from greeter.template_views import ContactView

__all__ = ["COMPANY_CASES", "FILTERS", "NAME_CASES", "case_named", "declines"]

_PARAGRAPH_BREAK: Final = re.compile(r"\n[ \t]*\n")


def _defined(*values: object) -> None:
    """Fail on an undefined value handed to one of our filters, with the undefined error itself.

    ``{{ contakt|name }}`` or ``{{ contact.birthday|date }}``: StrictUndefined
    only raises when a value is printed, iterated or compared, and a filter
    that merely checks the type would say "needs a date, got Undefined". The
    undefined error names the name or attribute (and gets a did-you-mean).
    """
    for value in values:
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()


def _name_filter(value: object, case: str = "nominative", parts: str = "first_patronymic") -> str:
    """``{{ contact|name('dative') }}``: :func:`greeter.addressing.decline`, once per letter and form.

    A letter prints the same form more than once (the subject is rendered for
    the text part and again for the HTML title), so each (case, parts) result
    is kept on the letter's :class:`ContactView` — made per letter, so the
    memo is bounded by the forms one letter uses and dies with it. The result
    is plain text either way; the HTML part escapes it where it is printed.
    """
    if type(value) is ContactView and type(case) is str and type(parts) is str:  # none undefined
        key = (case, parts)
        name = value._names.get(key)
        if name is None:
            name = value._names[key] = _declined_name(value, case, parts)
        return name
    _defined(value, case, parts)
    if not isinstance(value, ContactView):
        raise TypeError(f"the name filter applies to contact (got {type(value).__name__})")
    return _declined_name(value, case, parts)  # odd arguments: reported


#: The letters' languages whose names the name filter declines (:func:`greeter.addressing.decline`
#: has their rules); the company filter declines only Russian's (its «компании» is a Russian word).
NAME_CASES: Final = frozenset({"ru", "uk"})
COMPANY_CASES: Final = frozenset({"ru"})


def declines(language: str | None, filter_name: str) -> bool:
    """Whether a letter in ``language`` gets a declined name (``name``) or company (``company``).

    Why: an English letter's ``company('dative')`` printed «компании O'Brien &
    Sons», and its ``name('dative')`` of a Russian client «Ивану Петрову»
    inside English words; a Serbian one Russian endings on Serbian names
    («Ане Стојановой»). A letter in a language without those rules gets the
    name as written (the nominative), as the ``name`` filter always gave a
    Latin-script name; ``greeter check`` warns of a case asked there
    (:mod:`greeter.template_cases`). ``None``: no letter (the contact's own rules).
    """
    if language is None:
        return True
    return language.replace("-", "_").partition("_")[0].lower() in (
        NAME_CASES if filter_name == "name" else COMPANY_CASES
    )


def _declined_name(view: ContactView, case: str, parts: str) -> str:
    """The name in ``case``: declined in a letter whose language has the rules, else as written.

    The vocative only in a Ukrainian letter (:func:`greeter.letter_forms.uk_vocative_name`), whose
    subject line is addressed in it, and a Latvian one («Cienījamais Jāni!»:
    :func:`greeter.letter_forms.lv_vocative_name`); elsewhere it is refused as before (Russian has none)."""
    if _is_vocative(case):
        language = (view._language or "").replace("-", "_").partition("_")[0].lower()
        contact = view._contact
        if language == "uk":
            return uk_vocative_name(contact.first_name, contact.patronymic, contact.gender, parts)
        if language == "lv":
            written = lv_vocative_name(contact.first_name, gender_of(contact), parts)
            extra = contact.patronymic if parts == "first_patronymic" else ""
            return " ".join(w for w in (written, extra) if w)
    known = case_named(case)
    if not declines(view._language, "name"):
        known = "nominative"
    return decline(view._contact, known, parts=parts, language=view._language)


def _is_vocative(case: object) -> bool:
    """Whether ``case`` is the vocative as a template may write it (``vocative``, ``кличний``…)."""
    return isinstance(case, str) and UNDECLINED_CASES.get(case.strip().lower()) == "vocative"


def case_named(case: object) -> str:
    """:func:`greeter.addressing.canonical_case`, its refusal with the case meant: ``'dativ'`` → 'dative'."""
    try:
        return canonical_case(case)  # type: ignore[arg-type]
    except ValueError as exc:
        typed = case.strip().lower() if isinstance(case, str) else ""
        if typed in UNDECLINED_CASES:  # a real case, not a typo: no "did you mean 'dative'?"
            raise
        close = difflib.get_close_matches(typed, CASES, n=1, cutoff=0.6) if typed else []
        if not close:
            raise
        raise ValueError(f"{exc}; did you mean {close[0]!r}?") from None


def _hu_title_filter(value: object) -> tuple[str, str]:
    """``{% set art, words = title|hu_title %}`` → ("az", "államalapítás ünnepe") for «Az
    államalapítás ünnepe»: :func:`greeter.occasion_titles.hungarian_title`."""
    _defined(value)
    if not isinstance(value, str):
        raise TypeError(f"hu_title needs a title, got {value!r}")
    return hungarian_title(value.unescape() if isinstance(value, Markup) else value)


@pass_context
def _company_filter(context: Context, value: object, case: str | None = None) -> str:
    """``{{ contact.company|company }}`` → ООО «Тест3»; with a case, the words for a sentence.

    ``{{ contact.company|company('dative') }}`` → "компании «Рога и Копыта»",
    "ООО «Тест3»", "ИП Кузнецов Д. С.": :func:`greeter.company_names.company_in`,
    so that a template never writes «компании» before a name that is not one.

    A name already escaped (Markup: a ``{% set %}`` block's or a macro's output
    in the HTML part, ``|e``) is worded from the name it stands for and comes
    back escaped, as Markup: returned as text, it was escaped again when
    printed («A &amp;amp; B»), and its ``&#34;`` hid typed quotes from the
    filter. A plain name comes back as text: escaped once where printed in
    HTML, never in the text part. In the HTML part the legal form and the name, a surname and
    its initials, are held together by no-break spaces (:func:`~greeter.company_names.held_together`).
    """
    _defined(value, case)
    if not isinstance(value, str):
        raise TypeError(f"the company filter needs a company name, got {value!r}")
    known = None if case is None else case_named(case)
    locale = _locale_of(context, None) or "ru"
    name = value.unescape() if isinstance(value, Markup) else value  # unescape(): a plain str
    if type(name) is str and type(locale) is str:  # a str subclass's words would be kept as str
        words = _company_words(name, known, locale)
    else:
        words = _company_text(name, known, locale)
    if context.eval_ctx.autoescape:  # the HTML part: «ООО» not left alone at a line's end on a phone
        words = held_together(words)
    return escape_html(words) if isinstance(value, Markup) else words


@lru_cache(maxsize=1024)
def _company_words(value: str, known: str | None, locale: str) -> str:
    """:func:`_company_text`, kept: a letter prints its company in the text and again in the
    HTML part (the same words twice: names_in_script, company_name/company_in's cache and
    renested each time), and a batch writes to the same company's people. Pure (the name,
    the case, the letter's locale); a refusal raises again, as lru_cache keeps no exceptions."""
    return _company_text(value, known, locale)


def _company_text(value: str, known: str | None, locale: str) -> str:
    """The company's words for :func:`_company_filter`: quoted and in the letter's script, or declined."""
    if known is None or not declines(locale, "company"):
        # Quoted as the letter's language quotes: „Дунав д.о.о.“ in a Serbian letter; in the
        # letter's script: «Petrović d.o.o.» is „Петровић“ д.о.о. in a Cyrillic Serbian letter.
        (value,) = names_in_script((value,), locale, company=True)  # «Džonić Trade d.o.o.» as registered
        return renested(company_name(value, locale.partition("_")[0]), locale)
    return renested(company_in(value, known), locale)  # ООО «Завод „Прогресс“»


def _quoted_filter(value: object, locale: object) -> str:
    """``{{ title|quoted("ru") }}`` → «25-летие „Ромашки“»: :func:`greeter.template_quotes.in_quotes`.

    The language is given, not read from the letter: the shared macros
    (``_ru.j2``) are imported without the letter's context.
    """
    _defined(value, locale)
    if not isinstance(value, str) or not isinstance(locale, str):
        raise TypeError(f"quoted needs a text and a language, got {value!r} and {locale!r}")
    quoted = in_quotes(value.unescape() if isinstance(value, Markup) else value, locale)
    return escape_html(quoted) if isinstance(value, Markup) else quoted


def _title_in_filter(value: object, case: object) -> tuple[str, str] | None:
    """``{{ occasion_title|title_in('instrumental') }}`` → ``("m", "Днём менеджера")``, or None.

    An occasion's Russian title declined for a sentence, with how a word before
    it agrees (``m``/``f``/``n``, ``p`` plural: «наступающими именинами»); None
    when the dictionary is not sure, and the template words it another way
    (``_ru.j2``'s «праздником «…»»): :func:`greeter.occasion_titles.title_in_case`.
    """
    _defined(value, case)
    if not isinstance(value, str) or not isinstance(case, str):
        raise TypeError(f"title_in needs an occasion's title and a case, got {value!r} and {case!r}")
    return title_in_case(value, case_named(case))


def _mid_sentence_filter(value: object, locale: object) -> str:
    """``{{ title|mid_sentence("en") }}`` → "contract anniversary"."""
    _defined(value, locale)
    if not isinstance(value, str) or not isinstance(locale, str):
        raise TypeError(f"mid_sentence needs a title and a language, got {value!r} and {locale!r}")
    return mid_sentence(value, locale)


@pass_context
def _with_s_filter(context: Context, value: object, start: object = False) -> str:
    """``{{ self.what()|trim|with_s }}`` → "со Старым Новым годом", "с Днём менеджера":
    :func:`greeter.occasion_titles.with_s`; ``with_s(true)`` opens a sentence (a capital).
    In a Ukrainian letter the Ukrainian preposition: "з Різдвом", "зі святом"
    (:func:`greeter.occasion_titles.with_z`)."""
    _defined(value, start)
    if not isinstance(value, str):
        raise TypeError(f"with_s needs the words after «с», got {value!r}")
    language = (_locale_of(context, None) or "").replace("-", "_").partition("_")[0].lower()
    joined = (with_z if language == "uk" else with_s)(value, start=bool(start))
    # A macro's or a block's output in the HTML letter is Markup, already escaped: it stays so.
    return markup(joined) if isinstance(value, Markup) else joined


#: What already ends a sentence: no full stop after it ("Acme Inc.", "ИП Кузнецов Д. С.", "Yahoo!").
_SENTENCE_END: Final = (".", "!", "?", "…")


def _full_stop(value: object) -> str:
    """The text and a full stop, unless it already ends in one (or in "!", "?", "…").

    ``партнёром {{ contact.company|company('genitive')|full_stop }}`` → "ООО «Тест3»."
    but "ИП Кузнецов Д. С.", not "Д. С..": Russian and English alike write one
    point where a sentence ends with an abbreviation (Acme Inc., d.o.o.), and
    none after a name's own "!" (Yahoo!). HTML stays escaped: an escaped value
    is checked as the reader sees it and comes back escaped.
    """
    _defined(value)
    text = value if isinstance(value, str) else str(value)
    seen = text.unescape() if isinstance(text, Markup) else text
    text = text.rstrip()
    return text if seen.rstrip().endswith(_SENTENCE_END) else text + "."


#: The locale of the letter being rendered (:meth:`greeter.render.Renderer.render` sets it): what a
#: filter in a macro imported without context formats in. Such a macro's context has no ``locale``,
#: so ``years_phrase``, ``date`` and ``plural`` in a Ukrainian letter's ``_uk.j2`` ``also_line``
#: fell back to Russian («5 лет нашої співпраці», «14 декабря»).
LETTER_LOCALE: ContextVar[str | None] = ContextVar("greeter_letter_locale", default=None)


def _locale_of(context: Context, locale: str | None) -> str | None:
    """The locale a filter formats in: the one passed, else the template's ``locale``, else the
    letter's (:data:`LETTER_LOCALE`: a macro imported without context), else None (the default)."""
    if locale is not None:
        return locale
    value = context.get("locale")
    return value if isinstance(value, str) else LETTER_LOCALE.get()


def _check_years(value: object) -> int:
    if value is None:
        raise ValueError("years is None for this occasion (guard it with {% if years %})")
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"years_phrase needs a whole number, got {value!r}")
    return value


# Babel formats one value in 30-60 µs, and a letter uses several, twice (text and
# HTML). The inputs repeat endlessly across a mailing (a few year counts, a
# year's worth of dates, a handful of locales) and the functions are pure, so
# a cache turns the most expensive part of a render into a dict lookup.
_cached_years_phrase = lru_cache(maxsize=2048)(years_phrase)
_cached_format_date = lru_cache(maxsize=8192)(format_date)
_cached_plural = lru_cache(maxsize=2048)(plural)
_cached_ordinal = lru_cache(maxsize=1024)(ordinal)


@pass_context
def _years_filter(context: Context, value: object, locale: str | None = None) -> str:
    _defined(value, locale)
    return _cached_years_phrase(_check_years(value), _locale_of(context, locale))


@pass_context
def _ordinal_filter(context: Context, value: object, locale: str | None = None) -> str:
    """``{{ years|ordinal }}`` → "21st" in an English letter: :func:`greeter.i18n.ordinal`."""
    _defined(value, locale)
    return _cached_ordinal(_check_years(value), _locale_of(context, locale))


@pass_context
def _date_filter(context: Context, value: object, fmt: str = "long", locale: str | None = None) -> str:
    """``{{ occasion_date|date("day_month") }}``: :func:`greeter.i18n.format_date`.

    A contact's date without a year (``contact.dates.birthday`` read from ``27.12``:
    :func:`~greeter.sources.dates.is_yearless`) is written as its day and month in
    every format: «27 декабря», never «27 декабря 1604 г.», the placeholder year.
    """
    _defined(value, fmt, locale)
    if not isinstance(value, date):
        raise TypeError(f"the date filter needs a date, got {value!r}")
    if is_yearless(value) and fmt in DATE_FORMATS and fmt != "on_day":
        fmt = "day_month"
    return _cached_format_date(value, _locale_of(context, locale), str(fmt))


def _hu_suffix_filter(value: object, forms: object) -> str:
    """``{{ year|hu_suffix('ban|ben') }}`` → "2027-ben", "2030-ban": :func:`greeter.hungarian.number_suffix`.

    Hungarian only, whatever the letter's locale: the suffix follows the number
    as Hungarian speaks it (its last word), which no other language needs.
    """
    _defined(value, forms)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"hu_suffix needs a whole number, got {value!r}")
    if not isinstance(forms, str):
        raise TypeError(f"hu_suffix forms must be a string like 'ban|ben', got {forms!r}")
    return hu_number_suffix(value, forms)


def _hu_article_filter(value: object) -> str:
    """``{{ name|hu_article }}`` → "a" / "az" before a name, "" if unsure: :func:`greeter.hungarian.article`.

    Only the article: the template places it ("{{ art }} {{ name }}") and words
    the sentence without the name where it is "" (an abbreviation such as "MKB"
    or "MOL", a number, a name in another script).
    """
    _defined(value)
    if not isinstance(value, str):
        raise TypeError(f"hu_article needs a name, got {value!r}")
    return hu_article(value.unescape() if isinstance(value, Markup) else value)


@pass_context
def _plural_filter(context: Context, value: object, forms: object, locale: str | None = None) -> str:
    _defined(value, forms, locale)
    if isinstance(forms, list | tuple):
        forms = "|".join(str(f) for f in forms)  # hashable, same meaning for i18n.plural
    if not isinstance(forms, str):
        raise TypeError(f"plural forms must be a string like 'год|года|лет', got {forms!r}")
    return _cached_plural(_check_years(value), forms, _locale_of(context, locale))


def _as_markup(eval_ctx: EvalContext, value: object) -> Markup | str:
    text = value if isinstance(value, str) else str(value)
    return escape_html(text) if eval_ctx.autoescape else text


@pass_eval_context
def _nl2br(eval_ctx: EvalContext, value: object) -> Markup | str:
    _defined(value)
    text = _as_markup(eval_ctx, value)
    if not eval_ctx.autoescape:
        return text.strip()
    # Each line is a piece of the escaped text and "<br>\n" is ours: joined as plain strings, the
    # same Markup as Markup("<br>\n").join(...) builds, without escaping each line over again
    # (nor making a Markup of the stripped text first, as Markup.strip does).
    return markup("<br>\n".join(str.splitlines(str.strip(text))))


@lru_cache(maxsize=64)  # a template's own style (a literal): the same in every letter
def _open_tag(style: str) -> str:
    return f'<p style="{escape(style)}">' if style else "<p>"


@pass_eval_context
def _paragraphs(eval_ctx: EvalContext, value: object, style: str = "") -> Markup | str:
    """Blank-line separated paragraphs as ``<p>`` elements; single newlines become ``<br>``."""
    _defined(value, style)
    text = _as_markup(eval_ctx, value)
    if not eval_ctx.autoescape:
        return text
    open_tag = _open_tag(style) if type(style) is str else f'<p style="{escape(style)}">' if style else "<p>"
    out = []
    for chunk in _PARAGRAPH_BREAK.split(str(text).replace("\r\n", "\n")):
        lines = list(map(str.strip, chunk.strip().splitlines()))
        if any(lines):
            body = "<br>\n".join(lines)
            out.append(f"{open_tag}{body}</p>")
    return markup("\n".join(out))  # every piece is escaped text or our own tags


def _trim(value: str, chars: str | None = None) -> str:
    """Jinja's ``trim``, without Markup.strip's two Python frames for ``{{ self.subject()|trim }}``.

    ``Markup.strip()`` is ``Markup(str.strip(text))``; with ``chars`` it would escape them first,
    so only the common case is done here and everything else is Jinja's own filter.
    """
    if type(value) is Markup and chars is None:
        return markup(str.strip(value))
    return do_trim(value, chars)


# --------------------------------------------------------------------------- Jinja's filters, capped
# Jinja's own filters that can build a string or list much longer than what they are given,
# checked against greeter.template_limits.MAX_LENGTH before they build it (see that module).


def _wide(width: object, route: str) -> None:
    if type(width) is int and width > MAX_LENGTH:
        raise too_long(route)


def _center(value: object, width: int = 80) -> str:
    """Jinja's ``center``, its width capped: ``'a'|center(999999999)`` is a gigabyte of spaces."""
    _wide(width, "|center")
    return do_center(text_of(value, "|center"), width)


def _indent(s: object, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    """Jinja's ``indent``: every line gets the indent, so lines times its width is what it adds."""
    text = str(text_of(s, "|indent"))
    _wide(width, "|indent")
    pad = len(width) if isinstance(width, str) else width if type(width) is int else 0
    if len(text) + (text.count("\n") + 1) * pad > MAX_LENGTH:
        raise too_long("|indent")
    return do_indent(s, width, first, blank)  # type: ignore[arg-type]


def _format(value: object, *args: Any, **kwargs: Any) -> str:
    """Jinja's ``format`` (``%``-formatting): its widths and precisions checked as ``%``'s are."""
    percent_checked(str(text_of(value, "|format")), kwargs or args, "|format")
    return bounded(do_format(value, *args, **kwargs), "|format")  # type: ignore[arg-type]


@pass_eval_context
def _replace(eval_ctx: EvalContext, s: object, old: str, new: str, count: int | None = None) -> str:
    """Jinja's ``replace``: a piece replaced by a long one at every character is checked first."""
    text = str(text_of(s, "|replace"))
    if isinstance(old, str) and isinstance(new, str):
        times = text.count(old) if old else len(text) + 1
        if type(count) is int and count >= 0:
            times = min(times, count)
        if len(text) + times * len(new) > MAX_LENGTH:
            raise too_long("|replace")
    return do_replace(eval_ctx, s, old, new, count)  # type: ignore[arg-type]


@pass_environment
def _wordwrap(
    environment: Environment,
    s: object,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> str:
    """Jinja's ``wordwrap``: ``wrapstring`` goes in at every break, at most one per ``width`` characters."""
    text = str(text_of(s, "|wordwrap"))
    if isinstance(wrapstring, str) and type(width) is int:
        breaks = len(text) // max(width, 1) + text.count("\n") + 1
        if len(text) + breaks * len(wrapstring) > MAX_LENGTH:
            raise too_long("|wordwrap")
    return do_wordwrap(environment, text, width, break_long_words, wrapstring, break_on_hyphens)


@pass_eval_context
def _join(eval_ctx: EvalContext, value: Any, d: str = "", attribute: str | int | None = None) -> str:
    """Jinja's ``join``, the items counted as they are read: ``([[0]*100000]*100000)|join`` is 30 GB."""
    if attribute is not None:
        value = map(make_attrgetter(eval_ctx.environment, attribute), value)
    return sync_do_join(eval_ctx, joined(value, str(d), "|join"), d)


def _list(value: Any, route: str = "|list") -> list[Any]:
    """Jinja's ``list``, read no further than the limit (a lazy ``slice`` can yield a billion lists).

    Its items are weighed as they come (:func:`~greeter.template_limits.joined`):
    ``range(100000)|map('center', 100000)|list`` is 100 000 strings of 100 000 characters.
    """
    if isinstance(value, str | range):
        return bounded(list(value), route)
    return joined(value, "", route)


#: Jinja's filters that keep every item of what they are given (see :func:`_read_first`).
_KEEPING_ALL: Final = ("sort", "unique", "reverse", "groupby")


def _read_first(jinja_filter: Callable[..., Any], name: str) -> Callable[..., Any]:
    """Jinja's filter ``name``, its sequence read through :func:`_list` first: it keeps every item
    (``sort``, ``unique``, ``reverse``, ``groupby``), and a lazy ``map`` can hand it gigabytes."""
    at = 1 if hasattr(jinja_filter, "jinja_pass_arg") else 0  # after the environment it is passed

    @functools.wraps(jinja_filter)
    def read_first(*args: Any, **kwargs: Any) -> Any:
        if len(args) > at and not isinstance(args[at], str | list | tuple | dict | range):
            args = (*args[:at], _list(args[at], f"|{name}"), *args[at + 1 :])
        return jinja_filter(*args, **kwargs)

    return read_first


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
    """Jinja's ``batch``: with ``fill_with``, the last batch is padded out to ``linecount`` items."""
    if fill_with is not None:
        _wide(linecount, "|batch")
    return do_batch(value, linecount, fill_with)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Any:
    """Jinja's ``slice``: ``slices`` lists come out, however few items go in."""
    _wide(slices, "|slice")
    return sync_do_slice(value, slices, fill_with)


def _string(value: object) -> str:
    """Jinja's ``string``: a list's or mapping's text weighed before it is made."""
    return soft_str(text_of(value, "|string"))


def _pprint(value: object) -> str:
    return do_pprint(text_of(value, "|pprint"))


@pass_eval_context
def _tojson(eval_ctx: EvalContext, value: object, indent: int | None = None) -> Markup:
    _wide(indent, "|tojson")
    return do_tojson(eval_ctx, text_of(value, "|tojson"), indent)


#: The filters make_environment adds (``years`` and ``years_phrase`` are one), in registration order.
FILTERS: Final[Mapping[str, Callable[..., Any]]] = MappingProxyType(
    {
        "name": _name_filter,
        "company": _company_filter,
        "title_in": _title_in_filter,
        "with_s": _with_s_filter,
        "quoted": _quoted_filter,
        "mid_sentence": _mid_sentence_filter,
        "full_stop": _full_stop,
        "years": _years_filter,
        "years_phrase": _years_filter,
        "ordinal": _ordinal_filter,
        "date": _date_filter,
        "plural": _plural_filter,
        "hu_suffix": _hu_suffix_filter,
        "hu_article": _hu_article_filter,
        "hu_title": _hu_title_filter,
        "nl2br": _nl2br,
        "paragraphs": _paragraphs,
        "trim": _trim,
        "center": _center,
        "indent": _indent,
        "format": _format,
        "replace": _replace,
        "wordwrap": _wordwrap,
        "join": _join,
        "list": _list,
        "batch": _batch,
        "slice": _slice,
        "string": _string,
        "pprint": _pprint,
        "tojson": _tojson,
        **{name: _read_first(DEFAULT_FILTERS[name], name) for name in _KEEPING_ALL},
    }
)
