"""The parsed config kept between runs (greeter.config_cache): a warm load parses no YAML, and says the same.

"A new process" is a second ``load_settings`` over the same cache folder: the
parsed document is not kept in memory. Parses and cache answers are counted
by the cache's own :data:`~greeter.config_cache.COUNTS` ("miss": parsed,
"hit": unpickled). Real files in a per-test ``XDG_CACHE_HOME``.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from greeter.cache_dir import PRIVATE_FOLDER
from greeter.config_cache import COUNTS, KEEP, _cache_file, parse_cached
from greeter.config_loader import load_settings, locate
from greeter.errors import ConfigError
from tests.conftest import TODAY
from tests.test_config import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
#: Two validation mistakes at known places: a typo'd key (a "did you mean") and a bad value.
WRONG = MINIMAL.replace("  window_days: 365", "  windows_days: 365").replace("max_count: 6", "max_count: six")
WRONG_PROBLEMS = [
    "frequency_cap.max_count: Input should be a valid integer, unable to parse string as an integer (got 'six')",
    "frequency_cap.windows_days: unknown key, did you mean `window_days`?",
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The private cache folder of a fresh ``XDG_CACHE_HOME`` (not made yet); the counts start at 0."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    COUNTS.clear()
    yield tmp_path / "xdg" / "greeter" / PRIVATE_FOLDER


def problems_of(config: Path) -> list[tuple[str, int | None, int | None]]:
    with pytest.raises(ConfigError) as info:
        load_settings(config, today=TODAY)
    return [(f"{p.field}: {p.message}", p.line, p.col) for p in info.value.problems]


def write(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "greeter.yaml"
    config.write_text(text, encoding="utf-8")
    return config


def test_a_second_load_parses_nothing_and_gives_the_same_settings(folder: Path) -> None:
    config = ROOT / "config.example.yaml"
    cold = load_settings(config, today=TODAY)
    assert (COUNTS["miss"], COUNTS["hit"]) == (1, 0)
    assert len(list(folder.glob("*.config"))) == 1
    warm = load_settings(config, today=TODAY)
    assert (COUNTS["miss"], COUNTS["hit"]) == (1, 1), "the second load comes from the cache"
    assert warm == cold


def test_a_config_with_mistakes_says_the_same_at_the_same_lines_from_the_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path, WRONG)
    cold = problems_of(config)
    assert sorted(message for message, _, _ in cold) == WRONG_PROBLEMS
    assert sorted((line, col) for _, line, col in cold) == [(13, 3), (14, 3)]
    warm = problems_of(config)
    assert (COUNTS["miss"], COUNTS["hit"]) == (1, 1)
    assert warm == cold
    assert locate(config, ("frequency_cap", "windows_days")) == (14, 3)  # after loading: the cache too
    assert COUNTS["hit"] == 2
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    assert problems_of(config) == cold  # parsed afresh: the same


def test_a_cross_section_mistake_is_located_the_same_from_the_cache(folder: Path, tmp_path: Path) -> None:
    config = write(tmp_path, MINIMAL.replace("    field: birthday", "    field: birthdy"))
    cold = problems_of(config)
    assert ("occasions.0.field", 10, 5) in [(m.split(":")[0], line, col) for m, line, col in cold]
    assert problems_of(config) == cold
    assert COUNTS["hit"] == 1


def test_a_yaml_mistake_is_never_kept_and_reported_the_same_each_time(folder: Path, tmp_path: Path) -> None:
    config = write(tmp_path, MINIMAL.replace("  max_count: 6", "\tmax_count: 6"))
    cold = problems_of(config)
    assert cold[0][0].startswith(": YAML syntax")
    assert problems_of(config) == cold
    assert (COUNTS["miss"], COUNTS["hit"]) == (2, 0)
    assert list(folder.glob("*.config")) == []


def plant(folder: Path, text: str, mode: int) -> None:
    """A cache file for ``text`` in ``folder`` (given ``mode``) holding another config's document."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(mode)
    other = parse_cached(MINIMAL.replace("name: Shop", "name: Planted"), "other.yaml", folder=folder / "x")
    path = _cache_file(text, folder)
    assert path is not None
    path.write_bytes(pickle.dumps(other))
    COUNTS.clear()


def test_a_file_planted_in_a_folder_others_can_write_to_is_not_loaded(folder: Path, tmp_path: Path) -> None:
    config = write(tmp_path, MINIMAL)
    plant(folder, MINIMAL, 0o777)
    assert load_settings(config, today=TODAY).sender.name == "Shop"
    assert (COUNTS["miss"], COUNTS["hit"]) == (1, 0)
    plant(folder, MINIMAL, 0o700)  # the same file in a private folder is loaded: it was planted at the key
    assert load_settings(config, today=TODAY).sender.name == "Planted"
    assert COUNTS["hit"] == 1


def test_a_corrupt_cache_file_is_ignored_and_replaced(folder: Path, tmp_path: Path) -> None:
    config = write(tmp_path, MINIMAL)
    expected = load_settings(config, today=TODAY)
    (cached,) = folder.glob("*.config")
    for broken in (b"not a pickle", cached.read_bytes()[:100]):
        cached.write_bytes(broken)
        COUNTS.clear()
        assert load_settings(config, today=TODAY) == expected
        assert load_settings(config, today=TODAY) == expected
        assert (COUNTS["miss"], COUNTS["hit"]) == (1, 1), "parsed once, then the replaced file is read"


def test_without_a_usable_cache_folder_the_config_is_parsed_each_time(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path, MINIMAL)
    expected = load_settings(config, today=TODAY)
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(in_the_way))  # its folder cannot be made (even by root)
    COUNTS.clear()
    assert load_settings(config, today=TODAY) == expected
    assert load_settings(config, today=TODAY) == expected
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "nowhere")  # no absolute home: no cache folder at all
    assert load_settings(config, today=TODAY) == expected
    assert (COUNTS["miss"], COUNTS["hit"]) == (3, 0)


#: A day, in seconds; planted files are a day apart from this moment on (2023-11-14, well past).
DAY = 86_400
PLANTED_FROM = 1_700_000_000


def test_only_the_newest_parsed_configs_are_kept_and_nothing_else_is_touched(
    folder: Path, tmp_path: Path
) -> None:
    """A config edited daily leaves one file per edit; storing a new one prunes the oldest past KEEP."""
    folder.mkdir(parents=True, mode=0o700)
    edits = [MINIMAL + f"# edit {day}\n" for day in range(KEEP + 4)]
    for day, text in enumerate(edits):  # real cache files, one a day, the first oldest
        plant(folder, text, 0o700)
        path = _cache_file(text, folder)
        assert path is not None
        os.utime(path, (PLANTED_FROM + day * DAY,) * 2)
    old = PLANTED_FROM - DAY  # older than any: would go first were they this cache's
    others = [folder / f"{'0' * 64}.code", folder / f"{'1' * 64}.shape", folder / "notes.config"]
    others += [folder / f".{'2' * 64}.config.abc.tmp", folder / f"{'3' * 64}.config.bak"]
    for other in others:
        other.write_bytes(b"not the config cache's")
        os.utime(other, (old, old))
    in_the_way = folder / f"{'a' * 64}.config"  # a folder cannot be unlinked: skipped, the rest pruned
    (in_the_way / "inside").mkdir(parents=True)
    os.utime(in_the_way, (old, old))
    COUNTS.clear()

    config = write(tmp_path, MINIMAL)
    load_settings(config, today=TODAY)
    assert (COUNTS["miss"], COUNTS["stored"]) == (1, 1)

    newest = _cache_file(MINIMAL, folder)
    kept = {_cache_file(text, folder) for text in edits[-(KEEP - 1) :]}
    assert set(folder.glob("*.config")) == {newest, in_the_way, folder / "notes.config"} | kept, (
        "the new one and the newest KEEP-1 edits; not this cache's names, and the folder in the way, stay"
    )
    assert all(other.read_bytes() == b"not the config cache's" for other in others)
    assert (in_the_way / "inside").is_dir()
    COUNTS.clear()
    parse_cached(edits[-1], "greeter.yaml")
    parse_cached(edits[0], "greeter.yaml")
    assert (COUNTS["hit"], COUNTS["miss"]) == (1, 1), "a kept edit is found; a pruned one is parsed again"
