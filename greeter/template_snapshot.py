"""A templates folder read once into memory, and the Jinja loader that serves templates from it.

Split from :mod:`greeter.render`: what a renderer renders from is a snapshot
of the folder (:class:`TemplateFiles`), never the disk, so that what was
validated is what is sent; ``greeter check``'s file checks
(:mod:`greeter.check_files`) read the same snapshot without rendering.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from jinja2 import BaseLoader, Environment, Template, TemplateNotFound, nodes
from jinja2.loaders import split_template_path

from greeter.template_files import resolves_inside

__all__ = ["SUFFIX", "SnapshotLoader", "TemplateFiles"]

#: Template file suffix.
SUFFIX: Final = ".j2"


@dataclass(frozen=True)
class TemplateFiles:
    """A templates folder as it was when read: every ``*.j2`` file in it, by name, in memory.

    A renderer renders from one of these, never from the disk, so that what
    was validated is what is sent: the daemon takes the snapshot when it
    (re)loads its config and keeps it until the next successful reload, so a
    template saved half-edited changes nothing until SIGHUP — and a SIGHUP
    that finds it broken keeps the old snapshot in force. ``send --once``,
    ``preview`` and ``check`` read it once, like the config. The whole folder
    is read, not only the files the occasions name, because templates pull
    in others (``{% extends "_layout.html.j2" %}``, ``{% from "_ru.j2" import
    … %}``, an include by a computed name) and each must come from the same
    moment. Names are relative, ``/``-separated (subfolders included); hidden
    files and folders (an editor's ``.birthday.j2.swp``, ``.git``) are left out.
    Bytes are kept undecoded so that a file not in UTF-8 is reported where it
    is used, with its line, as before.
    """

    folder: Path
    files: Mapping[str, bytes] = field(default_factory=lambda: MappingProxyType({}))
    #: The ``*.j2`` names that are symbolic links out of the folder, not read: said so where used.
    outside: frozenset[str] = frozenset()

    @classmethod
    def read(cls, folder: Path) -> TemplateFiles:
        """The ``*.j2`` files under ``folder`` now (none if no folder; an unreadable one is absent)."""
        found: dict[str, bytes] = {}
        outside: set[str] = set()
        root = Path(folder)
        if root.is_dir():
            for path in sorted(root.rglob(f"*{SUFFIX}")):
                name = path.relative_to(root)
                if any(part.startswith(".") for part in name.parts):
                    continue
                if not resolves_inside(root, path):
                    outside.add(name.as_posix())
                    continue
                try:
                    found[name.as_posix()] = path.read_bytes()
                except OSError:
                    continue  # as if absent: "template not found" where it is used
        return cls(root, MappingProxyType(found), frozenset(outside))

    def __contains__(self, name: object) -> bool:
        return name in self.files


class OutsideTemplate(TemplateNotFound):
    """A template name that is a symbolic link pointing outside the templates folder: never read.

    ``ln -s /etc/passwd templates/leak.j2`` and ``{% include "leak.j2" %}`` said
    ``template not found: leak.j2`` — true, and no help to whoever sees the file
    there. :func:`greeter.template_errors.describe` says what it is.
    """

    def __init__(self, name: str) -> None:
        super().__init__(
            name, f"{name} is a symbolic link pointing outside the templates folder: it is not read"
        )


class SnapshotLoader(BaseLoader):
    """Serves templates from a :class:`TemplateFiles`, as Jinja's ``FileSystemLoader`` serves a folder.

    A file's parse tree that the renderer already made with an environment (to read the
    file's :class:`Shape`) is handed to that environment's compiler instead of the
    source, once: the same tree its compile would parse from the same text, without
    lexing and parsing it a second time (a fifth of the first letter's cost).
    """

    def __init__(self, snapshot: TemplateFiles) -> None:
        self.snapshot = snapshot
        #: (environment, file name) → the file's parse tree made by that environment, not compiled yet.
        self.parsed: dict[tuple[Environment, str], nodes.Template] = {}

    def load(
        self, environment: Environment, name: str, globals: MutableMapping[str, Any] | None = None
    ) -> Template:
        ast = self.parsed.pop((environment, name), None)
        if ast is None:
            return super().load(environment, name, globals)  # with the environment's code cache
        source, filename, uptodate = self.get_source(environment, name)
        cache = environment.bytecode_cache
        bucket = cache.get_bucket(environment, name, filename, source) if cache is not None else None
        code = bucket.code if bucket is not None else None
        if code is None:
            code = environment.compile(ast, name, filename)  # the tree is used once: compiling may alter it
            if cache is not None and bucket is not None:
                bucket.code = code
                cache.set_bucket(bucket)
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        name = "/".join(split_template_path(template))  # no '..', as FileSystemLoader
        data = self.snapshot.files.get(name)
        if data is None:
            if name in self.snapshot.outside:
                raise OutsideTemplate(template)
            raise TemplateNotFound(template)
        return data.decode("utf-8"), str(self.snapshot.folder / name), lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.snapshot.files)
