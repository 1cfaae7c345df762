"""``--contact`` with a value no contact has as id or name, and how often a name reads the contacts.

A newcomer who learns greeter from ``--help`` (it says ``--contact ID|NAME``)
typed a client's name with a typo, «Смирнва»: ``preview``, ``test-send`` and
``approve`` said "no contact has id 'Смирнва'" — as if names were not taken —
with no hint (``suppress`` hinted at ids only). They now say neither an id nor a name has it, and name the
contacts spelt closest. And ``preview``/``test-send --contact NAME`` read the
contacts file three times (is it an id? whose name? the plan): the resolver
hands the contacts it read to the plan. The real CLI, the example project.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import greeter.runtime
from greeter.cli import main
from tests.conftest import MakeProject, contact_row

NOW = "2026-12-01T09:00:00+03:00"
ANNA = contact_row("1029", "anna@example.com", last="Смирнова", first="Анна", birthday="09.12.1981")
MARIA = contact_row("1030", "maria@example.com", last="Попова", first="Мария", birthday="10.12.1970")
#: Her e-mail cell is broken: the row is rejected, its id known.
BROKEN = contact_row("1032", "ivan@@example", last="Кузнецов", birthday="12.12.1965")


def invoke(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("preview", "--now", NOW),
        ("test-send", "--to", "me@company.ru", "--now", NOW),
        ("approve", "--now", NOW),
        ("suppress", "--now", NOW),  # it named the closest ids alone
    ],
)
def test_a_name_nobody_has_is_said_as_neither_id_nor_name_with_the_closest(
    make_project: MakeProject, args: tuple[str, ...]
) -> None:
    config = make_project([ANNA, MARIA, BROKEN])
    code, out, err = invoke(config, args[0], "--contact", "Смирнва", *args[1:])
    assert (code, out) == (2, ""), out + err
    assert "no contact has id or name 'Смирнва' (--contact): did you mean 1029 (Анна " in err, err
    assert "no contact has id 'Смирнва'" not in err
    code, _, err = invoke(config, args[0], "--contact", "1O32", *args[1:])
    assert code == 2 and "no contact has id or name '1O32' (--contact): did you mean '1032'" in err, err
    assert not (config.parent / "data" / "journal.sqlite3").exists()  # refused before anything is made


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each read of the contacts source from its first row (the real reader, counted)."""
    read: list[str] = []
    real = greeter.runtime.iter_contacts

    def counted(*args: Any, **kwargs: Any) -> Iterator[Any]:
        read.append(str(args[0].path))
        return real(*args, **kwargs)

    monkeypatch.setattr(greeter.runtime, "iter_contacts", counted)
    return read


@pytest.mark.parametrize(
    "args",
    [
        ("preview", "--contact", "Смирнова", "--from", "2026-12-01", "--days", "20"),
        ("test-send", "--contact", "Смирнова", "--to", "me@company.ru"),
        ("preview", "--contact", "1029", "--from", "2026-12-01", "--days", "20"),
    ],
)
def test_a_contact_named_reads_the_contacts_once(
    make_project: MakeProject, loads: list[str], args: tuple[str, ...]
) -> None:
    config = make_project([ANNA, MARIA])
    code, out, err = invoke(config, *args, "--now", NOW)
    assert code == 0, out + err
    assert len(loads) == 1, loads  # was 3 for a name (id? name? plan), 2 for an id
