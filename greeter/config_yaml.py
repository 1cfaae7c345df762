"""Read the config's YAML keeping every position, and say what is wrong with it in a marketer's words.

ruamel.yaml keeps the line and column of every key and list item (the loader
walks a validation error's ``loc`` back to them). What it cannot read is a
:class:`~greeter.errors.ConfigError` located at ``file:line:col``, never a
traceback: its parser's words are kept and, where they are jargon (``expected
<block end>, but found '?'``), the usual cause is said plainly first.

YAML reads an unquoted ``2026-12-18`` as a date. One that names no real day
(``2026-02-30``) made ruamel's timestamp constructor raise a bare
``ValueError`` — no file, no line, exit 3. Such a value is kept as its text
(:class:`NotADate`), so that it reaches validation with its path and is
reported there as "2026-02-30 is not a real date" at its own line and column;
where the setting is text anyway (a signature), the text is simply what was
typed. Any other value a constructor cannot build is a located syntax error.

An alias (``*window``) repeats what its anchor (``&window``) holds. ruamel
composes it as one shared node, but the loader turns the document into plain
dicts for validation, repeating every alias: nine aliases of nine aliases …
seven deep (a "billion laughs" of 341 bytes) took 20 s and 175 MB, ten deep
did not finish, in ``check`` and in the daemon reloading on SIGHUP. The
composer counts what the aliases repeat as it meets them, and refuses the
alias that brings it past :data:`MAX_REPEATED` at its line; an alias inside
its own anchor, which repeats forever, likewise. A send window or audience
reused by a few occasions repeats a few hundred values at most.
"""

from __future__ import annotations

import re
from typing import Any, Final

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, StreamMark, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.tokens import ScalarToken

from greeter.errors import ConfigError, Problem

__all__ = ["MAX_REPEATED", "NotADate", "parse_yaml"]

#: How many values (keys, values, list items) the aliases of one config may repeat in all.
MAX_REPEATED: Final = 10_000

#: The parser's words for a line that does not line up with its section.
_BLOCK_END = "expected <block end>"
#: What a tab in a line's indentation is called, wherever the parser stumbles over it.
_TAB = "a tab in the indentation (YAML allows spaces only)"
#: A line that is a key and nothing before it: ``      priority: 60`` up to its colon.
_KEY_ONLY = re.compile(r"\s*[^\s:#\-'\"][^:#]*")


class NotADate(str):
    """A value with the shape of a date or time that names none: an unquoted ``2026-02-30`` (YAML's
    date shape), or a config day written ``31.02.2027`` (:data:`greeter.config_types.Day`)."""

    def why(self) -> str:
        """``2026-02-30 is not a real date: February has no 30th``, for the validation error it causes."""
        from greeter.day_text import not_a_day  # the command line's words for the same mistake

        day = self.strip().split("T")[0].split()[0]
        reason = not_a_day(day)
        if reason is not None:
            return reason if day == self.strip() else f"{self.strip()} {reason.removeprefix(day + ' ')}"
        return f"{self} is not a real date and time"


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor, but a value it cannot build never escapes as a bare exception."""

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:  # the shape of a date, but no such day (or hour): validation says where
            return NotADate(node.value)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (YAMLError, RecursionError):
            raise
        except (ValueError, TypeError, ArithmeticError, LookupError) as exc:
            # e.g. a tag forcing a type the text is not (``!!int abc``): located at the value.
            what = f"{node.value!r}" if isinstance(node.value, str) else "this value"
            raise ConstructorError(None, None, f"cannot read {what}: {exc}", node.start_mark) from None


# Registered on the subclass only: ruamel's own constructor (used by other code) stays as it is.
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


class _Repeats(Exception):
    """An alias refused for what it repeats: the words, and the alias's place."""

    def __init__(self, message: str, mark: StreamMark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Composer(Composer):
    """ruamel's composer, counting the values aliases repeat: past :data:`MAX_REPEATED`, the alias is refused.

    Counted on the composed nodes, before anything is built: an alias is the
    anchored node itself, so the size of each node is computed once (by its
    id) and a bomb is refused after a few hundred steps, not billions.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self._sizes: dict[int, int] = {}
        self._repeated = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.parser.check_event(AliasEvent):
            return super().compose_node(parent, index)
        event = self.parser.peek_event()
        name = event.anchor
        target = self.anchors.get(name)
        if isinstance(target, MappingNode | SequenceNode) and target.end_mark is None:  # still being read
            raise _Repeats(
                f"the alias *{name} is inside its own anchor &{name}, so it repeats forever", event.start_mark
            )
        node = super().compose_node(parent, index)  # an undefined alias: ruamel's own error
        self._repeated += _size(node, self._sizes)
        if self._repeated > MAX_REPEATED:
            raise _Repeats(
                f"the alias *{name} brings what aliases repeat to more than {MAX_REPEATED:,} values "
                "(aliases of aliases multiply): write the settings out, or use fewer aliases",
                event.start_mark,
            )
        return node


def _size(node: Node, sizes: dict[int, int]) -> int:
    """How many values ``node`` stands for with every alias in it repeated; ``sizes`` keeps each node's."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if isinstance(node, MappingNode):
        size = 1 + sum(_size(key, sizes) + _size(value, sizes) for key, value in node.value)
    elif isinstance(node, SequenceNode):
        size = 1 + sum(_size(item, sizes) for item in node.value)
    else:
        size = 1
    sizes[id(node)] = size
    return size


def parse_yaml(text: str, filename: str) -> Any:
    """The document as ruamel's round-trip containers; a :class:`ConfigError` if it is not YAML."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.Composer = _Composer
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except _Repeats as exc:
        problem = Problem(
            filename, "", f"YAML aliases: {exc.message}", exc.mark.line + 1, exc.mark.column + 1
        )
        raise ConfigError([problem]) from None
    except ReaderError as exc:  # a character YAML forbids (NUL, other control characters)
        at_line = text.count("\n", 0, exc.position) + 1
        at_col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        what = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        message = f"YAML syntax: a control character ({what}) is not allowed in YAML"
        raise ConfigError([Problem(filename, "", message, at_line, at_col)]) from None
    except MarkedYAMLError as exc:
        raise ConfigError([_syntax_problem(exc, text, filename)]) from None
    except YAMLError as exc:
        raise ConfigError([Problem(filename, "", f"YAML syntax: {exc}")]) from None
    except RecursionError:  # thousands of nested brackets
        raise ConfigError([Problem(filename, "", "YAML syntax: nested too deeply")]) from None
    except Exception as exc:  # ruamel's round-trip reader failing on its own ("overlap in comment")
        raise ConfigError([_unreadable(exc, text, filename)]) from None


def _unreadable(exc: Exception, text: str, filename: str) -> Problem:
    """Where a file the round-trip reader gave up on is wrong, as the plain reader sees it.

    ruamel's round-trip reader keeps comments, and a few malformed files make
    it fail with its own ``NotImplementedError`` ("overlap in comment") rather
    than a located syntax error. The plain reader (no comments) usually finds
    the real mistake with its place; else the place the round-trip one named.
    """
    try:
        YAML(typ="safe", pure=True).load(text)
    except MarkedYAMLError as marked:
        return _syntax_problem(marked, text, filename)
    except Exception:  # any other failure: the round-trip reader's place, below
        pass
    at = re.search(r"line: (\d+), col: (\d+)", str(exc))  # its tokens count from 0
    line, col = (int(at[1]) + 1, int(at[2]) + 1) if at else (None, None)
    message = "the file cannot be read around here"
    if "comment" in str(exc):  # a value that goes on below a comment: ruamel cannot keep the comment
        message = (
            "this comment cannot stay where it is (the value goes on below it): put it on a line of its own"
        )
    return Problem(filename, "", f"YAML syntax: {message}", line, col)


def _syntax_problem(exc: MarkedYAMLError, text: str, filename: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "invalid YAML"
    tab = _tab_indent(text.splitlines(), mark.line) if mark is not None else None
    if tab is not None and (tab[0] != mark.line or "\\t" not in message):
        return Problem(filename, "", f"YAML syntax: {_TAB}", tab[0] + 1, tab[1] + 1)
    quote = _quote_problem(exc, text)
    if quote is not None:  # the mistake is where a quote opened, often many lines above the parser's place
        said = f"YAML syntax: {quote[0]}; YAML said: {exc.problem or message}"
        return Problem(filename, "", said, quote[1], quote[2])
    start = exc.context_mark
    if exc.context and start is not None and mark is not None and start.line != mark.line:
        # "found unexpected end of stream" alone points at the end; say where it began.
        message += f" ({exc.context} started at line {start.line + 1}, column {start.column + 1})"
    if "\\t" in message or "'\\t'" in message or "tab" in message.lower():
        message += " (YAML indents with spaces, not tabs)"
    if "found duplicate key" in str(message) or "duplicate key" in str(exc):
        twice = re.search(r'duplicate key "([^"]*)"', str(message))
        key = f"`{twice.group(1)}`" if twice else "a key"
        message = f"{key} appears twice in the same section"
    if mark is not None:
        lines = text.splitlines()
        hint = _indentation_hint(str(exc.problem or ""), lines, mark.line, mark.column)
        hint = hint or _colon_hint(str(exc.problem or ""), lines, mark.line, mark.column)
        if hint:
            message = f"{hint}; YAML said: {message}"
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    return Problem(filename, "", f"YAML syntax: {message}", line, col)


def _quote_problem(exc: MarkedYAMLError, text: str) -> tuple[str, int, int] | None:
    """What a stray quote did, said at the line and column (1-based) of the quote to fix; None if no quote.

    A quote is closed by the next quote of its kind. An unclosed one
    (``title: "День рождения``) swallows the lines below it down to the next
    value in quotes, and the parser stumbles on what follows that quote,
    24 lines below the mistake ("expected <block end>, but found
    '<scalar>'"). Quotes inside quotes (``name: "ООО "Ромашка""``) end the
    value early, on the same line. Either way the quoted value just before
    the parser's place shows which: the scanner's tokens give its start.
    """
    problem, mark = str(exc.problem or ""), exc.problem_mark
    start = exc.context_mark
    if "end of stream" in problem and "quoted scalar" in str(exc.context or "") and start is not None:
        return (
            _UNCLOSED.format(q=text[start.index], where="the end of the file"),
            start.line + 1,
            start.column + 1,
        )
    if mark is None or "'<scalar>'" not in problem:
        return None
    before = None
    try:
        for token in YAML(typ="safe", pure=True).scan(text):
            if token.start_mark.index >= mark.index:
                break
            before = token
    except YAMLError:  # the scanner's own mistake lies further on: the tokens before it are enough
        pass
    if (
        not isinstance(before, ScalarToken)
        or before.style not in ('"', "'")
        or before.end_mark.line != mark.line
    ):
        return None
    opened = before.start_mark
    quote = text[opened.index]
    if opened.line != mark.line:
        return _UNCLOSED.format(q=quote, where=f"line {mark.line + 1}"), opened.line + 1, opened.column + 1
    value = _COMMENT.sub("", text[opened.index :].split("\n", 1)[0]).rstrip()
    inner = value[1:-1] if len(value) > 1 and value.endswith(quote) else value[1:]
    if _without_password(inner) != inner:  # not repeated: its password would be in the message
        return "quotes inside quotes end the value early", opened.line + 1, opened.column + 1
    if quote == '"':
        guillemets = re.sub(r'"([^"]*)"', r"«\1»", inner)
        fix = f"write {guillemets}, or put the value in single quotes: '{inner}'"
    else:
        fix = f"write each ' inside it twice: '{inner.replace(chr(39), chr(39) * 2)}', or use double quotes"
    return f"quotes inside quotes end the value early: {fix}", opened.line + 1, opened.column + 1


#: The message for a quote never closed; ``where`` is how far YAML read the value.
_UNCLOSED = "a quote ({q}) opened here is never closed: YAML read the lines down to {where} as this one value"
#: A comment after a value on its line.
_COMMENT = re.compile(r"\s+#.*$")


def _colon_hint(problem: str, lines: list[str], line: int, col: int) -> str | None:
    """``title: Новый год: скидки``: a colon and a space inside a key's value: the value wants quotes."""
    if not problem.startswith("mapping values are not allowed") or not 0 <= line < len(lines):
        return None
    key, sep, value = lines[line].partition(": ")
    if not sep or len(key) + 2 > col or not _KEY_ONLY.fullmatch(key.lstrip(" -") or "#"):
        return None
    value = _COMMENT.sub("", value).strip()
    shown = _without_password(value)
    quoted = f"'{shown}'" if '"' in shown else f'"{shown}"'
    unshown = " (its password not shown)" if shown != value else ""
    return f"a ': ' inside a value: put the value in quotes, {key.strip(' -')}: {quoted}{unshown}"


def _without_password(value: str) -> str:
    """``value`` as a hint may repeat it: a URL (``storage.url``) without its password.

    A YAML mistake on ``storage.url``'s line echoed the whole URL, password and all, into
    the error a cron mail or a CI log keeps — where ``check`` shows the same URL redacted.
    """
    if "://" not in value:
        return value
    from greeter.db_url import redact

    return redact(value)


def _tab_indent(lines: list[str], line: int) -> tuple[int, int] | None:
    """(line, column) of a tab in the indentation of ``line`` or of the nearest line with content above it.

    After a blank line ruamel skips a tab as if it were indentation, then
    blames the line below for not lining up ("indented differently"): the
    line holding the tab is the one to fix.
    """
    if not 0 <= line < len(lines):
        return None
    for n in (line, _above(lines, line)):
        if n is None:
            continue
        text = lines[n]
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent:
            return n, indent.index("\t")
    return None


def _above(lines: list[str], line: int) -> int | None:
    """The nearest line above ``line`` with content, comments aside."""
    return next(
        (n for n in range(line - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")),
        None,
    )


def _indentation_hint(problem: str, lines: list[str], line: int, col: int) -> str | None:
    """The plain cause of the parser's complaint when it is a line indented unlike its section.

    ``expected <block end>, but found '<block mapping start>'`` (a key indented
    deeper than the keys above it) and ``… but found '?'`` (a key indented
    less, but not back to a parent's column) both mean it; so does ``mapping
    values are not allowed here`` for a key line indented deeper than the line
    above, which YAML then reads as the rest of that line's value. The line
    named is the nearest one above with content (comments aside), whose
    column the section's keys are at.
    """
    if not 0 <= line < len(lines):
        return None
    here = lines[line]
    indent = len(here) - len(here.lstrip(" "))
    above = _above(lines, line)
    if above is None:
        return None
    text = lines[above]
    column = len(text) - len(text.lstrip(" "))
    if text.lstrip().startswith("- "):  # a list item's first key stands after its dash
        column += len(text.lstrip()) - len(text.lstrip()[1:].lstrip())
    where = f"line {above + 1}, column {column + 1}"
    if problem.startswith(_BLOCK_END) and col == indent and indent != column:
        return f"this line is indented differently from the lines of the same section above it ({where})"
    if (
        problem.startswith("mapping values are not allowed")
        and indent > column
        and _KEY_ONLY.fullmatch(here[:col])
    ):
        return (
            f"this line is indented more than the line above it ({where}), so YAML reads it as the rest "
            "of that line's value"
        )
    return None
