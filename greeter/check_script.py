"""``greeter check``: a letter template written in a script its language does not use.

An Estonian team started from ``greeter init``, whose unsuffixed letters
(``birthday.j2``) are Russian, and set ``defaults.locale: et``: an unsuffixed
file is taken to be in the default language, so the Russian text became the
"Estonian" letter. Russian clients got «Lugupeetud Sergei Petrov!» over
«Примите наши самые тёплые поздравления…», Latvian and Finnish clients the
Russian text, and ``check`` said only what followed from it — "there is no
birthday.ru.j2" (there was: birthday.j2), "plural needs 2 forms in Estonian,
got 3: 'исполнился|исполнилось|исполнилось'". So ``check`` now reads each
occasion's template file and says, once per file, when its words are in a
script its language is not written in (Cyrillic under ``et``, ``en``, ``de``…;
Latin under ``ru``), which language they probably are, and the fix.

Only the words a reader sees are read: the text outside ``{# … #}``,
``{% … %}``, ``{{ … }}`` and HTML tags (comments are often English in a
Russian file). A file says so only with :data:`MIN_WORDS` words or more in
the other script, and more of its letters in that script than in its own:
a Latin brand name in a Russian letter, a one-word test template, are no
news. Serbian is written in both scripts: a Serbian file is judged only when
its words are in neither. Within one script, a Ukrainian file whose words have
Russian's own letters (ы, э, ъ, ё) and none of Ukrainian's (і, ї, є, ґ) is
Russian (:data:`_SAME_SCRIPT`). The script of a word is
:func:`greeter.check_reach.text_script`'s, as for the sender's name.

Pure but for reading the files.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from greeter.check_reach import text_script
from greeter.errors import Problem
from greeter.i18n import letter_default, normalize_locale, script_of
from greeter.template_snapshot import SUFFIX

__all__ = [
    "MIN_WORDS",
    "Misread",
    "guess_language",
    "misread_files",
    "misread_problems",
    "plural_failures",
    "prose_words",
]

#: How many words in the other script make a file "written in" it.
MIN_WORDS: Final = 5
#: Jinja comments, statements and expressions, and HTML tags: not words a reader sees.
_CODE: Final = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]*>|&[#\w]+;", re.DOTALL)
#: A word: two letters or more (digits and "_" are not letters).
_WORD: Final = re.compile(r"[^\W\d_]{2,}")
#: ISO 15924 codes → how a message names the script.
_SCRIPT_NAMES: Final = {
    "Cyrl": "Cyrillic",
    "Latn": "Latin",
    "Grek": "Greek",
    "Armn": "Armenian",
    "Geor": "Georgian",
}
#: Letters only some languages' alphabets have, by the language they point to (the first found wins).
_MARKS: Final = {
    "Cyrl": (("kk", "әғқңөұһ"), ("uk", "іїєґ"), ("be", "ў"), ("sr", "ђћљњџј"), ("mk", "ѓќѕ")),
    "Latn": (
        ("et", "õ"),
        ("hu", "őű"),
        ("lv", "āēīūģķļņ"),
        ("lt", "ąęėįųū"),
        ("pl", "łśźżń"),
        ("sr", "ćđ"),
        ("de", "ßü"),  # not ä, ö alone: Finnish and Swedish have them too
    ),
}
#: Languages of one script told apart by their letters: a file in the first language whose words
#: have the second's own letters and none of its own is in the second. A Kyiv office set
#: ``defaults.locale: uk`` over the starter's Russian ``birthday.j2``: Cyrillic under a Cyrillic
#: language, so nothing was said, and its clients got «Мария, спасибо за 9 років сотрудничества!».
#: Only where the letters say it surely: Ukrainian has і/ї/є/ґ in nearly every sentence, never ы/э/ъ/ё.
_SAME_SCRIPT: Final = {"uk": ("іїєґ", "ыэъё", "ru")}
#: Words that say English among Latin words with no marks.
_ENGLISH: Final = frozenset({"the", "and", "you", "your", "with", "our", "for", "we", "of", "to"})


@dataclass(frozen=True, slots=True)
class Misread:
    """A template file whose words are in another script than its language's."""

    #: The file's name in ``templates_dir`` (``birthday.j2``) and the template it serves (``birthday``).
    file: str
    template: str
    #: The language the file is taken to be in (``et``), and whether by ``defaults.locale`` (no suffix).
    taken_as: str
    by_default: bool
    #: The script its words are in (``Cyrl``), and the language they probably are (``ru``; "" unknown).
    script: str
    language: str
    #: The line of its first word in that script.
    line: int


def prose_words(source: str) -> list[tuple[str, int]]:
    """The words a reader of ``source``'s letters sees, each with its line (code and tags left out)."""
    # Each piece of code becomes as many line breaks as it held: the words keep their line numbers.
    text = _CODE.sub(lambda m: "\n" * m.group().count("\n") + " ", source)
    return [(m.group(), text.count("\n", 0, m.start()) + 1) for m in _WORD.finditer(text)]


def guess_language(words: Iterable[str], script: str) -> str:
    """The language ``words`` in ``script`` probably are, by the letters only it has; "" if unsure.

    Cyrillic with none of the marks is Russian (what a greeter project holds);
    Latin with none is English only when English's small words are there.
    """
    lowered = [w.lower() for w in words]
    letters = set("".join(lowered))
    for language, marks in _MARKS.get(script, ()):
        if letters & set(marks):
            return language
    if script == "Cyrl":
        return "ru"
    if script == "Latn" and sum(w in _ENGLISH for w in lowered) >= 2:
        return "en"
    return ""


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """``et`` → ``Estonian`` (Babel's English name), the code itself when Babel has none."""
    from babel import Locale

    return str(Locale("en").languages.get(code, code))


def _misread(path: Path, template: str, default_locale: str) -> Misread | None:
    """``path`` as a :class:`Misread`, or None when its words fit its language (or cannot be read)."""
    part = path.name[len(template) + 1 : -len(SUFFIX)]
    locale = normalize_locale(part, "") if part else letter_default(default_locale)  # hr: Serbian Latin
    if not locale:
        return None
    expected = script_of(locale)
    if not expected:
        return None
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # the template check reports a file it cannot read
    by_script: dict[str, list[tuple[str, int]]] = {}
    letters: Counter[str] = Counter()
    for word, line in prose_words(source):
        script = text_script(word)
        by_script.setdefault(script, []).append((word, line))
        letters[script] += len(word)
    language = locale.partition("_")[0]
    own = {expected, "Latn", "Cyrl"} if language == "sr" else {expected}
    for script, found in sorted(by_script.items(), key=lambda kv: -letters[kv[0]]):
        if script in own or script not in _SCRIPT_NAMES:
            continue
        if len(found) >= MIN_WORDS and letters[script] > sum(letters[s] for s in own):
            guessed = guess_language((w for w, _ in found), script)
            return Misread(path.name, template, language, not part, script, guessed, found[0][1])
        break
    return _other_language(path.name, template, language, not part, by_script.get(expected, []), expected)


def _other_language(
    file: str, template: str, language: str, by_default: bool, words: list[tuple[str, int]], script: str
) -> Misread | None:
    """The file as a :class:`Misread` when its words, in its own script, are another language's by
    :data:`_SAME_SCRIPT` (a ``uk`` file in Russian); None otherwise."""
    tells = _SAME_SCRIPT.get(language)
    if tells is None or len(words) < MIN_WORDS:
        return None
    own, theirs, other = tells
    letters = set("".join(w.lower() for w, _ in words))
    if letters & set(own) or not letters & set(theirs):
        return None
    line = next(n for w, n in words if set(w.lower()) & set(theirs))
    return Misread(file, template, language, by_default, script, other, line)


def misread_files(templates: Mapping[str, Iterable[Path]], default_locale: str) -> list[Misread]:
    """Each of the templates' files (template name → its files) in another script than its language's."""
    found: list[Misread] = []
    for template, files in templates.items():
        for path in files:
            misread = _misread(path, template, default_locale)
            if misread is not None:
                found.append(misread)
    return found


#: A render failure of a plural given another language's forms (:func:`greeter.i18n.plural`'s words).
_PLURAL: Final = re.compile(r"plural needs \d+ forms? in ")

#: A render failure's key in ``greeter check``: (template file, line, what failed).
FailureKey = tuple[str, "int | None", str]


def plural_failures(keys: Iterable[FailureKey], found: Iterable[Misread]) -> set[FailureKey]:
    """The failures among ``keys`` that a misread file's plural forms cause: said with the file's problem.

    «plural needs 2 forms in Estonian, got 3: 'исполнился|исполнилось|исполнилось'» is
    no typo to hunt for in the plural: the file is Russian. Only a plural of the
    misread file itself: any other failure in it is still its own problem.
    """
    files = {m.file for m in found}
    return {key for key in keys if key[0] in files and _PLURAL.match(key[2])}


def misread_problems(
    found: Iterable[Misread],
    default_locale: str,
    folder: Path,
    plurals: Iterable[FailureKey] = (),
) -> list[Problem]:
    """One error per misread file, saying what it is taken as, what it is written in, and the fix.

    ``folder``: ``templates_dir``, to tell whether the file to rename it to is
    free and whether a file in the taken language is there to put in its place.
    ``plurals``: the :func:`plural_failures` folded into the file's problem (its
    lines named there, as the reason they fail).
    """
    default_language = normalize_locale(default_locale, default_locale).partition("_")[0]
    lines: dict[str, set[int]] = {}
    for file, line, _ in plurals:
        lines.setdefault(file, set()).update([line] if line is not None else [])
    problems: list[Problem] = []
    for m in found:
        taken = language_name(m.taken_as)
        script = _SCRIPT_NAMES.get(m.script, m.script)
        written = f"{script} — probably {language_name(m.language)}" if m.language else script
        if m.by_default:
            head = f"this file is taken as {taken} (defaults.locale: {default_locale})"
            head += f" but is written in {written}"
        else:
            head = f"this file is named {taken} (.{m.taken_as}{SUFFIX}) but is written in {written}"
        own = f"{m.template}.{m.language}{SUFFIX}" if m.language else f"{m.template}.<its language>{SUFFIX}"
        if not m.by_default and m.language and m.language == default_language:
            own = f"{m.template}{SUFFIX}"  # the default file is in that language: the one to keep
        if m.language and (folder / own).is_file():
            fix = f"{own} is there already: remove {m.file} or merge it into {own}"
        else:
            fix = f"rename it {own}"
        if m.by_default:
            sibling = f"{m.template}.{m.taken_as}{SUFFIX}"
            has = f" ({sibling} is: copy it to {m.file})" if (folder / sibling).is_file() else ""
            back = (
                f"defaults.locale: {m.language}"
                if m.language
                else f"defaults.locale to the language {m.file} is in"
            )
            fix += f" and make {m.file} {taken}{has}, or set {back}"
        else:
            fix += f", or write it in {taken}"
        words = language_name(m.language) if m.language else f"{script} script"
        who = f" and those of every language without a {m.template} file of its own" if m.by_default else ""
        message = f"{head}, so the {taken} letters{who} are sent in {words}; {fix}"
        if m.file in lines:
            at = ", ".join(str(n) for n in sorted(lines[m.file]))
            forms = f"{language_name(m.language)} forms" if m.language else "another language's forms"
            where = f" at line {at}" if at else ""
            message += f" (and why its plural{where} fails: {forms} in {taken} letters)"
        problems.append(Problem(m.file, "", message, m.line, kind="template"))
    return problems
