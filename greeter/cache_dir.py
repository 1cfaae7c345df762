"""Where greeter keeps what it can recompute: ``$XDG_CACHE_HOME/greeter``, else ``~/.cache/greeter``.

One folder for every cache (the holiday tables, the compiled templates), so
an operator clears or relocates all of them in one place; the systemd unit
points ``XDG_CACHE_HOME`` at its ``CacheDirectory=``. Nothing in it is ever
needed: a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["user_cache_dir"]


def user_cache_dir() -> Path:
    """greeter's cache folder for this process's environment (it may not exist yet)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "greeter"
