"""Which files in ``templates_dir`` a template may be read from: those that really are in it.

Templates are data a marketer edits, rendered in a sandbox; they must not
reach any other file. Jinja's loader refuses ``..`` in a name, but a link in
the folder (``ln -s /etc/passwd templates/lnk.j2``) had ``{% include
"lnk.j2" %}`` put ``/etc/passwd`` into a subject: whatever the account
running greeter may read. A link that stays inside the folder (one locale's
file standing for another) is fine; one that leads out of it is not a
template. The folder itself may be a link (``/etc/greeter/templates`` →
``/srv/…``): it is the config's choice, so it is resolved first.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["resolves_inside"]


def resolves_inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` — a file found under ``folder`` — is, links followed, a file inside ``folder``.

    False for a link (of the file, or of a folder on its way) that leads out
    of ``folder``, a broken link, and a link loop.
    """
    try:
        real = path.resolve(strict=True)
        return real.is_relative_to(folder.resolve(strict=True)) and real.is_file()
    except (OSError, RuntimeError):  # missing, a broken link, or (before 3.13) a loop
        return False
