"""Compiled templates kept between runs (greeter.template_code): used when right, never when wrong.

Every renderer here reads a copy of the shipped templates and its own cache
folder; "a new process" is a new Renderer over the same folder (a fresh
environment: nothing compiled in memory). Compiles are counted by wrapping
the environment's own ``compile``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import CodeType

import pytest

from greeter.render import Renderer
from greeter.template_code import TemplateCode, generator_digest, relocated
from greeter.template_env import Sandbox
from tests.test_render import MALE, SENDER, TEMPLATES, item, person

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the templates compiled (not loaded from the cache) while a test runs."""
    names: list[str] = []
    original = Sandbox.compile

    def counting(
        self: Sandbox, source: object, name: str | None = None, *args: object, **kwargs: object
    ) -> object:
        names.append(f"{'html' if self.autoescape else 'plain'}:{name}")
        return original(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Sandbox, "compile", counting)
    yield names


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    return folder


def renderer(templates: Path, cache: Path) -> Renderer:
    return Renderer(templates, SENDER, code_cache=cache)


def test_a_second_process_compiles_nothing_and_writes_the_same_letter(
    templates: Path, tmp_path: Path, compiles: list[str]
) -> None:
    cache = tmp_path / "cache"
    cold = renderer(templates, cache).render(item(MALE))
    assert compiles, "the first renderer compiles"
    assert {p.suffix for p in cache.iterdir()} == {".code", ".shape"}  # shapes: template_shape_cache
    compiles.clear()
    warm = renderer(templates, cache).render(item(MALE))
    assert compiles == []
    assert warm == cold


def test_html_and_text_never_get_each_others_code(
    templates: Path, tmp_path: Path, compiles: list[str]
) -> None:
    """The same file compiled with and without escaping: two entries, and client data escaped only in HTML."""
    cache = tmp_path / "cache"
    client = person("c1", "Иван", "Петрович", "Сидоров", company="<b>Рога & Копыта</b>")
    cold = renderer(templates, cache).render(item(client))
    both = {name.split(":", 1)[1] for name in compiles if name.startswith("html:")} & {
        name.split(":", 1)[1] for name in compiles if name.startswith("plain:")
    }
    assert "birthday.j2" in both, "each environment compiles the letter's file itself"
    compiles.clear()
    warm = renderer(templates, cache).render(item(client))
    assert compiles == []
    for letter in (cold, warm):
        assert letter.html is not None
        assert "&lt;b&gt;Рога &amp; Копыта&lt;/b&gt;" in letter.html
        assert "<b>Рога" not in letter.html
        assert "<b>Рога & Копыта</b>" in letter.text


def test_a_changed_template_is_compiled_again(templates: Path, tmp_path: Path, compiles: list[str]) -> None:
    cache = tmp_path / "cache"
    renderer(templates, cache).render(item(MALE))
    path = templates / "birthday.j2"
    path.write_text(
        path.read_text(encoding="utf-8").replace("{% block heading %}", "{% block heading %}НОВОЕ "), "utf-8"
    )
    compiles.clear()
    letter = renderer(templates, cache).render(item(MALE))
    assert "plain:birthday.j2" in compiles
    assert letter.html is not None and "НОВОЕ С днём рождения" in letter.html


def test_the_same_templates_in_another_folder_compile_nothing_and_name_their_own_files(
    templates: Path, tmp_path: Path, compiles: list[str]
) -> None:
    """A project moved, copied, or made afresh from the same files (bench_send's folder of
    each run) compiled every template again: the key held the folder's path. The code differs
    only in the file name its code objects carry, and that is its own folder's."""
    cache = tmp_path / "cache"
    cold = renderer(templates, cache).render(item(MALE))
    moved = tmp_path / "elsewhere" / "templates"
    shutil.copytree(templates, moved)
    compiles.clear()
    made = renderer(moved, cache)
    warm = made.render(item(MALE))
    assert compiles == []
    assert warm == cold
    loaded = made._templates._plain.get_template("birthday.j2")
    assert loaded.filename == str(moved / "birthday.j2")
    names = set()
    pending = [loaded.root_render_func.__code__]
    while pending:
        code = pending.pop()
        names.add(code.co_filename)
        pending += [c for c in code.co_consts if isinstance(c, CodeType)]
    assert names == {str(moved / "birthday.j2")}


def test_relocated_code_is_the_code_compiled_there(templates: Path) -> None:
    env = Renderer(templates, SENDER)._templates._plain
    for name in ("birthday.j2", "_layout.html.j2", "_ru.j2"):
        source = (templates / name).read_text(encoding="utf-8")
        here = env.compile(source, name, f"/here/{name}")
        there = env.compile(source, name, f"/there/{name}")
        assert relocated(here, f"/there/{name}") == there
        assert relocated(here, f"/there/{name}").co_filename == f"/there/{name}"
        assert relocated(there, f"/there/{name}") is there


def test_the_key_holds_the_environment_jinja_and_greeters_generator() -> None:
    folder = Path("/nonexistent")
    plain, html = TemplateCode(folder, "plain"), TemplateCode(folder, "html")
    assert plain.key("birthday.j2", "abc") != html.key("birthday.j2", "abc")
    assert plain.key("birthday.j2", "abc") != plain.key("birthday.j2", "abd"), "the text's checksum"
    assert plain.key("birthday.j2", "abc") != plain.key("new_year.j2", "abc")
    sources = [
        (ROOT / "greeter" / name).read_bytes()
        for name in ("template_env.py", "template_codegen.py", "template_filters.py", "template_limits.py")
    ]
    assert generator_digest() == hashlib.sha256(b"\0".join(sources)).hexdigest()
    assert generator_digest() in plain._salt  # a new generator (another release) is another key
    import jinja2

    assert jinja2.__version__ in plain._salt


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_folder_others_can_write_to_is_not_used(
    templates: Path, tmp_path: Path, compiles: list[str], mode: int
) -> None:
    """The files hold code that runs: a folder someone else could plant a file in is ignored."""
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(mode)
    first = renderer(templates, cache).render(item(MALE))
    assert list(cache.iterdir()) == []
    compiles.clear()
    assert renderer(templates, cache).render(item(MALE)) == first
    assert compiles, "nothing was cached: compiled again"


@pytest.mark.skipif(os.geteuid() != 0, reason="handing a folder to another user needs root")
def test_a_folder_of_another_user_is_not_used(templates: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    os.chown(cache, 65534, 65534)  # nobody
    renderer(templates, cache).render(item(MALE))
    assert list(cache.iterdir()) == []


def test_an_unusable_place_or_broken_files_only_mean_compiling(
    templates: Path, tmp_path: Path, compiles: list[str]
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    expected = Renderer(templates, SENDER).render(item(MALE))
    assert renderer(templates, blocked / "cache").render(item(MALE)) == expected
    cache = tmp_path / "cache"
    renderer(templates, cache).render(item(MALE))
    for entry in cache.iterdir():
        entry.write_bytes(b"j2 garbage")  # truncated, wrong magic
    compiles.clear()
    assert renderer(templates, cache).render(item(MALE)) == expected
    assert compiles, "broken entries are compiled again"
    code = [entry for entry in cache.iterdir() if entry.suffix == ".code"]
    written = {entry.read_bytes()[:2] for entry in code}
    assert written == {b"j2"} and all(entry.stat().st_size > 100 for entry in code)
    assert all(stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0 for entry in cache.iterdir())


def test_preview_of_the_example_twice_is_the_same_and_the_second_compiles_nothing(tmp_path: Path) -> None:
    """The commands use the user's cache folder ($XDG_CACHE_HOME/greeter/templates)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "greeter", "--config", str(ROOT / "config.example.yaml"), "preview",
               "--from", "2026-12-25", "--days", "14", "--format", "json"]  # fmt: skip
    first = subprocess.run(command, capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    folder = tmp_path / "xdg" / "greeter" / "templates"
    stored = {entry.name: entry.stat().st_mtime_ns for entry in folder.iterdir()}
    assert len(stored) >= 4, "the letters' files and the ones they extend and import"
    second = subprocess.run(command, capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    assert second.stdout == first.stdout
    assert {entry.name: entry.stat().st_mtime_ns for entry in folder.iterdir()} == stored, "nothing rewritten"
