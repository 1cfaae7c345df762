"""The generated code kept on disk (greeter.generated_code, issue 5): a warm start compiles none of
dataclasses' methods or pydantic's string annotations, and runs exactly the code a compile gives.

The start-up checks run a fresh interpreter each (the ``greeter`` command's own start, a cache
folder of their own), so what they count is what a command's process does.
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from greeter import generated_code
from greeter.generated_code import GeneratedCode, cache_file

ROOT = Path(__file__).resolve().parent.parent

#: The ``greeter send`` command's start (argv[0] is the script: greeter.entry runs), its imports,
#: then what the cache answered, and a digest of every generated method of greeter's dataclasses.
PROBE = """
import sys
sys.argv = [{argv0!r}, "send"]
import greeter
import greeter.cli, greeter.runtime, greeter.send, greeter.send_report, greeter.journal
import dataclasses, hashlib, types
from greeter.generated_code import COUNTS
digest = hashlib.sha256()
for name, module in sorted(sys.modules.items()):
    if not name.startswith("greeter."):
        continue
    for cls in list(vars(module).values()):
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == name:
            for attr, fn in sorted(vars(cls).items()):
                code = getattr(fn, "__code__", None)
                if isinstance(code, types.CodeType) and code.co_filename == "<string>":
                    digest.update(repr((name, cls.__qualname__, attr, code.co_code, code.co_consts,
                                        code.co_names, code.co_varnames, code.co_flags)).encode())
print(COUNTS["hit"], COUNTS["miss"], digest.hexdigest(), "exec" in vars(dataclasses))
"""


def start(cache: Path, argv0: str = "/usr/local/bin/greeter") -> tuple[int, int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv0=argv0)],
        capture_output=True, text=True, env=env, check=True, timeout=120,
    )  # fmt: skip
    hits, misses, digest, patched = done.stdout.split()
    return int(hits), int(misses), digest, patched


def test_a_warm_start_compiles_no_generated_code_and_runs_the_same_code(tmp_path: Path) -> None:
    """The first start compiles and keeps (~900 sources: send's imports); the next compiles none.

    Every generated method of greeter's dataclasses is byte for byte what a library import
    (no cache: dataclasses as shipped) makes of it.
    """
    cold_hits, cold_misses, cold, patched = start(tmp_path)
    assert (cold_hits, patched) == (0, "True")
    assert cold_misses > 500
    warm_hits, warm_misses, warm, _ = start(tmp_path)
    assert (warm_hits, warm_misses) == (cold_misses, 0)
    _, library_misses, plain, untouched = start(tmp_path, argv0="-c")
    assert (library_misses, untouched) == (0, "False")  # a library user's dataclasses are their own
    assert cold == warm == plain


def test_the_code_kept_is_the_code_a_compile_gives(tmp_path: Path) -> None:
    path = cache_file(tmp_path)
    assert path is not None
    source = "def __create_fn__(_type):\n def __eq__(self, other):\n  return (self.a,) == (other.a,)\n return __eq__"
    first = GeneratedCode(path)
    assert first.code(source, "exec") == compile(source, "<string>", "exec", dont_inherit=True)
    assert first.code("int | None", "eval") == compile("int | None", "<string>", "eval", dont_inherit=True)
    first.save()
    second = GeneratedCode(path)
    assert set(second.known) == {("exec", source), ("eval", "int | None")}
    assert second.code(source, "exec") == compile(source, "<string>", "exec", dont_inherit=True)
    assert not second.new  # a hit: nothing to write


def test_a_syntax_error_is_raised_as_a_compile_raises_it_and_never_kept(tmp_path: Path) -> None:
    path = cache_file(tmp_path)
    assert path is not None
    cache = GeneratedCode(path)
    with pytest.raises(SyntaxError):
        cache.code("int |", "eval")
    assert not cache.new and cache.used == {}


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00garbage", marshal.dumps([1, 2]), marshal.dumps({("exec", "x = 1"): 7})],
    ids=["empty", "not-marshal", "not-a-mapping", "not-code"],
)
def test_a_broken_file_is_a_miss_and_the_next_save_replaces_it(tmp_path: Path, data: bytes) -> None:
    """Truncated, not marshal data, not a mapping, an entry that is not code: compiled as if absent."""
    path = cache_file(tmp_path)
    assert path is not None
    tmp_path.chmod(0o700)
    path.write_bytes(data)
    cache = GeneratedCode(path)
    assert cache.code("x = 1", "exec") == compile("x = 1", "<string>", "exec", dont_inherit=True)
    assert cache.new
    cache.save()
    assert GeneratedCode(path).known.keys() == {("exec", "x = 1")}


def test_a_file_others_may_write_is_never_read(tmp_path: Path) -> None:
    """Marshalled code is run: only a folder of this user's that nobody else can write to is trusted."""
    path = cache_file(tmp_path)
    assert path is not None
    tmp_path.chmod(0o700)
    first = GeneratedCode(path)
    first.code("x = 1", "exec")
    first.save()
    assert GeneratedCode(path).known
    tmp_path.chmod(0o777)
    assert GeneratedCode(path).known == {}


def test_a_forked_worker_writes_nothing(tmp_path: Path) -> None:
    """Only the process that loaded the file writes it back (a build worker leaves by os._exit anyway)."""
    path = cache_file(tmp_path)
    assert path is not None
    cache = GeneratedCode(path)
    cache.code("x = 1", "exec")
    cache.pid = os.getpid() + 1
    cache.save()
    assert not path.exists()


def test_past_the_cap_a_write_keeps_only_this_process_s_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code no release generates any more does not stay for ever; below the cap, two commands'
    code (send's and check's) is kept side by side."""
    path = cache_file(tmp_path)
    assert path is not None
    one = GeneratedCode(path)
    one.code("x = 1", "exec")
    one.save()
    two = GeneratedCode(path)
    two.code("x = 2", "exec")
    two.save()
    assert GeneratedCode(path).known.keys() == {("exec", "x = 1"), ("exec", "x = 2")}
    monkeypatch.setattr(generated_code, "MAX_ENTRIES", 1)
    three = GeneratedCode(path)
    three.code("x = 3", "exec")
    three.save()
    assert GeneratedCode(path).known.keys() == {("exec", "x = 3")}
