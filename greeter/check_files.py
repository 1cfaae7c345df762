"""``greeter check``: template files nothing uses, and the misnamed file a missing one probably is.

A file in ``templates_dir`` that no occasion names, and that no letter
extends, includes or imports, is never rendered: ``brithday.de.j2`` beside
``birthday.j2`` leaves the German contacts the Russian letter, and nothing
failed — the renderer simply never looks at it. So check warns once per such
file, and the "there is no birthday.de.j2" warning names the near miss.

What a letter uses is read from the files themselves: each occasion's
template files (:meth:`~greeter.render.Renderer.template_files`) and,
transitively, every template they name literally in ``{% extends %}``,
``{% include %}``, ``{% import %}`` and ``{% from … import %}``. A name computed
at render time (``{% include "_" ~ lang ~ ".j2" %}``), or a file that cannot
be parsed, makes the partials' use unknowable: then only files that look like
an occasion's letter (no leading ``_``, not in a subfolder) and belong to no
occasion are reported, never a partial that may well be in use.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes

from greeter.config import Settings
from greeter.errors import Problem
from greeter.i18n import letter_default
from greeter.render import Renderer
from greeter.template_breaks import eaten_breaks
from greeter.template_env import syntax_tree
from greeter.template_headers import HEADER_HOMES, mail_headers
from greeter.template_hooks import helper_files
from greeter.template_snapshot import SUFFIX, TemplateFiles

__all__ = [
    "eaten_break_problems",
    "mail_header_problems",
    "near_miss",
    "stray_letter_files",
    "unused_template_problems",
    "unused_templates",
]

_REFERENCES = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)


def _literal_names(target: nodes.Expr) -> list[str] | None:
    """The template names ``target`` gives literally (a string, or a list of them); None if computed."""
    if isinstance(target, nodes.Const) and isinstance(target.value, str):
        return [target.value]
    if isinstance(target, nodes.List | nodes.Tuple):
        names = [_literal_names(item) for item in target.items]
        if any(n is None for n in names):
            return None
        return [name for found in names if found is not None for name in found]
    return None


def _references(source: str, file: str) -> tuple[list[str], bool]:
    """The templates ``source`` names literally, and whether it names any by a computed expression.

    Parsed with the renderer's own syntax (its extensions included), never
    compiled or run; a file that does not parse counts as computed (unknown).
    """
    try:
        ast = syntax_tree(source, file)
    except TemplateSyntaxError:
        return [], True
    names: list[str] = []
    computed = False
    for ref in ast.find_all(_REFERENCES):
        assert isinstance(ref, _REFERENCES)
        found = _literal_names(ref.template)
        if found is None:
            computed = True
        else:
            names.extend(found)
    return names, computed


def _occasion_files(settings: Settings, renderer: Renderer, folder: Path) -> list[str]:
    """Every occasion's template files that exist, default and variants, relative to ``folder``;
    and the helper file of each language they write letters in (``_be.j2`` beside ``birthday.be.j2``).

    The renderer reads a language's helper file for every letter in it, whether or not a
    letter imports it: its ``salutation`` and ``closing`` word the letter
    (:mod:`greeter.template_hooks`). A Minsk office's ``_be.j2``, written for just that, was
    warned of as "never rendered".
    """
    files: list[str] = []
    languages = {letter_default(settings.defaults.locale)}
    for name in dict.fromkeys(occ.template for occ in settings.occasions):
        for path in renderer.template_files(name):
            files.append(path.relative_to(folder).as_posix())
            parts = path.name.removesuffix(SUFFIX).split(".")
            if len(parts) == 2:
                languages.add(parts[1])
    for locale in sorted(languages):
        files.extend(helper for helper in helper_files(locale) if (folder / helper).is_file())
    return files


def _used(snapshot: TemplateFiles, roots: Iterable[str]) -> tuple[set[str], bool]:
    """The files reached from ``roots`` through literal references; and whether any reference was computed."""
    seen: set[str] = set()
    computed = False
    todo = [root for root in roots if root in snapshot]
    while todo:
        file = todo.pop()
        if file in seen:
            continue
        seen.add(file)
        try:
            source = snapshot.files[file].decode("utf-8")
        except UnicodeDecodeError:
            computed = True  # reported where it is used; what it names is unknown
            continue
        names, dynamic = _references(source, file)
        computed |= dynamic
        todo.extend(name for name in names if name in snapshot and name not in seen)
    return seen, computed


def _is_letter_like(file: str) -> bool:
    """A file named as an occasion's letter would be: top level, no leading ``_``."""
    return "/" not in file and not file.startswith("_")


def stray_letter_files(settings: Settings, files: Iterable[str]) -> list[str]:
    """The letter-like ``files`` that belong to no occasion's template (``brithday.de.j2``), sorted.

    A file belongs to template ``t`` when it is ``t.j2`` or ``t.<anything>.j2``:
    ``birthday.deu.j2`` is not a typo of a name (check reports its locale).
    """
    templates = {occ.template for occ in settings.occasions}
    stray = []
    for file in files:
        if not file.endswith(SUFFIX) or not _is_letter_like(file):
            continue
        if file.removesuffix(SUFFIX).split(".", 1)[0] not in templates:
            stray.append(file)
    return sorted(stray)


def near_miss(expected: str, candidates: Iterable[str], rivals: Iterable[str]) -> str:
    """``", did you mean 'brithday.de.j2'?"`` when a candidate is spelled like ``expected``, else ``""``.

    ``difflib`` as the config's hints, but stricter (0.8): names of one
    language share their ``.de.j2``, which alone made ``holiday.de.j2`` "close"
    to ``brithday.de.j2``. And a candidate is offered only for the file it is
    closest to among ``rivals`` (every name the same language's letters would
    have), so ``brithday.de.j2`` is offered for ``birthday.de.j2`` only.
    """
    others = list(rivals)
    for close in difflib.get_close_matches(expected, list(candidates), n=3, cutoff=0.8):
        ratios = {name: difflib.SequenceMatcher(None, close, name).ratio() for name in others}
        if max(ratios, key=ratios.__getitem__, default=expected) == expected:
            return f", did you mean {close!r}?"
    return ""


def _unused(settings: Settings, renderer: Renderer) -> Iterator[tuple[str, str]]:
    """(file, the hint after the warning, or "") for each file nothing uses.

    A stray letter is either misnamed (``brithday.de.j2`` beside a working
    ``birthday``: the hint is the file's name meant) or the right file that the
    *config* misnames (``template: birthdy`` while ``birthday.j2`` is there):
    then the hint points at the occasion's setting, never at renaming a good
    file to the typo — the template the config names has no file at all.
    """
    folder = Path(settings.templates_dir)
    snapshot = TemplateFiles.read(folder)
    roots = _occasion_files(settings, renderer, folder)
    used, computed = _used(snapshot, roots)
    stray = set(stray_letter_files(settings, snapshot.files))
    # Templates with their default file, and the settings naming one that has none.
    names = sorted({occ.template for occ in settings.occasions if f"{occ.template}{SUFFIX}" in snapshot})
    unfound: dict[str, str] = {}
    for index, occ in enumerate(settings.occasions):
        if f"{occ.template}{SUFFIX}" not in snapshot:
            unfound.setdefault(occ.template, f"occasions.{index}.template")
    for file in sorted(snapshot.files):
        if file in used or (computed and file not in stray):
            continue  # a computed reference may reach any file: only a stray letter is sure
        hint = ""
        if file in stray:
            template, _, rest = file.partition(".")
            typo = difflib.get_close_matches(template, sorted(unfound), n=1)
            close = difflib.get_close_matches(template, names, n=1)
            if typo:  # birthday.j2, while the config says birthdy: the setting is the typo
                hint = f"; {unfound[typo[0]]} says {typo[0]!r}, did you mean {template!r} there?"
            elif close and f"{close[0]}.{rest}" not in snapshot:  # brithday.de.j2: birthday's German
                hint = f", did you mean {close[0] + '.' + rest!r}?"
        yield file, hint


#: How many unused files the one warning of a folder names before it counts the rest.
_NAMED = 5
_UNUSED = "no occasion, layout, include or import uses this file: it is never rendered"


def unused_templates(settings: Settings, renderer: Renderer) -> list[tuple[str, str]]:
    """(file, the hint after the warning, or "") for each template file nothing uses, by name."""
    return list(_unused(settings, renderer))


def unused_template_problems(folder: str, unused: Iterable[tuple[str, str]]) -> list[Problem]:
    """Pure: the warnings for :func:`unused_templates`' files of ``folder``.

    A file with a hint (a misnamed letter, or the config's template name the
    typo) keeps a warning of its own: it is likely a mistake. The others are
    one warning for the folder, naming the first few: a marketer who trimmed
    the starter to birthdays got some 24 lines on every ``check``, one per
    letter of the occasions deleted — deliberately unused files, the same
    news 24 times. ``check --json`` lists every one (``unused_templates``).
    """
    problems: list[Problem] = []
    plain: list[str] = []
    for file, hint in unused:
        if hint:
            problems.append(Problem(file, "", _UNUSED + hint, kind="template", severity="warning"))
        else:
            plain.append(file)
    if len(plain) == 1:
        problems.append(Problem(plain[0], "", _UNUSED, kind="template", severity="warning"))
    elif plain:
        named = ", ".join(plain[:_NAMED]) + (
            f" and {len(plain) - _NAMED} more" if len(plain) > _NAMED else ""
        )
        message = (
            f"{len(plain)} files no occasion, layout, include or import uses: they are never rendered: "
            f"{named} (delete them if they are not wanted; check --json lists them in unused_templates)"
        )
        problems.append(Problem(folder, "", message, kind="template", severity="warning"))
    return problems


def eaten_break_problems(folder: Path) -> list[Problem]:
    """One warning per closing tag whose line break ``trim_blocks`` takes before a blank line.

    Every ``.j2`` file of the folder is lexed (never compiled or run): a
    paragraph glued to the next one renders without error, so only reading
    the source finds it (:mod:`greeter.template_breaks`). A file that does
    not decode or lex is reported as a syntax error elsewhere.
    """
    problems = []
    for file, raw in sorted(TemplateFiles.read(folder).files.items()):
        try:
            found = eaten_breaks(raw.decode("utf-8"), file)
        except (UnicodeDecodeError, TemplateSyntaxError):
            continue
        for line, tag in found:
            message = (
                f"the line break after {{% {tag} %}} is removed (a tag ending a line of text), so the "
                f"blank line below prints as a single line break and the paragraphs are glued: "
                f"write {{% {tag} +%}} to keep it, or move the tag to the start of the next line"
            )
            problems.append(Problem(file, "", message, line, kind="template", severity="warning"))
    return problems


def mail_header_problems(folder: Path) -> list[Problem]:
    """One warning per mail header line (``TO: {{email}}``) at the top of a block: a mailmerge template.

    Such a line renders without error, into the body of every letter
    (:mod:`greeter.template_headers`); the warning says where greeter takes
    that header from instead. Files that do not decode or lex are reported elsewhere.
    """
    problems = []
    for file, raw in sorted(TemplateFiles.read(folder).files.items()):
        try:
            found = mail_headers(raw.decode("utf-8"), file)
        except (UnicodeDecodeError, TemplateSyntaxError):
            continue
        for line, header, text in found:
            where = "the subject" if header == "subject_block" else "the body"
            message = (
                f"{text!r} looks like a mailmerge header line: greeter prints it in {where} of every"
                f" letter; delete it — {HEADER_HOMES[header]}"
            )
            problems.append(Problem(file, "", message, line, kind="template", severity="warning"))
    return problems
