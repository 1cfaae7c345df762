"""``greeter init [DIR]``: a starter project — ``greeter.yaml``, ``templates/``, sample contacts.

A wheel install has no checkout beside it: the commented example config, the
letter templates and the sample contacts live at the top of the repository,
so after ``pip install`` there was nothing to start from, and ``greeter
check`` in an empty folder could only say that no config is there. The wheel
now carries those files inside the package (pyproject maps the repository's
own ``config.example.yaml``, ``templates/*.j2`` and ``data/contacts.csv`` to
``greeter/_starter/``: one source, no second copy committed), and this
command writes them out, ready for ``greeter check`` and ``greeter preview``.

It never replaces a file: the ones it writes are the ones a user edits (the
config, the letters, the contacts export), so a second ``init`` over an edited
project refuses, names what is there and writes nothing — there is no
``--force``; remove the files, or init another folder and copy what is wanted.

Importing this module registers the command on the ``greeter`` group; it
imports neither the config machinery nor Jinja: it only copies files.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Final

import click

from greeter.cli import CONTEXT, DEFAULT_CONFIG, State, _config_option, handles_errors, main
from greeter.errors import EXIT_BUG, GreeterError, OutputError
from greeter.file_modes import make_group_folder, open_group_readable

if TYPE_CHECKING:  # importlib.resources is imported by init alone: every command loads this module
    from importlib.resources.abc import Traversable

#: The commented example config the starter's ``greeter.yaml`` is a copy of (the repository's top level).
EXAMPLE_CONFIG: Final = "config.example.yaml"
#: Where a wheel keeps the starter's files: a folder of the ``greeter`` package (pyproject's mapping).
PACKAGED: Final = "_starter"
#: The letter templates, copied whole: every ``*.j2`` of the folder, as pyproject ships them.
TEMPLATES: Final = "templates"
TEMPLATE_SUFFIX: Final = ".j2"
#: The sample contacts ``config.example.yaml`` reads (``contacts.path``), and nothing else of ``data/``:
#: a checkout's ``data/`` also holds its journal and outbox, which are nobody's starting point.
SAMPLE_DATA: Final = ("data/contacts.csv",)
#: How many of the existing files a refusal names before it counts the rest.
_NAMED: Final = 10


# Local: raised by this module alone; the CLI reports it as any GreeterError, by its exit code.
class StarterMissingError(GreeterError):
    """greeter was installed without its starter files: a packaging bug, not the user's to fix."""

    exit_code = EXIT_BUG


@dataclass(frozen=True, slots=True)
class StarterFile:
    """One file of the starter project: where it is read from, and its name in the project."""

    source: Traversable
    name: PurePosixPath


def starter_root() -> Traversable:
    """The folder holding ``config.example.yaml``, ``templates/`` and ``data/`` for this greeter.

    Inside the installed package when greeter came from a wheel. A source
    checkout — run with ``PYTHONPATH``, or installed editable, whose import
    hook maps Python packages only — has no ``greeter/_starter/``: there the
    files are the checkout's own, beside the ``greeter`` package. Either way
    they are this greeter's: never those of another installation.
    """
    from importlib import resources

    packaged = resources.files("greeter").joinpath(PACKAGED)
    if packaged.joinpath(EXAMPLE_CONFIG).is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / EXAMPLE_CONFIG).is_file() and (checkout / TEMPLATES).is_dir():
        return checkout
    raise StarterMissingError(
        f"greeter's starter files are not installed with it (no {EXAMPLE_CONFIG} in {packaged} "
        f"nor in {checkout}): a packaging bug; reinstall greeter from its wheel"
    )


def starter_files(root: Traversable) -> list[StarterFile]:
    """What ``init`` writes, in the order it writes it: the config, the sample contacts, the templates."""
    files = [StarterFile(root.joinpath(EXAMPLE_CONFIG), PurePosixPath(DEFAULT_CONFIG))]
    for name in SAMPLE_DATA:
        files.append(StarterFile(root.joinpath(*PurePosixPath(name).parts), PurePosixPath(name)))
    templates = root.joinpath(TEMPLATES)
    names = sorted(t.name for t in templates.iterdir() if t.name.endswith(TEMPLATE_SUFFIX) and t.is_file())
    files += [StarterFile(templates.joinpath(n), PurePosixPath(TEMPLATES, n)) for n in names]
    return files


def in_the_way(target: Path, files: Sequence[StarterFile]) -> list[str]:
    """The names (relative to ``target``) that are already taken: a file, a link (even a dangling
    one), a folder, or a file where a folder of the starter goes (``templates`` a file)."""
    taken: list[str] = []
    for folder in sorted({f.name.parent for f in files if f.name.parent != PurePosixPath(".")}):
        path = target / folder
        if (path.exists() or path.is_symlink()) and not path.is_dir():  # a link to a folder is one
            taken.append(f"{folder} (not a folder)")
    for file in files:
        path = target / file.name
        if path.exists() or path.is_symlink():
            taken.append(str(file.name))
    return taken


def refusal(target: Path, taken: Sequence[str]) -> str:
    """Pure: the one line that says ``init`` wrote nothing, naming what is in the way."""
    shown = ", ".join(taken[:_NAMED]) + (f" and {len(taken) - _NAMED} more" if len(taken) > _NAMED else "")
    return (
        f"{target}: greeter init never replaces a file, and {len(taken)} of its files"
        f" {'is' if len(taken) == 1 else 'are'} there "
        f"already: {shown}; nothing was written — move them away, or init an empty folder: greeter init DIR"
    )


def write_starter(target: Path, files: Sequence[StarterFile]) -> list[PurePosixPath]:
    """Create the folders and write each file as new (``O_EXCL``: one made meanwhile is not replaced).

    ``data/`` will hold the clients' export, the journal and the outbox, so
    it and the contacts file get greeter's modes for such data (``0750``,
    ``0640``, narrowed by the umask: :mod:`greeter.file_modes`); the config
    and the templates, the umask's. Raises :class:`OutputError` (exit 2)
    naming the path that failed and the files written before it.
    """
    written: list[PurePosixPath] = []
    current = target
    try:
        target.mkdir(parents=True, exist_ok=True)
        for file in files:
            current = target / file.name
            data = file.source.read_bytes()
            if file.name.parts[0] == "data":
                make_group_folder(current.parent)
                with open_group_readable(current, new=True) as out:
                    out.write(data)
            else:
                current.parent.mkdir(exist_ok=True)
                with open(current, "xb") as fh:
                    fh.write(data)
            written.append(file.name)
    except OSError as exc:
        error = OutputError.of(current, exc)
        if written:
            names = ", ".join(str(n) for n in written)
            error = OutputError(f"{error}; written before it (remove them to init again): {names}")
        raise error from exc
    return written


def report(target: Path, written: Sequence[PurePosixPath], *, here: bool, default_config: bool) -> str:
    """Pure: what ``init`` wrote, and the commands to run next.

    ``here``: ``target`` is the current folder (no ``cd`` to print).
    ``default_config``: neither ``-c`` nor ``$GREETER_CONFIG`` names another
    file, so a bare ``greeter check`` reads the ``greeter.yaml`` just written.
    """
    templates = [n for n in written if n.parts[0] == TEMPLATES]
    others = [n for n in written if n.parts[0] != TEMPLATES]
    lines = [f"wrote a starter project in {target}:"]
    lines += [f"  {name}" for name in others]
    lines.append(f"  {TEMPLATES}/ ({len(templates)} letter templates)")
    config = "" if default_config else f" --config {DEFAULT_CONFIG}"
    lines.append("next:")
    if not here:
        lines.append(f"  cd {shlex.quote(str(target))}")
    lines.append(f"  greeter{config} check")
    lines.append(f"  greeter{config} preview --days 30")
    lines += [
        f"then make {DEFAULT_CONFIG} yours (sender; contacts.path: your CRM export) and the letters",
        f"in {TEMPLATES}/; a send writes .eml files to data/outbox/ until delivery.transport says smtp",
    ]
    return "\n".join(lines)


@main.command(context_settings=CONTEXT, short_help="Write a starter config, templates, contacts.")
@_config_option
@click.argument(
    "directory",
    metavar="[DIR]",
    required=False,
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.pass_obj
@handles_errors
def init(state: State, directory: Path) -> None:
    """Write a starter project into DIR (default: the current folder).

    greeter.yaml (a copy of the commented config.example.yaml), templates/
    (every letter template) and the sample contacts it reads,
    data/contacts.csv: greeter check and greeter preview work there at
    once; letters go to data/outbox/ as .eml files, no mail server needed.
    Missing folders are made.

    It never replaces a file: when any of these is there already it names
    them and writes nothing (exit 2). It writes greeter.yaml whatever -c
    or $GREETER_CONFIG says; the commands it prints then name that file.

    \b
    Examples:
      greeter init
      greeter init greetings && cd greetings && greeter check
    """
    files = starter_files(starter_root())
    here = directory.resolve() == Path.cwd().resolve()
    shown = Path.cwd() if here else directory  # "/srv/greetings:" says more than ".:"
    taken = in_the_way(directory, files)
    if taken:
        raise OutputError(refusal(shown, taken))
    written = write_starter(directory, files)
    click.echo(report(shown, written, here=here, default_config=state.config == Path(DEFAULT_CONFIG)))
