"""Several projects on one host: deploy/greeter@.service, one daemon per project, each in its own folders.

The template's install steps (its comments) are run for two projects in a temporary
tree standing in for ``/``, and each daemon is started as the template starts it:
its ``ExecStart`` with the instance name for ``%i``, its working directory, its
``Environment=``. Each project's unsubscribe secret is a file named relative to its
config (/etc/greeter/NAME), which the daemon, working in /var/lib/greeter/NAME,
must find there; a link signed by one project is refused by the other.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from greeter.instance import instance_name
from greeter.unsubscribe import make_token
from tests.daemon_harness import DaemonProcess, http

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "greeter@.service"
SINGLE = ROOT / "deploy" / "greeter.service"
URL = "https://greet.romashka.example/unsubscribe"
#: Directives naming a file or folder of the project: each must be the instance's own.
PER_INSTANCE = ("WorkingDirectory", "EnvironmentFile", "ExecStart", "StateDirectory", "CacheDirectory")


def _directives(unit: Path) -> list[tuple[str, str]]:
    """The unit's ``Key=value`` lines, in order (comments and section headers left out)."""
    return re.findall(r"^(\w+)=(.*)$", unit.read_text(encoding="utf-8"), re.MULTILINE)


def _values(key: str) -> list[str]:
    return [value for name, value in _directives(TEMPLATE) if name == key]


def test_every_path_of_the_template_unit_is_the_instances_own() -> None:
    """Two instances sharing a journal, an env file (the unsubscribe secret) or a config would
    send each other's letters and accept each other's unsubscribe links."""
    for key in PER_INSTANCE:
        (value,) = _values(key)
        assert "%i" in value, f"{key}={value}"
    assert "--config /etc/greeter/%i/greeter.yaml" in _values("ExecStart")[0]
    assert _values("WorkingDirectory") == ["/var/lib/greeter/%i"]
    assert _values("EnvironmentFile") == ["-/etc/greeter/%i/greeter.env"]
    assert "XDG_CACHE_HOME=/var/cache/greeter/%i" in _values("Environment")
    assert "%i" in _values("Description")[0]


def test_the_template_units_daemon_goes_by_the_units_instance_name() -> None:
    """The docs promise each project's log lines, /healthz and /metrics carry its name: the
    template sets no ``instance``, so its config's folder must be named by ``%i``."""
    (config,) = re.findall(r"--config (\S+)", _values("ExecStart")[0])
    assert instance_name(None, Path(config.replace("%i", "brand-a"))) == "brand-a"
    (single,) = [v for k, v in _directives(SINGLE) if k == "Environment" and v.startswith("GREETER_CONFIG=")]
    assert instance_name(None, Path(single.removeprefix("GREETER_CONFIG="))) == "greeter"


def test_the_template_unit_is_the_single_unit_but_for_the_instances_paths() -> None:
    """The hardening, restart and watchdog settings do not drift apart between the two units."""
    differ = {*PER_INSTANCE, "Environment", "Description"}
    single = [(k, v) for k, v in _directives(SINGLE) if k not in differ]
    template = [(k, v) for k, v in _directives(TEMPLATE) if k not in differ]
    assert template == single


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_reads_an_instance_of_the_template_without_complaint(tmp_path: Path) -> None:
    unit = tmp_path / "greeter@brand-a.service"
    shutil.copy(TEMPLATE, unit)
    found = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    lines = [line for line in (found.stdout + found.stderr).splitlines() if line.strip()]
    assert [line for line in lines if "/opt/greeter/venv/bin/greeter is not executable" not in line] == []


def _install_steps() -> list[str]:
    """The shell lines of the template's install comment (``#   command``), up to the blank comment."""
    lines = TEMPLATE.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip() == "#")
    steps: list[str] = []
    for line in lines[first + 1 :]:
        if line.strip() == "#":
            break
        steps.append(line.removeprefix("#").strip())
    return steps


def _install(root: Path, name: str) -> Path:
    """Run the template's file-making install steps for project ``name`` with ``/`` at ``root``."""
    for step in _install_steps():
        if step.startswith("cp deploy/") or step.startswith("systemctl"):
            continue
        step = step.replace(" -o greeter -g greeter", "").replace("NAME", name).replace("PORT", "0")
        step = re.sub(r"(?<![\w.|])/(etc|var)/", rf"{root}/\1/", step)
        subprocess.run(["bash", "-euc", step], cwd=ROOT, check=True)
    config = root / "etc/greeter" / name / "greeter.yaml"
    text = config.read_text(encoding="utf-8").replace("/var/lib/greeter", f"{root}/var/lib/greeter")
    # The project's own secret, in a file beside its config, named relative to it.
    text = text.replace(
        "  # url: https://greet.romashka.example/unsubscribe\n",
        f"  url: {URL}\n  secret_file: unsubscribe-secret\n",
    )
    config.write_text(text, encoding="utf-8")
    secret = config.parent / "unsubscribe-secret"
    secret.write_text(f"{name}-own-unsubscribe-secret-of-32-bytes-or-more\n", encoding="utf-8")
    secret.chmod(0o600)
    return config


class _Instance(DaemonProcess):
    """``greeter run`` started as ``greeter@NAME`` starts it: ``ExecStart``, working directory, environment."""

    def __init__(self, root: Path, name: str) -> None:
        env = {}
        for value in _values("Environment"):
            key, _, setting = value.partition("=")
            env[key] = re.sub(r"^/var/", f"{root}/var/", setting.replace("%i", name))
        work = Path(re.sub(r"^/var/", f"{root}/var/", _values("WorkingDirectory")[0].replace("%i", name)))
        super().__init__(root / "etc/greeter" / name / "greeter.yaml", env=env, cwd=work)
        args = _values("ExecStart")[0].replace("%i", name).split()[1:]
        self.command = [re.sub(r"^/etc/", f"{root}/etc/", arg) for arg in args]

    def start(self) -> _Instance:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "greeter", *self.command],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.env,
            cwd=self.cwd,
        )
        threading.Thread(target=self._read, daemon=True).start()
        return self


def test_two_projects_run_side_by_side_each_from_its_own_folders_with_its_own_secret(tmp_path: Path) -> None:
    configs = {name: _install(tmp_path, name) for name in ("brand-a", "brand-b")}
    for name in configs:
        (tmp_path / "var/cache/greeter" / name).mkdir(parents=True)  # CacheDirectory=
    link = {
        name: make_token(f"{name}-own-unsubscribe-secret-of-32-bytes-or-more".encode(), "ivan@example.com")
        for name in configs
    }
    with _Instance(tmp_path, "brand-a") as a, _Instance(tmp_path, "brand-b") as b:
        assert a.port != b.port
        healthy = [http(d.url("/healthz"))[0] for d in (a, b)]
        own = http(a.url(f"/unsubscribe/{link['brand-a']}"))[0]
        other = http(b.url(f"/unsubscribe/{link['brand-a']}"), b"List-Unsubscribe=One-Click")[0]
        rejected = b.wait_for("unsubscribe_rejected")
        assert a.stop() == 0 and b.stop() == 0
    assert healthy == [200, 200]
    assert (own, other) == (200, 404)
    assert rejected["reason"] == "unknown_signature"
    for name in configs:
        assert (tmp_path / "var/lib/greeter" / name / "journal.sqlite3").is_file()
    assert not (tmp_path / "var/lib/greeter/journal.sqlite3").exists()
