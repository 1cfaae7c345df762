"""Words the QA pass found unclear: which file the daemon's watch saw change, what the reload
failures metric counts, and how ``unsuppress --contact`` names an id without an opt-out.

Pure parts (the watch's fingerprints, the collector) and a real CLI run on a real SQLite journal.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from prometheus_client.core import CollectorRegistry
from prometheus_client.exposition import generate_latest

from greeter.cli import main
from greeter.config_watch import ConfigWatch, fingerprint
from greeter.metrics import GreeterCollector, RunStats
from tests.conftest import MakeProject, contact_row


def test_the_watch_names_the_template_that_changed_not_only_the_config(tmp_path: Path) -> None:
    config, templates = tmp_path / "greeter.yaml", tmp_path / "templates"
    templates.mkdir()
    config.write_text("a: 1\n", encoding="utf-8")
    (templates / "birthday.j2").write_text("old", encoding="utf-8")
    (templates / "new_year.j2").write_text("same", encoding="utf-8")
    watch = ConfigWatch(fingerprint(config, templates))

    (templates / "birthday.j2").write_text("a longer text", encoding="utf-8")
    (templates / "womens_day.j2").write_text("new", encoding="utf-8")

    assert watch.changed_files(fingerprint(config, templates)) == ["birthday.j2", "womens_day.j2"]
    config.write_text("a: 22\n", encoding="utf-8")
    assert watch.changed_files(fingerprint(config, templates))[0] == str(config.resolve())


def test_the_reload_failures_help_names_the_file_watch_too() -> None:
    registry = CollectorRegistry()
    registry.register(GreeterCollector(None, RunStats(started_at=datetime.now(UTC))))
    text = generate_latest(registry).decode()
    (line,) = [ln for ln in text.splitlines() if ln.startswith("# HELP greeter_config_reload_failures")]
    assert "SIGHUP" in line and "changed on disk" in line, line


def test_unsuppress_contact_without_an_opt_out_names_the_option_not_an_index(
    make_project: MakeProject,
) -> None:
    config = make_project([contact_row("1009", "client09@example.com")])
    CliRunner().invoke(main, ["--config", str(config), "suppress", "other@example.com"])

    done = CliRunner().invoke(main, ["--config", str(config), "unsuppress", "--contact", "1009"])

    assert done.exit_code == 1, done.output
    assert "unsuppress --contact: contact '1009' has no opt-out of its own" in done.stderr, done.stderr
    assert "--contact 1:" not in done.stderr
