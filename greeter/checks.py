"""``greeter check``: everything that can be wrong before a single letter is sent.

Validates the config (already located errors from the loader), streams the
contacts (each bad row is a problem, the rest still count), compiles every
template variant and renders every occasion's template for every contact in
strict mode — a template that breaks for one client is found here, not at
09:00 on New Year's Eve.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greeter.errors import Problem, TemplateError
from greeter.plan_types import Hit, PlanItem
from greeter.render import Renderer
from greeter.runtime import load_inputs

#: Render failures reported per template before the rest are only counted.
MAX_RENDER_PROBLEMS = 20


@dataclass
class CheckReport:
    config_file: Path
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    contacts_loaded: int = 0
    rows_rejected: int = 0
    occasions: list[str] = field(default_factory=list)
    templates: dict[str, int] = field(default_factory=dict)
    renders: int = 0
    render_failures: int = 0
    #: True when the config or the templates themselves are unusable (exit 2).
    fatal: bool = False

    #: Template files that do not compile or are missing.
    template_errors: int = 0

    @property
    def errors(self) -> int:
        """Problems that make the check fail: rejected rows, broken templates, failed renders."""
        return self.rows_rejected + self.template_errors + self.render_failures

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    def summary(self) -> dict[str, Any]:
        reasons = Counter(p.message.split(" (")[0] for p in self.problems if p.kind == "row")
        return {
            "config": str(self.config_file),
            "rows_read": self.rows_read,
            "contacts_loaded": self.contacts_loaded,
            "rows_rejected": self.rows_rejected,
            "warnings": self.warnings,
            "errors": self.errors,
            "occasions": self.occasions,
            "templates": self.templates,
            "renders": self.renders,
            "render_failures": self.render_failures,
            "row_problems": dict(reasons.most_common()),
            "problems": [str(p) for p in self.problems],
        }

    def text(self) -> str:
        status = "OK" if not self.errors else f"{self.errors} problem(s)"
        lines = [
            f"{self.config_file}: config OK",
            f"contacts: {self.contacts_loaded} loaded from {self.rows_read} rows, "
            f"{self.rows_rejected} rejected, {self.warnings} warning(s)",
            f"occasions: {len(self.occasions)} ({', '.join(self.occasions)})",
            "templates: "
            + ", ".join(f"{name} ({n} variant{'s' if n != 1 else ''})" for name, n in self.templates.items()),
            f"renders: {self.renders} drafts rendered in strict mode, {self.render_failures} failed",
            f"check: {status}",
        ]
        return "\n".join(lines)


def run_check(config_file: Path, now_text: str | None = None) -> CheckReport:
    """Run every check; a ConfigError (unusable config) propagates to the CLI as exit 2."""
    from greeter.cli import parse_now

    inputs = load_inputs(config_file)
    settings = inputs.settings
    today = parse_now(now_text, settings.defaults.timezone).date()
    report = CheckReport(config_file=config_file, occasions=[o.name for o in settings.occasions])
    renderer = Renderer(settings.templates_dir, settings.sender, settings.defaults.locale)
    names = list(dict.fromkeys(o.template for o in settings.occasions))
    template_problems = renderer.check(names)
    report.problems.extend(template_problems)
    report.templates = {name: len(renderer.template_files(name)) for name in names}
    report.template_errors = sum(p.severity == "error" for p in template_problems)
    report.fatal = report.template_errors > 0

    load = inputs.new_report()
    failures: Counter[str] = Counter()
    for contact in inputs.contacts(load):
        if report.fatal:
            continue  # still read every row to report data problems
        for occ in settings.occasions:
            years = 1 if occ.field is not None else None
            item = PlanItem(Hit(contact, occ.name, today, years, occ.priority, occ.template), "send")
            report.renders += 1
            try:
                renderer.render(item)
            except TemplateError as exc:
                report.render_failures += 1
                failures[occ.template] += 1
                if failures[occ.template] <= MAX_RENDER_PROBLEMS:
                    report.problems.append(
                        Problem(exc.template, "", str(exc).split(": ", 1)[-1], exc.line, kind="template")
                    )
    report.rows_read = load.rows_read
    report.contacts_loaded = load.loaded
    report.rows_rejected = load.rejected
    report.problems[:0] = load.problems
    return report
