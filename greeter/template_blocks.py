"""Rendering one block of a template's extends chain, and tidying what a block gives.

Split from :mod:`greeter.render`: each block of a letter (``subject``,
``text``, ``html``) is rendered on its own, so the subject never pays for the
HTML; this is the Jinja plumbing that makes a single block behave as it would
in a whole-template render, and the clean-up applied to the text it gives.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Template
from jinja2.runtime import Context

from greeter.template_env import LetterContext

__all__ = ["block_context", "one_line", "render_block", "tidy_text"]


def one_line(text: str) -> str:
    """``text`` with every run of whitespace, newlines included, made one space: a subject's one line."""
    return " ".join(text.split())


def tidy_text(text: str) -> str:
    """Lines right-stripped, the whole stripped, and every run of blank lines made one blank line.

    The runs are collapsed by replacing three newlines with two until none are
    left (each pass shortens every run of three or more by at least one), which
    gives what ``re.sub(r"\n{3,}", "\n\n", ...)`` gives: the regex tried a match
    at every character of the letter (7 % of a letter's rendering instructions), where
    ``str.replace`` and ``in`` scan for the newlines in C.
    """
    lines = "\n".join(map(str.rstrip, text.splitlines())).strip()
    while "\n\n\n" in lines:
        lines = lines.replace("\n\n\n", "\n\n")
    return lines


def render_block(context: Context, name: str) -> str:
    """The output of block ``name`` (its first override: the child's) rendered in ``context``.

    Held to :data:`~greeter.template_limits.MAX_OUTPUT`: a loop printing a long
    value many times builds a letter of gigabytes, though every value in it is
    within the limits.
    """
    from greeter.template_limits import output

    return output(context.blocks[name][0](context), f"block {name!r}")


@functools.lru_cache(maxsize=256)
def _flat_globals(template: Template) -> dict[str, Any]:
    return dict(template.globals)


def block_context(chain: tuple[Template, ...], values: dict[str, Any]) -> Context:
    """A context for rendering single blocks, with the blocks of every extended template.

    Mirrors what ``{% extends %}`` does at run time (each parent's blocks are
    appended behind the child's), so ``{% block %}`` overrides and ``super()``
    behave exactly as in a whole-template render.
    """
    first = chain[0]
    # What Template.new_context does, with the template's globals (a ChainMap over the
    # environment's, walked key by key on every call) flattened once per template. Jinja uses
    # a context's ``globals`` only to see whether a template imported from it ({% from "_ru.j2"
    # import … %}) lacks globals the importer has, to build that module afresh; greeter's
    # templates all have the environment's globals (none of their own), so the answer is
    # always "no" and the cached module is used. Passing none skips two ChainMap walks and a
    # set difference per import per render (~10 % of a letter's rendering) for the same answer.
    context = LetterContext(first.environment, {**_flat_globals(first), **values}, first.name, {})
    # The override stacks are shared, read-only tuples: Jinja only indexes them (a block
    # reference, super(), TemplateReference), and appends to them only in a template's
    # top-level code, which a letter context never runs — were it to, append() on a tuple
    # fails instead of a letter changing the stacks the next letters render with.
    context.blocks = dict(_chain_blocks(chain))  # type: ignore[arg-type]
    return context


@functools.lru_cache(maxsize=256)
def _chain_blocks(chain: tuple[Template, ...]) -> dict[str, tuple[Any, ...]]:
    """Each block's override stack for an extends chain (child first), as ``{% extends %}`` builds it."""
    stacks: dict[str, list[Any]] = {}
    for template in chain:
        for name, func in template.blocks.items():
            stacks.setdefault(name, []).append(func)
    return {name: tuple(stack) for name, stack in stacks.items()}
