"""What the daemon reads at start and at each reload: the inputs, validated, and what a reload cannot change.

Apart from :mod:`greeter.daemon` so that the daemon's lifecycle stays readable:
these are the checks a start and a SIGHUP share — templates that must
render, secrets that must be there — and the settings only a restart takes
(the journal's URL, the HTTP listen address), kept as in force with a
warning when a reload changes them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from greeter.check_render import defaultless, locale_only
from greeter.checks import render_problems
from greeter.config import Http, Settings
from greeter.db_url import redact
from greeter.errors import ConfigError, GreeterError, Problem, TemplateError
from greeter.logs import get_logger
from greeter.plan_types import Hit, PlanItem
from greeter.runtime import Inputs, load_inputs
from greeter.send_transport import missing_secrets

if TYPE_CHECKING:
    from greeter.journal_store import JournalStore

log = get_logger(component="daemon")


def load_valid_inputs(
    config_file: Path, today: date, on_read: Callable[[Settings], None] | None = None
) -> Inputs:
    """Config and templates, validated; ConfigError with every error if anything is broken.

    The templates are read here, once (:meth:`Inputs.renderer`): the daemon
    renders these very files until the next successful reload. They must
    compile, and each occasion's letter must render for the first contacts
    (:func:`template_smoke`) — a failure ``greeter check`` calls an error is
    one here too, so a reload refuses it and the old templates stay in force.
    The secrets the config names (the SMTP password, the unsubscribe secret)
    must be readable too: without them every run would fail, so the daemon
    refuses to start (exit 2), as ``send --once`` refuses to send.

    ``on_read`` is given the settings as soon as the config is read, before
    the rest is validated: the daemon takes its ``instance`` name there, so
    that a start refused for a missing secret says it under the project's
    name, not the config folder's.

    The inputs returned keep a contacts file's contacts between runs (:attr:`Inputs.keep_contacts`):
    a run reads the file again only when its content changed, and a reload makes new inputs.
    """
    inputs = load_inputs(config_file, today=today)
    settings = inputs.settings
    if on_read is not None:
        on_read(settings)
    renderer = inputs.renderer()
    names = list(dict.fromkeys(o.template for o in settings.occasions))
    problems = renderer.check(names, defaultless(settings, renderer))
    errors = [p for p in problems if p.severity == "error"] + missing_secrets(settings, config_file)
    if not errors:
        errors = inputs.calendar_errors(today) or template_smoke(inputs, today)
    if errors:
        raise ConfigError(errors)
    # From now on, not before: the smoke above read its few rows only. Each run plans every
    # contact; an export unchanged since the last run is planned from memory (Inputs.keep_contacts).
    inputs.keep_contacts = True
    return inputs


def take_reloaded_project(
    journal: JournalStore, url: str, settings: Settings, config_file: Path, now: datetime
) -> None:
    """The reloaded config's project checked against the journal in force, as a start checks it
    (:func:`~greeter.journal_project.take_journal`); ConfigError at ``sender.email`` if it is another
    project's. Refused at start (exit 2), the same config came in by a reload and sent into the
    first project's journal; now the reload is refused and the config in force stays. Its own
    changes, one at a time, are recorded as a ``send`` records them.
    """
    from greeter.journal_project import (
        foreign_project,
        foreign_project_message,
        journal_shown,
        project_of,
        take_journal,
    )

    current = project_of(settings, config_file)
    recorded = foreign_project(journal, current)
    if recorded is not None:
        said = foreign_project_message(journal_shown(url), recorded, current)
        problem = f"{said}; the reload is refused, the config in force stays"
        raise ConfigError([Problem(str(config_file), "sender.email", problem)])
    take_journal(journal, url, current, now)


#: Contacts whose letters a start or a reload renders (plain form), to refuse a template that fails.
SMOKE_CONTACTS = 20


def template_smoke(inputs: Inputs, today: date, contacts: int = SMOKE_CONTACTS) -> list[Problem]:
    """Render every occasion's letter for the first ``contacts`` contacts; the failures, as check words them.

    Compiling does not find ``{{ contakt.first_name }}``: it compiles and
    fails every letter. ``greeter check`` renders every contact in every form;
    this is the look a start or reload can afford, so that a broken edit is
    refused at once, not found at the next birthday. Contacts that cannot be
    read now (a database down) are the runs' business, not the templates'.
    """
    settings = inputs.settings
    renderer = inputs.renderer()
    failures: dict[tuple[str, int | None, str], list[str]] = {}
    own_locales = locale_only(settings, defaultless(settings, renderer))
    try:
        for contact in islice(inputs.contacts(inputs.new_report()), contacts):
            for i, occ in enumerate(settings.occasions):
                if i in own_locales and not own_locales[i].admits(contact, None):
                    continue  # outside audience.locales: the planner gives them no such letter
                years = 1 if occ.field is not None else None
                hit = Hit(contact, occ.name, today, years, occ.priority, occ.template)
                try:
                    renderer.render(PlanItem(hit, "send"))
                except TemplateError as exc:
                    failures.setdefault((exc.template, exc.line, exc.detail), []).append(contact.id)
    except GreeterError as exc:
        log.debug("template_smoke_skipped", why=exc.hint())
    return render_problems(failures)


def listen_address(listen: tuple[str, int] | None, http: Http) -> tuple[str, int] | None:
    """Where the daemon listens: ``--listen``, else the ``http`` address if enabled; None: nowhere."""
    return listen or ((http.host, http.port) if http.enabled else None)


def _shown(where: tuple[str, int] | None) -> str:
    return "nowhere (http.enabled: false)" if where is None else f"{where[0]}:{where[1]}"


def keep_restart_only(
    old: Settings, new: Settings, listen: tuple[str, int] | None
) -> tuple[Settings, list[tuple[str, dict[str, str]]]]:
    """The reloaded settings with what only a restart can change kept as in force, and a warning for each.

    Pure. The journal's URL and the HTTP listen address are taken at start
    (the open journal, the bound socket); a reload that silently kept them
    would leave the operator believing the new ones work. The URLs are shown
    without their passwords.
    """
    kept: dict[str, object] = {}
    warnings: list[tuple[str, dict[str, str]]] = []
    if new.storage.url != old.storage.url:
        in_force, wanted = redact(old.storage.url), redact(new.storage.url)
        warnings.append(("storage_url_change_needs_restart", {"in_force": in_force, "new": wanted}))
        kept["storage"] = old.storage
    listening, wanted_at = listen_address(listen, old.http), listen_address(listen, new.http)
    if listening != wanted_at:
        warnings.append(
            ("http_change_needs_restart", {"in_force": _shown(listening), "new": _shown(wanted_at)})
        )
        kept["http"] = old.http
    return (new.model_copy(update=kept) if kept else new), warnings
