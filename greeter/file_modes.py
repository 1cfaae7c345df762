"""The mode of every file greeter writes with clients' data in it: ``0640``, whatever the umask.

An ``.eml`` in the outbox, a preview's pages and drafts, a calendar export:
each holds names, addresses, ages. They are written to be read by someone
else — a marketer reviewing, a pickup daemon, a shared folder — so greeter's
group may read them (give those people that group); the other users of the
machine may not, even under a shell's ``umask 022`` that would make them
``0644``. (The journal, read by greeter alone, is ``0600``:
:data:`greeter.journal_schema.JOURNAL_FILE_MODE`.)
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

#: Owner reads and writes, greeter's group reads, no one else.
GROUP_FILE_MODE = 0o640


def open_group_readable(path: Path, *, new: bool = False) -> BinaryIO:
    """``path`` opened for writing (binary) with :data:`GROUP_FILE_MODE`, whatever the umask.

    ``new``: the file must not exist yet (``O_EXCL``, for a unique temporary
    name); otherwise an existing file is emptied and its looser mode tightened
    too. Something that is not a regular file — ``/dev/stdout``, a FIFO a
    reader waits on — is written to as it is, its mode not ours to change.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if new else os.O_TRUNC)
    fd = os.open(path, flags, GROUP_FILE_MODE)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.fchmod(fd, GROUP_FILE_MODE)  # the umask may have taken bits; it cannot add any
        return os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        raise


def write_group_readable(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (:func:`open_group_readable`): a calendar export, say."""
    with open_group_readable(path) as fh:
        fh.write(data)
