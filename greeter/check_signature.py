"""``greeter check``: letters signed in another script than their language's — pure but for ``locate``.

Moved out of :mod:`greeter.check_reach` (which counts the letters each language gets) when the
signature joined the sender's name and company: «ООО «Ромашка»» under Hungarian letters, and
a Riga office's «С уважением, Ольга…» under its Latvian ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from greeter.errors import Problem

if TYPE_CHECKING:
    from greeter.check_reach import Reach


def signature_problems(reach: Reach, config_file: Path) -> list[Problem]:
    """Warn, once per language, where letters are signed in another script: «ООО «Ромашка»» under Hungarian.

    A letter whose language ``sender.by_locale`` has no entry for (nor one of
    the same language and script: ``hu_HU`` for ``hu``) is signed with
    ``sender.name`` and ``sender.company``; in the default's language that is
    right, in a language written in another script it is a slip the reader sees.
    What an entry gives is not judged: a Latin "Romashka LLC" chosen for
    Cyrillic Serbian letters is a decision, not a slip. A Serbian letter in Latin
    script signs with the name transliterated (:mod:`greeter.serbian_script`):
    «ООО «Ромашка»» reads "OOO «Romaška»" there, and only a name it cannot
    transliterate whole (ы, я: «ООО «Юность»») is a slip.
    """
    from greeter.check_reach import text_script
    from greeter.config_loader import locate
    from greeter.i18n import script_name, script_of
    from greeter.serbian_script import is_serbian_latin, to_latin

    sender = reach.settings.sender
    default = reach._letters_in.split("_")[0]  # hr, bs: the letters are Serbian
    found: dict[str, tuple[int, list[str], str]] = {}
    for locale, count in sorted(reach.letters.items()):
        language = locale.split("_")[0]
        if language == default:
            continue
        script = script_of(locale)
        shown = to_latin if is_serbian_latin(locale) else str
        entries = sender.entries(locale)  # a name by_locale gives is the marketer's choice
        own = [
            ("sender.name", sender.name, not any(e.name for e in entries)),
            ("sender.company", sender.company, not any(e.company for e in entries)),
        ]
        wrong = [
            f"{what} {text!r}"
            for what, text, unset in own
            if unset and text and script and text_script(shown(text)) not in ("", script)
        ]
        if wrong:
            total, _, _ = found.get(language, (0, [], ""))
            found[language] = (total + count, wrong, script)
    problems: list[Problem] = []
    where = ("sender", "by_locale") if sender.by_locale else ("sender", "name")
    line, col = locate(config_file, where)
    for language, (count, wrong, script) in found.items():
        message = (
            f"{count} contact(s) get letters in {language!r} (written in {script_name(script)}) signed with "
            f"{' and '.join(wrong)}: add sender.by_locale.{language} with the name and company as "
            "these letters should say them"
        )
        problems.append(Problem(str(config_file), ".".join(where), message, line, col, severity="warning"))
    return problems + _own_signature_problems(reach, config_file)


def _own_signature_problems(reach: Reach, config_file: Path) -> list[Problem]:
    """Warn, once per language, where ``sender.signature`` is in another script than the letters it signs.

    It signs the letters of ``defaults.locale``'s language that no ``by_locale`` entry signs
    (:meth:`~greeter.config.Sender.signature_in`, as the renderer asks). A Riga office's
    ``defaults.locale: lv`` project kept the starter's «С уважением, Ольга…» under every Latvian
    letter, and ``check`` judged only the name and company, in the other languages' letters.
    A Latin signature under Russian letters is the same slip the other way. An entry's own
    signature is the marketer's choice, as its name is: not judged.
    """
    from greeter.check_reach import text_script
    from greeter.config_loader import locate
    from greeter.i18n import script_name, script_of
    from greeter.serbian_script import is_serbian_latin, to_latin

    sender = reach.settings.sender
    if not sender.signature:
        return []
    found: dict[str, tuple[int, str, str]] = {}
    for locale, count in sorted(reach.letters.items()):
        if any(e.signature for e in sender.entries(locale)):
            continue
        if sender.signature_in(locale, reach._letters_in) != sender.signature:
            continue
        script = script_of(locale)
        written = text_script(to_latin(sender.signature) if is_serbian_latin(locale) else sender.signature)
        if script and written not in ("", script):
            language = locale.split("_")[0]
            total = found.get(language, (0, "", ""))[0]
            found[language] = (total + count, script, written)
    if not found:
        return []
    line, col = locate(config_file, ("sender", "signature"))
    opening = " ".join(sender.signature.split()[:4]).rstrip(",;:.")
    return [
        Problem(
            str(config_file),
            "sender.signature",
            f"{count} contact(s) get letters in {language!r} (written in {script_name(script)}) signed with "
            f"sender.signature '{opening}…' ({script_name(written)}): write it in the letters' language, or "
            f"move it to sender.by_locale.<a language written in {script_name(written)}>.signature "
            f"(the {language!r} letters then close with their language's words and the name)",
            line,
            col,
            severity="warning",
        )
        for language, (count, script, written) in found.items()
    ]
