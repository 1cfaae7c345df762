"""The validated settings kept between runs (greeter.settings_cache): never stale, never a secret.

A second ``load_settings`` of the same text in a process with the cache enabled (as the
``greeter`` command enables it) is "the next run". What the cache did is counted by its own
:data:`~greeter.settings_cache.COUNTS`. Real files in a per-test ``XDG_CACHE_HOME``.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from greeter import settings_cache
from greeter.cache_dir import PRIVATE_FOLDER
from greeter.config_loader import load_settings
from greeter.errors import ConfigError
from greeter.holiday_tables import declare_regions, has_calendar
from greeter.settings_cache import COUNTS, _cache_file, _holidays_version
from tests.conftest import HEADER, TODAY, contact_row
from tests.test_config import MINIMAL

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The private cache folder of a fresh ``XDG_CACHE_HOME``, the cache enabled as ``at_entry`` does."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(settings_cache, "_enabled", True)
    COUNTS.clear()
    yield tmp_path / "xdg" / "greeter" / PRIVATE_FOLDER


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "greeter.yaml"
    config.write_text(text, encoding="utf-8")
    return config


def a_project(folder: Path) -> Path:
    """The example config in ``folder`` with its templates and one contact, nothing due on 1 June 2027."""
    import shutil

    shutil.copytree(ROOT / "templates", folder / "templates")
    (folder / "data").mkdir()
    row = contact_row("1", "ivan@example.com", birthday="15.06.1980")
    (folder / "data" / "contacts.csv").write_text(f"{HEADER}\n{row}\n", encoding="utf-8-sig")
    config = folder / "greeter.yaml"
    text = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    config.write_text(text.replace("transport: smtp", "transport: file"), encoding="utf-8")
    return config


def test_the_next_run_validates_nothing_and_gets_the_same_settings(folder: Path) -> None:
    config = ROOT / "config.example.yaml"
    cold = load_settings(config, today=TODAY)
    assert (COUNTS["miss"], COUNTS["stored"], COUNTS["hit"]) == (1, 1, 0)
    assert len(list(folder.glob("*.settings"))) == 1
    warm = load_settings(config, today=TODAY)
    assert COUNTS["hit"] == 1
    assert warm == cold
    # What the settings say was written, not defaulted, comes back too (check_window, max_days_early).
    assert warm.send_window.model_fields_set == cold.send_window.model_fields_set
    assert [o.model_fields_set for o in warm.occasions] == [o.model_fields_set for o in cold.occasions]


def test_the_same_text_in_another_folder_is_anchored_there(folder: Path, tmp_path: Path) -> None:
    """Paths are anchored after the cache, at each load: the kept settings are the text's alone."""
    one = load_settings(write(tmp_path / "one", MINIMAL), today=TODAY)
    two = load_settings(write(tmp_path / "two", MINIMAL), today=TODAY)
    assert COUNTS["hit"] == 1
    assert (one.contacts.path, two.contacts.path) == (
        tmp_path / "one" / "contacts.csv",
        tmp_path / "two" / "contacts.csv",
    )


def test_an_edited_config_is_validated_again(folder: Path, tmp_path: Path) -> None:
    config = write(tmp_path, MINIMAL)
    assert load_settings(config, today=TODAY).frequency_cap.max_count == 6
    config.write_text(MINIMAL.replace("max_count: 6", "max_count: 7"), encoding="utf-8")
    assert load_settings(config, today=TODAY).frequency_cap.max_count == 7
    assert (COUNTS["miss"], COUNTS["hit"]) == (2, 0)
    config.write_text(MINIMAL.replace("max_count: 6", "max_count: 0"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"frequency_cap\.max_count"):
        load_settings(config, today=TODAY)


def test_a_config_with_a_mistake_is_never_kept(folder: Path, tmp_path: Path) -> None:
    config = write(tmp_path, MINIMAL.replace("max_count: 6", "max_count: six"))
    for _ in range(2):
        with pytest.raises(ConfigError, match=r"frequency_cap\.max_count"):
            load_settings(config, today=TODAY)
    assert COUNTS["hit"] == 0
    assert list(folder.glob("*.settings")) == []


def test_a_mistake_across_sections_is_found_and_located_from_the_kept_settings(
    folder: Path, tmp_path: Path
) -> None:
    """The rules spanning sections run at every load; the document is parsed then, to locate them."""
    config = write(tmp_path, MINIMAL.replace("    field: birthday", "    field: birthdy"))
    said = []
    for _ in range(2):
        with pytest.raises(ConfigError) as info:
            load_settings(config, today=TODAY)
        said.append([(p.field, p.line, p.col) for p in info.value.problems])
    assert COUNTS["hit"] == 1
    assert said[0] == said[1] == [("occasions.0.field", 10, 5)]


def test_changed_code_is_a_miss(folder: Path, tmp_path: Path) -> None:
    """An entry names the files of the code that validated: one of them changed, it is not used."""
    config = write(tmp_path, MINIMAL)
    load_settings(config, today=TODAY)
    path = _cache_file(MINIMAL, None)
    assert path is not None and path.exists()
    module = tmp_path / "module.py"
    module.write_text("x = 1\n")
    info = module.stat()
    _, holidays, blob = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps((((str(module), info.st_size, info.st_mtime_ns),), holidays, blob)))
    load_settings(config, today=TODAY)
    assert COUNTS["hit"] == 1, "the code it names is unchanged"
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    load_settings(config, today=TODAY)
    assert (COUNTS["hit"], COUNTS["stale"]) == (1, 1)
    module.unlink()
    path.write_bytes(pickle.dumps((((str(module), info.st_size, info.st_mtime_ns),), holidays, blob)))
    load_settings(config, today=TODAY)
    assert COUNTS["stale"] == 2, "a file gone is code changed"
    path.write_bytes(pickle.dumps(((), f"{_holidays_version()}.1", blob)))
    load_settings(config, today=TODAY)
    assert COUNTS["stale"] == 3, "another holidays library"


def test_an_entry_names_greeter_s_code_that_validated(folder: Path, tmp_path: Path) -> None:
    load_settings(write(tmp_path, MINIMAL), today=TODAY)
    path = _cache_file(MINIMAL, None)
    assert path is not None
    code, _, _ = pickle.loads(path.read_bytes())
    files = {Path(file).name for file, _, _ in code}
    assert {"config.py", "config_loader.py", "config_window.py", "settings_cache.py"} <= files
    assert "__init__.py" in files  # pydantic's, and each package's the process loaded


def test_no_secret_is_kept_and_a_changed_one_is_read_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The settings name the variables; their values are read by the command at each run."""
    from greeter.secret_values import read_secret

    text = MINIMAL + "delivery:\n  smtp:\n    username: shop\n    password_env: SHOP_SMTP_PASSWORD\n"
    config = write(tmp_path, text)
    monkeypatch.setenv("SHOP_SMTP_PASSWORD", "first-Secret-1234")
    cold = load_settings(config, today=TODAY)
    monkeypatch.setenv("SHOP_SMTP_PASSWORD", "second-Secret-5678")
    warm = load_settings(config, today=TODAY)
    assert COUNTS["hit"] == 1
    assert warm.delivery.smtp.password_env == cold.delivery.smtp.password_env == "SHOP_SMTP_PASSWORD"
    assert read_secret(warm.delivery.smtp.password_env, None, "the SMTP password") == "second-Secret-5678"
    (kept,) = folder.glob("*.settings")
    assert b"Secret" not in kept.read_bytes()


def test_a_kept_config_declares_its_regions_again(folder: Path, tmp_path: Path) -> None:
    """SendWindow's validator declares the regions with days of their own: a hit does it too."""
    text = MINIMAL + "send_window:\n  regional_days_off:\n    RU-TA: {days: [2027-08-30]}\n"
    config = write(tmp_path, text)
    load_settings(config, today=TODAY)
    assert has_calendar("RU-TA")
    declare_regions(())  # another config's load in the same process withdrew them
    assert not has_calendar("RU-TA")
    load_settings(config, today=TODAY)
    assert COUNTS["hit"] == 1
    assert has_calendar("RU-TA")


def test_a_library_process_keeps_nothing(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the ``greeter`` command enables the cache: a program importing greeter validates each time."""
    monkeypatch.setattr(settings_cache, "_enabled", False)
    config = write(tmp_path, MINIMAL)
    assert load_settings(config, today=TODAY) == load_settings(config, today=TODAY)
    assert COUNTS["hit"] == COUNTS["stored"] == 0
    assert not folder.exists() or list(folder.glob("*.settings")) == []


def test_a_file_in_a_folder_others_can_write_to_is_not_loaded(folder: Path, tmp_path: Path) -> None:
    config = write(tmp_path, MINIMAL)
    load_settings(config, today=TODAY)
    path = _cache_file(MINIMAL, None)
    assert path is not None
    other = load_settings(write(tmp_path / "x", MINIMAL.replace("name: Shop", "name: Planted")), today=TODAY)
    code, holidays, _ = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps((code, holidays, pickle.dumps(other))))
    folder.chmod(0o777)
    assert load_settings(config, today=TODAY).sender.name == "Shop"
    folder.chmod(0o700)
    assert load_settings(config, today=TODAY).sender.name == "Planted"  # as planted at the key: read


def test_a_corrupt_entry_is_ignored_and_replaced(folder: Path, tmp_path: Path) -> None:
    config = write(tmp_path, MINIMAL)
    expected = load_settings(config, today=TODAY)
    (kept,) = folder.glob("*.settings")
    for broken in (b"not a pickle", kept.read_bytes()[:100]):
        kept.write_bytes(broken)
        COUNTS.clear()
        assert load_settings(config, today=TODAY) == expected
        assert load_settings(config, today=TODAY) == expected
        assert (COUNTS["miss"], COUNTS["hit"]) == (1, 1)
