"""The daemon sends the templates it validated: an edit counts from the next successful reload.

Found by an operator twice. First: ``{{ contakt.first_name }}`` put into
birthday.j2 and a SIGHUP → ``reloaded``, and each later run failed the letter.
Then: the daemon rendered from the files on disk at every run, so a template
saved half-edited broke sending at once, without any SIGHUP, and a reload that
said "keeping the old config" protected nothing.

Now the templates are read when the config is (re)loaded and kept in memory
(:class:`greeter.template_snapshot.TemplateFiles`); a reload is refused if they do not
compile or if a letter fails to render for the first contacts — what
``greeter check`` calls an error — and the old ones stay in force.

Each step adds a contact whose birthday was yesterday (due at once) and waits
for a run (``--speed 60``, a cron minute each real second) to send it.
"""

from __future__ import annotations

import signal
from pathlib import Path

from greeter.testing import SmtpSink
from tests.conftest import MakeProject, contact_row
from tests.daemon_harness import DaemonProcess, Event
from tests.test_daemon import run_args
from tests.test_send_e2e import greeter_process, people, smtp


def _next_letter(config: Path, daemon: DaemonProcess, n: int) -> Event:
    """Add contact ``n`` (birthday yesterday: due at once); the run that handles it must send it."""
    seen = {id(e) for e in daemon.named("run")}
    contacts = config.parent / "data" / "contacts.csv"
    with contacts.open("a", encoding="utf-8") as out:
        out.write(contact_row(str(n), f"client{n}@example.com", birthday="13.04.1980") + "\n")
    run = daemon.wait_for("run", lambda e: id(e) not in seen and e["due"] > 0)
    assert (run["sent"], run["render_error"]) == (1, 0), run
    return run


def _subject(sink: SmtpSink, n: int) -> str:
    (message,) = [m for m in sink.messages if m.rcpt_tos == (f"client{n}@example.com",)]
    return str(message.parsed()["Subject"])


def test_templates_change_only_with_a_reload_that_validates_them(make_project: MakeProject) -> None:
    with SmtpSink() as sink:
        config = make_project(people(1), schedule={"cron": "* * * * *"}, **smtp(sink.port))
        folder = config.parent / "templates"
        birthday, helper = folder / "birthday.j2", folder / "_ru.j2"
        good_birthday, good_helper = birthday.read_text(encoding="utf-8"), helper.read_text(encoding="utf-8")
        with DaemonProcess(config, *run_args(), "--speed", "60") as daemon:
            daemon.wait_for("run", lambda e: e["sent"] == 1)

            # 1. a helper every letter imports, saved half-edited: no SIGHUP, nothing changes
            helper.write_text(good_helper.replace("{%- endmacro %}", "", 1), encoding="utf-8")
            _next_letter(config, daemon, 2)

            # 2. SIGHUP with it broken: refused, naming the file; the old templates go on
            daemon.send_signal(signal.SIGHUP)
            refused = daemon.wait_for("reload_failed_keeping_old_config")
            assert any(p.startswith("_ru.j2:") for p in refused["problems"]), refused
            _next_letter(config, daemon, 3)
            helper.write_text(good_helper, encoding="utf-8")

            # 3. a template that compiles but fails every letter is refused just the same
            birthday.write_text(
                good_birthday.replace("{{ contact|name }}", "{{ contakt.first_name }}", 1), encoding="utf-8"
            )
            daemon.send_signal(signal.SIGHUP)
            refused = daemon.wait_for("reload_failed_keeping_old_config", lambda e: e is not refused)
            assert any("birthday.j2" in p and "contakt" in p for p in refused["problems"]), refused
            _next_letter(config, daemon, 4)
            assert not daemon.named("reloaded")

            # 4. fixed and changed: the reload takes it, the next letter says the new words
            birthday.write_text(
                good_birthday.replace("{% block subject %}", "{% block subject %}Новое: "), encoding="utf-8"
            )
            daemon.send_signal(signal.SIGHUP)
            daemon.wait_for("reloaded")
            _next_letter(config, daemon, 5)
            assert daemon.stop() == 0
        assert _subject(sink, 5).startswith("Новое: ") and not _subject(sink, 4).startswith("Новое")


def test_a_template_failing_every_letter_stops_the_daemon_from_starting(make_project: MakeProject) -> None:
    """As a syntax error does: ``greeter check`` calls it an error, and there are no old templates to keep."""
    config = make_project(people(2))
    birthday = config.parent / "templates" / "birthday.j2"
    text = birthday.read_text(encoding="utf-8")
    birthday.write_text(text.replace("{{ contact|name }}", "{{ contakt.first_name }}", 1), encoding="utf-8")
    result = greeter_process(config, "run", "--log-format", "json", *run_args())
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        '"cannot_start"' in result.stderr and "contakt" in result.stderr and "birthday.j2:" in result.stderr
    )
    assert '"started"' not in result.stderr
