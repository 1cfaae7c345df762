"""A letter's text part as RFC 3676 ``format=flowed`` (``DelSp=no``) lines: readable as it stands.

The renderer writes each paragraph of the text part as one line (168–251
characters in the shipped letters), and the unsubscribe link on the line of its
sentence. A reader of plain text — an assistant's client that shows text only,
a terminal, a phone's "plain text" view — got each paragraph as one line to
scroll sideways, or cut wherever the client liked. Flowed text cuts a long
line into lines of at most :data:`WIDTH` characters, each but the last ending
in a space (a *soft* break), so that:

* a client that knows ``format=flowed`` (Apple Mail, Thunderbird, most phones)
  joins the lines of a paragraph again and wraps them to its window;
* one that does not shows short lines, readable at any width.

The space a line is cut after stays at its end (``DelSp=no``: the space is the
text's own, nothing is deleted when the lines are joined). A web address is
never cut: it starts a line of its own, and the words after it start the next,
so a client that makes links of addresses finds the whole of it; an address
longer than the width is a longer line (still far below SMTP's 998 octets).
A line that begins with a space, ``>`` or ``From `` gets one space before it
(*space-stuffing*, RFC 3676 §4.4), which a flowed reader takes off again: else
it would read as a quotation or, in an mbox file, a new message. A hard line
(the end of a paragraph) never ends in a space, which would make it soft — but
the signature separator ``-- ``, which RFC 3676 §4.3 keeps as it is.

Pure. Text whose lines are all short and need no stuffing — most of a letter —
is returned as it is, without splitting it into words.
"""

from __future__ import annotations

from typing import Final

#: The longest line cut (its trailing space included); RFC 3676 §4.2 asks for at most 78,
#: and 76 is what the base64 and quoted-printable lines of mail are.
WIDTH: Final = 76

#: The parameters a flowed ``text/plain`` part's Content-Type carries after its charset.
CONTENT_TYPE_PARAMS: Final = '; format="flowed"; delsp="no"'

#: A line a flowed reader would take for something else unless stuffed (RFC 3676 §4.4).
_STUFFED: Final = (" ", ">", "From ")

#: The signature separator, a hard line ending in a space (RFC 3676 §4.3).
_SIGNATURE_SEPARATOR: Final = "-- "


def flowed(text: str) -> str:
    """``text`` (lines joined by ``\\n``) as ``format=flowed; delsp=no`` lines, joined by ``\\n``.

    Joined again as a flowed reader joins them (a line ending in a space runs
    on into the next, after taking off one leading stuffing space), the result
    is ``text`` with the trailing spaces of its lines taken off.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    care = _needs_care(text)
    if not care and max(map(len, lines)) <= WIDTH:
        return text
    out: list[str] = []
    for line in lines:
        if care and line != _SIGNATURE_SEPARATOR:
            line = line.rstrip(" ")
        if len(line) <= WIDTH:  # without care, no line needs stuffing: only the pieces of a cut one may
            out.append(" " + line if care and line.startswith(_STUFFED) else line)
            continue
        for piece in _cut(line):
            out.append(" " + piece if piece.startswith(_STUFFED) else piece)
    return "\n".join(out)


def _needs_care(text: str) -> bool:
    """Whether a line of ``text`` may need stuffing, or ends in a space (or is the signature
    separator, which keeps its own): asked of the whole text at once, in C, not line by line."""
    return (
        text.startswith(_STUFFED)
        or text.endswith(" ")
        or "\n " in text
        or "\n>" in text
        or "\nFrom " in text
        or " \n" in text
    )


def _cut(line: str) -> list[str]:
    """A long line cut after spaces into pieces of at most :data:`WIDTH` characters where its words
    allow, each but the last ending in the space it was cut after; a word holding an address on
    a piece of its own (with the spaces after it)."""
    pieces: list[str] = []
    start = 0
    while (hit := _address_at(line, start)) >= 0:
        begin = max(start, line.rfind(" ", start, hit) + 1)  # where the address's word begins
        end = line.find(" ", hit)
        end = len(line) if end < 0 else len(line) - len(line[end:].lstrip(" "))
        _fill(line[start:begin], pieces)
        pieces.append(line[begin:end])
        start = end
    _fill(line[start:], pieces)
    if _SIGNATURE_SEPARATOR in pieces[:-1]:  # a soft "-- " would read as the separator: not cut there
        joined = [pieces[0]]
        for piece in pieces[1:]:
            if joined[-1] == _SIGNATURE_SEPARATOR:
                joined[-1] += piece
            else:
                joined.append(piece)
        return joined
    return pieces


def _address_at(line: str, start: int) -> int:
    """Where the first address of ``line`` from ``start`` on is (its ``://`` or ``mailto:``), or -1.

    Two ``str.find`` rather than a regular expression: a pattern for a whole word holding an
    address backtracked through every word of the line, half the cost of flowing a letter."""
    web = line.find("://", start)
    mail = line.find("mailto:", start)
    return web if mail < 0 or 0 <= web < mail else mail


def _fill(text: str, pieces: list[str]) -> None:
    """``text`` (no address in it) cut into ``pieces`` greedily: each piece up to and including the
    last space that keeps it within :data:`WIDTH`, or after its first word when that is longer."""
    while len(text) > WIDTH:
        cut = text.rfind(" ", 0, WIDTH)
        if cut < 0:
            cut = text.find(" ", WIDTH)
            if cut < 0:
                break
        pieces.append(text[: cut + 1])
        text = text[cut + 1 :]
    if text:
        pieces.append(text)
