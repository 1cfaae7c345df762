"""One exception tree for everything greeter raises on purpose.

Modelled on aiosmtplib's ``errors.py``: every error a user can cause or an
operator must react to derives from :class:`GreeterError`, so the CLI can turn
any of them into a one-line hint and an exit code instead of a traceback.
Subclasses also inherit the matching built-in (``ValueError``, ``OSError``,
``ConnectionError``) so callers that already catch those keep working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Exit codes of the command line (DESIGN.md §3).
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class Problem:
    """One user-facing problem, located as precisely as we can.

    ``line`` is a config line (with ``col``) or a contacts row number; which
    one is told by ``kind``. Rendered by :meth:`__str__` in the exact formats
    promised by DESIGN.md §3: ``file:line:col: field: message`` for config and
    ``file:row N: column: message`` for contacts; a problem of a whole contacts
    column (``kind="column"``) is ``file: column: message``.
    """

    file: str
    field: str
    message: str
    line: int | None = None
    col: int | None = None
    kind: str = "config"  # "config" | "row" | "column" | "template"
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        if self.kind == "row":
            where = f"{self.file}:row {self.line}" if self.line is not None else self.file
        elif self.line is not None:
            where = f"{self.file}:{self.line}:{self.col or 1}"
        else:
            where = self.file
        field = f" {self.field}:" if self.field else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}:{field} {prefix}{self.message}"


class GreeterError(Exception):
    """Root of every error greeter raises deliberately."""

    exit_code = EXIT_PROBLEMS

    def hint(self) -> str:
        """The one-line (or few-line) message the CLI prints instead of a traceback."""
        return str(self)


class ConfigError(GreeterError, ValueError):
    """The configuration cannot be used; carries every problem found, not just the first."""

    exit_code = EXIT_USAGE

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ContactsError(GreeterError, OSError):
    """The contacts source as a whole cannot be read (missing file, wrong format)."""

    exit_code = EXIT_USAGE


class TemplateError(GreeterError, ValueError):
    """A template does not compile or fails to render for a contact."""

    def __init__(self, template: str, line: int | None, message: str, contact_id: str = "") -> None:
        self.template = template
        self.line = line
        self.contact_id = contact_id
        #: What went wrong, without the place and the contact (the same for every contact it hits).
        self.detail = message
        where = f"{template}:{line}" if line else template
        who = f" (contact {contact_id})" if contact_id else ""
        super().__init__(f"{where}: {message}{who}")


class JournalError(GreeterError, OSError):
    """The journal database is unreachable, locked or of an unknown schema."""

    exit_code = EXIT_USAGE


class JournalLockedError(JournalError):
    """Another greeter process is already sending from this journal."""


class DeliveryError(GreeterError, ConnectionError):
    """A message could not be handed to the mail server."""
