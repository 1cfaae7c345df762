"""Each template file's :class:`~greeter.template_shape.Shape` kept on disk beside its compiled code.

Why: every process that renders letters (``send``, ``preview``, ``check``, the
daemon) reads the shape of each file of a letter's chain — what it extends,
its blocks, its problems — from Jinja's parse tree. The compiled code comes
from the bytecode cache (:mod:`greeter.template_code`), but the parse for the
shape did not: ~35 ms of every command's start. With the shape on disk a warm
process parses nothing, and its compile goes through the bytecode cache.

Why a shape found is the shape a parse would give: the file's name is a
SHA-256 of everything the parse and :func:`~greeter.template_shape.shape_of`
depend on — the template's text (the snapshot's bytes, never an mtime), the
settings of the environment that change what its lexer and parser make of
a text (delimiters, ``trim_blocks``, line statements, extensions), Jinja's
and greeter's versions, and the source of the modules that parse and read
the tree (their edits between releases). A file that does not parse is never
stored: its syntax error is found by parsing it again, word for word as before.

Why it is safe to read: the files are JSON, validated field by field into a
Shape (never unpickled), found only in a folder of this user's that nobody
else can write to, and each names its own key; anything else — missing,
unreadable, malformed, another key — is read as no cache, and the file parsed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

import jinja2
from jinja2 import Environment

import greeter
from greeter.cache_dir import modules_digest, private_folder, prune_cache_files, write_cache_file
from greeter.template_shape import BlockBody, Shape

__all__ = ["KEEP", "ShapeCache", "shape_from_json", "shape_to_json"]

#: Bumped when the file format changes (old files are then simply not found). 2: ``pure``.
FORMAT: Final = 2
#: The modules whose source decides the shape a text gets (next to this one).
SHAPE_MODULES: Final = (
    "template_shape.py",
    "template_env.py",
    "template_codegen.py",  # TIMED_LOOP: the filter name every parsed loop holds (Sandbox._parse)
    "template_shape_cache.py",
    "template_memo.py",  # pure_file: which files' macro texts are kept (Shape.pure)
)

#: How many shapes are kept (``<key>.shape``, under 1 KB each): each edit of a template is a new
#: key (its text is), so a file per edit stayed for ever. Many edits' worth beyond the files of
#: a large project; one still in use whose file was pruned is parsed once more and kept again.
KEEP: Final = 1024

T = TypeVar("T")


def _modules_digest() -> str | None:
    """A digest of the modules that parse and read templates; None: unknown (a zip), no cache."""
    return modules_digest(SHAPE_MODULES)


def parse_settings(env: Environment) -> str:
    """The settings of ``env`` that change what its lexer and parser make of a text, as one string."""
    extensions = sorted(f"{type(e).__module__}.{type(e).__qualname__}" for e in env.extensions.values())
    return json.dumps(
        [
            env.block_start_string, env.block_end_string, env.variable_start_string,
            env.variable_end_string, env.comment_start_string, env.comment_end_string,
            env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
            env.newline_sequence, env.keep_trailing_newline, extensions,
        ]
    )  # fmt: skip


class ShapeCache:
    """The shapes of the files one environment parses, in ``folder`` (the compiled templates' folder).

    Nothing is read or made until a shape is asked for; a folder that cannot be
    used means parsing every time, as with no cache.
    """

    def __init__(self, folder: Path, env: Environment) -> None:
        self._folder = folder
        digest = _modules_digest()
        self._salt: str | None = (
            None
            if digest is None
            else f"shape {FORMAT}\0jinja2 {jinja2.__version__}\0greeter {greeter.__version__}\0"
            f"{digest}\0{parse_settings(env)}\0"
        )
        self._usable: bool | None = None
        self._pruned = False

    def key(self, source: str) -> str | None:
        """The key of the shape of a file whose text is ``source``; None: not cached."""
        if self._salt is None:
            return None
        return hashlib.sha256(self._salt.encode() + source.encode("utf-8")).hexdigest()

    def load(self, key: str) -> Shape | None:
        """The shape stored under ``key``, or None (none, unusable, or not exactly a shape)."""
        if not self._ready(create=False):
            return None
        try:
            data = (self._folder / f"{key}.shape").read_bytes()
            return shape_from_json(data, key)
        except (OSError, ValueError, RecursionError):  # JSON errors, wrong fields: parse instead
            return None

    def store(self, key: str, shape: Shape) -> None:
        """Keep ``shape`` under ``key`` (whole or not at all; silently not when the folder is unusable)."""
        if self._ready(create=True):
            path = self._folder / f"{key}.shape"
            write_cache_file(path, shape_to_json(shape, key))
            if not self._pruned:  # once a process, as the compiled templates (template_code.KEEP)
                self._pruned = True
                prune_cache_files(path, KEEP)

    def _ready(self, *, create: bool) -> bool:
        if self._usable is not None and (self._usable or not create):
            return self._usable
        usable = private_folder(self._folder, create=create)
        if usable is None:
            return False  # not made yet: asked again when the first shape is stored
        self._usable = usable
        return usable


def shape_to_json(shape: Shape, key: str) -> bytes:
    """``shape`` as the JSON :func:`shape_from_json` reads back (sets sorted, mappings in order)."""
    return json.dumps(
        {
            "format": FORMAT,
            "key": key,
            "parent": shape.parent,
            "blocks": sorted(shape.blocks),
            "problems": shape.problems,
            "references": shape.references,
            "bodies": [
                [name, body.calls, body.nested, body.calls_super] for name, body in shape.bodies.items()
            ],
            "names": shape.names,
            "imports": shape.imports,
            "exports": sorted(shape.exports),
            "bound": sorted(shape.bound),
            "block_lines": [(line, name) for name, line in shape.block_lines.items()],
            "pure": shape.pure,
        },
        ensure_ascii=False,
    ).encode("utf-8")


def shape_from_json(data: bytes, key: str) -> Shape:
    """The shape ``data`` holds, stored under ``key``; ValueError for anything else."""
    doc = json.loads(data)
    if type(doc) is not dict or set(doc) != _FIELDS or doc["format"] != FORMAT or doc["key"] != key:
        raise ValueError("not this key's shape")
    bodies = {
        _str(name): BlockBody(_tuple(calls, _line_name), _tuple(nested, _str), _bool(calls_super))
        for name, calls, nested, calls_super in (_items(entry, 4) for entry in _list(doc["bodies"]))
    }
    return Shape(
        parent=None if doc["parent"] is None else _str(doc["parent"]),
        blocks=frozenset(_tuple(doc["blocks"], _str)),
        problems=_tuple(doc["problems"], _line_name),
        references=_tuple(doc["references"], _line_name),
        bodies=bodies,
        names=_tuple(doc["names"], _name_use),
        imports=_tuple(doc["imports"], _import),
        exports=frozenset(_tuple(doc["exports"], _str)),
        bound=frozenset(_tuple(doc["bound"], _str)),
        block_lines={name: line for line, name in _tuple(doc["block_lines"], _line_name)},
        pure=_bool(doc["pure"]),
    )


#: The fields of a stored shape, all required.
_FIELDS: Final = frozenset(
    {"format", "key", "parent", "blocks", "problems", "references", "bodies", "names", "imports"}
    | {"exports", "bound", "block_lines", "pure"}
)


# ---------------------------------------------------------------------- validation (ValueError)


def _str(value: object) -> str:
    if type(value) is not str:
        raise ValueError("not a string")
    return value


def _int(value: object) -> int:
    if type(value) is not int:  # not a bool either
        raise ValueError("not an integer")
    return value


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise ValueError("not a boolean")
    return value


def _list(value: object) -> list[Any]:
    if type(value) is not list:
        raise ValueError("not a list")
    return value


def _items(value: object, count: int) -> list[Any]:
    found = _list(value)
    if len(found) != count:
        raise ValueError(f"not {count} items")
    return found


def _tuple(value: object, item: Callable[[Any], T]) -> tuple[T, ...]:
    return tuple(item(entry) for entry in _list(value))


def _line_name(value: object) -> tuple[int, str]:
    line, name = _items(value, 2)
    return _int(line), _str(name)


def _name_use(value: object) -> tuple[int, str, str]:
    line, kind, name = _items(value, 3)
    return _int(line), _str(kind), _str(name)


def _import(value: object) -> tuple[int, str, tuple[str, ...]]:
    line, ref, names = _items(value, 3)
    return _int(line), _str(ref), _tuple(names, _str)
