"""Fuzzing the two loaders a marketer feeds by hand (issue "Prove it", part 3).

Random bytes and mutated copies of ``data/contacts.csv`` and
``config.example.yaml`` go through the public loading functions
(:func:`greeter.config_loader.load_settings`, :func:`greeter.sources.load_contacts`).
The only acceptable outcomes are success or a :class:`~greeter.errors.GreeterError`
(the documented tree, which the CLI turns into one-line messages and an exit
code); any other exception is a crash the user would see as "internal error".
Deterministic: ``derandomize=True`` and no example database.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from greeter.config import Settings
from greeter.config_loader import load_settings
from greeter.errors import ConfigError, GreeterError
from greeter.sources import load_contacts
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent
CONTACTS = (ROOT / "data" / "contacts.csv").read_bytes()
CONFIG = (ROOT / "config.example.yaml").read_bytes()

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Bytes that matter to CSV, YAML and text decoding: quotes, delimiters, line ends, NUL,
#: a BOM, the lead bytes of UTF-8 Cyrillic and cp1251, template and YAML syntax.
SPECIAL = [
    b'"', b";", b",", b"\t", b"|", b"\n", b"\r", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xd0", b"\xd0\xb9",
    b"\xff", b"\xe9", b"{{ 7*7 }}", b": ", b"- ", b"#", b"&a ", b"*a", b"!!python/object ", b"---\n",
    b"...\n", b"? ", b"%YAML 1.1\n", b"'", b"\\", b"29.02.1980", b"31.02.1980", b"@", b"\xe2\x80\xa8",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few random edits: cut, insert, overwrite, duplicate or truncate."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "overwrite", "duplicate", "truncate"]))
        chunk = draw(st.one_of(st.sampled_from(SPECIAL), st.binary(min_size=1, max_size=8)))
        if op == "insert":
            data[at:at] = chunk
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "overwrite":
            data[at : at + len(chunk)] = chunk
        elif op == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        else:
            del data[at:]
    return bytes(data)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def example() -> Settings:
    return load_settings(ROOT / "config.example.yaml", today=TODAY)


def load_csv(path: Path, data: bytes, example: Settings) -> None:
    """Load ``data`` as the example's contacts file: success, or a GreeterError — nothing else."""
    path.write_bytes(data)
    source = example.contacts.model_copy(update={"path": path})
    try:
        contacts, report = load_contacts(source, example.defaults)
    except GreeterError as exc:
        assert str(exc) and "\n" not in str(exc), "a whole-file error is one line"
        return
    assert report.loaded == len(contacts) and report.rows_read >= report.loaded
    for problem in report.problems:
        if problem.kind == "row" and problem.line is None:
            # The one row warning of no single row: junk lines before the header (a report's title),
            # said once for them all (greeter.sources.header.preamble_warning) — and only that one.
            assert re.match(r"rows? 1(–\d+)? above the header (is|are) skipped", problem.message), problem
            continue
        # A row's problem names its row; a whole column's (dates in another format) has none.
        located = problem.line is not None and problem.line >= 2
        assert (problem.kind, located) in {("row", True), ("column", False)}, problem
        assert problem.field, problem  # the column is named


def load_yaml(path: Path, data: bytes) -> None:
    """Load ``data`` as greeter.yaml: a Settings, or a ConfigError of located one-line problems."""
    path.write_bytes(data)
    try:
        result = load_settings(path, today=TODAY)
    except ConfigError as exc:
        assert exc.problems
        for problem in exc.problems:
            text = str(problem)
            assert "\n" not in text, text
            assert text.startswith(str(path)), text
        return
    except GreeterError:
        return  # documented, if unexpected for a config file
    assert isinstance(result, Settings)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_contacts(workdir: Path, example: Settings, data: bytes) -> None:
    load_csv(workdir / "random.csv", data, example)


@FUZZ
@given(mutated(CONTACTS))
def test_mutated_sample_contacts(workdir: Path, example: Settings, data: bytes) -> None:
    load_csv(workdir / "mutated.csv", data, example)


@FUZZ
@given(mutated(CONTACTS.decode("utf-8-sig").encode("cp1251", errors="replace")))
def test_mutated_cp1251_contacts(workdir: Path, example: Settings, data: bytes) -> None:
    load_csv(workdir / "mutated1251.csv", data, example)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_config(workdir: Path, data: bytes) -> None:
    load_yaml(workdir / "random.yaml", data)


@FUZZ
@given(mutated(CONFIG))
def test_mutated_example_config(workdir: Path, data: bytes) -> None:
    load_yaml(workdir / "mutated.yaml", data)


# --------------------------------------------------------------------------- well-formed YAML, wrong shapes

_yaml = YAML()
_TREE: Any = _yaml.load(CONFIG)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["10:00", "25:61", "12-29", "02-30", "Europe/Moscow", "Europe/Moskow", "XX", "", "-"]),
    st.dates().map(str),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _paths(child, (*prefix, i))


PATHS = list(_paths(_TREE))[1:]


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=3))
def test_example_config_with_wrong_values_anywhere(workdir: Path, edits: list[tuple[Any, Any]]) -> None:
    """Replace whole settings (a section, a list item, one value) with values of any type."""
    tree = _yaml.load(CONFIG)
    for path, value in edits:
        node = tree
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit replaced this part of the tree
    buffer = io.BytesIO()
    _yaml.dump(tree, buffer)
    load_yaml(workdir / "shapes.yaml", buffer.getvalue())
