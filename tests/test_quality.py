"""The code stays ruff- and mypy-clean: checked by the same command that runs the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)


def test_ruff_clean() -> None:
    result = run(sys.executable, "-m", "ruff", "check", "greeter", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_clean() -> None:
    result = run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_package_is_listed_for_installation() -> None:
    """pyproject names greeter's packages one by one; a new subpackage left out would be
    missing from a non-editable install (the editable one used here would not notice). The
    ones package-dir maps elsewhere carry files, not code (greeter._starter: greeter init's)."""
    import tomllib

    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setuptools["packages"]) - set(setuptools.get("package-dir", {}))
    found = {
        ".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "greeter").rglob("__init__.py")
    }
    assert found == listed
