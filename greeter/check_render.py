"""What ``greeter check`` says of templates and the letters they render.

A failed render, Python's notation or an HTML tag in a letter, a missing
templates folder or template file: each turned into a located
:class:`~greeter.errors.Problem`, one per distinct mistake whatever the number
of contacts it hits. Pure functions over what :func:`greeter.checks.run_check`
collected while it rendered; :mod:`greeter.preview` and
:mod:`greeter.daemon_inputs` report render failures with
:func:`render_problems` too.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Hashable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greeter.config import Settings
from greeter.config_contacts import Columns
from greeter.contacts import Contact, academic_titles
from greeter.errors import Problem, TemplateError, TemplateLoadError, UnsafeHeaderError
from greeter.i18n import normalize_locale

if TYPE_CHECKING:
    from greeter.audience import AudienceRule
from greeter.names import gender_of
from greeter.plan_types import PlanItem, Rendered
from greeter.render import Renderer
from greeter.sources.dates import is_yearless
from greeter.template_snapshot import SUFFIX

#: Distinct render failures reported per template before the rest are only counted.
MAX_RENDER_PROBLEMS = 20
#: Contacts named in a render failure that hits many; the rest are counted.
MAX_NAMED_CONTACTS = 3

#: Python's notation for data, never words of a letter: what a value printed whole writes (a
#: dict or tuple through ``|join``, a date inside one, an object without text of its own).
#: The renderer refuses to print such a value directly (``{{ also }}``); through a filter that
#: makes a string of it, only the letter shows it, so check reads the letters it renders.
_PYTHON_NOTATION = re.compile(
    r"datetime\.(?:date|datetime|time|timedelta)\(|\{'|\['|<greeter\.|<jinja2\.| object at 0x"
    r"|mappingproxy\(|frozenset\(|Markup\(|<function |<bound method |Decimal\('"
)
#: Where :data:`_PYTHON_NOTATION` may match: each of its forms holds one of these (a ``(``,
#: ``{'``, ``['``, ``0x`` or one of its ``<`` words). Sought first, as a letter holds none of
#: them but by mistake, where the notation's own first characters (``d``, ``m``, ``f``, a space,
#: ``<``) are on every line: half the time of a search of the HTML part.
_MAYBE_NOTATION = re.compile(r"\{'|\['|\(|<(?:greeter\.|jinja2\.|function |bound method )|0x")
#: HTML tags typed into words that also become the ``text/plain`` part (the tags a letter uses).
_HTML_TAG = re.compile(
    r"</?(?:a|b|i|u|s|em|strong|br|p|div|span|font|img|h[1-6]|ul|ol|li|table|tr|td|th|hr|small"
    r"|big|sup|sub|center|blockquote|pre|code|mark)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)


def python_notation(rendered: Rendered) -> str | None:
    """What check says of a letter showing Python's notation (``{'occasion': …}``), else None.

    The words are the same for every contact it hits (the matched notation,
    not the value), so one mistake is one problem naming its contacts.
    """
    parts = [("subject", rendered.subject), ("text part", rendered.text)]
    if rendered.html is not None:
        parts.append(("html part", html.unescape(rendered.html)))
    for part, text in parts:
        if _MAYBE_NOTATION.search(text) is None:
            continue
        found = _PYTHON_NOTATION.search(text)
        if found is not None:
            return (
                f"the {part} shows Python's notation for data ({found.group(0).strip()}…): a list, "
                "dict or object printed whole (e.g. through |join); print its fields instead "
                "(a.title, a.date|date('day_month'))"
            )
    return None


def header_problem(
    settings: Settings, item: PlanItem, rendered: Rendered, at: datetime, unsubscribe_link: str | None
) -> str | None:
    """Why ``send`` would hold this letter at building its headers, else None.

    The headers are built as ``send`` builds them, by the builder itself
    (:data:`greeter.message.letter_headers`: every value validated, no body
    encoded), so a subject the template made unsafe — a U+202E typed into the
    ``subject`` block or a title, which :func:`~greeter.template_blocks.one_line`
    does not collapse as it does line breaks — is check's problem, not a dry
    run's surprise. The words hold no value, so one mistake is one problem
    naming its contacts. A contact without an address gets no letter (the
    loader said so): nothing to build.
    """
    from greeter.journal_store import new_message_key
    from greeter.message import letter_headers, make_message_id

    contact = item.hit.contact
    if not contact.email:
        return None
    unsubscribe = settings.unsubscribe
    try:
        letter_headers(
            rendered,
            to_email=contact.email,
            to_name=contact.display_name,
            sender=settings.sender,
            # Only the header's form is checked, the same with any key: no journal is read for its own.
            message_id=make_message_id(item.hit.key, settings.sender.domain, new_message_key()),
            date=at,
            unsubscribe_mailto=unsubscribe.mailto,
            unsubscribe_url=unsubscribe_link,
            extra_headers=settings.delivery.headers,
        )
    except UnsafeHeaderError as exc:
        return f"the letter's {exc.field} header cannot be written ({exc.problem}): send would hold it"
    return None


def markup_in_text(rendered: Rendered) -> str | None:
    """The first HTML tag the subject or text part shows as typed (``<b>``), else None."""
    for text in (rendered.subject, rendered.text):
        found = _HTML_TAG.search(text)
        if found is not None:
            return found.group(0)
    return None


def markup_in_data(contact: Contact, tag: str, columns: Columns) -> str | None:
    """The column of ``contact`` whose value holds ``tag`` (its header as configured), else None.

    A company exported as ``<b>Ромашка</b>`` shows the tag in every letter's
    text part (and escaped in the HTML one): the CRM's record is what to
    fix, and blaming the template for it sent the marketer looking for a
    line that does not exist.
    """
    named = {
        "first_name": contact.first_name,
        "patronymic": contact.patronymic,
        "last_name": contact.last_name,
        "company": contact.company,
    }
    for field_name, value in named.items():
        if tag in value:
            column = getattr(columns, field_name)
            return column or columns.full_name or field_name
    for column, value in contact.extra.items():
        if tag in value:
            return column
    return None


def data_markup_problem(contact: Contact, tag: str, column: str) -> Problem:
    """The warning for an HTML tag typed into a contact's data, at its row and column."""
    message = (
        f"holds the HTML tag {tag}: the letters show it as typed (escaped in the HTML part); "
        "remove the markup in the CRM"
    )
    return Problem(contact.source, column, message, contact.row or None, kind="row", severity="warning")


def markup_problems(found: dict[tuple[str, str], list[str]], renderer: Renderer) -> list[Problem]:
    """One warning per template file and tag its letters' text part shows, at the line that writes it.

    ``<b>Скидка 10%</b>`` typed into the shipped layout's ``message`` block is
    bold in the HTML part and five characters of markup in the ``text/plain``
    one, which check passed as OK. ``found`` maps (file rendered, tag) to the
    contacts whose letter showed it.
    """
    problems = []
    for (file, tag), contacts in found.items():
        where = renderer.find_line(file, tag)
        at, line = where if where is not None else (file, None)
        message = (
            f"the text part of the letter shows the HTML tag {tag} as typed "
            f"({_who(list(dict.fromkeys(contacts)))}): "
            "plain-text readers see it; put markup only in {% block html %} and keep the words "
            "the text part is made of plain"
        )
        problems.append(Problem(at, "", message, line, kind="template", severity="warning"))
    return problems


def add_locale(locales: dict[tuple[str, int | None, str], list[str]], key: Any, locale: str) -> None:
    found = locales.setdefault(key, [])
    if locale not in found:
        found.append(locale)


def render_problems(
    failures: dict[tuple[str, int | None, str], list[str]],
    forms: dict[tuple[str, int | None, str], str] | None = None,
    locales: dict[tuple[str, int | None, str], list[str]] | None = None,
) -> list[Problem]:
    """One problem per distinct failure (at most :data:`MAX_RENDER_PROBLEMS` per template file).

    ``forms`` names the form of letter a failure appeared in (``sent early,
    before its day``) when it was not the plain one; its contacts are then
    the few the form was tried for, not all it hits. ``locales`` lists the
    contacts' locales per failure: named when more than one, as one file
    (``first_deal.sr.j2``) serves ``sr``, ``sr_Latn`` and ``sr_RS`` alike and
    its mistake is one line, not one per locale. A contact is counted and
    named once however many of its letters failed: a mistake in
    ``_layout.html.j2`` fails every occasion's letter, and 30 contacts read as
    ``165 contacts: 1001, 1001, 1001``.
    """
    problems: list[Problem] = []
    per_file: Counter[str] = Counter()
    for key, letters in failures.items():
        file, line, detail = key
        contacts = list(dict.fromkeys(letters))  # one id per failed letter: each contact once
        per_file[file] += 1
        if per_file[file] > MAX_RENDER_PROBLEMS:
            continue
        named = ", ".join(contacts[:MAX_NAMED_CONTACTS])
        form = forms.get(key) if forms else None
        if form is not None:
            tried = f"tried for contact{'s' if len(contacts) > 1 else ''} {named}"
            message = f"{detail} (in a letter {form}; {tried})"
            problems.append(Problem(file, "", message, line, kind="template"))
            continue
        who = _who(contacts)
        among = locales.get(key, []) if locales else []
        if len(among) > 1:
            who += f"; locales {', '.join(among)}"
        problems.append(Problem(file, "", f"{detail} ({who})", line, kind="template"))
    return problems


def _who(contacts: list[str]) -> str:
    """``contact 1001`` or ``27 contacts: 1001, 1002, 1003 and 24 more`` (each id once)."""
    named = ", ".join(contacts[:MAX_NAMED_CONTACTS])
    who = f"contact {named}" if len(contacts) == 1 else f"{len(contacts)} contacts: {named}"
    rest = len(contacts) - MAX_NAMED_CONTACTS
    return who + (f" and {rest} more" if rest > 0 else "")


def missing_templates_dir(settings: Settings, config_file: Path) -> Problem | None:
    """A ``templates_dir`` that is no folder, at the setting, with the folder meant.

    ``templates_dir: templatez`` was one "template missing: templatez/….j2"
    per occasion, none saying that the folder itself is the mistake.
    """
    from greeter.config_loader import locate

    folder = Path(settings.templates_dir)
    if folder.is_dir():
        return None
    try:  # as the config says it: relative to the config's folder
        written = folder.relative_to(config_file.parent)
    except ValueError:
        written = folder
    what = "is not a folder" if folder.exists() else "does not exist"
    try:
        siblings = sorted(p.name for p in folder.parent.iterdir() if p.is_dir())
    except OSError:
        siblings = []
    close = difflib.get_close_matches(folder.name, siblings, n=1)
    hint = f", did you mean {str(written.parent / close[0])!r}?" if close else ""
    line, col = locate(config_file, ("templates_dir",))
    message = f"templates_dir {str(written)!r} {what}{hint}"
    return Problem(str(config_file), "templates_dir", message, line, col)


def defaultless(settings: Settings, renderer: Renderer) -> list[str]:
    """The templates no letter is written from the unsuffixed default file of: none is required.

    Each occasion using one lists ``audience.locales``, and each of those has a
    file of its own (``imieniny.pl.j2``) or falls back (``defaults.fallback_locales``)
    to a language that has one: a client outside them is outside the audience,
    so "add imieniny.j2, the letter for ru" asked for a letter nobody can get.
    """
    from greeter.i18n import locale_chain, script_of

    uses: dict[str, list[tuple[str, ...] | None]] = {}
    for occ in settings.occasions:
        said = occ.audience.locales
        # hu_HU takes in a plain `hu` client too (keys_for: same language and script): each such
        # shorter locale must be served as well.
        reached = None
        if said is not None:
            canonical = [normalize_locale(locale, locale) for locale in said]
            reached = tuple(p for c in canonical for p in locale_chain(c) if script_of(p) == script_of(c))
        uses.setdefault(occ.template, []).append(reached)
    return [
        name
        for name, audiences in uses.items()
        if all(
            locales is not None and all(renderer.serves(name, locale) for locale in locales)
            for locales in audiences
        )
    ]


def locale_only(settings: Settings, defaultless: Collection[str]) -> dict[int, AudienceRule]:
    """By occasion index, the ``audience.locales`` rule of each occasion of a ``defaultless`` template.

    ``check`` and the daemon's start-up render try every occasion's letter for
    every contact: a client outside those locales would fail for want of the
    default file, for a letter the planner never gives them.
    """
    from greeter.audience import AudienceRule
    from greeter.config import Audience

    return {
        i: AudienceRule.of(Audience(locales=occ.audience.locales), default_locale=settings.defaults.locale)
        for i, occ in enumerate(settings.occasions)
        if occ.template in defaultless
    }


def locate_missing(
    problems: list[Problem], settings: Settings, config_file: Path, renderer: Renderer
) -> list[Problem]:
    """A missing template file is a config mistake: point at the occasion's ``template:`` line.

    When only locale variants exist (``manager_day.en.j2``), say so and what
    the missing default is for, rather than suggest the name already used.
    """
    from greeter.config_loader import locate

    first_use: dict[str, int] = {}
    for i, occ in enumerate(settings.occasions):
        first_use.setdefault(f"{occ.template}{SUFFIX}", i)
    known = sorted({p.name.split(".")[0] for p in Path(settings.templates_dir).glob(f"[!_]*{SUFFIX}")})
    located: list[Problem] = []
    for problem in problems:
        use = first_use.get(problem.file)
        if use is not None and problem.message.startswith("template missing:"):
            name = settings.occasions[use].template
            variants = [path.name for path in renderer.template_files(name)]
            if variants:
                only = f"{' and '.join(variants)} exist{'s' if len(variants) == 1 else ''}"
                language = settings.defaults.locale.replace("-", "_").split("_")[0]
                default = Path(settings.templates_dir) / f"{name}{SUFFIX}"
                message = (
                    f"template missing: only {only}; add {default}, the letter for {language} "
                    "and for every locale without its own file"
                )
            else:
                close = difflib.get_close_matches(name, known, n=1)
                message = problem.message + (f", did you mean {close[0]!r}?" if close else "")
            line, col = locate(config_file, ("occasions", use, "template"))
            where = f"occasions.{use}.template"
            problem = Problem(str(config_file), where, message, line, col)
        located.append(problem)
    return located


def unsubscribe_missing(rendered: Rendered, shown: str) -> str | None:
    """The part of a letter (``text part``, ``html part``) that does not show its unsubscribe link.

    ``shown``: the link the letter's ``List-Unsubscribe`` header carries
    (``unsubscribe_url or unsubscribe_mailto``). A template that does not extend
    ``_layout.html.j2`` and never calls ``_unsubscribe.j2``'s ``unsubscribe_line``
    sent letters with the header alone: Gmail's and Yahoo's bulk-sender rules
    want the way out visible in the body too.
    """
    if shown not in rendered.text:
        return "text part"
    if rendered.html is not None and shown not in html.unescape(rendered.html):
        return "html part"
    return None


def unsubscribe_problems(found: dict[tuple[str, str], list[str]]) -> list[Problem]:
    """One warning per template file and part whose letters show no unsubscribe line."""
    problems = []
    for (file, part), contacts in found.items():
        message = (
            f"the {part} of its letters shows no unsubscribe line ({_who(list(dict.fromkeys(contacts)))}): "
            'only the List-Unsubscribe header offers it; extend "_layout.html.j2" or add '
            '{% from "_unsubscribe.j2" import unsubscribe_line %}'
            "{{ unsubscribe_line(locale, unsubscribe_url or unsubscribe_mailto) }} to the block"
        )
        problems.append(Problem(file, "", message, None, kind="template", severity="warning"))
    return problems


#: A value longer than this is rendered for its own contact (``check``'s fast path): a filter's
#: length cap or a loop's time budget (:mod:`greeter.template_limits`) may trip on it alone.
LONG_VALUE = 200
#: Characters in a contact's data that make its letters rendered for it alone: markup (``<b>``,
#: said at its row), Python's notation (``{'``, ``['``) and template code (``{{ x }}``), escapes.
_OWN_RENDER_CHARS = re.compile(r"[<>{}\[\]\\]")


@lru_cache(maxsize=8192)
def _name_shape(value: str) -> tuple[str, bool]:
    """A name's shape: the script of its first letter ("LATIN", "CYRILLIC", "" when empty) and
    whether it has several words or parts (``Анна-Мария``, ``Рашид оглы``), which decline apart.
    Cached: names repeat (one per contact and name part, 450,000 at 150,000 contacts)."""
    if not value:
        return "", False
    first = next((ch for ch in value if ch.isalpha()), "")
    script = unicodedata.name(first, "").split(" ")[0] if first else "?"
    return script, " " in value or "-" in value


def letter_shape(contact: Contact, default_locale: str) -> tuple[Hashable, ...] | None:
    """What one contact's letters depend on besides the occasion, else None: render its own.

    ``check`` renders one letter per occasion and *shape* (:func:`greeter.checks.run_check`,
    unless ``--all``): a template's output varies with the contact's language and
    country (the file, the letter's locale), gender, tier and tags (branches on
    them), which name parts, company, e-mail, dates (with or without a year) and
    extra columns are filled in, a name's script and whether it has several
    words (declension), and academic titles — not with the letters of a name. A
    contact whose data could fail or show through a letter by its very value
    (markup, Python's or Jinja's notation, control or invisible characters, a
    non-ASCII address, a value over :data:`LONG_VALUE` characters) gets None: its
    letters are rendered for it, as before, so that row's problem is its own.
    """
    values = [contact.id, contact.first_name, contact.patronymic, contact.last_name, contact.company]
    values += [contact.email or "", contact.tier or "", *contact.tags, *contact.extra.values()]
    joined = " ".join(values)
    if (
        not joined.isprintable()
        or _OWN_RENDER_CHARS.search(joined) is not None
        or _PYTHON_NOTATION.search(joined) is not None
        or not (contact.email or "").isascii()
        or max(map(len, values)) > LONG_VALUE
    ):
        return None
    titled = academic_titles(contact.first_name, contact.last_name)
    return (
        contact.locale,
        normalize_locale(contact.locale, default_locale),
        contact.country,
        gender_of(contact).value,
        contact.tier,
        tuple(sorted(contact.tags)),
        _name_shape(titled.first),
        _name_shape(contact.patronymic),
        _name_shape(titled.last),
        bool(titled.titles),
        bool(contact.company),
        "«" in contact.company or '"' in contact.company,
        bool(contact.email),
        tuple((name, is_yearless(day)) for name, day in contact.dates.items()),
        tuple(column for column, value in contact.extra.items() if value),
    )


@dataclass(frozen=True, slots=True)
class PlainLetter:
    """What ``check`` learnt from rendering one contact's plain letter of one occasion.

    For a contact of a shape already rendered (:func:`letter_shape`), the
    same is said of it without rendering: its failure, the template's markup
    in the text part, a part without the unsubscribe line.
    """

    #: The template not tried, as it is missing or does not compile (reported once, at the file).
    skipped: str | None = None
    #: The failure (file, line, words): the render's error, or a letter send could not build.
    failure: tuple[str, int | None, str] | None = None
    #: The letter; None when it failed to render (or was skipped).
    rendered: Rendered | None = None
    #: An HTML tag the text part shows that the template wrote (one the data holds: :attr:`data_markup`).
    markup: str | None = None
    #: An HTML tag the contact's own data holds, and the column: that row's warning, never the shape's.
    data_markup: tuple[str, str] | None = None
    #: The part of the letter (``text part``, ``html part``) that shows no unsubscribe line.
    unsubscribe: str | None = None


def plain_letter(
    renderer: Renderer,
    settings: Settings,
    plain: PlanItem,
    now: datetime,
    link: str | None,
    mailto: str | None,
    no_folder: Problem | None,
    broken: set[str],
) -> PlainLetter:
    """Render ``plain`` in strict mode and read the letter as ``check`` does (:class:`PlainLetter`).

    ``link``: the contact's one-click link, ``mailto`` the config's; ``no_folder``
    and ``broken``: a missing templates folder and the files that do not
    compile, whose letters are skipped, not failed once per contact.
    """
    contact = plain.hit.contact
    try:
        rendered = renderer.render(plain)
    except TemplateError as exc:
        if isinstance(exc, TemplateLoadError) and (no_folder is not None or exc.template in broken):
            return PlainLetter(skipped=exc.template)
        return PlainLetter(failure=(exc.template, exc.line, exc.detail))
    # Python's notation in the words, else headers send could not write (one per letter).
    notation = python_notation(rendered) or header_problem(settings, plain, rendered, now, link)
    failure = None if notation is None else (rendered.template_file, None, notation)
    markup = data_markup = None
    tag = markup_in_text(rendered)
    if tag is not None:
        held = markup_in_data(contact, tag, settings.contacts.columns)
        if held is None:
            markup = tag
        else:
            data_markup = (tag, held)
    shown = link or mailto
    missing = unsubscribe_missing(rendered, shown) if shown else None
    return PlainLetter(None, failure, rendered, markup, data_markup, missing)
