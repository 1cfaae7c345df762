"""Render a planned greeting into subject, text and HTML: sandboxed, strict, escaped where it matters.

Templates
=========
One file per occasion template and locale in ``templates_dir``:
``<name>.j2`` is the default (Russian), ``<name>.<locale>.j2`` a translation
(``birthday.en.j2``). A contact's locale (normalised by
:func:`greeter.i18n.normalize_locale`, else the configured default) picks the
most specific file that exists, dropping subtags from the right: for
``sr_RS`` that is ``birthday.sr_RS.j2`` → ``birthday.sr.j2`` → ``birthday.j2``.
File names are normalised the same way as contacts' locales, so ``sr-RS``,
``sr_RS`` and ``sr_Cyrl_RS`` (what Babel makes of ``sr_RS``) name the same
file, and a ``sr_Latn_RS`` contact is not given the Cyrillic ``sr_RS`` letter.
Where it falls back to ``birthday.sr.j2``, its letter is transliterated to
Latin whole — subject, text and the HTML's text (:mod:`greeter.serbian_script`).
Files whose name starts with ``_`` (layouts, macro libraries) are never
occasion templates.

A template defines Jinja blocks, itself or through ``{% extends %}``:

``subject``
    One line: whitespace and newlines the template produces are collapsed, so
    it may be written over several lines. Must not render empty.
``text``
    The ``text/plain`` part. Trailing spaces are stripped, runs of blank lines
    become one blank line (paragraphs stay). Must not render empty.
``html`` (optional)
    The ``text/html`` part, **autoescaped**. No ``html`` block → no HTML part.

Each block is rendered on its own (the subject never pays for the HTML), so
**only ``{% extends %}`` and ``{% block %}`` may stand outside blocks**: a
top-level ``{% set %}``, ``{% import %}`` or stray text would never run, and is
reported as an error by :meth:`Renderer.check` and :meth:`Renderer.render`
rather than silently ignored. Import macros inside the block that uses them
(``{% from "_ru.j2" import also_line %}``); imports are compiled once and cached.

The shipped templates extend ``_layout.html.j2``, which builds ``text`` and
``html`` from one ``message`` block, so the wording is written once and the two
parts cannot drift apart.

Context
=======
Every template sees:

``contact``
    A read-only view of the contact: ``id``, ``first_name``, ``patronymic``,
    ``last_name``, ``full_name`` ("Иван Петрович Сидоров"), ``company``,
    ``email``, ``tier``, ``tags`` (a frozenset), ``locale`` (the contact's,
    normalised, else the default), ``gender`` ("male" | "female" |
    "unknown"), ``dates`` (name → date) and ``extra`` (other source columns,
    name → string). Missing values are ``""``; test an optional column with
    ``contact.extra.get("city")`` (``{% if contact.extra.city %}`` is an
    error under StrictUndefined when the column is absent). All of it is plain
    data: a name ``{{ 7*7 }}`` is printed as those seven characters, never
    evaluated, and is escaped in HTML. ``{{ contact }}`` prints ``full_name``.
``occasion``
    The occasion's name from config (``"birthday"``, ``"womens_day"``).
``occasion_title``
    What the config's ``title`` calls it ("День России"), or ``None``: how a
    template words an occasion it has no words of its own for.
``occasion_kind``
    What the occasion is, for its wording (:mod:`greeter.occasion_kinds`): its name where the
    shipped templates know it (``"christmas"``, ``"womens_day"``), else the holiday its
    ``holiday:`` or its title names (``christmas_ee`` titled «Jõulud» → ``"christmas"``), else
    its name. The shipped letters choose their words by it; ``also`` items carry it as ``kind``.
``occasion_date``
    The day celebrated (a ``date``).
``occasion_moved``
    ``True`` when ``occasion_date`` stands in for a day this year does not
    have: 29 February in a common year, greeted on 28 February or 1 March
    (``leap_day``). Do not print ``occasion_date`` as the day then — a
    leap-day client's birthday is not the 28th: leave the date out ("Совсем
    скоро Ваш праздник"), as the shipped templates do.
``years``
    The anniversary number (age, company age, years together) or ``None``.
``belated``
    ``True`` when the letter leaves after its day because of downtime.
``send_date``
    The day the letter leaves, in the recipient's zone (``occasion_date``
    where no send time is known, as in ``greeter check``). Merged occasions
    are past or ahead relative to it, not to the letter's own occasion.
``early``
    ``True`` when the letter leaves before its day: the day is a day off and
    the letter goes on the working day before it (a birthday on 7 January
    is greeted on 30 December), or the occasion has ``days_before``. Say
    "с наступающим днём рождения", not "с днём рождения", eight days ahead.
``also``
    Occasions merged into this letter, each ``{occasion, title, date, years,
    belated, early}`` (``a.occasion`` or ``a["occasion"]``; ``title`` as
    ``occasion_title``; ``belated``: its day is past on ``send_date``,
    ``early``: still ahead — neither on the day itself, as the letter's own
    ``early`` says it), in the planner's order; ``[]`` if none. An item prints as its title, else its
    occasion's name in words: ``Также поздравляем с {{ also|join(", ") }}`` →
    "Также поздравляем с Новый год" (to decline it, use ``a.occasion``, as
    ``_ru.j2``'s ``also_line`` does).
``sender``
    ``name``, ``email``, ``reply_to`` (``""`` when not set), ``company``,
    ``signature`` from config; ``name``, ``company`` and ``signature`` as
    ``sender.by_locale`` gives them for the letter's locale ("Romashka LLC" in
    an English letter), else the sender's own — the signature only in a letter
    of ``defaults.locale``'s language, ``""`` in another
    (:meth:`~greeter.config.Sender.signature_in`). Where replies should go:
    ``sender.reply_to or sender.email``.
``unsubscribe_url``
    The recipient's one-click unsubscribe link (``unsubscribe.url``): the very
    link of the letter's ``List-Unsubscribe`` header
    (:func:`greeter.unsubscribe.letter_url`), or ``None`` without
    ``unsubscribe.url``. Rendered where the secret's variable is not set
    (``preview``, ``check``; ``send`` refuses to start), its token is
    ``unsigned``: the letter reads as sent, the link works only in the letter
    sent. ``None`` prints as an error: test it, ``{% if unsubscribe_url %}``.
``unsubscribe_mailto``
    ``unsubscribe.mailto`` as a link (``mailto:…?subject=unsubscribe``), or ``None``.
    The shipped layout shows a line in the letter's language under the
    signature linking to ``unsubscribe_url or unsubscribe_mailto`` (Gmail's and
    Yahoo's bulk-sender rules want one besides the header), none without either.
``salutation``
    :func:`greeter.letter_forms.salutation` in the letter's language, without
    punctuation: "Уважаемый Иван Петрович", "Здравствуйте, Иван", "Dear John",
    "Поштовани господине Петровићу", "Tisztelt Nagy Éva", "Sehr geehrte Frau
    Schulz" (every language's forms: :mod:`greeter.letter_forms`; a language
    without its own forms gets the English ones, unless its helper file
    ``_pl.j2`` defines ``salutation``: :mod:`greeter.template_hooks`, which
    fills ``salutation_end`` and ``closing`` the same way).
``addressee``
    How the salutation names the client, for a subject or a line of the
    template's own: in English letters the first name ("Jane"), or with
    ``sender.by_locale``'s ``addressing: formal`` "Ms Smith", "Mr. Doe"
    (en_US), "Dr Carter", "Jane Smith" (no gender); ``""`` when there is no
    name to use. In other languages the first name without titles; in
    Georgian the title and the first name, "ბატონო გიორგი", "" without a
    gender (:mod:`greeter.letter_forms`).
``salutation_end``
    The mark the letter's language puts after the salutation: "!" (ru, uk,
    hu, et) or "," (sr, de, en): ``{{ salutation }}{{ salutation_end }}``.
``closing``
    The complimentary close above the sender's name, in the letter's language:
    "С уважением,", "S poštovanjem,", "Tisztelettel:", "Lugupidamisega",
    "Mit freundlichen Grüßen", "Kind regards,".
``locale``
    The letter's locale: the contact's own when a file in its language was
    found (``birthday.en.j2`` for ``en_GB`` → ``"en_GB"``), else the default
    locale, because a Russian default file read by a ``de`` contact is still a
    Russian letter ("15 лет", not "15 Jahre"). ``contact.locale`` keeps the
    contact's own. An English letter whose locale names no country takes the
    client's (``contact.country``, else ``defaults.country``): ``en`` in
    London is ``en_GB`` ("4 May"), in New York ``en_US`` ("May 4"), where CLDR
    has no English for the country ``en_001`` ("4 May"); see
    :func:`greeter.i18n.regional_locale`.
``lang``
    The language part of ``locale`` (``"ru"``, ``"en"``), for wording branches.
``lang_tag``
    ``locale`` as a BCP 47 tag (``"sr-Latn"``, ``"en-GB"``; :func:`greeter.i18n.bcp47`),
    for ``<html lang="…">``: a screen reader picks its voice by it, and the
    review gallery tags the same letter so.
``dir``
    The letter's writing direction: ``"rtl"`` for a right-to-left language
    (Hebrew, Arabic, Persian, Urdu, Yiddish: CLDR's ``character_order``),
    else ``"ltr"`` — for ``<html lang="…" dir="rtl">`` and right alignment.

Filters (locale-aware ones use the letter's ``locale`` unless given one)::

    {{ contact|name('dative') }}                → Ивану Петровичу
    {{ contact|name('genitive', 'full') }}      → Ивана Петровича Сидорова
                                                  (parts: first_patronymic | full | first | last)
    {{ contact.company|company }}               → ООО «Тест3», «Рога и Копыта», ИП Кузнецов Д. С.,
                                                  Kats GmbH (Russian style; a quoted name stays as written)
    {{ contact.company|company('dative') }}     → компании «Рога и Копыта», ООО «Тест3», ИП Кузнецов Д. С.
                                                  (the words for a case: «компании» only where the
                                                  name does not say what it is)
    {{ occasion_title|title_in('instrumental') }} → ("m", "Днём менеджера"), ("p", "именинами"), or
                                                  None when the dictionary is not sure («8 Марта»):
                                                  the title declined, with how a word before it agrees
    {{ self.what()|trim|with_s }}               → "со Старым Новым годом", "со 100-летием", "с Днём …"
                                                  (the preposition «с»/«со» put before; with_s(true): «Со …»;
                                                   in a uk letter «з»/«зі»: «з Різдвом», «зі святом»)
    {{ contact.company|full_stop }}             → "Acme Ltd." but "Acme Inc.", not "Acme Inc.."
                                                  (ends a sentence: no second point after an abbreviation)
    {{ years|years_phrase }}  {{ years|years }} → 15 лет, 21 год, 3 года
    {{ years|ordinal }}                         → 21st (English); 25. (hu, et, de, sr); 40º (pt)
                                                  (40.º in es; another language: an error)
    {{ occasion_date|date('day_month') }}       → 15 декабря
                                                  (formats: long | medium | short | full | day_month | on_day:
                                                   «január 2-án» in Hungarian, day_month elsewhere)
    {{ year|hu_suffix('ban|ben') }}             → 2027-ben, 2030-ban (Hungarian: by the last word spoken)
    {{ name|hu_article }}                       → a / az / "" (the spelling cannot tell: MOL, MKB)
    {{ n|plural('клиент|клиента|клиентов') }}   → клиента
                                                  (one form per plural category of the language:
                                                  ru one|few|many, en one|other; else an error)
    {{ sender.signature|nl2br }}                → lines joined by <br> (HTML only, escaped first)
    {{ self.message()|paragraphs('margin:0') }} → <p style="margin:0">…</p> per blank-line paragraph

Macros imported *without context* (the default, and the cached, fast one) do
not see the variable ``locale``, but their filters (``years_phrase``, ``date``,
``plural``, ``ordinal``…) format in the letter's locale all the same: a
Ukrainian letter's ``_uk.j2`` macro writes «5 років», «14 грудня» (it wrote
Russian, the filters' default, before). A locale passed explicitly
(``a.years|years_phrase('en')``) still wins.

Strictness and safety
=====================
* Templates run in Jinja's ``ImmutableSandboxedEnvironment``: no underscore
  attributes, no ``str.format`` tricks, no mutating lists or dicts, ``range``
  capped at 100 000; ``*``, ``**`` and ``lipsum()`` are capped too (``'x' * 10**9``,
  ``10**100000`` or ``lipsum(10**6)`` would exhaust memory or CPU in one expression), and so is
  every other way to build a long string or list (``+``, ``~``, ``%``, ``str.format``, ``center``,
  ``indent``, ``join``… :mod:`greeter.template_limits`). Any refusal
  becomes a :class:`~greeter.errors.TemplateError` for that one contact; the
  next one still renders. A letter has 2 s to render
  (:data:`~greeter.template_limits.RENDER_SECONDS`): a slow loop or recursion is stopped and
  reported the same way (see :meth:`Renderer.render` for a file that keeps running out of time).
* ``StrictUndefined``: a missing variable or attribute is an error with
  ``file:line`` and the contact id, never an empty greeting. Printing ``None``
  (``{{ years }}`` for a holiday) or a function (``{{ self.subject }}``,
  ``{{ ''|attr('format') }}``) is an error too, and so is a list or mapping
  printed whole (``{{ also }}``, ``{{ contact.tags }}``: Python's notation,
  ``[{'occasion': …}]``); an empty subject or text is an error.
  ``greeter check`` also reads each letter it renders for Python's notation
  that got there through a filter (``dictsort|join``: an error) and for HTML
  tags in the text part (a warning): cheap there, and nothing on the send path.
* HTML escaping is decided per *environment*, not per template: the ``html``
  block is rendered by an environment compiled with ``autoescape=True``, and
  ``subject``/``text`` by one with ``autoescape=False``. Whatever a template
  extends, includes or imports is compiled by the same environment, so a
  layout or macro cannot end up unescaped because its author forgot a setting.
  ``{% autoescape %}`` is rejected at compile time and the ``safe`` filter
  does not exist, so escaping cannot be switched off from a template either.

Errors
======
Every failure is a :class:`~greeter.errors.TemplateError` whose ``template``
is the file name relative to ``templates_dir`` and ``line`` the template line:
``birthday.j2:12: undefined: 'nickname' is undefined (contact 42)``. An
undefined value handed to one of the filters above fails the same way (not
"the date filter needs a date"). A block that a layout renders with
``self.<block>()`` and no file of the chain defines is reported at the
occasion's template before any contact is tried. Syntax
errors carry Jinja's own line; for errors while rendering, the line is read
from the traceback (see :func:`~greeter.template_blame.template_frames`), naming the innermost
template — an error inside an imported macro points into the macro's file,
unless the error is an undefined name the macro was only handed
(``{{ also_line(alsoo) }}``): then the line that names it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from greeter.cache_dir import user_cache_dir
from greeter.company_names import held_together, looks_up_words
from greeter.config import Occasion, Sender, Settings, Unsubscribe
from greeter.contacts import readable_address
from greeter.errors import ConfigError, GreeterError, Problem, TemplateError, TemplateLoadError
from greeter.i18n import bcp47, letter_default, normalize_locale, regional_locale, text_direction
from greeter.letter_forms import SWISS_GERMAN, Person, addressed, forms_for, without_eszett
from greeter.occasion_kinds import occasion_kind
from greeter.plan_types import Hit, PlanItem, Rendered
from greeter.secret_values import unsubscribe_secret
from greeter.serbian_script import html_to_latin, is_serbian_latin, to_latin
from greeter.template_blocks import block_context, one_line, render_block, tidy_text
from greeter.template_code import FOLDER as TEMPLATE_CODE_FOLDER
from greeter.template_filters import LETTER_LOCALE
from greeter.template_hooks import LanguageForms, own_forms
from greeter.template_limits import RenderTimeout, end_budget, start_budget
from greeter.template_set import TemplateSet
from greeter.template_snapshot import TemplateFiles
from greeter.template_views import AlsoView, ContactView, SenderView, contact_view
from greeter.unsubscribe import letter_url, mailto_href

if TYPE_CHECKING:
    from jinja2.runtime import Context

    from greeter.contacts import Contact

__all__ = ["TIMEOUTS_IN_A_ROW", "Renderer"]

#: Renders of one file running out of time in a row after which its next letters fail at once
#: (:meth:`Renderer.render`): three budgets (6 s) before ``check`` or the daemon's start-up render
#: test moves on, while two neighbours with unusually large data do not stop a template.
TIMEOUTS_IN_A_ROW = 3

#: The longest subject the merged occasions may make (characters): RFC 5322 §2.1.1's line, about
#: what an inbox's list shows. A letter's own occasion is never left out to meet it.
MAX_SUBJECT: Final = 78


# --------------------------------------------------------------------------- the renderer


def _fitting_subject(
    chain: Any, values: dict[str, Any], hits: tuple[Hit, ...], subject: str
) -> tuple[str, list[Any] | None]:
    """The subject naming as many of the merged occasions as fit in :data:`MAX_SUBJECT`
    characters — of as many, those of the highest priorities — the letter's own always; the
    message names them all. ``subject`` (all of them, too long) when even one does not fit.
    With it the ``also`` it was rendered with (None: all), for the HTML part's ``self.subject()``
    (its ``<title>``), which showed all of them (:func:`_html_context`).

    Why: four occasions merged into one letter (a birthday with two anniversaries and the New
    Year) made subjects of 120–170 characters in every language, cut off in every inbox, which
    filters and readers take for a spammer's. Each language's ``also_subject`` lists what it is
    given in its own grammar, so the subject is rendered again with fewer (`also` and the
    letter's other values as they were: only the subject block), fewest left out first: a few
    renders of one line, for the rare letter that needs them. Not "… and 2 more": a greeting
    does not count its wishes, and every language would need its own words for it.
    """
    views = values["also"]
    order = sorted(range(len(hits)), key=lambda i: -hits[i].priority)
    for size in range(len(hits) - 1, -1, -1):
        for kept in combinations(order, size):
            also = [views[i] for i in sorted(kept)]
            shorter = one_line(render_block(block_context(chain, {**values, "also": also}), "subject"))
            if len(shorter) <= MAX_SUBJECT:
                return shorter, also
    return subject, None


def _html_context(chain: Any, values: dict[str, Any], subject_also: list[Any] | None) -> Context:
    """The context the ``html`` block renders in: ``values``, but its ``subject`` block (the
    layout's ``self.subject()``: ``<title>``, the heading) rendered with ``subject_also``, the
    merged occasions the subject was cut down to (:func:`_fitting_subject`; None: all of them),
    so the HTML says the subject the letter has. The rest of the part names them all.
    """
    context = block_context(chain, values)
    if subject_also is not None:
        capped = block_context(chain, {**values, "also": subject_also})
        stack = context.blocks["subject"]  # a fresh dict per context: the shared stacks stay as they are
        context.blocks["subject"] = [lambda _context: stack[0](capped), *stack[1:]]
    return context


class Renderer:
    """Renders plan items with the templates of one directory; compiles each file once.

    The templates are a :class:`TemplateFiles` snapshot — read from
    ``templates_dir`` when the renderer is made, unless one is given — so a
    renderer renders the same templates all its life, whatever happens to
    the files meanwhile. Resolved templates are cached per (template name,
    locale); a template that fails to resolve is cached as its error, so a
    broken file is not re-parsed for every contact. With ``code_cache`` (a
    folder; :meth:`of` gives the user's) compiled templates are also kept on
    disk for the next process (:mod:`greeter.template_code`). Finding, compiling
    and checking the files is its :class:`~greeter.template_set.TemplateSet`'s work.
    """

    def __init__(
        self,
        templates_dir: Path,
        sender: Sender,
        default_locale: str = "ru",
        titles: Mapping[str, str] | None = None,
        *,
        files: TemplateFiles | None = None,
        localized: Iterable[Occasion] = (),
        code_cache: Path | None = None,
        default_country: str | None = None,
        unsubscribe: Unsubscribe | None = None,
        unsubscribe_secret: bytes | None = None,
        fallback_locales: Mapping[str, str] | None = None,
    ) -> None:
        #: ``defaults.country``: where a contact without a country is (an English letter's dates).
        self._default_country = default_country
        self._templates = TemplateSet(templates_dir, files, default_locale, code_cache, fallback_locales)
        self._titles = dict(titles or {})
        #: Occasions with a ``title_by_locale``: their title depends on the letter's language.
        occasions = tuple(localized)
        self._localized = {o.name: o for o in occasions if o.title_by_locale}
        #: Holiday occasions: one without a title in a letter's language takes the library's name there.
        self._holidays = {o.name: o for o in occasions if o.holiday}
        #: What each occasion is for the wording (``occasion_kind``): :mod:`greeter.occasion_kinds`.
        self._kinds = {
            o.name: occasion_kind(o.name, o.holiday, (o.title, *o.title_by_locale.values()))
            for o in occasions
        }
        self._titles_in: dict[tuple[str, str], str | None] = {}
        self._sender = sender
        self._senders: dict[tuple[str, bool], SenderView] = {}
        #: Whether the sender addresses clients formally, by letter locale (:meth:`_addressed`).
        self._formal: dict[str, bool] = {}
        #: ``unsubscribe.url`` and the secret its links are signed with (the ``List-Unsubscribe`` header's).
        self._unsubscribe_base = unsubscribe.url if unsubscribe is not None else None
        self._unsubscribe_secret = unsubscribe_secret
        mailto = unsubscribe.mailto if unsubscribe is not None else None
        self._unsubscribe_mailto = mailto_href(mailto) if mailto else None
        #: The problem ``send`` refuses to start with when the letters' one-click links cannot be
        #: signed (``unsubscribe.url`` without its secret); the letters then show ``unsigned`` links.
        self.unsigned: Problem | None = None
        self._default_locale = default_locale
        #: Files whose last renders ran out of time (template_limits.RENDER_SECONDS): how many
        #: in a row, and the last one's error. See :meth:`render`.
        self._timed_out: dict[str, tuple[int, TemplateError]] = {}
        #: The last contact's (contact, locale, language, letter locale, view, salutation,
        #: addressee): see :meth:`_addressed`.
        self._last_addressed: tuple[Contact, str, str | None, str, ContactView, str, str] | None = None
        #: The last contact's (contact, letter locale, forms its language's helper file gave): see
        #: :meth:`_own_forms`.
        self._last_own: tuple[Contact, str, dict[str, str]] | None = None

    @classmethod
    def of(cls, settings: Settings, files: TemplateFiles | None = None) -> Renderer:
        """The renderer of a config: its templates (read now, unless given), sender, locale, titles.

        Its compiled templates are kept in the user's cache folder
        (:mod:`greeter.template_code`): the next command starts without compiling.
        """
        titles = {o.name: o.title for o in settings.occasions if o.title}
        secret, unsigned = _unsubscribe_secret(settings.unsubscribe)
        renderer = cls(
            settings.templates_dir,
            settings.sender,
            settings.defaults.locale,
            titles,
            files=files,
            localized=settings.occasions,
            code_cache=None if (cache := user_cache_dir()) is None else cache / TEMPLATE_CODE_FOLDER,
            default_country=settings.defaults.country,
            unsubscribe=settings.unsubscribe,
            unsubscribe_secret=secret,
            fallback_locales=settings.defaults.fallback_locales,
        )
        renderer.unsigned = unsigned
        return renderer

    # ------------------------------------------------------------------ rendering

    def unsubscribe_link(self, email: str | None) -> str | None:
        """The one-click link of a letter to ``email``: the body's, and its ``List-Unsubscribe`` header's.

        ``preview --format eml`` writes the header with it, so that the file is
        the letter sent (an unsigned token where the secret is not set).
        """
        return letter_url(self._unsubscribe_base, self._unsubscribe_secret, email)

    def render(self, item: PlanItem) -> Rendered:
        """The letter for one plan item; raises :class:`TemplateError` (file, line, contact id).

        A render has :data:`~greeter.template_limits.RENDER_SECONDS`; one that
        runs longer is stopped with that error. Once a file has run out of
        time :data:`TIMEOUTS_IN_A_ROW` times in a row, its later letters fail
        at once with the same error: that loop is the template's, not one
        contact's, and ``greeter check`` over 10 000 contacts, a send's build or
        the daemon's start-up render test would otherwise spend the budget on
        each of them (hours). One contact's slow letter (a loop over a huge
        field of theirs) costs the budget once and blocks nobody: a letter of
        the file that renders starts the count again. Another renderer (the
        next command, the daemon's next reload) tries the file afresh.
        """
        hit = item.hit
        contact = hit.contact
        locale = normalize_locale(contact.locale, self._default_locale)
        variant = self._templates.variant(hit.template, locale)
        if isinstance(variant, TemplateLoadError):
            raise variant.for_contact(contact.id)
        timed_out = self._timed_out.get(variant.file)
        if timed_out is not None and timed_out[0] >= TIMEOUTS_IN_A_ROW:
            last = timed_out[1]
            raise TemplateError(last.template, last.line, last.detail, contact.id)
        letter = regional_locale(variant.locale, contact.country or self._default_country)
        forms = forms_for(letter)
        own = self._templates.language_forms(letter)  # _pl.j2's salutation and closing (template_hooks)
        if isinstance(own, TemplateLoadError):
            raise own.for_contact(contact.id)
        send_date = item.send_at.date() if item.send_at is not None else hit.date
        view, salutation, addressee = self._addressed(contact, locale, variant.lang, letter)
        values: dict[str, Any] = {
            "contact": view,
            "occasion": hit.occasion,
            "occasion_date": hit.date,
            "years": hit.years,
            "belated": item.belated,
            "send_date": send_date,
            "early": send_date < hit.date,
            "occasion_moved": hit.moved,
            "occasion_title": self._title(hit.occasion, letter, hit),
            "occasion_kind": self._kinds.get(hit.occasion, hit.occasion),
            "also": [
                AlsoView(
                    occasion=h.occasion,
                    kind=self._kinds.get(h.occasion, h.occasion),
                    title=self._title(h.occasion, letter, h),
                    date=h.date,
                    years=h.years,
                    belated=h.date < send_date,
                    early=h.date > send_date,
                )
                for h in item.also
            ],
            "sender": self._sender_view(letter),
            "salutation": salutation,
            "addressee": addressee,
            "salutation_end": forms.end,
            "closing": forms.closing,
            "locale": letter,
            "lang": variant.lang,
            "lang_tag": bcp47(letter),
            "dir": text_direction(letter),
            "unsubscribe_url": self.unsubscribe_link(contact.email),
            "unsubscribe_mailto": self._unsubscribe_mailto,
        }
        outer = start_budget()  # the clock this render replaces (none, outside another render)
        in_letter = LETTER_LOCALE.set(letter)  # an imported macro's filters format in it (template_filters)
        try:
            if own is not None:
                values.update(self._own_forms(own, contact, letter, values))
            context = block_context(variant.plain, values)
            subject = one_line(render_block(context, "subject"))
            subject_also = None
            if len(subject) > MAX_SUBJECT and len(item.also) > 0:
                subject, subject_also = _fitting_subject(variant.plain, values, item.also, subject)
            text = tidy_text(render_block(context, "text"))
            html = None
            if variant.html is not None:
                held = {**values, "sender": self._sender_view(letter, html=True)}  # «ООО\u00a0«Ромашка»»
                html = render_block(_html_context(variant.html, held, subject_also), "html").strip()
        except Exception as exc:
            if isinstance(exc, TemplateError):  # a helper file's forms, placed already (template_hooks)
                error = TemplateError(exc.template, exc.line, exc.detail, contact.id)
            else:
                error = self._templates.error(exc, variant.file, contact.id, values)
            if isinstance(exc, RenderTimeout):
                self._timed_out[variant.file] = ((timed_out[0] if timed_out else 0) + 1, error)
            raise error from exc
        finally:
            LETTER_LOCALE.reset(in_letter)
            end_budget(outer)
        if timed_out is not None:
            del self._timed_out[variant.file]
        for part, value in (("subject", subject), ("text", text)):
            if not value:
                raise TemplateError(variant.file, None, f"the {part} block rendered empty", contact.id)
        if is_serbian_latin(letter):  # one script throughout, from a Cyrillic .sr.j2 too (serbian_script)
            subject, text = to_latin(subject), to_latin(text)
            html = html_to_latin(html) if html is not None else None
        elif letter in SWISS_GERMAN:  # no ß in Swiss Standard German: «Grüssen» (letter_forms)
            names = (contact.first_name, contact.last_name, contact.patronymic, contact.company)  # kept
            subject, text = without_eszett(subject, names), without_eszett(text, names)
            if html is not None:  # where the HTML part prints the company with its no-break space
                html = without_eszett(html, (*names, held_together(contact.company)))
        return Rendered(subject=subject, text=text, html=html, template_file=variant.file, locale=letter)

    def warm(self, items: Iterable[PlanItem]) -> list[tuple[PlanItem, Rendered]]:
        """Compile what the letters of ``items`` are written with, and render one letter of each
        template and locale; those letters, to be built once too (:meth:`Deliverer.warm
        <greeter.delivery.Deliverer.warm>`).

        Why: ``send --once`` builds a large batch in forked workers (:mod:`greeter.build_pool`),
        and whatever a first render does once — parse each file of the chain for its shape,
        compile it (Jinja's code cache on disk skips only that), compile the files it imports,
        make its imported macros' modules, load Babel's data of its locale, set up the
        declension dictionaries — every worker did again after the fork: on bench_send's
        project its first 32 letters took 197 M instructions against 68 M for the next 32
        (the template code cache on disk filled); after this, 69 M. Done here, before the
        fork, it is done once (~130 M instructions) and inherited by every worker.

        Leaves no other trace: a render that fails is let be (its letter fails in the worker
        as before, counted there), and the count of renders out of time
        (:data:`TIMEOUTS_IN_A_ROW`) and the last contact's memo are as they were.
        """
        timed_out, last = dict(self._timed_out), self._last_addressed
        samples: list[tuple[PlanItem, Rendered]] = []
        seen: set[tuple[str, str, bool]] = set()
        # A company whose name the dictionary declines (Галерея «Холст») gets a sample of its own:
        # its render loads pymorphy3's dictionary (~0.1 s) here, once, where the workers each
        # loaded it at their first such letter. Asked once per first word of a company (ООО,
        # Галерея: ~24 K instructions a name, for every letter of a batch otherwise); a later name
        # of the same first word that answers otherwise only goes without its sample.
        asks: dict[str, bool] = {}
        try:
            for item in items:
                hit = item.hit
                locale = normalize_locale(hit.contact.locale, self._default_locale)
                company = hit.contact.company or ""
                first = company.split(None, 1)[0] if company else ""
                looks_up = asks.get(first)
                if looks_up is None:
                    looks_up = asks[first] = looks_up_words(company)
                key = (hit.template, locale, looks_up)
                if key in seen:
                    continue
                seen.add(key)
                if isinstance(self._templates.warm(hit.template, locale), TemplateLoadError):
                    continue
                try:
                    samples.append((item, self.render(item)))
                except GreeterError:  # what Deliverer.attempt counts as the letter's render_error
                    continue
        finally:
            self._timed_out, self._last_addressed = timed_out, last
        return samples

    def _addressed(
        self, contact: Contact, locale: str, language: str | None, letter: str
    ) -> tuple[ContactView, str, str]:
        """The contact's view, salutation and addressee for a letter; the last contact's kept for its next.

        Salutation and addressee in the register ``sender.by_locale`` gives
        English letters (``addressing``: :func:`greeter.letter_forms.addressed`).

        Letters come contact by contact (the planner's order; check renders
        every occasion of a contact in a row): the view, its memo of declined
        names (:func:`~greeter.template_filters._name_filter`) and the salutation
        are the same for each letter of one contact in one language, so each
        is made once per contact, not once per letter (~5 % of ``greeter
        check``). Pure inputs (a frozen contact, by identity), one entry.
        """
        last = self._last_addressed
        if (
            last is not None
            and last[0] is contact
            and last[1] == locale
            and last[2] == language
            and last[3] == letter
        ):
            return last[4], last[5], last[6]
        view = contact_view(contact, locale, language)
        formal = self._formal.get(letter)
        if formal is None:  # the sender's by_locale entries walked once per letter locale
            formal = self._formal[letter] = self._sender.addressing_in(letter) == "formal"
        salutation, addressee = addressed(Person.of(contact), letter, formal=formal)
        self._last_addressed = (contact, locale, language, letter, view, salutation, addressee)
        return view, salutation, addressee

    def _own_forms(
        self, own: LanguageForms, contact: Contact, letter: str, values: Mapping[str, Any]
    ) -> dict[str, str]:
        """The salutation, its mark and the closing ``own.file`` words (:mod:`greeter.template_hooks`).

        Once per contact and letter locale, as :meth:`_addressed` makes the
        built-in salutation: every letter of a contact in one language opens
        and closes alike.
        """
        last = self._last_own
        if last is not None and last[0] is contact and last[1] == letter:
            return last[2]
        found = own_forms(own, self._templates.module(own.file), values)
        self._last_own = (contact, letter, found)
        return found

    def _title(self, occasion: str, letter: str, hit: Hit | None = None) -> str | None:
        """What a letter in the locale ``letter`` calls ``occasion``: ``title_by_locale``, else ``title``,
        else (a holiday's ``hit``) the holidays library's name in the letter's language."""
        localized = self._localized.get(occasion)
        if localized is None:
            title = self._titles.get(occasion)
        else:
            key = (occasion, letter)
            if key not in self._titles_in:
                self._titles_in[key] = localized.title_in(letter)
            title = self._titles_in[key]
        holiday = self._holidays.get(occasion)
        if title is not None or holiday is None or hit is None or holiday.holiday is None:
            return title
        from greeter.occasions import holiday_title  # the planner's world: only for an untitled holiday

        default = self._default_country or ""
        country = holiday.country or hit.contact.country or default
        return holiday_title(holiday.holiday, country, default or country, hit.date, letter.split("_")[0])

    def _sender_view(self, locale: str, *, html: bool = False) -> SenderView:
        """``sender`` as a letter in ``locale`` signs: ``sender.by_locale``'s name, company and signature.

        ``html``: as the HTML part prints it, the name and the company held together by no-break
        spaces (:func:`~greeter.company_names.held_together`: «ООО\u00a0«Ромашка»»), in the
        signature too, so that the footer still finds the company the signature names.
        """
        view = self._senders.get((locale, html))
        if view is None:
            name, company = self._sender.in_locale(locale)
            # hr/bs: the sender's signature goes under the Serbian Latin letters the team writes
            signature = self._sender.signature_in(locale, letter_default(self._default_locale))
            if html:
                for words in {company, name} - {""}:
                    signature = signature.replace(words, held_together(words))
                name, company = held_together(name), held_together(company)
            # The addresses as people read them: an IDN domain in Unicode (the headers keep ASCII).
            email, reply = readable_address(self._sender.email), readable_address(self._sender.reply_to or "")
            view = self._senders[(locale, html)] = SenderView(name, email, company, signature, reply)
        return view

    # ------------------------------------------------------------------ check

    def find_line(self, file: str, needle: str) -> tuple[str, int] | None:
        """Where ``needle`` is written in ``file`` or what it uses: :meth:`TemplateSet.find_line`."""
        return self._templates.find_line(file, needle)

    def language_forms(self, locale: str) -> LanguageForms | TemplateLoadError | None:
        """The helper file wording ``locale``'s salutation or closing: :meth:`TemplateSet.language_forms`."""
        return self._templates.language_forms(locale)

    def helper(self, file: str) -> object | None:
        """``file``'s macros and values (``_unsubscribe.j2``), or ``None`` if it is missing or broken.

        For check's questions about a helper; the error itself is reported at the letters using it.
        """
        if not self._templates.has(file):
            return None
        outer = start_budget()  # its top level is template code: under a render's time budget
        try:
            return self._templates.module(file)
        except Exception:  # any error there is the letters' to report, with its line
            return None
        finally:
            end_budget(outer)

    def template_files(self, name: str) -> list[Path]:
        """The files of one template that exist, default first: :meth:`TemplateSet.template_files`."""
        return self._templates.template_files(name)

    def check(self, names: Iterable[str], defaultless: Iterable[str] = ()) -> list[Problem]:
        """What is wrong with the named templates and what they use: :meth:`TemplateSet.check`."""
        return self._templates.check(names, defaultless)

    def serves(self, name: str, locale: str) -> bool:
        """Whether ``name`` has a file for ``locale`` or its fallback: :meth:`TemplateSet.serves`."""
        return self._templates.serves(name, locale)


def _unsubscribe_secret(settings: Unsubscribe) -> tuple[bytes | None, Problem | None]:
    """The secret the letters' one-click links are signed with, read as ``send`` reads it, or why not.

    A letter shows the link its ``List-Unsubscribe`` header carries, so every
    command that renders one reads the secret: ``preview`` shows what is sent.
    Where it is not set, the links are left unsigned (:data:`~greeter.unsubscribe.UNSIGNED_TOKEN`)
    and the problem ``send`` would refuse with is returned, for the command to say.
    """
    if not settings.url or not settings.has_secret:
        return None, None
    try:
        secret = unsubscribe_secret(settings)
    except ConfigError as exc:
        return None, exc.problems[0]
    return (secret.encode() if secret else None), None
