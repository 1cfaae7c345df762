"""``greeter check``: a grammatical case asked of a name or company in a letter whose language has none.

Why: a marketer copies ``birthday.j2`` to ``birthday.en.j2`` and translates the
words around ``{{ contact|name('dative') }}`` and ``{{ contact.company|company('dative') }}``.
The filters follow the letter's language (:func:`greeter.template_filters.declines`):
an English, German, Serbian… letter gets the name as written, never Russian
endings or «компании». The letter reads right only if its sentence wants the
nominative; a Serbian sentence built for the dative («Честитамо …») gets
none, and the marketer should know that the case asked is ignored there.

Read from each template file's syntax tree (the case is a literal in the
file), not from its letters: one warning per file, filter and case, at its
first line. Only a template's own files are read; the shared macro files
(``_ru.j2``…) are written for their own language.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes

from greeter.errors import Problem
from greeter.i18n import normalize_locale
from greeter.template_env import syntax_tree
from greeter.template_filters import COMPANY_CASES, NAME_CASES, case_named, declines
from greeter.template_snapshot import SUFFIX

__all__ = ["ignored_case_problems"]


def ignored_case_problems(files: Iterable[Path], template: str, default_locale: str) -> list[Problem]:
    """Warnings for ``name('dative')``/``company('dative')`` in ``template``'s files of other languages.

    ``files``: the template's files (``birthday.j2``, ``birthday.en.j2``); the
    default one is in ``default_locale``'s language. A file that does not
    parse is reported by the template check already: skipped here.
    """
    problems: list[Problem] = []
    for path in files:
        locale_part = path.name[len(template) + 1 : -len(SUFFIX)]
        locale = normalize_locale(locale_part, "") if locale_part else default_locale
        language = locale.partition("_")[0] if locale else ""
        if not language:
            continue
        try:
            ast = syntax_tree(path.read_text(encoding="utf-8"), path.name)
        except (OSError, UnicodeDecodeError, TemplateSyntaxError):
            continue
        problems.extend(_ignored(ast, path.name, language))
    return problems


def _ignored(ast: nodes.Template, file: str, language: str) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    problems = []
    for node in ast.find_all(nodes.Filter):
        if node.name not in ("name", "company") or declines(language, node.name) or not node.args:
            continue
        first = node.args[0]
        if not isinstance(first, nodes.Const) or not isinstance(first.value, str):
            continue
        try:
            case = case_named(first.value)
        except ValueError:
            continue  # a typo: the render reports it, with the case meant
        if case == "nominative" or (node.name, case) in seen:
            continue
        seen.add((node.name, case))
        what = "the name" if node.name == "name" else "the company's name"
        message = (
            f"{node.name}({first.value!r}) in a letter in {language!r}: {what} is declined only in "
            f"{', '.join(sorted(NAME_CASES if node.name == 'name' else COMPANY_CASES))} letters, "
            "here it is printed as written (the nominative); word the sentence for it, or drop the case"
        )
        problems.append(Problem(file, "", message, node.lineno, kind="template", severity="warning"))
    return problems
