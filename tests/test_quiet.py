"""``--quiet`` on the commands a crontab runs: stdout stays empty when the run needs no one; and the
style of greeter's own errors about a flag's value.

Cron mails whatever a job prints. ``send --once`` every five minutes printed
its summary each time ("due 0; sent: 0 …"), and the usual cure, ``>
/dev/null``, also threw away the summary of the run that needed a person.
With ``--quiet`` the summary is printed only when the exit code is not 0.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from greeter.cli import main
from tests.conftest import MakeProject, contact_row
from tests.test_retention import NOW as PURGE_NOW
from tests.test_retention import RETRY_OLD, SENT_RECENT, UNCERTAIN_OLD, fill, journal_of, keys
from tests.test_send_e2e import LATER, NOW

GOOD = contact_row("1", "client1@example.com", birthday="13.04.1980")
NO_ID = contact_row("", "client4@example.com", birthday="13.04.1980")  # a rejected row: exit 1


def run(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_quiet_send_that_needs_no_one_prints_nothing(make_project: MakeProject) -> None:
    config = make_project([GOOD])

    code, out, err = run(config, "send", "--once", "--quiet", "--now", NOW)
    assert (code, out) == (0, ""), err
    # A new journal's first run sent a belated letter (13 April's, on the 14th): that warning alone
    # reaches stderr, for cron's mail (tests/test_first_run_belated.py).
    said = "first run on a new journal: 1 belated greeting(s) for occasions dated 2027-04-13, before today"
    assert err.startswith(said) and err.count("\n") == 1, err  # the day is the occasion's, not today's
    outbox = config.parent / "data" / "outbox"
    assert len(list(outbox.glob("*.eml"))) == 1, "quiet is about what it prints, not what it does"

    code, out, err = run(config, "send", "--once", "-q", "--now", LATER)
    assert (code, out, err) == (0, "", "")
    # Without it the same run says its line, as before.
    code, out, _ = run(config, "send", "--once", "--now", LATER)
    assert code == 0 and out.startswith("2027-04-14 11:05 MSK: due 0; sent: 0;"), out


def test_a_quiet_send_still_prints_its_summary_when_the_exit_code_is_not_0(make_project: MakeProject) -> None:
    config = make_project([GOOD, NO_ID])

    code, out, err = run(config, "send", "--once", "--quiet", "--now", NOW)

    assert code == 1
    assert "row 3: ID: empty id" in err
    assert out.startswith("2027-04-14 11:00 MSK: due 1; sent: 1;"), out


def test_quiet_is_refused_with_json_or_a_dry_run(make_project: MakeProject) -> None:
    config = make_project([GOOD])
    for extra, named in (("--json", "--json"), ("--dry-run", "--dry-run")):
        code, out, err = run(config, "send", "--once", "--quiet", extra, "--now", NOW)
        assert code == 2 and out == ""
        assert f"--quiet is for a real send's text summary; drop it or {named}" in err
    assert not (config.parent / "data" / "outbox").exists(), "a refused command sends nothing"


def test_a_quiet_backup_and_purge_print_nothing(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project([GOOD], storage={"retention_days": 730})
    with journal_of(config) as journal:
        fill(journal)

    code, out, err = run(config, "backup", "--quiet", str(tmp_path / "copy.sqlite3"))
    assert (code, out, err) == (0, "", "")
    assert (tmp_path / "copy.sqlite3").stat().st_size > 0

    code, out, err = run(config, "purge", "-q", "--now", PURGE_NOW.isoformat())
    assert (code, out, err) == (0, "", "")
    with journal_of(config) as journal:
        assert keys(journal) == {UNCERTAIN_OLD, RETRY_OLD, SENT_RECENT}, "the purge itself ran"

    code, _, err = run(config, "purge", "-q", "--json", "--now", PURGE_NOW.isoformat())
    assert code == 2 and "drop it or --json" in err


def test_greeters_own_value_errors_name_the_flag_as_clicks_do_with_its_aliases(
    make_project: MakeProject,
) -> None:
    """One style for every "Invalid value" line, and the name the user may have typed (--from)."""
    config = make_project([GOOD])
    _, _, click_own = run(config, "preview", "--days", "abc")
    assert "Invalid value for '--days':" in click_own
    _, _, ours = run(config, "preview", "--now", "2026-13-01")
    assert "Invalid value for '--now': 2026-13-01 is not a real date: there is no month 13" in ours
    _, _, aliased = run(config, "history", "--from", "2026-13-01")
    assert (
        "Invalid value for '--since' / '--from': 2026-13-01 is not a real date: there is no month 13"
        in aliased
    )
