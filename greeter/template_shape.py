"""What a template file declares at its top level, read from its parsed tree (pure: no I/O).

The renderer renders each block of a letter on its own, so what a file's top
level does outside blocks never runs, and a block a layout calls with
``self.<block>()`` must exist somewhere in the extends chain. Both are found
here, from Jinja's AST, once per file: :func:`shape_of` describes one file and
:func:`block_problems` judges one chain, so that ``greeter check`` and the
renderer report such mistakes at the template, before any contact is tried.
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from jinja2 import nodes

from greeter.template_memo import pure_file

__all__ = [
    "TEXT_OUTSIDE",
    "BlockBody",
    "Shape",
    "block_problems",
    "letter_blocks",
    "shape_of",
    "unknown_imports",
    "unrendered_blocks",
]


@dataclass(frozen=True, slots=True)
class Shape:
    """What one file's top level declares, found by parsing it (once)."""

    parent: str | None
    blocks: frozenset[str]
    #: (line, message) for what cannot work when blocks are rendered on their own.
    problems: tuple[tuple[int, str], ...]
    #: (line, name) of templates named literally by extends/include/import.
    references: tuple[tuple[int, str], ...]
    #: What each block's own body does (by block name): see :class:`BlockBody`.
    bodies: Mapping[str, BlockBody] = field(default_factory=dict)
    #: (line, "filter" or "test", name) of each filter and test the file uses, first use only.
    names: tuple[tuple[int, str, str], ...] = ()
    #: (line, template, names) of each ``{% from "x" import a, b as c %}`` naming its file literally.
    imports: tuple[tuple[int, str, tuple[str, ...]], ...] = ()
    #: What ``{% from %}`` can take from this file: its top-level macros and ``{% set %}`` names.
    exports: frozenset[str] = frozenset()
    #: Every name the file binds (imports, macros, ``set``, ``for``, macro arguments): the
    #: names a "did you mean" may offer for an undefined one, besides the letter's variables.
    bound: frozenset[str] = frozenset()
    #: The line of each ``{% block %}`` the file defines (a misnamed one is named at its line).
    block_lines: Mapping[str, int] = field(default_factory=dict)
    #: Whether every macro of the file is a function of its arguments
    #: (:func:`~greeter.template_memo.pure_file`): their texts are kept when it is imported. Here,
    #: with the rest of what its tree says, so that a warm process does not parse the file for it.
    pure: bool = False


@dataclass(frozen=True, slots=True)
class BlockBody:
    """What rendering one ``{% block %}`` body leads to: the blocks it renders in turn.

    Read from the parsed file so that a block a layout needs and the occasion
    template lacks (``self.message()`` with ``{% block message %}`` deleted)
    is reported at the template, before any contact, instead of as Jinja's
    "'TemplateReference object' has no attribute 'message'" inside the layout.
    """

    #: (line, block name) of each ``self.<block>()`` call in the body.
    calls: tuple[tuple[int, str], ...]
    #: Blocks nested in the body (rendered where they stand), in source order.
    nested: tuple[str, ...]
    #: Whether the body calls ``super()`` (the parent's body of the same block runs too).
    calls_super: bool


def _is_blank_output(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Output) and all(
        isinstance(child, nodes.TemplateData) and not child.data.strip() for child in node.nodes
    )


_TAGS: Final = {"Assign": "set", "AssignBlock": "set", "FromImport": "from", "CallBlock": "call"}


def _tag_name(node: nodes.Node) -> str:
    kind = type(node).__name__
    return _TAGS.get(kind, kind.lower())


#: The problem of words at a file's top level (a letter pasted whole, mailmerge's): the renderer
#: words where they go from the chain the file extends (:func:`letter_blocks`).
TEXT_OUTSIDE: Final = "text outside a block is never rendered (each block is rendered on its own)"


def letter_blocks(
    file: str, parent: str | None, parents: Sequence[tuple[str, Shape]] | None, layout: str | None
) -> str:
    """Where the words of ``file`` go, for :data:`TEXT_OUTSIDE`: the blocks a letter writes.

    A file pasted from another tool is all top-level text, and "move it into
    the block that uses it" named no block. Without ``{% extends %}`` a letter
    is its ``subject``, ``text`` and optional ``html`` blocks (``layout``: the
    folder's ``_layout.html.j2``, offered instead); extending a layout, the
    blocks that layout calls and lacks — ``subject`` and ``message`` for the
    shipped one — and those it defines a letter may override. ``parents``:
    the chain above ``file`` (None when it cannot be read: named only).
    """
    if parent is None:
        words = (
            "a letter is {% block subject %} (its one-line subject), {% block text %} (its words)"
            " and optionally {% block html %}"
        )
        if layout is not None:
            words += (
                f', or, under {{% extends "{layout}" %}}, {{% block subject %}} and {{% block message %}}'
                " (the layout adds the salutation and the signature)"
            )
        return f"{words}; move each line into the block it belongs to"
    if parents is None:
        return f"{file} extends {parent}: move each line into a block {parent} renders"
    defined, _, missing = _reach(parents)
    needed = [name for name in ("subject", "text") if name not in defined]
    needed += [name for name in missing if name not in needed]
    optional = sorted(defined - set(_ROOT_BLOCKS) - set(needed))
    words = f"{file} extends {parent}, whose letter is " + " and ".join(
        f"{{% block {name} %}}" for name in needed
    )
    if optional:
        words += f" (it may also override {', '.join(optional)})"
    return f"{words}; move each line into the block it belongs to"


def shape_of(ast: nodes.Template) -> Shape:
    parent: str | None = None
    problems: list[tuple[int, str]] = []
    for node in ast.body:
        if isinstance(node, nodes.Extends):
            if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
                if parent is not None:
                    problems.append((node.lineno, "a second {% extends %}"))
                parent = node.template.value
            else:
                problems.append((node.lineno, "{% extends %} must name a template literally"))
        elif isinstance(node, nodes.Output) and not _is_blank_output(node):
            problems.append((node.lineno, TEXT_OUTSIDE))  # which blocks to use: letter_blocks()
        elif not isinstance(node, nodes.Block) and not _is_blank_output(node):
            problems.append(
                (
                    node.lineno,
                    f"{{% {_tag_name(node)} %}} outside a block is never rendered (each block is rendered"
                    " on its own); move it into the block that uses it",
                )
            )
    references: list[tuple[int, str]] = []
    found: list[nodes.Block] = []
    # One walk of the tree for both (in source order, as two separate find_all walks give).
    for ref in ast.find_all((nodes.Block, nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        if isinstance(ref, nodes.Block):
            found.append(ref)
            continue
        assert isinstance(ref, nodes.Extends | nodes.Include | nodes.Import | nodes.FromImport)
        target = ref.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            if isinstance(ref, nodes.Include) and ref.ignore_missing:
                continue
            references.append((ref.lineno, target.value))
    blocks = frozenset(block.name for block in found)
    bodies = {block.name: _block_body(block) for block in found}
    return Shape(
        parent, blocks, tuple(problems), tuple(references), bodies, _filter_names(ast),
        _imports(ast), _exports(ast), _bound(ast), {block.name: block.lineno for block in found},
        pure_file(ast),
    )  # fmt: skip


def _imports(ast: nodes.Template) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    found: list[tuple[int, str, tuple[str, ...]]] = []
    for node in ast.find_all(nodes.FromImport):
        target = node.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            names = tuple(n if isinstance(n, str) else n[0] for n in node.names)
            found.append((node.lineno, target.value, names))
    return tuple(found)


def _exports(ast: nodes.Template) -> frozenset[str]:
    """Jinja's exports: top-level macros and ``set`` names, except those starting with ``_``."""
    names: set[str] = set()
    for node in ast.body:
        if isinstance(node, nodes.Macro):
            names.add(node.name)
        elif isinstance(node, nodes.Assign | nodes.AssignBlock):
            names.update(n.name for n in node.target.find_all(nodes.Name))
            if isinstance(node.target, nodes.Name):
                names.add(node.target.name)
    return frozenset(n for n in names if not n.startswith("_"))


def _bound(ast: nodes.Template) -> frozenset[str]:
    names = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names.update(n.name for n in ast.find_all(nodes.Macro))
    names.update(n.target for n in ast.find_all(nodes.Import))
    for node in ast.find_all(nodes.FromImport):
        names.update(n if isinstance(n, str) else n[1] for n in node.names)
    return frozenset(names)


#: A name ``{% from %}`` imports that its file lacks: (line, file, name, the name meant or None).
Misimport = tuple[int, str, str, str | None]


def misimported(shape: Shape, exports: Mapping[str, frozenset[str]]) -> list[Misimport]:
    """Each name ``{% from %}`` imports that its file lacks (:data:`Misimport`).

    ``exports`` holds the exports of the imported files that could be read.
    """
    found: list[Misimport] = []
    for line, ref, names in shape.imports:
        known = exports.get(ref)
        if known is None:
            continue
        for name in names:
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                found.append((line, ref, name, close[0] if close else None))
    return found


def unknown_imports(shape: Shape, exports: Mapping[str, frozenset[str]]) -> list[tuple[int, str]]:
    """(line, message) for each name ``{% from %}`` imports that its file does not define.

    Jinja does not fail at the import: the name is undefined where it is used
    (``also_line(...)`` some lines below, with no word of the import), so the
    mistake is named here, at its own line, with the name meant.
    """
    problems: list[tuple[int, str]] = []
    for line, ref, name, close in misimported(shape, exports):
        meant = f", did you mean {close!r}?" if close else f" (it has: {', '.join(sorted(exports[ref]))})"
        problems.append((line, f"{ref} has no macro or variable {name!r} to import{meant}"))
    return problems


def _filter_names(ast: nodes.Template) -> tuple[tuple[int, str, str], ...]:
    """Each filter and test name the file uses, at its first use (check reports it once)."""
    first: dict[tuple[str, str], int] = {}
    for node in ast.find_all((nodes.Filter, nodes.Test)):
        kind = "filter" if isinstance(node, nodes.Filter) else "test"
        first.setdefault((kind, node.name), node.lineno)
    return tuple(sorted((line, kind, name) for (kind, name), line in first.items()))


def _block_body(block: nodes.Block) -> BlockBody:
    calls: list[tuple[int, str]] = []
    nested: list[tuple[int, str]] = []
    calls_super = False
    pending: list[nodes.Node] = list(block.iter_child_nodes())
    while pending:
        node = pending.pop()
        if isinstance(node, nodes.Block):
            nested.append((node.lineno, node.name))  # its own body is its own entry
            continue
        if isinstance(node, nodes.Call):
            target = node.node
            if isinstance(target, nodes.Getattr) and isinstance(target.node, nodes.Name):
                if target.node.name == "self":
                    calls.append((node.lineno, target.attr))
            elif isinstance(target, nodes.Name) and target.name == "super":
                calls_super = True
        pending.extend(node.iter_child_nodes())
    return BlockBody(tuple(sorted(calls)), tuple(name for _, name in sorted(nested)), calls_super)


#: The blocks a letter renders itself; everything else is reached from them.
_ROOT_BLOCKS: Final = ("subject", "text", "html")


def _reach(chain: Sequence[tuple[str, Shape]]) -> tuple[frozenset[str], set[str], dict[str, tuple[str, int]]]:
    """The blocks a chain defines, those rendering a letter reaches, and those it calls but lacks.

    Only bodies that really run count: a layout's block the child overrides
    (without ``super()``) calls nothing. A missing block maps to the first
    (file, line) that calls it, breadth first in order.
    """
    defined = frozenset().union(*(shape.blocks for _, shape in chain))
    seen: set[str] = set()
    todo: deque[str] = deque(name for name in _ROOT_BLOCKS if name in defined)
    missing: dict[str, tuple[str, int]] = {}
    while todo:
        name = todo.popleft()
        if name in seen:
            continue
        seen.add(name)
        for user, shape in chain:  # the bodies that run: the child's, then each parent's via super()
            body = shape.bodies.get(name)
            if body is None:
                continue
            for line, called in body.calls:
                if called in defined:
                    todo.append(called)
                else:
                    missing.setdefault(called, (user, line))
            todo.extend(body.nested)
            if not body.calls_super:
                break
    return defined, seen, missing


def block_problems(chain: Sequence[tuple[str, Shape]]) -> list[tuple[str, int | None, str]]:
    """What is wrong with the blocks of one extends chain (child first), as (file, line, message).

    A letter needs ``subject`` and ``text``; and every block that rendering
    them (and ``html``) reaches through ``self.<block>()`` must exist
    somewhere in the chain. A missing block is reported at the chain's first
    file — the template the marketer edits — naming the layout that needs
    it; when a block nothing renders is spelled like it (``{% block subjekt
    %}``), at that block's line, with the name meant (or, for a
    ``self.wht()`` of its own, the call meant). A required block the layout
    also calls is one problem, not two.
    """
    file = chain[0][0]
    problems: list[tuple[str, int | None, str]] = []
    defined, seen, missing = _reach(chain)
    absent = [required for required in ("subject", "text") if required not in defined]
    unrendered = sorted(name for name in defined - seen if name not in _ROOT_BLOCKS)
    for required in absent:
        where, line, meant = _misnamed(chain, required, unrendered, file, None)
        problems.append((where, line, f"no {{% block {required} %}} (nor in what it extends){meant}"))
    for name, (user, line) in missing.items():
        if name in absent:
            continue  # said above: the layout needing it too is no second mistake
        if user == file:  # the call is the marketer's too: its name is the likelier typo
            close = difflib.get_close_matches(name, unrendered, n=1)
            meant = f", did you mean self.{close[0]}()?" if close else ""
            problems.append((file, line, f"block {name!r} is missing (self.{name}() here needs it){meant}"))
        else:
            where, at, meant = _misnamed(chain, name, unrendered, file, None)
            message = f"block {name!r} is missing (the layout {user} needs it, line {line}){meant}"
            problems.append((where, at, message))
    return problems


def unrendered_blocks(chain: Sequence[tuple[str, Shape]]) -> list[tuple[str, int, str]]:
    """Blocks of the chain's first file that no letter renders and that are spelled like one it does.

    ``{% block headng %}`` in a letter whose layout renders ``heading``: the
    layout's own heading is printed, the override silently never, and nothing
    is missing for :func:`block_problems` to report. A warning (check only),
    since a block no layout renders may be kept on purpose; the did-you-mean
    is what makes it a likely mistake. One close to a missing block is
    :func:`block_problems`'s (an error naming it already).
    """
    file, shape = chain[0]
    defined, seen, missing = _reach(chain)
    wanted = {*missing, *(name for name in ("subject", "text") if name not in defined)}
    found: list[tuple[str, int, str]] = []
    for name in sorted(shape.blocks - seen - set(_ROOT_BLOCKS)):
        if difflib.get_close_matches(name, sorted(wanted), n=1):
            continue
        close = difflib.get_close_matches(name, sorted(seen), n=1)
        if close:
            message = (
                f"{{% block {name} %}} is never rendered (no layout uses it), did you mean {close[0]!r}?"
            )
            found.append((file, shape.block_lines[name], message))
    return found


def _misnamed(
    chain: Sequence[tuple[str, Shape]], name: str, unrendered: list[str], file: str, line: int | None
) -> tuple[str, int | None, str]:
    """Where to report a missing block ``name``, and the did-you-mean for a block spelled like it.

    ``{% block subjekt %}`` gave "no {% block subject %}" with no word of the
    block written for it, which nothing renders. When such a block is close
    to the missing name, the problem is reported at its line and names it.
    """
    close = difflib.get_close_matches(name, unrendered, n=1)
    for where, shape in chain if close else ():
        at = shape.block_lines.get(close[0])
        if at is not None:
            return where, at, f": {{% block {close[0]} %}} here is never rendered, did you mean {name!r}?"
    return file, line, ""
