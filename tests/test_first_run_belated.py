"""A new journal's first ``send --once`` names the belated letters it catches up, and ``baseline``.

A marketer moving from ``mailmerge`` ran the first send on Monday: it mailed
four belated birthday letters for Friday to Sunday — clients the old tool had
greeted — and said nothing of them, nor of ``greeter baseline``, which exists
for exactly that. Now the first run (and its dry run) says so on stderr, once.

The real CLI in-process on a copy of config.example.yaml, a real SQLite
journal, the file transport.
"""

from __future__ import annotations

from tests.conftest import MakeProject
from tests.test_baseline import invoke, outbox
from tests.test_baseline_occasions import LATER, MONDAY, PEOPLE

SAID = (
    "first run on a new journal: 3 belated greeting(s) for occasions dated 2026-12-04 … 2026-12-06,"
    " before today, due in this run; "
)


def test_the_first_dry_run_names_the_belated_letters_and_baseline(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    code, _, err = invoke(config, "send", "--once", "--dry-run", "--now", LATER)
    assert code == 0, err
    assert (
        SAID + "if another tool already sent them, run greeter baseline first (see greeter baseline --help)"
    ) in err.splitlines()


def test_the_first_real_run_says_it_once(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    code, _, err = invoke(config, "send", "--once", "--now", LATER)
    assert code == 0, err
    assert len(outbox(config)) == 4
    assert any(
        line.startswith(
            SAID + "if another tool had already greeted those clients, a letter from greeter is a second one"
        )
        for line in err.splitlines()
    ), err
    code, _, err = invoke(config, "send", "--once", "--now", LATER)
    assert code == 0 and "first run" not in err, err  # the journal's first run is over


def test_a_first_run_before_the_window_names_them_as_due_later(make_project: MakeProject) -> None:
    """Cron's 09:30 run on Monday makes the journal and sends nothing: the 10:00 run is no first run."""
    config = make_project(PEOPLE)
    code, _, err = invoke(config, "send", "--once", "--now", MONDAY)
    assert code == 0, err
    assert (
        "first run on a new journal: 3 belated greeting(s) for occasions dated 2026-12-04 … 2026-12-06,"
        " before today, due later; if another tool already sent them, run greeter baseline before the next send"
        " (see greeter baseline --help)"
    ) in err.splitlines()


def test_after_a_baseline_nothing_is_belated_and_nothing_said(make_project: MakeProject) -> None:
    config = make_project(PEOPLE)
    assert invoke(config, "baseline", "--through", "2026-12-06", "--now", MONDAY)[0] == 0
    code, _, err = invoke(config, "send", "--once", "--now", LATER)
    assert code == 0 and "first run" not in err, err
    assert outbox(config) == ["client7@example.com"]


def test_a_first_run_with_nothing_belated_says_nothing(make_project: MakeProject) -> None:
    config = make_project(PEOPLE[3:])  # only Monday's birthday: on its day, not belated
    code, _, err = invoke(config, "send", "--once", "--dry-run", "--now", LATER)
    assert code == 0 and "first run" not in err, err


def test_a_quiet_first_run_still_warns_on_stderr(make_project: MakeProject) -> None:
    """The README's cron line is ``send --once --quiet``: cron mails stderr, so the operator sees it there.

    The notice said nothing under ``--quiet`` when all went well — the one run
    that did something irreversible (four belated letters) was the silent one.
    stdout stays empty (that is what ``--quiet`` is for), and a later quiet run
    says nothing at all.
    """
    config = make_project(PEOPLE)
    code, out, err = invoke(config, "send", "--once", "--quiet", "--now", LATER)
    assert (code, out) == (0, ""), err
    assert len(outbox(config)) == 4
    assert [line for line in err.splitlines() if line.startswith(SAID)] == [err.rstrip("\n")], err
    assert invoke(config, "send", "--once", "--quiet", "--now", LATER) == (0, "", "")
