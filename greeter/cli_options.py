"""What the commands' options name, read as people type it: an occasion by its title, or refused; ``--json``.

``history --occasion "8 Марта"`` took the title its table shows, while
``preview``, ``test-send`` and ``approve`` refused «День рождения» — the very
title ``preview``'s own table prints — with "no occasion in the config".
Every ``--occasion`` now reads a configured occasion's title as that
occasion (:func:`occasion_by_title`); one that names none is a usage error
that offers the closest (:func:`check_occasion`). Kept out of :mod:`greeter.cli`,
which is at its size limit, and light to import: the config is loaded only when an
``--occasion`` is given.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click
from click.core import ParameterSource

from greeter.cli_values import config_day, flag_hint, trimmed

if TYPE_CHECKING:
    from pathlib import Path

    from greeter.config import Settings
    from greeter.journal_store import JournalStore
    from greeter.runtime import Inputs

__all__ = [
    "CONTACT_HELP",
    "CONTACT_METAVAR",
    "check_occasion",
    "contact_by_name",
    "contact_in_config",
    "contact_option",
    "json_option",
    "occasion_by_title",
    "occasion_in_config",
    "occasion_option",
    "out_option",
]

#: ``--contact``'s metavar in every command that takes it: an id, else a name.
CONTACT_METAVAR = "ID|NAME"

#: What every ``--contact`` help says after its first words: how a value is read
#: (:func:`greeter.history_client.by_name`, the one resolver).
CONTACT_HELP = (
    "its contact id, else its name as the CRM shows it (whole words, or their starts: Смирнова, "
    "'Смирнова Анна', Кузн); a name several contacts have lists them with their ids (exit 2)"
)

F = TypeVar("F", bound=Callable[..., Any])


def contact_option(
    what: str, more: str = "", *, dest: str = "contact_id", multiple: bool = False, required: bool = False
) -> Callable[[F], F]:
    """The ``--contact ID|NAME`` option, the same in every command that takes it: ``what`` the
    help's first words, ``more`` what follows :data:`CONTACT_HELP`; read by the one resolver
    (:func:`contact_by_name`), so only the words and the destination differ between commands."""
    return click.option(
        "--contact",
        dest,
        metavar=CONTACT_METAVAR,
        multiple=multiple,
        required=required,
        callback=trimmed,
        help=f"{what}: {CONTACT_HELP}.{more}",
    )


def occasion_option(help: str, *, multiple: bool = False) -> Callable[[F], F]:
    """The ``--occasion NAME`` option, the same in every command that plans letters (``preview``,
    ``approve``, ``calendar``): a name or a title (:func:`occasion_by_title`), blank refused
    (:func:`~greeter.cli_values.trimmed`); ``multiple``: given again, each one more occasion."""
    return click.option("--occasion", metavar="NAME", multiple=multiple, callback=trimmed, help=help)


def occasion_by_title(value: str | None, settings: Settings) -> str | None:
    """``--occasion`` as the occasion's name: a configured occasion's title (any case: ``"8 марта"``,
    what history's table shows) stands for its name; any other value is returned as given (a name,
    a name only the journal knows, or a typo :func:`check_occasion` refuses)."""
    if value is None or value in settings.occasion_titles():
        return value
    wanted = value.strip().casefold()
    for name, title in settings.occasion_titles().items():
        if wanted in (title.casefold(), name.casefold()):  # a name typed Birthday is birthday too
            return name
    return value


def occasion_in_config(config: Path, value: str | None, now_text: str | None) -> str | None:
    """``--occasion`` of a command whose runner loads the config itself (``preview``,
    ``test-send``): a title as its occasion's name (:func:`occasion_by_title`), read from the
    config ``config`` as of ``--now`` (``now_text``); None stays None, and nothing is loaded."""
    if value is None:
        return None
    from greeter.config_loader import load_settings

    return occasion_by_title(value, load_settings(config, today=config_day(now_text)))


def contact_by_name(
    inputs: Inputs, journal: JournalStore | None, value: str | None, *, known: bool = False
) -> str | None:
    """``--contact ID|NAME`` as a contact id (:func:`~greeter.history_client.by_name`: an id first,
    then a name; several contacts of that name are a usage error listing them, exit 2), the name's
    contact said on stderr; None stays None. ``journal``: also an id only the journal has.
    ``known``: neither an id nor a name is a usage error naming the closest (exit 2)."""
    if not value:
        return value
    from greeter.history_client import by_name

    found, said = by_name(inputs, journal, value, known=known)
    if said:
        click.echo(said, err=True)
    return found


def contact_in_config(
    config: Path, value: str | None, now_text: str | None
) -> tuple[str | None, Inputs | None]:
    """``--contact`` of a command whose runner loads the config (``preview``, ``test-send``):
    :func:`contact_by_name` of the contacts of ``config`` as of ``--now`` (``now_text``), one
    nobody has refused (exit 2), and the inputs it was read from, for the runner to plan from —
    None, None when no ``--contact`` is given (nothing is loaded).

    The inputs keep the contacts a file source gave (:attr:`~greeter.runtime.Inputs.keep_contacts`):
    a name was looked up in the whole file, and the plan read it whole again — three reads of
    a 20,000-row export (is it an id? whose name? the plan), one now.
    """
    if not value:
        return value, None
    from greeter.runtime import load_inputs

    inputs = load_inputs(config, today=config_day(now_text), keep_contacts=True)
    return contact_by_name(inputs, None, value, known=True), inputs


def check_occasion(
    value: str | None, settings: Settings, journal: JournalStore | None = None, *, titles: bool = False
) -> None:
    """``--occasion`` must name an occasion that exists, else it is a usage error (exit 2).

    A typo (``new_yaer``) would otherwise select nothing, and "approved 0
    draft(s)" with exit 0 reads as "nothing to approve". ``approve`` works on
    the plan, so only the config's occasions count. The journal's commands
    (``history``, ``uncertain``) also accept a name only the journal knows —
    an occasion removed from the config keeps its history — so they pass
    ``journal``, and call this only when their filter found nothing.
    ``titles``: the command also takes an occasion's title
    (:func:`occasion_by_title`), so the choices list each as ``womens_day (8 Марта)``
    and a typo of a title is matched too.
    """
    if value is None:
        return
    known = [o.name for o in settings.occasions]
    where = "the config"
    if journal is not None and value not in known:
        known += sorted(journal.occasion_names() - set(known))
        where = "the config or the journal"
    if value in known:
        return
    import difflib

    given = settings.occasion_titles() if titles else {}
    named = {name: given.get(name) or name for name in known}
    words = {name: name if title == name else f"{name} ({title})" for name, title in named.items()}
    candidates = {**{title: name for name, title in named.items()}, **{name: name for name in named}}
    close = difflib.get_close_matches(value, list(candidates), n=1)
    if close and close[0] != candidates[close[0]]:  # a title's typo: the occasion meant, and its title
        hint = f", did you mean {candidates[close[0]]!r} ({close[0]})?"
    elif close:
        hint = f", did you mean {close[0]!r}?"
    else:
        hint = f" (known: {', '.join(words.values())})"
    raise click.BadParameter(f"no occasion {value!r} in {where}{hint}", param_hint=flag_hint("--occasion"))


#: The click context's ``meta`` key :func:`json_option` sets when the command prints JSON: then
#: :func:`greeter.cli.handles_errors` prints a usage or config error (exit 2) on stdout too.
JSON_ERRORS = "greeter.json_errors"


def json_error(message: str) -> str:
    """The JSON a ``--json`` command prints on stdout when a usage or config error stops it (exit 2):
    ``{"config_error": "<the line stderr shows>"}``, by the key ``send --json`` and ``purge --json``
    give it in their summaries. An empty stdout made a script's ``json.load`` fail, while ``check
    --json`` printed its summary; an object, never the command's list, so no reader takes it for
    "nothing there"."""
    import json

    return json.dumps({"config_error": message}, ensure_ascii=False, indent=2)


def json_option(help: str) -> Callable[[F], F]:
    """``--json``, the same as ``--format json`` — and refused beside another ``--format``.

    Both once set one value, the last given winning: ``preview --json --format
    table`` printed a table (exit 0) to a script that had asked for JSON, and
    ``history --json --format csv`` CSV. Now that is a usage error naming both
    (exit 2); ``--json --format json`` says one thing twice and stays allowed.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def command(*args: Any, json_flag: bool, fmt: str | None, **kwargs: Any) -> Any:
            if json_flag:
                source = click.get_current_context().get_parameter_source("fmt")
                given = source not in (None, ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP)
                if given and fmt != "json":
                    raise click.UsageError(
                        f"--json and --format {fmt} ask for two formats: give one of them"
                        " (--json is --format json)"
                    )
                fmt = "json"
            if fmt == "json":  # from here on, an error says itself on stdout too (handles_errors)
                click.get_current_context().meta[JSON_ERRORS] = True
            return func(*args, fmt=fmt, **kwargs)

        return cast(F, click.option("--json", "json_flag", is_flag=True, help=help)(command))

    return decorate


def _dash_is_stdout(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """``-o -``, ``-o /dev/stdout``: standard output, as ``calendar -o -`` means it — not a file named
    ``-``, nor a symbolic link refused (:func:`greeter.out_file.is_stdout`)."""
    from greeter.out_file import is_stdout

    return None if is_stdout(value) else value


def out_option(help_text: str) -> Callable[[F], F]:
    """``-o/--out/--output FILE`` as history and ``suppress --list`` take it (one writer, one option)."""
    from pathlib import Path

    return click.option(
        "-o",
        "--out",
        "--output",
        "out",
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=_dash_is_stdout,
        help=help_text,
    )
