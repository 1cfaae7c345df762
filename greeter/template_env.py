"""The sandbox templates run in: read-only views of the data, filters, and two environments.

Split from :mod:`greeter.render` so that what a template may *see and call*
(this module) is reviewed apart from how template files are found, checked
and rendered (``render``). See ``greeter/render.py``'s docstring for the
template reference and the security rules these pieces implement.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache, partial
from types import MappingProxyType
from typing import Any, Final

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    Template,
    TemplateSyntaxError,
    Undefined,
    nodes,
    pass_context,
    pass_eval_context,
)
from jinja2.bccache import BytecodeCache
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.ext import Extension
from jinja2.filters import do_trim
from jinja2.lexer import Token, TokenStream
from jinja2.nodes import EvalContext
from jinja2.runtime import BlockReference, Context, Macro, TemplateReference
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum, missing
from markupsafe import Markup, escape

try:  # markupsafe's own escaper for a str (its C speedup when built): what escape() calls
    from markupsafe import _escape_inner as _escape_text  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - markupsafe < 3 has no such name

    def _escape_text(s: str, /) -> str:
        return str(escape(s))


from greeter.addressing import canonical_case, decline, gender_of
from greeter.company_names import company_in, company_name
from greeter.contacts import Contact
from greeter.hungarian import article as hu_article
from greeter.hungarian import number_suffix as hu_number_suffix
from greeter.i18n import DATE_FORMATS, format_date, ordinal, plural, years_phrase
from greeter.occasion_titles import title_in_case, with_s
from greeter.sources.dates import is_yearless

#: Largest string/list a template may build with ``*`` (same bound as the sandbox's range()).
_MAX_REPEAT: Final = 100_000
#: Largest integer a template may build with ``**``, in bits (about 1 200 decimal digits).
_MAX_POWER_BITS: Final = 4_096
_PARAGRAPH_BREAK: Final = re.compile(r"\n[ \t]*\n")
#: ``lipsum()`` bounds (the stock global has none: ``lipsum(10**6)`` is gigabytes of text).
_MAX_LIPSUM_PARAGRAPHS: Final = 100
_MAX_LIPSUM_WORDS: Final = 1_000

__all__ = [
    "AlsoView",
    "ContactView",
    "LetterContext",
    "Sandbox",
    "SenderView",
    "contact_view",
    "make_environment",
]


# --------------------------------------------------------------------------- what templates see


@dataclass(frozen=True, slots=True)
class ContactView:
    """The contact as templates see it: plain strings and read-only mappings, nothing callable.

    The underlying :class:`Contact` is kept under an underscore name, which the
    sandbox never lets a template read; only the ``name`` filter uses it.
    """

    id: str
    first_name: str
    patronymic: str
    last_name: str
    full_name: str
    company: str
    email: str
    tier: str
    tags: frozenset[str]
    locale: str
    gender: str
    dates: Mapping[str, date]
    extra: Mapping[str, str]
    _contact: Contact = field(repr=False)
    #: The language of the letter being rendered ("ru" for a Russian file read by a ``uk``
    #: contact): its rules decline the name (see :func:`greeter.addressing.decline`).
    _language: str | None = field(default=None, repr=False, compare=False)
    #: The ``name`` filter's results for this letter, by (case, parts): see :func:`_name_filter`.
    _names: dict[tuple[str, str], str] = field(default_factory=dict, repr=False, compare=False)

    def __str__(self) -> str:
        return self.full_name


@dataclass(frozen=True, slots=True)
class SenderView:
    """Who signs the letters (config ``sender``), without pydantic's methods."""

    name: str
    email: str
    company: str
    signature: str
    #: ``sender.reply_to``, ``""`` when not set: where replies go is ``sender.reply_to or sender.email``.
    reply_to: str = ""


class AlsoView(dict[str, Any]):
    """One occasion merged into a letter (an item of ``also``): ``{occasion, title, date, years}``.

    A mapping, so ``a.occasion``, ``a["occasion"]``, ``a.get("title")`` work as
    they always did (the immutable sandbox refuses ``a.update(…)`` as on any
    dict). What a plain dict lacked is how it *prints*: ``{{ also|join(", ") }}``
    or ``{{ a }}`` wrote Python's notation into a client's letter (``{'occasion':
    'new_year', …, 'date': datetime.date(2026, 12, 29), …}``). It prints as its
    ``title`` ("Новый год"), else the occasion's name in words ("new year").
    """

    __slots__ = ()

    def __str__(self) -> str:
        title = self.get("title")
        return title if isinstance(title, str) and title else str(self.get("occasion", "")).replace("_", " ")


def contact_view(contact: Contact, locale: str, language: str | None = None) -> ContactView:
    """The contact for a letter; ``language`` is the letter's (its ``lang``), which declines the name.

    Kept on the view rather than read from the template context, so that a
    macro imported without context (``_ru.j2``) declines as the letter does.
    """
    # A module function, not a classmethod: the views expose no callables to templates.
    return ContactView(
        id=contact.id,
        first_name=contact.first_name,
        patronymic=contact.patronymic,
        last_name=contact.last_name,
        full_name=contact.display_name,
        company=contact.company,
        email=contact.email or "",
        tier=contact.tier or "",
        tags=contact.tags,
        locale=locale,
        gender=gender_of(contact).value,
        dates=_read_only(contact.dates),
        extra=_read_only(contact.extra),
        _contact=contact,
        _language=language,
    )


#: Public data fields of the views, readable without the sandbox's per-access checks.
VIEW_FIELDS: Final[dict[type, frozenset[str]]] = {
    cls: frozenset(f.name for f in fields(cls) if not f.name.startswith("_"))
    for cls in (ContactView, SenderView)
}


def _read_only(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping if isinstance(mapping, MappingProxyType) else MappingProxyType(dict(mapping))


# --------------------------------------------------------------------------- filters


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
            name = value._names[key] = decline(value._contact, case, parts=parts, language=value._language)
        return name
    _defined(value, case, parts)
    if not isinstance(value, ContactView):
        raise TypeError(f"the name filter applies to contact (got {type(value).__name__})")
    return decline(value._contact, case, parts=parts, language=value._language)  # odd arguments: reported


@pass_context
def _company_filter(context: Context, value: object, case: str | None = None) -> str:
    """``{{ contact.company|company }}`` → ООО «Тест3»; with a case, the words for a sentence.

    ``{{ contact.company|company('dative') }}`` → "компании «Рога и Копыта»",
    "ООО «Тест3»", "ИП Кузнецов Д. С.": :func:`greeter.company_names.company_in`,
    so that a template never writes «компании» before a name that is not one.
    """
    _defined(value, case)
    if not isinstance(value, str):
        raise TypeError(f"the company filter needs a company name, got {value!r}")
    if case is None:  # quoted as the letter's language quotes: „Дунав д.о.о.“ in a Serbian letter
        return company_name(value, (_locale_of(context, None) or "ru").partition("_")[0])
    return company_in(value, canonical_case(case))


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
    return title_in_case(value, case)


def _with_s_filter(value: object, start: object = False) -> str:
    """``{{ self.what()|trim|with_s }}`` → "со Старым Новым годом", "с Днём менеджера":
    :func:`greeter.occasion_titles.with_s`; ``with_s(true)`` opens a sentence (a capital)."""
    _defined(value, start)
    if not isinstance(value, str):
        raise TypeError(f"with_s needs the words after «с», got {value!r}")
    joined = with_s(value, start=bool(start))
    # A macro's or a block's output in the HTML letter is Markup, already escaped: it stays so.
    return _markup(joined) if isinstance(value, Markup) else joined


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


def _locale_of(context: Context, locale: str | None) -> str | None:
    if locale is not None:
        return locale
    value = context.get("locale")
    return value if isinstance(value, str) else None


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


#: ``Markup(text)`` for a ``str`` known to be safe HTML, without ``Markup.__new__``'s Python frame
#: and its ``__html__`` probe (a plain ``str`` has none: the result is the same).
_markup: Final[Callable[[str], Markup]] = partial(str.__new__, Markup)


def _escape(value: object) -> Markup:
    """:func:`markupsafe.escape`, with the two common cases done without its Python overhead.

    What the HTML environment's templates call on every ``{{ … }}`` (see
    :class:`_LetterTemplate`). ``Markup`` comes back as it is: ``escape`` would
    return ``Markup(value.__html__())``, a copy of the same text. A ``str`` is
    escaped by markupsafe's own escaper, the one ``escape`` calls for a ``str``
    (its C speedup: one call, where five ``str.replace`` were five), without the
    ``Markup.__new__`` frame around it (``tests/test_render_shortcuts.py``
    compares the two); every other type goes through ``escape`` itself
    (``__html__``, then ``str()``).
    """
    kind = type(value)
    if kind is Markup:
        return value  # type: ignore[return-value]  # mypy cannot narrow on type() is
    if kind is str:
        return _markup(_escape_text(value))  # type: ignore[arg-type]  # a str (type() is)
    return escape(value)


def _as_markup(eval_ctx: EvalContext, value: object) -> Markup | str:
    text = value if isinstance(value, str) else str(value)
    return _escape(text) if eval_ctx.autoescape else text


@pass_eval_context
def _nl2br(eval_ctx: EvalContext, value: object) -> Markup | str:
    _defined(value)
    text = _as_markup(eval_ctx, value)
    if not eval_ctx.autoescape:
        return text.strip()
    # Each line is a piece of the escaped text and "<br>\n" is ours: joined as plain strings, the
    # same Markup as Markup("<br>\n").join(...) builds, without escaping each line over again
    # (nor making a Markup of the stripped text first, as Markup.strip does).
    return _markup("<br>\n".join(str.splitlines(str.strip(text))))


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
    return _markup("\n".join(out))  # every piece is escaped text or our own tags


#: What ``str()`` runs for a type with no text of its own: its ``repr``, Python's notation
#: (a read-only mapping's is its dict's, ``{'birthday': datetime.date(…)}``).
_NOTATION: Final[frozenset[Any]] = frozenset({object.__str__, MappingProxyType.__str__})
#: Types printed as they are, checked first (what almost every ``{{ … }}`` prints).
_TEXT: Final = frozenset({str, Markup, int})


def _trim(value: str, chars: str | None = None) -> str:
    """Jinja's ``trim``, without Markup.strip's two Python frames for ``{{ self.subject()|trim }}``.

    ``Markup.strip()`` is ``Markup(str.strip(text))``; with ``chars`` it would escape them first,
    so only the common case is done here and everything else is Jinja's own filter.
    """
    if type(value) is Markup and chars is None:
        return _markup(str.strip(value))
    return do_trim(value, chars)


def _finalize(value: Any) -> Any:
    """Refuse to print what is never letter text: ``None``, functions, and Python's notation for data.

    ``StrictUndefined`` catches missing names but not ``None`` ("лет: None")
    nor a method printed without parentheses (its repr, or a sandbox probe
    like ``''|attr('format')``). Nor a list or mapping printed whole
    (``{{ also }}``, ``{{ contact.tags }}``): whatever has no ``__str__`` of its
    own prints its ``repr``, ``[{'occasion': …}]`` or ``frozenset({'vip'})``,
    which is never meant for a client. Values with their own text (a contact,
    an ``also`` item, a date) print as before. Only values that are not
    ``str``/``int`` get this far, so the common case costs nothing more.
    """
    if type(value) in _TEXT:  # nearly every value printed: the checks below would pass it
        return value
    if value is None:
        raise TemplateRuntimeError(
            "printed a None value (e.g. years for an occasion without an anniversary); "
            "guard it with {% if … %}"
        )
    if isinstance(value, Undefined | str | int | float | date):
        return value
    if not callable(value):
        if type(value).__str__ in _NOTATION:  # list, dict, set, a dataclass: str() is repr()
            raise TemplateRuntimeError(
                f"printed a {type(value).__name__}, which would appear in Python's notation "
                f"({_shortened(repr(value))}): print one of its fields, or join it with |join(', ')"
            )
        return value
    raise SecurityError(
        f"refusing to print a {type(value).__name__}: functions and methods are not letter text "
        "(missing parentheses?)"
    )


def _html_output(value: Any) -> Markup:
    """``escape(finalize(value))``, what an escaping template prints for ``{{ value }}``, in one call.

    Text and Markup pass :func:`_finalize` unchanged, so they are escaped (or
    kept) here directly; anything else takes both steps. See
    :class:`_LetterCodeGenerator`, which writes this call.
    """
    kind = type(value)
    if kind is Markup:
        return value  # type: ignore[no-any-return]
    if kind is str:
        return _markup(_escape_text(value))
    return _escape(_finalize(value))


def _text_output(value: Any) -> str:
    """``str(finalize(value))``, what a plain-text template prints for ``{{ value }}``, in one call."""
    if type(value) is str:
        return value  # str(value) is value itself
    return str(_finalize(value))


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja's ``lipsum`` with a cap: the stock one builds ``lipsum(10**6)`` (gigabytes) unasked."""
    if n > _MAX_LIPSUM_PARAGRAPHS or max > _MAX_LIPSUM_WORDS:
        raise OverflowError(
            f"lipsum is capped at {_MAX_LIPSUM_PARAGRAPHS} paragraphs of {_MAX_LIPSUM_WORDS} words"
        )
    return generate_lorem_ipsum(n, html, min, max)  # Markup when html, as the stock global


# --------------------------------------------------------------------------- environments


class _NoAutoescapeTag(Extension):
    """Reject ``{% autoescape %}`` in every template an environment compiles (layouts and macros too)."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        previous: Token | None = None
        for token in stream:
            if (
                token.type == "name"
                and token.value in ("autoescape", "endautoescape")
                and previous is not None
                and previous.type == "block_begin"
            ):
                raise TemplateSyntaxError(
                    "{% autoescape %} is not allowed: HTML is always escaped, text never",
                    token.lineno,
                    stream.name,
                    stream.filename,
                )
            previous = token
            yield token


class LetterContext(Context):
    """The context one letter part (subject and text, or html) is rendered in, block by block.

    It also keeps what each ``self.<block>()`` call rendered, so that a block
    the layout calls several times (``self.subject()`` for the title and the
    heading, ``self.what()`` in the subject, heading and message) is rendered
    once per part. That is the same text: a letter context's variables are
    fixed when it is made (its templates' top-level code never runs, see
    :mod:`greeter.render`), template code cannot change them (a ``{% set %}``
    in a block is local to it; the sandbox is immutable), and ``self.<block>()``
    passes the block nothing but this context. Only contexts of this class
    keep results: the ones Jinja derives (a scoped block's, an include's, an
    imported-with-context macro file's) carry loop variables or run top-level
    ``{% set %}`` between calls, and render afresh on every call as before.
    The html part has its own context (autoescaped), so nothing rendered for
    the text is reused in HTML or the other way round. The exception: a block
    printing something random (``|random``, ``lipsum()``) prints the same
    pick each time within a part.
    """

    def __init__(
        self, environment: Environment, parent: dict[str, Any], name: str | None, blocks: dict[str, Any]
    ) -> None:
        super().__init__(environment, _Variables(parent), name, blocks)
        # ``vars`` holds what a template's top-level code sets, and a letter context runs none
        # (greeter.render renders it block by block; a ``{% set %}`` in a block is the block's
        # own). Read-only, so that were any code to set one, it fails instead of being missed
        # by the look-up below.
        self.vars = _NO_VARS  # type: ignore[assignment]
        #: (block name, depth in its override stack) → what it rendered.
        self.rendered: dict[tuple[str, int], str] = {}
        # What resolve_or_missing (Jinja's documented hook, called for each name every block
        # uses: some forty a letter) answers with no variables of its own: ``parent``'s value,
        # else ``missing`` (_Variables.__missing__). The variables' own look-up, called from the
        # generated code without a Python frame of ours.
        self.resolve_or_missing = self.parent.__getitem__  # type: ignore[assignment]


class _Variables(dict[str, Any]):
    """A letter context's variables: a name that is not one of them is Jinja's ``missing``.

    So that ``variables[name]`` is what ``Context.resolve_or_missing`` answers
    for a context with no ``vars`` (a dictionary look-up in C). Only
    subscription differs from a ``dict``: ``in``, ``get`` and iteration, which
    Jinja's other uses of a context's ``parent`` make, are a dict's.
    """

    __slots__ = ()

    def __missing__(self, key: str) -> Any:
        return missing


_NO_VARS: Final[Mapping[str, Any]] = MappingProxyType({})
#: Keyword arguments Jinja's generated code adds to a call: scope hints for context functions.
_SCOPE_HINTS: Final = frozenset({"_block_vars", "_loop_vars"})


def _block_once(block: BlockReference) -> Any:
    """``self.<block>()`` (or ``super()``): rendered once per :class:`LetterContext`."""
    context = block._context
    if type(context) is not LetterContext:
        return block()
    key = (block.name, block._depth)
    done = context.rendered.get(key)
    if done is None:
        # What BlockReference.__call__ does (greeter's environments are not async), without
        # its frame and Markup.__new__'s: the block's output joined, as Markup when escaping.
        text = "".join(block._stack[block._depth](context))
        done = _markup(text) if context.eval_ctx.autoescape else text
        context.rendered[key] = done  # an error propagates and nothing is kept
    return done


class _LetterTemplate(Template):
    """A compiled template whose ``{{ … }}`` output escapes with :func:`_escape`.

    Jinja's generated module imports ``escape`` (markupsafe's) and calls it on
    every value an autoescaping template prints, most of them already
    ``Markup`` (a block, a filter's HTML) that ``escape`` copies through two
    Python frames. The module's own namespace is the one place that name is
    looked up, so it is pointed at :func:`_escape`, which returns the same
    text for every value. Templates compiled without autoescape never call it.
    """

    @classmethod
    def _from_namespace(
        cls,
        environment: Environment,
        namespace: MutableMapping[str, Any],
        globals: MutableMapping[str, Any],
    ) -> Template:
        namespace["escape"] = _escape
        namespace["_html_output"] = _html_output
        namespace["_text_output"] = _text_output
        return super()._from_namespace(environment, namespace, globals)

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        """An imported macro file's module: the cached one when the importer has no globals of its own.

        Jinja builds a fresh module when the importing context has globals the
        imported template lacks, and looks for them with a set difference over
        the template's globals (a ChainMap) on every import. A letter context
        has none (see :func:`greeter.template_blocks.block_context`), so the difference is
        empty and the answer is the cached module; the look is skipped then.
        """
        if ctx is None or not ctx.globals_keys:
            module = self._module  # made by the first call (never for an async environment)
            if module is not None:
                return module
            ctx = None
        return super()._get_default_module(ctx)


#: How Jinja's code generator finalizes a printed value (the source it writes around it).
_Finalize = CodeGenerator._FinalizeInfo


def _fused_output(frame: Frame, finalize: _Finalize) -> bool:
    """Whether a printed value's ``escape``/``str`` and ``finalize`` are written as one call.

    Only with the environment's own :func:`_finalize` and an escaping mode fixed at
    compile time (``{% autoescape %}``, which would make it vary, is rejected anyway).
    """
    return finalize.src == "environment.finalize(" and not frame.eval_ctx.volatile


class _LetterCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``self.<name>()`` compiled to :meth:`Sandbox.call_self_block`.

    The stock code for ``{{ self.message() }}`` is ``environment.call(context,
    environment.getattr(self, 'message'), …)``: a sandbox attribute look-up
    that makes a ``BlockReference``, then a sandbox call of it — for the dozen
    block calls of every letter. The one call made instead does the same for a
    real ``self`` (a ``TemplateReference``), and the two steps above for
    anything else (a macro argument named ``self``), so a template cannot tell
    the difference. Every other call is compiled as Jinja compiles it.

    And each ``{{ … }}`` printed is one call, :func:`_html_output` or
    :func:`_text_output`, instead of Jinja's two (``escape(environment.finalize(…))``
    or ``str(environment.finalize(…))``), with the same result.
    """

    def _output_child_pre(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if _fused_output(frame, finalize):
            self.write("_html_output(" if frame.eval_ctx.autoescape else "_text_output(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if _fused_output(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        target = node.node
        if (
            forward_caller
            or self.environment.is_async
            or not isinstance(target, nodes.Getattr)
            or not isinstance(target.node, nodes.Name)
            or target.node.name != "self"
            or target.attr.startswith("_")  # refused by the sandbox's getattr, block or not
            or node.args
            or node.kwargs
            or node.dyn_args is not None
            or node.dyn_kwargs is not None
        ):
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        self.write("environment.call_self_block(context, ")
        self.visit(target.node, frame)
        self.write(f", {target.attr!r}")
        if frame.loop_frame:
            self.write(", _loop_vars=_loop_vars")
        if frame.block_frame:
            self.write(", _block_vars=_block_vars")
        self.write(")")


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, plus caps on ``*`` and ``**`` (the stock sandbox only caps ``range``)."""

    intercepted_binops = frozenset({"*", "**"})
    template_class = _LetterTemplate
    code_generator_class = _LetterCodeGenerator

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Fast path for the data fields of our own views (read on every line of
        # every letter): they are plain data by construction, so the generic
        # safety checks would only cost time. Anything else takes the full path.
        kind = type(obj)
        fields = VIEW_FIELDS.get(kind)
        if fields is not None and attribute in fields:
            return getattr(obj, attribute)
        if kind is TemplateReference and not attribute.startswith("_"):
            # ``self.subject``: a block by name. It has no public attributes, so the generic
            # path always failed getattr() (an exception per call) before trying this. The
            # reference made as TemplateReference.__getitem__ makes it, without its frame.
            context = obj._TemplateReference__context
            stack = context.blocks.get(attribute)
            if stack is not None:
                return BlockReference(attribute, context, stack, 0)
        return super().getattr(obj, attribute)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # Fast path for Jinja's own callables in a template — ``self.subject()``
        # and macros, about fourteen calls per letter: the generic route asks
        # them whether they are safe and how they want their context, and the
        # answer is always the same (they are Jinja's, and want none).
        kind = type(__obj)
        if kind is BlockReference:
            if not args and kwargs.keys() <= _SCOPE_HINTS:
                return _block_once(__obj)
        elif kind is not Macro:
            return super().call(__context, __obj, *args, **kwargs)
        elif (
            kwargs.keys() <= _SCOPE_HINTS
            and len(args) <= __obj._argument_count
            and not (__obj.caller or __obj.catch_kwargs or __obj.catch_varargs)
        ):
            # What Macro.__call__ does with positional arguments only (greeter's environments
            # are not async): the ones not given are ``missing`` (the macro applies its
            # defaults), and the text (a macro returns a str) is Markup when its template escapes.
            count = __obj._argument_count
            text = (
                __obj._func(*args, *(missing,) * (count - len(args)))
                if len(args) < count
                else __obj._func(*args)
            )
            return _markup(text) if __obj._default_autoescape else text
        kwargs.pop("_block_vars", None)  # scope hints for context functions; these take none
        kwargs.pop("_loop_vars", None)
        return __obj(*args, **kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Templates loaded without globals, by name (see :meth:`get_template`).
        self._loaded: dict[str, Template] = {}

    def get_template(
        self,
        name: str | Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        """A compiled template by name; the ones loaded before without globals from a dict of our own.

        ``{% from "_ru.j2" import … %}`` looks its file up on every render of the
        block (twice a letter). Jinja's way there builds a weak reference and a
        cache key each time to find the same template: this environment never
        reloads (``auto_reload=False``) nor forgets (``cache_size=-1``) what it
        compiled (make_environment; with other settings nothing is kept here), and
        ``join_path`` is Jinja's identity, so the name alone finds it.
        """
        if not globals and type(name) is str:
            template = self._loaded.get(name)
            if template is not None:
                return template
        return super().get_template(name, parent, globals)

    def _load_template(self, name: str, globals: MutableMapping[str, Any] | None) -> Template:
        template = super()._load_template(name, globals)
        if not globals and not self.auto_reload and type(self.cache) is dict:  # never reloaded nor evicted
            self._loaded[name] = template
        return template

    def call_self_block(__self, __context: Context, __obj: Any, __name: str, **kwargs: Any) -> Any:
        """``self.<name>()`` as compiled by :class:`_LetterCodeGenerator`: the block, once per letter part.

        For a ``self`` that is the template reference of a :class:`LetterContext`
        and a block it has, what ``call(getattr(self, name))`` returns (see
        :func:`_block_once`), without the reference made and the two sandbox
        steps; for anything else, those two steps.
        """
        if type(__obj) is TemplateReference:
            context = __obj._TemplateReference__context  # type: ignore[attr-defined]
            if type(context) is LetterContext:
                key = (__name, 0)
                done = context.rendered.get(key)
                if done is not None:
                    return done
                stack = context.blocks.get(__name)
                if stack is not None:  # as _block_once renders BlockReference(__name, context, stack, 0)
                    text = "".join(stack[0](context))
                    done = _markup(text) if context.eval_ctx.autoescape else text
                    context.rendered[key] = done  # an error propagates and nothing is kept
                    return done
        return __self.call(__context, __self.getattr(__obj, __name), **kwargs)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * count > _MAX_REPEAT
                ):
                    raise OverflowError(f"'*' would build a sequence longer than {_MAX_REPEAT:,}")
            return left * right
        if operator == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                bits = max(abs(left), 1).bit_length() * right
                if bits > _MAX_POWER_BITS:
                    raise OverflowError(f"'**' result would exceed {_MAX_POWER_BITS} bits")
            return left**right
        return super().call_binop(context, operator, left, right)


def make_environment(loader: BaseLoader, *, html: bool, code: BytecodeCache | None = None) -> Sandbox:
    """One of the renderer's two environments: identical except for ``autoescape``.

    Why two environments rather than one with an ``autoescape`` callback: Jinja
    decides escaping per template *name* at compile time, but here one file
    holds both the text and the HTML part, and the HTML part pulls in layouts
    and macro files by their own names. A callback would have to guess from
    each name whether it is "HTML" (``_ru.j2`` used inside the html block is
    not named like HTML), and one wrong guess ships unescaped client data.
    With two environments the question never arises: everything compiled for
    the html block — the file, what it extends, includes and imports — is
    compiled with escaping, everything for subject and text without. The cost
    is compiling each file twice, once per process — or none, when ``code``
    (:class:`~greeter.template_code.TemplateCode`, one per environment) has it.
    """
    env = Sandbox(
        loader=loader,
        autoescape=html,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # never stat files per render: templates are compiled once
        cache_size=-1,  # …and kept for the life of the process
        extensions=[_NoAutoescapeTag],
        bytecode_cache=code,
    )
    env.filters.pop("safe", None)  # the one filter that would switch escaping off for a value
    env.globals["lipsum"] = _lipsum
    env.filters.update(
        name=_name_filter,
        company=_company_filter,
        title_in=_title_in_filter,
        with_s=_with_s_filter,
        full_stop=_full_stop,
        years=_years_filter,
        years_phrase=_years_filter,
        ordinal=_ordinal_filter,
        date=_date_filter,
        plural=_plural_filter,
        hu_suffix=_hu_suffix_filter,
        hu_article=_hu_article_filter,
        nl2br=_nl2br,
        paragraphs=_paragraphs,
        trim=_trim,
    )
    return env
