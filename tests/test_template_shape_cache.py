"""Template shapes kept between runs (greeter.template_shape_cache): a warm process parses nothing.

"A new process" is a new TemplateSet (or Renderer) over the same cache folder:
nothing parsed or compiled in memory. Parses are counted by wrapping Jinja's
own ``Environment._parse``, which every parse goes through (the shape's, and
a compile's from source).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import Environment
from jinja2.environment import TemplateModule

from greeter import template_code, template_shape_cache
from greeter.errors import TemplateLoadError
from greeter.render import Renderer
from greeter.template_env import _tree_or_error as syntax_tree_memo
from greeter.template_env import make_environment
from greeter.template_memo import MacroMemo, pure_file
from greeter.template_set import TemplateSet, Variant
from greeter.template_shape import shape_of
from greeter.template_shape_cache import ShapeCache, shape_from_json, shape_to_json
from greeter.template_snapshot import SnapshotLoader, TemplateFiles
from tests.test_render import MALE, SENDER, TEMPLATES, item


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the templates Jinja parsed while a test runs."""
    names: list[str] = []
    original = Environment._parse

    def counting(self: Environment, source: str, name: str | None, filename: str | None) -> object:
        names.append(str(name))
        return original(self, source, name, filename)

    monkeypatch.setattr(Environment, "_parse", counting)
    yield names


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    return folder


def letters(templates: Path, cache: Path | None) -> TemplateSet:
    return TemplateSet(templates, None, "ru", cache)


def test_a_second_process_parses_nothing_and_writes_the_same_letter(
    templates: Path, tmp_path: Path, parses: list[str]
) -> None:
    cache = tmp_path / "cache"
    cold = Renderer(templates, SENDER, code_cache=cache).render(item(MALE))
    assert "birthday.j2" in parses and "_layout.html.j2" in parses
    assert len(list(cache.glob("*.shape"))) >= 2
    parses.clear()
    warm = Renderer(templates, SENDER, code_cache=cache).render(item(MALE))
    assert parses == [], "shapes from the shape cache, code from the code cache"
    assert warm == cold == Renderer(templates, SENDER).render(item(MALE))


def test_a_second_process_parses_no_helper_file_to_know_its_macros_are_pure(
    templates: Path, tmp_path: Path, parses: list[str]
) -> None:
    """Which helper files' macro texts are kept (greeter.template_memo) comes with their shapes:
    a warm process parsed _ru.j2 and _brand.j2 (and _unsubscribe.j2) for it (~40 ms before a send's
    first letter). The memo of trees (template_env.syntax_tree) is this test process's only, so
    it is emptied as a new process starts without it."""
    cache = tmp_path / "cache"
    cold = Renderer(templates, SENDER, code_cache=cache).render(item(MALE))
    syntax_tree_memo.cache_clear()
    parses.clear()
    made: list[tuple[str, int]] = []
    register = MacroMemo.register

    def registering(self: MacroMemo, module: TemplateModule, pure: bool) -> None:
        made.append((module.__name__, pure))
        register(self, module, pure)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MacroMemo, "register", registering)
        warm = Renderer(templates, SENDER, code_cache=cache).render(item(MALE))
    assert parses == [], "shapes, purity included, from the shape cache; code from the code cache"
    assert ("_ru.j2", True) in made and ("_brand.j2", True) in made, made
    assert warm == cold


def test_a_stored_shape_is_the_shape_the_parse_gives(templates: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = make_environment(SnapshotLoader(TemplateFiles.read(templates)), html=False)
    shapes = ShapeCache(cache, env)
    for path in sorted(templates.glob("*.j2")):
        source = path.read_text(encoding="utf-8")
        shape = shape_of(env.parse(source))
        key = shapes.key(source)
        assert key is not None
        assert shape_from_json(shape_to_json(shape, key), key) == shape
        shapes.store(key, shape)
        assert shapes.load(key) == shape
        assert shape.pure == pure_file(env.parse(source)), path.name
        assert list(shape_from_json(shape_to_json(shape, key), key).bodies) == list(shape.bodies)


def test_the_key_holds_the_text_and_the_parsing_settings(templates: Path) -> None:
    loader = SnapshotLoader(TemplateFiles.read(templates))
    plain = make_environment(loader, html=False)
    key = ShapeCache(Path("/nonexistent"), plain).key
    assert key("{% block text %}a{% endblock %}") != key("{% block text %}b{% endblock %}")
    assert key("x") == ShapeCache(Path("/elsewhere"), make_environment(loader, html=True)).key("x")
    for setting, value in [
        ("trim_blocks", False),
        ("lstrip_blocks", False),
        ("block_start_string", "<%"),
        ("line_statement_prefix", "#"),
        ("keep_trailing_newline", True),
    ]:
        other = make_environment(loader, html=False)
        setattr(other, setting, value)
        assert ShapeCache(Path("/nonexistent"), other).key("x") != key("x"), setting
    extended = make_environment(loader, html=False)
    extended.add_extension("jinja2.ext.loopcontrols")
    assert ShapeCache(Path("/nonexistent"), extended).key("x") != key("x")


def test_an_edited_template_with_the_same_mtime_is_parsed_again(
    templates: Path, tmp_path: Path, parses: list[str]
) -> None:
    """The key is the text, never the file's time: an edit within the same second is seen."""
    cache = tmp_path / "cache"
    path = templates / "birthday.j2"
    assert isinstance(letters(templates, cache).variant("birthday", "ru"), Variant)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8") + "{% block extra %}{% endblock %}\n", "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    parses.clear()
    assert isinstance(letters(templates, cache).variant("birthday", "ru"), Variant)
    assert set(parses) == {"birthday.j2"}  # its shape (plain code from that tree) and its HTML code
    parses.clear()
    warm = letters(templates, cache)
    assert isinstance(warm.variant("birthday", "ru"), Variant)
    assert "extra" in warm._shapes["birthday.j2"].blocks and parses == []


def test_a_syntax_error_after_a_stored_shape_is_reported_as_without_cache(
    templates: Path, tmp_path: Path
) -> None:
    """An edit that breaks a file whose old shape is stored: the same error as with no cache at all."""
    cache = tmp_path / "cache"
    assert isinstance(letters(templates, cache).variant("birthday", "ru"), Variant)
    stored = set(cache.glob("*.shape"))
    path = templates / "birthday.j2"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("{% endblock %}", "{% endblok %}", 1), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    expected = letters(templates, None).variant("birthday", "ru")
    assert isinstance(expected, TemplateLoadError) and expected.line is not None
    for _ in range(2):  # the broken file is never stored: a second run parses and says it again
        found = letters(templates, cache).variant("birthday", "ru")
        assert isinstance(found, TemplateLoadError)
        assert (found.problem(), str(found)) == (expected.problem(), str(expected))
    assert set(cache.glob("*.shape")) == stored


def test_a_shape_problem_is_stored_and_reported_the_same(templates: Path, tmp_path: Path) -> None:
    """Text outside blocks is a problem of the shape itself: from the cache it reads word for word."""
    cache = tmp_path / "cache"
    path = templates / "birthday.j2"
    path.write_text(path.read_text(encoding="utf-8") + "\nstray text\n", "utf-8")
    expected = letters(templates, None).variant("birthday", "ru")
    assert isinstance(expected, TemplateLoadError) and "outside a block" in expected.detail
    for _ in range(2):
        found = letters(templates, cache).variant("birthday", "ru")
        assert isinstance(found, TemplateLoadError)
        assert (found.problem(), str(found)) == (expected.problem(), str(expected))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data, key: b"not json",
        lambda data, key: data[: len(data) // 2],
        lambda data, key: b"[]",
        lambda data, key: data.replace(b'"format": 2', b'"format": 1'),
        lambda data, key: data.replace(key.encode(), b"0" * 64),
        lambda data, key: data.replace(b'"parent": "_layout.html.j2"', b'"parent": 7'),
        lambda data, key: data.replace(b'"problems": []', b'"problems": [[true, "x"]]'),
        lambda data, key: json.dumps({**json.loads(data), "blocks": "subject"}).encode(),
        lambda data, key: json.dumps({k: v for k, v in json.loads(data).items() if k != "bound"}).encode(),
        lambda data, key: json.dumps({**json.loads(data), "pure": 1}).encode(),
    ],
)
def test_a_damaged_shape_file_is_ignored_and_the_file_parsed(
    templates: Path, tmp_path: Path, parses: list[str], damage: object
) -> None:
    cache = tmp_path / "cache"
    expected = Renderer(templates, SENDER).render(item(MALE))
    Renderer(templates, SENDER, code_cache=cache).render(item(MALE))
    source = (templates / "birthday.j2").read_text(encoding="utf-8")
    key = ShapeCache(cache, letters(templates, cache)._plain).key(source)
    entry = cache / f"{key}.shape"
    assert callable(damage)
    entry.write_bytes(damage(entry.read_bytes(), key))
    parses.clear()
    assert Renderer(templates, SENDER, code_cache=cache).render(item(MALE)) == expected
    assert parses == ["birthday.j2"], "the damaged shape is parsed again, the others read"
    shape = shape_from_json(entry.read_bytes(), key)  # and stored whole again
    assert shape.parent == "_layout.html.j2"


def test_an_unusable_cache_place_only_means_parsing(
    templates: Path, tmp_path: Path, parses: list[str]
) -> None:
    expected = Renderer(templates, SENDER).render(item(MALE))
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    for _ in range(2):
        parses.clear()
        assert Renderer(templates, SENDER, code_cache=blocked / "cache").render(item(MALE)) == expected
        assert "birthday.j2" in parses
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # others could plant a shape there: it is neither written nor read
    for _ in range(2):
        parses.clear()
        assert Renderer(templates, SENDER, code_cache=shared).render(item(MALE)) == expected
        assert "birthday.j2" in parses
    assert list(shared.iterdir()) == []


def test_only_the_newest_shapes_are_kept_and_the_current_one_still_loads(
    templates: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each edit of a template is a new key: a shape file per edit stayed for ever. Each process
    (a new ShapeCache) prunes at its first store to the newest KEEP, the one it stored kept; other
    caches' files in the folder (``.code``, ``.config``) are not this one's to prune."""
    monkeypatch.setattr(template_shape_cache, "KEEP", 4, raising=False)
    cache = tmp_path / "cache"
    env = make_environment(SnapshotLoader(TemplateFiles.read(templates)), html=False)
    cache.mkdir(mode=0o700)
    others = [cache / f"{'0' * 64}.code", cache / f"{'1' * 64}.config"]
    for other in others:
        other.write_bytes(b"another cache's")
        os.utime(other, (1, 1))
    texts = [f"{{% block text %}}edit {n}{{% endblock %}}" for n in range(4 + 3)]
    for n, text in enumerate(texts):
        shapes = ShapeCache(cache, env)
        key = shapes.key(text)
        assert key is not None
        shapes.store(key, shape_of(env.parse(text)))
        os.utime(cache / f"{key}.shape", (1000 + n, 1000 + n))  # one edit a second, the first oldest
    kept = {path.name for path in cache.glob("*.shape")}
    assert kept == {f"{ShapeCache(cache, env).key(text)}.shape" for text in texts[-4:]}
    assert all(other.read_bytes() == b"another cache's" for other in others)
    current = ShapeCache(cache, env)
    key = current.key(texts[-1])
    assert key is not None and current.load(key) == shape_of(env.parse(texts[-1]))


def test_a_template_edited_many_times_leaves_a_bounded_cache_and_renders_warm(
    templates: Path, tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 edits of birthday.j2, each rendered by a new process, left 42 shape files (one per edit)
    in the private cache folder; the compiled templates (``.code``, one per template and flavour,
    a new set for each templates folder or release) are bounded the same way."""
    monkeypatch.setattr(template_shape_cache, "KEEP", 5, raising=False)
    monkeypatch.setattr(template_code, "KEEP", 10, raising=False)
    cache = tmp_path / "cache"
    path = templates / "birthday.j2"
    original = path.read_text(encoding="utf-8")
    for edit in range(20):
        path.write_text(original + f"{{# edit {edit} #}}\n", encoding="utf-8")
        Renderer(templates, SENDER, code_cache=cache).render(item(MALE))
    live = 3  # the shapes one letter reads: birthday.j2 and its layouts
    assert len(list(cache.glob("*.shape"))) <= 5 + live - 1, "KEEP, and what one process stored after"
    for copy in range(4):  # another templates folder: every compiled template a new key
        moved = tmp_path / f"templates-{copy}"
        shutil.copytree(templates, moved)
        Renderer(moved, SENDER, code_cache=cache).render(item(MALE))
    codes = len(list(cache.glob("*.code")))
    assert 8 <= codes <= 10 + 8 - 1, codes  # one letter's 8 (4 files, 2 flavours) are kept
    parses.clear()
    warm = Renderer(moved, SENDER, code_cache=cache).render(item(MALE))
    assert parses == [], "the current letter's shapes and code are still found"
    assert warm == Renderer(moved, SENDER).render(item(MALE))
