"""Every ``--occasion`` takes the occasion's title, as ``history --occasion`` does.

``preview``'s table shows «День рождения», yet ``preview``, ``test-send`` and
``approve`` with ``--occasion "День рождения"`` said "no occasion 'День
рождения' in the config" (exit 2): only ``history`` read a title as its
occasion. The real CLI on a real project (file transport, real SQLite journal).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MakeProject
from tests.test_test_send import NOW, TESTER, VERA, invoke

#: The birthday occasion as typed: its name, its title as the tables show it, that title in other case.
TYPED = ["birthday", "День рождения", "день РОЖДЕНИЯ", " День рождения "]


@pytest.fixture
def config(make_project: MakeProject) -> Path:
    return make_project([VERA])


@pytest.mark.parametrize("typed", TYPED)
def test_preview_takes_the_title(config: Path, typed: str) -> None:
    code, out, err = invoke(config, "preview", "--now", NOW, "--days", "30", "--occasion", typed, "--json")
    assert code == 0, err
    assert [d["occasion"] for d in json.loads(out)] == ["birthday"], out


@pytest.mark.parametrize("typed", TYPED)
def test_test_send_takes_the_title(config: Path, typed: str) -> None:
    code, out, err = invoke(
        config, "test-send", "--contact", "1029", "--to", TESTER, "--now", NOW, "--occasion", typed
    )
    assert code == 0, out + err
    assert len(list((config.parent / "data" / "outbox").glob("test-*birthday*.eml"))) == 1


@pytest.mark.parametrize("typed", TYPED)
def test_approve_takes_the_title(config: Path, typed: str) -> None:
    code, out, err = invoke(config, "approve", "--now", NOW, "--days", "30", "--occasion", typed)
    assert code == 0, out + err
    assert "approved 1 draft(s)" in out, out + err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["approve", "--now", NOW, "--occasion", "День рожденя"], "did you mean 'birthday' (День рождения)?"),
        (["preview", "--now", NOW, "--occasion", "Рождество"], "no occasion 'Рождество' in the config"),
        (["test-send", "--contact", "1029", "--to", TESTER, "--now", NOW, "--occasion", "Рождество"],
         "no occasion 'Рождество' in the config"),
    ],
)  # fmt: skip
def test_a_title_no_occasion_has_is_still_refused(config: Path, args: list[str], said: str) -> None:
    code, out, err = invoke(config, *args)
    assert code == 2 and said in " ".join(err.split()), out + err


@pytest.mark.parametrize("command", ["uncertain", "failed"])
@pytest.mark.parametrize("typed", TYPED)
def test_an_operators_decision_takes_the_title(config: Path, command: str, typed: str) -> None:
    """``uncertain``/``failed --occasion`` read a title as ``history`` does (nothing to decide here)."""
    code, out, err = invoke(config, "send", "--once", "--now", NOW)  # a journal to decide in
    assert code == 0, out + err
    code, out, err = invoke(config, command, "resend", "--occasion", typed)
    assert code == 1 and f"no {command} greeting matches" in out + err, out + err  # not exit 2
