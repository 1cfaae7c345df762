"""A cache file is written whole or not at all, and a failed write leaves nothing behind.

The holiday tables (:mod:`greeter.holiday_tables`) and the compiled templates
(:mod:`greeter.template_code`) each carried their own copy of this; both now
write through :func:`greeter.cache_dir.write_cache_file`. Real files only.
Which files a cache keyed by content keeps (:func:`greeter.cache_dir.beyond_newest`)
is pure and tested here too; its pruning of real files in tests/test_config_cache.py.
"""

from __future__ import annotations

import stat
from pathlib import Path

from greeter.cache_dir import beyond_newest, write_cache_file


def test_the_file_is_replaced_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "holidays.json"
    target.write_bytes(b"old, longer than the new one")
    write_cache_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["holidays.json"]


def test_a_write_that_fails_is_silent_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    in_the_way = tmp_path / "abc.code"  # a folder where the file goes: the rename fails
    (in_the_way / "inside").mkdir(parents=True)
    write_cache_file(in_the_way, b"code")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["abc.code"]
    assert [p.name for p in in_the_way.iterdir()] == ["inside"]
    write_cache_file(tmp_path / "no-such-folder" / "x.code", b"code")  # nowhere to write: nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["abc.code"]


def test_beyond_newest_names_all_but_the_newest_ties_by_name() -> None:
    files = [("a", 3.0), ("b", 1.0), ("c", 2.0), ("d", 2.0)]
    assert beyond_newest(files, 2) == ["c", "b"]  # a, then d before c (same mtime, by name)
    assert beyond_newest(files, 0) == ["a", "d", "c", "b"]
    assert beyond_newest(files, -1) == ["a", "d", "c", "b"]
    assert beyond_newest(files, 4) == []
