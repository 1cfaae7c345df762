"""Line breaks a template loses to ``trim_blocks`` where its author meant to keep them (pure).

Templates are read with Jinja's ``trim_blocks`` and ``lstrip_blocks`` so that
a line holding only a tag (``{% if also %}``) disappears whole. The same rule
also removes the line break after a tag that *ends a line of text*. Often
that is meant — the shipped letters end a sentence with ``{% endif %}`` and go
on with the next sentence in the same paragraph — but when a blank line
follows (a new paragraph: ``…and inspiration{% endif %}``, then ``{% if also
%}``, an empty line and the ``also`` paragraph) the letter gets one line
break where the source shows a blank line: the paragraphs are glued in the
text part, one ``<br>`` short in the HTML. A marketer copying the shipped
pattern met it and nothing said so: the letter rendered, just wrongly.
``greeter check`` warns with the file and line, and the fix (``{% endif +%}``
keeps the break).

Only closing tags without ``-`` are judged (``endif``, ``endfor``,
``endwith``, ``endcall``, ``endfilter``); ``-%}`` strips on purpose. A break
eaten before ``{% endblock %}`` loses nothing, nor does one inside a
``subject`` block (one line anyway) or an ``html`` block (HTML ignores it).
"""

from __future__ import annotations

from greeter.template_env import syntax_tokens

__all__ = ["CLOSING_TAGS", "eaten_breaks"]

#: The tags whose eaten break is judged (see the module's docstring).
CLOSING_TAGS = frozenset({"endif", "endfor", "endwith", "endcall", "endfilter"})
#: Blocks where a lost line break changes nothing a reader sees.
_BREAKLESS_BLOCKS = frozenset({"subject", "html"})


def eaten_breaks(source: str, name: str | None = None) -> list[tuple[int, str]]:
    """(line, tag) of each closing tag that ends a line of text and so takes its line break.

    Lexed as the renderer lexes (its delimiters and trim settings,
    :func:`~greeter.template_env.syntax_tokens`): that lexer marks an eaten
    break as a ``block_end`` token ending in a newline. Raises what it raises
    for a file that does not lex (reported elsewhere as a syntax error).
    """
    found: list[tuple[int, str]] = []
    text_on_line = False  # something printed on the current line before the tag
    blocks: list[str] = []
    tag: str | None = None  # the tag being read between block_begin and block_end
    pending: tuple[int, str] | None = None  # an eaten break, kept unless {% endblock %} follows
    expect_block_name = False
    for line, token, value in syntax_tokens(source, name):
        if token == "whitespace":
            continue
        if pending is not None and token not in ("block_begin", "name", "block_end"):
            if token == "data" and value.startswith("\n"):
                found.append(pending)  # a blank line in the source, one line break in the letter
            pending = None
        if token == "data":
            after = value.rpartition("\n")
            text_on_line = bool(after[2].strip()) if after[1] else text_on_line or bool(value.strip())
        elif token in ("variable_begin", "raw_begin"):
            text_on_line = True
        elif token == "comment" and "\n" in value:
            text_on_line = False
        elif token == "block_begin":
            tag, expect_block_name = None, False
        elif token == "name" and tag is None:
            tag = value
            if value == "endblock":
                pending = None  # the block ends: nothing of it follows the break
            expect_block_name = value == "block"
            if value == "endblock" and blocks:
                blocks.pop()
        elif token == "name" and expect_block_name:
            blocks.append(value)
            expect_block_name = False
        elif token == "block_end":
            breakless = any(b in _BREAKLESS_BLOCKS for b in blocks)
            if value.endswith("\n"):
                if tag in CLOSING_TAGS and text_on_line and not breakless and not value.startswith("-"):
                    pending = (line, tag)
                text_on_line = False
            tag, expect_block_name = None, False
    if pending is not None:
        found.append(pending)
    return found
