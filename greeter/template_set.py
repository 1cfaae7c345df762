"""One folder's templates, compiled: the file each letter is written with, and what is wrong with them.

Split from :mod:`greeter.render`, which renders letters from a
:class:`TemplateSet`: finding the file for a template name and locale
(``birthday.sr_RS.j2`` → ``birthday.sr.j2`` → ``birthday.j2``), reading each
file's shape, compiling it in both environments, and reporting what ``greeter
check`` finds in them are about the files, whoever renders them. Each is done
once per file or (name, locale) and cached, errors included.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from jinja2 import Template, TemplateNotFound, TemplateSyntaxError, nodes
from jinja2.loaders import split_template_path

from greeter.errors import Problem, TemplateError, TemplateLoadError
from greeter.i18n import (
    kindred_locale,
    letter_default,
    locale_chain,
    locale_hint,
    normalize_locale,
    script_of,
)
from greeter.template_blame import blame, template_frames
from greeter.template_code import TemplateCode
from greeter.template_env import Sandbox, make_environment
from greeter.template_errors import UNDEFINED_NAME, describe, unknown_name
from greeter.template_hooks import FORM_HOOKS, LanguageForms, helper_files
from greeter.template_shape import (
    TEXT_OUTSIDE,
    Shape,
    block_problems,
    letter_blocks,
    misimported,
    shape_of,
    unknown_imports,
    unrendered_blocks,
)
from greeter.template_shape_cache import ShapeCache
from greeter.template_snapshot import SUFFIX, SnapshotLoader, TemplateFiles

#: The shipped layout's name: offered to a letter that has no ``{% extends %}`` (``_letter_blocks``).
LAYOUT = "_layout.html.j2"

__all__ = ["TemplateSet", "Variant"]

#: Occasion template names: what ``occasions[].template`` may say.
_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
#: The locale part of ``<name>.<locale>.j2``: ``en``, ``sr_RS``, ``sr_Latn_RS``.
_LOCALE_PART: Final = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class Variant:
    """One resolved template: its file, the letter's locale, and the extends chain per environment."""

    file: str
    #: The locale the letter is written in (see :meth:`TemplateSet._letter_locale`).
    locale: str
    #: Its language code ("ru", "en"): templates branch on it often, so it is computed once.
    lang: str
    plain: tuple[Template, ...]
    html: tuple[Template, ...] | None


class TemplateSet:
    """The templates of one folder for one default locale, each compiled once, in both environments.

    Resolved templates are cached per (template name, locale); a template that
    fails to resolve is cached as its error, so a broken file is not re-parsed
    for every contact. With ``code_cache`` (a folder) compiled templates are
    also kept on disk for the next process (:mod:`greeter.template_code`), and
    beside them each file's shape (:mod:`greeter.template_shape_cache`), so that
    a warm process neither parses nor compiles.
    """

    def __init__(
        self,
        folder: Path,
        files: TemplateFiles | None,
        default_locale: str,
        code_cache: Path | None,
        fallbacks: Mapping[str, str] | None = None,
    ) -> None:
        self._dir = Path(folder)
        #: ``defaults.fallback_locales``, both sides canonical: whose letters another language's file writes.
        self._fallbacks = {
            normalize_locale(k, k): normalize_locale(v, v) for k, v in (fallbacks or {}).items()
        }
        self._snapshot = files if files is not None else TemplateFiles.read(self._dir)
        self._default_locale = default_locale
        self._loader = SnapshotLoader(self._snapshot)
        plain_code = TemplateCode(code_cache, "plain") if code_cache is not None else None
        html_code = TemplateCode(code_cache, "html") if code_cache is not None else None
        self._plain = make_environment(self._loader, html=False, code=plain_code)
        self._html = make_environment(self._loader, html=True, code=html_code)
        self._shape_cache = ShapeCache(code_cache, self._plain) if code_cache is not None else None
        self._plain.purity = self._html.purity = self._pure
        self._variants: dict[tuple[str, str], Variant | TemplateLoadError] = {}
        self._shapes: dict[str, Shape] = {}
        self._files: dict[str, dict[str, str]] = {}
        self._sources: dict[str, list[str]] = {}
        self._forms: dict[str, LanguageForms | TemplateLoadError | None] = {}

    # ------------------------------------------------------------------ errors while rendering

    def error(
        self, exc: Exception, file: str, contact_id: str, variables: Iterable[str] = ()
    ) -> TemplateError:
        """``exc``, raised rendering ``file`` for a contact, as the error naming the template file and line.

        ``variables`` (the letter's context) lets the message name the variable meant.
        """
        if isinstance(exc, TemplateSyntaxError) and exc.name:  # an include compiled lazily
            return TemplateError(exc.name, exc.lineno, describe(exc, env=self._plain), contact_id)
        frames = template_frames(exc.__traceback__)
        name, line = blame(frames, exc, self._source_line) if frames else (file, None)
        shape = self._shapes.get(name)
        if shape is not None and isinstance(variables, Mapping):  # `also_lin` → the macro imported
            exports = {ref: self._shapes[ref].exports for _, ref, _ in shape.imports if ref in self._shapes}
            wrong = {bad: (at, meant) for at, _, bad, meant in misimported(shape, exports)}
            # A name its import misspelt is no name to suggest: `import also_lines` then `also_line(…)`
            # said "'also_line' is undefined, did you mean 'also_lines'?", pointing at the typo.
            variables = {**dict.fromkeys(n for n in shape.bound if n not in wrong), **variables}
            m = UNDEFINED_NAME.search(str(exc))
            if m is not None and not isinstance(exc, TemplateSyntaxError):
                for bad, (at, meant) in wrong.items():
                    if meant == m.group(1):
                        said = f"undefined: {meant!r} is undefined: line {at} imports {bad!r} instead of it"
                        return TemplateError(name, line, said, contact_id)
        return TemplateError(name, line, describe(exc, variables, self._plain), contact_id)

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

    def variant(self, name: str, locale: str) -> Variant | TemplateLoadError:
        """The file ``name`` is rendered from in ``locale``, compiled, or why it cannot be (both cached)."""
        key = (name, locale)
        cached = self._variants.get(key)
        if cached is None:
            try:
                cached = self._load_variant(name, locale)
            except TemplateLoadError as exc:
                cached = exc
            self._variants[key] = cached
        return cached

    def warm(self, name: str, locale: str) -> Variant | TemplateLoadError:
        """:meth:`variant`, and every file its chain names literally compiled too, in the
        environments the letter renders in: before ``send`` forks its build workers
        (:mod:`greeter.build_pool`), so each inherits them rather than compiling them again.

        The names its chain imports and includes (``_ru.j2``, ``_brand.j2``) are
        otherwise compiled at the first render that reaches them, which may be a
        branch (``also``) a first letter does not take. Only what the files name
        literally, one level down, and without reading their shapes: the errors a
        render reports name what they named before. A file that does not compile is
        left to fail where it is used, as it did.
        """
        variant = self.variant(name, locale)
        if isinstance(variant, TemplateLoadError):
            return variant
        chain = self._chain(variant.file)  # the shapes read by variant(), not again
        refs = dict.fromkeys(ref for file in chain for _, ref in self._shapes[file].references)
        for env in (self._plain,) if variant.html is None else (self._plain, self._html):
            for ref in refs:
                if ref not in chain and self._exists(ref):
                    with contextlib.suppress(TemplateLoadError):  # its letters say so when they reach it
                        self._compile(env, ref)
        return variant

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

    def fallback_of(self, locale: str) -> str | None:
        """The locale ``defaults.fallback_locales`` writes ``locale``'s letters in, if it lists one.

        The most specific key of ``locale``'s chain wins (``lt_LT`` before ``lt``).
        """
        return next((self._fallbacks[loc] for loc in locale_chain(locale) if loc in self._fallbacks), None)

    def serves(self, name: str, locale: str) -> bool:
        """Whether a letter of ``name`` in ``locale`` has a file of its own language, or of its fallback's.

        ``False`` where it would be written from the unsuffixed default file.
        """
        variants = self._variant_files(name)
        seen: set[str] = set()
        current: str | None = normalize_locale(locale, locale)
        while current is not None and current not in seen:
            seen.add(current)
            if any(loc in variants for loc in locale_chain(current)):
                return True
            current = kindred_locale(current) or self.fallback_of(current)
        return False

    def _load_variant(self, name: str, locale: str, fallback: bool = True) -> Variant:
        if not _NAME.match(name):
            raise TemplateLoadError(
                name, None, "not a template name (letters, digits, '_' and '-'; no '_' first)"
            )
        variants = self._variant_files(name)
        chain = locale_chain(locale)
        matched = next((loc for loc in chain if loc in variants), None)
        file = variants[matched] if matched is not None else None
        if file is None and (kindred := kindred_locale(locale)) is not None:
            return self._load_variant(name, kindred, fallback)  # bs, hr: the Serbian letter, in Latin script
        if file is None and fallback and (target := self.fallback_of(locale)) is not None:
            return self._load_variant(name, target, False)  # defaults.fallback_locales: cs → en, one step
        if file is None:
            file = f"{name}{SUFFIX}"
            if file not in self._snapshot:
                looked = ", ".join([*(f"{name}.{loc}{SUFFIX}" for loc in chain), file])
                raise TemplateLoadError(file, None, f"template missing: looked for {looked} in {self._dir}")
        names = self._chain(file)
        blocks = frozenset().union(*(self._shapes[n].blocks for n in names))
        for problem in block_problems([(n, self._shapes[n]) for n in names]):
            raise TemplateLoadError(*problem)
        plain = tuple(self._compile(self._plain, n) for n in names)
        html = tuple(self._compile(self._html, n) for n in names) if "html" in blocks else None
        letter = self._letter_locale(file, name, locale, matched)
        return Variant(file, letter, letter.split("_")[0], plain, html)

    def _letter_locale(self, file: str, name: str, locale: str, matched: str | None = None) -> str:
        """The locale a letter is worded in: the contact's, unless the file is in another language.

        A contact with locale ``de`` and no ``birthday.de.j2`` gets the default
        (Russian) file; its salutation, dates and plurals must then be Russian
        too ("15 лет", not "15 Jahre" inside a Russian sentence), so the
        template's language wins over the contact's. Under ``defaults.locale: hr``
        (or ``bs``) the default file is Serbian, in Latin script (:func:`letter_default`).

        Likewise a file of the contact's language in another script: a ``uz_Cyrl``
        client with only ``holiday.uz.j2`` (Latin) gets a Latin letter, so its dates are
        Latin too («21-mart kuni», not «21 март kuni»): the letter is in the file's locale
        (``matched``, the one of the contact's locale chain the file is named by). Not
        Serbian: a ``sr_Latn`` letter from a Cyrillic ``.sr.j2`` is transliterated whole.
        """
        if file != f"{name}{SUFFIX}":
            if matched is not None and matched != locale and _other_script(matched, locale):
                return matched
            return locale  # a variant matched one of the contact's own locale prefixes
        default = letter_default(self._default_locale)
        return locale if locale.split("_")[0] == default.split("_")[0] else default

    def _chain(self, file: str, found: list[Problem] | None = None) -> list[str]:
        """``file`` and the templates it extends, child first; shape problems are errors.

        ``found``: check's list, which takes every shape problem of the chain
        instead of the first raised, and the chain is walked on — a top-level
        ``{% set %}`` is no reason to hide a misspelt filter in a block below it
        (each was a run of check of its own). A letter being loaded raises.
        """
        names: list[str] = []
        current: str | None = file
        while current is not None:
            if current in names:
                raise TemplateLoadError(file, None, f"{{% extends %}} loop: {' → '.join([*names, current])}")
            shape = self._shape(current)
            for line, message in shape.problems:
                if message == TEXT_OUTSIDE:
                    message += ": " + self._letter_blocks(current, shape)
                if found is None:
                    raise TemplateLoadError(current, line, message)
                found.append(_problem(current, line, message))
            names.append(current)
            current = shape.parent
        return names

    def _letter_blocks(self, file: str, shape: Shape) -> str:
        """Where ``file``'s top-level words go (:func:`~greeter.template_shape.letter_blocks`),
        from the chain it extends as far as it can be read."""
        parents: list[tuple[str, Shape]] | None = []
        current = shape.parent
        try:
            while current is not None and parents is not None and current not in dict(parents):
                above = self._shape(current)
                parents.append((current, above))
                current = above.parent
        except TemplateLoadError:
            parents = None
        layout = LAYOUT if LAYOUT in self._snapshot else None
        return letter_blocks(file, shape.parent, parents, layout)

    def _shape(self, file: str) -> Shape:
        """``file``'s shape: from memory, from the shape cache (not parsed), or parsed and stored.

        A file that does not parse is never stored (:mod:`greeter.template_shape_cache`),
        so its error is found and worded by the parse every time.
        """
        shape = self._shapes.get(file)
        if shape is None:
            try:
                source, filename, _ = self._loader.get_source(self._plain, file)
                cache = self._shape_cache
                key = cache.key(source) if cache is not None else None
                shape = cache.load(key) if cache is not None and key is not None else None
                if shape is not None:  # compiled from the code cache, or from its source
                    self._shapes[file] = shape
                    return shape
                ast = self._plain.parse(source, file, filename)
                self._loader.parsed[(self._plain, file)] = ast  # compiled from it (see SnapshotLoader)
            except TemplateNotFound:
                raise TemplateLoadError(file, None, "template not found") from None
            except TemplateSyntaxError as exc:
                raise TemplateLoadError(
                    exc.name or file, exc.lineno, describe(exc, env=self._plain)
                ) from None
            except UnicodeDecodeError as exc:
                raise self._not_utf8(file, exc) from None
            shape = self._shapes[file] = shape_of(ast)
            if cache is not None and key is not None:
                cache.store(key, shape)
        return shape

    def _pure(self, file: str) -> bool:
        """Whether ``file``'s macros are functions of their arguments, from its shape
        (:attr:`Shape.pure`): from memory or the shape cache, parsed only when neither has it.
        Raises :class:`TemplateLoadError` for a file that does not load, whose macros are then
        not kept (:meth:`~greeter.template_env.Sandbox.module_made`)."""
        return self._shape(file).pure

    @staticmethod
    def _compile(env: Sandbox, file: str) -> Template:
        try:
            return env.get_template(file)
        except TemplateSyntaxError as exc:
            raise TemplateLoadError(exc.name or file, exc.lineno, describe(exc, env=env)) from None
        except TemplateNotFound as exc:
            raise TemplateLoadError(file, None, f"template not found: {exc.name}") from None
        except UnicodeDecodeError as exc:
            raise TemplateSet._not_utf8(file, exc) from None

    @staticmethod
    def _not_utf8(file: str, exc: UnicodeDecodeError) -> TemplateLoadError:
        """A template saved in another encoding (cp1251 from an old editor): say where."""
        line = exc.object[: exc.start].count(b"\n") + 1 if isinstance(exc.object, bytes) else None
        return TemplateLoadError(file, line, f"not UTF-8 text ({exc.reason}); save the file as UTF-8")

    def _exists(self, ref: str) -> bool:
        """Whether ``ref`` names a file the loader can serve (inside templates_dir, no '..')."""
        try:
            return "/".join(split_template_path(ref)) in self._snapshot
        except TemplateNotFound:
            return False

    # ------------------------------------------------------------------ a language's own forms

    def language_forms(self, locale: str) -> LanguageForms | TemplateLoadError | None:
        """The helper file that words a letter in ``locale``'s salutation or closing, if one does.

        The most specific of :func:`~greeter.template_hooks.helper_files` that
        exists (``_pl_PL.j2``, else ``_pl.j2``), with the names of
        :data:`~greeter.template_hooks.FORM_HOOKS` it defines, read from its
        syntax tree; ``None`` when it defines none (every shipped helper) or
        there is no such file; the file's error when it cannot be read, since
        it may be the one that words these letters. Cached per locale.
        """
        if locale in self._forms:
            return self._forms[locale]
        found: LanguageForms | TemplateLoadError | None = None
        file = next((f for f in helper_files(locale) if f in self._snapshot), None)
        if file is not None:
            try:
                names = self._shape(file).exports.intersection(FORM_HOOKS)
            except TemplateLoadError as exc:
                found = exc
            else:
                found = self._hooks(file, frozenset(names)) if names else None
        self._forms[locale] = found
        return found

    def _hooks(self, file: str, names: frozenset[str]) -> LanguageForms:
        """``file``'s hooks with the line of each and the arguments its macros need (no default)."""
        source, filename, _ = self._loader.get_source(self._plain, file)
        lines: dict[str, int] = {}
        needs: dict[str, tuple[str, ...]] = {}
        for node in self._plain.parse(source, file, filename).body:
            name = getattr(node, "name", None) or getattr(getattr(node, "target", None), "name", None)
            if name in names and name not in lines:
                lines[name] = node.lineno
                if isinstance(node, nodes.Macro):
                    needs[name] = tuple(arg.name for arg in node.args[: len(node.args) - len(node.defaults)])
        return LanguageForms(file, names, lines, needs)

    def has(self, file: str) -> bool:
        """Whether the folder has ``file`` (``_unsubscribe.j2``)."""
        return file in self._snapshot

    def module(self, file: str) -> object:
        """``file``'s macros and ``{% set %}`` values, as an import without context gives them.

        Built once per file (Jinja keeps it on the compiled template); a compile
        error is raised as :class:`TemplateLoadError`, one while building as Jinja raised it.
        """
        return self._compile(self._plain, file).module

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

    def check(self, names: Iterable[str], defaultless: Iterable[str] = ()) -> list[Problem]:
        """Compile every variant of every named template, and what they extend, include and import.

        Reports (kind ``"template"``): a missing default file, syntax errors
        with file and line, content outside blocks, a missing subject/text
        block, references to missing templates, and (as warnings) locale
        variants no contact can ever select. Compiling here also warms the
        cache for the renders that follow. ``defaultless``: templates whose
        occasions' ``audience.locales`` each have a file (:meth:`serves`), so no
        letter is ever written from a default file: none is required.
        """
        problems: list[Problem] = []
        optional = set(defaultless)
        for name in dict.fromkeys(names):
            if not _NAME.match(name):
                problems.append(_problem(name, None, "not a template name (letters, digits, '_' and '-')"))
                continue
            files = self.template_files(name)
            if name not in optional and not any(path.name == f"{name}{SUFFIX}" for path in files):
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
        found: list[Problem] = []
        try:
            names = self._chain(file, found)
        except TemplateLoadError as exc:
            return [*problems, *found, exc.problem()]
        problems.extend(found)
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
            except TemplateLoadError as exc:
                return [exc.problem(), *self._other_unknown_names(file, exc)]
        try:
            shape = self._shape(file)
        except TemplateLoadError as exc:
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

    def _other_unknown_names(self, file: str, failed: TemplateLoadError) -> list[Problem]:
        """The unknown filters and tests of ``file`` besides the one its compile stopped at.

        Jinja's compiler stops at the first unknown filter; its parser does not
        look them up, so the file's syntax tree names the rest (``|plurl`` on
        line 3 and ``|name_dative`` on line 9 were two runs of check).
        """
        try:
            shape = self._shape(file)
        except TemplateLoadError:
            return []
        problems = []
        for line, kind, name in shape.names:
            unknown = unknown_name(kind, name, self._plain)
            if unknown is not None and f"named {name!r}" not in failed.detail:
                problems.append(_problem(file, line, unknown))
        return problems


def _problem(file: str, line: int | None, message: str, warning: bool = False) -> Problem:
    return Problem(
        file=file,
        field="",
        message=message,
        line=line,
        kind="template",
        severity="warning" if warning else "error",
    )


def _other_script(written: str, wanted: str) -> bool:
    """Whether a file in locale ``written`` is in another script than a letter in ``wanted`` would be
    (``uz`` is Latin, ``uz_Cyrl`` Cyrillic); never for Serbian, which greeter transliterates."""
    if wanted.split("_")[0] == "sr":
        return False
    return script_of(written) != script_of(wanted)
