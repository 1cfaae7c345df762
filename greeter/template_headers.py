"""Mail headers left at the top of a letter's block: a ``mailmerge`` template moved in (pure).

A ``mailmerge`` template is a whole message: ``TO: {{email}}``,
``SUBJECT: …`` and ``FROM: …`` lines, a blank line, the body. Moved into a
greeter block as it is, those lines render without error — into the body of
every letter, above the salutation. greeter takes each of them from
elsewhere (the contact's address, ``sender``, ``{% block subject %}``), so
``greeter check`` warns of each such line with its file and line.

Only the top of a block is read: the lines before its first line of words,
past blank lines and lines holding only a tag or a comment (``{% from … %}``).
The header lines end at a blank line or at any other text, as a message's
headers end. A ``subject`` block is one line, never a body: only its first
words are read, for the likeliest paste of all, ``{% block subject %}SUBJECT:
Happy birthday{% endblock %}`` — which would put "SUBJECT: " into every
letter's subject.
"""

from __future__ import annotations

import re
from typing import Final

from greeter.template_env import syntax_tokens

__all__ = ["HEADER_HOMES", "mail_headers"]

#: The headers a ``mailmerge`` template writes, and where greeter takes each from instead.
HEADER_HOMES: Final = {
    "to": "greeter writes to each contact's own address (contacts.columns.email)",
    "cc": "greeter writes to each contact alone",
    "bcc": "greeter writes to each contact alone",
    "from": "the From: line is sender.name and sender.email in the config",
    "reply-to": "Reply-To: is sender.reply_to in the config",
    "subject": "the subject is the letter's {% block subject %}",
    #: ``SUBJECT:`` inside the subject block itself (its header is reported as this key).
    "subject_block": "the subject is the letter's {% block subject %}, whose words are the subject itself",
}
_HEADER: Final = re.compile(r"[ \t]*(to|cc|bcc|from|reply-to|subject)[ \t]*:", re.IGNORECASE)
#: A line holding only a tag or a comment: passed over at a block's top.
_TAG_ONLY: Final = re.compile(r"[ \t]*(\{%.*%\}|\{#.*#\})[ \t]*")
#: The words after a subject block's own tag, on its line.
_SUBJECT_TAG: Final = re.compile(r"block\s+subject\s*[-+]?%\}(.*)")


def _block_tops(source: str, name: str | None) -> tuple[list[int], list[int]]:
    """The line numbers each non-``subject`` block's body starts on (the line after its tag, when
    the tag ends its line, else the tag's own line: the words after it), and each ``subject``
    block's tag's line."""
    starts: list[int] = []
    subjects: list[int] = []
    tag: str | None = None
    block: str | None = None
    for line, token, value in syntax_tokens(source, name):
        if token == "block_begin":
            tag = block = None
        elif token == "name" and tag is None:
            tag = value
        elif token == "name" and tag == "block" and block is None:
            block = value
        elif token == "block_end" and tag == "block" and block == "subject":
            subjects.append(line)
        elif token == "block_end" and tag == "block" and block is not None:
            starts.append(line + 1 if value.endswith("\n") else line)
    return starts, subjects


def _subject_header(lines: list[str], number: int) -> tuple[int, str, str] | None:
    """A ``SUBJECT:`` line at the start of the subject block whose tag is on line ``number``."""
    text = lines[number - 1] if 0 < number <= len(lines) else ""
    after = _SUBJECT_TAG.search(text)
    words = after.group(1) if after is not None else ""
    if not words.strip() and number < len(lines):
        number, words = number + 1, lines[number]  # the subject on the line after its tag
    match = _HEADER.match(words)
    if match is None or match.group(1).lower() != "subject":
        return None
    return number, "subject_block", words.split("{%")[0].strip()


def mail_headers(source: str, name: str | None = None) -> list[tuple[int, str, str]]:
    """(line, header in lower case, the line as written) of each header line at a block's top.

    A ``SUBJECT:`` at the start of the subject block is reported as header ``subject_block``.

    Lexed as the renderer lexes (its delimiters, :func:`~greeter.template_env.syntax_tokens`).
    Raises what that raises for a file that does not lex (reported elsewhere as a syntax error).
    """
    lines = source.splitlines()
    found: list[tuple[int, str, str]] = []
    starts, subjects = _block_tops(source, name)
    found.extend(hit for number in subjects if (hit := _subject_header(lines, number)) is not None)
    for number in starts:
        text = lines[number - 1] if 0 < number <= len(lines) else ""
        if "%}" in text and _TAG_ONLY.fullmatch(text) is None:
            text = text[text.rindex("%}") + 2 :]  # the words after the block's own tag, on its line
        seen = False
        while "endblock" not in text:
            match = _HEADER.match(text)
            if match is not None:
                found.append((number, match.group(1).lower(), text.strip()))
                seen = True
            elif not text.strip():
                if seen:
                    break  # a blank line ends the headers, as in a message
            elif _TAG_ONLY.fullmatch(text) is None:
                break  # the letter's first words
            number += 1
            if number > len(lines):
                break
            text = lines[number - 1]
    return sorted(found)
