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
    Occasions merged into this letter, each ``{occasion, title, date, years}``
    (``a.occasion`` or ``a["occasion"]``; ``title`` as ``occasion_title``), in
    the planner's order; ``[]`` if none. An item prints as its title, else its
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
    without its own forms gets the English ones).
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
                                                  (the preposition «с»/«со» put before; with_s(true): «Со …»)
    {{ contact.company|full_stop }}             → "Acme Ltd." but "Acme Inc.", not "Acme Inc.."
                                                  (ends a sentence: no second point after an abbreviation)
    {{ years|years_phrase }}  {{ years|years }} → 15 лет, 21 год, 3 года
    {{ years|ordinal }}                         → 21st (English); 25. (hu, et, de, sr); others: an error
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
not see ``locale``: pass it explicitly there (``a.years|years_phrase('en')``).

Strictness and safety
=====================
* Templates run in Jinja's ``ImmutableSandboxedEnvironment``: no underscore
  attributes, no ``str.format`` tricks, no mutating lists or dicts, ``range``
  capped at 100 000; ``*``, ``**`` and ``lipsum()`` are capped too (``'x' * 10**9``,
  ``10**100000`` or ``lipsum(10**6)`` would exhaust memory or CPU in one expression). Any refusal
  becomes a :class:`~greeter.errors.TemplateError` for that one contact; the
  next one still renders. The sandbox guards data and the host, not time: a
  template author can still write a slow loop.
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
from the traceback (see :func:`_template_frames`), naming the innermost
template — an error inside an imported macro points into the macro's file,
unless the error is an undefined name the macro was only handed
(``{{ also_line(alsoo) }}``): then the line that names it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, Final

from jinja2 import (
    BaseLoader,
    Environment,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.utils import internal_code

from greeter.cache_dir import user_cache_dir
from greeter.config import Occasion, Sender, Settings, Unsubscribe
from greeter.errors import ConfigError, Problem, TemplateError, TemplateLoadError
from greeter.i18n import locale_chain, locale_hint, normalize_locale, regional_locale
from greeter.letter_forms import Person, forms_for
from greeter.plan_types import PlanItem, Rendered
from greeter.secret_values import read_secret
from greeter.serbian_script import html_to_latin, is_serbian_latin, to_latin
from greeter.template_code import FOLDER as TEMPLATE_CODE_FOLDER
from greeter.template_code import TemplateCode
from greeter.template_env import (
    AlsoView,
    ContactView,
    LetterContext,
    Sandbox,
    SenderView,
    contact_view,
    make_environment,
)
from greeter.template_errors import UNDEFINED_NAME, describe, unknown_name
from greeter.template_files import resolves_inside
from greeter.template_shape import Shape, block_problems, shape_of, unknown_imports, unrendered_blocks
from greeter.unsubscribe import letter_url, mailto_href

if TYPE_CHECKING:
    from greeter.contacts import Contact

__all__ = ["SUFFIX", "Renderer", "TemplateFiles"]

#: Template file suffix.
SUFFIX: Final = ".j2"
#: Occasion template names: what ``occasions[].template`` may say.
_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
#: The locale part of ``<name>.<locale>.j2``: ``en``, ``sr_RS``, ``sr_Latn_RS``.
_LOCALE_PART: Final = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


# --------------------------------------------------------------------------- template files


@dataclass(frozen=True)
class TemplateFiles:
    """A templates folder as it was when read: every ``*.j2`` file in it, by name, in memory.

    A renderer renders from one of these, never from the disk, so that what
    was validated is what is sent: the daemon takes the snapshot when it
    (re)loads its config and keeps it until the next successful reload, so a
    template saved half-edited changes nothing until SIGHUP — and a SIGHUP
    that finds it broken keeps the old snapshot in force. ``send --once``,
    ``preview`` and ``check`` read it once, like the config. The whole folder
    is read, not only the files the occasions name, because templates pull
    in others (``{% extends "_layout.html.j2" %}``, ``{% from "_ru.j2" import
    … %}``, an include by a computed name) and each must come from the same
    moment. Names are relative, ``/``-separated (subfolders included); hidden
    files and folders (an editor's ``.birthday.j2.swp``, ``.git``) are left out.
    Bytes are kept undecoded so that a file not in UTF-8 is reported where it
    is used, with its line, as before.
    """

    folder: Path
    files: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def read(cls, folder: Path) -> TemplateFiles:
        """The ``*.j2`` files under ``folder`` now (none if no folder; an unreadable one is absent)."""
        found: dict[str, bytes] = {}
        root = Path(folder)
        if root.is_dir():
            for path in sorted(root.rglob(f"*{SUFFIX}")):
                name = path.relative_to(root)
                if any(part.startswith(".") for part in name.parts) or not resolves_inside(root, path):
                    continue
                try:
                    found[name.as_posix()] = path.read_bytes()
                except OSError:
                    continue  # as if absent: "template not found" where it is used
        return cls(root, MappingProxyType(found))

    def __contains__(self, name: object) -> bool:
        return name in self.files


class _SnapshotLoader(BaseLoader):
    """Serves templates from a :class:`TemplateFiles`, as Jinja's ``FileSystemLoader`` serves a folder.

    A file's parse tree that the renderer already made with an environment (to read the
    file's :class:`Shape`) is handed to that environment's compiler instead of the
    source, once: the same tree its compile would parse from the same text, without
    lexing and parsing it a second time (a fifth of the first letter's cost).
    """

    def __init__(self, snapshot: TemplateFiles) -> None:
        self.snapshot = snapshot
        #: (environment, file name) → the file's parse tree made by that environment, not compiled yet.
        self.parsed: dict[tuple[Environment, str], nodes.Template] = {}

    def load(
        self, environment: Environment, name: str, globals: MutableMapping[str, Any] | None = None
    ) -> Template:
        ast = self.parsed.pop((environment, name), None)
        if ast is None:
            return super().load(environment, name, globals)  # with the environment's code cache
        source, filename, uptodate = self.get_source(environment, name)
        cache = environment.bytecode_cache
        bucket = cache.get_bucket(environment, name, filename, source) if cache is not None else None
        code = bucket.code if bucket is not None else None
        if code is None:
            code = environment.compile(ast, name, filename)  # the tree is used once: compiling may alter it
            if cache is not None and bucket is not None:
                bucket.code = code
                cache.set_bucket(bucket)
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        name = "/".join(split_template_path(template))  # no '..', as FileSystemLoader
        data = self.snapshot.files.get(name)
        if data is None:
            raise TemplateNotFound(template)
        return data.decode("utf-8"), str(self.snapshot.folder / name), lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.snapshot.files)


class _LoadError(Exception):
    """A template that cannot be used for anyone: cached, then reported per contact or by check."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message

    def problem(self) -> Problem:
        return _problem(self.file, self.line, self.message)


@dataclass(frozen=True, slots=True)
class _Variant:
    """One resolved template: its file, the letter's locale, and the extends chain per environment."""

    file: str
    #: The locale the letter is written in (see :meth:`Renderer._letter_locale`).
    locale: str
    #: Its language code ("ru", "en"): templates branch on it often, so it is computed once.
    lang: str
    plain: tuple[Template, ...]
    html: tuple[Template, ...] | None


def _template_frames(tb: TracebackType | None) -> list[tuple[str, int]]:
    """The template frames of a traceback, outermost first, as (template name, template line).

    Jinja compiles a template to a Python module whose globals hold the
    template as ``__jinja_template__`` and whose code maps Python lines back to
    template lines (:meth:`Template.get_corresponding_lineno`) — the same data
    Jinja's own traceback rewriting uses, read directly so no fake frames are
    built for each failing contact. The innermost frame is usually the most
    precise: an error inside an imported macro is reported in the macro's file.

    Jinja's own helpers written into the module are skipped, as its traceback
    rewriting skips them: the stub raising "No filter named 'dat' found." for a
    filter used only inside ``{% if %}`` is defined at the top of the block's
    function, so its line is the ``{% block %}`` line, not the line using it.
    """
    found: list[tuple[str, int]] = []
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if tb.tb_frame.f_code in internal_code:
            pass
        elif isinstance(template, Template) and template.name is not None:
            found.append((template.name, template.get_corresponding_lineno(tb.tb_lineno)))
        tb = tb.tb_next
    return found


#: A value an error message quotes ("unknown grammatical case 'datve'"), to find where it was typed.
_QUOTED = re.compile(r"'([^'\n]{1,80})'")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _tidy_text(text: str) -> str:
    """Lines right-stripped, the whole stripped, and every run of blank lines made one blank line.

    The runs are collapsed by replacing three newlines with two until none are
    left (each pass shortens every run of three or more by at least one), which
    gives what ``re.sub(r"\n{3,}", "\n\n", ...)`` gives: the regex tried a match
    at every character of the letter (7 % of a letter's rendering instructions), where
    ``str.replace`` and ``in`` scan for the newlines in C.
    """
    lines = "\n".join(map(str.rstrip, text.splitlines())).strip()
    while "\n\n\n" in lines:
        lines = lines.replace("\n\n\n", "\n\n")
    return lines


def _block(context: Context, name: str) -> str:
    return "".join(context.blocks[name][0](context))


@functools.lru_cache(maxsize=256)
def _flat_globals(template: Template) -> dict[str, Any]:
    return dict(template.globals)


def _context(chain: tuple[Template, ...], values: dict[str, Any]) -> Context:
    """A context for rendering single blocks, with the blocks of every extended template.

    Mirrors what ``{% extends %}`` does at run time (each parent's blocks are
    appended behind the child's), so ``{% block %}`` overrides and ``super()``
    behave exactly as in a whole-template render.
    """
    first = chain[0]
    # What Template.new_context does, with the template's globals (a ChainMap over the
    # environment's, walked key by key on every call) flattened once per template. Jinja uses
    # a context's ``globals`` only to see whether a template imported from it ({% from "_ru.j2"
    # import … %}) lacks globals the importer has, to build that module afresh; greeter's
    # templates all have the environment's globals (none of their own), so the answer is
    # always "no" and the cached module is used. Passing none skips two ChainMap walks and a
    # set difference per import per render (~10 % of a letter's rendering) for the same answer.
    context = LetterContext(first.environment, {**_flat_globals(first), **values}, first.name, {})
    # The override stacks are shared, read-only tuples: Jinja only indexes them (a block
    # reference, super(), TemplateReference), and appends to them only in a template's
    # top-level code, which a letter context never runs — were it to, append() on a tuple
    # fails instead of a letter changing the stacks the next letters render with.
    context.blocks = dict(_chain_blocks(chain))  # type: ignore[arg-type]
    return context


@functools.lru_cache(maxsize=256)
def _chain_blocks(chain: tuple[Template, ...]) -> dict[str, tuple[Any, ...]]:
    """Each block's override stack for an extends chain (child first), as ``{% extends %}`` builds it."""
    stacks: dict[str, list[Any]] = {}
    for template in chain:
        for name, func in template.blocks.items():
            stacks.setdefault(name, []).append(func)
    return {name: tuple(stack) for name, stack in stacks.items()}


# --------------------------------------------------------------------------- the renderer


class Renderer:
    """Renders plan items with the templates of one directory; compiles each file once.

    The templates are a :class:`TemplateFiles` snapshot — read from
    ``templates_dir`` when the renderer is made, unless one is given — so a
    renderer renders the same templates all its life, whatever happens to
    the files meanwhile. Resolved templates are cached per (template name,
    locale); a template that fails to resolve is cached as its error, so a
    broken file is not re-parsed for every contact. With ``code_cache`` (a
    folder; :meth:`of` gives the user's) compiled templates are also kept on
    disk for the next process (:mod:`greeter.template_code`).
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
    ) -> None:
        self._dir = Path(templates_dir)
        #: ``defaults.country``: where a contact without a country is (an English letter's dates).
        self._default_country = default_country
        self._snapshot = files if files is not None else TemplateFiles.read(self._dir)
        self._titles = dict(titles or {})
        #: Occasions with a ``title_by_locale``: their title depends on the letter's language.
        self._localized = {o.name: o for o in localized if o.title_by_locale}
        self._titles_in: dict[tuple[str, str], str | None] = {}
        self._sender = sender
        self._senders: dict[str, SenderView] = {}
        #: ``unsubscribe.url`` and the secret its links are signed with (the ``List-Unsubscribe`` header's).
        self._unsubscribe_base = unsubscribe.url if unsubscribe is not None else None
        self._unsubscribe_secret = unsubscribe_secret
        mailto = unsubscribe.mailto if unsubscribe is not None else None
        self._unsubscribe_mailto = mailto_href(mailto) if mailto else None
        #: The problem ``send`` refuses to start with when the letters' one-click links cannot be
        #: signed (``unsubscribe.url`` without its secret); the letters then show ``unsigned`` links.
        self.unsigned: Problem | None = None
        self._default_locale = default_locale
        self._loader = _SnapshotLoader(self._snapshot)
        plain_code = TemplateCode(code_cache, "plain") if code_cache is not None else None
        html_code = TemplateCode(code_cache, "html") if code_cache is not None else None
        self._plain = make_environment(self._loader, html=False, code=plain_code)
        self._html = make_environment(self._loader, html=True, code=html_code)
        self._variants: dict[tuple[str, str], _Variant | _LoadError] = {}
        self._shapes: dict[str, Shape] = {}
        self._files: dict[str, dict[str, str]] = {}
        self._sources: dict[str, list[str]] = {}
        #: The last contact's (contact, locale, language, letter locale, view, salutation): see
        #: :meth:`_addressed`.
        self._last_addressed: tuple[Contact, str, str | None, str, ContactView, str] | None = None

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
            code_cache=user_cache_dir() / TEMPLATE_CODE_FOLDER,
            default_country=settings.defaults.country,
            unsubscribe=settings.unsubscribe,
            unsubscribe_secret=secret,
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
        """The letter for one plan item; raises :class:`TemplateError` (file, line, contact id)."""
        hit = item.hit
        contact = hit.contact
        locale = normalize_locale(contact.locale, self._default_locale)
        variant = self._variant(hit.template, locale)
        if isinstance(variant, _LoadError):
            raise TemplateLoadError(variant.file, variant.line, variant.message, contact.id)
        letter = regional_locale(variant.locale, contact.country or self._default_country)
        forms = forms_for(letter)
        send_date = item.send_at.date() if item.send_at is not None else hit.date
        view, salutation = self._addressed(contact, locale, variant.lang, letter)
        values: dict[str, Any] = {
            "contact": view,
            "occasion": hit.occasion,
            "occasion_date": hit.date,
            "years": hit.years,
            "belated": item.belated,
            "send_date": send_date,
            "early": send_date < hit.date,
            "occasion_moved": hit.moved,
            "occasion_title": self._title(hit.occasion, letter),
            "also": [
                AlsoView(
                    occasion=h.occasion, title=self._title(h.occasion, letter), date=h.date, years=h.years
                )
                for h in item.also
            ],
            "sender": self._sender_view(letter),
            "salutation": salutation,
            "salutation_end": forms.end,
            "closing": forms.closing,
            "locale": letter,
            "lang": variant.lang,
            "unsubscribe_url": self.unsubscribe_link(contact.email),
            "unsubscribe_mailto": self._unsubscribe_mailto,
        }
        try:
            context = _context(variant.plain, values)
            subject = _one_line(_block(context, "subject"))
            text = _tidy_text(_block(context, "text"))
            html = None
            if variant.html is not None:
                html = _block(_context(variant.html, values), "html").strip()
        except Exception as exc:
            raise self._error(exc, variant.file, contact.id, values) from exc
        for part, value in (("subject", subject), ("text", text)):
            if not value:
                raise TemplateError(variant.file, None, f"the {part} block rendered empty", contact.id)
        if is_serbian_latin(letter):  # one script throughout, from a Cyrillic .sr.j2 too (serbian_script)
            subject, text = to_latin(subject), to_latin(text)
            html = html_to_latin(html) if html is not None else None
        return Rendered(subject=subject, text=text, html=html, template_file=variant.file, locale=letter)

    def _addressed(
        self, contact: Contact, locale: str, language: str | None, letter: str
    ) -> tuple[ContactView, str]:
        """The contact's view and salutation for a letter; the last contact's kept for its next letter.

        Letters come contact by contact (the planner's order; check renders
        every occasion of a contact in a row): the view, its memo of declined
        names (:func:`~greeter.template_env._name_filter`) and the salutation
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
            return last[4], last[5]
        view = contact_view(contact, locale, language)
        salutation = forms_for(letter).address(Person.of(contact))
        self._last_addressed = (contact, locale, language, letter, view, salutation)
        return view, salutation

    def _title(self, occasion: str, letter: str) -> str | None:
        """What a letter in the locale ``letter`` calls ``occasion``: ``title_by_locale``, else ``title``."""
        localized = self._localized.get(occasion)
        if localized is None:
            return self._titles.get(occasion)
        key = (occasion, letter)
        if key not in self._titles_in:
            self._titles_in[key] = localized.title_in(letter)
        return self._titles_in[key]

    def _sender_view(self, locale: str) -> SenderView:
        """``sender`` as a letter in ``locale`` signs: ``sender.by_locale``'s name, company and signature."""
        view = self._senders.get(locale)
        if view is None:
            name, company = self._sender.in_locale(locale)
            signature = self._sender.signature_in(locale, self._default_locale)
            view = self._senders[locale] = SenderView(
                name, self._sender.email, company, signature, self._sender.reply_to or ""
            )
        return view

    def _error(
        self, exc: Exception, file: str, contact_id: str, variables: Iterable[str] = ()
    ) -> TemplateError:
        if isinstance(exc, TemplateSyntaxError) and exc.name:  # an include compiled lazily
            return TemplateError(exc.name, exc.lineno, describe(exc, env=self._plain), contact_id)
        frames = _template_frames(exc.__traceback__)
        name, line = self._blame(frames, exc) if frames else (file, None)
        shape = self._shapes.get(name)
        if shape is not None and isinstance(variables, Mapping):  # `also_lin` → the macro imported
            variables = {**dict.fromkeys(shape.bound), **variables}
        return TemplateError(name, line, describe(exc, variables, self._plain), contact_id)

    def _blame(self, frames: list[tuple[str, int]], exc: Exception) -> tuple[str, int]:
        """The frame to report: the innermost, unless the mistake was only passed through it.

        ``{{ also_line(alsoo, send_date) }}`` fails inside the macro, where
        the undefined value is first used (``also|length``); the mistake is on
        the line that names ``alsoo``, so the innermost frame whose line
        mentions the name is reported, else the innermost one.
        """
        match = UNDEFINED_NAME.fullmatch(str(exc)) if isinstance(exc, UndefinedError) else None
        if match is not None:
            word = re.compile(rf"\b{re.escape(match.group(1))}\b")
            for name, line in reversed(frames):
                if word.search(self._source_line(name, line)):
                    return name, line
        # A bad literal passed down — company(contact.company, "datve") — is refused inside the
        # macro ("unknown grammatical case 'datve'"); it was typed where it stands in quotes.
        for value in _QUOTED.findall(str(exc)) if len(frames) > 1 else ():
            literal = re.compile(f"[\"']{re.escape(value)}[\"']")
            for name, line in reversed(frames):
                if literal.search(self._source_line(name, line)):
                    return name, line
        return frames[-1]

    def _source_line(self, file: str, line: int) -> str:
        """One line of a template's source (read once per file, only when an error needs it)."""
        lines = self._sources.get(file)
        if lines is None:
            try:
                lines = self._loader.get_source(self._plain, file)[0].splitlines()
            except (TemplateNotFound, OSError, UnicodeDecodeError):
                lines = []
            self._sources[file] = lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    # ------------------------------------------------------------------ resolving files

    def _variant(self, name: str, locale: str) -> _Variant | _LoadError:
        key = (name, locale)
        cached = self._variants.get(key)
        if cached is None:
            try:
                cached = self._load_variant(name, locale)
            except _LoadError as exc:
                cached = exc
            self._variants[key] = cached
        return cached

    def _variant_files(self, name: str) -> dict[str, str]:
        """One template's locale variants by canonical locale: ``{"sr_Cyrl_RS": "birthday.sr_RS.j2"}``.

        File names are normalised exactly like contacts' locales (Babel adds
        the likely script: ``sr_RS`` → ``sr_Cyrl_RS``), so ``birthday.sr_RS.j2``
        serves a contact whose CRM says ``sr-RS``, while a ``sr_Latn_RS``
        contact is not sent the Cyrillic file. Listed once per template name.
        """
        found = self._files.get(name)
        if found is None:
            found = {}
            ranked = []
            for path in self._variant_paths(name):
                part = path.name[len(name) + 1 : -len(SUFFIX)]
                canonical = normalize_locale(part, "")
                if canonical:
                    ranked.append((canonical, part != canonical, path.name))
            for canonical, _, file in sorted(ranked):
                found.setdefault(canonical, file)
            self._files[name] = found
        return found

    def _load_variant(self, name: str, locale: str) -> _Variant:
        if not _NAME.match(name):
            raise _LoadError(name, None, "not a template name (letters, digits, '_' and '-'; no '_' first)")
        variants = self._variant_files(name)
        chain = locale_chain(locale)
        file = next((variants[loc] for loc in chain if loc in variants), None)
        if file is None:
            file = f"{name}{SUFFIX}"
            if file not in self._snapshot:
                looked = ", ".join([*(f"{name}.{loc}{SUFFIX}" for loc in chain), file])
                raise _LoadError(file, None, f"template missing: looked for {looked} in {self._dir}")
        names = self._chain(file)
        blocks = frozenset().union(*(self._shapes[n].blocks for n in names))
        for problem in block_problems([(n, self._shapes[n]) for n in names]):
            raise _LoadError(*problem)
        plain = tuple(self._compile(self._plain, n) for n in names)
        html = tuple(self._compile(self._html, n) for n in names) if "html" in blocks else None
        letter = self._letter_locale(file, name, locale)
        return _Variant(file, letter, letter.split("_")[0], plain, html)

    def _letter_locale(self, file: str, name: str, locale: str) -> str:
        """The locale a letter is worded in: the contact's, unless the file is in another language.

        A contact with locale ``de`` and no ``birthday.de.j2`` gets the default
        (Russian) file; its salutation, dates and plurals must then be Russian
        too ("15 лет", not "15 Jahre" inside a Russian sentence), so the
        template's language wins over the contact's.
        """
        if file != f"{name}{SUFFIX}":
            return locale  # a variant matched one of the contact's own locale prefixes
        default = normalize_locale(self._default_locale, self._default_locale)
        return locale if locale.split("_")[0] == default.split("_")[0] else default

    def _chain(self, file: str) -> list[str]:
        """``file`` and the templates it extends, child first; shape problems are errors."""
        names: list[str] = []
        current: str | None = file
        while current is not None:
            if current in names:
                raise _LoadError(file, None, f"{{% extends %}} loop: {' → '.join([*names, current])}")
            shape = self._shape(current)
            if shape.problems:
                line, message = shape.problems[0]
                raise _LoadError(current, line, message)
            names.append(current)
            current = shape.parent
        return names

    def _shape(self, file: str) -> Shape:
        shape = self._shapes.get(file)
        if shape is None:
            try:
                source, filename, _ = self._loader.get_source(self._plain, file)
                ast = self._plain.parse(source, file, filename)
                self._loader.parsed[(self._plain, file)] = ast  # compiled from it (see _SnapshotLoader)
            except TemplateNotFound:
                raise _LoadError(file, None, "template not found") from None
            except TemplateSyntaxError as exc:
                raise _LoadError(exc.name or file, exc.lineno, describe(exc, env=self._plain)) from None
            except UnicodeDecodeError as exc:
                raise self._not_utf8(file, exc) from None
            shape = self._shapes[file] = shape_of(ast)
        return shape

    @staticmethod
    def _compile(env: Sandbox, file: str) -> Template:
        try:
            return env.get_template(file)
        except TemplateSyntaxError as exc:
            raise _LoadError(exc.name or file, exc.lineno, describe(exc, env=env)) from None
        except TemplateNotFound as exc:
            raise _LoadError(file, None, f"template not found: {exc.name}") from None
        except UnicodeDecodeError as exc:
            raise Renderer._not_utf8(file, exc) from None

    @staticmethod
    def _not_utf8(file: str, exc: UnicodeDecodeError) -> _LoadError:
        """A template saved in another encoding (cp1251 from an old editor): say where."""
        line = exc.object[: exc.start].count(b"\n") + 1 if isinstance(exc.object, bytes) else None
        return _LoadError(file, line, f"not UTF-8 text ({exc.reason}); save the file as UTF-8")

    def _exists(self, ref: str) -> bool:
        """Whether ``ref`` names a file the loader can serve (inside templates_dir, no '..')."""
        try:
            return "/".join(split_template_path(ref)) in self._snapshot
        except TemplateNotFound:
            return False

    # ------------------------------------------------------------------ check

    def find_line(self, file: str, needle: str) -> tuple[str, int] | None:
        """Where ``needle`` is written in ``file``, what it extends or names literally: (file, line).

        For check's findings in a rendered letter (HTML tags typed into the text
        part): the output does not say which line wrote it, the sources do.
        Searched child first, then each file it extends, includes or imports;
        ``None`` when no source has it (it came from the contact's data).
        """
        todo, seen = [file], set()
        while todo:
            name = todo.pop(0)
            if name in seen:
                continue
            seen.add(name)
            self._source_line(name, 1)  # reads the file's lines once
            for number, text in enumerate(self._sources.get(name, []), 1):
                if needle in text:
                    return name, number
            shape = self._shapes.get(name)
            if shape is not None:
                todo.extend(ref for _, ref in sorted(shape.references, key=lambda r: r[1] != shape.parent))
        return None

    def template_files(self, name: str) -> list[Path]:
        """The files of one template that exist: the default first, then each locale variant."""
        if not _NAME.match(name):
            return []
        default = f"{name}{SUFFIX}"
        return ([self._dir / default] if default in self._snapshot else []) + self._variant_paths(name)

    def _variant_paths(self, name: str) -> list[Path]:
        if not _NAME.match(name):
            return []
        return sorted(
            self._dir / file
            for file in self._snapshot.files
            if file.startswith(f"{name}.")
            and file.endswith(SUFFIX)
            and _LOCALE_PART.match(file[len(name) + 1 : -len(SUFFIX)])
        )

    def check(self, names: Iterable[str]) -> list[Problem]:
        """Compile every variant of every named template, and what they extend, include and import.

        Reports (kind ``"template"``): a missing default file, syntax errors
        with file and line, content outside blocks, a missing subject/text
        block, references to missing templates, and (as warnings) locale
        variants no contact can ever select. Compiling here also warms the
        cache for the renders that follow.
        """
        problems: list[Problem] = []
        for name in dict.fromkeys(names):
            if not _NAME.match(name):
                problems.append(_problem(name, None, "not a template name (letters, digits, '_' and '-')"))
                continue
            files = self.template_files(name)
            if not any(path.name == f"{name}{SUFFIX}" for path in files):
                problems.append(
                    _problem(
                        f"{name}{SUFFIX}",
                        None,
                        f"template missing: {self._dir / (name + SUFFIX)} "
                        "(the default every locale falls back to)",
                    )
                )
            for path in files:
                problems.extend(self._check_variant(name, path.name))
        return list(dict.fromkeys(problems))

    def _check_variant(self, name: str, file: str) -> list[Problem]:
        problems: list[Problem] = []
        locale_part = file[len(name) + 1 : -len(SUFFIX)]
        if locale_part:
            canonical = normalize_locale(locale_part, "")
            chosen = self._variant_files(name).get(canonical)
            if not canonical:
                hint = locale_hint(locale_part)
                meant = f" ({hint})" if hint else ""
                message = f"unknown locale {locale_part!r}{meant}: no contact selects this file"
                problems.append(_problem(file, None, message, True))
            elif chosen != file:
                message = f"never used: {chosen} is the file for locale {canonical}"
                problems.append(_problem(file, None, message, True))
        try:
            names = self._chain(file)
        except _LoadError as exc:
            return [*problems, exc.problem()]
        chain = [(n, self._shapes[n]) for n in names]
        problems.extend(_problem(*p) for p in block_problems(chain))
        problems.extend(_problem(*p, warning=True) for p in unrendered_blocks(chain))
        seen: set[str] = set()
        for n in names:
            problems.extend(self._check_file(n, seen))
        return problems

    def _check_file(self, file: str, seen: set[str]) -> list[Problem]:
        """Compile ``file`` in both environments, then everything it names literally."""
        if file in seen:
            return []
        seen.add(file)
        problems: list[Problem] = []
        for env in (self._plain, self._html):
            try:
                self._compile(env, file)
            except _LoadError as exc:
                return [exc.problem()]
        try:
            shape = self._shape(file)
        except _LoadError as exc:
            return [exc.problem()]
        for line, kind, name in shape.names:  # unknown inside {% if %}: Jinja compiles it anyway
            unknown = unknown_name(kind, name, self._plain)
            if unknown is not None:
                problems.append(_problem(file, line, unknown))
        for line, ref in shape.references:
            if not self._exists(ref):
                problems.append(_problem(file, line, f"template not found: {ref}"))
            else:
                problems.extend(self._check_file(ref, seen))
        exports = {ref: self._shapes[ref].exports for _, ref, _ in shape.imports if ref in self._shapes}
        problems.extend(_problem(file, line, message) for line, message in unknown_imports(shape, exports))
        return problems


def _unsubscribe_secret(settings: Unsubscribe) -> tuple[bytes | None, Problem | None]:
    """The secret the letters' one-click links are signed with, read as ``send`` reads it, or why not.

    A letter shows the link its ``List-Unsubscribe`` header carries, so every
    command that renders one reads the secret: ``preview`` shows what is sent.
    Where it is not set, the links are left unsigned (:data:`~greeter.unsubscribe.UNSIGNED_TOKEN`)
    and the problem ``send`` would refuse with is returned, for the command to say.
    """
    if not settings.url or not settings.secret_env:
        return None, None
    try:
        secret = read_secret(settings.secret_env, None, "unsubscribe secret")
    except ConfigError as exc:
        return None, exc.problems[0]
    return (secret.encode() if secret else None), None


def _problem(file: str, line: int | None, message: str, warning: bool = False) -> Problem:
    return Problem(
        file=file,
        field="",
        message=message,
        line=line,
        kind="template",
        severity="warning" if warning else "error",
    )
