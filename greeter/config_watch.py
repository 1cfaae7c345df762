"""Notice that the config file or the templates changed on disk, for the daemon to reload by itself.

A Kubernetes ConfigMap is updated by swapping a symbolic link (``..data``) to
a new folder, atomically; the kubelet sends no signal, so a daemon that
reloaded on SIGHUP only kept the old config until its pod was restarted. The
daemon looks every :data:`WATCH_SECONDS` (off its event loop) and reloads as
SIGHUP does — the same validation, the same ``reloaded`` or
``reload_failed_keeping_old_config`` line, the old config kept if the new one
is broken.

What is compared is a :data:`Fingerprint`: for the config file and each
``*.j2`` file of the templates folder (as :class:`~greeter.template_snapshot.TemplateFiles`
reads it), the path it resolves to and its ``(st_dev, st_ino, st_mtime_ns,
st_size)`` — a symbolic link swapped, a file replaced by a rename, or one
written in place all change it. A change counts once two looks in a row see
the same new fingerprint: an editor's or ``kubectl cp``'s file seen half
written is not reloaded (and refused) before the rest of it arrives.

Pure but for :func:`fingerprint`'s ``stat`` calls: :class:`ConfigWatch` is
told the fingerprints, and decides.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from greeter.template_files import resolves_inside
from greeter.template_snapshot import SUFFIX

#: Seconds between two looks at the files: a change is acted on within twice this.
WATCH_SECONDS: Final = 2.0
#: The most template files a look stats: a templates folder pointed at a big tree costs no more.
MOST_FILES: Final = 2000

#: One file's identity: the path it resolves to and ``(st_dev, st_ino, st_mtime_ns, st_size)``,
#: or only the path when it cannot be read (missing: a change too).
FileMark = tuple[str, int, int, int, int] | tuple[str]
#: The config file's mark, then each template's name and mark, sorted by name.
Fingerprint = tuple[FileMark, tuple[tuple[str, FileMark], ...]]


def file_mark(path: Path) -> FileMark:
    """``path``'s :data:`FileMark` now."""
    real = os.path.realpath(path)
    try:
        found = os.stat(real)
    except OSError:
        return (real,)
    return (real, found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size)


def fingerprint(config: Path, templates: Path | None) -> Fingerprint:
    """The config file's and the templates' marks now (the folder's ``*.j2`` files, hidden ones left
    out, as :meth:`~greeter.template_snapshot.TemplateFiles.read` leaves them)."""
    marks: list[tuple[str, FileMark]] = []
    try:
        if templates is not None and templates.is_dir():
            for path in templates.rglob(f"*{SUFFIX}"):
                name = path.relative_to(templates)
                if any(part.startswith(".") for part in name.parts) or not resolves_inside(templates, path):
                    continue
                marks.append((name.as_posix(), file_mark(path)))
                if len(marks) >= MOST_FILES:
                    break
    except OSError:  # a folder gone or made unreadable mid-look: what was seen, and the mark of that
        marks.append(("", (str(templates),)))
    return file_mark(config), tuple(sorted(marks))


class ConfigWatch:
    """Whether the files differ from those the config in force was read from, settled (two looks).

    :meth:`taken` after each (re)load, successful or refused, with the
    fingerprint seen just before reading: a refused file is not reloaded
    again until it changes again, as a SIGHUP refused is not repeated. Not
    after one put off because the journal did not answer: those files are
    tried again (:func:`greeter.daemon_reload.retry_later`).
    """

    def __init__(self, in_force: Fingerprint) -> None:
        self.in_force = in_force
        self._seen: Fingerprint | None = None

    def taken(self, seen: Fingerprint) -> None:
        """The files a (re)load read were these: a change is counted from here."""
        self.in_force = seen
        self._seen = None

    def changed(self, now: Fingerprint) -> bool:
        """``now`` is this look's fingerprint: True when it differs from the one in force and the
        look before saw the same (the change has settled)."""
        if now == self.in_force:
            self._seen = None
            return False
        settled = now == self._seen
        self._seen = now
        return settled

    def changed_files(self, now: Fingerprint) -> list[str]:
        """The files ``now`` differs in from the fingerprint in force, for the ``config_changed`` line:
        the config file's path, a template's name (added, changed or gone) — which file to look at."""
        config = [now[0][0]] if now[0] != self.in_force[0] else []
        before, after = dict(self.in_force[1]), dict(now[1])
        names = sorted(n for n in before.keys() | after.keys() if before.get(n) != after.get(n))
        return config + [n or "(the templates folder)" for n in names]
